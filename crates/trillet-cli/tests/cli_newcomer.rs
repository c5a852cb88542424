//! What a newcomer meets first: suggestions for a misspelled command, global flags before the
//! command, help examples that run as shown, required path arguments shown as required, and a
//! missing API key named in the CLI's words.

use serde_json::Value;
use std::process::{Command, Output};
use trillet_sandbox::{Sandbox, SandboxOptions};

mod support;
use support::{against, trillet};

fn run(mut c: Command, args: &[&str]) -> Output {
    c.args(args).output().unwrap()
}

/// Asserts exit code 2 and one line of error JSON on stderr; returns its `error`.
fn usage_failure(o: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line of error JSON: {stderr}");
    let v: Value = serde_json::from_str(stderr.trim()).unwrap();
    v["error"].clone()
}

fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).unwrap()
}

#[test]
fn misspelled_resources_and_actions_get_a_suggestion() {
    for (args, suggestion) in [
        (&["agent", "list"][..], "did you mean 'agents'?"),
        (&["agents", "lst"][..], "did you mean 'list'?"),
        (&["phone_number", "list"][..], "did you mean 'phone_numbers'?"),
        (&["knowledge_base", "uplod_file"][..], "did you mean 'upload_file'?"),
    ] {
        let err = usage_failure(&run(trillet(), args));
        assert_eq!(err["code"], "usage_error");
        let message = err["message"].as_str().unwrap();
        assert!(message.contains(suggestion), "{args:?}: {message}");
    }
}

