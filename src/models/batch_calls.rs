//! Batch calls: models of the `batch_calls.*` operations (`client.batch_calls()`).

use super::common::Extra;
use crate::multipart::FilePart;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
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
        pub scheduled_at: Option<String>,
        /// Smart-callback configuration (sent as JSON text).
        pub smart_callback_config: Option<Value>,
        /// Form fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
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

skip_none! {
    /// Answer of `batch_calls.start`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BatchStarted {
        /// Batch id.
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["id"])))]
        #[serde(alias = "id")]
        pub batch_id: Option<String>,
        /// Number of calls queued.
        pub total_calls: Option<u64>,
        /// `queued`, ...
        pub status: Option<String>,
        /// Message.
        pub message: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Answer of `batch_calls.get`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BatchStatus {
        /// Batch id (`id`; `batchId` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["batchId"])))]
        #[serde(alias = "batchId")]
        pub id: Option<String>,
        /// `queued`, `processing`, `completed`, `cancelled` or `failed`.
        pub status: Option<String>,
        /// Whether every call is done.
        pub is_complete: Option<bool>,
        /// Number of calls.
        pub total_calls: Option<u64>,
        /// Counters.
        pub progress: Option<BatchProgress>,
        /// Server time (Unix ms).
        pub timestamp: Option<f64>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// A batch's counters: `progress` of `batch_calls.get`, and the whole answer of
    /// `batch_calls.progress` (which adds `status` and `isComplete`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BatchProgress {
        /// Batch status (progress answer only).
        pub status: Option<String>,
        /// Whether every call is done (progress answer only).
        pub is_complete: Option<bool>,
        /// Calls waiting.
        pub waiting: Option<u64>,
        /// Calls in progress.
        pub active: Option<u64>,
        /// Calls completed.
        pub completed: Option<u64>,
        /// Calls failed.
        pub failed: Option<u64>,
        /// All calls.
        pub total: Option<u64>,
        /// Start (Unix ms).
        pub start_time: Option<f64>,
        /// Last completion (Unix ms).
        pub last_completed_time: Option<f64>,
        /// Completion of the batch (Unix ms).
        pub completed_time: Option<f64>,
        /// Average call duration (seconds).
        pub average_call_duration: Option<f64>,
        /// The latest calls.
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["recentCalls"])))]
        #[serde(rename = "recent_calls", alias = "recentCalls")]
        pub recent_calls: Option<Vec<BatchCall>>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// One call of a batch (`batch_calls.list_calls` items and `recent_calls`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BatchCall {
        /// Job id.
        pub job_id: Option<String>,
        /// Status.
        pub status: Option<String>,
        /// Number called (`phone_number`; `phoneNumber` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["phoneNumber"])))]
        #[serde(rename = "phone_number", alias = "phoneNumber")]
        pub phone_number: Option<String>,
        /// Start (Unix ms).
        pub start_time: Option<f64>,
        /// End (Unix ms).
        pub end_time: Option<f64>,
        /// Completion (Unix ms).
        pub completed_at: Option<f64>,
        /// Failure (Unix ms).
        pub failed_at: Option<f64>,
        /// Duration in seconds.
        pub duration: Option<f64>,
        /// Failure reason.
        pub error: Option<String>,
        /// The CSV row's other columns.
        pub metadata: Option<Map<String, Value>>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Answer of `batch_calls.cancel`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BatchCancelled {
        /// Batch id.
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["id"])))]
        #[serde(alias = "id")]
        pub batch_id: Option<String>,
        /// `cancelled`.
        pub status: Option<String>,
        /// Message.
        pub message: Option<String>,
        /// Counts at cancellation.
        pub details: Option<BatchCancelDetails>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Counts at cancellation.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BatchCancelDetails {
        /// Calls completed.
        pub completed_calls: Option<u64>,
        /// Calls failed.
        pub failed_calls: Option<u64>,
        /// Calls dropped.
        pub cancelled_calls: Option<u64>,
        /// All calls.
        pub total_calls: Option<u64>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
