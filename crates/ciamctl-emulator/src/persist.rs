//! Seed and state files (`--seed FILE`, `--state FILE`; format and rules in the crate docs'
//! "Seed and state files" section): loading a tenant with the fresh tenant's parts for what a
//! file leaves out, and saving the state file atomically.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::config::EmulatorConfig;
use crate::state::Tenant;

/// Why a seed or state file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a tenant in the seed format (see the crate docs)", path.display())]
    Format {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

/// Reads a tenant from `path`, taking every top-level key it leaves out from `fresh`.
pub(crate) fn load(path: &Path, fresh: &Tenant) -> Result<Tenant, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    let format = |source| LoadError::Format {
        path: path.to_owned(),
        source,
    };
    let mut given: Map<String, Value> = serde_json::from_str(&text).map_err(format)?;
    if let Value::Object(defaults) = serde_json::to_value(fresh).map_err(format)? {
        for (key, value) in defaults {
            match (given.get_mut(&key), value) {
                (Some(Value::Array(clients)), Value::Array(configured)) if key == "clients" => {
                    merge_clients(clients, configured);
                }
                (Some(_), _) => {}
                (None, value) => {
                    given.insert(key, value);
                }
            }
        }
    }
    serde_json::from_value(Value::Object(given)).map_err(format)
}

/// Adds the configured clients to a file's `clients`: a client the file does not declare is
/// added whole; one it declares keeps what the file says and gains the configured secrets.
fn merge_clients(clients: &mut Vec<Value>, configured: Vec<Value>) {
    let id = |client: &Value| {
        client
            .get("clientId")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    };
    for client in configured {
        let declared = clients
            .iter_mut()
            .find(|c| id(c).is_some() && id(c) == id(&client));
        match declared {
            None => clients.push(client),
            Some(declared) => {
                let secrets = client.get("secrets").and_then(Value::as_array);
                if let (Some(Value::Array(have)), Some(secrets)) =
                    (declared.get_mut("secrets"), secrets)
                {
                    for secret in secrets {
                        if !have.contains(secret) {
                            have.push(secret.clone());
                        }
                    }
                } else if let (Some(object), Some(secrets)) = (declared.as_object_mut(), secrets) {
                    object.insert("secrets".into(), Value::Array(secrets.clone()));
                }
            }
        }
    }
}

/// The tenant an emulator starts from, for [`crate::Emulator::reset`] to go back to: the seed
/// or a fresh tenant.
pub(crate) fn start_tenant(config: &EmulatorConfig) -> Result<Tenant, LoadError> {
    let fresh = Tenant::fresh(config);
    match &config.seed {
        Some(seed) => load(seed, &fresh),
        None => Ok(fresh),
    }
}

/// The state file every successful write is saved to, claimed by this emulator for as long as
/// it runs.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    /// `.NAME.lock` beside the file, locked exclusively: a second emulator on the same file
    /// would overwrite this one's saves with its own tenant, and both would share one
    /// temporary file, so a save could rename the other's half-written one into place.
    _lock: std::fs::File,
}

/// Why a state file cannot be claimed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ClaimError {
    #[error("another running emulator keeps its state in this file")]
    InUse,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl StateFile {
    /// Claims `path` for this emulator; the claim ends when the value is dropped (or the
    /// process ends, however it ends).
    pub(crate) fn claim(path: PathBuf) -> Result<Self, ClaimError> {
        let lock_path = sibling(&path, ".lock")?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let lock = options.open(lock_path)?;
        match lock.try_lock() {
            Ok(()) => Ok(Self { path, _lock: lock }),
            Err(std::fs::TryLockError::WouldBlock) => Err(ClaimError::InUse),
            Err(std::fs::TryLockError::Error(err)) => Err(ClaimError::Io(err)),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The tenant the file holds, or `None` when there is no file yet.
    pub(crate) fn read(&self, fresh: &Tenant) -> Result<Option<Tenant>, LoadError> {
        if self.path.exists() {
            load(&self.path, fresh).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Replaces the file's content with `tenant`, atomically (see the module docs).
    pub(crate) fn save(&self, tenant: &Tenant) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(tenant)?;
        let temp = sibling(&self.path, ".tmp")?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        // A leftover temporary file keeps the mode it was created with; the state holds secrets.
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        file.write_all(&json)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, &self.path)?;
        // The rename is durable once the directory entry is on disk.
        #[cfg(unix)]
        std::fs::File::open(directory(&self.path))?.sync_all()?;
        Ok(())
    }
}

/// The folder `path` is in.
fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `.NAME{suffix}` beside `path` (`NAME` being its file name): the state file's temporary and
/// lock files.
fn sibling(path: &Path, suffix: &str) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the state file path names no file"))?;
    let mut sibling = std::ffi::OsString::from(".");
    sibling.push(name);
    sibling.push(suffix);
    Ok(directory(path).join(sibling))
}
