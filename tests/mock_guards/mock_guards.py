#!/usr/bin/env python3
"""Mock guard models: one stdlib HTTP/1.1 server speaking the four guard protocols the
filter calls, with deterministic verdicts and per-request faults.

    POST /v1/moderations       OpenAI moderations   {"model", "input": str | [str]}
    POST /classify             vLLM classify        {"model", "input": str | [str]}  (labels SAFE, INJECTION)
    POST /v1/chat/completions  Llama Guard as chat  {"model", "messages": [...]}     -> "safe" | "unsafe\\nS1,..."
    POST /analyze              Presidio analyzer    {"text", "language", "entities"} -> [{entity_type, start, end, score}]
    GET  /mock/stats           calls per path, texts seen per path (count only), last request headers
    POST /mock/reset-stats     zeroes the counters
    POST /mock/faults          {"status": 503, "delay_ms": 0, "reset": false, "malformed": false} for every call

Verdicts (see README.md): words of a small fixed list per category, and markers a test can
put in the text: `[[flag:CATEGORY:SCORE]]` (moderation), `[[injection]]` (classify),
`[[unsafe:S9]]` (Llama Guard); Presidio finds PERSON and LOCATION from fixed name lists.
Faults per request, by marker in any text sent: `[[guard-delay:MS]]`, `[[guard-status:N]]`,
`[[guard-malformed]]`, `[[guard-reset]]`.
"""

import argparse
import json
import os
import re
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CATEGORY_WORDS = {
    "violence": ("kill", "murder", "shoot", "stab", "massacre"),
    "self-harm": ("suicide", "kill myself", "end my life"),
    "illicit": ("meth", "counterfeit", "poach", "hunt endangered"),
    "hate": ("subhuman", "vermin"),
}
# Llama Guard 3 hazard codes for the same words.
LLAMA_CODES = {"violence": "S1", "illicit": "S2", "self-harm": "S11", "hate": "S10"}
INJECTION_WORDS = ("ignore previous instructions", "ignore all previous instructions",
                   "reveal your system prompt", "you are now dan")
PERSONS = ("John Smith", "Maria Garcia", "Zoë Müller", "Anna Kowalska", "Hiroshi Tanaka",
           "Mohammed Al-Farsi", "Olivia Brown", "Liam O'Connor")
LOCATIONS = ("Berlin", "Köln", "Paris", "New York", "São Paulo", "Tokyo", "Springfield")

FLAG_RE = re.compile(r"\[\[flag:([a-z/_-]+):([0-9.]+)\]\]")
UNSAFE_RE = re.compile(r"\[\[unsafe:(S\d{1,2})\]\]")
DELAY_RE = re.compile(r"\[\[guard-delay:(\d+)\]\]")
STATUS_RE = re.compile(r"\[\[guard-status:(\d{3})\]\]")


def categories_of(text):
    """Category -> score for one text."""
    lower = text.lower()
    scores = {c: 0.01 for c in CATEGORY_WORDS}
    for category, words in CATEGORY_WORDS.items():
        if any(w in lower for w in words):
            scores[category] = 0.93
    for category, score in FLAG_RE.findall(text):
        scores[category] = min(float(score), 1.0)
    return scores


def moderation(req):
    texts = as_texts(req.get("input"))
    results = []
    for text in texts:
        scores = categories_of(text)
        flags = {c: s >= 0.5 for c, s in scores.items()}
        results.append({"flagged": any(flags.values()), "categories": flags, "category_scores": scores})
    return {"id": "modr-mock", "model": req.get("model") or "omni-moderation-latest", "results": results}


def classify(req):
    texts = as_texts(req.get("input"))
    data = []
    for i, text in enumerate(texts):
        lower = text.lower()
        injection = "[[injection]]" in lower or any(w in lower for w in INJECTION_WORDS)
        p = 0.98 if injection else 0.02
        data.append({"index": i, "label": "INJECTION" if injection else "SAFE",
                     "probs": [round(1 - p, 4), p], "num_classes": 2})
    return {"id": "classify-mock", "object": "list", "created": int(time.time()),
            "model": req.get("model") or "protectai/deberta-v3-base-prompt-injection-v2", "data": data,
            "usage": {"prompt_tokens": sum(len(t.split()) for t in texts), "total_tokens": 0,
                      "completion_tokens": 0, "prompt_tokens_details": None}}


def llama_guard(req):
    messages = req.get("messages") or []
    last = messages[-1].get("content", "") if messages else ""
    if isinstance(last, list):
        last = " ".join(p.get("text", "") for p in last if isinstance(p, dict))
    codes = UNSAFE_RE.findall(last)
    for category, score in categories_of(last).items():
        if score >= 0.5 and LLAMA_CODES[category] not in codes:
            codes.append(LLAMA_CODES[category])
    answer = "unsafe\n" + ",".join(codes) if codes else "safe"
    return {"id": "chatcmpl-guard", "object": "chat.completion", "created": int(time.time()),
            "model": req.get("model") or "meta-llama/Llama-Guard-3-8B",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "\n\n" + answer},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}


