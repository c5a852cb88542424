//! Flow folders: models of the `folders.*` operations (`client.folders()`).

use super::common::{Extra, IdOrObject};
use serde::{Deserialize, Serialize};

skip_none! {
    /// A folder of call or message flows.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Folder {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Colour (an enum name or a hex colour; the sources disagree).
        pub color: Option<String>,
        /// Icon.
        pub icon: Option<String>,
        /// `call` or `message`.
        pub flow_type: Option<String>,
        /// `Flow` or `MessageFlow`.
        pub pathway_model: Option<String>,
        /// The flows: ids (list, update) or populated flows (get).
        pub pathways: Option<Vec<IdOrObject>>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// Body of `folders.create` (all four fields required).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateFolder {
    /// Display name.
    pub name: String,
    /// `blue`, `green`, `teal`, `purple`, `orange` or `red`.
    pub color: String,
    /// `folder`, `file`, `phone`, `headphone`, `voice` or `message`.
    pub icon: String,
    /// `call` or `message`.
    pub flow_type: String,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CreateFolder {
    /// A new folder.
    pub fn new(
        name: impl Into<String>,
        color: impl Into<String>,
        icon: impl Into<String>,
        flow_type: impl Into<String>,
    ) -> Self {
        CreateFolder {
            name: name.into(),
            color: color.into(),
            icon: icon.into(),
            flow_type: flow_type.into(),
            extra: Extra::new(),
        }
    }
}

setters!(CreateFolder {});

skip_none! {
    /// Body of `folders.update` (`color` and `icon` are required by the docs).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UpdateFolder {
        /// Colour.
        pub color: String,
        /// Icon.
        pub icon: String,
        /// Display name.
        pub name: Option<String>,
        /// `call` or `message`.
        pub flow_type: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl UpdateFolder {
    /// An update with the required colour and icon.
    pub fn new(color: impl Into<String>, icon: impl Into<String>) -> Self {
        UpdateFolder { color: color.into(), icon: icon.into(), name: None, flow_type: None, extra: Extra::new() }
    }
}

setters!(UpdateFolder {
    /// Display name.
    name: String,
    /// `call` or `message`.
    flow_type: String,
});
