//! User flows (REFERENCE.md §1–§4, §9.3): one test per §15 quirk and per §16 convention that
//! concerns flows, reads after writes on both versions, permissions, and the contract's flow
//! examples (accepted with the documented status, answered in the documented shape).

use ciamctl_emulator::{EmulatorConfig, FlowConventions, V1PriorityWrite};
use serde_json::{Value, json};

use crate::support::fixtures::{
    ATTRIBUTE_COLLECTION_TYPE, FLOW_TYPE, MOBILE_APP, PORTAL_APP, WEB_APP, create_attribute,
    create_extension, create_flow, create_social_provider, extension_of_type, flow_collecting,
    input, linking, minimal_flow, page, start_extension_patch,
};
use crate::support::roles::{act_as, assert_denied, with_clients};
use crate::support::{
    Resp, TestEmulator, assert_same_shape, context, documented, example, ids, sorted_keys, strings,
};

const FLOWS: &str = "identity/authenticationEventsFlows";
const IDPS: &str = "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders";
const ATTRS: &str = "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes";
const APPS: &str = "conditions/applications/includeApplications";

// --- Request bodies and paths -------------------------------------------------------------

/// A PATCH body that replaces the page with one input per attribute.
fn page_patch(attributes: &[&str]) -> Value {
    json!({
        "@odata.type": FLOW_TYPE,
        "onAttributeCollection": {
            "@odata.type": ATTRIBUTE_COLLECTION_TYPE,
            "attributeCollectionPage": page(attributes),
        }
    })
}

/// `$ref` body naming `path` on the real Graph host.
fn reference(path: &str) -> Value {
    json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/{path}") })
}

fn flows_path(version: &str) -> String {
    format!("/{version}/{FLOWS}")
}

fn flow_path(version: &str, id: &str) -> String {
    format!("/{version}/{FLOWS}/{id}")
}

fn idps_path(version: &str, id: &str) -> String {
    format!("/{version}/{FLOWS}/{id}/{IDPS}")
}

fn attrs_path(version: &str, id: &str) -> String {
    format!("/{version}/{FLOWS}/{id}/{ATTRS}")
}

fn apps_path(version: &str, id: &str) -> String {
    format!("/{version}/{FLOWS}/{id}/{APPS}")
}

/// `.../onAttributeCollection{Start,Submit}/...CustomExtensionHandler/customExtension`.
fn extension_path(version: &str, id: &str, event: &str) -> String {
    format!(
        "/{version}/{FLOWS}/{id}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection{event}/microsoft.graph.onAttributeCollection{event}CustomExtensionHandler/customExtension"
    )
}

// --- Requests -----------------------------------------------------------------------------

