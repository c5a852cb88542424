//! Where the request pipeline reads the time and waits: one [`Clock`] per client, in its
//! [`Config`](crate::Config), real unless a test gives it a [`FakeClock`] (cargo feature
//! `test-hooks`).
//!
//! What runs on it: the call's deadline, the retry backoff and `Retry-After` / `reset_at` waits
//! (a date is read against [`Clock::system_now`]), and the client's own rate-limit log and its
//! waits. What does not: socket I/O and its timeouts (the kernel's clock), a shared rate-limit
//! store (its times are shared with other processes) and the metadata's `elapsed`.
//!
//! The clock decides only *how long* a wait still has to go; the wait itself stays on the call's
//! condition variable ([`CallWatch::sleep`](crate::cancel::CallWatch::sleep)), so a cancel ends a
//! wait on a fake clock exactly as it ends one on the real clock.

use std::fmt;
use std::sync::Arc;
#[cfg(any(test, feature = "test-hooks"))]
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// The time source and sleeper of a client's pipeline.
pub(crate) trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic now: deadlines and the rate-limit log.
    fn now(&self) -> Instant;
    /// Wall-clock now: what `Retry-After` dates and `reset_at` are read against.
    fn system_now(&self) -> SystemTime;
    /// A wait with `left` still to go is about to block: returns how long to block for real (on
    /// a condition variable a cancel notifies) before reading [`now`](Clock::now) again. The
    /// real clock blocks for all of it; a fake one may move itself on instead.
    fn nap(&self, left: Duration) -> Duration;
    /// A wait of `duration` begins (a fake records it).
    fn wait_begins(&self, _duration: Duration) {}
}

/// The system's clocks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RealClock;

impl Clock for RealClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }
    fn nap(&self, left: Duration) -> Duration {
        left
    }
}

/// The clock a client gets unless a test sets another.
pub(crate) fn real() -> Arc<dyn Clock> {
    Arc::new(RealClock)
}

/// Sleeps `duration` on `clock` where no call is there to cancel it (a rate-limit wait outside
/// a call).
pub(crate) fn sleep(clock: &dyn Clock, duration: Duration) {
    clock.wait_begins(duration);
    let until = clock.now() + duration;
    loop {
        let left = until.saturating_duration_since(clock.now());
        if left.is_zero() {
            return;
        }
        let real = clock.nap(left);
        if !real.is_zero() {
            std::thread::sleep(real);
        }
    }
}

#[cfg(any(test, feature = "test-hooks"))]
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(any(test, feature = "test-hooks"))]
/// Not API (cargo feature `test-hooks`): a clock for tests, given to a client with
/// `ClientBuilder::clock`. Time moves only when a wait or the test moves it, so tests of
/// retries, backoff, `Retry-After`, deadlines and the rate limit assert the waits the pipeline
/// chose ([`waits`](FakeClock::waits)) instead of racing the wall clock.
///
/// - [`FakeClock::new`]: every wait ends at once and moves the clock on by its length.
/// - [`FakeClock::manual`]: a wait blocks until [`advance`](FakeClock::advance) moves the clock
///   past its end, or a cancel ends it (as on the real clock).
///
/// Clones share one time.
#[derive(Debug, Clone)]
pub struct FakeClock {
    inner: Arc<FakeInner>,
}

#[cfg(any(test, feature = "test-hooks"))]
#[derive(Debug)]
struct FakeInner {
    base: Instant,
    base_system: SystemTime,
    offset: Mutex<Duration>,
    auto: bool,
    waits: Mutex<Vec<Duration>>,
}

#[cfg(any(test, feature = "test-hooks"))]
impl FakeClock {
    /// A clock whose waits end at once, each moving it on by its length.
    pub fn new() -> FakeClock {
        FakeClock::with_mode(true)
    }

    /// A clock that moves only by [`advance`](FakeClock::advance): a wait blocks until then (or
    /// until a cancel ends it).
    pub fn manual() -> FakeClock {
        FakeClock::with_mode(false)
    }

    fn with_mode(auto: bool) -> FakeClock {
        // Whole seconds of wall-clock time, so dates a test writes (in seconds or milliseconds)
        // are read back exactly.
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        let base_system = SystemTime::UNIX_EPOCH + Duration::from_secs(now.as_secs());
        FakeClock {
            inner: Arc::new(FakeInner {
                base: Instant::now(),
                base_system,
                offset: Mutex::new(Duration::ZERO),
                auto,
                waits: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Moves the clock on by `by`; a wait it carries past its end returns (within a few
    /// milliseconds).
    pub fn advance(&self, by: Duration) {
        *lock(&self.inner.offset) += by;
    }

    /// How far the clock has moved since it was made.
    pub fn elapsed(&self) -> Duration {
        *lock(&self.inner.offset)
    }

    /// The wall-clock time the pipeline reads now (write `reset_at` or `Retry-After` dates from it).
    pub fn system_time(&self) -> SystemTime {
        self.inner.base_system + self.elapsed()
    }

    /// Every wait the pipeline began on this clock, in order: retry backoffs, `Retry-After` and
    /// `reset_at` waits, rate-limit waits.
    pub fn waits(&self) -> Vec<Duration> {
        lock(&self.inner.waits).clone()
    }
}

#[cfg(any(test, feature = "test-hooks"))]
impl Default for FakeClock {
    fn default() -> Self {
        FakeClock::new()
    }
}

#[cfg(any(test, feature = "test-hooks"))]
impl Clock for FakeClock {
    fn now(&self) -> Instant {
        self.inner.base + self.elapsed()
    }
    fn system_now(&self) -> SystemTime {
        self.system_time()
    }
    fn nap(&self, left: Duration) -> Duration {
        if self.inner.auto {
            self.advance(left);
            Duration::ZERO
        } else {
            // Blocks on the call's condition variable (a cancel wakes it at once), then reads the
            // time the test may have moved.
            Duration::from_millis(2)
        }
    }
    fn wait_begins(&self, duration: Duration) {
        lock(&self.inner.waits).push(duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_clock_moves_only_by_its_waits_and_the_test() {
        let clock = FakeClock::new();
        let start = clock.now();
        sleep(&clock, Duration::from_secs(3600));
        assert_eq!(clock.now() - start, Duration::from_secs(3600));
        assert_eq!(clock.waits(), vec![Duration::from_secs(3600)]);
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.elapsed(), Duration::from_secs(3601));
        assert_eq!(clock.system_now(), clock.inner.base_system + Duration::from_secs(3601));
    }

    #[test]
    fn a_manual_clock_holds_a_wait_until_it_is_advanced() {
        let clock = FakeClock::manual();
        let waiter = clock.clone();
        let t = std::thread::spawn(move || sleep(&waiter, Duration::from_secs(60)));
        while clock.waits().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        clock.advance(Duration::from_secs(59));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!t.is_finished(), "a wait ended a second early");
        clock.advance(Duration::from_secs(1));
        t.join().unwrap();
    }
}
