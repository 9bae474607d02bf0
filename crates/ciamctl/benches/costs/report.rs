//! The figures as Markdown tables, and the targets with PASS or FAIL: what the bench prints and
//! `docs/benchmarks.md` keeps.

use std::fmt::Write as _;
use std::time::Duration;

use crate::offline::OfflineCost;
use crate::online::{Cost, Mode, Row, Setting, Step};

/// Everything one run measured.
#[derive(Debug)]
pub(crate) struct Results {
    pub(crate) latencies: Vec<u64>,
    pub(crate) rows: Vec<Row>,
    pub(crate) offline: OfflineCost,
    pub(crate) version: Duration,
    pub(crate) version_runs: usize,
}

/// The size, latency and object count the targets are stated for.
const TARGET_FLOWS: usize = 100;
const TARGET_LATENCY_MS: u64 = 50;
const TARGET_OBJECTS: usize = 1000;

pub(crate) fn render(results: &Results) -> String {
    let mut out = String::new();
    online(&mut out, results);
    offline(&mut out, results);
    targets(&mut out, results);
    out
}

fn online(out: &mut String, results: &Results) {
    let counted_at = results.latencies.iter().copied().max().unwrap_or_default();
    let _ = writeln!(out, "## Plan and apply against the emulator\n");
    let _ = writeln!(
        out,
        "HTTP requests (the token's included), Graph calls (requests and `$batch` items) and \
         sequential round trips as the emulator counted them at {counted_at} ms latency; wall \
         time from starting `ciamctl` to its exit, at each latency.\n"
    );
    let mut header = String::from(
        "| flows | command | settings | HTTP requests | Graph calls | round trips | 429 |",
    );
    let mut rule = String::from("|---:|---|---|---:|---:|---:|---:|");
    for latency in &results.latencies {
        let _ = write!(header, " {latency} ms |");
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    let mut order: Vec<&Row> = results.rows.iter().collect();
    order.sort_by_key(|row| (row.flows, row.step, row.setting));
    for group in order.chunk_by(|a, b| (a.flows, a.step) == (b.flows, b.step)) {
        for row in group {
            let counted = row.at(counted_at).copied().unwrap_or_default();
            let _ = write!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                row.flows,
                row.step.label(),
                row.setting.label(),
                counted.http_requests,
                counted.graph_calls,
                counted.round_trips,
                counted.throttled
            );
            for (_, cost) in &row.costs {
                let _ = write!(out, " {} |", seconds(cost.wall));
            }
            out.push('\n');
        }
        let default = Setting::Ciamctl(Mode::Default);
        if let Some(default) = group.iter().find(|row| row.setting == default) {
            for other in group.iter().filter(|row| row.setting != default.setting) {
                ratio_row(out, default, other, counted_at);
            }
        }
    }
    out.push('\n');
}

/// `other`'s figures divided by `default`'s: how many times more requests, round trips and
/// time the other setting takes.
fn ratio_row(out: &mut String, default: &Row, other: &Row, counted_at: u64) {
    let (Some(d), Some(o)) = (default.at(counted_at), other.at(counted_at)) else {
        return;
    };
    let name = match other.setting {
        Setting::PerObject => "model",
        Setting::Ciamctl(_) => "baseline",
    };
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let times = |o: u64, d: u64| ratio(o as f64, d as f64);
    let _ = write!(
        out,
        "| {} | {} | **{name} ÷ default** | {} | {} | {} | |",
        default.flows,
        default.step.label(),
        times(o.http_requests, d.http_requests),
        times(o.graph_calls, d.graph_calls),
        times(o.round_trips, d.round_trips),
    );
    for ((_, d), (_, o)) in default.costs.iter().zip(&other.costs) {
        let _ = write!(
            out,
            " **{}** |",
            ratio(o.wall.as_secs_f64(), d.wall.as_secs_f64())
        );
    }
    out.push('\n');
}

fn offline(out: &mut String, results: &Results) {
    let o = &results.offline;
    let _ = writeln!(out, "## Offline: load, validate and diff\n");
    let _ = writeln!(
        out,
        "Loading and validating the configuration and planning it against a snapshot already \
         parsed (medians of the runs); the peak memory of the whole process doing it, the \
         snapshot included.\n"
    );
    let _ = writeln!(
        out,
        "| objects | changes | CPU time | wall time | peak memory (whole process) |\n\
         |---:|---:|---:|---:|---:|\n\
         | {} | {} | {} | {} | {} |\n",
        o.objects,
        o.changes,
        if o.cpu.is_zero() {
            "not measured here".to_owned()
        } else {
            millis(o.cpu)
        },
        millis(o.wall),
        megabytes(o.peak_rss)
    );
    let _ = writeln!(
        out,
        "`ciamctl --version` starts and exits in {} (median of {} runs).\n",
        millis(results.version),
        results.version_runs
    );
}

/// One target: what it says, what was measured, whether it held.
struct Target {
    what: String,
    measured: String,
    pass: bool,
}

