use super::{id_request, send_json};
use crate::error::Result;
use crate::models::{CreateKnowledgeBase, FileUploaded, KnowledgeBase, List};
use crate::multipart::FilePart;
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Knowledge bases (`client.knowledge_base()`). Link one to calls through a call flow's
/// `settings.knowledgeBases`.
///
/// ```no_run
/// use trillet::{models::CreateKnowledgeBase, FilePart};
/// let client = trillet::Client::from_env()?;
/// let kb = client.knowledge_base().create(&CreateKnowledgeBase::new("Product docs").description("FAQs"))?;
/// let id = kb.id.unwrap_or_default();
/// client.knowledge_base().upload_file(&id, FilePart::from_bytes("faq.txt", "text/plain", b"Q: ...".to_vec()))?;
/// client.knowledge_base().update(&id, "Opening hours: 9-17")?;
/// println!("{:?}", client.knowledge_base().get(&id)?.files);
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct KnowledgeBases<'a> {
    client: &'a Client,
}

impl<'a> KnowledgeBases<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        KnowledgeBases { client }
    }

    /// Creates a knowledge base (`knowledge_base.create`).
    pub fn create(&self, kb: &CreateKnowledgeBase) -> Result<KnowledgeBase> {
        send_json(self.client, ops::KNOWLEDGE_BASE_CREATE, &Request::new().json(kb))
    }

    /// Lists knowledge bases (`knowledge_base.list`; a bare array or `{data: [...]}`).
    pub fn list(&self) -> Result<List<KnowledgeBase>> {
        send_json(self.client, ops::KNOWLEDGE_BASE_LIST, &Request::new())
    }

    /// Gets a knowledge base (`knowledge_base.get`).
    pub fn get(&self, id: &str) -> Result<KnowledgeBase> {
        send_json(self.client, ops::KNOWLEDGE_BASE_GET, &id_request("id", id)?)
    }

    /// Uploads a file (`knowledge_base.upload_file`, multipart field `uploadedFile`).
    pub fn upload_file(&self, id: &str, file: FilePart) -> Result<FileUploaded> {
        send_json(self.client, ops::KNOWLEDGE_BASE_UPLOAD_FILE, &id_request("id", id)?.file(file))
    }

    /// Replaces the text content (`knowledge_base.update`; undocumented answer: `None` when the
    /// body is empty).
    pub fn update(&self, id: &str, text_content: &str) -> Result<Option<KnowledgeBase>> {
        let req = id_request("id", id)?.json(&json!({"textContent": text_content}));
        send_json(self.client, ops::KNOWLEDGE_BASE_UPDATE, &req)
    }
}
