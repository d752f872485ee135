"""Writes ../generated/pii_prompts.jsonl: PII values from faker (many
locales) and mimesis, each checked by an independent oracle, placed into
customer-support sentences. One JSON object a line:

    {"text": "...", "expect": [{"kind": "phone", "value": "...", "form": "..."}],
     "source": "faker:en_GB"}

`kind` is a detector name of the default policy; `value` is exactly the span
of the text that must not reach the model (for an obfuscated value, the
obfuscated span as written); `form` names the variety (card type, phone
format, IP class, secret type, `fullwidth`, `zerowidth`), for the per-form
recall the Rust test prints. Lines with `"expect": []` are labelled
negatives of this corpus (special-purpose IP addresses: loopback,
documentation, ...; the default policy must leave them alone).

Run: /work/venv-gen/bin/python tests/corpus/generate/pii_prompts.py
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import random
import re
import string
import sys
from pathlib import Path

import phonenumbers
import schwifty
from faker import Faker
from mimesis import Internet, Payment, Person
from mimesis.locales import Locale

from placement import (CARD_CTX, EMAIL_ONLY, PHONE_CTX, PHONE_LINK, PLAIN, fullwidth,
                       place, zero_width)

SEED = 20261201
HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "generated" / "pii_prompts.jsonl"

LOCALES = ["en_US", "en_GB", "en_AU", "en_IN", "en_CA", "en_NZ", "en_IE", "de_DE", "de_AT",
           "de_CH", "fr_FR", "fr_CH", "es_ES", "it_IT", "nl_NL", "nl_BE", "pt_BR", "pt_PT",
           "ja_JP", "pl_PL", "sv_SE", "da_DK", "fi_FI", "cs_CZ", "ko_KR", "tr_TR", "ro_RO",
           "hu_HU", "el_GR", "es_MX", "zh_CN", "no_NO", "uk_UA"]
CARD_TYPES = ["visa", "visa13", "visa16", "visa19", "mastercard", "amex", "discover", "diners",
              "jcb", "jcb15", "jcb16", "maestro"]
IBAN_COUNTRIES = ["DE", "FR", "ES", "IT", "NL", "BE", "AT", "CH", "GB", "IE", "PT", "PL", "SE",
                  "DK", "FI", "NO", "CZ", "SK", "HU", "RO", "GR", "LU", "LI", "MT", "CY", "EE",
                  "LV", "LT", "SI", "HR", "BG", "TR", "SA", "AE", "IL", "BR", "MC", "SM", "IS"]
MIMESIS_LOCALES = [Locale.EN, Locale.EN_GB, Locale.EN_AU, Locale.EN_CA, Locale.DE, Locale.FR,
                   Locale.ES, Locale.IT, Locale.NL, Locale.PT_BR, Locale.JA, Locale.PL,
                   Locale.SV, Locale.DA, Locale.FI, Locale.CS]
MIMESIS_REGION = {"en": "US", "en-gb": "GB", "en-au": "AU", "en-ca": "CA", "de": "DE",
                  "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pt-br": "BR", "ja": "JP",
                  "pl": "PL", "sv": "SE", "da": "DK", "fi": "FI", "cs": "CZ"}

rng = random.Random(SEED)

lines = []
fakers = {}


def faker(locale):
    if locale not in fakers:
        f = Faker(locale)
        f.seed_instance(SEED + len(fakers))
        fakers[locale] = f
    return fakers[locale]


def region(locale):
    return locale.split("_")[1]


def emit(text, expect, source):
    lines.append({"text": text, "expect": expect, "source": source})


def one(kind, value, form, templates, source, obfuscate=None):
    """A line holding `value` in one of `templates`; `obfuscate` may
    rewrite the value first (the label is then the rewritten span)."""
    if obfuscate:
        value = obfuscate(value)
    emit(place(rng, value, templates), [{"kind": kind, "value": value, "form": form}], source)


def obfuscated(kind, value, source, templates, letters=False):
    """The same value full-width and with zero-width characters inside."""
    one(kind, value, "fullwidth", templates, source, lambda v: fullwidth(v, letters))
    one(kind, value, "zerowidth", templates, source, lambda v: zero_width(rng, v))


# --- email ------------------------------------------------------------------

def emails():
    for i in range(360):
        locale = LOCALES[i % len(LOCALES)]
        f = faker(locale)
        value = rng.choice([f.email, f.free_email, f.company_email, f.ascii_safe_email,
                            f.ascii_company_email])()
        form = "plain"
        if rng.random() < 0.15:
            user, domain = value.split("@")
            value = f"{user}+{rng.choice(['shop', 'news', 'x1', 'a.b'])}@{domain}"
            form = "subaddress"
        one("email", value, form, PLAIN + EMAIL_ONLY, f"faker:{locale}")
    # internationalised domains, as faker's Ukrainian locale writes them (`….укр`)
    uk = faker("uk_UA")
    idn = 0
    while idn < 12:
        value = uk.company_email()
        if not value.isascii():
            one("email", value, "idn", PLAIN + EMAIL_ONLY, "faker:uk_UA")
            idn += 1
    for i, loc in enumerate(MIMESIS_LOCALES * 5):
        value = Person(loc, seed=SEED + i).email()
        one("email", value, "plain", PLAIN + EMAIL_ONLY, f"mimesis:{loc.value}")
    for i in range(30):
        value = faker(LOCALES[i % 8]).email()
        obfuscated("email", value, "faker", PLAIN + EMAIL_ONLY, letters=i % 3 == 0)


# --- phone ------------------------------------------------------------------

def valid_phone(raw, reg):
    """The parsed number when phonenumbers (libphonenumber) says `raw` is a
    valid number of region `reg`, else None."""
    if any(c.isalpha() for c in raw):  # extensions (x123), vanity letters
        return None
    try:
        num = phonenumbers.parse(raw, reg)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    if phonenumbers.region_code_for_number(num) != reg and num.country_code != \
            phonenumbers.country_code_for_region(reg):
        return None
    return num


def phone_form(raw):
    return "international" if raw.startswith("+") or raw.startswith("00") or \
        raw.startswith("(+") else "national"


def phones():
    kept = {}
    tries = 0
    while sum(len(v) for v in kept.values()) < 520 and tries < 40000:
        tries += 1
        locale = LOCALES[tries % len(LOCALES)]
        f = faker(locale)
        reg = region(locale)
        raw = f.phone_number()
        num = valid_phone(raw, reg)
        if num is None or len(kept.get(locale, [])) >= 24:
            continue
        kept.setdefault(locale, []).append((raw, num))
    for locale, found in kept.items():
        for raw, num in found:
            src = f"faker:{locale}"
            form = phone_form(raw)
            one("phone", raw, form, PHONE_CTX if form == "national" else PLAIN + PHONE_CTX, src)
            # The same number in libphonenumber's own international and E.164 forms.
            pick = rng.random()
            if pick < 0.4:
                intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                one("phone", intl, "international", PLAIN + PHONE_CTX, src)
            elif pick < 0.75:
                e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
                one("phone", e164, "e164", PLAIN + PHONE_CTX, src)
            elif pick < 0.85:
                intl = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                one("phone", intl.replace(" ", "-"), "international", PLAIN + PHONE_CTX, src)
            else:
                e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
                one("phone", e164, "tel_link", PHONE_LINK, src)
    # msisdn: faker's bare digit strings, kept when "+digits" is a valid number.
    count = 0
    for i in range(20000):
        if count >= 40:
            break
        locale = LOCALES[i % len(LOCALES)]
        raw = faker(locale).msisdn()
        try:
            num = phonenumbers.parse("+" + raw)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(num):
            one("phone", raw, "msisdn", PHONE_CTX, f"faker:{locale}")
            count += 1
    # mimesis telephone masks, when libphonenumber accepts them.
    count = 0
    for i in range(4000):
        if count >= 60:
            break
        loc = MIMESIS_LOCALES[i % len(MIMESIS_LOCALES)]
        raw = Person(loc, seed=SEED + i).telephone()
        reg = MIMESIS_REGION[loc.value]
        if valid_phone(raw, reg) is None:
            continue
        form = phone_form(raw)
        one("phone", raw, form, PHONE_CTX if form == "national" else PLAIN + PHONE_CTX,
            f"mimesis:{loc.value}")
        count += 1
    # Obfuscated: international numbers in full-width digits, zero-width inside.
    intl = [(loc, r) for loc, f in kept.items() for r, _ in f if phone_form(r) != "national"]
    for locale, raw in rng.sample(intl, min(40, len(intl))):
        obfuscated("phone", raw, f"faker:{locale}", PHONE_CTX)


# --- ssn --------------------------------------------------------------------

def ssns():
    f = faker("en_US")
    for _ in range(200):
        one("ssn", f.ssn(), "dashed", PLAIN + ["SSN: {v}", "my social security number is {v}",
                                               "Social Security No. {v}"], "faker:en_US")
    for _ in range(20):
        obfuscated("ssn", f.ssn(), "faker:en_US", ["SSN: {v}", "my SSN is {v}"])


# --- card -------------------------------------------------------------------

def luhn_ok(digits):
    total = 0
    for i, d in enumerate(reversed([int(c) for c in digits])):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def grouped(digits, style):
    if style == "plain":
        return digits
    sep = " " if style == "spaces" else "-"
    if len(digits) == 15 and digits[0] == "3" and digits[1] in "47":  # amex 4-6-5
        return sep.join([digits[:4], digits[4:10], digits[10:]])
    if len(digits) == 14:  # diners 4-6-4
        return sep.join([digits[:4], digits[4:10], digits[10:]])
    return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


def cards():
    f = faker("en_US")
    for card_type in CARD_TYPES:
        for _ in range(45):
            digits = f.credit_card_number(card_type=card_type)
            assert luhn_ok(digits), digits
            style = rng.choice(["plain", "plain", "spaces", "dashes"])
            # Maestro runs 12-19 digits: a bare 12-15 digit number is no card
            # to a reader, so Maestro values always come with a card word.
            templates = CARD_CTX if card_type == "maestro" else PLAIN + CARD_CTX
            one("card", grouped(digits, style), card_type, templates, "faker:en_US")
    for i in range(60):
        value = Payment(seed=SEED + i).credit_card_number()
        assert luhn_ok(value.replace(" ", ""))
        one("card", value, "mimesis", PLAIN + CARD_CTX, "mimesis")
    for i in range(30):
        digits = f.credit_card_number(card_type=CARD_TYPES[i % len(CARD_TYPES)])
        obfuscated("card", grouped(digits, "spaces"), "faker:en_US", CARD_CTX)


# --- iban -------------------------------------------------------------------

def ibans():
    for country in IBAN_COUNTRIES:
        for _ in range(8):
            value = str(schwifty.IBAN.random(country_code=country, random=rng))
            schwifty.IBAN(value)  # raises on an invalid one
            style = rng.choice(["compact", "compact", "print"])
            if style == "print":
                value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
            one("iban", value, style, PLAIN + ["IBAN: {v}", "Please refund to IBAN {v}",
                                               "Bankverbindung: {v}"], f"schwifty:{country}")
    for locale in ["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "en_GB",
                   "fi_FI", "da_DK", "cs_CZ", "tr_TR", "de_AT", "de_CH", "pt_PT", "en_IE"]:
        for _ in range(6):
            value = faker(locale).iban()
            try:
                schwifty.IBAN(value)
            except Exception:  # faker's iban is not always valid: the oracle decides
                continue
            one("iban", value, "compact", PLAIN + ["IBAN: {v}"], f"faker:{locale}")
    for i in range(20):
        value = str(schwifty.IBAN.random(country_code=IBAN_COUNTRIES[i], random=rng))
        obfuscated("iban", value, "schwifty", ["IBAN: {v}", "my IBAN is {v}"])


# --- ip ---------------------------------------------------------------------

DOCUMENTATION = [ipaddress.ip_network(n) for n in
                 ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"]]
AMBIGUOUS = [ipaddress.ip_network(n) for n in
             ["100.64.0.0/10", "198.18.0.0/15", "192.0.0.0/24", "64:ff9b::/96", "2002::/16",
              "2001::/23"]]
PRIVATE = [ipaddress.ip_network(n) for n in
           ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]]


def ip_class(text):
    """`private`, `public`, a special-purpose class name, or None for the
    ranges this corpus leaves out (shared, benchmarking, translation)."""
    ip = ipaddress.ip_address(text)
    if any(ip in n for n in AMBIGUOUS):
        return None
    if any(ip in n for n in DOCUMENTATION):
        return "documentation"
    for name in ["loopback", "unspecified", "link_local", "multicast"]:
        if getattr(ip, f"is_{name}"):
            return name
    if text == "255.255.255.255" or ip.is_reserved:
        return "reserved"
    if any(ip in n for n in PRIVATE):
        return "private"
    if ip.is_global:
        return "public"
    return None


IP_CTX = ["Our server {v} is down since this morning.", "ssh admin@{v}",
          "curl http://{v}:8080/api/orders", "The request came from {v}.",
          "Whitelist {v} on the firewall please.", "host={v} port=5432",
          "IP address: {v}", "Ping {v} and tell me if it answers.",
          "My router shows {v} as the WAN address.", "X-Forwarded-For: {v}"]
IP6_CTX = ["Our server [{v}]:443 is down.", "curl http://[{v}]:8080/", "IPv6: {v}",
           "The request came from {v}.", "inet6 {v}/64 scope global"]
SPECIAL_V4 = ["127.0.0.1", "127.0.0.53", "127.1.2.3", "0.0.0.0", "169.254.169.254",
              "169.254.0.1", "224.0.0.251", "239.255.255.250", "255.255.255.255",
              "192.0.2.1", "192.0.2.44", "198.51.100.7", "203.0.113.195"]
SPECIAL_V6 = ["::1", "::", "fe80::1", "fe80::1ff:fe23:4567:890a", "ff02::1", "ff02::fb",
              "2001:db8::1", "2001:db8:85a3::8a2e:370:7334"]
SPECIAL_CTX = ["curl http://127.0.0.1:8000/health", "uvicorn app:app --host 0.0.0.0 --port 8000",
               "netmask 255.255.255.0", "inet 127.0.0.1 netmask 0xff000000",
               "listen [::1]:8080;", "bind-address = 0.0.0.0",
               "The metadata service lives at http://169.254.169.254/latest/meta-data/",
               "docker run -p 127.0.0.1:5432:5432 postgres", "server_name localhost 127.0.0.1;",
               "ip route add default via 192.0.2.1", "subnet mask 255.255.0.0",
               "Example from RFC 5737: 198.51.100.23 and 203.0.113.9",
               "nc -l ::1 9000", "mDNS uses 224.0.0.251 port 5353",
               "ping6 ff02::1%eth0", "redis-cli -h 127.0.0.1 -p 6379 ping"]


def ips():
    f = faker("en_US")
    plan = [("private", f.ipv4_private, 160), ("public", f.ipv4_public, 160)]
    for form, make, count in plan:
        done = 0
        while done < count:
            value = make()
            if ip_class(value) != form:
                continue
            one("ip", value, form, PLAIN + IP_CTX, "faker:en_US")
            done += 1
    done = 0
    while done < 100:
        value = f.ipv6()
        cls = ip_class(value)
        if cls not in ("public", "private"):
            continue
        one("ip", value, f"v6_{cls}", PLAIN + IP6_CTX, "faker:en_US")
        done += 1
    for i in range(60):
        value = Internet(seed=SEED + i).ip_v4()
        cls = ip_class(value)
        if cls in ("public", "private"):
            one("ip", value, cls, PLAIN + IP_CTX, "mimesis")
    # Special-purpose addresses: expected NOT to be reported by default.
    for value in SPECIAL_V4 * 3:
        cls = ip_class(value)
        assert cls not in ("public", "private", None), value
        emit(place(rng, value, IP_CTX), [], f"special_ip:{cls}")
    for value in SPECIAL_V6 * 3:
        cls = ip_class(value)
        assert cls not in ("public", "private", None), value
        emit(place(rng, value, IP6_CTX), [], f"special_ip:{cls}")
    for text in SPECIAL_CTX:
        emit(text, [], "special_ip:context")


# --- secret -----------------------------------------------------------------

ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits
B64URL = ALNUM + "-_"


def draw(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def mixed(n):
    """Random alphanumerics with at least one upper, lower and digit."""
    while True:
        s = draw(ALNUM, n)
        if any(c.isupper() for c in s) and any(c.islower() for c in s) and \
                any(c.isdigit() for c in s):
            return s


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt():
    """A JWT signed HS256 with a random key."""
    header = {"alg": rng.choice(["HS256", "HS384"]), "typ": "JWT"}
    f = faker("en_US")
    payload = {"sub": str(rng.randint(10**5, 10**9)), "name": f.first_name(),
               "iat": rng.randint(1_500_000_000, 1_800_000_000)}
    if rng.random() < 0.5:
        payload["email_verified"] = True
        payload["scope"] = rng.choice(["read", "read write", "admin"])
    signing = f"{b64url(json.dumps(header, separators=(',', ':')).encode())}." \
              f"{b64url(json.dumps(payload, separators=(',', ':')).encode())}"
    key = bytes(rng.getrandbits(8) for _ in range(32))
    digest = hashlib.sha256 if header["alg"] == "HS256" else hashlib.sha384
    return f"{signing}.{b64url(hmac.new(key, signing.encode(), digest).digest())}"


SECRET_MAKERS = {
    "aws_access_key_id": lambda: rng.choice(["AKIA", "ASIA"]) + draw(UPPER_DIGITS, 16),
    "github_classic": lambda: rng.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + draw(ALNUM, 36),
    "github_fine_grained": lambda: "github_pat_" + draw(ALNUM, 22) + "_" + draw(ALNUM, 59),
    "openai": lambda: rng.choice(["sk-", "sk-proj-", "sk-svcacct-"]) + mixed(48),
    "anthropic": lambda: "sk-ant-api03-" + mixed(80) + "-" + draw(ALNUM, 6) + "AA",
    "stripe": lambda: rng.choice(["sk_live_", "rk_live_"]) + mixed(rng.choice([24, 99])),
    "slack": lambda: rng.choice(["xoxb-", "xoxp-"]) + f"{rng.randint(10**10, 10**12)}-" +
    f"{rng.randint(10**10, 10**12)}-" + mixed(24),
    "google_api_key": lambda: "AIza" + draw(B64URL, 35),
    "jwt": jwt,
}
# Other providers' documented token formats: fewer of each.
HEX_LOWER = "0123456789abcdef"
PROVIDER_MAKERS = {
    "gitlab": lambda: "glpat-" + draw(B64URL, 20),
    "npm": lambda: "npm_" + draw(ALNUM, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + draw(B64URL, rng.randint(60, 160)),
    "huggingface": lambda: "hf_" + mixed(34),
    "groq": lambda: "gsk_" + draw(ALNUM, 52),
    "replicate": lambda: "r8_" + mixed(37),
    "xai": lambda: "xai-" + draw(ALNUM, 80),
    "dockerhub": lambda: "dckr_pat_" + draw(B64URL, 27),
    "shopify": lambda: rng.choice(["shpat_", "shpca_", "shppa_", "shpss_"]) + draw(HEX_LOWER, 32),
    "digitalocean": lambda: rng.choice(["dop_v1_", "doo_v1_"]) + draw(HEX_LOWER, 64),
    "sendgrid": lambda: "SG." + draw(B64URL, 22) + "." + draw(B64URL, 43),
    "twilio": lambda: "SK" + draw(HEX_LOWER, 32),
    "google_oauth_secret": lambda: "GOCSPX-" + draw(B64URL, 28),
    "mailgun": lambda: "key-" + draw(HEX_LOWER, 32),
}
SECRET_CTX = ["My API key is {v}, why does it fail?", "export AWS_ACCESS_KEY_ID={v}",
              "Authorization: Bearer {v}", "token = \"{v}\"", "OPENAI_API_KEY={v}",
              "I accidentally pasted {v} into the chat.", "here is the key: `{v}`",
              "api_key: {v}", "{{\"token\": \"{v}\"}}", "curl -H 'Authorization: Bearer {v}' ..."]


def pem_blocks():
    keys = sorted((HERE / "pem_keys").glob("*.pem"))
    assert keys, "run make_pem_keys.sh first"
    return [(k.stem, k.read_text().strip()) for k in keys]


PEM_CTX = [
    "Here is my private key, why does ssh refuse it?\n{v}\nThanks!",
    "{v}",
    "```\n{v}\n```",
    "I generated this:\n\n{v}\n\nIs it valid?",
    "key.pem:\n{v}",
]


def secrets():
    for name, make in SECRET_MAKERS.items():
        for _ in range(40):
            one("secret", make(), name, PLAIN + SECRET_CTX, "generated")
    for name, make in PROVIDER_MAKERS.items():
        for _ in range(10):
            one("secret", make(), name, PLAIN + SECRET_CTX, "generated")
    for stem, block in pem_blocks():
        kind = stem.rsplit("_", 1)[0]
        for _ in range(2):
            one("secret", block, f"pem_{kind}", PEM_CTX, "openssl")
        # As in a JSON service-account file: newlines written as literal \n.
        escaped = block.replace("\n", "\\n") + "\\n"
        emit(f"{{\"type\": \"service_account\", \"private_key\": \"{escaped}\", "
             f"\"client_email\": \"bot@proj.iam.gserviceaccount.com\"}}",
             [{"kind": "secret", "value": escaped, "form": f"pem_escaped_{kind}"},
              {"kind": "email", "value": "bot@proj.iam.gserviceaccount.com", "form": "plain"}],
             "openssl")


# --- lines with several values ------------------------------------------------

def mixed_lines():
    f = faker("en_GB")
    for _ in range(60):
        email = f.email()
        raw = None
        while raw is None:
            cand = f.phone_number()
            if valid_phone(cand, "GB") is not None and phone_form(cand) == "international":
                raw = cand
        card = faker("en_US").credit_card_number(card_type=rng.choice(CARD_TYPES))
        text = rng.choice([
            f"Name: {f.name()}\\nEmail: {email}\\nPhone: {raw}\\nCard: {card}",
            f"Hi, I'm {f.name()} ({email}, {raw}). Please charge card {card} again.",
            f"| {f.name()} | {email} | {raw} | {card} |",
        ])
        emit(text, [{"kind": "email", "value": email, "form": "plain"},
                    {"kind": "phone", "value": raw, "form": "international"},
                    {"kind": "card", "value": card, "form": "mixed"}], "faker:en_GB")


# --- classes found by probing: new templates, lookalikes --------------------

# Templates of other support tools: a colon with no space, a table row,
# JSON with escaped quotes, a parenthesis, the value at line end.
PROBE_PHONE_CTX = ["my number is {v}, call after 5", "phone:{v}", "**Phone:** {v}",
                   "Tel.: {v}", "you can call me on {v} tomorrow", "Mobile no. {v}",
                   "cell: {v} (after 6pm)", "WhatsApp: {v}", "Please ring {v}",
                   "{{\\\"phone\\\": \\\"{v}\\\"}}", "phone #: {v}"]
# Identifier words right before a value name it, card word or not.
ID_CTX = ["card order {v}", "EAN {v}", "barcode: {v}", "GTIN {v}", "Order #{v}"]
# Non-PII values a phone or card word may stand before.
LOOKALIKE_CTX = ["Contact: {v}", "phone {v}", "call about {v}", "my phone model {v}",
                 "card order {v}", "phone order {v}", "Tracking: {v}", "(see {v})", "{v}",
                 "I wrote {v} on the form.", "| item | {v} |"]


# AWS secret access keys have no prefix: they are secrets after their key name.
AWS_SECRET_CTX = ["AWS_SECRET_ACCESS_KEY={v}", "aws_secret_access_key = {v}",
                  "export AWS_SECRET_ACCESS_KEY=\"{v}\"", "{{\"SecretAccessKey\": \"{v}\"}}",
                  "secret_access_key: '{v}'", "{{\\\"secretAccessKey\\\":\\\"{v}\\\"}}",
                  "[default]\\naws_access_key_id = AKIA{id}\\naws_secret_access_key = {v}"]


def aws_secret():
    while True:
        s = draw(ALNUM + "/+", 40)
        if any(c.isupper() for c in s) and any(c.islower() for c in s) and \
                any(c.isdigit() for c in s):
            return s


# An identifier word right before a number names it (`Ref. 5018 …`).
MAESTRO_PLAIN = [t for t in PLAIN if not t.startswith("Ref.")] + PROBE_PHONE_CTX[:1]


def probed():
    # Luxembourg's 6-digit numbers in pairs (`29 18 93`), after a phone word.
    f = faker("de_LU")
    done = 0
    while done < 40:
        raw = f.phone_number()
        if raw.startswith("+") or valid_phone(raw, "LU") is None:
            continue
        one("phone", raw, "lu_six" if len(raw) == 8 else "national",
            PROBE_PHONE_CTX + PHONE_CTX, "faker:de_LU")
        done += 1
    # 12-digit Maestro numbers (faker's only Maestro length) in three groups
    # of four, with no card word: 5/6-led ones (not faker's 0604 range).
    f = faker("en_US")
    done = 0
    while done < 40:
        digits = f.credit_card_number(card_type="maestro")
        if digits[0] not in "56":
            continue
        sep = rng.choice([" ", "-"])
        value = sep.join(digits[i:i + 4] for i in range(0, 12, 4))
        one("card", value, "maestro_fours", MAESTRO_PLAIN, "faker:en_US")
        done += 1
    for _ in range(40):
        value = aws_secret()
        template = rng.choice(AWS_SECRET_CTX)
        expect = [{"kind": "secret", "value": value, "form": "aws_secret_access_key"}]
        if "{id}" in template:
            key_id = draw(UPPER_DIGITS, 16)
            template = template.replace("{id}", key_id)
            expect.insert(0, {"kind": "secret", "value": "AKIA" + key_id,
                              "form": "aws_access_key_id"})
        emit(place(rng, value, [template]), expect, "generated")
    # Lookalikes that must stay untouched, kept only when a detector's
    # checksum would pass (Luhn for cards): ISBNs (a last group of one
    # digit), EAN-13 codes led by 5/6, 00-led EAN-13 codes after an
    # identifier word, Gecko user-agent strings (`rv:1.9.7.20`).
    f = faker("en_US")
    kept = {"isbn": 0, "ean13": 0, "ean13_00": 0, "user_agent": 0}
    tries = 0
    while min(kept.values()) < 30 and tries < 200000:
        tries += 1
        pick = tries % 4
        if pick == 0 and kept["isbn"] < 30:
            value = rng.choice([f.isbn10, f.isbn13])()
            emit(place(rng, value, LOOKALIKE_CTX[:3]), [], "faker:isbn")
            kept["isbn"] += 1
        elif pick == 1 and kept["ean13"] < 30:
            value = f.ean13()
            if value[0] in "56" and luhn_ok(value):
                emit(place(rng, value, LOOKALIKE_CTX[4:]), [], "faker:ean13")
                kept["ean13"] += 1
            elif value[0] == "4" and luhn_ok(value):
                # a Visa-shaped EAN-13 is named by the identifier word before it
                emit(place(rng, value, ID_CTX), [], "faker:ean13")
        elif pick == 2 and kept["ean13_00"] < 30:
            value = f.localized_ean13()
            if value.startswith("00"):
                emit(place(rng, value, LOOKALIKE_CTX[3:6]), [], "faker:localized_ean13")
                kept["ean13_00"] += 1
        elif pick == 3 and kept["user_agent"] < 30:
            value = f.firefox()
            if "rv:" in value:
                emit(place(rng, value, LOOKALIKE_CTX), [], "faker:user_agent")
                kept["user_agent"] += 1


# --- classes found by the December probe (faker's other locales, new frames) --

# Phone words of other tools and languages: abbreviations, messengers.
PROBE2_PHONE_CTX = ["ph# {v}", "Ph. {v}", "ph: {v}", "Tlf: {v}", "Puhelin: {v}",
                    "Тел.: {v}", "Mob: {v}", "Mobil: {v}", "Viber: {v}", "Signal {v}",
                    "GSM: {v}", "you can text {v}", "the number is {v}", "Handy: {v}"]
# Faker locales the first pass did not draw phones from; their national
# formats include `(07).8817.1618` (en_AU) and `05/ 969 85 15` (de_AT).
PROBE2_LOCALES = ["en_AU", "de_AT", "fi_FI", "da_DK", "no_NO", "ru_RU", "bg_BG", "lt_LT",
                  "lv_LV", "sk_SK", "sl_SI", "hr_HR", "he_IL", "th_TH", "vi_VN", "id_ID",
                  "es_AR", "es_CL", "es_CO", "az_AZ", "ka_GE", "hy_AM", "bn_BD"]
# Values a phone or card word stands before that are no phone: what a call
# was about, dates with a time, compact and Buddhist-era dates, ZIP+4
# codes, amounts.
PROBE2_NOT_PHONE = ["I called about {v}", "contact us regarding {v}",
                    "call me about order {v}", "Contact: {v}", "Phone: {v}"]


def probed2():
    done = {}
    tries = 0
    while sum(done.values()) < 24 * len(PROBE2_LOCALES) // 2 and tries < 40000:
        tries += 1
        locale = PROBE2_LOCALES[tries % len(PROBE2_LOCALES)]
        if done.get(locale, 0) >= 12:
            continue
        raw = faker(locale).phone_number()
        if valid_phone(raw, region(locale)) is None:
            continue
        if re.fullmatch(r"\d+\.\d{6,}", raw):
            continue  # hy_AM `98.851269`: a decimal to the detector, documented
        done[locale] = done.get(locale, 0) + 1
        one("phone", raw, "probe2_" + phone_form(raw), PROBE2_PHONE_CTX, f"faker:{locale}")
    # faker's en_AU `(0#).####.####`, de_AT `0#/ ### ## ##`: kept when valid
    for locale, want in [("en_AU", ")."), ("de_AT", "/ ")]:
        got = 0
        for _ in range(20000):
            if got >= 15:
                break
            raw = faker(locale).phone_number()
            if want in raw and valid_phone(raw, region(locale)) is not None:
                one("phone", raw, "probe2_grouping", PROBE2_PHONE_CTX + PHONE_CTX,
                    f"faker:{locale}")
                got += 1
    # Ukraine's Prostir cards (9-led, 16 digits) as faker's uk_UA writes them
    uk = faker("uk_UA")
    got = 0
    while got < 30:
        digits = uk.credit_card_number(card_type="prostir")
        assert luhn_ok(digits)
        style = rng.choice(["plain", "spaces", "dashes"])
        one("card", grouped(digits, style), "prostir", MAESTRO_PLAIN + CARD_CTX, "faker:uk_UA")
        got += 1
    # 13-digit Visa numbers after a phone word that are no MSISDN (not even
    # a possible one: the detector checks lengths, as is_possible_number)
    f = faker("en_US")
    got = 0
    while got < 20:
        digits = f.credit_card_number(card_type="visa13")
        try:
            msisdn = phonenumbers.is_possible_number(phonenumbers.parse("+" + digits))
        except phonenumbers.NumberParseException:
            msisdn = False
        if msisdn:
            continue
        one("card", digits, "visa13_after_phone_word", ["Contact: {v}", "Contact: **{v}**"],
            "faker:en_US")
        got += 1
    # full IPv6 addresses with a port written after them, no brackets
    got = 0
    while got < 20:
        value = f.ipv6()
        if ip_class(value) != "public" or "::" in ipaddress.ip_address(value).compressed \
                or len(value.split(":")) != 8 or not any(len(p) == 4 for p in value.split(":")):
            continue
        emit(f"connect to {value}:{rng.choice([22, 443, 8080])} please",
             [{"kind": "ip", "value": value, "form": "v6_port"}], "faker:en_US")
        got += 1
    # bank account numbers (BBANs) named as such, kept when they would pass
    # a card's checks (Luhn): an account number, not a card
    got = 0
    for i in range(20000):
        if got >= 30:
            break
        country = IBAN_COUNTRIES[i % len(IBAN_COUNTRIES)]
        bban = str(schwifty.IBAN.random(country_code=country, random=rng).bban)
        if bban.isdigit() and 14 <= len(bban) <= 19 and luhn_ok(bban):
            emit(place(rng, bban, ["Account number: {v}", "acct {v}", "Kontonummer {v}",
                                   "BBAN: {v}", "número de cuenta {v}"]), [],
                 f"probe2:bban:{country}")
            got += 1
    # lookalikes that must stay untouched
    for _ in range(20):
        when = f.date_time()
        for value in [when.strftime("%d/%m/%Y %H:%M"), when.strftime("%d.%m.%Y %H:%M"),
                      f"{when.day:02d} {when.month:02d} {when.year + 543}",
                      f.zipcode_plus4(), f"${rng.randint(1000, 99999)}.{rng.randint(0, 99):02d}",
                      f"€ {rng.randint(10**6, 10**7 - 1)}"]:
            emit(place(rng, value, PROBE2_NOT_PHONE), [], "probe2:not_phone")
        emit(place(rng, f.numerify("##########"), PROBE2_NOT_PHONE[:3]), [], "probe2:topic")
        version = ".".join(str(rng.randint(0, 20)) for _ in range(4))
        emit(place(rng, version, ["SKU {v}", "invoice {v}", "part {v}", "model {v}",
                                  "ticket {v}"]), [], "probe2:version")


def main():
    emails()
    phones()
    ssns()
    cards()
    ibans()
    ips()
    secrets()
    mixed_lines()
    probed()
    probed2()
    rng.shuffle(lines)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    kinds = {}
    for line in lines:
        for e in line["expect"]:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    print(f"{OUT.name}: {len(lines)} lines, values per kind {kinds}", file=sys.stderr)


if __name__ == "__main__":
    main()
