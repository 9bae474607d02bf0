//! Repository rules that are cheaper to enforce with a test than with good intentions
//! (rust-analyzer's `tidy.rs`): crate naming and layering, module docs, and an ARCHITECTURE.md
//! that names every crate.

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `(folder name, parsed Cargo.toml)` for every crate under `crates/`.
fn crates() -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(workspace_root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, manifest.parse::<toml::Table>().unwrap()));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn deps<'a>(manifest: &'a toml::Table, section: &str) -> Vec<&'a str> {
    manifest
        .get(section)
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn crates_are_prefixed_named_after_their_folder_and_use_workspace_lints() {
    for (folder, manifest) in crates() {
        let package = manifest["package"].as_table().unwrap();
        assert_eq!(
            package["name"].as_str(),
            Some(folder.as_str()),
            "crates/{folder}"
        );
        assert!(
            folder == "ciamctl" || folder.starts_with("ciamctl-"),
            "crates/{folder}"
        );
        assert_eq!(
            manifest
                .get("lints")
                .and_then(|l| l.get("workspace"))
                .and_then(toml::Value::as_bool),
            Some(true),
            "crates/{folder} must set [lints] workspace = true"
        );
        if folder != "ciamctl" {
            assert_eq!(
                package["version"].as_str(),
                Some("0.0.0"),
                "crates/{folder}"
            );
        }
    }
}

#[test]
fn crate_dependencies_respect_the_layering_in_architecture_md() {
    for (folder, manifest) in crates() {
        let normal = deps(&manifest, "dependencies");
        if folder == "ciamctl-emulator" {
            let internal: Vec<_> = normal.iter().filter(|d| d.starts_with("ciamctl")).collect();
            assert!(
                internal.is_empty(),
                "the emulator must depend on no workspace crate: {internal:?}"
            );
        }
        if normal.contains(&"reqwest") {
            assert_eq!(
                folder, "ciamctl-graph",
                "only ciamctl-graph talks to the network"
            );
        }
        if normal.contains(&"anyhow") {
            assert_eq!(
                folder, "ciamctl",
                "libraries return typed errors; only the binary uses anyhow"
            );
        }
        if [
            "ciamctl-model",
            "ciamctl-secret",
            "ciamctl-live",
            "ciamctl-plan",
            "ciamctl-render",
        ]
        .contains(&folder.as_str())
        {
            assert!(
                !normal.contains(&"tokio"),
                "crates/{folder} must stay synchronous"
            );
        }
    }
}

/// The workspace crates each crate may depend on, from the "Dependency rules" table of
/// ARCHITECTURE.md; `None` for "every crate".
fn allowed_dependencies() -> Vec<(String, Option<Vec<String>>)> {
    let architecture = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).unwrap();
    let table = architecture
        .split("## Dependency rules")
        .nth(1)
        .expect("ARCHITECTURE.md has a `## Dependency rules` section");
    let names = |cell: &str| -> Vec<String> {
        cell.split(',')
            .filter_map(|name| name.trim().strip_prefix('`')?.strip_suffix('`'))
            .map(str::to_owned)
            .collect()
    };
    table
        .lines()
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| {
            let mut cells = line.strip_prefix('|')?.split('|');
            let name = names(cells.next()?).pop()?;
            let allowed = cells.next()?.trim();
            Some((name, (allowed != "every crate").then(|| names(allowed))))
        })
        .collect()
}

#[test]
fn every_crate_depends_only_on_the_crates_architecture_md_allows() {
    let rules = allowed_dependencies();
    for (folder, manifest) in crates() {
        let (_, allowed) = rules
            .iter()
            .find(|(name, _)| *name == folder)
            .unwrap_or_else(|| panic!("ARCHITECTURE.md's dependency rules do not list {folder}"));
        let Some(allowed) = allowed else { continue };
        let forbidden: Vec<_> = deps(&manifest, "dependencies")
            .into_iter()
            .filter(|dep| dep.starts_with("ciamctl") && !allowed.iter().any(|a| a == dep))
            .collect();
        assert!(
            forbidden.is_empty(),
            "crates/{folder} depends on {forbidden:?}, which ARCHITECTURE.md does not allow"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let root = workspace_root();
    let mut files = Vec::new();
    for (folder, _) in crates() {
        rust_files(&root.join("crates").join(&folder).join("src"), &mut files);
    }
    let missing: Vec<_> = files
        .iter()
        .filter(|path| !std::fs::read_to_string(path).unwrap().starts_with("//!"))
        .map(|path| {
            path.strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading `//!` doc: {missing:#?}"
    );
}

#[test]
fn architecture_md_describes_every_crate() {
    let architecture = std::fs::read_to_string(workspace_root().join("ARCHITECTURE.md")).unwrap();
    for (folder, _) in crates() {
        assert!(
            architecture.contains(&format!("`{folder}`")),
            "ARCHITECTURE.md does not describe crates/{folder}"
        );
    }
}

/// The exit codes the binary can return, read from `src/exit.rs` (`SUCCESS` is 0).
fn exit_codes_in_code() -> Vec<u8> {
    let exit =
        std::fs::read_to_string(workspace_root().join("crates/ciamctl/src/exit.rs")).unwrap();
    let mut codes: Vec<u8> = exit
        .split("ExitCode::from(")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap().parse().unwrap())
        .collect();
    if exit.contains("ExitCode::SUCCESS") {
        codes.push(0);
    }
    codes.sort_unstable();
    codes
}

#[test]
fn the_readme_documents_every_exit_code_and_no_other() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let table = readme
        .split("## Exit codes")
        .nth(1)
        .expect("README.md has an `## Exit codes` section");
    let table = table.split("\n## ").next().unwrap();
    let mut documented: Vec<u8> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|row| row.split(' ').next()?.parse().ok())
        .collect();
    documented.sort_unstable();
    assert_eq!(documented, exit_codes_in_code());
}
