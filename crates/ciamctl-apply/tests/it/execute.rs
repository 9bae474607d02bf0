//! The applier against the in-process emulator: a refusal fails its change and skips what
//! depends on it while the rest applies; lost answers to creates never duplicate an object;
//! a 404 on an object the run just created is waited out; and the run's request counts.
//! Plans the planner would not make (a step naming the id of a step that created nothing,
//! steps waiting for each other) fail the changes concerned, never silently.
//!
//! The other tests plan with the real planner from a configuration directory written to a
//! temporary folder, read the tenant with `ciamctl-tenant`, and run `prepare` and `apply`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ciamctl_apply::{ChangeResult, Options, Report};
use ciamctl_emulator::{EmulatorConfig, Faults, Throttle};
use ciamctl_graph::{ClientOptions, Request};
use ciamctl_plan::{Action, Kind, Plan};
use serde_json::{Value, json};

use crate::support::{SECRET, Tenant, config};

fn result_of<'r>(report: &'r Report, kind: Kind, name: &str) -> &'r ChangeResult {
    &report
        .changes
        .iter()
        .find(|c| c.kind == kind && c.name == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {report:#?}"))
        .result
}

fn change_id(plan: &Plan, kind: Kind, name: &str) -> u32 {
    plan.changes
        .iter()
        .find(|c| c.kind == kind && c.name == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in the plan"))
        .id
}

/// A provider, the flow that offers it, and an attribute with the flow that collects it.
const PROVIDER_AND_FLOWS: &str = r"
attributes:
  - name: ShoeSize
    dataType: int64
identityProviders:
  - name: Google
    type: google
    clientId: google-client
    clientSecret: ${env:GOOGLE_SECRET}
userFlows:
  - name: Woodgrove customers
    identityProviders: [EmailPassword, Google]
    applications: [Woodgrove Web]
  - name: Woodgrove partners
    identityProviders: [EmailOtp]
    applications: [Woodgrove Partner Portal]
    page:
      inputs:
        - attribute: ShoeSize
";

#[tokio::test]
async fn a_refused_create_fails_with_graphs_error_skips_its_dependents_and_the_rest_applies() {
    let tenant = Tenant::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), PROVIDER_AND_FLOWS);
    let plan = tenant.plan(&config).await;
    let google = change_id(&plan, Kind::IdentityProvider, "Google");

    // While the plan waits for review, someone adds Google in the admin center under another
    // name: a tenant has one provider per social type, so Graph refuses the plan's create.
    tenant
        .send(Request::post("/identity/identityProviders").json(json!({
            "@odata.type": "#microsoft.graph.socialIdentityProvider",
            "displayName": "Google (admin center)",
            "identityProviderType": "Google",
            "clientId": "someone-elses-client",
            "clientSecret": "someone-elses-secret"
        })))
        .await;
    let report = tenant.apply(&plan, &config, &Options::default()).await;

    let ChangeResult::Failed(failures) = result_of(&report, Kind::IdentityProvider, "Google")
    else {
        panic!("{report:#?}");
    };
    let [failure] = failures.as_slice() else {
        panic!("{failures:#?}");
    };
    assert!(
        failure
            .error
            .starts_with("POST /v1.0/identity/identityProviders failed: 400 invalidRequest: "),
        "{failure:#?}"
    );
    assert!(failure.error.contains("already has this identity provider"));
    assert_eq!(
        result_of(&report, Kind::UserFlow, "Woodgrove customers"),
        &ChangeResult::Skipped {
            waited_for: vec![google],
            applied_steps: 0,
        }
    );
    assert_eq!(
        result_of(&report, Kind::Attribute, "ShoeSize"),
        &ChangeResult::Applied
    );
    assert_eq!(
        result_of(&report, Kind::UserFlow, "Woodgrove partners"),
        &ChangeResult::Applied
    );
    assert_eq!(report.changes.len(), plan.changes.len());
    assert!(!report.is_success());
    let mut summary = Vec::new();
    ciamctl_apply::report::write(&mut summary, &report, false).unwrap();
    let summary = String::from_utf8(summary).unwrap();
    assert!(
        summary.contains(
            "Skipped: create user flow \"Woodgrove customers\", as it needs create identity \
             provider \"Google\""
        ),
        "{summary}"
    );
    assert!(!summary.contains(SECRET), "{summary}");

    // The cause removed, planning and applying again finishes the job.
    tenant
        .client
        .send(Request::delete("/identity/identityProviders/Google-OAUTH"))
        .await
        .unwrap();
    let rest = tenant.plan(&config).await;
    let mut left: Vec<(Action, Kind, &str)> = rest
        .changes
        .iter()
        .map(|c| (c.action, c.kind, c.name.as_str()))
        .collect();
    left.sort_unstable();
    assert_eq!(
        left,
        [
            (Action::Create, Kind::IdentityProvider, "Google"),
            (Action::Create, Kind::UserFlow, "Woodgrove customers"),
        ]
    );
    let report = tenant.apply(&rest, &config, &Options::default()).await;
    assert!(report.is_success(), "{report:#?}");
    let again = tenant.plan(&config).await;
    assert!(again.changes.is_empty(), "{:#?}", again.changes);
}

