//! One field change as people read it, shared by the text and Markdown formats.
//!
//! [`View::of`] decides once how a [`FieldChange`] is shown: a value (compact JSON, strings
//! quoted), a move (1-based positions), a rotated secret (never its value), a long text as a
//! unified line diff, or an asset as size and digest (plus a line diff when both sides carry
//! their `text`, as CSS does). Every string that reaches the output from a value has its
//! control characters escaped ([`printable`]), so a value cannot drive the terminal.

use std::borrow::Cow;

use ciamctl_plan::{Change, FieldChange, FieldOp};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

/// A string longer than this (in characters), or with a line break, is shown as a line diff.
const LONG_TEXT: usize = 80;

/// Lines of unchanged text around each change in a line diff (the `diff -u` default).
const CONTEXT_LINES: usize = 3;

/// How many hex digits of an asset's SHA-256 are shown: enough to tell files apart at a
/// glance, as `git log --oneline` does.
const DIGEST_PREFIX: usize = 12;

/// A field change, ready to print.
#[derive(Debug)]
pub(crate) struct View<'a> {
    /// The field in the configuration's terms (`page.inputs[city].label`).
    pub(crate) path: &'a str,
    pub(crate) body: Body,
}

#[derive(Debug)]
pub(crate) enum Body {
    /// A field or set member added, with its value.
    Add(String),
    /// A field or set member removed, with its value.
    Remove(String),
    Change {
        before: String,
        after: String,
    },
    /// An ordered item moved; positions are 1-based, for people.
    Move {
        from: String,
        to: String,
    },
    /// A write-only secret sent again: what is said instead of its value.
    Rotate(String),
    /// A long text: the line diff replaces the values.
    Text {
        sign: Sign,
        hunks: Vec<Hunk>,
    },
    /// An asset: size and digest on each side that has one, and a line diff when the text
    /// of both sides is known.
    Asset {
        before: Option<String>,
        after: Option<String>,
        hunks: Vec<Hunk>,
    },
}

/// What a field line does, which decides its symbol and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sign {
    Add,
    Remove,
    Change,
    Move,
}

impl Sign {
    fn of(before: bool, after: bool) -> Sign {
        match (before, after) {
            (false, _) => Sign::Add,
            (true, false) => Sign::Remove,
            (true, true) => Sign::Change,
        }
    }
}

/// One hunk of a unified line diff.
#[derive(Debug)]
pub(crate) struct Hunk {
    /// `@@ -1,4 +1,5 @@`.
    pub(crate) header: String,
    pub(crate) lines: Vec<Line>,
}

/// One line of a hunk, without its line break.
#[derive(Debug)]
pub(crate) struct Line {
    pub(crate) tag: ChangeTag,
    pub(crate) text: String,
}

impl Line {
    /// The unified-diff marker: `+`, `-` or a space.
    pub(crate) fn marker(&self) -> char {
        match self.tag {
            ChangeTag::Insert => '+',
            ChangeTag::Delete => '-',
            ChangeTag::Equal => ' ',
        }
    }
}

impl<'a> View<'a> {
    /// The view of `field`, one of `change`'s fields. A secret the change sends says which
    /// reference `apply` reads it from, so a reviewer knows which variable must be set.
    pub(crate) fn of(field: &'a FieldChange, change: &Change) -> View<'a> {
        let before = field.before.as_ref();
        let after = field.after.as_ref();
        let source = secret_source(&field.path, change)
            .map(|source| format!(" (read from {} at apply)", printable(source)));
        let body = match field.op {
            FieldOp::Rotate => Body::Rotate(format!("{ROTATED}{}", source.unwrap_or_default())),
            FieldOp::Add if source.is_some() => {
                Body::Add(format!("{}{}", value(after), source.unwrap_or_default()))
            }
            FieldOp::Move => Body::Move {
                from: position(before),
                to: position(after),
            },
            FieldOp::Add | FieldOp::Remove | FieldOp::Change => asset(&field.path, before, after)
                .or_else(|| long_text(before, after))
                .unwrap_or_else(|| match field.op {
                    FieldOp::Add => Body::Add(value(after)),
                    FieldOp::Remove => Body::Remove(value(before)),
                    _ => Body::Change {
                        before: value(before),
                        after: value(after),
                    },
                }),
        };
        View {
            path: &field.path,
            body,
        }
    }

    pub(crate) fn sign(&self) -> Sign {
        match &self.body {
            Body::Add(_) => Sign::Add,
            Body::Remove(_) => Sign::Remove,
            Body::Change { .. } | Body::Rotate(_) => Sign::Change,
            Body::Move { .. } => Sign::Move,
            Body::Text { sign, .. } => *sign,
            Body::Asset { before, after, .. } => Sign::of(before.is_some(), after.is_some()),
        }
    }
}

/// The reference the secret at `path` (`clientSecret`, `clientAuthentication.clientSecret`) is
/// read from, when one of `change`'s requests sends it.
fn secret_source<'c>(path: &str, change: &'c Change) -> Option<&'c str> {
    change
        .requests
        .iter()
        .flat_map(|request| &request.secrets)
        .find(|slot| slot.pointer.trim_start_matches('/').replace('/', ".") == path)
        .map(|slot| slot.source.as_str())
}

/// What a rotated secret says instead of a value.
const ROTATED: &str = "write-only secret, sent again; value not shown";

