//! The rate limit holds in any minute, and with `rate_limit_store` it is one limit for many
//! processes: real processes (this test binary run again as a worker), a real sandbox counting
//! requests per minute (`--rpm`), a real `redis-server` (started here; `scripts/install-deps`
//! installs it), a real `kill -9`.
//!
//! The minute is real: the scenarios that must wait for the next window run side by side in one
//! test, so the binary takes about a minute whatever their number.
#![cfg(all(feature = "redis-store", unix))]

use log::{Level, LevelFilter, Log, Metadata, Record};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use trillet::{Client, Error};
use trillet_sandbox::{Sandbox, SandboxOptions};

// ---------------------------------------------------------------------------------------------
// Workers: this binary, run again with TRILLET_LIMIT_WORKER set.

/// What a worker does, from the environment: `calls N` makes N `agents.list` calls (no retries)
/// and prints one line each, `ok <ms since epoch>` or `err <kind> <code> <ms>`; `hold PATH`
/// takes the flock on PATH, prints `locked` and sleeps.
#[test]
fn worker() {
    let Ok(mode) = std::env::var("TRILLET_LIMIT_WORKER") else { return };
    let mut words = mode.split_whitespace();
    match (words.next(), words.next()) {
        (Some("calls"), Some(n)) => {
            let var = |k: &str| std::env::var(k).unwrap();
            let mut b = Client::builder()
                .ignore_env()
                .base_url(var("W_URL"))
                .api_key(var("W_KEY"))
                .workspace_id(var("W_WS"))
                .max_retries(0)
                .timeout(Duration::from_secs(120))
                .rate_limit_per_minute(var("W_RPM").parse().unwrap());
            if let Ok(store) = std::env::var("W_STORE") {
                b = b.rate_limit_store(store);
            }
            let client = b.build().unwrap();
            let out = std::io::stdout();
            for _ in 0..n.parse::<usize>().unwrap() {
                let line = match client.call("agents.list", json!({})) {
                    Ok(_) => format!("ok {}", now_ms()),
                    Err(e) => format!("err {} {} {}", e.kind(), e.code(), now_ms()),
                };
                writeln!(out.lock(), "{line}").unwrap();
            }
        }
        (Some("hold"), Some(path)) => {
            use std::os::fd::AsRawFd;
            let file =
                std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).unwrap();
            // SAFETY: flock(2) on a descriptor we own.
            assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) }, 0);
            println!("locked");
            std::io::stdout().flush().unwrap();
            thread::sleep(Duration::from_secs(120));
        }
        other => panic!("unknown worker mode {other:?}"),
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

