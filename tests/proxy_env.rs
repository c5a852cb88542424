//! The proxy environment variables: used for a non-loopback host unless `NO_PROXY` lists it,
//! never for a loopback base URL (so the local sandbox keeps working behind a corporate
//! `HTTPS_PROXY`), and overridden by an explicit `proxy` setting. The variables are process-wide,
//! so these tests take turns.

mod common;
mod net_support;

use common::{clear_proxy_vars, ProxyEnv};

use net_support::{ConnectProxy, PlainServer, PLAIN_BODY};
use std::sync::atomic::Ordering;
use std::time::Duration;
use trillet_sandbox::{Sandbox, SandboxOptions};

/// A proxy URL nothing listens on.
fn dead_proxy() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", l.local_addr().unwrap())
}

/// A made-up, non-loopback host name; only the test proxy knows where it is.
const FAR_HOST: &str = "api.trillet.test";

#[test]
fn the_loopback_sandbox_ignores_dead_proxies_in_the_environment() {
    let env = ProxyEnv::take();
    let dead = dead_proxy();
    for v in ["ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "all_proxy", "https_proxy", "http_proxy"] {
        env.set(v, &dead);
    }
    let sandbox = Sandbox::start(SandboxOptions::default()).unwrap();
    let client = sandbox.client_builder().max_retries(0).build().unwrap();
    let agents = client.call_json("agents.list", "{}").unwrap();
    assert!(agents.starts_with('{') || agents.starts_with('['), "{agents}");
    assert_eq!(sandbox.requests().len(), 1);
}

#[test]
fn a_non_loopback_host_goes_through_the_environments_proxy() {
    let env = ProxyEnv::take();
    let server = PlainServer::start();
    let proxy = ConnectProxy::start(Some(server.addr));
    env.set("HTTPS_PROXY", &proxy.url());
    let base = format!("http://{FAR_HOST}:{}", server.addr.port());
    let client = common::builder(&base).allow_insecure_http(true).max_retries(0).build().unwrap();
    assert_eq!(client.call_json("agents.list", "{}").unwrap(), PLAIN_BODY);
    let heads = proxy.heads.lock().unwrap();
    assert_eq!(heads.len(), 1);
    let connect = format!("CONNECT {FAR_HOST}:{} HTTP/1.1\r\n", server.addr.port());
    assert!(heads[0].starts_with(&connect), "{}", heads[0]);
    assert!(!heads[0].contains(common::KEY));
    let requests = server.requests.lock().unwrap();
    assert!(requests[0].contains(&format!("host: {FAR_HOST}:{}", server.addr.port())), "{}", requests[0]);
}

#[test]
fn no_proxy_sends_a_listed_host_direct() {
    let env = ProxyEnv::take();
    let server = PlainServer::start();
    let proxy = ConnectProxy::start(Some(server.addr));
    env.set("HTTP_PROXY", &proxy.url());
    env.set("NO_PROXY", &format!("localhost,.example.com,{FAR_HOST}"));
    let base = format!("http://{FAR_HOST}:{}", server.addr.port());
    let client = common::builder(&base)
        .allow_insecure_http(true)
        .connect_timeout(Duration::from_secs(3))
        .max_retries(0)
        .build()
        .unwrap();
    // Direct, the made-up name does not resolve (the error's kind is the resolver's business):
    // the proxy was never asked, and nothing reached the server.
    let e = client.call_json("agents.list", "{}").unwrap_err();
    assert_ne!(e.kind(), "api", "{e}");
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 0, "{e}");
    assert!(server.requests.lock().unwrap().is_empty());
}

#[test]
fn an_explicit_proxy_overrides_the_environment() {
    let env = ProxyEnv::take();
    env.set("HTTPS_PROXY", &dead_proxy());
    env.set("NO_PROXY", "*");
    let server = PlainServer::start();
    let proxy = ConnectProxy::start(Some(server.addr));
    let base = format!("http://{FAR_HOST}:{}", server.addr.port());
    let client = common::builder(&base).allow_insecure_http(true).proxy(proxy.url()).max_retries(0).build().unwrap();
    assert_eq!(client.call_json("agents.list", "{}").unwrap(), PLAIN_BODY);
    assert_eq!(proxy.heads.lock().unwrap().len(), 1);
}

