//! Status codes: what every `nps_` function returns, and how core errors map onto them.

use std::ffi::{CStr, c_char};

use nps_core::Error;

use crate::panic;

/// The outcome of a call: `NPS_OK` (0) or the kind of failure. After a failure,
/// `nps_last_error_message` gives the details (which field, which position).
///
/// New codes may be added at the end in later versions; treat unknown values as errors.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum nps_status {
    /// Success.
    NPS_OK = 0,
    /// A required pointer argument was NULL.
    NPS_ERR_NULL_POINTER = 1,
    /// A score off the scale, not a whole number, or infinite.
    NPS_ERR_INVALID_SCORE = 2,
    /// A weight that is NaN, infinite or negative.
    NPS_ERR_INVALID_WEIGHT = 3,
    /// The weights of the answered responses add up to zero.
    NPS_ERR_ZERO_TOTAL_WEIGHT = 4,
    /// Two arrays that must have the same length do not (or an array has the wrong length).
    NPS_ERR_LENGTH_MISMATCH = 5,
    /// An estimate was asked of a tally or group with no (or too few) answered responses, or a
    /// slope of a series with fewer than two periods with answers.
    NPS_ERR_EMPTY = 6,
    /// A confidence level outside (0, 1).
    NPS_ERR_INVALID_LEVEL = 7,
    /// A method name that is not known.
    NPS_ERR_UNKNOWN_METHOD = 8,
    /// A known method used where it does not apply (e.g. `bayes` to compare two tallies).
    NPS_ERR_UNSUPPORTED_METHOD = 9,
    /// Cut-points that are not ordered or lie outside 0..=10.
    NPS_ERR_INVALID_SCALE = 10,
    /// Two tallies on different scales were combined.
    NPS_ERR_SCALE_MISMATCH = 11,
    /// Any other argument out of its domain (e.g. 0 bootstrap replicates).
    NPS_ERR_INVALID_ARGUMENT = 12,
    /// An output buffer is too short; the needed size is reported where the function says so.
    NPS_ERR_BUFFER_TOO_SMALL = 13,
    /// A string argument is not valid UTF-8.
    NPS_ERR_INVALID_UTF8 = 14,
    /// A JSON text that is not JSON, or does not describe what was asked for (a valid tally, a
    /// journey document, a cube, driver moments).
    NPS_ERR_INVALID_JSON = 15,
    /// An internal error (a bug in nps): the call was abandoned, no output was written.
    NPS_ERR_PANIC = 16,
    /// A date that cannot be parsed or does not exist ("2024-13-01").
    NPS_ERR_INVALID_DATE = 17,
    /// A dimension, driver or value asked for by a name the table does not have.
    NPS_ERR_UNKNOWN_NAME = 18,
    /// A journey that is not a stage → scene → touchpoint tree (duplicate id, unknown parent,
    /// cycle), or a response whose touchpoint is not in the journey.
    NPS_ERR_INVALID_JOURNEY = 19,
    /// A driver the analysis cannot use, named in the message: no ratings, constant over the
    /// rows used, a rating outside the declared scale, perfectly collinear with other drivers;
    /// or more drivers than exact Shapley allows (the message names the alternatives).
    NPS_ERR_INVALID_DRIVER = 20,
    /// An alert policy that cannot be used, the message naming the rule (or "(policy)" for the
    /// policy as a whole): an unknown or mistyped key, a negative service level, a pattern that
    /// does not compile, a rule with no condition or no owner, two rules with one name…
    NPS_ERR_INVALID_POLICY = 21,
    /// A text (a comment) that cannot be read under the UTF-8 policy in force: not valid UTF-8
    /// (the message names the field, the row and the byte offset), or empty where text is needed.
    NPS_ERR_INVALID_TEXT = 22,
    /// A call-back record naming an alert that is not in the queue it is reported against (the
    /// message names the record and the alert id).
    NPS_ERR_UNKNOWN_ALERT = 23,
}

/// Lists every status once, giving `ALL` (indexed by code) and each status's C name.
macro_rules! status_names {
    ($($status:ident),* $(,)?) => {
        impl nps_status {
            /// Every status, in code order.
            pub(crate) const ALL: &[nps_status] = &[$(nps_status::$status),*];

            /// The constant's name, e.g. `NPS_ERR_EMPTY`.
            pub fn name(self) -> &'static CStr {
                match self {
                    $(nps_status::$status => {
                        const NAME: &CStr = match CStr::from_bytes_with_nul(
                            concat!(stringify!($status), "\0").as_bytes(),
                        ) {
                            Ok(name) => name,
                            Err(_) => panic!("a status name contains a NUL byte"),
                        };
                        NAME
                    })*
                }
            }
        }
    };
}

