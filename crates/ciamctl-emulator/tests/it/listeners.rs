//! Authentication event listeners (REFERENCE.md §9.2, §9.3): CRUD, includeApplications, the
//! customExtension `$ref` attach, quirks, permissions, contract.

use serde_json::{Value, json};

use crate::extensions::{create_extension, token_issuance};
use crate::support::roles::{assert_denied, with_roles};
use crate::support::{TestEmulator, assert_same_shape, example};

const LISTENERS: &str = "/v1.0/identity/authenticationEventListeners";
const APP: &str = "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60";

fn extension_of_type(odata_type: &str) -> Value {
    let mut body = token_issuance(
        "https://hooks.woodgrove.example",
        "api://hooks.woodgrove.example/d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60",
    );
    body["@odata.type"] = json!(odata_type);
    if odata_type != "#microsoft.graph.onTokenIssuanceStartCustomExtension" {
        body.as_object_mut()
            .expect("an object")
            .remove("claimsForTokenConfiguration");
    }
    body
}

fn token_listener(extension_id: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
        "conditions": {"applications": {"includeApplications": [{"appId": APP}]}},
        "handler": {
            "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
            "customExtension": {"id": extension_id}
        }
    })
}

async fn created(t: &TestEmulator, path: &str, body: Value) -> Value {
    let resp = t.post(path, body).await;
    assert_eq!(resp.status, 201, "{}", resp.json);
    resp.json
}

#[tokio::test]
async fn create_returns_the_listener_with_defaults_and_get_and_list_return_it() {
    let t = TestEmulator::start().await;
    let extension = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onTokenIssuanceStartCustomExtension"),
    )
    .await;
    let listener = created(&t, LISTENERS, token_listener(&extension)).await;
    let id = listener["id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    assert_eq!(listener["priority"], 500);
    assert_eq!(
        listener["conditions"]["applications"]["includeAllApplications"],
        false
    );
    assert_eq!(
        listener["conditions"]["applications"]["includeApplications"],
        json!([{"appId": APP}])
    );
    assert_eq!(
        listener["handler"]["customExtension"],
        json!({"id": extension})
    );
    assert!(listener["authenticationEventsFlowId"].is_null());
    let read = t.get(&format!("{LISTENERS}/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.json["@odata.type"],
        "#microsoft.graph.onTokenIssuanceStartListener"
    );
    let list = t.get(LISTENERS).await;
    assert_eq!(list.json["value"][0]["id"], id.as_str());
}

#[tokio::test]
async fn create_refuses_missing_types_unknown_or_mismatched_extensions_and_v1_priority() {
    let t = TestEmulator::start().await;
    let otp = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onOtpSendCustomExtension"),
    )
    .await;
    let mut untyped = token_listener(&otp);
    untyped.as_object_mut().unwrap().remove("@odata.type");
    let mut untyped_handler = token_listener(&otp);
    untyped_handler["handler"]
        .as_object_mut()
        .unwrap()
        .remove("@odata.type");
    let mut with_priority = token_listener(&otp);
    with_priority["priority"] = json!(100);
    let mut read_only = token_listener(&otp);
    read_only["authenticationEventsFlowId"] = json!("x");
    for (body, why) in [
        (untyped, "no @odata.type"),
        (untyped_handler, "no handler @odata.type"),
        (
            token_listener(&otp),
            "an OTP extension on a token-issuance handler",
        ),
        (
            token_listener("00000000-0000-0000-0000-000000000000"),
            "an extension that does not exist",
        ),
        (with_priority, "priority through v1.0"),
        (read_only, "authenticationEventsFlowId"),
    ] {
        let resp = t.post(LISTENERS, body).await;
        assert_eq!(resp.status, 400, "{why}: {}", resp.json);
        assert_eq!(resp.error_code(), "invalidRequest", "{why}");
    }
    assert_eq!(t.get(LISTENERS).await.json["value"], json!([]));
}

#[tokio::test]
async fn beta_create_takes_priority_and_include_all_applications() {
    let t = TestEmulator::start().await;
    let extension = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onTokenIssuanceStartCustomExtension"),
    )
    .await;
    let mut body = token_listener(&extension);
    body["priority"] = json!(100);
    body["conditions"]["applications"]["includeAllApplications"] = json!(true);
    let listener = created(&t, "/beta/identity/authenticationEventListeners", body).await;
    assert_eq!(listener["priority"], 100);
    assert_eq!(
        listener["conditions"]["applications"]["includeAllApplications"],
        true
    );
}