#[test]
fn a_socks_proxy_in_the_environment_is_refused_by_name_not_bypassed() {
    let env = ProxyEnv::take();
    let server = PlainServer::start();
    env.set("ALL_PROXY", "socks5://alice:s3cret@127.0.0.1:1080");
    let base = format!("http://{FAR_HOST}:{}", server.addr.port());
    let client = common::builder(&base).allow_insecure_http(true).build().unwrap();
    let (result, meta) = client.call_json_with_meta("agents.list", "{}");
    let e = result.unwrap_err();
    // A setting to fix, not a network failure: not retried, and it says what to do.
    assert_eq!((e.kind(), e.code()), ("invalid_input", "unsupported_proxy"), "{e}");
    assert!(e.message().contains("SOCKS") && e.message().contains("127.0.0.1:1080"), "{}", e.message());
    assert!(!e.message().contains("s3cret") && !e.message().contains("alice"), "{}", e.message());
    assert!(meta.attempts <= 1, "retried: {meta:?}");
    assert!(server.requests.lock().unwrap().is_empty());

    // A host NO_PROXY lists goes direct, as with any proxy from the environment.
    env.set("NO_PROXY", FAR_HOST);
    let client = common::builder(&base).allow_insecure_http(true).max_retries(0).build().unwrap();
    let e = client.call_json("agents.list", "{}").unwrap_err();
    assert_ne!(e.code(), "unsupported_proxy", "{e}");
}

/// Calls FAR_HOST (which the proxies "resolve" to a plain server) with the environment as set,
/// and says which of `proxies` carried the call (None: none was asked).
fn carried_by(proxies: &[&ConnectProxy], port: u16) -> Option<usize> {
    let base = format!("http://{FAR_HOST}:{port}");
    let client = common::builder(&base)
        .allow_insecure_http(true)
        .connect_timeout(Duration::from_secs(3))
        .max_retries(0)
        .build()
        .unwrap();
    let before: Vec<usize> = proxies.iter().map(|p| p.connections.load(Ordering::SeqCst)).collect();
    let _ = client.call_json("agents.list", "{}");
    let after: Vec<usize> = proxies.iter().map(|p| p.connections.load(Ordering::SeqCst)).collect();
    let used: Vec<usize> = (0..proxies.len()).filter(|&i| after[i] > before[i]).collect();
    assert!(used.len() <= 1, "{used:?}");
    used.first().copied()
}

#[test]
fn proxy_variables_take_all_then_https_then_http_in_either_case_and_no_proxy_takes_every_form() {
    let env = ProxyEnv::take();
    let server = PlainServer::start();
    let port = server.addr.port();
    let (all, https, http) = (
        ConnectProxy::start(Some(server.addr)),
        ConnectProxy::start(Some(server.addr)),
        ConnectProxy::start(Some(server.addr)),
    );
    let proxies = [&all, &https, &http];
    env.set("ALL_PROXY", &all.url());
    env.set("HTTPS_PROXY", &https.url());
    env.set("HTTP_PROXY", &http.url());
    assert_eq!(carried_by(&proxies, port), Some(0), "ALL_PROXY first");
    clear_proxy_vars();
    env.set("HTTPS_PROXY", &https.url());
    env.set("HTTP_PROXY", &http.url());
    assert_eq!(carried_by(&proxies, port), Some(1), "then HTTPS_PROXY");
    clear_proxy_vars();
    env.set("HTTP_PROXY", &http.url());
    assert_eq!(carried_by(&proxies, port), Some(2), "then HTTP_PROXY");
    clear_proxy_vars();
    env.set("https_proxy", &https.url());
    assert_eq!(carried_by(&proxies, port), Some(1), "a lowercase variable alone counts");
    // NO_PROXY (or no_proxy) in each form sends FAR_HOST direct; a non-matching entry does not.
    let suffix = FAR_HOST.split_once('.').map(|(_, s)| s).unwrap();
    for (var, list, direct) in [
        ("NO_PROXY", format!(".{suffix}"), true),
        ("NO_PROXY", format!("*.{suffix}"), true),
        ("NO_PROXY", "*".to_string(), true),
        ("no_proxy", FAR_HOST.to_string(), true),
        ("NO_PROXY", "other.example.org".to_string(), false),
    ] {
        clear_proxy_vars();
        env.set("HTTPS_PROXY", &https.url());
        env.set(var, &list);
        let carried = carried_by(&proxies, port);
        assert_eq!(carried.is_none(), direct, "{var}={list}: carried by {carried:?}");
    }
}
