//! Every response body of the Graph contract that holds an object of a live kind is read by this
//! crate's parsers, with the docs' quirks (REFERENCE.md §15, examples/README.md "Docs
//! oddities"). The bodies are Microsoft's data, read from `../shared/graph-contract` at test
//! time and never copied here; without that folder each test says it skipped.

// Marks this as test code, so clippy's `allow-print-in-tests` covers the skip notes.
#![cfg(test)]

use std::path::PathBuf;

use ciamctl_live::{
    Application, AssetState, Branding, CustomExtension, FromGraph, IdentityProvider,
    IdentityProviderKind, Localization, Organization, SecretState, Stream, UserFlow,
    UserFlowAttribute, parse_collection_body,
};
use serde_json::Value;

fn contract_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("CIAMCTL_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = shared.join("graph-contract");
    dir.is_dir().then_some(dir)
}

/// The raw bytes of an example, or `None` (with a note) when the contract folder is absent. A
/// missing file in a present folder fails: the example was renamed and this test must follow.
fn example_bytes(name: &str) -> Option<Vec<u8>> {
    let Some(dir) = contract_dir() else {
        eprintln!("skipped: ../shared/graph-contract is absent, so example {name} cannot be read");
        return None;
    };
    let path = dir.join("examples").join(name);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn example(name: &str) -> Option<Value> {
    example_bytes(name).map(|bytes| serde_json::from_slice(&bytes).unwrap())
}

#[test]
fn listed_flows_read_with_providers_attributes_page_and_applications() {
    let Some(body) = example("v1.0.authenticationEventsFlow.list.response.json") else {
        return;
    };
    let flows = parse_collection_body::<UserFlow>(&body).unwrap();
    assert!(flows.len() >= 2);
    for flow in &flows {
        assert!(
            flow.identity_providers.is_some(),
            "{}: providers inline (§15.9)",
            flow.id
        );
        assert!(
            flow.applications.is_some(),
            "{}: applications inline (§15.9)",
            flow.id
        );
        assert!(flow.sign_up_allowed.is_some());
    }
    let woodgrove = flows
        .iter()
        .find(|f| f.display_name == "Woodgrove Drive User Flow")
        .unwrap();
    let providers: Vec<&str> = woodgrove
        .identity_providers
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert!(providers.contains(&"Google-OAUTH"), "{providers:?}");
    let page = woodgrove.page.as_ref().unwrap().single_view().unwrap();
    let attributes = woodgrove.attributes.as_ref().unwrap();
    let mut inputs: Vec<&String> = page.inputs.iter().map(|i| &i.attribute).collect();
    inputs.sort();
    assert_eq!(
        inputs,
        attributes.iter().collect::<Vec<_>>(),
        "each collected attribute has an input (attributes are a set, kept sorted)"
    );
    assert_eq!(woodgrove.user_type.as_deref(), Some("member"));
}

#[test]
fn the_get_example_wrapped_in_value_reads_as_the_flow() {
    let Some(body) = example("v1.0.authenticationEventsFlow.get.response.json") else {
        return;
    };
    let flow = UserFlow::from_graph(&body).unwrap();
    assert_eq!(flow.id, "0313cc37-d421-421d-857b-87804d61e33e");
    assert_eq!(flow.priority, Some(50));
    assert!(flow.identity_providers.is_some());
}

#[test]
fn create_responses_of_flows_leave_providers_attributes_and_applications_unread() {
    for name in [
        "v1.0.authenticationEventsFlow.create.response.json",
        "v1.0.authenticationEventsFlow.create.ex3.response.json",
    ] {
        let Some(body) = example(name) else {
            return;
        };
        let flow = UserFlow::from_graph(&body).unwrap();
        assert_eq!(flow.identity_providers, None, "{name}");
        assert_eq!(flow.attributes, None, "{name}");
        assert_eq!(flow.applications, None, "{name}");
        assert_eq!(flow.include_all_applications, Some(false), "{name}");
        assert!(flow.has_attribute_collection, "{name}");
        let view = flow.page.as_ref().unwrap().single_view().unwrap();
        assert!(
            view.inputs
                .iter()
                .all(|i| i.input_type.as_deref() == Some("text"))
        );
    }
}

#[test]
fn identity_provider_lists_read_every_type_spelling_and_mask() {
    for name in [
        "v1.0.identityProviders.list.response.json",
        "beta.identityProviders.list.ex3.response.json",
        "v1.0.flowIdentityProviders.list.response.json",
    ] {
        let Some(body) = example(name) else {
            return;
        };
        let providers = parse_collection_body::<IdentityProvider>(&body).unwrap();
        assert!(!providers.is_empty(), "{name}");
        for provider in &providers {
            match &provider.kind {
                IdentityProviderKind::BuiltIn { .. } => {}
                IdentityProviderKind::Social { client_secret, .. } => {
                    assert_eq!(*client_secret, SecretState::Set, "{name}: {}", provider.id);
                }
                other => panic!("{name}: unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn single_provider_bodies_read_with_or_without_odata_type() {
    let cases = [
        (
            "v1.0.identityProviders.create.response.json",
            "Amazon-OAUTH",
            "social",
        ),
        (
            "v1.0.identityProviders.create.ex2.response.json",
            "Apple-Managed-OIDC",
            "apple",
        ),
        (
            "v1.0.identityProviders.get.response.json",
            "Amazon-OAUTH",
            "social",
        ),
        (
            "v1.0.identityProviders.get.ex2.response.json",
            "MSASignup-OAUTH",
            "builtIn",
        ),
    ];
    for (name, id, kind) in cases {
        let Some(body) = example(name) else {
            return;
        };
        let provider = IdentityProvider::from_graph(&body).unwrap();
        assert_eq!(provider.id, id, "{name}");
        let json = serde_json::to_value(&provider).unwrap();
        assert_eq!(json["type"], kind, "{name}");
        let text = json.to_string();
        assert!(
            !text.contains("000000000000"),
            "{name}: a clear secret leaked: {text}"
        );
    }
}

#[test]
fn user_flow_attribute_bodies_read() {
    for name in [
        "v1.0.userFlowAttributes.list.response.json",
        "v1.0.flowAttributes.list.response.json",
    ] {
        let Some(body) = example(name) else {
            return;
        };
        let attributes = parse_collection_body::<UserFlowAttribute>(&body).unwrap();
        assert!(
            attributes.iter().any(UserFlowAttribute::is_custom),
            "{name}"
        );
        for attribute in attributes.iter().filter(|a| a.is_custom()) {
            assert!(
                attribute.custom_name().is_some(),
                "{name}: {}",
                attribute.id
            );
        }
    }
    let Some(body) = example("v1.0.userFlowAttributes.get.response.json") else {
        return;
    };
    let city = UserFlowAttribute::from_graph(&body).unwrap();
    assert_eq!(city.user_flow_attribute_type.as_deref(), Some("builtIn"));
}

#[test]
fn custom_extension_create_responses_read_and_one_without_id_is_refused() {
    for (name, kind) in [
        (
            "v1.0.customAuthenticationExtension.create.response.json",
            "onTokenIssuanceStartCustomExtension",
        ),
        (
            "v1.0.customAuthenticationExtension.create.ex2.response.json",
            "onAttributeCollectionStartCustomExtension",
        ),
    ] {
        let Some(body) = example(name) else {
            return;
        };
        let extension = CustomExtension::from_graph(&body).unwrap();
        assert_eq!(extension.kind.as_deref(), Some(kind), "{name}");
        assert!(extension.target_url.is_some(), "{name}");
    }
    // The docs' OTP example response has no `id`: nothing could pin or link it.
    let Some(body) = example("v1.0.customAuthenticationExtension.create.ex4.response.json") else {
        return;
    };
    let error = CustomExtension::from_graph(&body).unwrap_err();
    assert_eq!(error.object, "`onEmailOtpSendCustomExtension`");
}

#[test]
fn the_organization_and_applications_read() {
    let Some(body) = example("v1.0.organization.list.response.json") else {
        return;
    };
    let items = body["value"].as_array().unwrap();
    let organization = Organization::from_collection(items).unwrap();
    assert_eq!(organization.id, "84841066-274d-4ec0-a5c1-276be684bdd3");
    assert_eq!(organization.verified_domains, ["Contoso.onmicrosoft.com"]);
    let Some(body) = example("v1.0.applications.list.response.json") else {
        return;
    };
    let applications = parse_collection_body::<Application>(&body).unwrap();
    assert_eq!(applications[0].display_name, "My app");
    assert_eq!(
        applications[0].id, None,
        "not $selected in the docs' example"
    );
}

#[test]
fn the_default_branding_reads_unset_strings_as_none_and_assets_from_relative_urls() {
    let Some(body) = example("v1.0.organizationalBranding.get.response.json") else {
        return;
    };
    let branding = Branding::from_graph(&body).unwrap();
    let p = &branding.properties;
    assert_eq!(
        p.background_color, None,
        "\"\" is unset on the default branding (§7)"
    );
    assert_eq!(p.sign_in_page_text.as_deref(), Some("Contoso"));
    for stream in [
        Stream::BackgroundImage,
        Stream::BannerLogo,
        Stream::SquareLogo,
    ] {
        assert!(p.asset(stream).is_present(), "{stream}");
    }
    assert_eq!(p.asset(Stream::Favicon), &AssetState::Absent);
}

#[test]
fn localizations_read_and_the_list_leaves_out_the_default() {
    let Some(body) = example("v1.0.organizationalBrandingLocalization.list.response.json") else {
        return;
    };
    let localizations = parse_collection_body::<Localization>(&body).unwrap();
    assert_eq!(
        localizations
            .iter()
            .map(|l| l.locale.as_str())
            .collect::<Vec<_>>(),
        ["fr"]
    );
    let Some(body) = example("v1.0.organizationalBrandingLocalization.get.response.json") else {
        return;
    };
    let french = Localization::from_graph(&body).unwrap();
    assert_eq!(french.locale, "fr-FR");
    assert!(french.properties.asset(Stream::BannerLogo).is_present());
    assert_eq!(
        french.properties.asset(Stream::BackgroundImage),
        &AssetState::Absent
    );
}

#[test]
fn a_stream_never_uploaded_downloads_as_absent() {
    for name in [
        "v1.0.organizationalBranding.get.ex5.response.json",
        "v1.0.organizationalBrandingLocalization.get.ex4.response.json",
    ] {
        let Some(bytes) = example_bytes(name) else {
            return;
        };
        assert_eq!(
            AssetState::from_download("application/json", &bytes),
            AssetState::Absent,
            "{name}"
        );
    }
}

#[test]
fn the_documented_oidc_provider_read_back_keeps_every_property_but_its_secret() {
    // The docs show no OIDC read response; Graph stores the create body and assigns a GUID id
    // (§6), so the request body plus an id is what a read returns.
    let Some(mut body) = example("beta.identityProviders.create.oidc.request.json") else {
        return;
    };
    body["id"] = "8f8ab5c0-0000-4000-8000-000000000001".into();
    let provider = IdentityProvider::from_graph(&body).unwrap();
    let IdentityProviderKind::Oidc(oidc) = &provider.kind else {
        panic!("not oidc: {provider:?}");
    };
    assert_eq!(oidc.response_type.as_deref(), Some("code"));
    let authentication = oidc.client_authentication.as_ref().unwrap();
    assert_eq!(authentication.kind, "clientSecret");
    assert_eq!(authentication.client_secret, SecretState::Set);
    let mapping = oidc.inbound_claim_mapping.as_ref().unwrap();
    assert_eq!(
        mapping.phone_number_verified.as_deref(),
        Some("phone_number_verified")
    );
    assert_eq!(
        mapping.address.as_ref().unwrap().postal_code.as_deref(),
        Some("postal_code")
    );
    let json = serde_json::to_string(&provider).unwrap();
    assert!(!json.contains("4294967296"), "the secret leaked: {json}");
}
