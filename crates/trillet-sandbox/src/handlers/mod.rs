//! What each operation does: one handler per row of the operation table, grouped by resource.
//!
//! Handlers run with the store locked, get a [`Ctx`] (the matched operation, its decoded path
//! parameters, query, body and workspace) and answer a [`Reply`] or an [`ApiError`].

mod agents;
mod batches;
mod calls;
mod conversations;
mod events;
mod flows;
mod library;
mod numbers;
mod valid;
mod workspaces;

pub(crate) use events::events_for;

use super::multipart::Form;
use super::reply::{ApiError, Outcome};
use super::store::{stamp, Coll, Store};
use serde_json::{Map, Value};
use trillet::operations::{ops, Op, Operation};

/// A decoded request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// No body (or an operation that takes none).
    None,
    /// A JSON document.
    Json(Value),
    /// A multipart form.
    Form(Form),
}

/// Everything a handler needs.
pub(crate) struct Ctx<'a> {
    /// The operation being served.
    pub op: &'static Operation,
    params: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    body: Body,
    workspace: Option<String>,
    /// The sandbox's documents (locked for the duration of the handler).
    pub store: &'a mut Store,
}

impl<'a> Ctx<'a> {
    /// A context for one request.
    pub fn new(
        op: &'static Operation,
        params: Vec<(&'static str, String)>,
        query: Vec<(String, String)>,
        body: Body,
        workspace: Option<String>,
        store: &'a mut Store,
    ) -> Ctx<'a> {
        Ctx { op, params, query, body, workspace, store }
    }

