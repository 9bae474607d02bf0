//! User-flow attributes (REFERENCE.md §5): CRUD, filters, quirks, permissions, contract.

use serde_json::{Value, json};

use crate::support::roles::{assert_denied, with_roles};
use crate::support::{TestEmulator, assert_same_shape, example};

const ATTRS: &str = "/v1.0/identity/userFlowAttributes";
/// `extension_<appId of the seeded b2c-extensions-app without dashes>_`.
const PREFIX: &str = "extension_0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d_";

async fn create(t: &TestEmulator, display_name: &str, data_type: &str) -> Value {
    let resp = t
        .post(
            ATTRS,
            json!({"displayName": display_name, "description": "d", "dataType": data_type}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.json);
    resp.json
}

fn ids(value: &Value) -> Vec<&str> {
    value["value"]
        .as_array()
        .expect("a collection")
        .iter()
        .map(|a| a["id"].as_str().expect("an id"))
        .collect()
}

#[tokio::test]
async fn list_returns_the_built_in_attributes_of_an_external_tenant() {
    let t = TestEmulator::start().await;
    let resp = t.get(ATTRS).await;
    assert_eq!(resp.status, 200);
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#identity/userFlowAttributes")
    );
    let ids = ids(&resp.json);
    for id in [
        "city",
        "country",
        "displayName",
        "email",
        "givenName",
        "surname",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(
        resp.json["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["userFlowAttributeType"] == "builtIn" && a["dataType"] == "string")
    );
}

#[tokio::test]
async fn create_derives_the_extension_id_from_the_display_name_and_answers_201_with_location() {
    let t = TestEmulator::start().await;
    let resp = t
        .post(
            ATTRS,
            json!({"displayName": "Favorite color", "description": "Your favourite colour", "dataType": "string"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.json);
    let id = format!("{PREFIX}Favoritecolor");
    assert_eq!(resp.json["id"], id.as_str());
    assert_eq!(resp.json["userFlowAttributeType"], "custom");
    let location = resp.header("Location").unwrap();
    assert!(
        location.ends_with(&format!("/identity/userFlowAttributes('{id}')")),
        "{location}"
    );
    let path = location.strip_prefix(t.emulator.base_url()).unwrap();
    let fetched = t.get(path).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.json["description"], "Your favourite colour");
}

#[tokio::test]
async fn create_stores_the_data_type_in_declared_casing() {
    let t = TestEmulator::start().await;
    let created = create(&t, "Loyalty Points", "Int64").await;
    assert_eq!(created["dataType"], "int64");
}

#[tokio::test]
async fn create_accepts_only_string_boolean_and_int64() {
    let t = TestEmulator::start().await;
    for data_type in ["dateTime", "stringCollection"] {
        let resp = t
            .post(ATTRS, json!({"displayName": "When", "dataType": data_type}))
            .await;
        assert_eq!(resp.status, 400, "{data_type}");
        assert_eq!(resp.error_code(), "invalidRequest");
    }
    let resp = t
        .post(ATTRS, json!({"displayName": "When", "dataType": "date"}))
        .await;
    assert_eq!(resp.status, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'date' is not a member")
    );
}

#[tokio::test]
async fn create_refuses_a_display_name_whose_id_is_taken_ignoring_case_and_spaces() {
    let t = TestEmulator::start().await;
    create(&t, "Hobby", "string").await;
    let resp = t
        .post(
            ATTRS,
            json!({"displayName": "hob by", "dataType": "string"}),
        )
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "invalidRequest");
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{PREFIX}Hobby"))
    );
}

#[tokio::test]
async fn create_refuses_characters_extension_names_cannot_hold_and_missing_fields() {
    let t = TestEmulator::start().await;
    for body in [
        json!({"displayName": "Size (cm)", "dataType": "int64"}),
        json!({"displayName": "   ", "dataType": "string"}),
        json!({"displayName": "Shoe size"}),
        json!({"displayName": "Shoe", "dataType": "string", "userFlowAttributeType": "custom"}),
        json!({"id": "x", "displayName": "Shoe", "dataType": "string"}),
    ] {
        let resp = t.post(ATTRS, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
        assert_eq!(resp.error_code(), "invalidRequest", "{body}");
    }
}

#[tokio::test]
async fn get_matches_ids_case_insensitively_and_answers_404_for_unknown_ones() {
    let t = TestEmulator::start().await;
    let resp = t.get(&format!("{ATTRS}/CITY")).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json["id"], "city");
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#identity/userFlowAttributes/$entity")
    );
    let resp = t.get(&format!("{ATTRS}/nope")).await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.error_code(), "Request_ResourceNotFound");
}

#[tokio::test]
async fn patch_updates_only_the_description_of_a_custom_attribute() {
    let t = TestEmulator::start().await;
    let id = create(&t, "Hobby", "string").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{ATTRS}/{id}");
    let resp = t
        .patch(&path, json!({"description": "Your new hobby"}))
        .await;
    assert_eq!(resp.status, 204);
    assert_eq!(t.get(&path).await.json["description"], "Your new hobby");
    for body in [
        json!({"dataType": "boolean"}),
        json!({"displayName": "Pastime"}),
    ] {
        let resp = t.patch(&path, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}");
    }
    let after = t.get(&path).await.json;
    assert_eq!(after["dataType"], "string");
    assert_eq!(after["displayName"], "Hobby");
}

#[tokio::test]
async fn built_in_attributes_cannot_be_updated_or_deleted() {
    let t = TestEmulator::start().await;
    let resp = t
        .patch(&format!("{ATTRS}/city"), json!({"description": "x"}))
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "invalidRequest");
    let resp = t.delete(&format!("{ATTRS}/city")).await;
    assert_eq!(resp.status, 400);
    assert_eq!(
        t.get(&format!("{ATTRS}/city")).await.json["description"],
        "Your city"
    );
}

