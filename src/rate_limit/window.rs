//! The rule every store applies: at most N requests in any window, kept as a sliding log of the
//! last send times (plus a "blocked until" a 429 set). Pure: the caller passes the time, so the
//! rule is tested with made-up clocks.
//!
//! A token bucket that starts full and refills continuously lets through up to twice its limit
//! within one window (a full burst, then the refill); a server counting requests per window
//! refuses the excess. The log never holds more than N times younger than the window, so no
//! window, fixed or sliding, sees more than N.

use std::collections::VecDeque;

/// The window the limit counts over, in milliseconds: a minute, plus a second for the time a
/// request takes to reach the server (the first of a burst may arrive later than the last one a
/// minute on, when it had a connection to open).
pub(crate) const WINDOW_MS: u64 = 61_000;

/// The send times of the last requests and the end of a 429's wait, in milliseconds of one
/// clock.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct SlidingLog {
    sent: VecDeque<u64>,
    blocked_until: u64,
}

impl SlidingLog {
    /// Takes a slot at `now` for a limit of `limit` per [`WINDOW_MS`]: `Ok` (the send is
    /// recorded), or `Err(ms)`, how long until one frees up (nothing recorded).
    pub(crate) fn take(&mut self, now: u64, limit: u32) -> Result<(), u64> {
        if self.blocked_until > now {
            return Err(self.blocked_until - now);
        }
        while self.sent.front().is_some_and(|&t| t.saturating_add(WINDOW_MS) <= now) {
            self.sent.pop_front();
        }
        if self.sent.len() < limit as usize {
            self.sent.push_back(now);
            return Ok(());
        }
        // The oldest send still counting leaves the window first; with a smaller limit than an
        // earlier writer's, the (len - limit)th does.
        let oldest = self.sent[self.sent.len() - limit as usize];
        Err((oldest + WINDOW_MS).saturating_sub(now).max(1))
    }

    /// No send before `until` (a 429's `Retry-After`); an earlier block stays if it ends later.
    pub(crate) fn block_until(&mut self, until: u64) {
        self.blocked_until = self.blocked_until.max(until);
    }

    /// The log as bytes (the file store's format): `blocked_until`, then each send time, all
    /// little-endian `u64`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 * (1 + self.sent.len()));
        out.extend_from_slice(&self.blocked_until.to_le_bytes());
        for t in &self.sent {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out
    }

    /// Reads [`to_bytes`](SlidingLog::to_bytes)'s format; anything else (an empty or foreign
    /// file) reads as an empty log.
    pub(crate) fn from_bytes(bytes: &[u8]) -> SlidingLog {
        if bytes.len() < 8 || bytes.len() % 8 != 0 {
            return SlidingLog::default();
        }
        let mut words = bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")));
        let blocked_until = words.next().unwrap_or(0);
        let mut sent: VecDeque<u64> = words.collect();
        // Written by us in order; sorted anyway so a damaged file cannot break the rule.
        sent.make_contiguous().sort_unstable();
        SlidingLog { sent, blocked_until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends as fast as the log allows for `span` ms; returns the send times.
    fn run(limit: u32, span: u64) -> Vec<u64> {
        let mut log = SlidingLog::default();
        let mut now = 0;
        let mut sent = Vec::new();
        while now < span {
            match log.take(now, limit) {
                Ok(()) => sent.push(now),
                Err(wait) => now += wait,
            }
        }
        sent
    }

    #[test]
    fn no_window_ever_holds_more_than_the_limit() {
        for limit in [1, 3, 20, 30, 60] {
            let sent = run(limit, 10 * WINDOW_MS);
            for (i, &start) in sent.iter().enumerate() {
                let inside = sent[i..].iter().take_while(|&&t| t < start + 60_000).count();
                assert!(inside <= limit as usize, "limit {limit}: {inside} sends in the minute from {start}");
            }
            // And the limit is used: a full burst, then one more burst per window.
            assert_eq!(sent.iter().filter(|&&t| t < WINDOW_MS).count(), limit as usize);
            assert!(sent.len() >= 9 * limit as usize, "limit {limit}: only {} sends", sent.len());
        }
    }

    #[test]
    fn a_full_log_says_when_the_oldest_send_leaves_the_window() {
        let mut log = SlidingLog::default();
        assert_eq!(log.take(1_000, 2), Ok(()));
        assert_eq!(log.take(5_000, 2), Ok(()));
        assert_eq!(log.take(6_000, 2), Err(1_000 + WINDOW_MS - 6_000));
        assert_eq!(log.take(1_000 + WINDOW_MS, 2), Ok(()));
        // A smaller limit than an earlier writer's counts only the most recent sends.
        let mut log = SlidingLog::default();
        for t in 0..5 {
            log.take(t, 5).unwrap();
        }
        assert_eq!(log.take(10, 2), Err(3 + WINDOW_MS - 10));
    }

    #[test]
    fn a_block_holds_every_send_until_it_ends() {
        let mut log = SlidingLog::default();
        log.block_until(30_000);
        log.block_until(20_000);
        assert_eq!(log.take(10_000, 100), Err(20_000));
        assert_eq!(log.take(30_000, 100), Ok(()));
    }

    #[test]
    fn bytes_round_trip_and_foreign_bytes_read_as_empty() {
        let mut log = SlidingLog::default();
        log.take(7, 10).unwrap();
        log.take(9, 10).unwrap();
        log.block_until(99);
        assert_eq!(SlidingLog::from_bytes(&log.to_bytes()), log);
        assert_eq!(SlidingLog::from_bytes(b"not a log"), SlidingLog::default());
        assert_eq!(SlidingLog::from_bytes(b""), SlidingLog::default());
    }
}
