//! Webhook signatures: verify what Trillet sent (both schemes, several secrets, a timestamp
//! tolerance), parse it, or sign a body (for tests and local tools).

use super::args;
use super::boundary::{answer, guard};
use super::status::TrilletStatus;
use super::strings::into_c_string;
use crate::webhooks::{self, Scheme, Verifier};
use crate::Error;
use serde_json::{json, Value};
use std::os::raw::{c_char, c_int};
use std::ptr;
use std::time::Duration;

/// Checks an `X-Trillet-Signature` value (the `trillet` scheme) against the raw body with one
/// secret, in constant time: exactly 64 hex digits in either case, after an optional `sha256=`
/// prefix, surrounding white space ignored. For the `standard` scheme, several secrets, and the reason
/// of a failure, use `trillet_webhook_verify_headers`.
///
/// Returns `TRILLET_OK` when the signature matches; `TRILLET_ERR_INVALID_INPUT` when it does not,
/// when it is malformed or empty, when `secret` is empty, or for a NULL or non-UTF-8 argument (a
/// NULL `body` is allowed only with `body_len` 0). Nothing is allocated: there is nothing to free.
///
/// # Safety
/// `secret` and `signature_header` must be NULL or NUL-terminated strings; `body` must be NULL
/// or point to `body_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn trillet_webhook_verify(
    secret: *const c_char,
    body: *const u8,
    body_len: usize,
    signature_header: *const c_char,
) -> c_int {
    guard(|| {
        let checked = || -> Result<(), Error> {
            // SAFETY: forwarded contract.
            let (secret, body, signature) = unsafe {
                (
                    args::required_str(secret, "secret")?,
                    args::bytes(body, body_len, "body")?,
                    args::required_str(signature_header, "signature_header")?,
                )
            };
            Ok(webhooks::verify(secret, body, signature)?)
        };
        match checked() {
            Ok(()) => TrilletStatus::TRILLET_OK.code(),
            Err(e) => TrilletStatus::of(&e).code(),
        }
    })
}

/// The signature Trillet would send for `body`: lower-case hex HMAC-SHA256 keyed with `secret`.
///
/// Returns the signature, to be freed with `trillet_string_free`, or NULL when `secret` is NULL,
/// empty or not UTF-8, or `body` is NULL with a non-zero `body_len`.
///
/// # Safety
/// `secret` must be NULL or a NUL-terminated string; `body` must be NULL or point to `body_len`
/// readable bytes.
#[no_mangle]
pub unsafe extern "C" fn trillet_webhook_sign(secret: *const c_char, body: *const u8, body_len: usize) -> *mut c_char {
    guard(|| {
        // SAFETY: forwarded contract.
        let parsed = unsafe { (args::required_str(secret, "secret"), args::bytes(body, body_len, "body")) };
        match parsed {
            (Ok(secret), Ok(body)) if !secret.is_empty() => into_c_string(webhooks::sign(secret, body)),
            _ => ptr::null_mut(),
        }
    })
}

// ---- both schemes, rotation, tolerance, JSON out ---------------------------------------------

/// `["whsec_a", "whsec_b"]` or `"whsec_a"`.
fn parse_secrets(text: &str) -> Result<Vec<String>, Error> {
    let bad = || Error::invalid("invalid_argument", "`secrets_json` must be a JSON string or an array of strings");
    match serde_json::from_str::<Value>(text).map_err(|_| bad())? {
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) => {
            items.into_iter().map(|v| if let Value::String(s) = v { Ok(s) } else { Err(bad()) }).collect()
        }
        _ => Err(bad()),
    }
}

/// `{"Name": "value" | ["value", ...]}` or `[["Name", "value"], ...]`.
fn parse_headers(text: &str) -> Result<Vec<(String, String)>, Error> {
    let bad = || {
        Error::invalid(
            "invalid_argument",
            "`headers_json` must be a JSON object of header names to strings (or arrays of strings), or an array of [name, value] pairs",
        )
    };
    let mut out = Vec::new();
    match serde_json::from_str::<Value>(text).map_err(|_| bad())? {
        Value::Object(map) => {
            for (name, value) in map {
                match value {
                    Value::String(v) => out.push((name, v)),
                    Value::Array(values) => {
                        for v in values {
                            out.push((name.clone(), v.as_str().ok_or_else(bad)?.to_string()));
                        }
                    }
                    _ => return Err(bad()),
                }
            }
        }
        Value::Array(pairs) => {
            for pair in pairs {
                match pair.as_array().map(Vec::as_slice) {
                    Some([Value::String(n), Value::String(v)]) => out.push((n.clone(), v.clone())),
                    _ => return Err(bad()),
                }
            }
        }
        _ => return Err(bad()),
    }
    Ok(out)
}

/// A verifier, the request's headers and its raw body.
type VerifierInputs<'a> = (Verifier, Vec<(String, String)>, &'a [u8]);

/// The verifier and inputs of a verify or construct-event call.
///
/// # Safety
/// As [`trillet_webhook_construct_event`].
unsafe fn verifier_inputs<'a>(
    secrets_json: *const c_char,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    tolerance_secs: i64,
) -> Result<VerifierInputs<'a>, Error> {
    // SAFETY: forwarded contract.
    let (secrets, headers, body) = unsafe {
        (
            args::required_str(secrets_json, "secrets_json")?,
            args::required_str(headers_json, "headers_json")?,
            args::bytes(body, body_len, "body")?,
        )
    };
    let mut verifier = Verifier::new(parse_secrets(secrets)?);
    if tolerance_secs >= 0 {
        verifier = verifier.tolerance(Duration::from_secs(tolerance_secs as u64));
    }
    Ok((verifier, parse_headers(headers)?, body))
}

