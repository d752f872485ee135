//! The word reader: plain ASCII 64 bytes at a time (letter bits, word
//! starts, keys from 8-byte loads), elsewhere char by char with folding;
//! it also notes the spots where an obfuscated token may be.

use super::ascii_block::{classify_block, BLOCK};
use super::keys::{finish_key, mix, KeyBuilder};
use crate::screen::text::{fold_to_ascii, is_invisible, AsciiFold};

/// ASCII letters lowercased, digits as they are, other ASCII bytes 0,
/// others [`NON_ASCII`].
pub(super) static WORD_BYTES: [u8; 256] = word_bytes();

const fn word_bytes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if !byte.is_ascii() {
            NON_ASCII
        } else if byte.is_ascii_alphanumeric() {
            byte.to_ascii_lowercase()
        } else {
            0
        };
        b += 1;
    }
    table
}

/// A word of a text, as [`Words`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Word {
    /// [`word_key`] of its folded bytes.
    pub(super) key: u64,
    pub(super) start: usize,
    /// After its last byte (and the invisible characters that follow).
    pub(super) end: usize,
}

/// Reads the words of a text. Plain ASCII goes 64 bytes at a time: one
/// bit per byte tells letters and digits apart, word starts come out of
/// the bits, and a word's key is computed from 8-byte loads. Elsewhere
/// (and for words running out of a block) the reader goes char by char.
pub(super) struct Words<'a> {
    text: &'a str,
    /// Where the next block starts (no word is in progress there).
    at: usize,
    /// *Spots*: offsets where an obfuscated token may be, roughly in
    /// order: a digit next to a letter (leetspeak); a one-char word two to
    /// four bytes before another (split letters); where words are read
    /// char by char, also an invisible character, a letter that is not
    /// ASCII (look-alikes, invisible glue), a one-char word and a word of
    /// letters and digits. A superset: the tokens there are read, most of
    /// them as they are. (`@` and `$` are found apart: [`symbol_spots`].)
    /// Tokens with no spot, such as `70` for `to`, are read when they are
    /// near one that reads as phrase words.
    pub(super) spots: Vec<usize>,
}

/// What [`Words::for_each`] calls with each word.
pub(super) trait VisitWord {
    /// Called with every word, in order.
    fn visit(&mut self, word: Word);
}

/// Each byte of a u64 set to `byte`.
const fn splat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

