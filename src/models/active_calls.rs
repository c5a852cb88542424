//! Active (live) calls: models of the `active_calls.*` operations (`client.active_calls()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

skip_none! {
    /// A call in progress.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct ActiveCall {
        /// Id (`id`; `_id` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["_id"])))]
        #[serde(alias = "_id")]
        pub id: Option<String>,
        /// LiveKit room (what the other active-call operations take).
        pub room_name: Option<String>,
        /// Customer's number.
        pub customer_phone: Option<String>,
        /// Customer's name.
        pub customer_name: Option<String>,
        /// Agent name.
        pub ai_agent_name: Option<String>,
        /// Seconds so far.
        pub duration: Option<f64>,
        /// Status.
        pub status: Option<String>,
        /// Sentiment.
        pub sentiment: Option<String>,
        /// Last message.
        pub last_message: Option<String>,
        /// Whether a transfer was asked for.
        pub transfer_requested: Option<bool>,
        /// `phone` or `web`.
        #[serde(rename = "type")]
        pub call_type: Option<String>,
        /// Transcript so far (`{role, content}`).
        pub transcript: Option<Vec<Value>>,
        /// Room participants.
        pub participants: Option<Vec<Participant>>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// A participant of a live call.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Participant {
        /// Identity (what `active_calls().remove_agent` takes).
        pub identity: Option<String>,
        /// Whether it is the AI agent.
        pub is_agent: Option<bool>,
        /// Join time (ISO 8601).
        pub joined_at: Option<String>,
        /// Metadata.
        pub metadata: Option<Value>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Answer of `active_calls.end_call` and `active_calls.remove_agent`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct CallControlResult {
        /// Whether it worked.
        #[cfg_attr(feature = "schema", schemars(schema_with = "crate::models::schema::bool_or_string_schema"))]
        #[serde(deserialize_with = "super::common::bool_or_string")]
        pub success: Option<bool>,
        /// Message.
        pub message: Option<String>,
        /// The room.
        pub room_name: Option<String>,
        /// When the call ended (end call).
        pub end_time: Option<String>,
        /// Tracks muted (remove agent: the agent is muted, not disconnected).
        pub muted_tracks: Option<Vec<String>>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
