//! `ciamctl plan` and `ciamctl apply`, the binary a user runs, against an emulator in this
//! process, with the emulator's counts taken before and after each command.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use ciamctl_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig, Faults, Stats, Tenant,
    Throttle,
};
use ciamctl_graph::{
    Authenticator, ClientOptions, Credential, Endpoints, GraphClient, Read, ReadAnswer, Request,
};
use ciamctl_secret::Secret;
use serde_json::Value;
use tokio::runtime::Runtime;

use crate::synthetic::{ENVIRONMENT, SECRET_VARIABLE, Shape, Version};

/// Graph's identity-and-access write budget per app and tenant: 3,000 writes per 2 min 30 s
/// (REFERENCE.md §12.2). The emulator counts every Graph call against it, reads included, so
/// staying under it is stricter than Graph's write budget. Graph's resource-unit budget (3,500
/// per 10 s for a small tenant, most calls 1 unit) is not modelled: the largest run makes 599
/// calls, below it even at 3 units a call.
const WRITE_BUDGET: (u32, f64) = (3000, 150.0);

/// The flags that make ciamctl send one request at a time, each on its own: what a tool that
/// handles one resource per request does.
const BASELINE_FLAGS: [&str; 3] = ["--no-batch", "--concurrency", "1"];

/// A command measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    /// `plan` of the 10 % change against the tenant holding the base configuration.
    Plan,
    /// `apply` of the base configuration to a tenant holding only the applications.
    ApplyFromEmpty,
    /// `apply` of the 10 % change.
    ApplyChange,
}

impl Step {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Step::Plan => "plan (10 % changed)",
            Step::ApplyFromEmpty => "apply from empty",
            Step::ApplyChange => "apply 10 % change",
        }
    }
}

/// The client settings a command runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mode {
    Default,
    /// `--no-batch --concurrency 1`.
    Baseline,
}

impl Mode {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Mode::Default => "default",
            Mode::Baseline => "--no-batch --concurrency 1",
        }
    }

    fn flags(self) -> &'static [&'static str] {
        match self {
            Mode::Default => &[],
            Mode::Baseline => &BASELINE_FLAGS,
        }
    }
}

/// What a row of the table measures: `ciamctl` with some settings, or the per-object model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Setting {
    Ciamctl(Mode),
    /// [`SyntheticTenant::per_object_read`].
    PerObject,
}

impl Setting {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Setting::Ciamctl(mode) => mode.label(),
            Setting::PerObject => "one GET per object (model)",
        }
    }
}

/// What one command cost, as the emulator saw it, and how long the user waited.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cost {
    /// HTTP requests, the token's included.
    pub(crate) http_requests: u64,
    /// Graph calls: requests and `$batch` items, what Graph's budgets count.
    pub(crate) graph_calls: u64,
    /// The longest chain of requests each sent after the one before it was answered.
    pub(crate) round_trips: u64,
    /// `$batch` requests among the HTTP requests.
    pub(crate) batches: u64,
    /// Graph calls answered 429.
    pub(crate) throttled: u64,
    /// From starting the process to its exit.
    pub(crate) wall: Duration,
}

impl Cost {
    fn between(before: &Stats, after: &Stats, wall: Duration) -> Self {
        let calls =
            |s: &Stats| s.http_requests - s.token_requests - s.batch_requests + s.batch_items;
        Self {
            http_requests: after.http_requests - before.http_requests,
            graph_calls: calls(after) - calls(before),
            round_trips: after.sequential_round_trips - before.sequential_round_trips,
            batches: after.batch_requests - before.batch_requests,
            throttled: after.throttled - before.throttled,
            wall,
        }
    }