impl<'a> Words<'a> {
    pub(super) fn new(text: &'a str) -> Words<'a> {
        Words {
            text,
            at: 0,
            spots: Vec::new(),
        }
    }

    /// Calls `visitor` with every word of the text, in order. The loop over
    /// the words of a block keeps its state in registers, and the visit is
    /// inlined into it.
    #[inline(always)]
    pub(super) fn for_each(&mut self, visitor: &mut impl VisitWord) {
        let bytes = self.text.as_bytes();
        loop {
            let block_start = self.at;
            let block = bytes.get(block_start..block_start + BLOCK);
            let Some((block, bits)) = block.and_then(|b| Some((b, classify_block(b)?))) else {
                if self.read_not_a_block(visitor) {
                    continue;
                }
                return;
            };
            let letters = bits.alnum;
            let singles = letters & !(letters << 1) & !(letters >> 1);
            let split = singles & (singles >> 2 | singles >> 3 | singles >> 4);
            if split != 0 || bits.digits != 0 {
                self.push_spots(block_start, letters, bits.digits, split);
            }
            self.at = block_start + BLOCK;
            // The block and 16 bytes of padding: the words in the block
            // are loaded from it with no bounds check.
            let mut padded = [0u8; BLOCK + 16];
            if let Some(head) = padded.get_mut(..BLOCK) {
                head.copy_from_slice(block);
            }
            let mut starts = letters & !(letters << 1);
            while starts != 0 {
                let offset = starts.trailing_zeros() as usize & (BLOCK - 1);
                starts &= starts - 1;
                let start = block_start + offset;
                let run = (!(letters >> offset)).trailing_zeros() as usize;
                let end = start + run;
                if end < block_start + BLOCK {
                    let first = padded.get(offset..offset + 8);
                    let second = padded.get(offset + 8..offset + 16);
                    let key = match (first, second) {
                        (Some(chunk), _) if run <= 8 => short_word_key(chunk, run),
                        (Some(first), Some(second)) if run <= 16 => {
                            two_chunk_word_key(first, second, run)
                        }
                        _ => ascii_word_key(bytes, start, end),
                    };
                    visitor.visit(Word { key, start, end });
                } else {
                    // The last word of the block (no start is left):
                    // it sets where the next block starts.
                    visitor.visit(self.word_out_of_block(start, end));
                }
            }
        }
    }

    /// Where no plain ASCII block starts at `self.at`: the rest when it is
    /// a short plain ASCII one ([`Words::ascii_tail`]), else the next word
    /// char by char. True when words may follow.
    #[inline(never)]
    fn read_not_a_block(&mut self, visitor: &mut impl VisitWord) -> bool {
        if self.text.len() - self.at.min(self.text.len()) < BLOCK && self.ascii_tail(visitor) {
            return false;
        }
        match next_word_by_char(self.text, &mut self.at, &mut self.spots) {
            Some(word) => {
                visitor.visit(word);
                true
            }
            None => false,
        }
    }

    /// The rest of the text from `self.at` when it is shorter than a block
    /// and plain ASCII: read as one block padded with zeros, its words and
    /// spots exactly what [`next_word_by_char`] gives there (the same keys;
    /// a spot at each one-char word and each word of letters and digits).
    /// False, having read nothing, for any other rest.
    #[inline(always)]
    fn ascii_tail(&mut self, visitor: &mut impl VisitWord) -> bool {
        let Some(rest) = self.text.as_bytes().get(self.at..) else {
            return false;
        };
        if rest.len() >= BLOCK || !rest.is_ascii() {
            return false;
        }
        let mut padded = [0u8; BLOCK + 16];
        if let Some(head) = padded.get_mut(..rest.len()) {
            head.copy_from_slice(rest);
        }
        let Some(bits) = padded.get(..BLOCK).and_then(classify_block) else {
            return false;
        };
        let block_start = self.at;
        let letters = bits.alnum;
        let mut starts = letters & !(letters << 1);
        while starts != 0 {
            let offset = starts.trailing_zeros() as usize & (BLOCK - 1);
            starts &= starts - 1;
            // (the zero padding ends every word before the block does)
            let run = ((!(letters >> offset)).trailing_zeros() as usize).min(BLOCK - 1);
            let start = block_start + offset;
            let end = start + run;
            let first = padded.get(offset..offset + 8);
            let second = padded.get(offset + 8..offset + 16);
            let key = match (first, second) {
                (Some(chunk), _) if run <= 8 => short_word_key(chunk, run),
                (Some(first), Some(second)) if run <= 16 => two_chunk_word_key(first, second, run),
                _ => ascii_word_key(self.text.as_bytes(), start, end),
            };
            let word_bits = (u64::MAX >> (64 - run.max(1))) << offset;
            let digits = bits.digits & word_bits;
            if run == 1 || (digits != 0 && digits != word_bits) {
                self.spots.push(start);
            }
            visitor.visit(Word { key, start, end });
        }
        self.at = self.text.len();
        true
    }

    /// Records the spots of the plain ASCII block at `block_start`: the
    /// `split` letters found already, and digits next to letters
    /// (`letters`: its letters and digits, `digits` its digits, one bit
    /// per byte).
    #[cold]
    #[inline(never)]
    fn push_spots(&mut self, block_start: usize, letters: u64, digits: u64, split: u64) {
        let alpha = letters & !digits;
        let mut bits = split | (digits & (alpha << 1 | alpha >> 1));
        while bits != 0 {
            self.spots
                .push(block_start + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }

    /// The word from `start` that runs out of the block at `end`; the next
    /// block starts after it.
    #[inline(never)]
    fn word_out_of_block(&mut self, start: usize, end: usize) -> Word {
        let bytes = self.text.as_bytes();
        let mut end = end;
        while let Some(&byte) = bytes.get(end) {
            if byte.is_ascii_alphanumeric() {
                end += 1;
            } else if byte.is_ascii() {
                self.at = end;
                return Word {
                    key: ascii_word_key(bytes, start, end),
                    start,
                    end,
                };
            } else {
                // Invisible or full-width characters may go on with the
                // word: read it char by char.
                let mut at = start;
                let word = next_word_by_char(self.text, &mut at, &mut self.spots);
                self.at = at.max(end);
                return word.unwrap_or(Word { key: 0, start, end });
            }
        }
        self.at = end;
        Word {
            key: ascii_word_key(bytes, start, end),
            start,
            end,
        }
    }
}

/// [`word_key`] of the first `len` bytes (1 to 8 ASCII letters and digits)
/// of `chunk` (8 bytes).
#[inline(always)]
fn short_word_key(chunk: &[u8], len: usize) -> u64 {
    let chunk = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes) | splat(0x20);
    finish_key(chunk & low_bytes(len), len)
}

/// [`word_key`] of the first `len` bytes (9 to 16 ASCII letters and
/// digits) of `first` and `second` (8 bytes each).
#[inline(always)]
fn two_chunk_word_key(first: &[u8], second: &[u8], len: usize) -> u64 {
    let load =
        |chunk: &[u8]| <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes) | splat(0x20);
    let state = mix(load(first), load(second) & low_bytes(len - 8));
    finish_key(state, len)
}

/// [`word_key`] of the ASCII letters and digits `start..end` of `bytes`.
#[inline(always)]
fn ascii_word_key(bytes: &[u8], start: usize, end: usize) -> u64 {
    let len = end - start;
    if (1..=8).contains(&len) {
        // Most words: one load, as the loop below would take it.
        if let Some(Ok(chunk)) = bytes.get(start..start + 8).map(<[u8; 8]>::try_from) {
            let chunk = (u64::from_le_bytes(chunk) | splat(0x20)) & u64::MAX >> (64 - 8 * len);
            return finish_key(chunk, len);
        }
    }
    let mut state = 0;
    let mut at = start;
    while at < end {
        let chunk = (load8(bytes, at) | splat(0x20)) & low_bytes(end - at);
        state = if at == start {
            chunk
        } else {
            mix(state, chunk)
        };
        at += 8;
    }
    finish_key(state, end - start)
}

/// The next word of `text` from `*at`, char by char; `*at` is left after it.
/// Appends its spots (see [`Words`]) to `spots`.
#[inline(never)]
fn next_word_by_char(text: &str, at: &mut usize, spots: &mut Vec<usize>) -> Option<Word> {
    let bytes = text.as_bytes();
    // One spot per run of look-alikes is enough; and in a stretch with no
    // ASCII word only spots near its ends count (a reading needs an ASCII
    // letter near it): the others are not kept.
    let stretch = *at;
    let mut in_letters = false;
    let (start, first) = loop {
        let Some(&byte) = bytes.get(*at) else {
            stretch_end_spots(text, stretch, *at, spots);
            return None;
        };
        let (folded, size) = word_byte(text, *at, byte);
        if *at - stretch <= LATIN_NEIGHBOURHOOD {
            let letter = folded == 0 && byte >= 0x80 && is_letter_at(text, *at);
            if folded == INVISIBLE || (letter && !in_letters) {
                spots.push(*at);
            }
            in_letters = letter;
        }
        *at += size;
        if is_word_byte(folded) {
            stretch_end_spots(text, stretch, *at - size, spots);
            break (*at - size, folded);
        }
    };
    let mut key = KeyBuilder::default();
    key.push(first);
    let mut digits = first.is_ascii_digit();
    let mut letters = !digits;
    while let Some(&byte) = bytes.get(*at) {
        let (folded, size) = word_byte(text, *at, byte);
        if is_word_byte(folded) {
            key.push(folded);
            digits |= folded.is_ascii_digit();
            letters |= !folded.is_ascii_digit();
        } else if folded == INVISIBLE {
            spots.push(*at);
        } else {
            break;
        }
        *at += size;
    }
    if key.len == 1 || (digits && letters) {
        spots.push(start);
    }
    Some(Word {
        key: key.finish(),
        start,
        end: *at,
    })
}

/// The char at `at` (not ASCII) looks like a Latin letter or digit.
#[cold]
fn is_letter_at(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| super::confusables::lookalike(c).is_some())
}

