//! The request pipeline against a mock server: headers, paths, bodies, errors, retries, timeouts.

mod common;

use common::{builder, client, refused_url, RawBehaviour, RawServer, KEY, WORKSPACE};
use mockito::{Matcher, Server};
use serde_json::json;
use std::time::{Duration, Instant};
use trillet::{Error, Request};

const UA: &str = r"^trillet-rust/\d+\.\d+\.\d+ \([a-z0-9_]+; [a-z0-9_]+\)$";

#[test]
fn sends_every_required_header_and_the_body_byte_for_byte() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/v1/api/agents")
        .match_header("x-api-key", KEY)
        .match_header("x-workspace-id", WORKSPACE)
        .match_header("content-type", "application/json")
        .match_header("accept", "application/json")
        .match_header("user-agent", Matcher::Regex(UA.into()))
        .match_body(r#"{"name":"Support","ttsModel":{"voiceId":"v"},"a":1}"#)
        .with_status(200)
        .with_body(r#"{"_id":"665a1b2c3d4e5f6a7b8c9d0e","name":"Support"}"#)
        .create();
    let out = client(&server.url())
        .call_json("agents.create", r#"{"body":{"name":"Support","ttsModel":{"voiceId":"v"},"a":1}}"#)
        .unwrap();
    assert_eq!(out, r#"{"_id":"665a1b2c3d4e5f6a7b8c9d0e","name":"Support"}"#, "response passed through as sent");
    mock.assert();
}

#[test]
fn user_agent_suffix_is_appended() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/v1/api/agents")
        .match_header("user-agent", Matcher::Regex(r"^trillet-rust/\S+ \(.+\) python/3\.11$".into()))
        .match_header("content-type", Matcher::Missing)
        .with_body("[]")
        .create();
    let c = builder(&server.url()).user_agent_suffix("python/3.11").build().unwrap();
    assert_eq!(c.call("agents.list", json!({})).unwrap(), json!([]));
    mock.assert();
}

#[test]
fn key_only_operations_omit_the_workspace_header() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/v1/api/workspaces")
        .match_header("x-api-key", KEY)
        .match_header("x-workspace-id", Matcher::Missing)
        .with_body("[]")
        .create();
    client(&server.url()).call("workspaces.list", json!({})).unwrap();
    mock.assert();
}

#[test]
fn the_public_web_call_never_carries_the_key() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/v1/api/web-call/public")
        .match_header("x-api-key", Matcher::Missing)
        .match_header("x-workspace-id", WORKSPACE)
        .with_body(r#"{"token":"t"}"#)
        .create();
    client(&server.url()).call("calls.start_public_web_call", json!({"body": {"call_agent_id": "a"}})).unwrap();
    mock.assert();
}

#[test]
fn a_workspace_in_the_path_is_also_the_header() {
    let mut server = Server::new();
    let other = "65ffffffffffffffffffffff";
    let mock = server
        .mock("GET", format!("/v1/api/workspaces/{other}").as_str())
        .match_header("x-workspace-id", other)
        .with_body("{}")
        .create();
    client(&server.url()).call("workspaces.get", json!({"path": {"workspaceId": other}})).unwrap();
    mock.assert();
}

#[test]
fn hostile_ids_cannot_change_the_route() {
    let mut server = Server::new();
    let cases = [("../x", "..%2Fx"), ("a/b", "a%2Fb"), ("a?b", "a%3Fb"), ("a#b", "a%23b"), ("..", "%2E%2E")];
    for (id, encoded) in cases {
        let mock = server
            .mock("GET", format!("/v1/api/agents/{encoded}").as_str())
            .match_query(Matcher::Missing)
            .with_body(r#"{"ok":true}"#)
            .create();
        let got = client(&server.url()).call("agents.get", json!({"path": {"agentId": id}})).unwrap();
        assert_eq!(got, json!({"ok": true}), "id {id:?}");
        mock.assert();
    }
}

#[test]
fn query_parameters_are_encoded() {
    let mut server = Server::new();
    let mock = server
        .mock("GET", "/v2/api/call-history")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("page".into(), "2".into()),
            Matcher::UrlEncoded("limit".into(), "10".into()),
            Matcher::UrlEncoded("search".into(), "a b&c=d".into()),
        ]))
        .with_body("[]")
        .create();
    client(&server.url())
        .call("call_history.list", json!({"query": {"page": 2, "limit": 10, "search": "a b&c=d"}}))
        .unwrap();
    mock.assert();
}