    /// Panics when the figures contradict what was measured, so that a broken measurement
    /// (the latency not injected, the settings not applied, the chain miscounted) stops the
    /// bench and its smoke test instead of printing a table: a chain of round trips each held
    /// back `latency_ms` cannot take less than their sum and is no longer than the requests;
    /// requests sent `one_at_a_time` make a chain as long as them, and no `$batch`.
    fn check(&self, what: &str, latency_ms: u64, one_at_a_time: bool) {
        let held_back = Duration::from_millis(latency_ms.saturating_mul(self.round_trips));
        assert!(
            (1..=self.http_requests).contains(&self.round_trips),
            "{what}: {} round trips for {} HTTP requests",
            self.round_trips,
            self.http_requests
        );
        assert!(
            !one_at_a_time || (self.round_trips == self.http_requests && self.batches == 0),
            "{what}: one request at a time, yet {} round trips for {} HTTP requests, {} of \
             them `$batch`",
            self.round_trips,
            self.http_requests,
            self.batches
        );
        assert!(
            self.wall >= held_back,
            "{what}: {} round trips at {latency_ms} ms took only {:?}",
            self.round_trips,
            self.wall
        );
    }
}

/// One line of the table: a command at one size and setting, at each latency.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) flows: usize,
    pub(crate) step: Step,
    pub(crate) setting: Setting,
    /// `(latency in ms, cost)`, in the order of the latencies asked for.
    pub(crate) costs: Vec<(u64, Cost)>,
}

impl Row {
    pub(crate) fn at(&self, latency_ms: u64) -> Option<&Cost> {
        self.costs
            .iter()
            .find(|(latency, _)| *latency == latency_ms)
            .map(|(_, cost)| cost)
    }
}

/// A synthetic tenant on an emulator in this process, and its two configurations on disk.
#[derive(Debug)]
pub(crate) struct SyntheticTenant {
    pub(crate) emulator: Emulator,
    pub(crate) shape: Shape,
    dir: tempfile::TempDir,
}

impl SyntheticTenant {
    /// Starts an emulator holding the applications `shape`'s flows sign in to, and writes the
    /// base and changed configurations for it.
    pub(crate) fn start(runtime: &Runtime, shape: Shape) -> Self {
        let dir = tempfile::tempdir().expect("creating a temporary directory");
        let mut seed = Tenant::fresh(&EmulatorConfig::default());
        shape.add_applications(&mut seed);
        let seed_file = dir.path().join("seed.json");
        std::fs::write(
            &seed_file,
            serde_json::to_vec(&seed).expect("serialising the seed"),
        )
        .expect("writing the seed");
        let emulator = runtime
            .block_on(Emulator::start(EmulatorConfig {
                seed: Some(seed_file),
                ..EmulatorConfig::default()
            }))
            .expect("starting the emulator");
        for version in [Version::Base, Version::Changed] {
            shape.write_config(&config_dir(&dir, version), version, emulator.tenant_id());
        }
        Self {
            emulator,
            shape,
            dir,
        }
    }

    pub(crate) fn config(&self, version: Version) -> PathBuf {
        config_dir(&self.dir, version)
    }

    pub(crate) fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A Graph client of the emulator's own application.
    pub(crate) fn client(&self, options: ClientOptions) -> GraphClient {
        let base = self.emulator.base_url();
        let endpoints = Endpoints::new(base, base).expect("loopback endpoints");
        let credential = Credential::ClientSecret {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            secret: Secret::new(DEFAULT_CLIENT_SECRET.to_owned()),
        };
        let authenticator =
            Authenticator::new(credential, self.emulator.tenant_id(), endpoints.clone());
        GraphClient::new(endpoints, authenticator, options).expect("a Graph client")
    }

