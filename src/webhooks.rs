//! Webhook payloads and signatures.
//!
//! Trillet signs a webhook by sending `X-Trillet-Signature`: the lower-case hex HMAC-SHA256 of the
//! raw request body, keyed with the secret string exactly as issued (a `whsec_` prefix included),
//! which is what the documented `openssl sha256 -hmac "$SECRET"` recipe computes.
//!
//! ```
//! use trillet::webhooks;
//! let body = br#"{"event":"call.completed","data":{"callId":"c1","duration":125}}"#;
//! let sig = webhooks::sign("whsec_test", body);
//! webhooks::verify("whsec_test", body, &sig).unwrap();
//! let event = webhooks::parse(body).unwrap();
//! assert_eq!(event.event, webhooks::EventType::CallCompleted);
//! assert_eq!(event.data["duration"], 125);
//! ```

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::fmt;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Trillet-Signature";

/// The documented webhook event types, with a fallback for new ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// `call.started`
    CallStarted,
    /// `call.completed`
    CallCompleted,
    /// `call.failed`
    CallFailed,
    /// `sms.sent`
    SmsSent,
    /// `sms.delivered`
    SmsDelivered,
    /// `agent.created`
    AgentCreated,
    /// `agent.updated`
    AgentUpdated,
    /// `flow.created`
    FlowCreated,
    /// `flow.updated`
    FlowUpdated,
    /// An event type this version does not know, kept verbatim.
    Unknown(String),
}

impl EventType {
    /// Every documented event type.
    pub const ALL: [EventType; 9] = [
        EventType::CallStarted,
        EventType::CallCompleted,
        EventType::CallFailed,
        EventType::SmsSent,
        EventType::SmsDelivered,
        EventType::AgentCreated,
        EventType::AgentUpdated,
        EventType::FlowCreated,
        EventType::FlowUpdated,
    ];

    /// The wire name (`call.completed`).
    pub fn as_str(&self) -> &str {
        match self {
            EventType::CallStarted => "call.started",
            EventType::CallCompleted => "call.completed",
            EventType::CallFailed => "call.failed",
            EventType::SmsSent => "sms.sent",
            EventType::SmsDelivered => "sms.delivered",
            EventType::AgentCreated => "agent.created",
            EventType::AgentUpdated => "agent.updated",
            EventType::FlowCreated => "flow.created",
            EventType::FlowUpdated => "flow.updated",
            EventType::Unknown(s) => s,
        }
    }

    /// Reads a wire name; unknown names become [`EventType::Unknown`].
    pub fn parse(name: &str) -> EventType {
        EventType::ALL.into_iter().find(|e| e.as_str() == name).unwrap_or_else(|| EventType::Unknown(name.to_string()))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for EventType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(EventType::parse(&s))
    }
}

/// A webhook delivery: `{"event": "...", "data": {...}}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// What happened.
    pub event: EventType,
    /// The event's data (`callId`, `agentId`, `duration`, `status`, ...).
    #[serde(default)]
    pub data: Value,
    /// Any other top-level fields, kept.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// Why a webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is empty.
    MissingSecret,
    /// No signature header was sent.
    MissingSignature,
    /// The signature is not 64 hex digits (after an optional `sha256=` prefix).
    MalformedSignature,
    /// The signature does not match the body.
    SignatureMismatch,
    /// The body is not a webhook payload.
    InvalidPayload(String),
}

impl WebhookError {
    /// A stable code (`missing_signature`, `signature_mismatch`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::MissingSecret => "missing_secret",
            WebhookError::MissingSignature => "missing_signature",
            WebhookError::MalformedSignature => "malformed_signature",
            WebhookError::SignatureMismatch => "signature_mismatch",
            WebhookError::InvalidPayload(_) => "invalid_payload",
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingSecret => write!(f, "webhook secret is empty"),
            WebhookError::MissingSignature => write!(f, "no {SIGNATURE_HEADER} header"),
            WebhookError::MalformedSignature => write!(f, "{SIGNATURE_HEADER} is not a hex HMAC-SHA256"),
            WebhookError::SignatureMismatch => write!(f, "{SIGNATURE_HEADER} does not match the body"),
            WebhookError::InvalidPayload(why) => write!(f, "invalid webhook payload: {why}"),
        }
    }
}

