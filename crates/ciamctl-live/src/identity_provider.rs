//! Tenant identity providers (`/identity/identityProviders`, REFERENCE.md §6).
//!
//! Secrets read back masked, so a provider holds only whether each secret is set
//! ([`SecretState`], §15.10). Workforce federation types and the B2C-only
//! `openIdConnectIdentityProvider` share the collection and are skipped (§6). A type this crate
//! does not know is kept as [`IdentityProviderKind::Other`] so that its presence is known: a
//! planner must not create a provider with its name, nor delete it blindly.

use serde::Serialize;
use serde_json::Value;

use crate::ParseError;
use crate::read::{Fields, FromGraph, canonical, short_type_name};
use crate::secret::SecretState;

/// `@odata.type` short names left out of the collection: workforce federation, and B2C only.
const SKIPPED_TYPES: &[&str] = &[
    "samlOrWsFedExternalDomainFederation",
    "internalDomainFederation",
    "openIdConnectIdentityProvider",
];

/// `identityProviderType` values in Graph's spelling (§6, availableProviderTypes).
const PROVIDER_TYPES: &[&str] = &[
    "EmailPassword",
    "EmailOTP",
    "AADSignup",
    "MicrosoftAccount",
    "Microsoft",
    "Google",
    "Facebook",
    "Amazon",
    "LinkedIn",
    "GitHub",
    "Twitter",
    "Weibo",
    "QQ",
    "WeChat",
    "AppleManaged",
    "OpenIdConnect",
];

/// Members of the beta `state` of a built-in provider.
const STATES: &[&str] = &["enabled", "disabled", "unknownFutureValue"];
/// Members of the flags enum `oidcResponseType`.
const RESPONSE_TYPES: &[&str] = &["code", "id_token", "token"];

/// An identity provider of the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProvider {
    pub id: String,
    pub display_name: String,
    #[serde(flatten)]
    pub kind: IdentityProviderKind,
}

/// What kind of provider it is, with the properties of that kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum IdentityProviderKind {
    /// `builtInIdentityProvider`: email with password, email one-time passcode, …
    BuiltIn {
        identity_provider_type: String,
        state: Option<String>,
    },
    /// `socialIdentityProvider`: Google, Facebook, …
    Social {
        identity_provider_type: String,
        client_id: String,
        client_secret: SecretState,
    },
    /// `oidcIdentityProvider` (boxed: it is much larger than the other kinds).
    Oidc(Box<OidcProvider>),
    /// `appleManagedIdentityProvider`.
    Apple {
        developer_id: Option<String>,
        service_id: Option<String>,
        key_id: Option<String>,
        certificate_data: SecretState,
    },
    /// A provider type this crate does not know, by its short `@odata.type`.
    Other { odata_type: String },
}

/// The properties of an `oidcIdentityProvider`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcProvider {
    pub client_id: String,
    pub issuer: Option<String>,
    pub well_known_endpoint: Option<String>,
    /// Canonical members, comma-separated as Graph writes a flags enum (`code`).
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub client_authentication: Option<OidcClientAuthentication>,
    pub inbound_claim_mapping: Option<InboundClaimMapping>,
}

/// How the tenant authenticates to the OIDC provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcClientAuthentication {
    /// `clientSecret` (`oidcClientSecretAuthentication`) or `privateJwtKey`
    /// (`oidcPrivateJwtKeyClientAuthentication`), as the model names them; another type by its
    /// short `@odata.type`.
    #[serde(rename = "type")]
    pub kind: String,
    pub client_secret: SecretState,
}

/// `oidcInboundClaimMappingOverride`: claim names keyed as Graph keys them (OIDC claim names).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct InboundClaimMapping {
    pub sub: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<String>,
    pub phone_number: Option<String>,
    pub phone_number_verified: Option<String>,
    pub address: Option<AddressClaimMapping>,
}

/// `oidcAddressInboundClaims`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AddressClaimMapping {
    pub street_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl IdentityProvider {
    /// `identityProviderType` for built-in and social providers.
    pub fn provider_type(&self) -> Option<&str> {
        match &self.kind {
            IdentityProviderKind::BuiltIn {
                identity_provider_type,
                ..
            }
            | IdentityProviderKind::Social {
                identity_provider_type,
                ..
            } => Some(identity_provider_type),
            _ => None,
        }
    }
}

/// `identityProviderType` in Graph's spelling when it is a known one, else as given.
pub(crate) fn canonical_provider_type(given: &str) -> String {
    canonical(given, PROVIDER_TYPES)
}