#[tokio::test]
async fn delete_removes_a_custom_attribute() {
    let t = TestEmulator::start().await;
    let id = create(&t, "Hobby", "string").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{ATTRS}/{id}");
    assert_eq!(t.delete(&path).await.status, 204);
    assert_eq!(t.get(&path).await.status, 404);
    assert_eq!(t.delete(&path).await.status, 404);
}

#[tokio::test]
async fn delete_is_refused_while_a_user_flow_collects_the_attribute() {
    let t = TestEmulator::start().await;
    let id = create(&t, "Hobby", "string").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let flow = t
        .post(
            "/v1.0/identity/authenticationEventsFlows",
            json!({
                "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
                "displayName": "Sign up with hobby",
                "onInteractiveAuthFlowStart": {
                    "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
                    "isSignUpAllowed": true
                },
                "onAuthenticationMethodLoadStart": {
                    "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
                    "identityProviders": [{"id": "EmailPassword-OAUTH"}]
                },
                "onAttributeCollection": {
                    "@odata.type": "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp",
                    "attributes": [{"id": id}],
                    "attributeCollectionPage": {"views": [{"inputs": [
                        {"attribute": id, "label": "Hobby", "inputType": "text"}
                    ]}]}
                }
            }),
        )
        .await;
    assert_eq!(flow.status, 201, "{}", flow.json);
    let resp = t.delete(&format!("{ATTRS}/{id}")).await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "invalidRequest");
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Sign up with hobby")
    );
    assert_eq!(t.get(&format!("{ATTRS}/{id}")).await.status, 200);
}

#[tokio::test]
async fn filter_takes_eq_and_ne_on_the_four_documented_properties() {
    let t = TestEmulator::start().await;
    let hobby = create(&t, "Hobby", "string").await;
    create(&t, "Newsletter", "boolean").await;
    let query = |filter: &str| {
        format!(
            "{ATTRS}?$filter={}",
            percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let custom = t.get(&query("userFlowAttributeType eq 'custom'")).await;
    assert_eq!(custom.status, 200);
    assert_eq!(ids(&custom.json).len(), 2);
    let not_string = t.get(&query("dataType ne 'string'")).await;
    assert_eq!(ids(&not_string.json), vec![format!("{PREFIX}Newsletter")]);
    let by_name = t.get(&query("displayName eq 'hobby'")).await;
    assert_eq!(ids(&by_name.json), vec![hobby["id"].as_str().unwrap()]);
    let either = t.get(&query("id eq 'city' or id eq 'email'")).await;
    assert_eq!(ids(&either.json), vec!["city", "email"]);
    let both = t
        .get(&query(
            "userFlowAttributeType eq 'custom' and dataType eq 'boolean'",
        ))
        .await;
    assert_eq!(ids(&both.json), vec![format!("{PREFIX}Newsletter")]);
}

#[tokio::test]
async fn unsupported_filters_are_400_request_unsupported_query() {
    let t = TestEmulator::start().await;
    for filter in [
        "startswith(displayName,'C')",
        "description eq 'Your city'",
        "dataType gt 'string'",
    ] {
        let path = format!(
            "{ATTRS}?$filter={}",
            percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC)
        );
        let resp = t.get(&path).await;
        assert_eq!(resp.status, 400, "{filter}");
        assert_eq!(resp.error_code(), "Request_UnsupportedQuery", "{filter}");
    }
}

#[tokio::test]
async fn beta_serves_the_same_attributes() {
    let t = TestEmulator::start().await;
    create(&t, "Hobby", "string").await;
    let resp = t.get("/beta/identity/userFlowAttributes").await;
    assert_eq!(resp.status, 200);
    assert!(ids(&resp.json).contains(&format!("{PREFIX}Hobby").as_str()));
}

#[tokio::test]
async fn reading_needs_identity_user_flow_read_and_writing_read_write() {
    let t = with_roles(&["IdentityUserFlow.Read.All"]).await;
    assert_eq!(t.get(ATTRS).await.status, 200);
    assert_denied(
        &t.post(ATTRS, json!({"displayName": "Hobby", "dataType": "string"}))
            .await,
    );
    assert_denied(&t.delete(&format!("{ATTRS}/city")).await);
    let t = with_roles(&["IdentityProvider.ReadWrite.All"]).await;
    assert_denied(&t.get(ATTRS).await);
}

#[tokio::test]
async fn documented_requests_are_accepted_and_responses_have_the_documented_shape() {
    let t = TestEmulator::start().await;
    let Some(create_body) = example("v1.0.userFlowAttributes.create.request.json") else {
        return;
    };
    let created = t.post(ATTRS, create_body).await;
    assert_eq!(created.status, 201, "{}", created.json);
    let id = created.json["id"].as_str().unwrap().to_owned();
    let update_body = example("v1.0.userFlowAttributes.update.request.json").unwrap();
    assert_eq!(
        t.patch(&format!("{ATTRS}/{id}"), update_body).await.status,
        204
    );
    let documented_get = example("v1.0.userFlowAttributes.get.response.json").unwrap();
    assert_same_shape(
        &t.get(&format!("{ATTRS}/city")).await.json,
        &documented_get,
        &[],
    );
    assert_same_shape(&created.json, &documented_get, &[]);
    let documented_list = example("v1.0.userFlowAttributes.list.response.json").unwrap();
    assert_same_shape(&t.get(ATTRS).await.json, &documented_list, &[]);
}
