//! The facts the sandbox once took from the client, each checked on the client against the spec
//! (tests/fixtures/endpoints.json, or the spec's prose where the file has no field for it). The
//! sandbox (crates/trillet-sandbox) now states them in its own code, so client and sandbox can
//! disagree; these tests say which one the spec backs.
//!
//! - the batch CSV upload limit, "max 20MB" (sandbox: limits.rs);
//! - `reset_at`, the 429 body's ISO time (`2024-01-22T15:30:00Z`, ENDPOINTS.md "Rate limits"),
//!   drives the client's wait (sandbox: clock.rs writes it);
//! - the documented error code of a bare 429, `rate_limit_exceeded` (sandbox: codec.rs);
//! - a path parameter is sent as one percent-encoded segment (sandbox: codec.rs decodes it).
//!
//! The fourth former fact, "a stored document reads as the client's model", is checked on the
//! client by tests/typed_models.rs (every response example of the spec reads into its model).

mod common;

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;
use trillet::operations::{BATCH_CSV_MAX_BYTES, OPERATIONS};

fn spec() -> Vec<Value> {
    serde_json::from_str(include_str!("fixtures/endpoints.json")).unwrap()
}

/// The number in "max <N>MB" of a body field's description.
fn max_mb(method: &str, path: &str, field: &str) -> u64 {
    let spec = spec();
    let endpoint = spec.iter().find(|e| e["method"] == method && e["path"] == path).expect("in the spec");
    let desc = endpoint["body"][field]["desc"].as_str().expect("a described field");
    let after = desc.split_once("max ").expect("states a maximum").1;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    assert!(after[digits.len()..].starts_with("MB"), "{desc}");
    digits.parse().unwrap()
}

#[test]
fn the_batch_upload_limit_is_the_specs_20_mb() {
    let mb = max_mb("POST", "/v1/api/batch-calls", "file");
    assert_eq!(mb, 20);
    assert_eq!(BATCH_CSV_MAX_BYTES, mb * 1024 * 1024);
    let start = OPERATIONS.iter().find(|o| o.id == "batch_calls.start").unwrap();
    assert_eq!(start.max_upload_bytes, Some(mb * 1024 * 1024), "the table row enforces it");
}

/// The error of one call answered with this 429 body.
fn refused_with(body: &str) -> trillet::Error {
    let mut server = mockito::Server::new();
    let _m = server.mock("GET", "/v1/api/agents").with_status(429).with_body(body).create();
    common::client(&server.url()).call("agents.list", json!({})).unwrap_err()
}

#[test]
fn reset_at_as_the_spec_writes_it_sets_the_wait() {
    let spec_example = "2024-01-22T15:30:00Z";
    let body = |at: &str| json!({"error": {"code": "rate_limit_exceeded", "message": "slow down", "reset_at": at}});
    // The spec's own example is in the past: read, it means "no wait"; unread, there would be none.
    let e = refused_with(&body(spec_example).to_string());
    assert_eq!((e.status(), e.code()), (Some(429), "rate_limit_exceeded"));
    assert_eq!(e.retry_after(), Some(Duration::ZERO), "{e}");
    // The same form in the future is a wait until then.
    let e = refused_with(&body(&spec_example.replacen("2024", "2124", 1)).to_string());
    let wait = e.retry_after().expect("reset_at read");
    assert!(wait > Duration::from_secs(90 * 365 * 86_400), "{wait:?}");
    // Not the spec's form: no wait is made up.
    assert_eq!(refused_with(&body("in a minute").to_string()).retry_after(), None);
}

#[test]
fn a_bare_429_has_the_specs_documented_code() {
    let e = refused_with("");
    assert_eq!((e.status(), e.code()), (Some(429), "rate_limit_exceeded"));
}

#[test]
fn a_path_parameter_is_one_percent_encoded_segment() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
            head.push(byte[0]);
        }
        stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}").unwrap();
        String::from_utf8(head).unwrap().lines().next().unwrap().to_string()
    });
    let id = "a/b c%?#é";
    common::client(&url).call("agents.get", json!({"path": {"agentId": id}})).unwrap();
    assert_eq!(server.join().unwrap(), "GET /v1/api/agents/a%2Fb%20c%25%3F%23%C3%A9 HTTP/1.1");
}
