//! The options every Graph-talking command shares, and the connection they describe: which
//! configuration, which tenant, which cloud, which credential, or an embedded emulator.
//!
//! **Tenant.** `--tenant-id`, the environment file's `tenantId` and `AZURE_TENANT_ID` may each
//! name it; when two disagree the command stops, because a credential for one tenant and a
//! configuration for another is how a production tenant gets a development change. A ready
//! token (`CIAMCTL_ACCESS_TOKEN`) names its tenant in its `tid` claim when nothing else does.
//!
//! **Credential.** The first of `CIAMCTL_ACCESS_TOKEN`, `AZURE_CLIENT_SECRET`,
//! `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_FEDERATED_TOKEN_FILE` and GitHub Actions OIDC that is
//! set (see `ciamctl_graph::CredentialSettings`). With `--emulator` none is read: the embedded
//! emulator's own client is used, so no real secret ever reaches it.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, bail};
use ciamctl_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, Emulator};
use ciamctl_graph::{
    Authenticator, ClientOptions, Cloud, Credential, CredentialSettings, Endpoints, GraphClient,
    TokenClaims,
};
use ciamctl_live::LiveTenant;
use ciamctl_model::environment::is_guid;
use ciamctl_model::{Config, Diagnostic, Sources};
use ciamctl_secret::Secret;
use ciamctl_tenant::{Scope, read_tenant};

use crate::exit::ExitStatus;
use crate::output;

/// Where the configuration is and how to reach the tenant.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GraphArgs {
    /// The configuration directory. Without it, the whole tenant is read (every asset, no
    /// application names to resolve).
    #[arg(short = 'c', long = "config", value_name = "DIR")]
    pub(crate) config: Option<PathBuf>,

    /// The environment (a file in `DIR/environments/`) whose tenant and variables to use.
    /// Needed when the configuration has more than one.
    #[arg(long = "env", value_name = "NAME")]
    pub(crate) env: Option<String>,

    /// The tenant (directory) id. Defaults to the environment file's `tenantId`, then
    /// `AZURE_TENANT_ID`; if two of them disagree, ciamctl stops.
    #[arg(long, value_name = "ID")]
    tenant_id: Option<String>,

    /// The Microsoft cloud: its token authority, Graph root and token scope.
    #[arg(long, value_enum, default_value_t = CloudArg::Global)]
    cloud: CloudArg,

    /// The token authority host, instead of the cloud's (plain http only for loopback hosts).
    #[arg(long, value_name = "URL", env = "AZURE_AUTHORITY_HOST")]
    authority_url: Option<String>,

    /// The Graph root, instead of the cloud's (plain http only for loopback hosts). The token
    /// scope stays the cloud's.
    #[arg(long, value_name = "URL", env = "CIAMCTL_GRAPH_URL")]
    graph_url: Option<String>,

    /// How many HTTP requests may be in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,

    /// Send every request on its own instead of grouping them in JSON $batch requests.
    #[arg(long)]
    no_batch: bool,

    /// Talk to an embedded Graph emulator (a fresh external tenant, or `--emulator-seed`)
    /// instead of Microsoft Graph. No credential is read.
    #[arg(long)]
    emulator: bool,

    /// The emulator's tenant, as a seed JSON file (see `ciamctl emulator --help`).
    #[arg(long, value_name = "FILE", requires = "emulator")]
    emulator_seed: Option<PathBuf>,

    /// Say more on stderr: `-v` the requests made, `-vv` each request, `-vvv` everything
    /// (secrets are never shown). `RUST_LOG` overrides.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CloudArg {
    Global,
    Usgov,
    UsgovDod,
    China,
}

impl From<CloudArg> for Cloud {
    fn from(cloud: CloudArg) -> Self {
        match cloud {
            CloudArg::Global => Cloud::Global,
            CloudArg::Usgov => Cloud::UsGov,
            CloudArg::UsgovDod => Cloud::UsGovDod,
            CloudArg::China => Cloud::China,
        }
    }
}

/// A client for the tenant, and the emulator behind it when there is one.
#[derive(Debug)]
pub(crate) struct Connection {
    pub(crate) client: GraphClient,
    pub(crate) tenant_id: String,
    /// Where the tenant id came from, for `doctor`.
    pub(crate) tenant_source: &'static str,
    /// Kept so the embedded emulator serves for as long as the connection lives; dropping it
    /// stops the emulator.
    _emulator: Option<Emulator>,
}

/// A configuration without errors and the text of the files it was read from, so that later
/// stages (the planner's name resolution) can point at a line in them.
#[derive(Debug)]
pub(crate) struct Desired {
    pub(crate) config: Config,
    pub(crate) sources: Sources,
}

