//! Text folding for phrase matching, with a map back to the original text.
//!
//! Phrase lists are matched against a *folded* copy of the text, so that
//! trivial evasions do not hide a phrase:
//!
//! - ASCII letters are lowercased; full-width ASCII (U+FF01–U+FF5E, e.g.
//!   `ｋｉｌｌ`) becomes ASCII; other letters get their simple Unicode
//!   lowercase when it is a single char (`É` → `é`, Kelvin sign → `k`).
//! - Curly apostrophes and quotes become `'` and `"` (`you’re` → `you're`).
//! - Invisible format characters are removed: zero-width space, non-joiner
//!   and joiner (U+200B–U+200D), word joiner (U+2060), BOM (U+FEFF), soft
//!   hyphen (U+00AD), combining grapheme joiner (U+034F), Mongolian vowel
//!   separator (U+180E), invisible operators (U+2061–U+2064) and the bidi
//!   marks and controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
//! - Every run of whitespace (spaces, tabs, newlines, no-break and other
//!   Unicode spaces), even when interleaved with invisible characters,
//!   becomes one ASCII space.
//!
//! [`Folded`] keeps where each folded byte came from, so a match in the
//! folded text maps back to a [`Span`] of the original. [`is_plain`] tells
//! when the original needs nothing but ASCII lowercasing, so a matcher that
//! ignores ASCII case can search the original directly and skip the copy.

use crate::screen::Span;
use std::ops::Range;

/// Text folded for phrase matching: lowercased (ASCII, full-width ASCII and
/// simple Unicode lowercase), invisible characters removed, every run of
/// whitespace collapsed to one space.
///
/// It keeps, for every byte of the folded text, the byte offset in the
/// original text it came from (stored as runs, so plain text costs one entry
/// per collapsed whitespace run, not one per byte).
#[derive(Debug, Clone, Default)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// Where folded bytes come from, sorted by `folded`; each piece covers
    /// the folded bytes up to the next piece.
    pieces: Vec<Piece>,
    original_len: usize,
}

/// A stretch of folded text and where it came from.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// First folded byte of the piece.
    folded: usize,
    /// Original byte the piece's first folded byte came from.
    original: usize,
    /// 0: folded and original bytes correspond one to one (same UTF-8
    /// lengths). n > 0: every folded byte of the piece came from the one
    /// original char of n bytes at `original`.
    source_len: usize,
}

/// What a character of the original becomes in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FoldedChar {
    /// Dropped (invisible format character).
    Removed,
    /// Whitespace: one space for the whole run.
    Space,
    /// This character (possibly the same as the original).
    Char(char),
}

impl Folded {
    /// Folds `original`.
    pub fn new(original: &str) -> Folded {
        let mut folded = Folded::empty(original.len());
        let mut after_space = false;
        folded.push_folding(original, 0..original.len(), &mut after_space);
        folded.finish()
    }

    /// An empty folding of an original of `original_len` bytes, to fill
    /// with [`Folded::push_folding`] and [`Folded::push_mapped`] in order of
    /// the original, then [`Folded::finish`].
    pub(crate) fn empty(original_len: usize) -> Folded {
        Folded {
            text: String::with_capacity(original_len),
            pieces: Vec::new(),
            original_len,
        }
    }

