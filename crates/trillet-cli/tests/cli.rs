//! The `trillet` binary: demo, ops, generated resource commands, call, sandbox, help, and the
//! error JSON / exit code of each failure kind.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use trillet_sandbox::{Sandbox, SandboxOptions};

mod support;
use support::{against, trillet, KillOnDrop};

fn run(c: &mut Command, args: &[&str]) -> Output {
    c.args(args).output().unwrap()
}

fn stdout_json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

/// Asserts the exit code and that stderr is exactly one line of error JSON; returns its `error`.
fn failure(o: &Output, code: i32) -> Value {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line of error JSON: {stderr}");
    let v: Value = serde_json::from_str(stderr.trim()).unwrap_or_else(|e| panic!("stderr is not JSON ({e}): {stderr}"));
    assert!(o.stdout.is_empty(), "nothing on stdout: {}", String::from_utf8_lossy(&o.stdout));
    v["error"].clone()
}

fn temp_file(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trillet-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

const DEMO_STEPS: [&str; 15] = [
    "Create a call agent",
    "Create a call flow for the agent",
    "Create a messaging (omni flow) agent",
    "Create a message flow",
    "List agents",
    "Search available phone numbers",
    "Buy the number",
    "Bind the number to the agent",
    "Place an outbound call",
    "Read the call back from call history",
    "End the call",
    "Receive the signed call.completed webhook",
    "Generate a conversation message",
    "Approve the message",
    "Sign and verify a webhook payload",
];

#[test]
fn demo_runs_every_step_against_an_in_process_sandbox() {
    let o = run(&mut trillet(), &["demo"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.starts_with("trillet demo: the whole Trillet flow against a local sandbox at http://127.0.0.1:"),
        "{out}"
    );
    for (i, step) in DEMO_STEPS.iter().enumerate() {
        assert!(out.contains(&format!("[{:>2}/15] {step}: ok", i + 1)), "missing step {step}:\n{out}");
    }
    assert!(out.contains("is completed") || out.contains("now says completed"), "{out}");
    assert!(out.contains("is approved, sent: true"), "{out}");
    assert!(out.contains("a tampered body was rejected"), "{out}");
    assert!(
        out.contains("got call.completed for call") && out.contains("signature verified (standard scheme)"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("All 15 steps passed."));
}

#[test]
fn demo_json_reports_every_step() {
    let o = run(&mut trillet(), &["demo", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let report = stdout_json(&o);
    assert_eq!((report["ok"].as_bool(), report["target"].as_str()), (Some(true), Some("sandbox")));
    let steps = report["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, DEMO_STEPS);
    assert!(steps.iter().all(|s| s["ok"] == true));
    assert_eq!(steps[8]["operation"], "calls.initiate");
    assert_eq!(steps[11]["result"]["event"], "call.completed");
    assert_eq!(steps[11]["result"]["callId"], steps[8]["result"]["callId"]);
    assert_eq!(steps[11]["result"]["metadata"], json!({"source": "trillet demo"}));
    assert_eq!(steps[13]["result"]["status"], "approved");
    assert_eq!(report["error"], Value::Null);
}

#[test]
fn demo_uses_the_configured_api_when_a_key_is_set() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let o = run(&mut against(&sandbox), &["demo", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout_json(&o)["target"], "api");
    let ops: Vec<String> = sandbox.requests().iter().map(|r| r["operation"].as_str().unwrap().to_string()).collect();
    assert_eq!(ops.first().map(String::as_str), Some("agents.create"));
    for op in ["calls.initiate", "call_history.get", "active_calls.end_call", "conversations.message_action"] {
        assert!(ops.iter().any(|o| o == op), "{op} not sent: {ops:?}");
    }
    // The local sandbox delivered the call's call.completed to the demo's receiver (the attempt is
    // logged once the receiver's answer is read: wait for it, bounded).
    let delivered = || sandbox.webhook_deliveries().iter().any(|d| d["event"] == "call.completed" && d["ok"] == true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !delivered() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(delivered(), "{:?}", sandbox.webhook_deliveries());
}

#[test]
fn a_failing_demo_step_stops_with_its_error() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    sandbox.queue_fault("calls.initiate", 1, json!({"type": "status", "status": 402, "body": {"error": {"code": "insufficient_credits", "message": "Top up"}}})).unwrap();
    let o = run(&mut against(&sandbox), &["demo"]);
    let err = failure_with_stdout(&o, 1);
    assert_eq!((err["code"].as_str(), err["status"].as_u64()), (Some("insufficient_credits"), Some(402)));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("[ 9/15] Place an outbound call: FAILED"), "{out}");
    assert!(!out.contains("[10/15]"), "later steps do not run: {out}");
}

fn failure_with_stdout(o: &Output, code: i32) -> Value {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr: {stderr}");
    serde_json::from_str::<Value>(stderr.trim()).unwrap()["error"].clone()
}

#[test]
fn demo_against_a_remote_api_asks_for_confirmation() {
    let mut c = trillet();
    c.env("TRILLET_API_KEY", "sk_live_x")
        .env("TRILLET_WORKSPACE_ID", "w")
        .env("TRILLET_BASE_URL", "https://api.example.invalid");
    let err = failure(&run(&mut c, &["demo"]), 2);
    assert_eq!(err["code"], "usage_error");
    assert!(err["message"].as_str().unwrap().contains("--yes"));
}

#[test]
fn ops_lists_all_78_operations() {
    let o = run(&mut trillet(), &["ops", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let catalog = stdout_json(&o);
    assert_eq!(catalog["operations"].as_array().unwrap().len(), 78);
    assert_eq!(catalog, serde_json::from_str::<Value>(&trillet::operations::catalog_json()).unwrap());
    let text = String::from_utf8_lossy(&run(&mut trillet(), &["ops"]).stdout).into_owned();
    for op in trillet::OPERATIONS {
        assert!(text.contains(op.id) && text.contains(op.path), "{}", op.id);
    }
    assert!(text.contains("78 operations"));
}

#[test]
fn bad_arguments_are_usage_errors() {
    for (args, code) in [
        (&["agents", "list", "--bogus"][..], "usage_error"),
        (&["agents"], "usage_error"),
        (&[], "usage_error"),
        (&["nonsense"], "usage_error"),
        (&["active_calls", "end_call", "room", "--body", "{}"], "usage_error"),
        (&["agents", "get", "--path", "agentId"], "usage_error"),
        (&["agents", "get", "--path", "nope=1"], "unknown_path_param"),
        (&["agents", "create", "--body", "{bad"], "invalid_json"),
        (&["agents", "create", "--body", "@/definitely/missing.json"], "file_unreadable"),
        (&["call", "nope.nope"], "unknown_operation"),
        (&["call", "agents.list", "[1]"], "invalid_request_json"),
        (&["agents", "get"], "missing_path_param"),
        (&["sandbox", "--rpm", "0"], "usage_error"),
        (&["agents", "list", "--timeout", "1e400"], "usage_error"),
        (&["agents", "list", "--timeout", "-1"], "usage_error"),
    ] {
        let mut c = trillet();
        c.env("TRILLET_API_KEY", "k").env("TRILLET_WORKSPACE_ID", "w").env("TRILLET_BASE_URL", "http://127.0.0.1:9");
        let err = failure(&run(&mut c, args), 2);
        assert_eq!(
            (err["kind"].as_str(), err["code"].as_str()),
            (Some("invalid_input"), Some(code)),
            "{args:?}: {err}"
        );
    }
    let err = failure(&run(&mut trillet(), &["agents", "list"]), 2);
    assert_eq!(err["code"], "missing_api_key");
}

#[test]
fn api_errors_are_error_json_on_stderr_with_exit_code_1() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let err = failure(&run(&mut against(&sandbox), &["agents", "get", "0123456789abcdef01234567"]), 1);
    assert_eq!(
        (err["kind"].as_str(), err["status"].as_u64(), err["code"].as_str()),
        (Some("api"), Some(404), Some("not_found"))
    );
    assert_eq!(err["message"], "Agent 0123456789abcdef01234567 not found");
    assert!(err["request_id"].as_str().unwrap().starts_with("req_"));
    assert_eq!(err["body"]["error"]["code"], "not_found");
    // A number that is not E.164 is refused by the core before sending (exit 2, nothing sent).
    let err = failure(
        &run(&mut against(&sandbox), &["calls", "initiate", "--body", r#"{"to":"123","call_agent_id":"x"}"#]),
        2,
    );
    assert_eq!((err["kind"].as_str(), err["code"].as_str()), (Some("invalid_input"), Some("invalid_number")));
    assert!(!sandbox.requests().iter().any(|r| r["operation"] == "calls.initiate"), "nothing was sent");
}

#[test]
fn network_and_decode_errors_have_their_own_exit_codes() {
    let err = failure(
        &run(
            &mut trillet(),
            &[
                "agents",
                "list",
                "--base-url",
                "http://127.0.0.1:9",
                "--api-key",
                "k",
                "--workspace-id",
                "w",
                "--max-retries",
                "0",
            ],
        ),
        3,
    );
    assert_eq!(err["kind"], "connect");
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    sandbox.queue_fault("agents.list", 1, json!({"type": "malformed_json"})).unwrap();
    let err = failure(&run(&mut against(&sandbox), &["agents", "list"]), 4);
    assert_eq!(err["kind"], "decode");
    sandbox.queue_fault("agents.list", 1, json!({"type": "delay", "ms": 1500})).unwrap();
    let err = failure(&run(&mut against(&sandbox), &["agents", "list", "--timeout", "0.3"]), 3);
    assert_eq!(err["kind"], "timeout");
}

#[test]
fn ca_bundle_and_proxy_flags_reach_the_client() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let missing = "/definitely/missing/trillet-ca.pem";
    let err = failure(&run(&mut against(&sandbox), &["agents", "list", "--ca-bundle", missing]), 2);
    assert_eq!((err["kind"].as_str(), err["code"].as_str()), (Some("invalid_input"), Some("invalid_ca_bundle")));
    assert!(err["message"].as_str().unwrap().contains(missing), "{err}");
    // A proxy nothing listens on carries (fails) the request: the sandbox never sees it.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://u:pr0xy-pw@{}", dead.local_addr().unwrap());
    drop(dead);
    let o = run(&mut against(&sandbox), &["agents", "list", "--proxy", &proxy, "--max-retries", "0"]);
    let err = failure(&o, 3);
    assert_eq!(err["kind"], "connect");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("pr0xy-pw"));
    assert!(sandbox.requests().is_empty());
    let err = failure(&run(&mut against(&sandbox), &["agents", "list", "--proxy", "socks5://p:1080"]), 2);
    assert_eq!(err["code"], "invalid_proxy");
}

#[test]
fn resource_commands_send_path_query_and_body() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let o = run(
        &mut against(&sandbox),
        &["agents", "create", "--body", r#"{"name":"From CLI","llmModel":"gpt-4.1","ttsModel":{"voiceId":"v"}}"#],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let agent = stdout_json(&o);
    let id = agent["_id"].as_str().unwrap().to_string();
    assert_eq!(agent["name"], "From CLI");

    // Positional and --path forms; the body from a file and from stdin.
    assert_eq!(stdout_json(&run(&mut against(&sandbox), &["agents", "get", &id]))["name"], "From CLI");
    let file = temp_file("update.json", br#"{"name":"Renamed"}"#);
    let o = run(
        &mut against(&sandbox),
        &["agents", "update", "--path", &format!("agentId={id}"), "--body", &format!("@{}", file.display())],
    );
    assert_eq!(stdout_json(&o)["name"], "Renamed");
    let mut child = against(&sandbox)
        .args(["agents", "update", &id, "--body", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(br#"{"name":"Piped"}"#).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(stdout_json(&o)["name"], "Piped");

    run(&mut against(&sandbox), &["call_history", "list", "--query", "page=2", "--query", "limit=1"]);
    let log = sandbox.requests();
    let last = log.last().unwrap();
    assert_eq!(
        (last["operation"].as_str(), last["query"].as_str()),
        (Some("call_history.list"), Some("page=2&limit=1"))
    );
    assert_eq!(log[2]["body"], json!({"name": "Renamed"}), "the file's body was sent");
    assert!(last["headers"]["user-agent"].as_str().unwrap().contains("trillet-cli/"));

    // `call` with the shared request JSON.
    let o = run(&mut against(&sandbox), &["call", "agents.get", &format!(r#"{{"path":{{"agentId":"{id}"}}}}"#)]);
    assert_eq!(stdout_json(&o)["name"], "Piped");
}

#[test]
fn pending_invitations_is_a_command_and_needs_no_workspace() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let ws = sandbox.workspace_id().to_string();
    let body = format!(r#"{{"email":"{}","role":"viewer"}}"#, trillet_sandbox::USER_EMAIL);
    let o = run(&mut against(&sandbox), &["workspaces", "invite", &ws, "--body", &body]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // Only the key and the base URL in the environment: the workspace header is optional.
    let mut c = trillet();
    c.env("TRILLET_BASE_URL", sandbox.url()).env("TRILLET_API_KEY", sandbox.api_key());
    let o = run(&mut c, &["workspaces", "pending_invitations"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let answer = stdout_json(&o);
    assert_eq!(answer["success"], true);
    assert_eq!(answer["invitations"][0]["role"], "viewer");
    assert_eq!(answer["invitations"][0]["workspace"]["_id"], ws.as_str());
    let last = sandbox.requests().pop().unwrap();
    assert_eq!(last["operation"], "workspaces.pending_invitations");
    assert!(last["headers"].get("x-workspace-id").is_none(), "{last}");
}

#[test]
fn uploads_and_text_responses() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let kb = stdout_json(&run(&mut against(&sandbox), &["knowledge_base", "create", "--body", r#"{"name":"Docs"}"#]));
    let pdf = temp_file("guide.pdf", &[1u8; 321]);
    let o = run(
        &mut against(&sandbox),
        &["knowledge_base", "upload_file", kb["_id"].as_str().unwrap(), "--file", pdf.to_str().unwrap()],
    );
    assert_eq!(
        stdout_json(&o),
        json!({"success": true, "file": {"name": "guide.pdf", "size": 321, "type": "application/pdf"}})
    );
    let agent = stdout_json(&run(
        &mut against(&sandbox),
        &["agents", "create", "--body", r#"{"name":"B","ttsModel":{"voiceId":"v"}}"#],
    ));
    let csv = temp_file("calls.csv", b"phone_number\n+14155550100\n");
    let o = run(
        &mut against(&sandbox),
        &[
            "batch_calls",
            "start",
            "--file",
            &format!("file={}", csv.display()),
            "--body",
            &json!({"agentId": agent["_id"]}).to_string(),
        ],
    );
    assert_eq!(stdout_json(&o)["totalCalls"], 1);

    let json_out = run(&mut against(&sandbox), &["call_history", "export_csv"]);
    let as_json: String = serde_json::from_slice(&json_out.stdout).expect("a JSON string by default");
    assert!(as_json.starts_with("Call ID,"));
    let raw = run(&mut against(&sandbox), &["call_history", "export_csv", "--raw"]);
    assert!(String::from_utf8_lossy(&raw.stdout).starts_with("Call ID,Record ID,"));
}

#[test]
fn sandbox_command_prints_its_url_first_and_serves() {
    let mut child = KillOnDrop::new(
        trillet()
            .args(["sandbox", "--rpm", "50", "--api-key", "sk_cli", "--workspace-id", "abcabcabcabcabcabcabcabc"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    BufReader::new(child.child().stdout.take().unwrap()).read_line(&mut first).unwrap();
    let url = first.trim_end().to_string();
    let port = url.strip_prefix("http://127.0.0.1:").expect(&url);
    assert!(port.parse::<u16>().is_ok(), "{url}");
    let client = trillet::Client::builder()
        .ignore_env()
        .base_url(&url)
        .api_key("sk_cli")
        .workspace_id("abcabcabcabcabcabcabcabc")
        .build()
        .unwrap();
    let agent = client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap();
    assert_eq!(agent["workspaceId"], "abcabcabcabcabcabcabcabc");
    let health = client.request("GET", "/__sandbox/health", &trillet::Request::new()).unwrap().value().unwrap();
    assert_eq!(health["rate_limit_per_minute"], 50);
    let mut child = child.into_inner();
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sk_cli") && stderr.contains("50 requests/minute"), "{stderr}");
}

#[test]
fn help_at_every_level_documents_exit_codes() {
    for args in [
        &["--help"][..],
        &["agents", "--help"],
        &["agents", "get", "--help"],
        &["call", "--help"],
        &["ops", "--help"],
        &["sandbox", "--help"],
        &["demo", "--help"],
    ] {
        let o = run(&mut trillet(), args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(out.contains("Usage: trillet"), "{args:?}: {out}");
    }
    let top = String::from_utf8_lossy(&run(&mut trillet(), &["--help"]).stdout).into_owned();
    assert!(top.contains("Exit codes:") && top.contains("3  network error") && top.contains("TRILLET_API_KEY"));
    for resource in trillet::operations::resources() {
        assert!(top.contains(resource), "{resource}");
    }
    let get = String::from_utf8_lossy(&run(&mut trillet(), &["agents", "get", "--help"]).stdout).into_owned();
    assert!(get.contains("GET /v1/api/agents/{agentId}") && get.contains("Exit codes:") && get.contains("--query"));
    let upload = String::from_utf8_lossy(&run(&mut trillet(), &["batch_calls", "start", "--help"]).stdout).into_owned();
    assert!(upload.contains("--file") && upload.contains("multipart"));
    let sandbox = String::from_utf8_lossy(&run(&mut trillet(), &["sandbox", "--help"]).stdout).into_owned();
    for flag in ["--port", "--api-key", "--workspace-id", "--rpm"] {
        assert!(sandbox.contains(flag), "{flag}");
    }
    let version = run(&mut trillet(), &["--version"]);
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("trillet {}", trillet::VERSION));
}

#[test]
fn verbose_prints_the_exchange_metadata_on_stderr() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let o = run(&mut against(&sandbox), &["agents", "list", "--verbose"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout_json(&o), json!([]));
    let meta: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!((meta["status"].clone(), meta["attempts"].clone()), (json!(200), json!(1)), "{meta}");
    let logged = sandbox.requests().last().cloned().unwrap();
    assert!(meta["request_id"].as_str().unwrap().starts_with("req_"));
    assert!(meta["elapsed_ms"].is_u64());
    assert_eq!(logged["operation"], "agents.list");
    // On failure: the metadata line, then the error JSON.
    let o = run(&mut against(&sandbox), &["call", "agents.get", r#"{"path":{"agentId":"nope"}}"#, "-v"]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    let meta: Value = serde_json::from_str(lines[0]).unwrap();
    let err: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(meta["status"], 404);
    assert_eq!(meta["request_id"], err["error"]["request_id"]);
    // Without the flag, stdout and stderr are unchanged.
    let o = run(&mut against(&sandbox), &["agents", "list"]);
    assert!(o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn action_help_lists_the_body_fields_from_the_schema() {
    let o = run(&mut trillet(), &["agents", "create", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8(o.stdout).unwrap();
    let line = |name: &str| {
        help.lines().find(|l| l.split_whitespace().next() == Some(name)).unwrap_or_else(|| panic!("{name}: {help}"))
    };
    assert_eq!(line("ttsModel").split_whitespace().collect::<Vec<_>>(), ["ttsModel", "TtsModel", "(required)"]);
    assert_eq!(line("smartCallback").split_whitespace().collect::<Vec<_>>(), ["smartCallback", "boolean"]);
    let o = run(&mut trillet(), &["batch_calls", "start", "--help"]);
    let help = String::from_utf8(o.stdout).unwrap();
    assert!(
        help.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["agentId", "string", "(required)"]),
        "{help}"
    );
}

#[test]
fn openapi_writes_the_committed_files() {
    let o = run(&mut trillet(), &["openapi"]);
    assert!(o.status.success());
    let committed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../bindings/openapi.json")).unwrap();
    assert!(o.stdout == committed, "trillet openapi differs from bindings/openapi.json");
    let dir = std::env::temp_dir().join(format!("trillet-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("operations.json");
    let o = run(&mut trillet(), &["openapi", "--operations", "-o", out.to_str().unwrap()]);
    assert!(o.status.success() && o.stdout.is_empty());
    let committed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../bindings/operations.json")).unwrap();
    assert!(std::fs::read(&out).unwrap() == committed, "trillet openapi --operations differs");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scalar_body_fields_are_flags_merged_into_the_body() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let o = run(
        &mut against(&sandbox),
        &[
            "agents",
            "create",
            "--name",
            "Support",
            "--llmModel",
            "gpt-4o-mini",
            "--maxAttemptsForSmartCallback",
            "3",
            "--body",
            r#"{"name":"overridden","ttsModel":{"provider":"rime","voiceId":"mistv2_Wildflower"}}"#,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout_json(&o)["name"], "Support");
    let sent = sandbox.requests().into_iter().find(|r| r["operation"] == "agents.create").unwrap();
    assert_eq!(
        sent["body"],
        json!({"name": "Support", "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"},
               "llmModel": "gpt-4o-mini", "maxAttemptsForSmartCallback": 3})
    );
    // Flags alone make the body; a snake_case wire name is its own flag.
    let o = run(&mut against(&sandbox), &["calls", "initiate", "--to", "+14155550100", "--call_agent_id", "x"]);
    assert_eq!(failure(&o, 1)["code"], "not_found");
    let sent = sandbox.requests().into_iter().find(|r| r["operation"] == "calls.initiate").unwrap();
    assert_eq!(sent["body"], json!({"to": "+14155550100", "call_agent_id": "x"}));
    // A required field missing is refused before sending, naming it (exit 2).
    let before = sandbox.requests().len();
    let err = failure(&run(&mut against(&sandbox), &["calls", "initiate", "--to", "+14155550100"]), 2);
    assert_eq!(err["code"], "missing_field");
    assert!(err["message"].as_str().unwrap().contains(r#"the body field "call_agent_id""#), "{err}");
    assert_eq!(sandbox.requests().len(), before, "nothing was sent");
    // A value of the wrong type, or a non-object --body with flags, is a usage error: nothing sent.
    let before = sandbox.requests().len();
    let o = run(&mut against(&sandbox), &["agents", "create", "--maxAttemptsForSmartCallback", "three"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&mut against(&sandbox), &["agents", "create", "--name", "x", "--body", "[1]"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(sandbox.requests().len(), before);
}

#[test]
#[cfg(unix)]
fn ctrl_c_during_a_call_cancels_it_prints_the_error_and_exits_130() {
    use std::io::Read;
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};
    // A server that reads the request, never answers, and reports when the client hung up.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (arrived, arrival) = mpsc::channel();
    let (hung_up, hang_up) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    seen.extend_from_slice(&buf[..n]);
                    if seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        let _ = arrived.send(());
                    }
                }
            }
        }
        let _ = hung_up.send(Instant::now());
    });
    let child = trillet()
        .args(["agents", "list", "--base-url", &url, "--api-key", "k", "--workspace-id", "w", "--timeout", "120"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    arrival.recv_timeout(Duration::from_secs(30)).expect("the request reached the server");
    std::thread::sleep(Duration::from_millis(100));
    let interrupted_at = Instant::now();
    // SAFETY: kill(2) on our own child.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    assert!(interrupted_at.elapsed() < Duration::from_secs(10), "{:?}", interrupted_at.elapsed());
    let err = failure(&out, 130);
    assert_eq!(err["kind"], "cancelled");
    assert_eq!(err["code"], "maybe_sent", "the request had reached the server");
    let closed = hang_up.recv_timeout(Duration::from_secs(5)).expect("the server saw the connection closed");
    assert!(closed - interrupted_at < Duration::from_secs(5));
}

#[test]
fn invocations_share_a_rate_limit_through_a_store() {
    use std::time::Instant;
    // Three invocations at 2 a minute through one file: the third waits for the window, which
    // shows as the limit being shared (each alone would allow itself 2).
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("trillet-cli-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = format!("file:{}", dir.join("limit").display());
    let limited = |extra: &[&str]| {
        let mut args = vec!["agents", "list", "--rate-limit", "2", "--rate-limit-store", &store];
        args.extend_from_slice(extra);
        run(&mut against(&sandbox), &args)
    };
    for _ in 0..2 {
        assert!(limited(&[]).status.success());
    }
    // The third cannot get a slot within its 1 s deadline... but the first wait is outside the
    // deadline, so use a child we can stop: it must still be waiting after a second.
    let mut child = against(&sandbox)
        .args(["agents", "list", "--rate-limit", "2", "--rate-limit-store", &store])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the third invocation did not wait for the shared limit");
    child.kill().unwrap();
    let _ = child.wait();
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(sandbox.requests().len(), 2, "only two requests in the minute");
    let err = failure(&limited_err(&sandbox), 2);
    assert_eq!(err["code"], "invalid_rate_limit_store");
    let _ = std::fs::remove_dir_all(&dir);
}

fn limited_err(sandbox: &Sandbox) -> Output {
    run(&mut against(sandbox), &["agents", "list", "--rate-limit", "2", "--rate-limit-store", "memcached://x"])
}
