use super::{id_request, send_json, with_id};
use crate::error::Result;
use crate::models::{CreateFolder, Folder, List, UpdateFolder};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Flow folders (`client.folders()`).
///
/// ```no_run
/// use trillet::models::{CreateFolder, UpdateFolder};
/// let client = trillet::Client::from_env()?;
/// let folders = client.folders();
/// let folder = folders.create(&CreateFolder::new("Sales", "blue", "phone", "call"))?;
/// let id = folder.id.unwrap_or_default();
/// folders.add_flow(&id, "676b8e123456789012345678", "call")?;
/// folders.update(&id, &UpdateFolder::new("green", "folder").name("Sales EU"))?;
/// folders.remove_flow(&id, "676b8e123456789012345678")?;
/// folders.delete(&id)?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Folders<'a> {
    client: &'a Client,
}

impl<'a> Folders<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Folders { client }
    }

    /// Creates a folder (`folders.create`).
    pub fn create(&self, folder: &CreateFolder) -> Result<Folder> {
        send_json(self.client, ops::FOLDERS_CREATE, &Request::new().json(folder))
    }

    /// Lists folders (`folders.list`); their `pathways` are ids.
    pub fn list(&self) -> Result<List<Folder>> {
        send_json(self.client, ops::FOLDERS_LIST, &Request::new())
    }

    /// Gets a folder with its flows populated (`folders.get`).
    pub fn get(&self, folder_id: &str) -> Result<Folder> {
        send_json(self.client, ops::FOLDERS_GET, &id_request("folderId", folder_id)?)
    }

    /// Updates a folder (`folders.update`, a PATCH).
    pub fn update(&self, folder_id: &str, update: &UpdateFolder) -> Result<Folder> {
        send_json(self.client, ops::FOLDERS_UPDATE, &id_request("folderId", folder_id)?.json(update))
    }

    /// Deletes a folder; its flows lose their folder (`folders.delete`). Returns the deleted folder.
    pub fn delete(&self, folder_id: &str) -> Result<Folder> {
        send_json(self.client, ops::FOLDERS_DELETE, &id_request("folderId", folder_id)?)
    }

    /// Adds a flow to a folder (`folders.add_flow`); `pathway_type` is `call` or `message`.
    pub fn add_flow(&self, folder_id: &str, pathway_id: &str, pathway_type: &str) -> Result<Folder> {
        let body = json!({"pathwayId": pathway_id, "pathwayType": pathway_type});
        send_json(self.client, ops::FOLDERS_ADD_FLOW, &id_request("folderId", folder_id)?.json(&body))
    }

    /// Removes a flow from a folder (`folders.remove_flow`).
    pub fn remove_flow(&self, folder_id: &str, pathway_id: &str) -> Result<Folder> {
        let req = with_id(id_request("folderId", folder_id)?, "pathwayId", pathway_id)?;
        send_json(self.client, ops::FOLDERS_REMOVE_FLOW, &req)
    }
}
