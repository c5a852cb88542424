//! Request framing as a server that does not speak chunked request bodies sees it: a raw TCP
//! listener (not mockito, which hides the framing) reads each request head byte for byte, reads
//! exactly `content-length` body bytes, and serves the next request on the same connection. A
//! chunked request's `0\r\n\r\n` would be read as the start of the next request and break it.

mod common;

use common::{client, KEY, WORKSPACE};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;
use trillet::operations::{BodyKind, Method};
use trillet::{Request, OPERATIONS};

/// One request as received: the head (request line and headers, up to and including the blank
/// line) and the body bytes read by `content-length`.
#[derive(Debug, Clone)]
struct Seen {
    head: String,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<String> {
        self.head.split("\r\n").skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
    fn request_line(&self) -> &str {
        self.head.split("\r\n").next().unwrap_or_default()
    }
}

/// A keep-alive server that frames requests by `content-length` only, like a server without
/// chunked support. A request line that is not `METHOD /path HTTP/1.1` gets a 400 and a close.
struct StrictServer {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
}

impl StrictServer {
    fn start() -> StrictServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (log, count) = (seen.clone(), connections.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let log = log.clone();
                thread::spawn(move || {
                    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    let mut buf: Vec<u8> = Vec::new();
                    loop {
                        let Some(end) = fill_until(&mut stream, &mut buf, |b| find(b, b"\r\n\r\n")) else { return };
                        let head = String::from_utf8_lossy(&buf[..end + 4]).into_owned();
                        let seen = Seen { head, body: Vec::new() };
                        let len: usize = seen.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                        let total = end + 4 + len;
                        if fill_until(&mut stream, &mut buf, |b| (b.len() >= total).then_some(total)).is_none() {
                            return;
                        }
                        let seen = Seen { body: buf[end + 4..total].to_vec(), ..seen };
                        buf.drain(..total);
                        let line: Vec<&str> = seen.request_line().split(' ').collect();
                        let valid = line.len() == 3 && line[1].starts_with('/') && line[2] == "HTTP/1.1";
                        log.lock().unwrap().push(seen);
                        if !valid {
                            let _ = stream.write_all(
                                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                            );
                            return;
                        }
                        let body = r#"{"ok":true}"#;
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        // One write: a second small one would wait on the client's delayed ACK.
                        if stream.write_all(answer.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        StrictServer { url, seen, connections }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads into `buf` until `done` finds what it needs; `None` on EOF, timeout or error.
fn fill_until(
    stream: &mut std::net::TcpStream,
    buf: &mut Vec<u8>,
    done: impl Fn(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(found) = done(buf) {
            return Some(found);
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn request_for(op: &trillet::Operation) -> Request {
    let mut req = Request::new();
    for name in op.path_params() {
        req = req.path_param(name, format!("p-{name}"));
    }
    req
}

#[test]
fn end_call_sends_content_length_zero_and_the_next_call_reuses_the_connection() {
    let server = StrictServer::start();
    let c = client(&server.url);
    let host = server.url.strip_prefix("http://").unwrap();

    let out = c.call_json("active_calls.end_call", r#"{"path":{"roomName":"room-1"}}"#).unwrap();
    assert_eq!(out, r#"{"ok":true}"#);
    let out = c.call_json("active_calls.end_call", r#"{"path":{"roomName":"room-2"}}"#).unwrap();
    assert_eq!(out, r#"{"ok":true}"#, "the second call on the same connection must succeed");

    let seen = server.seen();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    let expected = |path: &str| {
        format!(
            "POST {path} HTTP/1.1\r\naccept-encoding: gzip\r\ncontent-length: 0\r\nhost: {host}\r\n\
             x-api-key: {KEY}\r\nx-workspace-id: {WORKSPACE}\r\naccept: application/json\r\nuser-agent: {}\r\n\r\n",
            c.config().user_agent()
        )
    };
    assert_eq!(seen[0].head, expected("/v2/api/active-calls/room-1/end-call"));
    assert_eq!(seen[1].head, expected("/v2/api/active-calls/room-2/end-call"));
    assert!(seen.iter().all(|s| s.body.is_empty()));
    assert_eq!(server.connections.load(Ordering::SeqCst), 1, "both calls on one keep-alive connection");
}

#[test]
fn every_bodyless_write_operation_sends_content_length_zero_never_chunked() {
    let server = StrictServer::start();
    let c = client(&server.url);
    // Every POST/PUT/PATCH of the table sent without a body: those that take none, and JSON
    // operations called with no body. Multipart uploads always carry a body.
    let writes: Vec<_> = OPERATIONS
        .iter()
        .filter(|op| matches!(op.method, Method::Post | Method::Put | Method::Patch))
        .filter(|op| op.body != BodyKind::Multipart)
        .collect();
    assert!(writes.iter().any(|op| op.body == BodyKind::None), "the table has body-less writes (end_call)");
    // Those whose body has required fields are refused before sending (`missing_field`).
    let mut refused = 0;
    let writes: Vec<_> = writes
        .into_iter()
        .filter(|op| match c.execute(op, &request_for(op)) {
            Ok(resp) => {
                assert_eq!(resp.status, 200, "{}", op.id);
                true
            }
            Err(e) if e.code() == "missing_field" => {
                refused += 1;
                false
            }
            Err(e) => panic!("{}: {e}", op.id),
        })
        .collect();
    assert!(refused > 0 && writes.iter().any(|op| op.body == BodyKind::Json), "both kinds were tried");
    let seen = server.seen();
    assert_eq!(seen.len(), writes.len(), "one request each, nothing left over: {seen:#?}");
    for (op, s) in writes.iter().zip(&seen) {
        assert!(s.request_line().starts_with(&format!("{} /", op.method)), "{}: {}", op.id, s.head);
        assert_eq!(s.header("content-length").as_deref(), Some("0"), "{}: {}", op.id, s.head);
        assert_eq!(s.header("transfer-encoding"), None, "{}: {}", op.id, s.head);
        assert_eq!(s.header("content-type"), None, "{}: no body, no content type", op.id);
        assert!(s.body.is_empty(), "{}", op.id);
    }
    // The escape hatch frames a body-less write the same way.
    for method in ["POST", "PUT", "PATCH"] {
        c.request(method, "/v1/api/new/{id}", &Request::new().path_param("id", "x")).unwrap();
    }
    let raw = &server.seen()[writes.len()..];
    assert_eq!(raw.len(), 3);
    for s in raw {
        assert!(s.request_line().ends_with(" /v1/api/new/x HTTP/1.1"), "{}", s.head);
        assert_eq!((s.header("content-length").as_deref(), s.header("transfer-encoding")), (Some("0"), None));
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 1, "every call on one keep-alive connection");
}

#[test]
fn bodies_are_sent_with_content_length_and_reads_send_no_framing() {
    let server = StrictServer::start();
    let c = client(&server.url);
    let body = r#"{"name":"Support","ttsModel":{"voiceId":"v"},"n":[1,2,3]}"#;
    c.call_json("agents.create", &format!(r#"{{"body":{body}}}"#)).unwrap();
    c.call_json("agents.update", &format!(r#"{{"path":{{"agentId":"a1"}},"body":{body}}}"#)).unwrap();
    c.call_json("message_flows.update", r#"{"path":{"id":"f1"},"body":{}}"#).unwrap();
    c.call_json("agents.get", r#"{"path":{"agentId":"a1"}}"#).unwrap();
    c.call_json("agents.delete", r#"{"path":{"agentId":"a1"}}"#).unwrap();
    let upload = r#"{"path":{"id":"kb1"},"files":[{"field":"uploadedFile","filename":"a.txt","content_type":"text/plain","data_base64":"aGk="}]}"#;
    c.call_json("knowledge_base.upload_file", upload).unwrap();

    let seen = server.seen();
    assert_eq!(seen.len(), 6, "{seen:#?}");
    for s in &seen[..2] {
        assert_eq!(s.header("content-length"), Some(body.len().to_string()), "{}", s.head);
        assert_eq!(s.body, body.as_bytes());
    }
    assert_eq!((seen[2].header("content-length").as_deref(), &seen[2].body[..]), (Some("2"), &b"{}"[..]));
    for s in &seen {
        assert_eq!(s.header("transfer-encoding"), None, "never chunked: {}", s.head);
    }
    for s in &seen[3..5] {
        assert_eq!((s.header("content-length"), s.body.len()), (None, 0), "GET/DELETE carry no framing: {}", s.head);
    }
    let multipart = &seen[5];
    assert_eq!(multipart.header("content-length"), Some(multipart.body.len().to_string()));
    assert!(multipart.body.len() > 100, "the multipart body arrived whole");
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}
