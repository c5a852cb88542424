//! Helpers shared by the integration tests.
#![allow(dead_code)]

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
