//! [`maybe_stops16`]: which of 16 bytes the scan may stop at, with SSE2
//! (x86_64) or wasm `simd128`, or as two 8-byte words elsewhere.

/// One bit per byte of the 16 bytes `lo`, `hi` (little-endian) that may be
/// a stop of the scan; never misses one. Flagged: `0x30..=0x5f` (digits,
/// `:`, `@`, uppercase, `\`, `_`, and `; < = > ? [ ] ^`), `(`, `+ - ) /`;
/// with `WATCH` also bytes >= 0x80 and the C0 controls other than
/// `0x08..=0x0d`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(super) fn maybe_stops16<const WATCH: bool>(lo: u64, hi: u64) -> u16 {
    use core::arch::x86_64::{
        _mm_add_epi8, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline (every x86_64 CPU has
    // it, and the target enables it); these intrinsics only compute on
    // values, they read or write no memory.
    #[allow(unsafe_code)]
    unsafe {
        let v = _mm_set_epi64x(hi as i64, lo as i64);
        // `low..low + len` (len < 128): shifted to start at -128, signed.
        let in_range = |low: u8, len: u8| {
            let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(low) as i8));
            _mm_cmpgt_epi8(_mm_set1_epi8((0x80 + len) as i8), shifted)
        };
        let punctuation_to_underscore = in_range(0x30, 0x30);
        let open_paren = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'(' as i8));
        let plus_or_minus =
            _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x06)), _mm_set1_epi8(0x2f));
        let mut flagged = _mm_or_si128(
            punctuation_to_underscore,
            _mm_or_si128(open_paren, plus_or_minus),
        );
        if WATCH {
            // Below 0x20 signed: the C0 controls and every byte >= 0x80.
            let control_or_high = _mm_cmpgt_epi8(_mm_set1_epi8(0x20), v);
            let kept = in_range(0x08, 0x0d - 0x08 + 1);
            flagged = _mm_or_si128(flagged, _mm_andnot_si128(kept, control_or_high));
        }
        _mm_movemask_epi8(flagged) as u16
    }
}

/// See the x86_64 version.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
pub(super) fn maybe_stops16<const WATCH: bool>(lo: u64, hi: u64) -> u16 {
    use core::arch::wasm32::{
        i8x16_lt, i8x16_splat, u64x2, u8x16_bitmask, u8x16_eq, u8x16_le, u8x16_splat, u8x16_sub,
        v128_andnot, v128_or,
    };
    let v = u64x2(lo, hi);
    let in_range = u8x16_le(u8x16_sub(v, u8x16_splat(0x30)), u8x16_splat(0x2f));
    let open_paren = u8x16_eq(v, u8x16_splat(b'('));
    let plus_or_minus = u8x16_eq(v128_or(v, u8x16_splat(0x06)), u8x16_splat(0x2f));
    let mut flagged = v128_or(in_range, v128_or(open_paren, plus_or_minus));
    if WATCH {
        // Below 0x20 signed: the C0 controls and every byte >= 0x80.
        let control_or_high = i8x16_lt(v, i8x16_splat(0x20));
        let kept = u8x16_le(u8x16_sub(v, u8x16_splat(0x08)), u8x16_splat(0x0d - 0x08));
        flagged = v128_or(flagged, v128_andnot(control_or_high, kept));
    }
    u8x16_bitmask(flagged)
}

/// See the x86_64 version.
#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
pub(super) fn maybe_stops16<const WATCH: bool>(lo: u64, hi: u64) -> u16 {
    let gather =
        |x: u64| ((x & 0x8080_8080_8080_8080).wrapping_mul(0x0002_0408_1020_4081) >> 56) as u16;
    gather(super::maybe_interesting::<WATCH>(lo))
        | gather(super::maybe_interesting::<WATCH>(hi)) << 8
}

#[cfg(test)]
mod tests {
    use super::super::classes::{class_of, DIGIT, PUNCT_TRIGGER, SUSPECT, UPPER};
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn mask<const WATCH: bool>(bytes: &[u8; 16]) -> u16 {
        let lo = u64::from_le_bytes(bytes[..8].try_into().unwrap());
        let hi = u64::from_le_bytes(bytes[8..].try_into().unwrap());
        maybe_stops16::<WATCH>(lo, hi)
    }

    #[test]
    fn every_stop_is_flagged_and_lowercase_prose_is_not() {
        let interesting = DIGIT | UPPER | PUNCT_TRIGGER;
        for byte in 0..=255u8 {
            for at in [0, 7, 8, 15] {
                let mut bytes = *b"lorem ipsum, do.";
                bytes[at] = byte;
                let flagged = |m: u16| m >> at & 1 == 1;
                let class = class_of(byte);
                if class & interesting != 0 {
                    assert!(flagged(mask::<false>(&bytes)), "{byte:#x} at {at}");
                }
                if class & (interesting | SUSPECT) != 0 {
                    assert!(flagged(mask::<true>(&bytes)), "{byte:#x} at {at}");
                }
                if byte.is_ascii_lowercase() || byte == b' ' || byte == b'\n' {
                    assert_eq!(mask::<true>(&bytes), 0, "{byte:#x} at {at}");
                }
            }
        }
    }
}
