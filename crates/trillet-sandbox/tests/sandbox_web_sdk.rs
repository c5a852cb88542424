//! The official web SDK's connect call (npm `@trillet-ai/web-sdk` 1.3.3, `startCall`), exactly as
//! it sends it: `POST /v1/api/calls/web/connect` with the key as `X-API_KEY` (underscore), no
//! `x-workspace-id`, and `{agentId, mode, dynamic_variables, callback_url}`. The SDK throws unless
//! the answer carries `token` and `roomName`.

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::raw;
use serde_json::json;
use trillet::models::{CallMode, WebConnect};
use trillet::Client;
use trillet_sandbox::{Sandbox, SandboxOptions};

fn start_with_agent() -> (Sandbox, String) {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().max_retries(0).build().unwrap();
    let agent = client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "Web helper"}}),
        )
        .unwrap();
    let id = agent["_id"].as_str().unwrap().to_string();
    sandbox.clear_requests();
    (sandbox, id)
}

#[test]
fn the_sdks_exact_request_is_answered_with_a_token_and_a_room_name() {
    let (sandbox, agent_id) = start_with_agent();
    let body = format!(
        r#"{{"agentId":"{agent_id}","mode":"voice","dynamic_variables":{{"customer":"Ada"}},"callback_url":"https://example.com/cb"}}"#
    );
    let answer = raw(
        sandbox.url(),
        "POST",
        "/v1/api/calls/web/connect",
        &[("Content-Type", "application/json"), ("X-API_KEY", sandbox.api_key())],
        Some(&body),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let v = answer.json();
    let token = v["token"].as_str().expect("token");
    let room = v["roomName"].as_str().expect("roomName");
    assert!(!token.is_empty() && room.starts_with(&format!("web-{agent_id}-")), "{v}");
    assert_eq!((v["status"].as_str(), v["agent"]["id"].as_str()), (Some("success"), Some(agent_id.as_str())));
    assert!(v["callId"].is_string(), "{v}");

    // The call the sandbox started carries the SDK's variables and callback.
    let client = sandbox.client_builder().build().unwrap();
    let call = client.call("call_history.get", json!({"path": {"callHistoryId": v["callId"]}})).unwrap();
    assert_eq!((&call["roomName"], &call["variables"]), (&json!(room), &json!({"customer": "Ada"})));
    assert_eq!(call["callbackUrl"], "https://example.com/cb");

    // The log shows what came in: the underscore key (redacted), no workspace header.
    let seen = &sandbox.requests()[0];
    assert_eq!(seen["operation"], "calls.web_connect");
    assert_eq!(seen["headers"]["x-api_key"], "<redacted>");
    assert!(seen["headers"].get("x-workspace-id").is_none(), "{seen}");
}

#[test]
fn the_sdks_request_with_a_wrong_or_missing_key_is_refused() {
    let (sandbox, agent_id) = start_with_agent();
    let body = format!(r#"{{"agentId":"{agent_id}","mode":"voice"}}"#);
    let path = "/v1/api/calls/web/connect";
    let wrong = raw(sandbox.url(), "POST", path, &[("X-API_KEY", "sk_wrong")], Some(&body));
    assert_eq!((wrong.status, wrong.json()["error"]["code"].as_str()), (401, Some("unauthorized")));
    let missing = raw(sandbox.url(), "POST", path, &[("Content-Type", "application/json")], Some(&body));
    assert_eq!(missing.status, 401);
    let unknown = raw(
        sandbox.url(),
        "POST",
        path,
        &[("X-API_KEY", sandbox.api_key())],
        Some(r#"{"agentId":"ffffffffffffffffffffffff"}"#),
    );
    assert_eq!((unknown.status, unknown.json()["error"]["code"].as_str()), (404, Some("not_found")));
}

#[test]
fn the_client_sends_the_sdks_body_with_or_without_a_workspace() {
    let (sandbox, agent_id) = start_with_agent();
    let connect = WebConnect::new(agent_id.clone())
        .mode(CallMode::Voice)
        .dynamic_variables(json!({"customer": "Ada"}).as_object().unwrap().clone())
        .callback_url("https://example.com/cb");
    // Without a workspace id, like the SDK: no workspace header, and served.
    let no_ws = Client::builder()
        .ignore_env()
        .base_url(sandbox.url())
        .api_key(sandbox.api_key())
        .max_retries(0)
        .build()
        .unwrap();
    let session = no_ws.calls().web_connect(&connect).unwrap();
    assert!(session.token.as_deref().is_some_and(|t| !t.is_empty()), "{session:?}");
    assert!(session.room_name.as_deref().is_some_and(|r| r.starts_with("web-")), "{session:?}");
    // With one: the header is sent (and checked).
    let with_ws = sandbox.client_builder().max_retries(0).build().unwrap();
    assert!(with_ws.calls().web_connect(&connect).unwrap().token.is_some());
    let log = sandbox.requests();
    assert_eq!(log.len(), 2);
    let expected = json!({"agentId": agent_id, "mode": "voice", "dynamic_variables": {"customer": "Ada"},
                          "callback_url": "https://example.com/cb"});
    for entry in &log {
        assert_eq!(entry["body"], expected);
    }
    assert!(log[0]["headers"].get("x-workspace-id").is_none(), "{}", log[0]);
    assert_eq!(log[1]["headers"]["x-workspace-id"], sandbox.workspace_id());
    let stranger = sandbox.client_builder().max_retries(0).workspace_id("ffffffffffffffffffffffff").build().unwrap();
    assert_eq!(stranger.calls().web_connect(&connect).unwrap_err().status(), Some(403));
}
