//! End-to-end tests: the `ciamctl` binary run as a user runs it, plus the repository-wide
//! "tidy" rules. One test binary for the whole CLI (matklad: fewer links, faster builds).

// Test helpers run only inside tests, where a failed unwrap is a failed test; clippy's
// `allow-unwrap-in-tests` covers `#[test]` functions but not the helpers they call.
#![allow(clippy::unwrap_used)]

mod apply;
mod cli;
mod emulator;
mod export;
mod live;
mod plan;
mod scenarios;
mod schema;
mod tidy;
mod validate;
