//! `ciamctl drift`: the plan read from the tenant's side, for scheduled jobs.
//!
//! It makes exactly the plan `plan` makes and reports it as drift: an object to create is
//! missing in the tenant, one to update differs in the tenant, one to delete exists only in the
//! tenant (a pruned kind), and unmanaged objects are not in Git. The exit status always says
//! whether anything differs (0 in sync, 2 drift). The Markdown report goes to `--report FILE`
//! and, in GitHub Actions (`GITHUB_STEP_SUMMARY` names a file), is appended to the job summary.

use std::path::PathBuf;

use ciamctl_plan::PlanOptions;
use ciamctl_render::{Format, Mode};

use crate::commands::connect::GraphArgs;
use crate::commands::plan::{self, FormatArg};
use crate::exit::ExitStatus;

/// Report how the tenant differs from the configuration: exit 0 in sync, 2 when it drifted.
#[derive(Debug, clap::Args)]
#[command(mut_arg("config", plan::config_required))]
pub(crate) struct DriftArgs {
    #[command(flatten)]
    graph: GraphArgs,

    /// How to print the report on stdout: `text`, `markdown` or `json`.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Also write the Markdown report to FILE. In GitHub Actions it is appended to the job
    /// summary (`GITHUB_STEP_SUMMARY`) as well.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

pub(crate) fn run(args: &DriftArgs) -> anyhow::Result<ExitStatus> {
    // Drift compares; whether secrets would be sent again does not change what differs.
    plan::with_plan(&args.graph, PlanOptions::default(), |plan| {
        // The files first, as `plan` does: a report that cannot be written stops the run
        // before anything is printed or added to the job summary.
        let summary = std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        if args.report.is_some() || summary.is_some() {
            let markdown = plan::rendered(plan, Format::Markdown, Mode::Drift)?;
            if let Some(report) = &args.report {
                plan::replace_file(report, &markdown)?;
                eprintln!("Wrote the drift report to {}.", report.display());
            }
            if let Some(summary) = &summary {
                plan::append_file(summary, &markdown)?;
            }
        }
        plan::print(plan, args.format, Mode::Drift)?;
        Ok(plan::changes(plan))
    })
}
