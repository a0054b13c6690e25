//! Group-by: the NPS of every combination of dimensions (and periods) of a table, with margins.
//! Also the pieces the other analyses share: levels, keys, period units and group options.

use std::ffi::{CString, c_char};

use nps_core::{GroupOptions, Grouping, Key, Level, PeriodUnit, group_by};

use crate::estimate::{method_with, nps_estimate, nps_method_options};
use crate::failure::Failure;
use crate::panic;
use crate::ptr::{Out, at, free, give, opt_str, str_array, try_ref};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::tally::nps_tally;
use crate::text::{c_text, c_texts, lend};

/// What a group's level on one key is.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum nps_level_kind {
    /// A value of the key: a dimension's value, or a period's label ("2024-03", "2024-Q3").
    NPS_LEVEL_VALUE = 0,
    /// The rows that have no value on this dimension (the value pointer is NULL).
    NPS_LEVEL_MISSING = 1,
    /// A margin: every value of this key together (the value pointer is NULL).
    NPS_LEVEL_ALL = 2,
}

/// A level of a result as C reads it: its kind and, for a value, a NUL-terminated copy.
pub(crate) struct CLevel {
    value: Option<CString>,
    kind: nps_level_kind,
}

impl CLevel {
    /// The C view of a core level.
    pub(crate) fn of(level: &Level) -> Result<Self, Failure> {
        Ok(match level {
            Level::Value(v) => CLevel {
                value: Some(c_text(v, "a level")?),
                kind: nps_level_kind::NPS_LEVEL_VALUE,
            },
            Level::Missing => CLevel {
                value: None,
                kind: nps_level_kind::NPS_LEVEL_MISSING,
            },
            Level::All => CLevel {
                value: None,
                kind: nps_level_kind::NPS_LEVEL_ALL,
            },
        })
    }

    /// The C views of a group's levels, one per key.
    pub(crate) fn all(levels: &[Level]) -> Result<Vec<CLevel>, Failure> {
        levels.iter().map(CLevel::of).collect()
    }

    /// The value lent to C (NULL unless the kind is `NPS_LEVEL_VALUE`).
    pub(crate) fn value(&self) -> *const c_char {
        lend(self.value.as_ref())
    }

    /// The kind.
    pub(crate) fn kind(&self) -> nps_level_kind {
        self.kind
    }

    /// Writes the level `key` of `levels` to the two out-parameters of a `*_level` accessor.
    ///
    /// # Safety
    /// `value_out` and `kind_out` must be NULL or writable.
    pub(crate) unsafe fn write(
        levels: &[CLevel],
        key: usize,
        value_out: *mut *const c_char,
        kind_out: *mut nps_level_kind,
    ) -> Result<(), Failure> {
        // SAFETY: as the caller guarantees.
        let (value_out, kind_out) = unsafe {
            (
                Out::new(value_out, "value_out")?,
                Out::new(kind_out, "kind_out")?,
            )
        };
        let level = at(levels, key, "key", "keys")?;
        value_out.write(level.value());
        kind_out.write(level.kind);
        Ok(())
    }
}

/// The period unit called `name` ("day", "week", "month", "quarter", "year" or "D", "W", "M",
/// "Q", "Y", any case), `None` for NULL.
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn unit_named(
    name: *const c_char,
    field: &'static str,
) -> Result<Option<PeriodUnit>, Failure> {
    // SAFETY: as the caller guarantees.
    let name = unsafe { opt_str(name, field)? };
    Ok(name.map(PeriodUnit::from_name).transpose()?)
}

/// The keys of an analysis: the dimensions named by `names`, then the period of `unit` when it
/// is not NULL.
///
/// # Safety
/// `names` as in [`str_array`]; `unit` as in [`unit_named`].
pub(crate) unsafe fn keys(
    names: *const *const c_char,
    n: usize,
    field: &'static str,
    unit: *const c_char,
    unit_field: &'static str,
) -> Result<Vec<Key>, Failure> {
    // SAFETY: as the caller guarantees.
    let (names, unit) = unsafe { (str_array(names, n, field)?, unit_named(unit, unit_field)?) };
    let mut keys: Vec<Key> = names.into_iter().map(Key::from).collect();
    keys.extend(unit.map(Key::Period));
    Ok(keys)
}

