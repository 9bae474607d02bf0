//! Field comparison: moves, member sets, text normalisation.

use serde_json::json;

use super::*;

fn keys(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn one_item_moved_to_the_front_is_one_move_not_a_remove_and_an_add() {
    let mut fields = Fields::default();
    let moved = fields.moves(
        "page.inputs",
        &keys(&["email", "displayName", "city"]),
        &keys(&["city", "email", "displayName"]),
    );
    assert!(moved);
    assert_eq!(fields.0.len(), 1);
    assert_eq!(fields.0[0].path, "page.inputs[city]");
    assert_eq!(fields.0[0].op, FieldOp::Move);
    assert_eq!(
        (fields.0[0].before.clone(), fields.0[0].after.clone()),
        (Some(json!(2)), Some(json!(0)))
    );
}

#[test]
fn added_and_removed_items_are_not_moves() {
    let mut fields = Fields::default();
    assert!(!fields.moves(
        "page.inputs",
        &keys(&["email", "city"]),
        &keys(&["email", "country", "city"]),
    ));
    assert!(fields.0.is_empty());
}

#[test]
fn members_compare_as_sets_whatever_their_order() {
    let mut fields = Fields::default();
    assert!(!fields.members("applications", &keys(&["b", "a"]), &keys(&["a", "b", "a"])));
    assert!(fields.members("applications", &keys(&["a", "c"]), &keys(&["b", "a"])));
    let ops: Vec<_> = fields
        .0
        .iter()
        .map(|f| (f.op, f.before.clone(), f.after.clone()))
        .collect();
    assert_eq!(
        ops,
        [
            (FieldOp::Add, None, Some(json!("b"))),
            (FieldOp::Remove, Some(json!("c")), None)
        ]
    );
}

#[test]
fn empty_and_null_texts_are_absent_but_a_blank_is_kept() {
    assert_eq!(text(Some("")), None);
    assert_eq!(text(None), None);
    assert_eq!(text(Some(" ")), Some(" "));
}
