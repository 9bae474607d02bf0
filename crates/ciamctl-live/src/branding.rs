//! Company branding and its localizations (REFERENCE.md §7, §8).
//!
//! Both carry the same properties ([`BrandingProperties`], named as the model's
//! `crates/ciamctl-model/src/branding.rs` names them). Unset strings read back as `""` on the
//! default branding and as `null` elsewhere; both become `None`, while a whitespace-only string
//! stays: it is an explicit blank on a localization (§8, §15.18). Stream properties are not in
//! the JSON: their `*RelativeUrl` says whether each is set, and the fetcher downloads the ones a
//! configuration manages ([`AssetState::from_download`], [`BrandingProperties::set_asset`]).
//! The `*RelativeUrl`s and `cdnList` change with every upload and are not part of the state.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

pub use ciamctl_model::assets::Stream;

use crate::ParseError;
use crate::read::{Fields, FromGraph};

/// Members of `layoutTemplateType`.
const LAYOUT_TEMPLATE_TYPES: &[&str] = &["default", "verticalSplit", "unknownFutureValue"];

/// The default company branding (id `0`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branding {
    #[serde(flatten)]
    pub properties: BrandingProperties,
}

/// The branding of one locale (`organizationalBrandingLocalization`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Localization {
    /// The culture name (`fr-FR`), Graph's `id`.
    pub locale: String,
    #[serde(flatten)]
    pub properties: BrandingProperties,
}

/// The properties shared by the default branding and its localizations.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrandingProperties {
    pub background_color: Option<String>,
    pub header_background_color: Option<String>,
    pub sign_in_page_text: Option<String>,
    pub username_hint_text: Option<String>,
    pub custom_account_reset_credentials_url: Option<String>,
    pub custom_cannot_access_your_account_text: Option<String>,
    pub custom_cannot_access_your_account_url: Option<String>,
    pub custom_forgot_my_password_text: Option<String>,
    pub custom_privacy_and_cookies_text: Option<String>,
    pub custom_privacy_and_cookies_url: Option<String>,
    pub custom_reset_it_now_text: Option<String>,
    pub custom_terms_of_use_text: Option<String>,
    pub custom_terms_of_use_url: Option<String>,
    pub login_page_layout_configuration: Option<LoginPageLayoutConfiguration>,
    pub login_page_text_visibility_settings: Option<LoginPageTextVisibilitySettings>,
    /// `None` also when both lists are empty.
    pub content_customization: Option<ContentCustomization>,
    /// Every stream, present or absent.
    pub assets: BTreeMap<Stream, AssetState>,
}

/// `loginPageLayoutConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginPageLayoutConfiguration {
    pub layout_template_type: Option<String>,
    pub is_header_shown: Option<bool>,
    pub is_footer_shown: Option<bool>,
}

/// `loginPageTextVisibilitySettings`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginPageTextVisibilitySettings {
    pub hide_account_reset_credentials: Option<bool>,
    pub hide_cannot_access_your_account: Option<bool>,
    pub hide_forgot_my_password: Option<bool>,
    pub hide_privacy_and_cookies: Option<bool>,
    pub hide_reset_it_now: Option<bool>,
    pub hide_terms_of_use: Option<bool>,
}

/// `contentCustomization` without its `*RelativeUrl`s.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentCustomization {
    pub attribute_collection: Vec<KeyValue>,
    pub registration_campaign: Vec<KeyValue>,
}

/// A `keyValue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// The property saying where `stream` is on the CDN, `null` when unset.
fn relative_url_property(stream: Stream) -> String {
    format!("{}RelativeUrl", stream.name())
}

/// Whether a stream is set and, once downloaded, what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum AssetState {
    /// Not set: its `*RelativeUrl` is `null` or missing, or its download answered `{}` (§15.13).
    Absent,
    /// Set; `content` once the fetcher downloaded it.
    Present { content: Option<AssetContent> },
}

impl AssetState {
    /// The state a stream download shows. Graph answers `200` with the JSON body `{}` for a
    /// stream that was never set (§7, §15.13), so that body (and an empty one) is
    /// [`AssetState::Absent`]; anything else is the content.
    pub fn from_download(content_type: &str, bytes: &[u8]) -> Self {
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() || is_empty_json_object(trimmed) {
            Self::Absent
        } else {
            Self::Present {
                content: Some(AssetContent::of(bytes, content_type)),
            }
        }
    }

