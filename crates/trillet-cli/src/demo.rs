//! `trillet demo`: the main job, start to finish, step by step.
//!
//! Against `TRILLET_BASE_URL` (default the real API) when an API key is set (`TRILLET_API_KEY`
//! or `--api-key`); otherwise against a sandbox started in-process. Against a remote API it buys
//! a number and places a real call, so it asks for `--yes` first.

use crate::api;
use crate::exit;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;
use trillet::operations::ops;
use trillet::webhooks::{self, Scheme, Verifier, WebhookError};
use trillet::{Client, Error, Request};
use trillet_sandbox::{Sandbox, SandboxOptions};

const STEPS: usize = 15;
/// The demo receiver's signing secret (Standard Webhooks: base64 after `whsec_`).
const HOOK_SECRET: &str = "whsec_dHJpbGxldCBkZW1vIHJlY2VpdmVy";

/// The `demo` subcommand.
pub fn command() -> Command {
    api::connection_args(
        Command::new("demo")
            .about("The whole Trillet flow, start to finish (against a local sandbox unless an API key is set)")
            .long_about(
                "The whole Trillet flow, start to finish: create a call agent, a call flow, a messaging agent and \
                 a message flow; list agents; search, buy and bind a number; place an outbound call, read it back \
                 from call history and end it; receive the sandbox's signed call.completed webhook on a local \
                 receiver; generate a conversation message and approve it; sign and verify a webhook payload.\n\n\
                 Runs against TRILLET_BASE_URL (or --base-url, default https://api.trillet.ai) when an API key is \
                 set (TRILLET_API_KEY or --api-key); otherwise against a sandbox started in-process. Against a \
                 non-local API it buys a phone number and places a real call, so it needs --yes.",
            )
            .after_help(format!("Examples:\n  trillet demo\n  trillet demo --json\n\n{}", exit::HELP))
            .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("Print one JSON report instead of text"))
            .arg(
                Arg::new("to")
                    .long("to")
                    .value_name("E164")
                    .default_value("+14155550123")
                    .help("The number to call and message"),
            )
            .arg(
                Arg::new("yes")
                    .long("yes")
                    .action(ArgAction::SetTrue)
                    .help("Confirm running against a real API (buys a number, places a call)"),
            ),
    )
}

