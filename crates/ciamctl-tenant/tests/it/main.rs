//! Reading the live tenant from the in-process emulator: what a snapshot holds, how few
//! requests it takes, and that a failed read is never mistaken for an empty kind.

// Test support panics on anything unexpected; that is its job.
#![allow(clippy::unwrap_used)]

mod support;

mod extensions;
mod read;
