"""The bench's target table and request bodies (no Envoy; the last test starts a mock vLLM pod)."""
import json

import bodies
import targets


def test_verdicts_follow_the_bound():
    t = targets.TARGETS["instructions.1024.llm-policy"]
    assert t.verdict(120_000) == "PASS" and t.verdict(120_001) == "MISS"
    assert targets.TARGETS["screening.native"].verdict(1199) == "MISS"
    assert targets.TARGETS["added_p99.65536.llm-policy"].verdict(1500) == "MISS"
    assert targets.line("unloaded_p50.llm-policy", 148).endswith("→ report")
    assert targets.line("rss.c2.header-only", None).endswith("not measured")


def test_line_names_issue_bound_and_value():
    line = targets.line("instructions.sse-500.header-only", 19_438.2)
    assert line == ("target (issue 15): header-only policy over the empty filter per SSE event (sse-500)"
                    " ≤ +2,000 per event: measured +19,438 per event → MISS")


def test_every_issue_15_target_is_in_the_table():
    issue15 = {k for k, t in targets.TARGETS.items() if t.issue == 15}
    assert {"instructions.1024.header-only", "instructions.1024.llm-policy", "instructions.16384.llm-policy",
            "instructions.sse-500.llm-policy", "instructions.sse-500.header-only", "core_per_byte.65536",
            "rss.c2.llm-policy", "rss.slope.llm-policy", "rss.c2.header-only", "throughput.16384.llm-policy",
            "added_p99.65536.llm-policy", "screening.native", "screening.wasm_v8",
            "unloaded_p50.header-only", "unloaded_p50.llm-policy"} <= issue15


def test_chat_bodies_are_exact_json_of_their_size():
    for size in (1024, 16384, 65536):
        body = bodies.chat_body(size)
        assert len(body) == size
        assert json.loads(body)["messages"][0]["role"] == "user"


def test_sse_body_asks_the_mock_for_the_streamed_answer():
    req = json.loads(bodies.sse_body())
    assert req["stream"] is True and req["mock_pad"] == 2000 and req["mock_token_chars"] == 4
    assert bodies.SSE_EVENTS == 503


def test_sse_events_counts_events_and_needs_done():
    assert bodies.sse_events(b"data: {}\n\ndata: {}\n\ndata: [DONE]\n\n") == 3
    try:
        bodies.sse_events(b"data: {}\n\n")
    except RuntimeError:
        return
    raise AssertionError("a stream without [DONE] was accepted")


def test_the_mock_streams_sse_500_as_503_events(tmp_path):
    import http.client
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
    from harness import MockPod
    pod = MockPod(tmp_path, "stable", "llm")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", pod.port, timeout=30)
        conn.request("POST", "/v1/chat/completions", body=bodies.sse_body(),
                     headers={"content-type": "application/json"})
        data = conn.getresponse().read()
        conn.close()
    finally:
        pod.stop()
    assert bodies.sse_events(data) == bodies.SSE_EVENTS
    text = "".join(json.loads(line[6:])["choices"][0]["delta"].get("content", "")
                   for line in data.split(b"\n") if line.startswith(b"data: {"))
    assert len(text) == bodies.SSE_CHARS
