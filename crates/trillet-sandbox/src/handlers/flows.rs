//! Call flows (with their knowledge-base files), message flows and the folders that hold them.

use super::valid;
use super::{
    check_enum, extension, fetch, list_docs, merge, optional_bool, optional_object, optional_str, required_str,
    update_doc, Ctx,
};
use crate::reply::{ok, ApiError, Outcome, Reply};
use crate::store::{stamp, Coll, USER_ID};
use serde_json::{json, Map, Value};

const CALL_FLOW_DIRECTIONS: [&str; 3] = ["inbound", "outbound", "bidirectional"];
const WELCOME_MODES: [&str; 3] = ["user_initiated", "ai_dynamic", "ai_custom"];
const KNOWLEDGE_BASE_EXTENSIONS: [&str; 4] = ["pdf", "txt", "docx", "md"];

// ---- call flows ----------------------------------------------------------------------------

fn check_call_flow(body: &Map<String, Value>) -> Result<(), ApiError> {
    check_enum(body, "direction", &CALL_FLOW_DIRECTIONS)?;
    check_enum(body, "promptType", &["simple", "flow"])?;
    check_enum(body, "welcomeMessage", &WELCOME_MODES)?;
    optional_bool(body, "isActive")?;
    optional_object(body, "settings")?;
    optional_object(body, "flowData")?;
    Ok(())
}

/// Links a flow to an agent (the agent's `pathway`), which must exist.
fn link_agent(ctx: &mut Ctx<'_>, agent_id: &str, flow_id: &str) -> Result<(), ApiError> {
    let ws = ctx.ws();
    let now = ctx.store.now();
    let agent =
        ctx.store.get_mut(Coll::Agents, Some(&ws), agent_id).ok_or_else(|| ApiError::not_found("Agent", agent_id))?;
    agent["pathway"] = json!(flow_id);
    stamp(agent, now);
    Ok(())
}

/// `call_flows.create`: `name` required; `agent`, when given, must exist and gets linked;
/// `folderId`, when given, must exist and gets the flow.
pub(super) fn create_call_flow(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    check_call_flow(&body)?;
    let agent = optional_str(&body, "agent")?;
    let folder = optional_str(&body, "folderId")?;
    if let Some(agent) = &agent {
        fetch(ctx, Coll::Agents, "Agent", agent)?;
    }
    if let Some(folder) = &folder {
        fetch(ctx, Coll::Folders, "Folder", folder)?;
    }
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let mut doc = json!({
        "_id": id, "workspaceId": ws, "folderId": null, "isGlobal": false, "isPreConfigured": false,
        "preConfiguredWorkspaceId": null, "name": name, "direction": "bidirectional", "description": "",
        "agent": null, "promptType": "simple", "welcomeMessage": "user_initiated", "customWelcomeMessage": "",
        "flowData": {"nodes": [], "edges": []}, "prompt": "", "isActive": true,
        "settings": {"knowledgeBases": [], "knowledgeBaseFiles": [], "responseSettings": {"delay": 0},
                     "security": {"hipaaCompliance": false},
                     "callSetting": {"maxCallDuration": 600, "endCallOnSilence": 10}},
        "createdAt": now, "updatedAt": now, "__v": 0
    });
    merge(&mut doc, &body, &[]);
    valid::insert(ctx, Coll::CallFlows, doc.clone())?;
    if let Some(agent) = agent {
        link_agent(ctx, &agent, &id)?;
    }
    if let Some(folder) = folder {
        add_to_folder(ctx, &folder, &id)?;
    }
    ok(doc)
}

/// `call_flows.list`.
pub(super) fn list_call_flows(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::CallFlows))
}

/// `call_flows.get`.
pub(super) fn get_call_flow(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::CallFlows, "Call flow", &ctx.param("id"))?)
}

/// `call_flows.update`: merges the body; a new `agent` must exist and gets linked.
pub(super) fn update_call_flow(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    check_call_flow(&body)?;
    let id = ctx.param("id");
    fetch(ctx, Coll::CallFlows, "Call flow", &id)?;
    let agent = optional_str(&body, "agent")?;
    if let Some(agent) = &agent {
        fetch(ctx, Coll::Agents, "Agent", agent)?;
    }
    let doc = update_doc(ctx, Coll::CallFlows, "Call flow", &id, &body, &["folderId"])?;
    if let Some(agent) = agent {
        link_agent(ctx, &agent, &id)?;
    }
    ok(doc)
}

fn knowledge_base_files(doc: &Value) -> Value {
    json!({"_id": doc["_id"], "workspaceId": doc["workspaceId"],
           "settings": {"knowledgeBaseFiles": doc["settings"]["knowledgeBaseFiles"]}})
}

