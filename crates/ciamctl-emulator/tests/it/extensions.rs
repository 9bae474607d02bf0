//! Custom authentication extensions (REFERENCE.md §9.1): CRUD, validation, the 100 limit,
//! permissions, contract.

use serde_json::{Value, json};

use crate::support::roles::{assert_denied, with_roles};
use crate::support::{TestEmulator, assert_same_shape, example};

const EXTENSIONS: &str = "/v1.0/identity/customAuthenticationExtensions";
/// The seeded "Woodgrove Web" application, which has a service principal.
const WEB_APP_ID: &str = "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60";

pub(crate) fn token_issuance(target: &str, resource_id: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
        "displayName": "Claims from the loyalty API",
        "endpointConfiguration": {
            "@odata.type": "#microsoft.graph.httpRequestEndpoint",
            "targetUrl": target
        },
        "authenticationConfiguration": {
            "@odata.type": "#microsoft.graph.azureAdTokenAuthentication",
            "resourceId": resource_id
        },
        "claimsForTokenConfiguration": [{"claimIdInApiResponse": "LoyaltyTier"}]
    })
}

fn valid() -> Value {
    token_issuance(
        "https://loyalty.woodgrove.example/claims",
        &format!("api://loyalty.woodgrove.example/{WEB_APP_ID}"),
    )
}

pub(crate) async fn create_extension(t: &TestEmulator, body: Value) -> String {
    let resp = t.post(EXTENSIONS, body).await;
    assert_eq!(resp.status, 201, "{}", resp.json);
    resp.json["id"].as_str().expect("an id").to_owned()
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|e| e["code"].as_str().expect("a code"))
        .collect()
}

