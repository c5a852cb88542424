//! The spec's contradictions: each side of each one reads into the same typed value. The numbers
//! are those of the "Contradictions between sources" summary of the shared API spec
//! (`trillet-api/ENDPOINTS.md`, section 3, which this repository does not carry); the
//! per-endpoint notes are the `notes` of `tests/fixtures/endpoints.json`, its committed copy.

mod typed_support;

use mockito::Server;
use serde_json::{json, Value};
use trillet::models::*;
use typed_support::client;

fn read<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("reads")
}

// 14. Outbound call response: `call_id` (docs, n8n) or `callId` (a third-party client).
#[test]
fn call_id_in_either_spelling() {
    for body in [json!({"status": "success", "call_id": "c1"}), json!({"status": "success", "callId": "c1"})] {
        let started: CallStarted = read(body);
        assert_eq!(started.call_id.as_deref(), Some("c1"));
        assert!(started.extra.is_empty(), "the id must not land in extra");
    }
    // The evaluation call answers in snake_case, the web calls in camelCase; each reads the other.
    let eval: EvaluationCall = read(json!({"callId": "c2", "roomName": "r2"}));
    assert_eq!((eval.call_id.as_deref(), eval.room_name.as_deref()), (Some("c2"), Some("r2")));
    let web: WebCallSession = read(json!({"call_id": "c3", "room_name": "r3", "token": "t"}));
    assert_eq!((web.call_id.as_deref(), web.room_name.as_deref()), (Some("c3"), Some("r3")));
}

#[test]
fn call_id_spelling_through_the_typed_call() {
    let mut server = Server::new();
    let c = client(&server);
    for body in [r#"{"status":"success","call_id":"c1"}"#, r#"{"status":"success","callId":"c1"}"#] {
        let m = server.mock("POST", "/v1/api/call").with_body(body).expect(1).create();
        let started = c.calls().initiate(&InitiateCall::new("+14155550100", "cf1")).unwrap();
        assert_eq!(started.call_id.as_deref(), Some("c1"));
        m.assert();
        server.reset();
    }
}

// 6. Call-flow settings key: `callSetting` or `callSettings`; sent as `callSetting`.
#[test]
fn call_setting_in_either_spelling() {
    for key in ["callSetting", "callSettings"] {
        let flow: CallFlow =
            read(json!({"_id": "f1", "settings": {key: {"maxCallDuration": 600, "endCallOnSilence": 10}}}));
        let setting = flow.settings.unwrap().call_setting.expect(key);
        assert_eq!((setting.max_call_duration, setting.end_call_on_silence), (Some(600.0), Some(10.0)));
    }
    let settings = CallFlowSettings { call_setting: Some(CallSetting::new(300.0, 5.0)), ..Default::default() };
    let sent = serde_json::to_value(UpdateCallFlow::new().settings(settings)).unwrap();
    assert_eq!(sent["settings"]["callSetting"]["maxCallDuration"], 300.0);
    assert!(sent["settings"].get("callSettings").is_none());
}

// 6. Direction and prompt type enums differ between builds: any string reads.
#[test]
fn older_call_flow_enums_still_read() {
    let flow: CallFlow = read(json!({"direction": "inbound", "promptType": "flow", "isActive": false}));
    assert_eq!(flow.direction.as_deref(), Some("inbound"));
    assert_eq!(flow.prompt_type.as_deref(), Some("flow"));
}

// 7. Call-flow `agent`: an id (docs) or a populated `{_id, name}` (code).
#[test]
fn call_flow_agent_id_or_object() {
    let by_id: CallFlow = read(json!({"agent": "676b8e123456789012345679"}));
    let populated: CallFlow = read(json!({"agent": {"_id": "676b8e123456789012345679", "name": "Support"}}));
    let (a, b) = (by_id.agent.unwrap(), populated.agent.unwrap());
    assert_eq!(a.id(), b.id());
    assert_eq!(a.id(), Some("676b8e123456789012345679"));
    assert!(!a.is_populated());
    assert_eq!(b.object().and_then(|o| o.name.as_deref()), Some("Support"));
    // And it goes back out in the shape it came in.
    assert_eq!(serde_json::to_value(&b).unwrap(), json!({"_id": "676b8e123456789012345679", "name": "Support"}));
}

