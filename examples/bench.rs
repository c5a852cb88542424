//! The benchmark's Rust side, driven by `scripts/bench` (see there and bench/README.md):
//!
//! - `bench server [--delay-ms N]`: the neutral keep-alive server every client of the benchmark
//!   talks to. Prints its URL, then answers every request with one fixed 639-byte agent; `GET
//!   /__stats` answers `{"accepts":N}` (connections accepted so far).
//! - `bench client NAME URL CALLS WARMUP`: one client (`trillet`, `trillet-c`, `ureq`,
//!   `ureq-timeouts`) does WARMUP untimed then CALLS timed sequential GETs and prints
//!   `{"us_per_call":…,"dns_lookups":…}` (lookups: trillet only).
//! - `bench cancel N`: cancel-to-return latency, N cancels in each place a call can wait
//!   (`bench_support/cancel.rs`); one JSON line per place, exit status 1 when a call did not
//!   end `cancelled` as expected.
//! - `bench limiter CALLS`: what taking a rate-limit slot adds to a call, with the client's own
//!   log and with the `file:` and `redis://` stores (`bench_support/limiter.rs`).
//! - `bench quick`: the deterministic facts `scripts/bench --quick` asserts (connections opened,
//!   lookups made, concurrency against a slow server, and, where strace is installed, system
//!   calls per pooled call). Never an absolute time. Exit status 1 on
//!   a failed fact.

#[path = "bench_support/cancel.rs"]
mod cancel;
#[path = "bench_support/limiter.rs"]
mod limiter;

use std::ffi::{c_char, CStr, CString};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const AGENT_ID: &str = "665a1b2c3d4e5f6a7b8c9d0e";
const KEY: &str = "sk_bench_0123456789";
const WORKSPACE: &str = "64a1b2c3d4e5f6a7b8c9d0e1";

/// The agent every request gets: 639 bytes of JSON, the size the issue measured with.
fn agent_body() -> String {
    let head = format!(
        r#"{{"_id":"{AGENT_ID}","name":"Customer Support Agent","status":"ready","llmModel":"gpt-4o-mini","voiceId":"alloy","language":"en-US","workspaceId":"{WORKSPACE}","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z","prompt":""#
    );
    let tail = r#""}"#;
    let pad = 639 - head.len() - tail.len();
    format!("{head}{}{tail}", "x".repeat(pad))
}

/// The neutral server: keep-alive, one thread per connection, a fixed answer, counted accepts.
struct Server {
    url: String,
    accepts: Arc<AtomicUsize>,
}

impl Server {
    fn start(delay: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let accepts = Arc::new(AtomicUsize::new(0));
        let count = accepts.clone();
        let body: Arc<str> = agent_body().into();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_nodelay(true);
                let (count, body) = (count.clone(), body.clone());
                std::thread::spawn(move || serve(stream, &body, delay, &count));
            }
        });
        Server { url, accepts }
    }

    fn accepts(&self) -> usize {
        self.accepts.load(Ordering::SeqCst)
    }

    fn localhost_url(&self) -> String {
        self.url.replace("127.0.0.1", "localhost")
    }
}

