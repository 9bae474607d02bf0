//! The run: the plan's steps in rounds, as their dependencies allow.
//!
//! Each round sends every step whose dependencies have succeeded, in one
//! [`GraphClient::send_round`] (so in `$batch` chunks, concurrently within the client's bound),
//! and waits for all of them: a step never starts before the steps it depends on have
//! succeeded, and what is in flight when a step fails finishes. Then:
//!
//! - a success records the id the step created, for the `{{N.id}}` references of later steps;
//! - a create with an unknown outcome is looked up before it is sent again (see
//!   [`crate::lookup`]), at most [`Options::create_attempts`] times in all;
//! - a 404 on a request that names an object this run created is sent again after a backoff,
//!   at most [`Options::not_found_retries`] times: Graph replicates new objects with a lag;
//! - a 404 on a DELETE means the object (or link) is already gone, which is what was wanted;
//! - any other error fails the step and its change: the change's other steps that have not
//!   started, and every step that depends on a failed or skipped step, are skipped.
//!
//! Retries of throttled, failed or dropped requests that are safe to resend (reads, PUT,
//! PATCH, DELETE) are the client's ([`ciamctl_graph::RetryPolicy`]).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use ciamctl_graph::{GraphClient, GraphError, Method, Request, Response};
use ciamctl_plan::{Change, Plan};
use serde_json::Value;

use crate::lookup::Lookup;
use crate::prepare::{Payload, Prepared, Step, fill_value};
use crate::report::{ChangeReport, ChangeResult, Report, StepFailure};

/// How hard the run tries before it reports a step failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Sends of one create whose outcome stayed unknown, the first one included; each resend
    /// follows a lookup that did not find the object.
    pub create_attempts: u32,
    /// Resends of a request that got 404 for an object this run created.
    pub not_found_retries: u32,
    /// The first wait before such a resend; each later one doubles it.
    pub not_found_delay: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            create_attempts: 4,
            // 0.5 + 1 + 2 + 4 + 8 + 16 s: about half a minute, the order of Graph's
            // replication lag.
            not_found_retries: 6,
            not_found_delay: Duration::from_millis(500),
        }
    }
}

/// Hears about each change as the run starts and finishes it (progress bars, CI lines). Called
/// from the task running the plan, between rounds.
pub trait Progress {
    /// The first request of `change` is about to be sent.
    fn started(&self, change: &Change) {
        let _ = change;
    }

