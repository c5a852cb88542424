//! Every operation of the table against the sandbox, through the Rust client: a happy path
//! with its values checked, and one error each (status and code). The last test runs every
//! group on one sandbox and checks that all 78 operations were covered both ways.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use trillet::{Client, Error, FilePart, Request, OPERATIONS};
use trillet_sandbox::{Sandbox, SandboxOptions, USER_EMAIL};

struct T {
    sandbox: Sandbox,
    client: Client,
    /// A client whose workspace the sandbox does not know (403 for workspace operations).
    stranger: Client,
    /// A client with a wrong key (401).
    wrong_key: Client,
    ok_ops: BTreeSet<String>,
    err_ops: BTreeSet<String>,
    /// Every successful response, by operation.
    responses: BTreeMap<String, Vec<Value>>,
}

const UNKNOWN_ID: &str = "0123456789abcdef01234567";

impl T {
    fn new() -> T {
        let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
        let client = sandbox.client_builder().max_retries(0).build().unwrap();
        let stranger =
            sandbox.client_builder().max_retries(0).workspace_id("ffffffffffffffffffffffff").build().unwrap();
        let wrong_key = sandbox.client_builder().max_retries(0).api_key("sk_wrong").build().unwrap();
        T {
            sandbox,
            client,
            stranger,
            wrong_key,
            ok_ops: BTreeSet::new(),
            err_ops: BTreeSet::new(),
            responses: BTreeMap::new(),
        }
    }

    fn ok(&mut self, op: &str, req: Value) -> Value {
        let v = self.client.call(op, req.clone()).unwrap_or_else(|e| panic!("{op} {req}: {e}"));
        self.record(op, &v);
        v
    }

    fn ok_req(&mut self, op: &str, req: &Request) -> Value {
        let resp =
            self.client.execute(trillet::operations::find(op).unwrap(), req).unwrap_or_else(|e| panic!("{op}: {e}"));
        let v = resp.value().unwrap();
        self.record(op, &v);
        v
    }

    fn record(&mut self, op: &str, v: &Value) {
        self.ok_ops.insert(op.to_string());
        self.responses.entry(op.to_string()).or_default().push(v.clone());
    }

    fn expect(&mut self, op: &str, result: Result<Value, Error>, status: u16, code: &str) -> Error {
        let e = result.expect_err(op);
        assert_eq!((e.kind(), e.status(), e.code()), ("api", Some(status), code), "{op}: {e}");
        let body: Value = e.to_json_value()["error"]["body"].clone();
        assert_eq!(body["error"]["code"], code, "{op}: the documented error shape");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{op}");
        self.err_ops.insert(op.to_string());
        e
    }

    fn err(&mut self, op: &str, req: Value, status: u16, code: &str) -> Error {
        let r = match self.client.call(op, req.clone()) {
            // Refused by the client's own checks before sending (the same code as the API's for
            // a phone number): the sandbox's answer to that request is what this test is about,
            // so it goes again through the escape hatch, which has no operation to check against.
            Err(e) if e.kind() == "invalid_input" && matches!(e.code(), "missing_field" | "invalid_number") => {
                let row = trillet::operations::find(op).unwrap();
                let raw = Request::from_value(&req).unwrap();
                self.client.request(row.method.as_str(), row.path, &raw).and_then(|r| r.value())
            }
            r => r,
        };
        self.expect(op, r, status, code)
    }

    fn err_req(&mut self, op: &str, req: &Request, status: u16, code: &str) -> Error {
        let r = self.client.execute(trillet::operations::find(op).unwrap(), req).and_then(|r| r.value());
        self.expect(op, r, status, code)
    }

    fn err_stranger(&mut self, op: &str) {
        let r = self.stranger.call(op, json!({}));
        let e = self.expect(op, r, 403, "forbidden");
        assert!(e.message().contains("ffffffffffffffffffffffff"), "{e}");
    }

    fn not_found(&mut self, op: &str, req: Value, what: &str) {
        let e = self.err(op, req, 404, "not_found");
        assert!(e.message().starts_with(what) && e.message().ends_with("not found"), "{op}: {}", e.message());
    }
}

fn id(v: &Value) -> String {
    let id = v["_id"].as_str().unwrap_or_else(|| panic!("no _id in {v}")).to_string();
    assert!(id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    id
}

fn has_id(list: &Value, wanted: &str) -> bool {
    list.as_array().unwrap().iter().any(|x| x["_id"] == wanted)
}

fn new_agent(t: &mut T, name: &str) -> String {
    id(&t.ok(
        "agents.create",
        json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": name}}),
    ))
}

fn group_agents(t: &mut T) {
    let agent =
        t.ok("agents.create", json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "Support", "llmModel": "gpt-4.1", "settings": {"speed": 0.9}}}));
    let agent_id = id(&agent);
    assert_eq!(agent["name"], "Support");
    assert_eq!(agent["llmModel"], "gpt-4.1");
    assert_eq!(agent["settings"]["speed"], 0.9);
    assert_eq!(agent["workspaceId"], t.sandbox.workspace_id());
    assert_eq!(agent["status"], "ready");
    assert_eq!(agent["phoneNumberIds"], json!([]));
    assert_eq!(agent["ttsModel"]["language"], "en");
    assert_eq!(agent["createdAt"].as_str().unwrap().len(), "2025-01-19T02:57:27.923Z".len());
    let e = t.err("agents.create", json!({"body": {"llmModel": "gpt-4o-mini"}}), 400, "validation_error");
    assert!(e.message().contains("name"));
    t.err("agents.create", json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "x", "ttsModel": {"provider": "nobody"}}}), 400, "validation_error");

    assert!(has_id(&t.ok("agents.list", json!({})), &agent_id));
    t.err_stranger("agents.list");

    assert_eq!(t.ok("agents.get", json!({"path": {"agentId": agent_id}}))["name"], "Support");
    t.not_found("agents.get", json!({"path": {"agentId": UNKNOWN_ID}}), "Agent");

    let updated =
        t.ok("agents.update", json!({"path": {"agentId": agent_id}, "body": {"name": "Support 2", "status": "error"}}));
    assert_eq!(updated["name"], "Support 2");
    assert_eq!(updated["status"], "ready", "read-only fields are ignored");
    assert_eq!(updated["__v"], 1);
    assert!(updated["updatedAt"].as_str() > agent["updatedAt"].as_str());
    assert_eq!(updated["createdAt"], agent["createdAt"]);
    t.not_found("agents.update", json!({"path": {"agentId": UNKNOWN_ID}, "body": {"name": "x"}}), "Agent");

    let deleted = t.ok("agents.delete", json!({"path": {"agentId": agent_id}}));
    assert_eq!(deleted, json!({"success": true, "message": "Agent successfully deleted"}));
    t.not_found("agents.delete", json!({"path": {"agentId": agent_id}}), "Agent");

    let omni = t.ok("omni_flow_agents.create", json!({"body": {"name": "SMS"}}));
    let omni_id = id(&omni);
    assert_eq!((omni["messageChannel"].as_str(), omni["llmModel"].as_str()), (Some("SMS"), Some("gpt-4o-mini")));
    t.err("omni_flow_agents.create", json!({"body": {}}), 400, "validation_error");
    assert!(has_id(&t.ok("omni_flow_agents.list", json!({})), &omni_id));
    t.err_stranger("omni_flow_agents.list");
    assert_eq!(t.ok("omni_flow_agents.get", json!({"path": {"id": omni_id}}))["name"], "SMS");
    t.not_found("omni_flow_agents.get", json!({"path": {"id": UNKNOWN_ID}}), "Omni flow agent");
    let updated =
        t.ok("omni_flow_agents.update", json!({"path": {"agentId": omni_id}, "body": {"llmModel": "gpt-4o"}}));
    assert_eq!(updated["llmModel"], "gpt-4o");
    t.not_found("omni_flow_agents.update", json!({"path": {"agentId": UNKNOWN_ID}, "body": {}}), "Omni flow agent");
}

