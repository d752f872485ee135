#!/usr/bin/env python3
"""Writes filters/core/data/typos.txt: the one-typo variants of the attack
lists' key words, which a phrase pattern names as `%word` (see
`screen::phrases::typos`).

A variant is the word with one letter dropped or doubled, two adjacent
letters swapped, or a QWERTY neighbour of a letter inserted beside it or
typed instead of it ("iunstructions", "ingore", "prevoius"). English words
(Debian's wamerican list, /usr/share/dict/american-english: `apt-get
install wamerican`), the other key words and variants shorter than five
letters are left out, so every variant is a word that prose does not use.

Run: python3 filters/core/scripts/gen_typos.py
"""

import os

ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
POS = {c: (r, i) for r, row in enumerate(ROWS) for i, c in enumerate(row)}
# The key words, in the order the file lists them.
WORDS = [
    "ignore", "disregard", "forget", "previous", "instructions", "instruction",
    "system", "prompt",
]
OUT = os.path.join(os.path.dirname(__file__), "..", "data", "typos.txt")


def neighbours(c):
    r, i = POS[c]
    out = set()
    for dr in (-1, 0, 1):
        for di in (-1, 0, 1):
            rr, ii = r + dr, i + di
            if (dr or di) and 0 <= rr < len(ROWS) and 0 <= ii < len(ROWS[rr]):
                out.add(ROWS[rr][ii])
    return out


def variants(word, english):
    v = set()
    for k in range(len(word)):
        v.add(word[:k] + word[k + 1:])
        v.add(word[:k] + word[k] + word[k:])
        for n in neighbours(word[k]):
            v.add(word[:k] + n + word[k + 1:])
            v.add(word[:k] + n + word[k:])
            v.add(word[:k + 1] + n + word[k + 1:])
    for k in range(len(word) - 1):
        v.add(word[:k] + word[k + 1] + word[k] + word[k + 2:])
    return sorted(x for x in v if x not in english and x not in WORDS and len(x) >= 5)


def main():
    english = {w.strip().lower() for w in open("/usr/share/dict/american-english", encoding="utf-8")}
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# One-typo variants of the key words (`%word` in a phrase pattern).\n")
        out.write("# Written by filters/core/scripts/gen_typos.py; do not edit.\n")
        for word in WORDS:
            out.write(f"{word}: {' '.join(variants(word, english))}\n")


if __name__ == "__main__":
    main()
