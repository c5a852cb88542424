//! Stopping a call in flight from another thread: [`CancelToken`], and the per-call watch the
//! pipeline and the transport register with.
//!
//! How a cancel reaches a call wherever it waits:
//! - each call makes one [`CallWatch`] and registers it with the caller's tokens for as long as
//!   the call runs, and no longer: a cancel after the call returned finds nothing to touch. The
//!   client's own token, which [`Client::close`](crate::Client::close) cancels, is registered
//!   with only once the call starts a wait with no socket (backoff, rate limiter, DNS): until
//!   then the watch just reads its flag, and closing shuts the client's sockets down itself, so a
//!   call that waits on nothing but its socket takes no lock shared with the other calls;
//! - while the call runs, its watch is the thread's *current* watch, so the socket layer
//!   registers every socket the call uses (new or pooled) with it, and the resolver the lookup it
//!   waits for;
//! - [`CancelToken::cancel`] marks each registered watch cancelled, wakes its condition variable
//!   (retry backoff, rate-limiter slot), and wakes each registered waiter: a socket is shut down
//!   (`shutdown(2)`, which ends a blocked connect, read or write at once) if it still serves
//!   *this* call, and a DNS wait is notified.
//!
//! Shutting a socket down, rather than polling a flag between short timeouts, costs a pooled
//! call no system call at all and ends a blocked read within microseconds; condition variables
//! serve the waits that have no socket. A socket that has moved on to another call (it went back
//! to the pool and was taken again) is left alone: each socket records the call it serves.

use crate::clock::Clock;
use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves the data consistent: a panic elsewhere poisons nothing.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A handle that stops calls in flight: give it to calls
/// ([`Client::call_with`](crate::Client::call_with), [`Request::cancel`](crate::Request::cancel)),
/// then [`cancel`](CancelToken::cancel) it from any thread.
///
/// Cheap to clone (clones are the same token), `Send + Sync`, and one token may serve many calls
/// at once. Cancelling is final: every call given the token afterwards fails at once, before
/// anything is sent.
///
/// A cancelled call returns [`Error::Cancelled`](crate::Error::Cancelled), with code `not_sent`
/// when no byte of its HTTP request reached the network (safe to send again) and `maybe_sent`
/// otherwise (the API may have acted on it: a phone call placed, a number bought). It is never
/// retried, and its connection is closed rather than reused. A cancel that comes as the call
/// completes leaves the call's real result.
///
/// ```no_run
/// let client = trillet::Client::from_env()?;
/// let token = trillet::CancelToken::new();
/// let stopper = token.clone();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_secs(2));
///     stopper.cancel();
/// });
/// match client.call_with("agents.list", serde_json::json!({}), &token) {
///     Err(trillet::Error::Cancelled { maybe_sent, .. }) => println!("stopped (maybe sent: {maybe_sent})"),
///     other => println!("{other:?}"),
/// }
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<TokenInner>,
}

#[derive(Default)]
struct TokenInner {
    cancelled: AtomicBool,
    /// The calls running with this token now.
    calls: Mutex<Vec<Arc<CallWatch>>>,
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .field("calls", &lock(&self.inner.calls).len())
            .finish()
    }
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Cancels every call running with this token, and every later call given it. Idempotent;
    /// never blocks on a call (it only shuts sockets down and wakes waiters).
    pub fn cancel(&self) {
        if self.inner.cancelled.swap(true, Ordering::SeqCst) {
            return;
        }
        let calls = std::mem::take(&mut *lock(&self.inner.calls));
        for call in calls {
            call.cancel();
        }
    }

    /// Whether [`cancel`](CancelToken::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Adds a running call; a token already cancelled cancels it at once.
    fn register(&self, call: &Arc<CallWatch>) {
        {
            let mut calls = lock(&self.inner.calls);
            if !self.is_cancelled() {
                calls.push(call.clone());
                return;
            }
        }
        call.cancel();
    }

    fn unregister(&self, call: &Arc<CallWatch>) {
        let mut calls = lock(&self.inner.calls);
        if let Some(i) = calls.iter().position(|c| Arc::ptr_eq(c, call)) {
            calls.swap_remove(i);
        }
    }
}

