//! Types shared by every resource: id-or-object references, lists that come bare or in an
//! envelope, page metadata and the generic acknowledgement most actions answer with.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Fields a model does not know, kept so a read-modify-write never drops data.
pub type Extra = Map<String, Value>;

/// Something that may carry a document id (`_id`).
pub trait HasId {
    /// The document id, when the object carries one.
    fn id(&self) -> Option<&str>;
}

/// A reference that the API sends either as an id string or as the populated object.
///
/// The spec names `agent` on call flows, `phoneNumberIds` on agents, `agentId` on phone numbers and
/// `phoneNumberId` on omni-flow agents; both forms read into this one type.
///
/// ```
/// use trillet::models::{IdOrObject, ObjectRef};
/// let id: IdOrObject = serde_json::from_str(r#""665a""#).unwrap();
/// let obj: IdOrObject = serde_json::from_str(r#"{"_id":"665a","name":"Support"}"#).unwrap();
/// assert_eq!(id.id(), Some("665a"));
/// assert_eq!(obj.id(), Some("665a"));
/// assert_eq!(obj.object().and_then(|o: &ObjectRef| o.name.as_deref()), Some("Support"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdOrObject<T = ObjectRef> {
    /// The bare id.
    Id(String),
    /// The populated document.
    Object(Box<T>),
}

impl<T: HasId> IdOrObject<T> {
    /// The referenced id, whichever form came back (`None` for an object without `_id`).
    pub fn id(&self) -> Option<&str> {
        match self {
            IdOrObject::Id(id) => Some(id),
            IdOrObject::Object(obj) => obj.id(),
        }
    }
}

impl<T> IdOrObject<T> {
    /// The populated object, when the API sent one.
    pub fn object(&self) -> Option<&T> {
        match self {
            IdOrObject::Id(_) => None,
            IdOrObject::Object(obj) => Some(obj),
        }
    }

    /// Whether the API sent the populated object rather than the id.
    pub fn is_populated(&self) -> bool {
        matches!(self, IdOrObject::Object(_))
    }
}

impl<T> From<&str> for IdOrObject<T> {
    fn from(id: &str) -> Self {
        IdOrObject::Id(id.to_string())
    }
}

impl<T> From<String> for IdOrObject<T> {
    fn from(id: String) -> Self {
        IdOrObject::Id(id)
    }
}

skip_none! {
    /// A minimal populated reference: `{_id, name, ...}`.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct ObjectRef {
        /// Document id (`_id`; `id` accepted too).
        #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["id"])))]
        #[serde(rename = "_id", alias = "id")]
        pub id: Option<String>,
        /// Display name.
        pub name: Option<String>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

skip_none! {
    /// Page metadata (`pagination` of the batch-calls list).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default, rename_all = "camelCase")]
    pub struct Pagination {
        /// Current page (1-based).
        pub page: Option<u64>,
        /// Page size.
        pub limit: Option<u64>,
        /// Total number of items.
        pub total: Option<u64>,
        /// Total number of pages.
        pub total_pages: Option<u64>,
        /// Whether a next page exists.
        pub has_next: Option<bool>,
        /// Whether a previous page exists.
        pub has_prev: Option<bool>,
        /// Every other field.
        #[serde(flatten)]
        pub extra: Extra,
    }
}

/// The keys under which an envelope may carry its items, in the order they are looked for.
pub const ENVELOPE_KEYS: &[&str] = &[
    "data",
    "items",
    "results",
    "calls",
    "phoneNumbers",
    "numbers",
    "agents",
    "flows",
    "folders",
    "conversations",
    "knowledgeBases",
    "workspaces",
    "voices",
    "records",
    "callHistory",
    "callHistories",
];

/// A list response, whichever shape it came in: a bare JSON array (most lists), an envelope
/// (`{"data": [...]}`, `{"phoneNumbers": [...]}`, `{"numbers": [...]}`, `{"calls": [...],
/// "pagination": {...}}`, ... see [`ENVELOPE_KEYS`]), a single object where the docs show one
/// instead of a list, or `null` (read as empty).
///
/// It dereferences to a slice of the items and serializes back to the shape it came in.
///
/// ```
/// use trillet::models::List;
/// let bare: List<serde_json::Value> = serde_json::from_str(r#"[{"_id":"a"}]"#).unwrap();
/// let env: List<serde_json::Value> = serde_json::from_str(r#"{"data":[{"_id":"a"}],"count":1}"#).unwrap();
/// assert_eq!(bare.len(), 1);
/// assert_eq!(env.items, bare.items);
/// assert_eq!(env.extra["count"], 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct List<T> {
    /// The items.
    pub items: Vec<T>,
    /// The envelope key the items came under (`None` for a bare array).
    pub envelope_key: Option<String>,
    /// Page metadata, when the envelope carried a `pagination` object.
    pub pagination: Option<Pagination>,
    /// The envelope's other fields (`count`, `summary`, `timestamp`, ...).
    pub extra: Extra,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List { items: Vec::new(), envelope_key: None, pagination: None, extra: Extra::new() }
    }
}

