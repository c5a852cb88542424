//! Which model each operation sends and answers with: the link between the operation table
//! (which knows paths) and the models (which know fields), read by the OpenAPI generator.
//!
//! An operation without a row here still gets a document entry: an open JSON object as its body
//! (when its body kind takes one) and any JSON as its answer.

use crate::models::*;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// Produces a schema (usually a `$ref` to a component) with the document's generator.
pub(crate) type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// What an operation sends as its body.
#[derive(Clone, Copy)]
pub(crate) enum BodySchema {
    /// A request model.
    Model(SchemaFn),
    /// A body the typed namespace builds field by field: `(name, schema, required)`.
    Fields(&'static [(&'static str, SchemaFn, bool)]),
}

/// The request and response schemas of one operation.
#[derive(Clone, Copy)]
pub(crate) struct Contract {
    /// The body (multipart: the form's text fields; the file field is added by the generator).
    pub body: Option<BodySchema>,
    /// The successful JSON answer.
    pub response: Option<SchemaFn>,
}

fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

fn string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string"})
}

fn boolean(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "boolean"})
}

const fn model(body: SchemaFn, response: SchemaFn) -> Contract {
    Contract { body: Some(BodySchema::Model(body)), response: Some(response) }
}

const fn fields(body: &'static [(&'static str, SchemaFn, bool)], response: SchemaFn) -> Contract {
    Contract { body: Some(BodySchema::Fields(body)), response: Some(response) }
}

const fn answer(response: SchemaFn) -> Contract {
    Contract { body: None, response: Some(response) }
}

