#!/usr/bin/env python3
"""Generates tests/corpus/pii_glued.jsonl: PII glued to pasted escape
sequences, markup and URI schemes, PII written to dodge a pattern
(full-width, other decimal digits, invisible characters and controls inside
the value), and hard negatives (Windows paths, regexes, code with escapes,
markdown without PII).

Run with the generator venv (faker, phonenumbers, schwifty, python-stdnum):

    /work/venv-gen/bin/python tests/corpus/gen_pii_glued.py > tests/corpus/pii_glued.jsonl

Each line: {"text": ..., "expect": [{"kind": ..., "value": ...}], "case": ...}
where value is the ORIGINAL text of the span (obfuscation included), and
case names the glue or obfuscation (the test prints a table per case).
Fixed seed: the output is the same on every run.
"""

import base64
import ipaddress
import json
import random
import string
import sys

import phonenumbers
from faker import Faker
from schwifty import IBAN
from stdnum import luhn

SEED = 20261201
rng = random.Random(SEED)
Faker.seed(SEED)
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "ja_JP", "en_AU", "en_IN", "pl_PL"]
fake = Faker(LOCALES)
fake.seed_instance(SEED)

PER_KIND = 12  # values per kind for the glue table


# ---------------------------------------------------------------- values

def emails():
    out = set()
    while len(out) < PER_KIND * 2:
        loc = rng.choice(LOCALES)
        e = rng.choice([fake[loc].email, fake[loc].free_email, fake[loc].company_email])()
        if e.isascii():
            out.add(e)
    return sorted(out)


PHONE_REGIONS = ["GB", "AU", "JP", "BR", "NL", "ES", "DE", "IN", "FR", "IT", "US", "PL"]
REGION_LOCALE = {"GB": "en_GB", "AU": "en_AU", "JP": "ja_JP", "BR": "pt_BR", "NL": "nl_NL", "ES": "es_ES",
                 "DE": "de_DE", "IN": "en_IN", "FR": "fr_FR", "IT": "it_IT", "US": "en_US", "PL": "pl_PL"}


def phone_ok_for_scanner(s):
    """The shapes the built-in international rule matches: +, 7-15 digits in
    groups joined by single spaces or dashes."""
    digits = [c for c in s if c.isdigit()]
    if not (7 <= len(digits) <= 15) or not s.startswith("+"):
        return False
    return all(c.isdigit() or c in " -" for c in s[1:]) and "  " not in s and "--" not in s


def phones():
    out = set()
    tries = 0
    while len(out) < PER_KIND * 2 and tries < 20000:
        tries += 1
        region = rng.choice(PHONE_REGIONS)
        raw = fake[REGION_LOCALE[region]].phone_number()
        try:
            n = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(n):
            continue
        fmt = rng.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164])
        s = phonenumbers.format_number(n, fmt)
        if phone_ok_for_scanner(s):
            out.add(s)
    return sorted(out)


def ssns():
    out = set()
    while len(out) < PER_KIND * 2:
        s = fake["en_US"].ssn()
        a, g, n = s.split("-")
        if a not in ("000", "666") and not a.startswith("9") and g != "00" and n != "0000":
            out.add(s if rng.random() < 0.8 else s.replace("-", " "))
    return sorted(out)


CARD_TYPES = ["visa16", "visa13", "mastercard", "amex", "discover", "jcb16", "diners"]


def group_card(d):
    if len(d) == 15 and d[:2] in ("34", "37"):
        parts = [d[:4], d[4:10], d[10:]]
    else:
        parts = [d[i:i + 4] for i in range(0, len(d), 4)]
        if len(parts[-1]) < 3:
            return d
    return rng.choice([" ", "-"]).join(parts)


def cards():
    out = set()
    while len(out) < PER_KIND * 2:
        d = fake["en_US"].credit_card_number(card_type=rng.choice(CARD_TYPES))
        assert luhn.is_valid(d), d
        out.add(d if rng.random() < 0.5 else group_card(d))
    return sorted(out)


