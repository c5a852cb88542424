//! The client's own resolver, seen from outside: a host name is looked up once and reused over
//! pooled connections, an IP literal is never looked up, and a connect failure makes the next
//! call look the name up again. Lookups are counted by `Client::dns_lookups`, connections by the
//! server's accept count.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

const BODY: &str = r#"[{"_id":"665a1b2c3d4e5f6a7b8c9d0e","name":"Support"}]"#;

/// A keep-alive loopback server answering every request with [`BODY`]; counts accepts.
struct KeepAlive {
    port: u16,
    accepts: Arc<AtomicUsize>,
}

impl KeepAlive {
    fn start() -> KeepAlive {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepts = Arc::new(AtomicUsize::new(0));
        let count = accepts.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || serve(stream));
            }
        });
        KeepAlive { port, accepts }
    }

    fn accepts(&self) -> usize {
        self.accepts.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", BODY.len());
        if writer.write_all(format!("{head}{BODY}").as_bytes()).is_err() {
            return;
        }
    }
}

#[test]
fn a_thousand_calls_to_localhost_make_one_lookup_and_one_connection() {
    let server = KeepAlive::start();
    let client = common::client(&format!("http://localhost:{}", server.port));
    for _ in 0..1000 {
        assert_eq!(client.call_json("agents.list", "{}").unwrap(), BODY);
    }
    assert_eq!(client.dns_lookups(), 1);
    assert_eq!(server.accepts(), 1);
    // Clones share the cache (and the pool).
    let clone = client.clone();
    assert_eq!(clone.call_json("agents.list", "{}").unwrap(), BODY);
    assert_eq!(clone.dns_lookups(), 1);
    assert_eq!(server.accepts(), 1);
}

#[test]
fn eight_threads_share_one_lookup_and_at_most_eight_connections() {
    let server = KeepAlive::start();
    let client = common::client(&format!("http://localhost:{}", server.port));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            thread::spawn(move || {
                for _ in 0..100 {
                    assert_eq!(client.call_json("agents.list", "{}").unwrap(), BODY);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(client.dns_lookups(), 1);
    let accepts = server.accepts();
    assert!((1..=8).contains(&accepts), "{accepts} connections for 8 threads");
}

#[test]
fn an_ip_literal_is_never_looked_up() {
    let server = KeepAlive::start();
    let client = common::client(&format!("http://127.0.0.1:{}", server.port));
    for _ in 0..100 {
        assert_eq!(client.call_json("agents.list", "{}").unwrap(), BODY);
    }
    assert_eq!(client.dns_lookups(), 0);
    assert_eq!(server.accepts(), 1);
}

#[test]
fn a_connect_failure_makes_the_next_call_look_the_name_up_again() {
    let port = common::refused_url().rsplit(':').next().unwrap().parse::<u16>().unwrap();
    let client = common::client(&format!("http://localhost:{port}"));
    let err = client.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
    assert_eq!(client.dns_lookups(), 1);
    let err = client.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
    assert_eq!(client.dns_lookups(), 2, "the failed connect dropped the cached answer");
}

#[test]
fn an_unknown_host_is_a_connect_error_that_names_the_host() {
    let client = common::builder("http://no-such-host.invalid:9").allow_insecure_http(true).max_retries(0).build();
    let client = client.unwrap();
    let err = client.call_json("agents.list", "{}").unwrap_err();
    assert_eq!(err.kind(), "connect", "{err:?}");
    assert!(err.to_string().contains("no-such-host.invalid:9: host not found"), "{err}");
    assert_eq!(client.dns_lookups(), 1);
}
