//! The JSON format: one pretty-printed document, a stable contract for scripts and editors.
//! It is written even when there is nothing to report, so a script can always parse stdout.
//!
//! ```json
//! {
//!   "version": 1,
//!   "diagnostics": [
//!     {
//!       "severity": "error",
//!       "code": "unknown-key",
//!       "message": "unknown key `singUp` in a user flow",
//!       "path": "config/tenant.yaml",
//!       "line": 12,
//!       "column": 5,
//!       "endLine": 12,
//!       "endColumn": 11,
//!       "label": "did you mean `signUp`?",
//!       "help": "remove the key or correct its spelling",
//!       "related": [
//!         { "message": "first defined here", "path": "...", "line": 3, "column": 9,
//!           "endLine": 3, "endColumn": 14 }
//!       ]
//!     }
//!   ],
//!   "summary": { "errors": 1, "warnings": 0, "files": 1 }
//! }
//! ```
//!
//! * `version` is 1. Adding a field does not change it; renaming or removing a field, or
//!   changing a field's meaning, does.
//! * `severity` is `"error"` or `"warning"`. `code` is a stable kebab-case identifier; the
//!   `message`, `label` and `help` texts are for people and may change between releases.
//! * `path` is the file as the user can open it (the configuration directory joined with the
//!   path inside it, `/`-separated). Lines and columns are 1-based, columns count Unicode
//!   scalar values, and the end (`endLine`, `endColumn`) is exclusive: the position just after
//!   the last character, as in LSP and SARIF.
//! * `path`, `line`, `column`, `endLine` and `endColumn` are `null` for a problem that belongs
//!   to no file; `label` and `help` are `null` when absent; `related` is always present.
//! * `diagnostics` is sorted by path, line, column and code; `summary.files` counts the
//!   distinct files that have a diagnostic.

use std::io;

use serde::Serialize;

use super::{Location, Report, Summary};
use crate::diagnostic::Severity;

/// The document's format version.
pub(super) const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: JsonLocation<'a>,
    label: Option<&'a str>,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLocation<'a> {
    path: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
}

impl<'a> From<Option<&'a Location>> for JsonLocation<'a> {
    fn from(location: Option<&'a Location>) -> Self {
        Self {
            path: location.map(|l| l.path.as_str()),
            line: location.map(|l| l.line),
            column: location.map(|l| l.column),
            end_line: location.map(|l| l.end_line),
            end_column: location.map(|l| l.end_column),
        }
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: JsonLocation<'a>,
}

pub(super) fn render(out: &mut dyn io::Write, report: &Report<'_>) -> io::Result<()> {
    let document = Document {
        version: VERSION,
        diagnostics: report
            .entries
            .iter()
            .map(|entry| JsonDiagnostic {
                severity: entry.diagnostic.severity,
                code: entry.diagnostic.code,
                message: &entry.diagnostic.message,
                location: entry.location.as_ref().into(),
                label: entry.diagnostic.label.as_deref(),
                help: entry.diagnostic.help.as_deref(),
                related: entry
                    .related
                    .iter()
                    .map(|(location, message)| JsonRelated {
                        message,
                        location: Some(location).into(),
                    })
                    .collect(),
            })
            .collect(),
        summary: report.summary,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
