//! The sandbox delivers signed webhooks: events on state changes, both schemes, retries with a
//! short settable schedule, the delivery log, the control endpoints, and never blocking the API
//! request that caused a delivery. The receiver is a small HTTP server of this file that records
//! what arrives, and every delivery is checked with the crate's verifier.

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::raw;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use trillet::webhooks::{EventType, Scheme, Verifier};
use trillet_sandbox::{Sandbox, SandboxOptions, WebhookEndpoint};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// What the receiver does with the nth request (0-based); past the script's end: answer 200.
#[derive(Clone)]
enum Step {
    Answer(u16),
    /// Answer nothing until the test drops the sender of this channel (or a message arrives).
    Hold(Arc<Mutex<mpsc::Receiver<()>>>),
}

#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn event(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    fn start(script: Vec<Step>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&got);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { return };
                let step = script.get(n).cloned().unwrap_or(Step::Answer(200));
                let seen = Arc::clone(&seen);
                std::thread::spawn(move || serve(stream, step, &seen));
            }
        });
        Receiver { url, got }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, step: Step, seen: &Mutex<Vec<Received>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("POST /hooks HTTP/1.1"), "{line}");
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':').unwrap();
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length")).unwrap().1.parse().unwrap();
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    seen.lock().unwrap().push(Received { headers, body });
    let status = match step {
        Step::Answer(s) => s,
        Step::Hold(release) => {
            let _ = release.lock().unwrap().recv();
            200
        }
    };
    let mut stream = stream;
    let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

/// Polls `f` until it is true; fails the test after a generous bound (never a timing claim).
fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn sandbox_with(endpoints: Vec<WebhookEndpoint>, schedule_ms: &[u64]) -> Sandbox {
    Sandbox::start(SandboxOptions {
        webhooks: endpoints,
        webhook_retry_schedule: schedule_ms.iter().map(|ms| Duration::from_millis(*ms)).collect(),
        ..SandboxOptions::default()
    })
    .unwrap()
}

