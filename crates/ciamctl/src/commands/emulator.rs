//! `ciamctl emulator`: serve the local Graph emulator until interrupted.
//!
//! It prints the address it listens on and the environment that points ciamctl and the Azure
//! SDKs at it (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`,
//! `AZURE_AUTHORITY_HOST`, `CIAMCTL_GRAPH_URL`), then serves until Ctrl-C or SIGTERM, when it
//! stops accepting connections, answers the requests in flight and exits 0. The emulator's
//! warnings go to stderr.
//!
//! [`EmulatorOptions`] (identities, files, faults) is kept apart from the listening address so
//! that Graph-talking commands can embed an emulator with the same options and
//! [`environment`].

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use ciamctl_emulator::{
    ClientSecret, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, Emulator,
    EmulatorConfig, Faults, MAX_THROTTLE_WINDOW_SECS, Throttle,
};

use crate::exit::ExitStatus;

/// Serve a local Microsoft Graph for an External ID tenant until interrupted.
///
/// It serves the Graph routes ciamctl uses under /v1.0 and /beta, $batch, and the token
/// endpoint, and prints the environment variables that point ciamctl and the Azure SDKs at it.
/// The emulator's crate docs list every route, fault, file format and the /_emulator endpoints
/// (stats, state, reset, faults).
#[derive(Debug, clap::Args)]
pub(crate) struct EmulatorArgs {
    /// The address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:8765")]
    listen: SocketAddr,

    #[command(flatten)]
    options: EmulatorOptions,
}

/// How an emulator is set up: its identities, files and faults. `Debug` masks the client
/// secret, as the emulator's own configuration does.
#[derive(clap::Args)]
pub(crate) struct EmulatorOptions {
    /// The tenant id (the organization's id) tokens are issued for.
    #[arg(long, value_name = "ID", default_value = DEFAULT_TENANT_ID)]
    tenant_id: String,

    /// The client id the token endpoint accepts, with all application permissions.
    #[arg(long, value_name = "ID", default_value = DEFAULT_CLIENT_ID)]
    client_id: String,

    /// The client secret the token endpoint accepts. It only opens this local emulator.
    #[arg(long, value_name = "SECRET", default_value = DEFAULT_CLIENT_SECRET)]
    client_secret: String,

    /// Start from the tenant in this JSON file instead of a fresh one; keys it leaves out are
    /// the fresh tenant's.
    #[arg(long, value_name = "FILE")]
    seed: Option<PathBuf>,

    /// Keep the tenant in this JSON file: load it on start when it exists and save every
    /// write to it atomically (mode 0600: it holds the tenant's secrets).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,

    /// Append one JSON line per request and per $batch item to this file, secrets masked.
    #[arg(long, value_name = "FILE")]
    journal: Option<PathBuf>,

    /// Answer every HTTP request this many milliseconds later.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Answer 429 with Retry-After past this many Graph calls (requests and $batch items) in any
    /// window of SECONDS.
    #[arg(long, value_name = "REQUESTS/SECONDS", value_parser = parse_throttle)]
    throttle: Option<Throttle>,

    /// Probability of answering a Graph call 503 or 500, or dropping its connection, instead of
    /// handling it.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_probability)]
    fail_rate: f64,

    /// Probability of applying a write and then answering 503 or dropping the connection.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_probability)]
    commit_then_fail_rate: f64,

    /// Answer 404 to a GET of an object created less than this many milliseconds ago.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    consistency_delay_ms: u64,

    /// With --consistency-delay-ms: also answer 404 to writes to a new object and the paths
    /// below it (its links), as Graph does while a create replicates.
    #[arg(long, requires = "consistency_delay_ms")]
    consistency_writes: bool,

