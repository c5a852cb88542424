//! Workspaces: models of the `workspaces.*` operations (`client.workspaces()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A workspace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
