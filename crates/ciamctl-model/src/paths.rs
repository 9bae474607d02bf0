//! Files a configuration names: `${file:PATH}` values and branding assets.
//!
//! Both are relative to a folder of the configuration directory and must stay inside it, as
//! written (no absolute path, no `..` above the directory) and once symbolic links are
//! followed: a configuration must not reach into the rest of the machine. This module is the
//! one place that decides it; the loader reports for `${file:PATH}`, the asset checks for
//! assets.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a path, as written, leaves the configuration directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Escape {
    /// An absolute path, or on Windows one with a drive prefix.
    Absolute,
    /// A `..` climbs above the configuration directory.
    AboveRoot,
}

/// `path`, relative to the folder `base` (itself relative to `root`), as a path under `root`.
/// `.` and `..` are folded lexically: the file need not exist, and a `..` above `root` is
/// refused even when its target exists.
pub(crate) fn contained(root: &Path, base: &Path, path: &str) -> Result<PathBuf, Escape> {
    let mut inside = PathBuf::new();
    for component in base.components().chain(Path::new(path).components()) {
        match component {
            Component::Normal(part) => inside.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !inside.pop() {
                    return Err(Escape::AboveRoot);
                }
            }
            Component::RootDir | Component::Prefix(_) => return Err(Escape::Absolute),
        }
    }
    Ok(root.join(inside))
}

/// Whether `path`, an existing path that [`contained`] returned, is still under `root` once
/// symbolic links are followed: a link inside the directory may point anywhere.
pub(crate) fn stays_inside(root: &Path, path: &Path) -> io::Result<bool> {
    Ok(path.canonicalize()?.starts_with(root.canonicalize()?))
}

#[cfg(test)]
mod tests;
