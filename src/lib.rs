//! # trillet
//!
//! The native client for the Trillet AI Platform API: call agents, omni-flow messaging agents,
//! call and message flows, folders, voice and web calls, call history, recordings, active calls,
//! batch calls, conversations, phone numbers, knowledge bases, voices and workspaces.
//!
//! One blocking Rust core does all the work; C, Python and Go reach it through a small C ABI.
//! Every endpoint is one row of [`OPERATIONS`], and every call, typed or not, goes through one
//! pipeline ([`Client::execute`]): URL and body building, headers, retries, errors.
//!
//! ## Quick start
//!
//! Build a [`Client`] (from the environment with [`Client::from_env`], or with
//! [`Client::builder`]), then use a typed namespace:
//!
//! ```no_run
//! use trillet::models::{CreateAgent, InitiateCall, TtsModel};
//! let client = trillet::Client::builder()
//!     .api_key("sk_...")
//!     .workspace_id("664a1b2c3d4e5f6a7b8c9d0e")
//!     .build()?;
//! let agent = client.agents().create(&CreateAgent::new("Support", TtsModel::new("rime", "mistv2_Wildflower")))?;
//! let call = client.calls().initiate(&InitiateCall::new("+14155550100", agent.id.as_deref().unwrap_or_default()))?;
//! println!("call {:?}", call.call_id);
//! # Ok::<(), trillet::Error>(())
//! ```
//!
//! or call any operation by its id with a request in the JSON form every language shares
//! (`{"path":{…},"query":{…},"body":…,"files":[…],"timeout_ms":…}`):
//!
//! ```no_run
//! use serde_json::json;
//! let client = trillet::Client::from_env()?;
//! let agent = client.call("agents.get", json!({"path": {"agentId": "665a1b2c3d4e5f6a7b8c9d0e"}}))?;
//! println!("{}", agent["name"]);
//! # Ok::<(), trillet::Error>(())
//! ```
//!
//! ## Configuration
//!
//! [`ClientBuilder`] documents every setting and its default. `TRILLET_API_KEY`,
//! `TRILLET_WORKSPACE_ID` and `TRILLET_BASE_URL` ([`ENV_API_KEY`], [`ENV_WORKSPACE_ID`],
//! [`ENV_BASE_URL`]) fill what the builder leaves unset (unless
//! [`ignore_env`](ClientBuilder::ignore_env)); `SSL_CERT_FILE` / `SSL_CERT_DIR` and the usual
//! `*_PROXY` variables are honoured. The settings are one table, [`settings::SETTINGS`], which
//! the C config JSON and the Python and Go bindings follow. The API key never appears in `Debug`
//! output, errors or logs.
//!
//! ## Namespaces
//!
//! One per resource of the API, each a thin typed layer over the same pipeline (types in
//! [`models`]; checks such as empty ids and E.164 numbers made before anything is sent):
//!
//! | Method | Namespace | Operations |
//! |---|---|---|
//! | [`Client::agents`] | [`Agents`] | `agents.*` |
//! | [`Client::omni_flow_agents`] | [`OmniFlowAgents`] | `omni_flow_agents.*` |
//! | [`Client::call_flows`] | [`CallFlows`] | `call_flows.*` |
//! | [`Client::message_flows`] | [`MessageFlows`] | `message_flows.*` |
//! | [`Client::folders`] | [`Folders`] | `folders.*` |
//! | [`Client::calls`] | [`Calls`] | `calls.*` (phone and web calls) |
//! | [`Client::call_history`] | [`CallHistories`] | `call_history.*` |
//! | [`Client::recordings`] | [`Recordings`] | `recordings.*` |
//! | [`Client::active_calls`] | [`ActiveCalls`] | `active_calls.*` |
//! | [`Client::batch_calls`] | [`BatchCalls`] | `batch_calls.*` |
//! | [`Client::conversations`] | [`Conversations`] | `conversations.*` |
//! | [`Client::phone_numbers`] | [`PhoneNumbers`] | `phone_numbers.*` |
//! | [`Client::knowledge_base`] | [`KnowledgeBases`] | `knowledge_base.*` |
//! | [`Client::voices`] | [`Voices`] | `voices.*` |
//! | [`Client::workspaces`] | [`Workspaces`] | `workspaces.*` |
//!
//! Paged lists can be walked lazily with [`ListAll`] (`call_history().list_all(..)`). Below the
//! namespaces: [`Client::call`] / [`Client::call_json`] (an operation id and request JSON),
//! [`Client::execute`] (a row of [`OPERATIONS`] and a [`Request`]), and [`Client::request`] (any
//! method and path, for an endpoint the table does not know yet). [`Client::execute_with_meta`]
//! also hands back what the exchange took ([`ResponseMeta`]). Webhook signatures and payloads are
//! in [`webhooks`].
//!
//! ## Errors
//!
//! Every failure is one [`Error`], whose [`kind`](Error::kind) says what happened:
//!
//! | Kind | Variant | Meaning |
//! |---|---|---|
//! | `api` | [`Error::Api`] | the API answered non-2xx: status, the API's code, message, request id, `retry_after`, body |
//! | `timeout` | [`Error::Timeout`] | the request did not complete within its deadline |
//! | `connect` | [`Error::Connect`] | no connection was made (DNS, refused, TLS): nothing was sent |
//! | `io` | [`Error::Io`] | the connection broke after the request may have been sent |
//! | `decode` | [`Error::Decode`] | a 2xx answer that is not what the operation promises |
//! | `invalid_input` | [`Error::InvalidInput`] | refused before anything was sent |
//! | `cancelled` | [`Error::Cancelled`] | stopped by a [`CancelToken`] or [`Client::close`]: `not_sent` or `maybe_sent` |
//! | `panic` | [`Error::Panic`] | a bug caught at the C ABI boundary (never returned to Rust) |
//!
//! [`Error::code`] is the API's code when it sent one, else a stable code of ours
//! (`missing_path_param`, `unknown_operation`, `invalid_number`, ...). [`Error::to_json`] renders
//! the error JSON every language shares:
//! `{"error":{"kind","code","message","status","request_id","retry_after","body"}}`.
//!
//! ## Retries
//!
//! A request is retried at most [`max_retries`](ClientBuilder::max_retries) times (default 2),
//! and only where a second attempt cannot act twice:
//! - a connection that failed before the request was sent: retried for every operation (except a
//!   TLS handshake the certificate check refused: that error comes back after one attempt);
//! - 429: retried for every operation (the server did not act), after `Retry-After` (seconds or
//!   HTTP-date) or the body's `reset_at`, capped at 60 s;
//! - 408, 500, 502, 503, 504: retried **only** for idempotent operations (GET, PUT, DELETE): a
//!   POST the server may have executed (a phone call placed) is never sent twice;
//! - a connection that broke after the request may have reached the server (reset
//!   mid-response): retried only for idempotent operations;
//! - anything else (other statuses, timeouts, invalid input): not retried.
//!
//! Backoff is 0.5 s · 2ⁿ capped at 8 s, with jitter, and never waits past the request's
//! deadline ([`timeout`](ClientBuilder::timeout), which covers every attempt and wait). An
//! optional client-side rate limit ([`rate_limit_per_minute`](ClientBuilder::rate_limit_per_minute))
//! spaces the attempts out.
//!
//! ## Cancellation
//!
//! A call can be stopped from another thread wherever it waits — a rate-limit slot, a DNS lookup,
//! the connect, the TLS handshake, sending, the answer, the body, the backoff before a retry — with
//! a [`CancelToken`] given to it ([`Client::call_with`], [`Request::cancel`], or a
//! [`Client::with_cancel`] handle for the typed namespaces). It returns within milliseconds with
//! [`Error::Cancelled`], whose `maybe_sent` answers *did my request reach the API?*:
//!
//! - `false` (code `not_sent`): no byte of any attempt's HTTP request went out (TLS handshake bytes
//!   and a proxy's CONNECT do not count). The API cannot have acted on it: send it again safely.
//! - `true` (code `maybe_sent`): it went out, at least in part. The API may have acted on it — for
//!   [`Calls::initiate`] the phone call may have been placed — so check before sending a POST again.
//!
//! A cancelled call is never retried and its connection is closed, not reused. A cancel that comes
//! as the call completes leaves the real result; one after it returned touches nothing (not even the
//! pooled connection now serving another call). [`Client::close`] ends every call in flight and
//! fails later ones at once (`not_sent`). The C ABI (`trillet_cancel_new`, `trillet_call_ex`,
//! `trillet_client_close`), Go's contexts and the CLI's Ctrl-C follow the same rules.
//!
//! ## Logging
//!
//! Each attempt is one line — `GET /v1/api/agents/a1 (agents.get) -> 200 attempt=1 12ms` — sent
//! to the [`log`](https://docs.rs/log) facade (target `trillet`, level `debug`), so it appears
//! in whatever logger the application installs (`env_logger`, `tracing-log`, ...). With
//! `TRILLET_LOG=debug` ([`ENV_LOG`]) the same lines are also written to stderr, prefixed
//! `trillet: ` (the path for C, Python and Go hosts). Neither holds a header value, so neither
//! holds the key. ureq logs through the same facade: its `debug` records redact headers, but at
//! `trace` the `ureq_proto` target dumps the raw bytes of each request, headers included, so
//! keep that target below `trace` where the logs are kept.
//!
//! ## The C ABI and the bindings
//!
//! [`ffi`] is the C ABI (`include/trillet.h`, generated and committed): an opaque client handle,
//! JSON text in and out, one status code per error kind, and the error JSON handed back in the
//! same call. The Python (ctypes) and Go (cgo) bindings stand on it, with methods generated from
//! the operations catalog ([`operations::catalog_json`], `trillet_operations()`), so every
//! language has every operation. Rust callers do not need it.
//!
//! With the `sandbox` feature, the `sandbox` module is a local stand-in for the API (served from the same
//! table) to test against; the `cli` feature builds the `trillet` command-line tool.
//!
//! ## Stability
//!
//! The public surface is what this page links to; the rest is private. Enums that will grow
//! ([`Error`], [`operations::Method`], [`operations::BodyKind`], [`operations::ResponseKind`],
//! [`operations::Auth`], [`settings::SettingKind`], [`FileSource`], [`webhooks::EventType`],
//! [`webhooks::WebhookError`]) are `#[non_exhaustive]`: match them with a `_` arm. So are the
//! structs only this crate builds ([`Operation`], [`settings::Setting`], [`Response`],
//! [`ResponseMeta`], [`FilePart`]: use its constructors), so fields can be added. The models are
//! not: build them with their constructors or struct literals and `..Default::default()`; fields
//! the API adds land in their `extra` maps until they are typed.

#![warn(missing_docs)]

mod cancel;
mod client;
mod config;
mod error;
pub mod ffi;
mod json_depth;
mod logging;
pub mod models;
mod multipart;
#[cfg(feature = "schema")]
pub mod openapi;
pub mod operations;
mod pagination;
mod rate_limit;
mod redact;
mod request;
mod resources;
mod retry;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod settings;
mod transport;
mod util;
pub mod webhooks;

pub use cancel::CancelToken;
pub use client::{Client, Response, ResponseMeta};
pub use config::{ClientBuilder, Config, ENV_API_KEY, ENV_BASE_URL, ENV_LOG, ENV_WORKSPACE_ID};
pub use error::{Error, Result};
pub use multipart::{FilePart, FileSource};
pub use operations::{Operation, OPERATIONS};
pub use pagination::ListAll;
pub use request::Request;
pub use resources::{
    ActiveCalls, Agents, BatchCalls, CallFlows, CallHistories, Calls, Conversations, Folders, KnowledgeBases,
    MessageFlows, OmniFlowAgents, PhoneNumbers, Recordings, Voices, Workspaces,
};

/// The crate version (`0.1.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
