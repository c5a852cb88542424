use super::{id_request, send_json, send_or_default, with_id};
use crate::error::Result;
use crate::models::{Ack, CallFlow, CreateCallFlow, List, UpdateCallFlow};
use crate::multipart::FilePart;
use crate::operations::ops;
use crate::request::Request;
use crate::Client;

/// Call flows (`client.call_flows()`), and the files of their knowledge base.
///
/// ```no_run
/// use trillet::models::{CallFlowSettings, CallSetting, CreateCallFlow, UpdateCallFlow};
/// use trillet::FilePart;
/// let client = trillet::Client::from_env()?;
/// let flows = client.call_flows();
/// let flow = flows.create(&CreateCallFlow::new("Support", "bidirectional").agent("665a1b2c3d4e5f6a7b8c9d0e"))?;
/// let id = flow.id.unwrap_or_default();
/// let settings = CallFlowSettings { call_setting: Some(CallSetting::new(600.0, 10.0)), ..Default::default() };
/// flows.update(&id, &UpdateCallFlow::new().prompt("Be brief.").settings(settings))?;
/// let with_file = flows.upload_knowledge_base(&id, FilePart::from_path("docs/faq.pdf"))?;
/// let key = with_file.settings.and_then(|s| s.knowledge_base_files).and_then(|f| f[0].key.clone());
/// flows.delete_knowledge_base_file(&id, &key.unwrap_or_default())?;
/// flows.delete(&id)?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CallFlows<'a> {
    client: &'a Client,
}

impl<'a> CallFlows<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        CallFlows { client }
    }

    /// Creates a call flow (`call_flows.create`).
    pub fn create(&self, flow: &CreateCallFlow) -> Result<CallFlow> {
        send_json(self.client, ops::CALL_FLOWS_CREATE, &Request::new().json(flow))
    }

    /// Lists call flows (`call_flows.list`).
    pub fn list(&self) -> Result<List<CallFlow>> {
        send_json(self.client, ops::CALL_FLOWS_LIST, &Request::new())
    }

    /// Gets a call flow (`call_flows.get`).
    pub fn get(&self, id: &str) -> Result<CallFlow> {
        send_json(self.client, ops::CALL_FLOWS_GET, &id_request("id", id)?)
    }

    /// Updates a call flow (`call_flows.update`).
    pub fn update(&self, id: &str, update: &UpdateCallFlow) -> Result<CallFlow> {
        send_json(self.client, ops::CALL_FLOWS_UPDATE, &id_request("id", id)?.json(update))
    }

    /// Uploads a file to the flow's knowledge base (`call_flows.upload_knowledge_base`,
    /// multipart field `file`). Returns the flow with its `settings.knowledgeBaseFiles`.
    pub fn upload_knowledge_base(&self, id: &str, file: FilePart) -> Result<CallFlow> {
        send_json(self.client, ops::CALL_FLOWS_UPLOAD_KNOWLEDGE_BASE, &id_request("id", id)?.file(file))
    }

    /// Deletes a knowledge-base file by its storage `key` (`call_flows.delete_knowledge_base_file`).
    pub fn delete_knowledge_base_file(&self, id: &str, file_key: &str) -> Result<CallFlow> {
        let req = with_id(id_request("id", id)?, "fileKey", file_key)?;
        send_json(self.client, ops::CALL_FLOWS_DELETE_KNOWLEDGE_BASE_FILE, &req)
    }

    /// Deletes a call flow; the API also deletes its agent (`call_flows.delete`; undocumented,
    /// an empty answer reads as an empty [`Ack`]).
    pub fn delete(&self, id: &str) -> Result<Ack> {
        send_or_default(self.client, ops::CALL_FLOWS_DELETE, &id_request("id", id)?)
    }
}
