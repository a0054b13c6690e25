//! Driver importance: how much each experience driver (rated per response) moves the recommend
//! score, by Shapley value regression, Johnson's relative weights, Pratt and the other measures
//! of `nps_core::drivers`, with bootstrap intervals.

use std::ffi::{CString, c_char};

use nps_core::{
    DEFAULT_MAX_EXACT, DEFAULT_SEED, DriverGrouping, DriverImportance, DriverMethod, DriverOptions,
    Missing, Outcome, correlate, drivers, drivers_by, importance,
};

use crate::failure::Failure;
use crate::group::{CLevel, keys, nps_level_kind};
use crate::panic;
use crate::ptr::{Out, at, free, give, opt_str, str_array, try_ref, try_slice};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::{c_opt_text, c_texts, lend};

/// Options of `nps_drivers`, `nps_drivers_from_columns` and the driver moments
/// (`nps_driver_moments_new`, `nps_driver_moments_importance`). Start from
/// `nps_driver_options_default` and change what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_driver_options {
    /// The importance measure: "shapley" (Shapley value regression / LMG), "johnson" (relative
    /// weights), "pratt", "first" (r²), "last" (R² drop), "betasq", "car", "beta" or "r";
    /// NULL = "shapley" (the default). Read during the call only.
    pub method: *const c_char,
    /// What the drivers are related to: "score" (the recommend score), "promoter" (1 for a
    /// promoter) or "detractor"; NULL = "score" (the default). `nps_drivers_from_columns`, whose
    /// outcome is given, ignores it.
    pub outcome: *const c_char,
    /// Rows with a missing rating (NaN): "listwise" (complete rows only) or "pairwise" (each
    /// correlation over the rows where both are rated); NULL = "listwise" (the default).
    pub missing: *const c_char,
    /// Spearman (rank) instead of Pearson correlations (default false).
    pub spearman: bool,
    /// Whether the ratings have a declared scale `rating_min..=rating_max`; a rating outside it
    /// is then an error naming the driver and the row (default false).
    pub has_rating_scale: bool,
    /// The lowest rating of the declared scale (used when `has_rating_scale`).
    pub rating_min: f64,
    /// The highest rating of the declared scale (used when `has_rating_scale`).
    pub rating_max: f64,
    /// The largest number of drivers for exact Shapley (default 24, at most 30).
    pub max_exact: usize,
    /// Estimate Shapley values from this many sampled permutations (each used with its reverse)
    /// instead of all subsets; the rows then carry a standard error. 0 = exact (the default).
    pub shapley_samples: u32,
    /// Bootstrap replicates for percentile intervals of each importance (0 = none, the
    /// default).
    pub replicates: u32,
    /// Confidence level of the intervals, a fraction in (0, 1) (default 0.95).
    pub level: f64,
    /// Seed of the bootstrap and of sampled Shapley; same seed, same result.
    pub seed: u64,
}

impl Default for nps_driver_options {
    fn default() -> Self {
        let core = DriverOptions::default();
        let (rating_min, rating_max) = core.rating_scale.unwrap_or((f64::NAN, f64::NAN));
        nps_driver_options {
            method: std::ptr::null(),
            outcome: std::ptr::null(),
            missing: std::ptr::null(),
            spearman: core.spearman,
            has_rating_scale: core.rating_scale.is_some(),
            rating_min,
            rating_max,
            max_exact: DEFAULT_MAX_EXACT,
            shapley_samples: core.shapley_samples.unwrap_or(0),
            replicates: core.replicates,
            level: core.level,
            seed: DEFAULT_SEED,
        }
    }
}

