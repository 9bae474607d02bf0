//! A serde deserializer over the YAML node tree that records problems and carries on.
//!
//! The model types derive `Deserialize`; this module is the other half. Its job is to turn one
//! bad value into one precise diagnostic and keep going, so `validate` reports everything at
//! once:
//!
//! * **Typing follows the target type.** A plain scalar becomes whatever the field asks for: a
//!   string field takes `NO` as "NO", a boolean field accepts only `true` and `false`, an
//!   integer field only integer syntax. Quoted and block scalars are always strings.
//! * **Unknown keys are skipped, not fatal.** serde tells `deserialize_struct` the field names;
//!   an unknown key is reported at the key with a "did you mean" and never shown to the derived
//!   code.
//! * **Recovery by masking.** When a value is wrong, the diagnostic is recorded and the node is
//!   *masked*: the derived code gets an error that says "already reported". The value holding
//!   it is then read again, and this time it acts as if masked nodes were not there: a masked
//!   field is absent (fine for an optional field; a required one makes its parent fail, which
//!   masks the parent in turn, silently, since the cause is reported), and a masked list
//!   element is left out. Every read masks at least one more node, so this ends, and what
//!   survives is exactly the valid part of the document. The read is repeated where the
//!   problem is ([`settle`], at every list element and field value), not for the whole
//!   document, so a file with thousands of problems costs a re-read of each bad object, not
//!   thousands of re-reads of the file.
//! * **Private struct names** (`Located`, secret fields, asset paths) ask for what only the
//!   loader knows: a node's span, a secret field's raw text, the declaring file's directory.
//! * **Interpolation** of `${…}` happens when a string is read, so error spans point at the
//!   exact reference, and a value is checked against each environment by reading it again. A
//!   value with a reference that cannot be resolved is masked like any bad value: the text as
//!   written is not what was meant, and the semantic checks must not see it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::value::{MapDeserializer, SeqDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use crate::diagnostic::{Diagnostic, FileId, Span};
use crate::interpolate::{self, Piece, Reference, ReferenceKind};
use crate::located::{self, Located};
use crate::paths::TextError;
use crate::yaml::{Entry, Node, NodeId, NodeKind, Style};
use crate::{branding, paths, secret, suggest};

/// What `${…}` references resolve against.
pub(crate) struct Interpolation<'a> {
    /// The configuration directory, which `${file:PATH}` paths are relative to.
    pub(crate) root: &'a Path,
    /// The selected environment's variables (empty without an environment).
    pub(crate) variables: &'a BTreeMap<Located<String>, Located<String>>,
    pub(crate) process_env: &'a dyn Fn(&str) -> Option<String>,
}

/// Everything one file's deserialization found. A value read again (after a problem below it,
/// or under another environment) reports its problems again; the loader keeps one of each.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// `${NAME}` references the environment does not define, reported by the loader once it
    /// knows which environments lack them.
    pub(crate) undefined: BTreeSet<(Span, String)>,
    /// Secret fields holding a literal, masked in the stored source text so no renderer shows
    /// the value.
    pub(crate) literal_secrets: Vec<Span>,
}

impl Findings {
    /// Adds what another file's deserialization found.
    pub(crate) fn absorb(&mut self, other: Findings) {
        self.diagnostics.extend(other.diagnostics);
        self.undefined.extend(other.undefined);
        self.literal_secrets.extend(other.literal_secrets);
    }
}

/// The state of deserializing one file.
pub(crate) struct Context<'a> {
    file: FileId,
    text: &'a str,
    /// The file's folder, relative to the configuration directory: asset paths are relative
    /// to it.
    dir: &'a Path,
    /// `None` reads strings literally (environment files, the JSON conversion of tests).
    interpolation: Option<&'a Interpolation<'a>>,
    masked: RefCell<BTreeSet<NodeId>>,
    findings: RefCell<Findings>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        file: FileId,
        text: &'a str,
        dir: &'a Path,
        interpolation: Option<&'a Interpolation<'a>>,
    ) -> Self {
        Self {
            file,
            text,
            dir,
            interpolation,
            masked: RefCell::default(),
            findings: RefCell::default(),
        }
    }

    pub(crate) fn into_findings(self) -> Findings {
        self.findings.into_inner()
    }

    fn report(&self, diagnostic: Diagnostic) {
        self.findings.borrow_mut().diagnostics.push(diagnostic);
    }

    fn is_masked(&self, node: &Node) -> bool {
        self.masked.borrow().contains(&node.id)
    }

    fn mask(&self, node: &Node) {
        self.masked.borrow_mut().insert(node.id);
    }

    fn masked_count(&self) -> usize {
        self.masked.borrow().len()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            file: self.file,
            start,
            end,
        }
    }
}

