//! Workspaces: models of the `workspaces.*` operations (`client.workspaces()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A workspace.
#[trillet_macros::skip_none]
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
