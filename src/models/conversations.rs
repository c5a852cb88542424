//! SMS / email conversations: models of the `conversations.*` operations (`client.conversations()`).

use super::common::{Extra, IdOrObject};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// A conversation with a customer.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Conversation {
        /// Document id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// User.
        pub user_id: Option<String>,
        /// The message flow.
        pub pathway_id: Option<String>,
        /// The omni-flow agent: id or populated object.
        pub agent_id: Option<IdOrObject>,
        /// The customer.
        pub customer: Option<Customer>,
        /// The messages.
        pub messages: Option<Vec<ConversationMessage>>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// The customer of a conversation.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct Customer {
        /// Name.
        pub name: Option<String>,
        /// Email.
        pub email: Option<String>,
        /// Phone.
        pub phone: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// One message of a conversation.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct ConversationMessage {
        /// Message id.
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// `inbound` or `outbound`.
        pub direction: Option<String>,
        /// Whether it was sent.
        pub sent: Option<bool>,
        /// Text.
        pub message: Option<String>,
        /// `pending`, `approved`, `rejected`, ...
        pub status: Option<String>,
        /// Recipient.
        pub to: Option<String>,
        /// Send time.
        pub timestamp: Option<String>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `conversations.generate_message`: start (or continue) a conversation from a message
    /// flow. `to` is a phone number or an email address, depending on the flow's channel.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct GenerateMessage {
        /// Message flow id (required).
        pub flow_id: String,
        /// Recipient (required).
        pub to: String,
        /// Send without approval (required; starts at the API default `false`).
        #[cfg_attr(feature = "schema", schemars(extend("default" = false)))]
        pub autopilot: bool,
        /// Metadata.
        pub metadata: Option<Map<String, Value>>,
        /// Dynamic values.
        pub dynamic: Option<Map<String, Value>>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl GenerateMessage {
    /// A message from `flow_id` to `to`; `autopilot` starts at `false`.
    pub fn new(flow_id: impl Into<String>, to: impl Into<String>) -> Self {
        GenerateMessage {
            flow_id: flow_id.into(),
            to: to.into(),
            autopilot: false,
            metadata: None,
            dynamic: None,
            extra: Extra::new(),
        }
    }

    /// Sends without approval.
    pub fn autopilot(mut self, on: bool) -> Self {
        self.autopilot = on;
        self
    }
}

setters!(GenerateMessage {
    /// Metadata.
    metadata: Map<String, Value>,
    /// Dynamic values.
    dynamic: Map<String, Value>,
});

skip_none! {
    /// Answer of `conversations.generate_message`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct GeneratedMessage {
        /// `success`.
        pub status: Option<String>,
        /// Conversation id (`conversation_id`; `conversationId` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["conversationId"])))]
        #[serde(alias = "conversationId")]
        pub conversation_id: Option<String>,
        /// Message id (`message_id`; `messageId` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["messageId"])))]
        #[serde(alias = "messageId")]
        pub message_id: Option<String>,
        /// The text sent (the flow's initiation message).
        pub message: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// What to do with a pending message (`conversations.message_action`); sent as
    /// `{"metadata": {"action": ..., "editedMessage": ...}}`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct MessageAction {
        /// `approve`, `edit` or `reject`.
        pub action: String,
        /// The new text (with `edit`).
        pub edited_message: Option<String>,
    }
}

impl MessageAction {
    /// Approve the message as it is.
    pub fn approve() -> Self {
        MessageAction { action: "approve".into(), edited_message: None }
    }
    /// Reject the message.
    pub fn reject() -> Self {
        MessageAction { action: "reject".into(), edited_message: None }
    }
    /// Replace the text, then send.
    pub fn edit(text: impl Into<String>) -> Self {
        MessageAction { action: "edit".into(), edited_message: Some(text.into()) }
    }
}

skip_none! {
    /// Answer of `conversations.message_action`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct MessageActionResult {
        /// `success`.
        pub status: Option<String>,
        /// The message after the action.
        pub message: Option<ConversationMessage>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