/// A start: two flows, one attribute, the default branding.
const BASE: &str = r"
attributes:
  - name: LoyaltyNumber
    dataType: string
userFlows:
  - name: Woodgrove customers
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: email
        - attribute: LoyaltyNumber
  - name: Woodgrove partners
    signUp: false
    identityProviders: [EmailOtp]
branding:
  signInPageText: Welcome
";

/// [`BASE`] grown: every kind of create (attributes, a provider, a flow with applications,
/// localizations) and of link (providers and attributes by `$ref`, applications by appId).
const GROWN: &str = r"
attributes:
  - name: LoyaltyNumber
    dataType: string
  - name: Newsletter
    dataType: boolean
  - name: ShoeSize
    dataType: int64
identityProviders:
  - name: Google
    type: google
    clientId: google-client
    clientSecret: ${env:GOOGLE_SECRET}
userFlows:
  - name: Woodgrove customers
    identityProviders: [EmailPassword, Google]
    applications: [Woodgrove Web]
    page:
      inputs:
        - attribute: email
        - attribute: LoyaltyNumber
        - attribute: Newsletter
  - name: Woodgrove partners
    signUp: false
    identityProviders: [EmailOtp, Google]
    applications: [Woodgrove Partner Portal]
    page:
      inputs:
        - attribute: ShoeSize
  - name: Woodgrove mobile
    identityProviders: [EmailOtp]
    applications: [Woodgrove Mobile]
branding:
  signInPageText: Welcome
  localizations:
    fr-FR:
      signInPageText: Bienvenue
    nl-NL:
      signInPageText: Welkom
    de-DE:
      signInPageText: Willkommen
";

/// The values at `pointer` in each item of the list `key` of the emulator's state.
fn names(state: &Value, key: &str, pointer: &str) -> Vec<String> {
    let list = state
        .pointer(key)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no {key} in the state"));
    list.iter()
        .map(|item| {
            item.pointer(pointer)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no {pointer} in {item}"))
                .to_lowercase()
        })
        .collect()
}

fn assert_unique(what: &str, mut names: Vec<String>) {
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "duplicate {what}: {names:?}");
}

/// The POSTs the emulator committed and then answered with a failure, from its journal.
fn committed_then_failed_posts(journal: &Path) -> usize {
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|entry| {
            entry["method"] == "POST"
                && entry["path"]
                    .as_str()
                    .is_some_and(|p| !p.ends_with("$batch"))
                && entry["fault"]
                    .as_str()
                    .is_some_and(|fault| fault.starts_with("CommitThen"))
        })
        .count()
}

/// What growing [`BASE`] into [`GROWN`] under `faults` left: the emulator's state, and for
/// each run the notes of its changes.
struct Grown {
    state: Value,
    notes: Vec<String>,
    /// The creates Graph committed and then answered with a failure.
    lost_creates: usize,
}

