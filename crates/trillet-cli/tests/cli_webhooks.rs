//! `trillet webhooks trigger|verify` and `trillet sandbox --webhook-*`: what a receiver gets on
//! the wire, what verify accepts and refuses (exit code and failure code).

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use trillet::webhooks::{self, Scheme, Verifier};

mod support;
use support::{trillet, KillOnDrop};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

type Delivery = (Vec<(String, String)>, Vec<u8>);

/// A receiver answering `status` to every request; each request's headers and body arrive on
/// the channel.
fn receiver(status: u16) -> (String, mpsc::Receiver<Delivery>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tx = tx.clone();
            std::thread::spawn(move || read_one(stream, status, &tx));
        }
    });
    (url, rx)
}

fn read_one(stream: TcpStream, status: u16, tx: &mpsc::Sender<Delivery>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        if h.trim().is_empty() {
            break;
        }
        let (k, v) = h.split_once(':').unwrap();
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length")).unwrap().1.parse().unwrap();
    let mut body = vec![0; len];
    reader.read_exact(&mut body).unwrap();
    let mut stream = stream;
    let _ = write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = tx.send((headers, body));
}

fn verify_cli(secrets: &[&str], headers: &[(String, String)], body: &[u8], extra: &[&str]) -> Output {
    let mut c = trillet();
    c.args(["webhooks", "verify"]);
    for s in secrets {
        c.args(["--secret", s]);
    }
    for (k, v) in headers {
        c.args(["--header", &format!("{k}: {v}")]);
    }
    c.args(extra).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child.stdin.take().unwrap().write_all(body).unwrap();
    child.wait_with_output().unwrap()
}

fn error_code(o: &Output) -> String {
    let v: Value =
        serde_json::from_slice(&o.stderr).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    v["error"]["code"].as_str().unwrap().to_string()
}

#[test]
fn trigger_sends_a_signed_sample_that_verify_accepts() {
    let (url, rx) = receiver(200);
    let o = trillet()
        .args(["webhooks", "trigger", "call.completed", "--url", &url, "--secret", SECRET, "--scheme", "standard"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((report["status"].as_u64(), report["scheme"].as_str()), (Some(200), Some("standard")));
    let (headers, body) = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let event = Verifier::new([SECRET]).construct_event(&headers, &body).unwrap();
    assert_eq!(event.event, webhooks::EventType::CallCompleted);
    assert_eq!(event.data["duration"], 125);
    assert_eq!(report["payload"], serde_json::from_slice::<Value>(&body).unwrap());

    // verify: the captured delivery passes, with the secret among others (rotation).
    let o = verify_cli(&["whsec_b2xkIHNlY3JldA==", SECRET], &headers, &body, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (out["ok"].as_bool(), out["scheme"].as_str(), out["event"].as_str()),
        (Some(true), Some("standard"), Some("call.completed"))
    );
    // A changed body, a wrong secret, missing headers, a stale delivery: exit 5 and the check's code.
    let mut changed = body.clone();
    changed.insert(1, b' ');
    let o = verify_cli(&[SECRET], &headers, &changed, &[]);
    assert_eq!((o.status.code(), error_code(&o).as_str()), (Some(5), "bad_signature"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("raw request bytes"));
    let o = verify_cli(&["whsec_b2xkIHNlY3JldA=="], &headers, &body, &[]);
    assert_eq!((o.status.code(), error_code(&o).as_str()), (Some(5), "bad_signature"));
    let o = verify_cli(&[SECRET], &headers[..0], &body, &[]);
    assert_eq!((o.status.code(), error_code(&o).as_str()), (Some(5), "missing_signature"));
    let o = verify_cli(&[SECRET], &headers, &body, &["--scheme", "trillet"]);
    assert_eq!((o.status.code(), error_code(&o).as_str()), (Some(5), "missing_signature"));
    let stale = webhooks::sign_headers(Scheme::Standard, SECRET, &body, "msg_1", webhooks::now_unix() - 1000).unwrap();
    let o = verify_cli(&[SECRET], &stale, &body, &[]);
    assert_eq!((o.status.code(), error_code(&o).as_str()), (Some(5), "timestamp_too_old"));
    let o = verify_cli(&[SECRET], &stale, &body, &["--tolerance", "3600"]);
    assert_eq!(o.status.code(), Some(0));
    let o = verify_cli(&[SECRET], &[("nonsense".into(), String::new())], &body, &["--header", "no colon"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn trigger_in_the_trillet_scheme_with_custom_data() {
    let (url, rx) = receiver(200);
    // The documented scheme is the default.
    let o = trillet()
        .args(["webhooks", "trigger", "agent.created", "--url", &url, "--secret", "whsec_x"])
        .args(["--data", r#"{"agentId":"a1","name":"Mine"}"#])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let (headers, body) = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({"event": "agent.created", "data": {"agentId": "a1", "name": "Mine"}})
    );
    let sig = &headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("x-trillet-signature")).unwrap().1;
    assert_eq!(sig, &webhooks::sign("whsec_x", &body));
    let o = verify_cli(&["whsec_x"], &headers, &body, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn trigger_reports_a_refusing_or_missing_receiver() {
    let (url, _rx) = receiver(500);
    let o = trillet()
        .args(["webhooks", "trigger", "sms.sent", "--url", &url, "--secret", "k", "--scheme", "trillet"])
        .output()
        .unwrap();
    assert_eq!((o.status.code(), error_code(&o).as_str()), (Some(5), "webhook_not_accepted"));
    assert!(o.stdout.is_empty());
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let o = trillet().args(["webhooks", "trigger", "sms.sent", "--url", &gone, "--secret", SECRET]).output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    let o = trillet().args(["webhooks", "trigger", "call.exploded", "--url", &gone, "--secret", "k"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = trillet()
        .args(["webhooks", "trigger", "sms.sent", "--url", &gone, "--secret", "whsec_!!", "--scheme", "standard"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "a standard secret must be base64");
}

#[test]
fn the_sandbox_command_delivers_to_its_webhook_url() {
    let (url, rx) = receiver(200);
    let mut child = KillOnDrop::new(
        trillet()
            .args(["sandbox", "--webhook-url", &url, "--webhook-secret", "whsec_cli", "--webhook-scheme", "trillet"])
            .args(["--webhook-retry-ms", "10,10"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.child().stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().to_string();
    let client = trillet::Client::builder()
        .ignore_env()
        .base_url(&base)
        .api_key(trillet_sandbox::DEFAULT_API_KEY)
        .workspace_id(trillet_sandbox::DEFAULT_WORKSPACE_ID)
        .build()
        .unwrap();
    client
        .call(
            "agents.create",
            json!({"body": {"ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"}, "name": "From the CLI"}}),
        )
        .unwrap();
    let got = rx.recv_timeout(Duration::from_secs(30));
    let settings = client.request("GET", "/__sandbox/webhooks", &trillet::Request::new()).map(|r| r.json().unwrap());
    drop(child); // killed and reaped
    let (headers, body) = got.unwrap();
    let sig = &headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("x-trillet-signature")).unwrap().1;
    webhooks::verify("whsec_cli", &body, sig).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["data"]["name"], "From the CLI");
    let settings: Value = settings.unwrap();
    assert_eq!(settings["settings"]["retry_schedule_ms"], json!([10, 10]));
    assert_eq!(settings["endpoints"][0]["scheme"], "trillet");
}
