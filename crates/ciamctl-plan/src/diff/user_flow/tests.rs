//! The user-flow diff: create, settings, providers, attributes and page, applications,
//! extension handlers, prune and unmanaged flows, and the order of their requests.

use ciamctl_live::LiveTenant;
use serde_json::{Value, json};

use crate::document::{Action, ApiVersion, Change, FieldOp, Kind, Plan, PlannedRequest};
use crate::testing::{LiveBuilder, config, plan, provider, unresolved};

const FLOW_ID: &str = "0313cc37-d421-421d-857b-b5fdb8a0f3d5";
const OTHER_FLOW_ID: &str = "9a1c6f2e-5b8d-4e3a-a1f0-2c7d9e8b4a61";
const LOYALTY_ID: &str = "extension_6ea3bc85aec24b1c92ff4a117afb6621_LoyaltyNumber";
const WEB_APP: &str = "63856651-13d9-4784-9abf-20758d509e19";
const MOBILE_APP: &str = "b7e2a4c9-3f1d-4a8e-9c6b-5d0e2f7a1b34";
const EXTENSION_ID: &str = "44444444-2222-3333-3333-444444444444";
const FLOW_PATH: &str = "/identity/authenticationEventsFlows/0313cc37-d421-421d-857b-b5fdb8a0f3d5";
const PROVIDERS: &str = "/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders";
const ATTRIBUTES: &str = "/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes";

fn attribute(id: &str, name: &str, kind: &str) -> Value {
    json!({ "id": id, "displayName": name, "userFlowAttributeType": kind, "dataType": "string" })
}

fn live_attributes() -> Vec<Value> {
    vec![
        attribute("email", "Email Address", "builtIn"),
        attribute("displayName", "Display Name", "builtIn"),
        attribute("city", "City", "builtIn"),
        attribute("country", "Country/Region", "builtIn"),
        attribute(LOYALTY_ID, "LoyaltyNumber", "custom"),
    ]
}

/// A flow in the get shape (§15.9) offering email with password, linking no application and
/// collecting nothing.
fn flow(id: &str, name: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "id": id,
        "displayName": name,
        "description": null,
        "conditions": { "applications": { "includeAllApplications": false, "includeApplications": [] } },
        "onInteractiveAuthFlowStart": {
            "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
            "isSignUpAllowed": true
        },
        "onAuthenticationMethodLoadStart": {
            "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": [provider("EmailPassword-OAUTH")]
        },
        "onAttributeCollection": null,
        "onUserCreateStart": null,
        "onAttributeCollectionStart": null,
        "onAttributeCollectionSubmit": null
    })
}

/// A live input as Graph stores it (§15.8).
fn input(attribute: &str, label: &str) -> Value {
    json!({ "attribute": attribute, "label": label, "inputType": "text", "defaultValue": null,
            "hidden": false, "editable": true, "writeToDirectory": true, "required": false,
            "validationRegEx": "^.*", "options": [] })
}

/// Gives `flow` an attribute page with `inputs`, collecting their attributes.
fn with_page(mut flow: Value, inputs: &[Value]) -> Value {
    let attributes: Vec<Value> = inputs
        .iter()
        .map(|i| {
            let id = i["attribute"].as_str().unwrap();
            live_attributes()
                .into_iter()
                .find(|a| a["id"] == id)
                .unwrap()
        })
        .collect();
    flow["onAttributeCollection"] = json!({
        "@odata.type": "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp",
        "accessPackages": [],
        "attributes": attributes,
        "attributeCollectionPage": { "customStringsFileId": null,
            "views": [{ "title": null, "description": null, "inputs": inputs }] }
    });
    flow
}

fn with_apps(mut flow: Value, apps: &[&str]) -> Value {
    flow["conditions"]["applications"]["includeApplications"] =
        apps.iter().map(|a| json!({ "appId": a })).collect();
    flow
}

