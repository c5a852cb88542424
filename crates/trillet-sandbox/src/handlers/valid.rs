//! What the sandbox accepts and keeps, read from the spec ([`crate::spec`]) — never from the
//! client's models, so a model that drifts from the spec is caught by the tests that run the
//! client against the sandbox, instead of agreed with.
//!
//! - A JSON request body: every field the spec lists for the endpoint, when present and not
//!   `null`, has the spec's type (`string`, `number`, `boolean`, `object`, `array`,
//!   `array<string>`), down through an object's properties and an array's items.
//! - A stored document (after a create or an update): every field the spec describes for the
//!   resource — in its create and update bodies and in its `get` answer's example — has that type,
//!   so no later read answers a document the spec would not.
//!
//! Four readings of the spec's prose are the sandbox's own: a range written `(0-30)` in a
//! field's description holds; an `array` described as `[{...}]` holds objects; a field another
//! page "spells it `x`" has its shape under `x` too; and the counts of attempts, days and hours
//! ([`WHOLE_NUMBERS`]), typed `number`, are whole and not negative.
//! Fields the spec does not name are kept as sent.

use crate::reply::ApiError;
use crate::spec::{Field, Spec};
use crate::store::Coll;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;
use trillet::operations::{Operation, OPERATIONS};

/// `number` fields the spec describes as counts: whole and not negative.
const WHOLE_NUMBERS: [&str; 3] = ["maxAttemptsForSmartCallback", "days", "hours"];

/// The shape a value must have.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Any,
    String,
    Boolean,
    Number {
        whole: bool,
        range: Option<(f64, f64)>,
    },
    /// An object; the fields named must have their shapes, others are free.
    Object(Vec<(String, Shape)>),
    Array(Box<Shape>),
    /// Any of these (where the spec's descriptions of a field disagree).
    OneOf(Vec<Shape>),
    /// Another spelling of the named field of the same object: checked as that field is.
    Alias(String),
}

impl Shape {
    fn of_field(name: &str, f: &Field) -> Shape {
        match f.ty.as_str() {
            "string" => Shape::String,
            "boolean" => Shape::Boolean,
            "number" => Shape::Number { whole: WHOLE_NUMBERS.contains(&name), range: range_in(&f.desc) },
            "object" => Shape::Object(shapes_of(&f.fields)),
            // "[{filename, key, url}] files ...": a list of objects, in the spec's prose.
            "array" if f.fields.is_empty() && f.desc.trim_start().starts_with("[{") => {
                Shape::Array(Box::new(Shape::Object(Vec::new())))
            }
            "array" if f.fields.is_empty() => Shape::Array(Box::new(Shape::Any)),
            "array" => Shape::Array(Box::new(Shape::Object(shapes_of(&f.fields)))),
            "array<string>" => Shape::Array(Box::new(Shape::String)),
            _ => Shape::Any,
        }
    }

    /// The shape of a document in a response example.
    fn of_example(doc: &Map<String, Value>) -> Shape {
        Shape::Object(doc.iter().map(|(k, v)| (k.clone(), Shape::of_example_value(k, v))).collect())
    }

    /// The shape of a value inside an example (`null` says nothing). An object there may be a
    /// reference the API populated for the answer (an agent's `pathway`, a folder's `pathways`):
    /// the document may hold its id instead.
    fn of_example_value(name: &str, v: &Value) -> Shape {
        match v {
            Value::Null => Shape::Any,
            Value::Bool(_) => Shape::Boolean,
            Value::Number(_) => Shape::Number { whole: WHOLE_NUMBERS.contains(&name), range: None },
            Value::String(_) => Shape::String,
            Value::Array(items) => {
                Shape::Array(Box::new(items.first().map_or(Shape::Any, |i| Shape::of_example_value(name, i))))
            }
            Value::Object(map) => Shape::OneOf(vec![Shape::of_example(map), Shape::String]),
        }
    }

