#!/usr/bin/env python3
"""Fills an envoy/*.yaml template: `${NAME}` placeholders from NAME=VALUE
arguments, and ${POLICY_JSON} from --policy FILE (empty: the filter's
embedded default). Prints the rendered YAML on stdout.

    envoy/render.py envoy/llm-policy.yaml --policy policies/default.json \
        LISTEN_PORT=10000 ADMIN_PORT=9901 WASM_PATH=dist/llm-policy.wasm ...
    envoy/render.py ecds --policy FILE [WASM_PATH=...] [VERSION=...]   # the ECDS resource
"""
import argparse
import json
import os
import string
import sys
import unicodedata

DEFAULTS = {
    "LISTEN_PORT": "10000",
    "ADMIN_PORT": "9901",
    "STABLE_HOST": "127.0.0.1",
    "STABLE_PORT": "8001",
    "CANARY_HOST": "127.0.0.1",
    "CANARY_PORT": "8002",
    "FALLBACK_HOST": "127.0.0.1",
    "FALLBACK_PORT": "8003",
    # The `guard` cluster (guard models; tests/mock_guards listens on 8010 by default).
    "GUARD_HOST": "127.0.0.1",
    "GUARD_PORT": "8010",
    "WASM_PATH": "dist/llm-policy.wasm",
    "FAIL_OPEN": "false",
    # Hold request headers until the body is judged (Envoy 1.35+): sets the
    # Wasm allow_on_headers_stop_iteration and, beside it, the VM variable
    # LLM_POLICY_HOLD_HEADERS that tells the filter it may (see filters/wasm/src/hold.rs).
    "HOLD_HEADERS": "true",
    # The Envoy side of the same choice; only a test sets the two apart.
    "ALLOW_HEADERS_STOP": "true",
    "ECDS_DIR": "/etc/llm-policy",
    "WASM_URL": "http://127.0.0.1:8080/llm-policy.wasm",
    "WASM_SHA256": "",
    "WASM_SERVER_HOST": "127.0.0.1",
    "WASM_SERVER_PORT": "8080",
}


def render(template_path, values, policy_path=None):
    """Returns the template with every placeholder filled; raises KeyError on a missing one."""
    with open(template_path, encoding="utf-8") as f:
        template = string.Template(f.read())
    filled = dict(DEFAULTS)
    filled.update(values)
    filled["WASM_PATH"] = os.path.abspath(filled["WASM_PATH"])
    policy = ""
    if policy_path:
        with open(policy_path, encoding="utf-8") as f:
            policy = f.read()
    # A JSON string is a valid YAML double-quoted scalar.
    filled["POLICY_JSON"] = json.dumps(policy)
    return template.substitute(filled)


# The VM variables every ECDS resource passes through (the CLI's ecds::STANDARD_ENV).
STANDARD_ENV = ("LLM_POLICY_REDACTION_KEY", "LLM_POLICY_TRUST_TOKEN")


def env_keys(policy_text):
    """STANDARD_ENV and any other variable the policy names (trust.header.value_env,
    screening.redaction.key_env, screening.guards[].api_key.value_env, top level and
    per route), sorted."""
    names = set(STANDARD_ENV)
    try:
        policy = json.loads(policy_text)
    except ValueError:
        policy = None
    if isinstance(policy, dict):
        sections = [policy] + [r for r in policy.get("routes") or [] if isinstance(r, dict)]
        for s in sections:
            for path in (("trust", "header", "value_env"), ("screening", "redaction", "key_env")):
                node = s
                for k in path:
                    node = node.get(k) if isinstance(node, dict) else None
                if isinstance(node, str):
                    names.add(node)
            screening = s.get("screening")
            guards = screening.get("guards") if isinstance(screening, dict) else None
            for g in guards if isinstance(guards, list) else []:
                key = g.get("api_key") if isinstance(g, dict) else None
                if isinstance(key, dict) and isinstance(key.get("value_env"), str):
                    names.add(key["value_env"])
    return sorted(names)


