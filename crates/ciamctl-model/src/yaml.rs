//! YAML text to a tree of spanned nodes.
//!
//! `granit-parser` emits events; this module folds them into [`Node`]s that keep what typing
//! needs later: the byte span of every node, mapping entries in source order with the key's own
//! span, and for scalars the processed text plus how it was written (plain, quoted or block).
//! Nothing here decides types: a plain `NO` stays the text "NO" with style plain, and the
//! deserializer (`de`) decides from the target type whether that is a string or an error. That
//! is what keeps the loader free of the "Norway problem".
//!
//! Anchors and aliases are resolved here: an alias becomes a copy of the anchored node (with
//! fresh node ids, so a problem found through one alias does not hide the others). Merge keys
//! (`<<`) are a YAML 1.1 feature and are not expanded; they surface as unknown keys. Copies are
//! bounded: aliases of aliases can make a few hundred bytes expand to billions of nodes (the
//! "billion laughs"), so once aliases have added [`MAX_ALIAS_NODES`] nodes to the files of a
//! load, or where one would nest deeper than [`MAX_DEPTH`], the file is refused at the alias
//! that crosses the line.
//!
//! Structural problems found here (syntax errors, duplicate keys, a second document, keys that
//! are not plain text) become diagnostics. A file with a syntax error yields no tree at all:
//! typing a half-parsed file would only add confusing follow-on errors.

use std::collections::BTreeMap;
use std::collections::btree_map;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, StructureStyle};

use crate::diagnostic::{Diagnostic, FileId, Span};

/// The most nodes that expanding aliases may add to the files of one load. A configuration
/// that reuses a list of page inputs in a dozen flows adds a few thousand.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// The deepest a tree may nest through aliases: the parser's own limits (256 levels of block
/// and 256 of flow collections) for text, so recursive walks of a tree stay far from the end of
/// the stack whatever the aliases do.
pub(crate) const MAX_DEPTH: usize = 512;

/// Identifies a node within one load, so the deserializer can remember which nodes it has
/// given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NodeId(u32);

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) id: NodeId,
    pub(crate) span: Span,
    pub(crate) kind: NodeKind,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Scalar(Scalar),
    Sequence(Vec<Node>),
    Mapping(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub(crate) struct Scalar {
    /// The text after YAML escape and folding rules.
    pub(crate) value: String,
    pub(crate) style: Style,
}

/// How a scalar was written, which decides what it may be typed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Unquoted: may be a string, a boolean, a number or null depending on the target type.
    Plain,
    /// Single- or double-quoted, or tagged `!!str`: always a string.
    Quoted,
    /// A `|` or `>` block: always a string.
    Block,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: Node,
    pub(crate) value: Node,
}

impl Node {
    /// YAML 1.2 core-schema null: an empty plain value, `~` or `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(Scalar { value, style: Style::Plain })
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The text of a scalar key or value.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(&scalar.value),
            _ => None,
        }
    }

    /// The entries of a mapping.
    pub(crate) fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Mapping(entries) => entries,
            _ => &[],
        }
    }

    /// The entry whose key is `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key.as_str() == Some(key))
    }

    /// The node at exactly `span`, searching this node and its descendants.
    pub(crate) fn find(&self, span: Span) -> Option<&Node> {
        if self.span == span {
            return Some(self);
        }
        if span.start < self.span.start || span.end > self.span.end {
            return None;
        }
        match &self.kind {
            NodeKind::Scalar(_) => None,
            NodeKind::Sequence(items) => items.iter().find_map(|n| n.find(span)),
            NodeKind::Mapping(entries) => entries.iter().find_map(|e| e.value.find(span)),
        }
    }

    /// How people call this kind of node in messages ("a list", "an empty value", "`yes`").
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            _ if self.is_null() => "an empty value".to_owned(),
            NodeKind::Scalar(Scalar {
                value,
                style: Style::Plain,
            }) if value.len() <= 40 && !value.contains('\n') => format!("`{value}`"),
            NodeKind::Scalar(Scalar {
                style: Style::Quoted,
                ..
            }) => "a quoted string".to_owned(),
            NodeKind::Scalar(_) => "a string".to_owned(),
            NodeKind::Sequence(_) => "a list".to_owned(),
            NodeKind::Mapping(_) => "a mapping".to_owned(),
        }
    }
}

/// The outcome of parsing one file: the document's root node (absent for an empty file or a
/// syntax error) and what was wrong.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) root: Option<Node>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Assigns node ids unique across every file of one load, and counts the nodes that aliases
/// added in all of them: the budget is for the load, so a thousand small files cannot each
/// spend it.
#[derive(Debug, Default)]
pub(crate) struct NodeIds {
    last: u32,
    aliased: usize,
}

impl NodeIds {
    fn next(&mut self) -> NodeId {
        self.last += 1;
        NodeId(self.last)
    }
}