    /// A path parameter (the router guarantees every template parameter is present).
    pub fn param(&self, name: &str) -> String {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every value of a query parameter.
    pub fn query_all(&self, name: &str) -> Vec<&str> {
        self.query.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The workspace of the request (checked by the pipeline), for operations that send one.
    pub fn workspace(&self) -> Option<&str> {
        self.workspace.as_deref()
    }

    /// The workspace of the request, for operations that always send one.
    pub fn ws(&self) -> String {
        self.workspace.clone().unwrap_or_else(|| self.store.default_workspace.clone())
    }

    /// The JSON body as an object (an absent body reads as `{}`).
    pub fn body(&self) -> Result<Map<String, Value>, ApiError> {
        match &self.body {
            Body::Json(Value::Object(map)) => Ok(map.clone()),
            Body::None | Body::Json(Value::Null) => Ok(Map::new()),
            Body::Json(_) => Err(ApiError::validation("The request body must be a JSON object")),
            Body::Form(_) => Err(ApiError::validation("This operation takes a JSON body")),
        }
    }

    /// The multipart form of an upload.
    pub fn form(&self) -> Result<Form, ApiError> {
        match &self.body {
            Body::Form(form) => Ok(form.clone()),
            _ => Err(ApiError::bad_request(
                "invalid_content_type",
                "This operation expects a multipart/form-data upload",
            )),
        }
    }
}

type Handler = fn(&mut Ctx<'_>) -> Outcome;

/// The handler of an operation: one arm per handle, so a misspelled operation is a compile error.
fn handler_for(op: Op) -> Option<Handler> {
    Some(match op {
        ops::AGENTS_CREATE => agents::create,
        ops::AGENTS_LIST => agents::list,
        ops::AGENTS_GET => agents::get,
        ops::AGENTS_UPDATE => agents::update,
        ops::AGENTS_DELETE => agents::delete,
        ops::OMNI_FLOW_AGENTS_CREATE => agents::create_omni,
        ops::OMNI_FLOW_AGENTS_LIST => agents::list_omni,
        ops::OMNI_FLOW_AGENTS_GET => agents::get_omni,
        ops::OMNI_FLOW_AGENTS_UPDATE => agents::update_omni,
        ops::CALL_FLOWS_CREATE => flows::create_call_flow,
        ops::CALL_FLOWS_LIST => flows::list_call_flows,
        ops::CALL_FLOWS_GET => flows::get_call_flow,
        ops::CALL_FLOWS_UPDATE => flows::update_call_flow,
        ops::CALL_FLOWS_UPLOAD_KNOWLEDGE_BASE => flows::upload_knowledge_base,
        ops::CALL_FLOWS_DELETE_KNOWLEDGE_BASE_FILE => flows::delete_knowledge_base_file,
        ops::CALL_FLOWS_DELETE => flows::delete_call_flow,
        ops::MESSAGE_FLOWS_CREATE => flows::create_message_flow,
        ops::MESSAGE_FLOWS_LIST => flows::list_message_flows,
        ops::MESSAGE_FLOWS_GET => flows::get_message_flow,
        ops::MESSAGE_FLOWS_UPDATE => flows::update_message_flow,
        ops::FOLDERS_CREATE => flows::create_folder,
        ops::FOLDERS_LIST => flows::list_folders,
        ops::FOLDERS_GET => flows::get_folder,
        ops::FOLDERS_UPDATE => flows::update_folder,
        ops::FOLDERS_DELETE => flows::delete_folder,
        ops::FOLDERS_ADD_FLOW => flows::add_flow_to_folder,
        ops::FOLDERS_REMOVE_FLOW => flows::remove_flow_from_folder,
        ops::CALLS_INITIATE => calls::initiate,
        ops::CALLS_WEB_CONNECT => calls::web_connect,
        ops::CALLS_WEB_DISCONNECT => calls::web_disconnect,
        ops::CALLS_START_WEB_CALL => calls::start_web_call,
        ops::CALLS_START_PUBLIC_WEB_CALL => calls::start_public_web_call,
        ops::CALLS_START_EVALUATION_WEB_CALL => calls::start_evaluation_web_call,
        ops::CALL_HISTORY_LIST => calls::list_history,
        ops::CALL_HISTORY_GET => calls::get_history,
        ops::CALL_HISTORY_EXPORT_CSV => calls::export_csv,
        ops::RECORDINGS_GET => calls::get_recording,
        ops::RECORDINGS_START => calls::start_recording,
        ops::ACTIVE_CALLS_LIST => calls::list_active,
        ops::ACTIVE_CALLS_GET => calls::get_active,
        ops::ACTIVE_CALLS_END_CALL => calls::end_call,
        ops::ACTIVE_CALLS_REMOVE_AGENT => calls::remove_agent,
        ops::BATCH_CALLS_START => batches::start,
        ops::BATCH_CALLS_GET => batches::get,
        ops::BATCH_CALLS_PROGRESS => batches::progress,
        ops::BATCH_CALLS_LIST_CALLS => batches::list_calls,
        ops::BATCH_CALLS_CANCEL => batches::cancel,
        ops::CONVERSATIONS_LIST => conversations::list,
        ops::CONVERSATIONS_GET => conversations::get,
        ops::CONVERSATIONS_GENERATE_MESSAGE => conversations::generate_message,
        ops::CONVERSATIONS_MESSAGE_ACTION => conversations::message_action,
        ops::CONVERSATIONS_DELETE_MESSAGE => conversations::delete_message,
        ops::CONVERSATIONS_DELETE => conversations::delete,
        ops::PHONE_NUMBERS_LIST => numbers::list,
        ops::PHONE_NUMBERS_SEARCH_AVAILABLE => numbers::search_available,
        ops::PHONE_NUMBERS_PURCHASE => numbers::purchase,
        ops::PHONE_NUMBERS_GET_CONFIG => numbers::get_config,
        ops::PHONE_NUMBERS_UPDATE_CONFIG => numbers::update_config,
        ops::PHONE_NUMBERS_REGISTER_EXTERNAL => numbers::register_external,
        ops::PHONE_NUMBERS_BIND => numbers::bind,
        ops::PHONE_NUMBERS_UNBIND => numbers::unbind,
        ops::PHONE_NUMBERS_RELEASE => numbers::release,
        ops::PHONE_NUMBERS_GET => numbers::get,
        ops::KNOWLEDGE_BASE_CREATE => library::create_knowledge_base,
        ops::KNOWLEDGE_BASE_LIST => library::list_knowledge_bases,
        ops::KNOWLEDGE_BASE_GET => library::get_knowledge_base,
        ops::KNOWLEDGE_BASE_UPLOAD_FILE => library::upload_knowledge_base_file,
        ops::KNOWLEDGE_BASE_UPDATE => library::update_knowledge_base,
        ops::VOICES_GET => library::get_voice,
        ops::VOICES_CREATE => library::create_voice,
        ops::VOICES_CLONE => library::clone_voice,
        ops::WORKSPACES_LIST => workspaces::list,
        ops::WORKSPACES_GET => workspaces::get,
        ops::WORKSPACES_CREATE => workspaces::create,
        ops::WORKSPACES_UPDATE => workspaces::update,
        ops::WORKSPACES_DELETE => workspaces::delete,
        ops::WORKSPACES_INVITE => workspaces::invite,
        ops::WORKSPACES_PENDING_INVITATIONS => workspaces::pending_invitations,
        _ => return None,
    })
}

/// Runs the operation's handler, once a JSON body fits what the spec lists for the endpoint.
pub(crate) fn dispatch(ctx: &mut Ctx<'_>) -> Outcome {
    if let Body::Json(Value::Object(body)) = &ctx.body {
        valid::body(ctx.op, body)?;
    }
    match Op::of(ctx.op).and_then(handler_for) {
        Some(handler) => handler(ctx),
        None => Err(ApiError::new(501, "not_implemented", format!("The sandbox does not serve {} yet", ctx.op.id))),
    }
}

// ---- helpers shared by the handlers ------------------------------------------------------

/// Fields the API owns: never taken from a request body.
const SYSTEM_FIELDS: [&str; 6] = ["_id", "workspaceId", "userId", "createdAt", "updatedAt", "__v"];

/// A required, non-empty string field.
pub(super) fn required_str(body: &Map<String, Value>, field: &str) -> Result<String, ApiError> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(ApiError::validation(format!("`{field}` is required")))
        }
        Some(_) => Err(ApiError::validation(format!("`{field}` must be a string"))),
    }
}

