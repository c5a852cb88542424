//! State consistency: create → get → list → update → delete agree, ids are unique 24-hex
//! strings, paging walks every record once, concurrent writes all land, reset empties it all.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use trillet::Client;
use trillet_sandbox::{Sandbox, SandboxOptions};

fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().max_retries(0).build().unwrap();
    (sandbox, client)
}

fn items(list: &Value) -> Vec<Value> {
    list.as_array().expect("a bare array").clone()
}

/// The CRUD cycle of one resource. `param` is the path parameter of get/update/delete.
struct Crud {
    resource: &'static str,
    param: &'static str,
    create: Value,
    update: Value,
    /// The field the update changes, and its new value.
    changed: (&'static str, Value),
    has_delete: bool,
}

fn cycle(client: &Client, c: &Crud) {
    let op = |action: &str| format!("{}.{action}", c.resource);
    let get_op = if c.resource == "omni_flow_agents" { "omni_flow_agents.get".to_string() } else { op("get") };
    let get_param = if c.resource == "omni_flow_agents" { "id" } else { c.param };
    let created = client.call(&op("create"), json!({"body": c.create})).unwrap();
    let id = created["_id"].as_str().unwrap().to_string();
    assert!(id.len() == 24 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    assert!(created["createdAt"].is_string() && created["updatedAt"] == created["createdAt"], "{created}");

    let got = client.call(&get_op, json!({"path": {get_param: id}})).unwrap();
    assert_eq!(got, created, "{}: get answers what create answered", c.resource);
    let listed = items(&client.call(&op("list"), json!({})).unwrap());
    assert_eq!(listed.iter().filter(|x| x["_id"] == id.as_str()).collect::<Vec<_>>(), vec![&created], "{}", c.resource);

    let updated = client.call(&op("update"), json!({"path": {c.param: id}, "body": c.update})).unwrap();
    assert_eq!(updated[c.changed.0], c.changed.1, "{}", c.resource);
    assert_eq!(updated["_id"], id.as_str());
    assert_eq!(updated["createdAt"], created["createdAt"]);
    assert!(updated["updatedAt"].as_str().unwrap() > created["updatedAt"].as_str().unwrap(), "{}", c.resource);
    let got = client.call(&get_op, json!({"path": {get_param: id}})).unwrap();
    assert_eq!(got, updated, "{}: get answers what update answered", c.resource);
    let listed = items(&client.call(&op("list"), json!({})).unwrap());
    assert!(listed.contains(&updated), "{}: list shows the update", c.resource);

    if c.has_delete {
        client.call(&op("delete"), json!({"path": {c.param: id}})).unwrap();
        let e = client.call(&get_op, json!({"path": {get_param: id}})).unwrap_err();
        assert_eq!((e.status(), e.code()), (Some(404), "not_found"), "{}", c.resource);
        let listed = items(&client.call(&op("list"), json!({})).unwrap());
        assert!(!listed.iter().any(|x| x["_id"] == id.as_str()), "{}: gone from the list", c.resource);
        let e = client.call(&op("update"), json!({"path": {c.param: id}, "body": c.update})).unwrap_err();
        assert_eq!(e.status(), Some(404), "{}: no update after delete", c.resource);
    }
}

#[test]
fn create_get_list_update_delete_agree_for_every_crud_resource() {
    let (_sandbox, client) = start();
    let omni = client.call("omni_flow_agents.create", json!({"body": {"name": "o"}})).unwrap();
    let cases = [
        Crud {
            resource: "agents",
            param: "agentId",
            create: json!({"name": "A", "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}}),
            update: json!({"name": "B"}),
            changed: ("name", json!("B")),
            has_delete: true,
        },
        Crud {
            resource: "omni_flow_agents",
            param: "agentId",
            create: json!({"name": "A"}),
            update: json!({"llmModel": "gpt-4o"}),
            changed: ("llmModel", json!("gpt-4o")),
            has_delete: false,
        },
        Crud {
            resource: "call_flows",
            param: "id",
            create: json!({"name": "A", "direction": "inbound"}),
            update: json!({"direction": "outbound", "promptType": "simple"}),
            changed: ("direction", json!("outbound")),
            has_delete: true,
        },
        Crud {
            resource: "message_flows",
            param: "id",
            create: json!({"name": "A", "agent": omni["_id"], "initiationMessage": "Hi", "direction": "outbound", "messageChannel": "SMS", "prompt": "Be brief"}),
            update: json!({"description": "d"}),
            changed: ("description", json!("d")),
            has_delete: false,
        },
        Crud {
            resource: "folders",
            param: "folderId",
            create: json!({"name": "A", "flowType": "message", "color": "blue", "icon": "folder"}),
            update: json!({"icon": "voice", "color": "red"}),
            changed: ("icon", json!("voice")),
            has_delete: true,
        },
        Crud {
            resource: "knowledge_base",
            param: "id",
            create: json!({"name": "A"}),
            update: json!({"textContent": "T"}),
            changed: ("textContent", json!("T")),
            has_delete: false,
        },
    ];
    for case in &cases {
        cycle(&client, case);
    }
}

#[test]
fn workspaces_cycle_through_their_own_header() {
    let (sandbox, client) = start();
    let ws = client.call("workspaces.create", json!({"body": {"name": "Ops", "initials": "OP"}})).unwrap();
    let id = ws["_id"].as_str().unwrap();
    assert_eq!(client.call("workspaces.get", json!({"path": {"workspaceId": id}})).unwrap(), ws);
    let all = client.call("workspaces.list", json!({})).unwrap();
    assert_eq!(
        items(&all).iter().map(|w| w["_id"].clone()).collect::<Vec<_>>(),
        vec![json!(sandbox.workspace_id()), json!(id)]
    );
    let renamed =
        client.call("workspaces.update", json!({"path": {"workspaceId": id}, "body": {"name": "Ops 2"}})).unwrap();
    assert_eq!(client.call("workspaces.get", json!({"path": {"workspaceId": id}})).unwrap(), renamed);
    client.call("workspaces.delete", json!({"path": {"workspaceId": id}})).unwrap();
    assert_eq!(items(&client.call("workspaces.list", json!({})).unwrap()).len(), 1);
}

#[test]
fn ids_are_unique_across_resources() {
    let (_sandbox, client) = start();
    let mut ids = BTreeSet::new();
    for i in 0..20 {
        for op in ["agents.create", "knowledge_base.create", "omni_flow_agents.create"] {
            let body =
                json!({"name": format!("n{i}"), "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}});
            let v = client.call(op, json!({"body": body})).unwrap();
            assert!(ids.insert(v["_id"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(ids.len(), 60);
}

#[test]
fn call_history_pages_walk_every_call_once_newest_first() {
    let (_sandbox, client) = start();
    let agent = client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap();
    let mut placed = Vec::new();
    for i in 0..23 {
        let call = client
            .call(
                "calls.initiate",
                json!({"body": {"to": format!("+1415555{:04}", 100 + i), "call_agent_id": agent["_id"]}}),
            )
            .unwrap();
        placed.push(call["call_id"].as_str().unwrap().to_string());
    }
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    for page in 1.. {
        let items = items(&client.call("call_history.list", json!({"query": {"page": page, "limit": 10}})).unwrap());
        sizes.push(items.len());
        if items.is_empty() {
            break;
        }
        seen.extend(items.iter().map(|c| c["_id"].as_str().unwrap().to_string()));
    }
    assert_eq!(sizes, [10, 10, 3, 0]);
    placed.reverse();
    assert_eq!(seen, placed, "every call once, newest first");
    let default_page = items(&client.call("call_history.list", json!({})).unwrap());
    assert_eq!(default_page.len(), 10, "limit defaults to 10");
    let filtered = items(
        &client.call("call_history.list", json!({"query": {"search": "5550105", "status": "in-progress"}})).unwrap(),
    );
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0]["toPhoneNumber"], "+14155550105");
    let by_ids = items(
        &client
            .call("call_history.list", json!({"query": {"callIds": format!("{},{}", placed[0], placed[1])}}))
            .unwrap(),
    );
    assert_eq!(by_ids.len(), 2);
}

#[test]
fn concurrent_creates_all_land() {
    let (_sandbox, client) = start();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|j| {
                        client.call("agents.create", json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": format!("t{i}-{j}")}})).unwrap()["_id"]
                            .clone()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: BTreeSet<String> =
        threads.into_iter().flat_map(|t| t.join().unwrap()).map(|v| v.as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 40);
    assert_eq!(items(&client.call("agents.list", json!({})).unwrap()).len(), 40);
}

#[test]
fn reset_clears_state_faults_and_log() {
    let (sandbox, client) = start();
    client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "A"}}),
        )
        .unwrap();
    client.call("workspaces.create", json!({"body": {"name": "W", "initials": "W"}})).unwrap();
    sandbox.queue_fault("agents.list", 1, json!({"type": "status", "status": 500})).unwrap();
    assert_eq!(sandbox.requests().len(), 2);
    sandbox.reset();
    assert!(sandbox.requests().is_empty());
    assert_eq!(client.call("agents.list", json!({})).unwrap(), json!([]), "no agents and no queued fault");
    assert_eq!(items(&client.call("workspaces.list", json!({})).unwrap()).len(), 1);
    assert_eq!(client.call("voices.get", json!({"path": {"id": "mistv2_Brook"}})).unwrap()["name"], "Brook");
}
