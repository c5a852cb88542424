//! The client-side rate limit: at most `rate_limit_per_minute` requests in any minute, kept by
//! the client itself or, with `rate_limit_store`, shared with other processes (`file:PATH` on one
//! host, `redis://…` across a fleet). A 429's wait is written to the store too, so every sharer
//! waits it out.
//!
//! A store that fails (Redis down, the file unwritable) does not fail calls unless
//! `rate_limit_store_required` is set: the client falls back to its own log, logs one warning per
//! outage, tries the store again at most once a second, and logs when it is back.

mod file;
#[cfg(feature = "redis-store")]
mod redis;
#[cfg(feature = "redis-store")]
mod resp;
mod window;

use crate::cancel::CallWatch;
use crate::clock::{self, Clock};
use crate::error::Error;
use crate::redact::redact_url;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use window::SlidingLog;

/// How a wait for a slot ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    /// A slot was taken.
    Taken,
    /// No slot frees up before the deadline; none was taken.
    PastDeadline,
    /// The call was cancelled while it waited; no slot was taken.
    Cancelled,
    /// The store failed and `rate_limit_store_required` is set.
    StoreFailed(Error),
}

/// Where the log lives, as the `rate_limit_store` setting names it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum StoreSetting {
    /// `file:PATH`.
    File(std::path::PathBuf),
    /// `redis://…` (the URL as given).
    Redis(String),
}

impl StoreSetting {
    /// Reads the setting: `file:PATH` (or `file://PATH`) or `redis://[user:pass@]HOST[:PORT][/DB]`.
    pub(crate) fn parse(text: &str) -> Result<StoreSetting, Error> {
        let text = text.trim();
        let bad = |why: &str| {
            Error::invalid("invalid_rate_limit_store", format!("rate_limit_store {:?} {why}", redact_url(text)))
        };
        if let Some(path) = text.strip_prefix("file://").or_else(|| text.strip_prefix("file:")) {
            if path.is_empty() {
                return Err(bad("names no file (expected file:/dev/shm/trillet-limit)"));
            }
            return Ok(StoreSetting::File(path.into()));
        }
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("rediss://") {
            return Err(bad(
                "uses TLS (rediss://), which this build does not support: use redis:// on a trusted network",
            ));
        }
        if lower.starts_with("redis://") {
            let rest = &text["redis://".len()..];
            let authority = rest.split('/').next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("");
            if host.is_empty() || host.starts_with(':') {
                return Err(bad("names no host (expected redis://HOST:PORT/DB)"));
            }
            return Ok(StoreSetting::Redis(text.to_string()));
        }
        Err(bad("is neither file:PATH nor redis://HOST:PORT/DB"))
    }

    /// The setting as shown: a Redis password replaced by `<redacted>`.
    pub(crate) fn shown(&self) -> String {
        match self {
            StoreSetting::File(path) => format!("file:{}", path.display()),
            StoreSetting::Redis(url) => redact_url(url),
        }
    }
}

impl fmt::Debug for StoreSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown())
    }
}

/// The store behind a limiter.
#[derive(Debug)]
enum Store {
    File(file::FileStore),
    #[cfg(feature = "redis-store")]
    Redis(Box<redis::RedisStore>),
}

impl Store {
    fn open(setting: &StoreSetting, api_key: Option<&str>, io_timeout: Duration) -> Result<Store, Error> {
        match setting {
            StoreSetting::File(path) => file::FileStore::open(path.clone()).map(Store::File).map_err(|e| {
                Error::invalid(
                    "invalid_rate_limit_store",
                    format!(
                        "rate_limit_store {}: cannot open the file: {}",
                        setting.shown(),
                        crate::error::plain_io_error(&e)
                    ),
                )
            }),
            #[cfg(feature = "redis-store")]
            StoreSetting::Redis(url) => {
                redis::RedisStore::new(url, api_key, io_timeout).map(|r| Store::Redis(Box::new(r))).map_err(|_| {
                    Error::invalid(
                        "invalid_rate_limit_store",
                        format!("rate_limit_store {} is not a valid Redis URL", setting.shown()),
                    )
                })
            }
            #[cfg(not(feature = "redis-store"))]
            StoreSetting::Redis(_) => {
                let _ = (api_key, io_timeout);
                Err(Error::invalid(
                    "invalid_rate_limit_store",
                    format!(
                        "rate_limit_store {}: this build of the trillet library has no Redis support (cargo feature `redis-store`)",
                        setting.shown()
                    ),
                ))
            }
        }
    }

