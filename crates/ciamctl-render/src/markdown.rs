//! The Markdown format: a pull-request comment or a job summary (`GITHUB_STEP_SUMMARY`).
//!
//! A heading and the tenant; a table of counts per kind and the totals line; a `[!WARNING]`
//! alert listing the unsafe changes; then one collapsed `<details>` section per change with
//! its field diff in a `diff` block (so GitHub colours `+`/`-` lines; a change is a
//! `-before`/`+after` pair, a long text a unified diff whose hunk headers name the field) and
//! its Graph requests; the unmanaged objects last.
//!
//! Two rules hold whatever the plan holds:
//!
//! * Size: the output never exceeds [`RenderOptions::markdown_limit`] bytes. When the whole
//!   report would, change sections are added in plan order while they fit, and a note says
//!   how many changes are not shown and where the full plan is. When even the list of unsafe
//!   changes would not fit, the warning gives only their number, so the table always shows.
//! * Escaping: a name or text from the configuration or the tenant goes through [`escape`]
//!   (ASCII punctuation as numeric character references, which neither Markdown nor HTML
//!   interprets), and names sit in `<code>`, where GitHub links no mention or issue number.
//!   Sentences that are not in `<code>` (unsafe reasons, notes), which quote names, go through
//!   [`prose`]: GitHub finds mentions in the rendered text, after character references are
//!   read, so there a zero-width space also follows every `@` and `#`, and `@team` in a name
//!   can neither ping a team nor `#12` link an issue. A diff block's fence is longer than any
//!   run of backticks inside it.
//!
//! The report is built in `String`s first, to measure it; writing to a `String` cannot fail,
//! hence the `let _ = write!(…)`.

use std::fmt::Write as _;
use std::io;

use ciamctl_plan::{Change, Plan};

use crate::field::{self, Body, Hunk, View};
use crate::{Mode, RenderOptions, words};

pub(crate) fn render(
    out: &mut dyn io::Write,
    plan: &Plan,
    options: &RenderOptions,
) -> io::Result<()> {
    let mode = options.mode;
    let sections: Vec<String> = plan
        .changes
        .iter()
        .map(|change| section(change, mode))
        .collect();
    let unmanaged = unmanaged(plan, mode);
    // The heading, table and totals are the report's point: when the list of unsafe changes
    // would crowd them out (hundreds of unsafe deletes), it gives way to their count. The
    // longest note is the one that leaves every change out.
    let longest_note = note(sections.len(), sections.len(), unmanaged.is_some(), mode);
    let mut head = head(plan, mode, true);
    if head.len() + longest_note.len() > options.markdown_limit {
        head = self::head(plan, mode, false);
    }
    let report = fit(
        &head,
        &sections,
        unmanaged.as_deref(),
        mode,
        options.markdown_limit,
    );
    out.write_all(report.as_bytes())
}

/// The report, or as much of it as fits in `limit` bytes followed by a note saying what is
/// left out.
fn fit(
    head: &str,
    sections: &[String],
    unmanaged: Option<&str>,
    mode: Mode,
    limit: usize,
) -> String {
    let whole = head.len() + sections.iter().map(String::len).sum::<usize>();
    if whole + unmanaged.map_or(0, str::len) <= limit {
        let mut report = head.to_owned();
        report.extend(sections.iter().map(String::as_str));
        report.push_str(unmanaged.unwrap_or_default());
        return report;
    }
    let total = sections.len();
    let unmanaged_left_out = unmanaged.is_some();
    let mut report = head.to_owned();
    let mut shown = 0;
    for section in sections {
        let note = note(total - shown - 1, total, unmanaged_left_out, mode);
        if report.len() + section.len() + note.len() > limit {
            break;
        }
        report.push_str(section);
        shown += 1;
    }
    let note = note(total - shown, total, unmanaged_left_out, mode);
    if report.len() + note.len() <= limit {
        report.push_str(&note);
        report
    } else {
        // Not even the heading fits with the note (a limit far below any comment's): the
        // note alone, cut at a character boundary if it must be.
        let mut end = limit.min(note.len());
        while !note.is_char_boundary(end) {
            end -= 1;
        }
        note[..end].to_owned()
    }
}