    /// Probability of answering a PATCH as applied (204) without applying it.
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_probability)]
    ignored_patch_rate: f64,

    /// Seed of the one generator behind every fault decision and the $batch response order: the
    /// same seed and the same requests fail the same way.
    #[arg(long, value_name = "N", default_value_t = 0)]
    fault_seed: u64,

    /// Page collections with this many items when the client sends no $top (default: one page,
    /// as Graph answers the small CIAM collections).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    page_size: Option<u32>,
}

impl std::fmt::Debug for EmulatorOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Destructured so that a new field cannot be left out of `Debug` unnoticed.
        let Self {
            tenant_id,
            client_id,
            client_secret,
            seed,
            state,
            journal,
            latency_ms,
            throttle,
            fail_rate,
            commit_then_fail_rate,
            consistency_delay_ms,
            consistency_writes,
            ignored_patch_rate,
            fault_seed,
            page_size,
        } = self;
        f.debug_struct("EmulatorOptions")
            .field("tenant_id", tenant_id)
            .field("client_id", client_id)
            .field("client_secret", &ClientSecret::new(client_secret))
            .field("seed", seed)
            .field("state", state)
            .field("journal", journal)
            .field("latency_ms", latency_ms)
            .field("throttle", throttle)
            .field("fail_rate", fail_rate)
            .field("commit_then_fail_rate", commit_then_fail_rate)
            .field("consistency_delay_ms", consistency_delay_ms)
            .field("consistency_writes", consistency_writes)
            .field("ignored_patch_rate", ignored_patch_rate)
            .field("fault_seed", fault_seed)
            .field("page_size", page_size)
            .finish()
    }
}

fn parse_throttle(text: &str) -> Result<Throttle, String> {
    text.parse().map_err(|_| {
        format!(
            "expected REQUESTS/SECONDS with at least one request and more than 0 seconds, at most {MAX_THROTTLE_WINDOW_SECS}, as in `--throttle 100/10`"
        )
    })
}

fn parse_probability(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| "expected a probability from 0 to 1, as in `--fail-rate 0.1`".to_owned())
}

impl EmulatorOptions {
    /// The emulator configuration these options describe.
    pub(crate) fn config(&self) -> EmulatorConfig {
        EmulatorConfig {
            tenant_id: self.tenant_id.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            seed: self.seed.clone(),
            state: self.state.clone(),
            journal: self.journal.clone(),
            faults: Faults {
                seed: self.fault_seed,
                latency_ms: self.latency_ms,
                throttle: self.throttle,
                fail_rate: self.fail_rate,
                commit_then_fail_rate: self.commit_then_fail_rate,
                consistency_delay_ms: self.consistency_delay_ms,
                consistency_writes: self.consistency_writes,
                ignored_patch_rate: self.ignored_patch_rate,
            },
            default_page_size: self.page_size.and_then(|n| usize::try_from(n).ok()),
            ..EmulatorConfig::default()
        }
    }
}

/// The environment that points ciamctl and the Azure SDKs at a running emulator, in the order
/// it is printed.
pub(crate) fn environment(
    emulator: &Emulator,
    options: &EmulatorOptions,
) -> [(&'static str, String); 5] {
    [
        ("AZURE_TENANT_ID", emulator.tenant_id().to_owned()),
        ("AZURE_CLIENT_ID", options.client_id.clone()),
        ("AZURE_CLIENT_SECRET", options.client_secret.clone()),
        ("AZURE_AUTHORITY_HOST", emulator.base_url().to_owned()),
        ("CIAMCTL_GRAPH_URL", emulator.base_url().to_owned()),
    ]
}

pub(crate) fn run(args: &EmulatorArgs) -> anyhow::Result<ExitStatus> {
    // The emulator's warnings and errors (a journal or state file it cannot write, a request
    // handler that failed): without them a user sees only the 500 a client got.
    crate::output::log_to_stderr("warn");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args))
}