fn live(flows: Vec<Value>) -> LiveTenant {
    LiveBuilder {
        user_flows: flows,
        attributes: live_attributes(),
        identity_providers: vec![
            json!({ "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailPassword-OAUTH",
                    "displayName": "Email with password", "identityProviderType": "EmailPassword" }),
            json!({ "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailOtpSignup-OAUTH",
                    "displayName": "Email one-time passcode", "identityProviderType": "EmailOTP" }),
            provider("Google-OAUTH"),
        ],
        applications: vec![
            json!({ "id": "o1", "appId": WEB_APP, "displayName": "Woodgrove Web" }),
            json!({ "id": "o2", "appId": MOBILE_APP, "displayName": "Woodgrove Mobile" }),
        ],
        custom_extensions: vec![json!({
            "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtension",
            "id": EXTENSION_ID,
            "displayName": "Loyalty check",
            "endpointConfiguration": { "@odata.type": "#microsoft.graph.httpRequestEndpoint",
                                       "targetUrl": "https://woodgrove.example/check" }
        })],
        ..LiveBuilder::default()
    }
    .build()
}

/// The configuration's Google provider (its secret is never read by these plans).
const GOOGLE: &str = "identityProviders:\n  - name: Google\n    type: google\n    clientId: google-client\n    clientSecret: ${env:GOOGLE_SECRET}\n";

fn flow_changes(plan: &Plan) -> Vec<&Change> {
    plan.changes
        .iter()
        .filter(|c| c.kind == Kind::UserFlow)
        .collect()
}

fn only_flow_change(plan: &Plan) -> &Change {
    let changes = flow_changes(plan);
    assert_eq!(changes.len(), 1, "{:#?}", plan.changes);
    changes[0]
}

fn request<'p>(change: &'p Change, method: &str, path: &str) -> &'p PlannedRequest {
    change
        .requests
        .iter()
        .find(|r| r.method == method && r.path == path)
        .unwrap_or_else(|| panic!("no {method} {path} in {:#?}", change.requests))
}

fn field_paths(change: &Change) -> Vec<(&str, FieldOp)> {
    change
        .fields
        .iter()
        .map(|f| (f.path.as_str(), f.op))
        .collect()
}

#[test]
fn a_new_flow_is_one_post_with_its_providers_attributes_applications_and_page() {
    let yaml = format!(
        r"{GOOGLE}attributes:
  - name: LoyaltyNumber
    dataType: string
userFlows:
  - name: Woodgrove customers
    description: Sign up for Woodgrove
    identityProviders: [EmailPassword, Google]
    applications: [Woodgrove Web]
    page:
      title: Tell us about you
      inputs:
        - attribute: email
          hidden: true
          editable: false
        - attribute: city
          required: true
        - attribute: LoyaltyNumber
          label: Card number
          inputType: radioSingleSelect
          options:
            - label: Gold
              value: gold
            - label: Silver
              value: silver
"
    );
    let plan = plan(&config(&yaml), &live(vec![]));
    let change = only_flow_change(&plan);
    assert_eq!(
        (
            change.action,
            change.name.as_str(),
            change.live_id.as_deref()
        ),
        (Action::Create, "Woodgrove customers", None)
    );
    assert_eq!(
        field_paths(change),
        [
            ("description", FieldOp::Add),
            ("signUp", FieldOp::Add),
            ("userType", FieldOp::Add),
            ("identityProviders", FieldOp::Add),
            ("applications", FieldOp::Add),
            ("page.title", FieldOp::Add),
            ("page.inputs", FieldOp::Add),
            // Each new input shows what the YAML sets on it, not only its name.
            ("page.inputs[email].hidden", FieldOp::Add),
            ("page.inputs[email].editable", FieldOp::Add),
            ("page.inputs[city].required", FieldOp::Add),
            ("page.inputs[LoyaltyNumber].label", FieldOp::Add),
            ("page.inputs[LoyaltyNumber].inputType", FieldOp::Add),
            ("page.inputs[LoyaltyNumber].options", FieldOp::Add),
        ]
    );
    assert_eq!(
        change.fields[4].after,
        Some(json!([
            "Woodgrove Web (63856651-13d9-4784-9abf-20758d509e19)"
        ]))
    );
    insta::assert_json_snapshot!(change.requests);
}

