//! The only module that touches ureq (with its submodules: `resolver`, the name cache it hands
//! ureq; `socket`, the TCP transport under it; `tls`, the trusted roots; `proxy`): sends one HTTP
//! exchange and reads the whole response.
//!
//! It knows nothing of operations; it classifies failures so the retry rules can tell a request
//! that was never sent from one the server may have acted on.

pub(crate) mod proxy;
mod resolver;
mod sent;
mod socket;
pub(crate) mod tls;

use crate::config::Config;
use crate::error::Result;
use crate::operations::Method;
use proxy::Chosen;
use resolver::CachingResolver;
#[cfg(feature = "test-hooks")]
pub(crate) use resolver::LookupFn;
use std::io::ErrorKind;
use std::time::Duration;
use ureq::http;

/// Largest response body read (CSV exports and call-history pages can be large).
pub(crate) const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// One HTTP request, ready to send. `Debug` never shows the `x-api-key` value.
pub(crate) struct HttpRequest<'a> {
    pub method: Method,
    pub url: &'a str,
    /// Names are lowercase literals; values are checked when the request is built.
    pub headers: &'a [(&'static str, &'a str)],
    pub body: Option<&'a [u8]>,
}

impl std::fmt::Debug for HttpRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (*n, if n.eq_ignore_ascii_case("x-api-key") { "<redacted>" } else { *v }))
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.map(<[u8]>::len))
            .finish()
    }
}

/// A complete HTTP response.
#[derive(Debug)]
pub(crate) struct HttpResponse {
    pub status: u16,
    /// As ureq parsed them (moved, not copied).
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header, by case-insensitive name (`None` when it is not UTF-8).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
    }
}

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) enum TransportError {
    /// The deadline passed.
    Timeout(String),
    /// No connection was made (DNS, refused, TLS); nothing was sent.
    Connect(String),
    /// The TLS handshake was refused (the server's certificate is not trusted, expired or for
    /// another name): nothing was sent, and a retry would fail the same way.
    Tls(String),
    /// The connection broke after the request may have been sent.
    Io(String),
    /// The response body was larger than [`MAX_RESPONSE_BYTES`].
    TooLarge(u64),
    /// The request could not be built (an invalid URL or header): nothing was sent, and a retry
    /// would fail the same way.
    Invalid(String),
    /// The environment names a proxy this client cannot use (SOCKS): nothing was sent.
    UnsupportedProxy(String),
}

impl std::fmt::Display for TransportError {
    /// What failed, for log lines (the error a caller sees is built from the same words).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Timeout(m) if m.is_empty() => f.write_str("timed out"),
            TransportError::Timeout(m) => write!(f, "timed out {m}"),
            TransportError::Connect(m) | TransportError::Tls(m) => f.write_str(m),
            TransportError::Io(m) => write!(f, "connection lost: {m}"),
            TransportError::TooLarge(n) => write!(f, "response body larger than {n} bytes"),
            TransportError::Invalid(m) | TransportError::UnsupportedProxy(m) => f.write_str(m),
        }
    }
}

/// A pooled, keep-alive HTTP agent.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    /// The agent's resolver (shared with it): forgotten after a connect failure.
    resolver: CachingResolver,
    /// The proxy requests go through, if any, and where it was named.
    proxy: Option<Chosen>,
    /// When that proxy cannot be used (SOCKS), the message saying so.
    unsupported_proxy: Option<String>,
    /// The base URL's `host:port`, for log lines.
    host: String,
}

impl Transport {
    /// Fails with `invalid_input` when TLS can be used and `SSL_CERT_FILE` / `SSL_CERT_DIR` name
    /// a path that does not exist (see [`tls::check_env_paths`]).
    pub fn new(config: &Config) -> Result<Transport> {
        // Our resolver, not ureq's default: that one spawns a thread and looks the host up again
        // for every request once a timeout is set (see transport/resolver.rs).
        // Our socket transport, not ureq's: its pooled request makes 4 system calls, not 10
        // (see transport/socket.rs).
        #[cfg(feature = "test-hooks")]
        let resolver = match config.lookup {
            Some(lookup) => CachingResolver::with(lookup, resolver::TTL),
            None => CachingResolver::new(),
        };
        #[cfg(not(feature = "test-hooks"))]
        let resolver = CachingResolver::new();
        let proxy = proxy::choose(config.proxy.as_ref(), config.base_is_loopback());
        let agent_config = agent_config(config, proxy.as_ref())?;
        let unsupported_proxy = proxy.as_ref().and_then(proxy::unsupported);
        let agent = ureq::Agent::with_parts(agent_config, socket::connector(), resolver.clone());
        let host = config.base_url.parse::<http::Uri>().map_or_else(|_| config.base_url.clone(), |u| host_port(&u));
        Ok(Transport { agent, resolver, proxy, unsupported_proxy, host })
    }

    /// The base URL's `host:port` (named in log lines).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The proxy a request to `uri` goes through, if any.
    fn proxy_for(&self, uri: &http::Uri) -> Option<&Chosen> {
        self.proxy.as_ref().filter(|p| !p.proxy.is_no_proxy(uri))
    }