/// Creates a flow on v1.0 and returns its id.
async fn create_id(t: &TestEmulator, body: Value) -> String {
    create_flow(t, "v1.0", body).await["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn get_flow(t: &TestEmulator, version: &str, id: &str) -> Value {
    t.get(&flow_path(version, id))
        .await
        .assert_status(200)
        .json
        .clone()
}

async fn patch_flow(t: &TestEmulator, version: &str, id: &str, body: Value) -> Resp {
    t.patch(&flow_path(version, id), body).await
}

/// `POST …/attributes/$ref`: links the user-flow attribute `attribute` to flow `id`.
async fn link_attribute(t: &TestEmulator, version: &str, id: &str, attribute: &str) -> Resp {
    let body = reference(&format!("identity/userFlowAttributes/{attribute}"));
    t.post(&format!("{}/$ref", attrs_path(version, id)), body)
        .await
}

/// `DELETE …/attributes/{attribute}/$ref`.
async fn unlink_attribute(t: &TestEmulator, version: &str, id: &str, attribute: &str) -> Resp {
    t.delete(&format!("{}/{attribute}/$ref", attrs_path(version, id)))
        .await
}

/// Creates a custom authentication extension of `kind` (`onAttributeCollectionSubmitCustomExtension`, ...).
async fn custom_extension(t: &TestEmulator, kind: &str) -> String {
    create_extension(t, extension_of_type(&format!("#microsoft.graph.{kind}"))).await
}

/// The inputs of the first view of a flow's (or a body's) page.
fn inputs(flow: &Value) -> &Value {
    &flow["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["inputs"]
}

/// [`inputs`], to change a request body.
fn inputs_mut(body: &mut Value) -> &mut Value {
    &mut body["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["inputs"]
}

/// The attribute of every input of a flow's page, in page order.
fn page_inputs(flow: &Value) -> Vec<String> {
    flow["onAttributeCollection"]["attributeCollectionPage"]["views"]
        .as_array()
        .expect("views")
        .iter()
        .flat_map(|view| view["inputs"].as_array().expect("inputs").clone())
        .map(|input| input["attribute"].as_str().expect("attribute").to_owned())
        .collect()
}

fn attribute_ids(flow: &Value) -> Vec<String> {
    ids(&flow["onAttributeCollection"]["attributes"])
}

fn provider_ids(flow: &Value) -> Vec<String> {
    ids(&flow["onAuthenticationMethodLoadStart"]["identityProviders"])
}

fn app_ids(flow: &Value) -> Vec<String> {
    flow["conditions"]["applications"]["includeApplications"]
        .as_array()
        .expect("includeApplications")
        .iter()
        .map(|app| app["appId"].as_str().expect("appId").to_owned())
        .collect()
}

// --- §15 quirks ---------------------------------------------------------------------------

#[tokio::test]
async fn quirk_1_odata_type_is_required_on_the_flow_and_on_every_handler() {
    let t = TestEmulator::start().await;
    let mut untyped = minimal_flow("Untyped");
    untyped.as_object_mut().unwrap().remove("@odata.type");
    t.post(&flows_path("v1.0"), untyped)
        .await
        .assert_error(400, "invalidRequest");
    for handler in [
        "onInteractiveAuthFlowStart",
        "onAuthenticationMethodLoadStart",
        "onAttributeCollection",
    ] {
        let mut body = flow_collecting("Untyped handler", &["email"]);
        body[handler].as_object_mut().unwrap().remove("@odata.type");
        t.post(&flows_path("v1.0"), body)
            .await
            .assert_error(400, "invalidRequest");
    }
    let mut abstract_handler = minimal_flow("Abstract handler");
    abstract_handler["onInteractiveAuthFlowStart"]["@odata.type"] =
        json!("#microsoft.graph.onInteractiveAuthFlowStartHandler");
    t.post(&flows_path("v1.0"), abstract_handler)
        .await
        .assert_error(400, "invalidRequest");
    let listed = t.get(&flows_path("v1.0")).await;
    assert_eq!(
        listed.json["value"],
        json!([]),
        "refused creates stored nothing"
    );

    let id = create_id(&t, flow_collecting("Typed", &["email"])).await;
    let mut patch = page_patch(&["email"]);
    patch.as_object_mut().unwrap().remove("@odata.type");
    patch_flow(&t, "v1.0", &id, patch)
        .await
        .assert_error(400, "invalidRequest");
    let mut patch = page_patch(&["email"]);
    patch["onAttributeCollection"]
        .as_object_mut()
        .unwrap()
        .remove("@odata.type");
    patch_flow(&t, "v1.0", &id, patch)
        .await
        .assert_error(400, "invalidRequest");
    let patch = json!({
        "@odata.type": FLOW_TYPE,
        "onUserCreateStart": { "userTypeToCreate": "member" }
    });
    patch_flow(&t, "v1.0", &id, patch)
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn quirk_2_page_patch_replaces_the_page_whole_and_keeps_other_properties() {
    let t = TestEmulator::start().await;
    let mut body = flow_collecting("Replace page", &["email", "displayName", "city"]);
    body["description"] = json!("kept");
    body["onUserCreateStart"] = json!({
        "@odata.type": "#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp",
        "userTypeToCreate": "member"
    });
    let id = create_id(&t, body).await;
    let before = get_flow(&t, "v1.0", &id).await;

    let mut patch = page_patch(&["displayName", "email"]);
    patch["onAttributeCollection"]["attributeCollectionPage"]["views"][0]["title"] =
        json!("About you");
    patch_flow(&t, "v1.0", &id, patch).await.assert_status(204);

    let after = get_flow(&t, "v1.0", &id).await;
    assert_eq!(page_inputs(&after), strings(&["displayName", "email"]));
    let view = &after["onAttributeCollection"]["attributeCollectionPage"]["views"][0];
    assert_eq!(view["title"], "About you");
    assert_eq!(view["inputs"][0]["label"], "Your displayName");
    for kept in [
        "displayName",
        "description",
        "priority",
        "conditions",
        "onInteractiveAuthFlowStart",
        "onAuthenticationMethodLoadStart",
        "onUserCreateStart",
    ] {
        assert_eq!(after[kept], before[kept], "{kept} was not in the PATCH");
    }
    assert_eq!(
        attribute_ids(&after),
        strings(&["email", "displayName", "city"]),
        "the linked attributes are not part of the page"
    );
}

#[tokio::test]
async fn quirk_3_ref_add_appends_the_attribute_and_a_default_input_and_ref_delete_leaves_the_page()
{
    let t = TestEmulator::start().await;
    let id = create_id(&t, flow_collecting("Add city", &["email", "displayName"])).await;

    link_attribute(&t, "v1.0", &id, "city")
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(
        attribute_ids(&flow),
        strings(&["email", "displayName", "city"])
    );
    assert_eq!(
        page_inputs(&flow),
        strings(&["email", "displayName", "city"])
    );
    let city = &inputs(&flow)[2];
    assert_eq!(city["label"], "City", "the attribute's displayName");

    unlink_attribute(&t, "v1.0", &id, "city")
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(attribute_ids(&flow), strings(&["email", "displayName"]));
    assert_eq!(
        page_inputs(&flow),
        strings(&["email", "displayName", "city"]),
        "the page keeps the input until a PATCH drops it"
    );
    let listed = t.get(&attrs_path("v1.0", &id)).await;
    listed.assert_status(200);
    assert_eq!(
        ids(&listed.json["value"]),
        strings(&["email", "displayName"])
    );

    unlink_attribute(&t, "v1.0", &id, "city")
        .await
        .assert_error(404, "Request_ResourceNotFound");
}

/// §15.3 puts the default input into the *first* view: on a two-view page it goes to the end of
/// the first one and the second is left as it was.
#[tokio::test]
async fn quirk_3_ref_add_puts_the_default_input_into_the_first_of_several_views() {
    let t = TestEmulator::start().await;
    let mut body = flow_collecting("Two pages", &["email", "displayName"]);
    let first_view = json!({ "title": "Sign in", "inputs": [input("email")] });
    let second_view = json!({ "title": "About you", "inputs": [input("displayName")] });
    body["onAttributeCollection"]["attributeCollectionPage"]["views"] =
        json!([first_view, second_view]);
    let id = create_id(&t, body).await;
    link_attribute(&t, "beta", &id, "city")
        .await
        .assert_status(204);
    let flow = get_flow(&t, "beta", &id).await;
    let views = &flow["onAttributeCollection"]["attributeCollectionPage"]["views"];
    let attributes_of = |view: &Value| -> Vec<String> {
        view["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(|input| input["attribute"].as_str().expect("attribute").to_owned())
            .collect()
    };
    assert_eq!(attributes_of(&views[0]), strings(&["email", "city"]));
    assert_eq!(attributes_of(&views[1]), strings(&["displayName"]));
    assert_eq!(views[1]["title"], "About you");
}

#[tokio::test]
async fn quirk_4_listing_the_attributes_of_a_flow_that_has_none_is_400() {
    let t = TestEmulator::start().await;
    let bare = create_id(&t, minimal_flow("No collection")).await;
    t.get(&attrs_path("v1.0", &bare))
        .await
        .assert_error(400, "invalidRequest");

    let emptied = create_id(&t, flow_collecting("Emptied", &["email"])).await;
    t.get(&attrs_path("beta", &emptied))
        .await
        .assert_status(200);
    unlink_attribute(&t, "beta", &emptied, "email")
        .await
        .assert_status(204);
    t.get(&attrs_path("beta", &emptied))
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn quirk_5_attribute_collection_cannot_be_added_by_patch_but_the_first_ref_add_creates_it() {
    let t = TestEmulator::start().await;
    let id = create_id(&t, minimal_flow("Sign in only")).await;
    patch_flow(&t, "v1.0", &id, page_patch(&[]))
        .await
        .assert_error(400, "invalidRequest");
    assert!(get_flow(&t, "v1.0", &id).await["onAttributeCollection"].is_null());

    link_attribute(&t, "v1.0", &id, "city")
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    let handler = &flow["onAttributeCollection"];
    assert_eq!(handler["@odata.type"], ATTRIBUTE_COLLECTION_TYPE);
    assert_eq!(handler["accessPackages"], json!([]));
    assert_eq!(
        handler["attributeCollectionPage"]["customStringsFileId"],
        Value::Null
    );
    let views = handler["attributeCollectionPage"]["views"]
        .as_array()
        .unwrap();
    assert_eq!(views.len(), 1, "an empty page gets one view for the input");
    assert_eq!(views[0]["title"], Value::Null);
    assert_eq!(page_inputs(&flow), strings(&["city"]));
    assert_eq!(attribute_ids(&flow), strings(&["city"]));

    patch_flow(&t, "v1.0", &id, page_patch(&["city"]))
        .await
        .assert_status(204);
}

#[tokio::test]
async fn quirk_6_a_flow_keeps_one_provider_and_links_only_existing_ones() {
    let t = TestEmulator::start().await;
    let mut no_provider = minimal_flow("No provider");
    no_provider["onAuthenticationMethodLoadStart"]["identityProviders"] = json!([]);
    t.post(&flows_path("v1.0"), no_provider)
        .await
        .assert_error(400, "invalidRequest");
    let mut unknown = minimal_flow("Unknown provider");
    unknown["onAuthenticationMethodLoadStart"]["identityProviders"] =
        json!([{ "id": "Google-OAUTH" }]);
    t.post(&flows_path("v1.0"), unknown)
        .await
        .assert_error(400, "invalidRequest");

    let id = create_id(&t, minimal_flow("Providers")).await;
    let add = format!("{}/$ref", idps_path("v1.0", &id));
    let legacy = |provider: &str| json!({ "@odata.id": format!("https://graph.microsoft.com/beta/identityProviders/{provider}") });
    t.post(&add, legacy("Google-OAUTH"))
        .await
        .assert_error(400, "invalidRequest");

    let google = create_social_provider(&t, "Google").await;
    t.post(&add, legacy(&google)).await.assert_status(204);
    let current = json!({
        "@odata.id": t.url("/beta/identity/identityProviders/EmailOtpSignup-OAUTH")
    });
    t.post(&add, current).await.assert_status(204);
    t.post(&add, legacy(&google))
        .await
        .assert_error(400, "invalidRequest");
    t.post(&add, reference("identity/userFlowAttributes/city"))
        .await
        .assert_error(400, "invalidRequest");
    let listed = t.get(&idps_path("v1.0", &id)).await;
    listed.assert_status(200);
    assert_eq!(
        ids(&listed.json["value"]),
        vec![
            "EmailPassword-OAUTH".to_owned(),
            google.clone(),
            "EmailOtpSignup-OAUTH".to_owned()
        ]
    );

    let remove = |provider: &str| format!("{}/{provider}/$ref", idps_path("v1.0", &id));
    t.delete(&remove("EmailPassword-OAUTH"))
        .await
        .assert_status(204);
    t.delete(&remove(&google)).await.assert_status(204);
    t.delete(&remove(&google))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    t.delete(&remove("EmailOtpSignup-OAUTH"))
        .await
        .assert_error(400, "invalidRequest");
    let patch = json!({
        "@odata.type": FLOW_TYPE,
        "onAuthenticationMethodLoadStart": {
            "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": []
        }
    });
    patch_flow(&t, "v1.0", &id, patch)
        .await
        .assert_error(400, "invalidRequest");
    assert_eq!(
        provider_ids(&get_flow(&t, "v1.0", &id).await),
        strings(&["EmailOtpSignup-OAUTH"])
    );
}

#[tokio::test]
async fn quirk_7_an_application_belongs_to_one_flow_and_links_by_app_id() {
    let t = TestEmulator::start().await;
    let mut first = minimal_flow("First");
    first["conditions"] = linking(&[WEB_APP]);
    let first = create_id(&t, first).await;
    let second = create_id(&t, minimal_flow("Second")).await;

    let mut taken = minimal_flow("Third");
    taken["conditions"] = linking(&[WEB_APP]);
    t.post(&flows_path("v1.0"), taken)
        .await
        .assert_error(409, "invalidRequest");
    let link = |app_id: &str| json!({ "@odata.type": "#microsoft.graph.authenticationConditionApplication", "appId": app_id });
    let second_apps = apps_path("v1.0", &second);
    t.post(&second_apps, link(WEB_APP))
        .await
        .assert_error(409, "invalidRequest");

    let resp = t.post(&second_apps, link(PORTAL_APP)).await;
    resp.assert_status(201);
    assert_eq!(resp.json["appId"], PORTAL_APP);
    assert!(resp.context().ends_with(&format!(
        "/v1.0/$metadata#{FLOWS}('{second}')/{APPS}/$entity"
    )));
    assert_eq!(
        resp.json.as_object().unwrap().len(),
        2,
        "only context and appId"
    );
    t.post(&second_apps, link(PORTAL_APP))
        .await
        .assert_error(409, "invalidRequest");
    t.post(&second_apps, link("00000000-0000-0000-0000-000000000001"))
        .await
        .assert_error(400, "invalidRequest");

    t.delete(&format!("{}/{WEB_APP}", apps_path("v1.0", &first)))
        .await
        .assert_status(204);
    t.delete(&format!("{}/{WEB_APP}", apps_path("v1.0", &first)))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    t.post(&second_apps, link(WEB_APP)).await.assert_status(201);
    let listed = t.get(&second_apps).await;
    listed.assert_status(200);
    assert_eq!(
        listed.json["value"],
        json!([{ "appId": PORTAL_APP }, { "appId": WEB_APP }])
    );
    assert_eq!(
        app_ids(&get_flow(&t, "v1.0", &first).await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn one_linked_application_is_read_at_its_app_id_on_both_versions() {
    let t = TestEmulator::start().await;
    let mut flow = minimal_flow("Linked");
    flow["conditions"] = linking(&[WEB_APP]);
    let id = create_id(&t, flow).await;
    for version in ["v1.0", "beta"] {
        let apps = apps_path(version, &id);
        let resp = t.get(&format!("{apps}/{}", WEB_APP.to_uppercase())).await;
        resp.assert_status(200);
        assert_eq!(
            resp.json["appId"], WEB_APP,
            "the stored appId, not the key as sent"
        );
        assert!(resp.context().ends_with(&format!(
            "/{version}/$metadata#{FLOWS}('{id}')/{APPS}/$entity"
        )));
        assert_eq!(sorted_keys(&resp.json), ["@odata.context", "appId"]);
        t.get(&format!("{apps}/{WEB_APP}?$select=appId"))
            .await
            .assert_status(200);
        t.get(&format!("{apps}/{WEB_APP}?$filter=appId%20eq%20'x'"))
            .await
            .assert_error(400, "Request_UnsupportedQuery");
        t.get(&format!("{apps}/{PORTAL_APP}"))
            .await
            .assert_error(404, "Request_ResourceNotFound")
            .assert_error_mentions(PORTAL_APP);
    }
    t.get(&format!("{}/{WEB_APP}", apps_path("v1.0", "no-such-flow")))
        .await
        .assert_error(404, "Request_ResourceNotFound");
}

#[tokio::test]
async fn quirk_8_the_create_response_has_the_documented_shape() {
    let t = TestEmulator::start().await;
    let mut body = flow_collecting("Create shape", &["email", "displayName"]);
    body["conditions"] = linking(&[WEB_APP]);
    inputs_mut(&mut body)[0]["inputType"] = json!("Text");
    let created = create_flow(&t, "v1.0", body).await;

    assert!(
        context(&created).ends_with("/v1.0/$metadata#identity/authenticationEventsFlows/$entity")
    );
    assert_eq!(created["@odata.type"], FLOW_TYPE);
    assert!(created["id"].as_str().is_some_and(|id| id.len() == 36));
    assert_eq!(created["description"], Value::Null);
    assert_eq!(created["priority"], 500);
    for unset in [
        "onAttributeCollectionStart",
        "onAttributeCollectionSubmit",
        "onUserCreateStart",
    ] {
        assert_eq!(created[unset], Value::Null, "{unset}");
    }
    assert_eq!(
        created["conditions"],
        json!({ "applications": { "includeAllApplications": false } }),
        "the linked apps are not echoed"
    );
    assert_eq!(
        created["onAuthenticationMethodLoadStart"],
        json!({ "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp" }),
        "the providers are not expanded"
    );
    let collection = &created["onAttributeCollection"];
    assert!(collection.get("attributes").is_none(), "{collection}");
    assert_eq!(collection["accessPackages"], json!([]));
    let page = &collection["attributeCollectionPage"];
    assert_eq!(page["customStringsFileId"], Value::Null);
    assert_eq!(page["views"][0]["title"], Value::Null);
    assert_eq!(page["views"][0]["description"], Value::Null);
    for input in page["views"][0]["inputs"].as_array().unwrap() {
        assert_eq!(input["inputType"], "text");
        assert_eq!(input["defaultValue"], Value::Null);
        assert_eq!(input["options"], json!([]));
    }
    assert_eq!(
        app_ids(&get_flow(&t, "v1.0", created["id"].as_str().unwrap()).await),
        strings(&[WEB_APP]),
        "the apps were linked all the same"
    );
}

#[tokio::test]
async fn quirk_9_get_and_list_show_typed_providers_full_attributes_and_inline_apps() {
    let t = TestEmulator::start().await;
    let google = create_social_provider(&t, "Google").await;
    let mut body = flow_collecting("Read shape", &["email", "city"]);
    body["onAuthenticationMethodLoadStart"]["identityProviders"] =
        json!([{ "id": "EmailPassword-OAUTH" }, { "id": google }]);
    body["conditions"] = linking(&[MOBILE_APP]);
    let id = create_id(&t, body).await;

    let flow = get_flow(&t, "v1.0", &id).await;
    let listed = t.get(&flows_path("v1.0")).await;
    listed.assert_status(200);
    let mut item = listed.json["value"][0].clone();
    assert_eq!(item["id"], json!(id));
    item.as_object_mut()
        .unwrap()
        .insert("@odata.context".into(), flow["@odata.context"].clone());
    assert_eq!(item, flow, "list items have the get shape");

    let providers = &flow["onAuthenticationMethodLoadStart"]["identityProviders"];
    assert_eq!(
        providers[0],
        json!({
            "@odata.type": "#microsoft.graph.builtInIdentityProvider",
            "id": "EmailPassword-OAUTH",
            "displayName": "Email with password",
            "identityProviderType": "EmailPassword",
            "state": null
        })
    );
    assert_eq!(
        providers[1]["@odata.type"],
        "#microsoft.graph.socialIdentityProvider"
    );
    assert_eq!(providers[1]["clientId"], "Google-client-id");
    assert_eq!(providers[1]["clientSecret"], "******", "secrets are masked");
    assert!(!flow.to_string().contains("Google-secret"));

    let city = &flow["onAttributeCollection"]["attributes"][1];
    assert_eq!(city["id"], "city");
    assert_eq!(city["displayName"], "City");
    assert_eq!(city["userFlowAttributeType"], "builtIn");
    assert_eq!(city["dataType"], "string");

    let applications = &flow["conditions"]["applications"];
    assert_eq!(applications["includeAllApplications"], false);
    assert_eq!(
        applications["includeApplications"],
        json!([{ "appId": MOBILE_APP }])
    );
    assert!(
        applications["includeApplications@odata.context"]
            .as_str()
            .unwrap()
            .ends_with(&format!(
                "/v1.0/$metadata#{FLOWS}('{id}')/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/{APPS}"
            ))
    );
}

#[tokio::test]
async fn quirk_24_enum_members_are_accepted_in_any_case_and_answered_in_the_csdl_casing() {
    let t = TestEmulator::start().await;
    let mut body = flow_collecting("Casing", &["email", "displayName"]);
    inputs_mut(&mut body)[0]["inputType"] = json!("Text");
    body["onUserCreateStart"] = json!({
        "@odata.type": "#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp",
        "userTypeToCreate": "Member"
    });
    let created = create_flow(&t, "v1.0", body).await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(inputs(&created)[0]["inputType"], "text");
    assert_eq!(created["onUserCreateStart"]["userTypeToCreate"], "member");
    assert_eq!(
        inputs(&get_flow(&t, "beta", id).await)[0]["inputType"],
        "text"
    );

    let mut patch = page_patch(&["email", "displayName"]);
    inputs_mut(&mut patch)[1]["inputType"] = json!("BOOLEAN");
    patch_flow(&t, "v1.0", id, patch).await.assert_status(204);
    assert_eq!(
        inputs(&get_flow(&t, "v1.0", id).await)[1]["inputType"],
        "boolean"
    );

    let mut unknown = page_patch(&["email"]);
    inputs_mut(&mut unknown)[0]["inputType"] = json!("slider");
    patch_flow(&t, "v1.0", id, unknown)
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn quirk_25_lists_page_with_top_and_the_client_follows_next_links_verbatim() {
    let t = TestEmulator::start().await;
    for name in ["One", "Two", "Three"] {
        create_id(&t, minimal_flow(name)).await;
    }
    let pages = t.pages(&format!("/beta/{FLOWS}?$top=2")).await;
    let sizes: Vec<usize> = pages.iter().map(|page| page.items().len()).collect();
    assert_eq!(sizes, [2, 1]);
    assert_eq!(pages[1].json["value"][0]["displayName"], "Three");
    let unpaged = t.get(&flows_path("beta")).await;
    assert_eq!(unpaged.items().len(), 3, "a CIAM collection is one page");
    assert!(unpaged.json.get("@odata.nextLink").is_none());

    let id = create_id(&t, flow_collecting("Many", &["email", "city", "country"])).await;
    let pages = t
        .pages(&format!("{}?$top=2", attrs_path("v1.0", &id)))
        .await;
    let pages: Vec<Vec<String>> = pages.iter().map(Resp::item_ids).collect();
    assert_eq!(pages, [strings(&["email", "city"]), strings(&["country"])]);
}

// --- Other rules of §1–§4 and §9.3 ----------------------------------------------------------

#[tokio::test]
async fn display_name_is_unique_in_the_tenant_ignoring_case() {
    let t = TestEmulator::start().await;
    let first = create_id(&t, minimal_flow("Sign up and sign in")).await;
    let second = create_id(&t, minimal_flow("Sign in")).await;
    t.post(&flows_path("v1.0"), minimal_flow("SIGN UP AND SIGN IN"))
        .await
        .assert_error(400, "invalidRequest");
    let rename = |name: &str| json!({ "@odata.type": FLOW_TYPE, "displayName": name });
    patch_flow(&t, "v1.0", &second, rename("sign up and sign in"))
        .await
        .assert_error(400, "invalidRequest");
    patch_flow(&t, "v1.0", &first, rename("Sign up and sign in"))
        .await
        .assert_status(204);
    patch_flow(&t, "beta", &second, rename("Partners"))
        .await
        .assert_status(204);
    assert_eq!(
        get_flow(&t, "v1.0", &second).await["displayName"],
        "Partners"
    );
    let mut nameless = minimal_flow("x");
    nameless.as_object_mut().unwrap().remove("displayName");
    t.post(&flows_path("v1.0"), nameless)
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn create_requires_the_interactive_auth_flow_start_and_method_load_start_handlers() {
    let t = TestEmulator::start().await;
    for required in [
        "onInteractiveAuthFlowStart",
        "onAuthenticationMethodLoadStart",
    ] {
        let mut body = minimal_flow("Incomplete");
        body.as_object_mut().unwrap().remove(required);
        t.post(&flows_path("v1.0"), body)
            .await
            .assert_error(400, "invalidRequest")
            .assert_error_mentions(required);
    }
    let id = create_id(&t, minimal_flow("Complete")).await;
    let remove = json!({ "@odata.type": FLOW_TYPE, "onInteractiveAuthFlowStart": null });
    patch_flow(&t, "v1.0", &id, remove)
        .await
        .assert_error(400, "invalidRequest");
    let sign_in_only = json!({
        "@odata.type": FLOW_TYPE,
        "onInteractiveAuthFlowStart": {
            "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
            "isSignUpAllowed": false
        }
    });
    patch_flow(&t, "v1.0", &id, sign_in_only)
        .await
        .assert_status(204);
    assert_eq!(
        get_flow(&t, "v1.0", &id).await["onInteractiveAuthFlowStart"]["isSignUpAllowed"],
        false
    );
}

#[tokio::test]
async fn a_patch_of_conditions_replaces_the_linked_apps_only_when_it_sends_them() {
    let t = TestEmulator::start().await;
    let mut body = minimal_flow("Apps");
    body["conditions"] = linking(&[WEB_APP]);
    let id = create_id(&t, body).await;
    let replace = json!({
        "@odata.type": FLOW_TYPE,
        "conditions": { "applications": { "includeApplications": [
            { "appId": PORTAL_APP }, { "appId": MOBILE_APP }
        ] } }
    });
    patch_flow(&t, "beta", &id, replace)
        .await
        .assert_status(204);
    assert_eq!(
        app_ids(&get_flow(&t, "v1.0", &id).await),
        strings(&[PORTAL_APP, MOBILE_APP])
    );
    let flag_only = json!({
        "@odata.type": FLOW_TYPE,
        "conditions": { "applications": { "includeAllApplications": true } }
    });
    patch_flow(&t, "beta", &id, flag_only)
        .await
        .assert_status(204);
    let flow = get_flow(&t, "beta", &id).await;
    assert_eq!(app_ids(&flow), strings(&[PORTAL_APP, MOBILE_APP]));
    assert_eq!(
        flow["conditions"]["applications"]["includeAllApplications"],
        true
    );
    let other = create_id(&t, minimal_flow("Other")).await;
    let steal = json!({
        "@odata.type": FLOW_TYPE,
        "conditions": { "applications": { "includeApplications": [{ "appId": MOBILE_APP }] } }
    });
    patch_flow(&t, "v1.0", &other, steal)
        .await
        .assert_error(409, "invalidRequest");
    assert_eq!(
        app_ids(&get_flow(&t, "v1.0", &other).await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn id_is_read_only_refused_on_create_and_never_changed_by_patch() {
    let t = TestEmulator::start().await;
    let mut with_id = minimal_flow("Chosen id");
    with_id["id"] = json!("11111111-1111-1111-1111-111111111111");
    t.post(&flows_path("v1.0"), with_id)
        .await
        .assert_error(400, "invalidRequest");
    let id = create_id(&t, minimal_flow("Service id")).await;
    let patch = json!({
        "@odata.type": FLOW_TYPE,
        "id": "11111111-1111-1111-1111-111111111111",
        "description": "patched"
    });
    patch_flow(&t, "v1.0", &id, patch).await.assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(flow["id"], json!(id));
    assert_eq!(flow["description"], "patched");
    t.get(&flow_path("v1.0", "11111111-1111-1111-1111-111111111111"))
        .await
        .assert_error(404, "Request_ResourceNotFound");
}

#[tokio::test]
async fn attributes_and_page_inputs_must_name_existing_linked_attributes() {
    let t = TestEmulator::start().await;
    let unknown = "extension_0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d_Hobby";
    t.post(&flows_path("v1.0"), flow_collecting("Unknown", &[unknown]))
        .await
        .assert_error(400, "invalidRequest");
    let id = create_id(&t, flow_collecting("Hobbies", &["email"])).await;
    link_attribute(&t, "v1.0", &id, unknown)
        .await
        .assert_error(400, "invalidRequest");
    patch_flow(&t, "v1.0", &id, page_patch(&["email", "city"]))
        .await
        .assert_error(400, "invalidRequest");

    let hobby = create_attribute(&t, "Hobby", "string").await;
    assert_eq!(hobby, unknown, "the id the extensions app gives it");
    link_attribute(&t, "v1.0", &id, &hobby)
        .await
        .assert_status(204);
    // The key form of the same attribute, which is linked already.
    let key_form = reference(&format!("identity/userFlowAttributes('{hobby}')"));
    t.post(&format!("{}/$ref", attrs_path("v1.0", &id)), key_form)
        .await
        .assert_error(400, "invalidRequest");
    patch_flow(&t, "v1.0", &id, page_patch(&[&hobby, "email"]))
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(page_inputs(&flow), vec![hobby.clone(), "email".to_owned()]);
    assert_eq!(
        flow["onAttributeCollection"]["attributes"][1]["userFlowAttributeType"],
        "custom"
    );
    patch_flow(&t, "v1.0", &id, page_patch(&["email", "email"]))
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn custom_extensions_attach_by_put_ref_only_when_they_exist_with_the_matching_type() {
    let t = TestEmulator::start().await;
    let submit = custom_extension(&t, "onAttributeCollectionSubmitCustomExtension").await;
    let start = custom_extension(&t, "onAttributeCollectionStartCustomExtension").await;
    let id = create_id(&t, flow_collecting("Extended", &["email"])).await;
    let put = |event: &str, extension: &str| {
        let path = format!("{}/$ref", extension_path("beta", &id, event));
        let body = json!({
            "@odata.id": format!("https://graph.microsoft.com/beta/identity/customAuthenticationExtensions/{extension}")
        });
        (path, body)
    };

    let (path, body) = put("Start", &submit);
    t.put(&path, body).await.assert_error(400, "invalidRequest");
    let (path, body) = put("Start", "00000000-0000-0000-0000-00000000dead");
    t.put(&path, body).await.assert_error(400, "invalidRequest");
    t.get(&extension_path("beta", &id, "Submit"))
        .await
        .assert_error(404, "Request_ResourceNotFound");

    let (path, body) = put("Submit", &submit);
    t.put(&path, body).await.assert_status(204);
    let (path, body) = put("Start", &start);
    t.put(&path, body).await.assert_status(204);

    let flow = get_flow(&t, "beta", &id).await;
    assert_eq!(
        flow["onAttributeCollectionSubmit"],
        json!({
            "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler",
            "configuration": null
        }),
        "the handler is created; its navigation is read through customExtension"
    );
    let attached = t.get(&extension_path("v1.0", &id, "Submit")).await;
    attached.assert_status(200);
    assert_eq!(attached.json["id"], json!(submit));
    assert!(attached.context().ends_with("/customExtension/$entity"));
    let reference = t
        .get(&format!("{}/$ref", extension_path("v1.0", &id, "Start")))
        .await;
    reference.assert_status(200);
    assert_eq!(
        reference.json["@odata.id"],
        json!(t.url(&format!(
            "/v1.0/identity/customAuthenticationExtensions/{start}"
        )))
    );

    let detach = format!("{}/$ref", extension_path("v1.0", &id, "Start"));
    t.delete(&detach).await.assert_status(204);
    t.delete(&detach)
        .await
        .assert_error(404, "Request_ResourceNotFound");
    t.get(&extension_path("v1.0", &id, "Start"))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    assert!(get_flow(&t, "v1.0", &id).await["onAttributeCollectionStart"].is_object());
}

#[tokio::test]
async fn flows_are_served_on_v1_and_beta_with_reads_after_writes_across_versions() {
    let t = TestEmulator::start().await;
    let created = create_flow(&t, "beta", flow_collecting("Beta made", &["email"])).await;
    assert!(context(&created).contains("/beta/$metadata#"));
    let id = created["id"].as_str().unwrap();
    let v1 = get_flow(&t, "v1.0", id).await;
    assert!(context(&v1).contains("/v1.0/$metadata#"));
    assert_eq!(v1["displayName"], "Beta made");

    patch_flow(
        &t,
        "v1.0",
        id,
        json!({ "@odata.type": FLOW_TYPE, "description": "from v1.0" }),
    )
    .await
    .assert_status(204);
    assert_eq!(get_flow(&t, "beta", id).await["description"], "from v1.0");

    let google = create_social_provider(&t, "Google").await;
    let add = format!("{}/$ref", idps_path("beta", id));
    t.post(
        &add,
        reference(&format!("identity/identityProviders/{google}")),
    )
    .await
    .assert_status(204);
    assert_eq!(
        provider_ids(&get_flow(&t, "v1.0", id).await),
        vec!["EmailPassword-OAUTH".to_owned(), google]
    );
    let link = json!({ "appId": WEB_APP });
    t.post(&apps_path("beta", id), link)
        .await
        .assert_status(201);
    assert_eq!(
        app_ids(&get_flow(&t, "v1.0", id).await),
        strings(&[WEB_APP])
    );

    t.delete(&flow_path("beta", id)).await.assert_status(204);
    t.get(&flow_path("v1.0", id))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    t.delete(&flow_path("v1.0", id))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    patch_flow(&t, "v1.0", id, json!({ "@odata.type": FLOW_TYPE }))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    let mut reuse = minimal_flow("Beta made");
    reuse["conditions"] = linking(&[WEB_APP]);
    create_flow(&t, "v1.0", reuse).await;
}

#[tokio::test]
async fn list_filters_by_the_forms_reference_1_1_shows() {
    let t = TestEmulator::start().await;
    let google = create_social_provider(&t, "Google").await;
    let mut social = flow_collecting("Social", &["email", "city"]);
    social["onAuthenticationMethodLoadStart"]["identityProviders"] =
        json!([{ "id": "EmailPassword-OAUTH" }, { "id": google }]);
    social["conditions"] = linking(&[PORTAL_APP]);
    create_id(&t, social).await;
    create_id(&t, flow_collecting("O'Brien's flow", &["email"])).await;
    create_id(&t, minimal_flow("Sign in only")).await;

    let names = |resp: &Resp| -> Vec<String> {
        resp.json["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["displayName"].as_str().unwrap().to_owned())
            .collect()
    };
    let filtered = |filter: String| {
        let query: String = form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        format!("/v1.0/{FLOWS}?$filter={query}")
    };
    let cases = [
        (
            "isof('microsoft.graph.externalUsersSelfServiceSignUpEventsFlow')".to_owned(),
            vec!["Social", "O'Brien's flow", "Sign in only"],
        ),
        ("displayName eq 'o''brien''s flow'".to_owned(), vec!["O'Brien's flow"]),
        (
            format!("microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/any(idp:idp/id eq '{google}')"),
            vec!["Social"],
        ),
        (
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/any(attribute:attribute/id eq 'email')".to_owned(),
            vec!["Social", "O'Brien's flow"],
        ),
        (
            format!("microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/conditions/applications/includeApplications/any(appId:appId/appId eq '{PORTAL_APP}')"),
            vec!["Social"],
        ),
        (
            format!("microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/conditions/applications/includeApplications/any(appId:appId/appId eq '{WEB_APP}')"),
            vec![],
        ),
    ];
    for (filter, expected) in cases {
        let resp = t.get(&filtered(filter.clone())).await;
        resp.assert_status(200);
        assert_eq!(names(&resp), expected, "{filter}");
    }
    t.get(&filtered("displayName eq".to_owned()))
        .await
        .assert_error(400, "Request_BadRequest");
    let selected = t
        .get(&format!("/v1.0/{FLOWS}?$select=displayName&$top=1"))
        .await;
    selected.assert_status(200);
    assert_eq!(
        selected.json["value"],
        json!([{ "@odata.type": FLOW_TYPE, "displayName": "Social" }])
    );
    t.get(&format!("/v1.0/{FLOWS}?$search=%22Social%22"))
        .await
        .assert_error(400, "Request_UnsupportedQuery");
}

/// The `displayName`s of a collection answer, in order.
fn display_names(resp: &Resp) -> Vec<&str> {
    resp.items()
        .iter()
        .map(|f| f["displayName"].as_str().expect("a displayName"))
        .collect()
}

/// §1.1: the flow list takes `$orderby`, over declared primitive properties (strings ignoring
/// case, several keys, `asc`/`desc`), before paging.
#[tokio::test]
async fn list_orders_by_the_properties_orderby_names() {
    let t = TestEmulator::start().await;
    for (name, priority) in [("beta", 300), ("Alpha", 100), ("gamma", 100)] {
        let mut flow = minimal_flow(name);
        flow["priority"] = json!(priority);
        create_flow(&t, "beta", flow).await;
    }
    let ordered = async |query: &str| {
        let resp = t.get(&format!("/beta/{FLOWS}?{query}")).await;
        resp.assert_status(200);
        display_names(&resp)
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ordered("$orderby=displayName").await,
        ["Alpha", "beta", "gamma"]
    );
    assert_eq!(
        ordered("$orderby=DisplayName%20desc").await,
        ["gamma", "beta", "Alpha"]
    );
    assert_eq!(
        ordered("$orderby=priority%20desc,displayName%20desc").await,
        ["beta", "gamma", "Alpha"]
    );
    assert_eq!(
        ordered("$orderby=displayName&$top=2").await,
        ["Alpha", "beta"]
    );
    let filtered = "$filter=priority%20eq%20100&$orderby=displayName%20desc";
    assert_eq!(ordered(filtered).await, ["gamma", "Alpha"]);
    // `priority` is beta-only in the CSDL (§14), so v1.0 cannot sort by it.
    for (version, query) in [
        ("v1.0", "$orderby=priority"),
        ("beta", "$orderby=colour"),
        ("beta", "$orderby=conditions"),
        (
            "beta",
            "$orderby=onInteractiveAuthFlowStart/isSignUpAllowed",
        ),
    ] {
        t.get(&format!("/{version}/{FLOWS}?{query}"))
            .await
            .assert_error(400, "Request_BadRequest");
    }
    t.get(&format!("/beta/{FLOWS}?$orderby=displayName%20up"))
        .await
        .assert_error(400, "Request_BadRequest");
    assert_eq!(
        ordered("$orderby=conditions/applications/includeAllApplications,displayName").await,
        ["Alpha", "beta", "gamma"]
    );
}

/// §4: a flow's attribute list takes `$orderby` too; `$expand` has nothing to expand there.
#[tokio::test]
async fn attribute_list_orders_by_orderby_and_refuses_expand() {
    let t = TestEmulator::start().await;
    let id = create_id(
        &t,
        flow_collecting("Ordered", &["email", "city", "country"]),
    )
    .await;
    let attrs = attrs_path("v1.0", &id);
    let resp = t.get(&format!("{attrs}?$orderby=displayName%20desc")).await;
    resp.assert_status(200);
    assert_eq!(resp.item_ids(), strings(&["email", "country", "city"]));
    t.get(&format!("{attrs}?$orderby=colour"))
        .await
        .assert_error(400, "Request_BadRequest");
    t.get(&format!("{attrs}?$expand=attributes"))
        .await
        .assert_error(400, "Request_UnsupportedQuery");
    t.get(&format!("{}?$orderby=id", idps_path("v1.0", &id)))
        .await
        .assert_error(400, "Request_UnsupportedQuery");
}

/// `$expand` on the flow list and a flow: the navigation properties §15.9 shows inline are
/// accepted and change nothing; `customExtension` of an attribute-collection handler inlines the
/// attached extension (hidden otherwise, §16.16); anything else is 400.
#[tokio::test]
async fn expand_inlines_attached_extensions_and_accepts_the_inline_navigations() {
    let t = TestEmulator::start().await;
    let extension = create_extension(
        &t,
        extension_of_type("#microsoft.graph.onAttributeCollectionStartCustomExtension"),
    )
    .await;
    let id = create_id(&t, minimal_flow("Expanded")).await;
    t.patch(&flow_path("v1.0", &id), start_extension_patch(&extension))
        .await
        .assert_status(204);
    let plain = t.get(&flow_path("v1.0", &id)).await;
    plain.assert_status(200);
    assert!(
        plain.json["onAttributeCollectionStart"]
            .get("customExtension")
            .is_none()
    );

    let start = "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension";
    for query in [format!("$expand={start}"), "$expand=*".to_owned()] {
        let one = t.get(&format!("{}?{query}", flow_path("v1.0", &id))).await;
        one.assert_status(200);
        assert_eq!(
            one.json["onAttributeCollectionStart"]["customExtension"]["id"],
            extension.as_str(),
            "{query}"
        );
        let listed = t.get(&format!("{}?{query}", flows_path("beta"))).await;
        listed.assert_status(200);
        assert_eq!(
            listed.items()[0]["onAttributeCollectionStart"]["customExtension"]["id"],
            extension.as_str(),
            "{query}"
        );
    }
    let through_handler = format!("{}/{start}?$select=displayName", flow_path("v1.0", &id));
    let selected = t.get(&through_handler).await;
    selected.assert_status(200);
    assert_eq!(
        sorted_keys(&selected.json),
        ["@odata.context", "@odata.type", "displayName"]
    );
    t.get(&format!(
        "{}/{start}/$ref?$select=id",
        flow_path("v1.0", &id)
    ))
    .await
    .assert_error(400, "Request_UnsupportedQuery");
    let inline = format!(
        "$expand={},{},{}",
        "conditions/applications/includeApplications", IDPS, ATTRS
    );
    let same = t.get(&format!("{}?{inline}", flow_path("v1.0", &id))).await;
    same.assert_status(200);
    assert_eq!(same.json, plain.json);
    for query in [
        "$expand=identityProviders",
        "$expand=onInteractiveAuthFlowStart",
        "$expand=onAttributeCollectionSubmit/displayName",
    ] {
        t.get(&format!("{}?{query}", flows_path("v1.0")))
            .await
            .assert_error(400, "Request_BadRequest");
    }
    t.get(&format!(
        "{}?$expand={start}($select=id)",
        flow_path("v1.0", &id)
    ))
    .await
    .assert_error(400, "Request_UnsupportedQuery");
}

/// A flow read takes `$select` as the list does, and refuses what a single entity cannot take.
#[tokio::test]
async fn get_takes_select_and_refuses_collection_options() {
    let t = TestEmulator::start().await;
    let id = create_id(&t, minimal_flow("Selected")).await;
    let resp = t
        .get(&format!(
            "{}?$select=displayName,id",
            flow_path("v1.0", &id)
        ))
        .await;
    resp.assert_status(200);
    assert_eq!(
        sorted_keys(&resp.json),
        ["@odata.context", "@odata.type", "displayName", "id"]
    );
    t.get(&format!("{}?$select=colour", flow_path("v1.0", &id)))
        .await
        .assert_error(400, "Request_BadRequest");
    for query in ["$filter=id%20eq%20'x'", "$orderby=displayName", "$top=1"] {
        t.get(&format!("{}?{query}", flow_path("v1.0", &id)))
            .await
            .assert_error(400, "Request_UnsupportedQuery");
    }
}

#[tokio::test]
async fn reads_need_event_listener_read_and_writes_need_event_listener_read_write() {
    const READER: &[&str] = &["EventListener.Read.All"];
    const PROVIDERS_ONLY: &[&str] = &["IdentityProvider.ReadWrite.All"];
    let mut t = with_clients(&[READER, PROVIDERS_ONLY]).await;
    let id = create_id(&t, minimal_flow("Guarded")).await;

    act_as(&mut t, READER).await;
    t.get(&flows_path("v1.0")).await.assert_status(200);
    t.get(&flow_path("beta", &id)).await.assert_status(200);
    t.get(&idps_path("v1.0", &id)).await.assert_status(200);
    assert_denied(&t.post(&flows_path("v1.0"), minimal_flow("Denied")).await);
    assert_denied(&t.delete(&flow_path("v1.0", &id)).await);

    act_as(&mut t, PROVIDERS_ONLY).await;
    assert_denied(&t.get(&flow_path("v1.0", &id)).await);
}

// --- §16 conventions ----------------------------------------------------------------------

#[tokio::test]
async fn convention_16_1_validation_failures_are_400_invalid_request_and_an_app_in_another_flow_409()
 {
    let t = TestEmulator::start().await;
    let first = create_id(&t, minimal_flow("Taken")).await;
    t.post(&flows_path("v1.0"), minimal_flow("Taken"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("Taken");
    t.post(&apps_path("v1.0", &first), json!({ "appId": WEB_APP }))
        .await
        .assert_status(201);
    let second = create_id(&t, minimal_flow("Other")).await;
    t.post(&apps_path("v1.0", &second), json!({ "appId": WEB_APP }))
        .await
        .assert_error(409, "invalidRequest")
        .assert_error_mentions(&first);
    let last = format!("{}/EmailPassword-OAUTH/$ref", idps_path("v1.0", &first));
    t.delete(&last).await.assert_error(400, "invalidRequest");
    link_attribute(&t, "v1.0", &first, "shoeSize")
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn convention_16_1_the_app_conflict_is_400_with_the_switch() {
    let mut config = EmulatorConfig::default();
    config.conventions.flows.app_conflict_is_400 = true;
    let t = TestEmulator::start_with(config).await;
    let mut first = minimal_flow("First");
    first["conditions"] = linking(&[WEB_APP]);
    let first = create_id(&t, first).await;
    let second = create_id(&t, minimal_flow("Second")).await;
    for flow in [&first, &second] {
        t.post(&apps_path("v1.0", flow), json!({ "appId": WEB_APP }))
            .await
            .assert_error(400, "invalidRequest");
    }
    let mut third = minimal_flow("Third");
    third["conditions"] = linking(&[WEB_APP]);
    t.post(&flows_path("v1.0"), third)
        .await
        .assert_error(400, "invalidRequest");
}

#[tokio::test]
async fn convention_16_2_a_page_patch_that_drops_an_input_keeps_the_attribute_unless_switched() {
    let t = TestEmulator::start().await;
    let id = create_id(&t, flow_collecting("Keep", &["email", "city"])).await;
    patch_flow(&t, "v1.0", &id, page_patch(&["email"]))
        .await
        .assert_status(204);
    assert_eq!(
        attribute_ids(&get_flow(&t, "v1.0", &id).await),
        strings(&["email", "city"])
    );

    let mut config = EmulatorConfig::default();
    config.conventions.flows.page_patch_drops_attributes = true;
    let t = TestEmulator::start_with(config).await;
    let id = create_id(&t, flow_collecting("Drop", &["email", "city", "country"])).await;
    unlink_attribute(&t, "v1.0", &id, "country")
        .await
        .assert_status(204);
    patch_flow(&t, "v1.0", &id, page_patch(&["email"]))
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(attribute_ids(&flow), strings(&["email"]));
    assert_eq!(page_inputs(&flow), strings(&["email"]));
}

#[tokio::test]
async fn convention_16_3_the_default_input_of_a_ref_add_follows_the_attribute_and_goes_last() {
    let t = TestEmulator::start().await;
    let opt_in = create_attribute(&t, "Newsletter", "boolean").await;
    let age = create_attribute(&t, "Age", "int64").await;
    let hobby = create_attribute(&t, "Hobby", "string").await;
    let id = create_id(&t, flow_collecting("Defaults", &["email"])).await;
    for attribute in [&opt_in, &age, &hobby, "displayName"] {
        link_attribute(&t, "v1.0", &id, attribute)
            .await
            .assert_status(204);
    }
    let flow = get_flow(&t, "v1.0", &id).await;
    let inputs = inputs(&flow).as_array().unwrap().clone();
    let expected = |attribute: &str, label: &str, input_type: &str, regex: Value| {
        json!({
            "attribute": attribute,
            "label": label,
            "inputType": input_type,
            "defaultValue": null,
            "hidden": false,
            "editable": true,
            "writeToDirectory": true,
            "required": false,
            "validationRegEx": regex,
            "options": []
        })
    };
    assert_eq!(inputs.len(), 5);
    assert_eq!(
        inputs[1],
        expected(&opt_in, "Newsletter", "boolean", Value::Null)
    );
    assert_eq!(inputs[2], expected(&age, "Age", "text", json!("^[0-9]+$")));
    assert_eq!(inputs[3], expected(&hobby, "Hobby", "text", json!("^.*")));
    assert_eq!(
        inputs[4],
        expected(
            "displayName",
            "Display Name",
            "text",
            json!("^[a-zA-Z_][0-9a-zA-Z_ ]*[0-9a-zA-Z_]+$")
        )
    );

    unlink_attribute(&t, "v1.0", &id, &hobby)
        .await
        .assert_status(204);
    link_attribute(&t, "v1.0", &id, &hobby)
        .await
        .assert_status(204);
    assert_eq!(
        page_inputs(&get_flow(&t, "v1.0", &id).await).len(),
        5,
        "re-adding an attribute whose input is still on the page adds no second input"
    );
}

#[tokio::test]
async fn convention_16_4_get_answers_the_entity_at_top_level_unless_switched_to_a_value_wrapper() {
    let t = TestEmulator::start().await;
    let id = create_id(&t, minimal_flow("Top level")).await;
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(flow["id"], json!(id));
    assert!(context(&flow).ends_with("/v1.0/$metadata#identity/authenticationEventsFlows/$entity"));

    let mut config = EmulatorConfig::default();
    config.conventions.flows = FlowConventions {
        wrap_get_in_value: true,
        ..FlowConventions::default()
    };
    let t = TestEmulator::start_with(config).await;
    let id = create_id(&t, minimal_flow("Wrapped")).await;
    let wrapped = get_flow(&t, "v1.0", &id).await;
    assert_eq!(wrapped.as_object().unwrap().len(), 1, "{wrapped}");
    assert_eq!(wrapped["value"]["id"], json!(id));
    assert_eq!(wrapped["value"]["displayName"], "Wrapped");
}

#[tokio::test]
async fn convention_16_5_a_v1_patch_of_priority_is_refused_by_default_and_beta_applies_it() {
    let priority = |body: i64| json!({ "@odata.type": FLOW_TYPE, "priority": body });
    let t = TestEmulator::start().await;
    let mut body = minimal_flow("Prioritised");
    body["priority"] = json!(50);
    let created = create_flow(&t, "v1.0", body).await;
    assert_eq!(
        created["priority"], 50,
        "the v1.0 create page lists priority"
    );
    let id = created["id"].as_str().unwrap();
    patch_flow(&t, "v1.0", id, priority(200))
        .await
        .assert_error(400, "invalidRequest");
    patch_flow(&t, "beta", id, priority(200))
        .await
        .assert_status(204);
    assert_eq!(get_flow(&t, "v1.0", id).await["priority"], 200);
    patch_flow(&t, "beta", id, priority(1 << 40))
        .await
        .assert_error(400, "invalidRequest");

    for (switch, after) in [
        (V1PriorityWrite::Ignore, 500),
        (V1PriorityWrite::Apply, 300),
    ] {
        let mut config = EmulatorConfig::default();
        config.conventions.flows.v1_priority_write = switch;
        let t = TestEmulator::start_with(config).await;
        let id = create_id(&t, minimal_flow("Switched")).await;
        patch_flow(&t, "v1.0", &id, priority(300))
            .await
            .assert_status(204);
        assert_eq!(
            get_flow(&t, "v1.0", &id).await["priority"],
            after,
            "{switch:?}"
        );
    }
}

#[tokio::test]
async fn convention_16_6_input_types_are_the_csdl_members_and_options_are_optional() {
    let t = TestEmulator::start().await;
    let id = create_id(&t, flow_collecting("Inputs", &["email", "city", "country"])).await;
    let with_types = |types: [&str; 3]| {
        let mut patch = page_patch(&["email", "city", "country"]);
        for (i, input_type) in types.into_iter().enumerate() {
            inputs_mut(&mut patch)[i]["inputType"] = json!(input_type);
        }
        patch
    };
    // §16.6: the docs list `checkboxSingleSelect`, which no CSDL has.
    patch_flow(
        &t,
        "v1.0",
        &id,
        with_types(["text", "checkboxSingleSelect", "text"]),
    )
    .await
    .assert_error(400, "invalidRequest")
    .assert_error_mentions("not a member");
    // Radio and checkbox inputs need no options, whatever the attribute's data type.
    let mut choices = with_types(["text", "radioSingleSelect", "checkboxMultiSelect"]);
    inputs_mut(&mut choices)[1]["options"] = json!([{ "label": "Paris", "value": "paris" }]);
    patch_flow(&t, "v1.0", &id, choices)
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    let inputs = inputs(&flow);
    assert_eq!(inputs[1]["inputType"], "radioSingleSelect");
    assert_eq!(
        inputs[1]["options"],
        json!([{ "label": "Paris", "value": "paris" }])
    );
    assert_eq!(inputs[2]["inputType"], "checkboxMultiSelect");
    assert_eq!(inputs[2]["options"], json!([]));
}

#[tokio::test]
async fn convention_16_7_the_email_regex_is_stored_unescaped_and_a_sent_regex_round_trips() {
    let t = TestEmulator::start().await;
    let id = create_id(&t, flow_collecting("Email later", &["displayName"])).await;
    link_attribute(&t, "v1.0", &id, "email")
        .await
        .assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    let email = &inputs(&flow)[1];
    assert_eq!(email["attribute"], "email");
    let regex = email["validationRegEx"].as_str().unwrap();
    assert!(regex.contains("&’'") && !regex.contains("&amp;"), "{regex}");
    // The docs print the regex HTML-escaped; whatever a client sends is kept as sent.
    let escaped = "^[a-zA-Z0-9.!#$%&amp;&#8217;'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:.[a-zA-Z0-9-]+)*$";
    let mut patch = page_patch(&["displayName", "email"]);
    inputs_mut(&mut patch)[1]["validationRegEx"] = json!(escaped);
    patch_flow(&t, "v1.0", &id, patch).await.assert_status(204);
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(inputs(&flow)[1]["validationRegEx"], escaped);
}

#[tokio::test]
async fn convention_16_15_deleting_a_flow_deletes_the_listeners_it_created_and_frees_its_apps() {
    let t = TestEmulator::start().await;
    let mut body = flow_collecting("Seeded", &["email"]);
    body["conditions"] = linking(&[WEB_APP]);
    let id = create_id(&t, body).await;
    let before = get_flow(&t, "v1.0", &id).await;

    // The stored flow round-trips through the seed format, next to a listener it created
    // and one that is independent of it.
    let mut tenant = serde_json::to_value(t.emulator.tenant()).unwrap();
    tenant["listeners"] = json!([
        {
            "@odata.type": "#microsoft.graph.onAttributeCollectionListener",
            "id": "aaaaaaaa-0000-0000-0000-000000000001",
            "authenticationEventsFlowId": id,
            "conditions": null,
            "handler": null
        },
        {
            "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
            "id": "aaaaaaaa-0000-0000-0000-000000000002",
            "authenticationEventsFlowId": null,
            "conditions": null,
            "handler": null
        }
    ]);
    let seeded = TestEmulator::start_seeded(&tenant).await;
    let mut after = get_flow(&seeded, "v1.0", &id).await;
    let mut before = before;
    for flow in [&mut before, &mut after] {
        flow.as_object_mut().unwrap().remove("@odata.context");
        flow["conditions"]["applications"]
            .as_object_mut()
            .unwrap()
            .remove("includeApplications@odata.context");
    }
    assert_eq!(after, before, "the seeded flow reads as it did");

    seeded
        .delete(&flow_path("v1.0", &id))
        .await
        .assert_status(204);
    assert_eq!(
        ids(&json!(seeded.emulator.tenant().listeners)),
        strings(&["aaaaaaaa-0000-0000-0000-000000000002"])
    );
    let mut reuse = minimal_flow("Seeded");
    reuse["conditions"] = linking(&[WEB_APP]);
    create_flow(&seeded, "v1.0", reuse).await;
}

#[tokio::test]
async fn convention_16_15_the_switch_keeps_the_listeners_of_a_deleted_flow() {
    let mut config = EmulatorConfig::default();
    config.conventions.flows.keep_listeners_of_deleted_flows = true;
    let t = TestEmulator::start_with(config.clone()).await;
    let id = create_id(&t, minimal_flow("Behind")).await;
    let mut tenant = serde_json::to_value(t.emulator.tenant()).unwrap();
    tenant["listeners"] = json!([{
        "@odata.type": "#microsoft.graph.onAttributeCollectionListener",
        "id": "aaaaaaaa-0000-0000-0000-000000000001",
        "authenticationEventsFlowId": id,
        "conditions": null,
        "handler": null
    }]);
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    crate::support::write_json(&seed, &tenant);
    let seeded = TestEmulator::start_with(EmulatorConfig {
        seed: Some(seed),
        ..config
    })
    .await;
    seeded
        .delete(&flow_path("v1.0", &id))
        .await
        .assert_status(204);
    assert_eq!(
        ids(&json!(seeded.emulator.tenant().listeners)),
        strings(&["aaaaaaaa-0000-0000-0000-000000000001"])
    );
}

#[tokio::test]
async fn convention_16_16_extensions_attach_by_put_ref_or_patch_on_both_versions() {
    let t = TestEmulator::start().await;
    let start = custom_extension(&t, "onAttributeCollectionStartCustomExtension").await;
    let submit = custom_extension(&t, "onAttributeCollectionSubmitCustomExtension").await;
    let id = create_id(&t, flow_collecting("Patched", &["email"])).await;
    let patch = start_extension_patch(&start);
    patch_flow(&t, "v1.0", &id, patch).await.assert_status(204);
    let attached = t.get(&extension_path("v1.0", &id, "Start")).await;
    attached.assert_status(200);
    assert_eq!(attached.json["id"], json!(start));
    let flow = get_flow(&t, "v1.0", &id).await;
    assert_eq!(
        flow["onAttributeCollectionStart"]["configuration"]["clientConfiguration"]["maximumRetries"],
        1
    );
    assert!(
        flow["onAttributeCollectionStart"]
            .get("customExtension")
            .is_none()
    );

    let wrong = json!({
        "@odata.type": FLOW_TYPE,
        "onAttributeCollectionSubmit": {
            "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler",
            "customExtension": { "id": start }
        }
    });
    patch_flow(&t, "v1.0", &id, wrong)
        .await
        .assert_error(400, "invalidRequest");
    let put = format!("{}/$ref", extension_path("v1.0", &id, "Submit"));
    let body = reference(&format!("identity/customAuthenticationExtensions/{submit}"));
    t.put(&put, body).await.assert_status(204);
    let bound = json!({
        "@odata.type": FLOW_TYPE,
        "onAttributeCollectionSubmit": {
            "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler",
            "customExtension@odata.bind": format!("https://graph.microsoft.com/beta/identity/customAuthenticationExtensions('{submit}')")
        }
    });
    patch_flow(&t, "beta", &id, bound).await.assert_status(204);
    let attached = t.get(&extension_path("beta", &id, "Submit")).await;
    attached.assert_status(200);
    assert_eq!(attached.json["id"], json!(submit));
    let detach = json!({ "@odata.type": FLOW_TYPE, "onAttributeCollectionStart": null });
    patch_flow(&t, "beta", &id, detach).await.assert_status(204);
    t.get(&extension_path("beta", &id, "Start"))
        .await
        .assert_error(404, "Request_ResourceNotFound");

    let mut config = EmulatorConfig::default();
    config.conventions.flows.expand_custom_extensions = true;
    let t = TestEmulator::start_with(config).await;
    let submit = custom_extension(&t, "onAttributeCollectionSubmitCustomExtension").await;
    let id = create_id(&t, flow_collecting("Expanded", &["email"])).await;
    let put = format!("{}/$ref", extension_path("beta", &id, "Submit"));
    let body = reference(&format!("identity/customAuthenticationExtensions/{submit}"));
    t.put(&put, body).await.assert_status(204);
    let flow = get_flow(&t, "beta", &id).await;
    assert_eq!(
        flow["onAttributeCollectionSubmit"]["customExtension"]["id"],
        json!(submit)
    );
}

// --- The contract's examples --------------------------------------------------------------

/// What the examples name, and what this tenant calls it.
struct Prepared {
    substitutions: Vec<(&'static str, String)>,
}

impl Prepared {
    /// Creates what the flow examples reference (the Google and Facebook providers, the
    /// custom attribute, an attribute-collection-submit extension) and maps the examples'
    /// ids and appIds to this tenant's.
    async fn new(t: &TestEmulator) -> Self {
        let google = create_social_provider(t, "Google").await;
        let facebook = create_social_provider(t, "Facebook").await;
        let color = create_attribute(t, "Favorite color", "string").await;
        let extension = custom_extension(t, "onAttributeCollectionSubmitCustomExtension").await;
        Self {
            substitutions: vec![
                ("Google-OAUTH", google),
                ("Facebook-OAUTH", facebook),
                (
                    "extension_6ea3bc85aec24b1c92ff4a117afb6621_Favoritecolor",
                    color,
                ),
                ("63856651-13d9-4784-9abf-20758d509e19", WEB_APP.to_owned()),
                ("44444444-2222-3333-3333-444444444444", extension),
            ],
        }
    }

    /// `value` with every string naming an example id renamed to this tenant's.
    fn apply(&self, mut value: Value) -> Value {
        fn walk(value: &mut Value, substitutions: &[(&str, String)]) {
            match value {
                Value::String(text) => {
                    for (from, to) in substitutions {
                        if text.contains(from) {
                            *text = text.replace(from, to);
                        }
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(|v| walk(v, substitutions)),
                Value::Object(map) => map.values_mut().for_each(|v| walk(v, substitutions)),
                _ => {}
            }
        }
        walk(&mut value, &self.substitutions);
        value
    }

    /// The example `name` (the contract is present), with the ids renamed.
    fn example(&self, name: &str) -> Value {
        self.apply(documented(name))
    }
}

#[tokio::test]
async fn contract_flow_requests_are_accepted_with_their_documented_status() {
    let Some(create_1) = example("v1.0.authenticationEventsFlow.create.request.json") else {
        return;
    };
    let t = TestEmulator::start().await;
    let prepared = Prepared::new(&t).await;
    let request = |name: &str| prepared.example(name);

    // Create examples 1 and 2 share a display name, which is unique in a tenant (§1.2), and
    // example 2 links the app the includeApplications example links (one flow per app,
    // §15.7): example 2 goes first and is deleted.
    let with_app = create_id(
        &t,
        request("v1.0.authenticationEventsFlow.create.ex2.request.json"),
    )
    .await;
    assert_eq!(
        app_ids(&get_flow(&t, "v1.0", &with_app).await),
        strings(&[WEB_APP])
    );
    t.delete(&flow_path("v1.0", &with_app))
        .await
        .assert_status(204);
    let plain = create_id(&t, create_1).await;
    let social = create_id(
        &t,
        request("v1.0.authenticationEventsFlow.create.ex3.request.json"),
    )
    .await;

    // Update example 2 adds `city` to the page: the docs link it first (REFERENCE.md §4).
    let add_city = request("v1.0.flowAttributes.add.request.json");
    t.post(&format!("{}/$ref", attrs_path("v1.0", &social)), add_city)
        .await
        .assert_status(204);
    for name in [
        "v1.0.authenticationEventsFlow.update.ex2.request.json",
        "v1.0.authenticationEventsFlow.update.ex3.request.json",
        "v1.0.authenticationEventsFlow.update.request.json",
    ] {
        patch_flow(&t, "v1.0", &social, request(name))
            .await
            .assert_status(204);
    }
    let flow = get_flow(&t, "v1.0", &social).await;
    assert_eq!(flow["displayName"], "New user flow description");
    assert_eq!(page_inputs(&flow).len(), 3, "example 3 dropped city again");
    patch_flow(
        &t,
        "beta",
        &social,
        request("beta.authenticationEventsFlow.update.request.json"),
    )
    .await
    .assert_status(204);
    assert_eq!(get_flow(&t, "v1.0", &social).await["priority"], 200);

    let link = request("v1.0.includeApplications.add.request.json");
    t.post(&apps_path("v1.0", &plain), link)
        .await
        .assert_status(201);
    t.post(
        &format!("{}/$ref", idps_path("v1.0", &plain)),
        request("v1.0.flowIdentityProviders.add.request.json"),
    )
    .await
    .assert_status(204);
    t.put(
        &format!("{}/$ref", extension_path("beta", &plain, "Submit")),
        request("beta.flowCustomExtension.put.request.json"),
    )
    .await
    .assert_status(204);
}

#[tokio::test]
async fn contract_create_responses_have_the_documented_shape() {
    let Some(documented) = example("v1.0.authenticationEventsFlow.create.response.json") else {
        return;
    };
    let t = TestEmulator::start().await;
    let prepared = Prepared::new(&t).await;
    let request = |name: &str| prepared.example(name);

    let created = create_flow(
        &t,
        "v1.0",
        request("v1.0.authenticationEventsFlow.create.request.json"),
    )
    .await;
    // §15.8: the create response has `priority: 500`, `description: null` and the unset
    // handlers as `null`; this docs example leaves them out, the ex3 one shows them.
    assert_same_shape(
        &created,
        &documented,
        &[
            "description",
            "priority",
            "onAttributeCollectionStart",
            "onAttributeCollectionSubmit",
            "onUserCreateStart",
        ],
    );
    let created = create_flow(
        &t,
        "v1.0",
        request("v1.0.authenticationEventsFlow.create.ex3.request.json"),
    )
    .await;
    let documented = prepared.example("v1.0.authenticationEventsFlow.create.ex3.response.json");
    assert_same_shape(&created, &documented, &[]);
}

/// Creates, on `t`, the flows of the docs' get and list examples.
async fn documented_flows(t: &TestEmulator, prepared: &Prepared) -> (String, String) {
    let request = |name: &str| prepared.example(name);
    let mut first = request("v1.0.authenticationEventsFlow.create.request.json");
    first["displayName"] = json!("TestUserFlow1");
    first["onAttributeCollection"]["attributes"][1] = json!({ "id": "country" });
    inputs_mut(&mut first)[1]["attribute"] = json!("country");
    first["onUserCreateStart"] = user_create_start();
    let first = create_id(t, first).await;
    let mut second = request("v1.0.authenticationEventsFlow.create.ex3.request.json");
    second["displayName"] = json!("Woodgrove Drive User Flow");
    second["description"] = json!("For onboarding consumers to the Woodgrove Drive application");
    second["priority"] = json!(50);
    second["onUserCreateStart"] = user_create_start();
    let second = create_id(t, second).await;
    (first, second)
}

fn user_create_start() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp",
        "userTypeToCreate": "member"
    })
}

#[tokio::test]
async fn contract_get_and_list_responses_have_the_documented_shape() {
    let Some(get_doc) = example("v1.0.authenticationEventsFlow.get.response.json") else {
        return;
    };
    let list_doc = documented("v1.0.authenticationEventsFlow.list.response.json");
    let t = TestEmulator::start().await;
    let prepared = Prepared::new(&t).await;
    let (first, second) = documented_flows(&t, &prepared).await;

    assert_same_shape(&get_flow(&t, "v1.0", &second).await, &get_doc["value"], &[]);
    let listed = t.get(&flows_path("v1.0")).await;
    listed.assert_status(200);
    assert_eq!(ids(&listed.json["value"]), vec![first, second.clone()]);
    // §15.23: `accessPackages` is a property outside the CSDL that responses may carry; the
    // docs' get example shows it on both handlers, the list example on neither.
    assert_same_shape(&listed.json, &list_doc, &["accessPackages"]);

    let mut config = EmulatorConfig::default();
    config.conventions.flows.wrap_get_in_value = true;
    let wrapped = TestEmulator::start_with(config).await;
    let prepared = Prepared::new(&wrapped).await;
    let (_, second) = documented_flows(&wrapped, &prepared).await;
    assert_same_shape(&get_flow(&wrapped, "v1.0", &second).await, &get_doc, &[]);
}

#[tokio::test]
async fn contract_link_list_responses_have_the_documented_shape() {
    let Some(apps_doc) = example("v1.0.includeApplications.list.response.json") else {
        return;
    };
    let idps_doc = documented("v1.0.flowIdentityProviders.list.response.json");
    let attrs_doc = documented("v1.0.flowAttributes.list.response.json");
    let t = TestEmulator::start().await;
    let prepared = Prepared::new(&t).await;
    let request = |name: &str| prepared.example(name);
    let mut body = request("v1.0.authenticationEventsFlow.create.ex3.request.json");
    body["onAuthenticationMethodLoadStart"]["identityProviders"]
        .as_array_mut()
        .unwrap()
        .truncate(1);
    let id = create_id(&t, body).await;
    t.post(
        &apps_path("v1.0", &id),
        request("v1.0.includeApplications.add.request.json"),
    )
    .await
    .assert_status(201);
    t.post(
        &format!("{}/$ref", idps_path("v1.0", &id)),
        request("v1.0.flowIdentityProviders.add.request.json"),
    )
    .await
    .assert_status(204);

    let apps = t.get(&apps_path("v1.0", &id)).await;
    apps.assert_status(200);
    assert_same_shape(&apps.json, &apps_doc, &[]);
    let idps = t.get(&idps_path("v1.0", &id)).await;
    idps.assert_status(200);
    assert_eq!(
        idps.json["@odata.context"],
        json!(t.url("/v1.0/$metadata#Collection(microsoft.graph.identityProviderBase)"))
    );
    // §1.5/§15.9: built-in providers read as `id, displayName, identityProviderType,
    // state: null` (the get example); this page's example leaves `state` out.
    assert_same_shape(&idps.json, &idps_doc, &["state"]);
    let attrs = t.get(&attrs_path("v1.0", &id)).await;
    attrs.assert_status(200);
    assert_eq!(
        attrs.json["@odata.context"],
        json!(t.url("/v1.0/$metadata#Collection(microsoft.graph.identityUserFlowAttribute)"))
    );
    assert_same_shape(&attrs.json, &attrs_doc, &[]);
}
