//! Identity providers users can sign in with: Google, Facebook and any OIDC provider.
//!
//! **Manages** `socialIdentityProvider` and `oidcIdentityProvider` objects
//! (`/identity/identityProviders`, REFERENCE.md §6). Built-in providers (email with password,
//! email one-time passcode) exist in every tenant and are not declared here; user flows name
//! them directly.
//!
//! **Shape.** One struct with a `type` field and type-specific optional fields, rather than a
//! tagged enum: tagged enums lose positions in diagnostics and make poor editor schemas. Which
//! fields a type needs or forbids is checked here ([`IdentityProvider::check`]), because it is
//! part of the shape rather than a judgement about values.
//!
//! **Quirks.** Graph assigns provider ids (`Google-OAUTH`, GUIDs), so the name is the identity
//! key (§15 #11). Secrets are write-only and read back masked (§15 #10); they are references
//! here (`${env:…}`, `${file:…}`), resolved only when a change sends them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Span};
use crate::located::Located;
use crate::secret::{self, SecretReference};

/// An identity provider (`/identity/identityProviders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityProvider {
    /// The provider's display name, unique among the configuration's identity providers. User
    /// flows refer to the provider by this name.
    #[schemars(example = &"Google")]
    pub name: Located<String>,
    /// The kind of provider. `google` and `facebook` are social providers
    /// (`socialIdentityProvider`); `oidc` is any OIDC provider (`oidcIdentityProvider`).
    #[serde(rename = "type")]
    pub kind: Located<IdentityProviderType>,
    /// The client (application) id the provider issued for this tenant.
    pub client_id: Located<String>,
    /// For `google` and `facebook`: the client secret, as `${env:NAME}` or `${file:PATH}`. It is
    /// read only when a change has to send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "secret::schema")]
    pub client_secret: Option<Located<SecretReference>>,
    /// For `oidc`: the issuer URI of the provider's tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"https://login.example.com/v2.0/")]
    pub issuer: Option<Located<String>>,
    /// For `oidc`: the provider's OIDC metadata document
    /// (`…/.well-known/openid-configuration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub well_known_endpoint: Option<Located<String>>,
    /// For `oidc`: the scopes to request, separated by spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"openid profile email")]
    pub scope: Option<Located<String>>,
    /// For `oidc`: the OIDC response type. Defaults to `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_type: Option<Located<OidcResponseType>>,
    /// For `oidc`: how the tenant authenticates to the provider's token endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_authentication: Option<Located<OidcClientAuthentication>>,
    /// For `oidc`: which provider claims fill which user properties, where they differ from the
    /// standard claim names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_claim_mapping: Option<Located<OidcInboundClaimMapping>>,
}

/// The kind of an identity provider.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum IdentityProviderType {
    /// Google (`socialIdentityProvider`, `identityProviderType: Google`).
    Google,
    /// Facebook (`socialIdentityProvider`, `identityProviderType: Facebook`).
    Facebook,
    /// An OIDC provider (`oidcIdentityProvider`).
    Oidc,
}

/// The OIDC response type (`oidcResponseType`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum OidcResponseType {
    /// The authorization code flow.
    #[serde(rename = "code")]
    Code,
    /// An ID token from the authorization endpoint.
    #[serde(rename = "id_token")]
    IdToken,
    /// An access token from the authorization endpoint.
    #[serde(rename = "token")]
    Token,
}

/// How the tenant authenticates to an OIDC provider (`oidcClientAuthentication`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OidcClientAuthentication {
    /// `clientSecret` sends a client secret (`oidcClientSecretAuthentication`);
    /// `privateJwtKey` signs a JWT with a private key (`oidcPrivateJwtKeyClientAuthentication`).
    #[serde(rename = "type")]
    pub kind: Located<OidcClientAuthenticationType>,
    /// For `clientSecret`: the secret, as `${env:NAME}` or `${file:PATH}`. It is read only when
    /// a change has to send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "secret::schema")]
    pub client_secret: Option<Located<SecretReference>>,
}

/// The client authentication method of an OIDC provider.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum OidcClientAuthenticationType {
    /// A client secret (`oidcClientSecretAuthentication`).
    ClientSecret,
    /// A JWT signed with a private key (`oidcPrivateJwtKeyClientAuthentication`).
    PrivateJwtKey,
}

/// Claim names of an OIDC provider for each user property (`oidcInboundClaimMappingOverride`).
/// The keys are Graph's, which are the OIDC standard claim names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcInboundClaimMapping {
    /// The claim holding the user's unique id at the provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<Located<String>>,
    /// The claim holding the full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Located<String>>,
    /// The claim holding the given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<Located<String>>,
    /// The claim holding the family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<Located<String>>,
    /// The claim holding the email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Located<String>>,
    /// The claim saying whether the email address is verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<Located<String>>,
    /// The claim holding the phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<Located<String>>,
    /// The claim saying whether the phone number is verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_verified: Option<Located<String>>,
    /// The claims of the postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Located<OidcAddressClaimMapping>>,
}

/// Claim names of an OIDC provider for the parts of the postal address
/// (`oidcAddressInboundClaims`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OidcAddressClaimMapping {
    /// The claim holding the street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<Located<String>>,
    /// The claim holding the city or locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<Located<String>>,
    /// The claim holding the state or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Located<String>>,
    /// The claim holding the postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Located<String>>,
    /// The claim holding the country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Located<String>>,
}

