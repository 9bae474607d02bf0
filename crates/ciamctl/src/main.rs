//! The `ciamctl` command line.
//!
//! This crate is the only one that knows about terminals, colour, exit codes, the tokio runtime
//! and `anyhow`. Each subcommand lives in its own file under `commands/`, parses its own
//! arguments and returns an [`ExitStatus`]; `main` turns errors into a rendered report on stderr
//! and the status into the process exit code.

// The binary is where output is written.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;
mod exit;
mod output;

use clap::Parser;

use crate::exit::ExitStatus;

/// Keep a Microsoft Entra External ID tenant in the shape its Git repository says.
#[derive(Debug, Parser)]
#[command(name = "ciamctl", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap exits 2 on a usage error, but 2 means "changes" for `plan --detailed-exitcode`
        // and `drift`: a CI job must never read a typo in its command line as drift.
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Success
            }
            .into();
        }
    };
    let status = match commands::run(cli.command) {
        Ok(status) => status,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitStatus::Error
        }
    };
    status.into()
}
