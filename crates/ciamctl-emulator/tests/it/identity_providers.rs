//! Tenant identity providers (REFERENCE.md §6): CRUD, service-assigned ids, masked secrets,
//! quirks, permissions, contract.

use ciamctl_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::fixtures::{
    PROVIDERS, apple_provider, create_flow, create_provider, flow_offering, oidc_provider,
    social_provider,
};
use crate::support::roles::{assert_collection_permissions, assert_denied};
use crate::support::{
    TestEmulator, assert_documented_shape, context, example, send_documented, strings,
};

const MASK: &str = "******";

/// Google, with its type in another casing than the documented one.
fn google() -> Value {
    social_provider("google", "google-secret")
}

/// The item of a provider list whose `id` is `id`.
fn item<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not listed"))
}

#[tokio::test]
async fn list_returns_the_built_in_providers_typed() {
    let t = TestEmulator::start().await;
    let resp = t.get(PROVIDERS).await;
    resp.assert_status(200);
    assert_eq!(
        resp.item_ids(),
        strings(&[
            "EmailPassword-OAUTH",
            "EmailOtpSignup-OAUTH",
            "AADSignup-OAUTH"
        ])
    );
    assert!(resp.items().iter().all(|p| {
        p["@odata.type"] == "#microsoft.graph.builtInIdentityProvider" && p["state"].is_null()
    }));
}

