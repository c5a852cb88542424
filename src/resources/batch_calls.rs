use super::{check_page, id_request, require_id, send_json};
use crate::error::Result;
use crate::models::{BatchCall, BatchCancelled, BatchProgress, BatchStarted, BatchStatus, List, StartBatch};
use crate::operations::ops;
use crate::pagination::ListAll;
use crate::request::Request;
use crate::Client;

/// Batch calls from a CSV (`client.batch_calls()`).
///
/// ```no_run
/// use trillet::{models::StartBatch, FilePart};
/// let client = trillet::Client::from_env()?;
/// // Files over 20 MB are refused before anything is sent (`file_too_large`).
/// let batch = client.batch_calls().start(&StartBatch::new("665a1b2c3d4e5f6a7b8c9d0e", FilePart::from_path("calls.csv")))?;
/// let id = batch.batch_id.unwrap_or_default();
/// println!("{:?}", client.batch_calls().progress(&id)?.completed);
/// for call in client.batch_calls().list_all_calls(&id, 100, Some("failed")) {
///     println!("{:?}", call?.phone_number);
/// }
/// client.batch_calls().cancel(&id)?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct BatchCalls<'a> {
    client: &'a Client,
}

impl<'a> BatchCalls<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        BatchCalls { client }
    }

    /// Starts a batch (`batch_calls.start`, multipart: the CSV as `file`, then `agentId`, ...).
    /// A CSV over 20 MB is refused before sending with `file_too_large`.
    pub fn start(&self, batch: &StartBatch) -> Result<BatchStarted> {
        require_id("agentId", &batch.agent_id)?;
        send_json(self.client, ops::BATCH_CALLS_START, &Request::new().json(batch).file(batch.file.clone()))
    }

    /// Gets a batch's status with its counters (`batch_calls.get`).
    pub fn get(&self, batch_id: &str) -> Result<BatchStatus> {
        send_json(self.client, ops::BATCH_CALLS_GET, &id_request("batchId", batch_id)?)
    }

    /// Gets a batch's counters (`batch_calls.progress`).
    pub fn progress(&self, batch_id: &str) -> Result<BatchProgress> {
        send_json(self.client, ops::BATCH_CALLS_PROGRESS, &id_request("batchId", batch_id)?)
    }

    /// One page of a batch's calls (`batch_calls.list_calls`): `page` from 1, `limit` up to 100,
    /// optionally only those with `status`. The answer carries `pagination` and, in `extra`,
    /// `summary`.
    pub fn list_calls(&self, batch_id: &str, page: u32, limit: u32, status: Option<&str>) -> Result<List<BatchCall>> {
        check_page(page, limit)?;
        let mut req = id_request("batchId", batch_id)?.query("page", page).query("limit", limit);
        if let Some(status) = status {
            req = req.query("status", status);
        }
        send_json(self.client, ops::BATCH_CALLS_LIST_CALLS, &req)
    }

    /// Every call of a batch, fetched lazily page by page (see [`ListAll`] for when it stops).
    pub fn list_all_calls(&self, batch_id: &str, limit: u32, status: Option<&str>) -> ListAll<'a, BatchCall> {
        let this = *self;
        let (batch_id, status) = (batch_id.to_string(), status.map(str::to_string));
        ListAll::new(limit, move |page, limit| this.list_calls(&batch_id, page, limit, status.as_deref()))
    }

    /// Cancels a batch: queued calls are dropped, active ones finish (`batch_calls.cancel`).
    pub fn cancel(&self, batch_id: &str) -> Result<BatchCancelled> {
        send_json(self.client, ops::BATCH_CALLS_CANCEL, &id_request("batchId", batch_id)?)
    }
}
