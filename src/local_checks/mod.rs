//! Checks made before anything is sent, keyed by operation, in the one pipeline every surface
//! uses: the typed Rust API, the C ABI, and so Python, Go, Node and the CLI alike.
//!
//! For an operation with a JSON body, the fields its model requires must be present (under their
//! name or one of the spellings the model accepts), not `null`, not a blank string and not an
//! empty object (`invalid_input`, code `missing_field`, naming the operation and the field); a field the model
//! marks as a phone number must be E.164, `+` then 8 to 15 digits (code `invalid_number`, the
//! API's own). Empty path parameters are refused where paths are rendered
//! (`request::render_path`).
//!
//! The table of fields is generated from the models' JSON Schemas (`table.rs`, written by
//! `trillet openapi --checks`, drift-checked), never written by hand.

mod table;

use crate::error::{Error, Result};
use crate::operations::Op;
use serde_json::{Map, Value};

/// One body field checked before sending.
#[derive(Debug)]
pub(crate) struct FieldCheck {
    /// The canonical wire name (`call_agent_id`).
    pub name: &'static str,
    /// Other spellings the model accepts for it.
    pub aliases: &'static [&'static str],
    /// The model requires it: present, not `null`, not a blank string.
    pub required: bool,
    /// A phone number: E.164 when present.
    pub e164: bool,
}

/// Checks the JSON `body` (its text, as it will be sent) of a call to `op`.
pub(crate) fn check_body(op: Op, body: Option<&str>) -> Result<()> {
    let checks = table::body_checks(op);
    if checks.is_empty() {
        return Ok(());
    }
    let parsed;
    let object = match body.map(serde_json::from_str::<Value>) {
        None => None,
        Some(Ok(value)) => {
            parsed = value;
            match &parsed {
                Value::Object(map) => Some(map),
                // Not an object: nothing here to check field by field; the API answers it.
                _ => return Ok(()),
            }
        }
        // Not JSON: refused where the request is built; nothing to add here.
        Some(Err(_)) => return Ok(()),
    };
    let empty = Map::new();
    let object = object.unwrap_or(&empty);
    for check in checks {
        check_field(op, check, object)?;
    }
    Ok(())
}

fn check_field(op: Op, check: &FieldCheck, body: &Map<String, Value>) -> Result<()> {
    let value = std::iter::once(check.name).chain(check.aliases.iter().copied()).find_map(|n| body.get(n));
    let present = match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        // Every object the spec requires has required fields of its own (`ttsModel`, `credentials`):
        // an empty one is what a typed struct left at its zero value sends (Go's `TTSModel{}`).
        Some(Value::Object(o)) if o.is_empty() => None,
        Some(v) => Some(v),
    };
    let Some(value) = present else {
        if check.required {
            return Err(missing(op, check));
        }
        return Ok(());
    };
    if check.e164 {
        if let Value::String(number) = value {
            check_e164(check.name, number)?;
        }
    }
    Ok(())
}

fn missing(op: Op, check: &FieldCheck) -> Error {
    let also = match check.aliases {
        [] => String::new(),
        aliases => format!(" (or {})", aliases.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")),
    };
    Error::invalid(
        "missing_field",
        format!("{} needs the body field \"{}\"{also}, not empty; nothing was sent", op.operation().id, check.name),
    )
}

/// Checks that `value` is an E.164 phone number: `+` then 8 to 15 digits. Otherwise
/// `invalid_number`, the API's own code, before anything is sent.
pub(crate) fn check_e164(name: &str, value: &str) -> Result<()> {
    let ok = value
        .strip_prefix('+')
        .is_some_and(|digits| (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "invalid_number",
            format!("{name} must be an E.164 phone number ('+' then 8 to 15 digits), got {value:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::ops;

    #[test]
    fn e164_bounds() {
        for ok in ["+14155550100", "+12345678", "+123456789012345"] {
            assert!(check_e164("to", ok).is_ok(), "{ok}");
        }
        for bad in [
            "14155550100",
            "+1234567",
            "+1234567890123456",
            "+1415555O100",
            "",
            "+",
            "+1 415 555 0100",
            " +14155550100",
        ] {
            let e = check_e164("to", bad).unwrap_err();
            assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_number"), "{bad}");
        }
    }

    #[test]
    fn required_fields_by_name_or_alias_not_null_not_blank() {
        let op = ops::CALLS_INITIATE;
        let ok = r#"{"to":"+14155550100","call_agent_id":"a1"}"#;
        assert!(check_body(op, Some(ok)).is_ok());
        for (body, field) in [
            (None, "call_agent_id"),
            (Some(r#"{}"#), "call_agent_id"),
            (Some(r#"{"call_agent_id":"a1"}"#), "to"),
            (Some(r#"{"to":"+14155550100"}"#), "call_agent_id"),
            (Some(r#"{"to":"+14155550100","call_agent_id":null}"#), "call_agent_id"),
            (Some(r#"{"to":"+14155550100","call_agent_id":"  "}"#), "call_agent_id"),
            (Some(r#"{"to":"+14155550100","call_agent_id":{}}"#), "call_agent_id"),
        ] {
            let e = check_body(op, body).unwrap_err();
            assert_eq!((e.kind(), e.code()), ("invalid_input", "missing_field"), "{body:?}");
            assert!(e.message().starts_with(&format!("calls.initiate needs the body field \"{field}\"")), "{e}");
        }
        let e = check_body(op, Some(r#"{"to":"4155550100","call_agent_id":"a1"}"#)).unwrap_err();
        assert_eq!(e.code(), "invalid_number");
        // Not an object, or an operation without checks: left to the API.
        assert!(check_body(op, Some("[1]")).is_ok());
        assert!(check_body(ops::AGENTS_LIST, None).is_ok());
    }
}
