//! `ciamctl snapshot`: print the live state of the tenant, normalised, secrets masked.
//!
//! With `-c DIR` it reads what that configuration manages (the applications it names, the
//! assets it sets), exactly as `plan` will; without, the whole tenant. The state goes to
//! stdout as text or JSON; what could not be read is listed on stderr and the exit status is
//! 3, so a support ticket or a drift investigation never mistakes a failed read for an empty
//! tenant.

use std::io::Write as _;

use anyhow::Context as _;

use crate::commands::connect::{self, GraphArgs};
use crate::exit::ExitStatus;

/// Print the tenant's live state as ciamctl sees it, secrets masked.
#[derive(Debug, clap::Args)]
pub(crate) struct SnapshotArgs {
    #[command(flatten)]
    graph: GraphArgs,

    /// `text` for people, `json` for tools (every kind, sorted; an unreadable kind is
    /// `{"unknown": {"request", "reason"}}`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: &SnapshotArgs) -> anyhow::Result<ExitStatus> {
    connect::run(&args.graph, async |config, connection| {
        let connection = connection?;
        let scope = connect::scope(config.as_ref().map(|d| &d.config));
        let tenant = connect::read_live(&args.graph, &connection, &scope).await?;
        let mut stdout = std::io::stdout().lock();
        match args.format {
            Format::Text => ciamctl_live::render_text(&tenant, &mut stdout),
            Format::Json => serde_json::to_writer_pretty(&mut stdout, &tenant)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(stdout)),
        }
        .and_then(|()| stdout.flush())
        .context("writing the snapshot")?;
        Ok(connect::report_unknown(&tenant, &scope))
    })
}
