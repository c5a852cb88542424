//! Helpers shared by the integration tests: client builders, misbehaving raw servers, and a raw
//! HTTP/1.1 exchange (to test the wire contract the C, Python and Go tests use, and requests the
//! client would refuse to send).
#![allow(dead_code)]

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// A workspace id in the API's 24-hex format.
pub const WORKSPACE: &str = "64a1b2c3d4e5f6a7b8c9d0e1";
/// A test API key.
pub const KEY: &str = "sk_test_SECRET_0123456789";

/// A client for `url` that ignores the environment and never retries.
pub fn client(url: &str) -> trillet::Client {
    builder(url).max_retries(0).build().unwrap()
}

/// A builder for `url` with the test key and workspace, ignoring the environment.
pub fn builder(url: &str) -> trillet::ClientBuilder {
    trillet::Client::builder().ignore_env().base_url(url).api_key(KEY).workspace_id(WORKSPACE)
}

/// What a raw test server does with each connection.
#[derive(Clone, Copy)]
pub enum RawBehaviour {
    /// Accept, read the request, never answer.
    Hang,
    /// Accept, read the request, close without answering.
    CloseAfterRequest,
}

/// A loopback server that misbehaves on purpose; counts the connections it accepted.
pub struct RawServer {
    pub url: String,
    pub connections: Arc<AtomicUsize>,
}

impl RawServer {
    pub fn start(behaviour: RawBehaviour) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || {
                    read_request(&mut stream);
                    match behaviour {
                        RawBehaviour::Hang => thread::sleep(Duration::from_secs(30)),
                        RawBehaviour::CloseAfterRequest => {
                            let _ = stream.shutdown(std::net::Shutdown::Both);
                        }
                    }
                });
            }
        });
        RawServer { url, connections }
    }

    pub fn count(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

fn read_request(stream: &mut TcpStream) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                break;
            }
        }
    }
    let _ = stream.flush();
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A loopback port with nothing listening on it.
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A raw HTTP answer.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Raw {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Sends one request (`Connection: close`) and reads the whole answer.
pub fn raw(base_url: &str, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Raw {
    let addr = base_url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method == "POST" || method == "PUT" {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
    Raw { status, headers, body: body.to_string() }
}

/// The proxy variables a test may set (each spelling the client reads).
pub const PROXY_VARS: [&str; 8] =
    ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];

/// Holds the process environment for one test (the variables are process-wide, so tests take
/// turns): clears the proxy variables when taken and again when dropped.
pub struct ProxyEnv(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

impl ProxyEnv {
    /// Waits for the other tests of this binary to give the environment back.
    pub fn take() -> ProxyEnv {
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        clear_proxy_vars();
        ProxyEnv(guard)
    }

    /// Sets one variable for the rest of the test.
    pub fn set(&self, name: &str, value: &str) {
        std::env::set_var(name, value);
    }
}

impl Drop for ProxyEnv {
    fn drop(&mut self) {
        clear_proxy_vars();
    }
}

/// Removes every proxy variable.
pub fn clear_proxy_vars() {
    for v in PROXY_VARS {
        std::env::remove_var(v);
    }
}
