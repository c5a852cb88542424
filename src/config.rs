//! Client configuration: one builder with documented defaults and environment fallbacks.

use crate::error::{Error, Result};
use crate::rate_limit::StoreSetting;
use crate::transport::proxy::ProxySetting;
use crate::transport::tls::CaBundle;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default API root.
pub(crate) const DEFAULT_BASE_URL: &str = "https://api.trillet.ai";
/// Default time allowed to open a connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, retries and response body included.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest deadline a request (or a connection) may have; longer ones are cut to it: a day.
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
/// Default number of retries after the first attempt.
pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;

/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "TRILLET_API_KEY";
/// Environment variable holding the workspace id.
pub const ENV_WORKSPACE_ID: &str = "TRILLET_WORKSPACE_ID";
/// Environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "TRILLET_BASE_URL";
/// Environment variable naming a shared rate-limit store (`file:PATH` or `redis://…`).
pub const ENV_RATE_LIMIT_STORE: &str = "TRILLET_RATE_LIMIT_STORE";
/// Environment variable turning on request logging to stderr (`debug`).
pub const ENV_LOG: &str = "TRILLET_LOG";

/// The validated settings of a [`Client`](crate::Client). Built by [`ClientBuilder`].
///
/// `Debug` never shows the API key.
#[derive(Clone)]
pub struct Config {
    pub(crate) api_key: Option<String>,
    pub(crate) workspace_id: Option<String>,
    pub(crate) base_url: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) user_agent: String,
    pub(crate) rate_limit_per_minute: Option<u32>,
    pub(crate) rate_limit_store: Option<StoreSetting>,
    pub(crate) rate_limit_store_required: bool,
    pub(crate) log_requests: bool,
    /// Connections kept open between calls: as many as calls run at once, up to the 256 threads
    /// an AsyncClient pool may have (fewer would reopen connections after every burst; idle
    /// ones close after ureq's 15 s).
    pub(crate) max_idle_connections_per_host: usize,
    pub(crate) ca_bundle: Option<CaBundle>,
    pub(crate) proxy: Option<ProxySetting>,
    /// The benchmark's own host-name lookup (feature `test-hooks`).
    #[cfg(feature = "test-hooks")]
    pub(crate) lookup: Option<crate::transport::LookupFn>,
    /// Where the pipeline reads the time and waits: the system's clock, or a test's fake one
    /// (`ClientBuilder::clock`, feature `test-hooks`).
    pub(crate) clock: std::sync::Arc<dyn crate::clock::Clock>,
}

impl Config {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// The workspace id sent as `x-workspace-id`, if any.
    pub fn workspace_id(&self) -> Option<&str> {
        self.workspace_id.as_deref()
    }
    /// Whether an API key is configured (the key itself is never handed out).
    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }
    /// Time allowed to open a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }
    /// Default whole-request deadline.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }
    /// The full `user-agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
    /// The client-side rate limit, if set.
    pub fn rate_limit_per_minute(&self) -> Option<u32> {
        self.rate_limit_per_minute
    }
    /// Where the rate limit is shared (`file:PATH` or `redis://…`, a password shown as
    /// `<redacted>`); `None`: the client keeps its own.
    pub fn rate_limit_store(&self) -> Option<String> {
        self.rate_limit_store.as_ref().map(StoreSetting::shown)
    }
    /// Whether a call fails (`connect`) while the store cannot be reached, instead of the client
    /// limiting itself alone until it is back.
    pub fn rate_limit_store_required(&self) -> bool {
        self.rate_limit_store_required
    }
    /// The PEM file whose certificates are trusted on top of the system's roots, if set.
    pub fn ca_bundle(&self) -> Option<&Path> {
        self.ca_bundle.as_ref().map(CaBundle::path)
    }
    /// The explicit proxy URL, with any credentials replaced by `<redacted>`; `None` when the
    /// proxy comes from the environment (or there is none).
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_ref().map(ProxySetting::shown)
    }
    /// Whether the base URL's host is loopback (`localhost`, `127.0.0.0/8`, `::1`).
    pub(crate) fn base_is_loopback(&self) -> bool {
        let rest = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, r)| r);
        is_loopback(host_of(rest.split('/').next().unwrap_or("")))
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("workspace_id", &self.workspace_id)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("user_agent", &self.user_agent)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("rate_limit_store", &self.rate_limit_store)
            .field("rate_limit_store_required", &self.rate_limit_store_required)
            .field("ca_bundle", &self.ca_bundle)
            .field("proxy", &self.proxy)
            .finish()
    }
}

