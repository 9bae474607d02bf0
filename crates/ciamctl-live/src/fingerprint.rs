//! Fingerprints of live objects: the SHA-256 of their canonical JSON.
//!
//! A saved plan records the fingerprint of every live object it read, and apply refuses the plan
//! when one has changed since. Canonical JSON is the object's serialisation (the normalised
//! state: masked secrets, no `*RelativeUrl`s) with object keys sorted and no whitespace, so the
//! fingerprint does not depend on the order Graph sent properties in.

use serde::Serialize;
use serde_json::Value;
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
    let mut out = Vec::new();
    write_sorted(&value, &mut out);
    // serde_json writes UTF-8 and the punctuation added here is ASCII.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes `value` with sorted keys, leaves as `serde_json` writes them. Sorting references while
/// writing, instead of rebuilding every map in order, is what keeps fingerprinting a large
/// tenant cheap (every plan fingerprints every live object).
fn write_sorted(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by_key(|(key, _)| *key);
            out.push(b'{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                leaf(key, out);
                out.push(b':');
                write_sorted(value, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_sorted(item, out);
            }
            out.push(b']');
        }
        other => leaf(other, out),
    }
}

fn leaf<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    // Writing a string, number, boolean or null to a Vec cannot fail.
    let _ = serde_json::to_writer(out, value);
}

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
    fn canonical_json_escapes_as_serde_json_and_sorts_keys_by_their_bytes() {
        assert_eq!(
            canonical_json(
                &json!({ "é": "a\"b\n\u{1}", "n": 1.5, "Z": [true, -2, "ü"], "a\"": {} })
            ),
            r#"{"Z":[true,-2,"ü"],"a\"":{},"n":1.5,"é":"a\"b\n\u0001"}"#
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
