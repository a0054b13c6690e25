//! Prioritization (改善优先排序, DESIGN §1): driver importance against performance.
//!
//! Each driver's importance (its share of the importance measure, from [`drivers`](crate::drivers))
//! is set against its performance (the mean rating, or the top-box share), with an interval and,
//! against a reference (an industry target, a competitor, an earlier period), the gap and its
//! test. The two axes, cut at the drivers' mean, median or a given value, split the drivers into
//! four quadrants ([`Quadrant`]): **improve now** (立即改善), **exceed** (超越自我),
//! **maintain** (维持现状), **low priority** (低优先级). With bootstrap replicates, importance
//! and performance are redrawn from the same resamples of respondents, so each driver gets its
//! probability of landing in each quadrant. The drivers below their reference form a ranked
//! action list (汇整满意度低于行业/本品设定标准的关键体验并排序).
//!
//! [`journey_priorities`] does the same for journey nodes (scenes, touchpoints) rated as
//! drivers, rolled up along the journey.

use std::collections::{HashMap, HashSet};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::drivers::{
    DriverImportance, DriverMethod, DriverOptions, analyse_columns, outcome_column, replicate_seed,
    with_reweighted,
};
use crate::fdr::benjamini_hochberg;
use crate::journey::{Journey, NodeKind};
use crate::level::{p_value_two_sided, z_critical};
use crate::table::Table;
use crate::{Error, Result};

/// How a driver's performance is measured. Ratings that are NaN (not rated) are excluded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Performance {
    /// The mean rating.
    #[default]
    Mean,
    /// The top-box share: the fraction of ratings ≥ `min` (e.g. 9 on a 0–10 scale, 5 on 1–5).
    TopBox {
        /// The lowest rating in the top box.
        min: f64,
    },
}

/// What performance is compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// An industry target (行业标准), the same for every driver (a mean rating, or a fraction
    /// for [`Performance::TopBox`]).
    Target(f64),
    /// Per-driver targets (本品设定标准); a driver not listed has no reference.
    Targets(Vec<(String, f64)>),
    /// The rows where `dimension` == `value`: a competitor brand, or an earlier period (add the
    /// period as a dimension with [`Table::period_dimension`]).
    Group {
        /// The dimension's name.
        dimension: String,
        /// The value of the reference rows.
        value: String,
    },
}

/// Where a quadrant axis is cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    /// The mean of the drivers' values.
    #[default]
    Mean,
    /// The median of the drivers' values.
    Median,
    /// A given value (a share for the importance axis, a rating or fraction for performance).
    Value(f64),
}

/// The quadrant of the importance × performance matrix.
///
/// Serialized in snake case: `"improve_now"`, `"exceed"`, `"maintain"`, `"low_priority"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// 立即改善: important, performing badly.
    ImproveNow,
    /// 超越自我 (exceed / keep raising): important, performing well.
    Exceed,
    /// 维持现状: less important, performing well.
    Maintain,
    /// 低优先级: less important, performing badly.
    LowPriority,
}

impl Quadrant {
    /// The quadrants in the order of [`PriorityRow::probabilities`].
    pub const ALL: [Quadrant; 4] = [
        Quadrant::ImproveNow,
        Quadrant::Exceed,
        Quadrant::Maintain,
        Quadrant::LowPriority,
    ];

    /// The name: `improve_now`, `exceed`, `maintain` or `low_priority`.
    pub fn name(self) -> &'static str {
        match self {
            Quadrant::ImproveNow => "improve_now",
            Quadrant::Exceed => "exceed",
            Quadrant::Maintain => "maintain",
            Quadrant::LowPriority => "low_priority",
        }
    }

    /// The quadrant of an important or not, performing well or not driver.
    pub fn of(important: bool, performing_well: bool) -> Quadrant {
        match (important, performing_well) {
            (true, false) => Quadrant::ImproveNow,
            (true, true) => Quadrant::Exceed,
            (false, true) => Quadrant::Maintain,
            (false, false) => Quadrant::LowPriority,
        }
    }

    /// Position in [`Quadrant::ALL`].
    fn index(self) -> usize {
        self as usize
    }
}

/// Options of [`priorities`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriorityOptions {
    /// The importance analysis: drivers, outcome, method, missing handling… With
    /// `replicates` > 0, importance and performance are bootstrapped jointly (seeded by `seed`);
    /// `level` is that of the importance intervals.
    pub importance: DriverOptions,
    /// Analyse only the rows where this dimension has this value (e.g. `("brand", "Own")`).
    /// Without it, every row except those of a [`Reference::Group`].
    pub focus: Option<(String, String)>,
    /// How performance is measured (default: mean rating).
    pub performance: Performance,
    /// What performance is compared with (default: nothing).
    pub reference: Option<Reference>,
    /// Cut of the importance axis, on the shares (default: their mean).
    pub importance_threshold: Threshold,
    /// Cut of the performance axis (default: the drivers' mean).
    pub performance_threshold: Threshold,
    /// Confidence level of the performance intervals (default 0.95).
    pub level: f64,
    /// False discovery rate of the gap tests, Benjamini–Hochberg over the drivers (default 0.05).
    pub rate: f64,
}

