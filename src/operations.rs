//! The operation table: the single source of truth for every Trillet endpoint.
//!
//! Each row declares an operation once: its stable id (`<resource>.<action>`), HTTP method, path
//! template, documented query parameters, body kind, response kind, which credentials it sends and
//! a one-line summary. The typed namespaces, the C ABI, the bindings, the CLI and the sandbox all
//! read this table; nothing else in the crate knows a path.
//!
//! The row is also the only place an id is spelled: [`ops`] holds one [`Op`] handle per row
//! (`ops::AGENTS_GET`), generated from the table, which the typed namespaces and the OpenAPI
//! contracts use (a misspelling does not compile; no search). Callers that name an operation at
//! run time (the C ABI, the CLI, the bindings) look it up with [`find`] or [`Op::from_id`].

use std::fmt;

/// HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as an upper-case HTTP token (`"GET"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parses an HTTP method name, case-insensitively.
    pub fn parse(name: &str) -> Option<Method> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    /// Whether repeating the request cannot act twice (GET, PUT, DELETE). Only these are retried
    /// after a server error; a POST (a phone call, a purchase) is never sent a second time once
    /// the server may have acted on it.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an operation sends as its request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body; a request that carries one is refused before sending.
    None,
    /// A JSON document (`content-type: application/json`).
    Json,
    /// A `multipart/form-data` upload: the JSON body's fields become text parts, plus files.
    Multipart,
}

impl BodyKind {
    /// Lower-case name used in the operations catalog (`none`, `json`, `multipart`).
    pub const fn as_str(self) -> &'static str {
        match self {
            BodyKind::None => "none",
            BodyKind::Json => "json",
            BodyKind::Multipart => "multipart",
        }
    }
}

/// What an operation answers with on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseKind {
    /// A JSON document (an empty body reads as `null`).
    Json,
    /// Plain text (the CSV export), returned to callers as a JSON string.
    Text,
    /// Bytes (a call recording). A JSON answer is passed through as JSON; anything else becomes
    /// `{"content_type","filename","size","data_base64"}`.
    Binary,
}

impl ResponseKind {
    /// Lower-case name used in the operations catalog (`json`, `text`, `binary`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ResponseKind::Json => "json",
            ResponseKind::Text => "text",
            ResponseKind::Binary => "binary",
        }
    }
}

/// Which credentials an operation sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// `x-api-key` and `x-workspace-id` (almost every operation).
    KeyAndWorkspace,
    /// `x-api-key` only (listing and creating workspaces, SDK web calls).
    KeyOnly,
    /// `x-workspace-id` only: a browser-safe endpoint that must never receive the secret key.
    WorkspaceOnly,
    /// `x-api-key`, plus `x-workspace-id` when the client has a workspace id configured: the API
    /// does not require it (pending invitations, the web SDK's connect call), so a client without
    /// one still sends the request.
    KeyAndOptionalWorkspace,
}

impl Auth {
    /// Whether the `x-api-key` header is sent.
    pub const fn sends_key(self) -> bool {
        matches!(self, Auth::KeyAndWorkspace | Auth::KeyOnly | Auth::KeyAndOptionalWorkspace)
    }

    /// Whether the `x-workspace-id` header is sent (for [`Auth::KeyAndOptionalWorkspace`]: when a
    /// workspace id is configured).
    pub const fn sends_workspace(self) -> bool {
        matches!(self, Auth::KeyAndWorkspace | Auth::WorkspaceOnly | Auth::KeyAndOptionalWorkspace)
    }

    /// Whether the `x-workspace-id` header is required: the client refuses to send the request
    /// without a workspace id, and the API (and the sandbox) refuses it without the header.
    pub const fn requires_workspace(self) -> bool {
        matches!(self, Auth::KeyAndWorkspace | Auth::WorkspaceOnly)
    }
}