    /// Appends the folding of `original[range]` (char boundaries), as
    /// [`Folded::new`] folds it; `after_space` says whether the folded text
    /// ends in a whitespace run, before and after.
    pub(crate) fn push_folding(
        &mut self,
        original: &str,
        range: Range<usize>,
        after_space: &mut bool,
    ) {
        let bytes = original.as_bytes();
        let end = range.end.min(bytes.len());
        let mut at = range.start;
        while at < end {
            let run_end = plain_run_end(bytes.get(..end).unwrap_or(&[]), at, *after_space);
            if run_end > at {
                self.push_aligned(original.get(at..run_end).unwrap_or(""), at);
                *after_space = bytes.get(run_end - 1) == Some(&b' ');
                at = run_end;
                continue;
            }
            let Some(c) = original.get(at..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            *after_space = self.push_char(c, at, *after_space);
            at += c.len_utf8();
        }
    }

    /// Appends the ASCII byte `folded` (not whitespace unless a space),
    /// which stands for the `source_len` original bytes at `original`.
    pub(crate) fn push_mapped(&mut self, folded: u8, original: usize, source_len: usize) {
        self.push_from_char(char::from(folded), original, source_len);
    }

    /// Lowercases the ASCII the pushes appended as they were.
    pub(crate) fn finish(mut self) -> Folded {
        self.text.make_ascii_lowercase();
        self
    }

    /// The original span covering folded bytes `start..end` (char
    /// boundaries of [`Folded::text`]): `start` maps to the start of the
    /// original char it came from, `end` to the end of the original char the
    /// last folded byte came from. Offsets past the end clamp to the end.
    pub fn original_span(&self, start: usize, end: usize) -> Span {
        let original_start = self.original_offset(start);
        let original_end = if end > start {
            self.original_char_end(end.min(self.text.len()))
        } else {
            original_start
        };
        Span::new(original_start, original_end.max(original_start))
    }

    /// The original byte offset the folded byte at `at` came from (the start
    /// of its original char); the original length for `at` at or past the end.
    pub fn original_offset(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.original_len;
        }
        match self.piece_at(at) {
            Some(piece) if piece.source_len == 0 => piece.original + (at - piece.folded),
            Some(piece) => piece.original,
            None => 0,
        }
    }

    /// End, in the original, of the char the folded byte `end - 1` came from.
    fn original_char_end(&self, end: usize) -> usize {
        let Some(piece) = end.checked_sub(1).and_then(|last| self.piece_at(last)) else {
            return 0;
        };
        let original_end = if piece.source_len == 0 {
            piece.original + (end - piece.folded)
        } else {
            piece.original + piece.source_len
        };
        original_end.min(self.original_len)
    }

    fn piece_at(&self, at: usize) -> Option<&Piece> {
        let after = self.pieces.partition_point(|piece| piece.folded <= at);
        after
            .checked_sub(1)
            .and_then(|index| self.pieces.get(index))
    }

    /// Appends `s`, which came byte for byte from the original at `original`.
    fn push_aligned(&mut self, s: &str, original: usize) {
        let continues_last = self.pieces.last().is_some_and(|last| {
            last.source_len == 0 && last.original + (self.text.len() - last.folded) == original
        });
        if !continues_last {
            self.pieces.push(Piece {
                folded: self.text.len(),
                original,
                source_len: 0,
            });
        }
        self.text.push_str(s);
    }

    /// Appends `folded`, which came from the original char at `original` of
    /// `source_len` bytes.
    fn push_from_char(&mut self, folded: char, original: usize, source_len: usize) {
        if folded.len_utf8() == source_len {
            self.push_aligned(folded.encode_utf8(&mut [0; 4]), original);
            return;
        }
        self.pieces.push(Piece {
            folded: self.text.len(),
            original,
            source_len,
        });
        self.text.push(folded);
    }

    /// Folds one original char at `original`; returns whether the folded
    /// text now ends in a whitespace run.
    fn push_char(&mut self, c: char, original: usize, after_space: bool) -> bool {
        match fold_char(c) {
            FoldedChar::Removed => after_space,
            FoldedChar::Space => {
                if !after_space {
                    self.push_from_char(' ', original, c.len_utf8());
                }
                true
            }
            FoldedChar::Char(folded) => {
                self.push_from_char(folded, original, c.len_utf8());
                false
            }
        }
    }
}

/// True when `s` needs no folding except ASCII lowercasing: printable ASCII
/// and single spaces only (no tabs, newlines or space runs). Conservative:
/// ASCII control characters also answer false, though folding keeps them.
pub fn is_plain(s: &str) -> bool {
    plain_run_end(s.as_bytes(), 0, false) == s.len()
}

