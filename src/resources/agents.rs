use super::{id_request, send_json, send_or_default};
use crate::error::Result;
use crate::models::{Ack, Agent, CreateAgent, List, UpdateAgent};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;

/// Call agents (`client.agents()`).
///
/// ```no_run
/// use trillet::models::{CreateAgent, TtsModel, UpdateAgent};
/// let client = trillet::Client::from_env()?;
/// let agents = client.agents();
/// let agent = agents.create(&CreateAgent::new("Support", TtsModel::new("rime", "mistv2_Wildflower")))?;
/// let id = agent.id.clone().unwrap_or_default();
/// for a in agents.list()?.iter() {
///     println!("{:?} {:?}", a.id, a.name);
/// }
/// let fetched = agents.get(&id)?;
/// agents.update(&id, &UpdateAgent::from_agent(&fetched).name("Support (EN)"))?;
/// agents.delete(&id)?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Agents<'a> {
    client: &'a Client,
}

impl<'a> Agents<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Agents { client }
    }

    /// Creates a call agent (`agents.create`).
    pub fn create(&self, agent: &CreateAgent) -> Result<Agent> {
        send_json(self.client, ops::AGENTS_CREATE, &Request::new().json(agent))
    }

    /// Lists the workspace's call agents (`agents.list`).
    pub fn list(&self) -> Result<List<Agent>> {
        send_json(self.client, ops::AGENTS_LIST, &Request::new())
    }

    /// Gets a call agent (`agents.get`).
    pub fn get(&self, agent_id: &str) -> Result<Agent> {
        send_json(self.client, ops::AGENTS_GET, &id_request("agentId", agent_id)?)
    }

    /// Replaces a call agent's writable fields (`agents.update`, a PUT: see [`UpdateAgent`]).
    pub fn update(&self, agent_id: &str, update: &UpdateAgent) -> Result<Agent> {
        send_json(self.client, ops::AGENTS_UPDATE, &id_request("agentId", agent_id)?.json(update))
    }

    /// Deletes a call agent (`agents.delete`).
    pub fn delete(&self, agent_id: &str) -> Result<Ack> {
        send_or_default(self.client, ops::AGENTS_DELETE, &id_request("agentId", agent_id)?)
    }
}
