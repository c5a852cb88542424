//! Which model each operation sends and answers with: the link between the operation table
//! (which knows paths) and the models (which know fields), read by the OpenAPI generator.
//!
//! An operation without a row here still gets a document entry: an open JSON object as its body
//! (when its body kind takes one) and any JSON as its answer.

use crate::models::*;
use crate::operations::{ops, Op};
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

/// The contract of operation `op` (`None`: not linked to models yet; see the module docs).
///
/// An answer the typed namespace reads with "empty body = default" is `Option<...>` (`null` allowed).
pub(crate) fn contract(op: Op) -> Option<Contract> {
    Some(match op {
        ops::AGENTS_CREATE => model(of::<CreateAgent>, of::<Agent>),
        ops::AGENTS_LIST => answer(of::<List<Agent>>),
        ops::AGENTS_GET => answer(of::<Agent>),
        ops::AGENTS_UPDATE => model(of::<UpdateAgent>, of::<Agent>),
        ops::AGENTS_DELETE => answer(of::<Option<Ack>>),
        ops::OMNI_FLOW_AGENTS_CREATE => model(of::<CreateOmniFlowAgent>, of::<OmniFlowAgent>),
        ops::OMNI_FLOW_AGENTS_LIST => answer(of::<List<OmniFlowAgent>>),
        ops::OMNI_FLOW_AGENTS_GET => answer(of::<OmniFlowAgent>),
        ops::OMNI_FLOW_AGENTS_UPDATE => model(of::<UpdateOmniFlowAgent>, of::<OmniFlowAgent>),
        ops::CALL_FLOWS_CREATE => model(of::<CreateCallFlow>, of::<CallFlow>),
        ops::CALL_FLOWS_LIST => answer(of::<List<CallFlow>>),
        ops::CALL_FLOWS_GET | ops::CALL_FLOWS_UPLOAD_KNOWLEDGE_BASE | ops::CALL_FLOWS_DELETE_KNOWLEDGE_BASE_FILE => {
            answer(of::<CallFlow>)
        }
        ops::CALL_FLOWS_UPDATE => model(of::<UpdateCallFlow>, of::<CallFlow>),
        ops::CALL_FLOWS_DELETE => answer(of::<Option<Ack>>),
        ops::MESSAGE_FLOWS_CREATE => model(of::<CreateMessageFlow>, of::<MessageFlow>),
        ops::MESSAGE_FLOWS_LIST => answer(of::<List<MessageFlow>>),
        ops::MESSAGE_FLOWS_GET => answer(of::<MessageFlow>),
        ops::MESSAGE_FLOWS_UPDATE => model(of::<UpdateMessageFlow>, of::<MessageFlow>),
        ops::FOLDERS_CREATE => model(of::<CreateFolder>, of::<Folder>),
        ops::FOLDERS_LIST => answer(of::<List<Folder>>),
        ops::FOLDERS_GET | ops::FOLDERS_DELETE | ops::FOLDERS_REMOVE_FLOW => answer(of::<Folder>),
        ops::FOLDERS_UPDATE => model(of::<UpdateFolder>, of::<Folder>),
        ops::FOLDERS_ADD_FLOW => fields(&[("pathwayId", string, true), ("pathwayType", string, true)], of::<Folder>),
        ops::CALLS_INITIATE => model(of::<InitiateCall>, of::<CallStarted>),
        ops::CALLS_WEB_CONNECT => model(of::<WebConnect>, of::<WebCallSession>),
        ops::CALLS_WEB_DISCONNECT => fields(&[("roomName", string, true)], of::<Option<Ack>>),
        ops::CALLS_START_WEB_CALL => model(of::<StartWebCall>, of::<WebCallSession>),
        ops::CALLS_START_PUBLIC_WEB_CALL => model(of::<StartPublicWebCall>, of::<WebCallSession>),
        ops::CALLS_START_EVALUATION_WEB_CALL => model(of::<EvaluationWebCall>, of::<EvaluationCall>),
        ops::CALL_HISTORY_LIST => answer(of::<List<CallHistory>>),
        ops::CALL_HISTORY_GET => answer(of::<CallHistory>),
        ops::CALL_HISTORY_EXPORT_CSV => Contract { body: Some(BodySchema::Model(of::<ExportCsv>)), response: None },
        ops::RECORDINGS_GET => Contract { body: None, response: None },
        ops::RECORDINGS_START => {
            fields(&[("pathwayId", string, true), ("roomName", string, true)], of::<RecordingStarted>)
        }
        ops::ACTIVE_CALLS_LIST => answer(of::<List<ActiveCall>>),
        ops::ACTIVE_CALLS_GET => answer(of::<ActiveCall>),
        ops::ACTIVE_CALLS_END_CALL => answer(of::<CallControlResult>),
        ops::ACTIVE_CALLS_REMOVE_AGENT => fields(&[("participantIdentity", string, true)], of::<CallControlResult>),
        ops::BATCH_CALLS_START => model(of::<StartBatch>, of::<BatchStarted>),
        ops::BATCH_CALLS_GET => answer(of::<BatchStatus>),
        ops::BATCH_CALLS_PROGRESS => answer(of::<BatchProgress>),
        ops::BATCH_CALLS_LIST_CALLS => answer(of::<List<BatchCall>>),
        ops::BATCH_CALLS_CANCEL => answer(of::<BatchCancelled>),
        ops::CONVERSATIONS_LIST => answer(of::<List<Conversation>>),
        ops::CONVERSATIONS_GET => answer(of::<Conversation>),
        ops::CONVERSATIONS_GENERATE_MESSAGE => model(of::<GenerateMessage>, of::<GeneratedMessage>),
        ops::CONVERSATIONS_MESSAGE_ACTION => {
            fields(&[("metadata", of::<MessageAction>, true)], of::<MessageActionResult>)
        }
        ops::CONVERSATIONS_DELETE_MESSAGE | ops::CONVERSATIONS_DELETE => answer(of::<Option<Ack>>),
        ops::PHONE_NUMBERS_LIST => answer(of::<List<PhoneNumber>>),
        ops::PHONE_NUMBERS_SEARCH_AVAILABLE => answer(of::<List<AvailableNumber>>),
        ops::PHONE_NUMBERS_PURCHASE => model(of::<PurchaseNumber>, of::<Purchase>),
        ops::PHONE_NUMBERS_GET_CONFIG => answer(of::<PhoneNumberConfig>),
        ops::PHONE_NUMBERS_UPDATE_CONFIG => model(of::<UpdatePhoneNumberConfig>, of::<Option<Ack>>),
        ops::PHONE_NUMBERS_REGISTER_EXTERNAL => model(of::<RegisterExternalNumber>, of::<Option<Ack>>),
        ops::PHONE_NUMBERS_BIND => model(of::<BindNumber>, of::<BindResult>),
        // The spec lists an optional `confirmation` on one build; the typed namespace sends no body.
        ops::PHONE_NUMBERS_UNBIND => fields(&[("confirmation", boolean, false)], of::<Option<Ack>>),
        ops::PHONE_NUMBERS_RELEASE => fields(&[("phoneNumberId", string, true)], of::<Option<Ack>>),
        ops::PHONE_NUMBERS_GET => answer(of::<Option<PhoneNumber>>),
        ops::KNOWLEDGE_BASE_CREATE => model(of::<CreateKnowledgeBase>, of::<KnowledgeBase>),
        ops::KNOWLEDGE_BASE_LIST => answer(of::<List<KnowledgeBase>>),
        ops::KNOWLEDGE_BASE_GET => answer(of::<KnowledgeBase>),
        ops::KNOWLEDGE_BASE_UPLOAD_FILE => answer(of::<FileUploaded>),
        ops::KNOWLEDGE_BASE_UPDATE => fields(&[("textContent", string, false)], of::<Option<KnowledgeBase>>),
        ops::VOICES_GET => answer(of::<Voice>),
        ops::VOICES_CREATE => model(of::<CreateVoice>, of::<Voice>),
        ops::VOICES_CLONE => model(of::<CloneVoice>, of::<ClonedVoice>),
        ops::WORKSPACES_LIST => answer(of::<List<Workspace>>),
        ops::WORKSPACES_GET => answer(of::<Workspace>),
        ops::WORKSPACES_CREATE => fields(&[("name", string, true), ("initials", string, true)], of::<Workspace>),
        ops::WORKSPACES_UPDATE => fields(&[("name", string, true)], of::<Workspace>),
        ops::WORKSPACES_DELETE => answer(of::<Option<Ack>>),
        ops::WORKSPACES_PENDING_INVITATIONS => answer(of::<PendingInvitations>),
        ops::WORKSPACES_INVITE => fields(&[("email", string, true), ("role", string, true)], of::<Option<Ack>>),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_contract() {
        for op in Op::all() {
            assert!(contract(op).is_some(), "{} has no contract", op.id);
        }
    }
}
