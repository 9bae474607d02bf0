//! The index of the quirk and convention tests: every quirk of REFERENCE.md §15 has a test
//! named `quirk_N_…` and every open question of §16 a test named `convention_16_N_…`, for the
//! convention the emulator picked, somewhere in `tests/it/*.rs`. A reader finds the test of a
//! quirk by its number; this test keeps the index from rotting.

#![cfg(test)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::contract_dir;

/// REFERENCE.md §15 numbers its quirks 1 to 25.
const QUIRKS: u32 = 25;
/// REFERENCE.md §16 numbers its open questions 1 to 20.
const OPEN_QUESTIONS: u32 = 20;

/// A test function found in the sources: its file and name.
#[derive(Debug)]
struct TestFn {
    file: String,
    name: String,
}

/// Every function of `tests/it/*.rs` that a `#[test]` or `#[tokio::test]` attribute marks.
fn test_functions() -> Vec<TestFn> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/it is readable") {
        let path = entry.expect("tests/it is readable").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut marked = false;
        for line in text.lines().map(str::trim) {
            if line == "#[test]" || line == "#[tokio::test]" {
                marked = true;
            } else if let Some(rest) = line
                .strip_prefix("async fn ")
                .or_else(|| line.strip_prefix("fn "))
            {
                if marked {
                    let name = rest.split(['(', '<']).next().unwrap_or_default();
                    found.push(TestFn {
                        file: file.clone(),
                        name: name.to_owned(),
                    });
                }
                marked = false;
            } else if !line.starts_with("#[") && !line.starts_with("//") {
                marked = false;
            }
        }
    }
    found
}

/// The number `N` of a name `{prefix}N_…`: digits without a leading zero, then `_`.
fn numbered(name: &str, prefix: &str) -> Option<Result<u32, String>> {
    let rest = name.strip_prefix(prefix)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let well_formed = !digits.is_empty()
        && !digits.starts_with('0')
        && rest[digits.len()..].starts_with('_')
        && rest.len() > digits.len() + 1;
    Some(match digits.parse() {
        Ok(n) if well_formed => Ok(n),
        _ => Err(format!(
            "{name}: name it {prefix}N_what_it_checks, N without leading zeros"
        )),
    })
}

/// The tests of each number `1..=count` named `{prefix}N_…`, and the names that are malformed
/// or out of range.
fn index(tests: &[TestFn], prefix: &str, count: u32) -> (BTreeMap<u32, Vec<String>>, Vec<String>) {
    let mut by_number: BTreeMap<u32, Vec<String>> = (1..=count).map(|n| (n, Vec::new())).collect();
    let mut problems = Vec::new();
    for test in tests {
        match numbered(&test.name, prefix) {
            None => {}
            Some(Ok(n)) if (1..=count).contains(&n) => {
                by_number
                    .entry(n)
                    .or_default()
                    .push(format!("{}::{}", test.file, test.name));
            }
            Some(Ok(n)) => problems.push(format!("{}: there is no number {n}", test.name)),
            Some(Err(problem)) => problems.push(problem),
        }
    }
    for (n, tests) in &by_number {
        if tests.is_empty() {
            problems.push(format!("no test is named {prefix}{n}_…"));
        }
    }
    (by_number, problems)
}

/// The highest item number of the numbered list under heading `## {section}.` of REFERENCE.md.
fn items_in_section(reference: &str, section: u32) -> u32 {
    let heading = format!("\n## {section}. ");
    let start = reference.find(&heading).expect("the section exists") + heading.len();
    let end = reference[start..]
        .find("\n## ")
        .map_or(reference.len(), |e| start + e);
    reference[start..end]
        .lines()
        .filter_map(|line| line.split_once(". ").and_then(|(n, _)| n.parse().ok()))
        .max()
        .expect("the section has numbered items")
}

#[test]
fn every_quirk_of_section_15_has_a_test_named_after_its_number() {
    let (index, problems) = index(&test_functions(), "quirk_", QUIRKS);
    assert!(
        problems.is_empty(),
        "quirk tests:\n  {}\nindex so far: {index:#?}",
        problems.join("\n  ")
    );
}

#[test]
fn every_open_question_of_section_16_has_a_test_of_the_convention_picked() {
    let (index, problems) = index(&test_functions(), "convention_16_", OPEN_QUESTIONS);
    assert!(
        problems.is_empty(),
        "convention tests:\n  {}\nindex so far: {index:#?}",
        problems.join("\n  ")
    );
}

#[test]
fn the_index_counts_as_many_quirks_and_open_questions_as_reference_md_lists() {
    let Some(dir) = contract_dir() else {
        eprintln!("skipped: ../shared/graph-contract is absent, so REFERENCE.md cannot be read");
        return;
    };
    let reference = std::fs::read_to_string(dir.join("REFERENCE.md")).unwrap();
    assert_eq!(items_in_section(&reference, 15), QUIRKS);
    assert_eq!(items_in_section(&reference, 16), OPEN_QUESTIONS);
}
