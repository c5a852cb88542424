//! `trillet sandbox`: runs the local sandbox until killed.

use clap::{value_parser, Arg, ArgMatches, Command};
use std::io::Write;
use trillet::webhooks::Scheme;
use trillet_sandbox::{Sandbox, SandboxOptions, WebhookEndpoint, DEFAULT_API_KEY, DEFAULT_WORKSPACE_ID};

/// The `sandbox` subcommand.
pub fn command() -> Command {
    Command::new("sandbox")
        .about("Run the local sandbox (a stand-in for the Trillet API) until killed")
        .long_about(
            "Run the local sandbox: every operation of the API with in-memory state, auth, optional \
             rate-limit emulation, fault injection and a request log under /__sandbox/.\n\n\
             The first line on stdout is the base URL alone (e.g. http://127.0.0.1:43817); everything \
             else goes to stderr. Runs until killed (SIGINT/SIGTERM).",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("N")
                .value_parser(value_parser!(u16))
                .default_value("0")
                .help("Port on 127.0.0.1 (0 picks a free one)"),
        )
        .arg(
            Arg::new("api-key")
                .long("api-key")
                .value_name("KEY")
                .default_value(DEFAULT_API_KEY)
                .help("The API key the sandbox accepts"),
        )
        .arg(
            Arg::new("workspace-id")
                .long("workspace-id")
                .value_name("ID")
                .default_value(DEFAULT_WORKSPACE_ID)
                .help("The workspace id the sandbox starts with"),
        )
        .arg(
            Arg::new("rpm")
                .long("rpm")
                .value_name("N")
                .value_parser(value_parser!(u32).range(1..))
                .help("Emulate a rate limit of N requests a minute (429 rate_limit_exceeded beyond it)"),
        )
        .next_help_heading("Webhooks")
        .arg(
            Arg::new("webhook-url")
                .long("webhook-url")
                .value_name("URL")
                .requires("webhook-secret")
                .help("Deliver signed webhook events (call.completed, agent.created, ...) to this http:// URL"),
        )
        .arg(
            Arg::new("webhook-secret")
                .long("webhook-secret")
                .value_name("SECRET")
                .requires("webhook-url")
                .help("The signing secret (whsec_...; for the standard scheme, base64 after whsec_)"),
        )
        .arg(
            Arg::new("webhook-scheme")
                .long("webhook-scheme")
                .value_name("SCHEME")
                .value_parser(["trillet", "standard"])
                .default_value("trillet")
                .help("trillet: X-Trillet-Signature; standard: webhook-id/-timestamp/-signature (Standard Webhooks)"),
        )
        .arg(
            Arg::new("webhook-retry-ms")
                .long("webhook-retry-ms")
                .value_name("MS,MS,...")
                .value_delimiter(',')
                .value_parser(value_parser!(u64))
                .help("Waits before each retry of a failed delivery, in ms (default 1000,5000,25000)"),
        )
}

/// Runs the sandbox; returns only if it cannot start.
pub fn run(m: &ArgMatches) -> Result<(), trillet::Error> {
    let mut options = SandboxOptions {
        port: *m.get_one::<u16>("port").expect("has a default"),
        api_key: m.get_one::<String>("api-key").expect("has a default").clone(),
        workspace_id: m.get_one::<String>("workspace-id").expect("has a default").clone(),
        rate_limit_per_minute: m.get_one::<u32>("rpm").copied(),
        ..SandboxOptions::default()
    };
    let scheme = m.get_one::<String>("webhook-scheme").and_then(|s| Scheme::parse(s)).unwrap_or(Scheme::Trillet);
    if let (Some(url), Some(secret)) = (m.get_one::<String>("webhook-url"), m.get_one::<String>("webhook-secret")) {
        options.webhooks.push(WebhookEndpoint::new(url, secret, scheme));
    }
    if let Some(waits) = m.get_many::<u64>("webhook-retry-ms") {
        options.webhook_retry_schedule = waits.map(|ms| std::time::Duration::from_millis(*ms)).collect();
    }
    let sandbox = Sandbox::start(options).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => trillet::Error::invalid("usage_error", e.to_string()),
        _ => trillet::Error::Connect { message: format!("could not start the sandbox: {e}") },
    })?;
    let mut out = std::io::stdout().lock();
    // The contract: the first stdout line is the base URL alone, flushed at once.
    let _ = writeln!(out, "{}", sandbox.url());
    let _ = out.flush();
    drop(out);
    eprintln!("trillet sandbox listening on {}", sandbox.url());
    eprintln!("  api key:      {}", sandbox.api_key());
    eprintln!("  workspace id: {}", sandbox.workspace_id());
    match m.get_one::<u32>("rpm") {
        Some(n) => eprintln!("  rate limit:   {n} requests/minute"),
        None => eprintln!("  rate limit:   off"),
    }
    if let Some(url) = m.get_one::<String>("webhook-url") {
        eprintln!("  webhooks:     {url} ({scheme} scheme)");
    }
    eprintln!("  control:      POST /__sandbox/faults, GET|DELETE /__sandbox/requests, POST /__sandbox/reset");
    eprintln!("                POST|GET|DELETE /__sandbox/webhooks, GET /__sandbox/webhooks/deliveries");
    eprintln!(
        "  try:          TRILLET_BASE_URL={} TRILLET_API_KEY={} TRILLET_WORKSPACE_ID={} trillet agents list",
        sandbox.url(),
        sandbox.api_key(),
        sandbox.workspace_id()
    );
    loop {
        std::thread::park();
    }
}
