//! The one place that talks to Microsoft Graph.
//!
//! - `cloud`: where the token authority and Graph live (global and national clouds, or a local
//!   emulator), and the rule that only loopback hosts may use plain `http://`.
//! - `auth`: credentials in the Azure Identity conventions (client secret, certificate,
//!   federated token file, GitHub Actions OIDC, a ready access token), the token endpoint
//!   and a token cache that refreshes before expiry.
//! - `client`: [`GraphClient`], which sends [`Request`]s over reqwest + rustls with bounded
//!   concurrency, JSON `$batch`, retries that honour `Retry-After`, and `@odata.nextLink`
//!   paging, and counts round trips and HTTP requests.
//!
//! The crate knows Graph's protocol, not CIAM's resources: paths and bodies come from the
//! caller (`ciamctl-tenant`). No token, secret, assertion or `Authorization` header ever
//! reaches a log line, an error or `Debug` output.

pub mod auth;
mod batch;
mod client;
pub mod cloud;
mod error;
mod request;
mod retry;
mod stats;

pub use crate::auth::{
    AccessToken, AssertionAlgorithm, AuthError, Authenticator, CertificateError, ClientCertificate,
    Credential, CredentialError, CredentialSettings, TokenClaims,
};
pub use crate::client::{ClientOptions, GraphClient, Read, ReadAnswer, Response};
pub use crate::cloud::{Cloud, EndpointError, Endpoints};
pub use crate::error::{Failure, GraphError};
pub use crate::request::{ApiVersion, Request};
pub use crate::retry::RetryPolicy;
pub use crate::stats::ClientStats;
pub use reqwest::Method;