/// The configuration named by `--config`, with every problem rendered on stderr; `Ok(None)`
/// without `--config`.
pub(crate) fn load_config(args: &GraphArgs) -> anyhow::Result<Option<Desired>> {
    let Some(dir) = &args.config else {
        if let Some(env) = &args.env {
            bail!("--env {env} needs a configuration: add -c DIR");
        }
        return Ok(None);
    };
    let loaded = ciamctl_model::load(dir, args.env.as_deref());
    if loaded.has_errors() || loaded.configs().len() > 1 {
        report(dir, loaded.diagnostics(), loaded.sources())?;
    }
    if loaded.has_errors() {
        bail!(
            "the configuration in `{}` has errors; `ciamctl validate -c {}` lists them too",
            dir.display(),
            dir.display()
        );
    }
    match loaded.configs() {
        [config] => Ok(Some(Desired {
            config: config.clone(),
            sources: loaded.sources().clone(),
        })),
        configs => {
            let names: Vec<&str> = configs
                .iter()
                .filter_map(|c| c.environment().map(|e| e.name.as_str()))
                .collect();
            bail!(
                "the configuration has {} environments ({}); pick one with --env NAME",
                names.len(),
                names.join(", ")
            )
        }
    }
}

/// Renders `diagnostics` (warnings included) about the configuration in `dir` on stderr, as
/// `validate` does.
pub(crate) fn report(
    dir: &std::path::Path,
    diagnostics: &[Diagnostic],
    sources: &Sources,
) -> anyhow::Result<()> {
    let (mut stderr, color) = output::stream(std::io::stderr());
    let options = ciamctl_model::render::RenderOptions {
        root: dir.to_path_buf(),
        color,
    };
    ciamctl_model::render::render(
        &mut stderr,
        ciamctl_model::render::Format::Human,
        diagnostics,
        sources,
        &options,
    )
    .context("writing the report")?;
    stderr.flush().context("writing the report")
}

