//! Checks made before anything is sent: E.164 numbers (`invalid_number`), empty ids
//! (`invalid_input`) and empty required body fields (`missing_field`). The mock server must see no request at all.

mod typed_support;

use mockito::Server;
use trillet::models::*;
use trillet::{Client, FilePart};
use typed_support::{client, expect_no_requests};

/// Each call must fail with `invalid_input` and one of `codes` (an empty path parameter is
/// `invalid_input`, an empty required body field `missing_field`), sending nothing.
fn assert_refused(server: &mut Server, codes: &[&str], calls: &[(&str, &dyn Fn() -> trillet::Result<()>)]) {
    let mocks = expect_no_requests(server);
    for (what, call) in calls {
        let e = call().expect_err(what);
        assert_eq!(e.kind(), "invalid_input", "{what}: {e}");
        assert!(codes.contains(&e.code()), "{what}: {e}");
    }
    for m in mocks {
        m.assert();
    }
}

/// A typed call whose result only matters as an error.
type Check<'a> = Box<dyn Fn() -> trillet::Result<()> + 'a>;

fn ok<T>(r: trillet::Result<T>) -> trillet::Result<()> {
    r.map(|_| ())
}

#[test]
fn numbers_must_be_e164() {
    let mut server = Server::new();
    let c: Client = client(&server);
    let c = &c;
    let mut calls: Vec<(&str, Check<'_>)> = Vec::new();
    for bad in ["4155550100", "+1415555", "+1234567890123456", "+1 415 555 0100", "+1415555010O"] {
        calls.push(("initiate", Box::new(move || ok(c.calls().initiate(&InitiateCall::new(bad, "cf1"))))));
        calls.push((
            "purchase",
            Box::new(move || ok(c.phone_numbers().purchase(&PurchaseNumber::new("US", "local", bad)))),
        ));
        calls.push((
            "register_external",
            Box::new(move || {
                ok(c.phone_numbers().register_external(&RegisterExternalNumber::new(
                    bad,
                    "twilio",
                    ExternalCredentials::new("AC1", "t"),
                )))
            }),
        ));
    }
    let refs: Vec<(&str, &dyn Fn() -> trillet::Result<()>)> = calls.iter().map(|(w, f)| (*w, f.as_ref())).collect();
    assert_refused(&mut server, &["invalid_number"], &refs);
}

#[test]
fn valid_numbers_at_both_bounds_are_sent() {
    let mut server = Server::new();
    let c = client(&server);
    let m = server.mock("POST", "/v1/api/call").with_body(r#"{"status":"success","call_id":"c"}"#).expect(2).create();
    for to in ["+12345678", "+123456789012345"] {
        c.calls().initiate(&InitiateCall::new(to, "cf1")).unwrap();
    }
    m.assert();
}

#[test]
fn empty_ids_are_refused() {
    let mut server = Server::new();
    let c = client(&server);
    let file = || FilePart::from_bytes("a.txt", "text/plain", b"x".to_vec());
    let calls: Vec<(&str, Check<'_>)> = vec![
        ("agents.get", Box::new(|| ok(c.agents().get("")))),
        ("agents.update", Box::new(|| ok(c.agents().update(" ", &UpdateAgent::new("gpt-4o-mini"))))),
        ("agents.delete", Box::new(|| ok(c.agents().delete("")))),
        ("omni_flow_agents.get", Box::new(|| ok(c.omni_flow_agents().get("")))),
        ("omni_flow_agents.update", Box::new(|| ok(c.omni_flow_agents().update("", &UpdateOmniFlowAgent::new())))),
        ("call_flows.get", Box::new(|| ok(c.call_flows().get("")))),
        ("call_flows.update", Box::new(|| ok(c.call_flows().update("", &UpdateCallFlow::new())))),
        ("call_flows.upload_knowledge_base", Box::new(|| ok(c.call_flows().upload_knowledge_base("", file())))),
        ("call_flows.delete_knowledge_base_file", Box::new(|| ok(c.call_flows().delete_knowledge_base_file("f", "")))),
        ("call_flows.delete", Box::new(|| ok(c.call_flows().delete("")))),
        ("message_flows.get", Box::new(|| ok(c.message_flows().get("")))),
        ("message_flows.update", Box::new(|| ok(c.message_flows().update("", &UpdateMessageFlow::new())))),
        ("folders.get", Box::new(|| ok(c.folders().get("")))),
        ("folders.update", Box::new(|| ok(c.folders().update("", &UpdateFolder::new("blue", "folder"))))),
        ("folders.delete", Box::new(|| ok(c.folders().delete("")))),
        ("folders.add_flow", Box::new(|| ok(c.folders().add_flow("f", "", "call")))),
        ("folders.remove_flow", Box::new(|| ok(c.folders().remove_flow("", "p")))),
        ("calls.initiate", Box::new(|| ok(c.calls().initiate(&InitiateCall::new("+14155550100", ""))))),
        ("calls.web_connect", Box::new(|| ok(c.calls().web_connect(&WebConnect::new(""))))),
        ("calls.web_disconnect", Box::new(|| ok(c.calls().web_disconnect("")))),
        ("calls.start_web_call", Box::new(|| ok(c.calls().start_web_call(&StartWebCall::new(""))))),
        ("calls.start_public_web_call", Box::new(|| ok(c.calls().start_public_web_call(&StartPublicWebCall::new(""))))),
        (
            "calls.start_evaluation_web_call",
            Box::new(|| ok(c.calls().start_evaluation_web_call(&EvaluationWebCall::new("", "p")))),
        ),
        ("call_history.get", Box::new(|| ok(c.call_history().get("")))),
        ("recordings.get", Box::new(|| ok(c.recordings().get("")))),
        ("recordings.start", Box::new(|| ok(c.recordings().start("p", "")))),
        ("active_calls.get", Box::new(|| ok(c.active_calls().get("")))),
        ("active_calls.end_call", Box::new(|| ok(c.active_calls().end_call("")))),
        ("active_calls.remove_agent", Box::new(|| ok(c.active_calls().remove_agent("r", "")))),
        ("batch_calls.start", Box::new(|| ok(c.batch_calls().start(&StartBatch::new("", file()))))),
        ("batch_calls.get", Box::new(|| ok(c.batch_calls().get("")))),
        ("batch_calls.progress", Box::new(|| ok(c.batch_calls().progress("")))),
        ("batch_calls.list_calls", Box::new(|| ok(c.batch_calls().list_calls("", 1, 10, None)))),
        ("batch_calls.cancel", Box::new(|| ok(c.batch_calls().cancel("")))),
        ("conversations.get", Box::new(|| ok(c.conversations().get("")))),
        (
            "conversations.generate_message",
            Box::new(|| ok(c.conversations().generate_message(&GenerateMessage::new("", "+14155550100")))),
        ),
        (
            "conversations.message_action",
            Box::new(|| ok(c.conversations().message_action("c", "", &MessageAction::approve()))),
        ),
        ("conversations.delete_message", Box::new(|| ok(c.conversations().delete_message("", "m")))),
        ("conversations.delete", Box::new(|| ok(c.conversations().delete("")))),
        ("phone_numbers.get_config", Box::new(|| ok(c.phone_numbers().get_config("")))),
        (
            "phone_numbers.update_config",
            Box::new(|| ok(c.phone_numbers().update_config("", &UpdatePhoneNumberConfig::new()))),
        ),
        ("phone_numbers.bind", Box::new(|| ok(c.phone_numbers().bind("a", "", &BindNumber::new())))),
        ("phone_numbers.unbind", Box::new(|| ok(c.phone_numbers().unbind("", "p")))),
        ("phone_numbers.release", Box::new(|| ok(c.phone_numbers().release("")))),
        ("phone_numbers.get", Box::new(|| ok(c.phone_numbers().get("")))),
        ("knowledge_base.get", Box::new(|| ok(c.knowledge_base().get("")))),
        ("knowledge_base.upload_file", Box::new(|| ok(c.knowledge_base().upload_file("", file())))),
        ("knowledge_base.update", Box::new(|| ok(c.knowledge_base().update("", "t")))),
        ("voices.get", Box::new(|| ok(c.voices().get("")))),
        ("workspaces.get", Box::new(|| ok(c.workspaces().get("")))),
        ("workspaces.update", Box::new(|| ok(c.workspaces().update("", "n")))),
        ("workspaces.delete", Box::new(|| ok(c.workspaces().delete("")))),
        ("workspaces.invite", Box::new(|| ok(c.workspaces().invite("", "a@b.c", "admin")))),
    ];
    let refs: Vec<(&str, &dyn Fn() -> trillet::Result<()>)> = calls.iter().map(|(w, f)| (*w, f.as_ref())).collect();
    assert_refused(&mut server, &["invalid_input", "missing_field"], &refs);
}
