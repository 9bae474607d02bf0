//! The table is consistent with itself, and `accept` refuses and normalises what Graph does.

use serde_json::{Value, json};

use super::*;
use crate::request::ApiVersion::{Beta, V1};

fn obj(value: Value) -> crate::state::Object {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn rejected(body: Value, declared: &str, mode: WriteMode, version: ApiVersion) -> String {
    match accept(&obj(body), declared, mode, version) {
        Ok(accepted) => panic!("accepted: {:?}", accepted.body),
        Err(err) => {
            assert_eq!(err.status, 400);
            assert_eq!(err.code, "invalidRequest");
            err.message
        }
    }
}

#[test]
fn every_type_reference_in_the_table_resolves_to_a_type_of_the_right_kind() {
    for ty in types() {
        if let Some(base) = ty.base {
            let base = find_type(base).unwrap_or_else(|| panic!("{}: base {base}", ty.name));
            assert_eq!(base.kind, ty.kind, "{} and its base {}", ty.name, base.name);
        }
        for prop in ty.props {
            let (kind, name) = match prop.ty {
                Ty::Complex(name) => (Some(TypeKind::Complex), name),
                Ty::Entity(name) => (Some(TypeKind::Entity), name),
                Ty::Enum(name) => {
                    assert!(find_enum(name).is_some(), "{}.{}", ty.name, prop.name);
                    continue;
                }
                Ty::Edm(_) | Ty::Opaque(_) => continue,
            };
            let target = find_type(name).unwrap_or_else(|| panic!("{}.{}", ty.name, prop.name));
            assert_eq!(Some(target.kind), kind, "{}.{}", ty.name, prop.name);
            if target.avail == Avail::Beta {
                assert!(
                    prop.avail == Avail::Beta || ty.avail == Avail::Beta,
                    "{}.{} uses beta-only {name}",
                    ty.name,
                    prop.name
                );
            }
        }
    }
}

#[test]
fn type_names_are_unique_ignoring_case() {
    for (i, a) in types().iter().enumerate() {
        for b in &types()[i + 1..] {
            assert!(!a.name.eq_ignore_ascii_case(b.name), "{}", a.name);
        }
    }
}

#[test]
fn unknown_property_on_a_closed_type_is_refused_and_named() {
    let message = rejected(
        json!({"displayName": "Hobby", "dataType": "string", "colour": "red"}),
        "identityUserFlowAttribute",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("'colour'"), "{message}");
    assert!(message.contains("identityUserFlowAttribute"), "{message}");
}

#[test]
fn unknown_property_with_other_casing_suggests_the_declared_name() {
    let message = rejected(
        json!({"DisplayName": "Hobby"}),
        "identityUserFlowAttribute",
        WriteMode::Update,
        V1,
    );
    assert!(message.contains("Did you mean 'displayName'"), "{message}");
}

#[test]
fn open_types_keep_undeclared_properties() {
    let accepted = accept(
        &obj(json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "displayName": "x",
            "somethingNew": 1
        })),
        "authenticationEventsFlow",
        WriteMode::Create,
        V1,
    )
    .unwrap();
    assert_eq!(accepted.body["somethingNew"], 1);
}

#[test]
fn missing_odata_type_on_an_abstract_declared_type_is_refused_at_the_top_and_nested() {
    let message = rejected(
        json!({"displayName": "x"}),
        "identityProviderBase",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("'@odata.type' is required"), "{message}");
    assert!(message.contains("socialIdentityProvider"), "{message}");
    let message = rejected(
        json!({
            "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
            "endpointConfiguration": {"targetUrl": "https://x"}
        }),
        "customAuthenticationExtension",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("'endpointConfiguration'"), "{message}");
    assert!(message.contains("httpRequestEndpoint"), "{message}");
}

#[test]
fn odata_type_outside_the_declared_hierarchy_or_abstract_or_unknown_is_refused() {
    let message = rejected(
        json!({"@odata.type": "#microsoft.graph.onTokenIssuanceStartListener"}),
        "identityProviderBase",
        WriteMode::Create,
        V1,
    );
    assert!(
        message.contains("is not 'microsoft.graph.identityProviderBase'"),
        "{message}"
    );
    let message = rejected(
        json!({"@odata.type": "#microsoft.graph.identityProviderBase"}),
        "identityProviderBase",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("is abstract"), "{message}");
    let message = rejected(
        json!({"@odata.type": "#microsoft.graph.noSuchProvider"}),
        "identityProviderBase",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("could not be resolved"), "{message}");
}

