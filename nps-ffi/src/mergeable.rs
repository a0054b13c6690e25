//! Map-reduce: the mergeable, serializable states behind the analyses, as handles. A cube (a
//! tally per combination of keys) gives group-by and trends; driver moments (weighted means and
//! cross-products) give driver importance. Each is built per partition of the rows wherever the
//! rows live, shipped as JSON text, merged, and analysed once, with the result handles and
//! accessors of the single-table functions.

use std::ffi::c_char;

use nps_core::{Cube, DriverMoments, Key, PeriodUnit};

use crate::drivers::{nps_driver_importance, nps_driver_options};
use crate::failure::Failure;
use crate::group::{keys, nps_group_options, nps_grouping};
use crate::panic;
use crate::ptr::{Out, free, give, try_mut, try_ref, try_str};
use crate::result;
use crate::status::nps_status;
use crate::table::nps_table;
use crate::trend::{nps_trend_options, nps_trend_result};

/// Adds the state `other` into `into` with `merge` (the body of the `nps_*_merge` functions).
/// `other` is checked for NULL first, then `into`; `other` may be `into` itself, which is then
/// copied first.
///
/// # Safety
/// `into` must be NULL or a live handle not used elsewhere during the call; `other` NULL or a
/// live handle.
unsafe fn merge<H: Clone>(
    into: *mut H,
    other: *const H,
    merge: impl FnOnce(&mut H, &H) -> nps_core::Result<()>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let other = unsafe { try_ref(other, "other")? };
        // `into` may not be borrowed mutably while `other` borrows the same handle.
        let copy;
        let other = if std::ptr::eq(into.cast_const(), other) {
            copy = other.clone();
            &copy
        } else {
            other
        };
        // SAFETY: as the caller guarantees; no other borrow of `into` is used from here on.
        let into = unsafe { try_mut(into, "into")? };
        Ok(merge(into, other)?)
    })
}

/// Hands the caller in `*out` the handle `read` makes of the NUL-terminated UTF-8 text `json`
/// (the body of the `nps_*_from_json` functions). `out` is checked for NULL first, then `json`.
///
/// # Safety
/// `json` must be NULL or a NUL-terminated string; `out` must be NULL or point to a writable
/// `H *`.
unsafe fn from_json<H>(
    json: *const c_char,
    out: *mut *mut H,
    read: impl FnOnce(&str) -> Result<H, Failure>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let (out, json) = unsafe { (Out::new(out, "out")?, try_str(json, "json")?) };
        give(out, read(json)?);
        Ok(())
    })
}

/// An opaque cube: the tally of every combination of key values (dimensions, then optionally
/// the period of the response dates) that has responses, the sufficient statistic of
/// `nps_group_by` and `nps_trend` and the unit of distributed work. Tallies are counts, so the
/// cubes of the parts of any partition of a table's rows, merged with `nps_cube_merge`, are the
/// cube of the whole table, and `nps_cube_group_by` and `nps_cube_trend` give exactly the
/// single-machine answer (weighted sums to the last bits of floating-point addition).
///
/// Made by `nps_cube_new` or `nps_cube_from_json`, freed with `nps_cube_free`. A cube may be
/// moved between threads and read by several threads at once, but not merged into while read.
#[derive(Clone)]
pub struct nps_cube(Cube);

/// Builds the cube of `table` grouped by `keys` (dimension names) and, when `period_unit` is not
/// NULL, by the period of each response's date ("day", "week", "month", "quarter", "year"; the
/// last key, which `nps_cube_trend` needs), in one pass over the rows: what `nps_group_by` and
/// `nps_trend` compute before estimating. Build one per partition of the rows with the same
/// keys, merge them with `nps_cube_merge`, and analyse the merged cube once.
///
/// Errors: `NPS_ERR_UNKNOWN_NAME` for a dimension the table lacks (or a period without dates),
/// `NPS_ERR_UNKNOWN_METHOD` for an unknown period unit, `NPS_ERR_INVALID_ARGUMENT` for keys with
/// 2^64 combinations of values or more. The caller owns `*out` (`nps_cube_free`); the cube does
/// not refer to the table, which may be freed first.
///
/// # Safety
/// `table` must be a live table; `keys` must point to `n_keys` pointers to NUL-terminated
/// strings (or be NULL with `n_keys` 0); `period_unit` NULL or a NUL-terminated string; `out`
/// must point to a writable `nps_cube *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_new(
    table: *const nps_table,
    keys: *const *const c_char,
    n_keys: usize,
    period_unit: *const c_char,
    out: *mut *mut nps_cube,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table, keys) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                self::keys(keys, n_keys, "keys", period_unit, "period_unit")?,
            )
        };
        give(out, nps_cube(Cube::build(table, &keys)?));
        Ok(())
    })
}

