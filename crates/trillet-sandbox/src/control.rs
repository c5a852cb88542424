//! The control endpoints under `/__sandbox/` (no auth): queue faults, read or clear the request
//! log, reset everything, check health. Used by tests in every language.

use super::faults::Fault;
use super::reply::{ApiError, Reply};
use super::server::Incoming;
use super::state::{lock, Shared};
use serde_json::{json, Value};
use trillet::operations;

/// Serves a request under `/__sandbox/`.
pub(crate) fn handle(shared: &Shared, incoming: &Incoming) -> Reply {
    let path = incoming.path.trim_end_matches('/');
    let result = match (incoming.method.as_str(), path) {
        ("POST", "/__sandbox/faults") => parse_json(&incoming.body)
            .and_then(|body| queue_fault(shared, &body))
            .map(|queued| Reply::json(200, &json!({"queued": queued}))),
        ("GET", "/__sandbox/faults") => Ok(Reply::json(200, &lock(&shared.faults).describe())),
        ("DELETE", "/__sandbox/faults") => {
            lock(&shared.faults).clear();
            Ok(Reply::json(200, &json!({"cleared": true})))
        }
        ("GET", "/__sandbox/requests") => Ok(Reply::json(200, &Value::Array(lock(&shared.log).clone()))),
        ("DELETE", "/__sandbox/requests") => {
            let mut log = lock(&shared.log);
            let cleared = log.len();
            log.clear();
            Ok(Reply::json(200, &json!({"cleared": cleared})))
        }
        ("POST", "/__sandbox/reset") => {
            shared.reset();
            Ok(Reply::json(200, &json!({"reset": true})))
        }
        ("POST", "/__sandbox/webhooks") => parse_json(&incoming.body).and_then(|body| {
            let (endpoint, settings) =
                super::webhooks::endpoint_from_json(&body).map_err(|m| ApiError::bad_request("invalid_webhook", m))?;
            shared.webhooks.configure(settings.schedule, settings.timeout);
            let added = match endpoint {
                Some(e) => shared.webhooks.add(e).map_err(|m| ApiError::bad_request("invalid_webhook", m))?,
                None => Value::Null,
            };
            Ok(Reply::json(200, &json!({"endpoint": added, "settings": shared.webhooks.settings()})))
        }),
        ("GET", "/__sandbox/webhooks") => Ok(Reply::json(
            200,
            &json!({"endpoints": shared.webhooks.list(), "settings": shared.webhooks.settings()}),
        )),
        ("DELETE", "/__sandbox/webhooks") => {
            let id = super::pipeline::parse_query(&incoming.query).into_iter().find(|(k, _)| k == "id").map(|(_, v)| v);
            Ok(Reply::json(200, &json!({"removed": shared.webhooks.remove(id.as_deref())})))
        }
        ("GET", "/__sandbox/webhooks/deliveries") => Ok(Reply::json(200, &Value::Array(shared.webhooks.log()))),
        ("DELETE", "/__sandbox/webhooks/deliveries") => {
            Ok(Reply::json(200, &json!({"cleared": shared.webhooks.clear_log()})))
        }
        ("GET", "/__sandbox/health") => Ok(Reply::json(
            200,
            &json!({"status": "ok", "base_url": shared.base_url, "workspace_id": shared.workspace_id,
                    "operations": operations::OPERATIONS.len(),
                    "rate_limit_per_minute": shared.limiter.as_ref().map(|l| lock(l).per_minute())}),
        )),
        _ => Err(ApiError::new(
            404,
            "not_found",
            format!(
                "No sandbox control endpoint {} {} (see POST /__sandbox/faults, GET|DELETE /__sandbox/requests, POST|GET|DELETE /__sandbox/webhooks, GET /__sandbox/webhooks/deliveries, POST /__sandbox/reset)",
                incoming.method, incoming.path
            ),
        )),
    };
    result.unwrap_or_else(|e| e.reply())
}

fn parse_json(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("The request body is not valid JSON: {e}")))
}

/// Queues a fault from `{"operation": "<op id>" | "*", "count": N, "fault": F}`; returns N.
pub(crate) fn queue_fault(shared: &Shared, body: &Value) -> Result<u32, ApiError> {
    let operation = body.get("operation").and_then(Value::as_str).ok_or_else(|| {
        ApiError::bad_request("invalid_fault", "`operation` must be an operation id (see `trillet ops`) or \"*\"")
    })?;
    if operation != "*" && operations::find(operation).is_none() {
        return Err(ApiError::bad_request("unknown_operation", format!("unknown operation {operation:?}")));
    }
    let count = match body.get("count") {
        None | Some(Value::Null) => 1,
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=u64::from(u32::MAX)).contains(n))
            .ok_or_else(|| ApiError::bad_request("invalid_fault", "`count` must be a whole number of at least 1"))?
            as u32,
    };
    let fault = body
        .get("fault")
        .ok_or_else(|| ApiError::bad_request("invalid_fault", "`fault` is required"))
        .and_then(|f| Fault::parse(f).map_err(|m| ApiError::bad_request("invalid_fault", m)))?;
    lock(&shared.faults).push(operation, count, fault);
    Ok(count)
}
