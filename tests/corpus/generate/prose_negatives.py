"""Writes ../generated/prose_negatives.jsonl: text nobody wrote for this
test, in which the default policy must change nothing. One JSON object a
line: {"text": "...", "expect": [], "source": "..."}.

Sources (see README.md): King James Bible verses (Debian `bible-kjv`,
public domain), quotations, jokes and literature from Debian's `fortunes`
(the fortune-mod cookie files), docstrings, comments and code from the Python sources shipped
in /work/venv-gen (stdlib and site-packages), faker and mimesis lorem text in
several locales, and synthetic identifiers (hashes, UUIDs, dates, versions,
prices, log lines) and support questions without personal data.

Every candidate line is checked by the oracles of pii_prompts.py and dropped
when it really holds a value (a valid phone number by libphonenumber, an
email address, a Luhn-valid 13-19 digit run, a valid IBAN, a private or
public IP address, a key-shaped token), so a finding in this file is a false
alarm. The number dropped is printed.

Run: /work/venv-gen/bin/python tests/corpus/generate/prose_negatives.py
(needs `apt-get install bible-kjv fortunes` for the `bible` program and the
cookie files).
"""

import ast
import hashlib
import ipaddress
import json
import random
import re
import subprocess
import sys
import sysconfig
import uuid
from datetime import date, datetime
from pathlib import Path

import phonenumbers
import schwifty
from faker import Faker
from mimesis import Text
from mimesis.locales import Locale

from placement import BENIGN_FILLERS, PLAIN, place

SEED = 20261202
HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "generated" / "prose_negatives.jsonl"
VENV = Path("/work/venv-gen")
START, END = date(1996, 1, 1), date(2027, 12, 31)
START_DT, END_DT = datetime(2015, 1, 1), datetime(2027, 12, 31)

SITE_PACKAGES = ["faker", "mimesis", "schwifty", "stdnum", "pip", "setuptools", "pycountry",
                 "confusables", "rstr", "importlib_resources", "typing_extensions.py"]

rng = random.Random(SEED)
dropped = {}


# --- oracles: does a candidate really hold a value? ---------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
DIGIT_RUN = re.compile(r"\d(?:[ -]?\d){12,18}")
IBAN_SHAPE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}\b")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
KEY_SHAPE = re.compile(r"AKIA|ASIA|gh[pousr]_|github_pat_|sk-|sk_live|rk_live|xox[bpars]-|AIza|"
                       r"eyJ|PRIVATE KEY")
SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")


def luhn_ok(digits):
    total = 0
    for i, d in enumerate(reversed([int(c) for c in digits])):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def holds_value(text):
    """The kind of a real value in `text`, or None."""
    if EMAIL.search(text):
        return "email"
    if KEY_SHAPE.search(text):
        return "secret"
    if SSN.search(text):
        return "ssn"
    for m in DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if luhn_ok(digits) and card_shape(digits, near(text, m.start())):
            return "card"
    for cand in IBAN_SHAPE.findall(text):
        try:
            schwifty.IBAN(cand)
            return "iban"
        except Exception:
            pass
    for cand in IPV4.findall(text) + IPV6.findall(text):
        try:
            ip = ipaddress.ip_address(cand)
        except ValueError:
            continue
        if ip.is_global or (ip.is_private and not (ip.is_loopback or ip.is_link_local or
                                                   ip.is_unspecified or ip.is_reserved)):
            return "ip"
    for reg in ("US", "GB", "DE", "FR", "IN", "JP", "BR", "AU"):
        for m in phonenumbers.PhoneNumberMatcher(text, reg, leniency=phonenumbers.Leniency.VALID):
            # A digit group libphonenumber accepts is a phone number to a reader
            # only in international form or after a phone word (a version,
            # timestamp or coordinate is not).
            raw = m.raw_string.lstrip("(")
            if raw.startswith("+") or raw.startswith("00") or PHONE_WORD.search(near(text, m.start)):
                return "phone"
    return None


PHONE_WORD = re.compile(r"phone|tel\b|tel\.|call|mobile|cell|fax|whatsapp|contact|ring", re.I)
CARD_WORD = re.compile(r"card|visa|mastercard|maestro|amex|pay|charge|karte|carte|tarjeta", re.I)


def near(text, start):
    """The 30 characters before `start`: where a context word would be."""
    return text[max(0, start - 30):start]


