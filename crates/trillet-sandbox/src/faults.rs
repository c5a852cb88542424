//! Fault injection: faults queued for the next N requests to an operation (or to any, `*`).
//!
//! The wire form (`POST /__sandbox/faults`) is
//! `{"operation": "<op id>" | "*", "count": N, "fault": F}` where F is one of
//! `{"type":"status","status":503,"body":…,"headers":{…}}`, `{"type":"delay","ms":1500}`,
//! `{"type":"reset"}`, `{"type":"malformed_json"}`, `{"type":"oversized","bytes":N}` or
//! `{"type":"deep_json","depth":N,"status":S}` (`status` defaults to 200).

use serde_json::Value;
use std::time::Duration;

/// Longest delay accepted (10 minutes).
pub(crate) const MAX_DELAY_MS: u64 = 600_000;
/// Deepest `deep_json` body accepted.
pub(crate) const MAX_DEEP_JSON: u64 = 10_000_000;
/// Largest oversized body accepted (256 MiB).
pub(crate) const MAX_OVERSIZED_BYTES: u64 = 256 * 1024 * 1024;

/// One injected fault.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fault {
    /// Answer with this status, body and headers instead of the operation's answer.
    Status { status: u16, body: Option<Value>, headers: Vec<(String, String)> },
    /// Wait, then answer normally.
    Delay(Duration),
    /// Close the connection without answering.
    Reset,
    /// 200 with a body that is not valid JSON.
    MalformedJson,
    /// 200 with a valid JSON body of about this many bytes.
    Oversized(usize),
    /// This status with a JSON body of arrays nested this deep (`[[…]]`).
    DeepJson { status: u16, depth: usize },
}

impl Fault {
    /// Reads a fault from its JSON form.
    pub fn parse(v: &Value) -> Result<Fault, String> {
        let obj = v.as_object().ok_or("`fault` must be an object with a `type`")?;
        let kind = obj.get("type").and_then(Value::as_str).ok_or("`fault.type` must be a string")?;
        match kind {
            "status" => {
                let status = obj
                    .get("status")
                    .and_then(Value::as_u64)
                    .filter(|s| (200..=599).contains(s))
                    .ok_or("`fault.status` must be an HTTP status between 200 and 599")?;
                let mut headers = Vec::new();
                match obj.get("headers") {
                    None | Some(Value::Null) => {}
                    Some(Value::Object(map)) => {
                        for (name, value) in map {
                            let value = match value {
                                Value::String(s) => s.clone(),
                                Value::Number(n) => n.to_string(),
                                _ => return Err(format!("header {name:?} must be a string or a number")),
                            };
                            if !is_token(name) || value.bytes().any(|b| b < 0x20 && b != b'\t') {
                                return Err(format!("header {name:?} is not a valid HTTP header"));
                            }
                            headers.push((name.clone(), value));
                        }
                    }
                    Some(_) => return Err("`fault.headers` must be an object".into()),
                }
                Ok(Fault::Status { status: status as u16, body: obj.get("body").cloned(), headers })
            }
            "delay" => {
                let ms = obj
                    .get("ms")
                    .and_then(Value::as_u64)
                    .filter(|ms| *ms <= MAX_DELAY_MS)
                    .ok_or(format!("`fault.ms` must be a whole number of milliseconds up to {MAX_DELAY_MS}"))?;
                Ok(Fault::Delay(Duration::from_millis(ms)))
            }
            "deep_json" => {
                let depth = obj
                    .get("depth")
                    .and_then(Value::as_u64)
                    .filter(|d| *d <= MAX_DEEP_JSON)
                    .ok_or(format!("`fault.depth` must be a whole number up to {MAX_DEEP_JSON}"))?;
                let status = match obj.get("status") {
                    None | Some(Value::Null) => 200,
                    Some(v) => v
                        .as_u64()
                        .filter(|s| (200..=599).contains(s))
                        .ok_or("`fault.status` must be an HTTP status between 200 and 599")?,
                };
                Ok(Fault::DeepJson { status: status as u16, depth: depth as usize })
            }
            "reset" => Ok(Fault::Reset),
            "malformed_json" => Ok(Fault::MalformedJson),
            "oversized" => {
                let bytes = obj
                    .get("bytes")
                    .and_then(Value::as_u64)
                    .filter(|b| *b <= MAX_OVERSIZED_BYTES)
                    .ok_or(format!("`fault.bytes` must be a whole number up to {MAX_OVERSIZED_BYTES}"))?;
                Ok(Fault::Oversized(bytes as usize))
            }
            other => Err(format!(
                "unknown fault type {other:?} (expected status, delay, reset, malformed_json, oversized or deep_json)"
            )),
        }
    }
}

fn is_token(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Faults waiting for requests, first queued first used.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    operation: String,
    fault: Fault,
    remaining: u32,
}

impl FaultQueue {
    /// Queues `fault` for the next `count` requests to `operation` (`*` for any).
    pub fn push(&mut self, operation: &str, count: u32, fault: Fault) {
        self.entries.push(Entry { operation: operation.to_string(), fault, remaining: count });
    }

