//! `bench cancel N`: cancel-to-return latency, N cancels in each place a call can wait — the
//! rate limiter's slot, connect, the TLS handshake, sending, waiting for the answer, reading the
//! body, the backoff between retries. Prints one JSON object per place:
//! `{"place":…,"cancels":N,"p50_us":…,"p99_us":…,"max_us":…,"outcome_ok":true}` where
//! `outcome_ok` says every call ended `cancelled` with the expected `not_sent`/`maybe_sent`.
//!
//! Each cancel: a call runs on a worker thread; once the loopback server saw what it waits for
//! (a request, a connection), or after a short settle where nothing arrives (limiter, connect),
//! the main thread takes the time and cancels; the worker takes the time the call returned.
//! A DNS lookup in flight uses a lookup of the benchmark's own that hangs for 10 s (the
//! `test-hooks` feature's `lookup_for_benchmarks`): the caller stops waiting; the lookup finishes
//! on its own thread.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use trillet::{CancelToken, Client, Error, Request};

/// What the bench server does with a connection.
#[derive(Clone, Copy)]
enum Serve {
    /// Read the request, never answer.
    Hang,
    /// Read the request, answer a head and a piece of the body, then nothing.
    PartialBody,
    /// Answer every request 503 with Retry-After: 30.
    Unavailable,
    /// Read whatever comes (a TLS ClientHello), never write.
    Mute,
    /// Never read.
    Deaf,
    /// Answer every request 200 at once.
    Answer,
}

/// A loopback server; each arrival (request read, or connection for Mute/Deaf) is signalled.
fn server(serve: Serve) -> (SocketAddr, mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let tx = tx.clone();
            thread::spawn(move || connection(stream, serve, &tx));
        }
    });
    (addr, rx)
}

fn connection(mut stream: TcpStream, serve: Serve, tx: &mpsc::Sender<()>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    match serve {
        Serve::Deaf => {
            // Arrived once the request's first bytes are here (peeked, never read): the client is
            // then sending, and blocks once the socket buffers are full.
            if matches!(stream.peek(&mut chunk[..1]), Ok(1..)) {
                let _ = tx.send(());
            }
            thread::sleep(Duration::from_secs(60));
            return;
        }
        Serve::Mute => {
            let _ = tx.send(());
            while matches!(stream.read(&mut chunk), Ok(1..)) {}
            return;
        }
        _ => {}
    }
    loop {
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.clear();
        let _ = tx.send(());
        let answer: &[u8] = match serve {
            Serve::Answer => b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
            Serve::PartialBody => {
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"a\":"
            }
            Serve::Unavailable => b"HTTP/1.1 503 Service Unavailable\r\nretry-after: 30\r\ncontent-length: 2\r\n\r\n{}",
            Serve::Hang | Serve::Mute | Serve::Deaf => b"",
        };
        if stream.write_all(answer).is_err() {
            return;
        }
        if matches!(serve, Serve::Hang | Serve::PartialBody) {
            while matches!(stream.read(&mut chunk), Ok(1..)) {}
            return;
        }
    }
}

fn client(base: &str) -> Client {
    Client::builder()
        .ignore_env()
        .base_url(base)
        .api_key("k")
        .workspace_id("64a1b2c3d4e5f6a7b8c9d0e1")
        .timeout(Duration::from_secs(120))
        .connect_timeout(Duration::from_secs(120))
        .max_retries(2)
        .build()
        .expect("bench client")
}

/// One place: `n` cancels; `arrival` is waited for before each cancel (None: a fixed settle).
fn measure(
    place: &str,
    n: usize,
    maybe_sent: bool,
    arrival: Option<&mpsc::Receiver<()>>,
    call: &(dyn Fn(&CancelToken) -> Result<(), Error> + Sync),
) -> bool {
    let mut latencies = Vec::with_capacity(n);
    let mut outcome_ok = true;
    for _ in 0..n {
        let token = CancelToken::new();
        let (result, returned, cancelled_at) = thread::scope(|s| {
            let worker = s.spawn(|| {
                let result = call(&token);
                (result, Instant::now())
            });
            match arrival {
                Some(rx) => rx.recv_timeout(Duration::from_secs(30)).expect("the server saw nothing arrive"),
                None => thread::sleep(Duration::from_millis(5)),
            }
            // Let the worker settle into its wait.
            thread::sleep(Duration::from_millis(2));
            let at = Instant::now();
            token.cancel();
            let (result, returned) = worker.join().unwrap();
            (result, returned, at)
        });
        outcome_ok &= matches!(result, Err(Error::Cancelled { maybe_sent: m, .. }) if m == maybe_sent);
        latencies.push(returned.saturating_duration_since(cancelled_at));
    }
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize].as_micros();
    println!(
        r#"{{"place":"{place}","cancels":{n},"p50_us":{},"p99_us":{},"max_us":{},"outcome_ok":{outcome_ok}}}"#,
        pick(0.5),
        pick(0.99),
        latencies.last().map_or(0, Duration::as_micros)
    );
    outcome_ok
}

