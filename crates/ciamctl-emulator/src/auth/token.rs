//! `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant (REFERENCE.md §13).
//!
//! A request is checked in the order a reader of the error would want: the tenant, the grant,
//! the scope, the client, then its credential. Which credential it is follows from the form: a
//! `client_secret`, or a `client_assertion` whose `iss` is the client id (a certificate
//! assertion the client signed itself, [`super::assertion`]) or another issuer (a federated
//! token, [`super::federated`]).

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha1::{Digest as _, Sha1};

use super::error::OAuthError;
use super::registration::Client;
use crate::Ctx;

/// `client_assertion_type` of both assertion credentials (RFC 7523).
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The Graph roots of the national clouds (REFERENCE.md §0.1), the resources a scope may name
/// besides the emulator's own address. A token's `aud` is the root it was asked for, so a client
/// configured for any cloud can run against the emulator.
const GRAPH_ROOTS: &[&str] = &[
    "https://graph.microsoft.com",
    "https://graph.microsoft.us",
    "https://dod-graph.microsoft.us",
    "https://microsoftgraph.chinacloudapi.cn",
];

/// The key this emulator instance signs its access tokens with (HS256: it is also their only
/// audience). Tokens from another instance or an earlier run fail the signature check.
#[derive(Clone)]
pub(crate) struct SigningKey(Vec<u8>);

impl SigningKey {
    pub(crate) fn generate() -> Self {
        Self(rand::random::<[u8; 32]>().to_vec())
    }

    pub(super) fn encoding(&self) -> jsonwebtoken::EncodingKey {
        jsonwebtoken::EncodingKey::from_secret(&self.0)
    }

    pub(super) fn decoding(&self) -> jsonwebtoken::DecodingKey {
        jsonwebtoken::DecodingKey::from_secret(&self.0)
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(******)")
    }
}

/// The claims of an access token this emulator issued: a Graph (v1.0) app-only token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Claims {
    /// The resource of the scope, e.g. `https://graph.microsoft.com`.
    pub(crate) aud: String,
    /// `https://sts.windows.net/{tid}/`, the issuer of v1.0 tokens.
    pub(crate) iss: String,
    pub(crate) iat: u64,
    pub(crate) nbf: u64,
    pub(crate) exp: u64,
    /// The client id.
    pub(crate) appid: String,
    /// How the client authenticated: `1` a secret, `2` a certificate or federated assertion.
    pub(crate) appidacr: String,
    pub(crate) idtyp: String,
    /// The object id of the client's service principal.
    pub(crate) oid: String,
    pub(crate) sub: String,
    /// Absent, as in Entra, when the client holds no application permission.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) roles: Vec<String>,
    pub(crate) tid: String,
    pub(crate) ver: String,
}

pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The form fields of a token request.
struct Form<'a>(&'a [(String, String)]);

impl Form<'_> {
    /// A field's value; an empty value counts as absent, as Entra treats it.
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    fn required(&self, name: &str) -> Result<&str, OAuthError> {
        self.get(name)
            .ok_or_else(|| OAuthError::missing_parameter(name))
    }
}

/// What the token endpoint knows about the tenant a request names.
pub(super) struct TenantView {
    pub(super) id: String,
    pub(super) domains: Vec<String>,
}

impl TenantView {
    fn of(ctx: &Ctx) -> Self {
        ctx.store.read(|t| Self {
            id: t.tenant_id().to_owned(),
            domains: t
                .organization
                .get("verifiedDomains")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|d| d.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect(),
        })
    }

    /// Whether `name` is the tenant id or one of its verified domains (case-insensitively, as
    /// both GUIDs and domain names compare).
    pub(super) fn is_named(&self, name: &str) -> bool {
        self.id.eq_ignore_ascii_case(name)
            || self.domains.iter().any(|d| d.eq_ignore_ascii_case(name))
    }
}

/// Handles a token request for `tenant` with the given form fields: the token response, or the
/// OAuth error to answer with.
pub(crate) fn token(
    ctx: &Ctx,
    tenant: &str,
    form: &[(String, String)],
) -> Result<Value, OAuthError> {
    let result = issue_for(ctx, tenant, &Form(form));
    if let Err(err) = &result {
        // The description never holds a credential (see `error.rs`), so it can be logged.
        tracing::debug!(
            tenant,
            code = err.code,
            error = err.error,
            "token request refused: {}",
            err.message
        );
    }
    result
}

