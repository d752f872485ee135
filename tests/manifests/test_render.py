"""`llm-policy render` turns the policy ConfigMap into WasmPlugin, TrafficExtension
and EnvoyFilter resources that validate against Istio's CRDs and carry the
policy exactly; a ConfigMap with an invalid policy is refused, naming the field."""
import json
import subprocess

import jsonschema
import pytest
import yaml

from test_istio_manifests import CLI, EXAMPLE_ENV, ROOT, crd_schemas

CONFIGMAP = ROOT / "istio" / "policy-configmap.yaml"
SHA_FILE = ROOT / "dist" / "llm-policy.wasm.sha256"


def render(kind, configmap=CONFIGMAP, check=True):
    return subprocess.run(
        [str(CLI), "render", "--configmap", str(configmap), "--kind", kind, "--name", "llm-policy",
         "--namespace", "llm-serving", "--url", "oci://registry.example.com/platform/llm-policy:0.1.0",
         "--sha256-file", str(SHA_FILE), "--selector", "app=llm-gateway", "--fail-strategy", "FAIL_OPEN"],
        capture_output=True, text=True, check=check, env=EXAMPLE_ENV)


def policy_in_configmap():
    return json.loads(yaml.safe_load(CONFIGMAP.read_text())["data"]["policy.json"])


@pytest.mark.parametrize("kind,api", [
    ("wasmplugin", ("extensions.istio.io", "v1alpha1", "WasmPlugin")),
    ("trafficextension", ("extensions.istio.io", "v1alpha1", "TrafficExtension")),
    ("envoyfilter", ("networking.istio.io", "v1alpha3", "EnvoyFilter")),
])
def test_rendered_resources_validate_and_carry_the_policy(kind, api):
    doc = yaml.safe_load(render(kind).stdout)
    errors = list(jsonschema.Draft7Validator(crd_schemas()[api]).iter_errors(doc))
    assert not errors, f"{kind}: {errors[0].message} at {list(errors[0].absolute_path)}"
    sha = SHA_FILE.read_text().split()[0]
    if kind == "envoyfilter":
        config = doc["spec"]["configPatches"][0]["patch"]["value"]["typed_config"]["config"]
        assert json.loads(config["configuration"]["value"]) == policy_in_configmap()
        assert config["vm_config"]["code"]["remote"]["sha256"] == sha
        assert config["fail_open"] is True
    else:
        wasm = doc["spec"] if kind == "wasmplugin" else doc["spec"]["wasm"]
        assert wasm["pluginConfig"] == policy_in_configmap()
        assert wasm["sha256"] == sha and wasm["failStrategy"] == "FAIL_OPEN"
        assert doc["spec"]["selector"] == {"matchLabels": {"app": "llm-gateway"}}


def test_a_configmap_with_an_invalid_policy_is_refused(tmp_path):
    bad = yaml.safe_load(CONFIGMAP.read_text())
    bad["data"]["policy.json"] = (ROOT / "policies" / "invalid" / "typo-prefx.json").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad))
    out = render("wasmplugin", path, check=False)
    assert out.returncode == 1
    assert "routes[2].match.prefx: unknown field" in out.stdout


def test_envoyfilter_holds_headers_with_both_settings_or_neither():
    held = yaml.safe_load(render("envoyfilter").stdout)
    config = held["spec"]["configPatches"][0]["patch"]["value"]["typed_config"]["config"]
    assert config["allow_on_headers_stop_iteration"] is True
    env = config["vm_config"]["environment_variables"]
    assert env["key_values"] == {"LLM_POLICY_HOLD_HEADERS": "true"}
    assert env["host_env_keys"] == ["LLM_POLICY_TRUST_TOKEN"]
    out = subprocess.run(
        [str(CLI), "render", "--configmap", str(CONFIGMAP), "--kind", "envoyfilter", "--name", "x",
         "--url", "https://wasm.example.com/llm-policy.wasm", "--hold-headers", "false"],
        capture_output=True, text=True, check=True, env=EXAMPLE_ENV)
    config = yaml.safe_load(out.stdout)["spec"]["configPatches"][0]["patch"]["value"][
        "typed_config"]["config"]
    assert config["allow_on_headers_stop_iteration"] is False
    assert "key_values" not in config["vm_config"]["environment_variables"]


def test_a_guards_api_key_variable_is_passed_to_the_vm(tmp_path):
    """The policy is refused in a VM without the guard's key variable, so every rendered
    install path must pass it through (WasmPlugin vmConfig.env, ECDS host_env_keys)."""
    policy = {"version": 1, "screening": {"guards": [
        {"name": "moderation", "protocol": "openai_moderation", "cluster": "guard",
         "api_key": {"value_env": "MY_GUARD_KEY"}}]},
        "routes": [{"name": "r", "match": {"prefix": "/v1/"}, "screening": {"guards": [
            {"name": "pii", "protocol": "presidio", "cluster": "presidio",
             "api_key": {"header": "x-api-key", "value_env": "ROUTE_GUARD_KEY", "prefix": ""}}]}}]}
    path = tmp_path / "guarded.json"
    path.write_text(json.dumps(policy))
    env = {**EXAMPLE_ENV, "MY_GUARD_KEY": "g" * 24, "ROUTE_GUARD_KEY": "r" * 24}
    out = subprocess.run(
        [str(CLI), "render", "--policy", str(path), "--kind", "wasmplugin", "--name", "x",
         "--url", "oci://registry.example.com/llm-policy:0.1.0"],
        capture_output=True, text=True, check=True, env=env)
    vm_env = yaml.safe_load(out.stdout)["spec"]["vmConfig"]["env"]
    assert {"name": "MY_GUARD_KEY", "valueFrom": "HOST"} in vm_env
    assert {"name": "ROUTE_GUARD_KEY", "valueFrom": "HOST"} in vm_env
    cli = subprocess.run(
        [str(CLI), "render", "--policy", str(path), "--kind", "ecds", "--name", "x",
         "--url", "file:///etc/llm-policy/llm-policy.wasm"],
        capture_output=True, text=True, check=True, env=env).stdout
    script = subprocess.run(
        ["python3", str(ROOT / "envoy" / "render.py"), "ecds", "--policy", str(path),
         "WASM_PATH=/etc/llm-policy/llm-policy.wasm"],
        capture_output=True, text=True, check=True, env=env).stdout
    for text in (cli, script):
        keys = yaml.safe_load(text)["resources"][0]["typed_config"]["config"]["vm_config"][
            "environment_variables"]["host_env_keys"]
        assert "MY_GUARD_KEY" in keys and "ROUTE_GUARD_KEY" in keys, keys
