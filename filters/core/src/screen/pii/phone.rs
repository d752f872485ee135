//! Phone numbers: North American (NANP) and international (E.164) formats.
//!
//! Matched:
//! - NANP with separators: `555-234-5678`, `555.234.5678`, `555 234 5678`,
//!   `(555) 234-5678`, `(555)234-5678`, with an optional trunk `1`:
//!   `1-800-555-0199`, `1 (800) 555-0199`. The area code and the exchange
//!   both start with 2–9 (NANP numbering rules), so `555-123-4567` is not a
//!   phone number. `.` separators go in pairs (`555.234-5678` is not matched).
//! - International: `+`, a country code (1–9 first), then 7–15 digits in all,
//!   optionally grouped by single spaces, dashes or dots, and one optional
//!   parenthesised group right after the country code: `+44 20 7946 0958`,
//!   `+4915112345678`, `+33 1 23 45 67 89`, `+44 (0)20 7946 0958`,
//!   `+1 (555) 234-5678`. A `+1` number follows the NANP rules above and has
//!   exactly 11 digits.
//!
//! Deliberately not matched: bare 10-digit runs without a `+`
//! (`5552345678`: order numbers, IDs and timestamps look the same), 7-digit
//! local numbers (`555-0199`), and numbers glued to words or inside longer
//! dotted/dashed tokens, so dates (`2024-01-15`), times, versions, prices,
//! ISBNs (`978-3-16-148410-0`) and order numbers (`ORD-555-234-5678`) do not
//! hit.

use super::classes::{
    at, before, digit_run_end, is_digit, numeric_end_ok, numeric_start_ok, word_start_ok,
};

/// E.164 caps a number at 15 digits.
const MAX_DIGITS: usize = 15;
const MIN_INTERNATIONAL_DIGITS: usize = 7;
/// The longest match: `+`, 15 digits, at most 14 single separators, and 2
/// more bytes around a parenthesised group (` (…) `).
pub(super) const MAX_LEN: usize = 1 + MAX_DIGITS + (MAX_DIGITS - 1) + 2;

/// A NANP number starting at `start` (a digit): the end of the match.
pub(super) fn match_national(bytes: &[u8], start: usize) -> Option<usize> {
    if !numeric_start_ok(bytes, start) {
        return None;
    }
    let run_end = digit_run_end(bytes, start);
    let core_start = if run_end - start == 1 && at(bytes, start) == b'1' {
        match at(bytes, run_end) {
            b'-' | b' ' | b'.' => run_end + 1,
            b'(' => run_end,
            _ => return None,
        }
    } else {
        start
    };
    let end = nanp(bytes, core_start)?;
    numeric_end_ok(bytes, end).then_some(end)
}

/// A NANP number starting at `start` (an opening parenthesis).
pub(super) fn match_parenthesised(bytes: &[u8], start: usize) -> Option<usize> {
    if !word_start_ok(bytes, start) {
        return None;
    }
    let end = nanp(bytes, start)?;
    numeric_end_ok(bytes, end).then_some(end)
}

/// The end of the `n` digits at `pos`, when exactly `n` digits are there.
fn exactly_digits(bytes: &[u8], pos: usize, n: usize) -> Option<usize> {
    let end = digit_run_end(bytes, pos);
    (end - pos == n).then_some(end)
}

/// NANP numbering: area code and exchange start with 2–9.
fn nanp_leading_digit(b: u8) -> bool {
    (b'2'..=b'9').contains(&b)
}

/// `NXX-NXX-XXXX` or `(NXX) NXX-XXXX` at `pos`, without boundary checks.
fn nanp(bytes: &[u8], pos: usize) -> Option<usize> {
    let (area_start, exchange_start, first_sep) = if at(bytes, pos) == b'(' {
        let area_end = exactly_digits(bytes, pos + 1, 3)?;
        if at(bytes, area_end) != b')' {
            return None;
        }
        let after = area_end + 1;
        let exchange_start = if at(bytes, after) == b' ' {
            after + 1
        } else {
            after
        };
        (pos + 1, exchange_start, None)
    } else {
        let area_end = exactly_digits(bytes, pos, 3)?;
        let sep = at(bytes, area_end);
        if !matches!(sep, b'-' | b'.' | b' ') {
            return None;
        }
        (pos, area_end + 1, Some(sep))
    };
    let exchange_end = exactly_digits(bytes, exchange_start, 3)?;
    let second_sep = at(bytes, exchange_end);
    if !matches!(second_sep, b'-' | b'.' | b' ') {
        return None;
    }
    if let Some(first_sep) = first_sep {
        if (first_sep == b'.') != (second_sep == b'.') {
            return None;
        }
    }
    let end = exactly_digits(bytes, exchange_end + 1, 4)?;
    let valid =
        nanp_leading_digit(at(bytes, area_start)) && nanp_leading_digit(at(bytes, exchange_start));
    valid.then_some(end)
}

/// Digits collected from a grouped number, at most [`MAX_DIGITS`].
struct Digits {
    values: [u8; MAX_DIGITS],
    len: usize,
}

impl Digits {
    /// Appends ASCII digits; `None` past [`MAX_DIGITS`].
    fn append(&mut self, ascii: &[u8]) -> Option<()> {
        for &b in ascii {
            *self.values.get_mut(self.len)? = b.wrapping_sub(b'0');
            self.len += 1;
        }
        Some(())
    }