# Issuer prefixes (IIN ranges) and lengths: (low, high, lengths).
IIN = [("4", "4", (13, 16, 19)), ("51", "55", (16,)), ("2221", "2720", (16,)),
       ("34", "34", (15,)), ("37", "37", (15,)), ("6011", "6011", range(16, 20)),
       ("644", "649", range(16, 20)), ("65", "65", range(16, 20)),
       ("622126", "622925", range(16, 20)), ("300", "305", range(14, 20)),
       ("36", "36", range(14, 20)), ("38", "39", range(14, 20)),
       ("3528", "3589", range(16, 20)), ("1800", "1800", (15,)), ("2131", "2131", (15,)),
       ("62", "62", range(16, 20)), ("2200", "2204", range(16, 20)),
       ("60", "60", (16,)), ("81", "82", (16,)), ("508", "508", (16,)),
       ("50", "50", range(12, 20)), ("56", "69", range(12, 20))]


def card_shape(digits, before):
    """A Luhn-valid run is a card number to a reader when an issuer range
    and length fit; a 12-15 digit Maestro-range run only after a card word
    (an EAN or a reference number is not a card)."""
    for low, high, lengths in IIN:
        head = digits[:len(low)]
        if low <= head <= high and len(digits) in lengths:
            if low in ("50", "56") and len(digits) < 16:
                return bool(CARD_WORD.search(before))
            return True
    return False


def keep(text, source, out):
    text = text.strip()
    if not text:
        return
    kind = holds_value(text)
    if kind:
        dropped[kind] = dropped.get(kind, 0) + 1
        return
    out.append({"text": text, "expect": [], "source": source})


# --- sources ------------------------------------------------------------------

def kjv(count):
    """Runs of 1-3 consecutive verses of the King James Version."""
    raw = subprocess.run(["bible", "-l0", "Ge1:1-Re22:21"], capture_output=True, text=True,
                         check=True).stdout
    verses = [m.group(1) for m in re.finditer(r"^\s+\d+ (.+)$", raw, re.M)]
    out = []
    for start in sorted(rng.sample(range(len(verses) - 3), count)):
        keep(" ".join(verses[start:start + rng.randint(1, 3)]), "kjv", out)
    return out


FORTUNES = Path("/usr/share/games/fortunes")


def fortunes(count):
    """Whole fortune cookies (quotations, jokes, poems, dialogue) from the
    Debian `fortunes` package: every cookie file, whitespace collapsed."""
    cookies = []
    for path in sorted(FORTUNES.iterdir()):
        if path.suffix or not path.is_file():
            continue  # .dat indexes and .u8 links
        text = path.read_text(encoding="utf-8", errors="replace")
        for cookie in text.split("\n%\n"):
            cookie = " ".join(cookie.split())
            if 20 <= len(cookie) <= 1500:
                cookies.append((path.name, cookie))
    out = []
    for name, cookie in rng.sample(cookies, count):
        keep(cookie, "fortunes:" + name, out)
    return out


def python_sources():
    site = VENV / "lib" / "python3.11" / "site-packages"
    # A fixed set of packages (those the generators install), so that other
    # packages added to the venv later do not change the sample.
    roots = [Path(sysconfig.get_paths()["stdlib"])] + [site / p for p in SITE_PACKAGES]
    files = []
    for root in roots:
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            parts = set(path.relative_to(root).parts)
            if root.name == "python3.11" and parts & {"site-packages", "dist-packages"}:
                continue  # the stdlib root holds the system's packages: not a fixed set
            # Data tables (phone metadata, fake names and numbers) are not prose or code.
            if parts & {"test", "tests", "data", "providers", "phonenumbers", "datasets",
                        "idlelib", "lib2to3", "encodings"}:
                continue
            files.append(path)
    return files


def docstrings_and_code(files, n_doc, n_comment, n_code):
    docs, comments, code = [], [], []
    for path in rng.sample(files, min(len(files), 900)):
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
        except (UnicodeDecodeError, SyntaxError, ValueError):
            continue
        rel = str(path).split("python3.11/")[-1]
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc and len(doc) > 40:
                    docs.append((doc.split("\n\n")[0].replace("\n", " "), rel))
        lines = source.splitlines()
        comments.extend((l.strip().lstrip("#").strip(), rel) for l in lines
                        if l.strip().startswith("#") and len(l.strip()) > 30)
        if len(lines) > 10:
            for _ in range(2):
                start = rng.randrange(0, len(lines) - 6)
                block = "\n".join(lines[start:start + rng.randint(1, 6)])
                if len(block.strip()) > 20:
                    code.append((block, rel))
    out = []
    for pool, n, kind in [(docs, n_doc, "docstring"), (comments, n_comment, "comment"),
                          (code, n_code, "code")]:
        for text, rel in rng.sample(pool, min(n, len(pool))):
            keep(text, f"python:{kind}:{rel}", out)
    return out


