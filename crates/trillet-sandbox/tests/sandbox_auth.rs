//! Auth like the API (401 / 400 missing_workspace_id / 403), request validation, options, and
//! rate-limit emulation (429 rate_limit_exceeded with reset_at and Retry-After).

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::raw;
use serde_json::json;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use trillet_sandbox::{Sandbox, SandboxOptions, DEFAULT_API_KEY, DEFAULT_WORKSPACE_ID};

const WS: &str = DEFAULT_WORKSPACE_ID;

#[test]
fn defaults_match_the_contract() {
    let options = SandboxOptions::default();
    assert_eq!((options.port, options.rate_limit_per_minute), (0, None));
    assert_eq!((DEFAULT_API_KEY, DEFAULT_WORKSPACE_ID), ("sk_test_trillet_sandbox", "64a1b2c3d4e5f6a7b8c9d0e1"));
    assert!(!format!("{options:?}").contains(DEFAULT_API_KEY), "Debug redacts the key");
    let sandbox = Sandbox::start(options).unwrap();
    assert_eq!(sandbox.url(), format!("http://127.0.0.1:{}", sandbox.port()));
    assert_eq!((sandbox.api_key(), sandbox.workspace_id()), (DEFAULT_API_KEY, WS));
}

#[test]
fn a_missing_or_wrong_key_is_401() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let r = raw(sandbox.url(), "GET", "/v1/api/agents", &[("x-workspace-id", WS)], None);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("x-api-key"));
    let r = raw(sandbox.url(), "GET", "/v1/api/agents", &[("x-api-key", "sk_nope"), ("x-workspace-id", WS)], None);
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (401, Some("unauthorized")));
    let client = sandbox.client_builder().api_key("sk_nope").build().unwrap();
    let e = client.call("agents.list", json!({})).unwrap_err();
    assert_eq!((e.kind(), e.status(), e.code()), ("api", Some(401), "unauthorized"));
    assert!(e.request_id().is_some_and(|id| id.starts_with("req_")));
    // Both were logged, with the key redacted.
    let log = sandbox.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1]["headers"]["x-api-key"], "<redacted>");
    assert!(!serde_json::to_string(&log).unwrap().contains("sk_nope"));
}

#[test]
fn workspace_header_rules() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let key = ("x-api-key", DEFAULT_API_KEY);
    let r = raw(sandbox.url(), "GET", "/v1/api/agents", &[key], None);
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some("missing_workspace_id")));
    let r = raw(sandbox.url(), "GET", "/v1/api/agents", &[key, ("x-workspace-id", "000000000000000000000000")], None);
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (403, Some("forbidden")));
    let r = raw(
        sandbox.url(),
        "GET",
        &format!("/v1/api/workspaces/{WS}"),
        &[key, ("x-workspace-id", "000000000000000000000000")],
        None,
    );
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "the header must match the path"
    );
    // Key-only operations need no workspace; the browser-safe one needs no key.
    let r = raw(sandbox.url(), "GET", "/v1/api/workspaces", &[key], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()[0]["_id"], WS);
    let r = raw(
        sandbox.url(),
        "POST",
        "/v1/api/web-call/public",
        &[("x-workspace-id", WS), ("content-type", "application/json")],
        Some(r#"{"call_agent_id":"0123456789abcdef01234567"}"#),
    );
    assert_eq!(
        (r.status, r.json()["error"]["message"].as_str()),
        (404, Some("Agent 0123456789abcdef01234567 not found"))
    );
}

#[test]
fn custom_key_and_workspace() {
    let options = SandboxOptions {
        api_key: "sk_custom".into(),
        workspace_id: "aaaaaaaaaaaaaaaaaaaaaaaa".into(),
        ..SandboxOptions::default()
    };
    let sandbox = Sandbox::start(options).unwrap();
    let agent = sandbox
        .client_builder()
        .build()
        .unwrap()
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap();
    assert_eq!(agent["workspaceId"], "aaaaaaaaaaaaaaaaaaaaaaaa");
    let r = raw(
        sandbox.url(),
        "GET",
        "/v1/api/agents",
        &[("x-api-key", DEFAULT_API_KEY), ("x-workspace-id", "aaaaaaaaaaaaaaaaaaaaaaaa")],
        None,
    );
    assert_eq!(r.status, 401, "the default key is not accepted");
}