#[test]
fn bad_requests_are_refused_before_anything_is_sent() {
    let mut server = Server::new();
    let mock = server.mock("ANY", Matcher::Any).expect(0).create();
    let c = client(&server.url());
    let cases = [
        ("agents.nope", json!({}), "unknown_operation"),
        ("agents.get", json!({}), "missing_path_param"),
        ("agents.get", json!({"path": {"agentId": ""}}), "invalid_input"),
        ("agents.get", json!({"path": {"agentId": "a", "extra": "b"}}), "unknown_path_param"),
        ("agents.list", json!({"body": {"name": "x"}}), "unexpected_body"),
        ("active_calls.end_call", json!({"path": {"roomName": "r"}, "body": {}}), "unexpected_body"),
        ("agents.list", json!({"bogus": 1}), "invalid_request_json"),
        ("batch_calls.start", json!({"body": {"agentId": "a"}}), "missing_file"),
    ];
    for (op, req, code) in cases {
        let e = c.call(op, req.clone()).unwrap_err();
        assert_eq!((e.kind(), e.code()), ("invalid_input", code), "{op} {req}");
    }
    // No key: refused when the client is built, naming the setting and the variable.
    let e = trillet::Client::builder().ignore_env().base_url(server.url()).build().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "missing_api_key"));
    assert_eq!(e.message(), "no API key: pass api_key to the client or set TRILLET_API_KEY");
    let no_ws = trillet::Client::builder().ignore_env().base_url(server.url()).api_key(KEY).build().unwrap();
    assert_eq!(no_ws.call("agents.list", json!({})).unwrap_err().code(), "missing_workspace_id");
    mock.assert();
}

fn api_error(status: usize, headers: &[(&str, &str)], body: &str) -> Error {
    let mut server = Server::new();
    let mut mock = server.mock("GET", "/v1/api/agents").with_status(status).with_body(body);
    for (k, v) in headers {
        mock = mock.with_header(*k, v);
    }
    let _m = mock.create();
    client(&server.url()).call("agents.list", json!({})).unwrap_err()
}

#[test]
fn nested_error_shape() {
    let e = api_error(
        400,
        &[("x-request-id", "req_123")],
        r#"{"error":{"code":"invalid_number","message":"The provided phone number is invalid"}}"#,
    );
    assert!(matches!(e, Error::Api { status: 400, .. }));
    assert_eq!(e.code(), "invalid_number");
    assert_eq!(e.message(), "The provided phone number is invalid");
    assert_eq!(e.request_id(), Some("req_123"));
    let j = e.to_json_value();
    assert_eq!(j["error"]["kind"], "api");
    assert_eq!(j["error"]["body"]["error"]["code"], "invalid_number");
}