/// Frees a cube. NULL is allowed and does nothing.
///
/// # Safety
/// `cube` must be NULL or a cube from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_free(cube: *mut nps_cube) {
    // SAFETY: as the caller guarantees.
    unsafe { free(cube) }
}

/// Adds the cube `other` into `into`: afterwards `into` is the cube of both sets of responses,
/// so merging the cubes of the parts of a partition of a table's rows gives exactly the cube of
/// the whole table, and its group-by and trend are the single-machine answer. Dimension values
/// are matched by name (the parts need not share a dictionary; values new to `into` come after
/// its own), and periods extend to cover both. `other` is unchanged and may be `into` itself
/// (which doubles every count).
///
/// Errors: `NPS_ERR_INVALID_ARGUMENT` when the keys or the scales differ (the message names
/// both), or the merged keys would have 2^64 combinations of values or more; `into` is then
/// unchanged.
///
/// # Safety
/// `into` must be a live cube not used elsewhere during the call; `other` a live cube.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_merge(into: *mut nps_cube, other: *const nps_cube) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { merge(into, other, |into, other| into.0.merge(&other.0)) }
}

/// Stores in `*json_out` the cube as JSON text (the scale, every key with its labels, the tally
/// of every combination with responses), a new string the caller frees with `nps_string_free`:
/// how a partition's cube travels to where the cubes are merged. `nps_cube_from_json` reads it
/// back, equal to the original.
///
/// # Safety
/// `cube` must be a live cube; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_to_json(
    cube: *const nps_cube,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { result::to_json(cube, "cube", json_out, |c| serde_json::to_string(&c.0)) }
}

/// Reads a cube from the NUL-terminated UTF-8 JSON text written by `nps_cube_to_json` and
/// stores it in `*out`, owned by the caller (`nps_cube_free`), who keeps ownership of `json`. The
/// text is checked: labels distinct and periods consecutive, every cell within the keys' labels,
/// one tally on the cube's scale each. Text that is not UTF-8 gives `NPS_ERR_INVALID_UTF8`; text
/// that is not JSON, or not a valid cube, gives `NPS_ERR_INVALID_JSON` (the message says what and
/// where).
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable `nps_cube *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_from_json(
    json: *const c_char,
    out: *mut *mut nps_cube,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        from_json(json, out, |text| {
            let cube = serde_json::from_str(text).map_err(Failure::invalid_json("a valid cube"))?;
            Ok(nps_cube(cube))
        })
    }
}

/// The NPS with its interval of every combination of the cube's keys that has responses, and
/// the margins when asked: what `nps_group_by` gives on the rows the cube was built from (or
/// merged from), read with the same `nps_grouping_*` accessors. The groups come in the order of
/// the cube's labels: a dimension's values as the first cube had them, then the values merged
/// in later, so rows may come in another order than on the whole table (find them by their
/// levels). `options` NULL = defaults.
///
/// Errors: `NPS_ERR_UNKNOWN_METHOD` for an unknown method, `NPS_ERR_INVALID_LEVEL`,
/// `NPS_ERR_INVALID_ARGUMENT` for bad method parameters. The caller owns `*out`
/// (`nps_grouping_free`).
///
/// # Safety
/// `cube` must be a live cube; `options` NULL or a readable `nps_group_options`; `out` must
/// point to a writable `nps_grouping *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_group_by(
    cube: *const nps_cube,
    options: *const nps_group_options,
    out: *mut *mut nps_grouping,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, cube, options) = unsafe {
            (
                Out::new(out, "out")?,
                try_ref(cube, "cube")?,
                nps_group_options::to_core(options)?,
            )
        };
        give(out, nps_grouping::new(cube.0.group_by(&options)?)?);
        Ok(())
    })
}

