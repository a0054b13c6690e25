//! Driver importance (与NPS的关联影响力): which experience drivers move the recommend score.
//!
//! Three steps, each usable on its own:
//! 1. a correlation pass over the rows ([`DriverMoments`], mergeable; [`correlate`] adds
//!    Spearman ranks and the input checks): weighted means and centred cross-products of the
//!    outcome and the driver ratings, with listwise or pairwise deletion of missing ratings;
//! 2. importance measures from the correlation matrix alone ([`importance`]): r, r² (`first`),
//!    standardized betas, β² (`betasq`), Pratt, `last` (R² drop), CAR scores, Johnson's relative
//!    weights and Shapley value regression (LMG), exact over all 2ᵖ subsets up to 24 drivers
//!    (more by option) or by sampled permutations;
//! 3. percentile bootstrap intervals, resampling respondents ([`drivers`] with `replicates`).
//!
//! [`drivers`] runs all three on a [`Table`]. The data pass is O(n·p²); nothing after it
//! touches the rows again, except the bootstrap, which reweights them.

mod bootstrap;
mod groups;
mod importance;
mod moments;
mod shapley;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::interval::DEFAULT_SEED;
use crate::level::z_critical;
use crate::scale::Category;
use crate::table::Table;
use crate::tally::MISSING;
use crate::{Error, Result};

pub use groups::{DriverGroup, DriverGrouping, drivers_by};
pub use importance::importance;
pub use moments::DriverMoments;

/// Default limit of exact Shapley value regression (2²⁴ ≈ 1.7·10⁷ subsets, well under a
/// second on two cores).
pub const DEFAULT_MAX_EXACT: usize = 24;

/// Hard cap of the exact limit: 2³⁰ ≈ 10⁹ subsets, about a minute on two cores.
pub const MAX_EXACT_LIMIT: usize = 30;

/// What the drivers are related to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The recommend score itself (0–10 on the standard scale).
    #[default]
    Score,
    /// 1 for a promoter (推荐者), 0 otherwise.
    Promoter,
    /// 1 for a detractor (贬损者), 0 otherwise.
    Detractor,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 3] = [Outcome::Score, Outcome::Promoter, Outcome::Detractor];

    /// The outcome's name: `score`, `promoter` or `detractor`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Score => "score",
            Outcome::Promoter => "promoter",
            Outcome::Detractor => "detractor",
        }
    }

    /// The outcome called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownMethod`] listing the names.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|o| o.name() == name)
            .ok_or_else(|| Error::UnknownMethod {
                kind: "driver outcome",
                name: name.to_owned(),
                expected: "score, promoter, detractor",
            })
    }

    /// The outcome of every row of `table` (NaN where the score is missing).
    fn values(self, table: &Table) -> Vec<f64> {
        let scale = table.scale();
        table
            .score_codes()
            .iter()
            .map(|&c| {
                if c == MISSING {
                    return f64::NAN;
                }
                match self {
                    Outcome::Score => f64::from(c),
                    Outcome::Promoter => {
                        f64::from(u8::from(scale.category(c) == Category::Promoter))
                    }
                    Outcome::Detractor => {
                        f64::from(u8::from(scale.category(c) == Category::Detractor))
                    }
                }
            })
            .collect()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How rows with a missing rating (NaN) are handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// Only rows with the outcome and every driver present (complete cases).
    #[default]
    Listwise,
    /// Each correlation over the rows where both of its columns are present. Uses more of the
    /// data, but the matrix can fail to be positive definite.
    Pairwise,
}

