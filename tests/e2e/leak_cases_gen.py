"""Generates tests/e2e/leak_cases.json, the values test_screening_leaks.py
sends through Envoy: card numbers of every issuer and length (valid Luhn),
international phone numbers (faker in many locales, kept only when Google's
libphonenumber says they are valid), emails, values glued to escape sequences
and markup, values written with full-width or invisible characters, PEM
private keys, addresses that identify nobody and ones that do, and benign IDs.

Run it with the generator venv (CI only reads the JSON it writes):

    /work/venv-gen/bin/python tests/e2e/leak_cases_gen.py

Everything comes from a fixed seed, so a rerun writes the same file.
"""
import hashlib
import ipaddress
import json
import random
import uuid
import zlib
from base64 import b64encode
from pathlib import Path

import phonenumbers
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from faker import Faker
from stdnum import luhn

SEED = 20261201
OUT = Path(__file__).with_name("leak_cases.json")
rng = random.Random(SEED)


def faker(locale):
    """A Faker for `locale`, seeded per locale (the same seed everywhere would
    draw the same digits in every locale)."""
    fake = Faker(locale)
    fake.seed_instance(SEED + zlib.crc32(locale.encode()))
    return fake


# ---------------------------------------------------------------- cards

# (issuer, prefixes, lengths): the issuer table the issue names.
ISSUERS = [
    ("visa", ["4"], [13, 16, 19]),
    ("mastercard", ["51", "55", "2221", "2720"], [16]),
    ("amex", ["34", "37"], [15]),
    ("discover", ["6011", "644", "65"], [16, 19]),
    ("discover-unionpay", [str(p) for p in (622126, 622400, 622925)], [16]),
    ("diners", ["36", "300", "305", "38"], [14]),
    ("jcb", ["3528", "3589", "3560"], [16]),
    ("jcb15", ["1800", "2131"], [15]),
    ("maestro", ["5018", "5020", "5038", "6304", "6759", "6761", "6763", "5893"],
     [12, 13, 15, 16, 18, 19]),
    ("unionpay", ["62", "6282", "6250"], [16, 17, 18, 19]),
    ("mir", ["2200", "2202", "2204"], [16]),
    ("rupay", ["60", "65", "81", "82", "508"], [16]),
]


def card_number(prefix, length):
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn.calc_check_digit(body)


def card_format(digits):
    """How people write it: groups of four (Amex and 14-digit Diners 4-6-5 / 4-6-4),
    spaces, dashes or nothing."""
    if len(digits) in (14, 15):
        groups = [digits[:4], digits[4:10], digits[10:]]
    else:
        groups = [digits[i:i + 4] for i in range(0, len(digits), 4)]
        if len(groups[-1]) == 1:
            groups[-2:] = [groups[-2] + groups[-1]]
    return rng.choice([" ", "-", ""]).join(groups)


def cards():
    out = []
    for issuer, prefixes, lengths in ISSUERS:
        for length in lengths:
            prefix = rng.choice(prefixes)
            digits = card_number(prefix, length)
            assert luhn.is_valid(digits)
            out.append({"issuer": issuer, "length": length, "value": card_format(digits)})
    # Faker's own issuers too (valid Luhn, its prefixes).
    fake = faker("en_US")
    for kind in ("maestro", "jcb15", "jcb16", "visa19", "diners", "discover"):
        digits = fake.credit_card_number(card_type=kind)
        assert luhn.is_valid(digits)
        out.append({"issuer": f"faker-{kind}", "length": len(digits), "value": card_format(digits)})
    return out


# --------------------------------------------------------------- phones

PHONE_LOCALES = {
    "en_GB": "GB", "en_AU": "AU", "ja_JP": "JP", "pt_BR": "BR", "nl_NL": "NL", "es_ES": "ES",
    "de_DE": "DE", "en_IN": "IN", "fr_FR": "FR", "it_IT": "IT", "pl_PL": "PL", "sv_SE": "SE",
    "en_IE": "IE", "de_CH": "CH", "en_NZ": "NZ", "ko_KR": "KR", "es_MX": "MX", "da_DK": "DK",
    "fi_FI": "FI", "no_NO": "NO", "pt_PT": "PT", "de_AT": "AT", "cs_CZ": "CZ", "tr_TR": "TR",
}


