//! The few Redis commands the shared rate limit sends (`AUTH`, `SELECT`, `SCRIPT LOAD`,
//! `EVALSHA`), spoken as RESP2 over one blocking TCP connection with a timeout on the connect and
//! on every read and write.
//!
//! Hand-written instead of the `redis` crate: that crate (with `combine`, `num-bigint`, `url`,
//! `sha1_smol`, `socket2` and the rest of what it builds) was about a fifth of the stripped
//! `libtrillet.so` for two Lua scripts. What this needs of Redis is small and fixed, and it is
//! tested against a real `redis-server` (tests/rate_limit_shared.rs) and a server that is not
//! Redis at all.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Replies deeper than this are refused (a script's answer is one level deep).
const MAX_DEPTH: usize = 8;
/// Longest bulk string or array accepted (a script's answer is a few bytes).
const MAX_LEN: usize = 1 << 20;

/// Where the store is: `redis://[user:pass@]HOST[:PORT][/DB]`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RedisUrl {
    pub host: String,
    pub port: u16,
    pub db: u32,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisUrl")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("db", &self.db)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl RedisUrl {
    /// Reads a `redis://` URL; the reason it is refused, in words, otherwise.
    pub(crate) fn parse(url: &str) -> Result<RedisUrl, String> {
        let rest = url
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("redis://"))
            .map(|_| &url[8..])
            .ok_or("is not a redis:// URL")?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or("has an unclosed [ in its host")?;
            (host, after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        if host.is_empty() {
            return Err("names no host".into());
        }
        let port = match port {
            None | Some("") => 6379,
            Some(p) => p.parse().map_err(|_| "has a port that is not a number from 1 to 65535")?,
        };
        let db = path.split(['?', '#']).next().unwrap_or("");
        let db = if db.is_empty() { 0 } else { db.parse().map_err(|_| "has a database that is not a number")? };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (user, password) = match info.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (info, None),
                };
                let user = Some(percent_decode(user)).filter(|u| !u.is_empty());
                (user, password.map(percent_decode).filter(|p| !p.is_empty()))
            }
        };
        Ok(RedisUrl { host: host.to_string(), port, db, user, password })
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One RESP2 reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// `+OK`
    Status(String),
    /// `-ERR ...`: the server's words.
    Error(String),
    /// `:42`
    Integer(i64),
    /// `$3\r\nabc` (`None`: `$-1`).
    Bulk(Option<Vec<u8>>),
    /// `*2 ...` (`None`: `*-1`).
    Array(Option<Vec<Reply>>),
}

/// One connection to the store.
pub(crate) struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    /// Connects (each address of the host in turn, each within `timeout`), then authenticates
    /// and selects the database when the URL says so.
    pub(crate) fn open(url: &RedisUrl, timeout: Duration) -> io::Result<Connection> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "host not found");
        let addrs = (url.host.as_str(), url.port).to_socket_addrs()?;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(stream) => {
                    stream.set_read_timeout(Some(timeout))?;
                    stream.set_write_timeout(Some(timeout))?;
                    stream.set_nodelay(true)?;
                    let mut connection = Connection { reader: BufReader::new(stream) };
                    connection.handshake(url)?;
                    return Ok(connection);
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn handshake(&mut self, url: &RedisUrl) -> io::Result<()> {
        if let Some(password) = &url.password {
            match &url.user {
                Some(user) => self.expect_ok(&[b"AUTH", user.as_bytes(), password.as_bytes()])?,
                None => self.expect_ok(&[b"AUTH", password.as_bytes()])?,
            }
        }
        if url.db != 0 {
            self.expect_ok(&[b"SELECT", url.db.to_string().as_bytes()])?;
        }
        Ok(())
    }

    fn expect_ok(&mut self, args: &[&[u8]]) -> io::Result<()> {
        match self.command(args)? {
            Reply::Status(_) => Ok(()),
            Reply::Error(e) => Err(io::Error::other(format!("{} refused: {e}", String::from_utf8_lossy(args[0])))),
            other => Err(protocol(format!("unexpected answer to {}: {other:?}", String::from_utf8_lossy(args[0])))),
        }
    }

    /// Sends one command and reads its reply. An `Err` means the connection is no longer usable.
    pub(crate) fn command(&mut self, args: &[&[u8]]) -> io::Result<Reply> {
        let mut out = Vec::with_capacity(64 + args.iter().map(|a| a.len() + 16).sum::<usize>());
        out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
        for arg in args {
            out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
            out.extend_from_slice(arg);
            out.extend_from_slice(b"\r\n");
        }
        let stream = self.reader.get_mut();
        stream.write_all(&out)?;
        stream.flush()?;
        read_reply(&mut self.reader, 0)
    }
}

