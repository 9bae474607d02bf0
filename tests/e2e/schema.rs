//! `ciamctl schema` prints exactly the committed schemas, on stdout only, without needing a
//! configuration directory.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[track_caller]
fn check_prints(args: &[&str], committed: &str) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(assert_cmd::cargo::cargo_bin!("ciamctl"))
        .current_dir(dir.path())
        .env_clear()
        .args(args)
        .output()
        .expect("ciamctl runs");
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    let expected = std::fs::read_to_string(repo().join("schemas").join(committed))
        .expect("the committed schema");
    assert!(
        output.stdout == expected.as_bytes(),
        "differs from schemas/{committed}"
    );
}

#[test]
fn schema_prints_the_committed_configuration_schema() {
    check_prints(&["schema"], "ciamctl.schema.json");
}

#[test]
fn schema_environment_prints_the_committed_environment_schema() {
    check_prints(
        &["schema", "--environment"],
        "ciamctl-environment.schema.json",
    );
}

#[test]
fn schema_plan_prints_the_committed_plan_schema() {
    check_prints(&["schema", "--plan"], "ciamctl-plan.schema.json");
}