/// Applies [`BASE`], then plans and applies [`GROWN`] under `faults` until the plan is empty
/// (at most 5 runs), and checks that the tenant holds no object twice.
async fn grow_under(faults: Faults) -> Grown {
    let seed = faults.seed;
    let folder = tempfile::tempdir().unwrap();
    let journal: PathBuf = folder.path().join("journal.jsonl");
    let tenant = Tenant::start_with(
        EmulatorConfig {
            journal: Some(journal.clone()),
            ..EmulatorConfig::default()
        },
        ClientOptions::default(),
    )
    .await;
    let base = tempfile::tempdir().unwrap();
    tenant.converge(&config(base.path(), BASE)).await;
    tenant.emulator.set_faults(faults).unwrap();
    let lost_before = committed_then_failed_posts(&journal);

    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), GROWN);
    let mut notes = Vec::new();
    let mut runs = 0;
    loop {
        let plan = tenant.plan(&config).await;
        if plan.changes.is_empty() {
            break;
        }
        runs += 1;
        assert!(runs <= 5, "seed {seed}: still not converged after 5 runs");
        let report = tenant.apply(&plan, &config, &Options::default()).await;
        for change in report.changes {
            notes.extend(change.notes);
        }
    }

    let state = tenant.emulator.state();
    assert_unique("flows", names(&state, "/flows", "/object/displayName"));
    assert_unique(
        "attributes",
        names(&state, "/userFlowAttributes", "/displayName"),
    );
    assert_unique(
        "identity providers",
        names(&state, "/identityProviders", "/displayName"),
    );
    // Nothing lost either: the converged plan is empty, and here is what that means.
    let mut locales = names(&state, "/branding/localizations", "/id");
    locales.sort();
    assert_eq!(locales, ["de-de", "fr-fr", "nl-nl"], "seed {seed}");
    let linked: Vec<String> = state["flows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|flow| flow["applications"].as_array().unwrap().clone())
        .map(|app| app.as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(linked.len(), 3, "seed {seed}: {linked:?}");
    assert_unique("application links", linked);
    Grown {
        state,
        notes,
        lost_creates: committed_then_failed_posts(&journal) - lost_before,
    }
}

/// The notes saying a create was found by its lookup. Each names the POST, and there is one
/// for every create Graph committed without saying so (its last attempt's too).
fn found_by_lookup(grown: &Grown, seed: u64) -> usize {
    let found: Vec<&String> = grown
        .notes
        .iter()
        .filter(|n| n.contains("what it creates is in the tenant"))
        .collect();
    assert_eq!(
        found.len(),
        grown.lost_creates,
        "seed {seed}: {:#?}",
        grown.notes
    );
    assert!(found.iter().all(|n| n.starts_with("POST /")), "{found:#?}");
    found.len()
}

#[tokio::test]
async fn lost_answers_to_writes_converge_in_a_few_runs_without_duplicates() {
    let mut found = 0;
    for seed in [1, 2, 3, 4] {
        let grown = grow_under(Faults {
            seed,
            commit_then_fail_rate: 0.5,
            ..Faults::default()
        })
        .await;
        found += found_by_lookup(&grown, seed);
    }
    // With half the writes' answers lost, some creates were lost in four runs.
    assert!(found > 0);
}

#[tokio::test]
async fn failures_lost_answers_and_throttling_together_converge_without_duplicates() {
    for seed in [11, 25, 30] {
        let grown = grow_under(Faults {
            seed,
            commit_then_fail_rate: 0.3,
            fail_rate: 0.1,
            throttle: Some(Throttle::new(30, 0.5).unwrap()),
            ..Faults::default()
        })
        .await;
        found_by_lookup(&grown, seed);
        assert_eq!(
            grown.state["flows"].as_array().unwrap().len(),
            3,
            "seed {seed}"
        );
    }
}

/// A new flow whose submit handler calls an extension: the planner creates the flow, then
/// attaches the extension with requests to the new flow's path (`{{N.id}}`).
const FLOW_WITH_EXTENSION: &str = r"
userFlows:
  - name: Woodgrove customers
    identityProviders: [EmailPassword]
    applications: [Woodgrove Web]
    onAttributeCollectionSubmit:
      extension: Validate
      timeoutInMilliseconds: 2000
      maximumRetries: 1
    page:
      inputs:
        - attribute: email
";

/// Plans [`FLOW_WITH_EXTENSION`] on a tenant that hides new objects from writes for 300 ms,
/// and applies it with `options`.
async fn apply_to_a_lagging_tenant(options: &Options) -> (Tenant, Report) {
    let tenant = Tenant::start().await;
    tenant.add_extension().await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), FLOW_WITH_EXTENSION);
    let plan = tenant.plan(&config).await;
    let [flow] = plan.changes.as_slice() else {
        panic!("{:#?}", plan.changes);
    };
    let post = &flow.requests[0];
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/identity/authenticationEventsFlows")
    );
    let on_new_flow = format!(
        "/identity/authenticationEventsFlows/{{{{{}.id}}}}",
        post.step
    );
    assert!(
        flow.requests[1..]
            .iter()
            .any(|r| r.path.starts_with(&on_new_flow)),
        "{:#?}",
        flow.requests
    );
    tenant
        .emulator
        .set_faults(Faults {
            consistency_delay_ms: 300,
            consistency_writes: true,
            ..Faults::default()
        })
        .unwrap();
    let report = tenant.apply(&plan, &config, options).await;
    (tenant, report)
}