pub(crate) fn parse(file: FileId, text: &str, ids: &mut NodeIds) -> Parsed {
    let mut builder = Builder {
        file,
        text,
        ids,
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        root: None,
        documents: 0,
        diagnostics: Vec::new(),
    };
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => {
                let range = (byte_offset(text, span.start), byte_offset(text, span.end));
                if !builder.event(event, range) {
                    break;
                }
            }
            Err(error) => {
                builder.diagnostics.push(syntax_error(file, text, &error));
                return Parsed {
                    root: None,
                    diagnostics: builder.diagnostics,
                };
            }
        }
    }
    Parsed {
        root: builder.root,
        diagnostics: builder.diagnostics,
    }
}

fn byte_offset(text: &str, marker: granit_parser::Marker) -> usize {
    // `Parser::new_from_str` documents byte offsets on every marker; the character index is the
    // fallback the parser itself would use for other inputs.
    marker.byte_offset().unwrap_or_else(|| {
        text.char_indices()
            .nth(marker.index())
            .map_or(text.len(), |(i, _)| i)
    })
}

fn syntax_error(file: FileId, text: &str, error: &ScanError) -> Diagnostic {
    let start = byte_offset(text, *error.marker()).min(text.len());
    let end = text
        .get(start..)
        .unwrap_or_default()
        .chars()
        .next()
        .filter(|c| *c != '\n')
        .map_or(start, |c| start + c.len_utf8());
    Diagnostic::error(
        "yaml-syntax",
        format!("invalid YAML: {}", error.info()),
        Some(Span { file, start, end }),
    )
    .with_help(
        "fix the YAML syntax here: check the indentation, and quote values that start with \
         `{`, `[`, `*`, `&`, `!`, `|`, `>`, `%`, `@` or a backtick, or that contain `: ` or ` #`",
    )
}

/// A collection being built: where it starts, whether it is a flow (`[…]`, `{…}`) or block
/// collection, its anchor (0 for none), and what it holds so far.
struct Frame {
    start: usize,
    flow: bool,
    anchor: usize,
    content: Content,
}

enum Content {
    Sequence(Vec<Node>),
    /// `key` holds a key until its value arrives; `keys` says where each key so far is, so
    /// a key written twice is found without a scan of the entries.
    Mapping {
        entries: Vec<Entry>,
        key: Option<Node>,
        keys: BTreeMap<String, Span>,
    },
}

