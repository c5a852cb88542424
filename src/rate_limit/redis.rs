//! `redis://[user:pass@]HOST:PORT/DB`: one sliding log per API key, shared by every client of a
//! fleet, taken atomically by one Lua script on the server (over one blocking connection of
//! our own, `resp.rs`: no async runtime). Times are the Redis server's clock (`TIME`), so hosts whose
//! clocks disagree still share one window. The keys are derived from a hash of the API key,
//! never the key itself.

use super::resp::{Connection, RedisUrl, Reply};
use super::window::WINDOW_MS;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// Takes a slot: `{1, 0}`, or `{0, ms to wait}`. KEYS: the log (a sorted set of send times), the
/// block; ARGV: limit, window ms, a unique member for this send.
const TAKE: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if blocked > now then
  return {0, blocked - now}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return {0, wait}
"#;

/// Blocks every sharer for ARGV[1] ms from the server's now, unless a longer block stands.
const BLOCK: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untill = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untill > current then
  redis.call('SET', KEYS[1], untill, 'PX', tonumber(ARGV[1]))
end
return 1
"#;

/// The Redis store: how to reach the server, and the connection while it works.
pub(crate) struct RedisStore {
    url: RedisUrl,
    /// The connection, with the SHA1s the server gave the two scripts on it.
    connection: std::sync::Mutex<Option<Loaded>>,
    log_key: String,
    block_key: String,
    /// Bounds each connect and each round trip (the call's deadline is never waited past).
    io_timeout: Duration,
}

/// A connection with both scripts loaded (`SCRIPT LOAD`: the server computes the digests).
struct Loaded {
    connection: Connection,
    take: String,
    block: String,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore").field("log_key", &self.log_key).finish()
    }
}

impl RedisStore {
    /// A store for `url` (checked, not yet connected), keyed by a hash of `api_key`.
    pub(crate) fn new(url: &str, api_key: Option<&str>, io_timeout: Duration) -> Result<RedisStore, String> {
        let url = RedisUrl::parse(url)?;
        let digest = Sha256::digest(api_key.unwrap_or("").as_bytes());
        let id: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Ok(RedisStore {
            url,
            connection: std::sync::Mutex::new(None),
            log_key: format!("trillet:rate-limit:{id}:log"),
            block_key: format!("trillet:rate-limit:{id}:blocked-until"),
            io_timeout,
        })
    }

    /// Runs `script` (`TAKE` or `BLOCK`) with `keys` and `args`, connecting and loading the
    /// scripts first when there is no connection. A failed connection is dropped, so the next
    /// use connects again; a server that forgot the scripts (restarted, `SCRIPT FLUSH`) gets them
    /// again once.
    fn eval(&self, script: &str, keys: &[&str], args: &[&str]) -> Result<Reply, String> {
        let mut slot = self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = (|| {
            if slot.is_none() {
                *slot = Some(self.connect().map_err(describe)?);
            }
            let loaded = slot.as_mut().expect("connected above");
            let numkeys = keys.len().to_string();
            for attempt in 0..2 {
                let sha = if script == TAKE { &loaded.take } else { &loaded.block };
                let mut command: Vec<&[u8]> = vec![b"EVALSHA", sha.as_bytes(), numkeys.as_bytes()];
                command.extend(keys.iter().chain(args).map(|a| a.as_bytes()));
                match loaded.connection.command(&command).map_err(describe)? {
                    Reply::Error(e) if e.starts_with("NOSCRIPT") && attempt == 0 => {
                        loaded.take = load(&mut loaded.connection, TAKE)?;
                        loaded.block = load(&mut loaded.connection, BLOCK)?;
                    }
                    Reply::Error(e) => return Err(format!("the script failed: {e}")),
                    reply => return Ok(reply),
                }
            }
            Err("the server keeps forgetting the scripts".to_string())
        })();
        if result.is_err() {
            *slot = None;
        }
        result
    }

    fn connect(&self) -> std::io::Result<Loaded> {
        let mut connection = Connection::open(&self.url, self.io_timeout)?;
        let take = load(&mut connection, TAKE).map_err(std::io::Error::other)?;
        let block = load(&mut connection, BLOCK).map_err(std::io::Error::other)?;
        Ok(Loaded { connection, take, block })
    }

    /// Takes a slot: `Ok(Ok(()))`, or `Ok(Err(ms))` to wait.
    pub(crate) fn take(&self, limit: u32) -> Result<Result<(), u64>, String> {
        let member = format!("{}-{}", std::process::id(), crate::util::random_u64());
        let (limit, window) = (limit.to_string(), WINDOW_MS.to_string());
        let reply = self.eval(TAKE, &[&self.log_key, &self.block_key], &[&limit, &window, &member])?;
        match reply {
            Reply::Array(Some(items)) => match items.as_slice() {
                [Reply::Integer(taken), Reply::Integer(wait)] => {
                    Ok(if *taken == 1 { Ok(()) } else { Err((*wait).max(1) as u64) })
                }
                _ => Err(format!("unexpected answer from the script: {items:?}")),
            },
            other => Err(format!("unexpected answer from the script: {other:?}")),
        }
    }

    /// Blocks every sharer for `wait` from the server's now.
    pub(crate) fn block_for(&self, wait: Duration) -> Result<(), String> {
        let ms = wait.as_millis().max(1).to_string();
        self.eval(BLOCK, &[&self.block_key], &[&ms]).map(|_| ())
    }
}

/// Loads `script` on the connection; the server's SHA1 of it.
fn load(connection: &mut Connection, script: &str) -> Result<String, String> {
    match connection.command(&[b"SCRIPT", b"LOAD", script.as_bytes()]).map_err(describe)? {
        Reply::Bulk(Some(sha)) => String::from_utf8(sha).map_err(|_| "a script digest that is not text".to_string()),
        Reply::Error(e) => Err(format!("the server refused the script: {e}")),
        other => Err(format!("unexpected answer to SCRIPT LOAD: {other:?}")),
    }
}

/// An I/O error in words, without the OS error number (never the URL, which may hold a
/// password).
fn describe(e: std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => "no answer in time".to_string(),
        _ => crate::transport::plain_io(&e),
    }
}
