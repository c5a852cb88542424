//! Request logs: one line per attempt — method, path, operation, outcome, attempt, time taken.
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
        "{} {} ({}) -> {} attempt={} {}ms",
        a.method,
        a.path,
        a.operation,
        outcome(),
        a.attempt,
        a.took.as_millis()
    );
    log::debug!(target: TARGET, "{line}");
    if to_stderr {
        eprintln!("trillet: {line}");
    }
}
