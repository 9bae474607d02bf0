//! The token endpoint's refusals, one constructor per failure.
//!
//! REFERENCE.md §13 gives the body's shape (`error`, `error_description` starting with an
//! `AADSTS` code, `error_codes`, `timestamp`, `trace_id`, `correlation_id`) and says it comes from
//! general knowledge of the identity platform. The codes and wording below are Entra's as its
//! public error pages and real responses show them, not the contract's; where Entra's exact text
//! is unknown the description says plainly what failed. Credential failures are 401
//! `invalid_client`; malformed requests are 400. No description ever quotes a secret, an
//! assertion or a token: only client ids, claim values (`iss`, `sub`, `aud`, times) and
//! thumbprints, which Entra quotes too.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::StatusCode;
use serde_json::{Value, json};

/// An OAuth 2.0 error from the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub(crate) status: StatusCode,
    /// The OAuth `error` value (`invalid_client`, `invalid_request`, ...).
    pub(crate) error: &'static str,
    /// The `AADSTS` number.
    pub(crate) code: u32,
    /// The description after `AADSTS{code}: `.
    pub(crate) message: String,
}

impl OAuthError {
    fn new(status: StatusCode, error: &'static str, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            error,
            code,
            message: message.into(),
        }
    }

    fn bad_request(error: &'static str, code: u32, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, code, message)
    }

    fn invalid_client(code: u32, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", code, message)
    }

    /// The response body, with fresh trace and correlation ids as every Entra response has.
    pub(crate) fn body(&self) -> Value {
        let timestamp = entra_time(SystemTime::now());
        let trace_id = uuid::Uuid::new_v4().to_string();
        let correlation_id = uuid::Uuid::new_v4().to_string();
        json!({
            "error": self.error,
            "error_description": format!(
                "AADSTS{}: {} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}",
                self.code, self.message
            ),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        })
    }

    /// AADSTS90002: `{tenant}` is neither the tenant id nor a verified domain.
    pub(crate) fn tenant_not_found(tenant: &str) -> Self {
        Self::bad_request(
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        )
    }

    /// AADSTS900144: a required form field is missing.
    pub(crate) fn missing_parameter(name: &str) -> Self {
        Self::bad_request(
            "invalid_request",
            900_144,
            format!("The request body must contain the following parameter: '{name}'."),
        )
    }

    /// AADSTS9002313: the request is malformed in a way no more specific code covers.
    pub(crate) fn malformed_request(detail: &str) -> Self {
        Self::bad_request(
            "invalid_request",
            9_002_313,
            format!("Invalid request. Request is malformed or invalid. - {detail}"),
        )
    }

    /// AADSTS70003: a grant other than client credentials.
    pub(crate) fn unsupported_grant_type(grant_type: &str) -> Self {
        Self::bad_request(
            "unsupported_grant_type",
            70003,
            format!(
                "The app requested an unsupported grant type '{grant_type}'. The emulator issues tokens for the client_credentials grant only."
            ),
        )
    }

    /// AADSTS1002012: a client-credentials scope must be `{resource}/.default`.
    pub(crate) fn scope_without_default(scope: &str) -> Self {
        Self::bad_request(
            "invalid_scope",
            1_002_012,
            format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        )
    }

    /// AADSTS70011: several scopes, where client credentials take exactly one.
    pub(crate) fn several_scopes(scope: &str) -> Self {
        Self::bad_request(
            "invalid_scope",
            70011,
            format!(
                "The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid: the client_credentials grant takes a single {{resource}}/.default scope."
            ),
        )
    }

    /// AADSTS500011: the scope names a resource this emulator does not serve.
    pub(crate) fn resource_not_found(resource: &str, tenant: &str) -> Self {
        Self::bad_request(
            "invalid_resource",
            500_011,
            format!(
                "The resource principal named {resource} was not found in the tenant named {tenant}. The emulator serves the Microsoft Graph roots of every national cloud and its own address."
            ),
        )
    }

    /// AADSTS700016: no client with this id is registered.
    pub(crate) fn client_not_found(client_id: &str, tenant: &str) -> Self {
        Self::bad_request(
            "unauthorized_client",
            700_016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        )
    }

    /// AADSTS7000216: neither a secret nor an assertion was sent.
    pub(crate) fn no_credential() -> Self {
        Self::invalid_client(
            7_000_216,
            "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        )
    }

    /// AADSTS7000215: the secret is not one of the client's.
    pub(crate) fn wrong_secret(client_id: &str) -> Self {
        Self::invalid_client(
            7_000_215,
            format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
            ),
        )
    }

    /// AADSTS50027: the assertion is not a JWT this endpoint can read, or lacks a claim.
    pub(crate) fn malformed_assertion(reason: &str) -> Self {
        Self::invalid_client(
            50027,
            format!("JWT token is invalid or malformed. [Reason - {reason}]"),
        )
    }

    /// AADSTS700021: a certificate assertion's `iss` and `sub` must both be the client id.
    pub(crate) fn assertion_client_mismatch(client_id: &str, iss: &str, sub: &str) -> Self {
        Self::invalid_client(
            700_021,
            format!(
                "Client assertion application identifier doesn't match 'client_id' parameter. 'iss' is '{iss}' and 'sub' is '{sub}'; both must be '{client_id}'."
            ),
        )
    }

    /// AADSTS700027: the header names no certificate registered for the client.
    pub(crate) fn certificate_not_registered(client_id: &str, reason: &str) -> Self {
        Self::invalid_client(
            700_027,
            format!(
                "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - {reason}, app Id '{client_id}']"
            ),
        )
    }

    /// AADSTS700027: the signature does not verify with the certificate the header names.
    pub(crate) fn invalid_signature(reason: &str) -> Self {
        Self::invalid_client(
            700_027,
            format!("Client assertion contains an invalid signature. [Reason - {reason}]"),
        )
    }

    /// AADSTS700023: a certificate assertion's `aud` is not this token endpoint.
    pub(crate) fn assertion_audience(audience: &str, expected: &str) -> Self {
        Self::invalid_client(
            700_023,
            format!(
                "Client assertion audience claim does not match Realm issuer. The audience is '{audience}'; expected the token endpoint '{expected}'."
            ),
        )
    }

    /// AADSTS700024: `nbf` is in the future or `exp` in the past.
    pub(crate) fn assertion_time(now: u64, nbf: Option<u64>, exp: u64) -> Self {
        let at = |secs: u64| format!("{}Z", crate::odata::utc_timestamp(epoch(secs)));
        Self::invalid_client(
            700_024,
            format!(
                "Client assertion is not within its valid time range. Current time: {}, assertion valid from {}, expiry time of assertion {}.",
                at(now),
                at(nbf.unwrap_or(0)),
                at(exp)
            ),
        )
    }

    /// AADSTS700211: no federated credential of the client has the assertion's issuer.
    pub(crate) fn federated_issuer(iss: &str) -> Self {
        Self::invalid_client(
            700_211,
            format!(
                "No matching federated identity record found for presented assertion issuer '{iss}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion."
            ),
        )
    }

    /// AADSTS700213: no federated credential with the assertion's issuer has its subject.
    pub(crate) fn federated_subject(sub: &str) -> Self {
        Self::invalid_client(
            700_213,
            format!(
                "No matching federated identity record found for presented assertion subject '{sub}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion."
            ),
        )
    }

    /// AADSTS700212: no federated credential with the assertion's issuer and subject accepts
    /// any of its audiences.
    pub(crate) fn federated_audience(audiences: &[String]) -> Self {
        Self::invalid_client(
            700_212,
            format!(
                "No matching federated identity record found for presented assertion audience '{}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
                audiences.join("', '")
            ),
        )
    }

    /// AADSTS50013: the federated assertion's signature does not verify with the issuer's key.
    pub(crate) fn federated_signature(reason: &str) -> Self {
        Self::invalid_client(
            50013,
            format!("Assertion failed signature validation. [Reason - {reason}]"),
        )
    }

    /// A form larger than `limit` bytes: 413 with AADSTS9002313 (malformed request). Entra's
    /// answer to an oversized form is not documented; the status is the one Graph gives
    /// (REFERENCE.md §12.1 lists 413).
    pub(crate) fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            9_002_313,
            format!("Invalid request. The request body is larger than {limit} bytes."),
        )
    }

    /// AADSTS50000: the emulator failed to sign a token (a bug, not a client error).
    pub(crate) fn server_error(detail: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            50000,
            format!("There was an error issuing a token. {detail}"),
        )
    }
}

fn epoch(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// `YYYY-MM-DD HH:MM:SSZ`, the shape of Entra's `timestamp`.
fn entra_time(time: SystemTime) -> String {
    format!(
        "{}Z",
        crate::odata::utc_timestamp(time).replacen('T', " ", 1)
    )
}
