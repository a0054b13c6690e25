//! Comparing the NPS of two independent samples.

use std::ffi::c_char;

use nps_core::Comparison;

use crate::estimate::method_named;
use crate::panic;
use crate::ptr::Out;
use crate::status::nps_status;
use crate::tally::nps_tally;

/// The difference NPS(a) - NPS(b) with its test and interval. All values but `z`, `p_value` and
/// `level` are in points (the difference and its bounds lie in -200..200).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_comparison {
    /// NPS of the first sample (the adjusted estimate under `adjusted_wald`).
    pub nps_a: f64,
    /// NPS of the second sample (the adjusted estimate under `adjusted_wald`).
    pub nps_b: f64,
    /// nps_a - nps_b.
    pub difference: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// z = difference / se.
    pub z: f64,
    /// Two-sided p-value of the hypothesis that both NPS are equal.
    pub p_value: f64,
    /// Confidence level of the interval.
    pub level: f64,
    /// Lower bound of the difference.
    pub low: f64,
    /// Upper bound of the difference.
    pub high: f64,
}

impl From<Comparison> for nps_comparison {
    fn from(c: Comparison) -> Self {
        nps_comparison {
            nps_a: c.nps_a,
            nps_b: c.nps_b,
            difference: c.difference,
            se: c.se,
            z: c.z,
            p_value: c.p_value,
            level: c.level,
            low: c.low,
            high: c.high,
        }
    }
}

impl nps_comparison {
    /// The stand-in for a test that was not made: every field NaN.
    pub(crate) const NAN: nps_comparison = nps_comparison {
        nps_a: f64::NAN,
        nps_b: f64::NAN,
        difference: f64::NAN,
        se: f64::NAN,
        z: f64::NAN,
        p_value: f64::NAN,
        level: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
    };
}

/// Compares the NPS of two independent samples (two periods, two brands) with a two-sided
/// z-test and a `level` interval of the difference. `method` is "wald" or "adjusted_wald"
/// (NULL picks "adjusted_wald"); other known methods give `NPS_ERR_UNSUPPORTED_METHOD`. Both
/// tallies must be on the same scale and have answers. The tallies stay owned by the caller;
/// `*out` is written only on success.
///
/// # Safety
/// `a` and `b` must be live tallies; `method` NULL or a NUL-terminated string; `out` must point
/// to a writable `nps_comparison`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_compare(
    a: *const nps_tally,
    b: *const nps_tally,
    method: *const c_char,
    level: f64,
    out: *mut nps_comparison,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, a, b, method) = unsafe {
            (
                Out::new(out, "out")?,
                nps_tally::get(a, "a")?,
                nps_tally::get(b, "b")?,
                method_named(method)?,
            )
        };
        out.write(nps_core::compare(a, b, method, level)?.into());
        Ok(())
    })
}
