//! Printing diagnostics for people and for machines.
//!
//! Three formats, one per submodule, each writing to any [`std::io::Write`] the caller hands in:
//!
//! * [`Format::Human`] ([`human`]): miette's graphical report per diagnostic (source line,
//!   caret with the label, related locations, `help:` line), then one summary line. Colour is
//!   the caller's decision ([`RenderOptions::color`]); this module never looks at the terminal.
//! * [`Format::Json`] ([`json`]): one versioned JSON document, described in that module's doc.
//! * [`Format::Github`] ([`github`]): GitHub Actions workflow commands (`::error file=…::…`).
//!
//! Every format prints diagnostics in the same stable order: by path, line, column, code (then
//! message), diagnostics without a file first. Two runs over the same files give byte-identical
//! output.
//!
//! Paths are printed as the user can open them from where they ran the command: the
//! configuration directory ([`RenderOptions::root`], e.g. the `-c` argument) joined with the
//! path inside it, always with `/` separators so output does not depend on the platform.

mod github;
mod human;
mod json;

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity, Sources, Span};

/// An output format of `ciamctl validate --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Source snippets with carets, for a terminal.
    #[default]
    Human,
    /// The versioned JSON document of [`json`].
    Json,
    /// GitHub Actions workflow commands.
    Github,
}

/// What the caller decides about the output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// Emit ANSI colour codes (human format only). The binary sets this when the stream is a
    /// terminal and `NO_COLOR` is not set.
    pub color: bool,
    /// The configuration directory as the user named it; printed paths are `root/path`.
    pub root: PathBuf,
}

/// Writes `diagnostics` in `format`. For an empty list the human and GitHub formats write
/// nothing (what to say about a clean run is the command's business) and JSON writes a document
/// with no diagnostics.
pub fn render(
    out: &mut dyn io::Write,
    format: Format,
    diagnostics: &[Diagnostic],
    sources: &Sources,
    options: &RenderOptions,
) -> io::Result<()> {
    let report = Report::new(diagnostics, sources, options);
    match format {
        Format::Human => human::render(out, &report, options),
        Format::Json => json::render(out, &report),
        Format::Github => github::render(out, &report),
    }
}

/// The counts a summary line reports; also the `summary` object of the JSON format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Distinct files with at least one diagnostic.
    pub files: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic], sources: &Sources) -> Self {
        let mut files: Vec<_> = diagnostics
            .iter()
            .filter_map(|d| d.span.map(|s| sources.path(s.file)))
            .collect();
        files.sort();
        files.dedup();
        Self {
            errors: count(diagnostics, Severity::Error),
            warnings: count(diagnostics, Severity::Warning),
            files: files.len(),
        }
    }

    /// `3 problems (2 errors, 1 warning) in 2 files`.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} ({}, {})",
            plural(self.errors + self.warnings, "problem"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        );
        if self.files > 0 {
            text.push_str(" in ");
            text.push_str(&plural(self.files, "file"));
        }
        text
    }
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The diagnostics, sorted, with their positions resolved once for every format.
struct Report<'a> {
    entries: Vec<Entry<'a>>,
    sources: &'a Sources,
    summary: Summary,
}

struct Entry<'a> {
    diagnostic: &'a Diagnostic,
    location: Option<Location>,
    related: Vec<(Location, &'a str)>,
}

/// A span resolved for printing. Lines and columns are 1-based; columns count characters. The
/// end is exclusive: `end_column` is the column just after the last character, as in LSP and
/// SARIF, so an empty span has `end_column == column`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Location {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> Report<'a> {
    fn new(diagnostics: &'a [Diagnostic], sources: &'a Sources, options: &RenderOptions) -> Self {
        let locate = |span: Span| {
            let start = sources.position(span.file, span.start);
            let end = sources.position(span.file, span.end.max(span.start));
            Location {
                path: display_path(&options.root, &start.path),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
            }
        };
        let mut entries: Vec<Entry<'a>> = diagnostics
            .iter()
            .map(|diagnostic| Entry {
                diagnostic,
                location: diagnostic.span.map(locate),
                related: diagnostic
                    .related
                    .iter()
                    .map(|label| (locate(label.span), label.message.as_str()))
                    .collect(),
            })
            .collect();
        entries.sort_by(|a, b| {
            let key = |e: &Entry<'a>| {
                (
                    e.location
                        .as_ref()
                        .map(|l| (l.path.clone(), l.line, l.column)),
                    e.diagnostic.code,
                    e.diagnostic.message.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        Self {
            entries,
            sources,
            summary: Summary::of(diagnostics, sources),
        }
    }
}

/// `root` joined with `path`, `/`-separated, without `./` noise.
fn display_path(root: &Path, path: &Path) -> String {
    let parts: Vec<String> = root
        .components()
        .chain(path.components())
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests;
