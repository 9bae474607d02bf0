//! The identity provider diff: social and OIDC providers, write-only secrets, matching, prune.

use serde_json::json;

use crate::PlanOptions;
use crate::document::{Action, FieldOp, Kind};
use crate::testing::{LiveBuilder, config, plan, plan_with, unresolved};

const GOOGLE_YAML: &str = "identityProviders:\n  - name: Google\n    type: google\n    clientId: google-client\n    clientSecret: ${env:GOOGLE_SECRET}\n";

fn builtins() -> Vec<serde_json::Value> {
    vec![
        json!({ "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailPassword-OAUTH",
                 "displayName": "Email with password", "identityProviderType": "EmailPassword" }),
    ]
}

fn live_google(
    display_name: &str,
    client_id: &str,
    secret: &serde_json::Value,
) -> ciamctl_live::LiveTenant {
    let mut providers = builtins();
    providers.push(
        json!({ "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Google-OAUTH",
        "displayName": display_name, "identityProviderType": "Google", "clientId": client_id,
        "clientSecret": secret }),
    );
    LiveBuilder {
        identity_providers: providers,
        ..LiveBuilder::default()
    }
    .build()
}

#[test]
fn a_new_social_provider_sends_its_secret_from_its_reference_and_shows_only_the_mask() {
    let plan = plan(
        &config(GOOGLE_YAML),
        &LiveBuilder {
            identity_providers: builtins(),
            ..LiveBuilder::default()
        }
        .build(),
    );
    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(
        (change.action, change.kind),
        (Action::Create, Kind::IdentityProvider)
    );
    let request = &change.requests[0];
    assert_eq!(
        request.body,
        Some(
            json!({ "@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "Google",
            "identityProviderType": "Google", "clientId": "google-client", "clientSecret": "******" })
        )
    );
    assert_eq!(request.secrets.len(), 1);
    assert_eq!(request.secrets[0].pointer, "/clientSecret");
    assert_eq!(request.secrets[0].source, "${env:GOOGLE_SECRET}");
    assert!(
        plan.unmanaged.is_empty(),
        "built-in providers are never unmanaged"
    );
}

#[test]
fn a_masked_secret_is_not_compared_and_a_provider_in_sync_plans_nothing() {
    let plan = plan(
        &config(GOOGLE_YAML),
        &live_google("Google", "google-client", &json!("******")),
    );
    assert!(plan.summary.in_sync, "{:#?}", plan.changes);
}

#[test]
fn rotate_secrets_sends_the_secret_again_as_a_rotation_without_its_value() {
    let plan = plan_with(
        &config(GOOGLE_YAML),
        &live_google("Google", "google-client", &json!("******")),
        PlanOptions {
            rotate_secrets: true,
        },
    )
    .unwrap();
    let change = &plan.changes[0];
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.fields[0].path, "clientSecret");
    assert_eq!(change.fields[0].op, FieldOp::Rotate);
    assert_eq!(
        change.requests[0].body,
        Some(
            json!({ "@odata.type": "#microsoft.graph.socialIdentityProvider", "clientSecret": "******" })
        )
    );
    assert_eq!(change.requests[0].secrets[0].source, "${env:GOOGLE_SECRET}");
}

#[test]
fn a_client_id_change_patches_it_and_notes_that_the_secret_is_not_compared() {
    let plan = plan(
        &config(GOOGLE_YAML),
        &live_google("Google", "old-client", &json!("******")),
    );
    let change = &plan.changes[0];
    assert_eq!(change.fields.len(), 1);
    assert_eq!(change.fields[0].path, "clientId");
    assert_eq!(change.notes.len(), 1);
    assert!(change.notes[0].contains("--rotate-secrets"));
    assert_eq!(
        change.requests[0].body,
        Some(
            json!({ "@odata.type": "#microsoft.graph.socialIdentityProvider", "clientId": "google-client" })
        )
    );
    assert!(change.requests[0].secrets.is_empty());
}

#[test]
fn a_secret_the_tenant_does_not_have_is_sent_on_update() {
    let plan = plan(
        &config(GOOGLE_YAML),
        &live_google("Google", "google-client", &json!(null)),
    );
    let change = &plan.changes[0];
    assert_eq!(
        (change.fields[0].path.as_str(), change.fields[0].op),
        ("clientSecret", FieldOp::Add)
    );
    assert_eq!(change.requests[0].secrets.len(), 1);
}

