//! The client settings, declared once: the keys of the C config JSON, with their types, defaults,
//! environment fallbacks and docs.
//!
//! [`SETTINGS`] is to settings what [`OPERATIONS`](crate::operations::OPERATIONS) is to
//! endpoints: the operations catalog carries it (`"settings"`), and the Python `Client(...)`
//! keyword arguments and the Go `Config` fields are generated from it and checked for drift.
//! Adding a setting is one row here plus its meaning: a [`ClientBuilder`](crate::ClientBuilder)
//! method and a key of the C config (`src/ffi/client.rs`, whose tests check that every row is
//! accepted and nothing else is).

use std::fmt;

/// What kind of value a setting takes, and so its type in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingKind {
    /// A string (`str`, `string`).
    Text,
    /// A string never shown in `Debug`, `repr` or `String()` (the API key).
    Secret,
    /// A URL whose `user:password@` is never shown.
    Url,
    /// A file path.
    Path,
    /// A duration, sent as whole milliseconds under a key ending in `_ms`; seconds (`float`) in
    /// Python and a `time.Duration` in Go, under the key without `_ms`.
    Millis,
    /// A non-negative integer.
    Count,
    /// A boolean.
    Flag,
}

impl SettingKind {
    /// The name used in the catalog (`text`, `secret`, `url`, `path`, `millis`, `count`, `flag`).
    pub const fn as_str(self) -> &'static str {
        match self {
            SettingKind::Text => "text",
            SettingKind::Secret => "secret",
            SettingKind::Url => "url",
            SettingKind::Path => "path",
            SettingKind::Millis => "millis",
            SettingKind::Count => "count",
            SettingKind::Flag => "flag",
        }
    }
}

impl fmt::Display for SettingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One client setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// The key in the C config JSON (`timeout_ms`); bindings derive their names from it.
    pub key: &'static str,
    /// The value's kind.
    pub kind: SettingKind,
    /// Whether `0` is a meaningful value of a [`SettingKind::Count`] (`max_retries`: none), so a
    /// binding must tell "unset" from zero; otherwise zero is refused or means unset.
    pub zero_allowed: bool,
    /// The environment variables read when the setting is not given, in order.
    pub env: &'static [&'static str],
    /// The default, in words.
    pub default: &'static str,
    /// What it does: one or two sentences, the same in every language's docs.
    pub doc: &'static str,
}

impl Setting {
    const fn new(key: &'static str, kind: SettingKind, default: &'static str, doc: &'static str) -> Setting {
        Setting { key, kind, zero_allowed: false, env: &[], default, doc }
    }

    const fn env(mut self, env: &'static [&'static str]) -> Setting {
        self.env = env;
        self
    }

    const fn zero_allowed(mut self) -> Setting {
        self.zero_allowed = true;
        self
    }
}

use SettingKind::*;

