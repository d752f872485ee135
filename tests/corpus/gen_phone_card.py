#!/usr/bin/env python3
"""Generates phone_card.jsonl: phone and card numbers from third-party
generators in customer-support sentences, with hard negatives.

    /work/venv-gen/bin/python tests/corpus/gen_phone_card.py

Phones: libphonenumber (`phonenumbers`) is the oracle. Every region's
example number of every type, plus random valid numbers made by changing
the last digits of those examples (kept when `is_valid_number`), written
INTERNATIONAL, E.164, INTERNATIONAL with dashes, `+CC NSN` and, after a
phone word, NATIONAL and as bare national digits; and faker's
`phone_number()` in many locales, kept when phonenumbers says it is a valid
number of that locale's country (national forms then go after a phone
word). Cards: python faker's `credit_card_number` of every card type
(base and the ru_RU, uk_UA, zh_CN, fa_IR, pt_PT providers) and the
@faker-js/faker issuer formats (v7 and v10: visa, mastercard, amex,
discover, diners, jcb, maestro, laser, solo, switch, instapayment,
unionpay), plain or grouped. 12-digit Maestro and 9-led Prostir numbers go
after a card word, and python faker's unbroken 12-digit Maestro numbers
also without one. faker's national numbers also go on signature lines
labelled `T:`, `M:`, `P.`, `Direct:`, … (no phone word), and after a
phone word running into a time (`… 0161 496 0000 10:30`). Negatives:
dates, times, versions, order numbers, prices, ISBNs, UUIDs, hashes,
timestamps, IDs, math, IP addresses, Luhn-valid numbers of no issuer,
bare or national-looking numbers without a phone word, labels before
numbers in prose (`T: 01-2345-678 is the part`), quantities before part
numbers (`2 x 01-2345-678`) and Maestro-like 12-digit identifiers.

National forms shorter than 7 digits, and national forms whose digits the
detector does not group (letters, `#`), are left out: the detector
documents them as not matched. Each line: {"text", "expect", "source"}.
"""

import json
import random
import re
import string
import uuid
from pathlib import Path

import phonenumbers
from faker import Faker
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T

SEED = 10
OUT = Path(__file__).with_name("phone_card.jsonl")
rng = random.Random(SEED)

TYPES = [
    T.FIXED_LINE,
    T.MOBILE,
    T.TOLL_FREE,
    T.PREMIUM_RATE,
    T.SHARED_COST,
    T.VOIP,
    T.PERSONAL_NUMBER,
    T.PAGER,
    T.UAN,
    T.VOICEMAIL,
]

# Sentences with a phone word before the value (any form may go here).
PHONE_CONTEXT = [
    "Hi, you can reach me at {v} after 5pm.",
    "Please call me back on {v}, thanks!",
    "My phone number is {v}.",
    "Customer phone: {v}\nIssue: the router keeps rebooting.",
    "Contact: {v}",
    "I tried calling {v} twice but nobody answered.",
    "Mobile: {v} (WhatsApp too)",
    "Text me on {v} when the parcel arrives.",
    "Tel. {v} - ask for the billing team.",
    "Can you update my mobile to {v}? The old one is gone.",
    "The caller left {v} as a callback number.",
    "fax {v}",
    "Best number to call: {v}",
    "whatsapp {v} please",
]
# Sentences with no phone word (international forms only).
PHONE_PLAIN = [
    "I'm on {v} until Friday.",
    "{v} is the best way to get me.",
    "Ask for Maria at {v} about the refund.",
    "Our Lisbon office: {v}.",
    "The number on file ({v}) is outdated.",
    "- {v}\n- next item",
    'Payload: {{"who": "{v}", "n": 3}}',
    "Details: name=Ana; {v}; city=Porto",
]
CARD_CONTEXT = [
    "Please charge my card {v} for the renewal.",
    "Card number: {v}",
    "My Maestro card is {v}, expiry 04/27.",
    "I paid with {v} yesterday and got charged twice.",
    "Debit card {v} was declined at checkout.",
    "CC: {v}",
    "Use the credit card {v} on file.",
    "payment card {v}",
]
CARD_PLAIN = [
    "Use {v} for the subscription.",
    "The number {v} keeps getting rejected.",
    "{v} exp 09/28 cvv 123",
    "Refund it to {v} please.",
    "> quoted {v} here",
]

