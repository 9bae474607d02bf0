//! Secrets: values that must never reach a terminal, a log, a plan or an error message.
//!
//! A secret is wrapped in [`Secret`] from the moment it is read, and its `Debug`, `Display` and
//! `Serialize` implementations print [`MASK`]. The only way to the value is [`Secret::expose`],
//! which callers use at the one place the value is sent (a Graph request body, a token request).
//!
//! Configuration files never hold a secret's value, only where it comes from: a
//! [`SecretSource`] (`${env:NAME}` or `${file:PATH}`). Resolving the source is deferred until a
//! change actually has to send the value, so `validate`, `plan` and `drift` run in jobs that have
//! no secrets at all.

use std::fmt;
use std::path::{Path, PathBuf};

/// What every secret prints as.
pub const MASK: &str = "******";

/// A value that prints as [`MASK`] everywhere.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself. Call this only where the value leaves the process for the party that
    /// needs it, never to format it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl<T> serde::Serialize for Secret<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(MASK)
    }
}

/// Where a secret's value comes from. The source itself is not secret: plans show it so that a
/// reviewer knows which variable or file a change would read.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretSource {
    /// `${env:NAME}`: the process environment.
    Env(String),
    /// `${file:PATH}`: a file's content with surrounding whitespace trimmed. A relative path is
    /// relative to the configuration directory.
    File(PathBuf),
}

impl SecretSource {
    /// Reads the value now. `base_dir` anchors relative file paths.
    pub fn resolve(&self, base_dir: &Path) -> Result<Secret<String>, SecretError> {
        self.resolve_with(base_dir, |name| std::env::var(name).ok())
    }

    /// [`SecretSource::resolve`] with `env` as the environment (a test's, or a process's).
    pub fn resolve_with(
        &self,
        base_dir: &Path,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Secret<String>, SecretError> {
        match self {
            SecretSource::Env(name) => match env(name) {
                Some(value) => Ok(Secret::new(value)),
                None => Err(SecretError::EnvNotSet { name: name.clone() }),
            },
            SecretSource::File(path) => {
                let full = base_dir.join(path);
                match std::fs::read_to_string(&full) {
                    Ok(text) => Ok(Secret::new(text.trim().to_owned())),
                    Err(source) => Err(SecretError::FileUnreadable { path: full, source }),
                }
            }
        }
    }
}

impl SecretSource {
    /// The source a reference written as [`SecretSource`]'s `Display` names (`${env:NAME}`,
    /// `${file:PATH}`), as plans record it; `None` for any other text.
    pub fn from_reference(text: &str) -> Option<Self> {
        let inner = text.strip_prefix("${")?.strip_suffix('}')?;
        match inner.split_once(':')? {
            ("env", name) if !name.is_empty() => Some(SecretSource::Env(name.to_owned())),
            ("file", path) if !path.is_empty() => Some(SecretSource::File(PathBuf::from(path))),
            _ => None,
        }
    }
}

impl fmt::Display for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Env(name) => write!(f, "${{env:{name}}}"),
            SecretSource::File(path) => write!(f, "${{file:{}}}", path.display()),
        }
    }
}

/// A secret source that could not be read. The messages name the source, never a value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("environment variable `{name}` is not set")]
    EnvNotSet { name: String },
    #[error("cannot read secret file `{}`", path.display())]
    FileUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests;
