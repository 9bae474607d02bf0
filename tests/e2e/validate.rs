//! `ciamctl validate` as a user runs it: the example validates, and every case of the
//! broken-config corpus in `tests/validate/` reports exactly the diagnostics it expects: the one
//! it is named after, or, for the cases that combine a structural and a semantic error in
//! different objects, both (one run reports every problem, and nothing one error caused).
//!
//! Each corpus case is a configuration directory plus an `expected.txt`:
//!
//! ```text
//! # Why the case exists (comment lines start with `#`).
//! args: --env dev
//! error unknown-key tenant.yaml:3:5
//! ```
//!
//! `args:` (optional) adds command-line arguments; every other line is one expected diagnostic
//! as `severity code path:line:column` (`-` instead of the position for a problem that belongs
//! to no file). The test checks the JSON output against that list
//! exactly (nothing missing, nothing extra), checks the exit status, and snapshots the human
//! and JSON output so wording changes are reviewed.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `ciamctl` in `dir`, with an empty environment so no variable or terminal setting of the
/// machine running the tests leaks in.
fn ciamctl(dir: &Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin!("ciamctl"));
    command.current_dir(dir).env_clear();
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Exit code, stdout and stderr in one string, the way a snapshot should show a run.
fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".to_owned(), |c| c.to_string()),
        text(&output.stdout),
        text(&output.stderr)
    )
}

#[test]
fn woodgrove_example_validates_with_the_dev_environment() {
    let output = ciamctl(&repo())
        .args([
            "validate",
            "-c",
            "config-examples/woodgrove",
            "--env",
            "dev",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(transcript(&output));
    assert!(output.status.success());
}

#[test]
fn woodgrove_example_validates_without_an_environment() {
    let output = ciamctl(&repo().join("config-examples/woodgrove"))
        .arg("validate")
        .output()
        .unwrap();
    insta::assert_snapshot!(transcript(&output));
    assert!(output.status.success());
}

#[test]
fn woodgrove_example_in_json_has_no_diagnostics() {
    let output = ciamctl(&repo())
        .args([
            "validate",
            "-c",
            "config-examples/woodgrove",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert!(output.stderr.is_empty(), "{}", transcript(&output));
}

/// One corpus case.
struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    /// `severity code path:line:column`, sorted.
    expected: Vec<String>,
}

fn corpus() -> Vec<Case> {
    let root = repo().join("tests/validate");
    let mut cases: Vec<Case> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| {
            let dir = entry.unwrap().path();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let spec = std::fs::read_to_string(dir.join("expected.txt"))
                .unwrap_or_else(|e| panic!("tests/validate/{name}/expected.txt: {e}"));
            let mut args = Vec::new();
            let mut expected = Vec::new();
            for line in spec.lines().map(str::trim) {
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(rest) = line.strip_prefix("args:") {
                    args.extend(rest.split_whitespace().map(str::to_owned));
                } else {
                    expected.push(line.to_owned());
                }
            }
            expected.sort();
            Case {
                name,
                dir,
                args,
                expected,
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

#[test]
fn corpus_has_at_least_25_cases_each_expecting_something() {
    let cases = corpus();
    assert!(cases.len() >= 25, "{} cases", cases.len());
    for case in &cases {
        assert!(!case.expected.is_empty(), "{} expects nothing", case.name);
    }
}

#[test]
fn every_corpus_case_reports_exactly_its_diagnostic() {
    for case in corpus() {
        let run = |format: &str| {
            ciamctl(&case.dir)
                .arg("validate")
                .args(&case.args)
                .args(["--format", format])
                .output()
                .unwrap()
        };

        let json_run = run("json");
        let json: serde_json::Value = serde_json::from_slice(&json_run.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", case.name, transcript(&json_run)));
        let mut found: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let at = match d["path"].as_str() {
                    Some(path) => format!("{path}:{}:{}", d["line"], d["column"]),
                    None => "-".to_owned(),
                };
                format!(
                    "{} {} {at}",
                    d["severity"].as_str().unwrap(),
                    d["code"].as_str().unwrap()
                )
            })
            .collect();
        found.sort();
        assert_eq!(found, case.expected, "tests/validate/{}", case.name);

        let has_error = case.expected.iter().any(|e| e.starts_with("error "));
        assert_eq!(
            json_run.status.code(),
            Some(i32::from(has_error)),
            "tests/validate/{}: exit status",
            case.name
        );

        let human_run = run("human");
        assert_eq!(human_run.status.code(), json_run.status.code());
        assert!(
            human_run.stdout.is_empty(),
            "{}: human output goes to stderr",
            case.name
        );
        insta::assert_snapshot!(format!("{}-human", case.name), text(&human_run.stderr));
        insta::assert_snapshot!(format!("{}-json", case.name), text(&json_run.stdout));
    }
}

#[test]
fn secret_references_are_not_read_by_validate() {
    // The secret file does not exist and the environment is empty: only a change that sends a
    // secret reads it, so `validate` runs in a pull-request job that has no secrets.
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("tenant.yaml"),
        "identityProviders:\n\
         \x20 - { name: Google, type: google, clientId: a, clientSecret: \"${file:google.txt}\" }\n\
         \x20 - { name: Facebook, type: facebook, clientId: b, clientSecret: \"${env:FB_SECRET}\" }\n\
         userFlows:\n\
         \x20 - { name: Customers, identityProviders: [Google, Facebook] }\n",
    )
    .unwrap();
    let output = ciamctl(temp.path())
        .args(["validate", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", transcript(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}

#[test]
fn github_format_annotates_the_file_and_line() {
    let output = ciamctl(&repo())
        .args([
            "validate",
            "-c",
            "tests/validate/unknown-key-in-flow",
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(transcript(&output));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn directory_given_by_absolute_path_is_printed_as_given() {
    let temp = tempfile::tempdir().unwrap();
    let source = repo().join("tests/validate/colour-not-hex/tenant.yaml");
    std::fs::copy(source, temp.path().join("tenant.yaml")).unwrap();
    let output = ciamctl(&repo())
        .arg("validate")
        .arg("-c")
        .arg(temp.path())
        .output()
        .unwrap();
    let root = temp.path().to_string_lossy().replace('\\', "/");
    insta::with_settings!({ filters => vec![(regex_escape(&root).as_str(), "[TEMP]")] }, {
        insta::assert_snapshot!(transcript(&output));
    });
    assert_eq!(output.status.code(), Some(1));
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escape = "\\.+*?()|[]{}^$#&-~".contains(c);
            escape.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}

#[test]
fn missing_directory_is_an_error() {
    let output = ciamctl(&repo())
        .args(["validate", "-c", "does/not/exist"])
        .output()
        .unwrap();
    insta::assert_snapshot!(transcript(&output));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn unknown_format_is_a_usage_error_with_exit_1() {
    let output = ciamctl(&repo())
        .args(["validate", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("sarif"));
}

#[test]
fn colour_is_forced_by_clicolor_force_and_always_off_with_no_color() {
    let case = repo().join("tests/validate/colour-not-hex");
    let forced = ciamctl(&case)
        .arg("validate")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        text(&forced.stderr).contains("\u{1b}["),
        "{}",
        transcript(&forced)
    );
    let refused = ciamctl(&case)
        .arg("validate")
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        !text(&refused.stderr).contains('\u{1b}'),
        "{}",
        transcript(&refused)
    );
    // Piped output, as in every other test here, has no colour either.
    let piped = ciamctl(&case).arg("validate").output().unwrap();
    assert!(!text(&piped.stderr).contains('\u{1b}'));
}
