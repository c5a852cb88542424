//! Workspaces: models of the `workspaces.*` operations (`client.workspaces()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

skip_none! {
    /// A workspace.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Workspace {
        /// Document id (24 hex digits; what `x-workspace-id` carries).
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Owner.
        pub user_id: Option<String>,
        /// Initials.
        pub initials: Option<String>,
        /// Plan (`build_plan`, ...).
        pub pricing_tier: Option<String>,
        /// The account's master workspace.
        pub is_master_workspace: Option<bool>,
        /// A guest membership.
        pub is_external: Option<bool>,
        /// Members.
        pub team_members: Option<Vec<Value>>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Answer of `workspaces.pending_invitations`: `{"success": true, "invitations": [...]}`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct PendingInvitations {
        /// `true` on success.
        pub success: Option<bool>,
        /// The pending invitations addressed to the key's user.
        pub invitations: Vec<Invitation>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// A pending invitation to a workspace. The API documents its contents only in prose (details,
    /// inviting user, workspace), so every field is optional and unknown ones are kept in `extra`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Invitation {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// The invited email.
        pub email: Option<String>,
        /// Role offered (`admin`, `editor`, `viewer`, ...).
        pub role: Option<String>,
        /// Invitation type (`internal`, ...).
        #[serde(rename = "type")]
        pub kind: Option<String>,
        /// The token that accepts the invitation.
        pub token: Option<String>,
        /// `pending`.
        pub status: Option<String>,
        /// Expiry time (ISO 8601).
        pub expires_at: Option<String>,
        /// Who sent it.
        pub invited_by: Option<InvitationSender>,
        /// The workspace it opens.
        pub workspace: Option<InvitationWorkspace>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// The user who sent an invitation.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct InvitationSender {
        /// Display name.
        pub name: Option<String>,
        /// Email.
        pub email: Option<String>,
        /// Picture URL.
        pub picture: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// The workspace an invitation opens.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct InvitationWorkspace {
        /// Workspace id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Initials.
        pub initials: Option<String>,
        /// White-label settings (`{"enabled": false, ...}`).
        pub white_label: Option<Value>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
