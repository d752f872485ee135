"""The live ConfigMap path (`llm-policy render --kind envoyfilter-ecds|ecds-mount|ecds`)
and the guard against drift between install paths:

- the committed examples under istio/ are what the renderer writes today;
- what it renders validates (the EnvoyFilter against Istio's CRDs, strictly) and
  hangs together: the ConfigMap the patch mounts is the one rendered, mounted
  where the EnvoyFilter's config_discovery watches, holding the resource the
  filter's name asks for;
- the ECDS resource is byte for byte what `envoy/render.py ecds` writes;
- every install path rendered from one policy carries the identical policy;
- `validate` and `explain` read the ConfigMap manifests themselves."""
import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from test_istio_manifests import (CLI, EXAMPLE_ENV, ROOT, check_configmap, crd_schemas,
                                  policy_in_ecds)

sys.path.insert(0, str(ROOT / "envoy"))
from render import ecds_resource, render  # noqa: E402

CONFIGMAP = ROOT / "istio" / "policy-configmap.yaml"
WASM_TYPE = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"
PLACEHOLDER_SHA = "0" * 64
ENVOYFILTER = ("networking.istio.io", "v1alpha3", "EnvoyFilter")

# Each committed example and the render arguments it comes from.
EXAMPLES = {
    "live-configmap-routing.yaml": [
        "--configmap", str(CONFIGMAP), "--kind", "envoyfilter-ecds", "--name", "llm-policy-live",
        "--namespace", "llm-serving", "--selector", "app=llm-gateway", "--fail-strategy", "FAIL_OPEN",
        "--sha256", PLACEHOLDER_SHA,
        "--url", "http://llm-policy-wasm.llm-serving.svc.cluster.local/llm-policy-0.1.0.wasm"],
    "live-mount-sidecar.patch.yaml": ["--kind", "ecds-mount", "--name", "llm-policy-live"],
    "live-mount-gateway.patch.yaml": ["--kind", "ecds-mount", "--name", "llm-policy-live",
                                      "--context", "GATEWAY"],
}


def cli(*args, check=True):
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, check=check,
                          env=EXAMPLE_ENV)


def without_comments(text):
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_committed_examples_are_what_the_renderer_writes(name):
    committed = (ROOT / "istio" / name).read_text()
    rendered = cli("render", *EXAMPLES[name]).stdout
    assert without_comments(committed) == rendered, (
        f"istio/{name} is stale: render it again (the command is in its header)")


def live(context="SIDECAR_INBOUND", mount="/etc/llm-policy", name="llm-policy-live"):
    """The rendered ConfigMap, EnvoyFilter and mount patch for one context."""
    common = ["--name", name, "--context", context, "--mount", mount]
    out = cli("render", "--configmap", str(CONFIGMAP), "--kind", "envoyfilter-ecds",
              "--namespace", "llm-serving", "--selector", "app=llm-gateway", "--sha256", "ab" * 32,
              "--url", "https://wasm.example.com/llm-policy.wasm", *common).stdout
    configmap, envoy_filter = yaml.safe_load_all(out)
    patch = yaml.safe_load(cli("render", "--kind", "ecds-mount", *common).stdout)
    return configmap, envoy_filter, patch