impl nps_driver_options {
    /// The core options of `p` (NULL = defaults) for the drivers `names` (empty = all).
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_driver_options` whose strings are NULL or
    /// NUL-terminated.
    pub(crate) unsafe fn to_core(
        p: *const nps_driver_options,
        names: Vec<&str>,
    ) -> Result<DriverOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let o = unsafe { p.as_ref() }.copied().unwrap_or_default();
        // SAFETY: as the caller guarantees.
        let (method, outcome, missing) = unsafe {
            (
                opt_str(o.method, "method")?,
                opt_str(o.outcome, "outcome")?,
                opt_str(o.missing, "missing")?,
            )
        };
        Ok(DriverOptions {
            drivers: (!names.is_empty()).then(|| names.into_iter().map(str::to_owned).collect()),
            outcome: outcome.map_or(Ok(Outcome::default()), Outcome::from_name)?,
            method: method.map_or(Ok(DriverMethod::default()), DriverMethod::from_name)?,
            missing: missing.map_or(Ok(Missing::default()), Missing::from_name)?,
            spearman: o.spearman,
            rating_scale: o.has_rating_scale.then_some((o.rating_min, o.rating_max)),
            max_exact: o.max_exact,
            shapley_samples: (o.shapley_samples > 0).then_some(o.shapley_samples),
            replicates: o.replicates,
            level: o.level,
            seed: o.seed,
        })
    }
}

/// Fills `*out` with the default driver options: exact Shapley value regression of the score,
/// listwise, Pearson, no declared rating scale, exact up to 24 drivers, no bootstrap, 95 %, the
/// default seed.
///
/// # Safety
/// `out` must point to a writable `nps_driver_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_options_default(out: *mut nps_driver_options) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// One driver's importance.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_driver_row {
    /// The driver's name, lent until the result is freed.
    pub driver: *const c_char,
    /// The raw importance: a share of R² for shapley, johnson, pratt and car (they add up to
    /// R²); r², the R² drop, b², b or r for the others.
    pub importance: f64,
    /// The importance as a fraction of the total (raw / Σ raw; raw / Σ|raw| for beta and r), so
    /// the shares add up to 1. A Pratt share is negative when b and r differ in sign.
    pub share: f64,
    /// The sign of the driver's coefficient in the full model: -1, 0 or 1.
    pub sign: f64,
    /// Standard error of a sampled Shapley estimate; NaN when exact.
    pub se: f64,
    /// Lower bound of the bootstrap percentile interval of `importance`; NaN without bootstrap.
    pub low: f64,
    /// Upper bound of the bootstrap percentile interval; NaN without bootstrap.
    pub high: f64,
    /// Whether `low`, `high` and `includes_zero` hold a bootstrap interval.
    pub bootstrapped: bool,
    /// Whether the bootstrap interval includes 0 (false without bootstrap).
    pub includes_zero: bool,
}

/// An opaque driver-importance result: R², the rows used and one row per driver, in the order
/// asked. Made by `nps_drivers`, `nps_drivers_from_columns` or `nps_driver_moments_importance`,
/// read with the `nps_driver_importance_*` accessors, freed with `nps_driver_importance_free`.
/// Strings it lends stay valid until it is freed.
pub struct nps_driver_importance {
    result: DriverImportance,
    drivers: Vec<CString>,
}

impl nps_driver_importance {
    pub(crate) fn new(result: DriverImportance) -> Result<Self, Failure> {
        Ok(nps_driver_importance {
            drivers: c_texts(result.rows.iter().map(|r| r.driver.as_str()), "a driver")?,
            result,
        })
    }
}

