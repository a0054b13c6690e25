//! The responses alerts are raised from: one at a time ([`Response`]) or a batch by column
//! ([`Responses`]).

use crate::scale::Scale;
use crate::table::{Dimension, NA};
use crate::tally::{ScoreValue, score_codes};
use crate::{Error, Result};

/// One response, for [`Alerter::push`](super::Alerter::push).
///
/// Times are seconds since the Unix epoch (UTC).
///
/// # Examples
/// ```
/// use nps_core::Response;
/// let r = Response {
///     at: 1_700_000_000,
///     customer: "C-0042",
///     touchpoint: Some("claims"),
///     score: Some(3),
///     comment: Some("理赔太慢，要投诉"),
///     ..Response::default()
/// };
/// assert_eq!(r.previous, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Response<'a> {
    /// When the response was given (seconds since the Unix epoch, UTC).
    pub at: i64,
    /// The customer's id.
    pub customer: &'a str,
    /// The touchpoint (触点) the response is about, if known.
    pub touchpoint: Option<&'a str>,
    /// The recommend score, `None` when the question was not answered.
    pub score: Option<u8>,
    /// The customer's previous score, if known.
    pub previous: Option<u8>,
    /// The customer's value (premium, revenue…), if known.
    pub value: Option<f64>,
    /// The free-text comment ("请详述原因"), if any; an empty or blank one counts as none.
    pub comment: Option<&'a str>,
}

/// A batch of responses by column, for [`evaluate`](super::evaluate).
///
/// Every column has one element per response. Customers and touchpoints are dictionary encoded
/// ([`Dimension`]: levels and `u32` codes; a touchpoint may be missing ([`NA`]), a customer may
/// not). Scores are any [`ScoreValue`] (`u8`, `i64`, `f64` with NaN for a missing answer…);
/// `previous` and `value` are `f64` with NaN for "none"; comments are optional per row.
///
/// # Examples
/// ```
/// use nps_core::{Dimension, Responses};
/// let customers = Dimension::from_values("customer", &[Some("A"), Some("B")]);
/// let touchpoints = Dimension::from_values("touchpoint", &[Some("app"), None::<&str>]);
/// let comments = [Some("slow"), None];
/// let batch = Responses::new(&[100, 200], &customers, &touchpoints, &[3.0, f64::NAN])
///     .with_previous(&[9.0, f64::NAN])
///     .with_comments(&comments);
/// assert_eq!(batch.len(), 2);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Responses<'a, S: ScoreValue = f64> {
    /// Response times (seconds since the Unix epoch, UTC), in any order.
    pub at: &'a [i64],
    /// The customer of each response (no missing value).
    pub customers: &'a Dimension,
    /// The touchpoint of each response ([`NA`] when unknown).
    pub touchpoints: &'a Dimension,
    /// The recommend scores.
    pub scores: &'a [S],
    /// Each customer's previous score (NaN when unknown).
    pub previous: Option<&'a [f64]>,
    /// Each customer's value (NaN when unknown).
    pub value: Option<&'a [f64]>,
    /// Each response's comment.
    pub comments: Option<&'a [Option<&'a str>]>,
}

impl<'a, S: ScoreValue> Responses<'a, S> {
    /// A batch with the required columns.
    pub fn new(
        at: &'a [i64],
        customers: &'a Dimension,
        touchpoints: &'a Dimension,
        scores: &'a [S],
    ) -> Self {
        Responses {
            at,
            customers,
            touchpoints,
            scores,
            previous: None,
            value: None,
            comments: None,
        }
    }

    /// With previous scores (NaN = none).
    pub fn with_previous(mut self, previous: &'a [f64]) -> Self {
        self.previous = Some(previous);
        self
    }

    /// With customer values (NaN = none).
    pub fn with_value(mut self, value: &'a [f64]) -> Self {
        self.value = Some(value);
        self
    }

