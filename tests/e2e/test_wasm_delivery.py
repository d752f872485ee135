"""Wasm delivery the way fleets do it: Envoy's `remote` code source over HTTP,
pinned by sha256. The right checksum loads the module; a wrong one is
refused and, with the filter failing closed, traffic is refused too rather
than passing unfiltered."""
import hashlib

import pytest

from harness import WASM, Envoy, chat, file_server, request


@pytest.fixture(scope="module")
def wasm_server(workdir):
    """A plain HTTP server for dist/ on a free port, in its own process group."""
    port, proc = file_server(workdir, WASM.parent, "wasm-server")
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
