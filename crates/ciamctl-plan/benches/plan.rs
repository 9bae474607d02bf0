//! Planning a 1,000-object configuration against a live snapshot: how long the pure planner
//! takes, with nothing else measured (the configuration is loaded and the snapshot parsed
//! before the clock starts). `cargo bench -p ciamctl-plan` prints the figures.
//!
//! The configuration has 300 custom attributes, 100 OIDC providers, 500 user flows (each with
//! two providers, three page inputs and an application) and 100 localizations: 1,000 objects.
//! The snapshot has the same objects with a tenth of them changed, and 30 objects the files
//! do not mention, so the plan exercises matching, field diffs, link sets, ordering and the
//! unmanaged list.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ciamctl_live::{
    Application, Branding, CustomExtension, FromGraph as _, IdentityProvider, Known, LiveTenant,
    Localization, UserFlow, UserFlowAttribute, parse_collection,
};
use ciamctl_plan::{DesiredAssets, Inputs, PlanOptions};
use serde_json::{Value, json};

const ATTRIBUTES: usize = 300;
const PROVIDERS: usize = 100;
const FLOWS: usize = 500;
const LOCALES: usize = 100;
const RUNS: usize = 30;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tenant.yaml"), configuration()).unwrap();
    let loaded = ciamctl_model::load(dir.path(), None);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics());
    let config = loaded.config().unwrap().clone();
    let live = snapshot();
    let assets = DesiredAssets::default();
    let inputs = Inputs {
        config: &config,
        live: &live,
        assets: &assets,
        options: PlanOptions::default(),
        ciamctl_version: "bench",
    };

    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut plan = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        plan = Some(std::hint::black_box(ciamctl_plan::plan(&inputs).unwrap()));
        times.push(start.elapsed());
    }
    times.sort();
    let plan = plan.unwrap();
    let objects = config.attributes.len()
        + config.identity_providers.len()
        + config.user_flows.len()
        + config
            .branding
            .as_ref()
            .map_or(0, |b| b.localizations.len());
    println!("plan of a {objects}-object configuration against a snapshot ({RUNS} runs)");
    println!(
        "  changes: {} ({} create, {} update, {} delete), {} unmanaged, {} requests",
        plan.changes.len(),
        plan.summary.create,
        plan.summary.update,
        plan.summary.delete,
        plan.summary.unmanaged,
        plan.changes.iter().map(|c| c.requests.len()).sum::<usize>()
    );
    println!(
        "  time: min {:.2} ms, median {:.2} ms, max {:.2} ms",
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn configuration() -> String {
    let mut yaml = String::from("attributes:\n");
    for i in 0..ATTRIBUTES {
        let _ = writeln!(
            yaml,
            "  - name: Attr{i}\n    dataType: string\n    description: Attribute {i}"
        );
    }
    yaml.push_str("identityProviders:\n");
    for i in 0..PROVIDERS {
        let _ = writeln!(
            yaml,
            "  - name: Idp{i}\n    type: oidc\n    clientId: client-{i}\n    issuer: https://idp{i}.example.com/\n    scope: openid profile\n    clientAuthentication:\n      type: privateJwtKey"
        );
    }
    yaml.push_str("userFlows:\n");
    for i in 0..FLOWS {
        let _ = writeln!(
            yaml,
            "  - name: Flow{i}\n    description: Flow {i}\n    identityProviders: [EmailPassword, Idp{}]\n    applications: [\"{}\"]\n    page:\n      inputs:\n        - attribute: email\n        - attribute: displayName\n        - attribute: Attr{}",
            i % PROVIDERS,
            app_id(i),
            i % ATTRIBUTES
        );
    }
    yaml.push_str("branding:\n  signInPageText: Welcome\n  localizations:\n");
    for i in 0..LOCALES {
        let _ = writeln!(
            yaml,
            "    {}:\n      signInPageText: Welcome {i}",
            locale(i)
        );
    }
    yaml
}

/// A distinct well-formed locale per `i`: two letters, then a region.
fn locale(i: usize) -> String {
    let letter = |n: usize| char::from(b'a' + u8::try_from(n % 26).unwrap());
    format!("{}{}-US", letter(i / 26), letter(i))
}

fn app_id(i: usize) -> String {
    format!("00000000-0000-0000-0000-{i:012}")
}

/// The same objects as the configuration, every tenth one changed, plus 30 unmanaged ones.
fn snapshot() -> LiveTenant {
    let attribute_id = |i: usize| format!("extension_0123456789abcdef0123456789abcdef_Attr{i}");
    let attributes: Vec<Value> = (0..ATTRIBUTES + 10)
        .map(|i| {
            let description = if i % 10 == 0 { "old".to_owned() } else { format!("Attribute {i}") };
            json!({ "id": attribute_id(i), "displayName": format!("Attr{i}"), "description": description,
                    "userFlowAttributeType": "custom", "dataType": "string" })
        })
        .collect();
    let providers: Vec<Value> = (0..PROVIDERS + 10)
        .map(|i| {
            let scope = if i % 10 == 0 { "openid" } else { "openid profile" };
            json!({ "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": format!("idp-{i}"),
                    "displayName": format!("Idp{i}"), "clientId": format!("client-{i}"),
                    "issuer": format!("https://idp{i}.example.com/"), "scope": scope, "responseType": "code",
                    "clientAuthentication": { "@odata.type": "#microsoft.graph.oidcPrivateJwtKeyClientAuthentication" } })
        })
        .collect();
    let flows: Vec<Value> = (0..FLOWS + 10)
        .map(|i| {
            let inputs = json!([
                { "attribute": "email", "label": "Email Address", "inputType": "text" },
                { "attribute": "displayName", "label": "Display Name", "inputType": "text" },
                { "attribute": attribute_id(i % ATTRIBUTES), "label": format!("Attr{}", i % ATTRIBUTES), "inputType": "text" }
            ]);
            let description = if i % 10 == 0 { "changed by hand".to_owned() } else { format!("Flow {i}") };
            json!({ "id": format!("flow-{i}"), "displayName": format!("Flow{i}"), "description": description,
                    "conditions": { "applications": { "includeApplications": [ { "appId": app_id(i) } ] } },
                    "onInteractiveAuthFlowStart": { "isSignUpAllowed": true },
                    "onAuthenticationMethodLoadStart": { "identityProviders": [
                        { "id": "EmailPassword-OAUTH", "identityProviderType": "EmailPassword" },
                        { "id": format!("idp-{}", i % PROVIDERS) } ] },
                    "onAttributeCollection": {
                        "attributes": [ { "id": "email" }, { "id": "displayName" }, { "id": attribute_id(i % ATTRIBUTES) } ],
                        "attributeCollectionPage": { "views": [ { "inputs": inputs } ] } },
                    "onUserCreateStart": { "userTypeToCreate": "member" } })
        })
        .collect();
    let applications: Vec<Value> = (0..FLOWS + 10)
        .map(|i| json!({ "id": format!("object-{i}"), "appId": app_id(i), "displayName": format!("App {i}") }))
        .collect();
    let localizations: Vec<Value> = (0..LOCALES + 10)
        .map(|i| json!({ "id": locale(i), "signInPageText": format!("Welcome {i}") }))
        .collect();
    LiveTenant {
        tenant_id: "11111111-2222-3333-4444-555555555555".to_owned(),
        organization: Known::unknown("GET /organization", "not read by the benchmark"),
        user_flows: Known::Known(parse_collection::<UserFlow>(&flows).unwrap()),
        attributes: Known::Known(parse_collection::<UserFlowAttribute>(&attributes).unwrap()),
        identity_providers: Known::Known(parse_collection::<IdentityProvider>(&providers).unwrap()),
        custom_extensions: Known::Known(parse_collection::<CustomExtension>(&[]).unwrap()),
        applications: Known::Known(parse_collection::<Application>(&applications).unwrap()),
        branding: Known::Known(Some(
            Branding::from_graph(&json!({ "id": "0", "signInPageText": "Welcome" })).unwrap(),
        )),
        localizations: Known::Known(parse_collection::<Localization>(&localizations).unwrap()),
    }
}
