"""Policies: an invalid one stops Envoy with a line naming the field; the CLI
and the JSON Schema judge every file under policies/ the same way."""
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from harness import CLI, ROOT, Envoy

POLICIES = ROOT / "policies"


def all_policy_files():
    return sorted(p for p in POLICIES.rglob("*.json") if p.name != "policy.schema.json")


def test_invalid_policy_at_start_is_refused_naming_the_field(workdir, pods):
    proxy = Envoy(workdir, pods, (POLICIES / "invalid" / "typo-prefx.json").read_text(),
                  expect_start=False)
    try:
        assert proxy.wait_exit() != 0
        log = proxy.process.log()
        assert ("policy refused: routes[2].match.prefx: unknown field, "
                "expected one of: prefix, route_name, host, header") in log
    finally:
        proxy.stop()


def test_cli_names_the_field_and_exits_nonzero():
    bad = subprocess.run([str(CLI), "validate", str(POLICIES / "invalid" / "typo-prefx.json")],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "routes[2].match.prefx: unknown field" in bad.stdout
    good = subprocess.run([str(CLI), "validate", str(POLICIES / "default.json")],
                          capture_output=True, text=True)
    assert good.returncode == 0 and "ok (revision default-" in good.stdout


@pytest.mark.parametrize("path", all_policy_files(), ids=lambda p: str(p.relative_to(POLICIES)))
def test_schema_and_filter_agree(path):
    schema = json.loads((POLICIES / "policy.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(path.read_text())))
    # the examples take their trust token from the environment (value_env)
    env = {**os.environ, "LLM_POLICY_TRUST_TOKEN": "example-trust-token-0123456789"}
    cli = subprocess.run([str(CLI), "validate", str(path)], capture_output=True, text=True, env=env)
    filter_ok = cli.returncode == 0
    schema_ok = not errors
    assert schema_ok == filter_ok, f"schema says {errors[:1]}, filter says {cli.stdout}"
    assert filter_ok == (path.parent.name != "invalid")


def test_stats_tags_in_the_envoy_template_match_the_cli():
    tags = json.loads(subprocess.run([str(CLI), "stats-tags"], capture_output=True,
                                     text=True, check=True).stdout)
    template = (ROOT / "envoy" / "llm-policy.yaml").read_text()
    for tag in tags:
        assert f"tag_name: {tag['tag_name']}, regex: '{tag['regex']}'" in template


def test_explain_predicts_what_the_filter_does(envoy, tmp_path):
    """The CLI's explanation and the real filter agree on headers and arms."""
    from harness import chat, request  # noqa: PLC0415
    body = tmp_path / "body.json"
    body.write_text(json.dumps(chat("hello")))
    for user in ("alice", "bob", "user-9", "user-11"):
        out = subprocess.run([str(CLI), "explain", str(POLICIES / "default.json"),
                              "-H", f"x-user-id: {user}", "--body", str(body)],
                             capture_output=True, text=True, check=True).stdout
        predicted = dict(line.removeprefix("sets response header: ").split(": ", 1)
                         for line in out.splitlines() if line.startswith("sets response header: "))
        r = request(envoy.url, "POST", "/v1/chat/completions", chat("hello"), {"x-user-id": user})
        assert r.status == 200
        assert r.header("x-ab-variant") == predicted["x-ab-variant"], user
        assert r.header("x-llm-policy") == predicted["x-llm-policy"], user
        assert "body: read (1 text fields" in out


def test_explain_shows_refusals_and_names_a_bad_policy(tmp_path):
    body = tmp_path / "bad.json"
    body.write_bytes(b'{"messages": [')
    out = subprocess.run([str(CLI), "explain", str(POLICIES / "default.json"), "--body", str(body)],
                         capture_output=True, text=True, check=True).stdout
    assert "body: invalid_json → refused with 400" in out
    bad = subprocess.run([str(CLI), "explain", str(POLICIES / "invalid" / "typo-prefx.json")],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "routes[2].match.prefx" in bad.stdout


def test_explain_predicts_screening(envoy, pods, tmp_path):
    """explain names the findings and prints the body the model will get."""
    from harness import chat, request  # noqa: PLC0415
    text = "mail jane.doe@example.com, card 4111 1111 1111 1111"
    body = tmp_path / "body.json"
    body.write_text(json.dumps(chat(text)))
    out = subprocess.run([str(CLI), "explain", str(POLICIES / "default.json"), "--body", str(body)],
                         capture_output=True, text=True, check=True).stdout
    assert "screening: email (pii) → redact ×1, card (pii) → redact ×1" in out
    predicted = json.loads(out.split("; rewritten to ", 1)[1].splitlines()[0])
    r = request(envoy.url, "POST", "/v1/chat/completions", chat(text))
    seen = json.loads(pods["stable"].get("/mock/last-request")["body"])
    assert seen == predicted
    body.write_text(json.dumps(chat("how to make explosives")))
    out = subprocess.run([str(CLI), "explain", str(POLICIES / "default.json"), "--body", str(body)],
                         capture_output=True, text=True, check=True).stdout
    assert "banned (category) → block ×1 → blocked with 400" in out
    r = request(envoy.url, "POST", "/v1/chat/completions", chat("how to make explosives"))
    assert r.status == 400