#[test]
fn a_flow_with_graphs_normalised_values_and_defaults_is_in_sync() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword-OAUTH]
    applications: [63856651-13D9-4784-9ABF-20758D509E19]
    signUp: true
    userType: member
    page:
      inputs:
        - attribute: email
          inputType: text
          label: Email Address
          options: []
        - attribute: city
";
    let mut email = input("email", "Email Address");
    // Requests may send `"Text"`; Graph answers in camel case, and either reads as `text`.
    email["inputType"] = json!("Text");
    email["validationRegEx"] = json!("");
    let mut live_flow = with_apps(
        with_page(flow(FLOW_ID, "Customers"), &[email, input("city", "City")]),
        &[WEB_APP],
    );
    // No priority (v1.0 may leave it out), no user-type handler, no includeAllApplications.
    live_flow.as_object_mut().unwrap().remove("priority");
    live_flow["conditions"]["applications"]
        .as_object_mut()
        .unwrap()
        .remove("includeAllApplications");
    live_flow["description"] = json!("");
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    assert!(plan.summary.in_sync, "{:#?}", plan.changes);
}

#[test]
fn a_description_and_sign_up_change_is_one_patch_of_only_what_changed() {
    let yaml = r"userFlows:
  - name: Customers
    description: For customers
    signUp: false
    identityProviders: [EmailPassword]
";
    let plan = plan(&config(yaml), &live(vec![flow(FLOW_ID, "Customers")]));
    let change = only_flow_change(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.live_id.as_deref(), Some(FLOW_ID));
    assert!(change.fingerprint.is_some());
    assert_eq!(
        field_paths(change),
        [("description", FieldOp::Add), ("signUp", FieldOp::Change)]
    );
    assert_eq!(change.requests.len(), 1);
    let patch = request(change, "PATCH", FLOW_PATH);
    assert_eq!(patch.api, ApiVersion::V1);
    assert_eq!(
        patch.body,
        Some(json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "description": "For customers",
            "onInteractiveAuthFlowStart": {
                "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
                "isSignUpAllowed": false
            }
        }))
    );
}

#[test]
fn a_priority_change_is_patched_through_beta() {
    let yaml = "userFlows:\n  - name: Customers\n    priority: 200\n    identityProviders: [EmailPassword]\n";
    let mut live_flow = flow(FLOW_ID, "Customers");
    live_flow["priority"] = json!(500);
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    assert_eq!(change.fields[0].before, Some(json!(500)));
    let patch = request(change, "PATCH", FLOW_PATH);
    assert_eq!(patch.api, ApiVersion::Beta);
    assert_eq!(patch.body.as_ref().unwrap()["priority"], json!(200));
}

#[test]
fn a_name_that_differs_only_in_case_is_renamed_not_recreated() {
    let yaml = "userFlows:\n  - name: Customers\n    identityProviders: [EmailPassword]\n";
    let plan = plan(&config(yaml), &live(vec![flow(FLOW_ID, "customers")]));
    let change = only_flow_change(&plan);
    assert_eq!(change.action, Action::Update);
    assert_eq!(
        change.fields[0].path, "name",
        "in the configuration's terms"
    );
    assert_eq!(
        request(change, "PATCH", FLOW_PATH).body.as_ref().unwrap()["displayName"],
        json!("Customers")
    );
    assert!(!plan.unmanaged.iter().any(|u| u.kind == Kind::UserFlow));
}

