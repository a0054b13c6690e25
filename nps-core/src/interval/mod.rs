//! Interval methods for the NPS, each selectable by name.
//!
//! All methods work on the [−1, 1] scale internally and report points (−100..100), clipped to
//! the range an NPS can take.
//!
//! | name | method | source |
//! |---|---|---|
//! | `wald` | NPS ± z·SE | normal approximation; Taylor SE when weighted |
//! | `adjusted_wald` | Wald after adding 0.75 / 1.5 / 0.75 pseudo-answers | Rocks (2016), *The American Statistician* 70:365 |
//! | `score` | inversion of the score test | Tango (1998), *Statistics in Medicine* 17:891 |
//! | `bayes` | equal-tailed credible interval under Dirichlet(counts + a) | exact 1-D integral |
//! | `bootstrap` | percentile interval of multinomial resamples | Efron & Tibshirani (1993) §13 |
//!
//! Weighted tallies: `wald` uses the Taylor-linearization SE; the other methods use the effective
//! counts n_eff × weighted shares (Kish).

mod bayes;
mod bootstrap;
pub(crate) use bootstrap::Resampler;
mod score;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::tally::Tally;
use crate::{Error, Result, level};

/// Default Dirichlet prior parameter per category for `bayes` (Jeffreys).
pub const DEFAULT_PRIOR: f64 = 0.5;
/// Default number of bootstrap replicates.
pub const DEFAULT_REPLICATES: u32 = 10_000;
/// Default bootstrap seed.
pub const DEFAULT_SEED: u64 = 20_240_601;
/// Pseudo-answers added by the adjusted Wald method: promoters, passives, detractors (Rocks 2016).
pub const ADJUSTED_WALD_PSEUDO: [f64; 3] = [0.75, 1.5, 0.75];

/// An interval method with its parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Method {
    /// NPS ± z·SE.
    Wald,
    /// Wald on counts plus 0.75 promoters, 1.5 passives and 0.75 detractors (n + 3); Rocks
    /// (2016) recommends it, and it is the default.
    #[default]
    AdjustedWald,
    /// Tango's (1998) score interval, solved to machine precision.
    Score,
    /// Equal-tailed credible interval of pP − pD under Dirichlet(counts + `prior`).
    Bayes {
        /// Prior parameter added to each category's count (> 0).
        prior: f64,
    },
    /// Percentile bootstrap from multinomial resamples of the tally.
    Bootstrap {
        /// Number of resamples (> 0).
        replicates: u32,
        /// Seed of the random number generator; same seed, same interval.
        seed: u64,
    },
}

impl Method {
    /// The accepted names, for messages.
    pub const NAMES: &'static str = "wald, adjusted_wald, score, bayes, bootstrap";

    /// The method's name as the C and Python interfaces spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Wald => "wald",
            Method::AdjustedWald => "adjusted_wald",
            Method::Score => "score",
            Method::Bayes { .. } => "bayes",
            Method::Bootstrap { .. } => "bootstrap",
        }
    }

    /// The method called `name`, with default parameters ([`DEFAULT_PRIOR`],
    /// [`DEFAULT_REPLICATES`], [`DEFAULT_SEED`]).
    ///
    /// # Errors
    /// [`Error::UnknownMethod`].
    pub fn from_name(name: &str) -> Result<Self> {
        Ok(match name {
            "wald" => Method::Wald,
            "adjusted_wald" => Method::AdjustedWald,
            "score" => Method::Score,
            "bayes" => Method::Bayes {
                prior: DEFAULT_PRIOR,
            },
            "bootstrap" => Method::Bootstrap {
                replicates: DEFAULT_REPLICATES,
                seed: DEFAULT_SEED,
            },
            _ => {
                return Err(Error::UnknownMethod {
                    kind: "interval method",
                    name: name.to_owned(),
                    expected: Self::NAMES,
                });
            }
        })
    }

    /// Checks the method's parameters.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a prior that is not positive and finite, or 0 replicates.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Method::Bayes { prior } if !(prior > 0.0 && prior.is_finite()) => {
                Err(Error::InvalidArgument {
                    field: "prior",
                    value: prior.to_string(),
                    expected: "the Dirichlet prior must be positive and finite (0.5 is Jeffreys')",
                })
            }
            Method::Bootstrap { replicates: 0, .. } => Err(Error::InvalidArgument {
                field: "replicates",
                value: "0".into(),
                expected: "the bootstrap needs at least 1 replicate (10000 is usual)",
            }),
            _ => Ok(()),
        }
    }
}

