//! Outbound and web calls: models of the `calls.*` operations (`client.calls()`).

use super::common::Extra;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

skip_none! {
    /// Body of `calls.initiate`: place an outbound call.
    ///
    /// ```
    /// use trillet::models::InitiateCall;
    /// let call = InitiateCall::new("+14155550100", "665a1b2c3d4e5f6a7b8c9d0e")
    ///     .callback_url("https://example.com/hook")
    ///     .dynamic_variables(serde_json::json!({"first_name": "Ada"}).as_object().unwrap().clone());
    /// assert_eq!(call.to, "+14155550100");
    /// ```
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct InitiateCall {
        /// Number to call, E.164 (checked before sending).
        #[cfg_attr(feature = "schema", schemars(extend("x-e164" = true)))]
        pub to: String,
        /// The `_id` of the call agent that handles the call (the API wants an agent with an active phone
        /// number and a call flow).
        pub call_agent_id: String,
        /// URL that receives events about the call.
        pub callback_url: Option<String>,
        /// Values for the flow's `{{variables}}`.
        pub dynamic_variables: Option<Map<String, Value>>,
        /// Values forwarded to the flow's webhooks.
        pub metadata: Option<Map<String, Value>>,
        /// Phone number (`_id`) to call from.
        pub from_phone_number_id: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl InitiateCall {
    /// A call to `to` (E.164) handled by the call agent whose `_id` is `call_agent_id`.
    pub fn new(to: impl Into<String>, call_agent_id: impl Into<String>) -> Self {
        InitiateCall {
            to: to.into(),
            call_agent_id: call_agent_id.into(),
            callback_url: None,
            dynamic_variables: None,
            metadata: None,
            from_phone_number_id: None,
            extra: Extra::new(),
        }
    }
}

setters!(InitiateCall {
    /// URL that receives events about the call.
    callback_url: String,
    /// Values for the flow's `{{variables}}`.
    dynamic_variables: Map<String, Value>,
    /// Values forwarded to the flow's webhooks.
    metadata: Map<String, Value>,
    /// Phone number (`_id`) to call from.
    from_phone_number_id: String,
});

skip_none! {
    /// Answer of `calls.initiate`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct CallStarted {
        /// `success`.
        pub status: Option<String>,
        /// The call's id. The docs spell it `call_id`, one client reads `callId`: both are read.
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["callId"])))]
        #[serde(rename = "call_id", alias = "callId")]
        pub call_id: Option<String>,
        /// Message.
        pub message: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// Mode of a web call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum CallMode {
    /// Voice (the API default).
    Voice,
    /// Text chat.
    Text,
}