/// Something a cancel must wake: a socket (shut down if it still serves the call) or a wait.
pub(crate) trait Waker: Send + Sync {
    /// Ends the wait of call `call` (a [`CallWatch::id`]) now.
    fn wake(&self, call: u64);
}

/// One call's cancellation state, from its start to its return.
pub(crate) struct CallWatch {
    id: u64,
    cancelled: AtomicBool,
    /// The client's own token: read by [`is_cancelled`](CallWatch::is_cancelled), registered
    /// with only before a wait that no socket shutdown would end ([`prepare_wait`](CallWatch::prepare_wait)).
    closing: Option<CancelToken>,
    closing_registered: AtomicBool,
    /// Whether a byte of an HTTP request of this call (any attempt) went to a socket.
    sent: AtomicBool,
    /// Whether the current attempt sent a byte.
    attempt_sent: AtomicBool,
    wakers: Mutex<Wakers>,
    /// Notified (under `wakers`) on cancel: the backoff and rate-limiter waits sleep on it.
    wake: Condvar,
}

/// What a cancel must wake: most calls register one socket, kept without allocating.
#[derive(Default, Clone)]
struct Wakers {
    first: Option<Weak<dyn Waker>>,
    more: Vec<Weak<dyn Waker>>,
}

impl Wakers {
    fn push(&mut self, waker: Weak<dyn Waker>) {
        match &self.first {
            Some(first) if first.strong_count() > 0 => {
                self.more.retain(|w| w.strong_count() > 0);
                self.more.push(waker);
            }
            _ => self.first = Some(waker),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Weak<dyn Waker>> {
        self.first.iter().chain(&self.more)
    }
}

impl CallWatch {
    /// The call's id: unique in the process, never 0.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Whether the call was cancelled (or its client closed).
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst) || self.closing.as_ref().is_some_and(CancelToken::is_cancelled)
    }

    /// Registers with the client's own token before a wait that only a wake ends (a socket
    /// shutdown would not), so that closing the client ends it too.
    pub(crate) fn prepare_wait(self: &Arc<Self>) {
        if let Some(closing) = &self.closing {
            if !self.closing_registered.swap(true, Ordering::SeqCst) {
                closing.register(self);
            }
        }
    }

    fn cancel(&self) {
        if self.cancelled.swap(true, Ordering::SeqCst) {
            return;
        }
        let wakers = {
            let wakers = lock(&self.wakers);
            self.wake.notify_all();
            wakers.iter().cloned().collect::<Vec<_>>()
        };
        for waker in wakers.iter().filter_map(Weak::upgrade) {
            waker.wake(self.id);
        }
    }

    /// Registers something a cancel must wake; if the call is already cancelled, wakes it now.
    pub(crate) fn add_waker(&self, waker: Weak<dyn Waker>) {
        lock(&self.wakers).push(waker.clone());
        // After the push: a cancel that set the flag before it either saw the waker or is seen here.
        if self.is_cancelled() {
            if let Some(w) = waker.upgrade() {
                w.wake(self.id);
            }
        }
    }

    /// Records that request bytes of the current attempt are being written.
    pub(crate) fn mark_sent(&self) {
        if !self.attempt_sent.load(Ordering::Relaxed) {
            self.attempt_sent.store(true, Ordering::Relaxed);
            self.sent.store(true, Ordering::Relaxed);
        }
    }

    /// Whether any attempt of this call wrote request bytes.
    pub(crate) fn sent(&self) -> bool {
        self.sent.load(Ordering::Relaxed)
    }

