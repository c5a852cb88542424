//! One API request, start to finish: log it, apply a queued fault, then check the key, the rate
//! limit and the workspace like the API does, decode the body and run the operation's handler.

use super::faults::{self, Fault};
use super::handlers::{self, Body, Ctx};
use super::multipart;
use super::reply::{ApiError, Reply};
use super::routing::{self, Route};
use super::server::Incoming;
use super::state::{lock, Shared};
use super::store::Store;
use crate::codec::percent_decode;
use serde_json::{json, Map, Value};
use std::time::SystemTime;
use trillet::operations::{BodyKind, Operation};

/// What to do with the connection.
#[derive(Debug)]
pub(crate) enum Action {
    /// Answer.
    Reply(Reply),
    /// Close the connection without answering.
    Reset,
}

/// Serves one API request (anything outside `/__sandbox/`).
pub(crate) fn handle(shared: &Shared, incoming: &Incoming) -> Action {
    let route = routing::route(&incoming.method, &incoming.path);
    let op_id = route.as_ref().map(|r| r.op.id);
    lock(&shared.log).push(log_entry(op_id, incoming));
    let fault = lock(&shared.faults).take(op_id);
    match fault {
        None => {}
        Some(Fault::Delay(d)) => std::thread::sleep(d),
        Some(Fault::Reset) => return Action::Reset,
        Some(Fault::MalformedJson) => {
            return Action::Reply(Reply::raw(200, "application/json", faults::MALFORMED_JSON.as_bytes().to_vec()))
        }
        Some(Fault::DeepJson { status, depth }) => {
            return Action::Reply(Reply::raw(status, "application/json", faults::deep_json(depth)))
        }
        Some(Fault::Oversized(bytes)) => {
            return Action::Reply(Reply::raw(200, "application/json", faults::oversized_body(bytes)))
        }
        Some(Fault::Status { status, body, headers }) => {
            let mut reply = match body {
                None => {
                    ApiError::new(status, &crate::codec::status_code(status), format!("Injected fault: HTTP {status}"))
                        .reply()
                }
                Some(Value::String(text)) => Reply::raw(status, "text/plain; charset=utf-8", text.into_bytes()),
                Some(v) => Reply::json(status, &v),
            };
            reply.status = status;
            reply.headers = headers;
            return Action::Reply(reply);
        }
    }
    Action::Reply(serve(shared, route, incoming).unwrap_or_else(|e| e.reply()))
}

fn serve(shared: &Shared, route: Option<Route>, incoming: &Incoming) -> Result<Reply, ApiError> {
    let Some(route) = route else {
        if routing::path_exists(&incoming.path) {
            return Err(ApiError::new(
                405,
                "method_not_allowed",
                format!("{} is not allowed on {}", incoming.method, incoming.path),
            ));
        }
        return Err(ApiError::new(
            404,
            "not_found",
            format!("No operation matches {} {}", incoming.method, incoming.path),
        ));
    };
    let op = route.op;
    authenticate(shared, op, incoming)?;
    if let Some(limiter) = &shared.limiter {
        let mut window = lock(limiter);
        if let Err(reset_at) = window.admit(SystemTime::now()) {
            let message = format!("Rate limit of {} requests per minute exceeded", window.per_minute());
            let body = json!({"error": {"code": "rate_limit_exceeded", "message": message,
                                        "reset_at": super::clock::iso(reset_at)}});
            return Ok(Reply::json(429, &body).header("Retry-After", super::clock::seconds_until(reset_at).to_string()));
        }
    }
    let body = decode_body(op, incoming)?;
    let query = parse_query(&incoming.query);
    let mut store = lock(&shared.store);
    let sent = incoming.header("x-workspace-id").is_some_and(|w| !w.trim().is_empty());
    let workspace = if op.auth.requires_workspace() || (op.auth.sends_workspace() && sent) {
        Some(check_workspace(&store, &route, incoming)?)
    } else {
        None
    };
    let mut ctx = Ctx::new(op, route.params, query, body, workspace, &mut store);
    let reply = handlers::dispatch(&mut ctx)?;
    let events = handlers::events_for(&mut ctx, &reply);
    drop(ctx);
    drop(store);
    // Sent from threads of their own: the answer never waits for a webhook receiver.
    shared.webhooks.publish(events);
    Ok(reply)
}

