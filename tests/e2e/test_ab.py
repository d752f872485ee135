"""Sticky A/B arms through the real Envoy: the Python reference's buckets,
stickiness across workers and proxies, trust, arm actions and per-arm metrics."""
import hashlib
import random

import pytest

from harness import chat, request

# Ten experiments with different splits: one request decides ten vectors.
SPLITS = [0.05, 0.1, 0.25, 0.3, 0.33, 0.5, 0.62, 0.75, 0.9, 0.99]
EXPERIMENTS = [f"exp-{i}" for i in range(len(SPLITS))]


def reference_variant(experiment_id, user_id, traffic_split):
    """The widely used Python reference, verbatim."""
    h = int(hashlib.md5(f"{experiment_id}:{user_id}".encode()).hexdigest(), 16)
    return "variant_b" if (h % 100) / 100 < traffic_split else "variant_a"


def two_arm(exp_id, split):
    b = round(split * 100)
    return {"id": exp_id, "arms": [{"name": "variant_b", "weight": b},
                                   {"name": "variant_a", "weight": 100 - b}]}


VECTOR_POLICY = {
    "version": 1, "revision": "vectors",
    "subject": {"sources": [{"header": "x-user-id"}]},
    "ab": {"experiments": [two_arm(e, s) for e, s in zip(EXPERIMENTS, SPLITS)]},
}


def arms_of(response):
    value = response.header("x-ab-variant") or ""
    return dict(pair.split("=", 1) for pair in value.split(", ") if pair)


def subjects(n, seed):
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_@."
    return [f"{i}-" + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24)))
            for i in range(n)]


def test_filter_agrees_with_the_python_reference_on_10000_vectors(make_envoy):
    proxy = make_envoy(VECTOR_POLICY)
    users = subjects(1000, seed=7)
    mismatches = []
    for user in users:
        got = arms_of(request(proxy.url, "GET", "/v1/models", headers={"x-user-id": user}))
        for exp, split in zip(EXPERIMENTS, SPLITS):
            if got.get(exp) != reference_variant(exp, user, split):
                mismatches.append((exp, user, split, got.get(exp)))
    assert len(users) * len(EXPERIMENTS) == 10_000
    assert not mismatches, mismatches[:5]


def test_reference_examples_from_the_issue(make_envoy):
    proxy = make_envoy({"version": 1, "subject": {"sources": [{"header": "x-user-id"}]},
                        "ab": {"experiments": [two_arm("exp1", 0.5), two_arm("model-size", 0.3),
                                               two_arm("prompt-v2", 0.1)]}})
    def arm(user):
        return arms_of(request(proxy.url, "GET", "/v1/models", headers={"x-user-id": user}))
    assert arm("user-1")["exp1"] == "variant_b"
    assert arm("user-2")["exp1"] == "variant_a"
    assert arm("alice")["model-size"] == "variant_b"
    assert arm("42")["prompt-v2"] == "variant_a"


def test_sticky_across_workers_and_across_proxies(make_envoy):
    one = make_envoy(VECTOR_POLICY, concurrency=2)
    two = make_envoy(VECTOR_POLICY, concurrency=2)
    users = subjects(1000, seed=11)
    first = {u: arms_of(request(one.url, "GET", "/v1/models", headers={"x-user-id": u}))
             for u in users}
    for proxy in (one, two):
        for u in users:
            again = arms_of(request(proxy.url, "GET", "/v1/models", headers={"x-user-id": u}))
            assert again == first[u], u


ROUTING_POLICY = {
    "version": 1,
    "subject": {"sources": [{"header": "x-user-id"}]},
    "trust": {"header": {"name": "x-qa-token", "value": "s3cret"}},
    "ab": {"experiments": [
        {"id": "pool", "arms": [
            {"name": "fallback", "weight": 50, "set_headers": {"x-llm-fallback": "true"},
             "model": "big-model", "system_prompt": "Be brief."},
            {"name": "stable", "weight": 50}]},
        {"id": "anon", "no_subject": "random_sticky", "subject": {"sources": [{"header": "x-nobody"}]},
         "arms": [{"name": "on", "weight": 50}, {"name": "off", "weight": 50}]},
    ]},
}


def user_in(arm, exp="pool", weights=(50, 50), names=("fallback", "stable")):
    for i in range(1000):
        user = f"user-{i}"
        h = int(hashlib.md5(f"{exp}:{user}".encode()).hexdigest(), 16) % 100
        if (names[0] if h < weights[0] else names[1]) == arm:
            return user
    raise AssertionError("no user found")


