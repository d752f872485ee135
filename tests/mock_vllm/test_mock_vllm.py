"""End-to-end tests for the mock vLLM server, each server run as a subprocess on a free port."""

import base64
import http.client
import json
import os
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER = Path(__file__).with_name("mock_vllm.py")
CHAT = "/v1/chat/completions"


class MockProcess:
    """A mock server subprocess in its own process group, stopped only via that group."""

    def __init__(self, *args):
        cmd = [sys.executable, str(SERVER), "--port", "0", *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, start_new_session=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("LISTENING "):
            self.stop(signal.SIGKILL)
            raise RuntimeError(f"mock server did not start: {line!r}")
        self.port = int(line.split()[1])

    def stop(self, sig=signal.SIGTERM, timeout=5):
        """Send `sig` to the process group and return the exit code."""
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, sig)
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise
        finally:
            self.proc.stdout.close()


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def send(conn, method, path, body=None, headers=None):
    """One request on `conn`; dict bodies are sent as JSON, str/bytes as-is."""
    if isinstance(body, dict):
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())


def call(port, method, path, body=None, headers=None):
    """One request on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        return send(conn, method, path, body, headers)
    finally:
        conn.close()


def chat_body(content, **extra):
    return {"model": "llm", "messages": [{"role": "user", "content": content}], **extra}


def sse_payloads(body):
    """The `data:` payloads of an SSE body, in order."""
    events = [e for e in body.decode().split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    return [e[len("data: "):] for e in events]


def stream_chunks(reply):
    payloads = sse_payloads(reply.body)
    assert payloads[-1] == "[DONE]"
    return [json.loads(p) for p in payloads[:-1]]


@pytest.fixture(scope="module")
def server():
    mock = MockProcess("--name", "stable", "--model", "llm-stable")
    yield mock
    assert mock.stop() == 0


@pytest.fixture
def port(server):
    """Port of the shared server, with faults cleared and stats zeroed."""
    assert call(server.port, "POST", "/mock/faults", {}).status == 200
    assert call(server.port, "POST", "/mock/reset-stats").status == 200
    return server.port


# ---- model endpoints ------------------------------------------------------------------------


def test_chat_echoes_last_user_message(port):
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "first"},
                {"role": "assistant", "content": "ok"}, {"role": "user", "content": "hello there world"}]
    reply = call(port, "POST", CHAT, {"model": "requested", "messages": messages})
    assert reply.status == 200
    assert int(reply.headers["content-length"]) == len(reply.body)
    assert reply.headers["x-served-by"] == "stable"
    assert reply.headers["x-requested-model"] == "requested"
    data = reply.json()
    assert data["id"].startswith("chatcmpl-") and data["object"] == "chat.completion"
    assert data["model"] == "llm-stable" and isinstance(data["created"], int)
    assert data["choices"] == [{"index": 0, "message": {"role": "assistant", "content": "hello there world"},
                                "finish_reason": "stop", "logprobs": None}]
    assert data["usage"] == {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}


def test_chat_echoes_text_content_parts(port):
    parts = [{"type": "text", "text": "look at"}, {"type": "image_url", "image_url": {"url": "http://x"}},
             {"type": "text", "text": "this"}]
    data = call(port, "POST", CHAT, chat_body(parts)).json()
    assert data["choices"][0]["message"]["content"] == "look at this"


def test_no_echo_returns_fixed_sentence():
    mock = MockProcess("--name", "canary", "--no-echo")
    try:
        reply = call(mock.port, "POST", CHAT, chat_body("hi"))
        assert reply.json()["choices"][0]["message"]["content"] == "This is a mock completion from canary."
        assert reply.headers["x-served-by"] == "canary"
    finally:
        assert mock.stop() == 0


def test_chat_stream_reassembles_echo(port):
    text = "  Hello,  streaming\nworld! "
    reply = call(port, "POST", CHAT, chat_body(text, stream=True))
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/event-stream"
    assert reply.headers["transfer-encoding"] == "chunked" and "content-length" not in reply.headers
    assert reply.headers["cache-control"] == "no-cache"
    assert reply.body.endswith(b"data: [DONE]\n\n")
    chunks = stream_chunks(reply)
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"} and len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == text
    assert len(chunks) == 2 + len(text.split())


def test_chat_stream_include_usage(port):
    body = chat_body("one two three", stream=True, stream_options={"include_usage": True})
    chunks = stream_chunks(call(port, "POST", CHAT, body))
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6}
    assert all("usage" not in c for c in chunks[:-1])


def test_completions_plain_and_list_prompt(port):
    data = call(port, "POST", "/v1/completions", {"model": "m", "prompt": "once upon a time"}).json()
    assert data["object"] == "text_completion" and data["id"].startswith("cmpl-")
    assert data["choices"] == [{"index": 0, "text": "once upon a time", "finish_reason": "stop", "logprobs": None}]
    data = call(port, "POST", "/v1/completions", {"prompt": ["a", "b c"]}).json()
    assert data["choices"][0]["text"] == "b c"
    assert data["usage"] == {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}


def test_completions_stream(port):
    body = {"prompt": "stream me please", "stream": True, "stream_options": {"include_usage": True}}
    chunks = stream_chunks(call(port, "POST", "/v1/completions", body))
    assert {c["object"] for c in chunks} == {"text_completion"}
    assert "".join(c["choices"][0]["text"] for c in chunks[:-1]) == "stream me please"
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 3


def test_embeddings(port):
    first = call(port, "POST", "/v1/embeddings", {"model": "m", "input": "hello"}).json()
    assert first["object"] == "list" and first["model"] == "llm-stable"
    vector = first["data"][0]["embedding"]
    assert first["data"][0]["object"] == "embedding" and len(vector) == 8
    assert all(-1 <= v <= 1 for v in vector)
    batch = call(port, "POST", "/v1/embeddings", {"input": ["hello", "other text"]}).json()
    assert [d["index"] for d in batch["data"]] == [0, 1]
    assert batch["data"][0]["embedding"] == vector != batch["data"][1]["embedding"]
    assert batch["usage"] == {"prompt_tokens": 3, "total_tokens": 3}
    encoded = call(port, "POST", "/v1/embeddings", {"input": "hello", "encoding_format": "base64"}).json()
    decoded = struct.unpack("<8f", base64.b64decode(encoded["data"][0]["embedding"]))
    assert decoded == pytest.approx(vector, abs=1e-6)


def test_models_health_and_metrics(port):
    models = call(port, "GET", "/v1/models").json()
    assert models["object"] == "list"
    assert models["data"][0]["id"] == "llm-stable" and models["data"][0]["owned_by"] == "vllm"
    health = call(port, "GET", "/health")
    assert (health.status, health.body, health.headers["content-length"]) == (200, b"", "0")
    call(port, "POST", CHAT, chat_body("hi"))
    # The running gauge drops once the handler returns, which can be just
    # after the client has read the whole answer: wait for it (2 s at most).
    idle = 'vllm:num_requests_running{model_name="llm-stable"} 0'
    deadline = time.monotonic() + 2
    while True:
        metrics = call(port, "GET", "/metrics")
        text = metrics.body.decode()
        if idle in text or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert metrics.headers["content-type"].startswith("text/plain")
    assert idle in text
    assert 'vllm:request_success_total{finished_reason="stop",model_name="llm-stable"} 1' in text
    assert 'mock_requests_total{path="/v1/chat/completions"} 1' in text
    assert 'mock_requests_total{path="/v1/models"} 1' in text


def test_stats_count_per_path_and_reset(port):
    call(port, "POST", CHAT, chat_body("a"))
    call(port, "POST", CHAT, chat_body("b"), {"x-mock-status": "503"})
    call(port, "GET", "/health")
    assert call(port, "GET", "/mock/stats").json() == {"requests": {CHAT: 2, "/health": 1}}
    assert call(port, "POST", "/mock/reset-stats").json() == {"requests": {}}


# ---- headers and debug endpoints ----------------------------------------------------------


def test_routing_headers_are_echoed(port):
    headers = {"x-canary": "true", "x-ab-bucket": "b", "x-llm-route": "r1", "x-other": "no"}
    reply = call(port, "GET", "/v1/models", headers=headers)
    assert reply.headers["x-served-by"] == "stable"
    assert reply.headers["x-seen-x-canary"] == "true"
    assert reply.headers["x-seen-x-ab-bucket"] == "b"
    assert reply.headers["x-seen-x-llm-route"] == "r1"
    assert "x-seen-x-other" not in reply.headers


def test_last_request_shows_what_reached_the_model(port):
    raw = '{"model":"m","messages":[{"role":"user","content":"héllo"}]}'.encode()
    call(port, "POST", CHAT + "?q=1", raw, {"Content-Type": "application/json", "X-LLM-Tenant": "t1"})
    call(port, "GET", "/health")
    last = call(port, "GET", "/mock/last-request").json()
    assert (last["method"], last["path"]) == ("POST", CHAT + "?q=1")
    assert last["headers"]["x-llm-tenant"] == "t1"
    assert last["headers"]["content-length"] == str(len(raw))
    assert last["body"] == raw.decode() and base64.b64decode(last["body_b64"]) == raw


# ---- errors ----------------------------------------------------------------------------------


def test_malformed_json_is_400(port):
    reply = call(port, "POST", CHAT, b"{not json", {"Content-Type": "application/json"})
    assert reply.status == 400
    assert reply.json() == {"error": {"message": "The request body is not valid JSON.",
                                      "type": "invalid_request_error", "param": None, "code": "invalid_json"}}


@pytest.mark.parametrize("path,body,param", [
    (CHAT, {"model": "m"}, "messages"),
    ("/v1/completions", {"model": "m"}, "prompt"),
    ("/v1/embeddings", {"model": "m"}, "input"),
])
def test_missing_required_field_is_400(port, path, body, param):
    reply = call(port, "POST", path, body)
    assert reply.status == 400
    assert reply.json()["error"]["param"] == param
    assert reply.json()["error"]["type"] == "invalid_request_error"


def test_unknown_path_is_404(port):
    for method, path in (("GET", "/nope"), ("POST", "/v1/unknown")):
        reply = call(port, method, path, {} if method == "POST" else None)
        assert reply.status == 404 and reply.headers["x-served-by"] == "stable"
        error = reply.json()["error"]
        assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", "not_found", None)


# ---- fault injection -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_status_fault_per_request(port, status):
    reply = call(port, "POST", CHAT, chat_body("hi"), {"x-mock-status": str(status)})
    assert reply.status == status
    assert reply.json() == {"error": {"message": "Service overloaded", "type": "server_error",
                                      "param": None, "code": status}}
    assert call(port, "GET", "/health", headers={"x-mock-status": "503"}).status == 200


def test_status_fault_via_mock_faults(port):
    settings = call(port, "POST", "/mock/faults", {"status": 503})
    assert settings.json() == {"status": 503, "rate": 1.0, "delay_ms": 0, "token_delay_ms": 0, "reset_rate": 0.0}
    assert call(port, "GET", "/mock/faults").json()["status"] == 503
    assert call(port, "POST", CHAT, chat_body("hi")).status == 503
    assert call(port, "GET", "/v1/models", headers={"x-mock-status": "200"}).status == 200
    assert call(port, "GET", "/health").status == 200 and call(port, "GET", "/metrics").status == 200
    call(port, "POST", "/mock/faults", {"status": 503, "rate": 0.0})
    assert call(port, "POST", CHAT, chat_body("hi")).status == 200
    assert call(port, "POST", "/mock/faults", {}).json()["status"] is None
    assert call(port, "POST", "/mock/faults", {"bogus": 1}).status == 400


def test_status_fault_from_cli_flags():
    mock = MockProcess("--fault-status", "503", "--fault-rate", "1.0")
    try:
        assert call(mock.port, "POST", CHAT, chat_body("hi")).status == 503
        assert call(mock.port, "GET", "/health").status == 200
        call(mock.port, "POST", "/mock/faults", {})
        assert call(mock.port, "POST", CHAT, chat_body("hi")).status == 200
    finally:
        assert mock.stop() == 0


def test_delay_header_and_setting(port):
    start = time.monotonic()
    assert call(port, "GET", "/v1/models", headers={"x-mock-delay-ms": "300"}).status == 200
    assert time.monotonic() - start >= 0.3
    call(port, "POST", "/mock/faults", {"delay_ms": 200})
    start = time.monotonic()
    call(port, "GET", "/v1/models")
    assert time.monotonic() - start >= 0.2


def test_token_delay_between_stream_events(port):
    start = time.monotonic()
    reply = call(port, "POST", CHAT, chat_body("a b c d", stream=True), {"x-mock-token-delay-ms": "100"})
    assert time.monotonic() - start >= 0.3
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in stream_chunks(reply)) == "a b c d"


def test_reset_header_and_rate(port):
    with pytest.raises(ConnectionError):
        call(port, "POST", CHAT, chat_body("hi"), {"x-mock-reset": "1"})
    call(port, "POST", "/mock/faults", {"reset_rate": 1.0})
    with pytest.raises(ConnectionError):
        call(port, "GET", "/v1/models")
    assert call(port, "GET", "/health").status == 200
    call(port, "POST", "/mock/faults", {})
    assert call(port, "GET", "/v1/models").status == 200


def test_stall_after_drops_unterminated_stream(port):
    headers = {"x-mock-stall-after": "2", "x-mock-stall-ms": "200"}
    with pytest.raises(http.client.IncompleteRead) as info:
        call(port, "POST", CHAT, chat_body("one two three four", stream=True), headers)
    payloads = sse_payloads(info.value.partial)
    assert len(payloads) == 3 and "[DONE]" not in payloads


# ---- HTTP framing ----------------------------------------------------------------------------


def test_chunked_request_body(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    parts = [b'{"messages": [{"role": "user", ', b'"content": "sent in chunks"}]}']
    try:
        conn.request("POST", CHAT, body=iter(parts), headers={"Content-Type": "application/json"},
                     encode_chunked=True)
        resp = conn.getresponse()
        assert json.loads(resp.read())["choices"][0]["message"]["content"] == "sent in chunks"
        assert send(conn, "GET", "/health").status == 200
    finally:
        conn.close()
    last = call(port, "GET", "/mock/last-request").json()
    assert last["headers"]["transfer-encoding"] == "chunked" and last["body"] == b"".join(parts).decode()


def test_keep_alive_reuses_connection(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        assert send(conn, "POST", CHAT, chat_body("one")).status == 200
        sock = conn.sock
        assert send(conn, "POST", CHAT, chat_body("two", stream=True)).body.endswith(b"data: [DONE]\n\n")
        assert send(conn, "POST", CHAT, b"{bad").status == 400
        assert send(conn, "GET", "/missing").status == 404
        assert send(conn, "GET", "/v1/models").status == 200
        assert conn.sock is sock
    finally:
        conn.close()


# ---- process lifecycle -----------------------------------------------------------------------


def test_ready_file_and_sigint(tmp_path):
    ready = tmp_path / "port"
    mock = MockProcess("--ready-file", str(ready))
    assert int(ready.read_text()) == mock.port
    start = time.monotonic()
    assert mock.stop(signal.SIGINT) == 0
    assert time.monotonic() - start < 1


def test_sigterm_exits_promptly_during_stall():
    mock = MockProcess()
    conn = http.client.HTTPConnection("127.0.0.1", mock.port, timeout=5)
    conn.request("POST", CHAT, json.dumps(chat_body("a b c", stream=True)), {"x-mock-stall-after": "1"})
    resp = conn.getresponse()
    resp.read1()  # the stream is open and stalled
    start = time.monotonic()
    try:
        assert mock.stop() == 0
        assert time.monotonic() - start < 1
    finally:
        conn.close()


# ---- official SDK ----------------------------------------------------------------------------


def test_openai_sdk(port):
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0)
    messages = [{"role": "user", "content": "hello from the sdk"}]
    completion = client.chat.completions.create(model="any", messages=messages)
    assert completion.choices[0].message.content == "hello from the sdk"
    assert completion.model == "llm-stable"
    stream = client.chat.completions.create(model="any", messages=messages, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == "hello from the sdk"


def test_mock_reply_replaces_the_echo_plain_and_streamed(port):
    body = {**chat_body("prompt text"), "mock_reply": "forced answer"}
    reply = call(port, "POST", CHAT, body)
    assert reply.json()["choices"][0]["message"]["content"] == "forced answer"
    body = {**chat_body("prompt text", stream=True), "mock_reply": "abcdefg", "mock_token_chars": 3}
    chunks = stream_chunks(call(port, "POST", CHAT, body))
    pieces = [c["choices"][0]["delta"].get("content", "") for c in chunks[1:-1]]
    assert pieces == ["abc", "def", "g"]
