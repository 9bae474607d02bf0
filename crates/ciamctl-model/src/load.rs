//! Loading a configuration directory: files in, [`Config`]s and diagnostics out.
//!
//! 1. **Discover.** Every `*.yaml`/`*.yml` under the directory, recursively, in sorted path
//!    order, except the top-level `environments/` folder (environment files) and hidden files
//!    and folders (`.git`, `.github`: a repository root can be the configuration directory).
//!    Symbolic links to files are followed, to folders not (reported); a YAML name that cannot
//!    be read is reported rather than skipped.
//! 2. **Parse** each file into a node tree (`yaml`), registering its text in [`Sources`]: at
//!    most 4 MiB a file and 16 MiB in all, UTF-8.
//! 3. **Environments.** Read `environments/*.yaml`; pick the one `--env` names, or all of them.
//! 4. **Type** every file under each picked environment (`de`), merge the sections and report
//!    objects defined twice. Structural diagnostics come out the same for every environment
//!    and are kept once; an undefined `${NAME}` is reported once with the environments that
//!    lack it.
//! 5. **Redact** secrets written literally in secret fields from the stored source text, so no
//!    renderer can show them.
//!
//! 6. **Damage.** Attribute the errors to the objects they damaged or dropped ([`Damage`]), so
//!    the semantic checks can run on what survived without reporting what those errors caused.
//!
//! The result has one [`Config`] per environment checked; [`Loaded`] hands them out only when
//! nothing is wrong.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::branding::Branding;
use crate::checks;
use crate::config::{Config, ConfigFile};
use crate::damage::Damage;
use crate::de::{self, Context, Findings, Interpolation};
use crate::diagnostic::{Diagnostic, FileId, Severity, Sources, Span};
use crate::environment::{self, Environment, EnvironmentFile};
use crate::located::Located;
use crate::paths::{self, TextError};
use crate::suggest;
use crate::yaml::{self, Node, NodeIds};

/// What loading a configuration directory produced: every problem found, and the
/// configuration when there is none.
///
/// Loading does not stop at structural errors. What survived them is checked as well, so
/// [`Loaded::diagnostics`] holds every problem at once; but a configuration with an error is
/// partial (objects and fields were left out) or refused by Graph, so nothing may be planned
/// or applied from it. [`Loaded::config`] and [`Loaded::configs`] therefore hand out a
/// configuration only when no diagnostic is an error; the partial ones never leave the model.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration under each environment checked: the one `--env` selected, every
    /// environment file without `--env`, or a single configuration without environment when
    /// there are no environment files. Partial when loading found errors.
    configs: Vec<Config>,
    /// What loading's errors damaged in `configs`, for the semantic checks.
    damage: Damage,
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// The configuration under the first environment checked, or `None` when any diagnostic
    /// is an error. Commands that act on a tenant select one environment, so there is exactly
    /// one.
    pub fn config(&self) -> Option<&Config> {
        self.configs().first()
    }

    /// The configuration under each environment checked, or none when any diagnostic is an
    /// error.
    pub fn configs(&self) -> &[Config] {
        if self.has_errors() {
            &[]
        } else {
            &self.configs
        }
    }

    /// The text of every file read, for rendering diagnostics.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Every problem found, structural and semantic, sorted by file and position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Runs the semantic checks on every configuration, partial ones included, and adds what
    /// they find once: a problem that does not depend on the environment is found in each
    /// configuration but reported once.
    pub(crate) fn check(&mut self) {
        for config in &self.configs {
            self.diagnostics.extend(checks::check(config, &self.damage));
        }
        tidy(&mut self.diagnostics);
    }
}

/// Loads the configuration in `dir` and runs the semantic checks on it. `environment` is the
/// `--env` argument.
pub fn load(dir: &Path, environment: Option<&str>) -> Loaded {
    let mut loaded = load_with(dir, environment, &|name| std::env::var(name).ok());
    loaded.check();
    loaded
}

