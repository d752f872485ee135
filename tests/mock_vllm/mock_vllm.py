#!/usr/bin/env python3
"""Mock vLLM pod: an OpenAI-compatible HTTP/1.1 server using only the Python standard library.

Serves /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models, /health and
/metrics like a vLLM pod, plus fault injection (status, delay, reset, stall) and debug
endpoints under /mock/. See README.md next to this file for flags and headers.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import re
import secrets
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SEEN_PREFIXES = ("x-ab-", "x-canary", "x-llm-")
FAULT_DEFAULTS = {"status": None, "rate": 1.0, "delay_ms": 0, "token_delay_ms": 0, "reset_rate": 0.0}
FAULT_TYPES = {"status": int, "rate": float, "delay_ms": int, "token_delay_ms": int, "reset_rate": float}
DEFAULT_STALL_MS = 30000
MAX_CHUNK_LINE = 65537
TOKEN_RE = re.compile(r"\s*\S+\s*")


class ApiError(Exception):
    """An error rendered as an OpenAI-shaped JSON error response.

    `close` asks for the connection to be closed afterwards (request framing was unreadable).
    """

    def __init__(self, status, message, code, param=None, err_type="invalid_request_error", close=False):
        super().__init__(message)
        self.status, self.close = status, close
        self.body = {"error": {"message": message, "type": err_type, "param": param, "code": code}}


def fault_error(status):
    """The error body vLLM-like pods return for an injected status fault."""
    message = "Service overloaded" if status in (429, 503) else f"Injected fault: HTTP {status}"
    return ApiError(status, message, status, err_type="server_error")


def required(req, name):
    """Return req[name], or raise the 400 error for a missing required parameter."""
    if req.get(name) is None:
        raise ApiError(400, f"Missing required parameter '{name}'.", "missing_required_parameter", name)
    return req[name]


def content_text(content):
    """Text of a message `content`: a string, or its "text" parts joined by single spaces."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = (p for p in content if isinstance(p, dict) and p.get("type") == "text")
        return " ".join(str(p.get("text", "")) for p in parts)
    return ""


def input_texts(value, name):
    """Normalise a `prompt`/`input` (string, token ids, or a list of either) to a list of strings."""
    if isinstance(value, list) and value and not all(isinstance(v, int) for v in value):
        return [_item_text(v, name) for v in value]
    return [_item_text(value, name)]


def _item_text(item, name):
    if isinstance(item, str):
        return item
    if isinstance(item, list) and item and all(isinstance(t, int) for t in item):
        return " ".join(map(str, item))
    raise ApiError(400, f"'{name}' must be a string, token ids, or a list of those.", "invalid_type", name)


def word_count(text):
    return len(text.split())


def split_tokens(text):
    """Split `text` into stream tokens whose concatenation is exactly `text`."""
    return TOKEN_RE.findall(text) or ([text] if text else [])


def embedding_for(text):
    """Deterministic 8-dimensional vector in [-1, 1] derived from the md5 of `text`."""
    digest = hashlib.md5(text.encode("utf-8", "surrogatepass")).digest()
    return [round(int.from_bytes(digest[i:i + 2], "big") / 32767.5 - 1, 6) for i in range(0, 16, 2)]


def embedding_of_size(text, dimensions):
    """`dimensions` floats for `text`: the 8 of `embedding_for`, then more from md5 of `text` and a counter."""
    vector = embedding_for(text)
    block = 1
    while len(vector) < dimensions:
        vector += embedding_for(f"{text}\x00{block}")
        block += 1
    return vector[:dimensions]


PAD_PROSE = "The committee reviewed the quarterly figures and agreed to revisit the plan next week. "


