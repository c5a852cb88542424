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
//! [`ClientBuilder`] documents every setting and its default; [`Client::from_env`] reads the
//! environment. The API key never appears in `Debug` output, errors or logs.
//!
//! | Builder method | Environment | Default |
//! |---|---|---|
//! | `api_key` | `TRILLET_API_KEY` | none: required (building a client without one fails with `missing_api_key`) |
//! | `workspace_id` | `TRILLET_WORKSPACE_ID` | none (`missing_workspace_id`) |
//! | `base_url` | `TRILLET_BASE_URL` | `https://api.trillet.ai` |
//! | `connect_timeout` | | 10 s |
//! | `timeout` (whole request, retries and body included; per request: `Request::timeout`; at most a day) | | 60 s |
//! | `max_retries` | | 2 |
//! | `user_agent_suffix` | | none |
//! | `rate_limit_per_minute` (client-side limit: never more than this many requests in any minute — a sliding log, so no window the server counts in sees more; a 429's `Retry-After` holds every call of the client; blocks until a slot is free — before the first attempt outside `timeout`, ended by a cancel; a retry that cannot get a slot within the deadline returns the last error) | | off |
//! | `rate_limit_store` (share that limit with other processes: `file:PATH` or `redis://[user:pass@]HOST:PORT/DB`; see [Running many processes](#running-many-processes)) | `TRILLET_RATE_LIMIT_STORE` | none (the client's own) |
//! | `rate_limit_store_required` (fail calls as `connect` while the store is unreachable, instead of limiting the client alone) | | false |
//! | `allow_insecure_http` (plain `http://` to a non-loopback host) | | false |
//! | request log to stderr (method, path, status, attempt, host, duration; never the key) — always also a `log` record, target `trillet`, level debug, for a Rust application's own logger | `TRILLET_LOG=debug` | off |
//! | `ignore_env` (read none of `TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID`, `TRILLET_BASE_URL`, `TRILLET_RATE_LIMIT_STORE`; the TLS and proxy variables still apply) | | false |
//! | `ca_bundle` (PEM file of extra trusted roots; see below) | `SSL_CERT_FILE`, `SSL_CERT_DIR` (replace the system store) | the system store |
//! | `proxy` (`http://` or `https://` proxy URL, used for every request) | `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (and lowercase) | none |
//!
//! These settings are one table, [`settings::SETTINGS`] (key, kind, environment, default, doc), carried by the
//! operations catalog as `"settings"`. They are the keys of the C config JSON (`timeout_ms` and
//! `connect_timeout_ms` in milliseconds); the Python `Client(...)` keyword arguments (keyword-only; `timeout` and
//! `connect_timeout` in seconds) and the Go `Config` fields (`Timeout time.Duration`, `MaxRetries *int`, …) are
//! generated from it and checked for drift. Adding a setting is one row there plus its builder method and C key.
//!
//! Every request sends `x-api-key`, `x-workspace-id` (except the operations the API documents without it),
//! `accept: application/json`, `content-type` for bodies, and `user-agent: trillet-rust/<version> (<os>; <arch>)`.
//! Two operations take the workspace header as optional: `workspaces.pending_invitations` and `calls.web_connect`
//! (the official web SDK sends only the key). They send it when a workspace id is configured and are still sent
//! without one; the catalog says so with `"workspace_header": true, "workspace_required": false`.
//! The key never appears in `Debug` output, errors or logs. Redirects are never followed (they would carry the key).
//!
//! On the wire: a body is always framed by `content-length` (never chunked), and a POST/PUT/PATCH without a body
//! (`active_calls.end_call`) sends `content-length: 0`, so servers and proxies without chunked request bodies keep
//! the keep-alive connection in step. A JSON answer is passed through only if it nests fewer than 128 levels
//! (serde_json's own limit: 127 parse, 128 do not); deeper is a `decode` error, and an error body that deep is kept
//! as truncated text in the error JSON rather than embedded, so no binding's JSON parser is handed it.
//!
//! ### Running many processes
//!
//! The plan's limit (60 requests a minute on the Developer plan) belongs to the API key, not to a process: four
//! gunicorn workers each limited to 60 a minute send 240. Give them one limit:
//!
//! ```sh
//! export TRILLET_RATE_LIMIT_STORE=file:/dev/shm/trillet-limit   # every process of this host naming the file
//! export TRILLET_RATE_LIMIT_STORE=redis://cache.internal:6379/0  # every process of every host (a fleet)
//! ```
//!
//! with `rate_limit_per_minute` set in each (the setting in any language: `rate_limit_store=` in Python,
//! `RateLimitStore` in Go, `"rate_limit_store"` in the C config). Every process then takes its slots from one
//! sliding log: never more than the limit in any minute, across all of them. A 429's `Retry-After` (or `reset_at`)
//! is written to the store too, so every sharer waits it out instead of each meeting its own 429.
//!
//! - `file:PATH`: `flock(2)` on a file readable by the user only (put it in `/dev/shm` or `/tmp`); no daemon; the
//!   kernel drops the lock of a process that dies, even by `kill -9`. One file per API key.
//! - `redis://`: one Lua script per slot, on the server's clock (hosts whose clocks drift still share one window);
//!   the keys are `trillet:rate-limit:<hash of the API key>:…`, never the key; the password is shown as `<redacted>`.
//!   Needs the `redis-store` cargo feature, on by default (the C library, the wheel and the Go binding have it;
//!   it adds about 0.6 MB to the stripped library). `rediss://` is not supported.
//! - When the store cannot be reached (Redis down, the file unwritable), each client limits itself alone, logs one
//!   warning per outage (the `log` facade at `warn`; stderr with `TRILLET_LOG=warn` or `debug`), tries the store
//!   again at most once a second and says when it is back. With `rate_limit_store_required` a call fails instead, as
//!   a `connect` error naming the store. A Redis round trip is bounded by the connect timeout (at most 2 s), and a
//!   wait for a slot ends with the call's cancel (a Go context, a cancel token).
//!
//! ### TLS trust and proxies
//!
//! **What is trusted.** A server certificate must chain to one of:
//! 1. the operating system's root store (read with `rustls-native-certs`: on Linux the distribution's
//!    bundle, e.g. `/etc/ssl/certs/ca-certificates.crt`, and certificate directory; the keychain on macOS;
//!    the certificate store on Windows). `SSL_CERT_FILE` (a PEM file) and `SSL_CERT_DIR` **replace** that
//!    store when set, as in OpenSSL and Go. The store is read once per process, when the first client with an
//!    `https://` base URL (or proxy) is built;
//! 2. where that store holds no certificate at all (minimal container images): with the `bundled-roots`
//!    cargo feature, the Mozilla roots compiled into the library (`webpki-root-certs`); without it (the
//!    default, and the shipped C library, wheel and npm package), building a client that can use TLS fails
//!    with `invalid_input`, code `no_trusted_roots`, naming the fixes (install `ca-certificates`, set
//!    `SSL_CERT_FILE`, or pass a `ca_bundle`);
//! 3. plus, always, the certificates in the `ca_bundle` file (C key `ca_bundle`, Python `ca_bundle=`, Go
//!    `Config.CABundle`): a private CA, or the CA of a TLS-inspecting corporate proxy. A `ca_bundle` that
//!    cannot be read, holds no `-----BEGIN CERTIFICATE-----` block or holds an unusable one is refused when
//!    the client is built: `invalid_input`, code `invalid_ca_bundle`, naming the path.
//!    Likewise `SSL_CERT_FILE` or an `SSL_CERT_DIR` entry naming a path that does not exist, when a client
//!    that can use TLS is built: `invalid_input`, code `missing_ssl_cert_path`, naming the variable and path.
//!
//! Python's `REQUESTS_CA_BUNDLE` is not read (pass it as `ca_bundle`). A certificate the handshake refuses
//! (unknown issuer, expired, for another name) is a `connect` error — nothing was sent — whose message names
//! the host and the problem (`could not connect to api.trillet.ai:443: TLS handshake failed: invalid peer
//! certificate: unknown issuer ...`), returned after the first
//! attempt: a handshake that cannot succeed is not retried.
//!
//! **Proxies.** With the `proxy` setting (C key `proxy`, Python `proxy=`, Go `Config.Proxy`; `http://` or
//! `https://`, credentials allowed as `http://user:pass@host:3128`, sent as `Proxy-Authorization`) every
//! request goes through that proxy and the environment is not consulted. Without it, the first of `ALL_PROXY`,
//! `HTTPS_PROXY`, `HTTP_PROXY` (or their lowercase forms) holding a valid URL is used for every scheme, except:
//! - hosts matching `NO_PROXY` (comma-separated: `host`, `.suffix` or `*.suffix`, `*` for all);
//! - a loopback base URL (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`), which is never sent through a
//!   proxy from the environment (as in Go's net/http), so the local sandbox keeps working behind a corporate
//!   `HTTPS_PROXY`. An explicit `proxy` setting does apply to loopback.
//!
//! Requests always cross the proxy as a `CONNECT host:port` tunnel: the proxy sees the target host and port,
//! never the request line or headers (the API key is inside the tunnel, and encrypted with `https://`). Proxy
//! credentials are shown as `<redacted>` in `Debug`, `config().proxy()`, Go's `Config.String()` and errors.
//! SOCKS proxies are not supported: the `proxy` setting refuses one (`invalid_proxy`), and a SOCKS proxy from
//! the environment (`ALL_PROXY=socks5://…`) fails each request whose host `NO_PROXY` does not list with
//! `invalid_input` / `unsupported_proxy`, before any lookup and without retries, instead of quietly going around it.
//! A proxy that cannot be reached, or that refuses the tunnel, is a `connect` error. Every `connect` error names
//! the host and port it was for and, when a proxy was in play, the proxy (credentials `<redacted>`) and where
//! it came from: `could not connect to api.trillet.ai:443 through the proxy http://127.0.0.1:9 (from
//! HTTPS_PROXY): connection refused` (`from the proxy setting` for an explicit one).
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
//! method and path, for an endpoint the table does not know yet; like the typed operations it reads
//! the answer by its `content-type`: JSON validated and passed through, `text/*` as a JSON string,
//! anything else, such as audio, as `{"content_type","filename","size","data_base64"}`; the same
//! for `trillet_request` in C, `Client.request` in Python and `Client.Do` in Go). [`Client::execute_with_meta`]
//! also hands back what the exchange took ([`ResponseMeta`]). Webhook signatures and payloads are
//! in [`webhooks`].
//!
//! ## Errors
//!
//! Every failure is one [`Error`], whose [`kind`](Error::kind) says what happened:
//!
//! | Kind | Variant | Meaning | Code |
//! |---|---|---|---|
//! | `api` | [`Error::Api`] | the API answered non-2xx: status, the API's code, message, request id, `retry_after`, body | the API's code (`invalid_number`, `rate_limit_exceeded`, ...) or one per status (`not_found`, `service_unavailable`, ...) |
//! | `timeout` | [`Error::Timeout`] | the request did not complete within its deadline | `timeout` |
//! | `connect` | [`Error::Connect`] | no connection was made (DNS, refused, TLS): nothing was sent | `connection_failed` |
//! | `io` | [`Error::Io`] | the connection broke after the request may have been sent | `connection_lost` |
//! | `decode` | [`Error::Decode`] | a 2xx answer that is not what the operation promises | `invalid_response` |
//! | `invalid_input` | [`Error::InvalidInput`] | refused before anything was sent | `unknown_operation`, `missing_path_param`, `unknown_path_param`, `unexpected_body`, `missing_api_key`, `missing_field`, `invalid_number`, `invalid_request_json`, `file_too_large`, `invalid_ca_bundle`, `missing_ssl_cert_path`, `no_trusted_roots`, `invalid_proxy`, `unsupported_proxy`, ... |
//! | `cancelled` | [`Error::Cancelled`] | stopped by a [`CancelToken`] or [`Client::close`]: `not_sent` or `maybe_sent` | `not_sent` or `maybe_sent` |
//! | `panic` | [`Error::Panic`] | a bug caught at the C ABI boundary (never returned to Rust) | `panic` |
//!
//! Every error shape the API is known to send is parsed: `{"error":{"code","message","reset_at"}}`,
//! `{"error":"…","message":"…"}`, `{"message":"…"}`, and non-JSON bodies (kept as text, cut at 2 KiB).
//! Across the C ABI and in every binding the same error is the JSON object
//! `{"error":{"kind","code","message","status","request_id","retry_after","body"}}`.
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
//! Each attempt is one line — `GET /v1/api/agents/a1 (agents.get) -> 200 attempt=1 host=api.trillet.ai:443
//! 12ms`; a failed one says what failed in the words of the error (`-> could not connect to ... through
//! the proxy ... (from HTTPS_PROXY): connection refused`) — sent
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
//! The local stand-in for the API (served from the same table) to test against is the
//! workspace's `trillet-sandbox` crate, and the `trillet` command-line tool is `trillet-cli`:
//! neither is compiled by a crate that depends on `trillet`.
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
mod clock;
mod config;
mod error;
pub mod ffi;
mod json_depth;
mod local_checks;
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
pub mod settings;
mod transport;
mod util;
pub mod webhooks;

pub use cancel::CancelToken;
pub use client::{Client, Response, ResponseMeta};
/// Not API: a fake clock for the project's tests (feature `test-hooks`).
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub use clock::FakeClock;

/// Not API (feature `test-hooks`): how many trusted roots the process's system store gave (the
/// `SSL_CERT_FILE` / `SSL_CERT_DIR` files when set; the bundled Mozilla roots when the store is
/// empty). Reads the store if no client has yet. For `tests/tls_store.rs`.
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub fn system_root_count_for_tests() -> usize {
    transport::tls::default_root_count()
}
pub use config::{ClientBuilder, Config, ENV_API_KEY, ENV_BASE_URL, ENV_LOG, ENV_WORKSPACE_ID};
pub use error::{Error, Result};
pub use multipart::{FilePart, FileSource};
pub use operations::{Op, Operation, OPERATIONS};
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

/// The Rust examples of docs/webhooks.md, compiled and run by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../docs/webhooks.md")]
pub struct WebhooksDocDoctests;
