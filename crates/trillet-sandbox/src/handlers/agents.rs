//! Call agents and omni-flow (messaging) agents.

use super::valid;
use super::{check_enum, fetch, list_docs, merge, optional_object, optional_str, required_str, update_doc, Ctx};
use crate::reply::{ok, ApiError, Outcome};
use crate::store::{Coll, USER_ID};
use serde_json::{json, Map, Value};

const TTS_PROVIDERS: [&str; 5] = ["openai", "rime", "elevenlabs", "11labs_byo", "google"];
/// Managed by binding and calls, not by the agent body.
const AGENT_READ_ONLY: [&str; 4] = ["phoneNumberIds", "activeSessions", "status", "type"];

fn check_tts(body: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(tts) = optional_object(body, "ttsModel")? {
        check_enum(&tts, "provider", &TTS_PROVIDERS)
            .map_err(|e| ApiError::validation(format!("ttsModel: {}", e.message)))?;
        optional_str(&tts, "voiceId")?;
    }
    optional_str(body, "llmModel")?;
    Ok(())
}

/// `agents.create`: `name` required; every other field has the API's default.
pub(super) fn create(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    check_tts(&body)?;
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let mut doc = json!({
        "_id": id, "workspaceId": ws, "userId": USER_ID, "name": name,
        "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower", "name": "Wildflower", "language": "en"},
        "llmModel": "gpt-4o-mini", "type": "voice", "smartCallback": false, "maxAttemptsForSmartCallback": 5,
        "gapBetweenEachAttemptForSmartCallback": [{"days": 1, "hours": 0}], "phoneNumberIds": [],
        "activeSessions": [], "settings": {"speed": 0.8, "volume": 1, "temperature": 0.7}, "status": "ready",
        "currentNode": null, "variables": {}, "pathway": null, "createdAt": now, "updatedAt": now, "__v": 0
    });
    merge(&mut doc, &body, &AGENT_READ_ONLY);
    if let Some(tts) = doc["ttsModel"].as_object_mut() {
        tts.entry("language").or_insert(json!("en"));
    }
    valid::insert(ctx, Coll::Agents, doc.clone())?;
    ok(doc)
}

/// `agents.list`: a bare array.
pub(super) fn list(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::Agents))
}

/// `agents.get`.
pub(super) fn get(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::Agents, "Agent", &ctx.param("agentId"))?)
}

/// `agents.update`: merges the writable fields; a `pathway` must name an existing call flow.
pub(super) fn update(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    check_tts(&body)?;
    if body.contains_key("name") {
        required_str(&body, "name")?;
    }
    if let Some(pathway) = optional_str(&body, "pathway")? {
        fetch(ctx, Coll::CallFlows, "Call flow", &pathway)?;
    }
    let id = ctx.param("agentId");
    ok(update_doc(ctx, Coll::Agents, "Agent", &id, &body, &AGENT_READ_ONLY)?)
}

/// `agents.delete`: also unbinds the agent's numbers and unlinks its flows.
pub(super) fn delete(ctx: &mut Ctx<'_>) -> Outcome {
    let id = ctx.param("agentId");
    let ws = ctx.ws();
    ctx.store.remove(Coll::Agents, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Agent", &id))?;
    forget_agent(ctx, &ws, &id);
    ok(json!({"success": true, "message": "Agent successfully deleted"}))
}

/// Removes references to a deleted agent from numbers and flows.
pub(super) fn forget_agent(ctx: &mut Ctx<'_>, ws: &str, agent_id: &str) {
    let now = ctx.store.now();
    let mine = |d: &Value, field: &str| d["workspaceId"] == ws && d[field] == agent_id;
    ctx.store.update_where(
        Coll::PhoneNumbers,
        |d| mine(d, "agentId"),
        |d| {
            d["agentId"] = Value::Null;
            d["pathwayId"] = Value::Null;
            d["updatedAt"] = json!(now);
        },
    );
    ctx.store.update_where(Coll::CallFlows, |d| mine(d, "agent"), |d| d["agent"] = Value::Null);
}

/// `omni_flow_agents.create`: `name` required.
pub(super) fn create_omni(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    optional_str(&body, "llmModel")?;
    optional_object(&body, "settings")?;
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let mut doc = json!({
        "_id": id, "workspaceId": ws, "userId": USER_ID, "name": name, "llmModel": "gpt-4o-mini",
        "phoneNumberId": null, "settings": {}, "status": "ready", "messageChannel": "SMS",
        "createdAt": now, "updatedAt": now, "__v": 0
    });
    merge(&mut doc, &body, &["status", "phoneNumberId"]);
    valid::insert(ctx, Coll::OmniAgents, doc.clone())?;
    ok(doc)
}

/// `omni_flow_agents.list`.
pub(super) fn list_omni(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::OmniAgents))
}

/// `omni_flow_agents.get` (path parameter `id`).
pub(super) fn get_omni(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::OmniAgents, "Omni flow agent", &ctx.param("id"))?)
}

/// `omni_flow_agents.update` (path parameter `agentId`).
pub(super) fn update_omni(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    optional_str(&body, "llmModel")?;
    if body.get("name").is_some() {
        required_str(&body, "name")?;
    }
    let id = ctx.param("agentId");
    ok(update_doc(ctx, Coll::OmniAgents, "Omni flow agent", &id, &body, &["status", "phoneNumberId"])?)
}
