//! The opaque client handle and its configuration JSON.

use super::args;
use super::boundary::{guard, run};
use super::strings::into_c_string;
use crate::{Client, ClientBuilder, Error};
use serde::Deserialize;
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

/// An opaque Trillet client: settings plus a pool of keep-alive connections.
///
/// Create it with `trillet_client_new` and release it with `trillet_client_free`. One handle may
/// be used from many threads at once: every function taking a `const TrilletClient *` is
/// thread-safe. Freeing it while another thread still uses it is undefined behaviour.
pub struct TrilletClient {
    pub(crate) client: Client,
}

/// The configuration object `trillet_client_new` accepts. Unknown keys are refused so a typo
/// never goes unnoticed.
///
/// Its keys are exactly those of [`crate::settings::SETTINGS`] (checked by the tests below).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields)]
struct ConfigJson {
    api_key: Option<String>,
    workspace_id: Option<String>,
    base_url: Option<String>,
    timeout_ms: Option<u64>,
    connect_timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    rate_limit_per_minute: Option<u32>,
    rate_limit_store: Option<String>,
    rate_limit_store_required: Option<bool>,
    allow_insecure_http: Option<bool>,
    user_agent_suffix: Option<String>,
    ignore_env: Option<bool>,
    ca_bundle: Option<String>,
    proxy: Option<String>,
}

impl ConfigJson {
    /// Parses the config text: `null`, empty or `{}` mean "environment defaults".
    fn parse(text: Option<&str>) -> Result<ConfigJson, Error> {
        let text = text.map(str::trim).unwrap_or_default();
        if text.is_empty() || text == "null" {
            return Ok(ConfigJson::default());
        }
        serde_json::from_str(text).map_err(|e| {
            Error::invalid(
                "invalid_config",
                format!("config_json is not a valid client config: {}", crate::error::plain_json_error(&e)),
            )
        })
    }

    fn builder(self) -> ClientBuilder {
        let mut b = Client::builder();
        if let Some(v) = self.api_key {
            b = b.api_key(v);
        }
        if let Some(v) = self.workspace_id {
            b = b.workspace_id(v);
        }
        if let Some(v) = self.base_url {
            b = b.base_url(v);
        }
        if let Some(ms) = self.timeout_ms {
            b = b.timeout(Duration::from_millis(ms));
        }
        if let Some(ms) = self.connect_timeout_ms {
            b = b.connect_timeout(Duration::from_millis(ms));
        }
        if let Some(n) = self.max_retries {
            b = b.max_retries(n);
        }
        if let Some(n) = self.rate_limit_per_minute {
            b = b.rate_limit_per_minute(n);
        }
        if let Some(v) = self.rate_limit_store {
            b = b.rate_limit_store(v);
        }
        if let Some(required) = self.rate_limit_store_required {
            b = b.rate_limit_store_required(required);
        }
        if let Some(allow) = self.allow_insecure_http {
            b = b.allow_insecure_http(allow);
        }
        if let Some(v) = self.user_agent_suffix {
            b = b.user_agent_suffix(v);
        }
        if self.ignore_env == Some(true) {
            b = b.ignore_env();
        }
        if let Some(v) = self.ca_bundle {
            b = b.ca_bundle(v);
        }
        if let Some(v) = self.proxy {
            b = b.proxy(v);
        }
        b
    }
}

/// Creates a client.
///
/// `config_json` is a JSON object with any of the keys `api_key`, `workspace_id`, `base_url`,
/// `timeout_ms`, `connect_timeout_ms`, `max_retries`, `rate_limit_per_minute`, `rate_limit_store`
/// (`file:PATH` or `redis://…`: the limit shared with other processes),
/// `rate_limit_store_required`, `allow_insecure_http`, `user_agent_suffix`, `ignore_env`, `ca_bundle` (path of a PEM file of
/// extra trusted root certificates) and `proxy` (an `http://` or `https://` proxy URL used instead
/// of `ALL_PROXY` / `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`). Keys left out fall back to the
/// environment (`TRILLET_API_KEY`, `TRILLET_WORKSPACE_ID`, `TRILLET_BASE_URL`) and then to the
/// defaults; NULL or `{}` leaves every key out. With `"ignore_env": true` (default false) those
/// three variables are not read at all, so only the config and the built-in defaults count (for
/// tests and embedded hosts that must not pick up the process environment). Unknown keys, values
/// of the wrong type and invalid settings are errors, and so is a missing API key (neither
/// `api_key` nor `TRILLET_API_KEY`: code `missing_api_key`).
///
/// Returns the client, to be released with `trillet_client_free`. On failure returns NULL and,
/// when `out_error` is not NULL, sets `*out_error` to the error JSON (free it with
/// `trillet_string_free`); on success `*out_error` is set to NULL.
///
/// # Safety
/// `config_json` must be NULL or a NUL-terminated string; `out_error` must be NULL or point to
/// writable storage for a `char *`.
#[no_mangle]
pub unsafe extern "C" fn trillet_client_new(
    config_json: *const c_char,
    out_error: *mut *mut c_char,
) -> *mut TrilletClient {
    guard(|| {
        if !out_error.is_null() {
            // SAFETY: non-NULL and writable per the contract.
            unsafe { out_error.write(ptr::null_mut()) };
        }
        let built = run(|| {
            // SAFETY: forwarded contract.
            let text = unsafe { args::optional_str(config_json, "config_json") }?;
            ConfigJson::parse(text)?.builder().build()
        });
        match built {
            Ok(client) => Box::into_raw(Box::new(TrilletClient { client })),
            Err((_, error_json)) => {
                if !out_error.is_null() {
                    // SAFETY: as above.
                    unsafe { out_error.write(into_c_string(error_json)) };
                }
                ptr::null_mut()
            }
        }
    })
}

