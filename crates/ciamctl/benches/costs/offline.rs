//! The offline half of a plan (load, validate and diff a configuration against a snapshot
//! already fetched), measured in a child process so that its peak memory is its own; and
//! how long `ciamctl --version` takes to start.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use ciamctl_graph::{ClientOptions, Read, ReadAnswer, Request};
use ciamctl_live::{
    Application, Branding, CustomExtension, FromGraph as _, IdentityProvider, Known, LiveTenant,
    Localization, Organization, UserFlow, UserFlowAttribute, parse_collection,
};
use ciamctl_plan::{DesiredAssets, Inputs, PlanOptions};
use serde_json::{Map, Value};
use tokio::runtime::Runtime;

use crate::online::{Mode, SyntheticTenant};
use crate::synthetic::{ENVIRONMENT, Shape, Version};

/// The argument that makes the bench binary the child.
pub(crate) const CHILD: &str = "--offline-child";

/// What the offline runs cost.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OfflineCost {
    pub(crate) objects: usize,
    pub(crate) changes: usize,
    /// Median CPU time (user + system) of the work.
    pub(crate) cpu: Duration,
    /// Median wall time of the work.
    pub(crate) wall: Duration,
    /// The largest peak resident set size of a child process, whole process included.
    pub(crate) peak_rss: u64,
}

/// The reads the snapshot is made of, by the key the child finds them under. They are the
/// reads `ciamctl plan` makes in its first round, except that the applications are listed
/// whole instead of found by client id, 15 to a `$filter`: the tenant holds only a few more
/// than the flows sign in to.
fn snapshot_reads(tenant_id: &str) -> Vec<(&'static str, Read)> {
    let branding = format!("/organization/{tenant_id}/branding");
    vec![
        (
            "organization",
            Read::Collection(Request::get("/organization")),
        ),
        (
            "userFlows",
            Read::Collection(Request::get("/identity/authenticationEventsFlows")),
        ),
        (
            "attributes",
            Read::Collection(Request::get("/identity/userFlowAttributes")),
        ),
        (
            "identityProviders",
            Read::Collection(Request::get("/identity/identityProviders")),
        ),
        (
            "customExtensions",
            Read::Collection(Request::get("/identity/customAuthenticationExtensions")),
        ),
        (
            "localizations",
            Read::Collection(Request::get(&format!("{branding}/localizations"))),
        ),
        (
            "branding",
            Read::Single(Request::get(&branding).header("Accept-Language", "0")),
        ),
        (
            "applications",
            Read::Collection(Request::get("/applications")),
        ),
    ]
}

/// Applies the base configuration of about `objects` objects to an emulator, saves Graph's
/// answers to the reads a plan makes as `live.json`, and runs the child `runs` times on the
/// changed configuration.
pub(crate) fn measure(runtime: &Runtime, objects: usize, runs: usize) -> OfflineCost {
    let tenant = SyntheticTenant::start(runtime, Shape::with_objects(objects));
    tenant.apply(Version::Base, Mode::Default, 0);
    let snapshot = runtime.block_on(fetch(&tenant));
    let live = tenant.dir().join("live.json");
    std::fs::write(&live, serde_json::to_vec(&snapshot).expect("serialising"))
        .expect("writing live.json");

    let mut measured: Vec<(Duration, Duration, u64, usize)> = (0..runs)
        .map(|_| child_run(tenant.dir(), &tenant.config(Version::Changed)))
        .collect();
    let changes = tenant.shape.changed();
    for (.., planned) in &measured {
        assert_eq!(*planned, changes, "the offline plan has the wrong changes");
    }
    let peak_rss = measured.iter().map(|m| m.2).max().unwrap_or_default();
    measured.sort_by_key(|m| m.0);
    let cpu = measured[runs / 2].0;
    measured.sort_by_key(|m| m.1);
    let wall = measured[runs / 2].1;
    OfflineCost {
        objects: tenant.shape.objects(),
        changes,
        cpu,
        wall,
        peak_rss,
    }
}

async fn fetch(tenant: &SyntheticTenant) -> Value {
    let client = tenant.client(ClientOptions::default());
    let tenant_id = tenant.emulator.tenant_id();
    let (keys, reads): (Vec<_>, Vec<_>) = snapshot_reads(tenant_id).into_iter().unzip();
    let answers = client.read(reads).await;
    let mut snapshot = Map::new();
    snapshot.insert("tenantId".to_owned(), Value::from(tenant_id));
    for (key, answer) in keys.into_iter().zip(answers) {
        let value = match answer.unwrap_or_else(|e| panic!("reading {key}: {e}")) {
            ReadAnswer::Items(items) => Value::Array(items),
            ReadAnswer::Response(response) => response.value().expect("a JSON answer"),
        };
        snapshot.insert(key.to_owned(), value);
    }
    Value::Object(snapshot)
}

