//! Files a configuration names (`${file:PATH}` values and branding assets), and reading files
//! as text.
//!
//! Named files are relative to a folder of the configuration directory and must stay inside
//! it, as written (no absolute path, no `..` above the directory) and once symbolic links are
//! followed: a configuration must not reach into the rest of the machine. This module is the
//! one place that decides it; the loader reports for `${file:PATH}`, the asset checks for
//! assets.
//!
//! [`read_text`] is how loading reads configuration files, environment files and `${file:PATH}`
//! values: regular files only (a named pipe would block forever), at most [`MAX_TEXT_BYTES`]
//! (a log or a dump saved as `.yaml` is refused before it costs time and memory), UTF-8.

use std::io::{self, Read as _};
use std::path::{Component, Path, PathBuf};

/// The largest file loading reads as text. A tenant's whole desired state is tens of
/// kilobytes; this is a hundred times more.
pub(crate) const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// Why a file could not be read as text.
#[derive(Debug)]
pub(crate) enum TextError {
    /// Opening or reading failed.
    Io(io::Error),
    /// A folder, a named pipe, a device: not a regular file.
    NotAFile,
    /// More than [`MAX_TEXT_BYTES`].
    TooLarge,
    /// Not UTF-8: `valid` is the text before the first invalid byte, which is `byte`.
    NotUtf8 { valid: String, byte: u8 },
}

impl From<io::Error> for TextError {
    fn from(error: io::Error) -> Self {
        TextError::Io(error)
    }
}

/// Reads `path` as UTF-8 text, refusing what is not a regular file or is larger than
/// [`MAX_TEXT_BYTES`]. Symbolic links are followed.
pub(crate) fn read_text(path: &Path) -> Result<String, TextError> {
    // Checked before opening: opening a named pipe blocks until something writes to it.
    if !std::fs::metadata(path)?.is_file() {
        return Err(TextError::NotAFile);
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(TextError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let mut bytes = error.into_bytes();
        let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
        bytes.truncate(valid_up_to);
        let valid = String::from_utf8(bytes).unwrap_or_default();
        TextError::NotUtf8 { valid, byte }
    })
}

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
