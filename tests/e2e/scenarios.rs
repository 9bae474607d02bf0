//! The planner's named scenarios (`tests/scenarios/<name>/`), end to end through the binary:
//! `ciamctl plan --emulator --emulator-seed <name>/live.json -c <name>/desired` in every format,
//! snapshotted with insta.
//!
//! A scenario is a configuration directory (`desired/`) and the tenant it is planned against
//! (`live.json`, an emulator seed: objects as Graph reads them back, secrets in clear, every key
//! left out the fresh tenant's). `tests/scenarios/README.md` says what each one covers. Every
//! directory is picked up, in name order, so a new scenario fails until its snapshots are
//! reviewed and committed. The text snapshot starts with the `--detailed-exitcode` status.
//! Scenarios in [`ROTATED`] are also planned with `--rotate-secrets`.
//!
//! No output of any run may hold a secret: neither the `${env:…}` values given to ciamctl nor
//! the clear secrets the seed stores.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::live::{ciamctl, text};

/// The secrets the scenarios' `${env:…}` references read, and the values ciamctl gets.
pub(crate) const SECRETS: [(&str, &str); 4] = [
    ("GOOGLE_CLIENT_SECRET", "env-google-secret-b81f"),
    ("FACEBOOK_CLIENT_SECRET", "env-facebook-secret-4c2a"),
    ("PARTNER_IDP_SECRET", "env-partner-secret-77d0"),
    ("CONTOSO_IDP_SECRET", "env-contoso-secret-9e13"),
];

/// Scenarios also planned with `--rotate-secrets` (snapshots `<name>__rotate__<format>`).
const ROTATED: &[&str] = &["secrets"];

const FORMATS: [&str; 3] = ["text", "markdown", "json"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

/// The scenario directories, sorted by name.
pub(crate) fn scenarios() -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(root())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    found.sort();
    found
}

/// An emulator started from the seed file `seed` with `faults`, and the environment that reaches
/// it with the scenarios' [`SECRETS`] set.
pub(crate) async fn seeded(
    seed: &Path,
    faults: ciamctl_emulator::Faults,
) -> (ciamctl_emulator::Emulator, Vec<(&'static str, String)>) {
    let emulator = ciamctl_emulator::Emulator::start(ciamctl_emulator::EmulatorConfig {
        seed: Some(seed.to_path_buf()),
        faults,
        ..ciamctl_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap();
    let mut env = crate::live::azure_env(&emulator);
    env.extend(SECRETS.iter().map(|(k, v)| (*k, (*v).to_owned())));
    (emulator, env)
}

/// Every string under a `clientSecret` key of the seed that is not a mask: the secrets the
/// tenant holds in clear.
pub(crate) fn seed_secrets(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match value.as_str() {
                    Some(secret) if key == "clientSecret" && !secret.starts_with("***") => {
                        found.push(secret.to_owned());
                    }
                    _ => seed_secrets(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| seed_secrets(item, found)),
        _ => {}
    }
}

/// `ciamctl plan` of one scenario with `extra` arguments, the secrets in its environment.
async fn plan(dir: &Path, extra: &[&str]) -> Output {
    let seed = dir.join("live.json");
    let desired = dir.join("desired");
    let args = [
        &[
            "plan",
            "--emulator",
            "--emulator-seed",
            seed.to_str().unwrap(),
            "-c",
            desired.to_str().unwrap(),
            "--detailed-exitcode",
        ][..],
        extra,
    ]
    .concat();
    ciamctl(&args, &SECRETS).await
}

/// Replaces what differs between builds or machines, so snapshots are stable.
fn stable(output: &str, dir: &Path) -> String {
    output
        .replace(&dir.display().to_string(), "[scenario]")
        .replace(
            &format!("\"ciamctl_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"ciamctl_version\": \"[version]\"",
        )
        .replace(
            &format!("ciamctl {}", env!("CARGO_PKG_VERSION")),
            "ciamctl [version]",
        )
}

#[test]
fn every_scenario_has_a_configuration_a_seed_and_a_line_in_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let scenarios = scenarios();
    assert!(scenarios.len() >= 12, "{} scenarios", scenarios.len());
    for (name, dir) in scenarios {
        assert!(dir.join("desired").is_dir(), "{name}: no desired/");
        let seed: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("live.json")).unwrap())
                .unwrap_or_else(|error| panic!("{name}/live.json: {error}"));
        assert!(seed.is_object(), "{name}/live.json");
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "{name} is not in tests/scenarios/README.md"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_scenario_plans_as_its_snapshots_say_and_leaks_no_secret() {
    let mut secrets: Vec<String> = SECRETS.iter().map(|(_, v)| (*v).to_owned()).collect();
    let mut everything = String::new();

    for (name, dir) in scenarios() {
        let seed = std::fs::read_to_string(dir.join("live.json")).unwrap();
        seed_secrets(&serde_json::from_str(&seed).unwrap(), &mut secrets);

        let runs: &[(&str, &[&str])] = if ROTATED.contains(&name.as_str()) {
            &[("", &[]), ("__rotate", &["--rotate-secrets"])]
        } else {
            &[("", &[])]
        };
        for (suffix, extra) in runs {
            let mut exit_codes = Vec::new();
            let mut in_sync = None;
            for format in FORMATS {
                let output = plan(&dir, &[extra, &["--format", format][..]].concat()).await;
                let stdout = text(&output.stdout);
                let stderr = text(&output.stderr);
                everything.push_str(&stdout);
                everything.push_str(&stderr);
                let code = output.status.code();
                assert!(
                    matches!(code, Some(0 | 2)),
                    "{name}{suffix} --format {format}: exit {code:?}\n{stderr}"
                );
                exit_codes.push(code);
                if format == "json" {
                    let plan: Value = serde_json::from_str(&stdout)
                        .unwrap_or_else(|error| panic!("{name}: not JSON ({error}): {stdout}"));
                    in_sync = plan["summary"]["in_sync"].as_bool();
                }
                let stdout = stable(&stdout, &dir);
                let snapshot = if format == "text" {
                    format!("exit: {}\n{stdout}", code.unwrap())
                } else {
                    stdout
                };
                insta::assert_snapshot!(format!("{name}{suffix}__{format}"), snapshot);
            }
            let expected = if in_sync.unwrap() { Some(0) } else { Some(2) };
            assert!(
                exit_codes.iter().all(|code| *code == expected),
                "{name}{suffix}: exit codes {exit_codes:?}, in sync: {in_sync:?}"
            );
        }
    }

    for secret in &secrets {
        assert!(!everything.contains(secret.as_str()), "a secret leaked");
    }
}
