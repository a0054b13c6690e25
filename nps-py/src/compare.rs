//! `nps.compare`: the NPS of two independent samples side by side, with the test.

use nps_core::{Error, Method};
use pyo3::prelude::*;

use crate::errors::{OrRaise, in_argument};
use crate::estimate::Comparison;
use crate::input::{self, Names};
use crate::scale::{self, Scale};
use crate::tally::Tally;

/// Compares the NPS (净推荐值) of two independent samples (two periods, two brands, two
/// touchpoints): is the difference real or noise?
///
/// difference = NPS_a − NPS_b in points, se = √(se_a² + se_b²), z = difference/se,
/// p_value = 2·(1 − Φ(|z|)), interval difference ± z_crit·se (clipped to ±200). ``wald`` uses
/// each sample's NPS and standard error (Taylor when weighted); ``adjusted_wald`` (Rocks 2016,
/// the default) first adds 0.75 promoters (推荐者), 1.5 passives (被动者) and 0.75 detractors
/// (贬损者) to each sample. Other methods raise ``UnknownMethodError``.
///
/// Parameters
/// ----------
/// a, b : array-like of numbers, or nps.Tally
///     Scores as ``nps.score`` takes them, or tallies (which carry their own weights and scale).
///     Errors in a sample's data name it: ``in b: score at index 3 is 11; ...``.
/// weights_a, weights_b : array-like of float, optional
///     Weights of array samples.
/// method : str
///     ``wald`` or ``adjusted_wald``.
/// level : float
///     Confidence level of the interval as a fraction in (0, 1).
/// scale : nps.Scale, optional
///     Scale of array samples (standard 0–10 by default); both samples must share a scale.
///
/// Returns
/// -------
/// nps.Comparison
///
/// >>> import nps
/// >>> c = nps.compare([10, 10, 9, 7, 3], [10, 6, 5, 2, 8], method="wald")
/// >>> round(c.difference, 9), round(c.p_value, 3)
/// (80.0, 0.114)
#[pyfunction]
#[pyo3(signature = (
    a, b, *, weights_a=None, weights_b=None, method="adjusted_wald", level=0.95, scale=None,
))]
#[allow(clippy::too_many_arguments)] // the Python signature
pub(crate) fn compare(
    py: Python<'_>,
    a: &Bound<'_, PyAny>,
    b: &Bound<'_, PyAny>,
    weights_a: Option<&Bound<'_, PyAny>>,
    weights_b: Option<&Bound<'_, PyAny>>,
    method: &str,
    level: f64,
    scale: Option<Scale>,
) -> PyResult<Comparison> {
    let method = Method::from_name(method).or_raise()?;
    let scale = scale::or_standard(scale);
    let a = sample(py, a, weights_a, scale, &A)?;
    let b = sample(py, b, weights_b, scale, &B)?;
    py.detach(|| nps_core::compare(&a, &b, method, level))
        .or_raise()
        .map(Comparison)
}

const A: Names = Names {
    scores: "a",
    weights: "weights_a",
};
const B: Names = Names {
    scores: "b",
    weights: "weights_b",
};

/// One sample's tally: a `Tally` as given, or the tally of array-like scores.
fn sample(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    scale: nps_core::Scale,
    names: &Names,
) -> PyResult<nps_core::Tally> {
    if let Ok(tally) = value.cast::<Tally>() {
        if weights.is_some() {
            return Err(Error::InvalidArgument {
                field: names.weights,
                value: "given".into(),
                expected: "weights go with array scores; a Tally already holds its weights",
            })
            .or_raise();
        }
        return Ok(tally.borrow().0.clone());
    }
    input::tally(py, scale, Some(value), weights, names)
        .map_err(|e| in_argument(py, e, names.scores))
}
