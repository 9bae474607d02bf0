//! Exit statuses, written once: every command returns one of these, and the README documents
//! the same table.

/// How a `ciamctl` run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// Nothing wrong. For `drift` and `plan --detailed-exitcode`: the tenant is in sync; a
    /// plain `plan` exits 0 whether or not it has changes.
    Success,
    /// An error: invalid configuration, a wrong command line, a failed request, a refused plan.
    Error,
    /// `plan --detailed-exitcode` and `drift`: the tenant differs from the configuration.
    Changes,
    /// The live state is incomplete: a kind could not be read after retries, so nothing was
    /// concluded from it.
    Incomplete,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => std::process::ExitCode::SUCCESS,
            ExitStatus::Error => std::process::ExitCode::from(1),
            ExitStatus::Changes => std::process::ExitCode::from(2),
            ExitStatus::Incomplete => std::process::ExitCode::from(3),
        }
    }
}
