//! Which failures are retried, and how long to wait (the client-side rate limiter is
//! `crate::rate_limit`).
//!
//! The rules are documented for users on the crate's front page (`src/lib.rs`, "Retries"); each
//! is proven by a test counting the requests the server saw. In short: not sent → retried; 429 →
//! retried after the server's wait (at most 60 s); 408/500/502/503/504 and a connection broken
//! mid-response → retried only for idempotent methods; timeouts and everything else → not
//! retried (the client returns a timeout before asking here). Backoff is 0.5 s · 2ⁿ capped at
//! 8 s, with jitter, and never waits past the request's deadline.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Longest wait honoured from `Retry-After` / `reset_at`.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// First backoff step.
pub(crate) const BASE_BACKOFF: Duration = Duration::from_millis(500);
/// Largest backoff step.
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server answered with this status (and maybe asked us to wait).
    Status(u16, Option<Duration>),
    /// No connection was made; the request was never sent.
    NotSent,
    /// The connection broke after the request may have reached the server (reset
    /// mid-response). A timeout is not retried at all: the client returns it at once.
    MaybeSent,
}

/// Whether an outcome may be retried for an operation.
pub(crate) fn is_retryable(outcome: Outcome, idempotent: bool) -> bool {
    match outcome {
        Outcome::NotSent => true,
        Outcome::Status(429, _) => true,
        Outcome::Status(408 | 500 | 502 | 503 | 504, _) | Outcome::MaybeSent => idempotent,
        Outcome::Status(..) => false,
    }
}

/// The wait before retry number `retry` (0 for the first retry), or `None` when the outcome is
/// not retried. `jitter` is a number in `[0, 1)`.
pub(crate) fn delay_before_retry(outcome: Outcome, idempotent: bool, retry: u32, jitter: f64) -> Option<Duration> {
    if !is_retryable(outcome, idempotent) {
        return None;
    }
    if let Outcome::Status(_, Some(wait)) = outcome {
        return Some(wait.min(MAX_RETRY_AFTER));
    }
    let step = BASE_BACKOFF.saturating_mul(1u32 << retry.min(16)).min(MAX_BACKOFF);
    // Jitter spreads retries of many clients over [50%, 100%] of the step.
    Some(step.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0)))
}

/// Reads `Retry-After`: delta-seconds or an HTTP-date (relative to `now`).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Reads an ISO-8601 UTC timestamp such as the body's `reset_at` (`2024-01-22T15:30:00Z`) as a
/// wait from `now`.
pub(crate) fn parse_reset_at(value: &str, now: SystemTime) -> Option<Duration> {
    let at = parse_iso8601(value.trim())?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate).
fn parse_http_date(s: &str) -> Option<SystemTime> {
    let rest = s.split_once(", ")?.1;
    let parts: Vec<&str> = rest.split_whitespace().collect();
    if parts.len() != 5 || parts[4] != "GMT" {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| *m == parts[1])? as u32
        + 1;
    let year: i64 = parts[2].parse().ok()?;
    let (h, m, sec) = parse_hms(parts[3])?;
    to_system_time(year, month, day, h, m, sec, 0.0)
}

/// `2024-01-22T15:30:00Z`, `2024-01-22T15:30:00.123Z` or with a `+hh:mm` offset.
fn parse_iso8601(s: &str) -> Option<SystemTime> {
    let (date, time) = s.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    let (clock, offset_secs) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0i64)
    } else if let Some(pos) = time.rfind(['+', '-']) {
        let (c, off) = time.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits = off.get(1..)?;
        let (oh, om) = digits.split_once(':').unwrap_or((digits.get(..2)?, digits.get(2..)?));
        let (oh, om) = (oh.parse::<i64>().ok()?, if om.is_empty() { 0 } else { om.parse::<i64>().ok()? });
        if !(0..24).contains(&oh) || !(0..60).contains(&om) {
            return None;
        }
        (c, sign * (oh * 3600 + om * 60))
    } else {
        (time, 0)
    };
    let (clock, frac) = match clock.split_once('.') {
        Some((c, f)) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            (c, format!("0.{f}").parse::<f64>().ok()?)
        }
        Some(_) => return None,
        None => (clock, 0.0),
    };
    let (h, m, sec) = parse_hms(clock)?;
    let t = to_system_time(year, month, day, h, m, sec, frac)?;
    if offset_secs >= 0 {
        t.checked_sub(Duration::from_secs(offset_secs as u64))
    } else {
        t.checked_add(Duration::from_secs((-offset_secs) as u64))
    }
}

