//! The pipeline's waits on a fake clock (`test-hooks`): backoff, `Retry-After` (seconds, dates,
//! the 60 s cap), `reset_at`, the deadline and the client-side rate limit, asserted as the waits
//! the client chose and the requests the server counted — no test here races the wall clock.
#![cfg(feature = "test-hooks")]

mod common;

use common::{builder, refused_url};
use mockito::Server;
use serde_json::json;
use std::time::{Duration, SystemTime};
use trillet::{CancelToken, FakeClock, Request};

fn op(id: &str) -> &'static trillet::Operation {
    trillet::OPERATIONS.iter().find(|o| o.id == id).unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Returns once the pipeline has begun a wait on `clock` (an event, not a time: the bound is
/// only there to fail rather than hang when no wait ever begins).
fn wait_for_a_wait(clock: &FakeClock) {
    let give_up = std::time::Instant::now() + Duration::from_secs(60);
    while clock.waits().is_empty() {
        assert!(std::time::Instant::now() < give_up, "the call never began a wait");
        std::thread::sleep(ms(1));
    }
}

/// Each wait is a jittered backoff step: retry `n` waits within [50 %, 100 %) of 0.5 s · 2ⁿ.
fn assert_backoff(waits: &[Duration], retries: usize) {
    assert_eq!(waits.len(), retries, "{waits:?}");
    for (n, wait) in waits.iter().enumerate() {
        let step = ms(500) * (1 << n);
        assert!(*wait >= step / 2 && *wait < step, "retry {n} waited {wait:?}, not within [{:?}, {step:?})", step / 2);
    }
}

/// Civil date of `t` (Howard Hinnant's algorithm): (year, month, day, seconds of the day, weekday 0 = Sunday).
fn civil(t: SystemTime) -> (i64, i64, i64, i64, i64, i64) {
    let ms = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() as i64;
    let (secs, milli) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem, milli, (days + 4).rem_euclid(7))
}

