use super::{check_page, id_request, send_json};
use crate::error::Result;
use crate::models::{CallHistory, CallHistoryFilter, ExportCsv, List};
use crate::operations::ops;
use crate::pagination::ListAll;
use crate::request::Request;
use crate::Client;

/// Call history (`client.call_history()`).
///
/// ```no_run
/// use trillet::models::{CallHistoryFilter, ExportCsv};
/// let client = trillet::Client::from_env()?;
/// let filter = CallHistoryFilter::new().status("completed");
/// let first_page = client.call_history().list(1, 50, &filter)?;
/// println!("{} on page 1", first_page.len());
/// for record in client.call_history().list_all(50, &filter) {
///     let record = record?; // an error ends the iteration
///     println!("{:?} {:?}", record.id, record.summary);
/// }
/// let csv: String = client.call_history().export_csv(&ExportCsv::new().include_transcripts(true))?;
/// println!("{} bytes of CSV", csv.len());
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CallHistories<'a> {
    client: &'a Client,
}

impl<'a> CallHistories<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        CallHistories { client }
    }

    /// One page of call history (`call_history.list`): `page` from 1, `limit` per page.
    pub fn list(&self, page: u32, limit: u32, filter: &CallHistoryFilter) -> Result<List<CallHistory>> {
        check_page(page, limit)?;
        let mut req = Request::new().query("page", page).query("limit", limit);
        for (name, value) in filter.query_pairs() {
            req = req.query(name, value);
        }
        send_json(self.client, ops::CALL_HISTORY_LIST, &req)
    }

    /// Every record, fetched lazily page by page (see [`ListAll`] for when it stops).
    pub fn list_all(&self, limit: u32, filter: &CallHistoryFilter) -> ListAll<'a, CallHistory> {
        let this = *self;
        let filter = filter.clone();
        ListAll::new(limit, move |page, limit| this.list(page, limit, &filter))
    }

    /// Gets one record (`call_history.get`).
    pub fn get(&self, call_history_id: &str) -> Result<CallHistory> {
        send_json(self.client, ops::CALL_HISTORY_GET, &id_request("callHistoryId", call_history_id)?)
    }

    /// Exports call history as CSV text (`call_history.export_csv`; can be slow).
    pub fn export_csv(&self, export: &ExportCsv) -> Result<String> {
        send_json(self.client, ops::CALL_HISTORY_EXPORT_CSV, &Request::new().json(export))
    }
}