/// Verifies a webhook in either scheme (picked from the headers: `X-Trillet-Signature`, or
/// `webhook-id` + `webhook-timestamp` + `webhook-signature`) against one or more secrets.
///
/// `secrets_json` is a JSON string or array of strings (several during a rotation: any one
/// matching passes); `headers_json` is the request's headers as a JSON object (`{"Name": "value"}`,
/// names case-insensitive) or an array of `[name, value]` pairs; `body` is the raw request body;
/// `tolerance_secs` is how far a `standard` timestamp may be from now (a negative value means the
/// default, 300 s).
///
/// Returns `TRILLET_OK` with `{"scheme":"trillet"|"standard","id":...,"timestamp":...}` in
/// `*out_json`, or `TRILLET_ERR_INVALID_INPUT` with the error JSON, whose `code` names the check
/// that failed (`missing_signature`, `bad_signature`, `timestamp_too_old`, `timestamp_in_future`,
/// `unsupported_scheme`, `missing_secret`, `invalid_secret`, or an argument error) and whose
/// `message` carries a hint. Free `*out_json` with `trillet_string_free`.
///
/// # Safety
/// `secrets_json` and `headers_json` must be NULL or NUL-terminated strings; `body` must be NULL
/// or point to `body_len` readable bytes; `out_json` must be NULL or point to writable storage
/// for a `char *`.
#[no_mangle]
pub unsafe extern "C" fn trillet_webhook_verify_headers(
    secrets_json: *const c_char,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    tolerance_secs: i64,
    out_json: *mut *mut c_char,
) -> c_int {
    answer(out_json, || {
        // SAFETY: forwarded contract.
        let (verifier, headers, body) =
            unsafe { verifier_inputs(secrets_json, headers_json, body, body_len, tolerance_secs) }?;
        let verified = verifier.verify(&headers, body)?;
        Ok(json!({"scheme": verified.scheme.as_str(), "id": verified.id, "timestamp": verified.timestamp}).to_string())
    })
}

/// Verifies a webhook like [`trillet_webhook_verify_headers`], then checks the payload is
/// `{"event": "...", "data": ...}`: what a webhook handler wants.
///
/// Returns `TRILLET_OK` with the body itself in `*out_json` (passed through byte for byte), or
/// `TRILLET_ERR_INVALID_INPUT` with the error JSON (`invalid_payload` for a body that is not an
/// event, or any code of [`trillet_webhook_verify_headers`]). Free `*out_json` with
/// `trillet_string_free`.
///
/// # Safety
/// As [`trillet_webhook_verify_headers`].
#[no_mangle]
pub unsafe extern "C" fn trillet_webhook_construct_event(
    secrets_json: *const c_char,
    headers_json: *const c_char,
    body: *const u8,
    body_len: usize,
    tolerance_secs: i64,
    out_json: *mut *mut c_char,
) -> c_int {
    answer(out_json, || {
        // SAFETY: forwarded contract.
        let (verifier, headers, body) =
            unsafe { verifier_inputs(secrets_json, headers_json, body, body_len, tolerance_secs) }?;
        verifier.construct_event(&headers, body)?;
        // Parsed as an event, so it is UTF-8 JSON without a raw NUL byte.
        Ok(String::from_utf8_lossy(body).into_owned())
    })
}

/// The headers a sender adds for `body`, as a JSON object: `{"X-Trillet-Signature": "<hex>"}` for
/// `scheme` `"trillet"` (or NULL), or `{"webhook-id", "webhook-timestamp", "webhook-signature"}`
/// for `"standard"`, which uses `id` (NULL: a fresh `msg_...` id) and `timestamp` in Unix seconds
/// (negative: now).
///
/// Returns `TRILLET_OK` with the headers JSON in `*out_json`, or `TRILLET_ERR_INVALID_INPUT`
/// with the error JSON (`missing_secret`, `invalid_secret` for a `standard` secret that is not
/// base64 after `whsec_`, `unsupported_scheme`, or an argument error). Free `*out_json` with
/// `trillet_string_free`.
///
/// # Safety
/// `secret`, `scheme` and `id` must be NULL or NUL-terminated strings; `body` must be NULL or
/// point to `body_len` readable bytes; `out_json` must be NULL or point to writable storage for a
/// `char *`.
#[no_mangle]
pub unsafe extern "C" fn trillet_webhook_sign_headers(
    secret: *const c_char,
    scheme: *const c_char,
    id: *const c_char,
    timestamp: i64,
    body: *const u8,
    body_len: usize,
    out_json: *mut *mut c_char,
) -> c_int {
    answer(out_json, || {
        // SAFETY: forwarded contract.
        let (secret, scheme_name, id, body) = unsafe {
            (
                args::required_str(secret, "secret")?,
                args::optional_str(scheme, "scheme")?,
                args::optional_str(id, "id")?,
                args::bytes(body, body_len, "body")?,
            )
        };
        let scheme = match scheme_name {
            None => Scheme::Trillet,
            Some(name) => Scheme::parse(name).ok_or_else(|| {
                Error::invalid(
                    "unsupported_scheme",
                    format!("unknown webhook scheme {name:?}: use \"trillet\" or \"standard\""),
                )
            })?,
        };
        let id = id.map_or_else(webhooks::new_message_id, str::to_string);
        let timestamp = if timestamp < 0 { webhooks::now_unix() } else { timestamp };
        let headers = webhooks::sign_headers(scheme, secret, body, &id, timestamp)?;
        let map: serde_json::Map<String, Value> = headers.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        Ok(Value::Object(map).to_string())
    })
}
