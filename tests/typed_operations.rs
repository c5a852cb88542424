//! Every one of the 78 operations, through its typed namespace method: the method, path (with
//! hostile ids percent-encoded as one segment), headers, query and body sent, and the spec's
//! response example read into the typed model and written back without losing a field.

mod typed_support;

use mockito::{Matcher, Server};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use trillet::models::*;
use trillet::{Client, FilePart, OPERATIONS};
use typed_support::{client, normalize, spec, spec_entry, WS};

// Ids with characters that must not change the route; each is sent as one encoded segment.
const A: &str = "ag/1 é";
const A_ENC: &str = "ag%2F1%20%C3%A9";
const B: &str = "id?2#x";
const B_ENC: &str = "id%3F2%23x";
const DOTS: &str = "..";
const DOTS_ENC: &str = "%2E%2E";
const KEY: &str = "kb%/3";
const KEY_ENC: &str = "kb%25%2F3";
// Workspace ids travel in a header too, so this one is ASCII.
const W: &str = "ws:9/9";
const W_ENC: &str = "ws%3A9%2F9";

/// Operations sent with the API key only (no workspace header), and the one sent without the key.
const KEY_ONLY: &[&str] =
    &["calls.start_web_call", "calls.start_evaluation_web_call", "workspaces.list", "workspaces.create"];
const WORKSPACE_ONLY: &[&str] = &["calls.start_public_web_call"];
/// Operations that send the workspace header when the client has one, but do not require it.
const OPTIONAL_WORKSPACE: &[&str] = &["calls.web_connect", "workspaces.pending_invitations"];

type Call = fn(&Client) -> trillet::Result<Value>;

enum Body {
    None,
    Json(Value),
    /// Text fields, then the file part: (field, filename, content type, content).
    Multipart(Vec<(&'static str, &'static str)>, (&'static str, &'static str, &'static str, &'static str)),
}

struct Case {
    op: &'static str,
    method: &'static str,
    path: String,
    query: Option<&'static str>,
    body: Body,
    call: Call,
}

fn case(op: &'static str, method: &'static str, path: impl Into<String>, call: Call) -> Case {
    Case { op, method, path: path.into(), query: None, body: Body::None, call }
}

impl Case {
    fn json(mut self, body: Value) -> Self {
        self.body = Body::Json(body);
        self
    }
    fn query(mut self, q: &'static str) -> Self {
        self.query = Some(q);
        self
    }
    fn multipart(
        mut self,
        fields: Vec<(&'static str, &'static str)>,
        file: (&'static str, &'static str, &'static str, &'static str),
    ) -> Self {
        self.body = Body::Multipart(fields, file);
        self
    }
}

fn ser<T: Serialize>(r: trillet::Result<T>) -> trillet::Result<Value> {
    r.map(|v| serde_json::to_value(v).expect("models serialize"))
}

fn obj(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().expect("object").clone()
}