/// Driver importance of the drivers of `table` named in `drivers` (`n_drivers` names, in this
/// order; `n_drivers` 0 = every driver of the table, in the order added) for the options'
/// outcome and method, with bootstrap intervals when `replicates` > 0. `options` NULL =
/// defaults.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for a driver the table lacks; `NPS_ERR_UNKNOWN_METHOD` for an
/// unknown method, outcome or missing-value handling; `NPS_ERR_INVALID_DRIVER` naming the
/// driver for one with no ratings, constant over the rows used, with a rating outside the
/// declared scale (and its row), or perfectly collinear with others (named too), and for more
/// drivers than exact Shapley allows (naming the alternatives) or fewer complete rows than
/// drivers + 2 (naming the drivers); `NPS_ERR_INVALID_LEVEL`; `NPS_ERR_INVALID_ARGUMENT` for no
/// drivers, a driver named twice, `max_exact` above 30 or a bad rating scale. The caller owns
/// `*out` (`nps_driver_importance_free`).
///
/// # Safety
/// `table` must be a live table; `drivers` must point to `n_drivers` pointers to
/// NUL-terminated strings (or be NULL with `n_drivers` 0); `options` NULL or a readable
/// `nps_driver_options`; `out` must point to a writable `nps_driver_importance *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_drivers(
    table: *const nps_table,
    drivers: *const *const c_char,
    n_drivers: usize,
    options: *const nps_driver_options,
    out: *mut *mut nps_driver_importance,
) -> nps_status {
    // SAFETY: forwarded as documented (`options` too, read by `to_core`).
    unsafe {
        result::of_drivers(table, drivers, n_drivers, out, |table, names| {
            let options = nps_driver_options::to_core(options, names)?;
            nps_driver_importance::new(self::drivers(table, &options)?)
        })
    }
}

/// Driver importance from plain columns rather than a table, for an outcome that is not a
/// recommend score (any finite numbers): `outcome` holds `n_rows` values, `ratings` points to
/// `n_drivers` columns of `n_rows` ratings each, named by `names`; NaN is a missing value
/// (outcome or rating). `weights` NULL = unweighted, else `n_rows` non-negative weights. The
/// options' `outcome` is ignored, and bootstrap intervals need a table: `replicates` must be 0.
///
/// Errors: as `nps_drivers`, plus `NPS_ERR_INVALID_ARGUMENT` for `replicates` > 0, an infinite
/// value (naming column and row) or a constant outcome; `NPS_ERR_INVALID_WEIGHT`. The caller
/// owns `*out` (`nps_driver_importance_free`).
///
/// # Safety
/// `outcome` must point to `n_rows` readable doubles; `names` and `ratings` to `n_drivers`
/// pointers each, to NUL-terminated strings and to `n_rows` readable doubles respectively;
/// `weights` NULL or `n_rows` readable doubles; `options` NULL or a readable
/// `nps_driver_options`; `out` must point to a writable `nps_driver_importance *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_drivers_from_columns(
    outcome: *const f64,
    n_rows: usize,
    names: *const *const c_char,
    ratings: *const *const f64,
    n_drivers: usize,
    weights: *const f64,
    options: *const nps_driver_options,
    out: *mut *mut nps_driver_importance,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, outcome, names, ratings, options) = unsafe {
            (
                Out::new(out, "out")?,
                try_slice(outcome, n_rows, "outcome")?,
                str_array(names, n_drivers, "names")?,
                try_slice(ratings, n_drivers, "ratings")?,
                nps_driver_options::to_core(options, Vec::new())?,
            )
        };
        let mut columns: Vec<(&str, &[f64])> = Vec::with_capacity(n_drivers + 1);
        columns.push(("outcome", outcome));
        for (&name, &column) in names.iter().zip(ratings) {
            // SAFETY: each column holds `n_rows` readable doubles, as the caller guarantees.
            columns.push((name, unsafe {
                try_slice(column, n_rows, "a column of ratings")?
            }));
        }
        let weights = if weights.is_null() {
            None
        } else {
            // SAFETY: `n_rows` readable doubles, as the caller guarantees.
            Some(unsafe { try_slice(weights, n_rows, "weights")? })
        };
        let correlation = correlate(&columns, weights, &options)?;
        give(
            out,
            nps_driver_importance::new(importance(&correlation, &options)?)?,
        );
        Ok(())
    })
}

/// Frees a driver-importance result. NULL is allowed and does nothing.
///
/// # Safety
/// `result` must be NULL or a result from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_importance_free(result: *mut nps_driver_importance) {
    // SAFETY: as the caller guarantees.
    unsafe { free(result) }
}

