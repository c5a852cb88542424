//! Webhook delivery, like a real provider: endpoints (`--webhook-url`, or `POST
//! /__sandbox/webhooks` at run time), signed events sent when the simulated state changes, retries
//! with backoff on a non-2xx answer or a timeout, and a log of every attempt.
//!
//! Deliveries never block the API request that caused them: each message is sent from its own
//! thread, which sleeps between attempts on a condition variable that stopping the sandbox wakes.
//! The HTTP client is a few lines of std (plain `http://` only, `Connection: close`) and the
//! signatures are the sandbox's own (`signing.rs`): the sandbox uses none of the client's code.

use super::clock;
use super::state::lock;
use crate::signing;
use serde_json::{json, Map, Value};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, SystemTime};
use trillet::webhooks::{EventType, Scheme};

/// The sandbox's retry schedule by default: the waits before the 2nd, 3rd and 4th attempts.
pub const DEFAULT_RETRY_SCHEDULE: [Duration; 3] =
    [Duration::from_secs(1), Duration::from_secs(5), Duration::from_secs(25)];
/// How long one attempt may take (connect, send, status line) by default.
pub const DEFAULT_DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where events are sent.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    /// `http://host:port/path` (plain HTTP only: the sandbox runs locally).
    pub url: String,
    /// The signing secret. For the `standard` scheme, base64 after `whsec_`.
    pub secret: String,
    /// How events are signed.
    pub scheme: Scheme,
    /// Event types sent (`call.completed`, ...); empty means all.
    pub events: Vec<String>,
}

impl std::fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("url", &self.url)
            .field("secret", &"<redacted>")
            .field("scheme", &self.scheme)
            .field("events", &self.events)
            .finish()
    }
}

impl WebhookEndpoint {
    /// An endpoint receiving every event, signed with `secret` in `scheme`.
    pub fn new(url: impl Into<String>, secret: impl Into<String>, scheme: Scheme) -> WebhookEndpoint {
        WebhookEndpoint { url: url.into(), secret: secret.into(), scheme, events: Vec::new() }
    }

    /// Checks the URL, the secret (usable in the scheme) and the event names.
    pub(crate) fn check(&self) -> Result<(), String> {
        parse_url(&self.url)?;
        signing::headers(self, "msg_check", 0, b"").map(drop)
    }

    fn wants(&self, event: &EventType) -> bool {
        self.events.is_empty() || self.events.iter().any(|e| e == event.as_str())
    }
}

#[derive(Debug, Clone)]
struct Registered {
    id: String,
    endpoint: WebhookEndpoint,
}

/// Endpoints, the schedule, the delivery log and the threads' stop signal of one sandbox.
#[derive(Debug)]
pub(crate) struct Deliveries {
    initial: Vec<WebhookEndpoint>,
    endpoints: Mutex<Vec<Registered>>,
    schedule: Mutex<Vec<Duration>>,
    timeout: Mutex<Duration>,
    log: Mutex<Vec<Value>>,
    counter: AtomicU64,
    stopped: Mutex<bool>,
    wake: Condvar,
    in_flight: AtomicU64,
    closed: AtomicBool,
}

impl Deliveries {
    /// Delivery state with the sandbox's startup endpoints and schedule.
    pub fn new(initial: Vec<WebhookEndpoint>, schedule: Vec<Duration>, timeout: Duration) -> Deliveries {
        let d = Deliveries {
            initial,
            endpoints: Mutex::new(Vec::new()),
            schedule: Mutex::new(schedule),
            timeout: Mutex::new(timeout),
            log: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
            stopped: Mutex::new(false),
            wake: Condvar::new(),
            in_flight: AtomicU64::new(0),
            closed: AtomicBool::new(false),
        };
        d.restore();
        d
    }

