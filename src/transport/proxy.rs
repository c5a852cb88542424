//! Which proxy, if any, carries the requests.
//!
//! - An explicit `proxy` setting (an `http://` or `https://` CONNECT proxy URL, credentials
//!   allowed) is used for every request, whatever the environment says.
//! - Otherwise the first of `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` (or their lowercase forms)
//!   that holds a valid URL is used, except for hosts listed in `NO_PROXY` (`host`, `.suffix`,
//!   `*.suffix`, `*`) and except for a loopback base URL (`localhost`, `127.0.0.0/8`, `::1`):
//!   the local sandbox is never sent through a proxy from the environment, as in Go's net/http.
//!
//! Requests always go through the proxy as a CONNECT tunnel, so the proxy sees the target's host
//! and port, never the request line or headers (the API key is inside the tunnel; with `https`
//! it is also encrypted). A proxy URL is shown with its credentials replaced by `<redacted>`.

use crate::error::{Error, Result};
use crate::redact::redact_url;
use std::fmt;

/// A validated explicit proxy.
#[derive(Clone)]
pub(crate) struct ProxySetting {
    proxy: ureq::Proxy,
    shown: String,
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl ProxySetting {
    /// Parses a proxy URL. Fails with `invalid_input` (code `invalid_proxy`) on anything but an
    /// `http://` or `https://` URL with a host; the message never shows the credentials.
    pub(crate) fn parse(url: &str) -> Result<ProxySetting> {
        let url = url.trim();
        let shown = redact_url(url);
        let bad = |why: &str| Error::invalid("invalid_proxy", format!("proxy {shown:?} {why}"));
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("has no scheme (expected http://host:port)"))?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(bad("must be an http:// or https:// proxy (SOCKS is not supported)"));
        }
        let authority = rest.split('/').next().unwrap_or("");
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host.is_empty() || host.starts_with(':') {
            return Err(bad("has no host"));
        }
        let proxy = ureq::Proxy::new(url).map_err(|_| bad("is not a valid URL"))?;
        Ok(ProxySetting { proxy, shown })
    }

    /// The URL with any credentials redacted.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }
}

/// The proxy the agent uses: the explicit one, else the environment's unless the base URL's
/// host is loopback.
pub(crate) fn choose(explicit: Option<&ProxySetting>, base_is_loopback: bool) -> Option<ureq::Proxy> {
    match explicit {
        Some(setting) => Some(setting.proxy.clone()),
        None if base_is_loopback => None,
        None => ureq::Proxy::try_from_env(),
    }
}

/// Why the agent's `proxy` cannot carry requests, if it cannot: a SOCKS proxy, which only the
/// environment can name (the `proxy` setting refuses one). Requests then fail with this message
/// instead of going around the proxy or failing with an unrelated lookup error. Host and port
/// only: a proxy URL's credentials are never shown.
pub(crate) fn unsupported(proxy: &ureq::Proxy) -> Option<String> {
    let protocol = proxy.protocol();
    if matches!(protocol, ureq::ProxyProtocol::Http | ureq::ProxyProtocol::Https) {
        return None;
    }
    Some(format!(
        "the proxy from the environment ({protocol:?} at {}:{}) is a SOCKS proxy, which trillet does not support: \
         set the client's `proxy` to an http:// or https:// proxy, or list the host in NO_PROXY",
        proxy.host(),
        proxy.port()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_are_checked_and_never_show_credentials() {
        let ok = ProxySetting::parse("http://alice:s3cret@proxy.corp:3128").unwrap();
        assert_eq!(ok.shown(), "http://<redacted>@proxy.corp:3128");
        assert_eq!(format!("{ok:?}"), "http://<redacted>@proxy.corp:3128");
        assert!(ProxySetting::parse("https://proxy.corp").is_ok());
        for bad in ["proxy.corp:3128", "socks5://alice:s3cret@proxy:1080", "http://", "http://alice:s3cret@", "ftp://x"]
        {
            let e = ProxySetting::parse(bad).unwrap_err();
            assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_proxy"), "{bad}");
            assert!(!e.message().contains("s3cret"), "{}", e.message());
        }
    }

    #[test]
    fn an_explicit_proxy_wins_and_loopback_skips_the_environment() {
        let explicit = ProxySetting::parse("http://127.0.0.1:3128").unwrap();
        let chosen = choose(Some(&explicit), true).expect("explicit proxy used even for loopback");
        assert_eq!((chosen.host(), chosen.port()), ("127.0.0.1", 3128));
        assert!(!chosen.is_from_env());
        // Whatever the environment holds, a loopback base URL gets no proxy from it.
        assert!(choose(None, true).is_none());
    }
}
