//! The response table handle: one row per respondent, stored by column (scores, weights,
//! dimensions, dates, driver ratings). Every segment, trend, attribution, benchmark and journey
//! analysis reads a table.

use std::ffi::c_char;

use nps_core::{Date, Dimension, NA, ScoreValue, Table};

use crate::failure::Failure;
use crate::panic;
use crate::ptr::{Out, free, give, opt_str_array, str_array, try_mut, try_ref, try_slice, try_str};
use crate::status::nps_status;
use crate::tally::nps_tally;

/// The code of a missing value in the `codes` of `nps_table_add_dimension_codes` (UINT32_MAX).
pub const NPS_NA: u32 = u32::MAX;

const _: () = assert!(NPS_NA == NA);

/// An opaque table of survey responses: the recommend scores (validated once), optional weights,
/// any number of named dimensions (brand, region, touchpoint…), optional response dates and
/// optional driver ratings. Every column has one value per response (row).
///
/// Created by `nps_table_new` or `nps_table_new_u8`, extended column by column with the
/// `nps_table_set_*` / `nps_table_add_*` functions, read by the analyses (`nps_group_by`,
/// `nps_trend`, `nps_attribute`, `nps_benchmark`, `nps_journey_rollup`); the caller owns it and
/// releases it with `nps_table_free`. A failed `set`/`add` leaves the table as it was. A table may
/// be moved between threads and read by several threads at once, but not modified while read.
pub struct nps_table(Table);

impl nps_table {
    /// The core table behind a handle that must not be NULL.
    ///
    /// # Safety
    /// `p` must be NULL or a live table from this library, not written meanwhile.
    pub(crate) unsafe fn get<'a>(
        p: *const nps_table,
        field: &'static str,
    ) -> Result<&'a Table, Failure> {
        // SAFETY: as the caller guarantees.
        Ok(&unsafe { try_ref(p, field) }?.0)
    }

    /// The core table behind a handle that must not be NULL, for an in-place update.
    ///
    /// # Safety
    /// `p` must be NULL or a live table from this library, not used elsewhere meanwhile.
    pub(crate) unsafe fn get_mut<'a>(
        p: *mut nps_table,
        field: &'static str,
    ) -> Result<&'a mut Table, Failure> {
        // SAFETY: as the caller guarantees.
        Ok(&mut unsafe { try_mut(p, field) }?.0)
    }
}

/// Creates a table from `scores` (any type the core reads as scores) and hands it to `out`.
///
/// # Safety
/// As the exported `nps_table_new*` functions.
unsafe fn new_table<T: ScoreValue>(
    scores: *const T,
    n: usize,
    out: *mut *mut nps_table,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, scores) = unsafe { (Out::new(out, "out")?, try_slice(scores, n, "scores")?) };
        give(out, nps_table(Table::new(scores)?));
        Ok(())
    })
}

/// Creates a table of `n` responses on the standard 0-10 scale from their recommend scores: NaN
/// is a question not answered; other values must be whole numbers in 0..=10
/// (`NPS_ERR_INVALID_SCORE` naming the first bad index). The scores are copied; the caller owns
/// the new table and frees it with `nps_table_free`.
///
/// # Safety
/// `scores` must point to `n` readable doubles (or be NULL with `n` 0); `out` must point to a
/// writable `nps_table *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_new(
    scores: *const f64,
    n: usize,
    out: *mut *mut nps_table,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { new_table(scores, n, out) }
}

/// As `nps_table_new`, from `uint8_t` scores (every response answered).
///
/// # Safety
/// As `nps_table_new`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_new_u8(
    scores: *const u8,
    n: usize,
    out: *mut *mut nps_table,
) -> nps_status {
    // SAFETY: forwarded as documented.
    unsafe { new_table(scores, n, out) }
}

/// Frees a table. NULL is allowed and does nothing. The table must not be used afterwards;
/// results computed from it stay valid.
///
/// # Safety
/// `table` must be NULL or a table from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_free(table: *mut nps_table) {
    // SAFETY: as the caller guarantees.
    unsafe { free(table) }
}

/// Runs an in-place update of the core's table (`set_…`/`add_…`, which leave the table
/// unchanged when they fail).
///
/// # Safety
/// `table` must be NULL or a live table not used elsewhere during the call.
unsafe fn update(
    table: *mut nps_table,
    build: impl FnOnce(&mut Table) -> Result<(), Failure>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let table = unsafe { try_mut(table, "table")? };
        build(&mut table.0)
    })
}

