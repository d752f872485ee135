//! US Social Security numbers.
//!
//! Matches `AAA-GG-SSSS` and `AAA GG SSSS` (the same separator twice), and a
//! bare 9-digit run `AAAGGSSSS` only when `SSN` or `social security` (any
//! case, as a word) appears in the 32 bytes before it (`SSN: 123456789`).
//! The number must be one the SSA can issue: area not 000, 666 or 900–999
//! (ITINs and advertising numbers), group not 00, serial not 0000.
//!
//! Not matched: a bare 9-digit run without that context (order numbers,
//! routing numbers), numbers glued to words or inside longer dashed or
//! dotted tokens (`ORD-123-45-6789`, `123-45-6789-1`), mixed separators
//! (`123-45 6789`).

use super::classes::{at, before, digit_run_end, numeric_end_ok, numeric_start_ok, small_number};

/// `AAA-GG-SSSS`
pub(super) const MAX_LEN: usize = 11;
/// How far before a bare 9-digit run the keyword may be.
const KEYWORD_WINDOW: usize = 32;

/// An SSN starting at `start` (a digit): the end of the match.
pub(super) fn match_at(bytes: &[u8], start: usize) -> Option<usize> {
    if !numeric_start_ok(bytes, start) {
        return None;
    }
    let area_end = digit_run_end(bytes, start);
    match area_end - start {
        3 => separated(bytes, start, area_end),
        9 => bare(bytes, start, area_end),
        _ => None,
    }
}

fn separated(bytes: &[u8], start: usize, area_end: usize) -> Option<usize> {
    let sep = at(bytes, area_end);
    if !matches!(sep, b'-' | b' ') {
        return None;
    }
    let group_start = area_end + 1;
    let group_end = digit_run_end(bytes, group_start);
    if group_end - group_start != 2 || at(bytes, group_end) != sep {
        return None;
    }
    let serial_start = group_end + 1;
    let serial_end = digit_run_end(bytes, serial_start);
    if serial_end - serial_start != 4 || !numeric_end_ok(bytes, serial_end) {
        return None;
    }
    let area = small_number(bytes.get(start..area_end)?);
    let group = small_number(bytes.get(group_start..group_end)?);
    let serial = small_number(bytes.get(serial_start..serial_end)?);
    issuable(area, group, serial).then_some(serial_end)
}

fn bare(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    if !numeric_end_ok(bytes, end) || !keyword_before(bytes, start) {
        return None;
    }
    let digits = bytes.get(start..end)?;
    let area = small_number(digits.get(..3)?);
    let group = small_number(digits.get(3..5)?);
    let serial = small_number(digits.get(5..)?);
    issuable(area, group, serial).then_some(end)
}

/// A number the SSA can issue.
fn issuable(area: u32, group: u32, serial: u32) -> bool {
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// `ssn` or `social security`, any case, as a word, in the window before
/// `start`.
fn keyword_before(bytes: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(KEYWORD_WINDOW);
    let Some(window) = bytes.get(from..start) else {
        return false;
    };
    (0..window.len()).any(|i| {
        let rest = window.get(i..).unwrap_or(&[]);
        let starts_word = !before(window, i, 1).is_ascii_alphabetic();
        starts_word
            && [&b"ssn"[..], &b"social security"[..]].iter().any(|kw| {
                rest.get(..kw.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(kw))
                    && !at(rest, kw.len()).is_ascii_alphabetic()
            })
    })
}

#[cfg(test)]
mod tests {
    use super::super::classes::is_digit;
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn starts_number(bytes: &[u8], i: usize) -> bool {
        is_digit(at(bytes, i)) && !is_digit(before(bytes, i, 1))
    }

    fn find(text: &str) -> Option<&str> {
        let bytes = text.as_bytes();
        (0..bytes.len())
            .filter(|&i| starts_number(bytes, i))
            .find_map(|i| match_at(bytes, i).map(|end| &text[i..end]))
    }

    #[test]
    fn formats() {
        assert_eq!(find("SSN 123-45-6789."), Some("123-45-6789"));
        assert_eq!(find("is 123 45 6789"), Some("123 45 6789"));
        assert_eq!(find("(078-05-1120)"), Some("078-05-1120"));
        assert_eq!(find("123-45 6789"), None);
        assert_eq!(find("1234-56-7890"), None);
    }

    #[test]
    fn invalid_numbers() {
        for bad in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "999-12-3456",
            "123-00-4567",
            "123-45-0000",
        ] {
            assert_eq!(find(bad), None, "{bad}");
        }
        assert_eq!(find("899-12-3456"), Some("899-12-3456"));
    }

    #[test]
    fn bare_needs_keyword() {
        assert_eq!(find("order 123456789 shipped"), None);
        assert_eq!(find("SSN: 123456789"), Some("123456789"));
        assert_eq!(
            find("my social security number is 123456789"),
            Some("123456789")
        );
        assert_eq!(find("classname 123456789"), None);
        assert_eq!(find("ssn 666456789"), None);
        assert_eq!(find("ssn 1234567890"), None);
    }

    #[test]
    fn boundaries() {
        assert_eq!(find(""), None);
        assert_eq!(find("ORD-123-45-6789"), None);
        assert_eq!(find("123-45-6789-1"), None);
        assert_eq!(find("a123-45-6789"), None);
        assert_eq!(find("ü123-45-6789ü"), Some("123-45-6789"));
        assert_eq!(find(&"1".repeat(100_000)), None);
    }
}
