//! A small HTTP/1.1 server: one thread per connection, keep-alive, `Content-Length` and chunked
//! request bodies, `Expect: 100-continue`, and full control of the socket (a `reset` fault closes
//! it without answering; stopping closes every open connection).
//!
//! Written here rather than taken from tiny_http 0.12: that crate serves each keep-alive
//! connection as a long-lived task on a pool that only grows when it sees no idle worker, and
//! under a burst of concurrent keep-alive clients it left connections unserved until others
//! closed (reproduced: 4 of 8 concurrent clients timed out); it also cannot close a connection
//! without sending a response.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Longest request line or header line.
const MAX_LINE: usize = 16 * 1024;
/// Most header lines in one request.
const MAX_HEADERS: usize = 128;
/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpRequest {
    /// Upper-case method.
    pub method: String,
    /// The request target as sent (path and query, still percent-encoded).
    pub target: String,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
    /// Whether the client asked to close the connection after this request (or speaks 1.0).
    pub close: bool,
}

/// An answer to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What the handler wants done with a request.
#[derive(Debug)]
pub(crate) enum Answer {
    /// Write this response.
    Respond(HttpResponse),
    /// Close the connection without answering.
    Reset,
}

/// Why a request could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection closed (or idled out) between requests.
    Closed,
    /// The request is malformed or too large: answer this status, then close.
    Bad(u16, String),
}

fn read_line(reader: &mut impl BufRead) -> Result<Option<String>, ReadError> {
    let mut line = Vec::new();
    let n = reader.take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line).map_err(|_| ReadError::Closed)?;
    if n == 0 {
        return Ok(None);
    }
    if line.len() > MAX_LINE {
        return Err(ReadError::Bad(431, "header line too long".into()));
    }
    if !line.ends_with(b"\n") {
        return Err(ReadError::Closed);
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    String::from_utf8(line).map(Some).map_err(|_| ReadError::Bad(400, "request head is not UTF-8".into()))
}

/// Reads one request; `continue_to` receives `100 Continue` when the client expects it.
pub(crate) fn read_request(
    reader: &mut impl BufRead,
    continue_to: &mut impl Write,
    max_body: u64,
) -> Result<HttpRequest, ReadError> {
    // Tolerate blank lines between requests (RFC 9112 §2.2).
    let request_line = loop {
        match read_line(reader)? {
            None => return Err(ReadError::Closed),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad(400, format!("malformed request line {request_line:?}")));
    };
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Bad(505, format!("unsupported version {version:?}"))),
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) || !target.starts_with('/') {
        return Err(ReadError::Bad(400, format!("malformed request line {request_line:?}")));
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or(ReadError::Closed)?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(ReadError::Bad(431, "too many headers".into()));
        }
        let (name, value) =
            line.split_once(':').ok_or_else(|| ReadError::Bad(400, format!("malformed header {line:?}")))?;
        if name.is_empty() || name.ends_with(' ') || name.starts_with([' ', '\t']) {
            return Err(ReadError::Bad(400, format!("malformed header {line:?}")));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let connection = header("connection").unwrap_or_default().to_ascii_lowercase();
    let close = connection.contains("close") || (http10 && !connection.contains("keep-alive"));
    let chunked = header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let length = match header("content-length") {
        None => None,
        Some(v) => Some(v.parse::<u64>().map_err(|_| ReadError::Bad(400, format!("invalid Content-Length {v:?}")))?),
    };
    if length.is_some_and(|n| n > max_body) {
        return Err(ReadError::Bad(413, format!("request body larger than {max_body} bytes")));
    }
    if (chunked || length.is_some_and(|n| n > 0))
        && header("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        continue_to
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .and_then(|()| continue_to.flush())
            .map_err(|_| ReadError::Closed)?;
    }
    let body = if chunked {
        read_chunked(reader, max_body)?
    } else {
        let mut body = Vec::with_capacity(length.unwrap_or(0).min(1 << 20) as usize);
        let n = length.unwrap_or(0);
        reader.take(n).read_to_end(&mut body).map_err(|_| ReadError::Closed)?;
        if (body.len() as u64) < n {
            return Err(ReadError::Closed);
        }
        body
    };
    Ok(HttpRequest { method: method.to_ascii_uppercase(), target: target.to_string(), headers, body, close })
}

