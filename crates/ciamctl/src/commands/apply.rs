//! `ciamctl apply`: make the tenant match the configuration, then check that it does.
//!
//! Without a plan file it plans, prints the plan and asks for confirmation on a terminal (a
//! run without one needs `--auto-approve`). With a plan file (`plan --out`) it applies exactly
//! that plan, without asking, after checking that it still applies: same tenant, same
//! configuration and asset files, every object it touches as it was (`ciamctl_apply::stale`).
//! Unsafe changes need `--allow-unsafe` either way. Nothing is sent before all of that, and
//! before every secret and asset the plan sends has been read.
//!
//! Progress: a line per change as it finishes (on stdout, with its time) and, on a terminal, a
//! progress bar per phase on stderr. Then the report: failures with Graph's error, what was
//! skipped and why, and the requests it took. After a run where everything applied, the tenant
//! is read and planned again; a plan that is not empty is reported as "did not converge".
//! Exit 0 when the tenant matches (nothing to do included), 1 otherwise.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, bail};
use ciamctl_apply::{ChangeReport, Progress};
use ciamctl_plan::{Change, Plan, PlanOptions};
use ciamctl_render::Mode;
use indicatif::{ProgressBar, ProgressStyle};

use crate::commands::connect::{self, Connection, Desired, GraphArgs};
use crate::commands::plan::{self, FormatArg};
use crate::exit::ExitStatus;
use crate::output;

/// Change the tenant to match the configuration (or apply a saved plan).
#[derive(Debug, clap::Args)]
#[command(mut_arg("config", plan::config_required))]
pub(crate) struct ApplyArgs {
    /// A plan saved by `ciamctl plan --out`: apply exactly it, if it still applies to the
    /// tenant and the configuration as they are now. Without it, plan now and ask.
    #[arg(value_name = "PLAN.json")]
    plan: Option<PathBuf>,

    #[command(flatten)]
    graph: GraphArgs,

    /// Apply without asking for confirmation (needed where there is no terminal to ask on).
    #[arg(long)]
    auto_approve: bool,

    /// Send write-only secrets (identity providers' client secrets) on update as well.
    /// A saved plan applies with the setting it was made with.
    #[arg(long)]
    rotate_secrets: bool,

    /// Apply changes the plan marks unsafe (deleting a flow that still has applications, …).
    #[arg(long)]
    allow_unsafe: bool,

    /// No progress bar, even on a terminal (the per-change lines stay).
    #[arg(long)]
    no_progress: bool,
}

pub(crate) fn run(args: &ApplyArgs) -> anyhow::Result<ExitStatus> {
    let saved = args.plan.as_deref().map(read_plan).transpose()?;
    let mut graph = args.graph.clone();
    let options = match &saved {
        Some(saved) => {
            if args.rotate_secrets && !saved.options.rotate_secrets {
                bail!(
                    "--rotate-secrets does not change a saved plan, which was made without it; \
                     make the plan with `ciamctl plan --rotate-secrets --out FILE`"
                );
            }
            match (&graph.env, &saved.environment) {
                (Some(asked), Some(planned)) if asked != planned => bail!(
                    "the plan was made for environment `{planned}`, not `{asked}`; apply it \
                     with --env {planned}, or make a plan for `{asked}`"
                ),
                (None, Some(planned)) => graph.env = Some(planned.clone()),
                _ => {}
            }
            saved.options
        }
        None => PlanOptions {
            rotate_secrets: args.rotate_secrets,
        },
    };
    connect::run(&graph, async |desired, connection| {
        let desired = desired.context("apply needs the configuration: add -c DIR")?;
        let assets = plan::read_assets(&desired.config)?;
        let connection = connection?;
        if let Some(saved) = &saved
            && !saved.tenant_id.eq_ignore_ascii_case(&connection.tenant_id)
        {
            eprintln!(
                "error: the plan was made for tenant {}, but this run is connected to tenant {} \
                 ({}); nothing was applied",
                saved.tenant_id, connection.tenant_id, connection.tenant_source
            );
            return Ok(ExitStatus::Error);
        }
        let spinner = Spinner::new(args.no_progress);
        spinner.phase("Reading the tenant");
        let now = plan::plan_now(&graph, &desired, &assets, &connection, options).await?;
        spinner.done();
        // An incomplete read or unresolved names were reported; apply knows one failure status.
        let Ok(now) = now else {
            return Ok(ExitStatus::Error);
        };
        // A saved plan was reviewed when it was made; one made now is shown and confirmed.
        let confirm = saved.is_none();
        let plan = if let Some(saved) = saved {
            let reasons = ciamctl_apply::stale::check(&saved, &now);
            if !reasons.is_empty() {
                eprintln!("error: the saved plan no longer applies; nothing was applied:");
                for reason in &reasons {
                    eprintln!("  - {reason}");
                }
                eprintln!("Make a new plan with `ciamctl plan --out FILE` and review it.");
                return Ok(ExitStatus::Error);
            }
            saved
        } else {
            plan::print(&now, FormatArg::Text, Mode::Plan)?;
            if now.summary.in_sync {
                return Ok(ExitStatus::Success);
            }
            now
        };
        if plan.changes.is_empty() {
            println_stdout("Nothing to do: the tenant matches the configuration.")?;
            return Ok(ExitStatus::Success);
        }
        // Before asking: a `yes` must not be answered with a refusal.
        if !args.allow_unsafe && refuse_unsafe(&plan) {
            return Ok(ExitStatus::Error);
        }
        if confirm && !confirmed(args.auto_approve, &plan, &connection)? {
            return Ok(ExitStatus::Error);
        }
        execute(args, &graph, &desired, &assets, &connection, &plan).await
    })
}

