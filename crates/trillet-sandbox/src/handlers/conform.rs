//! Stored documents stay what the SDK's models read: a body that would make a document break its
//! own answer's schema (a negative `hours`, a string where a count goes) is refused with 400
//! before anything is stored, like the API's validation, instead of being echoed back on every
//! later read.

use super::Ctx;
use crate::reply::ApiError;
use crate::store::Coll;
use serde::de::DeserializeOwned;
use serde_json::Value;
use trillet::models;

fn reads_as<T: DeserializeOwned>(doc: &Value) -> Result<(), String> {
    T::deserialize(doc).map(drop).map_err(|e| e.to_string())
}

/// Whether `doc` reads as the model of its collection (the error says why not).
fn conforms(coll: Coll, doc: &Value) -> Result<(), String> {
    match coll {
        Coll::Agents => reads_as::<models::Agent>(doc),
        Coll::OmniAgents => reads_as::<models::OmniFlowAgent>(doc),
        Coll::CallFlows => reads_as::<models::CallFlow>(doc),
        Coll::MessageFlows => reads_as::<models::MessageFlow>(doc),
        Coll::Folders => reads_as::<models::Folder>(doc),
        Coll::Calls => reads_as::<models::CallHistory>(doc),
        Coll::Batches => reads_as::<models::BatchStatus>(doc),
        Coll::Conversations => reads_as::<models::Conversation>(doc),
        Coll::PhoneNumbers => reads_as::<models::PhoneNumber>(doc),
        Coll::KnowledgeBases => reads_as::<models::KnowledgeBase>(doc),
        Coll::Voices => reads_as::<models::Voice>(doc),
        Coll::Workspaces => reads_as::<models::Workspace>(doc),
    }
}

/// 400 `validation_error` unless `doc` reads as its collection's model.
pub(crate) fn check(coll: Coll, doc: &Value) -> Result<(), ApiError> {
    conforms(coll, doc).map_err(|e| ApiError::validation(format!("Invalid field value: {e}")))
}

/// 400 `validation_error` unless the body's `name` (when present and not `null`) reads as `T`.
pub(crate) fn field<T: DeserializeOwned>(body: &serde_json::Map<String, Value>, name: &str) -> Result<(), ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => reads_as::<T>(v).map_err(|e| ApiError::validation(format!("`{name}`: {e}"))),
    }
}

/// Stores a new document once it reads as its collection's model.
pub(crate) fn insert(ctx: &mut Ctx<'_>, coll: Coll, doc: Value) -> Result<(), ApiError> {
    check(coll, &doc)?;
    ctx.store.insert(coll, doc);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_that_break_their_model_are_refused() {
        let good = json!({"_id": "a", "gapBetweenEachAttemptForSmartCallback": [{"days": 1, "hours": 0}]});
        assert!(check(Coll::Agents, &good).is_ok());
        let bad = json!({"_id": "a", "gapBetweenEachAttemptForSmartCallback": [{"days": 1, "hours": -473}]});
        let e = check(Coll::Agents, &bad).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "validation_error"));
        assert!(e.message.contains("-473"), "{}", e.message);
        assert!(check(Coll::Workspaces, &json!({"_id": "w", "name": 3})).is_err());
        assert!(check(Coll::Workspaces, &json!({"_id": "w", "name": "x", "unknown": [1]})).is_ok());
        let body = |v: Value| v.as_object().cloned().unwrap();
        let tags = |v: Value| field::<models::MetadataTags>(&body(v), "metadataTags");
        assert!(tags(json!({"metadataTags": ["vip"]})).is_ok());
        assert!(tags(json!({"metadataTags": {"team": "sales"}})).is_ok());
        assert!(tags(json!({"metadataTags": null})).is_ok());
        let e = tags(json!({"metadataTags": [null, null]})).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "validation_error"));
    }
}
