//! Trends: NPS per period per group, each period against the previous one, the slope over
//! periods (false discovery rate controlled), and the study trigger built on them.

use std::ffi::{CString, c_char};

use nps_core::{
    Change, Direction, PeriodUnit, Slope, StudyTrigger, Trend, TrendOptions, study_trigger, trend,
};

use crate::compare::nps_comparison;
use crate::estimate::{comparison_or, method_with, nps_estimate, nps_method_options};
use crate::failure::Failure;
use crate::group::{CLevel, keys, nps_level_kind, unit_named};
use crate::panic;
use crate::ptr::{Out, at, free, give, try_ref};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::c_text;

/// Options of `nps_trend`, `nps_study_trigger` and `nps_cube_trend`. Start from
/// `nps_trend_options_default` and change what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_trend_options {
    /// Interval method of each point: "wald", "adjusted_wald", "score", "bayes" or "bootstrap";
    /// NULL = "adjusted_wald" (the default). Read during the call only.
    pub method: *const c_char,
    /// The prior and bootstrap parameters of the method.
    pub method_options: nps_method_options,
    /// Test of each change: "wald" or "adjusted_wald"; NULL = "adjusted_wald" (the default).
    pub comparison: *const c_char,
    /// Confidence level of the intervals, a fraction in (0, 1) (default 0.95).
    pub level: f64,
    /// False discovery rate for calling changes and slopes significant, in (0, 1) (default
    /// 0.05).
    pub rate: f64,
    /// Points with fewer answered responses are flagged small (default 30).
    pub min_n: u64,
    /// Trailing window in periods: each point tallies this many periods ending at it (default
    /// 1; at least 1).
    pub window: u32,
}

impl Default for nps_trend_options {
    fn default() -> Self {
        let core = TrendOptions::default();
        nps_trend_options {
            method: std::ptr::null(),
            method_options: nps_method_options::default(),
            comparison: std::ptr::null(),
            level: core.level,
            rate: core.rate,
            min_n: core.min_n,
            window: core.window,
        }
    }
}

impl nps_trend_options {
    /// The core options of `p` (NULL = defaults) for periods of `unit` (NULL = month).
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_trend_options` whose strings are NULL or
    /// NUL-terminated; `unit` NULL or a NUL-terminated string.
    unsafe fn to_core(
        p: *const nps_trend_options,
        unit: *const c_char,
    ) -> Result<TrendOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let unit = unsafe { unit_named(unit, "unit")? };
        // SAFETY: as the caller guarantees.
        unsafe { Self::to_core_in(p, unit.unwrap_or(PeriodUnit::Month)) }
    }

    /// The core options of `p` (NULL = defaults) for periods of `unit`.
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_trend_options` whose strings are NULL or
    /// NUL-terminated.
    pub(crate) unsafe fn to_core_in(
        p: *const nps_trend_options,
        unit: PeriodUnit,
    ) -> Result<TrendOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let o = unsafe { p.as_ref() }.copied().unwrap_or_default();
        // SAFETY: as the caller guarantees.
        let (method, comparison) = unsafe {
            (
                method_with(o.method, &o.method_options)?,
                comparison_or(o.comparison, TrendOptions::default().comparison)?,
            )
        };
        Ok(TrendOptions {
            unit,
            window: o.window,
            method,
            comparison,
            level: o.level,
            rate: o.rate,
            min_n: o.min_n,
        })
    }
}

/// Fills `*out` with the default trend options: adjusted Wald points and changes, 95 %, false
/// discovery rate 0.05, points under 30 answers flagged small, windows of 1 period.
///
/// # Safety
/// `out` must point to a writable `nps_trend_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_options_default(out: *mut nps_trend_options) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// Whether a series moves.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nps_direction {
    /// The slope is significantly positive (after the false discovery rate).
    NPS_DIRECTION_RISING = 0,
    /// The slope is significantly negative.
    NPS_DIRECTION_FALLING = 1,
    /// Not significantly different from zero.
    NPS_DIRECTION_FLAT = 2,
}

impl From<Direction> for nps_direction {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Rising => nps_direction::NPS_DIRECTION_RISING,
            Direction::Falling => nps_direction::NPS_DIRECTION_FALLING,
            Direction::Flat => nps_direction::NPS_DIRECTION_FLAT,
        }
    }
}

