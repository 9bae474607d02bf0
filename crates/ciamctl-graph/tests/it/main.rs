//! Integration tests of ciamctl-graph against the in-process emulator.

mod auth;
mod client;
mod fake_endpoint;
mod hostile;
mod paging;
mod redaction;
mod retry;
mod support;
