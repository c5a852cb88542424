use super::{id_request, send_json, send_or_default, with_id};
use crate::error::Result;
use crate::models::{Ack, Conversation, GenerateMessage, GeneratedMessage, List, MessageAction, MessageActionResult};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde::Serialize;

/// SMS / email conversations (`client.conversations()`).
///
/// ```no_run
/// use trillet::models::{GenerateMessage, MessageAction};
/// let client = trillet::Client::from_env()?;
/// let sent = client.conversations().generate_message(&GenerateMessage::new("messageFlowId", "+14155550100"))?;
/// let (conv, msg) = (sent.conversation_id.unwrap_or_default(), sent.message_id.unwrap_or_default());
/// client.conversations().message_action(&conv, &msg, &MessageAction::edit("See you at 3 PM!"))?;
/// for c in client.conversations().list()? {
///     println!("{:?}: {} messages", c.id, c.messages.map_or(0, |m| m.len()));
/// }
/// client.conversations().delete(&conv)?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Conversations<'a> {
    client: &'a Client,
}

#[derive(Serialize)]
struct ActionBody<'a> {
    metadata: &'a MessageAction,
}

impl<'a> Conversations<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Conversations { client }
    }

    /// Lists conversations (`conversations.list`).
    pub fn list(&self) -> Result<List<Conversation>> {
        send_json(self.client, ops::CONVERSATIONS_LIST, &Request::new())
    }

    /// Gets a conversation with its messages (`conversations.get`).
    pub fn get(&self, conversation_id: &str) -> Result<Conversation> {
        send_json(self.client, ops::CONVERSATIONS_GET, &id_request("conversationId", conversation_id)?)
    }

    /// Sends a message flow's first message to `to`, creating or reusing the conversation
    /// (`conversations.generate_message`).
    pub fn generate_message(&self, message: &GenerateMessage) -> Result<GeneratedMessage> {
        send_json(self.client, ops::CONVERSATIONS_GENERATE_MESSAGE, &Request::new().json(message))
    }

    /// Approves, edits or rejects a pending message (`conversations.message_action`).
    pub fn message_action(
        &self,
        conversation_id: &str,
        message_id: &str,
        action: &MessageAction,
    ) -> Result<MessageActionResult> {
        let req = with_id(id_request("conversationId", conversation_id)?, "messageId", message_id)?
            .json(&ActionBody { metadata: action });
        send_json(self.client, ops::CONVERSATIONS_MESSAGE_ACTION, &req)
    }

    /// Deletes one message (`conversations.delete_message`).
    pub fn delete_message(&self, conversation_id: &str, message_id: &str) -> Result<Ack> {
        let req = with_id(id_request("conversationId", conversation_id)?, "messageId", message_id)?;
        send_or_default(self.client, ops::CONVERSATIONS_DELETE_MESSAGE, &req)
    }

    /// Deletes a conversation (`conversations.delete`).
    pub fn delete(&self, conversation_id: &str) -> Result<Ack> {
        send_or_default(self.client, ops::CONVERSATIONS_DELETE, &id_request("conversationId", conversation_id)?)
    }
}
