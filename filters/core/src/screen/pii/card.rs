//! Payment card numbers.
//!
//! Matches 13–19 digits written either as one unbroken run
//! (`4111111111111111`) or in groups joined by single spaces or single
//! dashes, the same separator throughout, with a first group of 4 digits and
//! further groups of 3–6 (`4111 1111 1111 1111`, `3782-822463-10005`,
//! `6212 3456 7890 1234 565`), when the number passes the Luhn check AND has
//! a known issuer prefix for its length:
//!
//! | issuer | prefix | digits |
//! |---|---|---|
//! | Visa | 4 | 13, 16, 19 |
//! | Mastercard | 51–55, 2221–2720 | 16 |
//! | American Express | 34, 37 | 15 |
//! | Diners Club | 300–305, 36, 38, 39 | 14–19 |
//! | JCB | 3528–3589 | 16–19 |
//! | Discover (6011, 644–649, 65), UnionPay (62), Maestro (60–69) | any 6 | 13–19 |
//! | Maestro | 50, 56–59 | 13–19 |
//!
//! Not matched: numbers inside a longer digit or letter run
//! (`ID4111111111111111`, 20+ digits), numbers continued by `-digit` or
//! `.digit`, numbers right after `+` (phones), Luhn-invalid numbers and
//! numbers with no known prefix (`1234 5678 9012 3456`). When space-grouped
//! digits run on (`4111 1111 1111 1111 123`, a card then its CVV), the
//! longest leading groups that form a valid card are matched.

use super::classes::{at, digit_run_end, is_digit, numeric_end_ok, numeric_start_ok, small_number};

const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;
/// At most 6 groups (4 + 5 × 3 ≥ 19), so at most 5 separators.
const MAX_GROUPS: usize = 6;
/// The longest match: 19 digits and 5 separators.
pub(super) const MAX_LEN: usize = MAX_DIGITS + MAX_GROUPS - 1;

/// Luhn checksum over ASCII digits (`b"4111111111111111"`, not digit
/// values). False when empty or when any byte is not an ASCII digit.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let d = u32::from(b - b'0');
        let d = if i % 2 == 1 {
            if d > 4 {
                d * 2 - 9
            } else {
                d * 2
            }
        } else {
            d
        };
        sum = (sum + d) % 10;
    }
    sum == 0
}

/// Whether a known issuer uses this prefix with this many digits.
fn known_issuer(digits: &[u8]) -> bool {
    let len = digits.len();
    let prefix = |n: usize| small_number(digits.get(..n).unwrap_or(&[]));
    match prefix(1) {
        4 => matches!(len, 13 | 16 | 19),
        2 => len == 16 && (2221..=2720).contains(&prefix(4)),
        5 => match prefix(2) {
            51..=55 => len == 16,
            50 | 56..=59 => true,
            _ => false,
        },
        3 => match prefix(2) {
            34 | 37 => len == 15,
            36 | 38 | 39 => len >= 14,
            30 => len >= 14 && (300..=305).contains(&prefix(3)),
            35 => len >= 16 && (3528..=3589).contains(&prefix(4)),
            _ => false,
        },
        6 => true,
        _ => false,
    }
}

fn is_card_number(digits: &[u8]) -> bool {
    (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) && known_issuer(digits) && luhn_valid(digits)
}

/// A card number starting at `start` (a digit): the end of the match.
pub(super) fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    if !numeric_start_ok(bytes, start) {
        return None;
    }
    let first_end = digit_run_end(bytes, start);
    let first = bytes.get(start..first_end)?;
    if first.len() >= MIN_DIGITS {
        return (is_card_number(first) && numeric_end_ok(bytes, first_end)).then_some(first_end);
    }
    if first.len() != 4 {
        return None;
    }
    let sep = at(bytes, first_end);
    if !matches!(sep, b' ' | b'-') || !is_digit(at(bytes, first_end + 1)) {
        return None;
    }
    grouped(bytes, start, sep)
}