impl Missing {
    /// The name: `listwise` or `pairwise`.
    pub fn name(self) -> &'static str {
        match self {
            Missing::Listwise => "listwise",
            Missing::Pairwise => "pairwise",
        }
    }

    /// The handling called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownMethod`] listing the names.
    pub fn from_name(name: &str) -> Result<Self> {
        [Missing::Listwise, Missing::Pairwise]
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| Error::UnknownMethod {
                kind: "missing-value",
                name: name.to_owned(),
                expected: "listwise, pairwise",
            })
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An importance measure. With R_xx the drivers' correlation matrix, r = r_xy their
/// correlations with the outcome and b = R_xx⁻¹r the standardized coefficients
/// (R² = rᵀb), see [`importance`] for each formula and its source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriverMethod {
    /// Shapley value regression / LMG: each driver's R² gain averaged over all orderings.
    #[default]
    Shapley,
    /// Johnson's (2000) relative weights (relaimpo's `genizi`).
    Johnson,
    /// Pratt's measure bⱼ·rⱼ.
    Pratt,
    /// r², the R² of the driver alone.
    First,
    /// The R² lost when the driver is dropped last.
    Last,
    /// b², the squared standardized coefficient.
    Betasq,
    /// Squared CAR scores (Zuber & Strimmer 2011).
    Car,
    /// The standardized coefficient b.
    Beta,
    /// The correlation r with the outcome.
    R,
}

impl DriverMethod {
    /// Every method.
    pub const ALL: [DriverMethod; 9] = [
        DriverMethod::Shapley,
        DriverMethod::Johnson,
        DriverMethod::Pratt,
        DriverMethod::First,
        DriverMethod::Last,
        DriverMethod::Betasq,
        DriverMethod::Car,
        DriverMethod::Beta,
        DriverMethod::R,
    ];

    /// The method's name: `shapley`, `johnson`, `pratt`, `first`, `last`, `betasq`, `car`,
    /// `beta` or `r`.
    pub fn name(self) -> &'static str {
        match self {
            DriverMethod::Shapley => "shapley",
            DriverMethod::Johnson => "johnson",
            DriverMethod::Pratt => "pratt",
            DriverMethod::First => "first",
            DriverMethod::Last => "last",
            DriverMethod::Betasq => "betasq",
            DriverMethod::Car => "car",
            DriverMethod::Beta => "beta",
            DriverMethod::R => "r",
        }
    }

    /// The method called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownMethod`] (kind "driver importance") listing the names.
    ///
    /// # Examples
    /// ```
    /// use nps_core::DriverMethod;
    /// assert_eq!(DriverMethod::from_name("johnson")?, DriverMethod::Johnson);
    /// assert!(DriverMethod::from_name("lmg").is_err());
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| Error::UnknownMethod {
                kind: "driver importance",
                name: name.to_owned(),
                expected: "shapley, johnson, pratt, first, last, betasq, car, beta, r",
            })
    }

    /// Whether the raw values add up to R² (Shapley, Johnson, Pratt, CAR).
    pub fn sums_to_r2(self) -> bool {
        matches!(
            self,
            DriverMethod::Shapley | DriverMethod::Johnson | DriverMethod::Pratt | DriverMethod::Car
        )
    }
}

impl fmt::Display for DriverMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Options of a driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DriverOptions {
    /// The drivers to analyse, by name, in this order (default: every driver of the table).
    pub drivers: Option<Vec<String>>,
    /// What the drivers are related to (default: the score).
    pub outcome: Outcome,
    /// The importance measure (default: `shapley`).
    pub method: DriverMethod,
    /// Missing-rating handling (default: listwise).
    pub missing: Missing,
    /// Spearman (rank) instead of Pearson correlations.
    pub spearman: bool,
    /// The declared rating scale `(min, max)`: a rating outside it is an error naming the
    /// driver and the row.
    pub rating_scale: Option<(f64, f64)>,
    /// Largest number of drivers for exact Shapley (default 24, at most 30).
    pub max_exact: usize,
    /// Estimate Shapley values from this many sampled permutations (each used with its
    /// reverse) instead of all subsets; results then carry a standard error.
    pub shapley_samples: Option<u32>,
    /// Bootstrap replicates for percentile intervals (0 = none).
    pub replicates: u32,
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
    /// Seed of the bootstrap and of sampled Shapley.
    pub seed: u64,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            drivers: None,
            outcome: Outcome::Score,
            method: DriverMethod::Shapley,
            missing: Missing::Listwise,
            spearman: false,
            rating_scale: None,
            max_exact: DEFAULT_MAX_EXACT,
            shapley_samples: None,
            replicates: 0,
            level: 0.95,
            seed: DEFAULT_SEED,
        }
    }
}

