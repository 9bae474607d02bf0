//! Properties of whole plans: the same inputs give the same bytes whatever order Graph lists
//! things in.

use serde_json::{Value, json};

use crate::testing::{LiveBuilder, config, plan, provider};

const OLD: &str = "extension_6ea3bc85aec24b1c92ff4a117afb6621_Old";
const PARTNER: &str = "5b0c8e1a-2d3f-4a6b-9c7d-8e9f0a1b2c3d";
const APPS: [&str; 2] = [
    "63856651-13d9-4784-9abf-20758d509e19",
    "b7e2a4c9-3f1d-4a8e-9c6b-5d0e2f7a1b34",
];

fn attribute(id: &str, name: &str, kind: &str) -> Value {
    json!({ "id": id, "displayName": name, "userFlowAttributeType": kind, "dataType": "string" })
}

/// A flow in the get shape (REFERENCE.md §15.9) offering `providers`, linking `apps` and
/// collecting `attributes` on its page, in that order.
fn flow(id: &str, name: &str, providers: &[&str], apps: &[&str], attributes: &[Value]) -> Value {
    let inputs: Vec<Value> = attributes
        .iter()
        .map(|a| {
            json!({ "attribute": a["id"], "label": a["displayName"], "inputType": "text",
                    "options": [] })
        })
        .collect();
    json!({
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "id": id,
        "displayName": name,
        "conditions": { "applications": { "includeAllApplications": false,
            "includeApplications": apps.iter().map(|a| json!({ "appId": a })).collect::<Vec<_>>() } },
        "onInteractiveAuthFlowStart": {
            "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
            "isSignUpAllowed": true
        },
        "onAuthenticationMethodLoadStart": {
            "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": providers.iter().map(|p| provider(p)).collect::<Vec<_>>()
        },
        "onAttributeCollection": {
            "@odata.type": "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp",
            "attributes": attributes,
            "attributeCollectionPage": { "views": [{ "title": null, "inputs": inputs }] }
        }
    })
}

/// A tenant where the plan removes several members of each of a flow's link sets, deletes an
/// attribute and a provider that two unmanaged flows still use, and deletes the branding with
/// two localizations. `reverse_lists` reverses every collection, `reverse_links` each flow's
/// providers, attributes and applications.
fn tenant(reverse_lists: bool, reverse_links: bool) -> LiveBuilder {
    let old = attribute(OLD, "Old", "custom");
    let city = attribute("city", "City", "builtIn");
    let mut flows = vec![
        flow(
            "f0",
            "Managed",
            &["EmailPassword-OAUTH", "Google-OAUTH", PARTNER],
            &APPS,
            &[city.clone(), old.clone()],
        ),
        flow(
            "f1",
            "Unmanaged one",
            &[PARTNER],
            &[],
            std::slice::from_ref(&old),
        ),
        flow(
            "f2",
            "Unmanaged two",
            &[PARTNER],
            &[],
            std::slice::from_ref(&old),
        ),
    ];
    let mut attributes = vec![attribute("email", "Email Address", "builtIn"), city, old];
    let mut identity_providers = vec![
        provider("EmailPassword-OAUTH"),
        provider("EmailOtpSignup-OAUTH"),
        provider("Google-OAUTH"),
        provider(PARTNER),
    ];
    let mut applications: Vec<Value> = APPS
        .iter()
        .enumerate()
        .map(|(i, app)| json!({ "id": format!("o{i}"), "appId": app, "displayName": format!("App {i}") }))
        .collect();
    let mut localizations = vec![
        json!({ "id": "de-DE", "signInPageText": "Willkommen" }),
        json!({ "id": "fr-FR", "signInPageText": "Bienvenue" }),
    ];
    if reverse_links {
        for flow in &mut flows {
            for set in [
                "/onAuthenticationMethodLoadStart/identityProviders",
                "/onAttributeCollection/attributes",
                "/conditions/applications/includeApplications",
            ] {
                if let Some(Value::Array(items)) = flow.pointer_mut(set) {
                    items.reverse();
                }
            }
        }
    }
    if reverse_lists {
        for list in [
            &mut flows,
            &mut attributes,
            &mut identity_providers,
            &mut applications,
            &mut localizations,
        ] {
            list.reverse();
        }
    }
    LiveBuilder {
        user_flows: flows,
        attributes,
        identity_providers,
        applications,
        branding: Some(json!({ "id": "0", "signInPageText": "Welcome" })),
        localizations,
        ..LiveBuilder::default()
    }
}

