//! Integration tests of the emulator over HTTP, one module per area. Each test starts its own
//! emulator on an ephemeral port, so tests run in parallel without sharing state.

mod support;

mod admin;
mod auth;
mod batch;
mod branding;
mod csdl;
mod directory;
mod extensions;
mod faults;
mod flows;
mod identity_providers;
mod journal;
mod listeners;
mod persistence;
mod quirks;
mod route_table;
mod smoke;
mod user_flow_attributes;