    /// `change` is over: every step applied, or failed, or skipped.
    fn finished(&self, change: &Change, report: &ChangeReport) {
        let _ = (change, report);
    }
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Sends the `prepared` steps of `plan` through `client` and says what became of each change.
/// It never stops half-way on a failure: everything that does not depend on it is applied.
pub async fn apply(
    client: &GraphClient,
    plan: &Plan,
    prepared: Prepared,
    options: &Options,
    progress: &dyn Progress,
) -> Report {
    let started = Instant::now();
    let before = client.stats();
    let mut run = Run::new(plan, prepared.steps);
    loop {
        run.settle(progress);
        let now = Instant::now();
        let ready = run.ready(now);
        if ready.is_empty() {
            match run.next_wake() {
                Some(at) => {
                    tokio::time::sleep_until(at.into()).await;
                    continue;
                }
                None => break,
            }
        }
        run.round(client, &ready, options, progress).await;
    }
    run.fail_stuck();
    run.settle(progress);
    Report {
        changes: run.reports,
        stats: client.stats().since(&before),
        elapsed: started.elapsed(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Waiting,
    /// Applied; the id of the object it created, if it created one.
    Done(Option<String>),
    Failed,
    Skipped,
}

struct Run<'p> {
    plan: &'p Plan,
    steps: Vec<Step>,
    states: Vec<State>,
    /// Step number to index in `steps`.
    index: BTreeMap<u32, usize>,
    /// Sends so far (for creates) and 404 resends so far.
    sends: Vec<u32>,
    not_found: Vec<u32>,
    /// The step's create may have been committed: look it up this way before sending it again.
    look_up: Vec<Option<Lookup>>,
    not_before: Vec<Option<Instant>>,
    failures: Vec<Vec<StepFailure>>,
    notes: Vec<Vec<String>>,
    change_started: Vec<Option<Instant>>,
    change_over: Vec<bool>,
    reports: Vec<ChangeReport>,
}

impl<'p> Run<'p> {
    fn new(plan: &'p Plan, steps: Vec<Step>) -> Self {
        let count = steps.len();
        let changes = plan.changes.len();
        Self {
            plan,
            index: steps
                .iter()
                .enumerate()
                .map(|(i, step)| (step.number, i))
                .collect(),
            steps,
            states: vec![State::Waiting; count],
            sends: vec![0; count],
            not_found: vec![0; count],
            look_up: vec![None; count],
            not_before: vec![None; count],
            failures: vec![Vec::new(); changes],
            notes: vec![Vec::new(); changes],
            change_started: vec![None; changes],
            change_over: vec![false; changes],
            reports: Vec::new(),
        }
    }

    fn state_of(&self, number: u32) -> Option<&State> {
        self.index.get(&number).map(|&i| &self.states[i])
    }

    /// Skips what can no longer run and reports the changes that are over.
    fn settle(&mut self, progress: &dyn Progress) {
        loop {
            let blocked: Vec<usize> = (0..self.steps.len())
                .filter(|&i| self.states[i] == State::Waiting && self.blocked(i))
                .collect();
            if blocked.is_empty() {
                break;
            }
            for i in blocked {
                self.states[i] = State::Skipped;
            }
        }
        for change in 0..self.plan.changes.len() {
            if self.change_over[change] {
                continue;
            }
            let mut steps = self
                .steps
                .iter()
                .zip(&self.states)
                .filter(|(s, _)| s.change == change);
            if steps.any(|(_, state)| *state == State::Waiting) {
                continue;
            }
            self.change_over[change] = true;
            let report = self.report(change);
            progress.finished(&self.plan.changes[change], &report);
            self.reports.push(report);
        }
    }

    /// Step `i` cannot run: its change failed, or a step it depends on failed or was skipped.
    fn blocked(&self, i: usize) -> bool {
        let step = &self.steps[i];
        !self.failures[step.change].is_empty()
            || step.depends_on.iter().any(|&number| {
                matches!(
                    self.state_of(number),
                    Some(State::Failed | State::Skipped) | None
                )
            })
    }

    fn report(&self, change: usize) -> ChangeReport {
        let plan_change = &self.plan.changes[change];
        let own: Vec<usize> = (0..self.steps.len())
            .filter(|&i| self.steps[i].change == change)
            .collect();
        let result = if !self.failures[change].is_empty() {
            ChangeResult::Failed(self.failures[change].clone())
        } else if own
            .iter()
            .all(|&i| matches!(self.states[i], State::Done(_)))
        {
            ChangeResult::Applied
        } else {
            let waited_for: BTreeSet<u32> = own
                .iter()
                .filter(|&&i| self.states[i] == State::Skipped)
                .flat_map(|&i| &self.steps[i].depends_on)
                .filter_map(|number| self.index.get(number))
                .filter(|&&d| matches!(self.states[d], State::Failed | State::Skipped))
                .map(|&d| self.plan.changes[self.steps[d].change].id)
                .filter(|&id| id != plan_change.id)
                .collect();
            ChangeResult::Skipped {
                waited_for: waited_for.into_iter().collect(),
                applied_steps: own
                    .iter()
                    .filter(|&&i| matches!(self.states[i], State::Done(_)))
                    .count(),
            }
        };
        ChangeReport {
            id: plan_change.id,
            action: plan_change.action,
            kind: plan_change.kind,
            name: plan_change.name.clone(),
            result,
            elapsed: self.change_started[change].map(|t| t.elapsed()),
            notes: self.notes[change].clone(),
        }
    }

    /// Fails the steps still waiting once nothing is ready or backing off: each waits for
    /// another waiting step, so their dependencies form a cycle (a plan the planner would not
    /// make). Without this their changes would be missing from the report, which would then
    /// read as a success.
    fn fail_stuck(&mut self) {
        let stuck: Vec<(usize, String)> = (0..self.steps.len())
            .filter(|&i| self.states[i] == State::Waiting)
            .map(|i| {
                let waits_for: Vec<String> = self.steps[i]
                    .depends_on
                    .iter()
                    .filter(|&&number| self.state_of(number) == Some(&State::Waiting))
                    .map(u32::to_string)
                    .collect();
                (
                    i,
                    format!(
                        "was never sent: it waits for step {}, which waits for it in turn; the \
                         plan file is damaged, make a new plan",
                        waits_for.join(", ")
                    ),
                )
            })
            .collect();
        for (i, reason) in stuck {
            self.fail(i, reason);
        }
    }

    /// The steps that may go out now.
    fn ready(&self, now: Instant) -> Vec<usize> {
        (0..self.steps.len())
            .filter(|&i| {
                self.states[i] == State::Waiting
                    && self.not_before[i].is_none_or(|at| at <= now)
                    && self.steps[i]
                        .depends_on
                        .iter()
                        .all(|&number| matches!(self.state_of(number), Some(State::Done(_))))
            })
            .collect()
    }

    /// When the earliest step waiting out a backoff may go; `None` when nothing waits.
    fn next_wake(&self) -> Option<Instant> {
        (0..self.steps.len())
            .filter(|&i| self.states[i] == State::Waiting)
            .filter_map(|i| self.not_before[i])
            .min()
    }

    /// The id step `number` created.
    fn created(&self, number: u32) -> Option<&str> {
        match self.state_of(number) {
            Some(State::Done(Some(id))) => Some(id),
            _ => None,
        }
    }

    /// Step `i` as a request, with the ids of earlier steps filled in.
    fn request(&self, i: usize) -> Result<Request, u32> {
        let step = &self.steps[i];
        let path = ciamctl_plan::fill_ids(&step.path, |n| self.created(n))?;
        let mut request = Request::new(step.method.clone(), &path).version(step.version);
        for (name, value) in &step.headers {
            request = request.header(name, value);
        }
        match &step.body {
            Some(Payload::Json(body)) => {
                request = request.json(fill_value(body, &|n| self.created(n))?);
            }
            Some(Payload::Bytes { content_type, data }) => {
                request = request.bytes(content_type, data.clone());
            }
            None => {}
        }
        Ok(request)
    }

    /// How to find what step `i` (a create) made, by its natural key.
    fn lookup(&self, i: usize) -> Option<Lookup> {
        let step = &self.steps[i];
        let path = ciamctl_plan::fill_ids(&step.path, |n| self.created(n)).ok()?;
        let body = match &step.body {
            Some(Payload::Json(body)) => Some(fill_value(body, &|n| self.created(n)).ok()?),
            _ => None,
        };
        Lookup::of(&step.method, step.version, &path, body.as_ref())
    }

    async fn round(
        &mut self,
        client: &GraphClient,
        ready: &[usize],
        options: &Options,
        progress: &dyn Progress,
    ) {
        let now = Instant::now();
        for &i in ready {
            let change = self.steps[i].change;
            if self.change_started[change].is_none() {
                self.change_started[change] = Some(now);
                progress.started(&self.plan.changes[change]);
            }
        }
        let mut sends = Vec::new();
        let mut lookups = Vec::new();
        for &i in ready {
            match self.request(i) {
                Err(missing) => self.fail(
                    i,
                    format!("step {missing} gave no id for this request to refer to"),
                ),
                Ok(request) => match self.look_up[i].take() {
                    Some(lookup) => lookups.push((i, request, lookup)),
                    None => sends.push((i, request)),
                },
            }
        }
        if !lookups.is_empty() {
            let reads = lookups
                .iter()
                .map(|(_, _, lookup)| lookup.request())
                .collect();
            let answers = client.collect(reads).await;
            for ((i, request, lookup), answer) in lookups.into_iter().zip(answers) {
                match answer {
                    Ok(items) => match lookup.find(&items) {
                        Some(found) => {
                            let id = found.get("id").and_then(Value::as_str).map(str::to_owned);
                            self.note(
                                i,
                                format!(
                                    "{} ended without a success answer, yet what it creates \
                                     is in the tenant: it was applied, and was not sent again",
                                    request.describe()
                                ),
                            );
                            self.states[i] = State::Done(id);
                        }
                        None => self.resend(i, request, options, &mut sends),
                    },
                    Err(error) if lookup.is_empty_answer(&error) => {
                        self.resend(i, request, options, &mut sends);
                    }
                    Err(error) => self.fail(i, reason(&error)),
                }
            }
        }
        if sends.is_empty() {
            return;
        }
        let (indexes, requests): (Vec<usize>, Vec<Request>) = sends.into_iter().unzip();
        let answers = client.send_round(requests).await;
        for (i, answer) in indexes.into_iter().zip(answers) {
            self.answer(i, answer, options);
        }
    }

    fn answer(&mut self, i: usize, answer: Result<Response, GraphError>, options: &Options) {
        let method = self.steps[i].method.clone();
        if method == Method::POST {
            self.sends[i] += 1;
        }
        match answer {
            Ok(response) => {
                let id = (method == Method::POST)
                    .then(|| response.value().ok())
                    .flatten()
                    .and_then(|body| body.get("id").and_then(Value::as_str).map(str::to_owned));
                self.states[i] = State::Done(id);
            }
            Err(error) if error.is_outcome_unknown() => {
                // Sent again only after a lookup by its natural key; a create without one is
                // not sent again at all, as it could be a duplicate, nor is a PATCH, PUT or
                // DELETE (the client resent it as far as it safely could). The last attempt is
                // looked up too, so that a create Graph committed is reported applied.
                match self.lookup(i) {
                    Some(lookup) => self.look_up[i] = Some(lookup),
                    None => self.fail(i, reason(&error)),
                }
            }
            Err(error) if error.is_not_found() && method == Method::DELETE => {
                let target = error
                    .failure()
                    .map_or_else(String::new, |f| format!("{} {}", f.method, f.path));
                self.note(i, format!("{target}: already gone"));
                self.states[i] = State::Done(None);
            }
            Err(error)
                if error.is_not_found()
                    && self.steps[i].uses_created
                    && self.not_found[i] < options.not_found_retries =>
            {
                let wait = options
                    .not_found_delay
                    .saturating_mul(1 << self.not_found[i].min(16));
                self.not_found[i] += 1;
                tracing::debug!(step = self.steps[i].number, ?wait, "404 on a new object");
                self.not_before[i] = Some(Instant::now() + wait);
            }
            Err(error) => self.fail(i, reason(&error)),
        }
    }

    /// A create whose lookup did not find it goes out again, unless it has had all its
    /// attempts.
    fn resend(
        &mut self,
        i: usize,
        request: Request,
        options: &Options,
        sends: &mut Vec<(usize, Request)>,
    ) {
        if self.sends[i] < options.create_attempts {
            sends.push((i, request));
        } else {
            self.fail(
                i,
                format!(
                    "{} was sent {} times without a success answer, and what it creates is not \
                     in the tenant; it is not sent again",
                    request.describe(),
                    self.sends[i]
                ),
            );
        }
    }

    /// Step `i` failed, for `reason` (Graph's error, as [`reason`] words it).
    fn fail(&mut self, i: usize, reason: String) {
        self.states[i] = State::Failed;
        self.failures[self.steps[i].change].push(StepFailure {
            step: self.steps[i].number,
            error: reason,
        });
    }

    fn note(&mut self, i: usize, note: String) {
        self.notes[self.steps[i].change].push(note);
    }
}

/// Graph's error as [`GraphError`] words it, and for a 403 the permission the app lacks.
fn reason(error: &GraphError) -> String {
    match ciamctl_tenant::permissions::forbidden_hint(error) {
        Some(hint) => format!("{error}; {hint}"),
        None => error.to_string(),
    }
}
