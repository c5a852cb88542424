//! Promises the README and the crate docs make that no other test would catch breaking: the
//! defaults, the connect timeout being a retried `connect` error, and every C export sitting
//! behind the panic boundary. (The Retry-After cap and `reset_at`-driven waits inside the
//! pipeline are in `tests/clock.rs`, on a fake clock.)

mod common;

use common::builder;
use serde_json::json;
use std::time::{Duration, Instant};
use trillet::Request;

#[test]
fn the_defaults_are_the_documented_ones() {
    let c = trillet::Client::builder().ignore_env().api_key("k").build().unwrap();
    let config = c.config();
    assert_eq!(config.timeout(), Duration::from_secs(60));
    assert_eq!(config.connect_timeout(), Duration::from_secs(10));
    assert_eq!(config.max_retries(), 2);
    assert_eq!(config.base_url(), "https://api.trillet.ai");
    assert_eq!(config.rate_limit_per_minute(), None);
    assert_eq!(config.rate_limit_store(), None);
}

fn op(id: &str) -> &'static trillet::Operation {
    trillet::OPERATIONS.iter().find(|o| o.id == id).unwrap()
}

#[test]
#[cfg(target_os = "linux")]
fn the_connect_timeout_is_a_connect_error_and_is_retried() {
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsRawFd;
    // A listener whose accept queue is full: the kernel drops further SYNs, so a connect hangs.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    // SAFETY: listen(2) on a socket we own, to shrink its backlog.
    assert_eq!(unsafe { libc::listen(listener.as_raw_fd(), 0) }, 0);
    let addr = listener.local_addr().unwrap();
    let _fillers: Vec<TcpStream> =
        (0..8).filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()).collect();
    let c = builder(&format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(30))
        .max_retries(1)
        .build()
        .unwrap();
    let started = Instant::now();
    let (result, meta) = c.execute_with_meta(
        op("agents.create"),
        &Request::new().json(&json!({"name": "A", "ttsModel": {"voiceId": "v"}})),
    );
    let e = result.unwrap_err();
    assert_eq!(e.kind(), "connect", "{e:?}");
    assert_eq!(meta.attempts, 2, "not sent, so retried even for a POST");
    // Two connect timeouts and a backoff, far below the 30 s deadline.
    assert!(started.elapsed() >= Duration::from_millis(550) && started.elapsed() < Duration::from_secs(15));
}

/// The body of each `extern "C" fn` of src/ffi: its name and its text up to the next item.
fn exports() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ffi")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (i, _) in text.match_indices("extern \"C\" fn ") {
            let rest = &text[i + "extern \"C\" fn ".len()..];
            let name = rest[..rest.find('(').unwrap()].to_string();
            let end = rest.find("\n}\n").unwrap_or(rest.len());
            out.push((name, rest[..end].to_string()));
        }
    }
    out
}

#[test]
fn every_c_export_runs_behind_the_panic_boundary() {
    let exports = exports();
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/trillet.h")).unwrap();
    // Declarations start at the line's first column (`int trillet_call(`); comments do not.
    let declared: Vec<&str> = header
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()) && !l.starts_with("typedef"))
        .filter_map(|l| l.split_once("trillet_"))
        .filter_map(|(_, after)| after.split_once('(').map(|(name, _)| name))
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert_eq!(declared.len(), exports.len(), "{declared:?}");
    assert!(exports.len() >= 19, "{}", exports.len());
    for (name, body) in &exports {
        assert!(declared.contains(&name.trim_start_matches("trillet_")), "{name} is not in include/trillet.h");
        // Either a boundary helper, or a plain delegation to another export that has one.
        let guarded = ["guard(", "answer(", "answer_with_meta("].iter().any(|h| body.contains(h));
        let delegates = exports.iter().any(|(other, _)| other != name && body.contains(&format!("{other}(")));
        assert!(guarded || delegates, "{name} does not run behind the panic boundary:\n{body}");
    }
    // And every function the header declares is an export of src/ffi.
    for name in declared {
        assert!(
            exports.iter().any(|(e, _)| e == &format!("trillet_{name}")),
            "trillet_{name} is declared but not exported"
        );
    }
}
