//! Credentials and app-only tokens (REFERENCE.md §13).
//!
//! [`Authenticator`] turns a [`Credential`] into bearer tokens for one tenant and caches the
//! token until shortly before it expires. Every secret it handles is a [`Secret`], so `Debug`
//! and errors print a mask.

use std::time::{Duration, Instant};

use ciamctl_secret::Secret;
use tokio::sync::Mutex;

use crate::cloud::Endpoints;

/// How long before its expiry a cached token is replaced, so a request never leaves with a
/// token that expires in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// What proves the app's identity to the token endpoint.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A token obtained elsewhere (`CIAMCTL_ACCESS_TOKEN`), used as is until it expires.
    AccessToken(Secret<String>),
    /// `AZURE_CLIENT_SECRET`.
    ClientSecret {
        client_id: String,
        secret: Secret<String>,
    },
}

/// A bearer token and when it stops being usable.
#[derive(Debug, Clone)]
pub struct AccessToken {
    token: Secret<String>,
    expires_at: Option<Instant>,
}

impl AccessToken {
    /// The token. Only the client's `Authorization` header may use it.
    pub fn secret(&self) -> &Secret<String> {
        &self.token
    }

    fn fresh(&self, now: Instant) -> bool {
        self.expires_at
            .is_none_or(|at| at.saturating_duration_since(now) > REFRESH_MARGIN)
    }
}

/// Tokens for one tenant, cached.
#[derive(Debug)]
pub struct Authenticator {
    credential: Credential,
    tenant: String,
    endpoints: Endpoints,
    cache: Mutex<Option<AccessToken>>,
}

impl Authenticator {
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

    /// A token valid for a while yet: the cached one, or a new one from the token endpoint.
    pub async fn token(&self, http: &reqwest::Client) -> Result<AccessToken, AuthError> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| t.fresh(Instant::now())) {
            return Ok(token.clone());
        }
        let token = self.request(http).await?;
        *cache = Some(token.clone());
        Ok(token)
    }

    async fn request(&self, http: &reqwest::Client) -> Result<AccessToken, AuthError> {
        let (client_id, secret) = match &self.credential {
            Credential::AccessToken(token) => {
                return Ok(AccessToken {
                    token: token.clone(),
                    expires_at: None,
                });
            }
            Credential::ClientSecret { client_id, secret } => (client_id, secret),
        };
        let url = self.endpoints.token_url(&self.tenant);
        let scope = self.endpoints.scope();
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id.as_str()),
            ("client_secret", secret.expose().as_str()),
            ("scope", scope.as_str()),
        ];
        let response =
            http.post(&url)
                .form(&form)
                .send()
                .await
                .map_err(|source| AuthError::Unreachable {
                    url: url.clone(),
                    reason: source.without_url().to_string(),
                })?;
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.map_err(|_| AuthError::Refused {
            url: url.clone(),
            status,
            error: String::new(),
            description: "the answer is not JSON".to_owned(),
        })?;
        let text = |key: &str| body.get(key).and_then(serde_json::Value::as_str);
        match (status, text("access_token")) {
            (200, Some(token)) => {
                let lifetime = body
                    .get("expires_in")
                    .and_then(serde_json::Value::as_u64)
                    .unwrap_or(0);
                Ok(AccessToken {
                    token: Secret::new(token.to_owned()),
                    expires_at: Some(Instant::now() + Duration::from_secs(lifetime)),
                })
            }
            _ => Err(AuthError::Refused {
                url,
                status,
                error: text("error").unwrap_or_default().to_owned(),
                description: text("error_description").unwrap_or_default().to_owned(),
            }),
        }
    }
}

/// Why no token could be had. The messages name the endpoint and the identity platform's
/// answer, never a credential.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthError {
    #[error("cannot reach the token endpoint {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the token endpoint {url} refused the credential ({status} {error}): {description}")]
    Refused {
        url: String,
        status: u16,
        error: String,
        description: String,
    },
}
