//! Knowledge bases (with file uploads) and voices (built-in, created from an embedding, or
//! cloned from an uploaded audio sample).

use super::valid;
use super::{extension, fetch, list_docs, merge, optional_object, optional_str, required_str, update_doc, Ctx};
use crate::limits::{FILE_MAX_BYTES, FILE_MAX_MB};
use crate::multipart::Part;
use crate::reply::{ok, ApiError, Outcome};
use crate::store::{stamp, Coll};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const KNOWLEDGE_BASE_EXTENSIONS: [&str; 6] = ["pdf", "txt", "docx", "md", "csv", "json"];
const AUDIO_EXTENSIONS: [&str; 7] = ["mp3", "wav", "m4a", "ogg", "webm", "flac", "aac"];

fn check_size(file: &Part) -> Result<(), ApiError> {
    if file.data.len() as u64 > FILE_MAX_BYTES {
        return Err(ApiError::new(413, "payload_too_large", format!("The file is larger than {FILE_MAX_MB} MB")));
    }
    Ok(())
}

// ---- knowledge bases -----------------------------------------------------------------------

/// `knowledge_base.create`: `name` required.
pub(super) fn create_knowledge_base(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    optional_str(&body, "description")?;
    optional_str(&body, "textContent")?;
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let mut doc = json!({"_id": id, "name": name, "description": "", "workspaceId": ws, "files": [],
                         "createdAt": now, "updatedAt": now});
    merge(&mut doc, &body, &["files"]);
    valid::insert(ctx, Coll::KnowledgeBases, doc.clone())?;
    ok(doc)
}

/// `knowledge_base.list`.
pub(super) fn list_knowledge_bases(ctx: &mut Ctx<'_>) -> Outcome {
    ok(list_docs(ctx, Coll::KnowledgeBases))
}

/// `knowledge_base.get`.
pub(super) fn get_knowledge_base(ctx: &mut Ctx<'_>) -> Outcome {
    ok(fetch(ctx, Coll::KnowledgeBases, "Knowledge base", &ctx.param("id"))?)
}

/// `knowledge_base.upload_file`: one PDF, TXT, DOCX, MD, CSV or JSON file (≤ 50 MB) in
/// `uploadedFile`.
pub(super) fn upload_knowledge_base_file(ctx: &mut Ctx<'_>) -> Outcome {
    let form = ctx.form()?;
    let file = form
        .file("uploadedFile")
        .ok_or_else(|| ApiError::bad_request("missing_file", "Upload the file in the `uploadedFile` form field"))?;
    let name = file.filename.clone().unwrap_or_default();
    if !KNOWLEDGE_BASE_EXTENSIONS.contains(&extension(&name).as_str()) {
        return Err(ApiError::bad_request(
            "unsupported_file_type",
            format!("{name:?} is not a PDF, TXT, DOCX, MD, CSV or JSON file"),
        ));
    }
    check_size(file)?;
    let id = ctx.param("id");
    fetch(ctx, Coll::KnowledgeBases, "Knowledge base", &id)?;
    let kind = file.content_type.clone().unwrap_or_else(|| crate::codec::media_type(&name).to_string());
    let (now, ws) = (ctx.store.now(), ctx.ws());
    let entry = json!({"name": name, "size": file.data.len(), "type": kind, "uploadedAt": now});
    let kb = ctx.store.get_mut(Coll::KnowledgeBases, Some(&ws), &id).expect("checked above");
    kb["files"].as_array_mut().expect("knowledge bases keep a files array").push(entry);
    stamp(kb, now);
    ok(json!({"success": true, "file": {"name": name, "size": file.data.len(), "type": kind}}))
}

/// `knowledge_base.update`: replaces `textContent` (and `name` / `description` when given).
pub(super) fn update_knowledge_base(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    optional_str(&body, "textContent")?;
    optional_str(&body, "description")?;
    if body.contains_key("name") {
        required_str(&body, "name")?;
    }
    let id = ctx.param("id");
    ok(update_doc(ctx, Coll::KnowledgeBases, "Knowledge base", &id, &body, &["files"])?)
}