    /// Whether the attempt now ending wrote request bytes; the next attempt starts unsent.
    pub(crate) fn take_attempt_sent(&self) -> bool {
        self.attempt_sent.swap(false, Ordering::Relaxed)
    }

    /// Sleeps for `duration` on `clock`, or until the call is cancelled or its client closed
    /// (then `Err`). Whatever the clock, the sleep blocks on this call's condition variable, so a
    /// cancel ends it at once.
    pub(crate) fn sleep(self: &Arc<Self>, clock: &dyn Clock, duration: Duration) -> Result<(), Cancelled> {
        self.prepare_wait();
        clock.wait_begins(duration);
        let until = clock.now() + duration;
        let mut guard = lock(&self.wakers);
        loop {
            if self.is_cancelled() {
                return Err(Cancelled);
            }
            let left = until.saturating_duration_since(clock.now());
            if left.is_zero() {
                return Ok(());
            }
            let real = clock.nap(left);
            if !real.is_zero() {
                guard = self.wake.wait_timeout(guard, real).unwrap_or_else(PoisonError::into_inner).0;
            }
        }
    }
}

/// A wait ended by a cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cancelled;

static NEXT_CALL_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// The watch of the call running on this thread, for the transport to register with.
    static CURRENT: RefCell<Option<Arc<CallWatch>>> = const { RefCell::new(None) };
}

/// The watch of the call running on this thread, if any.
pub(crate) fn current() -> Option<Arc<CallWatch>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `f` with the id of the call running on this thread (0 when none), without cloning it.
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&CallWatch>) -> R) -> R {
    CURRENT.with(|c| f(c.borrow().as_deref()))
}

/// A call's registration: made when the call starts, undone (tokens and thread) when dropped.
pub(crate) struct CallGuard<'a> {
    watch: Arc<CallWatch>,
    tokens: [Option<&'a CancelToken>; 2],
    previous: Option<Arc<CallWatch>>,
}