/// Stores in `*out` the number of rows (drivers).
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_importance_len(
    result: *const nps_driver_importance,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(result, "result", out, |r| Ok(r.result.rows.len())) }
}

/// Stores in `*out` the R² of the full model (the outcome on every driver).
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `double`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_importance_r2(
    result: *const nps_driver_importance,
    out: *mut f64,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(result, "result", out, |r| Ok(r.result.r2)) }
}

/// Stores in `*out` the rows used: the complete rows (listwise), or the fewest rows any pair of
/// columns shares (pairwise).
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_importance_n(
    result: *const nps_driver_importance,
    out: *mut u64,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(result, "result", out, |r| Ok(r.result.n)) }
}

/// Row `row` into `*out`: the driver, its importance, share, sign, standard error and bootstrap
/// interval. A row out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `result` must be a live result; `out` must point to a writable `nps_driver_row`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_importance_row(
    result: *const nps_driver_importance,
    row: usize,
    out: *mut nps_driver_row,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::read(result, "result", out, |r| {
            let d = at(&r.result.rows, row, "row", "rows")?;
            Ok(nps_driver_row {
                driver: r.drivers[row].as_ptr(),
                importance: d.importance,
                share: d.share,
                sign: f64::from(d.sign),
                se: d.se.unwrap_or(f64::NAN),
                low: d.low.unwrap_or(f64::NAN),
                high: d.high.unwrap_or(f64::NAN),
                bootstrapped: d.low.is_some() && d.high.is_some(),
                includes_zero: d.includes_zero.unwrap_or(false),
            })
        })
    }
}

/// Stores in `*json_out` the whole result as JSON text (method, outcome, missing-value
/// handling, R², rows used, sampling and bootstrap details, every row), a new string the caller
/// frees with `nps_string_free`.
///
/// # Safety
/// `result` must be a live result; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_importance_to_json(
    result: *const nps_driver_importance,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(result, "result", json_out, |r| {
            serde_json::to_string(&r.result)
        })
    }
}

/// An opaque per-group driver importance: one entry per combination of the keys that has rows,
/// in key order, each with its levels and either its importance analysis or the problem that
/// prevented one. Made by `nps_drivers_by`, read with the `nps_driver_grouping_*` accessors,
/// freed with `nps_driver_grouping_free`. Strings it lends stay valid until it is freed.
pub struct nps_driver_grouping {
    grouping: DriverGrouping,
    levels: Vec<Vec<CLevel>>,
    problems: Vec<Option<CString>>,
}

impl nps_driver_grouping {
    fn new(grouping: DriverGrouping) -> Result<Self, Failure> {
        Ok(nps_driver_grouping {
            levels: (grouping.groups.iter())
                .map(|g| CLevel::all(&g.levels))
                .collect::<Result<_, _>>()?,
            problems: (grouping.groups.iter())
                .map(|g| c_opt_text(g.problem.as_deref(), "a problem"))
                .collect::<Result<_, _>>()?,
            grouping,
        })
    }
}