#[test]
fn odata_type_matches_case_insensitively_with_or_without_hash_and_is_canonicalised() {
    let accepted = accept(
        &obj(json!({
            "@odata.type": "microsoft.graph.OidcIdentityProvider",
            "clientId": "c", "issuer": "i", "scope": "openid", "responseType": "CODE",
            "clientAuthentication": {
                "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
                "clientSecret": "s"
            }
        })),
        "identityProviderBase",
        WriteMode::Create,
        V1,
    )
    .unwrap();
    assert_eq!(accepted.type_name, "oidcIdentityProvider");
    assert_eq!(
        accepted.body["@odata.type"],
        "#microsoft.graph.oidcIdentityProvider"
    );
    assert_eq!(accepted.body["responseType"], "code");
}

#[test]
fn enum_members_match_case_insensitively_and_come_back_in_declared_casing() {
    let accepted = accept(
        &obj(json!({"displayName": "x", "dataType": "Int64"})),
        "identityUserFlowAttribute",
        WriteMode::Create,
        V1,
    )
    .unwrap();
    assert_eq!(accepted.body["dataType"], "int64");
    let message = rejected(
        json!({"dataType": "integer"}),
        "identityUserFlowAttribute",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("'integer' is not a member"), "{message}");
    assert!(message.contains("int64"), "{message}");
}

#[test]
fn flags_enum_takes_comma_separated_members() {
    let body = |response_type: &str| {
        json!({
            "@odata.type": "#microsoft.graph.oidcIdentityProvider",
            "responseType": response_type
        })
    };
    let accepted = accept(
        &obj(body("Code, ID_TOKEN")),
        "identityProviderBase",
        WriteMode::Update,
        V1,
    )
    .unwrap();
    assert_eq!(accepted.body["responseType"], "code,id_token");
    let message = rejected(
        body("code,idtoken"),
        "identityProviderBase",
        WriteMode::Update,
        V1,
    );
    assert!(message.contains("'idtoken'"), "{message}");
}

#[test]
fn wrong_json_types_for_primitives_are_refused() {
    for (body, needle) in [
        (json!({"description": 5}), "Edm.String"),
        (
            json!({"@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
                   "clientConfiguration": {"timeoutInMilliseconds": "2000"}}),
            "Edm.Int32",
        ),
        (
            json!({"@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
                   "clientConfiguration": {"maximumRetries": 1.5}}),
            "Edm.Int32",
        ),
        (
            json!({"@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
                   "claimsForTokenConfiguration": {"claimIdInApiResponse": "x"}}),
            "JSON array",
        ),
    ] {
        let declared = if body.get("@odata.type").is_some() {
            "customAuthenticationExtension"
        } else {
            "identityUserFlowAttribute"
        };
        let message = rejected(body, declared, WriteMode::Update, V1);
        assert!(message.contains(needle), "{message}");
    }
}

#[test]
fn null_is_refused_for_non_nullable_properties_and_collections() {
    let message = rejected(
        json!({"@odata.type": "#microsoft.graph.oidcIdentityProvider", "issuer": null}),
        "identityProviderBase",
        WriteMode::Update,
        V1,
    );
    assert!(message.contains("'issuer' cannot be null"), "{message}");
    let message = rejected(
        json!({"@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
               "claimsForTokenConfiguration": null}),
        "customAuthenticationExtension",
        WriteMode::Update,
        V1,
    );
    assert!(message.contains("send []"), "{message}");
}

#[test]
fn service_assigned_id_is_refused_on_create_and_dropped_on_update() {
    let message = rejected(
        json!({"id": "Hobby", "displayName": "Hobby", "dataType": "string"}),
        "identityUserFlowAttribute",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("'id' is read-only"), "{message}");
    let accepted = accept(
        &obj(json!({"id": "x", "description": "d"})),
        "identityUserFlowAttribute",
        WriteMode::Update,
        V1,
    )
    .unwrap();
    assert!(!accepted.body.contains_key("id"));
}

#[test]
fn read_only_properties_are_refused_at_the_top_but_not_in_references() {
    let message = rejected(
        json!({"displayName": "x", "dataType": "string", "userFlowAttributeType": "custom"}),
        "identityUserFlowAttribute",
        WriteMode::Create,
        V1,
    );
    assert!(
        message.contains("'userFlowAttributeType' is read-only"),
        "{message}"
    );
    accept(
        &obj(json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "displayName": "x",
            "onAttributeCollection": {
                "@odata.type": "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp",
                "attributes": [{"id": "city", "userFlowAttributeType": "builtIn", "dataType": "string"}]
            }
        })),
        "authenticationEventsFlow",
        WriteMode::Create,
        V1,
    )
    .unwrap();
}

#[test]
fn beta_only_properties_and_types_are_refused_on_v1_and_named_as_such() {
    let body = json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
        "conditions": {"applications": {"includeAllApplications": false}}
    });
    let message = rejected(
        body.clone(),
        "authenticationEventListener",
        WriteMode::Update,
        V1,
    );
    assert!(message.contains("exists only in beta"), "{message}");
    accept(
        &obj(body),
        "authenticationEventListener",
        WriteMode::Update,
        Beta,
    )
    .unwrap();
    let message = rejected(
        json!({"@odata.type": "#microsoft.graph.openIdConnectIdentityProvider"}),
        "identityProviderBase",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("exists only in beta"), "{message}");
}

