//! What `plan` and `apply` cost against a tenant far away, next to what they would cost sending
//! one request at a time; what the offline part of a plan costs; how fast the binary starts.
//!
//! `cargo bench -p ciamctl --bench costs` runs `ciamctl` itself against an emulator in this
//! process with 0, 20 and 50 ms of latency, on synthetic tenants of 10, 100 and 300 user flows,
//! and prints Markdown tables and the targets with PASS or FAIL (docs/benchmarks.md keeps the
//! latest, and says how each number is measured). `cargo test` runs it as a smoke test: 10
//! flows, two latencies, a small offline configuration, every command's output checked, and
//! the report's layout against its snapshot.
//!
//! The bench binary is also the offline measurement's child process (`--offline-child`), so
//! that the peak memory it reports is that work's alone.
// The report is the bench's output (stdout); progress goes to stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod offline;
mod online;
mod report;
mod synthetic;

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use crate::report::Results;

/// What one run measures.
#[derive(Debug)]
struct Settings {
    sizes: Vec<usize>,
    latencies: Vec<u64>,
    plan_runs: usize,
    offline_objects: usize,
    offline_runs: usize,
    version_runs: usize,
}

impl Settings {
    fn bench() -> Self {
        Self {
            sizes: vec![10, 100, 300],
            latencies: vec![0, 20, 50],
            plan_runs: 3,
            offline_objects: 1000,
            offline_runs: 5,
            version_runs: 31,
        }
    }

    fn smoke() -> Self {
        Self {
            sizes: vec![10],
            latencies: vec![0, 20],
            plan_runs: 1,
            offline_objects: 100,
            offline_runs: 1,
            version_runs: 3,
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, live, config] = &args[..]
        && flag == offline::CHILD
    {
        return offline::child(Path::new(live), Path::new(config));
    }
    // `cargo bench` passes `--bench`; `cargo test` runs the smoke test.
    let bench = args.iter().any(|arg| arg == "--bench");
    let settings = if bench {
        Settings::bench()
    } else {
        Settings::smoke()
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");

    eprintln!("Measuring plan and apply:");
    let rows = settings
        .sizes
        .iter()
        .flat_map(|&flows| {
            online::measure(&runtime, flows, &settings.latencies, settings.plan_runs)
        })
        .collect();
    eprintln!("Measuring the offline plan and the start-up:");
    let results = Results {
        latencies: settings.latencies.clone(),
        rows,
        offline: offline::measure(&runtime, settings.offline_objects, settings.offline_runs),
        version: offline::version_startup(settings.version_runs),
        version_runs: settings.version_runs,
    };
    println!("{}", machine());
    println!("{}", report::render(&results));
    if !bench {
        report_layout();
    }
    ExitCode::SUCCESS
}

/// The machine, as docs/benchmarks.md records it.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "an unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|text| format!(" {}", text.trim()))
        .unwrap_or_default();
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    format!(
        "Machine: {cpu}, {cores} cores available, {}{kernel}; ciamctl {} ({build} build).\n",
        std::env::consts::OS,
        env!("CARGO_PKG_VERSION"),
    )
}

/// The report of fixed figures against its snapshot: the layout people read, checked without
/// timing anything.
fn report_layout() {
    use crate::offline::OfflineCost;
    use crate::online::{Cost, Mode, Row, Setting, Step};

    let cost = |http_requests, graph_calls, round_trips, millis: &[u64]| {
        millis
            .iter()
            .zip([0, 20, 50])
            .map(|(ms, latency)| {
                let cost = Cost {
                    http_requests,
                    graph_calls,
                    round_trips,
                    batches: 0,
                    throttled: 0,
                    wall: Duration::from_millis(*ms),
                };
                (latency, cost)
            })
            .collect()
    };
    // In no particular order: the report sorts its rows.
    let default = Setting::Ciamctl(Mode::Default);
    let baseline = Setting::Ciamctl(Mode::Baseline);
    let rows = [
        (
            Step::ApplyFromEmpty,
            default,
            cost(14, 230, 5, &[240, 330, 480]),
        ),
        (Step::Plan, baseline, cost(17, 16, 17, &[60, 420, 900])),
        (Step::Plan, default, cost(4, 17, 3, &[40, 100, 200])),
        (
            Step::ApplyFromEmpty,
            baseline,
            cost(230, 230, 230, &[700, 5100, 12100]),
        ),
        (
            Step::Plan,
            Setting::PerObject,
            cost(283, 282, 283, &[90, 5900, 14300]),
        ),
    ]
    .into_iter()
    .map(|(step, setting, costs)| Row {
        flows: 100,
        step,
        setting,
        costs,
    })
    .collect();
    let results = Results {
        latencies: vec![0, 20, 50],
        rows,
        offline: OfflineCost {
            objects: 1000,
            changes: 100,
            cpu: Duration::from_micros(21_500),
            wall: Duration::from_millis(22),
            peak_rss: 15 << 20,
        },
        version: Duration::from_micros(1_800),
        version_runs: 31,
    };
    insta::assert_snapshot!("report", report::render(&results));
}
