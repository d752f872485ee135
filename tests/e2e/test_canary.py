"""Canary routing through the real Envoy: header routing as the Istio
VirtualService expects, a sticky weighted share, and the automatic halt."""
import hashlib
import time

import pytest

from harness import chat, request

CHAT = "/v1/chat/completions"


def on_canary(subject, percent):
    return int(hashlib.md5(f"canary:{subject}".encode()).hexdigest(), 16) % 1_000_000 < percent * 10_000


def canary_policy(percent, **halt):
    policy = {"version": 1, "subject": {"sources": [{"header": "x-user-id"}]},
              "trust": {"header": {"name": "x-qa-token", "value": "s3cret"}},
              "canary": {"weight_percent": percent}}
    if halt:
        policy["canary"]["halt"] = halt
    return policy


def test_sticky_weighted_share_routes_through_the_canary_header(make_envoy):
    proxy = make_envoy(canary_policy(30))
    users = [f"user-{i}" for i in range(300)]
    for user in users:
        r = request(proxy.url, "GET", "/v1/models", headers={"x-user-id": user})
        expected = "canary" if on_canary(user, 30) else "stable"
        assert r.header("x-served-by") == expected, user
        assert r.header("x-seen-x-canary") == ("true" if expected == "canary" else "false")
        assert r.header("x-llm-policy").endswith(f"track={expected}")
    share = sum(on_canary(u, 30) for u in users) / len(users)
    assert 0.2 < share < 0.4
    assert proxy.metric("llm_policy_canary_requests_total", rule="default", track="canary") == \
        sum(on_canary(u, 30) for u in users)


def test_fractions_of_a_percent(make_envoy):
    proxy = make_envoy(canary_policy(0.5))
    lucky = next(f"u{i}" for i in range(10_000) if on_canary(f"u{i}", 0.5))
    unlucky = next(f"u{i}" for i in range(10_000) if not on_canary(f"u{i}", 0.5))
    assert request(proxy.url, "GET", "/v1/models", headers={"x-user-id": lucky}).header("x-served-by") == "canary"
    assert request(proxy.url, "GET", "/v1/models", headers={"x-user-id": unlucky}).header("x-served-by") == "stable"


def test_x_canary_from_untrusted_callers_is_replaced_and_honoured_from_trusted(make_envoy):
    proxy = make_envoy(canary_policy(0))
    forged = request(proxy.url, "GET", "/v1/models", headers={"x-user-id": "u", "x-canary": "true"})
    assert forged.header("x-served-by") == "stable"
    assert forged.header("x-seen-x-canary") == "false"
    trusted = request(proxy.url, "GET", "/v1/models",
                      headers={"x-user-id": "u", "x-canary": "true", "x-qa-token": "s3cret"})
    assert trusted.header("x-served-by") == "canary"


@pytest.fixture
def failing_canary(pods):
    pods["canary"].post("/mock/faults", {"status": 503, "rate": 1.0})
    yield pods["canary"]
    pods["canary"].post("/mock/faults", {})


def wait_for_halt(proxy, reason, timeout=5.0):
    """Halts are judged on the root context's one-second tick."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proxy.metric("llm_policy_canary_halts_total", rule="default", reason=reason) >= 1:
            return
        time.sleep(0.1)
    raise AssertionError(f"no {reason} halt within {timeout}s")


def test_failing_canary_halts_on_this_proxy_then_resumes(make_envoy, failing_canary):
    proxy = make_envoy(canary_policy(50, window_s=30, min_requests=5, cooldown_s=6), concurrency=2)
    canary_users = [f"c{i}" for i in range(2000) if on_canary(f"c{i}", 50)][:10]
    stable_users = [f"s{i}" for i in range(2000) if not on_canary(f"s{i}", 50)][:10]
    # the halt cannot start before this; seeing it (metrics flush on the tick) may lag it
    failing_since = time.monotonic()
    for c, s in zip(canary_users, stable_users):
        assert request(proxy.url, "POST", CHAT, chat("x"), {"x-user-id": c}).status == 503
        ok = request(proxy.url, "POST", CHAT, chat("x"), {"x-user-id": s})
        assert ok.status == 200 and ok.header("x-served-by") == "stable"
    wait_for_halt(proxy, "error_rate")
    halted_at = time.monotonic()
    time.sleep(0.1)
    assert proxy.metric("llm_policy_canary_halts_total", rule="default", reason="error_rate") == 1
    assert "canary of rule default halted on this proxy for 6 s: error rate" in proxy.process.log()
    for user in canary_users + stable_users[:3]:
        r = request(proxy.url, "POST", CHAT, chat("x"), {"x-user-id": user})
        assert r.status == 200 and r.header("x-served-by") == "stable", f"halted: all on stable ({user}, {r.header('x-llm-policy')})"
        assert r.header("x-llm-policy").endswith("track=stable")
    assert proxy.metric("llm_policy_canary_halted", rule="default") == 1

    failing_canary.post("/mock/faults", {})
    while True:  # the cool-down is 6 s
        resumed = request(proxy.url, "POST", CHAT, chat("back"), {"x-user-id": canary_users[0]})
        if resumed.header("x-served-by") == "canary":
            break
        assert time.monotonic() - halted_at < 10, "the canary did not resume after the cool-down"
        time.sleep(0.2)
    assert resumed.status == 200
    # 6 s cool-down, less at most one 1 s tick for the per-worker halt copies
    assert time.monotonic() - failing_since > 5, "not before the cool-down"


def test_slow_canary_halts_on_p95(make_envoy, pods):
    proxy = make_envoy(canary_policy(50, min_requests=5, max_p95_ms=100, cooldown_s=30))
    canary_users = [f"p{i}" for i in range(2000) if on_canary(f"p{i}", 50)][:8]
    for user in canary_users[:5]:
        request(proxy.url, "POST", CHAT, chat("x"), {"x-user-id": user, "x-mock-delay-ms": "250"})
    wait_for_halt(proxy, "p95")
    time.sleep(0.1)
    assert request(proxy.url, "GET", "/v1/models",
                   headers={"x-user-id": canary_users[6]}).header("x-served-by") == "stable"
