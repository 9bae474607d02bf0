//! Request counts: `GET /_emulator/stats` and [`crate::Emulator::stats`].
//!
//! They count what the journal records, so a client test can assert how a client talks to
//! Graph ("at most 3 round trips and 12 HTTP requests", "retried the throttled item once")
//! without a journal file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Counts since the emulator started or was last reset. `/_emulator/*` requests are not
/// counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Stats {
    /// HTTP requests to Graph (`/v1.0`, `/beta`, `$batch` included) and to the token endpoint:
    /// the round trips clients made.
    pub http_requests: u64,
    /// HTTP requests to the token endpoint.
    pub token_requests: u64,
    /// The longest chain of those HTTP requests in which each arrived after the one before it
    /// was answered: the round trips a client made one after another, whatever it sent beside
    /// them. Requests sent together overlap once the `Latency` fault holds their answers back;
    /// without it, requests queued behind each other may count as a chain. A later client run
    /// continues the chain, so the difference of two snapshots is the runs' between them.
    pub sequential_round_trips: u64,
    /// HTTP requests to `$batch`.
    pub batch_requests: u64,
    /// Requests inside those batches.
    pub batch_items: u64,
    /// Journal entries (every HTTP request above and every batch item) by method.
    pub by_method: BTreeMap<String, u64>,
    /// Journal entries by status; dropped connections have none.
    pub by_status: BTreeMap<u16, u64>,
    /// Graph calls (requests and batch items) answered 429, whatever the reason.
    pub throttled: u64,
    /// Connections closed without a response.
    pub dropped_connections: u64,
    /// Injected faults by name (`Throttle429`, `ServerError503`, ...; see the crate docs).
    pub faults_injected: BTreeMap<String, u64>,
}