/// Runs every place; false when a call ended otherwise than cancelled as expected.
pub fn run(n: usize) -> bool {
    let get = |c: &Client, t: &CancelToken| {
        c.call_with("agents.get", serde_json::json!({"path": {"agentId": "a1"}}), t).map(|_| ())
    };
    let mut ok = true;

    let (addr, _) = server(Serve::Answer);
    let limited = Client::builder()
        .ignore_env()
        .base_url(format!("http://{addr}"))
        .api_key("k")
        .workspace_id("64a1b2c3d4e5f6a7b8c9d0e1")
        .rate_limit_per_minute(1)
        .build()
        .expect("bench client");
    get(&limited, &CancelToken::new()).expect("the one slot");
    ok &= measure("rate-limit slot", n, false, None, &|t| get(&limited, t));

    let dns = Client::builder()
        .ignore_env()
        .base_url("http://slow-lookup.test:1")
        .allow_insecure_http(true)
        .api_key("k")
        .workspace_id("64a1b2c3d4e5f6a7b8c9d0e1")
        .timeout(Duration::from_secs(120))
        .connect_timeout(Duration::from_secs(60))
        .lookup_for_benchmarks(hanging_lookup)
        .build()
        .expect("bench client");
    ok &= measure("DNS lookup", n, false, None, &|t| get(&dns, t));

    #[cfg(target_os = "linux")]
    {
        let (listener, _fillers, addr) = full_listener();
        let c = client(&format!("http://{addr}"));
        ok &= measure("connect", n, false, None, &|t| get(&c, t));
        drop(listener);
    }

    let (addr, rx) = server(Serve::Mute);
    let c = client(&format!("https://{addr}"));
    ok &= measure("TLS handshake", n, false, Some(&rx), &|t| get(&c, t));

    let (addr, rx) = server(Serve::Deaf);
    let c = client(&format!("http://{addr}"));
    let big = serde_json::json!({ "name": "x".repeat(16 << 20) });
    ok &= measure("sending the body", n, true, Some(&rx), &|t| {
        c.execute(op("agents.update"), &Request::new().path_param("agentId", "a1").json(&big).cancel(t)).map(|_| ())
    });

    let (addr, rx) = server(Serve::Hang);
    let c = client(&format!("http://{addr}"));
    ok &= measure("waiting for the answer", n, true, Some(&rx), &|t| get(&c, t));

    let (addr, rx) = server(Serve::PartialBody);
    let c = client(&format!("http://{addr}"));
    ok &= measure("reading the body", n, true, Some(&rx), &|t| get(&c, t));

    let (addr, rx) = server(Serve::Unavailable);
    let c = client(&format!("http://{addr}"));
    ok &= measure("retry backoff", n, true, Some(&rx), &|t| get(&c, t));
    ok
}

/// A lookup that takes 10 s (then finds nothing to connect to).
fn hanging_lookup(_host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    thread::sleep(Duration::from_secs(10));
    Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
}

fn op(id: &str) -> &'static trillet::Operation {
    trillet::OPERATIONS.iter().find(|o| o.id == id).expect("operation")
}

/// A listener whose accept queue is full: the kernel drops further SYNs, so a connect waits.
#[cfg(target_os = "linux")]
fn full_listener() -> (TcpListener, Vec<TcpStream>, SocketAddr) {
    use std::os::fd::AsRawFd;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    // SAFETY: listen(2) on a socket we own, to shrink its backlog.
    unsafe { libc::listen(listener.as_raw_fd(), 0) };
    let addr = listener.local_addr().unwrap();
    let fillers = (0..8).filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()).collect();
    (listener, fillers, addr)
}