impl Default for PriorityOptions {
    fn default() -> Self {
        PriorityOptions {
            importance: DriverOptions::default(),
            focus: None,
            performance: Performance::Mean,
            reference: None,
            importance_threshold: Threshold::Mean,
            performance_threshold: Threshold::Mean,
            level: 0.95,
            rate: 0.05,
        }
    }
}

impl PriorityOptions {
    /// Checks the options' values.
    ///
    /// # Errors
    /// [`Error::InvalidLevel`]; [`Error::InvalidArgument`] for a rate outside (0, 1], a
    /// threshold value, top-box minimum or target that is not finite; the importance options'
    /// errors ([`DriverOptions::validate`]).
    pub fn validate(&self) -> Result<()> {
        self.importance.validate()?;
        z_critical(self.level)?;
        if !(self.rate > 0.0 && self.rate <= 1.0) {
            return Err(invalid(
                "rate",
                self.rate,
                "a false discovery rate in (0, 1]",
            ));
        }
        for (field, t) in [
            ("importance_threshold", self.importance_threshold),
            ("performance_threshold", self.performance_threshold),
        ] {
            if let Threshold::Value(v) = t
                && !v.is_finite()
            {
                return Err(invalid(field, v, "a finite cut"));
            }
        }
        if let Performance::TopBox { min } = self.performance
            && !min.is_finite()
        {
            return Err(invalid("performance", min, "a finite top-box minimum"));
        }
        let targets: Vec<f64> = match &self.reference {
            Some(Reference::Target(t)) => vec![*t],
            Some(Reference::Targets(ts)) => ts.iter().map(|t| t.1).collect(),
            _ => Vec::new(),
        };
        if let Some(&t) = targets.iter().find(|t| !t.is_finite()) {
            return Err(invalid("reference", t, "finite targets"));
        }
        Ok(())
    }
}

fn invalid(field: &'static str, value: f64, expected: &'static str) -> Error {
    Error::InvalidArgument {
        field,
        value: value.to_string(),
        expected,
    }
}

/// One driver of the priority matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityRow {
    /// The driver.
    pub driver: String,
    /// Raw importance (as [`DriverRow::importance`](crate::DriverRow::importance)).
    pub importance: f64,
    /// Importance as a fraction of the total (the quadrant's x axis).
    pub share: f64,
    /// Sign of the driver's coefficient in the full model (−1, 0 or 1).
    pub sign: f64,
    /// Lower bound of the bootstrap percentile interval of the raw `importance` (at
    /// `importance.level`), when bootstrapped.
    pub importance_low: Option<f64>,
    /// Upper bound, when bootstrapped.
    pub importance_high: Option<f64>,
    /// Mean rating, or top-box share (the quadrant's y axis).
    pub performance: f64,
    /// Lower bound of the performance interval (t for a mean, Wilson for a share).
    pub performance_low: f64,
    /// Upper bound of the performance interval.
    pub performance_high: f64,
    /// Ratings given (analysed rows; NaN = not rated, excluded).
    pub n: u64,
    /// The reference's value (`None` without a reference for this driver, or when the reference
    /// group has no rating of it).
    pub reference: Option<f64>,
    /// performance − reference (negative = below the reference).
    pub gap: Option<f64>,
    /// Two-sided p-value of the gap (`None` when the test is undefined, e.g. one rating).
    pub gap_p: Option<f64>,
    /// Benjamini–Hochberg q-value over the drivers' gaps.
    pub gap_q: Option<f64>,
    /// q-value below the rate.
    pub gap_significant: Option<bool>,
    /// Importance (share ≥ its cut) × performance (≥ its cut).
    pub quadrant: Quadrant,
    /// Probability of each quadrant over the bootstrap replicates, in the order of
    /// [`Quadrant::ALL`] (improve now, exceed, maintain, low priority); sums to 1.
    pub probabilities: Option<[f64; 4]>,
    /// Rank in the action list (1 = first to fix): drivers below their reference (without a
    /// reference, below the performance cut) by share × |gap|, largest first.
    pub action_rank: Option<u32>,
}

/// The result of [`priorities`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priorities {
    /// One row per driver, in the order of the importance analysis.
    pub rows: Vec<PriorityRow>,
    /// The cut of the importance axis (a share).
    pub importance_cut: f64,
    /// The cut of the performance axis.
    pub performance_cut: f64,
    /// The importance analysis of the analysed rows (with the joint bootstrap's intervals when
    /// bootstrapped).
    pub importance: DriverImportance,
    /// The options used.
    pub options: PriorityOptions,
}

/// A journey node's importance and performance (see [`journey_priorities`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyPriority {
    /// Stage (阶段), scene (场景) or touchpoint (触点).
    pub kind: NodeKind,
    /// The node's id.
    pub id: String,
    /// The node's name.
    pub name: String,
    /// The parent's id (`None` for a stage).
    pub parent: Option<String>,
    /// Raw importance: its own column's, or the sum over its children.
    pub importance: Option<f64>,
    /// Share of importance: its own column's, or the sum over its children.
    pub share: Option<f64>,
    /// Performance: its own column's, or over all the ratings of its descendants' columns.
    pub performance: Option<f64>,
    /// Quadrant among the nodes of the same kind (cuts as in the options).
    pub quadrant: Option<Quadrant>,
}

