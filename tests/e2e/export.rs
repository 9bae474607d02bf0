//! `ciamctl export` end to end: the binary against an in-process emulator seeded with each
//! planner scenario's tenant and with `tests/export/rich-tenant.json` (every field the format
//! has).
//!
//! - The export validates, plans to no changes against the same tenant, and a second export
//!   gives the same bytes; no secret of the seed or of the environment reaches a file or the
//!   output.
//! - Applying each scenario's configuration, then exporting, then planning the export: no
//!   changes.
//! - A non-empty directory is refused without `--force`; with it, its content is replaced (its
//!   other environment files kept) and `--env`'s variables name the appIds they hold.
//! - `--kinds` limits the files; a kind that cannot be read exits 3 and writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use ciamctl_emulator::{Emulator, Faults};
use serde_json::Value;

use crate::live::{borrowed, ciamctl, text, with_a_reader_lacking};
use crate::scenarios::{SECRETS, scenarios, seed_secrets, seeded};

fn rich_seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/export/rich-tenant.json")
}

/// An emulator seeded with `seed`, and the environment that reaches it (the scenarios'
/// secrets included, as a CI job that applies would have them).
struct Seeded {
    _emulator: Emulator,
    env: Vec<(&'static str, String)>,
}

impl Seeded {
    async fn new(seed: &Path) -> Self {
        let (emulator, env) = seeded(seed, Faults::default()).await;
        Self {
            _emulator: emulator,
            env,
        }
    }

    async fn run(&self, args: &[&str]) -> Output {
        ciamctl(args, &borrowed(&self.env)).await
    }

    /// `export --out DIR --env test` and `extra`, asserting it succeeds.
    async fn export(&self, out: &Path, extra: &[&str]) -> Output {
        let out = out.to_str().unwrap();
        let output = self
            .run(&[&["export", "--out", out, "--env", "test"], extra].concat())
            .await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        output
    }