/// The contract of operation `id` (`None`: not linked to models yet; see the module docs).
///
/// An answer the typed namespace reads with "empty body = default" is `Option<...>` (`null` allowed).
pub(crate) fn contract(id: &str) -> Option<Contract> {
    Some(match id {
        "agents.create" => model(of::<CreateAgent>, of::<Agent>),
        "agents.list" => answer(of::<List<Agent>>),
        "agents.get" => answer(of::<Agent>),
        "agents.update" => model(of::<UpdateAgent>, of::<Agent>),
        "agents.delete" => answer(of::<Option<Ack>>),
        "omni_flow_agents.create" => model(of::<CreateOmniFlowAgent>, of::<OmniFlowAgent>),
        "omni_flow_agents.list" => answer(of::<List<OmniFlowAgent>>),
        "omni_flow_agents.get" => answer(of::<OmniFlowAgent>),
        "omni_flow_agents.update" => model(of::<UpdateOmniFlowAgent>, of::<OmniFlowAgent>),
        "call_flows.create" => model(of::<CreateCallFlow>, of::<CallFlow>),
        "call_flows.list" => answer(of::<List<CallFlow>>),
        "call_flows.get" | "call_flows.upload_knowledge_base" | "call_flows.delete_knowledge_base_file" => {
            answer(of::<CallFlow>)
        }
        "call_flows.update" => model(of::<UpdateCallFlow>, of::<CallFlow>),
        "call_flows.delete" => answer(of::<Option<Ack>>),
        "message_flows.create" => model(of::<CreateMessageFlow>, of::<MessageFlow>),
        "message_flows.list" => answer(of::<List<MessageFlow>>),
        "message_flows.get" => answer(of::<MessageFlow>),
        "message_flows.update" => model(of::<UpdateMessageFlow>, of::<MessageFlow>),
        "folders.create" => model(of::<CreateFolder>, of::<Folder>),
        "folders.list" => answer(of::<List<Folder>>),
        "folders.get" | "folders.delete" | "folders.remove_flow" => answer(of::<Folder>),
        "folders.update" => model(of::<UpdateFolder>, of::<Folder>),
        "folders.add_flow" => fields(&[("pathwayId", string, true), ("pathwayType", string, true)], of::<Folder>),
        "calls.initiate" => model(of::<InitiateCall>, of::<CallStarted>),
        "calls.web_connect" => model(of::<WebConnect>, of::<WebCallSession>),
        "calls.web_disconnect" => fields(&[("roomName", string, true)], of::<Option<Ack>>),
        "calls.start_web_call" => model(of::<StartWebCall>, of::<WebCallSession>),
        "calls.start_public_web_call" => model(of::<StartPublicWebCall>, of::<WebCallSession>),
        "calls.start_evaluation_web_call" => model(of::<EvaluationWebCall>, of::<EvaluationCall>),
        "call_history.list" => answer(of::<List<CallHistory>>),
        "call_history.get" => answer(of::<CallHistory>),
        "call_history.export_csv" => Contract { body: Some(BodySchema::Model(of::<ExportCsv>)), response: None },
        "recordings.get" => Contract { body: None, response: None },
        "recordings.start" => {
            fields(&[("pathwayId", string, true), ("roomName", string, true)], of::<RecordingStarted>)
        }
        "active_calls.list" => answer(of::<List<ActiveCall>>),
        "active_calls.get" => answer(of::<ActiveCall>),
        "active_calls.end_call" => answer(of::<CallControlResult>),
        "active_calls.remove_agent" => fields(&[("participantIdentity", string, true)], of::<CallControlResult>),
        "batch_calls.start" => model(of::<StartBatch>, of::<BatchStarted>),
        "batch_calls.get" => answer(of::<BatchStatus>),
        "batch_calls.progress" => answer(of::<BatchProgress>),
        "batch_calls.list_calls" => answer(of::<List<BatchCall>>),
        "batch_calls.cancel" => answer(of::<BatchCancelled>),
        "conversations.list" => answer(of::<List<Conversation>>),
        "conversations.get" => answer(of::<Conversation>),
        "conversations.generate_message" => model(of::<GenerateMessage>, of::<GeneratedMessage>),
        "conversations.message_action" => fields(&[("metadata", of::<MessageAction>, true)], of::<MessageActionResult>),
        "conversations.delete_message" | "conversations.delete" => answer(of::<Option<Ack>>),
        "phone_numbers.list" => answer(of::<List<PhoneNumber>>),
        "phone_numbers.search_available" => answer(of::<List<AvailableNumber>>),
        "phone_numbers.purchase" => model(of::<PurchaseNumber>, of::<Purchase>),
        "phone_numbers.get_config" => answer(of::<PhoneNumberConfig>),
        "phone_numbers.update_config" => model(of::<UpdatePhoneNumberConfig>, of::<Option<Ack>>),
        "phone_numbers.register_external" => model(of::<RegisterExternalNumber>, of::<Option<Ack>>),
        "phone_numbers.bind" => model(of::<BindNumber>, of::<BindResult>),
        // The spec lists an optional `confirmation` on one build; the typed namespace sends no body.
        "phone_numbers.unbind" => fields(&[("confirmation", boolean, false)], of::<Option<Ack>>),
        "phone_numbers.release" => fields(&[("phoneNumberId", string, true)], of::<Option<Ack>>),
        "phone_numbers.get" => answer(of::<Option<PhoneNumber>>),
        "knowledge_base.create" => model(of::<CreateKnowledgeBase>, of::<KnowledgeBase>),
        "knowledge_base.list" => answer(of::<List<KnowledgeBase>>),
        "knowledge_base.get" => answer(of::<KnowledgeBase>),
        "knowledge_base.upload_file" => answer(of::<FileUploaded>),
        "knowledge_base.update" => fields(&[("textContent", string, true)], of::<Option<KnowledgeBase>>),
        "voices.get" => answer(of::<Voice>),
        "voices.create" => model(of::<CreateVoice>, of::<Voice>),
        "voices.clone" => model(of::<CloneVoice>, of::<ClonedVoice>),
        "workspaces.list" => answer(of::<List<Workspace>>),
        "workspaces.get" => answer(of::<Workspace>),
        "workspaces.create" => fields(&[("name", string, true), ("initials", string, true)], of::<Workspace>),
        "workspaces.update" => fields(&[("name", string, true)], of::<Workspace>),
        "workspaces.delete" => answer(of::<Option<Ack>>),
        "workspaces.pending_invitations" => answer(of::<PendingInvitations>),
        "workspaces.invite" => fields(&[("email", string, true), ("role", string, true)], of::<Option<Ack>>),
        _ => return None,
    })
}