    /// Takes the fault for a request to `operation` (`None` for a path no operation matches):
    /// a fault queued for that operation first, else one queued for `*`.
    pub fn take(&mut self, operation: Option<&str>) -> Option<Fault> {
        let pos = operation
            .and_then(|op| self.entries.iter().position(|e| e.operation == op))
            .or_else(|| self.entries.iter().position(|e| e.operation == "*"))?;
        let entry = &mut self.entries[pos];
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.entries.remove(pos);
        }
        Some(fault)
    }

    /// What is still queued: `[{"operation", "remaining", "fault"}]` (fault as its `type`).
    pub fn describe(&self) -> Value {
        Value::Array(
            self.entries
                .iter()
                .map(|e| {
                    let kind = match e.fault {
                        Fault::Status { .. } => "status",
                        Fault::Delay(_) => "delay",
                        Fault::Reset => "reset",
                        Fault::MalformedJson => "malformed_json",
                        Fault::Oversized(_) => "oversized",
                        Fault::DeepJson { .. } => "deep_json",
                    };
                    serde_json::json!({"operation": e.operation, "remaining": e.remaining, "type": kind})
                })
                .collect(),
        )
    }

    /// Drops every queued fault.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// A valid JSON document of about `bytes` bytes: `{"padding":"xxxx…"}`.
pub(crate) fn oversized_body(bytes: usize) -> Vec<u8> {
    let frame = br#"{"padding":""}"#;
    let mut out = Vec::with_capacity(bytes.max(frame.len()));
    out.extend_from_slice(br#"{"padding":""#);
    out.resize(out.len() + bytes.saturating_sub(frame.len()), b'x');
    out.extend_from_slice(br#""}"#);
    out
}

/// `depth` nested arrays: `[[[]]]` for 3.
pub(crate) fn deep_json(depth: usize) -> Vec<u8> {
    let mut out = vec![b'['; depth];
    out.resize(depth * 2, b']');
    out
}

/// A 200 body that starts like JSON and is not.
pub(crate) const MALFORMED_JSON: &str = r#"{"_id": "665a1b2c3d4e5f6a7b8c9d0e", "name": "#;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_every_fault_type() {
        let f = Fault::parse(&json!({"type":"status","status":503,"body":{"a":1},"headers":{"Retry-After":"1"}}));
        assert_eq!(
            f.unwrap(),
            Fault::Status {
                status: 503,
                body: Some(json!({"a":1})),
                headers: vec![("Retry-After".into(), "1".into())]
            }
        );
        assert_eq!(
            Fault::parse(&json!({"type":"delay","ms":1500})).unwrap(),
            Fault::Delay(Duration::from_millis(1500))
        );
        assert_eq!(Fault::parse(&json!({"type":"reset"})).unwrap(), Fault::Reset);
        assert_eq!(Fault::parse(&json!({"type":"malformed_json"})).unwrap(), Fault::MalformedJson);
        assert_eq!(Fault::parse(&json!({"type":"oversized","bytes":10})).unwrap(), Fault::Oversized(10));
        assert_eq!(
            Fault::parse(&json!({"type":"deep_json","depth":5})).unwrap(),
            Fault::DeepJson { status: 200, depth: 5 }
        );
        assert_eq!(
            Fault::parse(&json!({"type":"deep_json","depth":5,"status":400})).unwrap(),
            Fault::DeepJson { status: 400, depth: 5 }
        );
        assert_eq!(deep_json(3), b"[[[]]]");
    }

    #[test]
    fn rejects_bad_faults() {
        for bad in [
            json!("reset"),
            json!({}),
            json!({"type":"explode"}),
            json!({"type":"status"}),
            json!({"type":"status","status":99}),
            json!({"type":"status","status":503,"headers":{"Bad Name":"x"}}),
            json!({"type":"status","status":503,"headers":{"X":"a\r\nb"}}),
            json!({"type":"delay","ms":-1}),
            json!({"type":"delay","ms":MAX_DELAY_MS + 1}),
            json!({"type":"oversized"}),
            json!({"type":"deep_json"}),
            json!({"type":"deep_json","depth":5,"status":700}),
        ] {
            assert!(Fault::parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn specific_faults_come_before_wildcards_and_run_out() {
        let mut q = FaultQueue::default();
        q.push("*", 1, Fault::Reset);
        q.push("agents.get", 2, Fault::MalformedJson);
        assert_eq!(q.take(Some("agents.get")), Some(Fault::MalformedJson));
        assert_eq!(q.take(Some("agents.get")), Some(Fault::MalformedJson));
        assert_eq!(q.take(Some("agents.get")), Some(Fault::Reset));
        assert_eq!(q.take(Some("agents.get")), None);
        q.push("*", 1, Fault::Reset);
        assert_eq!(q.take(None), Some(Fault::Reset));
        assert_eq!(q.describe(), json!([]));
    }

    #[test]
    fn oversized_bodies_are_valid_json_of_the_asked_size() {
        for n in [0, 5, 14, 15, 1000, 100_000] {
            let body = oversized_body(n);
            assert!(serde_json::from_slice::<Value>(&body).is_ok(), "{n}");
            assert_eq!(body.len(), n.max(14), "{n}");
        }
        assert!(serde_json::from_str::<Value>(MALFORMED_JSON).is_err());
    }
}
