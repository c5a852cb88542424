//! Multipart uploads through the typed methods, checked byte for byte, and the 20 MB batch limit.

mod typed_support;

use mockito::{Matcher, Server};
use serde_json::json;
use std::path::PathBuf;
use trillet::models::{CloneVoice, StartBatch};
use trillet::FilePart;
use typed_support::{boundary, client, Captured};

/// Bytes that would break a careless encoder: CR/LF, a fake boundary, non-UTF-8.
const CONTENT: &[u8] = b"line1\r\n--not-the-boundary\r\n\x00\xff\xfe end";

fn temp_file(name: &str, data: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trillet-typed-uploads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

fn text_part(b: &str, name: &str, value: &str) -> Vec<u8> {
    format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes()
}

fn file_part(b: &str, field: &str, filename: &str, content_type: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

fn end(b: &str) -> Vec<u8> {
    format!("--{b}--\r\n").into_bytes()
}

#[test]
fn call_flow_knowledge_base_file_from_a_path() {
    let mut server = Server::new();
    let c = client(&server);
    let seen = Captured::default();
    let m = server
        .mock("POST", "/v1/api/call-flows/f1/knowledge-base")
        .match_request(seen.matcher())
        .with_body(r#"{"_id":"f1","settings":{"knowledgeBaseFiles":[{"filename":"faq.pdf","key":"k1","url":"u"}]}}"#)
        .expect(1)
        .create();
    let path = temp_file("faq.pdf", CONTENT);
    let flow = c.call_flows().upload_knowledge_base("f1", FilePart::from_path(&path)).unwrap();
    m.assert();
    let (body, ct) = seen.get();
    let b = boundary(&ct);
    let expected = [file_part(&b, "file", "faq.pdf", "application/pdf", CONTENT), end(&b)].concat();
    assert_eq!(body, expected);
    let files = flow.settings.unwrap().knowledge_base_files.unwrap();
    assert_eq!(files[0].key.as_deref(), Some("k1"));
}

#[test]
fn knowledge_base_file_from_bytes_uses_the_uploaded_file_field() {
    let mut server = Server::new();
    let c = client(&server);
    let seen = Captured::default();
    let m = server
        .mock("POST", "/v1/api/knowledgebase/kb1/files")
        .match_request(seen.matcher())
        .with_body(r#"{"success":true,"file":{"name":"guide.md","size":44,"type":"text/markdown"}}"#)
        .expect(1)
        .create();
    let up = c
        .knowledge_base()
        .upload_file("kb1", FilePart::from_bytes("guide.md", "text/markdown", CONTENT.to_vec()))
        .unwrap();
    m.assert();
    let (body, ct) = seen.get();
    let b = boundary(&ct);
    assert_eq!(body, [file_part(&b, "uploadedFile", "guide.md", "text/markdown", CONTENT), end(&b)].concat());
    assert_eq!(up.file.unwrap().size, Some(44));
}

#[test]
fn batch_csv_with_its_form_fields() {
    let mut server = Server::new();
    let c = client(&server);
    let seen = Captured::default();
    let m = server
        .mock("POST", "/v1/api/batch-calls")
        .match_request(seen.matcher())
        .with_body(r#"{"batchId":"batch_1","totalCalls":1,"status":"queued","message":"ok"}"#)
        .expect(1)
        .create();
    let csv = b"phone_number,first_name\n+14155550100,Ada\n";
    let batch = StartBatch::new("ag1", FilePart::from_bytes("calls.csv", "text/csv", csv.to_vec()))
        .scheduled_at("2025-06-01T09:00:00Z")
        .smart_callback_config(json!({"enabled": true}));
    let started = c.batch_calls().start(&batch).unwrap();
    m.assert();
    let (body, ct) = seen.get();
    let b = boundary(&ct);
    let expected = [
        text_part(&b, "agentId", "ag1"),
        text_part(&b, "scheduledAt", "2025-06-01T09:00:00Z"),
        text_part(&b, "smartCallbackConfig", r#"{"enabled":true}"#),
        file_part(&b, "file", "calls.csv", "text/csv", csv),
        end(&b),
    ]
    .concat();
    assert_eq!(String::from_utf8_lossy(&body), String::from_utf8_lossy(&expected));
    assert_eq!(body, expected);
    assert_eq!(started.batch_id.as_deref(), Some("batch_1"));
}

#[test]
fn voice_sample_with_a_name() {
    let mut server = Server::new();
    let c = client(&server);
    let seen = Captured::default();
    let m = server
        .mock("POST", "/v1/api/voices/clone")
        .match_request(seen.matcher())
        .with_body(r#"{"embedding":{"data":"...","format":"float32"},"voice":{"_id":"v1","name":"Mine"}}"#)
        .expect(1)
        .create();
    let path = temp_file("sample.wav", CONTENT);
    let cloned = c.voices().clone_voice(&CloneVoice::new(FilePart::from_path(&path)).name("Mine")).unwrap();
    m.assert();
    let (body, ct) = seen.get();
    let b = boundary(&ct);
    let expected =
        [text_part(&b, "name", "Mine"), file_part(&b, "file", "sample.wav", "audio/wav", CONTENT), end(&b)].concat();
    assert_eq!(body, expected);
    assert_eq!(cloned.voice.unwrap().id.as_deref(), Some("v1"));
    assert_eq!(cloned.embedding.unwrap()["format"], "float32");
}

const LIMIT: usize = 20 * 1024 * 1024;

#[test]
fn a_batch_csv_of_exactly_20_mb_is_sent() {
    let mut server = Server::new();
    let c = client(&server);
    // The file part's bytes, after its headers, are exactly 20 MiB of '1' and then the CRLF before
    // the closing boundary. (Found from the part's own headers: a random boundary may hold "11".)
    let m = server
        .mock("POST", "/v1/api/batch-calls")
        .match_request(|r| {
            let body = r.body().unwrap();
            let find =
                |from: usize, what: &[u8]| body[from..].windows(what.len()).position(|w| w == what).map(|p| p + from);
            let Some(start) = find(0, br#"filename="calls.csv""#).and_then(|h| find(h, b"\r\n\r\n")).map(|p| p + 4)
            else {
                return false;
            };
            body.len() > start + LIMIT
                && body[start..start + LIMIT].iter().all(|&b| b == b'1')
                && body[start + LIMIT] == b'\r'
        })
        .with_body(r#"{"success":true,"batchId":"b1"}"#)
        .expect(1)
        .create();
    let exact = FilePart::from_bytes("calls.csv", "text/csv", vec![b'1'; LIMIT]);
    c.batch_calls().start(&StartBatch::new("ag1", exact)).unwrap();
    m.assert();
}

#[test]
fn batch_csv_over_20_mb_is_refused_before_sending() {
    let mut server = Server::new();
    let c = client(&server);
    let m = server.mock("POST", Matcher::Any).expect(0).create();

    let big = FilePart::from_bytes("calls.csv", "text/csv", vec![b'1'; LIMIT + 1]);
    let e = c.batch_calls().start(&StartBatch::new("ag1", big)).unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "file_too_large"));

    // From a path the size comes from metadata: a sparse file, never read.
    let dir = std::env::temp_dir().join(format!("trillet-typed-uploads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.csv");
    std::fs::File::create(&path).unwrap().set_len(LIMIT as u64 + 1).unwrap();
    let e = c.batch_calls().start(&StartBatch::new("ag1", FilePart::from_path(&path))).unwrap_err();
    assert_eq!(e.code(), "file_too_large");
    std::fs::remove_file(&path).unwrap();

    m.assert();
}

#[test]
fn a_missing_file_or_agent_is_refused_before_sending() {
    let mut server = Server::new();
    let c = client(&server);
    let m = server.mock("POST", Matcher::Any).expect(0).create();
    let missing = FilePart::from_path("/definitely/not/here.csv");
    assert_eq!(c.batch_calls().start(&StartBatch::new("ag1", missing)).unwrap_err().code(), "file_unreadable");
    let csv = FilePart::from_bytes("calls.csv", "text/csv", b"x".to_vec());
    assert_eq!(c.batch_calls().start(&StartBatch::new("", csv)).unwrap_err().code(), "invalid_input");
    m.assert();
}