impl DriverOptions {
    /// Checks the options' values.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`]; [`Error::InvalidArgument`] for `max_exact` above 30, zero
    /// `shapley_samples`, or a rating scale that is not finite with min < max.
    pub fn validate(&self) -> Result<()> {
        z_critical(self.level)?;
        if self.max_exact > MAX_EXACT_LIMIT {
            return Err(Error::InvalidArgument {
                field: "max_exact",
                value: self.max_exact.to_string(),
                expected: "at most 30 drivers for exact shapley (2^30 subsets); use shapley_samples beyond",
            });
        }
        if self.shapley_samples == Some(0) {
            return Err(Error::InvalidArgument {
                field: "shapley_samples",
                value: "0".into(),
                expected: "at least one permutation",
            });
        }
        if let Some((lo, hi)) = self.rating_scale
            && !(lo.is_finite() && hi.is_finite() && lo < hi)
        {
            return Err(Error::InvalidArgument {
                field: "rating_scale",
                value: format!("({lo}, {hi})"),
                expected: "finite bounds with min < max",
            });
        }
        Ok(())
    }
}

/// A correlation matrix of the outcome (first) and the drivers, with how it was computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlation {
    /// Column names: the outcome, then the drivers.
    pub names: Vec<String>,
    /// The matrix, row-major, `names.len()`² values.
    pub matrix: Vec<f64>,
    /// Rows used: complete rows (listwise) or the fewest rows of any pair (pairwise).
    pub n: u64,
    /// Missing-rating handling.
    pub missing: Missing,
    /// Whether these are Spearman (rank) correlations.
    pub spearman: bool,
}

impl Correlation {
    /// Number of columns (outcome and drivers).
    pub fn dimension(&self) -> usize {
        self.names.len()
    }

    /// The correlation of columns `i` and `j` (0 = the outcome).
    ///
    /// # Panics
    /// When an index is out of range.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let m = self.dimension();
        assert!(i < m && j < m, "index out of range");
        self.matrix[i * m + j]
    }
}

/// One driver's importance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverRow {
    /// The driver's name.
    pub driver: String,
    /// The raw importance (a share of R² for the methods that sum to R²).
    pub importance: f64,
    /// The importance as a fraction of the total: raw / Σ raw, so shares sum to 1 (relaimpo's
    /// `rela = TRUE`); for `beta` and `r`, whose raw values are signed and need not add up to
    /// anything, raw / Σ|raw|. A Pratt share is negative when bⱼ and rⱼ differ in sign.
    pub share: f64,
    /// Sign of the driver's coefficient in the full model (−1, 0 or 1).
    pub sign: i8,
    /// Standard error of a sampled Shapley estimate (`None` when exact).
    pub se: Option<f64>,
    /// Lower bound of the bootstrap percentile interval of `importance`.
    pub low: Option<f64>,
    /// Upper bound of the bootstrap percentile interval of `importance`.
    pub high: Option<f64>,
    /// Whether the bootstrap interval includes 0.
    pub includes_zero: Option<bool>,
}

/// The result of a driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverImportance {
    /// The measure.
    pub method: DriverMethod,
    /// What the drivers were related to (`None` when computed from a given matrix).
    pub outcome: Option<Outcome>,
    /// Missing-rating handling.
    pub missing: Missing,
    /// Whether the correlations were Spearman's.
    pub spearman: bool,
    /// R² of the full model: the outcome on all the drivers (standardized).
    pub r2: f64,
    /// Rows used (see [`Correlation::n`]).
    pub n: u64,
    /// Permutations behind a sampled Shapley estimate (each also used reversed).
    pub shapley_samples: Option<u32>,
    /// Bootstrap replicates that gave a result (a resample in which a driver is constant or
    /// collinear gives none).
    pub replicates: u32,
    /// Confidence level of the intervals, when bootstrapped.
    pub level: Option<f64>,
    /// One row per driver, in the order asked.
    pub rows: Vec<DriverRow>,
}

