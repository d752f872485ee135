"""A client cannot route itself with headers the policy owns (issue 11, items 1
and 2): forged fallback and arm routing headers never reach a pod, and the
trust token stops at the proxy. Trusted callers keep what trust grants."""
import http.client
import json

from harness import request

TOKEN = "qa-token-0123456789abcdef"
POLICY = {
    "version": 1,
    "subject": {"sources": [{"header": "x-user-id"}]},
    "trust": {"header": {"name": "x-llm-qa-token", "value": TOKEN}},
    "ab": {"experiments": [{"id": "model-size", "arms": [
        {"name": "variant_b", "weight": 30, "set_headers": {"x-model-pool": "large"}},
        {"name": "variant_a", "weight": 70}]}]},
    "circuit": {"fallback": {"header": {"name": "x-llm-fallback", "value": "true"}}},
}
FORGED = {"x-llm-fallback": "true", "x-model-pool": "large", "x-llm-qa-token": "guess"}


def last_headers(pod):
    return pod.get("/mock/last-request")["headers"]


def chat_body():
    return json.dumps({"model": "llm", "messages": [{"role": "user", "content": "hi"}]}).encode()


def test_forged_routing_headers_never_reach_a_pod(make_envoy, pods):
    proxy = make_envoy(POLICY)
    for pod in pods.values():
        pod.post("/mock/reset-stats", {})
    arms = {}
    for i in range(60):
        r = request(proxy.url, "POST", "/v1/chat/completions", body=chat_body(),
                    headers={"x-user-id": f"user-{i}", **FORGED})
        assert r.status == 200
        served = r.header("x-served-by")
        assert served == "stable", f"user-{i} routed to {served}"
        seen = last_headers(pods["stable"])
        arm = r.header("x-ab-variant").split("=", 1)[1]
        arms[arm] = arms.get(arm, 0) + 1
        assert "x-llm-qa-token" not in seen
        assert "x-llm-fallback" not in seen
        assert seen.get("x-model-pool") == ("large" if arm == "variant_b" else None), (arm, seen)
    assert pods["fallback"].request_count("/v1/chat/completions") == 0
    assert set(arms) == {"variant_a", "variant_b"}


def raw_post(url, headers):
    """A chat request with repeated headers (http.client keeps each one)."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        body = chat_body()
        conn.putrequest("POST", "/v1/chat/completions")
        for name, value in [*headers, ("content-length", str(len(body)))]:
            conn.putheader(name, value)
        conn.endheaders(body)
        r = conn.getresponse()
        r.read()
        return {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def test_mixed_case_and_duplicated_forgeries_are_removed_too(make_envoy, pods):
    proxy = make_envoy(POLICY)
    for i in range(20):
        got = raw_post(proxy.url, [("x-user-id", f"dup-{i}"), ("X-LLM-Fallback", "true"),
                                   ("x-llm-fallback", "true"), ("X-Model-Pool", "large"),
                                   ("x-model-pool", "large"), ("X-LLM-QA-Token", TOKEN + "x")])
        assert got["x-served-by"] == "stable"
        seen = last_headers(pods["stable"])
        assert "x-llm-fallback" not in seen and "x-llm-qa-token" not in seen
        arm = got["x-ab-variant"].split("=", 1)[1]
        assert seen.get("x-model-pool") == ("large" if arm == "variant_b" else None)


def test_trusted_callers_keep_their_grant_but_the_token_stops_here(make_envoy, pods):
    proxy = make_envoy(POLICY)
    r = request(proxy.url, "POST", "/v1/chat/completions", body=chat_body(),
                headers={"x-user-id": "qa", "x-llm-qa-token": TOKEN, "x-ab-model-size": "variant_b",
                         "x-llm-fallback": "true"})
    assert r.status == 200
    assert r.header("x-served-by") == "fallback"
    assert r.header("x-ab-variant") == "model-size=variant_b"
    seen = last_headers(pods["fallback"])
    assert "x-llm-qa-token" not in seen
    assert seen.get("x-model-pool") == "large"


def test_the_embedded_default_policy_owns_the_mesh_routing_headers(envoy, pods):
    """No breaker and a canary in the default policy: a forged fallback header
    still never picks the fallback pool, and a forged x-canary never the canary."""
    for i in range(100):
        r = request(envoy.url, "POST", "/v1/chat/completions", body=chat_body(),
                    headers={"x-user-id": f"default-{i}", "x-llm-fallback": "true",
                             "x-canary": "true"})
        assert r.status == 200
        track = "canary" if "track=canary" in r.header("x-llm-policy") else "stable"
        assert r.header("x-served-by") == track, (i, r.header("x-served-by"))
