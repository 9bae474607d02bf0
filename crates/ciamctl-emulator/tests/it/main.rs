//! Integration tests of the emulator over HTTP, one module per area. Each test starts its own
//! emulator on an ephemeral port, so tests run in parallel without sharing state.

mod support;

mod auth;
mod branding;
mod csdl;
mod directory;
mod extensions;
mod flows;
mod identity_providers;
mod listeners;
mod smoke;
mod user_flow_attributes;
