//! Host-name resolution for the transport: a cache in front of the system resolver.
//!
//! ureq 3.5's default resolver, once any timeout is set, spawns a thread for every request and
//! looks the name up again, even when a pooled connection is then reused (measured: 28 syscalls
//! per call instead of 8). This one:
//!
//! - never looks up an IP literal;
//! - keeps each (host, port) answer for [`TTL`], shared by every clone of the client;
//! - forgets every answer after a connect failure ([`CachingResolver::forget_all`]), so the next
//!   call resolves again (the host may have moved);
//! - runs a needed lookup on a thread of its own so the connect timeout is honoured, with at most
//!   one lookup in flight per (host, port): requests arriving meanwhile wait for the same answer.
//!   A cache hit spawns nothing and makes no system call.

use crate::cancel::{self, Waker};
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a resolved answer is reused.
pub(crate) const TTL: Duration = Duration::from_secs(60);

/// The system lookup (`getaddrinfo` through std), replaceable in tests.
pub(crate) type LookupFn = fn(&str, u16) -> io::Result<Vec<SocketAddr>>;

fn system_lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    Ok((host, port).to_socket_addrs()?.collect())
}

/// A lookup's outcome as every waiter receives it (`io::Error` is not `Clone`).
type Answer = Result<Arc<[SocketAddr]>, (io::ErrorKind, String)>;

/// One lookup in flight; the requests waiting for it block on `done`.
#[derive(Default)]
struct Flight {
    answer: Mutex<Option<Answer>>,
    done: Condvar,
}

enum State {
    Ready { addrs: Arc<[SocketAddr]>, expires: Instant },
    Pending(Arc<Flight>),
}

struct Slot {
    host: String,
    port: u16,
    state: State,
}

struct Shared {
    /// A client talks to one host or two: a short list scanned without allocating beats a map.
    slots: Mutex<Vec<Slot>>,
    lookups: AtomicU64,
    ttl: Duration,
    lookup: LookupFn,
}

/// The caching resolver handed to ureq. Clones share one cache.
#[derive(Clone)]
pub(crate) struct CachingResolver {
    shared: Arc<Shared>,
}

impl fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver").field("lookups", &self.lookups()).finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data stays consistent at every unlock, so a panic elsewhere does not poison the cache.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl CachingResolver {
    /// A resolver using the system's lookup and [`TTL`].
    pub fn new() -> CachingResolver {
        CachingResolver::with(system_lookup, TTL)
    }

    pub(crate) fn with(lookup: LookupFn, ttl: Duration) -> CachingResolver {
        CachingResolver {
            shared: Arc::new(Shared { slots: Mutex::new(Vec::new()), lookups: AtomicU64::new(0), ttl, lookup }),
        }
    }

    /// How many lookups were started (cache misses); IP literals and cache hits count nothing.
    pub fn lookups(&self) -> u64 {
        self.shared.lookups.load(Ordering::Relaxed)
    }

    /// Drops every cached answer (after a connect failure: the next request resolves again).
    /// Lookups in flight finish and are still shared by the requests waiting for them.
    pub fn forget_all(&self) {
        lock(&self.shared.slots).retain(|s| matches!(s.state, State::Pending(_)));
    }

    /// The addresses of `host:port`: from the cache, else from the lookup in flight for it, else
    /// from a new lookup. Waits at most `timeout` (`None`: no limit).
    fn addrs(&self, host: &str, port: u16, timeout: Option<Duration>) -> Result<Arc<[SocketAddr]>, LookupError> {
        let started = Instant::now();
        let flight = {
            let mut slots = lock(&self.shared.slots);
            let i = match slots.iter().position(|s| s.port == port && s.host == host) {
                Some(i) => match &slots[i].state {
                    State::Ready { addrs, expires } if *expires > Instant::now() => return Ok(addrs.clone()),
                    State::Pending(flight) => {
                        // Wait with the list unlocked: the lookup thread needs it to finish.
                        let flight = flight.clone();
                        drop(slots);
                        return wait(&flight, started, timeout);
                    }
                    State::Ready { .. } => i,
                },
                None => {
                    slots.push(Slot {
                        host: host.to_string(),
                        port,
                        state: State::Ready { addrs: Arc::new([]), expires: started },
                    });
                    slots.len() - 1
                }
            };
            let flight = Arc::new(Flight::default());
            slots[i].state = State::Pending(flight.clone());
            if let Err(e) = self.spawn_lookup(host, port, flight.clone()) {
                slots.swap_remove(i);
                return Err(e);
            }
            flight
        };
        wait(&flight, started, timeout)
    }
    /// Starts the one lookup for `host:port`; called with the slot list locked, so no second
    /// lookup for it can start meanwhile.
    fn spawn_lookup(&self, host: &str, port: u16, flight: Arc<Flight>) -> Result<(), LookupError> {
        self.shared.lookups.fetch_add(1, Ordering::Relaxed);
        let shared = self.shared.clone();
        let host = host.to_string();
        let spawned = std::thread::Builder::new().name("trillet-dns".into()).spawn(move || {
            let answer: Answer = match (shared.lookup)(&host, port) {
                Ok(addrs) if !addrs.is_empty() => Ok(addrs.into()),
                Ok(_) => Err((io::ErrorKind::NotFound, format!("resolving {host}: no addresses"))),
                Err(e) => Err((io::ErrorKind::NotFound, format!("resolving {host}: {e}"))),
            };
            {
                let mut slots = lock(&shared.slots);
                let ours = |s: &Slot| matches!(&s.state, State::Pending(f) if Arc::ptr_eq(f, &flight));
                if let Some(i) = slots.iter().position(ours) {
                    match &answer {
                        Ok(addrs) => {
                            slots[i].state = State::Ready { addrs: addrs.clone(), expires: Instant::now() + shared.ttl }
                        }
                        // A failure is not cached: the next request looks the name up again.
                        Err(_) => {
                            slots.swap_remove(i);
                        }
                    }
                }
            }
            *lock(&flight.answer) = Some(answer);
            flight.done.notify_all();
        });
        spawned.map(|_| ()).map_err(LookupError::Failed)
    }
}

