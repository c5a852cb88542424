//! `trillet webhooks trigger` (send one signed sample event to a receiver, like `stripe
//! trigger`) and `trillet webhooks verify` (check a captured delivery: exit code and failure code).

use crate::exit;
use clap::{value_parser, Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Value};
use std::io::Read;
use std::time::Duration;
use trillet::webhooks::{self, EventType, Scheme, Verifier};
use trillet::Error;

/// The `webhooks` subcommand.
pub fn command() -> Command {
    let events: Vec<&'static str> = EVENT_NAMES.to_vec();
    Command::new("webhooks")
        .about("Send a signed sample webhook to a receiver, or verify a captured one")
        .subcommand_required(true)
        .after_help(format!(
            "Exit codes of `verify` and `trigger`: 0 verified / accepted (2xx), {} refused (the error JSON's code says \
             which check failed, or the receiver's status), 2 usage error, 3 receiver unreachable.\n\n\
             Examples:\n  trillet webhooks trigger call.completed --url http://127.0.0.1:8000/hooks --secret whsec_...\n  \
             trillet webhooks verify --secret whsec_... --header 'webhook-id: msg_1' \\\n    \
             --header 'webhook-timestamp: 1700000000' --header 'webhook-signature: v1,...' < body.json",
            exit::WEBHOOK_REFUSED
        ))
        .subcommand(
            Command::new("trigger")
                .about("Send one signed sample event to a URL (for testing a receiver)")
                .arg(
                    Arg::new("event")
                        .required(true)
                        .value_parser(events)
                        .help("The event type (call.completed, agent.created, ...)"),
                )
                .arg(Arg::new("url").long("url").value_name("URL").required(true).help("The receiver's URL"))
                .arg(Arg::new("secret").long("secret").value_name("SECRET").required(true).help("The signing secret"))
                .arg(
                    Arg::new("scheme")
                        .long("scheme")
                        .value_parser(["trillet", "standard"])
                        .default_value("trillet")
                        .help("trillet: X-Trillet-Signature; standard: webhook-id/-timestamp/-signature"),
                )
                .arg(
                    Arg::new("data")
                        .long("data")
                        .value_name("JSON")
                        .help("The event's data object (default: a sample for the event type)"),
                )
                .arg(
                    Arg::new("timeout")
                        .long("timeout")
                        .value_name("SECONDS")
                        .value_parser(value_parser!(u64).range(1..=600))
                        .default_value("10")
                        .help("How long to wait for the receiver"),
                ),
        )
        .subcommand(
            Command::new("verify")
                .about("Verify a captured delivery: the raw body on stdin, its headers as --header flags")
                .arg(
                    Arg::new("secret")
                        .long("secret")
                        .value_name("SECRET")
                        .required(true)
                        .action(ArgAction::Append)
                        .help("The signing secret; repeat during a rotation (any one matching passes)"),
                )
                .arg(
                    Arg::new("header")
                        .long("header")
                        .short('H')
                        .value_name("'NAME: VALUE'")
                        .action(ArgAction::Append)
                        .help("A request header as received; repeat for each"),
                )
                .arg(
                    Arg::new("tolerance")
                        .long("tolerance")
                        .value_name("SECONDS")
                        .value_parser(value_parser!(u64))
                        .default_value("300")
                        .help("How far a standard webhook-timestamp may be from now"),
                )
                .arg(
                    Arg::new("scheme")
                        .long("scheme")
                        .value_parser(["trillet", "standard"])
                        .help("Accept only this scheme (default: picked from the headers)"),
                ),
        )
}

const EVENT_NAMES: [&str; 9] = [
    "call.started",
    "call.completed",
    "call.failed",
    "sms.sent",
    "sms.delivered",
    "agent.created",
    "agent.updated",
    "flow.created",
    "flow.updated",
];

/// A sample `data` object for an event type, shaped like what the sandbox sends.
pub fn sample_data(event: &EventType) -> Value {
    let call = |status: &str| {
        json!({"callId": "665f1a2b3c4d5e6f7a8b9c0d", "agentId": "665a1b2c3d4e5f6a7b8c9d0e", "status": status,
               "direction": "outbound", "type": "phone", "to": "+14155550123", "from": "+14155550100",
               "metadata": {"source": "trillet webhooks trigger"}})
    };
    let sms = |status: &str| {
        json!({"messageId": "665f1a2b3c4d5e6f7a8b9c1e", "conversationId": "665f1a2b3c4d5e6f7a8b9c1f",
               "to": "+14155550123", "message": "Thanks for calling!", "status": status})
    };
    match event {
        EventType::CallStarted => call("in-progress"),
        EventType::CallCompleted => {
            let mut d = call("completed");
            d["duration"] = json!(125);
            d
        }
        EventType::CallFailed => {
            let mut d = call("failed");
            d["reason"] = json!("Invalid phone number (E.164 required)");
            d
        }
        EventType::SmsSent => sms("sent"),
        EventType::SmsDelivered => sms("delivered"),
        EventType::AgentCreated | EventType::AgentUpdated => {
            json!({"agentId": "665a1b2c3d4e5f6a7b8c9d0e", "name": "Support", "agentType": "call"})
        }
        _ => json!({"flowId": "665b1b2c3d4e5f6a7b8c9d0e", "name": "Support Flow", "flowType": "call",
                    "agentId": "665a1b2c3d4e5f6a7b8c9d0e"}),
    }
}

