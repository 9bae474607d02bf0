//! `ciamctl schema`: print the JSON Schema of configuration files, of environment files, or of
//! the plan document (`plan --format json`, `plan --out`).
//!
//! The same schemas are committed under `schemas/`, where the `# yaml-language-server:
//! $schema=…` line of a configuration file points; this command is for editors and CI jobs that
//! want the schema of the installed ciamctl version. It writes the schema to stdout, nothing
//! else, and needs no configuration directory.

use std::io::Write as _;

use crate::exit::ExitStatus;

/// Print the JSON Schema of configuration files.
#[derive(Debug, clap::Args)]
pub(crate) struct SchemaArgs {
    /// Print the schema of environment files (`environments/<name>.yaml`) instead.
    #[arg(long, conflicts_with = "plan")]
    environment: bool,

    /// Print the schema of the plan document (`plan --format json`, `plan --out`) instead.
    #[arg(long)]
    plan: bool,
}

pub(crate) fn run(args: &SchemaArgs) -> anyhow::Result<ExitStatus> {
    let schema = if args.environment {
        ciamctl_model::schema::environment_schema()
    } else if args.plan {
        ciamctl_plan::schema::plan_schema()
    } else {
        ciamctl_model::schema::config_schema()
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(schema.as_bytes())?;
    stdout.flush()?;
    Ok(ExitStatus::Success)
}