    fn next_id(&self, prefix: &str) -> String {
        format!("{prefix}_{:08}", self.counter.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Back to the startup endpoints, with an empty delivery log (`POST /__sandbox/reset`).
    pub fn restore(&self) {
        let fresh: Vec<Registered> =
            self.initial.iter().map(|e| Registered { id: self.next_id("we"), endpoint: e.clone() }).collect();
        *lock(&self.endpoints) = fresh;
        lock(&self.log).clear();
    }

    /// Adds an endpoint; returns its description (with its id).
    pub fn add(&self, endpoint: WebhookEndpoint) -> Result<Value, String> {
        endpoint.check()?;
        let registered = Registered { id: self.next_id("we"), endpoint };
        let view = describe(&registered);
        lock(&self.endpoints).push(registered);
        Ok(view)
    }

    /// Every endpoint, secrets left out.
    pub fn list(&self) -> Value {
        Value::Array(lock(&self.endpoints).iter().map(describe).collect())
    }

    /// Removes one endpoint by id, or all (`None`); returns how many.
    pub fn remove(&self, id: Option<&str>) -> usize {
        let mut endpoints = lock(&self.endpoints);
        let before = endpoints.len();
        endpoints.retain(|e| id.is_some_and(|id| e.id != id));
        before - endpoints.len()
    }

    /// Sets the waits between attempts and the per-attempt timeout.
    pub fn configure(&self, schedule: Option<Vec<Duration>>, timeout: Option<Duration>) {
        if let Some(s) = schedule {
            *lock(&self.schedule) = s;
        }
        if let Some(t) = timeout {
            *lock(&self.timeout) = t;
        }
    }

    /// The retry schedule and timeout, as `GET /__sandbox/webhooks` shows them.
    pub fn settings(&self) -> Value {
        let ms = |d: &Duration| d.as_millis() as u64;
        json!({"retry_schedule_ms": lock(&self.schedule).iter().map(ms).collect::<Vec<_>>(),
               "timeout_ms": ms(&lock(&self.timeout))})
    }

    /// Every attempt so far, oldest first.
    pub fn log(&self) -> Vec<Value> {
        lock(&self.log).clone()
    }

    /// Clears the attempt log; returns how many entries it had.
    pub fn clear_log(&self) -> usize {
        let mut log = lock(&self.log);
        let n = log.len();
        log.clear();
        n
    }

    /// Sends `events` to every endpoint that wants them, each message from its own thread: the
    /// caller (an API request) never waits for a receiver.
    pub fn publish(self: &Arc<Self>, events: Vec<(EventType, Value)>) {
        if events.is_empty() || self.closed.load(Ordering::SeqCst) {
            return;
        }
        let endpoints = lock(&self.endpoints).clone();
        for (event, data) in events {
            let body = json!({"event": event.as_str(), "data": data}).to_string().into_bytes();
            for registered in endpoints.iter().filter(|r| r.endpoint.wants(&event)) {
                let message = Message {
                    id: signing::message_id(),
                    event: event.as_str().to_string(),
                    body: body.clone(),
                    endpoint_id: registered.id.clone(),
                    endpoint: registered.endpoint.clone(),
                };
                let me = Arc::clone(self);
                me.in_flight.fetch_add(1, Ordering::SeqCst);
                let spawned = std::thread::Builder::new().name("trillet-sandbox-webhook".into()).spawn({
                    let me = Arc::clone(&me);
                    move || {
                        me.deliver(&message);
                        me.in_flight.fetch_sub(1, Ordering::SeqCst);
                    }
                });
                if spawned.is_err() {
                    me.in_flight.fetch_sub(1, Ordering::SeqCst);
                }
            }
        }
    }

    /// How many messages are still being delivered (attempting or waiting to retry).
    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Stops every delivery: threads waiting to retry give up at once.
    pub fn stop(&self) {
        self.closed.store(true, Ordering::SeqCst);
        *lock(&self.stopped) = true;
        self.wake.notify_all();
    }

    /// Waits `d` unless the sandbox stops first; false when it stopped.
    fn sleep(&self, d: Duration) -> bool {
        let deadline = std::time::Instant::now() + d;
        let mut stopped = lock(&self.stopped);
        while !*stopped {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return true;
            }
            stopped = self.wake.wait_timeout(stopped, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        false
    }

    fn deliver(&self, message: &Message) {
        let schedule = lock(&self.schedule).clone();
        let timeout = *lock(&self.timeout);
        for attempt in 1..=schedule.len() + 1 {
            if attempt > 1 && !self.sleep(schedule[attempt - 2]) {
                return;
            }
            let timestamp = signing::now_unix();
            let headers =
                signing::headers(&message.endpoint, &message.id, timestamp, &message.body).unwrap_or_default();
            let outcome = post(&message.endpoint.url, &headers, &message.body, timeout);
            let (status, error) = match &outcome {
                Ok(status) => (Some(*status), None),
                Err(e) => (None, Some(e.clone())),
            };
            let ok = status.is_some_and(|s| (200..300).contains(&s));
            let last = attempt == schedule.len() + 1;
            let next_retry_ms = (!ok && !last).then(|| schedule[attempt - 1].as_millis() as u64);
            lock(&self.log).push(json!({
                "id": self.next_id("wa"), "message_id": message.id, "endpoint_id": message.endpoint_id,
                "event": message.event, "url": message.endpoint.url, "scheme": message.endpoint.scheme.as_str(),
                "attempt": attempt, "status": status, "ok": ok, "error": error,
                "time": clock::iso(SystemTime::now()), "next_retry_ms": next_retry_ms,
                "payload": serde_json::from_slice::<Value>(&message.body).unwrap_or(Value::Null),
            }));
            if ok {
                return;
            }
        }
    }
}

struct Message {
    id: String,
    event: String,
    body: Vec<u8>,
    endpoint_id: String,
    endpoint: WebhookEndpoint,
}

fn describe(r: &Registered) -> Value {
    json!({"id": r.id, "url": r.endpoint.url, "scheme": r.endpoint.scheme.as_str(), "events": r.endpoint.events})
}

/// `http://host[:port][/path]` → (host, port, path).
fn parse_url(url: &str) -> Result<(String, u16, String), String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        format!("webhook url {url:?} must start with http:// (the sandbox delivers over plain HTTP only)")
    })?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| format!("webhook url {url:?} has an invalid port"))?)
        }
        _ => (authority, 80),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(format!("webhook url {url:?} is not a valid http:// URL"));
    }
    Ok((host.to_string(), port, path.to_string()))
}

