//! Collecting changes, their requests and the dependencies between requests, before they are
//! ordered.
//!
//! The diff of each kind adds its changes here without knowing the other kinds' changes.
//! Dependencies between kinds go through [`Resource`]s instead: a step that creates an
//! attribute `provides` it and a flow step that collects it `needs` it; a step that unlinks an
//! application from a flow `releases` it and the step that links it to another flow `takes` it;
//! a step that deletes a provider `takes` it, so it waits for every flow that lets go of it.
//! [`Builder::finish`] turns those into edges once every kind has been diffed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::document::{Action, ApiVersion, AssetUpload, FieldChange, Kind, SecretSlot};

/// An object other kinds' steps may wait for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Resource {
    /// A custom attribute, by its name in the configuration.
    Attribute(String),
    /// An identity provider, by its live id, or by its name when the plan creates it.
    IdentityProvider(String),
    /// An application, by appId (lower case): one flow at a time may hold it.
    Application(String),
    /// The default branding, which localizations belong to.
    Branding,
}

/// A change being built, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ChangeRef(usize);

/// A step (one Graph request) being built, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct StepRef(usize);

/// A Graph request before it has a step number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Request {
    pub(crate) method: &'static str,
    pub(crate) api: ApiVersion,
    pub(crate) path: String,
    pub(crate) headers: BTreeMap<String, String>,
    pub(crate) body: Option<Value>,
    pub(crate) secrets: Vec<SecretSlot>,
    pub(crate) asset: Option<AssetUpload>,
}

impl Request {
    fn new(method: &'static str, path: impl Into<String>) -> Self {
        Self {
            method,
            api: ApiVersion::V1,
            path: path.into(),
            headers: BTreeMap::new(),
            body: None,
            secrets: Vec::new(),
            asset: None,
        }
    }

    pub(crate) fn post(path: impl Into<String>, body: Value) -> Self {
        Self::new("POST", path).json(body)
    }

    pub(crate) fn patch(path: impl Into<String>, body: Value) -> Self {
        Self::new("PATCH", path).json(body)
    }

    pub(crate) fn put(path: impl Into<String>) -> Self {
        Self::new("PUT", path)
    }

    pub(crate) fn delete(path: impl Into<String>) -> Self {
        Self::new("DELETE", path)
    }

    pub(crate) fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Sends the request to the beta API (properties only beta has, REFERENCE.md §14).
    pub(crate) fn beta(mut self) -> Self {
        self.api = ApiVersion::Beta;
        self
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.insert(name.to_owned(), value.to_owned());
        self
    }

    /// Records that the body's value at `pointer` is a secret read from `source` when the
    /// request is sent; the body itself holds the mask there.
    pub(crate) fn secret(mut self, pointer: &str, source: String) -> Self {
        self.secrets.push(SecretSlot {
            pointer: pointer.to_owned(),
            source,
        });
        self
    }

    pub(crate) fn asset(mut self, asset: AssetUpload) -> Self {
        self.headers
            .insert("Content-Type".to_owned(), asset.digest.content_type.clone());
        self.asset = Some(asset);
        self
    }
}

/// A change being built.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PendingChange {
    pub(crate) action: Action,
    pub(crate) kind: Kind,
    pub(crate) name: String,
    pub(crate) live_id: Option<String>,
    pub(crate) fingerprint: Option<String>,
    pub(crate) fields: Vec<FieldChange>,
    pub(crate) notes: Vec<String>,
    pub(crate) unsafe_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PendingStep {
    pub(crate) change: ChangeRef,
    pub(crate) request: Request,
    pub(crate) after: BTreeSet<StepRef>,
}

/// Changes and steps as the diffs add them.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    pub(crate) changes: Vec<PendingChange>,
    pub(crate) steps: Vec<PendingStep>,
    provides: BTreeMap<Resource, Vec<StepRef>>,
    needs: Vec<(StepRef, Resource)>,
    releases: BTreeMap<Resource, Vec<StepRef>>,
    takes: Vec<(StepRef, Resource)>,
}

/// How an id marker starts: `\0step:<index>\0` stands for the id step `<index>` creates, and
/// the ordering rewrites it as `{{N.id}}` once steps have numbers. NUL bytes cannot occur in a
/// configuration's values.
const MARKER_START: &str = "\u{0}step:";

impl Builder {
    /// Starts a change of `kind` named `name`.
    pub(crate) fn change(&mut self, action: Action, kind: Kind, name: &str) -> ChangeRef {
        self.changes.push(PendingChange {
            action,
            kind,
            name: name.to_owned(),
            live_id: None,
            fingerprint: None,
            fields: Vec::new(),
            notes: Vec::new(),
            unsafe_reasons: Vec::new(),
        });
        ChangeRef(self.changes.len() - 1)
    }