/// Driver importance within every combination of `keys` (dimension names) and, when
/// `period_unit` is not NULL, the period of each response's date ("day", "week", "month",
/// "quarter", "year"; the last key): each group's rows are analysed as `nps_drivers` analyses a
/// table. A group whose data allow no analysis (too few complete rows, a driver constant within
/// the group…) gets a problem message instead of failing the call. `drivers` and `options` as in
/// `nps_drivers` (`n_drivers` 0 = every driver; `options` NULL = defaults).
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for a dimension or driver the table lacks (or a period without
/// dates); `NPS_ERR_UNKNOWN_METHOD` for an unknown period unit, method, outcome or missing-value
/// handling; `NPS_ERR_INVALID_DRIVER` for a driver with no rating in the whole table, a rating
/// outside the declared scale, or more drivers than exact Shapley allows;
/// `NPS_ERR_INVALID_LEVEL`; `NPS_ERR_INVALID_ARGUMENT` for no drivers, a driver named twice,
/// `max_exact` above 30, a bad rating scale or too many combinations of keys. The caller owns
/// `*out` (`nps_driver_grouping_free`).
///
/// # Safety
/// `table` must be a live table; `keys` must point to `n_keys` pointers to NUL-terminated
/// strings (or be NULL with `n_keys` 0); `period_unit` NULL or a NUL-terminated string;
/// `drivers` must point to `n_drivers` pointers to NUL-terminated strings (or be NULL with
/// `n_drivers` 0); `options` NULL or a readable `nps_driver_options`; `out` must point to a
/// writable `nps_driver_grouping *`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn nps_drivers_by(
    table: *const nps_table,
    keys: *const *const c_char,
    n_keys: usize,
    period_unit: *const c_char,
    drivers: *const *const c_char,
    n_drivers: usize,
    options: *const nps_driver_options,
    out: *mut *mut nps_driver_grouping,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, keys, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                self::keys(keys, n_keys, "keys", period_unit, "period_unit")?,
                nps_driver_options::to_core(options, str_array(drivers, n_drivers, "drivers")?)?,
            )
        };
        give(
            out,
            nps_driver_grouping::new(drivers_by(table, &keys, &options)?)?,
        );
        Ok(())
    })
}

/// Frees a per-group driver importance. NULL is allowed and does nothing.
///
/// # Safety
/// `grouping` must be NULL or a grouping from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_grouping_free(grouping: *mut nps_driver_grouping) {
    // SAFETY: as the caller guarantees.
    unsafe { free(grouping) }
}

/// Stores in `*out` the number of groups.
///
/// # Safety
/// `grouping` must be a live grouping; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_grouping_len(
    grouping: *const nps_driver_grouping,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(grouping, "grouping", out, |g| Ok(g.grouping.groups.len())) }
}

/// The level of group `group` on key `key` (the dimensions in the order given, then the period
/// if any): `*kind_out` says whether it is a value or the rows missing this dimension;
/// `*value_out` is the value (lent until the grouping is freed), NULL unless the kind is
/// `NPS_LEVEL_VALUE`. A group or key out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `value_out` and `kind_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_grouping_level(
    grouping: *const nps_driver_grouping,
    group: usize,
    key: usize,
    value_out: *mut *const c_char,
    kind_out: *mut nps_level_kind,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::level(grouping, "grouping", key, value_out, kind_out, |g| {
            Ok(at(&g.levels, group, "group", "groups")?)
        })
    }
}

/// Stores in `*message_out` why group `group` has no importance analysis (the message
/// `nps_drivers` would give on its rows, e.g. naming a driver constant within the group), lent
/// until the grouping is freed; NULL when the group was analysed. A group out of range gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `message_out` must point to a writable `const char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_grouping_problem(
    grouping: *const nps_driver_grouping,
    group: usize,
    message_out: *mut *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, g) = unsafe {
            (
                Out::new(message_out, "message_out")?,
                try_ref(grouping, "grouping")?,
            )
        };
        out.write(lend(at(&g.problems, group, "group", "groups")?.as_ref()));
        Ok(())
    })
}

/// Stores in `*out` a copy of the importance analysis of group `group` (R², rows used, every
/// driver's importance), owned by the caller (`nps_driver_importance_free`). A group with a
/// problem has none: `NPS_ERR_EMPTY`, with the problem in the message. A group out of range
/// gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `out` must point to a writable `nps_driver_importance *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_grouping_importance(
    grouping: *const nps_driver_grouping,
    group: usize,
    out: *mut *mut nps_driver_importance,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, g) = unsafe { (Out::new(out, "out")?, try_ref(grouping, "grouping")?) };
        let entry = at(&g.grouping.groups, group, "group", "groups")?;
        let result = entry.result.as_ref().ok_or_else(|| {
            Failure::Unavailable(format!(
                "the group at {group} has no driver importance: {}",
                entry.problem.as_deref().unwrap_or("no analysis")
            ))
        })?;
        give(out, nps_driver_importance::new(result.clone())?);
        Ok(())
    })
}