#[test]
fn the_order_graph_lists_objects_and_links_in_does_not_change_a_byte_of_the_plan() {
    let config = config(
        "userFlows:
  - name: Managed
    identityProviders: [EmailOtp]
    page:
      inputs:
        - attribute: email
settings:
  prune: [attributes, identityProviders, branding]
",
    );
    let listed = plan(&config, &tenant(false, false).build());
    // The plan has what makes order matter: several removes in one change, several unsafe
    // reasons on one delete, several localizations deleted with the branding.
    let managed = listed.changes.iter().find(|c| c.name == "Managed").unwrap();
    assert!(managed.requests.len() >= 8, "{:#?}", managed.requests);
    assert!(listed.changes.iter().any(|c| c.unsafe_reasons.len() >= 2));
    let json = |plan: &crate::Plan| serde_json::to_string_pretty(plan).unwrap();
    assert_eq!(
        json(&listed),
        json(&plan(&config, &tenant(true, false).build()))
    );

    // With each flow's links reversed too, only the flow's fingerprint may differ: ciamctl-live
    // hashes the links in the order Graph sent them.
    let without_fingerprints = |plan: crate::Plan| {
        let mut value = serde_json::to_value(plan).unwrap();
        for list in ["changes", "live"] {
            for item in value[list].as_array_mut().unwrap() {
                item.as_object_mut().unwrap().remove("fingerprint");
            }
        }
        serde_json::to_string_pretty(&value).unwrap()
    };
    assert_eq!(
        without_fingerprints(listed),
        without_fingerprints(plan(&config, &tenant(true, true).build()))
    );
}

/// The config digest of `tenant.yaml` holding `yaml`, with `banner.png` holding `banner`.
fn digest(yaml: &str, banner: &[u8]) -> String {
    let config =
        crate::testing::config_files(&[("tenant.yaml", yaml.as_bytes()), ("banner.png", banner)]);
    plan(&config, &tenant(false, false).build()).config_digest
}

const DIGESTED: &str = "identityProviders:
  - name: Google
    type: google
    clientId: google-client
    clientSecret: ${env:GOOGLE_SECRET}
branding:
  signInPageText: Welcome
  assets:
    bannerLogo: banner.png
settings:
  maxDeletePercent: 30
";

#[test]
fn the_config_digest_follows_values_secret_references_settings_and_assets_not_formatting() {
    let png = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config-examples/woodgrove/assets/banner.png"
    ))
    .unwrap();
    let base = digest(DIGESTED, &png);
    let reformatted = "# Woodgrove\nidentityProviders:\n  - { name: Google, type: google,   clientId: \"google-client\", clientSecret: \"${env:GOOGLE_SECRET}\" }   # social\n\nbranding:\n    signInPageText: 'Welcome'\n    assets: { bannerLogo: banner.png }\nsettings: { maxDeletePercent: 30 }\n";
    assert_eq!(digest(reformatted, &png), base);
    for changed in [
        DIGESTED.replace("Welcome", "Welcome!"),
        DIGESTED.replace("GOOGLE_SECRET", "GOOGLE_SECRET_2"),
        DIGESTED.replace("${env:GOOGLE_SECRET}", "${file:google.secret}"),
        DIGESTED.replace("maxDeletePercent: 30", "maxDeletePercent: 40"),
    ] {
        assert_ne!(digest(&changed, &png), base, "{changed}");
    }
    let mut other_png = png.clone();
    other_png.extend_from_slice(b"trailing bytes");
    assert_ne!(digest(DIGESTED, &other_png), base);
}

#[test]
fn moving_objects_within_the_files_does_not_change_the_config_digest() {
    let config = |yaml: &str| crate::testing::config(yaml);
    let digest_of = |yaml: &str| {
        let config = config(yaml);
        super::digest::config_digest(&config, &crate::testing::assets(&config))
    };
    let one = "attributes:\n  - name: A\n    dataType: string\n  - name: B\n    dataType: int64\n";
    let other =
        "attributes:\n  - name: B\n    dataType: int64\n  - name: A\n    dataType: string\n";
    assert_eq!(digest_of(one), digest_of(other));
    assert_ne!(digest_of(one), digest_of(&one.replace("int64", "boolean")));
}

#[test]
fn every_live_object_is_listed_once_with_its_fingerprint() {
    let config = config("userFlows: []\n");
    let live = tenant(false, false).build();
    let plan = plan(&config, &live);
    let keys: Vec<(&str, &str)> = plan
        .live
        .iter()
        .map(|o| (o.kind.as_str(), o.id.as_str()))
        .collect();
    let mut unique = keys.clone();
    unique.dedup();
    assert_eq!(keys, unique);
    // 3 flows, 3 attributes, 4 providers, 2 applications, the branding, 2 localizations.
    assert_eq!(keys.len(), 15, "{keys:#?}");
    assert!(plan.live.iter().all(|o| o.fingerprint.len() == 64));
}

#[test]
fn id_references_are_found_and_filled_and_other_braces_are_left_alone() {
    let text = "/flows/{{12.id}}/x/{{3.id}}{{notid}}{{4.idx}}";
    assert_eq!(crate::id_references(text), [12, 3]);
    let filled = crate::fill_ids(text, |step| match step {
        12 => Some("flow"),
        3 => Some("three"),
        _ => None,
    });
    assert_eq!(
        filled.as_deref(),
        Ok("/flows/flow/x/three{{notid}}{{4.idx}}")
    );
    assert_eq!(crate::fill_ids(text, |_| None), Err(12));
}
