//! The crate docs' route table is generated from `route_table()`; this test regenerates it and
//! fails when `src/lib.rs` is stale, or rewrites it when `CIAMCTL_UPDATE_DOCS=1` (ruff's
//! pattern). It also checks what every row must say.

#![cfg(test)]

use std::fmt::Write as _;
use std::path::PathBuf;

use ciamctl_emulator::route_table;

const BEGIN: &str = "//! <!-- route table: generated from route_table() by tests/it/route_table.rs; run the tests with CIAMCTL_UPDATE_DOCS=1 to rewrite it -->\n";
const END: &str = "//! <!-- end of route table -->\n";

/// The table as doc-comment lines.
fn rendered_table() -> String {
    let mut table = String::from(
        "//! | method | path | permission | behaviour | contract |\n//! |---|---|---|---|---|\n",
    );
    for route in route_table() {
        let permissions: Vec<String> = route.permissions.iter().map(|p| format!("`{p}`")).collect();
        writeln!(
            table,
            "//! | `{}` | `/{}` | {} | {} | {} |",
            route.method,
            route.path,
            permissions.join(", "),
            route.behaviour.replace('|', "\\|").replace('\n', " "),
            route.section,
        )
        .unwrap();
    }
    table
}

#[test]
fn crate_docs_route_table_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let source = std::fs::read_to_string(&path).unwrap();
    let start = source
        .find(BEGIN)
        .expect("lib.rs has the route table's start marker")
        + BEGIN.len();
    let end = start
        + source[start..]
            .find(END)
            .expect("lib.rs has the route table's end marker");
    let expected = rendered_table();
    if source[start..end] == expected {
        return;
    }
    if std::env::var_os("CIAMCTL_UPDATE_DOCS").is_some_and(|v| v == "1") {
        let updated = format!("{}{expected}{}", &source[..start], &source[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "the route table in src/lib.rs is stale; run `CIAMCTL_UPDATE_DOCS=1 cargo test -p ciamctl-emulator --test it route_table` to rewrite it"
    );
}

#[test]
fn every_route_names_permissions_a_contract_section_and_its_behaviour() {
    for route in route_table() {
        let name = format!("{} {}", route.method, route.path);
        assert!(!route.permissions.is_empty(), "{name}: no permission");
        assert!(
            route.section.starts_with('§'),
            "{name}: section {:?}",
            route.section
        );
        assert!(
            route.behaviour.len() > 10,
            "{name}: behaviour {:?}",
            route.behaviour
        );
        assert!(
            !route.path.starts_with('/'),
            "{name}: paths are relative to the version root"
        );
    }
}

#[test]
fn no_two_routes_serve_the_same_method_and_path() {
    let mut seen = std::collections::BTreeSet::new();
    for route in route_table() {
        let key = (route.method, route.path.to_ascii_lowercase());
        assert!(seen.insert(key.clone()), "{key:?} is in the table twice");
    }
}
