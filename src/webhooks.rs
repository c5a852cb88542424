//! Webhook payloads and signatures: one verifier for both signing schemes.
//!
//! Two schemes, picked from the headers a request carries:
//!
//! - **`trillet`** (documented): `X-Trillet-Signature` is the lower-case hex HMAC-SHA256 of the
//!   raw request body, keyed with the secret exactly as issued (`whsec_` prefix included), which is
//!   what the documented `openssl sha256 -hmac "$SECRET"` recipe computes. An optional `sha256=`
//!   prefix and either hex case are accepted; nothing else (exactly 64 hex digits).
//! - **`standard`** ([Standard Webhooks](https://www.standardwebhooks.com/), whose `whsec_` secrets
//!   Trillet's resemble): `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`
//!   (space-separated `v1,<base64>` entries); the key is the base64-decoded secret after `whsec_`;
//!   the signed content is `{id}.{timestamp}.{body}`; a timestamp more than the tolerance (default
//!   300 s) away from now, in either direction, is refused.
//!
//! When both are present the `standard` scheme is checked (it is the one with replay protection);
//! [`Verifier::scheme`] pins one. Comparisons run in constant time; several secrets may be given at
//! once (rotation: any one matching passes). Always pass the raw body bytes: a body parsed and
//! re-serialized by a framework no longer matches its signature.
//!
//! ```
//! use trillet::webhooks::{self, Scheme, Verifier};
//! let body = br#"{"event":"call.completed","data":{"callId":"c1","duration":125}}"#;
//! let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
//! // What the sender does (the sandbox, or a test):
//! let headers = webhooks::sign_headers(Scheme::Standard, secret, body, "msg_1", webhooks::now_unix())?;
//! // What a receiver does, with the raw body and the request's headers:
//! let event = Verifier::new([secret]).construct_event(&headers, body)?;
//! assert_eq!(event.event, webhooks::EventType::CallCompleted);
//! assert_eq!(event.data["duration"], 125);
//! // The documented scheme, one secret:
//! let sig = webhooks::sign("whsec_test", body);
//! webhooks::verify("whsec_test", body, &sig)?;
//! # Ok::<(), webhooks::WebhookError>(())
//! ```

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header of the `trillet` scheme.
pub const SIGNATURE_HEADER: &str = "X-Trillet-Signature";
/// The message id header of the `standard` scheme.
pub const ID_HEADER: &str = "webhook-id";
/// The timestamp header (Unix seconds) of the `standard` scheme.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The signature header (`v1,<base64>` entries) of the `standard` scheme.
pub const STANDARD_SIGNATURE_HEADER: &str = "webhook-signature";
/// How far a `standard` timestamp may be from now, in either direction, by default.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

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
    /// The event's data (`callId`, `agentId`, `duration`, `status`, `metadata`, ...).
    #[serde(default)]
    pub data: Value,
    /// Any other top-level fields, kept.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// A signing scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// `X-Trillet-Signature`: hex HMAC-SHA256 of the body, keyed with the secret as issued.
    Trillet,
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`.
    Standard,
}

impl Scheme {
    /// The name (`trillet`, `standard`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Trillet => "trillet",
            Scheme::Standard => "standard",
        }
    }

    /// Reads a name (`trillet`, `standard`); `None` for anything else.
    pub fn parse(name: &str) -> Option<Scheme> {
        match name {
            "trillet" => Some(Scheme::Trillet),
            "standard" => Some(Scheme::Standard),
            _ => None,
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a webhook was refused. [`code`](WebhookError::code) names the check that failed;
/// [`hint`](WebhookError::hint) says what usually causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No secret, or only empty ones, was given (code `missing_secret`).
    MissingSecret,
    /// No secret can key the `standard` scheme: none is base64 after `whsec_` (code `invalid_secret`).
    InvalidSecret,
    /// The signature headers are missing (code `missing_signature`); says which.
    MissingSignature(String),
    /// A signature header is not spelled as its scheme signs it (code `bad_signature`); says how.
    MalformedSignature(String),
    /// The signature does not match the body with any of the secrets (code `bad_signature`).
    SignatureMismatch,
    /// The `standard` timestamp is older than the tolerance (code `timestamp_too_old`).
    TimestampTooOld {
        /// Seconds between the timestamp and now.
        age_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The `standard` timestamp is further ahead than the tolerance (code `timestamp_in_future`).
    TimestampInFuture {
        /// Seconds between now and the timestamp.
        ahead_secs: u64,
        /// The tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The signature uses a scheme or version this verifier does not check (code
    /// `unsupported_scheme`), e.g. only `v1a` entries; says which.
    UnsupportedScheme(String),
    /// The body is not a webhook payload `{"event": "...", "data": ...}` (code `invalid_payload`).
    InvalidPayload(String),
}

impl WebhookError {
    /// The stable code: `missing_signature`, `bad_signature`, `timestamp_too_old`,
    /// `timestamp_in_future`, `unsupported_scheme`, `invalid_payload` (DESIGN.md), or
    /// `missing_secret` / `invalid_secret` for a secret that cannot be used at all.
    pub fn code(&self) -> &'static str {
        match self {
            WebhookError::MissingSecret => "missing_secret",
            WebhookError::InvalidSecret => "invalid_secret",
            WebhookError::MissingSignature(_) => "missing_signature",
            WebhookError::MalformedSignature(_) | WebhookError::SignatureMismatch => "bad_signature",
            WebhookError::TimestampTooOld { .. } => "timestamp_too_old",
            WebhookError::TimestampInFuture { .. } => "timestamp_in_future",
            WebhookError::UnsupportedScheme(_) => "unsupported_scheme",
            WebhookError::InvalidPayload(_) => "invalid_payload",
        }
    }

    /// What usually causes this failure and what to do about it, where that helps.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            WebhookError::MissingSecret => "pass the endpoint's signing secret (whsec_...) as issued",
            WebhookError::InvalidSecret => {
                "the standard scheme keys with the base64 after `whsec_`: pass the secret exactly as issued"
            }
            WebhookError::MissingSignature(_) => {
                "check that a proxy or the framework does not drop the signature headers, and that the request \
                 comes from Trillet"
            }
            WebhookError::MalformedSignature(_) => return None,
            WebhookError::SignatureMismatch => {
                "the body differs from what was signed, or the secret is wrong: pass the raw request bytes, not a \
                 parsed and re-serialized object, and check the secret (during a rotation, pass both)"
            }
            WebhookError::TimestampTooOld { .. } => {
                "a replayed or late delivery, or this machine's clock is behind or ahead: check its clock (NTP)"
            }
            WebhookError::TimestampInFuture { .. } => "this machine's clock is behind: check its clock (NTP)",
            WebhookError::UnsupportedScheme(_) => {
                "this verifier checks `X-Trillet-Signature` (hex HMAC-SHA256) and `webhook-signature` v1 entries"
            }
            WebhookError::InvalidPayload(_) => return None,
        })
    }

    /// The message without the hint.
    fn message(&self) -> String {
        match self {
            WebhookError::MissingSecret => "no webhook secret given (or only empty ones)".to_string(),
            WebhookError::InvalidSecret => "no webhook secret is base64 after `whsec_`".to_string(),
            WebhookError::MissingSignature(what) => what.clone(),
            WebhookError::MalformedSignature(what) => what.clone(),
            WebhookError::SignatureMismatch => "the webhook signature does not match the body".to_string(),
            WebhookError::TimestampTooOld { age_secs, tolerance_secs } => {
                format!("{TIMESTAMP_HEADER} is {age_secs} s old, more than the tolerance of {tolerance_secs} s")
            }
            WebhookError::TimestampInFuture { ahead_secs, tolerance_secs } => {
                format!(
                    "{TIMESTAMP_HEADER} is {ahead_secs} s in the future, more than the tolerance of {tolerance_secs} s"
                )
            }
            WebhookError::UnsupportedScheme(what) => what.clone(),
            WebhookError::InvalidPayload(why) => format!("invalid webhook payload: {why}"),
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.hint() {
            Some(hint) => write!(f, "{} (hint: {hint})", self.message()),
            None => f.write_str(&self.message()),
        }
    }
}

impl std::error::Error for WebhookError {}

impl From<WebhookError> for crate::Error {
    fn from(e: WebhookError) -> Self {
        crate::Error::invalid(e.code(), e.to_string())
    }
}

/// One request header as a verifier reads it: `(name, value)` pairs of anything string-like,
/// owned or borrowed (`("webhook-id", "msg_1")`, `&(String, String)`, ...).
pub trait Header {
    /// The header's name (compared case-insensitively).
    fn name(&self) -> &str;
    /// The header's value.
    fn value(&self) -> &str;
}

impl<K: AsRef<str>, V: AsRef<str>> Header for (K, V) {
    fn name(&self) -> &str {
        self.0.as_ref()
    }
    fn value(&self) -> &str {
        self.1.as_ref()
    }
}

impl<T: Header + ?Sized> Header for &T {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn value(&self) -> &str {
        (**self).value()
    }
}

/// What a successful verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The scheme that was checked.
    pub scheme: Scheme,
    /// `webhook-id` (the `standard` scheme): the same for every retry of one message, to
    /// de-duplicate deliveries.
    pub id: Option<String>,
    /// `webhook-timestamp` in Unix seconds (the `standard` scheme).
    pub timestamp: Option<i64>,
}

/// Checks webhooks against one or more secrets: both schemes, rotation, timestamp tolerance.
///
/// ```
/// use std::time::Duration;
/// use trillet::webhooks::{Scheme, Verifier};
/// let verifier = Verifier::new(["whsec_new_secret", "whsec_old_secret"]).tolerance(Duration::from_secs(60));
/// let headers = [("X-Trillet-Signature", trillet::webhooks::sign("whsec_old_secret", b"{}"))];
/// assert_eq!(verifier.verify(&headers, b"{}").unwrap().scheme, Scheme::Trillet);
/// ```
#[derive(Clone)]
pub struct Verifier {
    secrets: Vec<String>,
    tolerance: Duration,
    now: Option<SystemTime>,
    scheme: Option<Scheme>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &format_args!("<{} redacted>", self.secrets.len()))
            .field("tolerance", &self.tolerance)
            .field("now", &self.now)
            .field("scheme", &self.scheme)
            .finish()
    }
}