/// End of the run from `start` of bytes that fold to themselves (up to
/// ASCII case): printable ASCII, and spaces not following a space.
fn plain_run_end(bytes: &[u8], start: usize, after_space: bool) -> usize {
    let mut previous_space = after_space;
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        if b == b' ' {
            if previous_space {
                break;
            }
            previous_space = true;
        } else if (0x21..0x7f).contains(&b) {
            previous_space = false;
        } else {
            break;
        }
        end += 1;
    }
    end
}

/// What `c` becomes in folded text.
pub(crate) fn fold_char(c: char) -> FoldedChar {
    if c.is_ascii() {
        return if c.is_ascii_whitespace() || c == '\u{0B}' {
            FoldedChar::Space
        } else {
            FoldedChar::Char(c.to_ascii_lowercase())
        };
    }
    if is_invisible(c) {
        return FoldedChar::Removed;
    }
    if c.is_whitespace() {
        return FoldedChar::Space;
    }
    FoldedChar::Char(fold_non_ascii(c))
}

/// What folding makes of `c`, seen from ASCII: dropped, an ASCII byte
/// (lowercase; whitespace as a space), or something else. Agrees with
/// [`Folded`] and is cheap for the chars that fold to something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AsciiFold {
    Removed,
    Ascii(u8),
    Other,
}

pub(crate) fn fold_to_ascii(c: char) -> AsciiFold {
    if let Ok(byte) = u8::try_from(c) {
        if byte.is_ascii() {
            let space = byte.is_ascii_whitespace() || byte == 0x0b;
            return AsciiFold::Ascii(if space {
                b' '
            } else {
                byte.to_ascii_lowercase()
            });
        }
    }
    match c {
        '\u{FF01}'..='\u{FF5E}' => u8::try_from(u32::from(c) - 0xFEE0)
            .map_or(AsciiFold::Other, |byte| {
                AsciiFold::Ascii(byte.to_ascii_lowercase())
            }),
        '\u{212A}' => AsciiFold::Ascii(b'k'),
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => AsciiFold::Ascii(b'\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => AsciiFold::Ascii(b'"'),
        _ if is_invisible(c) => AsciiFold::Removed,
        _ if c.is_whitespace() => AsciiFold::Ascii(b' '),
        _ => AsciiFold::Other,
    }
}

/// Full-width ASCII to ASCII, curly quotes to straight ones, otherwise the
/// simple lowercase when it is one char.
fn fold_non_ascii(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(u32::from(c) - 0xFEE0).map_or(c, |ascii| ascii.to_ascii_lowercase())
        }
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
        _ => single_lowercase(c),
    }
}

