//! International bank account numbers (IBAN).
//!
//! Matches a two-letter country code, two check digits and the account part
//! (uppercase letters and digits), written compact (`DE89370400440532013000`)
//! or in groups of four joined by single spaces, the last group 1–4 long
//! (`DE89 3704 0044 0532 0130 00`), when the length is the registered one for
//! the country (DE 22, GB 22, FR 27, NL 18, …; 15–34 for countries not in the
//! table) and the ISO 7064 mod-97 check gives 1.
//!
//! Not matched: lower-case IBANs, other groupings (`DE89-3704-…`), bad
//! checksums, wrong lengths, and IBANs glued to words (`_` counts as part
//! of a word except as Markdown emphasis: `__DE89…__` is matched).

use super::classes::{at, class_of, is_digit, is_upper, word_end_ok, word_start_ok, DIGIT, UPPER};

const MIN_CHARS: usize = 15;
const MAX_CHARS: usize = 34;
/// The longest match: 34 characters in 9 groups, so 8 spaces.
pub(super) const MAX_LEN: usize = MAX_CHARS + MAX_CHARS.div_ceil(4) - 1;

/// IBAN lengths from the SWIFT IBAN registry.
const COUNTRY_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NL", 18),
    (b"NO", 15),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"SA", 24),
    (b"SC", 31),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
];

fn length_ok(chars: &[u8]) -> bool {
    let country = chars.get(..2).unwrap_or(&[]);
    match COUNTRY_LENGTHS
        .iter()
        .find(|(code, _)| &code[..] == country)
    {
        Some(&(_, len)) => chars.len() == len,
        None => (MIN_CHARS..=MAX_CHARS).contains(&chars.len()),
    }
}

/// ISO 13616 mod-97: move the first four characters to the end, read letters
/// as 10–35, and the number must leave remainder 1.
fn mod97_is_one(chars: &[u8]) -> bool {
    let (head, tail) = chars.split_at(chars.len().min(4));
    let mut rem = 0u32;
    for &c in tail.iter().chain(head) {
        rem = if c.is_ascii_digit() {
            (rem * 10 + u32::from(c - b'0')) % 97
        } else {
            (rem * 100 + u32::from(c.wrapping_sub(b'A') % 26) + 10) % 97
        };
    }
    rem == 1
}

/// Country letters, check digits 02–98, uppercase alphanumerics, the
/// country's length, and mod-97.
fn valid_compact(chars: &[u8]) -> bool {
    let shape = match chars {
        [c0, c1, d0, d1, rest @ ..] => {
            is_upper(*c0)
                && is_upper(*c1)
                && is_digit(*d0)
                && is_digit(*d1)
                && (b"02"[..] <= [*d0, *d1][..] && [*d0, *d1][..] <= b"98"[..])
                && rest.iter().all(|&b| is_upper(b) || is_digit(b))
        }
        _ => false,
    };
    shape && length_ok(chars) && mod97_is_one(chars)
}

/// Whether `s` is a valid IBAN, compact or with spaces between characters
/// (`"GB82 WEST 1234 5698 7654 32"`). Lower case is not accepted.
pub fn iban_valid(s: &str) -> bool {
    let mut chars = [0u8; MAX_CHARS];
    let mut len = 0;
    for b in s.bytes().filter(|&b| b != b' ') {
        match chars.get_mut(len) {
            Some(slot) => *slot = b,
            None => return false,
        }
        len += 1;
    }
    chars.get(..len).is_some_and(valid_compact)
}

fn is_iban_char(b: u8) -> bool {
    class_of(b) & (UPPER | DIGIT) != 0
}

/// End of the run of uppercase letters and digits from `from`, at most `cap`.
fn chars_end(bytes: &[u8], from: usize, cap: usize) -> usize {
    let mut i = from;
    while i - from < cap && is_iban_char(at(bytes, i)) {
        i += 1;
    }
    i
}

