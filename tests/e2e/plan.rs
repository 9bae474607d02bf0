//! `ciamctl plan` and `ciamctl drift` against an emulator: the plan of the example
//! configuration in every format, the saved plan, exit codes, the drift report and job summary,
//! names the tenant does not have, an incomplete read, and no secret in any output.

use std::path::{Path, PathBuf};
use std::process::Output;

use ciamctl_emulator::{DEFAULT_TENANT_ID, Emulator};
use serde_json::Value;

use crate::live::{
    add_google, azure_env, borrowed, ciamctl, on_woodgrove, text, with_a_reader_lacking,
};

/// `ciamctl <command> --emulator <extra> -c config-examples/woodgrove --env dev`.
async fn woodgrove_on_a_fresh_emulator(
    command: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Output {
    on_woodgrove(&[&[command, "--emulator"][..], extra].concat(), env).await
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", text(bytes)))
}

/// Whether `plan` holds a change with this action, kind and name.
fn has_change(plan: &Value, action: &str, kind: &str, name: &str) -> bool {
    plan["changes"].as_array().unwrap().iter().any(|change| {
        change["action"] == action && change["kind"] == kind && change["name"] == name
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_of_the_example_on_a_fresh_emulator_lists_its_creates_and_exits_0() {
    let output = woodgrove_on_a_fresh_emulator("plan", &[], &[]).await;

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    for name in [
        "LoyaltyNumber",
        "MarketingConsent",
        "Google",
        "Woodgrove customers",
        "Woodgrove partners",
    ] {
        assert!(
            stdout.contains(name),
            "{name} missing from the plan:\n{stdout}"
        );
    }
    assert!(stdout.contains("create"), "{stdout}");
    assert!(
        text(&output.stderr).contains("embedded Graph emulator"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_with_detailed_exitcode_exits_2_when_there_are_changes() {
    let output = woodgrove_on_a_fresh_emulator("plan", &["--detailed-exitcode"], &[]).await;

    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(!output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_output_holds_no_escape_codes_when_stdout_is_not_a_terminal() {
    for format in ["text", "markdown", "json"] {
        let output = woodgrove_on_a_fresh_emulator("plan", &["--format", format], &[]).await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(!output.stdout.is_empty(), "{format}");
        assert!(
            !output.stdout.contains(&0x1b),
            "{format}: {}",
            text(&output.stdout)
        );
        assert!(
            !output.stderr.contains(&0x1b),
            "{format}: {}",
            text(&output.stderr)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_is_coloured_only_when_asked_and_never_with_no_color_or_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    let out = ["--out", saved.to_str().unwrap()];

    let forced = woodgrove_on_a_fresh_emulator("plan", &out, &[("CLICOLOR_FORCE", "1")]).await;
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    assert!(forced.stdout.contains(&0x1b), "{}", text(&forced.stdout));
    assert!(!std::fs::read(&saved).unwrap().contains(&0x1b));

    let refused =
        woodgrove_on_a_fresh_emulator("plan", &[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
            .await;
    assert_eq!(refused.status.code(), Some(0), "{}", text(&refused.stderr));
    assert!(!refused.stdout.contains(&0x1b), "{}", text(&refused.stdout));
}

/// `plan --format <format> --out FILE` of the example: the run and the saved document.
async fn plan_saved_with(format: &str) -> (Output, Value) {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    let output = woodgrove_on_a_fresh_emulator(
        "plan",
        &["--format", format, "--out", saved.to_str().unwrap()],
        &[],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains(&format!("Saved the plan to {}", saved.display())),
        "{}",
        text(&output.stderr)
    );
    let file = json_of(&std::fs::read(&saved).unwrap());
    (output, file)
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_as_json_and_the_saved_plan_are_the_same_versioned_document() {
    let (output, file) = plan_saved_with("json").await;

    let printed = json_of(&output.stdout);
    assert_eq!(printed, file);
    assert_eq!(file["format_version"], 1);
    assert_eq!(file["tenant_id"], DEFAULT_TENANT_ID);
    assert_eq!(file["environment"], "dev");
    assert_eq!(file["ciamctl_version"], env!("CARGO_PKG_VERSION"));
    assert!(
        !file["config_digest"].as_str().unwrap().is_empty(),
        "{file}"
    );
    assert!(
        !file["live"].as_array().unwrap().is_empty(),
        "no live fingerprints: {file}"
    );
    assert_eq!(file["summary"]["in_sync"], false);
    assert!(
        has_change(&file, "create", "attribute", "LoyaltyNumber"),
        "{file}"
    );
    assert!(
        has_change(&file, "create", "identityProvider", "Google"),
        "{file}"
    );
    assert!(
        has_change(&file, "create", "userFlow", "Woodgrove customers"),
        "{file}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_saves_json_with_out_whatever_the_format_on_stdout() {
    let (output, file) = plan_saved_with("markdown").await;

    assert!(serde_json::from_slice::<Value>(&output.stdout).is_err());
    assert_eq!(file["format_version"], 1);
}

/// The run stopped with exit 1 on a file it could not write, named it, and printed nothing.
#[track_caller]
fn assert_could_not_write(output: &Output, file: &Path) {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot write `{}`", file.display())),
        "{stderr}"
    );
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_that_cannot_be_saved_exits_1_naming_the_file_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("plan.json");

    for target in [missing.as_path(), dir.path()] {
        let output = woodgrove_on_a_fresh_emulator(
            "plan",
            &["--detailed-exitcode", "--out", target.to_str().unwrap()],
            &[],
        )
        .await;

        assert_could_not_write(&output, target);
    }
    assert!(!missing.exists());
    // Nothing was left beside the directory that could not take the plan.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_replaces_the_earlier_one_whole_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    // Longer than the plan, so a file written in place would keep a tail of it.
    std::fs::write(&saved, "x".repeat(1 << 20)).unwrap();

    let output =
        woodgrove_on_a_fresh_emulator("plan", &["--out", saved.to_str().unwrap()], &[]).await;

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        json_of(&std::fs::read(&saved).unwrap())["format_version"],
        1
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["plan.json"]);
}

/// `drift <extra>` of the example in a GitHub Actions step whose job summary,
/// `step-summary.md` in `dir`, already holds `earlier`: the run and the summary's path.
async fn drift_in_a_job(dir: &Path, earlier: &str, extra: &[&str]) -> (Output, PathBuf) {
    let summary = dir.join("step-summary.md");
    std::fs::write(&summary, earlier).unwrap();
    let output = woodgrove_on_a_fresh_emulator(
        "drift",
        extra,
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    )
    .await;
    (output, summary)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_drift_report_that_cannot_be_written_exits_1_and_adds_nothing_to_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("no-such-dir").join("drift.md");
    let earlier = "## An earlier step\n";

    let (output, summary) =
        drift_in_a_job(dir.path(), earlier, &["--report", report.to_str().unwrap()]).await;

    assert_could_not_write(&output, &report);
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), earlier);
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_exits_2_writes_the_markdown_report_and_appends_it_to_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("drift.md");
    let earlier = "## An earlier step\n\nits own summary\n";

    let (output, summary) =
        drift_in_a_job(dir.path(), earlier, &["--report", report.to_str().unwrap()]).await;

    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let report = std::fs::read_to_string(&report).unwrap();
    assert!(report.contains("Woodgrove customers"), "{report}");
    // Markdown: a summary table and collapsible sections, not the text format.
    assert!(report.contains('|'), "{report}");
    assert!(report.contains("<details>"), "{report}");
    assert!(!report.contains('\u{1b}'), "{report}");
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        format!("{earlier}{report}")
    );
    assert!(text(&output.stdout).contains("Woodgrove customers"));
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_starts_its_job_summary_on_a_new_line_after_a_step_that_left_none() {
    let dir = tempfile::tempdir().unwrap();

    let (output, summary) = drift_in_a_job(dir.path(), "An earlier step's last words", &[]).await;

    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("An earlier step's last words\n### ciamctl drift report\n"),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_says_so_in_json_without_report_or_job_summary() {
    let output = woodgrove_on_a_fresh_emulator("drift", &["--format", "json"], &[]).await;

    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert_eq!(json_of(&output.stdout)["summary"]["in_sync"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_and_drift_need_a_configuration() {
    for command in ["plan", "drift"] {
        let output = ciamctl(&[command, "--emulator"], &[]).await;
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("--config <DIR>"), "{command}: {stderr}");
        assert!(output.stdout.is_empty(), "{command}");
    }
}

/// A configuration without environments whose flow names `application` as its one app.
fn config_with_a_flow_for(dir: &Path, application: &str) {
    std::fs::write(
        dir.join("tenant.yaml"),
        format!(
            "userFlows:\n  - name: Shop\n    identityProviders: [EmailPassword]\n    applications: [\"{application}\"]\n"
        ),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_application_the_tenant_does_not_have_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    config_with_a_flow_for(dir.path(), "No such application");
    let config = dir.path().to_str().unwrap();

    for command in ["plan", "drift"] {
        let output = ciamctl(&[command, "--emulator", "-c", config], &[]).await;

        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{command}: {}",
            text(&output.stdout)
        );
        assert!(
            stderr.contains("No such application"),
            "{command}: {stderr}"
        );
        // file:line:column of the name in the flow's `applications` (line 4).
        let location = format!("{config}/tenant.yaml:4:");
        let column = stderr
            .split(&location)
            .nth(1)
            .unwrap_or_else(|| panic!("{command}: no {location}<column> in {stderr}"));
        assert!(
            column.starts_with(|c: char| c.is_ascii_digit()),
            "{command}: {stderr}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kind_that_cannot_be_read_exits_3_and_plans_nothing() {
    let (_emulator, env) = with_a_reader_lacking("OrganizationalBranding.").await;

    for command in [&["plan", "--detailed-exitcode"][..], &["drift"]] {
        let output = on_woodgrove(command, &borrowed(&env)).await;

        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{command:?}: {stderr}");
        assert!(stderr.contains("unknown branding"), "{command:?}: {stderr}");
        assert!(
            output.stdout.is_empty(),
            "{command:?}: {}",
            text(&output.stdout)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_identity_provider_secret_never_appears_in_any_output_or_saved_plan() {
    let secret = "google-secret-from-the-environment";
    let in_tenant = "google-secret-in-the-tenant";
    // The example's Google provider already exists, so its secret is sent only on rotation.
    let emulator = Emulator::start(ciamctl_emulator::EmulatorConfig::default())
        .await
        .unwrap();
    add_google(
        &emulator,
        "123456789012-woodgrove.apps.googleusercontent.com",
        in_tenant,
    )
    .await;
    let mut env = azure_env(&emulator);
    env.push(("GOOGLE_CLIENT_SECRET", secret.to_owned()));
    let env = borrowed(&env);
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");

    let mut everything = String::new();
    let mut rotated = None;
    for format in ["text", "markdown", "json"] {
        for extra in [&[][..], &["--rotate-secrets"]] {
            let args = [
                &[
                    "plan",
                    "--format",
                    format,
                    "--out",
                    saved.to_str().unwrap(),
                    "-vvv",
                ][..],
                extra,
            ]
            .concat();
            let output = on_woodgrove(&args, &env).await;
            assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
            let file = std::fs::read_to_string(&saved).unwrap();
            everything.push_str(&text(&output.stdout));
            everything.push_str(&text(&output.stderr));
            everything.push_str(&file);
            if !extra.is_empty() {
                rotated = Some(json_of(file.as_bytes()));
            }
        }
    }
    let drift = on_woodgrove(&["drift"], &env).await;
    assert_eq!(drift.status.code(), Some(2), "{}", text(&drift.stderr));
    everything.push_str(&text(&drift.stdout));
    everything.push_str(&text(&drift.stderr));

    assert!(!everything.contains(secret), "the secret leaked");
    assert!(
        !everything.contains(in_tenant),
        "the tenant's secret leaked"
    );
    // The rotation is planned: the saved plan says where the secret comes from at apply time.
    let rotated = rotated.unwrap();
    assert!(
        has_change(&rotated, "update", "identityProvider", "Google"),
        "{rotated}"
    );
    assert!(
        rotated.to_string().contains("${env:GOOGLE_CLIENT_SECRET}"),
        "{rotated}"
    );
}
