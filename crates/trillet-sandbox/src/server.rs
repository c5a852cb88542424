//! The glue between the HTTP server and the sandbox: a request under `/__sandbox/` goes to the
//! control endpoints, anything else through the API pipeline; the answer is written back (or the
//! connection closed, for a `reset` fault).

use super::http::{self, Answer, HttpRequest, HttpResponse};
use super::pipeline::{self, Action};
use super::reply::Reply;
use super::state::Shared;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

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

/// Binds `127.0.0.1:port`, builds the shared state for that address and serves it.
pub(crate) fn start(
    port: u16,
    shared: impl FnOnce(SocketAddr) -> Arc<Shared>,
) -> std::io::Result<(http::Server, Arc<Shared>)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let shared = shared(listener.local_addr()?);
    let for_handler = Arc::clone(&shared);
    let server = http::Server::start(
        listener,
        MAX_REQUEST_BYTES,
        Arc::new(move |request: &HttpRequest| handle(&for_handler, request)),
    )?;
    Ok((server, shared))
}

fn handle(shared: &Shared, request: &HttpRequest) -> Answer {
    let (path, query) = match request.target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (request.target.clone(), String::new()),
    };
    let incoming = Incoming {
        method: request.method.clone(),
        path,
        query,
        headers: request.headers.clone(),
        body: request.body.clone(),
    };
    let action = if incoming.path == "/__sandbox" || incoming.path.starts_with("/__sandbox/") {
        Action::Reply(super::control::handle(shared, &incoming))
    } else {
        pipeline::handle(shared, &incoming)
    };
    match action {
        Action::Reset => Answer::Reset,
        Action::Reply(reply) => Answer::Respond(response(shared, reply)),
    }
}

fn response(shared: &Shared, reply: Reply) -> HttpResponse {
    let mut headers = vec![
        ("Content-Type".to_string(), reply.content_type),
        ("x-request-id".to_string(), format!("req_{}", shared.next_request_id())),
    ];
    headers.extend(reply.headers);
    HttpResponse { status: reply.status, headers, body: reply.body }
}
