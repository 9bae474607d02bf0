//! The node tree: spans, scalar styles, anchors, and the structural problems found while
//! building it.

use std::fmt::Write as _;

use super::{Node, NodeIds, NodeKind, Style, parse};
use crate::diagnostic::{FileId, Sources};

fn tree(text: &str) -> (Option<Node>, Vec<String>) {
    let mut sources = Sources::default();
    let file: FileId = sources.add("t.yaml", text.to_owned());
    let parsed = parse(file, text, &mut NodeIds::default());
    let problems = parsed
        .diagnostics
        .iter()
        .map(|d| {
            let p = sources.position(file, d.span.unwrap().start);
            format!("{}:{} {}", p.line, p.column, d.code)
        })
        .collect();
    (parsed.root, problems)
}

fn scalar<'a>(node: &'a Node, key: &'a str) -> (&'a str, Style, &'a str) {
    let entry = node.get(key).unwrap();
    let NodeKind::Scalar(scalar) = &entry.value.kind else {
        panic!("{key} is not a scalar")
    };
    (&scalar.value, scalar.style, key)
}

#[test]
fn scalars_keep_their_text_style_and_span() {
    let text = "a: NO\nb: 'yes'\nc: |\n  line\nd: !!str 12\ne:\n";
    let (root, problems) = tree(text);
    assert!(problems.is_empty());
    let root = root.unwrap();
    assert_eq!(scalar(&root, "a").0, "NO");
    assert_eq!(scalar(&root, "a").1, Style::Plain);
    assert_eq!(scalar(&root, "b").1, Style::Quoted);
    assert_eq!(scalar(&root, "c"), ("line\n", Style::Block, "c"));
    assert_eq!(scalar(&root, "d").1, Style::Quoted);
    assert!(root.get("e").unwrap().value.is_null());
    let b = &root.get("b").unwrap().value;
    assert_eq!(&text[b.span.start..b.span.end], "'yes'");
}

#[test]
fn block_collections_end_at_their_last_child() {
    let text = "list:\n  - a\n  - b\n\n# trailing comment\nnext: 1\n";
    let root = tree(text).0.unwrap();
    let list = &root.get("list").unwrap().value;
    assert_eq!(&text[list.span.start..list.span.end], "- a\n  - b");
}

#[test]
fn aliases_copy_the_anchored_node() {
    let (root, problems) = tree("a: &x { k: v }\nb: *x\n");
    assert!(problems.is_empty());
    let root = root.unwrap();
    let (a, b) = (&root.get("a").unwrap().value, &root.get("b").unwrap().value);
    assert_eq!(a.get("k").unwrap().value.as_str(), Some("v"));
    assert_eq!(b.get("k").unwrap().value.as_str(), Some("v"));
    assert_ne!(a.get("k").unwrap().value.id, b.get("k").unwrap().value.id);
}

#[test]
fn structural_problems_are_reported_where_they_are() {
    assert_eq!(tree("a: 1\nb: 2\na: 3\n").1, ["3:1 duplicate-key"]);
    assert_eq!(tree("? [a]\n: 1\n").1, ["1:3 invalid-key"]);
    assert_eq!(tree("a: 1\n---\nb: 2\n").1, ["2:1 multiple-documents"]);
    let (root, problems) = tree("a: [1\n");
    assert!(root.is_none());
    assert_eq!(problems, ["1:4 yaml-syntax"]);
}

#[test]
fn an_empty_file_has_no_root_and_no_problems() {
    assert!(matches!(tree(""), (None, problems) if problems.is_empty()));
    assert!(matches!(tree("# only a comment\n"), (None, problems) if problems.is_empty()));
}

#[test]
fn a_billion_laughs_is_refused_at_the_alias_that_crosses_the_budget() {
    // Nine levels of nine aliases: 9^9 (387 million) strings from 300 bytes.
    let mut text = "a: &a [x, x, x, x, x, x, x, x, x]\n".to_owned();
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .into_iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        writeln!(text, "{name}: &{name} [{aliases}]").unwrap();
    }
    let (root, problems) = tree(&text);
    assert!(root.is_none());
    // `f` would be 9^6 = 531441 strings; `e` was 59049.
    assert_eq!(problems, ["6:8 alias-limit"]);
}

#[test]
fn aliases_within_the_budget_are_all_expanded() {
    // 500 aliases of a 101-node list: 50500 nodes, under the budget of 100000.
    let items = vec!["x"; 100].join(", ");
    let aliases = vec!["*a"; 500].join(", ");
    let (root, problems) = tree(&format!("a: &a [{items}]\nb: [{aliases}]\n"));
    assert!(problems.is_empty(), "{problems:?}");
    let root = root.unwrap();
    let NodeKind::Sequence(copies) = &root.get("b").unwrap().value.kind else {
        panic!("b is not a list")
    };
    assert_eq!(copies.len(), 500);
}

#[test]
fn aliases_that_nest_deeper_than_the_limit_are_refused() {
    // Each anchor nests the one before 200 levels deeper: 200, 400, then 600 > 512.
    let nest = |inner: &str| format!("{}{inner}{}", "[".repeat(199), "]".repeat(199));
    let text = format!(
        "a: &a {}\nb: &b {}\nc: &c {}\n",
        nest("[x]"),
        nest("*a"),
        nest("*b")
    );
    let (root, problems) = tree(&text);
    assert!(root.is_none());
    assert_eq!(problems, ["3:206 alias-limit"]);
}

#[test]
fn a_key_written_twice_among_thousands_is_found() {
    let mut text = String::new();
    for i in 0..5000 {
        writeln!(text, "k{i}: v").unwrap();
    }
    text.push_str("k2500: again\n");
    assert_eq!(tree(&text).1, ["5001:1 duplicate-key"]);
}

#[test]
fn the_alias_budget_is_shared_by_every_file_of_a_load() {
    // 60000 nodes in each of two files: within the budget alone, over it together.
    let items = vec!["x"; 599].join(", ");
    let aliases = vec!["*a"; 100].join(", ");
    let text = format!("a: &a [{items}]\nb: [{aliases}]\n");
    let mut sources = Sources::default();
    let mut ids = NodeIds::default();
    let first = sources.add("first.yaml", text.clone());
    assert!(parse(first, &text, &mut ids).diagnostics.is_empty());
    let second = sources.add("second.yaml", text.clone());
    let parsed = parse(second, &text, &mut ids);
    assert!(parsed.root.is_none());
    assert_eq!(parsed.diagnostics[0].code, "alias-limit");
}
