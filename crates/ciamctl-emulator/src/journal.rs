//! The request journal (`--journal FILE`, format in the crate docs' "Journal" section) and the
//! counts behind `/_emulator/stats`. Both see the same [`Entry`] for every HTTP request and
//! every batch item, so they cannot disagree.

use std::io::Write as _;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use http::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::faults::Fault;
use crate::request::{ApiVersion, GraphRequest};
use crate::stats::Stats;

/// What kind of request an entry is, for the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An HTTP request to `/v1.0` or `/beta` other than `$batch`.
    Graph,
    /// An HTTP request to `$batch`.
    Batch,
    /// One request inside a `$batch`.
    BatchItem,
    /// An HTTP request to the token endpoint.
    Token,
}

/// A batch item's reference to its batch.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BatchRef {
    pub(crate) request_id: String,
    pub(crate) id: String,
}

/// One journal line.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Entry {
    #[serde(skip)]
    kind: Kind,
    time: String,
    request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_request_id: Option<String>,
    method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<ApiVersion>,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    form: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fault: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<BatchRef>,
}

impl Entry {
    /// The entry of a Graph request (`Graph`, `Batch` or `BatchItem`), arriving now.
    pub(crate) fn graph(req: &GraphRequest, kind: Kind, batch: Option<BatchRef>) -> Self {
        let (body, body_length) = if req.body.is_empty() {
            (None, None)
        } else {
            match serde_json::from_slice::<Value>(&req.body) {
                Ok(mut value) => {
                    crate::redact::mask_secrets(&mut value);
                    (Some(value), None)
                }
                Err(_) => (None, Some(req.body.len())),
            }
        };
        Self {
            kind,
            time: now(),
            request_id: req.request_id.clone(),
            client_request_id: req.header("client-request-id").map(str::to_owned),
            method: req.method.to_string(),
            version: Some(req.version),
            path: req.path(),
            query: (!req.raw_query.is_empty()).then(|| req.raw_query.clone()),
            status: None,
            body,
            body_length,
            form: None,
            fault: None,
            batch,
        }
    }

    /// The entry of a token request to `path`, arriving now; only the form's field names are
    /// kept.
    pub(crate) fn token(
        method: &http::Method,
        path: &str,
        request_id: &str,
        form: &[(String, String)],
    ) -> Self {
        Self {
            kind: Kind::Token,
            time: now(),
            request_id: request_id.to_owned(),
            client_request_id: None,
            method: method.to_string(),
            version: None,
            path: path.to_owned(),
            query: None,
            status: None,
            body: None,
            body_length: None,
            form: Some(form.iter().map(|(name, _)| name.clone()).collect()),
            fault: None,
            batch: None,
        }
    }

    /// Records the answer: its status (`None` for a dropped connection) and the fault injected.
    pub(crate) fn answered(&mut self, status: Option<StatusCode>, fault: Option<Fault>) {
        self.status = status.map(|s| s.as_u16());
        self.fault = fault.map(Fault::name);
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, now.
fn now() -> String {
    let time = SystemTime::now();
    let millis = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_millis());
    format!("{}.{millis:03}Z", crate::odata::utc_timestamp(time))
}

/// The journal file (when there is one) and the counts.
#[derive(Debug)]
pub(crate) struct Recorder {
    journal: Option<Mutex<std::fs::File>>,
    counts: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    stats: Stats,
    /// The deepest place in a chain of sequential requests (see
    /// [`Stats::sequential_round_trips`]) among the requests answered so far.
    answered_depth: u64,
    /// Bumped by a reset, so a request that arrived before it does not count after it.
    epoch: u64,
}

/// An HTTP request between its arrival and its answer (the guard dropping).
#[derive(Debug)]
pub(crate) struct InFlight<'a> {
    recorder: &'a Recorder,
    depth: u64,
    epoch: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut counts = lock(&self.recorder.counts);
        if counts.epoch == self.epoch {
            counts.answered_depth = counts.answered_depth.max(self.depth);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Counters and an append-only file are consistent after any panic.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Recorder {
    /// A recorder appending to the journal at `path`, if any (created with mode 0600 on Unix:
    /// it shows the tenant's data).
    pub(crate) fn open(path: Option<&Path>) -> std::io::Result<Self> {
        let journal = match path {
            Some(path) => {
                let mut options = std::fs::OpenOptions::new();
                options.create(true).append(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                Some(Mutex::new(options.open(path)?))
            }
            None => None,
        };
        Ok(Self {
            journal,
            counts: Mutex::new(Counts::default()),
        })
    }

    /// Counts `entry` and appends it to the journal.
    pub(crate) fn record(&self, entry: &Entry) {
        self.count(entry);
        if let Some(journal) = &self.journal {
            let mut line = match serde_json::to_vec(entry) {
                Ok(line) => line,
                Err(err) => {
                    tracing::warn!("cannot write a journal entry: {err}");
                    return;
                }
            };
            line.push(b'\n');
            // One write per line, so concurrent lines never interleave.
            if let Err(err) = lock(journal).write_all(&line) {
                tracing::warn!("cannot write to the journal: {err}");
            }
        }
    }

    /// An HTTP request to Graph or the token endpoint arrived: it comes after every request
    /// answered so far. Hold the guard until the answer is ready.
    pub(crate) fn arrived(&self) -> InFlight<'_> {
        let mut counts = lock(&self.counts);
        let depth = counts.answered_depth + 1;
        let stats = &mut counts.stats;
        stats.sequential_round_trips = stats.sequential_round_trips.max(depth);
        InFlight {
            recorder: self,
            depth,
            epoch: counts.epoch,
        }
    }

    fn count(&self, entry: &Entry) {
        let mut counts = lock(&self.counts);
        let stats = &mut counts.stats;
        match entry.kind {
            Kind::Graph => stats.http_requests += 1,
            Kind::Batch => {
                stats.http_requests += 1;
                stats.batch_requests += 1;
            }
            Kind::BatchItem => stats.batch_items += 1,
            Kind::Token => {
                stats.http_requests += 1;
                stats.token_requests += 1;
            }
        }
        *stats.by_method.entry(entry.method.clone()).or_default() += 1;
        match entry.status {
            Some(status) => *stats.by_status.entry(status).or_default() += 1,
            None => stats.dropped_connections += 1,
        }
        if entry.status == Some(StatusCode::TOO_MANY_REQUESTS.as_u16()) && entry.kind != Kind::Token
        {
            stats.throttled += 1;
        }
        if let Some(fault) = entry.fault {
            *stats.faults_injected.entry(fault.to_owned()).or_default() += 1;
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        lock(&self.counts).stats.clone()
    }

    /// Zeroes the counts. The journal file is a log and keeps its lines.
    pub(crate) fn reset(&self) {
        let mut counts = lock(&self.counts);
        *counts = Counts {
            epoch: counts.epoch + 1,
            ..Counts::default()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::Recorder;

    #[test]
    fn a_request_answered_after_a_reset_does_not_lengthen_the_chain_that_follows_it() {
        let recorder = Recorder::open(None).unwrap();
        drop(recorder.arrived());
        let in_flight = recorder.arrived();
        recorder.reset();
        drop(in_flight);
        let _after = recorder.arrived();
        assert_eq!(recorder.stats().sequential_round_trips, 1);
    }
}
