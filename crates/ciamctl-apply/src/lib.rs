//! The applier: executes a [`Plan`] against Microsoft Graph.
//!
//! - [`prepare`] turns the plan's requests into ones ready to send, before anything is sent:
//!   every secret slot read from its `${env:…}`/`${file:…}` source, every asset file read and
//!   checked against the digest the plan recorded, `$ref` bodies pointed at the client's Graph
//!   root. A missing secret or a changed file stops the run with nothing applied.
//! - [`apply`] walks the plan's step graph in rounds: every step whose dependencies succeeded
//!   goes out in the same round, so independent changes run concurrently within the client's
//!   concurrency bound and share `$batch` requests. A failed step fails its change; the steps
//!   that depend on it are skipped, independent ones carry on. A create whose outcome is
//!   unknown (a 5xx or a dropped connection after Graph may have committed it) is looked up by
//!   its natural key before it is sent again, so no object is ever created twice; a 404 on an
//!   object this run created is retried with backoff (Graph's replication lag).
//! - [`stale`] decides whether a saved plan still applies, by comparing it with a plan made
//!   now from the same configuration and tenant.
//! - [`report`] is the outcome for people: one line per change, the failures with Graph's
//!   error, what was skipped and why, and what it cost in requests.
//!
//! Re-reading the tenant and planning again after the run (the convergence check) is the
//! caller's: it owns the reader and the planner.

mod execute;
mod lookup;
mod prepare;
pub mod report;
pub mod stale;

pub use crate::execute::{Options, Progress, Silent, apply};
pub use crate::prepare::{PrepareError, Prepared, prepare};
pub use crate::report::{ChangeReport, ChangeResult, Report, StepFailure};

use ciamctl_plan::Plan;

#[cfg(test)]
mod tests;

/// The change `id` of `plan`, as people read it: `create user flow "Woodgrove customers"`.
pub fn describe(plan: &Plan, id: u32) -> String {
    plan.changes
        .iter()
        .find(|change| change.id == id)
        .map_or_else(
            || format!("change {id}"),
            |change| {
                format!(
                    "{} {} \"{}\"",
                    change.action.name(),
                    change.kind.noun(),
                    change.name
                )
            },
        )
}