/// `call_flows.upload_knowledge_base`: one `.pdf`, `.txt`, `.docx` or `.md` file in `file`.
pub(super) fn upload_knowledge_base(ctx: &mut Ctx<'_>) -> Outcome {
    let form = ctx.form()?;
    let file = form
        .file("file")
        .ok_or_else(|| ApiError::bad_request("missing_file", "Upload one file in the `file` form field"))?;
    let filename = file.filename.clone().unwrap_or_default();
    if !KNOWLEDGE_BASE_EXTENSIONS.contains(&extension(&filename).as_str()) {
        return Err(ApiError::bad_request(
            "unsupported_file_type",
            format!("{filename:?} is not a .pdf, .txt, .docx or .md file"),
        ));
    }
    let id = ctx.param("id");
    fetch(ctx, Coll::CallFlows, "Call flow", &id)?;
    let key = format!("kb_{}", ctx.store.hex(20));
    let now = ctx.store.now();
    let entry = json!({"filename": filename, "key": key, "size": file.data.len(),
                       "url": format!("https://files.sandbox.trillet.invalid/knowledge-base/{key}"),
                       "contentType": file.content_type, "uploadedAt": now});
    let ws = ctx.ws();
    let doc =
        ctx.store.get_mut(Coll::CallFlows, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Call flow", &id))?;
    if !doc["settings"].is_object() {
        doc["settings"] = json!({});
    }
    let files = doc["settings"]
        .as_object_mut()
        .expect("settings is an object")
        .entry("knowledgeBaseFiles")
        .or_insert(json!([]));
    if !files.is_array() {
        *files = json!([]);
    }
    files.as_array_mut().expect("an array").push(entry);
    stamp(doc, now);
    ok(knowledge_base_files(doc))
}

/// `call_flows.delete_knowledge_base_file`.
pub(super) fn delete_knowledge_base_file(ctx: &mut Ctx<'_>) -> Outcome {
    let (id, key, ws) = (ctx.param("id"), ctx.param("fileKey"), ctx.ws());
    let now = ctx.store.now();
    let doc =
        ctx.store.get_mut(Coll::CallFlows, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Call flow", &id))?;
    let files = doc["settings"]["knowledgeBaseFiles"].as_array_mut();
    let removed = files.and_then(|files| {
        let pos = files.iter().position(|f| f["key"] == key.as_str())?;
        Some(files.remove(pos))
    });
    if removed.is_none() {
        return Err(ApiError::not_found("Knowledge-base file", &key));
    }
    stamp(doc, now);
    ok(knowledge_base_files(doc))
}

/// `call_flows.delete`: like the API, deleting a flow also deletes the agent linked to it.
pub(super) fn delete_call_flow(ctx: &mut Ctx<'_>) -> Outcome {
    let (id, ws) = (ctx.param("id"), ctx.ws());
    let flow =
        ctx.store.remove(Coll::CallFlows, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Call flow", &id))?;
    remove_from_folders(ctx, &ws, &id);
    let mut deleted_agent = Value::Null;
    if let Some(agent_id) = flow["agent"].as_str() {
        if ctx.store.remove(Coll::Agents, Some(&ws), agent_id).is_some() {
            super::agents::forget_agent(ctx, &ws, agent_id);
            deleted_agent = json!(agent_id);
        }
    }
    ok(json!({"success": true, "message": "Call flow deleted successfully", "deletedAgentId": deleted_agent}))
}

// ---- message flows -------------------------------------------------------------------------

/// `message_flows.create`: `name`, `agent` (an omni-flow agent) and `initiationMessage` required.
pub(super) fn create_message_flow(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    let agent = required_str(&body, "agent")?;
    let initiation = required_str(&body, "initiationMessage")?;
    check_enum(&body, "direction", &CALL_FLOW_DIRECTIONS)?;
    check_enum(&body, "messageChannel", &["SMS", "Email"])?;
    optional_bool(&body, "autopilot")?;
    optional_bool(&body, "isActive")?;
    optional_object(&body, "settings")?;
    fetch(ctx, Coll::OmniAgents, "Omni flow agent", &agent)?;
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let mut doc = json!({
        "_id": id, "workspaceId": ws, "userId": USER_ID, "name": name, "direction": "bidirectional",
        "description": "", "agent": agent,
        "settings": {"responseSettings": {"delay": 0, "workingHours": {"enabled": false, "start": "09:00",
                     "end": "17:00", "timezone": "UTC", "outOfHoursMessage": ""}},
                     "security": {"hipaaCompliance": false}, "emailSettings": {"subjectLine": "", "signature": ""},
                     "knowledgeBases": []},
        "prompt": "", "initiationMessage": initiation, "isActive": false, "autopilot": false,
        "messageChannel": "SMS", "folderId": null, "createdAt": now, "updatedAt": now, "__v": 0
    });
    merge(&mut doc, &body, &[]);
    valid::insert(ctx, Coll::MessageFlows, doc.clone())?;
    ok(doc)
}

/// `message_flows.list`.
pub(super) fn list_message_flows(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::MessageFlows))
}

/// `message_flows.get`.
pub(super) fn get_message_flow(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::MessageFlows, "Message flow", &ctx.param("id"))?)
}

