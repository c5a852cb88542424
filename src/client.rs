//! The client and its one request pipeline: every operation, typed or not, from Rust, C, Python,
//! Go or the CLI, reaches the network through [`Client::execute`].

use crate::cancel::{CallGuard, CancelToken};
use crate::config::{ClientBuilder, Config, MAX_TIMEOUT};
use crate::error::{self, Error, Result};
use crate::json_depth::{self, JsonProblem, MAX_JSON_DEPTH};
use crate::logging;
use crate::operations::{self, Auth, BodyKind, Method, Op, Operation, ResponseKind};
use crate::rate_limit::{RateLimiter, Slot};
use crate::request::{self, Request};
use crate::retry::{self, Outcome};
use crate::transport::{self, HttpRequest, HttpResponse, Transport, TransportError};
use crate::util::random_u64;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// A Trillet API client. Cheap to clone (clones share one connection pool), `Send + Sync`, and
/// safe to use from many threads at once.
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// let agents = client.call("agents.list", serde_json::json!({}))?;
/// println!("{agents}");
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The token every call of this handle is given ([`Client::with_cancel`]).
    cancel: Option<CancelToken>,
}

struct Inner {
    config: Config,
    transport: Transport,
    limiter: Option<RateLimiter>,
    /// Cancelled by [`Client::close`]: every call in flight and every later call.
    closing: CancelToken,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish()
    }
}

/// A successful response: status, the body as JSON text (passed through byte for byte; a text
/// response such as CSV becomes a JSON string), the request id, and what the call took.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response {
    /// HTTP status (2xx).
    pub status: u16,
    /// The body as JSON text; `null` for an empty body.
    pub body: String,
    /// The `x-request-id` header, when present.
    pub request_id: Option<String>,
    /// Attempts made, the successful one included (1 when nothing was retried).
    pub attempts: u32,
    /// Time from the call's start to the end of the response body, retries and their waits
    /// included.
    pub elapsed: Duration,
}

/// What an exchange took, succeeded or failed: the metadata every language can read
/// (`{"status":200,"request_id":"req_…","attempts":1,"elapsed_ms":12}` across the C ABI).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The HTTP status of the last response, if any response arrived.
    pub status: Option<u16>,
    /// The `x-request-id` of the last response, when it carried one.
    pub request_id: Option<String>,
    /// Attempts sent (0 when the request was refused before sending).
    pub attempts: u32,
    /// Time from the call's start to its end, retries and their waits included.
    pub elapsed: Duration,
}

impl ResponseMeta {
    /// The metadata as the JSON object every binding reads:
    /// `{"status":200,"request_id":"req_…","attempts":1,"elapsed_ms":12}` (`null` where unknown).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "status": self.status,
            "request_id": self.request_id,
            "attempts": self.attempts,
            "elapsed_ms": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
        })
        .to_string()
    }
}

impl Response {
    /// The metadata of this exchange.
    pub fn meta(&self) -> ResponseMeta {
        ResponseMeta {
            status: Some(self.status),
            request_id: self.request_id.clone(),
            attempts: self.attempts,
            elapsed: self.elapsed,
        }
    }

    /// Parses the body as JSON.
    pub fn value(&self) -> Result<Value> {
        self.json()
    }

    /// Deserializes the body into a typed model.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_str(&self.body).map_err(|e| Error::Decode {
            message: format!("response does not match the expected shape: {}", crate::error::plain_json_error(&e)),
            snippet: error::truncate(&self.body, 200),
        })
    }
}

/// What the pipeline needs to know about an endpoint: a table row, or a raw request.
#[derive(Debug, Clone, Copy)]
struct Route<'a> {
    /// The table row's handle (its body checks); `None` for the escape hatch.
    op: Option<Op>,
    id: &'a str,
    method: Method,
    path: &'a str,
    body: BodyKind,
    /// How a 2xx body is read: as the row declares, or (the escape hatch, `None`) by its
    /// `content-type`.
    response: Option<ResponseKind>,
    auth: Auth,
    file_field: Option<&'a str>,
    max_upload: Option<u64>,
}

impl<'a> From<&'a Operation> for Route<'a> {
    fn from(op: &'a Operation) -> Self {
        Route {
            op: Op::of(op),
            id: op.id,
            method: op.method,
            path: op.path,
            body: op.body,
            response: Some(op.response),
            auth: op.auth,
            file_field: op.file_field,
            max_upload: op.max_upload_bytes,
        }
    }
}

