//! `redis://[user:pass@]HOST:PORT/DB`: one sliding log per API key, shared by every client of a
//! fleet, taken atomically by one Lua script on the server (the `redis` crate's synchronous
//! connection: no async runtime). Times are the Redis server's clock (`TIME`), so hosts whose
//! clocks disagree still share one window. The keys are derived from a hash of the API key,
//! never the key itself.

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
    client: redis::Client,
    connection: std::sync::Mutex<Option<redis::Connection>>,
    log_key: String,
    block_key: String,
    take: redis::Script,
    block: redis::Script,
    /// Bounds each connect and each round trip (the call's deadline is never waited past).
    io_timeout: Duration,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore").field("log_key", &self.log_key).finish()
    }
}

impl RedisStore {
    /// A store for `url` (checked, not yet connected), keyed by a hash of `api_key`.
    pub(crate) fn new(url: &str, api_key: Option<&str>, io_timeout: Duration) -> Result<RedisStore, String> {
        let client = redis::Client::open(url).map_err(|e| e.to_string())?;
        let digest = Sha256::digest(api_key.unwrap_or("").as_bytes());
        let id: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Ok(RedisStore {
            client,
            connection: std::sync::Mutex::new(None),
            log_key: format!("trillet:rate-limit:{id}:log"),
            block_key: format!("trillet:rate-limit:{id}:blocked-until"),
            take: redis::Script::new(TAKE),
            block: redis::Script::new(BLOCK),
            io_timeout,
        })
    }

    /// Runs `f` on the connection, connecting first when there is none; a failed connection is
    /// dropped, so the next use connects again.
    fn with_connection<R>(&self, f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<R>) -> Result<R, String> {
        let mut slot = self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.is_none() {
            let connection = self.client.get_connection_with_timeout(self.io_timeout).map_err(describe)?;
            connection.set_read_timeout(Some(self.io_timeout)).map_err(describe)?;
            connection.set_write_timeout(Some(self.io_timeout)).map_err(describe)?;
            *slot = Some(connection);
        }
        let result = f(slot.as_mut().expect("connected above"));
        if result.is_err() {
            *slot = None;
        }
        result.map_err(describe)
    }

    /// Takes a slot: `Ok(Ok(()))`, or `Ok(Err(ms))` to wait.
    pub(crate) fn take(&self, limit: u32) -> Result<Result<(), u64>, String> {
        let member = format!("{}-{}", std::process::id(), crate::util::random_u64());
        let (taken, wait): (i64, i64) = self.with_connection(|c| {
            self.take.key(&self.log_key).key(&self.block_key).arg(limit).arg(WINDOW_MS).arg(&member).invoke(c)
        })?;
        Ok(if taken == 1 { Ok(()) } else { Err(wait.max(1) as u64) })
    }

    /// Blocks every sharer for `wait` from the server's now.
    pub(crate) fn block_for(&self, wait: Duration) -> Result<(), String> {
        let ms = wait.as_millis().max(1) as u64;
        self.with_connection(|c| self.block.key(&self.block_key).arg(ms).invoke::<i64>(c)).map(|_| ())
    }
}

/// A Redis error in words, without the URL (which may hold a password).
fn describe(e: redis::RedisError) -> String {
    let text = e.to_string();
    if text.is_empty() {
        format!("{:?}", e.kind())
    } else {
        text
    }
}
