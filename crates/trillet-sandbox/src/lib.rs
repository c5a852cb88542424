//! A local stand-in for the Trillet API (like stripe-mock), for tests in every language and for
//! trying the whole flow offline: the `trillet-sandbox` crate of the workspace; also `trillet sandbox` on the CLI.
//!
//! ```
//! use trillet_sandbox::{Sandbox, SandboxOptions};
//! let sandbox = Sandbox::start(SandboxOptions::default())?;
//! let client = sandbox.client_builder().build()?;
//! let agent = client.call("agents.create", serde_json::json!({"body": {"name": "Support", "ttsModel": {"voiceId": "v"}}}))?;
//! assert_eq!(agent["_id"].as_str().unwrap().len(), 24);
//! assert_eq!(sandbox.requests().len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What it serves
//!
//! Every row of [`OPERATIONS`](trillet::OPERATIONS), routed by the table (method and path
//! template), with in-memory state per workspace: 24-hex ids, `createdAt`/`updatedAt`, responses
//! shaped like the spec's examples, and 404 `{"error":{"code":"not_found","message":"… not found"}}`
//! for unknown ids. Domain behaviour where the API has it:
//!
//! - `calls.initiate` checks `to` is E.164 (400 `invalid_number`) and that `call_agent_id` names an
//!   agent, then creates a call-history record that is also an active call (room `call-<id>`);
//!   ending it (`active_calls.end_call`, `calls.web_disconnect`) completes it. Web calls answer
//!   `token`/`roomName`/`callId`.
//! - `conversations.generate_message` answers the flow's `initiationMessage` with `{{placeholders}}`
//!   filled from `dynamic` and `metadata.customerDetails`, stored in the conversation (pending, or
//!   approved with `autopilot`); `message_action` approves, edits or rejects a pending message.
//! - Phone numbers are searched (fictional `555` numbers), purchased, bound, unbound, released.
//! - `batch_calls.start` parses the uploaded CSV (`phone_number` column); its calls wait (invalid
//!   numbers fail) and page through `{calls, pagination, summary}`. Nothing is ever dialled.
//! - `call_history.list` pages with `page`/`limit` (a bare array, newest first).
//! - Uploads (`knowledge_base.upload_file`, `call_flows.upload_knowledge_base`, `voices.clone`)
//!   parse their multipart bodies.
//! - `call_flows.delete` also deletes the agent linked to the flow, as the API is reported to.
//! - `workspaces.pending_invitations` lists the pending invitations (of every workspace) sent to
//!   the sandbox's user, [`USER_EMAIL`]: invite that address to see one.
//! - `calls.web_connect` answers the official web SDK's request as it sends it: the key as
//!   `X-API_KEY`, no workspace header (the agent is then looked up in every workspace).
//!
//! Auth: a missing or wrong `x-api-key` answers 401 `unauthorized` (the key is also read from
//! `x-api_key`, the web SDK's spelling); a missing `x-workspace-id` where the operation requires
//! one answers 400 `missing_workspace_id`; an unknown workspace 403 (also where the header is
//! optional but sent).
//! With `rate_limit_per_minute`, the N+1th request of a minute answers 429 `rate_limit_exceeded`
//! with `reset_at` in the error and a `Retry-After` header.
//!
//! # The spec, not the client
//!
//! The sandbox uses the `trillet` crate for its routes (the operation table) and the types it
//! routes with, and nothing else of the client's: it decodes paths and queries with its own
//! percent decoder, signs webhooks with its own HMAC (checked by the client's verifier), states the spec's limits itself (a batch CSV of at most 20 MB, files of at
//! most 50 MB, `scheduledAt` as `YYYY-MM-DDTHH:MM:SSZ`), and checks request bodies and stored
//! documents against the spec (`tests/fixtures/endpoints.json`, embedded): its fields, types and
//! response examples. So a client that drifts from the spec meets a sandbox that does not follow
//! it, and the tests that run the client against the sandbox catch it.
//!
//! # Control endpoints (no auth)
//!
//! - `POST /__sandbox/faults` `{"operation": "<op id>" | "*", "count": N, "fault": F}` queues F
//!   for the next N requests to that operation (default 1) and answers `{"queued": N}`. F is
//!   `{"type":"status","status":503,"body":…,"headers":{…}}`, `{"type":"delay","ms":1500}`,
//!   `{"type":"reset"}` (close the connection without answering), `{"type":"malformed_json"}`,
//!   `{"type":"oversized","bytes":N}` or `{"type":"deep_json","depth":N,"status":S}` (a JSON body of
//!   arrays nested N deep; `status` defaults to 200). `GET` lists what is queued, `DELETE` clears it.
//! - `GET /__sandbox/requests`: every API request received, oldest first, as
//!   `{"operation","method","path","query","headers","body"}` with `x-api-key`, `x-api_key` and
//!   `authorization` redacted; `DELETE /__sandbox/requests` clears the log.
//! - `POST /__sandbox/reset`: clears all state, queued faults and the log.
//! - `GET /__sandbox/health`: `{"status":"ok",…}`.
//!
//! # Webhooks
//!
//! The sandbox delivers signed webhook events, like the API would: `agent.created` /
//! `agent.updated` (call and omni-flow agents), `flow.created` / `flow.updated` (call and message
//! flows), `call.started` when a call is placed or a web call starts, `call.completed` when it
//! ends, `call.failed` for a batch call to an invalid number, and `sms.sent` then `sms.delivered`
//! when a message of an SMS flow is sent (autopilot, or approved). The payload is
//! `{"event", "data"}`; call events carry the call's `metadata`.
//!
//! - Endpoints come from [`SandboxOptions::webhooks`] (`trillet sandbox --webhook-url URL
//!   --webhook-secret SECRET [--webhook-scheme trillet|standard]`) or `POST /__sandbox/webhooks`
//!   `{"url": "http://…", "secret": "whsec_…", "scheme": "trillet"|"standard", "events": [...]}`
//!   (`scheme` defaults to `trillet`, the documented one the API sends; `events` to all). `GET /__sandbox/webhooks` lists them (no
//!   secrets), `DELETE /__sandbox/webhooks[?id=we_…]` removes one or all. The same `POST` takes
//!   `retry_schedule_ms` (waits before each retry) and `timeout_ms` (per attempt).
//! - A non-2xx answer, a timeout or a refused connection is retried after each wait of the
//!   schedule (default 1 s, 5 s, 25 s); the `standard` scheme keeps the `webhook-id` across retries
//!   and signs each attempt with a fresh `webhook-timestamp`.
//! - `GET /__sandbox/webhooks/deliveries` lists every attempt, oldest first: `{"id",
//!   "message_id", "endpoint_id", "event", "url", "scheme", "attempt", "status", "ok", "error",
//!   "time", "next_retry_ms", "payload"}`; `DELETE` clears it.
//! - A delivery runs on a thread of its own: it never delays the API request that caused it.