    /// One shape that holds what both say: objects combine their fields, `Any` gives way, and
    /// two different kinds become either.
    fn merge(self, other: Shape) -> Shape {
        match (self, other) {
            (Shape::Any, s) | (s, Shape::Any) => s,
            (Shape::Object(mut a), Shape::Object(b)) => {
                for (name, shape) in b {
                    match a.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, existing)) => *existing = std::mem::replace(existing, Shape::Any).merge(shape),
                        None => a.push((name, shape)),
                    }
                }
                Shape::Object(a)
            }
            (Shape::Array(a), Shape::Array(b)) => Shape::Array(Box::new(a.merge(*b))),
            (Shape::Number { whole: w1, range: r1 }, Shape::Number { whole: w2, range: r2 }) => {
                Shape::Number { whole: w1 || w2, range: r1.or(r2) }
            }
            (a, b) if a == b => a,
            (Shape::OneOf(a), Shape::OneOf(b)) => b.into_iter().fold(Shape::OneOf(a), Shape::merge),
            // Into a choice, a shape merges with the choice's shape of its kind.
            (Shape::OneOf(mut choices), b) | (b, Shape::OneOf(mut choices)) => {
                let kind = std::mem::discriminant(&b);
                match choices.iter_mut().find(|c| std::mem::discriminant(*c) == kind) {
                    Some(c) => *c = std::mem::replace(c, Shape::Any).merge(b),
                    None => choices.push(b),
                }
                Shape::OneOf(choices)
            }
            (a, b) => Shape::OneOf(vec![a, b]),
        }
    }

    /// `Ok` when `v` has this shape; else what is wrong, naming the field by its path.
    fn check(&self, path: &str, v: &Value) -> Result<(), String> {
        if v.is_null() {
            return Ok(());
        }
        let wrong = |what: &str| Err(format!("`{path}` must be {what}, not {v}"));
        match (self, v) {
            (Shape::Any | Shape::Alias(_), _)
            | (Shape::String, Value::String(_))
            | (Shape::Boolean, Value::Bool(_)) => Ok(()),
            (Shape::Number { whole, range }, Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if *whole && !(n.is_u64() || x >= 0.0 && x.fract() == 0.0) {
                    return wrong("a whole number, not negative");
                }
                match range {
                    Some((lo, hi)) if !(*lo..=*hi).contains(&x) => wrong(&format!("from {lo} to {hi}")),
                    _ => Ok(()),
                }
            }
            (Shape::Object(fields), Value::Object(map)) => {
                for (name, shape) in fields {
                    if let Some(value) = map.get(name) {
                        let shape = match shape {
                            Shape::Alias(canonical) => {
                                fields.iter().find(|(n, _)| n == canonical).map_or(shape, |(_, s)| s)
                            }
                            _ => shape,
                        };
                        shape.check(&format!("{path}.{name}"), value)?;
                    }
                }
                Ok(())
            }
            (Shape::Array(item), Value::Array(items)) => items.iter().enumerate().try_for_each(|(i, value)| {
                let at = format!("{path}[{i}]");
                match (value, &**item) {
                    // A field may be null (absent); an item of a typed list may not.
                    (Value::Null, Shape::Any) => Ok(()),
                    (Value::Null, _) => Err(format!("`{at}` must not be null")),
                    _ => item.check(&at, value),
                }
            }),
            (Shape::OneOf(shapes), _) => match shapes.iter().map(|s| s.check(path, v)).find(Result::is_ok) {
                Some(ok) => ok,
                None => shapes[0].check(path, v),
            },
            (Shape::String, _) => wrong("a string"),
            (Shape::Boolean, _) => wrong("a boolean"),
            (Shape::Number { .. }, _) => wrong("a number"),
            (Shape::Object(_), _) => wrong("an object"),
            (Shape::Array(_), _) => wrong("an array"),
        }
    }
}

/// The shapes of a list of fields; a field whose description says another page "spells it
/// `x`" gives `x` the same shape.
fn shapes_of(fields: &[(String, Field)]) -> Vec<(String, Shape)> {
    let mut shapes = Vec::with_capacity(fields.len());
    for (name, f) in fields {
        let shape = Shape::of_field(name, f);
        if let Some(alias) = f.desc.split_once("spells it ").map(|(_, rest)| rest) {
            let alias: String = alias.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !alias.is_empty() && fields.iter().all(|(n, _)| *n != alias) {
                shapes.push((alias, Shape::Alias(name.clone())));
            }
        }
        shapes.push((name.clone(), shape));
    }
    shapes
}

/// `(0-30)` in a description: the inclusive range it states.
fn range_in(desc: &str) -> Option<(f64, f64)> {
    let inner = desc.split_once('(')?.1.split_once(')')?.0;
    let (lo, hi) = inner.split_once('-')?;
    Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?))
}

/// The spec's endpoint of an operation of the table.
fn endpoint_of(op: &Operation) -> Option<&'static crate::spec::Endpoint> {
    Spec::get().operation(op.method.as_str(), op.path)
}