fn group_flows(t: &mut T) {
    let agent_id = new_agent(t, "Flow agent");
    let flow = t
        .ok("call_flows.create", json!({"body": {"name": "Support flow", "direction": "outbound", "agent": agent_id}}));
    let flow_id = id(&flow);
    assert_eq!((flow["agent"].as_str(), flow["promptType"].as_str()), (Some(agent_id.as_str()), Some("simple")));
    assert_eq!(flow["settings"]["callSetting"]["maxCallDuration"], 600);
    assert_eq!(t.ok("agents.get", json!({"path": {"agentId": agent_id}}))["pathway"], flow_id, "the agent is linked");
    t.err("call_flows.create", json!({"body": {"name": "x", "direction": "sideways"}}), 400, "validation_error");
    assert!(has_id(&t.ok("call_flows.list", json!({})), &flow_id));
    t.err_stranger("call_flows.list");
    assert_eq!(t.ok("call_flows.get", json!({"path": {"id": flow_id}}))["direction"], "outbound");
    t.not_found("call_flows.get", json!({"path": {"id": UNKNOWN_ID}}), "Call flow");
    let updated = t.ok(
        "call_flows.update",
        json!({"path": {"id": flow_id}, "body": {"prompt": "Be brief", "isActive": false, "promptType": "simple"}}),
    );
    assert_eq!((updated["prompt"].as_str(), updated["isActive"].as_bool()), (Some("Be brief"), Some(false)));
    t.not_found("call_flows.update", json!({"path": {"id": UNKNOWN_ID}, "body": {}}), "Call flow");

    let upload = Request::new().path_param("id", flow_id.clone()).file(FilePart::from_bytes(
        "faq.md",
        "text/markdown",
        b"# FAQ\n".to_vec(),
    ));
    let files = t.ok_req("call_flows.upload_knowledge_base", &upload);
    let file = &files["settings"]["knowledgeBaseFiles"][0];
    assert_eq!((file["filename"].as_str(), file["size"].as_u64()), (Some("faq.md"), Some(6)));
    let key = file["key"].as_str().unwrap().to_string();
    assert!(key.starts_with("kb_"));
    let exe = Request::new().path_param("id", flow_id.clone()).file(FilePart::from_bytes(
        "x.exe",
        "application/octet-stream",
        vec![0],
    ));
    t.err_req("call_flows.upload_knowledge_base", &exe, 400, "unsupported_file_type");
    let after = t.ok("call_flows.delete_knowledge_base_file", json!({"path": {"id": flow_id, "fileKey": key}}));
    assert_eq!(after["settings"]["knowledgeBaseFiles"], json!([]));
    t.not_found(
        "call_flows.delete_knowledge_base_file",
        json!({"path": {"id": flow_id, "fileKey": key}}),
        "Knowledge-base file",
    );

    let deleted = t.ok("call_flows.delete", json!({"path": {"id": flow_id}}));
    assert_eq!(
        (deleted["success"].as_bool(), deleted["deletedAgentId"].as_str()),
        (Some(true), Some(agent_id.as_str()))
    );
    t.not_found("agents.get", json!({"path": {"agentId": agent_id}}), "Agent");
    t.not_found("call_flows.delete", json!({"path": {"id": flow_id}}), "Call flow");

    let omni_id = id(&t.ok("omni_flow_agents.create", json!({"body": {"name": "SMS"}})));
    let mflow = t.ok(
        "message_flows.create",
        json!({"body": {"name": "Follow-up", "agent": omni_id, "initiationMessage": "Hi {{name}}", "direction": "outbound", "messageChannel": "SMS", "prompt": "Be brief"}}),
    );
    let mflow_id = id(&mflow);
    assert_eq!((mflow["autopilot"].as_bool(), mflow["messageChannel"].as_str()), (Some(false), Some("SMS")));
    t.not_found(
        "message_flows.create",
        json!({"body": {"name": "x", "agent": UNKNOWN_ID, "initiationMessage": "Hi", "direction": "outbound", "messageChannel": "SMS", "prompt": "Be brief"}}),
        "Omni flow agent",
    );
    assert!(has_id(&t.ok("message_flows.list", json!({})), &mflow_id));
    t.err_stranger("message_flows.list");
    assert_eq!(t.ok("message_flows.get", json!({"path": {"id": mflow_id}}))["initiationMessage"], "Hi {{name}}");
    t.not_found("message_flows.get", json!({"path": {"id": UNKNOWN_ID}}), "Message flow");
    let toggled = t.ok("message_flows.update", json!({"path": {"id": mflow_id}, "body": {"toggleAutopilot": true}}));
    assert_eq!(toggled["autopilot"], true);
    assert!(toggled.get("toggleAutopilot").is_none());
    t.not_found("message_flows.update", json!({"path": {"id": UNKNOWN_ID}, "body": {}}), "Message flow");

    let created = t
        .client
        .execute(
            trillet::operations::find("folders.create").unwrap(),
            &Request::new().json(&json!({"name": "F", "color": "green", "icon": "phone", "flowType": "call"})),
        )
        .unwrap();
    assert_eq!(created.status, 201, "folder creation answers 201");
    let folder = created.value().unwrap();
    t.record("folders.create", &folder);
    let folder_id = id(&folder);
    assert_eq!((folder["color"].as_str(), folder["pathwayModel"].as_str()), (Some("#10B981"), Some("Flow")));
    t.err("folders.create", json!({"body": {"name": "F", "color": "magenta"}}), 400, "validation_error");
    assert!(has_id(&t.ok("folders.list", json!({})), &folder_id));
    t.err_stranger("folders.list");
    let flow2 = id(&t.ok("call_flows.create", json!({"body": {"name": "Filed flow", "direction": "inbound"}})));
    let with = t.ok(
        "folders.add_flow",
        json!({"path": {"folderId": folder_id}, "body": {"pathwayId": flow2, "pathwayType": "call"}}),
    );
    assert_eq!(with["pathways"], json!([flow2]));
    assert_eq!(t.ok("call_flows.get", json!({"path": {"id": flow2}}))["folderId"], folder_id);
    t.not_found(
        "folders.add_flow",
        json!({"path": {"folderId": folder_id}, "body": {"pathwayId": UNKNOWN_ID}}),
        "Call flow",
    );
    let populated = t.ok("folders.get", json!({"path": {"folderId": folder_id}}));
    assert_eq!(
        (populated["pathways"][0]["_id"].as_str(), populated["pathways"][0]["name"].as_str()),
        (Some(flow2.as_str()), Some("Filed flow"))
    );
    t.not_found("folders.get", json!({"path": {"folderId": UNKNOWN_ID}}), "Folder");
    let renamed = t.ok(
        "folders.update",
        json!({"path": {"folderId": folder_id}, "body": {"name": "G", "color": "red", "icon": "folder"}}),
    );
    assert_eq!((renamed["name"].as_str(), renamed["color"].as_str()), (Some("G"), Some("#EF4444")));
    t.not_found("folders.update", json!({"path": {"folderId": UNKNOWN_ID}, "body": {"name": "x"}}), "Folder");
    let removed = t.ok("folders.remove_flow", json!({"path": {"folderId": folder_id, "pathwayId": flow2}}));
    assert_eq!(removed["pathways"], json!([]));
    assert_eq!(t.ok("call_flows.get", json!({"path": {"id": flow2}}))["folderId"], Value::Null);
    t.not_found("folders.remove_flow", json!({"path": {"folderId": folder_id, "pathwayId": flow2}}), "Flow");
    assert_eq!(t.ok("folders.delete", json!({"path": {"folderId": folder_id}}))["name"], "G");
    t.not_found("folders.delete", json!({"path": {"folderId": folder_id}}), "Folder");
}

