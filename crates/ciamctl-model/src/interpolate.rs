//! `${…}` references in string values.
//!
//! Three forms, in any string value of a configuration file:
//!
//! | form | replaced by |
//! |---|---|
//! | `${NAME}` | the variable `NAME` of the selected environment file (`environments/<env>.yaml`) |
//! | `${env:NAME}` | the process environment variable `NAME` |
//! | `${file:PATH}` | the content of a file, surrounding whitespace trimmed; `PATH` is relative to the configuration directory and must stay inside it |
//!
//! `$${` writes a literal `${`. Names are `[A-Za-z_][A-Za-z0-9_]*`.
//!
//! Secret fields are the exception: they take exactly one `${env:NAME}` or `${file:PATH}` and
//! keep it as a [`SecretSource`] that is only read when a change has to send the value (see
//! [`parse_secret`]).
//!
//! Parsing is separate from resolving so that the loader can check a value against several
//! environments and so that errors point at the exact `${…}` that failed.

use std::ops::Range;
use std::path::PathBuf;

use ciamctl_secret::SecretSource;

/// A piece of a string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Reference(Reference<'a>),
}

/// One `${…}`, with its byte range (from `$` to `}`) in the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference<'a> {
    pub(crate) kind: ReferenceKind<'a>,
    pub(crate) range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReferenceKind<'a> {
    Variable(&'a str),
    Env(&'a str),
    File(&'a str),
}

/// A malformed `${…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
}

pub(crate) const SYNTAX_HELP: &str = "write `${NAME}` for a variable of the environment file, \
    `${env:NAME}` for a process environment variable or `${file:PATH}` for a file's content; \
    write `$${` for a literal `${`";

/// Splits a string value into text and references.
pub(crate) fn parse(text: &str) -> Result<Vec<Piece<'_>>, SyntaxError> {
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    while let Some(offset) = text[i..].find('$') {
        let dollar = i + offset;
        let rest = &text[dollar..];
        if rest.starts_with("$${") {
            push_text(&mut pieces, &text[literal_start..dollar]);
            pieces.push(Piece::Text("${"));
            i = dollar + 3;
            literal_start = i;
        } else if rest.starts_with("${") {
            let Some(close) = rest.find('}') else {
                return Err(SyntaxError {
                    range: dollar..text.len(),
                    message: "`${` is not closed by `}`".to_owned(),
                });
            };
            let range = dollar..dollar + close + 1;
            let kind = classify(&text[dollar + 2..dollar + close]).ok_or_else(|| SyntaxError {
                range: range.clone(),
                message: format!("`{}` is not a valid reference", &text[range.clone()]),
            })?;
            push_text(&mut pieces, &text[literal_start..dollar]);
            pieces.push(Piece::Reference(Reference { kind, range }));
            i = dollar + close + 1;
            literal_start = i;
        } else {
            i = dollar + 1;
        }
    }
    push_text(&mut pieces, &text[literal_start..]);
    Ok(pieces)
}

fn push_text<'a>(pieces: &mut Vec<Piece<'a>>, text: &'a str) {
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
}

fn classify(inner: &str) -> Option<ReferenceKind<'_>> {
    if let Some(name) = inner.strip_prefix("env:") {
        is_name(name).then_some(ReferenceKind::Env(name))
    } else if let Some(path) = inner.strip_prefix("file:") {
        (!path.trim().is_empty()).then_some(ReferenceKind::File(path))
    } else {
        is_name(inner).then_some(ReferenceKind::Variable(inner))
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`: a variable or environment variable name.
pub(crate) fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Why a secret field's value is not a secret reference. The variants never carry the value:
/// it may be the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SecretProblem {
    /// Plain text, or text mixed with references.
    Literal,
    /// `${NAME}`: environment files are committed, so they cannot hold secrets.
    Variable(String),
    /// A malformed `${…}`.
    Syntax(SyntaxError),
}

/// Reads a secret field: exactly one `${env:NAME}` or `${file:PATH}`.
pub(crate) fn parse_secret(text: &str) -> Result<SecretSource, SecretProblem> {
    let pieces = parse(text).map_err(SecretProblem::Syntax)?;
    match pieces.as_slice() {
        [Piece::Reference(reference)] => match reference.kind {
            ReferenceKind::Env(name) => Ok(SecretSource::Env(name.to_owned())),
            ReferenceKind::File(path) => Ok(SecretSource::File(PathBuf::from(path))),
            ReferenceKind::Variable(name) => Err(SecretProblem::Variable(name.to_owned())),
        },
        _ => Err(SecretProblem::Literal),
    }
}

#[cfg(test)]
mod tests;