/// `t` as the API writes `reset_at` (UTC, milliseconds).
fn iso8601(t: SystemTime) -> String {
    let (y, m, d, rem, milli, _) = civil(t);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// `t` as an HTTP date (IMF-fixdate).
fn http_date(t: SystemTime) -> String {
    let (y, m, d, rem, _, wd) = civil(t);
    let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][wd as usize];
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m as usize - 1];
    format!("{day}, {d:02} {month} {y} {:02}:{:02}:{:02} GMT", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[test]
fn a_get_is_retried_on_503_after_jittered_doubling_backoff() {
    let mut server = Server::new();
    let failing = server.mock("GET", "/v1/api/agents").with_status(503).expect(2).create();
    let ok = server.mock("GET", "/v1/api/agents").with_body(r#"[{"_id":"a"}]"#).expect(1).create();
    let clock = FakeClock::new();
    let c = builder(&server.url()).max_retries(2).clock(&clock).build().unwrap();
    assert_eq!(c.call("agents.list", json!({})).unwrap(), json!([{"_id": "a"}]));
    failing.assert();
    ok.assert();
    assert_backoff(&clock.waits(), 2);
}

#[test]
fn a_refused_port_is_a_connect_error_after_backoff_for_a_post_too() {
    let clock = FakeClock::new();
    let c = builder(&refused_url()).max_retries(3).clock(&clock).build().unwrap();
    let e = c.call("agents.list", json!({})).unwrap_err();
    assert_eq!((e.kind(), e.code()), ("connect", "connection_failed"), "{e:?}");
    assert_backoff(&clock.waits(), 3);
    // A POST is retried too: the request was never sent.
    let clock = FakeClock::new();
    let c = builder(&refused_url()).max_retries(2).clock(&clock).build().unwrap();
    let body = json!({"to": "+14155550100", "call_agent_id": "a"});
    let (result, meta) = c.execute_with_meta(op("calls.initiate"), &Request::new().json(&body));
    assert_eq!(result.unwrap_err().kind(), "connect");
    assert_eq!(meta.attempts, 3);
    assert_backoff(&clock.waits(), 2);
}

#[test]
fn backoff_never_waits_past_the_deadline() {
    let mut server = Server::new();
    // 0.25–0.5 s, then 0.5–1 s, then 1–2 s: within a 1.2 s deadline at most two waits fit, and
    // the one that would not fit is not begun.
    let m = server.mock("GET", "/v1/api/agents").with_status(503).expect_at_least(2).create();
    let clock = FakeClock::new();
    let c = builder(&server.url()).max_retries(10).timeout(ms(1200)).clock(&clock).build().unwrap();
    let (result, meta) = c.execute_with_meta(op("agents.list"), &Request::new());
    assert_eq!(result.unwrap_err().status(), Some(503), "the server's answer, not a made-up timeout");
    let waits = clock.waits();
    assert!((1..=2).contains(&waits.len()), "{waits:?}");
    assert_eq!(meta.attempts as usize, waits.len() + 1);
    assert!(waits.iter().sum::<Duration>() < ms(1200), "{waits:?}");
    m.assert();
}

#[test]
fn a_429_waits_for_retry_after_even_for_a_post() {
    let mut server = Server::new();
    let limited = server
        .mock("POST", "/v1/api/call")
        .with_status(429)
        .with_header("retry-after", "7")
        .with_body(r#"{"error":{"code":"rate_limit_exceeded","message":"slow down"}}"#)
        .expect(1)
        .create();
    let ok = server.mock("POST", "/v1/api/call").with_body(r#"{"status":"queued","call_id":"c1"}"#).expect(1).create();
    let clock = FakeClock::new();
    let c = builder(&server.url()).max_retries(1).clock(&clock).build().unwrap();
    let out = c.call("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": "a"}})).unwrap();
    assert_eq!(out["call_id"], "c1");
    assert_eq!(clock.waits(), vec![Duration::from_secs(7)], "the server's wait, not a backoff step");
    limited.assert();
    ok.assert();
}

#[test]
fn a_retry_after_date_is_read_against_the_clock() {
    let mut server = Server::new();
    let clock = FakeClock::new();
    let at = http_date(clock.system_time() + Duration::from_secs(9));
    let limited =
        server.mock("GET", "/v1/api/agents").with_status(503).with_header("retry-after", &at).expect(1).create();
    let ok = server.mock("GET", "/v1/api/agents").with_body("[]").expect(1).create();
    let c = builder(&server.url()).max_retries(1).clock(&clock).build().unwrap();
    c.call("agents.list", json!({})).unwrap();
    assert_eq!(clock.waits(), vec![Duration::from_secs(9)], "{at}");
    limited.assert();
    ok.assert();
}

#[test]
fn a_retry_after_longer_than_a_minute_is_waited_for_one_minute_at_most() {
    let mut server = Server::new();
    let m = server.mock("GET", "/v1/api/agents").with_status(503).with_header("retry-after", "120").expect(2).create();
    // A deadline with room for the capped wait (60 s) but not for the asked one (120 s).
    let clock = FakeClock::new();
    let c = builder(&server.url()).max_retries(1).timeout(Duration::from_secs(90)).clock(&clock).build().unwrap();
    let e = c.call("agents.list", json!({})).unwrap_err();
    assert_eq!((e.status(), e.retry_after()), (Some(503), Some(Duration::from_secs(120))));
    assert_eq!(clock.waits(), vec![Duration::from_secs(60)]);
    m.assert();
    // One whose capped wait does not fit the deadline is not waited for at all.
    let mut server = Server::new();
    let m = server.mock("GET", "/v1/api/agents").with_status(429).with_header("retry-after", "120").expect(1).create();
    let clock = FakeClock::new();
    let c = builder(&server.url()).max_retries(2).timeout(Duration::from_secs(30)).clock(&clock).build().unwrap();
    let e = c.call("agents.list", json!({})).unwrap_err();
    assert_eq!((e.status(), e.retry_after()), (Some(429), Some(Duration::from_secs(120))));
    assert_eq!(clock.waits(), vec![]);
    m.assert();
}

#[test]
fn a_429_without_retry_after_waits_until_the_bodys_reset_at() {
    let mut server = Server::new();
    let clock = FakeClock::new();
    let reset_at = iso8601(clock.system_time() + ms(2500));
    let limited = server
        .mock("POST", "/v1/api/call")
        .with_status(429)
        .with_body(format!(r#"{{"error":{{"code":"rate_limit_exceeded","message":"slow","reset_at":"{reset_at}"}}}}"#))
        .expect(1)
        .create();
    let ok = server.mock("POST", "/v1/api/call").with_body(r#"{"call_id":"c1"}"#).expect(1).create();
    let c = builder(&server.url()).max_retries(1).clock(&clock).build().unwrap();
    c.call("calls.initiate", json!({"body": {"to": "+14155550100", "call_agent_id": "a"}})).unwrap();
    // The wait runs to reset_at, not the 0.25–0.5 s backoff.
    assert_eq!(clock.waits(), vec![ms(2500)], "{reset_at}");
    limited.assert();
    ok.assert();
}

#[test]
fn a_cancel_ends_a_retry_wait_and_nothing_more_is_sent() {
    let mut server = Server::new();
    let m = server.mock("GET", "/v1/api/agents").with_status(503).with_header("retry-after", "30").expect(1).create();
    // A manual clock never moves by itself: only the cancel can end the wait.
    let clock = FakeClock::manual();
    let c = builder(&server.url()).max_retries(1).clock(&clock).build().unwrap();
    let token = CancelToken::new();
    let call = {
        let (c, token) = (c.clone(), token.clone());
        std::thread::spawn(move || c.call_with("agents.list", json!({}), &token))
    };
    wait_for_a_wait(&clock);
    token.cancel();
    let e = call.join().unwrap().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("cancelled", "maybe_sent"), "{e:?}");
    assert!(e.message().contains("while waiting 30s to retry"), "{}", e.message());
    assert_eq!(clock.waits(), vec![Duration::from_secs(30)]);
    m.assert();
}

#[test]
fn the_client_side_rate_limit_is_shared_by_threads_and_clones_and_the_next_call_waits_out_the_minute() {
    let mut server = Server::new();
    let m = server.mock("GET", "/v1/api/agents").with_body("[]").expect(61).create();
    let clock = FakeClock::new();
    let c = builder(&server.url()).rate_limit_per_minute(60).clock(&clock).build().unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let c = c.clone();
            s.spawn(move || {
                for _ in 0..15 {
                    c.call("agents.list", json!({})).unwrap();
                }
            });
        }
    });
    assert_eq!(clock.waits(), vec![], "none of the first 60 waited");
    // The 61st, from yet another clone, waits until the first leaves the counted window (61 s).
    c.clone().call("agents.list", json!({})).unwrap();
    assert_eq!(clock.waits(), vec![Duration::from_secs(61)]);
    m.assert();
}