fn group_calls(t: &mut T) {
    let agent_id = new_agent(t, "Caller");
    let e = t.err("calls.initiate", json!({"body": {"to": "12345", "call_agent_id": agent_id}}), 400, "invalid_number");
    assert!(e.message().starts_with("The provided phone number is invalid"), "{}", e.message());
    t.client.call("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": UNKNOWN_ID}})).unwrap_err();
    assert_eq!(t.ok("call_history.list", json!({})), json!([]), "failed calls leave no record");
    let placed = t.ok(
        "calls.initiate",
        json!({"body": {"to": "+14155550100", "call_agent_id": agent_id, "dynamic_variables": {"firstName": "Ann"}}}),
    );
    assert_eq!(
        (placed["status"].as_str(), placed["message"].as_str()),
        (Some("success"), Some("Call initiated successfully"))
    );
    let call_id = placed["call_id"].as_str().unwrap().to_string();
    assert_eq!(call_id.len(), 24);

    let record = t.ok("call_history.get", json!({"path": {"callHistoryId": call_id}}));
    assert_eq!(
        (record["status"].as_str(), record["toPhoneNumber"].as_str()),
        (Some("in-progress"), Some("+14155550100"))
    );
    assert_eq!((record["agentId"].as_str(), record["direction"].as_str()), (Some(agent_id.as_str()), Some("outbound")));
    assert_eq!(record["cost"], json!({"customer_charge": 0.0}));
    let room = record["roomName"].as_str().unwrap().to_string();
    assert_eq!(room, format!("call-{call_id}"));
    t.not_found("call_history.get", json!({"path": {"callHistoryId": UNKNOWN_ID}}), "Call");

    let active = t.ok("active_calls.list", json!({}));
    assert_eq!(active["count"], 1);
    assert_eq!(
        (active["data"][0]["roomName"].as_str(), active["data"][0]["customerName"].as_str()),
        (Some(room.as_str()), Some("Ann"))
    );
    t.err_stranger("active_calls.list");
    let live = t.ok("active_calls.get", json!({"path": {"roomName": room}}));
    assert_eq!(live["customerPhone"], "+14155550100");
    assert_eq!(live["transcript"][0]["role"], "agent");
    t.not_found("active_calls.get", json!({"path": {"roomName": "call-nope"}}), "Active call");

    let rec = t.ok("recordings.start", json!({"body": {"pathwayId": "any", "roomName": room}}));
    assert_eq!(rec["message"], "Recording started successfully");
    assert!(rec["result"]["egressId"].as_str().unwrap().starts_with("EG_"));
    t.not_found("recordings.start", json!({"body": {"pathwayId": "any", "roomName": "call-nope"}}), "Active call");
    let recording = t.ok("recordings.get", json!({"path": {"callHistoryId": call_id}}));
    assert_eq!(
        (recording["content_type"].as_str(), recording["filename"].as_str()),
        (Some("audio/mp3"), Some("recording.mp3"))
    );
    let audio = trillet::models::Recording::from_response(recording.clone()).unwrap().data;
    assert!(audio.starts_with(b"ID3"), "audio bytes, not JSON");
    assert_eq!(recording["size"], audio.len());
    t.not_found("recordings.get", json!({"path": {"callHistoryId": UNKNOWN_ID}}), "Call");

    let muted = t.ok(
        "active_calls.remove_agent",
        json!({"path": {"roomName": room}, "body": {"participantIdentity": format!("agent-{agent_id}")}}),
    );
    assert_eq!(muted["success"], true);
    assert!(muted["mutedTracks"][0].as_str().unwrap().starts_with("TR_"));
    t.err("active_calls.remove_agent", json!({"path": {"roomName": room}, "body": {}}), 400, "validation_error");

    let ended = t.ok("active_calls.end_call", json!({"path": {"roomName": room}}));
    assert_eq!((ended["success"].as_bool(), ended["roomName"].as_str()), (Some(true), Some(room.as_str())));
    assert!(ended["endTime"].as_str().unwrap().ends_with('Z'));
    let done = t.ok("call_history.get", json!({"path": {"callHistoryId": call_id}}));
    assert_eq!(done["status"], "completed");
    assert!(done["endTime"].as_u64().unwrap() >= done["startTime"].as_u64().unwrap());
    assert_eq!(t.ok("active_calls.list", json!({}))["count"], 0);
    t.not_found("active_calls.end_call", json!({"path": {"roomName": room}}), "Active call");
    assert_eq!(t.ok("recordings.get", json!({"path": {"callHistoryId": call_id}}))["content_type"], "audio/mp3");

    let history = t.ok("call_history.list", json!({"query": {"limit": 10, "agentId": agent_id}}));
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!((history[0]["agent"].as_str(), history[0]["callId"].as_str()), (Some("Caller"), Some(call_id.as_str())));
    assert!(history[0]["cost"].is_number(), "list items carry cost as a number");
    t.err("call_history.list", json!({"query": {"limit": 0}}), 400, "validation_error");

    let csv = t.ok("call_history.export_csv", json!({"body": {"includeTranscripts": true}}));
    let csv = csv.as_str().expect("CSV comes back as a JSON string");
    assert!(csv.starts_with("Call ID,Record ID,From Phone Number,To Phone Number,"), "{csv}");
    assert!(csv.lines().next().unwrap().ends_with(",Transcript"));
    assert!(csv.contains(&call_id) && csv.contains("completed"));
    t.err("call_history.export_csv", json!({"body": {"limit": 0}}), 400, "validation_error");

    let web = t.ok("calls.web_connect", json!({"body": {"agentId": agent_id}}));
    let web_room = web["roomName"].as_str().unwrap().to_string();
    assert_eq!(web_room, format!("web-{agent_id}-{}", web["callId"].as_str().unwrap()));
    assert_eq!(web["token"].as_str().unwrap().split('.').count(), 3);
    assert_eq!(web["agent"]["name"], "Caller");
    t.not_found("calls.web_connect", json!({"body": {"agentId": UNKNOWN_ID}}), "Agent");
    let bye = t.ok("calls.web_disconnect", json!({"body": {"roomName": web_room}}));
    assert_eq!((bye["status"].as_str(), bye["callId"].as_str()), (Some("success"), web["callId"].as_str()));
    t.not_found("calls.web_disconnect", json!({"body": {"roomName": web_room}}), "Active call");

    let sdk = t.ok("calls.start_web_call", json!({"body": {"agentId": agent_id, "mode": "text"}}));
    assert!(sdk["token"].is_string() && sdk["roomName"].is_string() && sdk["callId"].is_string());
    t.err("calls.start_web_call", json!({"body": {}}), 400, "validation_error");
    // Browser-safe: the key is never sent (a client still needs one to be built).
    let public = Client::builder()
        .ignore_env()
        .base_url(t.sandbox.url())
        .api_key("sk_never_sent")
        .workspace_id(t.sandbox.workspace_id())
        .max_retries(0)
        .build()
        .unwrap();
    let started = public.call("calls.start_public_web_call", json!({"body": {"call_agent_id": agent_id}})).unwrap();
    let seen = t.sandbox.requests().into_iter().rfind(|r| r["operation"] == "calls.start_public_web_call").unwrap();
    assert!(seen["headers"].get("x-api-key").is_none(), "{seen}");
    assert!(started["token"].is_string());
    t.record("calls.start_public_web_call", &started);
    let r = public.call("calls.start_public_web_call", json!({"body": {"call_agent_id": UNKNOWN_ID}}));
    t.expect("calls.start_public_web_call", r, 404, "not_found");
    let eval = t.ok(
        "calls.start_evaluation_web_call",
        json!({"body": {"call_agent_id": agent_id, "evaluationPrompt": "Be a grumpy caller"}}),
    );
    assert!(eval["call_id"].is_string() && eval["room_name"].is_string());
    t.err("calls.start_evaluation_web_call", json!({"body": {"call_agent_id": agent_id}}), 400, "validation_error");
}

