//! Credentials and app-only tokens (REFERENCE.md §13).
//!
//! [`CredentialSettings::from_env`] finds a [`Credential`] in the environment (Azure Identity
//! conventions); [`Authenticator`] turns it into bearer tokens for one tenant and one
//! [`Endpoints`] resource, and caches each token until shortly before it expires. Every secret it
//! handles (client secrets, private keys, assertions, GitHub request tokens, federated and access
//! tokens) is a [`Secret`] or is kept out of `Debug`, so no `Debug`, `Display`, error or log event
//! shows one.

mod certificate;
mod claims;
mod credential;
mod endpoint;
mod env;
mod error;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use ciamctl_secret::Secret;
use tokio::sync::Mutex;

pub use self::certificate::{AssertionAlgorithm, ClientCertificate};
pub use self::claims::TokenClaims;
pub use self::credential::Credential;
pub use self::env::CredentialSettings;
pub use self::error::{AuthError, CertificateError, CredentialError};
use crate::cloud::Endpoints;

/// A cached token is replaced when less than this is left of it, or a quarter of its lifetime if
/// that is less (short-lived tokens, as in tests), so no request leaves with a token that
/// expires in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The longest a fetched token is kept. Entra's tokens live 60 to 90 minutes; an `expires_in`
/// beyond a day is garbage, and one beyond what the clock can add would panic.
const LONGEST_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A bearer token and when it stops being usable. `Debug` masks the token.
#[derive(Debug, Clone)]
pub struct AccessToken {
    token: Secret<String>,
    expires_at: Option<Instant>,
    refresh_at: Option<Instant>,
}

impl AccessToken {
    /// A token the token endpoint issued at `issued` for `lifetime`.
    fn issued(token: Secret<String>, issued: Instant, lifetime: Duration) -> Self {
        let lifetime = lifetime.min(LONGEST_LIFETIME);
        let margin = REFRESH_MARGIN.min(lifetime / 4);
        Self {
            token,
            expires_at: Some(issued + lifetime),
            refresh_at: Some(issued + lifetime.saturating_sub(margin)),
        }
    }

    /// The token. Only the client's `Authorization` header may use it.
    pub fn secret(&self) -> &Secret<String> {
        &self.token
    }

    /// What the token says about its holder, read without verifying it.
    pub fn claims(&self) -> Result<TokenClaims, AuthError> {
        TokenClaims::decode(self.token.expose())
    }

    /// How long the token is still valid, when known (always, for tokens this crate fetched).
    pub fn expires_in(&self) -> Option<Duration> {
        self.expires_at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

/// Tokens for one tenant and one resource, cached: one token at a time, shared by all callers,
/// and concurrent callers that find it stale wait for a single new one.
pub struct Authenticator {
    credential: Credential,
    tenant: String,
    endpoints: Endpoints,
    cache: Mutex<Option<AccessToken>>,
}

impl Authenticator {
    /// Tokens from `credential` for `tenant` (a tenant id or verified domain), asked from
    /// `endpoints`' authority for `endpoints`' resource.
    pub fn new(credential: Credential, tenant: &str, endpoints: Endpoints) -> Self {
        Self {
            credential,
            tenant: tenant.to_owned(),
            endpoints,
            cache: Mutex::new(None),
        }
    }

    /// The tenant tokens are requested for.
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// A token valid for a while yet: the cached one, or a new one from the token endpoint.
    pub async fn token(&self, http: &reqwest::Client) -> Result<AccessToken, AuthError> {
        // Held across the request, so concurrent callers share one fetch.
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| t.fresh(Instant::now())) {
            return Ok(token.clone());
        }
        let token = self.fetch(http).await?;
        *cache = Some(token.clone());
        Ok(token)
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<AccessToken, AuthError> {
        let url = self.endpoints.token_url(&self.tenant);
        let scope = self.endpoints.scope();
        let request = |client_id, proof| {
            tracing::debug!(
                url,
                scope,
                client_id,
                credential = self.kind(),
                "requesting a token"
            );
            endpoint::request_token(http, &url, client_id, &scope, proof)
        };
        match &self.credential {
            Credential::AccessToken(token) => self.ready(token),
            Credential::ClientSecret { client_id, secret } => {
                request(client_id, endpoint::Proof::Secret(secret)).await
            }
            Credential::Certificate {
                client_id,
                certificate,
            } => {
                let assertion = certificate.assertion(client_id, &url)?;
                request(client_id, endpoint::Proof::Assertion(&assertion)).await
            }
            Credential::FederatedTokenFile { client_id, path } => {
                let token =
                    read_federated_token(path).map_err(|reason| AuthError::FederatedTokenFile {
                        path: path.clone(),
                        reason,
                    })?;
                request(client_id, endpoint::Proof::Assertion(&token)).await
            }
            Credential::GitHubActions {
                client_id,
                request_url,
                request_token,
            } => {
                let token = endpoint::github_id_token(http, request_url, request_token).await?;
                request(client_id, endpoint::Proof::Assertion(&token)).await
            }
        }
    }

    /// A ready token, refused once its `exp` has passed (a token that is not a JWT is passed
    /// on as is: Graph will say what it thinks of it).
    fn ready(&self, token: &Secret<String>) -> Result<AccessToken, AuthError> {
        let expires = TokenClaims::decode(token.expose())
            .ok()
            .and_then(|claims| claims.expires_at());
        let now = SystemTime::now();
        let expires_at = match expires.map(|at| at.duration_since(now)) {
            // An `exp` too far away for the clock is as good as none.
            Some(Ok(left)) => Instant::now().checked_add(left),
            Some(Err(past)) => {
                return Err(AuthError::AccessTokenExpired {
                    seconds_ago: past.duration().as_secs(),
                    resource: self.endpoints.resource().to_owned(),
                });
            }
            None => None,
        };
        Ok(AccessToken {
            token: token.clone(),
            expires_at,
            // Re-checked at every call, so an expired ready token is reported, not sent.
            refresh_at: Some(Instant::now()),
        })
    }

    fn kind(&self) -> &'static str {
        match self.credential {
            Credential::AccessToken(_) => "access token",
            Credential::ClientSecret { .. } => "client secret",
            Credential::Certificate { .. } => "certificate",
            Credential::FederatedTokenFile { .. } => "federated token file",
            Credential::GitHubActions { .. } => "GitHub Actions OIDC",
        }
    }
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("credential", &self.credential)
            .field("tenant", &self.tenant)
            .field("endpoints", &self.endpoints)
            .finish_non_exhaustive()
    }
}

/// The federated token in `path`, trimmed; the reason it cannot be had otherwise.
fn read_federated_token(path: &Path) -> Result<Secret<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read it: {err}"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err("the file is empty".to_owned());
    }
    Ok(Secret::new(token.to_owned()))
}
