//! `ciamctl export`: write the live tenant as a configuration directory that plans to no
//! changes, to bring a tenant configured by hand under Git.
//!
//! The flow: refuse a non-empty `--out DIR` unless `--force`; find the environment file
//! `--env NAME` names (in `-c DIR`, by default in the `--out` directory itself, so a re-export
//! into a repository's configuration keeps its variables); connect to its tenant; read the
//! whole tenant and the bytes of every branding stream, and stop with exit 3 when a kind the
//! export needs could not be read; build the files with `ciamctl-export`; write them into a
//! staging directory, check it with the loader (as `validate` would), and only then move the
//! files into place. In an existing DIR only the configuration is replaced (YAML files outside
//! `environments/`, `assets/`, `schemas/`, the environment file written); a README, `.git` or
//! other environment files stay. A failure moves every file back: DIR is never left half
//! written.

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

    /// Replace the configuration in a DIR that is not empty: its YAML files outside
    /// `environments/`, `assets/` and `schemas/` (hidden files, other files and the other
    /// environment files are kept).
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
    if let Some(name) = &args.graph.env
        && !is_environment_name(name)
    {
        bail!(
            "--env {name}: an environment is named by its file, `environments/NAME.yaml`; use \
             a plain name without `/`, `\\` or a leading `.`"
        );
    }
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

/// Whether `name` names a file in `environments/`, and no path that leaves it.
fn is_environment_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\'])
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

