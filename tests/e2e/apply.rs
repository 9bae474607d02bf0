//! `ciamctl apply` end to end: the binary against an in-process emulator seeded with each
//! planner scenario's tenant (`tests/scenarios/<name>/live.json`).
//!
//! - Every scenario applies, plans empty afterwards, and leaves an emulator whose stored state
//!   says what the files say ([`assert_tenant_matches_files`] reads the emulator's own state,
//!   not ciamctl's reader). The emulator enforces Graph's ordering rules (an attribute exists
//!   before a flow collects it, an app is in one flow at a time, a flow keeps a provider, …),
//!   so a wrong order fails here.
//! - With injected faults (commit-then-fail, 5xx and dropped connections, a throttle), every
//!   scenario converges within a few runs, with no duplicate object and nothing lost.
//! - Saved plans: a fresh one applies; a stale one, one for another tenant, one made from other
//!   files and one edited by hand are refused, and nothing is written.
//! - No confirmation without a terminal unless `--auto-approve`; unsafe changes need
//!   `--allow-unsafe`; a change Graph refuses fails, what depends on it is skipped, the rest is
//!   applied, and the next run finishes; no secret in any output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use ciamctl_emulator::{Emulator, Faults, Throttle};
use serde_json::Value;

use crate::emulator::{client, client_credentials_token};
use crate::live::{borrowed, ciamctl, on_woodgrove, text, with_a_client_holding};
use crate::scenarios::{SECRETS, scenarios, seed_secrets, seeded};

/// Scenarios with an unsafe change Graph itself refuses, even with `--allow-unsafe`: the
/// changes (kind, name) whose delete fails and stays in the plan.
const REFUSED_BY_GRAPH: &[(&str, &[(&str, &str)])] = &[(
    "unsafe-deletes",
    &[("identityProvider", "Facebook"), ("attribute", "ShoeSize")],
)];

/// An emulator seeded with a scenario's tenant, and the environment that reaches it.
struct Tenant {
    emulator: Emulator,
    env: Vec<(&'static str, String)>,
    desired: PathBuf,
}

impl Tenant {
    async fn seeded(scenario: &Path, faults: Faults) -> Self {
        let (emulator, env) = seeded(&scenario.join("live.json"), faults).await;
        Self {
            emulator,
            env,
            desired: scenario.join("desired"),
        }
    }

    async fn run(&self, args: &[&str]) -> Output {
        let desired = self.desired.to_str().unwrap();
        ciamctl(&[args, &["-c", desired]].concat(), &borrowed(&self.env)).await
    }

    async fn apply(&self, extra: &[&str]) -> Output {
        self.run(&[&["apply", "--auto-approve", "--allow-unsafe"], extra].concat())
            .await
    }

