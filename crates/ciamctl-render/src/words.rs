//! The vocabulary the people formats share: kinds in people's words, what each action means
//! from the tenant's side, and the summary sentences, so text and Markdown say the same thing.

use ciamctl_plan::{Action, Summary};

use crate::Mode;

/// What a change means in a drift report: the plan's `before` is the tenant, `after` is Git.
pub(crate) fn drift_state(action: Action) -> &'static str {
    match action {
        Action::Create => "missing in the tenant",
        Action::Update => "differs in the tenant",
        Action::Delete => "only in the tenant (will be pruned)",
    }
}

/// How a drift report's text reads a field line, said once near the top: `-`/`+` alone
/// would read as "apply removes/adds".
pub(crate) const DRIFT_LEGEND_TEXT: &str = "Fields read from the tenant to Git: - is the tenant's value, + is Git's, a → b is the \
     tenant's a and Git's b.";

/// The same for a drift report's Markdown, whose diffs show a change as a `-`/`+` pair.
pub(crate) const DRIFT_LEGEND_MARKDOWN: &str =
    "In each diff, `-` is the tenant's value and `+` is Git's.";

/// The label above a change's Graph requests.
pub(crate) fn requests_label(mode: Mode) -> &'static str {
    match mode {
        Mode::Plan => "Requests",
        Mode::Drift => "To reconcile, apply sends",
    }
}

/// The title of a report.
pub(crate) fn title(mode: Mode) -> &'static str {
    match mode {
        Mode::Plan => "ciamctl plan",
        Mode::Drift => "ciamctl drift report",
    }
}

/// What heads the list of unmanaged objects: `2 unmanaged objects (in the tenant, …)`.
pub(crate) fn unmanaged_heading(mode: Mode, count: usize) -> String {
    let kinds_are = if count == 1 {
        "its kind is"
    } else {
        "their kinds are"
    };
    match mode {
        Mode::Plan => format!(
            "{} (in the tenant, not in the configuration; left alone because {kinds_are} not in \
             settings.prune)",
            counted(count, "unmanaged object", "unmanaged objects"),
        ),
        Mode::Drift => format!(
            "{} ({kinds_are} not in settings.prune, so apply leaves {})",
            counted(
                count,
                "object in the tenant, not in Git",
                "objects in the tenant, not in Git"
            ),
            if count == 1 { "it alone" } else { "them alone" }
        ),
    }
}

/// The closing line: what the plan does, or how far the tenant has drifted.
pub(crate) fn totals(mode: Mode, summary: &Summary) -> String {
    let changed = summary.create + summary.update + summary.delete;
    match mode {
        Mode::Plan if changed == 0 => "No changes: the tenant matches the configuration.".into(),
        Mode::Plan => format!(
            "Plan: {} to create, {} to update, {} to delete{}.",
            summary.create,
            summary.update,
            summary.delete,
            unsafe_suffix(summary.unsafe_changes, "")
        ),
        Mode::Drift if changed == 0 && summary.unmanaged == 0 => {
            "No drift: the tenant matches Git.".into()
        }
        // The tenant holds what Git does not: saying it "matches Git" would contradict the
        // list of those objects just above or below.
        Mode::Drift if changed == 0 => format!(
            "No drift in what Git manages; {} not in Git.",
            counted(
                summary.unmanaged,
                "object in the tenant is",
                "objects in the tenant are"
            )
        ),
        Mode::Drift => format!(
            "Drift: {} from Git: {} missing in the tenant, {} in the tenant, {} only in the \
             tenant{}.",
            counted(changed, "object differs", "objects differ"),
            summary.create,
            counted(summary.update, "differs", "differ"),
            summary.delete,
            unsafe_suffix(summary.unsafe_changes, " to reconcile"),
        ),
    }
}

fn unsafe_suffix(count: usize, tail: &str) -> String {
    if count == 0 {
        String::new()
    } else {
        format!(" ({count} unsafe{tail})")
    }
}

/// `1 change`, `2 changes`.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
