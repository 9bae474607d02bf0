//! [`ClientStats`]: what a [`crate::GraphClient`] did, for `--verbose` output and for tests
//! that bound round trips and requests. Counters are atomics, so reading them is cheap and
//! safe from any task.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Counts since the client was built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientStats {
    /// Sequential rounds: one per `send`, per non-empty `send_round` and per page round of
    /// `collect`.
    /// Retries happen inside a round and are counted in `retries`.
    pub round_trips: u64,
    /// HTTP requests to Graph, `$batch` requests and retries included; token requests are
    /// not counted (the authenticator makes those).
    pub http_requests: u64,
    /// HTTP requests to `$batch`.
    pub batch_requests: u64,
    /// Requests sent inside those batches (an item sent again counts again).
    pub batch_items: u64,
    /// Requests and batch items sent again.
    pub retries: u64,
    /// Answers with status 429 (top-level or batch item).
    pub throttled: u64,
    /// Time spent waiting before retries, summed over requests waiting at the same time.
    pub waited: Duration,
    /// The most HTTP requests that were in flight at once; never above the concurrency.
    pub max_in_flight: u64,
}

impl ClientStats {
    /// What was done between `earlier` (a snapshot of the same client) and this snapshot;
    /// `max_in_flight` stays this snapshot's, as a peak cannot be split.
    #[must_use]
    pub fn since(&self, earlier: &ClientStats) -> ClientStats {
        ClientStats {
            round_trips: self.round_trips.saturating_sub(earlier.round_trips),
            http_requests: self.http_requests.saturating_sub(earlier.http_requests),
            batch_requests: self.batch_requests.saturating_sub(earlier.batch_requests),
            batch_items: self.batch_items.saturating_sub(earlier.batch_items),
            retries: self.retries.saturating_sub(earlier.retries),
            throttled: self.throttled.saturating_sub(earlier.throttled),
            waited: self.waited.saturating_sub(earlier.waited),
            max_in_flight: self.max_in_flight,
        }
    }
}

/// `12 HTTP requests in 3 rounds (2 $batch requests with 20 requests), 1 retry, 0 throttled,
/// 0.5 s spent waiting to retry`: what people read after a run.
impl fmt::Display for ClientStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counted =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} in {} ({} with {}), {}, {} throttled, {:.1} s spent waiting to retry",
            counted(self.http_requests, "HTTP request", "HTTP requests"),
            counted(self.round_trips, "round", "rounds"),
            counted(self.batch_requests, "$batch request", "$batch requests"),
            counted(self.batch_items, "request", "requests"),
            counted(self.retries, "retry", "retries"),
            self.throttled,
            self.waited.as_secs_f64(),
        )
    }
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) round_trips: AtomicU64,
    pub(crate) http_requests: AtomicU64,
    pub(crate) batch_requests: AtomicU64,
    pub(crate) batch_items: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) throttled: AtomicU64,
    waited_micros: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
}

impl Counters {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn add_wait(&self, wait: Duration) {
        let micros = u64::try_from(wait.as_micros()).unwrap_or(u64::MAX);
        self.waited_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// Marks one more request in flight until the guard drops.
    pub(crate) fn in_flight(&self) -> InFlight<'_> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(self)
    }

    pub(crate) fn snapshot(&self) -> ClientStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ClientStats {
            round_trips: get(&self.round_trips),
            http_requests: get(&self.http_requests),
            batch_requests: get(&self.batch_requests),
            batch_items: get(&self.batch_items),
            retries: get(&self.retries),
            throttled: get(&self.throttled),
            waited: Duration::from_micros(get(&self.waited_micros)),
            max_in_flight: get(&self.max_in_flight),
        }
    }
}

pub(crate) struct InFlight<'a>(&'a Counters);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