/// A server answering each request only once `n` are in flight (or 5 s have passed); returns its
/// URL and the most requests it saw in flight at once.
fn gathering_server(n: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let (in_flight, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let most_seen = most.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (in_flight, most) = (in_flight.clone(), most_seen.clone());
            std::thread::spawn(move || {
                let Ok(mut writer) = stream.try_clone() else { return };
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                    line.clear();
                }
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let until = Instant::now() + Duration::from_secs(5);
                while in_flight.load(Ordering::SeqCst) < n && most.load(Ordering::SeqCst) < n && Instant::now() < until
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                let body = agent_body();
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = writer.write_all(reply.as_bytes());
                in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (url, most)
}

fn serve(stream: TcpStream, body: &str, delay: Duration, accepts: &AtomicUsize) {
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        let (mut length, mut first) = (0usize, String::new());
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if first.is_empty() {
                first = line.clone();
            } else if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut sink = vec![0; length];
        if reader.read_exact(&mut sink).is_err() {
            return;
        }
        let stats;
        let answer = if first.starts_with("GET /__stats ") {
            stats = format!(r#"{{"accepts":{}}}"#, accepts.load(Ordering::SeqCst));
            &stats
        } else {
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
            body
        };
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if writer.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn trillet_client(url: &str) -> trillet::Client {
    trillet::Client::builder().ignore_env().base_url(url).api_key(KEY).workspace_id(WORKSPACE).build().unwrap()
}

fn request_json() -> String {
    format!(r#"{{"path":{{"agentId":"{AGENT_ID}"}}}}"#)
}

/// The C ABI path, called in-process: trillet_call with C strings, the result freed.
struct CClient(*mut trillet::ffi::TrilletClient);

impl CClient {
    fn new(url: &str) -> CClient {
        let config = CString::new(format!(
            r#"{{"base_url":"{url}","api_key":"{KEY}","workspace_id":"{WORKSPACE}","ignore_env":true}}"#
        ))
        .unwrap();
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: valid C strings; err is writable.
        let client = unsafe { trillet::ffi::trillet_client_new(config.as_ptr(), &mut err) };
        assert!(!client.is_null(), "trillet_client_new failed");
        CClient(client)
    }

    fn get(&self, op: &CStr, request: &CStr) -> usize {
        let mut out: *mut c_char = std::ptr::null_mut();
        // SAFETY: a live client, valid C strings, a writable out pointer; out is freed below.
        let status = unsafe { trillet::ffi::trillet_call(self.0, op.as_ptr(), request.as_ptr(), &mut out) };
        // SAFETY: the library returned a NUL-terminated string (or NULL).
        let len = unsafe { CStr::from_ptr(out) }.to_bytes().len();
        // SAFETY: `out` came from the library and is freed once.
        unsafe { trillet::ffi::trillet_string_free(out) };
        assert_eq!(status, 0, "trillet_call failed");
        len
    }
}

impl Drop for CClient {
    fn drop(&mut self) {
        // SAFETY: the pointer came from trillet_client_new and is freed once.
        unsafe { trillet::ffi::trillet_client_free(self.0) }
    }
}

fn raw_get(agent: &ureq::Agent, url: &str) -> usize {
    let mut resp = agent
        .get(url)
        .header("x-api-key", KEY)
        .header("x-workspace-id", WORKSPACE)
        .header("accept", "application/json")
        .call()
        .unwrap();
    resp.body_mut().read_to_string().unwrap().len()
}

fn client(name: &str, url: &str, calls: usize, warmup: usize) {
    let expected = agent_body().len();
    let agent_url = format!("{url}/v1/api/agents/{AGENT_ID}");
    let mut lookups = None;
    let run = |f: &mut dyn FnMut() -> usize| {
        for _ in 0..warmup {
            assert_eq!(f(), expected);
        }
        let started = Instant::now();
        for _ in 0..calls {
            assert_eq!(f(), expected);
        }
        started.elapsed()
    };
    let took = match name {
        "trillet" => {
            let c = trillet_client(url);
            let req = request_json();
            let took = run(&mut || c.call_json("agents.get", &req).unwrap().len());
            lookups = Some(c.dns_lookups());
            took
        }
        "trillet-c" => {
            let c = CClient::new(url);
            let (op, req) = (CString::new("agents.get").unwrap(), CString::new(request_json()).unwrap());
            run(&mut || c.get(&op, &req))
        }
        "ureq" => {
            let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
            run(&mut || raw_get(&agent, &agent_url))
        }
        "ureq-timeouts" => {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_connect(Some(Duration::from_secs(10)))
                .timeout_global(Some(Duration::from_secs(60)))
                .build()
                .into();
            run(&mut || raw_get(&agent, &agent_url))
        }
        other => panic!("unknown client {other:?}"),
    };
    let us = took.as_secs_f64() * 1e6 / calls.max(1) as f64;
    let lookups = lookups.map_or("null".to_string(), |n| n.to_string());
    println!(r#"{{"us_per_call":{us:.2},"dns_lookups":{lookups}}}"#);
}

/// One deterministic fact, printed; false when it does not hold.
fn fact(ok: bool, what: String) -> bool {
    println!("{} {what}", if ok { "ok  " } else { "FAIL" });
    ok
}

fn quick() -> bool {
    let req = request_json();
    let mut ok = true;

    let server = Server::start(Duration::ZERO);
    let c = trillet_client(&server.localhost_url());
    for _ in 0..1000 {
        c.call_json("agents.get", &req).unwrap();
    }
    ok &= fact(server.accepts() == 1, format!("1000 sequential calls: {} connection(s) (want 1)", server.accepts()));
    ok &= fact(c.dns_lookups() == 1, format!("1000 calls to localhost: {} lookup(s) (want 1)", c.dns_lookups()));

    let server = Server::start(Duration::ZERO);
    let c = trillet_client(&server.localhost_url());
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..1000 {
                    c.call_json("agents.get", &req).unwrap();
                }
            });
        }
    });
    let n = server.accepts();
    ok &= fact((1..=8).contains(&n), format!("8 threads x 1000 calls: {n} connection(s) (want <= 8)"));
    ok &= fact(c.dns_lookups() == 1, format!("8 threads x 1000 calls: {} lookup(s) (want 1)", c.dns_lookups()));

    // Concurrency, seen by a server that holds each request until eight are in flight (or 5 s
    // pass): calls that do not overlap never get there. A count, not a time.
    let (url, most) = gathering_server(8);
    let c = trillet_client(&url);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| c.call_json("agents.get", &req).unwrap());
        }
    });
    let most = most.load(Ordering::SeqCst);
    ok &= fact(
        most == 8,
        format!("8 threads, one call each: {most} request(s) in flight at once at the server (want 8)"),
    );
    ok &= fact(c.dns_lookups() == 0, format!("an IP-literal base URL: {} lookup(s) (want 0)", c.dns_lookups()));

    match syscalls_per_call() {
        Some(n) => {
            ok &= fact(
                n <= 6.0,
                format!("a pooled call: {n:.1} system calls under strace (want <= 6: 1 write, 1 read, 2 probes)"),
            )
        }
        None => println!("skip a pooled call's system calls: strace is not installed"),
    }
    ok
}