/// Appends the spots of the last [`LATIN_NEIGHBOURHOOD`] bytes before
/// `end` of the stretch with no ASCII word from `stretch` (those in its first
/// [`LATIN_NEIGHBOURHOOD`] bytes are taken already): runs of look-alikes and
/// invisible characters, as [`next_word_by_char`] takes them.
#[cold]
fn stretch_end_spots(text: &str, stretch: usize, end: usize, spots: &mut Vec<usize>) {
    let mut at = (stretch + LATIN_NEIGHBOURHOOD + 1).max(end.saturating_sub(LATIN_NEIGHBOURHOOD));
    if at >= end {
        return;
    }
    while !text.is_char_boundary(at) {
        at += 1;
    }
    let before = text.get(..at).and_then(|s| s.char_indices().next_back());
    let mut in_letters =
        before.is_some_and(|(start, _)| start >= stretch && is_letter_at(text, start));
    while at < end {
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let letter = !c.is_ascii() && super::confusables::lookalike(c).is_some();
        if is_invisible(c) || (letter && !in_letters) {
            spots.push(at);
        }
        in_letters = letter;
        at += c.len_utf8();
    }
}

/// How far around a reading an ASCII letter is looked for.
const LATIN_NEIGHBOURHOOD: usize = 48;

/// `text[start..end]`, or the [`LATIN_NEIGHBOURHOOD`] bytes on either side,
/// has an ASCII letter.
pub(super) fn has_ascii_letter_near(text: &str, start: usize, end: usize) -> bool {
    let from = start.saturating_sub(LATIN_NEIGHBOURHOOD);
    let to = end.saturating_add(LATIN_NEIGHBOURHOOD).min(text.len());
    text.as_bytes()
        .get(from..to)
        .is_some_and(|bytes| bytes.iter().any(u8::is_ascii_alphabetic))
}