/// Reads `node` as a `T`, reporting every problem through `cx`. `None` when the node itself is
/// unusable; otherwise the value holds everything that was valid.
pub(crate) fn deserialize<T: DeserializeOwned>(node: &Node, cx: &Context<'_>) -> Option<T> {
    settle(node, cx).ok()
}

/// Reads `node` as a `T`, again after each attempt that masked nodes below it, until one
/// succeeds. Fails when `node` itself is masked, or when an attempt masks nothing new (so
/// another would fail the same way).
fn settle<'de, T: Deserialize<'de>>(node: &Node, cx: &Context<'_>) -> Result<T> {
    loop {
        let masked = cx.masked_count();
        match T::deserialize(NodeDe::new(node, cx)) {
            Ok(value) => return Ok(value),
            Err(error) if cx.is_masked(node) || cx.masked_count() == masked => return Err(error),
            Err(_) => {}
        }
    }
}

/// The deserializer's error. Problems are reported as diagnostics where they are found;
/// [`Error::Reported`] only tells the derived code to stop.
#[derive(Debug)]
enum Error {
    Reported,
    MissingField(&'static str),
    Message(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Reported => f.write_str("the problem has been reported"),
            Error::MissingField(field) => write!(f, "missing field `{field}`"),
            Error::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::Message(message.to_string())
    }

    fn missing_field(field: &'static str) -> Self {
        Error::MissingField(field)
    }
}

type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Clone, Copy)]
struct NodeDe<'a> {
    node: &'a Node,
    cx: &'a Context<'a>,
    /// Mapping keys are read literally, never interpolated.
    is_key: bool,
}

impl<'a> NodeDe<'a> {
    fn new(node: &'a Node, cx: &'a Context<'a>) -> Self {
        Self {
            node,
            cx,
            is_key: false,
        }
    }

    /// Turns an error raised while reading this node into a diagnostic and masks the node.
    fn guard<T>(self, result: Result<T>) -> Result<T> {
        self.guard_named(None, result)
    }

    /// [`Self::guard`] for a struct whose serde name is `name`, for a better missing-key message.
    fn guard_named<T>(self, name: Option<&str>, result: Result<T>) -> Result<T> {
        match result {
            Ok(value) => Ok(value),
            Err(Error::Reported) => Err(Error::Reported),
            Err(Error::MissingField(field)) => {
                // A field that is present but was masked has been reported already.
                if self.node.get(field).is_none() {
                    self.cx.report(self.missing_field(name, field));
                }
                Err(self.masked())
            }
            Err(Error::Message(message)) => Err(self.fail(
                Diagnostic::error("invalid-value", message, Some(self.node.span))
                    .with_help("correct this value"),
            )),
        }
    }

    /// Reports `diagnostic` and masks this node.
    fn fail(self, diagnostic: Diagnostic) -> Error {
        self.cx.report(diagnostic);
        self.masked()
    }

    /// Masks this node, whose problem has been reported already.
    fn masked(self) -> Error {
        self.cx.mask(self.node);
        Error::Reported
    }

    fn invalid_type(self, expected: &str, help: &str) -> Error {
        self.fail(
            Diagnostic::error(
                "invalid-type",
                format!("expected {expected}, found {}", self.node.describe()),
                Some(self.node.span),
            )
            .with_help(help),
        )
    }

    fn missing_field(self, name: Option<&str>, field: &str) -> Diagnostic {
        let what = name.map_or_else(
            || "this mapping".to_owned(),
            |name| format!("this {}", suggest::noun(name)),
        );
        // Point at the first key rather than the whole (possibly long) mapping.
        let span = self
            .node
            .entries()
            .first()
            .map_or(self.node.span, |entry| entry.key.span);
        Diagnostic::error(
            "missing-field",
            format!("{what} is missing the required key `{field}`"),
            Some(span),
        )
        .with_label(format!("`{field}` is missing here"))
        .with_help(format!("add `{field}: …` to {what}"))
    }

