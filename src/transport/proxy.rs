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

/// The proxy a client's requests go through, and where it was named: shown in connect errors,
/// log lines and the SOCKS refusal, never with its credentials.
#[derive(Debug, Clone)]
pub(crate) struct Chosen {
    pub proxy: ureq::Proxy,
    /// The URL as written, credentials replaced by `<redacted>`.
    pub shown: String,
    /// Where it came from, in the reader's words: `the proxy setting` or the variable's name
    /// (`HTTPS_PROXY`, `ALL_PROXY`, ...).
    pub source: String,
}

impl Chosen {
    /// `the proxy http://proxy.corp:3128 (from HTTPS_PROXY)`.
    pub(crate) fn describe(&self) -> String {
        format!("the proxy {} (from {})", self.shown, self.source)
    }
}

/// The variables the environment's proxy is read from, in the order they are tried (ureq's
/// `Proxy::try_from_env`).
const ENV_VARS: [&str; 6] = ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/// The proxy the agent uses: the explicit one, else the environment's unless the base URL's
/// host is loopback.
pub(crate) fn choose(explicit: Option<&ProxySetting>, base_is_loopback: bool) -> Option<Chosen> {
    match explicit {
        Some(setting) => Some(Chosen {
            proxy: setting.proxy.clone(),
            shown: setting.shown.clone(),
            source: "the proxy setting".into(),
        }),
        None if base_is_loopback => None,
        None => {
            let proxy = ureq::Proxy::try_from_env()?;
            // The first variable holding a URL ureq accepts is the one it used.
            let named = ENV_VARS.iter().find_map(|name| {
                let value = std::env::var(name).ok()?;
                ureq::Proxy::new(&value).ok().map(|_| (name.to_string(), redact_url(value.trim())))
            });
            let (source, shown) =
                named.unwrap_or_else(|| ("the environment".into(), format!("{}:{}", proxy.host(), proxy.port())));
            Some(Chosen { proxy, shown, source })
        }
    }
}

/// Why the agent's proxy cannot carry requests, if it cannot: a SOCKS proxy, which only the
/// environment can name (the `proxy` setting refuses one). Requests then fail with this message
/// instead of going around the proxy or failing with an unrelated lookup error. A proxy URL's
/// credentials are never shown.
pub(crate) fn unsupported(chosen: &Chosen) -> Option<String> {
    if matches!(chosen.proxy.protocol(), ureq::ProxyProtocol::Http | ureq::ProxyProtocol::Https) {
        return None;
    }
    Some(format!(
        "{} is a SOCKS proxy, which trillet does not support: \
         set the client's `proxy` to an http:// or https:// proxy, or list the host in NO_PROXY",
        chosen.describe()
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
        assert_eq!((chosen.proxy.host(), chosen.proxy.port()), ("127.0.0.1", 3128));
        assert!(!chosen.proxy.is_from_env());
        assert_eq!(chosen.describe(), "the proxy http://127.0.0.1:3128 (from the proxy setting)");
        // Whatever the environment holds, a loopback base URL gets no proxy from it.
        assert!(choose(None, true).is_none());
    }
}