#[tokio::test]
async fn create_returns_every_property_with_a_guid_id() {
    let t = TestEmulator::start().await;
    let resp = t.post(EXTENSIONS, valid()).await;
    assert_eq!(resp.status, 201);
    assert!(uuid::Uuid::parse_str(resp.json["id"].as_str().unwrap()).is_ok());
    assert!(resp.json["behaviorOnError"].is_null());
    assert!(resp.json["clientConfiguration"].is_null());
    assert_eq!(
        resp.json["claimsForTokenConfiguration"][0]["claimIdInApiResponse"],
        "LoyaltyTier"
    );
    let id = resp.json["id"].as_str().unwrap();
    let read = t.get(&format!("{EXTENSIONS}/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json["displayName"], "Claims from the loyalty API");
    let list = t.get(EXTENSIONS).await;
    assert_eq!(list.json["value"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn create_needs_odata_types_and_an_authentication_configuration() {
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
        let resp = t.post(EXTENSIONS, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(resp.error_code(), "invalidRequest");
    }
}

#[tokio::test]
async fn the_101st_extension_is_refused() {
    let t = TestEmulator::start().await;
    for _ in 0..100 {
        create_extension(&t, valid()).await;
    }
    let resp = t.post(EXTENSIONS, valid()).await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "invalidRequest");
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("100")
    );
    assert_eq!(
        t.get(EXTENSIONS).await.json["value"]
            .as_array()
            .unwrap()
            .len(),
        100
    );
}

#[tokio::test]
async fn patch_replaces_named_properties_and_needs_the_extensions_own_type() {
    let t = TestEmulator::start().await;
    let id = create_extension(&t, valid()).await;
    let path = format!("{EXTENSIONS}/{id}");
    let resp = t
        .patch(
            &path,
            json!({
                "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
                "clientConfiguration": {"timeoutInMilliseconds": 1500, "maximumRetries": 0}
            }),
        )
        .await;
    assert_eq!(resp.status, 204, "{}", resp.json);
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
async fn delete_removes_an_extension_unless_a_listener_uses_it() {
    let t = TestEmulator::start().await;
    let used = create_extension(&t, valid()).await;
    let unused = create_extension(&t, valid()).await;
    let listener = t
        .post(
            "/v1.0/identity/authenticationEventListeners",
            json!({
                "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
                "handler": {
                    "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
                    "customExtension": {"id": used}
                }
            }),
        )
        .await;
    assert_eq!(listener.status, 201, "{}", listener.json);
    let resp = t.delete(&format!("{EXTENSIONS}/{used}")).await;
    assert_eq!(resp.status, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("listener")
    );
    assert_eq!(
        t.delete(&format!("{EXTENSIONS}/{unused}")).await.status,
        204
    );
    assert_eq!(t.get(&format!("{EXTENSIONS}/{unused}")).await.status, 404);
}

/// An emulator seeded so that the "Woodgrove Web" service principal holds the permission an
/// extension's API needs (§9.1).
async fn with_payload_permission_granted() -> TestEmulator {
    let fresh = TestEmulator::start().await;
    let mut tenant = fresh.emulator.tenant();
    for sp in &mut tenant.service_principals {
        if sp.app_id == WEB_APP_ID {
            sp.granted_app_roles
                .push("CustomAuthenticationExtensions.Receive.Payload".to_owned());
        }
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let seed = dir.path().join("seed.json");
    let json = serde_json::to_vec(&tenant).expect("the tenant serialises");
    std::fs::write(&seed, json).expect("the seed is written");
    TestEmulator::start_with(ciamctl_emulator::EmulatorConfig {
        seed: Some(seed),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn validating_a_good_configuration_answers_200_with_no_errors_or_warnings() {
    let t = with_payload_permission_granted().await;
    let resp = t
        .post(
            &format!("{EXTENSIONS}/validateAuthenticationConfiguration"),
            json!({
                "endpointConfiguration": valid()["endpointConfiguration"],
                "authenticationConfiguration": valid()["authenticationConfiguration"]
            }),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.json);
    assert_eq!(resp.json["errors"], json!([]));
    assert_eq!(resp.json["warnings"], json!([]));
}

#[tokio::test]
async fn validating_reports_each_documented_error_and_the_permission_warning() {
    let t = TestEmulator::start().await;
    let validate = |target: &str, resource_id: &str| {
        json!({
            "endpointConfiguration": {"@odata.type": "#microsoft.graph.httpRequestEndpoint", "targetUrl": target},
            "authenticationConfiguration": {"@odata.type": "#microsoft.graph.azureAdTokenAuthentication", "resourceId": resource_id}
        })
    };
    let path = format!("{EXTENSIONS}/validateAuthenticationConfiguration");
    let format = t
        .post(
            &path,
            validate("https://api.example.com", "https://api.example.com/x"),
        )
        .await;
    assert_eq!(format.status, 200);
    assert_eq!(codes(&format.json["errors"]), ["IncorrectResourceIdFormat"]);
    let domain = t
        .post(
            &path,
            validate(
                "https://other.example.com/hook",
                &format!("api://api.example.com/{WEB_APP_ID}"),
            ),
        )
        .await;
    assert_eq!(codes(&domain.json["errors"]), ["DomainNameDoesNotMatch"]);
    assert_eq!(
        codes(&domain.json["warnings"]),
        ["PermissionNotGrantedToServicePrincipal"]
    );
    let missing_sp = t
        .post(
            &path,
            validate(
                "https://api.example.com",
                "api://api.example.com/11111111-2222-3333-4444-555555555555",
            ),
        )
        .await;
    assert_eq!(
        codes(&missing_sp.json["errors"]),
        ["ServicePrincipalNotFound"]
    );
    assert_eq!(missing_sp.json["warnings"], json!([]));
}

#[tokio::test]
async fn validating_a_stored_extension_checks_its_configuration() {
    let t = TestEmulator::start().await;
    let id = create_extension(
        &t,
        token_issuance("https://a.example.com", "api://b.example.com/not-a-guid"),
    )
    .await;
    let resp = t
        .post(
            &format!("{EXTENSIONS}/{id}/validateAuthenticationConfiguration"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.json);
    assert_eq!(codes(&resp.json["errors"]), ["IncorrectResourceIdFormat"]);
    let missing = t
        .post(
            &format!("{EXTENSIONS}/00000000-0000-0000-0000-000000000000/validateAuthenticationConfiguration"),
            json!({}),
        )
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn validating_refuses_unknown_parameters_and_untyped_configurations() {
    let t = TestEmulator::start().await;
    let path = format!("{EXTENSIONS}/validateAuthenticationConfiguration");
    let unknown = t.post(&path, json!({"colour": "red"})).await;
    assert_eq!(unknown.status, 400);
    let untyped = t
        .post(
            &path,
            json!({
                "endpointConfiguration": {"targetUrl": "https://x.example.com"},
                "authenticationConfiguration": valid()["authenticationConfiguration"]
            }),
        )
        .await;
    assert_eq!(untyped.status, 400);
}

#[tokio::test]
async fn validating_needs_only_the_read_permission_and_writing_read_write() {
    let t = with_roles(&["CustomAuthenticationExtension.Read.All"]).await;
    let resp = t
        .post(
            &format!("{EXTENSIONS}/validateAuthenticationConfiguration"),
            json!({
                "endpointConfiguration": valid()["endpointConfiguration"],
                "authenticationConfiguration": valid()["authenticationConfiguration"]
            }),
        )
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(t.get(EXTENSIONS).await.status, 200);
    assert_denied(&t.post(EXTENSIONS, valid()).await);
    let t = with_roles(&["EventListener.ReadWrite.All"]).await;
    assert_denied(&t.get(EXTENSIONS).await);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    let t = TestEmulator::start().await;
    let Some(first) = example("v1.0.customAuthenticationExtension.create.request.json") else {
        return;
    };
    let created = t.post(EXTENSIONS, first).await;
    assert_eq!(created.status, 201, "{}", created.json);
    assert_same_shape(
        &created.json,
        &example("v1.0.customAuthenticationExtension.create.response.json").unwrap(),
        &[],
    );
    let id = created.json["id"].as_str().unwrap().to_owned();
    let ex2 = t
        .post(
            EXTENSIONS,
            example("v1.0.customAuthenticationExtension.create.ex2.request.json").unwrap(),
        )
        .await;
    assert_eq!(ex2.status, 201, "{}", ex2.json);
    // The docs' ex2 response leaves out the `behaviorOnError: null` that ex1's shows; the
    // emulator returns every property (§0.3).
    assert_same_shape(
        &ex2.json,
        &example("v1.0.customAuthenticationExtension.create.ex2.response.json").unwrap(),
        &["behaviorOnError"],
    );
    let ex3 = t
        .post(
            EXTENSIONS,
            example("v1.0.customAuthenticationExtension.create.ex3.request.json").unwrap(),
        )
        .await;
    assert_eq!(ex3.status, 201, "{}", ex3.json);
    let ex4 = t
        .post(
            EXTENSIONS,
            example("v1.0.customAuthenticationExtension.create.ex4.request.json").unwrap(),
        )
        .await;
    assert_eq!(ex4.status, 201, "{}", ex4.json);
    // The docs' ex4 response has no `id`; every created extension has one (ex1 and ex2 show it).
    assert_same_shape(
        &ex4.json,
        &example("v1.0.customAuthenticationExtension.create.ex4.response.json").unwrap(),
        &["id"],
    );
    let update = t
        .patch(
            &format!("{EXTENSIONS}/{id}"),
            example("v1.0.customAuthenticationExtension.update.request.json").unwrap(),
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.json);
    let validation = t
        .post(
            &format!("{EXTENSIONS}/validateAuthenticationConfiguration"),
            example("v1.0.customAuthenticationExtension.validateAuthenticationConfiguration.request.json")
                .unwrap(),
        )
        .await;
    assert_eq!(validation.status, 200, "{}", validation.json);
    assert_eq!(
        codes(&validation.json["errors"]),
        ["DomainNameDoesNotMatch", "ServicePrincipalNotFound"]
    );
    assert_same_shape(
        &validation.json,
        &example(
            "v1.0.customAuthenticationExtension.validateAuthenticationConfiguration.response.json",
        )
        .unwrap(),
        &[],
    );
}