#[tokio::test]
async fn a_404_on_an_object_the_run_created_is_retried_until_graph_has_it() {
    let options = Options {
        not_found_delay: Duration::from_millis(50),
        ..Options::default()
    };
    let (tenant, report) = apply_to_a_lagging_tenant(&options).await;
    assert!(report.is_success(), "{report:#?}");
    let hidden = tenant.emulator.stats().faults_injected["EventualConsistency404"];
    assert!(hidden > 0);
    // Nothing left to do once Graph shows the flow everywhere.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dir = tempfile::tempdir().unwrap();
    let again = tenant.plan(&config(dir.path(), FLOW_WITH_EXTENSION)).await;
    assert!(again.changes.is_empty(), "{:#?}", again.changes);
}

#[tokio::test]
async fn without_retries_a_404_on_an_object_the_run_created_fails_the_change() {
    let options = Options {
        not_found_retries: 0,
        ..Options::default()
    };
    let (_tenant, report) = apply_to_a_lagging_tenant(&options).await;
    let ChangeResult::Failed(failures) = result_of(&report, Kind::UserFlow, "Woodgrove customers")
    else {
        panic!("{report:#?}");
    };
    assert!(
        failures
            .iter()
            .all(|f| f.error.contains("failed: 404 Request_ResourceNotFound")),
        "{failures:#?}"
    );
}

/// Three attributes: three creates that go out in the same round.
const ATTRIBUTES: &str = r"
attributes:
  - name: LoyaltyNumber
    dataType: string
  - name: Newsletter
    dataType: boolean
  - name: ShoeSize
    dataType: int64
";

async fn stats_of_a_run(options: ClientOptions) -> (Report, BTreeMap<String, u64>) {
    let tenant = Tenant::start_with(EmulatorConfig::default(), options).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), ATTRIBUTES);
    let plan = tenant.plan(&config).await;
    assert_eq!(plan.changes.len(), 3);
    let before = tenant.emulator.stats().by_method;
    let report = tenant.apply(&plan, &config, &Options::default()).await;
    assert!(report.is_success(), "{report:#?}");
    let mut posts = tenant.emulator.stats().by_method;
    for (method, count) in before {
        *posts.entry(method).or_default() -= count;
    }
    (report, posts)
}

#[tokio::test]
async fn the_report_counts_the_batches_a_run_used() {
    let (report, _) = stats_of_a_run(ClientOptions::default()).await;
    assert_eq!(report.stats.batch_requests, 1, "{:#?}", report.stats);
    assert_eq!(report.stats.batch_items, 3, "{:#?}", report.stats);
    assert_eq!(report.stats.http_requests, 1, "{:#?}", report.stats);
    assert_eq!(report.stats.round_trips, 1, "{:#?}", report.stats);
}

#[tokio::test]
async fn without_batching_the_report_counts_one_request_per_write() {
    let (report, by_method) = stats_of_a_run(ClientOptions {
        batch: false,
        ..ClientOptions::default()
    })
    .await;
    assert_eq!(report.stats.batch_requests, 0, "{:#?}", report.stats);
    assert_eq!(report.stats.batch_items, 0, "{:#?}", report.stats);
    assert_eq!(report.stats.http_requests, 3, "{:#?}", report.stats);
    assert_eq!(by_method.get("POST"), Some(&3));
}

