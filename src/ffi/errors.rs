//! Reading an error JSON from C without a JSON parser: its HTTP status, code, kind and message.
//!
//! Each accessor takes the error JSON a call handed back
//! (`{"error":{"kind","code","message","status",...}}`) and reads one field. NULL, text that is
//! not UTF-8 or not JSON, and JSON that is not an error object are all answered the same way as
//! a missing field (0 or NULL): never a crash.

use super::boundary::guard;
use super::strings::into_c_string;
use serde_json::Value;
use std::ffi::CStr;
use std::os::raw::{c_char, c_int};

/// The `error` object of an error JSON, if `error_json` holds one.
///
/// # Safety
/// `error_json` must be NULL or a NUL-terminated string.
unsafe fn error_object(error_json: *const c_char) -> Option<serde_json::Map<String, Value>> {
    if error_json.is_null() {
        return None;
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let text = unsafe { CStr::from_ptr(error_json) }.to_str().ok()?;
    match serde_json::from_str::<Value>(text).ok()? {
        Value::Object(mut outer) => match outer.remove("error")? {
            Value::Object(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// A string field of an error JSON as a new C string, NULL when absent.
///
/// # Safety
/// As [`error_object`].
unsafe fn text_field(error_json: *const c_char, key: &str) -> *mut c_char {
    // SAFETY: forwarded contract.
    match unsafe { error_object(error_json) }.and_then(|mut e| e.remove(key)) {
        Some(Value::String(s)) => into_c_string(s),
        _ => std::ptr::null_mut(),
    }
}

/// The HTTP status of an error JSON: the API's status (404, 429, ...) when the error is an API
/// answer (`kind` `api`), 0 for every other error (a timeout, a refused connection, invalid
/// input) and when `error_json` is NULL or not an error JSON.
///
/// Telling a 404 from a 400: `if (trillet_error_status(err) == 404) { ... }`.
///
/// # Safety
/// `error_json` must be NULL or a NUL-terminated string (e.g. the error JSON a call returned,
/// before it is freed).
#[no_mangle]
pub unsafe extern "C" fn trillet_error_status(error_json: *const c_char) -> c_int {
    guard(|| {
        // SAFETY: forwarded contract.
        unsafe { error_object(error_json) }
            .and_then(|e| e.get("status").and_then(Value::as_u64))
            .and_then(|s| c_int::try_from(s).ok())
            .unwrap_or(0)
    })
}

/// The machine code of an error JSON (`not_found`, `invalid_number`, `rate_limit_exceeded`,
/// `connection_failed`, ...), as a new string to free with `trillet_string_free`. NULL when
/// `error_json` is NULL, not UTF-8, not JSON, or not an error JSON.
///
/// # Safety
/// `error_json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn trillet_error_code(error_json: *const c_char) -> *mut c_char {
    // SAFETY: forwarded contract.
    guard(|| unsafe { text_field(error_json, "code") })
}

/// The kind of an error JSON (`api`, `timeout`, `connect`, `io`, `decode`, `invalid_input`,
/// `cancelled`, `panic`), as a new string to free with `trillet_string_free`; NULL as for
/// [`trillet_error_code`].
///
/// # Safety
/// `error_json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn trillet_error_kind(error_json: *const c_char) -> *mut c_char {
    // SAFETY: forwarded contract.
    guard(|| unsafe { text_field(error_json, "kind") })
}

/// The human-readable message of an error JSON, as a new string to free with
/// `trillet_string_free`; NULL as for [`trillet_error_code`].
///
/// # Safety
/// `error_json` must be NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn trillet_error_message(error_json: *const c_char) -> *mut c_char {
    // SAFETY: forwarded contract.
    guard(|| unsafe { text_field(error_json, "message") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::trillet_string_free;
    use std::ffi::CString;

    fn text(p: *mut c_char) -> Option<String> {
        if p.is_null() {
            return None;
        }
        let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string();
        unsafe { trillet_string_free(p) };
        Some(s)
    }

    #[test]
    fn fields_are_read_and_anything_else_is_zero_or_null() {
        let api = crate::Error::Api {
            status: 404,
            code: "not_found".into(),
            message: "Agent not found".into(),
            request_id: None,
            retry_after: None,
            body: String::new(),
        };
        let json = CString::new(api.to_json()).unwrap();
        unsafe {
            assert_eq!(trillet_error_status(json.as_ptr()), 404);
            assert_eq!(text(trillet_error_code(json.as_ptr())).as_deref(), Some("not_found"));
            assert_eq!(text(trillet_error_kind(json.as_ptr())).as_deref(), Some("api"));
            assert_eq!(text(trillet_error_message(json.as_ptr())).as_deref(), Some("Agent not found"));
        }
        let timeout = CString::new(crate::Error::Timeout { message: "t".into() }.to_json()).unwrap();
        unsafe {
            assert_eq!(trillet_error_status(timeout.as_ptr()), 0);
            assert_eq!(text(trillet_error_code(timeout.as_ptr())).as_deref(), Some("timeout"));
        }
        for bad in ["", "not json", "[1]", r#"{"error":"x"}"#, r#"{"error":{"status":"404","code":7}}"#] {
            let c = CString::new(bad).unwrap();
            unsafe {
                assert_eq!(trillet_error_status(c.as_ptr()), 0, "{bad}");
                assert!(trillet_error_code(c.as_ptr()).is_null(), "{bad}");
                assert!(trillet_error_kind(c.as_ptr()).is_null(), "{bad}");
            }
        }
        let not_utf8 = [0xffu8, 0xfe, 0];
        unsafe {
            assert_eq!(trillet_error_status(std::ptr::null()), 0);
            assert!(trillet_error_code(std::ptr::null()).is_null());
            assert!(trillet_error_message(std::ptr::null()).is_null());
            assert_eq!(trillet_error_status(not_utf8.as_ptr().cast()), 0);
        }
    }
}
