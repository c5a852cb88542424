//! The committed contract files against the code: `bindings/openapi.json` is what
//! `trillet::openapi::document_json()` generates and `bindings/operations.json` what
//! `catalog_file()` writes (the same catalog as `trillet_operations()`), and the document says what
//! the models accept (every alias spelling, unknown fields, id-or-object, bare-or-envelope lists).
#![cfg(feature = "schema")]

use serde_json::{json, Value};
use std::collections::BTreeSet;
use trillet::openapi;
use trillet::operations::{Auth, BodyKind, ResponseKind, OPERATIONS};

fn committed(name: &str) -> String {
    let path = format!("{}/bindings/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn drift(name: &str, fresh: &str) {
    let old = committed(name);
    if old != fresh {
        let line = old.lines().zip(fresh.lines()).position(|(a, b)| a != b).unwrap_or(old.lines().count());
        panic!(
            "bindings/{name} is out of date (first difference at line {}); regenerate it with \
             `cargo run -p trillet-cli -- openapi{} -o bindings/{name}`",
            line + 1,
            if name == "operations.json" { " --operations" } else { "" }
        );
    }
}

#[test]
fn committed_openapi_document_is_what_the_generator_writes() {
    drift("openapi.json", &openapi::document_json());
}

#[test]
fn committed_local_checks_table_is_what_the_generator_writes() {
    let path = format!("{}/src/local_checks/table.rs", env!("CARGO_MANIFEST_DIR"));
    let old = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(
        old == openapi::local_checks_source(),
        "src/local_checks/table.rs is out of date; regenerate it with `scripts/check-contract --write`"
    );
}

#[test]
fn committed_catalog_is_the_library_catalog() {
    let fresh = openapi::catalog_file();
    drift("operations.json", &fresh);
    let mut file: Value = serde_json::from_str(&fresh).unwrap();
    let models = file.as_object_mut().unwrap().remove("models").unwrap();
    for op in file["operations"].as_array_mut().unwrap() {
        for key in ["request_model", "response_model", "response_nullable"] {
            op.as_object_mut().unwrap().remove(key).unwrap_or_else(|| panic!("{} has no {key}", op["id"]));
        }
    }
    let library: Value = serde_json::from_str(&trillet::operations::catalog_json()).unwrap();
    assert_eq!(file, library, "the file is the library's catalog plus the models");
    // One operation, one setting and one model per line, keys in the catalog's order.
    let models = models.as_object().unwrap().len();
    assert_eq!(fresh.lines().count(), OPERATIONS.len() + trillet::settings::SETTINGS.len() + models + 4);
    assert!(fresh.lines().nth(1).unwrap().starts_with(r#"{"id":"agents.create","resource":"agents","action""#));
}

fn doc() -> Value {
    openapi::document()
}

fn op<'a>(doc: &'a Value, id: &str) -> &'a Value {
    let row = trillet::operations::find(id).unwrap();
    &doc["paths"][row.path][row.method.as_str().to_ascii_lowercase()]
}

fn component<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let c = &doc["components"]["schemas"][name];
    assert!(c.is_object(), "no component {name}");
    c
}

#[test]
fn every_row_is_an_operation_with_its_id_tag_parameters_and_credentials() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"], json!([{"url": "https://api.trillet.ai"}]));
    let mut seen = BTreeSet::new();
    for row in OPERATIONS {
        let o = op(&doc, row.id);
        assert_eq!(o["operationId"], row.id);
        assert!(seen.insert(row.id));
        assert_eq!(o["tags"], json!([row.resource()]), "{}", row.id);
        assert_eq!(o["summary"], row.summary);
        let names: Vec<&str> =
            o["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        let expected: Vec<&str> = row.path_params().into_iter().chain(row.query_params.iter().copied()).collect();
        assert_eq!(names, expected, "{}", row.id);
        let security = o["security"][0].as_object().unwrap();
        assert_eq!(security.contains_key("ApiKey"), row.auth.sends_key(), "{}", row.id);
        assert_eq!(security.contains_key("WorkspaceId"), row.auth.sends_workspace(), "{}", row.id);
        assert_eq!(o.get("requestBody").is_some(), row.body != BodyKind::None, "{}", row.id);
        assert_eq!(o["responses"]["default"]["$ref"], "#/components/responses/Error");
    }
    let operations: usize = doc["paths"].as_object().unwrap().values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(operations, OPERATIONS.len());
    let public = op(&doc, "calls.start_public_web_call");
    assert_eq!(public["security"], json!([{"WorkspaceId": []}]));
    assert_eq!(trillet::operations::find("calls.start_public_web_call").unwrap().auth, Auth::WorkspaceOnly);
    assert_eq!(op(&doc, "workspaces.list")["security"], json!([{"ApiKey": []}]));
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        schemes["ApiKey"],
        json!({"type": "apiKey", "in": "header", "name": "x-api-key",
        "description": "The workspace API key (secret: never send it from a browser)."})
    );
    assert_eq!(schemes["WorkspaceId"]["name"], "x-workspace-id");
}