#[test]
fn a_provider_swap_links_the_new_provider_before_unlinking_the_old_one() {
    let yaml =
        format!("{GOOGLE}userFlows:\n  - name: Customers\n    identityProviders: [Google]\n");
    let plan = plan(&config(&yaml), &live(vec![flow(FLOW_ID, "Customers")]));
    let change = only_flow_change(&plan);
    assert_eq!(
        change
            .fields
            .iter()
            .map(|f| (f.op, f.before.clone(), f.after.clone()))
            .collect::<Vec<_>>(),
        [
            (FieldOp::Add, None, Some(json!("Google"))),
            (FieldOp::Remove, Some(json!("EmailPassword")), None),
        ]
    );
    let add = request(change, "POST", &format!("{FLOW_PATH}{PROVIDERS}/$ref"));
    assert_eq!(
        add.body,
        Some(
            json!({ "@odata.id": "https://graph.microsoft.com/v1.0/identity/identityProviders/Google-OAUTH" })
        )
    );
    let remove = request(
        change,
        "DELETE",
        &format!("{FLOW_PATH}{PROVIDERS}/EmailPassword-OAUTH/$ref"),
    );
    assert!(remove.step > add.step);
    assert_eq!(remove.depends_on, [add.step]);
    assert!(!change.is_unsafe());
}

#[test]
fn an_attribute_is_added_then_the_page_patched_then_the_dropped_attribute_removed() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: email
        - attribute: country
";
    let live_flow = with_page(
        flow(FLOW_ID, "Customers"),
        &[input("email", "Email Address"), input("city", "City")],
    );
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    assert_eq!(
        field_paths(change),
        [
            ("page.inputs", FieldOp::Add),
            ("page.inputs", FieldOp::Remove)
        ]
    );
    assert_eq!(change.fields[0].after, Some(json!("country")));
    assert_eq!(change.fields[1].before, Some(json!("city")));
    let methods: Vec<&str> = change.requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["POST", "PATCH", "DELETE"]);
    let add = request(change, "POST", &format!("{FLOW_PATH}{ATTRIBUTES}/$ref"));
    assert_eq!(
        add.body,
        Some(
            json!({ "@odata.id": "https://graph.microsoft.com/v1.0/identity/userFlowAttributes/country" })
        )
    );
    let patch = request(change, "PATCH", FLOW_PATH);
    let remove = request(
        change,
        "DELETE",
        &format!("{FLOW_PATH}{ATTRIBUTES}/city/$ref"),
    );
    assert_eq!(patch.depends_on, [add.step]);
    assert_eq!(remove.depends_on, [patch.step]);
    let inputs = &patch.body.as_ref().unwrap()["onAttributeCollection"]["attributeCollectionPage"]
        ["views"][0]["inputs"];
    assert_eq!(
        inputs
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (
                i["attribute"].clone(),
                i["label"].clone(),
                i["inputType"].clone()
            ))
            .collect::<Vec<_>>(),
        [
            (json!("email"), json!("Email Address"), json!("text")),
            // A new input without a label gets the built-in's label.
            (json!("country"), json!("Country/Region"), json!("text")),
        ]
    );
}

#[test]
fn a_reordered_page_is_a_move_not_a_remove_and_an_add() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: city
        - attribute: email
        - attribute: displayName
";
    let live_flow = with_page(
        flow(FLOW_ID, "Customers"),
        &[
            input("email", "Email Address"),
            input("displayName", "Display Name"),
            input("city", "City"),
        ],
    );
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    assert_eq!(field_paths(change), [("page.inputs[city]", FieldOp::Move)]);
    assert_eq!(
        (
            change.fields[0].before.clone(),
            change.fields[0].after.clone()
        ),
        (Some(json!(2)), Some(json!(0)))
    );
    // No attribute is linked or unlinked: one PATCH of the page in the new order.
    assert_eq!(change.requests.len(), 1);
    let patch = request(change, "PATCH", FLOW_PATH);
    let order: Vec<Value> =
        patch.body.as_ref().unwrap()["onAttributeCollection"]["attributeCollectionPage"]["views"]
            [0]["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["attribute"].clone())
            .collect();
    assert_eq!(order, [json!("city"), json!("email"), json!("displayName")]);
}

#[test]
fn a_page_field_change_keeps_the_live_values_of_fields_the_yaml_leaves_out() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: email
        - attribute: LoyaltyNumber
          label: Card number
attributes:
  - name: LoyaltyNumber
    dataType: string
