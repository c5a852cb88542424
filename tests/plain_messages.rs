//! Errors name the culprit in the reader's words: a set of misconfigurations (a dead port, a dead
//! proxy from the setting and from `HTTPS_PROXY` / `ALL_PROXY`, a deadline, `SSL_CERT_FILE` /
//! `SSL_CERT_DIR` naming nothing, malformed config and request JSON through the C ABI), each
//! error checked for what it must name, and every message they produce checked for Rust type
//! names and ureq terms. The environment is process-wide, so the tests take turns.

mod common;
mod ffi_support;

use common::{clear_proxy_vars, ProxyEnv};

use std::ffi::CString;
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

/// Words a user must never meet: Rust types, Rust syntax, ureq's names for things, errno noise.
const RUST_TERMS: [&str; 24] = [
    "u8", "u16", "u32", "u64", "usize", "i32", "i64", "f64", "struct ", "enum ", "Option", "Some(", "None", "Vec<",
    "String", "ureq", "serde", "global", "Global", "PerCall", "os error", "Timeout(", "Connect(", "::",
];

/// Asserts `message` holds none of [`RUST_TERMS`] as a word.
fn assert_plain(message: &str) {
    for term in RUST_TERMS {
        let hit = message.match_indices(term).any(|(at, _)| {
            let before = message[..at].chars().last();
            let after = message[at + term.len()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            // `u64` inside `bu64x` is not the type; terms ending in punctuation match anywhere.
            !word(before) && (!term.chars().last().unwrap().is_ascii_alphanumeric() || !word(after))
        });
        assert!(!hit, "{term:?} in a user-facing message: {message}");
    }
}

/// A made-up non-loopback host (a loopback base URL never goes through a proxy from the
/// environment).
const FAR: &str = "https://api.trillet.test";

fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn far_client() -> trillet::Client {
    trillet::Client::builder()
        .base_url(FAR)
        .api_key(common::KEY)
        .workspace_id(common::WORKSPACE)
        .max_retries(0)
        .build()
        .unwrap()
}

#[test]
fn a_refused_connection_names_the_host_and_port() {
    let _env = ProxyEnv::take();
    let url = common::refused_url();
    let e = common::client(&url).call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.kind(), "connect");
    let port = url.rsplit(':').next().unwrap();
    assert!(e.message().starts_with(&format!("could not connect to 127.0.0.1:{port}: ")), "{}", e.message());
    assert!(e.message().contains("connection refused"), "{}", e.message());
    assert!(!e.message().contains("proxy"), "no proxy in play: {}", e.message());
    assert_eq!(e.to_string(), e.message(), "Display adds nothing the message already says");
    assert_plain(&e.to_string());
}

#[test]
fn a_dead_proxy_is_named_with_where_it_came_from_and_without_its_password() {
    let _env = ProxyEnv::take();
    let port = dead_port();
    let setting = trillet::Client::builder()
        .ignore_env()
        .base_url(FAR)
        .api_key(common::KEY)
        .workspace_id(common::WORKSPACE)
        .proxy(format!("http://alice:s3cret@127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let e = setting.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.kind(), "connect");
    assert_eq!(
        e.message(),
        format!(
            "could not connect to api.trillet.test:443 through the proxy http://<redacted>@127.0.0.1:{port} \
             (from the proxy setting): connection refused"
        )
    );
    assert_plain(&e.to_string());

    for var in ["HTTPS_PROXY", "ALL_PROXY", "https_proxy"] {
        clear_proxy_vars();
        std::env::set_var(var, format!("http://bob:hunter2@127.0.0.1:{port}"));
        let e = far_client().call_json("agents.list", "{}").unwrap_err();
        assert_eq!(e.kind(), "connect", "{var}");
        let expected = format!("through the proxy http://<redacted>@127.0.0.1:{port} (from {var})");
        assert!(e.message().contains(&expected), "{var}: {}", e.message());
        assert!(e.message().contains("api.trillet.test:443"), "{}", e.message());
        assert!(!e.message().contains("hunter2"), "{}", e.message());
        assert_plain(&e.to_string());
    }
    // NO_PROXY takes the host out of the proxy's hands: the message no longer blames it.
    std::env::set_var("NO_PROXY", "api.trillet.test");
    let e = far_client().call_json("agents.list", "{}").unwrap_err();
    assert!(!e.message().contains("proxy"), "{}", e.message());
    assert_plain(&e.to_string());
}

#[test]
fn a_socks_proxy_from_the_environment_is_refused_by_name() {
    let _env = ProxyEnv::take();
    std::env::set_var("ALL_PROXY", "socks5://carol:pw@127.0.0.1:1080");
    let e = far_client().call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.code(), "unsupported_proxy");
    assert!(e.message().contains("socks5://<redacted>@127.0.0.1:1080 (from ALL_PROXY)"), "{}", e.message());
    assert_plain(&e.to_string());
}

#[test]
fn a_deadline_reads_as_the_operation_and_its_budget() {
    let _env = ProxyEnv::take();
    let server = common::RawServer::start(common::RawBehaviour::Hang);
    let client = common::builder(&server.url).timeout(Duration::from_millis(300)).max_retries(0).build().unwrap();
    let e = client.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.kind(), "timeout");
    assert!(e.message().starts_with("agents.list did not complete within 300ms"), "{}", e.message());
    assert_plain(&e.to_string());
}