mod clock;
mod codec;
mod control;
mod faults;
mod handlers;
mod http;
mod limits;
mod multipart;
mod pipeline;
mod rate_limit;
mod reply;
mod routing;
mod server;
mod signing;

mod spec;
mod state;
mod store;
mod webhooks;

use serde_json::Value;
use state::{lock, Shared};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use trillet::{ClientBuilder, Error};
pub use webhooks::{WebhookEndpoint, DEFAULT_DELIVERY_TIMEOUT, DEFAULT_RETRY_SCHEDULE};

/// The API key a sandbox accepts unless told otherwise.
pub const DEFAULT_API_KEY: &str = "sk_test_trillet_sandbox";
/// The email of the sandbox's user: invitations sent to it are what
/// `workspaces.pending_invitations` lists.
pub const USER_EMAIL: &str = store::USER_EMAIL;
/// The workspace id a sandbox starts with unless told otherwise.
pub const DEFAULT_WORKSPACE_ID: &str = "64a1b2c3d4e5f6a7b8c9d0e1";

/// How to start a [`Sandbox`]. `Debug` does not show the key.
#[derive(Clone, PartialEq, Eq)]
pub struct SandboxOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The only API key accepted (`x-api-key`).
    pub api_key: String,
    /// The workspace the sandbox starts with (more can be created through the API).
    pub workspace_id: String,
    /// Emulates the API's rate limit: at most this many API requests a minute (off when `None`).
    pub rate_limit_per_minute: Option<u32>,
    /// Endpoints that receive signed webhook events from the start (more can be added with
    /// `POST /__sandbox/webhooks`).
    pub webhooks: Vec<WebhookEndpoint>,
    /// Waits before each retry of a webhook delivery that failed (non-2xx or timeout); its
    /// length is the number of retries. Default [`DEFAULT_RETRY_SCHEDULE`] (1 s, 5 s, 25 s).
    pub webhook_retry_schedule: Vec<Duration>,
    /// How long one delivery attempt may take. Default [`DEFAULT_DELIVERY_TIMEOUT`] (5 s).
    pub webhook_timeout: Duration,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            port: 0,
            api_key: DEFAULT_API_KEY.to_string(),
            workspace_id: DEFAULT_WORKSPACE_ID.to_string(),
            rate_limit_per_minute: None,
            webhooks: Vec::new(),
            webhook_retry_schedule: DEFAULT_RETRY_SCHEDULE.to_vec(),
            webhook_timeout: DEFAULT_DELIVERY_TIMEOUT,
        }
    }
}

impl fmt::Debug for SandboxOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxOptions")
            .field("port", &self.port)
            .field("api_key", &"<redacted>")
            .field("workspace_id", &self.workspace_id)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("webhooks", &self.webhooks)
            .field("webhook_retry_schedule", &self.webhook_retry_schedule)
            .field("webhook_timeout", &self.webhook_timeout)
            .finish()
    }
}