/// Loading alone, without the semantic checks, with the process environment given, so tests
/// need not change the real one.
pub(crate) fn load_with(
    dir: &Path,
    environment: Option<&str>,
    process_env: &dyn Fn(&str) -> Option<String>,
) -> Loaded {
    let mut loader = Loader {
        root: dir,
        sources: Sources::default(),
        diagnostics: Vec::new(),
        ids: NodeIds::default(),
        total: 0,
    };
    let (configs, damage) = loader.run(environment, process_env);
    let mut loaded = Loaded {
        configs,
        damage,
        sources: loader.sources,
        diagnostics: loader.diagnostics,
    };
    tidy(&mut loaded.diagnostics);
    loaded
}

/// Keeps the first of equal diagnostics (a value read again, or under another environment,
/// reports its problems again) and sorts them: without a file first, then by file, position
/// and code.
fn tidy(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    diagnostics.retain(|d| seen.insert(d.clone()));
    diagnostics.sort_by_key(|d| (d.span.map(|s| (s.file, s.start, s.end)), d.code));
}

/// What a directory entry is to loading (see `Loader::entry_kind`).
enum EntryKind {
    Folder,
    Yaml,
}

/// An environment and the path of its file.
type NamedEnvironment = (Environment, PathBuf);

/// A parsed file.
struct File {
    id: FileId,
    path: PathBuf,
    /// The document; `None` for an empty file, or one that could not be read or parsed.
    root: Option<Node>,
    /// Whether the file could not be read or parsed, so whatever it held is lost.
    lost: bool,
}

/// The most text loading reads from one configuration directory, all files together: a
/// thousand times a real configuration. `-c` naming a home directory or a repository of
/// unrelated YAML stops here, rather than reading gigabytes into memory.
const MAX_TOTAL_BYTES: u64 = 4 * paths::MAX_TEXT_BYTES;

struct Loader<'a> {
    root: &'a Path,
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
    ids: NodeIds,
    /// The bytes of the files read so far, against [`MAX_TOTAL_BYTES`].
    total: u64,
}

