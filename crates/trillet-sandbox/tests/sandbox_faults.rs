//! Every fault type of the sandbox, observed through the Rust client as the right error kind or
//! retry, with the request log counting what reached the server.

use serde_json::{json, Value};
use std::time::{Duration, Instant};
use trillet::Client;
use trillet_sandbox::{Sandbox, SandboxOptions};

fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().max_retries(2).timeout(Duration::from_secs(10)).build().unwrap();
    (sandbox, client)
}

fn ops_seen(sandbox: &Sandbox, op: &str) -> usize {
    sandbox.requests().iter().filter(|r| r["operation"] == op).count()
}

#[test]
fn status_503_twice_on_a_get_is_retried_until_it_succeeds() {
    let (sandbox, client) = start();
    let queued = sandbox
        .queue_fault("agents.list", 2, json!({"type": "status", "status": 503, "headers": {"Retry-After": "0"}}))
        .unwrap();
    assert_eq!(queued, 2);
    let agents = client.call("agents.list", json!({})).unwrap();
    assert_eq!(agents, json!([]));
    assert_eq!(ops_seen(&sandbox, "agents.list"), 3, "two 503s, then the answer");
}

#[test]
fn status_503_on_a_post_is_never_sent_twice() {
    let (sandbox, client) = start();
    sandbox.queue_fault("calls.initiate", 1, json!({"type": "status", "status": 503})).unwrap();
    let e = client
        .call("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": "665a1b2c3d4e5f6a7b8c9d0e"}}))
        .unwrap_err();
    assert_eq!(e.kind(), "api");
    assert_eq!(e.status(), Some(503));
    assert_eq!(e.code(), "service_unavailable");
    assert_eq!(ops_seen(&sandbox, "calls.initiate"), 1);
}

#[test]
fn status_fault_body_and_headers_reach_the_client() {
    let (sandbox, client) = start();
    let fault = json!({"type": "status", "status": 429, "headers": {"Retry-After": "7"},
                       "body": {"error": {"code": "custom_code", "message": "slow down"}}});
    sandbox.queue_fault("agents.get", 1, fault).unwrap();
    let no_retry = sandbox.client_builder().max_retries(0).build().unwrap();
    let e = no_retry.call("agents.get", json!({"path": {"agentId": "x"}})).unwrap_err();
    assert_eq!((e.status(), e.code(), e.message()), (Some(429), "custom_code", "slow down"));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    // A text body is answered as text.
    sandbox
        .queue_fault("agents.get", 1, json!({"type": "status", "status": 502, "body": "<html>bad gateway</html>"}))
        .unwrap();
    let e = no_retry.call("agents.get", json!({"path": {"agentId": "x"}})).unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(502), "bad_gateway"));
    assert_eq!(e.to_json_value()["error"]["body"], "<html>bad gateway</html>");
    drop(client);
}

#[test]
fn reset_is_a_connection_error_and_is_not_retried_for_a_post() {
    let (sandbox, client) = start();
    sandbox.queue_fault("agents.create", 1, json!({"type": "reset"})).unwrap();
    let e = client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap_err();
    assert!(matches!(e.kind(), "io" | "connect"), "{e:?}");
    assert_eq!(ops_seen(&sandbox, "agents.create"), 1);
    // The sandbox keeps serving afterwards.
    let agent = client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap();
    assert_eq!(agent["name"], "A");
}

#[test]
fn malformed_json_is_a_decode_error() {
    let (sandbox, client) = start();
    sandbox.queue_fault("agents.list", 1, json!({"type": "malformed_json"})).unwrap();
    let e = client.call("agents.list", json!({})).unwrap_err();
    assert_eq!(e.kind(), "decode", "{e:?}");
    assert_eq!(ops_seen(&sandbox, "agents.list"), 1);
}

#[test]
fn oversized_bodies_arrive_whole() {
    let (sandbox, client) = start();
    sandbox.queue_fault("agents.list", 1, json!({"type": "oversized", "bytes": 3_000_000})).unwrap();
    let body = client.call_json("agents.list", "{}").unwrap();
    assert_eq!(body.len(), 3_000_000);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v["padding"].as_str().unwrap().len() > 2_999_000);
}

#[test]
fn a_delay_beyond_the_timeout_is_a_timeout_and_within_it_just_slow() {
    let (sandbox, _) = start();
    let client = sandbox.client_builder().max_retries(0).timeout(Duration::from_millis(300)).build().unwrap();
    sandbox.queue_fault("agents.list", 1, json!({"type": "delay", "ms": 10_000})).unwrap();
    let started = Instant::now();
    let e = client.call("agents.list", json!({})).unwrap_err();
    assert_eq!(e.kind(), "timeout", "{e:?}");
    // The answer was 10 s away: a bound a loaded machine meets.
    assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());
    sandbox.queue_fault("agents.list", 1, json!({"type": "delay", "ms": 100})).unwrap();
    let started = Instant::now();
    assert_eq!(client.call("agents.list", json!({})).unwrap(), json!([]));
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[test]
fn wildcard_faults_hit_any_operation_and_specific_ones_come_first() {
    let (sandbox, _) = start();
    let client = sandbox.client_builder().max_retries(0).build().unwrap();
    sandbox.queue_fault("*", 2, json!({"type": "status", "status": 500})).unwrap();
    sandbox.queue_fault("workspaces.list", 1, json!({"type": "status", "status": 418})).unwrap();
    assert_eq!(client.call("workspaces.list", json!({})).unwrap_err().status(), Some(418));
    assert_eq!(client.call("agents.list", json!({})).unwrap_err().status(), Some(500));
    assert_eq!(client.call("folders.list", json!({})).unwrap_err().status(), Some(500));
    assert_eq!(client.call("folders.list", json!({})).unwrap(), json!([]));
}
