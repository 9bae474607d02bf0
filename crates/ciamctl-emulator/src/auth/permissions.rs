//! Bearer tokens on Graph requests and the application permissions each route needs
//! (REFERENCE.md §0.5).
//!
//! The 401 messages are the ones Graph gives for each case as far as general knowledge goes
//! (the contract names only the code); clients must key on `error.code`, never on the message.

use http::StatusCode;

use super::token::Claims;
use crate::Ctx;
use crate::error::GraphError;
use crate::request::GraphRequest;

fn unauthenticated(message: &str) -> GraphError {
    GraphError::new(
        StatusCode::UNAUTHORIZED,
        "InvalidAuthenticationToken",
        message,
    )
}

/// Checks the request's bearer token against the permissions a route needs: 401
/// `InvalidAuthenticationToken` for a missing, malformed, expired or foreign token (one this
/// emulator instance did not sign), 403 `Authorization_RequestDenied` when its roles hold none
/// of `permissions`. A route that names no permission (`$batch`, whose items are authorised one
/// by one) needs only a valid token.
pub(crate) fn authorize(
    ctx: &Ctx,
    req: &GraphRequest,
    permissions: &[&str],
) -> Result<Claims, GraphError> {
    let token = req
        .header("authorization")
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| unauthenticated("Access token is empty."))?;
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    // Every token this instance signs has a Graph root as `aud`; the signature already proves
    // it came from here.
    validation.validate_aud = false;
    validation.leeway = 0;
    let claims = jsonwebtoken::decode::<Claims>(token, &ctx.signing_key.decoding(), &validation)
        .map_err(|err| {
            use jsonwebtoken::errors::ErrorKind;
            unauthenticated(match err.kind() {
                ErrorKind::ExpiredSignature => "Lifetime validation failed, the token is expired.",
                ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => {
                    "Access token validation failure. Invalid signature: the token was not issued by this emulator."
                }
                _ => "CompactToken parsing failed with error code: 80049217",
            })
        })?
        .claims;
    if permissions.is_empty()
        || permissions
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
pub(super) fn grants(role: &str, needed: &str) -> bool {
    role == needed
        || needed
            .strip_suffix(".Read.All")
            .is_some_and(|stem| role == format!("{stem}.ReadWrite.All"))
}