impl Verifier {
    /// A verifier accepting a signature made with any of `secrets` (several during a rotation).
    /// Empty secrets are ignored.
    pub fn new<I, S>(secrets: I) -> Verifier
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Verifier {
            secrets: secrets.into_iter().map(Into::into).filter(|s| !s.is_empty()).collect(),
            tolerance: DEFAULT_TOLERANCE,
            now: None,
            scheme: None,
        }
    }

    /// How far a `standard` timestamp may be from now in either direction (default 300 s).
    pub fn tolerance(mut self, tolerance: Duration) -> Verifier {
        self.tolerance = tolerance;
        self
    }

    /// Checks timestamps against this instant instead of the system clock (for tests and for
    /// re-checking a captured delivery).
    pub fn now(mut self, now: SystemTime) -> Verifier {
        self.now = Some(now);
        self
    }

    /// Accepts only this scheme (by default the one whose headers are present; `standard` when
    /// both are). Pinning `standard` refuses a delivery stripped down to the `trillet` header,
    /// which carries no timestamp.
    pub fn scheme(mut self, scheme: Scheme) -> Verifier {
        self.scheme = Some(scheme);
        self
    }

    /// Checks the signature of a raw `body` against the request's `headers` (names compared
    /// case-insensitively; repeated `webhook-signature` headers are joined).
    pub fn verify<H>(&self, headers: H, body: &[u8]) -> Result<Verified, WebhookError>
    where
        H: IntoIterator,
        H::Item: Header,
    {
        if self.secrets.is_empty() {
            return Err(WebhookError::MissingSecret);
        }
        let headers: Vec<H::Item> = headers.into_iter().collect();
        let first = |name: &str| headers.iter().find(|h| h.name().trim().eq_ignore_ascii_case(name)).map(|h| h.value());
        let standard_sig: Vec<&str> = headers
            .iter()
            .filter(|h| h.name().trim().eq_ignore_ascii_case(STANDARD_SIGNATURE_HEADER))
            .map(|h| h.value())
            .collect();
        let trillet_sig = first(SIGNATURE_HEADER);
        let scheme = match self.scheme {
            Some(s) => s,
            None if !standard_sig.is_empty() => Scheme::Standard,
            None if trillet_sig.is_some() => Scheme::Trillet,
            None => {
                return Err(WebhookError::MissingSignature(format!(
                    "no {SIGNATURE_HEADER} or {STANDARD_SIGNATURE_HEADER} header"
                )))
            }
        };
        match scheme {
            Scheme::Trillet => {
                let sig = trillet_sig
                    .ok_or_else(|| WebhookError::MissingSignature(format!("no {SIGNATURE_HEADER} header")))?;
                self.verify_trillet(body, sig)?;
                Ok(Verified { scheme, id: None, timestamp: None })
            }
            Scheme::Standard => {
                let (id, ts) = match (first(ID_HEADER), first(TIMESTAMP_HEADER), standard_sig.is_empty()) {
                    (Some(id), Some(ts), false) => (id.trim(), ts.trim()),
                    _ => {
                        let missing: Vec<&str> = [
                            (ID_HEADER, first(ID_HEADER).is_none()),
                            (TIMESTAMP_HEADER, first(TIMESTAMP_HEADER).is_none()),
                            (STANDARD_SIGNATURE_HEADER, standard_sig.is_empty()),
                        ]
                        .into_iter()
                        .filter(|(_, m)| *m)
                        .map(|(n, _)| n)
                        .collect();
                        return Err(WebhookError::MissingSignature(format!("no {} header", missing.join(" or "))));
                    }
                };
                let timestamp = self.verify_standard(body, id, ts, &standard_sig.join(" "))?;
                Ok(Verified { scheme, id: Some(id.to_string()), timestamp: Some(timestamp) })
            }
        }
    }

    /// Verifies, then parses the payload: what a webhook handler wants.
    pub fn construct_event<H>(&self, headers: H, body: &[u8]) -> Result<Event, WebhookError>
    where
        H: IntoIterator,
        H::Item: Header,
    {
        self.verify(headers, body)?;
        parse(body)
    }

    fn verify_trillet(&self, body: &[u8], header: &str) -> Result<(), WebhookError> {
        // Surrounding white space is the header's framing (or a captured value's newline).
        let sig = header.trim_matches(|c: char| c.is_ascii_whitespace());
        if sig.is_empty() {
            return Err(WebhookError::MissingSignature(format!("{SIGNATURE_HEADER} is empty")));
        }
        let hex = match sig.split_once('=') {
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case("sha256") => rest,
            Some((prefix, _)) if prefix.bytes().all(|b| b.is_ascii_alphanumeric()) && prefix.len() <= 16 => {
                return Err(WebhookError::UnsupportedScheme(format!(
                    "{SIGNATURE_HEADER} uses `{prefix}=`; only an HMAC-SHA256 (`sha256=` or bare hex) is checked"
                )))
            }
            _ => sig,
        };
        let expected = decode_hex_32(hex).ok_or_else(|| {
            WebhookError::MalformedSignature(format!(
                "{SIGNATURE_HEADER} is not a hex HMAC-SHA256 (64 hex digits, after an optional `sha256=`)"
            ))
        })?;
        let mut matched = false;
        for secret in &self.secrets {
            let mut m = mac(secret.as_bytes());
            m.update(body);
            matched |= m.verify_slice(&expected).is_ok();
        }
        if matched {
            Ok(())
        } else {
            Err(WebhookError::SignatureMismatch)
        }
    }

    fn verify_standard(&self, body: &[u8], id: &str, ts: &str, signatures: &str) -> Result<i64, WebhookError> {
        if id.is_empty() {
            return Err(WebhookError::MissingSignature(format!("{ID_HEADER} is empty")));
        }
        let timestamp = parse_timestamp(ts).ok_or_else(|| {
            WebhookError::MalformedSignature(format!("{TIMESTAMP_HEADER} is not a whole number of Unix seconds"))
        })?;
        let keys: Vec<Vec<u8>> = self.secrets.iter().filter_map(|s| standard_key(s)).collect();
        if keys.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        let mut v1 = Vec::new();
        let mut other_versions = Vec::new();
        for entry in signatures.split([' ', '\t']).filter(|e| !e.is_empty()) {
            match entry.split_once(',') {
                Some(("v1", sig)) => v1.push(sig),
                Some((version, _)) => other_versions.push(version),
                None => {
                    return Err(WebhookError::MalformedSignature(format!(
                        "{STANDARD_SIGNATURE_HEADER} entries are `<version>,<signature>`"
                    )))
                }
            }
        }
        if v1.is_empty() {
            return Err(if other_versions.is_empty() {
                WebhookError::MissingSignature(format!("{STANDARD_SIGNATURE_HEADER} is empty"))
            } else {
                WebhookError::UnsupportedScheme(format!(
                    "{STANDARD_SIGNATURE_HEADER} has no v1 entry (found {})",
                    other_versions.join(", ")
                ))
            });
        }
        let decoded: Vec<[u8; 32]> = v1.iter().filter_map(|s| decode_base64_32(s)).collect();
        if decoded.is_empty() {
            return Err(WebhookError::MalformedSignature(format!(
                "{STANDARD_SIGNATURE_HEADER} v1 entries are not base64 of an HMAC-SHA256 (44 characters)"
            )));
        }
        let mut matched = false;
        for key in &keys {
            let mut m = mac(key);
            m.update(id.as_bytes());
            m.update(b".");
            m.update(ts.as_bytes());
            m.update(b".");
            m.update(body);
            for expected in &decoded {
                matched |= m.clone().verify_slice(expected).is_ok();
            }
        }
        if !matched {
            return Err(WebhookError::SignatureMismatch);
        }
        let now = unix_seconds(self.now.unwrap_or_else(SystemTime::now));
        let tolerance = self.tolerance.as_secs();
        let tolerance_i = i64::try_from(tolerance).unwrap_or(i64::MAX);
        if timestamp < now.saturating_sub(tolerance_i) {
            return Err(WebhookError::TimestampTooOld { age_secs: now.abs_diff(timestamp), tolerance_secs: tolerance });
        }
        if timestamp > now.saturating_add(tolerance_i) {
            return Err(WebhookError::TimestampInFuture {
                ahead_secs: timestamp.abs_diff(now),
                tolerance_secs: tolerance,
            });
        }
        Ok(timestamp)
    }
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// The current Unix time in seconds: the `webhook-timestamp` of a message signed now.
pub fn now_unix() -> i64 {
    unix_seconds(SystemTime::now())
}

