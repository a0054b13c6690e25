//! The exception classes and the one conversion from `nps_core::Error` to them.
//!
//! `NpsError` derives from `ValueError`; each kind of bad input has its own subclass, and the
//! message is the core's text, which names the field and the position.

use nps_core::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::{PyTypeInfo, create_exception};

create_exception!(
    nps,
    NpsError,
    PyValueError,
    r#"Base class of the errors nps raises for bad input (a ValueError).

The message names the field and, where there is one, the position:
``score at index 17 is 11; scores are whole numbers in 0..=10``. Each kind of bad input has its
own subclass; catch ``nps.NpsError`` for all of them. A score is a whole number on the scale
(0–10: detractors 贬损者 0–6, passives 被动者 7–8, promoters 推荐者 9–10); NaN, None and NA
are missing answers, not errors.

>>> import nps
>>> try:
...     nps.score([None, None])
... except nps.NpsError as e:
...     print(type(e).__name__, "|", e)
EmptyError | shares needs at least 1 answered response(s), got 0
>>> issubclass(nps.InvalidScoreError, nps.NpsError), issubclass(nps.NpsError, ValueError)
(True, True)
"#
);

/// Declares the subclasses of `NpsError` and the function that adds every class to the module.
macro_rules! subclasses {
    ($($name:ident: $doc:literal,)*) => {
        $(create_exception!(nps, $name, NpsError, $doc);)*

        /// Adds `NpsError` and its subclasses to the module.
        pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
            m.add("NpsError", NpsError::type_object(m.py()))?;
            $(m.add(stringify!($name), $name::type_object(m.py()))?;)*
            Ok(())
        }
    };
}

// Each docstring runs as a doctest (tests/python/test_docs.py).
subclasses! {
    InvalidScoreError: r#"A score off the scale, not a whole number, or infinite (NaN and None are
missing answers, not errors). On the standard scale scores are whole numbers 0–10: detractors
(贬损者) 0–6, passives (被动者) 7–8, promoters (推荐者) 9–10; the message gives the position.

>>> import nps
>>> nps.score([10, 9, 11])
Traceback (most recent call last):
...
nps.InvalidScoreError: score at index 2 is 11; scores are whole numbers in 0..=10
"#,
    InvalidWeightError: r#"A weight that is NaN, infinite or negative, or weights of the answered
responses that sum to zero.

>>> import nps
>>> nps.score([10, 9], weights=[1.0, -1.0])
Traceback (most recent call last):
...
nps.InvalidWeightError: weight at index 1 is -1; weights must be finite and non-negative
"#,
    LengthMismatchError: r#"Scores and weights (or other columns) of different lengths.

>>> import nps
>>> nps.score([10, 9], weights=[1.0])
Traceback (most recent call last):
...
nps.LengthMismatchError: weights has 1 elements but scores has 2; they must have the same ...
"#,
    EmptyError: r#"A result asked of a sample with no answered responses (or too few for it).

>>> import nps
>>> nps.score([None, float("nan")])
Traceback (most recent call last):
...
nps.EmptyError: shares needs at least 1 answered response(s), got 0
"#,
    InvalidLevelError: r#"A confidence level outside (0, 1); 0.95 means 95 %.

>>> import nps
>>> nps.score([10, 9, 0], level=95)
Traceback (most recent call last):
...
nps.InvalidLevelError: confidence level is 95; it must lie strictly between 0 and 1 ...
"#,
    UnknownMethodError: r#"A method name that is not known, or not available for the operation
(``compare`` takes wald or adjusted_wald); ``nps.METHODS`` lists the interval methods.

>>> import nps
>>> nps.score([10, 9, 0], method="exact")
Traceback (most recent call last):
...
nps.UnknownMethodError: unknown interval method "exact"; expected one of wald, ...
"#,
    InvalidArgumentError: r#"Any other argument outside its domain (prior, replicates, margin,
population, expected shares, counts).

