//! `ciamctl validate`: check a configuration directory offline and report every problem.
//!
//! Loading collects the structural problems (syntax, keys, types, variables, secrets) and runs
//! the semantic checks of `ciamctl_model::checks` (values and references, including the
//! branding's asset files) on what survived them, so one run reports every problem. Nothing
//! touches the network and no secret is read.
//!
//! Output: the human format goes to stderr (coloured only on a terminal, never with
//! `NO_COLOR`), followed by a one-line summary of what was validated when there is no error;
//! the JSON and GitHub formats go to stdout and print nothing else, so they can be piped.
//! Exit status 1 when any error was found, 0 otherwise (warnings alone do not fail).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use ciamctl_model::render::{self, Format, RenderOptions, plural};
use ciamctl_model::{Config, Loaded};

use crate::exit::ExitStatus;
use crate::output;

/// Check the configuration files without contacting the tenant.
#[derive(Debug, clap::Args)]
pub(crate) struct ValidateArgs {
    /// The configuration directory.
    #[arg(short = 'c', long = "config", value_name = "DIR", default_value = ".")]
    config: PathBuf,
    /// Check the configuration for this environment only (a file in `DIR/environments/`).
    /// Without it, every environment is checked.
    #[arg(long = "env", value_name = "NAME")]
    env: Option<String>,
    /// How to print problems: `human` on stderr, `json` or GitHub Actions annotations
    /// (`github`) on stdout.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<ExitStatus> {
    let loaded = ciamctl_model::load(&args.config, args.env.as_deref());

    let mut options = RenderOptions {
        root: args.config.clone(),
        ..RenderOptions::default()
    };
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    if let Format::Human = format {
        let (mut stderr, color) = output::stream(std::io::stderr());
        options.color = color;
        render::render(
            &mut stderr,
            format,
            loaded.diagnostics(),
            loaded.sources(),
            &options,
        )
        .context("writing the report")?;
        if !loaded.has_errors() {
            let green = output::success_style(color);
            writeln!(
                stderr,
                "{green}validated{green:#} {}",
                describe(&args.config, &loaded)
            )
            .context("writing the report")?;
        }
    } else {
        let mut stdout = std::io::stdout().lock();
        render::render(
            &mut stdout,
            format,
            loaded.diagnostics(),
            loaded.sources(),
            &options,
        )
        .context("writing the report")?;
        stdout.flush().context("writing the report")?;
    }

    Ok(if loaded.has_errors() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// What was validated, e.g. "(the directory) for environment dev: 2 attributes, 1 identity
/// provider, 2 user flows, branding with 2 localizations and 4 asset files".
fn describe(dir: &std::path::Path, loaded: &Loaded) -> String {
    let environments: Vec<&str> = loaded
        .configs()
        .iter()
        .filter_map(|c| c.environment().map(|e| e.name.as_str()))
        .collect();
    let scope = match environments.as_slice() {
        [] => "(no environment files)".to_owned(),
        [one] => format!("for environment {one}"),
        [init @ .., last] => format!("for environments {} and {last}", init.join(", ")),
    };
    let contents = loaded
        .config()
        .map_or_else(|| "nothing to check".to_owned(), contents);
    format!("`{}` {scope}: {contents}", dir.display())
}

fn contents(config: &Config) -> String {
    let mut parts = vec![
        plural(config.attributes.len(), "attribute"),
        plural(config.identity_providers.len(), "identity provider"),
        plural(config.user_flows.len(), "user flow"),
    ];
    match &config.branding {
        None => parts.push("no branding".to_owned()),
        Some(branding) => {
            let assets = branding.assets.as_ref().map_or(0, |a| a.files().len())
                + branding
                    .localizations
                    .values()
                    .filter_map(|l| l.assets.as_ref())
                    .map(|a| a.files().len())
                    .sum::<usize>();
            parts.push(format!(
                "branding with {} and {}",
                plural(branding.localizations.len(), "localization"),
                plural(assets, "asset file")
            ));
        }
    }
    parts.join(", ")
}