def analyze(req):
    text = req.get("text")
    if not isinstance(text, str):
        raise BadRequest("text is required")
    wanted = req.get("entities") or ["PERSON", "LOCATION"]
    found = []
    for entity, names in (("PERSON", PERSONS), ("LOCATION", LOCATIONS)):
        if entity not in wanted:
            continue
        for name in names:
            for m in re.finditer(re.escape(name), text):
                # Python string indices: characters, as Presidio answers.
                found.append({"entity_type": entity, "start": m.start(), "end": m.end(), "score": 0.85,
                              "analysis_explanation": None,
                              "recognition_metadata": {"recognizer_name": "SpacyRecognizer"}})
    return sorted(found, key=lambda e: e["start"])


ROUTES = {"/v1/moderations": moderation, "/classify": classify,
          "/v1/chat/completions": llama_guard, "/analyze": analyze}


class BadRequest(Exception):
    pass


def as_texts(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise BadRequest("input must be a string or a list of strings")


def all_text(req):
    parts = []
    for key in ("input", "text"):
        v = req.get(key)
        parts.extend(v if isinstance(v, list) else [v] if isinstance(v, str) else [])
    for m in req.get("messages") or []:
        if isinstance(m.get("content"), str):
            parts.append(m["content"])
    return " ".join(p for p in parts if isinstance(p, str))


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = {}
        self.stopping = threading.Event()
        self.reset()

    def reset(self):
        with self.lock:
            self.calls = {}
            self.texts = {}
            self.last_headers = {}

    def record(self, path, n_texts, headers):
        with self.lock:
            self.calls[path] = self.calls.get(path, 0) + 1
            self.texts[path] = self.texts.get(path, 0) + n_texts
            self.last_headers = {k.lower(): v for k, v in headers.items()}

    def stats(self):
        with self.lock:
            return {"calls": dict(self.calls), "texts": dict(self.texts), "last_headers": dict(self.last_headers)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-guards"
    # One segment per reply write: no Nagle wait on the delayed ACK of the caller (40 ms).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/mock/stats":
            return self.send_json(200, self.server.state.stats())
        if self.path == "/health":
            return self.send_json(200, {})
        self.send_json(404, {"error": "not found"})

    def do_POST(self):
        body = self.read_body()
        if self.path == "/mock/reset-stats":
            self.server.state.reset()
            return self.send_json(200, {})
        if self.path == "/mock/faults":
            self.server.state.faults = json.loads(body or b"{}")
            return self.send_json(200, self.server.state.faults)
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            return self.send_json(404, {"error": {"message": f"no route {self.path}"}})
        try:
            req = json.loads(body)
        except ValueError:
            return self.send_json(400, {"error": {"message": "body is not JSON"}})
        text = all_text(req)
        n = len(req["input"]) if isinstance(req.get("input"), list) else 1
        self.server.state.record(self.path, n, self.headers)
        faults = dict(self.server.state.faults)
        if m := DELAY_RE.search(text):
            faults["delay_ms"] = int(m.group(1))
        if m := STATUS_RE.search(text):
            faults["status"] = int(m.group(1))
        faults["malformed"] = faults.get("malformed") or "[[guard-malformed]]" in text
        faults["reset"] = faults.get("reset") or "[[guard-reset]]" in text
        if faults.get("delay_ms"):
            self.server.state.stopping.wait(faults["delay_ms"] / 1000)
        if faults["reset"]:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if faults.get("status"):
            return self.send_json(faults["status"], {"error": {"message": "injected fault"}})
        if faults["malformed"]:
            return self.send_raw(200, b"{\"results\": [", "application/json")
        try:
            self.send_json(200, route(req))
        except BadRequest as e:
            self.send_json(400, {"error": {"message": str(e)}})

    def read_body(self):
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status, obj):
        self.send_raw(status, json.dumps(obj).encode(), "application/json")

    def send_raw(self, status, data, content_type):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host, port):
        self.state = State()
        super().__init__((host, port), Handler)

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8010, help="0 picks a free port")
    p.add_argument("--ready-file", help="write the listening port here once ready")
    args = p.parse_args(argv)
    server = Server(args.host, args.port)

    def stop(_signum, _frame):
        server.state.stopping.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    port = server.server_address[1]
    if args.ready_file:
        tmp = f"{args.ready_file}.tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.ready_file)
    print(f"LISTENING {port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
