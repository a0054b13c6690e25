//! The NPS of a tally with its interval, and the one-call `nps_score_f64`.

use std::borrow::Cow;
use std::ffi::c_char;

use nps_core::{DEFAULT_PRIOR, DEFAULT_REPLICATES, DEFAULT_SEED, Estimate, Method, Tally};

use crate::failure::Failure;
use crate::panic;
use crate::ptr::{Out, opt_str, try_slice};
use crate::result;
use crate::status::nps_status;
use crate::tally::nps_tally;

/// Parameters of the interval methods that have some; the others ignore them. Start from
/// `nps_method_options_default` and change what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_method_options {
    /// `bayes`: Dirichlet prior added to each category's count, > 0 (default 0.5, Jeffreys).
    pub prior: f64,
    /// `bootstrap`: number of resamples, > 0 (default 10000).
    pub replicates: u32,
    /// `bootstrap`: seed of the random number generator; same seed, same interval.
    pub seed: u64,
}

impl Default for nps_method_options {
    fn default() -> Self {
        nps_method_options {
            prior: DEFAULT_PRIOR,
            replicates: DEFAULT_REPLICATES,
            seed: DEFAULT_SEED,
        }
    }
}

/// An NPS with its standard error and interval. NPS, `se`, `low` and `high` are in points
/// (-100..100); shares are fractions (0..1) that sum to 1; `level` is a fraction (0.95).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_estimate {
    /// Answered responses.
    pub n: u64,
    /// Missing answers seen (not counted in `n`).
    pub n_missing: u64,
    /// Whether the tally is weighted.
    pub weighted: bool,
    /// Kish effective sample size (= n when unweighted).
    pub n_eff: f64,
    /// Kish design effect n / n_eff (= 1 when unweighted).
    pub design_effect: f64,
    /// Share of promoters (weighted when weighted).
    pub promoters: f64,
    /// Share of passives.
    pub passives: f64,
    /// Share of detractors.
    pub detractors: f64,
    /// NPS in points: 100 * (promoters - detractors).
    pub nps: f64,
    /// Standard error of the NPS in points (multinomial; Taylor linearization when weighted),
    /// whatever the interval method.
    pub se: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// Lower bound of the interval, in points.
    pub low: f64,
    /// Upper bound of the interval, in points.
    pub high: f64,
}

impl From<Estimate> for nps_estimate {
    fn from(e: Estimate) -> Self {
        nps_estimate {
            n: e.n,
            n_missing: e.n_missing,
            weighted: e.weighted,
            n_eff: e.n_eff,
            design_effect: e.design_effect,
            promoters: e.promoters,
            passives: e.passives,
            detractors: e.detractors,
            nps: e.nps,
            se: e.se,
            level: e.level,
            low: e.low,
            high: e.high,
        }
    }
}

impl nps_estimate {
    /// An optional core estimate as C reads it: whether there is one and, when there is none,
    /// counts of 0 and NaN numbers (so that a reader who ignores the flag sees NaN, not 0).
    pub(crate) fn optional(e: Option<Estimate>) -> (bool, nps_estimate) {
        match e {
            Some(e) => (true, e.into()),
            None => (
                false,
                nps_estimate {
                    n: 0,
                    n_missing: 0,
                    weighted: false,
                    n_eff: f64::NAN,
                    design_effect: f64::NAN,
                    promoters: f64::NAN,
                    passives: f64::NAN,
                    detractors: f64::NAN,
                    nps: f64::NAN,
                    se: f64::NAN,
                    level: f64::NAN,
                    low: f64::NAN,
                    high: f64::NAN,
                },
            ),
        }
    }
}

/// The method called `name` (NULL = `adjusted_wald`).
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn method_named(name: *const c_char) -> Result<Method, Failure> {
    // SAFETY: as the caller guarantees.
    unsafe { method_in(name, "method") }
}

/// The method called `name` (NULL = `adjusted_wald`), read from the argument or field `field`.
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn method_in(
    name: *const c_char,
    field: &'static str,
) -> Result<Method, Failure> {
    // SAFETY: as the caller guarantees.
    let name = unsafe { opt_str(name, field)? };
    Ok(name.map_or(Ok(Method::default()), Method::from_name)?)
}

