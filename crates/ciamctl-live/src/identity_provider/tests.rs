//! Reading identity providers: each type, the type spellings, masked secrets, skipped types.

use serde_json::{Value, json};

use crate::read::{FromGraph, parse_collection};
use crate::{IdentityProvider, IdentityProviderKind, SecretState};

fn provider(value: &Value) -> IdentityProvider {
    IdentityProvider::from_graph(value).unwrap()
}

#[test]
fn a_built_in_provider_reads_its_type_in_graphs_spelling() {
    let provider = provider(&json!({
        "@odata.type": "microsoft.graph.builtInIdentityProvider",
        "id": "EmailOtpSignup-OAUTH", "displayName": "Email One Time Passcode",
        "identityProviderType": "emailotp", "state": "Enabled"
    }));
    assert_eq!(
        provider.kind,
        IdentityProviderKind::BuiltIn {
            identity_provider_type: "EmailOTP".into(),
            state: Some("enabled".into())
        }
    );
    assert_eq!(provider.provider_type(), Some("EmailOTP"));
}

#[test]
fn a_social_provider_knows_only_that_its_secret_is_set() {
    let provider = provider(&json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "id": "Google-OAUTH", "displayName": "Google", "identityProviderType": "Google",
        "clientId": "client", "clientSecret": "*****", "supportedTenantTypes": "externalId"
    }));
    assert_eq!(
        provider.kind,
        IdentityProviderKind::Social {
            identity_provider_type: "Google".into(),
            client_id: "client".into(),
            client_secret: SecretState::Set
        }
    );
    let json = serde_json::to_value(&provider).unwrap();
    assert_eq!(json["clientSecret"], "******");
    assert_eq!(json["type"], "social");
}

#[test]
fn an_oidc_provider_with_odd_type_casing_reads_every_property() {
    let provider = provider(&json!({
        "@odata.type": "#microsoft.graph.OidcIdentityProvider",
        "id": "8b0b6c1a-0000-4000-8000-000000000001",
        "displayName": "Contoso",
        "clientId": "oidc-client",
        "issuer": "https://login.contoso.com/v2.0",
        "wellKnownEndpoint": "https://login.contoso.com/.well-known/openid-configuration",
        "responseType": "Code",
        "scope": "openid profile email",
        "clientAuthentication": { "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication", "clientSecret": "******" },
        "inboundClaimMapping": { "sub": "sub", "email": "mail", "address": { "country": "ctry", "region": null } }
    }));
    let IdentityProviderKind::Oidc(oidc) = &provider.kind else {
        panic!("not oidc: {provider:?}");
    };
    assert_eq!(oidc.response_type.as_deref(), Some("code"));
    let authentication = oidc.client_authentication.as_ref().unwrap();
    assert_eq!(authentication.kind, "clientSecret");
    assert_eq!(authentication.client_secret, SecretState::Set);
    let mapping = oidc.inbound_claim_mapping.as_ref().unwrap();
    assert_eq!(mapping.email.as_deref(), Some("mail"));
    assert_eq!(
        mapping.address.as_ref().unwrap().country.as_deref(),
        Some("ctry")
    );
    assert_eq!(mapping.address.as_ref().unwrap().region, None);
}

#[test]
fn a_private_key_client_authentication_has_no_secret() {
    let provider = provider(&json!({
        "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": "o", "displayName": "O",
        "clientId": "c", "issuer": "https://i",
        "clientAuthentication": { "@odata.type": "#microsoft.graph.oidcPrivateJwtKeyClientAuthentication" }
    }));
    let IdentityProviderKind::Oidc(oidc) = &provider.kind else {
        panic!("not oidc: {provider:?}");
    };
    let authentication = oidc.client_authentication.as_ref().unwrap();
    assert_eq!(authentication.kind, "privateJwtKey");
    assert_eq!(authentication.client_secret, SecretState::Absent);
}

#[test]
fn an_apple_provider_masks_its_certificate() {
    let provider = provider(&json!({
        "@odata.type": "microsoft.graph.appleManagedIdentityProvider",
        "id": "Apple-Managed-OIDC", "displayName": "Sign in with Apple",
        "developerId": "UBF8T346G9", "serviceId": "svc", "keyId": "99P6D879C4", "certificateData": "******"
    }));
    assert!(matches!(
        provider.kind,
        IdentityProviderKind::Apple {
            certificate_data: SecretState::Set,
            ..
        }
    ));
}

#[test]
fn a_provider_type_unknown_to_ciamctl_is_kept_as_other() {
    let provider = provider(&json!({
        "@odata.type": "#microsoft.graph.futureIdentityProvider", "id": "F", "displayName": "Future"
    }));
    assert_eq!(
        provider.kind,
        IdentityProviderKind::Other {
            odata_type: "futureIdentityProvider".into()
        }
    );
}

#[test]
fn without_odata_type_the_type_is_told_from_unambiguous_properties() {
    let built_in = provider(
        &json!({ "id": "MSASignup-OAUTH", "identityProviderType": "MicrosoftAccount", "displayName": "MicrosoftAccount" }),
    );
    assert!(matches!(
        built_in.kind,
        IdentityProviderKind::BuiltIn { .. }
    ));
    let social = provider(
        &json!({ "id": "Amazon-OAUTH", "displayName": "Amazon", "identityProviderType": "Amazon", "clientId": "c", "clientSecret": "******" }),
    );
    assert!(matches!(social.kind, IdentityProviderKind::Social { .. }));
    let oidc =
        provider(&json!({ "id": "g", "displayName": "O", "clientId": "c", "issuer": "https://i" }));
    assert!(matches!(oidc.kind, IdentityProviderKind::Oidc(_)));
}

#[test]
fn a_provider_whose_type_cannot_be_told_is_an_error() {
    let error =
        IdentityProvider::from_graph(&json!({ "id": "x", "displayName": "X" })).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot read the identity provider `x`: `@odata.type` is missing and the properties do not tell the type"
    );
}

#[test]
fn a_social_provider_without_client_id_is_an_error() {
    let error = IdentityProvider::from_graph(&json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Google-OAUTH",
        "displayName": "Google", "identityProviderType": "Google"
    }))
    .unwrap_err();
    assert_eq!(error.problem, "`clientId` is missing");
}

#[test]
fn the_collection_skips_workforce_federation_and_b2c_only_types() {
    let items = [
        json!({ "@odata.type": "#microsoft.graph.samlOrWsFedExternalDomainFederation", "id": "s", "displayName": "SAML" }),
        json!({ "@odata.type": "microsoft.graph.InternalDomainFederation", "id": "d" }),
        json!({ "@odata.type": "#microsoft.graph.openIdConnectIdentityProvider", "id": "Contoso-OIDC-1", "displayName": "B2C" }),
        json!({ "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailPassword-OAUTH",
                "displayName": "Email with password", "identityProviderType": "EmailPassword" }),
    ];
    let providers = parse_collection::<IdentityProvider>(&items).unwrap();
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0].id, "EmailPassword-OAUTH");
    assert!(
        IdentityProvider::from_graph(&items[0]).is_err(),
        "alone it is not a provider"
    );
}
