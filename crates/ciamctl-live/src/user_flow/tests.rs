//! Reading user flows: the get/list shape, the create-response shape and the quirks.

use serde_json::{Value, json};

use crate::read::FromGraph;
use crate::{Known, ParseError, UserFlow};

fn flow(value: &Value) -> UserFlow {
    UserFlow::from_graph(value).unwrap()
}

/// A list item as §1.5 describes it, with the quirks of §15 mixed in.
fn listed() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "id": "f1",
        "displayName": "Customers",
        "description": "",
        "priority": 50,
        "onAttributeCollectionStart": {
            "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
            "configuration": {
                "behaviorOnError": { "@odata.type": "microsoft.graph.FallbackToMicrosoftProviderOnError" },
                "clientConfiguration": { "timeoutInMilliseconds": 2000, "maximumRetries": 1 }
            },
            "customExtension": { "id": "ext-1", "displayName": "start" }
        },
        "onAttributeCollectionSubmit": null,
        "conditions": { "applications": {
            "includeAllApplications": false,
            "includeApplications@odata.context": "ignored",
            "includeApplications": [ { "appId": "b-app" }, { "appId": "a-app" } ]
        } },
        "onInteractiveAuthFlowStart": { "isSignUpAllowed": false },
        "onAuthenticationMethodLoadStart": { "identityProviders": [
            { "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailPassword-OAUTH",
              "displayName": "Email with password", "identityProviderType": "emailpassword", "state": null },
            { "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Google-OAUTH",
              "displayName": "Google", "identityProviderType": "Google", "clientId": "c", "clientSecret": "******" }
        ] },
        "onAttributeCollection": {
            "accessPackages": [],
            "attributeCollectionPage": { "customStringsFileId": null, "views": [ {
                "title": null, "description": "Tell us more",
                "inputs": [
                    { "attribute": "email", "label": "Email Address", "inputType": "Text", "hidden": true,
                      "editable": false, "writeToDirectory": true, "required": true, "validationRegEx": "^.*",
                      "defaultValue": null, "options": [] },
                    { "attribute": "extension_6ea3bc85aec24b1c92ff4a117afb6621_Color", "label": "Colour",
                      "inputType": "checkboxSingleSelect", "options": [ { "label": "Red", "value": "red" } ] }
                ]
            } ] },
            "attributes": [ { "id": "email", "displayName": "Email Address" }, { "id": "extension_6ea3bc85aec24b1c92ff4a117afb6621_Color" } ]
        },
        "onUserCreateStart": { "userTypeToCreate": "Member", "accessPackages": [] },
        "somethingNew": { "nested": true }
    })
}

#[test]
fn a_listed_flow_reads_every_handler_into_flat_fields() {
    let flow = flow(&listed());
    assert_eq!(flow.id, "f1");
    assert_eq!(flow.description, None, "an empty description is unset");
    assert_eq!(flow.priority, Some(50));
    assert_eq!(flow.sign_up_allowed, Some(false));
    assert_eq!(flow.user_type.as_deref(), Some("member"));
    let providers = flow.identity_providers.as_ref().unwrap();
    assert_eq!(providers[0].id, "EmailPassword-OAUTH");
    assert_eq!(providers[0].provider_type.as_deref(), Some("EmailPassword"));
    assert_eq!(providers[1].display_name.as_deref(), Some("Google"));
    assert_eq!(
        flow.attributes.as_deref().unwrap(),
        ["email", "extension_6ea3bc85aec24b1c92ff4a117afb6621_Color"]
    );
    assert!(flow.has_attribute_collection);
    assert_eq!(flow.applications.as_deref().unwrap(), ["a-app", "b-app"]);
    assert_eq!(flow.include_all_applications, Some(false));
    let start = flow.on_attribute_collection_start.as_ref().unwrap();
    assert_eq!(start.extension_id, Known::Known(Some("ext-1".to_owned())));
    assert_eq!(start.timeout_in_milliseconds, Some(2000));
    assert_eq!(start.maximum_retries, Some(1));
    assert_eq!(
        start.behavior_on_error.as_deref(),
        Some("fallbackToMicrosoftProviderOnError")
    );
    assert_eq!(flow.on_attribute_collection_submit, None);
}

#[test]
fn page_inputs_keep_their_order_and_normalise_enum_casing() {
    let flow = flow(&listed());
    let view = flow.page.as_ref().unwrap().single_view().unwrap();
    assert_eq!(view.title, None);
    assert_eq!(view.description.as_deref(), Some("Tell us more"));
    let email = &view.inputs[0];
    assert_eq!(email.attribute, "email");
    assert_eq!(email.input_type.as_deref(), Some("text"));
    assert_eq!(email.hidden, Some(true));
    assert_eq!(email.default_value, None);
    let color = &view.inputs[1];
    assert_eq!(
        color.input_type.as_deref(),
        Some("checkboxSingleSelect"),
        "kept as given"
    );
    assert_eq!(color.options[0].label, "Red");
    assert_eq!(color.required, None);
}

