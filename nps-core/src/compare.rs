//! Comparing the NPS of two independent samples (two periods, two brands).

use serde::{Deserialize, Serialize};

use crate::interval::{self, Method};
use crate::level::{self, p_value_two_sided};
use crate::tally::Tally;
use crate::{Error, Result};

/// The difference NPS(a) − NPS(b) with its test and interval; points throughout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// NPS of the first sample (adjusted estimate under `adjusted_wald`).
    pub nps_a: f64,
    /// NPS of the second sample (adjusted estimate under `adjusted_wald`).
    pub nps_b: f64,
    /// NPS(a) − NPS(b).
    pub difference: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// z = difference / se.
    pub z: f64,
    /// Two-sided p-value of H₀: equal NPS.
    pub p_value: f64,
    /// The method.
    pub method: Method,
    /// The confidence level.
    pub level: f64,
    /// Lower bound of the difference.
    pub low: f64,
    /// Upper bound of the difference.
    pub high: f64,
}

/// Compares the NPS of two independent samples.
///
/// # Formula
/// `wald`: d = NPS_a − NPS_b, SE = √(SE_a² + SE_b²), z = d/SE, p = 2(1 − Φ(|z|)),
/// interval d ± z_{1−α/2}·SE. With weights each SE is the Taylor one.
/// `adjusted_wald` (Rocks 2016): the same on each sample's counts plus 0.75/1.5/0.75
/// pseudo-answers (effective counts when weighted).
/// Bounds are clipped to [−200, 200].
///
/// # Errors
/// [`Error::InvalidLevel`], [`Error::Empty`] for an empty sample, [`Error::ScaleMismatch`],
/// [`Error::UnsupportedMethod`] for methods other than `wald` and `adjusted_wald`.
///
/// # Examples
/// ```
/// use nps_core::{Method, Tally, compare};
/// let a = Tally::from_counts(Default::default(), [20, 0, 0, 0, 0, 0, 0, 30, 0, 0, 50])?;
/// let b = Tally::from_counts(Default::default(), [30, 0, 0, 0, 0, 0, 0, 30, 0, 0, 40])?;
/// let c = compare(&a, &b, Method::Wald, 0.95)?;
/// assert!((c.difference - 20.0).abs() < 1e-12);
/// assert!((c.p_value - 0.07941062599894229).abs() < 1e-12);
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn compare(a: &Tally, b: &Tally, method: Method, level: f64) -> Result<Comparison> {
    let z_crit = level::z_critical(level)?;
    if a.scale() != b.scale() {
        return Err(Error::ScaleMismatch {
            left: a.scale().to_string(),
            right: b.scale().to_string(),
        });
    }
    let (nps_a, se_a, nps_b, se_b) = match method {
        Method::Wald => (a.nps()?, a.se()?, b.nps()?, b.se()?),
        Method::AdjustedWald => {
            let (na, sa) = adjusted(a)?;
            let (nb, sb) = adjusted(b)?;
            (na, sa, nb, sb)
        }
        other => {
            return Err(Error::UnsupportedMethod {
                method: other.name(),
                operation: "comparing two samples",
                expected: "wald or adjusted_wald",
            });
        }
    };
    let difference = nps_a - nps_b;
    let se = se_a.hypot(se_b);
    let z = if se > 0.0 {
        difference / se
    } else if difference == 0.0 {
        0.0
    } else {
        difference.signum() * f64::INFINITY
    };
    let (low, high) = interval::wald(difference, se, z_crit);
    Ok(Comparison {
        nps_a,
        nps_b,
        difference,
        se,
        z,
        p_value: p_value_two_sided(z),
        method,
        level,
        low: low.max(-200.0),
        high: high.min(200.0),
    })
}

/// Rocks' adjusted estimate and SE in points.
pub(crate) fn adjusted(t: &Tally) -> Result<(f64, f64)> {
    let a = t.effective_counts()?.adjusted();
    Ok((100.0 * a.difference(), 100.0 * a.variance().sqrt()))
}