@pytest.mark.parametrize("context", ["SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY"])
def test_the_live_path_validates_and_hangs_together(context):
    configmap, envoy_filter, patch = live(context, mount="/var/run/llm-policy/")
    errors = list(jsonschema.Draft7Validator(crd_schemas()[ENVOYFILTER]).iter_errors(envoy_filter))
    assert not errors, f"{errors[0].message} at {list(errors[0].absolute_path)}"
    check_configmap("rendered", configmap)
    [cp] = envoy_filter["spec"]["configPatches"]
    assert cp["applyTo"] == "HTTP_FILTER" and cp["match"]["context"] == context
    assert cp["patch"]["operation"] == "INSERT_BEFORE"
    assert cp["match"]["listener"]["filterChain"]["filter"]["subFilter"] == {
        "name": "envoy.filters.http.router"}
    http_filter = cp["patch"]["value"]
    assert set(http_filter) == {"name", "config_discovery"}, "no inline config: it is in the mount"
    discovery = http_filter["config_discovery"]
    assert discovery["type_urls"] == [WASM_TYPE]
    source = discovery["config_source"]["path_config_source"]
    assert source == {"path": "/var/run/llm-policy/llm-policy.yaml",
                      "watched_directory": {"path": "/var/run/llm-policy"}}
    resource = yaml.safe_load(configmap["data"]["llm-policy.yaml"])
    [r] = resource["resources"]
    assert r["@type"] == "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig"
    assert r["name"] == http_filter["name"], "ECDS finds the resource by the filter's name"
    assert r["typed_config"]["@type"] == WASM_TYPE
    code = r["typed_config"]["config"]["vm_config"]["code"]["remote"]
    assert code["sha256"] == "ab" * 32 and code["http_uri"]["cluster"] == "outbound|443||wasm.example.com"
    # the patch mounts this ConfigMap where the filter watches, read-only, no subPath
    if context == "GATEWAY":
        spec = patch["spec"]["template"]["spec"]
        volumes = spec["volumes"]
        [container] = spec["containers"]
        assert container["name"] == "istio-proxy"
        mounts = container["volumeMounts"]
    else:
        annotations = patch["spec"]["template"]["metadata"]["annotations"]
        volumes = json.loads(annotations["sidecar.istio.io/userVolume"])
        mounts = json.loads(annotations["sidecar.istio.io/userVolumeMount"])
    [volume], [mount] = volumes, mounts
    assert volume["configMap"] == {"name": configmap["metadata"]["name"]}
    assert mount == {"name": volume["name"], "mountPath": source["watched_directory"]["path"],
                     "readOnly": True}


def test_the_live_path_refuses_what_envoy_could_not_load():
    base = ["render", "--configmap", str(CONFIGMAP), "--kind", "envoyfilter-ecds", "--name", "x"]
    out = cli(*base, "--url", "oci://registry.example.com/llm-policy:0.1.0", "--sha256", "ab",
              check=False)
    assert out.returncode == 1 and "oci://" in out.stdout
    out = cli(*base, "--url", "https://wasm.example.com/llm-policy.wasm", check=False)
    assert out.returncode == 1 and "--sha256" in out.stdout
    out = cli(*base, "--url", "file:///w.wasm", "--context", "WAYPOINT", check=False)
    assert out.returncode == 1 and "--context" in out.stdout


POLICIES = {
    "default": (ROOT / "policies" / "default.json").read_text(),
    "routing": (ROOT / "policies" / "examples" / "istio-routing.json").read_text(),
    "guard": (ROOT / "policies" / "examples" / "istio-guard.json").read_text(),
    "one line, own key variable": json.dumps(
        {"version": 1, "description": "Grüße, ünï — 日本", "screening": {"redaction": {"key_env": "MY_KEY"}}},
        ensure_ascii=False),
    "tabs and a trailing blank line": '{\n\t"version": 1\n}\n\n',
    "no final newline": '{\n  "version": 1,\n  "description": "a  b \\u2028"\n}',
    "raw YAML line breaks": '{\n  "version": 1,\n  "description": "a\u2028b\u0085c\u2029d\ufeff"\n}\n',
}