    /// With comments.
    pub fn with_comments(mut self, comments: &'a [Option<&'a str>]) -> Self {
        self.comments = Some(comments);
        self
    }

    /// Number of responses (the length of `at`).
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Checks the batch and converts the scores to codes (0..=10, or MISSING).
    ///
    /// Order of checks: lengths (against `at`), customers present, scores on the scale,
    /// previous scores, values.
    pub(crate) fn validate(&self, scale: Scale) -> Result<Vec<u8>> {
        let n = self.at.len();
        let lengths = [
            ("customers", Some(self.customers.len())),
            ("touchpoints", Some(self.touchpoints.len())),
            ("scores", Some(self.scores.len())),
            ("previous", self.previous.map(<[f64]>::len)),
            ("value", self.value.map(<[f64]>::len)),
            ("comments", self.comments.map(<[Option<&str>]>::len)),
        ];
        for (field, len) in lengths {
            if let Some(found) = len
                && found != n
            {
                return Err(Error::LengthMismatch {
                    field: field.into(),
                    found,
                    other: "at".into(),
                    expected: n,
                });
            }
        }
        if let Some(i) = self.customers.codes().iter().position(|&c| c == NA) {
            return Err(Error::InvalidArgument {
                field: "customers",
                value: format!("missing (NA) at index {i}"),
                expected: "every response names its customer (the one to call back)",
            });
        }
        let codes = score_codes(scale, self.scores)?;
        if let Some(previous) = self.previous
            && let Some(i) = previous
                .iter()
                .position(|&p| !p.is_nan() && previous_code(scale, p).is_none())
        {
            return Err(Error::InvalidArgument {
                field: "previous",
                value: format!("{} at index {i}", previous[i]),
                expected: "a whole score on the policy's scale, or NaN for none",
            });
        }
        if let Some(value) = self.value
            && let Some(i) = value.iter().position(|v| v.is_infinite())
        {
            return Err(Error::InvalidArgument {
                field: "value",
                value: format!("{} at index {i}", value[i]),
                expected: "a finite customer value, or NaN for none",
            });
        }
        Ok(codes)
    }
}

/// A previous score as a byte when it is a whole score on the scale.
pub(crate) fn previous_code(scale: Scale, p: f64) -> Option<u8> {
    (p >= 0.0 && p <= f64::from(crate::scale::MAX_SCORE) && p.fract() == 0.0)
        .then_some(p as u8)
        .filter(|&s| scale.contains(s))
}

impl Response<'_> {
    /// Checks the response's values (`index` = its sequence number, for errors).
    pub(crate) fn validate(&self, scale: Scale, index: u64) -> Result<()> {
        if let Some(s) = self.score
            && !scale.contains(s)
        {
            return Err(Error::InvalidScore {
                index: index as usize,
                value: f64::from(s),
                min: scale.min(),
                max: scale.max(),
            });
        }
        if let Some(p) = self.previous
            && !scale.contains(p)
        {
            return Err(Error::InvalidArgument {
                field: "previous",
                value: format!("{p} at index {index}"),
                expected: "a whole score on the policy's scale, or None",
            });
        }
        if let Some(v) = self.value
            && !v.is_finite()
        {
            return Err(Error::InvalidArgument {
                field: "value",
                value: format!("{v} at index {index}"),
                expected: "a finite customer value, or None",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_scores() {
        let s = Scale::STANDARD;
        assert_eq!(previous_code(s, 7.0), Some(7));
        assert_eq!(previous_code(s, 0.0), Some(0));
        assert_eq!(previous_code(s, 7.5), None);
        assert_eq!(previous_code(s, -1.0), None);
        assert_eq!(previous_code(s, 11.0), None);
        assert_eq!(previous_code(s, f64::NAN), None);
        let five = Scale::new(1, 5, 3, 5).unwrap();
        assert_eq!(previous_code(five, 0.0), None);
    }
}
