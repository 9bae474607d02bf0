//! Export: a live tenant in, the files of a configuration directory out, such that planning
//! that directory against the same tenant changes nothing.
//!
//! [`export`] is pure computation, like the planner: the caller reads the tenant
//! (`ciamctl-tenant`, with the bytes of every branding stream) and writes the files it gets
//! back. The same tenant gives the same bytes, whatever order Graph listed it in.
//!
//! **Files** (paths relative to the directory, `/`-separated, sorted):
//!
//! | path | holds |
//! |---|---|
//! | `attributes.yaml` | the custom user-flow attributes, by name |
//! | `identity-providers.yaml` | the identity providers but the built-ins, by name |
//! | `user-flows/<name>.yaml` | one user flow each, the file named from its display name |
//! | `branding.yaml` | the default branding and its localizations |
//! | `assets/<stream>.<ext>`, `assets/<locale>/<stream>.<ext>` | the branding's images and CSS |
//! | `environments/<name>.yaml` | with [`Options::environment`]: the tenant id and variables |
//! | `schemas/*.schema.json` | the JSON Schemas the files' modelines point at |
//!
//! **What the files say.** Names, never tenant-specific ids: custom attributes by display name
//! (Graph derives `extension_<appId>_<Name>` from it), identity providers and custom
//! extensions by display name, built-in providers by their short name. Application appIds
//! as they are, or as `${NAME}` when the environment's variable `NAME` holds that appId.
//! Secrets never: each secret field is `${env:IDP_<NAME>_CLIENT_SECRET}` with a comment saying
//! so ([`names`]). Values equal to a documented default the planner applies to an absent
//! field (`signUp: true`, `userType: member`, `priority: 500`, `includeAllApplications:
//! false`, `responseType: code`, an input's label and input type when they are what a new
//! input gets) are left out; every other value the tenant has set is written, since the
//! planner leaves a field the files do not set alone, but a new tenant would not get it. Texts
//! from the tenant are escaped (`${` as `$${`), so nothing reads back as a reference.
//!
//! **What cannot be written.** Objects the format has no words for (an Apple provider, an
//! attribute of type `dateTime`, a flow whose page has two views, …) are left out, each with a
//! [`Skipped`] reason; so is anything that uses one (a flow offering such a provider). The
//! plan then lists them as unmanaged: a partial export never makes a plan change the tenant.

mod branding;
mod document;
mod flows;
mod names;
mod providers;
mod yaml;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use ciamctl_live::{Known, LiveTenant, Stream, UserFlowAttribute};
use ciamctl_model::settings::ResourceKind;

use crate::document::{Attribute, AttributesFile, EnvironmentFile, ProvidersFile, Text};

/// Everything an export is made from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The tenant, read whole (`Scope::whole_tenant`).
    pub live: &'a LiveTenant,
    /// The bytes of every stream the live branding and localizations have set.
    pub streams: &'a Streams,
    pub options: &'a Options,
}

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The kinds to write; the others are left out (and a plan lists their objects as
    /// unmanaged). Localizations are written inside the branding file, so they need
    /// `branding`; flows name the custom attributes and providers they use, so they need
    /// `attributes` and `identityProviders` when they use any.
    pub kinds: BTreeSet<ResourceKind>,
    /// The environment to write `environments/<name>.yaml` for, with its variables: an
    /// application whose appId a variable holds is written as `${NAME}`.
    pub environment: Option<Environment>,
}

impl Options {
    /// Every kind, no environment.
    pub fn everything() -> Self {
        Self {
            kinds: ALL_KINDS.into_iter().collect(),
            environment: None,
        }
    }
}

/// Every kind an export can write, in the order of [`ResourceKind`].
pub const ALL_KINDS: [ResourceKind; 5] = [
    ResourceKind::Attributes,
    ResourceKind::IdentityProviders,
    ResourceKind::UserFlows,
    ResourceKind::Branding,
    ResourceKind::Localizations,
];

/// An environment file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// `<name>` of `environments/<name>.yaml`.
    pub name: String,
    /// Its variables, written back as they are; appIds they hold are written as `${NAME}`.
    pub variables: BTreeMap<String, String>,
}

/// The bytes of branding streams, by locale (`None`: the default branding) and stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streams(BTreeMap<(Option<String>, Stream), Vec<u8>>);

impl Streams {
    pub fn insert(&mut self, locale: Option<&str>, stream: Stream, bytes: Vec<u8>) {
        self.0.insert((locale.map(str::to_owned), stream), bytes);
    }