// ---------------------------------------------------------------------------------------------
// Sample statistics shared by the tests of this module.
// ---------------------------------------------------------------------------------------------

/// Weighted summary of one sample: the ratings, or top-box indicators, of one driver.
///
/// With weights wᵢ: x̄ = Σwx/Σw, effective size n_eff = (Σw)²/Σw² (Kish 1965), variance
/// s² = [Σw(x − x̄)²/Σw]·n_eff/(n_eff − 1); without weights these are the usual x̄, n and
/// s² = Σ(x − x̄)²/(n − 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sample {
    /// Values counted.
    pub(crate) n: u64,
    /// Effective sample size.
    pub(crate) n_eff: f64,
    /// Weighted mean.
    pub(crate) mean: f64,
    /// Variance (NaN with n_eff ≤ 1).
    pub(crate) var: f64,
}

impl Sample {
    /// The sample of `values` (NaN skipped) with optional weights (zero-weight values skipped).
    pub(crate) fn new(values: impl Iterator<Item = (f64, f64)> + Clone) -> Option<Sample> {
        let (mut n, mut sw, mut sw2, mut swx) = (0u64, 0.0, 0.0, 0.0);
        for (x, w) in values.clone() {
            if x.is_nan() || w <= 0.0 {
                continue;
            }
            n += 1;
            sw += w;
            sw2 += w * w;
            swx += w * x;
        }
        if n == 0 {
            return None;
        }
        let mean = swx / sw;
        let ss: f64 = values
            .filter(|&(x, w)| !x.is_nan() && w > 0.0)
            .map(|(x, w)| w * (x - mean) * (x - mean))
            .sum();
        let n_eff = sw * sw / sw2;
        let var = if n_eff > 1.0 {
            ss / sw * n_eff / (n_eff - 1.0)
        } else {
            f64::NAN
        };
        Some(Sample {
            n,
            n_eff,
            mean,
            var,
        })
    }
}

/// t_{df, (1 + level)/2}; NaN when df is not positive.
fn t_quantile(level: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(0.5 + level / 2.0))
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom (NaN when undefined).
fn t_p_value(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return f64::NAN;
    }
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| 2.0 * d.sf(t.abs()))
}

/// The t interval of a mean: x̄ ± t_{n−1, 1−α/2}·s/√n (n the effective size).
pub(crate) fn mean_interval(s: &Sample, level: f64) -> (f64, f64) {
    let half = t_quantile(level, s.n_eff - 1.0) * (s.var / s.n_eff).sqrt();
    (s.mean - half, s.mean + half)
}

