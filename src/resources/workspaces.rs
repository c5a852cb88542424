use super::{id_request, send_json, send_or_default};
use crate::error::Result;
use crate::models::{Ack, List, PendingInvitations, Workspace};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Workspaces (`client.workspaces()`). Where a path names a workspace, `x-workspace-id` carries
/// the same id.
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// let ws = client.workspaces().create("Marketing", "MK")?;
/// let id = ws.id.unwrap_or_default();
/// client.workspaces().update(&id, "Marketing EU")?;
/// client.workspaces().invite(&id, "ada@example.com", "admin")?;
/// for w in client.workspaces().list()? {
///     println!("{:?} {:?}", w.id, w.name);
/// }
/// for invite in client.workspaces().pending_invitations()?.invitations {
///     println!("invited to {:?} as {:?}", invite.workspace.and_then(|w| w.name), invite.role);
/// }
/// client.workspaces().delete(&id)?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Workspaces<'a> {
    client: &'a Client,
}

impl<'a> Workspaces<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Workspaces { client }
    }

    /// Lists the workspaces the key can see (`workspaces.list`; API key only).
    pub fn list(&self) -> Result<List<Workspace>> {
        send_json(self.client, ops::WORKSPACES_LIST, &Request::new())
    }

    /// Gets a workspace (`workspaces.get`).
    pub fn get(&self, workspace_id: &str) -> Result<Workspace> {
        send_json(self.client, ops::WORKSPACES_GET, &id_request("workspaceId", workspace_id)?)
    }

    /// Creates a workspace (`workspaces.create`; API key only).
    pub fn create(&self, name: &str, initials: &str) -> Result<Workspace> {
        let body = json!({"name": name, "initials": initials});
        send_json(self.client, ops::WORKSPACES_CREATE, &Request::new().json(&body))
    }

    /// Renames a workspace (`workspaces.update`; owner only).
    pub fn update(&self, workspace_id: &str, name: &str) -> Result<Workspace> {
        let req = id_request("workspaceId", workspace_id)?.json(&json!({"name": name}));
        send_json(self.client, ops::WORKSPACES_UPDATE, &req)
    }

    /// Deletes a workspace (`workspaces.delete`; owner only, not the master or last workspace).
    pub fn delete(&self, workspace_id: &str) -> Result<Ack> {
        send_or_default(self.client, ops::WORKSPACES_DELETE, &id_request("workspaceId", workspace_id)?)
    }

    /// Invites a team member (`workspaces.invite`; owner only, expires after 7 days).
    pub fn invite(&self, workspace_id: &str, email: &str, role: &str) -> Result<Ack> {
        let req = id_request("workspaceId", workspace_id)?.json(&json!({"email": email, "role": role}));
        send_or_default(self.client, ops::WORKSPACES_INVITE, &req)
    }

    /// Lists the pending invitations addressed to the key's user (`workspaces.pending_invitations`;
    /// API key, plus `x-workspace-id` when the client has one, which the API does not require).
    pub fn pending_invitations(&self) -> Result<PendingInvitations> {
        send_json(self.client, ops::WORKSPACES_PENDING_INVITATIONS, &Request::new())
    }
}