fn cases() -> Vec<Case> {
    vec![
        // agents
        case("agents.create", "POST", "/v1/api/agents", |c| {
            ser(c.agents().create(
                &CreateAgent::new("Support", TtsModel::new("rime", "mistv2_Wildflower"))
                    .smart_callback(true)
                    .phone_number_ids(vec!["p1".to_string()])
                    .field("systemPrompt", "Be nice"),
            ))
        })
        .json(json!({"name": "Support", "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower", "language": "en"},
                     "llmModel": "gpt-4o-mini", "smartCallback": true, "phoneNumberIds": ["p1"], "systemPrompt": "Be nice"})),
        case("agents.list", "GET", "/v1/api/agents", |c| ser(c.agents().list())),
        case("agents.get", "GET", format!("/v1/api/agents/{A_ENC}"), |c| ser(c.agents().get(A))),
        case("agents.update", "PUT", format!("/v1/api/agents/{A_ENC}"), |c| {
            ser(c.agents().update(A, &UpdateAgent::new("gpt-4.1").name("Renamed")))
        })
        .json(json!({"llmModel": "gpt-4.1", "name": "Renamed"})),
        case("agents.delete", "DELETE", format!("/v1/api/agents/{A_ENC}"), |c| ser(c.agents().delete(A))),
        // omni_flow_agents
        case("omni_flow_agents.create", "POST", "/v1/api/omni-flow-agents", |c| {
            ser(c.omni_flow_agents().create(&CreateOmniFlowAgent::new("SMS helper")))
        })
        .json(json!({"name": "SMS helper", "llmModel": "gpt-4o-mini"})),
        case("omni_flow_agents.list", "GET", "/v1/api/omni-flow-agents", |c| ser(c.omni_flow_agents().list())),
        case("omni_flow_agents.get", "GET", format!("/v1/api/omni-flow-agents/{A_ENC}"), |c| {
            ser(c.omni_flow_agents().get(A))
        }),
        case("omni_flow_agents.update", "PUT", format!("/v1/api/omni-flow-agents/{B_ENC}"), |c| {
            ser(c.omni_flow_agents().update(B, &UpdateOmniFlowAgent::new().name("N").llm_model("gpt-4.1")))
        })
        .json(json!({"name": "N", "llmModel": "gpt-4.1"})),
        // call_flows
        case("call_flows.create", "POST", "/v1/api/call-flows", |c| {
            let settings = CallFlowSettings { call_setting: Some(CallSetting::new(600.0, 10.0)), ..Default::default() };
            ser(c.call_flows().create(&CreateCallFlow::new("Support", "bidirectional").agent("ag1").settings(settings)))
        })
        .json(json!({"name": "Support", "direction": "bidirectional", "promptType": "simple", "agent": "ag1",
                     "settings": {"callSetting": {"maxCallDuration": 600.0, "endCallOnSilence": 10.0}}})),
        case("call_flows.list", "GET", "/v1/api/call-flows", |c| ser(c.call_flows().list())),
        case("call_flows.get", "GET", format!("/v1/api/call-flows/{DOTS_ENC}"), |c| ser(c.call_flows().get(DOTS))),
        case("call_flows.update", "PUT", format!("/v1/api/call-flows/{A_ENC}"), |c| {
            ser(c.call_flows().update(A, &UpdateCallFlow::new().name("N").is_active(false)))
        })
        .json(json!({"promptType": "simple", "name": "N", "isActive": false})),
        case("call_flows.upload_knowledge_base", "POST", format!("/v1/api/call-flows/{A_ENC}/knowledge-base"), |c| {
            ser(c.call_flows().upload_knowledge_base(A, FilePart::from_bytes("faq.txt", "text/plain", b"hello".to_vec())))
        })
        .multipart(vec![], ("file", "faq.txt", "text/plain", "hello")),
        case(
            "call_flows.delete_knowledge_base_file",
            "DELETE",
            format!("/v1/api/call-flows/{A_ENC}/knowledge-base/{KEY_ENC}"),
            |c| ser(c.call_flows().delete_knowledge_base_file(A, KEY)),
        ),
        case("call_flows.delete", "DELETE", format!("/v1/api/call-flows/{A_ENC}"), |c| ser(c.call_flows().delete(A))),
        // message_flows
        case("message_flows.create", "POST", "/v1/api/message-flows", |c| {
            ser(c.message_flows().create(
                &CreateMessageFlow::new("Follow-up", "bidirectional", "om1", "Hi!", "Be kind.", "SMS").autopilot(true),
            ))
        })
        .json(json!({"name": "Follow-up", "direction": "bidirectional", "agent": "om1", "initiationMessage": "Hi!",
                     "prompt": "Be kind.", "messageChannel": "SMS", "autopilot": true})),
        case("message_flows.list", "GET", "/v1/api/message-flows", |c| ser(c.message_flows().list())),
        case("message_flows.get", "GET", format!("/v1/api/message-flows/{A_ENC}"), |c| ser(c.message_flows().get(A))),
        case("message_flows.update", "PUT", format!("/v1/api/message-flows/{A_ENC}"), |c| {
            ser(c.message_flows().update(A, &UpdateMessageFlow::new().toggle_autopilot(true)))
        })
        .json(json!({"toggleAutopilot": true})),
        // folders
        case("folders.create", "POST", "/v1/api/flow-folders", |c| {
            ser(c.folders().create(&CreateFolder::new("Sales", "blue", "phone", "call")))
        })
        .json(json!({"name": "Sales", "color": "blue", "icon": "phone", "flowType": "call"})),
        case("folders.list", "GET", "/v1/api/flow-folders", |c| ser(c.folders().list())),
        case("folders.get", "GET", format!("/v1/api/flow-folders/{A_ENC}"), |c| ser(c.folders().get(A))),
        case("folders.update", "PATCH", format!("/v1/api/flow-folders/{A_ENC}"), |c| {
            ser(c.folders().update(A, &UpdateFolder::new("green", "folder").name("Sales EU")))
        })
        .json(json!({"color": "green", "icon": "folder", "name": "Sales EU"})),
        case("folders.delete", "DELETE", format!("/v1/api/flow-folders/{A_ENC}"), |c| ser(c.folders().delete(A))),
        case("folders.add_flow", "POST", format!("/v1/api/flow-folders/{A_ENC}/pathways"), |c| {
            ser(c.folders().add_flow(A, "flow123", "call"))
        })
        .json(json!({"pathwayId": "flow123", "pathwayType": "call"})),
        case("folders.remove_flow", "DELETE", format!("/v1/api/flow-folders/{A_ENC}/flows/{B_ENC}"), |c| {
            ser(c.folders().remove_flow(A, B))
        }),
        // calls
        case("calls.initiate", "POST", "/v1/api/call", |c| {
            ser(c.calls().initiate(
                &InitiateCall::new("+14155550100", "cf1")
                    .callback_url("https://example.com/hook")
                    .metadata(obj(json!({"crm_id": 7})))
                    .from_phone_number_id("pn1"),
            ))
        })
        .json(json!({"to": "+14155550100", "call_agent_id": "cf1", "callback_url": "https://example.com/hook",
                     "metadata": {"crm_id": 7}, "from_phone_number_id": "pn1"})),
        case("calls.web_connect", "POST", "/v1/api/calls/web/connect", |c| {
            let vars = obj(json!({"customer": "Ada"}));
            ser(c.calls().web_connect(
                &WebConnect::new("ag1")
                    .mode(CallMode::Text)
                    .dynamic_variables(vars)
                    .callback_url("https://example.com/cb"),
            ))
        })
        .json(json!({"agentId": "ag1", "mode": "text", "dynamic_variables": {"customer": "Ada"},
                     "callback_url": "https://example.com/cb"})),
        case("calls.web_disconnect", "POST", "/v1/api/calls/web/disconnect", |c| {
            ser(c.calls().web_disconnect("web-genericAgent-call1234"))
        })
        .json(json!({"roomName": "web-genericAgent-call1234"})),
        case("calls.start_web_call", "POST", "/v1/api/web-call", |c| {
            ser(c.calls().start_web_call(
                &StartWebCall::new("ag1").dynamic_variables(obj(json!({"name": "Ada"}))).callback_url("https://x.test/cb"),
            ))
        })
        .json(json!({"agentId": "ag1", "dynamic_variables": {"name": "Ada"}, "callback_url": "https://x.test/cb"})),
        case("calls.start_public_web_call", "POST", "/v1/api/web-call/public", |c| {
            ser(c.calls().start_public_web_call(&StartPublicWebCall::new("cf1").mode(CallMode::Voice)))
        })
        .json(json!({"call_agent_id": "cf1", "mode": "voice"})),
        case("calls.start_evaluation_web_call", "POST", "/v1/api/web-call/evaluation", |c| {
            ser(c.calls().start_evaluation_web_call(
                &EvaluationWebCall::new("cf1", "Did it book?").evaluation_context(obj(json!({"run": 1}))),
            ))
        })
        .json(json!({"call_agent_id": "cf1", "evaluationPrompt": "Did it book?", "evaluation_context": {"run": 1}})),
        // call_history
        case("call_history.list", "GET", "/v2/api/call-history", |c| {
            ser(c.call_history().list(2, 5, &CallHistoryFilter::new().status("completed").agent_id("a b").call_ids(["c1"])))
        })
        .query("page=2&limit=5&agentId=a%20b&status=completed&callIds=%5B%22c1%22%5D"),
        case("call_history.get", "GET", format!("/v2/api/call-history/{A_ENC}"), |c| ser(c.call_history().get(A))),
        case("call_history.export_csv", "POST", "/v2/api/call-history/export-csv", |c| {
            ser(c.call_history().export_csv(&ExportCsv::new().agent_id("ag1").include_transcripts(true)))
        })
        .json(json!({"agentId": "ag1", "includeTranscripts": true})),
        // recordings
        case("recordings.get", "GET", format!("/v2/api/recordings/{A_ENC}"), |c| {
            // The spec's answer is audio: the mock serves AUDIO (see mock_for), read back byte for byte.
            c.recordings().get(A).map(|r| json!({"content_type": r.content_type, "filename": r.filename, "data": r.data}))
        }),
        case("recordings.start", "POST", "/v2/api/recordings/start-recording", |c| {
            ser(c.recordings().start("pw1", "call-abc123"))
        })
        .json(json!({"pathwayId": "pw1", "roomName": "call-abc123"})),
        // active_calls
        case("active_calls.list", "GET", "/v2/api/active-calls", |c| ser(c.active_calls().list())),
        case("active_calls.get", "GET", format!("/v2/api/active-calls/{A_ENC}"), |c| ser(c.active_calls().get(A))),
        case("active_calls.end_call", "POST", format!("/v2/api/active-calls/{A_ENC}/end-call"), |c| {
            ser(c.active_calls().end_call(A))
        }),
        case("active_calls.remove_agent", "POST", format!("/v2/api/active-calls/{A_ENC}/remove-agent"), |c| {
            ser(c.active_calls().remove_agent(A, "agent-001"))
        })
        .json(json!({"participantIdentity": "agent-001"})),
        // batch_calls
        case("batch_calls.start", "POST", "/v1/api/batch-calls", |c| {
            let csv = FilePart::from_bytes("calls.csv", "text/csv", b"phone_number\n+14155550100\n".to_vec());
            ser(c.batch_calls().start(&StartBatch::new("ag1", csv).scheduled_at("2025-06-01T09:00:00Z")))
        })
        .multipart(
            vec![("agentId", "ag1"), ("scheduledAt", "2025-06-01T09:00:00Z")],
            ("file", "calls.csv", "text/csv", "phone_number\n+14155550100\n"),
        ),
        case("batch_calls.get", "GET", format!("/v1/api/batch-calls/{A_ENC}"), |c| ser(c.batch_calls().get(A))),
        case("batch_calls.progress", "GET", format!("/v1/api/batch-calls/{A_ENC}/status"), |c| {
            ser(c.batch_calls().progress(A))
        }),
        case("batch_calls.list_calls", "GET", format!("/v1/api/batch-calls/{A_ENC}/calls"), |c| {
            ser(c.batch_calls().list_calls(A, 3, 50, Some("failed")))
        })
        .query("page=3&limit=50&status=failed"),
        case("batch_calls.cancel", "DELETE", format!("/v1/api/batch-calls/{A_ENC}"), |c| ser(c.batch_calls().cancel(A))),
        // conversations
        case("conversations.list", "GET", "/v1/api/conversations", |c| ser(c.conversations().list())),
        case("conversations.get", "GET", format!("/v1/api/conversations/{A_ENC}"), |c| ser(c.conversations().get(A))),
        case("conversations.generate_message", "POST", "/v1/api/conversations/message/generate", |c| {
            ser(c.conversations().generate_message(
                &GenerateMessage::new("fl1", "+14155550100").dynamic(obj(json!({"time": "3 PM"}))),
            ))
        })
        .json(json!({"flowId": "fl1", "to": "+14155550100", "autopilot": false, "dynamic": {"time": "3 PM"}})),
        case(
            "conversations.message_action",
            "POST",
            format!("/v1/api/conversations/{A_ENC}/message/{B_ENC}/action"),
            |c| ser(c.conversations().message_action(A, B, &MessageAction::edit("Hello!"))),
        )
        .json(json!({"metadata": {"action": "edit", "editedMessage": "Hello!"}})),
        case("conversations.delete_message", "DELETE", format!("/v1/api/conversations/{A_ENC}/message/{B_ENC}"), |c| {
            ser(c.conversations().delete_message(A, B))
        }),
        case("conversations.delete", "DELETE", format!("/v1/api/conversations/{A_ENC}"), |c| {
            ser(c.conversations().delete(A))
        }),
        // phone_numbers
        case("phone_numbers.list", "GET", "/v1/api/twilio/user-phone-numbers", |c| ser(c.phone_numbers().list())),
        case("phone_numbers.search_available", "GET", "/v1/api/twilio/available-numbers", |c| {
            ser(c.phone_numbers().search_available(
                &AvailableNumberSearch::new().country("US").number_type("local").area_code("415").limit(5),
            ))
        })
        .query("country=US&type=local&limit=5&areaCode=415"),
        case("phone_numbers.purchase", "POST", "/v1/api/twilio/purchase-number", |c| {
            ser(c.phone_numbers().purchase(&PurchaseNumber::new("US", "local", "+14155551234")))
        })
        .json(json!({"country": "US", "type": "local", "phoneNumber": "+14155551234"})),
        case("phone_numbers.get_config", "GET", format!("/v1/api/twilio/phone-numbers/{A_ENC}/config"), |c| {
            ser(c.phone_numbers().get_config(A))
        }),
        case("phone_numbers.update_config", "PUT", format!("/v1/api/twilio/phone-numbers/{A_ENC}/config"), |c| {
            ser(c.phone_numbers().update_config(
                A,
                &UpdatePhoneNumberConfig::new().recording_enabled(true).metadata_tags(vec!["sales".to_string()]),
            ))
        })
        .json(json!({"recordingEnabled": true, "metadataTags": ["sales"]})),
        case("phone_numbers.register_external", "POST", "/v1/api/twilio/register-external-number", |c| {
            ser(c.phone_numbers().register_external(&RegisterExternalNumber::new(
                "+14155550100",
                "twilio",
                ExternalCredentials::new("AC123", "tok"),
            )))
        })
        .json(json!({"phoneNumber": "+14155550100", "provider": "twilio",
                     "credentials": {"accountSid": "AC123", "authToken": "tok"}})),
        case("phone_numbers.bind", "POST", format!("/v1/api/agents/{A_ENC}/bind/{B_ENC}"), |c| {
            ser(c.phone_numbers().bind(A, B, &BindNumber::new().record_calls(true)))
        })
        .json(json!({"recordCalls": true})),
        case("phone_numbers.unbind", "POST", format!("/v1/api/agents/{A_ENC}/release/{B_ENC}"), |c| {
            ser(c.phone_numbers().unbind(A, B))
        }),
        case("phone_numbers.release", "POST", "/v1/api/twilio/release-number", |c| {
            ser(c.phone_numbers().release("pn1"))
        })
        .json(json!({"phoneNumberId": "pn1"})),
        case("phone_numbers.get", "GET", format!("/v1/api/twilio/phone-numbers/{A_ENC}"), |c| {
            ser(c.phone_numbers().get(A))
        }),
        // knowledge_base
        case("knowledge_base.create", "POST", "/v1/api/knowledgebase", |c| {
            ser(c.knowledge_base().create(&CreateKnowledgeBase::new("Docs").is_smb(true)))
        })
        .json(json!({"name": "Docs", "isSMB": true})),
        case("knowledge_base.list", "GET", "/v1/api/knowledgebase", |c| ser(c.knowledge_base().list())),
        case("knowledge_base.get", "GET", format!("/v1/api/knowledgebase/{A_ENC}"), |c| ser(c.knowledge_base().get(A))),
        case("knowledge_base.upload_file", "POST", format!("/v1/api/knowledgebase/{A_ENC}/files"), |c| {
            ser(c.knowledge_base().upload_file(A, FilePart::from_bytes("guide.pdf", "application/pdf", b"%PDF-1.4".to_vec())))
        })
        .multipart(vec![], ("uploadedFile", "guide.pdf", "application/pdf", "%PDF-1.4")),
        case("knowledge_base.update", "PUT", format!("/v1/api/knowledgebase/{A_ENC}"), |c| {
            ser(c.knowledge_base().update(A, "Opening hours: 9-17"))
        })
        .json(json!({"textContent": "Opening hours: 9-17"})),
        // voices
        case("voices.get", "GET", format!("/v1/api/voices/{A_ENC}"), |c| ser(c.voices().get(A))),
        case("voices.create", "POST", "/v1/api/voices", |c| {
            ser(c.voices().create(&CreateVoice::new("Sales", json!({"data": "...", "format": "float32"})).language("en")))
        })
        .json(json!({"name": "Sales", "embedding": {"data": "...", "format": "float32"}, "language": "en"})),
        case("voices.clone", "POST", "/v1/api/voices/clone", |c| {
            ser(c.voices().clone_voice(&CloneVoice::new(FilePart::from_bytes("s.wav", "audio/wav", b"RIFF".to_vec())).name("Mine")))
        })
        .multipart(vec![("name", "Mine")], ("file", "s.wav", "audio/wav", "RIFF")),
        // workspaces
        case("workspaces.list", "GET", "/v1/api/workspaces", |c| ser(c.workspaces().list())),
        case("workspaces.get", "GET", format!("/v1/api/workspaces/{W_ENC}"), |c| ser(c.workspaces().get(W))),
        case("workspaces.create", "POST", "/v1/api/workspaces", |c| ser(c.workspaces().create("Marketing", "MK")))
            .json(json!({"name": "Marketing", "initials": "MK"})),
        case("workspaces.update", "PUT", format!("/v1/api/workspaces/{W_ENC}"), |c| {
            ser(c.workspaces().update(W, "Marketing EU"))
        })
        .json(json!({"name": "Marketing EU"})),
        case("workspaces.delete", "DELETE", format!("/v1/api/workspaces/{W_ENC}"), |c| ser(c.workspaces().delete(W))),
        case("workspaces.invite", "POST", format!("/v1/api/workspaces/{W_ENC}/invite"), |c| {
            ser(c.workspaces().invite(W, "ada@example.com", "admin"))
        })
        .json(json!({"email": "ada@example.com", "role": "admin"})),
        case("workspaces.pending_invitations", "GET", "/v1/api/workspaces/invitations/pending", |c| {
            ser(c.workspaces().pending_invitations())
        }),
    ]
}