// ---- voices --------------------------------------------------------------------------------

fn public_voice(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(obj) = v.as_object_mut() {
        obj.remove("embedding");
    }
    v
}

/// `voices.get`: a built-in voice (by `_id` or `voiceId`, e.g. `mistv2_Wildflower`) or one of
/// the workspace's custom voices.
pub(super) fn get_voice(ctx: &mut Ctx<'_>) -> Outcome {
    let id = ctx.param("id");
    let ws = ctx.ws();
    ctx.store
        .find(Coll::Voices, None, |v| {
            (v["_id"] == id.as_str() || v["voiceId"] == id.as_str())
                && (v["builtIn"] == true || v["workspaceId"] == ws.as_str())
        })
        .map(public_voice)
        .map_or_else(|| Err(ApiError::not_found("Voice", &id)), ok)
}

fn insert_voice(ctx: &mut Ctx<'_>, name: &str, description: &str, language: &str, embedding: Value) -> Value {
    let (id, now, ws) = (ctx.store.new_id(), ctx.store.now(), ctx.ws());
    let voice_id = format!("custom_{}", &id[16..]);
    let doc = json!({"_id": id, "name": name, "description": description, "language": language, "workspaceId": ws,
                     "voiceId": voice_id, "provider": "trillet", "gender": null, "accent": null, "builtIn": false, "embedding": embedding,
                     "createdAt": now, "updatedAt": now});
    ctx.store.insert(Coll::Voices, doc.clone());
    public_voice(&doc)
}

/// `voices.create`: `name` and `embedding` (an object, as `voices.clone` returns) required.
pub(super) fn create_voice(ctx: &mut Ctx<'_>) -> Outcome {
    let body = ctx.body()?;
    let name = required_str(&body, "name")?;
    let embedding =
        optional_object(&body, "embedding")?.ok_or_else(|| ApiError::validation("`embedding` is required"))?;
    let description = optional_str(&body, "description")?.unwrap_or_default();
    let language = optional_str(&body, "language")?.unwrap_or_else(|| "en".into());
    ok(insert_voice(ctx, &name, &description, &language, Value::Object(embedding)))
}

/// `voices.clone`: an audio sample (≤ 50 MB) in `file`; answers a deterministic embedding of
/// the sample and, when `name` is given, the custom voice created from it.
pub(super) fn clone_voice(ctx: &mut Ctx<'_>) -> Outcome {
    let form = ctx.form()?;
    let file = form
        .file("file")
        .ok_or_else(|| ApiError::bad_request("missing_file", "Upload the audio sample in the `file` form field"))?;
    let filename = file.filename.clone().unwrap_or_default();
    let is_audio = file.content_type.as_deref().is_some_and(|t| t.starts_with("audio/"))
        || AUDIO_EXTENSIONS.contains(&extension(&filename).as_str());
    if !is_audio {
        return Err(ApiError::bad_request("unsupported_file_type", format!("{filename:?} is not an audio file")));
    }
    check_size(file)?;
    if file.data.is_empty() {
        return Err(ApiError::validation("The audio sample is empty"));
    }
    let digest = Sha256::digest(&file.data);
    let embedding = json!({"data": crate::codec::base64(&digest), "format": "float32", "dimensions": 8,
                           "sourceBytes": file.data.len()});
    let voice = match form.text("name").filter(|n| !n.trim().is_empty()) {
        None => Value::Null,
        Some(name) => {
            let description = form.text("description").unwrap_or_default();
            let language = form.text("language").filter(|l| !l.is_empty()).unwrap_or_else(|| "en".into());
            insert_voice(ctx, &name, &description, &language, embedding.clone())
        }
    };
    ok(json!({"embedding": embedding, "voice": voice}))
}
