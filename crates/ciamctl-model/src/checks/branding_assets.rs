//! The branding's asset files, default and localized: they exist, stay inside the
//! configuration directory, and are what their property takes (type, pixels, bytes). The
//! rules themselves live in [`crate::assets`]; this module finds the files and reports.

use std::path::Path;

use crate::assets::{self, AssetProblem, Stream};
use crate::branding::{AssetPath, Assets};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::located::Located;
use crate::suggest;

pub(super) fn check(config: &Config, out: &mut Vec<Diagnostic>) {
    let Some(branding) = &config.branding else {
        return;
    };
    if let Some(assets) = &branding.assets {
        check_assets(&config.root, assets, "the default branding", out);
    }
    for (locale, localization) in &branding.localizations {
        if let Some(assets) = &localization.assets {
            let whose = format!("localization `{}`", locale.as_str());
            check_assets(&config.root, assets, &whose, out);
        }
    }
}

fn check_assets(root: &Path, assets: &Assets, whose: &str, out: &mut Vec<Diagnostic>) {
    for (stream, asset) in assets.files() {
        let problems = match assets::resolve(root, &asset.base, &asset.path) {
            Ok(file) => match std::fs::read(&file) {
                Ok(bytes) => assets::inspect(stream, &asset.path, &bytes),
                Err(error) => vec![AssetProblem::Unreadable {
                    path: asset.path.clone(),
                    reason: error.to_string(),
                }],
            },
            Err(problem) => vec![problem],
        };
        for problem in problems {
            out.push(report(root, stream, asset, whose, &problem));
        }
    }
}

fn report(
    root: &Path,
    stream: Stream,
    asset: &Located<AssetPath>,
    whose: &str,
    problem: &AssetProblem,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(problem.code(), problem.to_string(), Some(asset.span()))
        .with_help(problem.help());
    let suggestion = matches!(problem, AssetProblem::Missing { .. })
        .then(|| sibling_like(root, asset))
        .flatten();
    match suggestion {
        Some(sibling) => diagnostic.with_label(format!("did you mean `{sibling}`?")),
        None => diagnostic.with_label(format!("the {stream} of {whose}")),
    }
}

/// A file next to the missing one whose name is close to it: `assets/baner.png` →
/// `assets/banner.png`.
fn sibling_like(root: &Path, asset: &AssetPath) -> Option<String> {
    let written = Path::new(&asset.path);
    let name = written.file_name()?.to_str()?;
    let folder = written.parent().unwrap_or(Path::new(""));
    let entries = std::fs::read_dir(root.join(&asset.base).join(folder)).ok()?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
    let closest = suggest::closest(name, &candidates)?;
    Some(folder.join(closest).to_string_lossy().replace('\\', "/"))
}
