//! What schemathesis found in the sandbox, pinned: a body that breaks what the spec says of its
//! fields or of the stored document (src/handlers/valid.rs: the spec's types, its `(0-30)` range,
//! whole counts) is refused with 400 `validation_error` and changes nothing, so no later answer
//! breaks the schema of `bindings/openapi.json` where the spec and the client's models agree.

use serde_json::{json, Value};
use trillet::Client;
use trillet_sandbox::{Sandbox, SandboxOptions};

fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().max_retries(0).build().unwrap();
    (sandbox, client)
}

fn agent(client: &Client) -> String {
    let body = json!({"name": "A", "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}});
    client.call("agents.create", json!({"body": body})).unwrap()["_id"].as_str().unwrap().to_string()
}

fn refused(result: trillet::Result<Value>, needle: &str) {
    let e = result.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(400), "validation_error"), "{e}");
    assert!(e.to_string().contains(needle), "{e}");
}

#[test]
fn a_negative_callback_gap_is_refused_and_not_stored() {
    let (_sandbox, client) = start();
    let before = client.call("agents.list", json!({})).unwrap();
    let body = json!({"name": "A", "ttsModel": {"voiceId": "v"}, "gapBetweenEachAttemptForSmartCallback": [{"days": 1, "hours": -473}]});
    refused(client.call("agents.create", json!({"body": body})), "-473");
    assert_eq!(client.call("agents.list", json!({})).unwrap(), before, "nothing was stored");

    let id = agent(&client);
    let stored = client.call("agents.get", json!({"path": {"agentId": id}})).unwrap();
    let update = json!({"gapBetweenEachAttemptForSmartCallback": [{"days": "one"}]});
    refused(client.call("agents.update", json!({"path": {"agentId": id}, "body": update})), "\"one\"");
    assert_eq!(client.call("agents.get", json!({"path": {"agentId": id}})).unwrap(), stored, "unchanged");
    // A valid update still lands.
    let update = json!({"gapBetweenEachAttemptForSmartCallback": [{"days": 2, "hours": 3}]});
    let updated = client.call("agents.update", json!({"path": {"agentId": id}, "body": update})).unwrap();
    assert_eq!(updated["gapBetweenEachAttemptForSmartCallback"], json!([{"days": 2, "hours": 3}]));
}

#[test]
fn bind_refuses_metadata_tags_that_are_not_strings_or_an_object() {
    let (_sandbox, client) = start();
    let id = agent(&client);
    let number = json!({"country": "US", "type": "local", "phoneNumber": "+14155550123"});
    let bought = client.call("phone_numbers.purchase", json!({"body": number})).unwrap();
    let number_id = bought["phoneNumber"]["_id"].as_str().unwrap().to_string();
    let path = json!({"agentId": id, "phoneNumberId": number_id});
    refused(
        client.call("phone_numbers.bind", json!({"path": path, "body": {"metadataTags": [null, null]}})),
        "metadataTags",
    );
    refused(client.call("phone_numbers.bind", json!({"path": path, "body": {"officeHours": "9-5"}})), "officeHours");
    let config = client.call("phone_numbers.get_config", json!({"path": {"phoneNumberId": number_id}})).unwrap();
    assert_ne!(config["agentId"], id.as_str(), "a refused bind binds nothing: {config}");
    let bound = client.call("phone_numbers.bind", json!({"path": path, "body": {"metadataTags": ["vip"]}})).unwrap();
    assert_eq!(bound["phoneNumber"]["metadataTags"], json!(["vip"]));
    let bound =
        client.call("phone_numbers.bind", json!({"path": path, "body": {"metadataTags": {"team": "sales"}}})).unwrap();
    assert_eq!(bound["phoneNumber"]["metadataTags"], json!({"team": "sales"}));
}
