//! The PII detectors' view of text written to dodge them, with a map back
//! to the original.
//!
//! [`PiiScanner::scan`](super::PiiScanner::scan) scans the text as it is
//! while it sees only ASCII without escape sequences or stray control
//! characters. At the first byte that could change the picture (a byte of
//! 0x80 or more, a C0 control other than `\b` `\t` `\n` `\v` `\f` `\r`,
//! a backslash) it asks [`changes_from`] whether folding would change
//! anything from there on; only then is the text folded by [`Folded::new`]
//! and the folded copy scanned instead, each match mapped back to the
//! original span.
//!
//! The fold is case-preserving (IBANs and keys need their case) and maps,
//! char by char:
//! - full-width ASCII U+FF01–U+FF5E (`４１１１`, `ｊａｎｅ＠…`) and the small
//!   commercial at U+FE6B to ASCII;
//! - the decimal digits of Arabic-Indic (U+0660–U+0669), Extended
//!   Arabic-Indic (U+06F0–U+06F9), Devanagari (U+0966–U+096F), Bengali
//!   (U+09E6–U+09EF) and the mathematical digits (U+1D7CE–U+1D7FF) to ASCII
//!   digits;
//! - Unicode spaces (no-break, thin, figure, ideographic, …) to a space, the
//!   line and paragraph separators (U+2028, U+2029, U+0085) to `\n`, and the
//!   hyphens U+2010–U+2013, U+2212, U+FE63 to `-`;
//! - invisible characters to nothing: zero-width space, non-joiner and
//!   joiner, word joiner, BOM, soft hyphen, bidi marks and controls and the
//!   other format characters of [`is_invisible`], variation selectors
//!   (U+FE00–U+FE0F), and C0 controls other than `\b` `\t` `\n` `\v` `\f`
//!   `\r` (NUL included), so `4111\u{0}1111…` and `j\u{200B}ane@…` are whole
//!   values again;
//! - escape sequences pasted as text (`\n`, the two characters backslash
//!   and n, copied from logs, JSON or CSV): a backslash that is not itself
//!   escaped (an even number of backslashes before it) followed by `n` `t`
//!   `r` `b` `f` `v`, by `u` and 4 hex digits, `x` and 2, or `U` and 8, is a
//!   separator (folded to `\n`), so `Phone:\n+44 808 157 0263` and
//!   `Email:\njane@example.com` find the value and not `n+44…` or
//!   `njane@…`. An escape whose code is an invisible character or a removed
//!   control (`\u200b`, `\u0000`, `\x00`) is removed like that character.
//!   `\\n` is an escaped backslash and an `n`, not a separator. `\"`, `\\`,
//!   `\/` need nothing: those characters already separate words.
//!
//! Everything else is kept as it is (other non-ASCII characters remain word
//! boundaries). A match's original span runs from the first original char of
//! its first folded byte to the end of the original char of its last, so it
//! covers the characters removed inside the value and none around it.
//!
//! Deliberately not folded: letters of other scripts that look like Latin
//! ones (confusables), percent- and HTML-encoding (`%40`, `&#64;`), octal
//! escapes (`\012`), and `\a` `\e` (common in Windows paths: `C:\app`).
//! Windows paths do hold escape-like pairs (`C:\new\tmp`): those split the
//! path's words (`ew`, `mp`), which is harmless unless what follows is
//! itself a value.

use super::super::text::is_invisible;
use super::classes::{class_of, SUSPECT};
use crate::screen::Span;

/// What one original character or escape sequence becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharFold {
    /// Copied as it is.
    Keep,
    /// Dropped.
    Removed,
    /// This ASCII byte.
    Ascii(u8),
}

/// The separator an escape sequence folds to.
const SEPARATOR: u8 = b'\n';

