//! Call recordings: models of the `recordings.*` operations (`client.recordings()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};

/// Answer of `recordings.start`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordingStarted {
    /// Message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The egress that records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<RecordingEgress>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The LiveKit egress recording a call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RecordingEgress {
    /// Egress id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_id: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}