    fn get(&self, locale: Option<&str>, stream: Stream) -> Option<&[u8]> {
        self.0
            .get(&(locale.map(str::to_owned), stream))
            .map(Vec::as_slice)
    }
}

/// The files of an export and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Sorted by path.
    pub files: Vec<File>,
    /// Sorted by kind, then name.
    pub skipped: Vec<Skipped>,
    /// The environment variables the written secret fields read, sorted: what must be set
    /// where ciamctl applies the files.
    pub secrets: Vec<String>,
}

/// One file: its path relative to the configuration directory (`/`-separated) and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A live object the format cannot describe, left out of the files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub kind: ResourceKind,
    /// Its display name (or id when it has none).
    pub name: String,
    /// Why, as a sentence fragment: "is an Apple provider, which the format cannot describe".
    pub reason: String,
}

/// Why there is no export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A kind to write could not be read; nothing is exported from a partial read.
    #[error(
        "the tenant could not be read completely ({}); nothing is exported from a partial read",
        .0.join(", ")
    )]
    Incomplete(Vec<String>),
    /// The kinds asked for leave out a kind another one refers to.
    #[error("`{kind}` needs `{needs}`: {why}; add `{needs}` to the kinds")]
    MissingKind {
        kind: &'static str,
        needs: &'static str,
        why: String,
    },
    /// A stream the tenant has set was not handed in (a caller's bug).
    #[error("the {stream} of the {owner} was not downloaded before exporting")]
    MissingStream { owner: String, stream: Stream },
    #[error("cannot write `{path}` as YAML: {reason}")]
    Yaml { path: String, reason: String },
}

/// The name of a kind as `--kinds` and `settings.prune` spell it.
pub fn kind_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Attributes => "attributes",
        ResourceKind::IdentityProviders => "identityProviders",
        ResourceKind::UserFlows => "userFlows",
        ResourceKind::Branding => "branding",
        ResourceKind::Localizations => "localizations",
    }
}

/// The configuration files that describe `inputs.live`.
pub fn export(inputs: &Inputs<'_>) -> Result<Export, ExportError> {
    let live = inputs.live;
    let options = inputs.options;
    let wants = |kind| options.kinds.contains(&kind);
    check_read(live, options)?;

    let mut files = yaml::Files::default();
    let mut skipped = Vec::new();

    let attributes = attributes(items(&live.attributes), &mut skipped);
    let providers = providers::convert(items(&live.identity_providers), &mut skipped);
    if wants(ResourceKind::UserFlows) {
        let variables = options
            .environment
            .as_ref()
            .map(|e| &e.variables)
            .cloned()
            .unwrap_or_default();
        let names = flows::Names::new(live, &attributes, &providers, &variables);
        let flows = flows::convert(items(&live.user_flows), &names, &mut skipped);
        for (kind, needs, used) in [
            ("attributes", ResourceKind::Attributes, &flows.attributes),
            (
                "identity providers",
                ResourceKind::IdentityProviders,
                &flows.providers,
            ),
        ] {
            if let Some(first) = used.iter().next().filter(|_| !wants(needs)) {
                return Err(ExportError::MissingKind {
                    kind: kind_name(ResourceKind::UserFlows),
                    needs: kind_name(needs),
                    why: format!("the flows use custom {kind} such as `{first}`"),
                });
            }
        }
        for (path, flow) in flows.files {
            files.yaml(&path, &flow)?;
        }
    }
    if wants(ResourceKind::Attributes) && !attributes.is_empty() {
        let file = AttributesFile {
            attributes: attributes.into_iter().map(|a| a.document).collect(),
        };
        files.yaml("attributes.yaml", &file)?;
    }
    let mut secrets = Vec::new();
    if wants(ResourceKind::IdentityProviders) && !providers.is_empty() {
        secrets = providers
            .iter()
            .flat_map(|p| p.document.secrets())
            .collect();
        secrets.sort();
        let file = ProvidersFile {
            identity_providers: providers.into_iter().map(|p| p.document).collect(),
        };
        files.yaml("identity-providers.yaml", &file)?;
    }
    if wants(ResourceKind::Localizations) && !wants(ResourceKind::Branding) {
        return Err(ExportError::MissingKind {
            kind: kind_name(ResourceKind::Localizations),
            needs: kind_name(ResourceKind::Branding),
            why: "localizations are written inside the branding file".to_owned(),
        });
    }
    if wants(ResourceKind::Branding)
        && let Some(branding) = branding::convert(
            live,
            inputs.streams,
            wants(ResourceKind::Localizations),
            &mut files,
            &mut skipped,
        )?
    {
        files.yaml("branding.yaml", &branding)?;
    }
    if let Some(environment) = &options.environment {
        let file = EnvironmentFile {
            tenant_id: &live.tenant_id,
            variables: &environment.variables,
        };
        files.yaml(&format!("environments/{}.yaml", environment.name), &file)?;
    }
    skipped.sort();
    Ok(Export {
        files: files.finish(),
        skipped,
        secrets,
    })
}