/// Runs `webhooks trigger` or `webhooks verify`.
pub fn run(m: &ArgMatches) -> Result<(), Error> {
    match m.subcommand() {
        Some(("trigger", m)) => trigger(m),
        Some(("verify", m)) => verify(m),
        _ => unreachable!("a subcommand is required"),
    }
}

fn scheme_of(m: &ArgMatches) -> Option<Scheme> {
    m.get_one::<String>("scheme").and_then(|s| Scheme::parse(s))
}

fn trigger(m: &ArgMatches) -> Result<(), Error> {
    let event = EventType::parse(m.get_one::<String>("event").expect("required"));
    let url = m.get_one::<String>("url").expect("required");
    let secret = m.get_one::<String>("secret").expect("required");
    let scheme = scheme_of(m).unwrap_or(Scheme::Trillet);
    let data = match m.get_one::<String>("data") {
        Some(text) => {
            serde_json::from_str::<Value>(text).map_err(|e| exit::usage(format!("--data is not valid JSON: {e}")))?
        }
        None => sample_data(&event),
    };
    let body = json!({"event": event.as_str(), "data": data}).to_string();
    let id = webhooks::new_message_id();
    let headers = webhooks::sign_headers(scheme, secret, body.as_bytes(), &id, webhooks::now_unix())
        .map_err(|e| exit::usage(format!("--secret cannot sign the {scheme} scheme: {e}")))?;
    let timeout = Duration::from_secs(*m.get_one::<u64>("timeout").expect("has a default"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(format!("trillet-cli/{}", trillet::VERSION))
        .build()
        .into();
    let mut request = agent.post(url).header("Content-Type", "application/json");
    for (name, value) in &headers {
        request = request.header(name, value);
    }
    let response = request.send(body.as_bytes()).map_err(|e| match e {
        ureq::Error::Timeout(_) => Error::Timeout { message: format!("the receiver at {url} did not answer in time") },
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => exit::usage(format!("--url {url:?} is not a usable URL: {e}")),
        other => Error::Connect { message: format!("could not reach the receiver at {url}: {other}") },
    })?;
    let status = response.status().as_u16();
    let report = json!({"event": event.as_str(), "url": url, "scheme": scheme.as_str(), "status": status,
                        "headers": headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
                        "payload": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null)});
    if (200..300).contains(&status) {
        println!("{report}");
        Ok(())
    } else {
        exit::fail_with(
            &Error::invalid("webhook_not_accepted", format!("the receiver at {url} answered HTTP {status}")),
            exit::WEBHOOK_REFUSED,
        )
    }
}

fn verify(m: &ArgMatches) -> Result<(), Error> {
    let secrets: Vec<String> = m.get_many::<String>("secret").expect("required").cloned().collect();
    let mut headers = Vec::new();
    for h in m.get_many::<String>("header").into_iter().flatten() {
        let (name, value) =
            h.split_once(':').ok_or_else(|| exit::usage(format!("--header {h:?} is not 'Name: value'")))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut body = Vec::new();
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| exit::usage(format!("could not read the body on stdin: {e}")))?;
    let mut verifier =
        Verifier::new(secrets).tolerance(Duration::from_secs(*m.get_one::<u64>("tolerance").expect("has a default")));
    if let Some(s) = scheme_of(m) {
        verifier = verifier.scheme(s);
    }
    let checked = verifier.verify(&headers, &body).and_then(|v| Ok((v, webhooks::parse(&body)?)));
    match checked {
        Ok((verified, event)) => {
            println!(
                "{}",
                json!({"ok": true, "scheme": verified.scheme.as_str(), "id": verified.id,
                       "timestamp": verified.timestamp, "event": event.event.as_str()})
            );
            Ok(())
        }
        Err(e) => exit::fail_with(&e.into(), exit::WEBHOOK_REFUSED),
    }
}
