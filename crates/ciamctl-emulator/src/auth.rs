//! Tokens and permissions (REFERENCE.md §0.5, §13).
//!
//! SKELETON: the token endpoint and bearer-token checks are being built; until then every
//! request is allowed.

use serde::{Deserialize, Serialize};

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

/// Checks the request's bearer token against the permissions a route needs.
pub fn authorize(
    _ctx: &Ctx,
    _req: &GraphRequest,
    _permissions: &[&str],
) -> Result<(), GraphError> {
    Ok(())
}
