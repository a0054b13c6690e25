//! Single Python values as the streaming classes and the comment functions take them (`nps.Alerter`,
//! `nps.Monitor`, `nps._comments`): type names for messages, missing values, times.

use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};

use crate::input::convert;

/// The name of a value's type, for messages.
pub(crate) fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// Whether `v` is a float NaN.
pub(crate) fn is_nan(v: &Bound<'_, PyAny>) -> bool {
    v.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan())
}

/// Whether `v` is a missing value: None, NaN, pandas' NA or NaT.
pub(crate) fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    v.is_none() || is_nan(v) || matches!(type_name(v).as_str(), "NAType" | "NaTType")
}

/// A time argument as seconds since the epoch: a Python int as is, anything else through
/// `nps._convert.time_seconds` (which names `index` in its errors).
pub(crate) fn time_of(py: Python<'_>, at: &Bound<'_, PyAny>, index: u64) -> PyResult<i64> {
    if at.is_exact_instance_of::<PyInt>() {
        return at.extract();
    }
    convert(py, "time_seconds", (at, index))?.extract()
}
