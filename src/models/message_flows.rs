//! Message flows: models of the `message_flows.*` operations (`client.message_flows()`).

use super::common::{Extra, IdOrObject};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// A message (SMS / email) flow.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct MessageFlow {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Direction.
        pub direction: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// The omni-flow agent: id or populated object.
        pub agent: Option<IdOrObject>,
        /// Settings (`responseSettings`, `security`, `emailSettings`, ...).
        pub settings: Option<Map<String, Value>>,
        /// Prompt.
        pub prompt: Option<String>,
        /// First message sent.
        pub initiation_message: Option<String>,
        /// Active.
        pub is_active: Option<bool>,
        /// Send replies without approval.
        pub autopilot: Option<bool>,
        /// `SMS` or `EMAIL`.
        pub message_channel: Option<String>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Document version (`__v`).
        #[serde(rename = "__v")]
        pub version: Option<i64>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `message_flows.create`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreateMessageFlow {
        /// Display name (required).
        pub name: String,
        /// Direction (required).
        pub direction: String,
        /// Omni-flow agent id (required).
        pub agent: String,
        /// First message sent (required).
        pub initiation_message: String,
        /// Prompt (required).
        pub prompt: String,
        /// `SMS` or `EMAIL` (required).
        pub message_channel: String,
        /// Description.
        pub description: Option<String>,
        /// Settings.
        pub settings: Option<Map<String, Value>>,
        /// Active (API default false).
        pub is_active: Option<bool>,
        /// Autopilot (API default false).
        pub autopilot: Option<bool>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CreateMessageFlow {
    /// A new message flow with its six required fields.
    pub fn new(
        name: impl Into<String>,
        direction: impl Into<String>,
        agent: impl Into<String>,
        initiation_message: impl Into<String>,
        prompt: impl Into<String>,
        message_channel: impl Into<String>,
    ) -> Self {
        CreateMessageFlow {
            name: name.into(),
            direction: direction.into(),
            agent: agent.into(),
            initiation_message: initiation_message.into(),
            prompt: prompt.into(),
            message_channel: message_channel.into(),
            description: None,
            settings: None,
            is_active: None,
            autopilot: None,
            extra: Extra::new(),
        }
    }
}

setters!(CreateMessageFlow {
    /// Description.
    description: String,
    /// Settings.
    settings: Map<String, Value>,
    /// Active.
    is_active: bool,
    /// Autopilot.
    autopilot: bool,
});

skip_none! {
    /// Body of `message_flows.update` (every field optional).
    #[derive(Debug, Clone, Default, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UpdateMessageFlow {
        /// Description.
        pub description: Option<String>,
        /// Toggle autopilot.
        pub toggle_autopilot: Option<bool>,
        /// Settings.
        pub settings: Option<Map<String, Value>>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl UpdateMessageFlow {
    /// An empty update.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(UpdateMessageFlow {
    /// Description.
    description: String,
    /// Toggle autopilot.
    toggle_autopilot: bool,
    /// Settings.
    settings: Map<String, Value>,
});
