//! The operations catalog as committed (`bindings/operations.json`): the library's catalog
//! ([`crate::operations::catalog_json`], what `trillet_operations()` returns) plus the models each
//! operation sends and answers with, so the binding generators read types from one file.
//!
//! Added to each operation (after the library catalog's keys):
//! - `request_model`: the component name of the body's model (`"CreateAgent"`; for a multipart
//!   upload, the model of its text fields; the file part is the row's `file_field`), or `null`
//!   when the operation takes no body;
//! - `response_model`: the component name of the successful JSON answer (`"Agent"`,
//!   `"List_Agent"`), or `null` for a text (CSV) or binary (recording) answer;
//! - `response_nullable`: whether the answer may be empty (`null`), read as the model's default.
//!
//! Added at the top level, `models`: every model by name (the names of `bindings/openapi.json`'s
//! `components.schemas`), one per line, each one of:
//! - `{"kind": "object", "description", "fields": [...], "additional_properties": true}`, each field
//!   `{"name", "aliases", "required", "nullable", "type", "description", "schema"}`: `name` is the
//!   canonical wire name (the one the SDK sends), `aliases` the other spellings the models accept
//!   when reading (serde aliases; the document's `x-aliases`), `required` whether the model needs
//!   it, `nullable` whether `null` is accepted, `type` a short readable type (`string`,
//!   `array<ActiveSession>`, `string | ObjectRef`), `schema` its exact JSON Schema (references are
//!   `#/components/schemas/<model>`);
//! - `{"kind": "list", "description", "items": "<model>", "envelope_keys": [...], "pagination":
//!   "<model>"}`: a list answer (a bare array; an object carrying the array under one of
//!   `envelope_keys`, and page metadata under `pagination`; one object; or `null`);
//! - `{"kind": "schema", "description", "schema"}`: anything else (a union, an enum of strings).

use serde_json::value::RawValue;
use serde_json::{json, Value};

/// The catalog file: one operation, one setting and one model per line.
pub fn catalog_file() -> String {
    #[derive(serde::Deserialize)]
    struct Catalog<'a> {
        version: String,
        #[serde(borrow)]
        operations: Vec<&'a RawValue>,
        #[serde(borrow)]
        settings: Vec<&'a RawValue>,
    }
    let text = crate::operations::catalog_json();
    let library: Catalog<'_> = serde_json::from_str(&text).expect("the library catalog is valid JSON");
    let (doc, models) = super::build();
    let line = |v: &Value| serde_json::to_string(v).expect("a JSON value always serializes");
    // The library's rows as it writes them (keys in its order), then the models' keys.
    let operations: Vec<String> = library
        .operations
        .iter()
        .zip(&models)
        .map(|(row, named)| {
            let row = row.get().trim_end();
            let open = row.strip_suffix('}').expect("an operation is a JSON object");
            format!(
                "{open},\"request_model\":{},\"response_model\":{},\"response_nullable\":{}}}",
                line(&json!(named.request)),
                line(&json!(named.response)),
                named.response_nullable,
            )
        })
        .collect();
    let settings: Vec<&str> = library.settings.iter().map(|s| s.get()).collect();
    let schemas = doc["components"]["schemas"].as_object().expect("the document has schemas");
    let models: Vec<String> =
        schemas.iter().map(|(name, schema)| format!("{}:{}", line(&json!(name)), line(&model(name, schema)))).collect();
    format!(
        "{{\"version\":{},\"operations\":[\n{}\n],\"settings\":[\n{}\n],\"models\":{{\n{}\n}}}}\n",
        line(&json!(library.version)),
        operations.join(",\n"),
        settings.join(",\n"),
        models.join(",\n"),
    )
}

/// One model's entry (see the module docs).
fn model(name: &str, schema: &Value) -> Value {
    let description = schema["description"].clone();
    if let Some(props) = schema["properties"].as_object().filter(|_| schema.get("anyOf").is_none()) {
        let required: Vec<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let fields: Vec<Value> = props
            .iter()
            .map(|(field, prop)| {
                let mut exact = prop.clone();
                let (aliases, field_description) = match exact.as_object_mut() {
                    Some(map) => (map.remove(crate::models::schema::ALIASES_KEY), map.remove("description")),
                    None => (None, None),
                };
                json!({
                    "name": field,
                    "aliases": aliases.unwrap_or_else(|| json!([])),
                    "required": required.contains(&field.as_str()),
                    "nullable": nullable(prop),
                    "type": super::fields::kind(prop),
                    "description": field_description,
                    "schema": exact,
                })
            })
            .collect();
        let open = schema.get("additionalProperties") != Some(&json!(false));
        return json!({"kind": "object", "description": description, "fields": fields, "additional_properties": open});
    }
    if name.starts_with("List_") {
        let array = &schema["anyOf"][0];
        let items = super::ref_name(&array["items"]);
        let envelope: Vec<&String> = schema["anyOf"][1]["properties"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.keys())
            .filter(|k| *k != "pagination")
            .collect();
        let pagination = super::ref_name(&schema["anyOf"][1]["properties"]["pagination"]);
        return json!({"kind": "list", "description": description, "items": items, "envelope_keys": envelope,
            "pagination": pagination});
    }
    let mut exact = schema.clone();
    if let Some(map) = exact.as_object_mut() {
        map.remove("description");
    }
    json!({"kind": "schema", "description": description, "schema": exact})
}

/// Whether a field's schema accepts `null`.
fn nullable(schema: &Value) -> bool {
    let null = json!("null");
    match &schema["type"] {
        Value::String(t) => t == "null",
        Value::Array(types) => types.contains(&null),
        Value::Null => {
            // No `type`: any value (null included) unless the alternatives say otherwise.
            match schema["anyOf"].as_array().or_else(|| schema["oneOf"].as_array()) {
                Some(branches) => branches.iter().any(nullable),
                None => schema.get("$ref").is_none(),
            }
        }
        _ => false,
    }
}
