//! Tenant identity providers (REFERENCE.md §6). SKELETON: being built.

use serde_json::{Value, json};

use crate::router::Route;
use crate::state::Object;

pub static ROUTES: &[Route] = &[];

/// Property names whose values are write-only: reads return [`MASK`] (REFERENCE.md §15.10).
const SECRET_PROPERTIES: &[&str] = &["clientSecret", "certificateData"];

/// What reads return for a secret.
pub const MASK: &str = "******";

/// A stored provider by id.
pub fn find<'a>(tenant: &'a crate::state::Tenant, id: &str) -> Option<&'a Object> {
    tenant.identity_providers.iter().find(|p| {
        p.get("id")
            .and_then(Value::as_str)
            .is_some_and(|pid| pid.eq_ignore_ascii_case(id))
    })
}

/// The shape a stored provider is read back in: secrets masked, nested ones included
/// (`clientAuthentication.clientSecret` of OIDC providers).
pub fn read_shape(provider: &Object) -> Value {
    fn mask(value: &mut Value) {
        if let Value::Object(map) = value {
            for (key, inner) in map.iter_mut() {
                if SECRET_PROPERTIES.contains(&key.as_str()) && !inner.is_null() {
                    *inner = Value::String(MASK.to_owned());
                } else {
                    mask(inner);
                }
            }
        }
    }
    let mut value = Value::Object(provider.clone());
    mask(&mut value);
    value
}

/// The built-in providers every external tenant has (REFERENCE.md §6, "builtInIdentityProvider").
pub fn built_ins() -> Vec<Object> {
    [
        (
            "EmailPassword-OAUTH",
            "Email with password",
            "EmailPassword",
        ),
        (
            "EmailOtpSignup-OAUTH",
            "Email One Time Passcode",
            "EmailOTP",
        ),
        (
            "AADSignup-OAUTH",
            "Azure Active Directory Sign up",
            "AADSignup",
        ),
    ]
    .into_iter()
    .filter_map(|(id, name, kind)| {
        match json!({
            "@odata.type": "#microsoft.graph.builtInIdentityProvider",
            "id": id,
            "displayName": name,
            "identityProviderType": kind,
            "state": null
        }) {
            Value::Object(map) => Some(map),
            _ => None,
        }
    })
    .collect()
}