#[tokio::test]
async fn patch_replaces_conditions_and_needs_the_listeners_own_type() {
    let t = TestEmulator::start().await;
    let extension = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onTokenIssuanceStartCustomExtension"),
    )
    .await;
    let id = created(&t, LISTENERS, token_listener(&extension)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{LISTENERS}/{id}");
    let resp = t
        .patch(
            &path,
            json!({
                "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
                "displayName": "Loyalty claims",
                "conditions": {"applications": {"includeApplications": [{"appId": "e3a7b0d2-4f5c-4d8e-9a0b-2c3d4e5f6071"}]}}
            }),
        )
        .await;
    assert_eq!(resp.status, 204, "{}", resp.json);
    let read = t.get(&path).await.json;
    assert_eq!(read["displayName"], "Loyalty claims");
    assert_eq!(
        read["conditions"]["applications"]["includeApplications"],
        json!([{"appId": "e3a7b0d2-4f5c-4d8e-9a0b-2c3d4e5f6071"}])
    );
    assert_eq!(read["handler"]["customExtension"]["id"], extension.as_str());
    let wrong = t
        .patch(
            &path,
            json!({"@odata.type": "#microsoft.graph.onEmailOtpSendListener", "displayName": "x"}),
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(t.delete(&path).await.status, 204);
    assert_eq!(t.get(&path).await.status, 404);
}

#[tokio::test]
async fn include_applications_can_be_listed_added_and_removed() {
    let t = TestEmulator::start().await;
    let extension = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onTokenIssuanceStartCustomExtension"),
    )
    .await;
    let id = created(&t, LISTENERS, token_listener(&extension)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let apps = format!("{LISTENERS}/{id}/conditions/applications/includeApplications");
    let other = "e3a7b0d2-4f5c-4d8e-9a0b-2c3d4e5f6071";
    let added = t
        .post(
            &apps,
            json!({"@odata.type": "#microsoft.graph.authenticationConditionApplication", "appId": other}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.json);
    assert_eq!(added.json["appId"], other);
    assert!(
        added.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/includeApplications/$entity")
    );
    let again = t.post(&apps, json!({"appId": other})).await;
    assert_eq!(again.status, 400);
    let listed = t.get(&apps).await;
    assert_eq!(
        listed.json["value"],
        json!([{"appId": APP}, {"appId": other}])
    );
    assert_eq!(t.delete(&format!("{apps}/{APP}")).await.status, 204);
    assert_eq!(t.delete(&format!("{apps}/{APP}")).await.status, 404);
    assert_eq!(t.get(&apps).await.json["value"], json!([{"appId": other}]));
}

#[tokio::test]
async fn put_ref_attaches_an_extension_to_the_handler_named_by_the_casts() {
    let t = TestEmulator::start().await;
    let first = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onAttributeCollectionSubmitCustomExtension"),
    )
    .await;
    let second = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onAttributeCollectionSubmitCustomExtension"),
    )
    .await;
    let token = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onTokenIssuanceStartCustomExtension"),
    )
    .await;
    let listener = created(
        &t,
        "/beta/identity/authenticationEventListeners",
        json!({
            "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitListener",
            "handler": {
                "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler",
                "customExtension": {"id": first}
            }
        }),
    )
    .await;
    let id = listener["id"].as_str().unwrap();
    let handler_path = format!(
        "{LISTENERS}/{id}/microsoft.graph.onAttributeCollectionSubmitListener/handler/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension"
    );
    let resp = t
        .send(
            reqwest::Method::PUT,
            &format!("{handler_path}/$ref"),
            Some(json!({"@odata.id": format!("https://graph.microsoft.com/beta/identity/customAuthenticationExtensions/{second}")})),
        )
        .await;
    assert_eq!(resp.status, 204, "{}", resp.json);
    let attached = t.get(&handler_path).await;
    assert_eq!(attached.status, 200);
    assert_eq!(attached.json["id"], second.as_str());
    let mismatched = t
        .send(
            reqwest::Method::PUT,
            &format!("{handler_path}/$ref"),
            Some(json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/identity/customAuthenticationExtensions/{token}")})),
        )
        .await;
    assert_eq!(mismatched.status, 400);
    let wrong_cast = t
        .send(
            reqwest::Method::PUT,
            &format!(
                "{LISTENERS}/{id}/microsoft.graph.onAttributeCollectionStartListener/handler/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref"
            ),
            Some(json!({"@odata.id": format!("https://graph.microsoft.com/beta/identity/customAuthenticationExtensions/{first}")})),
        )
        .await;
    assert_eq!(wrong_cast.status, 400);
    assert_eq!(t.get(&handler_path).await.json["id"], second.as_str());
}