#[test]
fn a_call_waiting_for_a_rate_limit_slot_is_cancelled_before_anything_is_sent() {
    let mut server = Server::new();
    let m = server.mock("GET", "/v1/api/agents").with_body("[]").expect(2).create();
    let clock = FakeClock::manual();
    let c = builder(&server.url()).rate_limit_per_minute(2).clock(&clock).build().unwrap();
    c.call("agents.list", json!({})).unwrap();
    c.clone().call("agents.list", json!({})).unwrap();
    let token = CancelToken::new();
    let waiting = {
        let (c, token) = (c.clone(), token.clone());
        std::thread::spawn(move || c.call_with("agents.list", json!({}), &token))
    };
    wait_for_a_wait(&clock);
    token.cancel();
    let e = waiting.join().unwrap().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("cancelled", "not_sent"));
    m.assert();
}

#[test]
fn a_429_holds_every_later_call_of_the_client_until_its_wait_has_passed() {
    let mut server = Server::new();
    let limited =
        server.mock("GET", "/v1/api/agents").with_status(429).with_header("retry-after", "5").expect(1).create();
    let ok = server.mock("GET", "/v1/api/agents").with_body("[]").expect(1).create();
    let clock = FakeClock::new();
    let c = builder(&server.url()).rate_limit_per_minute(100).max_retries(0).clock(&clock).build().unwrap();
    assert_eq!(c.call("agents.list", json!({})).unwrap_err().status(), Some(429));
    assert_eq!(clock.waits(), vec![], "not retried: max_retries is 0");
    c.clone().call("agents.list", json!({})).unwrap();
    assert_eq!(clock.waits(), vec![Duration::from_secs(5)], "the next call, from a clone, waited the 429 out");
    limited.assert();
    ok.assert();
}

#[test]
fn a_retry_that_cannot_get_a_rate_limit_slot_in_time_returns_the_last_error() {
    let mut server = Server::new();
    let m = server.mock("GET", "/v1/api/agents").with_status(503).expect(1).create();
    // One request a minute: the retry would need a slot ~61 s away, past the 2 s deadline.
    let clock = FakeClock::new();
    let c = builder(&server.url())
        .rate_limit_per_minute(1)
        .max_retries(2)
        .timeout(Duration::from_secs(2))
        .clock(&clock)
        .build()
        .unwrap();
    let e = c.call("agents.list", json!({})).unwrap_err();
    assert_eq!(e.status(), Some(503), "the server's answer, not a made-up timeout");
    // The backoff was waited; the slot, past the deadline, was not.
    assert_backoff(&clock.waits(), 1);
    m.assert();
}

#[test]
fn a_timed_out_attempt_is_not_retried_even_with_time_left_on_the_deadline() {
    // On the fake clock the pipeline's deadline does not move while the socket waits, so when the
    // attempt times out (the real socket deadline, 1 s) the call still has a whole second of room:
    // a retry after a 0.25–0.5 s backoff would fit and be seen by the server. With the real clock
    // the two deadlines coincide, and no test could tell.
    let server = common::RawServer::start(common::RawBehaviour::Hang);
    let clock = FakeClock::new();
    let c = builder(&server.url).max_retries(2).timeout(Duration::from_secs(1)).clock(&clock).build().unwrap();
    let (result, meta) = c.execute_with_meta(op("agents.list"), &Request::new());
    let e = result.unwrap_err();
    assert_eq!((e.kind(), e.code()), ("timeout", "timeout"), "{e:?}");
    assert_eq!((meta.attempts, server.count()), (1, 1), "a timeout is not retried");
    assert_eq!(clock.waits(), vec![], "no backoff was begun");
}
