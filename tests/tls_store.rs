//! The trust store's documented behaviour, each case in a process of its own (the store is read
//! once per process): `SSL_CERT_FILE` and `SSL_CERT_DIR` *replace* the system store, an empty
//! system store falls back to the compiled-in Mozilla roots (feature `bundled-roots`; without it
//! building a TLS client is `no_trusted_roots`), and the store is read once, when
//! the first client that can use TLS is built.
//!
//! "The system store" here is a throw-away CA: each case runs this test binary again inside a
//! user and mount namespace (`unshare -rm`) with a directory of ours bind-mounted over
//! `/etc/ssl`, where the system's bundle and certificate directory live on Linux. The child
//! process is the test `child_process_case`, which does nothing unless `TRILLET_TLS_STORE_CASE`
//! names a case. Without user namespaces the tests fail, saying so, unless
//! `TRILLET_SKIP_USERNS_TESTS=1`.
#![cfg(all(feature = "test-hooks", target_os = "linux"))]

mod common;
mod net_support;

use net_support::{temp_dir, LeafKind, TestCa, TlsServer, TLS_BODY};
use std::path::{Path, PathBuf};
use std::process::Command;

const CASE: &str = "TRILLET_TLS_STORE_CASE";

/// Three CAs, a server for each, and the directories the cases mount or point at.
struct World {
    /// Trusted by the fake system store only.
    system: (TestCa, TlsServer),
    /// Named by `SSL_CERT_FILE` in some cases.
    a: (TestCa, TlsServer),
    /// In the `SSL_CERT_DIR` directory, or a second `SSL_CERT_FILE`.
    b: (TestCa, TlsServer),
    /// Mounted over `/etc/ssl`: `certs/ca-certificates.crt` holding the system CA.
    etc_ssl: PathBuf,
    /// Mounted over `/etc/ssl` for the empty store: nothing in it.
    empty_etc_ssl: PathBuf,
    /// A certificate directory holding only CA b.
    b_dir: PathBuf,
}

fn world() -> World {
    let ca = |name: &str| {
        let ca = TestCa::new(name);
        let server = TlsServer::start(ca.leaf(LeafKind::Good));
        (ca, server)
    };
    let (system, a, b) = (ca("tls-store-system"), ca("tls-store-a"), ca("tls-store-b"));
    let etc_ssl = temp_dir("tls-store-etc");
    std::fs::create_dir_all(etc_ssl.join("certs")).unwrap();
    std::fs::copy(&system.0.pem_path, etc_ssl.join("certs/ca-certificates.crt")).unwrap();
    let b_dir = temp_dir("tls-store-dir");
    std::fs::copy(&b.0.pem_path, b_dir.join("b.pem")).unwrap();
    World { system, a, b, etc_ssl, empty_etc_ssl: temp_dir("tls-store-empty"), b_dir }
}

fn namespaces_work() -> bool {
    let ok = Command::new("unshare").args(["-rm", "true"]).status().is_ok_and(|s| s.success());
    if !ok && std::env::var("TRILLET_SKIP_USERNS_TESTS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: unshare -rm is not available (TRILLET_SKIP_USERNS_TESTS=1)");
        return false;
    }
    assert!(ok, "these tests need `unshare -rm` (user namespaces); set TRILLET_SKIP_USERNS_TESTS=1 to skip them");
    true
}

