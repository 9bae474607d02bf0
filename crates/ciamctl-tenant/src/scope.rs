//! What a configuration manages, as far as reading the tenant is concerned: which applications
//! it names and which stream assets (images, CSS) it sets. Everything else of a managed kind
//! is read whole, because the planner must see live objects the files do not mention.

use std::collections::BTreeSet;

use ciamctl_model::Config;
use ciamctl_model::environment::is_guid;

/// The locale of the default branding's streams in Graph's paths (REFERENCE.md §7).
pub const DEFAULT_LOCALE: &str = "0";

/// Which applications and stream assets a snapshot reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Applications named by client id (GUID).
    pub app_ids: BTreeSet<String>,
    /// Applications named by display name.
    pub app_names: BTreeSet<String>,
    /// Stream assets whose content to download and hash.
    pub assets: Assets,
}

/// The stream assets a snapshot downloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assets {
    /// These `(locale, Graph stream property)` pairs; the default branding's locale is
    /// [`DEFAULT_LOCALE`].
    Only(BTreeSet<(String, &'static str)>),
    /// Every asset the tenant has.
    AllPresent,
}

impl Default for Assets {
    fn default() -> Self {
        Assets::Only(BTreeSet::new())
    }
}

impl Scope {
    /// What `config` manages.
    pub fn of(config: &Config) -> Self {
        let mut scope = Scope::default();
        for reference in config.user_flows.iter().flat_map(|f| &f.applications) {
            if is_guid(reference) {
                scope.app_ids.insert(reference.to_ascii_lowercase());
            } else {
                scope.app_names.insert(reference.get().clone());
            }
        }
        let mut assets = BTreeSet::new();
        if let Some(branding) = &config.branding {
            let default = branding.assets.iter().map(|a| (DEFAULT_LOCALE, a));
            let localized = branding
                .localizations
                .iter()
                .filter_map(|(locale, l)| l.assets.as_ref().map(|a| (locale.as_str(), a)));
            for (locale, files) in default.chain(localized) {
                for (stream, _) in files.files() {
                    assets.insert((locale.to_owned(), stream.name()));
                }
            }
        }
        scope.assets = Assets::Only(assets);
        scope
    }

    /// Everything: for a snapshot without a configuration.
    pub fn whole_tenant() -> Self {
        Scope {
            assets: Assets::AllPresent,
            ..Scope::default()
        }
    }
}