/// One row of the table: everything needed to send an operation and to serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// Stable id, `<resource>.<action>` in snake_case (`agents.create`). Never changes once published.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{param}` placeholders, exactly as in the spec (`/v1/api/agents/{agentId}`).
    pub path: &'static str,
    /// Documented query parameters (others are still forwarded).
    pub query_params: &'static [&'static str],
    /// Request body kind.
    pub body: BodyKind,
    /// Response kind.
    pub response: ResponseKind,
    /// Credentials sent.
    pub auth: Auth,
    /// For multipart operations: the form field that carries the file.
    pub file_field: Option<&'static str>,
    /// Largest upload accepted, in bytes (refused before sending when exceeded).
    pub max_upload_bytes: Option<u64>,
    /// One-line description.
    pub summary: &'static str,
}

impl Operation {
    const fn new(id: &'static str, method: Method, path: &'static str, summary: &'static str) -> Self {
        Operation {
            id,
            method,
            path,
            query_params: &[],
            body: match method {
                Method::Get | Method::Delete => BodyKind::None,
                _ => BodyKind::Json,
            },
            response: ResponseKind::Json,
            auth: Auth::KeyAndWorkspace,
            file_field: None,
            max_upload_bytes: None,
            summary,
        }
    }
    const fn get(id: &'static str, path: &'static str, summary: &'static str) -> Self {
        Self::new(id, Method::Get, path, summary)
    }
    const fn post(id: &'static str, path: &'static str, summary: &'static str) -> Self {
        Self::new(id, Method::Post, path, summary)
    }
    const fn put(id: &'static str, path: &'static str, summary: &'static str) -> Self {
        Self::new(id, Method::Put, path, summary)
    }
    const fn patch(id: &'static str, path: &'static str, summary: &'static str) -> Self {
        Self::new(id, Method::Patch, path, summary)
    }
    const fn delete(id: &'static str, path: &'static str, summary: &'static str) -> Self {
        Self::new(id, Method::Delete, path, summary)
    }
    const fn query(mut self, params: &'static [&'static str]) -> Self {
        self.query_params = params;
        self
    }
    const fn no_body(mut self) -> Self {
        self.body = BodyKind::None;
        self
    }
    const fn multipart(mut self, file_field: &'static str) -> Self {
        self.body = BodyKind::Multipart;
        self.file_field = Some(file_field);
        self
    }
    const fn max_upload(mut self, bytes: u64) -> Self {
        self.max_upload_bytes = Some(bytes);
        self
    }
    const fn text(mut self) -> Self {
        self.response = ResponseKind::Text;
        self
    }
    const fn binary(mut self) -> Self {
        self.response = ResponseKind::Binary;
        self
    }
    const fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// The resource part of the id (`agents` for `agents.create`).
    pub fn resource(&self) -> &'static str {
        self.id.split_once('.').map_or(self.id, |(r, _)| r)
    }

    /// The action part of the id (`create` for `agents.create`).
    pub fn action(&self) -> &'static str {
        self.id.split_once('.').map_or("", |(_, a)| a)
    }

    /// Whether the operation may be retried after a server error (see [`Method::is_idempotent`]).
    pub const fn idempotent(&self) -> bool {
        self.method.is_idempotent()
    }

    /// The path parameters, in template order (`["agentId", "phoneNumberId"]`).
    pub fn path_params(&self) -> Vec<&'static str> {
        crate::request::template_params(self.path).collect()
    }
}

/// Largest batch-calls CSV the API accepts (it answers 413 above it).
pub const BATCH_CSV_MAX_BYTES: u64 = 20 * 1024 * 1024;

use Auth::{KeyAndOptionalWorkspace, KeyOnly, WorkspaceOnly};

