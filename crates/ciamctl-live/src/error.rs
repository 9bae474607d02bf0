//! The one error of this crate: a Graph object it could not read.

/// A Graph object that does not have the shape its kind needs (a flow without `id`, a provider
/// whose type cannot be told, a property of the wrong JSON type). The fetcher marks the whole
/// kind unknown then, since a kind read in part cannot be diffed safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the {kind} {}: {problem}", self.object_text())]
pub struct ParseError {
    /// The kind of object ("user flow", "identity provider", …).
    pub kind: &'static str,
    /// The object, as `` `id` `` (or `` `displayName` ``), or where it was in its collection;
    /// empty when neither is known.
    pub object: String,
    /// What is wrong with it.
    pub problem: String,
}

impl ParseError {
    /// An error about `object` (written as it should appear, e.g. `` `id` ``) of `kind` (a
    /// [`FromGraph::KIND`](crate::FromGraph::KIND)); for checks a caller makes on top of the
    /// parsers.
    pub fn new(kind: &'static str, object: &str, problem: impl Into<String>) -> Self {
        Self {
            kind,
            object: object.to_owned(),
            problem: problem.into(),
        }
    }

    /// Names the item by its place in the collection when it has neither id nor display name.
    pub(crate) fn at_index_if_unnamed(mut self, index: usize) -> Self {
        if self.object.is_empty() {
            self.object = format!("at index {index}");
        }
        self
    }

    fn object_text(&self) -> &str {
        if self.object.is_empty() {
            "(without id or displayName)"
        } else {
            &self.object
        }
    }
}