/// What a non-ASCII character becomes.
fn fold_unicode(c: char) -> CharFold {
    let code = u32::from(c);
    let digit = |zero: u32| CharFold::Ascii(b'0' + ((code - zero) % 10) as u8);
    match c {
        '\u{FF01}'..='\u{FF5E}' => CharFold::Ascii((code - 0xFEE0) as u8),
        '\u{FE6B}' => CharFold::Ascii(b'@'),
        '\u{0660}'..='\u{0669}' => digit(0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(0x06F0),
        '\u{0966}'..='\u{096F}' => digit(0x0966),
        '\u{09E6}'..='\u{09EF}' => digit(0x09E6),
        '\u{1D7CE}'..='\u{1D7FF}' => digit(0x1D7CE),
        '\u{2010}'..='\u{2013}' | '\u{2212}' | '\u{FE63}' => CharFold::Ascii(b'-'),
        '\u{0085}' | '\u{2028}' | '\u{2029}' => CharFold::Ascii(b'\n'),
        '\u{FE00}'..='\u{FE0F}' => CharFold::Removed,
        _ if is_invisible(c) => CharFold::Removed,
        _ if c.is_whitespace() => CharFold::Ascii(b' '),
        _ => CharFold::Keep,
    }
}

/// What `c` reads as to the detectors: an ASCII byte (`Some(Some(b))`),
/// nothing (`Some(None)`: removed), or itself, a boundary (`None`). For the
/// stream hold-back, which must see groups of a number the way the
/// detectors do. (Escape sequences are not chars and are not seen here.)
pub(crate) fn detector_view(c: char) -> Option<Option<u8>> {
    if let Ok(b) = u8::try_from(c) {
        if b.is_ascii() {
            return Some((!is_removed_control(b)).then_some(b));
        }
    }
    match fold_unicode(c) {
        CharFold::Ascii(b) => Some(Some(b)),
        CharFold::Removed => Some(None),
        CharFold::Keep => None,
    }
}

/// C0 controls that are dropped: all but `\b` `\t` `\n` `\v` `\f` `\r`.
#[inline(always)]
pub(super) fn is_removed_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, 0x08..=0x0d)
}

/// Bytes at which the plain scan must ask [`changes_from`]: >= 0x80, a
/// removed control, a backslash.
#[inline(always)]
pub(super) fn is_suspect(b: u8) -> bool {
    class_of(b) & SUSPECT != 0
}

/// An escape sequence starting at `p` (a backslash): its length and what it
/// folds to. `None` when the backslash is escaped or no escape follows.
fn escape_at(bytes: &[u8], p: usize) -> Option<(usize, CharFold)> {
    if bytes.get(p) != Some(&b'\\') {
        return None;
    }
    let escaped = bytes
        .get(..p)?
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1;
    if escaped {
        return None;
    }
    let hex_code = |digits: usize| -> Option<(usize, CharFold)> {
        let hex = bytes.get(p + 2..p + 2 + digits)?;
        let code = hex.iter().try_fold(0u32, |acc, &h| {
            char::from(h).to_digit(16).map(|d| acc * 16 + d)
        })?;
        let fold = match char::from_u32(code) {
            Some(c) if c.is_ascii() => {
                if is_removed_control(c as u8) {
                    CharFold::Removed
                } else {
                    CharFold::Ascii(SEPARATOR)
                }
            }
            Some(c) if fold_unicode(c) == CharFold::Removed => CharFold::Removed,
            _ => CharFold::Ascii(SEPARATOR),
        };
        Some((2 + digits, fold))
    };
    match bytes.get(p + 1)? {
        b'n' | b't' | b'r' | b'b' | b'f' | b'v' => Some((2, CharFold::Ascii(SEPARATOR))),
        b'u' => hex_code(4),
        b'x' => hex_code(2),
        b'U' => hex_code(8),
        _ => None,
    }
}

/// Whether the escape at `p` changes what the detectors see: it is removed
/// (joining its neighbours) or what follows could glue to the escape's
/// letters: a letter, a digit, or a byte of an address's local part or a
/// number's start (`. _ % + - @ (`).
fn escape_changes(bytes: &[u8], p: usize) -> bool {
    match escape_at(bytes, p) {
        Some((_, CharFold::Removed)) => true,
        Some((len, _)) => bytes.get(p + len).is_some_and(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-' | b'@' | b'(')
        }),
        None => false,
    }
}

/// Whether folding changes anything in `text` from byte `from` on (escape
/// sequences are judged with the backslashes before `from`).
pub(super) fn changes_from(text: &str, from: usize) -> bool {
    let bytes = text.as_bytes();
    let mut p = from;
    while let Some(&b) = bytes.get(p) {
        if b < 0x80 {
            if (b == b'\\' && escape_changes(bytes, p)) || is_removed_control(b) {
                return true;
            }
            p = if b == b'\\' || b < 0x20 {
                p + 1
            } else {
                next_suspect(bytes, p + 1)
            };
            continue;
        }
        let Some(c) = text.get(p..).and_then(|rest| rest.chars().next()) else {
            p += 1; // not a char boundary: step to the next one
            continue;
        };
        if fold_unicode(c) != CharFold::Keep {
            return true;
        }
        p += c.len_utf8();
    }
    false
}

