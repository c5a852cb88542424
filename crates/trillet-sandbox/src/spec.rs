//! The API spec the sandbox stands in for: `tests/fixtures/endpoints.json` (a copy of the
//! published spec, kept in the workspace's tests), embedded at build time. The sandbox's notion
//! of a valid request body and of a valid stored document comes from here — the fields of each
//! endpoint, their types and descriptions, and the response examples — not from the client's
//! models (see `handlers/valid.rs`). Required fields and enums are not enforced: the sandbox fills
//! in defaults as the API does, and the spec's enums differ between doc builds (`enum_alt`).

use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The spec file, as committed.
const SPEC_JSON: &str = include_str!("../../../tests/fixtures/endpoints.json");

/// The endpoints of the spec.
#[derive(Debug)]
pub(crate) struct Spec {
    endpoints: Vec<Endpoint>,
}

/// One endpoint: its method, path template, body fields and response example.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub method: String,
    pub path: String,
    pub body: Vec<(String, Field)>,
    pub response_example: Value,
}

/// A field of a body (or of an object or array item inside it).
#[derive(Debug, Default)]
pub(crate) struct Field {
    /// `string`, `number`, `boolean`, `object`, `array`, `array<string>` or `file`.
    pub ty: String,
    pub desc: String,
    /// The fields of an object, or of each item of an array.
    pub fields: Vec<(String, Field)>,
}

impl Spec {
    /// The embedded spec, parsed once.
    pub fn get() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| Spec::parse(SPEC_JSON).expect("tests/fixtures/endpoints.json is the spec's shape"))
    }

    fn parse(text: &str) -> Result<Spec, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let endpoints = doc.as_array().ok_or("the spec is a list of endpoints")?;
        let endpoints = endpoints
            .iter()
            // Rows the spec marks superseded describe an older path of the same operation.
            .filter(|e| e["superseded_by"].is_null())
            .filter_map(|e| {
                Some(Endpoint {
                    method: e["method"].as_str()?.to_ascii_uppercase(),
                    path: e["path"].as_str()?.to_string(),
                    body: e["body"].as_object().map(fields).unwrap_or_default(),
                    response_example: e["response_example"].clone(),
                })
            })
            .collect();
        Ok(Spec { endpoints })
    }

    /// The endpoint with this method and path template (as the operation table spells it).
    pub fn operation(&self, method: &str, path: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.method.eq_ignore_ascii_case(method) && same_template(&e.path, path))
    }
}

impl Endpoint {
    /// The body field called `name`.
    #[cfg(test)]
    pub fn body_field(&self, name: &str) -> Option<&Field> {
        self.body.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }
}

fn fields(map: &Map<String, Value>) -> Vec<(String, Field)> {
    map.iter().map(|(name, f)| (name.clone(), field(f))).collect()
}

fn field(f: &Value) -> Field {
    let nested = f["properties"].as_object().or_else(|| f["items"].as_object());
    Field {
        ty: f["type"].as_str().unwrap_or("string").to_string(),
        desc: f["desc"].as_str().unwrap_or_default().to_string(),
        fields: nested.map(fields).unwrap_or_default(),
    }
}

/// Whether two path templates are the same up to the names of their parameters.
fn same_template(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x == y || x.starts_with('{') && y.starts_with('{'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec() {
        let spec = Spec::get();
        assert!(spec.endpoints.len() > 70, "{}", spec.endpoints.len());
        let create = spec.operation("post", "/v1/api/agents").unwrap();
        let name = create.body_field("name").unwrap();
        assert_eq!(name.ty, "string");
        let tts = create.body_field("ttsModel").unwrap();
        assert!(tts.fields.iter().any(|(n, f)| n == "provider" && f.ty == "string"));
        let get = spec.operation("GET", "/v1/api/agents/{id}").unwrap();
        assert!(get.response_example.is_object());
        assert!(spec.operation("GET", "/v1/api/nowhere").is_none());
    }
}
