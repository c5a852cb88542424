//! The C ABI: an opaque client handle, JSON text in and out, one status code per error kind.
//!
//! This is the surface C, Python (ctypes) and Go (cgo) stand on; `include/trillet.h` is generated
//! from this module by `build.rs` (cbindgen) and committed.
//!
//! The rules every export follows (modelled on rustls-ffi):
//! - each export is a few lines around shared helpers: `boundary` turns any panic into a failure
//!   value (`TRILLET_ERR_PANIC` plus error JSON where the function has an out-string), `args`
//!   checks every pointer for NULL and every string for UTF-8 in one place;
//! - functions that can fail return a [`TrilletStatus`] as `int` and hand back their result *or*
//!   the error JSON (`{"error":{"kind","code","message","status","request_id","retry_after","body"}}`)
//!   through an out pointer in the same call: there is no thread-local "last error";
//! - the error JSON can be read without a parser: [`trillet_error_status`], [`trillet_error_code`],
//!   [`trillet_error_kind`], [`trillet_error_message`];
//! - every string the library returns is freed with [`trillet_string_free`], except
//!   [`trillet_version`], which is static;
//! - handles come in `_new`/`_free` pairs; a [`TrilletClient`] may be shared by many threads;
//! - a call made with [`trillet_call_ex`] can be stopped from another thread with a
//!   [`TrilletCancel`] token ([`trillet_cancel`]); [`trillet_client_close`] stops every call of a
//!   client.
//!
//! Rust callers do not need any of this: use [`crate::Client`].

mod args;
mod boundary;
mod call;
mod cancel;
mod catalog;
mod client;
mod errors;
mod status;
mod strings;
mod webhooks;

pub use call::{trillet_call, trillet_call_ex, trillet_call_with_meta, trillet_request, trillet_request_ex};
pub use cancel::{trillet_cancel, trillet_cancel_free, trillet_cancel_new, TrilletCancel};
pub use catalog::trillet_operations;
pub use client::{trillet_client_close, trillet_client_free, trillet_client_new, TrilletClient};
pub use errors::{trillet_error_code, trillet_error_kind, trillet_error_message, trillet_error_status};
pub use status::TrilletStatus;
pub use strings::{trillet_string_free, trillet_version};
pub use webhooks::{
    trillet_webhook_construct_event, trillet_webhook_sign, trillet_webhook_sign_headers, trillet_webhook_verify,
    trillet_webhook_verify_headers,
};
