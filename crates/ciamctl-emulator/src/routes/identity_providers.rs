//! Tenant identity providers (REFERENCE.md §6). SKELETON: being built.

use serde_json::{Value, json};

use crate::router::Route;
use crate::state::Object;

pub static ROUTES: &[Route] = &[];

/// The built-in providers every external tenant has (REFERENCE.md §6, "builtInIdentityProvider").
pub fn built_ins() -> Vec<Object> {
    [
        ("EmailPassword-OAUTH", "Email with password", "EmailPassword"),
        ("EmailOtpSignup-OAUTH", "Email One Time Passcode", "EmailOTP"),
        ("AADSignup-OAUTH", "Azure Active Directory Sign up", "AADSignup"),
    ]
    .into_iter()
    .filter_map(|(id, name, kind)| match json!({
        "@odata.type": "#microsoft.graph.builtInIdentityProvider",
        "id": id,
        "displayName": name,
        "identityProviderType": kind,
        "state": null
    }) {
        Value::Object(map) => Some(map),
        _ => None,
    })
    .collect()
}