    /// A connect failure as the reader needs it: the host and port, and the proxy and where it
    /// was named when one was in play.
    fn name_culprit(&self, e: TransportError, url: &str) -> TransportError {
        let (TransportError::Connect(why) | TransportError::Tls(why)) = &e else { return e };
        let Ok(uri) = url.parse::<http::Uri>() else { return e };
        let via = self.proxy_for(&uri).map(|p| format!(" through {}", p.describe())).unwrap_or_default();
        let message = format!("could not connect to {}{via}: {why}", host_port(&uri));
        match e {
            TransportError::Tls(_) => TransportError::Tls(message),
            _ => TransportError::Connect(message),
        }
    }

    /// Closes every connection, idle or in use (a call blocked on one fails at once), and
    /// refuses new ones: what [`Client::close`](crate::Client::close) does to the network.
    pub fn shutdown(&self) {
        self.agent.clone().shutdown();
    }

    /// How many host-name lookups this transport has made.
    pub fn dns_lookups(&self) -> u64 {
        self.resolver.lookups()
    }

    /// Sends one exchange. `timeout` overrides the agent's whole-exchange deadline (headers and
    /// body); `None` keeps the client's default, which spares a per-request config copy.
    pub fn send(&self, req: &HttpRequest<'_>, timeout: Option<Duration>) -> Result<HttpResponse, TransportError> {
        // Built in place rather than through http's Builder, which moves the whole request on
        // every `.header()` and parses each name again.
        let uri: http::Uri = req.url.parse().map_err(|e| TransportError::Invalid(format!("invalid request: {e}")))?;
        if let Some(message) = &self.unsupported_proxy {
            // Before any lookup: behind a SOCKS-only network the name may not even resolve.
            if self.proxy_for(&uri).is_some() {
                return Err(TransportError::UnsupportedProxy(message.clone()));
            }
        }
        let mut headers = http::HeaderMap::with_capacity(req.headers.len() + 2);
        for (name, value) in req.headers {
            let mut value = http::HeaderValue::from_str(value)
                .map_err(|e| TransportError::Invalid(format!("invalid request: header {name}: {e}")))?;
            // Kept out of http's Debug output.
            value.set_sensitive(*name == "x-api-key");
            headers.append(http::HeaderName::from_static(name), value);
        }
        let method = match req.method {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        };
        let mut request = http::Request::new(());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        *request.headers_mut() = headers;
        // A POST/PUT/PATCH without a body goes out as an empty slice, so ureq frames it with
        // `content-length: 0`: with `()` it would send `transfer-encoding: chunked` + `0\r\n\r\n`,
        // which a server without chunked request bodies reads as the start of the next request.
        let body = match req.method {
            Method::Post | Method::Put | Method::Patch => Some(req.body.unwrap_or_default()),
            Method::Get | Method::Delete => req.body,
        };
        let result = match body {
            Some(body) => self.run(request.map(|()| body), timeout),
            None => self.run(request, timeout),
        };
        let response = result.map_err(classify).map_err(|e| self.name_culprit(e, req.url)).inspect_err(|e| {
            if matches!(e, TransportError::Connect(_)) {
                // The host may have moved: the next request resolves its name again.
                self.resolver.forget_all();
            }
        })?;
        let status = response.status().as_u16();
        let (parts, mut body) = response.into_parts();
        let body = read_body(&mut body)?;
        Ok(HttpResponse { status, headers: parts.headers, body })
    }
}

/// The whole body, at most [`MAX_RESPONSE_BYTES`], read into a buffer sized from its
/// content-length (up to 1 MiB ahead of the data): one read for a typical answer instead of a
/// doubling buffer's six.
fn read_body(body: &mut ureq::Body) -> Result<Vec<u8>, TransportError> {
    use std::io::Read;
    let expected = body.content_length().map_or(0, |n| n.min(1 << 20) as usize);
    let mut bytes = Vec::with_capacity(expected);
    let mut reader = body.with_config().limit(MAX_RESPONSE_BYTES).reader();
    reader.read_to_end(&mut bytes).map_err(|e| match ureq::Error::from(e) {
        ureq::Error::BodyExceedsLimit(n) => TransportError::TooLarge(n),
        ureq::Error::Timeout(_) => TransportError::Timeout("while reading the response body".into()),
        ureq::Error::Io(io) => TransportError::Io(format!("while reading the response body: {}", io.kind())),
        other => TransportError::Io(format!("while reading the response body: {}", plain_ureq(&other))),
    })?;
    Ok(bytes)
}

impl Transport {
    fn run<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        timeout: Option<Duration>,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        match timeout {
            Some(t) => self.agent.run(self.agent.configure_request(request).timeout_global(Some(t)).build()),
            None => self.agent.run(request),
        }
    }
}

/// The standard reason phrase of an HTTP status (`404` → `Not Found`), for an error without a
/// message of its own.
pub(crate) fn status_reason(status: u16) -> Option<&'static str> {
    http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason())
}

