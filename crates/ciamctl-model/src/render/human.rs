//! The human format: miette's graphical report for each diagnostic, then a summary line.
//!
//! Our [`Diagnostic`] is plain data; [`View`] adapts it to `miette::Diagnostic` for the length
//! of one render. miette shows one source file per report, so labels in the diagnostic's own
//! file are drawn in its snippet, and each other file with related labels gets a note of its
//! own right under it ("first defined here" in another file), before the `help:` line.

use std::fmt;
use std::io;

use anstyle::{AnsiColor, Style};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan};

use super::{Entry, RenderOptions, Report};
use crate::diagnostic::{Diagnostic, FileId, Label, Severity, Sources};

pub(super) fn render(
    out: &mut dyn io::Write,
    report: &Report<'_>,
    options: &RenderOptions,
) -> io::Result<()> {
    if report.entries.is_empty() {
        return Ok(());
    }
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // No wrapping: miette's wrapper breaks inside `code` spans and paths, which then cannot be
    // copied; terminals wrap long lines themselves.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_wrap_lines(false)
        .with_links(false)
        .without_syntax_highlighting();
    for entry in &report.entries {
        for view in views(entry, report.sources, options) {
            let mut text = String::new();
            handler
                .render_report(&mut text, &view)
                .map_err(|_| io::Error::other("formatting a diagnostic failed"))?;
            writeln!(out, "{}", text.trim_end())?;
        }
        writeln!(out)?;
    }
    let summary = &report.summary;
    let (word, colour) = if summary.errors > 0 {
        ("error", AnsiColor::Red)
    } else {
        ("warning", AnsiColor::Yellow)
    };
    // The same colours miette's theme gives errors and warnings.
    let style = if options.color {
        Style::new().bold().fg_color(Some(colour.into()))
    } else {
        Style::new()
    };
    writeln!(out, "{style}{word}{style:#}: {}", summary.describe())
}

/// One miette report: a message with labels in one file.
#[derive(Debug)]
struct View<'a> {
    severity: miette::Severity,
    code: Option<&'a str>,
    message: String,
    help: Option<&'a str>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
}

/// The reports that show one diagnostic: its own, then one note per other file its related
/// labels point into. The help goes on the last one so it closes the diagnostic.
fn views<'a>(entry: &Entry<'a>, sources: &'a Sources, options: &RenderOptions) -> Vec<View<'a>> {
    let diagnostic: &Diagnostic = entry.diagnostic;
    let home = diagnostic.span.map(|span| span.file);
    let mut labels = Vec::new();
    if let Some(span) = diagnostic.span {
        labels.push(LabeledSpan::new_primary_with_span(
            diagnostic.label.clone(),
            source_span(span.start, span.end),
        ));
    }
    // Related labels in the diagnostic's own file share its snippet; the others are grouped
    // per file, in the order they are first mentioned.
    let mut elsewhere: Vec<(FileId, Vec<&Label>)> = Vec::new();
    for label in &diagnostic.related {
        if Some(label.span.file) == home {
            labels.push(LabeledSpan::new_with_span(
                Some(label.message.clone()),
                source_span(label.span.start, label.span.end),
            ));
        } else if let Some((_, group)) = elsewhere
            .iter_mut()
            .find(|(file, _)| *file == label.span.file)
        {
            group.push(label);
        } else {
            elsewhere.push((label.span.file, vec![label]));
        }
    }
    let mut views = vec![View {
        severity: match diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        },
        code: Some(diagnostic.code),
        message: diagnostic.message.clone(),
        help: None,
        source: home.map(|file| FileSource::new(sources, file, options)),
        labels,
    }];
    for (file, group) in elsewhere {
        // A lone label reads best as the note's message; several keep their own texts.
        let (message, labels) = match group.as_slice() {
            [label] => (
                label.message.clone(),
                vec![LabeledSpan::new_with_span(
                    None,
                    source_span(label.span.start, label.span.end),
                )],
            ),
            _ => (
                "see also".to_owned(),
                group
                    .iter()
                    .map(|label| {
                        LabeledSpan::new_with_span(
                            Some(label.message.clone()),
                            source_span(label.span.start, label.span.end),
                        )
                    })
                    .collect(),
            ),
        };
        views.push(View {
            severity: miette::Severity::Advice,
            code: None,
            message,
            help: None,
            source: Some(FileSource::new(sources, file, options)),
            labels,
        });
    }
    if let Some(last) = views.last_mut() {
        last.help = diagnostic.help.as_deref();
    }
    views
}

fn source_span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .map(|code| Box::new(format!("{}[{code}]", severity_word(self.severity))) as _)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|help| Box::new(help) as _)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// Spelled out so the report reads the same without colour.
fn severity_word(severity: miette::Severity) -> &'static str {
    match severity {
        miette::Severity::Error => "error",
        miette::Severity::Warning => "warning",
        miette::Severity::Advice => "note",
    }
}

/// One file's text under the name the report prints.
#[derive(Debug)]
struct FileSource<'a> {
    name: String,
    sources: &'a Sources,
    file: FileId,
}

impl<'a> FileSource<'a> {
    fn new(sources: &'a Sources, file: FileId, options: &RenderOptions) -> Self {
        Self {
            name: super::display_path(&options.root, sources.path(file)),
            sources,
            file,
        }
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        // miette finds lines by scanning the text from its start; hand it only the lines
        // around the span (one more on each side than it shows), and shift what it finds back.
        let text = self.sources.text(self.file);
        let (start, end) = (span.offset(), span.offset() + span.len());
        let (window, first_line) = self.sources.lines_around(
            self.file,
            (start, end),
            context_lines_before + 1,
            context_lines_after + 1,
        );
        let local = SourceSpan::new(start.saturating_sub(window.start).into(), span.len());
        let inner = text.get(window.clone()).unwrap_or_default().read_span(
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window.start).into(),
                inner.span().len(),
            ),
            inner.line() + first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}
