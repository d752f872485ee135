"""Issue 10's leak classes through the real Envoy with the embedded default
policy: for each class, values placed in ordinary sentences must not reach
the model (prompts: what the mock pod received) nor the user (streamed
outputs, cut at every position inside the value), attacks must be refused
with `content_policy_violation` before the model, fields nobody reads must
be screened or refused, and benign look-alikes must pass unchanged.

A leak is any piece of the value (see leak_cases.py): only a whole redaction
passes. Generated values come from leak_cases.json (leak_cases_gen.py).
"""
import json

import pytest

import leak_cases as lc
from harness import chat, request

CHAT = "/v1/chat/completions"
SIDES = ["prompt", "stream"]


# ------------------------------------------------------------------ the two sides

def send_prompt(envoy, pods, body):
    """The response, and the parsed body the model received (None if it received nothing)."""
    pod = pods["stable"]
    before = pod.request_count(CHAT)
    r = request(envoy.url, "POST", CHAT, body)
    if pod.request_count(CHAT) == before:
        return r, None
    return r, json.loads(pod.get("/mock/last-request")["body"])


class Stream:
    """A streamed answer as the client got it."""

    def __init__(self, response):
        self.status = response.status
        self.raw = response.body.decode(errors="replace")
        self.text, self.events, self.errors, self.done = "", [], [], False
        for block in self.raw.split("\n\n"):
            data = "".join(line.removeprefix("data:").strip()
                           for line in block.splitlines() if line.startswith("data:"))
            if not data:
                continue
            if data == "[DONE]":
                self.done = True
                continue
            event = json.loads(data)
            self.events.append(event)
            if "error" in event:
                self.errors.append(event["error"].get("code"))
            for choice in event.get("choices", []):
                delta = choice.get("delta") or {}
                for key in ("content", "refusal", "reasoning_content"):
                    self.text += delta.get(key) or ""
                self.text += choice.get("text") or ""


def run_stream(envoy, reply, plan, headers=None):
    size, pad = plan
    extra = {"mock_token_chars": size} if size else {}
    body = chat("hi", stream=True, mock_reply=" " * pad + reply, **extra)
    return Stream(request(envoy.url, "POST", CHAT, body, headers))


def report(failures, what):
    shown = "\n".join(f"  {f}" for f in failures[:10])
    more = f"\n  ... {len(failures) - 10} more" if len(failures) > 10 else ""
    return f"{len(failures)} {what}:\n{shown}{more}"


def long_pieces(cases, scaffold, width=12):
    """Each long piece of a secret → its case."""
    owners = {}
    for case in cases:
        for piece in lc.pieces(case.secret, scaffold, width):
            owners.setdefault(piece, case)
    return owners


def event_leaks(stream, owners, width=12):
    """Cases whose secret has a long raw piece inside one event (any of its strings)."""
    found = []
    for event in stream.events:
        for text in lc.strings_of(event):
            found += [owners[w] for w in lc.windows(lc.fold(text), width) if w in owners]
    return list(dict.fromkeys(found))


def assert_kept_from_model(envoy, pods, cases):
    """Each case sent alone as a prompt: answered 200 (redacted, not refused),
    the sentence reached the model, the value did not."""
    failures = []
    for case in cases:
        r, seen = send_prompt(envoy, pods, chat(case.text))
        if r.status != 200 or seen is None:
            failures.append(f"{case}: status {r.status}, reached model: {seen is not None}")
            continue
        received = "\n".join(lc.strings_of(seen["messages"]))
        found = lc.leaked(case.secret, received, case.scaffold)
        digits = lc.stray_digits(received, case.scaffold)
        if found or digits:
            failures.append(f"{case}: the model got {found[:4]} {digits[:2]}")
    assert not failures, report(failures, "values reached the model")


SEPARATOR = "\n~\n"


