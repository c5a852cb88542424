//! Call flows: models of the `call_flows.*` operations (`client.call_flows()`).

use super::common::{Extra, IdOrObject};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// A call flow (the spec also calls it a pathway).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct CallFlow {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Folder, if any.
        pub folder_id: Option<String>,
        /// Shared across workspaces.
        pub is_global: Option<bool>,
        /// Pre-configured template.
        pub is_pre_configured: Option<bool>,
        /// Workspace of the template.
        pub pre_configured_workspace_id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// `outbound` or `bidirectional` (`inbound` in the older build).
        pub direction: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// The call agent: an id (docs) or a populated `{_id, name}` (what public code reads).
        pub agent: Option<IdOrObject>,
        /// `simple` (or `flow` in the older build).
        pub prompt_type: Option<String>,
        /// `user_initiated`, ...
        pub welcome_message: Option<String>,
        /// Custom greeting.
        pub custom_welcome_message: Option<String>,
        /// Flow graph (`{nodes, edges}`).
        pub flow_data: Option<Value>,
        /// Prompt.
        pub prompt: Option<String>,
        /// Whether the flow is active.
        pub is_active: Option<bool>,
        /// Settings.
        pub settings: Option<CallFlowSettings>,
        /// HTTP tools the agent may call during a call.
        pub webhooks: Option<Vec<Value>>,
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
    /// Settings of a call flow (request and response).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct CallFlowSettings {
        /// Greeting mode.
        pub welcome_message: Option<String>,
        /// Custom greeting.
        pub custom_welcome_message: Option<String>,
        /// Human-like voice and tone.
        pub enable_human_like_voice_and_tone: Option<bool>,
        /// Delay before the greeting.
        pub welcome_message_delay: Option<f64>,
        /// Webhook URLs (`{agent, inbound}`).
        pub webhooks: Option<Value>,
        /// Customer location.
        pub customer_location: Option<String>,
        /// Call transfers.
        pub transfers: Option<Vec<Value>>,
        /// Linked knowledge bases.
        pub knowledge_bases: Option<Vec<Value>>,
        /// Uploaded knowledge-base files.
        pub knowledge_base_files: Option<Vec<KnowledgeBaseFile>>,
        /// Use the context of earlier calls.
        pub utilize_prior_calls_context: Option<bool>,
        /// Response settings.
        pub response_settings: Option<Value>,
        /// Security settings.
        pub security: Option<Value>,
        /// Call limits. The sources spell the key `callSetting` and `callSettings`; both are read,
        /// `callSetting` is sent.
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["callSettings"])))]
        #[serde(alias = "callSettings")]
        pub call_setting: Option<CallSetting>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Call limits of a call flow (`settings.callSetting`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct CallSetting {
        /// Longest call, in seconds.
        pub max_call_duration: Option<f64>,
        /// Seconds of silence before hanging up.
        pub end_call_on_silence: Option<f64>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// A file uploaded to a call flow's knowledge base.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct KnowledgeBaseFile {
        /// File name.
        pub filename: Option<String>,
        /// Storage key (what `call_flows().delete_knowledge_base_file` takes).
        pub key: Option<String>,
        /// Download URL.
        pub url: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `call_flows.create`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreateCallFlow {
        /// Display name (required).
        pub name: String,
        /// `outbound` or `bidirectional` (required).
        pub direction: String,
        /// Prompt type (required; starts at the API default `simple`).
        #[cfg_attr(feature = "schema", schemars(extend("default" = "simple")))]
        pub prompt_type: String,
        /// Description.
        pub description: Option<String>,
        /// Call agent id.
        pub agent: Option<String>,
        /// Folder id.
        pub folder_id: Option<String>,
        /// Share across workspaces.
        pub is_global: Option<bool>,
        /// Pre-configured template (API default false).
        pub is_pre_configured: Option<bool>,
        /// Workspace of the template.
        pub pre_configured_workspace_id: Option<String>,
        /// Greeting mode (API default `user_initiated`).
        pub welcome_message: Option<String>,
        /// Custom greeting.
        pub custom_welcome_message: Option<String>,
        /// Flow graph.
        pub flow_data: Option<Value>,
        /// Prompt.
        pub prompt: Option<String>,
        /// Active (API default true).
        pub is_active: Option<bool>,
        /// Agent webhook URL.
        pub agent_webhook_url: Option<String>,
        /// Inbound webhook URL.
        pub inbound_webhook_url: Option<String>,
        /// Dynamic variable collections.
        pub dynamic_variable_collections: Option<Vec<Value>>,
        /// HTTP tools.
        pub webhooks: Option<Vec<Value>>,
        /// Settings.
        pub settings: Option<CallFlowSettings>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CreateCallFlow {
    /// A new call flow; `prompt_type` starts at `simple`.
    pub fn new(name: impl Into<String>, direction: impl Into<String>) -> Self {
        CreateCallFlow {
            name: name.into(),
            direction: direction.into(),
            prompt_type: "simple".into(),
            description: None,
            agent: None,
            folder_id: None,
            is_global: None,
            is_pre_configured: None,
            pre_configured_workspace_id: None,
            welcome_message: None,
            custom_welcome_message: None,
            flow_data: None,
            prompt: None,
            is_active: None,
            agent_webhook_url: None,
            inbound_webhook_url: None,
            dynamic_variable_collections: None,
            webhooks: None,
            settings: None,
            extra: Extra::new(),
        }
    }

    /// Sets the prompt type.
    pub fn prompt_type(mut self, prompt_type: impl Into<String>) -> Self {
        self.prompt_type = prompt_type.into();
        self
    }
}

setters!(CreateCallFlow {
    /// Description.
    description: String,
    /// Call agent id.
    agent: String,
    /// Folder id.
    folder_id: String,
    /// Share across workspaces.
    is_global: bool,
    /// Pre-configured template.
    is_pre_configured: bool,
    /// Workspace of the template.
    pre_configured_workspace_id: String,
    /// Greeting mode.
    welcome_message: String,
    /// Custom greeting.
    custom_welcome_message: String,
    /// Flow graph.
    flow_data: Value,
    /// Prompt.
    prompt: String,
    /// Active.
    is_active: bool,
    /// Agent webhook URL.
    agent_webhook_url: String,
    /// Inbound webhook URL.
    inbound_webhook_url: String,
    /// Dynamic variable collections.
    dynamic_variable_collections: Vec<Value>,
    /// HTTP tools.
    webhooks: Vec<Value>,
    /// Settings.
    settings: CallFlowSettings,
});

skip_none! {
    /// Body of `call_flows.update`. `promptType` is required by the API; it starts at `simple`.
    /// Webhooks sent here are appended to the flow's, not replaced.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UpdateCallFlow {
        /// Prompt type (required).
        pub prompt_type: String,
        /// Display name.
        pub name: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// Direction.
        pub direction: Option<String>,
        /// Active.
        pub is_active: Option<bool>,
        /// Share across workspaces.
        pub is_global: Option<bool>,
        /// Prompt.
        pub prompt: Option<String>,
        /// Greeting mode.
        pub welcome_message: Option<String>,
        /// Custom greeting.
        pub custom_welcome_message: Option<String>,
        /// Dynamic variable collections.
        pub dynamic_variable_collections: Option<Vec<Value>>,
        /// Settings.
        pub settings: Option<CallFlowSettings>,
        /// HTTP tools to add.
        pub webhooks: Option<Vec<Value>>,
        /// Toggle autopilot.
        pub toggle_autopilot: Option<bool>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl Default for UpdateCallFlow {
    fn default() -> Self {
        UpdateCallFlow {
            prompt_type: "simple".into(),
            name: None,
            description: None,
            direction: None,
            is_active: None,
            is_global: None,
            prompt: None,
            welcome_message: None,
            custom_welcome_message: None,
            dynamic_variable_collections: None,
            settings: None,
            webhooks: None,
            toggle_autopilot: None,
            extra: Extra::new(),
        }
    }
}

impl UpdateCallFlow {
    /// An update with `promptType: "simple"` and nothing else.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the prompt type.
    pub fn prompt_type(mut self, prompt_type: impl Into<String>) -> Self {
        self.prompt_type = prompt_type.into();
        self
    }
}

setters!(UpdateCallFlow {
    /// Display name.
    name: String,
    /// Description.
    description: String,
    /// Direction.
    direction: String,
    /// Active.
    is_active: bool,
    /// Share across workspaces.
    is_global: bool,
    /// Prompt.
    prompt: String,
    /// Greeting mode.
    welcome_message: String,
    /// Custom greeting.
    custom_welcome_message: String,
    /// Dynamic variable collections.
    dynamic_variable_collections: Vec<Value>,
    /// Settings.
    settings: CallFlowSettings,
    /// HTTP tools to add.
    webhooks: Vec<Value>,
    /// Toggle autopilot.
    toggle_autopilot: bool,
});

/// Settings helper: a `callSetting` with the two limits the docs say to always send.
impl CallSetting {
    /// `{maxCallDuration, endCallOnSilence}` in seconds.
    pub fn new(max_call_duration: f64, end_call_on_silence: f64) -> Self {
        CallSetting {
            max_call_duration: Some(max_call_duration),
            end_call_on_silence: Some(end_call_on_silence),
            extra: Map::new(),
        }
    }
}
