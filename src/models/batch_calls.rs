//! Batch calls: models of the `batch_calls.*` operations (`client.batch_calls()`).

use super::common::Extra;
use crate::multipart::FilePart;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Body of `batch_calls.start`: a CSV of numbers (at most 20 MB, checked before sending) and the
/// agent that calls them.
///
/// ```
/// use trillet::{models::StartBatch, FilePart};
/// let csv = FilePart::from_bytes("calls.csv", "text/csv", b"phone_number\n+14155550100\n".to_vec());
/// let batch = StartBatch::new("665a1b2c3d4e5f6a7b8c9d0e", csv).scheduled_at("2025-06-01T09:00:00Z");
/// assert_eq!(batch.file.filename, "calls.csv");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartBatch {
    /// The CSV (sent as the `file` part).
    #[serde(skip)]
    pub file: FilePart,
    /// Agent id (required).
    pub agent_id: String,
    /// When to start (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
    /// Smart-callback configuration (sent as JSON text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smart_callback_config: Option<Value>,
    /// Form fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl StartBatch {
    /// A batch for `agent_id` from a CSV file ([`FilePart::from_path`] or [`FilePart::from_bytes`]).
    pub fn new(agent_id: impl Into<String>, file: FilePart) -> Self {
        StartBatch {
            file,
            agent_id: agent_id.into(),
            scheduled_at: None,
            smart_callback_config: None,
            extra: Extra::new(),
        }
    }
}

setters!(StartBatch {
    /// When to start (ISO 8601).
    scheduled_at: String,
    /// Smart-callback configuration.
    smart_callback_config: Value,
});

/// Answer of `batch_calls.start`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct BatchStarted {
    /// Batch id.
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["id"])))]
    #[serde(alias = "id", skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<String>,
    /// Number of calls queued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_calls: Option<u64>,
    /// `queued`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Answer of `batch_calls.get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct BatchStatus {
    /// Batch id (`id`; `batchId` read too).
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["batchId"])))]
    #[serde(alias = "batchId", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `queued`, `processing`, `completed`, `cancelled` or `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether every call is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_complete: Option<bool>,
    /// Number of calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_calls: Option<u64>,
    /// Counters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<BatchProgress>,
    /// Server time (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<f64>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A batch's counters: `progress` of `batch_calls.get`, and the whole answer of
/// `batch_calls.progress` (which adds `status` and `isComplete`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct BatchProgress {
    /// Batch status (progress answer only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether every call is done (progress answer only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_complete: Option<bool>,
    /// Calls waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<u64>,
    /// Calls in progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<u64>,
    /// Calls completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<u64>,
    /// Calls failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<u64>,
    /// All calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// Start (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// Last completion (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_completed_time: Option<f64>,
    /// Completion of the batch (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_time: Option<f64>,
    /// Average call duration (seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_call_duration: Option<f64>,
    /// The latest calls.
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["recentCalls"])))]
    #[serde(rename = "recent_calls", alias = "recentCalls", skip_serializing_if = "Option::is_none")]
    pub recent_calls: Option<Vec<BatchCall>>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One call of a batch (`batch_calls.list_calls` items and `recent_calls`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct BatchCall {
    /// Job id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Number called (`phone_number`; `phoneNumber` read too).
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["phoneNumber"])))]
    #[serde(rename = "phone_number", alias = "phoneNumber", skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Start (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    /// End (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// Completion (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<f64>,
    /// Failure (Unix ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<f64>,
    /// Duration in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Failure reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The CSV row's other columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Answer of `batch_calls.cancel`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct BatchCancelled {
    /// Batch id.
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["id"])))]
    #[serde(alias = "id", skip_serializing_if = "Option::is_none")]
    pub batch_id: Option<String>,
    /// `cancelled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Counts at cancellation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<BatchCancelDetails>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Counts at cancellation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct BatchCancelDetails {
    /// Calls completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_calls: Option<u64>,
    /// Calls failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_calls: Option<u64>,
    /// Calls dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancelled_calls: Option<u64>,
    /// All calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_calls: Option<u64>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}
