//! User-flow attributes (REFERENCE.md §5): CRUD, filters, quirks, permissions, contract.

use reqwest::Method;
use serde_json::json;

use crate::support::fixtures::{
    ATTRIBUTES, EXTENSION_PREFIX, attribute, create_attribute, create_flow, flow_collecting,
};
use crate::support::roles::{assert_collection_permissions, assert_denied};
use crate::support::{
    Resp, TestEmulator, assert_documented_shape, encoded, example, send_documented, sorted_keys,
    strings,
};

/// `GET /userFlowAttributes?$filter=…`.
async fn filtered(t: &TestEmulator, filter: &str) -> Resp {
    t.get(&format!("{ATTRIBUTES}?$filter={}", encoded(filter)))
        .await
}

#[tokio::test]
async fn list_returns_the_built_in_attributes_of_an_external_tenant() {
    let t = TestEmulator::start().await;
    let resp = t.get(ATTRIBUTES).await;
    resp.assert_status(200);
    assert!(
        resp.context()
            .ends_with("/v1.0/$metadata#identity/userFlowAttributes")
    );
    let ids = resp.item_ids();
    for id in [
        "city",
        "country",
        "displayName",
        "email",
        "givenName",
        "surname",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
    assert!(
        resp.items()
            .iter()
            .all(|a| a["userFlowAttributeType"] == "builtIn" && a["dataType"] == "string")
    );
}

#[tokio::test]
async fn quirk_12_custom_ids_are_extension_app_id_and_name_and_create_answers_201_with_location() {
    let t = TestEmulator::start().await;
    let resp = t
        .post(ATTRIBUTES, attribute("Favorite color", "string"))
        .await;
    resp.assert_status(201);
    let id = format!("{EXTENSION_PREFIX}Favoritecolor");
    assert_eq!(resp.id(), id);
    assert_eq!(resp.json["userFlowAttributeType"], "custom");
    let location = resp.header("Location").unwrap();
    assert!(
        location.ends_with(&format!("/identity/userFlowAttributes('{id}')")),
        "{location}"
    );
    let path = location.strip_prefix(t.emulator.base_url()).unwrap();
    let fetched = t.get(path).await;
    fetched.assert_status(200);
    assert_eq!(fetched.json["description"], "Your Favorite color");
}

#[tokio::test]
async fn quirk_24_create_takes_a_data_type_in_any_case_and_stores_the_csdl_casing() {
    let t = TestEmulator::start().await;
    let created = t
        .post(ATTRIBUTES, attribute("Loyalty Points", "Int64"))
        .await;
    created.assert_status(201);
    assert_eq!(created.json["dataType"], "int64");
}

#[tokio::test]
async fn create_accepts_only_string_boolean_and_int64() {
    let t = TestEmulator::start().await;
    for data_type in ["dateTime", "stringCollection"] {
        let resp = t.post(ATTRIBUTES, attribute("When", data_type)).await;
        assert_eq!(resp.status, 400, "{data_type}");
        assert_eq!(resp.error_code(), "invalidRequest");
    }
    t.post(ATTRIBUTES, attribute("When", "date"))
        .await
        .assert_status(400)
        .assert_error_mentions("'date' is not a member");
}

#[tokio::test]
async fn convention_16_17_a_display_name_whose_id_is_taken_ignoring_case_and_spaces_is_refused() {
    let t = TestEmulator::start().await;
    create_attribute(&t, "Hobby", "string").await;
    t.post(ATTRIBUTES, attribute("hob by", "string"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions(&format!("{EXTENSION_PREFIX}Hobby"));
}

#[tokio::test]
async fn convention_16_17_display_names_an_extension_name_cannot_hold_are_refused() {
    let t = TestEmulator::start().await;
    for body in [
        json!({"displayName": "Size (cm)", "dataType": "int64"}),
        json!({"displayName": "   ", "dataType": "string"}),
        json!({"displayName": "Shoe size"}),
        json!({"displayName": "Shoe", "dataType": "string", "userFlowAttributeType": "custom"}),
        json!({"id": "x", "displayName": "Shoe", "dataType": "string"}),
    ] {
        let resp = t.post(ATTRIBUTES, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(resp.error_code(), "invalidRequest", "{body}");
    }
}

#[tokio::test]
async fn get_matches_ids_case_insensitively_and_answers_404_for_unknown_ones() {
    let t = TestEmulator::start().await;
    let resp = t.get(&format!("{ATTRIBUTES}/CITY")).await;
    resp.assert_status(200);
    assert_eq!(resp.json["id"], "city");
    assert!(
        resp.context()
            .ends_with("#identity/userFlowAttributes/$entity")
    );
    t.get(&format!("{ATTRIBUTES}/nope"))
        .await
        .assert_error(404, "Request_ResourceNotFound");
}

#[tokio::test]
async fn quirk_12_only_the_description_of_a_custom_attribute_is_updatable() {
    let t = TestEmulator::start().await;
    let id = create_attribute(&t, "Hobby", "string").await;
    let path = format!("{ATTRIBUTES}/{id}");
    t.patch(&path, json!({"description": "Your new hobby"}))
        .await
        .assert_status(204);
    assert_eq!(t.get(&path).await.json["description"], "Your new hobby");
    for body in [
        json!({"dataType": "boolean"}),
        json!({"displayName": "Pastime"}),
        json!({"description": "both", "dataType": "int64"}),
    ] {
        t.patch(&path, body)
            .await
            .assert_error(400, "invalidRequest");
    }
    let after = t.get(&path).await.json;
    assert_eq!(after["dataType"], "string", "dataType is immutable");
    assert_eq!(after["displayName"], "Hobby");
    assert_eq!(after["description"], "Your new hobby");
}

#[tokio::test]
async fn quirk_12_built_in_attributes_cannot_be_updated_or_deleted() {
    let t = TestEmulator::start().await;
    let city = format!("{ATTRIBUTES}/city");
    t.patch(&city, json!({"description": "x"}))
        .await
        .assert_error(400, "invalidRequest");
    t.delete(&city).await.assert_status(400);
    assert_eq!(t.get(&city).await.json["description"], "Your city");
}

#[tokio::test]
async fn delete_removes_a_custom_attribute() {
    let t = TestEmulator::start().await;
    let id = create_attribute(&t, "Hobby", "string").await;
    let path = format!("{ATTRIBUTES}/{id}");
    t.delete(&path).await.assert_status(204);
    t.get(&path).await.assert_status(404);
    t.delete(&path).await.assert_status(404);
}

#[tokio::test]
async fn convention_16_1_an_attribute_a_user_flow_collects_cannot_be_deleted() {
    let t = TestEmulator::start().await;
    let id = create_attribute(&t, "Hobby", "string").await;
    create_flow(&t, "v1.0", flow_collecting("Sign up with hobby", &[&id])).await;
    t.delete(&format!("{ATTRIBUTES}/{id}"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("Sign up with hobby");
    t.get(&format!("{ATTRIBUTES}/{id}"))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn filter_takes_eq_and_ne_on_the_four_documented_properties() {
    let t = TestEmulator::start().await;
    let hobby = create_attribute(&t, "Hobby", "string").await;
    let newsletter = create_attribute(&t, "Newsletter", "boolean").await;
    for (filter, expected) in [
        (
            "userFlowAttributeType eq 'custom'",
            vec![hobby.clone(), newsletter.clone()],
        ),
        ("dataType ne 'string'", vec![newsletter.clone()]),
        ("displayName eq 'hobby'", vec![hobby]),
        ("id eq 'city' or id eq 'email'", strings(&["city", "email"])),
        (
            "userFlowAttributeType eq 'custom' and dataType eq 'boolean'",
            vec![newsletter],
        ),
    ] {
        let resp = filtered(&t, filter).await;
        resp.assert_status(200);
        assert_eq!(resp.item_ids(), expected, "{filter}");
    }
}

#[tokio::test]
async fn unsupported_filters_are_400_request_unsupported_query() {
    let t = TestEmulator::start().await;
    for filter in [
        "startswith(displayName,'C')",
        "description eq 'Your city'",
        "dataType gt 'string'",
    ] {
        let resp = filtered(&t, filter).await;
        assert_eq!(resp.status, 400, "{filter}");
        assert_eq!(resp.error_code(), "Request_UnsupportedQuery", "{filter}");
    }
}

#[tokio::test]
async fn beta_serves_the_same_attributes() {
    let t = TestEmulator::start().await;
    let hobby = create_attribute(&t, "Hobby", "string").await;
    let resp = t.get("/beta/identity/userFlowAttributes").await;
    resp.assert_status(200);
    assert!(resp.item_ids().contains(&hobby));
}

#[tokio::test]
async fn reading_needs_identity_user_flow_read_and_writing_read_write() {
    let t = assert_collection_permissions(
        ATTRIBUTES,
        "IdentityUserFlow.Read.All",
        "IdentityProvider.ReadWrite.All",
        attribute("Hobby", "string"),
    )
    .await;
    assert_denied(&t.delete(&format!("{ATTRIBUTES}/city")).await);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    if example("v1.0.userFlowAttributes.create.request.json").is_none() {
        return;
    }
    let t = TestEmulator::start().await;
    let created = send_documented(
        &t,
        Method::POST,
        ATTRIBUTES,
        "v1.0.userFlowAttributes.create.request.json",
        201,
    )
    .await;
    send_documented(
        &t,
        Method::PATCH,
        &format!("{ATTRIBUTES}/{}", created.id()),
        "v1.0.userFlowAttributes.update.request.json",
        204,
    )
    .await;
    let get = "v1.0.userFlowAttributes.get.response.json";
    assert_documented_shape(&t.get(&format!("{ATTRIBUTES}/city")).await.json, get, &[]);
    assert_documented_shape(&created.json, get, &[]);
    assert_documented_shape(
        &t.get(ATTRIBUTES).await.json,
        "v1.0.userFlowAttributes.list.response.json",
        &[],
    );
}

/// A single attribute read takes `$select` as the list does, and refuses list options.
#[tokio::test]
async fn get_takes_select_and_refuses_collection_options() {
    let t = TestEmulator::start().await;
    for path in [
        format!("{ATTRIBUTES}/city"),
        format!("{ATTRIBUTES}('city')"),
    ] {
        let resp = t.get(&format!("{path}?$select=displayName")).await;
        resp.assert_status(200);
        assert_eq!(
            sorted_keys(&resp.json),
            ["@odata.context", "displayName"],
            "{path}"
        );
        t.get(&format!("{path}?$select=colour"))
            .await
            .assert_error(400, "Request_BadRequest");
        t.get(&format!("{path}?$filter=id%20eq%20'city'"))
            .await
            .assert_error(400, "Request_UnsupportedQuery");
    }
}
