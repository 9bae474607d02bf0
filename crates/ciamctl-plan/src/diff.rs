//! Field-level comparison shared by the kinds' diffs, and the context they share: the live
//! tenant's known kinds, how names resolve to Graph ids, and the diagnostics for names that do
//! not.
//!
//! Values are compared after the normalisation Graph applies (REFERENCE.md §1.4, §15): a text
//! that is `null` or `""` is absent ([`text`]), enum members compare in Graph's casing, and an
//! empty collection equals an absent one.

pub(crate) mod attribute;
pub(crate) mod branding;
pub(crate) mod identity_provider;
pub(crate) mod user_flow;

use std::collections::BTreeMap;

use ciamctl_live::{
    Application, Branding, CustomExtension, IdentityProvider, IdentityProviderKind, Known,
    LiveTenant, Localization, UserFlow, UserFlowAttribute,
};
use ciamctl_model::{Config, Diagnostic};
use serde::Serialize;
use serde_json::Value;

use crate::builder::{Builder, StepRef};
use crate::document::{FieldChange, FieldOp, Kind, ObjectRef, PlanOptions};
use crate::{DesiredAssets, PlanError};

/// The live kinds a plan reads, all known.
#[derive(Debug)]
pub(crate) struct Live<'a> {
    pub(crate) tenant_id: &'a str,
    pub(crate) user_flows: &'a [UserFlow],
    pub(crate) attributes: &'a [UserFlowAttribute],
    pub(crate) identity_providers: &'a [IdentityProvider],
    pub(crate) custom_extensions: &'a [CustomExtension],
    pub(crate) applications: &'a [Application],
    pub(crate) branding: Option<&'a Branding>,
    pub(crate) localizations: &'a [Localization],
}

impl<'a> Live<'a> {
    /// The known kinds of `tenant`, or the names of the ones `config` needs that are unknown.
    /// Applications and custom extensions are needed only when a flow names one; otherwise an
    /// unreadable one counts as none (it is not compared).
    pub(crate) fn of(tenant: &'a LiveTenant, config: &Config) -> Result<Self, PlanError> {
        use ciamctl_live::Kind as K;
        let names_applications = config.user_flows.iter().any(|f| !f.applications.is_empty());
        let names_extensions = config.user_flows.iter().any(|f| {
            f.on_attribute_collection_start.is_some() || f.on_attribute_collection_submit.is_some()
        });
        let needed = [
            (K::UserFlows, true),
            (K::Attributes, true),
            (K::IdentityProviders, true),
            (K::CustomExtensions, names_extensions),
            (K::Applications, names_applications),
            (K::Branding, true),
            (K::Localizations, true),
        ];
        let unknown: Vec<String> = needed
            .into_iter()
            .filter(|(kind, needed)| *needed && tenant.failure(*kind).is_some())
            .map(|(kind, _)| kind.name().to_owned())
            .collect();
        if !unknown.is_empty() {
            return Err(PlanError::Incomplete(unknown));
        }
        Ok(Self {
            tenant_id: &tenant.tenant_id,
            user_flows: known_items(&tenant.user_flows),
            attributes: known_items(&tenant.attributes),
            identity_providers: known_items(&tenant.identity_providers),
            custom_extensions: known_items(&tenant.custom_extensions),
            applications: known_items(&tenant.applications),
            branding: tenant.branding.known().and_then(Option::as_ref),
            localizations: known_items(&tenant.localizations),
        })
    }

    /// The identity providers a configuration can manage: all but the built-ins, which are
    /// never created, deleted or listed as unmanaged.
    pub(crate) fn custom_providers(&self) -> impl Iterator<Item = &'a IdentityProvider> {
        self.identity_providers
            .iter()
            .filter(|p| !matches!(p.kind, IdentityProviderKind::BuiltIn { .. }))
    }
}

fn known_items<T>(kind: &Known<Vec<T>>) -> &[T] {
    kind.known().map_or(&[], Vec::as_slice)
}

/// A Graph id as a request names it: a live object's id, or the id a step of this plan
/// creates (a marker the ordering rewrites as `{{N.id}}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IdRef {
    Live(String),
    Created(StepRef),
}

impl IdRef {
    /// The id as a request's path or body holds it.
    pub(crate) fn text(&self) -> String {
        match self {
            IdRef::Live(id) => id.clone(),
            IdRef::Created(step) => Builder::id_of(*step),
        }
    }
}

/// What every kind's diff reads and writes.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub(crate) config: &'a Config,
    pub(crate) live: Live<'a>,
    pub(crate) assets: &'a DesiredAssets,
    pub(crate) options: PlanOptions,
    pub(crate) builder: Builder,
    /// Names that match nothing, or several things.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Custom attributes by their name in the configuration: the live id, or the step that
    /// creates it. Filled by the attribute diff, read by the flow diff.
    pub(crate) attribute_ids: BTreeMap<String, IdRef>,
    /// Identity providers by their name in the configuration, the same way.
    pub(crate) provider_ids: BTreeMap<String, IdRef>,
    /// Live objects of kinds that are not pruned which the configuration does not mention.
    pub(crate) unmanaged: Vec<ObjectRef>,
    /// Asset files the configuration names that the caller did not read (a caller's bug).
    pub(crate) missing_assets: Vec<String>,
}

