//! Identity providers (REFERENCE.md §6): Google, Facebook and OIDC providers by name, secrets
//! as `${env:IDP_<NAME>_CLIENT_SECRET}`. Built-in providers are never written (flows name them
//! by short name); other kinds (Apple, Amazon, a type this version does not know) cannot be
//! described and are skipped.

use ciamctl_live::{
    AddressClaimMapping, IdentityProvider, IdentityProviderKind, InboundClaimMapping, OidcProvider,
};
use ciamctl_model::identity_provider::{DEFAULT_RESPONSE_TYPE, OidcResponseType};
use ciamctl_model::settings::ResourceKind;

use crate::document::{AddressMapping, ClaimMapping, ClientAuthentication, Provider, Text, secret};
use crate::names::{SECRET_SUFFIX, Unique, secret_stem};
use crate::{Exported, SharedNames, Skipped, by_name};

/// The providers the files can describe, in name order.
pub(crate) fn convert(
    live: &[IdentityProvider],
    skipped: &mut Vec<Skipped>,
) -> Vec<Exported<Provider>> {
    let custom: Vec<&IdentityProvider> = by_name(live, |p| (&p.display_name, &p.id))
        .into_iter()
        .filter(|p| !matches!(p.kind, IdentityProviderKind::BuiltIn { .. }))
        .collect();
    let shared = SharedNames::of(custom.iter().map(|p| p.display_name.as_str()));
    let mut variables = Unique::new("_");
    let mut out = Vec::new();
    for provider in custom {
        let name = &provider.display_name;
        let converted = if name.is_empty() {
            Err("has no display name, by which the files would name it".to_owned())
        } else if shared.contains(name) {
            Err(
                "shares its name (compared ignoring case) with another identity provider"
                    .to_owned(),
            )
        } else {
            provider_document(provider, || {
                variables.claim_around(&secret_stem(name), SECRET_SUFFIX)
            })
        };
        match converted {
            Ok(document) => out.push(Exported {
                id: provider.id.to_ascii_lowercase(),
                name: name.clone(),
                document,
            }),
            Err(reason) => skipped.push(Skipped {
                kind: ResourceKind::IdentityProviders,
                name: if name.is_empty() {
                    provider.id.clone()
                } else {
                    name.clone()
                },
                reason,
            }),
        }
    }
    out
}

/// What the file says of `provider`, or why it cannot say it. `variable` names the secret's
/// environment variable; it is called once, for a provider that has a secret field.
fn provider_document(
    provider: &IdentityProvider,
    variable: impl FnOnce() -> String,
) -> Result<Provider, String> {
    let blank = |kind, client_id: &str| Provider {
        name: Text::literal(&provider.display_name),
        kind,
        client_id: Text::literal(client_id),
        client_secret: None,
        issuer: None,
        well_known_endpoint: None,
        scope: None,
        response_type: None,
        client_authentication: None,
        inbound_claim_mapping: None,
    };
    match &provider.kind {
        IdentityProviderKind::Social {
            identity_provider_type,
            client_id,
            ..
        } => {
            let kind = match identity_provider_type.as_str() {
                "Google" => "google",
                "Facebook" => "facebook",
                other => {
                    return Err(format!(
                        "is a social provider of type `{other}`; the format has Google, \
                         Facebook and OIDC providers"
                    ));
                }
            };
            // A social provider's secret is required (REFERENCE.md §6) and written whether or
            // not the tenant reports one: it is never compared (§15.10).
            Ok(Provider {
                client_secret: Some(secret(&variable())),
                ..blank(kind, client_id)
            })
        }
        IdentityProviderKind::Oidc(oidc) => {
            let authentication = match oidc.client_authentication.as_ref().map(|a| a.kind.as_str())
            {
                Some("clientSecret") => ClientAuthentication {
                    kind: "clientSecret",
                    client_secret: Some(secret(&variable())),
                },
                Some("privateJwtKey") => ClientAuthentication {
                    kind: "privateJwtKey",
                    client_secret: None,
                },
                Some(other) => {
                    return Err(format!(
                        "authenticates with `{other}`; the format has `clientSecret` and \
                         `privateJwtKey`"
                    ));
                }
                None => {
                    return Err(
                        "has no client authentication, which an OIDC provider needs".to_owned()
                    );
                }
            };
            Ok(Provider {
                issuer: oidc.issuer.as_deref().map(Text::literal),
                well_known_endpoint: oidc.well_known_endpoint.as_deref().map(Text::literal),
                scope: oidc.scope.as_deref().map(Text::literal),
                response_type: response_type(oidc)?,
                client_authentication: Some(authentication),
                inbound_claim_mapping: oidc.inbound_claim_mapping.as_ref().and_then(claims),
                ..blank("oidc", &oidc.client_id)
            })
        }
        IdentityProviderKind::Apple { .. } => {
            Err("is an Apple provider, which the format cannot describe".to_owned())
        }
        IdentityProviderKind::Other { odata_type } => Err(format!(
            "is a `{odata_type}`, which the format cannot describe"
        )),
        IdentityProviderKind::BuiltIn { .. } => Err("is built in".to_owned()),
    }
}

/// `responseType` unless it is the default (`code`); a combination of flags or an unknown
/// member cannot be described.
fn response_type(oidc: &OidcProvider) -> Result<Option<&'static str>, String> {
    let Some(live) = oidc.response_type.as_deref() else {
        return Ok(None);
    };
    let member = match live {
        "code" => OidcResponseType::Code,
        "id_token" => OidcResponseType::IdToken,
        "token" => OidcResponseType::Token,
        other => {
            return Err(format!(
                "has the response type `{other}`; the format has one of `code`, `id_token` \
                 and `token`"
            ));
        }
    };
    Ok((member != DEFAULT_RESPONSE_TYPE).then_some(live_name(member)))
}

fn live_name(member: OidcResponseType) -> &'static str {
    match member {
        OidcResponseType::Code => "code",
        OidcResponseType::IdToken => "id_token",
        OidcResponseType::Token => "token",
    }
}

/// The claims the tenant maps, or `None` when it maps none.
fn claims(live: &InboundClaimMapping) -> Option<ClaimMapping> {
    let text = |value: &Option<String>| value.as_deref().map(Text::literal);
    let mapping = ClaimMapping {
        sub: text(&live.sub),
        name: text(&live.name),
        given_name: text(&live.given_name),
        family_name: text(&live.family_name),
        email: text(&live.email),
        email_verified: text(&live.email_verified),
        phone_number: text(&live.phone_number),
        phone_number_verified: text(&live.phone_number_verified),
        address: live
            .address
            .as_ref()
            .and_then(|address| address_claims(address, text)),
    };
    (mapping != ClaimMapping::default()).then_some(mapping)
}

fn address_claims(
    live: &AddressClaimMapping,
    text: impl Fn(&Option<String>) -> Option<Text>,
) -> Option<AddressMapping> {
    let mapping = AddressMapping {
        street_address: text(&live.street_address),
        locality: text(&live.locality),
        region: text(&live.region),
        postal_code: text(&live.postal_code),
        country: text(&live.country),
    };
    (mapping != AddressMapping::default()).then_some(mapping)
}
