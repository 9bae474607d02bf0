//! `ciamctl plan`: what `apply` would change to make the tenant match the configuration; and
//! the steps it shares with `drift`, which is the same plan read from the tenant's side.
//!
//! The flow ([`with_plan`]): load the configuration (its problems rendered as `validate`
//! renders them), read every asset file it names, connect, read the live tenant for the
//! configuration's scope and stop with exit 3 when a kind it needs could not be read (nothing is
//! planned from a partial read). Then plan: names that match nothing in the tenant, or several
//! things, are rendered with their `file:line:column` and exit 1.
//!
//! The plan goes to stdout in `--format`, coloured only on a terminal and never with
//! `NO_COLOR`; notes go to stderr, so stdout can be piped. `--out FILE` saves the JSON
//! document whatever `--format` is, atomically and before anything is printed: it records the tenant id, a digest of the configuration and
//! assets, and a fingerprint of every live object read, for `apply`'s stale-plan check.
//! Exit 0, or with `--detailed-exitcode` 2 when the plan has changes.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use ciamctl_model::Config;
use ciamctl_plan::{AssetFile, DesiredAssets, Inputs, Plan, PlanError, PlanOptions};
use ciamctl_render::{Mode, RenderOptions};

use crate::commands::connect::{self, Connection, Desired, GraphArgs};
use crate::exit::ExitStatus;
use crate::output;

/// Show what `apply` would change in the tenant, without changing anything.
#[derive(Debug, clap::Args)]
#[command(mut_arg("config", config_required))]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    graph: GraphArgs,

    /// How to print the plan: `text` for a terminal, `markdown` for a pull-request comment,
    /// `json` for tools (the versioned plan document).
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Also save the plan as its JSON document to FILE (whatever `--format` is), with the
    /// tenant id, the configuration's digest and the live objects' fingerprints.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Exit 2 when the plan has changes, 0 when the tenant is in sync.
    #[arg(long)]
    detailed_exitcode: bool,

    /// Send write-only secrets (identity providers' client secrets) on update as well; without
    /// it they are sent only when their object is created.
    #[arg(long)]
    rotate_secrets: bool,
}

/// `-c DIR` for `plan` and `drift`, which compare a configuration with the tenant: required,
/// and without the shared option's note about reading the whole tenant.
pub(super) fn config_required(arg: clap::Arg) -> clap::Arg {
    arg.required(true).help("The configuration directory")
}

/// The formats of `plan` and `drift`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum FormatArg {
    Text,
    Markdown,
    Json,
}

impl From<FormatArg> for ciamctl_render::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Text => ciamctl_render::Format::Text,
            FormatArg::Markdown => ciamctl_render::Format::Markdown,
            FormatArg::Json => ciamctl_render::Format::Json,
        }
    }
}

pub(crate) fn run(args: &PlanArgs) -> anyhow::Result<ExitStatus> {
    let options = PlanOptions {
        rotate_secrets: args.rotate_secrets,
    };
    with_plan(&args.graph, options, |plan| {
        // Saved first: a plan that cannot be saved is not printed either, so a CI step that
        // pipes stdout into a comment does not post a plan that `apply` will never get.
        if let Some(out) = &args.out {
            let document = rendered(plan, ciamctl_render::Format::Json, Mode::Plan)?;
            replace_file(out, &document)?;
            eprintln!("Saved the plan to {}.", out.display());
        }
        print(plan, args.format, Mode::Plan)?;
        Ok(if args.detailed_exitcode {
            changes(plan)
        } else {
            ExitStatus::Success
        })
    })
}

/// Makes the plan of the configuration `graph` names against its tenant and hands it to
/// `then`; or says on stderr why there is none and returns the exit status that says so.
pub(super) fn with_plan(
    graph: &GraphArgs,
    options: PlanOptions,
    then: impl FnOnce(&Plan) -> anyhow::Result<ExitStatus>,
) -> anyhow::Result<ExitStatus> {
    connect::run(graph, async |desired, connection| {
        let desired = desired.context("a plan needs a configuration: add -c DIR")?;
        // Before any request: a missing file is found without waiting for the tenant.
        let assets = read_assets(&desired.config)?;
        let connection = connection?;
        match plan_now(graph, &desired, &assets, &connection, options).await? {
            Ok(plan) => then(&plan),
            Err(status) => Ok(status),
        }
    })
}

