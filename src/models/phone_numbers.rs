//! Phone numbers and telephony: models of the `phone_numbers.*` operations (`client.phone_numbers()`).

use super::agents::Agent;
use super::common::{Extra, IdOrObject};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// A phone number of the workspace.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct PhoneNumber {
        /// Document id (what the other phone-number operations take).
        #[serde(rename = "_id")]
        pub id: Option<String>,
        /// Owning workspace.
        pub workspace_id: Option<String>,
        /// User.
        pub user_id: Option<String>,
        /// The number, E.164.
        pub phone_number: Option<String>,
        /// Carrier id.
        pub sid: Option<String>,
        /// Country code (`US`).
        pub country: Option<String>,
        /// `local`, `tollfree`, `mobile`.
        #[serde(rename = "type")]
        pub number_type: Option<String>,
        /// `active`, `released`, `pending`.
        pub status: Option<String>,
        /// SIP trunk termination.
        pub trunk_termination_url: Option<String>,
        /// Whether calls are recorded.
        pub recording_enabled: Option<bool>,
        /// Whether recordings are public.
        pub recording_public: Option<bool>,
        /// The bound call flow.
        pub pathway_id: Option<String>,
        /// The bound message flow.
        pub message_pathway_id: Option<String>,
        /// The bound omni-flow agent.
        pub omni_flow_agent_id: Option<String>,
        /// The bound call agent: id or populated agent.
        pub agent_id: Option<IdOrObject<Agent>>,
        /// `inbound`, `outbound`, `call`, ...
        pub flow_type: Option<String>,
        /// Monthly price.
        pub monthly_price: Option<f64>,
        /// Expiry (ISO 8601).
        pub expires_at: Option<String>,
        /// Registered from another carrier (BYO).
        pub is_external: Option<bool>,
        /// `twilio`, `telnyx`.
        pub provider: Option<String>,
        /// Whether transfers are allowed.
        pub transfer_enabled: Option<bool>,
        /// Office hours.
        pub office_hours: Option<Value>,
        /// Tags: an object (bind) or an array (config).
        pub metadata_tags: Option<MetadataTags>,
        /// Creation time (ISO 8601).
        pub created_at: Option<String>,
        /// Last update time (ISO 8601).
        pub updated_at: Option<String>,
        /// Document version (`__v`).
        #[serde(rename = "__v")]
        pub version: Option<i64>,
        /// Every other field (`livekitInboundTrunkId`, ...).
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// `metadataTags`: an array of tags in the number's configuration, an object in the bind
/// operation. Both read into this type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum MetadataTags {
    /// `["sales", "priority"]`
    List(Vec<String>),
    /// `{"department": "support"}`
    Map(Map<String, Value>),
}

skip_none! {
    /// A number offered for purchase.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct AvailableNumber {
        /// The number, E.164.
        pub phone_number: Option<String>,
        /// Formatted number.
        pub friendly_name: Option<String>,
        /// City.
        pub locality: Option<String>,
        /// Region or state.
        pub region: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// Query of `phone_numbers.search_available` (every filter optional).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AvailableNumberSearch {
    /// `country` (`US`).
    pub country: Option<String>,
    /// `type` (`local`, `tollfree`, `mobile`).
    pub number_type: Option<String>,
    /// `contains`: digits the number contains.
    pub contains: Option<String>,
    /// `limit`.
    pub limit: Option<u32>,
    /// `areaCode`.
    pub area_code: Option<String>,
}

impl AvailableNumberSearch {
    /// A search with no filters.
    pub fn new() -> Self {
        Self::default()
    }
    /// Country code.
    pub fn country(mut self, v: impl Into<String>) -> Self {
        self.country = Some(v.into());
        self
    }
    /// Number type.
    pub fn number_type(mut self, v: impl Into<String>) -> Self {
        self.number_type = Some(v.into());
        self
    }
    /// Digits the number contains.
    pub fn contains(mut self, v: impl Into<String>) -> Self {
        self.contains = Some(v.into());
        self
    }
    /// Most results.
    pub fn limit(mut self, v: u32) -> Self {
        self.limit = Some(v);
        self
    }
    /// Area code.
    pub fn area_code(mut self, v: impl Into<String>) -> Self {
        self.area_code = Some(v.into());
        self
    }

