//! The operations catalog: what the Python and Go bindings build their methods from.

use super::boundary::guard;
use super::strings::into_c_string;
use crate::operations::catalog_json;
use std::os::raw::c_char;

/// The operation table as JSON:
/// `{"version":"0.1.0","operations":[{"id":"agents.get","resource":"agents","action":"get",
/// "method":"GET","path":"/v1/api/agents/{agentId}","path_params":["agentId"],"query_params":[],
/// "body":"none","response":"json","workspace_header":true,"idempotent":true,
/// "summary":"Get a call agent","api_key":true,"file_field":null,"max_upload_bytes":null,
/// "workspace_required":true}, ...],"settings":[{"key":"api_key","kind":"secret",
/// "zero_allowed":false,"env":["TRILLET_API_KEY"],"default":"none","doc":"…"}, ...]}`.
/// `response` is `json`, `text` (returned as a JSON string) or `binary` (returned as
/// `{"content_type","filename","size","data_base64"}`); uploads name their `file_field`.
/// `workspace_header` true with `workspace_required` false: `x-workspace-id` is sent when
/// configured, and the request is still sent without one. `settings` is the client settings
/// table (the keys of the config JSON `trillet_client_new` takes).
///
/// Returns a new string to be freed with `trillet_string_free` (NULL only if the library hit an
/// internal error).
#[no_mangle]
pub extern "C" fn trillet_operations() -> *mut c_char {
    guard(|| into_c_string(catalog_json()))
}