/// Appends the spots `@` and `$` make next to an ASCII letter or digit
/// (`m@ke`, `a$$`). The block reader does not look for them: a search for
/// two bytes costs far less than a test of every byte there.
pub(super) fn symbol_spots(text: &str, spots: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    let is_word = |at: Option<usize>| {
        at.and_then(|at| bytes.get(at))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    for at in memchr::memchr2_iter(b'@', b'$', bytes) {
        if is_word(at.checked_sub(1)) || is_word(Some(at + 1)) {
            spots.push(at);
        }
    }
}

/// Every spot of `text` (see [`Words`]), char by char: for texts the
/// block reader does not go over.
pub(super) fn spots_by_char(text: &str, spots: &mut Vec<usize>) {
    let mut at = 0;
    while next_word_by_char(text, &mut at, spots).is_some() {}
    spots.sort_unstable();
    spots.dedup();
}

/// The 8 bytes of `bytes` from `at`, little-endian, zero past the end.
#[inline(always)]
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(full) => full.try_into().map_or(0, u64::from_le_bytes),
        None => bytes
            .get(at..)
            .unwrap_or(&[])
            .iter()
            .rev()
            .fold(0, |chunk, &byte| chunk << 8 | u64::from(byte)),
    }
}

/// The low `len` bytes of a u64 set (all of them from 8 on).
#[inline(always)]
fn low_bytes(len: usize) -> u64 {
    u64::MAX >> (64 - 8 * len.clamp(1, 8))
}

/// The byte at `at` (`byte`) as the char-by-char reader sees it, and the
/// length of its char.
#[inline]
fn word_byte(text: &str, at: usize, byte: u8) -> (u8, usize) {
    match WORD_BYTES[usize::from(byte)] {
        NON_ASCII => non_ascii_word_byte(text, at),
        folded => (folded, 1),
    }
}

/// A lowercase ASCII letter or digit (not a separator, [`NON_ASCII`] or
/// [`INVISIBLE`]).
#[inline]
fn is_word_byte(folded: u8) -> bool {
    folded.wrapping_sub(b'0') <= b'z' - b'0'
}

/// [`WORD_BYTES`] of a byte that is not ASCII.
const NON_ASCII: u8 = 0x80;

/// [`non_ascii_word_byte`] of an invisible character.
const INVISIBLE: u8 = 0xFF;

