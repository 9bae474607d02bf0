//! The planner: a configuration and a live snapshot in, an ordered change plan out.
//!
//! [`plan`] is pure computation: no I/O, no clock, no async. The caller reads the live tenant
//! (`ciamctl-tenant`) and the asset files the configuration names ([`asset_references`],
//! [`DesiredAssets`]) and hands them in, so the same inputs always give the same plan, byte for
//! byte.
//!
//! Stages, each in its own module:
//!
//! * `resolve`: names to live objects. Flows, attributes, providers and localizations by their
//!   natural key, built-in providers by short name or id, custom attributes by name to their
//!   `extension_<appId>_<Name>` id, applications by appId or display name, custom extensions by
//!   display name or id. A missing or ambiguous name is a [`Diagnostic`] at its YAML line.
//! * `diff/*`: one module per kind, comparing desired with live field by field, after the
//!   normalisation Graph applies (REFERENCE.md §1.4, §15), and emitting the Graph requests of
//!   each change into the `builder`.
//! * `builder`: changes, their requests (steps) and the dependencies between steps, including
//!   the ones between kinds (an attribute is created before a flow collects it; a flow lets go
//!   of an application before another flow takes it; …).
//! * `order`: the steps as a DAG, sorted with deterministic tie-breaks; a cycle is an error.
//! * `safety`: the unsafe changes `apply` refuses without `--allow-unsafe`.
//! * [`document`]: the plan format, versioned, with its JSON Schema.

mod builder;
mod diff;
mod digest;
mod document;
mod order;
mod safety;
pub mod schema;
mod summary;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use document::*;

pub use ciamctl_model::Diagnostic;

use std::collections::BTreeMap;
use std::path::PathBuf;

use ciamctl_live::{LiveTenant, hex_sha256};
use ciamctl_model::Config;
use ciamctl_model::branding::AssetPath;

use crate::builder::Builder;
use crate::diff::{Context, Live};

/// What a plan is made from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The desired state (a configuration without errors).
    pub config: &'a Config,
    /// The live tenant, read for this configuration's scope.
    pub live: &'a LiveTenant,
    /// The content of every asset file [`asset_references`] names.
    pub assets: &'a DesiredAssets,
    pub options: PlanOptions,
    /// Recorded in the plan (`ciamctl_version`).
    pub ciamctl_version: &'a str,
}

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A kind the configuration needs could not be read; nothing is planned from a partial
    /// read (a missing kind would look like one to create, or to delete).
    #[error(
        "the tenant could not be read completely ({}); nothing is planned from a partial read",
        .0.join(", ")
    )]
    Incomplete(Vec<String>),
    /// Names in the configuration that match no live object, or more than one; each
    /// diagnostic points at the name in its file.
    #[error("{} name(s) in the configuration do not match the tenant", .0.len())]
    Unresolved(Vec<Diagnostic>),
    /// The caller did not supply the content of an asset the configuration names.
    #[error("the asset `{0}` was not read before planning")]
    MissingAsset(String),
    /// The plan's requests depend on each other in a cycle: a bug in the planner, reported
    /// rather than applied in a wrong order.
    #[error("the plan's requests depend on each other in a cycle: {0}")]
    Cycle(String),
}

/// Every asset the configuration names (default branding first, then localizations by
/// locale), for the caller to read into [`DesiredAssets`].
pub fn asset_references(config: &Config) -> Vec<&AssetPath> {
    let Some(branding) = &config.branding else {
        return Vec::new();
    };
    let mut references: Vec<&AssetPath> = Vec::new();
    if let Some(assets) = &branding.assets {
        references.extend(assets.files().into_iter().map(|(_, path)| path.get()));
    }
    for localization in branding.localizations.values() {
        if let Some(assets) = &localization.assets {
            references.extend(assets.files().into_iter().map(|(_, path)| path.get()));
        }
    }
    references
}

/// The content of the asset files a configuration names, keyed by the asset path as written
/// (its declaring file's directory and the path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesiredAssets {
    files: BTreeMap<(PathBuf, String), AssetFile>,
}

impl DesiredAssets {
    pub fn insert(&mut self, asset: &AssetPath, file: AssetFile) {
        self.files
            .insert((asset.base.clone(), asset.path.clone()), file);
    }

    pub fn get(&self, asset: &AssetPath) -> Option<&AssetFile> {
        self.files.get(&(asset.base.clone(), asset.path.clone()))
    }
}

/// One asset file's content as the planner compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFile {
    /// The file relative to the configuration directory, with `/` separators.
    pub path: String,
    pub digest: AssetDigest,
    /// The text of a stylesheet, for a line diff in the plan.
    pub text: Option<String>,
}

impl AssetFile {
    /// The digest of `bytes`, uploaded as `content_type`. A `text/css` file that is UTF-8
    /// keeps its text.
    pub fn new(path: String, bytes: &[u8], content_type: &str) -> Self {
        let text = (content_type == "text/css")
            .then(|| String::from_utf8(bytes.to_vec()).ok())
            .flatten();
        Self {
            path,
            digest: AssetDigest {
                sha256: hex_sha256(bytes),
                size: bytes.len() as u64,
                content_type: content_type.to_owned(),
            },
            text,
        }
    }
}

/// Plans the changes that make `inputs.live` match `inputs.config`.
///
/// # Errors
///
/// See [`PlanError`]: an incomplete live state, names that match nothing (or several things)
/// in the tenant, an asset the caller did not read, or a dependency cycle.
pub fn plan(inputs: &Inputs<'_>) -> Result<Plan, PlanError> {
    let live = Live::of(inputs.live, inputs.config)?;
    let mut cx = Context {
        config: inputs.config,
        live,
        assets: inputs.assets,
        options: inputs.options,
        builder: Builder::default(),
        diagnostics: Vec::new(),
        attribute_ids: BTreeMap::new(),
        provider_ids: BTreeMap::new(),
        unmanaged: Vec::new(),
        missing_assets: Vec::new(),
    };
    // Attributes and providers first: flows refer to what they create.
    diff::attribute::diff(&mut cx);
    diff::identity_provider::diff(&mut cx);
    diff::branding::diff(&mut cx);
    diff::user_flow::diff(&mut cx);
    if let Some(path) = cx.missing_assets.first() {
        return Err(PlanError::MissingAsset(path.clone()));
    }
    if !cx.diagnostics.is_empty() {
        return Err(PlanError::Unresolved(cx.diagnostics));
    }
    safety::check(&mut cx);

    let Context {
        builder,
        mut unmanaged,
        ..
    } = cx;
    let (changes, steps) = builder.finish();
    let changes = order::order(&changes, &steps)?;
    unmanaged.sort();
    Ok(Plan {
        format_version: FORMAT_VERSION,
        ciamctl_version: inputs.ciamctl_version.to_owned(),
        tenant_id: inputs.live.tenant_id.clone(),
        environment: inputs.config.environment().map(|e| e.name.clone()),
        config_digest: digest::config_digest(inputs.config, inputs.assets),
        options: inputs.options,
        summary: summary::summarize(&changes, &unmanaged),
        changes,
        unmanaged,
        live: digest::live_objects(inputs.live),
    })
}
