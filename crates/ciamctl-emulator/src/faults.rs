//! Injected faults: the decisions behind the crate docs' "Faults" section. [`Injector`] holds
//! the settings, the one seeded generator, the throttle window and the creation times the
//! eventual-consistency fault needs; [`crate::call`] asks it what to do with each call.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use http::Method;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::config::Faults;
use crate::request::GraphRequest;

/// What a fault did to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// `Throttle429`: over the budget.
    Throttle429,
    /// `ServerError5xx`: 503 with `Retry-After`, not handled.
    ServerError503,
    /// `ServerError5xx`: 500, not handled.
    ServerError500,
    /// `ServerError5xx`: connection closed without a response, not handled.
    ConnectionDropped,
    /// `CommitThenFail`: applied, then 503.
    CommitThen503,
    /// `CommitThenFail`: applied, then the connection closed without a response.
    CommitThenDrop,
    /// `EventualConsistency404`: created too recently to be read back.
    EventualConsistency404,
    /// `IgnoredPatch`: answered as applied, not applied.
    IgnoredPatch,
}

impl Fault {
    /// The name in the journal, the stats and the docs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Fault::Throttle429 => "Throttle429",
            Fault::ServerError503 => "ServerError503",
            Fault::ServerError500 => "ServerError500",
            Fault::ConnectionDropped => "ConnectionDropped",
            Fault::CommitThen503 => "CommitThen503",
            Fault::CommitThenDrop => "CommitThenDrop",
            Fault::EventualConsistency404 => "EventualConsistency404",
            Fault::IgnoredPatch => "IgnoredPatch",
        }
    }
}

/// The decisions for one Graph call, taken when it arrives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Arrival {
    /// Over the budget: answer 429 with this `Retry-After`, in seconds.
    pub(crate) throttled: Option<f64>,
    /// Fail instead of handling the call.
    pub(crate) failure: Option<Fault>,
    /// Fail after the call, if it is a write that succeeded.
    pub(crate) after_commit: Option<Fault>,
    /// The call reads (or, with `consistency_writes`, writes to) an object created less than
    /// `consistency_delay_ms` ago.
    pub(crate) not_yet_visible: bool,
    /// A PATCH to answer as applied without applying it.
    pub(crate) ignored: bool,
}

/// The fault settings and everything their decisions depend on.
#[derive(Debug)]
pub(crate) struct Injector {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    faults: Faults,
    rng: StdRng,
    /// Arrival times of the Graph calls in the current throttle window, oldest first.
    window: VecDeque<Instant>,
    /// Lower-cased paths of recently created objects, oldest first, with their creation time.
    created: VecDeque<(String, Instant)>,
}

impl State {
    fn new(faults: Faults) -> Self {
        Self {
            rng: StdRng::seed_from_u64(faults.seed),
            faults,
            window: VecDeque::new(),
            created: VecDeque::new(),
        }
    }