fn issue_for(ctx: &Ctx, tenant: &str, form: &Form<'_>) -> Result<Value, OAuthError> {
    let view = TenantView::of(ctx);
    if !view.is_named(tenant) {
        return Err(OAuthError::tenant_not_found(tenant));
    }
    let grant_type = form.required("grant_type")?;
    if grant_type != "client_credentials" {
        return Err(OAuthError::unsupported_grant_type(grant_type));
    }
    let resource = resource(ctx, tenant, form.required("scope")?)?;
    let client_id = form.required("client_id")?;
    let client = ctx
        .store
        .read(|t| {
            t.clients
                .iter()
                .find(|c| c.client_id.eq_ignore_ascii_case(client_id))
                .cloned()
        })
        .ok_or_else(|| OAuthError::client_not_found(client_id, tenant))?;
    let appidacr = authenticate(ctx, &view, tenant, &client, form)?;
    issue(ctx, &view, &client, resource, appidacr)
}

/// The resource a client-credentials scope names: one `{resource}/.default` whose resource is a
/// Graph root or the emulator's own address, in the spelling the emulator lists.
fn resource(ctx: &Ctx, tenant: &str, scope: &str) -> Result<String, OAuthError> {
    let scope = scope.trim();
    if scope.split_whitespace().count() > 1 {
        return Err(OAuthError::several_scopes(scope));
    }
    let named = scope
        .strip_suffix("/.default")
        .ok_or_else(|| OAuthError::scope_without_default(scope))?;
    GRAPH_ROOTS
        .iter()
        .copied()
        .chain([ctx.base.0.as_str()])
        .find(|root| root.eq_ignore_ascii_case(named))
        .map(str::to_owned)
        .ok_or_else(|| OAuthError::resource_not_found(named, tenant))
}

/// Checks the request's credential against the client's registrations; answers the `appidacr`
/// the token will carry.
fn authenticate(
    ctx: &Ctx,
    view: &TenantView,
    tenant: &str,
    client: &Client,
    form: &Form<'_>,
) -> Result<&'static str, OAuthError> {
    match (form.get("client_secret"), form.get("client_assertion")) {
        (Some(_), Some(_)) => Err(OAuthError::malformed_request(
            "the request carries both 'client_secret' and 'client_assertion'; send one credential.",
        )),
        (Some(secret), None) => {
            if client.secrets.iter().any(|s| s.matches(secret)) {
                Ok("1")
            } else {
                Err(OAuthError::wrong_secret(&client.client_id))
            }
        }
        (None, Some(token)) => {
            if form.required("client_assertion_type")? != JWT_BEARER {
                return Err(OAuthError::malformed_request(&format!(
                    "'client_assertion_type' must be '{JWT_BEARER}'."
                )));
            }
            let assertion = super::assertion::Assertion::parse(token)?;
            if assertion.iss().eq_ignore_ascii_case(&client.client_id) {
                let endpoints = super::assertion::token_endpoints(&ctx.base.0, view);
                let called = format!("{}/{tenant}/oauth2/v2.0/token", ctx.base.0);
                super::assertion::verify_certificate_assertion(
                    &assertion, client, &endpoints, &called,
                )?;
            } else {
                super::federated::verify_federated_assertion(&assertion, client)?;
            }
            Ok("2")
        }
        (None, None) => Err(OAuthError::no_credential()),
    }
}

fn issue(
    ctx: &Ctx,
    view: &TenantView,
    client: &Client,
    resource: String,
    appidacr: &str,
) -> Result<Value, OAuthError> {
    let lifetime = ctx.config.auth.token_lifetime.as_secs();
    let issued = now();
    let oid = service_principal_id(ctx, &view.id, &client.client_id);
    let claims = Claims {
        aud: resource,
        iss: format!("https://sts.windows.net/{}/", view.id),
        iat: issued,
        nbf: issued,
        exp: issued + lifetime,
        appid: client.client_id.clone(),
        appidacr: appidacr.to_owned(),
        idtyp: "app".to_owned(),
        sub: oid.clone(),
        oid,
        roles: client.roles.clone(),
        tid: view.id.clone(),
        ver: "1.0".to_owned(),
    };
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &ctx.signing_key.encoding(),
    )
    .map_err(|err| OAuthError::server_error(&err.to_string()))?;
    Ok(json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": token,
    }))
}

/// The object id of the client's service principal in the tenant; for a client the tenant has
/// no service principal for, a stable id derived from the tenant and client ids, so every token
/// of one client carries the same `oid`.
fn service_principal_id(ctx: &Ctx, tenant_id: &str, client_id: &str) -> String {
    ctx.store
        .read(|t| {
            t.service_principals
                .iter()
                .find(|sp| sp.app_id.eq_ignore_ascii_case(client_id))
                .map(|sp| sp.id.clone())
        })
        .unwrap_or_else(|| {
            let digest = Sha1::digest(format!("{tenant_id}/{}", client_id.to_ascii_lowercase()));
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(&digest[..16]);
            uuid::Builder::from_sha1_bytes(bytes)
                .into_uuid()
                .to_string()
        })
}
