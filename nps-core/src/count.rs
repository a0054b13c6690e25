//! The counting kernel: how many bytes equal each score 0..=10, and the missing-answer code 11.
//!
//! Tallying is the one pass over the data, so it must run at memory bandwidth (issue target:
//! 4 GB/s). A histogram with one dependent increment per byte manages about 0.3 GB/s here; the
//! compare-and-accumulate scheme below does 11 vector compares per 16 or 32 bytes, keeping one
//! byte-wide counter per lane and value, and widens the counters every 255 rows before they can
//! overflow. SSE2 is part of the x86-64 baseline; AVX2 is used when the CPU has it.

use crate::scale::BINS;

/// Rows of vector width accumulated in byte counters before they are widened (255 fits a u8).
const ROWS: usize = 255;

/// Number of byte values counted: the scores 0..=10 and the missing-answer code.
pub(crate) const CODES: usize = BINS + 1;

/// Adds the number of bytes equal to each value 0..=11 of `codes` to `counts`; other byte values
/// are not counted.
pub(crate) fn count_bytes(codes: &[u8], counts: &mut [u64; CODES]) {
    #[cfg(target_arch = "x86_64")]
    let rest = if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { x86::count_avx2(codes, counts) }
    } else {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        unsafe { x86::count_sse2(codes, counts) }
    };
    #[cfg(not(target_arch = "x86_64"))]
    let rest = codes;
    for &b in rest {
        if let Some(total) = counts.get_mut(usize::from(b)) {
            *total += 1;
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    use super::{CODES, ROWS};

    /// Counts whole blocks of 255 × 16 bytes; returns the bytes left over.
    #[target_feature(enable = "sse2")]
    pub(super) fn count_sse2<'a>(codes: &'a [u8], counts: &mut [u64; CODES]) -> &'a [u8] {
        let mut blocks = codes.chunks_exact(16 * ROWS);
        for block in &mut blocks {
            let mut acc = [_mm_setzero_si128(); CODES];
            for row in block.as_chunks::<16>().0 {
                // SAFETY: `row` is 16 readable bytes and loadu needs no alignment.
                let x = unsafe { _mm_loadu_si128(row.as_ptr().cast()) };
                for (value, a) in acc.iter_mut().enumerate() {
                    // A match is 0xFF = −1, so subtracting the mask adds one.
                    *a = _mm_sub_epi8(*a, _mm_cmpeq_epi8(x, _mm_set1_epi8(value as i8)));
                }
            }
            for (total, a) in counts.iter_mut().zip(acc) {
                let sums = _mm_sad_epu8(a, _mm_setzero_si128());
                let low = _mm_cvtsi128_si64(sums);
                let high = _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
                *total += (low + high) as u64;
            }
        }
        blocks.remainder()
    }

    /// As [`count_sse2`] with 32-byte rows.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn count_avx2<'a>(codes: &'a [u8], counts: &mut [u64; CODES]) -> &'a [u8] {
        let mut blocks = codes.chunks_exact(32 * ROWS);
        for block in &mut blocks {
            let mut acc = [_mm256_setzero_si256(); CODES];
            for row in block.as_chunks::<32>().0 {
                // SAFETY: `row` is 32 readable bytes and loadu needs no alignment.
                let x = unsafe { _mm256_loadu_si256(row.as_ptr().cast()) };
                for (value, a) in acc.iter_mut().enumerate() {
                    *a = _mm256_sub_epi8(*a, _mm256_cmpeq_epi8(x, _mm256_set1_epi8(value as i8)));
                }
            }
            for (total, a) in counts.iter_mut().zip(acc) {
                let mut lanes = [0u64; 4];
                let sums = _mm256_sad_epu8(a, _mm256_setzero_si256());
                // SAFETY: `lanes` is 32 writable bytes and storeu needs no alignment.
                unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), sums) };
                *total += lanes.iter().sum::<u64>();
            }
        }
        // Fewer than 8160 bytes remain: the SSE2 path takes whole 4080-byte blocks of them.
        count_sse2(blocks.remainder(), counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_length_and_ignores_other_bytes() {
        let data: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 13) as u8).collect();
        for len in [
            0, 1, 15, 16, 31, 32, 4079, 4080, 4081, 8159, 8160, 8161, 12_300, 40_000,
        ] {
            let mut fast = [0u64; CODES];
            count_bytes(&data[..len], &mut fast);
            let mut slow = [0u64; CODES];
            for &b in &data[..len] {
                if usize::from(b) < CODES {
                    slow[usize::from(b)] += 1;
                }
            }
            assert_eq!(fast, slow, "len {len}");
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn sse2_path_agrees() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 5 % 12) as u8).collect();
        let mut a = [0u64; CODES];
        // SAFETY: SSE2 is part of the x86-64 baseline.
        let rest = unsafe { x86::count_sse2(&data, &mut a) };
        for &b in rest {
            if usize::from(b) < CODES {
                a[usize::from(b)] += 1;
            }
        }
        let mut b = [0u64; CODES];
        count_bytes(&data, &mut b);
        assert_eq!(a, b);
    }
}
