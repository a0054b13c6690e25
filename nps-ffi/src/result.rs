//! The bodies the accessors of the analysis result handles share (grouping, trend, attribution,
//! benchmark, journey roll-up): read one value of a handle into an out-parameter, hand over the
//! whole result as JSON text, fill an options struct with its defaults.

use std::ffi::c_char;

use crate::failure::Failure;
use crate::panic;
use crate::ptr::{Out, try_ref};
use crate::status::nps_status;
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