fn read_chunked(reader: &mut impl BufRead, max_body: u64) -> Result<Vec<u8>, ReadError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or(ReadError::Closed)?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = u64::from_str_radix(size_text, 16)
            .map_err(|_| ReadError::Bad(400, format!("invalid chunk size {line:?}")))?;
        if size == 0 {
            // Trailers, up to the blank line.
            while !read_line(reader)?.ok_or(ReadError::Closed)?.is_empty() {}
            return Ok(body);
        }
        if body.len() as u64 + size > max_body {
            return Err(ReadError::Bad(413, format!("request body larger than {max_body} bytes")));
        }
        let before = body.len();
        reader.take(size).read_to_end(&mut body).map_err(|_| ReadError::Closed)?;
        if (body.len() - before) as u64 != size || !read_line(reader)?.is_some_and(|l| l.is_empty()) {
            return Err(ReadError::Bad(400, "malformed chunk".into()));
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        418 => "I'm a teapot",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Writes a response with a `Content-Length` (never chunked).
pub(crate) fn write_response(
    out: &mut impl Write,
    response: &HttpResponse,
    close: bool,
    head_only: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str(if close { "Connection: close\r\n\r\n" } else { "Connection: keep-alive\r\n\r\n" });
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(&response.body)?;
    }
    out.flush()
}

/// The handler every request goes to.
pub(crate) type Handler = dyn Fn(&HttpRequest) -> Answer + Send + Sync;