impl Waker for Flight {
    fn wake(&self, _call: u64) {
        // Under the lock: a waiter between its cancel check and its wait cannot miss this.
        let _answer = lock(&self.answer);
        self.done.notify_all();
    }
}

/// Waits for `flight`'s answer until `timeout` after `started` (`None`: no limit), or until the
/// call running on this thread is cancelled (the lookup itself finishes on its own thread).
fn wait(flight: &Arc<Flight>, started: Instant, timeout: Option<Duration>) -> Result<Arc<[SocketAddr]>, LookupError> {
    let watch = cancel::current();
    if let Some(watch) = &watch {
        watch.prepare_wait();
        watch.add_waker(Arc::downgrade(flight) as Weak<dyn Waker>);
    }
    let mut answer = lock(&flight.answer);
    while answer.is_none() {
        if watch.as_ref().is_some_and(|w| w.is_cancelled()) {
            return Err(LookupError::Cancelled);
        }
        answer = match timeout {
            None => flight.done.wait(answer).unwrap_or_else(PoisonError::into_inner),
            Some(limit) => {
                let left = limit.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err(LookupError::TimedOut);
                }
                flight.done.wait_timeout(answer, left).unwrap_or_else(PoisonError::into_inner).0
            }
        };
    }
    match answer.as_ref().expect("the loop ends with an answer") {
        Ok(addrs) => Ok(addrs.clone()),
        Err((kind, message)) => Err(LookupError::Failed(io::Error::new(*kind, message.clone()))),
    }
}

#[derive(Debug)]
enum LookupError {
    TimedOut,
    /// The call waiting for the answer was cancelled.
    Cancelled,
    Failed(io::Error),
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (host, port) = host_and_port(uri)?;
        let mut out = self.empty();
        let mut push_wanted = |addrs: &[SocketAddr]| {
            for addr in config.ip_family().keep_wanted(addrs.iter().copied()).take(16) {
                out.push(addr);
            }
        };
        // An IP literal (`127.0.0.1`, `[::1]`) is never looked up.
        let literal = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if let Ok(ip) = literal.parse::<IpAddr>() {
            push_wanted(&[SocketAddr::new(ip, port)]);
        } else {
            let limit = (!timeout.after.is_not_happening()).then(|| *timeout.after);
            match self.addrs(host, port, limit) {
                Ok(addrs) => push_wanted(&addrs),
                Err(LookupError::TimedOut) => return Err(ureq::Error::Timeout(timeout.reason)),
                Err(LookupError::Cancelled) => return Err(ureq::Error::Io(super::socket::cancelled_error())),
                Err(LookupError::Failed(e)) => return Err(ureq::Error::Io(e)),
            }
        }
        if out.is_empty() {
            Err(ureq::Error::HostNotFound)
        } else {
            Ok(out)
        }
    }
}