    /// Counts a call against the budget; `Some(retry_after)` when it is over.
    fn throttle(&mut self, now: Instant) -> Option<f64> {
        let throttle = self.faults.throttle?;
        let window = Duration::from_secs_f64(throttle.window_secs);
        while self
            .window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            self.window.pop_front();
        }
        self.window.push_back(now);
        let budget = usize::try_from(throttle.requests).unwrap_or(usize::MAX);
        let over = self.window.len().checked_sub(budget).filter(|n| *n > 0)?;
        // A later call fits once the window holds fewer than `budget` calls, that is once
        // `over + 1` of the calls in it (this one included, as throttled calls count) have left
        // it; the last of those to leave is at index `over`.
        let frees_at = self.window[over] + window;
        Some(frees_at.duration_since(now).as_secs_f64())
    }

    /// One roll: `Some` of the kind drawn with probability `rate`. Always draws twice.
    fn roll(&mut self, rate: f64, kinds: &[Fault]) -> Option<Fault> {
        let hit = self.rng.random::<f64>() < rate;
        let kind = kinds[self.rng.random_range(0..kinds.len())];
        hit.then_some(kind)
    }

    fn not_yet_visible(&mut self, req: &GraphRequest, now: Instant) -> bool {
        let delay = Duration::from_millis(self.faults.consistency_delay_ms);
        while self
            .created
            .front()
            .is_some_and(|(_, t)| now.duration_since(*t) >= delay)
        {
            self.created.pop_front();
        }
        let path = req.path().to_ascii_lowercase();
        if req.method == Method::GET {
            self.created.iter().any(|(p, _)| *p == path)
        } else {
            self.faults.consistency_writes
                && self.created.iter().any(|(p, _)| {
                    path.strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
        }
    }
}

impl Injector {
    pub(crate) fn new(faults: Faults) -> Self {
        Self {
            state: Mutex::new(State::new(faults)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update leaves the state consistent, so a panic elsewhere cannot corrupt it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    /// New settings, applied as if the emulator had started with them: the generator is
    /// reseeded and the throttle window and creation times are forgotten.
    pub(crate) fn set(&self, faults: Faults) {
        *self.lock() = State::new(faults);
    }

    /// Back to the start: the same settings with a reseeded generator.
    pub(crate) fn reset(&self) {
        let faults = self.faults();
        self.set(faults);
    }

    pub(crate) fn latency(&self) -> Duration {
        Duration::from_millis(self.lock().faults.latency_ms)
    }

    /// The decisions for a Graph call arriving now. `own_connection` is false for `$batch`
    /// items, which share their batch's connection and so cannot have it dropped.
    pub(crate) fn arrive(&self, req: &GraphRequest, own_connection: bool) -> Arrival {
        let mut state = self.lock();
        // Taken under the lock, so the throttle window stays in arrival order.
        let now = Instant::now();
        let (failures, after_commit): (&[Fault], &[Fault]) = if own_connection {
            (
                &[
                    Fault::ServerError503,
                    Fault::ServerError500,
                    Fault::ConnectionDropped,
                ],
                &[Fault::CommitThen503, Fault::CommitThenDrop],
            )
        } else {
            (
                &[Fault::ServerError503, Fault::ServerError500],
                &[Fault::CommitThen503],
            )
        };
        let fail_rate = state.faults.fail_rate;
        let commit_rate = state.faults.commit_then_fail_rate;
        let failure = state.roll(fail_rate, failures);
        let after_commit = state.roll(commit_rate, after_commit);
        // Drawn only when the fault is on, so the other faults' draws for a seed stay as they
        // were before it existed.
        let ignored_rate = state.faults.ignored_patch_rate;
        let ignored = req.method == Method::PATCH
            && ignored_rate > 0.0
            && state.rng.random::<f64>() < ignored_rate;
        Arrival {
            throttled: state.throttle(now),
            failure,
            after_commit: after_commit.filter(|_| req.is_write()),
            not_yet_visible: state.not_yet_visible(req, now),
            ignored,
        }
    }

    /// The `ServerError5xx` roll for an HTTP request carrying a `$batch`, before its items run.
    pub(crate) fn arrive_batch(&self) -> Option<Fault> {
        let mut state = self.lock();
        let fail_rate = state.faults.fail_rate;
        state.roll(
            fail_rate,
            &[
                Fault::ServerError503,
                Fault::ServerError500,
                Fault::ConnectionDropped,
            ],
        )
    }

    /// Notes that a POST to `collection` created the object `id`.
    pub(crate) fn created(&self, collection: &str, id: &str) {
        let mut state = self.lock();
        if state.faults.consistency_delay_ms > 0 {
            let path = format!("{}/{id}", collection.trim_end_matches('/')).to_ascii_lowercase();
            state.created.push_back((path, Instant::now()));
        }
    }

    /// Shuffles `items` with the fault generator.
    pub(crate) fn shuffle<T>(&self, items: &mut [T]) {
        items.shuffle(&mut self.lock().rng);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Throttle;
    use crate::request::ApiVersion;

    fn get(path: &str) -> GraphRequest {
        GraphRequest::new(
            Method::GET,
            ApiVersion::V1,
            path,
            http::HeaderMap::new(),
            bytes::Bytes::new(),
            String::new(),
        )
    }

    #[test]
    fn throttle_counts_throttled_calls_and_retry_after_is_when_a_call_fits_again() {
        let mut state = State::new(Faults {
            throttle: Some(Throttle::new(2, 10.0).unwrap()),
            ..Faults::default()
        });
        let t0 = Instant::now();
        let at = |secs: f64| t0 + Duration::from_secs_f64(secs);
        assert_eq!(state.throttle(at(0.0)), None);
        assert_eq!(state.throttle(at(1.0)), None);
        // Third call at 2 s: the window holds calls at 0, 1, 2; for a later call to fit, two
        // must leave, the second of them (at 1 s) at 11 s.
        let retry = state.throttle(at(2.0)).unwrap();
        assert!((retry - 9.0).abs() < 1e-6, "{retry}");
        // A fourth call at 3 s counts too: now three must leave, the third (at 2 s) at 12 s.
        let retry = state.throttle(at(3.0)).unwrap();
        assert!((retry - 9.0).abs() < 1e-6, "{retry}");
        // Retrying before then is throttled again, and counts: the window now holds the calls
        // at 2, 3 and 11.9 s, so a later call fits once the one at 3 s has left, at 13 s...
        let retry = state.throttle(at(11.9)).unwrap();
        assert!((retry - 1.1).abs() < 1e-6, "{retry}");
        // ...and a call that waits that long gets through.
        assert_eq!(state.throttle(at(13.0)), None);
    }

    #[test]
    fn same_seed_same_decisions_whatever_the_throttle_does() {
        let faults = Faults {
            seed: 7,
            fail_rate: 0.5,
            ..Faults::default()
        };
        let throttled = Faults {
            throttle: Some(Throttle::new(1, 60.0).unwrap()),
            ..faults.clone()
        };
        let decide = |faults: Faults| {
            let injector = Injector::new(faults);
            (0..50)
                .map(|_| injector.arrive(&get("/organization"), true).failure)
                .collect::<Vec<_>>()
        };
        let plain = decide(faults.clone());
        assert_eq!(plain, decide(faults));
        assert_eq!(plain, decide(throttled));
        assert!(plain.iter().any(Option::is_some) && plain.iter().any(Option::is_none));
    }

    #[test]
    fn consistency_delay_hides_only_the_created_path_from_get() {
        let injector = Injector::new(Faults {
            consistency_delay_ms: 60_000,
            ..Faults::default()
        });
        injector.created("/identity/identityProviders", "ABC");
        assert!(
            injector
                .arrive(&get("/identity/identityProviders/abc"), true)
                .not_yet_visible
        );
        assert!(
            !injector
                .arrive(&get("/identity/identityProviders"), true)
                .not_yet_visible
        );
    }

    #[test]
    fn consistency_writes_hide_the_new_object_from_writes_to_it_and_below_it_only() {
        let request = |method: Method, path: &str| {
            GraphRequest::new(
                method,
                ApiVersion::V1,
                path,
                http::HeaderMap::new(),
                bytes::Bytes::new(),
                String::new(),
            )
        };
        let hidden = |writes: bool, method: Method, path: &str| {
            let injector = Injector::new(Faults {
                consistency_delay_ms: 60_000,
                consistency_writes: writes,
                ..Faults::default()
            });
            injector.created("/identity/authenticationEventsFlows", "F1");
            injector
                .arrive(&request(method, path), true)
                .not_yet_visible
        };
        let links =
            "/identity/authenticationEventsFlows/f1/conditions/applications/includeApplications";
        assert!(hidden(true, Method::POST, links));
        assert!(hidden(
            true,
            Method::PATCH,
            "/identity/authenticationEventsFlows/F1"
        ));
        assert!(!hidden(
            true,
            Method::PATCH,
            "/identity/authenticationEventsFlows/F10"
        ));
        assert!(!hidden(
            true,
            Method::POST,
            "/identity/authenticationEventsFlows"
        ));
        assert!(!hidden(false, Method::POST, links));
        // GETs keep their rule: the object's own path only.
        assert!(!hidden(true, Method::GET, links));
    }
}