def phones():
    """Per country: libphonenumber's international, E.164 and dashed forms of
    valid numbers, and faker's own `+` strings as it writes them
    (`+44(0)1214960226`, `+61.2.2337.2149`, `+33 (0)2 53 85 45 15`)."""
    out = []
    for locale, region in PHONE_LOCALES.items():
        fake = faker(locale)
        found = raw = 0
        for _ in range(400):
            text = fake.phone_number()
            try:
                number = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                continue
            if (not phonenumbers.is_valid_number(number)
                    or phonenumbers.region_code_for_number(number) != region
                    or number.extension):
                continue
            if text.startswith("+") and raw < 2:
                out.append({"region": region, "form": "faker", "value": text})
                raw += 1
                continue
            if found == 3:
                if raw == 2:
                    break
                continue
            intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            form = ["international", "e164", "dashes"][found]
            value = {"international": intl, "e164": e164, "dashes": intl.replace(" ", "-")}[form]
            assert phonenumbers.is_valid_number(phonenumbers.parse(value, None)), value
            out.append({"region": region, "form": form, "value": value})
            found += 1
    return out


# --------------------------------------------------------------- emails

def emails():
    out = []
    for locale in ("en_US", "de_DE", "fr_FR", "en_GB", "es_ES", "nl_NL"):
        fake = faker(locale)
        out.append(fake.email())
        out.append(fake.company_email())
    return out


def ssns(n):
    fake = faker("en_US")
    return [fake.ssn() for _ in range(n)]


def iban():
    return faker("de_DE").iban()


def aws_key():
    """An access key id in AWS's shape: AKIA and 16 base32 characters."""
    return "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))


# ---------------------------------------------- values glued to escapes and markup

# (label, template): {v} is the value. `\\n` here is the two characters
# backslash and n, as pasted from logs, JSON or CSV.
GLUE = [
    ("backslash-n before", "Phone:\\n{v}"),
    ("backslash-n both", "Contact\\n{v}\\nThanks"),
    ("backslash-t", "name\\t{v}\\tactive"),
    ("escaped quotes", "{{\\\"contact\\\": \\\"{v}\\\"}}"),
    ("backslash-r-n", "Customer:\\r\\n{v}\\r\\n"),
    ("bold markup", "**{v}**"),
    ("backticks", "`{v}`"),
    ("html bold", "<b>{v}</b>"),
    ("html cell", "<td>{v}</td>"),
    ("quoted csv", "\"Jane\",\"{v}\",\"active\""),
    ("parentheses", "({v})"),
]


def glued(values):
    """Each value in several glues; `mailto:` for emails and `tel:` for phones."""
    out = []
    for kind, value in values:
        for label, template in GLUE:
            out.append({"kind": kind, "glue": label, "value": value, "text": template.format(v=value)})
        if kind == "email":
            out.append({"kind": kind, "glue": "mailto", "value": value, "text": f"mailto:{value}"})
            out.append({"kind": kind, "glue": "markdown link", "value": value,
                        "text": f"[write to us](mailto:{value})"})
        if kind == "phone":
            tel = value.replace(" ", "")
            out.append({"kind": kind, "glue": "tel", "value": tel, "text": f"tel:{tel}"})
            out.append({"kind": kind, "glue": "html link", "value": tel,
                        "text": f"<a href=\\\"tel:{tel}\\\">call</a>"})
    return out


# ----------------------------------------- values written to dodge a pattern

FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789@.-+"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u0000"]


def full_width(value, chars="0123456789@"):
    return "".join(FULL_WIDTH[c] if c in chars else c for c in value)


def sprinkle(value, mark, every):
    """`mark` inside the value, after every `every` characters."""
    return "".join(c + (mark if (i + 1) % every == 0 and i + 1 < len(value) else "")
                   for i, c in enumerate(value))


def dodged(card, phone, email, ssn_value):
    out = [
        {"how": "full-width card", "plain": card, "value": full_width(card)},
        {"how": "full-width phone", "plain": phone, "value": full_width(phone, "0123456789+")},
        {"how": "full-width email", "plain": email, "value": full_width(email, "@.")},
        {"how": "full-width at sign", "plain": email, "value": email.replace("@", "\uff20")},
        {"how": "full-width ssn", "plain": ssn_value, "value": full_width(ssn_value, "0123456789-")},
    ]
    for i, mark in enumerate(INVISIBLE):
        name = f"U+{ord(mark):04X}"
        plain = [card, email, phone, ssn_value][i % 4]
        out.append({"how": f"{name} inside", "plain": plain, "value": sprinkle(plain, mark, 3 + i % 3)})
    out.append({"how": "U+200B in every gap of a card", "plain": card,
                "value": sprinkle(card.replace(" ", ""), "\u200b", 1)})
    return out


# ------------------------------------------------------------- PEM keys

def prime(bits):
    while True:
        n = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        if all(pow(a, n - 1, n) == 1 for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)):
            return n