#[test]
fn nested_complex_values_need_their_non_nullable_strings_and_enums() {
    let message = rejected(
        json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "onAttributeCollection": {
                "@odata.type": "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp",
                "attributeCollectionPage": {"views": [{"inputs": [{"attribute": "city", "label": "City"}]}]}
            }
        }),
        "authenticationEventsFlow",
        WriteMode::Update,
        V1,
    );
    assert!(
        message.contains("'onAttributeCollection.attributeCollectionPage.views[0].inputs[0].inputType' is required"),
        "{message}"
    );
}

#[test]
fn navigation_references_need_an_id() {
    let message = rejected(
        json!({
            "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
            "handler": {
                "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
                "customExtension": {"displayName": "x"}
            }
        }),
        "authenticationEventListener",
        WriteMode::Create,
        V1,
    );
    assert!(message.contains("by its 'id'"), "{message}");
}

#[test]
fn the_documented_abstract_behavior_on_error_type_is_accepted_only_when_named() {
    let with = |behavior: Value| {
        obj(json!({
            "@odata.type": "#microsoft.graph.onOtpSendCustomExtension",
            "behaviorOnError": behavior
        }))
    };
    accept(
        &with(json!({"@odata.type": "microsoft.graph.customExtensionBehaviorOnError"})),
        "customAuthenticationExtension",
        WriteMode::Create,
        V1,
    )
    .unwrap();
    assert!(
        accept(
            &with(json!({})),
            "customAuthenticationExtension",
            WriteMode::Create,
            V1
        )
        .is_err()
    );
}

#[test]
fn stream_properties_cannot_be_sent_in_json() {
    let message = rejected(
        json!({"bannerLogo": "aGVsbG8="}),
        "organizationalBranding",
        WriteMode::Update,
        V1,
    );
    assert!(message.contains("PUT"), "{message}");
}

/// Every request body the contract documents passes the type checks for the type its
/// operation declares (REFERENCE.md §1–§9). Read from `../shared` at test time.
#[test]
fn every_documented_request_body_passes_the_type_checks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/graph-contract/examples");
    if !dir.is_dir() {
        eprintln!("skipped: ../shared/graph-contract is absent, so the examples cannot be read");
        return;
    }
    let cases = [
        (
            "authenticationEventsFlow.create",
            "authenticationEventsFlow",
            WriteMode::Create,
        ),
        (
            "authenticationEventsFlow.update",
            "authenticationEventsFlow",
            WriteMode::Update,
        ),
        (
            "authenticationEventListener.create",
            "authenticationEventListener",
            WriteMode::Create,
        ),
        (
            "authenticationEventListener.update",
            "authenticationEventListener",
            WriteMode::Update,
        ),
        (
            "customAuthenticationExtension.create",
            "customAuthenticationExtension",
            WriteMode::Create,
        ),
        (
            "customAuthenticationExtension.update",
            "customAuthenticationExtension",
            WriteMode::Update,
        ),
        (
            "identityProviders.create",
            "identityProviderBase",
            WriteMode::Create,
        ),
        (
            "identityProviders.update",
            "identityProviderBase",
            WriteMode::Update,
        ),
        (
            "userFlowAttributes.create",
            "identityUserFlowAttribute",
            WriteMode::Create,
        ),
        (
            "userFlowAttributes.update",
            "identityUserFlowAttribute",
            WriteMode::Update,
        ),
        (
            "includeApplications.add",
            "authenticationConditionApplication",
            WriteMode::Create,
        ),
        (
            "organizationalBranding.update",
            "organizationalBranding",
            WriteMode::Update,
        ),
        (
            "organizationalBrandingLocalization.create",
            "organizationalBrandingLocalization",
            WriteMode::Create,
        ),
        (
            "organizationalBrandingLocalization.update",
            "organizationalBrandingLocalization",
            WriteMode::Update,
        ),
    ];
    let mut checked = 0;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names.iter().filter(|n| n.ends_with(".request.json")) {
        let (version, rest) = match (name.strip_prefix("v1.0."), name.strip_prefix("beta.")) {
            (Some(rest), _) => (V1, rest),
            (_, Some(rest)) => (Beta, rest),
            _ => continue,
        };
        let Some((_, declared, mode)) = cases.iter().find(|(op, _, _)| rest.starts_with(op)) else {
            continue;
        };
        let body: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        if let Err(err) = accept(&obj(body), declared, *mode, version) {
            panic!("{name}: {err}");
        }
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} documented bodies were checked"
    );
}
