//! Helpers shared by the `typed_*` tests.
#![allow(dead_code)]

use serde_json::Value;
use std::sync::{Arc, Mutex};

/// The workspace id every test client sends.
pub const WS: &str = "64a1b2c3d4e5f6a7b8c9d0e1";

/// A client for a mockito server: no retries, no environment.
pub fn client(server: &mockito::Server) -> trillet::Client {
    trillet::Client::builder()
        .base_url(server.url())
        .api_key("sk_test")
        .workspace_id(WS)
        .max_retries(0)
        .ignore_env()
        .build()
        .expect("client builds")
}

/// The spec's endpoint entries (`tests/fixtures/endpoints.json`).
pub fn spec() -> Vec<Value> {
    serde_json::from_str(include_str!("../fixtures/endpoints.json")).expect("fixture is JSON")
}

/// The spec entry with this method and path template.
pub fn spec_entry<'a>(spec: &'a [Value], method: &str, path: &str) -> Option<&'a Value> {
    spec.iter().find(|e| e["method"] == method && e["path"] == path)
}

/// A value with every `null` object member removed and every number as f64, so a model's
/// serialization can be compared with the JSON it was read from (absent and null read alike;
/// 5 and 5.0 are the same number).
pub fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::Number(n) => Value::from(n.as_f64().expect("finite number")),
        other => other.clone(),
    }
}

/// What a mock saw: the body and content type of the last matching request.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Seen>>);

/// The body and content type of a request.
type Seen = Option<(Vec<u8>, String)>;

impl Captured {
    /// A request matcher that records the request and matches it.
    pub fn matcher(&self) -> impl Fn(&mockito::Request) -> bool + Send + Sync + 'static {
        let slot = self.0.clone();
        move |req: &mockito::Request| {
            let body = req.body().expect("body readable").clone();
            let ct = req.header("content-type").first().and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
            *slot.lock().unwrap() = Some((body, ct));
            true
        }
    }

    /// The recorded body and content type.
    pub fn get(&self) -> (Vec<u8>, String) {
        self.0.lock().unwrap().clone().expect("the mock saw a request")
    }
}

/// The boundary of a `multipart/form-data; boundary=...` content type.
pub fn boundary(content_type: &str) -> String {
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .to_string()
}

/// Mocks that fail their `assert` if the server sees any request, whatever its method.
pub fn expect_no_requests(server: &mut mockito::Server) -> Vec<mockito::Mock> {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .map(|m| server.mock(m, mockito::Matcher::Any).match_query(mockito::Matcher::Any).expect(0).create())
        .collect()
}
