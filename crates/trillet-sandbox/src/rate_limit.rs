//! Rate-limit emulation: at most N API requests per one-minute window, like the API's plan limits.
//! Over the limit the sandbox answers 429 `rate_limit_exceeded` with `reset_at` (the end of the
//! window) in the error and a `Retry-After` header in seconds.

use std::time::{Duration, SystemTime};

/// The length of a window.
pub(crate) const WINDOW: Duration = Duration::from_secs(60);

/// A fixed one-minute window counter.
#[derive(Debug)]
pub(crate) struct RateWindow {
    per_minute: u32,
    started: Option<SystemTime>,
    count: u32,
}

impl RateWindow {
    /// A limiter allowing `per_minute` requests in each window.
    pub fn new(per_minute: u32) -> RateWindow {
        RateWindow { per_minute, started: None, count: 0 }
    }

    /// The limit.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Counts a request at `now`. `Err(reset_at)` when the window is full.
    pub fn admit(&mut self, now: SystemTime) -> Result<(), SystemTime> {
        let start = match self.started {
            Some(s) if now.duration_since(s).map_or(true, |d| d < WINDOW) => s,
            _ => {
                self.started = Some(now);
                self.count = 0;
                now
            }
        };
        if self.count >= self.per_minute {
            return Err(start + WINDOW);
        }
        self.count += 1;
        Ok(())
    }

    /// Starts over (used by `POST /__sandbox/reset`).
    pub fn reset(&mut self) {
        self.started = None;
        self.count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_up_to_the_limit_then_until_the_window_ends() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut w = RateWindow::new(2);
        assert!(w.admit(t0).is_ok());
        assert!(w.admit(t0 + Duration::from_secs(1)).is_ok());
        assert_eq!(w.admit(t0 + Duration::from_secs(2)), Err(t0 + WINDOW));
        assert_eq!(w.admit(t0 + Duration::from_secs(59)), Err(t0 + WINDOW));
        assert!(w.admit(t0 + WINDOW).is_ok(), "a new window starts");
        w.reset();
        assert!(w.admit(t0 + WINDOW).is_ok());
        assert!(w.admit(t0 + WINDOW).is_ok());
        assert!(w.admit(t0 + WINDOW).is_err());
    }
}
