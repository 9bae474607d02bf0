//! One module per subcommand.

mod emulator;
mod schema;
mod validate;

use crate::exit::ExitStatus;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Check the configuration files offline and report every problem.
    Validate(validate::ValidateArgs),
    /// Print the JSON Schema of configuration files (or, with `--environment`, of environment
    /// files).
    Schema(schema::SchemaArgs),
    Emulator(emulator::EmulatorArgs),
}

pub(crate) fn run(command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Emulator(args) => emulator::run(&args),
    }
}
