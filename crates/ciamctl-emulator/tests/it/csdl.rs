//! The emulator's type table against the contract's CSDL, request rejection as Graph's `OData`
//! layer does it, and a conformance walk of every read route against the CSDL.

use ciamctl_emulator::types::{self, Avail, PropKind, Ty, TypeKind};
use serde_json::{Value, json};

use crate::extensions::{create_extension, token_issuance};
use crate::support::TestEmulator;
use crate::support::csdl::{Csdl, conformance_problems};

fn in_version(avail: Avail, version: &str) -> bool {
    match avail {
        Avail::Both => true,
        Avail::V1 => version == "v1.0",
        Avail::Beta => version == "beta",
    }
}

/// The CSDL spelling of a table property's type.
fn csdl_type(ty: Ty, collection: bool) -> String {
    let name = ty.name().to_owned();
    if collection {
        format!("Collection({name})")
    } else {
        name
    }
}

#[test]
fn type_table_matches_the_csdl_of_both_versions() {
    let mut problems = Vec::new();
    for version in ["v1.0", "beta"] {
        let Some(csdl) = Csdl::load(version) else {
            return;
        };
        for ty in types::types() {
            let found = csdl.find(ty.name);
            let filled = csdl.filled_from_v1.iter().any(|n| n == ty.name);
            if !in_version(ty.avail, version) {
                if found.is_some() && !filled {
                    problems.push(format!(
                        "{version}: {} is in the CSDL but not in the table for this version",
                        ty.name
                    ));
                }
                continue;
            }
            let Some(found) = found else {
                problems.push(format!("{version}: type {} is not in the CSDL", ty.name));
                continue;
            };
            let here = format!("{version}: {}", ty.name);
            if found.entity != (ty.kind == TypeKind::Entity) {
                problems.push(format!("{here}: entity/complex differs"));
            }
            if found.base.as_deref() != ty.base {
                problems.push(format!(
                    "{here}: base {:?} in the CSDL, {:?} in the table",
                    found.base, ty.base
                ));
            }
            if found.is_abstract != ty.is_abstract {
                problems.push(format!("{here}: abstract differs"));
            }
            if found.open != ty.open {
                problems.push(format!("{here}: open differs"));
            }
            for prop in ty.props {
                let declared = found.props.iter().find(|p| p.name == prop.name);
                if !in_version(prop.avail, version) {
                    if declared.is_some() {
                        problems.push(format!(
                            "{here}.{}: in the CSDL of this version, the table says it is not",
                            prop.name
                        ));
                    }
                    continue;
                }
                let Some(declared) = declared else {
                    problems.push(format!(
                        "{here}.{}: not declared on this type in the CSDL",
                        prop.name
                    ));
                    continue;
                };
                let expected = csdl_type(prop.ty, prop.collection);
                if declared.type_name != expected {
                    problems.push(format!(
                        "{here}.{}: {} in the CSDL, {expected} in the table",
                        prop.name, declared.type_name
                    ));
                }
                let kind = match (declared.navigation, declared.contained) {
                    (false, _) => PropKind::Structural,
                    (true, false) => PropKind::Reference,
                    (true, true) => PropKind::Contained,
                };
                if kind != prop.kind {
                    problems.push(format!(
                        "{here}.{}: {kind:?} in the CSDL, {:?} in the table",
                        prop.name, prop.kind
                    ));
                }
                if declared.nullable != prop.nullable {
                    problems.push(format!("{here}.{}: nullable differs", prop.name));
                }
                let kind_matches = match prop.ty {
                    Ty::Enum(name) => csdl.enums.contains_key(name),
                    Ty::Complex(name) => csdl.find(name).is_some_and(|t| !t.entity),
                    Ty::Entity(name) => csdl.find(name).is_some_and(|t| t.entity),
                    Ty::Opaque(name) => csdl.find(name).is_none() && !csdl.enums.contains_key(name),
                    Ty::Edm(_) => true,
                };
                if !kind_matches {
                    problems.push(format!(
                        "{here}.{}: the CSDL does not define {} as the table's kind",
                        prop.name,
                        prop.ty.name()
                    ));
                }
            }
        }
        for e in types::enums() {
            let found = csdl.enums.get(e.name);
            if !in_version(e.avail, version) {
                if found.is_some() {
                    problems.push(format!("{version}: enum {} is in the CSDL", e.name));
                }
                continue;
            }
            match found {
                None => problems.push(format!("{version}: enum {} is not in the CSDL", e.name)),
                Some(found) => {
                    if found.flags != e.flags {
                        problems.push(format!("{version}: enum {} flags differ", e.name));
                    }
                    if found.members != e.members {
                        problems.push(format!(
                            "{version}: enum {} members {:?} in the CSDL",
                            e.name, found.members
                        ));
                    }
                }
            }
        }
        for name in types::abstract_but_accepted() {
            if !csdl.find(name).is_some_and(|t| t.is_abstract) {
                problems.push(format!("{version}: {name} is not abstract in the CSDL"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the type table differs from the CSDL:\n  {}",
        problems.join("\n  ")
    );
}

#[tokio::test]
async fn requests_are_rejected_as_graph_rejects_them() {
    let t = TestEmulator::start().await;
    let unknown = t
        .post(
            "/v1.0/identity/userFlowAttributes",
            json!({"displayName": "Hobby", "dataType": "string", "colour": "red"}),
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.error_code(), "invalidRequest");
    assert!(
        unknown.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'colour'")
    );
    let untyped = t
        .post(
            "/v1.0/identity/identityProviders",
            json!({"displayName": "Google", "identityProviderType": "Google", "clientId": "c", "clientSecret": "s"}),
        )
        .await;
    assert_eq!(untyped.status, 400);
    assert_eq!(untyped.error_code(), "invalidRequest");
    assert!(
        untyped.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("@odata.type")
    );
    let nested_untyped = t
        .post(
            "/v1.0/identity/customAuthenticationExtensions",
            json!({
                "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
                "authenticationConfiguration": {"resourceId": "api://x.example.com/d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60"}
            }),
        )
        .await;
    assert_eq!(nested_untyped.status, 400);
    let member = t
        .post(
            "/v1.0/identity/userFlowAttributes",
            json!({"displayName": "Hobby", "dataType": "text"}),
        )
        .await;
    assert_eq!(member.status, 400);
    assert_eq!(member.error_code(), "invalidRequest");
    assert!(
        member.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'text' is not a member")
    );
}

/// Every object a read route answers with, checked against the CSDL of its version: creates
/// one object of every kind the emulator serves through the API, then reads every read route.
#[tokio::test]
async fn every_read_route_answers_only_properties_the_csdl_defines() {
    let Some(v1) = Csdl::load("v1.0") else {
        return;
    };
    let Some(beta) = Csdl::load("beta") else {
        return;
    };
    let t = TestEmulator::start().await;
    // One object of every kind.
    let attribute = t
        .post(
            "/v1.0/identity/userFlowAttributes",
            json!({"displayName": "Hobby", "dataType": "string"}),
        )
        .await;
    assert_eq!(attribute.status, 201);
    for provider in [
        json!({"@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "Google",
               "identityProviderType": "Google", "clientId": "c", "clientSecret": "s"}),
        json!({"@odata.type": "#microsoft.graph.appleManagedIdentityProvider", "displayName": "Apple",
               "developerId": "d", "serviceId": "s", "keyId": "k", "certificateData": "c"}),
        json!({"@odata.type": "#microsoft.graph.oidcIdentityProvider", "displayName": "Contoso",
               "clientId": "c", "issuer": "https://contoso.example", "scope": "openid", "responseType": "code",
               "clientAuthentication": {"@odata.type": "#microsoft.graph.oidcClientSecretAuthentication", "clientSecret": "s"},
               "inboundClaimMapping": {"sub": "sub", "address": {"country": "country"}}}),
    ] {
        let resp = t.post("/v1.0/identity/identityProviders", provider).await;
        assert_eq!(resp.status, 201, "{}", resp.json);
    }
    let mut extension = token_issuance(
        "https://hooks.woodgrove.example",
        "api://hooks.woodgrove.example/d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60",
    );
    extension["clientConfiguration"] = json!({"timeoutInMilliseconds": 2000, "maximumRetries": 1});
    extension["behaviorOnError"] =
        json!({"@odata.type": "#microsoft.graph.fallbackToMicrosoftProviderOnError"});
    let extension_id = create_extension(&t, extension).await;
    let listener = t
        .post(
            "/v1.0/identity/authenticationEventListeners",
            json!({
                "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
                "displayName": "Loyalty",
                "conditions": {"applications": {"includeApplications": [{"appId": "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60"}]}},
                "handler": {
                    "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
                    "customExtension": {"id": extension_id},
                    "configuration": {"clientConfiguration": {"timeoutInMilliseconds": 1000}}
                }
            }),
        )
        .await;
    assert_eq!(listener.status, 201, "{}", listener.json);
    let listener_id = listener.json["id"].as_str().unwrap().to_owned();
    let flow = t
        .post(
            "/v1.0/identity/authenticationEventsFlows",
            crate::support::example("v1.0.authenticationEventsFlow.create.request.json")
                .expect("the contract is present"),
        )
        .await;
    assert_eq!(flow.status, 201, "{}", flow.json);
    let flow_id = flow.json["id"].as_str().expect("a flow id").to_owned();
    // Every read route, with the type its answer holds and whether it is a collection.
    let reads: Vec<(String, &str, bool)> = vec![
        ("organization".into(), "organization", true),
        (
            "identity/authenticationEventsFlows".into(),
            "authenticationEventsFlow",
            true,
        ),
        (
            format!("identity/authenticationEventsFlows/{flow_id}"),
            "authenticationEventsFlow",
            false,
        ),
        ("applications".into(), "application", true),
        (
            "applications(appId='d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60')".into(),
            "application",
            false,
        ),
        ("servicePrincipals".into(), "servicePrincipal", true),
        (
            "servicePrincipals(appId='d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60')".into(),
            "servicePrincipal",
            false,
        ),
        (
            "identity/userFlowAttributes".into(),
            "identityUserFlowAttribute",
            true,
        ),
        (
            "identity/userFlowAttributes/city".into(),
            "identityUserFlowAttribute",
            false,
        ),
        (
            "identity/identityProviders".into(),
            "identityProviderBase",
            true,
        ),
        (
            "identity/identityProviders/Google-OAUTH".into(),
            "identityProviderBase",
            false,
        ),
        ("identityProviders".into(), "identityProvider", true),
        (
            "identity/customAuthenticationExtensions".into(),
            "customAuthenticationExtension",
            true,
        ),
        (
            format!("identity/customAuthenticationExtensions/{extension_id}"),
            "customAuthenticationExtension",
            false,
        ),
        (
            "identity/authenticationEventListeners".into(),
            "authenticationEventListener",
            true,
        ),
        (
            format!("identity/authenticationEventListeners/{listener_id}"),
            "authenticationEventListener",
            false,
        ),
        (
            format!(
                "identity/authenticationEventListeners/{listener_id}/conditions/applications/includeApplications"
            ),
            "authenticationConditionApplication",
            true,
        ),
        (
            format!(
                "identity/authenticationEventListeners/{listener_id}/microsoft.graph.onTokenIssuanceStartListener/handler/microsoft.graph.onTokenIssuanceStartCustomExtensionHandler/customExtension"
            ),
            "customAuthenticationExtension",
            false,
        ),
    ];
    let mut problems = Vec::new();
    for (version, csdl) in [("v1.0", &v1), ("beta", &beta)] {
        for (path, type_name, collection) in &reads {
            let resp = t.get(&format!("/{version}/{path}")).await;
            assert_eq!(resp.status, 200, "{version}/{path}: {}", resp.json);
            let body: Value = if *collection {
                resp.json["value"].clone()
            } else {
                resp.json.clone()
            };
            problems.extend(conformance_problems(
                csdl,
                version,
                &body,
                type_name,
                &format!("{version}/{path}"),
            ));
        }
        let validation = t
            .post(
                &format!("/{version}/identity/customAuthenticationExtensions/{extension_id}/validateAuthenticationConfiguration"),
                json!({}),
            )
            .await;
        problems.extend(conformance_problems(
            csdl,
            version,
            &validation.json,
            "authenticationConfigurationValidation",
            "validateAuthenticationConfiguration",
        ));
    }
    assert!(
        problems.is_empty(),
        "responses carry properties the CSDL does not define:\n  {}",
        problems.join("\n  ")
    );
}