impl Client {
    /// A builder; see [`ClientBuilder`] for every setting and its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID` and `TRILLET_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::new().build()
    }

    pub(crate) fn from_config(config: Config) -> Result<Client> {
        let transport = Transport::new(&config)?;
        let limiter = match (config.rate_limit_per_minute, &config.rate_limit_store) {
            (Some(n), None) => Some(RateLimiter::new(n, config.clock.clone())),
            (Some(n), Some(store)) => Some(RateLimiter::with_store(
                n,
                store,
                config.rate_limit_store_required,
                config.api_key.as_deref(),
                config.connect_timeout.min(std::time::Duration::from_secs(2)),
                config.clock.clone(),
            )?),
            (None, Some(store)) => {
                return Err(Error::invalid(
                    "invalid_rate_limit_store",
                    format!("rate_limit_store {} needs rate_limit_per_minute: the limit to share", store.shown()),
                ))
            }
            (None, None) => None,
        };
        let closing = CancelToken::new();
        Ok(Client { inner: Arc::new(Inner { config, transport, limiter, closing }), cancel: None })
    }

    /// A handle on the same client (same settings and connections) whose every call — the
    /// typed namespaces included — can be stopped with `token`:
    ///
    /// ```no_run
    /// let client = trillet::Client::from_env()?;
    /// let token = trillet::CancelToken::new();
    /// // elsewhere: token.cancel();
    /// let agents = client.with_cancel(&token).agents().list();
    /// # Ok::<(), trillet::Error>(())
    /// ```
    ///
    /// A request's own token ([`Request::cancel`]) applies too: either one stops the call.
    pub fn with_cancel(&self, token: &CancelToken) -> Client {
        Client { inner: self.inner.clone(), cancel: Some(token.clone()) }
    }

    /// Closes the client and every clone of it: each call in flight ends at once with
    /// [`Error::Cancelled`], idle connections are closed, and every later call fails at once
    /// (`not_sent`). Idempotent. Dropping the last clone closes the connections too, but only
    /// once no call is running; `close` does not wait.
    pub fn close(&self) {
        self.inner.closing.cancel();
        self.inner.transport.shutdown();
    }

    /// Whether [`close`](Client::close) was called (on this client or a clone).
    pub fn is_closed(&self) -> bool {
        self.inner.closing.is_cancelled()
    }

    /// The client's settings.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// How many host-name (DNS) lookups this client and its clones have made. A name is looked
    /// up once and reused for 60 s, or until a connection to it fails; an IP-literal base URL
    /// is never looked up. For diagnostics and benchmarks.
    pub fn dns_lookups(&self) -> u64 {
        self.inner.transport.dns_lookups()
    }

    /// Calls an operation by id with a request in the shared JSON form
    /// (`{"path":{…},"query":{…},"body":…}`) and returns the parsed response.
    pub fn call(&self, operation_id: &str, request: Value) -> Result<Value> {
        let op = lookup(operation_id)?;
        self.execute(op, &Request::from_value(&request)?)?.value()
    }

    /// Like [`call`](Client::call) with JSON text in and out; the response body is passed
    /// through byte for byte (what the C ABI returns).
    pub fn call_json(&self, operation_id: &str, request_json: &str) -> Result<String> {
        let op = lookup(operation_id)?;
        Ok(self.execute(op, &Request::from_json(request_json)?)?.body)
    }

    /// Like [`call`](Client::call), stoppable with `token` from another thread (see
    /// [`CancelToken`]).
    pub fn call_with(&self, operation_id: &str, request: Value, token: &CancelToken) -> Result<Value> {
        let op = lookup(operation_id)?;
        self.execute(op, &Request::from_value(&request)?.cancel(token))?.value()
    }

    /// Like [`call_json`](Client::call_json), and also hands back what the exchange took —
    /// status, request id, attempts, elapsed time — whether it succeeded or not (what the C ABI's
    /// `trillet_call_with_meta` returns).
    pub fn call_json_with_meta(&self, operation_id: &str, request_json: &str) -> (Result<String>, ResponseMeta) {
        self.call_json_ex(operation_id, request_json, None)
    }

    /// Like [`call_json_with_meta`](Client::call_json_with_meta), stoppable with `cancel` (what
    /// the C ABI's `trillet_call_ex` does).
    pub fn call_json_ex(
        &self,
        operation_id: &str,
        request_json: &str,
        cancel: Option<&CancelToken>,
    ) -> (Result<String>, ResponseMeta) {
        let started = Instant::now();
        let prepared = lookup(operation_id).and_then(|op| {
            let req = Request::from_json(request_json)?;
            Ok((
                op,
                match cancel {
                    Some(token) => req.cancel(token),
                    None => req,
                },
            ))
        });
        let (result, mut meta) = match prepared {
            Ok((op, req)) => self.execute_with_meta(op, &req),
            Err(e) => (Err(e), ResponseMeta::default()),
        };
        meta.elapsed = started.elapsed();
        (result.map(|r| r.body), meta)
    }

    /// Like [`execute`](Client::execute), and also hands back what the exchange took, succeeded
    /// or failed (on success it equals [`Response::meta`]).
    pub fn execute_with_meta(&self, op: &Operation, req: &Request) -> (Result<Response>, ResponseMeta) {
        let mut meta = ResponseMeta::default();
        let started = Instant::now();
        let result = self.run_metered(Route::from(op), req, &mut meta);
        meta.elapsed = started.elapsed();
        (result, meta)
    }

    /// Sends a request to an operation of the table. The one pipeline every surface uses.
    pub fn execute(&self, op: &Operation, req: &Request) -> Result<Response> {
        self.run(Route::from(op), req)
    }

    /// The escape hatch for endpoints the table does not know yet: any method and path (a
    /// template such as `/v1/api/new/{id}` takes path parameters from the request). Same
    /// headers, retries and errors as every operation.
    ///
    /// With no row to say what the answer is, its `content-type` decides, by the rules the typed
    /// operations follow: JSON (`application/json`, `…+json`, or no content-type) is validated
    /// and passed through (an empty body reads as `null`); `text/*` (a CSV export) becomes a
    /// JSON string; anything else (audio, a PDF) becomes the binary envelope
    /// `{"content_type","filename","size","data_base64"}` that `recordings.get` answers with.
    pub fn request(&self, method: &str, path: &str, req: &Request) -> Result<Response> {
        self.request_with_meta(method, path, req).0
    }

    /// Like [`request`](Client::request), and also hands back what the exchange took, succeeded
    /// or failed (what the C ABI's `trillet_request_ex` returns).
    pub fn request_with_meta(&self, method: &str, path: &str, req: &Request) -> (Result<Response>, ResponseMeta) {
        let started = Instant::now();
        let mut meta = ResponseMeta::default();
        let result = self.raw_route(method, path, req).and_then(|route| self.run_metered(route, req, &mut meta));
        meta.elapsed = started.elapsed();
        (result, meta)
    }

    /// The route of a raw request, checked.
    fn raw_route<'a>(&self, method: &str, path: &'a str, req: &Request) -> Result<Route<'a>> {
        let method = Method::parse(method)
            .ok_or_else(|| Error::invalid("invalid_method", format!("unsupported HTTP method {method:?}")))?;
        if !path.starts_with('/') || path.starts_with("//") || path.contains(['?', '#']) || path.contains("://") {
            return Err(Error::invalid(
                "invalid_path",
                format!("path {path:?} must start with a single '/' and carry no query or fragment (use the request's query)"),
            ));
        }
        // RFC 3986 path characters (percent escapes allowed), plus `{}` for template placeholders.
        let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%{}".contains(c);
        if let Some(bad) = path.chars().find(|c| !allowed(*c)) {
            return Err(Error::invalid(
                "invalid_path",
                format!("path contains {bad:?}, which is not allowed in a URL path (percent-encode it)"),
            ));
        }
        let body = if !req.files().is_empty() {
            BodyKind::Multipart
        } else if req.body_text().is_some() {
            BodyKind::Json
        } else {
            BodyKind::None
        };
        let route = Route {
            op: None,
            id: "raw",
            method,
            path,
            body,
            response: None,
            auth: Auth::KeyAndWorkspace,
            file_field: None,
            max_upload: None,
        };
        Ok(route)
    }

    fn run(&self, route: Route<'_>, req: &Request) -> Result<Response> {
        self.run_metered(route, req, &mut ResponseMeta::default())
    }

    /// The pipeline; `meta` records attempts and the last status and request id as they happen,
    /// so a failed call can report them too.
    fn run_metered(&self, route: Route<'_>, req: &Request, meta: &mut ResponseMeta) -> Result<Response> {
        let call_started = Instant::now();
        let cfg = &self.inner.config;
        let what = route.id;
        let path = request::render_path(route.path, req.path_params(), what)?;
        if let (Some(op), BodyKind::Json) = (route.op, route.body) {
            crate::local_checks::check_body(op, req.body_text())?;
        }
        let query = request::render_query(req.query_params());
        let mut url = String::with_capacity(cfg.base_url.len() + path.len() + query.len());
        url.extend([cfg.base_url.as_str(), &path, &query]);
        let body = request::encode_body(req, route.body, route.file_field, route.max_upload, what)?;
        let headers = self.headers(&route, req, body.as_ref().map(|b| b.content_type.as_str()))?;
        let http = HttpRequest {
            method: route.method,
            url: &url,
            headers: &headers,
            body: body.as_ref().map(|b| &b.bytes[..]),
        };

        let timeout = req.timeout_override().unwrap_or(cfg.timeout).min(MAX_TIMEOUT);
        let idempotent = route.method.is_idempotent();
        // From here to the return, a cancel of any of these tokens stops the call.
        let guard = CallGuard::start([self.cancel.as_ref(), req.cancel_token()], Some(&self.inner.closing));
        let watch = guard.watch();
        let cancelled =
            |at: &str| Error::Cancelled { maybe_sent: watch.sent(), message: format!("{what}: cancelled {at}") };
        if watch.is_cancelled() {
            let at = if self.is_closed() { "before it started: the client is closed" } else { "before it started" };
            return Err(cancelled(at));
        }
        // The client-side rate limit is waited for before the deadline starts; a retry that
        // cannot get a slot within the deadline returns the last error instead of sleeping on.
        if let Some(limiter) = &self.inner.limiter {
            match limiter.acquire_before(None, Some(watch)) {
                Slot::Taken | Slot::PastDeadline => {}
                Slot::Cancelled => return Err(cancelled("while waiting for a rate-limit slot")),
                Slot::StoreFailed(e) => return Err(e),
            }
        }
        // Deadline, backoff and Retry-After waits run on the client's clock (real unless a test's).
        let clock = &*cfg.clock;
        let deadline = clock.now() + timeout;
        let mut retry = 0u32;
        loop {
            let remaining = deadline.saturating_duration_since(clock.now());
            if remaining.is_zero() {
                return Err(Error::Timeout { message: format!("{what}: no time left within {timeout:?}") });
            }
            let started = Instant::now();
            // The agent's own deadline is the client's timeout: only later attempts and per-request
            // timeouts need a per-request override.
            let per_attempt = (retry > 0 || req.timeout_override().is_some()).then_some(remaining);
            let result = self.inner.transport.send(&http, per_attempt);
            let attempt_sent = watch.take_attempt_sent();
            let attempt = logging::Attempt {
                method: route.method,
                host: self.inner.transport.host(),
                path: &path,
                operation: route.id,
                attempt: retry + 1,
                took: started.elapsed(),
            };
            logging::attempt(cfg.log_requests, &attempt, || match &result {
                Ok(r) => r.status.to_string(),
                Err(_) if watch.is_cancelled() => "cancelled".to_string(),
                Err(e) => e.to_string(),
            });
            meta.attempts = retry + 1;
            if let Ok(resp) = &result {
                meta.status = Some(resp.status);
                meta.request_id = resp.header("x-request-id").map(str::to_string);
            }
            // A failure of a cancelled call is the cancel's doing; a complete answer that raced
            // with the cancel is kept as it is.
            if result.is_err() && watch.is_cancelled() {
                meta.attempts = retry + u32::from(attempt_sent);
                let at = if attempt_sent { "after its request was sent" } else { "before its request was sent" };
                return Err(cancelled(&format!("during attempt {} ({at})", retry + 1)));
            }
            let (outcome, error) = match result {
                Ok(resp) if (200..300).contains(&resp.status) => {
                    let mut response = success(resp, route.response)?;
                    response.attempts = retry + 1;
                    response.elapsed = call_started.elapsed();
                    return Ok(response);
                }
                Ok(resp) => {
                    let err = api_error(&resp, clock.system_now());
                    if let (429, Some(wait), Some(limiter)) = (resp.status, err.retry_after(), &self.inner.limiter) {
                        // Every request of this client, and of every process sharing its store,
                        // waits this out — not only this call's retry.
                        limiter.block_for(wait.min(retry::MAX_RETRY_AFTER));
                    }
                    (Outcome::Status(resp.status, err.retry_after()), err)
                }
                Err(TransportError::Connect(m)) => (Outcome::NotSent, Error::Connect { message: m }),
                Err(TransportError::Invalid(m)) => return Err(Error::invalid("invalid_request", m)),
                Err(TransportError::UnsupportedProxy(m)) => return Err(Error::invalid("unsupported_proxy", m)),
                // A refused handshake: nothing was sent, and another attempt would be refused too.
                Err(TransportError::Tls(m)) => return Err(Error::Connect { message: m }),
                Err(TransportError::Timeout(m)) => {
                    let at = if m.is_empty() { String::new() } else { format!(" (timed out {m})") };
                    return Err(Error::Timeout { message: format!("{what} did not complete within {timeout:?}{at}") });
                }
                Err(TransportError::Io(m)) => (Outcome::MaybeSent, Error::Io { message: m }),
                Err(TransportError::TooLarge(n)) => {
                    return Err(Error::Decode {
                        message: format!("response body larger than {n} bytes"),
                        snippet: String::new(),
                    })
                }
            };
            if retry >= cfg.max_retries {
                return Err(error);
            }
            let jitter = (random_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let Some(wait) = retry::delay_before_retry(outcome, idempotent, retry, jitter) else {
                return Err(error);
            };
            if clock.now() + wait >= deadline {
                return Err(error);
            }
            if watch.sleep(clock, wait).is_err() {
                return Err(cancelled(&format!("while waiting {wait:?} to retry after attempt {}", retry + 1)));
            }
            if let Some(limiter) = &self.inner.limiter {
                match limiter.acquire_before(Some(deadline), Some(watch)) {
                    Slot::Taken => {}
                    Slot::PastDeadline => return Err(error),
                    Slot::Cancelled => return Err(cancelled("while waiting for a rate-limit slot to retry")),
                    Slot::StoreFailed(_) => return Err(error),
                }
            }
            retry += 1;
        }
    }

    fn headers<'a>(
        &'a self,
        route: &Route<'_>,
        req: &'a Request,
        content_type: Option<&'a str>,
    ) -> Result<Vec<(&'static str, &'a str)>> {
        let cfg = &self.inner.config;
        let mut headers: Vec<(&'static str, &'a str)> = Vec::with_capacity(5);
        if route.auth.sends_key() {
            let key = cfg.api_key.as_deref().ok_or_else(|| {
                Error::invalid("missing_api_key", "no API key: set TRILLET_API_KEY or pass api_key to the client")
            })?;
            headers.push(("x-api-key", key));
        }
        if route.auth.sends_workspace() {
            // Where the path names the workspace, the header must carry the same id. An optional
            // header (Auth::KeyAndOptionalWorkspace) is sent only when there is an id to send.
            let from_path = req.path_params().iter().find(|(n, _)| n == "workspaceId").map(|(_, v)| v.as_str());
            match from_path.or(cfg.workspace_id.as_deref()) {
                Some(ws) if ws.bytes().any(|b| b < 0x20 || b == 0x7f) => {
                    return Err(Error::invalid("invalid_workspace_id", "workspace id contains control characters"));
                }
                Some(ws) => headers.push(("x-workspace-id", ws)),
                None if route.auth.requires_workspace() => {
                    return Err(Error::invalid(
                        "missing_workspace_id",
                        format!(
                            "{} needs a workspace id: set TRILLET_WORKSPACE_ID or pass workspace_id to the client",
                            route.id
                        ),
                    ));
                }
                None => {}
            }
        }
        headers.push(("accept", "application/json"));
        headers.push(("user-agent", &cfg.user_agent));
        if let Some(ct) = content_type {
            headers.push(("content-type", ct));
        }
        Ok(headers)
    }
}