/// Builds a [`Client`](crate::Client).
///
/// ```
/// let client = trillet::Client::builder()
///     .api_key("sk_test")
///     .workspace_id("664a1b2c3d4e5f6a7b8c9d0e")
///     .max_retries(1)
///     .build()
///     .unwrap();
/// assert_eq!(client.config().max_retries(), 1);
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    workspace_id: Option<String>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    user_agent_suffix: Option<String>,
    rate_limit_per_minute: Option<u32>,
    rate_limit_store: Option<String>,
    rate_limit_store_required: bool,
    allow_insecure_http: bool,
    ignore_env: bool,
    ca_bundle: Option<PathBuf>,
    proxy: Option<String>,
    #[cfg(feature = "test-hooks")]
    lookup: Option<crate::transport::LookupFn>,
    #[cfg(feature = "test-hooks")]
    clock: Option<crate::clock::FakeClock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("workspace_id", &self.workspace_id)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// The secret API key, sent as `x-api-key`. Falls back to `TRILLET_API_KEY`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The workspace id, sent as `x-workspace-id`. Falls back to `TRILLET_WORKSPACE_ID`.
    pub fn workspace_id(mut self, id: impl Into<String>) -> Self {
        self.workspace_id = Some(id.into());
        self
    }

    /// The API root. Falls back to `TRILLET_BASE_URL`, then `https://api.trillet.ai`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Deadline for a whole request, retries and body included (default 60 s; a longer value
    /// than a day is cut to a day). Can be overridden per request with
    /// [`Request::timeout`](crate::Request::timeout). Waiting for a client-side rate-limit slot
    /// before the first attempt is not counted in it.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Retries after the first attempt (default 2). See [Retries](crate#retries) for what is retried.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }

    /// Text appended to the `user-agent` header (bindings add e.g. `python/3.11`).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// A client-side limit: at most `n` requests in any minute, blocking the caller until a slot
    /// is free (off by default; the API allows 60 a minute on the developer plan). The limit
    /// counts over a sliding minute (plus a second of margin for the trip to the server), so no
    /// window the server counts in sees more than `n`; a 429's `Retry-After` holds every call of
    /// the client until it has passed.
    pub fn rate_limit_per_minute(mut self, n: u32) -> Self {
        self.rate_limit_per_minute = Some(n);
        self
    }

    /// Shares the [`rate_limit_per_minute`](Self::rate_limit_per_minute) limit (and 429 waits)
    /// with other processes: `file:PATH` with every process of this host naming the same file
    /// (e.g. `file:/dev/shm/trillet-limit`; `flock`, no daemon, safe when a process dies), or
    /// `redis://[user:pass@]HOST:PORT/DB` with every client of a fleet (one Lua script per slot;
    /// keyed by a hash of the API key; needs the `redis-store` cargo feature, which the shipped
    /// C library, wheel and Go builds enable). Also `TRILLET_RATE_LIMIT_STORE`. A password is
    /// never shown. While the store cannot be reached the client limits itself alone and logs one
    /// warning, unless [`rate_limit_store_required`](Self::rate_limit_store_required).
    pub fn rate_limit_store(mut self, store: impl Into<String>) -> Self {
        self.rate_limit_store = Some(store.into());
        self
    }

    /// With `true`, a call fails as a `connect` error (naming the store) while the
    /// [`rate_limit_store`](Self::rate_limit_store) cannot be reached, instead of the client
    /// limiting itself alone until it is back (the default).
    pub fn rate_limit_store_required(mut self, required: bool) -> Self {
        self.rate_limit_store_required = required;
        self
    }

    /// Allows a plain `http://` base URL on a non-loopback host (default false: refused, because
    /// the API key would travel in clear text). Loopback hosts are always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Ignores `TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID` and `TRILLET_BASE_URL` (useful in tests and
    /// embedded hosts). `TRILLET_LOG` is still honoured, and so are the machine's network settings
    /// (`SSL_CERT_FILE`, and the proxy variables unless [`proxy`](Self::proxy) is set).
    pub fn ignore_env(mut self) -> Self {
        self.ignore_env = true;
        self
    }

    /// A PEM file of extra root certificates to trust, on top of the operating system's store
    /// (or, where the system has none, the bundled Mozilla roots): for a private CA or a
    /// TLS-inspecting proxy. Read when the client is built. The system store itself is read once
    /// per process, by the first client that can use TLS (on Linux its bundle file, e.g.
    /// `/etc/ssl/certs/ca-certificates.crt`, without also reading the hashed directory beside it).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// An `http://` or `https://` proxy URL (credentials allowed: `http://user:pass@host:3128`)
    /// used for every request, instead of `ALL_PROXY` / `HTTPS_PROXY` / `HTTP_PROXY` /
    /// `NO_PROXY`. Without it those variables apply, except to a loopback base URL. Requests go
    /// through the proxy as a CONNECT tunnel.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Not API (feature `test-hooks`, for the project's benchmark): host names are looked up with
    /// `lookup` instead of the system's resolver.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn lookup_for_benchmarks(
        mut self,
        lookup: fn(&str, u16) -> std::io::Result<Vec<std::net::SocketAddr>>,
    ) -> Self {
        self.lookup = Some(lookup);
        self
    }

    /// Not API (feature `test-hooks`, for the project's tests): the pipeline's deadlines, retry
    /// and `Retry-After` waits and the rate limit run on `clock` instead of the system's, so
    /// tests assert the waits chosen rather than race the wall clock. Socket I/O stays real.
    #[cfg(feature = "test-hooks")]
    #[doc(hidden)]
    pub fn clock(mut self, clock: &crate::clock::FakeClock) -> Self {
        self.clock = Some(clock.clone());
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidInput`] without an API key (neither [`api_key`](Self::api_key)
    /// nor `TRILLET_API_KEY`: code `missing_api_key`), on a malformed base URL, an insecure `http://` URL to a
    /// non-loopback host, a zero timeout, a zero rate limit, a `ca_bundle` that cannot be read
    /// or holds no usable certificate (code `invalid_ca_bundle`, naming the path), or a proxy URL
    /// that is not `http://` or `https://` (code `invalid_proxy`).
    pub fn build(self) -> Result<crate::Client> {
        crate::Client::from_config(self.into_config()?)
    }

    pub(crate) fn into_config(self) -> Result<Config> {
        let env = |name: &str| {
            if self.ignore_env {
                None
            } else {
                std::env::var(name).ok().filter(|v| !v.trim().is_empty())
            }
        };
        let api_key = self.api_key.clone().filter(|k| !k.is_empty()).or_else(|| env(ENV_API_KEY));
        // Refused when the client is made, as OpenAI's clients do, not at its first call. (The
        // browser-safe `calls.start_public_web_call` never sends the key, but a server holding
        // a client has one.) The bindings and the CLI name the setting as they spell it.
        if api_key.is_none() {
            return Err(Error::invalid(
                "missing_api_key",
                "no API key: pass api_key to the client or set TRILLET_API_KEY",
            ));
        }
        let workspace_id = self.workspace_id.clone().filter(|w| !w.is_empty()).or_else(|| env(ENV_WORKSPACE_ID));
        let base_url =
            self.base_url.clone().or_else(|| env(ENV_BASE_URL)).unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = validate_base_url(base_url.trim(), self.allow_insecure_http)?;
        if let Some(key) = &api_key {
            if !is_header_safe(key) {
                return Err(Error::invalid(
                    "invalid_api_key",
                    "the API key contains characters not allowed in a header",
                ));
            }
        }
        if let Some(ws) = &workspace_id {
            if !is_header_safe(ws) {
                return Err(Error::invalid(
                    "invalid_workspace_id",
                    "the workspace id contains characters not allowed in a header",
                ));
            }
        }
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT).min(MAX_TIMEOUT);
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT).min(MAX_TIMEOUT);
        if timeout.is_zero() || connect_timeout.is_zero() {
            return Err(Error::invalid("invalid_timeout", "timeouts must be greater than zero"));
        }
        if self.rate_limit_per_minute == Some(0) {
            return Err(Error::invalid("invalid_rate_limit", "rate_limit_per_minute must be at least 1"));
        }
        let mut user_agent = format!(
            "trillet-rust/{} ({}; {})",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        if let Some(suffix) = self.user_agent_suffix.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            if !is_header_safe(suffix) {
                return Err(Error::invalid("invalid_user_agent", "the user-agent suffix contains control characters"));
            }
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        // An empty setting is no setting (as for the key and workspace id).
        let ca_bundle =
            self.ca_bundle.as_deref().filter(|p| !p.as_os_str().is_empty()).map(CaBundle::read).transpose()?;
        let proxy = self.proxy.as_deref().filter(|p| !p.trim().is_empty()).map(ProxySetting::parse).transpose()?;
        let rate_limit_store = self
            .rate_limit_store
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| env(ENV_RATE_LIMIT_STORE))
            .map(|s| StoreSetting::parse(&s))
            .transpose()?;
        // Logging is a diagnostic switch, read even when the settings ignore the environment.
        let log_requests = std::env::var(ENV_LOG).is_ok_and(|v| v.trim().eq_ignore_ascii_case("debug"));
        Ok(Config {
            api_key,
            workspace_id,
            base_url,
            connect_timeout,
            timeout,
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            user_agent,
            rate_limit_per_minute: self.rate_limit_per_minute,
            rate_limit_store,
            rate_limit_store_required: self.rate_limit_store_required,
            log_requests,
            max_idle_connections_per_host: 256,
            ca_bundle,
            proxy,
            #[cfg(feature = "test-hooks")]
            lookup: self.lookup,
            #[cfg(feature = "test-hooks")]
            clock: match self.clock {
                Some(fake) => std::sync::Arc::new(fake),
                None => crate::clock::real(),
            },
            #[cfg(not(feature = "test-hooks"))]
            clock: crate::clock::real(),
        })
    }
}

