//! The GitHub format: one workflow command per diagnostic, which GitHub Actions turns into an
//! annotation on the pull request's diff.
//!
//! ```text
//! ::error file=config/tenant.yaml,line=12,col=5,endLine=12,endColumn=11,title=ciamctl unknown-key::unknown key `singUp`%0Ahelp: …
//! ```
//!
//! GitHub reads the message up to the end of the line, so `%`, CR and LF in it are
//! percent-encoded; property values additionally encode `:` and `,`, which separate
//! properties. The help and any related locations follow the message on their own lines.

use std::fmt::Write as _;
use std::io;

use super::{Entry, Report};
use crate::diagnostic::Severity;

pub(super) fn render(out: &mut dyn io::Write, report: &Report<'_>) -> io::Result<()> {
    for entry in &report.entries {
        writeln!(out, "{}", command(entry))?;
    }
    Ok(())
}

fn command(entry: &Entry<'_>) -> String {
    let diagnostic = entry.diagnostic;
    let name = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some(location) = &entry.location {
        properties.push(format!("file={}", escape_property(&location.path)));
        properties.push(format!("line={}", location.line));
        properties.push(format!("col={}", location.column));
        properties.push(format!("endLine={}", location.end_line));
        properties.push(format!("endColumn={}", location.end_column));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("ciamctl {}", diagnostic.code))
    ));

    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.label {
        let _ = write!(message, " ({label})");
    }
    if let Some(help) = &diagnostic.help {
        let _ = write!(message, "\nhelp: {help}");
    }
    for (location, text) in &entry.related {
        let _ = write!(
            message,
            "\n{}:{}:{}: {text}",
            location.path, location.line, location.column
        );
    }
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// Escapes a message the way the Actions runner's `escapeData` does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value the way the Actions runner's `escapeProperty` does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
