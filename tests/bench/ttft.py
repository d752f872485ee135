"""Time to first token through Envoy with the default policy (streamed output
screened) vs a no-filter Envoy, in front of the same mock vLLM pod streaming
one word every TOKEN_DELAY_MS. Used by bench.py."""
import http.client
import json
import statistics
import time

from harness import Envoy, MockPod

TOKEN_DELAY_MS = 20
REQUESTS = 30
REPLY = "Hello there, this is a streamed answer with a few words in it."


def one_stream(url):
    """(ms to the first SSE event, ms to the first non-empty content, ms to [DONE])."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    body = json.dumps({"model": "llm", "stream": True, "mock_reply": REPLY, "mock_leading_space_tokens": True,
                       "messages": [{"role": "user", "content": "hi"}]})
    start = time.perf_counter()
    conn.request("POST", "/v1/chat/completions", body,
                 {"content-type": "application/json", "x-mock-token-delay-ms": str(TOKEN_DELAY_MS)})
    r = conn.getresponse()
    first_event = first_content = None
    buf = b""
    while True:
        data = r.read1(65536)
        if not data:
            break
        now = (time.perf_counter() - start) * 1000
        buf += data
        if first_event is None and b"data:" in buf:
            first_event = now
        if first_content is None:
            for line in buf.split(b"\n"):
                if line.startswith(b"data: {"):
                    choices = json.loads(line[6:]).get("choices") or [{}]
                    if (choices[0].get("delta") or {}).get("content"):
                        first_content = now
                        break
    done = (time.perf_counter() - start) * 1000
    conn.close()
    return first_event, first_content, done


def measure(workdir, wasm):
    """Medians per config and the filter's added time, in ms."""
    pod = MockPod(workdir, "ttft", "llm-ttft")
    pods = dict.fromkeys(("stable", "canary", "fallback"), pod)
    envoys = {}
    try:
        envoys["no-filter"] = Envoy(workdir, pods, template="no-filter.yaml")
        envoys["llm-policy"] = Envoy(workdir, pods, wasm=wasm)
        samples = {name: [] for name in envoys}
        for _ in range(REQUESTS):
            for name, envoy in envoys.items():
                samples[name].append(one_stream(envoy.url))
    finally:
        for envoy in envoys.values():
            envoy.stop()
        pod.stop()
    result = {}
    for name, runs in samples.items():
        result[name] = {key: statistics.median(r[i] for r in runs)
                        for i, key in enumerate(("first_event_ms", "first_content_ms", "done_ms"))}
    result["added_ms"] = {k: result["llm-policy"][k] - result["no-filter"][k] for k in result["no-filter"]}
    return result


def report(result):
    print(f"\ntime to first token, streamed chat ({REQUESTS} requests each, one word every {TOKEN_DELAY_MS} ms)")
    print(f"{'config':<12}{'first event':>13}{'first content':>15}{'[DONE]':>10}")
    for name in ("no-filter", "llm-policy", "added_ms"):
        r = result[name]
        print(f"{name:<12}{r['first_event_ms']:>11.2f}ms{r['first_content_ms']:>13.2f}ms{r['done_ms']:>8.2f}ms")