#[test]
fn global_flags_work_before_the_resource() {
    let sb = sandbox();
    // Everything on the command line, before the command: nothing from the environment.
    let o = run(
        trillet(),
        &[
            "-v",
            "--api-key",
            sb.api_key(),
            &format!("--base-url={}", sb.url()),
            "--workspace-id",
            sb.workspace_id(),
            "agents",
            "create",
            "--name",
            "Early flags",
            "--body",
            r#"{"ttsModel":{"voiceId":"v"}}"#,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let agent: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(agent["name"], "Early flags");
    // -v before the command printed the exchange's metadata.
    let meta: Value = serde_json::from_str(String::from_utf8_lossy(&o.stderr).trim()).unwrap();
    assert_eq!(meta["status"], 200, "{meta}");
    // --json before `ops` is the catalog JSON.
    let o = run(trillet(), &["--json", "ops"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let catalog: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(catalog.is_object() || catalog.is_array(), "{catalog}");
    // The same flags after the action keep working.
    let o = run(against(&sb), &["agents", "list", "-v"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"status\":200"));
}

#[test]
fn the_root_help_says_global_flags_may_come_first() {
    let o = run(trillet(), &["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("trillet -v agents list"), "{help}");
}

/// The example line of an action's `--help`, as words (single quotes as the shell reads them).
fn help_example(resource: &str, action: &str) -> Vec<String> {
    let o = run(trillet(), &[resource, action, "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout).to_string();
    let line = help
        .lines()
        .skip_while(|l| *l != "Example:")
        .nth(1)
        .unwrap_or_else(|| panic!("{resource} {action}: no example in\n{help}"))
        .trim()
        .to_string();
    let mut words = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => (quoted, any) = (!quoted, true),
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => (word, any) = (word + &c.to_string(), true),
        }
    }
    if any {
        words.push(word);
    }
    assert_eq!(&words[..3], ["trillet", resource, action], "{line}");
    words
}

/// Runs a help example against the sandbox, every `<placeholder>` replaced by `id`, in `dir`;
/// returns the response JSON.
fn run_example(sb: &Sandbox, resource: &str, action: &str, id: &str, dir: &std::path::Path) -> Value {
    let words = help_example(resource, action);
    let args: Vec<String> = words[1..].iter().map(|w| replace_placeholders(w, id)).collect();
    let mut c = against(sb);
    c.current_dir(dir);
    let o = c.args(&args).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{resource} {action}: `{}` failed: {}",
        words.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or(Value::Null)
}

fn replace_placeholders(word: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        out.push_str(&rest[..start]);
        out.push_str(id);
        rest = &rest[start + len + 1..];
    }
    out + rest
}

#[test]
fn help_examples_run_against_the_sandbox() {
    let sb = sandbox();
    let dir = std::env::temp_dir().join(format!("trillet-cli-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("faq.pdf"), b"%PDF-1.4 frequently asked questions").unwrap();
    for (resource, actions) in [
        ("agents", &["list", "get", "update", "delete"][..]),
        ("call_flows", &["list", "get", "update"][..]),
        ("folders", &["list", "get", "update", "delete"][..]),
        ("knowledge_base", &["list", "get", "update", "upload_file"][..]),
        ("omni_flow_agents", &["list", "get"][..]),
        ("workspaces", &["get", "update"][..]),
    ] {
        let created = run_example(&sb, resource, "create", "-", &dir);
        let id = created["_id"]
            .as_str()
            .or(created["id"].as_str())
            .unwrap_or_else(|| panic!("{resource} create answered {created}"))
            .to_string();
        for action in actions {
            run_example(&sb, resource, action, &id, &dir);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_examples_carry_the_required_body_fields_with_the_spec_values() {
    let words = help_example("agents", "create");
    let body: Value = serde_json::from_str(&words[words.iter().position(|w| w == "--body").unwrap() + 1]).unwrap();
    assert_eq!(body["llmModel"], "gpt-4o-mini", "the spec's default: {body}");
    assert_eq!(body["ttsModel"]["language"], "en", "the spec's default, inside an object: {body}");
    assert_eq!(body["ttsModel"]["voiceId"], "mistv2_Wildflower", "the spec's sample: {body}");
    assert_eq!(body["ttsModel"]["provider"], "openai", "the spec's first enum value: {body}");
    assert!(body["name"].is_string());
    let words = help_example("folders", "create");
    let body: Value = serde_json::from_str(&words[words.iter().position(|w| w == "--body").unwrap() + 1]).unwrap();
    let mut keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["color", "flowType", "icon", "name"], "exactly the required fields");
}

#[test]
fn required_path_arguments_are_shown_and_checked_as_required() {
    for (resource, action, args) in
        [("agents", "get", &["<agentId>"][..]), ("folders", "remove_flow", &["<folderId>", "<pathwayId>"][..])]
    {
        let o = run(trillet(), &[resource, action, "--help"]);
        let help = String::from_utf8_lossy(&o.stdout);
        let usage = help.lines().find(|l| l.starts_with("Usage:")).unwrap();
        assert!(usage.ends_with(&format!("[OPTIONS] {}", args.join(" "))), "{usage}");
        assert!(!help.contains('[') || !args.iter().any(|a| help.contains(&format!("[{}]", &a[1..a.len() - 1]))));
    }
    let mut c = trillet();
    c.env("TRILLET_API_KEY", "k").env("TRILLET_WORKSPACE_ID", "w").env("TRILLET_BASE_URL", "http://127.0.0.1:9");
    let err = usage_failure(&run(c, &["agents", "get"]));
    assert_eq!(err["code"], "missing_path_param");
    assert!(err["message"].as_str().unwrap().contains("<agentId>"), "{err}");
    // --path NAME=VALUE stands in for the positional form.
    let sb = sandbox();
    let o = run(against(&sb), &["agents", "create", "--name", "P", "--body", r#"{"ttsModel":{"voiceId":"v"}}"#]);
    let id = serde_json::from_slice::<Value>(&o.stdout).unwrap()["_id"].as_str().unwrap().to_string();
    let o = run(against(&sb), &["agents", "get", "--path", &format!("agentId={id}")]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_missing_api_key_names_the_flag_and_the_variable() {
    let err = usage_failure(&run(trillet(), &["agents", "list", "--workspace-id", "w"]));
    assert_eq!((&err["kind"], &err["code"]), (&"invalid_input".into(), &"missing_api_key".into()));
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("--api-key") && message.contains("TRILLET_API_KEY"), "{message}");
    assert!(!message.contains("api_key "), "the library's setting name is not the CLI's: {message}");
    let err = usage_failure(&run(trillet(), &["agents", "list", "--api-key", "k"]));
    assert_eq!(err["code"], "missing_workspace_id");
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("--workspace-id") && message.contains("TRILLET_WORKSPACE_ID"), "{message}");
}