/// Every client setting, in the order bindings list them.
pub const SETTINGS: &[Setting] = &[
    Setting::new("api_key", Secret, "none", "The secret API key, sent as x-api-key; never shown in errors, logs or printed settings.")
        .env(&["TRILLET_API_KEY"]),
    Setting::new("workspace_id", Text, "none", "The workspace id, sent as x-workspace-id where an operation takes it.")
        .env(&["TRILLET_WORKSPACE_ID"]),
    Setting::new(
        "base_url",
        Url,
        "https://api.trillet.ai",
        "The API root. Plain http:// is refused except to a loopback host, unless allow_insecure_http is set.",
    )
    .env(&["TRILLET_BASE_URL"]),
    Setting::new(
        "timeout_ms",
        Millis,
        "60 s",
        "The deadline of a whole request, retries and response body included (at most a day).",
    ),
    Setting::new("connect_timeout_ms", Millis, "10 s", "The time allowed to open a connection."),
    Setting::new(
        "max_retries",
        Count,
        "2",
        "Retries after the first attempt; only what is safe to retry is retried (a POST is never resent once it may have reached the server).",
    )
    .zero_allowed(),
    Setting::new(
        "rate_limit_per_minute",
        Count,
        "off",
        "A client-side limit: calls block so that at most this many start in any minute; a 429's Retry-After holds them all.",
    ),
    Setting::new(
        "rate_limit_store",
        Url,
        "none",
        "Share the rate limit with other processes: file:PATH (every process of the host naming the file) or redis://[user:pass@]HOST:PORT/DB (a fleet); a password is never shown.",
    )
    .env(&["TRILLET_RATE_LIMIT_STORE"]),
    Setting::new(
        "rate_limit_store_required",
        Flag,
        "false",
        "Fail calls (connect) while the rate_limit_store cannot be reached, instead of limiting this client alone until it is back.",
    ),
    Setting::new(
        "allow_insecure_http",
        Flag,
        "false",
        "Allow a plain http:// base URL on a non-loopback host (the key would travel unencrypted).",
    ),
    Setting::new(
        "user_agent_suffix",
        Text,
        "none",
        "Text appended to the user-agent header, after the binding's own (python/3.11, go/1.22).",
    ),
    Setting::new(
        "ignore_env",
        Flag,
        "false",
        "Read none of TRILLET_API_KEY, TRILLET_WORKSPACE_ID, TRILLET_BASE_URL and TRILLET_RATE_LIMIT_STORE: only the given settings and the defaults count.",
    ),
    Setting::new(
        "ca_bundle",
        Path,
        "none",
        "A PEM file of extra root certificates to trust, on top of the system's store (SSL_CERT_FILE replaces that store): for a private CA or a TLS-inspecting proxy.",
    ),
    Setting::new(
        "proxy",
        Url,
        "none",
        "An http:// or https:// proxy URL for every request, instead of ALL_PROXY / HTTPS_PROXY / HTTP_PROXY / NO_PROXY (which never apply to a loopback base URL).",
    )
    .env(&["ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY"]),
];

/// Looks a setting up by its config key.
pub fn find(key: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.key == key)
}

/// The settings as the catalog's `"settings"` array:
/// `[{"key","kind","zero_allowed","env","default","doc"}, …]`, in table order.
pub(crate) fn settings_json() -> String {
    let rows: Vec<String> = SETTINGS
        .iter()
        .map(|s| {
            serde_json::json!({
                "key": s.key,
                "kind": s.kind.as_str(),
                "zero_allowed": s.zero_allowed,
                "env": s.env,
                "default": s.default,
                "doc": s.doc,
            })
            .to_string()
        })
        .collect();
    format!("[{}]", rows.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_snake_case_and_millis_end_in_ms() {
        let mut seen = std::collections::HashSet::new();
        for s in SETTINGS {
            assert!(seen.insert(s.key), "duplicate setting {}", s.key);
            assert!(s.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", s.key);
            assert_eq!(s.kind == Millis, s.key.ends_with("_ms"), "{}: millis settings and only they end in _ms", s.key);
            assert!(!s.zero_allowed || s.kind == Count, "{}: zero_allowed is for counts", s.key);
            assert!(s.doc.ends_with('.') && !s.doc.contains('"'), "{}: one plain sentence or two", s.key);
        }
        assert_eq!(find("proxy").map(|s| s.kind), Some(Url));
        assert!(find("nope").is_none());
    }

    #[test]
    fn the_catalog_rows_carry_every_field() {
        let rows: serde_json::Value = serde_json::from_str(&settings_json()).unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), SETTINGS.len());
        assert_eq!(rows[0]["key"], "api_key");
        assert_eq!(rows[0]["kind"], "secret");
        assert_eq!(rows[0]["env"], serde_json::json!(["TRILLET_API_KEY"]));
        let retries = rows.iter().find(|r| r["key"] == "max_retries").unwrap();
        assert_eq!((retries["kind"].as_str(), retries["zero_allowed"].as_bool()), (Some("count"), Some(true)));
    }
}
