//! Every documented field of the main response examples lands in a typed field, not in `extra`.
//! (The per-operation round trip cannot see this: a misspelled rename would park the field in
//! `extra` and serialize it back unchanged.)

use serde_json::Value;
use trillet::models::*;

fn example(method: &str, path: &str) -> Value {
    let spec: Vec<Value> = serde_json::from_str(include_str!("fixtures/endpoints.json")).unwrap();
    let e = spec.iter().find(|e| e["method"] == method && e["path"] == path).expect("in the spec");
    let ex = e["response_example"].clone();
    match ex {
        Value::Array(mut items) => items.remove(0),
        other => other,
    }
}

macro_rules! no_extra {
    ($($ty:ty => $method:literal $path:literal),* $(,)?) => {{
        let mut problems = Vec::new();
        $(
            let m: $ty = serde_json::from_value(example($method, $path)).expect(stringify!($ty));
            if !m.extra.is_empty() {
                let keys: Vec<&String> = m.extra.keys().collect();
                problems.push(format!("{} ({} {}): untyped {:?}", stringify!($ty), $method, $path, keys));
            }
        )*
        problems
    }};
}

#[test]
fn documented_fields_have_typed_homes() {
    let problems = no_extra![
        Agent => "GET" "/v1/api/agents/{agentId}",
        OmniFlowAgent => "GET" "/v1/api/omni-flow-agents/{id}",
        CallFlow => "GET" "/v1/api/call-flows/{id}",
        MessageFlow => "GET" "/v1/api/message-flows/{id}",
        Folder => "GET" "/v1/api/flow-folders",
        CallStarted => "POST" "/v1/api/call",
        WebCallSession => "POST" "/v1/api/calls/web/connect",
        CallHistory => "GET" "/v2/api/call-history/{callHistoryId}",
        ActiveCall => "GET" "/v2/api/active-calls/{roomName}",
        BatchStatus => "GET" "/v1/api/batch-calls/{batchId}",
        BatchProgress => "GET" "/v1/api/batch-calls/{batchId}/status",
        Conversation => "GET" "/v1/api/conversations/{conversationId}",
        GeneratedMessage => "POST" "/v1/api/conversations/message/generate",
        PhoneNumberConfig => "GET" "/v1/api/twilio/phone-numbers/{phoneNumberId}/config",
        KnowledgeBase => "GET" "/v1/api/knowledgebase/{id}",
        Voice => "GET" "/v1/api/voices/{id}",
        Workspace => "GET" "/v1/api/workspaces/{workspaceId}",
        RecordingStarted => "POST" "/v2/api/recordings/start-recording",
    ];
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
