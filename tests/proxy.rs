//! The explicit `proxy` setting, proven through a CONNECT proxy on loopback that records every
//! byte it receives: requests go through it, and the API key never reaches its log in clear
//! (over https it only ever sees the encrypted tunnel) nor any proxy URL we show.

mod common;
mod net_support;

use net_support::{ConnectProxy, LeafKind, PlainServer, TestCa, TlsFront, TlsServer, PLAIN_BODY, TLS_BODY};
use std::sync::atomic::Ordering;

#[test]
fn an_https_request_goes_through_the_proxy_and_the_key_stays_in_the_tunnel() {
    let ca = TestCa::new("proxy-tls");
    let server = TlsServer::start(ca.leaf(LeafKind::Good));
    let proxy = ConnectProxy::start(None);
    let client =
        common::builder(&server.url()).ca_bundle(&ca.pem_path).proxy(proxy.url()).max_retries(0).build().unwrap();
    assert_eq!(client.call_json("agents.list", "{}").unwrap(), TLS_BODY);
    let heads = proxy.heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(heads[0].starts_with(&format!("CONNECT {} HTTP/1.1\r\n", server.addr)), "{}", heads[0]);
    // The server got the request (through the tunnel) with the key...
    let requests = server.requests.lock().unwrap();
    assert!(requests[0].contains(&format!("x-api-key: {}", common::KEY)), "{}", requests[0]);
    // ...and nothing the proxy saw holds it: the CONNECT head has no key, the tunnel is TLS.
    let log = proxy.log.lock().unwrap();
    assert!(log.len() > heads[0].len(), "the TLS tunnel went through the proxy");
    assert!(!log.windows(common::KEY.len()).any(|w| w == common::KEY.as_bytes()));
}

#[test]
fn an_explicit_proxy_carries_even_a_loopback_base_url() {
    let server = PlainServer::start();
    let proxy = ConnectProxy::start(None);
    let base = format!("http://{}", server.addr);
    let client = common::builder(&base).proxy(proxy.url()).max_retries(0).build().unwrap();
    assert_eq!(client.call_json("agents.list", "{}").unwrap(), PLAIN_BODY);
    let heads = proxy.heads.lock().unwrap();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].starts_with(&format!("CONNECT {} HTTP/1.1\r\n", server.addr)), "{}", heads[0]);
    assert!(!heads[0].contains(common::KEY), "the CONNECT head never carries the key: {}", heads[0]);
    assert_eq!(server.requests.lock().unwrap().len(), 1);
}

#[test]
fn proxy_credentials_are_sent_to_the_proxy_and_never_shown() {
    let server = PlainServer::start();
    let proxy = ConnectProxy::start(None);
    let url = format!("http://alice:pr0xy-pw@{}", proxy.addr);
    let client = common::builder(&format!("http://{}", server.addr)).proxy(url).max_retries(0).build().unwrap();
    client.call_json("agents.list", "{}").unwrap();
    // base64("alice:pr0xy-pw")
    assert!(proxy.heads.lock().unwrap()[0].contains("Proxy-Authorization: Basic YWxpY2U6cHIweHktcHc=\r\n"));
    let shown = client.config().proxy().unwrap();
    assert_eq!(shown, format!("http://<redacted>@{}", proxy.addr));
    let debug = format!("{client:?}");
    assert!(!debug.contains("pr0xy-pw") && !debug.contains(common::KEY), "{debug}");
}

#[test]
fn a_dead_proxy_is_a_connect_error() {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let server = PlainServer::start();
    let client = common::builder(&format!("http://{}", server.addr)).proxy(url).max_retries(0).build().unwrap();
    let e = client.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.kind(), "connect", "{e}");
    assert!(server.requests.lock().unwrap().is_empty());
}

#[test]
fn a_proxy_that_refuses_the_tunnel_is_a_connect_error() {
    let server = PlainServer::start();
    // The proxy tunnels to a port nobody listens on, so it answers 502.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = closed.local_addr().unwrap();
    drop(closed);
    let proxy = ConnectProxy::start(Some(nowhere));
    let client = common::builder(&format!("http://{}", server.addr)).proxy(proxy.url()).max_retries(0).build().unwrap();
    let e = client.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.kind(), "connect", "{e}");
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn invalid_proxy_urls_are_refused_without_showing_credentials() {
    for bad in ["socks5://alice:pr0xy-pw@127.0.0.1:1080", "127.0.0.1:3128", "http://alice:pr0xy-pw@"] {
        let e = common::builder("http://127.0.0.1:1").proxy(bad).build().unwrap_err();
        assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_proxy"), "{bad}: {e}");
        assert!(!e.message().contains("pr0xy-pw"), "{}", e.message());
    }
}

#[test]
fn an_https_proxy_is_reached_over_tls_trusting_the_ca_bundle() {
    // The proxy's own certificate comes from the test CA: the ca_bundle also vouches for it.
    let ca = TestCa::new("proxy-https");
    let server = PlainServer::start();
    let proxy = ConnectProxy::start(None);
    let front = TlsFront::start(ca.leaf(LeafKind::Good), proxy.addr);
    let proxy_url = format!("https://{}", front.addr);
    let base = format!("http://{}", server.addr);
    let client = common::builder(&base).ca_bundle(&ca.pem_path).proxy(&proxy_url).max_retries(0).build().unwrap();
    assert_eq!(client.call_json("agents.list", "{}").unwrap(), PLAIN_BODY);
    assert_eq!(front.connections.load(Ordering::SeqCst), 1);
    let heads = proxy.heads.lock().unwrap();
    assert!(heads[0].starts_with(&format!("CONNECT {} HTTP/1.1\r\n", server.addr)), "{heads:?}");

    // Without the CA, the proxy's certificate is refused: connect, one attempt.
    let untrusting = common::builder(&base).proxy(&proxy_url).max_retries(3).build().unwrap();
    let e = untrusting.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(e.kind(), "connect", "{e}");
    assert!(e.message().contains("unknown issuer"), "{}", e.message());
    assert_eq!(front.connections.load(Ordering::SeqCst), 2);
}