fn parse_hms(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.split(':');
    let h = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let sec = it.next().unwrap_or("0").parse().ok()?;
    (h < 24 && m < 60 && sec < 61).then_some((h, m, sec))
}

/// A UTC calendar time as a `SystemTime`; `None` for anything out of range (years outside
/// 1970..=9999 included), so no header or body a server sends can overflow the arithmetic.
fn to_system_time(year: i64, month: u32, day: u32, h: u32, m: u32, s: u32, frac: f64) -> Option<SystemTime> {
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if !(0.0..1.0).contains(&frac) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s);
    if secs < 0 {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::from_secs(secs as u64) + Duration::try_from_secs_f64(frac).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_operations_retry_server_errors() {
        for s in [408, 500, 502, 503, 504] {
            assert!(is_retryable(Outcome::Status(s, None), true));
            assert!(!is_retryable(Outcome::Status(s, None), false), "POST must not retry {s}");
        }
        assert!(is_retryable(Outcome::Status(429, None), false));
        assert!(is_retryable(Outcome::NotSent, false));
        assert!(is_retryable(Outcome::MaybeSent, true));
        assert!(!is_retryable(Outcome::MaybeSent, false), "a POST that may have reached the server is never resent");
        assert!(!is_retryable(Outcome::Status(400, None), true));
        assert!(!is_retryable(Outcome::Status(501, None), true));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let d = |n, j| delay_before_retry(Outcome::NotSent, true, n, j).unwrap();
        assert_eq!(d(0, 0.999_999).as_millis(), 499);
        assert_eq!(d(0, 0.0), Duration::from_millis(250));
        assert_eq!(d(1, 0.0), Duration::from_millis(500));
        assert_eq!(d(10, 0.0), Duration::from_secs(4));
        assert!(d(10, 0.999) <= MAX_BACKOFF);
        let wait = delay_before_retry(Outcome::Status(429, Some(Duration::from_secs(500))), false, 0, 0.0);
        assert_eq!(wait, Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn reset_at_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(1_705_937_400); // 2024-01-22T15:30:00Z
        assert_eq!(parse_reset_at("2024-01-22T15:30:05Z", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_reset_at("2024-01-22T15:30:05.500Z", now), Some(Duration::from_millis(5500)));
        assert_eq!(parse_reset_at("2024-01-22T16:30:05+01:00", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_reset_at("yesterday", now), None);
        assert_eq!(parse_reset_at("2024-01-22T15:30:05+0100", now), Some(Duration::ZERO));
    }

    #[test]
    fn hostile_dates_never_panic() {
        let now = UNIX_EPOCH + Duration::from_secs(1_705_937_400);
        for bad in [
            "2024-01-22T15:30:00+0é",
            "2024-01-22T15:30:00+é",
            "2024-01-22T15:30:00+",
            "2024-01-22T15:30:00.1e400Z",
            "2024-01-22T15:30:00.Z",
            "2024-01-22T15:30:00.-5Z",
            "99999999999999999-01-22T15:30:00Z",
            "-99999999999999999-01-22T15:30:00Z",
            "2024-13-22T15:30:00Z",
            "2024-01-22T15:30:00+99:99",
            "T",
            "",
        ] {
            assert_eq!(parse_reset_at(bad, now), None, "{bad}");
        }
        for bad in ["Sun, 06 Nov 99999999999999999 08:49:37 GMT", "Sun, 06 Nov -5 08:49:37 GMT", "1e400", "NaN", "inf"]
        {
            assert!(parse_retry_after(bad, now).is_none_or(|d| d <= Duration::from_secs(86_400)), "{bad}");
        }
    }
}