/// Digits grouped by `sep`: the longest run of leading groups that is a card.
fn grouped(bytes: &[u8], start: usize, sep: u8) -> Option<usize> {
    let mut digits = [0u8; MAX_DIGITS];
    let mut count = 0;
    // (byte end, digit count) after each group
    let mut prefixes = [(0usize, 0usize); MAX_GROUPS];
    let mut groups = 0;
    let mut pos = start;
    while groups < MAX_GROUPS {
        let end = digit_run_end(bytes, pos);
        let group = bytes.get(pos..end)?;
        let len_ok = if groups == 0 {
            group.len() == 4
        } else {
            (3..=6).contains(&group.len())
        };
        if !len_ok || count + group.len() > MAX_DIGITS {
            break;
        }
        for (slot, &d) in digits.iter_mut().skip(count).zip(group) {
            *slot = d;
        }
        count += group.len();
        if let Some(p) = prefixes.get_mut(groups) {
            *p = (end, count);
        }
        groups += 1;
        if at(bytes, end) != sep || !is_digit(at(bytes, end + 1)) {
            break;
        }
        pos = end + 1;
    }
    prefixes.iter().take(groups).rev().find_map(|&(end, n)| {
        let number = digits.get(..n)?;
        (is_card_number(number) && card_end_ok(bytes, end, sep)).then_some(end)
    })
}

/// After a grouped card: the usual numeric boundary, and a dash-grouped card
/// may not run on into another dash group.
fn card_end_ok(bytes: &[u8], end: usize, sep: u8) -> bool {
    numeric_end_ok(bytes, end) && !(sep == b'-' && at(bytes, end) == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len())
            .filter(|&i| is_digit(bytes[i]) && (i == 0 || !is_digit(bytes[i - 1])))
            .find_map(|i| match_at(bytes, i).map(|end| &text[i..end]))
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(luhn_valid(b"378282246310005"));
        assert!(luhn_valid(b"0"));
        assert!(!luhn_valid(b"4111111111111112"));
        assert!(!luhn_valid(b""));
        assert!(!luhn_valid(b"4111 1111"));
        assert!(luhn_valid(&[b'0'; 100_000]));
    }

    #[test]
    fn issuers_and_lengths() {
        for ok in [
            "4111111111111111",
            "4222222222222",
            "5555555555554444",
            "2223003122003222",
            "378282246310005",
            "30569309025904",
            "6011111111111117",
            "3530111333300000",
            "6200000000000005",
        ] {
            assert_eq!(find(ok), Some(ok), "{ok}");
        }
        // Luhn-valid but no issuer / wrong length
        assert_eq!(find("1234567890123452"), None);
        assert_eq!(find("37828224631000"), None);
        assert_eq!(find("7111111111111117"), None);
    }

    #[test]
    fn groups() {
        assert_eq!(
            find("card 4111 1111 1111 1111."),
            Some("4111 1111 1111 1111")
        );
        assert_eq!(find("(4111-1111-1111-1111)"), Some("4111-1111-1111-1111"));
        assert_eq!(find("3782 822463 10005"), Some("3782 822463 10005"));
        assert_eq!(find("4111 1111 1111 1111 123"), Some("4111 1111 1111 1111"));
        assert_eq!(find("4111-1111-1111-1111-123"), None);
        assert_eq!(find("4111 1111-1111 1111"), None);
        assert_eq!(find("1234 5678 9012 3456"), None);
        assert_eq!(find("41 11 11 11 11 11 11 11"), None);
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("x4111111111111111"), None);
        assert_eq!(find("4111111111111111x"), None);
        assert_eq!(find("94111111111111111"), None);
        assert_eq!(find("+4111111111111111"), None);
        assert_eq!(find("é4111111111111111é"), Some("4111111111111111"));
        assert_eq!(find(&"4".repeat(100_000)), None);
        assert_eq!(find(&"4111 ".repeat(10_000)), None);
    }
}
