//! When to send a request again, and after how long (REFERENCE.md §12.2).
//!
//! - 429 is retried for every method: Graph refused the request without processing it.
//! - 503 and 504 wait for `Retry-After` like 429; they, 500, 502 and transport errors are
//!   retried only for reads and idempotent writes (PUT, PATCH, DELETE). A POST that got one of
//!   them may have been applied, so it is never re-sent ([`crate::GraphError::OutcomeUnknown`]).
//! - The wait is `Retry-After` (seconds, fractional too, or an HTTP date) when Graph gives one,
//!   since usage keeps being counted while throttled and retrying early only extends the
//!   throttling; otherwise exponential backoff with full jitter.
//! - A [`RetryPolicy`] caps the attempts and the total wait; a wait that would pass the budget
//!   is not started.

use std::time::{Duration, Instant, SystemTime};

use rand::Rng;
use reqwest::Method;

/// Caps on retrying one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included; 1 disables retries.
    pub max_attempts: u32,
    /// The first backoff step, when Graph gives no `Retry-After`.
    pub base_delay: Duration,
    /// The largest backoff step (a `Retry-After` is honoured even when longer).
    pub max_delay: Duration,
    /// The most time spent waiting between attempts of one request, in all.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            budget: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff before retry number `retry` (0 for the first retry): a random duration up
    /// to `base_delay * 2^retry`, capped at `max_delay` ("full jitter").
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1_u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        rand::rng().random_range(Duration::ZERO..=ceiling)
    }
}

/// What to do with an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A 2xx: done.
    Success,
    /// Try again, after `Retry-After` when Graph gave one.
    Retry(Option<Duration>),
    /// A final error.
    Fail,
    /// A final error for a write whose effect is unknown.
    Unknown,
}

/// The verdict on `status` (`None`: no answer came) for a request sent with `method`.
pub(crate) fn judge(
    method: &Method,
    status: Option<u16>,
    retry_after: Option<Duration>,
) -> Verdict {
    let idempotent = *method != Method::POST;
    match status {
        // A 3xx is a redirect the client did not follow (see `client::same_origin_redirects`).
        Some(200..=299) => Verdict::Success,
        Some(429) => Verdict::Retry(retry_after),
        Some(503 | 504) if idempotent => Verdict::Retry(retry_after),
        Some(500 | 502) | None if idempotent => Verdict::Retry(None),
        Some(500 | 502 | 503 | 504) | None => Verdict::Unknown,
        Some(_) => Verdict::Fail,
    }
}

/// `Retry-After` as a wait from `now`: delta seconds (`2.128` too) or an HTTP date (a date in
/// the past is no wait). `None` for anything else, so backoff applies.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    /// Longer waits are not a throttling hint but garbage; the budget refuses them anyway.
    const LONGEST: f64 = 24.0 * 60.0 * 60.0;
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(LONGEST)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The retries made for one request (or one batch item) and the time waited.
///
/// The budget bounds the time since the clock started, not only this request's own sleeps:
/// a request also waits out the pauses other requests' `Retry-After`s impose on the whole
/// client, and under a throttle that never lifts those would otherwise add up to many
/// budgets for a round of many requests.
#[derive(Debug, Clone)]
pub(crate) struct RetryClock {
    policy: RetryPolicy,
    started: Instant,
    pub(crate) retries: u32,
    pub(crate) waited: Duration,
}

impl RetryClock {
    pub(crate) fn new(policy: &RetryPolicy) -> Self {
        Self {
            policy: policy.clone(),
            started: Instant::now(),
            retries: 0,
            waited: Duration::ZERO,
        }
    }

    /// The time spent so far: since the clock started, or the sleeps it counted if longer.
    pub(crate) fn spent(&self) -> Duration {
        self.started.elapsed().max(self.waited)
    }

