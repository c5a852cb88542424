//! The webhook exports of the C ABI: both schemes, rotation, tolerance, the event passed through,
//! signed headers, and every failure as error JSON naming the check that failed.

mod ffi_support;

use ffi_support::*;
use std::os::raw::c_char;
use std::ptr;
use trillet::ffi::*;
use trillet::webhooks::{self, Scheme};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY: &[u8] = br#"{"event":"call.completed","data":{"callId":"c1","duration":125,"metadata":{"k":"v"}}}"#;

type Export = unsafe extern "C" fn(*const c_char, *const c_char, *const u8, usize, i64, *mut *mut c_char) -> i32;

fn run(f: Export, secrets: &str, headers: &str, body: &[u8], tolerance: i64) -> (i32, String) {
    let (s, h) = (c(secrets), c(headers));
    let mut out: *mut c_char = ptr::null_mut();
    let status = unsafe { f(s.as_ptr(), h.as_ptr(), body.as_ptr(), body.len(), tolerance, &mut out) };
    (status, take(out))
}

fn sign_headers(secret: Option<&str>, scheme: Option<&str>, id: Option<&str>, ts: i64, body: &[u8]) -> (i32, String) {
    let (secret, scheme, id) = (secret.map(c), scheme.map(c), id.map(c));
    let mut out: *mut c_char = ptr::null_mut();
    let status = unsafe {
        trillet_webhook_sign_headers(
            arg(secret.as_ref()),
            arg(scheme.as_ref()),
            arg(id.as_ref()),
            ts,
            body.as_ptr(),
            body.len(),
            &mut out,
        )
    };
    (status, take(out))
}

fn error_code(text: &str) -> String {
    json(text)["error"]["code"].as_str().unwrap().to_string()
}

#[test]
fn construct_event_passes_the_body_through_for_both_schemes() {
    for scheme in ["trillet", "standard"] {
        let (status, headers) = sign_headers(Some(SECRET), Some(scheme), None, -1, BODY);
        assert_eq!(status, OK, "{headers}");
        let (status, out) =
            run(trillet_webhook_construct_event, &format!("[\"whsec_b2xk\",\"{SECRET}\"]"), &headers, BODY, -1);
        assert_eq!((status, out.as_bytes()), (OK, BODY), "{scheme}");
        let (status, out) = run(trillet_webhook_verify_headers, &format!("\"{SECRET}\""), &headers, BODY, -1);
        assert_eq!(status, OK);
        assert_eq!(json(&out)["scheme"], scheme);
    }
}

#[test]
fn signed_headers_are_exactly_what_the_core_signs() {
    let (status, out) = sign_headers(Some(SECRET), Some("standard"), Some("msg_1"), 1614265330, BODY);
    assert_eq!(status, OK);
    let expected = webhooks::sign_headers(Scheme::Standard, SECRET, BODY, "msg_1", 1614265330).unwrap();
    let got = json(&out);
    for (name, value) in expected {
        assert_eq!(got[&name], value.as_str(), "{name}");
    }
    let (status, out) = sign_headers(Some("whsec_x"), None, None, 0, BODY);
    assert_eq!(status, OK);
    assert_eq!(json(&out), serde_json::json!({"X-Trillet-Signature": webhooks::sign("whsec_x", BODY)}));
    assert_eq!(error_code(&sign_headers(Some(""), None, None, 0, BODY).1), "missing_secret");
    assert_eq!(error_code(&sign_headers(Some("whsec_!!"), Some("standard"), None, 0, BODY).1), "invalid_secret");
    assert_eq!(error_code(&sign_headers(Some(SECRET), Some("svix"), None, 0, BODY).1), "unsupported_scheme");
    assert_eq!(error_code(&sign_headers(None, None, None, 0, BODY).1), "null_argument");
}