>>> import nps
>>> nps.sample_size(0)
Traceback (most recent call last):
...
nps.InvalidArgumentError: margin is 0; the margin is a half-width in NPS points, in (0, 200]
"#,
    InvalidDateError: r#"A date that cannot be parsed or does not exist ("2024-13-01"), with its
position.

>>> import nps
>>> nps.Table.from_columns([10, 9], date=["2024-01-31", "2024-13-01"])
Traceback (most recent call last):
...
nps.InvalidDateError: date at index 1 is "2024-13-01"; there is no month above 12; ...
"#,
    UnknownNameError: r#"A dimension, driver or value asked for by a name the table does not
have; the message lists the names it has.

>>> import nps
>>> nps.Table.from_columns([10, 0], dimensions={"brand": ["A", "B"]}).levels("region")
Traceback (most recent call last):
...
nps.UnknownNameError: unknown dimension "region"; the table has "brand"
"#,
    JourneyError: r#"A customer journey (客户旅程) that is not a stage (阶段) → scene (场景) →
touchpoint (触点) tree (duplicate id, unknown parent, cycle), or a response whose touchpoint is
not in it.

>>> import nps
>>> nps.Journey({"nodes": [{"id": "buy", "kind": "stage", "parent": None},
...                        {"id": "quote", "kind": "scene", "parent": "sell"}]})
Traceback (most recent call last):
...
nps.JourneyError: invalid journey at "quote": parent "sell" does not exist
"#,
    DriverError: r#"A driver (驱动要素) rating column that allows no driver analysis: no ratings,
constant, perfectly collinear with other drivers, a rating off the declared scale, too few
complete rows, or more drivers than exact Shapley allows (the message names the driver or the
alternatives).

>>> import pandas as pd, nps
>>> df = pd.DataFrame({"ltr": [10, 9, 3, 8, 6], "speed": [5., 4, 2, 4, 3],
...                    "price": [3., 3, 3, 3, 3]})
>>> nps.drivers(df)
Traceback (most recent call last):
...
nps.DriverError: driver "price" is constant: every rating used is 3
"#,
    ScaleError: r#"Cut-points that are not ordered or lie outside 0..=10, or tallies on
different scales combined.

>>> import nps
>>> nps.Scale(detractor_max=9, promoter_min=7)
Traceback (most recent call last):
...
nps.ScaleError: invalid cut-points: need min <= detractor_max < promoter_min <= max, ...
"#,
    PolicyError: r#"An alert policy of the closed loop (闭环) that cannot be used, naming the rule
(or "(policy)" for the policy as a whole): JSON that does not parse, an unknown key ("scor"), a
negative service level, a pattern that does not compile, a rule with no condition, no owner or
a duplicate name, a score range off the scale. Checked when the policy is built
(``nps.AlertPolicy``, ``nps.alerts``, ``nps.Alerter``), before any response is read.

>>> import nps
>>> nps.AlertPolicy({"default_owner": "客户体验部", "rules": [{"name": "回访",
...     "when": {"category": ["detractor"]}, "priority": 2, "service_level_hours": -2}]})
Traceback (most recent call last):
...
nps.PolicyError: alert rule "回访" has a negative service level -2 h; it must be between 0 and ...
"#,
    TextError: r#"A text (a customer comment, 评论) that cannot be read: bytes that are not valid
UTF-8, or an empty text where one is needed; the message names the field and the position
("comment at index 7 is not valid UTF-8 (byte 3)"). Raised by the comment analyses; the alerts
(``nps.alerts``, ``nps.Alerter``) take comments as Python ``str`` and count an empty or blank
comment as no comment, so they never raise it.

>>> import nps
>>> issubclass(nps.TextError, nps.NpsError), issubclass(nps.TextError, ValueError)
(True, True)
"#,
    UnknownAlertError: r#"A call-back record (回访记录) that names an alert id the queue does not
