//! Voices: models of the `voices.*` operations (`client.voices()`).

use super::common::Extra;
use crate::multipart::FilePart;
use serde::{Deserialize, Serialize};
use serde_json::Value;

skip_none! {
    /// A voice.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Voice {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Voice id used in `ttsModel.voiceId`.
        pub voice_id: Option<String>,
        /// TTS vendor.
        pub provider: Option<String>,
        /// Gender.
        pub gender: Option<String>,
        /// Accent.
        pub accent: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// Language code.
        pub language: Option<String>,
        /// Owning workspace (custom voices).
        pub workspace_id: Option<String>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `voices.create`: a custom voice from an embedding (as `voices.clone` returns).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreateVoice {
        /// Display name (required).
        pub name: String,
        /// Voice embedding (required).
        pub embedding: Value,
        /// Description.
        pub description: Option<String>,
        /// Language code.
        pub language: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CreateVoice {
    /// A voice named `name` from `embedding`.
    pub fn new(name: impl Into<String>, embedding: impl Into<Value>) -> Self {
        CreateVoice {
            name: name.into(),
            embedding: embedding.into(),
            description: None,
            language: None,
            extra: Extra::new(),
        }
    }
}

setters!(CreateVoice {
    /// Description.
    description: String,
    /// Language code.
    language: String,
});

skip_none! {
    /// Body of `voices.clone`: an audio sample (multipart `file`) and optional text fields.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CloneVoice {
        /// The audio sample.
        #[serde(skip)]
        pub file: FilePart,
        /// Display name.
        pub name: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// Language code.
        pub language: Option<String>,
        /// Form fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CloneVoice {
    /// Clone the voice in `file` ([`FilePart::from_path`] or [`FilePart::from_bytes`]).
    pub fn new(file: FilePart) -> Self {
        CloneVoice { file, name: None, description: None, language: None, extra: Extra::new() }
    }
}

setters!(CloneVoice {
    /// Display name.
    name: String,
    /// Description.
    description: String,
    /// Language code.
    language: String,
});

skip_none! {
    /// Answer of `voices.clone`: the embedding and the stored voice.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct ClonedVoice {
        /// The embedding (what `voices.create` takes).
        pub embedding: Option<Value>,
        /// The stored voice.
        pub voice: Option<Voice>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
