//! Authentication event listeners (REFERENCE.md §9.2, §9.3): CRUD, includeApplications, the
//! customExtension `$ref` attach, quirks, permissions, contract.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::fixtures::{
    LISTENERS, PORTAL_APP, TOKEN_ISSUANCE_EXTENSION, WEB_APP, create_extension, create_listener,
    extension_of_type, token_issuance_listener,
};
use crate::support::roles::assert_collection_permissions;
use crate::support::{TestEmulator, assert_documented_shape, documented, example, send_documented};

const BETA_LISTENERS: &str = "/beta/identity/authenticationEventListeners";

/// Creates a token-issuance extension and a listener that calls it; returns the listener.
async fn token_issuance_setup(t: &TestEmulator) -> (String, Value) {
    let extension = create_extension(t, extension_of_type(TOKEN_ISSUANCE_EXTENSION)).await;
    let listener = create_listener(t, LISTENERS, token_issuance_listener(&extension)).await;
    (extension, listener)
}

/// `$ref` body naming the extension `id`.
fn extension_reference(version: &str, id: &str) -> Value {
    json!({"@odata.id": format!("https://graph.microsoft.com/{version}/identity/customAuthenticationExtensions/{id}")})
}

/// `…/{listener}/microsoft.graph.{event}Listener/handler/microsoft.graph.{event}CustomExtensionHandler/customExtension`.
fn handler_extension_path(listener: &str, event: &str) -> String {
    format!(
        "{BETA_LISTENERS}/{listener}/microsoft.graph.{event}Listener/handler/microsoft.graph.{event}CustomExtensionHandler/customExtension"
    )
}

#[tokio::test]
async fn create_returns_the_listener_with_defaults_and_get_and_list_return_it() {
    let t = TestEmulator::start().await;
    let (extension, listener) = token_issuance_setup(&t).await;
    let id = listener["id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    assert_eq!(listener["priority"], 500);
    assert_eq!(
        listener["conditions"]["applications"]["includeAllApplications"],
        false
    );
    assert_eq!(
        listener["conditions"]["applications"]["includeApplications"],
        json!([{"appId": WEB_APP}])
    );
    assert_eq!(
        listener["handler"]["customExtension"],
        json!({"id": extension})
    );
    assert!(listener["authenticationEventsFlowId"].is_null());
    let read = t.get(&format!("{LISTENERS}/{id}")).await;
    read.assert_status(200);
    assert_eq!(
        read.json["@odata.type"],
        "#microsoft.graph.onTokenIssuanceStartListener"
    );
    assert_eq!(t.get(LISTENERS).await.item_ids(), [id]);
}

#[tokio::test]
async fn quirk_1_create_refuses_missing_types_unknown_or_mismatched_extensions_and_v1_priority() {
    let t = TestEmulator::start().await;
    let otp = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onOtpSendCustomExtension"),
    )
    .await;
    let mut untyped = token_issuance_listener(&otp);
    untyped.as_object_mut().unwrap().remove("@odata.type");
    let mut untyped_handler = token_issuance_listener(&otp);
    untyped_handler["handler"]
        .as_object_mut()
        .unwrap()
        .remove("@odata.type");
    let mut with_priority = token_issuance_listener(&otp);
    with_priority["priority"] = json!(100);
    let mut read_only = token_issuance_listener(&otp);
    read_only["authenticationEventsFlowId"] = json!("x");
    for (body, why) in [
        (untyped, "no @odata.type"),
        (untyped_handler, "no handler @odata.type"),
        (
            token_issuance_listener(&otp),
            "an OTP extension on a token-issuance handler",
        ),
        (
            token_issuance_listener("00000000-0000-0000-0000-000000000000"),
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
    let extension = create_extension(&t, extension_of_type(TOKEN_ISSUANCE_EXTENSION)).await;
    let mut body = token_issuance_listener(&extension);
    body["priority"] = json!(100);
    body["conditions"]["applications"]["includeAllApplications"] = json!(true);
    let listener = create_listener(&t, BETA_LISTENERS, body).await;
    assert_eq!(listener["priority"], 100);
    assert_eq!(
        listener["conditions"]["applications"]["includeAllApplications"],
        true
    );
}

#[tokio::test]
async fn patch_replaces_conditions_and_needs_the_listeners_own_type() {
    let t = TestEmulator::start().await;
    let (extension, listener) = token_issuance_setup(&t).await;
    let path = format!("{LISTENERS}/{}", listener["id"].as_str().unwrap());
    let patch = json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
        "displayName": "Loyalty claims",
        "conditions": {"applications": {"includeApplications": [{"appId": PORTAL_APP}]}}
    });
    t.patch(&path, patch).await.assert_status(204);
    let read = t.get(&path).await.json;
    assert_eq!(read["displayName"], "Loyalty claims");
    assert_eq!(
        read["conditions"]["applications"]["includeApplications"],
        json!([{"appId": PORTAL_APP}])
    );
    assert_eq!(read["handler"]["customExtension"]["id"], extension.as_str());
    let wrong =
        json!({"@odata.type": "#microsoft.graph.onEmailOtpSendListener", "displayName": "x"});
    t.patch(&path, wrong).await.assert_status(400);
    t.delete(&path).await.assert_status(204);
    t.get(&path).await.assert_status(404);
}