/// Runs the child on `dir` and `config`: (CPU time, wall time, peak RSS in bytes, changes).
fn child_run(dir: &Path, config: &Path) -> (Duration, Duration, u64, usize) {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let output = Command::new(exe)
        .arg(CHILD)
        .arg(dir.join("live.json"))
        .arg(config)
        .output()
        .expect("running the offline child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the offline child failed with {}:\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let numbers: Vec<u64> = stdout
        .split_whitespace()
        .map(|n| n.parse().expect("the child prints numbers"))
        .collect();
    let [cpu_us, wall_us, rss, changes] = numbers[..] else {
        panic!("the child printed `{stdout}`");
    };
    (
        Duration::from_micros(cpu_us),
        Duration::from_micros(wall_us),
        rss,
        usize::try_from(changes).expect("a count"),
    )
}

/// The child: parses the snapshot at `live` (what `plan` has once its reads are answered),
/// then loads and validates `config` and plans, and prints the CPU time and wall time of
/// those three in µs, the process's peak RSS in bytes and the number of changes.
pub(crate) fn child(live: &Path, config: &Path) -> ExitCode {
    let text = std::fs::read(live).expect("reading live.json");
    let snapshot: Value = serde_json::from_slice(&text).expect("live.json is JSON");
    let live = snapshot_from(&snapshot);
    drop((text, snapshot));

    let cpu_before = usage::cpu_time();
    let started = Instant::now();
    let loaded = ciamctl_model::load(config, Some(ENVIRONMENT));
    let Some(config) = loaded.config().filter(|_| !loaded.has_errors()) else {
        eprintln!("{:#?}", loaded.diagnostics());
        return ExitCode::FAILURE;
    };
    let inputs = Inputs {
        config,
        live: &live,
        assets: &DesiredAssets::default(),
        options: PlanOptions::default(),
        ciamctl_version: "bench",
    };
    let plan = ciamctl_plan::plan(&inputs).expect("a plan");
    let wall = started.elapsed();
    let cpu = usage::cpu_time().saturating_sub(cpu_before);

    println!(
        "{} {} {} {}",
        cpu.as_micros(),
        wall.as_micros(),
        usage::peak_rss(),
        plan.changes.len()
    );
    ExitCode::SUCCESS
}

/// The snapshot as `ciamctl plan` parses its reads.
fn snapshot_from(snapshot: &Value) -> LiveTenant {
    let items = |key: &str| -> &[Value] { snapshot[key].as_array().map_or(&[], Vec::as_slice) };
    LiveTenant {
        tenant_id: snapshot["tenantId"].as_str().unwrap_or_default().to_owned(),
        organization: known(Organization::from_collection(items("organization"))),
        user_flows: known(parse_collection::<UserFlow>(items("userFlows"))),
        attributes: known(parse_collection::<UserFlowAttribute>(items("attributes"))),
        identity_providers: known(parse_collection::<IdentityProvider>(items(
            "identityProviders",
        ))),
        custom_extensions: known(parse_collection::<CustomExtension>(items(
            "customExtensions",
        ))),
        localizations: known(parse_collection::<Localization>(items("localizations"))),
        branding: known(Branding::from_graph(&snapshot["branding"]).map(Some)),
        applications: known(parse_collection::<Application>(items("applications"))),
    }
}

fn known<T>(parsed: Result<T, ciamctl_live::ParseError>) -> Known<T> {
    Known::Known(parsed.expect("the emulator's answers parse"))
}

/// The median time `ciamctl --version` takes, from spawning the process to its exit.
pub(crate) fn version_startup(runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_ciamctl"))
                .arg("--version")
                .output()
                .expect("running ciamctl --version")
                .status;
            assert!(status.success(), "ciamctl --version failed: {status}");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// The process's own CPU time and peak memory.
#[cfg(unix)]
mod usage {
    use std::time::Duration;

    use nix::sys::resource::{UsageWho, getrusage};
    use nix::sys::time::TimeValLike as _;

    pub(super) fn cpu_time() -> Duration {
        let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
        let micros = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
        Duration::from_micros(u64::try_from(micros).unwrap_or_default())
    }

    /// In bytes. Linux's `getrusage` keeps the parent's peak across `fork` and `exec` (a
    /// child spawned from this bench, which holds a 1,000-object emulator, would report the
    /// bench's), so there the peak is `VmHWM`, which belongs to this process image alone.
    pub(super) fn peak_rss() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let high_water = status.lines().find_map(|line| {
            let kilobytes = line.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?;
            kilobytes.trim().parse::<u64>().ok()
        });
        high_water.map_or_else(
            || {
                // macOS reports bytes.
                let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage");
                u64::try_from(usage.max_rss()).unwrap_or_default()
            },
            |kilobytes| kilobytes * 1024,
        )
    }
}

/// Elsewhere nothing is measured: zero, which the report shows as not measured.
#[cfg(not(unix))]
mod usage {
    use std::time::Duration;

    pub(super) fn cpu_time() -> Duration {
        Duration::ZERO
    }

    pub(super) fn peak_rss() -> u64 {
        0
    }
}