/// A running sandbox server on `127.0.0.1`. Dropping it stops the server and closes its
/// connections.
pub struct Sandbox {
    shared: Arc<Shared>,
    server: http::Server,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").field("url", &self.url()).field("workspace_id", &self.workspace_id()).finish()
    }
}

impl Sandbox {
    /// Starts a sandbox and returns once it accepts connections.
    ///
    /// Fails with `InvalidInput` for an empty or non-header-safe key or workspace id or a rate
    /// limit of 0, and with the bind error (`AddrInUse`) when the port is taken.
    pub fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
        let invalid = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, m.to_string());
        let header_safe = |v: &str| !v.is_empty() && v.bytes().all(|b| (0x21..0x7f).contains(&b));
        if !header_safe(&options.api_key) {
            return Err(invalid("the sandbox API key must be non-empty printable ASCII without spaces"));
        }
        if !header_safe(&options.workspace_id) {
            return Err(invalid("the sandbox workspace id must be non-empty printable ASCII without spaces"));
        }
        if options.rate_limit_per_minute == Some(0) {
            return Err(invalid("the sandbox rate limit must be at least 1 request a minute"));
        }
        for endpoint in &options.webhooks {
            endpoint.check().map_err(|m| invalid(&m))?;
        }
        if options.webhook_timeout.is_zero() {
            return Err(invalid("the sandbox webhook timeout must be positive"));
        }
        let deliveries =
            webhooks::Deliveries::new(options.webhooks, options.webhook_retry_schedule, options.webhook_timeout);
        let (api_key, workspace_id, rpm) = (options.api_key, options.workspace_id, options.rate_limit_per_minute);
        let (server, shared) =
            server::start(options.port, |addr| Arc::new(Shared::new(api_key, workspace_id, addr, rpm, deliveries)))?;
        Ok(Sandbox { shared, server })
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.shared.base_url
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.shared.local_addr.port()
    }

    /// The accepted API key.
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// The default workspace id.
    pub fn workspace_id(&self) -> &str {
        &self.shared.workspace_id
    }

    /// A client builder pointed at this sandbox with its key and workspace, ignoring the
    /// `TRILLET_*` environment.
    pub fn client_builder(&self) -> ClientBuilder {
        ClientBuilder::new().ignore_env().base_url(self.url()).api_key(self.api_key()).workspace_id(self.workspace_id())
    }

    /// Every API request received so far, oldest first (what `GET /__sandbox/requests` answers).
    pub fn requests(&self) -> Vec<Value> {
        lock(&self.shared.log).clone()
    }

    /// Clears the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Queues `fault` (the JSON form of `POST /__sandbox/faults`) for the next `count` requests
    /// to `operation` (an operation id or `"*"`). Returns the count queued.
    pub fn queue_fault(&self, operation: &str, count: u32, fault: Value) -> Result<u32, Error> {
        let body = serde_json::json!({"operation": operation, "count": count, "fault": fault});
        control::queue_fault(&self.shared, &body).map_err(|e| Error::invalid(&e.code, e.message))
    }

    /// Clears all state, queued faults and the request log (webhook endpoints go back to the
    /// startup ones, with an empty delivery log).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Adds a webhook endpoint (what `POST /__sandbox/webhooks` does); returns its id.
    ///
    /// Fails with `invalid_webhook` for a URL that is not `http://`, or a secret the scheme
    /// cannot use.
    pub fn add_webhook(&self, endpoint: WebhookEndpoint) -> Result<String, Error> {
        let view = self.shared.webhooks.add(endpoint).map_err(|m| Error::invalid("invalid_webhook", m))?;
        Ok(view["id"].as_str().unwrap_or_default().to_string())
    }

    /// Sets the waits before each retry of a failed delivery, and the per-attempt timeout.
    pub fn set_webhook_delivery(&self, retry_schedule: Vec<Duration>, timeout: Duration) {
        self.shared.webhooks.configure(Some(retry_schedule), Some(timeout));
    }

    /// Every webhook delivery attempt so far, oldest first (what `GET
    /// /__sandbox/webhooks/deliveries` answers): `{"id","message_id","endpoint_id","event","url",
    /// "scheme","attempt","status","ok","error","time","next_retry_ms","payload"}`.
    pub fn webhook_deliveries(&self) -> Vec<Value> {
        self.shared.webhooks.log()
    }

    /// How many webhook messages are still being delivered (attempting, or waiting to retry).
    pub fn webhooks_in_flight(&self) -> u64 {
        self.shared.webhooks.in_flight()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Stops accepting and closes every connection, idle keep-alive ones included; deliveries
        // waiting to retry give up.
        self.shared.webhooks.stop();
        self.server.stop();
    }
}