/// The correlation matrix of `columns` (the outcome first, then the drivers; NaN = missing)
/// with optional weights, by the options' missing handling, Pearson or Spearman.
///
/// Spearman correlations are Pearson correlations of weighted mid-ranks (ties share their
/// average rank; with weights, a row of weight w counts as w rows), ranked listwise over the
/// complete rows, pairwise over each column's own present rows (R's `cor` ranks each pair's
/// common rows instead; the two agree when nothing is missing).
///
/// # Errors
/// The input checks of [`DriverMoments::from_columns`]; [`Error::InvalidDriver`] for a
/// driver with no rating or, with `rating_scale`, a rating outside it (naming the row); the
/// errors of [`DriverMoments::correlation`].
pub fn correlate(
    columns: &[(&str, &[f64])],
    weights: Option<&[f64]>,
    options: &DriverOptions,
) -> Result<Correlation> {
    options.validate()?;
    moments::check_columns(columns, weights)?;
    check_ratings(&columns[1..], options.rating_scale)?;
    Prepared::new(columns, weights, options).correlation(weights, 0)
}

/// Driver importance of the drivers of `table` for the options' outcome and method, with
/// bootstrap intervals when `replicates` > 0.
///
/// # Errors
/// [`Error::UnknownColumn`] for a driver the table lacks; [`Error::InvalidArgument`] for no
/// drivers or a driver named twice; the errors of [`correlate`] and [`importance`]:
/// [`Error::InvalidDriver`] (no rating, constant, rating off the scale),
/// [`Error::CollinearDrivers`], [`Error::TooFewRows`] (fewer complete rows than drivers + 2),
/// [`Error::TooManyDrivers`].
///
/// # Examples
/// ```
/// use nps_core::{DriverMethod, DriverOptions, Table, drivers};
/// let scores = [10.0, 9.0, 3.0, 8.0, 6.0, 10.0, 2.0, 7.0, 9.0, 5.0];
/// let table = Table::new(&scores)?
///     .with_driver("speed", vec![5.0, 4.0, 2.0, 4.0, 3.0, 5.0, 1.0, 3.0, 4.0, 3.0])?
///     .with_driver("price", vec![3.0, 4.0, 2.0, 3.0, 2.0, 4.0, 3.0, 3.0, 5.0, 1.0])?;
/// let result = drivers(&table, &DriverOptions::default())?;
/// let total: f64 = result.rows.iter().map(|r| r.importance).sum();
/// assert!((total - result.r2).abs() < 1e-12); // Shapley values add up to R²
/// assert!((result.rows.iter().map(|r| r.share).sum::<f64>() - 1.0).abs() < 1e-12);
/// assert_eq!(result.rows[0].driver, "speed");
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn drivers(table: &Table, options: &DriverOptions) -> Result<DriverImportance> {
    options.validate()?;
    let chosen = chosen_drivers(table, options)?;
    let outcome = options.outcome.values(table);
    let name = outcome_name(options.outcome);
    let mut columns: Vec<(&str, &[f64])> = vec![(name.as_str(), &outcome)];
    columns.extend(chosen.iter().map(|d| (d.name(), d.ratings())));
    analyse(&columns, table.weights(), options)
}

/// The name of the outcome column in correlation matrices.
fn outcome_name(outcome: Outcome) -> String {
    format!("outcome ({outcome})")
}

/// The drivers the options name (in their order), or every driver of the table.
fn chosen_drivers<'t>(
    table: &'t Table,
    options: &DriverOptions,
) -> Result<Vec<&'t crate::table::Driver>> {
    let chosen: Vec<&crate::table::Driver> = match &options.drivers {
        Some(names) => {
            let mut seen = std::collections::HashSet::new();
            names
                .iter()
                .map(|name| {
                    if !seen.insert(name.as_str()) {
                        return Err(Error::InvalidArgument {
                            field: "drivers",
                            value: format!("{name:?} twice"),
                            expected: "each driver named once",
                        });
                    }
                    table.driver(name)
                })
                .collect::<Result<_>>()?
        }
        None => table.drivers().iter().collect(),
    };
    if chosen.is_empty() {
        return Err(Error::InvalidArgument {
            field: "drivers",
            value: "none".into(),
            expected: "at least one driver (add ratings with Table::with_driver)",
        });
    }
    if options.method == DriverMethod::Shapley
        && options.shapley_samples.is_none()
        && chosen.len() > options.max_exact
    {
        // Before the data pass, not after it.
        return Err(Error::TooManyDrivers {
            drivers: chosen.len(),
            limit: options.max_exact,
        });
    }
    Ok(chosen)
}