fn single_lowercase(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Invisible format characters dropped by folding.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn fold(s: &str) -> String {
        Folded::new(s).text
    }

    /// The original text under folded bytes `start..end`.
    fn back<'a>(original: &'a str, folded: &Folded, start: usize, end: usize) -> &'a str {
        let span = folded.original_span(start, end);
        &original[span.start..span.end]
    }

    #[test]
    fn lowercases_ascii_full_width_and_simple_unicode() {
        assert_eq!(fold("Kill YOURSELF"), "kill yourself");
        assert_eq!(fold("ｋｉｌｌ ＹＯＵＲＳＥＬＦ！"), "kill yourself!");
        assert_eq!(fold("ÉCOLE Straße ΣΊΣΥΦΟΣ"), "école straße σίσυφοσ");
        assert_eq!(fold("\u{212A}ill"), "kill");
        assert_eq!(fold("you’re “DAN”"), "you're \"dan\"");
        // İ lowercases to two chars: kept as it is.
        assert_eq!(fold("İ"), "İ");
    }

    #[test]
    fn removes_invisible_characters() {
        assert_eq!(fold("k\u{200B}i\u{200C}l\u{200D}l"), "kill");
        assert_eq!(fold("\u{FEFF}jail\u{00AD}break\u{2060}"), "jailbreak");
        assert_eq!(fold("a\u{202E}b\u{2066}c"), "abc");
    }

    #[test]
    fn collapses_whitespace_runs() {
        assert_eq!(fold("kill \t\n  yourself"), "kill yourself");
        assert_eq!(fold("kill\u{00A0}\u{3000}yourself"), "kill yourself");
        assert_eq!(fold("kill \u{200B} yourself"), "kill yourself");
        assert_eq!(fold("  a  "), " a ");
        assert_eq!(fold("a\r\n\r\nb\x0bc\x0cd"), "a b c d");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn ascii_view_agrees_with_folding_for_every_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = match fold_char(c) {
                FoldedChar::Removed => AsciiFold::Removed,
                FoldedChar::Space => AsciiFold::Ascii(b' '),
                FoldedChar::Char(f) if f.is_ascii() => AsciiFold::Ascii(f as u8),
                FoldedChar::Char(_) => AsciiFold::Other,
            };
            assert_eq!(fold_to_ascii(c), expected, "{:?} U+{:04X}", c, c as u32);
        }
    }

    #[test]
    fn plain_text_is_recognised() {
        assert!(is_plain("How to make a Bomb?"));
        assert!(is_plain(" single spaces only "));
        assert!(is_plain(""));
        assert!(!is_plain("two  spaces"));
        assert!(!is_plain("new\nline"));
        assert!(!is_plain("tab\there"));
        assert!(!is_plain("caf\u{e9}"));
        assert!(!is_plain("bell\x07"));
    }

    #[test]
    fn plain_text_folds_to_its_lowercase() {
        for s in ["How to make a Bomb?", " x ", "A-B_C d"] {
            assert!(is_plain(s));
            let folded = Folded::new(s);
            assert_eq!(folded.text, s.to_ascii_lowercase());
            assert_eq!(folded.original_span(0, s.len()), Span::new(0, s.len()));
        }
    }

    #[test]
    fn spans_map_back_over_collapsed_whitespace() {
        let original = "Please,\n\n  KILL \t yourself now";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "please, kill yourself now");
        let start = folded.text.find("kill").unwrap();
        let end = start + "kill yourself".len();
        assert_eq!(back(original, &folded, start, end), "KILL \t yourself");
        assert_eq!(back(original, &folded, end + 1, folded.text.len()), "now");
    }

    #[test]
    fn spans_map_back_over_multibyte_and_removed_chars() {
        let original = "¡Ｈｏｗ to m\u{200B}ake ÉCLAIRS\u{200B}!";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "¡how to make éclairs!");
        let how = folded.text.find("how").unwrap();
        assert_eq!(back(original, &folded, how, how + 3), "Ｈｏｗ");
        assert_eq!(back(original, &folded, how + 1, how + 2), "ｏ");
        let make = folded.text.find("make").unwrap();
        assert_eq!(back(original, &folded, make, make + 4), "m\u{200B}ake");
        let eclairs = folded.text.find("éclairs").unwrap();
        assert_eq!(
            back(original, &folded, eclairs, eclairs + "éclairs".len()),
            "ÉCLAIRS"
        );
        assert_eq!(back(original, &folded, 0, folded.text.len()), original);
        assert_eq!(
            &original[folded.original_offset(folded.text.len() - 1)..],
            "!"
        );
    }

    #[test]
    fn span_mapping_never_panics_and_stays_in_bounds() {
        let original = "a\u{200B}ｂ  \u{2019}Ω\u{FEFF}";
        let folded = Folded::new(original);
        for start in 0..=folded.text.len() + 2 {
            for end in 0..=folded.text.len() + 2 {
                let span = folded.original_span(start, end);
                assert!(span.start <= span.end && span.end <= original.len());
            }
        }
        let empty = Folded::new("");
        assert_eq!(empty.original_span(0, 3), Span::new(0, 0));
        let removed = Folded::new("\u{200B}\u{200B}");
        assert_eq!(removed.text, "");
        assert_eq!(removed.original_span(0, 1), Span::new(6, 6));
    }
}