fn is_header_safe(v: &str) -> bool {
    v.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// Checks scheme and host; returns the URL without a trailing slash.
fn validate_base_url(url: &str, allow_insecure_http: bool) -> Result<String> {
    let shown = crate::redact::redact_url(url);
    let bad = |why: &str| Error::invalid("invalid_base_url", format!("base URL {shown:?} {why}"));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("has no scheme (expected https://...)"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(bad("must use https:// (or http:// to a loopback host)"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') {
        return Err(bad("has no host (or carries credentials)"));
    }
    if rest.contains(['?', '#']) {
        return Err(bad("must not carry a query or fragment"));
    }
    let host = host_of(authority);
    if scheme == "http" && !allow_insecure_http && !is_loopback(host) {
        return Err(Error::invalid(
            "insecure_base_url",
            format!("refusing plain http:// to non-loopback host {host:?}: the API key would travel unencrypted (set allow_insecure_http to override)"),
        ));
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert_eq!(validate_base_url("https://api.trillet.ai/", false).unwrap(), "https://api.trillet.ai");
        assert!(validate_base_url("http://127.0.0.1:8080", false).is_ok());
        assert!(validate_base_url("http://localhost:1", false).is_ok());
        assert!(validate_base_url("http://[::1]:1", false).is_ok());
        let e = validate_base_url("http://api.trillet.ai", false).unwrap_err();
        assert_eq!(e.code(), "insecure_base_url");
        assert!(validate_base_url("http://api.trillet.ai", true).is_ok());
        assert!(validate_base_url("http://127.0.0.1.evil.com", false).is_err());
        assert!(validate_base_url("ftp://x", false).is_err());
        assert!(validate_base_url("api.trillet.ai", false).is_err());
        let e = validate_base_url("https://user:s3cretpw@host", false).unwrap_err();
        assert!(!e.message().contains("s3cretpw") && e.message().contains("<redacted>@host"), "{}", e.message());
    }

    #[test]
    fn loopback_base_urls_are_recognised_for_the_proxy_rule() {
        let loopback = |url: &str| {
            ClientBuilder::new().ignore_env().api_key("k").base_url(url).into_config().unwrap().base_is_loopback()
        };
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:1/",
            "https://[::1]:443",
            "http://127.1.2.3",
            "https://a.localhost",
        ] {
            assert!(loopback(url), "{url}");
        }
        for url in ["https://api.trillet.ai", "https://127.0.0.1.nip.io", "https://10.0.0.1:8443"] {
            assert!(!loopback(url), "{url}");
        }
    }

    #[test]
    fn huge_timeouts_are_cut_to_a_day() {
        let c = ClientBuilder::new()
            .ignore_env()
            .api_key("k")
            .timeout(Duration::MAX)
            .connect_timeout(Duration::MAX)
            .into_config();
        let c = c.unwrap();
        assert_eq!((c.timeout, c.connect_timeout), (MAX_TIMEOUT, MAX_TIMEOUT));
    }

    #[test]
    fn debug_redacts_the_key() {
        let c = ClientBuilder::new().ignore_env().api_key("sk_live_SECRET123").into_config().unwrap();
        let d = format!("{c:?}");
        assert!(!d.contains("SECRET123"), "{d}");
        assert!(d.contains("<redacted>"));
        let b = ClientBuilder::new().api_key("sk_live_SECRET123");
        assert!(!format!("{b:?}").contains("SECRET123"));
    }

    #[test]
    fn user_agent_names_the_platform_and_suffix() {
        let c = ClientBuilder::new().ignore_env().api_key("k").user_agent_suffix("python/3.11").into_config().unwrap();
        assert!(c.user_agent.starts_with(&format!("trillet-rust/{} (", env!("CARGO_PKG_VERSION"))));
        assert!(c.user_agent.ends_with(") python/3.11"));
    }
}
