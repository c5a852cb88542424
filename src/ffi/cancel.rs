//! Cancel tokens: stop a call in flight from another thread.

use super::boundary::guard;
use crate::CancelToken;

/// An opaque cancel token: `trillet_cancel` stops every call given it (through `trillet_call_ex`)
/// that is still running, and every later one.
///
/// Create it with `trillet_cancel_new` and release it with `trillet_cancel_free`. One token may
/// serve many calls, on many threads, at once. It is reference counted: freeing it while a call
/// still holds it is safe (the call keeps what it needs until it returns).
pub struct TrilletCancel {
    pub(crate) token: CancelToken,
}

/// Creates a cancel token that is not cancelled. Release it with `trillet_cancel_free`.
/// Returns NULL only if the library hit an internal error.
#[no_mangle]
pub extern "C" fn trillet_cancel_new() -> *mut TrilletCancel {
    guard(|| Box::into_raw(Box::new(TrilletCancel { token: CancelToken::new() })))
}

/// Cancels `token`: every call running with it returns `TRILLET_ERR_CANCELLED` promptly, wherever
/// it waits (rate-limit slot, DNS, connect, TLS handshake, sending, the answer, the body, the
/// backoff between retries), and every later call given it fails at once with code `not_sent`.
/// A call that completed before the cancel keeps its result. Any thread; idempotent; never
/// blocks on a call. NULL is accepted and ignored.
///
/// # Safety
/// `token` must be NULL or a live token from `trillet_cancel_new`.
#[no_mangle]
pub unsafe extern "C" fn trillet_cancel(token: *const TrilletCancel) {
    guard(|| {
        // SAFETY: NULL or live per the contract.
        if let Some(token) = unsafe { token.as_ref() } {
            token.token.cancel();
        }
    })
}

/// Releases a token made by `trillet_cancel_new`. Calls still running with it are unaffected
/// (they hold their own reference) and can no longer be cancelled through it. NULL is accepted
/// and ignored.
///
/// # Safety
/// `token` must be NULL or a token from `trillet_cancel_new` that has not been freed yet, and
/// no other thread may pass it to a function after (or while) this runs: a call that already
/// took it is fine.
#[no_mangle]
pub unsafe extern "C" fn trillet_cancel_free(token: *mut TrilletCancel) {
    guard(|| {
        if !token.is_null() {
            // SAFETY: per the contract, `token` came from `Box::into_raw` in `trillet_cancel_new`.
            drop(unsafe { Box::from_raw(token) });
        }
    })
}