/// The trend of the cube: what `nps_trend` gives on the rows the cube was built from (or merged
/// from), read with the same `nps_trend_result_*` accessors. The cube must have been built with
/// a period unit: its last key is the period, whose unit is the trend's; its other keys are the
/// groups (one series each, in the order of the cube's labels, as in `nps_cube_group_by`).
/// Periods run from the first to the last period of all the merged parts. `options` NULL =
/// defaults.
///
/// Errors: `NPS_ERR_INVALID_ARGUMENT` for a cube without a period key (the message names its
/// keys), a window of 0 or a rate outside (0, 1); `NPS_ERR_UNKNOWN_METHOD` for an unknown
/// method, `NPS_ERR_UNSUPPORTED_METHOD` for a comparison other than wald/adjusted_wald,
/// `NPS_ERR_INVALID_LEVEL`. The caller owns `*out` (`nps_trend_result_free`).
///
/// # Safety
/// `cube` must be a live cube; `options` NULL or a readable `nps_trend_options`; `out` must
/// point to a writable `nps_trend_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_cube_trend(
    cube: *const nps_cube,
    options: *const nps_trend_options,
    out: *mut *mut nps_trend_result,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, cube) = unsafe { (Out::new(out, "out")?, try_ref(cube, "cube")?) };
        // The cube's period is the trend's unit; without one, the core names the cube's keys.
        let unit = match cube.0.keys().last() {
            Some(Key::Period(unit)) => *unit,
            _ => PeriodUnit::Month,
        };
        // SAFETY: as above.
        let options = unsafe { nps_trend_options::to_core_in(options, unit)? };
        give(out, nps_trend_result::new(cube.0.trend(&options)?)?);
        Ok(())
    })
}

/// An opaque set of driver moments: the weighted means and centred cross-products of the
/// outcome and the drivers (over the complete rows, or per pair of columns with pairwise
/// deletion), the mergeable part of a driver analysis. The moments of the parts of any
/// partition of a table's rows, merged with `nps_driver_moments_merge`, give through
/// `nps_driver_moments_importance` the analysis `nps_drivers` gives on the whole table (to the
/// last bits of floating-point addition, which the merge does in another order).
///
/// Made by `nps_driver_moments_new` or `nps_driver_moments_from_json`, freed with
/// `nps_driver_moments_free`. Moments may be moved between threads and read by several threads
/// at once, but not merged into while read.
#[derive(Clone)]
pub struct nps_driver_moments(DriverMoments);

/// Computes the moments of the drivers of `table` named in `drivers` (`n_drivers` names, in
/// that order; none = every driver, in the order added) with the options' outcome ("score",
/// "promoter" or "detractor"), missing-value handling and declared rating scale, weighted when
/// the table is: as `nps_drivers` takes them. Spearman correlations and bootstrap intervals
/// cannot be merged (ranks need every row at once; replicates resample rows), so `spearman`
/// must be false and `replicates` 0. A part may lack ratings of a driver or have few rows:
/// whether the merged rows suffice is checked by `nps_driver_moments_importance`. `options`
/// NULL = defaults.
///
/// Errors: `NPS_ERR_INVALID_ARGUMENT` for `spearman` or `replicates` > 0 (the message says why),
/// a table without drivers, a driver named twice, `max_exact` above 30 or a bad rating scale;
/// `NPS_ERR_UNKNOWN_NAME` for a driver the table lacks; `NPS_ERR_UNKNOWN_METHOD` for an
/// unknown method, outcome or missing-value handling; `NPS_ERR_INVALID_DRIVER` for a rating
/// outside the declared scale (naming the driver and the row) or more drivers than exact
/// Shapley allows; `NPS_ERR_INVALID_LEVEL`. The caller owns `*out`
/// (`nps_driver_moments_free`); the moments do not refer to the table.
///
/// # Safety
/// `table` must be a live table; `drivers` must point to `n_drivers` pointers to NUL-terminated
/// strings (or be NULL with `n_drivers` 0); `options` NULL or a readable `nps_driver_options`;
/// `out` must point to a writable `nps_driver_moments *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_moments_new(
    table: *const nps_table,
    drivers: *const *const c_char,
    n_drivers: usize,
    options: *const nps_driver_options,
    out: *mut *mut nps_driver_moments,
) -> nps_status {
    // SAFETY: forwarded as documented (`options` too, read by `to_core`).
    unsafe {
        result::of_drivers(table, drivers, n_drivers, out, |table, names| {
            let options = nps_driver_options::to_core(options, names)?;
            Ok(nps_driver_moments(DriverMoments::from_table(
                table, &options,
            )?))
        })
    }
}

/// Frees a set of driver moments. NULL is allowed and does nothing.
///
/// # Safety
/// `moments` must be NULL or moments from this library that have not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_moments_free(moments: *mut nps_driver_moments) {
    // SAFETY: as the caller guarantees.
    unsafe { free(moments) }
}

/// Adds the moments `other` into `into` (the update of Chan, Golub and LeVeque): afterwards
/// `into` holds the moments of both sets of rows, so merging the moments of the parts of a
/// partition of a table's rows gives the moments of the whole table (to floating-point
/// rounding), and its importance is the single-machine answer. `other` is unchanged and may be
/// `into` itself.
///
/// Errors: `NPS_ERR_INVALID_ARGUMENT` when the outcome, the drivers or the missing-value
/// handling differ (the message names both); `into` is then unchanged.
///
/// # Safety
/// `into` must be live moments not used elsewhere during the call; `other` live moments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_moments_merge(
    into: *mut nps_driver_moments,
    other: *const nps_driver_moments,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { merge(into, other, |into, other| into.0.merge(&other.0)) }
}