/// The first byte from `from` on that may be suspect (or a control kept by
/// the fold, which callers step over), skipping eight plain bytes at a time.
fn next_suspect(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(array) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(array);
        let low7 = word & !HIGH;
        let control = !low7.wrapping_add(ONES * (0x80 - 0x20));
        let diff = low7 ^ (ONES * u64::from(b'\\'));
        let backslash = diff.wrapping_sub(ONES) & !diff;
        if (control | backslash | word) & HIGH != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if is_suspect(b) || b < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// `text` folded for the detectors, with where each folded byte came from.
#[derive(Debug, Default)]
pub(super) struct Folded {
    bytes: Vec<u8>,
    /// Sorted by `folded`; each piece covers the folded bytes up to the
    /// next.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    /// First folded byte of the piece.
    folded: usize,
    /// Original byte it came from.
    original: usize,
    /// 0: folded and original bytes correspond one to one. n > 0: the
    /// piece is one folded byte made from the n original bytes at
    /// `original`.
    source_len: usize,
}

impl Folded {
    pub(super) fn new(text: &str) -> Folded {
        let bytes = text.as_bytes();
        let mut folded = Folded {
            bytes: Vec::with_capacity(bytes.len()),
            pieces: Vec::new(),
        };
        let mut p = 0;
        while p < bytes.len() {
            let plain_end = next_suspect(bytes, p);
            if plain_end > p {
                folded.copy(bytes.get(p..plain_end).unwrap_or(&[]), p);
                p = plain_end;
                continue;
            }
            let (len, fold) = match bytes.get(p) {
                Some(&b'\\') => escape_at(bytes, p).unwrap_or((1, CharFold::Keep)),
                Some(&b) if b < 0x80 => {
                    let fold = if is_removed_control(b) {
                        CharFold::Removed
                    } else {
                        CharFold::Keep
                    };
                    (1, fold)
                }
                _ => match text.get(p..).and_then(|rest| rest.chars().next()) {
                    Some(c) => (c.len_utf8(), fold_unicode(c)),
                    None => (1, CharFold::Keep),
                },
            };
            match fold {
                CharFold::Keep => folded.copy(bytes.get(p..p + len).unwrap_or(&[]), p),
                CharFold::Removed => {}
                CharFold::Ascii(b) => {
                    folded.pieces.push(Piece {
                        folded: folded.bytes.len(),
                        original: p,
                        source_len: len,
                    });
                    folded.bytes.push(b);
                }
            }
            p += len;
        }
        folded
    }

    /// Appends `run`, copied from original offset `original`.
    fn copy(&mut self, run: &[u8], original: usize) {
        let contiguous = self.pieces.last().is_some_and(|last| {
            last.source_len == 0 && last.original + (self.bytes.len() - last.folded) == original
        });
        if !contiguous {
            self.pieces.push(Piece {
                folded: self.bytes.len(),
                original,
                source_len: 0,
            });
        }
        self.bytes.extend_from_slice(run);
    }

    /// The folded bytes.
    pub(super) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn piece_of(&self, k: usize) -> Option<&Piece> {
        let after = self.pieces.partition_point(|piece| piece.folded <= k);
        self.pieces.get(after.checked_sub(1)?)
    }

    /// Where the original char of folded byte `k` starts and ends.
    fn source_of(&self, k: usize) -> (usize, usize) {
        match self.piece_of(k) {
            Some(p) if p.source_len == 0 => {
                let at = p.original + (k - p.folded);
                (at, at + 1)
            }
            Some(p) => (p.original, p.original + p.source_len),
            None => (0, 0),
        }
    }

    /// The span of `text` (the original) that folded span `span` came from,
    /// on char boundaries.
    pub(super) fn original_span(&self, text: &str, span: Span) -> Span {
        let (start, _) = self.source_of(span.start);
        let (_, end) = self.source_of(span.end.saturating_sub(1).max(span.start));
        let mut start = start.min(text.len());
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, text.len());
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn fold(text: &str) -> String {
        String::from_utf8_lossy(Folded::new(text).bytes()).into_owned()
    }

    #[test]
    fn folds_wide_digits_and_removes_invisible_characters() {
        assert_eq!(fold("４１１１ １１１１"), "4111 1111");
        assert_eq!(fold("ｊａｎｅ＠Ｅｘａｍｐｌｅ．ｃｏｍ"), "jane@Example.com");
        assert_eq!(
            fold("j\u{200B}ane\u{00AD}@ex\u{FEFF}ample.com"),
            "jane@example.com"
        );
        assert_eq!(fold("4111\u{0}1111\u{1}1111"), "411111111111");
        assert_eq!(fold("٤١١١ ۴۱۱۱ ४१११ ৪১১১ 𝟒𝟏𝟏𝟏"), "4111 4111 4111 4111 4111");
        assert_eq!(fold("a\u{00A0}b\u{3000}c\u{2011}d\u{2028}e"), "a b c-d\ne");
        assert_eq!(fold("DE89 ３７０４"), "DE89 3704");
        assert_eq!(fold("日本 é\t\n\r"), "日本 é\t\n\r");
    }

    #[test]
    fn escapes_are_separators_unless_escaped() {
        assert_eq!(fold(r"Phone:\n+44 808"), "Phone:\n+44 808");
        assert_eq!(fold(r"a\tb\rc\bd\fe\vf"), "a\nb\nc\nd\ne\nf");
        assert_eq!(fold(r"x\u00a0y\x20z\U0001F600w"), "x\ny\nz\nw");
        assert_eq!(
            fold(r"j\u200bane 4111\u00001111 9\x009"),
            "jane 41111111 99"
        );
        assert_eq!(fold(r"C:\\new \\\nx"), r"C:\\new \\".to_string() + "\nx");
        assert_eq!(
            fold(r#"\"q\" \d \w \u12 \x4 \e \a"#),
            r#"\"q\" \d \w \u12 \x4 \e \a"#
        );
        assert_eq!(fold("end\\"), "end\\");
    }

    #[test]
    fn spans_map_back_to_the_original_value() {
        let cases = [
            ("card ４１１１ １１１１ x", "4111 1111", "４１１１ １１１１"),
            (
                "j\u{200B}ane@example.com.",
                "jane@example.com",
                "j\u{200B}ane@example.com",
            ),
            ("\u{200B}jane\u{200B} ", "jane", "jane"),
            (
                r"Email:\njane@example.com",
                "jane@example.com",
                "jane@example.com",
            ),
            (r"x\u00a04111\u00001111", "41111111", r"4111\u00001111"),
        ];
        for (text, value, original) in cases {
            let folded = Folded::new(text);
            let bytes = folded.bytes();
            let start = bytes
                .windows(value.len())
                .position(|w| w == value.as_bytes())
                .unwrap();
            let span = folded.original_span(text, Span::new(start, start + value.len()));
            assert_eq!(&text[span.start..span.end], original, "{text:?}");
        }
    }

    #[test]
    fn changes_are_detected_exactly() {
        for plain in [
            "",
            "plain ascii text\twith\ttabs\nand lines\r\n",
            r"C:\Windows\System32 \d{3}-\d{2} \\n",
            "printf(\"hello\\n\"); puts(\"x\\t\");",
            "café 日本語 \u{1F600} «quotes» — dash",
        ] {
            assert!(!changes_from(plain, 0), "{plain:?}");
            if !plain.contains('\\') {
                assert_eq!(fold(plain), plain);
            }
        }
        for changed in [
            "４",
            "a\u{200B}b",
            "a\u{0}b",
            r"Phone:\n+44",
            r"x\tjane",
            r"a\u200bb",
            "café ＠",
            "a\u{00A0}b",
        ] {
            assert!(changes_from(changed, 0), "{changed:?}");
        }
        // judged with the backslashes before the start
        assert!(!changes_from(r"\\nabc", 1));
        assert!(changes_from(r"\\\nabc", 2));
    }

    #[test]
    fn never_panics_and_spans_stay_in_bounds() {
        const PIECES: &[&str] = &[
            "\\",
            "n",
            "u",
            "0",
            "a",
            "\u{200B}",
            "\u{0}",
            "４",
            "é",
            "日",
            " ",
            "@",
            "x",
            "\u{1D7CE}",
        ];
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..3000 {
            let len = rng.usize(0..30);
            let text: String = (0..len)
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            let folded = Folded::new(&text);
            let n = folded.bytes().len();
            for s in 0..n {
                for e in s + 1..=n {
                    let span = folded.original_span(&text, Span::new(s, e));
                    assert!(span.start <= span.end && span.end <= text.len());
                    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                }
            }
        }
    }
}