";
    let mut email = input("email", "Email Address");
    email["hidden"] = json!(true);
    email["editable"] = json!(false);
    let mut loyalty = input(LOYALTY_ID, "LoyaltyNumber");
    loyalty["required"] = json!(true);
    loyalty["validationRegEx"] = json!("^[0-9]+$");
    let live_flow = with_page(flow(FLOW_ID, "Customers"), &[email.clone(), loyalty]);
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    assert_eq!(
        field_paths(change),
        [("page.inputs[LoyaltyNumber].label", FieldOp::Change)]
    );
    let patch = request(change, "PATCH", FLOW_PATH);
    assert_eq!(
        patch.body.as_ref().unwrap()["onAttributeCollection"]["attributeCollectionPage"]["views"]
            [0]["inputs"],
        json!([
            { "attribute": "email", "label": "Email Address", "inputType": "text",
              "validationRegEx": "^.*", "required": false, "hidden": true, "editable": false,
              "writeToDirectory": true, "options": [] },
            { "attribute": LOYALTY_ID, "label": "Card number", "inputType": "text",
              "validationRegEx": "^[0-9]+$", "required": true, "hidden": false, "editable": true,
              "writeToDirectory": true, "options": [] },
        ])
    );
}

#[test]
fn an_application_moving_between_flows_is_unlinked_from_the_old_flow_before_it_is_linked() {
    // "Alpha" comes first by name, yet it must wait for "Beta" to let go of the application.
    let yaml = r"userFlows:
  - name: Alpha
    identityProviders: [EmailPassword]
    applications: [Woodgrove Web]
  - name: Beta
    identityProviders: [EmailPassword]
";
    let plan = plan(
        &config(yaml),
        &live(vec![
            flow(FLOW_ID, "Alpha"),
            with_apps(flow(OTHER_FLOW_ID, "Beta"), &[WEB_APP]),
        ]),
    );
    let changes = flow_changes(&plan);
    let alpha = changes.iter().find(|c| c.name == "Alpha").unwrap();
    let beta = changes.iter().find(|c| c.name == "Beta").unwrap();
    let unlink = request(
        beta,
        "DELETE",
        &format!(
            "/identity/authenticationEventsFlows/{OTHER_FLOW_ID}/conditions/applications/includeApplications/{WEB_APP}"
        ),
    );
    let link = request(
        alpha,
        "POST",
        &format!("{FLOW_PATH}/conditions/applications/includeApplications"),
    );
    assert_eq!(
        link.body,
        Some(
            json!({ "@odata.type": "#microsoft.graph.authenticationConditionApplication", "appId": WEB_APP })
        )
    );
    assert!(unlink.step < link.step);
    assert_eq!(link.depends_on, [unlink.step]);
    assert_eq!(alpha.depends_on, [beta.id]);
    assert_eq!(
        (alpha.fields[0].op, alpha.fields[0].after.clone()),
        (
            FieldOp::Add,
            Some(json!(format!("Woodgrove Web ({WEB_APP})")))
        )
    );
}

#[test]
fn an_unknown_application_is_an_error_at_its_yaml_line() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    applications: [Woodgrove Intranet]
";
    let diagnostics = unresolved(&config(yaml), &live(vec![]));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "unknown-application");
    let span = diagnostics[0].span.unwrap();
    assert_eq!(&yaml[span.start..span.end], "Woodgrove Intranet");
}