impl<'a> CallGuard<'a> {
    /// Starts a call watched by `tokens` (the caller's; either absent) and by its client's
    /// `closing` token (see [`CallWatch::prepare_wait`]).
    pub(crate) fn start(tokens: [Option<&'a CancelToken>; 2], closing: Option<&CancelToken>) -> CallGuard<'a> {
        let watch = Arc::new(CallWatch {
            id: NEXT_CALL_ID.fetch_add(1, Ordering::Relaxed),
            cancelled: AtomicBool::new(false),
            closing: closing.cloned(),
            closing_registered: AtomicBool::new(false),
            sent: AtomicBool::new(false),
            attempt_sent: AtomicBool::new(false),
            wakers: Mutex::new(Wakers::default()),
            wake: Condvar::new(),
        });
        for token in tokens.iter().flatten() {
            token.register(&watch);
        }
        let previous = CURRENT.with(|c| c.replace(Some(watch.clone())));
        CallGuard { watch, tokens, previous }
    }

    /// The call's watch.
    pub(crate) fn watch(&self) -> &Arc<CallWatch> {
        &self.watch
    }
}

impl Drop for CallGuard<'_> {
    fn drop(&mut self) {
        for token in self.tokens.iter().flatten() {
            token.unregister(&self.watch);
        }
        if let (Some(closing), true) = (&self.watch.closing, self.watch.closing_registered.load(Ordering::SeqCst)) {
            closing.unregister(&self.watch);
        }
        let previous = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{FakeClock, RealClock};
    use std::sync::atomic::AtomicUsize;
    use std::time::Instant;

    struct Counter(AtomicUsize);
    impl Waker for Counter {
        fn wake(&self, _call: u64) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_cancel_reaches_the_running_calls_and_only_them() {
        let token = CancelToken::new();
        let other = CancelToken::new();
        let counter = Arc::new(Counter(AtomicUsize::new(0)));
        let waker: Arc<dyn Waker> = counter.clone();
        let finished = CallGuard::start([Some(&token), None], None);
        let finished_watch = finished.watch.clone();
        drop(finished);
        let running = CallGuard::start([Some(&other), Some(&token)], None);
        running.watch().add_waker(Arc::downgrade(&waker));
        assert!(!running.watch().is_cancelled());
        token.cancel();
        token.cancel();
        assert!(running.watch().is_cancelled());
        assert!(!finished_watch.is_cancelled(), "a call that returned is not touched");
        assert_eq!(counter.0.load(Ordering::SeqCst), 1, "woken once");
        assert!(
            running.watch().sleep(&RealClock, Duration::from_secs(30)).is_err(),
            "a cancelled sleep returns at once"
        );
        drop(running);
        assert!(!other.is_cancelled());
        assert!(lock(&other.inner.calls).is_empty() && lock(&token.inner.calls).is_empty());
        // Later calls given a cancelled token start cancelled.
        let late = CallGuard::start([Some(&token), None], None);
        assert!(late.watch().is_cancelled());
    }

    #[test]
    fn the_clients_token_is_registered_with_only_before_a_wait_and_still_read_before() {
        let closing = CancelToken::new();
        let guard = CallGuard::start([None, None], Some(&closing));
        assert!(lock(&closing.inner.calls).is_empty(), "no shared lock on the fast path");
        assert_eq!(guard.watch().sleep(&RealClock, Duration::from_millis(1)), Ok(()));
        assert_eq!(lock(&closing.inner.calls).len(), 1, "registered for the wait");
        let other = CallGuard::start([None, None], Some(&closing));
        closing.cancel();
        assert!(guard.watch().is_cancelled() && other.watch().is_cancelled(), "both see the close");
        assert_eq!(guard.watch().sleep(&RealClock, Duration::from_secs(30)), Err(Cancelled));
        drop(guard);
        drop(other);
        assert!(lock(&closing.inner.calls).is_empty());
    }

    #[test]
    fn the_current_watch_follows_the_call_on_its_thread() {
        assert!(current().is_none());
        let guard = CallGuard::start([None, None], None);
        assert_eq!(current().map(|w| w.id()), Some(guard.watch().id()));
        drop(guard);
        assert!(current().is_none());
    }

    #[test]
    fn a_sleep_ends_when_another_thread_cancels() {
        let token = CancelToken::new();
        let guard = CallGuard::start([Some(&token), None], None);
        let stopper = token.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            stopper.cancel();
        });
        let started = Instant::now();
        assert_eq!(guard.watch().sleep(&RealClock, Duration::from_secs(60)), Err(Cancelled));
        assert!(started.elapsed() < Duration::from_secs(30));
        t.join().unwrap();
        assert_eq!(CallGuard::start([None, None], None).watch().sleep(&RealClock, Duration::from_millis(1)), Ok(()));
    }

    #[test]
    fn a_cancel_ends_a_sleep_on_a_fake_clock() {
        // A manual clock never moves by itself: only the cancel can end this sleep.
        let clock = FakeClock::manual();
        let token = CancelToken::new();
        let guard = CallGuard::start([Some(&token), None], None);
        let (stopper, seen) = (token.clone(), clock.clone());
        let t = std::thread::spawn(move || {
            while seen.waits().is_empty() {
                std::thread::sleep(Duration::from_millis(1));
            }
            stopper.cancel();
        });
        assert_eq!(guard.watch().sleep(&clock, Duration::from_secs(3600)), Err(Cancelled));
        t.join().unwrap();
        assert_eq!(clock.elapsed(), Duration::ZERO);
        // An auto-advancing one ends the sleep at once, by moving on.
        let auto = FakeClock::new();
        assert_eq!(CallGuard::start([None, None], None).watch().sleep(&auto, Duration::from_secs(3600)), Ok(()));
        assert_eq!(auto.elapsed(), Duration::from_secs(3600));
    }
}