fn group_batches(t: &mut T) {
    let agent_id = new_agent(t, "Batcher");
    let csv = b"phone_number,first_name\n+14155550101,Ann\n+14155550102,Bob\nnot-a-number,Cy\n".to_vec();
    let start =
        Request::new().json(&json!({"agentId": agent_id})).file(FilePart::from_bytes("calls.csv", "text/csv", csv));
    let started = t.ok_req("batch_calls.start", &start);
    assert_eq!((started["totalCalls"].as_u64(), started["status"].as_str()), (Some(3), Some("queued")));
    let batch_id = started["batchId"].as_str().unwrap().to_string();
    let bad = Request::new().json(&json!({"agentId": agent_id})).file(FilePart::from_bytes(
        "calls.csv",
        "text/csv",
        b"name\nAnn\n".to_vec(),
    ));
    let e = t.err_req("batch_calls.start", &bad, 400, "invalid_csv");
    assert!(e.message().contains("phone_number"));

    let status = t.ok("batch_calls.get", json!({"path": {"batchId": batch_id}}));
    assert_eq!((status["id"].as_str(), status["isComplete"].as_bool()), (Some(batch_id.as_str()), Some(false)));
    assert_eq!(
        (
            status["progress"]["waiting"].as_u64(),
            status["progress"]["failed"].as_u64(),
            status["progress"]["total"].as_u64()
        ),
        (Some(2), Some(1), Some(3))
    );
    t.not_found("batch_calls.get", json!({"path": {"batchId": UNKNOWN_ID}}), "Batch");
    let progress = t.ok("batch_calls.progress", json!({"path": {"batchId": batch_id}}));
    assert_eq!((progress["waiting"].as_u64(), progress["status"].as_str()), (Some(2), Some("queued")));
    t.not_found("batch_calls.progress", json!({"path": {"batchId": UNKNOWN_ID}}), "Batch");

    let page1 =
        t.ok("batch_calls.list_calls", json!({"path": {"batchId": batch_id}, "query": {"page": 1, "limit": 2}}));
    assert_eq!(page1["calls"].as_array().unwrap().len(), 2);
    assert_eq!(
        page1["pagination"],
        json!({"page": 1, "limit": 2, "total": 3, "totalPages": 2, "hasNext": true, "hasPrev": false})
    );
    assert_eq!(
        (page1["calls"][0]["phone_number"].as_str(), page1["calls"][0]["metadata"]["first_name"].as_str()),
        (Some("+14155550101"), Some("Ann"))
    );
    assert_eq!(page1["summary"]["total"], 3);
    let page2 =
        t.ok("batch_calls.list_calls", json!({"path": {"batchId": batch_id}, "query": {"page": 2, "limit": 2}}));
    assert_eq!(
        (
            page2["calls"].as_array().unwrap().len(),
            page2["pagination"]["hasNext"].as_bool(),
            page2["pagination"]["hasPrev"].as_bool()
        ),
        (1, Some(false), Some(true))
    );
    assert_eq!(page2["calls"][0]["status"], "failed");
    let failed = t.ok("batch_calls.list_calls", json!({"path": {"batchId": batch_id}, "query": {"status": "failed"}}));
    assert_eq!(failed["pagination"]["total"], 1);
    t.err(
        "batch_calls.list_calls",
        json!({"path": {"batchId": batch_id}, "query": {"status": "bogus"}}),
        400,
        "validation_error",
    );

    let cancelled = t.ok("batch_calls.cancel", json!({"path": {"batchId": batch_id}}));
    assert_eq!(
        cancelled["details"],
        json!({"completedCalls": 0, "failedCalls": 1, "cancelledCalls": 2, "totalCalls": 3})
    );
    let after = t.ok("batch_calls.get", json!({"path": {"batchId": batch_id}}));
    assert_eq!((after["status"].as_str(), after["isComplete"].as_bool()), (Some("cancelled"), Some(true)));
    t.not_found("batch_calls.cancel", json!({"path": {"batchId": UNKNOWN_ID}}), "Batch");
}