def ecds_resource(policy_text, wasm_path, version="1", fail_open=False, hold_headers=True):
    """The ECDS file for envoy/llm-policy-ecds.yaml: the Wasm filter config with
    `policy_text` as its configuration, kept verbatim (a YAML literal block when it
    can be). `hold_headers` sets allow_on_headers_stop_iteration and the VM variable
    that goes with it. Byte for byte what `llm-policy render --kind ecds` writes
    for a local module (tests/manifests/test_live_configmap.py holds them together)."""
    wasm = {
        "name": "llm-policy",
        "root_id": "llm-policy",
        "fail_open": fail_open,
        "allow_on_headers_stop_iteration": hold_headers,
        "vm_config": {
            "vm_id": "llm-policy",
            "runtime": "envoy.wasm.runtime.v8",
            "environment_variables": {
                "host_env_keys": env_keys(policy_text),
                "key_values": {"LLM_POLICY_HOLD_HEADERS": "true" if hold_headers else "false"},
            },
            "code": {"local": {"filename": os.path.abspath(wasm_path)}},
        },
        "configuration": {"@type": "type.googleapis.com/google.protobuf.StringValue",
                          "value": policy_text},
    }
    return to_yaml({"version_info": str(version), "resources": [{
        "@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
        "name": "llm-policy",
        "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                         "config": wasm},
    }]})


def to_yaml(value):
    """Block YAML the way the CLI writes it (filters/cli/src/render.rs `to_yaml`):
    keys sorted, scalars as JSON, multi-line strings as literal blocks when safe."""
    out = []
    _emit(value, 0, out)
    return "".join(out)


def _emit(v, indent, out):
    pad = " " * indent
    if isinstance(v, dict) and v:
        for k in sorted(v):
            out.append(f"{pad}{_key(k)}:")
            _nested(v[k], indent, out)
    elif isinstance(v, list) and v:
        for item in v:
            out.append(f"{pad}-")
            if isinstance(item, dict) and item:
                for i, k in enumerate(sorted(item)):
                    out.append(f" {_key(k)}:" if i == 0 else f"{pad}  {_key(k)}:")
                    _nested(item[k], indent + 2, out)
            else:
                _nested(item, indent, out)
    else:
        out.append(f"{pad}{_scalar(v)}\n")


def _nested(v, indent, out):
    if isinstance(v, (dict, list)) and v:
        out.append("\n")
        _emit(v, indent + 2, out)
    elif isinstance(v, str) and _literal_ok(v):
        out.append(" |\n" if v.endswith("\n") else " |-\n")
        pad = " " * (indent + 2)
        for line in (v[:-1] if v.endswith("\n") else v).split("\n"):
            out.append(f"{pad}{line}\n" if line else "\n")
    else:
        out.append(f" {_scalar(v)}\n")


def _literal_ok(s):
    first = s.split("\n", 1)[0]
    return ("\n" in s and first != "" and not first.startswith(" ") and not s.endswith("\n\n")
            and not any((unicodedata.category(c) == "Cc" and c != "\n") or c in "\u2028\u2029\ufeff"
                        for c in s)
            and not any(line and set(line) == {" "} for line in s.split("\n")))


def _key(k):
    plain = k[:1].isascii() and k[:1].isalpha() and all(
        c.isascii() and (c.isalnum() or c in "_.-/") for c in k)
    return k if plain else _scalar(k)


def _scalar(v):
    """JSON, with the characters YAML 1.1 takes for line breaks or a BOM escaped."""
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    text = json.dumps(v, ensure_ascii=False)
    for c in "\u0085\u2028\u2029\ufeff":
        text = text.replace(c, f"\\u{ord(c):04x}")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", help="an envoy/*.yaml template, or 'ecds' for the ECDS resource")
    parser.add_argument("--policy", help="policy JSON file (default: embedded default)")
    parser.add_argument("values", nargs="*", help="NAME=VALUE")
    args = parser.parse_intermixed_args()
    values = dict(v.split("=", 1) for v in args.values)
    if args.template == "ecds":
        policy = open(args.policy, encoding="utf-8").read() if args.policy else ""
        wasm = values.get("WASM_PATH", DEFAULTS["WASM_PATH"])
        sys.stdout.write(ecds_resource(policy, wasm, values.get("VERSION", "1")))
        return
    try:
        sys.stdout.write(render(args.template, values, args.policy))
    except KeyError as e:
        sys.exit(f"render.py: no value for placeholder {e}")


if __name__ == "__main__":
    main()
