"""Issue 10 through the real Envoy: fields nobody used to read are screened
or make the request unscreenable (per failure_mode.screening), and a private
key the model streams out is never released, whatever the event sizes.

The keys are throwaway test keys from tests/corpus/pem (see generate.sh)."""
import json
from pathlib import Path

import pytest

from harness import chat, request

CHAT = "/v1/chat/completions"
PEM_DIR = Path(__file__).resolve().parents[1] / "corpus" / "pem"
EMAIL = "jane.doe@example.com"


def pem(name):
    return "\n".join(l for l in (PEM_DIR / name).read_text().splitlines() if not l.startswith("#"))


def body_lines(key):
    return [l.rstrip("=") for l in key.splitlines() if not l.startswith("-----") and ":" not in l and len(l) >= 8]


def last_seen(pod):
    return json.loads(pod.get("/mock/last-request")["body"])


def stream_text(body, field="content"):
    text = ""
    for event in body.decode().split("\n\n"):
        data = event.strip().removeprefix("data: ")
        if not data or data == "[DONE]":
            continue
        for choice in json.loads(data).get("choices", []):
            text += choice.get("delta", {}).get(field) or ""
    return text


@pytest.mark.parametrize("content", [
    {"type": "text", "text": EMAIL},
    [[{"type": "text", "text": EMAIL}]],
    [{"type": "text", "text": {"value": EMAIL}}],
])
def test_unreadable_content_shapes_follow_the_failure_mode(make_envoy, pods, content):
    body = {"model": "llm", "messages": [{"role": "user", "content": content}]}
    closed = make_envoy()
    r = request(closed.url, "POST", CHAT, body)
    assert r.status == 400 and r.json()["error"]["code"] == "unscreenable_content", r.body
    opened = make_envoy({"version": 1, "failure_mode": {"screening": "open"},
                         "screening": {"detectors": {"email": {"action": "redact"}}}})
    r = request(opened.url, "POST", CHAT, body)
    assert r.status == 200, r.body
    assert last_seen(pods["stable"])["messages"][0]["content"] == content, "forwarded unread"


@pytest.mark.parametrize("message", [
    {"role": "user", "name": EMAIL, "content": "hi"},
    {"role": "user", "content": [f"mail {EMAIL}"]},
    {"role": "user", "content": [{"type": "TEXT", "text": f"mail {EMAIL}"}]},
    {"role": "user", "content": [{"text": f"mail {EMAIL}"}]},
    {"role": "assistant", "content": None, "refusal": f"I won't mail {EMAIL}"},
])
def test_every_prompt_field_the_model_reads_is_screened(envoy, pods, message):
    r = request(envoy.url, "POST", CHAT, {"model": "llm", "messages": [message, {"role": "user", "content": "ok"}]})
    assert r.status == 200, r.body
    seen = json.dumps(last_seen(pods["stable"]))
    assert EMAIL not in seen and "[EMAIL]" in seen


def test_refusal_outputs_are_redacted_json_and_streamed(envoy):
    reply = {"id": "c1", "object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop",
             "message": {"role": "assistant", "content": None, "refusal": f"I will not email {EMAIL}"}}]}
    r = request(envoy.url, "POST", CHAT, chat("hi"), {"x-mock-raw-body": json.dumps(reply)})
    assert r.status == 200 and r.json()["choices"][0]["message"]["refusal"] == "I will not email [EMAIL]"
    pieces = ["I will not email ja", "ne.doe@exa", "mple.com", " today."]
    events = [{"id": "c1", "object": "chat.completion.chunk",
               "choices": [{"index": 0, "delta": {"refusal": p}, "finish_reason": None}]} for p in pieces]
    events.append({"id": "c1", "object": "chat.completion.chunk",
                   "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    raw = "".join(f"data: {json.dumps(e)}\\n\\n" for e in events) + "data: [DONE]\\n\\n"
    r = request(envoy.url, "POST", CHAT, chat("hi", stream=True),
                {"x-mock-raw-body": raw, "x-mock-content-type": "text/event-stream"})
    assert r.status == 200
    assert b"jane" not in r.body and b"example.com" not in r.body
    assert stream_text(r.body, "refusal") == "I will not email [EMAIL] today."


KEYS = ["rsa2048_pkcs1.pem", "openssh_ed25519.pem", "pgp_ed25519.asc", "rsa2048_legacy_encrypted.pem"]


@pytest.mark.parametrize("name", KEYS)
def test_a_streamed_private_key_is_never_released(envoy, name):
    key = pem(name)
    text = f"Sure, here it is:\n```\n{key}\n```\nKeep it safe."
    want = "Sure, here it is:\n```\n[SECRET]\n```\nKeep it safe."
    for size in range(1, 8):
        r = request(envoy.url, "POST", CHAT, chat("key please", stream=True, mock_reply=text, mock_token_chars=size))
        assert r.status == 200
        assert stream_text(r.body) == want, size
        for line in body_lines(key):
            assert line.encode() not in r.body, (size, line)
    r = request(envoy.url, "POST", CHAT, chat("key please", mock_reply=text))
    assert r.json()["choices"][0]["message"]["content"] == want


def test_a_private_key_in_a_prompt_never_reaches_the_model(envoy, pods):
    key = pem("rsa2048_pkcs1.pem")
    escaped = key.replace("\n", "\\n")
    r = request(envoy.url, "POST", CHAT, chat(f"Why is this rejected?\n{key}\nAnd {{\"k\": \"{escaped}\"}}"))
    assert r.status == 200, r.body
    seen = last_seen(pods["stable"])["messages"][0]["content"]
    assert seen == 'Why is this rejected?\n[SECRET]\nAnd {"k": "[SECRET]"}'
