//! Active (live) calls: models of the `active_calls.*` operations (`client.active_calls()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A call in progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct ActiveCall {
    /// Id (`id`; `_id` read too).
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["_id"])))]
    #[serde(alias = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// LiveKit room (what the other active-call operations take).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_name: Option<String>,
    /// Customer's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_phone: Option<String>,
    /// Customer's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// Agent name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_agent_name: Option<String>,
    /// Seconds so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Sentiment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<String>,
    /// Last message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
    /// Whether a transfer was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_requested: Option<bool>,
    /// `phone` or `web`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// Transcript so far (`{role, content}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<Vec<Value>>,
    /// Room participants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A participant of a live call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct Participant {
    /// Identity (what `active_calls().remove_agent` takes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// Whether it is the AI agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_agent: Option<bool>,
    /// Join time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Answer of `active_calls.end_call` and `active_calls.remove_agent`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct CallControlResult {
    /// Whether it worked.
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::models::schema::bool_or_string_schema"))]
    #[serde(deserialize_with = "super::common::bool_or_string", skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// Message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room_name: Option<String>,
    /// When the call ended (end call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Tracks muted (remove agent: the agent is muted, not disconnected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted_tracks: Option<Vec<String>>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}