/// Runs `case` in a new process whose `/etc/ssl` is `etc_ssl`, with `env` set (and no other
/// `SSL_CERT_*`); fails if the child does.
fn run_case(w: &World, case: &str, etc_ssl: &Path, env: &[(&str, &Path)]) {
    let mut cmd = Command::new("unshare");
    cmd.args(["-rm", "sh", "-c", r#"mount --bind "$1" /etc/ssl && shift && exec "$@""#, "sh"])
        .arg(etc_ssl)
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", "child_process_case", "--nocapture", "--test-threads=1"])
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .env(CASE, case)
        .env("TLS_STORE_SYSTEM_URL", w.system.1.url())
        .env("TLS_STORE_A_URL", w.a.1.url())
        .env("TLS_STORE_B_URL", w.b.1.url())
        .env("TLS_STORE_A_PEM", &w.a.0.pem_path)
        .env("TLS_STORE_B_PEM", &w.b.0.pem_path);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "case {case} failed:\n{stdout}\n{stderr}");
    // The child test ran (rather than being filtered out) and reached its end.
    assert!(stdout.contains(&format!("tls_store case {case}: ok")), "case {case} did not run:\n{stdout}\n{stderr}");
}

#[test]
fn the_fake_system_store_is_what_a_client_trusts_by_default() {
    if namespaces_work() {
        let w = world();
        run_case(&w, "system", &w.etc_ssl.clone(), &[]);
        assert_eq!(w.system.1.requests.lock().unwrap().len(), 1);
        assert_eq!(w.a.1.requests.lock().unwrap().len(), 0);
    }
}

#[test]
fn ssl_cert_file_replaces_the_system_store() {
    if namespaces_work() {
        let w = world();
        run_case(&w, "file", &w.etc_ssl.clone(), &[("SSL_CERT_FILE", &w.a.0.pem_path.clone())]);
        assert_eq!(w.a.1.requests.lock().unwrap().len(), 1);
        assert_eq!(w.system.1.requests.lock().unwrap().len(), 0, "the system store's CA was still trusted");
    }
}

#[test]
fn ssl_cert_dir_replaces_the_system_store() {
    if namespaces_work() {
        let w = world();
        run_case(&w, "dir", &w.etc_ssl.clone(), &[("SSL_CERT_DIR", &w.b_dir.clone())]);
        assert_eq!(w.b.1.requests.lock().unwrap().len(), 1);
        assert_eq!(w.system.1.requests.lock().unwrap().len(), 0, "the system store's CA was still trusted");
    }
}

#[test]
fn an_empty_system_store_falls_back_to_the_bundled_mozilla_roots_or_is_refused() {
    if namespaces_work() {
        let w = world();
        run_case(&w, "empty", &w.empty_etc_ssl.clone(), &[]);
    }
}

#[test]
fn the_store_is_read_once_when_the_first_tls_client_is_built() {
    if namespaces_work() {
        let w = world();
        run_case(&w, "once", &w.etc_ssl.clone(), &[("SSL_CERT_FILE", &w.a.0.pem_path.clone())]);
        assert_eq!(w.b.1.requests.lock().unwrap().len(), 2, "the store read at the first TLS client's build");
        assert_eq!(w.a.1.requests.lock().unwrap().len(), 0, "SSL_CERT_FILE was read again later");
    }
}

/// Whether a client with no `ca_bundle` trusts the server at `url_var`'s URL: the call's answer,
/// or a refused handshake (an unknown issuer).
fn trusted(url_var: &str) -> bool {
    let url = std::env::var(url_var).unwrap();
    let client = common::builder(&url).max_retries(0).build().unwrap();
    match client.call_json("agents.list", "{}") {
        Ok(body) => {
            assert_eq!(body, TLS_BODY);
            true
        }
        Err(e) => {
            assert_eq!(e.kind(), "connect", "{url_var}: {e:?}");
            assert!(e.message().contains("not a trusted root"), "{url_var}: {}", e.message());
            false
        }
    }
}

/// The child side of each case (see the module's documentation); nothing in a normal run.
#[test]
fn child_process_case() {
    let Ok(case) = std::env::var(CASE) else { return };
    // The bind mount took effect: /etc/ssl is ours.
    let mounted = std::fs::read_dir("/etc/ssl").unwrap().count();
    match case.as_str() {
        "system" => {
            assert_eq!(mounted, 1);
            assert!(trusted("TLS_STORE_SYSTEM_URL"), "the system store's CA is trusted");
            assert!(!trusted("TLS_STORE_A_URL"));
        }
        "file" => {
            assert_eq!(trillet::system_root_count_for_tests(), 1, "only SSL_CERT_FILE's certificate");
            assert!(trusted("TLS_STORE_A_URL"));
            assert!(!trusted("TLS_STORE_SYSTEM_URL"), "SSL_CERT_FILE replaces the system store");
        }
        "dir" => {
            assert_eq!(trillet::system_root_count_for_tests(), 1, "only SSL_CERT_DIR's certificate");
            assert!(trusted("TLS_STORE_B_URL"));
            assert!(!trusted("TLS_STORE_SYSTEM_URL"), "SSL_CERT_DIR replaces the system store");
        }
        "empty" => {
            assert_eq!(mounted, 0);
            let roots = trillet::system_root_count_for_tests();
            if cfg!(feature = "bundled-roots") {
                assert!(roots >= 100, "an empty store gave {roots} roots, not the Mozilla set");
                assert!(!trusted("TLS_STORE_SYSTEM_URL"));
            } else {
                // Without the feature (the shipped library's build; scripts/test-install runs it).
                assert_eq!(roots, 0);
                let url = std::env::var("TLS_STORE_SYSTEM_URL").unwrap();
                let e = common::builder(&url).build().expect_err("nothing to trust");
                assert_eq!(e.code(), "no_trusted_roots");
            }
        }
        "once" => {
            // A client that cannot use TLS (plain http to loopback) does not read the store...
            let _plain = common::builder("http://127.0.0.1:9").build().unwrap();
            std::env::set_var("SSL_CERT_FILE", std::env::var("TLS_STORE_B_PEM").unwrap());
            // ...the first https client does, and later changes are not seen.
            assert!(trusted("TLS_STORE_B_URL"));
            std::env::set_var("SSL_CERT_FILE", std::env::var("TLS_STORE_A_PEM").unwrap());
            assert!(!trusted("TLS_STORE_A_URL"), "the store was read again");
            assert!(trusted("TLS_STORE_B_URL"));
            assert_eq!(trillet::system_root_count_for_tests(), 1);
        }
        other => panic!("unknown case {other}"),
    }
    println!("tls_store case {case}: ok");
}