#[test]
fn an_application_of_a_flow_the_files_do_not_manage_is_an_error() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    applications: [Woodgrove Web]
";
    let diagnostics = unresolved(
        &config(yaml),
        &live(vec![with_apps(flow(OTHER_FLOW_ID, "Partners"), &[WEB_APP])]),
    );
    assert_eq!(diagnostics[0].code, "application-in-unmanaged-flow");
    assert!(
        diagnostics[0].message.contains("Partners"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn pruning_a_flow_that_still_links_applications_is_an_unsafe_delete() {
    let yaml = "settings:\n  prune: [userFlows]\n";
    let plan = plan(
        &config(yaml),
        &live(vec![with_page(
            with_apps(flow(FLOW_ID, "Customers"), &[WEB_APP]),
            &[input(LOYALTY_ID, "Card")],
        )]),
    );
    let change = only_flow_change(&plan);
    assert_eq!(change.action, Action::Delete);
    assert_eq!(change.requests[0].method, "DELETE");
    assert_eq!(change.requests[0].path, FLOW_PATH);
    assert_eq!(
        change.unsafe_reasons,
        [format!(
            "the flow is still linked to 1 application(s): Woodgrove Web ({WEB_APP}); their \
             users lose this sign-in experience"
        )]
    );
    assert!(change.fields.is_empty());
}

#[test]
fn a_pruned_flow_is_deleted_before_the_attribute_it_collects() {
    let yaml = "settings:\n  prune: [userFlows, attributes]\n";
    let plan = plan(
        &config(yaml),
        &live(vec![with_page(
            flow(FLOW_ID, "Customers"),
            &[input(LOYALTY_ID, "Card")],
        )]),
    );
    let flow_delete = only_flow_change(&plan);
    let attribute_delete = plan
        .changes
        .iter()
        .find(|c| c.kind == Kind::Attribute)
        .unwrap();
    assert_eq!(attribute_delete.action, Action::Delete);
    assert_eq!(
        attribute_delete.requests[0].depends_on,
        [flow_delete.requests[0].step]
    );
    assert!(!flow_delete.is_unsafe());
}

#[test]
fn a_flow_the_files_do_not_name_is_listed_as_unmanaged() {
    let yaml = "userFlows:\n  - name: Customers\n    identityProviders: [EmailPassword]\n";
    let plan = plan(
        &config(yaml),
        &live(vec![
            flow(FLOW_ID, "Customers"),
            flow(OTHER_FLOW_ID, "Partners"),
        ]),
    );
    assert!(plan.changes.is_empty(), "{:#?}", plan.changes);
    let flows: Vec<_> = plan
        .unmanaged
        .iter()
        .filter(|u| u.kind == Kind::UserFlow)
        .map(|u| (u.name.as_str(), u.id.as_str()))
        .collect();
    assert_eq!(flows, [("Partners", OTHER_FLOW_ID)]);
}

#[test]
fn a_new_attribute_is_created_before_the_new_flow_that_collects_it() {
    let yaml = r"attributes:
  - name: Hobby
    dataType: string
userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: Hobby
";
    let plan = plan(&config(yaml), &live(vec![]));
    let create_attribute = plan
        .changes
        .iter()
        .find(|c| c.kind == Kind::Attribute)
        .unwrap();
    let attribute_step = create_attribute.requests[0].step;
    let create_flow = only_flow_change(&plan);
    let post = &create_flow.requests[0];
    let handler = &post.body.as_ref().unwrap()["onAttributeCollection"];
    let id = format!("{{{{{attribute_step}.id}}}}");
    assert_eq!(handler["attributes"], json!([{ "id": id }]));
    let new_input = &handler["attributeCollectionPage"]["views"][0]["inputs"][0];
    assert_eq!(
        (
            &new_input["attribute"],
            &new_input["label"],
            &new_input["inputType"]
        ),
        (&json!(id), &json!("Hobby"), &json!("text"))
    );
    assert_eq!(post.depends_on, [attribute_step]);
    assert_eq!(create_flow.depends_on, [create_attribute.id]);
}

#[test]
fn a_new_boolean_attribute_gets_a_checkbox_on_an_existing_flow_after_its_ref_add() {
    let yaml = r"attributes:
  - name: Newsletter
    dataType: boolean
userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: email
        - attribute: Newsletter
";
    let live_flow = with_page(
        flow(FLOW_ID, "Customers"),
        &[input("email", "Email Address")],
    );
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let attribute_step = plan.changes[0].requests[0].step;
    let change = only_flow_change(&plan);
    let add = request(change, "POST", &format!("{FLOW_PATH}{ATTRIBUTES}/$ref"));
    assert_eq!(
        add.body,
        Some(
            json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/identity/userFlowAttributes/{{{{{attribute_step}.id}}}}") })
        )
    );
    assert_eq!(add.depends_on, [attribute_step]);
    let patch = request(change, "PATCH", FLOW_PATH);
    assert!(patch.depends_on.contains(&add.step));
    let new_input = &patch.body.as_ref().unwrap()["onAttributeCollection"]["attributeCollectionPage"]
        ["views"][0]["inputs"][1];
    assert_eq!(new_input["inputType"], json!("boolean"));
}

#[test]
fn attaching_an_extension_patches_its_settings_then_puts_its_ref_through_beta() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    onAttributeCollectionStart:
      extension: Loyalty check
      timeoutInMilliseconds: 2000
";
    let plan = plan(&config(yaml), &live(vec![flow(FLOW_ID, "Customers")]));
    let change = only_flow_change(&plan);
    assert_eq!(
        field_paths(change),
        [
            ("onAttributeCollectionStart.extension", FieldOp::Add),
            (
                "onAttributeCollectionStart.timeoutInMilliseconds",
                FieldOp::Add
            ),
        ]
    );
    let patch = request(change, "PATCH", FLOW_PATH);
    assert_eq!(
        patch.body,
        Some(json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "onAttributeCollectionStart": {
                "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
                "configuration": { "clientConfiguration": { "timeoutInMilliseconds": 2000 } }
            }
        }))
    );
    let put = request(
        change,
        "PUT",
        &format!(
            "{FLOW_PATH}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref"
        ),
    );
    assert_eq!(put.api, ApiVersion::Beta);
    assert_eq!(
        put.body,
        Some(
            json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/identity/customAuthenticationExtensions/{EXTENSION_ID}") })
        )
    );
    assert_eq!(put.depends_on, [patch.step]);
}

