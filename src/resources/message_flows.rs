use super::{id_request, send_json};
use crate::error::Result;
use crate::models::{CreateMessageFlow, List, MessageFlow, UpdateMessageFlow};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;

/// Message (SMS / email) flows (`client.message_flows()`). The API has no delete.
///
/// ```no_run
/// use trillet::models::{CreateMessageFlow, UpdateMessageFlow};
/// let client = trillet::Client::from_env()?;
/// let flow = client.message_flows().create(&CreateMessageFlow::new(
///     "Follow-up", "bidirectional", "674e7579e1456b11a194f08b", "Hi! How did it go?", "Be kind.", "SMS",
/// ))?;
/// let id = flow.id.unwrap_or_default();
/// client.message_flows().update(&id, &UpdateMessageFlow::new().toggle_autopilot(true))?;
/// println!("{:?}", client.message_flows().get(&id)?.autopilot);
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MessageFlows<'a> {
    client: &'a Client,
}

impl<'a> MessageFlows<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        MessageFlows { client }
    }

    /// Creates a message flow (`message_flows.create`).
    pub fn create(&self, flow: &CreateMessageFlow) -> Result<MessageFlow> {
        send_json(self.client, ops::MESSAGE_FLOWS_CREATE, &Request::new().json(flow))
    }

    /// Lists message flows (`message_flows.list`).
    pub fn list(&self) -> Result<List<MessageFlow>> {
        send_json(self.client, ops::MESSAGE_FLOWS_LIST, &Request::new())
    }

    /// Gets a message flow (`message_flows.get`).
    pub fn get(&self, id: &str) -> Result<MessageFlow> {
        send_json(self.client, ops::MESSAGE_FLOWS_GET, &id_request("id", id)?)
    }

    /// Updates a message flow (`message_flows.update`).
    pub fn update(&self, id: &str, update: &UpdateMessageFlow) -> Result<MessageFlow> {
        send_json(self.client, ops::MESSAGE_FLOWS_UPDATE, &id_request("id", id)?.json(update))
    }
}
