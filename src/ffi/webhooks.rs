//! Webhook signatures: verify what Trillet sent, or sign a body (for tests and local tools).

use super::args;
use super::boundary::guard;
use super::status::TrilletStatus;
use super::strings::into_c_string;
use crate::{webhooks, Error};
use std::os::raw::{c_char, c_int};
use std::ptr;

/// Checks a webhook's signature header against its raw body, in constant time. Accepts an
/// optional `sha256=` prefix, upper- or lower-case hex and surrounding white space.
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