def assert_kept_from_client(envoy, cases, plans=None):
    """All cases in one streamed reply, one per paragraph, cut by every plan:
    the reply arrives whole ([DONE], no error, its last sentence), and no
    paragraph holds a piece of its value, nor any event 12 characters of one."""
    reply = SEPARATOR.join(c.text for c in cases) + lc.END
    plans = plans or lc.split_plans(max(len(c.written) for c in cases))
    wanted = [(case, lc.pieces(case.secret, case.scaffold + lc.END)) for case in cases]
    owners = long_pieces(cases, " ".join(c.scaffold for c in cases))
    problems = {}  # what went wrong -> the cuts where it did

    def note(what, where):
        problems.setdefault(what, []).append(where)

    for plan in plans:
        s = run_stream(envoy, reply, plan)
        where = f"size {plan[0] or 'words'} pad {plan[1]}"
        paragraphs = s.text.removeprefix(" " * plan[1]).split(SEPARATOR)
        if s.status != 200 or not s.done or s.errors or not s.text.endswith(lc.END.strip()) \
                or len(paragraphs) != len(cases):
            note(f"reply not whole: status {s.status}, [DONE] {s.done}, errors {s.errors}, "
                 f"{len(paragraphs)} of {len(cases)} paragraphs", where)
            continue
        for (case, secret_pieces), got in zip(wanted, paragraphs):
            found = sorted(secret_pieces & lc.windows(lc.fold(got), 4))
            digits = lc.stray_digits(got, case.scaffold)
            if found or digits:
                note(f"{case} -> {found[:4] or digits[:1]}", where)
        for case in event_leaks(s, owners):
            note(f"one event carries 12+ characters of {case.secret[:40]!r}", where)
    failures = [f"{what}: in {len(cuts)} of {len(plans)} cuts (first {cuts[0]})"
                for what, cuts in problems.items()]
    assert not failures, report(failures, "leaks to the client")


def assert_pii_class(side, envoy, pods, cases, plans=None):
    if side == "prompt":
        assert_kept_from_model(envoy, pods, cases)
    else:
        assert_kept_from_client(envoy, cases, plans)


# ------------------------------------------------------------------ PII classes

@pytest.mark.parametrize("side", SIDES)
def test_cards_of_every_issuer_and_length(envoy, pods, side):
    """Visa 13/16/19, Mastercard 2-series, Amex, Discover (incl. 622126-622925),
    Diners 14, JCB 16 and 15 (1800/2131), Maestro 12-19, UnionPay 16-19, Mir,
    RuPay: every one with a valid Luhn digit, spaced, dashed or bare."""
    assert_pii_class(side, envoy, pods, lc.card_cases())


@pytest.mark.parametrize("side", SIDES)
def test_international_phone_numbers(envoy, pods, side):
    """24 countries: libphonenumber's international, E.164 and dashed forms and
    faker's own `+` strings (`+44(0)113 496 0783`, `+49 (0) 9771 085436`,
    `+90 (374) 3408547`), each a valid number per libphonenumber."""
    assert_pii_class(side, envoy, pods, lc.phone_cases())


@pytest.mark.parametrize("side", SIDES)
def test_values_glued_to_escape_sequences_and_markup(envoy, pods, side):
    """Phones, emails, a card, an SSN, an IBAN, a private address and an AWS key
    id right after or inside literal
    `\\n`, `\\t`, `\\r\\n`, `\\"`, `**`, backticks, `<b>`, `<td>`, CSV quotes,
    parentheses, `mailto:` and `tel:`."""
    assert_pii_class(side, envoy, pods, lc.glued_cases())


