//! Byte classes shared by the detectors: one 256-entry table, looked up once
//! per byte, and the small boundary helpers every detector uses.
//!
//! Reads past either end of the text see byte 0, which belongs to no class,
//! so the helpers never index out of bounds. Bytes of multi-byte UTF-8
//! characters (>= 0x80) belong to no class either: they count as word
//! boundaries, so `电话555-123-4567` still finds the phone number, and every
//! match starts and ends on a char boundary.

/// `0-9`
pub(super) const DIGIT: u8 = 1;
/// `A-Z`
pub(super) const UPPER: u8 = 1 << 1;
/// `a-z`
pub(super) const LOWER: u8 = 1 << 2;
/// `0-9a-fA-F`
pub(super) const HEX: u8 = 1 << 3;
/// Punctuation that opens a match or marks one that started just before:
/// `@ + ( : - _`.
pub(super) const PUNCT_TRIGGER: u8 = 1 << 4;
/// Bytes that folding may change (see `fold`): >= 0x80, `\\`, and the C0
/// controls other than `\b` `\t` `\n` `\v` `\f` `\r`. Only the scan's first
/// look at a text stops at them; no detector reads this bit.
pub(super) const SUSPECT: u8 = 1 << 5;
pub(super) const LETTER: u8 = UPPER | LOWER;
pub(super) const ALNUM: u8 = DIGIT | LETTER;

const fn build_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_digit() {
            class |= DIGIT | HEX;
        }
        if c.is_ascii_uppercase() {
            class |= UPPER;
        }
        if c.is_ascii_lowercase() {
            class |= LOWER;
        }
        if matches!(c, b'a'..=b'f' | b'A'..=b'F') {
            class |= HEX;
        }
        if matches!(c, b'@' | b'+' | b'(' | b':' | b'-' | b'_') {
            class |= PUNCT_TRIGGER;
        }
        let kept_control = matches!(c, 0x08..=0x0d);
        if c >= 0x80 || c == b'\\' || (c < 0x20 && !kept_control) {
            class |= SUSPECT;
        }
        table[b] = class;
        b += 1;
    }
    table
}

static CLASS: [u8; 256] = build_table();

