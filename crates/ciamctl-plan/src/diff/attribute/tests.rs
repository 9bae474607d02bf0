//! The custom attribute diff: creates, updates, immutable types, prune and the safety rules.

use std::fmt::Write as _;

use serde_json::json;

use crate::document::{Action, FieldOp, Kind};
use crate::testing::{LiveBuilder, config, plan, unresolved};

const LOYALTY_ID: &str = "extension_6ea3bc85aec24b1c92ff4a117afb6621_LoyaltyNumber";

fn live_with(attributes: &[serde_json::Value]) -> ciamctl_live::LiveTenant {
    let mut all = vec![
        json!({ "id": "city", "displayName": "City", "userFlowAttributeType": "builtIn", "dataType": "string" }),
        json!({ "id": "email", "displayName": "Email Address", "userFlowAttributeType": "builtIn", "dataType": "string" }),
    ];
    all.extend_from_slice(attributes);
    LiveBuilder {
        attributes: all,
        ..LiveBuilder::default()
    }
    .build()
}

fn loyalty(description: &str) -> serde_json::Value {
    // An empty description is how Graph spells none.
    json!({ "id": LOYALTY_ID, "displayName": "LoyaltyNumber", "description": description,
            "userFlowAttributeType": "custom", "dataType": "Int64" })
}

#[test]
fn a_new_attribute_is_created_with_its_name_type_and_description() {
    let config = config(
        "attributes:\n  - name: LoyaltyNumber\n    dataType: int64\n    description: Your card number\n",
    );
    let plan = plan(&config, &live_with(&[]));
    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(
        (change.action, change.kind, change.name.as_str()),
        (Action::Create, Kind::Attribute, "LoyaltyNumber")
    );
    let request = &change.requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/identity/userFlowAttributes")
    );
    assert_eq!(
        request.body,
        Some(
            json!({ "displayName": "LoyaltyNumber", "dataType": "int64", "description": "Your card number" })
        )
    );
    assert!(
        plan.unmanaged.is_empty(),
        "built-in attributes are never unmanaged"
    );
}

#[test]
fn graph_casing_and_an_empty_description_are_not_changes() {
    let config = config("attributes:\n  - name: LoyaltyNumber\n    dataType: int64\n");
    let plan = plan(&config, &live_with(&[loyalty("")]));
    assert!(plan.summary.in_sync, "{:#?}", plan.changes);
}

#[test]
fn a_description_change_is_one_patch_of_the_description() {
    let config = config(
        "attributes:\n  - name: LoyaltyNumber\n    dataType: int64\n    description: New text\n",
    );
    let plan = plan(&config, &live_with(&[loyalty("Old text")]));
    let change = &plan.changes[0];
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.live_id.as_deref(), Some(LOYALTY_ID));
    assert!(change.fingerprint.is_some());
    assert_eq!(change.fields[0].op, FieldOp::Change);
    assert_eq!(change.fields[0].before, Some(json!("Old text")));
    assert_eq!(change.requests[0].method, "PATCH");
    assert_eq!(
        change.requests[0].path,
        format!("/identity/userFlowAttributes/{LOYALTY_ID}")
    );
    assert_eq!(
        change.requests[0].body,
        Some(json!({ "description": "New text" }))
    );
}

#[test]
fn a_different_data_type_is_an_error_at_the_data_type_line() {
    let config = config("attributes:\n  - name: LoyaltyNumber\n    dataType: string\n");
    let diagnostics = unresolved(&config, &live_with(&[loyalty("")]));
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "immutable-field");
    assert!(
        diagnostics[0].message.contains("`int64` in the tenant"),
        "{}",
        diagnostics[0].message
    );
    let span = diagnostics[0].span.unwrap();
    let text = std::fs::read_to_string(config.root.join("tenant.yaml")).unwrap();
    assert_eq!(&text[span.start..span.end], "string");
}

#[test]
fn a_live_attribute_missing_from_the_files_is_unmanaged_unless_attributes_are_pruned() {
    let live = live_with(&[loyalty("")]);
    let kept = plan(&config("attributes: []\n"), &live);
    assert!(kept.changes.is_empty());
    assert_eq!(kept.unmanaged.len(), 1);
    assert_eq!(kept.unmanaged[0].name, "LoyaltyNumber");

    let pruned = plan(
        &config("attributes: []\nsettings:\n  prune: [attributes]\n"),
        &live,
    );
    assert!(pruned.unmanaged.is_empty());
    let change = &pruned.changes[0];
    assert_eq!(
        (change.action, change.requests[0].method.as_str()),
        (Action::Delete, "DELETE")
    );
    assert!(
        change.unsafe_reasons.is_empty(),
        "one delete of one attribute is safe"
    );
}