#[test]
fn ssl_cert_variables_naming_nothing_fail_when_the_client_is_built() {
    let _env = ProxyEnv::take();
    let (file, dir) = (std::env::var_os("SSL_CERT_FILE"), std::env::var_os("SSL_CERT_DIR"));
    std::env::remove_var("SSL_CERT_DIR");
    std::env::set_var("SSL_CERT_FILE", "/nope/roots.pem");
    let e = trillet::Client::builder().ignore_env().api_key("k").build().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "missing_ssl_cert_path"));
    assert!(e.message().starts_with("SSL_CERT_FILE names /nope/roots.pem, which does not exist"), "{}", e.message());
    assert_plain(&e.to_string());
    std::env::remove_var("SSL_CERT_FILE");
    std::env::set_var("SSL_CERT_DIR", format!("{}:/nope/certs", std::env::temp_dir().display()));
    let e = trillet::Client::builder().ignore_env().api_key("k").build().unwrap_err();
    assert_eq!(e.code(), "missing_ssl_cert_path");
    assert!(e.message().starts_with("SSL_CERT_DIR names /nope/certs, which does not exist"), "{}", e.message());
    // A plain-http client (the local sandbox) never reads the roots: nothing to refuse.
    assert!(trillet::Client::builder().ignore_env().api_key("k").base_url("http://127.0.0.1:1").build().is_ok());
    match file {
        Some(f) => std::env::set_var("SSL_CERT_FILE", f),
        None => std::env::remove_var("SSL_CERT_FILE"),
    }
    match dir {
        Some(d) => std::env::set_var("SSL_CERT_DIR", d),
        None => std::env::remove_var("SSL_CERT_DIR"),
    }
}

#[test]
fn malformed_config_and_request_json_through_the_c_abi_read_plainly() {
    let _env = ProxyEnv::take();
    let mut messages = Vec::new();
    for config in
        [r#"{"timeout_ms":"500"}"#, r#"{"max_retries":-1}"#, r#"{"timeout_ms":1.5}"#, r#"[1,2]"#, r#"{"api_key":7}"#]
    {
        let text = CString::new(config).unwrap();
        let mut err: *mut c_char = ptr::null_mut();
        let client = unsafe { trillet::ffi::trillet_client_new(text.as_ptr(), &mut err) };
        assert!(client.is_null(), "{config}");
        let json: serde_json::Value = serde_json::from_str(&ffi_support::take(err)).unwrap();
        assert_eq!(json["error"]["kind"], "invalid_input", "{config}");
        messages.push(json["error"]["message"].as_str().unwrap().to_string());
    }
    assert!(messages[0].contains("expected a non-negative whole number"), "{}", messages[0]);
    let client = ffi_support::offline_client();
    for request in [r#"{"path":"a1"}"#, r#"{"query":[1]}"#, r#"{"timeout_ms":"soon"}"#] {
        let (_, out) = ffi_support::call(client, "agents.get", Some(request));
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        messages.push(json["error"]["message"].as_str().unwrap().to_string());
    }
    unsafe { trillet::ffi::trillet_client_free(client) };
    for m in &messages {
        assert_plain(m);
    }
}

#[test]
fn the_plain_check_catches_what_it_is_for() {
    for leak in [
        "invalid type: string \"x\", expected u64",
        "did not complete within 500ms: global",
        "Connection refused (os error 111)",
        "expected struct ClientConfig",
        "Some(\"x\")",
    ] {
        assert!(std::panic::catch_unwind(|| assert_plain(leak)).is_err(), "{leak}");
    }
    assert_plain("could not connect to 127.0.0.1:4000: connection refused");
}
