//! `nps.sample_size` and `nps.margin_of_error`: planning a survey.

use nps_core::{Error, Shares};
use pyo3::prelude::*;

use crate::errors::OrRaise;

/// Number of answers needed for an NPS (净推荐值) interval of ± ``margin`` points.
///
/// n₀ = z²·V/E² with E = margin/100, z the two-sided normal quantile of ``level`` and
/// V = pP + pD − (pP − pD)² the variance of one answer scored +1 (promoter, 推荐者), 0 (passive,
/// 被动者) or −1 (detractor, 贬损者). Without expected shares V = 1, the worst case (half
/// promoters, half detractors). With a finite ``population`` N, n = n₀/(1 + (n₀ − 1)/N).
/// Rounded up.
///
/// Parameters
/// ----------
/// margin : float
///     Half-width of the interval in NPS points, in (0, 200].
/// level : float
///     Confidence level as a fraction in (0, 1).
/// promoters, detractors : float, optional
///     Expected shares (fractions, given together); the worst case when omitted.
/// population : int, optional
///     Size of the population surveyed (finite population correction).
///
/// >>> import nps
/// >>> nps.sample_size(5), nps.sample_size(10), nps.sample_size(5, 0.90)
/// (1537, 385, 1083)
#[pyfunction]
#[pyo3(signature = (margin, level=0.95, *, promoters=None, detractors=None, population=None))]
pub(crate) fn sample_size(
    margin: f64,
    level: f64,
    promoters: Option<f64>,
    detractors: Option<f64>,
    population: Option<u64>,
) -> PyResult<u64> {
    nps_core::sample_size(margin, level, expected(promoters, detractors)?, population).or_raise()
}

/// Half-width, in NPS (净推荐值) points, of the interval ``n`` answers give.
///
/// E = 100·z·√(V/n), with z the two-sided normal quantile of ``level`` and
/// V = pP + pD − (pP − pD)² the variance of one answer scored +1 (promoter, 推荐者), 0 (passive,
/// 被动者) or −1 (detractor, 贬损者); V = 1, the worst case, without expected shares. With a
/// finite ``population`` N, E is multiplied by √((N − n)/(N − 1)).
///
/// Parameters
/// ----------
/// n : int
///     Number of answers.
/// level : float
///     Confidence level as a fraction in (0, 1).
/// promoters, detractors : float, optional
///     Expected shares (fractions, given together); the worst case when omitted.
/// population : int, optional
///     Size of the population surveyed (finite population correction).
///
/// >>> import nps
/// >>> round(nps.margin_of_error(385), 2)
/// 9.99
/// >>> round(nps.margin_of_error(400, promoters=0.5, detractors=0.2), 2)
/// 7.65
#[pyfunction]
#[pyo3(signature = (n, level=0.95, *, promoters=None, detractors=None, population=None))]
pub(crate) fn margin_of_error(
    n: u64,
    level: f64,
    promoters: Option<f64>,
    detractors: Option<f64>,
    population: Option<u64>,
) -> PyResult<f64> {
    nps_core::margin_of_error(n, level, expected(promoters, detractors)?, population).or_raise()
}

/// The expected shares, when both were given.
fn expected(promoters: Option<f64>, detractors: Option<f64>) -> PyResult<Option<Shares>> {
    match (promoters, detractors) {
        (None, None) => Ok(None),
        (Some(p), Some(d)) => Shares::from_promoters_detractors(p, d).map(Some).or_raise(),
        (Some(_), None) | (None, Some(_)) => Err(Error::InvalidArgument {
            field: if promoters.is_none() {
                "promoters"
            } else {
                "detractors"
            },
            value: "None".into(),
            expected: "give the expected shares of promoters and detractors together, or \
                       neither for the worst case",
        })
        .or_raise(),
    }
}