/// The Wilson (1927) score interval of a proportion p̂ out of n:
/// (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n), z = z_{1−α/2}.
pub(crate) fn wilson(p: f64, n: f64, level: f64) -> Result<(f64, f64)> {
    let z = z_critical(level)?;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Ok(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Welch's (1947) two-sided p-value of x̄₁ − x̄₂: t = (x̄₁ − x̄₂)/√(s₁²/n₁ + s₂²/n₂) with
/// Welch–Satterthwaite df = (a + b)²/(a²/(n₁ − 1) + b²/(n₂ − 1)), a = s₁²/n₁, b = s₂²/n₂.
pub(crate) fn welch_p(x: &Sample, y: &Sample) -> f64 {
    let (a, b) = (x.var / x.n_eff, y.var / y.n_eff);
    let df = (a + b).powi(2) / (a * a / (x.n_eff - 1.0) + b * b / (y.n_eff - 1.0));
    t_p_value((x.mean - y.mean) / (a + b).sqrt(), df)
}

/// One-sample t-test of x̄ against μ₀: t = (x̄ − μ₀)/(s/√n), n − 1 df.
pub(crate) fn one_sample_t_p(x: &Sample, target: f64) -> f64 {
    t_p_value((x.mean - target) / (x.var / x.n_eff).sqrt(), x.n_eff - 1.0)
}

/// Two-proportion z-test with the pooled proportion p̄ = (n₁p̂₁ + n₂p̂₂)/(n₁ + n₂):
/// z = (p̂₁ − p̂₂)/√(p̄(1 − p̄)(1/n₁ + 1/n₂)).
pub(crate) fn two_proportion_p(x: &Sample, y: &Sample) -> f64 {
    let pooled = (x.n_eff * x.mean + y.n_eff * y.mean) / (x.n_eff + y.n_eff);
    let se = (pooled * (1.0 - pooled) * (1.0 / x.n_eff + 1.0 / y.n_eff)).sqrt();
    z_p((x.mean - y.mean) / se)
}

/// One-sample z-test of p̂ against p₀: z = (p̂ − p₀)/√(p₀(1 − p₀)/n).
pub(crate) fn one_proportion_p(x: &Sample, target: f64) -> f64 {
    z_p((x.mean - target) / (target * (1.0 - target) / x.n_eff).sqrt())
}

fn z_p(z: f64) -> f64 {
    if z.is_finite() {
        p_value_two_sided(z)
    } else {
        f64::NAN
    }
}

// ---------------------------------------------------------------------------------------------
// Priorities
// ---------------------------------------------------------------------------------------------

/// The cut of `values` (NaN ignored) by `threshold`.
fn cut(values: &[f64], threshold: Threshold) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    match threshold {
        Threshold::Value(c) => c,
        _ if v.is_empty() => f64::NAN,
        Threshold::Mean => v.iter().sum::<f64>() / v.len() as f64,
        Threshold::Median => {
            v.sort_unstable_by(f64::total_cmp);
            let m = v.len();
            if m % 2 == 1 {
                v[m / 2]
            } else {
                (v[m / 2 - 1] + v[m / 2]) / 2.0
            }
        }
    }
}

/// Shares of raw importances as [`DriverRow::share`](crate::DriverRow::share): raw / Σ raw, or
/// raw / Σ|raw| for the signed `beta` and `r`.
fn shares(raw: &[f64], method: DriverMethod) -> Vec<f64> {
    let total: f64 = if matches!(method, DriverMethod::Beta | DriverMethod::R) {
        raw.iter().map(|v| v.abs()).sum()
    } else {
        raw.iter().sum()
    };
    raw.iter()
        .map(|v| if total != 0.0 { v / total } else { 0.0 })
        .collect()
}

/// The value a rating contributes under `performance`: the rating or its top-box indicator.
fn measure(performance: Performance, x: f64) -> f64 {
    match performance {
        Performance::Mean => x,
        Performance::TopBox { .. } if x.is_nan() => f64::NAN,
        Performance::TopBox { min } => f64::from(u8::from(x >= min)),
    }
}

/// The rows analysed and the reference group's rows.
struct Rows {
    analysed: Vec<usize>,
    reference: Option<Vec<usize>>,
}

fn select_rows(table: &Table, options: &PriorityOptions) -> Result<Rows> {
    let rows_where = |dimension: &str, value: &str| -> Result<Vec<usize>> {
        let d = table.dimension(dimension)?;
        let code = d.code_of(value)?;
        Ok((0..table.len()).filter(|&i| d.codes()[i] == code).collect())
    };
    let reference = match &options.reference {
        Some(Reference::Group { dimension, value }) => Some(rows_where(dimension, value)?),
        _ => None,
    };
    let analysed = match (&options.focus, &reference) {
        (Some((dimension, value)), _) => rows_where(dimension, value)?,
        (None, Some(r)) => {
            let taken: HashSet<usize> = r.iter().copied().collect();
            (0..table.len()).filter(|i| !taken.contains(i)).collect()
        }
        (None, None) => (0..table.len()).collect(),
    };
    Ok(Rows {
        analysed,
        reference,
    })
}

/// The drivers the importance options name (checked), or every driver of the table.
fn chosen_names(table: &Table, options: &DriverOptions) -> Result<Vec<String>> {
    let names: Vec<String> = match &options.drivers {
        Some(names) => {
            let mut seen = HashSet::new();
            for name in names {
                table.driver(name)?;
                if !seen.insert(name.as_str()) {
                    return Err(Error::InvalidArgument {
                        field: "drivers",
                        value: format!("{name:?} twice"),
                        expected: "each driver named once",
                    });
                }
            }
            names.clone()
        }
        None => table
            .drivers()
            .iter()
            .map(|d| d.name().to_owned())
            .collect(),
    };
    if names.is_empty() {
        return Err(Error::InvalidArgument {
            field: "drivers",
            value: "none".into(),
            expected: "at least one driver (add ratings with Table::with_driver)",
        });
    }
    Ok(names)
}

/// Per driver: the reference value and the gap's p-value, given the driver's sample `own`.
fn reference_of(
    name: &str,
    own: &Sample,
    options: &PriorityOptions,
    reference_sample: Option<Option<Sample>>,
) -> (Option<f64>, Option<f64>) {
    let mean = options.performance == Performance::Mean;
    let target = match &options.reference {
        None => return (None, None),
        Some(Reference::Target(t)) => Some(*t),
        Some(Reference::Targets(ts)) => match ts.iter().find(|t| t.0 == name) {
            Some(t) => Some(t.1),
            None => return (None, None),
        },
        Some(Reference::Group { .. }) => None,
    };
    let p = |p: f64| (!p.is_nan()).then_some(p);
    match (target, reference_sample.flatten()) {
        (Some(t), _) => {
            let pv = if mean {
                one_sample_t_p(own, t)
            } else {
                one_proportion_p(own, t)
            };
            (Some(t), p(pv))
        }
        (None, Some(r)) => {
            let pv = if mean {
                welch_p(own, &r)
            } else {
                two_proportion_p(own, &r)
            };
            (Some(r.mean), p(pv))
        }
        (None, None) => (None, None),
    }
}

/// The priority matrix (改善优先排序, DESIGN §1): importance against performance per driver,
/// the quadrants, the gaps to a reference and the ranked action list.
///
/// # Method
/// - **Rows.** With `focus = (d, v)` the rows where dimension d is v; otherwise every row except
///   those of a [`Reference::Group`] (every row without one).
/// - **Importance.** [`drivers`](crate::drivers) on those rows (`options.importance`); the
///   quadrant uses the share.
/// - **Performance** of driver j over its nᵢ ratings (NaN excluded; with table weights,
///   weighted and with Kish's effective size n_eff = (Σw)²/Σw²): the mean x̄ with the t
///   interval x̄ ± t_{n−1, 1−α/2}·s/√n, or for [`Performance::TopBox`] the share p̂ of ratings
///   ≥ min with the Wilson (1927) score interval
///   (p̂ + z²/2n ± z√(p̂(1 − p̂)/n + z²/4n²))/(1 + z²/n).
/// - **Gap** = performance − reference. Against a target: one-sample t-test (mean) or z-test
///   z = (p̂ − p₀)/√(p₀(1 − p₀)/n) (top box). Against a group: Welch's (1947) t-test with
///   Welch–Satterthwaite df (mean) or the pooled two-proportion z-test (top box). The p-values
///   of all drivers with a gap are adjusted by Benjamini & Hochberg (1995); `gap_significant`
///   is q < `rate`. A reference group with no rating of a driver gives that driver no gap.
/// - **Quadrant.** Important: share ≥ the importance cut; performing well: performance ≥ the
///   performance cut (not the gap: the gap to a reference feeds the action list). Cuts are the
///   mean or median of the drivers' values, or given values. See [`Quadrant`].
/// - **Probabilities.** With `importance.replicates` = B > 0: each replicate resamples the
///   analysed rows (multinomial counts cᵢ, weights wᵢcᵢ, seeded per replicate as the driver
///   bootstrap), recomputes the importance shares *and* the performances on that resample,
///   recomputes mean or median cuts, and assigns each driver a quadrant; the probabilities are
///   the fractions of the replicates that gave a result. The same draws give percentile bounds
///   of the raw importance (Efron & Tibshirani 1993), stored in the rows and in `importance`.
///   Resampling every analysed respondent (not only the complete rows) keeps the performance
///   draws honest; the importance bounds can hence differ slightly from those of `drivers`.
/// - **Action list.** Drivers with gap < 0 (without any reference: performance below the
///   performance cut, gap taken to that cut) ranked by share × |gap|, largest first.
///
/// # Errors
/// [`Error::UnknownColumn`] for a driver or dimension the table lacks, or a target naming a
/// driver not analysed; [`Error::UnknownValue`] for a focus or reference value the dimension
/// lacks; the options' errors ([`PriorityOptions::validate`]); the errors of
/// [`drivers`](crate::drivers) on the analysed rows; [`Error::InvalidArgument`] when no
/// bootstrap resample gives a result.
///
/// # Examples
/// ```
/// use nps_core::{PriorityOptions, Quadrant, Reference, Table, priorities};
/// let scores = [10.0, 9.0, 3.0, 8.0, 6.0, 10.0, 2.0, 7.0, 9.0, 5.0];
/// let table = Table::new(&scores)?
///     .with_driver("speed", vec![5.0, 4.0, 2.0, 4.0, 3.0, 5.0, 1.0, 3.0, 4.0, 3.0])?
///     .with_driver("price", vec![3.0, 4.0, 2.0, 3.0, 2.0, 4.0, 3.0, 3.0, 5.0, 1.0])?;
/// let options = PriorityOptions {
///     reference: Some(Reference::Target(3.5)),
///     ..PriorityOptions::default()
/// };
/// let result = priorities(&table, &options)?;
/// let speed = &result.rows[0];
/// assert!((speed.performance - 3.4).abs() < 1e-12); // mean rating
/// assert!((speed.gap.unwrap() - (-0.1)).abs() < 1e-12); // below the target
/// assert!(speed.share > result.importance_cut); // speed matters more than price
/// assert_eq!(speed.quadrant, Quadrant::Exceed); // and performs above the mean of the two (3.2)
/// let price = &result.rows[1]; // mean 3.0: 0.5 below the target, less important
/// assert_eq!(price.quadrant, Quadrant::LowPriority);
/// // Both are below the target; share × |gap| puts price first to fix.
/// assert!(price.share * 0.5 > speed.share * 0.1);
/// assert_eq!((price.action_rank, speed.action_rank), (Some(1), Some(2)));
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn priorities(table: &Table, options: &PriorityOptions) -> Result<Priorities> {
    options.validate()?;
    let names = chosen_names(table, &options.importance)?;
    if let Some(Reference::Targets(ts)) = &options.reference
        && let Some(t) = ts.iter().find(|t| !names.contains(&t.0))
    {
        return Err(Error::UnknownColumn {
            kind: "driver (target)",
            name: t.0.clone(),
            available: names.join(", "),
        });
    }
    let rows = select_rows(table, options)?;
    let ratings: Vec<&[f64]> = names
        .iter()
        .map(|n| table.driver(n).map(|d| d.ratings()))
        .collect::<Result<_>>()?;

    // Gather the analysed rows.
    let idx = &rows.analysed;
    let gather = |col: &[f64]| -> Vec<f64> { idx.iter().map(|&i| col[i]).collect() };
    let (outcome_name, outcome) = outcome_column(table, options.importance.outcome);
    let y = gather(&outcome);
    let x: Vec<Vec<f64>> = ratings.iter().map(|r| gather(r)).collect();
    let w: Option<Vec<f64>> = table.weights().map(gather);
    let mut columns: Vec<(&str, &[f64])> = vec![(outcome_name.as_str(), &y)];
    columns.extend(
        names
            .iter()
            .map(String::as_str)
            .zip(x.iter().map(Vec::as_slice)),
    );
    let point_options = DriverOptions {
        drivers: Some(names.clone()),
        replicates: 0,
        ..options.importance.clone()
    };
    let mut importance = analyse_columns(&columns, w.as_deref(), &point_options)?;
    importance.outcome = Some(options.importance.outcome);

    // Performance and gaps.
    let weight = |i: usize| table.weights().map_or(1.0, |w| w[i]);
    let sample_of = |r: &[f64], on: &[usize]| {
        Sample::new(
            on.iter()
                .map(|&i| (measure(options.performance, r[i]), weight(i))),
        )
    };
    let mut perf = Vec::with_capacity(names.len());
    for (name, r) in names.iter().zip(&ratings) {
        let own = sample_of(r, idx).ok_or_else(|| Error::InvalidDriver {
            driver: name.clone(),
            problem: "has no rating in the analysed rows".into(),
        })?;
        let reference_sample = rows.reference.as_ref().map(|on| sample_of(r, on));
        let (reference, p) = reference_of(name, &own, options, reference_sample);
        let (low, high) = match options.performance {
            Performance::Mean => mean_interval(&own, options.level),
            Performance::TopBox { .. } => wilson(own.mean, own.n_eff, options.level)?,
        };
        perf.push((own, low, high, reference, p));
    }
    let share: Vec<f64> = importance.rows.iter().map(|r| r.share).collect();
    let performance: Vec<f64> = perf.iter().map(|p| p.0.mean).collect();
    let importance_cut = cut(&share, options.importance_threshold);
    let performance_cut = cut(&performance, options.performance_threshold);
    let p_values: Vec<f64> = perf.iter().map(|p| p.4.unwrap_or(f64::NAN)).collect();
    let q_values = benjamini_hochberg(&p_values);

    // Joint bootstrap.
    let draws = if options.importance.replicates > 0 {
        Some(joint_draws(
            &columns,
            w.as_deref(),
            &x,
            &point_options,
            options,
        )?)
    } else {
        None
    };

    let mut out: Vec<PriorityRow> = Vec::with_capacity(names.len());
    for (j, row) in importance.rows.iter_mut().enumerate() {
        let (own, low, high, reference, p) = perf[j];
        let gap = reference.map(|r| own.mean - r);
        let (mut importance_low, mut importance_high, mut probabilities) = (None, None, None);
        if let Some(d) = &draws {
            importance_low = Some(d.low[j]);
            importance_high = Some(d.high[j]);
            probabilities = Some(d.probabilities[j]);
            row.low = importance_low;
            row.high = importance_high;
            row.includes_zero = Some(d.low[j] <= 0.0 && 0.0 <= d.high[j]);
        }
        out.push(PriorityRow {
            driver: row.driver.clone(),
            importance: row.importance,
            share: row.share,
            sign: f64::from(row.sign),
            importance_low,
            importance_high,
            performance: own.mean,
            performance_low: low,
            performance_high: high,
            n: own.n,
            reference,
            gap,
            gap_p: p,
            gap_q: p.map(|_| q_values[j]),
            gap_significant: p.map(|_| q_values[j] < options.rate),
            quadrant: Quadrant::of(row.share >= importance_cut, own.mean >= performance_cut),
            probabilities,
            action_rank: None,
        });
    }
    if let Some(d) = &draws {
        importance.replicates = d.replicates;
        importance.level = Some(options.importance.level);
    }
    rank_actions(&mut out, options.reference.is_some(), performance_cut);
    Ok(Priorities {
        rows: out,
        importance_cut,
        performance_cut,
        importance,
        options: options.clone(),
    })
}

/// Sets `action_rank`: drivers below their reference (or the cut without any reference) by
/// share × |gap| descending; ties keep the drivers' order.
fn rank_actions(rows: &mut [PriorityRow], has_reference: bool, performance_cut: f64) {
    let mut below: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(j, r)| {
            let gap = if has_reference {
                r.gap?
            } else {
                r.performance - performance_cut
            };
            (gap < 0.0).then_some((j, r.share * gap.abs()))
        })
        .collect();
    below.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (rank, (j, _)) in below.into_iter().enumerate() {
        rows[j].action_rank = Some(rank as u32 + 1);
    }
}

