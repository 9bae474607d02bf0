//! Exit statuses, written once: every command returns one of these, and the README documents
//! the same table.

/// How a `ciamctl` run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// Nothing wrong; for `plan`/`drift`, the tenant is in sync.
    Success,
    /// An error: invalid configuration, a wrong command line, a failed request, a refused plan.
    Error,
    /// The live state is incomplete: a kind could not be read after retries, so nothing was
    /// concluded from it.
    Incomplete,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => std::process::ExitCode::SUCCESS,
            ExitStatus::Error => std::process::ExitCode::from(1),
            ExitStatus::Incomplete => std::process::ExitCode::from(3),
        }
    }
}
