"""The circuit breaker across Envoy workers (--concurrency 2): each worker
keeps a copy of the breaker and re-reads the shared one on its root tick
(1 s), so a breaker opened by one worker is honoured by every worker within
one tick, even while the target looks healthy to the others."""
import time

from harness import chat, request

CHAT = "/v1/chat/completions"
TICK_S = 1.0


def test_a_breaker_opened_on_one_worker_is_honoured_by_every_worker_within_one_tick(make_envoy, pods):
    policy = {"version": 1, "routes": [{"name": "guarded", "match": {"prefix": "/v1/"},
              "circuit": {"per": "rule", "consecutive_failures": 1, "open_s": 30}}]}
    proxy = make_envoy(policy, concurrency=2)
    stable = pods["stable"]
    # Warm both workers' copies with healthy requests on fresh connections.
    for _ in range(10):
        assert request(proxy.url, "POST", CHAT, chat("x")).status == 200
    stable.post("/mock/faults", {"status": 503, "rate": 1.0})
    try:
        # One failure opens it, on one worker: the other's copy stays healthy.
        r = request(proxy.url, "POST", CHAT, chat("x"))
        assert r.status == 503 and r.header("x-served-by") == "stable"
    finally:
        stable.post("/mock/faults", {})
    # The pool is healthy again: a worker that had not seen the breaker open
    # would keep admitting; after one tick every worker refuses.
    time.sleep(TICK_S + 0.3)
    before = stable.request_count(CHAT)
    for _ in range(20):
        r = request(proxy.url, "POST", CHAT, chat("x"))
        assert r.status == 503 and r.header("x-llm-circuit") == "open"
    assert stable.request_count(CHAT) == before, "no worker reached the pool"
