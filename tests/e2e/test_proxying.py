"""The filter in a real Envoy in front of mock vLLM pods: what users see on
ordinary traffic."""
import json
import re
import subprocess

import openai
import pytest

from harness import chat, request


def test_curl_chat_gets_the_echoed_openai_answer(envoy):
    out = subprocess.run(
        ["curl", "-sS", "-i", f"{envoy.url}/v1/chat/completions",
         "-H", "content-type: application/json", "-H", "x-user-id: alice",
         "-d", json.dumps(chat("What is the capital of France?"))],
        capture_output=True, text=True, timeout=30, check=True).stdout
    head, body = out.split("\n\n", 1)  # text mode folds \r\n
    assert head.startswith("HTTP/1.1 200")
    assert "x-served-by: stable" in head
    assert re.search(r"x-llm-policy: rev=default-\d+; rule=default; subject=header; track=", head)
    answer = json.loads(body)
    assert answer["object"] == "chat.completion"
    assert answer["choices"][0]["message"]["content"] == "What is the capital of France?"


def test_body_reaches_the_model_byte_for_byte(envoy, pods):
    body = json.dumps(chat("naïve café ☕", temperature=0.2), ensure_ascii=False).encode()
    r = request(envoy.url, "POST", "/v1/chat/completions", body,
                {"content-type": "application/json"})
    assert r.status == 200
    assert pods["stable"].get("/mock/last-request")["body"].encode() == body


@pytest.mark.parametrize("path,payload,field", [
    ("/v1/completions", {"model": "llm", "prompt": "once upon a time"}, "text"),
    ("/v1/embeddings", {"model": "llm", "input": ["a", "b"]}, None),
])
def test_other_openai_endpoints(envoy, path, payload, field):
    r = request(envoy.url, "POST", path, payload, {"content-type": "application/json"})
    assert r.status == 200, r.body
    if field:
        assert r.json()["choices"][0][field] == "once upon a time"
    else:
        assert len(r.json()["data"]) == 2
    expected_rule = "embeddings" if "embeddings" in path else "default"
    assert f"rule={expected_rule};" in r.header("x-llm-policy")


def test_get_without_body_and_unknown_paths_pass_through(envoy):
    models = request(envoy.url, "GET", "/v1/models")
    assert models.status == 200
    assert models.json()["data"][0]["id"] == "llm-stable"
    unknown = request(envoy.url, "POST", "/v2/unknown", b"not json at all")
    assert unknown.status == 404, "unknown paths are not read: the pod answers"
    assert unknown.header("x-served-by") == "stable"
    assert request(envoy.url, "GET", "/health").status == 200


def test_streamed_chat_passes_through_as_sse(envoy):
    r = request(envoy.url, "POST", "/v1/chat/completions",
                chat("one two three", stream=True, stream_options={"include_usage": True}),
                {"content-type": "application/json"})
    assert r.status == 200
    assert r.header("content-type").startswith("text/event-stream")
    events = [line[6:] for line in r.body.decode().splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "one two three"
    assert chunks[-1]["usage"]["completion_tokens"] == 3


def test_openai_python_sdk_is_a_happy_client(envoy):
    client = openai.OpenAI(base_url=f"{envoy.url}/v1", api_key="unused", max_retries=0)
    reply = client.chat.completions.create(
        model="llm", messages=[{"role": "user", "content": "hello sdk"}])
    assert reply.choices[0].message.content == "hello sdk"
    stream = client.chat.completions.create(
        model="llm", messages=[{"role": "user", "content": "streamed hello"}], stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "streamed hello"


def test_debug_header_can_be_turned_off(make_envoy):
    proxy = make_envoy({"version": 1, "debug_headers": False})
    r = request(proxy.url, "POST", "/v1/chat/completions", chat("hi"))
    assert r.status == 200
    assert r.header("x-llm-policy") is None


def test_route_rules_by_header_prefix_host_and_route_name(make_envoy):
    proxy = make_envoy({
        "version": 1, "revision": "routes-1",
        "subject": {"sources": [{"cookie": "uid"}, {"bearer_claim": "sub"}]},
        "routes": [
            {"name": "batch", "match": {"header": {"name": "x-batch", "value": "yes"}}},
            {"name": "completions", "match": {"prefix": "/v1/completions"}},
            {"name": "tenant", "match": {"host": "*.tenant.test"}},
            {"name": "models", "match": {"route_name": "vllm-stable", "prefix": "/v1/models"}},
        ]})

    def rule_of(method, path, headers=None, body=None):
        r = request(proxy.url, method, path, body, headers)
        assert r.status == 200, r.body
        return r.header("x-llm-policy")

    assert rule_of("POST", "/v1/chat/completions", {"x-batch": "yes"}, chat("x")) == \
        "rev=routes-1; rule=batch; subject=none"
    assert "rule=completions;" in rule_of("POST", "/v1/completions", None,
                                          {"prompt": "p"})
    assert "rule=tenant;" in rule_of("POST", "/v1/chat/completions",
                                     {"host": "a.tenant.test"}, chat("x"))
    assert "rule=models;" in rule_of("GET", "/v1/models")
    assert rule_of("POST", "/v1/chat/completions", {"cookie": "a=b; uid=u7"}, chat("x")) == \
        "rev=routes-1; rule=default; subject=cookie"
    jwt = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.x"
    assert rule_of("POST", "/v1/chat/completions", {"authorization": jwt}, chat("x")) == \
        "rev=routes-1; rule=default; subject=bearer_claim"


def test_header_only_rule_streams_bodies_through_unread(make_envoy, pods):
    proxy = make_envoy({"version": 1, "read_bodies": False, "limits": {"max_body_bytes": 16}})
    r = request(proxy.url, "POST", "/v1/chat/completions", b"{not json, and longer than 16 bytes")
    assert r.status == 400 and r.header("x-served-by") == "stable", "the pod judged it, not the filter"
    assert proxy.metric("llm_policy_request_bodies_total", rule="default", outcome="read",
                        action="forwarded") == 0