fn protocol(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

fn read_line<R: BufRead>(reader: &mut R) -> io::Result<String> {
    let mut line = Vec::new();
    io::Read::take(&mut *reader, MAX_LEN as u64).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
    }
    if !line.ends_with(b"\r\n") {
        return Err(protocol("the server's answer is not Redis (no CRLF line)".into()));
    }
    line.truncate(line.len() - 2);
    String::from_utf8(line).map_err(|_| protocol("the server's answer is not Redis (not text)".into()))
}

fn length(text: &str) -> io::Result<Option<usize>> {
    match text.parse::<i64>() {
        Ok(-1) => Ok(None),
        Ok(n) if (0..=MAX_LEN as i64).contains(&n) => Ok(Some(n as usize)),
        _ => Err(protocol(format!("the server's answer is not Redis (length {text:?})"))),
    }
}

/// Reads one reply (RESP2).
pub(crate) fn read_reply(reader: &mut impl BufRead, depth: usize) -> io::Result<Reply> {
    if depth > MAX_DEPTH {
        return Err(protocol("the server's answer is nested too deep".into()));
    }
    let line = read_line(reader)?;
    let (kind, rest) = line.split_at(line.len().min(1));
    match kind {
        "+" => Ok(Reply::Status(rest.to_string())),
        "-" => Ok(Reply::Error(rest.to_string())),
        ":" => rest.parse().map(Reply::Integer).map_err(|_| protocol(format!("bad integer {rest:?}"))),
        "$" => match length(rest)? {
            None => Ok(Reply::Bulk(None)),
            Some(n) => {
                let mut data = vec![0; n + 2];
                reader.read_exact(&mut data)?;
                if !data.ends_with(b"\r\n") {
                    return Err(protocol("a bulk string without its CRLF".into()));
                }
                data.truncate(n);
                Ok(Reply::Bulk(Some(data)))
            }
        },
        "*" => match length(rest)? {
            None => Ok(Reply::Array(None)),
            Some(n) => {
                (0..n).map(|_| read_reply(reader, depth + 1)).collect::<io::Result<_>>().map(Some).map(Reply::Array)
            }
        },
        _ => Err(protocol("the server's answer is not Redis".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> io::Result<Reply> {
        read_reply(&mut BufReader::new(bytes), 0)
    }

    #[test]
    fn urls() {
        let u = RedisUrl::parse("redis://default:hun%40ter2@cache.local:6380/2").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.db, u.user.as_deref(), u.password.as_deref()),
            ("cache.local", 6380, 2, Some("default"), Some("hun@ter2"))
        );
        assert!(!format!("{u:?}").contains("hun"));
        let u = RedisUrl::parse("REDIS://:pw@[::1]/").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.db, u.user, u.password.as_deref()), ("::1", 6379, 0, None, Some("pw")));
        let u = RedisUrl::parse("redis://127.0.0.1").unwrap();
        assert_eq!((u.port, u.db, u.password), (6379, 0, None));
        for bad in ["http://x", "redis://", "redis://:pw@/0", "redis://h:port/0", "redis://h:1/db", "redis://[::1"] {
            assert!(RedisUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn replies() {
        assert_eq!(read(b"+OK\r\n").unwrap(), Reply::Status("OK".into()));
        assert_eq!(read(b"-NOSCRIPT x\r\n").unwrap(), Reply::Error("NOSCRIPT x".into()));
        assert_eq!(read(b":-12\r\n").unwrap(), Reply::Integer(-12));
        assert_eq!(read(b"$3\r\nabc\r\n").unwrap(), Reply::Bulk(Some(b"abc".to_vec())));
        assert_eq!(read(b"$-1\r\n").unwrap(), Reply::Bulk(None));
        assert_eq!(
            read(b"*2\r\n:1\r\n:0\r\n").unwrap(),
            Reply::Array(Some(vec![Reply::Integer(1), Reply::Integer(0)]))
        );
        for bad in [&b""[..], b"HTTP/1.1 400 Bad Request\r\n", b"+OK", b"$5\r\nab\r\n", b"*99999999999\r\n", b":x\r\n"]
        {
            assert!(read(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "*1\r\n".repeat(20) + ":1\r\n";
        assert!(read(deep.as_bytes()).is_err());
    }
}
