//! The webhook events a successful request causes: what changed in the simulated state, read
//! back from the store after the handler ran, as `(event type, data)`.

use super::{text_of, Ctx};
use crate::reply::Reply;
use crate::store::Coll;
use serde_json::{json, Value};
use trillet::operations::{ops, Op};
use trillet::webhooks::EventType;

/// The events of one successful request (none for reads and for failures).
pub(crate) fn events_for(ctx: &mut Ctx<'_>, reply: &Reply) -> Vec<(EventType, Value)> {
    if !(200..300).contains(&reply.status) {
        return Vec::new();
    }
    let answer: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    let ws = ctx.workspace().map(str::to_string);
    let store = &*ctx.store;
    let last = |coll: Coll| store.list(coll, ws.as_deref()).last().map(|d| (*d).clone());
    let agent = |doc: &Value, kind: &str| json!({"agentId": doc["_id"], "name": doc["name"], "agentType": kind, "workspaceId": doc["workspaceId"]});
    let flow = |doc: &Value, kind: &str| {
        json!({"flowId": doc["_id"], "name": doc["name"], "flowType": kind, "agentId": doc["agent"],
               "workspaceId": doc["workspaceId"]})
    };
    let call_by_id = |id: &Value| id.as_str().and_then(|id| store.get(Coll::Calls, None, id)).cloned();
    let Some(op) = Op::of(ctx.op) else { return Vec::new() };
    match op {
        ops::AGENTS_CREATE => vec![(EventType::AgentCreated, agent(&answer, "call"))],
        ops::AGENTS_UPDATE => vec![(EventType::AgentUpdated, agent(&answer, "call"))],
        ops::OMNI_FLOW_AGENTS_CREATE => {
            last(Coll::OmniAgents).map(|d| (EventType::AgentCreated, agent(&d, "messaging"))).into_iter().collect()
        }
        ops::OMNI_FLOW_AGENTS_UPDATE => store
            .get(Coll::OmniAgents, ws.as_deref(), &ctx.param("agentId"))
            .map(|d| (EventType::AgentUpdated, agent(d, "messaging")))
            .into_iter()
            .collect(),
        ops::CALL_FLOWS_CREATE => vec![(EventType::FlowCreated, flow(&answer, "call"))],
        ops::CALL_FLOWS_UPDATE => vec![(EventType::FlowUpdated, flow(&answer, "call"))],
        ops::MESSAGE_FLOWS_CREATE => vec![(EventType::FlowCreated, flow(&answer, "message"))],
        ops::MESSAGE_FLOWS_UPDATE => vec![(EventType::FlowUpdated, flow(&answer, "message"))],
        ops::CALLS_INITIATE | ops::CALLS_WEB_CONNECT | ops::CALLS_START_WEB_CALL | ops::CALLS_START_PUBLIC_WEB_CALL => {
            let id = if answer["call_id"].is_null() { &answer["callId"] } else { &answer["call_id"] };
            call_by_id(id).map(|c| (EventType::CallStarted, call_data(&c))).into_iter().collect()
        }
        ops::CALLS_START_EVALUATION_WEB_CALL => {
            call_by_id(&answer["call_id"]).map(|c| (EventType::CallStarted, call_data(&c))).into_iter().collect()
        }
        ops::ACTIVE_CALLS_END_CALL | ops::CALLS_WEB_DISCONNECT => {
            call_by_id(&answer["callId"]).map(|c| (EventType::CallCompleted, call_data(&c))).into_iter().collect()
        }
        ops::BATCH_CALLS_START => {
            let batch = answer["batchId"].as_str().and_then(|id| store.get(Coll::Batches, None, id));
            batch
                .and_then(|b| Some((b, b["calls"].as_array()?)))
                .map(|(b, jobs)| {
                    jobs.iter()
                        .filter(|j| j["status"] == "failed")
                        .map(|j| {
                            (
                                EventType::CallFailed,
                                json!({"callId": j["jobId"], "batchId": b["_id"], "agentId": b["agentId"],
                                    "workspaceId": b["workspaceId"], "to": j["phone_number"], "status": "failed",
                                    "reason": j["error"], "metadata": j["metadata"]}),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        }
        ops::CONVERSATIONS_GENERATE_MESSAGE => {
            let sent = answer["message_id"].as_str().and_then(|m| {
                let c = answer["conversation_id"].as_str().and_then(|c| store.get(Coll::Conversations, None, c))?;
                Some((c.clone(), message_in(c, m)?))
            });
            match sent {
                Some((c, m)) if m["sent"] == true => sms_events(&c, &m),
                _ => Vec::new(),
            }
        }
        ops::CONVERSATIONS_MESSAGE_ACTION => {
            let (c, m) = (ctx.param("conversationId"), ctx.param("messageId"));
            let found = store.get(Coll::Conversations, None, &c).and_then(|c| Some((c.clone(), message_in(c, &m)?)));
            match found {
                Some((c, m)) if m["sent"] == true => sms_events(&c, &m),
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn message_in(conversation: &Value, id: &str) -> Option<Value> {
    conversation["messages"].as_array()?.iter().find(|m| m["_id"] == id).cloned()
}

/// `sms.sent` then `sms.delivered` for a message sent on an SMS flow (none for e-mail).
fn sms_events(conversation: &Value, message: &Value) -> Vec<(EventType, Value)> {
    if conversation["channel"] == "Email" {
        return Vec::new();
    }
    let data = |status: &str| {
        json!({"messageId": message["_id"], "conversationId": conversation["_id"], "flowId": conversation["pathwayId"],
               "agentId": conversation["agentId"], "workspaceId": conversation["workspaceId"], "to": message["to"],
               "message": message["message"], "status": status, "metadata": conversation["metadata"]})
    };
    vec![(EventType::SmsSent, data("sent")), (EventType::SmsDelivered, data("delivered"))]
}

/// The data of a `call.*` event: the record's ids, parties, state and the call's `metadata`.
fn call_data(c: &Value) -> Value {
    let mut data = json!({"callId": c["_id"], "agentId": c["agentId"], "workspaceId": c["workspaceId"],
                          "status": c["status"], "direction": c["direction"], "type": c["type"],
                          "to": c["toPhoneNumber"], "from": c["fromPhoneNumber"], "roomName": c["roomName"],
                          "metadata": c["metadata"]});
    if c["status"] == "completed" {
        data["duration"] = c["duration"].clone();
        data["endTime"] = c["endTime"].clone();
        data["cost"] = c["cost"]["customer_charge"].clone();
        data["summary"] = json!(text_of(&c["summary"]));
        data["recordingUrl"] = c["recordingUrl"].clone();
    }
    data
}
