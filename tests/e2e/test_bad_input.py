"""Every bad input has a documented outcome, and none crashes the VM: the
same Envoy keeps serving afterwards."""
import json
import socket

import h2.config as h2_config
import h2.connection as h2
import h2.events as h2_events
import pytest

from harness import chat, request

CHAT = "/v1/chat/completions"


def assert_openai_error(r, status, code):
    assert r.status == status, r.body
    assert r.header("content-type") == "application/json"
    err = r.json()["error"]
    assert err["code"] == code
    assert err["type"] == "invalid_request_error"
    assert err["message"]


def assert_still_serving(proxy):
    r = request(proxy.url, "POST", CHAT, chat("still here"))
    assert r.status == 200 and r.json()["choices"][0]["message"]["content"] == "still here"


def test_malformed_json_is_refused_and_never_reaches_the_model(envoy, pods):
    before = pods["stable"].request_count(CHAT)
    r = request(envoy.url, "POST", CHAT, b'{"model":"llm","messages":[{"role":"user","cont')
    assert_openai_error(r, 400, "invalid_json")
    assert pods["stable"].request_count(CHAT) == before
    assert envoy.metric("llm_policy_request_bodies_total", rule="default",
                        outcome="invalid_json", action="rejected") >= 1
    assert_still_serving(envoy)


@pytest.mark.parametrize("body,code", [
    (b'{"messages":[{"role":"user","content":"caf\xe9"}]}', "invalid_utf8"),
    (b"[1, 2, 3]", "not_an_object"),
    (b"", "invalid_json"),
])
def test_unreadable_bodies(envoy, body, code):
    if not body:  # an empty chunked body: headers do not end the stream
        r = request(envoy.url, "POST", CHAT, chunks=[])
    else:
        r = request(envoy.url, "POST", CHAT, body)
    assert_openai_error(r, 400, code)
    assert_still_serving(envoy)


def test_body_over_the_limit_is_refused_with_413(make_envoy, pods):
    proxy = make_envoy({"version": 1, "limits": {"max_body_bytes": 2048}})
    before = pods["stable"].request_count(CHAT)
    r = request(proxy.url, "POST", CHAT, chat("x" * 4096))
    assert_openai_error(r, 413, "body_too_large")
    assert "2048 bytes" in r.json()["error"]["message"]
    assert pods["stable"].request_count(CHAT) == before
    ok = request(proxy.url, "POST", CHAT, chat("x" * 1500))
    assert ok.status == 200


def test_fail_open_route_forwards_what_it_cannot_read(make_envoy, pods):
    proxy = make_envoy({"version": 1, "limits": {"max_body_bytes": 1024},
                        "failure_mode": {"screening": "open"}})
    big = request(proxy.url, "POST", CHAT, chat("y" * 3000))
    assert big.status == 200 and big.header("x-served-by") == "stable"
    assert len(big.json()["choices"][0]["message"]["content"]) == 3000
    broken = request(proxy.url, "POST", CHAT, b"{broken")
    assert broken.status == 400 and broken.header("x-served-by") == "stable", \
        "the pod, not the filter, answers an unread body"
    assert proxy.metric("llm_policy_request_bodies_total", rule="default",
                        outcome="invalid_json", action="forwarded_unread") == 1
    assert proxy.metric("llm_policy_request_bodies_total", rule="default",
                        outcome="body_too_large", action="forwarded_unread") == 1


def test_compressed_body_is_refused_on_a_fail_closed_route(envoy):
    r = request(envoy.url, "POST", CHAT, b"\x1f\x8b\x08\x00", {"content-encoding": "gzip"})
    assert_openai_error(r, 415, "unsupported_content_encoding")


def test_many_small_chunks_without_content_length(envoy, pods):
    body = json.dumps(chat("chunked " * 200)).encode()
    chunks = [body[i:i + 7] for i in range(0, len(body), 7)]
    r = request(envoy.url, "POST", CHAT, chunks=chunks, headers={"content-type": "application/json"})
    assert r.status == 200
    assert r.json()["choices"][0]["message"]["content"] == "chunked " * 200
    assert pods["stable"].get("/mock/last-request")["body"].encode() == body


def h2_request(port, path, body, trailers):
    """An HTTP/2 (prior knowledge) POST whose body ends with trailers."""
    conn = h2.H2Connection(config=h2_config.H2Configuration(client_side=True))
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    try:
        conn.initiate_connection()
        conn.send_headers(1, [(":method", "POST"), (":path", path), (":scheme", "http"),
                              (":authority", "localhost"), ("content-type", "application/json")])
        for i in range(0, len(body), 100):
            conn.send_data(1, body[i:i + 100])
        conn.send_headers(1, trailers, end_stream=True)
        sock.sendall(conn.data_to_send())
        status, headers, data = None, {}, b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            for event in conn.receive_data(chunk):
                if isinstance(event, h2_events.ResponseReceived):
                    headers = {k.decode(): v.decode() for k, v in event.headers}
                    status = int(headers[":status"])
                elif isinstance(event, h2_events.DataReceived):
                    data += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, 1)
                elif isinstance(event, (h2_events.StreamEnded, h2_events.StreamReset)):
                    return status, headers, data
            sock.sendall(conn.data_to_send())
        return status, headers, data
    finally:
        sock.close()


def test_http2_body_ending_with_trailers_is_read(envoy, pods):
    body = json.dumps(chat("over h2 " * 50)).encode()
    status, headers, data = h2_request(envoy.port, CHAT, body, [("x-checksum", "abc")])
    assert status == 200, data
    assert json.loads(data)["choices"][0]["message"]["content"] == "over h2 " * 50
    assert pods["stable"].get("/mock/last-request")["body"].encode() == body


def test_http2_malformed_body_ending_with_trailers_is_refused(envoy):
    status, headers, data = h2_request(envoy.port, CHAT, b'{"messages": [', [("x-t", "1")])
    assert status == 400
    assert json.loads(data)["error"]["code"] == "invalid_json"