fn authenticate(shared: &Shared, op: &Operation, incoming: &Incoming) -> Result<(), ApiError> {
    if !op.auth.sends_key() {
        return Ok(());
    }
    // The documented spelling, or the official web SDK's `X-API_KEY` (underscore).
    let key = incoming.header("x-api-key").or_else(|| incoming.header("x-api_key"));
    match key.map(str::trim) {
        None | Some("") => Err(ApiError::new(401, "unauthorized", "Missing API key: send it in the x-api-key header")),
        Some(key) if constant_time_eq(key.as_bytes(), shared.api_key.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(401, "unauthorized", "Invalid API key")),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The workspace a request acts in: the `x-workspace-id` header, which must name a workspace of
/// the sandbox and, where the path names one, the same one.
fn check_workspace(store: &Store, route: &Route, incoming: &Incoming) -> Result<String, ApiError> {
    let ws = incoming.header("x-workspace-id").map(str::trim).filter(|w| !w.is_empty()).ok_or_else(|| {
        ApiError::bad_request("missing_workspace_id", "The x-workspace-id header is required for this operation")
    })?;
    if let Some((_, in_path)) = route.params.iter().find(|(name, _)| *name == "workspaceId") {
        if in_path != ws {
            return Err(ApiError::new(
                403,
                "forbidden",
                "The x-workspace-id header must name the workspace in the path",
            ));
        }
        if !store.has_workspace(ws) {
            return Err(ApiError::not_found("Workspace", ws));
        }
    }
    if !store.has_workspace(ws) {
        return Err(ApiError::new(403, "forbidden", format!("Workspace {ws} is not accessible with this API key")));
    }
    Ok(ws.to_string())
}

fn decode_body(op: &Operation, incoming: &Incoming) -> Result<Body, ApiError> {
    match op.body {
        BodyKind::None => Ok(Body::None),
        BodyKind::Json => {
            if incoming.body.iter().all(u8::is_ascii_whitespace) {
                return Ok(Body::None);
            }
            serde_json::from_slice(&incoming.body)
                .map(Body::Json)
                .map_err(|e| ApiError::bad_request("invalid_json", format!("The request body is not valid JSON: {e}")))
        }
        BodyKind::Multipart => {
            let content_type = incoming.header("content-type").unwrap_or_default();
            let boundary = multipart::boundary(content_type).ok_or_else(|| {
                ApiError::bad_request("invalid_content_type", format!("{} expects a multipart/form-data upload", op.id))
            })?;
            multipart::parse(&incoming.body, &boundary)
                .map(Body::Form)
                .map_err(|e| ApiError::bad_request("invalid_multipart", format!("Invalid multipart body: {e}")))
        }
        // A body kind the table gained after this sandbox was written.
        _ => Err(ApiError::new(501, "not_implemented", format!("The sandbox cannot read the body of {}", op.id))),
    }
}

/// `a=1&b=x%20y` → `[("a","1"),("b","x y")]` (`+` reads as a space).
pub(crate) fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&k.replace('+', " ")), percent_decode(&v.replace('+', " ")))
        })
        .collect()
}

/// Headers whose values never reach the request log (names as the server stores them, lower
/// case): the API key in the spelling the API documents (`x-api-key`) and the one the spec's SDK
/// examples use (`x-api_key`), and any `authorization` credentials.
const SECRET_HEADERS: [&str; 3] = ["x-api-key", "x-api_key", "authorization"];

/// The request-log entry of the contract:
/// `{"operation","method","path","query","headers","body"}` with the secret headers redacted.
fn log_entry(operation: Option<&str>, incoming: &Incoming) -> Value {
    let mut headers = Map::new();
    for (name, value) in &incoming.headers {
        let value = if SECRET_HEADERS.contains(&name.as_str()) { "<redacted>".to_string() } else { value.clone() };
        match headers.get_mut(name) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(&value);
            }
            _ => {
                headers.insert(name.clone(), Value::String(value));
            }
        }
    }
    let body = if incoming.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&incoming.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&incoming.body).into_owned()))
    };
    json!({"operation": operation, "method": incoming.method, "path": incoming.path, "query": incoming.query,
           "headers": headers, "body": body})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_are_decoded() {
        assert_eq!(
            parse_query("page=2&search=a+b%2Bc&flag&&x=%E2%9C%93"),
            vec![
                ("page".to_string(), "2".to_string()),
                ("search".to_string(), "a b+c".to_string()),
                ("flag".to_string(), String::new()),
                ("x".to_string(), "✓".to_string()),
            ]
        );
        assert!(parse_query("").is_empty());
    }

    #[test]
    fn log_entries_redact_the_key_and_keep_the_body() {
        let incoming = Incoming {
            method: "POST".into(),
            path: "/v1/api/agents".into(),
            query: "a=1".into(),
            headers: vec![
                ("x-api-key".into(), "sk_secret".into()),
                ("accept".into(), "a".into()),
                ("accept".into(), "b".into()),
            ],
            body: br#"{"name":"x"}"#.to_vec(),
        };
        let e = log_entry(Some("agents.create"), &incoming);
        assert_eq!(
            e,
            json!({"operation": "agents.create", "method": "POST", "path": "/v1/api/agents", "query": "a=1",
                   "headers": {"x-api-key": "<redacted>", "accept": "a, b"}, "body": {"name": "x"}})
        );
        assert!(!e.to_string().contains("sk_secret"));
        let text = Incoming { body: b"a,b\n".to_vec(), ..Incoming::default() };
        assert_eq!(log_entry(None, &text)["body"], "a,b\n");
        assert_eq!(log_entry(None, &Incoming::default())["operation"], Value::Null);
        assert_eq!(log_entry(None, &Incoming::default())["body"], Value::Null);
    }

    #[test]
    fn log_entries_redact_every_spelling_of_the_key_and_authorization() {
        let incoming = Incoming {
            headers: vec![
                ("x-api_key".into(), "sk_underscore".into()),
                ("authorization".into(), "Bearer sk_bearer".into()),
                ("x-workspace-id".into(), "ws1".into()),
            ],
            ..Incoming::default()
        };
        let e = log_entry(None, &incoming);
        assert_eq!(
            e["headers"],
            json!({"x-api_key": "<redacted>", "authorization": "<redacted>", "x-workspace-id": "ws1"})
        );
        assert!(!e.to_string().contains("sk_"), "{e}");
    }
}
