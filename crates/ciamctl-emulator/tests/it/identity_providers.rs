//! Tenant identity providers (REFERENCE.md §6): CRUD, ids, masking, quirks, permissions,
//! contract.

use ciamctl_emulator::EmulatorConfig;
use serde_json::{Value, json};

use crate::support::roles::{assert_denied, with_roles};
use crate::support::{TestEmulator, assert_same_shape, example};

const IDPS: &str = "/v1.0/identity/identityProviders";

fn google() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": "Google",
        "identityProviderType": "google",
        "clientId": "google-client",
        "clientSecret": "google-secret"
    })
}

fn oidc() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.OidcIdentityProvider",
        "displayName": "Contoso",
        "clientId": "oidc-client",
        "issuer": "https://contoso.example/v2.0/",
        "wellKnownEndpoint": "https://contoso.example/.well-known/openid-configuration",
        "responseType": "CODE",
        "scope": "openid profile",
        "clientAuthentication": {
            "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
            "clientSecret": "oidc-secret"
        }
    })
}

async fn created(t: &TestEmulator, body: Value) -> Value {
    let resp = t.post(IDPS, body).await;
    assert_eq!(resp.status, 201, "{}", resp.json);
    resp.json
}

#[tokio::test]
async fn list_returns_the_built_in_providers_typed() {
    let t = TestEmulator::start().await;
    let resp = t.get(IDPS).await;
    assert_eq!(resp.status, 200);
    let value = resp.json["value"].as_array().unwrap();
    let ids: Vec<&str> = value.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "EmailPassword-OAUTH",
            "EmailOtpSignup-OAUTH",
            "AADSignup-OAUTH"
        ]
    );
    assert!(value.iter().all(|p| {
        p["@odata.type"] == "#microsoft.graph.builtInIdentityProvider" && p["state"].is_null()
    }));
}

#[tokio::test]
async fn social_provider_gets_a_type_oauth_id_its_type_in_documented_casing_and_a_masked_secret() {
    let t = TestEmulator::start().await;
    let provider = created(&t, google()).await;
    assert_eq!(provider["id"], "Google-OAUTH");
    assert_eq!(provider["identityProviderType"], "Google");
    assert_eq!(provider["clientSecret"], "******");
    assert!(
        provider["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#identity/identityProviders/$entity")
    );
    let read = t.get(&format!("{IDPS}/google-oauth")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json["clientSecret"], "******");
    assert_eq!(read.json["clientId"], "google-client");
    // The secret is kept, only masked on read.
    let stored = t.emulator.tenant();
    let google = stored
        .identity_providers
        .iter()
        .find(|p| p["id"] == "Google-OAUTH")
        .unwrap();
    assert_eq!(google["clientSecret"], "google-secret");
}

#[tokio::test]
async fn social_provider_ids_are_guids_with_the_convention_switch() {
    let mut config = EmulatorConfig::default();
    config.conventions.guid_social_provider_ids = true;
    let t = TestEmulator::start_with(config).await;
    let provider = created(&t, google()).await;
    let id = provider["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let again = t.post(IDPS, google()).await;
    assert_eq!(again.status, 400, "one Google provider per tenant");
}

#[tokio::test]
async fn a_second_provider_of_the_same_social_type_is_refused() {
    let t = TestEmulator::start().await;
    created(&t, google()).await;
    let resp = t.post(IDPS, google()).await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "invalidRequest");
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Google-OAUTH")
    );
}

#[tokio::test]
async fn oidc_provider_gets_a_guid_and_its_nested_secret_is_masked() {
    let t = TestEmulator::start().await;
    let provider = created(&t, oidc()).await;
    let id = provider["id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    assert_eq!(
        provider["@odata.type"],
        "#microsoft.graph.oidcIdentityProvider"
    );
    assert_eq!(provider["responseType"], "code");
    assert_eq!(provider["clientAuthentication"]["clientSecret"], "******");
    let listed = t.get(IDPS).await.json;
    let item = listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(item["clientAuthentication"]["clientSecret"], "******");
}