def rsa_key(bits):
    e = 65537
    while True:
        p, q = prime(bits // 2), prime(bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    d = pow(e, -1, phi)
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q))
    return numbers.private_key()


def openssh_ed25519(key, comment):
    """The OpenSSH private key format, built by hand so the check integer is seeded."""
    def string(b):
        return len(b).to_bytes(4, "big") + b
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    priv = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())
    pub_blob = string(b"ssh-ed25519") + string(pub)
    check = rng.getrandbits(32).to_bytes(4, "big")
    section = check + check + string(b"ssh-ed25519") + string(pub) + string(priv + pub) + string(comment)
    section += bytes(range(1, 1 + (-len(section)) % 8))
    blob = (b"openssh-key-v1\0" + string(b"none") + string(b"none") + string(b"")
            + (1).to_bytes(4, "big") + string(pub_blob) + string(section))
    text = b64encode(blob).decode()
    lines = [text[i:i + 70] for i in range(0, len(text), 70)]
    return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END OPENSSH PRIVATE KEY-----\n"


def pem_keys():
    none = serialization.NoEncryption()
    pem = serialization.Encoding.PEM
    rsa1024 = rsa_key(1024)
    ec_key = ec.derive_private_key(rng.getrandbits(250), ec.SECP256R1())
    ed = ed25519.Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
    keys = {
        "rsa-pkcs1": rsa1024.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, none),
        "ec-sec1": ec_key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, none),
        "ed25519-pkcs8": ed.private_bytes(pem, serialization.PrivateFormat.PKCS8, none),
        "openssh-ed25519": openssh_ed25519(ed, b"deploy@build-7").encode(),
    }
    return [{"kind": k, "value": v.decode()} for k, v in keys.items()]


# ---------------------------------------------------------------- addresses

def addresses():
    fake = faker("en_US")
    public = []
    while len(public) < 4:
        ip = fake.ipv4_public()
        if ipaddress.ip_address(ip).is_global:
            public.append(ip)
    private = [fake.ipv4_private() for _ in range(4)]
    assert all(ipaddress.ip_address(ip).is_private for ip in private)
    return {"public": public, "private": private}


# ------------------------------------------------------------------ benign IDs

def benign_ids():
    fake = faker("en_US")
    ids = []
    for _ in range(3):
        ids.append(f"Request id {uuid.UUID(int=rng.getrandbits(128), version=4)} failed")
    ids.append(f"sha256 {hashlib.sha256(rng.randbytes(16)).hexdigest()} matches the download")
    ids.append(f"md5sum is {hashlib.md5(rng.randbytes(16)).hexdigest()}")
    ids.append(f"fixed in commit {hashlib.sha1(rng.randbytes(16)).hexdigest()[:12]}")
    for _ in range(3):
        d = fake.date_time_between(start_date="-3y", end_date="now")
        ids.append(f"Delivered on {d:%Y-%m-%d} at {d:%H:%M:%S}, ticket opened {d:%d/%m/%Y}")
    ids.append(f"Timestamp {fake.iso8601()}Z in the access log")
    ids.append(f"Order {fake.bothify('###-#######-#######')} has shipped")
    ids.append(f"Your order number is {fake.bothify('########')} and invoice INV-{fake.bothify('####-#####')}")
    ids.append(f"Tracking {fake.bothify('1Z???##########', letters='ABCDEFGHJKLMNPRSTUVWXYZ')}")
    return ids


def main():
    card_list = cards()
    phone_list = phones()
    email_list = emails()
    ssn_value, other_ssn = ssns(2)
    iban_value = iban()
    glue_values = [("phone", phone_list[0]["value"]), ("phone", phone_list[9]["value"]),
                   ("email", email_list[0]), ("email", email_list[5]),
                   ("card", card_list[1]["value"]), ("ssn", ssn_value), ("iban", iban_value),
                   ("ip", faker("en_US").ipv4_private()), ("secret", aws_key())]
    plain_card = "4111 1111 1111 1111"
    cases = {
        "seed": SEED,
        "cards": card_list,
        "phones": phone_list,
        "emails": email_list,
        "glued": glued(glue_values),
        "dodged": dodged(plain_card, "+44 20 7946 0958", email_list[2], ssn_value)
        + dodged(card_list[3]["value"], phone_list[20]["value"], email_list[7], other_ssn)[:5],
        "pem_keys": pem_keys(),
        "addresses": addresses(),
        "benign_ids": benign_ids(),
    }
    OUT.write_text(json.dumps(cases, indent=1, ensure_ascii=True) + "\n")
    print(f"wrote {OUT}: " + ", ".join(f"{k} {len(v)}" for k, v in cases.items() if isinstance(v, list)))


if __name__ == "__main__":
    main()