impl<T> List<T> {
    /// Whether the server says a next page exists (`pagination.hasNext` or a top-level `hasNext`);
    /// `None` when it does not say.
    pub fn has_next(&self) -> Option<bool> {
        self.pagination.as_ref().and_then(|p| p.has_next).or_else(|| self.extra.get("hasNext")?.as_bool())
    }

    /// The items, taking ownership.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<T: DeserializeOwned> List<T> {
    /// Reads a list from any of the accepted shapes.
    pub fn from_value(value: Value) -> Result<List<T>, serde_json::Error> {
        let mut list = List::default();
        match value {
            Value::Null => {}
            Value::Array(items) => list.items = parse_items(items)?,
            Value::Object(mut map) => {
                let key = ENVELOPE_KEYS.iter().find(|k| map.get(**k).is_some_and(Value::is_array));
                match key {
                    Some(key) => {
                        let Some(Value::Array(items)) = map.remove(*key) else { unreachable!("checked above") };
                        list.items = parse_items(items)?;
                        list.envelope_key = Some((*key).to_string());
                        if let Some(p) = map.remove("pagination") {
                            list.pagination = Some(serde_json::from_value(p)?);
                        }
                        list.extra = map;
                    }
                    // The docs sometimes show one object where the endpoint returns a list.
                    None => list.items = vec![serde_json::from_value(Value::Object(map))?],
                }
            }
            other => {
                return Err(serde_json::Error::custom(format!(
                    "expected a list (array or envelope object), found {}",
                    kind_of(&other)
                )))
            }
        }
        Ok(list)
    }
}

fn parse_items<T: DeserializeOwned>(items: Vec<Value>) -> Result<Vec<T>, serde_json::Error> {
    items.into_iter().map(serde_json::from_value).collect()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        List::from_value(value).map_err(D::Error::custom)
    }
}

impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match &self.envelope_key {
            None => self.items.serialize(s),
            Some(key) => {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry(key, &self.items)?;
                if let Some(p) = &self.pagination {
                    m.serialize_entry("pagination", p)?;
                }
                for (k, v) in &self.extra {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

impl<T> std::ops::Deref for List<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> IntoIterator for List<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

skip_none! {
    /// The acknowledgement most actions answer with: `{"success": true, "message": "..."}` or
    /// `{"status": "success", "message": "..."}`, other fields kept in `extra`. An empty body reads as
    /// the default (all `None`).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(default)]
    pub struct Ack {
        /// `success` (the docs type it as a string, the examples send a boolean: both accepted).
        #[cfg_attr(feature = "schema", schemars(schema_with = "crate::models::schema::bool_or_string_schema"))]
        #[serde(deserialize_with = "bool_or_string")]
        pub success: Option<bool>,
        /// `status` (usually `"success"`).
        pub status: Option<String>,
        /// Human-readable message.
        pub message: Option<String>,
        /// Every other field (`conversationId`, `roomName`, ...).
        #[serde(flatten)]
        pub extra: Extra,
    }
}

impl Ack {
    /// Whether the answer reports success (`success: true` or `status: "success"`).
    pub fn is_success(&self) -> bool {
        self.success == Some(true) || self.status.as_deref() == Some("success")
    }
}

/// Reads an optional boolean sent as `true`/`false` or as the strings `"true"`/`"false"`.
pub(crate) fn bool_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(other) => Err(D::Error::custom(format!("expected a boolean, found {}", kind_of(&other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_round_trips_each_shape() {
        for v in [
            json!([{"a": 1}]),
            json!({"data": [{"a": 1}], "count": 1}),
            json!({"calls": [], "pagination": {"hasNext": false}}),
        ] {
            let l: List<Value> = serde_json::from_value(v.clone()).unwrap();
            assert_eq!(serde_json::to_value(&l).unwrap(), v);
        }
        let single: List<Value> = serde_json::from_value(json!({"_id": "x"})).unwrap();
        assert_eq!(single.items, vec![json!({"_id": "x"})]);
        let empty: List<Value> = serde_json::from_value(Value::Null).unwrap();
        assert!(empty.is_empty());
        assert!(serde_json::from_value::<List<Value>>(json!("nope")).is_err());
    }

    #[test]
    fn has_next_reads_nested_or_top_level() {
        let l: List<Value> = serde_json::from_value(json!({"data": [], "pagination": {"hasNext": true}})).unwrap();
        assert_eq!(l.has_next(), Some(true));
        let l: List<Value> = serde_json::from_value(json!({"data": [], "hasNext": false})).unwrap();
        assert_eq!(l.has_next(), Some(false));
        let l: List<Value> = serde_json::from_value(json!([])).unwrap();
        assert_eq!(l.has_next(), None);
    }

    #[test]
    fn ack_accepts_boolean_or_string_success() {
        let a: Ack = serde_json::from_value(json!({"success": "true", "message": "ok"})).unwrap();
        assert!(a.is_success());
        let a: Ack = serde_json::from_value(json!({"status": "success"})).unwrap();
        assert!(a.is_success());
        let a: Ack = serde_json::from_value(json!({"success": false, "x": 1})).unwrap();
        assert!(!a.is_success());
        assert_eq!(a.extra["x"], 1);
        assert!(serde_json::from_value::<Ack>(json!({"success": 3})).is_err());
    }
}