/// Writes `files` to a staging directory, with copies of the environment files of an existing
/// `out` that the export does not write, checks it as `validate` does, and puts the files in
/// place ([`install`]). `Error` (after the files are in place, with the problems on stderr)
/// when the tenant holds values the checks refuse.
fn write(
    out: &Path,
    files: &[ciamctl_export::File],
    environment: Option<&str>,
) -> anyhow::Result<ExitStatus> {
    // Absolute, so that `--out .` has a parent and is never renamed itself.
    let out = &std::path::absolute(out)
        .with_context(|| format!("cannot use `{}` as --out", out.display()))?;
    let existing = out.is_dir();
    // Inside an existing DIR (hidden, so no loader reads it), else beside it: either way on
    // DIR's file system, where the files can be renamed into place.
    let root = if existing {
        out.clone()
    } else {
        let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        parent
    };
    let staged = tempfile::Builder::new()
        .prefix(".ciamctl-export-")
        .tempdir_in(&root)
        .with_context(|| format!("cannot create a directory in `{}`", root.display()))?;
    for file in files {
        let path = staged.path().join(&file.path);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create `{}`", folder.display()))?;
        }
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    if existing {
        copy_environments(out, staged.path(), environment)?;
    }

    let loaded = ciamctl_model::load(staged.path(), environment);
    let problems = loaded.has_errors();

    if existing {
        install(out, staged.path(), files, environment)?;
    } else {
        std::fs::rename(staged.path(), out)
            .with_context(|| format!("cannot move the export to `{}`", out.display()))?;
    }
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

/// Copies the environment files of `out` that `staged` does not have, so that the check sees
/// the environments the directory will have: they describe other tenants, which the export of
/// this one keeps.
fn copy_environments(out: &Path, staged: &Path, environment: Option<&str>) -> anyhow::Result<()> {
    let from = out.join(ciamctl_model::environment::DIRECTORY);
    let Ok(entries) = std::fs::read_dir(&from) else {
        return Ok(());
    };
    let to = staged.join(ciamctl_model::environment::DIRECTORY);
    for entry in entries.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_file()
            && !target.exists()
            && !is_written_environment(Path::new(&entry.file_name()), environment)
        {
            std::fs::create_dir_all(&to)
                .and_then(|()| std::fs::copy(entry.path(), &target))
                .with_context(|| format!("cannot keep `{}`", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Replaces the configuration in the existing directory `out` with `files`, staged in `staged`:
/// the files the export replaces ([`replaced`]) are moved aside, the new ones moved in from
/// `staged`, and everything else in `out` (hidden entries such as `.git`, a README, other
/// environment files) is left where it is. Any failure moves every file back, so `out` is as
/// it was.
fn install(
    out: &Path,
    staged: &Path,
    files: &[ciamctl_export::File],
    environment: Option<&str>,
) -> anyhow::Result<()> {
    let old =
        replaced(out, environment).with_context(|| format!("cannot read `{}`", out.display()))?;
    let aside = tempfile::Builder::new()
        .prefix(".ciamctl-export-old-")
        .tempdir_in(out)
        .with_context(|| format!("cannot create a directory in `{}`", out.display()))?;
    let mut moves = Moves::default();
    let moved = old
        .iter()
        .try_for_each(|path| moves.rename(&out.join(path), &aside.path().join(path)))
        .and_then(|()| {
            files
                .iter()
                .try_for_each(|file| moves.rename(&staged.join(&file.path), &out.join(&file.path)))
        });
    if let Err(error) = moved {
        moves.undo(out);
        return Err(error.context(format!("cannot put the export in `{}`", out.display())));
    }
    // Folders the old files leave empty (a localization the tenant no longer has).
    for path in &old {
        for folder in path.ancestors().skip(1) {
            if folder.as_os_str().is_empty() || std::fs::remove_dir(out.join(folder)).is_err() {
                break;
            }
        }
    }
    Ok(())
}

/// The files of `out` (relative paths) an export replaces: the configuration files the loader
/// reads (`*.yaml`, `*.yml` outside `environments/`), everything in the export's folders
/// `assets/` and `schemas/`, and the environment file it writes. Hidden entries are never
/// among them, as the loader never reads them.
fn replaced(out: &Path, environment: Option<&str>) -> std::io::Result<Vec<PathBuf>> {
    fn walk(
        out: &Path,
        dir: &Path,
        environment: Option<&str>,
        found: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        for entry in std::fs::read_dir(out.join(dir))? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            if entry.file_type()?.is_dir() {
                walk(out, &path, environment, found)?;
                continue;
            }
            let top = path
                .components()
                .next()
                .map(std::path::Component::as_os_str);
            let yaml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            let replaced = if top == Some(ciamctl_model::environment::DIRECTORY.as_ref()) {
                dir.as_os_str() == ciamctl_model::environment::DIRECTORY
                    && is_written_environment(Path::new(&name), environment)
            } else {
                yaml || top == Some("assets".as_ref()) || top == Some("schemas".as_ref())
            };
            if replaced {
                found.push(path);
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(out, Path::new(""), environment, &mut found)?;
    found.sort();
    Ok(found)
}

/// Whether `file` of `environments/` is the environment file the export writes, as
/// `NAME.yaml` or `NAME.yml` (the export's `NAME.yaml` replaces either).
fn is_written_environment(file: &Path, environment: Option<&str>) -> bool {
    let yaml = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    yaml && environment.is_some_and(|env| file.file_stem() == Some(env.as_ref()))
}

/// Renames done so far, to undo them.
#[derive(Debug, Default)]
struct Moves(Vec<(PathBuf, PathBuf)>);

impl Moves {
    /// Renames `from` to `to`, which must not exist (a file there is one `out` keeps).
    fn rename(&mut self, from: &Path, to: &Path) -> anyhow::Result<()> {
        if to.symlink_metadata().is_ok() {
            bail!("`{}` is in the way", to.display());
        }
        if let Some(folder) = to.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create `{}`", folder.display()))?;
        }
        std::fs::rename(from, to)
            .with_context(|| format!("cannot move `{}` to `{}`", from.display(), to.display()))?;
        self.0.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    /// Puts every file back where it was, last moved first. A rename back of one that was
    /// just renamed on the same file system does not fail short of the disk failing; the
    /// first error is already being reported.
    /// Folders made for a file in `within` are removed again once empty.
    fn undo(self, within: &Path) {
        for (from, to) in self.0.into_iter().rev() {
            let _ = std::fs::rename(&to, &from);
            for folder in to.ancestors().skip(1) {
                if folder == within
                    || !folder.starts_with(within)
                    || std::fs::remove_dir(folder).is_err()
                {
                    break;
                }
            }
        }
    }
}