/// The char of `text` at `at` (not ASCII) as the char-by-char reader sees
/// it: the word byte it folds to (0 for a separator, [`INVISIBLE`]) and its
/// length.
#[cold]
fn non_ascii_word_byte(text: &str, at: usize) -> (u8, usize) {
    let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
        return (0, 1);
    };
    let folded = match fold_to_ascii(c) {
        AsciiFold::Removed => INVISIBLE,
        AsciiFold::Ascii(byte) => WORD_BYTES[usize::from(byte)],
        AsciiFold::Other => 0,
    };
    (folded, c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::super::keys::word_key;
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Every word of `text`, read char by char.
    fn words_by_char(text: &str) -> Vec<Word> {
        let mut at = 0;
        std::iter::from_fn(|| next_word_by_char(text, &mut at, &mut Vec::new())).collect()
    }

    /// Every word of `text`, read by blocks where it can.
    fn words_by_block(text: &str) -> Vec<Word> {
        struct Collect(Vec<Word>);
        impl VisitWord for Collect {
            fn visit(&mut self, word: Word) {
                self.0.push(word);
            }
        }
        let mut words = Collect(Vec::new());
        Words::new(text).for_each(&mut words);
        words.0
    }

    #[test]
    fn block_reader_reads_the_words_the_char_reader_reads() {
        let mut rng = fastrand::Rng::with_seed(3);
        let alphabet = [
            "a", "B", "z", "Q", "0", "9", " ", " ", "  ", ".", "'", "\n", "_", "@", "[", "`", "{",
            "\u{7f}", "é", "\u{200B}", "ｋ", "\u{2019}", "\u{212A}",
        ];
        for round in 0..2000 {
            let len = rng.usize(0..300);
            let ascii_only = round % 2 == 0;
            let text: String = (0..len)
                .map(|_| {
                    let pool = if ascii_only {
                        &alphabet[..18]
                    } else {
                        &alphabet[..]
                    };
                    pool[rng.usize(..pool.len())]
                })
                .collect();
            let by_block = words_by_block(&text);
            assert_eq!(by_block, words_by_char(&text), "{text:?}");
        }
        let long =
            "Ignore  all previous instructions, SUPERCALIFRAGILISTICEXPIALIDOCIOUS! ".repeat(9);
        let by_block = words_by_block(&long);
        assert_eq!(by_block, words_by_char(&long));
        assert_eq!(by_block[0].key, word_key("ignore"));
        assert_eq!(
            by_block[4].key,
            word_key("supercalifragilisticexpialidocious")
        );
    }

    /// Every word of `text` and its spots (sorted, deduplicated), by the
    /// char reader alone and by [`Words`].
    fn spots_both_ways(text: &str) -> (Vec<usize>, Vec<usize>) {
        struct Skip;
        impl VisitWord for Skip {
            fn visit(&mut self, _: Word) {}
        }
        let mut by_char = Vec::new();
        let mut at = 0;
        while next_word_by_char(text, &mut at, &mut by_char).is_some() {}
        let mut words = Words::new(text);
        words.for_each(&mut Skip);
        let mut by_reader = words.spots;
        for spots in [&mut by_char, &mut by_reader] {
            spots.sort_unstable();
            spots.dedup();
        }
        (by_char, by_reader)
    }

    #[test]
    fn a_short_ascii_text_has_the_char_readers_spots() {
        let mut rng = fastrand::Rng::with_seed(5);
        let alphabet = [
            "a", "B", "z", "0", "9", " ", "  ", ".", "'", "\n", "_", "@", "\u{7f}",
        ];
        for _ in 0..5000 {
            let len = rng.usize(0..64);
            let text: String = (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            let text = text.get(..text.len().min(63)).unwrap_or_default();
            let (by_char, by_reader) = spots_both_ways(text);
            assert_eq!(by_reader, by_char, "{text:?}");
            assert_eq!(words_by_block(text), words_by_char(text), "{text:?}");
        }
        assert_eq!(spots_both_ways("a k1ll b2 x").1, vec![0, 2, 7, 10]);
        let all_letters = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk";
        assert_eq!(words_by_block(all_letters), words_by_char(all_letters));
    }

    #[test]
    fn loads() {
        assert_eq!(load8(b"abc", 1), u64::from_le_bytes(*b"bc\0\0\0\0\0\0"));
        assert_eq!(load8(b"abc", 5), 0);
    }
}