/// A running server; [`stop`](Server::stop) (or drop) closes the listener and every connection.
pub(crate) struct Server {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    connections: Arc<Mutex<HashMap<u64, TcpStream>>>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves every connection of a bound listener on its own thread.
    pub fn start(listener: TcpListener, max_body: u64, handler: Arc<Handler>) -> io::Result<Server> {
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<HashMap<u64, TcpStream>>> = Arc::default();
        let accept = {
            let (stopping, connections) = (Arc::clone(&stopping), Arc::clone(&connections));
            let next_id = AtomicU64::new(0);
            thread::Builder::new().name("trillet-sandbox-accept".into()).spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else {
                        // Out of descriptors, say: back off instead of spinning.
                        thread::sleep(Duration::from_millis(10));
                        continue;
                    };
                    let id = next_id.fetch_add(1, Ordering::Relaxed);
                    if let Ok(clone) = stream.try_clone() {
                        super::state::lock(&connections).insert(id, clone);
                    }
                    let (registry, handler) = (Arc::clone(&connections), Arc::clone(&handler));
                    let spawned = thread::Builder::new().name("trillet-sandbox-conn".into()).spawn(move || {
                        serve_connection(stream, &*handler, max_body);
                        super::state::lock(&registry).remove(&id);
                    });
                    if spawned.is_err() {
                        if let Some(s) = super::state::lock(&connections).remove(&id) {
                            let _ = s.shutdown(Shutdown::Both);
                        }
                    }
                }
            })?
        };
        Ok(Server { addr, stopping, connections, accept: Some(accept) })
    }

    /// Stops accepting, then closes every open connection. Idempotent.
    pub fn stop(&mut self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the accept loop so it sees the flag. Should that connection fail, the loop is
        // left to end on its next connection rather than blocking this call.
        let woken = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let Some(accept) = self.accept.take() {
            if woken {
                let _ = accept.join();
            }
        }
        for (_, stream) in super::state::lock(&self.connections).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve_connection(stream: TcpStream, handler: &Handler, max_body: u64) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer, max_body) {
            Ok(r) => r,
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(status, message)) => {
                let body =
                    serde_json::json!({"error": {"code": crate::codec::status_code(status), "message": message}});
                let response = HttpResponse {
                    status,
                    headers: vec![("Content-Type".into(), "application/json".into())],
                    body: body.to_string().into_bytes(),
                };
                let _ = write_response(&mut writer, &response, true, false);
                break;
            }
        };
        match handler(&request) {
            Answer::Reset => break,
            Answer::Respond(response) => {
                if write_response(&mut writer, &response, request.close, request.method == "HEAD").is_err()
                    || request.close
                {
                    break;
                }
            }
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> (Result<HttpRequest, ReadError>, Vec<u8>) {
        let mut continued = Vec::new();
        let r = read_request(&mut BufReader::new(raw), &mut continued, 1000);
        (r, continued)
    }

    #[test]
    fn reads_a_request_with_a_body() {
        let (r, cont) =
            parse(b"POST /v1/api/agents?a=1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: k\r\nContent-Length: 4\r\n\r\n{}{}extra");
        let r = r.unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str(), r.close), ("POST", "/v1/api/agents?a=1", false));
        assert_eq!(r.headers[1], ("x-api-key".to_string(), "k".to_string()));
        assert_eq!(r.body, b"{}{}");
        assert!(cont.is_empty());
    }

    #[test]
    fn reads_chunked_bodies_and_answers_expect_continue() {
        let raw = b"PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n";
        let (r, cont) = parse(raw);
        assert_eq!(r.unwrap().body, b"abcde");
        assert_eq!(cont, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn keeps_pipelined_requests_apart() {
        let raw = b"GET /a HTTP/1.1\r\n\r\n\r\nGET /b HTTP/1.0\r\n\r\n";
        let mut reader = BufReader::new(&raw[..]);
        let mut sink = Vec::new();
        let a = read_request(&mut reader, &mut sink, 10).unwrap();
        let b = read_request(&mut reader, &mut sink, 10).unwrap();
        assert_eq!((a.target.as_str(), a.close, b.target.as_str(), b.close), ("/a", false, "/b", true));
        assert!(matches!(read_request(&mut reader, &mut sink, 10), Err(ReadError::Closed)));
    }

    #[test]
    fn refuses_malformed_and_oversized_requests() {
        for (raw, status) in [
            (&b"GARBAGE\r\n\r\n"[..], 400),
            (b"GET /x HTTP/2.0\r\n\r\n", 505),
            (b"GET x HTTP/1.1\r\n\r\n", 400),
            (b"GET /x HTTP/1.1\r\nno colon\r\n\r\n", 400),
            (b"POST /x HTTP/1.1\r\nContent-Length: nope\r\n\r\n", 400),
            (b"POST /x HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 413),
            (b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ] {
            match parse(raw).0 {
                Err(ReadError::Bad(s, _)) => assert_eq!(s, status, "{}", String::from_utf8_lossy(raw)),
                other => panic!("{other:?} for {}", String::from_utf8_lossy(raw)),
            }
        }
        assert!(matches!(parse(b"").0, Err(ReadError::Closed)));
        assert!(matches!(parse(b"POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort").0, Err(ReadError::Closed)));
    }

    #[test]
    fn writes_a_response_with_its_length() {
        let mut out = Vec::new();
        let response = HttpResponse { status: 404, headers: vec![("X-A".into(), "1".into())], body: b"{}".to_vec() };
        write_response(&mut out, &response, true, false).unwrap();
        assert_eq!(out, b"HTTP/1.1 404 Not Found\r\nX-A: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    }

    #[test]
    fn serves_many_keep_alive_connections_at_once_and_closes_them_on_stop() {
        let handler: Arc<Handler> = Arc::new(|r: &HttpRequest| {
            if r.target == "/reset" {
                return Answer::Reset;
            }
            Answer::Respond(HttpResponse { status: 200, headers: vec![], body: r.target.clone().into_bytes() })
        });
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut server = Server::start(listener, 1000, handler).unwrap();
        // 16 clients keep their connections open while each sends 3 requests.
        let clients: Vec<_> = (0..16)
            .map(|i| {
                thread::spawn(move || {
                    let mut s = TcpStream::connect(addr).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let mut reader = BufReader::new(s.try_clone().unwrap());
                    for j in 0..3 {
                        write!(s, "GET /c{i}-{j} HTTP/1.1\r\n\r\n").unwrap();
                        let mut head = String::new();
                        while !head.ends_with("\r\n\r\n") {
                            reader.read_line(&mut head).unwrap();
                        }
                        let mut body = vec![0; format!("/c{i}-{j}").len()];
                        reader.read_exact(&mut body).unwrap();
                        assert_eq!(body, format!("/c{i}-{j}").as_bytes());
                    }
                    s
                })
            })
            .collect();
        let mut open: Vec<TcpStream> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        // A reset closes that connection without an answer.
        let mut r = TcpStream::connect(addr).unwrap();
        r.write_all(b"GET /reset HTTP/1.1\r\n\r\n").unwrap();
        let mut buf = Vec::new();
        assert_eq!(r.read_to_end(&mut buf).unwrap(), 0);
        server.stop();
        for s in &mut open {
            assert_eq!(s.read(&mut [0u8; 8]).unwrap(), 0, "closed by stop()");
        }
        assert!(TcpStream::connect(addr).is_err());
    }
}
