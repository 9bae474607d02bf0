//! Fingerprints of live objects: the SHA-256 of their canonical JSON.
//!
//! A saved plan records the fingerprint of every live object it read, and apply refuses the plan
//! when one has changed since. Canonical JSON is the object's serialisation (the normalised
//! state: masked secrets, no `*RelativeUrl`s) with object keys sorted and no whitespace, so the
//! fingerprint does not depend on the order Graph sent properties in.

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use crate::{
    Application, Branding, CustomExtension, IdentityProvider, Localization, Organization, UserFlow,
    UserFlowAttribute,
};

/// An object kind of the live tenant that a saved plan can pin.
pub trait Fingerprint: Serialize {
    /// Lower-case hex SHA-256 of the object's canonical JSON.
    fn fingerprint(&self) -> String {
        hex_sha256(canonical_json(self).as_bytes())
    }
}

impl Fingerprint for UserFlow {}
impl Fingerprint for UserFlowAttribute {}
impl Fingerprint for IdentityProvider {}
impl Fingerprint for CustomExtension {}
impl Fingerprint for Organization {}
impl Fingerprint for Application {}
impl Fingerprint for Branding {}
impl Fingerprint for Localization {}

/// `value` as JSON with every object's keys sorted and no whitespace.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising these types cannot fail: every map key is a string and no impl errors.
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    sorted(value).to_string()
}

fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted(v)))
                    .collect::<Map<_, _>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Lower-case hex SHA-256 of `bytes`.
/// Lower-case hex SHA-256 of `bytes`, the digest every hash in ciamctl's output uses.
pub fn hex_sha256(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            // Writing to a String cannot fail.
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::read::FromGraph;

    fn attribute(value: &Value) -> UserFlowAttribute {
        UserFlowAttribute::from_graph(value).unwrap()
    }

    #[test]
    fn hex_sha256_of_nothing_is_the_known_digest() {
        assert_eq!(
            hex_sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        assert_eq!(
            canonical_json(&json!({ "b": { "d": 1, "c": [ { "f": 0, "e": 0 } ] }, "a": null })),
            r#"{"a":null,"b":{"c":[{"e":0,"f":0}],"d":1}}"#
        );
    }

    #[test]
    fn the_fingerprint_does_not_depend_on_the_order_graph_sent_properties_in() {
        let one = attribute(&json!({ "id": "city", "displayName": "City", "dataType": "string" }));
        let other = attribute(
            &json!({ "dataType": "String", "displayName": "City", "id": "city", "extra": 1 }),
        );
        assert_eq!(one.fingerprint(), other.fingerprint());
        assert_eq!(one.fingerprint().len(), 64);
    }

    #[test]
    fn the_fingerprint_changes_when_a_field_changes() {
        let one = attribute(&json!({ "id": "city", "displayName": "City", "description": "a" }));
        let other = attribute(&json!({ "id": "city", "displayName": "City", "description": "b" }));
        assert_ne!(one.fingerprint(), other.fingerprint());
    }

    #[test]
    fn a_masked_secret_fingerprints_the_same_whatever_mask_graph_used() {
        let provider = |secret: &str| {
            IdentityProvider::from_graph(&json!({
                "@odata.type": "#microsoft.graph.socialIdentityProvider",
                "id": "Google-OAUTH", "displayName": "Google", "identityProviderType": "Google",
                "clientId": "c", "clientSecret": secret
            }))
            .unwrap()
        };
        assert_eq!(
            provider("******").fingerprint(),
            provider("*****").fingerprint()
        );
    }
}
