//! Periods and trends: NPS per period per group, each period against the previous one, and the
//! slope over periods, with the false discovery rate controlled across everything tested.
//!
//! Also the seed's rule (seed 000): when transactional NPS (场景NPS) rises while relationship
//! NPS (关系NPS) is flat, the experience structure has changed and an analytical (战略) study is
//! due ([`study_trigger`]).

use serde::{Deserialize, Serialize};

use crate::compare::{Comparison, adjusted, compare};
use crate::cube::Cube;
use crate::fdr::{Adjustment, benjamini_hochberg};
use crate::group::{GroupOptions, Key, Level};
use crate::interval::{Estimate, Method};
use crate::level::{p_value_two_sided, z_critical};
use crate::period::{Period, PeriodUnit};
use crate::table::Table;
use crate::tally::Tally;
use crate::{Error, Result};

/// Options of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendOptions {
    /// The period (default month).
    pub unit: PeriodUnit,
    /// Trailing window in periods: each point tallies this many periods ending at it (default 1).
    pub window: u32,
    /// The interval method of each point (default adjusted Wald).
    pub method: Method,
    /// The test of each change: `wald` or `adjusted_wald` (default).
    pub comparison: Method,
    /// The confidence level of intervals (default 0.95).
    pub level: f64,
    /// The false discovery rate for calling changes and slopes significant (default 0.05).
    pub rate: f64,
    /// Points with fewer answered responses are flagged `small` (default 30).
    pub min_n: u64,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            unit: PeriodUnit::Month,
            window: 1,
            method: Method::default(),
            comparison: Method::AdjustedWald,
            level: 0.95,
            rate: 0.05,
            min_n: crate::group::DEFAULT_MIN_N,
        }
    }
}

impl TrendOptions {
    fn validate(&self) -> Result<()> {
        self.group_options().validate()?;
        if self.window == 0 {
            return Err(Error::InvalidArgument {
                field: "window",
                value: "0".into(),
                expected: "a trailing window of at least 1 period",
            });
        }
        if !(self.rate > 0.0 && self.rate < 1.0) {
            return Err(Error::InvalidArgument {
                field: "rate",
                value: self.rate.to_string(),
                expected: "a false discovery rate strictly between 0 and 1",
            });
        }
        if !matches!(self.comparison, Method::Wald | Method::AdjustedWald) {
            return Err(Error::UnsupportedMethod {
                method: self.comparison.name(),
                operation: "comparing periods",
                expected: "wald or adjusted_wald",
            });
        }
        Ok(())
    }

    fn group_options(&self) -> GroupOptions {
        GroupOptions {
            method: self.method,
            level: self.level,
            min_n: self.min_n,
            margins: false,
        }
    }
}

/// A test of a change, with its false-discovery-adjusted verdict.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// This point against the previous window (difference = this − previous).
    pub comparison: Comparison,
    /// Benjamini–Hochberg q-value over every change of the trend.
    pub q_value: f64,
    /// q-value below the rate.
    pub significant: bool,
}

/// One period of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The period (the last of the window).
    pub period: Period,
    /// Its label ("2024-Q3").
    pub label: String,
    /// The tally of the window ending at this period.
    pub tally: Tally,
    /// The estimate; `None` in a gap.
    pub estimate: Option<Estimate>,
    /// No answered response in the window: a gap, not an error.
    pub gap: bool,
    /// Fewer answered responses than `min_n`.
    pub small: bool,
    /// Against the previous window (the one ending `window` periods earlier, so the two do not
    /// overlap); `None` when either is a gap or there is none.
    pub change: Option<Change>,
}

/// Whether a series moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The slope is significantly positive.
    Rising,
    /// The slope is significantly negative.
    Falling,
    /// Not significantly different from zero.
    Flat,
}

impl Direction {
    /// "rising", "falling" or "flat".
    pub fn name(self) -> &'static str {
        match self {
            Direction::Rising => "rising",
            Direction::Falling => "falling",
            Direction::Flat => "flat",
        }
    }
}

