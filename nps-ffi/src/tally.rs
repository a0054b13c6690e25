//! The tally handle: create, fill, merge, read, serialize, free.

use std::ffi::c_char;

use nps_core::{BINS, Scale, ScoreValue, Tally};

use crate::failure::Failure;
use crate::panic;
use crate::ptr::{Out, OutBuf, try_mut, try_ref, try_slice, try_str};
use crate::status::nps_status;

/// Number of score bins of a tally (scores 0..=10): the length of the `counts` arrays.
pub const NPS_SCORE_BINS: usize = 11;

const _: () = assert!(NPS_SCORE_BINS == BINS);

/// A recommend scale `min..=max` (inside 0..=10) with its cut-points: scores
/// `min..=detractor_max` are detractors, `promoter_min..=max` promoters, the rest passives.
/// The standard scale is {0, 10, 6, 9}. Validated when used: `NPS_ERR_INVALID_SCALE` unless
/// `min <= detractor_max < promoter_min <= max <= 10`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct nps_scale {
    /// Lowest score.
    pub min: u8,
    /// Highest score.
    pub max: u8,
    /// Highest detractor score (6 on the standard scale).
    pub detractor_max: u8,
    /// Lowest promoter score (9 on the standard scale).
    pub promoter_min: u8,
}

impl nps_scale {
    /// The validated core scale.
    fn to_core(self) -> Result<Scale, Failure> {
        Ok(Scale::new(
            self.min,
            self.max,
            self.detractor_max,
            self.promoter_min,
        )?)
    }
}

/// The scale `p` points to, or the standard one for NULL.
///
/// # Safety
/// `p` must be NULL or point to a readable `nps_scale`.
unsafe fn scale_or_standard(p: *const nps_scale) -> Result<Scale, Failure> {
    // SAFETY: as the caller guarantees.
    match unsafe { p.as_ref() } {
        Some(scale) => scale.to_core(),
        None => Ok(Scale::STANDARD),
    }
}

/// An opaque tally: the counts of each score (and weight sums when weighted) of a set of
/// answers on one scale. Every estimate is computed from a tally; tallies merge exactly.
///
/// Created by `nps_tally_new`, `nps_tally_from_counts`, `nps_tally_clone` or
/// `nps_tally_from_json`; the caller owns it and releases it with `nps_tally_free`. A tally may
/// be moved between threads but must not be used by two threads at once.
pub struct nps_tally(Tally);

impl nps_tally {
    /// Hands a new tally to the caller, who owns it from now on.
    pub(crate) fn give(out: Out<'_, *mut nps_tally>, tally: Tally) {
        out.write(Box::into_raw(Box::new(nps_tally(tally))));
    }

    /// The core tally behind a handle that must not be NULL.
    ///
    /// # Safety
    /// `p` must be NULL or a live tally from this library, not written meanwhile.
    pub(crate) unsafe fn get<'a>(
        p: *const nps_tally,
        field: &'static str,
    ) -> Result<&'a Tally, Failure> {
        // SAFETY: as the caller guarantees.
        Ok(&unsafe { try_ref(p, field) }?.0)
    }
}

/// Creates an empty tally on `scale` (NULL = the standard 0-10 scale) and stores it in `*out`.
/// The caller owns the new tally and frees it with `nps_tally_free`.
///
/// # Safety
/// `scale` must be NULL or point to an `nps_scale`; `out` must point to a writable
/// `nps_tally *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_new(
    scale: *const nps_scale,
    out: *mut *mut nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees `scale` and `out` as documented.
        let (out, scale) = unsafe { (Out::new(out, "out")?, scale_or_standard(scale)?) };
        nps_tally::give(out, Tally::new(scale));
        Ok(())
    })
}

/// Creates a tally from the count of each score: `counts[s]` answers of score `s`, for s in
/// 0..=10 (`len` must be `NPS_SCORE_BINS` = 11; scores off `scale` must count 0). `scale` NULL
/// is the standard scale. The caller owns the new tally (`nps_tally_free`).
///
/// # Safety
/// `scale` must be NULL or point to an `nps_scale`; `counts` must point to `len` readable
/// `uint64_t`; `out` must point to a writable `nps_tally *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_from_counts(
    scale: *const nps_scale,
    counts: *const u64,
    len: usize,
    out: *mut *mut nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, counts, scale) = unsafe {
            (
                Out::new(out, "out")?,
                try_slice(counts, len, "counts")?,
                scale_or_standard(scale)?,
            )
        };
        let counts = <[u64; BINS]>::try_from(counts).map_err(|_| Failure::WrongLength {
            field: "counts",
            found: len,
            expected: BINS,
        })?;
        nps_tally::give(out, Tally::from_counts(scale, counts)?);
        Ok(())
    })
}