def padded(text, pad):
    """`pad` characters of plain prose, then `text` (a large output with something near its end)."""
    if not isinstance(pad, int) or isinstance(pad, bool) or pad <= 0:
        return text
    return (PAD_PROSE * (pad // len(PAD_PROSE) + 1))[:pad] + text


BODY_PIECE = 64 * 1024


def piece_delay(req):
    """The request's `mock_body_piece_delay_ms` (a non-streamed body sent slowly), else 0."""
    delay = req.get("mock_body_piece_delay_ms")
    return delay if isinstance(delay, int) and not isinstance(delay, bool) and 0 < delay <= 10000 else 0


def encode_vector(vector, encoding_format):
    """A float list, or base64 of little-endian float32 when encoding_format is "base64"."""
    if encoding_format == "base64":
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
    return vector


def parse_faults(update):
    """Complete fault settings from a (possibly partial) mapping; absent keys take defaults."""
    if not isinstance(update, dict):
        raise ApiError(400, "Fault settings must be a JSON object.", "invalid_type")
    unknown = sorted(set(update) - set(FAULT_DEFAULTS))
    if unknown:
        raise ApiError(400, f"Unknown fault settings: {', '.join(unknown)}.", "invalid_parameter")
    faults = dict(FAULT_DEFAULTS)
    for key, value in update.items():
        if value is None:
            continue
        try:
            faults[key] = FAULT_TYPES[key](value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Invalid value for '{key}'.", "invalid_type", key) from None
    return faults


def prom_label(value):
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class ChatShape:
    """Response and chunk shapes for /v1/chat/completions."""

    object, chunk_object, id_prefix = "chat.completion", "chat.completion.chunk", "chatcmpl-"

    def choice(self, text):
        message = {"role": "assistant", "content": text}
        return {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}

    def opening(self):
        return [self._delta({"role": "assistant", "content": ""})]

    def token(self, text):
        return self._delta({"content": text})

    def finish(self):
        return self._delta({}, "stop")

    @staticmethod
    def _delta(delta, finish=None):
        return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}


class TextShape:
    """Response and chunk shapes for /v1/completions."""

    object = chunk_object = "text_completion"
    id_prefix = "cmpl-"

    def choice(self, text):
        return self.token(text, "stop")

    def opening(self):
        return []

    def token(self, text, finish=None):
        return {"index": 0, "text": text, "logprobs": None, "finish_reason": finish}

    def finish(self):
        return self.token("", "stop")


CHAT, TEXT = ChatShape(), TextShape()


class MockState:
    """Per-instance state shared by handler threads.

    `faults` and `last_request` are replaced wholesale (never mutated), so plain reads are safe.
    """

    def __init__(self, name, model, echo, faults, verbose=False):
        self.name, self.model, self.echo, self.verbose = name, model, echo, verbose
        self.faults = faults
        self.last_request = None
        self.started = int(time.time())
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._requests = {}
        self._running = 0
        self._success = 0

    def sleep_ms(self, ms):
        """Sleep for `ms` milliseconds, waking early when the server is stopping."""
        if ms and ms > 0:
            self.stopping.wait(ms / 1000)

    def count(self, path):
        with self._lock:
            self._requests[path] = self._requests.get(path, 0) + 1

    def record_success(self):
        with self._lock:
            self._success += 1

    def stats(self, reset=False):
        """Per-path request counts; `reset` zeroes them (and the success counter) afterwards."""
        with self._lock:
            stats = {"requests": dict(self._requests)}
            if reset:
                self._requests.clear()
                self._success = 0
            return stats

    @contextmanager
    def in_flight(self):
        """Count a model request as running for the duration of the block."""
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def record_request(self, method, path, headers, body):
        """Remember a /v1 request exactly as received, for GET /mock/last-request."""
        merged = {}
        for name, value in headers.items():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        self.last_request = {
            "method": method, "path": path, "headers": merged,
            "body": body.decode("utf-8", "replace"), "body_b64": base64.b64encode(body).decode(),
        }

    def metrics_text(self):
        """Prometheus text exposition of vLLM-style gauges/counters and per-path request counts."""
        with self._lock:
            running, success, requests = self._running, self._success, sorted(self._requests.items())
        model = prom_label(self.model)
        lines = [
            "# HELP vllm:num_requests_running Number of requests currently running.",
            "# TYPE vllm:num_requests_running gauge",
            f'vllm:num_requests_running{{model_name="{model}"}} {running}',
            "# HELP vllm:num_requests_waiting Number of requests waiting to be processed.",
            "# TYPE vllm:num_requests_waiting gauge",
            f'vllm:num_requests_waiting{{model_name="{model}"}} 0',
            "# HELP vllm:request_success_total Count of successfully processed requests.",
            "# TYPE vllm:request_success_total counter",
            f'vllm:request_success_total{{finished_reason="stop",model_name="{model}"}} {success}',
            "# HELP mock_requests_total Requests received per path.",
            "# TYPE mock_requests_total counter",
            *(f'mock_requests_total{{path="{prom_label(p)}"}} {n}' for p, n in requests),
        ]
        return "\n".join(lines) + "\n"


ROUTES = {
    "/v1/chat/completions": {"POST": "chat"},
    "/v1/completions": {"POST": "completions"},
    "/v1/embeddings": {"POST": "embeddings"},
    "/v1/models": {"GET": "models"},
    "/health": {"GET": "health"},
    "/metrics": {"GET": "metrics"},
    "/mock/last-request": {"GET": "last_request"},
    "/mock/faults": {"GET": "get_faults", "POST": "set_faults"},
    "/mock/stats": {"GET": "stats"},
    "/mock/reset-stats": {"POST": "reset_stats"},
}


class Handler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1 handler; every response has a Content-Length or chunked framing."""

    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls

    protocol_version = "HTTP/1.1"
    server_version = "mock-vllm/1.0"
    headers = None
    requested_model = None

    @property
    def state(self):
        return self.server.state

    def log_message(self, *args):
        if self.state.verbose:
            super().log_message(*args)

    def parse_request(self):
        self.headers = self.requested_model = None
        return super().parse_request()

    def handle_one_request(self):
        """Treat a client that vanished mid-exchange as a closed connection, not a server error."""
        try:
            super().handle_one_request()
        except OSError:
            self.close_connection = True

    def end_headers(self):
        """Add x-served-by, x-requested-model and x-seen-<routing header> to every response."""
        self.send_header("x-served-by", self.state.name)
        if self.requested_model:
            self.send_header("x-requested-model", self.requested_model)
        for name, value in self.headers.items() if self.headers else ():
            if name.lower().startswith(SEEN_PREFIXES):
                self.send_header("x-seen-" + name.lower(), value)
        super().end_headers()

    def _handle(self):
        """Serve one request of any method; ApiErrors become OpenAI-shaped error responses."""
        try:
            self._serve(urlsplit(self.path).path)
        except ApiError as err:
            self._send_error(err)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def _serve(self, path):
        self.body = self._read_body()
        if not path.startswith("/mock/"):
            self.state.count(path)
        if not path.startswith("/v1/"):
            return self._route(path)
        self.state.record_request(self.command, self.path, self.headers, self.body)
        with self.state.in_flight():
            if not self._inject_faults():
                self._route(path)

    def _route(self, path):
        methods = ROUTES.get(path)
        if methods is None:
            raise ApiError(404, f"The path '{path}' was not found.", "not_found")
        if self.command not in methods:
            raise ApiError(405, f"Method {self.command} is not allowed on '{path}'.", "method_not_allowed")
        getattr(self, "route_" + methods[self.command])()

    def _read_body(self):
        """Read the whole request body by Content-Length or chunked transfer coding."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0:
            raise ApiError(400, "Invalid Content-Length header.", "invalid_request", close=True)
        body = self.rfile.read(length)
        if len(body) != length:
            raise ApiError(400, "Request body shorter than Content-Length.", "invalid_request", close=True)
        return body

    def _read_chunked(self):
        chunks = []
        while True:
            size_field = self.rfile.readline(MAX_CHUNK_LINE).split(b";", 1)[0].strip()
            try:
                size = int(size_field, 16)
            except ValueError:
                size = -1
            if size < 0:
                raise ApiError(400, "Malformed chunked request body.", "invalid_request", close=True)
            if size == 0:
                break
            data = self.rfile.read(size + 2)
            if len(data) != size + 2 or not data.endswith(b"\r\n"):
                raise ApiError(400, "Malformed chunked request body.", "invalid_request", close=True)
            chunks.append(data[:-2])
        while self.rfile.readline(MAX_CHUNK_LINE) not in (b"\r\n", b"\n", b""):
            pass  # discard trailer fields
        return b"".join(chunks)

    def _json_body(self):
        """The request body as a JSON object (400 invalid_json otherwise); notes its "model"."""
        try:
            req = json.loads(self.body)
        except ValueError:
            raise ApiError(400, "The request body is not valid JSON.", "invalid_json") from None
        if not isinstance(req, dict):
            raise ApiError(400, "The request body must be a JSON object.", "invalid_json")
        if isinstance(req.get("model"), str):
            self.requested_model = req["model"]
        return req

    def _header_int(self, name, default=None):
        """Integer value of request header `name`, or `default` when absent or not an integer."""
        try:
            return int(self.headers[name])
        except (TypeError, ValueError):
            return default

    def _inject_faults(self):
        """Apply delay, reset and status faults (headers override instance settings).

        Returns True when a fault consumed the request.
        """
        self.faults = self.state.faults
        self.state.sleep_ms(self._header_int("x-mock-delay-ms", self.faults["delay_ms"]))
        if self._should_reset():
            self._reset_connection()
            return True
        raw = self.headers.get("x-mock-raw-body")
        if raw is not None:
            body = raw.replace("\\n", "\n").encode()
            self._send_body(200, body, self.headers.get("x-mock-content-type", "application/json"))
            return True
        status = self._fault_status()
        if status and status >= 400:
            self._send_error(fault_error(status))
            return True
        return False

    def _should_reset(self):
        header = self.headers.get("x-mock-reset")
        if header is not None:
            return header.strip().lower() in ("1", "true", "yes")
        return random.random() < self.faults["reset_rate"]

    def _fault_status(self):
        header = self._header_int("x-mock-status")
        if header is not None:
            return header
        return self.faults["status"] if random.random() < self.faults["rate"] else None

    def _reset_connection(self):
        """Abort the TCP connection with an RST (SO_LINGER 0) and send nothing."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.rfile.close()
        self.connection.close()

    def _send_body(self, status, body, content_type=None, headers=(), piece_delay_ms=0):
        """Send a complete response with Content-Length so the connection can be reused.
        `piece_delay_ms`: write the body in 64 KiB pieces, flushed, with this pause between."""
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if piece_delay_ms <= 0:
            self.wfile.write(body)
            return
        for at in range(0, len(body), BODY_PIECE):
            if at:
                self.state.sleep_ms(piece_delay_ms)
            self.wfile.write(body[at:at + BODY_PIECE])
            self.wfile.flush()

    def _send_json(self, status, obj, headers=(), piece_delay_ms=0):
        self._send_body(status, json.dumps(obj).encode(), "application/json", headers, piece_delay_ms)

    def _send_error(self, err):
        self._send_json(err.status, err.body, [("Connection", "close")] if err.close else ())

    def _write_chunk(self, data):
        """Write one HTTP/1.1 chunk (empty data = terminating chunk) and flush it."""
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _send_event(self, obj):
        self._write_chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

    def route_chat(self):
        req = self._json_body()
        messages = required(req, "messages")
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise ApiError(400, "'messages' must be a list of message objects.", "invalid_type", "messages")
        texts = [content_text(m.get("content")) for m in messages]
        user = [t for m, t in zip(messages, texts) if m.get("role") == "user"]
        prompt_tokens = max(1, sum(map(word_count, texts)))
        self._complete(req, CHAT, self._reply(user[-1] if user else "", req), prompt_tokens)

    def route_completions(self):
        req = self._json_body()
        prompts = input_texts(required(req, "prompt"), "prompt")
        self._complete(req, TEXT, self._reply(prompts[-1], req), max(1, sum(map(word_count, prompts))))

    def _reply(self, echo_text, req):
        """The request's `mock_reply` field if set (an output that is not the prompt), else echo or a fixed sentence."""
        forced = req.get("mock_reply")
        if isinstance(forced, str):
            return padded(forced, req.get("mock_pad"))
        text = echo_text if self.state.echo else f"This is a mock completion from {self.state.name}."
        return padded(text, req.get("mock_pad"))

    def _complete(self, req, shape, text, prompt_tokens):
        """Answer with `text` in `shape`, streamed when the request asks for it."""
        completion_tokens = word_count(text)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                 "total_tokens": prompt_tokens + completion_tokens}
        head = {"id": shape.id_prefix + secrets.token_hex(12), "created": int(time.time()),
                "model": self.state.model}
        if req.get("stream"):
            return self._stream(req, shape, text, usage, head)
        self._send_json(200, {**head, "object": shape.object, "choices": [shape.choice(text)], "usage": usage},
                        piece_delay_ms=piece_delay(req))
        self.state.record_success()

    def _stream(self, req, shape, text, usage, head):
        """Stream `text` as SSE chunks: opening, one per token, finish, [usage], [DONE]."""
        options = req.get("stream_options")
        include_usage = isinstance(options, dict) and options.get("include_usage") is True
        stall_after = self._header_int("x-mock-stall-after")
        token_delay = self._header_int("x-mock-token-delay-ms", self.faults["token_delay_ms"])
        base = {**head, "object": shape.chunk_object}
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for choice in shape.opening():
            self._send_event({**base, "choices": [choice]})
        size = req.get("mock_token_chars")
        tokens = split_tokens(text) if not isinstance(size, int) or size < 1 else [
            text[i:i + size] for i in range(0, len(text), size)]
        if req.get("mock_leading_space_tokens") is True:
            tokens = re.findall(r"\s*\S+", text) or tokens
        for i, token in enumerate(tokens):
            if i == stall_after:
                return self._stall()
            if i:
                self.state.sleep_ms(token_delay)
            self._send_event({**base, "choices": [shape.token(token)]})
        if stall_after is not None:
            return self._stall()
        self._send_event({**base, "choices": [shape.finish()]})
        if include_usage:
            self._send_event({**base, "choices": [], "usage": usage})
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")
        self.state.record_success()

    def _stall(self):
        """Hold the stream for x-mock-stall-ms (or until shutdown), then drop it unterminated."""
        self.state.sleep_ms(self._header_int("x-mock-stall-ms", DEFAULT_STALL_MS))
        self.close_connection = True

    def route_embeddings(self):
        req = self._json_body()
        texts = input_texts(required(req, "input"), "input")
        fmt = req.get("encoding_format")
        dims = req.get("dimensions")
        dims = dims if isinstance(dims, int) and not isinstance(dims, bool) and 0 < dims <= 65536 else 8
        data = [{"object": "embedding", "index": i, "embedding": encode_vector(embedding_of_size(t, dims), fmt)}
                for i, t in enumerate(texts)]
        tokens = max(1, sum(map(word_count, texts)))
        self._send_json(200, {"id": "embd-" + secrets.token_hex(12), "object": "list", "created": int(time.time()),
                              "model": self.state.model, "data": data,
                              "usage": {"prompt_tokens": tokens, "total_tokens": tokens}},
                        piece_delay_ms=piece_delay(req))
        self.state.record_success()

    def route_models(self):
        model = {"id": self.state.model, "object": "model", "created": self.state.started, "owned_by": "vllm"}
        self._send_json(200, {"object": "list", "data": [model]})

    def route_health(self):
        self._send_body(200, b"")

    def route_metrics(self):
        self._send_body(200, self.state.metrics_text().encode(), "text/plain; version=0.0.4; charset=utf-8")

    def route_last_request(self):
        if self.state.last_request is None:
            raise ApiError(404, "No /v1 request has been received yet.", "not_found")
        self._send_json(200, self.state.last_request)

    def route_get_faults(self):
        self._send_json(200, self.state.faults)

    def route_set_faults(self):
        self.state.faults = parse_faults(self._json_body())
        self.route_get_faults()

    def route_stats(self):
        self._send_json(200, self.state.stats())

    def route_reset_stats(self):
        self.state.stats(reset=True)
        self.route_stats()


class MockServer(ThreadingHTTPServer):
    """Threaded HTTP server carrying a MockState; binds IPv6 when the host contains ':'."""

    daemon_threads = True

    def __init__(self, host, port, state):
        self.state = state
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), Handler)

    def server_bind(self):
        """Bind without HTTPServer's reverse-DNS lookup of the host."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def install_signal_handlers(server):
    """Stop serving on SIGTERM/SIGINT; pending delays and stalls wake up immediately."""
    def stop(_signum, _frame):
        server.state.stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def write_ready_file(path, port):
    """Atomically write the listening port to `path`."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


