//! Diagnostics: what is wrong in the configuration, where, and how to fix it.
//!
//! Loading never stops at the first problem: every stage returns what it could build together
//! with a list of [`Diagnostic`]s, and `validate` prints them all. A diagnostic points at a byte
//! range of one source file; line and column are derived from the [`Sources`] it was made from,
//! so they always agree with the snippet shown under the message.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Identifies one loaded file within [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub(crate) u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// A resolved position for people: path (relative to the configuration directory), 1-based
/// line and 1-based column counted in characters, as editors count them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// The text of every file a configuration was loaded from.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug, Clone)]
struct SourceFile {
    /// Path relative to the configuration directory, as diagnostics print it.
    path: PathBuf,
    text: String,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
}

impl Sources {
    /// Registers a file's text and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            path: path.into(),
            text,
            line_starts,
        });
        id
    }

    /// Every registered file, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..u32::try_from(self.files.len()).unwrap_or(u32::MAX)).map(FileId)
    }

    pub fn path(&self, file: FileId) -> &Path {
        &self.files[file.0 as usize].path
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.files[file.0 as usize].text
    }

    /// Replaces every character of `span` except line breaks with `*`, byte for byte, so every
    /// offset and line stays valid. For text that must never be shown, such as a secret
    /// written into a configuration file by mistake: renderers print source lines.
    pub fn redact(&mut self, span: Span) {
        let text = &mut self.files[span.file.0 as usize].text;
        let Some(original) = text.get(span.start..span.end) else {
            return;
        };
        let masked: String = original
            .chars()
            .map(|c| match c {
                '\n' | '\r' => c.to_string(),
                _ => "*".repeat(c.len_utf8()),
            })
            .collect();
        text.replace_range(span.start..span.end, &masked);
    }

    /// The whole lines from `before` lines above the one holding byte `start` to `after` lines
    /// below the one holding byte `end`, as a byte range of the file's text, with the 0-based
    /// index of the first. Renderers show a snippet from these lines rather than from the whole
    /// text, so a diagnostic costs the same at the end of a large file as at its start.
    pub(crate) fn lines_around(
        &self,
        file: FileId,
        (start, end): (usize, usize),
        before: usize,
        after: usize,
    ) -> (Range<usize>, usize) {
        let source = &self.files[file.0 as usize];
        let starts = &source.line_starts;
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let first = line_of(start).saturating_sub(before);
        let last = line_of(end).saturating_add(after);
        let window_end = starts.get(last + 1).copied().unwrap_or(source.text.len());
        (starts[first]..window_end, first)
    }

    /// Line and column of a byte offset.
    pub fn position(&self, file: FileId, offset: usize) -> Position {
        let source = &self.files[file.0 as usize];
        let line = source
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let line_start = source.line_starts[line - 1];
        let end = offset.min(source.text.len());
        let column = source
            .text
            .get(line_start..end)
            .map_or(1, |s| s.chars().count() + 1);
        Position {
            path: source.path.clone(),
            line,
            column,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A secondary location ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem in the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable kebab-case identifier (`unknown-key`, `duplicate-object`, ...), for machine
    /// output and for tests.
    pub code: &'static str,
    /// What is wrong, as one sentence without a trailing period.
    pub message: String,
    /// Where. `None` only for problems that belong to no file (an empty directory).
    pub span: Option<Span>,
    /// The text under the primary span's caret, e.g. "did you mean `signUp`?".
    pub label: Option<String>,
    /// Further locations that explain the problem.
    pub related: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, span)
        }
    }

    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