@pytest.mark.parametrize("fail_open,hold", [(False, True), (True, False)])
@pytest.mark.parametrize("name", sorted(POLICIES))
def test_the_cli_and_render_py_write_the_same_ecds_resource(name, fail_open, hold, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(POLICIES[name])
    wasm = tmp_path / "llm-policy.wasm"
    env = {**EXAMPLE_ENV, "MY_KEY": "k" * 32, "LLM_POLICY_REDACTION_KEY": "r" * 32}
    args = ["render", "--policy", str(policy), "--kind", "ecds", "--url", f"file://{wasm}",
            "--hold-headers", "true" if hold else "false"]
    if fail_open:
        args += ["--fail-strategy", "FAIL_OPEN"]
    rust = subprocess.run([str(CLI), *args], capture_output=True, text=True, check=True, env=env)
    python = ecds_resource(POLICIES[name], str(wasm), "1", fail_open=fail_open, hold_headers=hold)
    assert rust.stdout == python
    assert policy_in_ecds(python) == POLICIES[name], "the policy text is carried verbatim"


def policy_of(kind, doc):
    """The policy JSON an install resource carries, parsed."""
    if kind == "wasmplugin":
        return doc["spec"]["pluginConfig"]
    if kind == "trafficextension":
        return doc["spec"]["wasm"]["pluginConfig"]
    if kind == "envoyfilter":
        config = doc["spec"]["configPatches"][0]["patch"]["value"]["typed_config"]["config"]
        return json.loads(config["configuration"]["value"])
    raise AssertionError(kind)


def test_every_install_path_carries_the_identical_policy(tmp_path):
    """So a WasmPlugin and a ConfigMap never disagree silently."""
    source_text = yaml.safe_load(CONFIGMAP.read_text())["data"]["policy.json"]
    expected = json.loads(source_text)
    common = ["--configmap", str(CONFIGMAP), "--name", "llm-policy", "--sha256", "ab" * 32]
    carried = {}
    for kind in ("wasmplugin", "trafficextension", "envoyfilter"):
        out = cli("render", *common, "--kind", kind, "--url", "https://wasm.example.com/m.wasm")
        carried[kind] = policy_of(kind, yaml.safe_load(out.stdout))
    out = cli("render", *common, "--kind", "envoyfilter-ecds", "--url", "https://wasm.example.com/m.wasm")
    configmap, _ = yaml.safe_load_all(out.stdout)
    carried["envoyfilter-ecds ConfigMap"] = json.loads(policy_in_ecds(configmap["data"]["llm-policy.yaml"]))
    out = cli("render", *common, "--kind", "ecds", "--url", "file:///w.wasm")
    carried["ecds (CLI)"] = json.loads(policy_in_ecds(out.stdout))
    carried["ecds (envoy/render.py)"] = json.loads(policy_in_ecds(ecds_resource(source_text, "w.wasm")))
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(source_text)
    bootstrap = yaml.safe_load(render(ROOT / "envoy" / "llm-policy.yaml", {}, str(policy_file)))
    hcm = bootstrap["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    [wasm_filter] = [f for f in hcm["http_filters"] if f["name"] == "llm-policy"]
    carried["plain Envoy bootstrap"] = json.loads(
        wasm_filter["typed_config"]["config"]["configuration"]["value"])
    committed = yaml.safe_load_all((ROOT / "istio" / "live-configmap-routing.yaml").read_text())
    carried["istio/live-configmap-routing.yaml"] = json.loads(
        policy_in_ecds(next(d for d in committed if d["kind"] == "ConfigMap")["data"]["llm-policy.yaml"]))
    differing = {path: policy for path, policy in carried.items() if policy != expected}
    assert not differing, f"these install paths carry another policy: {sorted(differing)}"
    assert len(carried) == 8


def test_validate_and_explain_read_the_configmap_manifests(tmp_path):
    live_example = ROOT / "istio" / "live-configmap-routing.yaml"
    out = cli("validate", str(live_example), str(CONFIGMAP))
    assert f'{live_example} data."llm-policy.yaml" resources[0] configuration: ok (revision routing-' \
        in out.stdout
    assert f'{CONFIGMAP} data."policy.json": ok (revision routing-' in out.stdout
    out = cli("explain", str(live_example), "-H", "x-user-id: alice")
    assert out.stdout.startswith("policy: revision routing-2026-11-27\n")
    # a `kubectl edit` that breaks the policy inside the ConfigMap is named precisely
    docs = list(yaml.safe_load_all(live_example.read_text()))
    configmap = next(d for d in docs if d["kind"] == "ConfigMap")
    resource = yaml.safe_load(configmap["data"]["llm-policy.yaml"])
    resource["resources"][0]["typed_config"]["config"]["configuration"]["value"] = (
        ROOT / "policies" / "invalid" / "typo-prefx.json").read_text()
    configmap["data"]["llm-policy.yaml"] = yaml.safe_dump(resource)
    bad = tmp_path / "edited.yaml"
    bad.write_text(yaml.safe_dump(configmap))
    out = cli("validate", str(bad), check=False)
    assert out.returncode == 1
    assert 'data."llm-policy.yaml" resources[0] configuration: routes[2].match.prefx: unknown field' \
        in out.stdout
    out = cli("explain", str(bad), check=False)
    assert out.returncode == 1 and "routes[2].match.prefx" in out.stdout
    # and render refuses to carry it anywhere
    out = cli("render", "--configmap", str(bad), "--kind", "wasmplugin", "--url", "oci://r/x:1",
              check=False)
    assert out.returncode == 1 and "routes[2].match.prefx: unknown field" in out.stdout