/// What the joint bootstrap gives per driver.
struct Draws {
    low: Vec<f64>,
    high: Vec<f64>,
    probabilities: Vec<[f64; 4]>,
    replicates: u32,
}

/// Joint bootstrap of importance and performance over the gathered rows (see [`priorities`]).
fn joint_draws(
    columns: &[(&str, &[f64])],
    weights: Option<&[f64]>,
    x: &[Vec<f64>],
    driver_options: &DriverOptions,
    options: &PriorityOptions,
) -> Result<Draws> {
    let n = columns[0].1.len();
    let eligible: Vec<usize> = (0..n)
        .filter(|&i| weights.is_none_or(|w| w[i] > 0.0))
        .collect();
    let replicates = options.importance.replicates as usize;
    let p = x.len();
    // One replicate: (raw importances, quadrant index per driver).
    let draws: Vec<Option<(Vec<f64>, Vec<usize>)>> =
        with_reweighted(columns, weights, driver_options, |raw_of| {
            let one = |b: usize, omega: &mut Vec<f64>| -> Option<(Vec<f64>, Vec<usize>)> {
                let mut rng = StdRng::seed_from_u64(replicate_seed(driver_options.seed, b as u64));
                omega.clear();
                omega.resize(n, 0.0);
                for _ in 0..eligible.len() {
                    let i = eligible[rng.random_range(0..eligible.len())];
                    omega[i] += weights.map_or(1.0, |w| w[i]);
                }
                let raw = raw_of(omega, b as u64)?;
                let share = shares(&raw, driver_options.method);
                let performance: Vec<f64> = x
                    .iter()
                    .map(|col| {
                        let (mut sw, mut swx) = (0.0, 0.0);
                        for (&v, &o) in col.iter().zip(omega.iter()) {
                            let m = measure(options.performance, v);
                            if o > 0.0 && !m.is_nan() {
                                sw += o;
                                swx += o * m;
                            }
                        }
                        if sw > 0.0 { swx / sw } else { f64::NAN }
                    })
                    .collect();
                let icut = cut(&share, options.importance_threshold);
                let pcut = cut(&performance, options.performance_threshold);
                let quadrants = (0..p)
                    .map(|j| {
                        // A driver not rated in the resample performs at NaN: counted as not
                        // performing well.
                        Quadrant::of(share[j] >= icut, performance[j] >= pcut).index()
                    })
                    .collect();
                Some((raw, quadrants))
            };
            let run = |start: usize, end: usize| -> Vec<Option<(Vec<f64>, Vec<usize>)>> {
                let mut omega = Vec::new();
                (start..end).map(|b| one(b, &mut omega)).collect()
            };
            let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
            let workers = cores.min(replicates).max(1);
            let chunk = replicates.div_ceil(workers);
            if workers == 1 {
                run(0, replicates)
            } else {
                std::thread::scope(|s| {
                    let handles: Vec<_> = (0..workers)
                        .map(|k| {
                            let run = &run;
                            s.spawn(move || run(k * chunk, ((k + 1) * chunk).min(replicates)))
                        })
                        .collect();
                    handles
                        .into_iter()
                        .flat_map(|h| h.join().expect("a bootstrap replicate does not panic"))
                        .collect()
                })
            }
        });
    let good: Vec<(Vec<f64>, Vec<usize>)> = draws.into_iter().flatten().collect();
    if good.is_empty() {
        return Err(Error::InvalidArgument {
            field: "bootstrap",
            value: format!("no usable resample out of {replicates}"),
            expected: "resamples in which every driver varies: more rows, or fewer drivers",
        });
    }
    let b = good.len();
    let alpha = 1.0 - driver_options.level;
    let rank = |q: f64| ((b as f64 * q).ceil() as usize).clamp(1, b) - 1;
    let (lo_rank, hi_rank) = (rank(alpha / 2.0), rank(1.0 - alpha / 2.0));
    let mut low = Vec::with_capacity(p);
    let mut high = Vec::with_capacity(p);
    let mut probabilities = Vec::with_capacity(p);
    let mut column = vec![0.0; b];
    for j in 0..p {
        column.iter_mut().zip(&good).for_each(|(c, g)| *c = g.0[j]);
        column.sort_unstable_by(f64::total_cmp);
        low.push(column[lo_rank]);
        high.push(column[hi_rank]);
        let mut counts = [0usize; 4];
        for g in &good {
            counts[g.1[j]] += 1;
        }
        probabilities.push(counts.map(|c| c as f64 / b as f64));
    }
    Ok(Draws {
        low,
        high,
        probabilities,
        replicates: b as u32,
    })
}