/// Reads the tenant for `desired`'s scope and plans; or says on stderr why there is no plan
/// (a kind that could not be read, names that match nothing) and gives the exit status that
/// says so.
pub(super) async fn plan_now(
    graph: &GraphArgs,
    desired: &Desired,
    assets: &DesiredAssets,
    connection: &Connection,
    options: PlanOptions,
) -> anyhow::Result<Result<Plan, ExitStatus>> {
    let config = &desired.config;
    let scope = connect::scope(Some(config));
    let live = connect::read_live(graph, connection, &scope).await?;
    let read = connect::report_unknown(&live, &scope);
    if read != ExitStatus::Success {
        return Ok(Err(read));
    }
    let inputs = Inputs {
        config,
        live: &live,
        assets,
        options,
        ciamctl_version: env!("CARGO_PKG_VERSION"),
    };
    match ciamctl_plan::plan(&inputs) {
        Ok(plan) => Ok(Ok(plan)),
        Err(PlanError::Unresolved(diagnostics)) => {
            connect::report(config.root(), &diagnostics, &desired.sources)?;
            eprintln!("Nothing was planned: the names above do not match the tenant.");
            Ok(Err(ExitStatus::Error))
        }
        Err(error @ PlanError::Incomplete(_)) => {
            eprintln!("error: {error}");
            Ok(Err(ExitStatus::Incomplete))
        }
        Err(error) => Err(error.into()),
    }
}

/// `Changes` when the plan changes anything, `Success` when the tenant is in sync.
pub(super) fn changes(plan: &Plan) -> ExitStatus {
    if plan.summary.in_sync {
        ExitStatus::Success
    } else {
        ExitStatus::Changes
    }
}

/// Renders `plan` on stdout, coloured when stdout is a terminal that wants colour.
pub(super) fn print(plan: &Plan, format: FormatArg, mode: Mode) -> anyhow::Result<()> {
    let (mut stdout, color) = output::stream(std::io::stdout().lock());
    ciamctl_render::render(
        &mut stdout,
        format.into(),
        plan,
        &render_options(color, mode),
    )
    .and_then(|()| stdout.flush())
    .context("writing the plan")
}

/// `plan` rendered in full and without colour, for a file: it is rendered before any file is
/// touched, and once however many files it goes to.
pub(super) fn rendered(
    plan: &Plan,
    format: ciamctl_render::Format,
    mode: Mode,
) -> anyhow::Result<Vec<u8>> {
    let mut rendered = Vec::new();
    ciamctl_render::render(&mut rendered, format, plan, &render_options(false, mode))
        .context("rendering the plan")?;
    Ok(rendered)
}

/// [`replace`]s the file `path` (`plan --out`, `drift --report`), naming it in the error.
pub(super) fn replace_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    replace(path, bytes).with_context(|| cannot_write(path))
}

/// Adds `bytes` to the end of the file `path` ([`append_to`]), naming it in the error: a GitHub
/// step summary collects what every step writes.
pub(super) fn append_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    append_to(path, bytes).with_context(|| cannot_write(path))
}

fn cannot_write(path: &Path) -> String {
    format!("cannot write `{}`", path.display())
}

/// Adds `bytes` to the end of `path`, on a line of their own: what an earlier step left
/// without a final line break would otherwise run into the report's heading.
fn append_to(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)?;
    let mut last = [0; 1];
    let unterminated = file.seek(SeekFrom::End(0))? > 0 && {
        file.seek(SeekFrom::End(-1))?;
        file.read_exact(&mut last)?;
        last != *b"\n"
    };
    if unterminated {
        file.write_all(b"\n")?;
    }
    file.write_all(bytes)
}

/// Writes `bytes` to a new file in `path`'s directory, flushes it to disk and renames it over
/// `path`, so `path` holds the old content or the whole new one, never a torn plan for `apply`
/// to read; on any failure the new file is removed and `path` is as it was.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(directory)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map(drop).map_err(|error| error.error)
}

fn render_options(color: bool, mode: Mode) -> RenderOptions {
    RenderOptions {
        color,
        mode,
        ..RenderOptions::default()
    }
}

/// The content of every asset file `config` names, as the planner compares it.
pub(super) fn read_assets(config: &Config) -> anyhow::Result<DesiredAssets> {
    let mut assets = DesiredAssets::default();
    for asset in ciamctl_plan::asset_references(config) {
        let named = config.root().join(&asset.base).join(&asset.path);
        let context = || format!("cannot read the asset file `{}`", named.display());
        let file = ciamctl_model::assets::resolve(config.root(), &asset.base, &asset.path)
            .with_context(context)?;
        let bytes = std::fs::read(&file).with_context(context)?;
        let relative = file.strip_prefix(config.root()).with_context(context)?;
        assets.insert(
            asset,
            AssetFile::new(
                slashed(relative),
                &bytes,
                ciamctl_model::assets::upload_type(&file, &bytes),
            ),
        );
    }
    Ok(assets)
}

/// `path` with `/` between its parts on every platform, as the plan records files.
fn slashed(path: &Path) -> String {
    path.components()
        .filter_map(|component| match component {
            Component::Normal(part) => Some(part.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}
