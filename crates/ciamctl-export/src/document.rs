//! The files an export writes, as serde shapes of the configuration format
//! (`crates/ciamctl-model`): keys, their order and their spelling are the model's, so an
//! exported file reads back as the model types and validates against the committed schema.
//!
//! Every string that comes from the tenant is a [`Text`], which can only be made by
//! [`Text::literal`] (escaping `${` as `$${`, so that the loader's interpolation gives the
//! tenant's text back) or [`Text::variable`] (a `${NAME}` reference the export means). Nothing
//! the tenant holds can therefore be read back as a reference.

// Field names are the format's keys (`inputType` of an input, `hide…` of the visibility
// settings), whatever they share with their struct's name or each other.
#![allow(clippy::struct_field_names)]

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_saphyr::Commented;

/// A string value as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Text(String);

impl Text {
    /// A value from the tenant, taken literally: every `${` is written `$${`, the format's
    /// escape (README "Environments and variables").
    pub(crate) fn literal(value: &str) -> Self {
        Self(value.replace("${", "$${"))
    }

    /// A reference to the environment file's variable `name`.
    pub(crate) fn variable(name: &str) -> Self {
        Self(format!("${{{name}}}"))
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A secret field: the `${env:NAME}` reference it is read from, written with a comment saying
/// so.
#[derive(Debug)]
pub(crate) struct SecretField {
    /// The environment variable.
    pub(crate) variable: String,
}

impl Serialize for SecretField {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Commented(
            format!("${{env:{}}}", self.variable),
            "secret not exported: ciamctl reads it from this environment variable".to_owned(),
        )
        .serialize(serializer)
    }
}

/// `clientSecret` as the export writes it: a reference to the environment variable `name`.
pub(crate) fn secret(name: &str) -> SecretField {
    SecretField {
        variable: name.to_owned(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AttributesFile {
    pub(crate) attributes: Vec<Attribute>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Attribute {
    pub(crate) name: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<Text>,
    pub(crate) data_type: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProvidersFile {
    pub(crate) identity_providers: Vec<Provider>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Provider {
    pub(crate) name: Text,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) client_id: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) client_secret: Option<SecretField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) issuer: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) well_known_endpoint: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scope: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) response_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) client_authentication: Option<ClientAuthentication>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) inbound_claim_mapping: Option<ClaimMapping>,
}

impl Provider {
    /// The environment variables its secret fields read.
    pub(crate) fn secrets(&self) -> impl Iterator<Item = String> + '_ {
        let authentication = self.client_authentication.as_ref();
        [
            self.client_secret.as_ref(),
            authentication.and_then(|a| a.client_secret.as_ref()),
        ]
        .into_iter()
        .flatten()
        .map(|secret| secret.variable.clone())
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientAuthentication {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) client_secret: Option<SecretField>,
}

/// `inboundClaimMapping`, keyed by Graph's (OIDC's) claim names as the model keys it.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct ClaimMapping {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sub: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) given_name: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) family_name: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) email: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) email_verified: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) phone_number: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) phone_number_verified: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) address: Option<AddressMapping>,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct AddressMapping {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) street_address: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) locality: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) region: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) postal_code: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) country: Option<Text>,
}

/// One flow's file: a `userFlows` section with that flow alone.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FlowFile {
    pub(crate) user_flows: [Flow; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Flow {
    pub(crate) name: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sign_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) user_type: Option<&'static str>,
    pub(crate) identity_providers: Vec<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) applications: Vec<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) include_all_applications: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) page: Option<Page>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) on_attribute_collection_start: Option<Handler>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) on_attribute_collection_submit: Option<Handler>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<Text>,
    pub(crate) inputs: Vec<Input>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Input {
    pub(crate) attribute: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) label: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) input_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hidden: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) editable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) write_to_directory: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) validation_reg_ex: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) default_value: Option<Text>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) options: Vec<Choice>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Choice {
    pub(crate) label: Text,
    pub(crate) value: Text,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Handler {
    pub(crate) extension: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) timeout_in_milliseconds: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) maximum_retries: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) behavior_on_error: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BrandingFile {
    pub(crate) branding: Branding,
}

/// The default branding, then its localizations by locale (in locale order).
#[derive(Debug)]
pub(crate) struct Branding {
    pub(crate) properties: Properties,
    pub(crate) localizations: Vec<(String, Properties)>,
}

impl Serialize for Branding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.properties.entries(&mut map)?;
        if !self.localizations.is_empty() {
            map.serialize_entry("localizations", &Localizations(&self.localizations))?;
        }
        map.end()
    }
}

struct Localizations<'a>(&'a [(String, Properties)]);

impl Serialize for Localizations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (locale, properties) in self.0 {
            // A mapping key, which the loader reads literally: no escape.
            map.serialize_entry(locale, properties)?;
        }
        map.end()
    }
}

/// The properties the default branding and a localization share, in the model's order: texts
/// (by Graph name), the two settings, content customization, then the asset paths.
#[derive(Debug, Default)]
pub(crate) struct Properties {
    pub(crate) texts: Vec<(&'static str, Text)>,
    pub(crate) layout: Option<Layout>,
    pub(crate) visibility: Option<Visibility>,
    pub(crate) content_customization: Option<ContentCustomization>,
    /// `(stream property, path relative to the branding file)`, in `Stream::ALL` order.
    pub(crate) assets: Vec<(&'static str, Text)>,
}

impl Properties {
    fn entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (name, text) in &self.texts {
            map.serialize_entry(name, text)?;
        }
        if let Some(layout) = &self.layout {
            map.serialize_entry("loginPageLayoutConfiguration", layout)?;
        }
        if let Some(visibility) = &self.visibility {
            map.serialize_entry("loginPageTextVisibilitySettings", visibility)?;
        }
        if let Some(content) = &self.content_customization {
            map.serialize_entry("contentCustomization", content)?;
        }
        if !self.assets.is_empty() {
            map.serialize_entry("assets", &Assets(&self.assets))?;
        }
        Ok(())
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.entries(&mut map)?;
        map.end()
    }
}

struct Assets<'a>(&'a [(&'static str, Text)]);

impl Serialize for Assets<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (stream, path) in self.0 {
            map.serialize_entry(stream, path)?;
        }
        map.end()
    }
}

#[derive(Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Layout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) layout_template_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_header_shown: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_footer_shown: Option<bool>,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Visibility {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hide_account_reset_credentials: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hide_cannot_access_your_account: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hide_forgot_my_password: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hide_privacy_and_cookies: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hide_reset_it_now: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hide_terms_of_use: Option<bool>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContentCustomization {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) attribute_collection: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) registration_campaign: Vec<KeyValue>,
}

#[derive(Debug, Serialize)]
pub(crate) struct KeyValue {
    pub(crate) key: Text,
    pub(crate) value: Text,
}

/// An environment file: the tenant id and the variables, which the loader takes literally
/// (no escape).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnvironmentFile<'a> {
    pub(crate) tenant_id: &'a str,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub(crate) variables: &'a std::collections::BTreeMap<String, String>,
}