// Conventions: `phoneNumberIds` on agents, `agentId` on phone numbers and `phoneNumberId` on omni
// agents come as ids or populated documents.
#[test]
fn references_id_or_populated_object() {
    let agent: Agent =
        read(json!({"_id": "a1", "phoneNumberIds": ["p1", {"_id": "p2", "phoneNumber": "+14155550100"}]}));
    let ids: Vec<_> = agent.phone_number_ids.as_ref().unwrap().iter().map(|r| r.id()).collect();
    assert_eq!(ids, vec![Some("p1"), Some("p2")]);
    let populated = agent.phone_number_ids.as_ref().unwrap()[1].object().unwrap();
    assert_eq!(populated.phone_number.as_deref(), Some("+14155550100"));

    for agent_id in [json!("a1"), json!({"_id": "a1", "name": "Support", "status": "ready"})] {
        let number: PhoneNumber = read(json!({"_id": "p1", "agentId": agent_id}));
        assert_eq!(number.agent_id.unwrap().id(), Some("a1"));
    }

    for (value, expected) in [(json!(null), None), (json!("p9"), Some("p9")), (json!({"_id": "p9"}), Some("p9"))] {
        let omni: OmniFlowAgent = read(json!({"name": "test", "phoneNumberId": value}));
        assert_eq!(omni.phone_number_id.as_ref().and_then(|r| r.id()), expected);
    }

    // Folder `pathways`: ids in list/update, populated flows in get.
    let listed: Folder = read(json!({"pathways": ["flow123"]}));
    let got: Folder = read(json!({"pathways": [{"_id": "flow123", "name": "Support Call Flow"}]}));
    assert_eq!(listed.pathways.unwrap()[0].id(), got.pathways.unwrap()[0].id());
}

// A reference that is neither an id nor an object is refused, not silently dropped.
#[test]
fn a_malformed_reference_is_a_decode_error() {
    assert!(serde_json::from_value::<CallFlow>(json!({"agent": 42})).is_err());
}

// 4. Create agent: the older build answers flat `{agentId, ttsProvider, ...}`, the newer the
// whole document with `_id`.
#[test]
fn create_agent_old_flat_and_new_document() {
    let old: Agent =
        read(json!({"agentId": "a1", "ttsProvider": "cartesia", "ttsVoice": "v", "llmModel": "gpt-4o-mini"}));
    let new: Agent =
        read(json!({"_id": "a1", "ttsModel": {"provider": "rime", "voiceId": "v"}, "llmModel": "gpt-4o-mini"}));
    assert_eq!(old.id.as_deref(), Some("a1"));
    assert_eq!(old.id, new.id);
    assert_eq!(old.extra["ttsProvider"], "cartesia", "older fields are kept");
}

// 5. PUT replaces the whole agent and echoing read-only fields fails: `from_agent` copies the
// writable fields only, with populated references sent as ids.
#[test]
fn update_agent_from_a_fetched_agent_sends_only_writable_fields() {
    let fetched: Agent = read(json!({
        "_id": "a1", "workspaceId": "w", "userId": "u", "status": "ready", "createdAt": "x", "updatedAt": "y", "__v": 3,
        "name": "Support", "llmModel": "gpt-4.1", "phoneNumberIds": [{"_id": "p1"}, "p2"], "pathway": {"_id": "f1"},
        "activeSessions": [], "currentNode": null
    }));
    let body = serde_json::to_value(UpdateAgent::from_agent(&fetched).name("Support EN")).unwrap();
    assert_eq!(
        body,
        json!({"llmModel": "gpt-4.1", "name": "Support EN", "phoneNumberIds": ["p1", "p2"], "pathway": "f1"})
    );
}