fn group_conversations(t: &mut T) {
    let omni_id = id(&t.ok("omni_flow_agents.create", json!({"body": {"name": "SMS"}})));
    let flow_id = id(&t.ok(
        "message_flows.create",
        json!({"body": {"name": "F", "agent": omni_id, "initiationMessage": "Hi {{name}}, your code is {{code}}.", "direction": "outbound", "messageChannel": "SMS", "prompt": "Be brief"}}),
    ));
    t.err("conversations.generate_message", json!({"body": {"flowId": flow_id, "to": "555"}}), 400, "invalid_number");
    let gen = json!({"body": {"flowId": flow_id, "to": "+14155550100", "metadata": {"customerDetails": {"name": "Ann"}}, "dynamic": {"code": "42"}}});
    let first = t.ok("conversations.generate_message", gen.clone());
    assert_eq!(
        (first["status"].as_str(), first["message"].as_str()),
        (Some("success"), Some("Hi Ann, your code is 42."))
    );
    let conversation_id = first["conversation_id"].as_str().unwrap().to_string();
    let m1 = first["message_id"].as_str().unwrap().to_string();
    let second = t.ok("conversations.generate_message", gen.clone());
    assert_eq!(second["conversation_id"], conversation_id, "the conversation with that contact is reused");
    let m2 = second["message_id"].as_str().unwrap().to_string();
    let m3 = t.ok("conversations.generate_message", gen)["message_id"].as_str().unwrap().to_string();

    let conversation = t.ok("conversations.get", json!({"path": {"conversationId": conversation_id}}));
    assert_eq!(conversation["messages"].as_array().unwrap().len(), 3);
    assert_eq!(
        (conversation["messages"][0]["status"].as_str(), conversation["customer"]["phone"].as_str()),
        (Some("pending"), Some("+14155550100"))
    );
    assert_eq!(conversation["pathwayId"], flow_id);
    t.not_found("conversations.get", json!({"path": {"conversationId": UNKNOWN_ID}}), "Conversation");
    assert!(has_id(&t.ok("conversations.list", json!({})), &conversation_id));
    t.err_stranger("conversations.list");

    let action = |m: &str, meta: Value| json!({"path": {"conversationId": conversation_id, "messageId": m}, "body": {"metadata": meta}});
    let approved = t.ok("conversations.message_action", action(&m1, json!({"action": "Approve"})));
    assert_eq!(
        (approved["message"]["status"].as_str(), approved["message"]["sent"].as_bool()),
        (Some("approved"), Some(true))
    );
    let e =
        t.err("conversations.message_action", action(&m1, json!({"action": "Approve"})), 409, "message_not_pending");
    assert!(e.message().contains("approved"));
    let edited =
        t.ok("conversations.message_action", action(&m2, json!({"action": "Edit", "editedMessage": "Hello!"})));
    assert_eq!(
        (edited["message"]["message"].as_str(), edited["message"]["status"].as_str()),
        (Some("Hello!"), Some("edited"))
    );
    let rejected = t.ok("conversations.message_action", action(&m3, json!({"action": "Reject"})));
    assert_eq!(
        (rejected["message"]["status"].as_str(), rejected["message"]["sent"].as_bool()),
        (Some("rejected"), Some(false))
    );
    t.client.call("conversations.message_action", action(&m3, json!({"action": "Forward"}))).unwrap_err();
    let stored = t.ok("conversations.get", json!({"path": {"conversationId": conversation_id}}));
    let statuses: Vec<&str> =
        stored["messages"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["approved", "edited", "rejected"]);

    let deleted =
        t.ok("conversations.delete_message", json!({"path": {"conversationId": conversation_id, "messageId": m2}}));
    assert_eq!(deleted["status"], "success");
    assert_eq!(
        t.ok("conversations.get", json!({"path": {"conversationId": conversation_id}}))["messages"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    t.not_found(
        "conversations.delete_message",
        json!({"path": {"conversationId": conversation_id, "messageId": m2}}),
        "Message",
    );
    let gone = t.ok("conversations.delete", json!({"path": {"conversationId": conversation_id}}));
    assert_eq!(gone["conversationId"], conversation_id);
    t.not_found("conversations.delete", json!({"path": {"conversationId": conversation_id}}), "Conversation");
}

fn group_numbers(t: &mut T) {
    let found = t.ok(
        "phone_numbers.search_available",
        json!({"query": {"country": "US", "type": "local", "areaCode": "212", "contains": "0105", "limit": 2}}),
    );
    assert_eq!(found["numbers"][0]["phoneNumber"], "+12125550105");
    assert_eq!(found["numbers"][0]["friendlyName"], "(212) 555-0105");
    assert_eq!(
        t.ok("phone_numbers.search_available", json!({"query": {"country": "US", "type": "local"}}))["numbers"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    t.err(
        "phone_numbers.search_available",
        json!({"query": {"country": "FR", "type": "local"}}),
        400,
        "unsupported_country",
    );

    let bought = t.ok(
        "phone_numbers.purchase",
        json!({"body": {"country": "US", "type": "local", "phoneNumber": "+12125550105"}}),
    );
    assert_eq!((bought["success"].as_bool(), bought["phoneNumber"]["status"].as_str()), (Some(true), Some("active")));
    let number_id = id(&bought["phoneNumber"]);
    let again = t.ok(
        "phone_numbers.search_available",
        json!({"query": {"country": "US", "type": "local", "areaCode": "212", "contains": "0105"}}),
    );
    assert_eq!(again["numbers"], json!([]), "an owned number is no longer available");
    t.err(
        "phone_numbers.purchase",
        json!({"body": {"country": "US", "type": "local", "phoneNumber": "+12125550105"}}),
        409,
        "number_unavailable",
    );
    assert!(has_id(&t.ok("phone_numbers.list", json!({})), &number_id));
    t.err_stranger("phone_numbers.list");
    let number = t.ok("phone_numbers.get", json!({"path": {"phoneNumberId": number_id}}));
    assert_eq!((number["phoneNumber"].as_str(), number["agentId"].as_null()), (Some("+12125550105"), Some(())));
    t.not_found("phone_numbers.get", json!({"path": {"phoneNumberId": UNKNOWN_ID}}), "Phone number");

    let agent_id = new_agent(t, "Receptionist");
    let bound = t.ok("phone_numbers.bind", json!({"path": {"agentId": agent_id, "phoneNumberId": number_id}, "body": {"recordCalls": true, "metadataTags": {"department": "support"}}}));
    assert_eq!(bound["agent"]["phoneNumberIds"], json!([number_id]));
    assert_eq!(
        (bound["phoneNumber"]["recordingEnabled"].as_bool(), bound["phoneNumber"]["agentId"].as_str()),
        (Some(true), Some(agent_id.as_str()))
    );
    assert_eq!(t.ok("agents.get", json!({"path": {"agentId": agent_id}}))["phoneNumberIds"], json!([number_id]));
    t.not_found("phone_numbers.bind", json!({"path": {"agentId": UNKNOWN_ID, "phoneNumberId": number_id}}), "Agent");
    // An outbound call from this agent now shows the bound number as caller id.
    let call = t.ok("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": agent_id}}));
    let record = t.ok("call_history.get", json!({"path": {"callHistoryId": call["call_id"]}}));
    assert_eq!(record["fromPhoneNumber"], "+12125550105");

    let config = t.ok("phone_numbers.get_config", json!({"path": {"phoneNumberId": number_id}}));
    assert_eq!((config["agentId"].as_str(), config["recording"].as_bool()), (Some(agent_id.as_str()), Some(true)));
    t.not_found("phone_numbers.get_config", json!({"path": {"phoneNumberId": UNKNOWN_ID}}), "Phone number");
    let updated = t.ok(
        "phone_numbers.update_config",
        json!({"path": {"phoneNumberId": number_id}, "body": {"transferCallerIdMode": "customer", "label": "Main"}}),
    );
    assert_eq!(updated, json!({"success": true}));
    let config = t.ok("phone_numbers.get_config", json!({"path": {"phoneNumberId": number_id}}));
    assert_eq!((config["transferCallerIdMode"].as_str(), config["label"].as_str()), (Some("customer"), Some("Main")));
    t.err(
        "phone_numbers.update_config",
        json!({"path": {"phoneNumberId": number_id}, "body": {"transferCallerIdMode": "robot"}}),
        400,
        "validation_error",
    );

    let unbound = t.ok("phone_numbers.unbind", json!({"path": {"agentId": agent_id, "phoneNumberId": number_id}}));
    assert_eq!(unbound["status"], "success");
    assert_eq!(t.ok("phone_numbers.get", json!({"path": {"phoneNumberId": number_id}}))["agentId"], Value::Null);
    assert_eq!(t.ok("agents.get", json!({"path": {"agentId": agent_id}}))["phoneNumberIds"], json!([]));
    t.err("phone_numbers.unbind", json!({"path": {"agentId": agent_id, "phoneNumberId": number_id}}), 400, "not_bound");

    let external = t.ok("phone_numbers.register_external", json!({"body": {"phoneNumber": "+15105550199", "provider": "twilio", "credentials": {"accountSid": "AC123", "authToken": "tok_SECRET"}}}));
    assert_eq!(external["status"], "success");
    let listed = t.ok("phone_numbers.list", json!({}));
    let ext = listed.as_array().unwrap().iter().find(|n| n["_id"] == external["phoneNumberId"]).unwrap();
    assert_eq!(ext["isExternal"], true);
    assert!(!listed.to_string().contains("tok_SECRET"), "the auth token is not stored");
    t.err("phone_numbers.register_external", json!({"body": {"phoneNumber": "5105550199", "provider": "twilio", "credentials": {"accountSid": "a", "authToken": "b"}}}), 400, "invalid_number");

    let released = t.ok("phone_numbers.release", json!({"body": {"phoneNumberId": number_id}}));
    assert_eq!(released["success"], true);
    t.not_found("phone_numbers.get", json!({"path": {"phoneNumberId": number_id}}), "Phone number");
    t.not_found("phone_numbers.release", json!({"body": {"phoneNumberId": number_id}}), "Phone number");
}

fn group_library(t: &mut T) {
    let kb = t.ok("knowledge_base.create", json!({"body": {"name": "Docs", "description": "FAQ"}}));
    let kb_id = id(&kb);
    assert_eq!((kb["files"].clone(), kb["description"].as_str()), (json!([]), Some("FAQ")));
    t.err("knowledge_base.create", json!({"body": {}}), 400, "validation_error");
    assert!(has_id(&t.ok("knowledge_base.list", json!({})), &kb_id));
    t.err_stranger("knowledge_base.list");
    assert_eq!(t.ok("knowledge_base.get", json!({"path": {"id": kb_id}}))["name"], "Docs");
    t.not_found("knowledge_base.get", json!({"path": {"id": UNKNOWN_ID}}), "Knowledge base");
    let upload = Request::new().path_param("id", kb_id.clone()).file(FilePart::from_bytes(
        "guide.pdf",
        "application/pdf",
        vec![7; 1234],
    ));
    let uploaded = t.ok_req("knowledge_base.upload_file", &upload);
    assert_eq!(
        uploaded,
        json!({"success": true, "file": {"name": "guide.pdf", "size": 1234, "type": "application/pdf"}})
    );
    assert_eq!(t.ok("knowledge_base.get", json!({"path": {"id": kb_id}}))["files"][0]["size"], 1234);
    let song =
        Request::new().path_param("id", kb_id.clone()).file(FilePart::from_bytes("song.mp3", "audio/mpeg", vec![1]));
    t.err_req("knowledge_base.upload_file", &song, 400, "unsupported_file_type");
    let updated = t.ok("knowledge_base.update", json!({"path": {"id": kb_id}, "body": {"textContent": "Hello"}}));
    assert_eq!(updated["textContent"], "Hello");
    assert_eq!(updated["files"].as_array().unwrap().len(), 1, "files are kept");
    t.not_found(
        "knowledge_base.update",
        json!({"path": {"id": UNKNOWN_ID}, "body": {"textContent": "x"}}),
        "Knowledge base",
    );

    let built_in = t.ok("voices.get", json!({"path": {"id": "mistv2_Wildflower"}}));
    assert_eq!((built_in["name"].as_str(), built_in["provider"].as_str()), (Some("Wildflower"), Some("rime")));
    t.not_found("voices.get", json!({"path": {"id": "nope"}}), "Voice");
    let sample = || FilePart::from_bytes("sample.wav", "audio/wav", b"RIFF....WAVEfmt sample".to_vec());
    let cloned = t.ok_req("voices.clone", &Request::new().json(&json!({"name": "My Voice"})).file(sample()));
    assert_eq!(cloned["embedding"]["format"], "float32");
    assert_eq!(cloned["voice"]["name"], "My Voice");
    let anonymous = t.ok_req("voices.clone", &Request::new().file(sample()));
    assert_eq!(anonymous["embedding"], cloned["embedding"], "the embedding is deterministic");
    assert_eq!(anonymous["voice"], Value::Null);
    let voice_id = id(&cloned["voice"]);
    assert_eq!(t.ok("voices.get", json!({"path": {"id": voice_id}}))["name"], "My Voice");
    let text = Request::new().file(FilePart::from_bytes("notes.txt", "text/plain", b"hi".to_vec()));
    t.err_req("voices.clone", &text, 400, "unsupported_file_type");
    let created = t.ok("voices.create", json!({"body": {"name": "Custom", "embedding": cloned["embedding"]}}));
    assert_eq!((created["name"].as_str(), created["language"].as_str()), (Some("Custom"), Some("en")));
    assert!(created.get("embedding").is_none());
    t.err("voices.create", json!({"body": {"name": "x"}}), 400, "validation_error");
}

fn group_workspaces(t: &mut T) {
    let all = t.ok("workspaces.list", json!({}));
    assert_eq!(all[0]["_id"], t.sandbox.workspace_id());
    assert_eq!(all[0]["isMasterWorkspace"], true);
    let r = t.wrong_key.call("workspaces.list", json!({}));
    t.expect("workspaces.list", r, 401, "unauthorized");
    let created = t.ok("workspaces.create", json!({"body": {"name": "Marketing Team", "initials": "MT"}}));
    let ws_id = id(&created);
    assert_eq!((created["initials"].as_str(), created["isMasterWorkspace"].as_bool()), (Some("MT"), Some(false)));
    t.err("workspaces.create", json!({"body": {}}), 400, "validation_error");
    assert_eq!(t.ok("workspaces.get", json!({"path": {"workspaceId": ws_id}}))["name"], "Marketing Team");
    t.not_found("workspaces.get", json!({"path": {"workspaceId": UNKNOWN_ID}}), "Workspace");
    assert_eq!(
        t.ok("workspaces.update", json!({"path": {"workspaceId": ws_id}, "body": {"name": "Renamed"}}))["name"],
        "Renamed"
    );
    t.err("workspaces.update", json!({"path": {"workspaceId": ws_id}, "body": {}}), 400, "validation_error");
    assert_eq!(
        t.ok(
            "workspaces.invite",
            json!({"path": {"workspaceId": ws_id}, "body": {"email": "a@b.co", "role": "viewer"}})
        )["message"],
        "Invitation sent"
    );
    t.err(
        "workspaces.invite",
        json!({"path": {"workspaceId": ws_id}, "body": {"email": "A@b.co", "role": "admin"}}),
        409,
        "invite_exists",
    );

    // Pending invitations: those sent to the sandbox's user, with their workspace.
    let none = t.ok("workspaces.pending_invitations", json!({}));
    assert_eq!(none, json!({"success": true, "invitations": []}), "a@b.co is not the sandbox's user");
    let to_me = json!({"path": {"workspaceId": ws_id}, "body": {"email": USER_EMAIL, "role": "editor"}});
    t.ok("workspaces.invite", to_me);
    let pending = t.ok("workspaces.pending_invitations", json!({}));
    let list = pending["invitations"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{pending}");
    let inv = &list[0];
    assert_eq!(
        (inv["email"].as_str(), inv["role"].as_str(), inv["status"].as_str()),
        (Some(USER_EMAIL), Some("editor"), Some("pending"))
    );
    assert_eq!((&inv["workspace"]["_id"], &inv["workspace"]["name"]), (&json!(ws_id), &json!("Renamed")));
    assert!(inv["token"].as_str().is_some_and(|t| t.starts_with("inv_")) && inv["expiresAt"].is_string(), "{inv}");
    assert_eq!(inv["invitedBy"]["email"], USER_EMAIL);
    // The workspace header is optional: a client without a workspace id sends none and is served.
    let no_ws = Client::builder()
        .ignore_env()
        .base_url(t.sandbox.url())
        .api_key(t.sandbox.api_key())
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(no_ws.call("workspaces.pending_invitations", json!({})).unwrap(), pending);
    let sent = t.sandbox.requests();
    let last = sent.last().unwrap();
    assert_eq!(last["operation"], "workspaces.pending_invitations");
    assert!(last["headers"].get("x-workspace-id").is_none(), "{last}");
    assert_eq!(sent[sent.len() - 2]["headers"]["x-workspace-id"], t.sandbox.workspace_id(), "sent when configured");
    let r = t.wrong_key.call("workspaces.pending_invitations", json!({}));
    t.expect("workspaces.pending_invitations", r, 401, "unauthorized");
    t.err_stranger("workspaces.pending_invitations");

    // Documents belong to their workspace.
    let other = t.sandbox.client_builder().workspace_id(ws_id.clone()).build().unwrap();
    let theirs = id(&other
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "Theirs"}}),
        )
        .unwrap());
    assert!(!has_id(&t.ok("agents.list", json!({})), &theirs));
    t.not_found("agents.get", json!({"path": {"agentId": theirs}}), "Agent");

    assert_eq!(t.ok("workspaces.delete", json!({"path": {"workspaceId": ws_id}})), json!({"success": true}));
    t.not_found("workspaces.get", json!({"path": {"workspaceId": ws_id}}), "Workspace");
    let master = t.sandbox.workspace_id().to_string();
    let e = t.err("workspaces.delete", json!({"path": {"workspaceId": master}}), 403, "forbidden");
    assert!(e.message().contains("master"));
}

