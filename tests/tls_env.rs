//! `SSL_CERT_FILE` replaces the system's root store (as in OpenSSL and Go), and the store is read
//! once per process: this binary holds one test, which sets the variable before any client
//! exists.

mod common;
mod net_support;

use net_support::{LeafKind, TestCa, TlsServer, TLS_BODY};

#[test]
fn ssl_cert_file_is_trusted_without_a_ca_bundle_and_read_once_per_process() {
    let ca = TestCa::new("tls-env");
    let server = TlsServer::start(ca.leaf(LeafKind::Good));
    std::env::set_var("SSL_CERT_FILE", &ca.pem_path);
    let client = common::builder(&server.url()).max_retries(0).build().unwrap();
    assert_eq!(client.config().ca_bundle(), None);
    assert_eq!(client.call_json("agents.list", "{}").unwrap(), TLS_BODY);
    assert_eq!(server.requests.lock().unwrap().len(), 1);

    // The file now names another CA only: a client that read it again would refuse the server.
    let other = TestCa::new("tls-env-other");
    std::fs::copy(&other.pem_path, &ca.pem_path).unwrap();
    let second = common::builder(&server.url()).max_retries(0).build().unwrap();
    assert_eq!(second.call_json("agents.list", "{}").unwrap(), TLS_BODY, "the roots read by the first client");
    // With the file gone, the variable names nothing: a clear error when the client is built.
    std::fs::remove_file(&ca.pem_path).unwrap();
    let e = common::builder(&server.url()).max_retries(0).build().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "missing_ssl_cert_path"), "{e}");
    assert!(e.message().contains("SSL_CERT_FILE"), "{}", e.message());
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}
