//! Texts handed to C: JSON documents the caller owns (released with `nps_string_free`), and the
//! NUL-terminated copies a result handle keeps so that its accessors can lend `const char *`
//! pointers that stay valid until the handle is freed.

use std::ffi::{CString, c_char};
use std::ptr;

use crate::failure::Failure;
use crate::panic;
use crate::ptr::Out;

/// A NUL-terminated copy of a text of the core, for a result handle to lend to C.
pub(crate) fn c_text(text: &str, field: &'static str) -> Result<CString, Failure> {
    CString::new(text).map_err(|_| Failure::InteriorNul { field })
}

/// NUL-terminated copies of texts of the core (each as [`c_text`]), in order.
pub(crate) fn c_texts<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    field: &'static str,
) -> Result<Vec<CString>, Failure> {
    texts.into_iter().map(|t| c_text(t, field)).collect()
}

/// A NUL-terminated copy of an optional text of the core (as [`c_text`]; `None` stays `None`).
pub(crate) fn c_opt_text(
    text: Option<&str>,
    field: &'static str,
) -> Result<Option<CString>, Failure> {
    text.map(|t| c_text(t, field)).transpose()
}

/// The pointer a C caller borrows for an optional text (NULL for `None`).
pub(crate) fn lend(text: Option<&CString>) -> *const c_char {
    text.map_or(ptr::null(), |t| t.as_ptr())
}

/// Hands the caller the JSON text of a core result (`serde_json::to_string(&result)`) as a new
/// string it frees with `nps_string_free`.
pub(crate) fn give_json(
    out: Out<'_, *mut c_char>,
    json: serde_json::Result<String>,
) -> Result<(), Failure> {
    let json =
        json.map_err(|e| Failure::Panic(format!("serializing a result to JSON failed: {e}")))?;
    out.write(c_text(&json, "the JSON text")?.into_raw());
    Ok(())
}

/// Frees a string this library allocated and handed over (the `json_out` of the `nps_*_to_json`
/// functions of result handles). NULL is allowed and does nothing. Strings lent by accessors
/// (`const char *` out-parameters) belong to their handle and must not be passed here; nor may
/// a string from this library be released with `free`.
///
/// # Safety
/// `text` must be NULL or a string from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_string_free(text: *mut c_char) {
    panic::guard((), || {
        if !text.is_null() {
            // SAFETY: a string made by `CString::into_raw` in `give_json`, freed once (caller's
            // duty).
            drop(unsafe { CString::from_raw(text) });
        }
    });
}