#[test]
fn every_operation_has_exactly_one_typed_case() {
    let cases = cases();
    let ids: BTreeSet<&str> = cases.iter().map(|c| c.op).collect();
    assert_eq!(ids.len(), cases.len(), "an operation is covered twice");
    assert_eq!(cases.len(), OPERATIONS.len());
    let table: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(ids, table);
}

#[test]
fn the_table_agrees_with_the_expected_credentials() {
    for op in OPERATIONS {
        assert_eq!(op.auth.sends_key(), !WORKSPACE_ONLY.contains(&op.id), "{}", op.id);
        assert_eq!(op.auth.sends_workspace(), !KEY_ONLY.contains(&op.id), "{}", op.id);
        let required = !KEY_ONLY.contains(&op.id) && !OPTIONAL_WORKSPACE.contains(&op.id);
        assert_eq!(op.auth.requires_workspace(), required, "{}", op.id);
    }
}

/// Bytes that are not UTF-8, as a recording's would be.
const AUDIO: &[u8] = b"ID3\x03\x00\x00\xff\xfb\x90\x00fake-mp3-frames";

fn mock_for(server: &mut Server, case: &Case, response: &Value, text: bool) -> mockito::Mock {
    let mut m = server.mock(case.method, Matcher::Exact(case.path.clone()));
    m = match case.query {
        Some(q) => m.match_query(Matcher::Exact(q.to_string())),
        None => m.match_query(Matcher::Missing),
    };
    m = if WORKSPACE_ONLY.contains(&case.op) {
        m.match_header("x-api-key", Matcher::Missing)
    } else {
        m.match_header("x-api-key", "sk_test")
    };
    m = if KEY_ONLY.contains(&case.op) {
        m.match_header("x-workspace-id", Matcher::Missing)
    } else if case.path.contains(W_ENC) {
        m.match_header("x-workspace-id", W)
    } else {
        m.match_header("x-workspace-id", WS)
    };
    m = match &case.body {
        Body::None => m.match_header("content-type", Matcher::Missing).match_body(Matcher::Exact(String::new())),
        Body::Json(v) => m.match_header("content-type", "application/json").match_body(Matcher::Json(v.clone())),
        Body::Multipart(fields, (field, filename, ct, content)) => {
            let mut needles: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("Content-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"))
                .collect();
            needles.push(format!(
                "Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n{content}\r\n"
            ));
            m.match_header("content-type", Matcher::Regex("^multipart/form-data; boundary=[!-~]+$".into()))
                .match_request(move |r| {
                    let body = r.utf8_lossy_body().unwrap_or_default();
                    needles.iter().all(|n| body.contains(n.as_str()))
                })
        }
    };
    m = m.with_status(200).with_header("x-request-id", "req_1");
    m = match response {
        Value::Object(o) if o.get("content_type") == Some(&json!("audio/mpeg")) => m
            .with_header("content-type", "audio/mpeg")
            .with_header("content-disposition", "inline; filename=\"recording.mp3\"")
            .with_body(AUDIO),
        Value::Null => m,
        Value::String(s) if text => m.with_header("content-type", "text/csv").with_body(s),
        v => m.with_header("content-type", "application/json").with_body(v.to_string()),
    };
    m.expect(1).create()
}