impl Context<'_> {
    /// Lists a live object the configuration does not mention, of a kind that is not pruned.
    pub(crate) fn leave_unmanaged(&mut self, kind: Kind, name: &str, id: &str) {
        self.unmanaged.push(ObjectRef {
            kind,
            name: name.to_owned(),
            id: id.to_owned(),
        });
    }
}

/// A text as Graph means it: `null` and `""` are absent; whitespace (`" "`, an explicit
/// blank in a localization, REFERENCE.md §15.18) is kept.
pub(crate) fn text(value: Option<&str>) -> Option<&str> {
    value.filter(|t| !t.is_empty())
}

/// The field changes of one object, in the order they are found.
#[derive(Debug, Default)]
pub(crate) struct Fields(pub(crate) Vec<FieldChange>);

impl Fields {
    /// A field change as given, for an `op` the comparisons below do not derive.
    pub(crate) fn push(
        &mut self,
        path: &str,
        op: FieldOp,
        before: Option<Value>,
        after: Option<Value>,
    ) {
        self.0.push(FieldChange {
            path: path.to_owned(),
            op,
            before,
            after,
        });
    }

    /// Compares a field: add, remove or change when `live` and `desired` differ. Returns
    /// whether they do.
    pub(crate) fn compare<T: Serialize + PartialEq>(
        &mut self,
        path: &str,
        live: Option<T>,
        desired: Option<T>,
    ) -> bool {
        if live == desired {
            return false;
        }
        let op = match (&live, &desired) {
            (None, _) => FieldOp::Add,
            (_, None) => FieldOp::Remove,
            _ => FieldOp::Change,
        };
        self.push(path, op, live.map(json), desired.map(json));
        true
    }

    /// A field a create sets.
    pub(crate) fn set<T: Serialize>(&mut self, path: &str, value: Option<T>) {
        if let Some(value) = value {
            self.push(path, FieldOp::Add, None, Some(json(value)));
        }
    }

    /// A write-only secret sent again (`--rotate-secrets`).
    pub(crate) fn rotate(&mut self, path: &str) {
        let mask = Value::String(ciamctl_secret::MASK.to_owned());
        self.push(path, FieldOp::Rotate, Some(mask.clone()), Some(mask));
    }

    /// Compares a set of members (a flow's providers or applications): one add or remove per
    /// member, members in sorted order. Returns whether they differ.
    pub(crate) fn members(&mut self, path: &str, live: &[String], desired: &[String]) -> bool {
        let mut live: Vec<&String> = live.iter().collect();
        let mut desired: Vec<&String> = desired.iter().collect();
        live.sort();
        live.dedup();
        desired.sort();
        desired.dedup();
        let mut changed = false;
        for member in &desired {
            if !live.contains(member) {
                self.push(path, FieldOp::Add, None, Some(json(member)));
                changed = true;
            }
        }
        for member in &live {
            if !desired.contains(member) {
                self.push(path, FieldOp::Remove, Some(json(member)), None);
                changed = true;
            }
        }
        changed
    }

    /// Moves within an ordered list of keys present on both sides (`page.inputs`): an item is
    /// reported as moved when its position among the kept items changes, so one item moved to
    /// the front is one move, not a remove and an add. Positions are 0-based. Returns whether
    /// anything moved.
    pub(crate) fn moves(&mut self, path: &str, live: &[String], desired: &[String]) -> bool {
        let kept_live: Vec<&String> = live.iter().filter(|k| desired.contains(k)).collect();
        let kept_desired: Vec<&String> = desired.iter().filter(|k| live.contains(k)).collect();
        if kept_live == kept_desired {
            return false;
        }
        // The items outside a longest common subsequence are the ones that moved.
        let stay = longest_common_subsequence(&kept_live, &kept_desired);
        for (to, key) in kept_desired.iter().enumerate() {
            if stay.contains(key) {
                continue;
            }
            let from = kept_live.iter().position(|k| k == key).unwrap_or_default();
            self.push(
                &format!("{path}[{key}]"),
                FieldOp::Move,
                Some(Value::from(from)),
                Some(Value::from(to)),
            );
        }
        true
    }
}

fn longest_common_subsequence<'k>(a: &[&'k String], b: &[&'k String]) -> Vec<&'k String> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i]);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The `@odata.id` a `$ref` body names an object by. Graph resolves it by its last segments
/// (REFERENCE.md §3, §4), and the docs' examples use the global root whatever the cloud.
pub(crate) fn odata_id(path: &str) -> String {
    format!("https://graph.microsoft.com/v1.0{path}")
}

/// A value as the plan shows it.
pub(crate) fn json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests;