/// Sets the survey weight of each response: `n` must be the number of rows
/// (`NPS_ERR_LENGTH_MISMATCH`), each weight finite and non-negative (`NPS_ERR_INVALID_WEIGHT`
/// naming the first bad index). Replaces weights set before. On error the table is unchanged.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `weights` must point to `n`
/// readable doubles (or be NULL with `n` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_set_weights(
    table: *mut nps_table,
    weights: *const f64,
    n: usize,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        update(table, |t| {
            let weights = try_slice(weights, n, "weights")?.to_vec();
            Ok(t.set_weights(weights)?)
        })
    }
}

/// Adds a dimension called `name` from one value per row: `values[i]` is row i's value as a
/// NUL-terminated UTF-8 string, or NULL when the row has none (missing). The values are copied
/// and dictionary-encoded (levels sorted). `n` must be the number of rows
/// (`NPS_ERR_LENGTH_MISMATCH`); a name already used by a dimension or driver gives
/// `NPS_ERR_INVALID_ARGUMENT`; a value that is not UTF-8 gives `NPS_ERR_INVALID_UTF8` naming its
/// index. On error the table is unchanged.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `name` a NUL-terminated
/// string; `values` must point to `n` readable pointers (or be NULL with `n` 0), each NULL or
/// pointing to a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_add_dimension(
    table: *mut nps_table,
    name: *const c_char,
    values: *const *const c_char,
    n: usize,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        update(table, |t| {
            let name = try_str(name, "name")?;
            let values = opt_str_array(values, n, "values")?;
            Ok(t.add_dimension(Dimension::from_values(name, &values))?)
        })
    }
}

/// Adds a dimension called `name` already dictionary-encoded: `levels` holds its `n_levels`
/// distinct values (NUL-terminated UTF-8, none NULL, no two equal) and `codes` one code per row,
/// an index into `levels` or `NPS_NA` for a missing value. `n` must be the number of rows
/// (`NPS_ERR_LENGTH_MISMATCH`); a code past the levels or a repeated level gives
/// `NPS_ERR_INVALID_ARGUMENT` naming it. Both arrays are copied. On error the table is unchanged.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `name` a NUL-terminated
/// string; `levels` must point to `n_levels` pointers to NUL-terminated strings; `codes` to `n`
/// readable `uint32_t` (either may be NULL with a length of 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_add_dimension_codes(
    table: *mut nps_table,
    name: *const c_char,
    levels: *const *const c_char,
    n_levels: usize,
    codes: *const u32,
    n: usize,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        update(table, |t| {
            let name = try_str(name, "name")?;
            let levels = str_array(levels, n_levels, "levels")?;
            let codes = try_slice(codes, n, "codes")?.to_vec();
            let levels = levels.into_iter().map(str::to_owned).collect();
            Ok(t.add_dimension(Dimension::new(name, levels, codes)?)?)
        })
    }
}

/// Sets the date of each response as a count of days since 1970-01-01 (negative before; what
/// `datetime64[D]`, Arrow `date32` and most databases hold). `n` must be the number of rows
/// (`NPS_ERR_LENGTH_MISMATCH`); a count outside years 1..=9999 gives `NPS_ERR_INVALID_DATE`
/// naming its index. Replaces dates set before. On error the table is unchanged.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `days_since_1970` must point
/// to `n` readable `int32_t` (or be NULL with `n` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_set_dates(
    table: *mut nps_table,
    days_since_1970: *const i32,
    n: usize,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        update(table, |t| {
            let days = try_slice(days_since_1970, n, "days_since_1970")?;
            Ok(t.set_dates(Date::from_days_all(days)?)?)
        })
    }
}

/// Sets the date of each response from ISO 8601 texts: "YYYY-MM-DD", or a timestamp starting
/// with one ("2024-03-05T10:22:00Z", whose date part is taken as written). A text that does not
/// parse or names a day that does not exist ("2024-13-01", "2023-02-29") gives
/// `NPS_ERR_INVALID_DATE` naming its index; a NULL text gives `NPS_ERR_NULL_POINTER` naming its
/// index. `n` must be the number of rows (`NPS_ERR_LENGTH_MISMATCH`). Replaces dates set before.
/// On error the table is unchanged.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `texts` must point to `n`
/// pointers to NUL-terminated strings (or be NULL with `n` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_set_dates_iso(
    table: *mut nps_table,
    texts: *const *const c_char,
    n: usize,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        update(table, |t| {
            let texts = str_array(texts, n, "texts")?;
            Ok(t.set_dates(Date::parse_all(&texts)?)?)
        })
    }
}

