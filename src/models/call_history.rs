//! Call history: models of the `call_history.*` operations (`client.call_history()`).

use super::common::{Extra, IdOrObject};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// A call-history record. List items and the detail record differ (list items carry `cost` as a
    /// number and `agent` as a name; the detail record carries `cost` as `{customer_charge}` and
    /// `agentId`); both read into this type.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct CallHistory {
        /// Record id (what `call_history().get` and `recordings().get` take).
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Call id (`callId`; `call_id` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["call_id"])))]
        #[serde(alias = "call_id")]
        pub call_id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// Unix time of the call (seconds, fractional).
        pub timestamp: Option<f64>,
        /// Caller.
        pub from_phone_number: Option<String>,
        /// Callee.
        pub to_phone_number: Option<String>,
        /// `inbound`, `outbound` or `bidirectional`.
        pub direction: Option<String>,
        /// Duration in seconds.
        pub duration: Option<f64>,
        /// The agent as list items show it (a name, sometimes an object).
        pub agent: Option<Value>,
        /// The agent (detail record): id or populated object.
        pub agent_id: Option<IdOrObject>,
        /// The call flow.
        pub call_flow_id: Option<String>,
        /// The call flow's name.
        pub call_flow_name: Option<String>,
        /// LiveKit room.
        pub room_name: Option<String>,
        /// `completed`, `failed`, `in-progress`, ...
        pub status: Option<String>,
        /// Start (Unix seconds).
        pub start_time: Option<f64>,
        /// End (Unix seconds).
        pub end_time: Option<f64>,
        /// Cost: a number (list) or a breakdown (detail).
        pub cost: Option<Cost>,
        /// Recording URL.
        pub recording_url: Option<String>,
        /// Call summary.
        pub summary: Option<String>,
        /// Post-call analysis.
        pub analyzed_data: Option<Map<String, Value>>,
        /// Variables.
        pub variables: Option<Map<String, Value>>,
        /// Metadata passed when the call was placed.
        pub metadata: Option<Map<String, Value>>,
        /// Transcript entries.
        pub transcript: Option<Vec<Value>>,
        /// Tool calls made during the call.
        pub function_calls: Option<Vec<Value>>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// The cost of a call: a plain amount (list items) or a breakdown such as
/// `{"customer_charge": 0.1}` (detail record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Cost {
    /// A plain amount.
    Amount(f64),
    /// A breakdown.
    Breakdown(Map<String, Value>),
}

impl Cost {
    /// What the customer was charged: the amount, or the breakdown's `customer_charge`.
    pub fn customer_charge(&self) -> Option<f64> {
        match self {
            Cost::Amount(a) => Some(*a),
            Cost::Breakdown(m) => m.get("customer_charge").and_then(Value::as_f64),
        }
    }
}

/// Filters of `call_history.list` (every one optional).
///
/// ```
/// use trillet::models::CallHistoryFilter;
/// let f = CallHistoryFilter::new().status("completed").call_ids(["c1", "c2"]).date_range("2025-01-01", "2025-01-31");
/// assert_eq!(f.call_ids.as_deref(), Some(r#"["c1","c2"]"#));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallHistoryFilter {
    /// `agentId`.
    pub agent_id: Option<String>,
    /// `pathwayId` (call flow).
    pub pathway_id: Option<String>,
    /// `batchId`.
    pub batch_id: Option<String>,
    /// `status` (`completed`, `failed`, `in-progress`).
    pub status: Option<String>,
    /// `direction` (`inbound`, `outbound`).
    pub direction: Option<String>,
    /// `callType` (`sip`, `web`).
    pub call_type: Option<String>,
    /// `search`: free text over numbers and metadata.
    pub search: Option<String>,
    /// `callIds`: a JSON-encoded array of call ids.
    pub call_ids: Option<String>,
    /// `dateRange`: JSON-encoded `{from, to}` ISO dates.
    pub date_range: Option<String>,
    /// `postAnalysis`: a JSON-encoded filter on post-call analysis fields.
    pub post_analysis: Option<String>,
}

impl CallHistoryFilter {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only calls of this agent.
    pub fn agent_id(mut self, v: impl Into<String>) -> Self {
        self.agent_id = Some(v.into());
        self
    }
    /// Only calls of this call flow.
    pub fn pathway_id(mut self, v: impl Into<String>) -> Self {
        self.pathway_id = Some(v.into());
        self
    }
    /// Only calls of this batch.
    pub fn batch_id(mut self, v: impl Into<String>) -> Self {
        self.batch_id = Some(v.into());
        self
    }
    /// Only calls with this status.
    pub fn status(mut self, v: impl Into<String>) -> Self {
        self.status = Some(v.into());
        self
    }
    /// Only calls in this direction.
    pub fn direction(mut self, v: impl Into<String>) -> Self {
        self.direction = Some(v.into());
        self
    }
    /// Only calls of this type (`sip`, `web`).
    pub fn call_type(mut self, v: impl Into<String>) -> Self {
        self.call_type = Some(v.into());
        self
    }
    /// Free-text search.
    pub fn search(mut self, v: impl Into<String>) -> Self {
        self.search = Some(v.into());
        self
    }
    /// Only these calls (sent as a JSON array).
    pub fn call_ids<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        self.call_ids = Some(Value::from(ids).to_string());
        self
    }
    /// Only calls between two ISO dates (sent as JSON `{from, to}`).
    pub fn date_range(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        let mut m = Map::new();
        m.insert("from".into(), Value::String(from.into()));
        m.insert("to".into(), Value::String(to.into()));
        self.date_range = Some(Value::Object(m).to_string());
        self
    }
    /// A filter on post-call analysis fields (sent as JSON).
    pub fn post_analysis(mut self, filter: impl Into<Value>) -> Self {
        self.post_analysis = Some(filter.into().to_string());
        self
    }

    /// The filters as query parameters, in the documented order.
    pub fn query_pairs(&self) -> Vec<(&'static str, &str)> {
        let all = [
            ("agentId", &self.agent_id),
            ("pathwayId", &self.pathway_id),
            ("batchId", &self.batch_id),
            ("status", &self.status),
            ("direction", &self.direction),
            ("callType", &self.call_type),
            ("search", &self.search),
            ("callIds", &self.call_ids),
            ("dateRange", &self.date_range),
            ("postAnalysis", &self.post_analysis),
        ];
        all.into_iter().filter_map(|(k, v)| v.as_deref().map(|v| (k, v))).collect()
    }
}

skip_none! {
    /// Body of `call_history.export_csv` (every field optional).
    #[derive(Debug, Clone, Default, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ExportCsv {
        /// Only calls of this agent.
        pub agent_id: Option<String>,
        /// Include transcripts (API default false).
        pub include_transcripts: Option<bool>,
        /// Include post-call analysis (API default false).
        pub include_post_analysis: Option<bool>,
        /// Most rows.
        pub limit: Option<u32>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl ExportCsv {
    /// An export of everything.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(ExportCsv {
    /// Only calls of this agent.
    agent_id: String,
    /// Include transcripts.
    include_transcripts: bool,
    /// Include post-call analysis.
    include_post_analysis: bool,
    /// Most rows.
    limit: u32,
});
