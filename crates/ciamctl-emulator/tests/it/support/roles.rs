//! Clients that hold only some application permissions, for the 403 checks.

use ciamctl_emulator::{Client, EmulatorConfig};
use serde_json::Value;

use super::{Resp, TestEmulator};

const LIMITED_SECRET: &str = "limited-secret";

/// The client id registered for `roles`.
fn client_id(roles: &[&str]) -> String {
    format!("limited:{}", roles.join("+"))
}

/// An emulator that also registers one client per role set. Its `token` is still the default
/// client's (all permissions), so a test can set things up before it [`act_as`]es a limited one.
pub async fn with_clients(role_sets: &[&[&str]]) -> TestEmulator {
    let mut config = EmulatorConfig::default();
    for roles in role_sets {
        config.auth.clients.push(Client::with_secret(
            &client_id(roles),
            LIMITED_SECRET,
            roles,
        ));
    }
    TestEmulator::start_with(config).await
}

/// A token of the client [`with_clients`] registered for `roles`.
pub async fn token_with(t: &TestEmulator, roles: &[&str]) -> String {
    t.token_for(&client_id(roles), LIMITED_SECRET).await
}

/// Switches `t.token` to the client [`with_clients`] registered for `roles`.
pub async fn act_as(t: &mut TestEmulator, roles: &[&str]) {
    t.token = token_with(t, roles).await;
}

/// An emulator whose `token` belongs to a client that holds only `roles`.
pub async fn with_roles(roles: &[&str]) -> TestEmulator {
    let mut t = with_clients(&[roles]).await;
    act_as(&mut t, roles).await;
    t
}

/// Asserts the answer is Graph's 403 for missing permissions.
#[track_caller]
pub fn assert_denied(resp: &Resp) {
    resp.assert_error(403, "Authorization_RequestDenied");
}

/// Asserts the permissions of a collection: a client that holds only `read` lists `collection`
/// but may not POST `body` to it, and one that holds only `other` (another family's role) may
/// not list it. Returns the reader's emulator for the collection's further checks.
pub async fn assert_collection_permissions(
    collection: &str,
    read: &str,
    other: &str,
    body: Value,
) -> TestEmulator {
    let outsider = with_roles(&[other]).await;
    assert_denied(&outsider.get(collection).await);
    let reader = with_roles(&[read]).await;
    reader.get(collection).await.assert_status(200);
    assert_denied(&reader.post(collection, body).await);
    reader
}