#[test]
fn bodies_and_answers_use_the_models() {
    let doc = doc();
    let create = op(&doc, "agents.create");
    assert_eq!(
        create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/CreateAgent"
    );
    assert_eq!(
        create["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Agent"
    );
    let required: Vec<&str> =
        component(&doc, "CreateAgent")["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(required.contains(&"name") && required.contains(&"ttsModel"), "{required:?}");
    let list = op(&doc, "agents.list")["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].clone();
    assert_eq!(list, "#/components/schemas/List_Agent");
    // A hand-built body lists its fields.
    let ws = &op(&doc, "workspaces.create")["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(ws, &json!({"$ref": "#/components/schemas/WorkspacesCreateBody"}), "a named component");
    let ws = component(&doc, "WorkspacesCreateBody");
    assert_eq!(ws["required"], json!(["name", "initials"]));
    assert_eq!(ws["properties"]["initials"], json!({"type": "string"}));
    // The CSV export and the recording.
    let csv = &op(&doc, "call_history.export_csv")["responses"]["200"]["content"];
    assert_eq!(csv, &json!({"text/csv": {"schema": {"type": "string"}}}));
    let rec = trillet::operations::find("recordings.get").unwrap();
    assert_eq!(rec.response, ResponseKind::Binary);
    // The spec's two media types, and nothing else (no JSON schema that would accept anything).
    let content = op(&doc, "recordings.get")["responses"]["200"]["content"].as_object().unwrap();
    assert_eq!(content.keys().collect::<Vec<_>>(), ["audio/mp3", "video/mp4"]);
    assert_eq!(content["audio/mp3"]["schema"], json!({"type": "string", "contentMediaType": "audio/mp3"}));
}

#[test]
fn multipart_bodies_carry_the_file_field_and_the_batch_limit() {
    let doc = doc();
    for row in OPERATIONS.iter().filter(|r| r.body == BodyKind::Multipart) {
        let body = &op(&doc, row.id)["requestBody"];
        let form = &body["content"]["multipart/form-data"]["schema"];
        let file = row.file_field.unwrap();
        assert_eq!(form["properties"][file]["type"], "string", "{}", row.id);
        assert_eq!(form["required"][0], file, "{}", row.id);
        assert_eq!(body["x-max-upload-bytes"].as_u64(), row.max_upload_bytes, "{}", row.id);
    }
    let batch = op(&doc, "batch_calls.start");
    assert_eq!(batch["requestBody"]["x-max-upload-bytes"], 20 * 1024 * 1024);
    assert!(batch["requestBody"]["description"].as_str().unwrap().contains("20 MB"));
    assert_eq!(batch["responses"]["413"]["$ref"], "#/components/responses/Error");
    assert!(batch["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["agentId"].is_object());
}

#[test]
fn error_shapes_are_components() {
    let doc = doc();
    let s = &doc["components"]["schemas"];
    assert_eq!(s["ErrorNested"]["properties"]["error"]["properties"]["reset_at"]["type"], json!(["string", "null"]));
    assert_eq!(s["ErrorFlat"]["properties"]["error"]["type"], "string");
    assert_eq!(s["ErrorMessage"]["required"], json!(["message"]));
    assert_eq!(s["Error"]["anyOf"].as_array().unwrap().len(), 3);
}

/// `(struct, field spelling)` for every `alias = "..."` in src/models, read from the source.
fn aliases_in_source() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/models");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("pub struct ") {
                current = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap().to_string();
            }
            let mut rest = line;
            while let Some(i) = rest.find("alias = \"") {
                let after = &rest[i + 9..];
                let end = after.find('"').unwrap();
                out.push((current.clone(), after[..end].to_string()));
                rest = &after[end..];
            }
        }
    }
    out
}

#[test]
fn every_alias_spelling_is_listed_once_under_its_field() {
    let doc = doc();
    let aliases = aliases_in_source();
    assert!(aliases.len() >= 15, "{aliases:?}");
    assert!(aliases.contains(&("CallStarted".into(), "callId".into())));
    for (model, alias) in &aliases {
        let props = component(&doc, model)["properties"].as_object().unwrap();
        assert!(!props.contains_key(alias), "{model}: {alias} is a twin property, not an x-aliases entry");
        let owners: Vec<&String> = props
            .iter()
            .filter(|(_, p)| p["x-aliases"].as_array().is_some_and(|a| a.contains(&json!(alias))))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(owners.len(), 1, "{model}: {alias} is listed under {owners:?}");
    }
    let started = &component(&doc, "CallStarted")["properties"];
    assert_eq!(started["call_id"]["x-aliases"], json!(["callId"]));
    assert!(started.get("callId").is_none());
    assert!(!doc.to_string().contains("```"), "a Rust example from a doc comment is in the document");
}

#[test]
fn models_with_extra_allow_unknown_fields() {
    let doc = doc();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/models");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut current = None;
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("pub struct ") {
                current = Some(rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap().to_string());
            }
            if line.trim() == "pub extra: Extra," {
                let name = current.clone().unwrap();
                let Some(c) = doc["components"]["schemas"].get(&name) else { continue };
                assert_eq!(c["additionalProperties"], true, "{name}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn references_and_lists_accept_every_shape() {
    let doc = doc();
    let s = &doc["components"]["schemas"];
    // CallFlow.agent is an IdOrObject: a string or an object.
    let agent = s["CallFlow"]["properties"]["agent"].to_string();
    assert!(agent.contains(r#"{"type":"string"}"#) && agent.contains("ObjectRef"), "{agent}");
    let list = &s["List_Agent"]["anyOf"];
    assert_eq!(list[0], json!({"type": "array", "items": {"$ref": "#/components/schemas/Agent"}}));
    assert_eq!(list[1]["properties"]["data"], list[0]);
    assert_eq!(list[1]["properties"]["phoneNumbers"], list[0]);
    assert_eq!(list[2], json!({"$ref": "#/components/schemas/Agent"}));
    assert_eq!(list[3], json!({"type": "null"}));
    let success = &s["Ack"]["properties"]["success"]["anyOf"];
    assert_eq!(success[0], json!({"type": "boolean"}));
}

#[test]
fn body_fields_come_from_the_schema() {
    let fields = openapi::body_fields(&doc());
    let create = &fields.iter().find(|(id, _)| id == "agents.create").unwrap().1;
    let tts = create.iter().find(|f| f.name == "ttsModel").unwrap();
    assert_eq!((tts.kind.as_str(), tts.required), ("TtsModel", true));
    let smart = create.iter().find(|f| f.name == "smartCallback").unwrap();
    assert_eq!((smart.kind.as_str(), smart.required), ("boolean", false));
    let ids = create.iter().find(|f| f.name == "phoneNumberIds").unwrap();
    assert_eq!(ids.kind, "array<string>");
    let clone = &fields.iter().find(|(id, _)| id == "voices.clone").unwrap().1;
    let file = clone.iter().find(|f| f.name == "file").unwrap();
    assert_eq!((file.kind.as_str(), file.required), ("file", true));
    let taking_body = OPERATIONS.iter().filter(|r| r.body != BodyKind::None).count();
    assert_eq!(fields.len(), taking_body);
}

#[test]
fn the_catalog_names_each_operations_models_with_their_fields_and_spellings() {
    let file: Value = serde_json::from_str(&openapi::catalog_file()).unwrap();
    let row = |id: &str| file["operations"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap().clone();
    let models = &file["models"];
    let named = |id: &str| (row(id)["request_model"].clone(), row(id)["response_model"].clone());
    assert_eq!(named("agents.create"), (json!("CreateAgent"), json!("Agent")));
    assert_eq!(named("agents.list"), (json!(null), json!("List_Agent")));
    assert_eq!(named("folders.add_flow"), (json!("FoldersAddFlowBody"), json!("Folder")));
    assert_eq!(named("batch_calls.start"), (json!("StartBatch"), json!("BatchStarted")));
    assert_eq!(named("recordings.get"), (json!(null), json!(null)));
    assert_eq!(row("agents.delete")["response_nullable"], json!(true));
    assert_eq!(row("agents.get")["response_nullable"], json!(false));
    // Every named model is in `models`; every operation with a body names one.
    for op in file["operations"].as_array().unwrap() {
        for key in ["request_model", "response_model"] {
            if let Some(name) = op[key].as_str() {
                assert!(models[name].is_object(), "{}: {key} {name} is not in models", op["id"]);
            }
        }
        if op["body"] != "none"
            && op["id"] != "call_flows.upload_knowledge_base"
            && op["id"] != "knowledge_base.upload_file"
        {
            assert!(op["request_model"].is_string(), "{} has a body but no request model", op["id"]);
        }
    }
    // A model's fields: canonical name, the other spellings, required-ness, type.
    let field = |model: &str, name: &str| {
        models[model]["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone()
    };
    assert_eq!(models["Agent"]["kind"], "object");
    let id = field("Agent", "_id");
    assert_eq!((&id["aliases"], &id["required"], &id["type"]), (&json!(["agentId"]), &json!(false), &json!("string")));
    assert!(models["Agent"]["fields"].as_array().unwrap().iter().all(|f| f["name"] != "agentId"), "no twin");
    let to = field("InitiateCall", "to");
    assert_eq!((&to["required"], &to["nullable"], &to["type"]), (&json!(true), &json!(false), &json!("string")));
    assert_eq!(models["List_Agent"]["kind"], "list");
    assert_eq!(models["List_Agent"]["items"], "Agent");
    assert_eq!(models["CallMode"]["kind"], "schema");
}
