//! Calls: outbound and web calls, call history (paged, CSV export), recordings and active calls.
//!
//! One document per call lives in the call-history collection; while its `status` is
//! `in-progress` it is also an active call, found by its `roomName`.

use super::{check_e164, check_enum, fetch, optional_object, optional_str, paging, required_str, text_of, Ctx};
use crate::reply::{ok, ApiError, Outcome, Reply};
use crate::store::{stamp, Coll};
use serde_json::{json, Map, Value};

/// What the sandbox shows as the caller id of an agent without a number.
const DEFAULT_CALLER_ID: &str = "+10000000000";
/// Price per started minute, for the `cost` of completed calls.
const PRICE_PER_MINUTE: f64 = 0.09;

/// How a call was started.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Phone,
    Web,
}

fn greeting(agent_name: &str) -> String {
    format!("Hello! This is {agent_name}. How can I help you today?")
}

/// Creates the call-history record of a new, in-progress call and returns it.
fn start_call(ctx: &mut Ctx<'_>, agent: &Value, to: Option<&str>, kind: Kind, extra: Map<String, Value>) -> Value {
    let id = ctx.store.new_id();
    let now = ctx.store.now();
    let start_ms = ctx.store.now_millis();
    let ws = agent["workspaceId"].clone();
    let flow_id = agent["pathway"].clone();
    let flow_name = flow_id
        .as_str()
        .and_then(|f| ctx.store.get(Coll::CallFlows, ws.as_str(), f))
        .map_or(Value::String(String::new()), |f| f["name"].clone());
    let from = agent["phoneNumberIds"]
        .as_array()
        .and_then(|ids| ids.first())
        .and_then(|n| ctx.store.get(Coll::PhoneNumbers, ws.as_str(), n.as_str()?))
        .map_or(json!(DEFAULT_CALLER_ID), |n| n["phoneNumber"].clone());
    let agent_id = agent["_id"].as_str().unwrap_or_default();
    let room = match kind {
        Kind::Phone => format!("call-{id}"),
        Kind::Web => format!("web-{agent_id}-{id}"),
    };
    let mut doc = json!({
        "_id": id, "callId": id, "workspaceId": ws, "agentId": agent_id, "agentName": agent["name"],
        "callFlowId": flow_id, "callFlowName": flow_name, "roomName": room,
        "direction": if kind == Kind::Phone { "outbound" } else { "inbound" },
        "type": if kind == Kind::Phone { "phone" } else { "web" },
        "fromPhoneNumber": if kind == Kind::Phone { from } else { Value::Null },
        "toPhoneNumber": to, "status": "in-progress", "startTime": start_ms / 1000, "endTime": null,
        "duration": 0, "cost": {"customer_charge": 0.0}, "metadata": {}, "variables": {}, "functionCalls": [],
        "summary": "", "analyzedData": {}, "transcript": [{"role": "agent", "content": greeting(agent["name"].as_str().unwrap_or("your agent"))}],
        "recordingUrl": null, "recording": null, "agentRemoved": false, "batchId": null,
        "createdAt": now, "updatedAt": now
    });
    super::merge(&mut doc, &extra, &[]);
    ctx.store.insert(Coll::Calls, doc.clone());
    doc
}

/// Ends an in-progress call: completed, with end time, duration, cost, summary and recording.
fn complete_call(ctx: &mut Ctx<'_>, room: &str) -> Result<Value, ApiError> {
    let now = ctx.store.now();
    let end_ms = ctx.store.now_millis();
    let ws = ctx.workspace().map(str::to_string);
    let call = ctx
        .store
        .find_mut(Coll::Calls, ws.as_deref(), |c| c["roomName"] == room && c["status"] == "in-progress")
        .ok_or_else(|| ApiError::not_found("Active call", room))?;
    let start = call["startTime"].as_u64().unwrap_or(end_ms / 1000);
    let duration = (end_ms / 1000).saturating_sub(start);
    let minutes = duration.div_ceil(60) as f64;
    call["status"] = json!("completed");
    call["endTime"] = json!(end_ms / 1000);
    call["duration"] = json!(duration);
    call["cost"] = json!({"customer_charge": (minutes * PRICE_PER_MINUTE * 100.0).round() / 100.0});
    let agent = text_of(&call["agentName"]);
    call["summary"] = json!(match call["toPhoneNumber"].as_str() {
        Some(to) => format!(
            "Sandbox call from {} to {to} with agent {agent}; completed after {duration} s.",
            text_of(&call["fromPhoneNumber"])
        ),
        None => format!("Sandbox web call with agent {agent}; completed after {duration} s."),
    });
    call["analyzedData"] = json!({"answered_by_voicemail": false});
    if let Some(transcript) = call["transcript"].as_array_mut() {
        transcript.push(json!({"role": "customer", "content": "Thanks, that is all I needed."}));
    }
    call["recordingUrl"] =
        json!(format!("https://files.sandbox.trillet.invalid/recordings/{}.mp3", text_of(&call["_id"])));
    stamp(call, now);
    Ok(call.clone())
}

