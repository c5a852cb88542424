//! TLS trust, proven against a loopback TLS server whose certificate comes from a throw-away CA
//! made in the test: a `ca_bundle` holding that CA is trusted; without it the handshake fails as
//! a `connect` error naming the certificate problem, after exactly one attempt.

mod common;
mod net_support;

use net_support::{LeafKind, TestCa, TlsServer, TLS_BODY};
use std::sync::atomic::Ordering;

fn list(client: &trillet::Client) -> Result<String, trillet::Error> {
    client.call_json("agents.list", "{}")
}

#[test]
fn a_ca_bundle_with_the_servers_ca_is_trusted() {
    let ca = TestCa::new("tls-ok");
    let server = TlsServer::start(ca.leaf(LeafKind::Good));
    let client = common::builder(&server.url()).ca_bundle(&ca.pem_path).max_retries(0).build().unwrap();
    assert_eq!(client.config().ca_bundle(), Some(ca.pem_path.as_path()));
    assert_eq!(list(&client).unwrap(), TLS_BODY);
    // A second call reuses the pooled TLS connection.
    list(&client).unwrap();
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].starts_with("GET /v1/api/agents HTTP/1.1\r\n"), "{}", requests[0]);
    assert!(requests[0].contains(&format!("x-api-key: {}\r\n", common::KEY)), "{}", requests[0]);
}

/// Calls with retries allowed; the handshake must fail once, as `connect`, naming `problem`.
fn assert_refused_once(kind: LeafKind, problem: &str) {
    let ca = TestCa::new("tls-refused");
    let server = TlsServer::start(ca.leaf(kind));
    // No ca_bundle: only the system's roots, which do not hold the test CA (and for the expired
    // and wrong-name certificates the CA is trusted, so the certificate itself is the problem).
    let mut builder = common::builder(&server.url()).max_retries(3);
    if problem != "unknown issuer" {
        builder = builder.ca_bundle(&ca.pem_path);
    }
    let client = builder.build().unwrap();
    let e = list(&client).unwrap_err();
    assert_eq!(e.kind(), "connect", "{e}");
    assert_eq!(e.code(), "connection_failed", "{e}");
    assert!(e.message().contains("TLS handshake failed"), "{}", e.message());
    assert!(e.message().contains(problem), "{}", e.message());
    assert!(e.message().starts_with("could not connect to 127.0.0.1:"), "names the host: {}", e.message());
    assert!(!e.message().contains(common::KEY));
    // GET is idempotent and three retries were allowed: still one attempt, nothing sent.
    assert_eq!(server.connections.load(Ordering::SeqCst), 1, "a refused handshake is not retried");
    assert!(server.requests.lock().unwrap().is_empty());
    let json = e.to_json();
    assert!(json.contains(r#""kind":"connect""#), "{json}");
}

#[test]
fn an_unknown_issuer_is_a_connect_error_after_one_attempt() {
    assert_refused_once(LeafKind::Good, "unknown issuer");
}

#[test]
fn an_expired_certificate_is_a_connect_error_naming_the_expiry() {
    assert_refused_once(LeafKind::Expired, "certificate expired");
}

#[test]
fn a_certificate_for_another_name_is_a_connect_error_naming_the_name() {
    assert_refused_once(LeafKind::WrongName, "not valid for name");
}

#[test]
fn a_missing_ca_bundle_is_invalid_input_naming_the_path() {
    let path = net_support::temp_dir("tls-missing").join("no-such-ca.pem");
    let e = common::builder("https://127.0.0.1:1").ca_bundle(&path).build().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_ca_bundle"));
    assert!(e.message().contains(&path.display().to_string()), "{}", e.message());
    assert!(e.message().contains("no such file"), "{}", e.message());
}

#[test]
fn a_ca_bundle_without_a_usable_certificate_is_refused() {
    let dir = net_support::temp_dir("tls-bad-bundle");
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").unwrap();
    for (path, why) in [(&empty, "holds no PEM certificate"), (&garbage, "not a usable root certificate")] {
        let e = common::builder("https://127.0.0.1:1").ca_bundle(path).build().unwrap_err();
        assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_ca_bundle"), "{e}");
        assert!(e.message().contains(&path.display().to_string()) && e.message().contains(why), "{}", e.message());
    }
}

#[test]
fn an_empty_ca_bundle_setting_means_none() {
    let client = common::builder("https://127.0.0.1:1").ca_bundle("").build().unwrap();
    assert_eq!(client.config().ca_bundle(), None);
}