#[test]
fn flat_error_shapes() {
    let e = api_error(404, &[], r#"{"error":"Batch not found","message":"No batch with id b1","id":"b1"}"#);
    assert_eq!((e.status(), e.code()), (Some(404), "not_found"));
    assert!(e.message().contains("Batch not found") && e.message().contains("No batch with id b1"), "{e}");
    let e = api_error(500, &[], r#"{"message":"Agent not found"}"#);
    assert_eq!((e.status(), e.code(), e.message()), (Some(500), "internal_server_error", "Agent not found"));
    let e = api_error(403, &[], r#"{"success":false,"error":"forbidden_workspace"}"#);
    assert_eq!(e.code(), "forbidden_workspace");
}

#[test]
fn html_error_pages_are_kept_as_text_and_truncated() {
    let page = format!("<html><body>{}</body></html>", "Bad gateway. ".repeat(400));
    let e = api_error(502, &[], &page);
    let Error::Api { status, message, body, .. } = &e else { panic!("{e:?}") };
    assert_eq!(*status, 502);
    assert_eq!(message, "HTTP 502 Bad Gateway");
    assert!(body.starts_with("<html><body>Bad gateway."));
    assert!(body.len() <= 2048 + 3, "kept {} bytes", body.len());
    assert_eq!(e.to_json_value()["error"]["body"].as_str().unwrap(), body);
}

#[test]
fn rate_limit_error_carries_reset_at_as_retry_after() {
    let reset = std::time::SystemTime::now() + Duration::from_secs(30);
    let secs = reset.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let iso = iso8601(secs);
    let body = format!(r#"{{"error":{{"code":"rate_limit_exceeded","message":"slow down","reset_at":"{iso}"}}}}"#);
    let e = api_error(429, &[], &body);
    assert_eq!(e.code(), "rate_limit_exceeded");
    let wait = e.retry_after().expect("retry_after from reset_at");
    assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(31), "{wait:?}");
}

fn iso8601(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    // civil from days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[test]
fn success_bodies_empty_text_and_invalid() {
    let mut server = Server::new();
    let _a = server.mock("DELETE", "/v1/api/agents/a1").with_status(204).create();
    let _b = server
        .mock("POST", "/v2/api/call-history/export-csv")
        .with_header("content-type", "text/csv")
        .with_body("id,status\n1,completed\n")
        .create();
    let _c = server.mock("GET", "/v1/api/agents").with_body("{not json").create();
    let c = client(&server.url());
    assert_eq!(c.call_json("agents.delete", r#"{"path":{"agentId":"a1"}}"#).unwrap(), "null");
    assert_eq!(c.call("call_history.export_csv", json!({"body": {}})).unwrap(), json!("id,status\n1,completed\n"));
    let e = c.call("agents.list", json!({})).unwrap_err();
    let Error::Decode { snippet, .. } = &e else { panic!("{e:?}") };
    assert_eq!(snippet, "{not json");
    assert_eq!((e.kind(), e.code()), ("decode", "invalid_response"));
}

#[test]
fn put_and_delete_are_retried_but_patch_and_post_are_not() {
    let mut server = Server::new();
    let put = server.mock("PUT", "/v1/api/agents/a").with_status(500).expect(3).create();
    let delete = server.mock("DELETE", "/v1/api/agents/a").with_status(503).expect(3).create();
    let patch = server.mock("PATCH", "/v1/api/flow-folders/f").with_status(500).expect(1).create();
    let post = server.mock("POST", "/v1/api/agents").with_status(500).expect(1).create();
    let c = builder(&server.url()).max_retries(2).build().unwrap();
    let e = c.call("agents.update", json!({"path": {"agentId": "a"}, "body": {}})).unwrap_err();
    assert_eq!(e.status(), Some(500));
    let e = c.call("agents.delete", json!({"path": {"agentId": "a"}})).unwrap_err();
    assert_eq!(e.status(), Some(503));
    let e =
        c.call("folders.update", json!({"path": {"folderId": "f"}, "body": {"color": "c", "icon": "i"}})).unwrap_err();
    assert_eq!(e.status(), Some(500));
    let e = c
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "x"}}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Some(500));
    put.assert();
    delete.assert();
    patch.assert();
    post.assert();
}

#[test]
fn a_connection_dropped_mid_request_retries_a_delete() {
    // The server reads each request and closes without answering: the request may have acted.
    let server = RawServer::start(RawBehaviour::CloseAfterRequest);
    let c = builder(&server.url).max_retries(2).build().unwrap();
    let e = c.call("agents.delete", json!({"path": {"agentId": "a"}})).unwrap_err();
    assert_eq!(e.kind(), "io", "{e:?}");
    assert_eq!(server.count(), 3, "a DELETE is idempotent: sent three times");
}

#[test]
fn a_post_that_failed_with_503_is_sent_exactly_once() {
    let mut server = Server::new();
    let call = server.mock("POST", "/v1/api/call").with_status(503).expect(1).create();
    let purchase = server.mock("POST", "/v1/api/twilio/purchase-number").with_status(502).expect(1).create();
    let c = builder(&server.url()).max_retries(3).build().unwrap();
    let e = c.call("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": "a"}})).unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(503), "service_unavailable"));
    let e = c
        .call(
            "phone_numbers.purchase",
            json!({"body": {"phoneNumber": "+14155550100", "country": "US", "type": "local"}}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Some(502));
    call.assert();
    purchase.assert();
}

