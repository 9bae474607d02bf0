//! Custom authentication extensions (REFERENCE.md §9.1): CRUD, validation, the 100 limit,
//! permissions, contract.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::fixtures::{
    EXTENSIONS, LISTENERS, WEB_APP, create_extension, create_listener, token_issuance,
    token_issuance_listener,
};
use crate::support::roles::assert_collection_permissions;
use crate::support::{
    Resp, TestEmulator, assert_documented_shape, documented, example, send_documented,
};

fn valid() -> Value {
    token_issuance(
        "https://loyalty.woodgrove.example/claims",
        &format!("api://loyalty.woodgrove.example/{WEB_APP}"),
    )
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|e| e["code"].as_str().expect("a code"))
        .collect()
}

/// `POST …/validateAuthenticationConfiguration` with `body` as the candidate configuration.
async fn validate(t: &TestEmulator, body: Value) -> Resp {
    t.post(
        &format!("{EXTENSIONS}/validateAuthenticationConfiguration"),
        body,
    )
    .await
}

/// The endpoint and authentication configuration of [`valid`], as a validation body.
fn valid_configuration() -> Value {
    let valid = valid();
    json!({
        "endpointConfiguration": valid["endpointConfiguration"],
        "authenticationConfiguration": valid["authenticationConfiguration"]
    })
}

#[tokio::test]
async fn create_returns_every_property_with_a_guid_id() {
    let t = TestEmulator::start().await;
    let resp = t.post(EXTENSIONS, valid()).await;
    resp.assert_status(201);
    let id = resp.id();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    assert!(resp.json["behaviorOnError"].is_null());
    assert!(resp.json["clientConfiguration"].is_null());
    assert_eq!(
        resp.json["claimsForTokenConfiguration"][0]["claimIdInApiResponse"],
        "LoyaltyTier"
    );
    let read = t.get(&format!("{EXTENSIONS}/{id}")).await;
    read.assert_status(200);
    assert_eq!(read.json["displayName"], "Claims from the loyalty API");
    assert_eq!(t.get(EXTENSIONS).await.items().len(), 1);
}

#[tokio::test]
async fn quirk_1_create_needs_odata_types_and_an_authentication_configuration() {
    let t = TestEmulator::start().await;
    let mut untyped = valid();
    untyped.as_object_mut().unwrap().remove("@odata.type");
    let mut untyped_endpoint = valid();
    untyped_endpoint["endpointConfiguration"]
        .as_object_mut()
        .unwrap()
        .remove("@odata.type");
    let mut without_auth = valid();
    without_auth
        .as_object_mut()
        .unwrap()
        .remove("authenticationConfiguration");
    for body in [untyped, untyped_endpoint, without_auth] {
        t.post(EXTENSIONS, body)
            .await
            .assert_error(400, "invalidRequest");
    }
}

#[tokio::test]
async fn quirk_20_at_most_100_extensions_the_101st_is_refused() {
    let t = TestEmulator::start().await;
    for _ in 0..100 {
        create_extension(&t, valid()).await;
    }
    t.post(EXTENSIONS, valid())
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("100");
    assert_eq!(t.get(EXTENSIONS).await.items().len(), 100);
    // A deleted extension frees its place.
    let first = t.get(EXTENSIONS).await.item_ids()[0].clone();
    t.delete(&format!("{EXTENSIONS}/{first}"))
        .await
        .assert_status(204);
    create_extension(&t, valid()).await;
}

#[tokio::test]
async fn patch_replaces_named_properties_and_needs_the_extensions_own_type() {
    let t = TestEmulator::start().await;
    let id = create_extension(&t, valid()).await;
    let path = format!("{EXTENSIONS}/{id}");
    let patch = json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
        "clientConfiguration": {"timeoutInMilliseconds": 1500, "maximumRetries": 0}
    });
    t.patch(&path, patch).await.assert_status(204);
    let read = t.get(&path).await.json;
    assert_eq!(read["clientConfiguration"]["timeoutInMilliseconds"], 1500);
    assert_eq!(read["displayName"], "Claims from the loyalty API");
    for body in [
        json!({"displayName": "no type"}),
        json!({"@odata.type": "#microsoft.graph.onOtpSendCustomExtension", "displayName": "other type"}),
    ] {
        assert_eq!(t.patch(&path, body.clone()).await.status, 400, "{body}");
    }
}