/// What the truncation note says: `3 of 10 changes are not shown …`.
fn note(changes_left_out: usize, total: usize, unmanaged_left_out: bool, mode: Mode) -> String {
    let changes = format!("{changes_left_out} of {total} changes");
    let what = match (changes_left_out > 0, unmanaged_left_out) {
        (true, true) => format!("{changes} and the list of unmanaged objects are"),
        (true, false) if changes_left_out == 1 => format!("{changes} is"),
        (true, false) => format!("{changes} are"),
        (false, _) => "The list of unmanaged objects is".to_owned(),
    };
    let (document, command) = match mode {
        Mode::Plan => ("plan", "plan"),
        Mode::Drift => ("report", "drift"),
    };
    format!(
        "> [!NOTE]\n> {what} not shown, to keep this comment within GitHub's size limit. The \
         full {document} is in the job log, and in JSON from `ciamctl {command} --format \
         json`.\n"
    )
}

/// The heading, the tenant, the counts and the unsafe changes, each with its reasons when
/// `list_unsafe`, else only their number.
fn head(plan: &Plan, mode: Mode, list_unsafe: bool) -> String {
    let mut head = String::new();
    let _ = writeln!(head, "### {}\n", words::title(mode));
    let _ = write!(head, "Tenant {}", code(&plan.tenant_id));
    if let Some(environment) = &plan.environment {
        let _ = write!(head, ", environment {}", code(environment));
    }
    head.push_str(".\n\n");
    if !plan.summary.kinds.is_empty() {
        let columns = match mode {
            Mode::Plan => "| Kind | Create | Update | Delete | Unmanaged |",
            Mode::Drift => {
                "| Kind | Missing in the tenant | Differs | Only in the tenant | Not in Git |"
            }
        };
        let _ = writeln!(head, "{columns}\n| :-- | --: | --: | --: | --: |");
        for row in &plan.summary.kinds {
            let _ = writeln!(
                head,
                "| {} | {} | {} | {} | {} |",
                row.kind.plural(),
                row.create,
                row.update,
                row.delete,
                row.unmanaged
            );
        }
        head.push('\n');
    }
    let _ = writeln!(head, "**{}**\n", words::totals(mode, &plan.summary));
    if mode == Mode::Drift && !plan.changes.is_empty() {
        let _ = writeln!(head, "{}\n", words::DRIFT_LEGEND_MARKDOWN);
    }
    let risky: Vec<&Change> = plan.changes.iter().filter(|c| c.is_unsafe()).collect();
    if !risky.is_empty() {
        let _ = write!(
            head,
            "> [!WARNING]\n> {}, which `apply` refuses without `--allow-unsafe`",
            words::counted(risky.len(), "unsafe change", "unsafe changes")
        );
        if !list_unsafe {
            head.push_str(
                " (too many to list here; each change's section below is marked unsafe and \
                 says why).\n\n",
            );
            return head;
        }
        head.push_str(":\n");
        for change in risky {
            let _ = writeln!(head, "> - {}", headline(change, mode));
            for reason in &change.unsafe_reasons {
                let _ = writeln!(head, ">   - {}", prose(reason));
            }
        }
        head.push('\n');
    }
    head
}

/// `<b>create</b> user flow <code>Woodgrove</code>`, or in a drift report
/// `user flow <code>Woodgrove</code>: <b>missing in the tenant</b>`.
fn headline(change: &Change, mode: Mode) -> String {
    let kind = change.kind.noun();
    let name = code(&change.name);
    match mode {
        Mode::Plan => format!("<b>{}</b> {kind} {name}", change.action.name()),
        Mode::Drift => format!(
            "{kind} {name}: <b>{}</b>",
            words::drift_state(change.action)
        ),
    }
}

/// One change as a collapsed section.
fn section(change: &Change, mode: Mode) -> String {
    let mut section = String::new();
    let mark = if change.is_unsafe() {
        " ⚠️ unsafe"
    } else {
        ""
    };
    let _ = writeln!(
        section,
        "<details><summary>{}{mark}</summary>\n",
        headline(change, mode)
    );
    for reason in &change.unsafe_reasons {
        let _ = writeln!(section, "- **Unsafe:** {}", prose(reason));
    }
    for note in &change.notes {
        let _ = writeln!(section, "- **Note:** {}", prose(note));
    }
    if change.is_unsafe() || !change.notes.is_empty() {
        section.push('\n');
    }
    if !change.fields.is_empty() {
        let mut diff = String::new();
        for field in &change.fields {
            diff_lines(&mut diff, &View::of(field, change));
        }
        let fence = fence(&diff);
        let _ = writeln!(section, "{fence}diff\n{diff}{fence}\n");
    }
    if !change.requests.is_empty() {
        let _ = writeln!(section, "{}:\n", words::requests_label(mode));
        for request in &change.requests {
            let line = format!(
                "{} /{}{}",
                request.method,
                request.api.segment(),
                request.path
            );
            let _ = write!(section, "- step {}: {}", request.step, code(&line));
            if let Some(asset) = &request.asset {
                let _ = write!(section, " (file {})", code(&asset.path));
            }
            section.push('\n');
        }
        section.push('\n');
    }
    section.push_str("</details>\n\n");
    section
}

