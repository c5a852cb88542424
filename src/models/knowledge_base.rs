//! Knowledge bases: models of the `knowledge_base.*` operations (`client.knowledge_base()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};

skip_none! {
    /// A knowledge base.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct KnowledgeBase {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Uploaded files.
        pub files: Option<Vec<KnowledgeBaseDocument>>,
        /// Text content.
        pub text_content: Option<String>,
        /// Small-business flag.
        #[serde(rename = "isSMB")]
        pub is_smb: Option<bool>,
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
    /// A file of a knowledge base.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct KnowledgeBaseDocument {
        /// File name.
        pub name: Option<String>,
        /// Size in bytes.
        pub size: Option<u64>,
        /// MIME type.
        #[serde(rename = "type")]
        pub content_type: Option<String>,
        /// Upload time (ISO 8601).
        pub uploaded_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `knowledge_base.create`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CreateKnowledgeBase {
        /// Display name (required).
        pub name: String,
        /// Description.
        pub description: Option<String>,
        /// Text content.
        pub text_content: Option<String>,
        /// Small-business flag.
        #[serde(rename = "isSMB")]
        pub is_smb: Option<bool>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl CreateKnowledgeBase {
    /// A new knowledge base.
    pub fn new(name: impl Into<String>) -> Self {
        CreateKnowledgeBase {
            name: name.into(),
            description: None,
            text_content: None,
            is_smb: None,
            extra: Extra::new(),
        }
    }
}

setters!(CreateKnowledgeBase {
    /// Description.
    description: String,
    /// Text content.
    text_content: String,
    /// Small-business flag.
    is_smb: bool,
});

skip_none! {
    /// Answer of `knowledge_base.upload_file`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct FileUploaded {
        /// Whether it worked.
        #[cfg_attr(feature = "schema", schemars(schema_with = "crate::models::schema::bool_or_string_schema"))]
        #[serde(deserialize_with = "super::common::bool_or_string")]
        pub success: Option<bool>,
        /// The stored file.
        pub file: Option<KnowledgeBaseDocument>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
