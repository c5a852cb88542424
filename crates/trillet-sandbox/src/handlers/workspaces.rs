//! Workspaces: listing and creating need only the key; the others name the workspace in the
//! path and in `x-workspace-id` (checked by the pipeline).

use super::valid;
use super::{check_enum, fetch, merge, required_str, text_of, Ctx};
use crate::reply::{ok, ApiError, Outcome};
use crate::store::{stamp, Coll, USER_EMAIL, USER_ID, USER_NAME};
use serde_json::{json, Value};
use std::time::Duration;

/// Days an invitation stays valid.
const INVITE_DAYS: u64 = 7;

/// `workspaces.list` (key only): every workspace, the master one first.
pub(super) fn list(ctx: &mut Ctx<'_>) -> Outcome {
    ok(Value::Array(ctx.store.list(Coll::Workspaces, None).into_iter().cloned().collect()))
}

/// `workspaces.get`.
pub(super) fn get(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::Workspaces, "Workspace", &ctx.param("workspaceId"))?)
}

/// `workspaces.create` (key only): `name` required; `initials` default to the name's.
pub(super) fn create(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    let initials = match body.get("initials") {
        None | Some(Value::Null) => {
            name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect::<String>().to_uppercase()
        }
        Some(_) => required_str(&body, "initials")?,
    };
    let (id, now) = (ctx.store.new_id(), ctx.store.now());
    let mut doc = json!({"_id": id, "name": name, "userId": USER_ID, "initials": initials,
                         "pricingTier": "build_plan", "isMasterWorkspace": false, "isExternal": false,
                         "teamMembers": [], "invites": [], "createdAt": now, "updatedAt": now});
    merge(&mut doc, &body, &["isMasterWorkspace", "teamMembers", "invites", "pricingTier", "initials", "name"]);
    valid::insert(ctx, Coll::Workspaces, doc.clone())?;
    ok(doc)
}

/// `workspaces.update`: `name` required.
pub(super) fn update(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    let id = ctx.param("workspaceId");
    let now = ctx.store.now();
    let ws = ctx.store.get_mut(Coll::Workspaces, None, &id).ok_or_else(|| ApiError::not_found("Workspace", &id))?;
    ws["name"] = json!(name);
    stamp(ws, now);
    ok(ws.clone())
}

/// `workspaces.delete`: never the master workspace; removes everything the workspace owned.
pub(super) fn delete(ctx: &mut Ctx<'_>) -> Outcome {
    let id = ctx.param("workspaceId");
    let ws = fetch(ctx, Coll::Workspaces, "Workspace", &id)?;
    if ws["isMasterWorkspace"] == true {
        return Err(ApiError::new(403, "forbidden", "The master workspace cannot be deleted"));
    }
    ctx.store.remove(Coll::Workspaces, None, &id);
    for coll in [
        Coll::Agents,
        Coll::OmniAgents,
        Coll::CallFlows,
        Coll::MessageFlows,
        Coll::Folders,
        Coll::Calls,
        Coll::Batches,
        Coll::Conversations,
        Coll::PhoneNumbers,
        Coll::KnowledgeBases,
        Coll::Voices,
    ] {
        ctx.store.remove_where(coll, |d| d["workspaceId"] == id.as_str());
    }
    ok(json!({"success": true}))
}

/// `workspaces.invite`: `email` and `role` (admin, editor, viewer) required; a second pending
/// invitation for the same email is refused (409 `invite_exists`).
pub(super) fn invite(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let email = required_str(&body, "email")?;
    if !email.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.')) {
        return Err(ApiError::validation(format!("{email:?} is not an email address")));
    }
    required_str(&body, "role")?;
    check_enum(&body, "role", &["admin", "editor", "viewer"])?;
    let role = text_of(&body["role"]);
    let id = ctx.param("workspaceId");
    let now_ms = ctx.store.now_millis();
    let now = ctx.store.now();
    let expires = crate::clock::iso_millis(now_ms + Duration::from_secs(INVITE_DAYS * 86_400).as_millis() as u64);
    let (invite_id, token) = (ctx.store.new_id(), format!("inv_{}", ctx.store.hex(12)));
    let ws = ctx.store.get_mut(Coll::Workspaces, None, &id).ok_or_else(|| ApiError::not_found("Workspace", &id))?;
    if !ws["invites"].is_array() {
        ws["invites"] = json!([]);
    }
    let invites = ws["invites"].as_array_mut().expect("just made an array");
    if invites
        .iter()
        .any(|i| i["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(&email)) && i["status"] == "pending")
    {
        return Err(ApiError::conflict("invite_exists", format!("{email} already has a pending invitation")));
    }
    invites.push(json!({"_id": invite_id, "email": email, "role": role, "type": "internal", "token": token,
                        "status": "pending", "invitedBy": USER_ID, "invitedAt": now, "expiresAt": expires}));
    stamp(ws, now);
    ok(json!({"success": true, "message": "Invitation sent"}))
}

/// `workspaces.pending_invitations` (key; `x-workspace-id` optional and not used): the pending,
/// unexpired invitations of every workspace addressed to the sandbox's user ([`USER_EMAIL`]),
/// each with who invited and the workspace, as `{"success": true, "invitations": [...]}`.
pub(super) fn pending_invitations(ctx: &mut Ctx<'_>) -> Outcome {
    let now = crate::clock::iso_millis(ctx.store.now_millis());
    let mut invitations = Vec::new();
    for ws in ctx.store.list(Coll::Workspaces, None) {
        for invite in ws["invites"].as_array().into_iter().flatten() {
            let mine = invite["email"].as_str().is_some_and(|e| e.eq_ignore_ascii_case(USER_EMAIL));
            let live = invite["expiresAt"].as_str().is_none_or(|at| at > now.as_str());
            if !(mine && live && invite["status"] == "pending") {
                continue;
            }
            let mut item = invite.clone();
            item["invitedBy"] = json!({"_id": USER_ID, "name": USER_NAME, "email": USER_EMAIL, "picture": null});
            item["workspace"] = json!({"_id": ws["_id"], "name": ws["name"], "initials": ws["initials"],
                                       "whiteLabel": {"enabled": false}});
            invitations.push(item);
        }
    }
    ok(json!({"success": true, "invitations": invitations}))
}
