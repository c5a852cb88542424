//! Exit codes and how errors are reported: one line of error JSON on stderr.

use trillet::Error;

/// Success.
pub const OK: i32 = 0;
/// The API answered with an error (4xx/5xx).
pub const API: i32 = 1;
/// Bad arguments or input, refused before anything was sent.
pub const USAGE: i32 = 2;
/// Could not reach the API, or the connection failed or timed out.
pub const NETWORK: i32 = 3;
/// The API answered 2xx with a body that is not what the operation promises.
pub const RESPONSE: i32 = 4;
/// A webhook was refused: `webhooks verify` failed a check, or `webhooks trigger`'s receiver
/// answered non-2xx.
pub const WEBHOOK_REFUSED: i32 = 5;
/// Ctrl-C cancelled the call (128 + SIGINT, as shells report an interrupted command).
pub const INTERRUPTED: i32 = 130;

/// The exit-code table, for `--help`.
pub const HELP: &str = "\
Exit codes:
  0  success
  1  API error: the server answered 4xx/5xx (error JSON on stderr, kind \"api\")
  2  usage error: bad arguments or input, nothing sent (kind \"invalid_input\")
  3  network error: connect failure, timeout or connection lost (kind \"connect\", \"timeout\", \"io\")
  4  invalid response: a 2xx body that is not valid JSON (kind \"decode\")
  5  webhook refused: `webhooks verify` failed a check (code: bad_signature, timestamp_too_old, ...) or
     `webhooks trigger`'s receiver answered non-2xx
  130  interrupted: Ctrl-C cancelled the call (kind \"cancelled\", code \"not_sent\" or
       \"maybe_sent\": whether the API may have acted on it)";

/// The exit code for an error, by its kind.
pub fn code_for(e: &Error) -> i32 {
    match e.kind() {
        "api" => API,
        "timeout" | "connect" | "io" => NETWORK,
        "decode" => RESPONSE,
        "cancelled" => INTERRUPTED,
        _ => USAGE,
    }
}

/// Prints the error JSON on stderr and exits with the error's code.
pub fn fail(e: &Error) -> ! {
    eprintln!("{}", e.to_json());
    std::process::exit(code_for(e))
}

/// Prints the error JSON on stderr and exits with `code`.
pub fn fail_with(e: &Error, code: i32) -> ! {
    eprintln!("{}", e.to_json());
    std::process::exit(code)
}

/// A usage error (exit code 2).
pub fn usage(message: impl Into<String>) -> Error {
    Error::invalid("usage_error", message)
}

/// Turns a clap error into one readable line: the error, its suggestions (`a similar subcommand
/// exists: 'agents'`), then the usage line.
pub fn clap_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    // The lines right under the first name what it is about (`<agentId>` for a missing argument).
    let named: Vec<&str> = text.lines().skip(1).take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
    if !named.is_empty() {
        message.push_str(&format!(" {}", named.join(", ")));
    }
    for tip in text.lines().map(str::trim).filter_map(|l| l.strip_prefix("tip: ")) {
        message.push_str(&format!("; {}", did_you_mean(tip)));
    }
    let usage = text.lines().map(str::trim).find(|l| l.starts_with("Usage:"));
    match usage {
        Some(usage) => format!("{message} ({usage}; see --help)"),
        None => message,
    }
}

/// clap's tip in the usual words: `a similar subcommand exists: 'agents'` becomes
/// `did you mean 'agents'?`; other tips stay as they are.
fn did_you_mean(tip: &str) -> String {
    match tip.split_once(" exists: ").or_else(|| tip.split_once(" exist: ")) {
        Some((what, names)) if what.starts_with("a similar") || what.starts_with("some similar") => {
            format!("did you mean {names}?")
        }
        _ => tip.to_string(),
    }
}
