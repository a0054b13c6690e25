//! Why a call failed: a core error, or one of the few failures only the C boundary can have.

use std::fmt;
use std::str::Utf8Error;

use crate::status::nps_status;

/// A failed call: its status code and, through `Display`, its last-error message.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The core rejected the input.
    Core(nps_core::Error),
    /// A required pointer argument was NULL.
    NullPointer(&'static str),
    /// An element of an array of pointers was NULL where a value is required.
    NullElement { field: &'static str, index: usize },
    /// An input array whose length is fixed had another length.
    WrongLength {
        field: &'static str,
        found: usize,
        expected: usize,
    },
    /// An output buffer too short for the result.
    BufferTooSmall {
        field: &'static str,
        len: usize,
        needed: usize,
    },
    /// A string argument (or the string at `index` of an array of strings) that is not UTF-8.
    InvalidUtf8 {
        field: &'static str,
        index: Option<usize>,
        source: Utf8Error,
    },
    /// An index into a result past its end.
    OutOfRange {
        field: &'static str,
        index: usize,
        len: usize,
        of: &'static str,
    },
    /// A part of a result that does not exist for this element (a group without answers has no
    /// estimate, a series with fewer than two periods no slope): the message says which.
    Unavailable(String),
    /// A text from the core that cannot be handed to C because it contains a NUL byte.
    InteriorNul { field: &'static str },
    /// A JSON text that is not what was asked for (`what`: "a valid tally", "a valid cube"…).
    InvalidJson {
        what: &'static str,
        source: serde_json::Error,
    },
    /// A JSON text the core could not read as the document asked for (e.g. a journey).
    JsonDocument(nps_core::Error),
    /// A panic caught at the boundary, with its message.
    Panic(String),
}

impl Failure {
    /// The status code the caller gets.
    pub(crate) fn status(&self) -> nps_status {
        match self {
            Failure::Core(e) => e.into(),
            Failure::NullPointer(_) | Failure::NullElement { .. } => {
                nps_status::NPS_ERR_NULL_POINTER
            }
            Failure::WrongLength { .. } => nps_status::NPS_ERR_LENGTH_MISMATCH,
            Failure::BufferTooSmall { .. } => nps_status::NPS_ERR_BUFFER_TOO_SMALL,
            Failure::InvalidUtf8 { .. } => nps_status::NPS_ERR_INVALID_UTF8,
            Failure::OutOfRange { .. } | Failure::InteriorNul { .. } => {
                nps_status::NPS_ERR_INVALID_ARGUMENT
            }
            Failure::Unavailable(_) => nps_status::NPS_ERR_EMPTY,
            Failure::InvalidJson { .. } | Failure::JsonDocument(_) => {
                nps_status::NPS_ERR_INVALID_JSON
            }
            Failure::Panic(_) => nps_status::NPS_ERR_PANIC,
        }
    }

    /// The failure of reading (or writing) JSON text that should be `what` ("a valid tally"),
    /// for `map_err`.
    pub(crate) fn invalid_json(what: &'static str) -> impl FnOnce(serde_json::Error) -> Failure {
        move |source| Failure::InvalidJson { what, source }
    }
}

impl From<nps_core::Error> for Failure {
    fn from(e: nps_core::Error) -> Self {
        Failure::Core(e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Core(e) | Failure::JsonDocument(e) => e.fmt(f),
            Failure::NullPointer(field) => {
                write!(f, "{field} is NULL; it must point to valid memory")
            }
            Failure::NullElement { field, index } => {
                write!(f, "{field}[{index}] is NULL; it must point to a string")
            }
            Failure::WrongLength {
                field,
                found,
                expected,
            } => write!(f, "{field} has {found} elements; it must have {expected}"),
            Failure::BufferTooSmall { field, len, needed } => write!(
                f,
                "{field} has room for {len} elements; {needed} are needed"
            ),
            Failure::InvalidUtf8 {
                field,
                index: None,
                source,
            } => write!(f, "{field} is not valid UTF-8: {source}"),
            Failure::InvalidUtf8 {
                field,
                index: Some(i),
                source,
            } => write!(f, "{field}[{i}] is not valid UTF-8: {source}"),
            Failure::OutOfRange {
                field,
                index,
                len,
                of,
            } => write!(f, "{field} is {index}, but there are {len} {of} (0..{len})"),
            Failure::Unavailable(message) => f.write_str(message),
            Failure::InteriorNul { field } => write!(
                f,
                "{field} contains a NUL byte and cannot be returned as a C string"
            ),
            Failure::InvalidJson { what, source } => {
                write!(f, "the JSON text is not {what}: {source}")
            }
            Failure::Panic(message) => write!(
                f,
                "internal error (a bug in nps, please report it): {message}"
            ),
        }
    }
}
