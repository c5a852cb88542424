use super::{id_request, send_json};
use crate::error::Result;
use crate::models::{ActiveCall, CallControlResult, List};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Calls in progress (`client.active_calls()`).
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// for call in client.active_calls().list()? {
///     let room = call.room_name.unwrap_or_default();
///     let detail = client.active_calls().get(&room)?;
///     if let Some(agent) = detail.participants.unwrap_or_default().iter().find(|p| p.is_agent == Some(true)) {
///         client.active_calls().remove_agent(&room, agent.identity.as_deref().unwrap_or_default())?;
///     }
///     client.active_calls().end_call(&room)?;
/// }
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ActiveCalls<'a> {
    client: &'a Client,
}

impl<'a> ActiveCalls<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        ActiveCalls { client }
    }

    /// Lists calls in progress (`active_calls.list`; the API wraps them in `{data, count}`).
    pub fn list(&self) -> Result<List<ActiveCall>> {
        send_json(self.client, ops::ACTIVE_CALLS_LIST, &Request::new())
    }

    /// Gets a call in progress with its transcript (`active_calls.get`).
    pub fn get(&self, room_name: &str) -> Result<ActiveCall> {
        send_json(self.client, ops::ACTIVE_CALLS_GET, &id_request("roomName", room_name)?)
    }

    /// Ends a call (`active_calls.end_call`).
    pub fn end_call(&self, room_name: &str) -> Result<CallControlResult> {
        send_json(self.client, ops::ACTIVE_CALLS_END_CALL, &id_request("roomName", room_name)?)
    }

    /// Removes (mutes) the AI agent so a human can take over (`active_calls.remove_agent`).
    pub fn remove_agent(&self, room_name: &str, participant_identity: &str) -> Result<CallControlResult> {
        let req = id_request("roomName", room_name)?.json(&json!({"participantIdentity": participant_identity}));
        send_json(self.client, ops::ACTIVE_CALLS_REMOVE_AGENT, &req)
    }
}
