//! The operations catalog: what the Python and Go bindings build their methods from.

use super::boundary::guard;
use super::strings::into_c_string;
use crate::operations::OPERATIONS;
use serde_json::json;
use std::os::raw::c_char;

/// The operation table as JSON:
/// `{"version":"0.1.0","operations":[{"id":"agents.get","resource":"agents","action":"get",
/// "method":"GET","path":"/v1/api/agents/{agentId}","path_params":["agentId"],"query_params":[],
/// "body":"none","response":"json","workspace_header":true,"idempotent":true,
/// "summary":"Get a call agent"}, ...]}`.
///
/// Returns a new string to be freed with `trillet_string_free` (NULL only if the library hit an
/// internal error).
#[no_mangle]
pub extern "C" fn trillet_operations() -> *mut c_char {
    guard(|| into_c_string(catalog_json()))
}

// Until the shared `operations::catalog_json` lands (sandbox branch), the catalog is built here.
fn catalog_json() -> String {
    let ops: Vec<_> = OPERATIONS
        .iter()
        .map(|op| {
            json!({
                "id": op.id,
                "resource": op.resource(),
                "action": op.action(),
                "method": op.method.as_str(),
                "path": op.path,
                "path_params": op.path_params(),
                "query_params": op.query_params,
                "body": op.body.as_str(),
                "response": op.response.as_str(),
                "workspace_header": op.auth.sends_workspace(),
                "idempotent": op.idempotent(),
                "summary": op.summary,
            })
        })
        .collect();
    json!({"version": crate::VERSION, "operations": ops}).to_string()
}