/// Sends `plan`, reports, and checks that the tenant then plans in sync.
async fn execute(
    args: &ApplyArgs,
    graph: &GraphArgs,
    desired: &Desired,
    assets: &ciamctl_plan::DesiredAssets,
    connection: &Connection,
    plan: &Plan,
) -> anyhow::Result<ExitStatus> {
    let prepared = ciamctl_apply::prepare(
        plan,
        desired.config.root(),
        connection.client.endpoints().graph(),
        &|name| std::env::var(name).ok(),
    )
    .context("nothing was applied")?;
    let (_, color) = output::stream(std::io::stdout());
    let lines = Lines::new(plan.changes.len(), color, args.no_progress);
    let report = ciamctl_apply::apply(
        &connection.client,
        plan,
        prepared,
        &ciamctl_apply::Options::default(),
        &lines,
    )
    .await;
    lines.done();
    let mut stdout = output::stream(std::io::stdout().lock()).0;
    ciamctl_apply::report::write(&mut stdout, &report, color).context("writing the report")?;
    stdout.flush().context("writing the report")?;
    if !report.is_success() {
        return Ok(ExitStatus::Error);
    }
    // Planned again without rotation: secrets sent once are not a difference.
    let spinner = Spinner::new(args.no_progress);
    spinner.phase("Verifying");
    let again = plan::plan_now(graph, desired, assets, connection, PlanOptions::default()).await?;
    spinner.done();
    let Ok(again) = again else {
        eprintln!("error: the tenant could not be read back to verify the changes");
        return Ok(ExitStatus::Error);
    };
    if again.changes.is_empty() {
        println_stdout("Verified: the tenant now matches the configuration.")?;
        return Ok(ExitStatus::Success);
    }
    // stderr's own colour decision: it may be a terminal when stdout is not, or the reverse.
    let (mut stderr, color) = output::stream(std::io::stderr());
    ciamctl_apply::report::write_not_converged(&mut stderr, &again, color)
        .context("writing the report")?;
    Ok(ExitStatus::Error)
}

/// The saved plan `path` holds.
fn read_plan(path: &Path) -> anyhow::Result<Plan> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the plan file `{}`", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "`{}` is not a ciamctl plan (write one with `ciamctl plan --out FILE`)",
            path.display()
        )
    })
}

/// Whether the person at the terminal typed `yes`; without a terminal, only `--auto-approve`.
fn confirmed(auto_approve: bool, plan: &Plan, connection: &Connection) -> anyhow::Result<bool> {
    if auto_approve {
        return Ok(true);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        eprintln!(
            "error: apply asks for confirmation, and there is no terminal to ask on; nothing \
             was applied. Review the plan and pass --auto-approve, or apply a saved plan \
             (`ciamctl plan --out FILE`, then `ciamctl apply FILE`)."
        );
        return Ok(false);
    }
    let summary = &plan.summary;
    eprint!(
        "Apply {} to create, {} to update and {} to delete in tenant {}? Only `yes` applies: ",
        summary.create, summary.update, summary.delete, connection.tenant_id
    );
    std::io::stderr()
        .flush()
        .context("asking for confirmation")?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .context("reading the confirmation")?;
    if answer.trim() == "yes" {
        Ok(true)
    } else {
        eprintln!("Apply cancelled; nothing was applied.");
        Ok(false)
    }
}

/// Says on stderr which changes are unsafe; whether there are any.
fn refuse_unsafe(plan: &Plan) -> bool {
    let unsafe_changes: Vec<&Change> = plan.changes.iter().filter(|c| c.is_unsafe()).collect();
    if unsafe_changes.is_empty() {
        return false;
    }
    eprintln!(
        "error: the plan has {} unsafe change(s); nothing was applied:",
        unsafe_changes.len()
    );
    for change in unsafe_changes {
        eprintln!(
            "  - {}: {}",
            ciamctl_apply::describe(plan, change.id),
            change.unsafe_reasons.join("; ")
        );
    }
    eprintln!("Apply them with --allow-unsafe once you are sure.");
    true
}

fn println_stdout(line: &str) -> anyhow::Result<()> {
    writeln!(std::io::stdout().lock(), "{line}").context("writing to stdout")
}

/// A spinner on stderr for a phase without a count (reading, verifying), on a terminal only.
struct Spinner(Option<ProgressBar>);

impl Spinner {
    fn new(hidden: bool) -> Self {
        Self((!hidden && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        }))
    }

    fn phase(&self, message: &'static str) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The apply phase's progress: a line per finished change on stdout, and a bar on stderr when
/// it is a terminal (the lines print above it).
struct Lines {
    bar: Option<ProgressBar>,
    color: bool,
}

impl Lines {
    fn new(changes: usize, color: bool, hidden: bool) -> Self {
        let bar = (!hidden && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(u64::try_from(changes).unwrap_or(u64::MAX));
            if let Ok(style) =
                ProgressStyle::with_template("Applying {bar:30} {pos}/{len} changes ({elapsed})")
            {
                bar.set_style(style);
            }
            bar
        });
        Self { bar, color }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Lines {
    fn finished(&self, _change: &Change, report: &ChangeReport) {
        let line = ciamctl_apply::report::change_line(report, self.color);
        // A closed stdout must not stop the run half-way; the report's write says so.
        let print = || {
            let _ = writeln!(output::stream(std::io::stdout().lock()).0, "{line}");
        };
        match &self.bar {
            Some(bar) => {
                bar.suspend(print);
                bar.inc(1);
            }
            None => print(),
        }
    }
}
