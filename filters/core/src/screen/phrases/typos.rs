//! One-typo variants of a few key words, for the `%word` pattern syntax
//! ("(ignore|%ignore) ~3 previous instructions" also matches "ingore your
//! previous instructions").
//!
//! The variants are listed in `filters/core/data/typos.txt`, written by
//! `filters/core/scripts/gen_typos.py`: the word with one letter dropped
//! or doubled, two adjacent letters swapped, or a QWERTY neighbour of a
//! letter inserted beside it or typed instead of it; English words and
//! variants shorter than five letters are left out, so no variant is a word
//! that prose uses. A variant is matched as it is written (whole word,
//! folded like any phrase word), never as the reading of an obfuscated
//! token: the obfuscation vocabulary leaves the variants out, so `1gnore`
//! reads as `ignore`, not as the variant `lgnore`.

use std::collections::HashSet;

const TYPOS: &str = include_str!("../../../data/typos.txt");

/// The key words that have variants, in the file's order.
pub fn typo_words() -> impl Iterator<Item = &'static str> {
    lines().map(|(word, _)| word)
}

/// The one-typo variants of `word` (lowercase), or None when it has no list.
pub(super) fn variants(word: &str) -> Option<impl Iterator<Item = &'static str>> {
    lines()
        .find(|(key, _)| *key == word)
        .map(|(_, variants)| variants.split_ascii_whitespace())
}

/// Every variant of every key word.
pub(super) fn all_variants() -> HashSet<&'static str> {
    lines()
        .flat_map(|(_, variants)| variants.split_ascii_whitespace())
        .collect()
}

/// True when `word` is a variant of a key word (no key word is one).
pub fn is_typo_variant(word: &str) -> bool {
    lines().any(|(_, variants)| variants.split_ascii_whitespace().any(|v| v == word))
}

fn lines() -> impl Iterator<Item = (&'static str, &'static str)> {
    TYPOS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_word_has_variants_and_none_is_a_key_word() {
        let keys: Vec<&str> = typo_words().collect();
        assert!(keys.contains(&"ignore") && keys.contains(&"instructions"));
        for key in &keys {
            let list: Vec<&str> = variants(key).into_iter().flatten().collect();
            assert!(list.len() > 50, "{key}: {}", list.len());
            for variant in list {
                assert!(!keys.contains(&variant), "{variant}");
                assert!(variant.len() >= 5 && variant.bytes().all(|b| b.is_ascii_lowercase()));
            }
        }
    }

    #[test]
    fn the_usual_typos_are_listed_and_english_words_are_not() {
        for (key, typo) in [
            ("ignore", "ingore"),
            ("ignore", "ignroe"),
            ("previous", "prevoius"),
            ("previous", "previus"),
            ("instructions", "iunstructions"),
            ("instructions", "instrucitons"),
            ("prompt", "promt"),
            ("system", "sytem"),
        ] {
            assert!(
                variants(key).into_iter().flatten().any(|v| v == typo),
                "{typo}"
            );
            assert!(is_typo_variant(typo));
        }
        for word in [
            "ignored",
            "ignores",
            "instruction",
            "systems",
            "prompts",
            "forger",
            "ignore",
        ] {
            assert!(!is_typo_variant(word), "{word}");
        }
        assert!(variants("kill").is_none());
    }
}