/// How `nps_group_by`, `nps_cube_group_by` and `nps_journey_rollup` estimate each group. Start
/// from `nps_group_options_default` and change what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct nps_group_options {
    /// Interval method of each group: "wald", "adjusted_wald", "score", "bayes" or "bootstrap";
    /// NULL = "adjusted_wald" (the default). Read during the call only.
    pub method: *const c_char,
    /// The prior and bootstrap parameters of the method.
    pub method_options: nps_method_options,
    /// Confidence level of the intervals, a fraction in (0, 1) (default 0.95).
    pub level: f64,
    /// Groups with fewer answered responses are flagged small (default 30).
    pub min_n: u64,
    /// Whether to add margins (totals): every key, and every set of keys, replaced by "all"
    /// (default false).
    pub margins: bool,
}

impl Default for nps_group_options {
    fn default() -> Self {
        let core = GroupOptions::default();
        nps_group_options {
            method: std::ptr::null(),
            method_options: nps_method_options::default(),
            level: core.level,
            min_n: core.min_n,
            margins: core.margins,
        }
    }
}

impl nps_group_options {
    /// The core options of `p` (NULL = defaults).
    ///
    /// # Safety
    /// `p` must be NULL or point to a readable `nps_group_options` whose `method` is NULL or a
    /// NUL-terminated string.
    pub(crate) unsafe fn to_core(p: *const nps_group_options) -> Result<GroupOptions, Failure> {
        // SAFETY: as the caller guarantees.
        let o = unsafe { p.as_ref() }.copied().unwrap_or_default();
        Ok(GroupOptions {
            // SAFETY: as the caller guarantees.
            method: unsafe { method_with(o.method, &o.method_options)? },
            level: o.level,
            min_n: o.min_n,
            margins: o.margins,
        })
    }
}

/// Fills `*out` with the default group options: adjusted Wald, 95 %, groups under 30 answers
/// flagged small, no margins.
///
/// # Safety
/// `out` must point to a writable `nps_group_options`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_group_options_default(out: *mut nps_group_options) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::write_default(out) }
}

/// An opaque group-by result: one row per combination of the keys that has responses, then the
/// margins when asked. Made by `nps_group_by` or `nps_cube_group_by`, read with the
/// `nps_grouping_*` accessors, freed with `nps_grouping_free`. Strings it lends stay valid until
/// it is freed.
pub struct nps_grouping {
    grouping: Grouping,
    keys: Vec<CString>,
    levels: Vec<Vec<CLevel>>,
}

impl nps_grouping {
    /// The handle of a core grouping, with the C copies of its keys and levels (shared by
    /// `nps_group_by` and `nps_cube_group_by`).
    pub(crate) fn new(grouping: Grouping) -> Result<Self, Failure> {
        Ok(nps_grouping {
            keys: c_texts(grouping.keys.iter().map(String::as_str), "a key")?,
            levels: (grouping.groups.iter())
                .map(|g| CLevel::all(&g.levels))
                .collect::<Result<_, _>>()?,
            grouping,
        })
    }
}

/// The NPS with its interval of every combination of `keys` (dimension names) and, when
/// `period_unit` is not NULL, the period of each response's date ("day", "week", "month",
/// "quarter", "year"; the last key), in one pass over `table`. `options` NULL = defaults.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for a dimension the table lacks (or a period without dates),
/// `NPS_ERR_UNKNOWN_METHOD` for an unknown period unit or method, `NPS_ERR_INVALID_LEVEL`,
/// `NPS_ERR_INVALID_ARGUMENT` for bad method parameters. The caller owns `*out`
/// (`nps_grouping_free`).
///
/// # Safety
/// `table` must be a live table; `keys` must point to `n_keys` pointers to NUL-terminated
/// strings (or be NULL with `n_keys` 0); `period_unit` NULL or a NUL-terminated string;
/// `options` NULL or a readable `nps_group_options`; `out` must point to a writable
/// `nps_grouping *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_group_by(
    table: *const nps_table,
    keys: *const *const c_char,
    n_keys: usize,
    period_unit: *const c_char,
    options: *const nps_group_options,
    out: *mut *mut nps_grouping,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, keys, options) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                self::keys(keys, n_keys, "keys", period_unit, "period_unit")?,
                nps_group_options::to_core(options)?,
            )
        };
        give(out, nps_grouping::new(group_by(table, &keys, &options)?)?);
        Ok(())
    })
}

