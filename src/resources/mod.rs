//! Typed namespaces: one per resource, reached from the client (`client.agents()`, ...).
//!
//! Every method builds a [`Request`] and sends it through [`Client::execute`] with its row of the
//! operation table: no namespace knows a path, a header or HTTP. What a method adds is types; the
//! checks made before anything is sent (empty ids, required body fields, E.164 phone numbers)
//! are the pipeline's, keyed by operation, so every surface gets them (`crate::local_checks`).
//!
//! ```no_run
//! use trillet::models::{CreateAgent, InitiateCall, TtsModel};
//! let client = trillet::Client::from_env()?;
//! let agent = client.agents().create(&CreateAgent::new("Support", TtsModel::new("rime", "mistv2_Wildflower")))?;
//! println!("created {:?}", agent.id);
//! let call = client.calls().initiate(&InitiateCall::new("+14155550100", "676b8e123456789012345678"))?;
//! println!("call {:?}", call.call_id);
//! # Ok::<(), trillet::Error>(())
//! ```

mod active_calls;
mod agents;
mod batch_calls;
mod call_flows;
mod call_history;
mod calls;
mod conversations;
mod folders;
mod knowledge_base;
mod message_flows;
mod omni_flow_agents;
mod phone_numbers;
mod recordings;
mod voices;
mod workspaces;

pub use active_calls::ActiveCalls;
pub use agents::Agents;
pub use batch_calls::BatchCalls;
pub use call_flows::CallFlows;
pub use call_history::CallHistories;
pub use calls::Calls;
pub use conversations::Conversations;
pub use folders::Folders;
pub use knowledge_base::KnowledgeBases;
pub use message_flows::MessageFlows;
pub use omni_flow_agents::OmniFlowAgents;
pub use phone_numbers::PhoneNumbers;
pub use recordings::Recordings;
pub use voices::Voices;
pub use workspaces::Workspaces;

use crate::client::{Client, Response};
use crate::error::{Error, Result};
use crate::operations::Op;
use crate::request::Request;
use serde::de::DeserializeOwned;

impl Client {
    /// Call agents: create, list, get, update, delete.
    pub fn agents(&self) -> Agents<'_> {
        Agents::new(self)
    }
    /// Omni-flow (messaging) agents: create, list, get, update.
    pub fn omni_flow_agents(&self) -> OmniFlowAgents<'_> {
        OmniFlowAgents::new(self)
    }
    /// Call flows, and their knowledge-base files.
    pub fn call_flows(&self) -> CallFlows<'_> {
        CallFlows::new(self)
    }
    /// Message (SMS / email) flows.
    pub fn message_flows(&self) -> MessageFlows<'_> {
        MessageFlows::new(self)
    }
    /// Flow folders.
    pub fn folders(&self) -> Folders<'_> {
        Folders::new(self)
    }
    /// Outbound and web calls.
    pub fn calls(&self) -> Calls<'_> {
        Calls::new(self)
    }
    /// Call history: paged list (and an iterator over every record), get, CSV export.
    pub fn call_history(&self) -> CallHistories<'_> {
        CallHistories::new(self)
    }
    /// Call recordings.
    pub fn recordings(&self) -> Recordings<'_> {
        Recordings::new(self)
    }
    /// Calls in progress: list, get, end, human takeover.
    pub fn active_calls(&self) -> ActiveCalls<'_> {
        ActiveCalls::new(self)
    }
    /// Batch calls from a CSV.
    pub fn batch_calls(&self) -> BatchCalls<'_> {
        BatchCalls::new(self)
    }
    /// SMS / email conversations.
    pub fn conversations(&self) -> Conversations<'_> {
        Conversations::new(self)
    }
    /// Phone numbers: list, search, purchase, configure, bind, release.
    pub fn phone_numbers(&self) -> PhoneNumbers<'_> {
        PhoneNumbers::new(self)
    }
    /// Knowledge bases.
    pub fn knowledge_base(&self) -> KnowledgeBases<'_> {
        KnowledgeBases::new(self)
    }
    /// Voices.
    pub fn voices(&self) -> Voices<'_> {
        Voices::new(self)
    }
    /// Workspaces and team invitations.
    pub fn workspaces(&self) -> Workspaces<'_> {
        Workspaces::new(self)
    }
}

/// Sends `req` to the operation `op` of the table.
pub(crate) fn send(client: &Client, op: Op, req: &Request) -> Result<Response> {
    client.execute(op.operation(), req)
}

/// Sends `req` to `op` and reads the answer as `T`.
pub(crate) fn send_json<T: DeserializeOwned>(client: &Client, op: Op, req: &Request) -> Result<T> {
    send(client, op, req)?.json()
}

/// Sends `req` to `op`; an empty answer reads as `T::default()`.
pub(crate) fn send_or_default<T: DeserializeOwned + Default>(client: &Client, op: Op, req: &Request) -> Result<T> {
    Ok(send_json::<Option<T>>(client, op, req)?.unwrap_or_default())
}

/// Refuses an empty (or blank) id before anything is sent: `invalid_input`.
pub(crate) fn require_id(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid("invalid_input", format!("{name} must not be empty")));
    }
    Ok(())
}

/// Adds a path parameter after checking it is not empty.
pub(crate) fn with_id(req: Request, param: &str, value: &str) -> Result<Request> {
    require_id(param, value)?;
    Ok(req.path_param(param, value))
}

/// A request with one path parameter.
pub(crate) fn id_request(param: &str, value: &str) -> Result<Request> {
    with_id(Request::new(), param, value)
}

/// Refuses a page number or page size of zero.
pub(crate) fn check_page(page: u32, limit: u32) -> Result<()> {
    if page == 0 {
        return Err(Error::invalid("invalid_input", "page starts at 1"));
    }
    if limit == 0 {
        return Err(Error::invalid("invalid_input", "limit must be at least 1"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_ids_are_refused() {
        assert_eq!(require_id("agentId", "").unwrap_err().code(), "invalid_input");
        assert_eq!(require_id("agentId", "  ").unwrap_err().code(), "invalid_input");
        assert!(require_id("agentId", "a").is_ok());
        assert_eq!(check_page(0, 1).unwrap_err().code(), "invalid_input");
        assert_eq!(check_page(1, 0).unwrap_err().code(), "invalid_input");
    }
}
