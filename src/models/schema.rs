//! Hand-written JSON Schemas (`schema` feature) for the models whose serde impls are hand-written
//! or lenient: [`IdOrObject`] (an id string or the object), [`List`] (a bare array, an envelope,
//! one object or `null`) and booleans read from `"true"`/`"false"` strings.
//!
//! The derived schemas describe what the models *accept* (schemars' deserialize contract): every
//! field optional unless the model requires it, unknown fields allowed (`extra`), and each field's
//! other spellings listed under its [`ALIASES_KEY`] (the OpenAPI document keeps them there).

use super::common::{IdOrObject, List, Pagination, ENVELOPE_KEYS};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

/// The schema extension key under which a property lists the other spellings its model reads
/// (`"x-aliases": ["callId"]`): one property per field, its serde aliases beside it, never a twin
/// property of their own.
pub const ALIASES_KEY: &str = "x-aliases";

/// The key that marks a string field as a phone number in E.164 form (`"x-e164": true`): the
/// core refuses any other form with `invalid_number` before sending (`crate::local_checks`).
pub const E164_KEY: &str = "x-e164";

impl<T: JsonSchema> JsonSchema for IdOrObject<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("IdOrObject_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An id string, or the populated object.",
            "anyOf": [{"type": "string"}, generator.subschema_for::<T>()]
        })
    }
}

impl<T: JsonSchema> JsonSchema for List<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("List_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let items = generator.subschema_for::<T>();
        let array = json_schema!({"type": "array", "items": items});
        let mut properties = serde_json::Map::new();
        for key in ENVELOPE_KEYS {
            properties.insert((*key).to_string(), array.clone().to_value());
        }
        properties.insert("pagination".to_string(), generator.subschema_for::<Pagination>().to_value());
        json_schema!({
            "description": format!(
                "A list: a bare array, an envelope carrying the array under one of {}, one object, or null.",
                ENVELOPE_KEYS.join(", ")
            ),
            "anyOf": [
                array,
                {"type": "object", "properties": properties, "additionalProperties": true},
                items,
                {"type": "null"}
            ]
        })
    }
}

/// The schema of an optional boolean that is also read from the strings `"true"`/`"false"`.
pub(crate) fn bool_or_string_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "A boolean, or the string \"true\" or \"false\" (any case).",
        "anyOf": [{"type": "boolean"}, {"type": "string", "pattern": "^(?i:true|false)$"}, {"type": "null"}]
    })
}
