//! The one rule for showing a URL without its credentials (the proxy, the base URL, the
//! `rate_limit_store`), in messages and `Debug` output.
//!
//! An optional `scheme://`, then the authority, which runs to the first `/`, `?` or `#` (RFC
//! 3986); when it holds an `@`, everything before its last `@` becomes `<redacted>`. The Go
//! binding's `redactURL` follows the same rule: both are tested against
//! `tests/fixtures/redacted_urls.json`.

/// `scheme://user:pass@host/…` → `scheme://<redacted>@host/…`; a URL without credentials is
/// returned as it is.
pub(crate) fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (&url[..scheme.len() + 3], rest),
        None => ("", url),
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => format!("{scheme}<redacted>@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shared_vector_is_shown_as_written() {
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/redacted_urls.json")).unwrap();
        let cases = fixture["cases"].as_array().unwrap();
        assert!(cases.len() >= 10);
        for case in cases {
            let (url, shown) = (case["url"].as_str().unwrap(), case["shown"].as_str().unwrap());
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }
}