#[test]
fn a_social_provider_renamed_in_the_portal_is_matched_by_type_and_renamed_back() {
    let plan = plan(
        &config(GOOGLE_YAML),
        &live_google("Google (old)", "google-client", &json!("******")),
    );
    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.live_id.as_deref(), Some("Google-OAUTH"));
    assert_eq!(
        change.requests[0].body.as_ref().unwrap()["displayName"],
        json!("Google")
    );
}

#[test]
fn a_new_oidc_provider_sends_its_settings_and_client_authentication() {
    let yaml = "identityProviders:\n  - name: Contoso\n    type: oidc\n    clientId: c\n    issuer: https://login.contoso.com/v2.0/\n    scope: openid profile\n    clientAuthentication:\n      type: clientSecret\n      clientSecret: ${env:CONTOSO_SECRET}\n    inboundClaimMapping:\n      email: mail\n";
    let plan = plan(&config(yaml), &LiveBuilder::default().build());
    let request = &plan.changes[0].requests[0];
    insta::assert_json_snapshot!(request.body, @r###"
    {
      "@odata.type": "#microsoft.graph.oidcIdentityProvider",
      "displayName": "Contoso",
      "clientId": "c",
      "issuer": "https://login.contoso.com/v2.0/",
      "scope": "openid profile",
      "responseType": "code",
      "inboundClaimMapping": {
        "email": "mail"
      },
      "clientAuthentication": {
        "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
        "clientSecret": "******"
      }
    }
    "###);
    assert_eq!(
        request.secrets[0].pointer,
        "/clientAuthentication/clientSecret"
    );
}

#[test]
fn a_provider_of_another_type_under_the_same_name_is_an_error_at_its_type() {
    let yaml = "identityProviders:\n  - name: Google\n    type: oidc\n    clientId: c\n    issuer: https://i/\n    scope: openid\n    clientAuthentication:\n      type: privateJwtKey\n";
    let diagnostics = unresolved(&config(yaml), &live_google("Google", "c", &json!("******")));
    assert_eq!(diagnostics[0].code, "immutable-field");
    assert!(
        diagnostics[0]
            .message
            .contains("a Google provider in the tenant"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn a_live_provider_missing_from_the_files_is_unmanaged_unless_providers_are_pruned() {
    let live = live_google("Google", "c", &json!("******"));
    let kept = plan(&config("identityProviders: []\n"), &live);
    assert_eq!(kept.unmanaged.len(), 1);
    assert_eq!(kept.unmanaged[0].id, "Google-OAUTH");
    let pruned = plan(
        &config("identityProviders: []\nsettings:\n  prune: [identityProviders]\n"),
        &live,
    );
    assert_eq!(pruned.changes[0].action, Action::Delete);
    assert_eq!(
        pruned.changes[0].requests[0].path,
        "/identity/identityProviders/Google-OAUTH"
    );
}

#[test]
fn two_live_providers_with_the_configured_name_are_an_ambiguity_at_the_name_not_a_guess() {
    let oidc = |id: &str| {
        json!({ "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": id,
            "displayName": "Contoso", "clientId": "c", "issuer": "https://login.contoso.com/v2.0/",
            "scope": "openid profile", "responseType": "code" })
    };
    let mut providers = builtins();
    providers.push(oidc("b1c2d3e4-0000-4000-8000-000000000002"));
    providers.push(oidc("a1c2d3e4-0000-4000-8000-000000000001"));
    let yaml = "identityProviders:\n  - name: Contoso\n    type: oidc\n    clientId: c\n    issuer: https://login.contoso.com/v2.0/\n    scope: openid profile\n    clientAuthentication:\n      type: clientSecret\n      clientSecret: ${env:CONTOSO_SECRET}\n";
    let config = config(yaml);
    let diagnostics = unresolved(
        &config,
        &LiveBuilder {
            identity_providers: providers,
            ..LiveBuilder::default()
        }
        .build(),
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic.code, "ambiguous-identity-provider");
    assert_eq!(
        diagnostic.span,
        Some(config.identity_providers[0].name.span())
    );
    assert!(
        diagnostic
            .message
            .contains("a1c2d3e4-0000-4000-8000-000000000001, b1c2d3e4"),
        "{}",
        diagnostic.message
    );
    assert!(diagnostic.help.is_some());
}
