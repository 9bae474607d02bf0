//! Ordering: deterministic tie-breaks, resources across changes, id markers, cycles.

use serde_json::json;

use super::*;
use crate::builder::{Builder, Request, Resource};

#[test]
fn a_cycle_between_requests_is_an_error_naming_them() {
    let mut builder = Builder::default();
    let change = builder.change(Action::Create, Kind::UserFlow, "A");
    let first = builder.step(change, Request::delete("/a"), []);
    let second = builder.step(change, Request::delete("/b"), [first]);
    builder.needs(first, Resource::Branding);
    builder.provides(second, Resource::Branding);
    let (changes, steps) = builder.finish();
    let error = order(&changes, &steps).unwrap_err();
    let PlanError::Cycle(message) = error else {
        panic!("expected a cycle, got {error:?}");
    };
    assert_eq!(message, "DELETE /a; DELETE /b");
}

#[test]
fn creates_go_before_deletes_and_kinds_in_dependency_order_whatever_the_insertion_order() {
    let mut builder = Builder::default();
    for (action, kind, name) in [
        (Action::Delete, Kind::Attribute, "old attribute"),
        (Action::Create, Kind::UserFlow, "flow"),
        (Action::Delete, Kind::UserFlow, "old flow"),
        (Action::Create, Kind::Attribute, "b"),
        (Action::Create, Kind::Attribute, "a"),
    ] {
        let change = builder.change(action, kind, name);
        builder.step(change, Request::delete(format!("/{name}")), []);
    }
    let (changes, steps) = builder.finish();
    let names: Vec<String> = order(&changes, &steps)
        .unwrap()
        .into_iter()
        .map(|c| format!("{} {}", c.id, c.name))
        .collect();
    assert_eq!(
        names,
        ["1 a", "2 b", "3 flow", "4 old flow", "5 old attribute"]
    );
}

#[test]
fn a_resource_release_orders_steps_across_changes_against_the_canonical_order() {
    // The flow deletion (canonically last) must let go of the attribute before the attribute
    // deletion, and the app link of the created flow waits for the app's release.
    let mut builder = Builder::default();
    let attribute = builder.change(Action::Delete, Kind::Attribute, "Loyalty");
    let delete_attribute = builder.step(attribute, Request::delete("/attr"), []);
    builder.takes(delete_attribute, Resource::Attribute("Loyalty".into()));
    let flow = builder.change(Action::Delete, Kind::UserFlow, "Old");
    let delete_flow = builder.step(flow, Request::delete("/flow"), []);
    builder.releases(delete_flow, Resource::Attribute("Loyalty".into()));
    let (changes, steps) = builder.finish();
    let plan = order(&changes, &steps).unwrap();
    assert_eq!(plan[0].name, "Old");
    assert_eq!(plan[1].name, "Loyalty");
    assert_eq!(plan[1].depends_on, [1]);
    assert_eq!(plan[1].requests[0].depends_on, [1]);
}

#[test]
fn an_id_marker_becomes_the_creating_steps_number_and_a_dependency() {
    let mut builder = Builder::default();
    let flow = builder.change(Action::Create, Kind::UserFlow, "F");
    let create = builder.step(flow, Request::post("/flows", json!({})), []);
    let id = Builder::id_of(create);
    builder.step(
        flow,
        Request::patch(
            format!("/flows/{id}"),
            json!({ "ref": format!("x/{id}/y") }),
        ),
        [],
    );
    let (changes, steps) = builder.finish();
    let plan = order(&changes, &steps).unwrap();
    let requests = &plan[0].requests;
    assert_eq!(requests[1].path, "/flows/{{1.id}}");
    assert_eq!(requests[1].body, Some(json!({ "ref": "x/{{1.id}}/y" })));
    assert_eq!(requests[1].depends_on, [1]);
}
