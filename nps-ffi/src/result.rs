//! The bodies the accessors of the analysis result handles share (grouping, trend, attribution,
//! benchmark, journey roll-up): read one value of a handle into an out-parameter, hand over the
//! whole result as JSON text, fill an options struct with its defaults.

use std::ffi::c_char;

use nps_core::Table;

use crate::failure::Failure;
use crate::group::{CLevel, nps_level_kind};
use crate::panic;
use crate::ptr::{Out, give, str_array, try_ref};
use crate::status::nps_status;
use crate::table::nps_table;
use crate::text::give_json;

/// Writes into `*out` the value `get` takes from the handle `handle` (the argument `field`).
/// `out` is checked for NULL first, then the handle; `get` may fail (an index out of range), and
/// then nothing is written.
///
/// # Safety
/// `handle` must be NULL or a live handle; `out` must be NULL or point to a writable `T`.
pub(crate) unsafe fn read<H, T>(
    handle: *const H,
    field: &'static str,
    out: *mut T,
    get: impl FnOnce(&H) -> Result<T, Failure>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let (out, h) = unsafe { (Out::new(out, "out")?, try_ref(handle, field)?) };
        out.write(get(h)?);
        Ok(())
    })
}

/// Hands the caller in `*out` the handle `make` makes of the table `table` and the driver names
/// `drivers` (`n_drivers` names; none = every driver): the body of `nps_drivers` and
/// `nps_priorities`. `out` is checked for NULL first, then the table and the names; `make`
/// reads its options and analyses.
///
/// # Safety
/// `table` must be NULL or a live table; `drivers` must point to `n_drivers` pointers to
/// NUL-terminated strings (or be NULL with `n_drivers` 0); `out` must be NULL or point to a
/// writable `H *`.
pub(crate) unsafe fn of_drivers<H>(
    table: *const nps_table,
    drivers: *const *const c_char,
    n_drivers: usize,
    out: *mut *mut H,
    make: impl FnOnce(&Table, Vec<&str>) -> Result<H, Failure>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let (out, table, names) = unsafe {
            (
                Out::new(out, "out")?,
                nps_table::get(table, "table")?,
                str_array(drivers, n_drivers, "drivers")?,
            )
        };
        give(out, make(table, names)?);
        Ok(())
    })
}

/// Writes to the two out-parameters of a `*_level` accessor the level on key `key` of the levels
/// `levels` picks of the handle `handle` (the argument `field`; `levels` may fail: an index out
/// of range). The handle is checked for NULL first, then the levels, the out-parameters and the
/// key.
///
/// # Safety
/// `handle` must be NULL or a live handle; `value_out` and `kind_out` must be NULL or writable.
pub(crate) unsafe fn level<H>(
    handle: *const H,
    field: &'static str,
    key: usize,
    value_out: *mut *const c_char,
    kind_out: *mut nps_level_kind,
    levels: impl FnOnce(&H) -> Result<&[CLevel], Failure>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let h = unsafe { try_ref(handle, field)? };
        let levels = levels(h)?;
        // SAFETY: as above.
        unsafe { CLevel::write(levels, key, value_out, kind_out) }
    })
}

/// Stores in `*json_out` the JSON text `json` makes of the handle `handle` (the argument
/// `field`), a new string the caller frees with `nps_string_free`. `json_out` is checked for
/// NULL first, then the handle.
///
/// # Safety
/// `handle` must be NULL or a live handle; `json_out` must be NULL or point to a writable
/// `char *`.
pub(crate) unsafe fn to_json<H>(
    handle: *const H,
    field: &'static str,
    json_out: *mut *mut c_char,
    json: impl FnOnce(&H) -> serde_json::Result<String>,
) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        let (out, h) = unsafe { (Out::new(json_out, "json_out")?, try_ref(handle, field)?) };
        give_json(out, json(h))
    })
}

/// Fills `*out` with the default options `T::default()` (the body of the
/// `nps_*_options_default` functions).
///
/// # Safety
/// `out` must be NULL or point to a writable `T`.
pub(crate) unsafe fn write_default<T: Default>(out: *mut T) -> nps_status {
    panic::boundary(|| {
        // SAFETY: as the caller guarantees.
        unsafe { Out::new(out, "out")? }.write(T::default());
        Ok(())
    })
}
