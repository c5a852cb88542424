//! Request logs: one line per attempt — method, path, operation, outcome, attempt, host, time
//! taken.
//!
//! Each line goes to the [`log`] facade (target `trillet`, level `debug`), so a Rust application
//! sees it in its own logger (`env_logger`, `tracing-log`, ...); with `TRILLET_LOG=debug` the same
//! line is also written to stderr, prefixed `trillet: `, for C, Python and Go hosts, which have no
//! Rust logger. A line never holds a header value, so never the API key.

use crate::operations::Method;
use std::time::Duration;

/// The `log` target of every record of this crate.
pub(crate) const TARGET: &str = "trillet";

/// One attempt, as the pipeline saw it.
pub(crate) struct Attempt<'a> {
    pub method: Method,
    /// The `host:port` the request is for.
    pub host: &'a str,
    pub path: &'a str,
    pub operation: &'a str,
    pub attempt: u32,
    pub took: Duration,
}

/// Logs an attempt; `outcome` (the status, or what failed) is only formatted when a line is
/// written somewhere.
pub(crate) fn attempt(to_stderr: bool, a: &Attempt<'_>, outcome: impl FnOnce() -> String) {
    if !to_stderr && !log::log_enabled!(target: TARGET, log::Level::Debug) {
        return;
    }
    let line = format!(
        "{} {} ({}) -> {} attempt={} host={} {}ms",
        a.method,
        a.path,
        a.operation,
        outcome(),
        a.attempt,
        a.host,
        a.took.as_millis()
    );
    log::debug!(target: TARGET, "{line}");
    if to_stderr {
        eprintln!("trillet: {line}");
    }
}

/// Whether `TRILLET_LOG` asks for lines on stderr at `level` (`debug` shows everything, `warn`
/// warnings only).
fn stderr_wants(level: log::Level) -> bool {
    let Ok(v) = std::env::var(crate::config::ENV_LOG) else { return false };
    let v = v.trim().to_ascii_lowercase();
    v == "debug" || (v == "warn" && level <= log::Level::Warn)
}

/// Something the application should know (a shared rate-limit store failing): the `log`
/// facade at `warn`, and stderr with `TRILLET_LOG=warn` or `debug`. Rare by construction (once
/// per outage): not for per-call events.
pub(crate) fn warning(message: &str) {
    log::warn!(target: TARGET, "{message}");
    if stderr_wants(log::Level::Warn) {
        eprintln!("trillet: warning: {message}");
    }
}

/// The end of what a [`warning`] reported: `info` on the facade, stderr with `TRILLET_LOG=debug`.
pub(crate) fn notice(message: &str) {
    log::info!(target: TARGET, "{message}");
    if stderr_wants(log::Level::Info) {
        eprintln!("trillet: {message}");
    }
}