#[test]
fn a_silent_server_times_out_within_the_deadline() {
    let server = RawServer::start(RawBehaviour::Hang);
    // Real time (socket I/O is the kernel's clock), so only bounds a loaded machine meets: the
    // deadline is waited for, and ends the call long before the server would answer (30 s).
    let c = builder(&server.url).max_retries(2).timeout(Duration::from_secs(1)).build().unwrap();
    let started = Instant::now();
    let e = c.call("agents.list", json!({})).unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.kind(), "timeout", "{e:?}");
    assert!(took >= Duration::from_secs(1) && took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(server.count(), 1, "a timeout is not retried");
    // A per-request timeout overrides the client's (here a minute).
    let c = builder(&server.url).max_retries(2).timeout(Duration::from_secs(60)).build().unwrap();
    let started = Instant::now();
    let e = c.execute(
        trillet::operations::find("agents.list").unwrap(),
        &Request::new().timeout(Duration::from_millis(300)),
    );
    assert_eq!(e.unwrap_err().kind(), "timeout");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn a_connection_dropped_mid_request_is_retried_only_when_idempotent() {
    let server = RawServer::start(RawBehaviour::CloseAfterRequest);
    let c = builder(&server.url).max_retries(2).build().unwrap();
    let e = c.call("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": "a"}})).unwrap_err();
    assert_eq!(e.kind(), "io", "{e:?}");
    assert_eq!(server.count(), 1, "a POST that may have reached the server must not be resent");
    let e = c.call("agents.list", json!({})).unwrap_err();
    assert_eq!(e.kind(), "io");
    assert_eq!(server.count(), 4, "a GET is retried twice");
}

#[test]
fn insecure_http_is_refused_unless_loopback_or_allowed() {
    let e = trillet::Client::builder().ignore_env().api_key(KEY).base_url("http://api.trillet.ai").build().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "insecure_base_url"));
    assert!(trillet::Client::builder().ignore_env().api_key(KEY).base_url("http://127.0.0.1:9").build().is_ok());
    assert!(trillet::Client::builder()
        .ignore_env()
        .api_key(KEY)
        .base_url("http://api.trillet.ai")
        .allow_insecure_http(true)
        .build()
        .is_ok());
}