fn is_local(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Runs the demo.
pub fn run(m: &ArgMatches) -> Result<(), Error> {
    let key_set = m.get_one::<String>("api-key").is_some()
        || std::env::var(trillet::ENV_API_KEY).is_ok_and(|k| !k.trim().is_empty());
    let (sandbox, client) = if key_set {
        (None, api::client(m)?)
    } else {
        let sandbox = Sandbox::start(SandboxOptions::default())
            .map_err(|e| Error::Connect { message: format!("could not start the in-process sandbox: {e}") })?;
        let client = sandbox.client_builder().build()?;
        (Some(sandbox), client)
    };
    let base_url = client.config().base_url().to_string();
    if sandbox.is_none() && !is_local(&base_url) && !m.get_flag("yes") {
        return Err(exit::usage(format!(
            "the demo buys a phone number and places a real call on {base_url}: pass --yes to confirm \
             (or unset TRILLET_API_KEY to run against a local sandbox)"
        )));
    }
    let target = if sandbox.is_some() { "sandbox" } else { "api" };
    let mut run = Run { json: m.get_flag("json"), n: 0, steps: Vec::new() };
    if !run.json {
        let place = match &sandbox {
            Some(s) => format!("a local sandbox at {} (started in-process)", s.url()),
            None => base_url.clone(),
        };
        println!("trillet demo: the whole Trillet flow against {place}\n");
    }
    let to = m.get_one::<String>("to").expect("has a default").clone();
    // A sandbox (in-process, or a local one given as the API) delivers webhooks: a receiver in
    // this process gets the call's call.completed. A remote API is never sent /__sandbox/ calls.
    let hook = if sandbox.is_some() || is_local(&base_url) { Hook::start(&client) } else { None };
    let result = steps(&mut run, &client, &to, hook.as_ref());
    if run.json {
        let error = result.as_ref().err().map(Error::to_json_value);
        let report =
            json!({"ok": result.is_ok(), "target": target, "base_url": base_url, "steps": run.steps, "error": error});
        api::print_body(&report.to_string(), false);
    } else if result.is_ok() {
        println!("\nAll {STEPS} steps passed.");
    }
    drop(sandbox);
    result
}

/// Step bookkeeping and output.
struct Run {
    json: bool,
    n: usize,
    steps: Vec<Value>,
}

impl Run {
    /// Runs one step: `f` answers a one-line summary, the ids it produced, and its value.
    fn step<T>(
        &mut self,
        title: &str,
        operation: Option<&str>,
        f: impl FnOnce() -> Result<(String, Value, T), Error>,
    ) -> Result<T, Error> {
        self.n += 1;
        let result = f();
        let (ok, summary, details) = match &result {
            Ok((summary, details, _)) => (true, summary.clone(), details.clone()),
            Err(e) => (false, format!("{} {}: {}", e.kind(), e.code(), e.message()), Value::Null),
        };
        self.steps.push(json!({"step": self.n, "name": title, "operation": operation, "ok": ok,
                               "summary": summary, "result": details}));
        if !self.json {
            let status = if ok { "ok" } else { "FAILED" };
            println!("[{:>2}/{STEPS}] {title}: {status}\n        {summary}", self.n);
        }
        result.map(|(_, _, value)| value)
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The first non-empty string among `keys` of `v`.
fn id_in(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().filter_map(|k| v.get(*k)?.as_str()).find(|s| !s.is_empty()).map(str::to_string)
}

fn missing(what: &str, op: &str) -> Error {
    Error::Decode { message: format!("{op}: the response carries no {what}"), snippet: String::new() }
}

/// A webhook receiver on 127.0.0.1, registered with the sandbox for `call.completed`: each
/// delivery it gets is verified with [`Verifier`] (the raw body, the headers as received) and
/// handed over on a channel.
struct Hook {
    url: String,
    received: mpsc::Receiver<Result<(String, webhooks::Event), WebhookError>>,
}

impl Hook {
    fn start(client: &Client) -> Option<Hook> {
        let listener = TcpListener::bind("127.0.0.1:0").ok()?;
        let url = format!("http://{}/webhooks", listener.local_addr().ok()?);
        let registration =
            json!({"url": url, "secret": HOOK_SECRET, "scheme": "standard", "events": ["call.completed"]});
        client.request("POST", "/__sandbox/webhooks", &Request::new().json(&registration)).ok()?;
        let (tx, received) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(&stream);
                let (mut line, mut headers) = (String::new(), Vec::new());
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                loop {
                    let mut h = String::new();
                    match reader.read_line(&mut h) {
                        Ok(n) if n > 0 && !h.trim().is_empty() => {
                            if let Some((k, v)) = h.split_once(':') {
                                headers.push((k.trim().to_string(), v.trim().to_string()));
                            }
                        }
                        _ => break,
                    }
                }
                let len = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse::<usize>().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len.min(1 << 20)];
                let _ = reader.read_exact(&mut body);
                let checked = Verifier::new([HOOK_SECRET]).construct_event(&headers, &body);
                let id = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("webhook-id")).map(|(_, v)| v.clone());
                let status = if checked.is_ok() { "200 OK" } else { "400 Bad Request" };
                let _ = write!(&stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                let _ = tx.send(checked.map(|event| (id.unwrap_or_default(), event)));
            }
        });
        Some(Hook { url, received })
    }
}