/// An optional string field (`null` reads as absent).
pub(super) fn optional_str(body: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::validation(format!("`{field}` must be a string"))),
    }
}

/// An optional boolean field.
pub(super) fn optional_bool(body: &Map<String, Value>, field: &str) -> Result<Option<bool>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::validation(format!("`{field}` must be a boolean"))),
    }
}

/// An optional object field.
pub(super) fn optional_object(body: &Map<String, Value>, field: &str) -> Result<Option<Map<String, Value>>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(ApiError::validation(format!("`{field}` must be an object"))),
    }
}

/// Checks that an optional string field is one of `allowed`.
pub(super) fn check_enum(body: &Map<String, Value>, field: &str, allowed: &[&str]) -> Result<(), ApiError> {
    match optional_str(body, field)? {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(ApiError::validation(format!("`{field}` must be one of {}, not {v:?}", allowed.join(", "))))
        }
        _ => Ok(()),
    }
}

/// E.164: `+`, then 8 to 15 digits, the first not 0.
pub(super) fn is_e164(number: &str) -> bool {
    let Some(digits) = number.strip_prefix('+') else { return false };
    (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// 400 `invalid_number` unless the number is E.164.
pub(super) fn check_e164(number: &str) -> Result<(), ApiError> {
    if is_e164(number) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "invalid_number",
            format!("The provided phone number is invalid: {number:?} is not in E.164 format (e.g. +14155550100)"),
        ))
    }
}