fn spawn_worker(mode: &str, env: &[(&str, String)]) -> Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "worker", "--nocapture", "--test-threads=1", "-q"])
        .env("TRILLET_LIMIT_WORKER", mode)
        .env_remove("TRILLET_RATE_LIMIT_STORE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

/// The outcome lines of a finished `calls` worker.
fn outcomes(child: Child) -> Vec<String> {
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "worker failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("ok ") || l.starts_with("err "))
        .map(str::to_string)
        .collect()
}

fn sandbox(rpm: u32) -> Sandbox {
    Sandbox::start(SandboxOptions { rate_limit_per_minute: Some(rpm), ..SandboxOptions::default() }).unwrap()
}

fn worker_env(sandbox: &Sandbox, rpm: u32, store: Option<String>) -> Vec<(&'static str, String)> {
    let mut env = vec![
        ("W_URL", sandbox.url().to_string()),
        ("W_KEY", sandbox.api_key().to_string()),
        ("W_WS", sandbox.workspace_id().to_string()),
        ("W_RPM", rpm.to_string()),
    ];
    if let Some(store) = store {
        env.push(("W_STORE", store));
    }
    env
}

/// `processes` workers of `calls` calls each; every outcome line of all of them.
fn run_workers(sandbox: &Sandbox, processes: usize, calls: usize, rpm: u32, store: Option<String>) -> Vec<String> {
    let env = worker_env(sandbox, rpm, store);
    let children: Vec<Child> = (0..processes).map(|_| spawn_worker(&format!("calls {calls}"), &env)).collect();
    children.into_iter().flat_map(outcomes).collect()
}

fn count_429(lines: &[String]) -> usize {
    lines.iter().filter(|l| l.starts_with("err api rate_limit_exceeded")).count()
}

fn temp_path(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("trillet-limit-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("limit");
    let _ = std::fs::remove_file(&path);
    path.display().to_string()
}

// ---------------------------------------------------------------------------------------------
// A real Redis.

struct Redis {
    port: u16,
    child: Option<Child>,
    /// `--requirepass`, when the server wants one.
    password: Option<&'static str>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Redis {
    fn start() -> Redis {
        Redis::launch(None)
    }

    fn start_with_password(password: &'static str) -> Redis {
        Redis::launch(Some(password))
    }

    fn launch(password: Option<&'static str>) -> Redis {
        let mut r = Redis { port: free_port(), child: None, password };
        r.restart();
        r
    }

    fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(self.password.map(|pw| ["--requirepass", pw]).into_iter().flatten())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (scripts/install-deps installs it)");
        self.child = Some(child);
        let until = Instant::now() + Duration::from_secs(20);
        while self.connection().is_none() {
            assert!(Instant::now() < until, "redis-server did not start");
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn url(&self) -> String {
        self.url_to(0)
    }

    /// The URL of database `db`, with the password when the server wants one.
    fn url_to(&self, db: u32) -> String {
        match self.password {
            Some(pw) => format!("redis://:{pw}@127.0.0.1:{}/{db}", self.port),
            None => format!("redis://127.0.0.1:{}/{db}", self.port),
        }
    }

    fn connection(&self) -> Option<redis::Connection> {
        self.connection_to(0)
    }

    fn connection_to(&self, db: u32) -> Option<redis::Connection> {
        let client = redis::Client::open(self.url_to(db)).ok()?;
        let mut c = client.get_connection_with_timeout(Duration::from_millis(500)).ok()?;
        redis::cmd("PING").query::<String>(&mut c).ok()?;
        Some(c)
    }

    /// The send times in the shared log(s) of every key.
    fn logged_sends(&self) -> usize {
        let mut c = self.connection().expect("redis is up");
        let keys: Vec<String> = redis::cmd("KEYS").arg("trillet:rate-limit:*:log").query(&mut c).unwrap();
        keys.iter().map(|k| redis::cmd("ZCARD").arg(k).query::<usize>(&mut c).unwrap()).sum()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// The minute.

/// What one limited scenario saw: every outcome and the send times of the ones that passed.
fn check_held(name: &str, lines: &[String], expected: usize, rpm: u32) {
    assert_eq!(lines.len(), expected, "{name}: {lines:?}");
    assert_eq!(count_429(lines), 0, "{name}: the sandbox refused some: {lines:?}");
    assert!(lines.iter().all(|l| l.starts_with("ok ")), "{name}: {lines:?}");
    let mut times: Vec<u64> = lines.iter().map(|l| l[3..].parse().unwrap()).collect();
    times.sort_unstable();
    // Never more than rpm answers in any minute (answers come after sends: a lower bound).
    for (i, &t) in times.iter().enumerate() {
        let inside = times[i..].iter().take_while(|&&u| u < t + 60_000).count();
        assert!(inside <= rpm as usize, "{name}: {inside} calls within a minute of {t}");
    }
}

#[test]
fn the_limit_holds_in_any_minute_alone_and_shared_through_a_file_or_redis() {
    let redis = Redis::start();
    thread::scope(|s| {
        // One client: 40 calls limited to 30 a minute against a sandbox allowing 30 a minute.
        let alone = s.spawn(|| {
            let sandbox = sandbox(30);
            let client = sandbox.client_builder().max_retries(0).rate_limit_per_minute(30).build().unwrap();
            (0..40)
                .map(|_| match client.call("agents.list", json!({})) {
                    Ok(_) => format!("ok {}", now_ms()),
                    Err(e) => format!("err {} {} {}", e.kind(), e.code(), now_ms()),
                })
                .collect::<Vec<_>>()
        });
        // Four processes of four calls each, 10 a minute shared through a file, then Redis.
        let file = s.spawn(|| {
            let sandbox = sandbox(10);
            run_workers(&sandbox, 4, 4, 10, Some(format!("file:{}", temp_path("minute"))))
        });
        let through_redis = s.spawn(|| {
            let sandbox = sandbox(10);
            run_workers(&sandbox, 4, 4, 10, Some(redis.url()))
        });
        // The control: the same load without a store meets 429s (so the test can fail).
        let control = s.spawn(|| {
            let sandbox = sandbox(10);
            run_workers(&sandbox, 4, 4, 10, None)
        });
        check_held("alone", &alone.join().unwrap(), 40, 30);
        check_held("file", &file.join().unwrap(), 16, 10);
        check_held("redis", &through_redis.join().unwrap(), 16, 10);
        // Each process allows itself 10 and meets a 429 (which then holds that process alone).
        let control = control.join().unwrap();
        assert!(count_429(&control) > 0, "without a store the same load meets 429s: {control:?}");
    });
}

#[test]
fn a_429_seen_by_one_process_holds_the_others_sharing_its_store() {
    let store = format!("file:{}", temp_path("429"));
    let sandbox = sandbox(1000);
    sandbox
        .queue_fault("agents.list", 1, json!({"type": "status", "status": 429, "headers": {"retry-after": "3"}}))
        .unwrap();
    let env = worker_env(&sandbox, 1000, Some(store));
    let first = outcomes(spawn_worker("calls 1", &env));
    assert!(first[0].starts_with("err api "), "{first:?}");
    let refused_at: u64 = first[0].rsplit(' ').next().unwrap().parse().unwrap();
    let second = outcomes(spawn_worker("calls 1", &env));
    assert!(second[0].starts_with("ok "), "{second:?}");
    let answered_at: u64 = second[0][3..].parse().unwrap();
    assert!(answered_at >= refused_at + 2_500, "the second process waited {} ms of the 3 s", answered_at - refused_at);
    assert_eq!(sandbox.requests().len(), 2);
}

#[test]
fn a_process_killed_while_holding_the_file_lock_blocks_no_one() {
    let path = temp_path("kill");
    let mut holder = spawn_worker(&format!("hold {path}"), &[]);
    // The harness prints its own lines first.
    let mut reader = BufReader::new(holder.stdout.take().unwrap());
    let mut line = String::new();
    while line.trim() != "locked" {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the holder never took the lock");
    }
    let sandbox = sandbox(1000);
    let client =
        sandbox.client_builder().rate_limit_per_minute(100).rate_limit_store(format!("file:{path}")).build().unwrap();
    // While the lock is held, the store fails after its patience and the client limits itself.
    // SAFETY: kill(2) on our own child.
    assert_eq!(unsafe { libc::kill(holder.id() as libc::pid_t, libc::SIGKILL) }, 0);
    holder.wait().unwrap();
    let started = Instant::now();
    client.call("agents.list", json!({})).unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    // The call went through the file: it holds one send now.
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 16, "blocked_until and one send time");
}

// ---------------------------------------------------------------------------------------------
// Redis failing: fall back, warn once, share again; or fail when required.

struct Capture(Mutex<Vec<(Level, String)>>);

impl Log for Capture {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.target() == "trillet"
    }
    fn log(&self, record: &Record<'_>) {
        if record.target() == "trillet" && record.level() <= Level::Info {
            self.0.lock().unwrap().push((record.level(), record.args().to_string()));
        }
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn redis_stopped_mid_run_falls_back_warns_once_and_shares_again_when_it_returns() {
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(LevelFilter::Info);
    let mut redis = Redis::start();
    let sandbox = sandbox(1000);
    let password_url = redis.url().replace("redis://", "redis://default:hunter2@");
    let client = sandbox.client_builder().rate_limit_per_minute(1000).rate_limit_store(redis.url()).build().unwrap();
    client.call("agents.list", json!({})).unwrap();
    assert_eq!(redis.logged_sends(), 1);
    redis.stop();
    for _ in 0..5 {
        client.call("agents.list", json!({})).expect("calls go on under the fallback");
    }
    let warnings: Vec<String> =
        CAPTURE.0.lock().unwrap().iter().filter(|(l, _)| *l == Level::Warn).map(|(_, m)| m.clone()).collect();
    assert_eq!(warnings.len(), 1, "one warning per outage: {warnings:?}");
    assert!(warnings[0].contains(&format!("127.0.0.1:{}", redis.port)), "{}", warnings[0]);
    redis.restart();
    thread::sleep(Duration::from_millis(1200)); // the store is tried again at most once a second
    client.call("agents.list", json!({})).unwrap();
    assert_eq!(redis.logged_sends(), 1, "shared again: the new server holds this send");
    assert!(CAPTURE.0.lock().unwrap().iter().any(|(l, m)| *l == Level::Info && m.contains("reachable again")));

    // Required: the same outage fails the call as `connect`, naming the store, not the password.
    redis.stop();
    let strict = sandbox
        .client_builder()
        .rate_limit_per_minute(1000)
        .rate_limit_store(password_url)
        .rate_limit_store_required(true)
        .build()
        .unwrap();
    let err = strict.call("agents.list", json!({})).unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.message().contains("rate_limit_store redis://<redacted>@127.0.0.1:"), "{}", err.message());
    assert!(!err.message().contains("hunter2") && !format!("{:?}", strict.config()).contains("hunter2"));
}

#[test]
fn a_server_that_is_not_redis_is_a_clear_connect_error_and_bad_settings_are_invalid_input() {
    // Something answering on the port, but not Redis (an HTTP server's refusal).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    let sandbox = sandbox(1000);
    let strict = sandbox
        .client_builder()
        .rate_limit_per_minute(10)
        .rate_limit_store(format!("redis://user:s3cret@127.0.0.1:{port}/0"))
        .rate_limit_store_required(true)
        .build()
        .unwrap();
    let err = strict.call("agents.list", json!({})).unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
    assert!(
        err.message().contains(&format!("rate_limit_store redis://<redacted>@127.0.0.1:{port}/0")),
        "{}",
        err.message()
    );
    assert!(!err.message().contains("s3cret"));
    assert!(sandbox.requests().is_empty(), "nothing was sent");
    // Not required: the call goes through, limited by the client alone.
    let lenient = sandbox
        .client_builder()
        .rate_limit_per_minute(10)
        .rate_limit_store(format!("redis://127.0.0.1:{port}/0"))
        .build()
        .unwrap();
    lenient.call("agents.list", json!({})).unwrap();

    for (store, rpm) in [
        ("memcached://127.0.0.1:11211", Some(10)),
        ("redis://", Some(10)),
        ("file:", Some(10)),
        ("file:/nonexistent-dir/x/limit", Some(10)),
        ("redis://127.0.0.1:6379/0", None),
    ] {
        let mut b = sandbox.client_builder().rate_limit_store(store);
        if let Some(n) = rpm {
            b = b.rate_limit_per_minute(n);
        }
        let err = b.build().unwrap_err();
        assert_eq!((err.kind(), err.code()), ("invalid_input", "invalid_rate_limit_store"), "{store}: {err:?}");
        assert!(err.message().contains("rate_limit_store"), "{store}: {}", err.message());
    }
    let _: Value = json!(null);
}

#[test]
fn a_password_and_a_database_in_the_url_are_used_and_a_wrong_password_is_a_connect_error() {
    // A Redis that wants a password; the limit is kept in database 3.
    let server = Redis::start_with_password("hunter2");
    let port = server.port;
    let sandbox = sandbox(1000);
    let client = sandbox
        .client_builder()
        .rate_limit_per_minute(1000)
        .rate_limit_store(format!("redis://default:hunter%32@127.0.0.1:{port}/3")) // percent-encoded "2"
        .rate_limit_store_required(true)
        .build()
        .unwrap();
    client.call("agents.list", json!({})).unwrap();
    client.call("agents.list", json!({})).unwrap();
    let mut c = server.connection_to(3).unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("trillet:rate-limit:*:log").query(&mut c).unwrap();
    assert_eq!(keys.len(), 1, "one log, in database 3: {keys:?}");
    assert_eq!(redis::cmd("ZCARD").arg(&keys[0]).query::<usize>(&mut c).unwrap(), 2);

    let wrong = sandbox
        .client_builder()
        .rate_limit_per_minute(1000)
        .rate_limit_store(format!("redis://default:nope-s3cret@127.0.0.1:{port}/3"))
        .rate_limit_store_required(true)
        .build()
        .unwrap();
    let before = sandbox.requests().len();
    let err = wrong.call("agents.list", json!({})).unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
    assert!(err.message().contains("rate_limit_store redis://<redacted>@127.0.0.1:"), "{}", err.message());
    assert!(!err.message().contains("nope-s3cret"), "{}", err.message());
    assert_eq!(sandbox.requests().len(), before, "nothing was sent");
}