#[test]
fn an_extension_the_tenant_read_did_not_name_is_attached_again_with_a_note() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    onAttributeCollectionStart:
      extension: 44444444-2222-3333-3333-444444444444
";
    let mut live_flow = flow(FLOW_ID, "Customers");
    // A flow read without `$expand` leaves out the handler's extension (§9.3).
    live_flow["onAttributeCollectionStart"] = json!({
        "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
        "configuration": { "clientConfiguration": { "timeoutInMilliseconds": 1500 } }
    });
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    assert_eq!(change.requests.len(), 1, "the timeout is kept, not patched");
    assert_eq!(change.requests[0].method, "PUT");
    assert_eq!(change.notes.len(), 1);
    assert!(
        change.notes[0].contains("attaches `Loyalty check` again"),
        "{}",
        change.notes[0]
    );
}

#[test]
fn a_handler_the_yaml_drops_is_patched_to_null() {
    let yaml = "userFlows:\n  - name: Customers\n    identityProviders: [EmailPassword]\n";
    let mut live_flow = flow(FLOW_ID, "Customers");
    live_flow["onAttributeCollectionStart"] = json!({
        "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
        "configuration": null,
        "customExtension": { "id": EXTENSION_ID }
    });
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    assert_eq!(
        (
            change.fields[0].path.as_str(),
            change.fields[0].before.clone()
        ),
        ("onAttributeCollectionStart", Some(json!("Loyalty check")))
    );
    assert_eq!(
        request(change, "PATCH", FLOW_PATH).body,
        Some(json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "onAttributeCollectionStart": null
        }))
    );
}

#[test]
fn a_new_flow_with_a_priority_is_created_through_beta() {
    let yaml =
        "userFlows:\n  - name: Customers\n    priority: 100\n    identityProviders: [EmailOtp]\n";
    let plan = plan(&config(yaml), &live(vec![]));
    let post = &only_flow_change(&plan).requests[0];
    assert_eq!(post.api, ApiVersion::Beta);
    let body = post.body.as_ref().unwrap();
    assert_eq!(body["priority"], json!(100));
    assert_eq!(
        body["onAuthenticationMethodLoadStart"]["identityProviders"],
        json!([{ "id": "EmailOtpSignup-OAUTH" }])
    );
}

