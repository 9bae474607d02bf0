//! Reads the live tenant a configuration manages.
//!
//! - `scope`: what a configuration names that is not read whole (applications, assets).
//! - `permissions`: the Graph permission each kind needs, for `doctor` and for naming the
//!   missing one on a 403.

pub mod permissions;
pub mod scope;

pub use crate::permissions::Kind;
pub use crate::scope::Scope;