/// Declares the table: each row is `NAME = constructor("id", "path", "summary") .modifier(...)*`.
///
/// From the rows it defines [`OPERATIONS`] (in row order) and, in [`ops`], one [`Op`] handle per
/// row named after its id (`agents.get` → `ops::AGENTS_GET`; checked at compile time), which indexes
/// the table: a typed namespace names its operation by handle, so a misspelling does not compile
/// and no call searches the table.
macro_rules! operation_table {
    (
        $(#[$table_doc:meta])*
        $(
            $name:ident = $ctor:ident($id:literal, $path:literal, $summary:literal $(,)?)
            $(.$modifier:ident($($arg:expr),* $(,)?))*
        ),* $(,)?
    ) => {
        /// The rows' positions in the table (the handles' values).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[repr(u16)]
        enum Row { $($name),* }

        const TABLE: &[Operation] = &[$(Operation::$ctor($id, $path, $summary)$(.$modifier($($arg),*))*),*];

        $(#[$table_doc])*
        pub static OPERATIONS: &[Operation] = TABLE;

        /// One handle per row of [`OPERATIONS`], named after its id in upper case with `_` for `.`
        /// (`agents.get` → [`AGENTS_GET`](ops::AGENTS_GET)).
        ///
        /// ```
        /// use trillet::operations::ops;
        /// assert_eq!(ops::AGENTS_GET.id, "agents.get");
        /// assert_eq!(ops::AGENTS_GET.path, "/v1/api/agents/{agentId}");
        /// ```
        pub mod ops {
            use super::{Op, Row};
            $(
                #[doc = concat!("`", $id, "`: ", $summary, " (`", $path, "`).")]
                pub const $name: Op = Op(Row::$name as u16);
            )*
        }

        // Each handle's name is its row's id, and its index is its row's position.
        const _: () = {
            $(
                assert!(name_matches_id(stringify!($name), $id), concat!(stringify!($name), " is not named after ", $id));
                assert!(id_eq(TABLE[Row::$name as usize].id, $id));
            )*
        };
    };
}

/// Whether `name` is `id` in upper case with `_` for `.` (`AGENTS_GET` for `agents.get`).
const fn name_matches_id(name: &str, id: &str) -> bool {
    let (name, id) = (name.as_bytes(), id.as_bytes());
    if name.len() != id.len() {
        return false;
    }
    let mut i = 0;
    while i < id.len() {
        let expected = if id[i] == b'.' { b'_' } else { id[i].to_ascii_uppercase() };
        if name[i] != expected {
            return false;
        }
        i += 1;
    }
    true
}

/// `a == b` in a const context.
const fn id_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A handle on one row of [`OPERATIONS`]: its index. The constants of [`ops`] are the only way to
/// make one in code (or [`Op::from_id`] from a string, for callers that name operations at run
/// time: the C ABI, the CLI, the bindings). It dereferences to its [`Operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Op(u16);

impl Op {
    /// The row this handle names.
    pub fn operation(self) -> &'static Operation {
        &OPERATIONS[usize::from(self.0)]
    }

    /// The row's position in [`OPERATIONS`].
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The handle of the row with id `id` (`"agents.get"`), if there is one.
    pub fn from_id(id: &str) -> Option<Op> {
        OPERATIONS.iter().position(|op| op.id == id).map(|i| Op(i as u16))
    }

    /// The handle of a row of [`OPERATIONS`] (a reference into the table, as [`find`] and the
    /// sandbox's routing hand out), found from its address: O(1), no search. `None` for an
    /// [`Operation`] that is not a row of the table.
    pub fn of(op: &Operation) -> Option<Op> {
        let size = std::mem::size_of::<Operation>();
        let offset = (op as *const Operation as usize).checked_sub(OPERATIONS.as_ptr() as usize)?;
        let index = offset / size;
        (offset % size == 0 && index < OPERATIONS.len()).then_some(Op(index as u16))
    }

    /// Every handle, in table order.
    pub fn all() -> impl Iterator<Item = Op> {
        (0..OPERATIONS.len()).map(|i| Op(i as u16))
    }
}

impl std::ops::Deref for Op {
    type Target = Operation;

    fn deref(&self) -> &Operation {
        self.operation()
    }
}

impl From<Op> for &'static Operation {
    fn from(op: Op) -> Self {
        op.operation()
    }
}