/// A plan written by hand rather than by the planner: `changes` of `(id, kind, name,
/// requests)`, each request `(method, path, body, depends_on)`, steps numbered in order.
fn hand_made_plan(tenant: &Tenant, changes: &[(u32, &str, &str, Vec<Value>)]) -> Plan {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(id, kind, name, requests)| {
            json!({
                "id": id, "action": "create", "kind": kind, "name": name,
                "fields": [], "depends_on": [], "requests": requests,
            })
        })
        .collect();
    serde_json::from_value(json!({
        "format_version": ciamctl_plan::FORMAT_VERSION,
        "ciamctl_version": "0.0.0-test",
        "tenant_id": tenant.emulator.tenant_id(),
        "config_digest": "",
        "options": { "rotate_secrets": false },
        "summary": {
            "in_sync": false, "create": 0, "update": 0, "delete": 0, "unsafe_changes": 0,
            "unmanaged": 0, "kinds": [],
        },
        "changes": changes,
        "unmanaged": [],
        "live": [],
    }))
    .unwrap()
}

fn attribute_post(step: u32, name: &str, depends_on: &[u32]) -> Value {
    json!({
        "step": step, "method": "POST", "api": "v1.0", "path": "/identity/userFlowAttributes",
        "body": { "displayName": name, "dataType": "string" }, "depends_on": depends_on,
    })
}

#[tokio::test]
async fn a_step_naming_the_id_of_a_step_that_created_nothing_fails_and_says_so() {
    let tenant = Tenant::start().await;
    let branding = format!("/organization/{}/branding", tenant.emulator.tenant_id());
    let patch = json!({
        "step": 1, "method": "PATCH", "api": "v1.0", "path": branding,
        "headers": { "Accept-Language": "0" }, "body": { "signInPageText": "Welcome" },
        "depends_on": [],
    });
    let plan = hand_made_plan(
        &tenant,
        &[
            (1, "branding", "default", vec![patch]),
            (
                2,
                "attribute",
                "ShoeSize",
                vec![attribute_post(2, "Shoe{{1.id}}", &[1])],
            ),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let report = tenant
        .apply(&plan, &config(dir.path(), ""), &Options::default())
        .await;
    assert_eq!(
        result_of(&report, Kind::Branding, "default"),
        &ChangeResult::Applied
    );
    let ChangeResult::Failed(failures) = result_of(&report, Kind::Attribute, "ShoeSize") else {
        panic!("{report:#?}");
    };
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert_eq!(failures[0].step, 2);
    assert!(
        failures[0]
            .error
            .contains("step 1 gave no id for this request to refer to"),
        "{failures:#?}"
    );
    let attributes = names(
        &tenant.emulator.state(),
        "/userFlowAttributes",
        "/displayName",
    );
    assert!(
        !attributes.iter().any(|name| name.starts_with("shoe")),
        "{attributes:?}"
    );
}

#[tokio::test]
async fn steps_that_wait_for_each_other_fail_instead_of_vanishing_from_the_report() {
    let tenant = Tenant::start().await;
    let plan = hand_made_plan(
        &tenant,
        &[
            (
                1,
                "attribute",
                "Plain",
                vec![attribute_post(1, "Plain", &[])],
            ),
            (
                2,
                "attribute",
                "Chicken",
                vec![attribute_post(2, "Chicken", &[3])],
            ),
            (3, "attribute", "Egg", vec![attribute_post(3, "Egg", &[2])]),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let report = tenant
        .apply(&plan, &config(dir.path(), ""), &Options::default())
        .await;
    assert!(!report.is_success(), "{report:#?}");
    assert_eq!(report.changes.len(), 3, "{report:#?}");
    assert_eq!(
        result_of(&report, Kind::Attribute, "Plain"),
        &ChangeResult::Applied
    );
    for (name, other) in [("Chicken", 3), ("Egg", 2)] {
        let ChangeResult::Failed(failures) = result_of(&report, Kind::Attribute, name) else {
            panic!("{report:#?}");
        };
        assert!(
            failures[0]
                .error
                .starts_with(&format!("was never sent: it waits for step {other}, ")),
            "{failures:#?}"
        );
    }
    let attributes = names(
        &tenant.emulator.state(),
        "/userFlowAttributes",
        "/displayName",
    );
    assert!(attributes.contains(&"plain".to_owned()), "{attributes:?}");
    assert!(
        !attributes.contains(&"chicken".to_owned()),
        "{attributes:?}"
    );
}
