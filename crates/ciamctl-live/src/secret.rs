//! Secrets as the live tenant shows them: present or not, never their value.

use serde::{Serialize, Serializer};

use crate::ParseError;
use crate::read::Fields;

/// Whether a write-only secret (`clientSecret`, `certificateData`, …) is set. Graph reads
/// secrets back masked (`"******"`, once `"*****"`, §6, §15.10), so only presence is known and
/// secrets are never compared. Any non-empty string counts as set: a response that echoes a
/// secret in clear (the docs' social create response does) still yields no value here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SecretState {
    /// `null`, `""` or absent.
    #[default]
    Absent,
    /// Set; the value is unknown. Serialises as the mask.
    Set,
}

impl SecretState {
    /// Whether the secret is set.
    pub fn is_set(self) -> bool {
        self == Self::Set
    }

    pub(crate) fn read(fields: &Fields<'_>, key: &str) -> Result<Self, ParseError> {
        Ok(if fields.text(key)?.is_some() {
            Self::Set
        } else {
            Self::Absent
        })
    }
}

/// `Set` serialises as [`ciamctl_secret::MASK`], `Absent` as `null`.
impl Serialize for SecretState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Absent => serializer.serialize_none(),
            Self::Set => serializer.serialize_str(ciamctl_secret::MASK),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_mask_and_any_clear_value_read_as_set_and_serialise_as_the_mask() {
        for given in ["******", "*****", "****", "000000000000"] {
            let value = json!({ "clientSecret": given });
            let state =
                SecretState::read(&Fields::of("p", &value).unwrap(), "clientSecret").unwrap();
            assert_eq!(state, SecretState::Set);
            assert_eq!(serde_json::to_value(state).unwrap(), json!("******"));
        }
    }

    #[test]
    fn null_empty_and_absent_secrets_read_as_absent() {
        for value in [
            json!({ "clientSecret": null }),
            json!({ "clientSecret": "" }),
            json!({}),
        ] {
            let state =
                SecretState::read(&Fields::of("p", &value).unwrap(), "clientSecret").unwrap();
            assert_eq!(state, SecretState::Absent);
            assert_eq!(serde_json::to_value(state).unwrap(), json!(null));
        }
    }
}