#[test]
fn each_operation_sends_the_right_request_and_reads_the_spec_example() {
    let spec = spec();
    let mut server = Server::new();
    let client = client(&server);
    let mut failures = Vec::new();
    for case in cases() {
        let op = trillet::operations::find(case.op).expect("op in table");
        let entry = spec_entry(&spec, op.method.as_str(), op.path)
            .unwrap_or_else(|| panic!("{}: no spec entry for {} {}", case.op, op.method, op.path));
        let example = entry["response_example"].clone();
        let text = op.response == trillet::operations::ResponseKind::Text;
        let binary = op.response == trillet::operations::ResponseKind::Binary;
        let example = if binary {
            json!({"content_type": "audio/mpeg", "filename": "recording.mp3", "data": AUDIO.to_vec()})
        } else {
            example
        };
        let mock = mock_for(&mut server, &case, &example, text);
        match (case.call)(&client) {
            Err(e) => failures.push(format!("{}: {e}", case.op)),
            Ok(got) => {
                let ok = match &example {
                    // Undocumented answers: the model reads an empty body as empty.
                    Value::Null => got.is_null() || got == json!({}),
                    _ => normalize(&got) == normalize(&example),
                };
                if !ok {
                    failures.push(format!("{}: read back as {got} from {example}", case.op));
                }
            }
        }
        if !mock.matched() {
            failures.push(format!("{}: the request did not match {} {}", case.op, case.method, case.path));
        }
        server.reset();
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
