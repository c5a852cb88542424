//! Request logs reach a Rust application's own logger through the `log` facade (target
//! `trillet`, level `debug`), one record per attempt, and never the key. Its own test binary:
//! the logger is process-global.

mod common;

use log::{Level, LevelFilter, Log, Metadata, Record};
use mockito::Server;
use serde_json::json;
use std::sync::Mutex;

/// Every record of every crate, as (target, level, message).
struct Capture(Mutex<Vec<(String, Level, String)>>);

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &Record<'_>) {
        let entry = (record.target().to_string(), record.level(), record.args().to_string());
        self.0.lock().unwrap().push(entry);
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn each_attempt_is_one_debug_record_of_target_trillet_without_the_key() {
    log::set_logger(&CAPTURE).unwrap();
    // Debug, the level the crate logs at. (At trace, ureq_proto dumps the raw bytes of each request
    // head, headers included, 16 bytes a record: the crate docs say to keep it below trace.)
    log::set_max_level(LevelFilter::Debug);
    let mut server = Server::new();
    let _fail = server.mock("GET", "/v1/api/agents/a1").with_status(503).expect(1).create();
    let _ok = server.mock("GET", "/v1/api/agents/a1").with_body("{}").expect(1).create();
    let c = common::builder(&server.url()).max_retries(1).build().unwrap();
    c.call("agents.get", json!({"path": {"agentId": "a1"}})).unwrap();

    // The test server (mockito) runs in this process and logs what it received: not ours.
    let records: Vec<(String, Level, String)> =
        CAPTURE.0.lock().unwrap().iter().filter(|(t, ..)| !t.starts_with("mockito")).cloned().collect();
    let ours: Vec<&(String, Level, String)> = records.iter().filter(|(t, ..)| t == "trillet").collect();
    assert_eq!(ours.len(), 2, "{records:#?}");
    assert!(ours.iter().all(|(_, level, _)| *level == Level::Debug));
    let (first, second) = (&ours[0].2, &ours[1].2);
    assert!(first.starts_with("GET /v1/api/agents/a1 (agents.get) -> 503 attempt=1 "), "{first}");
    assert!(second.starts_with("GET /v1/api/agents/a1 (agents.get) -> 200 attempt=2 "), "{second}");
    assert!(ours.iter().all(|(_, _, m)| m.ends_with("ms") && !m.starts_with("trillet: ")));
    // The line names the host the request was for.
    assert!(first.contains(" host=127.0.0.1:"), "{first}");
    // ureq's own debug records (the request and response heads) are in the same logger: they
    // redact every header not on their short list, x-api-key included.
    assert!(records.iter().any(|(t, ..)| t.starts_with("ureq")), "ureq logs through the same facade");
    assert!(records.iter().all(|(_, _, m)| !m.contains(common::KEY)), "the key leaked into a log record");
}