/// Frees a grouping. NULL is allowed and does nothing.
///
/// # Safety
/// `grouping` must be NULL or a grouping from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_free(grouping: *mut nps_grouping) {
    // SAFETY: as the caller guarantees.
    unsafe { free(grouping) }
}

/// Stores in `*out` the number of rows (groups, margins included).
///
/// # Safety
/// `grouping` must be a live grouping; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_len(
    grouping: *const nps_grouping,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(grouping, "grouping", out, |g| Ok(g.grouping.groups.len())) }
}

/// Stores in `*out` the number of keys (the dimensions, then the period if any).
///
/// # Safety
/// `grouping` must be a live grouping; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_n_keys(
    grouping: *const nps_grouping,
    out: *mut usize,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::read(grouping, "grouping", out, |g| Ok(g.keys.len())) }
}

/// Stores in `*name_out` the name of key `key` (a dimension's name, or the period unit such as
/// "month"), lent until the grouping is freed. `key` past the keys gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `name_out` must point to a writable `const char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_key(
    grouping: *const nps_grouping,
    key: usize,
    name_out: *mut *const c_char,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, g) = unsafe {
            (
                Out::new(name_out, "name_out")?,
                try_ref(grouping, "grouping")?,
            )
        };
        out.write(at(&g.keys, key, "key", "keys")?.as_ptr());
        Ok(())
    })
}

/// The level of row `row` on key `key`: `*kind_out` says whether it is a value, the rows
/// missing this dimension, or a margin ("all"); `*value_out` is the value (lent until the
/// grouping is freed), NULL unless the kind is `NPS_LEVEL_VALUE`. A row or key out of range gives
/// `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `value_out` and `kind_out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_level(
    grouping: *const nps_grouping,
    row: usize,
    key: usize,
    value_out: *mut *const c_char,
    kind_out: *mut nps_level_kind,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::level(grouping, "grouping", key, value_out, kind_out, |g| {
            Ok(at(&g.levels, row, "row", "rows")?)
        })
    }
}

/// The estimate of row `row` into `*out`, and in `*small_out` (when not NULL) whether the group
/// has fewer answered responses than `min_n` (to be reported, not read as a result). A group
/// whose responses all left the question unanswered has no estimate: `NPS_ERR_EMPTY`, nothing
/// written. A row out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `out` must point to a writable `nps_estimate`;
/// `small_out` must be NULL or point to a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_estimate(
    grouping: *const nps_grouping,
    row: usize,
    out: *mut nps_estimate,
    small_out: *mut bool,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, small_out, g) = unsafe {
            (
                Out::new(out, "out")?,
                Out::optional(small_out),
                try_ref(grouping, "grouping")?,
            )
        };
        let group = at(&g.grouping.groups, row, "row", "rows")?;
        let estimate = group.estimate.ok_or_else(|| {
            Failure::Unavailable(format!(
                "the group at row {row} has no answered response ({} missing), so no estimate",
                group.tally.missing()
            ))
        })?;
        out.write(estimate.into());
        if let Some(small_out) = small_out {
            small_out.write(group.small);
        }
        Ok(())
    })
}

/// Stores in `*out` a copy of the tally of row `row` (answers, missing answers, weight sums),
/// owned by the caller (`nps_tally_free`). A row out of range gives `NPS_ERR_INVALID_ARGUMENT`.
///
/// # Safety
/// `grouping` must be a live grouping; `out` must point to a writable `nps_tally *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_tally(
    grouping: *const nps_grouping,
    row: usize,
    out: *mut *mut nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, g) = unsafe { (Out::new(out, "out")?, try_ref(grouping, "grouping")?) };
        let group = at(&g.grouping.groups, row, "row", "rows")?;
        nps_tally::give(out, group.tally.clone());
        Ok(())
    })
}