    fn get(&self, i: usize) -> u8 {
        self.values.get(i).copied().unwrap_or(0)
    }
}

/// An international number starting at `plus` (a `+`): the end of the match.
pub(super) fn match_international(bytes: &[u8], plus: usize) -> Option<usize> {
    let prev = before(bytes, plus, 1);
    if !word_start_ok(bytes, plus) || prev == b')' || !(b'1'..=b'9').contains(&at(bytes, plus + 1))
    {
        return None;
    }
    let mut digits = Digits {
        values: [0; MAX_DIGITS],
        len: 0,
    };
    let mut pos = plus + 1;
    let mut groups = 0;
    loop {
        let end = digit_run_end(bytes, pos);
        digits.append(bytes.get(pos..end)?)?;
        groups += 1;
        pos = end;
        let sep = at(bytes, pos);
        if matches!(sep, b' ' | b'-' | b'.') && is_digit(at(bytes, pos + 1)) {
            pos += 1;
            continue;
        }
        if groups == 1 {
            if let Some((inner, next)) = parenthesised_group(bytes, pos) {
                digits.append(bytes.get(inner.0..inner.1)?)?;
                pos = next;
                continue;
            }
        }
        break;
    }
    let valid = if digits.get(0) == 1 {
        digits.len == 11 && digits.get(1) >= 2 && digits.get(4) >= 2
    } else {
        digits.len >= MIN_INTERNATIONAL_DIGITS
    };
    (valid && numeric_end_ok(bytes, pos)).then_some(pos)
}

/// `(0)` or ` (555) ` right after the country code: the inner digits' byte
/// range and where the next digit group starts.
fn parenthesised_group(bytes: &[u8], pos: usize) -> Option<((usize, usize), usize)> {
    let open = match (at(bytes, pos), at(bytes, pos + 1)) {
        (b'(', _) => pos,
        (b' ', b'(') => pos + 1,
        _ => return None,
    };
    let inner_start = open + 1;
    let inner_end = digit_run_end(bytes, inner_start);
    if !(1..=4).contains(&(inner_end - inner_start)) || at(bytes, inner_end) != b')' {
        return None;
    }
    let mut next = inner_end + 1;
    if matches!(at(bytes, next), b' ' | b'-') {
        next += 1;
    }
    is_digit(at(bytes, next)).then_some(((inner_start, inner_end), next))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The first phone match, trying every start the scanner would.
    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len()).find_map(|i| {
            let end = match bytes[i] {
                b'+' => match_international(bytes, i),
                b'(' => match_parenthesised(bytes, i),
                b if b.is_ascii_digit() && !before(bytes, i, 1).is_ascii_digit() => {
                    match_national(bytes, i)
                }
                _ => None,
            };
            end.map(|end| &text[i..end])
        })
    }

    #[test]
    fn nanp_formats() {
        for ok in [
            "555-234-5678",
            "555.234.5678",
            "555 234 5678",
            "555 234-5678",
            "(555) 234-5678",
            "(555)234-5678",
            "1-800-555-0199",
            "1 800 555 0199",
            "1 (800) 555-0199",
            "1(800)555-0199",
        ] {
            assert_eq!(find(&format!("call {ok}.")), Some(ok), "{ok}");
        }
    }

    #[test]
    fn nanp_rules() {
        assert_eq!(find("555-123-4567"), None);
        assert_eq!(find("155-234-5678"), None);
        assert_eq!(find("(055) 234-5678"), None);
        assert_eq!(find("555.234-5678"), None);
        assert_eq!(find("5552345678"), None);
        assert_eq!(find("555-0199"), None);
    }

    #[test]
    fn international_formats() {
        for ok in [
            "+1 555 234 5678",
            "+1-555-234-5678",
            "+1 (555) 234-5678",
            "+15552345678",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+4915112345678",
            "+33 1 23 45 67 89",
            "+81-3-1234-5678",
            "+61.2.9876.5432",
        ] {
            assert_eq!(find(&format!("tel: {ok}, ok")), Some(ok), "{ok}");
        }
        assert_eq!(find("+1 555 123 4567"), None);
        assert_eq!(find("+155523456789"), None);
        assert_eq!(find("+0 20 7946 0958"), None);
        assert_eq!(find("+12345"), None);
        assert_eq!(find("+1234567890123456"), None);
        assert_eq!(find("x+4915112345678"), None);
        assert_eq!(find("+1.5 points"), None);
    }

    #[test]
    fn negatives() {
        for bad in [
            "2024-01-15",
            "12:30:45",
            "978-3-16-148410-0",
            "$1,234.56",
            "v2.345.678.9012",
            "ORD-555-234-5678",
            "555-234-5678-1",
            "555-234-56789",
            "1-2-3",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("+"), None);
        assert_eq!(find("("), None);
        assert_eq!(find("电话555-234-5678。"), Some("555-234-5678"));
        assert_eq!(find(&"+1".repeat(50_000)), None);
        assert_eq!(find(&"9".repeat(100_000)), None);
        assert_eq!(find(&"+9 ".repeat(20)), None);
        let longest = "+9-9-9-9-9-9-9-9-9-9-9-9-9-9-9";
        assert_eq!(find(longest), Some(longest));
        assert!(longest.len() <= MAX_LEN);
        let paren = "+9 (999) 9-9-9-9-9-9-9-9-9-9-9";
        assert_eq!(find(paren), Some(paren));
        assert!(paren.len() <= MAX_LEN);
    }
}