impl FromGraph for IdentityProvider {
    const KIND: &'static str = "identity provider";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let provider = Fields::of(Self::KIND, value)?;
        let id = provider.required_string("id")?;
        let display_name = provider.text("displayName")?.unwrap_or_default();
        let odata_type = match provider.odata_type()? {
            Some(name) => name,
            None => inferred_type(&provider)?.to_owned(),
        };
        let kind = if odata_type.eq_ignore_ascii_case("builtInIdentityProvider") {
            IdentityProviderKind::BuiltIn {
                identity_provider_type: provider_type(&provider)?,
                state: provider.member("state", STATES)?,
            }
        } else if odata_type.eq_ignore_ascii_case("socialIdentityProvider") {
            IdentityProviderKind::Social {
                identity_provider_type: provider_type(&provider)?,
                client_id: provider.required_string("clientId")?,
                client_secret: SecretState::read(&provider, "clientSecret")?,
            }
        } else if odata_type.eq_ignore_ascii_case("oidcIdentityProvider") {
            IdentityProviderKind::Oidc(Box::new(oidc(&provider)?))
        } else if odata_type.eq_ignore_ascii_case("appleManagedIdentityProvider") {
            IdentityProviderKind::Apple {
                developer_id: provider.text("developerId")?,
                service_id: provider.text("serviceId")?,
                key_id: provider.text("keyId")?,
                certificate_data: SecretState::read(&provider, "certificateData")?,
            }
        } else if SKIPPED_TYPES
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&odata_type))
        {
            return Err(provider.error(format!(
                "`{odata_type}` is not an External ID identity provider type"
            )));
        } else {
            IdentityProviderKind::Other { odata_type }
        };
        Ok(Self {
            id,
            display_name,
            kind,
        })
    }

    fn skipped_in_collection(value: &Value) -> bool {
        value
            .get("@odata.type")
            .and_then(Value::as_str)
            .map(short_type_name)
            .is_some_and(|name| SKIPPED_TYPES.iter().any(|t| t.eq_ignore_ascii_case(name)))
    }
}

/// The type of a provider that carries no `@odata.type`, told from its properties when they
/// leave no doubt. The docs' single-provider get examples omit `@odata.type` (§6,
/// `identityProviders.get*.response.json`); real Graph sends it on this abstract base type.
/// Anything less clear-cut is an error: the kind is then unknown rather than guessed.
fn inferred_type(provider: &Fields<'_>) -> Result<&'static str, ParseError> {
    let has = |key| provider.value(key).is_some();
    if has("issuer") || has("clientAuthentication") {
        Ok("oidcIdentityProvider")
    } else if has("developerId") || has("certificateData") {
        Ok("appleManagedIdentityProvider")
    } else if has("identityProviderType") && has("clientId") {
        Ok("socialIdentityProvider")
    } else if has("identityProviderType") {
        Ok("builtInIdentityProvider")
    } else {
        Err(provider.error("`@odata.type` is missing and the properties do not tell the type"))
    }
}

fn provider_type(provider: &Fields<'_>) -> Result<String, ParseError> {
    provider
        .required_string("identityProviderType")
        .map(|t| canonical_provider_type(&t))
}

fn oidc(provider: &Fields<'_>) -> Result<OidcProvider, ParseError> {
    let client_authentication = provider
        .object("clientAuthentication")?
        .map(|authentication| {
            let kind = match authentication.odata_type()? {
                Some(t) if t.eq_ignore_ascii_case("oidcClientSecretAuthentication") => {
                    "clientSecret".to_owned()
                }
                Some(t) if t.eq_ignore_ascii_case("oidcPrivateJwtKeyClientAuthentication") => {
                    "privateJwtKey".to_owned()
                }
                Some(other) => other,
                None if authentication.value("clientSecret").is_some() => "clientSecret".to_owned(),
                None => {
                    return Err(authentication.error(
                        "`clientAuthentication` has no `@odata.type` and no `clientSecret`",
                    ));
                }
            };
            Ok(OidcClientAuthentication {
                kind,
                client_secret: SecretState::read(&authentication, "clientSecret")?,
            })
        })
        .transpose()?;
    let inbound_claim_mapping = provider
        .object("inboundClaimMapping")?
        .map(|mapping| {
            Ok::<_, ParseError>(InboundClaimMapping {
                sub: mapping.text("sub")?,
                name: mapping.text("name")?,
                given_name: mapping.text("given_name")?,
                family_name: mapping.text("family_name")?,
                email: mapping.text("email")?,
                email_verified: mapping.text("email_verified")?,
                phone_number: mapping.text("phone_number")?,
                phone_number_verified: mapping.text("phone_number_verified")?,
                address: mapping
                    .object("address")?
                    .map(|address| {
                        Ok::<_, ParseError>(AddressClaimMapping {
                            street_address: address.text("street_address")?,
                            locality: address.text("locality")?,
                            region: address.text("region")?,
                            postal_code: address.text("postal_code")?,
                            country: address.text("country")?,
                        })
                    })
                    .transpose()?,
            })
        })
        .transpose()?;
    Ok(OidcProvider {
        client_id: provider.required_string("clientId")?,
        issuer: provider.text("issuer")?,
        well_known_endpoint: provider.text("wellKnownEndpoint")?,
        response_type: provider.text("responseType")?.map(|flags| {
            flags
                .split(',')
                .map(|member| canonical(member.trim(), RESPONSE_TYPES))
                .collect::<Vec<_>>()
                .join(",")
        }),
        scope: provider.text("scope")?,
        client_authentication,
        inbound_claim_mapping,
    })
}

#[cfg(test)]
mod tests;
