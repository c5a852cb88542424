//! Overhead of the trillet pipeline against raw ureq, side by side in one process, on the same
//! loopback mock server. Reports ratios (trillet time / baseline time), never a bare time.
//!
//! Two baselines: raw ureq with its defaults (no timeouts at all), and raw ureq with the same
//! timeouts trillet always sets (ureq arms socket timers per read when a deadline is set, which
//! is most of the difference between the two).
//!
//! Run: `cargo bench --bench pipeline` (set `BENCH_REQUESTS` to change the count).

use std::time::{Duration, Instant};

const BODY: &str = r#"[{"_id":"665a1b2c3d4e5f6a7b8c9d0e","name":"Customer Support Agent","status":"ready"}]"#;

fn raw_get(agent: &ureq::Agent, url: &str) {
    let mut resp = agent
        .get(url)
        .header("x-api-key", "sk_bench")
        .header("x-workspace-id", "64a1b2c3d4e5f6a7b8c9d0e1")
        .header("accept", "application/json")
        .call()
        .unwrap();
    assert_eq!(resp.body_mut().read_to_string().unwrap(), BODY);
}

/// A named way of sending the request.
type Runner<'a> = (&'static str, Box<dyn Fn() + 'a>);

fn main() {
    let n: usize = std::env::var("BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let mut server = mockito::Server::new();
    let _m = server.mock("GET", "/v1/api/agents").with_body(BODY).expect_at_least(1).create();
    let url = server.url();
    let raw_url = format!("{url}/v1/api/agents");

    let client = trillet::Client::builder()
        .ignore_env()
        .base_url(&url)
        .api_key("sk_bench")
        .workspace_id("64a1b2c3d4e5f6a7b8c9d0e1")
        .build()
        .unwrap();
    let plain: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let timed: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();

    let mut runners: Vec<Runner<'_>> = vec![
        ("trillet", Box::new(|| assert_eq!(client.call_json("agents.list", "{}").unwrap(), BODY))),
        ("raw ureq, defaults", Box::new(|| raw_get(&plain, &raw_url))),
        ("raw ureq, same timeouts", Box::new(|| raw_get(&timed, &raw_url))),
    ];
    let mut totals = vec![Duration::ZERO; runners.len()];
    // Warm every pool, then interleave rounds so drift and load hit each runner alike.
    for (_, run) in &runners {
        for _ in 0..50 {
            run();
        }
    }
    for _ in 0..10 {
        for (i, (_, run)) in runners.iter_mut().enumerate() {
            let started = Instant::now();
            for _ in 0..n / 10 {
                run();
            }
            totals[i] += started.elapsed();
        }
    }
    println!("{n} GET requests each, loopback mock server");
    for (i, (name, _)) in runners.iter().enumerate().skip(1) {
        println!("trillet / {name}: {:.2}x", totals[0].as_secs_f64() / totals[i].as_secs_f64());
    }
}