/// An IBAN starting at `start` (an uppercase letter): the end of the match.
pub(super) fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    if !word_start_ok(bytes, start)
        || !is_upper(at(bytes, start + 1))
        || !is_digit(at(bytes, start + 2))
        || !is_digit(at(bytes, start + 3))
    {
        return None;
    }
    if at(bytes, start + 4) == b' ' {
        grouped(bytes, start)
    } else {
        compact(bytes, start)
    }
}

fn compact(bytes: &[u8], start: usize) -> Option<usize> {
    let end = chars_end(bytes, start, MAX_CHARS + 1);
    let chars = bytes.get(start..end)?;
    (chars.len() <= MAX_CHARS && word_end_ok(bytes, end) && valid_compact(chars)).then_some(end)
}

/// Groups of four joined by single spaces: the longest run of leading groups
/// that is a valid IBAN.
fn grouped(bytes: &[u8], start: usize) -> Option<usize> {
    let mut chars = [0u8; MAX_CHARS];
    let mut count = 0;
    // (byte end, char count) after each group
    let mut prefixes = [(0usize, 0usize); MAX_CHARS.div_ceil(4)];
    let mut groups = 0;
    let mut pos = start;
    while groups < prefixes.len() {
        let end = chars_end(bytes, pos, 5);
        let group = bytes.get(pos..end)?;
        if group.is_empty() || group.len() > 4 || count + group.len() > MAX_CHARS {
            break;
        }
        for (slot, &c) in chars.iter_mut().skip(count).zip(group) {
            *slot = c;
        }
        count += group.len();
        if let Some(p) = prefixes.get_mut(groups) {
            *p = (end, count);
        }
        groups += 1;
        if group.len() < 4 || at(bytes, end) != b' ' || !is_iban_char(at(bytes, end + 1)) {
            break;
        }
        pos = end + 1;
    }
    prefixes.iter().take(groups).rev().find_map(|&(end, n)| {
        let candidate = chars.get(..n)?;
        (word_end_ok(bytes, end) && valid_compact(candidate)).then_some(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len()).find_map(|i| match_at(bytes, i).map(|end| &text[i..end]))
    }

    #[test]
    fn checksum() {
        assert!(iban_valid("DE89370400440532013000"));
        assert!(iban_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(iban_valid("FR1420041010050500013M02606"));
        assert!(iban_valid("NL91ABNA0417164300"));
        assert!(iban_valid("BE68539007547034"));
        assert!(!iban_valid("DE89370400440532013001"));
        assert!(!iban_valid("DE8937040044053201300"));
        assert!(!iban_valid("de89370400440532013000"));
        assert!(!iban_valid(""));
        assert!(!iban_valid("DE"));
        assert!(!iban_valid(&"A".repeat(1000)));
        assert!(!iban_valid("DE89 3704 0044 0532 0130 00é"));
    }

    #[test]
    fn in_text() {
        assert_eq!(
            find("IBAN: DE89 3704 0044 0532 0130 00."),
            Some("DE89 3704 0044 0532 0130 00")
        );
        assert_eq!(
            find("(GB82WEST12345698765432)"),
            Some("GB82WEST12345698765432")
        );
        assert_eq!(
            find("DE89 3704 0044 0532 0130 00 EUR"),
            Some("DE89 3704 0044 0532 0130 00")
        );
        assert_eq!(find("DE89 3704 0044 0532 0130 0012 34"), None);
        assert_eq!(find("XDE89370400440532013000"), None);
        assert_eq!(find("DE89370400440532013000x"), None);
        assert_eq!(find("DE89-3704-0044-0532-0130-00"), None);
        assert_eq!(
            find("__DE89370400440532013000__"),
            Some("DE89370400440532013000")
        );
        assert_eq!(
            find("**DE89 3704 0044 0532 0130 00**"),
            Some("DE89 3704 0044 0532 0130 00")
        );
        assert_eq!(find("id_DE89370400440532013000"), None);
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("DE"), None);
        assert_eq!(
            find("ßDE89370400440532013000ß"),
            Some("DE89370400440532013000")
        );
        assert_eq!(find(&"DE89 ".repeat(10_000)), None);
        assert_eq!(find(&"DE89".repeat(10_000)), None);
    }
}