fn lookup(id: &str) -> Result<&'static Operation> {
    operations::find(id).ok_or_else(|| {
        Error::invalid(
            "unknown_operation",
            format!("unknown operation {id:?} (see trillet_operations() / `trillet ops`)"),
        )
    })
}

/// A 2xx answer as the JSON every language receives. `kind` is the row's response kind; `None`
/// (a raw request) reads the answer by its content-type ([`kind_by_content_type`]).
fn success(resp: HttpResponse, kind: Option<ResponseKind>) -> Result<Response> {
    let request_id = resp.header("x-request-id").map(str::to_string);
    let status = resp.status;
    let body = match kind.unwrap_or_else(|| kind_by_content_type(&resp)) {
        ResponseKind::Text => {
            serde_json::to_string(&String::from_utf8_lossy(&resp.body)).expect("a string always serializes")
        }
        ResponseKind::Binary if !is_json_content(&resp) => binary_envelope(&resp),
        ResponseKind::Json | ResponseKind::Binary => json_body(resp.body)?,
    };
    Ok(Response { status, body, request_id, attempts: 1, elapsed: Duration::ZERO })
}

/// What an answer is by its `content-type`: JSON when it says so or says nothing (an API answers
/// JSON unless told otherwise), text for `text/*`, bytes for anything else.
fn kind_by_content_type(resp: &HttpResponse) -> ResponseKind {
    match resp.header("content-type").map(|ct| ct.trim_start().to_ascii_lowercase()) {
        None => ResponseKind::Json,
        Some(ct) if ct.is_empty() || is_json_media_type(&ct) => ResponseKind::Json,
        Some(ct) if ct.starts_with("text/") => ResponseKind::Text,
        Some(_) => ResponseKind::Binary,
    }
}

