//! `ciamctl export`: write the live tenant as a configuration directory that plans to no
//! changes, to bring a tenant configured by hand under Git.
//!
//! The flow: refuse a non-empty `--out DIR` unless `--force`; find the environment file
//! `--env NAME` names (in `-c DIR`, by default in the `--out` directory itself, so a re-export
//! into a repository's configuration keeps its variables); connect to its tenant; read the
//! whole tenant and the bytes of every branding stream, and stop with exit 3 when a kind the
//! export needs could not be read; build the files with `ciamctl-export`; write them into a
//! new directory beside DIR, check it with the loader (as `validate` would), and only then
//! move it into place. A failure before the move leaves DIR as it was; the files are never
//! half written into it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use ciamctl_export::{Environment, ExportError, Inputs, Options, Streams};
use ciamctl_model::settings::ResourceKind;
use ciamctl_tenant::scope::{DEFAULT_LOCALE, Scope};

use crate::commands::connect::{self, GraphArgs};
use crate::exit::ExitStatus;

/// Write the live tenant as configuration files that plan to no changes.
#[derive(Debug, clap::Args)]
#[command(
    mut_arg("config", environment_source),
    mut_arg("env", environment_name)
)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    graph: GraphArgs,

    /// The directory to write; it must be empty or absent, unless `--force`.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,

    /// The kinds to write, separated by commas (default: all).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND,…")]
    kinds: Vec<KindArg>,

    /// Replace the content of a DIR that is not empty (the environment files already in it
    /// that the export does not write are kept).
    #[arg(long)]
    force: bool,
}

fn environment_source(arg: clap::Arg) -> clap::Arg {
    arg.help(
        "The configuration whose environment file `--env` reads (default: the `--out` \
         directory)",
    )
}

fn environment_name(arg: clap::Arg) -> clap::Arg {
    arg.help(
        "Write `environments/NAME.yaml` (tenant id and variables), reading the variables of an \
         existing one: applications whose appId a variable holds are written as `${VARIABLE}`",
    )
}

/// A kind, as `settings.prune` spells it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum KindArg {
    #[value(name = "attributes")]
    Attributes,
    #[value(name = "identityProviders")]
    IdentityProviders,
    #[value(name = "userFlows")]
    UserFlows,
    #[value(name = "branding")]
    Branding,
    #[value(name = "localizations")]
    Localizations,
}

impl From<KindArg> for ResourceKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Attributes => ResourceKind::Attributes,
            KindArg::IdentityProviders => ResourceKind::IdentityProviders,
            KindArg::UserFlows => ResourceKind::UserFlows,
            KindArg::Branding => ResourceKind::Branding,
            KindArg::Localizations => ResourceKind::Localizations,
        }
    }
}

pub(crate) fn run(mut args: ExportArgs) -> anyhow::Result<ExitStatus> {
    let out = args.out.clone();
    if !args.force && is_non_empty(&out)? {
        bail!(
            "`{}` is not empty; export into an empty or new directory, or pass --force to \
             replace its content",
            out.display()
        );
    }
    let mut options = Options::everything();
    if !args.kinds.is_empty() {
        options.kinds = args.kinds.iter().map(|&k| k.into()).collect();
    }
    // The environment file is read alone, from a directory holding only it: the export does
    // not depend on the rest of the directory, which it replaces.
    let environment = match args.graph.env.clone() {
        Some(name) => {
            let source = args.graph.config.clone().unwrap_or_else(|| out.clone());
            let found = environment_file(&source, &name);
            if found.is_none() && args.graph.config.is_some() {
                bail!(
                    "`{}` has no environments/{name}.yaml for --env {name}",
                    source.display()
                );
            }
            Some((name, source, found))
        }
        None if args.graph.config.is_some() => {
            bail!("-c DIR says where --env NAME finds its environment file; add --env NAME")
        }
        None => None,
    };
    let _staged = match &environment {
        Some((name, source, Some(file))) => {
            let staged = stage_environment(file, name)?;
            let variables = variables(staged.path(), name, source)?;
            options.environment = Some(Environment {
                name: name.clone(),
                variables,
            });
            args.graph.config = Some(staged.path().to_path_buf());
            Some(staged)
        }
        Some((name, _, None)) => {
            eprintln!("There is no environments/{name}.yaml yet: the export writes one.");
            options.environment = Some(Environment {
                name: name.clone(),
                variables: BTreeMap::new(),
            });
            args.graph.env = None;
            None
        }
        None => None,
    };

    connect::run(&args.graph, async |_, connection| {
        let connection = connection?;
        let mut live = connect::read_live(&args.graph, &connection, &Scope::export()).await?;
        let mut streams = Streams::default();
        for (locale, stream, bytes) in ciamctl_tenant::read_streams(&connection.client, &mut live)
            .await
            .context("downloading the branding's images and stylesheets")?
        {
            let locale = (locale != DEFAULT_LOCALE).then_some(locale.as_str());
            streams.insert(locale, stream, bytes);
        }
        let inputs = Inputs {
            live: &live,
            streams: &streams,
            options: &options,
        };
        let export = match ciamctl_export::export(&inputs) {
            Ok(export) => export,
            Err(ExportError::Incomplete(_)) => {
                let status = connect::report_unknown(&live, &Scope::export());
                eprintln!("Nothing was exported: a partial read would look like a smaller tenant.");
                return Ok(status);
            }
            Err(error) => return Err(error.into()),
        };
        for skipped in &export.skipped {
            eprintln!(
                "warning: not exported: {} `{}` {}; a plan lists it as unmanaged",
                ciamctl_export::kind_name(skipped.kind),
                skipped.name,
                skipped.reason
            );
        }
        let env = options.environment.as_ref().map(|e| e.name.as_str());
        let valid = write(&out, &export.files, env)?;
        eprintln!(
            "Exported tenant {} to {} ({} files).",
            live.tenant_id,
            out.display(),
            export.files.len()
        );
        if !export.secrets.is_empty() {
            eprintln!(
                "Secrets are not exported; set these environment variables where ciamctl \
                 applies: {}.",
                export.secrets.join(", ")
            );
        }
        Ok(valid)
    })
}