/// Closes a client without freeing it: every call in flight on it (from any thread) ends at
/// once with `TRILLET_ERR_CANCELLED`, its connections are closed, and every later call fails at
/// once with `TRILLET_ERR_CANCELLED` (code `not_sent`). Idempotent; never blocks on a call. Free
/// the client with `trillet_client_free` once no thread uses it any more: closing first makes
/// that wait short (a service's shutdown). NULL is accepted and ignored.
///
/// # Safety
/// `client` must be NULL or a live client from `trillet_client_new`.
#[no_mangle]
pub unsafe extern "C" fn trillet_client_close(client: *const TrilletClient) {
    guard(|| {
        // SAFETY: forwarded contract.
        if let Ok(client) = unsafe { args::reference(client, "client") } {
            client.client.close();
        }
    })
}

/// Releases a client made by `trillet_client_new`. NULL is accepted and ignored.
///
/// # Safety
/// `client` must be NULL or a client from `trillet_client_new` that is not used by any other
/// thread any more and has not been freed yet.
#[no_mangle]
pub unsafe extern "C" fn trillet_client_free(client: *mut TrilletClient) {
    guard(|| {
        if !client.is_null() {
            // SAFETY: per the contract, `client` came from `Box::into_raw` in `trillet_client_new`.
            drop(unsafe { Box::from_raw(client) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{SettingKind, SETTINGS};

    /// A valid value for a setting of this kind.
    fn sample(kind: SettingKind) -> serde_json::Value {
        match kind {
            SettingKind::Text | SettingKind::Secret => "x".into(),
            SettingKind::Url => "http://127.0.0.1:9".into(),
            SettingKind::Path => "/tmp/trillet-sample.pem".into(),
            SettingKind::Millis | SettingKind::Count => 5.into(),
            SettingKind::Flag => true.into(),
        }
    }

    #[test]
    fn the_config_keys_are_exactly_the_settings_table() {
        let fields = serde_json::to_value(ConfigJson::default()).unwrap();
        let fields: Vec<&str> = fields.as_object().unwrap().keys().map(String::as_str).collect();
        let mut table: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        let mut sorted = fields.clone();
        sorted.sort_unstable();
        table.sort_unstable();
        assert_eq!(sorted, table, "every settings row has a config key, and no key is undeclared");
        for s in SETTINGS {
            let text = serde_json::json!({ s.key: sample(s.kind) }).to_string();
            assert!(ConfigJson::parse(Some(&text)).is_ok(), "{} takes a {} value", s.key, s.kind);
            // And the wrong kind of value is refused.
            let wrong = if s.kind == SettingKind::Flag { serde_json::json!(7) } else { serde_json::json!([]) };
            let text = serde_json::json!({ s.key: wrong }).to_string();
            assert!(ConfigJson::parse(Some(&text)).is_err(), "{} refuses {wrong}", s.key);
        }
    }

    #[test]
    fn config_keys_reach_the_builder() {
        let text = r#"{"api_key":"sk_test_1","workspace_id":"ws1","base_url":"http://127.0.0.1:9",
            "timeout_ms":1500,"connect_timeout_ms":250,"max_retries":0,"rate_limit_per_minute":30,
            "allow_insecure_http":false,"user_agent_suffix":"c/99","ignore_env":true,
            "proxy":"http://u:pw@127.0.0.1:3128"}"#;
        let client = ConfigJson::parse(Some(text)).unwrap().builder().build().unwrap();
        let c = client.config();
        assert!(c.has_api_key());
        assert_eq!(c.workspace_id(), Some("ws1"));
        assert_eq!(c.base_url(), "http://127.0.0.1:9");
        assert_eq!(c.timeout(), Duration::from_millis(1500));
        assert_eq!(c.connect_timeout(), Duration::from_millis(250));
        assert_eq!(c.max_retries(), 0);
        assert_eq!(c.rate_limit_per_minute(), Some(30));
        assert!(c.user_agent().ends_with(" c/99"));
        assert_eq!(c.proxy(), Some("http://<redacted>@127.0.0.1:3128"));
    }

    #[test]
    fn a_missing_ca_bundle_is_refused_naming_the_path() {
        let text = r#"{"api_key":"k","ca_bundle":"/nonexistent/trillet-ca.pem","ignore_env":true}"#;
        let e = ConfigJson::parse(Some(text)).unwrap().builder().build().unwrap_err();
        assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_ca_bundle"));
        assert!(e.message().contains("/nonexistent/trillet-ca.pem"), "{}", e.message());
    }

    #[test]
    fn empty_null_and_blank_configs_mean_defaults() {
        for text in [None, Some(""), Some("  "), Some("null"), Some("{}")] {
            let parsed = ConfigJson::parse(text).unwrap();
            assert!(parsed.api_key.is_none() && parsed.timeout_ms.is_none(), "{text:?}");
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_refused() {
        for text in [r#"{"apikey":"x"}"#, r#"{"timeout_ms":"10"}"#, "[]", "5", r#""s""#, "{"] {
            let e = ConfigJson::parse(Some(text)).unwrap_err();
            assert_eq!((e.kind(), e.code()), ("invalid_input", "invalid_config"), "{text}");
        }
    }
}
