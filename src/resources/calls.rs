use super::{require_id, send_json, send_or_default};
use crate::error::Result;
use crate::models::{
    Ack, CallStarted, EvaluationCall, EvaluationWebCall, InitiateCall, StartPublicWebCall, StartWebCall,
    WebCallSession, WebConnect,
};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Outbound and web calls (`client.calls()`).
///
/// ```no_run
/// use trillet::models::{CallMode, InitiateCall, StartPublicWebCall, WebConnect};
/// let client = trillet::Client::from_env()?;
/// let call = client.calls().initiate(&InitiateCall::new("+14155550100", "676b8e123456789012345678"))?;
/// println!("placed {:?}", call.call_id);
/// let web = client.calls().web_connect(&WebConnect::new("665a1b2c3d4e5f6a7b8c9d0e").mode(CallMode::Text))?;
/// client.calls().web_disconnect(web.room_name.as_deref().unwrap_or_default())?;
/// // Browser-safe: sent with x-workspace-id only, never the API key.
/// let public = client.calls().start_public_web_call(&StartPublicWebCall::new("676b8e123456789012345678"))?;
/// println!("token {:?}", public.token);
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Calls<'a> {
    client: &'a Client,
}

impl<'a> Calls<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Calls { client }
    }

    /// Places an outbound call (`calls.initiate`). `to` must be E.164 (`invalid_number`
    /// otherwise, before sending). Never retried: a second attempt could place a second call.
    pub fn initiate(&self, call: &InitiateCall) -> Result<CallStarted> {
        if let Some(from) = &call.from_phone_number_id {
            require_id("from_phone_number_id", from)?;
        }
        send_json(self.client, ops::CALLS_INITIATE, &Request::new().json(call))
    }

    /// Connects a web call and returns its LiveKit token (`calls.web_connect`).
    pub fn web_connect(&self, connect: &WebConnect) -> Result<WebCallSession> {
        send_json(self.client, ops::CALLS_WEB_CONNECT, &Request::new().json(connect))
    }

    /// Ends a web call's session (`calls.web_disconnect`).
    pub fn web_disconnect(&self, room_name: &str) -> Result<Ack> {
        send_or_default(self.client, ops::CALLS_WEB_DISCONNECT, &Request::new().json(&json!({"roomName": room_name})))
    }

    /// Starts a web call the way the web SDK does (`calls.start_web_call`; API key, no workspace).
    pub fn start_web_call(&self, call: &StartWebCall) -> Result<WebCallSession> {
        send_json(self.client, ops::CALLS_START_WEB_CALL, &Request::new().json(call))
    }

    /// Starts a public web call (`calls.start_public_web_call`): sent with `x-workspace-id` only,
    /// never the API key, like a browser would.
    pub fn start_public_web_call(&self, call: &StartPublicWebCall) -> Result<WebCallSession> {
        send_json(self.client, ops::CALLS_START_PUBLIC_WEB_CALL, &Request::new().json(call))
    }

    /// Starts an evaluation web call (`calls.start_evaluation_web_call`).
    pub fn start_evaluation_web_call(&self, call: &EvaluationWebCall) -> Result<EvaluationCall> {
        send_json(self.client, ops::CALLS_START_EVALUATION_WEB_CALL, &Request::new().json(call))
    }
}