#[test]
fn invalid_options_are_refused() {
    for options in [
        SandboxOptions { api_key: String::new(), ..SandboxOptions::default() },
        SandboxOptions { api_key: "a b".into(), ..SandboxOptions::default() },
        SandboxOptions { workspace_id: String::new(), ..SandboxOptions::default() },
        SandboxOptions { rate_limit_per_minute: Some(0), ..SandboxOptions::default() },
    ] {
        assert_eq!(Sandbox::start(options).unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    }
    let taken = Sandbox::start(SandboxOptions::default()).unwrap();
    let again = Sandbox::start(SandboxOptions { port: taken.port(), ..SandboxOptions::default() });
    assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn routing_and_body_errors() {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let h = [("x-api-key", DEFAULT_API_KEY), ("x-workspace-id", WS), ("content-type", "application/json")];
    let r = raw(sandbox.url(), "GET", "/v1/api/nothing", &h, None);
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (404, Some("not_found")));
    let r = raw(sandbox.url(), "PATCH", "/v1/api/agents", &h, Some("{}"));
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (405, Some("method_not_allowed")));
    let r = raw(sandbox.url(), "POST", "/v1/api/agents", &h, Some("{not json"));
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some("invalid_json")));
    let r = raw(sandbox.url(), "POST", "/v1/api/agents", &h, Some("[1]"));
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some("validation_error")));
    let r = raw(sandbox.url(), "POST", "/v1/api/batch-calls", &h, Some("{}"));
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some("invalid_content_type")));
    let r = raw(
        sandbox.url(),
        "POST",
        "/v1/api/knowledgebase/x/files",
        &[h[0], h[1], ("content-type", "multipart/form-data; boundary=zz")],
        Some("garbage"),
    );
    assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some("invalid_multipart")));
    // Unknown routes are logged with operation null.
    assert_eq!(sandbox.requests()[0]["operation"], serde_json::Value::Null);
    assert_eq!(sandbox.requests()[1]["operation"], serde_json::Value::Null);
}

#[test]
fn rate_limit_emulation() {
    let sandbox =
        Sandbox::start(SandboxOptions { rate_limit_per_minute: Some(3), ..SandboxOptions::default() }).unwrap();
    let client = sandbox.client_builder().max_retries(2).timeout(Duration::from_secs(3)).build().unwrap();
    for _ in 0..3 {
        client.call("agents.list", json!({})).unwrap();
    }
    let started = Instant::now();
    let e = client.call("agents.list", json!({})).unwrap_err();
    // Not waited for: the wait (up to a minute) is past the 3 s deadline. The rule itself is
    // tested on the fake clock (tests/clock.rs); this bound only needs to hold on a loaded machine.
    assert!(started.elapsed() < Duration::from_secs(10), "a wait beyond the deadline is not attempted");
    assert_eq!(sandbox.requests().len(), 4, "the 429 was not retried: its wait is past the deadline");
    assert_eq!((e.kind(), e.status(), e.code()), ("api", Some(429), "rate_limit_exceeded"));
    let wait = e.retry_after().expect("retry_after from Retry-After / reset_at");
    assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60), "{wait:?}");
    assert_eq!(sandbox.requests().len(), 4, "not retried: the wait is longer than the deadline");

    let r =
        raw(sandbox.url(), "GET", "/v1/api/agents", &[("x-api-key", DEFAULT_API_KEY), ("x-workspace-id", WS)], None);
    assert_eq!(r.status, 429);
    let retry_after: u64 = r.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body = r.json();
    assert_eq!(body["error"]["code"], "rate_limit_exceeded");
    let reset_at = body["error"]["reset_at"].as_str().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    assert_eq!(unix_seconds("2024-01-22T15:30:00Z"), Some(1_705_937_400));
    let until = unix_seconds(reset_at).expect(reset_at);
    assert!(until + 1 >= now && until <= now + 61, "{reset_at} is within the next minute");

    // Control endpoints are not limited; a reset starts a new window.
    assert_eq!(raw(sandbox.url(), "GET", "/__sandbox/requests", &[], None).status, 200);
    sandbox.reset();
    client.call("agents.list", json!({})).unwrap();
}

/// `2024-01-22T15:30:00Z` (fractional seconds allowed) as Unix seconds: the test's own reading
/// of the format, independent of the crate's parser.
fn unix_seconds(iso: &str) -> Option<u64> {
    let (date, time) = iso.strip_suffix('Z')?.split_once('T')?;
    let d: Vec<i64> = date.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let t: Vec<f64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let (y, m, day) = (d[0] - i64::from(d[1] <= 2), d[1], d[2]);
    // Days from the civil date (Howard Hinnant's algorithm).
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    u64::try_from(days * 86_400 + (t[0] * 3600.0 + t[1] * 60.0 + t[2]) as i64).ok()
}