operation_table! {
    /// Every operation of the Trillet API with a known path: 78 rows in 15 resources.
    // agents
    AGENTS_CREATE = post("agents.create", "/v1/api/agents", "Create a call agent"),
    AGENTS_LIST = get("agents.list", "/v1/api/agents", "List call agents"),
    AGENTS_GET = get("agents.get", "/v1/api/agents/{agentId}", "Get a call agent"),
    AGENTS_UPDATE = put("agents.update", "/v1/api/agents/{agentId}", "Update a call agent"),
    AGENTS_DELETE = delete("agents.delete", "/v1/api/agents/{agentId}", "Delete a call agent"),
    // omni_flow_agents
    OMNI_FLOW_AGENTS_CREATE = post("omni_flow_agents.create", "/v1/api/omni-flow-agents", "Create an omni flow (messaging) agent"),
    OMNI_FLOW_AGENTS_LIST = get("omni_flow_agents.list", "/v1/api/omni-flow-agents", "List omni flow agents"),
    OMNI_FLOW_AGENTS_GET = get("omni_flow_agents.get", "/v1/api/omni-flow-agents/{id}", "Get an omni flow agent"),
    OMNI_FLOW_AGENTS_UPDATE = put("omni_flow_agents.update", "/v1/api/omni-flow-agents/{agentId}", "Update an omni flow agent"),
    // call_flows
    CALL_FLOWS_CREATE = post("call_flows.create", "/v1/api/call-flows", "Create a call flow"),
    CALL_FLOWS_LIST = get("call_flows.list", "/v1/api/call-flows", "List call flows"),
    CALL_FLOWS_GET = get("call_flows.get", "/v1/api/call-flows/{id}", "Get a call flow"),
    CALL_FLOWS_UPDATE = put("call_flows.update", "/v1/api/call-flows/{id}", "Update a call flow"),
    CALL_FLOWS_UPLOAD_KNOWLEDGE_BASE = post(
        "call_flows.upload_knowledge_base",
        "/v1/api/call-flows/{id}/knowledge-base",
        "Upload a knowledge-base file to a call flow",
    )
    .multipart("file"),
    CALL_FLOWS_DELETE_KNOWLEDGE_BASE_FILE = delete(
        "call_flows.delete_knowledge_base_file",
        "/v1/api/call-flows/{id}/knowledge-base/{fileKey}",
        "Delete a knowledge-base file from a call flow",
    ),
    CALL_FLOWS_DELETE = delete("call_flows.delete", "/v1/api/call-flows/{id}", "Delete a call flow (cascades to its agent)"),
    // message_flows
    MESSAGE_FLOWS_CREATE = post("message_flows.create", "/v1/api/message-flows", "Create a message flow"),
    MESSAGE_FLOWS_LIST = get("message_flows.list", "/v1/api/message-flows", "List message flows"),
    MESSAGE_FLOWS_GET = get("message_flows.get", "/v1/api/message-flows/{id}", "Get a message flow"),
    MESSAGE_FLOWS_UPDATE = put("message_flows.update", "/v1/api/message-flows/{id}", "Update a message flow"),
    // folders
    FOLDERS_CREATE = post("folders.create", "/v1/api/flow-folders", "Create a flow folder"),
    FOLDERS_LIST = get("folders.list", "/v1/api/flow-folders", "List flow folders"),
    FOLDERS_GET = get("folders.get", "/v1/api/flow-folders/{folderId}", "Get a folder with its flows"),
    FOLDERS_UPDATE = patch("folders.update", "/v1/api/flow-folders/{folderId}", "Update a folder"),
    FOLDERS_DELETE = delete("folders.delete", "/v1/api/flow-folders/{folderId}", "Delete a folder"),
    FOLDERS_ADD_FLOW = post("folders.add_flow", "/v1/api/flow-folders/{folderId}/pathways", "Add a flow to a folder"),
    FOLDERS_REMOVE_FLOW = delete(
        "folders.remove_flow",
        "/v1/api/flow-folders/{folderId}/flows/{pathwayId}",
        "Remove a flow from a folder",
    ),
    // calls
    CALLS_INITIATE = post("calls.initiate", "/v1/api/call", "Place an outbound call"),
    // The docs list x-workspace-id as required, but the official web SDK sends only the key (as
    // `X-API_KEY`) and no workspace header, so the API accepts the call without one.
    CALLS_WEB_CONNECT = post("calls.web_connect", "/v1/api/calls/web/connect", "Connect a web call (returns a LiveKit token)")
        .auth(KeyAndOptionalWorkspace),
    CALLS_WEB_DISCONNECT = post("calls.web_disconnect", "/v1/api/calls/web/disconnect", "Disconnect a web call"),
    CALLS_START_WEB_CALL = post("calls.start_web_call", "/v1/api/web-call", "Start a web call (SDK, authenticated)").auth(KeyOnly),
    CALLS_START_PUBLIC_WEB_CALL = post(
        "calls.start_public_web_call",
        "/v1/api/web-call/public",
        "Start a public web call (browser-safe, no API key)",
    )
    .auth(WorkspaceOnly),
    CALLS_START_EVALUATION_WEB_CALL = post("calls.start_evaluation_web_call", "/v1/api/web-call/evaluation", "Start an evaluation web call")
        .auth(KeyOnly),
    // call_history
    CALL_HISTORY_LIST = get("call_history.list", "/v2/api/call-history", "List call history (paged)").query(&[
        "page",
        "limit",
        "agentId",
        "pathwayId",
        "batchId",
        "status",
        "direction",
        "callType",
        "search",
        "callIds",
        "dateRange",
        "postAnalysis",
    ]),
    CALL_HISTORY_GET = get("call_history.get", "/v2/api/call-history/{callHistoryId}", "Get a call history record"),
    CALL_HISTORY_EXPORT_CSV = post("call_history.export_csv", "/v2/api/call-history/export-csv", "Export call history as CSV").text(),
    // recordings
    RECORDINGS_GET = get("recordings.get", "/v2/api/recordings/{callHistoryId}", "Get the recording of a call (audio)")
        .binary(),
    RECORDINGS_START = post("recordings.start", "/v2/api/recordings/start-recording", "Start recording a live call"),
    // active_calls
    ACTIVE_CALLS_LIST = get("active_calls.list", "/v2/api/active-calls", "List active calls"),
    ACTIVE_CALLS_GET = get("active_calls.get", "/v2/api/active-calls/{roomName}", "Get an active call"),
    ACTIVE_CALLS_END_CALL = post("active_calls.end_call", "/v2/api/active-calls/{roomName}/end-call", "End an active call")
        .no_body(),
    ACTIVE_CALLS_REMOVE_AGENT = post(
        "active_calls.remove_agent",
        "/v2/api/active-calls/{roomName}/remove-agent",
        "Remove the AI agent from a call (human takeover)",
    ),
    // batch_calls
    BATCH_CALLS_START = post("batch_calls.start", "/v1/api/batch-calls", "Start a batch of calls from a CSV")
        .multipart("file")
        .max_upload(BATCH_CSV_MAX_BYTES),
    BATCH_CALLS_GET = get("batch_calls.get", "/v1/api/batch-calls/{batchId}", "Get a batch's status"),
    BATCH_CALLS_PROGRESS = get("batch_calls.progress", "/v1/api/batch-calls/{batchId}/status", "Get a batch's progress counters"),
    BATCH_CALLS_LIST_CALLS = get(
        "batch_calls.list_calls",
        "/v1/api/batch-calls/{batchId}/calls",
        "List the calls of a batch (paged)",
    )
    .query(&["page", "limit", "status"]),
    BATCH_CALLS_CANCEL = delete("batch_calls.cancel", "/v1/api/batch-calls/{batchId}", "Cancel a batch"),
    // conversations
    CONVERSATIONS_LIST = get("conversations.list", "/v1/api/conversations", "List conversations"),
    CONVERSATIONS_GET = get("conversations.get", "/v1/api/conversations/{conversationId}", "Get a conversation"),
    CONVERSATIONS_GENERATE_MESSAGE = post(
        "conversations.generate_message",
        "/v1/api/conversations/message/generate",
        "Generate a message from a message flow",
    ),
    CONVERSATIONS_MESSAGE_ACTION = post(
        "conversations.message_action",
        "/v1/api/conversations/{conversationId}/message/{messageId}/action",
        "Approve, edit or reject a message",
    ),
    CONVERSATIONS_DELETE_MESSAGE = delete(
        "conversations.delete_message",
        "/v1/api/conversations/{conversationId}/message/{messageId}",
        "Delete a message",
    ),
    CONVERSATIONS_DELETE = delete("conversations.delete", "/v1/api/conversations/{conversationId}", "Delete a conversation"),
    // phone_numbers
    PHONE_NUMBERS_LIST = get("phone_numbers.list", "/v1/api/twilio/user-phone-numbers", "List the workspace's phone numbers"),
    PHONE_NUMBERS_SEARCH_AVAILABLE = get(
        "phone_numbers.search_available",
        "/v1/api/twilio/available-numbers",
        "Search numbers available to buy",
    )
    .query(&["country", "type", "contains", "limit", "areaCode"]),
    PHONE_NUMBERS_PURCHASE = post("phone_numbers.purchase", "/v1/api/twilio/purchase-number", "Purchase a phone number"),
    PHONE_NUMBERS_GET_CONFIG = get(
        "phone_numbers.get_config",
        "/v1/api/twilio/phone-numbers/{phoneNumberId}/config",
        "Get a phone number's configuration",
    ),
    PHONE_NUMBERS_UPDATE_CONFIG = put(
        "phone_numbers.update_config",
        "/v1/api/twilio/phone-numbers/{phoneNumberId}/config",
        "Update a phone number's configuration",
    ),
    PHONE_NUMBERS_REGISTER_EXTERNAL = post(
        "phone_numbers.register_external",
        "/v1/api/twilio/register-external-number",
        "Register an external (BYO) number",
    ),
    PHONE_NUMBERS_BIND = post(
        "phone_numbers.bind",
        "/v1/api/agents/{agentId}/bind/{phoneNumberId}",
        "Bind a phone number to an agent",
    ),
    PHONE_NUMBERS_UNBIND = post(
        "phone_numbers.unbind",
        "/v1/api/agents/{agentId}/release/{phoneNumberId}",
        "Unbind a phone number from an agent",
    ),
    PHONE_NUMBERS_RELEASE = post("phone_numbers.release", "/v1/api/twilio/release-number", "Release (give back) a phone number"),
    PHONE_NUMBERS_GET = get("phone_numbers.get", "/v1/api/twilio/phone-numbers/{phoneNumberId}", "Get a phone number"),
    // knowledge_base
    KNOWLEDGE_BASE_CREATE = post("knowledge_base.create", "/v1/api/knowledgebase", "Create a knowledge base"),
    KNOWLEDGE_BASE_LIST = get("knowledge_base.list", "/v1/api/knowledgebase", "List knowledge bases"),
    KNOWLEDGE_BASE_GET = get("knowledge_base.get", "/v1/api/knowledgebase/{id}", "Get a knowledge base"),
    KNOWLEDGE_BASE_UPLOAD_FILE = post(
        "knowledge_base.upload_file",
        "/v1/api/knowledgebase/{id}/files",
        "Upload a file to a knowledge base",
    )
    .multipart("uploadedFile"),
    KNOWLEDGE_BASE_UPDATE = put("knowledge_base.update", "/v1/api/knowledgebase/{id}", "Update a knowledge base's text"),
    // voices
    VOICES_GET = get("voices.get", "/v1/api/voices/{id}", "Get a voice"),
    VOICES_CREATE = post("voices.create", "/v1/api/voices", "Create a custom voice from an embedding"),
    VOICES_CLONE = post("voices.clone", "/v1/api/voices/clone", "Clone a voice from an audio sample").multipart("file"),
    // workspaces
    WORKSPACES_LIST = get("workspaces.list", "/v1/api/workspaces", "List workspaces").auth(KeyOnly),
    WORKSPACES_GET = get("workspaces.get", "/v1/api/workspaces/{workspaceId}", "Get a workspace"),
    WORKSPACES_CREATE = post("workspaces.create", "/v1/api/workspaces", "Create a workspace").auth(KeyOnly),
    WORKSPACES_UPDATE = put("workspaces.update", "/v1/api/workspaces/{workspaceId}", "Rename a workspace"),
    WORKSPACES_DELETE = delete("workspaces.delete", "/v1/api/workspaces/{workspaceId}", "Delete a workspace"),
    WORKSPACES_INVITE = post("workspaces.invite", "/v1/api/workspaces/{workspaceId}/invite", "Invite a team member"),
    WORKSPACES_PENDING_INVITATIONS = get(
        "workspaces.pending_invitations",
        "/v1/api/workspaces/invitations/pending",
        "List the pending invitations addressed to the key's user",
    )
    .auth(KeyAndOptionalWorkspace),
}

