//! The control endpoints under /__sandbox/ over plain HTTP, as the C, Python and Go tests use
//! them; concurrency; and a clean shutdown on drop.

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::raw;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use trillet::{FilePart, Request};
use trillet_sandbox::{Sandbox, SandboxOptions, DEFAULT_API_KEY, DEFAULT_WORKSPACE_ID};

const AUTH: [(&str, &str); 2] = [("x-api-key", DEFAULT_API_KEY), ("x-workspace-id", DEFAULT_WORKSPACE_ID)];

#[test]
fn faults_are_queued_listed_and_validated_over_http() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let url = sandbox.url();
    let body = r#"{"operation":"agents.list","count":2,"fault":{"type":"status","status":503,"body":{"error":{"code":"down","message":"later"}},"headers":{"Retry-After":"1"}}}"#;
    let r = raw(url, "POST", "/__sandbox/faults", &[], Some(body));
    assert_eq!((r.status, r.json()), (200, json!({"queued": 2})));
    let r = raw(url, "POST", "/__sandbox/faults", &[], Some(r#"{"operation":"*","fault":{"type":"reset"}}"#));
    assert_eq!(r.json(), json!({"queued": 1}), "count defaults to 1");
    let listed = raw(url, "GET", "/__sandbox/faults", &[], None).json();
    assert_eq!(
        listed,
        json!([{"operation": "agents.list", "remaining": 2, "type": "status"}, {"operation": "*", "remaining": 1, "type": "reset"}])
    );

    let r = raw(url, "GET", "/v1/api/agents", &AUTH, None);
    assert_eq!((r.status, r.header("Retry-After")), (503, Some("1")));
    assert_eq!(r.json(), json!({"error": {"code": "down", "message": "later"}}));
    assert_eq!(raw(url, "DELETE", "/__sandbox/faults", &[], None).status, 200);
    assert_eq!(raw(url, "GET", "/__sandbox/faults", &[], None).json(), json!([]));
    assert_eq!(raw(url, "GET", "/v1/api/agents", &AUTH, None).status, 200);

    for (bad, code) in [
        (r#"{"operation":"nope.nope","fault":{"type":"reset"}}"#, "unknown_operation"),
        (r#"{"fault":{"type":"reset"}}"#, "invalid_fault"),
        (r#"{"operation":"*","fault":{"type":"boom"}}"#, "invalid_fault"),
        (r#"{"operation":"*","count":0,"fault":{"type":"reset"}}"#, "invalid_fault"),
        (r#"{"operation":"*"}"#, "invalid_fault"),
        ("not json", "invalid_json"),
    ] {
        let r = raw(url, "POST", "/__sandbox/faults", &[], Some(bad));
        assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some(code)), "{bad}");
    }
    let r = raw(url, "GET", "/__sandbox/nothing", &[], None);
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (404, Some("not_found")));
    assert_eq!(sandbox.requests().len(), 2, "control requests are not logged");
}

#[test]
fn the_request_log_records_what_was_sent() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().build().unwrap();
    client.call("call_history.list", json!({"query": {"page": 2, "search": "a b"}})).unwrap();
    client.call("agents.get", json!({"path": {"agentId": "a b/c"}})).unwrap_err();
    client.call("agents.create", json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "Z", "ttsModel": {"voiceId": "mistv2_Brook"}}})).unwrap();
    let upload = Request::new().json(&json!({"agentId": "x"})).file(FilePart::from_bytes(
        "calls.csv",
        "text/csv",
        b"phone_number\n+14155550100\n".to_vec(),
    ));
    client.execute(trillet::operations::find("batch_calls.start").unwrap(), &upload).unwrap_err();

    let log: Value = raw(sandbox.url(), "GET", "/__sandbox/requests", &[], None).json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 4);
    for entry in log {
        let mut keys: Vec<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["body", "headers", "method", "operation", "path", "query"]);
        assert_eq!(entry["headers"]["x-api-key"], "<redacted>");
        assert_eq!(entry["headers"]["x-workspace-id"], DEFAULT_WORKSPACE_ID);
        assert!(entry["headers"]["user-agent"].as_str().unwrap().starts_with("trillet-rust/"));
    }
    assert_eq!((log[0]["operation"].as_str(), log[0]["method"].as_str()), (Some("call_history.list"), Some("GET")));
    assert_eq!(
        (log[0]["path"].as_str(), log[0]["query"].as_str()),
        (Some("/v2/api/call-history"), Some("page=2&search=a%20b"))
    );
    assert_eq!(log[0]["body"], Value::Null);
    assert_eq!(log[1]["path"], "/v1/api/agents/a%20b%2Fc", "the path stays percent-encoded");
    assert_eq!(log[1]["query"], "");
    assert_eq!(log[2]["body"], json!({"name": "Z", "ttsModel": {"voiceId": "mistv2_Brook"}}));
    assert_eq!(log[2]["headers"]["content-type"], "application/json");
    let multipart = log[3]["body"].as_str().expect("a non-JSON body is logged as a string");
    assert!(multipart.contains("name=\"agentId\"") && multipart.contains("+14155550100"));
    assert!(log[3]["headers"]["content-type"].as_str().unwrap().starts_with("multipart/form-data; boundary="));

    let r = raw(sandbox.url(), "DELETE", "/__sandbox/requests", &[], None);
    assert_eq!((r.status, r.json()), (200, json!({"cleared": 4})));
    assert_eq!(raw(sandbox.url(), "GET", "/__sandbox/requests", &[], None).json(), json!([]));
}

