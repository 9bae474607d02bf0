//! What a run did, for people: a line per change as it finishes ([`change_line`]), and the
//! closing summary ([`write`]): failures with Graph's error, what was skipped and what it
//! waited for, and what the run cost in requests. Colour is the caller's decision.

use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use ciamctl_graph::ClientStats;
use ciamctl_plan::{Action, Kind, Plan};

/// What became of each change of a plan, in the order they finished, and what it cost.
#[derive(Debug, Clone)]
pub struct Report {
    pub changes: Vec<ChangeReport>,
    /// The client's counts for the run.
    pub stats: ClientStats,
    pub elapsed: Duration,
}

impl Report {
    /// Every change applied.
    pub fn is_success(&self) -> bool {
        self.changes
            .iter()
            .all(|change| matches!(change.result, ChangeResult::Applied))
    }

    fn count(&self, wanted: fn(&ChangeResult) -> bool) -> usize {
        self.changes.iter().filter(|c| wanted(&c.result)).count()
    }
}

#[derive(Debug, Clone)]
pub struct ChangeReport {
    /// The change's id in the plan.
    pub id: u32,
    pub action: Action,
    pub kind: Kind,
    pub name: String,
    pub result: ChangeResult,
    /// From its first request to its end; `None` when nothing of it was sent.
    pub elapsed: Option<Duration>,
    /// What people should know although it went well (a create found after a lost answer).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeResult {
    /// Every request succeeded.
    Applied,
    /// A request failed; the change's requests that had not started were not sent.
    Failed(Vec<StepFailure>),
    /// Not (or not completely) applied because a change it depends on failed.
    Skipped {
        /// The ids of the changes it waited for.
        waited_for: Vec<u32>,
        /// Its requests that were applied before that.
        applied_steps: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepFailure {
    pub step: u32,
    /// The request, Graph's status, error code and message, and its request id.
    pub error: String,
}

/// `+ create user flow "Woodgrove customers": applied in 0.42 s`, for progress output.
pub fn change_line(report: &ChangeReport, color: bool) -> String {
    let (word, style) = match &report.result {
        ChangeResult::Applied => ("applied", paint(color, AnsiColor::Green)),
        ChangeResult::Failed(_) => ("FAILED", paint(color, AnsiColor::Red)),
        ChangeResult::Skipped { .. } => ("skipped", paint(color, AnsiColor::Yellow)),
    };
    let timing = report
        .elapsed
        .map(|elapsed| format!(" in {:.2} s", elapsed.as_secs_f64()))
        .unwrap_or_default();
    format!(
        "{} {} {} \"{}\": {style}{word}{style:#}{timing}",
        symbol(report.action),
        report.action.name(),
        report.kind.noun(),
        report.name
    )
}

/// The closing summary of `report`.
pub fn write(out: &mut dyn Write, report: &Report, color: bool) -> io::Result<()> {
    let red = paint(color, AnsiColor::Red);
    let yellow = paint(color, AnsiColor::Yellow);
    let name = |id: u32| {
        report
            .changes
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| format!("change {id}"), title)
    };
    for change in &report.changes {
        for note in &change.notes {
            writeln!(out, "note: {}: {note}", title(change))?;
        }
    }
    for change in &report.changes {
        match &change.result {
            ChangeResult::Applied => {}
            ChangeResult::Failed(failures) => {
                writeln!(out, "{red}Failed{red:#}: {}", title(change))?;
                for failure in failures {
                    writeln!(out, "  step {}: {}", failure.step, failure.error)?;
                }
            }
            ChangeResult::Skipped {
                waited_for,
                applied_steps,
            } => {
                let waited: Vec<String> = waited_for.iter().map(|&id| name(id)).collect();
                let partly = match applied_steps {
                    0 => String::new(),
                    1 => " (1 request of it was applied)".to_owned(),
                    n => format!(" ({n} requests of it were applied)"),
                };
                writeln!(
                    out,
                    "{yellow}Skipped{yellow:#}: {}{partly}, as it needs {}, which did not apply",
                    title(change),
                    waited.join(" and ")
                )?;
            }
        }
    }
    let applied = report.count(|r| matches!(r, ChangeResult::Applied));
    let failed = report.count(|r| matches!(r, ChangeResult::Failed(_)));
    let skipped = report.count(|r| matches!(r, ChangeResult::Skipped { .. }));
    let seconds = report.elapsed.as_secs_f64();
    if report.is_success() {
        let green = paint(color, AnsiColor::Green);
        writeln!(
            out,
            "{green}Apply complete{green:#}: {} applied in {seconds:.2} s.",
            plural(applied, "change", "changes")
        )?;
    } else {
        writeln!(
            out,
            "{red}Apply incomplete{red:#}: {applied} applied, {failed} failed, {skipped} skipped \
             in {seconds:.2} s. Run `ciamctl apply` again to finish, once the causes Graph \
             gives above are fixed: it plans from what the tenant holds then."
        )?;
    }
    writeln!(out, "Graph: {}.", report.stats)
}

/// Says that `again`, the plan made after a run where every change applied, is not empty: the
/// tenant did not converge. Each object left to change is listed with the fields involved.
pub fn write_not_converged(out: &mut dyn Write, again: &Plan, color: bool) -> io::Result<()> {
    let red = paint(color, AnsiColor::Red);
    writeln!(
        out,
        "{red}error{red:#}: did not converge: the tenant still differs from the configuration \
         after every change applied. Graph stored these differently from what was sent:"
    )?;
    for change in &again.changes {
        let fields: Vec<&str> = change.fields.iter().map(|f| f.path.as_str()).collect();
        let fields = if fields.is_empty() {
            "(the object itself)".to_owned()
        } else {
            fields.join(", ")
        };
        writeln!(out, "  - {}: {fields}", crate::describe(again, change.id))?;
    }
    Ok(())
}

/// `update user flow "Woodgrove customers"`.
fn title(change: &ChangeReport) -> String {
    format!(
        "{} {} \"{}\"",
        change.action.name(),
        change.kind.noun(),
        change.name
    )
}

fn symbol(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Update => "~",
        Action::Delete => "-",
    }
}

fn paint(color: bool, fg: AnsiColor) -> Style {
    if color {
        Style::new().bold().fg_color(Some(fg.into()))
    } else {
        Style::new()
    }
}

fn plural<N: std::fmt::Display + PartialEq + From<u8> + Copy>(
    n: N,
    one: &str,
    many: &str,
) -> String {
    let word = if n == N::from(1) { one } else { many };
    format!("{n} {word}")
}