/// Finds an operation by id (`"agents.create"`).
pub fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

/// The 15 resources, in catalog order.
pub fn resources() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for op in OPERATIONS {
        if !out.contains(&op.resource()) {
            out.push(op.resource());
        }
    }
    out
}

/// The operations catalog as JSON: what `trillet_operations()` and `trillet ops --json` return.
///
/// `{"version":"0.1.0","operations":[{"id","resource","action","method","path","path_params",
/// "query_params","body","response","workspace_header","idempotent","summary","api_key","file_field",
/// "max_upload_bytes","workspace_required"}, ...]}`, one entry per row of [`OPERATIONS`] in table
/// order, keys in that order. `api_key` says whether `x-api-key` is sent; `file_field` and
/// `max_upload_bytes` are set for multipart uploads (`null` otherwise). `workspace_header` says
/// whether `x-workspace-id` is sent (when configured) and `workspace_required` whether it must be:
/// `workspace_header` true with `workspace_required` false is an optional header.
pub fn catalog_json() -> String {
    let catalog = Catalog {
        version: env!("CARGO_PKG_VERSION"),
        operations: OPERATIONS.iter().map(CatalogEntry::from).collect(),
        settings: serde_json::value::RawValue::from_string(crate::settings::settings_json())
            .expect("the settings list is JSON"),
    };
    serde_json::to_string(&catalog).expect("the catalog always serializes")
}

