#!/usr/bin/env python3
"""Latency a guard model adds beyond its own time, through a real Envoy: the
same policy with and without a moderation guard (verdict cache off, so every
request calls it), the mock guard answering in --guard-ms; requests one at a
time over one keep-alive connection, alternating between the two Envoys.
Also the header-time cost of a guarded policy on a request that sends
nothing to the guard (GET /v1/models). Prints medians; writes
target/bench/guards.json.

    .venv/bin/python tests/bench/guards.py [--requests N] [--guard-ms MS]
"""
import argparse
import http.client
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from harness import Envoy, MockGuards, MockPod  # noqa: E402

GUARD = {"name": "moderation", "protocol": "openai_moderation", "cluster": "guard",
         "timeout_ms": 1000, "cache": {"entries": 0}}


def policy(guarded):
    screening = {"detectors": {"email": {"action": "redact"}}}
    if guarded:
        screening["guards"] = [GUARD]
    return {"version": 1, "screening": screening}


def timed(conn, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"content-type": "application/json"} if data else {}
    t0 = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    r.read()
    elapsed = time.perf_counter() - t0
    if r.status != 200:
        raise RuntimeError(f"{method} {path}: {r.status}")
    return elapsed * 1e3


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--guard-ms", type=int, default=5)
    p.add_argument("--aa", action="store_true",
                   help="both Envoys without the guard: the noise floor of the comparison")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="bench-guards-")
    pods = {n: MockPod(work, n, f"llm-{n}") for n in ("stable", "canary", "fallback")}
    guards = MockGuards(work)
    envoys = []
    try:
        guards.post("/mock/faults", {"delay_ms": args.guard_ms})
        values = {"GUARD_PORT": str(guards.port)}
        kinds = (False, False) if args.aa else (False, True)
        envoys = [Envoy(work, pods, policy(g), values=values) for g in kinds]
        conns = [http.client.HTTPConnection("127.0.0.1", e.port, timeout=10) for e in envoys]
        direct = http.client.HTTPConnection("127.0.0.1", guards.port, timeout=10)
        chat = {"post": [[], []], "get": [[], []], "guard": []}
        for i in range(args.requests + 20):
            body = {"model": "llm", "messages": [{"role": "user", "content": f"hello number {i}"}]}
            for k, conn in enumerate(conns):
                post = timed(conn, "POST", "/v1/chat/completions", body)
                if i >= 20:  # warm-up
                    chat["post"][k].append(post)
            own = timed(direct, "POST", "/v1/moderations", {"input": [f"hello number {i}"]})
            if i >= 20:
                chat["guard"].append(own)
        # Header-only requests on their own (no guarded request just before).
        for i in range(args.requests + 20):
            for k, conn in enumerate(conns):
                get = timed(conn, "GET", "/v1/models")
                if i >= 20:
                    chat["get"][k].append(get)
        med = statistics.median
        plain, guarded = med(chat["post"][0]), med(chat["post"][1])
        own = med(chat["guard"])
        paired = med(g - p for p, g in zip(chat["post"][0], chat["post"][1]))
        result = {
            "requests": args.requests,
            "guard_ms": args.guard_ms,
            "p50_ms_without_guard": round(plain, 3),
            "p50_ms_with_guard": round(guarded, 3),
            "p50_ms_guard_direct": round(own, 3),
            "p50_ms_added_beyond_guard": round(paired - own, 3),
            "p50_ms_header_only_without_guard": round(med(chat["get"][0]), 3),
            "p50_ms_header_only_with_guard": round(med(chat["get"][1]), 3),
        }
        out = ROOT / "target" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "guards.json").write_text(json.dumps(result, indent=2))
        for k, v in result.items():
            print(f"{k:<36}{v}")
        return 0
    finally:
        for e in envoys:
            e.stop()
        guards.stop()
        for pod in pods.values():
            pod.stop()


if __name__ == "__main__":
    sys.exit(main())