#[tokio::test]
async fn create_without_odata_type_or_with_a_built_in_or_b2c_type_is_refused() {
    let t = TestEmulator::start().await;
    let mut untyped = google();
    untyped.as_object_mut().unwrap().remove("@odata.type");
    for body in [
        untyped,
        json!({"@odata.type": "#microsoft.graph.builtInIdentityProvider", "displayName": "x"}),
        json!({"@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "x",
               "identityProviderType": "Myspace", "clientId": "c", "clientSecret": "s"}),
        json!({"@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "x",
               "identityProviderType": "Google", "clientId": "c"}),
    ] {
        let resp = t.post(IDPS, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(resp.error_code(), "invalidRequest");
    }
    let b2c_oidc = json!({
        "@odata.type": "#microsoft.graph.openIdConnectIdentityProvider",
        "displayName": "Contoso", "clientId": "c", "clientSecret": "s",
        "metadataUrl": "https://x", "responseMode": "form_post", "responseType": "code", "scope": "openid"
    });
    let v1 = t.post(IDPS, b2c_oidc.clone()).await;
    assert_eq!(v1.status, 400);
    assert!(
        v1.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only in beta")
    );
    let beta = t.post("/beta/identity/identityProviders", b2c_oidc).await;
    assert_eq!(beta.status, 400);
    assert!(
        beta.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("oidcIdentityProvider")
    );
}

#[tokio::test]
async fn patch_changes_the_updatable_properties_of_a_social_provider_only() {
    let t = TestEmulator::start().await;
    created(&t, google()).await;
    let path = format!("{IDPS}/Google-OAUTH");
    let resp = t
        .patch(
            &path,
            json!({"@odata.type": "#microsoft.graph.socialIdentityProvider",
                   "displayName": "Sign in with Google", "clientSecret": "rotated"}),
        )
        .await;
    assert_eq!(resp.status, 204, "{}", resp.json);
    assert_eq!(
        t.get(&path).await.json["displayName"],
        "Sign in with Google"
    );
    let stored = t.emulator.tenant();
    assert_eq!(
        stored
            .identity_providers
            .iter()
            .find(|p| p["id"] == "Google-OAUTH")
            .unwrap()["clientSecret"],
        "rotated"
    );
    for body in [
        json!({"@odata.type": "#microsoft.graph.socialIdentityProvider", "identityProviderType": "Facebook"}),
        json!({"displayName": "no type"}),
        json!({"@odata.type": "#microsoft.graph.oidcIdentityProvider", "displayName": "wrong type"}),
    ] {
        let resp = t.patch(&path, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
    }
    assert_eq!(t.get(&path).await.json["identityProviderType"], "Google");
}

#[tokio::test]
async fn built_in_providers_cannot_be_updated_or_deleted() {
    let t = TestEmulator::start().await;
    let path = format!("{IDPS}/EmailPassword-OAUTH");
    let resp = t
        .patch(
            &path,
            json!({"@odata.type": "#microsoft.graph.builtInIdentityProvider", "displayName": "x"}),
        )
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(t.delete(&path).await.status, 400);
    assert_eq!(
        t.get(&path).await.json["displayName"],
        "Email with password"
    );
}

#[tokio::test]
async fn delete_removes_a_provider_unless_a_user_flow_offers_it() {
    let t = TestEmulator::start().await;
    created(&t, google()).await;
    let facebook = json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": "Facebook", "identityProviderType": "Facebook",
        "clientId": "fb", "clientSecret": "fb-secret"
    });
    created(&t, facebook).await;
    let flow = t
        .post(
            "/v1.0/identity/authenticationEventsFlows",
            json!({
                "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
                "displayName": "Social sign-in",
                "onInteractiveAuthFlowStart": {
                    "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
                    "isSignUpAllowed": true
                },
                "onAuthenticationMethodLoadStart": {
                    "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
                    "identityProviders": [{"id": "EmailPassword-OAUTH"}, {"id": "Google-OAUTH"}]
                }
            }),
        )
        .await;
    assert_eq!(flow.status, 201, "{}", flow.json);
    let resp = t.delete(&format!("{IDPS}/Google-OAUTH")).await;
    assert_eq!(resp.status, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Social sign-in")
    );
    assert_eq!(
        t.delete(&format!("{IDPS}/Facebook-OAUTH")).await.status,
        204
    );
    assert_eq!(t.get(&format!("{IDPS}/Facebook-OAUTH")).await.status, 404);
}

#[tokio::test]
async fn available_provider_types_lists_what_an_external_tenant_offers() {
    let t = TestEmulator::start().await;
    let resp = t.get(&format!("{IDPS}/availableProviderTypes")).await;
    assert_eq!(resp.status, 200);
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#Collection(Edm.String)")
    );
    let types: Vec<&str> = resp.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"Google")
            && types.contains(&"Facebook")
            && types.contains(&"OpenIdConnect")
    );
}

#[tokio::test]
async fn the_deprecated_top_level_set_is_empty_and_refuses_writes() {
    let t = TestEmulator::start().await;
    let list = t.get("/v1.0/identityProviders").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json["value"], json!([]));
    assert_eq!(
        t.get("/v1.0/identityProviders/EmailPassword-OAUTH")
            .await
            .status,
        404
    );
    assert_eq!(
        t.post("/v1.0/identityProviders", google()).await.status,
        405
    );
}