/// The test method named by the `comparison` field of an options struct; NULL = `default` (the
/// core options' own).
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn comparison_or(
    name: *const c_char,
    default: Method,
) -> Result<Method, Failure> {
    if name.is_null() {
        return Ok(default);
    }
    // SAFETY: as the caller guarantees.
    unsafe { method_in(name, "comparison") }
}

/// The method called `name` (NULL = `adjusted_wald`) with the parameters in `options`
/// (NULL = defaults).
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string; `options` NULL or a readable options struct.
pub(crate) unsafe fn method_with(
    name: *const c_char,
    options: *const nps_method_options,
) -> Result<Method, Failure> {
    // SAFETY: as the caller guarantees.
    let (method, options) = unsafe { (method_named(name)?, options.as_ref()) };
    let o = options.copied().unwrap_or_default();
    Ok(match method {
        Method::Bayes { .. } => Method::Bayes { prior: o.prior },
        Method::Bootstrap { .. } => Method::Bootstrap {
            replicates: o.replicates,
            seed: o.seed,
        },
        other => other,
    })
}

/// Fills `*out` with the default method options (prior 0.5, 10000 replicates, the default seed).
///
/// # Safety
/// `out` must point to a writable `nps_method_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_method_options_default(out: *mut nps_method_options) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// Checks `out`, reads the method, then estimates the tally `tally` gives: the body shared by
/// both estimate functions.
///
/// # Safety
/// `out`, `method` and `options` as documented on `nps_tally_estimate`.
unsafe fn estimate_into<'t>(
    out: *mut nps_estimate,
    method: *const c_char,
    options: *const nps_method_options,
    level: f64,
    tally: impl FnOnce() -> Result<Cow<'t, Tally>, Failure>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, method) = unsafe { (Out::new(out, "out")?, method_with(method, options)?) };
        out.write(tally()?.estimate(method, level)?.into());
        Ok(())
    })
}

/// Estimates the NPS of `tally` with a `level` interval (a fraction strictly between 0 and 1,
/// e.g. 0.95) by `method`: "wald", "adjusted_wald" (NULL picks it: the recommended default),
/// "score", "bayes" or "bootstrap". `options` holds the prior and bootstrap parameters (NULL =
/// defaults). Fails with `NPS_ERR_EMPTY` on a tally without answers, `NPS_ERR_INVALID_LEVEL`,
/// `NPS_ERR_UNKNOWN_METHOD` or `NPS_ERR_INVALID_ARGUMENT` (e.g. 0 replicates). `*out` is
/// written only on success.
///
/// # Safety
/// `tally` must be a live tally; `method` NULL or a NUL-terminated string; `options` NULL or a
/// readable `nps_method_options`; `out` must point to a writable `nps_estimate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_tally_estimate(
    tally: *const nps_tally,
    method: *const c_char,
    options: *const nps_method_options,
    level: f64,
    out: *mut nps_estimate,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        estimate_into(out, method, options, level, || {
            Ok(Cow::Borrowed(nps_tally::get(tally, "tally")?))
        })
    }
}