    fn take(&self, limit: u32) -> Result<Result<(), u64>, String> {
        match self {
            Store::File(f) => f
                .take(limit)
                .map_err(|e| format!("{} is not usable: {}", f.path().display(), crate::error::plain_io_error(&e))),
            #[cfg(feature = "redis-store")]
            Store::Redis(r) => r.take(limit),
        }
    }

    fn block_for(&self, wait: Duration) -> Result<(), String> {
        match self {
            Store::File(f) => f
                .block_for(wait)
                .map_err(|e| format!("{} is not usable: {}", f.path().display(), crate::error::plain_io_error(&e))),
            #[cfg(feature = "redis-store")]
            Store::Redis(r) => r.block_for(wait),
        }
    }
}

/// The shared part of a limiter: the store, and whether it is failing.
#[derive(Debug)]
struct Shared {
    store: Store,
    shown: String,
    required: bool,
    /// While the store fails: when to try it again.
    outage: Mutex<Option<Instant>>,
}

/// A client's rate limiter: the sliding log in the client, or in a store shared with others.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_minute: u32,
    /// The client's own log (the only one without a store; the fallback with one). Times are
    /// milliseconds since `epoch`, on `clock`.
    own: Mutex<SlidingLog>,
    epoch: Instant,
    /// The client's clock: the own log's times and every wait for a slot.
    clock: Arc<dyn Clock>,
    shared: Option<Arc<Shared>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl RateLimiter {
    /// A limiter of `per_minute` requests a minute, kept in the client, on `clock`.
    pub(crate) fn new(per_minute: u32, clock: Arc<dyn Clock>) -> RateLimiter {
        RateLimiter { per_minute: per_minute.max(1), own: Mutex::default(), epoch: clock.now(), clock, shared: None }
    }

    /// A limiter sharing `store` (opened now; a Redis server is reached at the first call).
    pub(crate) fn with_store(
        per_minute: u32,
        store: &StoreSetting,
        required: bool,
        api_key: Option<&str>,
        io_timeout: Duration,
        clock: Arc<dyn Clock>,
    ) -> Result<RateLimiter, Error> {
        let opened = Store::open(store, api_key, io_timeout)?;
        let shared = Shared { store: opened, shown: store.shown(), required, outage: Mutex::new(None) };
        Ok(RateLimiter { shared: Some(Arc::new(shared)), ..RateLimiter::new(per_minute, clock) })
    }

    fn own_now(&self) -> u64 {
        self.clock.now().saturating_duration_since(self.epoch).as_millis() as u64
    }

    /// One try: `Ok(())`, `Err(Ok(ms))` to wait, or `Err(Err(e))` when a required store failed.
    fn try_take(&self) -> Result<(), Result<u64, Error>> {
        if let Some(shared) = &self.shared {
            let retry_at = *lock(&shared.outage);
            if retry_at.is_none_or(|at| Instant::now() >= at) {
                match shared.store.take(self.per_minute) {
                    Ok(taken) => {
                        if retry_at.is_some() {
                            *lock(&shared.outage) = None;
                            crate::logging::notice(&format!(
                                "rate_limit_store {} is reachable again: the limit is shared again",
                                shared.shown
                            ));
                        }
                        return taken.map_err(Ok);
                    }
                    Err(why) => {
                        let message = format!("rate_limit_store {}: {why}", shared.shown);
                        if shared.required {
                            return Err(Err(Error::Connect { message }));
                        }
                        if retry_at.is_none() {
                            crate::logging::warning(&format!(
                                "{message}; limiting this client on its own until it is back"
                            ));
                        }
                        *lock(&shared.outage) = Some(Instant::now() + Duration::from_secs(1));
                    }
                }
            }
        }
        let now = self.own_now();
        lock(&self.own).take(now, self.per_minute).map_err(Ok)
    }

    /// Takes a slot if one frees up before `deadline` (no deadline: as long as it takes) and
    /// before `watch`'s call is cancelled. Never sleeps past the deadline to find out.
    pub(crate) fn acquire_before(&self, deadline: Option<Instant>, watch: Option<&Arc<CallWatch>>) -> Slot {
        loop {
            if watch.is_some_and(|w| w.is_cancelled()) {
                return Slot::Cancelled;
            }
            let wait = match self.try_take() {
                Ok(()) => return Slot::Taken,
                Err(Err(e)) => return Slot::StoreFailed(e),
                Err(Ok(ms)) => Duration::from_millis(ms),
            };
            if deadline.is_some_and(|d| self.clock.now() + wait >= d) {
                return Slot::PastDeadline;
            }
            // A shared log may free up by another process's doing only at the times it says;
            // waking every 250 ms at most keeps a long wait responsive to a store coming back.
            let nap = if self.shared.is_some() { wait.min(Duration::from_millis(250)) } else { wait };
            match watch {
                Some(watch) => {
                    if watch.sleep(&*self.clock, nap).is_err() {
                        return Slot::Cancelled;
                    }
                }
                None => clock::sleep(&*self.clock, nap),
            }
        }
    }

    /// A 429 asked to wait `wait`: no request of this client (and, with a store, of any sharer)
    /// starts before it has passed.
    pub(crate) fn block_for(&self, wait: Duration) {
        let until = self.own_now() + wait.as_millis() as u64;
        lock(&self.own).block_until(until);
        if let Some(shared) = &self.shared {
            if lock(&shared.outage).is_none() {
                if let Err(why) = shared.store.block_for(wait) {
                    crate::logging::warning(&format!("rate_limit_store {}: {why}", shared.shown));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;

    fn fake() -> (FakeClock, Arc<dyn Clock>) {
        let clock = FakeClock::new();
        (clock.clone(), Arc::new(clock))
    }

    #[test]
    fn a_full_limiter_waits_and_a_deadline_ends_the_wait_without_a_slot() {
        let (clock, shared) = fake();
        let l = RateLimiter::new(3, shared.clone());
        for _ in 0..3 {
            assert_eq!(l.acquire_before(None, None), Slot::Taken);
        }
        // The next slot is a minute away: past a 5 s deadline, which is not slept to find out.
        let deadline = shared.now() + Duration::from_secs(5);
        assert_eq!(l.acquire_before(Some(deadline), None), Slot::PastDeadline);
        assert_eq!(clock.waits(), Vec::<std::time::Duration>::new(), "it slept to the deadline");
        // Without a deadline the fourth waits for the first slot to leave the window, and only so long.
        assert_eq!(l.acquire_before(None, None), Slot::Taken);
        assert_eq!(clock.waits(), vec![Duration::from_millis(window::WINDOW_MS)]);
        assert_eq!(clock.elapsed(), Duration::from_millis(window::WINDOW_MS));
    }

    #[test]
    fn a_cancel_ends_the_wait_for_a_slot_without_taking_one() {
        // A manual clock: only the cancel can end the wait.
        let clock = FakeClock::manual();
        let l = RateLimiter::new(1, Arc::new(clock.clone()));
        assert_eq!(l.acquire_before(None, None), Slot::Taken);
        let token = crate::CancelToken::new();
        let guard = crate::cancel::CallGuard::start([Some(&token), None], None);
        let (stopper, seen) = (token.clone(), clock.clone());
        let t = std::thread::spawn(move || {
            while seen.waits().is_empty() {
                std::thread::sleep(Duration::from_millis(1));
            }
            stopper.cancel();
        });
        assert_eq!(l.acquire_before(None, Some(guard.watch())), Slot::Cancelled);
        t.join().unwrap();
        assert_eq!(clock.elapsed(), Duration::ZERO);
        assert_eq!(lock(&l.own).clone().take(l.own_now(), 2), Ok(()), "no slot was taken: one of two is free");
    }

    #[test]
    fn a_429_blocks_every_request_until_its_wait_has_passed() {
        let (clock, shared) = fake();
        let l = RateLimiter::new(100, shared.clone());
        l.block_for(Duration::from_secs(3600));
        let deadline = shared.now() + Duration::from_secs(5);
        assert_eq!(l.acquire_before(Some(deadline), None), Slot::PastDeadline);
        assert_eq!(clock.waits(), Vec::<std::time::Duration>::new(), "it slept to the deadline");
        assert_eq!(l.acquire_before(None, None), Slot::Taken);
        assert_eq!(clock.elapsed(), Duration::from_secs(3600), "the block held for its whole length");
    }

    #[test]
    fn store_settings_parse_and_never_show_a_password() {
        assert_eq!(StoreSetting::parse("file:/dev/shm/x").unwrap(), StoreSetting::File("/dev/shm/x".into()));
        assert_eq!(StoreSetting::parse("file:///tmp/y").unwrap(), StoreSetting::File("/tmp/y".into()));
        let redis = StoreSetting::parse("redis://user:s3cret@cache:6379/2").unwrap();
        assert_eq!(redis.shown(), "redis://<redacted>@cache:6379/2");
        assert!(!format!("{redis:?}").contains("s3cret"));
        for bad in ["memcached://x:1", "file:", "redis://", "redis://:s3cret@/0", "rediss://u:s3cret@h:1", "nonsense"] {
            let e = StoreSetting::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_rate_limit_store", "{bad}");
            assert!(e.message().contains("rate_limit_store"), "{bad}: {}", e.message());
            assert!(!e.message().contains("s3cret"), "{bad}: {}", e.message());
        }
    }
}