/// Connects to the tenant `config` (if any) names, or to an embedded emulator.
pub(crate) async fn connect(
    args: &GraphArgs,
    config: Option<&Config>,
) -> anyhow::Result<Connection> {
    let environment = config.and_then(Config::environment);
    let mut named: Vec<(&'static str, String)> = Vec::new();
    if let Some(tenant) = &args.tenant_id {
        named.push(("--tenant-id", tenant.clone()));
    }
    if let Some(environment) = environment {
        named.push(("the environment file", environment.tenant_id.get().clone()));
    }
    let options = ClientOptions {
        concurrency: usize::from(args.concurrency),
        batch: !args.no_batch,
        user_agent: format!("ciamctl/{}", env!("CARGO_PKG_VERSION")),
        ..ClientOptions::default()
    };

    if args.emulator {
        let (tenant_source, tenant_id) =
            agreed(&named)?.unwrap_or(("the emulator's default", DEFAULT_TENANT_ID.to_owned()));
        let emulator = Emulator::start(ciamctl_emulator::EmulatorConfig {
            tenant_id: tenant_id.clone(),
            seed: args.emulator_seed.clone(),
            ..ciamctl_emulator::EmulatorConfig::default()
        })
        .await
        .context("cannot start the embedded emulator")?;
        eprintln!(
            "Using an embedded Graph emulator at {} (tenant {tenant_id}), not Microsoft Graph.",
            emulator.base_url()
        );
        let endpoints = Endpoints::new(emulator.base_url(), emulator.base_url())?;
        let credential = Credential::ClientSecret {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            secret: Secret::new(DEFAULT_CLIENT_SECRET.to_owned()),
        };
        let authenticator = Authenticator::new(credential, &tenant_id, endpoints.clone());
        let client = GraphClient::new(endpoints, authenticator, options)?;
        return Ok(Connection {
            client,
            tenant_id,
            tenant_source,
            _emulator: Some(emulator),
        });
    }

    let settings = CredentialSettings::from_env(|name| std::env::var(name).ok())?;
    if let Some(tenant) = &settings.tenant {
        named.push(("AZURE_TENANT_ID", tenant.clone()));
    }
    let (tenant_source, tenant_id) = match agreed(&named)? {
        Some(found) => found,
        None => match &settings.credential {
            Credential::AccessToken(token) => (
                "the access token's tid claim",
                TokenClaims::decode(token.expose())?
                    .tenant_id
                    .context("CIAMCTL_ACCESS_TOKEN has no tid claim; pass --tenant-id")?,
            ),
            _ => bail!(
                "no tenant: pass --tenant-id, set AZURE_TENANT_ID, or use a configuration \
                 whose environment file has a tenantId"
            ),
        },
    };
    let mut endpoints = Endpoints::cloud(args.cloud.into());
    if let Some(url) = &args.authority_url {
        endpoints = endpoints
            .with_authority(url)
            .context("--authority-url / AZURE_AUTHORITY_HOST")?;
    }
    if let Some(url) = &args.graph_url {
        endpoints = endpoints
            .with_graph(url)
            .context("--graph-url / CIAMCTL_GRAPH_URL")?;
    }
    let authenticator = Authenticator::new(settings.credential, &tenant_id, endpoints.clone());
    Ok(Connection {
        client: GraphClient::new(endpoints, authenticator, options)?,
        tenant_id,
        tenant_source,
        _emulator: None,
    })
}

/// The tenant the sources name, or an error naming the two that disagree.
fn agreed(named: &[(&'static str, String)]) -> anyhow::Result<Option<(&'static str, String)>> {
    let Some((first_source, first)) = named.first() else {
        return Ok(None);
    };
    if let Some((source, tenant)) = named.iter().find(|(_, t)| !is_guid(t)) {
        // Branding lives under /organization/{tenant id}, which takes the GUID, not a domain.
        bail!(
            "{source} names tenant `{tenant}`, which is not a tenant id; use the tenant \
             (directory) id, a GUID such as 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90"
        );
    }
    if let Some((source, other)) = named.iter().find(|(_, t)| !t.eq_ignore_ascii_case(first)) {
        bail!(
            "{first_source} names tenant {first} but {source} names tenant {other}; \
             ciamctl stops rather than guess which tenant to change"
        );
    }
    Ok(Some((first_source, first.clone())))
}

/// Runs a Graph-talking command: logs as `-v` says, loads the configuration, connects, and
/// hands both to `command` on a tokio runtime. A connection that failed is the command's to
/// report (`doctor` shows it as a failed check; the others return it).
pub(crate) fn run(
    args: &GraphArgs,
    command: impl AsyncFnOnce(Option<Desired>, anyhow::Result<Connection>) -> anyhow::Result<ExitStatus>,
) -> anyhow::Result<ExitStatus> {
    output::log_to_stderr(args.log_filter());
    let desired = load_config(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let connection = connect(args, desired.as_ref().map(|d| &d.config)).await;
        command(desired, connection).await
    })
}

impl GraphArgs {
    /// The log filter `-v`s ask for (`RUST_LOG` wins over it).
    fn log_filter(&self) -> &'static str {
        match self.verbose {
            0 | 1 => "warn",
            2 => "warn,ciamctl_graph=debug",
            _ => "trace",
        }
    }
}

/// What a command reads for `config`: what it manages, or the whole tenant.
pub(crate) fn scope(config: Option<&Config>) -> Scope {
    config.map_or_else(Scope::whole_tenant, Scope::of)
}

/// Reads `scope` and, with `-v`, says on stderr how many round trips and requests it took.
pub(crate) async fn read_live(
    args: &GraphArgs,
    connection: &Connection,
    scope: &Scope,
) -> anyhow::Result<LiveTenant> {
    let started = Instant::now();
    let tenant = read_tenant(&connection.client, &connection.tenant_id, scope)
        .await
        .map_err(|error| {
            let refused = error.status() == Some(401);
            let error = anyhow::Error::new(error);
            if refused {
                error.context(
                    "Graph refused the access token: it expired or is not for this tenant and \
                     Graph; check the credential (a CIAMCTL_ACCESS_TOKEN must be renewed)",
                )
            } else {
                error
            }
        })?;
    if args.verbose > 0 {
        eprintln!(
            "Read tenant {} in {:.2} s: {}.",
            connection.tenant_id,
            started.elapsed().as_secs_f64(),
            connection.client.stats(),
        );
    }
    Ok(tenant)
}

/// Says on stderr which kinds could not be read; `Incomplete` when a kind `scope` needs could
/// not.
pub(crate) fn report_unknown(tenant: &LiveTenant, scope: &Scope) -> ExitStatus {
    let (needed, spare): (Vec<_>, Vec<_>) = tenant
        .unknown_kinds()
        .into_iter()
        .partition(|(kind, _)| scope.needs(*kind));
    let (mut stderr, color) = output::stream(std::io::stderr());
    for (kind, failure) in spare {
        let _ = writeln!(
            stderr,
            "note: {kind} could not be read, and the configuration does not use them: {}",
            failure.reason
        );
    }
    if needed.is_empty() {
        return ExitStatus::Success;
    }
    let red = output::failure_style(color);
    for (kind, failure) in needed {
        let _ = writeln!(stderr, "{red}unknown{red:#} {kind}: {}", failure.reason);
    }
    let _ = writeln!(
        stderr,
        "The live state is incomplete: nothing is concluded about the kinds above."
    );
    ExitStatus::Incomplete
}
