//! What a configuration manages, as far as reading the tenant is concerned: which applications
//! it names and which stream assets (images, CSS) it sets. Everything else of a managed kind
//! is read whole, because the planner must see live objects the files do not mention.

use std::collections::BTreeSet;

use ciamctl_live::Kind;
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
    /// Whether custom authentication extensions matter: the configuration names one (by
    /// name, so the list resolves it), or the whole tenant is read.
    pub extensions: bool,
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
        scope.extensions = config.user_flows.iter().any(|flow| {
            flow.on_attribute_collection_start.is_some()
                || flow.on_attribute_collection_submit.is_some()
        });
        scope
    }

    /// Whether the kind matters to what is read for: a kind that does not (custom extensions
    /// when no flow names one) is still read, but an app without its permission is not
    /// blocked by it.
    pub fn needs(&self, kind: Kind) -> bool {
        kind != Kind::CustomExtensions || self.extensions
    }

    /// Everything: for a snapshot without a configuration.
    pub fn whole_tenant() -> Self {
        Scope {
            assets: Assets::AllPresent,
            extensions: true,
            ..Scope::default()
        }
    }

    /// Everything but the streams, for an export: it needs their bytes, not only their hashes,
    /// and downloads them in a round of its own (`read_streams`).
    pub fn export() -> Self {
        Scope {
            assets: Assets::Only(BTreeSet::new()),
            ..Self::whole_tenant()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tenant.yaml"), yaml).unwrap();
        std::fs::write(dir.path().join("banner.png"), PNG).unwrap();
        let loaded = ciamctl_model::load(dir.path(), None);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics());
        loaded.config().unwrap().clone()
    }

    /// A 1×1 PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0,
        0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0, 0x3a, 0x7e, 0x9b, 0x55, 0, 0, 0, 0x0a, 0x49, 0x44,
        0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0x48, 0xaf, 0xa4, 0x71, 0, 0, 0, 0,
        0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn a_configuration_names_applications_by_id_or_name_and_the_assets_it_sets() {
        let scope = Scope::of(&config(
            "userFlows:
  - name: Web
    identityProviders: [EmailPassword]
    applications: [D2F6A9C1-3E4B-4C7D-8F9A-1B2C3D4E5F60, Partner Portal]
branding:
  signInPageText: Hi
  assets: { bannerLogo: banner.png }
  localizations:
    fr-FR:
      assets: { squareLogo: banner.png }
",
        ));
        assert_eq!(
            scope.app_ids,
            BTreeSet::from(["d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60".to_owned()])
        );
        assert_eq!(
            scope.app_names,
            BTreeSet::from(["Partner Portal".to_owned()])
        );
        assert_eq!(
            scope.assets,
            Assets::Only(BTreeSet::from([
                ("0".to_owned(), "bannerLogo"),
                ("fr-FR".to_owned(), "squareLogo"),
            ]))
        );
        assert!(!scope.needs(Kind::CustomExtensions));
        assert!(scope.needs(Kind::UserFlows));
    }

    #[test]
    fn custom_extensions_matter_when_a_flow_names_one_or_the_whole_tenant_is_read() {
        let scope = Scope::of(&config(
            "userFlows:
  - name: Web
    identityProviders: [EmailPassword]
    onAttributeCollectionSubmit: { extension: Validate loyalty number }
",
        ));
        assert!(scope.needs(Kind::CustomExtensions));
        assert!(Scope::whole_tenant().needs(Kind::CustomExtensions));
    }
}
