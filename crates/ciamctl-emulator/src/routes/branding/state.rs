//! What the tenant stores for company branding: the default branding and its localizations,
//! each with its non-stream properties as written and its uploaded assets.
//!
//! Persistence saves [`crate::Tenant`] as JSON, so asset bytes are stored base64-encoded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::locale::is_default_id;
use super::streams::Stream;
use crate::state::Object;

/// The default branding and its localizations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrandingState {
    /// The default branding (id `0`). `None` until a PATCH or the first localization creates
    /// it (REFERENCE.md §7); `GET /branding` answers 404 until then.
    pub default: Option<BrandingRecord>,
    /// The localizations, in the order they were created.
    pub localizations: Vec<BrandingRecord>,
}

/// One branding: the default (`id` `"0"`) or a localization (`id` its culture name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrandingRecord {
    pub id: String,
    /// Non-stream properties as written (validated, enum members normalised). A key that was
    /// never written is absent; one written as `null` is kept as `null`.
    pub properties: Object,
    /// Uploaded streams.
    pub assets: BTreeMap<Stream, Asset>,
}

/// One uploaded stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Asset {
    /// The media type it is served with (`image/png`, `image/jpeg`, `image/x-icon`, `text/css`).
    pub content_type: String,
    #[serde(with = "base64_bytes")]
    pub data: Vec<u8>,
    /// When it was uploaded, in .NET ticks: the `ts` of its `*RelativeUrl`.
    pub uploaded_ticks: u64,
}

impl BrandingState {
    /// The branding `id` addresses: `0`/`default` the default, else a localization by culture
    /// name (case-insensitive, as Graph matches keys).
    pub(crate) fn get(&self, id: &str) -> Option<&BrandingRecord> {
        if is_default_id(id) {
            self.default.as_ref()
        } else {
            self.localizations
                .iter()
                .find(|r| r.id.eq_ignore_ascii_case(id))
        }
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut BrandingRecord> {
        if is_default_id(id) {
            self.default.as_mut()
        } else {
            self.localizations
                .iter_mut()
                .find(|r| r.id.eq_ignore_ascii_case(id))
        }
    }

    /// The default branding, created empty if there is none yet.
    pub(crate) fn ensure_default(&mut self) -> &mut BrandingRecord {
        self.default.get_or_insert_with(|| BrandingRecord {
            id: "0".to_owned(),
            ..BrandingRecord::default()
        })
    }

    /// Every branding, the default first (the order of the localization list, §15.17).
    pub(crate) fn all(&self) -> impl Iterator<Item = &BrandingRecord> {
        self.default.iter().chain(&self.localizations)
    }
}

impl BrandingRecord {
    pub(crate) fn is_default(&self) -> bool {
        is_default_id(&self.id)
    }
}

/// Serde for bytes as standard base64 text.
mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(data: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(data))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_round_trip_through_json_as_base64() {
        let mut state = BrandingState::default();
        state.ensure_default().assets.insert(
            Stream::CustomCss,
            Asset {
                content_type: "text/css".into(),
                data: vec![0, 159, 255, b'a'],
                uploaded_ticks: 638_000_000_000_000_000,
            },
        );
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["default"]["assets"]["customCSS"]["data"], "AJ//YQ==");
        let back: BrandingState = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
    }

    #[test]
    fn default_is_addressed_as_0_or_default_and_locales_case_insensitively() {
        let mut state = BrandingState::default();
        state.ensure_default();
        state.localizations.push(BrandingRecord {
            id: "fr-FR".into(),
            ..BrandingRecord::default()
        });
        assert_eq!(state.get("DEFAULT").map(|r| r.id.as_str()), Some("0"));
        assert_eq!(state.get("fr-fr").map(|r| r.id.as_str()), Some("fr-FR"));
        assert!(state.get("de-DE").is_none());
    }
}