#[tokio::test]
async fn quirk_10_secrets_read_back_masked_on_create_get_and_list_of_both_versions() {
    let t = TestEmulator::start().await;
    // Each provider kind with the path of its secret (§15.10).
    let kinds: [(Value, &[&str], &str); 3] = [
        (google(), &["clientSecret"], "google-secret"),
        (
            apple_provider(),
            &["certificateData"],
            "apple-certificate-data",
        ),
        (
            oidc_provider(),
            &["clientAuthentication", "clientSecret"],
            "oidc-secret",
        ),
    ];
    let secret_at = |provider: &Value, path: &[&str]| {
        path.iter().fold(provider.clone(), |v, key| v[*key].clone())
    };
    for (body, path, secret) in kinds {
        let created = create_provider(&t, body).await;
        let id = created["id"].as_str().unwrap();
        assert_eq!(secret_at(&created, path), MASK, "create of {id}");
        for version in ["v1.0", "beta"] {
            let collection = format!("/{version}/identity/identityProviders");
            let read = t.get(&format!("{collection}/{id}")).await;
            assert_eq!(secret_at(&read.json, path), MASK, "{version} get of {id}");
            let list = t.get(&collection).await;
            assert_eq!(
                secret_at(item(list.items(), id), path),
                MASK,
                "{version} list of {id}"
            );
            assert!(!list.json.to_string().contains(secret), "{version} list");
        }
        // The secret is kept, only masked on read.
        assert_eq!(secret_at(&t.stored_provider(id).unwrap(), path), secret);
    }
    // A flow offering a provider reads it back masked too (§15.9).
    let flow = create_flow(&t, "v1.0", flow_offering("Social", &["Google-OAUTH"])).await;
    let flow = t
        .get(&format!(
            "/v1.0/identity/authenticationEventsFlows/{}",
            flow["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        flow.json["onAuthenticationMethodLoadStart"]["identityProviders"][0]["clientSecret"],
        MASK
    );
    // So does the emulator's own state dump.
    assert!(!t.emulator.state().to_string().contains("oidc-secret"));
}

#[tokio::test]
async fn quirk_11_provider_ids_are_service_assigned_per_kind() {
    let t = TestEmulator::start().await;
    let google = create_provider(&t, google()).await;
    assert_eq!(google["id"], "Google-OAUTH");
    let apple = create_provider(&t, apple_provider()).await;
    assert_eq!(apple["id"], "Apple-Managed-OIDC");
    let oidc = create_provider(&t, oidc_provider()).await;
    let id = oidc["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let mut fabrikam = oidc_provider();
    fabrikam["displayName"] = json!("Fabrikam");
    let another = create_provider(&t, fabrikam).await;
    assert_ne!(
        another["id"], oidc["id"],
        "every OIDC provider gets its own GUID"
    );
    // A client cannot choose the id.
    let mut chosen = social_provider("Facebook", "s");
    chosen["id"] = json!("My-Facebook");
    t.post(PROVIDERS, chosen).await.assert_status(400);
    // Built-ins keep their fixed ids.
    let built_in = t.get(&format!("{PROVIDERS}/EmailPassword-OAUTH")).await;
    assert_eq!(built_in.json["identityProviderType"], "EmailPassword");
}

#[tokio::test]
async fn convention_16_8_social_provider_ids_are_guids_with_the_switch() {
    let mut config = EmulatorConfig::default();
    config.conventions.guid_social_provider_ids = true;
    let t = TestEmulator::start_with(config).await;
    let provider = create_provider(&t, google()).await;
    let id = provider["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(
        t.post(PROVIDERS, google()).await.status,
        400,
        "one Google provider per tenant"
    );
    let apple = create_provider(&t, apple_provider()).await;
    assert_eq!(
        apple["id"], "Apple-Managed-OIDC",
        "the switch is for social providers"
    );
}

#[tokio::test]
async fn social_provider_gets_its_type_in_documented_casing() {
    let t = TestEmulator::start().await;
    let provider = create_provider(&t, google()).await;
    assert_eq!(provider["identityProviderType"], "Google");
    assert!(context(&provider).ends_with("#identity/identityProviders/$entity"));
    let read = t.get(&format!("{PROVIDERS}/google-oauth")).await;
    read.assert_status(200);
    assert_eq!(read.json["clientId"], "google-client-id");
}

#[tokio::test]
async fn convention_16_1_a_second_provider_of_the_same_social_type_is_400() {
    let t = TestEmulator::start().await;
    create_provider(&t, google()).await;
    t.post(PROVIDERS, google())
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("Google-OAUTH");
}

#[tokio::test]
async fn oidc_provider_is_stored_in_the_csdl_casing() {
    let t = TestEmulator::start().await;
    let provider = create_provider(&t, oidc_provider()).await;
    assert_eq!(
        provider["@odata.type"],
        "#microsoft.graph.oidcIdentityProvider"
    );
    assert_eq!(provider["responseType"], "code");
}

#[tokio::test]
async fn quirk_1_create_without_odata_type_or_with_a_built_in_or_b2c_type_is_refused() {
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
        let resp = t.post(PROVIDERS, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(resp.error_code(), "invalidRequest");
    }
    let b2c_oidc = json!({
        "@odata.type": "#microsoft.graph.openIdConnectIdentityProvider",
        "displayName": "Contoso", "clientId": "c", "clientSecret": "s",
        "metadataUrl": "https://x", "responseMode": "form_post", "responseType": "code", "scope": "openid"
    });
    t.post(PROVIDERS, b2c_oidc.clone())
        .await
        .assert_status(400)
        .assert_error_mentions("only in beta");
    t.post("/beta/identity/identityProviders", b2c_oidc)
        .await
        .assert_status(400)
        .assert_error_mentions("oidcIdentityProvider");
}

#[tokio::test]
async fn patch_changes_the_updatable_properties_of_a_social_provider_only() {
    let t = TestEmulator::start().await;
    create_provider(&t, google()).await;
    let path = format!("{PROVIDERS}/Google-OAUTH");
    let rename = json!({"@odata.type": "#microsoft.graph.socialIdentityProvider",
                        "displayName": "Sign in with Google", "clientSecret": "rotated"});
    t.patch(&path, rename).await.assert_status(204);
    assert_eq!(
        t.get(&path).await.json["displayName"],
        "Sign in with Google"
    );
    assert_eq!(
        t.stored_provider("Google-OAUTH").unwrap()["clientSecret"],
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
    let path = format!("{PROVIDERS}/EmailPassword-OAUTH");
    let rename =
        json!({"@odata.type": "#microsoft.graph.builtInIdentityProvider", "displayName": "x"});
    t.patch(&path, rename).await.assert_status(400);
    t.delete(&path).await.assert_status(400);
    assert_eq!(
        t.get(&path).await.json["displayName"],
        "Email with password"
    );
}

#[tokio::test]
async fn convention_16_1_a_provider_a_user_flow_offers_cannot_be_deleted() {
    let t = TestEmulator::start().await;
    create_provider(&t, google()).await;
    create_provider(&t, social_provider("Facebook", "fb-secret")).await;
    let flow = flow_offering("Social sign-in", &["EmailPassword-OAUTH", "Google-OAUTH"]);
    create_flow(&t, "v1.0", flow).await;
    t.delete(&format!("{PROVIDERS}/Google-OAUTH"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("Social sign-in");
    t.delete(&format!("{PROVIDERS}/Facebook-OAUTH"))
        .await
        .assert_status(204);
    t.get(&format!("{PROVIDERS}/Facebook-OAUTH"))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn available_provider_types_lists_what_an_external_tenant_offers() {
    let t = TestEmulator::start().await;
    let resp = t.get(&format!("{PROVIDERS}/availableProviderTypes")).await;
    resp.assert_status(200);
    assert!(resp.context().ends_with("#Collection(Edm.String)"));
    let types: Vec<&str> = resp.items().iter().map(|v| v.as_str().unwrap()).collect();
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
    list.assert_status(200);
    assert_eq!(list.json["value"], json!([]));
    t.get("/v1.0/identityProviders/EmailPassword-OAUTH")
        .await
        .assert_status(404);
    t.post("/v1.0/identityProviders", google())
        .await
        .assert_status(405);
}

#[tokio::test]
async fn beta_serves_the_same_providers() {
    let t = TestEmulator::start().await;
    create_provider(&t, google()).await;
    let resp = t.get("/beta/identity/identityProviders/Google-OAUTH").await;
    resp.assert_status(200);
    assert!(resp.context().contains("/beta/$metadata#"));
}

#[tokio::test]
async fn reading_needs_identity_provider_read_and_writing_read_write() {
    let t = assert_collection_permissions(
        PROVIDERS,
        "IdentityProvider.Read.All",
        "EventListener.ReadWrite.All",
        google(),
    )
    .await;
    t.get(&format!("{PROVIDERS}/availableProviderTypes"))
        .await
        .assert_status(200);
    assert_denied(&t.delete(&format!("{PROVIDERS}/EmailPassword-OAUTH")).await);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    if example("v1.0.identityProviders.create.request.json").is_none() {
        return;
    }
    let t = TestEmulator::start().await;
    let create =
        |path: &'static str, name: &'static str| send_documented(&t, Method::POST, path, name, 201);
    let amazon = create(PROVIDERS, "v1.0.identityProviders.create.request.json").await;
    assert_eq!(amazon.json["id"], "Amazon-OAUTH");
    assert_documented_shape(
        &amazon.json,
        "v1.0.identityProviders.create.response.json",
        &[],
    );
    let apple = create(PROVIDERS, "v1.0.identityProviders.create.ex2.request.json").await;
    assert_eq!(apple.json["id"], "Apple-Managed-OIDC");
    assert_documented_shape(
        &apple.json,
        "v1.0.identityProviders.create.ex2.response.json",
        &[],
    );
    create(
        "/beta/identity/identityProviders",
        "beta.identityProviders.create.oidc.request.json",
    )
    .await;
    for update in [
        "v1.0.identityProviders.update.request.json",
        "v1.0.identityProviders.update.ex2.request.json",
    ] {
        let path = format!("{PROVIDERS}/Amazon-OAUTH");
        send_documented(&t, Method::PATCH, &path, update, 204).await;
    }
    assert_documented_shape(
        &t.get(&format!("{PROVIDERS}/Amazon-OAUTH")).await.json,
        "v1.0.identityProviders.get.response.json",
        &[],
    );
    // §14: `state` of built-in providers is beta-CSDL only, yet Graph returns it (null) on v1.0.
    assert_documented_shape(
        &t.get(&format!("{PROVIDERS}/EmailPassword-OAUTH"))
            .await
            .json,
        "v1.0.identityProviders.get.ex2.response.json",
        &["state"],
    );
    // The docs' list holds a built-in then a social provider; the same two kinds of the
    // emulator's list are compared with them, in that order. §14: `state` as above.
    create_provider(&t, social_provider("Facebook", "fb-secret")).await;
    let mut list = t.get(PROVIDERS).await.json;
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
    assert_documented_shape(
        &list,
        "v1.0.identityProviders.list.response.json",
        &["state"],
    );
    // §15.23: the `@microsoft.graph.tips` instance annotation is tolerated, not produced.
    assert_documented_shape(
        &t.get("/beta/identity/identityProviders").await.json,
        "beta.identityProviders.list.ex3.response.json",
        &["@microsoft.graph.tips"],
    );
    assert_documented_shape(
        &t.get(&format!("{PROVIDERS}/availableProviderTypes"))
            .await
            .json,
        "v1.0.identityProviders.availableProviderTypes.response.json",
        &[],
    );
}
