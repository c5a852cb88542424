//! The top-level fields of each operation's request body, read from the document: what
//! `trillet <resource> <action> --help` lists.

use serde_json::Value;

/// One top-level field of a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyField {
    /// The field's name on the wire (`ttsModel`).
    pub name: String,
    /// A short type (`string`, `integer`, `boolean`, `array<string>`, `TtsModel`, `string | object`,
    /// `file` for an upload's file part).
    pub kind: String,
    /// Whether the body must carry it.
    pub required: bool,
}

/// The body fields of every operation that takes a body, by operation id, from `doc` (the
/// [`super::document`]): `(operation id, fields)` in table order, fields in schema order (sorted).
pub fn body_fields(doc: &Value) -> Vec<(String, Vec<BodyField>)> {
    let schemas = &doc["components"]["schemas"];
    let mut out = Vec::new();
    for item in doc["paths"].as_object().into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            let Some(content) = op["requestBody"]["content"].as_object() else { continue };
            let Some(media) = content.values().next() else { continue };
            let schema = deref(&media["schema"], schemas);
            let required: Vec<&str> =
                schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let fields = schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, s)| BodyField {
                    name: name.clone(),
                    kind: kind(s),
                    required: required.contains(&name.as_str()),
                })
                .collect();
            out.push((op["operationId"].as_str().unwrap_or_default().to_string(), fields));
        }
    }
    out
}

fn deref<'a>(schema: &'a Value, schemas: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &schemas[name],
        None => schema,
    }
}

/// A short name for a schema's type (`null` dropped from unions).
pub(super) fn kind(schema: &Value) -> String {
    if schema.get("contentMediaType").is_some() {
        return "file".into();
    }
    if let Some(name) = schema["$ref"].as_str().and_then(|r| r.rsplit('/').next()) {
        return name.to_string();
    }
    let alternatives = schema["anyOf"].as_array().or_else(|| schema["oneOf"].as_array());
    if let Some(alternatives) = alternatives {
        let kinds: Vec<String> = alternatives.iter().map(kind).filter(|k| k != "null").collect();
        return if kinds.is_empty() { "null".into() } else { kinds.join(" | ") };
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => vec![],
    };
    match types.as_slice() {
        [] => "any".into(),
        ["array"] => format!("array<{}>", kind(&schema["items"])),
        _ => types.join(" | "),
    }
}
