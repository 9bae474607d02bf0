//! What an access token says about whoever holds it, read from its JWT payload without
//! verifying the signature: only Graph can verify it, and `ciamctl doctor` only shows it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::error::AuthError;

/// The claims `ciamctl doctor` shows and the CLI uses (the tenant of a ready token).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenClaims {
    /// `tid`: the tenant that issued the token.
    pub tenant_id: Option<String>,
    /// `appid` (v1.0 tokens) or `azp` (v2.0 tokens): the client the token was issued to.
    pub app_id: Option<String>,
    /// `roles`: application permissions. Absent (empty) when the app holds none.
    pub roles: Vec<String>,
    /// `scp`: delegated permissions, in a token issued to a user (such as one from
    /// `az account get-access-token`).
    pub scopes: Vec<String>,
    /// `aud`: the resource, such as `https://graph.microsoft.com` (several values are kept).
    pub audience: Vec<String>,
    /// `exp`: when the token expires, in seconds since the Unix epoch.
    pub expires: Option<u64>,
}

impl TokenClaims {
    /// Reads the claims of a JWS compact token (`header.payload.signature`).
    pub fn decode(token: &str) -> Result<Self, AuthError> {
        let mut parts = token.split('.');
        let (Some(_), Some(payload), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthError::MalformedToken {
                reason: "it is not three dot-separated parts",
            });
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| AuthError::MalformedToken {
                reason: "its payload is not base64url",
            })?;
        let raw: RawClaims =
            serde_json::from_slice(&bytes).map_err(|_| AuthError::MalformedToken {
                reason: "its payload is not a JSON object of JWT claims",
            })?;
        Ok(Self {
            tenant_id: raw.tid,
            app_id: raw.appid.or(raw.azp),
            roles: raw.roles.unwrap_or_default(),
            scopes: raw
                .scp
                .map(|s| s.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            audience: match raw.aud {
                Some(OneOrMany::One(aud)) => vec![aud],
                Some(OneOrMany::Many(auds)) => auds,
                None => Vec::new(),
            },
            expires: raw.exp,
        })
    }

    /// When the token expires, if it says and the system clock can hold it.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires
            .and_then(|exp| UNIX_EPOCH.checked_add(Duration::from_secs(exp)))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct RawClaims {
    tid: Option<String>,
    appid: Option<String>,
    azp: Option<String>,
    roles: Option<Vec<String>>,
    scp: Option<String>,
    aud: Option<OneOrMany>,
    exp: Option<u64>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn jwt(claims: &serde_json::Value) -> String {
        format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    }

    #[test]
    fn app_tokens_give_tenant_app_roles_audience_and_expiry() {
        let claims = TokenClaims::decode(&jwt(&json!({
            "tid": "t", "appid": "a", "roles": ["R.Read.All"],
            "aud": "https://graph.microsoft.us", "exp": 1_900_000_000u64,
        })))
        .unwrap();
        assert_eq!(
            claims,
            TokenClaims {
                tenant_id: Some("t".into()),
                app_id: Some("a".into()),
                roles: vec!["R.Read.All".into()],
                scopes: vec![],
                audience: vec!["https://graph.microsoft.us".into()],
                expires: Some(1_900_000_000),
            }
        );
        assert_eq!(
            claims.expires_at(),
            Some(UNIX_EPOCH + Duration::from_secs(1_900_000_000))
        );
    }

    #[test]
    fn v2_and_user_tokens_give_azp_and_delegated_scopes_and_absent_roles_are_empty() {
        let claims = TokenClaims::decode(&jwt(&json!({
            "azp": "cli", "scp": "User.Read  Application.Read.All", "aud": ["x", "y"],
        })))
        .unwrap();
        assert_eq!(claims.app_id.as_deref(), Some("cli"));
        assert_eq!(claims.scopes, ["User.Read", "Application.Read.All"]);
        assert!(claims.roles.is_empty());
        assert_eq!(claims.audience, ["x", "y"]);
        assert_eq!(claims.tenant_id, None);
    }

    #[test]
    fn a_token_that_is_not_a_jwt_is_a_typed_error_naming_the_problem_not_the_token() {
        let payload_not_json = format!("a.{}.c", URL_SAFE_NO_PAD.encode("secret-words"));
        for (token, reason) in [
            ("opaque-secret-token", "it is not three dot-separated parts"),
            ("a.b.c.d.e", "it is not three dot-separated parts"),
            ("a.!!secret!!.c", "its payload is not base64url"),
            (
                payload_not_json.as_str(),
                "its payload is not a JSON object of JWT claims",
            ),
        ] {
            let err = TokenClaims::decode(token).unwrap_err();
            assert!(
                matches!(err, AuthError::MalformedToken { reason: r } if r == reason),
                "{token}: {err:?}"
            );
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }
}
