//! Client assertions: reading one, and verifying a certificate-signed one (REFERENCE.md §13).
//!
//! A certificate assertion is a JWT the client signs with the private key of a certificate
//! registered for it. The emulator checks, in this order:
//!
//! 1. `iss` = `sub` = the client id (AADSTS700021);
//! 2. the header's `x5t#S256` (base64url SHA-256 of the DER certificate) or, failing that, the
//!    older `x5t` (SHA-1) names a registered certificate (AADSTS700027). An `x5c` chain alone
//!    (subject name and issuer authentication) is not supported: it needs a trust store the
//!    emulator does not have;
//! 3. `alg` is RS256 or PS256 and the signature verifies with that certificate's key
//!    (AADSTS700027);
//! 4. `aud` is this token endpoint (AADSTS700023, see [`token_endpoints`]);
//! 5. `exp` is in the future and `nbf`, if present, is not (AADSTS700024), with no clock skew
//!    allowed: the emulator and its clients share one clock;
//! 6. a `jti` is present (AADSTS50027). Entra does not refuse a replayed `jti` (MSAL reuses an
//!    assertion until shortly before it expires), so neither does the emulator.

use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use serde::Deserialize;

use super::error::OAuthError;
use super::registration::{Certificate, Client};
use super::token::{TenantView, now};

/// The authority hosts of the national clouds (REFERENCE.md §0.1).
const AUTHORITY_HOSTS: &[&str] = &[
    "https://login.microsoftonline.com",
    "https://login.microsoftonline.us",
    "https://login.chinacloudapi.cn",
];

/// The `aud` values a certificate assertion may carry: this tenant's token endpoint, named by
/// tenant id or verified domain, at the emulator's own address and at every national cloud's
/// authority host.
///
/// The authority-host forms are accepted because the emulator stands in for Entra: client
/// libraries build `aud` from the authority they would use in production (REFERENCE.md §13 gives
/// `https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token`), and a client under test
/// should not have to sign a different assertion for the emulator than for the real cloud, any
/// more than its scope has to change.
pub(super) fn token_endpoints(base: &str, tenant: &TenantView) -> Vec<String> {
    let names = std::iter::once(&tenant.id).chain(&tenant.domains);
    names
        .flat_map(|name| {
            std::iter::once(base)
                .chain(AUTHORITY_HOSTS.iter().copied())
                .map(move |host| format!("{host}/{name}/oauth2/v2.0/token"))
        })
        .collect()
}

/// A JWT's `aud`: one value or several.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
struct AssertionClaims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    exp: Option<u64>,
    nbf: Option<u64>,
    jti: Option<String>,
}

/// A client assertion whose header and claims have been read, not yet verified.
pub(super) struct Assertion<'a> {
    token: &'a str,
    header: Header,
    claims: AssertionClaims,
    iss: String,
    sub: String,
}

impl<'a> Assertion<'a> {
    pub(super) fn parse(token: &'a str) -> Result<Self, OAuthError> {
        let data =
            jsonwebtoken::dangerous::insecure_decode::<AssertionClaims>(token).map_err(|_| {
                OAuthError::malformed_assertion(
                    "the client assertion is not a signed JWT with a JSON claims object",
                )
            })?;
        let claim = |value: &Option<String>, name: &str| {
            value.clone().filter(|v| !v.is_empty()).ok_or_else(|| {
                OAuthError::malformed_assertion(&format!("the '{name}' claim is missing"))
            })
        };
        let iss = claim(&data.claims.iss, "iss")?;
        let sub = claim(&data.claims.sub, "sub")?;
        Ok(Self {
            token,
            header: data.header,
            claims: data.claims,
            iss,
            sub,
        })
    }

    pub(super) fn iss(&self) -> &str {
        &self.iss
    }

    pub(super) fn sub(&self) -> &str {
        &self.sub
    }

    pub(super) fn alg(&self) -> Algorithm {
        self.header.alg
    }

    /// The `aud` values; an assertion without one is malformed.
    pub(super) fn audiences(&self) -> Result<Vec<String>, OAuthError> {
        match &self.claims.aud {
            Some(Audience::One(aud)) => Ok(vec![aud.clone()]),
            Some(Audience::Many(auds)) if !auds.is_empty() => Ok(auds.clone()),
            _ => Err(OAuthError::malformed_assertion(
                "the 'aud' claim is missing",
            )),
        }
    }

