//! Loopback servers for the TLS and proxy tests: a throw-away CA (rcgen), a TLS server (rustls)
//! that counts connections and records requests, and a CONNECT proxy that records every byte
//! the client sends it.
#![allow(dead_code)]

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// A test-only certificate authority, written to a PEM file in a fresh temp directory.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
    /// The CA certificate's PEM file.
    pub pem_path: PathBuf,
}

/// A server certificate and its key.
pub struct Leaf {
    pub der: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

/// How the server certificate is made.
pub enum LeafKind {
    /// Valid now, for 127.0.0.1.
    Good,
    /// For 127.0.0.1, but expired in 2020.
    Expired,
    /// Valid now, but for another host name only.
    WrongName,
}

impl TestCa {
    /// A new CA (fresh key) in `dir_name` under the system temp dir.
    pub fn new(dir_name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        // Named after its directory: two CAs of one process must not share a subject, or a
        // verifier holding one would check the other's certificates against it (BadSignature).
        params.distinguished_name.push(rcgen::DnType::CommonName, format!("trillet test CA {dir_name}"));
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let dir = temp_dir(dir_name);
        let pem_path = dir.join("ca.pem");
        std::fs::write(&pem_path, issuer.pem()).unwrap();
        TestCa { issuer, pem_path }
    }

    /// A server certificate signed by this CA.
    pub fn leaf(&self, kind: LeafKind) -> Leaf {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.subject_alt_names = match kind {
            LeafKind::WrongName => vec![SanType::DnsName("api.example.test".try_into().unwrap())],
            _ => vec![SanType::IpAddress("127.0.0.1".parse().unwrap())],
        };
        if let LeafKind::Expired = kind {
            params.not_before = rcgen::date_time_ymd(2019, 1, 1);
            params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        }
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf { der: cert.der().clone(), key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())) }
    }
}

/// A fresh, empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("trillet-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The body every TLS server answer carries.
pub const TLS_BODY: &str = r#"{"served_over":"tls"}"#;

/// A TLS server on 127.0.0.1 answering every request `200` with [`TLS_BODY`].
pub struct TlsServer {
    pub addr: SocketAddr,
    /// TCP connections accepted (each is one attempt by the client).
    pub connections: Arc<AtomicUsize>,
    /// Request heads received over TLS.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl TlsServer {
    /// Starts serving `leaf` (followed by no intermediate).
    pub fn start(leaf: Leaf) -> TlsServer {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der], leaf.key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (count, seen) = (connections.clone(), requests.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let (config, seen) = (config.clone(), seen.clone());
                thread::spawn(move || {
                    let conn = rustls::ServerConnection::new(config).unwrap();
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    while let Some(head) = read_head(&mut tls) {
                        seen.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{TLS_BODY}",
                            TLS_BODY.len()
                        );
                        if tls.write_all(reply.as_bytes()).and_then(|()| tls.flush()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        TlsServer { addr, connections, requests }
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }
}

/// Reads one request head (up to and including the blank line); `None` at EOF or on an error.
/// Bodies are not expected (the tests send GETs).
fn read_head(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    Some(head)
}

/// A CONNECT proxy on 127.0.0.1 that records every byte clients send it (its "log").
pub struct ConnectProxy {
    pub addr: SocketAddr,
    /// Connections accepted.
    pub connections: Arc<AtomicUsize>,
    /// The CONNECT request heads.
    pub heads: Arc<Mutex<Vec<String>>>,
    /// Every byte received from clients, tunnelled bytes included.
    pub log: Arc<Mutex<Vec<u8>>>,
}

impl ConnectProxy {
    /// Starts a proxy that tunnels every CONNECT to `upstream` when given (whatever host it
    /// names: the proxy "resolves" names the test made up), else to the named host:port.
    pub fn start(upstream: Option<SocketAddr>) -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (count, heads2, log2) = (connections.clone(), heads.clone(), log.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut client) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let (heads, log) = (heads2.clone(), log2.clone());
                thread::spawn(move || {
                    let Some(head) = read_head(&mut client) else { return };
                    log.lock().unwrap().extend_from_slice(&head);
                    let text = String::from_utf8_lossy(&head).into_owned();
                    heads.lock().unwrap().push(text.clone());
                    let target = text.split_whitespace().nth(1).unwrap_or("").to_string();
                    if !text.starts_with("CONNECT ") {
                        let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n");
                        return;
                    }
                    let upstream = match upstream {
                        Some(a) => TcpStream::connect(a),
                        None => TcpStream::connect(target.as_str()),
                    };
                    let Ok(server) = upstream else {
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
                        return;
                    };
                    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").is_err() {
                        return;
                    }
                    let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                    let up = thread::spawn(move || {
                        let mut buf = [0u8; 4096];
                        while let Ok(n @ 1..) = c_read.read(&mut buf) {
                            log.lock().unwrap().extend_from_slice(&buf[..n]);
                            if s_write.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = s_write.shutdown(std::net::Shutdown::Write);
                    });
                    let (mut s_read, mut c_write) = (server, client);
                    let _ = std::io::copy(&mut s_read, &mut c_write);
                    let _ = c_write.shutdown(std::net::Shutdown::Both);
                    let _ = up.join();
                });
            }
        });
        ConnectProxy { addr, connections, heads, log }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything clients sent, as text.
    pub fn log_text(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().unwrap()).into_owned()
    }
}