#[test]
fn deleting_an_attribute_a_flow_outside_the_configuration_collects_is_unsafe() {
    let mut live = live_with(&[loyalty("")]);
    live.user_flows = ciamctl_live::Known::Known(
        ciamctl_live::parse_collection(&[json!({
            "id": "f-1", "displayName": "Hand-made flow",
            "onAuthenticationMethodLoadStart": { "identityProviders": [ { "id": "EmailPassword-OAUTH" } ] },
            "onAttributeCollection": { "attributes": [ { "id": LOYALTY_ID } ],
                "attributeCollectionPage": { "views": [ { "inputs": [
                    { "attribute": LOYALTY_ID, "label": "Loyalty", "inputType": "text" } ] } ] } }
        })])
        .unwrap(),
    );
    let plan = plan(
        &config("attributes: []\nsettings:\n  prune: [attributes]\n"),
        &live,
    );
    let delete = plan
        .changes
        .iter()
        .find(|c| c.kind == Kind::Attribute)
        .unwrap();
    assert_eq!(delete.unsafe_reasons.len(), 1);
    assert!(
        delete.unsafe_reasons[0].contains("\"Hand-made flow\""),
        "{:?}",
        delete.unsafe_reasons
    );
    assert_eq!(plan.summary.unsafe_changes, 1);
}

#[test]
fn deleting_more_than_the_allowed_share_of_ten_or_more_attributes_is_unsafe() {
    let attributes: Vec<_> = (0..10)
        .map(|i| {
            json!({ "id": format!("extension_00_A{i}"), "displayName": format!("A{i}"),
                         "userFlowAttributeType": "custom", "dataType": "string" })
        })
        .collect();
    let keep: String = (3..10).fold(String::new(), |mut yaml, i| {
        let _ = writeln!(yaml, "  - name: A{i}\n    dataType: string");
        yaml
    });
    let live = live_with(&attributes);
    let three = plan(
        &config(&format!(
            "attributes:\n{keep}settings:\n  prune: [attributes]\n"
        )),
        &live,
    );
    assert_eq!(three.summary.delete, 3);
    assert_eq!(
        three.summary.unsafe_changes, 0,
        "30 % is the default limit, not over it"
    );

    let keep: String = (4..10).fold(String::new(), |mut yaml, i| {
        let _ = writeln!(yaml, "  - name: A{i}\n    dataType: string");
        yaml
    });
    let four = plan(
        &config(&format!(
            "attributes:\n{keep}settings:\n  prune: [attributes]\n"
        )),
        &live,
    );
    assert_eq!(four.summary.unsafe_changes, 4);
    assert!(four.changes[0].unsafe_reasons[0].contains("4 of the tenant's 10 attributes (40%)"));
}

/// The plan of keeping attributes `A{keep}..A{count}` of `count` live ones, with prune.
fn prune_all_but(count: usize, keep: usize) -> crate::Plan {
    let attributes: Vec<_> = (0..count)
        .map(|i| {
            json!({ "id": format!("extension_00_A{i}"), "displayName": format!("A{i}"),
                         "userFlowAttributeType": "custom", "dataType": "string" })
        })
        .collect();
    let kept: String = (keep..count).fold(String::new(), |mut yaml, i| {
        let _ = writeln!(yaml, "  - name: A{i}\n    dataType: string");
        yaml
    });
    let attributes_yaml = if kept.is_empty() {
        String::new()
    } else {
        format!("attributes:\n{kept}")
    };
    plan(
        &config(&format!(
            "{attributes_yaml}settings:\n  prune: [attributes]\n"
        )),
        &live_with(&attributes),
    )
}

#[test]
fn a_share_just_over_the_limit_reads_as_over_it_not_as_the_limit_itself() {
    let plan = prune_all_but(13, 4);
    assert_eq!(plan.summary.unsafe_changes, 4, "4 of 13 is 30.8 %");
    let reason = &plan.changes[0].unsafe_reasons[0];
    assert!(
        reason
            .contains("4 of the tenant's 13 attributes (30.8%), more than maxDeletePercent (30%)"),
        "{reason}"
    );
}

#[test]
fn every_delete_of_a_kind_with_fewer_than_ten_live_objects_is_allowed_by_the_share_rule() {
    let plan = prune_all_but(9, 9);
    assert_eq!(plan.summary.delete, 9);
    assert_eq!(plan.summary.unsafe_changes, 0);
}
