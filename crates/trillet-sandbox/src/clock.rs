//! Wall-clock helpers: ISO-8601 timestamps and Unix times, without a date crate.
//!
//! The sandbox hands out strictly increasing instants ([`Clock::tick`]) so that "newest first"
//! orderings and `updatedAt > createdAt` hold even for two writes within one millisecond.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// `2025-01-19T02:57:27.923Z` for a time in milliseconds since the Unix epoch.
pub(crate) fn iso_millis(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, (rem % 3600) / 60, rem % 60, ms % 1000)
}

/// [`iso_millis`] for a [`SystemTime`].
pub(crate) fn iso(t: SystemTime) -> String {
    iso_millis(unix_millis(t))
}

/// Year, month, day of a day count since 1970-01-01 (on or after it: the sandbox's clock never
/// reads earlier), counted year by year and month by month.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let leap = |y: i64| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let (mut year, mut left) = (1970, days.max(0));
    while left >= 365 + i64::from(leap(year)) {
        left -= 365 + i64::from(leap(year));
        year += 1;
    }
    let february = if leap(year) { 29 } else { 28 };
    let mut month = 1;
    for length in [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] {
        if left < length {
            break;
        }
        left -= length;
        month += 1;
    }
    (year, month, left as u32 + 1)
}

/// A clock whose readings never repeat: each tick is at least 1 ms after the previous one.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last_ms: u64,
}

impl Clock {
    /// The next instant, in milliseconds since the Unix epoch.
    pub fn tick(&mut self) -> u64 {
        let now = unix_millis(SystemTime::now());
        self.last_ms = now.max(self.last_ms + 1);
        self.last_ms
    }

    /// The next instant as an ISO-8601 timestamp.
    pub fn iso(&mut self) -> String {
        iso_millis(self.tick())
    }
}

/// Seconds (rounded up) from now until `at`, at least 1.
pub(crate) fn seconds_until(at: SystemTime) -> u64 {
    let left = at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO);
    (left.as_millis().div_ceil(1000) as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_millis(1_705_937_400_000), "2024-01-22T15:30:00.000Z");
        assert_eq!(iso_millis(1_737_255_447_923), "2025-01-19T02:57:27.923Z");
        assert_eq!(iso_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_millis(951_868_800_000), "2000-03-01T00:00:00.000Z");
        assert_eq!(iso_millis(1_735_603_200_000), "2024-12-31T00:00:00.000Z");
        assert_eq!(iso_millis(4_107_542_400_000), "2100-03-01T00:00:00.000Z");
    }

    #[test]
    fn ticks_strictly_increase() {
        let mut c = Clock::default();
        let a = c.tick();
        let b = c.tick();
        assert!(b > a);
        assert!(c.iso() > iso_millis(b));
    }
}