impl Loader<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn run(
        &mut self,
        selected: Option<&str>,
        process_env: &dyn Fn(&str) -> Option<String>,
    ) -> (Vec<Config>, Damage) {
        let Some((config_paths, environment_paths)) = self.discover() else {
            return (Vec::new(), Damage::default());
        };
        let files: Vec<File> = config_paths.into_iter().map(|p| self.parse(p)).collect();
        for file in files.iter().filter(|f| f.root.is_none() && !f.lost) {
            self.report(
                Diagnostic::warning(
                    "empty-file",
                    "this file holds no configuration",
                    Some(file_start(file.id)),
                )
                .with_help(
                    "add a section (`attributes`, `identityProviders`, `userFlows`, `branding` \
                     or `settings`), or delete the file",
                ),
            );
        }
        let environment_files: Vec<File> = environment_paths
            .into_iter()
            .map(|p| self.parse(p))
            .collect();
        let environments = self.environments(&environment_files);
        // Every environment with a file, including those whose file has errors (reported).
        let mut on_disk: Vec<String> = environment_files
            .iter()
            .map(|f| environment_name(&f.path))
            .collect();
        on_disk.dedup();

        let picked: Vec<Option<&NamedEnvironment>> = match selected {
            Some(name) => {
                let Some(environment) = environments.iter().find(|(e, _)| e.name == name) else {
                    // An environment whose file has errors is not unknown: the errors say why.
                    if !on_disk.iter().any(|n| n == name) {
                        self.report(unknown_environment(name, &on_disk));
                    }
                    return (Vec::new(), Damage::default());
                };
                vec![Some(environment)]
            }
            None if on_disk.is_empty() => vec![None],
            // Every environment file has errors: without one, each `${NAME}` would be reported
            // as undefined, a consequence of those errors rather than a problem of its own.
            None if environments.is_empty() => return (Vec::new(), Damage::default()),
            None => environments.iter().map(Some).collect(),
        };

        let mut configs = Vec::new();
        let mut undefined: BTreeMap<(Span, String), Vec<Option<&NamedEnvironment>>> =
            BTreeMap::new();
        let mut literal_secrets = Vec::new();
        for environment in picked {
            let (config, findings) = self.config(&files, environment.map(|(e, _)| e), process_env);
            for diagnostic in findings.diagnostics {
                self.report(diagnostic);
            }
            for (span, name) in findings.undefined {
                undefined.entry((span, name)).or_default().push(environment);
            }
            literal_secrets.extend(findings.literal_secrets);
            configs.push(config);
        }
        for ((span, name), lacking) in undefined {
            self.report(undefined_variable(span, &name, &lacking));
        }
        for span in literal_secrets {
            self.sources.redact(span);
        }
        let mut damage = Damage::new(&self.diagnostics);
        for file in &files {
            match &file.root {
                Some(root) => damage.add_file(root),
                None if file.lost => damage.lose_everything(),
                None => {}
            }
        }
        (configs, damage)
    }

    /// The configuration files and environment files, as paths relative to the root.
    fn discover(&mut self) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
        if !self.root.is_dir() {
            let what = if self.root.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
            self.report(
                Diagnostic::error(
                    "config-not-found",
                    format!(
                        "the configuration directory `{}` {what}",
                        self.root.display()
                    ),
                    None,
                )
                .with_help("pass the directory that holds the YAML files with `--config DIR`"),
            );
            return None;
        }
        let mut configs = Vec::new();
        let mut environments = Vec::new();
        self.walk(Path::new(""), &mut configs, &mut environments);
        if configs.is_empty() && environments.is_empty() {
            self.report(
                Diagnostic::error(
                    "no-config-files",
                    format!("`{}` holds no YAML files", self.root.display()),
                    None,
                )
                .with_help(
                    "pass the directory that holds the configuration's `.yaml` files with \
                     `--config DIR`",
                ),
            );
            return None;
        }
        configs.sort();
        environments.sort();
        Some((configs, environments))
    }

    /// The entries of `dir` (relative to the root), or `None` after reporting why not.
    fn read_dir(&mut self, dir: &Path) -> Option<std::fs::ReadDir> {
        std::fs::read_dir(self.root.join(dir))
            .map_err(|error| self.report(io_error(&self.root.join(dir), &error)))
            .ok()
    }

    fn walk(&mut self, dir: &Path, configs: &mut Vec<PathBuf>, environments: &mut Vec<PathBuf>) {
        let Some(entries) = self.read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            match self.entry_kind(&entry, &path) {
                Some(EntryKind::Folder)
                    if dir.as_os_str().is_empty() && name == environment::DIRECTORY =>
                {
                    self.walk_environments(&path, environments);
                }
                Some(EntryKind::Folder) => self.walk(&path, configs, environments),
                Some(EntryKind::Yaml) => configs.push(path),
                None => {}
            }
        }
    }

    fn walk_environments(&mut self, dir: &Path, environments: &mut Vec<PathBuf>) {
        let Some(entries) = self.read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = dir.join(entry.file_name());
            if let Some(EntryKind::Yaml) = self.entry_kind(&entry, &path) {
                environments.push(path);
            }
        }
    }

    /// What a directory entry is to loading: a folder to walk, a YAML file to read (through
    /// symbolic links), or neither. Symbolic links to folders are not followed, since they
    /// could loop or leave the directory; they are reported, and so is a YAML name that is not
    /// a file that can be read (a dangling link, a link loop, a pipe): a file that silently
    /// went unread would leave its objects out of the configuration.
    fn entry_kind(&mut self, entry: &std::fs::DirEntry, path: &Path) -> Option<EntryKind> {
        let full = self.root.join(path);
        let link = match entry.file_type() {
            Ok(kind) if kind.is_dir() => return Some(EntryKind::Folder),
            Ok(kind) => kind.is_symlink(),
            Err(error) => {
                self.report(io_error(&full, &error));
                return None;
            }
        };
        if link && full.is_dir() {
            self.report(
                Diagnostic::warning(
                    "link-not-followed",
                    format!(
                        "`{}` is a symbolic link to a folder, which is not read",
                        full.display()
                    ),
                    None,
                )
                .with_help(
                    "links to folders are not followed, as they could loop or lead out of the \
                     configuration; move the folder in, or link its files one by one",
                ),
            );
            return None;
        }
        if !is_yaml(path) {
            return None;
        }
        match std::fs::metadata(&full) {
            Ok(metadata) if metadata.is_file() => Some(EntryKind::Yaml),
            Ok(_) => {
                let (_, diagnostic) = unreadable(&full, TextError::NotAFile);
                self.report(diagnostic);
                None
            }
            Err(error) => {
                self.report(io_error(&full, &error));
                None
            }
        }
    }

    fn parse(&mut self, path: PathBuf) -> File {
        let full = self.root.join(&path);
        let before = self.total;
        let size = std::fs::metadata(&full).map_or(0, |m| m.len());
        // A file over the limit for one file is refused as such below, and not read.
        if size <= paths::MAX_TEXT_BYTES {
            self.total = before.saturating_add(size);
        }
        if self.total > MAX_TOTAL_BYTES {
            // Said once, at the file that crosses the line; no file after it is read.
            if before <= MAX_TOTAL_BYTES {
                self.report(
                    Diagnostic::error(
                        "config-too-large",
                        format!(
                            "the YAML files under `{}` are larger than {} MiB together; \
                             `{}` and the files after it are not read",
                            self.root.display(),
                            MAX_TOTAL_BYTES / (1024 * 1024),
                            path.display()
                        ),
                        None,
                    )
                    .with_help(
                        "pass the directory that holds the configuration and nothing else \
                         with `--config DIR`",
                    ),
                );
            }
            return File {
                id: self.sources.add(path.clone(), String::new()),
                path,
                root: None,
                lost: true,
            };
        }
        let (text, unreadable) = match paths::read_text(&full) {
            Ok(text) => (text, None),
            Err(error) => {
                let (text, diagnostic) = unreadable(&full, error);
                (text, Some(diagnostic))
            }
        };
        let id = self.sources.add(path.clone(), text);
        if let Some(diagnostic) = unreadable {
            // Reported at the file's first unreadable character: the replacement character
            // that `unreadable` ends a non-UTF-8 text with, or the start of an empty one.
            let text = self.sources.text(id);
            let start = text.char_indices().last().map_or(0, |(i, _)| i);
            let at = Span {
                file: id,
                start,
                end: text.len(),
            };
            self.report(Diagnostic {
                span: Some(at),
                ..diagnostic
            });
            return File {
                id,
                path,
                root: None,
                lost: true,
            };
        }
        let parsed = yaml::parse(id, self.sources.text(id), &mut self.ids);
        // A syntax error yields no tree at all.
        let lost = parsed.root.is_none() && !parsed.diagnostics.is_empty();
        for diagnostic in parsed.diagnostics {
            self.report(diagnostic);
        }
        File {
            id,
            path,
            root: parsed.root,
            lost,
        }
    }

    fn environments(&mut self, files: &[File]) -> Vec<NamedEnvironment> {
        let mut environments: Vec<NamedEnvironment> = Vec::new();
        for file in files {
            let name = environment_name(&file.path);
            let Some(root) = &file.root else {
                if !file.lost {
                    self.report(
                        Diagnostic::error(
                            "missing-field",
                            format!("the environment file of `{name}` is empty"),
                            Some(file_start(file.id)),
                        )
                        .with_help(
                            "write the tenant's id as `tenantId: <GUID>`, and the environment's \
                             `variables`",
                        ),
                    );
                }
                continue;
            };
            if let Some((_, first)) = environments.iter().find(|(e, _)| e.name == name) {
                let diagnostic = Diagnostic::error(
                    "duplicate-object",
                    format!("the environment `{name}` is defined by two files"),
                    Some(file_start(file.id)),
                )
                .with_label("a second file for this environment")
                .with_help(format!(
                    "keep one of `{}` and `{}`",
                    first.display(),
                    file.path.display()
                ));
                self.report(diagnostic);
                continue;
            }
            let dir = Path::new(environment::DIRECTORY);
            let cx = Context::new(file.id, self.sources.text(file.id), dir, None);
            let parsed = de::deserialize::<EnvironmentFile>(root, &cx);
            let findings = cx.into_findings();
            for diagnostic in findings.diagnostics {
                self.report(diagnostic);
            }
            if let Some(parsed) = parsed {
                let (environment, diagnostics) = parsed.into_environment(name);
                for diagnostic in diagnostics {
                    self.report(diagnostic);
                }
                environments.push((environment, file.path.clone()));
            }
        }
        environments
    }

    /// Types and merges every file under one environment.
    fn config(
        &self,
        files: &[File],
        environment: Option<&Environment>,
        process_env: &dyn Fn(&str) -> Option<String>,
    ) -> (Config, Findings) {
        let no_variables = BTreeMap::new();
        let interpolation = Interpolation {
            root: self.root,
            variables: environment.map_or(&no_variables, |e| &e.variables),
            process_env,
        };
        let mut merger = Merger::new(self.root, environment);
        let mut findings = Findings::default();
        for file in files {
            let Some(root) = &file.root else { continue };
            let dir = file.path.parent().unwrap_or(Path::new(""));
            let cx = Context::new(
                file.id,
                self.sources.text(file.id),
                dir,
                Some(&interpolation),
            );
            let parsed = de::deserialize::<ConfigFile>(root, &cx);
            let mut file_findings = cx.into_findings();
            if let Some(parsed) = parsed {
                merger.add(parsed, root, &mut file_findings.diagnostics);
            }
            findings.absorb(file_findings);
        }
        (merger.config, findings)
    }
}