    /// The filters as query parameters, in the documented order.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut push = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        push("country", self.country.clone());
        push("type", self.number_type.clone());
        push("contains", self.contains.clone());
        push("limit", self.limit.map(|l| l.to_string()));
        push("areaCode", self.area_code.clone());
        out
    }
}

skip_none! {
    /// Body of `phone_numbers.purchase`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PurchaseNumber {
        /// Country code (required).
        pub country: String,
        /// Number type (required).
        #[serde(rename = "type")]
        pub number_type: String,
        /// The number, E.164 (required; checked before sending).
        #[cfg_attr(feature = "schema", schemars(extend("x-e164" = true)))]
        pub phone_number: String,
        /// Address (required outside US/CA/AU/GB).
        pub address_sid: Option<String>,
        /// Coupon.
        pub coupon: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl PurchaseNumber {
    /// Buy `phone_number` (E.164), found with `search_available`.
    pub fn new(country: impl Into<String>, number_type: impl Into<String>, phone_number: impl Into<String>) -> Self {
        PurchaseNumber {
            country: country.into(),
            number_type: number_type.into(),
            phone_number: phone_number.into(),
            address_sid: None,
            coupon: None,
            extra: Extra::new(),
        }
    }
}

setters!(PurchaseNumber {
    /// Address (required outside US/CA/AU/GB).
    address_sid: String,
    /// Coupon.
    coupon: String,
});

skip_none! {
    /// Answer of `phone_numbers.purchase`. When payment is needed the API may answer with a checkout
    /// URL instead (kept in `extra`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Purchase {
        /// Whether it worked.
        #[cfg_attr(feature = "schema", schemars(schema_with = "crate::models::schema::bool_or_string_schema"))]
        #[serde(deserialize_with = "super::common::bool_or_string")]
        pub success: Option<bool>,
        /// The number bought: a record (docs) or the bare E.164 string (what code sees).
        pub phone_number: Option<PurchasedNumber>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// The number in a purchase answer: the record with `_id`, or just the E.164 string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum PurchasedNumber {
    /// Only the number; find its record with `phone_numbers().list()`.
    Number(String),
    /// The number's record.
    Record(Box<PhoneNumber>),
}

impl PurchasedNumber {
    /// The E.164 number, whichever form came back.
    pub fn phone_number(&self) -> Option<&str> {
        match self {
            PurchasedNumber::Number(n) => Some(n),
            PurchasedNumber::Record(r) => r.phone_number.as_deref(),
        }
    }

    /// The record's `_id`, when the API sent the record.
    pub fn id(&self) -> Option<&str> {
        match self {
            PurchasedNumber::Number(_) => None,
            PurchasedNumber::Record(r) => r.id.as_deref(),
        }
    }
}

skip_none! {
    /// A number's configuration (`phone_numbers.get_config`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct PhoneNumberConfig {
        /// The number's `_id`.
        pub phone_number_id: Option<String>,
        /// The bound agent: id or populated agent.
        pub agent_id: Option<IdOrObject<Agent>>,
        /// The bound call flow.
        pub pathway_id: Option<String>,
        /// `call`, `message`.
        pub flow_type: Option<String>,
        /// Direction.
        pub direction: Option<String>,
        /// Status.
        pub status: Option<String>,
        /// Whether calls are recorded.
        pub recording: Option<bool>,
        /// Office hours.
        pub office_hours: Option<Value>,
        /// Caller id shown on transfers.
        pub transfer_caller_id_mode: Option<String>,
        /// Tags.
        pub metadata_tags: Option<MetadataTags>,
        /// Label.
        pub label: Option<String>,
        /// Longest call, seconds.
        pub max_call_duration: Option<f64>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `phone_numbers.update_config` (every field optional).
    #[derive(Debug, Clone, Default, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct UpdatePhoneNumberConfig {
        /// Agent to route to.
        pub agent_id: Option<String>,
        /// Longest call, seconds.
        pub max_call_duration: Option<f64>,
        /// Record calls.
        pub recording_enabled: Option<bool>,
        /// Office hours.
        pub office_hours: Option<Value>,
        /// Caller id shown on transfers.
        pub transfer_caller_id_mode: Option<String>,
        /// Tags.
        pub metadata_tags: Option<Vec<String>>,
        /// Label.
        pub label: Option<String>,
        /// Call flow to route to.
        pub pathway_id: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl UpdatePhoneNumberConfig {
    /// An empty update.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(UpdatePhoneNumberConfig {
    /// Agent to route to.
    agent_id: String,
    /// Longest call, seconds.
    max_call_duration: f64,
    /// Record calls.
    recording_enabled: bool,
    /// Office hours.
    office_hours: Value,
    /// Caller id shown on transfers.
    transfer_caller_id_mode: String,
    /// Tags.
    metadata_tags: Vec<String>,
    /// Label.
    label: String,
    /// Call flow to route to.
    pathway_id: String,
});

/// Body of `phone_numbers.register_external` (bring your own number).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RegisterExternalNumber {
    /// The number, E.164 (checked before sending).
    #[cfg_attr(feature = "schema", schemars(extend("x-e164" = true)))]
    pub phone_number: String,
    /// Carrier (`twilio`, `telnyx`).
    pub provider: String,
    /// Carrier credentials.
    pub credentials: ExternalCredentials,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RegisterExternalNumber {
    /// Register `phone_number` from `provider`.
    pub fn new(phone_number: impl Into<String>, provider: impl Into<String>, credentials: ExternalCredentials) -> Self {
        RegisterExternalNumber {
            phone_number: phone_number.into(),
            provider: provider.into(),
            credentials,
            extra: Extra::new(),
        }
    }
}

setters!(RegisterExternalNumber {});

/// Carrier credentials of an external number. Other keys (`connectionId`, ...) go through
/// `field`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExternalCredentials {
    /// Account SID.
    pub account_sid: String,
    /// Auth token.
    pub auth_token: String,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ExternalCredentials {
    /// Account SID and auth token.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        ExternalCredentials { account_sid: account_sid.into(), auth_token: auth_token.into(), extra: Extra::new() }
    }
}