def test_arm_headers_route_and_body_edits_reach_the_model(make_envoy, pods):
    proxy = make_envoy(ROUTING_POLICY)
    r = request(proxy.url, "POST", "/v1/chat/completions",
                chat("hello", model="small"), {"x-user-id": user_in("fallback")})
    assert r.status == 200, r.body
    assert r.header("x-served-by") == "fallback", "the arm's header re-matched the route"
    seen = pods["fallback"].get("/mock/last-request")
    body = __import__("json").loads(seen["body"])
    assert body["model"] == "big-model"
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["messages"][1]["content"] == "hello"
    assert "content-length" not in seen["headers"] or \
        int(seen["headers"]["content-length"]) == len(seen["body"].encode())
    assert seen["headers"]["x-ab-pool"] == "fallback"

    stable = request(proxy.url, "POST", "/v1/chat/completions", chat("hi", model="small"),
                     {"x-user-id": user_in("stable")})
    assert stable.header("x-served-by") == "stable"
    assert stable.header("x-requested-model") == "small", "no edit for the control arm"


def test_clients_cannot_choose_their_arm_unless_trusted(make_envoy, pods):
    proxy = make_envoy(ROUTING_POLICY)
    user = user_in("stable")
    forged = request(proxy.url, "GET", "/v1/models",
                     headers={"x-user-id": user, "x-ab-pool": "fallback",
                              "x-qa-token": "wrong"})
    assert arms_of(forged)["pool"] == "stable"
    assert forged.header("x-seen-x-ab-pool") == "stable", "the incoming copy was overwritten"
    trusted = request(proxy.url, "GET", "/v1/models",
                      headers={"x-user-id": user, "x-ab-pool": "fallback",
                               "x-qa-token": "s3cret"})
    assert arms_of(trusted)["pool"] == "fallback"
    assert trusted.header("x-served-by") == "fallback"


def test_random_sticky_arm_is_kept_by_cookie(make_envoy):
    proxy = make_envoy(ROUTING_POLICY)
    first = request(proxy.url, "GET", "/v1/models")
    cookie = first.header("set-cookie")
    assert cookie and cookie.startswith("llm-ab-anon=") and "HttpOnly" in cookie
    arm = arms_of(first)["anon"]
    token = cookie.split(";", 1)[0]
    for _ in range(5):
        again = request(proxy.url, "GET", "/v1/models", headers={"cookie": token})
        assert arms_of(again)["anon"] == arm
        assert again.header("set-cookie") is None
    assert arms_of(first)["pool"] == "stable", "no subject: the control arm (last listed)"


def test_per_arm_metrics_count_requests_errors_latency_and_tokens(make_envoy):
    proxy = make_envoy(ROUTING_POLICY)
    fb, st = user_in("fallback"), user_in("stable")
    for _ in range(3):
        assert request(proxy.url, "POST", "/v1/chat/completions", chat("one two three"),
                       {"x-user-id": fb}).status == 200
    r = request(proxy.url, "POST", "/v1/chat/completions",
                chat("four five", stream=True, stream_options={"include_usage": True}),
                {"x-user-id": st})
    assert r.status == 200
    assert request(proxy.url, "POST", "/v1/chat/completions", chat("x"),
                   {"x-user-id": st, "x-mock-status": "503"}).status == 503
    m = proxy.metric
    assert m("llm_policy_ab_requests_total", experiment="pool", arm="fallback") == 3
    assert m("llm_policy_ab_requests_total", experiment="pool", arm="stable") == 2
    assert m("llm_policy_ab_responses_total", experiment="pool", arm="stable", **{"class": "5xx"}) == 1
    assert m("llm_policy_ab_responses_total", experiment="pool", arm="fallback", **{"class": "2xx"}) == 3
    # fallback arm: the system prompt adds two words to each prompt (mock counts words).
    assert m("llm_policy_ab_tokens_total", experiment="pool", arm="fallback", kind="completion") == 9
    assert m("llm_policy_ab_tokens_total", experiment="pool", arm="stable", kind="completion") == 2
    assert m("llm_policy_ab_tokens_total", experiment="pool", arm="stable", kind="prompt") == 2
    text = proxy.prometheus()
    assert 'llm_policy_ab_latency_ms_bucket{experiment="pool",arm="fallback"' in text, \
        "latency histogram per arm"


def test_any_id_the_reference_accepts_keeps_its_buckets_with_a_safe_label(make_envoy):
    ids = ["temp-0.2", "model v2/α", "ranker@2026.11"]
    proxy = make_envoy({
        "version": 1, "subject": {"sources": [{"header": "x-user-id"}]},
        "ab": {"experiments": [two_arm(e, 0.5) for e in ids]},
    })
    labels = {"temp-0.2": "temp-0_2", "model v2/α": "model_v2___", "ranker@2026.11": "ranker_2026_11"}
    for user in subjects(200, seed=3):
        got = arms_of(request(proxy.url, "GET", "/v1/models", headers={"x-user-id": user}))
        assert got == {labels[e]: reference_variant(e, user, 0.5) for e in ids}, user
    total = sum(proxy.metric("llm_policy_ab_requests_total", experiment="temp-0_2", arm=arm) or 0
                for arm in ("variant_a", "variant_b"))
    assert total == 200
