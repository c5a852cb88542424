//! The one error type of the crate, the parser for every error shape the API sends, and the
//! error JSON shared by every language (`{"error":{"kind","code","message","status",...}}`).

use serde_json::{json, Value};
use std::fmt;
use std::time::Duration;

/// Non-JSON error bodies (an HTML 502 page) are kept up to this many bytes.
pub(crate) const MAX_TEXT_BODY: usize = 2048;

/// Everything that can go wrong in a call.
///
/// Each variant has a stable machine [`kind`](Error::kind) and a [`code`](Error::code): the API's
/// own code when it sent one, otherwise a stable code of ours.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status.
    Api {
        /// HTTP status.
        status: u16,
        /// The API's error code (`invalid_number`, `rate_limit_exceeded`), else one named after
        /// the status (`not_found`, `service_unavailable`, ..., `http_<status>` for the rest).
        code: String,
        /// Human-readable message, from the body when it had one.
        message: String,
        /// The `x-request-id` response header, when present.
        request_id: Option<String>,
        /// How long the server asked us to wait (`Retry-After` or the body's `reset_at`).
        retry_after: Option<Duration>,
        /// The raw response body (non-JSON bodies, and JSON nested too deeply to hand on,
        /// truncated to 2 KiB).
        body: String,
    },
    /// The request did not complete within its deadline.
    Timeout {
        /// What timed out.
        message: String,
    },
    /// No connection could be made (DNS, refused, TLS); the request was never sent.
    Connect {
        /// What failed.
        message: String,
    },
    /// The connection failed after the request may have been sent (reset mid-response).
    Io {
        /// What failed.
        message: String,
    },
    /// A 2xx response whose body is not what the operation promises (invalid JSON, JSON nested
    /// 128 levels or deeper, a body over the size limit, or a shape the typed model rejects).
    Decode {
        /// What could not be decoded.
        message: String,
        /// The start of the offending body.
        snippet: String,
    },
    /// The request was refused before anything was sent.
    InvalidInput {
        /// Stable code (`invalid_input`, `unknown_operation`, `missing_path_param`, `invalid_number`, ...).
        code: String,
        /// What is wrong.
        message: String,
    },
    /// The call was stopped by a [`CancelToken`](crate::CancelToken) or by
    /// [`Client::close`](crate::Client::close) before it completed. Never retried.
    Cancelled {
        /// `false` (code `not_sent`): no byte of any attempt's HTTP request reached the network,
        /// so the API cannot have acted on it and sending it again is safe. `true` (code
        /// `maybe_sent`): the API may have acted on it (a phone call placed, a number bought);
        /// check before sending a POST again.
        maybe_sent: bool,
        /// Where the call was when it was stopped.
        message: String,
    },
    /// A bug inside the library, caught where a panic would otherwise cross the C ABI. Rust
    /// callers never receive it (a panic in Rust stays a panic); C, Python and Go see it as kind
    /// `panic` (`TRILLET_ERR_PANIC`).
    Panic {
        /// What panicked (the panic's message).
        message: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an [`Error::InvalidInput`].
    pub fn invalid(code: &str, message: impl Into<String>) -> Error {
        Error::InvalidInput { code: code.to_string(), message: message.into() }
    }

    /// The stable kind: `api`, `timeout`, `connect`, `io`, `decode`, `invalid_input`,
    /// `cancelled` or `panic`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "api",
            Error::Timeout { .. } => "timeout",
            Error::Connect { .. } => "connect",
            Error::Io { .. } => "io",
            Error::Decode { .. } => "decode",
            Error::InvalidInput { .. } => "invalid_input",
            Error::Cancelled { .. } => "cancelled",
            Error::Panic { .. } => "panic",
        }
    }

    /// The machine code: the API's code when it sent one, else ours.
    pub fn code(&self) -> &str {
        match self {
            Error::Api { code, .. } | Error::InvalidInput { code, .. } => code,
            Error::Timeout { .. } => "timeout",
            Error::Connect { .. } => "connection_failed",
            Error::Io { .. } => "connection_lost",
            Error::Decode { .. } => "invalid_response",
            Error::Cancelled { maybe_sent: false, .. } => "not_sent",
            Error::Cancelled { maybe_sent: true, .. } => "maybe_sent",
            Error::Panic { .. } => "panic",
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        match self {
            Error::Api { message, .. }
            | Error::Timeout { message }
            | Error::Connect { message }
            | Error::Io { message }
            | Error::Decode { message, .. }
            | Error::InvalidInput { message, .. }
            | Error::Cancelled { message, .. }
            | Error::Panic { message } => message,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id of an API error, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// How long the server asked us to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The error as the JSON value shared by every language:
    /// `{"error":{"kind","code","message","status","request_id","retry_after","body"}}`.
    /// `retry_after` is in seconds; `body` is the API's body (JSON when it was JSON).
    pub fn to_json_value(&self) -> Value {
        // to_json only embeds bodies that parse as a Value, so this cannot fail; stay total anyway.
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }

    /// The error JSON as text, keys in the documented order. A JSON error body from the API is
    /// embedded byte for byte (never re-serialized); any other body as a string.
    pub fn to_json(&self) -> String {
        let text = |v: &str| serde_json::to_string(v).expect("a string always serializes");
        let opt = |v: Option<&str>| v.map_or_else(|| "null".to_string(), text);
        let body = match self {
            // A strict check (a lone surrogate or 1e400 passes a lenient one but not Value): what
            // is embedded must parse back in every language.
            Error::Api { body, .. } if serde_json::from_str::<Value>(body).is_ok() => body.trim().to_string(),
            Error::Api { body, .. } => text(body),
            Error::Decode { snippet, .. } => text(snippet),
            _ => "null".to_string(),
        };
        format!(
            r#"{{"error":{{"kind":{},"code":{},"message":{},"status":{},"request_id":{},"retry_after":{},"body":{}}}}}"#,
            text(self.kind()),
            text(self.code()),
            text(self.message()),
            self.status().map_or_else(|| "null".to_string(), |s| s.to_string()),
            opt(self.request_id()),
            self.retry_after().map_or_else(|| "null".to_string(), |d| json!(d.as_secs_f64()).to_string()),
            body,
        )
    }

    /// Rebuilds an error from its JSON form (what [`to_json`](Error::to_json) produces).
    /// Returns `None` when the value is not an error object.
    pub fn from_json_value(value: &Value) -> Option<Error> {
        let e = value.get("error")?.as_object()?;
        let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let message = text("message");
        Some(match e.get("kind")?.as_str()? {
            "api" => Error::Api {
                status: e.get("status").and_then(Value::as_u64).unwrap_or(0) as u16,
                code: text("code"),
                message,
                request_id: e.get("request_id").and_then(Value::as_str).map(str::to_string),
                retry_after: e.get("retry_after").and_then(Value::as_f64).map(Duration::from_secs_f64),
                body: match e.get("body") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(v) => v.to_string(),
                },
            },
            "timeout" => Error::Timeout { message },
            "connect" => Error::Connect { message },
            "io" => Error::Io { message },
            "decode" => Error::Decode { message, snippet: text("body") },
            "panic" => Error::Panic { message },
            "cancelled" => Error::Cancelled { maybe_sent: text("code") != "not_sent", message },
            _ => Error::InvalidInput { code: text("code"), message },
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, code, message, request_id, .. } => {
                write!(f, "trillet API error {status} ({code}): {message}")?;
                if let Some(id) = request_id {
                    write!(f, " [request {id}]")?;
                }
                Ok(())
            }
            Error::Timeout { message } => write!(f, "request timed out: {message}"),
            // The message names the host (and proxy) itself: "could not connect to host:443 ...".
            Error::Connect { message } if message.starts_with("could not connect") => f.write_str(message),
            Error::Connect { message } => write!(f, "could not connect: {message}"),
            Error::Io { message } => write!(f, "connection failed mid-request: {message}"),
            Error::Decode { message, .. } => write!(f, "could not decode response: {message}"),
            Error::InvalidInput { code, message } => write!(f, "invalid input ({code}): {message}"),
            Error::Cancelled { maybe_sent, message } => {
                let sent = if *maybe_sent { "maybe_sent: the API may have acted on it" } else { "not_sent" };
                write!(f, "request cancelled ({sent}): {message}")
            }
            Error::Panic { message } => write!(f, "internal error in the trillet library: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// What an error body says, whichever shape it came in.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct ErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub reset_at: Option<String>,
}

/// Parses an error body in any shape the API is known to send:
/// nested `{"error":{"code","message","reset_at"}}`, flat `{"error":"…","message":"…"}`,
/// `{"message":"…"}`, `{"success":false,"message":"…"}`, or not JSON at all.
pub(crate) fn parse_error_body(body: &str) -> ErrorBody {
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) else {
        return ErrorBody::default();
    };
    let string = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let mut out = ErrorBody::default();
    match obj.get("error") {
        Some(Value::Object(inner)) => {
            out.code = string(inner.get("code"));
            out.message = string(inner.get("message"));
            out.reset_at = string(inner.get("reset_at"));
        }
        Some(Value::String(s)) => {
            // Flat shape: `error` is either a code-like word or a sentence.
            if is_code_like(s) {
                out.code = Some(s.clone());
            } else {
                out.message = Some(s.clone());
            }
        }
        _ => {}
    }
    if out.code.is_none() {
        out.code = string(obj.get("code"));
    }
    if let Some(m) = string(obj.get("message")) {
        match &out.message {
            // The flat form may carry both a short `error` and a longer `message`.
            Some(first) if !first.is_empty() => out.message = Some(format!("{first}: {m}")),
            _ => out.message = Some(m),
        }
    }
    if out.reset_at.is_none() {
        out.reset_at = string(obj.get("reset_at"));
    }
    out
}

/// A JSON (serde) error in the reader's words: serde names what it expected with Rust's types
/// (`expected u64`, `expected struct ClientConfig`, `a sequence`); those become the JSON
/// reader's (`a non-negative whole number`, `an object`, `an array`).
pub(crate) fn plain_json_error(e: &serde_json::Error) -> String {
    plain_rust_terms(&e.to_string())
}

/// An I/O error in the reader's words: the system's message without Rust's `(os error N)`.
pub(crate) fn plain_io_error(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// Replaces Rust type names in a message (see [`plain_json_error`]).
pub(crate) fn plain_rust_terms(text: &str) -> String {
    const WORDS: [(&str, &str); 19] = [
        ("u8", "a non-negative whole number"),
        ("u16", "a non-negative whole number"),
        ("u32", "a non-negative whole number"),
        ("u64", "a non-negative whole number"),
        ("u128", "a non-negative whole number"),
        ("usize", "a non-negative whole number"),
        ("i8", "a whole number"),
        ("i16", "a whole number"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("i128", "a whole number"),
        ("isize", "a whole number"),
        ("f32", "a number"),
        ("f64", "a number"),
        ("a sequence", "an array"),
        ("a map", "an object"),
        ("a boolean", "true or false"),
        ("unit value", "null"),
        ("a borrowed string", "a string"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let at_word = out.chars().last().is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        // `struct Name` / `enum Name` / `tuple struct Name`: the Rust type's name goes.
        if at_word {
            if let Some(after) = ["tuple struct ", "struct ", "enum "].iter().find_map(|k| rest.strip_prefix(k)) {
                let end =
                    after.find(|c: char| !(c.is_ascii_alphanumeric() || "_:<>".contains(c))).unwrap_or(after.len());
                if end > 0 {
                    let noun = if rest.starts_with("enum ") { "one of the allowed values" } else { "an object" };
                    out.push_str(noun);
                    rest = &after[end..];
                    continue;
                }
            }
            let word_end = |w: &str| {
                rest.strip_prefix(w)
                    .is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_'))
            };
            if let Some((w, plain)) = WORDS.iter().find(|(w, _)| word_end(w)) {
                out.push_str(plain);
                rest = &rest[w.len()..];
                continue;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn is_code_like(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Truncates text to at most `max` bytes on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// A default code for a status without one in the body.
pub(crate) fn status_code_name(status: u16) -> String {
    match status {
        400 => "bad_request".into(),
        401 => "unauthorized".into(),
        403 => "forbidden".into(),
        404 => "not_found".into(),
        408 => "request_timeout".into(),
        409 => "conflict".into(),
        413 => "payload_too_large".into(),
        422 => "unprocessable_entity".into(),
        429 => "rate_limit_exceeded".into(),
        500 => "internal_server_error".into(),
        502 => "bad_gateway".into(),
        503 => "service_unavailable".into(),
        504 => "gateway_timeout".into(),
        s => format!("http_{s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_shape() {
        let b = parse_error_body(
            r#"{"error":{"code":"rate_limit_exceeded","message":"Too many","reset_at":"2024-01-22T15:30:00Z"}}"#,
        );
        assert_eq!(b.code.as_deref(), Some("rate_limit_exceeded"));
        assert_eq!(b.message.as_deref(), Some("Too many"));
        assert_eq!(b.reset_at.as_deref(), Some("2024-01-22T15:30:00Z"));
    }

    #[test]
    fn flat_shapes() {
        let b = parse_error_body(r#"{"error":"Batch not found","message":"No batch with that id","id":"x"}"#);
        assert_eq!(b.code, None);
        assert_eq!(b.message.as_deref(), Some("Batch not found: No batch with that id"));
        let b = parse_error_body(r#"{"error":"invalid_number","message":"bad"}"#);
        assert_eq!(b.code.as_deref(), Some("invalid_number"));
        assert_eq!(b.message.as_deref(), Some("bad"));
        let b = parse_error_body(r#"{"message":"Agent not found"}"#);
        assert_eq!(b.message.as_deref(), Some("Agent not found"));
        let b = parse_error_body("<html>502</html>");
        assert_eq!(b, ErrorBody::default());
    }

    #[test]
    fn error_json_round_trips() {
        let e = Error::Api {
            status: 400,
            code: "invalid_number".into(),
            message: "bad".into(),
            request_id: Some("req_1".into()),
            retry_after: Some(Duration::from_secs(2)),
            body: r#"{"error":{"code":"invalid_number"}}"#.into(),
        };
        let v = e.to_json_value();
        assert_eq!(v["error"]["kind"], "api");
        assert_eq!(v["error"]["status"], 400);
        assert_eq!(v["error"]["retry_after"], 2.0);
        assert_eq!(v["error"]["body"]["error"]["code"], "invalid_number");
        assert_eq!(Error::from_json_value(&v).unwrap().code(), "invalid_number");
        let t = Error::Timeout { message: "x".into() };
        assert_eq!(Error::from_json_value(&t.to_json_value()), Some(t));
        let p = Error::Panic { message: "boom".into() };
        assert_eq!(
            p.to_json(),
            r#"{"error":{"kind":"panic","code":"panic","message":"boom","status":null,"request_id":null,"retry_after":null,"body":null}}"#
        );
        assert_eq!(Error::from_json_value(&p.to_json_value()), Some(p));
        for (maybe_sent, code) in [(false, "not_sent"), (true, "maybe_sent")] {
            let c = Error::Cancelled { maybe_sent, message: "stopped".into() };
            assert_eq!(
                c.to_json(),
                format!(
                    r#"{{"error":{{"kind":"cancelled","code":"{code}","message":"stopped","status":null,"request_id":null,"retry_after":null,"body":null}}}}"#
                )
            );
            assert_eq!(Error::from_json_value(&c.to_json_value()), Some(c));
        }
        // Keys in the documented order, and the API's JSON body embedded as it was sent.
        assert!(e
            .to_json()
            .starts_with(r#"{"error":{"kind":"api","code":"invalid_number","message":"bad","status":400,"#));
        assert!(
            e.to_json().ends_with(r#""retry_after":2.0,"body":{"error":{"code":"invalid_number"}}}}"#),
            "{}",
            e.to_json()
        );
        let html = Error::Api {
            status: 502,
            code: "bad_gateway".into(),
            message: "HTTP 502".into(),
            request_id: None,
            retry_after: None,
            body: "<html>\"x\"</html>".into(),
        };
        assert_eq!(html.to_json_value()["error"]["body"], "<html>\"x\"</html>");
        for odd in [r#"{"a":"\ud800"}"#, "[1e400]"] {
            let e = Error::Api {
                status: 500,
                code: "x".into(),
                message: "m".into(),
                request_id: None,
                retry_after: None,
                body: odd.into(),
            };
            assert_eq!(e.to_json_value()["error"]["body"], odd, "kept as text, never a panic");
        }
    }

    #[test]
    fn serde_errors_read_without_rust_type_names() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Settings {
            timeout_ms: u64,
            ratio: f64,
            tags: Vec<String>,
        }
        let cases = [
            (r#"{"timeout_ms":"5"}"#, "expected a non-negative whole number"),
            (r#"{"timeout_ms":-1}"#, "expected a non-negative whole number"),
            (r#"{"timeout_ms":1,"ratio":"x"}"#, "expected a number"),
            (r#"{"timeout_ms":1,"ratio":1,"tags":{}}"#, "expected an array"),
            ("[1]", "expected an object"),
        ];
        for (json, plain) in cases {
            let e = serde_json::from_str::<Settings>(json).unwrap_err();
            let shown = plain_json_error(&e);
            assert!(shown.contains(plain), "{json}: {shown}");
            for rust in ["u64", "f64", "struct", "Settings", "sequence"] {
                assert!(!shown.contains(rust), "{json}: {shown}");
            }
        }
        assert_eq!(plain_rust_terms("u64s and u64, i32"), "u64s and a non-negative whole number, a whole number");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        let s = "é".repeat(3000);
        let t = truncate(&s, MAX_TEXT_BODY);
        assert!(t.len() <= MAX_TEXT_BODY + 3);
        assert!(t.ends_with('…'));
    }
}