/// One POST; the status code, or why there is none (`timeout`, `connect: ...`, `io: ...`).
fn post(url: &str, headers: &[(String, String)], body: &[u8], timeout: Duration) -> Result<u16, String> {
    let (host, port, path) = parse_url(url)?;
    let addr = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| format!("connect: {e}"))?
        .next()
        .ok_or_else(|| "connect: no address".to_string())?;
    let timed_out =
        |e: &std::io::Error| matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| {
        if timed_out(&e) {
            "timeout".to_string()
        } else {
            format!("connect: {e}")
        }
    })?;
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let host_header = if port == 80 { host.clone() } else { format!("{host}:{port}") };
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: trillet-sandbox/{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        env!("CARGO_PKG_VERSION"),
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let io = |e: std::io::Error| if timed_out(&e) { "timeout".to_string() } else { format!("io: {e}") };
    stream.write_all(head.as_bytes()).map_err(io)?;
    stream.write_all(body).map_err(io)?;
    stream.flush().map_err(io)?;
    // The status line is all we need.
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while !got.windows(2).any(|w| w == b"\r\n") && got.len() < 8192 {
        let n = stream.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&got);
    line.split_whitespace()
        .nth(1)
        .filter(|_| line.starts_with("HTTP/"))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| "io: the receiver did not answer with an HTTP status line".to_string())
}