/// A fresh message id for the `standard` scheme's `webhook-id` (`msg_` and 24 hex digits).
pub fn new_message_id() -> String {
    format!("msg_{:016x}{:08x}", crate::util::random_u64(), crate::util::random_u64() as u32)
}

/// Unix seconds as the `standard` scheme spells them: ASCII digits only, at most 12.
fn parse_timestamp(ts: &str) -> Option<i64> {
    if ts.is_empty() || ts.len() > 12 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ts.parse().ok()
}

/// The `standard` scheme's key: the base64 after an optional `whsec_`.
fn standard_key(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    decode_base64(encoded, false).filter(|k| !k.is_empty())
}

/// The signature Trillet sends in `X-Trillet-Signature` for `body` (the `trillet` scheme):
/// lower-case hex HMAC-SHA256 keyed with `secret` as issued.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut m = mac(secret.as_bytes());
    m.update(body);
    m.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The `webhook-signature` value of the `standard` scheme for a message: `v1,<base64>`.
///
/// Fails with [`WebhookError::InvalidSecret`] when `secret` is not base64 after `whsec_`, and
/// with [`WebhookError::MissingSecret`] when it is empty.
pub fn sign_standard(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::MissingSecret);
    }
    let key = standard_key(secret).ok_or(WebhookError::InvalidSecret)?;
    let mut m = mac(&key);
    m.update(format!("{id}.{timestamp}.").as_bytes());
    m.update(body);
    Ok(format!("v1,{}", crate::util::base64_encode(&m.finalize().into_bytes())))
}