def lorem(count):
    out = []
    locales = ["en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "ja_JP", "pl_PL",
               "sv_SE", "la"]
    fakers = []
    for i, loc in enumerate(locales):
        f = Faker(loc) if loc != "la" else Faker()
        f.seed_instance(SEED + i)
        fakers.append((loc, f))
    for i in range(count * 2 // 3):
        loc, f = fakers[i % len(fakers)]
        text = f.text(max_nb_chars=rng.choice([80, 200, 400])) if i % 2 else f.paragraph()
        keep(text, f"faker:{loc}", out)
    mimesis = [Locale.EN, Locale.DE, Locale.FR, Locale.ES, Locale.IT, Locale.NL, Locale.PT_BR,
               Locale.JA, Locale.PL, Locale.SV, Locale.RU, Locale.EL]
    for i in range(count - count * 2 // 3):
        loc = mimesis[i % len(mimesis)]
        keep(Text(loc, seed=SEED + i).text(quantity=rng.randint(1, 4)), f"mimesis:{loc.value}",
             out)
    return out


def hexdigest(data):
    return rng.choice([hashlib.md5, hashlib.sha1, hashlib.sha256])(data).hexdigest()


def synthetic(count):
    """Identifiers, hashes, dates, versions, prices, log lines."""
    f = Faker("en_US")
    f.seed_instance(SEED)

    def rb():
        return bytes(rng.getrandbits(8) for _ in range(16))

    def version():
        return f"{rng.randint(0, 30)}.{rng.randint(0, 40)}.{rng.randint(0, 300)}"

    def date():
        return f.date_between_dates(START, END).isoformat()

    makers = [
        lambda: f"commit {hashlib.sha1(rb()).hexdigest()}",
        lambda: f"sha256:{hashlib.sha256(rb()).hexdigest()}",
        lambda: f"{hexdigest(rb())}  dist/app-{version()}.tar.gz",
        lambda: f"Merge pull request #{rng.randint(1, 99999)} from feature/{f.word()}-{f.word()}",
        lambda: f"request_id={uuid.UUID(int=rng.getrandbits(128), version=4)}",
        lambda: f"Your ticket {uuid.UUID(int=rng.getrandbits(128), version=4)} was closed.",
        lambda: f"The meeting moved to {date()} at {rng.randint(8, 18)}:{rng.choice(['00', '15', '30', '45'])}.",
        lambda: f"Released on {f.date_between_dates(START, END).strftime('%d/%m/%Y')}, version {version()}.",
        lambda: f"pip install {f.word()}=={version()}",
        lambda: f"Total: ${rng.randint(1, 9999):,}.{rng.randint(0, 99):02d} (incl. {rng.randint(5, 25)}% VAT)",
        lambda: f"Price {rng.randint(1, 999)},{rng.randint(0, 99):02d} € per month",
        lambda: f"{f.date_time_between_dates(START_DT, END_DT).isoformat()}Z INFO http: GET /v1/models 200 {rng.randint(1, 900)}ms",
        lambda: f"[{f.date_time_between_dates(START_DT, END_DT).isoformat(sep=' ')}] WARN worker-{rng.randint(1, 32)}: retry {rng.randint(1, 5)}/5 after {rng.randint(100, 5000)} ms",
        lambda: f"ts={rng.randint(1_600_000_000, 1_799_999_999)} level=debug msg=\"cache miss\" key=user:{rng.randint(1, 10**6)}",
        lambda: f"Order #{rng.randint(10**5, 10**8)} shipped; tracking 1Z{''.join(rng.choice('0123456789ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(16))}",
        lambda: f"ISBN {f.isbn13()}",
        lambda: f"EAN {f.ean13()}",
        lambda: f"Chrome/{rng.randint(90, 130)}.0.{rng.randint(1000, 7000)}.{rng.randint(10, 300)} Safari/537.36",
        lambda: f"Kernel {rng.randint(4, 6)}.{rng.randint(0, 19)}.{rng.randint(0, 200)}-{rng.randint(1, 99)}-generic",
        lambda: f"lat {f.latitude()}, lon {f.longitude()}",
        lambda: f"Invoice INV-{rng.randint(2015, 2027)}-{rng.randint(1, 9999):04d} is due in {rng.randint(7, 60)} days.",
        lambda: f"The file is {rng.randint(1, 999)}.{rng.randint(0, 9)} MB and took {rng.randint(1, 59)}s to upload.",
        lambda: f"Error code 0x{rng.getrandbits(32):08X} at address 0x{rng.getrandbits(48):012x}",
        lambda: f"color: #{rng.getrandbits(24):06x}; margin: {rng.randint(0, 40)}px {rng.randint(0, 40)}px;",
        lambda: f"Flight {rng.choice(['LH', 'BA', 'AF', 'UA', 'JL'])} {rng.randint(100, 9999)} departs {date()} from gate {rng.choice('ABCDE')}{rng.randint(1, 60)}.",
        lambda: f"He scored {rng.randint(50, 100)}.{rng.randint(0, 9)} on {rng.randint(1, 9)}/{rng.randint(10, 20)} attempts.",
        lambda: f"Set max_tokens={rng.choice([256, 512, 1024, 4096])} and temperature={rng.randint(0, 10) / 10}",
        lambda: f"docker pull ghcr.io/{f.word()}/{f.word()}:{version()}",
        lambda: f"Population: {rng.randint(10**5, 10**9):,} (census {rng.randint(1990, 2024)})",
        lambda: f"UUID {uuid.UUID(int=rng.getrandbits(128))} maps to row {rng.randint(1, 10**6)}",
        lambda: f"git checkout -b fix/{f.word()}-{rng.randint(1, 9999)}",
        lambda: f"Serial no. {''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789') for _ in range(12))}",
        lambda: f"{rng.randint(1, 28)} {f.month_name()} {rng.randint(1900, 2030)}",
        lambda: f"Room {rng.randint(100, 999)}, floor {rng.randint(1, 40)}, building {rng.choice('ABCDEFG')}",
    ]
    # Shapes a careless detector takes for a value: digit groups, colons, dots.
    def digits(n):
        return "".join(rng.choice("0123456789") for _ in range(n))

    lookalikes = [
        lambda: f"ISBN-10 {digits(1)}-{digits(3)}-{digits(5)}-{rng.choice('0123456789X')}",
        lambda: f"ZIP code {digits(5)}-{digits(4)}",
        lambda: f"USPS tracking {' '.join(digits(4) for _ in range(5))} {digits(2)}",
        lambda: f"Part no. {digits(3)}-{digits(3)}-{digits(3)}",
        lambda: f"Case {digits(3)}-{digits(2)}-{digits(3)} was reopened.",
        lambda: f"chmod 0{rng.choice(['644', '755', '600', '700'])} /etc/{f.word()}.conf",
        lambda: f"The score was {rng.randint(0, 9)}-{rng.randint(0, 9)} after {rng.randint(60, 120)} minutes.",
        lambda: f"+{rng.randint(1, 99)} to this, thanks!",
        lambda: f"Temperature {rng.choice('+-')}{rng.randint(0, 40)}.{rng.randint(0, 9)} °C, wind {rng.randint(0, 90)} km/h",
        lambda: f"Aspect ratio {rng.choice(['16:9', '4:3', '21:9', '3:2'])}, {rng.choice([720, 1080, 1440, 2160])}p",
        lambda: f"Open {rng.randint(7, 10)}:{rng.choice(['00', '30'])}-{rng.randint(17, 22)}:{rng.choice(['00', '30'])}, Mon-Fri",
        lambda: f"elapsed {rng.randint(0, 9)}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{digits(3)}",
        lambda: f"MAC {':'.join(f'{rng.getrandbits(8):02x}' for _ in range(6))}",
        lambda: f"use std::collections::{rng.choice(['HashMap', 'BTreeMap', 'HashSet'])}; let m = {f.word()}::new();",
        lambda: f"if (a::{f.word()}::value == 0) return;",
        lambda: f"SELECT * FROM orders WHERE id = {digits(rng.randint(6, 9))} LIMIT {rng.randint(1, 100)};",
        lambda: f"Page {rng.randint(1, 400)} of {rng.randint(400, 900)}, paragraph {rng.randint(1, 30)}",
        lambda: f"Dial {rng.choice(['911', '112', '999', '000'])} in an emergency.",
        lambda: f"Account balance: {rng.randint(0, 99999)}.{digits(2)} EUR as of {date()}",
        lambda: f"{date()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} backup finished, {rng.randint(1, 10**6):,} files",
        lambda: f"Build {digits(8)}.{digits(4)} passed {rng.randint(100, 9999)} tests in {rng.randint(1, 999)}s",
        lambda: f"Matrix [[{rng.randint(0, 255)}, {rng.randint(0, 255)}], [{rng.randint(0, 255)}, {rng.randint(0, 255)}]]",
        lambda: f"Coordinates {rng.randint(0, 89)}°{rng.randint(0, 59)}′{rng.randint(0, 59)}″N {rng.randint(0, 179)}°{rng.randint(0, 59)}′E",
        lambda: f"Phone models compared: iPhone {rng.randint(8, 16)} vs Pixel {rng.randint(3, 9)}",
        lambda: f"The {f.word()} weighs {rng.randint(1, 999)} g and costs £{rng.randint(1, 999)}.{digits(2)}",
        lambda: f"Invoice total 1.{digits(3)}.{digits(3)},{digits(2)} ₫",
    ]
    out = []
    for i in range(count):
        keep(makers[i % len(makers)](), "synthetic", out)
    for i in range(count // 3):
        keep(lookalikes[i % len(lookalikes)](), "synthetic:lookalike", out)
    return out


def support_questions(count):
    """The pii_prompts templates with a harmless filler instead of a value,
    plus ordinary support questions."""
    f = Faker("en_US")
    f.seed_instance(SEED + 99)
    questions = [
        "How do I reset my password?", "Can I change the delivery address after ordering?",
        "What is your refund policy for digital goods?", "My package arrived damaged, what now?",
        "Is there a student discount?", "Why was I charged twice this month?",
        "How long does shipping to Canada take?", "Can you explain the difference between the plans?",
        "The app crashes when I open settings on Android 14.", "Do you ship to P.O. boxes?",
        "I want to cancel my subscription at the end of the billing period.",
        "Where can I download last year's invoices?", "What does error 403 mean in your API?",
        "How many API requests per minute does the free tier allow?",
        "Please forward this to the billing team.", "What time does the store open on Sundays?",
    ]
    # Context words that a phone or card rule looks for, with no value after them.
    day = ["Monday", "Tuesday", "Friday", "tomorrow", "next week"]
    context = [
        lambda: f"Call me at {rng.randint(1, 12)} pm {rng.choice(day)}.",
        lambda: f"Call me at {rng.randint(8, 18)}:{rng.choice(['00', '15', '30', '45'])} on {rng.choice(day)}.",
        lambda: f"My phone is an iPhone {rng.randint(8, 16)} Pro with {rng.choice([64, 128, 256, 512])} GB.",
        lambda: "Phone: I prefer email, thanks.",
        lambda: "my phone number changed last year, please update it",
        lambda: f"The card ending in {rng.randint(0, 9999):04d} was declined.",
        lambda: f"Card: expired {rng.randint(1, 12):02d}/{rng.randint(24, 31)}, the CVV was not accepted",
        lambda: f"Please call back in {rng.randint(5, 90)} minutes.",
        lambda: "Tel: see my signature below.",
        lambda: f"Contact number: see ticket #{rng.randint(10000, 99999)}",
        lambda: f"Mobile: Android {rng.randint(9, 15)}, build {rng.choice('ABCTUS')}{rng.randint(1, 9)}{rng.choice('ABCDEFGHJK')}{rng.randint(1, 999)}",
        lambda: f"Ring me on {rng.choice(day)} at {rng.randint(8, 11)}.",
        lambda: f"You can reach me on extension {rng.randint(100, 9999)}.",
        lambda: f"Phone: {rng.randint(2, 5)} lines, {rng.randint(1, 3)} fax",
        lambda: "IBAN: I will send it later today.",
        lambda: "My SSN is on the form I mailed in March.",
        lambda: f"Please charge the card on file for order {rng.randint(10**5, 10**7)}.",
        lambda: f"whatsapp me after {rng.randint(5, 11)} pm, I'm in {f.city()}",
        lambda: f"Telefon: bitte nach {rng.randint(14, 18)} Uhr anrufen.",
        lambda: f"Téléphone : disponible de {rng.randint(8, 11)} h à {rng.randint(16, 19)} h.",
    ]
    out = []
    for i in range(count // 2):
        keep(context[i % len(context)](), "support:context", out)
    for i in range(count):
        if i % 2:
            keep(place(rng, rng.choice(BENIGN_FILLERS), PLAIN), "support:template", out)
        else:
            keep(f"{rng.choice(questions)} {f.sentence()}", "support:question", out)
    return out


def main():
    files = python_sources()
    lines = (kjv(1600) + docstrings_and_code(files, 500, 350, 450) + lorem(700) +
             synthetic(900) + support_questions(400) + fortunes(2500))
    rng.shuffle(lines)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    sources = {}
    for line in lines:
        key = line["source"].split(":")[0]
        sources[key] = sources.get(key, 0) + 1
    print(f"{OUT.name}: {len(lines)} lines {sources}; dropped as holding a value: {dropped}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