/// System calls per pooled `call_json`, counted by strace over two runs of this program's
/// `client trillet` (200 and 1,200 calls, so start-up cancels out); `None` without strace.
fn syscalls_per_call() -> Option<f64> {
    let strace = std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join("strace")).find(|f| f.is_file()))?;
    let server = Server::start(Duration::ZERO);
    let exe = std::env::current_exe().expect("own path");
    let out = std::env::temp_dir().join(format!("trillet-bench-{}.strace", std::process::id()));
    let mut totals = Vec::new();
    for calls in [200u32, 1200] {
        let status = std::process::Command::new(&strace)
            .args(["-f", "-c", "-o"])
            .arg(&out)
            .arg(&exe)
            .args(["client", "trillet", &server.url, &calls.to_string(), "20"])
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run strace");
        assert!(status.success(), "strace run failed: {status}");
        let report = std::fs::read_to_string(&out).expect("strace report");
        // The summary's last line: "100.00  secs  usecs/call  calls  [errors]  total".
        let total = report.lines().rfind(|l| l.trim_end().ends_with("total")).expect("strace total line");
        totals.push(total.split_whitespace().nth(3).and_then(|n| n.parse::<f64>().ok()).expect("call count"));
    }
    let _ = std::fs::remove_file(&out);
    Some((totals[1] - totals[0]) / 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["server", rest @ ..] => {
            let delay = match rest {
                ["--delay-ms", ms] => Duration::from_millis(ms.parse().expect("--delay-ms N")),
                _ => Duration::ZERO,
            };
            let server = Server::start(delay);
            println!("{}", server.url);
            std::io::stdout().flush().unwrap();
            // Serve until stdin closes (the script ends it).
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        }
        ["client", name, url, calls, warmup] => client(name, url, calls.parse().unwrap(), warmup.parse().unwrap()),
        ["quick"] => std::process::exit(if quick() { 0 } else { 1 }),
        ["limiter", n] => limiter::run(n.parse().expect("limiter CALLS")),
        ["cancel", n] => std::process::exit(if cancel::run(n.parse().expect("cancel N")) { 0 } else { 1 }),
        _ => {
            eprintln!("usage: bench server [--delay-ms N] | bench client NAME URL CALLS WARMUP | bench quick | bench cancel N | bench limiter CALLS");
            std::process::exit(2);
        }
    }
}
