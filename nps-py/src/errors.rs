//! The exception classes and the one conversion from `nps_core::Error` to them.
//!
//! `NpsError` derives from `ValueError`; each kind of bad input has its own subclass, and the
//! message is the core's text, which names the field and the position.

use nps_core::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::{PyTypeInfo, create_exception};

create_exception!(
    nps,
    NpsError,
    PyValueError,
    "Base class of the errors nps raises for bad input (a ValueError).\n\n\
     The message names the field and, where there is one, the position:\n\
     ``score at index 17 is 11; scores are whole numbers in 0..=10``."
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

subclasses! {
    InvalidScoreError: "A score off the scale, not a whole number, or infinite (NaN and None are \
                        missing answers, not errors).",
    InvalidWeightError: "A weight that is NaN, infinite or negative, or weights of the answered \
                         responses that sum to zero.",
    LengthMismatchError: "Scores and weights of different lengths.",
    EmptyError: "A result asked of a sample with no answered responses (or too few for it).",
    InvalidLevelError: "A confidence level outside (0, 1); 0.95 means 95 %.",
    UnknownMethodError: "A method name that is not known, or not available for the operation \
                         (`compare` takes wald or adjusted_wald).",
    InvalidArgumentError: "Any other argument outside its domain (prior, replicates, margin, \
                           population, expected shares, counts).",
    InvalidDateError: "A date that cannot be parsed or does not exist (\"2024-13-01\").",
    UnknownNameError: "A dimension, driver or value asked for by a name the table does not have.",
    JourneyError: "A journey that is not a stage → scene → touchpoint tree (duplicate id, \
                   unknown parent, cycle), or a response whose touchpoint is not in it.",
    DriverError: "A driver rating column that allows no driver analysis: no ratings, constant, \
                  perfectly collinear with other drivers, a rating off the declared scale, or \
                  more drivers than exact Shapley allows (the message names the driver or the \
                  alternatives).",
    ScaleError: "Cut-points that are not ordered or lie outside 0..=10, or tallies on different \
                 scales combined.",
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

/// A serialized state that does not read back (`from_json`, unpickling).
pub(crate) fn bad_state(e: serde_json::Error) -> PyErr {
    InvalidArgumentError::new_err(format!("state is not a valid nps JSON document: {e}"))
}
