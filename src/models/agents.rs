//! Call agents: models of the `agents.*` operations (`client.agents()`).

use super::common::{Extra, HasId, IdOrObject};
use super::phone_numbers::PhoneNumber;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The LLM the API uses when none is given.
pub const DEFAULT_LLM_MODEL: &str = "gpt-4o-mini";

/// A call agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Agent {
    /// Document id (`_id`; the older build's flat create response calls it `agentId`).
    #[serde(rename = "_id", alias = "agentId", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Owning workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    /// Creating user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Text-to-speech settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tts_model: Option<TtsModel>,
    /// LLM id (`gpt-4o-mini`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm_model: Option<String>,
    /// Agent type (`voice`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    /// Whether unanswered calls are re-dialled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smart_callback: Option<bool>,
    /// Maximum smart-callback attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts_for_smart_callback: Option<u32>,
    /// Gaps between smart-callback attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_between_each_attempt_for_smart_callback: Option<Vec<CallbackGap>>,
    /// Bound phone numbers: ids, or populated number documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_ids: Option<Vec<IdOrObject<PhoneNumber>>>,
    /// Live sessions of the agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_sessions: Option<Vec<ActiveSession>>,
    /// Voice settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<AgentSettings>,
    /// `pending`, `ready` or `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The flow node the agent is on during a call (`null` when idle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_node: Option<Value>,
    /// Agent variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    /// The linked call flow (undocumented; read by public code): id or populated flow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pathway: Option<IdOrObject>,
    /// Creation time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Document version (`__v`).
    #[serde(rename = "__v", skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Every other field (the older build's `ttsProvider`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Agent {
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
}

/// Text-to-speech configuration of an agent (request and response).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
#[non_exhaustive]
pub struct TtsModel {
    /// Vendor: `openai`, `rime`, `elevenlabs`, `11labs_byo`, `google`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Voice id (`mistv2_Wildflower`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    /// Language code (`en`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Voice display name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Own ElevenLabs key (only with `11labs_byo`; stored encrypted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eleven_labs_api_key: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
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

/// Voice settings of an agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AgentSettings {
    /// Speech speed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// Volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<f64>,
    /// LLM temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One gap between smart-callback attempts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CallbackGap {
    /// Days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A live session of an agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ActiveSession {
    /// Session id.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// LiveKit room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_name: Option<String>,
    /// Participant id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// Start time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Session status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `agents.create`.
///
/// ```
/// use trillet::models::{CreateAgent, TtsModel};
/// let req = CreateAgent::new("Support", TtsModel::new("rime", "mistv2_Wildflower")).smart_callback(true);
/// assert_eq!(req.llm_model, "gpt-4o-mini");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateAgent {
    /// Display name (required).
    pub name: String,
    /// Text-to-speech settings (required).
    pub tts_model: TtsModel,
    /// LLM id (required; starts at the API default `gpt-4o-mini`).
    pub llm_model: String,
    /// Re-dial unanswered calls (API default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smart_callback: Option<bool>,
    /// Maximum re-dial attempts (API default 5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts_for_smart_callback: Option<u32>,
    /// Gaps between re-dial attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_between_each_attempt_for_smart_callback: Option<Vec<CallbackGap>>,
    /// Phone numbers to bind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_ids: Option<Vec<String>>,
    /// Voice settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<AgentSettings>,
    /// Agent variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    /// Agent type (`voice`; required by the older build only).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
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

/// Body of `agents.update`. The API replaces the whole agent (PUT), so send every writable field
/// you want to keep: [`UpdateAgent::from_agent`] copies them (and only them: echoing read-only
/// fields such as `_id` or `status` makes the API fail).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateAgent {
    /// LLM id (required by the newest build).
    pub llm_model: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Text-to-speech settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tts_model: Option<TtsModel>,
    /// Re-dial unanswered calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smart_callback: Option<bool>,
    /// Maximum re-dial attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts_for_smart_callback: Option<u32>,
    /// Gaps between re-dial attempts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_between_each_attempt_for_smart_callback: Option<Vec<CallbackGap>>,
    /// Bound phone numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_ids: Option<Vec<String>>,
    /// Voice settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<AgentSettings>,
    /// Agent variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    /// Linked call-flow id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pathway: Option<String>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
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
