//! Credentials and tokens (REFERENCE.md §13) against the in-process emulator: every credential
//! kind, national-cloud scopes, the token cache, the token endpoint's refusals and retries,
//! discovery from the environment, and that no secret reaches a log, an error or `Debug`.

// Marks the helpers below as test code, so clippy's `allow-unwrap-in-tests` covers them too.
#![cfg(test)]

mod cache;
mod credentials;
mod discovery;
mod keys;
mod redaction;
mod token_endpoint;

use std::time::Duration;

use ciamctl_emulator::{
    AuthConfig, DEFAULT_GITHUB_REQUEST_TOKEN, DEFAULT_TENANT_ID, Emulator, EmulatorConfig,
    GITHUB_ID_TOKEN_PATH,
};
use ciamctl_graph::{
    AccessToken, AuthError, Authenticator, ClientCertificate, Credential, Endpoints,
};

use crate::support::client_secret;

/// The app that authenticates with [`keys::registered`]'s certificate.
const CERT_CLIENT: &str = "6c1f0e2a-8b3d-4c5e-9f7a-1b2c3d4e5f60";

async fn start(auth: AuthConfig) -> Emulator {
    Emulator::start(EmulatorConfig {
        auth,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

/// An emulator whose tokens last `lifetime`, so a test sees them renewed.
async fn start_with_token_lifetime(lifetime: Duration) -> Emulator {
    start(AuthConfig {
        token_lifetime: lifetime,
        ..AuthConfig::default()
    })
    .await
}

/// A client that never goes through a proxy, whatever the environment says.
fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The emulator as authority, Graph root and resource.
fn local(emulator: &Emulator) -> Endpoints {
    Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap()
}

fn authenticator(credential: Credential, emulator: &Emulator) -> Authenticator {
    Authenticator::new(credential, DEFAULT_TENANT_ID, local(emulator))
}

/// What the emulator answers a fresh authenticator for `credential`.
async fn token_from(credential: Credential, emulator: &Emulator) -> Result<AccessToken, AuthError> {
    authenticator(credential, emulator).token(&http()).await
}

/// [`CERT_CLIENT`] authenticating with `certificate`.
fn certificate_client(certificate: ClientCertificate) -> Credential {
    Credential::Certificate {
        client_id: CERT_CLIENT.to_owned(),
        certificate,
    }
}

/// `ACTIONS_ID_TOKEN_REQUEST_URL` for the emulator's GitHub stand-in.
fn github_request_url(emulator: &Emulator) -> String {
    format!(
        "{}{GITHUB_ID_TOKEN_PATH}?api-version=2.0",
        emulator.base_url()
    )
}

/// A GitHub Actions ID token from the emulator's stand-in, as a workflow would get it: what a
/// federated token file holds in these tests.
async fn github_id_token(emulator: &Emulator) -> String {
    github_id_token_with(emulator, DEFAULT_GITHUB_REQUEST_TOKEN).await
}

/// The same, from a stand-in configured with `request_token`.
async fn github_id_token_with(emulator: &Emulator, request_token: &str) -> String {
    let answer: serde_json::Value = http()
        .get(format!(
            "{}&audience=api://AzureADTokenExchange",
            github_request_url(emulator)
        ))
        .header("Authorization", format!("bearer {request_token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["value"].as_str().unwrap().to_owned()
}