impl FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Method::from_name(s)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An NPS with its standard error and interval: what [`Tally::estimate`] returns.
///
/// NPS, SE and bounds are in points; shares are fractions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Answered responses.
    pub n: u64,
    /// Missing answers seen (dropped).
    pub n_missing: u64,
    /// Whether weights were used.
    pub weighted: bool,
    /// Kish effective sample size (= n unweighted).
    pub n_eff: f64,
    /// Kish design effect n/n_eff (= 1 unweighted).
    pub design_effect: f64,
    /// Share of promoters.
    pub promoters: f64,
    /// Share of passives.
    pub passives: f64,
    /// Share of detractors.
    pub detractors: f64,
    /// NPS in points.
    pub nps: f64,
    /// Standard error of the NPS in points (multinomial, or Taylor when weighted), whatever the
    /// interval method.
    pub se: f64,
    /// The interval method.
    pub method: Method,
    /// The confidence level.
    pub level: f64,
    /// Lower bound in points.
    pub low: f64,
    /// Upper bound in points.
    pub high: f64,
}

/// Category counts (real-valued, so effective counts fit) in the order promoters, passives,
/// detractors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Counts {
    pub promoters: f64,
    pub passives: f64,
    pub detractors: f64,
}

impl Counts {
    pub(crate) fn new(promoters: f64, passives: f64, detractors: f64) -> Self {
        Counts {
            promoters,
            passives,
            detractors,
        }
    }

    pub(crate) fn n(&self) -> f64 {
        self.promoters + self.passives + self.detractors
    }

    /// pP − pD on the [−1, 1] scale.
    pub(crate) fn difference(&self) -> f64 {
        (self.promoters - self.detractors) / self.n()
    }

    /// Variance of the difference: (pP + pD − (pP − pD)²)/n.
    pub(crate) fn variance(&self) -> f64 {
        let n = self.n();
        let d = self.difference();
        ((self.promoters + self.detractors) / n - d * d).max(0.0) / n
    }

    /// The counts plus Rocks' pseudo-answers.
    pub(crate) fn adjusted(&self) -> Counts {
        let [p, pa, d] = ADJUSTED_WALD_PSEUDO;
        Counts::new(self.promoters + p, self.passives + pa, self.detractors + d)
    }
}

/// Wald interval centre ± z·se (any scale).
pub(crate) fn wald(centre: f64, se: f64, z: f64) -> (f64, f64) {
    (centre - z * se, centre + z * se)
}

/// Rocks' adjusted Wald on the [−1, 1] scale: Wald on the adjusted counts, centred on the
/// adjusted estimate (P − D)/(n + 3) with SE √(V_adj/(n + 3)).
pub(crate) fn adjusted_wald(counts: &Counts, z: f64) -> (f64, f64) {
    let a = counts.adjusted();
    wald(a.difference(), a.variance().sqrt(), z)
}

/// Bounds in points of `method` for `tally`, whose NPS and SE (points) are already known.
pub(crate) fn bounds(
    tally: &Tally,
    method: Method,
    level: f64,
    nps: f64,
    se: f64,
) -> Result<(f64, f64)> {
    let z = level::z_critical(level)?;
    let (low, high) = match method {
        Method::Wald => wald(nps / 100.0, se / 100.0, z),
        Method::AdjustedWald => adjusted_wald(&tally.effective_counts()?, z),
        Method::Score => score::tango(&tally.effective_counts()?, z),
        Method::Bayes { prior } => bayes::credible(&tally.effective_counts()?, prior, level),
        Method::Bootstrap { replicates, seed } => {
            bootstrap::percentile(&tally.effective_counts()?, replicates, seed, level)
        }
    };
    Ok((clip(100.0 * low), clip(100.0 * high)))
}

/// Clips a bound in points to the range an NPS can take.
pub(crate) fn clip(points: f64) -> f64 {
    points.clamp(-100.0, 100.0)
}
