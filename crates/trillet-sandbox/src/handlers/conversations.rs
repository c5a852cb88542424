//! Conversations of message flows: generating a message (deterministic: the flow's
//! `initiationMessage` with `{{placeholders}}` filled in), approving, editing, rejecting and
//! deleting messages, deleting conversations.

use super::{check_e164, fetch, list_docs, optional_bool, optional_object, required_str, text_of, Ctx};
use crate::reply::{ok, ApiError, Outcome};
use crate::store::{stamp, Coll, USER_ID};
use serde_json::{json, Map, Value};

/// `conversations.list`.
pub(super) fn list(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::Conversations))
}

/// `conversations.get`.
pub(super) fn get(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::Conversations, "Conversation", &ctx.param("conversationId"))?)
}

/// Replaces `{{name}}` (spaces allowed inside the braces) with values from `vars`.
pub(crate) fn fill_placeholders(template: &str, vars: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let key = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        match vars.get(key) {
            Some(v) => out.push_str(&text_of(v)),
            None => out.push_str(&rest[start..start + 4 + len]),
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    out
}

/// `conversations.generate_message`: `flowId` (a message flow) and `to` required; `to` must be
/// E.164 for SMS flows (`invalid_number`) and an email address for Email flows. Creates or
/// reuses the conversation with that contact and stores the message: sent and approved with
/// `autopilot`, otherwise pending approval.
pub(super) fn generate_message(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let flow_id = required_str(&body, "flowId")?;
    let to = required_str(&body, "to")?;
    let autopilot = optional_bool(&body, "autopilot")?.unwrap_or(false);
    let metadata = optional_object(&body, "metadata")?.unwrap_or_default();
    let dynamic = optional_object(&body, "dynamic")?.unwrap_or_default();
    let flow = fetch(ctx, Coll::MessageFlows, "Message flow", &flow_id)?;
    let email = flow["messageChannel"] == "Email";
    if email {
        let valid = to.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if !valid {
            return Err(ApiError::bad_request("invalid_email", format!("{to:?} is not an email address")));
        }
    } else {
        check_e164(&to)?;
    }
    let customer = metadata.get("customerDetails").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut vars = customer.clone();
    vars.extend(dynamic);
    let text = fill_placeholders(flow["initiationMessage"].as_str().unwrap_or_default(), &vars);

    let (message_id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let message = json!({"_id": message_id, "direction": "outbound", "message": text, "to": to, "sent": autopilot,
                         "status": if autopilot { "approved" } else { "pending" }, "timestamp": now,
                         "createdAt": now, "updatedAt": now});
    let contact = if email { "email" } else { "phone" };
    let existing = ctx.store.find_mut(Coll::Conversations, Some(&ws), |c| {
        c["pathwayId"] == flow_id.as_str() && c["customer"][contact] == to.as_str()
    });
    let conversation_id = match existing {
        Some(conversation) => {
            conversation["messages"].as_array_mut().expect("conversations keep a messages array").push(message);
            stamp(conversation, now);
            text_of(&conversation["_id"])
        }
        None => {
            let id = ctx.store.new_id();
            let name = customer.get("name").cloned().unwrap_or(json!(""));
            let mut person = json!({"name": name, "email": null, "phone": null});
            person[contact] = json!(to);
            ctx.store.insert(
                Coll::Conversations,
                json!({"_id": id, "workspaceId": ws, "userId": USER_ID, "pathwayId": flow_id, "agentId": flow["agent"],
                       "channel": flow["messageChannel"], "customer": person, "metadata": metadata,
                       "messages": [message], "createdAt": now, "updatedAt": now}),
            );
            id
        }
    };
    ok(json!({"status": "success", "conversation_id": conversation_id, "message_id": message_id, "message": text}))
}

/// `conversations.message_action`: `metadata.action` is `Approve` (sends), `Edit` (replaces the
/// text with `metadata.editedMessage` and sends) or `Reject` (discards). Only a pending message
/// can be acted on (409 `message_not_pending` otherwise).
pub(super) fn message_action(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let meta = optional_object(&body, "metadata")?.ok_or_else(|| ApiError::validation("`metadata` is required"))?;
    let action = required_str(&meta, "action").map_err(|_| ApiError::validation("`metadata.action` is required"))?;
    let edited = match action.to_ascii_lowercase().as_str() {
        "approve" | "reject" => None,
        "edit" => Some(
            required_str(&meta, "editedMessage")
                .map_err(|_| ApiError::validation("`metadata.editedMessage` is required with the Edit action"))?,
        ),
        _ => {
            return Err(ApiError::bad_request(
                "invalid_action",
                format!("`metadata.action` must be Approve, Edit or Reject, not {action:?}"),
            ))
        }
    };
    let (conversation_id, message_id, ws) = (ctx.param("conversationId"), ctx.param("messageId"), ctx.ws());
    let now = ctx.store.now();
    let conversation = ctx
        .store
        .get_mut(Coll::Conversations, Some(&ws), &conversation_id)
        .ok_or_else(|| ApiError::not_found("Conversation", &conversation_id))?;
    let message = conversation["messages"]
        .as_array_mut()
        .and_then(|ms| ms.iter_mut().find(|m| m["_id"] == message_id.as_str()))
        .ok_or_else(|| ApiError::not_found("Message", &message_id))?;
    if message["status"] != "pending" {
        return Err(ApiError::conflict(
            "message_not_pending",
            format!("Message {message_id} is already {}", text_of(&message["status"])),
        ));
    }
    let (status, sent) = match (action.to_ascii_lowercase().as_str(), edited) {
        ("approve", _) => ("approved", true),
        ("reject", _) => ("rejected", false),
        (_, Some(text)) => {
            message["message"] = json!(text);
            ("edited", true)
        }
        (_, None) => unreachable!("Edit always carries its text"),
    };
    message["status"] = json!(status);
    message["sent"] = json!(sent);
    message["updatedAt"] = json!(now);
    let view = json!({"_id": message["_id"], "message": message["message"], "to": message["to"], "sent": sent,
                      "status": status, "timestamp": now});
    stamp(conversation, now);
    ok(json!({"status": "success", "message": view}))
}

/// `conversations.delete_message`.
pub(super) fn delete_message(ctx: &mut Ctx<'_>) -> Outcome {
    let (conversation_id, message_id, ws) = (ctx.param("conversationId"), ctx.param("messageId"), ctx.ws());
    let now = ctx.store.now();
    let conversation = ctx
        .store
        .get_mut(Coll::Conversations, Some(&ws), &conversation_id)
        .ok_or_else(|| ApiError::not_found("Conversation", &conversation_id))?;
    let messages = conversation["messages"].as_array_mut().expect("conversations keep a messages array");
    let pos = messages
        .iter()
        .position(|m| m["_id"] == message_id.as_str())
        .ok_or_else(|| ApiError::not_found("Message", &message_id))?;
    messages.remove(pos);
    stamp(conversation, now);
    ok(json!({"status": "success", "message": format!("Message with ID {message_id} deleted successfully."),
              "conversationId": conversation_id, "messageId": message_id}))
}

/// `conversations.delete`.
pub(super) fn delete(ctx: &mut Ctx<'_>) -> Outcome {
    let (id, ws) = (ctx.param("conversationId"), ctx.ws());
    ctx.store.remove(Coll::Conversations, Some(&ws), &id).ok_or_else(|| ApiError::not_found("Conversation", &id))?;
    ok(json!({"status": "success", "message": format!("Conversation with ID {id} deleted successfully."),
              "conversationId": id}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let vars = json!({"name": "Ann", "n": 3}).as_object().unwrap().clone();
        assert_eq!(
            fill_placeholders("Hi {{ name }}, {{n}} items {{missing}} {{", &vars),
            "Hi Ann, 3 items {{missing}} {{"
        );
        assert_eq!(fill_placeholders("plain", &vars), "plain");
    }
}
