"""Request bodies the bench sends: chat completions of an exact size, and the
streamed answer of issue 15 (`sse-500`)."""
import json

FILLER = ("The operators reviewed the deployment plan before the evening release, "
          "and the model answered every question about routing, quotas and latency. ")

# The streamed response: an answer of SSE_CHARS characters (the mock's plain
# prose, `mock_pad`) cut into SSE_TOKEN_CHARS-character token events: a role
# event, 500 token events, the finish event and `[DONE]`, 503 in all.
SSE_CHARS = 2000
SSE_TOKEN_CHARS = 4
SSE_EVENTS = 1 + SSE_CHARS // SSE_TOKEN_CHARS + 2


def chat_body(size):
    """A chat-completion JSON body of exactly `size` bytes (English-ish filler)."""
    head, tail = '{"model":"llm","messages":[{"role":"user","content":"', '"}]}'
    room = size - len(head) - len(tail)
    if room < 0:
        raise ValueError(f"body size {size} is below the {len(head) + len(tail)}-byte minimum")
    text = (FILLER * (room // len(FILLER) + 1))[:room]
    return (head + text + tail).encode()


def sse_body():
    """A short streamed chat request the mock vLLM pod answers with SSE_CHARS
    characters of prose in SSE_TOKEN_CHARS-character events."""
    return json.dumps({
        "model": "llm", "stream": True,
        "messages": [{"role": "user", "content": "Summarise the committee's plan."}],
        "mock_reply": "", "mock_pad": SSE_CHARS, "mock_token_chars": SSE_TOKEN_CHARS,
    }).encode()


def sse_events(data):
    """The number of SSE events in a whole streamed body; raises unless it
    ends with `[DONE]`."""
    if not data.endswith(b"data: [DONE]\n\n"):
        raise RuntimeError(f"stream did not end with [DONE]: {data[-200:]!r}")
    return data.count(b"\n\n")