/// The weighted least-squares slope of NPS over periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Slope {
    /// Points per period.
    pub per_period: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower bound of its interval.
    pub low: f64,
    /// Upper bound of its interval.
    pub high: f64,
    /// Two-sided p-value of H₀: no trend.
    pub p_value: f64,
    /// Benjamini–Hochberg q-value over every slope of the trend.
    pub q_value: f64,
    /// Rising or falling when the q-value is below the rate, else flat.
    pub direction: Direction,
    /// Periods used (those with answers).
    pub periods: usize,
}

/// One group's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The group's value on each key.
    pub levels: Vec<Level>,
    /// One point per period from the first to the last period of the table.
    pub points: Vec<Point>,
    /// The slope; `None` with fewer than two periods with answers.
    pub slope: Option<Slope>,
}

/// The result of [`trend`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The keys' names.
    pub keys: Vec<String>,
    /// One series per group with responses.
    pub series: Vec<Series>,
    /// How the period-to-period changes were adjusted for multiplicity.
    pub changes_adjustment: Adjustment,
    /// How the slopes were adjusted for multiplicity.
    pub slopes_adjustment: Adjustment,
    /// The options used.
    pub options: TrendOptions,
}

/// NPS per period for every group of `keys` (none: the whole table), each period against the
/// previous one and the slope over periods.
///
/// Periods run from the first to the last date of the table; a group's period without answers
/// is a gap. All changes form one family and all slopes another, each adjusted by
/// Benjamini–Hochberg ([`benjamini_hochberg`]).
///
/// # Slope
/// Weighted least squares of the NPS yₜ on the period index t with weights wₜ = 1/vₜ, where vₜ
/// is the variance of the adjusted-Wald estimate (Rocks 2016: never zero, so a period where
/// every answer is a promoter does not get infinite weight): b = Σw(t−t̄)(y−ȳ)/Σw(t−t̄)²,
/// SE(b) = √(φ/Σw(t−t̄)²) with φ = max(1, Σw(y−ŷ)²/(k−2)) for k > 2 periods, the usual
/// inflation when periods vary more than sampling noise allows (otherwise a real but noisy
/// period-to-period wobble would pass for a trend). The slope uses single periods whatever the
/// window.
///
/// # Errors
/// [`Error::UnknownColumn`] for an unknown key or a table without dates;
/// [`Error::InvalidArgument`] for a window of 0 or a rate outside (0, 1);
/// [`Error::UnsupportedMethod`] for a comparison other than `wald`/`adjusted_wald`; the level
/// and method errors.
pub fn trend(table: &Table, keys: &[Key], options: &TrendOptions) -> Result<Trend> {
    options.validate()?;
    let mut all_keys = keys.to_vec();
    all_keys.push(Key::Period(options.unit));
    Cube::build(table, &all_keys)?.trend(options)
}

