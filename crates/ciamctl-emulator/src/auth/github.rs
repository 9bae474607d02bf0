//! A stand-in for GitHub Actions' OIDC token service, so clients can run the workload identity
//! flow of REFERENCE.md §13 end to end without GitHub.
//!
//! In a workflow with `permissions: id-token: write`, the runner sets `ACTIONS_ID_TOKEN_REQUEST_URL`
//! and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`; a client fetches
//! `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange` with
//! `Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` and gets `{ "value": "<jwt>" }`, which it
//! sends to the token endpoint as a federated `client_assertion`. Against the emulator:
//!
//! ```text
//! ACTIONS_ID_TOKEN_REQUEST_URL={base}/_github/idtoken?api-version=2.0
//! ACTIONS_ID_TOKEN_REQUEST_TOKEN=emulator-github-request-token   (AuthConfig::github_request_token)
//! ```
//!
//! The ID token is RS256 with GitHub's issuer, `sub` = [`super::AuthConfig::github_subject`]
//! (`repo:woodgrove/tenant-config:ref:refs/heads/main` by default), `aud` = the `audience`
//! parameter (GitHub's default, `https://github.com/{owner}`, without one), `repository`,
//! `repository_owner`, `jti`, `iat`, `nbf` and `exp` (five minutes). The default client holds the
//! matching federated credential.
//!
//! GitHub is one issuer for every tenant, so the stand-in's key belongs to the process, not to
//! an emulator instance: it is generated on first use (an RSA key costs tens of milliseconds
//! and most emulators never need it), and every emulator in the process trusts it. Registrations
//! name no key for it (see [`super::FederatedCredential::github`]), so a state file written by
//! one run still works in the next.

use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::signature::KeyPair as _;
use http::{HeaderMap, Method, StatusCode};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::registration::{ClientSecret, base64url, pem_encode};
use super::token::now;
use crate::Ctx;

/// The `iss` of GitHub Actions ID tokens.
pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";
/// The audience Entra expects in federated tokens (REFERENCE.md §13).
pub const GITHUB_AUDIENCE: &str = "api://AzureADTokenExchange";
/// The stand-in's path; `ACTIONS_ID_TOKEN_REQUEST_URL` is `{base}{GITHUB_ID_TOKEN_PATH}?api-version=2.0`.
pub const GITHUB_ID_TOKEN_PATH: &str = "/_github/idtoken";

const ID_TOKEN_LIFETIME_SECS: u64 = 300;

struct Issuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Key id: base64url SHA-256 of the public key, so a token names the key that signed it.
    kid: String,
}

impl Issuer {
    fn generate() -> Option<Self> {
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).ok()?;
        let pkcs8 = pair.as_der().ok()?;
        // jsonwebtoken's aws-lc backend reads PKCS#8 only through PEM (research/deps.md).
        let encoding =
            EncodingKey::from_rsa_pem(pem_encode("PRIVATE KEY", pkcs8.as_ref()).as_bytes()).ok()?;
        let public = pair.public_key().as_ref();
        Some(Self {
            encoding,
            decoding: DecodingKey::from_rsa_der(public),
            kid: base64url(&Sha256::digest(public)),
        })
    }
}

static ISSUER: OnceLock<Option<Issuer>> = OnceLock::new();

fn issuer() -> Option<&'static Issuer> {
    ISSUER.get_or_init(Issuer::generate).as_ref()
}

/// The key that verifies the stand-in's ID tokens.
pub(super) fn decoding_key() -> Option<DecodingKey> {
    issuer().map(|issuer| issuer.decoding.clone())
}

/// `GET /_github/idtoken?audience=...`: the status and JSON body to answer with.
pub(crate) fn id_token_response(
    ctx: &Ctx,
    method: &Method,
    headers: &HeaderMap,
    query: Option<&str>,
) -> (StatusCode, Value) {
    if method != Method::GET {
        return message(
            StatusCode::METHOD_NOT_ALLOWED,
            "The ID token endpoint takes GET.",
        );
    }
    let expected = ClientSecret::new(&ctx.config.auth.github_request_token);
    let presented = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    if !presented.is_some_and(|token| expected.matches(token)) {
        return message(StatusCode::UNAUTHORIZED, "Bad credentials");
    }
    let subject = &ctx.config.auth.github_subject;
    // `repo:OWNER/REPO:...`; GitHub's default audience is the owner's URL.
    let repository = subject
        .strip_prefix("repo:")
        .and_then(|rest| rest.split(':').next())
        .unwrap_or_default();
    let owner = repository.split('/').next().unwrap_or_default();
    let audience = query
        .into_iter()
        .flat_map(|q| form_urlencoded::parse(q.as_bytes()))
        .find(|(k, _)| k == "audience")
        .map_or_else(
            || format!("https://github.com/{owner}"),
            |(_, v)| v.into_owned(),
        );
    let Some(issuer) = issuer() else {
        return message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The signing key could not be generated.",
        );
    };
    let issued = now();
    let claims = json!({
        "jti": uuid::Uuid::new_v4().to_string(),
        "sub": subject,
        "aud": audience,
        "repository": repository,
        "repository_owner": owner,
        "iss": GITHUB_ISSUER,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ID_TOKEN_LIFETIME_SECS,
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(issuer.kid.clone());
    match jsonwebtoken::encode(&header, &claims, &issuer.encoding) {
        Ok(token) => (StatusCode::OK, json!({ "value": token })),
        Err(err) => message(StatusCode::INTERNAL_SERVER_ERROR, &err.to_string()),
    }
}

fn message(status: StatusCode, text: &str) -> (StatusCode, Value) {
    (status, json!({ "message": text }))
}