/// The class bits of a byte.
#[inline(always)]
pub(super) fn class_of(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

/// The byte at `i`, or 0 past the end.
#[inline(always)]
pub(super) fn at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

/// The byte `back` positions before `i`, or 0 before the start.
#[inline(always)]
pub(super) fn before(bytes: &[u8], i: usize, back: usize) -> u8 {
    i.checked_sub(back).map_or(0, |j| at(bytes, j))
}

#[inline(always)]
pub(super) fn is_digit(b: u8) -> bool {
    class_of(b) & DIGIT != 0
}

#[inline(always)]
pub(super) fn is_upper(b: u8) -> bool {
    class_of(b) & UPPER != 0
}

#[inline(always)]
pub(super) fn is_alnum(b: u8) -> bool {
    class_of(b) & ALNUM != 0
}

#[inline(always)]
pub(super) fn is_hex(b: u8) -> bool {
    class_of(b) & HEX != 0
}

/// Letters, digits and `_`: what may not touch a word-bounded match.
#[inline(always)]
pub(super) fn is_word(b: u8) -> bool {
    is_alnum(b) || b == b'_'
}

/// End of the run of bytes from `from` that have any of the `class` bits.
#[inline(always)]
pub(super) fn class_run_end(bytes: &[u8], from: usize, class: u8) -> usize {
    let mut i = from;
    while class_of(at(bytes, i)) & class != 0 {
        i += 1;
    }
    i
}

/// End of the run of ASCII letters and digits starting at `from`. Eight
/// bytes at a time while they are all lowercase letters, the bulk of prose.
#[inline]
pub(super) fn alnum_run_end(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut i = from;
    loop {
        let chunk = bytes
            .get(i..i + 8)
            .and_then(|c| <[u8; 8]>::try_from(c).ok());
        if let Some(chunk) = chunk {
            let x = u64::from_le_bytes(chunk);
            if x & HIGH == 0 {
                // ASCII only, so no byte carries into the next: a byte's high
                // bit is set by +0x1f when it is >= b'a', by +0x05 when > b'z'.
                let not_lower = (!x.wrapping_add(ONES * 0x1f) | x.wrapping_add(ONES * 0x05)) & HIGH;
                if not_lower == 0 {
                    i += 8;
                    continue;
                }
                i += (not_lower.trailing_zeros() / 8) as usize;
            }
        }
        if !is_alnum(at(bytes, i)) {
            return i;
        }
        i += 1;
    }
}

/// End of the run of ASCII digits starting at `from`.
#[inline(always)]
pub(super) fn digit_run_end(bytes: &[u8], from: usize) -> usize {
    class_run_end(bytes, from, DIGIT)
}

/// End of the run of bytes accepted by `accept` from `from`, reading at most
/// `cap` bytes.
#[inline]
pub(super) fn run_end_capped(
    bytes: &[u8],
    from: usize,
    cap: usize,
    accept: fn(u8) -> bool,
) -> usize {
    let mut i = from;
    while i - from < cap && accept(at(bytes, i)) {
        i += 1;
    }
    i
}

/// True when `bytes[start..]` begins with `literal`.
#[inline(always)]
pub(super) fn starts_with_at(bytes: &[u8], start: usize, literal: &[u8]) -> bool {
    bytes
        .get(start..)
        .is_some_and(|rest| rest.starts_with(literal))
}

/// [`starts_with_at`], ASCII case-insensitive.
pub(super) fn starts_with_at_ignore_case(bytes: &[u8], start: usize, literal: &[u8]) -> bool {
    bytes
        .get(start..start + literal.len())
        .is_some_and(|here| here.eq_ignore_ascii_case(literal))
}

/// Whether a value may start at `start`: the byte before is not a letter, a
/// digit or `_`, except the `_` or `__` of Markdown emphasis (`__4111…__`):
/// underscores that follow a non-word byte or the start of the text.
/// Every other separator (space, punctuation, markup such as `**`, `` ` ``,
/// `<b>`, `|`, `[`, quotes, `mailto:`/`tel:`, non-ASCII characters) is a
/// boundary; pasted escape sequences (`\n`) are made separators by the fold.
pub(super) fn word_start_ok(bytes: &[u8], start: usize) -> bool {
    let prev = before(bytes, start, 1);
    if prev != b'_' {
        return !is_alnum(prev);
    }
    let run = if before(bytes, start, 2) == b'_' {
        2
    } else {
        1
    };
    let outer = start.checked_sub(run + 1).map_or(0, |i| at(bytes, i));
    start == run || !is_word(outer)
}

/// Whether a value may end at `end`: the mirror of [`word_start_ok`]
/// (`…1111__ ` ends a value, `…1111_id` does not).
pub(super) fn word_end_ok(bytes: &[u8], end: usize) -> bool {
    let next = at(bytes, end);
    if next != b'_' {
        return !is_alnum(next);
    }
    let run = if at(bytes, end + 1) == b'_' { 2 } else { 1 };
    !is_word(at(bytes, end + run))
}

/// Whether `start` follows a colon that ends a label (`IP:2001:db8::1`,
/// `host:fe80::1`, `电话：2a01:…` once folded), not an address's group: the
/// word before the colon cannot be a group (it holds a letter beyond `f`,
/// or more than four characters) or there is none, and the colon neither
/// follows nor precedes another colon (`:::1`), and the word does not
/// follow a dot or a dash (`2024-05-01T10:23`).
pub(super) fn label_colon_before(bytes: &[u8], start: usize) -> bool {
    if before(bytes, start, 1) != b':' || at(bytes, start) == b':' {
        return false;
    }
    let colon = start - 1;
    let mut i = colon;
    while i > 0 && is_alnum(before(bytes, i, 1)) {
        i -= 1;
    }
    let word = bytes.get(i..colon).unwrap_or(&[]);
    let outer = before(bytes, i, 1);
    let label = word.is_empty() || word.len() > 4 || word.iter().any(|&b| !is_hex(b));
    label && !is_word(outer) && !matches!(outer, b':' | b'.' | b'-')
}

/// The left boundary of a number (phone, SSN, card): a word start
/// ([`word_start_ok`]: not glued to a word, `ID4111…`), not after `+` (an
/// international phone starts there), and not the tail of a dotted or dashed
/// token (`v1.555-123-4567`, `ORD-123-45-6789`).
pub(super) fn numeric_start_ok(bytes: &[u8], start: usize) -> bool {
    let prev = before(bytes, start, 1);
    if !word_start_ok(bytes, start) || prev == b'+' {
        return false;
    }
    !(matches!(prev, b'.' | b'-') && is_alnum(before(bytes, start, 2)))
}

/// The right boundary of a number: a word end ([`word_end_ok`]), and not
/// continued by `.`/`-` and more of the token (`555-123-4567-89`,
/// `123-45-6789.2`). A sentence's full stop (`…4567.`) is a boundary.
pub(super) fn numeric_end_ok(bytes: &[u8], end: usize) -> bool {
    let next = at(bytes, end);
    if !word_end_ok(bytes, end) {
        return false;
    }
    !(matches!(next, b'.' | b'-') && is_alnum(at(bytes, end + 1)))
}

/// The value of a run of ASCII digits (at most 9 of them, so no overflow).
pub(super) fn small_number(digits: &[u8]) -> u32 {
    digits
        .iter()
        .take(9)
        .fold(0, |acc, d| acc * 10 + u32::from(d.wrapping_sub(b'0') % 10))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn reads_outside_the_text_see_nul() {
        assert_eq!(at(b"ab", 2), 0);
        assert_eq!(at(b"ab", usize::MAX), 0);
        assert_eq!(before(b"ab", 0, 1), 0);
        assert_eq!(before(b"ab", 1, 1), b'a');
        assert_eq!(digit_run_end(b"", 0), 0);
        assert_eq!(digit_run_end(b"123", 0), 3);
        assert_eq!(run_end_capped(b"aaaa", 0, 2, |b| b == b'a'), 2);
        assert_eq!(alnum_run_end(b"", 0), 0);
        assert_eq!(alnum_run_end(b"ab", 5), 5);
    }

    #[test]
    fn alnum_runs_match_the_bytewise_definition() {
        let texts = [
            "abcdefghijklmnopqrstuvwxyz and more",
            "Mixed1234CaseWords_with-punctuation.",
            "zzzzzzzz{zzzzzzzz`AAAA@@@@[[[[",
            "wörter mit ümlauten und 日本語 text",
            "a",
            "abcdefgh",
            "abcdefghi",
        ];
        for text in texts {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let expected = from
                    + bytes[from..]
                        .iter()
                        .take_while(|&&b| b.is_ascii_alphanumeric())
                        .count();
                assert_eq!(alnum_run_end(bytes, from), expected, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn utf8_bytes_are_boundaries() {
        for b in 0x80..=0xffu8 {
            assert_eq!(class_of(b), SUSPECT);
            assert!(!is_word(b));
        }
    }

    #[test]
    fn numeric_boundaries() {
        assert!(numeric_start_ok(b"x 555", 2));
        assert!(!numeric_start_ok(b"x+555", 2));
        assert!(!numeric_start_ok(b"a-555", 2));
        assert!(numeric_start_ok(b" -555", 2));
        assert!(numeric_end_ok(b"555. Next", 3));
        assert!(!numeric_end_ok(b"555.5", 3));
        assert!(!numeric_end_ok(b"555x", 3));
        assert_eq!(small_number(b"0123"), 123);
        assert!(label_colon_before(b"IP:2001", 3));
        assert!(label_colon_before(b"host:fe80", 5));
        assert!(label_colon_before(b" :2001", 2));
        assert!(!label_colon_before(b"12:30", 3));
        assert!(!label_colon_before(b"fe80:1", 5));
        assert!(!label_colon_before(b"a::1", 3));
        assert!(!label_colon_before(b"x_IP:1", 5));
        assert!(!label_colon_before(b"2024-05-01T10:23", 14));
        // Markdown emphasis is a boundary; an identifier's underscore is not
        assert!(numeric_start_ok(b"__555", 2));
        assert!(numeric_start_ok(b"_555", 1));
        assert!(numeric_start_ok(b"x __555", 4));
        assert!(numeric_start_ok(b"(_555", 2));
        assert!(!numeric_start_ok(b"id_555", 3));
        assert!(!numeric_start_ok(b"id__555", 4));
        assert!(!numeric_start_ok(b"___555", 3));
        assert!(numeric_end_ok(b"555__ x", 3));
        assert!(numeric_end_ok(b"555_", 3));
        assert!(numeric_end_ok(b"555__", 3));
        assert!(!numeric_end_ok(b"555_id", 3));
        assert!(!numeric_end_ok(b"555__id", 3));
        assert!(!numeric_end_ok(b"555___", 3));
        for markup in ["**", "`", "<b>", "|", "[", "\"", "'", "(", "=", ":", "*"] {
            let text = format!("{markup}555");
            assert!(numeric_start_ok(text.as_bytes(), markup.len()), "{markup}");
        }
        assert_eq!(small_number(b"9999999999999"), 999_999_999);
    }
}
