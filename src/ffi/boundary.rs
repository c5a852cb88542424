//! The one panic boundary every export goes through.
//!
//! [`catch`] is the only `catch_unwind` of the crate. [`guard`] wraps every export and picks the
//! failure value by return type ([`OnPanic`]); inside it, [`run`] turns an error or a panic into a
//! status and error JSON, and [`answer`] hands back a status and a string (the result, or the
//! error JSON) in the same call.
//!
//! A panic can only be caught when the library is built with `panic = "unwind"` (the default,
//! and what `[profile.release]` sets); with `panic = "abort"` it aborts the process.

use super::status::TrilletStatus;
use super::strings::into_c_string;
use crate::Error;
use std::any::Any;
use std::os::raw::{c_char, c_int};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// The value an export returns when a panic was caught.
pub(crate) trait OnPanic {
    /// The failure value.
    fn on_panic() -> Self;
}

impl OnPanic for c_int {
    fn on_panic() -> Self {
        TrilletStatus::TRILLET_ERR_PANIC.code()
    }
}

impl<T> OnPanic for *mut T {
    fn on_panic() -> Self {
        ptr::null_mut()
    }
}

impl<T> OnPanic for *const T {
    fn on_panic() -> Self {
        ptr::null()
    }
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

/// A panic caught at the boundary.
#[derive(Debug)]
pub(crate) struct Panicked {
    message: String,
}

impl Panicked {
    fn from_payload(payload: Box<dyn Any + Send>) -> Panicked {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_string());
        Panicked { message }
    }

    /// The panic as an [`Error::Panic`], whose JSON (rendered by [`Error::to_json`], like every
    /// other error) has `kind` and `code` `panic`.
    pub(crate) fn into_error(self) -> Error {
        Error::Panic { message: format!("internal error in the trillet library (please report it): {}", self.message) }
    }
}

/// Runs `f`, catching any panic. The only `catch_unwind` of the crate.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    catch_unwind(AssertUnwindSafe(f)).map_err(Panicked::from_payload)
}

/// Runs the body of an export that has no out-string: a panic becomes the return type's
/// failure value (`TRILLET_ERR_PANIC`, NULL, or nothing).
pub(crate) fn guard<T: OnPanic>(f: impl FnOnce() -> T) -> T {
    catch(f).unwrap_or_else(|_| T::on_panic())
}

/// Runs a fallible body, catching panics: the value, or the status and error JSON to hand back
/// (`TRILLET_ERR_PANIC` and a panic error JSON for a caught panic).
pub(crate) fn run<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, (TrilletStatus, String)> {
    match catch(f) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err((TrilletStatus::of(&error), error.to_json())),
        Err(panicked) => {
            let error = panicked.into_error();
            Err((TrilletStatus::of(&error), error.to_json()))
        }
    }
}

/// Runs the body of an export that answers with a status and a string in `*out`:
/// `TRILLET_OK` and the result, or the error's status and its JSON, or `TRILLET_ERR_PANIC` and a
/// panic error JSON. `*out` is set to NULL first, so it is never left dangling. A NULL `out`
/// cannot carry anything back: the call does nothing and returns `TRILLET_ERR_INVALID_INPUT`.
pub(crate) fn answer(out: *mut *mut c_char, f: impl FnOnce() -> Result<String, Error>) -> c_int {
    guard(|| {
        if out.is_null() {
            return TrilletStatus::TRILLET_ERR_INVALID_INPUT.code();
        }
        // SAFETY: `out` is non-NULL and, by each export's contract, points to writable storage for
        // a `char *`; writing a raw pointer drops nothing.
        unsafe { out.write(ptr::null_mut()) };
        let (status, text) = match run(f) {
            Ok(text) => (TrilletStatus::TRILLET_OK, text),
            Err(failure) => failure,
        };
        // SAFETY: as above.
        unsafe { out.write(into_c_string(text)) };
        status.code()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::trillet_string_free;
    use std::ffi::CStr;

    fn answered(f: impl FnOnce() -> Result<String, Error>) -> (c_int, serde_json::Value) {
        let mut out: *mut c_char = ptr::null_mut();
        let status = answer(&mut out, f);
        assert!(!out.is_null());
        let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
        unsafe { trillet_string_free(out) };
        (status, serde_json::from_str(&text).unwrap())
    }

    #[test]
    fn a_panic_becomes_the_panic_status_and_error_json() {
        let (status, json) = answered(|| panic!("boom {}", 42));
        assert_eq!(status, TrilletStatus::TRILLET_ERR_PANIC.code());
        assert_eq!(json["error"]["kind"], "panic");
        assert_eq!(json["error"]["code"], "panic");
        assert!(json["error"]["message"].as_str().unwrap().contains("boom 42"));
        let keys: Vec<&String> = json["error"].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 7);
        let (_, json) = answered(|| std::panic::panic_any(7u8));
        assert!(json["error"]["message"].as_str().unwrap().contains("unknown panic payload"));
    }

    #[test]
    fn errors_and_results_come_back_in_the_same_call() {
        let (status, json) = answered(|| Ok(r#"{"ok":true}"#.to_string()));
        assert_eq!((status, json), (0, serde_json::json!({"ok": true})));
        let (status, json) = answered(|| Err(Error::Timeout { message: "late".into() }));
        assert_eq!(status, TrilletStatus::TRILLET_ERR_TIMEOUT.code());
        assert_eq!(json["error"]["kind"], "timeout");
    }

    #[test]
    fn a_null_out_pointer_is_refused_without_running_the_body() {
        let mut ran = false;
        let status = answer(ptr::null_mut(), || {
            ran = true;
            Ok(String::new())
        });
        assert_eq!(status, TrilletStatus::TRILLET_ERR_INVALID_INPUT.code());
        assert!(!ran);
    }

    #[test]
    fn guard_picks_the_failure_value_by_type() {
        assert_eq!(guard::<c_int>(|| panic!("x")), TrilletStatus::TRILLET_ERR_PANIC.code());
        assert!(guard::<*mut c_char>(|| panic!("x")).is_null());
        assert!(guard::<*const c_char>(|| panic!("x")).is_null());
        guard::<()>(|| panic!("x"));
        assert_eq!(guard(|| 5 as c_int), 5);
    }

    #[test]
    fn run_turns_errors_and_panics_into_status_and_json() {
        assert_eq!(run(|| Ok(3)).unwrap(), 3);
        let (status, text) = run::<()>(|| Err(Error::Io { message: "cut".into() })).unwrap_err();
        assert_eq!(status, TrilletStatus::TRILLET_ERR_IO);
        assert!(text.contains("\"kind\":\"io\""), "{text}");
        let (status, text) = run::<()>(|| panic!("inside")).unwrap_err();
        assert_eq!(status, TrilletStatus::TRILLET_ERR_PANIC);
        // The documented key order, as every other error JSON (one renderer: Error::to_json).
        assert_eq!(
            text,
            r#"{"error":{"kind":"panic","code":"panic","message":"internal error in the trillet library (please report it): inside","status":null,"request_id":null,"retry_after":null,"body":null}}"#
        );
    }
}
