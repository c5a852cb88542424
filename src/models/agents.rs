//! Call agents: models of the `agents.*` operations (`client.agents()`).

use super::common::{Extra, IdOrObject};
use super::phone_numbers::PhoneNumber;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The LLM the API uses when none is given.
pub const DEFAULT_LLM_MODEL: &str = "gpt-4o-mini";

skip_none! {
    /// A call agent.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Agent {
        /// Document id (`_id`; the older build's flat create response calls it `agentId`).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["agentId"])))]
        #[serde(rename = "_id", alias = "agentId")]
        pub id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Creating user.
        pub user_id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Text-to-speech settings.
        pub tts_model: Option<TtsModel>,
        /// LLM id (`gpt-4o-mini`, ...).
        pub llm_model: Option<String>,
        /// Agent type (`voice`).
        #[serde(rename = "type")]
        pub agent_type: Option<String>,
        /// Whether unanswered calls are re-dialled.
        pub smart_callback: Option<bool>,
        /// Maximum smart-callback attempts.
        pub max_attempts_for_smart_callback: Option<u32>,
        /// Gaps between smart-callback attempts.
        pub gap_between_each_attempt_for_smart_callback: Option<Vec<CallbackGap>>,
        /// Bound phone numbers: ids, or populated number documents.
        pub phone_number_ids: Option<Vec<IdOrObject<PhoneNumber>>>,
        /// Live sessions of the agent.
        pub active_sessions: Option<Vec<ActiveSession>>,
        /// Voice settings.
        pub settings: Option<AgentSettings>,
        /// `pending`, `ready` or `error`.
        pub status: Option<String>,
        /// The flow node the agent is on during a call (`null` when idle).
        pub current_node: Option<Value>,
        /// Agent variables.
        pub variables: Option<Map<String, Value>>,
        /// The linked call flow (undocumented; read by public code): id or populated flow.
        pub pathway: Option<IdOrObject>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Document version (`__v`).
        #[serde(rename = "__v")]
        pub version: Option<i64>,
        /// Every other field (the older build's `ttsProvider`, ...).
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Text-to-speech configuration of an agent (request and response).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TtsModel {
        /// Vendor: `openai`, `rime`, `elevenlabs`, `11labs_byo`, `google`.
        pub provider: Option<String>,
        /// Voice id (`mistv2_Wildflower`, ...).
        pub voice_id: Option<String>,
        /// Language code (`en`).
        pub language: Option<String>,
        /// Voice display name (responses).
        pub name: Option<String>,
        /// Own ElevenLabs key (only with `11labs_byo`; stored encrypted).
        pub eleven_labs_api_key: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl TtsModel {
    /// A TTS configuration; the language starts at the API's default, `en`.
    pub fn new(provider: impl Into<String>, voice_id: impl Into<String>) -> Self {
        TtsModel {
            provider: Some(provider.into()),
            voice_id: Some(voice_id.into()),
            language: Some("en".into()),
            ..Default::default()
        }
    }
}

setters!(TtsModel {
    /// Language code (`en`, `fr`).
    language: String,
    /// Own ElevenLabs key (with provider `11labs_byo`).
    eleven_labs_api_key: String,
});

skip_none! {
    /// Voice settings of an agent.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct AgentSettings {
        /// Speech speed.
        pub speed: Option<f64>,
        /// Volume.
        pub volume: Option<f64>,
        /// LLM temperature.
        pub temperature: Option<f64>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// One gap between smart-callback attempts.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct CallbackGap {
        /// Days.
        pub days: Option<u32>,
        /// Hours.
        pub hours: Option<u32>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// A live session of an agent.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct ActiveSession {
        /// Session id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// LiveKit room.
        pub room_name: Option<String>,
        /// Participant id.
        pub participant_id: Option<String>,
        /// Start time (ISO 8601).
        pub start_time: Option<String>,
        /// Session status.
        pub status: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `agents.create`.
    ///
    /// ```
    /// use trillet::models::{CreateAgent, TtsModel};
    /// let req = CreateAgent::new("Support", TtsModel::new("rime", "mistv2_Wildflower")).smart_callback(true);
    /// assert_eq!(req.llm_model, "gpt-4o-mini");
    /// ```
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreateAgent {
        /// Display name (required).
        pub name: String,
        /// Text-to-speech settings (required).
        pub tts_model: TtsModel,
        /// LLM id (required; starts at the API default `gpt-4o-mini`).
        #[cfg_attr(feature = "schema", schemars(extend("default" = "gpt-4o-mini")))]
        pub llm_model: String,
        /// Re-dial unanswered calls (API default false).
        pub smart_callback: Option<bool>,
        /// Maximum re-dial attempts (API default 5).
        pub max_attempts_for_smart_callback: Option<u32>,
        /// Gaps between re-dial attempts.
        pub gap_between_each_attempt_for_smart_callback: Option<Vec<CallbackGap>>,
        /// Phone numbers to bind.
        pub phone_number_ids: Option<Vec<String>>,
        /// Voice settings.
        pub settings: Option<AgentSettings>,
        /// Agent variables.
        pub variables: Option<Map<String, Value>>,
        /// Agent type (`voice`; required by the older build only).
        #[serde(rename = "type")]
        pub agent_type: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CreateAgent {
    /// A new agent with its required fields; `llm_model` starts at `gpt-4o-mini`.
    pub fn new(name: impl Into<String>, tts_model: TtsModel) -> Self {
        CreateAgent {
            name: name.into(),
            tts_model,
            llm_model: DEFAULT_LLM_MODEL.into(),
            smart_callback: None,
            max_attempts_for_smart_callback: None,
            gap_between_each_attempt_for_smart_callback: None,
            phone_number_ids: None,
            settings: None,
            variables: None,
            agent_type: None,
            extra: Extra::new(),
        }
    }

    /// Sets the LLM id.
    pub fn llm_model(mut self, model: impl Into<String>) -> Self {
        self.llm_model = model.into();
        self
    }
}

setters!(CreateAgent {
    /// Re-dial unanswered calls.
    smart_callback: bool,
    /// Maximum re-dial attempts.
    max_attempts_for_smart_callback: u32,
    /// Gaps between re-dial attempts.
    gap_between_each_attempt_for_smart_callback: Vec<CallbackGap>,
    /// Phone numbers to bind.
    phone_number_ids: Vec<String>,
    /// Voice settings.
    settings: AgentSettings,
    /// Agent variables.
    variables: Map<String, Value>,
    /// Agent type (`voice`).
    agent_type: String,
});

skip_none! {
    /// Body of `agents.update`. The API replaces the whole agent (PUT), so send every writable field
    /// you want to keep: [`UpdateAgent::from_agent`] copies them (and only them: echoing read-only
    /// fields such as `_id` or `status` makes the API fail).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UpdateAgent {
        /// LLM id (required by the newest build).
        #[cfg_attr(feature = "schema", schemars(extend("default" = "gpt-4o-mini")))]
        pub llm_model: String,
        /// Display name.
        pub name: Option<String>,
        /// Text-to-speech settings.
        pub tts_model: Option<TtsModel>,
        /// Re-dial unanswered calls.
        pub smart_callback: Option<bool>,
        /// Maximum re-dial attempts.
        pub max_attempts_for_smart_callback: Option<u32>,
        /// Gaps between re-dial attempts.
        pub gap_between_each_attempt_for_smart_callback: Option<Vec<CallbackGap>>,
        /// Bound phone numbers.
        pub phone_number_ids: Option<Vec<String>>,
        /// Voice settings.
        pub settings: Option<AgentSettings>,
        /// Agent variables.
        pub variables: Option<Map<String, Value>>,
        /// Linked call-flow id.
        pub pathway: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl UpdateAgent {
    /// An update that sets the LLM id.
    pub fn new(llm_model: impl Into<String>) -> Self {
        UpdateAgent {
            llm_model: llm_model.into(),
            name: None,
            tts_model: None,
            smart_callback: None,
            max_attempts_for_smart_callback: None,
            gap_between_each_attempt_for_smart_callback: None,
            phone_number_ids: None,
            settings: None,
            variables: None,
            pathway: None,
            extra: Extra::new(),
        }
    }

    /// The writable fields of a fetched agent, for a read-modify-write (`llm_model` falls back to
    /// `gpt-4o-mini` when the agent has none; populated references are sent as their ids).
    pub fn from_agent(agent: &Agent) -> Self {
        UpdateAgent {
            llm_model: agent.llm_model.clone().unwrap_or_else(|| DEFAULT_LLM_MODEL.into()),
            name: agent.name.clone(),
            tts_model: agent.tts_model.clone(),
            smart_callback: agent.smart_callback,
            max_attempts_for_smart_callback: agent.max_attempts_for_smart_callback,
            gap_between_each_attempt_for_smart_callback: agent.gap_between_each_attempt_for_smart_callback.clone(),
            phone_number_ids: agent
                .phone_number_ids
                .as_ref()
                .map(|ids| ids.iter().filter_map(|r| r.id().map(str::to_string)).collect()),
            settings: agent.settings.clone(),
            variables: agent.variables.clone(),
            pathway: agent.pathway.as_ref().and_then(|p| p.id().map(str::to_string)),
            extra: Extra::new(),
        }
    }

    /// Sets the LLM id.
    pub fn llm_model(mut self, model: impl Into<String>) -> Self {
        self.llm_model = model.into();
        self
    }
}

setters!(UpdateAgent {
    /// Display name.
    name: String,
    /// Text-to-speech settings.
    tts_model: TtsModel,
    /// Re-dial unanswered calls.
    smart_callback: bool,
    /// Maximum re-dial attempts.
    max_attempts_for_smart_callback: u32,
    /// Gaps between re-dial attempts.
    gap_between_each_attempt_for_smart_callback: Vec<CallbackGap>,
    /// Bound phone numbers.
    phone_number_ids: Vec<String>,
    /// Voice settings.
    settings: AgentSettings,
    /// Agent variables.
    variables: Map<String, Value>,
    /// Linked call-flow id.
    pathway: String,
});