LOCALES = [
    "en_GB", "en_AU", "ja_JP", "pt_BR", "nl_NL", "es_ES", "de_DE", "en_IN", "fr_FR",
    "it_IT", "pl_PL", "en_US", "en_CA", "ru_RU", "zh_CN", "ko_KR", "sv_SE", "da_DK",
    "fi_FI", "cs_CZ", "hu_HU", "he_IL", "th_TH", "id_ID", "vi_VN", "uk_UA", "el_GR",
    "ro_RO", "de_AT", "de_CH", "fr_CH", "en_NZ", "en_IE", "pt_PT", "zh_TW", "tr_TR",
    "es_MX", "es_CO", "es_CL", "es_AR", "en_PH", "bg_BG", "sk_SK", "sl_SI", "hr_HR",
    "lt_LT", "lv_LV", "et_EE", "fa_IR", "bn_BD", "ne_NP", "hi_IN", "ta_IN", "ar_SA",
    "ar_AE", "ar_JO", "ka_GE", "hy_AM", "az_AZ", "nl_BE", "fr_BE", "no_NO",
]

lines = []


def add(text, expect, source):
    lines.append({"text": text, "expect": expect, "source": source})


def phone(text_template, value, source):
    add(text_template.format(v=value), [{"kind": "phone", "value": value}], source)


def digit_count(s):
    return sum(c.isdigit() for c in s)


def national_ok(s):
    """National forms the detector documents as matched (after a phone word).
    A 3-2-4 form (`372 12 0145`) is left out: the SSN detector reports
    that shape."""
    if not re.fullmatch(r"[0-9 ().\-/]+", s):
        return False
    if re.fullmatch(r"\d{3}[ -]\d{2}[ -]\d{4}", s):
        return False
    n = digit_count(s)
    groups = re.findall(r"\d+", s)
    if len(groups) == 1:
        return 8 <= n <= 12 and s.isdigit()
    return 7 <= n <= 13 and not re.search(r"[ .\-/]{2}", s)


# ---- phones from the libphonenumber oracle ----------------------------------


def perturbed(example, region):
    """A valid number made by changing the last 1-4 digits of an example."""
    nsn = str(example.national_number)
    for _ in range(20):
        k = rng.randint(1, min(4, len(nsn) - 1))
        cand = nsn[:-k] + "".join(rng.choice(string.digits) for _ in range(k))
        try:
            n = phonenumbers.parse("+" + str(example.country_code) + cand, None)
        except phonenumbers.NumberParseException:
            continue
        if example.italian_leading_zero:
            n.italian_leading_zero = True
            n.number_of_leading_zeros = example.number_of_leading_zeros
        if phonenumbers.is_valid_number(n) and phonenumbers.region_code_for_number(n) == region:
            return n
    return None


def oracle_forms(n):
    intl = phonenumbers.format_number(n, F.INTERNATIONAL)
    e164 = phonenumbers.format_number(n, F.E164)
    nsn = phonenumbers.national_significant_number(n)
    forms = [
        ("intl", intl, False),
        ("e164", e164, False),
        ("intl-dashes", intl.replace(" ", "-"), False),
        ("cc-nsn", f"+{n.country_code} {nsn}", False),
    ]
    national = phonenumbers.format_number(n, F.NATIONAL)
    if national_ok(national):
        forms.append(("national", national, True))
    bare = re.sub(r"\D", "", national)
    if national_ok(bare) and len(bare) >= 8:
        forms.append(("national-bare", bare, True))
    return forms


def oracle_phones():
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        numbers = []
        for t in TYPES:
            ex = phonenumbers.example_number_for_type(region, t)
            if ex is not None and phonenumbers.is_valid_number(ex):
                numbers.append(ex)
        for ex in list(numbers):
            p = perturbed(ex, region)
            if p is not None:
                numbers.append(p)
        for n in numbers:
            forms = oracle_forms(n)
            for name, value, needs_context in rng.sample(forms, min(2, len(forms))):
                pool = PHONE_CONTEXT if needs_context or rng.random() < 0.5 else PHONE_PLAIN
                phone(rng.choice(pool), value, f"phonenumbers {name}")


def valid_faker_phones(loc, seed, tries):
    """(parsed, text) for each of `tries` faker phone numbers of `loc` that
    libphonenumber finds valid for the locale's region (none when faker
    has no such locale or no phone provider)."""
    try:
        fake = Faker(loc)
    except AttributeError:
        return
    fake.seed_instance(seed)
    region = loc.split("_")[-1]
    for _ in range(tries):
        try:
            value = fake.phone_number()
        except AttributeError:
            return
        try:
            n = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(n):
            yield n, value


