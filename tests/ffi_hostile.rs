//! The hostile-input matrix: every exported function with NULL pointers, invalid UTF-8, invalid
//! JSON, JSON of the wrong type and unknown operations. Each must answer with an error status and
//! error JSON (or its documented failure value), never crash. Nothing here reaches the network.

mod ffi_support;

use ffi_support::*;
use std::os::raw::c_char;
use std::ptr;
use trillet::ffi::*;

fn new_client(config: *const c_char) -> (*mut TrilletClient, Option<String>) {
    let mut err: *mut c_char = ptr::null_mut();
    let client = unsafe { trillet_client_new(config, &mut err) };
    let err = (!err.is_null()).then(|| take(err));
    (client, err)
}

#[test]
fn client_new_refuses_bad_config_with_error_json() {
    let cases: &[(&[u8], &str)] = &[
        (NOT_UTF8, "invalid_utf8"),
        (b"{\"api_key\":\0", "invalid_config"),
        (b"not json\0", "invalid_config"),
        (b"[]\0", "invalid_config"),
        (b"42\0", "invalid_config"),
        (b"\"sk\"\0", "invalid_config"),
        (b"{\"timeout_ms\":\"soon\"}\0", "invalid_config"),
        (b"{\"max_retries\":-1}\0", "invalid_config"),
        (b"{\"allow_insecure_http\":\"yes\"}\0", "invalid_config"),
        (b"{\"apikey\":\"sk\"}\0", "invalid_config"),
        (b"{\"api_key\":\"k\",\"timeout_ms\":0}\0", "invalid_timeout"),
        (b"{\"api_key\":\"k\",\"base_url\":\"ftp://x\"}\0", "invalid_base_url"),
        (b"{\"api_key\":\"k\",\"base_url\":\"http://api.trillet.ai\"}\0", "insecure_base_url"),
        (b"{\"api_key\":\"k\",\"rate_limit_per_minute\":0}\0", "invalid_rate_limit"),
        (b"{\"api_key\":\"sk\\nx\"}\0", "invalid_api_key"),
        (b"{\"ignore_env\":true}\0", "missing_api_key"),
    ];
    for (config, code) in cases {
        let (client, err) = new_client(config.as_ptr().cast());
        assert!(client.is_null(), "{:?}", String::from_utf8_lossy(config));
        let err = err.expect("an error JSON");
        let v = json(&err);
        assert_eq!(v["error"]["kind"], "invalid_input", "{err}");
        assert_eq!(v["error"]["code"], *code, "{err}");
    }
    // The key never appears in an error.
    let (client, err) = new_client(c(r#"{"api_key":"sk_live_SECRET","bogus":1}"#).as_ptr());
    assert!(client.is_null());
    assert!(!err.unwrap().contains("SECRET"));
}

#[test]
fn client_new_with_null_or_empty_config_uses_defaults_and_clears_out_error() {
    // No config: every setting from the environment or its default; the key must come from
    // TRILLET_API_KEY then (without one, `{"ignore_env":true}` above is `missing_api_key`).
    std::env::set_var("TRILLET_API_KEY", "sk_from_env");
    for config in [None, Some(c("{}")), Some(c("")), Some(c("null"))] {
        let mut err: *mut c_char = ptr::dangling_mut::<c_char>(); // garbage the library must overwrite
        let client = unsafe { trillet_client_new(arg(config.as_ref()), &mut err) };
        assert!(!client.is_null(), "{config:?}");
        assert!(err.is_null());
        unsafe { trillet_client_free(client) };
    }
    // A NULL out_error is allowed, on success and on failure.
    let client = unsafe { trillet_client_new(ptr::null(), ptr::null_mut()) };
    assert!(!client.is_null());
    unsafe { trillet_client_free(client) };
    let bad = c("{");
    assert!(unsafe { trillet_client_new(bad.as_ptr(), ptr::null_mut()) }.is_null());
    unsafe { trillet_client_free(ptr::null_mut()) };
}

#[test]
fn call_refuses_nulls_bad_utf8_bad_json_wrong_types_and_unknown_operations() {
    let client = offline_client();
    let op = c("agents.get");
    let req = c(r#"{"path":{"agentId":"a1"}}"#);

    let e = assert_error(call_raw(ptr::null(), op.as_ptr(), req.as_ptr()), INVALID, "invalid_input", "null_argument");
    assert!(e["message"].as_str().unwrap().contains("`client`"));
    let e = assert_error(call_raw(client, ptr::null(), req.as_ptr()), INVALID, "invalid_input", "null_argument");
    assert!(e["message"].as_str().unwrap().contains("`operation`"));
    assert_error(call_raw(client, NOT_UTF8.as_ptr().cast(), req.as_ptr()), INVALID, "invalid_input", "invalid_utf8");
    assert_error(call_raw(client, op.as_ptr(), NOT_UTF8.as_ptr().cast()), INVALID, "invalid_input", "invalid_utf8");
    for bad_json in ["{", "{\"path\":", "nope", "{\"path\":{}}}"] {
        assert_error(call(client, "agents.get", Some(bad_json)), INVALID, "invalid_input", "invalid_request_json");
    }
    for wrong_type in ["[]", "5", "\"agents\"", "true", "{\"path\":5}", "{\"query\":[1]}", "{\"timeout_ms\":\"x\"}"] {
        assert_error(call(client, "agents.get", Some(wrong_type)), INVALID, "invalid_input", "invalid_request_json");
    }
    assert_error(call(client, "agents.get", Some("{\"pth\":{}}")), INVALID, "invalid_input", "invalid_request_json");
    assert_error(
        call(client, "agents.get", Some(r#"{"path":{"agentId":{"x":1}}}"#)),
        INVALID,
        "invalid_input",
        "invalid_path_param",
    );
    for unknown in ["", "agents", "agents.nope", "AGENTS.LIST", "agents.list "] {
        assert_error(call(client, unknown, None), INVALID, "invalid_input", "unknown_operation");
    }
    // A NULL request is `{}`: agents.get then lacks its path parameter (refused before sending).
    assert_error(call_raw(client, op.as_ptr(), ptr::null()), INVALID, "invalid_input", "missing_path_param");
    // A NULL out pointer: nothing can be handed back, the status still says so.
    assert_eq!(unsafe { trillet_call(client, op.as_ptr(), req.as_ptr(), ptr::null_mut()) }, INVALID);
    unsafe { trillet_client_free(client) };
}

#[test]
fn request_refuses_nulls_bad_utf8_bad_json_wrong_types_and_bad_routes() {
    let client = offline_client();
    let get = c("GET");
    let path = c("/v1/api/agents");
    let req = c("{}");
    let invalid = |r: (i32, String), code: &str| assert_error(r, INVALID, "invalid_input", code);

    invalid(request_raw(ptr::null(), get.as_ptr(), path.as_ptr(), req.as_ptr()), "null_argument");
    invalid(request_raw(client, ptr::null(), path.as_ptr(), req.as_ptr()), "null_argument");
    invalid(request_raw(client, get.as_ptr(), ptr::null(), req.as_ptr()), "null_argument");
    invalid(request_raw(client, NOT_UTF8.as_ptr().cast(), path.as_ptr(), req.as_ptr()), "invalid_utf8");
    invalid(request_raw(client, get.as_ptr(), NOT_UTF8.as_ptr().cast(), req.as_ptr()), "invalid_utf8");
    invalid(request_raw(client, get.as_ptr(), path.as_ptr(), NOT_UTF8.as_ptr().cast()), "invalid_utf8");
    for bad in ["{", "[]", "7", "{\"body\":}", "{\"files\":{}}"] {
        let bad = c(bad);
        invalid(request_raw(client, get.as_ptr(), path.as_ptr(), bad.as_ptr()), "invalid_request_json");
    }
    for method in ["FETCH", "", "G ET"] {
        let m = c(method);
        invalid(request_raw(client, m.as_ptr(), path.as_ptr(), req.as_ptr()), "invalid_method");
    }
    for bad_path in ["v1/api/agents", "//evil.com/x", "/x?y=1", "http://evil.com/", "/a b", "/a\nb", ""] {
        let p = c(bad_path);
        invalid(request_raw(client, get.as_ptr(), p.as_ptr(), req.as_ptr()), "invalid_path");
    }
    // A NULL out pointer: no error JSON can come back and the request is not even attempted, so
    // the same valid request that gets a connect error just below only gets the status here.
    let status = unsafe { trillet_request(client, get.as_ptr(), path.as_ptr(), req.as_ptr(), ptr::null_mut()) };
    assert_eq!(status, INVALID);
    // With an out pointer, that request to the closed port is a connect error with its JSON; the
    // stale value in `out` is overwritten.
    let mut out: *mut c_char = c("stale").into_raw();
    let stale = out;
    let status = unsafe { trillet_request(client, get.as_ptr(), path.as_ptr(), req.as_ptr(), &mut out) };
    assert_ne!(out, stale);
    drop(unsafe { std::ffi::CString::from_raw(stale) });
    assert_error((status, take(out)), CONNECT, "connect", "connection_failed");
    unsafe { trillet_client_free(client) };
}

#[test]
fn webhook_verify_refuses_nulls_bad_utf8_and_bad_signatures() {
    let secret = c("whsec_test");
    let body = br#"{"event":"call.ended","data":{}}"#;
    let sig = c(&trillet::webhooks::sign("whsec_test", body));
    let verify =
        |s: *const c_char, b: *const u8, n: usize, h: *const c_char| unsafe { trillet_webhook_verify(s, b, n, h) };

    assert_eq!(verify(secret.as_ptr(), body.as_ptr(), body.len(), sig.as_ptr()), OK);
    let prefixed = c(&format!("sha256={}", sig.to_str().unwrap().to_uppercase()));
    assert_eq!(verify(secret.as_ptr(), body.as_ptr(), body.len(), prefixed.as_ptr()), OK);

    assert_eq!(verify(ptr::null(), body.as_ptr(), body.len(), sig.as_ptr()), INVALID);
    assert_eq!(verify(secret.as_ptr(), ptr::null(), body.len(), sig.as_ptr()), INVALID);
    assert_eq!(verify(secret.as_ptr(), body.as_ptr(), body.len(), ptr::null()), INVALID);
    assert_eq!(verify(NOT_UTF8.as_ptr().cast(), body.as_ptr(), body.len(), sig.as_ptr()), INVALID);
    assert_eq!(verify(secret.as_ptr(), body.as_ptr(), body.len(), NOT_UTF8.as_ptr().cast()), INVALID);
    assert_eq!(verify(c("").as_ptr(), body.as_ptr(), body.len(), sig.as_ptr()), INVALID);
    assert_eq!(verify(c("other").as_ptr(), body.as_ptr(), body.len(), sig.as_ptr()), INVALID);
    assert_eq!(verify(secret.as_ptr(), body.as_ptr(), body.len() - 1, sig.as_ptr()), INVALID);
    for bad in ["", "zz", "abc", "sha256=", &"0".repeat(64)] {
        assert_eq!(verify(secret.as_ptr(), body.as_ptr(), body.len(), c(bad).as_ptr()), INVALID, "{bad}");
    }
    // An empty body may be NULL with length 0.
    let empty_sig = c(&trillet::webhooks::sign("whsec_test", b""));
    assert_eq!(verify(secret.as_ptr(), ptr::null(), 0, empty_sig.as_ptr()), OK);
}

#[test]
fn webhook_sign_returns_null_for_bad_arguments() {
    let secret = c("whsec_test");
    let body = b"payload";
    let sign = |s: *const c_char, b: *const u8, n: usize| unsafe { trillet_webhook_sign(s, b, n) };

    let sig = take(sign(secret.as_ptr(), body.as_ptr(), body.len()));
    assert_eq!(sig, trillet::webhooks::sign("whsec_test", body));
    assert_eq!(sig.len(), 64);
    assert_eq!(take(sign(secret.as_ptr(), ptr::null(), 0)), trillet::webhooks::sign("whsec_test", b""));

    assert!(sign(ptr::null(), body.as_ptr(), body.len()).is_null());
    assert!(sign(NOT_UTF8.as_ptr().cast(), body.as_ptr(), body.len()).is_null());
    assert!(sign(c("").as_ptr(), body.as_ptr(), body.len()).is_null());
    assert!(sign(secret.as_ptr(), ptr::null(), 4).is_null());
}

#[test]
fn argument_free_functions_and_frees_accept_what_they_document() {
    let version = unsafe { std::ffi::CStr::from_ptr(trillet_version()) };
    assert_eq!(version.to_str().unwrap(), trillet::VERSION);
    assert_eq!(trillet_version(), trillet_version(), "static, never reallocated");
    let catalog = json(&take(trillet_operations()));
    assert_eq!(catalog["operations"].as_array().unwrap().len(), 78);
    unsafe { trillet_string_free(ptr::null_mut()) };
    unsafe { trillet_client_free(ptr::null_mut()) };
}