    /// `plan -c DIR --env test --detailed-exitcode`, asserting there is nothing to change.
    async fn plans_empty(&self, dir: &Path, what: &str) -> Output {
        let dir = dir.to_str().unwrap();
        let plan = self
            .run(&["plan", "-c", dir, "--env", "test", "--detailed-exitcode"])
            .await;
        assert_eq!(
            plan.status.code(),
            Some(0),
            "{what}: the export does not plan empty\n{}\n{}",
            text(&plan.stdout),
            text(&plan.stderr)
        );
        plan
    }
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn outputs(outputs: &[&Output]) -> String {
    let mut all = String::new();
    for output in outputs {
        all.push_str(&text(&output.stdout));
        all.push_str(&text(&output.stderr));
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn every_scenario_and_the_rich_tenant_export_to_files_that_validate_plan_empty_and_repeat() {
    let mut seeds: Vec<(String, PathBuf)> = scenarios()
        .into_iter()
        .map(|(name, dir)| (name, dir.join("live.json")))
        .collect();
    seeds.push(("rich-tenant".to_owned(), rich_seed()));
    let mut secrets: Vec<String> = SECRETS.iter().map(|(_, v)| (*v).to_owned()).collect();
    let mut everything = String::new();
    for (name, seed) in seeds {
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&seed).unwrap()).unwrap();
        seed_secrets(&json, &mut secrets);
        let tenant = Seeded::new(&seed).await;
        let work = tempfile::tempdir().unwrap();
        let (first, second) = (work.path().join("first"), work.path().join("second"));

        let exported = tenant.export(&first, &[]).await;
        let dir = first.to_str().unwrap();
        let validate = tenant.run(&["validate", "-c", dir, "--env", "test"]).await;
        assert_eq!(
            validate.status.code(),
            Some(0),
            "{name}: the export does not validate\n{}",
            text(&validate.stderr)
        );
        let plan = tenant.plans_empty(&first, &name).await;
        let again = tenant.export(&second, &[]).await;
        assert_eq!(
            tree(&first),
            tree(&second),
            "{name}: a second export differs"
        );

        everything.push_str(&outputs(&[&exported, &validate, &plan, &again]));
        for bytes in tree(&first).values() {
            everything.push_str(&String::from_utf8_lossy(bytes));
        }
    }
    for secret in &secrets {
        assert!(!everything.contains(secret.as_str()), "a secret leaked");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn applying_each_scenario_then_exporting_plans_empty() {
    for (name, dir) in scenarios() {
        let tenant = Seeded::new(&dir.join("live.json")).await;
        let desired = dir.join("desired");
        // Some scenarios hold changes Graph refuses (`unsafe-deletes`): whatever the tenant
        // ends up as, its export must plan empty.
        tenant
            .run(&[
                "apply",
                "--auto-approve",
                "--allow-unsafe",
                "--no-progress",
                "-c",
                desired.to_str().unwrap(),
            ])
            .await;
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("export");
        tenant.export(&out, &[]).await;
        tenant.plans_empty(&out, &name).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_that_is_not_empty_is_refused_without_force_and_replaced_with_it() {
    let tenant = Seeded::new(&rich_seed()).await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("tenant");
    std::fs::create_dir_all(out.join("environments")).unwrap();
    std::fs::create_dir_all(out.join("user-flows")).unwrap();
    std::fs::write(out.join("user-flows/deleted-flow.yaml"), "userFlows: []\n").unwrap();
    std::fs::write(
        out.join("environments/test.yaml"),
        "tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90\nvariables:\n  WEB_APP_ID: d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60\n",
    )
    .unwrap();
    let prod = "tenantId: 00000000-0000-0000-0000-000000000001\n";
    std::fs::write(out.join("environments/prod.yaml"), prod).unwrap();
    // What is not configuration: a repository's own files, and files beside the flows.
    let kept = [
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".github/workflows/plan.yml", "on: pull_request\n"),
        ("README.md", "# Our tenant\n"),
        ("docs/notes.txt", "notes\n"),
        ("user-flows/README.md", "one file per flow\n"),
    ];
    for (path, content) in kept {
        std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        std::fs::write(out.join(path), content).unwrap();
    }
    std::fs::create_dir_all(out.join("assets/de-DE")).unwrap();
    std::fs::write(out.join("assets/de-DE/bannerLogo.png"), b"old").unwrap();
    std::fs::write(out.join("old-settings.yml"), "settings: {}\n").unwrap();
    let before = tree(&out);

    let refused = tenant
        .run(&["export", "--out", out.to_str().unwrap(), "--env", "test"])
        .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr)
            .contains("is not empty; export into an empty or new directory, or pass --force"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(tree(&out), before, "a refused export touched the directory");

    tenant.export(&out, &["--force"]).await;
    let after = tree(&out);
    assert!(!after.contains_key("user-flows/deleted-flow.yaml"));
    assert!(!after.contains_key("old-settings.yml"));
    assert!(
        !out.join("assets/de-DE").exists(),
        "an old asset folder is left"
    );
    assert_eq!(after["environments/prod.yaml"], prod.as_bytes());
    for (path, content) in kept {
        assert_eq!(
            after.get(path).map(Vec::as_slice),
            Some(content.as_bytes()),
            "{path}"
        );
    }
    let hidden: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".ciamctl"))
        .collect();
    assert!(
        hidden.is_empty(),
        "temporary directories left in the export: {hidden:?}"
    );
    let flow = String::from_utf8(after["user-flows/woodgrove-customers.yaml"].clone()).unwrap();
    assert!(flow.contains("- ${WEB_APP_ID}"), "{flow}");
    let environment = String::from_utf8(after["environments/test.yaml"].clone()).unwrap();
    assert!(
        environment.contains("WEB_APP_ID: d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60"),
        "{environment}"
    );
    tenant.plans_empty(&out, "re-export").await;
    let leftovers: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        ["tenant"],
        "temporary directories left beside the export"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kinds_limit_what_is_written_and_a_flow_needs_the_kinds_it_names() {
    let tenant = Seeded::new(&rich_seed()).await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("some");

    tenant
        .export(&out, &["--kinds", "attributes,branding"])
        .await;

    let paths: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| p.contains(".yaml"))
        .collect();
    assert_eq!(
        paths,
        ["attributes.yaml", "branding.yaml", "environments/test.yaml"]
    );
    tenant.plans_empty(&out, "--kinds").await;

    let flows = work.path().join("flows");
    let refused = tenant
        .run(&[
            "export",
            "--out",
            flows.to_str().unwrap(),
            "--kinds",
            "userFlows",
        ])
        .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("`userFlows` needs `attributes`"),
        "{}",
        text(&refused.stderr)
    );
    assert!(!flows.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kind_that_cannot_be_read_exits_3_and_writes_nothing() {
    let (_emulator, env) = with_a_reader_lacking("OrganizationalBranding.").await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("export");

    let output = ciamctl(&["export", "--out", out.to_str().unwrap()], &borrowed(&env)).await;

    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("unknown branding"), "{stderr}");
    assert!(
        stderr.contains("OrganizationalBranding.Read.All"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forced_export_that_fails_half_way_leaves_the_directory_as_it_was() {
    let tenant = Seeded::new(&rich_seed()).await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("tenant");
    std::fs::create_dir_all(out.join("user-flows")).unwrap();
    std::fs::write(out.join("user-flows/deleted-flow.yaml"), "userFlows: []\n").unwrap();
    std::fs::write(out.join("attributes.yaml"), "attributes: []\n").unwrap();
    // A folder the export keeps (it holds no configuration) where it writes a file.
    std::fs::create_dir_all(out.join("branding.yaml")).unwrap();
    std::fs::write(out.join("branding.yaml/notes.txt"), "in the way\n").unwrap();
    let before = tree(&out);

    let output = tenant
        .run(&["export", "--out", out.to_str().unwrap(), "--force"])
        .await;

    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("branding.yaml` is in the way"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        tree(&out),
        before,
        "the failed export changed the directory"
    );
    assert!(
        !out.join("assets").exists(),
        "a folder made for the export is left"
    );
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".ciamctl")),
        "temporary directories left: {names:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_environment_name_that_is_a_path_is_refused_before_anything_is_written() {
    let tenant = Seeded::new(&rich_seed()).await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("a/b");

    let output = tenant
        .run(&[
            "export",
            "--out",
            out.to_str().unwrap(),
            "--env",
            "../../evil",
        ])
        .await;

    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("use a plain name without `/`"),
        "{}",
        text(&output.stderr)
    );
    assert!(!work.path().join("evil.yaml").exists());
    assert!(!work.path().join("a").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forced_export_replaces_an_environment_file_spelt_yml_and_keeps_its_variables() {
    let tenant = Seeded::new(&rich_seed()).await;
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("tenant");
    std::fs::create_dir_all(out.join("environments")).unwrap();
    std::fs::write(
        out.join("environments/test.yml"),
        "tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90\nvariables:\n  WEB_APP_ID: d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60\n",
    )
    .unwrap();

    let output = tenant.export(&out, &["--force"]).await;

    assert!(
        !text(&output.stderr).contains("error"),
        "{}",
        text(&output.stderr)
    );
    let after = tree(&out);
    assert!(!after.contains_key("environments/test.yml"));
    assert!(String::from_utf8_lossy(&after["environments/test.yaml"]).contains("WEB_APP_ID"));
    tenant.plans_empty(&out, "re-export over test.yml").await;
}
