//! Tokens and permissions (REFERENCE.md §0.5, §13).
//!
//! # The token endpoint
//!
//! `POST /{tenant}/oauth2/v2.0/token` (`{tenant}` is the tenant id or a verified domain of the
//! organization, case-insensitively) takes the client-credentials grant, form-encoded, with one
//! of three credentials:
//!
//! | credential | form fields | checked against |
//! |---|---|---|
//! | client secret | `client_secret` | the client's registered secrets |
//! | certificate | `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, `client_assertion` = a JWT the client signed, `iss` = `sub` = client id | a certificate registered for the client ([`assertion`]) |
//! | federated (workload identity) | the same two fields; `client_assertion` is a token from another issuer (GitHub Actions, Kubernetes, ...) | a federated credential registered for the client ([`federated`]) |
//!
//! `scope` must be a single `{resource}/.default`, where the resource is one of the four Graph
//! roots of REFERENCE.md §0.1 or the emulator's own address; the issued token's `aud` is that
//! resource. Registrations are [`Client`]s, part of the tenant (so `--seed` JSON declares them)
//! and of [`AuthConfig`] (so tests that start the emulator in process add them).
//!
//! Refusals are OAuth 2.0 error bodies in Entra's shape (REFERENCE.md §13): `error`, an
//! `error_description` starting with the `AADSTS` code, `error_codes`, `timestamp`, `trace_id`,
//! `correlation_id`, `error_uri`. The codes are listed on [`error::OAuthError`]'s constructors. No
//! description, log line or `Debug` output ever contains a secret, an assertion or a token.
//!
//! # Issued tokens
//!
//! Graph access tokens are v1.0 JWTs (`iss` = `https://sts.windows.net/{tid}/`, `aud`, `tid`,
//! `appid`, `appidacr`, `oid`, `roles`, `iat`, `nbf`, `exp`). The emulator is both their issuer
//! and their only audience, so it signs them with HS256 and a key that lives only in this
//! emulator instance: a token from another instance or an earlier run is refused as a token from
//! another tenant would be. Their lifetime is [`AuthConfig::token_lifetime`]; a short one lets
//! client tests exercise refresh.
//!
//! # Permissions
//!
//! Every route names the application permissions that allow it (REFERENCE.md §0.5);
//! [`authorize`] answers 401 `InvalidAuthenticationToken` without a valid token and 403
//! `Authorization_RequestDenied` when its `roles` hold none of them (a `*.ReadWrite.All` role
//! grants the matching `*.Read.All`).
//!
//! # The GitHub Actions stand-in
//!
//! `GET /_github/idtoken?audience=api://AzureADTokenExchange` with
//! `Authorization: bearer {AuthConfig::github_request_token}` answers `{ "value": "<jwt>" }`, an ID
//! token with GitHub's issuer and [`AuthConfig::github_subject`] as `sub`. Point
//! `ACTIONS_ID_TOKEN_REQUEST_URL` at `{base}/_github/idtoken?api-version=2.0` and
//! `ACTIONS_ID_TOKEN_REQUEST_TOKEN` at the request token to run the GitHub OIDC flow end to end
//! ([`github`]). The default client has the matching federated credential.

mod assertion;
mod error;
mod federated;
mod github;
mod permissions;
mod registration;
mod token;

use std::time::Duration;

pub(crate) use self::error::OAuthError;
pub(crate) use self::github::id_token_response as github_id_token;
pub use self::github::{GITHUB_AUDIENCE, GITHUB_ID_TOKEN_PATH, GITHUB_ISSUER};
pub(crate) use self::permissions::authorize;
pub use self::registration::{
    Certificate, Client, ClientSecret, FederatedCredential, IssuerKey, RegistrationError,
};
pub(crate) use self::token::{SigningKey, token};

/// Every application permission a route of this emulator can ask for; the default client holds
/// all of them.
pub const ALL_ROLES: &[&str] = &[
    "EventListener.ReadWrite.All",
    "IdentityUserFlow.ReadWrite.All",
    "IdentityProvider.ReadWrite.All",
    "OrganizationalBranding.ReadWrite.All",
    "CustomAuthenticationExtension.ReadWrite.All",
    "Application.Read.All",
    "Organization.Read.All",
];

/// The `sub` of the GitHub stand-in's ID tokens unless [`AuthConfig::github_subject`] says
/// otherwise: the main branch of the repository `config-examples/woodgrove` would live in.
pub const DEFAULT_GITHUB_SUBJECT: &str = "repo:woodgrove/tenant-config:ref:refs/heads/main";

/// The bearer token the GitHub stand-in accepts unless [`AuthConfig::github_request_token`]
/// says otherwise. Like the default client secret it only opens the local emulator.
pub const DEFAULT_GITHUB_REQUEST_TOKEN: &str = "emulator-github-request-token";

/// How the token endpoint and the GitHub stand-in behave, and which clients exist besides the
/// default one. `Debug` masks the request token (and the clients' secrets).
#[derive(Clone)]
pub struct AuthConfig {
    /// Lifetime of issued access tokens (`expires_in`, whole seconds). Entra's is 3599 s.
    pub token_lifetime: Duration,
    /// `sub` of the GitHub stand-in's ID tokens, and the subject of the default client's
    /// federated credential.
    pub github_subject: String,
    /// The bearer token the GitHub stand-in accepts (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`).
    pub github_request_token: String,
    /// Registrations added to the default client. One with the default client's id replaces it
    /// (to give the default client other roles or credentials).
    pub clients: Vec<Client>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            token_lifetime: Duration::from_secs(3599),
            github_subject: DEFAULT_GITHUB_SUBJECT.to_owned(),
            github_request_token: DEFAULT_GITHUB_REQUEST_TOKEN.to_owned(),
            clients: Vec::new(),
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("token_lifetime", &self.token_lifetime)
            .field("github_subject", &self.github_subject)
            .field(
                "github_request_token",
                &ClientSecret::new(&self.github_request_token),
            )
            .field("clients", &self.clients)
            .finish()
    }
}

/// The clients of a fresh tenant: the default client (the configured secret, all roles and a
/// federated credential for the GitHub stand-in's subject), then the configured ones.
pub(crate) fn registrations(config: &crate::config::EmulatorConfig) -> Vec<Client> {
    let default = Client::with_secret(&config.client_id, &config.client_secret, ALL_ROLES)
        .add_federated_credential(FederatedCredential::github(&config.auth.github_subject));
    let mut clients = vec![default];
    for client in &config.auth.clients {
        clients.retain(|c| !c.client_id.eq_ignore_ascii_case(&client.client_id));
        clients.push(client.clone());
    }
    clients
}

#[cfg(test)]
mod tests;