/// `POST /__sandbox/webhooks` body: `{"url","secret","scheme","events"}` (`scheme` defaults to
/// `trillet`, the documented one; `events` to all), plus optional
/// `retry_schedule_ms` / `timeout_ms` (sandbox-wide).
pub(crate) fn endpoint_from_json(body: &Value) -> Result<(Option<WebhookEndpoint>, Settings), String> {
    let obj = body.as_object().ok_or("the body must be a JSON object")?;
    let settings = Settings::from_json(obj)?;
    let url = match obj.get("url") {
        None | Some(Value::Null) if settings.any() => return Ok((None, settings)),
        Some(Value::String(u)) => u.clone(),
        _ => return Err("`url` is required (an http:// URL)".into()),
    };
    let secret = obj.get("secret").and_then(Value::as_str).ok_or("`secret` is required")?.to_string();
    let scheme = match obj.get("scheme") {
        // The documented scheme, what the API sends, unless asked otherwise.
        None | Some(Value::Null) => Scheme::Trillet,
        Some(Value::String(s)) => Scheme::parse(s).ok_or("`scheme` must be \"trillet\" or \"standard\"")?,
        _ => return Err("`scheme` must be \"trillet\" or \"standard\"".into()),
    };
    let events = match obj.get("events") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or("`events` must be an array of event types"))
            .collect::<Result<_, _>>()?,
        _ => return Err("`events` must be an array of event types".into()),
    };
    Ok((Some(WebhookEndpoint { url, secret, scheme, events }), settings))
}

/// Sandbox-wide delivery settings a control request may change.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    /// Waits before each retry.
    pub schedule: Option<Vec<Duration>>,
    /// Per-attempt timeout.
    pub timeout: Option<Duration>,
}

impl Settings {
    fn any(&self) -> bool {
        self.schedule.is_some() || self.timeout.is_some()
    }

    fn from_json(obj: &Map<String, Value>) -> Result<Settings, String> {
        let schedule = match obj.get("retry_schedule_ms") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) if items.len() <= 20 => Some(
                items
                    .iter()
                    .map(|v| v.as_u64().filter(|ms| *ms <= 3_600_000).map(Duration::from_millis))
                    .collect::<Option<Vec<_>>>()
                    .ok_or("`retry_schedule_ms` must be at most 20 waits of 0 to 3600000 ms")?,
            ),
            _ => return Err("`retry_schedule_ms` must be at most 20 waits of 0 to 3600000 ms".into()),
        };
        let timeout = match obj.get("timeout_ms") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .filter(|ms| (1..=600_000).contains(ms))
                    .map(Duration::from_millis)
                    .ok_or("`timeout_ms` must be 1 to 600000")?,
            ),
        };
        Ok(Settings { schedule, timeout })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_plain_http_with_host_port_and_path() {
        assert_eq!(
            parse_url("http://127.0.0.1:8080/hooks?x=1").unwrap(),
            ("127.0.0.1".into(), 8080, "/hooks?x=1".into())
        );
        assert_eq!(parse_url("http://localhost").unwrap(), ("localhost".into(), 80, "/".into()));
        assert_eq!(parse_url("http://[::1]:9/h").unwrap(), ("::1".into(), 9, "/h".into()));
        assert!(parse_url("https://example.com/").is_err());
        assert!(parse_url("http://h:x/").is_err());
        assert!(parse_url("http://h/a b").is_err());
    }

    #[test]
    fn endpoint_bodies_are_checked() {
        let (e, _) = endpoint_from_json(&json!({"url": "http://127.0.0.1:1/", "secret": "whsec_c2VjcmV0"})).unwrap();
        let e = e.unwrap();
        assert_eq!((e.scheme, e.events.len()), (Scheme::Trillet, 0));
        assert!(e.check().is_ok());
        let bad = WebhookEndpoint::new("http://127.0.0.1:1/", "whsec_%%", Scheme::Standard);
        assert!(bad.check().is_err());
        assert!(WebhookEndpoint::new("http://127.0.0.1:1/", "whsec_%%", Scheme::Trillet).check().is_ok());
        assert!(endpoint_from_json(&json!({"url": "http://x/"})).is_err());
        assert!(endpoint_from_json(&json!({"url": "http://x/", "secret": "s", "scheme": "svix"})).is_err());
        let (none, settings) = endpoint_from_json(&json!({"retry_schedule_ms": [10, 20]})).unwrap();
        assert!(none.is_none());
        assert_eq!(settings.schedule.unwrap(), vec![Duration::from_millis(10), Duration::from_millis(20)]);
        assert!(endpoint_from_json(&json!({"retry_schedule_ms": [-1]})).is_err());
    }
}