/// The catalog document; serde writes the fields in declaration order.
#[derive(serde::Serialize)]
struct Catalog {
    version: &'static str,
    operations: Vec<CatalogEntry>,
    settings: Box<serde_json::value::RawValue>,
}

/// One operation as the catalog shows it (fields in the documented order).
#[derive(serde::Serialize)]
struct CatalogEntry {
    id: &'static str,
    resource: &'static str,
    action: &'static str,
    method: &'static str,
    path: &'static str,
    path_params: Vec<&'static str>,
    query_params: &'static [&'static str],
    body: &'static str,
    response: &'static str,
    workspace_header: bool,
    idempotent: bool,
    summary: &'static str,
    api_key: bool,
    file_field: Option<&'static str>,
    max_upload_bytes: Option<u64>,
    workspace_required: bool,
}

impl From<&'static Operation> for CatalogEntry {
    fn from(op: &'static Operation) -> Self {
        CatalogEntry {
            id: op.id,
            resource: op.resource(),
            action: op.action(),
            method: op.method.as_str(),
            path: op.path,
            path_params: op.path_params(),
            query_params: op.query_params,
            body: op.body.as_str(),
            response: op.response.as_str(),
            workspace_header: op.auth.sends_workspace(),
            idempotent: op.idempotent(),
            summary: op.summary,
            api_key: op.auth.sends_key(),
            file_field: op.file_field,
            max_upload_bytes: op.max_upload_bytes,
            workspace_required: op.auth.requires_workspace(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for op in OPERATIONS {
            assert!(seen.insert(op.id), "duplicate id {}", op.id);
            assert!(op.id.contains('.'), "{}", op.id);
            assert!(op.id.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.'), "{}", op.id);
            assert!(op.path.starts_with('/'));
        }
        assert_eq!(OPERATIONS.len(), 78);
        assert_eq!(resources().len(), 15);
    }

    #[test]
    fn handles_index_their_rows() {
        assert_eq!(Op::all().count(), OPERATIONS.len());
        for (i, op) in Op::all().enumerate() {
            assert_eq!(op.index(), i);
            assert!(std::ptr::eq(op.operation(), &OPERATIONS[i]));
            assert_eq!(Op::from_id(op.id), Some(op));
            assert_eq!(Op::of(op.operation()), Some(op));
        }
        let copy = *ops::AGENTS_GET.operation();
        assert_eq!(Op::of(&copy), None, "a copy is not a row of the table");
        assert_eq!(Op::of(find("voices.clone").unwrap()), Some(ops::VOICES_CLONE));
        assert_eq!(ops::AGENTS_GET.id, "agents.get");
        assert_eq!(ops::WORKSPACES_PENDING_INVITATIONS.auth, Auth::KeyAndOptionalWorkspace);
        assert_eq!(Op::from_id("agents.gte"), None);
        assert!(name_matches_id("CALLS_WEB_CONNECT", "calls.web_connect"));
        assert!(!name_matches_id("CALLS_WEB_CONNECT", "calls.web_konnect"));
        assert!(!name_matches_id("CALLS_WEBCONNECT", "calls.web_connect"));
    }

    #[test]
    fn multipart_operations_name_their_file_field() {
        for op in OPERATIONS {
            assert_eq!(op.body == BodyKind::Multipart, op.file_field.is_some(), "{}", op.id);
        }
    }

    #[test]
    fn resource_and_action_split_the_id() {
        let op = ops::ACTIVE_CALLS_END_CALL;
        assert_eq!(op.resource(), "active_calls");
        assert_eq!(op.action(), "end_call");
        assert_eq!(op.body, BodyKind::None);
        assert!(!op.idempotent());
        assert!(ops::AGENTS_DELETE.idempotent());
        assert!(find("agents.delete").unwrap().idempotent());
        assert!(find("nope.nope").is_none());
    }

    #[test]
    fn catalog_lists_every_row_in_the_documented_shape() {
        use serde_json::json;
        let text = catalog_json();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
        let ops = v["operations"].as_array().unwrap();
        assert_eq!(ops.len(), OPERATIONS.len());
        let get = ops.iter().find(|o| o["id"] == "agents.get").unwrap();
        assert_eq!(
            get,
            &serde_json::json!({"id": "agents.get", "resource": "agents", "action": "get", "method": "GET",
                "path": "/v1/api/agents/{agentId}", "path_params": ["agentId"], "query_params": [],
                "body": "none", "response": "json", "workspace_header": true, "idempotent": true,
                "summary": "Get a call agent", "api_key": true, "file_field": null, "max_upload_bytes": null,
                "workspace_required": true})
        );
        // Keys come in the documented order (serde_json::Value would sort them).
        let first = text.find(r#"{"id":"agents.create","resource":"agents","action":"create","method":"POST""#);
        assert!(first.is_some(), "{}", &text[..200]);
        let upload = ops.iter().find(|o| o["id"] == "batch_calls.start").unwrap();
        assert_eq!(upload["body"], "multipart");
        assert_eq!(upload["idempotent"], false);
        assert_eq!(
            (upload["file_field"].as_str(), upload["max_upload_bytes"].as_u64()),
            (Some("file"), Some(BATCH_CSV_MAX_BYTES))
        );
        let kb = ops.iter().find(|o| o["id"] == "knowledge_base.upload_file").unwrap();
        assert_eq!(kb["file_field"], "uploadedFile");
        let browser = ops.iter().find(|o| o["id"] == "calls.start_public_web_call").unwrap();
        assert_eq!(
            (&browser["api_key"], &browser["workspace_header"]),
            (&serde_json::json!(false), &serde_json::json!(true))
        );
        let public = ops.iter().find(|o| o["id"] == "workspaces.list").unwrap();
        assert_eq!((&public["workspace_header"], &public["workspace_required"]), (&json!(false), &json!(false)));
        for id in ["workspaces.pending_invitations", "calls.web_connect"] {
            let optional = ops.iter().find(|o| o["id"] == id).unwrap();
            assert_eq!(
                (&optional["api_key"], &optional["workspace_header"], &optional["workspace_required"]),
                (&json!(true), &json!(true), &json!(false)),
                "{id}: key, and the workspace header when configured"
            );
        }
        assert!(text.contains(r#""max_upload_bytes":null,"workspace_required":true}"#), "appended last");
        let csv = ops.iter().find(|o| o["id"] == "call_history.export_csv").unwrap();
        assert_eq!(csv["response"], "text");
        let paged = ops.iter().find(|o| o["id"] == "batch_calls.list_calls").unwrap();
        assert_eq!(paged["query_params"], serde_json::json!(["page", "limit", "status"]));
    }
}
