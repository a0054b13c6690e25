//! From the caller's scores and weights to a core tally.
//!
//! The Python helper `nps._convert` turns any input (list, numpy array of any dtype, pandas
//! Series, nullable columns) into a 1-D, contiguous, native-byte-order numpy array, copying only
//! when it must. This side dispatches on the array's dtype, borrows its buffer as a plain slice
//! (no copy) and hands it to the core with the GIL released.

use nps_core::{Scale, ScoreValue, Tally};
use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;

use crate::errors::OrRaise;

/// How the arguments are called in the caller's signature, for messages.
pub(crate) struct Names {
    /// The scores argument.
    pub scores: &'static str,
    /// The weights argument.
    pub weights: &'static str,
}

/// `scores` and `weights`, as in `nps.score` and `nps.Tally`.
pub(crate) const SCORES: Names = Names {
    scores: "scores",
    weights: "weights",
};

/// The tally on `scale` of `scores` with optional `weights` (array-likes as the caller gave them).
///
/// Weights without scores are checked against zero scores, so the core reports the mismatch.
pub(crate) fn tally(
    py: Python<'_>,
    scale: Scale,
    scores: Option<&Bound<'_, PyAny>>,
    weights: Option<&Bound<'_, PyAny>>,
    names: &Names,
) -> PyResult<Tally> {
    let empty;
    let scores = match scores {
        Some(s) => s,
        None if weights.is_none() => return Ok(Tally::new(scale)),
        None => {
            empty = PyList::empty(py).into_any();
            &empty
        }
    };
    let scores = convert(py, "scores_array", (scores, names.scores))?;
    let weights = weights
        .map(|w| convert(py, "weights_array", (w, names.weights)))
        .transpose()?;
    let weights = weights
        .as_ref()
        .map(|w| {
            w.cast::<PyArray1<f64>>()?
                .try_readonly()
                .map_err(PyErr::from)
        })
        .transpose()?;
    let weights = weights.as_ref().map(|w| w.as_slice()).transpose()?;
    tally_array(py, scale, &scores, weights, names.scores)
}

/// `nps._convert.<function>(*args)`: for `scores_array(value, name)` and `weights_array`, the
/// array the core can read, or a `TypeError` naming the argument.
pub(crate) fn convert<'py, A>(
    py: Python<'py>,
    function: &str,
    args: A,
) -> PyResult<Bound<'py, PyAny>>
where
    A: pyo3::call::PyCallArgs<'py>,
{
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import("nps._convert").map(Bound::unbind))?
        .bind(py)
        .call_method1(function, args)
}

/// Tallies a converted scores array: one branch per dtype the core reads, each borrowing the
/// buffer as a slice of that type.
fn tally_array(
    py: Python<'_>,
    scale: Scale,
    scores: &Bound<'_, PyAny>,
    weights: Option<&[f64]>,
    name: &str,
) -> PyResult<Tally> {
    macro_rules! by_dtype {
        ($($t:ty),*) => {$(
            if let Ok(array) = scores.cast::<PyArray1<$t>>() {
                let array = array.try_readonly()?;
                return tally_slice(py, scale, array.as_slice()?, weights);
            }
        )*};
    }
    by_dtype!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);
    Err(PyTypeError::new_err(format!(
        "{name} must be a 1-D contiguous array of an integer or float dtype, got {}",
        scores.repr()?
    )))
}

/// The core's tally of a borrowed slice, computed without the GIL.
fn tally_slice<T: ScoreValue + Sync>(
    py: Python<'_>,
    scale: Scale,
    scores: &[T],
    weights: Option<&[f64]>,
) -> PyResult<Tally> {
    py.detach(|| {
        let mut t = Tally::new(scale);
        match weights {
            Some(w) => t.add_weighted(scores, w),
            None => t.add_scores(scores),
        }
        .map(|()| t)
    })
    .or_raise()
}