#[test]
fn an_extension_of_another_event_is_an_error_at_its_yaml_line() {
    let yaml = r"userFlows:
  - name: Customers
    identityProviders: [EmailPassword]
    onAttributeCollectionSubmit:
      extension: Loyalty check
";
    let diagnostics = unresolved(&config(yaml), &live(vec![]));
    // The only extension of that name is a start extension, not a submit one.
    assert_eq!(diagnostics[0].code, "wrong-extension-type");
    let span = diagnostics[0].span.unwrap();
    assert_eq!(&yaml[span.start..span.end], "Loyalty check");
}

#[test]
fn a_flow_left_without_identity_providers_is_unsafe() {
    // The files cannot say this (a flow needs a provider, `flow-without-identity-provider`),
    // but a configuration built by other means can: the plan must not quietly unlink the last.
    let mut config = config("userFlows:\n  - name: Customers\n    identityProviders: [EmailOtp]\n");
    let desired = &config.user_flows[0];
    let mut without = desired.get().clone();
    without.identity_providers.clear();
    config.user_flows[0] = ciamctl_model::Located::new(without, desired.span());
    let plan = plan(&config, &live(vec![flow(FLOW_ID, "Customers")]));
    let change = only_flow_change(&plan);
    assert_eq!(
        change.requests[0].path,
        format!("{FLOW_PATH}{PROVIDERS}/EmailPassword-OAUTH/$ref")
    );
    assert_eq!(change.unsafe_reasons.len(), 1);
    assert!(
        change.unsafe_reasons[0].contains("last identity provider (EmailPassword)"),
        "{}",
        change.unsafe_reasons[0]
    );
}

#[test]
fn a_pruned_provider_is_deleted_after_the_flow_unlinks_it() {
    let yaml = "settings:\n  prune: [identityProviders]\n\
                userFlows:\n  - name: Customers\n    identityProviders: [EmailPassword]\n";
    let mut live_flow = flow(FLOW_ID, "Customers");
    live_flow["onAuthenticationMethodLoadStart"]["identityProviders"] =
        json!([provider("EmailPassword-OAUTH"), provider("Google-OAUTH")]);
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let unlink = request(
        only_flow_change(&plan),
        "DELETE",
        &format!("{FLOW_PATH}{PROVIDERS}/Google-OAUTH/$ref"),
    );
    let provider_delete = plan
        .changes
        .iter()
        .find(|c| c.kind == Kind::IdentityProvider)
        .unwrap();
    assert_eq!(provider_delete.action, Action::Delete);
    assert_eq!(provider_delete.requests[0].depends_on, [unlink.step]);
}

#[test]
fn a_flow_whose_page_is_dropped_gets_an_empty_page_then_lets_go_of_its_attributes() {
    let yaml = "userFlows:\n  - name: Customers\n    identityProviders: [EmailPassword]\n";
    let live_flow = with_page(
        flow(FLOW_ID, "Customers"),
        &[input("email", "Email Address"), input("city", "City")],
    );
    let plan = plan(&config(yaml), &live(vec![live_flow]));
    let change = only_flow_change(&plan);
    let patch = request(change, "PATCH", FLOW_PATH);
    assert_eq!(
        patch.body.as_ref().unwrap()["onAttributeCollection"]["attributeCollectionPage"],
        json!({ "views": [{ "title": null, "description": null, "inputs": [] }] })
    );
    for attribute in ["email", "city"] {
        let remove = request(
            change,
            "DELETE",
            &format!("{FLOW_PATH}{ATTRIBUTES}/{attribute}/$ref"),
        );
        assert_eq!(remove.depends_on, [patch.step]);
    }
}

#[test]
fn a_page_title_on_a_flow_graph_gave_no_page_is_an_error_at_the_page() {
    let yaml = "userFlows:\n  - name: Customers\n    identityProviders: [EmailPassword]\n    page:\n      title: Welcome\n";
    let diagnostics = unresolved(&config(yaml), &live(vec![flow(FLOW_ID, "Customers")]));
    assert_eq!(diagnostics[0].code, "page-without-inputs");
}
