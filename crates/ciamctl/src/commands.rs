//! One module per subcommand.

mod apply;
mod connect;
mod doctor;
mod drift;
mod emulator;
mod export;
mod plan;
mod schema;
mod snapshot;
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
    Snapshot(snapshot::SnapshotArgs),
    /// Check the credential, the token's permissions and that Graph answers, for the kinds the
    /// configuration manages.
    Doctor(doctor::DoctorArgs),
    Plan(plan::PlanArgs),
    Drift(drift::DriftArgs),
    Apply(apply::ApplyArgs),
    Export(export::ExportArgs),
}

pub(crate) fn run(command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Emulator(args) => emulator::run(&args),
        Command::Snapshot(args) => snapshot::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Plan(args) => plan::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Apply(args) => apply::run(&args),
        Command::Export(args) => export::run(args),
    }
}