/// One call from an array of scores to an estimate, on the standard 0-10 scale: tallies
/// `scores` (NaN = missing answer), weighted by `weights` when it is not NULL (then `n_weights`
/// must equal `n_scores`), and estimates as `nps_tally_estimate` does. The caller keeps
/// ownership of the arrays; `*out` is written only on success.
///
/// # Safety
/// `scores` must point to `n_scores` readable doubles (or be NULL with `n_scores` 0); `weights`
/// NULL (with `n_weights` 0) or pointing to `n_weights` readable doubles; `method` and
/// `options` as in `nps_tally_estimate`; `out` must point to a writable `nps_estimate`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_score_f64(
    scores: *const f64,
    n_scores: usize,
    weights: *const f64,
    n_weights: usize,
    method: *const c_char,
    options: *const nps_method_options,
    level: f64,
    out: *mut nps_estimate,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        estimate_into(out, method, options, level, || {
            let scores = try_slice(scores, n_scores, "scores")?;
            let tally = if weights.is_null() && n_weights == 0 {
                Tally::from_scores(scores)?
            } else {
                Tally::from_weighted(scores, try_slice(weights, n_weights, "weights")?)?
            };
            Ok(Cow::Owned(tally))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::mem::MaybeUninit;
    use std::ptr;

    use super::*;
    use crate::nps_tally_free;
    use crate::testing::{last_error, tally};

    #[test]
    fn wald_numbers_come_through() {
        let t = tally([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50]);
        let mut e = MaybeUninit::<nps_estimate>::uninit();
        // SAFETY: `t` is live; `e` is a valid out-parameter, written on success.
        let e = unsafe {
            let status = nps_tally_estimate(t, c"wald".as_ptr(), ptr::null(), 0.95, e.as_mut_ptr());
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            nps_tally_free(t);
            e.assume_init()
        };
        assert_eq!((e.n, e.n_missing, e.weighted), (100, 0, false));
        assert!((e.nps - 30.0).abs() < 1e-12);
        assert!((e.low - 14.69219192495733).abs() < 1e-9);
        assert!((e.high - 45.307808075042666).abs() < 1e-9);
    }

    #[test]
    fn method_errors() {
        let t = tally([20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50]);
        let mut e = MaybeUninit::<nps_estimate>::uninit();
        let zero = nps_method_options {
            replicates: 0,
            ..Default::default()
        };
        // SAFETY: `t` is live; strings are NUL-terminated; `e` is a valid out-parameter.
        unsafe {
            let status =
                nps_tally_estimate(t, c"walds".as_ptr(), ptr::null(), 0.95, e.as_mut_ptr());
            assert_eq!(status, nps_status::NPS_ERR_UNKNOWN_METHOD);
            assert!(last_error().contains("\"walds\""), "{}", last_error());
            let status = nps_tally_estimate(t, c"bootstrap".as_ptr(), &zero, 0.95, e.as_mut_ptr());
            assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
            assert!(
                last_error().starts_with("replicates is 0"),
                "{}",
                last_error()
            );
            let status = nps_tally_estimate(t, c"\xff".as_ptr(), ptr::null(), 0.95, e.as_mut_ptr());
            assert_eq!(status, nps_status::NPS_ERR_INVALID_UTF8);
            assert!(
                last_error().starts_with("method is not valid UTF-8"),
                "{}",
                last_error()
            );
            nps_tally_free(t);
        }
    }

    #[test]
    fn score_f64_weights_are_optional() {
        let scores = [10.0, 9.0, f64::NAN, 3.0];
        let weights = [1.0, 2.0, 5.0, 1.0];
        let mut e = MaybeUninit::<nps_estimate>::uninit();
        let mut score = |weights: *const f64, n_weights: usize| {
            // SAFETY: `scores` holds 4 values, `weights` NULL or `n_weights` values; `e` is a
            // valid out-parameter.
            unsafe {
                let (method, options, out) = (ptr::null(), ptr::null(), e.as_mut_ptr());
                nps_score_f64(
                    scores.as_ptr(),
                    4,
                    weights,
                    n_weights,
                    method,
                    options,
                    0.95,
                    out,
                )
            }
        };
        assert_eq!(
            score(weights.as_ptr(), 3),
            nps_status::NPS_ERR_LENGTH_MISMATCH
        );
        assert_eq!(
            last_error(),
            "weights has 3 elements but scores has 4; they must have the same length"
        );
        assert_eq!(score(ptr::null(), 2), nps_status::NPS_ERR_NULL_POINTER);
        assert_eq!(
            last_error(),
            "weights is NULL; it must point to valid memory"
        );
        assert_eq!(score(weights.as_ptr(), 4), nps_status::NPS_OK);
        // SAFETY: written by the successful call.
        let weighted = unsafe { e.assume_init() };
        assert!(weighted.weighted && weighted.n == 3 && weighted.n_missing == 1);
        assert!((weighted.nps - 50.0).abs() < 1e-12);
    }
}
