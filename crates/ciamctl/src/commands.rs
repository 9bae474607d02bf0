//! One module per subcommand.

mod schema;

use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Print the JSON Schema of configuration files (or, with `--environment`, of environment
    /// files).
    Schema(schema::SchemaArgs),
}

pub(crate) fn run(command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Schema(args) => schema::run(&args),
    }
}