/// Adds a driver called `name` with each response's rating of it (NaN = not rated; other values
/// finite). `n` must be the number of rows (`NPS_ERR_LENGTH_MISMATCH`); a name already used by a
/// dimension or driver, or an infinite rating, gives `NPS_ERR_INVALID_ARGUMENT` naming it. The
/// ratings are copied. On error the table is unchanged.
///
/// # Safety
/// `table` must be a live table not used elsewhere during the call; `name` a NUL-terminated
/// string; `ratings` must point to `n` readable doubles (or be NULL with `n` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_add_driver(
    table: *mut nps_table,
    name: *const c_char,
    ratings: *const f64,
    n: usize,
) -> nps_status {
    // SAFETY: the caller guarantees the pointers as documented.
    unsafe {
        update(table, |t| {
            let name = try_str(name, "name")?;
            let ratings = try_slice(ratings, n, "ratings")?.to_vec();
            Ok(t.add_driver(name, ratings)?)
        })
    }
}

/// Stores in `*out` the number of responses (rows) of the table, answered or not.
///
/// # Safety
/// `table` must be a live table; `out` must point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_len(table: *const nps_table, out: *mut usize) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table) = unsafe { (Out::new(out, "out")?, nps_table::get(table, "table")?) };
        out.write(table.len());
        Ok(())
    })
}

/// Stores in `*out` a new tally of every response of the table (weighted when the table has
/// weights), owned by the caller (`nps_tally_free`).
///
/// # Safety
/// `table` must be a live table; `out` must point to a writable `nps_tally *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_table_tally(
    table: *const nps_table,
    out: *mut *mut nps_tally,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: the caller guarantees the pointers as documented.
        let (out, table) = unsafe { (Out::new(out, "out")?, nps_table::get(table, "table")?) };
        nps_tally::give(out, table.tally());
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;
    use crate::testing::last_error;

    fn table(scores: &[f64]) -> *mut nps_table {
        let mut t = ptr::null_mut();
        // SAFETY: `scores` is a valid slice; `t` a valid out-parameter.
        let status = unsafe { nps_table_new(scores.as_ptr(), scores.len(), &mut t) };
        assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
        t
    }

    #[test]
    fn a_failed_builder_leaves_the_table_unchanged() {
        let t = table(&[10.0, 9.0, f64::NAN]);
        // SAFETY: `t` is a live table.
        let before = unsafe { (*t).0.clone() };
        let short = [c"A".as_ptr(), ptr::null()];
        let bad_utf8 = [c"A".as_ptr(), c"\xff".as_ptr(), c"B".as_ptr()];
        let dates = [
            c"2024-01-01".as_ptr(),
            c"2024-13-01".as_ptr(),
            c"2024-01-02".as_ptr(),
        ];
        // SAFETY: `t` is live; every array holds the length given.
        unsafe {
            let status = nps_table_add_dimension(t, c"brand".as_ptr(), short.as_ptr(), 2);
            assert_eq!(status, nps_status::NPS_ERR_LENGTH_MISMATCH);
            assert_eq!(
                last_error(),
                "brand has 2 elements but scores has 3; they must have the same length"
            );
            let status = nps_table_add_dimension(t, c"brand".as_ptr(), bad_utf8.as_ptr(), 3);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_UTF8);
            assert!(last_error().starts_with("values[1] is not valid UTF-8"));
            let status = nps_table_set_dates_iso(t, dates.as_ptr(), 3);
            assert_eq!(status, nps_status::NPS_ERR_INVALID_DATE);
            assert!(last_error().starts_with("date at index 1 is \"2024-13-01\""));
            assert_eq!((*t).0, before);

            let values = [c"A".as_ptr(), ptr::null(), c"B".as_ptr()];
            let status = nps_table_add_dimension(t, c"brand".as_ptr(), values.as_ptr(), 3);
            assert_eq!(status, nps_status::NPS_OK);
            assert_eq!((*t).0.dimension("brand").unwrap().value(1), None);
            nps_table_free(t);
        }
    }

    #[test]
    fn dimension_codes_use_nps_na_for_missing() {
        let t = table(&[10.0, 9.0, 3.0]);
        let levels = [c"N".as_ptr(), c"S".as_ptr()];
        // SAFETY: `t` is live; arrays hold the lengths given.
        unsafe {
            let codes = [1, NPS_NA, 0];
            let status = nps_table_add_dimension_codes(
                t,
                c"region".as_ptr(),
                levels.as_ptr(),
                2,
                codes.as_ptr(),
                3,
            );
            assert_eq!(status, nps_status::NPS_OK, "{}", last_error());
            let d = (*t).0.dimension("region").unwrap();
            assert_eq!(
                [d.value(0), d.value(1), d.value(2)],
                [Some("S"), None, Some("N")]
            );
            let mut len = 0;
            assert_eq!(nps_table_len(t, &mut len), nps_status::NPS_OK);
            assert_eq!(len, 3);
            nps_table_free(t);
        }
    }
}
