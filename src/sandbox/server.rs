//! The HTTP side: tiny_http's accept loop, one thread per request, reading a request into an
//! [`Incoming`] and writing a [`Reply`] back (or closing the connection for a `reset` fault).

use super::pipeline::{self, Action};
use super::reply::{ApiError, Reply};
use super::state::Shared;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Largest request body read (uploads included); larger bodies get 413.
pub(crate) const MAX_REQUEST_BYTES: u64 = 64 * 1024 * 1024;

/// A request as the sandbox sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Incoming {
    /// Upper-case method.
    pub method: String,
    /// The raw path, still percent-encoded, without the query.
    pub path: String,
    /// The raw query string without `?` (`""` when none).
    pub query: String,
    /// Headers with lower-case names, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Incoming {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Receives requests until `stopping` is set and the server is unblocked; each request is
/// served on its own thread so a delayed answer never holds up another request.
pub(crate) fn spawn_accept_loop(
    server: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    stopping: Arc<AtomicBool>,
) -> std::io::Result<JoinHandle<()>> {
    thread::Builder::new().name("trillet-sandbox-accept".into()).spawn(move || loop {
        let received = server.recv();
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        match received {
            Ok(request) => {
                let shared = Arc::clone(&shared);
                let worker = thread::Builder::new().name("trillet-sandbox-request".into());
                // If no thread can be started, the request is dropped (tiny_http answers 500).
                let _ = worker.spawn(move || handle(&shared, request));
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    })
}

fn handle(shared: &Shared, mut request: tiny_http::Request) {
    let peer = request.remote_addr().copied();
    let incoming = match read(&mut request) {
        Ok(incoming) => incoming,
        Err(reply) => return respond(shared, request, reply),
    };
    let action = if incoming.path == "/__sandbox" || incoming.path.starts_with("/__sandbox/") {
        Action::Reply(super::control::handle(shared, &incoming))
    } else {
        pipeline::handle(shared, &incoming)
    };
    match action {
        Action::Reply(reply) => respond(shared, request, reply),
        Action::Reset => {
            // Take the writer so tiny_http sends nothing, then close the socket under it.
            let writer = request.into_writer();
            let closed = peer.is_some_and(|peer| super::socket::shutdown_connection(shared.local_addr, peer));
            drop(writer);
            if !closed {
                eprintln!("trillet sandbox: could not reset the connection (unsupported on this platform)");
            }
        }
    }
}

fn read(request: &mut tiny_http::Request) -> Result<Incoming, Reply> {
    let (path, query) = match request.url().split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (request.url().to_string(), String::new()),
    };
    let headers = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().as_str().to_ascii_lowercase(), h.value.as_str().to_string()))
        .collect();
    let mut body = Vec::new();
    let too_large = || {
        ApiError::new(413, "payload_too_large", format!("Request body larger than {MAX_REQUEST_BYTES} bytes")).reply()
    };
    if request.body_length().is_some_and(|n| n as u64 > MAX_REQUEST_BYTES) {
        return Err(too_large());
    }
    request.as_reader().take(MAX_REQUEST_BYTES + 1).read_to_end(&mut body).map_err(|e| {
        ApiError::bad_request("invalid_request", format!("Could not read the request body: {e}")).reply()
    })?;
    if body.len() as u64 > MAX_REQUEST_BYTES {
        return Err(too_large());
    }
    Ok(Incoming { method: request.method().as_str().to_ascii_uppercase(), path, query, headers, body })
}

fn respond(shared: &Shared, request: tiny_http::Request, reply: Reply) {
    let request_id = format!("req_{}", shared.next_request_id());
    let mut response = tiny_http::Response::from_data(reply.body)
        .with_status_code(reply.status)
        // Always a Content-Length, never chunked: simplest for every client.
        .with_chunked_threshold(usize::MAX);
    let mut headers = vec![("Content-Type".to_string(), reply.content_type), ("x-request-id".to_string(), request_id)];
    headers.extend(reply.headers);
    for (name, value) in headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The client may be gone (it timed out); nothing to do about it.
    let _ = request.respond(response);
}
