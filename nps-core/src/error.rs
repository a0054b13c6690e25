//! The one error type of the engine.
//!
//! Every variant names the field, and where there is one, the position of the bad value, so a
//! caller (or the C and Python wrappers, which map variants to status codes and exception
//! classes) can act on it without parsing the message.

/// Everything that can go wrong in `nps-core`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A score outside the scale, not a whole number, or infinite.
    #[error("score at index {index} is {value}; scores are whole numbers in {min}..={max}")]
    InvalidScore {
        /// Position of the score in the input.
        index: usize,
        /// The offending value.
        value: f64,
        /// Lowest score of the scale.
        min: u8,
        /// Highest score of the scale.
        max: u8,
    },
    /// A weight that is NaN, infinite or negative.
    #[error("weight at index {index} is {value}; weights must be finite and non-negative")]
    InvalidWeight {
        /// Position of the weight in the input.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Weights of answered responses that add up to zero.
    #[error("the weights of the {n} answered responses sum to zero; at least one must be positive")]
    ZeroTotalWeight {
        /// Number of answered responses.
        n: u64,
    },
    /// Two inputs that must have the same length do not.
    #[error(
        "{field} has {found} elements but {other} has {expected}; they must have the same length"
    )]
    LengthMismatch {
        /// The input whose length is wrong.
        field: String,
        /// Its length.
        found: usize,
        /// The input it is compared against.
        other: String,
        /// The length it must have.
        expected: usize,
    },
    /// An estimate was asked of a tally with no answered responses (or too few for the method).
    #[error("{what} needs at least {needed} answered response(s), got {n}")]
    Empty {
        /// What was asked for.
        what: &'static str,
        /// Responses needed.
        needed: u64,
        /// Responses present.
        n: u64,
    },
    /// A confidence level outside (0, 1).
    #[error("confidence level is {0}; it must lie strictly between 0 and 1 (0.95 for 95 %)")]
    InvalidLevel(f64),
    /// A method name that is not known.
    #[error("unknown {kind} {name:?}; expected one of {expected}")]
    UnknownMethod {
        /// What the name was for ("interval method", "period unit").
        kind: &'static str,
        /// The name given.
        name: String,
        /// The accepted names.
        expected: &'static str,
    },
    /// A known method used where it does not apply.
    #[error("method {method:?} is not available for {operation}; use {expected}")]
    UnsupportedMethod {
        /// The method given.
        method: &'static str,
        /// The operation asked for.
        operation: &'static str,
        /// The methods that apply.
        expected: &'static str,
    },
    /// Cut-points that are not ordered or lie outside the scale.
    #[error("invalid cut-points: {0}")]
    InvalidScale(String),
    /// Two tallies on different scales were combined.
    #[error("cannot combine tallies on different scales ({left} and {right})")]
    ScaleMismatch {
        /// Scale of the left operand.
        left: String,
        /// Scale of the right operand.
        right: String,
    },
    /// Any other argument out of its domain.
    #[error("{field} is {value}; {expected}")]
    InvalidArgument {
        /// The argument's name.
        field: &'static str,
        /// Its value, as text.
        value: String,
        /// What it must be.
        expected: &'static str,
    },
    /// A date that cannot be parsed or does not exist ("2024-13-01", "2023-02-29").
    #[error("date{} is {value:?}; {reason}", at(.index))]
    InvalidDate {
        /// Position of the date in the input, when it came from a column.
        index: Option<usize>,
        /// The text or value given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A column (dimension, driver, …) asked for by a name the table does not have.
    #[error("unknown {kind} {name:?}; the table has {available}")]
    UnknownColumn {
        /// What kind of column ("dimension", "driver").
        kind: &'static str,
        /// The name given.
        name: String,
        /// The names the table has, comma-separated.
        available: String,
    },
    /// A value asked for that a dimension does not have (e.g. a brand with no responses).
    #[error("dimension {dimension:?} has no value {value:?}")]
    UnknownValue {
        /// The dimension's name.
        dimension: String,
        /// The value given.
        value: String,
    },
    /// A journey that is not a valid stage → scene → touchpoint tree.
    #[error("invalid journey at {id:?}: {problem}")]
    InvalidJourney {
        /// The id of the offending node.
        id: String,
        /// What is wrong (duplicate id, unknown parent, cycle, wrong level).
        problem: String,
    },
    /// A response whose touchpoint is not in the journey.
    #[error("response at index {index} has touchpoint {touchpoint:?}, which is not in the journey")]
    UnknownTouchpoint {
        /// Position of the response.
        index: usize,
        /// Its touchpoint.
        touchpoint: String,
    },
    /// A driver that cannot enter an importance analysis: it has no ratings, is constant over
    /// the rows used, or has a rating outside the declared scale (the problem names the row).
    #[error("driver {driver:?} {problem}")]
    InvalidDriver {
        /// The driver's name.
        driver: String,
        /// What is wrong, e.g. "is constant: every rating used is 4".
        problem: String,
    },
    /// A driver that is (within rounding) a linear combination of other drivers, so the
    /// regression behind the importance measures has no unique solution.
    #[error(
        "driver {driver:?} is perfectly collinear with {}; drop or combine one of them",
        listed(.with)
    )]
    CollinearDrivers {
        /// The driver found to depend on the others.
        driver: String,
        /// The drivers it is a combination of (one name for a duplicated driver).
        with: Vec<String>,
    },
    /// Fewer rows with the outcome and every driver rated than a regression on the drivers needs
    /// (drivers + 2).
    #[error(
        "driver importance over {} needs at least {needed} rows with the outcome and every driver rated; {n} have them",
        listed(.drivers)
    )]
    TooFewRows {
        /// The drivers of the analysis.
        drivers: Vec<String>,
        /// Rows needed (drivers + 2).
        needed: u64,
        /// Rows available.
        n: u64,
    },
    /// More drivers than exact Shapley value regression allows.
    #[error(
        "exact shapley over {drivers} drivers exceeds the limit of {limit}; use method \"johnson\" (relative weights, nearly the same ranking) or a sampled shapley estimate (shapley_samples)"
    )]
    TooManyDrivers {
        /// Drivers asked for.
        drivers: usize,
        /// The exact method's limit.
        limit: usize,
    },
    /// A rule of an alert policy, or a topic of a taxonomy, that cannot be used: an unknown
    /// field, a negative service level, a pattern that does not compile, no condition…
    #[error("{kind} {name:?} {problem}")]
    InvalidPolicy {
        /// What it is ("alert rule", "alert policy", "topic", "taxonomy").
        kind: &'static str,
        /// Its name (or position, when it has none).
        name: String,
        /// What is wrong, worded to follow the name ("has a negative service level -2 h").
        problem: String,
    },
    /// A text (a comment) that cannot be read: not valid UTF-8, or empty where text is needed.
    #[error("{field} at index {index} {problem}")]
    InvalidText {
        /// The input ("comment").
        field: &'static str,
        /// Its position.
        index: usize,
        /// What is wrong ("is not valid UTF-8 (byte 7)").
        problem: String,
    },
    /// A call-back record that refers to no alert of the queue it is reported against.
    #[error("call-back record at index {index} refers to alert {id:?}, which is not in the queue")]
    UnknownAlert {
        /// Position of the record.
        index: usize,
        /// The alert id it names.
        id: String,
    },
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
fn listed(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    match quoted.split_last() {
        None => "other drivers".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// " at index 17" when the position is known.
fn at(index: &Option<usize>) -> String {
    index.map_or_else(String::new, |i| format!(" at index {i}"))
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
