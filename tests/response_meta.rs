//! Response metadata — status, `x-request-id`, attempts, elapsed time — on success and on failure,
//! from the Rust API and from the C ABI's `trillet_call_with_meta`, against the sandbox.

mod ffi_support;

use ffi_support::*;
use serde_json::{json, Value};
use std::os::raw::c_char;
use std::ptr;
use trillet::ffi::*;
use trillet_sandbox::{Sandbox, SandboxOptions};

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).unwrap()
}

fn ffi_client(sandbox: &Sandbox) -> *mut TrilletClient {
    let config = json!({"api_key": sandbox.api_key(), "workspace_id": sandbox.workspace_id(),
                        "base_url": sandbox.url(), "max_retries": 2, "ignore_env": true});
    client(&config.to_string())
}

/// `trillet_call_with_meta`: (status, out_json, out_meta).
fn call_meta(client: *const TrilletClient, op: &str, req: &str) -> (i32, String, Value) {
    let (op, req) = (c(op), c(req));
    let mut out: *mut c_char = ptr::null_mut();
    let mut meta: *mut c_char = ptr::null_mut();
    let status = unsafe { trillet_call_with_meta(client, op.as_ptr(), req.as_ptr(), &mut out, &mut meta) };
    assert!(!meta.is_null(), "meta is always written when out_json is given");
    (status, take(out), json(&take(meta)))
}

#[test]
fn a_success_reports_status_request_id_and_one_attempt() {
    let sandbox = sandbox();
    let client = sandbox.client_builder().build().unwrap();
    let op = trillet::operations::find("agents.list").unwrap();
    let response = client.execute(op, &trillet::Request::new()).unwrap();
    assert_eq!(response.attempts, 1);
    let id = response.request_id.clone().expect("the sandbox sends x-request-id");
    assert!(id.starts_with("req_"), "{id}");
    let meta = response.meta();
    assert_eq!((meta.status, meta.request_id.as_deref(), meta.attempts), (Some(200), Some(id.as_str()), 1));
    let wire: Value = serde_json::from_str(&meta.to_json()).unwrap();
    assert_eq!(wire["status"], 200);
    assert_eq!(wire["request_id"], id.as_str());
    assert!(wire["elapsed_ms"].is_u64());
    let keys: Vec<&String> = wire.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "{wire}");
}

#[test]
fn retries_are_counted_and_their_waits_are_in_elapsed() {
    let sandbox = sandbox();
    sandbox
        .queue_fault("agents.list", 2, json!({"type": "status", "status": 503, "headers": {"Retry-After": "0"}}))
        .unwrap();
    let client = ffi_client(&sandbox);
    let (status, body, meta) = call_meta(client, "agents.list", "{}");
    assert_eq!((status, body.as_str()), (0, "[]"));
    assert_eq!(meta["attempts"], 3, "{meta}");
    assert_eq!(meta["status"], 200);
    assert!(meta["request_id"].as_str().unwrap().starts_with("req_"));
    // A slow answer shows in elapsed_ms.
    sandbox.queue_fault("agents.list", 1, json!({"type": "delay", "ms": 120})).unwrap();
    let (_, _, meta) = call_meta(client, "agents.list", "{}");
    assert!(meta["elapsed_ms"].as_u64().unwrap() >= 120, "{meta}");
    unsafe { trillet_client_free(client) };
}

#[test]
fn a_failure_reports_the_last_status_and_attempts_too() {
    let sandbox = sandbox();
    sandbox
        .queue_fault("agents.get", 3, json!({"type": "status", "status": 503, "headers": {"Retry-After": "0"}}))
        .unwrap();
    let client = ffi_client(&sandbox);
    let (status, body, meta) = call_meta(client, "agents.get", r#"{"path":{"agentId":"x"}}"#);
    assert_eq!(status, TrilletStatus::TRILLET_ERR_API.code());
    assert_eq!(json(&body)["error"]["status"], 503);
    assert_eq!((meta["status"].clone(), meta["attempts"].clone()), (json!(503), json!(3)), "{meta}");
    assert_eq!(meta["request_id"], json(&body)["error"]["request_id"]);
    // Refused before sending: no attempt, no status.
    let (status, _, meta) = call_meta(client, "agents.get", "{}");
    assert_eq!(status, TrilletStatus::TRILLET_ERR_INVALID_INPUT.code());
    assert_eq!(meta, json!({"status": null, "request_id": null, "attempts": 0, "elapsed_ms": meta["elapsed_ms"]}));
    let (status, _, meta) = call_meta(client, "no.such_op", "{}");
    assert_eq!(status, TrilletStatus::TRILLET_ERR_INVALID_INPUT.code());
    assert_eq!(meta["attempts"], 0);
    unsafe { trillet_client_free(client) };
}

#[test]
fn null_out_pointers_are_handled() {
    let sandbox = sandbox();
    let client = ffi_client(&sandbox);
    let (op, req) = (c("agents.list"), c("{}"));
    // No meta wanted: the same as trillet_call.
    let mut out: *mut c_char = ptr::null_mut();
    let status = unsafe { trillet_call_with_meta(client, op.as_ptr(), req.as_ptr(), &mut out, ptr::null_mut()) };
    assert_eq!((status, take(out).as_str()), (0, "[]"));
    // No out_json: nothing is done, and meta is left NULL.
    let mut meta: *mut c_char = std::ptr::dangling_mut::<c_char>();
    let status = unsafe { trillet_call_with_meta(client, op.as_ptr(), req.as_ptr(), ptr::null_mut(), &mut meta) };
    assert_eq!(status, TrilletStatus::TRILLET_ERR_INVALID_INPUT.code());
    assert!(meta.is_null());
    assert_eq!(sandbox.requests().iter().filter(|r| r["operation"] == "agents.list").count(), 1);
    // A NULL client is an invalid_input error with meta saying nothing was sent.
    let mut out: *mut c_char = ptr::null_mut();
    let mut meta: *mut c_char = ptr::null_mut();
    let status = unsafe { trillet_call_with_meta(ptr::null(), op.as_ptr(), req.as_ptr(), &mut out, &mut meta) };
    assert_eq!(status, TrilletStatus::TRILLET_ERR_INVALID_INPUT.code());
    assert_eq!(json(&take(out))["error"]["code"], "null_argument");
    assert_eq!(json(&take(meta))["attempts"], 0);
    unsafe { trillet_client_free(client) };
}