/// The whole analysis of validated columns (outcome first): checks, correlation pass,
/// importance, bootstrap.
fn analyse(
    columns: &[(&str, &[f64])],
    weights: Option<&[f64]>,
    options: &DriverOptions,
) -> Result<DriverImportance> {
    check_ratings(&columns[1..], options.rating_scale)?;
    let prepared = Prepared::new(columns, weights, options);
    let correlation = prepared.correlation(weights, 0)?;
    let mut result = importance::point(&correlation, options)?;
    result.outcome = Some(options.outcome);
    if options.replicates > 0 {
        bootstrap::intervals(&prepared, weights, options, &mut result)?;
    }
    Ok(result)
}

/// Checks every driver has a rating and, with a declared scale, that each lies on it.
fn check_ratings(drivers: &[(&str, &[f64])], scale: Option<(f64, f64)>) -> Result<()> {
    for (name, ratings) in drivers {
        if ratings.iter().all(|r| r.is_nan()) {
            return Err(Error::InvalidDriver {
                driver: (*name).to_owned(),
                problem: format!("has no ratings (all {} rows are missing)", ratings.len()),
            });
        }
    }
    check_scale(drivers, scale)
}

/// With a declared scale, checks that every rating lies on it.
fn check_scale(drivers: &[(&str, &[f64])], scale: Option<(f64, f64)>) -> Result<()> {
    for (name, ratings) in drivers {
        if let Some((lo, hi)) = scale
            && let Some(i) = ratings.iter().position(|&r| r < lo || r > hi)
        {
            return Err(Error::InvalidDriver {
                driver: (*name).to_owned(),
                problem: format!(
                    "has rating {} at index {i}, outside the rating scale {lo}..={hi}",
                    ratings[i]
                ),
            });
        }
    }
    Ok(())
}

/// Validated columns ready for (repeated) correlation passes: names, and for Spearman the
/// sort order of each column over the rows it is ranked on.
pub(crate) struct Prepared<'a> {
    names: Vec<String>,
    cols: Vec<&'a [f64]>,
    missing: Missing,
    /// Per column, how it is ranked; `None` for Pearson.
    rankings: Option<Vec<moments::Ranking>>,
}

