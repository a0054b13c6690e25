//! Survey planning: the margin of error of a sample, and the sample a margin needs.

use nps_core::Shares;

use crate::panic;
use crate::ptr::Out;
use crate::status::nps_status;

/// Expected shares of promoters and detractors, as fractions in 0..1 adding up to at most 1
/// (passives are the rest). Passing NULL instead plans for the worst case (half promoters,
/// half detractors).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_expected_shares {
    /// Expected share of promoters.
    pub promoters: f64,
    /// Expected share of detractors.
    pub detractors: f64,
}

/// Reads the planning inputs shared by both functions (expected shares, NULL = worst case;
/// population, 0 = infinite), runs `plan` on them and writes its result to `out`.
///
/// # Safety
/// `expected` must be NULL or point to a readable `nps_expected_shares`; `out` must point to a
/// writable `T`.
unsafe fn plan_into<T>(
    expected: *const nps_expected_shares,
    population: u64,
    out: *mut T,
    plan: impl FnOnce(Option<Shares>, Option<u64>) -> nps_core::Result<T>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, expected) = unsafe { (Out::new(out, "out")?, expected.as_ref()) };
        let shares = expected
            .map(|e| Shares::from_promoters_detractors(e.promoters, e.detractors))
            .transpose()?;
        out.write(plan(shares, (population > 0).then_some(population))?);
        Ok(())
    })
}

/// Stores in `*out` the half-width, in NPS points, of the Wald interval at confidence `level`
/// (e.g. 0.95) that `n` answers give. `expected` holds the expected shares (NULL = worst
/// case); `population` is the size of the population sampled without replacement (0 =
/// infinite; otherwise at least `n`, and the finite-population correction applies).
///
/// # Safety
/// `expected` must be NULL or point to a readable `nps_expected_shares`; `out` must point to a
/// writable `double`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_margin_of_error(
    n: u64,
    level: f64,
    expected: *const nps_expected_shares,
    population: u64,
    out: *mut f64,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        plan_into(expected, population, out, |shares, population| {
            nps_core::margin_of_error(n, level, shares, population)
        })
    }
}

/// Stores in `*out` the number of answers needed for a Wald interval of half-width
/// `margin_points` NPS points (in (0, 200]) at confidence `level` (e.g. 0.95), rounded up:
/// 1537 for +/-5 points at 95 % in the worst case. `expected` and `population` are as in
/// `nps_margin_of_error`.
///
/// # Safety
/// `expected` must be NULL or point to a readable `nps_expected_shares`; `out` must point to a
/// writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_sample_size(
    margin_points: f64,
    level: f64,
    expected: *const nps_expected_shares,
    population: u64,
    out: *mut u64,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        plan_into(expected, population, out, |shares, population| {
            nps_core::sample_size(margin_points, level, shares, population)
        })
    }
}