impl Cube {
    /// [`trend`] on the rows the cube was built from (or merged from): the cube's last key
    /// must be the period of `options.unit`, and the other keys are the groups.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the last key is not the period of `options.unit`; the
    /// options' errors.
    pub fn trend(&self, options: &TrendOptions) -> Result<Trend> {
        options.validate()?;
        let cube = self;
        let Some((last, keys)) = cube
            .axes
            .split_last()
            .filter(|(a, _)| a.key == Key::Period(options.unit))
        else {
            return Err(Error::InvalidArgument {
                field: "cube",
                value: format!(
                    "keys {:?}",
                    cube.keys().iter().map(Key::name).collect::<Vec<_>>()
                ),
                expected: "a cube whose last key is the trend's period unit",
            });
        };
        let keys: Vec<Key> = keys.iter().map(|a| a.key.clone()).collect();
        let periods = last.periods.clone().unwrap_or_default();
        let group = options.group_options();
        let z = z_critical(options.level)?;
        let empty = Tally::new(cube.scale());

        // The groups: every combination of the keys (without the period) that has rows.
        let mut groups: Vec<Vec<u32>> = cube
            .cells()
            .filter(|(_, t)| t.n() + t.missing() > 0)
            .map(|(mut idx, _)| {
                idx.pop();
                idx
            })
            .collect();
        groups.dedup();

        let mut series = Vec::with_capacity(groups.len());
        for idx in &groups {
            let single: Vec<Tally> = (0..periods.len() as u32)
                .map(|p| {
                    let mut at = idx.clone();
                    at.push(p);
                    cube.get(&at).unwrap_or(&empty).clone()
                })
                .collect();
            let w = options.window as usize;
            let windows: Vec<Tally> = (0..single.len())
                .map(|i| single[i.saturating_sub(w - 1)..=i].iter().sum())
                .collect();
            let mut points = Vec::with_capacity(periods.len());
            for (i, (period, tally)) in periods.iter().zip(&windows).enumerate() {
                let (estimate, small) = group.estimate(tally)?;
                let change = match i.checked_sub(w) {
                    Some(prev) if tally.n() > 0 && windows[prev].n() > 0 => Some(Change {
                        comparison: compare(
                            tally,
                            &windows[prev],
                            options.comparison,
                            options.level,
                        )?,
                        q_value: f64::NAN,
                        significant: false,
                    }),
                    _ => None,
                };
                points.push(Point {
                    period: *period,
                    label: period.label(),
                    tally: tally.clone(),
                    estimate,
                    gap: tally.n() == 0,
                    small,
                    change,
                });
            }
            series.push(Series {
                levels: cube.levels(idx),
                points,
                slope: slope(&single, z)?,
            });
        }

        // Multiplicity: one family of changes, one of slopes.
        let changes: Vec<&mut Change> = series
            .iter_mut()
            .flat_map(|s| s.points.iter_mut().filter_map(|p| p.change.as_mut()))
            .collect();
        let q = benjamini_hochberg(
            &changes
                .iter()
                .map(|c| c.comparison.p_value)
                .collect::<Vec<_>>(),
        );
        let changes_tested = changes.len();
        for (c, q) in changes.into_iter().zip(q) {
            c.q_value = q;
            c.significant = q < options.rate;
        }
        let slopes: Vec<&mut Slope> = series.iter_mut().filter_map(|s| s.slope.as_mut()).collect();
        let q = benjamini_hochberg(&slopes.iter().map(|s| s.p_value).collect::<Vec<_>>());
        let slopes_tested = slopes.len();
        for (s, q) in slopes.into_iter().zip(q) {
            s.q_value = q;
            s.direction = direction(s.per_period, q, options.rate);
        }
        Ok(Trend {
            keys: keys.iter().map(Key::name).collect(),
            series,
            changes_adjustment: Adjustment::benjamini_hochberg(options.rate, changes_tested),
            slopes_adjustment: Adjustment::benjamini_hochberg(options.rate, slopes_tested),
            options: *options,
        })
    }
}

fn direction(slope: f64, q: f64, rate: f64) -> Direction {
    match (q < rate, slope > 0.0) {
        (false, _) => Direction::Flat,
        (true, true) => Direction::Rising,
        (true, false) => Direction::Falling,
    }
}

/// The weighted least-squares slope of the NPS over consecutive periods (see [`trend`]);
/// `None` with fewer than two periods with answers. The q-value is the p-value and the
/// direction is decided at 5 % until the caller adjusts them.
fn slope(periods: &[Tally], z: f64) -> Result<Option<Slope>> {
    let mut points = Vec::new();
    for (t, tally) in periods.iter().enumerate() {
        if tally.n() > 0 {
            let (_, se) = adjusted(tally)?;
            points.push((t as f64, tally.nps()?, 1.0 / (se * se)));
        }
    }
    let k = points.len();
    if k < 2 {
        return Ok(None);
    }
    let sw: f64 = points.iter().map(|p| p.2).sum();
    let tbar = points.iter().map(|p| p.2 * p.0).sum::<f64>() / sw;
    let ybar = points.iter().map(|p| p.2 * p.1).sum::<f64>() / sw;
    let sxx: f64 = points.iter().map(|p| p.2 * (p.0 - tbar).powi(2)).sum();
    let sxy: f64 = points
        .iter()
        .map(|p| p.2 * (p.0 - tbar) * (p.1 - ybar))
        .sum();
    let b = sxy / sxx;
    let phi = if k > 2 {
        let rss: f64 = points
            .iter()
            .map(|p| p.2 * (p.1 - ybar - b * (p.0 - tbar)).powi(2))
            .sum();
        (rss / (k - 2) as f64).max(1.0)
    } else {
        1.0
    };
    let se = (phi / sxx).sqrt();
    let p_value = p_value_two_sided(b / se);
    Ok(Some(Slope {
        per_period: b,
        se,
        low: b - z * se,
        high: b + z * se,
        p_value,
        q_value: p_value,
        direction: direction(b, p_value, 0.05),
        periods: k,
    }))
}