    /// How a tool that reads one resource per request would read what the base configuration
    /// manages, at `latency_ms`: Terraform's refresh makes one provider `Read`, one GET, per
    /// resource instance (research/peers.md), and a data source per application it names. One
    /// GET per flow, custom attribute, OIDC provider, localization, application and stream
    /// asset, and the branding, one at a time, after a token. The ids come from list reads
    /// made first and not counted, as such a tool keeps them in its state. Measured in this
    /// process: no process start, no configuration to load, nothing planned.
    pub(crate) fn per_object_read(&self, runtime: &Runtime, latency_ms: u64) -> Cost {
        self.set_faults(0);
        let lists = runtime.block_on(self.client(ClientOptions::default()).read(vec![
            Read::Collection(Request::get("/identity/authenticationEventsFlows")),
            Read::Collection(Request::get("/identity/userFlowAttributes")),
            Read::Collection(Request::get("/identity/identityProviders")),
        ]));
        let mut lists = lists.into_iter().map(|answer| match answer {
            Ok(ReadAnswer::Items(items)) => items,
            other => panic!("listing the tenant: {other:?}"),
        });
        let (flows, attributes, providers) = (
            lists.next().unwrap_or_default(),
            lists.next().unwrap_or_default(),
            lists.next().unwrap_or_default(),
        );
        let id = |item: &Value| item["id"].as_str().unwrap_or_default().to_owned();
        let branding = format!("/organization/{}/branding", self.emulator.tenant_id());
        let mut paths: Vec<String> = flows
            .iter()
            .map(|flow| format!("/identity/authenticationEventsFlows/{}", id(flow)))
            .collect();
        paths.extend(
            attributes
                .iter()
                .filter(|a| a["userFlowAttributeType"] == "custom")
                .map(|a| format!("/identity/userFlowAttributes/{}", id(a))),
        );
        paths.extend(
            providers
                .iter()
                .filter(|p| p["@odata.type"] == "#microsoft.graph.oidcIdentityProvider")
                .map(|p| format!("/identity/identityProviders/{}", id(p))),
        );
        paths.push(branding.clone());
        paths.extend(
            self.shape
                .locales()
                .map(|locale| format!("{branding}/localizations/{locale}")),
        );
        if self.shape.assets {
            paths.extend(
                ["bannerLogo", "customCSS"].map(|s| format!("{branding}/localizations/0/{s}")),
            );
        }
        paths.extend(
            self.shape
                .application_ids()
                .map(|app_id| format!("/applications(appId='{app_id}')")),
        );
        let shape = &self.shape;
        let assets = if shape.assets { 2 } else { 0 };
        assert_eq!(
            paths.len(),
            shape.objects() + shape.flows + 1 + assets,
            "the model must read every managed object, each application and the branding"
        );
        let reads = paths
            .iter()
            .map(|path| {
                // §7: the default branding is asked for with `Accept-Language: 0`.
                let request = Request::get(path);
                Read::Single(if *path == branding {
                    request.header("Accept-Language", "0")
                } else {
                    request
                })
            })
            .collect();

        self.set_faults(latency_ms);
        let one_at_a_time = ClientOptions {
            batch: false,
            concurrency: 1,
            ..ClientOptions::default()
        };
        let before = self.emulator.stats();
        let started = Instant::now();
        let answers = runtime.block_on(self.client(one_at_a_time).read(reads));
        let wall = started.elapsed();
        let after = self.emulator.stats();
        for (path, answer) in paths.iter().zip(answers) {
            assert!(answer.is_ok(), "GET {path}: {answer:?}");
        }
        let cost = Cost::between(&before, &after, wall);
        cost.check("the per-object model", latency_ms, true);
        cost
    }

    /// `latency_ms` and a full throttle budget.
    fn set_faults(&self, latency_ms: u64) {
        let (requests, window) = WRITE_BUDGET;
        self.emulator
            .set_faults(Faults {
                latency_ms,
                throttle: Some(Throttle::new(requests, window).expect("a valid budget")),
                ..Faults::default()
            })
            .expect("valid faults");
    }

