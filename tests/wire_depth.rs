//! JSON passed through is depth-bounded: a 2xx body nested past serde_json's limit is a `decode`
//! error (never handed on to a binding's parser), and such an error body is kept as text in the
//! error JSON instead of being embedded.

mod common;

use common::client;
use mockito::Server;
use serde_json::{json, Value};

fn nested(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn a_2xx_body_nested_200000_deep_is_a_decode_error_with_a_clear_message() {
    let mut server = Server::new();
    let deep = nested(200_000);
    let mock = server
        .mock("GET", "/v1/api/agents/a1")
        .with_header("content-type", "application/json")
        .with_body(&deep)
        .expect(1)
        .create();
    let c = client(&server.url());
    let e = c.call_json("agents.get", r#"{"path":{"agentId":"a1"}}"#).unwrap_err();
    assert_eq!((e.kind(), e.code()), ("decode", "invalid_response"), "{e:?}");
    assert!(e.message().contains("nested too deeply") && e.message().contains("127 levels"), "{}", e.message());
    let j = e.to_json_value();
    assert_eq!(j["error"]["kind"], "decode");
    assert!(j["error"]["body"].as_str().unwrap().len() <= 200 + 3, "the snippet is short");
    // The typed path says the same.
    let e = c.call("agents.get", json!({"path": {"agentId": "a1"}})).unwrap_err();
    assert_eq!(e.kind(), "decode");
    mock.expect(2).assert();
}

#[test]
fn the_bound_is_serde_jsons_127_levels_pass_128_do_not() {
    let mut server = Server::new();
    let ok = nested(127);
    let m1 = server.mock("GET", "/v1/api/agents").with_body(&ok).create();
    let c = client(&server.url());
    assert_eq!(c.call_json("agents.list", "{}").unwrap(), ok, "passed through byte for byte");
    assert!(c.call("agents.list", json!({})).is_ok(), "what passes also parses as a Value");
    m1.remove();
    // Objects count as levels too; brackets inside strings do not.
    let objects = format!("{}1{}", r#"{"a":"#.repeat(128), "}".repeat(128));
    server.mock("GET", "/v1/api/agents").with_body(&objects).create();
    assert_eq!(c.call_json("agents.list", "{}").unwrap_err().kind(), "decode");
    let strings = format!(r#"{{"name":"{}"}}"#, "[".repeat(1000));
    server.mock("GET", "/v1/api/agents/s").with_body(&strings).create();
    assert_eq!(c.call_json("agents.get", r#"{"path":{"agentId":"s"}}"#).unwrap(), strings);
    // A binary operation's JSON answer is held to the same bound.
    server
        .mock("GET", "/v2/api/recordings/r1")
        .with_header("content-type", "application/json")
        .with_body(nested(128))
        .create();
    assert_eq!(c.call_json("recordings.get", r#"{"path":{"callHistoryId":"r1"}}"#).unwrap_err().kind(), "decode");
}

#[test]
fn a_deep_error_body_is_kept_as_text_not_embedded() {
    let mut server = Server::new();
    let deep = nested(200_000);
    server
        .mock("GET", "/v1/api/agents/a1")
        .with_status(400)
        .with_header("content-type", "application/json")
        .with_body(&deep)
        .create();
    let e = client(&server.url()).call("agents.get", json!({"path": {"agentId": "a1"}})).unwrap_err();
    assert_eq!((e.kind(), e.status(), e.code()), ("api", Some(400), "bad_request"));
    let text = e.to_json();
    let v: Value = serde_json::from_str(&text).expect("the error JSON parses");
    let body = v["error"]["body"].as_str().expect("the deep body is a string");
    assert!(body.starts_with("[[[[") && body.len() <= 2048 + 3, "{} bytes", body.len());
    assert!(text.len() < 4096, "the error JSON stays small: {} bytes", text.len());
}

#[test]
fn the_sandbox_deep_json_fault_serves_both_cases() {
    use trillet_sandbox::{Sandbox, SandboxOptions};
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let c = sandbox.client_builder().max_retries(0).build().unwrap();
    sandbox.queue_fault("agents.list", 1, json!({"type": "deep_json", "depth": 200_000})).unwrap();
    assert_eq!(c.call_json("agents.list", "{}").unwrap_err().kind(), "decode");
    sandbox.queue_fault("agents.list", 1, json!({"type": "deep_json", "depth": 127})).unwrap();
    assert_eq!(c.call_json("agents.list", "{}").unwrap(), nested(127));
    sandbox.queue_fault("agents.list", 1, json!({"type": "deep_json", "depth": 200_000, "status": 422})).unwrap();
    let e = c.call_json("agents.list", "{}").unwrap_err();
    assert_eq!((e.kind(), e.status()), ("api", Some(422)));
    assert!(e.to_json_value()["error"]["body"].is_string());
    assert_eq!(c.call("agents.list", json!({})).unwrap(), json!([]), "the next call is served normally");
}
