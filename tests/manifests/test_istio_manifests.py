"""Every manifest under istio/ validates against Istio's CRD schemas (strictly:
unknown fields are errors, as with `kubectl apply --validate=strict`), every
policy it carries passes the filter's own parser, and the routing headers the
VirtualService matches are the ones the filter writes."""
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from harness import CLI  # noqa: E402


CRDS = ROOT.parent / "shared" / "istio" / "crds.gen.yaml"
# Deployment patches (`*.patch.yaml`) are not objects: test_live_configmap.py checks them.
MANIFESTS = sorted(p for p in (ROOT / "istio").glob("*.yaml") if not p.name.endswith(".patch.yaml"))
# A ConfigMap's data may not exceed 1 MiB (Kubernetes' limit on an object in etcd).
CONFIGMAP_LIMIT = 1024 * 1024
ROUTING_POLICY = json.loads((ROOT / "policies" / "examples" / "istio-routing.json").read_text())
GUARD_POLICY = json.loads((ROOT / "policies" / "examples" / "istio-guard.json").read_text())
GUARD_POLICY.pop("$schema")
ROUTING_POLICY.pop("$schema", None)
# The routing example's trust token comes from the VM environment (value_env).
EXAMPLE_ENV = {**os.environ, "LLM_POLICY_TRUST_TOKEN": "example-trust-token-0123456789"}


def strict(schema):
    """Closes every object schema that lists properties (structural schemas prune
    unknown fields silently; we want them reported)."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if ("properties" in node and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(schema)
    return schema


def crd_schemas():
    """(group, version, kind) -> the strict schema of the whole object."""
    if not CRDS.exists():
        pytest.skip(f"{CRDS} not found (shared/ sits beside the checkout in CI)")
    out = {}
    for doc in yaml.safe_load_all(CRDS.read_text()):
        if not doc or doc.get("kind") != "CustomResourceDefinition":
            continue
        spec = doc["spec"]
        for v in spec["versions"]:
            body = strict(v["schema"]["openAPIV3Schema"])
            body.setdefault("properties", {}).update({
                "apiVersion": {"type": "string"}, "kind": {"type": "string"},
                "metadata": {"type": "object"}})
            body["additionalProperties"] = False
            out[(spec["group"], v["name"], spec["names"]["kind"])] = body
    return out


def docs():
    for path in MANIFESTS:
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path.name, doc


def test_there_are_manifests():
    kinds = {doc["kind"] for _, doc in docs()}
    assert {"WasmPlugin", "TrafficExtension", "EnvoyFilter", "VirtualService",
            "DestinationRule", "ConfigMap"} <= kinds


@pytest.mark.parametrize("name,doc", list(docs()), ids=lambda x: x if isinstance(x, str) else x["kind"])
def test_manifest_validates_against_istio_crds(name, doc):
    if doc["apiVersion"] == "v1":
        check_configmap(name, doc)
        return
    group, version = doc["apiVersion"].split("/")
    schemas = crd_schemas()
    schema = schemas.get((group, version, doc["kind"]))
    assert schema is not None, f"{name}: no CRD for {doc['apiVersion']} {doc['kind']}"
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=str)
    assert not errors, f"{name}: {errors[0].message} at {list(errors[0].absolute_path)}"


def check_configmap(name, doc):
    """A ConfigMap carrying a policy: the policy itself (`policy.json`) or the
    live path's ECDS resource (`llm-policy.yaml`); string data within the limit."""
    assert doc["kind"] == "ConfigMap", name
    assert set(doc) <= {"apiVersion", "kind", "metadata", "data"}, f"{name}: {sorted(doc)}"
    assert set(doc["metadata"]) <= {"name", "namespace", "labels", "annotations"}
    assert set(doc["data"]) in ({"policy.json"}, {"llm-policy.yaml"}), f"{name}: {sorted(doc['data'])}"
    assert all(isinstance(v, str) for v in doc["data"].values())
    size = sum(len(k.encode()) + len(v.encode()) for k, v in doc["data"].items())
    assert size < CONFIGMAP_LIMIT, f"{name}: {size} bytes of data"


def policy_in_ecds(text):
    """The policy an ECDS resource file (llm-policy.yaml) carries."""
    resource = yaml.safe_load(text)
    [r] = resource["resources"]
    return r["typed_config"]["config"]["configuration"]["value"]


def test_strict_validation_catches_a_typo():
    schemas = crd_schemas()
    wp = next(d for _, d in docs() if d["kind"] == "WasmPlugin")
    bad = copy.deepcopy(wp)
    bad["spec"]["failStrategyy"] = "FAIL_OPEN"
    schema = schemas[("extensions.istio.io", "v1alpha1", "WasmPlugin")]
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


def policies_carried():
    for name, doc in docs():
        if doc["kind"] == "WasmPlugin":
            yield name, doc["spec"]["pluginConfig"]
        elif doc["kind"] == "TrafficExtension":
            yield name, doc["spec"]["wasm"]["pluginConfig"]
        elif doc["kind"] == "EnvoyFilter":
            value = doc["spec"]["configPatches"][0]["patch"]["value"]
            if "config_discovery" in value:
                continue  # the live path: the policy is in its ConfigMap
            yield name, json.loads(value["typed_config"]["config"]["configuration"]["value"])
        elif doc["kind"] == "ConfigMap" and "policy.json" in doc["data"]:
            yield name, json.loads(doc["data"]["policy.json"])
        elif doc["kind"] == "ConfigMap":
            yield name, json.loads(policy_in_ecds(doc["data"]["llm-policy.yaml"]))


@pytest.mark.parametrize("name,policy", list(policies_carried()), ids=lambda x: x if isinstance(x, str) else "")
def test_carried_policies_pass_the_filter_and_match_the_example(name, policy, tmp_path):
    f = tmp_path / "policy.json"
    f.write_text(json.dumps(policy))
    out = subprocess.run([str(CLI), "validate", str(f)], capture_output=True, text=True,
                         env=EXAMPLE_ENV)
    assert out.returncode == 0, out.stdout + out.stderr
    if "guard" in name:
        assert policy == GUARD_POLICY, f"{name} drifted from policies/examples/istio-guard.json"
    else:
        assert policy == ROUTING_POLICY, f"{name} drifted from policies/examples/istio-routing.json"


def test_virtualservice_matches_the_headers_the_filter_writes():
    vs = next(d for _, d in docs() if d["kind"] == "VirtualService")
    matches = {r["name"]: r.get("match", [{}])[0].get("headers", {}) for r in vs["spec"]["http"]}
    canary_header = "x-canary"  # the filter's default canary.header
    fallback = ROUTING_POLICY["circuit"]["fallback"]["header"]
    assert matches["vllm-canary"] == {canary_header: {"exact": "true"}}
    assert matches["vllm-fallback"] == {fallback["name"]: {"exact": fallback["value"]}}
    assert matches["vllm-stable"] == {}, "stable is the catch-all, last"
    subsets = {s["name"] for d in (d for _, d in docs() if d["kind"] == "DestinationRule")
               for s in d["spec"]["subsets"]}
    assert subsets == {"stable", "canary", "fallback"}