def faker_phones():
    for loc in LOCALES:
        kept = 0
        for n, value in valid_faker_phones(loc, SEED, 200):
            core = re.sub(r"\s*(x|ext\.?)\s*\d+$", "", value)
            international = core.startswith(("+", "00", "(+"))
            nanp = n.country_code == 1
            if not (international or nanp or national_ok(core)):
                continue
            # a bare `00…` run is only a phone after a phone word
            bare_prefixed = core.startswith("00") and core.isdigit()
            plain_ok = international and not bare_prefixed
            pool = PHONE_PLAIN if plain_ok and rng.random() < 0.4 else PHONE_CONTEXT
            phone(rng.choice(pool), value, f"faker {loc}")
            kept += 1
            if kept >= 14:
                break


# ---- cards -------------------------------------------------------------------


def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(digits):
    return luhn_digit(digits[:-1]) == digits[-1]


FAKERJS = [
    "4###########L", "4###-####-####-###L",
    "5[1-5]##-####-####-###L", "2[221-720]-####-####-###L", "6771-89##-####-###L",
    "34##-######-####L", "37##-######-####L",
    "6011-####-####-###L", "65##-####-####-###L", "64[4-9]#-####-####-###L",
    "30[0-5]#-######-###L", "36##-######-###L", "54##-####-####-###L",
    "3528-####-####-###L", "3529-####-####-###L", "35[3-8]#-####-####-###L",
    "5018-#{4}-#{4}-#{3}L", "6304-#{4}-#{4}-#{3}L", "676[1-3]-####-####-###L",
    "5018#{11,14}L", "5893#{11,14}L", "6759#{11,14}L",
    "6304###########L", "6706###########L", "6771#########{5,6}L",
    "6767-####-####-###L", "6767-####-####-####-#L", "6767-####-####-####-##L",
    "6759-####-####-###L", "6759-####-####-####-#L", "6759-####-####-####-##L",
    "63[7-9]#-####-####-###L",
    "62#############L", "67#############L", "81################L", "81##############L",
]


def fakerjs_card(fmt):
    """One number from a faker-js credit card format (`#`, `[a-b]`, `#{n,m}`, `L`)."""
    def repeat(m):
        lo, hi = m.group(1), m.group(2) or m.group(1)
        return "#" * rng.randint(int(lo), int(hi))

    s = re.sub(r"#\{(\d+)(?:,(\d+))?\}", repeat, fmt)
    s = re.sub(r"\[(\d+)-(\d+)\]", lambda m: str(rng.randint(int(m.group(1)), int(m.group(2)))), s)
    s = "".join(rng.choice(string.digits) if c == "#" else c for c in s)
    digits = re.sub(r"\D", "", s[:-1])
    return s[:-1] + luhn_digit(digits)


