//! The checks the core makes before sending, keyed by operation, hold on the path every binding
//! and the CLI take (`call_json`, what the C ABI's `trillet_call` runs), not only in the typed
//! Rust API: required body fields (`missing_field`, naming the field), E.164 phone numbers
//! (`invalid_number`) and empty path parameters. The server must see nothing.

mod common;

use common::client;
use mockito::{Matcher, Server};

fn refused(server: &mut Server, op: &str, request: &str) -> trillet::Error {
    let mocks: Vec<_> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .map(|m| server.mock(m, Matcher::Any).match_query(Matcher::Any).expect(0).create())
        .collect();
    let e = client(&server.url()).call_json(op, request).expect_err(op);
    for m in mocks {
        m.assert();
    }
    assert_eq!(e.kind(), "invalid_input", "{op}: {e}");
    e
}

#[test]
fn required_body_fields_are_checked_for_the_c_abi_path() {
    let mut server = Server::new();
    for (op, request, field) in [
        ("agents.create", r#"{"body":{"name":"Support"}}"#, "ttsModel"),
        ("agents.create", r#"{}"#, "name"),
        ("calls.initiate", r#"{"body":{"to":"+14155550100","call_agent_id":null}}"#, "call_agent_id"),
        ("calls.initiate", r#"{"body":{"to":"+14155550100","call_agent_id":"  "}}"#, "call_agent_id"),
        ("workspaces.create", r#"{"body":{"name":"Ops"}}"#, "initials"),
        ("message_flows.create", r#"{"body":{"name":"F","agent":"a","direction":"outbound"}}"#, "initiationMessage"),
        // An empty object for a required object (what Go's zero `TTSModel{}` sends).
        ("agents.create", r#"{"body":{"name":"S","ttsModel":{}}}"#, "ttsModel"),
    ] {
        let e = refused(&mut server, op, request);
        assert_eq!(e.code(), "missing_field", "{op} {request}");
        assert_eq!(
            e.message(),
            format!("{op} needs the body field \"{field}\", not empty; nothing was sent"),
            "{op} {request}"
        );
    }
}

#[test]
fn phone_numbers_must_be_e164_for_the_c_abi_path() {
    let mut server = Server::new();
    for (op, request) in [
        ("calls.initiate", r#"{"body":{"to":"4155550100","call_agent_id":"a"}}"#),
        ("calls.initiate", r#"{"body":{"to":"+1 415 555 0100","call_agent_id":"a"}}"#),
        ("phone_numbers.purchase", r#"{"body":{"country":"US","type":"local","phoneNumber":"+1234567"}}"#),
        (
            "phone_numbers.register_external",
            r#"{"body":{"phoneNumber":"555","provider":"twilio","credentials":{"accountSid":"AC1","authToken":"t"}}}"#,
        ),
    ] {
        let e = refused(&mut server, op, request);
        assert_eq!(e.code(), "invalid_number", "{op} {request}");
    }
    let e = refused(&mut server, "agents.get", r#"{"path":{"agentId":" "}}"#);
    assert_eq!(e.code(), "invalid_input");
    assert!(e.message().contains("agentId"), "{e}");
}

#[test]
fn a_field_the_api_fills_in_and_the_escape_hatch_are_not_checked() {
    let mut server = Server::new();
    // `llmModel` is required by the spec but has a default the API fills in: not required here.
    let create = server.mock("POST", "/v1/api/agents").with_body(r#"{"_id":"a"}"#).expect(1).create();
    let c = client(&server.url());
    c.call_json("agents.create", r#"{"body":{"name":"S","ttsModel":{"voiceId":"v"}}}"#).unwrap();
    create.assert();
    // The escape hatch names no operation: what it sends is the caller's business.
    let raw = server.mock("POST", "/v1/api/call").with_body("{}").expect(1).create();
    c.request("POST", "/v1/api/call", &trillet::Request::new().json(&serde_json::json!({"to": "5"}))).unwrap();
    raw.assert();
}