#[test]
fn the_key_never_shows_in_debug_or_errors() {
    let mut server = Server::new();
    let _m =
        server.mock("GET", "/v1/api/agents").with_status(401).with_body(r#"{"message":"Invalid API key"}"#).create();
    let c = client(&server.url());
    assert!(!format!("{c:?}").contains(KEY));
    assert!(!format!("{:?}", c.config()).contains(KEY));
    let errors = [
        c.call("agents.list", json!({})).unwrap_err(),
        client(&refused_url()).call("agents.list", json!({})).unwrap_err(),
        c.call("agents.get", json!({})).unwrap_err(),
    ];
    for e in errors {
        for text in [e.to_string(), format!("{e:?}"), e.to_json()] {
            assert!(!text.contains(KEY), "key leaked in {text}");
        }
    }
}

#[test]
fn ten_threads_share_one_client() {
    let mut server = Server::new();
    let mock = server.mock("GET", "/v1/api/agents").with_body("[]").expect(100).create();
    let c = client(&server.url());
    let handles: Vec<_> = (0..10)
        .map(|_| {
            let c = c.clone();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    assert_eq!(c.call("agents.list", json!({})).unwrap(), json!([]));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    mock.assert();
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<trillet::Client>();
}

#[test]
fn raw_requests_share_the_pipeline() {
    let mut server = Server::new();
    let mock = server
        .mock("POST", "/v1/api/new-thing/a%2Fb")
        .match_header("x-api-key", KEY)
        .match_header("x-workspace-id", WORKSPACE)
        .match_query(Matcher::UrlEncoded("q".into(), "1".into()))
        .match_body(r#"{"x":1}"#)
        .with_body(r#"{"ok":true}"#)
        .create();
    let c = client(&server.url());
    let req = Request::new().path_param("id", "a/b").query("q", 1).json(&json!({"x": 1}));
    let resp = c.request("post", "/v1/api/new-thing/{id}", &req).unwrap();
    assert_eq!((resp.status, resp.body.as_str()), (200, r#"{"ok":true}"#));
    mock.assert();
    for bad in ["v1/x", "//evil.com/x", "/x?y=1", "/x#f", "http://evil.com/x", "/a b"] {
        assert_eq!(c.request("GET", bad, &Request::new()).unwrap_err().code(), "invalid_path", "{bad}");
    }
    assert_eq!(c.request("BREW", "/x", &Request::new()).unwrap_err().code(), "invalid_method");
}

#[test]
fn redirects_are_not_followed() {
    let mut server = Server::new();
    let _m = server
        .mock("GET", "/v1/api/agents")
        .with_status(302)
        .with_header("location", "http://127.0.0.1:9/steal")
        .create();
    let e = client(&server.url()).call("agents.list", json!({})).unwrap_err();
    assert_eq!(e.status(), Some(302));
}

#[test]
fn binary_answers_become_a_base64_envelope_and_json_answers_pass_through() {
    let mut server = Server::new();
    let audio: &[u8] = b"ID3\x03\x00\xff\xfbaudio";
    let _a = server
        .mock("GET", "/v2/api/recordings/c1")
        .with_header("content-type", "audio/mpeg")
        .with_header("content-disposition", "inline; filename=\"recording.mp3\"")
        .with_body(audio)
        .create();
    let _b = server
        .mock("GET", "/v2/api/recordings/c2")
        .with_header("content-type", "application/json; charset=utf-8")
        .with_body(r#"{"url":"https://x/rec.mp3"}"#)
        .create();
    let c = client(&server.url());
    let got = c.call("recordings.get", json!({"path": {"callHistoryId": "c1"}})).unwrap();
    assert_eq!(got["content_type"], "audio/mpeg");
    assert_eq!(got["filename"], "recording.mp3");
    assert_eq!(got["size"], audio.len());
    assert_eq!(got["data_base64"], "SUQzAwD/+2F1ZGlv", "standard base64 of the bytes sent");
    let got = c.call_json("recordings.get", r#"{"path":{"callHistoryId":"c2"}}"#).unwrap();
    assert_eq!(got, r#"{"url":"https://x/rec.mp3"}"#);
}

#[test]
fn hostile_rate_limit_bodies_and_headers_are_api_errors_not_panics() {
    for (header, body) in [
        (None, r#"{"error":{"code":"rate_limit_exceeded","message":"m","reset_at":"2024-01-22T15:30:00+0é"}}"#),
        (None, r#"{"error":{"code":"rate_limit_exceeded","message":"m","reset_at":"2024-01-22T15:30:00.1e400Z"}}"#),
        (
            None,
            r#"{"error":{"code":"rate_limit_exceeded","message":"m","reset_at":"99999999999999999-01-22T15:30:00Z"}}"#,
        ),
        (Some("Sun, 06 Nov 99999999999999999 08:49:37 GMT"), r#"{"a":"\ud800"}"#),
        (Some("1e400"), "[1e400]"),
    ] {
        let headers: Vec<(&str, &str)> = header.map(|h| ("retry-after", h)).into_iter().collect();
        let e = api_error(429, &headers, body);
        assert_eq!((e.kind(), e.status()), ("api", Some(429)), "{body}");
        assert_eq!(e.retry_after(), None, "{body}");
        assert!(e.to_json_value()["error"]["kind"] == "api");
    }
}

#[test]
fn a_huge_timeout_is_cut_to_a_day_not_a_panic() {
    let mut server = Server::new();
    let _m = server.mock("GET", "/v1/api/agents").with_body("[]").expect(2).create();
    let c = builder(&server.url()).timeout(Duration::MAX).build().unwrap();
    assert_eq!(c.config().timeout(), Duration::from_secs(86_400), "one day, the documented cap");
    c.call("agents.list", json!({})).unwrap();
    let op = trillet::operations::find("agents.list").unwrap();
    c.execute(op, &Request::new().timeout(Duration::MAX)).unwrap();
}

#[test]
fn characters_that_cannot_be_in_a_url_path_are_invalid_input_not_connect_errors() {
    let c = builder(&refused_url()).max_retries(2).build().unwrap();
    for bad in ["/v1/a<b>", "/v1/\"x\"", "/v1/é", "/v1/a\\b", "/v1/a^b"] {
        let (result, meta) = c.request_with_meta("GET", bad, &Request::new());
        let e = result.unwrap_err();
        assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_path"), "{bad}");
        assert_eq!(meta.attempts, 0, "{bad}: refused before any attempt, so never retried");
    }
}
