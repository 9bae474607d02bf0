//! Company branding: the look and texts of the sign-in pages, per language.
//!
//! **Manages** the tenant's default `organizationalBranding` (`/organization/{id}/branding`,
//! REFERENCE.md §7), its `organizationalBrandingLocalization`s keyed by locale (§8), and the
//! stream properties of both (images and CSS), which the file names as asset paths.
//!
//! **Shape.** The default branding and each localization carry the same properties; they are
//! written once, in [`branding_properties!`], which defines both structs (serde's `flatten`
//! would lose positions in diagnostics and make a poor schema). Keys are Graph's property
//! names. Read-only properties (`*RelativeUrl`, `cdnList`) are not settable and do not appear.
//!
//! **Quirks.** A string left unset on a localization is inherited from the default branding
//! at sign-in; a whitespace-only string (`" "`) is an explicit blank (§8, §15 #18). Asset paths
//! are relative to the file that declares them; whether the file exists and fits Graph's
//! limits is checked by `validate`'s checks, not here.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::assets::Stream;
use crate::located::Located;

macro_rules! branding_properties {
    ($(#[$meta:meta])* pub struct $name:ident { $($extra:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            /// Background colour shown instead of the background image on slow connections, as
            /// a hex colour.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(example = &"#F3F2F1")]
            pub background_color: Option<Located<String>>,
            /// Colour of the page header, as a hex colour.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(example = &"#0078D4")]
            pub header_background_color: Option<Located<String>>,
            /// Text shown under the sign-in box (up to 1024 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub sign_in_page_text: Option<Located<String>>,
            /// Hint shown in the username box (up to 64 characters, no links or code).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(example = &"you@example.com")]
            pub username_hint_text: Option<Located<String>>,
            /// URL of the self-service password reset page (up to 128 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_account_reset_credentials_url: Option<Located<String>>,
            /// Text of the "Can't access your account?" link (up to 256 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_cannot_access_your_account_text: Option<Located<String>>,
            /// URL of the "Can't access your account?" link (up to 128 characters). Microsoft
            /// documents it as not to be used; prefer `customAccountResetCredentialsUrl`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_cannot_access_your_account_url: Option<Located<String>>,
            /// Text of the "Forgot my password" link (up to 256 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_forgot_my_password_text: Option<Located<String>>,
            /// Text of the privacy and cookies link (up to 256 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_privacy_and_cookies_text: Option<Located<String>>,
            /// URL of the privacy and cookies link (up to 128 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_privacy_and_cookies_url: Option<Located<String>>,
            /// Text of the "Reset it now" link (up to 256 characters). Microsoft documents it as
            /// not supported.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_reset_it_now_text: Option<Located<String>>,
            /// Text of the terms of use link (up to 256 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_terms_of_use_text: Option<Located<String>>,
            /// URL of the terms of use link (up to 128 characters).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_terms_of_use_url: Option<Located<String>>,
            /// The page layout (`loginPageLayoutConfiguration`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub login_page_layout_configuration: Option<Located<LoginPageLayoutConfiguration>>,
            /// Which standard links the sign-in page hides (`loginPageTextVisibilitySettings`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub login_page_text_visibility_settings: Option<Located<LoginPageTextVisibilitySettings>>,
            /// Texts that replace standard strings of the sign-up pages (`contentCustomization`,
            /// external tenants only).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub content_customization: Option<Located<ContentCustomization>>,
            /// Images and CSS (Graph's stream properties), as paths relative to this file.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub assets: Option<Located<Assets>>,
            $($extra)*
        }

        impl $name {
            /// The text properties that are set, by Graph property name, in a fixed order.
            pub fn texts(&self) -> Vec<(&'static str, &Located<String>)> {
                set_fields([
                    ("backgroundColor", &self.background_color),
                    ("headerBackgroundColor", &self.header_background_color),
                    ("signInPageText", &self.sign_in_page_text),
                    ("usernameHintText", &self.username_hint_text),
                    ("customAccountResetCredentialsUrl", &self.custom_account_reset_credentials_url),
                    ("customCannotAccessYourAccountText", &self.custom_cannot_access_your_account_text),
                    ("customCannotAccessYourAccountUrl", &self.custom_cannot_access_your_account_url),
                    ("customForgotMyPasswordText", &self.custom_forgot_my_password_text),
                    ("customPrivacyAndCookiesText", &self.custom_privacy_and_cookies_text),
                    ("customPrivacyAndCookiesUrl", &self.custom_privacy_and_cookies_url),
                    ("customResetItNowText", &self.custom_reset_it_now_text),
                    ("customTermsOfUseText", &self.custom_terms_of_use_text),
                    ("customTermsOfUseUrl", &self.custom_terms_of_use_url),
                ])
            }
        }
    };
}