def parse_args(argv):
    p = argparse.ArgumentParser(description="OpenAI-compatible mock vLLM server (stdlib only).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    p.add_argument("--name", default="mock", help="instance name, returned in x-served-by")
    p.add_argument("--model", default="mock-model", help="model id reported in responses")
    p.add_argument("--echo", action=argparse.BooleanOptionalAction, default=True,
                   help="echo the last user message/prompt (default) or return a fixed sentence")
    p.add_argument("--fault-status", type=int, help="HTTP status to inject on /v1 requests")
    p.add_argument("--fault-rate", type=float, default=1.0, help="probability the status fault applies")
    p.add_argument("--delay-ms", type=int, default=0, help="delay before response headers")
    p.add_argument("--token-delay-ms", type=int, default=0, help="delay between streamed tokens")
    p.add_argument("--reset-rate", type=float, default=0.0, help="probability of a TCP reset")
    p.add_argument("--ready-file", help="write the listening port to this file once ready")
    p.add_argument("--verbose", action="store_true", help="log each request to stderr")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    faults = parse_faults({"status": args.fault_status, "rate": args.fault_rate, "delay_ms": args.delay_ms,
                           "token_delay_ms": args.token_delay_ms, "reset_rate": args.reset_rate})
    server = MockServer(args.host, args.port, MockState(args.name, args.model, args.echo, faults, args.verbose))
    install_signal_handlers(server)
    port = server.server_address[1]
    if args.ready_file:
        write_ready_file(args.ready_file, port)
    print(f"LISTENING {port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
