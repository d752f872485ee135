//! [`classify_block`]: which bytes of a 64-byte block of plain ASCII are
//! letters and digits, 16 bytes at a time with SSE2 (x86_64) or wasm
//! `simd128`, 8 at a time with plain integer arithmetic elsewhere.

/// Bytes per block of [`classify_block`].
pub(super) const BLOCK: usize = 64;

/// The bits of one block: bit i for byte i.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BlockBits {
    /// ASCII letters and digits.
    pub(super) alnum: u64,
    /// ASCII digits.
    pub(super) digits: u64,
}

/// The letters and digits of `block` (its first [`BLOCK`] bytes); None when
/// it is shorter or holds a byte >= 0x80.
#[inline(always)]
pub(super) fn classify_block(block: &[u8]) -> Option<BlockBits> {
    let block = block.get(..BLOCK)?;
    let mut bits = BlockBits {
        alnum: 0,
        digits: 0,
    };
    let mut high = 0u16;
    for (index, chunk) in block.chunks_exact(16).enumerate() {
        let (lo, hi) = chunk.split_at(8);
        let word = |half: &[u8]| <[u8; 8]>::try_from(half).map_or(0, u64::from_le_bytes);
        let (alnum, digits, not_ascii) = classify16(word(lo), word(hi));
        high |= not_ascii;
        bits.alnum |= u64::from(alnum) << (16 * index);
        bits.digits |= u64::from(digits) << (16 * index);
    }
    if high != 0 {
        return None;
    }
    Some(bits)
}

/// (letters and digits, digits, bytes >= 0x80) of the 16 bytes `lo`, `hi`
/// (little-endian), one bit per byte; the first two exact when the third
/// is 0.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classify16(lo: u64, hi: u64) -> (u16, u16, u16) {
    use core::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x, _mm_sub_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline (every x86_64 CPU has
    // it, and the target enables it); these intrinsics only compute on
    // values, they read or write no memory.
    #[allow(unsafe_code)]
    unsafe {
        let v = _mm_set_epi64x(hi as i64, lo as i64);
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let letter = _mm_sub_epi8(lower, _mm_set1_epi8(b'a' as i8));
        let letters = _mm_cmpeq_epi8(_mm_min_epu8(letter, _mm_set1_epi8(25)), letter);
        let digit = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
        let digits = _mm_cmpeq_epi8(_mm_min_epu8(digit, _mm_set1_epi8(9)), digit);
        let alnum = _mm_or_si128(letters, digits);
        (
            _mm_movemask_epi8(alnum) as u16,
            _mm_movemask_epi8(digits) as u16,
            _mm_movemask_epi8(v) as u16,
        )
    }
}

/// See the x86_64 version.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn classify16(lo: u64, hi: u64) -> (u16, u16, u16) {
    use core::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_le, u8x16_splat, u8x16_sub, v128_or};
    let v = u64x2(lo, hi);
    let lower = v128_or(v, u8x16_splat(0x20));
    let letters = u8x16_le(u8x16_sub(lower, u8x16_splat(b'a')), u8x16_splat(25));
    let digits = u8x16_le(u8x16_sub(v, u8x16_splat(b'0')), u8x16_splat(9));
    (
        u8x16_bitmask(v128_or(letters, digits)),
        u8x16_bitmask(digits),
        u8x16_bitmask(v),
    )
}

/// See the x86_64 version.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
fn classify16(lo: u64, hi: u64) -> (u16, u16, u16) {
    let (alnum_lo, digits_lo) = swar::classify8(lo);
    let (alnum_hi, digits_hi) = swar::classify8(hi);
    (
        u16::from(alnum_lo) | u16::from(alnum_hi) << 8,
        u16::from(digits_lo) | u16::from(digits_hi) << 8,
        u16::from(swar::high_bits(lo)) | u16::from(swar::high_bits(hi)) << 8,
    )
}

/// Eight bytes in a u64: the fallback, and the reference the tests check
/// the vector versions against.
#[allow(dead_code)] // used only where no vector version is
mod swar {
    /// Each byte of a u64 set to `byte`.
    const fn splat(byte: u8) -> u64 {
        u64::from_le_bytes([byte; 8])
    }

    /// (letters and digits, digits) of the 8 ASCII bytes of `x`.
    pub(super) fn classify8(x: u64) -> (u8, u8) {
        let digits = in_range(x, b'0', b'9');
        let letters = in_range(x | splat(0x20), b'a', b'z');
        (gather_high_bits(letters | digits), gather_high_bits(digits))
    }

    /// Bit 7 of each byte of `x` (ASCII) set when it is in `low..=high`.
    fn in_range(x: u64, low: u8, high: u8) -> u64 {
        let at_least_low = x.wrapping_add(splat(0x80 - low));
        let above_high = x.wrapping_add(splat(0x7f - high));
        at_least_low & !above_high & splat(0x80)
    }

    /// The bytes >= 0x80 of `x`, one bit per byte.
    pub(super) fn high_bits(x: u64) -> u8 {
        gather_high_bits(x)
    }

    /// The bit 7 of each byte of `x`, gathered into 8 bits.
    fn gather_high_bits(x: u64) -> u8 {
        (((x & splat(0x80)).wrapping_mul(0x0002_0408_1020_4081)) >> 56) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Byte by byte, as the char reader sees them.
    fn reference(block: &[u8]) -> Option<BlockBits> {
        if block.len() < BLOCK || block[..BLOCK].iter().any(|b| !b.is_ascii()) {
            return None;
        }
        let bits = |keep: fn(&u8) -> bool| {
            block[..BLOCK]
                .iter()
                .enumerate()
                .filter(|(_, b)| keep(b))
                .fold(0u64, |bits, (i, _)| bits | 1 << i)
        };
        Some(BlockBits {
            alnum: bits(u8::is_ascii_alphanumeric),
            digits: bits(u8::is_ascii_digit),
        })
    }

    #[test]
    fn blocks_are_classified_as_byte_by_byte() {
        let mut rng = fastrand::Rng::with_seed(7);
        for round in 0..3000 {
            let block: Vec<u8> = (0..BLOCK + round % 3)
                .map(|_| match rng.u8(..4) {
                    0 => rng.u8(..0x80),
                    1 if round % 8 == 0 => rng.u8(..),
                    _ => *b"aZz09 /:@[`{AM".get(rng.usize(..14)).unwrap(),
                })
                .collect();
            assert_eq!(classify_block(&block), reference(&block), "{block:?}");
        }
        let every: Vec<u8> = (0..0x80u8).collect();
        assert_eq!(classify_block(&every[..64]), reference(&every[..64]));
        assert_eq!(classify_block(&every[64..]), reference(&every[64..]));
        assert_eq!(classify_block(&every[..63]), None);
        for byte in 0..0x80u8 {
            let (alnum, digits) = swar::classify8(u64::from_le_bytes([byte; 8]));
            assert_eq!(alnum == 0xff, byte.is_ascii_alphanumeric(), "{byte}");
            assert_eq!(digits == 0xff, byte.is_ascii_digit(), "{byte}");
        }
    }
}