have (a record from another day's queue, a typo), with the record's position.

>>> import pandas as pd, nps
>>> df = pd.DataFrame({"at": [0], "customer": ["A"], "touchpoint": "web", "ltr": [3]})
>>> queue = nps.alerts(df, {"default_owner": "CX", "rules": [{"name": "low",
...     "when": {"score": {"max": 6}}, "priority": 1, "service_level_hours": 24}]})
>>> calls = pd.DataFrame({"alert": [1, 7], "contacted_at": pd.to_datetime([None, None])})
>>> nps.callback_outcomes(queue, calls, resolved=None, later_score=None)
Traceback (most recent call last):
...
nps.UnknownAlertError: in column "alert": call-back record at index 1 refers to alert "7", which ...
"#,
}

/// The exception for a core error: the class for its kind, the core's message.
pub(crate) fn raise(e: Error) -> PyErr {
    let message = e.to_string();
    match e {
        Error::InvalidScore { .. } => InvalidScoreError::new_err(message),
        Error::InvalidWeight { .. } | Error::ZeroTotalWeight { .. } => {
            InvalidWeightError::new_err(message)
        }
        Error::LengthMismatch { .. } => LengthMismatchError::new_err(message),
        Error::Empty { .. } => EmptyError::new_err(message),
        Error::InvalidLevel(_) => InvalidLevelError::new_err(message),
        Error::UnknownMethod { .. } | Error::UnsupportedMethod { .. } => {
            UnknownMethodError::new_err(message)
        }
        Error::InvalidScale(_) | Error::ScaleMismatch { .. } => ScaleError::new_err(message),
        Error::InvalidArgument { .. } => InvalidArgumentError::new_err(message),
        Error::InvalidDriver { .. }
        | Error::CollinearDrivers { .. }
        | Error::TooFewRows { .. }
        | Error::TooManyDrivers { .. } => DriverError::new_err(message),
        Error::InvalidDate { .. } => InvalidDateError::new_err(message),
        Error::UnknownColumn { .. } | Error::UnknownValue { .. } => {
            UnknownNameError::new_err(message)
        }
        Error::InvalidJourney { .. } | Error::UnknownTouchpoint { .. } => {
            JourneyError::new_err(message)
        }
        Error::InvalidPolicy { .. } => PolicyError::new_err(message),
        Error::InvalidText { .. } => TextError::new_err(message),
        Error::UnknownAlert { .. } => UnknownAlertError::new_err(message),
        _ => NpsError::new_err(message),
    }
}

/// `result.or_raise()?`: a core result as a Python one.
pub(crate) trait OrRaise<T> {
    /// The value, or the exception [`raise`] makes of the error.
    fn or_raise(self) -> PyResult<T>;
}

impl<T> OrRaise<T> for nps_core::Result<T> {
    fn or_raise(self) -> PyResult<T> {
        self.map_err(raise)
    }
}

/// The same exception with `in {argument}: ` before its message, for functions with several
/// samples (`compare`'s `a` and `b`); other exceptions pass unchanged.
pub(crate) fn in_argument(py: Python<'_>, err: PyErr, argument: &str) -> PyErr {
    if !err.is_instance_of::<NpsError>(py) {
        return err;
    }
    let message = format!("in {argument}: {}", err.value(py));
    PyErr::from_type(err.get_type(py), message)
}

/// `err` in the DataFrame column it is about: `key` of the argument it names → the column name,
/// by the names the Python side passes (`names`, from `nps._alerts` or `nps._monitor`); other
/// errors, and keys without a name, pass unchanged.
pub(crate) fn in_column(py: Python<'_>, names: &Bound<'_, PyDict>, key: &str, err: PyErr) -> PyErr {
    let name = names
        .get_item(key)
        .ok()
        .flatten()
        .and_then(|n| n.extract::<String>().ok());
    match name {
        Some(name) => in_argument(py, err, &format!("column {name:?}")),
        None => err,
    }
}

/// A serialized state that does not read back (`from_json`, unpickling).
pub(crate) fn bad_state(e: serde_json::Error) -> PyErr {
    InvalidArgumentError::new_err(format!("state is not a valid nps JSON document: {e}"))
}
