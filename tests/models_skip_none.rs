//! `skip_none! { struct … }` on the models: an unset optional field is left out of the JSON
//! (never sent as `null`), a set one is sent, and a response read back serializes without nulls.

use serde_json::{json, Value};
use trillet::models::*;

fn nulls(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Null => out.push(path.to_string()),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| nulls(x, &format!("{path}/{i}"), out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| nulls(x, &format!("{path}/{k}"), out)),
        _ => {}
    }
}

fn assert_no_nulls<T: serde::Serialize>(what: &str, value: &T) -> Value {
    let v = serde_json::to_value(value).unwrap();
    let mut found = Vec::new();
    nulls(&v, "", &mut found);
    assert!(found.is_empty(), "{what} sends null at {found:?}: {v}");
    v
}

#[test]
fn request_types_send_only_what_is_set() {
    let tts = TtsModel::new("rime", "mistv2_Wildflower");
    let v = assert_no_nulls("CreateAgent", &CreateAgent::new("Support", tts.clone()));
    assert_eq!(v["name"], "Support");
    assert!(v.get("phoneNumberIds").is_none() && v.get("settings").is_none(), "{v}");
    assert_no_nulls("UpdateAgent", &UpdateAgent::new("gpt-4o-mini"));
    assert_no_nulls("InitiateCall", &InitiateCall::new("+14155550100", "a1"));
    assert_no_nulls("WebConnect", &WebConnect::new("a1"));
    assert_no_nulls("StartWebCall", &StartWebCall::new("a1"));
    assert_no_nulls("StartPublicWebCall", &StartPublicWebCall::new("a1"));
    assert_no_nulls("EvaluationWebCall", &EvaluationWebCall::new("a1", "be rude"));
    assert_no_nulls("GenerateMessage", &GenerateMessage::new("f1", "+14155550100"));
    assert_no_nulls("CreateKnowledgeBase", &CreateKnowledgeBase::new("kb"));
    assert_no_nulls("CreateOmniFlowAgent", &CreateOmniFlowAgent::new("o"));
    assert_no_nulls("UpdateOmniFlowAgent", &UpdateOmniFlowAgent::new());
    assert_no_nulls("UpdateMessageFlow", &UpdateMessageFlow::new());
    assert_no_nulls("UpdateCallFlow", &UpdateCallFlow::new());
    assert_no_nulls("ExportCsv", &ExportCsv::new());
    assert_no_nulls("PurchaseNumber", &PurchaseNumber::new("US", "local", "+14155550100"));
    assert_no_nulls("UpdatePhoneNumberConfig", &UpdatePhoneNumberConfig::new());
    assert_no_nulls("BindNumber", &BindNumber::new());
    assert_no_nulls("CreateVoice", &CreateVoice::new("v", json!([0.1])));
    // A set optional field is sent.
    let v = serde_json::to_value(CreateAgent::new("S", tts).smart_callback(true)).unwrap();
    assert_eq!(v["smartCallback"], true);
    let v = serde_json::to_value(InitiateCall::new("+14155550100", "a1")).unwrap();
    assert_eq!(v, json!({"to": "+14155550100", "call_agent_id": "a1"}));
}

#[test]
fn responses_read_back_serialize_without_nulls_for_missing_fields() {
    let agent: Agent = serde_json::from_value(json!({"_id": "a1", "name": "S"})).unwrap();
    assert_eq!(assert_no_nulls("Agent", &agent), json!({"_id": "a1", "name": "S"}));
    let ack: Ack = serde_json::from_value(json!({"status": "success"})).unwrap();
    assert_eq!(assert_no_nulls("Ack", &ack), json!({"status": "success"}));
    assert_eq!(assert_no_nulls("Pagination", &Pagination::default()), json!({}));
    let started: CallStarted = serde_json::from_value(json!({"callId": "c1"})).unwrap();
    assert_eq!(assert_no_nulls("CallStarted", &started), json!({"call_id": "c1"}));
}