fn targets(out: &mut String, results: &Results) {
    let found = |step: Step, mode: Mode| {
        results
            .rows
            .iter()
            .find(|r| {
                r.flows == TARGET_FLOWS && r.step == step && r.setting == Setting::Ciamctl(mode)
            })
            .and_then(|r| r.at(TARGET_LATENCY_MS))
            .copied()
    };
    let (Some(plan), Some(plan_baseline), Some(apply)) = (
        found(Step::Plan, Mode::Default),
        found(Step::Plan, Mode::Baseline),
        found(Step::ApplyFromEmpty, Mode::Default),
    ) else {
        let _ = writeln!(
            out,
            "Targets are stated for {TARGET_FLOWS} flows at {TARGET_LATENCY_MS} ms, which this \
             run did not measure: `cargo bench -p ciamctl --bench costs` does."
        );
        return;
    };
    let list = target_list(
        &plan,
        &plan_baseline,
        &apply,
        &results.offline,
        results.version,
    );
    let _ = writeln!(
        out,
        "## Targets\n\n| target | measured | result |\n|---|---:|---|"
    );
    for target in &list {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            target.what,
            target.measured,
            if target.pass { "PASS" } else { "**FAIL**" }
        );
    }
    let per_object = results
        .rows
        .iter()
        .find(|r| r.flows == TARGET_FLOWS && r.setting == Setting::PerObject)
        .and_then(|r| r.at(TARGET_LATENCY_MS));
    if let Some(model) = per_object {
        #[allow(clippy::cast_precision_loss)] // counts far below 2^52
        let ceiling = ratio(plan_baseline.round_trips as f64, 2.0);
        let _ = writeln!(
            out,
            "\n`--no-batch --concurrency 1` makes the default's list reads ({} Graph calls \
             against {}) one after the other: {} round trips against {}. A plan needs at least \
             two (the token, then the reads), so against this baseline no plan can be more than \
             {} faster. One GET per object, as a per-resource tool reads, takes {} round trips \
             and {}: {} the default's time.",
            plan_baseline.graph_calls,
            plan.graph_calls,
            plan_baseline.round_trips,
            plan.round_trips,
            ceiling,
            model.round_trips,
            seconds(model.wall),
            ratio(model.wall.as_secs_f64(), plan.wall.as_secs_f64()),
        );
    }
    let failed = list.iter().filter(|t| !t.pass).count();
    let _ = writeln!(
        out,
        "\n{} of {} targets met.",
        list.len() - failed,
        list.len()
    );
}

fn target_list(
    plan: &Cost,
    baseline: &Cost,
    apply: &Cost,
    offline: &OfflineCost,
    version: Duration,
) -> Vec<Target> {
    let plan_at = format!("`plan`, {TARGET_FLOWS} flows, {TARGET_LATENCY_MS} ms");
    let speedup = baseline.wall.as_secs_f64() / plan.wall.as_secs_f64();
    let mut list = vec![
        Target {
            what: format!("{plan_at}: ≤ 3 sequential round trips"),
            measured: plan.round_trips.to_string(),
            pass: plan.round_trips <= 3,
        },
        Target {
            what: format!("{plan_at}: ≤ 12 HTTP requests"),
            measured: plan.http_requests.to_string(),
            pass: plan.http_requests <= 12,
        },
        Target {
            what: format!("{plan_at}: ≤ 0.5 s"),
            measured: seconds(plan.wall),
            pass: plan.wall <= Duration::from_millis(500),
        },
        Target {
            what: format!("{plan_at}: ≥ 20× faster than `--no-batch --concurrency 1`"),
            measured: format!("{speedup:.1}×"),
            pass: speedup >= 20.0,
        },
    ];
    let apply_at = format!("`apply`, {TARGET_FLOWS} flows from empty, {TARGET_LATENCY_MS} ms");
    list.push(Target {
        what: format!("{apply_at}: ≤ 10 s"),
        measured: seconds(apply.wall),
        pass: apply.wall <= Duration::from_secs(10),
    });
    list.push(Target {
        what: format!("{apply_at}: no 429 under `--throttle 3000/150`"),
        measured: format!("{} answered 429", apply.throttled),
        pass: apply.throttled == 0,
    });
    if offline.objects >= TARGET_OBJECTS {
        let offline_at = format!("offline, {} objects", offline.objects);
        list.push(Target {
            what: format!("{offline_at}: ≤ 50 ms CPU"),
            measured: millis(offline.cpu),
            pass: offline.cpu > Duration::ZERO && offline.cpu <= Duration::from_millis(50),
        });
        list.push(Target {
            what: format!("{offline_at}: ≤ 64 MB peak memory"),
            measured: megabytes(offline.peak_rss),
            pass: offline.peak_rss > 0 && offline.peak_rss <= 64 << 20,
        });
    }
    list.push(Target {
        what: "`ciamctl --version` starts in ≤ 20 ms".to_owned(),
        measured: millis(version),
        pass: version <= Duration::from_millis(20),
    });
    list
}

fn ratio(other: f64, default: f64) -> String {
    if default > 0.0 {
        format!("{:.1}×", other / default)
    } else {
        "–".to_owned()
    }
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

#[allow(clippy::cast_precision_loss)] // bytes far below 2^52
fn megabytes(bytes: u64) -> String {
    if bytes == 0 {
        "not measured here".to_owned()
    } else {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    }
}