/// Stores in `*json_out` the moments as JSON text (the column names, the missing-value handling,
/// the rows, weights, means and cross-products), a new string the caller frees with
/// `nps_string_free`. `nps_driver_moments_from_json` reads it back, equal to the original (the
/// numbers round-trip exactly).
///
/// # Safety
/// `moments` must be live moments; `json_out` must point to a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_moments_to_json(
    moments: *const nps_driver_moments,
    json_out: *mut *mut c_char,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        result::to_json(moments, "moments", json_out, |m| {
            serde_json::to_string(&m.0)
        })
    }
}

/// Reads driver moments from the NUL-terminated UTF-8 JSON text written by
/// `nps_driver_moments_to_json` and stores them in `*out`, owned by the caller
/// (`nps_driver_moments_free`), who keeps ownership of `json`. Text that is not UTF-8 gives
/// `NPS_ERR_INVALID_UTF8`; text that is not JSON, or not driver moments (an outcome column and
/// at least one driver), gives `NPS_ERR_INVALID_JSON` (the message says what and where).
///
/// # Safety
/// `json` must point to a NUL-terminated string; `out` must point to a writable
/// `nps_driver_moments *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_moments_from_json(
    json: *const c_char,
    out: *mut *mut nps_driver_moments,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe {
        from_json(json, out, |text| {
            serde_json::from_str(text)
                .map(nps_driver_moments)
                .map_err(Failure::invalid_json("valid driver moments"))
        })
    }
}