    /// Whether the stream is set.
    pub fn is_present(&self) -> bool {
        matches!(self, Self::Present { .. })
    }
}

/// `{}` with any whitespace inside.
fn is_empty_json_object(bytes: &[u8]) -> bool {
    bytes.first() == Some(&b'{')
        && bytes.last() == Some(&b'}')
        && bytes[1..bytes.len() - 1].trim_ascii().is_empty()
}

/// What a downloaded stream holds, to compare with a file without keeping the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssetContent {
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: u64,
    /// The media type, lower-cased and without parameters (`image/png`).
    pub content_type: String,
    /// A stylesheet's text (UTF-8 `text/css` only), so that a plan can show a line diff. Not
    /// serialised: the hash already identifies the content in snapshots and fingerprints.
    #[serde(skip)]
    pub text: Option<String>,
}

impl AssetContent {
    pub fn of(bytes: &[u8], content_type: &str) -> Self {
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let text = (media_type == "text/css")
            .then(|| String::from_utf8(bytes.to_vec()).ok())
            .flatten();
        Self {
            sha256: crate::fingerprint::hex_sha256(bytes),
            size: bytes.len() as u64,
            content_type: media_type,
            text,
        }
    }
}

impl BrandingProperties {
    /// Records a stream's state (after the fetcher downloaded it).
    pub fn set_asset(&mut self, stream: Stream, state: AssetState) {
        self.assets.insert(stream, state);
    }

    /// A stream's state (`Absent` if it was never recorded).
    pub fn asset(&self, stream: Stream) -> &AssetState {
        self.assets.get(&stream).unwrap_or(&AssetState::Absent)
    }

