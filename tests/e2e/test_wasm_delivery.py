"""Wasm delivery the way fleets do it: Envoy's `remote` code source over HTTP,
pinned by sha256. The right checksum loads the module; a wrong one is
refused and, with the filter failing closed, traffic is refused too rather
than passing unfiltered."""
import hashlib
import sys
from pathlib import Path

import pytest

from harness import WASM, Envoy, Process, chat, request, wait_until


@pytest.fixture(scope="module")
def wasm_server(workdir):
    """A plain HTTP server for dist/ on a free port, in its own process group."""
    ready = Path(workdir) / "wasm-server.port"
    script = ("import http.server,functools,sys;"
              "h=functools.partial(http.server.SimpleHTTPRequestHandler,directory=sys.argv[1]);"
              "s=http.server.ThreadingHTTPServer(('127.0.0.1',0),h);"
              "open(sys.argv[2],'w').write(str(s.server_address[1]));s.serve_forever()")
    proc = Process([sys.executable, "-c", script, str(WASM.parent), str(ready)],
                   Path(workdir) / "wasm-server.log")
    port = int(wait_until(lambda: ready.exists() and ready.read_text(), 10, "wasm server"))
    yield port, proc
    proc.stop()


def remote_envoy(workdir, pods, port, sha256):
    return Envoy(workdir, pods, template="llm-policy-remote.yaml", values={
        "WASM_URL": f"http://127.0.0.1:{port}/{WASM.name}", "WASM_SHA256": sha256,
        "WASM_SERVER_PORT": str(port)})


def test_remote_module_with_the_right_sha256_loads(workdir, pods, wasm_server):
    port, server = wasm_server
    proxy = remote_envoy(workdir, pods, port, hashlib.sha256(WASM.read_bytes()).hexdigest())
    try:
        r = request(proxy.url, "POST", "/v1/chat/completions", chat("fetched over http"))
        assert r.status == 200 and r.header("x-llm-policy"), "the filter ran"
        assert f"GET /{WASM.name}" in server.log()
    finally:
        proxy.stop()


def test_a_wrong_sha256_is_refused_and_traffic_fails_closed(workdir, pods, wasm_server):
    port, _ = wasm_server
    proxy = remote_envoy(workdir, pods, port, "0" * 64)
    try:
        r = request(proxy.url, "POST", "/v1/chat/completions", chat("must not pass unfiltered"))
        assert r.status == 503 and r.header("x-llm-policy") is None
        assert "Plugin llm-policy failed to load" in proxy.process.log()
        assert "must not pass unfiltered" not in pods["stable"].get("/mock/last-request")["body"]
    finally:
        proxy.stop()
