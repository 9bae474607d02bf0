//! Test support: a configuration from inline YAML and a live tenant from Graph JSON, then a
//! plan of the two.

use ciamctl_live::{
    Application, Branding, CustomExtension, FromGraph, IdentityProvider, Known, LiveTenant,
    Localization, UserFlow, UserFlowAttribute, parse_collection,
};
use ciamctl_model::{Config, Diagnostic};
use serde_json::Value;

use crate::{DesiredAssets, Inputs, Plan, PlanError, PlanOptions};

pub(crate) const TENANT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// The configuration of one file, `tenant.yaml`, holding `yaml` (no environment). Panics with
/// the diagnostics when it has errors.
pub(crate) fn config(yaml: &str) -> Config {
    config_files(&[("tenant.yaml", yaml.as_bytes())])
}

/// A configuration of several files (YAML and assets), by path relative to the directory.
pub(crate) fn config_files(files: &[(&str, &[u8])]) -> Config {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let loaded = ciamctl_model::load(dir.path(), None);
    assert!(
        !loaded.has_errors(),
        "the test configuration has errors: {:#?}",
        loaded.diagnostics()
    );
    let mut config = loaded.config().unwrap().clone();
    // Keep the directory's files readable for `assets` below by leaking the guard: tests are
    // short-lived processes.
    config.root = dir.keep();
    config
}

/// A live tenant with the given Graph objects (JSON as Graph returns them) and no branding.
#[derive(Debug, Default)]
pub(crate) struct LiveBuilder {
    pub(crate) user_flows: Vec<Value>,
    pub(crate) attributes: Vec<Value>,
    pub(crate) identity_providers: Vec<Value>,
    pub(crate) custom_extensions: Vec<Value>,
    pub(crate) applications: Vec<Value>,
    pub(crate) branding: Option<Value>,
    pub(crate) localizations: Vec<Value>,
}

impl LiveBuilder {
    pub(crate) fn build(self) -> LiveTenant {
        LiveTenant {
            tenant_id: TENANT_ID.to_owned(),
            organization: Known::unknown("GET /organization", "not needed by these tests"),
            user_flows: Known::Known(parse_collection::<UserFlow>(&self.user_flows).unwrap()),
            attributes: Known::Known(
                parse_collection::<UserFlowAttribute>(&self.attributes).unwrap(),
            ),
            identity_providers: Known::Known(
                parse_collection::<IdentityProvider>(&self.identity_providers).unwrap(),
            ),
            custom_extensions: Known::Known(
                parse_collection::<CustomExtension>(&self.custom_extensions).unwrap(),
            ),
            applications: Known::Known(
                parse_collection::<Application>(&self.applications).unwrap(),
            ),
            branding: Known::Known(self.branding.map(|b| Branding::from_graph(&b).unwrap())),
            localizations: Known::Known(
                parse_collection::<Localization>(&self.localizations).unwrap(),
            ),
        }
    }
}

/// Reads every asset `config` names from its directory, as the CLI does.
pub(crate) fn assets(config: &Config) -> DesiredAssets {
    let mut assets = DesiredAssets::default();
    for asset in crate::asset_references(config) {
        let relative = asset.base.join(&asset.path);
        let bytes = std::fs::read(config.root.join(&relative)).unwrap();
        let content_type = ciamctl_model::assets::upload_type(&relative, &bytes);
        let path = relative.to_string_lossy().replace('\\', "/");
        assets.insert(asset, crate::AssetFile::new(path, &bytes, content_type));
    }
    assets
}

/// The plan of `config` against `live`.
pub(crate) fn plan_with(
    config: &Config,
    live: &LiveTenant,
    options: PlanOptions,
) -> Result<Plan, PlanError> {
    let assets = assets(config);
    crate::plan(&Inputs {
        config,
        live,
        assets: &assets,
        options,
        ciamctl_version: "0.0.0-test",
    })
}

/// The plan of `config` against `live` with default options; panics on an error.
pub(crate) fn plan(config: &Config, live: &LiveTenant) -> Plan {
    plan_with(config, live, PlanOptions::default()).unwrap()
}

/// The diagnostics of a plan of `config` against `live` that fails on names that do not
/// resolve; panics on any other outcome.
pub(crate) fn unresolved(config: &Config, live: &LiveTenant) -> Vec<Diagnostic> {
    match plan_with(config, live, PlanOptions::default()) {
        Err(PlanError::Unresolved(diagnostics)) => diagnostics,
        other => panic!("expected unresolved names, got {other:?}"),
    }
}

/// A provider as Graph inlines it in a flow (REFERENCE.md §1.5) and lists it: the two
/// built-ins, Google (secret masked), and any other id as an OIDC provider named "Partner".
pub(crate) fn provider(id: &str) -> Value {
    match id {
        "EmailPassword-OAUTH" => serde_json::json!({
            "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": id,
            "displayName": "Email with password", "identityProviderType": "EmailPassword" }),
        "EmailOtpSignup-OAUTH" => serde_json::json!({
            "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": id,
            "displayName": "Email one-time passcode", "identityProviderType": "EmailOTP" }),
        "Google-OAUTH" => serde_json::json!({
            "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": id,
            "displayName": "Google", "identityProviderType": "Google",
            "clientId": "google-client", "clientSecret": "******" }),
        _ => serde_json::json!({
            "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": id,
            "displayName": "Partner", "clientId": "partner", "issuer": "https://partner.example/",
            "scope": "openid", "responseType": "code" }),
    }
}
