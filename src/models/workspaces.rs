//! Workspaces: models of the `workspaces.*` operations (`client.workspaces()`).

use super::common::{Extra, HasId};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A workspace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Workspace {
    /// Document id (24 hex digits; what `x-workspace-id` carries).
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Initials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// Plan (`build_plan`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_tier: Option<String>,
    /// The account's master workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_master_workspace: Option<bool>,
    /// A guest membership.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_external: Option<bool>,
    /// Members.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_members: Option<Vec<Value>>,
    /// Creation time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Workspace {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

/// Answer of `workspaces.pending_invitations`: `{"success": true, "invitations": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PendingInvitations {
    /// `true` on success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// The pending invitations addressed to the key's user.
    pub invitations: Vec<Invitation>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A pending invitation to a workspace. The API documents its contents only in prose (details,
/// inviting user, workspace), so every field is optional and unknown ones are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Invitation {
    /// Document id.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The invited email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Role offered (`admin`, `editor`, `viewer`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Invitation type (`internal`, ...).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The token that accepts the invitation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// `pending`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Expiry time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Who sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_by: Option<InvitationSender>,
    /// The workspace it opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace: Option<InvitationWorkspace>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Invitation {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

/// The user who sent an invitation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationSender {
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Picture URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The workspace an invitation opens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InvitationWorkspace {
    /// Workspace id.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Initials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    /// White-label settings (`{"enabled": false, ...}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub white_label: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}
