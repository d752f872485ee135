"""Metrics reach /stats/prometheus with their labels and exact counts."""
from harness import chat, request


def test_requests_bodies_and_replies_are_counted(make_envoy):
    proxy = make_envoy({"version": 1, "routes": [
        {"name": "emb", "match": {"prefix": "/v1/embeddings"}}]})
    for _ in range(3):
        assert request(proxy.url, "POST", "/v1/chat/completions", chat("x")).status == 200
    assert request(proxy.url, "POST", "/v1/embeddings", {"input": "x"}).status == 200
    assert request(proxy.url, "GET", "/v1/models").status == 200
    assert request(proxy.url, "POST", "/v1/chat/completions", b"{").status == 400

    m = proxy.metric
    assert m("llm_policy_requests_total", rule="default", endpoint="chat_completions") == 4
    assert m("llm_policy_requests_total", rule="emb", endpoint="embeddings") == 1
    assert m("llm_policy_requests_total", rule="default", endpoint="other") == 1
    assert m("llm_policy_request_bodies_total", rule="default", outcome="read",
             action="forwarded") == 3
    assert m("llm_policy_request_bodies_total", rule="default", outcome="invalid_json",
             action="rejected") == 1
    assert m("llm_policy_local_replies_total", rule="default", code="invalid_json") == 1
    assert m("llm_policy_config_loads_total", outcome="loaded") >= 1
    assert "# TYPE llm_policy_requests_total counter" in proxy.prometheus()