/// The URI's host (as written, brackets kept) and port (explicit, else the scheme's default).
fn host_and_port(uri: &Uri) -> Result<(&str, u16), ureq::Error> {
    let default_port = match uri.scheme_str() {
        Some("https") => 443,
        Some("http") => 80,
        Some(other) => return Err(ureq::Error::BadUri(format!("unknown scheme: {other}"))),
        None => return Err(ureq::Error::BadUri(format!("{uri} is missing a scheme"))),
    };
    let authority = uri.authority().ok_or_else(|| ureq::Error::BadUri(format!("{uri} is missing a host")))?;
    Ok((authority.host(), authority.port_u16().unwrap_or(default_port)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;
    use ureq::unversioned::transport::time;

    fn within(d: Duration) -> NextTimeout {
        NextTimeout { after: time::Duration::Exact(d), reason: ureq::Timeout::Resolve, ..NextTimeout::default() }
    }

    fn resolve(r: &CachingResolver, uri: &str, timeout: NextTimeout) -> Result<Vec<SocketAddr>, ureq::Error> {
        let config = ureq::config::Config::default();
        r.resolve(&uri.parse().unwrap(), &config, timeout).map(|a| a.iter().copied().collect())
    }

    fn loopback(_: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        Ok(vec![SocketAddr::from(([127, 0, 0, 1], port))])
    }

    fn slow_loopback(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        std::thread::sleep(Duration::from_millis(300));
        loopback(host, port)
    }

    fn failing(_: &str, _: u16) -> io::Result<Vec<SocketAddr>> {
        Err(io::Error::other("Name or service not known"))
    }

    fn hanging_lookup(host: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
        std::thread::sleep(Duration::from_secs(3));
        loopback(host, port)
    }

    #[test]
    fn a_cancel_ends_the_wait_for_a_lookup_which_finishes_on_its_own() {
        let r = CachingResolver::with(hanging_lookup, TTL);
        let token = crate::CancelToken::new();
        let guard = cancel::CallGuard::start([Some(&token), None], None);
        let stopper = token.clone();
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            let at = Instant::now();
            stopper.cancel();
            at
        });
        let err = resolve(&r, "http://slow.example:80/", within(Duration::from_secs(30))).unwrap_err();
        let returned = Instant::now();
        let cancelled_at = canceller.join().unwrap();
        assert!(matches!(&err, ureq::Error::Io(e) if e.kind() == io::ErrorKind::Interrupted), "{err:?}");
        assert!(guard.watch().is_cancelled());
        // Generous: the lookup itself takes 3 s; the caller stopped waiting long before.
        assert!(returned.duration_since(cancelled_at) < Duration::from_secs(1), "{:?}", returned - cancelled_at);
        drop(guard);
        // The lookup went on and its answer serves the next call.
        std::thread::sleep(Duration::from_millis(3200));
        let addrs = resolve(&r, "http://slow.example:80/", within(Duration::from_secs(1))).unwrap();
        assert_eq!(addrs, [SocketAddr::from(([127, 0, 0, 1], 80))]);
        assert_eq!(r.lookups(), 1);
    }

    #[test]
    fn ip_literals_are_never_looked_up() {
        let r = CachingResolver::with(failing, TTL);
        let t = within(Duration::from_secs(1));
        assert_eq!(resolve(&r, "http://127.0.0.1:8080/x", t).unwrap(), [SocketAddr::from(([127, 0, 0, 1], 8080))]);
        assert_eq!(resolve(&r, "https://[::1]/x", t).unwrap(), ["[::1]:443".parse().unwrap()]);
        assert_eq!(resolve(&r, "http://10.1.2.3/", t).unwrap(), [SocketAddr::from(([10, 1, 2, 3], 80))]);
        assert_eq!(r.lookups(), 0);
    }

    #[test]
    fn a_name_is_looked_up_once_per_host_and_port_within_the_ttl() {
        let r = CachingResolver::with(loopback, TTL);
        let t = within(Duration::from_secs(5));
        for _ in 0..1000 {
            assert_eq!(
                resolve(&r, "http://api.example:9000/v1", t).unwrap(),
                [SocketAddr::from(([127, 0, 0, 1], 9000))]
            );
        }
        assert_eq!(r.lookups(), 1);
        // Another port is another entry; the default port is the scheme's.
        assert_eq!(resolve(&r, "https://api.example/v1", t).unwrap(), [SocketAddr::from(([127, 0, 0, 1], 443))]);
        assert_eq!(resolve(&r, "https://api.example:443/v2", t).unwrap(), [SocketAddr::from(([127, 0, 0, 1], 443))]);
        assert_eq!(r.lookups(), 2);
    }

    #[test]
    fn an_expired_answer_is_looked_up_again() {
        // A zero TTL: every answer has expired by the next request (no sleeping, no timing).
        let r = CachingResolver::with(loopback, Duration::ZERO);
        let t = within(Duration::from_secs(5));
        for expected in 1..=3 {
            assert_eq!(resolve(&r, "http://api.example/", t).unwrap(), [SocketAddr::from(([127, 0, 0, 1], 80))]);
            assert_eq!(r.lookups(), expected);
        }
    }

    #[test]
    fn forget_all_makes_the_next_call_look_up_again() {
        let r = CachingResolver::with(loopback, TTL);
        let t = within(Duration::from_secs(5));
        resolve(&r, "http://api.example/", t).unwrap();
        r.forget_all();
        resolve(&r, "http://api.example/", t).unwrap();
        resolve(&r, "http://api.example/", t).unwrap();
        assert_eq!(r.lookups(), 2);
    }

    #[test]
    fn concurrent_requests_share_one_lookup() {
        let r = CachingResolver::with(slow_loopback, TTL);
        let barrier = Arc::new(Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (r, barrier) = (r.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    resolve(&r, "http://api.example:7000/", within(Duration::from_secs(5))).unwrap()
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), [SocketAddr::from(([127, 0, 0, 1], 7000))]);
        }
        assert_eq!(r.lookups(), 1);
    }

    #[test]
    fn a_slow_lookup_honours_the_timeout_and_later_requests_reuse_its_answer() {
        // A 3 s lookup against a 50 ms timeout: a bound a loaded machine meets that still shows
        // the caller did not wait for the lookup.
        let r = CachingResolver::with(hanging_lookup, TTL);
        let started = Instant::now();
        let err = resolve(&r, "http://api.example/", within(Duration::from_millis(50))).unwrap_err();
        assert!(matches!(err, ureq::Error::Timeout(ureq::Timeout::Resolve)), "{err:?}");
        assert!(started.elapsed() < Duration::from_millis(2500), "waited {:?}", started.elapsed());
        // The lookup goes on; the next request joins it rather than starting another.
        assert_eq!(resolve(&r, "http://api.example/", within(Duration::from_secs(5))).unwrap().len(), 1);
        assert_eq!(r.lookups(), 1);
    }

    #[test]
    fn a_failed_lookup_is_a_not_found_io_error_and_is_not_cached() {
        let r = CachingResolver::with(failing, TTL);
        for expected in 1..=2 {
            let err = resolve(&r, "http://nowhere.invalid/", within(Duration::from_secs(5))).unwrap_err();
            match err {
                ureq::Error::Io(e) => {
                    assert_eq!(e.kind(), io::ErrorKind::NotFound);
                    assert_eq!(e.to_string(), "resolving nowhere.invalid: Name or service not known");
                }
                other => panic!("expected an io error, got {other:?}"),
            }
            assert_eq!(r.lookups(), expected);
        }
    }

    #[test]
    fn a_bad_scheme_is_a_bad_uri() {
        let r = CachingResolver::new();
        let err = resolve(&r, "ftp://example.com/", within(Duration::from_secs(1))).unwrap_err();
        assert!(matches!(&err, ureq::Error::BadUri(m) if m == "unknown scheme: ftp"), "{err:?}");
    }

    #[test]
    fn the_system_lookup_resolves_localhost() {
        let r = CachingResolver::new();
        let addrs = resolve(&r, "http://localhost:1234/", within(Duration::from_secs(5))).unwrap();
        assert!(!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 1234), "{addrs:?}");
        assert_eq!(r.lookups(), 1);
    }
}