#[test]
fn reset_over_http_and_health() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().build().unwrap();
    client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap();
    sandbox.queue_fault("*", 5, json!({"type": "reset"})).unwrap();
    let r = raw(sandbox.url(), "POST", "/__sandbox/reset", &[], None);
    assert_eq!((r.status, r.json()), (200, json!({"reset": true})));
    assert!(sandbox.requests().is_empty());
    assert_eq!(client.call("agents.list", json!({})).unwrap(), json!([]));
    let health = raw(sandbox.url(), "GET", "/__sandbox/health", &[], None).json();
    assert_eq!((health["status"].as_str(), health["operations"].as_u64()), (Some("ok"), Some(78)));
    assert_eq!(health["base_url"], sandbox.url());
}

#[test]
fn a_slow_request_does_not_hold_up_others() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().build().unwrap();
    sandbox.queue_fault("agents.list", 1, json!({"type": "delay", "ms": 5000})).unwrap();
    let slow = {
        let client = client.clone();
        std::thread::spawn(move || client.call("agents.list", json!({})).unwrap())
    };
    // Once the sandbox holds the slow request, a fast one is answered while it still waits (an
    // order of events, not a time: a sandbox that served one request at a time would answer the
    // fast one only after the slow one).
    let give_up = Instant::now() + Duration::from_secs(30);
    while sandbox.requests().iter().all(|r| r["operation"] != "agents.list") {
        assert!(Instant::now() < give_up, "the slow request never arrived");
        std::thread::sleep(Duration::from_millis(5));
    }
    client.call("folders.list", json!({})).unwrap();
    assert!(!slow.is_finished(), "the fast call waited for the slow one");
    assert_eq!(slow.join().unwrap(), json!([]));
}

#[test]
fn dropping_the_sandbox_stops_it_and_closes_idle_connections() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let url = sandbox.url().to_string();
    let client = sandbox.client_builder().max_retries(1).timeout(Duration::from_secs(60)).build().unwrap();
    client.call("agents.list", json!({})).unwrap(); // leaves a pooled keep-alive connection
    drop(sandbox);
    let started = Instant::now();
    let e = client.call("agents.list", json!({})).unwrap_err();
    assert!(matches!(e.kind(), "connect" | "io"), "{e:?}");
    // A hang would last the 60 s deadline; a loaded machine meets 20 s.
    assert!(started.elapsed() < Duration::from_secs(20), "no hang on a dead connection: {:?}", started.elapsed());
    let addr = url.strip_prefix("http://").unwrap();
    assert!(std::net::TcpStream::connect(addr).is_err(), "the port is closed");
}