/// Whether a lower-case content-type names JSON (`application/json`, `…+json`).
fn is_json_media_type(ct: &str) -> bool {
    ct.starts_with("application/json") || ct.contains("+json")
}

/// Whether the response says its body is JSON (`application/json`, `…+json`).
fn is_json_content(resp: &HttpResponse) -> bool {
    resp.header("content-type").is_some_and(|ct| is_json_media_type(&ct.to_ascii_lowercase()))
}

/// A 2xx JSON body, validated and passed through; an empty body reads as `null`.
fn json_body(bytes: Vec<u8>) -> Result<String> {
    let text = String::from_utf8(bytes).map_err(|e| Error::Decode {
        message: "response body is not UTF-8".into(),
        snippet: error::truncate(&String::from_utf8_lossy(e.as_bytes()), 200),
    })?;
    if text.trim().is_empty() {
        return Ok("null".to_string());
    }
    match json_depth::check(&text) {
        Ok(()) => Ok(text),
        Err(JsonProblem::TooDeep) => Err(Error::Decode {
            message: format!(
                "response JSON is nested too deeply (more than {} levels); refused, not passed on",
                MAX_JSON_DEPTH - 1
            ),
            snippet: error::truncate(&text, 200),
        }),
        Err(JsonProblem::Invalid(e)) => Err(Error::Decode {
            message: format!("response is not valid JSON: {}", error::plain_json_error(&e)),
            snippet: error::truncate(&text, 200),
        }),
    }
}

