#!/usr/bin/env python3
"""Prints the one-typo variants of the attack lists' key words, the bodies of
the `instructions_typo!`, `previous_typo!` and `ignore_typo!` macros in
filters/core/src/screen/categories/attacks.rs.

A variant is the word with one letter dropped or doubled, two adjacent
letters swapped, or a QWERTY neighbour of a letter inserted beside it or
typed instead of it ("iunstructions", "ingore", "prevoius"); English words
(Debian's wamerican list, /usr/share/dict/american-english) and variants
shorter than four letters are left out, so every variant is a word that
prose does not use.

Run: python3 filters/core/scripts/gen_typos.py
"""

ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
POS = {c: (r, i) for r, row in enumerate(ROWS) for i, c in enumerate(row)}
MACROS = {
    "instructions_typo": ["instructions", "instruction"],
    "previous_typo": ["previous"],
    "ignore_typo": ["ignore", "disregard"],
}


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
    return {x for x in v if x != word and x not in english and len(x) >= 4}


def main():
    english = {w.strip().lower() for w in open("/usr/share/dict/american-english", encoding="utf-8")}
    for name, words in MACROS.items():
        out = set()
        for w in words:
            out |= variants(w, english)
        print(f"{name}: {'|'.join(sorted(out - set(words)))}")


if __name__ == "__main__":
    main()
