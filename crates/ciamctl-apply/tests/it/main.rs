//! The applier's integration tests, one binary: plans made by the real planner against an
//! in-process emulator, applied by `ciamctl-apply`, and the tenant read back.

// Test support panics on anything unexpected; that is its job.
#![allow(clippy::unwrap_used)]

mod execute;
mod roundtrip;
mod support;