/// Every header a sender adds for `body` in `scheme`: `X-Trillet-Signature`, or `webhook-id`,
/// `webhook-timestamp` and `webhook-signature` (`id` and `timestamp` are used by `standard` only).
pub fn sign_headers(
    scheme: Scheme,
    secret: &str,
    body: &[u8],
    id: &str,
    timestamp: i64,
) -> Result<Vec<(String, String)>, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::MissingSecret);
    }
    Ok(match scheme {
        Scheme::Trillet => vec![(SIGNATURE_HEADER.to_string(), sign(secret, body))],
        Scheme::Standard => vec![
            (ID_HEADER.to_string(), id.to_string()),
            (TIMESTAMP_HEADER.to_string(), timestamp.to_string()),
            (STANDARD_SIGNATURE_HEADER.to_string(), sign_standard(secret, id, timestamp, body)?),
        ],
    })
}

/// Checks an `X-Trillet-Signature` value against the raw body with one secret, in constant time
/// (the `trillet` scheme): exactly 64 hex digits in either case, after an optional `sha256=`;
/// surrounding white space is ignored.
/// [`Verifier`] checks both schemes and several secrets.
pub fn verify(secret: &str, body: &[u8], signature_header: &str) -> Result<(), WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::MissingSecret);
    }
    Verifier::new([secret]).verify_trillet(body, signature_header)
}