    /// The wait before the next attempt, counted as spent; `None` when the attempts or the
    /// budget are used up.
    pub(crate) fn next_wait(&mut self, retry_after: Option<Duration>) -> Option<Duration> {
        if self.retries.saturating_add(1) >= self.policy.max_attempts {
            return None;
        }
        let wait = retry_after.unwrap_or_else(|| self.policy.backoff(self.retries));
        if self.spent() + wait > self.policy.budget {
            return None;
        }
        self.retries += 1;
        self.waited += wait;
        Some(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_fractional_seconds_http_dates_and_refuses_garbage() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after("2.128", now),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        for garbage in ["", "soon", "-1", "NaN", "inf", "1e999x"] {
            assert_eq!(parse_retry_after(garbage, now), None, "{garbage}");
        }
        assert_eq!(
            parse_retry_after("1e12", now),
            Some(Duration::from_secs(24 * 60 * 60))
        );
    }

    #[test]
    fn backoff_stays_within_the_doubling_ceiling_and_the_cap() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        for retry in 0..40 {
            let ceiling = Duration::from_millis(100 * 2_u64.saturating_pow(retry))
                .min(Duration::from_secs(1));
            for _ in 0..50 {
                assert!(policy.backoff(retry) <= ceiling, "retry {retry}");
            }
        }
        // Full jitter: the waits spread over the range rather than sitting at the ceiling.
        let waits: Vec<Duration> = (0..200).map(|_| policy.backoff(10)).collect();
        assert!(waits.iter().any(|w| *w < Duration::from_millis(500)));
        assert!(waits.iter().any(|w| *w > Duration::from_millis(500)));
    }

    #[test]
    fn posts_are_retried_only_when_throttled() {
        let ra = Some(Duration::from_secs(1));
        assert_eq!(judge(&Method::POST, Some(429), ra), Verdict::Retry(ra));
        for status in [Some(500), Some(502), Some(503), Some(504), None] {
            assert_eq!(
                judge(&Method::POST, status, ra),
                Verdict::Unknown,
                "{status:?}"
            );
        }
        assert_eq!(judge(&Method::POST, Some(400), ra), Verdict::Fail);
        assert_eq!(judge(&Method::POST, Some(201), ra), Verdict::Success);
        for method in [Method::GET, Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(judge(&method, Some(503), ra), Verdict::Retry(ra));
            assert_eq!(judge(&method, Some(500), ra), Verdict::Retry(None));
            assert_eq!(judge(&method, None, None), Verdict::Retry(None));
            assert_eq!(judge(&method, Some(404), None), Verdict::Fail);
            assert_eq!(judge(&method, Some(501), None), Verdict::Fail);
            assert_eq!(judge(&method, Some(307), None), Verdict::Fail);
        }
    }

    #[test]
    fn the_clock_stops_at_the_attempt_cap_and_before_passing_the_budget() {
        let policy = RetryPolicy {
            max_attempts: 3,
            budget: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let mut clock = RetryClock::new(&policy);
        assert_eq!(
            clock.next_wait(Some(Duration::from_secs(4))),
            Some(Duration::from_secs(4))
        );
        assert_eq!(clock.next_wait(Some(Duration::from_secs(7))), None);
        assert_eq!(
            clock.next_wait(Some(Duration::from_secs(6))),
            Some(Duration::from_secs(6))
        );
        assert_eq!(clock.next_wait(Some(Duration::ZERO)), None);
        assert_eq!((clock.retries, clock.waited), (2, Duration::from_secs(10)));
    }

    #[test]
    fn time_spent_waiting_for_other_requests_counts_against_the_budget() {
        let policy = RetryPolicy {
            budget: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let mut clock = RetryClock::new(&policy);
        // As if the request had queued behind other requests' pauses for 9 s.
        clock.started -= Duration::from_secs(9);
        assert_eq!(clock.next_wait(Some(Duration::from_secs(2))), None);
        assert_eq!(
            clock.next_wait(Some(Duration::from_millis(500))),
            Some(Duration::from_millis(500))
        );
        assert!(clock.spent() >= Duration::from_secs(9));
    }
}