    /// The text properties by Graph name, in the model's order (set or not).
    pub fn texts(&self) -> [(&'static str, Option<&str>); 13] {
        [
            ("backgroundColor", self.background_color.as_deref()),
            (
                "headerBackgroundColor",
                self.header_background_color.as_deref(),
            ),
            ("signInPageText", self.sign_in_page_text.as_deref()),
            ("usernameHintText", self.username_hint_text.as_deref()),
            (
                "customAccountResetCredentialsUrl",
                self.custom_account_reset_credentials_url.as_deref(),
            ),
            (
                "customCannotAccessYourAccountText",
                self.custom_cannot_access_your_account_text.as_deref(),
            ),
            (
                "customCannotAccessYourAccountUrl",
                self.custom_cannot_access_your_account_url.as_deref(),
            ),
            (
                "customForgotMyPasswordText",
                self.custom_forgot_my_password_text.as_deref(),
            ),
            (
                "customPrivacyAndCookiesText",
                self.custom_privacy_and_cookies_text.as_deref(),
            ),
            (
                "customPrivacyAndCookiesUrl",
                self.custom_privacy_and_cookies_url.as_deref(),
            ),
            (
                "customResetItNowText",
                self.custom_reset_it_now_text.as_deref(),
            ),
            (
                "customTermsOfUseText",
                self.custom_terms_of_use_text.as_deref(),
            ),
            (
                "customTermsOfUseUrl",
                self.custom_terms_of_use_url.as_deref(),
            ),
        ]
    }

    fn read(fields: &Fields<'_>) -> Result<Self, ParseError> {
        let layout = fields
            .object("loginPageLayoutConfiguration")?
            .map(|layout| {
                Ok::<_, ParseError>(LoginPageLayoutConfiguration {
                    layout_template_type: layout
                        .member("layoutTemplateType", LAYOUT_TEMPLATE_TYPES)?,
                    is_header_shown: layout.bool("isHeaderShown")?,
                    is_footer_shown: layout.bool("isFooterShown")?,
                })
            })
            .transpose()?
            .filter(|layout| *layout != LoginPageLayoutConfiguration::default());
        let visibility = fields
            .object("loginPageTextVisibilitySettings")?
            .map(|settings| {
                Ok::<_, ParseError>(LoginPageTextVisibilitySettings {
                    hide_account_reset_credentials: settings.bool("hideAccountResetCredentials")?,
                    hide_cannot_access_your_account: settings
                        .bool("hideCannotAccessYourAccount")?,
                    hide_forgot_my_password: settings.bool("hideForgotMyPassword")?,
                    hide_privacy_and_cookies: settings.bool("hidePrivacyAndCookies")?,
                    hide_reset_it_now: settings.bool("hideResetItNow")?,
                    hide_terms_of_use: settings.bool("hideTermsOfUse")?,
                })
            })
            .transpose()?
            .filter(|settings| *settings != LoginPageTextVisibilitySettings::default());
        let content = fields
            .object("contentCustomization")?
            .map(|content| {
                Ok::<_, ParseError>(ContentCustomization {
                    attribute_collection: key_values(&content, "attributeCollection")?,
                    registration_campaign: key_values(&content, "registrationCampaign")?,
                })
            })
            .transpose()?
            .filter(|content| *content != ContentCustomization::default());
        let assets = Stream::ALL
            .into_iter()
            .map(|stream| {
                let state = if fields.text(&relative_url_property(stream))?.is_some() {
                    AssetState::Present { content: None }
                } else {
                    AssetState::Absent
                };
                Ok((stream, state))
            })
            .collect::<Result<_, ParseError>>()?;
        Ok(Self {
            background_color: fields.text("backgroundColor")?,
            header_background_color: fields.text("headerBackgroundColor")?,
            sign_in_page_text: fields.text("signInPageText")?,
            username_hint_text: fields.text("usernameHintText")?,
            custom_account_reset_credentials_url: fields
                .text("customAccountResetCredentialsUrl")?,
            custom_cannot_access_your_account_text: fields
                .text("customCannotAccessYourAccountText")?,
            custom_cannot_access_your_account_url: fields
                .text("customCannotAccessYourAccountUrl")?,
            custom_forgot_my_password_text: fields.text("customForgotMyPasswordText")?,
            custom_privacy_and_cookies_text: fields.text("customPrivacyAndCookiesText")?,
            custom_privacy_and_cookies_url: fields.text("customPrivacyAndCookiesUrl")?,
            custom_reset_it_now_text: fields.text("customResetItNowText")?,
            custom_terms_of_use_text: fields.text("customTermsOfUseText")?,
            custom_terms_of_use_url: fields.text("customTermsOfUseUrl")?,
            login_page_layout_configuration: layout,
            login_page_text_visibility_settings: visibility,
            content_customization: content,
            assets,
        })
    }
}

fn key_values(content: &Fields<'_>, key: &str) -> Result<Vec<KeyValue>, ParseError> {
    content
        .objects(key)?
        .unwrap_or_default()
        .iter()
        .map(|pair| {
            Ok(KeyValue {
                key: pair.required_string("key")?,
                value: pair.string("value")?.unwrap_or_default(),
            })
        })
        .collect()
}

/// Whether `id` names the default branding (`0` or `default`, §7).
fn is_default_id(id: &str) -> bool {
    id == "0" || id.eq_ignore_ascii_case("default")
}

impl FromGraph for Branding {
    const KIND: &'static str = "branding";

    /// The default branding from `GET /organization/{id}/branding` with `Accept-Language: 0`.
    /// A 404 there means there is none (§7), which the fetcher records as `None` without
    /// calling this.
    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let fields = Fields::of(Self::KIND, value)?;
        if let Some(id) = fields.text("id")?
            && !is_default_id(&id)
        {
            return Err(fields.error(format!(
                "expected the default branding (id `0`), found the localization `{id}`"
            )));
        }
        Ok(Self {
            properties: BrandingProperties::read(&fields)?,
        })
    }
}

impl FromGraph for Localization {
    const KIND: &'static str = "branding localization";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let fields = Fields::of(Self::KIND, value)?;
        let locale = fields.required_string("id")?;
        if is_default_id(&locale) {
            return Err(fields.error("this is the default branding, not a localization"));
        }
        Ok(Self {
            locale,
            properties: BrandingProperties::read(&fields)?,
        })
    }

    /// The localization list includes the default branding as id `0` (§8, §15.17).
    fn skipped_in_collection(value: &Value) -> bool {
        crate::read::entity(value)
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(is_default_id)
    }
}

#[cfg(test)]
mod tests;