    /// Runs `ciamctl <args> -c <version's config> --env bench <mode's flags>` at `latency_ms`
    /// with a full throttle budget, and returns its cost and stdout. Panics, with the
    /// command's output, when it fails: a figure from a failed run would mean nothing.
    pub(crate) fn run(
        &self,
        args: &[&str],
        version: Version,
        mode: Mode,
        latency_ms: u64,
    ) -> (Cost, String) {
        self.set_faults(latency_ms);
        let base = self.emulator.base_url();
        let mut command = Command::new(env!("CARGO_BIN_EXE_ciamctl"));
        command
            .args(args)
            .arg("-c")
            .arg(self.config(version))
            .args(["--env", ENVIRONMENT])
            .args(mode.flags())
            .env_clear()
            .env("AZURE_TENANT_ID", self.emulator.tenant_id())
            .env("AZURE_CLIENT_ID", DEFAULT_CLIENT_ID)
            .env("AZURE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET)
            .env("AZURE_AUTHORITY_HOST", base)
            .env("CIAMCTL_GRAPH_URL", base)
            .env(SECRET_VARIABLE, "bench-idp-secret")
            .env("NO_COLOR", "1");
        let before = self.emulator.stats();
        let started = Instant::now();
        let output = command.output().expect("running ciamctl");
        let wall = started.elapsed();
        let after = self.emulator.stats();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let what = format!(
            "`ciamctl {}` ({} flows, {})",
            args.join(" "),
            self.shape.flows,
            mode.label()
        );
        assert!(
            output.status.success(),
            "{what} failed with {}:\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        let cost = Cost::between(&before, &after, wall);
        cost.check(&what, latency_ms, mode == Mode::Baseline);
        (cost, stdout)
    }

    /// [`Self::run`] of `apply --auto-approve`, which must end with the tenant verified.
    pub(crate) fn apply(&self, version: Version, mode: Mode, latency_ms: u64) -> Cost {
        let apply = ["apply", "--auto-approve", "--no-progress"];
        let (cost, out) = self.run(&apply, version, mode, latency_ms);
        assert!(
            out.contains("Verified: the tenant now matches the configuration."),
            "apply did not converge:\n{out}"
        );
        cost
    }
}

fn config_dir(dir: &tempfile::TempDir, version: Version) -> PathBuf {
    dir.path().join(match version {
        Version::Base => "base",
        Version::Changed => "changed",
    })
}

/// Measures the three steps for a tenant of `flows` flows in both modes at every latency:
/// from the applications alone, apply the base, plan the change `plan_runs` times (the
/// median is kept), apply the change. Checks what each command says, so a figure always
/// belongs to a run that did the work.
pub(crate) fn measure(
    runtime: &Runtime,
    flows: usize,
    latencies: &[u64],
    plan_runs: usize,
) -> Vec<Row> {
    let tenant = SyntheticTenant::start(runtime, Shape::scaled(flows));
    let planned = format!(
        "Plan: 0 to create, {} to update, 0 to delete.",
        tenant.shape.changed()
    );
    let mut rows = Vec::new();
    let mut per_object = Vec::new();
    for mode in [Mode::Default, Mode::Baseline] {
        let mut costs: [Vec<(u64, Cost)>; 3] = Default::default();
        for &latency in latencies {
            eprintln!("  {flows} flows, {}, {latency} ms latency", mode.label());
            tenant.emulator.reset().expect("resetting the emulator");
            costs[0].push((latency, tenant.apply(Version::Base, mode, latency)));

            let mut plans: Vec<Cost> = (0..plan_runs)
                .map(|_| {
                    let (cost, out) = tenant.run(&["plan"], Version::Changed, mode, latency);
                    assert!(out.contains(&planned), "expected `{planned}`:\n{out}");
                    cost
                })
                .collect();
            plans.sort_by_key(|cost| cost.wall);
            costs[1].push((latency, plans[plans.len() / 2]));
            if mode == Mode::Default {
                per_object.push((latency, tenant.per_object_read(runtime, latency)));
            }

            costs[2].push((latency, tenant.apply(Version::Changed, mode, latency)));
        }
        let steps = [Step::ApplyFromEmpty, Step::Plan, Step::ApplyChange];
        for (step, costs) in steps.into_iter().zip(costs) {
            rows.push(Row {
                flows,
                step,
                setting: Setting::Ciamctl(mode),
                costs,
            });
        }
    }
    rows.push(Row {
        flows,
        step: Step::Plan,
        setting: Setting::PerObject,
        costs: per_object,
    });
    rows
}