/// Parses a payload: `{"event": "...", "data": {...}}`.
pub fn parse(body: &[u8]) -> Result<Event, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::InvalidPayload(crate::error::plain_json_error(&e)))
}

/// Verifies an `X-Trillet-Signature` with one secret ([`verify`]), then parses. For the
/// `standard` scheme, rotation and tolerance, use [`Verifier::construct_event`].
pub fn construct_event(secret: &str, body: &[u8], signature_header: &str) -> Result<Event, WebhookError> {
    verify(secret, body, signature_header)?;
    parse(body)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Exactly 64 hex digits (either case), nothing else: no sign, no white space.
fn decode_hex_32(s: &str) -> Option<[u8; 32]> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

fn base64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Standard base64. With `canonical`, exactly what an encoder writes: padded to a multiple of
/// 4, unused bits zero. Without, padding may be left out (secrets).
fn decode_base64(s: &str, canonical: bool) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let data = bytes.strip_suffix(b"==").or_else(|| bytes.strip_suffix(b"=")).unwrap_or(bytes);
    let padding = bytes.len() - data.len();
    if canonical && bytes.len() % 4 != 0 {
        return None;
    }
    if padding > 0 && bytes.len() % 4 != 0 {
        return None;
    }
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0u32);
    for &c in data {
        buf = (buf << 6) | u32::from(base64_value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    if canonical && buf != 0 {
        return None;
    }
    Some(out)
}

fn decode_base64_32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 44 {
        return None;
    }
    decode_base64(s, true)?.try_into().ok()
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
        verify("Jefe", body, &format!("  {RFC4231_2}\t\r\n")).unwrap();
        let mut changed = body.to_vec();
        changed[0] ^= 1;
        assert_eq!(verify("Jefe", &changed, RFC4231_2), Err(WebhookError::SignatureMismatch));
        assert_eq!(verify("Jefx", body, RFC4231_2), Err(WebhookError::SignatureMismatch));
        assert!(matches!(verify("Jefe", body, ""), Err(WebhookError::MissingSignature(_))));
        assert!(matches!(verify("Jefe", body, "zz"), Err(WebhookError::MalformedSignature(_))));
        assert!(matches!(verify("Jefe", body, "abcd"), Err(WebhookError::MalformedSignature(_))));
        assert!(matches!(verify("Jefe", body, "é"), Err(WebhookError::MalformedSignature(_))));
        assert!(matches!(verify("Jefe", body, &format!("sha1={RFC4231_2}")), Err(WebhookError::UnsupportedScheme(_))));
        assert_eq!(verify("", body, RFC4231_2), Err(WebhookError::MissingSecret));
        assert_eq!(verify("Jefe", body, RFC4231_2).map_err(|e| e.code()), Ok(()));
        assert_eq!(WebhookError::SignatureMismatch.code(), "bad_signature");
    }

    #[test]
    fn a_sign_before_a_hex_digit_is_refused() {
        // `u8::from_str_radix("+5", 16)` is Ok(5): the old decoder accepted `+5d06…` for `05d06…`.
        let body = b"x";
        let sig = sign("k", body);
        for (i, _) in sig.char_indices().step_by(2) {
            if &sig[i..i + 1] == "0" {
                let mut forged = sig.clone();
                forged.replace_range(i..i + 1, "+");
                assert!(matches!(verify("k", body, &forged), Err(WebhookError::MalformedSignature(_))), "{forged}");
            }
        }
        assert!(decode_hex_32(&format!("+{}", &"0".repeat(63))).is_none());
        assert!(decode_hex_32(&format!("-{}", &"0".repeat(63))).is_none());
    }

    #[test]
    fn whsec_prefix_is_part_of_the_trillet_key_but_not_of_the_standard_key() {
        let body = b"{}";
        assert_ne!(sign("whsec_abc", body), sign("abc", body));
        verify("whsec_abc", body, &sign("whsec_abc", body)).unwrap();
        assert_eq!(sign_standard("whsec_c2VjcmV0", "m", 1, body), sign_standard("c2VjcmV0", "m", 1, body));
        assert_eq!(sign_standard("whsec_not base64!", "m", 1, body), Err(WebhookError::InvalidSecret));
    }

    #[test]
    fn canonical_base64_only() {
        let sig = crate::util::base64_encode(&[7u8; 32]);
        assert_eq!(decode_base64_32(&sig), Some([7u8; 32]));
        // The same bytes with a non-zero unused bit, or without padding, are refused.
        let last = sig.as_bytes()[42];
        let mut odd = sig.clone().into_bytes();
        odd[42] = if last == b'A' { b'B' } else { last ^ 1 };
        assert!(decode_base64_32(std::str::from_utf8(&odd).unwrap()).is_none());
        assert!(decode_base64_32(sig.trim_end_matches('=')).is_none());
        assert!(decode_base64_32(&sig.replace('+', "-")).is_none() || !sig.contains('+'));
        assert_eq!(decode_base64("c2VjcmV0", false).unwrap(), b"secret");
        assert_eq!(decode_base64("YQ", false).unwrap(), b"a");
        assert!(decode_base64("YQ", true).is_none());
        assert!(decode_base64("Y", false).is_none());
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

    #[test]
    fn every_error_has_its_code_and_the_mismatch_says_to_pass_raw_bytes() {
        let e = WebhookError::SignatureMismatch;
        assert!(e.to_string().contains("raw request bytes"), "{e}");
        let e: crate::Error = WebhookError::TimestampTooOld { age_secs: 400, tolerance_secs: 300 }.into();
        assert_eq!((e.kind(), e.code()), ("invalid_input", "timestamp_too_old"));
        assert!(e.message().contains("400 s old"), "{}", e.message());
    }
}