def ips():
    out = set()
    while len(out) < PER_KIND:
        a = fake["en_US"].ipv4_public()
        if ipaddress.ip_address(a).is_global:
            out.add(a)
    v6 = set()
    while len(v6) < PER_KIND:
        a = fake["en_US"].ipv6()
        groups = a.replace("::", ":").strip(":").split(":")
        has_digit = any(c.isdigit() for c in a)
        two_wide = all(len(g) == 2 for g in groups) and "::" not in a
        if ipaddress.ip_address(a).is_global and has_digit and not two_wide:
            v6.add(a)
    return sorted(out) + sorted(v6)


def ibans():
    out = set()
    while len(out) < PER_KIND * 2:
        raw = fake[rng.choice(LOCALES)].iban()
        try:
            iban = IBAN(raw)  # schwifty is the oracle: length, BBAN format, checksum
        except ValueError:
            continue
        out.add(iban.compact if rng.random() < 0.5 else iban.formatted)
    return sorted(out)


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def rand(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


UPPER_DIGITS = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits


def secrets():
    out = []
    for _ in range(PER_KIND * 2 // 6 + 1):
        out.append("AKIA" + rand(UPPER_DIGITS, 16))
        out.append("ghp_" + rand(ALNUM, 36))
        body = rand(ALNUM, 40)
        out.append("sk-proj-" + body[:10] + rng.choice("ABCDEFG") + rng.choice("abcdefg") + rng.choice("0123456789") + body[10:])
        out.append("AIza" + rand(ALNUM + "_-", 35))
        out.append("xoxb-" + rand(string.digits, 12) + "-" + rand(ALNUM, 24))
        header = b64url({"alg": "HS256", "typ": "JWT"})
        payload = b64url({"sub": fake["en_US"].uuid4(), "name": fake["en_US"].first_name(), "iat": rng.randrange(10**9, 2 * 10**9)})
        out.append(f"{header}.{payload}.{rand(ALNUM + '_-', 43)}")
    return out


# ---------------------------------------------------------------- glue

BS = "\\"
# (case, left, right): the value goes between; escapes are the literal
# two (or six) characters, as pasted from logs, JSON and CSV.
GLUE = [
    ("esc \\n", BS + "n", BS + "n"),
    ("esc \\t", BS + "t", BS + "t"),
    ("esc \\r\\n", BS + "r" + BS + "n", BS + "r" + BS + "n"),
    ("esc \\b \\f", BS + "b", BS + "f"),
    ('esc \\"', BS + '"', BS + '"'),
    ("esc \\\\", BS + BS, BS + BS),
    ("esc \\u00a0", BS + "u00a0", BS + "u00a0"),
    ("esc \\u0009", BS + "u0009", BS + "u000A"),
    ("esc \\x20", BS + "x20", BS + "x0a"),
    ("md **", "**", "**"),
    ("md __", "__", "__"),
    ("md *", "*", "*"),
    ("md _", "_", "_"),
    ("md `", "`", "`"),
    ("md ```", "```\n", "\n```"),
    ("html <b>", "<b>", "</b>"),
    ("html <td>", "<td>", "</td>"),
    ("html <span>", '<span class="x">', "</span>"),
    ("md table |", "|", "|"),
    ("md table | |", "| ", " |"),
    ("md [..](", "[", "](https://example.org)"),
    ("md ~~", "~~", "~~"),
    ("quotes \"", '"', '"'),
    ("quotes '", "'", "'"),
    ("quotes curly", "\u201c", "\u201d"),
    ("quotes guillemets", "\u00ab", "\u00bb"),
    ("parens", "(", ")"),
    ("brackets", "[", "]"),
    ("braces", "{", "}"),
    ("angle", "<", ">"),
    ("key=", "value=", "&next=1"),
    ("key:", "value:", ";"),
    ("json", '{"value":"', '"}'),
    ("csv", "x,", ",y"),
    ("cjk", "\u756a\u53f7", "\u3002"),
    ("nbsp", "\u00a0", "\u00a0"),
]
SCHEMES = {
    "email": [("scheme mailto:", "mailto:", ""), ("md [..](mailto:)", "[", "](mailto:{v})")],
    "phone": [("scheme tel:", "tel:", ""), ("scheme sms:", "sms:", ""), ("scheme callto:", "callto:", "")],
}
LABELS = {
    "email": ["Email:", "Contact", "mail to", "E-mail"],
    "phone": ["Phone:", "Call", "Tel", "Mobile:"],
    "ssn": ["SSN:", "Social security", "ssn"],
    "card": ["Card:", "Pay with", "card number"],
    "ip": ["IP:", "host", "from"],
    "iban": ["IBAN:", "Wire to", "account"],
    "secret": ["Key:", "token", "export"],
}
TAILS = ["", " thanks", ". Please check.", " and more text", ", ok?"]


def glued_lines(kind, values):
    lines = []
    for case, left, right in GLUE + SCHEMES.get(kind, []):
        for value in rng.sample(values, 3):
            label = rng.choice(LABELS[kind])
            expect = [{"kind": kind, "value": value}]
            r = right
            if "{v}" in r:
                r = r.replace("{v}", value)
                expect.append({"kind": kind, "value": value})
            # escapes and markup glued to the label itself, as pasted
            joiner = "" if case.startswith("esc") or case.startswith("scheme") else " "
            text = f"{label}{joiner}{left}{value}{r}{rng.choice(TAILS)}"
            lines.append({"text": text, "expect": expect, "case": case})
    return lines


# ---------------------------------------------------------------- obfuscation

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


def full_width(v):
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in v)


def digits_to(v, zero):
    return "".join(chr(zero + ord(c) - 48) if c.isdigit() else c for c in v)


def insert_inside(v, chars, n):
    """Inserts n of chars at interior positions between two value chars."""
    positions = sorted(rng.sample(range(1, len(v)), min(n, len(v) - 1)), reverse=True)
    for p in positions:
        v = v[:p] + rng.choice(chars) + v[p:]
    return v


OBFUSCATIONS = [
    ("full-width", full_width, None),
    ("full-width + ideographic space", lambda v: full_width(v).replace(" ", "\u3000"), None),
    ("zero-width inside", lambda v: insert_inside(v, ZERO_WIDTH, rng.randint(1, 3)), None),
    ("NUL inside", lambda v: insert_inside(v, ["\x00"], rng.randint(1, 2)), None),
    ("C0 control inside", lambda v: insert_inside(v, ["\x01", "\x1f", "\x02", "\x1b"], 1), None),
    ("escaped zero-width inside", lambda v: insert_inside(v, [BS + "u200b", BS + "u0000"], 1), None),
    ("arabic-indic digits", lambda v: digits_to(v, 0x0660), {"phone", "ssn", "card", "ip"}),
    ("devanagari digits", lambda v: digits_to(v, 0x0966), {"phone", "ssn", "card"}),
    ("no-break spaces", lambda v: v.replace(" ", rng.choice(["\u00a0", "\u202f"])), {"phone", "ssn", "card", "iban"}),
]


def obfuscated_lines(kind, values):
    lines = []
    for case, transform, kinds in OBFUSCATIONS:
        if kinds is not None and kind not in kinds:
            continue
        pool = values
        if case == "no-break spaces":
            pool = [v for v in values if " " in v] or values
        if case in ("arabic-indic digits", "devanagari digits") and kind == "ip":
            pool = [v for v in values if "." in v]
        for value in rng.sample(pool, min(4, len(pool))):
            shown = transform(value)
            label = rng.choice(LABELS[kind])
            text = f"{label} {shown}{rng.choice(TAILS)}"
            lines.append({"text": text, "expect": [{"kind": kind, "value": shown}], "case": case})
    return lines


# ---------------------------------------------------------------- negatives

PATH_WORDS = ["new", "tmp", "temp", "bin", "build", "backup", "node_modules", "net", "repos", "release",
              "fonts", "files", "vendor", "var", "users", "uploads", "x64", "xampp", "test", "notes", "tools"]


def windows_path():
    user = fake["en_US"].user_name()
    parts = rng.sample(PATH_WORDS, rng.randint(2, 4))
    name = fake["en_US"].file_name()
    drive = rng.choice(["C:", "D:", "E:"])
    sep = rng.choice([BS, BS + BS])
    return drive + sep + sep.join(["Users", user] + parts + [name])


def negatives():
    out = []
    for _ in range(30):
        out.append(("windows path", f"Open {windows_path()} and run it."))
    for _ in range(10):
        out.append(("windows path", f'"path": "{windows_path()}"'))
    regexes = [
        r"\d{3}-\d{2}-\d{4}", r"^\+?\d{1,3}[-. ]?\d{3,14}$", r"[\w.+-]+@[\w-]+\.[\w.]+",
        r"\b(?:\d{1,3}\.){3}\d{1,3}\b", r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b", r"(\d{4}[- ]?){3}\d{4}",
        r"\bAKIA[0-9A-Z]{16}\b", r"\s+\n\t\r", r"\u00a0\x20\b\f", r"[^\n\r]+",
    ]
    for r in regexes:
        for template in ["Use the regex {r} to validate input.", "pattern = re.compile(r'{r}')", "grep -E '{r}' file.txt"]:
            out.append(("regex", template.format(r=r)))
    code = [
        'printf("Hello, %s!\\n", name);',
        'console.log("total:\\t" + total + "\\n");',
        'let s = "line one\\nline two\\r\\n";',
        'fmt.Printf("%d items\\n", count)',
        'raise ValueError(f"bad value: {x!r}\\n")',
        'sys.stdout.write("\\u001b[31mred\\u001b[0m\\n")',
        'echo -e "a\\tb\\tc\\n"',
        'json.dumps({"msg": "ok\\n", "n": 3})',
        'String.format("%s\\t%s%n", a, b);',
        'buf.push_str("\\n\\n");',
    ]
    for c in code:
        out.append(("code with escapes", c))
        out.append(("code with escapes", f"```\n{c}\n```"))
    for _ in range(20):
        words = fake["en_US"].words(6)
        md = rng.choice([
            "**{0}** and __{1}__ then *{2}* or _{3}_ with `{4}` and <b>{5}</b>",
            "| {0} | {1} |\n|---|---|\n| {2} | {3} |",
            "[{0}](https://example.org/{1}) ~~{2}~~ > {3} {4}",
            "- {0}\n- {1}\n  - `{2}_{3}`\n\n## {4} {5}",
        ]).format(*words)
        out.append(("markdown", md))
    cjk = ["２０２４年４月１日に会議があります。", "価格は１，２００円です。", "第３章を読んでください。",
           "会議室は３０５号室です。", "ページ１２から１５まで。", "Ｑ＆Ａのセッション"]
    for c in cjk:
        out.append(("full-width prose", c))
    for _ in range(10):
        text = fake["fr_FR"].sentence(10).replace(" ", "\u00a0", 2)
        out.append(("no-break prose", text))
    for _ in range(10):
        w = fake["en_US"].words(4)
        out.append(("zero-width prose", "\u200b".join(w) + "\u00ad" + fake["en_US"].word()))
    return [{"text": t, "expect": [], "case": "negative: " + c} for c, t in out]


def main():
    kinds = {
        "email": emails(),
        "phone": phones(),
        "ssn": ssns(),
        "card": cards(),
        "ip": ips(),
        "iban": ibans(),
        "secret": secrets(),
    }
    lines = []
    for kind, values in kinds.items():
        assert len(values) >= 6, (kind, values)
        lines += glued_lines(kind, values)
        lines += obfuscated_lines(kind, values)
    lines += negatives()
    for line in lines:
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