/// Frees a tally. NULL is allowed and does nothing. The tally must not be used afterwards.
///
/// # Safety
/// `tally` must be NULL or a tally from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_free(tally: *mut nps_tally) {
    panic::guard((), || {
        if !tally.is_null() {
            // SAFETY: a live tally handed out by `nps_tally::give`, freed once (caller's duty).
            drop(unsafe { Box::from_raw(tally) });
        }
    });
}

/// Copies `tally` into a new tally stored in `*out`, owned by the caller (`nps_tally_free`).
///
/// # Safety
/// `tally` must be a live tally; `out` must point to a writable `nps_tally *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_clone(
    tally: *const nps_tally,
    out: *mut *mut nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, tally) = unsafe { (Out::new(out, "out")?, nps_tally::get(tally, "tally")?) };
        nps_tally::give(out, tally.clone());
        Ok(())
    })
}

/// Adds unweighted scores of any type the core reads as scores.
///
/// # Safety
/// As the exported `nps_tally_add_*` functions.
unsafe fn add_scores<T: ScoreValue>(
    tally: *mut nps_tally,
    scores: *const T,
    len: usize,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (tally, scores) =
            unsafe { (try_mut(tally, "tally")?, try_slice(scores, len, "scores")?) };
        Ok(tally.0.add_scores(scores)?)
    })
}

/// Adds `len` unweighted scores (whole numbers on the tally's scale). On error
/// (`NPS_ERR_INVALID_SCORE`, the message naming the first bad index) the tally is unchanged.
/// `scores` may be NULL when `len` is 0. The caller keeps ownership of `scores`.
///
/// # Safety
/// `tally` must be a live tally not used elsewhere during the call; `scores` must point to
/// `len` readable values (or be NULL with `len` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_add_u8(
    tally: *mut nps_tally,
    scores: *const u8,
    len: usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { add_scores(tally, scores, len) }
}

/// As `nps_tally_add_u8`, for `int32_t` scores (negative values are invalid scores).
///
/// # Safety
/// As `nps_tally_add_u8`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_add_i32(
    tally: *mut nps_tally,
    scores: *const i32,
    len: usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { add_scores(tally, scores, len) }
}

/// As `nps_tally_add_u8`, for `int64_t` scores (negative values are invalid scores).
///
/// # Safety
/// As `nps_tally_add_u8`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_add_i64(
    tally: *mut nps_tally,
    scores: *const i64,
    len: usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { add_scores(tally, scores, len) }
}

/// As `nps_tally_add_u8`, for `double` scores: NaN is a missing answer (counted by
/// `nps_tally_missing`); other values must be whole numbers on the scale (7.5 or infinity are
/// invalid scores).
///
/// # Safety
/// As `nps_tally_add_u8`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_add_f64(
    tally: *mut nps_tally,
    scores: *const f64,
    len: usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { add_scores(tally, scores, len) }
}

/// Adds weighted scores: `weights[i]` is the survey weight of `scores[i]`. NaN scores are
/// missing answers (their weight is ignored); weights must be finite and non-negative.
/// `n_scores` and `n_weights` must be equal (`NPS_ERR_LENGTH_MISMATCH`). On error the tally is
/// unchanged and the message names the first bad index. The tally becomes weighted: its
/// estimates report the Kish effective sample size and design effect.
///
/// # Safety
/// `tally` must be a live tally not used elsewhere during the call; `scores` and `weights` must
/// point to `n_scores` and `n_weights` readable doubles (or be NULL with a length of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_add_weighted_f64(
    tally: *mut nps_tally,
    scores: *const f64,
    n_scores: usize,
    weights: *const f64,
    n_weights: usize,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (tally, scores, weights) = unsafe {
            (
                try_mut(tally, "tally")?,
                try_slice(scores, n_scores, "scores")?,
                try_slice(weights, n_weights, "weights")?,
            )
        };
        Ok(tally.0.add_weighted(scores, weights)?)
    })
}