/// A value as compact JSON: strings quoted and escaped, objects and arrays on one line.
fn value(value: Option<&Value>) -> String {
    value.map_or_else(|| "(none)".to_owned(), Value::to_string)
}

/// A 0-based position as people count, from 1; anything else as JSON.
fn position(value: Option<&Value>) -> String {
    match value.and_then(Value::as_u64) {
        Some(index) => (index + 1).to_string(),
        None => self::value(value),
    }
}

/// A line diff when a side is a long text and every present side is a string.
fn long_text(before: Option<&Value>, after: Option<&Value>) -> Option<Body> {
    let old = text_side(before)?;
    let new = text_side(after)?;
    if !is_long(old) && !is_long(new) {
        return None;
    }
    Some(Body::Text {
        sign: Sign::of(before.is_some(), after.is_some()),
        hunks: hunks(old, new),
    })
}

/// A side's text: `""` when the side is absent, `None` when it is not a string.
fn text_side(side: Option<&Value>) -> Option<&str> {
    match side {
        None => Some(""),
        Some(value) => value.as_str(),
    }
}

fn is_long(text: &str) -> bool {
    text.contains('\n') || text.chars().count() > LONG_TEXT
}

/// An asset's value: `{sha256, size, content_type[, text]}`.
struct Asset<'v> {
    sha256: &'v str,
    size: u64,
    content_type: &'v str,
    text: Option<&'v str>,
}

impl<'v> Asset<'v> {
    fn parse(value: &'v Value) -> Option<Asset<'v>> {
        Some(Asset {
            sha256: value.get("sha256")?.as_str()?,
            size: value.get("size")?.as_u64()?,
            content_type: value.get("content_type")?.as_str()?,
            text: value.get("text").and_then(Value::as_str),
        })
    }

    /// `24.0 KiB, sha256 0123456789ab`, led by the media type when it is worth saying.
    fn describe(&self, with_type: bool) -> String {
        let digest: String = self.sha256.chars().take(DIGEST_PREFIX).collect();
        let size = human_size(self.size);
        let digest = printable(&digest);
        if with_type {
            format!("{}, {size}, sha256 {digest}", printable(self.content_type))
        } else {
            format!("{size}, sha256 {digest}")
        }
    }
}

/// An asset field (`assets.…`) whose present sides are all asset values.
fn asset(path: &str, before: Option<&Value>, after: Option<&Value>) -> Option<Body> {
    if !path.starts_with("assets.") || (before.is_none() && after.is_none()) {
        return None;
    }
    let (old, new) = match (before.map(Asset::parse), after.map(Asset::parse)) {
        (Some(None), _) | (_, Some(None)) => return None,
        (old, new) => (old.flatten(), new.flatten()),
    };
    // The media type is news when the asset appears or goes, or when it changes.
    let with_type = match (&old, &new) {
        (Some(old), Some(new)) => old.content_type != new.content_type,
        _ => true,
    };
    let texts = match (&old, &new) {
        (Some(Asset { text: None, .. }), _) | (_, Some(Asset { text: None, .. })) => None,
        _ => Some((
            old.as_ref().and_then(|a| a.text).unwrap_or(""),
            new.as_ref().and_then(|a| a.text).unwrap_or(""),
        )),
    };
    Some(Body::Asset {
        before: old.as_ref().map(|a| a.describe(with_type)),
        after: new.as_ref().map(|a| a.describe(with_type)),
        hunks: texts.map(|(old, new)| hunks(old, new)).unwrap_or_default(),
    })
}

/// `512 B`, `24.0 KiB`, `1.5 MiB`.
pub(crate) fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = KIB * KIB;
    // Tenths of a unit, rounded, in integers: no float formatting to vary between targets.
    let tenths = |unit: u64| {
        let tenths = (u128::from(bytes) * 10 + u128::from(unit / 2)) / u128::from(unit);
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    if bytes < KIB {
        format!("{bytes} B")
    } else if bytes < MIB {
        format!("{} KiB", tenths(KIB))
    } else {
        format!("{} MiB", tenths(MIB))
    }
}

/// The unified line diff of two texts.
fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    // A last line without its line break would differ from the same line with one; whether a
    // text ends with a line break is not worth a reviewer's attention.
    let (old, new) = (terminated(old), terminated(new));
    let diff = TextDiff::from_lines(old.as_ref(), new.as_ref());
    let mut unified = diff.unified_diff();
    unified.context_radius(CONTEXT_LINES);
    unified
        .iter_hunks()
        .map(|hunk| Hunk {
            header: hunk.header().to_string(),
            lines: hunk
                .iter_changes()
                .map(|change| Line {
                    tag: change.tag(),
                    text: printable(change.value().trim_end_matches(['\n', '\r'])).into_owned(),
                })
                .collect(),
        })
        .collect()
}

fn terminated(text: &str) -> Cow<'_, str> {
    if text.is_empty() || text.ends_with('\n') {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{text}\n"))
    }
}

/// `text` with control characters (other than tab) written as `\u{1b}`: text from a
/// configuration or a tenant must not move the cursor, clear the screen or break a line.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_unprintable(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// A name quoted as a JSON string: quotes and control characters escaped.
pub(crate) fn quoted(name: &str) -> String {
    Value::from(name).to_string()
}