    /// Whether the signature verifies with `key` under one of `algorithms`. The claims are
    /// checked by the callers, so that each failure gets its own error.
    pub(super) fn signature_verifies(&self, key: &DecodingKey, algorithms: &[Algorithm]) -> bool {
        if !algorithms.contains(&self.header.alg) {
            return false;
        }
        // One algorithm only: jsonwebtoken refuses a validation whose algorithms span key
        // families, and a key of the wrong family for `alg` fails the check below.
        let mut validation = Validation::new(self.header.alg);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        jsonwebtoken::decode::<serde_json::Value>(self.token, key, &validation).is_ok()
    }

    /// `exp` in the future and `nbf`, if present, not: no leeway (see the module docs).
    pub(super) fn check_lifetime(&self) -> Result<(), OAuthError> {
        let exp = self
            .claims
            .exp
            .ok_or_else(|| OAuthError::malformed_assertion("the 'exp' claim is missing"))?;
        let now = now();
        if exp <= now || self.claims.nbf.is_some_and(|nbf| nbf > now) {
            return Err(OAuthError::assertion_time(now, self.claims.nbf, exp));
        }
        Ok(())
    }
}

/// Verifies a certificate assertion of `client`. `endpoints` are the accepted `aud` values;
/// `expected` is the one a refusal names (the URL the request was sent to).
pub(super) fn verify_certificate_assertion(
    assertion: &Assertion<'_>,
    client: &Client,
    endpoints: &[String],
    expected: &str,
) -> Result<(), OAuthError> {
    let client_id = &client.client_id;
    if !assertion.iss().eq_ignore_ascii_case(client_id)
        || !assertion.sub().eq_ignore_ascii_case(client_id)
    {
        return Err(OAuthError::assertion_client_mismatch(
            client_id,
            assertion.iss(),
            assertion.sub(),
        ));
    }
    let certificate = registered_certificate(&assertion.header, client)?;
    if !matches!(assertion.alg(), Algorithm::RS256 | Algorithm::PS256) {
        return Err(OAuthError::invalid_signature(&format!(
            "the algorithm is {:?}; certificate assertions are signed with RS256 or PS256",
            assertion.alg()
        )));
    }
    let key = certificate
        .decoding_key()
        .map_err(|err| OAuthError::invalid_signature(&err.to_string()))?;
    if !assertion.signature_verifies(&key, &[Algorithm::RS256, Algorithm::PS256]) {
        return Err(OAuthError::invalid_signature(&format!(
            "the signature does not verify with the registered certificate whose x5t#S256 is '{}'",
            certificate.thumbprint_sha256()
        )));
    }
    let audiences = assertion.audiences()?;
    let accepted = |aud: &String| endpoints.iter().any(|e| e.eq_ignore_ascii_case(aud));
    if !audiences.iter().any(accepted) {
        return Err(OAuthError::assertion_audience(
            &audiences.join("', '"),
            expected,
        ));
    }
    assertion.check_lifetime()?;
    if assertion.claims.jti.as_deref().is_none_or(str::is_empty) {
        return Err(OAuthError::malformed_assertion(
            "the 'jti' claim is missing",
        ));
    }
    Ok(())
}

/// The registered certificate the header's thumbprint names: `x5t#S256` when present, else `x5t`.
fn registered_certificate<'c>(
    header: &Header,
    client: &'c Client,
) -> Result<&'c Certificate, OAuthError> {
    let (thumbprint, of): (&str, fn(&Certificate) -> String) = match (&header.x5t_s256, &header.x5t)
    {
        (Some(s256), _) => (s256, Certificate::thumbprint_sha256),
        (None, Some(sha1)) => (sha1, Certificate::thumbprint_sha1),
        (None, None) => {
            return Err(OAuthError::certificate_not_registered(
                &client.client_id,
                "The assertion's header has neither 'x5t#S256' nor 'x5t'",
            ));
        }
    };
    client
        .certificates
        .iter()
        .find(|c| of(c) == thumbprint)
        .ok_or_else(|| {
            OAuthError::certificate_not_registered(
                &client.client_id,
                &format!(
                    "The key was not found., Thumbprint of key used by client: '{thumbprint}'"
                ),
            )
        })
}