@pytest.mark.parametrize("side", SIDES)
def test_pem_private_keys(envoy, pods, side):
    """RSA (PKCS#1), EC (SEC1), Ed25519 (PKCS#8), OpenSSH, and a key pasted from a
    JSON file with `\\n` escapes. Streamed, the key goes out line by line with the
    mock's word tokens, and cut anywhere with small and line-sized events."""
    plans = [(n, pad) for n in range(1, 8) for pad in range(n)]
    plans += [(n, pad) for n in (16, 64, 65, 71, 200) for pad in range(0, n, max(1, n // 8))]
    assert_pii_class(side, envoy, pods, lc.pem_cases(), plans + [(None, 0)])


@pytest.mark.parametrize("side", SIDES)
def test_pii_written_to_dodge_a_pattern(envoy, pods, side):
    """Full-width digits and `＠`/`．`, zero-width and other invisible
    characters (U+200B/C/D, U+2060, U+FEFF, soft hyphen, NUL) inside a value."""
    assert_pii_class(side, envoy, pods, lc.dodged_cases())


# ------------------------------------------------------------------ attack families

def refusals(envoy, pods, texts):
    """The texts that were not refused with content_policy_violation before the model."""
    missed = []
    for text in texts:
        r, seen = send_prompt(envoy, pods, chat(text))
        code = r.json().get("error", {}).get("code") if r.status == 400 else None
        if r.status != 400 or code != "content_policy_violation" or seen is not None:
            missed.append(f"{text[:80]!r}: status {r.status}, code {code}, reached model {seen is not None}")
    return missed


@pytest.mark.parametrize("family", ["instruction_override", "system_prompt_extraction", "persona_jailbreak"])
def test_attack_families_are_blocked_in_prompts(envoy, pods, family):
    texts = {"instruction_override": lc.INSTRUCTION_OVERRIDE,
             "system_prompt_extraction": lc.SYSTEM_PROMPT_EXTRACTION,
             "persona_jailbreak": lc.PERSONA_JAILBREAK}[family]
    missed = refusals(envoy, pods, texts)
    # The target for classic attacks is 0.95 blocked; these phrasings
    # were written apart from the phrase lists, like the held-out evaluation.
    # Misses are printed; more than one in fifteen fails.
    if missed:
        print("\n" + report(missed, f"of {len(texts)} {family} prompts passed"))
    assert len(missed) <= 1, report(missed, f"of {len(texts)} {family} prompts passed")


def test_attack_families_in_other_languages_are_blocked_in_prompts(envoy, pods):
    """German, French, Spanish, Italian, Portuguese and Dutch overrides,
    extraction requests and personas are refused before the model."""
    missed = refusals(envoy, pods, lc.OTHER_LANGUAGES)
    assert not missed, report(missed, f"of {len(lc.OTHER_LANGUAGES)} prompts passed")


def test_persona_jailbreaks_in_the_wild_are_mostly_blocked(envoy, pods):
    """Long role-play jailbreaks: at least the issue's 0.60 of them refused."""
    texts = lc.PERSONA_IN_THE_WILD
    missed = refusals(envoy, pods, texts)
    assert len(texts) - len(missed) >= 0.6 * len(texts), report(missed, f"of {len(texts)} passed")


def test_obfuscated_banned_and_injection_phrases_are_blocked_in_prompts(envoy, pods):
    """Letters split by dots or spaces, leetspeak, Cyrillic and Greek look-alikes,
    zero-width characters between words."""
    texts = lc.OBFUSCATED_BANNED + lc.OBFUSCATED_INJECTION
    missed = refusals(envoy, pods, texts)
    assert not missed, report(missed, f"of {len(texts)} obfuscated phrases passed")


def test_obfuscated_banned_phrases_are_blocked_in_streamed_outputs(envoy):
    """Banned content blocks outputs too: the stream ends with a
    content_policy_violation error event before the phrase is complete, at every
    cut; a non-streamed answer is replaced (`finish_reason: content_filter`)."""
    failures = []
    for phrase in lc.OBFUSCATED_BANNED:
        reply = f"Here is my advice: {phrase}. More text follows."
        tail = phrase[-4:]
        r = request(envoy.url, "POST", CHAT, chat("hi", mock_reply=reply))
        choice = r.json()["choices"][0] if r.status == 200 and "choices" in r.json() else {}
        if choice.get("finish_reason") != "content_filter" or tail in json.dumps(choice, ensure_ascii=False):
            failures.append(f"{phrase!r} not streamed: {r.status} {choice.get('finish_reason')}")
        for plan in [(n, pad) for n in range(1, 8) for pad in range(n)]:
            s = run_stream(envoy, reply, plan)
            if "content_policy_violation" not in s.errors or tail in s.text or not s.done:
                failures.append(f"{phrase!r} size {plan[0]} pad {plan[1]}: errors {s.errors}, "
                                f"tail released {tail in s.text}")
                break
    assert not failures, report(failures, "obfuscated phrases got through in outputs")


# ------------------------------------------------------------------ fields nobody reads

EMAIL = lc.CASES["emails"][0]
PHONE = lc.CASES["phones"][0]["value"]
FIELD_TEXT = f"my email is {EMAIL} and my phone is {PHONE}"
FIELD_CASES = [lc.Case(EMAIL, FIELD_TEXT), lc.Case(PHONE, FIELD_TEXT)]

ODD_SHAPES = {
    "name": [{"role": "user", "name": EMAIL, "content": "hello there"}],
    "content object": [{"role": "user", "content": {"type": "text", "text": FIELD_TEXT}}],
    "part without type": [{"role": "user", "content": [{"text": FIELD_TEXT}]}],
    "part typed TEXT": [{"role": "user", "content": [{"type": "TEXT", "text": FIELD_TEXT}]}],
    "bare string part": [{"role": "user", "content": [FIELD_TEXT]}],
    "nested arrays": [{"role": "user", "content": [[{"type": "text", "text": FIELD_TEXT}]]}],
}


@pytest.mark.parametrize("shape", sorted(ODD_SHAPES))
def test_unread_request_fields_are_screened_or_refused(envoy, pods, shape):
    """`messages[].name` and odd content shapes: the model never gets the value.
    Refused is fine (any OpenAI-shaped 4xx before the model); passed unread is not."""
    r, seen = send_prompt(envoy, pods, {"model": "llm", "messages": ODD_SHAPES[shape]})
    if seen is None:
        assert 400 <= r.status < 500 and "code" in r.json()["error"], (r.status, r.body)
        return
    received = "\n".join(lc.strings_of(seen["messages"]))
    scaffold = FIELD_TEXT.replace(EMAIL, " ").replace(PHONE, " ")
    found = {c.secret: lc.leaked(c.secret, received, scaffold) for c in FIELD_CASES}
    assert not any(found.values()), f"passed unread to the model: {found}"


REFUSAL = f"I can't help with that. Please write to {EMAIL} or call {PHONE} instead."
REFUSAL_SCAFFOLD = REFUSAL.replace(EMAIL, " ").replace(PHONE, " ")


def refusal_events(size, pad):
    """A raw SSE body whose `delta.refusal` pieces carry REFUSAL (`\\n` for newlines: a mock header)."""
    head = {"id": "chatcmpl-raw", "object": "chat.completion.chunk", "created": 0, "model": "m"}
    text = " " * pad + REFUSAL
    deltas = [{"role": "assistant", "content": None}] + [
        {"refusal": text[i:i + size]} for i in range(0, len(text), size)]
    chunks = [{**head, "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
    chunks.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return "".join(f"data: {json.dumps(c)}\\n\\n" for c in chunks) + "data: [DONE]\\n\\n"


def test_refusal_in_outputs_is_screened_or_withheld(envoy):
    """`message.refusal` (non-streamed) and `delta.refusal` (streamed, cut at
    every position): the user never gets the value."""
    failures = []
    body = {"id": "chatcmpl-raw", "object": "chat.completion", "created": 0, "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": None, "refusal": REFUSAL}}]}
    r = request(envoy.url, "POST", CHAT, chat("hi"), {"x-mock-raw-body": json.dumps(body)})
    got = "\n".join(lc.strings_of(r.json().get("choices", [])))
    for case in FIELD_CASES:
        if lc.leaked(case.secret, got, REFUSAL_SCAFFOLD):
            failures.append(f"message.refusal passed {case.secret!r} unread")
    longest = max(len(EMAIL), len(PHONE))
    for size, pad in lc.split_plans(longest)[:-1]:
        s = Stream(request(envoy.url, "POST", CHAT, chat("hi", stream=True), {
            "x-mock-raw-body": refusal_events(size, pad), "x-mock-content-type": "text/event-stream"}))
        for case in FIELD_CASES:
            found = lc.leaked(case.secret, s.text, REFUSAL_SCAFFOLD)
            if found:
                failures.append(f"delta.refusal size {size} pad {pad}: {found[:4]}")
    assert not failures, report(failures, "refusal leaks")


# ------------------------------------------------------------------ addresses

@pytest.mark.parametrize("side", SIDES)
def test_addresses_that_identify_nobody_pass_unchanged(envoy, pods, side):
    """Loopback, unspecified, documentation, link-local, multicast, broadcast
    addresses and netmasks in code answers: the model and the user see them as written."""
    assert_unchanged(side, envoy, pods, lc.HARMLESS_ADDRESSES)


@pytest.mark.parametrize("side", SIDES)
def test_addresses_that_identify_someone_are_still_redacted(envoy, pods, side):
    """The guard beside the test above: public and private addresses stay redacted."""
    cases = [lc.Case(ip, f"The customer connected from {ip} yesterday.") for ip in lc.identifying_addresses()]
    assert_pii_class(side, envoy, pods, cases)


# ------------------------------------------------------------------ benign look-alikes

def assert_unchanged(side, envoy, pods, texts):
    failures = []
    if side == "prompt":
        for text in texts:
            r, seen = send_prompt(envoy, pods, chat(text))
            echoed = r.json()["choices"][0]["message"]["content"] if r.status == 200 else None
            if seen is None or seen["messages"][0]["content"] != text or echoed != text:
                failures.append(f"{text!r}: status {r.status}, model got "
                                f"{seen and seen['messages'][0]['content']!r}")
    else:
        reply = "\n\n".join(texts)
        for plan in [(n, 0) for n in range(1, 8)] + [(5, 2), (7, 3), (None, 0)]:
            s = run_stream(envoy, reply, plan)
            got = s.text.removeprefix(" " * plan[1])
            if s.status != 200 or s.errors or got != reply:
                changed = [t for t in texts if t not in got]
                failures.append(f"event size {plan[0] or 'words'} pad {plan[1]}: errors {s.errors}, "
                                f"changed {changed[:3]}")
    assert not failures, report(failures, "benign texts changed")


@pytest.mark.parametrize("side", SIDES)
def test_benign_look_alikes_pass_unchanged(envoy, pods, side):
    """Role and instruction prompts that share words with jailbreaks, code,
    UUIDs, hashes, dates, order and tracking numbers."""
    assert_unchanged(side, envoy, pods, lc.benign_cases())