/// A field's lines in a `diff` block.
fn diff_lines(diff: &mut String, view: &View<'_>) {
    let path = field::printable(view.path);
    match &view.body {
        Body::Add(value) => {
            let _ = writeln!(diff, "+{path}: {value}");
        }
        Body::Remove(value) => {
            let _ = writeln!(diff, "-{path}: {value}");
        }
        Body::Change { before, after } => {
            let _ = writeln!(diff, "-{path}: {before}\n+{path}: {after}");
        }
        Body::Move { from, to } => {
            let _ = writeln!(diff, "-{path}: position {from}\n+{path}: position {to}");
        }
        // `!` marks a changed line in a context diff; GitHub's diff grammar colours it apart.
        Body::Rotate(said) => {
            let _ = writeln!(diff, "!{path}: {said}");
        }
        Body::Text { hunks, .. } => hunk_lines(diff, &path, hunks),
        Body::Asset {
            before,
            after,
            hunks,
        } => {
            if let Some(before) = before {
                let _ = writeln!(diff, "-{path}: {before}");
            }
            if let Some(after) = after {
                let _ = writeln!(diff, "+{path}: {after}");
            }
            hunk_lines(diff, &path, hunks);
        }
    }
}

/// Hunks whose headers name the field, as `git diff` names the function:
/// `@@ -1,3 +1,4 @@ page.description`.
fn hunk_lines(diff: &mut String, path: &str, hunks: &[Hunk]) {
    for hunk in hunks {
        let _ = writeln!(diff, "{} {path}", hunk.header);
        for line in &hunk.lines {
            let _ = writeln!(diff, "{}{}", line.marker(), line.text);
        }
    }
}

/// The unmanaged objects, in a final collapsed section.
fn unmanaged(plan: &Plan, mode: Mode) -> Option<String> {
    if plan.unmanaged.is_empty() {
        return None;
    }
    let mut section = format!(
        "<details><summary>{}</summary>\n\n",
        words::unmanaged_heading(mode, plan.unmanaged.len())
    );
    for object in &plan.unmanaged {
        let _ = writeln!(section, "- {} {}", object.kind.noun(), code(&object.name));
    }
    section.push_str("\n</details>\n\n");
    Some(section)
}

/// A fence of backticks longer than any run of backticks in `text`, so the text cannot close
/// it.
fn fence(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    "`".repeat((longest + 1).max(3))
}

/// `text` in `<code>`, escaped.
fn code(text: &str) -> String {
    format!("<code>{}</code>", escape(text))
}

/// ASCII punctuation that means nothing in Markdown or HTML where [`escape`]d text goes (in a
/// line, never at its start): `(` only matters after `]`, which is escaped.
const INERT: &str = ",.-/;?\"'()%";

/// `text` made inert in Markdown and HTML: ASCII punctuation that either gives meaning to
/// becomes a numeric character reference, which Markdown and HTML both show as the
/// character itself; control characters become `\u{…}` first, so a name cannot break a
/// table row or a line.
fn escape(text: &str) -> String {
    escaped(text, false)
}

/// `text` [`escape`]d for a line outside `<code>`: a zero-width space (U+200B) after every `@`
/// and `#`, as Renovate does, so GitHub reads no `@user`, `@org/team`, `#12` or `owner/repo#12`
/// in it, while the line reads the same.
fn prose(text: &str) -> String {
    escaped(text, true)
}

fn escaped(text: &str, break_references: bool) -> String {
    let text = field::printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() && !INERT.contains(c) {
            let _ = write!(out, "&#{};", u32::from(c));
            if break_references && matches!(c, '@' | '#') {
                out.push_str("&#8203;");
            }
        } else {
            out.push(c);
        }
    }
    out
}
