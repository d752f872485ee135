//! Word keys: a word's folded bytes mixed 8 at a time, and pair keys; the
//! anchor set and the word reader compute them the same way.

use super::words::WORD_BYTES;

/// A word key built byte by byte: the word's folded bytes mixed 8 at a
/// time (little-endian, the last chunk zero-padded; the first chunk is the
/// state as it is), then its length.
#[derive(Debug, Default)]
pub(super) struct KeyBuilder {
    state: u64,
    chunk: u64,
    filled: u32,
    pub(super) len: usize,
}

impl KeyBuilder {
    pub(super) fn push(&mut self, byte: u8) {
        self.chunk |= u64::from(byte) << (8 * self.filled);
        self.filled += 1;
        self.len += 1;
        if self.filled == 8 {
            self.state = self.mixed();
            self.chunk = 0;
            self.filled = 0;
        }
    }

    pub(super) fn finish(mut self) -> u64 {
        if self.filled > 0 {
            self.state = self.mixed();
        }
        finish_key(self.state, self.len)
    }
}

impl KeyBuilder {
    /// The state with the current chunk mixed in: the chunk itself when it
    /// is the first.
    fn mixed(&self) -> u64 {
        if self.len <= 8 {
            self.chunk
        } else {
            mix(self.state, self.chunk)
        }
    }
}

#[inline]
pub(super) fn mix(state: u64, chunk: u64) -> u64 {
    (state.rotate_left(29) ^ chunk).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The key of a word (ASCII letters and digits): built as the readers of
/// [`Words`] build it.
pub(super) fn word_key(word: &str) -> u64 {
    let mut key = KeyBuilder::default();
    for byte in word.bytes() {
        key.push(WORD_BYTES[usize::from(byte)]);
    }
    key.finish()
}

#[inline]
pub(super) fn finish_key(state: u64, len: usize) -> u64 {
    (state ^ (len as u64).rotate_right(8)).wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ state >> 17
}

#[inline]
pub(super) fn pair_key(first: u64, second: u64) -> u64 {
    (first.rotate_left(23) ^ second).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}
