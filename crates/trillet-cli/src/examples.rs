//! The `Example:` line of an action's `--help`, built from the API spec
//! (`tests/fixtures/endpoints.json`, embedded as the sandbox embeds it): the path parameters as
//! `<name>` placeholders, then a `--body` carrying every field the spec marks required, each
//! with the spec's default, else its first enum value, else its description's sample, else a
//! value that fits the field. With
//! the placeholders replaced by ids, the line runs as written (tests run a sample against a
//! sandbox).

use serde_json::{Map, Value};
use std::sync::OnceLock;
use trillet::operations::{BodyKind, Operation};

/// The spec file, as committed.
const SPEC_JSON: &str = include_str!("../../../tests/fixtures/endpoints.json");

/// The endpoints of the spec (superseded rows dropped).
fn endpoints() -> &'static [Value] {
    static SPEC: OnceLock<Vec<Value>> = OnceLock::new();
    SPEC.get_or_init(|| {
        let doc: Value = serde_json::from_str(SPEC_JSON).expect("tests/fixtures/endpoints.json is JSON");
        doc.as_array().into_iter().flatten().filter(|e| e["superseded_by"].is_null()).cloned().collect()
    })
}

/// The spec's body fields of `op` (matched by method and path), or none.
fn spec_body(op: &Operation) -> Option<&'static Map<String, Value>> {
    endpoints()
        .iter()
        .find(|e| {
            e["method"].as_str().is_some_and(|m| m.eq_ignore_ascii_case(op.method.as_str()))
                && e["path"].as_str() == Some(op.path)
        })
        .and_then(|e| e["body"].as_object())
}

/// The example command line of `op`.
pub fn example(op: &Operation) -> String {
    let mut line = format!("trillet {} {}", op.resource(), op.action());
    for name in op.path_params() {
        line.push_str(&format!(" <{name}>"));
    }
    let fields = spec_body(op);
    let mut body = Map::new();
    let mut files = Vec::new();
    for (name, field) in fields.into_iter().flatten() {
        if field["required"] != Value::Bool(true) {
            continue;
        }
        if field["type"] == "file" {
            files.push(name.clone());
        } else {
            body.insert(name.clone(), value_for(name, field));
        }
    }
    if op.body == BodyKind::Multipart {
        if files.is_empty() {
            files.push(op.file_field.unwrap_or("file").to_string());
        }
        for f in files {
            line.push_str(&format!(" --file {f}=./{}", sample_file(op)));
        }
    }
    if op.body != BodyKind::None && !body.is_empty() {
        line.push_str(&format!(" --body '{}'", Value::Object(body)));
    }
    line
}

/// A file name fitting what the upload takes.
fn sample_file(op: &Operation) -> &'static str {
    if op.id.contains("batch") {
        "calls.csv"
    } else if op.id.contains("voice") {
        "voice.wav"
    } else {
        "faq.pdf"
    }
}

/// A value for a required field: its default, else its first enum value, else the first sample
/// its description gives, else one by its name and type.
fn value_for(name: &str, field: &Value) -> Value {
    if !field["default"].is_null() {
        return field["default"].clone();
    }
    if let Some(first) = field["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(sample) = field["desc"].as_str().and_then(sample_in) {
        return sample.into();
    }
    match field["type"].as_str().unwrap_or("string") {
        "number" | "integer" => 1.into(),
        "boolean" => false.into(),
        "object" => {
            let mut map = Map::new();
            for (sub, f) in field["properties"].as_object().into_iter().flatten() {
                if f["required"] == Value::Bool(true) {
                    map.insert(sub.clone(), value_for(sub, f));
                }
            }
            Value::Object(map)
        }
        t if t.starts_with("array") => Value::Array(Vec::new()),
        _ => string_for(name).into(),
    }
}

/// The first sample a field's description gives: after `e.g.` (`Trillet voices e.g.
/// mistv2_Wildflower, ...`), quoted (`'simple' (marked required)`), or the first of `a | b | c`.
fn sample_in(desc: &str) -> Option<&str> {
    let word = if let Some((_, after)) = desc.split_once("e.g. ") {
        after.split([',', ' ', ';', ')']).next()?.trim_end_matches('.')
    } else if let Some((_, after)) = desc.split_once('\'') {
        after.split_once('\'')?.0
    } else if desc.contains(" | ") {
        desc.split(" | ").next()?.trim()
    } else {
        return None;
    };
    (!word.is_empty() && !word.contains(' ')).then_some(word)
}

/// A string that fits a field by its name: an id placeholder, a phone number, an e-mail, a name.
fn string_for(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("id") || lower == "agent" || lower.ends_with("identity") || lower == "roomname" {
        format!("<{name}>")
    } else if lower == "to" || lower.contains("phone") || lower.contains("number") {
        "+14155550123".into()
    } else if lower.contains("email") {
        "ada@example.com".into()
    } else if lower == "initials" {
        "SU".into()
    } else if lower.contains("name") {
        "Support".into()
    } else if lower.contains("country") {
        "US".into()
    } else {
        "example".into()
    }
}