/// The weighted least-squares slope of NPS over periods, in points per period.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_slope {
    /// NPS points per period.
    pub per_period: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower bound of its interval.
    pub low: f64,
    /// Upper bound of its interval.
    pub high: f64,
    /// Two-sided p-value of the hypothesis of no trend.
    pub p_value: f64,
    /// Benjamini-Hochberg q-value over every slope of the result.
    pub q_value: f64,
    /// Rising or falling when the q-value is below the rate, else flat.
    pub direction: nps_direction,
    /// Periods used (those with answers).
    pub periods: usize,
}

impl From<Slope> for nps_slope {
    fn from(s: Slope) -> Self {
        nps_slope {
            per_period: s.per_period,
            se: s.se,
            low: s.low,
            high: s.high,
            p_value: s.p_value,
            q_value: s.q_value,
            direction: s.direction.into(),
            periods: s.periods,
        }
    }
}

/// A point against the previous window: the test of the difference (this - previous) and its
/// false-discovery-adjusted verdict.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_change {
    /// The comparison of this window (`nps_a`) with the previous one (`nps_b`).
    pub comparison: nps_comparison,
    /// Benjamini-Hochberg q-value over every change of the trend.
    pub q_value: f64,
    /// Whether the q-value is below the rate.
    pub significant: bool,
}

impl From<Option<Change>> for nps_change {
    fn from(c: Option<Change>) -> Self {
        match c {
            Some(c) => nps_change {
                comparison: c.comparison.into(),
                q_value: c.q_value,
                significant: c.significant,
            },
            None => nps_change {
                comparison: nps_comparison::NAN,
                q_value: f64::NAN,
                significant: false,
            },
        }
    }
}

/// One period of a series.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_trend_point {
    /// The period's label ("2024-03", "2024-W05", "2024-Q3"), lent until the result is freed.
    pub label: *const c_char,
    /// No answered response in the window: a gap (then `has_estimate` is false).
    pub gap: bool,
    /// Fewer answered responses than `min_n`.
    pub small: bool,
    /// Whether `estimate` holds the estimate of the window ending at this period.
    pub has_estimate: bool,
    /// The estimate (NaN numbers when `has_estimate` is false).
    pub estimate: nps_estimate,
    /// Whether `change` holds the test against the previous window (false for the first points,
    /// and when either window is a gap).
    pub has_change: bool,
    /// The change (NaN numbers when `has_change` is false).
    pub change: nps_change,
}

/// One series as C reads it: its levels and its points' labels.
struct CSeries {
    levels: Vec<CLevel>,
    labels: Vec<CString>,
}

/// An opaque trend: one series per group of the keys (one series when there are none), each
/// with one point per period from the first to the last date of the table, and its slope. Made
/// by `nps_trend` or `nps_cube_trend`, read with the `nps_trend_result_*` accessors, freed with
/// `nps_trend_result_free`. Strings it lends stay valid until it is freed.
pub struct nps_trend_result {
    trend: Trend,
    series: Vec<CSeries>,
}

impl nps_trend_result {
    /// The handle of a core trend, with the C copies of its levels and period labels (shared by
    /// `nps_trend` and `nps_cube_trend`).
    pub(crate) fn new(trend: Trend) -> Result<Self, Failure> {
        let series = (trend.series.iter())
            .map(|s| {
                Ok(CSeries {
                    levels: CLevel::all(&s.levels)?,
                    labels: (s.points.iter())
                        .map(|p| c_text(&p.label, "a period label"))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<_, Failure>>()?;
        Ok(nps_trend_result { trend, series })
    }
}

/// NPS per period (`unit`: "day", "week", "month", "quarter" or "year"; NULL = month) for every
/// group of `keys` (dimension names; none = the whole table), each period against the previous
/// window, and the slope over periods. All changes form one family and all slopes another, each
/// adjusted by Benjamini-Hochberg. A group's period without answers is a gap, not an error.
/// `options` NULL = defaults.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for an unknown dimension or a table without dates,
/// `NPS_ERR_UNKNOWN_METHOD` for an unknown unit or method, `NPS_ERR_UNSUPPORTED_METHOD` for a
/// comparison other than wald/adjusted_wald, `NPS_ERR_INVALID_ARGUMENT` for a window of 0 or a
/// rate outside (0, 1), `NPS_ERR_INVALID_LEVEL`. The caller owns `*out`
/// (`nps_trend_result_free`).
///
/// # Safety
/// `table` must be a live table; `keys` must point to `n_keys` pointers to NUL-terminated
/// strings (or be NULL with `n_keys` 0); `unit` NULL or a NUL-terminated string; `options` NULL
/// or a readable `nps_trend_options`; `out` must point to a writable `nps_trend_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend(
    table: *const nps_table,
    keys: *const *const c_char,
    n_keys: usize,
    unit: *const c_char,
    options: *const nps_trend_options,
    out: *mut *mut nps_trend_result,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, keys, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                self::keys(keys, n_keys, "keys", std::ptr::null(), "")?,
                nps_trend_options::to_core(options, unit)?,
            )
        };
        give(out, nps_trend_result::new(trend(table, &keys, &options)?)?);
        Ok(())
    })
}

