//! The socket under the client (src/transport/socket.rs), as a raw TCP server sees it: pooled
//! connections are reused only while healthy, and a socket timeout armed for one request never
//! stretches or cuts short the next one's deadline.
//!
//! The server answers each request on a connection by a script: answer now, answer late, answer
//! and then close, or answer and then send bytes nobody asked for.

mod common;

use common::{builder, client};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use trillet::Request;

/// What the server does with one request.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Answer straight away and keep the connection.
    Answer,
    /// Answer after a delay.
    AnswerAfter(Duration),
    /// Answer, then close the connection (without saying `connection: close`).
    AnswerThenClose,
    /// Answer, then write stray bytes a moment after the response.
    AnswerThenGarbage,
}

/// One request as the server read it: which connection (0, 1, …) and its request line.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    connection: usize,
    line: String,
}

struct ScriptedServer {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl ScriptedServer {
    /// `script[i]` is what the i-th request overall gets (later requests: `Answer`).
    fn start(script: Vec<Step>) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let script = Arc::new(script);
        thread::spawn(move || {
            for (connection, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { return };
                let (log, script) = (log.clone(), script.clone());
                thread::spawn(move || serve(stream, connection, &log, &script));
            }
        });
        ScriptedServer { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, connection: usize, log: &Mutex<Vec<Seen>>, script: &[Step]) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap();
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let step = {
            let mut seen = log.lock().unwrap();
            seen.push(Seen { connection, line: line.trim_end().to_string() });
            script.get(seen.len() - 1).copied().unwrap_or(Step::Answer)
        };
        if let Step::AnswerAfter(delay) = step {
            thread::sleep(delay);
        }
        let answer = format!(r#"{{"n":{},"connection":{connection}}}"#, log.lock().unwrap().len());
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
            answer.len()
        );
        if writer.write_all(reply.as_bytes()).is_err() {
            return;
        }
        match step {
            Step::AnswerThenClose => return,
            Step::AnswerThenGarbage => {
                // Later, so the client has read its answer and pooled the connection by then.
                thread::sleep(Duration::from_millis(30));
                let _ = writer.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
            }
            _ => {}
        }
    }
}

fn get(id: &str) -> Request {
    Request::new().path_param("agentId", id)
}

fn answer(c: &trillet::Client, id: &str) -> serde_json::Value {
    serde_json::from_str(&c.execute(trillet::operations::find("agents.get").unwrap(), &get(id)).unwrap().body).unwrap()
}

/// Lets the client's kernel see the server's close or stray bytes before the next call.
fn settle() {
    thread::sleep(Duration::from_millis(100));
}

#[test]
fn a_healthy_connection_is_reused_for_every_call() {
    let server = ScriptedServer::start(vec![]);
    let c = client(&server.url);
    for i in 0..20 {
        assert_eq!(answer(&c, &format!("a{i}"))["n"], i + 1);
    }
    assert!(server.seen().iter().all(|s| s.connection == 0), "{:?}", server.seen());
}

#[test]
fn a_connection_the_server_closed_is_not_reused_and_nothing_is_sent_twice() {
    // Request 1 is answered and its connection closed; the client must notice before writing
    // request 2 (a non-idempotent POST included), with no retries allowed.
    let server = ScriptedServer::start(vec![Step::AnswerThenClose, Step::AnswerThenClose]);
    let c = client(&server.url);
    assert_eq!(answer(&c, "a")["connection"], 0);
    settle();
    let created = c.call_json("agents.create", r#"{"body":{"name":"x","ttsModel":{"voiceId":"v"}}}"#).unwrap();
    assert!(created.contains(r#""connection":1"#), "{created}");
    settle();
    assert_eq!(answer(&c, "b")["connection"], 2);
    let lines: Vec<String> = server.seen().into_iter().map(|s| format!("{} {}", s.connection, s.line)).collect();
    assert_eq!(
        lines,
        ["0 GET /v1/api/agents/a HTTP/1.1", "1 POST /v1/api/agents HTTP/1.1", "2 GET /v1/api/agents/b HTTP/1.1"]
    );
}

#[test]
fn bytes_nobody_asked_for_retire_the_connection_instead_of_answering_the_next_call() {
    let server = ScriptedServer::start(vec![Step::AnswerThenGarbage]);
    let c = client(&server.url);
    assert_eq!(answer(&c, "a")["n"], 1);
    settle();
    // The stray `{}` must not be read as this call's answer.
    let next = answer(&c, "b");
    assert_eq!((next["n"].as_u64(), next["connection"].as_u64()), (Some(2), Some(1)), "{next}");
}

#[test]
fn a_short_per_request_timeout_holds_on_a_connection_armed_for_a_long_one() {
    // Calls 1-2 arm the pooled socket with the client's 30 s; call 3 asks for 300 ms and the
    // server takes 3 s: the socket must be re-armed, not left at 30 s.
    let server = ScriptedServer::start(vec![
        Step::Answer,
        Step::Answer,
        Step::AnswerAfter(Duration::from_secs(3)),
        Step::AnswerAfter(Duration::from_millis(500)),
    ]);
    let c = builder(&server.url).max_retries(0).timeout(Duration::from_secs(30)).build().unwrap();
    answer(&c, "a");
    answer(&c, "b");
    let op = trillet::operations::find("agents.get").unwrap();
    let started = Instant::now();
    let err = c.execute(op, &get("c").timeout(Duration::from_millis(300))).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), "timeout", "{err}");
    // Far below the 30 s the socket was armed for, with room for a loaded machine.
    assert!(took < Duration::from_secs(10), "timed out after {took:?}, not about 300 ms");
    assert!(took >= Duration::from_millis(290), "timed out early, after {took:?}");
    // The timed-out connection is gone: the next call, made at once (before the late answer
    // to call 3 arrives, so no liveness probe could save a wrongly pooled connection), goes out
    // on a new connection, waits its 500 ms with the full budget and gets its own answer.
    assert_eq!(server.seen().len(), 3);
    let started = Instant::now();
    let next = c.execute(op, &get("d")).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(490), "{:?}", started.elapsed());
    assert!(next.body.contains(r#""n":4"#) && next.body.contains(r#""connection":1"#), "{}", next.body);
}

#[test]
fn a_long_per_request_timeout_after_a_short_one_is_not_cut_short() {
    // Call 1 arms the socket for 400 ms; call 2 allows 5 s and the server takes 1 s.
    let server = ScriptedServer::start(vec![Step::Answer, Step::AnswerAfter(Duration::from_secs(1))]);
    let c = client(&server.url);
    let op = trillet::operations::find("agents.get").unwrap();
    c.execute(op, &get("a").timeout(Duration::from_millis(400))).unwrap();
    let started = Instant::now();
    c.execute(op, &get("b").timeout(Duration::from_secs(5))).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(990));
    assert!(server.seen().iter().all(|s| s.connection == 0), "{:?}", server.seen());
}
