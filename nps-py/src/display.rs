//! `_repr_html_` and `to_pandas` of the result classes: each class's methods call these two
//! functions, which hand the object to the Python module `nps._display`, where the HTML and the
//! DataFrame of every result are built (one place for every class, pandas imported lazily).

use pyo3::prelude::*;

/// The HTML table of `result` (Jupyter's `_repr_html_`), by `nps._display.html`.
pub(crate) fn html(result: &Bound<'_, PyAny>) -> PyResult<String> {
    result
        .py()
        .import("nps._display")?
        .call_method1("html", (result,))?
        .extract()
}

/// The pandas DataFrame of `result`, by `nps._display.frame` (an `ImportError` saying how to
/// install pandas when it is missing).
pub(crate) fn to_pandas<'py>(result: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    result
        .py()
        .import("nps._display")?
        .call_method1("frame", (result,))
}