/// Frees a trend. NULL is allowed and does nothing.
///
/// # Safety
/// `trend` must be NULL or a trend from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_free(trend: *mut nps_trend_result) {
    // SAFETY: as the caller guarantees.
    unsafe { free(trend) }
}

/// Stores in `*out` the number of series (groups).
///
/// # Safety
/// `trend` must be a live trend; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_len(
    trend: *const nps_trend_result,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(trend, "trend", out, |t| Ok(t.series.len())) }
}

/// The level of series `series` on key `key`, as `nps_grouping_level` gives it. A series or key
/// out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `trend` must be a live trend; `value_out` and `kind_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_level(
    trend: *const nps_trend_result,
    series: usize,
    key: usize,
    value_out: *mut *const c_char,
    kind_out: *mut nps_level_kind,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::level(trend, "trend", key, value_out, kind_out, |t| {
            Ok(&at(&t.series, series, "series", "series")?.levels)
        })
    }
}

/// The slope of series `series` into `*out`. A series with fewer than two periods with answers
/// has no slope: `NPS_ERR_EMPTY`, nothing written. A series out of range gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `trend` must be a live trend; `out` must point to a writable `nps_slope`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_slope(
    trend: *const nps_trend_result,
    series: usize,
    out: *mut nps_slope,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(trend, "trend", out, |t| {
            let s = at(&t.trend.series, series, "series", "series")?;
            let slope = s.slope.ok_or_else(|| {
                Failure::Unavailable(format!(
                    "series {series} has no slope: fewer than two of its periods have answers"
                ))
            })?;
            Ok(slope.into())
        })
    }
}

/// Stores in `*out` the number of points (periods) of series `series`.
///
/// # Safety
/// `trend` must be a live trend; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_points(
    trend: *const nps_trend_result,
    series: usize,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(trend, "trend", out, |t| {
            Ok(at(&t.trend.series, series, "series", "series")?
                .points
                .len())
        })
    }
}

/// Point `point` of series `series` into `*out`: its label, gap and small flags, estimate and
/// change against the previous window. A series or point out of range gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `trend` must be a live trend; `out` must point to a writable `nps_trend_point`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_point(
    trend: *const nps_trend_result,
    series: usize,
    point: usize,
    out: *mut nps_trend_point,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(trend, "trend", out, |t| {
            let s = at(&t.trend.series, series, "series", "series")?;
            let p = at(&s.points, point, "point", "points")?;
            let (has_estimate, estimate) = nps_estimate::optional(p.estimate);
            Ok(nps_trend_point {
                label: t.series[series].labels[point].as_ptr(),
                gap: p.gap,
                small: p.small,
                has_estimate,
                estimate,
                has_change: p.change.is_some(),
                change: p.change.into(),
            })
        })
    }
}

/// Stores in `*json_out` the whole trend as JSON text (every series with its points, tallies,
/// changes and slope, the adjustments and options), a new string the caller frees with
/// `nps_string_free`.
///
/// # Safety
/// `trend` must be a live trend; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_trend_result_to_json(
    trend: *const nps_trend_result,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(trend, "trend", json_out, |t| {
            serde_json::to_string(&t.trend)
        })
    }
}

/// An opaque study-trigger verdict. Made by `nps_study_trigger`, read with the
/// `nps_study_trigger_result_*` accessors, freed with `nps_study_trigger_result_free`.
pub struct nps_study_trigger_result {
    trigger: StudyTrigger,
    reason: CString,
}