/// The request of an `agents.create` (each state change below starts with one) for agent `name`.
fn agent_body(name: impl Into<String>) -> Value {
    json!({"body": {"name": name.into(), "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}}})
}

fn events(r: &Receiver) -> Vec<String> {
    r.received().iter().map(|x| x.event()["event"].as_str().unwrap().to_string()).collect()
}

#[test]
fn state_changes_deliver_signed_events_that_verify() {
    let receiver = Receiver::start(vec![]);
    let sandbox = sandbox_with(vec![WebhookEndpoint::new(&receiver.url, SECRET, Scheme::Standard)], &[10]);
    let client = sandbox.client_builder().build().unwrap();
    let agent = client.call("agents.create", agent_body("Hooked")).unwrap();
    let agent_id = agent["_id"].as_str().unwrap().to_string();
    client.call("agents.update", json!({"path": {"agentId": agent_id}, "body": {"name": "Hooked 2"}})).unwrap();
    client
        .call(
            "call_flows.create",
            json!({"body": {"name": "F", "agent": agent_id, "promptType": "simple", "direction": "outbound"}}),
        )
        .unwrap();
    let placed = client
        .call(
            "calls.initiate",
            json!({"body": {"to": "+14155550123", "call_agent_id": agent_id, "metadata": {"order": "A-17"}}}),
        )
        .unwrap();
    let call_id = placed["call_id"].as_str().unwrap().to_string();
    let record = client.call("call_history.get", json!({"path": {"callHistoryId": call_id}})).unwrap();
    client.call("active_calls.end_call", json!({"path": {"roomName": record["roomName"]}})).unwrap();
    wait_for("5 deliveries", || receiver.received().len() >= 5);
    let mut got = events(&receiver);
    got.sort();
    assert_eq!(got, ["agent.created", "agent.updated", "call.completed", "call.started", "flow.created"]);

    let verifier = Verifier::new([SECRET]);
    let mut ids = Vec::new();
    for delivery in receiver.received() {
        let event = verifier.construct_event(&delivery.headers, &delivery.body).unwrap();
        assert_eq!(delivery.header("content-type"), Some("application/json"));
        ids.push(delivery.header("webhook-id").unwrap().to_string());
        match event.event {
            EventType::CallCompleted => {
                assert_eq!(event.data["callId"], call_id.as_str());
                assert_eq!(event.data["status"], "completed");
                assert_eq!(event.data["metadata"], json!({"order": "A-17"}));
                assert!(event.data["duration"].is_u64(), "{}", event.data);
            }
            EventType::CallStarted => assert_eq!(event.data["metadata"], json!({"order": "A-17"})),
            EventType::AgentUpdated => assert_eq!(event.data["name"], "Hooked 2"),
            EventType::AgentCreated => assert_eq!(event.data["agentId"], agent_id.as_str()),
            EventType::FlowCreated => assert_eq!(event.data["flowType"], "call"),
            other => panic!("unexpected {other}"),
        }
        // Tampering is caught: what arrived is exactly what was signed.
        let mut changed = delivery.body.clone();
        changed.push(b' ');
        assert_eq!(verifier.verify(&delivery.headers, &changed).unwrap_err().code(), "bad_signature");
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "one webhook-id per message");
    // Reads send nothing. (An attempt is logged once the receiver's answer is read: wait for all.)
    client.call("agents.list", json!({})).unwrap();
    wait_for("5 logged attempts", || sandbox.webhook_deliveries().len() == 5 && sandbox.webhooks_in_flight() == 0);
    let log = sandbox.webhook_deliveries();
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|d| d["ok"] == true && d["status"] == 200 && d["attempt"] == 1), "{log:?}");
}

#[test]
fn the_trillet_scheme_and_event_filters() {
    let receiver = Receiver::start(vec![]);
    let sandbox = sandbox_with(vec![], &[10]);
    let mut endpoint = WebhookEndpoint::new(&receiver.url, "whsec_plain_secret", Scheme::Trillet);
    endpoint.events = vec!["sms.sent".into(), "sms.delivered".into()];
    sandbox.add_webhook(endpoint).unwrap();
    let client = sandbox.client_builder().build().unwrap();
    let omni = client.call("omni_flow_agents.create", json!({"body": {"name": "SMS"}})).unwrap();
    let omni_id = match omni["_id"].as_str() {
        Some(id) => id.to_string(),
        None => client.call("omni_flow_agents.list", json!({})).unwrap()[0]["_id"].as_str().unwrap().to_string(),
    };
    let flow = client
        .call(
            "message_flows.create",
            json!({"body": {"name": "M", "agent": omni_id, "messageChannel": "SMS", "initiationMessage": "Hi {{name}}", "direction": "outbound", "prompt": "Be brief"}}),
        )
        .unwrap();
    client
        .call(
            "conversations.generate_message",
            json!({"body": {"flowId": flow["_id"], "to": "+14155550100", "autopilot": true,
                            "metadata": {"customerDetails": {"name": "Ada"}}}}),
        )
        .unwrap();
    wait_for("2 deliveries", || receiver.received().len() >= 2);
    let got = receiver.received();
    let mut names: Vec<String> = events(&receiver);
    names.sort();
    assert_eq!(names, ["sms.delivered", "sms.sent"], "agent/flow events filtered out");
    for d in &got {
        assert!(d.header("webhook-signature").is_none());
        let sig = d.header("X-Trillet-Signature").unwrap();
        trillet::webhooks::verify("whsec_plain_secret", &d.body, sig).unwrap();
        assert_eq!(d.event()["data"]["message"], "Hi Ada");
    }
    // The filtered events were never queued: two messages, both delivered.
    wait_for("nothing in flight", || sandbox.webhooks_in_flight() == 0);
    assert_eq!(sandbox.webhook_deliveries().len(), 2);
}

#[test]
fn failures_are_retried_on_the_schedule_with_the_same_message_id() {
    let receiver = Receiver::start(vec![Step::Answer(500), Step::Answer(503), Step::Answer(204)]);
    let sandbox = sandbox_with(vec![WebhookEndpoint::new(&receiver.url, SECRET, Scheme::Standard)], &[5, 5, 5]);
    let client = sandbox.client_builder().build().unwrap();
    client.call("agents.create", agent_body("Retry")).unwrap();
    wait_for("a successful attempt", || sandbox.webhook_deliveries().iter().any(|d| d["ok"] == true));
    let log = sandbox.webhook_deliveries();
    let summary: Vec<(u64, u64, bool)> =
        log.iter().map(|d| (d["attempt"].as_u64().unwrap(), d["status"].as_u64().unwrap(), d["ok"] == true)).collect();
    assert_eq!(summary, [(1, 500, false), (2, 503, false), (3, 204, true)]);
    assert_eq!(log[0]["next_retry_ms"], 5);
    assert_eq!(log[2]["next_retry_ms"], Value::Null);
    assert!(log.iter().all(|d| d["event"] == "agent.created" && d["url"] == receiver.url.as_str()));
    let got = receiver.received();
    assert_eq!(got.len(), 3);
    let ids: Vec<&str> = got.iter().map(|d| d.header("webhook-id").unwrap()).collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    for d in &got {
        Verifier::new([SECRET]).verify(&d.headers, &d.body).unwrap();
    }
}

#[test]
fn the_last_attempt_gives_up_and_refused_connections_are_logged() {
    // A port nobody listens on: every attempt fails to connect.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks", closed.local_addr().unwrap());
    drop(closed);
    let sandbox = sandbox_with(vec![WebhookEndpoint::new(&url, SECRET, Scheme::Standard)], &[1, 1]);
    let client = sandbox.client_builder().build().unwrap();
    client.call("agents.create", agent_body("Nobody")).unwrap();
    wait_for("the delivery to end", || sandbox.webhook_deliveries().len() == 3 && sandbox.webhooks_in_flight() == 0);
    let log = sandbox.webhook_deliveries();
    assert!(log.iter().all(|d| d["ok"] == false && d["status"].is_null()), "{log:?}");
    assert!(log[0]["error"].as_str().unwrap().starts_with("connect"), "{log:?}");
    assert_eq!(log[2]["next_retry_ms"], Value::Null);
}

#[test]
fn a_timeout_is_retried_and_a_slow_receiver_never_blocks_the_api_request() {
    let (release, held) = mpsc::channel::<()>();
    let receiver = Receiver::start(vec![Step::Hold(Arc::new(Mutex::new(held)))]);
    let sandbox = sandbox_with(vec![WebhookEndpoint::new(&receiver.url, SECRET, Scheme::Standard)], &[5]);
    sandbox.set_webhook_delivery(vec![Duration::from_millis(5)], Duration::from_millis(300));
    let client = sandbox.client_builder().build().unwrap();
    client.call("agents.create", agent_body("Slow")).unwrap();
    wait_for("the retry to succeed", || sandbox.webhook_deliveries().iter().any(|d| d["ok"] == true));
    drop(release);
    let log = sandbox.webhook_deliveries();
    assert_eq!(log[0]["error"], "timeout", "{log:?}");
    assert_eq!((log[1]["attempt"].as_u64(), log[1]["status"].as_u64()), (Some(2), Some(200)));
}

#[test]
fn a_receiver_that_never_answers_does_not_hold_up_api_requests() {
    let (release, held) = mpsc::channel::<()>();
    let receiver = Receiver::start(vec![Step::Hold(Arc::new(Mutex::new(held)))]);
    let sandbox = sandbox_with(vec![WebhookEndpoint::new(&receiver.url, SECRET, Scheme::Standard)], &[]);
    sandbox.set_webhook_delivery(vec![], Duration::from_secs(120));
    let client = sandbox.client_builder().build().unwrap();
    client.call("agents.create", agent_body("A")).unwrap();
    wait_for("the delivery to reach the receiver", || !receiver.received().is_empty());
    // The receiver holds that delivery; more API requests (and their deliveries) go through.
    for i in 0..3 {
        client.call("agents.create", agent_body(format!("B{i}"))).unwrap();
    }
    wait_for("the later deliveries", || sandbox.webhook_deliveries().len() == 3);
    assert!(sandbox.webhook_deliveries().iter().all(|d| d["ok"] == true));
    wait_for("only the held delivery in flight", || sandbox.webhooks_in_flight() == 1);
    drop(release);
    wait_for("the held delivery", || sandbox.webhooks_in_flight() == 0);
}

#[test]
fn control_endpoints_add_list_remove_and_show_deliveries() {
    let receiver = Receiver::start(vec![]);
    let sandbox = sandbox_with(vec![], &[10]);
    let url = sandbox.url();
    let body = json!({"url": receiver.url, "secret": SECRET, "scheme": "standard", "events": ["agent.created"],
                      "retry_schedule_ms": [1, 2], "timeout_ms": 1000})
    .to_string();
    let r = raw(url, "POST", "/__sandbox/webhooks", &[], Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    let added = r.json();
    let id = added["endpoint"]["id"].as_str().unwrap().to_string();
    assert_eq!(added["settings"], json!({"retry_schedule_ms": [1, 2], "timeout_ms": 1000}));
    // No scheme: the documented one, trillet.
    let second = json!({"url": receiver.url, "secret": "k"}).to_string();
    assert_eq!(raw(url, "POST", "/__sandbox/webhooks", &[], Some(&second)).status, 200);
    let listed = raw(url, "GET", "/__sandbox/webhooks", &[], None).json();
    assert_eq!(listed["endpoints"].as_array().unwrap().len(), 2);
    assert!(!listed.to_string().contains(SECRET), "secrets are never listed");
    assert_eq!(listed["endpoints"][0]["events"], json!(["agent.created"]));

    for (bad, why) in [
        (json!({"url": "https://example.com/", "secret": "k"}), "https"),
        (json!({"url": receiver.url, "secret": "whsec_%%%", "scheme": "standard"}), "secret"),
        (json!({"url": receiver.url}), "secret"),
        (json!({"url": receiver.url, "secret": "k", "scheme": "svix"}), "scheme"),
        (json!({"retry_schedule_ms": "soon"}), "retry"),
    ] {
        let r = raw(url, "POST", "/__sandbox/webhooks", &[], Some(&bad.to_string()));
        assert_eq!((r.status, r.json()["error"]["code"].as_str()), (400, Some("invalid_webhook")), "{why}");
    }

    sandbox.client_builder().build().unwrap().call("agents.create", agent_body("C")).unwrap();
    wait_for("2 deliveries", || sandbox.webhook_deliveries().len() == 2);
    let deliveries = raw(url, "GET", "/__sandbox/webhooks/deliveries", &[], None).json();
    let mut schemes: Vec<&str> = deliveries.as_array().unwrap().iter().map(|d| d["scheme"].as_str().unwrap()).collect();
    schemes.sort();
    assert_eq!(schemes, ["standard", "trillet"]);
    assert_eq!(deliveries[0]["payload"]["event"], "agent.created");
    assert!(deliveries[0]["time"].as_str().unwrap().ends_with('Z'));

    let r = raw(url, "DELETE", &format!("/__sandbox/webhooks?id={id}"), &[], None);
    assert_eq!(r.json(), json!({"removed": 1}));
    assert_eq!(raw(url, "DELETE", "/__sandbox/webhooks", &[], None).json(), json!({"removed": 1}));
    assert_eq!(raw(url, "GET", "/__sandbox/webhooks", &[], None).json()["endpoints"], json!([]));
    assert_eq!(raw(url, "DELETE", "/__sandbox/webhooks/deliveries", &[], None).json(), json!({"cleared": 2}));
}

#[test]
fn reset_restores_the_startup_endpoints_and_clears_the_log() {
    let receiver = Receiver::start(vec![]);
    let sandbox = sandbox_with(vec![WebhookEndpoint::new(&receiver.url, SECRET, Scheme::Standard)], &[10]);
    sandbox.add_webhook(WebhookEndpoint::new(&receiver.url, "k", Scheme::Trillet)).unwrap();
    sandbox.client_builder().build().unwrap().call("agents.create", agent_body("R")).unwrap();
    wait_for("2 deliveries", || sandbox.webhook_deliveries().len() == 2);
    sandbox.reset();
    assert!(sandbox.webhook_deliveries().is_empty());
    let listed = raw(sandbox.url(), "GET", "/__sandbox/webhooks", &[], None).json();
    assert_eq!(listed["endpoints"].as_array().unwrap().len(), 1);
    assert_eq!(listed["endpoints"][0]["scheme"], "standard");
}

#[test]
fn bad_startup_endpoints_are_refused() {
    for endpoint in [
        WebhookEndpoint::new("ftp://x/", "k", Scheme::Trillet),
        WebhookEndpoint::new("http://127.0.0.1:1/", "", Scheme::Trillet),
        WebhookEndpoint::new("http://127.0.0.1:1/", "whsec_!!", Scheme::Standard),
    ] {
        let e = Sandbox::start(SandboxOptions { webhooks: vec![endpoint], ..SandboxOptions::default() }).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    }
}
