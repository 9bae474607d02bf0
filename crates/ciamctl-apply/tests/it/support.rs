//! What the applier's integration tests share: an in-process emulator with a client for it,
//! the planner and reader around the applier, and configuration directories.

use std::path::Path;

use ciamctl_apply::{Options, Report, Silent};
use ciamctl_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig};
use ciamctl_graph::{Authenticator, ClientOptions, Credential, Endpoints, GraphClient, Request};
use ciamctl_live::LiveTenant;
use ciamctl_model::Config;
use ciamctl_plan::{AssetFile, DesiredAssets, Inputs, Plan, PlanOptions};
use ciamctl_secret::Secret;
use ciamctl_tenant::{Scope, read_tenant};
use serde_json::{Value, json};

/// The value of every `${env:…}` secret the configurations name.
pub(crate) const SECRET: &str = "a-test-secret-value";

pub(crate) struct Tenant {
    pub(crate) emulator: Emulator,
    pub(crate) client: GraphClient,
}

impl Tenant {
    pub(crate) async fn start() -> Self {
        Self::start_with(EmulatorConfig::default(), ClientOptions::default()).await
    }

    pub(crate) async fn start_with(config: EmulatorConfig, options: ClientOptions) -> Self {
        let emulator = Emulator::start(config).await.unwrap();
        let endpoints = Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap();
        let credential = Credential::ClientSecret {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            secret: Secret::new(DEFAULT_CLIENT_SECRET.to_owned()),
        };
        let authenticator = Authenticator::new(credential, emulator.tenant_id(), endpoints.clone());
        let client = GraphClient::new(endpoints, authenticator, options).unwrap();
        Self { emulator, client }
    }

    pub(crate) async fn read(&self, config: &Config) -> LiveTenant {
        read_tenant(&self.client, self.emulator.tenant_id(), &Scope::of(config))
            .await
            .unwrap()
    }

    pub(crate) async fn plan(&self, config: &Config) -> Plan {
        self.plan_with(config, PlanOptions::default()).await
    }

    pub(crate) async fn plan_with(&self, config: &Config, options: PlanOptions) -> Plan {
        let live = self.read(config).await;
        let assets = assets(config);
        ciamctl_plan::plan(&Inputs {
            config,
            live: &live,
            assets: &assets,
            options,
            ciamctl_version: "0.0.0-test",
        })
        .unwrap_or_else(|e| panic!("{e}: {e:#?}"))
    }

    /// Prepares and applies `plan`, [`SECRET`] being every secret's value.
    pub(crate) async fn apply(&self, plan: &Plan, config: &Config, options: &Options) -> Report {
        self.apply_with_secret(plan, config, options, SECRET).await
    }

    pub(crate) async fn apply_with_secret(
        &self,
        plan: &Plan,
        config: &Config,
        options: &Options,
        secret: &str,
    ) -> Report {
        let env = |_: &str| Some(secret.to_owned());
        let prepared =
            ciamctl_apply::prepare(plan, &config.root, self.client.endpoints().graph(), &env)
                .unwrap();
        ciamctl_apply::apply(&self.client, plan, prepared, options, &Silent).await
    }

    /// Applies the plan of `config`, checks that every change applied and that the tenant
    /// then plans in sync, and returns the plan that was applied.
    pub(crate) async fn converge(&self, config: &Config) -> Plan {
        let plan = self.plan(config).await;
        let report = self.apply(&plan, config, &Options::default()).await;
        assert!(
            report.is_success(),
            "{report:#?}\nplan: {}",
            serde_json::to_string_pretty(&plan).unwrap()
        );
        let again = self.plan(config).await;
        assert!(
            again.changes.is_empty(),
            "the tenant differs from the configuration after its plan was applied:\n{}",
            serde_json::to_string_pretty(&again.changes).unwrap()
        );
        plan
    }

    /// Sends `request` outside the plan (someone in the admin center).
    pub(crate) async fn send(&self, request: Request) -> Value {
        self.client.send(request).await.unwrap().value().unwrap()
    }

    /// Creates the custom authentication extension `Validate`, which a flow's submit handler
    /// may call.
    pub(crate) async fn add_extension(&self) {
        self.send(
            Request::post("/identity/customAuthenticationExtensions").json(json!({
                "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtension",
                "displayName": "Validate",
                "endpointConfiguration": {
                    "@odata.type": "#microsoft.graph.httpRequestEndpoint",
                    "targetUrl": "https://hooks.woodgrove.example/"
                },
                "authenticationConfiguration": {
                    "@odata.type": "#microsoft.graph.azureAdTokenAuthentication",
                    "resourceId": "api://hooks.woodgrove.example/d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60"
                }
            })),
        )
        .await;
    }
}

/// Reads every asset `config` names, as the CLI does.
fn assets(config: &Config) -> DesiredAssets {
    let mut assets = DesiredAssets::default();
    for asset in ciamctl_plan::asset_references(config) {
        let relative = asset.base.join(&asset.path);
        let bytes = std::fs::read(config.root.join(&relative)).unwrap();
        let content_type = ciamctl_model::assets::upload_type(&relative, &bytes);
        let path = relative.to_string_lossy().replace('\\', "/");
        assets.insert(asset, AssetFile::new(path, &bytes, content_type));
    }
    assets
}

/// `yaml` as a configuration directory's only file, loaded.
pub(crate) fn config(dir: &Path, yaml: &str) -> Config {
    write_and_load(dir, yaml, None)
}

pub(crate) fn woodgrove() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../config-examples/woodgrove"
    ))
}

/// A copy of the woodgrove example whose `tenant.yaml` is `tenant` (the example's own when
/// `None`), loaded for the `dev` environment.
pub(crate) fn load(dir: &Path, tenant: Option<&str>) -> Config {
    for folder in ["assets", "environments"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        for entry in std::fs::read_dir(woodgrove().join(folder)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(folder).join(entry.file_name())).unwrap();
        }
    }
    let yaml = match tenant {
        Some(yaml) => yaml.to_owned(),
        None => std::fs::read_to_string(woodgrove().join("tenant.yaml")).unwrap(),
    };
    write_and_load(dir, &yaml, Some("dev"))
}

/// `yaml` as `dir`'s `tenant.yaml`, loaded for `environment`.
fn write_and_load(dir: &Path, yaml: &str, environment: Option<&str>) -> Config {
    std::fs::write(dir.join("tenant.yaml"), yaml).unwrap();
    let loaded = ciamctl_model::load(dir, environment);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics());
    loaded.config().unwrap().clone()
}
