//! Omni-flow (messaging) agents: models of the `omni_flow_agents.*` operations (`client.omni_flow_agents()`).

use super::agents::{TtsModel, DEFAULT_LLM_MODEL};
use super::common::{Extra, IdOrObject};
use super::phone_numbers::PhoneNumber;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// An omni-flow (SMS / email) agent.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct OmniFlowAgent {
        /// Document id (the documented create example has none; expect one in practice).
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Creating user.
        pub user_id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// LLM id.
        pub llm_model: Option<String>,
        /// The number it sends from: null, an id, or a populated number document.
        pub phone_number_id: Option<IdOrObject<PhoneNumber>>,
        /// `pending`, `ready` or `error`.
        pub status: Option<String>,
        /// `SMS` or `EMAIL`.
        pub message_channel: Option<String>,
        /// Free-form settings.
        pub settings: Option<Map<String, Value>>,
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
    /// Body of `omni_flow_agents.create`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreateOmniFlowAgent {
        /// Display name (required).
        pub name: String,
        /// LLM id (required; starts at the API default `gpt-4o-mini`).
        #[cfg_attr(feature = "schema", schemars(extend("default" = "gpt-4o-mini")))]
        pub llm_model: String,
        /// Free-form settings.
        pub settings: Option<Map<String, Value>>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CreateOmniFlowAgent {
    /// A new messaging agent; `llm_model` starts at `gpt-4o-mini`.
    pub fn new(name: impl Into<String>) -> Self {
        CreateOmniFlowAgent {
            name: name.into(),
            llm_model: DEFAULT_LLM_MODEL.into(),
            settings: None,
            extra: Extra::new(),
        }
    }

    /// Sets the LLM id.
    pub fn llm_model(mut self, model: impl Into<String>) -> Self {
        self.llm_model = model.into();
        self
    }
}

setters!(CreateOmniFlowAgent {
    /// Free-form settings.
    settings: Map<String, Value>,
});

skip_none! {
    /// Body of `omni_flow_agents.update` (every field optional).
    #[derive(Debug, Clone, Default, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UpdateOmniFlowAgent {
        /// Display name.
        pub name: Option<String>,
        /// LLM id.
        pub llm_model: Option<String>,
        /// Text-to-speech settings.
        pub tts_model: Option<TtsModel>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl UpdateOmniFlowAgent {
    /// An empty update.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(UpdateOmniFlowAgent {
    /// Display name.
    name: String,
    /// LLM id.
    llm_model: String,
    /// Text-to-speech settings.
    tts_model: TtsModel,
});