struct Builder<'a> {
    file: FileId,
    text: &'a str,
    ids: &'a mut NodeIds,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
    diagnostics: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn span(&self, (start, end): (usize, usize)) -> Span {
        Span {
            file: self.file,
            start,
            end,
        }
    }

    /// Handles one event; `false` stops parsing.
    fn event(&mut self, event: Event<'_>, range: (usize, usize)) -> bool {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.diagnostics.push(
                        Diagnostic::error(
                            "multiple-documents",
                            "a configuration file holds one YAML document",
                            Some(self.span(range)),
                        )
                        .with_label("a second document starts here")
                        .with_help("move the second document into a file of its own"),
                    );
                    return false;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let is_str_tag = tag
                    .as_ref()
                    .is_some_and(|tag| tag.core_suffix() == Some("str"));
                let style = match style {
                    ScalarStyle::Plain if is_str_tag => Style::Quoted,
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                    ScalarStyle::Literal | ScalarStyle::Folded => Style::Block,
                };
                // The parser reports an empty value as the text "~" with an empty span; keep it
                // empty so messages do not show a tilde the user never wrote.
                let value = if range.0 == range.1 && style == Style::Plain {
                    String::new()
                } else {
                    value.into_owned()
                };
                let node = Node {
                    id: self.ids.next(),
                    span: self.span(range),
                    kind: NodeKind::Scalar(Scalar { value, style }),
                };
                self.complete(node, anchor);
            }
            Event::Alias(anchor) => {
                let Some(target) = self.anchors.get(&anchor) else {
                    return true;
                };
                let span = self.span(range);
                let budget = MAX_ALIAS_NODES - self.ids.aliased;
                let problem = match measure(target, budget) {
                    None => Some(format!(
                        "aliases expand to more than {MAX_ALIAS_NODES} values"
                    )),
                    Some((_, height)) if self.stack.len() + height > MAX_DEPTH => Some(format!(
                        "this alias nests values more than {MAX_DEPTH} levels deep"
                    )),
                    Some((size, _)) => {
                        self.ids.aliased += size;
                        None
                    }
                };
                if let Some(message) = problem {
                    self.diagnostics.push(
                        Diagnostic::error("alias-limit", message, Some(span))
                            .with_label("expanding stops here")
                            .with_help(
                                "write the repeated values out, or nest fewer aliases in \
                                 aliases; the limit is far above what a configuration needs \
                                 and keeps a YAML bomb from filling the memory",
                            ),
                    );
                    // What was built is partial; the file is lost as with a syntax error.
                    self.stack.clear();
                    self.root = None;
                    return false;
                }
                let copy = target.clone();
                let mut node = self.renumber(copy);
                node.span = span;
                self.complete(node, 0);
            }
            Event::SequenceStart(style, anchor, _) => {
                self.open(range.0, style, anchor, Content::Sequence(Vec::new()));
            }
            Event::MappingStart(style, anchor, _) => {
                let content = Content::Mapping {
                    entries: Vec::new(),
                    key: None,
                    keys: BTreeMap::new(),
                };
                self.open(range.0, style, anchor, content);
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(range.1),
            _ => {}
        }
        true
    }

    fn open(&mut self, start: usize, style: StructureStyle, anchor: usize, content: Content) {
        self.stack.push(Frame {
            start,
            flow: style == StructureStyle::Flow,
            anchor,
            content,
        });
    }

    /// Finishes the innermost collection, whose end event ends at `event_end`.
    fn close(&mut self, event_end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (kind, last_child_end) = match frame.content {
            Content::Sequence(items) => {
                let last = items.last().map(|n| n.span.end);
                (NodeKind::Sequence(items), last)
            }
            Content::Mapping { entries, .. } => {
                let last = entries.last().map(|e| e.value.span.end);
                (NodeKind::Mapping(entries), last)
            }
        };
        // A flow collection ends at its closing bracket, a block collection at its last child:
        // the parser's end event sits at the next token, past comments and blank lines.
        let end = match last_child_end {
            Some(last) if !frame.flow => last,
            _ => event_end,
        };
        let node = Node {
            id: self.ids.next(),
            span: self.span((frame.start, end.max(frame.start))),
            kind,
        };
        self.complete(node, frame.anchor);
    }

    /// Places a finished node in its parent (or makes it the root) and records its anchor.
    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut frame.content {
            Content::Sequence(items) => items.push(node),
            Content::Mapping { entries, key, keys } => match key.take() {
                None => *key = Some(node),
                Some(key) => match check_key(self.text, &key, keys) {
                    Some(diagnostic) => self.diagnostics.push(diagnostic),
                    None => entries.push(Entry { key, value: node }),
                },
            },
        }
    }

    /// A copy of an anchored node with fresh ids.
    fn renumber(&mut self, mut node: Node) -> Node {
        node.id = self.ids.next();
        node.kind = match node.kind {
            NodeKind::Scalar(scalar) => NodeKind::Scalar(scalar),
            NodeKind::Sequence(items) => {
                NodeKind::Sequence(items.into_iter().map(|n| self.renumber(n)).collect())
            }
            NodeKind::Mapping(entries) => NodeKind::Mapping(
                entries
                    .into_iter()
                    .map(|e| Entry {
                        key: self.renumber(e.key),
                        value: self.renumber(e.value),
                    })
                    .collect(),
            ),
        };
        node
    }
}

/// The number of nodes in `node` and its height, or `None` when there are more than `budget`
/// nodes (counting stops there, so this costs at most `budget` steps).
fn measure(node: &Node, budget: usize) -> Option<(usize, usize)> {
    let mut size = 1;
    let mut height = 0;
    let children: Box<dyn Iterator<Item = &Node>> = match &node.kind {
        NodeKind::Scalar(_) => Box::new(std::iter::empty()),
        NodeKind::Sequence(items) => Box::new(items.iter()),
        NodeKind::Mapping(entries) => Box::new(entries.iter().flat_map(|e| [&e.key, &e.value])),
    };
    for child in children {
        let (child_size, child_height) = measure(child, budget.checked_sub(size)?)?;
        size += child_size;
        height = height.max(child_height);
    }
    (size <= budget).then_some((size, height + 1))
}

/// A key that cannot be used: not plain text, or already in this mapping (`keys`, which this
/// records it in otherwise).
fn check_key(text: &str, key: &Node, keys: &mut BTreeMap<String, Span>) -> Option<Diagnostic> {
    let Some(name) = key.as_str() else {
        return Some(
            Diagnostic::error(
                "invalid-key",
                "a key must be text, not a list or a mapping",
                Some(key.span),
            )
            .with_help("write the key as plain text followed by `:`"),
        );
    };
    let first = match keys.entry(name.to_owned()) {
        btree_map::Entry::Occupied(first) => *first.get(),
        btree_map::Entry::Vacant(vacant) => {
            vacant.insert(key.span);
            return None;
        }
    };
    let shown = text.get(key.span.start..key.span.end).unwrap_or(name);
    Some(
        Diagnostic::error(
            "duplicate-key",
            format!("the key `{shown}` appears twice in the same mapping"),
            Some(key.span),
        )
        .with_label("duplicate key")
        .with_related(first, "first defined here")
        .with_help("remove one of the two entries or merge them"),
    )
}

#[cfg(test)]
mod tests;