def grouped(digits):
    """Plain, or in the groups cards are printed in, by spaces or dashes."""
    n = len(digits)
    sizes = {15: [4, 6, 5], 14: [4, 6, 4], 12: [4, 4, 4], 18: [4, 4, 4, 4, 2]}.get(n)
    if sizes is None and n in (13, 16, 17, 19):
        sizes = [4] * (n // 4) + ([n % 4] if n % 4 else [])
        if n == 17 or n == 13:
            sizes = None
    style = rng.choice(["plain", "plain", "space", "dash"]) if sizes else "plain"
    if n == 18 and style == "space":
        style = "dash"  # 4-4-4-4-2 is matched with dashes only
    if style == "plain":
        return digits
    parts, i = [], 0
    for k in sizes:
        parts.append(digits[i : i + k])
        i += k
    return (" " if style == "space" else "-").join(parts)


def needs_card_word(digits):
    return len(digits) == 12 or (digits[0] == "9" and len(digits) == 16)


def card(value, source):
    digits = re.sub(r"\D", "", value)
    pool = CARD_CONTEXT if needs_card_word(digits) or rng.random() < 0.5 else CARD_PLAIN
    add(rng.choice(pool).format(v=value), [{"kind": "card", "value": value}], source)


def faker_cards():
    for loc, per_type in [("en_US", 14), ("ru_RU", 10), ("uk_UA", 10), ("zh_CN", 8), ("fa_IR", 2), ("pt_PT", 10)]:
        fake = Faker(loc)
        fake.seed_instance(SEED)
        provider = next(p for p in fake.get_providers() if hasattr(p, "credit_card_types"))
        for ctype in provider.credit_card_types:
            for _ in range(per_type):
                digits = fake.credit_card_number(card_type=ctype)
                card(grouped(digits), f"faker {loc} {ctype}")
    for fmt in FAKERJS:
        for _ in range(5):
            value = fakerjs_card(fmt)
            if digit_count(value) <= 19:
                card(value, "faker-js")


# ---- hard negatives ------------------------------------------------------------


def random_luhn(prefix, length):
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn_digit(body)


def negatives():
    neg = []
    for _ in range(60):
        y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        neg += [
            f"The meeting is on {y}-{m:02d}-{d:02d} at {hh:02d}:{mm:02d}.",
            f"Call me on {d:02d}/{m:02d}/{y} after lunch.",
            f"Call me at {hh:02d}:{mm:02d} tomorrow.",
            f"Logged at {y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}Z by the worker.",
            f"Phone died on {d}.{m}.{y}, call me later.",
            f"Upgraded to version {rng.randint(1,20)}.{rng.randint(0,30)}.{rng.randint(0,300)} last week.",
            f"My phone runs build {rng.randint(10,19)}.0.{rng.randint(10000,29999)}.{rng.randint(100,9999)}.",
            f"Order #{rng.randint(10**8, 10**12)} has not shipped yet.",
            f"Please call about order {rng.randint(10**8, 10**11)} today.",
            f"Ticket no. {rng.randint(10**6, 10**9)}, contact support if it reopens.",
            f"The total was ${rng.randint(1,9)},{rng.randint(100,999)}.{rng.randint(10,99)} including tax.",
            f"It costs €{rng.randint(1,999)}.{rng.randint(10,99)} per month.",
            f"ISBN 978-{rng.randint(0,9)}-{rng.randint(10,99)}-{rng.randint(100000,999999)}-{rng.randint(0,9)}",
            f"Request id {uuid.UUID(int=rng.getrandbits(128))} failed.",
            f"commit {rng.getrandbits(160):040x}",
            f"sha256 {rng.getrandbits(256):064x}",
            f"Unix time {rng.randint(1_500_000_000, 1_800_000_000)} and ms {rng.randint(1_500_000_000_000, 1_800_000_000_000)}.",
            f"user_id={rng.randint(10**7, 10**10)} status=200",
            f"Customer ID: {rng.randint(10**9, 10**10)}",
            f"{rng.randint(100,999)} + {rng.randint(100,999)} = {rng.randint(1000,1999)}",
            f"The score went up by +{rng.randint(1,99)} points to {rng.randint(100,999)}.",
            f"pi is about 3.{rng.randint(10**11, 10**12)}",
            f"Server 10.{rng.randint(0,255)}.{rng.randint(0,255)}.{rng.randint(1,254)} answered.",
            f"Reference {random_luhn('7', 16)} is not a card.",
            f"Luhn-valid but no issuer: {random_luhn('1', 16)}",
            f"A 12-digit order {random_luhn('50', 12)} shipped.",
            f"Tracking 1Z{rng.randint(10**15, 10**16)}",
            f"Coordinates {rng.uniform(-90,90):.6f}, {rng.uniform(-180,180):.6f}",
            f"Serial number {rng.randint(10**9, 10**11)} registered.",
            f"invoice {rng.randint(10**9, 10**11)}",
            f"The package weighs {rng.randint(1,99)}.{rng.randint(1,9)} kg and {rng.randint(100,999)} g.",
            f"Rows {rng.randint(1000,9999)}-{rng.randint(1000,9999)} are duplicated.",
            f"Account {rng.randint(10**9, 10**11)} was closed.",
            # phone and card words near numbers that are not phones or cards
            f"My phone has {rng.choice([64, 128, 256])} GB and {rng.randint(4, 16)} GB of RAM.",
            f"The phone costs ${rng.randint(1, 2)},{rng.randint(100, 999)}.99 with tax.",
            f"Call me in {rng.randint(2020, 2030)}, not before.",
            f"Phone IMEI {random_luhn(rng.choice(['35', '86', '01', '99']), 15)} is blocked.",
            f"Call the API at {y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d} UTC.",
            f"Text me the code {rng.randint(100000, 999999)} please.",
            f"Contact support about order no. {rng.randint(10**7, 10**11)}.",
            f"My card expires {m:02d}/{y % 100:02d} and the CVV is {rng.randint(100, 999)}.",
            f"Card ending in {rng.randint(1000, 9999)} was charged ${rng.randint(1, 999)}.{rng.randint(10, 99)}.",
            f"Pay invoice {random_luhn('6', 12)} by Friday.",
            f"Call version {rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(10000, 99999)}.{rng.randint(1, 999)} of the SDK.",
        ]
    # national-looking numbers and bare runs without any phone word
    for region in ["GB", "AU", "DE", "FR", "JP", "IN", "BR", "NL", "ES", "IT"]:
        for t in [T.FIXED_LINE, T.MOBILE]:
            ex = phonenumbers.example_number_for_type(region, t)
            if ex is None:
                continue
            national = phonenumbers.format_number(ex, F.NATIONAL)
            neg.append(f"Order {national} was split into two parcels.")
            neg.append(f"Batch {re.sub(chr(92) + 'D', '', national)} passed QA.")
    for text in neg:
        add(text, [], "negative")


# ---- signature labels, times, unbroken Maestro ---------------------------------

SIG_LABELS = ["T: ", "M: ", "P. ", "F: ", "Direct: ", "Tel. ", "D: ", "W: ", "Office: ",
              "Mob ", "T ", "DDI: ", "Main: ", "H: "]
SIG_NAMES = ["Anna Schmidt", "Tom Baker", "Lucía Pérez", "Jan de Vries", "Marco Rossi"]


def signature(label, value):
    """An email signature block with `value` on the line `label` opens."""
    name = rng.choice(SIG_NAMES)
    if rng.random() < 0.25:
        return f"Thanks,\n{name} | Acme Ltd | {label}{value} | www.acme.example"
    block = [name, "Customer Success | Acme Ltd", f"{label}{value}",
             f"E: {name.split()[0].lower()}@acme.example"]
    if rng.random() < 0.5:
        block.insert(2, "12 High Street, Springfield")
    return "Thanks for the quick reply.\n\nKind regards,\n" + "\n".join(block)


def signature_phones():
    """faker's national numbers on signature lines labelled `T:`, `M:`,
    `P.`, `Direct:` (no phone word), and after a phone word running into a
    time (`… 0161 496 0000 10:30-12:00`)."""
    for loc in LOCALES:
        kept = 0
        for _, value in valid_faker_phones(loc, SEED + 1, 100):
            if not national_ok(value):
                continue
            phone(signature(rng.choice(SIG_LABELS), "{v}"), value, "faker signature")
            hh = rng.randint(8, 11)
            tpl = rng.choice([
                f"Please call me on {{v}} {hh}:00-{hh + 6}:30.",
                f"Tel: {{v}} {hh}:{rng.choice(['00', '15', '30'])} works best.",
            ])
            phone(tpl, value, "faker phone then time")
            kept += 1
            if kept >= 4:
                break


def plain_maestro():
    """python faker's 12-digit Maestro numbers, unbroken, without a card word."""
    fake = Faker("en_US")
    fake.seed_instance(SEED + 1)
    for _ in range(40):
        value = fake.credit_card_number(card_type="maestro")
        add(rng.choice(CARD_PLAIN).format(v=value), [{"kind": "card", "value": value}],
            "faker maestro unbroken")


def label_negatives():
    """Labels and quantities before numbers that are not phones or cards."""
    neg = []
    for _ in range(25):
        part = f"{rng.randint(1, 9):02d}-{rng.randint(1000, 9999)}-{rng.randint(100, 999)}"
        # a trunk-0 shape (`01-2345-678`, how faker he_IL writes phones) is a
        # phone anywhere but after a quantity; after a label in prose, others
        # are not
        label_part = f"{rng.randint(10, 99)}-{rng.randint(1000, 9999)}-{rng.randint(100, 999)}"
        neg += [
            f"T: {label_part} is the part I need.",
            f"P. {rng.randint(10**6, 10**9)} is the page count.",
            f"Step 3 M: {rng.randint(10**6, 10**9)} units were shipped.",
            f"Size M: {rng.randint(10**6, 10**8)} in stock",
            f"Please send {rng.randint(2, 9)} x {part} and 1 x {rng.randint(100, 999)}-{rng.randint(1000, 9999)}.",
            f"Case {random_luhn(rng.choice(['5018', '57', '6759', '6304']), 12)} is closed.",
            f"Order no. {random_luhn(rng.choice(['56', '58', '6762']), 12)} was refunded.",
            f"Batch {random_luhn(rng.choice(['57', '6763']), 12)} passed QA.",
        ]
    for text in neg:
        add(text, [], "negative label")


oracle_phones()
faker_phones()
faker_cards()
negatives()
signature_phones()
plain_maestro()
label_negatives()
rng.shuffle(lines)
OUT.write_text("".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines))
kinds = {}
for l in lines:
    for e in l["expect"]:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
print(len(lines), "lines", kinds, "->", OUT)