/// Whether `dir` exists and holds anything (a file that is not a directory is an error).
fn is_non_empty(dir: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => {
            Err(error).with_context(|| format!("cannot use `{}` as --out", dir.display()))
        }
    }
}

/// `DIR/environments/NAME.yaml` (or `.yml`), if there is one.
fn environment_file(dir: &Path, name: &str) -> Option<PathBuf> {
    ["yaml", "yml"]
        .into_iter()
        .map(|extension| {
            dir.join(ciamctl_model::environment::DIRECTORY)
                .join(format!("{name}.{extension}"))
        })
        .find(|path| path.is_file())
}

/// A temporary directory holding only `file`, as `environments/NAME.yaml`.
fn stage_environment(file: &Path, name: &str) -> anyhow::Result<tempfile::TempDir> {
    let staged = tempfile::tempdir().context("cannot create a temporary directory")?;
    let environments = staged.path().join(ciamctl_model::environment::DIRECTORY);
    std::fs::create_dir(&environments)
        .and_then(|()| std::fs::copy(file, environments.join(format!("{name}.yaml"))))
        .with_context(|| format!("cannot read `{}`", file.display()))?;
    Ok(staged)
}

/// The variables of the environment staged in `dir`; its problems are reported as found in
/// `source`.
fn variables(dir: &Path, name: &str, source: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let loaded = ciamctl_model::load(dir, Some(name));
    if loaded.has_errors() {
        connect::report(source, loaded.diagnostics(), loaded.sources())?;
        bail!("the environment file for --env {name} has errors");
    }
    let environment = loaded
        .config()
        .and_then(|config| config.environment())
        .with_context(|| format!("no environment {name}"))?;
    Ok(environment
        .variables
        .iter()
        .map(|(name, value)| (name.get().clone(), value.get().clone()))
        .collect())
}

/// Writes `files` to a new directory beside `out`, keeps the environment files of an
/// existing `out` that the export does not write, checks the result as `validate` does, and
/// moves it into place. `Error` (after the move, with the problems on stderr) when the tenant
/// holds values the checks refuse.
fn write(
    out: &Path,
    files: &[ciamctl_export::File],
    environment: Option<&str>,
) -> anyhow::Result<ExitStatus> {
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create `{}`", parent.display()))?;
    let staged = tempfile::Builder::new()
        .prefix(".ciamctl-export-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a directory in `{}`", parent.display()))?;
    for file in files {
        let path = staged.path().join(&file.path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create `{}`", folder.display()))?;
        }
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    keep_environments(out, staged.path())?;

    let loaded = ciamctl_model::load(staged.path(), environment);
    let problems = loaded.has_errors();

    replace_dir(out, staged)?;
    if problems {
        connect::report(out, loaded.diagnostics(), loaded.sources())?;
        eprintln!(
            "The tenant holds values ciamctl's checks refuse (above); the files say what the \
             tenant has, so fix them there or in the tenant."
        );
        return Ok(ExitStatus::Error);
    }
    Ok(ExitStatus::Success)
}

/// Copies the environment files of `out` that `staged` does not have: they describe other
/// tenants, which the export of this one has no reason to drop.
fn keep_environments(out: &Path, staged: &Path) -> anyhow::Result<()> {
    let from = out.join(ciamctl_model::environment::DIRECTORY);
    let Ok(entries) = std::fs::read_dir(&from) else {
        return Ok(());
    };
    let to = staged.join(ciamctl_model::environment::DIRECTORY);
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_file()) && !target.exists() {
            std::fs::create_dir_all(&to)
                .and_then(|()| std::fs::copy(entry.path(), &target))
                .with_context(|| format!("cannot keep `{}`", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Puts `staged` where `out` is: `out`, if it exists, is first moved aside, and put back if
/// the move fails, then removed.
fn replace_dir(out: &Path, staged: tempfile::TempDir) -> anyhow::Result<()> {
    let staged = staged.keep();
    let moved = |error: std::io::Error| {
        let _ = std::fs::remove_dir_all(&staged);
        anyhow::Error::new(error).context(format!("cannot move the export to `{}`", out.display()))
    };
    if !out.exists() {
        return std::fs::rename(&staged, out).map_err(moved);
    }
    let aside = tempfile::Builder::new()
        .prefix(".ciamctl-export-old-")
        .tempdir_in(staged.parent().unwrap_or(Path::new(".")))
        .context("cannot make room for the old directory")?
        .keep();
    std::fs::remove_dir(&aside)
        .and_then(|()| std::fs::rename(out, &aside))
        .map_err(moved)?;
    if let Err(error) = std::fs::rename(&staged, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(moved(error));
    }
    std::fs::remove_dir_all(&aside)
        .with_context(|| format!("cannot remove the old content in `{}`", aside.display()))?;
    Ok(())
}
