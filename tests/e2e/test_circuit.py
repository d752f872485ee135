"""The circuit breaker through the real Envoy, with the mock pods' fault injection."""
import time

import openai
import pytest

from harness import chat, request

CHAT = "/v1/chat/completions"


def breaker_policy(**circuit):
    base = {"per": "rule", "consecutive_failures": 3, "open_s": 2, "close_after": 2}
    base.update(circuit)
    return {"version": 1, "routes": [
        {"name": "guarded", "match": {"prefix": "/v1/"}, "circuit": base}]}


@pytest.fixture
def failing_stable(pods):
    """The stable pod answers 503 until the test clears it."""
    pods["stable"].post("/mock/faults", {"status": 503, "rate": 1.0})
    yield pods["stable"]
    pods["stable"].post("/mock/faults", {})


def test_opens_answers_fast_with_retry_after_then_half_opens_and_closes(make_envoy, failing_stable):
    proxy = make_envoy(breaker_policy())
    for _ in range(3):
        r = request(proxy.url, "POST", CHAT, chat("x"))
        assert r.status == 503 and r.header("x-served-by") == "stable"
    assert proxy.metric("llm_policy_circuit_state", target="guarded") == 1
    before = failing_stable.request_count(CHAT)
    started = time.monotonic()
    fast = request(proxy.url, "POST", CHAT, chat("x"))
    assert time.monotonic() - started < 0.5
    assert fast.status == 503
    assert fast.header("x-llm-circuit") == "open"
    assert 1 <= int(fast.header("retry-after")) <= 2
    assert fast.json()["error"]["code"] == "circuit_open"
    assert failing_stable.request_count(CHAT) == before, "the upstream was not touched"

    failing_stable.post("/mock/faults", {})  # the pool recovers
    time.sleep(int(fast.header("retry-after")) + 0.2)
    assert request(proxy.url, "POST", CHAT, chat("probe")).status == 200
    assert proxy.metric("llm_policy_circuit_state", target="guarded") == 2, "half-open"
    assert request(proxy.url, "POST", CHAT, chat("again")).status == 200
    assert proxy.metric("llm_policy_circuit_state", target="guarded") == 0, "closed"
    assert proxy.metric("llm_policy_circuit_open_requests_total", target="guarded",
                        action="rejected") == 1


def test_a_failed_probe_reopens(make_envoy, failing_stable):
    proxy = make_envoy(breaker_policy(open_s=1))
    for _ in range(3):
        request(proxy.url, "POST", CHAT, chat("x"))
    time.sleep(1.2)
    assert request(proxy.url, "POST", CHAT, chat("probe")).header("x-served-by") == "stable"
    r = request(proxy.url, "POST", CHAT, chat("x"))
    assert r.header("x-llm-circuit") == "open"


def test_vllm_overload_429_counts_as_failure(make_envoy, pods):
    proxy = make_envoy(breaker_policy())
    for _ in range(3):
        assert request(proxy.url, "POST", CHAT, chat("x"), {"x-mock-status": "429"}).status == 429
    assert request(proxy.url, "POST", CHAT, chat("x")).header("x-llm-circuit") == "open"


def test_open_breaker_reroutes_to_the_fallback_pool(make_envoy, failing_stable):
    proxy = make_envoy(breaker_policy(
        fallback={"header": {"name": "x-llm-fallback", "value": "true"}}))
    for _ in range(3):
        request(proxy.url, "POST", CHAT, chat("x"))
    r = request(proxy.url, "POST", CHAT, chat("rescued"))
    assert r.status == 200
    assert r.header("x-served-by") == "fallback"
    assert r.json()["choices"][0]["message"]["content"] == "rescued"


def test_state_is_shared_by_all_workers(make_envoy, failing_stable):
    proxy = make_envoy(breaker_policy(), concurrency=2)
    for _ in range(3):
        request(proxy.url, "POST", CHAT, chat("x"))
    # New connections land on either worker: all of them see the open breaker.
    for _ in range(10):
        assert request(proxy.url, "POST", CHAT, chat("x")).header("x-llm-circuit") == "open"