/// The ureq settings for a client: timeouts, pool, redirects, TLS trust and proxy.
fn agent_config(config: &Config, proxy: Option<&Chosen>) -> Result<ureq::config::Config> {
    // Reading the system's roots costs a first client milliseconds: only when TLS can be used.
    let uses_tls = config.base_url.starts_with("https://")
        || proxy.is_some_and(|p| p.proxy.protocol() == ureq::ProxyProtocol::Https);
    if uses_tls {
        tls::check_env_paths()?;
    }
    let roots = if uses_tls { tls::root_certs(config.ca_bundle.as_ref())? } else { tls::no_roots() };
    let tls = ureq::tls::TlsConfig::builder().root_certs(roots).build();
    Ok(ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(config.connect_timeout))
        // A host-name lookup gets the connect budget too (ureq's default is the whole deadline).
        .timeout_resolve(Some(config.connect_timeout))
        .timeout_global(Some(config.timeout))
        // A redirect would carry x-api-key to wherever it points: never follow one.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .max_idle_connections(config.max_idle_connections_per_host * 2)
        .max_idle_connections_per_host(config.max_idle_connections_per_host)
        .user_agent(config.user_agent.as_str())
        .tls_config(tls)
        .proxy(proxy.map(|p| p.proxy.clone()))
        .build())
}

/// `host:port` of a URL, the port from the scheme when the URL has none.
fn host_port(uri: &http::Uri) -> String {
    let host = uri.host().unwrap_or("?");
    let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("http") { 80 } else { 443 });
    format!("{host}:{port}")
}

/// What a timeout interrupted, in the reader's words (never ureq's name for it).
fn timeout_phase(t: ureq::Timeout) -> &'static str {
    use ureq::Timeout as T;
    match t {
        T::Resolve => "looking up the host",
        T::Connect => "connecting",
        T::SendRequest | T::SendBody | T::PerWrite => "while sending the request",
        T::RecvResponse => "while waiting for the response",
        T::RecvBody => "while reading the response body",
        _ => "",
    }
}

/// A ureq error in the reader's words: the I/O error's plain description, no ureq type names.
fn plain_ureq(e: &ureq::Error) -> String {
    use ureq::Error as E;
    match e {
        E::Io(io) => plain_io(io),
        E::Timeout(t) => format!("timed out {}", timeout_phase(*t)).trim_end().to_string(),
        E::HostNotFound => "host not found".into(),
        E::ConnectionFailed => "the connection failed".into(),
        E::ConnectProxyFailed(why) => format!("the proxy refused the tunnel: {why}"),
        E::TlsRequired => "the proxy requires TLS".into(),
        E::Tls(why) => format!("TLS failed: {why}"),
        other => other.to_string(),
    }
}

/// An I/O error's kind in words (`connection refused`), without the OS error number.
pub(crate) fn plain_io(io: &std::io::Error) -> String {
    if io.kind() == ErrorKind::NotFound {
        return "host not found".into();
    }
    let kind = io.kind().to_string();
    // A message of its own (ureq's, rustls') says more than `other error`.
    if io.raw_os_error().is_none() || kind.ends_with("other error") || kind.starts_with("uncategorized") {
        return io.to_string();
    }
    kind
}

fn classify(e: ureq::Error) -> TransportError {
    use ureq::Error as E;
    match e {
        E::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => TransportError::Connect(plain_ureq(&e)),
        E::Timeout(t) => TransportError::Timeout(timeout_phase(t).to_string()),
        E::HostNotFound => TransportError::Connect("host not found".into()),
        E::BadUri(_) | E::Http(_) => TransportError::Invalid(format!("invalid request: {e}")),
        E::ConnectionFailed | E::ConnectProxyFailed(_) | E::Tls(_) | E::TlsRequired => {
            TransportError::Connect(plain_ureq(&e))
        }
        E::Rustls(_) | E::Pem(_) => TransportError::Connect(e.to_string()),
        E::Io(io) => {
            if let Some(message) = tls::handshake_failure(&io) {
                return TransportError::Tls(message);
            }
            match io.kind() {
                ErrorKind::ConnectionRefused
                | ErrorKind::AddrNotAvailable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::HostUnreachable
                | ErrorKind::NotFound => TransportError::Connect(plain_io(&io)),
                ErrorKind::TimedOut | ErrorKind::WouldBlock => TransportError::Timeout(String::new()),
                _ => TransportError::Io(plain_io(&io)),
            }
        }
        other => TransportError::Io(plain_ureq(&other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_gets_the_connect_timeout_not_the_whole_deadline() {
        let client = crate::Client::builder()
            .ignore_env()
            .api_key("k")
            .connect_timeout(Duration::from_millis(1500))
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let timeouts = Transport::new(client.config()).unwrap().agent.config().timeouts();
        assert_eq!(timeouts.resolve, Some(Duration::from_millis(1500)));
        assert_eq!(timeouts.connect, Some(Duration::from_millis(1500)));
        assert_eq!(timeouts.global, Some(Duration::from_secs(30)));
    }
}
