//! The panic boundary every exported function runs inside.
//!
//! A panic must never unwind into C (since Rust 1.81 it would abort the host process instead).
//! Each `extern "C"` body is a closure that returns `Result<(), Failure>`; [`boundary`] runs it
//! under `catch_unwind`, turns a caught panic into `NPS_ERR_PANIC`, records the message of a
//! failure for `nps_last_error_message`, and returns the status code. Functions that do not
//! return a status use [`guard`], which falls back to a fixed value.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::failure::Failure;
use crate::last_error;
use crate::status::nps_status;

/// Runs `body`, turning a panic into [`Failure::Panic`].
///
/// `AssertUnwindSafe` is sound here: after a panic the caller only gets a status code, and the
/// core leaves a tally unchanged unless an operation completes.
fn catch(body: impl FnOnce() -> Result<(), Failure>) -> Result<(), Failure> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(panic_failure(payload)))
}

/// The failure a caught panic becomes, carrying the panic's message.
fn panic_failure(payload: Box<dyn Any + Send>) -> Failure {
    let message = match payload.downcast_ref::<&str>() {
        Some(s) => (*s).to_owned(),
        None => payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_else(|| "a panic with no message".to_owned()),
    };
    // Dropping a payload can itself panic (a payload whose Drop panics); never let that escape.
    let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
    Failure::Panic(message)
}

/// Runs the body of an exported function: catches panics, records the last-error message
/// (cleared on success) and returns the status.
pub(crate) fn boundary(body: impl FnOnce() -> Result<(), Failure>) -> nps_status {
    match catch(body) {
        Ok(()) => {
            last_error::clear();
            nps_status::NPS_OK
        }
        Err(failure) => {
            last_error::set(failure.to_string());
            failure.status()
        }
    }
}

/// As [`boundary`], but leaves the last-error message alone unless the body panics: for
/// `nps_last_error_message`, whose own failures must not replace the message it reports.
pub(crate) fn boundary_keeping_last_error(
    body: impl FnOnce() -> Result<(), Failure>,
) -> nps_status {
    match catch(body) {
        Ok(()) => nps_status::NPS_OK,
        Err(failure @ Failure::Panic(_)) => {
            last_error::set(failure.to_string());
            failure.status()
        }
        Err(failure) => failure.status(),
    }
}

/// Runs the body of an exported function that returns no status, giving `fallback` on a panic.
pub(crate) fn guard<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => {
            last_error::set(panic_failure(payload).to_string());
            fallback
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> String {
        last_error::with(str::to_owned)
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = boundary(|| panic!("the {} broke", "widget"));
        assert_eq!(status, nps_status::NPS_ERR_PANIC);
        assert!(message().contains("the widget broke"), "{}", message());

        let status = boundary(|| std::panic::panic_any(42u8));
        assert_eq!(status, nps_status::NPS_ERR_PANIC);
        assert!(
            message().contains("a panic with no message"),
            "{}",
            message()
        );
    }

    #[test]
    fn success_clears_and_failure_sets_the_message() {
        let status = boundary(|| Err(Failure::NullPointer("out")));
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
        assert_eq!(message(), "out is NULL; it must point to valid memory");
        assert_eq!(boundary(|| Ok(())), nps_status::NPS_OK);
        assert_eq!(message(), "");
    }

    #[test]
    fn keeping_the_message_records_only_panics() {
        last_error::set("earlier".into());
        let status = boundary_keeping_last_error(|| Err(Failure::NullPointer("buf")));
        assert_eq!(status, nps_status::NPS_ERR_NULL_POINTER);
        assert_eq!(message(), "earlier");
        let status = boundary_keeping_last_error(|| panic!("inside"));
        assert_eq!(status, nps_status::NPS_ERR_PANIC);
        assert!(message().contains("inside"));
    }

    #[test]
    fn guard_falls_back_on_a_panic() {
        assert_eq!(guard(7, || 3), 3);
        assert_eq!(guard(7, || panic!("no")), 7);
    }
}