/// `message_flows.update`: merges the body; `toggleAutopilot: true` flips `autopilot`.
pub(super) fn update_message_flow(ctx: &mut Ctx<'_>) -> Outcome {
    let mut body = ctx.body()?;
    let toggle = optional_bool(&body, "toggleAutopilot")?.unwrap_or(false);
    body.remove("toggleAutopilot");
    check_enum(&body, "direction", &CALL_FLOW_DIRECTIONS)?;
    check_enum(&body, "messageChannel", &["SMS", "Email"])?;
    optional_object(&body, "settings")?;
    if let Some(agent) = optional_str(&body, "agent")? {
        fetch(ctx, Coll::OmniAgents, "Omni flow agent", &agent)?;
    }
    let id = ctx.param("id");
    let mut doc = update_doc(ctx, Coll::MessageFlows, "Message flow", &id, &body, &["folderId"])?;
    if toggle {
        let ws = ctx.ws();
        let stored = ctx.store.get_mut(Coll::MessageFlows, Some(&ws), &id).expect("just updated");
        let flipped = !stored["autopilot"].as_bool().unwrap_or(false);
        stored["autopilot"] = json!(flipped);
        doc = stored.clone();
    }
    ok(doc)
}

// ---- folders -------------------------------------------------------------------------------

const COLORS: [(&str, &str); 6] = [
    ("blue", "#3B82F6"),
    ("green", "#10B981"),
    ("teal", "#14B8A6"),
    ("purple", "#8B5CF6"),
    ("orange", "#F97316"),
    ("red", "#EF4444"),
];

/// A colour name (stored as hex) or a `#RRGGBB` value.
fn color_hex(body: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let Some(color) = optional_str(body, "color")? else { return Ok(None) };
    if let Some((_, hex)) = COLORS.iter().find(|(name, _)| name.eq_ignore_ascii_case(&color)) {
        return Ok(Some(hex.to_string()));
    }
    let is_hex = color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex {
        Ok(Some(color.to_ascii_uppercase()))
    } else {
        Err(ApiError::validation(format!(
            "`color` must be one of blue, green, teal, purple, orange, red (or #RRGGBB), not {color:?}"
        )))
    }
}

fn pathway_model(flow_type: &str) -> &'static str {
    if flow_type == "message" {
        "MessageFlow"
    } else {
        "Flow"
    }
}

fn flow_collection(flow_type: &str) -> (Coll, &'static str) {
    if flow_type == "message" {
        (Coll::MessageFlows, "Message flow")
    } else {
        (Coll::CallFlows, "Call flow")
    }
}

/// `folders.create` (answers 201): `name` required; colour, icon and flow type default to blue,
/// folder and call.
pub(super) fn create_folder(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    check_enum(&body, "flowType", &["call", "message"])?;
    let color = color_hex(&body)?.unwrap_or_else(|| COLORS[0].1.to_string());
    let icon = optional_str(&body, "icon")?.unwrap_or_else(|| "folder".into());
    let flow_type = optional_str(&body, "flowType")?.unwrap_or_else(|| "call".into());
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let doc = json!({"_id": id, "workspaceId": ws, "name": name, "color": color, "icon": icon,
                     "flowType": flow_type, "pathwayModel": pathway_model(&flow_type), "pathways": [],
                     "createdAt": now, "updatedAt": now, "__v": 0});
    valid::insert(ctx, Coll::Folders, doc.clone())?;
    Ok(Reply::json(201, &doc))
}

/// `folders.list`: `pathways` as id strings.
pub(super) fn list_folders(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::Folders))
}

/// `folders.get`: `pathways` populated with the flows.
pub(super) fn get_folder(ctx: &mut Ctx<'_>) -> Outcome {
    let mut folder = fetch(ctx, Coll::Folders, "Folder", &ctx.param("folderId"))?;
    let (coll, _) = flow_collection(folder["flowType"].as_str().unwrap_or("call"));
    let populated: Vec<Value> = folder["pathways"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|id| ctx.store.get(coll, ctx.workspace(), id.as_str()?))
        .map(|f| {
            json!({"_id": f["_id"], "name": f["name"], "description": f["description"],
                   "createdAt": f["createdAt"], "updatedAt": f["updatedAt"]})
        })
        .collect();
    folder["pathways"] = Value::Array(populated);
    ok(folder)
}

