//! Call recordings: models of the `recordings.*` operations (`client.recordings()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};

skip_none! {
    /// Answer of `recordings.start`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct RecordingStarted {
        /// Message.
        pub message: Option<String>,
        /// The egress that records.
        pub result: Option<RecordingEgress>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// The LiveKit egress recording a call.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct RecordingEgress {
        /// Egress id.
        pub egress_id: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// A call recording, as `recordings.get` answers it: the audio bytes, or whatever JSON the API
    /// sent instead (some deployments answer with a link).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Recording {
        /// The audio's MIME type (`audio/mp3`, `video/mp4`, ...); empty when the API answered JSON.
        pub content_type: String,
        /// The file name from `Content-Disposition`, when given.
        pub filename: Option<String>,
        /// The audio.
        #[serde(skip)]
        pub data: Vec<u8>,
        /// The API's JSON answer, when it sent JSON rather than audio.
        pub json: Option<serde_json::Value>,
    }
}

impl Recording {
    /// Reads the pipeline's answer: `{"content_type","filename","size","data_base64"}` for bytes,
    /// anything else for a JSON answer.
    pub fn from_response(value: serde_json::Value) -> crate::Result<Recording> {
        let envelope = value.as_object().filter(|o| o.contains_key("data_base64") && o.contains_key("content_type"));
        let Some(o) = envelope else {
            return Ok(Recording { json: Some(value), ..Recording::default() });
        };
        let data = o["data_base64"].as_str().and_then(crate::util::base64_decode).ok_or_else(|| {
            crate::Error::Decode { message: "recording is not valid base64".into(), snippet: String::new() }
        })?;
        Ok(Recording {
            content_type: o["content_type"].as_str().unwrap_or_default().to_string(),
            filename: o.get("filename").and_then(|f| f.as_str()).map(str::to_string),
            data,
            json: None,
        })
    }
}
