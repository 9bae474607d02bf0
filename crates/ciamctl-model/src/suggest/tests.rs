//! Suggestions and lists in messages.

use super::{all, closest, list};

#[test]
fn a_close_name_is_suggested_and_a_distant_one_is_not() {
    let candidates = ["signUp", "userType", "identityProviders"];
    assert_eq!(closest("singUp", &candidates), Some("signUp"));
    assert_eq!(closest("colour", &candidates), None);
}

#[test]
fn short_lists_name_every_item() {
    assert_eq!(list(&["a"]), "`a`");
    assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    assert_eq!(all(&["a", "b"]), "`a` and `b`");
}

#[test]
fn long_lists_name_twenty_items_and_count_the_others() {
    let items: Vec<String> = (1..=500).map(|i| format!("A{i}")).collect();
    let shown: Vec<String> = (1..=20).map(|i| format!("`A{i}`")).collect();
    assert_eq!(list(&items), format!("{}, … or 480 more", shown.join(", ")));
    assert_eq!(all(&items), format!("{}, … and 480 more", shown.join(", ")));
}