status_names!(
    NPS_OK,
    NPS_ERR_NULL_POINTER,
    NPS_ERR_INVALID_SCORE,
    NPS_ERR_INVALID_WEIGHT,
    NPS_ERR_ZERO_TOTAL_WEIGHT,
    NPS_ERR_LENGTH_MISMATCH,
    NPS_ERR_EMPTY,
    NPS_ERR_INVALID_LEVEL,
    NPS_ERR_UNKNOWN_METHOD,
    NPS_ERR_UNSUPPORTED_METHOD,
    NPS_ERR_INVALID_SCALE,
    NPS_ERR_SCALE_MISMATCH,
    NPS_ERR_INVALID_ARGUMENT,
    NPS_ERR_BUFFER_TOO_SMALL,
    NPS_ERR_INVALID_UTF8,
    NPS_ERR_INVALID_JSON,
    NPS_ERR_PANIC,
    NPS_ERR_INVALID_DATE,
    NPS_ERR_UNKNOWN_NAME,
    NPS_ERR_INVALID_JOURNEY,
    NPS_ERR_INVALID_DRIVER,
    NPS_ERR_INVALID_POLICY,
    NPS_ERR_INVALID_TEXT,
    NPS_ERR_UNKNOWN_ALERT,
);

impl nps_status {
    /// The status with code `code`, if there is one (a C caller can pass any integer).
    pub fn from_code(code: i32) -> Option<nps_status> {
        usize::try_from(code)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

impl From<&Error> for nps_status {
    fn from(e: &Error) -> Self {
        match e {
            Error::InvalidScore { .. } => nps_status::NPS_ERR_INVALID_SCORE,
            Error::InvalidWeight { .. } => nps_status::NPS_ERR_INVALID_WEIGHT,
            Error::ZeroTotalWeight { .. } => nps_status::NPS_ERR_ZERO_TOTAL_WEIGHT,
            Error::LengthMismatch { .. } => nps_status::NPS_ERR_LENGTH_MISMATCH,
            Error::Empty { .. } => nps_status::NPS_ERR_EMPTY,
            Error::InvalidLevel(_) => nps_status::NPS_ERR_INVALID_LEVEL,
            Error::UnknownMethod { .. } => nps_status::NPS_ERR_UNKNOWN_METHOD,
            Error::UnsupportedMethod { .. } => nps_status::NPS_ERR_UNSUPPORTED_METHOD,
            Error::InvalidScale(_) => nps_status::NPS_ERR_INVALID_SCALE,
            Error::ScaleMismatch { .. } => nps_status::NPS_ERR_SCALE_MISMATCH,
            Error::InvalidArgument { .. } => nps_status::NPS_ERR_INVALID_ARGUMENT,
            Error::InvalidDate { .. } => nps_status::NPS_ERR_INVALID_DATE,
            Error::UnknownColumn { .. } | Error::UnknownValue { .. } => {
                nps_status::NPS_ERR_UNKNOWN_NAME
            }
            Error::InvalidJourney { .. } | Error::UnknownTouchpoint { .. } => {
                nps_status::NPS_ERR_INVALID_JOURNEY
            }
            Error::InvalidDriver { .. }
            | Error::CollinearDrivers { .. }
            | Error::TooFewRows { .. }
            | Error::TooManyDrivers { .. } => nps_status::NPS_ERR_INVALID_DRIVER,
            Error::InvalidPolicy { .. } => nps_status::NPS_ERR_INVALID_POLICY,
            Error::InvalidText { .. } => nps_status::NPS_ERR_INVALID_TEXT,
            Error::UnknownAlert { .. } => nps_status::NPS_ERR_UNKNOWN_ALERT,
            // The core error is non-exhaustive: a variant added later is still a bad argument.
            _ => nps_status::NPS_ERR_INVALID_ARGUMENT,
        }
    }
}

/// The name of a status code, e.g. "NPS_ERR_EMPTY" for 6, or "NPS_ERR_UNKNOWN_STATUS" for a
/// value that is not a status. Returns a static NUL-terminated string the caller must not free.
#[unsafe(no_mangle)]
pub extern "C" fn nps_status_name(code: i32) -> *const c_char {
    panic::guard(c"NPS_ERR_PANIC".as_ptr(), || {
        nps_status::from_code(code)
            .map_or(c"NPS_ERR_UNKNOWN_STATUS", nps_status::name)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(code: i32) -> &'static str {
        // SAFETY: nps_status_name always returns a static NUL-terminated string.
        unsafe { CStr::from_ptr(nps_status_name(code)) }
            .to_str()
            .unwrap()
    }

    #[test]
    fn codes_and_names_agree() {
        for (i, &s) in nps_status::ALL.iter().enumerate() {
            assert_eq!(s as i32, i as i32, "{s:?} is out of order");
            assert_eq!(nps_status::from_code(s as i32), Some(s));
            assert_eq!(name_of(s as i32), format!("{s:?}"));
        }
        assert_eq!(name_of(0), "NPS_OK");
        assert_eq!(name_of(16), "NPS_ERR_PANIC");
        for unknown in [-1, 24, 1000, i32::MIN, i32::MAX] {
            assert_eq!(name_of(unknown), "NPS_ERR_UNKNOWN_STATUS");
        }
    }

    #[test]
    fn every_core_error_has_its_status() {
        use nps_status::*;
        let cases = [
            (
                Error::InvalidScore {
                    index: 3,
                    value: 11.0,
                    min: 0,
                    max: 10,
                },
                NPS_ERR_INVALID_SCORE,
            ),
            (
                Error::InvalidWeight {
                    index: 1,
                    value: -1.0,
                },
                NPS_ERR_INVALID_WEIGHT,
            ),
            (Error::ZeroTotalWeight { n: 2 }, NPS_ERR_ZERO_TOTAL_WEIGHT),
            (
                Error::LengthMismatch {
                    field: "weights".into(),
                    found: 1,
                    other: "scores".into(),
                    expected: 2,
                },
                NPS_ERR_LENGTH_MISMATCH,
            ),
            (
                Error::Empty {
                    what: "an interval",
                    needed: 1,
                    n: 0,
                },
                NPS_ERR_EMPTY,
            ),
            (Error::InvalidLevel(1.5), NPS_ERR_INVALID_LEVEL),
            (
                Error::UnknownMethod {
                    kind: "interval",
                    name: "walds".into(),
                    expected: "wald",
                },
                NPS_ERR_UNKNOWN_METHOD,
            ),
            (
                Error::UnsupportedMethod {
                    method: "bayes",
                    operation: "comparing",
                    expected: "wald",
                },
                NPS_ERR_UNSUPPORTED_METHOD,
            ),
            (Error::InvalidScale("x".into()), NPS_ERR_INVALID_SCALE),
            (
                Error::ScaleMismatch {
                    left: "a".into(),
                    right: "b".into(),
                },
                NPS_ERR_SCALE_MISMATCH,
            ),
            (
                Error::InvalidArgument {
                    field: "replicates",
                    value: "0".into(),
                    expected: "at least 1",
                },
                NPS_ERR_INVALID_ARGUMENT,
            ),
            (
                Error::InvalidDate {
                    index: Some(4),
                    value: "2024-13-01".into(),
                    reason: "there is no month 13",
                },
                NPS_ERR_INVALID_DATE,
            ),
            (
                Error::UnknownColumn {
                    kind: "dimension",
                    name: "brnad".into(),
                    available: "brand".into(),
                },
                NPS_ERR_UNKNOWN_NAME,
            ),
            (
                Error::UnknownValue {
                    dimension: "brand".into(),
                    value: "Acme".into(),
                },
                NPS_ERR_UNKNOWN_NAME,
            ),
            (
                Error::InvalidJourney {
                    id: "claim".into(),
                    problem: "duplicate id".into(),
                },
                NPS_ERR_INVALID_JOURNEY,
            ),
            (
                Error::UnknownTouchpoint {
                    index: 9,
                    touchpoint: "fax".into(),
                },
                NPS_ERR_INVALID_JOURNEY,
            ),
            (
                Error::InvalidDriver {
                    driver: "app".into(),
                    problem: "is constant: every rating used is 4".into(),
                },
                NPS_ERR_INVALID_DRIVER,
            ),
            (
                Error::CollinearDrivers {
                    driver: "app".into(),
                    with: vec!["web".into()],
                },
                NPS_ERR_INVALID_DRIVER,
            ),
            (
                Error::TooManyDrivers {
                    drivers: 30,
                    limit: 24,
                },
                NPS_ERR_INVALID_DRIVER,
            ),
            (
                Error::TooFewRows {
                    drivers: vec!["price".into()],
                    needed: 3,
                    n: 2,
                },
                NPS_ERR_INVALID_DRIVER,
            ),
            (
                Error::InvalidPolicy {
                    kind: "alert rule",
                    name: "late".into(),
                    problem: "has a negative service level -2 h".into(),
                },
                NPS_ERR_INVALID_POLICY,
            ),
            (
                Error::InvalidText {
                    field: "comment",
                    index: 3,
                    problem: "is not valid UTF-8 (byte 2 of 5)".into(),
                },
                NPS_ERR_INVALID_TEXT,
            ),
            (
                Error::UnknownAlert {
                    index: 0,
                    id: "99".into(),
                },
                NPS_ERR_UNKNOWN_ALERT,
            ),
        ];
        for (error, status) in cases {
            assert_eq!(nps_status::from(&error), status, "{error}");
        }
    }
}
