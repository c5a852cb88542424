//! Helpers for the tests that call the C ABI directly, the way a C program would.
#![allow(dead_code)]

use serde_json::Value;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;
use trillet::ffi::*;

pub const OK: i32 = TrilletStatus::TRILLET_OK as i32;
pub const INVALID: i32 = TrilletStatus::TRILLET_ERR_INVALID_INPUT as i32;
pub const API: i32 = TrilletStatus::TRILLET_ERR_API as i32;
pub const TIMEOUT: i32 = TrilletStatus::TRILLET_ERR_TIMEOUT as i32;
pub const CONNECT: i32 = TrilletStatus::TRILLET_ERR_CONNECT as i32;
pub const IO: i32 = TrilletStatus::TRILLET_ERR_IO as i32;
pub const DECODE: i32 = TrilletStatus::TRILLET_ERR_DECODE as i32;

/// Bytes that are not UTF-8, NUL-terminated.
pub const NOT_UTF8: &[u8] = b"agents.\xff\xfe\0";

pub fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// A C string argument: `None` is NULL.
pub fn arg(s: Option<&CString>) -> *const c_char {
    s.map_or(ptr::null(), |s| s.as_ptr())
}

/// Copies a library string and frees it with `trillet_string_free`.
pub fn take(p: *mut c_char) -> String {
    assert!(!p.is_null(), "the library returned NULL");
    let s = unsafe { CStr::from_ptr(p) }.to_str().expect("library strings are UTF-8").to_string();
    unsafe { trillet_string_free(p) };
    s
}

/// Parses JSON text, failing the test with the text when it is not JSON.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A client from config JSON; fails the test with the error JSON when it cannot be made.
pub fn client(config: &str) -> *mut TrilletClient {
    let config = c(config);
    let mut err: *mut c_char = ptr::null_mut();
    let client = unsafe { trillet_client_new(config.as_ptr(), &mut err) };
    if client.is_null() {
        panic!("trillet_client_new failed: {}", take(err));
    }
    assert!(err.is_null());
    client
}

/// A client whose requests can never reach anything (port 1 on loopback is closed).
pub fn offline_client() -> *mut TrilletClient {
    client(r#"{"api_key":"sk_test_x","workspace_id":"ws_1","base_url":"http://127.0.0.1:1","max_retries":0}"#)
}

/// `trillet_call` with raw pointers; returns the status and the out string as text.
pub fn call_raw(client: *const TrilletClient, op: *const c_char, req: *const c_char) -> (i32, String) {
    let mut out: *mut c_char = ptr::null_mut();
    let status = unsafe { trillet_call(client, op, req, &mut out) };
    (status, take(out))
}

/// `trillet_call` with Rust strings; returns the status and the out string as text.
pub fn call(client: *const TrilletClient, op: &str, req: Option<&str>) -> (i32, String) {
    let op = c(op);
    let req = req.map(c);
    call_raw(client, op.as_ptr(), arg(req.as_ref()))
}

/// `trillet_request` with raw pointers.
pub fn request_raw(
    client: *const TrilletClient,
    method: *const c_char,
    path: *const c_char,
    req: *const c_char,
) -> (i32, String) {
    let mut out: *mut c_char = ptr::null_mut();
    let status = unsafe { trillet_request(client, method, path, req, &mut out) };
    (status, take(out))
}

/// Asserts an error status and error JSON with the given kind and code; returns the error object.
pub fn assert_error(result: (i32, String), status: i32, kind: &str, code: &str) -> Value {
    let (got, text) = result;
    let v = json(&text);
    assert_eq!(got, status, "status for {text}");
    assert_eq!(v["error"]["kind"], kind, "{text}");
    assert_eq!(v["error"]["code"], code, "{text}");
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{text}");
    for key in ["status", "request_id", "retry_after", "body"] {
        assert!(v["error"].get(key).is_some(), "error JSON lacks {key}: {text}");
    }
    v["error"].clone()
}
