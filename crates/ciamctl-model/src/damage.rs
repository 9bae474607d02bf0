//! What loading's errors damaged, so the semantic checks can run on the rest.
//!
//! Loading recovers at field granularity: a bad value (a wrong type, an unknown variant, an
//! unresolved `${…}`) is reported and masked, a misspelt key is reported and skipped, and what
//! survives is exactly the valid part of the files. The semantic checks run on that partial
//! configuration too, so `validate` reports every problem at once. Every value a check sees is
//! therefore as written; what a check must not trust is *absence*, and a name it cannot find.
//! Two rules keep a structural error from causing a second, derived one:
//!
//! 1. **No conclusion from absence about a damaged object.** An object with an error inside it
//!    (a user flow, a page input) may lack a field that was written, see a default instead of
//!    the value meant, or hold a list short of an element. So a damaged flow is not reported
//!    for offering no identity provider, a damaged input not for missing or unexpected options,
//!    and while any user flow is damaged or lost no identity provider is reported as unused.
//! 2. **No unknown reference to a lost name.** A page input naming an attribute, or a flow
//!    naming an identity provider, is not reported as unknown when an object of that kind with
//!    that name was damaged or dropped, or when one was lost without a readable name (its
//!    name was invalid, its file does not parse, its section is misspelt).
//!
//! Checks of values that are present run as usual, in damaged objects too: a duplicate
//! application or a malformed regex is wrong whatever else is.
//!
//! The loader builds a [`Damage`] from its error diagnostics and the files' node trees; a
//! configuration without errors has none, and only such a configuration leaves the model
//! (see [`Loaded::config`](crate::Loaded::config)).

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::suggest;
use crate::yaml::{Node, NodeKind};

/// The sections of a configuration file (the keys of `ConfigFile`), for telling which one a
/// misspelt section meant.
const SECTIONS: [&str; 5] = [
    "attributes",
    "identityProviders",
    "userFlows",
    "branding",
    "settings",
];

/// Where loading's errors lie, and which named objects they damaged or dropped.
#[derive(Debug, Default)]
pub(crate) struct Damage {
    /// The spans of loading's errors, sorted, so the errors inside a span are found by binary
    /// search: a file can have thousands.
    errors: Vec<Span>,
    pub(crate) attributes: Lost,
    pub(crate) identity_providers: Lost,
    pub(crate) user_flows: Lost,
}

/// The objects of one kind that errors damaged or dropped.
#[derive(Debug, Default)]
pub(crate) struct Lost {
    /// Their names, lower-cased: a near-miss in case is still probably the same object.
    names: BTreeSet<String>,
    /// One of them has no readable name, so it may have had any.
    any: bool,
}

impl Lost {
    /// Whether an object of this kind named `name` may have been damaged or dropped.
    pub(crate) fn may_include(&self, name: &str) -> bool {
        self.any || self.names.contains(&name.to_lowercase())
    }

    /// Whether every object of this kind loaded whole.
    pub(crate) fn is_empty(&self) -> bool {
        !self.any && self.names.is_empty()
    }
}

impl Damage {
    /// The error spans of `diagnostics` (loading's), attributed to no object yet.
    pub(crate) fn new(diagnostics: &[Diagnostic]) -> Self {
        let mut errors: Vec<Span> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .filter_map(|d| d.span)
            .collect();
        errors.sort_unstable();
        errors.dedup();
        Self {
            errors,
            ..Self::default()
        }
    }

    /// Whether an error of loading lies inside `span`: the object written there is damaged.
    pub(crate) fn within(&self, span: Span) -> bool {
        any_within(&self.errors, span)
    }

    /// Attributes the errors inside the configuration file whose tree is `root` to the named
    /// objects they lie in.
    pub(crate) fn add_file(&mut self, root: &Node) {
        let file = root.span.file;
        let first = self.errors.partition_point(|e| e.file < file);
        let errors: Vec<Span> = self.errors[first..]
            .iter()
            .copied()
            .take_while(|e| e.file == file)
            .collect();
        // Sections whose every item has been counted as damaged already.
        let mut whole_sections = BTreeSet::new();
        for &error in &errors {
            // A key's own errors (`userFlow:` for `userFlows:`) lie in its key, the others in
            // its value.
            let entry = root
                .entries()
                .iter()
                .find(|e| contains(e.key.span, error) || contains(e.value.span, error));
            let Some(entry) = entry else {
                // Not in any section: the file is not a mapping, a section key appears twice,
                // or a second document starts. What is lost cannot be told.
                self.lose_everything();
                continue;
            };
            let key = entry.key.as_str().unwrap_or_default();
            // A misspelt section stands for the one it was meant to be; a key close to no
            // section could have been meant as any.
            let section = SECTIONS.into_iter().find(|s| *s == key);
            let Some(section) = section.or_else(|| suggest::closest(key, &SECTIONS)) else {
                self.lose_everything();
                continue;
            };
            let Some(lost) = self.lost_mut(section) else {
                // `branding` and `settings` are not referenced by name.
                continue;
            };
            // A misspelt section was not read at all; in a section that was, the error lies
            // in one of its objects, or in the section's value when that is not a list.
            let whole_section = section != key || contains(entry.key.span, error);
            let NodeKind::Sequence(items) = &entry.value.kind else {
                lost.any = true;
                continue;
            };
            let damaged: Vec<&Node> = if !whole_section {
                item_at(items, error).into_iter().collect()
            } else if whole_sections.insert(key) {
                items.iter().collect()
            } else {
                continue;
            };
            if damaged.is_empty() && !whole_section {
                lost.any = true;
            }
            for item in damaged {
                match readable_name(item, &errors) {
                    Some(name) => {
                        lost.names.insert(name.to_lowercase());
                    }
                    None => lost.any = true,
                }
            }
        }
    }

    fn lost_mut(&mut self, section: &str) -> Option<&mut Lost> {
        match section {
            "attributes" => Some(&mut self.attributes),
            "identityProviders" => Some(&mut self.identity_providers),
            "userFlows" => Some(&mut self.user_flows),
            _ => None,
        }
    }

    /// Records that objects of every kind may have been lost with no name to go by: a
    /// configuration file could not be read or parsed, or an error lies outside its sections.
    pub(crate) fn lose_everything(&mut self) {
        for lost in [
            &mut self.attributes,
            &mut self.identity_providers,
            &mut self.user_flows,
        ] {
            lost.any = true;
        }
    }
}

/// The `name` of a list item as written, when it is plain text that needed no `${…}` (a name
/// with one could resolve to anything) and has no error of its own.
fn readable_name<'a>(item: &'a Node, errors: &[Span]) -> Option<&'a str> {
    let value = &item.get("name")?.value;
    let name = value.as_str()?;
    let clean = !name.contains("${") && !any_within(errors, value.span);
    clean.then_some(name)
}

/// The item of `items` (a sequence's, so in order and apart) that `error` lies in.
fn item_at(items: &[Node], error: Span) -> Option<&Node> {
    let after = items.partition_point(|item| item.span.start <= error.start);
    items[..after]
        .last()
        .filter(|item| contains(item.span, error))
}

/// Whether one of `errors` (sorted) lies inside `span`.
fn any_within(errors: &[Span], span: Span) -> bool {
    let first = errors.partition_point(|e| (e.file, e.start) < (span.file, span.start));
    errors[first..]
        .iter()
        .take_while(|e| e.file == span.file && e.start <= span.end)
        .any(|e| e.end <= span.end)
}

/// Whether `inner` lies inside `outer`.
fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests;