/// Stores in `*json_out` the whole grouping as JSON text (keys, every group's levels, tally,
/// estimate and small flag, the options), a new NUL-terminated string the caller frees with
/// `nps_string_free`.
///
/// # Safety
/// `grouping` must be a live grouping; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_grouping_to_json(
    grouping: *const nps_grouping,
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
    use crate::table::{nps_table_add_dimension, nps_table_free, nps_table_new};
    use crate::testing::last_error;
    use crate::text::nps_string_free;

    #[test]
    fn groups_levels_and_estimates_come_through() {
        let scores = [10.0, 9.0, 3.0, 8.0, f64::NAN];
        let brand = [
            c"A".as_ptr(),
            c"A".as_ptr(),
            ptr::null(),
            c"B".as_ptr(),
            c"C".as_ptr(),
        ];
        let keys = [c"brand".as_ptr()];
        let (mut t, mut g) = (ptr::null_mut(), ptr::null_mut());
        let options = nps_group_options {
            margins: true,
            ..Default::default()
        };
        // SAFETY: arrays hold the lengths given; out-parameters are valid.
        unsafe {
            assert_eq!(
                nps_table_new(scores.as_ptr(), 5, &mut t),
                nps_status::NPS_OK
            );
            let status = nps_table_add_dimension(t, c"brand".as_ptr(), brand.as_ptr(), 5);
            assert_eq!(status, nps_status::NPS_OK);
            let status = nps_group_by(t, keys.as_ptr(), 1, ptr::null(), &options, &mut g);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            nps_table_free(t);

            // A, B, C, missing, then the total.
            let mut len = 0;
            assert_eq!(nps_grouping_len(g, &mut len), nps_status::NPS_OK);
            assert_eq!(len, 5);
            let mut value = ptr::null();
            let mut kind = nps_level_kind::NPS_LEVEL_VALUE;
            assert_eq!(
                nps_grouping_level(g, 0, 0, &mut value, &mut kind),
                nps_status::NPS_OK
            );
            assert_eq!(CStr::from_ptr(value), c"A");
            assert_eq!(
                nps_grouping_level(g, 3, 0, &mut value, &mut kind),
                nps_status::NPS_OK
            );
            assert_eq!(
                (value, kind),
                (ptr::null(), nps_level_kind::NPS_LEVEL_MISSING)
            );
            assert_eq!(
                nps_grouping_level(g, 4, 0, &mut value, &mut kind),
                nps_status::NPS_OK
            );
            assert_eq!(kind, nps_level_kind::NPS_LEVEL_ALL);

            let mut e = std::mem::MaybeUninit::<nps_estimate>::uninit();
            let mut small = false;
            assert_eq!(
                nps_grouping_estimate(g, 0, e.as_mut_ptr(), &mut small),
                nps_status::NPS_OK
            );
            assert!((e.assume_init().nps - 100.0).abs() < 1e-12 && small);
            let status = nps_grouping_estimate(g, 2, e.as_mut_ptr(), ptr::null_mut());
            assert_eq!(status, nps_status::NPS_ERR_EMPTY);
            assert_eq!(
                last_error(),
                "the group at row 2 has no answered response (1 missing), so no estimate"
            );
            let status = nps_grouping_estimate(g, 5, e.as_mut_ptr(), ptr::null_mut());
            assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
            assert_eq!(last_error(), "row is 5, but there are 5 rows (0..5)");

            let mut json = ptr::null_mut();
            assert_eq!(nps_grouping_to_json(g, &mut json), nps_status::NPS_OK);
            let text = CStr::from_ptr(json).to_str().unwrap();
            assert!(
                text.starts_with("{\"keys\":[\"brand\"],\"groups\":["),
                "{text}"
            );
            nps_string_free(json);
            nps_grouping_free(g);
        }
    }

    #[test]
    fn unknown_units_and_null_keys_are_named() {
        let scores = [10.0];
        let mut t = ptr::null_mut();
        let mut g = ptr::null_mut();
        let keys = [c"brand".as_ptr(), ptr::null()];
        // SAFETY: arrays hold the lengths given; out-parameters are valid.
        unsafe {
            assert_eq!(
                nps_table_new(scores.as_ptr(), 1, &mut t),
                nps_status::NPS_OK
            );
            let status = nps_group_by(
                t,
                ptr::null(),
                0,
                c"fortnight".as_ptr(),
                ptr::null(),
                &mut g,
            );
            assert_eq!(status, nps_status::NPS_ERR_UNKNOWN_METHOD);
            assert!(last_error().contains("\"fortnight\""), "{}", last_error());
            let status = nps_group_by(t, keys.as_ptr(), 2, ptr::null(), ptr::null(), &mut g);
            assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
            assert_eq!(last_error(), "keys[1] is NULL; it must point to a string");
            assert!(g.is_null());
            nps_table_free(t);
        }
    }
}