/// The OIDC response type of a provider that does not set one: `code`, the value every
/// documented example sends (REFERENCE.md §6).
pub const DEFAULT_RESPONSE_TYPE: OidcResponseType = OidcResponseType::Code;

impl IdentityProvider {
    /// The response type Graph is sent: `code` unless the file says otherwise.
    pub fn response_type(&self) -> OidcResponseType {
        self.response_type
            .as_ref()
            .map_or(DEFAULT_RESPONSE_TYPE, |r| *r.get())
    }

    /// Fields the provider's type requires or does not take. REFERENCE.md §6: a social provider
    /// is created with `clientId` and `clientSecret`; `oidcIdentityProvider` requires
    /// `clientId`, `issuer`, `scope`, `responseType` and `clientAuthentication` (the CSDL's
    /// non-nullable properties), of which only `responseType` has a default here (`code`, the
    /// value every documented example sends).
    ///
    /// `written(mapping, key)` says whether the mapping at that span has the key in the file:
    /// a key whose value was invalid is written but absent here, and has been reported.
    pub(crate) fn check(
        &self,
        span: Span,
        written: &dyn Fn(Span, &str) -> bool,
    ) -> Vec<Diagnostic> {
        let kind = *self.kind.get();
        let described = match kind {
            IdentityProviderType::Google => "a `google` identity provider",
            IdentityProviderType::Facebook => "a `facebook` identity provider",
            IdentityProviderType::Oidc => "an `oidc` identity provider",
        };
        let (required, inapplicable) = if kind == IdentityProviderType::Oidc {
            (
                vec![
                    ("issuer", self.issuer.is_some(), "https://…"),
                    ("scope", self.scope.is_some(), "openid profile email"),
                    (
                        "clientAuthentication",
                        self.client_authentication.is_some(),
                        "{ type: clientSecret, clientSecret: ${env:NAME} }",
                    ),
                ],
                vec![(
                    "clientSecret",
                    self.client_secret.as_ref().map(Located::span),
                    "an `oidc` provider takes its secret under `clientAuthentication`: \
                     `clientAuthentication: { type: clientSecret, clientSecret: ${env:NAME} }`",
                )],
            )
        } else {
            let oidc_only = "remove it, or use `type: oidc`";
            (
                vec![("clientSecret", self.client_secret.is_some(), "${env:NAME}")],
                vec![
                    ("issuer", self.issuer.as_ref().map(Located::span), oidc_only),
                    (
                        "wellKnownEndpoint",
                        self.well_known_endpoint.as_ref().map(Located::span),
                        oidc_only,
                    ),
                    ("scope", self.scope.as_ref().map(Located::span), oidc_only),
                    (
                        "responseType",
                        self.response_type.as_ref().map(Located::span),
                        oidc_only,
                    ),
                    (
                        "clientAuthentication",
                        self.client_authentication.as_ref().map(Located::span),
                        oidc_only,
                    ),
                    (
                        "inboundClaimMapping",
                        self.inbound_claim_mapping.as_ref().map(Located::span),
                        oidc_only,
                    ),
                ],
            )
        };
        let mut out = Vec::new();
        for (field, present, example) in required {
            if !present && !written(span, field) {
                let help = format!("add `{field}: {example}` to the provider `{}`", *self.name);
                out.push(missing(described, field, self.kind.span(), &help));
            }
        }
        for (field, at, help) in inapplicable {
            if let Some(at) = at {
                out.push(not_applicable(described, field, at, help));
            }
        }
        if let Some(authentication) = &self.client_authentication {
            out.extend(authentication.check(authentication.span(), written));
        }
        out
    }
}

impl OidcClientAuthentication {
    /// `clientSecret` authentication needs a secret, `privateJwtKey` takes none. `written` is
    /// as for [`IdentityProvider::check`].
    fn check(&self, span: Span, written: &dyn Fn(Span, &str) -> bool) -> Option<Diagnostic> {
        match (*self.kind.get(), &self.client_secret) {
            (OidcClientAuthenticationType::ClientSecret, None)
                if !written(span, "clientSecret") =>
            {
                Some(missing(
                    "`clientSecret` client authentication",
                    "clientSecret",
                    self.kind.span(),
                    "add `clientSecret: ${env:NAME}` next to `type`",
                ))
            }
            (OidcClientAuthenticationType::PrivateJwtKey, Some(secret)) => Some(not_applicable(
                "`privateJwtKey` client authentication",
                "clientSecret",
                secret.span(),
                "remove `clientSecret`, or use `type: clientSecret`",
            )),
            _ => None,
        }
    }
}

/// `described` (an object and its type) needs `field`; reported at its `type`.
fn missing(described: &str, field: &str, at: Span, help: &str) -> Diagnostic {
    Diagnostic::error(
        "missing-field",
        format!("{described} needs `{field}`"),
        Some(at),
    )
    .with_label(format!("`{field}` is required for this type"))
    .with_help(help)
}

/// `field`, written at `at`, is not used by `described` (an object and its type).
fn not_applicable(described: &str, field: &str, at: Span, help: &str) -> Diagnostic {
    Diagnostic::error(
        "inapplicable-field",
        format!("`{field}` does not apply to {described}"),
        Some(at),
    )
    .with_label("not used by this type")
    .with_help(help)
}
