//! Reads the live tenant a configuration manages.
//!
//! - `scope`: what a configuration names that is not read whole (applications, assets).
//! - `fetch`: the rounds of Graph requests that build a `LiveTenant`, failing closed per kind,
//!   and for an export one more that downloads every branding stream's bytes; `round` sends
//!   one round and follows its collections' pages.
//! - `permissions`: the Graph permission each kind needs, for `doctor` and for naming the
//!   missing one on a 403.

mod fetch;
pub mod permissions;
mod round;
pub mod scope;

pub use crate::fetch::{StreamBytes, read_streams, read_tenant};
pub use crate::scope::Scope;