#[test]
fn failures_come_back_as_error_json_with_the_failed_check() {
    let now = webhooks::now_unix();
    let signed = |ts: i64, body: &[u8]| sign_headers(Some(SECRET), Some("standard"), Some("msg_1"), ts, body).1;
    let secrets = format!("[\"{SECRET}\"]");
    let cases: Vec<(String, &[u8], i64, &str)> = vec![
        (signed(now, BODY), b"{\"event\":\"call.completed\"}", -1, "bad_signature"),
        (signed(now - 1000, BODY), BODY, -1, "timestamp_too_old"),
        (signed(now + 1000, BODY), BODY, -1, "timestamp_in_future"),
        (signed(now - 1000, BODY), BODY, 0, "timestamp_too_old"),
        ("{}".to_string(), BODY, -1, "missing_signature"),
        (
            r#"{"webhook-id":"m","webhook-timestamp":"1","webhook-signature":"v1a,abc"}"#.to_string(),
            BODY,
            -1,
            "unsupported_scheme",
        ),
        (r#"[["X-Trillet-Signature","+5"]]"#.to_string(), BODY, -1, "bad_signature"),
        (signed(now, b"[1]"), b"[1]", -1, "invalid_payload"),
        ("not json".to_string(), BODY, -1, "invalid_argument"),
        (r#"{"webhook-id":5}"#.to_string(), BODY, -1, "invalid_argument"),
    ];
    for (headers, body, tolerance, code) in cases {
        let (status, out) = run(trillet_webhook_construct_event, &secrets, &headers, body, tolerance);
        assert_eq!((status, error_code(&out).as_str()), (INVALID, code), "{headers}: {out}");
        assert!(!out.contains(SECRET), "{out}");
    }
    // A long tolerance accepts an old one.
    let (status, _) = run(trillet_webhook_construct_event, &secrets, &signed(now - 1000, BODY), BODY, 3600);
    assert_eq!(status, OK);
    let (_, out) = run(trillet_webhook_construct_event, &secrets, &signed(now, BODY), b"{}", -1);
    assert!(json(&out)["error"]["message"].as_str().unwrap().contains("raw request bytes"), "{out}");
    let (status, out) = run(trillet_webhook_verify_headers, "[]", &signed(now, BODY), BODY, -1);
    assert_eq!((status, error_code(&out).as_str()), (INVALID, "missing_secret"));
    let (status, out) = run(trillet_webhook_verify_headers, "{\"a\":1}", &signed(now, BODY), BODY, -1);
    assert_eq!((status, error_code(&out).as_str()), (INVALID, "invalid_argument"));
}

#[test]
fn nulls_are_refused_without_a_crash() {
    let (s, h) = (c("\"whsec_x\""), c("{}"));
    let mut out: *mut c_char = ptr::null_mut();
    for f in [trillet_webhook_construct_event as Export, trillet_webhook_verify_headers] {
        let status = unsafe { f(ptr::null(), h.as_ptr(), ptr::null(), 0, -1, &mut out) };
        assert_eq!((status, error_code(&take(out)).as_str()), (INVALID, "null_argument"));
        let status = unsafe { f(s.as_ptr(), ptr::null(), ptr::null(), 0, -1, &mut out) };
        assert_eq!((status, error_code(&take(out)).as_str()), (INVALID, "null_argument"));
        let status = unsafe { f(s.as_ptr(), h.as_ptr(), ptr::null(), 3, -1, &mut out) };
        assert_eq!((status, error_code(&take(out)).as_str()), (INVALID, "null_argument"));
        let status = unsafe { f(NOT_UTF8.as_ptr().cast(), h.as_ptr(), ptr::null(), 0, -1, &mut out) };
        assert_eq!((status, error_code(&take(out)).as_str()), (INVALID, "invalid_utf8"));
        assert_eq!(unsafe { f(s.as_ptr(), h.as_ptr(), ptr::null(), 0, -1, ptr::null_mut()) }, INVALID);
    }
}
