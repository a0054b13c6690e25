//! The recommend scale and its cut-points: who is a promoter (推荐者), a passive (被动者) or a
//! detractor (贬损者).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Highest score any scale may use: tallies keep one counter per score, 0 to 10.
pub const MAX_SCORE: u8 = 10;
/// Number of score bins in a tally.
pub const BINS: usize = MAX_SCORE as usize + 1;

/// The three answer categories of the recommend question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 贬损者: score at or below the detractor cut-point (0–6 on the standard scale).
    Detractor = 0,
    /// 被动者 / 中立者: between the cut-points (7–8).
    Passive = 1,
    /// 推荐者: score at or above the promoter cut-point (9–10).
    Promoter = 2,
}

impl Category {
    /// The −1/0/+1 coding whose mean is the NPS on the [−1, 1] scale.
    pub fn sign(self) -> f64 {
        match self {
            Category::Detractor => -1.0,
            Category::Passive => 0.0,
            Category::Promoter => 1.0,
        }
    }
}

/// A scale `min..=max` (inside 0..=10) with its two cut-points.
///
/// Scores `min..=detractor_max` are detractors, `promoter_min..=max` promoters, the rest passives.
/// The standard NPS scale is 0–10 with detractors 0–6 and promoters 9–10
/// ([`Scale::STANDARD`], the default).
///
/// # Examples
/// ```
/// use nps_core::{Category, Scale};
/// // A five-point programme: 1–3 detractors, 4 passive, 5 promoters.
/// let five = Scale::new(1, 5, 3, 5)?;
/// assert_eq!(five.category(4), Category::Passive);
/// assert!(Scale::new(1, 5, 4, 3).is_err()); // cut-points out of order
/// # Ok::<(), nps_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ScaleFields", into = "ScaleFields")]
pub struct Scale {
    min: u8,
    max: u8,
    detractor_max: u8,
    promoter_min: u8,
}

/// The serialized form of a [`Scale`], validated on the way in.
#[derive(Serialize, Deserialize)]
struct ScaleFields {
    min: u8,
    max: u8,
    detractor_max: u8,
    promoter_min: u8,
}

impl TryFrom<ScaleFields> for Scale {
    type Error = Error;
    fn try_from(f: ScaleFields) -> Result<Self> {
        Scale::new(f.min, f.max, f.detractor_max, f.promoter_min)
    }
}

impl From<Scale> for ScaleFields {
    fn from(s: Scale) -> Self {
        ScaleFields {
            min: s.min,
            max: s.max,
            detractor_max: s.detractor_max,
            promoter_min: s.promoter_min,
        }
    }
}

impl Default for Scale {
    fn default() -> Self {
        Scale::STANDARD
    }
}

impl Scale {
    /// 0–10, detractors 0–6, passives 7–8, promoters 9–10.
    pub const STANDARD: Scale = Scale {
        min: 0,
        max: 10,
        detractor_max: 6,
        promoter_min: 9,
    };

    /// A validated scale.
    ///
    /// # Errors
    /// [`Error::InvalidScale`] unless `min <= detractor_max < promoter_min <= max <= 10`.
    pub fn new(min: u8, max: u8, detractor_max: u8, promoter_min: u8) -> Result<Self> {
        if max > MAX_SCORE {
            return Err(Error::InvalidScale(format!(
                "scale maximum is {max}; scales must lie inside 0..=10"
            )));
        }
        if !(min <= detractor_max && detractor_max < promoter_min && promoter_min <= max) {
            return Err(Error::InvalidScale(format!(
                "need min <= detractor_max < promoter_min <= max, got min {min}, \
                 detractor_max {detractor_max}, promoter_min {promoter_min}, max {max}"
            )));
        }
        Ok(Scale {
            min,
            max,
            detractor_max,
            promoter_min,
        })
    }

    /// Lowest score.
    pub fn min(&self) -> u8 {
        self.min
    }
    /// Highest score.
    pub fn max(&self) -> u8 {
        self.max
    }
    /// Highest detractor score.
    pub fn detractor_max(&self) -> u8 {
        self.detractor_max
    }
    /// Lowest promoter score.
    pub fn promoter_min(&self) -> u8 {
        self.promoter_min
    }

    /// Whether `score` is on the scale.
    pub fn contains(&self, score: u8) -> bool {
        (self.min..=self.max).contains(&score)
    }

    /// The category of a score on this scale (scores off the scale are never tallied).
    pub fn category(&self, score: u8) -> Category {
        if score <= self.detractor_max {
            Category::Detractor
        } else if score >= self.promoter_min {
            Category::Promoter
        } else {
            Category::Passive
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..={} (detractors <= {}, promoters >= {})",
            self.min, self.max, self.detractor_max, self.promoter_min
        )
    }
}
