//! `bench limiter CALLS`: what the rate limiter adds to a call — none, the client's own log,
//! `file:` and `redis://` stores (a `redis-server` started here when one is installed) — with a
//! limit of 1,000 a minute and fewer calls than that per variant, so nothing waits and the log
//! holds what a busy key's would: the cost of taking a slot. Five interleaved rounds of CALLS
//! (at most 160) against the neutral server; one JSON line per variant with its best round's
//! µs per call and the difference to no limiter.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn client(url: &str, store: Option<&str>, limited: bool) -> trillet::Client {
    let mut b =
        trillet::Client::builder().ignore_env().base_url(url).api_key(super::KEY).workspace_id(super::WORKSPACE);
    if limited {
        b = b.rate_limit_per_minute(1_000);
    }
    if let Some(store) = store {
        b = b.rate_limit_store(store).rate_limit_store_required(true);
    }
    b.build().expect("bench client")
}

struct Redis(Child);

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_redis() -> Option<(Redis, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let redis = Redis(child);
    let until = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((redis, format!("redis://127.0.0.1:{port}/0")))
}

pub fn run(calls: usize) {
    let calls = calls.min(160);
    let server = super::Server::start(Duration::ZERO);
    let path = std::env::temp_dir().join(format!("trillet-bench-limit-{}", std::process::id()));
    let file = format!("file:{}", path.display());
    let redis = start_redis();
    let mut variants: Vec<(&str, trillet::Client)> = vec![
        ("no limiter", client(&server.url, None, false)),
        ("in-process log", client(&server.url, None, true)),
        ("file: store", client(&server.url, Some(&file), true)),
    ];
    if let Some((_, url)) = &redis {
        variants.push(("redis:// store", client(&server.url, Some(url), true)));
    }
    let req = super::request_json();
    let mut best = vec![f64::MAX; variants.len()];
    for round in 0..5 {
        let order: Vec<usize> =
            if round % 2 == 0 { (0..variants.len()).collect() } else { (0..variants.len()).rev().collect() };
        for i in order {
            let c = &variants[i].1;
            for _ in 0..10 {
                c.call_json("agents.get", &req).expect("call");
            }
            let started = Instant::now();
            for _ in 0..calls {
                c.call_json("agents.get", &req).expect("call");
            }
            best[i] = best[i].min(started.elapsed().as_secs_f64() * 1e6 / calls as f64);
        }
    }
    for (i, (name, _)) in variants.iter().enumerate() {
        println!(r#"{{"limiter":"{name}","us_per_call":{:.1},"added_us":{:.1}}}"#, best[i], best[i] - best[0]);
    }
    if redis.is_none() {
        println!(r#"{{"limiter":"redis:// store","skipped":"redis-server is not installed"}}"#);
    }
    let _ = std::fs::remove_file(&path);
}
