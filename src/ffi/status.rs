//! The status codes every fallible export returns: `TRILLET_OK`, then one per error kind.

use crate::Error;
use std::os::raw::c_int;

/// What a call returned: `TRILLET_OK` (0) on success, otherwise one code per error `kind` of the
/// error JSON handed back in the same call. Functions return it as an `int`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum TrilletStatus {
    /// Success: the out string holds the result.
    TRILLET_OK = 0,
    /// `kind` `invalid_input`: refused before anything was sent (NULL or non-UTF-8 argument,
    /// invalid or wrongly typed JSON, unknown operation or config key, missing path parameter, ...).
    TRILLET_ERR_INVALID_INPUT = 1,
    /// `kind` `api`: the API answered with a non-2xx status (see `status` and `code`).
    TRILLET_ERR_API = 2,
    /// `kind` `timeout`: the request did not complete within its deadline.
    TRILLET_ERR_TIMEOUT = 3,
    /// `kind` `connect`: no connection could be made; nothing was sent.
    TRILLET_ERR_CONNECT = 4,
    /// `kind` `io`: the connection broke after the request may have been sent.
    TRILLET_ERR_IO = 5,
    /// `kind` `decode`: a 2xx response whose body is not valid JSON (or nests too deeply, or is
    /// too large).
    TRILLET_ERR_DECODE = 6,
    /// `kind` `panic`: a bug inside the library was caught at the ABI boundary.
    TRILLET_ERR_PANIC = 7,
    /// `kind` `cancelled`: the call was stopped by `trillet_cancel` (or `trillet_client_close`)
    /// before it completed; `code` is `not_sent` (nothing reached the API: safe to send again)
    /// or `maybe_sent` (the API may have acted on it). Never retried.
    TRILLET_ERR_CANCELLED = 8,
}

impl TrilletStatus {
    /// The status for an error: one per variant, so one per [`kind`](Error::kind). The match is
    /// exhaustive (no catch-all): a new variant does not compile until it has its status.
    pub fn of(error: &Error) -> TrilletStatus {
        match error {
            Error::InvalidInput { .. } => TrilletStatus::TRILLET_ERR_INVALID_INPUT,
            Error::Api { .. } => TrilletStatus::TRILLET_ERR_API,
            Error::Timeout { .. } => TrilletStatus::TRILLET_ERR_TIMEOUT,
            Error::Connect { .. } => TrilletStatus::TRILLET_ERR_CONNECT,
            Error::Io { .. } => TrilletStatus::TRILLET_ERR_IO,
            Error::Decode { .. } => TrilletStatus::TRILLET_ERR_DECODE,
            Error::Panic { .. } => TrilletStatus::TRILLET_ERR_PANIC,
            Error::Cancelled { .. } => TrilletStatus::TRILLET_ERR_CANCELLED,
        }
    }

    /// The value as the `int` the C functions return.
    pub const fn code(self) -> c_int {
        self as c_int
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_kind_has_its_own_code() {
        let errors = [
            Error::invalid("x", "y"),
            Error::Api {
                status: 400,
                code: "c".into(),
                message: "m".into(),
                request_id: None,
                retry_after: None,
                body: String::new(),
            },
            Error::Timeout { message: "t".into() },
            Error::Connect { message: "c".into() },
            Error::Io { message: "i".into() },
            Error::Decode { message: "d".into(), snippet: String::new() },
            Error::Panic { message: "p".into() },
            Error::Cancelled { maybe_sent: false, message: "c".into() },
        ];
        let codes: Vec<c_int> = errors.iter().map(|e| TrilletStatus::of(e).code()).collect();
        assert_eq!(codes, vec![1, 2, 3, 4, 5, 6, 7, 8]);
        let kinds: Vec<&str> = errors.iter().map(Error::kind).collect();
        assert_eq!(kinds, ["invalid_input", "api", "timeout", "connect", "io", "decode", "panic", "cancelled"]);
        assert_eq!(TrilletStatus::TRILLET_OK.code(), 0);
        assert_eq!(TrilletStatus::TRILLET_ERR_PANIC.code(), 7);
        assert_eq!(TrilletStatus::TRILLET_ERR_CANCELLED.code(), 8, "fixed by DESIGN.md");
    }
}