branding_properties! {
    /// The default company branding, used for every language without a localization of its own.
    pub struct Branding {
        /// Branding for specific languages, keyed by locale (`fr-FR`, `nl-NL`, …). A property
        /// left out of a localization is inherited from the default branding.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub localizations: BTreeMap<Located<String>, Located<Localization>>,
    }
}

branding_properties! {
    /// The branding for one language (`organizationalBrandingLocalization`).
    pub struct Localization {}
}

/// The layout of the sign-in page (`loginPageLayoutConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginPageLayoutConfiguration {
    /// The page template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout_template_type: Option<Located<LayoutTemplateType>>,
    /// Whether the header is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_header_shown: Option<Located<bool>>,
    /// Whether the footer is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_footer_shown: Option<Located<bool>>,
}

/// The template of the sign-in page (`layoutTemplateType`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum LayoutTemplateType {
    /// The standard centred layout.
    Default,
    /// The page split vertically: background on one side, sign-in box on the other.
    VerticalSplit,
}

/// Standard links the sign-in page can hide (`loginPageTextVisibilitySettings`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginPageTextVisibilitySettings {
    /// Hide the self-service password reset link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_account_reset_credentials: Option<Located<bool>>,
    /// Hide the "Can't access your account?" link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_cannot_access_your_account: Option<Located<bool>>,
    /// Hide the "Forgot my password" link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_forgot_my_password: Option<Located<bool>>,
    /// Hide the privacy and cookies link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_privacy_and_cookies: Option<Located<bool>>,
    /// Hide the "Reset it now" link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_reset_it_now: Option<Located<bool>>,
    /// Hide the terms of use link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_terms_of_use: Option<Located<bool>>,
}

/// Replacement texts for the sign-up pages (`contentCustomization`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContentCustomization {
    /// Strings of the attribute collection page, as key and replacement text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribute_collection: Vec<Located<KeyValue>>,
    /// Strings of the registration campaign pages, as key and replacement text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registration_campaign: Vec<Located<KeyValue>>,
}

/// A string key and its replacement text (`keyValue`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyValue {
    /// The key of the string to replace.
    pub key: Located<String>,
    /// The replacement text.
    pub value: Located<String>,
}

/// Images and CSS of a branding (Graph's stream properties), as file paths relative to the
/// YAML file that declares them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Assets {
    /// Background image: PNG or JPEG, at most 1920×1080 pixels and 300 KB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_image: Option<Located<AssetPath>>,
    /// Banner logo on the sign-in page: PNG or JPEG, at most 245×36 pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"assets/banner.png")]
    pub banner_logo: Option<Located<AssetPath>>,
    /// Logo in the page header: PNG or JPEG, at most 245×36 pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_logo: Option<Located<AssetPath>>,
    /// Square logo: PNG or JPEG, at most 240×240 pixels and 10 KB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub square_logo: Option<Located<AssetPath>>,
    /// Square logo for dark themes: PNG or JPEG, at most 240×240 pixels and 10 KB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub square_logo_dark: Option<Located<AssetPath>>,
    /// Favicon of the sign-in pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favicon: Option<Located<AssetPath>>,
    /// Custom style sheet: a `.css` file of at most 25 KB.
    #[serde(default, rename = "customCSS", skip_serializing_if = "Option::is_none")]
    pub custom_css: Option<Located<AssetPath>>,
}

