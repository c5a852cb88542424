use super::{id_request, require_id, send_json};
use crate::error::Result;
use crate::models::RecordingStarted;
use crate::request::Request;
use crate::Client;
use serde_json::{json, Value};

/// Call recordings (`client.recordings()`).
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// let started = client.recordings().start("676b8e123456789012345678", "call-abc123")?;
/// println!("egress {:?}", started.result.and_then(|r| r.egress_id));
/// let recording = client.recordings().get("1234567890abcdef")?;
/// println!("{recording}");
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Recordings<'a> {
    client: &'a Client,
}

impl<'a> Recordings<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Recordings { client }
    }

    /// Gets the recording of a call (`recordings.get`). The operation table reads the answer as
    /// JSON, so this returns whatever JSON the API sends; an audio stream (which the docs describe)
    /// fails with a `decode` error.
    pub fn get(&self, call_history_id: &str) -> Result<Value> {
        send_json(self.client, "recordings.get", &id_request("callHistoryId", call_history_id)?)
    }

    /// Starts recording a live call (`recordings.start`).
    pub fn start(&self, pathway_id: &str, room_name: &str) -> Result<RecordingStarted> {
        require_id("pathwayId", pathway_id)?;
        require_id("roomName", room_name)?;
        let body = json!({"pathwayId": pathway_id, "roomName": room_name});
        send_json(self.client, "recordings.start", &Request::new().json(&body))
    }
}
