//! The escape hatch (`Client::request`) reads an answer by its content-type, as the typed
//! operations do: JSON passed through, `text/*` as a JSON string, anything else as the binary
//! envelope `recordings.get` answers with.

mod common;

use common::client;
use mockito::Server;
use serde_json::{json, Value};
use trillet::Request;

const CSV: &str = "id,status\n1,completed\n2,\"no, answer\"\n";

#[test]
fn a_csv_answer_comes_back_as_a_json_string_like_the_typed_export() {
    let mut server = Server::new();
    let m = server
        .mock("POST", "/v2/api/call-history/export-csv")
        .with_header("content-type", "text/csv; charset=utf-8")
        .with_body(CSV)
        .expect(2)
        .create();
    let c = client(&server.url());
    let raw = c.request("POST", "/v2/api/call-history/export-csv", &Request::new().json(&json!({}))).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&raw.body).unwrap(), json!(CSV));
    let typed = c.call_json("call_history.export_csv", r#"{"body":{}}"#).unwrap();
    assert_eq!(raw.body, typed, "the escape hatch answers what the typed operation answers");
    m.assert();
}

#[test]
fn an_audio_answer_comes_back_as_the_binary_envelope_like_recordings_get() {
    let mut server = Server::new();
    let audio: &[u8] = b"ID3\x03\x00\xff\xfbaudio";
    let m = server
        .mock("GET", "/v2/api/recordings/c1")
        .with_header("content-type", "audio/mpeg")
        .with_header("content-disposition", "attachment; filename=\"c1.mp3\"")
        .with_body(audio)
        .expect(2)
        .create();
    let c = client(&server.url());
    let raw = c.request("GET", "/v2/api/recordings/{id}", &Request::new().path_param("id", "c1")).unwrap();
    let envelope: Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(
        envelope,
        json!({"content_type": "audio/mpeg", "filename": "c1.mp3", "size": audio.len(),
               "data_base64": "SUQzAwD/+2F1ZGlv"})
    );
    let typed = c.call_json("recordings.get", r#"{"path":{"callHistoryId":"c1"}}"#).unwrap();
    assert_eq!(raw.body, typed);
    m.assert();
}

#[test]
fn json_is_validated_and_passed_through_byte_for_byte() {
    let mut server = Server::new();
    let body = r#"{"z":1, "a":[true]}"#;
    let _j =
        server.mock("GET", "/v1/api/json").with_header("content-type", "application/json").with_body(body).create();
    let _p = server
        .mock("GET", "/v1/api/problem")
        .with_header("content-type", "application/problem+json")
        .with_body(r#"{"title":"x"}"#)
        .create();
    // No content-type: an API answers JSON unless it says otherwise (what the hatch always did).
    let _n = server.mock("GET", "/v1/api/untyped").with_body("[1,2]").create();
    let _e = server.mock("DELETE", "/v1/api/empty").with_status(204).create();
    let c = client(&server.url());
    let get = |path: &str| c.request("GET", path, &Request::new()).unwrap().body;
    assert_eq!(get("/v1/api/json"), body);
    assert_eq!(get("/v1/api/problem"), r#"{"title":"x"}"#);
    assert_eq!(get("/v1/api/untyped"), "[1,2]");
    assert_eq!(c.request("DELETE", "/v1/api/empty", &Request::new()).unwrap().body, "null");
}

#[test]
fn bad_json_under_a_json_content_type_is_still_a_decode_error() {
    let mut server = Server::new();
    let _m = server
        .mock("POST", "/v2/api/call-history/export-csv")
        .with_header("content-type", "application/json")
        .with_body(CSV)
        .create();
    let e = client(&server.url()).request("POST", "/v2/api/call-history/export-csv", &Request::new()).unwrap_err();
    assert_eq!((e.kind(), e.code()), ("decode", "invalid_response"));
}
