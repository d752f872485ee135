"""Two parsers never disagree on a body the filter judged (issue 11, items 3
and 4): a duplicate key makes a body unscreenable, and a rewrite changes only
the strings it redacts, every number keeping its bytes."""
import json

from harness import request

DUPLICATE = (b'{"model":"llm","messages":[{"role":"user","content":"mail jane.doe@example.com"}],'
             b'"messages":[{"role":"user","content":"hello"}]}')


def test_duplicate_keys_are_refused_on_a_fail_closed_route(envoy, pods):
    before = pods["stable"].request_count("/v1/chat/completions")
    for body in [DUPLICATE,
                 b'{"model":"llm","messages":[{"role":"user","content":"a","content":"b"}]}',
                 b'{"model":"llm","messages":[],"\\u006dessages":[]}']:
        r = request(envoy.url, "POST", "/v1/chat/completions", body=body)
        assert r.status == 400, body
        assert r.json()["error"]["code"] == "duplicate_key"
    assert pods["stable"].request_count("/v1/chat/completions") == before
    assert envoy.metric("llm_policy_request_bodies_total", rule="default",
                        outcome="duplicate_key", action="rejected") == 3


def test_duplicate_keys_are_forwarded_unread_on_a_fail_open_route(make_envoy, pods):
    proxy = make_envoy({"version": 1, "failure_mode": {"screening": "open"},
                        "screening": {"detectors": {"email": {"action": "redact"}}}})
    r = request(proxy.url, "POST", "/v1/chat/completions", body=DUPLICATE)
    assert r.status == 200
    assert pods["stable"].get("/mock/last-request")["body"] == DUPLICATE.decode()


def test_a_redacting_rewrite_keeps_numbers_and_every_other_byte(envoy, pods):
    body = ('{"model": "llm", "seed": 12345678901234567890123, "temperature": 0.70,\n'
            ' "top_p": 1.0, "n": 1e0, "logit_bias": {"50256": -100},\n'
            ' "messages": [{"role": "user", "content": "mail jane.doe@example.com \\u00e9"}]}')
    r = request(envoy.url, "POST", "/v1/chat/completions", body=body.encode())
    assert r.status == 200
    seen = pods["stable"].get("/mock/last-request")["body"]
    assert seen == body.replace("jane.doe@example.com \\u00e9", "[EMAIL] é"), seen
    json.loads(seen)
