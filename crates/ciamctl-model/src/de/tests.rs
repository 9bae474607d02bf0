//! The deserializer on its own: typing by target, recovery, and spans handed to `Located`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::{Context, Interpolation, deserialize};
use crate::diagnostic::{Diagnostic, FileId, Sources};
use crate::located::Located;
use crate::yaml::{NodeIds, parse};

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Input {
    attribute: Located<String>,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    max_length: Option<u8>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Page {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    inputs: Vec<Input>,
}

/// Reads `text` as a `T` and returns what survived, with the diagnostics as `line:column code`.
fn read<T: serde::de::DeserializeOwned>(text: &str) -> (Option<T>, Vec<String>) {
    let mut sources = Sources::default();
    let file: FileId = sources.add("t.yaml", text.to_owned());
    let parsed = parse(file, text, &mut NodeIds::default());
    assert!(parsed.diagnostics.is_empty());
    let variables: BTreeMap<Located<String>, Located<String>> = BTreeMap::new();
    let interpolation = Interpolation {
        root: Path::new("/nonexistent"),
        variables: &variables,
        process_env: &|_| None,
    };
    let cx = Context::new(file, text, Path::new(""), Some(&interpolation));
    let value = deserialize::<T>(&parsed.root.unwrap(), &cx);
    let problems = cx
        .into_findings()
        .diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let p = sources.position(file, d.span.unwrap().start);
            format!("{}:{} {}", p.line, p.column, d.code)
        })
        .collect();
    (value, problems)
}

#[test]
fn a_bad_optional_field_is_dropped_and_its_object_kept() {
    let (page, problems) =
        read::<Page>("title: Hi\ninputs:\n  - attribute: email\n    required: yes\n");
    assert_eq!(problems, ["4:15 invalid-type"]);
    let page = page.unwrap();
    assert_eq!(page.inputs.len(), 1);
    assert_eq!(*page.inputs[0].attribute, "email");
    assert_eq!(page.inputs[0].required, None);
}

#[test]
fn an_element_missing_a_required_field_is_dropped_and_its_siblings_kept() {
    let (page, problems) = read::<Page>(
        "inputs:\n  - required: true\n  - attribute: [x]\n  - attribute: city\n    maxLength: 300\n  - attribute: email\n",
    );
    assert_eq!(
        problems,
        [
            "2:5 missing-field",
            "3:16 invalid-type",
            "5:16 invalid-value"
        ]
    );
    let attributes: Vec<String> = page
        .unwrap()
        .inputs
        .iter()
        .map(|i| i.attribute.get().clone())
        .collect();
    assert_eq!(attributes, ["city", "email"]);
}

#[test]
fn a_value_with_an_unresolved_reference_is_masked_after_every_reference_is_reported() {
    let (page, problems) = read::<Page>(
        "title: ${env:A} and ${env:B}\ninputs:\n  - attribute: ${env:C}\n  - attribute: city\n",
    );
    assert_eq!(
        problems,
        [
            "1:8 unresolved-variable",
            "1:21 unresolved-variable",
            "3:16 unresolved-variable"
        ]
    );
    let page = page.unwrap();
    assert_eq!(page.title, None);
    let attributes: Vec<&str> = page.inputs.iter().map(|i| i.attribute.as_str()).collect();
    assert_eq!(attributes, ["city"]);
}

#[test]
fn unknown_keys_are_skipped_and_reported_once() {
    let (page, problems) = read::<Page>("titel: Hi\ninputs: []\nextra: 1\n");
    assert_eq!(problems, ["1:1 unknown-key", "3:1 unknown-key"]);
    assert_eq!(
        page.unwrap(),
        Page {
            title: None,
            inputs: Vec::new()
        }
    );
}

#[test]
fn located_values_carry_the_span_of_their_node() {
    let text = "inputs:\n  - attribute: 'city'\n";
    let (page, _) = read::<Page>(text);
    let attribute = &page.unwrap().inputs[0].attribute;
    assert_eq!(&text[attribute.span.start..attribute.span.end], "'city'");
}

#[test]
fn a_document_of_the_wrong_shape_yields_nothing() {
    let (page, problems) = read::<Page>("- just\n- a list\n");
    assert_eq!(page, None);
    assert_eq!(problems, ["1:1 invalid-type"]);
}

thread_local! {
    /// How many times [`Counted`] has been read on this thread.
    static READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A `u8` that counts how often it is read.
#[derive(Debug)]
struct Counted;

impl<'de> Deserialize<'de> for Counted {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        READS.with(|reads| reads.set(reads.get() + 1));
        u8::deserialize(deserializer).map(|_| Counted)
    }
}

#[derive(Debug, Deserialize)]
struct Item {
    #[serde(default)]
    value: Option<Counted>,
}

#[test]
fn a_bad_value_is_read_again_alone_not_with_the_whole_document() {
    // 100 elements, every other one out of range.
    let mut text = String::new();
    for i in 0..100 {
        writeln!(text, "- value: {}", if i % 2 == 0 { 1 } else { 300 }).unwrap();
    }
    READS.with(|reads| reads.set(0));
    let (items, problems) = read::<Vec<Item>>(&text);
    let items = items.unwrap();
    assert_eq!(items.iter().filter(|item| item.value.is_some()).count(), 50);
    assert_eq!(items.len(), 100);
    assert_eq!(problems.len(), 50);
    // Each value is read once. Reading the document again after each of the 50 problems
    // would read every value before it again: over 2500 reads.
    assert_eq!(READS.with(std::cell::Cell::get), 100);
}