async fn serve(args: &EmulatorArgs) -> anyhow::Result<ExitStatus> {
    let mut interrupts = Interrupts::listen().context("cannot listen for Ctrl-C or SIGTERM")?;
    let config = args.options.config();
    let emulator = Emulator::start_on(config.clone(), args.listen)
        .await
        .context("cannot start the emulator")?;
    print_banner(&emulator, &args.options, &config)?;
    interrupts.received().await;
    eprintln!("Stopping: answering the requests in flight.");
    emulator
        .stop()
        .await
        .context("the emulator did not stop cleanly")?;
    Ok(ExitStatus::Success)
}

/// What the emulator serves and the environment that points clients at it, on stdout.
fn print_banner(
    emulator: &Emulator,
    options: &EmulatorOptions,
    config: &EmulatorConfig,
) -> std::io::Result<()> {
    let base = emulator.base_url();
    let mut lines = vec![
        format!("Graph emulator listening on {base}"),
        row("Graph", &format!("{base}/v1.0 and {base}/beta")),
        row(
            "token endpoint",
            &format!("{base}/{}/oauth2/v2.0/token", emulator.tenant_id()),
        ),
        row(
            "emulator",
            &format!("{base}/_emulator/stats, state, reset, faults"),
        ),
    ];
    for (label, path) in [
        ("seed", &config.seed),
        ("state", &config.state),
        ("journal", &config.journal),
    ] {
        if let Some(path) = path {
            lines.push(row(label, &path.display().to_string()));
        }
    }
    lines.push(row("faults", &describe(&config.faults)));
    lines.push(String::new());
    lines.push("Point ciamctl and the Azure SDKs at it:".to_owned());
    lines.push(String::new());
    for (name, value) in environment(emulator, options) {
        lines.push(format!("export {name}={}", shell_quoted(&value)));
    }
    lines.push(String::new());
    lines.push("Press Ctrl-C to stop.".to_owned());
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        writeln!(stdout, "{line}")?;
    }
    stdout.flush()
}

/// `value` as a POSIX shell word: as it is when it holds only characters no shell treats
/// specially, else single-quoted, so that a pasted `export` line sets exactly `value`.
fn shell_quoted(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:@%+=,-".contains(c));
    if plain {
        value.to_owned()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

fn row(label: &str, value: &str) -> String {
    format!("  {:<16}{value}", format!("{label}:"))
}

/// The fault settings in words, for the banner.
fn describe(faults: &Faults) -> String {
    let mut parts = Vec::new();
    if faults.latency_ms > 0 {
        parts.push(format!("latency {} ms", faults.latency_ms));
    }
    if let Some(throttle) = faults.throttle {
        parts.push(format!("throttle {throttle}"));
    }
    if faults.fail_rate > 0.0 {
        parts.push(format!("fail rate {}", faults.fail_rate));
    }
    if faults.commit_then_fail_rate > 0.0 {
        parts.push(format!(
            "commit-then-fail rate {}",
            faults.commit_then_fail_rate
        ));
    }
    if faults.consistency_delay_ms > 0 {
        parts.push(format!(
            "consistency delay {} ms{}",
            faults.consistency_delay_ms,
            if faults.consistency_writes {
                ", writes included"
            } else {
                ""
            }
        ));
    }
    if faults.ignored_patch_rate > 0.0 {
        parts.push(format!("ignored-patch rate {}", faults.ignored_patch_rate));
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        format!("{} (seed {})", parts.join(", "), faults.seed)
    }
}

/// Ctrl-C and, on Unix, SIGTERM, listened for from creation on, so that a signal that arrives
/// while the emulator starts is not lost.
#[cfg(unix)]
struct Interrupts {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Interrupts {
    fn listen() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn received(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

#[cfg(not(unix))]
struct Interrupts(tokio::signal::windows::CtrlC);

#[cfg(not(unix))]
impl Interrupts {
    fn listen() -> std::io::Result<Self> {
        tokio::signal::windows::ctrl_c().map(Self)
    }

    async fn received(&mut self) {
        self.0.recv().await;
    }
}