/// Adds the answers of `other` into `into` (both must be on the same scale, else
/// `NPS_ERR_SCALE_MISMATCH` and `into` is unchanged). `other` is not modified and stays owned
/// by the caller; `into` and `other` may be the same tally.
///
/// # Safety
/// `into` and `other` must be live tallies; `into` must not be used elsewhere during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_merge(
    into: *mut nps_tally,
    other: *const nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let other = unsafe { nps_tally::get(other, "other")? }.clone();
        // SAFETY: as above; `other` was copied first, so `into` may alias it.
        let into = unsafe { try_mut(into, "into")? };
        Ok(into.0.merge(&other)?)
    })
}

/// Reads one property of a tally into an out-parameter.
///
/// # Safety
/// `tally` must be a live tally; `out` must point to a writable `T`.
unsafe fn read<T>(
    tally: *const nps_tally,
    out: *mut T,
    get: impl FnOnce(&Tally) -> T,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, tally) = unsafe { (Out::new(out, "out")?, nps_tally::get(tally, "tally")?) };
        out.write(get(tally));
        Ok(())
    })
}

/// Stores in `*out` the number of answered responses (missing answers excluded).
///
/// # Safety
/// `tally` must be a live tally; `out` must point to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_n(tally: *const nps_tally, out: *mut u64) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { read(tally, out, Tally::n) }
}

/// Stores in `*out` the number of missing answers (NaN scores) seen.
///
/// # Safety
/// `tally` must be a live tally; `out` must point to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_missing(tally: *const nps_tally, out: *mut u64) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { read(tally, out, Tally::missing) }
}

/// Stores in `*out` whether weights were ever added to the tally.
///
/// # Safety
/// `tally` must be a live tally; `out` must point to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_is_weighted(
    tally: *const nps_tally,
    out: *mut bool,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { read(tally, out, Tally::is_weighted) }
}

/// Copies the count of each score into `out[0..11]` (`out[s]` = answers of score `s`). `len` is
/// the capacity of `out`: less than `NPS_SCORE_BINS` (11) gives `NPS_ERR_BUFFER_TOO_SMALL` and
/// writes nothing; elements past the 11th are left alone.
///
/// # Safety
/// `tally` must be a live tally; `out` must point to `len` writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_counts(
    tally: *const nps_tally,
    out: *mut u64,
    len: usize,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, tally) = unsafe {
            (
                OutBuf::new(out, len, "counts buffer")?,
                nps_tally::get(tally, "tally")?,
            )
        };
        out.write_all(tally.counts())
    })
}

/// Writes the tally as JSON text (its scale, counts, missing answers and weight sums) into `buf`,
/// NUL-terminated; `nps_tally_from_json` reads it back. `len` is the capacity of `buf`;
/// `needed`, when not NULL, receives the size the text needs including the NUL. When `len` is
/// too small the result is `NPS_ERR_BUFFER_TOO_SMALL` and `buf` is untouched: call once with
/// `buf` NULL and `len` 0 to learn the size.
///
/// # Safety
/// `tally` must be a live tally; `buf` must point to `len` writable bytes (or be NULL with
/// `len` 0); `needed` must be NULL or point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_to_json(
    tally: *const nps_tally,
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (tally, buf, needed) = unsafe {
            (
                nps_tally::get(tally, "tally")?,
                OutBuf::new(buf, len, "buf")?,
                Out::optional(needed),
            )
        };
        let json = serde_json::to_string(tally).map_err(Failure::invalid_json("a valid tally"))?;
        buf.write_c_str(&json, needed)
    })
}