impl std::error::Error for WebhookError {}

impl From<WebhookError> for crate::Error {
    fn from(e: WebhookError) -> Self {
        crate::Error::invalid(e.code(), e.to_string())
    }
}

fn mac(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length")
}

/// The signature Trillet would send for `body`: lower-case hex HMAC-SHA256 keyed with `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(body);
    m.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a signature header against the raw body, in constant time. Accepts an optional
/// `sha256=` prefix, upper- or lower-case hex and surrounding white space.
pub fn verify(secret: &str, body: &[u8], signature_header: &str) -> Result<(), WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::MissingSecret);
    }
    let sig = signature_header.trim();
    if sig.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    let hex = sig.strip_prefix("sha256=").or_else(|| sig.strip_prefix("SHA256=")).unwrap_or(sig);
    let expected = decode_hex(hex).ok_or(WebhookError::MalformedSignature)?;
    if expected.len() != 32 {
        return Err(WebhookError::MalformedSignature);
    }
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(&expected).map_err(|_| WebhookError::SignatureMismatch)
}

/// Parses a payload: `{"event": "...", "data": {...}}`.
pub fn parse(body: &[u8]) -> Result<Event, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::InvalidPayload(e.to_string()))
}

/// Verifies, then parses: what a webhook handler wants.
pub fn construct_event(secret: &str, body: &[u8], signature_header: &str) -> Result<Event, WebhookError> {
    verify(secret, body, signature_header)?;
    parse(body)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const RFC4231_2: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn sign_matches_a_known_vector() {
        assert_eq!(sign("Jefe", b"what do ya want for nothing?"), RFC4231_2);
    }

    #[test]
    fn verify_accepts_prefix_and_case_and_rejects_changes() {
        let body = b"what do ya want for nothing?";
        verify("Jefe", body, RFC4231_2).unwrap();
        verify("Jefe", body, &format!("sha256={RFC4231_2}")).unwrap();
        verify("Jefe", body, &RFC4231_2.to_uppercase()).unwrap();
        verify("Jefe", body, &format!("  {RFC4231_2}\n")).unwrap();
        let mut changed = body.to_vec();
        changed[0] ^= 1;
        assert_eq!(verify("Jefe", &changed, RFC4231_2), Err(WebhookError::SignatureMismatch));
        assert_eq!(verify("Jefx", body, RFC4231_2), Err(WebhookError::SignatureMismatch));
        assert_eq!(verify("Jefe", body, ""), Err(WebhookError::MissingSignature));
        assert_eq!(verify("Jefe", body, "zz"), Err(WebhookError::MalformedSignature));
        assert_eq!(verify("Jefe", body, "abcd"), Err(WebhookError::MalformedSignature));
        assert_eq!(verify("Jefe", body, "é"), Err(WebhookError::MalformedSignature));
        assert_eq!(verify("", body, RFC4231_2), Err(WebhookError::MissingSecret));
    }

    #[test]
    fn whsec_prefix_is_part_of_the_key() {
        let body = b"{}";
        assert_ne!(sign("whsec_abc", body), sign("abc", body));
        verify("whsec_abc", body, &sign("whsec_abc", body)).unwrap();
    }

    #[test]
    fn every_event_type_round_trips_and_unknown_is_kept() {
        for e in EventType::ALL {
            assert_eq!(EventType::parse(e.as_str()), e);
        }
        let ev = parse(br#"{"event":"call.transferred","data":{},"id":"evt_1"}"#).unwrap();
        assert_eq!(ev.event, EventType::Unknown("call.transferred".into()));
        assert_eq!(ev.extra["id"], "evt_1");
        assert!(matches!(parse(b"nope"), Err(WebhookError::InvalidPayload(_))));
    }
}