const GROUPS: [fn(&mut T); 8] = [
    group_agents,
    group_flows,
    group_calls,
    group_batches,
    group_conversations,
    group_numbers,
    group_library,
    group_workspaces,
];

#[test]
fn agents_and_omni_flow_agents() {
    group_agents(&mut T::new());
}

#[test]
fn call_flows_message_flows_and_folders() {
    group_flows(&mut T::new());
}

#[test]
fn calls_history_recordings_and_active_calls() {
    group_calls(&mut T::new());
}

#[test]
fn batch_calls() {
    group_batches(&mut T::new());
}

#[test]
fn conversations() {
    group_conversations(&mut T::new());
}

#[test]
fn phone_numbers() {
    group_numbers(&mut T::new());
}

#[test]
fn knowledge_bases_and_voices() {
    group_library(&mut T::new());
}

#[test]
fn workspaces() {
    group_workspaces(&mut T::new());
}

#[test]
fn every_operation_is_covered_with_a_success_and_an_error() {
    let mut t = T::new();
    for group in GROUPS {
        group(&mut t);
    }
    let all: BTreeSet<String> = OPERATIONS.iter().map(|op| op.id.to_string()).collect();
    assert_eq!(all.len(), 78);
    let no_success: Vec<_> = all.difference(&t.ok_ops).collect();
    let no_error: Vec<_> = all.difference(&t.err_ops).collect();
    assert!(no_success.is_empty(), "operations never answered successfully: {no_success:?}");
    assert!(no_error.is_empty(), "operations never answered an error: {no_error:?}");
    // Every request reached the sandbox as its own operation.
    let logged: BTreeSet<String> =
        t.sandbox.requests().iter().filter_map(|r| r["operation"].as_str().map(str::to_string)).collect();
    assert_eq!(logged, all);
}