/// An environment's name: its file's name without the extension.
fn environment_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The start of a file, for a problem with the file as a whole.
fn file_start(file: FileId) -> Span {
    Span {
        file,
        start: 0,
        end: 0,
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The text of a file that could not be read whole (what precedes a byte that is not UTF-8,
/// then U+FFFD in its place), and the diagnostic that says why, without a span yet.
fn unreadable(path: &Path, error: TextError) -> (String, Diagnostic) {
    match error {
        TextError::Io(error) => (String::new(), io_error(path, &error)),
        TextError::NotAFile => (
            String::new(),
            Diagnostic::error(
                "io-error",
                format!("`{}` is not a regular file", path.display()),
                None,
            )
            .with_help("a configuration file must be a file, not a pipe or a device"),
        ),
        TextError::TooLarge => (
            String::new(),
            Diagnostic::error(
                "file-too-large",
                format!(
                    "`{}` is larger than {} MiB",
                    path.display(),
                    paths::MAX_TEXT_BYTES / (1024 * 1024)
                ),
                None,
            )
            .with_help(
                "a configuration file is a few kilobytes; check that this is the file you \
                 meant, or move it out of the configuration directory",
            ),
        ),
        TextError::NotUtf8 { valid, byte } => (
            valid + "\u{FFFD}",
            Diagnostic::error(
                "not-utf8",
                format!("the file is not UTF-8 text: the byte 0x{byte:02X} here is not UTF-8"),
                None,
            )
            .with_label("not UTF-8")
            .with_help("save the file as UTF-8, or move it out of the configuration directory"),
        ),
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "io-error",
        format!("cannot read `{}`: {error}", path.display()),
        None,
    )
    .with_help("check that the file exists and is readable")
}

/// `--env name` names none of the environments that have a file.
fn unknown_environment(name: &str, environments: &[String]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "unknown-environment",
        format!("there is no environment `{name}`"),
        None,
    );
    if environments.is_empty() {
        return diagnostic.with_help(format!(
            "there are no environment files; create `{}/{name}.yaml` with the tenant's \
             `tenantId` and its `variables`",
            environment::DIRECTORY
        ));
    }
    let names: Vec<&str> = environments.iter().map(String::as_str).collect();
    let mut help = format!("the environments are {}", suggest::all(&names));
    if let Some(candidate) = suggest::closest(name, &names) {
        help = format!("did you mean `{candidate}`? {help}");
    }
    diagnostic.with_help(help)
}

/// A `${NAME}` that the environments in `lacking` do not define (`None`: no environment files).
fn undefined_variable(span: Span, name: &str, lacking: &[Option<&NamedEnvironment>]) -> Diagnostic {
    let environments: Vec<&NamedEnvironment> = lacking.iter().flatten().copied().collect();
    let escape = format!("write `$${{{name}}}` for a literal `${{{name}}}`");
    let diagnostic = match environments.as_slice() {
        [] => {
            return Diagnostic::error(
                "unresolved-variable",
                format!("the variable `{name}` is not defined: there are no environment files"),
                Some(span),
            )
            .with_label("not defined")
            .with_help(format!(
                "create `{}/<name>.yaml` with `tenantId` and `variables: {{ {name}: … }}`, or \
                 {escape}",
                environment::DIRECTORY
            ));
        }
        [(environment, _)] => {
            let names: Vec<&str> = environment.variables.keys().map(|k| k.as_str()).collect();
            let label = suggest::closest(name, &names).map_or_else(
                || format!("not defined in `{}`", environment.name),
                |candidate| format!("did you mean `{candidate}`?"),
            );
            Diagnostic::error(
                "unresolved-variable",
                format!(
                    "the variable `{name}` is not defined in the environment `{}`",
                    environment.name
                ),
                Some(span),
            )
            .with_label(label)
        }
        several => {
            let names: Vec<&str> = several.iter().map(|(e, _)| e.name.as_str()).collect();
            Diagnostic::error(
                "unresolved-variable",
                format!(
                    "the variable `{name}` is not defined in the environments {}",
                    suggest::all(&names)
                ),
                Some(span),
            )
            .with_label("not defined in every environment")
        }
    };
    let files: Vec<String> = environments
        .iter()
        .map(|(_, path)| path.display().to_string())
        .collect();
    diagnostic.with_help(format!(
        "add `{name}: …` under `variables` in {}, or {escape}",
        suggest::all(&files)
    ))
}

/// Builds a [`Config`] from the files' sections, reporting objects defined twice.
struct Merger {
    config: Config,
    /// Where `branding` and `settings` were declared, for "declared in two files".
    branding_key: Option<Span>,
    settings_key: Option<Span>,
}

impl Merger {
    fn new(root: &Path, environment: Option<&Environment>) -> Self {
        Self {
            config: Config {
                root: root.to_path_buf(),
                environment: environment.cloned(),
                attributes: Vec::new(),
                identity_providers: Vec::new(),
                user_flows: Vec::new(),
                branding: None,
                settings: crate::settings::Settings::default(),
            },
            branding_key: None,
            settings_key: None,
        }
    }

    fn add(&mut self, file: ConfigFile, root: &Node, diagnostics: &mut Vec<Diagnostic>) {
        let written =
            |span: Span, key: &str| root.find(span).is_some_and(|node| node.get(key).is_some());
        for provider in file.identity_providers.iter().flatten() {
            diagnostics.extend(provider.check(provider.span(), &written));
        }
        let config = &mut self.config;
        merge(
            "attribute",
            file.attributes,
            &mut config.attributes,
            |a| &a.name,
            diagnostics,
        );
        merge(
            "identity provider",
            file.identity_providers,
            &mut config.identity_providers,
            |p| &p.name,
            diagnostics,
        );
        merge(
            "user flow",
            file.user_flows,
            &mut config.user_flows,
            |f| &f.name,
            diagnostics,
        );

        let key_span = |key: &str| root.get(key).map_or(root.span, |e| e.key.span);
        if let Some(branding) = file.branding
            && first_declaration(
                &mut self.branding_key,
                "branding",
                key_span("branding"),
                diagnostics,
            )
        {
            config.branding = Some(without_duplicate_locales(branding, diagnostics));
        }
        if let Some(settings) = file.settings
            && first_declaration(
                &mut self.settings_key,
                "settings",
                key_span("settings"),
                diagnostics,
            )
        {
            diagnostics.extend(settings.check());
            config.settings = settings.into_inner();
        }
    }
}

/// Appends `items` to `merged`, except those whose name is there already, which are reported
/// and left out. Names identify objects regardless of case: Graph compares display names that
/// way.
fn merge<T>(
    what: &str,
    items: Option<Vec<Located<T>>>,
    merged: &mut Vec<Located<T>>,
    name_of: impl Fn(&T) -> &Located<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut firsts: HashMap<String, Span> = merged
        .iter()
        .map(|other| (name_of(other).to_lowercase(), name_of(other).span()))
        .collect();
    for item in items.into_iter().flatten() {
        let name = name_of(&item);
        let Some(&first) = firsts.get(&name.to_lowercase()) else {
            firsts.insert(name.to_lowercase(), name.span());
            merged.push(item);
            continue;
        };
        let help = format!(
            "remove one of the two definitions or rename one ({what} names are compared \
             ignoring case)"
        );
        diagnostics.push(defined_twice(what, name, first, &help));
    }
}

/// The `what` named `name` is defined again, after its definition at `first`.
fn defined_twice(what: &str, name: &Located<String>, first: Span, help: &str) -> Diagnostic {
    Diagnostic::error(
        "duplicate-object",
        format!("the {what} `{}` is defined twice", **name),
        Some(name.span()),
    )
    .with_label("defined again here")
    .with_related(first, "first defined here")
    .with_help(help)
}

/// Whether the section declared at `span` is the first of its kind (`declared` remembers
/// where that was); a second one is reported.
fn first_declaration(
    declared: &mut Option<Span>,
    section: &str,
    span: Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(first) = *declared else {
        *declared = Some(span);
        return true;
    };
    diagnostics.push(
        Diagnostic::error(
            "duplicate-object",
            format!("`{section}` is declared in two places"),
            Some(span),
        )
        .with_label("declared again here")
        .with_related(first, "first declared here")
        .with_help(format!("keep the whole `{section}` section in one file")),
    );
    false
}

/// Drops the second of two localizations whose locales differ only in case (`fr-FR` and
/// `fr-fr` are one localization), as the second of two flows with one name is dropped.
fn without_duplicate_locales(
    branding: Located<Branding>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Located<Branding> {
    branding.map(|mut branding| {
        let mut locales: Vec<Located<String>> = branding.localizations.keys().cloned().collect();
        locales.sort_by_key(|locale| (locale.span().file, locale.span().start));
        for (i, locale) in locales.iter().enumerate() {
            let Some(first) = locales[..i]
                .iter()
                .find(|other| other.eq_ignore_ascii_case(locale))
            else {
                continue;
            };
            diagnostics.push(defined_twice(
                "localization",
                locale,
                first.span(),
                "merge the two localizations; locales are compared ignoring case",
            ));
            branding.localizations.remove(locale.as_str());
        }
        branding
    })
}

#[cfg(test)]
mod tests;
