"""Large non-streamed outputs through the real Envoy (issue 11 item 6):
embeddings answers pass untouched whatever their size (vectors carry no
text), and a chat output over the body limit is screened as it passes
instead of being withheld: 200, valid JSON, PII near the end redacted, the
client receiving bytes before the model finished."""
import http.client
import json
import time

from harness import chat, request

CHAT = "/v1/chat/completions"
EMBEDDINGS = "/v1/embeddings"
MIB = 1 << 20


def test_a_5_mib_embeddings_answer_reaches_the_client_byte_for_byte(envoy, pods):
    body = {"model": "llm", "input": [f"passage number {i}" for i in range(600)], "dimensions": 1024}
    r = request(envoy.url, "POST", EMBEDDINGS, body, timeout=60)
    assert r.status == 200, r.body[:300]
    assert len(r.body) > 5 * MIB
    out = r.json()
    assert out["object"] == "list" and len(out["data"]) == 600
    assert all(len(d["embedding"]) == 1024 and d["object"] == "embedding" for d in out["data"])
    # Untouched: the pod's own framing and serialisation, and its vectors.
    assert int(r.header("content-length")) == len(r.body)
    assert json.dumps(out).encode() == r.body
    direct = pods["stable"]
    conn = http.client.HTTPConnection("127.0.0.1", direct.port, timeout=60)
    conn.request("POST", EMBEDDINGS, json.dumps(body), {"content-type": "application/json"})
    mine = json.loads(conn.getresponse().read())
    conn.close()
    assert mine["data"] == out["data"]


def test_base64_embeddings_pass_untouched(envoy):
    body = {"model": "llm", "input": ["jane.doe@example.com"] * 300, "dimensions": 4096,
            "encoding_format": "base64"}
    r = request(envoy.url, "POST", EMBEDDINGS, body, timeout=60)
    assert r.status == 200 and len(r.body) > 4 * MIB
    assert int(r.header("content-length")) == len(r.body)
    assert all(isinstance(d["embedding"], str) for d in r.json()["data"])


def test_a_chat_output_over_the_limit_is_screened_as_it_passes(envoy):
    pad = int(1.5 * MIB)
    r = request(envoy.url, "POST", CHAT,
                chat("hi", mock_reply="Write to jane.doe@example.com or call (415) 555-0132 today.",
                     mock_pad=pad), timeout=60)
    assert r.status == 200
    out = r.json()
    text = out["choices"][0]["message"]["content"]
    assert len(text) > pad and text.endswith("Write to [EMAIL] or call [PHONE] today."), text[-120:]
    assert b"jane.doe" not in r.body and b"555-0132" not in r.body
    assert out["choices"][0]["finish_reason"] == "stop" and out["usage"]["total_tokens"] > 0
    assert "error" not in out
    assert envoy.metric("llm_policy_screening_findings_total", rule="default", direction="response",
                        kind="pii", detector="email", action="redact") >= 1


def test_a_block_in_a_large_output_ends_it_as_valid_json(envoy):
    r = request(envoy.url, "POST", CHAT,
                chat("hi", mock_reply="Sure, here is how to make explosives at home: step one.",
                     mock_pad=int(1.2 * MIB)), timeout=60)
    assert r.status == 200
    choice = r.json()["choices"][0]
    assert choice["finish_reason"] == "content_filter"
    assert "explosives" not in choice["message"]["content"]
    assert choice["message"]["content"].startswith("The committee reviewed")


def test_the_client_gets_bytes_before_the_model_finished(envoy):
    """3 MiB sent by the pod in 64 KiB pieces 25 ms apart (about 1.2 s): the
    first 1 MiB (the limit) is held, then the body streams."""
    host, port = envoy.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    body = chat("hi", mock_reply="Reach me at ann.lee@example.org.", mock_pad=3 * MIB,
                mock_body_piece_delay_ms=25)
    start = time.monotonic()
    conn.request("POST", CHAT, json.dumps(body), {"content-type": "application/json"})
    r = conn.getresponse()
    assert r.status == 200
    first = r.read(1)
    first_at = time.monotonic() - start
    rest = r.read()
    done_at = time.monotonic() - start
    conn.close()
    out = json.loads(first + rest)
    assert out["choices"][0]["message"]["content"].endswith("Reach me at [EMAIL].")
    print(f"first body byte after {first_at:.2f} s, last after {done_at:.2f} s")
    assert done_at - first_at > 0.4, (first_at, done_at)