/// A plain-HTTP server on 127.0.0.1 answering every request `200` with `{"served":"plain"}`,
/// recording request heads.
pub struct PlainServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<String>>>,
}

/// The body every plain server answer carries.
pub const PLAIN_BODY: &str = r#"{"served":"plain"}"#;

impl PlainServer {
    /// Starts the server.
    pub fn start() -> PlainServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let seen = seen.clone();
                thread::spawn(move || {
                    while let Some(head) = read_head(&mut stream) {
                        seen.lock().unwrap().push(String::from_utf8_lossy(&head).into_owned());
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{PLAIN_BODY}",
                            PLAIN_BODY.len()
                        );
                        if stream.write_all(reply.as_bytes()).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        PlainServer { addr, requests }
    }
}

/// A TLS front on 127.0.0.1 (serving `leaf`) that relays each decrypted connection to
/// `backend`: with a [`ConnectProxy`] behind it, an `https://` proxy.
pub struct TlsFront {
    pub addr: SocketAddr,
    /// TLS connections accepted.
    pub connections: Arc<AtomicUsize>,
}

impl TlsFront {
    /// Starts the front.
    pub fn start(leaf: Leaf, backend: SocketAddr) -> TlsFront {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der], leaf.key)
            .unwrap();
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                thread::spawn(move || relay(config, stream, backend));
            }
        });
        TlsFront { addr, connections }
    }
}

/// Pumps bytes both ways between a TLS client and a plain backend, on one thread (short read
/// timeouts on both sockets), until either side closes.
fn relay(config: Arc<rustls::ServerConfig>, stream: TcpStream, backend: SocketAddr) {
    use std::io::ErrorKind::{TimedOut, WouldBlock};
    use std::time::Duration;
    let tick = Some(Duration::from_millis(5));
    let Ok(mut plain) = TcpStream::connect(backend) else { return };
    let (_, _) = (stream.set_read_timeout(tick), plain.set_read_timeout(tick));
    let conn = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let mut buf = [0u8; 16 * 1024];
    loop {
        match tls.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if plain.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(e) if matches!(e.kind(), WouldBlock | TimedOut) => {}
            Err(_) => return,
        }
        match plain.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if tls.write_all(&buf[..n]).and_then(|()| tls.flush()).is_err() {
                    return;
                }
            }
            Err(e) if matches!(e.kind(), WouldBlock | TimedOut) => {}
            Err(_) => return,
        }
    }
}