// ---------------------------------------------------------------------------------------------
// Journey level
// ---------------------------------------------------------------------------------------------

/// The priority matrix along a customer journey (客户旅程): which scenes' and touchpoints'
/// satisfaction matters most to relationship NPS.
///
/// Driver columns of `table` whose names are ids of `journey`'s nodes are read as satisfaction
/// ratings of those nodes; all of them (restricted to `options.importance.drivers` when given)
/// are analysed together by [`priorities`] against the outcome (the relationship NPS score by
/// default). Then, in tree order ([`Journey::nodes`]):
/// - a node with its own column has that column's importance, share, performance and quadrant;
/// - a node without one has importance and share = the sums over its children that have a value
///   (a scene: its touchpoints; a stage: its scenes), performance over all the ratings of its
///   descendants' columns pooled (mean or top-box share, rows as in [`priorities`]), and a
///   quadrant among the rolled-up nodes of its kind, cut by the options' thresholds over those
///   nodes; `None` where no descendant has a column.
///
/// A scene and its touchpoints both rated enter the same model; their overlap splits the
/// importance between them (Shapley and Johnson split a near-duplicate's share).
///
/// # Errors
/// [`Error::UnknownColumn`] (kind "journey node driver") naming the ids looked for when no
/// driver column is a node of the journey; the errors of [`priorities`].
///
/// # Examples
/// ```
/// use nps_core::{Journey, PriorityOptions, Table, journey_priorities};
/// let journey = Journey::from_json(r#"{"stages": [{"id": "claim", "scenes": [
///     {"id": "report", "touchpoints": [{"id": "phone"}, {"id": "app"}]}]}]}"#)?;
/// let scores = [10.0, 9.0, 3.0, 8.0, 6.0, 10.0, 2.0, 7.0, 9.0, 5.0];
/// let table = Table::new(&scores)?
///     .with_driver("phone", vec![5.0, 4.0, 2.0, 4.0, 3.0, 5.0, 1.0, 3.0, 4.0, 3.0])?
///     .with_driver("app", vec![3.0, 4.0, 2.0, 3.0, 2.0, 4.0, 3.0, 3.0, 5.0, 1.0])?;
/// let rows = journey_priorities(&table, &journey, &PriorityOptions::default())?;
/// assert_eq!(rows.len(), 4); // claim, report, phone, app
/// assert!((rows[1].share.unwrap() - 1.0).abs() < 1e-12); // the scene holds every touchpoint
/// # Ok::<(), nps_core::Error>(())
/// ```
pub fn journey_priorities(
    table: &Table,
    journey: &Journey,
    options: &PriorityOptions,
) -> Result<Vec<JourneyPriority>> {
    let wanted: Vec<String> = match &options.importance.drivers {
        Some(names) => names.clone(),
        None => table
            .drivers()
            .iter()
            .map(|d| d.name().to_owned())
            .collect(),
    };
    let matched: Vec<String> = wanted
        .into_iter()
        .filter(|name| journey.node(name).is_some())
        .collect();
    if matched.is_empty() {
        let ids: Vec<&str> = journey
            .nodes()
            .iter()
            .filter(|n| n.kind != NodeKind::Stage)
            .map(|n| n.id.as_str())
            .collect();
        let available: Vec<&str> = table.drivers().iter().map(|d| d.name()).collect();
        return Err(Error::UnknownColumn {
            kind: "journey node driver",
            name: ids.join(", "),
            available: available.join(", "),
        });
    }
    let node_options = PriorityOptions {
        importance: DriverOptions {
            drivers: Some(matched.clone()),
            ..options.importance.clone()
        },
        ..options.clone()
    };
    let result = priorities(table, &node_options)?;
    let by_id: HashMap<&str, &PriorityRow> =
        result.rows.iter().map(|r| (r.driver.as_str(), r)).collect();
    let rows = select_rows(table, &node_options)?;
    let weight = |i: usize| table.weights().map_or(1.0, |w| w[i]);

    let nodes = journey.nodes();
    let mut out: Vec<JourneyPriority> = nodes
        .iter()
        .map(|n| {
            let own = by_id.get(n.id.as_str());
            JourneyPriority {
                kind: n.kind,
                id: n.id.clone(),
                name: n.name.clone(),
                parent: n.parent.clone(),
                importance: own.map(|r| r.importance),
                share: own.map(|r| r.share),
                performance: own.map(|r| r.performance),
                quadrant: own.map(|r| r.quadrant),
            }
        })
        .collect();
    // Roll up: scenes from touchpoints, then stages from scenes.
    let position: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    // Columns under each node (itself and its descendants with a column).
    let mut columns_under: Vec<Vec<&str>> = nodes
        .iter()
        .map(|n| {
            if by_id.contains_key(n.id.as_str()) {
                vec![n.id.as_str()]
            } else {
                Vec::new()
            }
        })
        .collect();
    for kind in [NodeKind::Touchpoint, NodeKind::Scene] {
        for (i, n) in nodes.iter().enumerate().filter(|(_, n)| n.kind == kind) {
            if let Some(parent) = n.parent.as_deref() {
                let p = position[parent];
                let under = columns_under[i].clone();
                columns_under[p].extend(under);
            }
        }
    }
    for kind in [NodeKind::Scene, NodeKind::Stage] {
        let mut rolled: Vec<usize> = Vec::new();
        for i in (0..nodes.len()).filter(|&i| nodes[i].kind == kind) {
            if out[i].share.is_some() {
                continue;
            }
            let children: Vec<usize> = (0..nodes.len())
                .filter(|&c| nodes[c].parent.as_deref() == Some(nodes[i].id.as_str()))
                .filter(|&c| out[c].share.is_some())
                .collect();
            if children.is_empty() {
                continue;
            }
            out[i].importance = Some(children.iter().filter_map(|&c| out[c].importance).sum());
            out[i].share = Some(children.iter().filter_map(|&c| out[c].share).sum());
            let mut pooled = Vec::new();
            for id in &columns_under[i] {
                let r = table.driver(id)?.ratings();
                pooled.extend(
                    rows.analysed
                        .iter()
                        .map(|&k| (measure(options.performance, r[k]), weight(k))),
                );
            }
            out[i].performance = Sample::new(pooled.into_iter()).map(|s| s.mean);
            rolled.push(i);
        }
        let shares: Vec<f64> = rolled
            .iter()
            .map(|&i| out[i].share.unwrap_or(f64::NAN))
            .collect();
        let perfs: Vec<f64> = rolled
            .iter()
            .map(|&i| out[i].performance.unwrap_or(f64::NAN))
            .collect();
        let (icut, pcut) = (
            cut(&shares, options.importance_threshold),
            cut(&perfs, options.performance_threshold),
        );
        for &i in &rolled {
            if let (Some(s), Some(p)) = (out[i].share, out[i].performance) {
                out[i].quadrant = Some(Quadrant::of(s >= icut, p >= pcut));
            }
        }
    }
    Ok(out)
}