/// Where the sandbox knowingly differs from a response example: (operation, path, why).
const SHAPE_EXCEPTIONS: [(&str, &str, &str); 5] = [
    ("agents.update", "$.phoneNumberId", "only this example has it; agents carry phoneNumberIds"),
    ("phone_numbers.get_config", "$.metadataTags", "an array here in the spec, an object on bind"),
    ("omni_flow_agents.update", "$.settings.customSetting", "free-form settings in the example"),
    ("call_history.get", "$.analyzedData.additional_field", "free-form post-call analysis in the example"),
    ("phone_numbers.bind", "$.phoneNumber.officeHours.monday", "free-form office hours in the example"),
];

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every key of the example is in the answer with the same JSON type (a `null` on either side
/// is accepted: optional values). Arrays compare their first items, unless the example's items
/// differ in shape among themselves.
fn shape_problems(op: &str, path: &str, example: &Value, actual: &Value, out: &mut Vec<String>) {
    match (example, actual) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(ex), Value::Object(ac)) => {
            for (key, ev) in ex {
                let field = format!("{path}.{key}");
                if SHAPE_EXCEPTIONS.iter().any(|(o, p, _)| *o == op && *p == field) {
                    continue;
                }
                match ac.get(key) {
                    None => out.push(format!("{op}: {path}.{key} is missing")),
                    Some(av) => shape_problems(op, &format!("{path}.{key}"), ev, av, out),
                }
            }
        }
        (Value::Array(ex), Value::Array(ac)) => {
            let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
            let uniform = ex.windows(2).all(|w| keys(&w[0]) == keys(&w[1]));
            if let (Some(e0), Some(a0), true) = (ex.first(), ac.first(), uniform) {
                shape_problems(op, &format!("{path}[0]"), e0, a0, out);
            }
        }
        (e, a) if json_type(e) != json_type(a) => {
            out.push(format!("{op}: {path} is {} in the example but {} here", json_type(e), json_type(a)))
        }
        _ => {}
    }
}

#[test]
fn responses_have_the_shape_of_the_spec_examples() {
    let mut t = T::new();
    for group in GROUPS {
        group(&mut t);
    }
    let spec: Vec<Value> = serde_json::from_str(include_str!("../../../tests/fixtures/endpoints.json")).unwrap();
    let mut problems = Vec::new();
    let mut compared = 0;
    for op in OPERATIONS {
        let entry = spec
            .iter()
            .find(|e| e["method"] == op.method.as_str() && e["path"] == op.path)
            .unwrap_or_else(|| panic!("{} is not in the spec", op.id));
        let example = &entry["response_example"];
        if !(example.is_object() || example.is_array()) {
            continue; // null (undocumented), or text / binary described in words
        }
        let answers = &t.responses[op.id];
        // The richest answer: the last non-empty one.
        let actual = answers.iter().rev().find(|a| a.as_array().is_none_or(|l| !l.is_empty())).unwrap_or(&answers[0]);
        shape_problems(op.id, "$", example, actual, &mut problems);
        compared += 1;
    }
    assert!(compared > 60, "{compared}");
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}
