//! Emulators whose test token holds only some application permissions, for the 403 checks.

use ciamctl_emulator::{Client, EmulatorConfig};

use super::TestEmulator;

const LIMITED_CLIENT: &str = "7c1d9e20-5b4a-4c3d-9e8f-0a1b2c3d4e5f";
const LIMITED_SECRET: &str = "limited-secret";

/// An emulator whose `token` belongs to a second registered client that holds only `roles`.
pub async fn with_roles(roles: &[&str]) -> TestEmulator {
    let mut config = EmulatorConfig::default();
    config
        .auth
        .clients
        .push(Client::with_secret(LIMITED_CLIENT, LIMITED_SECRET, roles));
    let mut t = TestEmulator::start_with(config).await;
    t.token = t.token_for(LIMITED_CLIENT, LIMITED_SECRET).await;
    t
}

/// Asserts the answer is Graph's 403 for missing permissions.
#[track_caller]
pub fn assert_denied(resp: &super::Resp) {
    assert_eq!(resp.status, 403, "{}", resp.json);
    assert_eq!(resp.error_code(), "Authorization_RequestDenied");
}