// 9. Phone-number list: a bare array (code), a `phoneNumbers` envelope (docs text), or a single
// object (docs example). 12. Knowledge-base list: bare array or `data`.
#[test]
fn lists_bare_enveloped_or_single_through_typed_calls() {
    let number = json!({"_id": "p1", "phoneNumber": "+12345678901", "status": "active"});
    let mut server = Server::new();
    let c = client(&server);
    for body in [json!([number]), json!({"phoneNumbers": [number], "total": 1}), number.clone()] {
        let m = server.mock("GET", "/v1/api/twilio/user-phone-numbers").with_body(body.to_string()).create();
        let list = c.phone_numbers().list().unwrap();
        assert_eq!(list.len(), 1, "{body}");
        assert_eq!(list[0].id.as_deref(), Some("p1"));
        assert_eq!(list[0].phone_number.as_deref(), Some("+12345678901"));
        m.assert();
        server.reset();
    }
    let kb = json!({"_id": "k1", "name": "Docs"});
    for body in [json!([kb]), json!({"data": [kb]})] {
        let m = server.mock("GET", "/v1/api/knowledgebase").with_body(body.to_string()).create();
        let list = c.knowledge_base().list().unwrap();
        assert_eq!(list.items.iter().map(|k| k.id.as_deref()).collect::<Vec<_>>(), vec![Some("k1")], "{body}");
        m.assert();
        server.reset();
    }
    // The paged call-history list is documented as a bare array, yet may come enveloped.
    for body in [json!([{"_id": "h1"}]), json!({"data": [{"_id": "h1"}], "hasNext": false})] {
        let m = server
            .mock("GET", "/v2/api/call-history")
            .match_query(mockito::Matcher::Any)
            .with_body(body.to_string())
            .create();
        let page = c.call_history().list(1, 10, &CallHistoryFilter::new()).unwrap();
        assert_eq!(page[0].id.as_deref(), Some("h1"));
        m.assert();
        server.reset();
    }
}

// 10. Purchase: `phoneNumber` is a record with `_id` (docs) or the bare E.164 string (code).
#[test]
fn purchase_number_record_or_string() {
    let record: Purchase = read(json!({"success": true, "phoneNumber": {"_id": "p1", "phoneNumber": "+14155551234"}}));
    let bare: Purchase = read(json!({"success": true, "phoneNumber": "+14155551234"}));
    let (r, b) = (record.phone_number.unwrap(), bare.phone_number.unwrap());
    assert_eq!(r.phone_number(), b.phone_number());
    assert_eq!(r.phone_number(), Some("+14155551234"));
    assert_eq!((r.id(), b.id()), (Some("p1"), None));
    // Or a checkout link when payment is needed.
    let checkout: Purchase = read(json!({"success": false, "checkoutUrl": "https://checkout.stripe.com/x"}));
    assert_eq!(checkout.extra["checkoutUrl"], "https://checkout.stripe.com/x");
}

// 11. Bind: older `{status, message}`, newer `{agent, phoneNumber, pathwayId, direction}`;
// `metadataTags` an object here and an array in the number's config.
#[test]
fn bind_old_and_new_answers_and_both_tag_shapes() {
    let old: BindResult = read(json!({"status": "success", "message": "Call flow bound to phone number successfully"}));
    assert_eq!(old.status.as_deref(), Some("success"));
    let new: BindResult = read(json!({
        "agent": {"_id": "64f9b12a", "phoneNumberIds": ["750cd920"]},
        "phoneNumber": {"_id": "750cd920", "metadataTags": {"department": "support"}},
        "pathwayId": "pwy_abc123", "direction": "bidirectional"
    }));
    assert_eq!(new.agent.unwrap().id(), Some("64f9b12a"));
    let number = new.phone_number.unwrap();
    let tags = number.object().unwrap().metadata_tags.clone().unwrap();
    assert_eq!(tags, MetadataTags::Map(json!({"department": "support"}).as_object().unwrap().clone()));
    let config: PhoneNumberConfig = read(json!({"metadataTags": ["sales", "priority"]}));
    assert_eq!(config.metadata_tags, Some(MetadataTags::List(vec!["sales".into(), "priority".into()])));
}

// Delete agent: the docs type `success` as a string, the example sends a boolean.
#[test]
fn success_as_boolean_or_string() {
    for v in [json!(true), json!("true")] {
        let ack: Ack = read(json!({"success": v, "message": "Agent successfully deleted"}));
        assert_eq!(ack.success, Some(true));
        assert!(ack.is_success());
    }
}