#[tokio::test]
async fn beta_serves_the_same_providers() {
    let t = TestEmulator::start().await;
    created(&t, google()).await;
    let resp = t.get("/beta/identity/identityProviders/Google-OAUTH").await;
    assert_eq!(resp.status, 200);
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .contains("/beta/$metadata#")
    );
}

#[tokio::test]
async fn reading_needs_identity_provider_read_and_writing_read_write() {
    let t = with_roles(&["IdentityProvider.Read.All"]).await;
    assert_eq!(t.get(IDPS).await.status, 200);
    assert_eq!(
        t.get(&format!("{IDPS}/availableProviderTypes"))
            .await
            .status,
        200
    );
    assert_denied(&t.post(IDPS, google()).await);
    assert_denied(&t.delete(&format!("{IDPS}/EmailPassword-OAUTH")).await);
    let t = with_roles(&["EventListener.ReadWrite.All"]).await;
    assert_denied(&t.get(IDPS).await);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    let t = TestEmulator::start().await;
    let Some(social) = example("v1.0.identityProviders.create.request.json") else {
        return;
    };
    let amazon = t.post(IDPS, social).await;
    assert_eq!(amazon.status, 201, "{}", amazon.json);
    assert_eq!(amazon.json["id"], "Amazon-OAUTH");
    assert_same_shape(
        &amazon.json,
        &example("v1.0.identityProviders.create.response.json").unwrap(),
        &[],
    );
    let apple = t
        .post(
            IDPS,
            example("v1.0.identityProviders.create.ex2.request.json").unwrap(),
        )
        .await;
    assert_eq!(apple.status, 201, "{}", apple.json);
    assert_eq!(apple.json["id"], "Apple-Managed-OIDC");
    assert_same_shape(
        &apple.json,
        &example("v1.0.identityProviders.create.ex2.response.json").unwrap(),
        &[],
    );
    let oidc = t
        .post(
            "/beta/identity/identityProviders",
            example("beta.identityProviders.create.oidc.request.json").unwrap(),
        )
        .await;
    assert_eq!(oidc.status, 201, "{}", oidc.json);
    for update in [
        "v1.0.identityProviders.update.request.json",
        "v1.0.identityProviders.update.ex2.request.json",
    ] {
        let resp = t
            .patch(&format!("{IDPS}/Amazon-OAUTH"), example(update).unwrap())
            .await;
        assert_eq!(resp.status, 204, "{update}: {}", resp.json);
    }
    assert_same_shape(
        &t.get(&format!("{IDPS}/Amazon-OAUTH")).await.json,
        &example("v1.0.identityProviders.get.response.json").unwrap(),
        &[],
    );
    // §14: `state` of built-in providers is beta-CSDL only, yet Graph returns it (null) on v1.0.
    assert_same_shape(
        &t.get(&format!("{IDPS}/EmailPassword-OAUTH")).await.json,
        &example("v1.0.identityProviders.get.ex2.response.json").unwrap(),
        &["state"],
    );
    // The docs' list holds a built-in then a social provider; the same two kinds of the
    // emulator's list are compared with them, in that order. §14: `state` as above.
    let facebook = json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider", "displayName": "Facebook",
        "identityProviderType": "Facebook", "clientId": "fb", "clientSecret": "fb-secret"
    });
    created(&t, facebook).await;
    let mut list = t.get(IDPS).await.json;
    let items = list["value"].as_array().unwrap();
    let of_type = |suffix: &str| {
        items
            .iter()
            .find(|p| p["@odata.type"].as_str().unwrap().ends_with(suffix))
            .unwrap()
            .clone()
    };
    list["value"] = json!([
        of_type("builtInIdentityProvider"),
        of_type("socialIdentityProvider")
    ]);
    assert_same_shape(
        &list,
        &example("v1.0.identityProviders.list.response.json").unwrap(),
        &["state"],
    );
    // §15.23: the `@microsoft.graph.tips` instance annotation is tolerated, not produced.
    assert_same_shape(
        &t.get("/beta/identity/identityProviders").await.json,
        &example("beta.identityProviders.list.ex3.response.json").unwrap(),
        &["@microsoft.graph.tips"],
    );
    assert_same_shape(
        &t.get(&format!("{IDPS}/availableProviderTypes")).await.json,
        &example("v1.0.identityProviders.availableProviderTypes.response.json").unwrap(),
        &[],
    );
}
