//! Calls through the C ABI against a local mock server: what is sent (method, path, headers,
//! body), what comes back (bodies byte for byte, errors as status + error JSON), and one client
//! shared by many threads.

mod ffi_support;

use ffi_support::*;
use mockito::Matcher;
use std::os::raw::c_char;
use std::ptr;
use trillet::ffi::*;

fn client_for(server: &mockito::Server, extra: &str) -> *mut TrilletClient {
    client(&format!(
        r#"{{"api_key":"sk_test_ffi","workspace_id":"ws_ffi","base_url":"{}","max_retries":0,
            "user_agent_suffix":"c-test/1"{extra}}}"#,
        server.url()
    ))
}

#[test]
fn call_sends_the_operation_and_passes_the_body_through_byte_for_byte() {
    let mut server = mockito::Server::new();
    let answer = "{\"z\": 1,  \"a\":[2, 3], \"name\":\"Support\"}";
    let mock = server
        .mock("POST", "/v1/api/agents")
        .match_header("x-api-key", "sk_test_ffi")
        .match_header("x-workspace-id", "ws_ffi")
        .match_header("content-type", "application/json")
        .match_header("user-agent", Matcher::Regex(r"^trillet-rust/.* c-test/1$".into()))
        .match_body(Matcher::Exact(r#"{"name":"Support","z":1,"ttsModel":{"voiceId":"v"},"a":2}"#.into()))
        .with_status(201)
        .with_body(answer)
        .create();
    let client = client_for(&server, "");
    let (status, out) =
        call(client, "agents.create", Some(r#"{"body":{"name":"Support","z":1,"ttsModel":{"voiceId":"v"},"a":2}}"#));
    assert_eq!((status, out.as_str()), (OK, answer));
    mock.assert();
    unsafe { trillet_client_free(client) };
}

#[test]
fn call_fills_path_params_and_query() {
    let mut server = mockito::Server::new();
    let get = server.mock("GET", "/v1/api/agents/a%2Fb%20c").with_body("{\"_id\":\"a/b c\"}").create();
    let list = server
        .mock("GET", "/v2/api/call-history")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("page".into(), "2".into()),
            Matcher::UrlEncoded("status".into(), "completed".into()),
        ]))
        .with_body("[]")
        .create();
    let client = client_for(&server, "");
    assert_eq!(call(client, "agents.get", Some(r#"{"path":{"agentId":"a/b c"}}"#)), (OK, "{\"_id\":\"a/b c\"}".into()));
    assert_eq!(
        call(client, "call_history.list", Some(r#"{"query":{"page":2,"status":"completed"}}"#)),
        (OK, "[]".into())
    );
    get.assert();
    list.assert();
    unsafe { trillet_client_free(client) };
}

#[test]
fn api_errors_come_back_as_status_and_error_json() {
    let mut server = mockito::Server::new();
    let body = r#"{"error":{"code":"not_found","message":"Agent not found"}}"#;
    server
        .mock("GET", "/v1/api/agents/missing")
        .with_status(404)
        .with_header("x-request-id", "req_42")
        .with_body(body)
        .create();
    server
        .mock("GET", "/v1/api/agents")
        .with_status(429)
        .with_header("retry-after", "7")
        .with_body(r#"{"error":{"code":"rate_limit_exceeded","message":"Too many"}}"#)
        .create();
    let client = client_for(&server, "");
    let e =
        assert_error(call(client, "agents.get", Some(r#"{"path":{"agentId":"missing"}}"#)), API, "api", "not_found");
    assert_eq!(e["status"], 404);
    assert_eq!(e["request_id"], "req_42");
    assert_eq!(e["message"], "Agent not found");
    assert_eq!(e["body"]["error"]["code"], "not_found");
    let e = assert_error(call(client, "agents.list", None), API, "api", "rate_limit_exceeded");
    assert_eq!((e["status"].as_u64(), e["retry_after"].as_f64()), (Some(429), Some(7.0)));
    unsafe { trillet_client_free(client) };
}

#[test]
fn decode_timeout_and_connect_failures_have_their_own_status() {
    let mut server = mockito::Server::new();
    server.mock("GET", "/v1/api/agents").with_body("{not json").create();
    server
        .mock("GET", "/v1/api/folders-slow")
        .with_chunked_body(|w| {
            std::thread::sleep(std::time::Duration::from_millis(800));
            w.write_all(b"{}")
        })
        .create();
    let client = client_for(&server, "");
    let e = assert_error(call(client, "agents.list", None), DECODE, "decode", "invalid_response");
    assert!(e["body"].as_str().unwrap().contains("{not json"));

    let (get, path) = (c("GET"), c("/v1/api/folders-slow"));
    let req = c(r#"{"timeout_ms":200}"#);
    assert_error(request_raw(client, get.as_ptr(), path.as_ptr(), req.as_ptr()), TIMEOUT, "timeout", "timeout");

    let offline = offline_client();
    assert_error(call(offline, "agents.list", None), CONNECT, "connect", "connection_failed");
    unsafe { trillet_client_free(offline) };
    unsafe { trillet_client_free(client) };
}

#[test]
fn request_reaches_paths_the_table_does_not_know() {
    let mut server = mockito::Server::new();
    let mock = server
        .mock("PATCH", "/v1/api/experimental/x%201")
        .match_header("x-api-key", "sk_test_ffi")
        .match_query(Matcher::UrlEncoded("dry_run".into(), "true".into()))
        .match_body(Matcher::Exact(r#"{"b": 1}"#.into()))
        .with_body("{\"ok\" : true}")
        .create();
    let client = client_for(&server, "");
    let (method, path) = (c("patch"), c("/v1/api/experimental/{id}"));
    let req = c(r#"{"path":{"id":"x 1"},"query":{"dry_run":true},"body":{"b": 1}}"#);
    assert_eq!(request_raw(client, method.as_ptr(), path.as_ptr(), req.as_ptr()), (OK, "{\"ok\" : true}".into()));
    mock.assert();
    unsafe { trillet_client_free(client) };
}

/// A client pointer that may cross threads: the header documents the client as thread-safe.
#[derive(Clone, Copy)]
struct Shared(*const TrilletClient);
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

#[test]
fn one_client_serves_many_threads_at_once() {
    const THREADS: usize = 8;
    const CALLS: usize = 10;
    let mut server = mockito::Server::new();
    let mock = server
        .mock("GET", Matcher::Regex(r"^/v1/api/agents/t\d+-\d+$".into()))
        .with_body("{}")
        .expect(THREADS * CALLS)
        .create();
    let client = client_for(&server, "");
    let shared = Shared(client);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            std::thread::spawn(move || {
                let shared = shared;
                for i in 0..CALLS {
                    let req = format!(r#"{{"path":{{"agentId":"t{t}-{i}"}}}}"#);
                    assert_eq!(call(shared.0, "agents.get", Some(&req)), (OK, "{}".to_string()));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    mock.assert();
    unsafe { trillet_client_free(client) };
}

#[test]
fn out_strings_are_set_even_when_the_caller_passed_garbage() {
    let client = offline_client();
    let op = c("agents.nope");
    let mut out: *mut c_char = ptr::dangling_mut::<c_char>();
    let status = unsafe { trillet_call(client, op.as_ptr(), ptr::null(), &mut out) };
    assert_eq!(status, INVALID);
    assert!(take(out).contains("unknown_operation"));
    unsafe { trillet_client_free(client) };
}

#[test]
fn an_upload_of_exactly_the_limit_is_sent_and_one_byte_more_is_refused() {
    const LIMIT: u64 = 20 * 1024 * 1024;
    let mut server = mockito::Server::new();
    let mock = server
        .mock("POST", "/v1/api/batch-calls")
        .match_request(|r| r.body().map(|b| b.len() as u64 > LIMIT).unwrap_or(false))
        .with_body(r#"{"batchId":"b1"}"#)
        .expect(1)
        .create();
    let client = client_for(&server, "");
    let dir = std::env::temp_dir().join(format!("trillet-ffi-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (size, sent) in [(LIMIT, true), (LIMIT + 1, false)] {
        // Sparse files: the size comes from metadata; the one sent is read (zeros).
        let path = dir.join(format!("calls-{size}.csv"));
        std::fs::File::create(&path).unwrap().set_len(size).unwrap();
        let request = format!(
            r#"{{"body":{{"agentId":"ag1"}},"files":[{{"path":{}}}]}}"#,
            serde_json::to_string(path.to_str().unwrap()).unwrap()
        );
        let result = call(client, "batch_calls.start", Some(&request));
        if sent {
            assert_eq!(result.0, TrilletStatus::TRILLET_OK.code(), "{}", result.1);
        } else {
            assert_error(result, TrilletStatus::TRILLET_ERR_INVALID_INPUT.code(), "invalid_input", "file_too_large");
        }
    }
    mock.assert();
    unsafe { trillet_client_free(client) };
    let _ = std::fs::remove_dir_all(&dir);
}
