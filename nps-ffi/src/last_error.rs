//! The thread-local message of the last call, and the function that hands it to C.

use std::cell::RefCell;
use std::ffi::c_char;

use crate::panic;
use crate::ptr::{Out, OutBuf};
use crate::status::nps_status;

thread_local! {
    /// The message of the last call on this thread that went through the boundary; empty after
    /// a success.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records the message of a failed call.
pub(crate) fn set(message: String) {
    LAST_ERROR.with_borrow_mut(|last| *last = message);
}

/// Forgets the previous message after a successful call.
pub(crate) fn clear() {
    LAST_ERROR.with_borrow_mut(String::clear);
}

/// Runs `f` on the current message.
pub(crate) fn with<T>(f: impl FnOnce(&str) -> T) -> T {
    LAST_ERROR.with_borrow(|last| f(last))
}

/// Copies the message of the last status-returning call made on this thread into `buf`,
/// NUL-terminated: it names the argument and the position at fault, e.g. "score at index 17 is
/// 11; scores are whole numbers in 0..=10". The message is empty when that call succeeded (or
/// no call was made); the `nps_*_free` functions, `nps_status_name` and `nps_version` leave it
/// alone.
///
/// - `buf`: caller-owned buffer of `len` bytes; may be NULL when `len` is 0 (to ask the size).
/// - `needed`: when not NULL, receives the message's size in bytes including the NUL, whether or
///   not it fits.
///
/// Returns `NPS_ERR_BUFFER_TOO_SMALL` (leaving `buf` untouched) when `len` is less than that
/// size. This function does not change the message, so it may be called again with a larger
/// buffer.
///
/// # Safety
/// `buf` must be NULL or point to `len` writable bytes; `needed` must be NULL or point to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn nps_last_error_message(
    buf: *mut c_char,
    len: usize,
    needed: *mut usize,
) -> nps_status {
    panic::boundary_keeping_last_error(|| {
        // SAFETY: the caller guarantees `buf` and `needed` as documented.
        let (buf, needed) = unsafe { (OutBuf::new(buf, len, "buf")?, Out::optional(needed)) };
        with(|message| buf.write_c_str(message, needed))
    })
}