/// Bytes as the JSON every language receives: `{"content_type","filename","size","data_base64"}`.
fn binary_envelope(resp: &HttpResponse) -> String {
    let filename = resp.header("content-disposition").and_then(|d| {
        d.split(';').map(str::trim).find_map(|p| p.strip_prefix("filename=")).map(|f| f.trim_matches('"').to_string())
    });
    serde_json::json!({
        "content_type": resp.header("content-type").unwrap_or("application/octet-stream"),
        "filename": filename,
        "size": resp.body.len(),
        "data_base64": crate::util::base64_encode(&resp.body),
    })
    .to_string()
}

fn api_error(resp: &HttpResponse, now: SystemTime) -> Error {
    let text = String::from_utf8_lossy(&resp.body);
    let parsed = error::parse_error_body(&text);
    // A body nested too deep is kept as (truncated) text, never embedded in the error JSON.
    let is_json = json_depth::check(&text).is_ok();
    let retry_after = resp
        .header("retry-after")
        .and_then(|v| retry::parse_retry_after(v, now))
        .or_else(|| parsed.reset_at.as_deref().and_then(|r| retry::parse_reset_at(r, now)));
    let message = parsed.message.unwrap_or_else(|| {
        let reason = transport::status_reason(resp.status);
        format!("HTTP {}{}", resp.status, reason.map(|r| format!(" {r}")).unwrap_or_default())
    });
    Error::Api {
        status: resp.status,
        code: parsed.code.unwrap_or_else(|| error::status_code_name(resp.status)),
        message,
        request_id: resp.header("x-request-id").map(str::to_string),
        retry_after,
        body: if is_json { text.into_owned() } else { error::truncate(&text, error::MAX_TEXT_BODY) },
    }
}