    fn scalar(self) -> Option<(&'a str, Style)> {
        match &self.node.kind {
            NodeKind::Scalar(scalar) if !self.node.is_null() => Some((&scalar.value, scalar.style)),
            _ => None,
        }
    }

    fn plain(self) -> Option<&'a str> {
        self.scalar()
            .and_then(|(value, style)| (style == Style::Plain).then_some(value))
    }

    fn string(self) -> Result<String> {
        let Some((value, _)) = self.scalar() else {
            let help = if self.node.is_null() {
                "write a value, or remove the key"
            } else {
                "write a single text value"
            };
            return Err(self.invalid_type("a string", help));
        };
        match self.cx.interpolation {
            // A value whose `${…}` cannot be resolved is masked like any invalid value: the
            // text as written is not what the user meant, and no later check may see it.
            Some(interpolation) if !self.is_key => self
                .interpolate(value, interpolation)
                .ok_or_else(|| self.masked()),
            _ => Ok(value.to_owned()),
        }
    }

    /// Reads a plain integer in `min..=max`.
    fn integer(self, min: i128, max: i128) -> Result<i128> {
        let parsed = self
            .plain()
            .filter(|text| is_integer(text))
            .and_then(|text| text.parse::<i128>().ok());
        match parsed {
            Some(value) if (min..=max).contains(&value) => Ok(value),
            Some(value) => Err(self.fail(
                Diagnostic::error(
                    "invalid-value",
                    format!("`{value}` is out of range"),
                    Some(self.node.span),
                )
                .with_help(format!("use a whole number from {min} to {max}")),
            )),
            None => {
                let help = if matches!(self.scalar(), Some((_, Style::Quoted))) {
                    "remove the quotes: a quoted value is a string"
                } else {
                    "write a whole number such as `30`"
                };
                Err(self.invalid_type("a whole number", help))
            }
        }
    }

    /// Reads a string value, replacing every `${…}` it contains. `None` when any of them
    /// cannot be resolved; each one that cannot has been reported (or, for an undefined
    /// variable, recorded for the loader to report).
    fn interpolate(self, value: &str, interpolation: &Interpolation<'_>) -> Option<String> {
        let pieces = match interpolate::parse(value) {
            Ok(pieces) => pieces,
            Err(error) => {
                self.cx.report(
                    Diagnostic::error(
                        "invalid-interpolation",
                        error.message,
                        Some(self.source_span(value, error.range)),
                    )
                    .with_help(interpolate::SYNTAX_HELP),
                );
                return None;
            }
        };
        let mut out = String::with_capacity(value.len());
        let mut resolved_all = true;
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Reference(reference) => {
                    match self.resolve(value, &reference, interpolation) {
                        Some(resolved) => out.push_str(&resolved),
                        None => resolved_all = false,
                    }
                }
            }
        }
        resolved_all.then_some(out)
    }

    /// The text of one `${…}` of `value`.
    fn resolve(
        self,
        value: &str,
        reference: &Reference<'_>,
        interpolation: &Interpolation<'_>,
    ) -> Option<String> {
        let span = self.source_span(value, reference.range.clone());
        match reference.kind {
            ReferenceKind::Variable(name) => {
                let found = interpolation.variables.get(name).map(|v| v.get().clone());
                if found.is_none() {
                    let mut findings = self.cx.findings.borrow_mut();
                    findings.undefined.insert((span, name.to_owned()));
                }
                found
            }
            ReferenceKind::Env(name) => {
                let found = (interpolation.process_env)(name);
                if found.is_none() {
                    self.cx.report(
                        Diagnostic::error(
                            "unresolved-variable",
                            format!("the environment variable `{name}` is not set"),
                            Some(span),
                        )
                        .with_label("not set")
                        .with_help(format!(
                            "set `{name}` where ciamctl runs, or define a variable in the \
                             environment file and write `${{{name}}}`"
                        )),
                    );
                }
                found
            }
            ReferenceKind::File(path) => self.read_file(interpolation.root, path, span),
        }
    }

    /// The span in the source text of `range`, a byte range of the scalar's processed value.
    /// Exact when the value is written as-is (plain, or quoted without escapes); otherwise the
    /// same text is looked up in the source, and the whole scalar is the fallback.
    fn source_span(self, value: &str, range: std::ops::Range<usize>) -> Span {
        let (start, end) = (self.node.span.start, self.node.span.end);
        let raw = self.cx.text.get(start..end).unwrap_or_default();
        let content_start = match raw.as_bytes().first() {
            Some(b'"' | b'\'') if raw.len() >= 2 => start + 1,
            _ => start,
        };
        let content = self
            .cx
            .text
            .get(content_start..content_start + value.len())
            .unwrap_or_default();
        if content == value {
            return self
                .cx
                .span(content_start + range.start, content_start + range.end);
        }
        let needle = &value[range.clone()];
        let nth = value[..range.start].matches(needle).count();
        raw.match_indices(needle)
            .nth(nth)
            .map_or(self.node.span, |(offset, _)| {
                self.cx.span(start + offset, start + offset + needle.len())
            })
    }

    /// Reads `${file:PATH}`, relative to the configuration directory; problems are reported
    /// at `span`, the reference.
    fn read_file(self, root: &Path, path: &str, span: Span) -> Option<String> {
        let inside = paths::contained(root, Path::new(""), path)
            .ok()
            // A file that does not exist is reported by the read below.
            .filter(|full| !matches!(paths::stays_inside(root, full), Ok(false)));
        let Some(full) = inside else {
            self.cx.report(
                Diagnostic::error(
                    "file-outside-config",
                    format!("`{path}` is outside the configuration directory"),
                    Some(span),
                )
                .with_help(
                    "`${file:PATH}` reads files inside the configuration directory only; move \
                     the file there and use a relative path",
                ),
            );
            return None;
        };
        match paths::read_text(&full) {
            Ok(text) => Some(text.trim().to_owned()),
            Err(error) => {
                let message = match error {
                    TextError::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
                        format!("the file `{path}` does not exist")
                    }
                    TextError::Io(error) => format!("cannot read `{path}`: {error}"),
                    TextError::NotAFile => format!("`{path}` is not a regular file"),
                    TextError::TooLarge => format!(
                        "`{path}` is larger than {} MiB",
                        paths::MAX_TEXT_BYTES / (1024 * 1024)
                    ),
                    TextError::NotUtf8 { .. } => format!("`{path}` is not UTF-8 text"),
                };
                self.cx.report(
                    Diagnostic::error("unresolved-variable", message, Some(span)).with_help(
                        "create the file or correct the path; it is relative to the \
                         configuration directory",
                    ),
                );
                None
            }
        }
    }

    fn secret<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let Some((text, _)) = self.scalar() else {
            return Err(self.invalid_type(
                "a secret reference",
                "write `${env:NAME}` or `${file:PATH}`",
            ));
        };
        match interpolate::parse_secret(text) {
            Ok(_) => visitor.visit_str(text),
            Err(problem) => {
                let (code, message, help) = secret::problem_report(&problem);
                if code == "literal-secret" {
                    self.cx
                        .findings
                        .borrow_mut()
                        .literal_secrets
                        .push(self.node.span);
                }
                Err(self.fail(
                    Diagnostic::error(code, message, Some(self.node.span))
                        .with_label("secret reference expected")
                        .with_help(help),
                ))
            }
        }
    }

    fn asset<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let fields = [
            (branding::ASSET_PATH_FIELD, self.string()?),
            (
                branding::ASSET_BASE_FIELD,
                self.cx.dir.to_string_lossy().into_owned(),
            ),
        ];
        visitor.visit_map(MapDeserializer::new(fields.into_iter()))
    }

    fn enumeration<'de, V: Visitor<'de>>(
        self,
        name: &str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let expected = format!("one of {}", suggest::list(variants));
        let Some((value, _)) = self.scalar() else {
            return Err(self.invalid_type(&expected, &format!("write {expected}")));
        };
        if variants.contains(&value) {
            return visitor.visit_enum(value.into_deserializer());
        }
        let what = suggest::noun(name);
        let mut diagnostic = Diagnostic::error(
            "unknown-variant",
            format!("`{value}` is not a valid {what}"),
            Some(self.node.span),
        )
        .with_help(format!("use {expected}"));
        if let Some(candidate) = suggest::closest(value, variants) {
            diagnostic = diagnostic.with_label(format!("did you mean `{candidate}`?"));
        }
        Err(self.fail(diagnostic))
    }
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