setters!(ExternalCredentials {});

skip_none! {
    /// Body of `phone_numbers.bind` (every field optional).
    #[derive(Debug, Clone, Default, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BindNumber {
        /// Record calls (API default false).
        pub record_calls: Option<bool>,
        /// Public recordings (API default false).
        pub recording_public: Option<bool>,
        /// Office hours.
        pub office_hours: Option<Value>,
        /// Tags (an object here).
        pub metadata_tags: Option<Map<String, Value>>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl BindNumber {
    /// A bind with the API's defaults.
    pub fn new() -> Self {
        Self::default()
    }
}

setters!(BindNumber {
    /// Record calls.
    record_calls: bool,
    /// Public recordings.
    recording_public: bool,
    /// Office hours.
    office_hours: Value,
    /// Tags.
    metadata_tags: Map<String, Value>,
});

skip_none! {
    /// Answer of `phone_numbers.bind`: the agent and number after binding (newer build), or
    /// `{status, message}` (older build).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct BindResult {
        /// The agent: id or populated agent.
        pub agent: Option<IdOrObject<Agent>>,
        /// The number: id or populated number.
        pub phone_number: Option<IdOrObject<PhoneNumber>>,
        /// The agent's call flow.
        pub pathway_id: Option<String>,
        /// Direction.
        pub direction: Option<String>,
        /// `success` (older build).
        pub status: Option<String>,
        /// Message (older build).
        pub message: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