/// `folders.update` (PATCH): name, colour, icon, flow type.
pub(super) fn update_folder(ctx: &mut Ctx<'_>) -> Outcome {
    let mut body = ctx.body()?;
    check_enum(&body, "flowType", &["call", "message"])?;
    if body.contains_key("name") {
        required_str(&body, "name")?;
    }
    if let Some(hex) = color_hex(&body)? {
        body.insert("color".into(), json!(hex));
    }
    if let Some(flow_type) = optional_str(&body, "flowType")? {
        body.insert("pathwayModel".into(), json!(pathway_model(&flow_type)));
    }
    let id = ctx.param("folderId");
    ok(update_doc(ctx, Coll::Folders, "Folder", &id, &body, &["pathways"])?)
}

/// `folders.delete`: answers the deleted folder; its flows lose their folder.
pub(super) fn delete_folder(ctx: &mut Ctx<'_>) -> Outcome {
    let (id, ws) = (ctx.param("folderId"), ctx.ws());
    let folder = ctx.store.remove(Coll::Folders, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Folder", &id))?;
    for coll in [Coll::CallFlows, Coll::MessageFlows] {
        ctx.store.update_where(
            coll,
            |f| f["workspaceId"] == ws.as_str() && f["folderId"] == id.as_str(),
            |f| f["folderId"] = Value::Null,
        );
    }
    ok(folder)
}

fn add_to_folder(ctx: &mut Ctx<'_>, folder_id: &str, flow_id: &str) -> Result<Value, ApiError> {
    let ws = ctx.ws();
    let now = ctx.store.now();
    let folder = ctx
        .store
        .get_mut(Coll::Folders, Some(&ws), folder_id)
        .ok_or_else(|| ApiError::not_found("Folder", folder_id))?;
    let pathways = folder["pathways"].as_array_mut().expect("folders keep a pathways array");
    if !pathways.iter().any(|p| p == flow_id) {
        pathways.push(json!(flow_id));
    }
    stamp(folder, now);
    let folder = folder.clone();
    let (coll, _) = flow_collection(folder["flowType"].as_str().unwrap_or("call"));
    if let Some(flow) = ctx.store.get_mut(coll, Some(&ws), flow_id) {
        flow["folderId"] = json!(folder_id);
    }
    Ok(folder)
}

fn remove_from_folders(ctx: &mut Ctx<'_>, ws: &str, flow_id: &str) {
    ctx.store.update_where(
        Coll::Folders,
        |f| f["workspaceId"] == ws,
        |f| {
            if let Some(p) = f["pathways"].as_array_mut() {
                p.retain(|id| id != flow_id);
            }
        },
    );
}

/// `folders.add_flow`: `pathwayId` (an existing flow of the folder's type) required.
pub(super) fn add_flow_to_folder(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let flow_id = required_str(&body, "pathwayId")?;
    check_enum(&body, "pathwayType", &["call", "message"])?;
    let folder_id = ctx.param("folderId");
    let folder = fetch(ctx, Coll::Folders, "Folder", &folder_id)?;
    let flow_type = optional_str(&body, "pathwayType")?
        .unwrap_or_else(|| folder["flowType"].as_str().unwrap_or("call").to_string());
    if folder["flowType"] != flow_type.as_str() {
        return Err(ApiError::validation(format!(
            "Folder {folder_id} holds {} flows, not {flow_type} flows",
            folder["flowType"].as_str().unwrap_or("call")
        )));
    }
    let (coll, what) = flow_collection(&flow_type);
    fetch(ctx, coll, what, &flow_id)?;
    ok(add_to_folder(ctx, &folder_id, &flow_id)?)
}

/// `folders.remove_flow`.
pub(super) fn remove_flow_from_folder(ctx: &mut Ctx<'_>) -> Outcome {
    let (folder_id, flow_id, ws) = (ctx.param("folderId"), ctx.param("pathwayId"), ctx.ws());
    let now = ctx.store.now();
    let folder = ctx
        .store
        .get_mut(Coll::Folders, Some(&ws), &folder_id)
        .ok_or_else(|| ApiError::not_found("Folder", &folder_id))?;
    let pathways = folder["pathways"].as_array_mut().expect("folders keep a pathways array");
    let Some(pos) = pathways.iter().position(|p| p == flow_id.as_str()) else {
        return Err(ApiError::new(404, "not_found", format!("Flow {flow_id} in folder {folder_id} not found")));
    };
    pathways.remove(pos);
    stamp(folder, now);
    let folder = folder.clone();
    let (coll, _) = flow_collection(folder["flowType"].as_str().unwrap_or("call"));
    if let Some(flow) = ctx.store.get_mut(coll, Some(&ws), &flow_id) {
        flow["folderId"] = Value::Null;
    }
    ok(folder)
}
