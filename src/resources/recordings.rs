use super::{id_request, send_json};
use crate::error::Result;
use crate::models::{Recording, RecordingStarted};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Call recordings (`client.recordings()`).
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// let started = client.recordings().start("676b8e123456789012345678", "call-abc123")?;
/// println!("egress {:?}", started.result.and_then(|r| r.egress_id));
/// let recording = client.recordings().get("1234567890abcdef")?;
/// std::fs::write(recording.filename.as_deref().unwrap_or("recording.mp3"), &recording.data)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Recordings<'a> {
    client: &'a Client,
}

impl<'a> Recordings<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Recordings { client }
    }

    /// Gets the recording of a call (`recordings.get`): the audio bytes with their content type
    /// and file name, or the API's JSON answer when it sends JSON instead of audio.
    pub fn get(&self, call_history_id: &str) -> Result<Recording> {
        Recording::from_response(send_json(
            self.client,
            ops::RECORDINGS_GET,
            &id_request("callHistoryId", call_history_id)?,
        )?)
    }

    /// Starts recording a live call (`recordings.start`).
    pub fn start(&self, pathway_id: &str, room_name: &str) -> Result<RecordingStarted> {
        let body = json!({"pathwayId": pathway_id, "roomName": room_name});
        send_json(self.client, ops::RECORDINGS_START, &Request::new().json(&body))
    }
}
