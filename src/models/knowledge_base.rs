//! Knowledge bases: models of the `knowledge_base.*` operations (`client.knowledge_base()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};

/// A knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct KnowledgeBase {
    /// Document id.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Owning workspace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    /// Uploaded files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<KnowledgeBaseDocument>>,
    /// Text content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_content: Option<String>,
    /// Small-business flag.
    #[serde(rename = "isSMB", skip_serializing_if = "Option::is_none")]
    pub is_smb: Option<bool>,
    /// Creation time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last update time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A file of a knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, rename_all = "camelCase")]
pub struct KnowledgeBaseDocument {
    /// File name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Size in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// MIME type.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Upload time (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uploaded_at: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `knowledge_base.create`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateKnowledgeBase {
    /// Display name (required).
    pub name: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Text content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_content: Option<String>,
    /// Small-business flag.
    #[serde(rename = "isSMB", skip_serializing_if = "Option::is_none")]
    pub is_smb: Option<bool>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
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

/// Answer of `knowledge_base.upload_file`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct FileUploaded {
    /// Whether it worked.
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::models::schema::bool_or_string_schema"))]
    #[serde(deserialize_with = "super::common::bool_or_string", skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// The stored file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<KnowledgeBaseDocument>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Extra,
}