#[tokio::test]
async fn reading_needs_event_listener_read_and_writing_read_write() {
    let t = with_roles(&["EventListener.Read.All"]).await;
    assert_eq!(t.get(LISTENERS).await.status, 200);
    assert_denied(&t.post(LISTENERS, token_listener("x")).await);
    let t = with_roles(&["CustomAuthenticationExtension.ReadWrite.All"]).await;
    assert_denied(&t.get(LISTENERS).await);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    let t = TestEmulator::start().await;
    let Some(mut first) = example("v1.0.authenticationEventListener.create.request.json") else {
        return;
    };
    // The documented bodies reference extensions by ids of the docs' tenant; the same bodies
    // are sent with the id of an extension of the right type created here.
    let token = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onTokenIssuanceStartCustomExtension"),
    )
    .await;
    first["handler"]["customExtension"]["id"] = json!(token);
    let created_first = t.post(LISTENERS, first).await;
    assert_eq!(created_first.status, 201, "{}", created_first.json);
    // §14/§15.23: `priority` and `includeAllApplications` come back on v1.0 too; the docs'
    // create response also leaves out the null `displayName` and `authenticationEventsFlowId`
    // that the emulator returns with every property (§0.3).
    assert_same_shape(
        &created_first.json,
        &example("v1.0.authenticationEventListener.create.response.json").unwrap(),
        &[
            "priority",
            "includeAllApplications",
            "displayName",
            "authenticationEventsFlowId",
        ],
    );
    let fraud = t
        .post(
            LISTENERS,
            example("v1.0.authenticationEventListener.create.ex3.request.json").unwrap(),
        )
        .await;
    assert_eq!(fraud.status, 201, "{}", fraud.json);
    let id = created_first.json["id"].as_str().unwrap();
    let update = t
        .patch(
            &format!("{LISTENERS}/{id}"),
            example("v1.0.authenticationEventListener.update.request.json").unwrap(),
        )
        .await;
    assert_eq!(update.status, 204, "{}", update.json);
    for (name, extension_type) in [
        (
            "beta.authenticationEventListener.create.onAttributeCollectionStart.request.json",
            "#microsoft.graph.onAttributeCollectionStartCustomExtension",
        ),
        (
            "beta.authenticationEventListener.create.onAttributeCollectionSubmit.request.json",
            "#microsoft.graph.onAttributeCollectionSubmitCustomExtension",
        ),
    ] {
        let extension = create_extension(&t, extension_of_type(extension_type)).await;
        let mut body = example(name).unwrap();
        body["handler"]["customExtension"]["id"] = json!(extension);
        let resp = t
            .post("/beta/identity/authenticationEventListeners", body)
            .await;
        assert_eq!(resp.status, 201, "{name}: {}", resp.json);
        let listener = resp.json["id"].as_str().unwrap().to_owned();
        let mut reference = example("beta.flowCustomExtension.put.request.json").unwrap();
        reference["@odata.id"] = json!(format!(
            "https://graph.microsoft.com/beta/identity/customAuthenticationExtensions/{extension}"
        ));
        let cast = extension_type
            .trim_start_matches("#microsoft.graph.")
            .trim_end_matches("CustomExtension");
        let put = t
            .send(
                reqwest::Method::PUT,
                &format!(
                    "/beta/identity/authenticationEventListeners/{listener}/microsoft.graph.{cast}Listener/handler/microsoft.graph.{cast}CustomExtensionHandler/customExtension/$ref"
                ),
                Some(reference),
            )
            .await;
        assert_eq!(put.status, 204, "{name}: {}", put.json);
    }
    let apps = format!("{LISTENERS}/{id}/conditions/applications/includeApplications");
    let added = t
        .post(
            &apps,
            example("v1.0.includeApplications.add.request.json").unwrap(),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.json);
    assert_same_shape(
        &t.get(&apps).await.json,
        &example("v1.0.includeApplications.list.response.json").unwrap(),
        &[],
    );
}
