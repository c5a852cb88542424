//! The API key never shows in anything the `trillet` binary prints: error JSON, `--verbose`
//! metadata, the demo's report (text and JSON), `TRILLET_LOG=debug` lines — whatever fails.

use serde_json::json;
use std::process::{Command, Output};
use trillet_sandbox::{Sandbox, SandboxOptions};

const BIN: &str = env!("CARGO_BIN_EXE_trillet");
const SECRET: &str = "sk_live_DO_NOT_PRINT_4242";

fn trillet(base_url: &str) -> Command {
    let mut c = Command::new(BIN);
    c.env("TRILLET_API_KEY", SECRET)
        .env("TRILLET_WORKSPACE_ID", "64a1b2c3d4e5f6a7b8c9d0e1")
        .env("TRILLET_BASE_URL", base_url)
        .env("TRILLET_LOG", "debug");
    c
}

fn assert_hidden(what: &str, o: &Output) {
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!out.contains(SECRET) && !err.contains(SECRET), "{what} printed the key:\n{out}\n{err}");
    assert!(!out.contains("DO_NOT_PRINT") && !err.contains("DO_NOT_PRINT"), "{what} printed part of the key");
}

#[test]
fn the_key_never_shows_in_errors_verbose_output_logs_or_the_demo() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    // An API error (the sandbox refuses the key), with --verbose and request logs.
    let o = trillet(sandbox.url()).args(["agents", "list", "-v"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"kind\":\"api\""));
    assert_hidden("an API error", &o);
    // A connection error, and a usage error naming a bad flag next to the key flag.
    let o = trillet("http://127.0.0.1:9").args(["agents", "list", "--max-retries", "0", "-v"]).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert_hidden("a connect error", &o);
    let o = trillet(sandbox.url()).args(["agents", "get", "--api-key", SECRET, "--nope"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_hidden("a usage error", &o);
    // The demo against the configured API, failing at its first step, in text and JSON.
    for args in [&["demo"][..], &["demo", "--json"][..]] {
        let o = trillet(sandbox.url()).args(args).output().unwrap();
        assert_ne!(o.status.code(), Some(0));
        assert_hidden("the demo", &o);
    }
    // And a successful call's output, with the right key given on the command line.
    sandbox.queue_fault("agents.list", 1, json!({"type": "delay", "ms": 1})).unwrap();
    let o = trillet(sandbox.url()).args(["agents", "list", "-v", "--api-key", sandbox.api_key()]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_hidden("a successful call", &o);
}