/// The rule for starting an analytical (strategic) NPS study: due when transactional NPS rises
/// (overall, or in at least one group of `by` after the false discovery rate) while
/// relationship NPS is flat. `transactional` holds the touchpoint survey, `by` the dimension
/// names to group it by (e.g. "touchpoint"), `relationship` the relationship survey; both need
/// dates. `unit` and `options` are as in `nps_trend`. Errors are those of `nps_trend`. The
/// caller owns `*out` (`nps_study_trigger_result_free`).
///
/// # Safety
/// `transactional` and `relationship` must be live tables; `by` must point to `n_by` pointers to
/// NUL-terminated strings (or be NULL with `n_by` 0); `unit` NULL or a NUL-terminated string;
/// `options` NULL or a readable `nps_trend_options`; `out` must point to a writable
/// `nps_study_trigger_result *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_study_trigger(
    transactional: *const nps_table,
    relationship: *const nps_table,
    by: *const *const c_char,
    n_by: usize,
    unit: *const c_char,
    options: *const nps_trend_options,
    out: *mut *mut nps_study_trigger_result,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, transactional, relationship, by, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(transactional, "transactional")?,
                nps_table::get(relationship, "relationship")?,
                keys(by, n_by, "by", std::ptr::null(), "")?,
                nps_trend_options::to_core(options, unit)?,
            )
        };
        let trigger = study_trigger(transactional, relationship, &by, &options)?;
        let reason = c_text(&trigger.reason, "the reason")?;
        give(out, nps_study_trigger_result { trigger, reason });
        Ok(())
    })
}

/// Frees a study-trigger verdict. NULL is allowed and does nothing.
///
/// # Safety
/// `trigger` must be NULL or a verdict from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_study_trigger_result_free(trigger: *mut nps_study_trigger_result) {
    // SAFETY: as the caller guarantees.
    unsafe { free(trigger) }
}

/// Stores in `*due_out` whether an analytical study is due, and in `*reason_out` (when not
/// NULL) the verdict in words with its numbers, lent until the verdict is freed.
///
/// # Safety
/// `trigger` must be a live verdict; `due_out` must point to a writable `bool`; `reason_out`
/// must be NULL or point to a writable `const char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_study_trigger_result_due(
    trigger: *const nps_study_trigger_result,
    due_out: *mut bool,
    reason_out: *mut *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (due_out, reason_out, t) = unsafe {
            (
                Out::new(due_out, "due_out")?,
                Out::optional(reason_out),
                try_ref(trigger, "trigger")?,
            )
        };
        due_out.write(t.trigger.due);
        if let Some(reason_out) = reason_out {
            reason_out.write(t.reason.as_ptr());
        }
        Ok(())
    })
}

/// The slopes the verdict rests on: overall transactional NPS into `*transactional_out` and
/// overall relationship NPS into `*relationship_out` (either may be NULL), and in
/// `*n_rising_out` (when not NULL) how many transactional groups rise significantly. A slope
/// asked for of a series with fewer than two periods with answers does not exist:
/// `NPS_ERR_EMPTY`, nothing written.
///
/// # Safety
/// `trigger` must be a live verdict; each out-parameter must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_study_trigger_result_slopes(
    trigger: *const nps_study_trigger_result,
    transactional_out: *mut nps_slope,
    relationship_out: *mut nps_slope,
    n_rising_out: *mut usize,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (t_out, r_out, n_out, t) = unsafe {
            (
                Out::optional(transactional_out),
                Out::optional(relationship_out),
                Out::optional(n_rising_out),
                try_ref(trigger, "trigger")?,
            )
        };
        let slope = |series: &nps_core::Series, what: &str| {
            series.slope.ok_or_else(|| {
                Failure::Unavailable(format!(
                    "{what} NPS has no slope: fewer than two periods have answers"
                ))
            })
        };
        // Both checked before either is written: on failure nothing is.
        let ts = t_out
            .map(|o| Ok::<_, Failure>((o, slope(&t.trigger.transactional, "transactional")?)))
            .transpose()?;
        let rs = r_out
            .map(|o| Ok::<_, Failure>((o, slope(&t.trigger.relationship, "relationship")?)))
            .transpose()?;
        for (o, s) in ts.into_iter().chain(rs) {
            o.write(s.into());
        }
        if let Some(o) = n_out {
            o.write(t.trigger.rising.len());
        }
        Ok(())
    })
}

/// Stores in `*json_out` the whole verdict as JSON text (both overall series, the rising
/// groups, the adjustment and the reason), a new string the caller frees with
/// `nps_string_free`.
///
/// # Safety
/// `trigger` must be a live verdict; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_study_trigger_result_to_json(
    trigger: *const nps_study_trigger_result,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(trigger, "trigger", json_out, |t| {
            serde_json::to_string(&t.trigger)
        })
    }
}