// 13. Delete message / conversation: the examples are not valid JSON. The typed call reads the
// documented fields, keeps the rest, and reads an empty body as an empty acknowledgement.
#[test]
fn deletes_read_status_message_or_nothing() {
    let mut server = Server::new();
    let c = client(&server);
    let m = server
        .mock("DELETE", "/v1/api/conversations/c1")
        .with_body(r#"{"status":"success","message":"deleted","conversationId":"c1"}"#)
        .create();
    let ack = c.conversations().delete("c1").unwrap();
    assert!(ack.is_success());
    assert_eq!(ack.extra["conversationId"], "c1");
    m.assert();
    server.reset();
    let m = server.mock("DELETE", "/v1/api/conversations/c1/message/m1").with_status(200).create();
    assert_eq!(c.conversations().delete_message("c1", "m1").unwrap(), Ack::default());
    m.assert();
    server.reset();
    let m = server.mock("DELETE", "/v1/api/conversations/c1").with_body("{not json").create();
    assert_eq!(c.conversations().delete("c1").unwrap_err().kind(), "decode");
    m.assert();
}

// Call history: list items carry `cost` as a number and `agent` as a name; the detail record
// `cost` as `{customer_charge}` and `agentId`.
#[test]
fn call_history_list_item_and_detail_shapes() {
    let item: CallHistory = read(json!({"_id": "h1", "cost": 0.25, "agent": "SampleAgent"}));
    let detail: CallHistory = read(json!({"_id": "h1", "cost": {"customer_charge": 0.25}, "agentId": "a1"}));
    assert_eq!(item.cost.unwrap().customer_charge(), detail.cost.unwrap().customer_charge());
    assert_eq!(item.agent, Some(json!("SampleAgent")));
    assert_eq!(detail.agent_id.unwrap().id(), Some("a1"));
}

// The omni-flow create example has no `_id`; reading does not require one.
#[test]
fn omni_agent_without_id() {
    let agent: OmniFlowAgent = read(json!({"name": "test", "status": "ready"}));
    assert_eq!(agent.id, None);
    assert_eq!(agent.name.as_deref(), Some("test"));
}

// Error format: nested `{"error":{"code","message"}}` (docs) and flat `{"error","message"}`
// (endpoint pages, code) give the same error through a typed call.
#[test]
fn nested_and_flat_errors_are_the_same_error() {
    let mut server = Server::new();
    let c = client(&server);
    let bodies = [
        json!({"error": {"code": "invalid_number", "message": "The provided phone number is invalid"}}),
        json!({"error": "invalid_number", "message": "The provided phone number is invalid"}),
    ];
    let mut seen = Vec::new();
    for body in bodies {
        let m = server
            .mock("POST", "/v1/api/call")
            .with_status(400)
            .with_header("x-request-id", "req_42")
            .with_body(body.to_string())
            .expect(1)
            .create();
        let e = c.calls().initiate(&InitiateCall::new("+14155550100", "cf1")).unwrap_err();
        m.assert();
        server.reset();
        seen.push((
            e.kind(),
            e.status(),
            e.code().to_string(),
            e.message().to_string(),
            e.request_id().map(str::to_string),
        ));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(
        seen[0],
        (
            "api",
            Some(400),
            "invalid_number".to_string(),
            "The provided phone number is invalid".to_string(),
            Some("req_42".to_string())
        )
    );

    // Not-found comes nested, flat with an id, or as a 500 with text: status and message survive.
    for (status, body, code) in [
        (404, json!({"error": {"code": "not_found", "message": "Batch not found"}}), "not_found"),
        (404, json!({"error": "Batch not found", "message": "No batch with id b1", "id": "b1"}), "not_found"),
        (500, json!({"message": "Agent not found"}), "internal_server_error"),
    ] {
        let m = server.mock("GET", "/v1/api/batch-calls/b1").with_status(status).with_body(body.to_string()).create();
        let e = c.batch_calls().get("b1").unwrap_err();
        assert_eq!((e.status(), e.code()), (Some(status as u16), code), "{body}");
        assert!(e.message().contains("not found"), "{}", e.message());
        m.assert();
        server.reset();
    }
}