#[test]
fn the_create_response_shape_leaves_what_it_did_not_inline_unread() {
    let flow = flow(&json!({
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "id": "f2", "displayName": "New",
        "conditions": { "applications": { "includeAllApplications": false } },
        "onInteractiveAuthFlowStart": { "isSignUpAllowed": true },
        "onAuthenticationMethodLoadStart": { "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp" },
        "onAttributeCollection": { "accessPackages": [], "attributeCollectionPage": { "views": [] } },
        "onUserCreateStart": null
    }));
    assert_eq!(flow.identity_providers, None);
    assert_eq!(flow.applications, None);
    assert_eq!(flow.attributes, None);
    assert!(flow.has_attribute_collection);
    assert_eq!(flow.user_type, None);
    assert_eq!(flow.priority, None);
}

#[test]
fn a_flow_without_attribute_collection_has_no_page() {
    let flow = flow(&json!({ "id": "f3", "displayName": "Plain", "onAttributeCollection": null }));
    assert!(!flow.has_attribute_collection);
    assert_eq!(flow.page, None);
    assert_eq!(flow.attributes, None);
}

#[test]
fn an_extension_handler_read_without_expand_leaves_its_extension_unknown_not_none() {
    let flow = flow(&json!({
        "id": "f4", "displayName": "Ext",
        "onAttributeCollectionSubmit": { "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler",
            "configuration": null }
    }));
    let submit = flow.on_attribute_collection_submit.unwrap();
    assert!(!submit.extension_id.is_known(), "{:?}", submit.extension_id);
    assert_eq!(submit.timeout_in_milliseconds, None);
}

#[test]
fn an_expanded_handler_without_an_extension_reads_as_none_attached() {
    let flow = flow(&json!({
        "id": "f5", "displayName": "Ext",
        "onAttributeCollectionStart": { "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
            "configuration": null, "customExtension": null }
    }));
    let start = flow.on_attribute_collection_start.unwrap();
    assert_eq!(start.extension_id, Known::Known(None));
}

#[test]
fn a_flow_wrapped_in_value_is_read_as_the_entity() {
    let flow = flow(&json!({ "value": listed() }));
    assert_eq!(flow.id, "f1");
}

#[test]
fn a_page_with_several_views_keeps_them_all() {
    let flow = flow(
        &json!({ "id": "f5", "displayName": "Views", "onAttributeCollection": {
        "attributeCollectionPage": { "views": [ { "inputs": [] }, { "title": "Two", "inputs": [] } ] }
    } }),
    );
    let page = flow.page.unwrap();
    assert_eq!(page.views.len(), 2);
    assert_eq!(page.single_view(), None);
}

fn error(value: &Value) -> ParseError {
    UserFlow::from_graph(value).unwrap_err()
}

#[test]
fn a_flow_without_id_is_an_error_naming_its_display_name() {
    assert_eq!(
        error(&json!({ "displayName": "Nameless" })).to_string(),
        "cannot read the user flow `Nameless`: `id` is missing"
    );
}

#[test]
fn a_linked_provider_without_id_is_an_error_naming_the_flow() {
    let value = json!({ "id": "f6", "displayName": "Bad",
        "onAuthenticationMethodLoadStart": { "identityProviders": [ { "displayName": "x" } ] } });
    assert_eq!(
        error(&value).to_string(),
        "cannot read the user flow `f6`: `onAuthenticationMethodLoadStart.identityProviders[0].id` is missing"
    );
}

#[test]
fn a_handler_of_the_wrong_json_type_is_an_error() {
    let value = json!({ "id": "f7", "displayName": "Bad", "onInteractiveAuthFlowStart": "yes" });
    assert_eq!(
        error(&value).to_string(),
        "cannot read the user flow `f7`: `onInteractiveAuthFlowStart` should be an object, not a string"
    );
}

#[test]
fn linked_applications_in_another_order_read_as_the_same_flow() {
    use crate::Fingerprint;
    let mut reordered = listed();
    reordered["conditions"]["applications"]["includeApplications"] =
        json!([ { "appId": "a-app" }, { "appId": "b-app" }, { "appId": "a-app" } ]);
    assert_eq!(flow(&listed()), flow(&reordered));
    assert_eq!(
        flow(&listed()).fingerprint(),
        flow(&reordered).fingerprint()
    );
}

#[test]
fn a_flows_fingerprint_does_not_depend_on_the_order_graph_lists_its_links_in() {
    use crate::Fingerprint as _;
    let flow = |providers: serde_json::Value, attributes: serde_json::Value| {
        UserFlow::from_graph(&serde_json::json!({
            "id": "f", "displayName": "F",
            "onAuthenticationMethodLoadStart": { "identityProviders": providers },
            "onAttributeCollection": { "attributes": attributes }
        }))
        .unwrap()
    };
    let one = flow(
        serde_json::json!([{ "id": "Google-OAUTH" }, { "id": "EmailPassword-OAUTH" }]),
        serde_json::json!([{ "id": "email" }, { "id": "city" }]),
    );
    let other = flow(
        serde_json::json!([{ "id": "EmailPassword-OAUTH" }, { "id": "Google-OAUTH" }]),
        serde_json::json!([{ "id": "city" }, { "id": "email" }]),
    );
    assert_eq!(one.fingerprint(), other.fingerprint());
}
