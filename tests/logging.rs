//! `TRILLET_LOG=debug` logs each attempt to stderr, and never the key; without it nothing is
//! written. Each parent test re-runs this test binary as a child (so the child's stderr can be
//! captured) with the variable set or removed.

mod common;

use mockito::Server;
use serde_json::json;
use std::process::Command;

#[test]
fn debug_log_names_method_path_status_and_attempt_but_not_the_key() {
    if let Ok(url) = std::env::var("TRILLET_LOG_CHILD_URL") {
        let c = common::builder(&url).max_retries(1).build().unwrap();
        let _ = c.call("agents.get", json!({"path": {"agentId": "a1"}}));
        return;
    }
    let mut server = Server::new();
    let _fail = server.mock("GET", "/v1/api/agents/a1").with_status(503).expect(1).create();
    let _ok = server.mock("GET", "/v1/api/agents/a1").with_body("{}").expect(1).create();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "debug_log_names_method_path_status_and_attempt_but_not_the_key", "--nocapture"])
        .env("TRILLET_LOG_CHILD_URL", server.url())
        .env("TRILLET_LOG", "debug")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("trillet: ")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("GET /v1/api/agents/a1 (agents.get) -> 503 attempt=1"), "{}", lines[0]);
    assert!(lines[1].contains("-> 200 attempt=2"), "{}", lines[1]);
    assert!(lines.iter().all(|l| l.ends_with("ms")));
    assert!(!stderr.contains(common::KEY), "the key leaked into the log");
}

#[test]
fn without_trillet_log_nothing_is_written_to_stderr() {
    if let Ok(url) = std::env::var("TRILLET_LOG_CHILD_URL") {
        let c = common::builder(&url).max_retries(1).build().unwrap();
        let _ = c.call("agents.get", json!({"path": {"agentId": "a1"}}));
        return;
    }
    let mut server = Server::new();
    let _fail = server.mock("GET", "/v1/api/agents/a1").with_status(503).expect(1).create();
    let ok = server.mock("GET", "/v1/api/agents/a1").with_body("{}").expect(1).create();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "without_trillet_log_nothing_is_written_to_stderr", "--nocapture"])
        .env("TRILLET_LOG_CHILD_URL", server.url())
        .env_remove("TRILLET_LOG")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("trillet: "), "{stderr}");
    ok.assert(); // the child did make its two attempts
}