/// Refuses to export from a read that missed a kind the options write (or name objects of).
fn check_read(live: &LiveTenant, options: &Options) -> Result<(), ExportError> {
    use ciamctl_live::Kind as K;
    let mut needed = BTreeSet::new();
    for kind in &options.kinds {
        needed.extend(match kind {
            ResourceKind::Attributes => &[K::Attributes][..],
            ResourceKind::IdentityProviders => &[K::IdentityProviders],
            ResourceKind::UserFlows => &[
                K::UserFlows,
                K::Attributes,
                K::IdentityProviders,
                K::CustomExtensions,
                K::Applications,
            ],
            ResourceKind::Branding => &[K::Branding],
            ResourceKind::Localizations => &[K::Localizations],
        });
    }
    let unknown: Vec<String> = needed
        .into_iter()
        .filter(|kind| live.failure(*kind).is_some())
        .map(|kind| kind.name().to_owned())
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ExportError::Incomplete(unknown))
    }
}

/// The items of a known kind; an unknown one was refused by [`check_read`] when needed.
fn items<T>(kind: &Known<Vec<T>>) -> &[T] {
    kind.known().map_or(&[], Vec::as_slice)
}

/// Objects sorted by display name then id, so that everything derived in that order (file
/// names, numbers that tell colliding names apart) is stable.
fn by_name<T>(items: &[T], key: impl Fn(&T) -> (&str, &str)) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| key(a).cmp(&key(b)));
    sorted
}

/// Display names that several objects share, compared ignoring case as the loader and Graph
/// compare them: the planner matches by name, so none of those objects can be described.
#[derive(Debug)]
struct SharedNames(BTreeSet<String>);

impl SharedNames {
    fn of<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let mut seen = BTreeSet::new();
        let mut shared = BTreeSet::new();
        for name in names {
            let key = name.to_lowercase();
            if !seen.insert(key.clone()) {
                shared.insert(key);
            }
        }
        Self(shared)
    }

    fn contains(&self, name: &str) -> bool {
        self.0.contains(&name.to_lowercase())
    }
}

/// A live object the files describe: its id (lower case, as Graph ids compare), its name, and
/// what its file says.
#[derive(Debug)]
pub(crate) struct Exported<T> {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) document: T,
}

/// The custom attributes the files can describe, in name order.
fn attributes(live: &[UserFlowAttribute], skipped: &mut Vec<Skipped>) -> Vec<Exported<Attribute>> {
    let custom: Vec<&UserFlowAttribute> = by_name(live, |a| (&a.display_name, &a.id))
        .into_iter()
        .filter(|a| a.is_custom())
        .collect();
    let shared = SharedNames::of(custom.iter().map(|a| a.display_name.as_str()));
    let mut out = Vec::new();
    for attribute in custom {
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                kind: ResourceKind::Attributes,
                name: attribute.display_name.clone(),
                reason,
            });
        };
        if shared.contains(&attribute.display_name) {
            skip("shares its name (compared ignoring case) with another attribute".to_owned());
            continue;
        }
        let data_type = match attribute.data_type.as_deref() {
            Some(t @ ("string" | "boolean" | "int64")) => data_type_name(t),
            Some(other) => {
                skip(format!(
                    "is of type `{other}`; the format has `string`, `boolean` and `int64`"
                ));
                continue;
            }
            None => {
                skip("has no data type in the tenant's answer".to_owned());
                continue;
            }
        };
        out.push(Exported {
            id: attribute.id.to_ascii_lowercase(),
            name: attribute.display_name.clone(),
            document: Attribute {
                name: Text::literal(&attribute.display_name),
                description: attribute.description.as_deref().map(Text::literal),
                data_type,
            },
        });
    }
    out
}

/// The model's spelling of a data type Graph reads back (the same three words).
fn data_type_name(graph: &str) -> &'static str {
    use ciamctl_model::attribute::DataType;
    ciamctl_model::builtins::data_type_name(match graph {
        "boolean" => DataType::Boolean,
        "int64" => DataType::Int64,
        _ => DataType::String,
    })
}
