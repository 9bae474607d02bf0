//! One module per subcommand.

use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Placeholder removed when the first command lands.
    #[command(hide = true)]
    Noop,
}

pub(crate) fn run(command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Noop => Ok(ExitStatus::Success),
    }
}