skip_none! {
    /// Body of `calls.web_connect`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct WebConnect {
        /// Agent id (required).
        pub agent_id: String,
        /// Voice (default) or text.
        pub mode: Option<CallMode>,
        /// Values for the flow's `{{variables}}` (`dynamic_variables`, as the web SDK sends it).
        #[serde(rename = "dynamic_variables")]
        pub dynamic_variables: Option<Map<String, Value>>,
        /// URL that receives events about the call (`callback_url`, as the web SDK sends it).
        #[serde(rename = "callback_url")]
        pub callback_url: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl WebConnect {
    /// A web call to `agent_id`.
    pub fn new(agent_id: impl Into<String>) -> Self {
        WebConnect {
            agent_id: agent_id.into(),
            mode: None,
            dynamic_variables: None,
            callback_url: None,
            extra: Extra::new(),
        }
    }
}

setters!(WebConnect {
    /// Voice (default) or text.
    mode: CallMode,
    /// Values for the flow's `{{variables}}`.
    dynamic_variables: Map<String, Value>,
    /// URL that receives events about the call.
    callback_url: String,
});

skip_none! {
    /// Body of `calls.start_web_call` (SDK, authenticated).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct StartWebCall {
        /// Agent id (required).
        #[serde(rename = "agentId")]
        pub agent_id: String,
        /// Voice (default) or text.
        pub mode: Option<CallMode>,
        /// Values for the flow's `{{variables}}`.
        pub dynamic_variables: Option<Map<String, Value>>,
        /// URL that receives events about the call.
        pub callback_url: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl StartWebCall {
    /// A web call to `agent_id`.
    pub fn new(agent_id: impl Into<String>) -> Self {
        StartWebCall {
            agent_id: agent_id.into(),
            mode: None,
            dynamic_variables: None,
            callback_url: None,
            extra: Extra::new(),
        }
    }
}

setters!(StartWebCall {
    /// Voice (default) or text.
    mode: CallMode,
    /// Values for the flow's `{{variables}}`.
    dynamic_variables: Map<String, Value>,
    /// URL that receives events about the call.
    callback_url: String,
});

skip_none! {
    /// Body of `calls.start_public_web_call` (browser-safe: sent without the API key).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct StartPublicWebCall {
        /// The `_id` of the call agent (required; the API wants an agent with an active phone number and
        /// a call flow).
        pub call_agent_id: String,
        /// Voice (default) or text.
        pub mode: Option<CallMode>,
        /// Values for the flow's `{{variables}}`.
        pub dynamic_variables: Option<Map<String, Value>>,
        /// URL that receives events about the call.
        pub callback_url: Option<String>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl StartPublicWebCall {
    /// A public web call to the call agent whose `_id` is `call_agent_id`.
    pub fn new(call_agent_id: impl Into<String>) -> Self {
        StartPublicWebCall {
            call_agent_id: call_agent_id.into(),
            mode: None,
            dynamic_variables: None,
            callback_url: None,
            extra: Extra::new(),
        }
    }
}

setters!(StartPublicWebCall {
    /// Voice (default) or text.
    mode: CallMode,
    /// Values for the flow's `{{variables}}`.
    dynamic_variables: Map<String, Value>,
    /// URL that receives events about the call.
    callback_url: String,
});

skip_none! {
    /// Answer of the web-call operations: a LiveKit token and room.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct WebCallSession {
        /// `success` (web connect only).
        pub status: Option<String>,
        /// Call id (`callId`; `call_id` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["call_id"])))]
        #[serde(alias = "call_id")]
        pub call_id: Option<String>,
        /// LiveKit room (`roomName`; `room_name` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["room_name"])))]
        #[serde(alias = "room_name")]
        pub room_name: Option<String>,
        /// LiveKit access token.
        pub token: Option<String>,
        /// The agent answering.
        pub agent: Option<WebCallAgent>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// The agent of a web call.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct WebCallAgent {
        /// Agent id (`id`; `_id` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["_id"])))]
        #[serde(alias = "_id")]
        pub id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// LLM.
        pub model: Option<String>,
        /// Voice (`{provider, voiceId, language}`).
        pub voice: Option<Value>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Body of `calls.start_evaluation_web_call`.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[non_exhaustive]
    pub struct EvaluationWebCall {
        /// The `_id` of the call agent (required; the API wants an agent with an active phone number and
        /// a call flow).
        pub call_agent_id: String,
        /// What the evaluator should check (required).
        #[serde(rename = "evaluationPrompt")]
        pub evaluation_prompt: String,
        /// Context passed back with the results.
        pub evaluation_context: Option<Map<String, Value>>,
        /// Fields this version does not model.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl EvaluationWebCall {
    /// An evaluation call of the call agent whose `_id` is `call_agent_id`.
    pub fn new(call_agent_id: impl Into<String>, evaluation_prompt: impl Into<String>) -> Self {
        EvaluationWebCall {
            call_agent_id: call_agent_id.into(),
            evaluation_prompt: evaluation_prompt.into(),
            evaluation_context: None,
            extra: Extra::new(),
        }
    }
}

setters!(EvaluationWebCall {
    /// Context passed back with the results.
    evaluation_context: Map<String, Value>,
});

skip_none! {
    /// Answer of `calls.start_evaluation_web_call`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct EvaluationCall {
        /// Call id (`call_id`; `callId` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["callId"])))]
        #[serde(alias = "callId")]
        pub call_id: Option<String>,
        /// LiveKit room (`room_name`; `roomName` read too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["roomName"])))]
        #[serde(alias = "roomName")]
        pub room_name: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}