/// Copies a request body's fields onto a document, except the API-owned and `read_only` ones.
/// Objects merge into objects (`{"settings":{"speed":1}}` keeps the other settings); anything
/// else replaces the stored value.
pub(super) fn merge(doc: &mut Value, body: &Map<String, Value>, read_only: &[&str]) {
    if let Some(obj) = doc.as_object_mut() {
        for (k, v) in body {
            if !SYSTEM_FIELDS.contains(&k.as_str()) && !read_only.contains(&k.as_str()) {
                deep_merge(obj.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}

fn deep_merge(stored: &mut Value, new: &Value) {
    match (stored, new) {
        (Value::Object(stored), Value::Object(new)) => {
            for (k, v) in new {
                deep_merge(stored.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (stored, new) => *stored = new.clone(),
    }
}

/// A page number and size from the query: `page` ≥ 1, `1 ≤ limit ≤ max_limit`.
pub(super) fn paging(ctx: &Ctx<'_>, default_limit: usize, max_limit: usize) -> Result<(usize, usize), ApiError> {
    let read = |name: &str, default: usize, max: usize| -> Result<usize, ApiError> {
        match ctx.query(name) {
            None | Some("") => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| ApiError::validation(format!("`{name}` must be a whole number from 1 to {max}"))),
        }
    };
    Ok((read("page", 1, 1_000_000)?, read("limit", default_limit, max_limit)?))
}

/// Reads a document, or 404.
pub(super) fn fetch(ctx: &Ctx<'_>, coll: Coll, what: &str, id: &str) -> Result<Value, ApiError> {
    ctx.store.get(coll, ctx.workspace(), id).cloned().ok_or_else(|| ApiError::not_found(what, id))
}

/// Merges a body into a stored document, stamps it and returns the result; 404 when missing.
pub(super) fn update_doc(
    ctx: &mut Ctx<'_>,
    coll: Coll,
    what: &str,
    id: &str,
    body: &Map<String, Value>,
    read_only: &[&str],
) -> Result<Value, ApiError> {
    let now = ctx.store.now();
    let ws = ctx.workspace.clone();
    let doc = ctx.store.get_mut(coll, ws.as_deref(), id).ok_or_else(|| ApiError::not_found(what, id))?;
    let mut updated = doc.clone();
    merge(&mut updated, body, read_only);
    stamp(&mut updated, now);
    valid::document(coll, &updated)?;
    *doc = updated.clone();
    Ok(updated)
}

/// Every document of a collection in the request's workspace.
pub(super) fn list_docs(ctx: &Ctx<'_>, coll: Coll) -> Value {
    Value::Array(ctx.store.list(coll, ctx.workspace()).into_iter().cloned().collect())
}

/// A file's extension, lower-case (`"pdf"`).
pub(super) fn extension(filename: &str) -> String {
    filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// A readable string from a JSON value (`"x"` for strings, JSON text otherwise).
pub(super) fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use trillet::operations::OPERATIONS;

    #[test]
    fn every_operation_has_a_handler() {
        for op in OPERATIONS {
            let handle = Op::of(op).expect("every row has a handle");
            assert!(handler_for(handle).is_some(), "no handler for {}", op.id);
        }
    }

    #[test]
    fn e164_rules() {
        for ok in ["+14155550100", "+4420555010", "+12345678"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in ["14155550100", "+1415555", "+0123456789", "+1 415 555 0100", "+1234567890123456", "12345", ""] {
            assert!(!is_e164(bad), "{bad}");
        }
        assert_eq!(check_e164("12345").unwrap_err().code, "invalid_number");
    }

    #[test]
    fn merge_keeps_system_and_read_only_fields() {
        let mut doc = json!({"_id": "a", "name": "x", "status": "ready", "createdAt": "t"});
        let body = json!({"_id": "b", "name": "y", "status": "error", "createdAt": "u", "extra": 1});
        merge(&mut doc, body.as_object().unwrap(), &["status"]);
        assert_eq!(doc, json!({"_id": "a", "name": "y", "status": "ready", "createdAt": "t", "extra": 1}));
        let mut doc = json!({"settings": {"speed": 1, "volume": 1}, "tags": [1, 2]});
        merge(&mut doc, json!({"settings": {"speed": 2}, "tags": [3]}).as_object().unwrap(), &[]);
        assert_eq!(doc, json!({"settings": {"speed": 2, "volume": 1}, "tags": [3]}));
    }

    #[test]
    fn field_readers_name_the_field() {
        let body = json!({"n": 1, "s": "", "b": "yes"});
        let body = body.as_object().unwrap();
        assert_eq!(required_str(body, "s").unwrap_err().message, "`s` is required");
        assert_eq!(required_str(body, "n").unwrap_err().message, "`n` must be a string");
        assert_eq!(optional_bool(body, "b").unwrap_err().code, "validation_error");
        assert_eq!(optional_str(body, "missing").unwrap(), None);
        assert!(check_enum(body, "s", &["a"]).is_err());
    }
}
