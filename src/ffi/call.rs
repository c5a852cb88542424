//! Calling the API: by operation id through the table, or by method and path (escape hatch).

use super::args;
use super::boundary::{answer, guard};
use super::cancel::TrilletCancel;
use super::client::TrilletClient;
use super::strings::into_c_string;
use crate::{Error, Request, ResponseMeta};
use std::os::raw::{c_char, c_int};
use std::ptr;

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

/// Like `trillet_call`, and also hands back what the exchange took, succeeded or failed, in
/// `*out_meta`: `{"status":200,"request_id":"req_...","attempts":1,"elapsed_ms":12}` — the HTTP
/// status and `x-request-id` of the last response (`null` when none arrived), the attempts sent
/// (`0` when the request was refused before sending) and the milliseconds from the call's start to
/// its end, retries included.
///
/// `*out_json` follows the rules of `trillet_call`. `out_meta` may be NULL (then this is
/// `trillet_call`); otherwise `*out_meta` is set to the metadata JSON, to be freed with
/// `trillet_string_free`, or to NULL when `out_json` is NULL or a panic was caught.
///
/// # Safety
/// Same as `trillet_call`; `out_meta` must be NULL or point to writable storage for a `char *`.
#[no_mangle]
pub unsafe extern "C" fn trillet_call_with_meta(
    client: *const TrilletClient,
    operation: *const c_char,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_meta: *mut *mut c_char,
) -> c_int {
    // SAFETY: forwarded contract; no token.
    unsafe { trillet_call_ex(client, operation, request_json, ptr::null(), out_json, out_meta) }
}

/// `trillet_call_with_meta` that another thread can stop: `trillet_cancel(cancel)` ends the call
/// promptly wherever it waits, and it returns `TRILLET_ERR_CANCELLED` with the error JSON
/// `{"error":{"kind":"cancelled","code":"not_sent"|"maybe_sent",...}}`: `not_sent` when no byte of
/// any attempt's HTTP request reached the network (the API cannot have acted: safe to send
/// again), `maybe_sent` otherwise (the API may have acted on it — for a POST such as
/// `calls.initiate`, a phone call may have gone out). A cancelled call is never retried and its
/// connection is closed, not reused; a cancel that comes as the call completes leaves the real
/// result; a cancel after it returned changes nothing. `*out_meta`'s `attempts` counts the
/// attempts whose request was sent.
///
/// `cancel` may be NULL (the call is then not cancellable, except by `trillet_client_close`), and
/// may be freed by another thread while this call runs. The other arguments and the out-strings
/// follow `trillet_call_with_meta`.
///
/// # Safety
/// Same as `trillet_call_with_meta`; `cancel` must be NULL or a live token from
/// `trillet_cancel_new` when the call starts.
#[no_mangle]
pub unsafe extern "C" fn trillet_call_ex(
    client: *const TrilletClient,
    operation: *const c_char,
    request_json: *const c_char,
    cancel: *const TrilletCancel,
    out_json: *mut *mut c_char,
    out_meta: *mut *mut c_char,
) -> c_int {
    answer_with_meta(out_json, out_meta, || {
        // Our own reference, taken first: the caller may free its handle while the call runs.
        // SAFETY: NULL or live per the contract.
        let token = unsafe { cancel.as_ref() }.map(|c| c.token.clone());
        // SAFETY: forwarded contract.
        let (client, operation, request) = unsafe {
            (
                args::reference(client, "client")?,
                args::required_str(operation, "operation")?,
                args::optional_str(request_json, "request_json")?,
            )
        };
        Ok(client.client.call_json_ex(operation, request.unwrap_or("{}"), token.as_ref()))
    })
}

/// Sends a request to any method and path: the escape hatch for endpoints the table does not
/// know yet. `path` starts with `/` and may be a template (`/v1/api/new/{id}`) filled from the
/// request's `path` object; the query goes in the request's `query` object, not in `path`.
/// Same headers, retries, errors and out-string rules as `trillet_call`.
///
/// With no table row to say what the answer is, its `content-type` decides, as for the typed
/// operations: JSON (or no content-type) is validated and passed through, `text/...` (a CSV
/// export) comes back as a JSON string, anything else (audio) as the envelope
/// `{"content_type","filename","size","data_base64"}` that `recordings.get` answers with.
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

/// `trillet_request` that another thread can stop with `cancel` (NULL: not cancellable), and
/// that also hands back the exchange's metadata in `*out_meta` (NULL: not wanted). The
/// cancellation rules are those of `trillet_call_ex`; the out-strings those of
/// `trillet_call_with_meta`.
///
/// # Safety
/// Same as `trillet_request`; `cancel` must be NULL or a live token from `trillet_cancel_new`
/// when the call starts; `out_meta` must be NULL or point to writable storage for a `char *`.
#[no_mangle]
pub unsafe extern "C" fn trillet_request_ex(
    client: *const TrilletClient,
    method: *const c_char,
    path: *const c_char,
    request_json: *const c_char,
    cancel: *const TrilletCancel,
    out_json: *mut *mut c_char,
    out_meta: *mut *mut c_char,
) -> c_int {
    answer_with_meta(out_json, out_meta, || {
        // SAFETY: NULL or live per the contract; our own reference, taken first.
        let token = unsafe { cancel.as_ref() }.map(|c| c.token.clone());
        // SAFETY: forwarded contract.
        let (client, method, path, request) = unsafe {
            (
                args::reference(client, "client")?,
                args::required_str(method, "method")?,
                args::required_str(path, "path")?,
                args::optional_str(request_json, "request_json")?,
            )
        };
        let mut request = Request::from_json(request.unwrap_or("{}"))?;
        if let Some(token) = &token {
            request = request.cancel(token);
        }
        let (result, meta) = client.client.request_with_meta(method, path, &request);
        Ok((result.map(|r| r.body), meta))
    })
}

/// [`answer`] for the exports that also hand back the exchange's metadata: `*out_meta` (when
/// `out_meta` is not NULL) is set to NULL first, then to the metadata JSON of what `call` did, or
/// of nothing (`attempts` 0) when its arguments were refused; it stays NULL when `out_json` is
/// NULL or a panic was caught.
fn answer_with_meta(
    out_json: *mut *mut c_char,
    out_meta: *mut *mut c_char,
    call: impl FnOnce() -> Result<(Result<String, Error>, ResponseMeta), Error>,
) -> c_int {
    guard(|| {
        if !out_meta.is_null() {
            // SAFETY: non-NULL, and writable per each export's contract; writing a raw pointer
            // drops nothing.
            unsafe { out_meta.write(ptr::null_mut()) };
        }
        let mut meta: Option<ResponseMeta> = None;
        let status = answer(out_json, || {
            meta = Some(ResponseMeta::default());
            let (result, exchange) = call()?;
            meta = Some(exchange);
            result
        });
        if let (false, Some(meta)) = (out_meta.is_null(), meta) {
            // SAFETY: as above.
            unsafe { out_meta.write(into_c_string(meta.to_json())) };
        }
        status
    })
}