/// Reads a tally from the NUL-terminated UTF-8 JSON text written by `nps_tally_to_json` and
/// stores it in `*out`, owned by the caller (`nps_tally_free`). Text that is not UTF-8 gives
/// `NPS_ERR_INVALID_UTF8`; text that is not JSON, or not a valid tally (e.g. a scale with
/// unordered cut-points), gives `NPS_ERR_INVALID_JSON`. The caller keeps ownership of `json`.
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable `nps_tally *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_from_json(
    json: *const c_char,
    out: *mut *mut nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        let tally = serde_json::from_str(json).map_err(Failure::invalid_json("a valid tally"))?;
        nps_tally::give(out, tally);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::testing::{last_error, tally};

    #[test]
    fn bad_scores_name_the_index_and_leave_the_tally_alone() {
        let t = tally([0; NPS_SCORE_BINS]);
        let scores = [10u8, 9, 11];
        // SAFETY: `t` is live and `scores` holds 3 values.
        let status = unsafe { nps_tally_add_u8(t, scores.as_ptr(), scores.len()) };
        assert_eq!(status, nps_status::NPS_ERR_INVALID_SCORE);
        assert_eq!(
            last_error(),
            "score at index 2 is 11; scores are whole numbers in 0..=10"
        );
        let mut n = 99u64;
        // SAFETY: `t` is live, `n` a valid out-parameter.
        assert_eq!(unsafe { nps_tally_n(t, &mut n) }, nps_status::NPS_OK);
        assert_eq!(n, 0);
        assert_eq!(last_error(), "", "a success clears the message");
        // SAFETY: `t` is live and freed once.
        unsafe { nps_tally_free(t) };
    }

    #[test]
    fn null_pointers_are_reported_by_name() {
        let t = tally([1; NPS_SCORE_BINS]);
        // SAFETY: every pointer is NULL or valid.
        unsafe {
            assert_eq!(
                nps_tally_n(ptr::null(), &mut 0),
                nps_status::NPS_ERR_NULL_POINTER
            );
            assert_eq!(last_error(), "tally is NULL; it must point to valid memory");
            assert_eq!(
                nps_tally_n(t, ptr::null_mut()),
                nps_status::NPS_ERR_NULL_POINTER
            );
            assert_eq!(last_error(), "out is NULL; it must point to valid memory");
            assert_eq!(
                nps_tally_add_f64(t, ptr::null(), 3),
                nps_status::NPS_ERR_NULL_POINTER
            );
            assert_eq!(nps_tally_add_f64(t, ptr::null(), 0), nps_status::NPS_OK);
            nps_tally_free(ptr::null_mut());
            nps_tally_free(t);
        }
    }

    #[test]
    fn merging_a_tally_into_itself_doubles_it() {
        let t = tally([1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3]);
        let mut counts = [0u64; NPS_SCORE_BINS];
        // SAFETY: `t` is live; `counts` holds 11 values.
        unsafe {
            assert_eq!(nps_tally_merge(t, t), nps_status::NPS_OK);
            assert_eq!(
                nps_tally_counts(t, counts.as_mut_ptr(), 10),
                nps_status::NPS_ERR_BUFFER_TOO_SMALL
            );
            assert_eq!(counts, [0; NPS_SCORE_BINS], "nothing is written on failure");
            assert_eq!(
                nps_tally_counts(t, counts.as_mut_ptr(), counts.len()),
                nps_status::NPS_OK
            );
            nps_tally_free(t);
        }
        assert_eq!(counts, [2, 0, 0, 0, 0, 0, 0, 4, 0, 0, 6]);
    }

    #[test]
    fn json_round_trip_and_validation() {
        let t = tally([1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3]);
        let mut needed = 0usize;
        // SAFETY: `t` is live; NULL with length 0 asks for the size.
        let status = unsafe { nps_tally_to_json(t, ptr::null_mut(), 0, &mut needed) };
        assert_eq!(status, nps_status::NPS_ERR_BUFFER_TOO_SMALL);
        let mut buf = vec![0 as c_char; needed];
        let mut back = ptr::null_mut();
        // SAFETY: `buf` holds `needed` bytes; the JSON is NUL-terminated.
        unsafe {
            assert_eq!(
                nps_tally_to_json(t, buf.as_mut_ptr(), needed, ptr::null_mut()),
                nps_status::NPS_OK
            );
            assert_eq!(
                nps_tally_from_json(buf.as_ptr(), &mut back),
                nps_status::NPS_OK
            );
            assert_eq!((*back).0, (*t).0);
            nps_tally_free(back);
            nps_tally_free(t);
        }
        let bad = c"{\"scale\":{\"min\":0,\"max\":10,\"detractor_max\":9,\"promoter_min\":6},\
                    \"counts\":[0,0,0,0,0,0,0,0,0,0,0],\"missing\":0,\"weights\":null}";
        // SAFETY: a NUL-terminated string and a valid out-parameter.
        let status = unsafe { nps_tally_from_json(bad.as_ptr(), &mut back) };
        assert_eq!(status, nps_status::NPS_ERR_INVALID_JSON);
        assert!(
            last_error().contains("invalid cut-points"),
            "{}",
            last_error()
        );
    }
}