impl Assets {
    /// The assets that are set, by stream property, in the order of [`Stream::ALL`].
    pub fn files(&self) -> Vec<(Stream, &Located<AssetPath>)> {
        set_fields([
            (Stream::BackgroundImage, &self.background_image),
            (Stream::BannerLogo, &self.banner_logo),
            (Stream::HeaderLogo, &self.header_logo),
            (Stream::SquareLogo, &self.square_logo),
            (Stream::SquareLogoDark, &self.square_logo_dark),
            (Stream::Favicon, &self.favicon),
            (Stream::CustomCss, &self.custom_css),
        ])
    }
}

/// A locale in the form the files write it, a lower-case language and an upper-case region
/// (`fr-fr`, `FR_fr` → `fr-FR`); Graph compares locales without regard to case.
pub fn canonical_locale(text: &str) -> String {
    match text.split_once(['-', '_']) {
        Some((language, region)) => {
            format!("{}-{}", language.to_lowercase(), region.to_uppercase())
        }
        None => text.to_lowercase(),
    }
}

/// The optional fields that are set, each with its key, in the order given.
fn set_fields<K, T, const N: usize>(fields: [(K, &Option<T>); N]) -> Vec<(K, &T)> {
    fields
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().map(|value| (key, value)))
        .collect()
}

/// The struct name by which the loader's deserializer recognises an asset path.
pub(crate) const ASSET_PATH_MAGIC: &str = "$ciamctl::AssetPath";
pub(crate) const ASSET_PATH_FIELD: &str = "path";
pub(crate) const ASSET_BASE_FIELD: &str = "base";

/// A file path as written in the configuration, and the folder it is relative to.
/// [`assets::resolve`](crate::assets::resolve) says where it points, or why that is not a
/// file Graph can take.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetPath {
    /// The path as written (after `${…}` interpolation), relative to `base`.
    pub path: String,
    /// The folder of the file that names the asset, relative to the configuration directory.
    pub base: PathBuf,
}

impl Serialize for AssetPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.path)
    }
}

impl JsonSchema for AssetPath {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AssetPath".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "minLength": 1 })
    }
}

impl<'de> Deserialize<'de> for AssetPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(
            ASSET_PATH_MAGIC,
            &[ASSET_PATH_FIELD, ASSET_BASE_FIELD],
            AssetPathVisitor,
        )
    }
}

struct AssetPathVisitor;

impl<'de> Visitor<'de> for AssetPathVisitor {
    type Value = AssetPath;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a file path")
    }

    /// Outside the loader there is no declaring file: the path is relative to the
    /// configuration directory.
    fn visit_str<E: de::Error>(self, path: &str) -> Result<AssetPath, E> {
        Ok(AssetPath {
            path: path.to_owned(),
            base: PathBuf::new(),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AssetPath, A::Error> {
        let (mut path, mut base) = (None, None);
        while let Some((key, value)) = map.next_entry::<String, String>()? {
            match key.as_str() {
                ASSET_PATH_FIELD => path = Some(value),
                ASSET_BASE_FIELD => base = Some(PathBuf::from(value)),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &[ASSET_PATH_FIELD, ASSET_BASE_FIELD],
                    ));
                }
            }
        }
        match (path, base) {
            (Some(path), Some(base)) => Ok(AssetPath { path, base }),
            (None, _) => Err(de::Error::missing_field(ASSET_PATH_FIELD)),
            (Some(_), None) => Err(de::Error::missing_field(ASSET_BASE_FIELD)),
        }
    }
}