/// The resource of an operation: the first half of its id.
fn resource_of_op(op: &Operation) -> &'static str {
    op.id.split_once('.').map_or(op.id, |(resource, _)| resource)
}

/// Every body field the spec names for a resource's endpoints, each with what all of them say
/// of it: where the spec's endpoints disagree (`metadataTags` is a list of strings in a phone
/// number's configuration and an object when it is bound), either reading is accepted.
fn resource_fields(resource: &str) -> Shape {
    OPERATIONS
        .iter()
        .filter(|op| resource_of_op(op) == resource)
        .filter_map(endpoint_of)
        .fold(Shape::Object(Vec::new()), |shape, e| shape.merge(Shape::Object(shapes_of(&e.body))))
}

/// The shape of an operation's JSON body: the fields its endpoint lists, each as its resource's
/// endpoints describe it.
fn body_shape(op: &'static Operation) -> &'static Shape {
    static SHAPES: OnceLock<HashMap<&'static str, Shape>> = OnceLock::new();
    let shapes = SHAPES.get_or_init(|| {
        OPERATIONS
            .iter()
            .map(|op| {
                let Some(endpoint) = endpoint_of(op) else { return (op.id, Shape::Any) };
                let Shape::Object(all) = resource_fields(resource_of_op(op)) else { unreachable!("objects merge") };
                let own = all.into_iter().filter(|(name, _)| endpoint.body.iter().any(|(n, _)| n == name));
                (op.id, Shape::Object(own.collect()))
            })
            .collect()
    });
    shapes.get(op.id).unwrap_or(&Shape::Any)
}

/// The resource (the first half of its operations' ids) whose documents a collection holds.
fn resource_of(coll: Coll) -> &'static str {
    match coll {
        Coll::Agents => "agents",
        Coll::OmniAgents => "omni_flow_agents",
        Coll::CallFlows => "call_flows",
        Coll::MessageFlows => "message_flows",
        Coll::Folders => "folders",
        Coll::Calls => "call_history",
        Coll::Batches => "batch_calls",
        Coll::Conversations => "conversations",
        Coll::PhoneNumbers => "phone_numbers",
        Coll::KnowledgeBases => "knowledge_base",
        Coll::Voices => "voices",
        Coll::Workspaces => "workspaces",
    }
}

/// What the spec says a collection's documents look like: the body fields of its resource's
/// endpoints, and every document (an object with an `_id`) its endpoints' answers show, alone
/// or as the first item of a list, combined.
fn document_shape(coll: Coll) -> Shape {
    let resource = resource_of(coll);
    let examples = OPERATIONS
        .iter()
        .filter(|op| resource_of_op(op) == resource)
        .filter_map(endpoint_of)
        .filter_map(|e| match &e.response_example {
            Value::Array(items) => items.first().and_then(Value::as_object),
            other => other.as_object(),
        })
        .filter(|example| example.contains_key("_id"));
    examples.fold(resource_fields(resource), |shape, example| shape.merge(Shape::of_example(example)))
}

fn document_shapes() -> &'static HashMap<Coll, Shape> {
    static SHAPES: OnceLock<HashMap<Coll, Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        use Coll::*;
        [Agents, OmniAgents, CallFlows, MessageFlows, Folders, Calls, Batches, Conversations, PhoneNumbers]
            .into_iter()
            .chain([KnowledgeBases, Voices, Workspaces])
            .map(|c| (c, document_shape(c)))
            .collect()
    })
}

/// 400 `validation_error` unless the JSON body fits the spec's fields of its endpoint.
pub(crate) fn body(op: &'static Operation, body: &Map<String, Value>) -> Result<(), ApiError> {
    body_shape(op).check("body", &Value::Object(body.clone())).map_err(invalid)
}

/// 400 `validation_error` unless `doc` fits what the spec says its collection's documents are.
pub(crate) fn document(coll: Coll, doc: &Value) -> Result<(), ApiError> {
    document_shapes().get(&coll).map_or(Ok(()), |shape| shape.check(resource_of(coll), doc)).map_err(invalid)
}

fn invalid(message: String) -> ApiError {
    ApiError::validation(format!("Invalid field value: {message}"))
}

