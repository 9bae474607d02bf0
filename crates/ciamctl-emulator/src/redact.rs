//! What the journal and the state dump never show: secret values, masked wherever they sit in
//! a JSON document.

use serde_json::Value;

/// The mask that replaces a secret, the one Graph reads back (REFERENCE.md §15.10).
pub(crate) const MASK: &str = "******";

/// Property names whose values are secrets, compared case-insensitively: Graph's write-only
/// properties (§15.10), the token endpoint's credentials and tokens (§13), `Authorization`
/// headers (as `$batch` items carry them) and the tenant's client secrets (`clients[].secrets`).
const SECRET_KEYS: &[&str] = &[
    "clientSecret",
    "certificateData",
    "client_secret",
    "client_assertion",
    "access_token",
    "Authorization",
    "secrets",
];

/// Replaces, at any depth, the value of every secret property that is not `null` by [`MASK`]
/// (a list of secrets becomes a list of masks, so its length still shows).
pub(crate) fn mask_secrets(value: &mut Value) {
    mask_properties(value, SECRET_KEYS);
}

/// Replaces, at any depth, the value of every property named in `keys` (compared
/// case-insensitively) that is not `null` by [`MASK`], as [`mask_secrets`] does.
pub(crate) fn mask_properties(value: &mut Value, keys: &[&str]) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if keys.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                    mask_all(inner);
                } else {
                    mask_properties(inner, keys);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| mask_properties(item, keys)),
        _ => {}
    }
}

fn mask_all(value: &mut Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => items.iter_mut().for_each(mask_all),
        other => *other = Value::String(MASK.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_are_masked_at_any_depth_and_null_stays_null() {
        let mut value = json!({
            "clientSecret": "s1",
            "clientAuthentication": { "ClientSecret": "s2", "certificateData": null },
            "requests": [{ "headers": { "authorization": "Bearer t" }, "body": { "displayName": "x" } }],
            "clients": [{ "secrets": ["a", "b"], "clientId": "c" }]
        });
        mask_secrets(&mut value);
        assert_eq!(
            value,
            json!({
                "clientSecret": MASK,
                "clientAuthentication": { "ClientSecret": MASK, "certificateData": null },
                "requests": [{ "headers": { "authorization": MASK }, "body": { "displayName": "x" } }],
                "clients": [{ "secrets": [MASK, MASK], "clientId": "c" }]
            })
        );
    }
}