    /// Starts a change of the live object `id` (an update or a delete). Its fingerprint goes in
    /// the change so that `apply` of a saved plan can tell the object changed since.
    pub(crate) fn live_change(
        &mut self,
        action: Action,
        kind: Kind,
        name: &str,
        id: &str,
        fingerprint: String,
    ) -> ChangeRef {
        let change = self.change(action, kind, name);
        let pending = self.get_mut(change);
        pending.live_id = Some(id.to_owned());
        pending.fingerprint = Some(fingerprint);
        change
    }

    pub(crate) fn get_mut(&mut self, change: ChangeRef) -> &mut PendingChange {
        &mut self.changes[change.0]
    }

    /// Adds a request to `change`, after every step in `after`.
    pub(crate) fn step(
        &mut self,
        change: ChangeRef,
        request: Request,
        after: impl IntoIterator<Item = StepRef>,
    ) -> StepRef {
        self.steps.push(PendingStep {
            change,
            request,
            after: after.into_iter().collect(),
        });
        StepRef(self.steps.len() - 1)
    }

    /// What a path or body says for the id the response of `step` carries (an object this
    /// plan creates). A request that holds it waits for `step`.
    pub(crate) fn id_of(step: StepRef) -> String {
        format!("{MARKER_START}{}\u{0}", step.0)
    }

    /// `step` makes `resource` exist; steps that need it wait for it.
    pub(crate) fn provides(&mut self, step: StepRef, resource: Resource) {
        self.provides.entry(resource).or_default().push(step);
    }

    /// `step` uses `resource`, so it waits for the steps that make it exist.
    pub(crate) fn needs(&mut self, step: StepRef, resource: Resource) {
        self.needs.push((step, resource));
    }

    /// `step` lets go of `resource` (unlinks it, or deletes what held it).
    pub(crate) fn releases(&mut self, step: StepRef, resource: Resource) {
        self.releases.entry(resource).or_default().push(step);
    }

    /// `step` needs `resource` free of its former holders (links it elsewhere, or deletes it),
    /// so it waits for every step that releases it.
    pub(crate) fn takes(&mut self, step: StepRef, resource: Resource) {
        self.takes.push((step, resource));
    }

    /// The steps, with the edges resources imply and the id markers they hold, ready to order.
    pub(crate) fn finish(mut self) -> (Vec<PendingChange>, Vec<PendingStep>) {
        let edges: Vec<(StepRef, StepRef)> = self
            .needs
            .iter()
            .flat_map(|(step, resource)| {
                self.provides
                    .get(resource)
                    .into_iter()
                    .flatten()
                    .map(|provider| (*step, *provider))
            })
            .chain(self.takes.iter().flat_map(|(step, resource)| {
                self.releases
                    .get(resource)
                    .into_iter()
                    .flatten()
                    .map(|release| (*step, *release))
            }))
            .filter(|(step, before)| step != before)
            .collect();
        for (step, before) in edges {
            self.steps[step.0].after.insert(before);
        }
        let count = self.steps.len();
        for index in 0..count {
            let mut referenced = BTreeSet::new();
            let request = &self.steps[index].request;
            collect_markers(&request.path, &mut referenced);
            if let Some(body) = &request.body {
                visit_strings(body, &mut |text| collect_markers(text, &mut referenced));
            }
            referenced.retain(|r: &usize| *r < count && *r != index);
            self.steps[index]
                .after
                .extend(referenced.into_iter().map(StepRef));
        }
        (self.changes, self.steps)
    }
}

impl StepRef {
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

impl ChangeRef {
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

fn visit_strings(value: &Value, visit: &mut impl FnMut(&str)) {
    match value {
        Value::String(text) => visit(text),
        Value::Array(items) => items.iter().for_each(|item| visit_strings(item, visit)),
        Value::Object(map) => map.values().for_each(|item| visit_strings(item, visit)),
        _ => {}
    }
}

/// `text` split at its first id marker: the text before it, the step index, the text after.
fn split_marker(text: &str) -> Option<(&str, usize, &str)> {
    let start = text.find(MARKER_START)?;
    let after = &text[start + MARKER_START.len()..];
    let end = after.find('\u{0}')?;
    let index = after[..end].parse().ok()?;
    Some((&text[..start], index, &after[end + 1..]))
}

fn collect_markers(text: &str, into: &mut BTreeSet<usize>) {
    let mut rest = text;
    while let Some((_, index, after)) = split_marker(rest) {
        into.insert(index);
        rest = after;
    }
}

/// Rewrites the markers in `text` with the step numbers `number` gives.
pub(crate) fn rewrite_markers(text: &str, number: &impl Fn(usize) -> u32) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, index, after)) = split_marker(rest) {
        out.push_str(before);
        let _ = write!(out, "{{{{{}.id}}}}", number(index));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// [`rewrite_markers`] on every string of a JSON value.
pub(crate) fn rewrite_value(value: &mut Value, number: &impl Fn(usize) -> u32) {
    match value {
        Value::String(text) if text.contains('\u{0}') => *text = rewrite_markers(text, number),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_value(item, number)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|item| rewrite_value(item, number)),
        _ => {}
    }
}
