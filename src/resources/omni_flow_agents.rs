use super::{id_request, send_json};
use crate::error::Result;
use crate::models::{CreateOmniFlowAgent, List, OmniFlowAgent, UpdateOmniFlowAgent};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;

/// Omni-flow (SMS / email) agents (`client.omni_flow_agents()`). The API has no delete.
///
/// ```no_run
/// use trillet::models::{CreateOmniFlowAgent, UpdateOmniFlowAgent};
/// let client = trillet::Client::from_env()?;
/// let agent = client.omni_flow_agents().create(&CreateOmniFlowAgent::new("SMS helper"))?;
/// let id = agent.id.unwrap_or_default();
/// client.omni_flow_agents().update(&id, &UpdateOmniFlowAgent::new().llm_model("gpt-4.1-mini"))?;
/// println!("{} agents", client.omni_flow_agents().list()?.len());
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OmniFlowAgents<'a> {
    client: &'a Client,
}

impl<'a> OmniFlowAgents<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        OmniFlowAgents { client }
    }

    /// Creates a messaging agent (`omni_flow_agents.create`).
    pub fn create(&self, agent: &CreateOmniFlowAgent) -> Result<OmniFlowAgent> {
        send_json(self.client, ops::OMNI_FLOW_AGENTS_CREATE, &Request::new().json(agent))
    }

    /// Lists messaging agents (`omni_flow_agents.list`).
    pub fn list(&self) -> Result<List<OmniFlowAgent>> {
        send_json(self.client, ops::OMNI_FLOW_AGENTS_LIST, &Request::new())
    }

    /// Gets a messaging agent (`omni_flow_agents.get`).
    pub fn get(&self, id: &str) -> Result<OmniFlowAgent> {
        send_json(self.client, ops::OMNI_FLOW_AGENTS_GET, &id_request("id", id)?)
    }

    /// Updates a messaging agent (`omni_flow_agents.update`).
    pub fn update(&self, agent_id: &str, update: &UpdateOmniFlowAgent) -> Result<OmniFlowAgent> {
        send_json(self.client, ops::OMNI_FLOW_AGENTS_UPDATE, &id_request("agentId", agent_id)?.json(update))
    }
}
