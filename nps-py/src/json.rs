//! The classes kept as JSON (`nps.Journey`, `nps.Taxonomy`, `nps.AlertPolicy`, `nps.AlertQueue`,
//! `nps.Alerter`, `nps.Monitor`): the spec their constructors take, the dict `to_dict` gives,
//! and pickling as `(cls.from_json, (json,))`.

use pyo3::prelude::*;
use pyo3::types::PyString;

/// The JSON text of a spec given as JSON text (a `str`) or as anything `json.dumps` writes (a
/// dict).
pub(crate) fn json_text(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<String> {
    match spec.cast::<PyString>() {
        Ok(text) => Ok(text.to_cow()?.into_owned()),
        Err(_) => py.import("json")?.call_method1("dumps", (spec,))?.extract(),
    }
}

/// `json.loads(text)`: a JSON form as Python values (a dict).
pub(crate) fn json_value<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// What `__reduce__` returns for an object that pickles as its JSON text `json`:
/// `(type(obj).from_json, (json,))`.
pub(crate) fn reduce<'py>(
    obj: &Bound<'py, PyAny>,
    json: String,
) -> PyResult<(Bound<'py, PyAny>, (String,))> {
    Ok((obj.get_type().getattr("from_json")?, (json,)))
}