    /// `plan --format json`: the plan the tenant gives now.
    async fn plan(&self) -> Value {
        let output = self.run(&["plan", "--format", "json"]).await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

fn changes(plan: &Value) -> Vec<(String, String)> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn refused(name: &str) -> Vec<(String, String)> {
    REFUSED_BY_GRAPH
        .iter()
        .filter(|(scenario, _)| *scenario == name)
        .flat_map(|(_, changes)| changes.iter())
        .map(|(kind, name)| ((*kind).to_owned(), (*name).to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_scenario_applies_then_plans_empty_and_the_emulator_holds_what_the_files_say() {
    let mut secrets: Vec<String> = SECRETS.iter().map(|(_, v)| (*v).to_owned()).collect();
    let mut everything = String::new();
    for (name, dir) in scenarios() {
        let seed = std::fs::read_to_string(dir.join("live.json")).unwrap();
        seed_secrets(&serde_json::from_str(&seed).unwrap(), &mut secrets);
        let tenant = Tenant::seeded(&dir, Faults::default()).await;

        let output = tenant.apply(&[]).await;
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        everything.push_str(&stdout);
        everything.push_str(&stderr);
        let left = refused(&name);
        let expected = i32::from(!left.is_empty());
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{name}: apply\n{stdout}\n{stderr}"
        );
        if left.is_empty() {
            assert!(
                stdout.contains("Verified: the tenant now matches the configuration.")
                    || stdout.contains("No changes: the tenant matches the configuration."),
                "{name}: {stdout}"
            );
        }
        assert_eq!(
            changes(&tenant.plan().await),
            left,
            "{name}: plan after apply"
        );
        assert_tenant_matches_files(&name, &tenant);
    }
    for secret in &secrets {
        assert!(!everything.contains(secret.as_str()), "a secret leaked");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn with_commit_then_fail_errors_and_a_throttle_every_scenario_converges_without_duplicates() {
    let runs = scenarios()
        .into_iter()
        .flat_map(|(name, dir)| [11, 12, 13].map(move |seed| (name.clone(), dir.clone(), seed)));
    let converged = futures_join(runs.map(|(name, dir, seed)| async move {
        let faults = Faults {
            seed,
            fail_rate: 0.1,
            commit_then_fail_rate: 0.3,
            throttle: Some(Throttle::new(60, 1.0).unwrap()),
            ..Faults::default()
        };
        let tenant = Tenant::seeded(&dir, faults).await;
        let left = refused(&name);
        let mut attempts = Vec::new();
        for _ in 0..5 {
            let output = tenant.apply(&[]).await;
            attempts.push(format!(
                "exit {:?}\n{}\n{}",
                output.status.code(),
                text(&output.stdout),
                text(&output.stderr)
            ));
            if output.status.code() == Some(0) {
                break;
            }
        }
        tenant.emulator.set_faults(Faults::default()).unwrap();
        assert_eq!(
            changes(&tenant.plan().await),
            left,
            "{name} (fault seed {seed}) did not converge in 5 runs:\n{}",
            attempts.join("\n---\n")
        );
        assert_no_duplicates(&name, &tenant.emulator.state());
        assert_tenant_matches_files(&name, &tenant);
        attempts.len()
    }))
    .await;
    // The faults were real: some scenario needed a second run.
    assert!(converged.iter().any(|runs| *runs > 1), "{converged:?}");
}

/// Runs the futures concurrently on the test's runtime: each scenario has its own emulator,
/// and most of the time goes to waiting out `Retry-After`s.
async fn futures_join<T: Send + 'static>(
    futures: impl Iterator<Item = impl Future<Output = T> + Send + 'static>,
) -> Vec<T> {
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

/// No two objects of a kind share their natural key in the emulator's state.
fn assert_no_duplicates(name: &str, state: &Value) {
    let keys = |list: &Value, key: &dyn Fn(&Value) -> Option<String>| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .filter_map(key)
            .map(|k| k.to_lowercase())
            .collect()
    };
    let field = |name: &'static str| move |item: &Value| item[name].as_str().map(str::to_owned);
    for (kind, list) in [
        (
            "attribute",
            keys(&state["userFlowAttributes"], &field("displayName")),
        ),
        (
            "identity provider",
            keys(&state["identityProviders"], &field("displayName")),
        ),
        (
            "user flow",
            keys(&state["flows"], &|f: &Value| {
                f["object"]["displayName"].as_str().map(str::to_owned)
            }),
        ),
        (
            "localization",
            keys(&state["branding"]["localizations"], &field("id")),
        ),
    ] {
        let mut seen = BTreeMap::new();
        for key in list {
            *seen.entry(key).or_insert(0) += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "{name}: duplicate {kind}s {twice:?}");
    }
}

/// The emulator's stored tenant holds what the scenario's files describe, read from the
/// emulator's own state and the files' JSON form (not through ciamctl's reader or planner):
/// each attribute with its data type and description, each provider, each flow with its
/// description, sign-up setting, number of providers, applications and page inputs (in
/// order, with their labels), the branding's texts and assets and its localizations' texts.
fn assert_tenant_matches_files(name: &str, tenant: &Tenant) {
    let loaded = ciamctl_model::load(&tenant.desired, None);
    let config = loaded.config().unwrap();
    let state = tenant.emulator.state();
    let stored = tenant.emulator.tenant();
    let one = |list: &Value, what: &str, wanted: &str, key: &dyn Fn(&Value) -> &Value| {
        let found: Vec<Value> = list
            .as_array()
            .unwrap()
            .iter()
            .filter(|item| {
                key(item)
                    .as_str()
                    .is_some_and(|k| k.eq_ignore_ascii_case(wanted))
            })
            .cloned()
            .collect();
        assert_eq!(found.len(), 1, "{name}: {what} `{wanted}` in {list:#}");
        found.into_iter().next().unwrap()
    };

    for attribute in json(&config.attributes).as_array().unwrap() {
        let wanted = attribute["name"].as_str().unwrap();
        let live = one(
            &state["userFlowAttributes"],
            "attribute",
            wanted,
            &|a| &a["displayName"],
        );
        assert!(
            live["dataType"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case(attribute["dataType"].as_str().unwrap()),
            "{name}: {wanted} {live}"
        );
        if let Some(description) = attribute.get("description") {
            assert_eq!(&live["description"], description, "{name}: {wanted}");
        }
    }
    for provider in json(&config.identity_providers).as_array().unwrap() {
        let wanted = provider["name"].as_str().unwrap();
        one(
            &state["identityProviders"],
            "identity provider",
            wanted,
            &|p| &p["displayName"],
        );
    }
    let app_ids: BTreeMap<String, String> = state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["displayName"].as_str().unwrap().to_lowercase(),
                a["appId"].as_str().unwrap().to_lowercase(),
            )
        })
        .collect();
    for flow in json(&config.user_flows).as_array().unwrap() {
        let wanted = flow["name"].as_str().unwrap();
        let live = one(
            &state["flows"],
            "user flow",
            wanted,
            &|f| &f["object"]["displayName"],
        );
        let object = &live["object"];
        if let Some(description) = flow.get("description") {
            assert_eq!(&object["description"], description, "{name}: {wanted}");
        }
        if let Some(sign_up) = flow.get("signUp") {
            assert_eq!(
                &object["onInteractiveAuthFlowStart"]["isSignUpAllowed"], sign_up,
                "{name}: {wanted}"
            );
        }
        assert_eq!(
            live["identityProviders"].as_array().unwrap().len(),
            flow["identityProviders"].as_array().unwrap().len(),
            "{name}: {wanted}: providers {live:#}"
        );
        let mut apps: Vec<String> = flow["applications"]
            .as_array()
            .map(|apps| {
                apps.iter()
                    .map(|a| a.as_str().unwrap().to_lowercase())
                    .map(|a| app_ids.get(&a).cloned().unwrap_or(a))
                    .collect()
            })
            .unwrap_or_default();
        let mut linked: Vec<String> = live["applications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_lowercase())
            .collect();
        apps.sort();
        linked.sort();
        assert_eq!(linked, apps, "{name}: {wanted}: applications");
        if let Some(inputs) = flow["page"]["inputs"].as_array() {
            let views = &object["onAttributeCollection"]["attributeCollectionPage"]["views"];
            let live_inputs = views[0]["inputs"].as_array().unwrap();
            let ids: Vec<&str> = live_inputs
                .iter()
                .map(|i| i["attribute"].as_str().unwrap())
                .collect();
            let names: Vec<&str> = inputs
                .iter()
                .map(|i| i["attribute"].as_str().unwrap())
                .collect();
            assert_eq!(ids.len(), names.len(), "{name}: {wanted}: inputs {ids:?}");
            for ((id, input), live_input) in ids.iter().zip(inputs).zip(live_inputs) {
                let attribute = input["attribute"].as_str().unwrap().to_lowercase();
                let id = id.to_lowercase();
                assert!(
                    id == attribute || id.ends_with(&format!("_{attribute}")),
                    "{name}: {wanted}: input {id} for {attribute} ({ids:?} / {names:?})"
                );
                if let Some(label) = input.get("label") {
                    assert_eq!(&live_input["label"], label, "{name}: {wanted}: {id}");
                }
            }
        }
    }
    let Some(branding) = &config.branding else {
        return;
    };
    let branding = json(branding);
    let default = stored
        .branding
        .default
        .as_ref()
        .unwrap_or_else(|| panic!("{name}: the files have branding, the tenant has none"));
    assert_texts(name, "branding", &branding, &default.properties);
    let streams = serde_json::to_value(&default.assets).unwrap();
    for (stream, file) in branding["assets"].as_object().into_iter().flatten() {
        let bytes = std::fs::read(tenant.desired.join(file.as_str().unwrap())).unwrap();
        let live: Vec<u8> = serde_json::from_value(streams[stream]["data"].clone())
            .map(|b64: String| decode(&b64))
            .unwrap_or_default();
        assert!(
            live == bytes,
            "{name}: branding {stream} differs from {file}"
        );
    }
    for (locale, localization) in branding["localizations"].as_object().into_iter().flatten() {
        let live = stored
            .branding
            .localizations
            .iter()
            .find(|l| l.id.eq_ignore_ascii_case(locale))
            .unwrap_or_else(|| panic!("{name}: no localization {locale}"));
        assert_texts(name, locale, localization, &live.properties);
    }
}

/// Every text (string value) the files set is the tenant's.
fn assert_texts(name: &str, what: &str, desired: &Value, live: &serde_json::Map<String, Value>) {
    for (key, value) in desired.as_object().unwrap() {
        if let Value::String(text) = value {
            assert_eq!(
                live.get(key).and_then(Value::as_str),
                Some(text.as_str()),
                "{name}: {what}.{key}"
            );
        }
    }
}

/// Standard base64, as the emulator's state stores stream bytes.
fn decode(b64: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

/// The configuration's part as the JSON of the files' keys (`Located<T>` serializes as `T`).
fn json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Sends `body` to `path` (under `/v1.0`) with `method` through Graph, as an admin in the portal
/// would.
async fn by_hand(tenant: &Tenant, method: reqwest::Method, path: &str, body: Value) {
    let http = client();
    let env: BTreeMap<&str, &str> = borrowed(&tenant.env).into_iter().collect();
    let token = client_credentials_token(
        &http,
        tenant.emulator.base_url(),
        tenant.emulator.tenant_id(),
        (env["AZURE_CLIENT_ID"], env["AZURE_CLIENT_SECRET"]),
        "https://graph.microsoft.com/.default",
    )
    .await;
    let response = http
        .request(method, format!("{}/v1.0{path}", tenant.emulator.base_url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
}

fn scenario(name: &str) -> PathBuf {
    scenarios()
        .into_iter()
        .find(|(found, _)| found == name)
        .unwrap()
        .1
}

/// `plan --out` into `dir`; the saved plan's path.
async fn save_plan(tenant: &Tenant, dir: &Path) -> PathBuf {
    let path = dir.join("plan.json");
    let output = tenant.run(&["plan", "--out", path.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    path
}

/// Applies the saved plan `path` and checks that it is refused with `reason` on stderr and
/// that the tenant is left exactly as it was.
async fn assert_refused(tenant: &Tenant, path: &Path, reason: &str) {
    let before = tenant.emulator.state();
    let output = tenant.run(&["apply", path.to_str().unwrap()]).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(reason), "expected `{reason}` in:\n{stderr}");
    assert!(stderr.contains("nothing was applied"), "{stderr}");
    assert_eq!(tenant.emulator.state(), before, "the tenant changed");
}

/// Rewrites the saved plan `path` with `edit`.
fn edit_plan(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut plan: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut plan);
    std::fs::write(path, serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_saved_plan_applies_without_asking_and_a_stale_one_names_what_changed() {
    let tenant = Tenant::seeded(&scenario("page-reorder"), Faults::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let saved = save_plan(&tenant, dir.path()).await;
    let flow_id = tenant.emulator.state()["flows"][0]["object"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    by_hand(
        &tenant,
        reqwest::Method::PATCH,
        &format!("/identity/authenticationEventsFlows/{flow_id}"),
        serde_json::json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "description": "Edited in the admin center",
        }),
    )
    .await;

    assert_refused(
        &tenant,
        &saved,
        "user flow \"Woodgrove customers\" was changed in the tenant since the plan was made",
    )
    .await;

    let fresh = save_plan(&tenant, dir.path()).await;
    let output = tenant.run(&["apply", fresh.to_str().unwrap()]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("Verified: the tenant now matches the configuration."),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(changes(&tenant.plan().await), []);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_for_another_tenant_other_files_another_format_or_edited_by_hand_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A copy of the scenario's files, to change one after planning.
    let desired = dir.path().join("desired");
    std::fs::create_dir(&desired).unwrap();
    let source = scenario("page-reorder").join("desired/tenant.yaml");
    let yaml = std::fs::read_to_string(&source).unwrap();
    std::fs::write(desired.join("tenant.yaml"), &yaml).unwrap();
    let mut tenant = Tenant::seeded(&scenario("page-reorder"), Faults::default()).await;
    tenant.desired = desired.clone();
    let saved = save_plan(&tenant, dir.path()).await;
    let pristine = std::fs::read(&saved).unwrap();

    edit_plan(&saved, |plan| {
        plan["tenant_id"] = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f".into();
    });
    assert_refused(
        &tenant,
        &saved,
        "the plan was made for tenant 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f, but this run is \
         connected to tenant",
    )
    .await;

    std::fs::write(&saved, &pristine).unwrap();
    edit_plan(&saved, |plan| plan["format_version"] = 2.into());
    assert_refused(&tenant, &saved, "the plan file has format version 2").await;

    std::fs::write(&saved, &pristine).unwrap();
    edit_plan(&saved, |plan| {
        let body = plan["changes"][0]["requests"][0]["body"]
            .as_object_mut()
            .unwrap();
        body.insert("description".to_owned(), "Slipped into the plan".into());
    });
    assert_refused(&tenant, &saved, "the plan file was edited").await;

    std::fs::write(&saved, &pristine).unwrap();
    std::fs::write(
        desired.join("tenant.yaml"),
        yaml.replace(
            "userFlows:",
            "userFlows:\n  - name: Added after planning\n    identityProviders: [EmailPassword]",
        ),
    )
    .unwrap();
    assert_refused(
        &tenant,
        &saved,
        "the configuration or its asset files changed since the plan was made",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_apply_needs_auto_approve_and_unsafe_changes_need_allow_unsafe() {
    let tenant = Tenant::seeded(&scenario("unsafe-flow-delete"), Faults::default()).await;
    let before = tenant.emulator.state();

    // Unsafe changes are refused before confirmation is asked for, so that a `yes` typed at
    // a terminal is never answered with a refusal.
    let output = tenant.run(&["apply"]).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unsafe change"), "{stderr}");
    assert!(!stderr.contains("--auto-approve"), "{stderr}");
    assert_eq!(tenant.emulator.state(), before);

    let output = tenant.run(&["apply", "--allow-unsafe"]).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("pass --auto-approve"), "{stderr}");
    assert_eq!(tenant.emulator.state(), before);

    let output = tenant.run(&["apply", "--auto-approve"]).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unsafe change"), "{stderr}");
    assert!(stderr.contains("--allow-unsafe"), "{stderr}");
    assert_eq!(tenant.emulator.state(), before);

    let output = tenant.apply(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_change_fails_what_needs_it_is_skipped_the_rest_applies_and_a_rerun_finishes() {
    // Providers may be read, not written: creating Google is refused (403).
    let mut roles: Vec<&str> = ciamctl_emulator::ALL_ROLES
        .iter()
        .copied()
        .filter(|role| *role != "IdentityProvider.ReadWrite.All")
        .collect();
    roles.push("IdentityProvider.Read.All");
    let (emulator, mut env) = with_a_client_holding(&roles).await;
    env.push(("GOOGLE_CLIENT_SECRET", "env-google-secret-b81f".to_owned()));
    let output = on_woodgrove(&["apply", "--auto-approve"], &borrowed(&env)).await;
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let start = stdout
        .find("Plan:")
        .unwrap_or_else(|| panic!("{stdout}{}", text(&output.stderr)));
    let report = &stdout[start..];
    insta::with_settings!({filters => vec![
        (r"\d+\.\d\d s", "[time] s"),
        (r"request-id [0-9a-f-]{36}", "request-id [id]"),
    ]}, {
        insta::assert_snapshot!(report);
    });
    assert!(!stdout.contains("env-google-secret-b81f"));

    // With a credential that may write providers, the next run finishes the job.
    env.retain(|(name, _)| !name.starts_with("AZURE_CLIENT"));
    env.push((
        "AZURE_CLIENT_ID",
        ciamctl_emulator::DEFAULT_CLIENT_ID.to_owned(),
    ));
    env.push((
        "AZURE_CLIENT_SECRET",
        ciamctl_emulator::DEFAULT_CLIENT_SECRET.to_owned(),
    ));
    let output = on_woodgrove(&["apply", "--auto-approve"], &borrowed(&env)).await;
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("+ create identity provider \"Google\": applied"),
        "{stdout}"
    );
    assert!(!stdout.contains("attribute \"LoyaltyNumber\""), "{stdout}");
    drop(emulator);
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_at_the_most_verbose_log_level_shows_no_secret() {
    let tenant = Tenant::seeded(&scenario("secrets"), Faults::default()).await;
    let output = tenant.apply(&["--rotate-secrets", "-vvv"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let everything = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(everything.contains("TRACE") || everything.contains("DEBUG"));
    for (_, secret) in SECRETS {
        assert!(!everything.contains(secret), "a secret leaked");
    }
    assert!(!everything.contains(ciamctl_emulator::DEFAULT_CLIENT_SECRET));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_that_cannot_be_read_stops_the_run_before_anything_is_sent() {
    let mut tenant = Tenant::seeded(&scenario("empty-tenant"), Faults::default()).await;
    tenant
        .env
        .retain(|(name, _)| *name != "GOOGLE_CLIENT_SECRET");
    let before = tenant.emulator.state();

    let output = tenant.apply(&[]).await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "nothing was applied: step 3 (create identity provider \"Google\"): cannot read the \
             secret for `/clientSecret` from ${env:GOOGLE_CLIENT_SECRET}: environment variable \
             `GOOGLE_CLIENT_SECRET` is not set"
        ),
        "{stderr}"
    );
    assert_eq!(tenant.emulator.state(), before, "the tenant changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_that_answers_a_patch_without_applying_it_is_reported_as_not_converged() {
    let tenant = Tenant::seeded(
        &scenario("page-reorder"),
        Faults {
            ignored_patch_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;

    let output = tenant.apply(&[]).await;

    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Apply complete: 1 change applied"),
        "{stdout}"
    );
    assert!(!stdout.contains("Verified"), "{stdout}");
    assert!(
        stderr.contains("error: did not converge: the tenant still differs from the configuration"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  - update user flow \"Woodgrove customers\": page.inputs["),
        "{stderr}"
    );
}