/// Stores a new document once it fits its collection's shape.
pub(crate) fn insert(ctx: &mut super::Ctx<'_>, coll: Coll, doc: Value) -> Result<(), ApiError> {
    document(coll, &doc)?;
    ctx.store.insert(coll, doc);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(id: &str) -> &'static Operation {
        OPERATIONS.iter().find(|o| o.id == id).unwrap()
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn bodies_are_checked_against_their_endpoint() {
        let create = op("agents.create");
        assert!(body(create, &obj(json!({"name": "A", "smartCallback": true, "unknown": [1]}))).is_ok());
        let e = body(create, &obj(json!({"name": 3}))).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "validation_error"));
        assert!(e.message.contains("`body.name` must be a string"), "{}", e.message);
        assert!(body(create, &obj(json!({"ttsModel": {"provider": 5}}))).is_err());
        assert!(body(create, &obj(json!({"maxAttemptsForSmartCallback": "five"}))).is_err());
        assert!(body(create, &obj(json!({"maxAttemptsForSmartCallback": 2.5}))).is_err());
        let gaps = |v: Value| body(create, &obj(json!({"gapBetweenEachAttemptForSmartCallback": [v]})));
        assert!(gaps(json!({"days": 30, "hours": 0})).is_ok());
        assert!(gaps(json!({"days": 31})).is_err(), "the spec's (0-30)");
        let e = gaps(json!({"days": 1, "hours": -473})).unwrap_err();
        assert!(e.message.contains("-473"), "{}", e.message);
        assert!(body(create, &obj(json!({"phoneNumberIds": ["a", 1]}))).is_err());
        let bind = op("phone_numbers.bind");
        assert!(body(bind, &obj(json!({"metadataTags": {"team": "sales"}}))).is_ok());
        assert!(body(bind, &obj(json!({"metadataTags": ["vip"]}))).is_ok(), "the config's reading");
        assert!(body(bind, &obj(json!({"metadataTags": null}))).is_ok());
        assert!(body(bind, &obj(json!({"metadataTags": "vip"}))).is_err());
        assert!(body(bind, &obj(json!({"metadataTags": [null, null]}))).is_err());
        assert!(body(bind, &obj(json!({"officeHours": "9-5"}))).is_err());
    }

    #[test]
    fn documents_are_checked_against_what_the_spec_says_of_their_resource() {
        let good = json!({"_id": "a", "gapBetweenEachAttemptForSmartCallback": [{"days": 1, "hours": 0}]});
        assert!(document(Coll::Agents, &good).is_ok());
        let bad = json!({"_id": "a", "gapBetweenEachAttemptForSmartCallback": [{"days": 1, "hours": -473}]});
        let e = document(Coll::Agents, &bad).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "validation_error"));
        // The update body leaves ttsModel's fields open; the create body and the example do not.
        assert!(document(Coll::Agents, &json!({"ttsModel": {"provider": 5}})).is_err());
        assert!(document(Coll::Workspaces, &json!({"_id": "w", "name": 3})).is_err());
        assert!(document(Coll::Workspaces, &json!({"_id": "w", "name": "x", "unknown": [1]})).is_ok());
        // A populated reference in the get answer's example may be stored as its id.
        assert!(document(Coll::Folders, &json!({"pathways": ["6b13bbd63b5a97ab64345d91"]})).is_ok());
        assert!(document(Coll::Folders, &json!({"pathways": [true]})).is_err());
        // "[{filename, key, url}]": a list of objects.
        let files = |v: Value| document(Coll::CallFlows, &json!({"settings": {"knowledgeBaseFiles": v}}));
        assert!(files(json!([{"filename": "a.pdf", "key": "k"}])).is_ok());
        assert!(files(json!([[null, null]])).is_err());
        // The upload answer's example shows the items: `url` is a string.
        assert!(files(json!([{"filename": "a.pdf", "url": {}}])).is_err());
        // "create page spells it callSettings": the same object under either name.
        let limits = |v: Value| document(Coll::CallFlows, &json!({"settings": v}));
        assert!(limits(json!({"callSettings": {"maxCallDuration": 600}})).is_ok());
        assert!(limits(json!({"callSettings": [null, null]})).is_err());
        assert!(limits(json!({"callSetting": [null, null]})).is_err());
        assert!(limits(json!({"callSettings": {"maxCallDuration": {}}})).is_err(), "as the example has it");
    }

    #[test]
    fn ranges_in_descriptions() {
        assert_eq!(range_in("Days to wait (0-30)"), Some((0.0, 30.0)));
        assert_eq!(range_in("Hours to wait"), None);
        assert_eq!(range_in("Ids (see docs)"), None);
    }
}