/// The driver importance of the rows behind the moments: what `nps_drivers` gives on them
/// (without bootstrap intervals), read with the same `nps_driver_importance_*` accessors.
/// `options` (NULL = defaults) choose the method and its parameters; their outcome and
/// missing-value handling must be those the moments were built with, `spearman` false and
/// `replicates` 0.
///
/// Errors: `NPS_ERR_INVALID_ARGUMENT` for `spearman`, `replicates` > 0, an outcome or missing-
/// value handling other than the moments', a constant outcome, `max_exact` above 30 or a bad
/// rating scale; `NPS_ERR_UNKNOWN_METHOD` for an unknown method, outcome or missing-value
/// handling; `NPS_ERR_INVALID_DRIVER` naming the driver for one constant over the rows used or
/// perfectly collinear with others, for fewer rows than drivers + 2 (naming the drivers) and
/// for more drivers than exact Shapley allows; `NPS_ERR_INVALID_LEVEL`. The caller owns `*out`
/// (`nps_driver_importance_free`).
///
/// # Safety
/// `moments` must be live moments; `options` NULL or a readable `nps_driver_options`; `out`
/// must point to a writable `nps_driver_importance *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_driver_moments_importance(
    moments: *const nps_driver_moments,
    options: *const nps_driver_options,
    out: *mut *mut nps_driver_importance,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, moments, options) = unsafe {
            (
                Out::new(out, "out")?,
                try_ref(moments, "moments")?,
                nps_driver_options::to_core(options, Vec::new())?,
            )
        };
        give(
            out,
            nps_driver_importance::new(moments.0.importance(&options)?)?,
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::drivers::{nps_driver_importance_free, nps_driver_importance_r2, nps_drivers};
    use crate::group::{nps_grouping_free, nps_grouping_to_json};
    use crate::table::{nps_table_add_dimension, nps_table_free, nps_table_new};
    use crate::testing::{drivers_table, last_error};
    use crate::text::nps_string_free;

    /// A table of `scores` with the dimension "brand".
    fn table(scores: &[f64], brands: &[&CStr]) -> *mut nps_table {
        let brands: Vec<*const c_char> = brands.iter().map(|b| b.as_ptr()).collect();
        let mut t = ptr::null_mut();
        // SAFETY: arrays of the stated lengths and a valid out-parameter.
        unsafe {
            assert_eq!(
                nps_table_new(scores.as_ptr(), scores.len(), &mut t),
                nps_status::NPS_OK
            );
            let status = nps_table_add_dimension(t, c"brand".as_ptr(), brands.as_ptr(), 3);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        }
        t
    }

    /// The cube of `t` by brand, or a panic.
    fn cube(t: *const nps_table) -> *mut nps_cube {
        let keys = [c"brand".as_ptr()];
        let mut c = ptr::null_mut();
        // SAFETY: a live table, one key, a valid out-parameter.
        let status = unsafe { nps_cube_new(t, keys.as_ptr(), 1, ptr::null(), &mut c) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        c
    }

    /// The JSON text of the default grouping of a cube.
    fn grouping_json(c: *const nps_cube) -> String {
        let (mut g, mut json) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: a live cube and valid out-parameters; each handle freed once.
        unsafe {
            let status = nps_cube_group_by(c, ptr::null(), &mut g);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            assert_eq!(nps_grouping_to_json(g, &mut json), nps_status::NPS_OK);
            let text = CStr::from_ptr(json).to_str().unwrap().to_owned();
            nps_string_free(json);
            nps_grouping_free(g);
            text
        }
    }

    #[test]
    fn cubes_merge_into_the_cube_of_the_whole_and_survive_json() {
        let a = table(&[10.0, 9.0, 3.0], &[c"A", c"A", c"B"]);
        let b = table(&[8.0, 0.0, 10.0], &[c"C", c"B", c"A"]);
        let (ca, cb) = (cube(a), cube(b));
        let twice = cube(a);
        let mut json = ptr::null_mut();
        let mut back = ptr::null_mut();
        // SAFETY: live handles and valid out-parameters; each handle freed once.
        unsafe {
            assert_eq!(nps_cube_merge(ca, cb), nps_status::NPS_OK);
            let text = grouping_json(ca);
            assert!(text.contains("\"keys\":[\"brand\"]"), "{text}");
            assert_eq!(nps_cube_to_json(ca, &mut json), nps_status::NPS_OK);
            assert_eq!(nps_cube_from_json(json, &mut back), nps_status::NPS_OK);
            assert_eq!(grouping_json(back), text);
            nps_string_free(json);

            // Merged into itself: every count doubles.
            assert_eq!(nps_cube_merge(twice, twice), nps_status::NPS_OK);
            assert_eq!((*twice).0.total().n(), 6);

            let mut none = ptr::null_mut();
            let status = nps_cube_from_json(c"{\"scale\":".as_ptr(), &mut none);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_JSON);
            assert!(
                last_error().starts_with("the JSON text is not a valid cube: "),
                "{}",
                last_error()
            );
            let mut tr = ptr::null_mut();
            let status = nps_cube_trend(back, ptr::null(), &mut tr);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
            assert!(last_error().contains("period unit"), "{}", last_error());
            assert!(none.is_null() && tr.is_null());
            for c in [ca, cb, twice, back] {
                nps_cube_free(c);
            }
            nps_cube_free(ptr::null_mut());
            nps_table_free(a);
            nps_table_free(b);
        }
    }

    #[test]
    fn moments_give_the_importance_of_the_table() {
        let t = drivers_table();
        let (mut m, mut r, mut whole) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        let (mut r2, mut r2_whole) = (0.0, 0.0);
        // SAFETY: live handles and valid out-parameters; each handle freed once.
        unsafe {
            let status = nps_driver_moments_new(t, ptr::null(), 0, ptr::null(), &mut m);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let status = nps_driver_moments_importance(m, ptr::null(), &mut r);
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let status = nps_drivers(t, ptr::null(), 0, ptr::null(), &mut whole);
            assert_eq!(status, nps_status::NPS_OK);
            assert_eq!(nps_driver_importance_r2(r, &mut r2), nps_status::NPS_OK);
            assert_eq!(
                nps_driver_importance_r2(whole, &mut r2_whole),
                nps_status::NPS_OK
            );
            assert!((r2 - r2_whole).abs() < 1e-12);

            let o = nps_driver_options {
                spearman: true,
                ..nps_driver_options::default()
            };
            let mut none = ptr::null_mut();
            let status = nps_driver_moments_new(t, ptr::null(), 0, &o, &mut none);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_ARGUMENT);
            assert!(
                last_error().starts_with("spearman is true"),
                "{}",
                last_error()
            );
            let json = c"{\"names\":[],\"kind\":{\"pairwise\":[]}}";
            let status = nps_driver_moments_from_json(json.as_ptr(), &mut none);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_JSON);
            assert_eq!(
                last_error(),
                "the JSON text is not valid driver moments: driver moments is 0 columns; \
                 moments as serialized by nps (two columns or more, matching sizes)"
            );
            assert!(none.is_null());
            let status = nps_driver_moments_merge(m, ptr::null());
            assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
            assert_eq!(last_error(), "other is NULL; it must point to valid memory");

            nps_driver_importance_free(r);
            nps_driver_importance_free(whole);
            nps_driver_moments_free(m);
            nps_driver_moments_free(ptr::null_mut());
            nps_table_free(t);
        }
    }
}