/// The agent of a call request, in the request's workspace (or any, for key-only operations).
fn agent_for(ctx: &Ctx<'_>, agent_id: &str) -> Result<Value, ApiError> {
    ctx.store
        .get(Coll::Agents, ctx.workspace(), agent_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Agent", agent_id))
}

/// Copies optional objects (`metadata`, `dynamic_variables`) and `callback_url` onto the record.
fn call_extras(body: &Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    let mut extra = Map::new();
    if let Some(m) = optional_object(body, "metadata")? {
        extra.insert("metadata".into(), Value::Object(m));
    }
    if let Some(v) = optional_object(body, "dynamic_variables")? {
        extra.insert("variables".into(), Value::Object(v));
    }
    if let Some(url) = optional_str(body, "callback_url")? {
        extra.insert("callbackUrl".into(), json!(url));
    }
    Ok(extra)
}

/// `calls.initiate`: `to` must be E.164 (`invalid_number`), `call_agent_id` an existing agent.
/// Creates a call-history record and an active call.
pub(super) fn initiate(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let to = required_str(&body, "to")?;
    check_e164(&to)?;
    let agent_id = required_str(&body, "call_agent_id")?;
    let mut agent = agent_for(ctx, &agent_id)?;
    if let Some(from_id) = optional_str(&body, "from_phone_number_id")? {
        fetch(ctx, Coll::PhoneNumbers, "Phone number", &from_id)?;
        agent["phoneNumberIds"] = json!([from_id]);
    }
    let call = start_call(ctx, &agent, Some(&to), Kind::Phone, call_extras(&body)?);
    ok(json!({"status": "success", "call_id": call["_id"], "message": "Call initiated successfully"}))
}

/// A fake LiveKit access token: a JWT-shaped string naming the room.
fn token(ctx: &mut Ctx<'_>, room: &str, identity: &str) -> String {
    let b64 = |v: &Value| crate::codec::base64url(v.to_string().as_bytes());
    let exp = ctx.store.now_millis() / 1000 + 3600;
    let head = format!(
        "{}.{}",
        b64(&json!({"alg": "HS256", "typ": "JWT"})),
        b64(&json!({"iss": "trillet-sandbox", "sub": identity, "video": {"room": room, "roomJoin": true}, "exp": exp}))
    );
    let signature = crate::signing::hex(&crate::signing::hmac_sha256(b"trillet-sandbox", &[head.as_bytes()]));
    format!("{head}.{signature}")
}

fn agent_summary(agent: &Value) -> Value {
    json!({"id": agent["_id"], "name": agent["name"], "model": agent["llmModel"],
           "voice": {"provider": agent["ttsModel"]["provider"], "voiceId": agent["ttsModel"]["voiceId"],
                     "language": agent["ttsModel"]["language"]}})
}

/// Starts a web call for `agent_field` of the body; answers `{token, roomName, callId, agent}`.
fn web_call(ctx: &mut Ctx<'_>, agent_field: &str) -> Result<(Value, Value, String), ApiError> {
    let body = ctx.body()?;
    let agent_id = required_str(&body, agent_field)?;
    check_enum(&body, "mode", &["voice", "text"])?;
    let agent = agent_for(ctx, &agent_id)?;
    let mut extra = call_extras(&body)?;
    extra.insert("mode".into(), json!(optional_str(&body, "mode")?.unwrap_or_else(|| "voice".into())));
    let call = start_call(ctx, &agent, None, Kind::Web, extra);
    let room = text_of(&call["roomName"]);
    let token = token(ctx, &room, &format!("web-user-{}", text_of(&call["_id"])));
    Ok((call, agent, token))
}

/// `calls.web_connect`: `agentId` required.
pub(super) fn web_connect(ctx: &mut Ctx<'_>) -> Outcome {
    let (call, agent, token) = web_call(ctx, "agentId")?;
    ok(json!({"status": "success", "callId": call["_id"], "roomName": call["roomName"], "token": token,
              "agent": agent_summary(&agent)}))
}

/// `calls.web_disconnect`: `roomName` of an active web call; completes it.
pub(super) fn web_disconnect(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let room = required_str(&body, "roomName")?;
    let call = complete_call(ctx, &room)?;
    ok(json!({"status": "success", "message": "Session ended successfully", "roomName": room, "callId": call["_id"]}))
}

/// `calls.start_web_call` (key only): `agentId` required.
pub(super) fn start_web_call(ctx: &mut Ctx<'_>) -> Outcome {
    let (call, agent, token) = web_call(ctx, "agentId")?;
    ok(json!({"token": token, "roomName": call["roomName"], "callId": call["_id"], "agent": agent_summary(&agent)}))
}

/// `calls.start_public_web_call` (workspace only, no key): `call_agent_id` required.
pub(super) fn start_public_web_call(ctx: &mut Ctx<'_>) -> Outcome {
    let (call, agent, token) = web_call(ctx, "call_agent_id")?;
    ok(json!({"token": token, "roomName": call["roomName"], "callId": call["_id"], "agent": agent_summary(&agent)}))
}

/// `calls.start_evaluation_web_call` (key only): `call_agent_id` and `evaluationPrompt` required.
pub(super) fn start_evaluation_web_call(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let agent_id = required_str(&body, "call_agent_id")?;
    let prompt = required_str(&body, "evaluationPrompt")?;
    let context = optional_object(&body, "evaluation_context")?;
    let agent = agent_for(ctx, &agent_id)?;
    let mut extra = Map::new();
    extra.insert("metadata".into(), json!({"evaluation": {"prompt": prompt, "context": context}}));
    let call = start_call(ctx, &agent, None, Kind::Web, extra);
    ok(json!({"call_id": call["_id"], "room_name": call["roomName"]}))
}

// ---- call history --------------------------------------------------------------------------

/// A record in the list shape of the spec (`timestamp`, `agent` as a name, `cost` as a number).
fn history_item(c: &Value) -> Value {
    json!({
        "_id": c["_id"], "timestamp": c["startTime"].as_u64().map_or(json!(null), |s| json!(s as f64)),
        "callId": c["callId"], "roomName": c["roomName"], "fromPhoneNumber": c["fromPhoneNumber"],
        "toPhoneNumber": c["toPhoneNumber"], "direction": c["direction"], "duration": c["duration"],
        "agent": c["agentName"], "agentId": c["agentId"], "status": c["status"], "callFlowName": c["callFlowName"],
        "cost": c["cost"]["customer_charge"], "recordingUrl": c["recordingUrl"], "summary": c["summary"],
        "analyzedData": c["analyzedData"], "variables": c["variables"], "transcript": c["transcript"],
        "type": c["type"], "batchId": c["batchId"], "createdAt": c["createdAt"]
    })
}

/// Calls of the workspace matching a filter, newest first.
fn history(ctx: &Ctx<'_>, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut calls: Vec<Value> =
        ctx.store.list(Coll::Calls, ctx.workspace()).into_iter().filter(|c| keep(c)).cloned().collect();
    calls.reverse();
    calls
}

/// `call_history.list`: `page` (default 1) and `limit` (default 10, at most 100) with filters
/// `agentId`, `pathwayId`, `batchId`, `status`, `direction`, `callType`, `search`, `callIds`.
/// Answers a bare array, like the API.
pub(super) fn list_history(ctx: &mut Ctx<'_>) -> Outcome {
    let (page, limit) = paging(ctx, 10, 100)?;
    let eq =
        |field: &'static str, param: &str| ctx.query(param).filter(|v| !v.is_empty()).map(|v| (field, v.to_string()));
    let filters: Vec<(&str, String)> = [
        eq("agentId", "agentId"),
        eq("callFlowId", "pathwayId"),
        eq("batchId", "batchId"),
        eq("status", "status"),
        eq("direction", "direction"),
        eq("type", "callType"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let ids: Vec<String> = ctx
        .query_all("callIds")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let search = ctx.query("search").map(str::to_lowercase).filter(|s| !s.is_empty());
    let calls = history(ctx, |c| {
        filters.iter().all(|(field, v)| text_of(&c[*field]) == *v)
            && (ids.is_empty() || ids.iter().any(|id| c["_id"] == id.as_str()))
            && search.as_ref().is_none_or(|s| {
                ["toPhoneNumber", "fromPhoneNumber", "summary", "agentName", "callFlowName"]
                    .iter()
                    .any(|f| text_of(&c[*f]).to_lowercase().contains(s))
            })
    });
    let page_items: Vec<Value> = calls.iter().skip((page - 1) * limit).take(limit).map(history_item).collect();
    ok(Value::Array(page_items))
}

/// `call_history.get`: the detail shape (`agentId`, `cost` as `{customer_charge}`).
pub(super) fn get_history(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::Calls, "Call", &ctx.param("callHistoryId"))?)
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// `call_history.export_csv`: `text/csv`, newest first; body filters `agentId`, `limit`,
/// `includeTranscripts`, `includePostAnalysis`.
pub(super) fn export_csv(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let agent = optional_str(&body, "agentId")?;
    let transcripts = super::optional_bool(&body, "includeTranscripts")?.unwrap_or(false);
    let analysis = super::optional_bool(&body, "includePostAnalysis")?.unwrap_or(false);
    let limit = match body.get("limit") {
        None | Some(Value::Null) => usize::MAX,
        Some(v) => v
            .as_u64()
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::validation("`limit` must be a whole number of at least 1"))?
            as usize,
    };
    let calls = history(ctx, |c| agent.as_ref().is_none_or(|a| c["agentId"] == a.as_str()));
    let mut header = vec![
        "Call ID",
        "Record ID",
        "From Phone Number",
        "To Phone Number",
        "Direction",
        "Status",
        "Duration (s)",
        "Start Time (UTC)",
        "End Time (UTC)",
        "Agent Name",
        "Call Flow Name",
        "Cost",
        "Summary",
        "Recording Link",
    ];
    if analysis {
        header.push("Analyzed Data (JSON)");
    }
    if transcripts {
        header.push("Transcript");
    }
    let mut out = header.join(",") + "\n";
    let time = |v: &Value| v.as_u64().map(|s| crate::clock::iso_millis(s * 1000)).unwrap_or_default();
    for c in calls.iter().take(limit) {
        let mut row = vec![
            text_of(&c["callId"]),
            text_of(&c["_id"]),
            text_of(&c["fromPhoneNumber"]),
            text_of(&c["toPhoneNumber"]),
            text_of(&c["direction"]),
            text_of(&c["status"]),
            text_of(&c["duration"]),
            time(&c["startTime"]),
            time(&c["endTime"]),
            text_of(&c["agentName"]),
            text_of(&c["callFlowName"]),
            text_of(&c["cost"]["customer_charge"]),
            text_of(&c["summary"]),
            text_of(&c["recordingUrl"]),
        ];
        if analysis {
            row.push(c["analyzedData"].to_string());
        }
        if transcripts {
            let lines: Vec<String> = c["transcript"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|t| format!("{}: {}", text_of(&t["role"]), text_of(&t["content"])))
                .collect();
            row.push(lines.join("\n"));
        }
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    Ok(Reply::raw(200, "text/csv; charset=utf-8", out.into_bytes()))
}

// ---- recordings ----------------------------------------------------------------------------

/// `recordings.get`: the recording of a completed call, or of a live call being recorded, as the
/// API serves it: audio bytes (`audio/mp3`, `Content-Disposition: inline; filename="recording.mp3"`).
/// The bytes are a deterministic stand-in: an ID3 tag naming the call, then silence frames.
pub(super) fn get_recording(ctx: &mut Ctx<'_>) -> Outcome {
    let id = ctx.param("callHistoryId");
    let call = fetch(ctx, Coll::Calls, "Call", &id)?;
    if call["recordingUrl"].is_null() {
        return Err(ApiError::new(404, "not_found", format!("Recording for call {id} not found")));
    }
    let mut audio = format!("ID3\u{3}\0\0trillet-sandbox-recording:{id}\n").into_bytes();
    audio.extend(std::iter::repeat_n([0xFF_u8, 0xFB, 0x90, 0x00], 64).flatten());
    Ok(Reply::raw(200, "audio/mp3", audio)
        .header("Content-Disposition", "inline; filename=\"recording.mp3\"")
        .header("Cache-Control", "private, max-age=3600"))
}

/// `recordings.start`: `pathwayId` and `roomName` (an active call) required.
pub(super) fn start_recording(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    required_str(&body, "pathwayId")?;
    let room = required_str(&body, "roomName")?;
    let egress = format!("EG_{}", ctx.store.hex(12));
    let now = ctx.store.now();
    let ws = ctx.ws();
    let call = ctx
        .store
        .find_mut(Coll::Calls, Some(&ws), |c| c["roomName"] == room.as_str() && c["status"] == "in-progress")
        .ok_or_else(|| ApiError::not_found("Active call", &room))?;
    call["recording"] = json!({"egressId": egress, "startedAt": now});
    call["recordingUrl"] =
        json!(format!("https://files.sandbox.trillet.invalid/recordings/{}.mp3", text_of(&call["_id"])));
    stamp(call, now);
    ok(json!({"message": "Recording started successfully", "result": {"egressId": egress}}))
}

// ---- active calls --------------------------------------------------------------------------

fn active_item(c: &Value, now_secs: u64, detail: bool) -> Value {
    let joined = c["createdAt"].clone();
    let agent_identity = format!("agent-{}", text_of(&c["agentId"]));
    let customer_identity = match c["toPhoneNumber"].as_str() {
        Some(number) => format!("customer-{number}"),
        None => format!("web-user-{}", text_of(&c["_id"])),
    };
    let mut item = json!({
        "id": c["_id"], "roomName": c["roomName"], "customerPhone": c["toPhoneNumber"],
        "customerName": c["variables"]["firstName"].as_str().or(c["metadata"]["name"].as_str()).unwrap_or(""),
        "aiAgentName": c["agentName"], "duration": now_secs.saturating_sub(c["startTime"].as_u64().unwrap_or(now_secs)),
        "status": "active", "sentiment": "neutral",
        "lastMessage": c["transcript"].as_array().and_then(|t| t.last()).map_or(json!(""), |m| m["content"].clone()),
        "transferRequested": false, "agentRemoved": c["agentRemoved"], "type": c["type"],
        "participants": [
            {"identity": agent_identity, "isAgent": true, "joinedAt": joined},
            {"identity": customer_identity, "isAgent": false, "joinedAt": joined}
        ]
    });
    if detail {
        item["transcript"] = c["transcript"].clone();
        for p in item["participants"].as_array_mut().expect("participants is an array") {
            p["metadata"] = json!({});
        }
    }
    item
}

fn active_call(ctx: &Ctx<'_>, room: &str) -> Result<Value, ApiError> {
    ctx.store
        .find(Coll::Calls, ctx.workspace(), |c| c["roomName"] == room && c["status"] == "in-progress")
        .cloned()
        .ok_or_else(|| ApiError::not_found("Active call", room))
}

/// `active_calls.list`: `{data, count, timestamp}`.
pub(super) fn list_active(ctx: &mut Ctx<'_>) -> Outcome {
    let now = ctx.store.now_millis();
    let data: Vec<Value> = ctx
        .store
        .list(Coll::Calls, ctx.workspace())
        .into_iter()
        .filter(|c| c["status"] == "in-progress")
        .map(|c| active_item(c, now / 1000, false))
        .collect();
    ok(json!({"count": data.len(), "data": data, "timestamp": crate::clock::iso_millis(now)}))
}

/// `active_calls.get`: an in-progress call by room name, with its transcript so far.
pub(super) fn get_active(ctx: &mut Ctx<'_>) -> Outcome {
    let call = active_call(ctx, &ctx.param("roomName"))?;
    let now = ctx.store.now_millis();
    ok(active_item(&call, now / 1000, true))
}

/// `active_calls.end_call`: completes the call (history status `completed`).
pub(super) fn end_call(ctx: &mut Ctx<'_>) -> Outcome {
    let room = ctx.param("roomName");
    let call = complete_call(ctx, &room)?;
    let end = call["endTime"].as_u64().unwrap_or_default();
    ok(json!({"success": true, "message": "Call ended successfully", "roomName": room,
              "endTime": crate::clock::iso_millis(end * 1000), "callId": call["_id"]}))
}

/// `active_calls.remove_agent`: `participantIdentity` (a participant of the room) required; the
/// agent is muted, the call goes on.
pub(super) fn remove_agent(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let identity = required_str(&body, "participantIdentity")?;
    let room = ctx.param("roomName");
    let call = active_call(ctx, &room)?;
    let now_ms = ctx.store.now_millis();
    let item = active_item(&call, now_ms / 1000, false);
    let known = item["participants"].as_array().is_some_and(|ps| ps.iter().any(|p| p["identity"] == identity.as_str()));
    if !known {
        return Err(ApiError::new(404, "not_found", format!("Participant {identity} in room {room} not found")));
    }
    let track = format!("TR_{}", ctx.store.hex(12));
    let now = ctx.store.now();
    let ws = ctx.ws();
    if let Some(c) = ctx.store.get_mut(Coll::Calls, Some(&ws), call["_id"].as_str().unwrap_or_default()) {
        c["agentRemoved"] = json!(true);
        stamp(c, now);
    }
    ok(json!({"success": true, "message": "Agent removed from call", "roomName": room, "mutedTracks": [track]}))
}