def test_per_cluster_breakers_are_shared_by_workers_and_kept_apart(make_envoy, failing_stable):
    policy = breaker_policy(per="cluster")
    # Only a trusted caller may choose the fallback pool itself.
    policy["routes"][0]["trust"] = {"header": {"name": "x-qa", "value": "qa-token-0123456789"}}
    proxy = make_envoy(policy, concurrency=2)
    for _ in range(3):
        assert request(proxy.url, "POST", CHAT, chat("x")).status == 503
    for _ in range(6):
        assert request(proxy.url, "POST", CHAT, chat("x")).header("x-llm-circuit") == "open"
    assert proxy.metric("llm_policy_circuit_state", target="vllm-stable") == 1
    other = request(proxy.url, "POST", CHAT, chat("x"),
                    {"x-llm-fallback": "true", "x-qa": "qa-token-0123456789"})
    assert other.status == 200 and other.header("x-served-by") == "fallback", "its own breaker"


def test_retry_and_timeout_headers_reach_envoy(make_envoy, pods):
    proxy = make_envoy(breaker_policy(consecutive_failures=100,
                                      retry={"max_retries": 2, "retry_on": "5xx"}))
    before = pods["stable"].request_count(CHAT)
    r = request(proxy.url, "POST", CHAT, chat("x"), {"x-mock-status": "503"})
    assert r.status == 503
    assert pods["stable"].request_count(CHAT) - before == 3, "one try and two retries"


def test_openai_sdk_honours_retry_after(make_envoy, failing_stable):
    proxy = make_envoy(breaker_policy(open_s=2))
    client = openai.OpenAI(base_url=f"{proxy.url}/v1", api_key="unused", max_retries=0)
    for _ in range(3):
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="llm", messages=[{"role": "user", "content": "x"}])
    with pytest.raises(openai.InternalServerError) as refused:
        client.chat.completions.create(model="llm", messages=[{"role": "user", "content": "x"}])
    assert refused.value.response.headers["x-llm-circuit"] == "open"
    assert refused.value.code == "circuit_open"

    failing_stable.post("/mock/faults", {})
    patient = openai.OpenAI(base_url=f"{proxy.url}/v1", api_key="unused", max_retries=3)
    started = time.monotonic()
    reply = patient.chat.completions.create(
        model="llm", messages=[{"role": "user", "content": "after the wait"}])
    assert reply.choices[0].message.content == "after the wait"
    waited = time.monotonic() - started
    assert proxy.metric("llm_policy_circuit_open_requests_total", target="guarded",
                        action="rejected") == 2, "the SDK's first try met the open breaker"
    assert waited >= 0.9, f"the SDK retried after {waited:.2f} s, before retry-after"


def stream(proxy, headers):
    """A streamed chat; returns (status, body bytes) or (None, b"") if the stream broke."""
    try:
        r = request(proxy.url, "POST", CHAT,
                    chat("a b c d e f", stream=True), headers, timeout=10)
        return r.status, r.body
    except Exception:  # noqa: BLE001 - a broken stream is what we provoke
        return None, b""


@pytest.mark.parametrize("name,circuit,headers", [
    ("stalled stream", {"stream_idle_timeout_ms": 200},
     {"x-mock-token-delay-ms": "400"}),
    ("slow first token", {"first_token_timeout_ms": 150},
     {"x-mock-delay-ms": "300"}),
    ("stream aborted midway", {},
     {"x-mock-stall-after": "2", "x-mock-stall-ms": "100"}),
])
def test_llm_specific_failures_open_the_breaker(make_envoy, name, circuit, headers):
    proxy = make_envoy(breaker_policy(consecutive_failures=2, **circuit))
    for _ in range(2):
        stream(proxy, headers)
    assert proxy.metric("llm_policy_circuit_state", target="guarded") == 1, name
    healthy = make_envoy(breaker_policy(consecutive_failures=2, **circuit))
    for _ in range(3):
        assert stream(healthy, {})[0] == 200
    assert healthy.metric("llm_policy_circuit_state", target="guarded") == 0, "healthy streams pass"