fn steps(run: &mut Run, client: &Client, to: &str, hook: Option<&Hook>) -> Result<(), Error> {
    let agent_id = run.step("Create a call agent", Some(ops::AGENTS_CREATE.id), || {
        let agent = client.call(
            ops::AGENTS_CREATE.id,
            json!({"body": {"name": "Trillet Demo Agent", "llmModel": "gpt-4o-mini",
                            "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower", "language": "en"}}}),
        )?;
        let id = id_in(&agent, &["_id", "agentId"]).ok_or_else(|| missing("agent id", ops::AGENTS_CREATE.id))?;
        Ok((format!("agent {id} \"{}\"", text(&agent["name"])), json!({"agentId": id}), id))
    })?;

    let flow_id = run.step("Create a call flow for the agent", Some(ops::CALL_FLOWS_CREATE.id), || {
        let flow = client.call(
            ops::CALL_FLOWS_CREATE.id,
            json!({"body": {"name": "Trillet Demo Call Flow", "direction": "bidirectional", "agent": agent_id,
                            "promptType": "simple", "prompt": "Greet the caller, answer briefly, keep it friendly.",
                            "settings": {"callSetting": {"maxCallDuration": 300, "endCallOnSilence": 10}}}}),
        )?;
        let id = id_in(&flow, &["_id"]).ok_or_else(|| missing("call flow id", ops::CALL_FLOWS_CREATE.id))?;
        Ok((format!("call flow {id} linked to agent {agent_id}"), json!({"callFlowId": id}), id))
    })?;

    let omni_id = run.step("Create a messaging (omni flow) agent", Some(ops::OMNI_FLOW_AGENTS_CREATE.id), || {
        let name = "Trillet Demo SMS Agent";
        let omni =
            client.call(ops::OMNI_FLOW_AGENTS_CREATE.id, json!({"body": {"name": name, "llmModel": "gpt-4o-mini"}}))?;
        // The documented response has no _id; find the agent by name when it is missing.
        let id = match id_in(&omni, &["_id"]) {
            Some(id) => id,
            None => client
                .call(ops::OMNI_FLOW_AGENTS_LIST.id, json!({}))?
                .as_array()
                .and_then(|all| all.iter().rev().find(|a| a["name"] == name).and_then(|a| id_in(a, &["_id"])))
                .ok_or_else(|| missing("omni flow agent id", ops::OMNI_FLOW_AGENTS_CREATE.id))?,
        };
        Ok((format!("omni flow agent {id}"), json!({"omniFlowAgentId": id}), id))
    })?;

    let message_flow_id = run.step("Create a message flow", Some(ops::MESSAGE_FLOWS_CREATE.id), || {
        let flow = client.call(
            ops::MESSAGE_FLOWS_CREATE.id,
            json!({"body": {"name": "Trillet Demo Follow-up", "direction": "outbound", "agent": omni_id,
                            "messageChannel": "SMS", "isActive": true, "autopilot": false,
                            "prompt": "You are a friendly assistant following up after a call.",
                            "initiationMessage": "Hi {{name}}, thanks for talking with Trillet Demo! Reply here if you need anything else."}}),
        )?;
        let id = id_in(&flow, &["_id"]).ok_or_else(|| missing("message flow id", ops::MESSAGE_FLOWS_CREATE.id))?;
        Ok((format!("message flow {id} for omni agent {omni_id}"), json!({"messageFlowId": id}), id))
    })?;

    run.step("List agents", Some(ops::AGENTS_LIST.id), || {
        let agents = client.call(ops::AGENTS_LIST.id, json!({}))?;
        let all = agents.as_array().or_else(|| agents["data"].as_array()).cloned().unwrap_or_default();
        if !all.iter().any(|a| a["_id"] == agent_id.as_str()) {
            return Err(Error::Decode {
                message: format!("agents.list does not include agent {agent_id}"),
                snippet: String::new(),
            });
        }
        Ok((format!("{} agent(s), including {agent_id}", all.len()), json!({"count": all.len()}), ()))
    })?;

    let number = run.step("Search available phone numbers", Some(ops::PHONE_NUMBERS_SEARCH_AVAILABLE.id), || {
        let found = client.call(
            ops::PHONE_NUMBERS_SEARCH_AVAILABLE.id,
            json!({"query": {"country": "US", "type": "local", "limit": 3}}),
        )?;
        let number = found["numbers"]
            .as_array()
            .and_then(|n| n.first())
            .and_then(|n| id_in(n, &["phoneNumber"]))
            .ok_or_else(|| missing("available number", ops::PHONE_NUMBERS_SEARCH_AVAILABLE.id))?;
        Ok((
            format!("{} available, taking {number}", found["numbers"].as_array().map_or(0, Vec::len)),
            json!({"phoneNumber": number}),
            number,
        ))
    })?;

    let number_id = run.step("Buy the number", Some(ops::PHONE_NUMBERS_PURCHASE.id), || {
        let bought = client.call(
            ops::PHONE_NUMBERS_PURCHASE.id,
            json!({"body": {"country": "US", "type": "local", "phoneNumber": number}}),
        )?;
        let id = match id_in(&bought["phoneNumber"], &["_id"]) {
            Some(id) => id,
            None => client
                .call(ops::PHONE_NUMBERS_LIST.id, json!({}))?
                .as_array()
                .and_then(|all| {
                    all.iter().find(|n| n["phoneNumber"] == number.as_str()).and_then(|n| id_in(n, &["_id"]))
                })
                .ok_or_else(|| missing("phone number id", ops::PHONE_NUMBERS_PURCHASE.id))?,
        };
        Ok((format!("bought {number} (id {id})"), json!({"phoneNumberId": id}), id))
    })?;

    run.step("Bind the number to the agent", Some(ops::PHONE_NUMBERS_BIND.id), || {
        let bound = client.call(
            ops::PHONE_NUMBERS_BIND.id,
            json!({"path": {"agentId": agent_id, "phoneNumberId": number_id}, "body": {"recordCalls": false}}),
        )?;
        let agent_numbers = bound["agent"]["phoneNumberIds"].clone();
        Ok((
            format!("{number} now answers for agent {agent_id} (call flow {flow_id})"),
            json!({"phoneNumberIds": agent_numbers, "pathwayId": bound["pathwayId"]}),
            (),
        ))
    })?;

    let call_id = run.step("Place an outbound call", Some(ops::CALLS_INITIATE.id), || {
        let placed = client.call(
            ops::CALLS_INITIATE.id,
            json!({"body": {"to": to, "call_agent_id": agent_id, "dynamic_variables": {"firstName": "Ada"},
                            "metadata": {"source": "trillet demo"}}}),
        )?;
        let id = id_in(&placed, &["call_id", "callId"]).ok_or_else(|| missing("call id", ops::CALLS_INITIATE.id))?;
        Ok((format!("calling {to} from {number}: call {id} ({})", text(&placed["status"])), json!({"callId": id}), id))
    })?;

    let room = run.step("Read the call back from call history", Some(ops::CALL_HISTORY_GET.id), || {
        let record = client.call(ops::CALL_HISTORY_GET.id, json!({"path": {"callHistoryId": call_id}}))?;
        let room = id_in(&record, &["roomName"]).ok_or_else(|| missing("room name", ops::CALL_HISTORY_GET.id))?;
        Ok((
            format!(
                "call {call_id} is {} to {} in room {room}",
                text(&record["status"]),
                text(&record["toPhoneNumber"])
            ),
            json!({"status": record["status"], "roomName": room}),
            room,
        ))
    })?;

    let duration = run.step("End the call", Some(ops::ACTIVE_CALLS_END_CALL.id), || {
        let ended = client.call(ops::ACTIVE_CALLS_END_CALL.id, json!({"path": {"roomName": room}}))?;
        let record = client.call(ops::CALL_HISTORY_GET.id, json!({"path": {"callHistoryId": call_id}}))?;
        Ok((
            format!(
                "{}; call history now says {} after {} s",
                text(&ended["message"]),
                text(&record["status"]),
                text(&record["duration"])
            ),
            json!({"endTime": ended["endTime"], "status": record["status"]}),
            record["duration"].clone(),
        ))
    })?;

    run.step("Receive the signed call.completed webhook", None, || {
        let Some(hook) = hook else {
            return Ok((
                "skipped: the API's webhooks are configured in the Trillet dashboard (the sandbox delivers them)"
                    .to_string(),
                json!({"skipped": true}),
                (),
            ));
        };
        let (id, event) = hook
            .received
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| Error::Timeout { message: "no call.completed webhook arrived within 30 s".to_string() })?
            .map_err(Error::from)?;
        if event.event != webhooks::EventType::CallCompleted || event.data["callId"] != call_id.as_str() {
            return Err(Error::invalid(
                "webhook_check_failed",
                format!("expected call.completed for call {call_id}, got {} {}", event.event, event.data),
            ));
        }
        Ok((
            format!(
                "{} got {} for call {call_id} ({} s), webhook-id {id}: signature verified ({} scheme)",
                hook.url,
                event.event,
                text(&event.data["duration"]),
                Scheme::Standard
            ),
            json!({"event": event.event.as_str(), "webhookId": id, "callId": call_id, "scheme": "standard",
                   "metadata": event.data["metadata"]}),
            (),
        ))
    })?;

    let (conversation_id, message_id) =
        run.step("Generate a conversation message", Some(ops::CONVERSATIONS_GENERATE_MESSAGE.id), || {
            let generated = client.call(
                ops::CONVERSATIONS_GENERATE_MESSAGE.id,
                json!({"body": {"flowId": message_flow_id, "to": to, "autopilot": false,
                            "metadata": {"customerDetails": {"name": "Ada"}}}}),
            )?;
            let conversation = id_in(&generated, &["conversation_id", "conversationId"])
                .ok_or_else(|| missing("conversation id", ops::CONVERSATIONS_GENERATE_MESSAGE.id))?;
            let message = id_in(&generated, &["message_id", "messageId"])
                .ok_or_else(|| missing("message id", ops::CONVERSATIONS_GENERATE_MESSAGE.id))?;
            Ok((
                format!("\"{}\" (message {message}, awaiting approval)", text(&generated["message"])),
                json!({"conversationId": conversation, "messageId": message, "message": generated["message"]}),
                (conversation, message),
            ))
        })?;

    run.step("Approve the message", Some(ops::CONVERSATIONS_MESSAGE_ACTION.id), || {
        let approved = client.call(
            ops::CONVERSATIONS_MESSAGE_ACTION.id,
            json!({"path": {"conversationId": conversation_id, "messageId": message_id},
                   "body": {"metadata": {"action": "Approve"}}}),
        )?;
        let status = text(&approved["message"]["status"]);
        Ok((
            format!("message {message_id} is {status}, sent: {}", text(&approved["message"]["sent"])),
            json!({"status": status}),
            (),
        ))
    })?;

    run.step("Sign and verify a webhook payload", None, || {
        let secret = "whsec_trillet_demo";
        let payload = json!({"event": "call.completed",
                             "data": {"callId": call_id, "agentId": agent_id, "duration": duration, "status": "completed"}})
        .to_string();
        let signature = webhooks::sign(secret, payload.as_bytes());
        let event = webhooks::construct_event(secret, payload.as_bytes(), &signature)?;
        let tampered = payload.replace("completed", "c0mpleted");
        match webhooks::verify(secret, tampered.as_bytes(), &signature) {
            Err(WebhookError::SignatureMismatch) => {}
            other => {
                return Err(Error::invalid("webhook_check_failed", format!("a tampered payload was not rejected: {other:?}")))
            }
        }
        Ok((
            format!("{} signed ({}…) and verified; a tampered body was rejected", event.event, &signature[..16]),
            json!({"event": event.event.as_str(), "signature": signature}),
            (),
        ))
    })?;
    Ok(())
}