#[tokio::test]
async fn include_applications_are_added_with_201_app_id_and_removed_by_app_id() {
    let t = TestEmulator::start().await;
    let (_, listener) = token_issuance_setup(&t).await;
    let apps = format!(
        "{LISTENERS}/{}/conditions/applications/includeApplications",
        listener["id"].as_str().unwrap()
    );
    let added = t
        .post(
            &apps,
            json!({"@odata.type": "#microsoft.graph.authenticationConditionApplication", "appId": PORTAL_APP}),
        )
        .await;
    added.assert_status(201);
    assert_eq!(added.json["appId"], PORTAL_APP);
    assert!(added.context().ends_with("/includeApplications/$entity"));
    t.post(&apps, json!({"appId": PORTAL_APP}))
        .await
        .assert_status(400);
    assert_eq!(
        t.get(&apps).await.json["value"],
        json!([{"appId": WEB_APP}, {"appId": PORTAL_APP}])
    );
    t.delete(&format!("{apps}/{WEB_APP}"))
        .await
        .assert_status(204);
    t.delete(&format!("{apps}/{WEB_APP}"))
        .await
        .assert_status(404);
    assert_eq!(
        t.get(&apps).await.json["value"],
        json!([{"appId": PORTAL_APP}])
    );
}

#[tokio::test]
async fn one_included_application_is_read_at_its_app_id() {
    let t = TestEmulator::start().await;
    let (_, listener) = token_issuance_setup(&t).await;
    let id = listener["id"].as_str().unwrap();
    for version in ["v1.0", "beta"] {
        let apps = format!(
            "/{version}/identity/authenticationEventListeners/{id}/conditions/applications/includeApplications"
        );
        let resp = t.get(&format!("{apps}/{}", WEB_APP.to_uppercase())).await;
        resp.assert_status(200);
        assert_eq!(resp.json["appId"], WEB_APP);
        assert!(resp.context().ends_with(&format!(
            "/{version}/$metadata#identity/authenticationEventListeners('{id}')/conditions/applications/includeApplications/$entity"
        )));
        t.get(&format!("{apps}/{PORTAL_APP}"))
            .await
            .assert_error(404, "Request_ResourceNotFound");
    }
}

/// §9.2 documents three `PUT …/customExtension/$ref` forms (with beta URLs; §14 says v1.0
/// probably takes them too): attribute collection start and submit, and email OTP send. Each
/// attaches on both versions to a listener created without a handler, and reads back.
#[tokio::test]
async fn each_documented_attach_form_attaches_on_both_versions() {
    let t = TestEmulator::start().await;
    let forms = [
        (
            "onAttributeCollectionStartListener",
            "onAttributeCollectionStartCustomExtensionHandler",
            "onAttributeCollectionStartCustomExtension",
        ),
        (
            "onAttributeCollectionSubmitListener",
            "onAttributeCollectionSubmitCustomExtensionHandler",
            "onAttributeCollectionSubmitCustomExtension",
        ),
        (
            "onEmailOtpSendListener",
            "onOtpSendCustomExtensionHandler",
            "onOtpSendCustomExtension",
        ),
    ];
    for version in ["v1.0", "beta"] {
        for (listener_type, handler_type, extension_type) in forms {
            let extension = create_extension(
                &t,
                extension_of_type(&format!("#microsoft.graph.{extension_type}")),
            )
            .await;
            let listener = create_listener(
                &t,
                BETA_LISTENERS,
                json!({ "@odata.type": format!("#microsoft.graph.{listener_type}") }),
            )
            .await;
            let handler = format!(
                "/{version}/identity/authenticationEventListeners/{}/microsoft.graph.{listener_type}/handler/microsoft.graph.{handler_type}/customExtension",
                listener["id"].as_str().unwrap()
            );
            t.get(&handler).await.assert_status(404);
            t.put(
                &format!("{handler}/$ref"),
                extension_reference(version, &extension),
            )
            .await
            .assert_status(204);
            let attached = t.get(&handler).await;
            attached.assert_status(200);
            assert_eq!(
                attached.json["id"],
                extension.as_str(),
                "{version} {listener_type}"
            );
            assert_eq!(
                attached.json["@odata.type"],
                format!("#microsoft.graph.{extension_type}")
            );
        }
    }
}

