//! How ciamctl itself behaves for this tenant: what it may delete, and how much at once.
//!
//! By default ciamctl never deletes a live object that the files do not mention: a tenant
//! usually holds objects made by hand or by other tools. `prune` opts a kind in, and
//! `maxDeletePercent` stops a plan that would delete a large share of a kind's live objects (a
//! deleted file or a wrong directory), following octoDNS's safety thresholds.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::located::Located;

/// The share of a kind's live objects a plan may delete when `maxDeletePercent` is not set.
pub const DEFAULT_MAX_DELETE_PERCENT: u32 = 30;

const PRUNE_EXAMPLE: &[&str] = &["localizations"];

/// Settings of ciamctl for this configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// The kinds whose live objects that are missing from the files may be deleted. Kinds not
    /// listed are never deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = PRUNE_EXAMPLE)]
    pub prune: Vec<Located<ResourceKind>>,
    /// The largest share of a kind's live objects, in percent, that one plan may delete.
    /// Defaults to 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 100), extend("default" = 30))]
    pub max_delete_percent: Option<Located<u32>>,
}

/// A kind of object ciamctl manages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum ResourceKind {
    /// Custom user-flow attributes.
    Attributes,
    /// Identity providers.
    IdentityProviders,
    /// User flows.
    UserFlows,
    /// The default company branding.
    Branding,
    /// Branding localizations.
    Localizations,
}

impl Settings {
    /// Whether live objects of `kind` that the files do not mention may be deleted.
    pub fn prunes(&self, kind: ResourceKind) -> bool {
        self.prune.iter().any(|k| *k.get() == kind)
    }

    /// The largest share of a kind's live objects, in percent, that one plan may delete.
    pub fn max_delete_percent(&self) -> u32 {
        self.max_delete_percent
            .as_ref()
            .map_or(DEFAULT_MAX_DELETE_PERCENT, |p| *p.get())
    }

    pub(crate) fn check(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        if let Some(percent) = &self.max_delete_percent
            && **percent > 100
        {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-value",
                    format!("`maxDeletePercent` is {}, more than 100", **percent),
                    Some(percent.span()),
                )
                .with_help("use a percentage from 0 to 100"),
            );
        }
        for (i, kind) in self.prune.iter().enumerate() {
            if let Some(first) = self.prune[..i].iter().find(|k| k.get() == kind.get()) {
                diagnostics.push(
                    Diagnostic::warning(
                        "duplicate-value",
                        "this kind is listed twice in `prune`",
                        Some(kind.span()),
                    )
                    .with_related(first.span(), "first listed here")
                    .with_help("remove one of the two"),
                );
            }
        }
        diagnostics
    }
}