macro_rules! integer_methods {
    ($($method:ident => $visit:ident($ty:ty);)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let value = self.integer(i128::from(<$ty>::MIN), i128::from(<$ty>::MAX))?;
            // `integer` checked the range, so the conversion cannot fail.
            let value = <$ty>::try_from(value).map_err(de::Error::custom)?;
            self.guard(visitor.$visit(value))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let result = match &self.node.kind {
            _ if self.node.is_null() => visitor.visit_unit(),
            NodeKind::Scalar(_) => match self.plain() {
                Some("true") => visitor.visit_bool(true),
                Some("false") => visitor.visit_bool(false),
                Some(text) if is_integer(text) => match text.parse::<i64>() {
                    Ok(value) => visitor.visit_i64(value),
                    Err(_) => visitor.visit_str(text),
                },
                Some(text) if text.bytes().any(|b| b.is_ascii_digit()) => match text.parse() {
                    Ok(value) => visitor.visit_f64(value),
                    Err(_) => visitor.visit_str(text),
                },
                _ => visitor.visit_string(self.string()?),
            },
            NodeKind::Sequence(items) => visitor.visit_seq(Elements::new(items, self.cx)),
            NodeKind::Mapping(entries) => visitor.visit_map(Entries::new(entries, self.cx)),
        };
        self.guard(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.plain() {
            Some("true") => self.guard(visitor.visit_bool(true)),
            Some("false") => self.guard(visitor.visit_bool(false)),
            _ => {
                let help = match self.scalar() {
                    Some((_, Style::Quoted)) => "remove the quotes: a quoted value is a string",
                    Some((_, Style::Plain)) => {
                        "YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` \
                         or `off`)"
                    }
                    _ => "write `true` or `false`",
                };
                Err(self.invalid_type("`true` or `false`", help))
            }
        }
    }

    integer_methods! {
        deserialize_i8 => visit_i8(i8);
        deserialize_i16 => visit_i16(i16);
        deserialize_i32 => visit_i32(i32);
        deserialize_i64 => visit_i64(i64);
        deserialize_u8 => visit_u8(u8);
        deserialize_u16 => visit_u16(u16);
        deserialize_u32 => visit_u32(u32);
        deserialize_u64 => visit_u64(u64);
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.plain().and_then(|text| text.parse::<f64>().ok()) {
            Some(value) => self.guard(visitor.visit_f64(value)),
            None => Err(self.invalid_type("a number", "write a number such as `1.5`")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let value = self.string()?;
        self.guard(visitor.visit_string(value))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.node.is_null() {
            self.guard(visitor.visit_none())
        } else {
            self.guard(visitor.visit_some(self))
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.node.is_null() {
            self.guard(visitor.visit_unit())
        } else {
            Err(self.invalid_type("an empty value", "remove the value"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.guard(visitor.visit_newtype_struct(self))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let NodeKind::Sequence(items) = &self.node.kind {
            return self.guard(visitor.visit_seq(Elements::new(items, self.cx)));
        }
        let help = if self.node.is_null() {
            "write `[]` for an empty list, or remove the key"
        } else {
            "write a list: one `- item` per line, or `[a, b]`"
        };
        Err(self.invalid_type("a list", help))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match &self.node.kind {
            NodeKind::Mapping(entries) => {
                self.guard(visitor.visit_map(Entries::new(entries, self.cx)))
            }
            _ => Err(self.invalid_type("a mapping", "write `key: value` pairs")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match name {
            located::MAGIC => return visitor.visit_map(LocatedAccess { de: self, step: 0 }),
            secret::MAGIC => return self.secret(visitor),
            branding::ASSET_PATH_MAGIC => return self.asset(visitor),
            _ => {}
        }
        if let NodeKind::Mapping(entries) = &self.node.kind {
            let result = visitor.visit_map(Fields {
                iter: entries.iter(),
                name,
                known: fields,
                cx: self.cx,
                value: None,
            });
            return self.guard_named(Some(name), result);
        }
        let what = suggest::with_article(&suggest::noun(name));
        Err(self.invalid_type(&format!("{what} (a mapping)"), "write `key: value` pairs"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let result = self.enumeration(name, variants, visitor);
        self.guard(result)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_unit()
    }
}

/// The elements of a sequence, without masked ones.
struct Elements<'a> {
    items: std::slice::Iter<'a, Node>,
    cx: &'a Context<'a>,
}

impl<'a> Elements<'a> {
    fn new(items: &'a [Node], cx: &'a Context<'a>) -> Self {
        Self {
            items: items.iter(),
            cx,
        }
    }
}

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = Error;

    /// What serde's own collections call: each element is settled on its own, and one that
    /// ends up masked is left out.
    fn next_element<T: Deserialize<'de>>(&mut self) -> Result<Option<T>> {
        let cx = self.cx;
        while let Some(node) = self.items.by_ref().find(|node| !cx.is_masked(node)) {
            match settle(node, cx) {
                Ok(value) => return Ok(Some(value)),
                Err(_) if cx.is_masked(node) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(None)
    }

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let cx = self.cx;
        match self.items.by_ref().find(|node| !cx.is_masked(node)) {
            Some(node) => seed.deserialize(NodeDe::new(node, cx)).map(Some),
            None => Ok(None),
        }
    }
}

/// The entries of a mapping read as a map, without masked ones.
struct Entries<'a> {
    iter: std::slice::Iter<'a, Entry>,
    cx: &'a Context<'a>,
    value: Option<&'a Node>,
}

impl<'a> Entries<'a> {
    fn new(entries: &'a [Entry], cx: &'a Context<'a>) -> Self {
        Self {
            iter: entries.iter(),
            cx,
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    /// What serde's own maps call: each value is settled on its own, and an entry whose key
    /// or value ends up masked is left out.
    fn next_entry<K: Deserialize<'de>, V: Deserialize<'de>>(&mut self) -> Result<Option<(K, V)>> {
        let cx = self.cx;
        let unmasked = |e: &&Entry| !cx.is_masked(&e.key) && !cx.is_masked(&e.value);
        while let Some(entry) = self.iter.by_ref().find(unmasked) {
            let key = NodeDe {
                node: &entry.key,
                cx,
                is_key: true,
            };
            match K::deserialize(key).and_then(|key| Ok((key, settle(&entry.value, cx)?))) {
                Ok(pair) => return Ok(Some(pair)),
                Err(_) if !unmasked(&entry) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(None)
    }

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let cx = self.cx;
        let Some(entry) = self
            .iter
            .by_ref()
            .find(|e| !cx.is_masked(&e.key) && !cx.is_masked(&e.value))
        else {
            return Ok(None);
        };
        self.value = Some(&entry.value);
        let key = NodeDe {
            node: &entry.key,
            cx,
            is_key: true,
        };
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let node = self.value.take().ok_or(Error::Reported)?;
        seed.deserialize(NodeDe::new(node, self.cx))
    }
}

/// The entries of a mapping read as a struct: unknown keys are reported and skipped.
struct Fields<'a> {
    iter: std::slice::Iter<'a, Entry>,
    /// The struct's serde name.
    name: &'static str,
    /// The struct's field names.
    known: &'static [&'static str],
    cx: &'a Context<'a>,
    value: Option<&'a Node>,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        for entry in self.iter.by_ref() {
            if self.cx.is_masked(&entry.value) {
                continue;
            }
            let key = entry.key.as_str().unwrap_or_default();
            if !self.known.contains(&key) {
                self.cx.report(suggest::unknown_key(
                    self.name,
                    key,
                    self.known,
                    entry.key.span,
                ));
                continue;
            }
            self.value = Some(&entry.value);
            let key: StrDeserializer<'_, Error> = key.into_deserializer();
            return seed.deserialize(key).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let node = self.value.take().ok_or(Error::Reported)?;
        seed.deserialize(NodeDe::new(node, self.cx))
    }

    /// What derived structs call: the value is settled on its own. One that ends up masked
    /// fails the struct, which its own reader then reads again without the field.
    fn next_value<V: Deserialize<'de>>(&mut self) -> Result<V> {
        let node = self.value.take().ok_or(Error::Reported)?;
        settle(node, self.cx)
    }
}

/// Feeds a `Located` its span, then its value from the same node.
struct LocatedAccess<'a> {
    de: NodeDe<'a>,
    step: u8,
}

impl<'de> MapAccess<'de> for LocatedAccess<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let key = match self.step {
            0 => located::SPAN_FIELD,
            1 => located::VALUE_FIELD,
            _ => return Ok(None),
        };
        seed.deserialize(StrDeserializer::<Error>::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.step += 1;
        if self.step == 1 {
            let span = self.de.node.span;
            let parts = [u64::from(span.file.0), span.start as u64, span.end as u64];
            seed.deserialize(SeqDeserializer::<_, Error>::new(parts.into_iter()))
        } else {
            seed.deserialize(self.de)
        }
    }
}

#[cfg(test)]
mod tests;