#[tokio::test]
async fn put_ref_attaches_an_extension_to_the_handler_named_by_the_casts() {
    let t = TestEmulator::start().await;
    let submit_extension =
        || extension_of_type("#microsoft.graph.onAttributeCollectionSubmitCustomExtension");
    let first = create_extension(&t, submit_extension()).await;
    let second = create_extension(&t, submit_extension()).await;
    let token = create_extension(&t, extension_of_type(TOKEN_ISSUANCE_EXTENSION)).await;
    let listener = create_listener(
        &t,
        BETA_LISTENERS,
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
    let handler_path = handler_extension_path(id, "onAttributeCollectionSubmit");
    let attach = format!("{handler_path}/$ref");
    t.put(&attach, extension_reference("beta", &second))
        .await
        .assert_status(204);
    let attached = t.get(&handler_path).await;
    attached.assert_status(200);
    assert_eq!(attached.json["id"], second.as_str());
    t.put(&attach, extension_reference("v1.0", &token))
        .await
        .assert_status(400);
    let wrong_cast = handler_extension_path(id, "onAttributeCollectionStart");
    t.put(
        &format!("{wrong_cast}/$ref"),
        extension_reference("beta", &first),
    )
    .await
    .assert_status(400);
    assert_eq!(t.get(&handler_path).await.json["id"], second.as_str());
}

#[tokio::test]
async fn reading_needs_event_listener_read_and_writing_read_write() {
    assert_collection_permissions(
        LISTENERS,
        "EventListener.Read.All",
        "CustomAuthenticationExtension.ReadWrite.All",
        token_issuance_listener("x"),
    )
    .await;
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    let Some(mut first) = example("v1.0.authenticationEventListener.create.request.json") else {
        return;
    };
    let t = TestEmulator::start().await;
    // The documented bodies reference extensions by ids of the docs' tenant; the same bodies
    // are sent with the id of an extension of the right type created here.
    let token = create_extension(&t, extension_of_type(TOKEN_ISSUANCE_EXTENSION)).await;
    first["handler"]["customExtension"]["id"] = json!(token);
    let created_first = create_listener(&t, LISTENERS, first).await;
    // §14/§15.23: `priority` and `includeAllApplications` come back on v1.0 too; the docs'
    // create response also leaves out the null `displayName` and `authenticationEventsFlowId`
    // that the emulator returns with every property (§0.3).
    assert_documented_shape(
        &created_first,
        "v1.0.authenticationEventListener.create.response.json",
        &[
            "priority",
            "includeAllApplications",
            "displayName",
            "authenticationEventsFlowId",
        ],
    );
    send_documented(
        &t,
        Method::POST,
        LISTENERS,
        "v1.0.authenticationEventListener.create.ex3.request.json",
        201,
    )
    .await;
    let id = created_first["id"].as_str().unwrap();
    send_documented(
        &t,
        Method::PATCH,
        &format!("{LISTENERS}/{id}"),
        "v1.0.authenticationEventListener.update.request.json",
        204,
    )
    .await;
    for event in ["onAttributeCollectionStart", "onAttributeCollectionSubmit"] {
        let name = format!("beta.authenticationEventListener.create.{event}.request.json");
        let extension = create_extension(
            &t,
            extension_of_type(&format!("#microsoft.graph.{event}CustomExtension")),
        )
        .await;
        let mut body = documented(&name);
        body["handler"]["customExtension"]["id"] = json!(extension);
        let listener = create_listener(&t, BETA_LISTENERS, body).await;
        let mut reference = documented("beta.flowCustomExtension.put.request.json");
        reference["@odata.id"] = extension_reference("beta", &extension)["@odata.id"].clone();
        let attach = handler_extension_path(listener["id"].as_str().unwrap(), event);
        let put = t.put(&format!("{attach}/$ref"), reference).await;
        assert_eq!(put.status, 204, "{name}: {}", put.json);
    }
    let apps = format!("{LISTENERS}/{id}/conditions/applications/includeApplications");
    send_documented(
        &t,
        Method::POST,
        &apps,
        "v1.0.includeApplications.add.request.json",
        201,
    )
    .await;
    assert_documented_shape(
        &t.get(&apps).await.json,
        "v1.0.includeApplications.list.response.json",
        &[],
    );
}