#[tokio::test]
async fn convention_16_1_an_extension_a_listener_uses_cannot_be_deleted() {
    let t = TestEmulator::start().await;
    let used = create_extension(&t, valid()).await;
    let unused = create_extension(&t, valid()).await;
    create_listener(&t, LISTENERS, token_issuance_listener(&used)).await;
    t.delete(&format!("{EXTENSIONS}/{used}"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("listener");
    t.delete(&format!("{EXTENSIONS}/{unused}"))
        .await
        .assert_status(204);
    t.get(&format!("{EXTENSIONS}/{unused}"))
        .await
        .assert_status(404);
}

/// An emulator seeded so that the "Woodgrove Web" service principal holds the permission an
/// extension's API needs (§9.1).
async fn with_payload_permission_granted() -> TestEmulator {
    let mut tenant = TestEmulator::start().await.emulator.tenant();
    for sp in &mut tenant.service_principals {
        if sp.app_id == WEB_APP {
            sp.granted_app_roles
                .push("CustomAuthenticationExtensions.Receive.Payload".to_owned());
        }
    }
    TestEmulator::start_seeded(&tenant).await
}

#[tokio::test]
async fn validating_a_good_configuration_answers_200_with_no_errors_or_warnings() {
    let t = with_payload_permission_granted().await;
    let resp = validate(&t, valid_configuration()).await;
    resp.assert_status(200);
    assert_eq!(resp.json["errors"], json!([]));
    assert_eq!(resp.json["warnings"], json!([]));
}

#[tokio::test]
async fn quirk_19_validation_answers_200_with_each_documented_error_and_the_permission_warning() {
    let t = TestEmulator::start().await;
    let candidate = |target: &str, resource_id: &str| {
        json!({
            "endpointConfiguration": {"@odata.type": "#microsoft.graph.httpRequestEndpoint", "targetUrl": target},
            "authenticationConfiguration": {"@odata.type": "#microsoft.graph.azureAdTokenAuthentication", "resourceId": resource_id}
        })
    };
    let format = validate(
        &t,
        candidate("https://api.example.com", "https://api.example.com/x"),
    )
    .await;
    format.assert_status(200);
    assert_eq!(codes(&format.json["errors"]), ["IncorrectResourceIdFormat"]);
    let domain = validate(
        &t,
        candidate(
            "https://other.example.com/hook",
            &format!("api://api.example.com/{WEB_APP}"),
        ),
    )
    .await;
    domain.assert_status(200);
    assert_eq!(codes(&domain.json["errors"]), ["DomainNameDoesNotMatch"]);
    assert_eq!(
        codes(&domain.json["warnings"]),
        ["PermissionNotGrantedToServicePrincipal"]
    );
    let missing_sp = validate(
        &t,
        candidate(
            "https://api.example.com",
            "api://api.example.com/11111111-2222-3333-4444-555555555555",
        ),
    )
    .await;
    missing_sp.assert_status(200);
    assert_eq!(
        codes(&missing_sp.json["errors"]),
        ["ServicePrincipalNotFound"]
    );
    assert_eq!(missing_sp.json["warnings"], json!([]));
}

#[tokio::test]
async fn quirk_19_validating_a_stored_invalid_extension_answers_200_with_its_errors() {
    let t = TestEmulator::start().await;
    let id = create_extension(
        &t,
        token_issuance("https://a.example.com", "api://b.example.com/not-a-guid"),
    )
    .await;
    let stored = |id: &str| format!("{EXTENSIONS}/{id}/validateAuthenticationConfiguration");
    let resp = t.post(&stored(&id), json!({})).await;
    resp.assert_status(200);
    assert_eq!(codes(&resp.json["errors"]), ["IncorrectResourceIdFormat"]);
    t.post(&stored("00000000-0000-0000-0000-000000000000"), json!({}))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn validating_refuses_unknown_parameters_and_untyped_configurations() {
    let t = TestEmulator::start().await;
    validate(&t, json!({"colour": "red"}))
        .await
        .assert_status(400);
    let mut untyped = valid_configuration();
    untyped["endpointConfiguration"] = json!({"targetUrl": "https://x.example.com"});
    validate(&t, untyped).await.assert_status(400);
}

#[tokio::test]
async fn validating_needs_only_the_read_permission_and_writing_read_write() {
    let t = assert_collection_permissions(
        EXTENSIONS,
        "CustomAuthenticationExtension.Read.All",
        "EventListener.ReadWrite.All",
        valid(),
    )
    .await;
    validate(&t, valid_configuration()).await.assert_status(200);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    if example("v1.0.customAuthenticationExtension.create.request.json").is_none() {
        return;
    }
    let t = TestEmulator::start().await;
    let create = |name: &'static str| send_documented(&t, Method::POST, EXTENSIONS, name, 201);
    let created = create("v1.0.customAuthenticationExtension.create.request.json").await;
    assert_documented_shape(
        &created.json,
        "v1.0.customAuthenticationExtension.create.response.json",
        &[],
    );
    let ex2 = create("v1.0.customAuthenticationExtension.create.ex2.request.json").await;
    // The docs' ex2 response leaves out the `behaviorOnError: null` that ex1's shows; the
    // emulator returns every property (§0.3).
    assert_documented_shape(
        &ex2.json,
        "v1.0.customAuthenticationExtension.create.ex2.response.json",
        &["behaviorOnError"],
    );
    create("v1.0.customAuthenticationExtension.create.ex3.request.json").await;
    let ex4 = create("v1.0.customAuthenticationExtension.create.ex4.request.json").await;
    // The docs' ex4 response has no `id`; every created extension has one (ex1 and ex2 show it).
    assert_documented_shape(
        &ex4.json,
        "v1.0.customAuthenticationExtension.create.ex4.response.json",
        &["id"],
    );
    send_documented(
        &t,
        Method::PATCH,
        &format!("{EXTENSIONS}/{}", created.id()),
        "v1.0.customAuthenticationExtension.update.request.json",
        204,
    )
    .await;
    let validation = validate(
        &t,
        documented(
            "v1.0.customAuthenticationExtension.validateAuthenticationConfiguration.request.json",
        ),
    )
    .await;
    validation.assert_status(200);
    assert_eq!(
        codes(&validation.json["errors"]),
        ["DomainNameDoesNotMatch", "ServicePrincipalNotFound"]
    );
    assert_documented_shape(
        &validation.json,
        "v1.0.customAuthenticationExtension.validateAuthenticationConfiguration.response.json",
        &[],
    );
}