/// Stores in `*json_out` the whole grouping as JSON text (the keys; every group's levels, rows,
/// importance analysis or problem), a new string the caller frees with `nps_string_free`.
///
/// # Safety
/// `grouping` must be a live grouping; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_grouping_to_json(
    grouping: *const nps_driver_grouping,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(grouping, "grouping", json_out, |g| {
            serde_json::to_string(&g.grouping)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::table::{nps_table_add_driver, nps_table_free};
    use crate::testing::{self, drivers_table as table, last_error};
    use crate::text::nps_string_free;

    fn row(r: *const nps_driver_importance, i: usize) -> nps_driver_row {
        testing::row(nps_driver_importance_row, r, i)
    }

    #[test]
    fn shapley_values_add_up_to_r2() {
        let t = table();
        let mut r = ptr::null_mut();
        // SAFETY: live table, NULL names with 0, default options, valid out-parameter.
        let status = unsafe { nps_drivers(t, ptr::null(), 0, ptr::null(), &mut r) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        let (mut len, mut r2, mut n) = (0usize, 0.0, 0u64);
        // SAFETY: a live result and valid out-parameters.
        unsafe {
            assert_eq!(nps_driver_importance_len(r, &mut len), nps_status::NPS_OK);
            assert_eq!(nps_driver_importance_r2(r, &mut r2), nps_status::NPS_OK);
            assert_eq!(nps_driver_importance_n(r, &mut n), nps_status::NPS_OK);
        }
        assert_eq!((len, n), (2, 10));
        let rows: Vec<_> = (0..len).map(|i| row(r, i)).collect();
        // SAFETY: lent by the live result.
        let name = unsafe { CStr::from_ptr(rows[0].driver) };
        assert_eq!(name.to_str(), Ok("speed"));
        let total: f64 = rows.iter().map(|x| x.importance).sum();
        assert!((total - r2).abs() < 1e-12);
        assert!((rows.iter().map(|x| x.share).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(rows[0].se.is_nan() && rows[0].low.is_nan() && !rows[0].bootstrapped);

        let mut out = std::mem::MaybeUninit::uninit();
        // SAFETY: as above; row 2 is out of range.
        let status = unsafe { nps_driver_importance_row(r, 2, out.as_mut_ptr()) };
        assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
        assert_eq!(last_error(), "row is 2, but there are 2 rows (0..2)");

        let mut json = ptr::null_mut();
        // SAFETY: a live result, a valid out-parameter; the text is freed once.
        unsafe {
            assert_eq!(
                nps_driver_importance_to_json(r, &mut json),
                nps_status::NPS_OK
            );
            let text = CStr::from_ptr(json).to_str().unwrap().to_owned();
            assert!(text.contains("\"method\":\"shapley\""), "{text}");
            nps_string_free(json);
            nps_driver_importance_free(r);
            nps_table_free(t);
        }
    }

    #[test]
    fn options_choose_drivers_method_and_bootstrap() {
        let t = table();
        let names = [c"price".as_ptr()];
        let o = nps_driver_options {
            method: c"johnson".as_ptr(),
            replicates: 200,
            ..nps_driver_options::default()
        };
        let mut r = ptr::null_mut();
        // SAFETY: valid pointers.
        let status = unsafe { nps_drivers(t, names.as_ptr(), 1, &o, &mut r) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        let x = row(r, 0);
        // SAFETY: lent by the live result.
        assert_eq!(unsafe { CStr::from_ptr(x.driver) }.to_str(), Ok("price"));
        assert!(x.bootstrapped && x.low <= x.importance && x.importance <= x.high);
        // SAFETY: freed once.
        unsafe { nps_driver_importance_free(r) };

        for (field, name, status) in [
            ("method", c"lmg", nps_status::NPS_ERR_UNKNOWN_METHOD),
            ("outcome", c"nps", nps_status::NPS_ERR_UNKNOWN_METHOD),
            ("missing", c"drop", nps_status::NPS_ERR_UNKNOWN_METHOD),
        ] {
            let mut o = nps_driver_options::default();
            match field {
                "method" => o.method = name.as_ptr(),
                "outcome" => o.outcome = name.as_ptr(),
                _ => o.missing = name.as_ptr(),
            }
            let mut r = ptr::null_mut();
            // SAFETY: valid pointers.
            assert_eq!(
                unsafe { nps_drivers(t, ptr::null(), 0, &o, &mut r) },
                status
            );
            assert!(r.is_null());
        }
        let bad = [c"speed".as_ptr(), ptr::null()];
        let mut r = ptr::null_mut();
        // SAFETY: valid pointers (the NULL element is the point).
        let status = unsafe { nps_drivers(t, bad.as_ptr(), 2, ptr::null(), &mut r) };
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
        assert_eq!(
            last_error(),
            "drivers[1] is NULL; it must point to a string"
        );
        // SAFETY: freed once.
        unsafe { nps_table_free(t) };
    }

    #[test]
    fn invalid_drivers_have_their_status() {
        let t = table();
        let flat = [3.0; 10];
        // SAFETY: valid pointers.
        let status =
            unsafe { nps_table_add_driver(t, c"flat".as_ptr(), flat.as_ptr(), flat.len()) };
        assert_eq!(status, nps_status::NPS_OK);
        let mut r = ptr::null_mut();
        // SAFETY: valid pointers.
        let status = unsafe { nps_drivers(t, ptr::null(), 0, ptr::null(), &mut r) };
        assert_eq!(status, nps_status::NPS_ERR_INVALID_DRIVER);
        assert!(last_error().contains("\"flat\""), "{}", last_error());
        // SAFETY: freed once.
        unsafe { nps_table_free(t) };
    }

    /// `nps_drivers_from_columns` of `outcome` and the two columns `cols` named "a" and "b",
    /// unweighted: its status and the result (NULL on failure).
    fn from_columns(
        outcome: &[f64],
        cols: &[*const f64; 2],
        options: *const nps_driver_options,
    ) -> (nps_status, *mut nps_driver_importance) {
        let names = [c"a".as_ptr(), c"b".as_ptr()];
        let mut r = ptr::null_mut();
        // SAFETY: arrays of the stated lengths (each column NULL or of `outcome.len()` doubles,
        // as the tests pass them) and a valid out-parameter.
        let status = unsafe {
            nps_drivers_from_columns(
                outcome.as_ptr(),
                outcome.len(),
                names.as_ptr(),
                cols.as_ptr(),
                2,
                ptr::null(),
                options,
                &mut r,
            )
        };
        (status, r)
    }

    #[test]
    fn columns_need_no_table_and_no_bootstrap() {
        let outcome = [80.2, 83.1, 92.5, 85.8, 76.9, 76.1, 83.8, 92.4];
        let a = [17.0, 45.1, 39.7, 36.5, 43.5, 35.3, 70.2, 67.8];
        let b = [15.0, 6.0, 5.0, 12.0, 17.0, 9.0, 16.0, 14.0];
        let cols = [a.as_ptr(), b.as_ptr()];
        let (status, r) = from_columns(&outcome, &cols, ptr::null());
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        assert_eq!(row(r, 1).sign.abs(), 1.0);
        // SAFETY: freed once.
        unsafe { nps_driver_importance_free(r) };

        let o = nps_driver_options {
            replicates: 10,
            ..nps_driver_options::default()
        };
        let (status, _) = from_columns(&outcome, &cols, &o);
        assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
        assert!(last_error().contains("replicates"), "{}", last_error());
        let (status, _) = from_columns(&outcome, &[a.as_ptr(), ptr::null()], ptr::null());
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
        assert_eq!(
            last_error(),
            "a column of ratings is NULL; it must point to valid memory"
        );
    }

    #[test]
    fn null_pointers_are_reported() {
        let mut r = ptr::null_mut();
        // SAFETY: the NULL table is the point.
        let status = unsafe { nps_drivers(ptr::null(), ptr::null(), 0, ptr::null(), &mut r) };
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
        assert_eq!(last_error(), "table is NULL; it must point to valid memory");
        let mut len = 0usize;
        // SAFETY: the NULL result is the point.
        let status = unsafe { nps_driver_importance_len(ptr::null(), &mut len) };
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
        // SAFETY: NULL is allowed.
        unsafe { nps_driver_importance_free(ptr::null_mut()) };
        // SAFETY: the NULL out-parameter is the point.
        let status = unsafe { nps_driver_options_default(ptr::null_mut()) };
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
    }

    #[test]
    fn groups_are_analysed_apart_and_a_problem_is_kept() {
        let t = table();
        let brand = [
            c"A".as_ptr(),
            c"A".as_ptr(),
            c"A".as_ptr(),
            c"A".as_ptr(),
            c"A".as_ptr(),
        ]
        .into_iter()
        .chain([c"B".as_ptr(); 5])
        .collect::<Vec<_>>();
        // Constant within B only.
        let flat = [1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 3.0, 3.0, 3.0, 3.0];
        let keys = [c"brand".as_ptr()];
        let names = [c"flat".as_ptr()];
        let mut g = ptr::null_mut();
        // SAFETY: arrays of the stated lengths and valid out-parameters.
        unsafe {
            let status =
                crate::table::nps_table_add_dimension(t, c"brand".as_ptr(), brand.as_ptr(), 10);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let status = nps_table_add_driver(t, c"flat".as_ptr(), flat.as_ptr(), flat.len());
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let status = nps_drivers_by(
                t,
                keys.as_ptr(),
                1,
                ptr::null(),
                names.as_ptr(),
                1,
                ptr::null(),
                &mut g,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        }
        let (mut len, mut problem, mut value, mut kind) = (
            0usize,
            ptr::null(),
            ptr::null(),
            nps_level_kind::NPS_LEVEL_ALL,
        );
        let mut imp = ptr::null_mut();
        // SAFETY: a live grouping and valid out-parameters; handles freed once.
        unsafe {
            assert_eq!(nps_driver_grouping_len(g, &mut len), nps_status::NPS_OK);
            assert_eq!(len, 2);
            let status = nps_driver_grouping_level(g, 1, 0, &mut value, &mut kind);
            assert_eq!(status, nps_status::NPS_OK);
            assert_eq!(kind, nps_level_kind::NPS_LEVEL_VALUE);
            assert_eq!(CStr::from_ptr(value).to_str(), Ok("B"));
            assert_eq!(
                nps_driver_grouping_problem(g, 0, &mut problem),
                nps_status::NPS_OK
            );
            assert!(problem.is_null());
            assert_eq!(
                nps_driver_grouping_importance(g, 0, &mut imp),
                nps_status::NPS_OK
            );
            nps_driver_importance_free(imp);
            assert_eq!(
                nps_driver_grouping_problem(g, 1, &mut problem),
                nps_status::NPS_OK
            );
            let text = CStr::from_ptr(problem).to_str().unwrap();
            assert!(text.contains("\"flat\" is constant"), "{text}");
            let mut none = ptr::null_mut();
            let status = nps_driver_grouping_importance(g, 1, &mut none);
            assert_eq!(status, nps_status::NPS_ERR_EMPTY);
            assert!(none.is_null() && last_error().contains("\"flat\" is constant"));
            nps_driver_grouping_free(g);
            nps_table_free(t);
        }
    }
}
