//! Calling the API: by operation id through the table, or by method and path (escape hatch).

use super::args;
use super::boundary::answer;
use super::client::TrilletClient;
use crate::Request;
use std::os::raw::{c_char, c_int};

/// Calls an operation of the table by id (`"agents.create"`; the list comes from
/// `trillet_operations`).
///
/// `request_json` is the request in the shared form, every key optional:
/// `{"path":{"agentId":"..."},"query":{"page":2},"body":{...},"files":[...],"timeout_ms":5000}`;
/// NULL means `{}`.
///
/// Returns `TRILLET_OK` with the response body in `*out_json` (passed through byte for byte; a
/// text response such as CSV as a JSON string), or another `TrilletStatus` with the error JSON
/// `{"error":{"kind","code","message","status","request_id","retry_after","body"}}` in `*out_json`.
/// Either way `*out_json` must be freed with `trillet_string_free`. If `out_json` itself is NULL
/// nothing is done and `TRILLET_ERR_INVALID_INPUT` is returned.
///
/// Thread-safe: many threads may call this with the same client at once. The call blocks until
/// the response, the last retry or the deadline.
///
/// # Safety
/// `client` must be NULL or a live client from `trillet_client_new`; `operation` and
/// `request_json` must be NULL or NUL-terminated strings; `out_json` must be NULL or point to
/// writable storage for a `char *`.
#[no_mangle]
pub unsafe extern "C" fn trillet_call(
    client: *const TrilletClient,
    operation: *const c_char,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> c_int {
    answer(out_json, || {
        // SAFETY: forwarded contract.
        let (client, operation, request) = unsafe {
            (
                args::reference(client, "client")?,
                args::required_str(operation, "operation")?,
                args::optional_str(request_json, "request_json")?,
            )
        };
        client.client.call_json(operation, request.unwrap_or("{}"))
    })
}

/// Sends a request to any method and path: the escape hatch for endpoints the table does not
/// know yet. `path` starts with `/` and may be a template (`/v1/api/new/{id}`) filled from the
/// request's `path` object; the query goes in the request's `query` object, not in `path`.
/// Same headers, retries, errors and out-string rules as `trillet_call`.
///
/// # Safety
/// Same as `trillet_call`; `method` and `path` must be NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn trillet_request(
    client: *const TrilletClient,
    method: *const c_char,
    path: *const c_char,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
) -> c_int {
    answer(out_json, || {
        // SAFETY: forwarded contract.
        let (client, method, path, request) = unsafe {
            (
                args::reference(client, "client")?,
                args::required_str(method, "method")?,
                args::required_str(path, "path")?,
                args::optional_str(request_json, "request_json")?,
            )
        };
        let request = Request::from_json(request.unwrap_or("{}"))?;
        Ok(client.client.request(method, path, &request)?.body)
    })
}
