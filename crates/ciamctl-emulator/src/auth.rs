//! Tokens and permissions (REFERENCE.md §0.5, §13).
//!
//! `POST /{tenant}/oauth2/v2.0/token` issues access tokens for the client-credentials grant. The
//! tokens are JWTs signed with a key that lives only in this process (HS256: the emulator is
//! both issuer and audience, and clients only read the claims). Every Graph route names the
//! application permissions that allow it; [`authorize`] checks the token's `roles` against them
//! and answers Graph's 401 and 403 errors otherwise.

use std::time::{SystemTime, UNIX_EPOCH};

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Ctx;
use crate::error::GraphError;
use crate::request::GraphRequest;

/// Every application permission a route of this emulator can ask for.
pub const ALL_ROLES: &[&str] = &[
    "EventListener.ReadWrite.All",
    "IdentityUserFlow.ReadWrite.All",
    "IdentityProvider.ReadWrite.All",
    "OrganizationalBranding.ReadWrite.All",
    "CustomAuthenticationExtension.ReadWrite.All",
    "Application.Read.All",
    "Organization.Read.All",
];

/// How long issued tokens live, as Entra's `expires_in` says.
const TOKEN_LIFETIME_SECS: u64 = 3599;

/// An application registration the token endpoint issues tokens to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Client {
    pub client_id: String,
    /// Accepted client secrets.
    pub secrets: Vec<String>,
    /// The application permissions (`roles` claim) its tokens carry.
    pub roles: Vec<String>,
}

impl Client {
    pub fn with_secret(client_id: &str, secret: &str, roles: &[&str]) -> Self {
        Self {
            client_id: client_id.to_owned(),
            secrets: vec![secret.to_owned()],
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        }
    }
}

/// The claims of an access token this emulator issued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub aud: String,
    pub iss: String,
    pub tid: String,
    pub appid: String,
    pub roles: Vec<String>,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
}

/// The per-process signing key. Tokens from an earlier run of the emulator are refused, as
/// tokens for another tenant would be.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl SigningKey {
    pub fn generate() -> Self {
        Self(rand::random::<[u8; 32]>().to_vec())
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(******)")
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An OAuth 2.0 error from the token endpoint (REFERENCE.md §13).
#[derive(Debug, Clone, PartialEq)]
pub struct OAuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    pub fn body(&self) -> Value {
        json!({
            "error": self.error,
            "error_description": self.description,
            "error_codes": [],
            "timestamp": crate::odata::utc_timestamp(SystemTime::now()),
            "trace_id": uuid::Uuid::new_v4().to_string(),
            "correlation_id": uuid::Uuid::new_v4().to_string(),
        })
    }
}

/// Handles a token request for `tenant` with the given form fields.
pub fn token(ctx: &Ctx, tenant: &str, form: &[(String, String)]) -> Result<Value, OAuthError> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let tenant_id = ctx.store.read(|t| t.tenant_id().to_owned());
    if tenant != tenant_id && tenant != "woodgrove.onmicrosoft.com" {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("AADSTS90002: Tenant '{tenant}' not found."),
        ));
    }
    if field("grant_type") != Some("client_credentials") {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "AADSTS70003: The grant type is not supported; use client_credentials.",
        ));
    }
    let scope = field("scope").unwrap_or_default();
    if !scope.ends_with("/.default") {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            format!("AADSTS1002012: The provided value for scope '{scope}' is not valid."),
        ));
    }
    let client_id = field("client_id").unwrap_or_default();
    let client = ctx
        .store
        .read(|t| t.clients.iter().find(|c| c.client_id == client_id).cloned())
        .ok_or_else(|| {
            OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unauthorized_client",
                format!("AADSTS700016: Application with identifier '{client_id}' was not found in the directory."),
            )
        })?;
    match field("client_secret") {
        Some(secret) if client.secrets.iter().any(|s| s == secret) => {}
        Some(_) => {
            return Err(OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "AADSTS7000215: Invalid client secret provided.",
            ));
        }
        None => {
            return Err(OAuthError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
            ));
        }
    }
    let issued = now();
    let claims = Claims {
        aud: scope.trim_end_matches("/.default").to_owned(),
        iss: format!("https://sts.windows.net/{tenant_id}/"),
        tid: tenant_id,
        appid: client.client_id.clone(),
        roles: client.roles.clone(),
        iat: issued,
        nbf: issued,
        exp: issued + TOKEN_LIFETIME_SECS,
    };
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(&ctx.signing_key.0),
    )
    .map_err(|err| {
        OAuthError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            err.to_string(),
        )
    })?;
    Ok(json!({
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_SECS,
        "ext_expires_in": TOKEN_LIFETIME_SECS,
        "access_token": token,
    }))
}

fn unauthenticated(message: &str) -> GraphError {
    GraphError::new(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        message,
    )
}

/// Checks the request's bearer token against the permissions a route needs: 401
/// `InvalidAuthenticationToken` without a valid token, 403 `Authorization_RequestDenied` when
/// its roles hold none of `permissions`.
pub fn authorize(
    ctx: &Ctx,
    req: &GraphRequest,
    permissions: &[&str],
) -> Result<Claims, GraphError> {
    let header = req
        .header("authorization")
        .ok_or_else(|| unauthenticated("Access token is empty."))?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or_else(|| unauthenticated("Access token validation failure. Invalid audience."))?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_aud = false;
    validation.leeway = 0;
    let claims = jsonwebtoken::decode::<Claims>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(&ctx.signing_key.0),
        &validation,
    )
    .map_err(|err| match err.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
            unauthenticated("Lifetime validation failed, the token is expired.")
        }
        _ => unauthenticated("Access token validation failure."),
    })?
    .claims;
    if permissions
        .iter()
        .any(|needed| claims.roles.iter().any(|role| grants(role, needed)))
    {
        Ok(claims)
    } else {
        Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ))
    }
}

/// Whether holding `role` allows what `needed` allows: the same permission, or the
/// `ReadWrite` form of a `Read` permission.
fn grants(role: &str, needed: &str) -> bool {
    role == needed
        || needed
            .strip_suffix(".Read.All")
            .is_some_and(|stem| role == format!("{stem}.ReadWrite.All"))
}

#[cfg(test)]
mod tests {
    use super::grants;

    #[test]
    fn read_write_permission_grants_the_read_permission_but_not_the_reverse() {
        assert!(grants(
            "EventListener.ReadWrite.All",
            "EventListener.Read.All"
        ));
        assert!(grants("EventListener.Read.All", "EventListener.Read.All"));
        assert!(!grants(
            "EventListener.Read.All",
            "EventListener.ReadWrite.All"
        ));
        assert!(!grants(
            "IdentityProvider.ReadWrite.All",
            "EventListener.Read.All"
        ));
    }
}