impl<'a> Prepared<'a> {
    fn new(
        columns: &[(&str, &'a [f64])],
        weights: Option<&[f64]>,
        options: &DriverOptions,
    ) -> Self {
        let cols: Vec<&'a [f64]> = columns.iter().map(|c| c.1).collect();
        let names = columns.iter().map(|c| c.0.to_owned()).collect();
        let rankings = options.spearman.then(|| {
            // The rows ranked: listwise the complete rows, pairwise each column's own.
            let len = cols[0].len();
            let taking_part: Vec<bool> = (0..len)
                .map(|i| {
                    weights.is_none_or(|w| w[i] > 0.0)
                        && (options.missing == Missing::Pairwise
                            || cols.iter().all(|c| !c[i].is_nan()))
                })
                .collect();
            let ranking_of = |c: &[f64]| moments::Ranking::new(c, |i| taking_part[i]);
            // One scoped thread per column (a sort, or a pass with a binary search per row).
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            if cores > 1 && cols[0].len() >= 1 << 15 {
                std::thread::scope(|s| {
                    let handles: Vec<_> = cols.iter().map(|c| s.spawn(|| ranking_of(c))).collect();
                    handles
                        .into_iter()
                        .map(|h| h.join().expect("sorting does not panic"))
                        .collect()
                })
            } else {
                cols.iter().map(|c| ranking_of(c)).collect()
            }
        });
        Prepared {
            names,
            cols,
            missing: options.missing,
            rankings,
        }
    }

    /// Number of rows.
    fn len(&self) -> usize {
        self.cols[0].len()
    }

    /// Whether row `i` takes part (listwise: every column present; pairwise: any).
    fn eligible(&self, i: usize) -> bool {
        match self.missing {
            Missing::Listwise => self.cols.iter().all(|c| !c[i].is_nan()),
            Missing::Pairwise => true,
        }
    }

    /// The correlation matrix under `weights` (`threads` 0 = automatic).
    fn correlation(&self, weights: Option<&[f64]>, threads: usize) -> Result<Correlation> {
        let mut correlation = match &self.rankings {
            None => DriverMoments::compute(
                self.names.clone(),
                &self.cols,
                weights,
                self.missing,
                threads,
            ),
            Some(rankings) => {
                let mut ranks: Vec<Vec<f64>> = Vec::with_capacity(self.cols.len());
                for (col, ranking) in self.cols.iter().zip(rankings) {
                    let mut r = Vec::new();
                    ranking.ranks(col, weights, &mut r);
                    ranks.push(r);
                }
                let refs: Vec<&[f64]> = ranks.iter().map(Vec::as_slice).collect();
                DriverMoments::compute(self.names.clone(), &refs, weights, self.missing, threads)
            }
        }
        .correlation()?;
        correlation.spearman = self.rankings.is_some();
        Ok(correlation)
    }
}

impl DriverMoments {
    /// The moments behind [`drivers`] on `table`: the mergeable part of a driver analysis.
    /// Build them per partition of the rows, [`merge`](DriverMoments::merge) them, and
    /// [`DriverMoments::importance`] gives the analysis of all the rows (to the last bits of
    /// floating-point addition, which the merge does in another order).
    ///
    /// A partition may lack ratings of a driver; whether the merged rows have enough is
    /// checked by [`DriverMoments::importance`].
    ///
    /// # Errors
    /// The errors of [`drivers`] that a part of the rows can show (unknown or repeated
    /// drivers, a rating off the declared scale, too many drivers for an exact Shapley), and
    /// [`Error::InvalidArgument`] for options that do not merge (see
    /// [`DriverMoments::importance`]).
    ///
    /// # Examples
    /// ```
    /// use nps_core::{DriverMoments, DriverOptions, Table, drivers};
    /// let scores = [10.0, 9.0, 3.0, 8.0, 6.0, 10.0, 2.0, 7.0, 9.0, 5.0];
    /// let speed = [5.0, 4.0, 2.0, 4.0, 3.0, 5.0, 1.0, 3.0, 4.0, 3.0];
    /// let price = [3.0, 4.0, 2.0, 3.0, 2.0, 4.0, 3.0, 3.0, 5.0, 1.0];
    /// let part = |r: std::ops::Range<usize>| -> nps_core::Result<Table> {
    ///     Table::new(&scores[r.clone()])?
    ///         .with_driver("speed", speed[r.clone()].to_vec())?
    ///         .with_driver("price", price[r].to_vec())
    /// };
    /// let options = DriverOptions::default();
    /// let mut moments = DriverMoments::from_table(&part(0..4)?, &options)?;
    /// moments.merge(&DriverMoments::from_table(&part(4..10)?, &options)?)?;
    /// let merged = moments.importance(&options)?;
    /// let whole = drivers(&part(0..10)?, &options)?;
    /// assert!((merged.rows[0].importance - whole.rows[0].importance).abs() < 1e-12);
    /// # Ok::<(), nps_core::Error>(())
    /// ```
    pub fn from_table(table: &Table, options: &DriverOptions) -> Result<DriverMoments> {
        options.validate()?;
        mergeable(options)?;
        let chosen = chosen_drivers(table, options)?;
        let (name, outcome) = outcome_column(table, options.outcome);
        let mut columns: Vec<(&str, &[f64])> = vec![(name.as_str(), &outcome)];
        columns.extend(chosen.iter().map(|d| (d.name(), d.ratings())));
        check_scale(&columns[1..], options.rating_scale)?;
        let names = columns.iter().map(|c| c.0.to_owned()).collect();
        let cols: Vec<&[f64]> = columns.iter().map(|c| c.1).collect();
        Ok(DriverMoments::compute(
            names,
            &cols,
            table.weights(),
            options.missing,
            0,
        ))
    }

    /// The driver analysis of the rows these moments were built from: [`drivers`] without
    /// bootstrap intervals. `options` must ask for what the moments were built for (the same
    /// outcome, missing handling and drivers).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for Spearman correlations (ranks need every row at once),
    /// bootstrap replicates (they resample rows), or an outcome, missing handling or drivers
    /// other than the moments'; the errors of [`DriverMoments::correlation`] and
    /// [`importance`].
    pub fn importance(&self, options: &DriverOptions) -> Result<DriverImportance> {
        options.validate()?;
        mergeable(options)?;
        let (outcome, drivers) = self.names().split_first().expect("at least two columns");
        let asked = options.drivers.as_deref().unwrap_or(drivers);
        if *outcome != outcome_name(options.outcome)
            || self.missing() != options.missing
            || asked != drivers
        {
            return Err(Error::InvalidArgument {
                field: "driver moments",
                value: format!("{:?} ({})", self.names(), self.missing()),
                expected: "options with the outcome, missing handling and drivers the moments were built for",
            });
        }
        let correlation = self.correlation()?;
        let mut result = importance::point(&correlation, options)?;
        result.outcome = Some(options.outcome);
        Ok(result)
    }
}

/// Checks that `options` describe an analysis moments can merge.
fn mergeable(options: &DriverOptions) -> Result<()> {
    if options.spearman {
        return Err(Error::InvalidArgument {
            field: "spearman",
            value: "true".into(),
            expected: "Pearson correlations: ranks need every row at once and do not merge",
        });
    }
    if options.replicates > 0 {
        return Err(Error::InvalidArgument {
            field: "replicates",
            value: options.replicates.to_string(),
            expected: "0: bootstrap intervals resample rows, which moments do not keep",
        });
    }
    Ok(())
}

// Hooks for the priority quadrant (`crate::priority`), which analyses a subset of the rows and
// draws importance and performance jointly from the same resamples.

pub(crate) use bootstrap::replicate_seed;

/// The outcome column of `table` and its name in correlation matrices.
pub(crate) fn outcome_column(table: &Table, outcome: Outcome) -> (String, Vec<f64>) {
    (outcome_name(outcome), outcome.values(table))
}

/// [`drivers`] on given columns (the outcome first), e.g. gathered from a subset of the rows.
pub(crate) fn analyse_columns(
    columns: &[(&str, &[f64])],
    weights: Option<&[f64]>,
    options: &DriverOptions,
) -> Result<DriverImportance> {
    options.validate()?;
    moments::check_columns(columns, weights)?;
    analyse(columns, weights, options)
}

/// Calls `f` with a function giving the raw importances of `columns` (the outcome first) with
/// the rows reweighted by ω (a resample's wᵢ·cᵢ) for replicate `b` (which seeds a sampled
/// Shapley estimate as the bootstrap does); `None` when the resample gives no result.
pub(crate) fn with_reweighted<T>(
    columns: &[(&str, &[f64])],
    weights: Option<&[f64]>,
    options: &DriverOptions,
    f: impl FnOnce(&(dyn Fn(&[f64], u64) -> Option<Vec<f64>> + Sync)) -> T,
) -> T {
    let prepared = Prepared::new(columns, weights, options);
    let one = |omega: &[f64], b: u64| -> Option<Vec<f64>> {
        let correlation = prepared.correlation(Some(omega), 1).ok()?;
        let model = importance::Model::fit(&correlation).ok()?;
        let opts = DriverOptions {
            seed: replicate_seed(options.seed ^ 0x5EED, b),
            ..options.clone()
        };
        importance::raw(&model, &correlation, &opts, 1)
            .ok()
            .map(|(v, _)| v)
    };
    f(&one)
}