/// The seed's trigger for an analytical study, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyTrigger {
    /// Whether an analytical (strategic) NPS study is due: transactional NPS rising (overall,
    /// or at some touchpoints after the false discovery rate) while relationship NPS is flat.
    pub due: bool,
    /// Overall transactional NPS per period.
    pub transactional: Series,
    /// Overall relationship NPS per period.
    pub relationship: Series,
    /// The transactional groups (touchpoints) whose NPS rises significantly.
    pub rising: Vec<Series>,
    /// How the per-group slopes were adjusted.
    pub adjustment: Adjustment,
    /// The verdict in words, with the numbers.
    pub reason: String,
}

/// The seed's rule (seed 000): "when transactional NPS keeps improving but relationship NPS
/// stagnates, the experience structure has changed: start a new analytical NPS study".
///
/// `transactional` holds the touchpoint survey, grouped by `by` (e.g. the touchpoint);
/// `relationship` the relationship survey of the same brand. Due when relationship NPS is
/// [`Direction::Flat`] and transactional NPS rises, overall or in at least one group (slopes
/// adjusted by Benjamini–Hochberg across the groups).
///
/// # Errors
/// As [`trend`].
pub fn study_trigger(
    transactional: &Table,
    relationship: &Table,
    by: &[Key],
    options: &TrendOptions,
) -> Result<StudyTrigger> {
    let overall = |table: &Table| -> Result<Series> {
        let t = trend(table, &[], options)?;
        t.series.into_iter().next().ok_or(Error::Empty {
            what: "a study trigger",
            needed: 1,
            n: 0,
        })
    };
    let t_all = overall(transactional)?;
    let r_all = overall(relationship)?;
    let groups = trend(transactional, by, options)?;
    let rising: Vec<Series> = groups
        .series
        .into_iter()
        .filter(|s| s.slope.is_some_and(|s| s.direction == Direction::Rising))
        .collect();
    let t_dir = t_all.slope.map(|s| s.direction);
    let r_dir = r_all.slope.map(|s| s.direction);
    let t_rising = t_dir == Some(Direction::Rising) || !rising.is_empty();
    let due = t_rising && r_dir == Some(Direction::Flat);
    let describe = |s: &Series| match s.slope {
        Some(b) => format!(
            "{:+.2} points per {} [{:+.2}, {:+.2}] over {} periods",
            b.per_period, options.unit, b.low, b.high, b.periods
        ),
        None => "no slope (fewer than two periods with answers)".into(),
    };
    let names: Vec<String> = rising
        .iter()
        .map(|s| {
            s.levels
                .iter()
                .map(|l| l.value().unwrap_or("(missing)"))
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    let reason = format!(
        "{}: transactional NPS {} ({}); rising groups: {}; relationship NPS {} ({})",
        if due {
            "analytical study due"
        } else {
            "no study due"
        },
        t_dir.map_or("unknown", Direction::name),
        describe(&t_all),
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        },
        r_dir.map_or("unknown", Direction::name),
        describe(&r_all),
    );
    Ok(StudyTrigger {
        due,
        transactional: t_all,
        relationship: r_all,
        rising,
        adjustment: groups.slopes_adjustment,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Date;
    use crate::table::Dimension;

    /// Monthly data, `per_month` responses each, promoters share rising by `step` per month.
    fn monthly(months: u32, per_month: usize, base: f64, step: f64, skip: Option<u32>) -> Table {
        let mut scores = Vec::new();
        let mut dates = Vec::new();
        for m in 0..months {
            if Some(m) == skip {
                continue;
            }
            let p = base + step * f64::from(m);
            for i in 0..per_month {
                let u = (i as f64 + 0.5) / per_month as f64;
                scores.push(if u < p {
                    10u8
                } else if u < p + 0.3 {
                    8
                } else {
                    2
                });
                dates.push(Date::from_ymd(2024, m + 1, 1 + (i % 28) as u32).unwrap());
            }
        }
        Table::new(&scores).unwrap().with_dates(dates).unwrap()
    }

    #[test]
    fn a_rising_series_is_found_and_gaps_are_reported() {
        let t = monthly(12, 400, 0.3, 0.02, Some(5));
        let tr = trend(&t, &[], &TrendOptions::default()).unwrap();
        let s = &tr.series[0];
        assert_eq!(s.points.len(), 12);
        assert!(s.points[5].gap && s.points[5].estimate.is_none());
        assert!(s.points[5].change.is_none() && s.points[6].change.is_none());
        let b = s.slope.unwrap();
        // The promoters' share rises 2 points a month, detractors' falls 2: NPS +4 a month.
        assert!((b.per_period - 4.0).abs() < 0.3, "{b:?}");
        assert_eq!(b.direction, Direction::Rising);
        assert_eq!(b.periods, 11);
        assert_eq!(tr.changes_adjustment.tests, 9);
    }

    #[test]
    fn a_flat_series_is_flat_and_windows_sum_periods() {
        let t = monthly(6, 300, 0.4, 0.0, None);
        let options = TrendOptions {
            window: 3,
            ..TrendOptions::default()
        };
        let tr = trend(&t, &[], &options).unwrap();
        let s = &tr.series[0];
        assert_eq!(s.slope.unwrap().direction, Direction::Flat);
        assert_eq!(s.points[2].tally.n(), 900);
        assert_eq!(s.points[1].tally.n(), 600);
        // Windows of 3 are compared with the window 3 periods earlier.
        assert!(s.points[2].change.is_none());
        assert!(s.points[3].change.is_some());
    }

    #[test]
    fn the_trigger_fires_when_transactional_rises_and_relationship_is_flat() {
        let rising = monthly(8, 500, 0.3, 0.02, None);
        let touch = Dimension::from_values("touchpoint", &vec![Some("claim"); rising.len()]);
        let rising = rising.with_dimension(touch).unwrap();
        let flat = monthly(8, 500, 0.4, 0.0, None);
        let options = TrendOptions::default();
        let t = study_trigger(&rising, &flat, &["touchpoint".into()], &options).unwrap();
        assert!(t.due, "{}", t.reason);
        assert_eq!(t.rising.len(), 1);
        assert!(t.reason.starts_with("analytical study due"), "{}", t.reason);
        let t = study_trigger(&rising, &rising, &["touchpoint".into()], &options).unwrap();
        assert!(!t.due, "{}", t.reason);
    }

    #[test]
    fn bad_options_are_errors() {
        let t = monthly(3, 10, 0.3, 0.0, None);
        let bad = |o: TrendOptions| trend(&t, &[], &o).unwrap_err();
        let d = TrendOptions::default();
        assert!(matches!(
            bad(TrendOptions { window: 0, ..d }),
            Error::InvalidArgument { .. }
        ));
        assert!(matches!(
            bad(TrendOptions { rate: 1.0, ..d }),
            Error::InvalidArgument { .. }
        ));
        assert!(matches!(
            bad(TrendOptions {
                comparison: Method::Score,
                ..d
            }),
            Error::UnsupportedMethod { .. }
        ));
        let no_dates = Table::new(&[1u8]).unwrap();
        assert!(matches!(
            trend(&no_dates, &[], &d).unwrap_err(),
            Error::UnknownColumn { .. }
        ));
    }
}
