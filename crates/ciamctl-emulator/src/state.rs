//! The emulated tenant and the store that guards it.
//!
//! Objects are kept as JSON maps in the shape Graph stores them (secrets in clear, navigation
//! links as id lists on their owner), because the routes are written from the contract's JSON
//! and the CSDL, not from a client's structs. Each route module owns the part of [`Tenant`] it
//! serves and the read shape it answers with.

use std::cell::Cell;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::EmulatorConfig;
use crate::error::GraphError;
use crate::routes::{branding, directory, flows};

/// A JSON object as stored.
pub(crate) type Object = Map<String, Value>;

/// `value` as an object, or an empty one when it is not. Callers pass `json!({...})` literals
/// and values built from stored objects, which are objects.
pub(crate) fn into_object(value: Value) -> Object {
    match value {
        Value::Object(map) => map,
        _ => Object::new(),
    }
}

thread_local! {
    /// Set while [`discarding`] runs a call: its writes succeed and are not kept.
    static DISCARDING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `call` (a dispatch, which is synchronous and so stays on this thread) with every
/// successful write answered but not kept.
pub(crate) fn discarding<R>(call: impl FnOnce() -> R) -> R {
    DISCARDING.set(true);
    let out = call();
    DISCARDING.set(false);
    out
}

/// Everything the emulated tenant holds. `--seed FILE` and `--state FILE` are this structure as
/// JSON; a field a file leaves out is the fresh tenant's (the crate docs, "Seed and state files").
/// `Debug` shows that JSON with the secrets masked, as `GET /_emulator/state` does.
#[derive(Clone, Default, Serialize, Deserialize)]
// A misspelt key in a seed or state file (`identityProvider`) must stop the start, not vanish.
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Tenant {
    /// The one `/organization` object; its `id` is the tenant id.
    pub organization: Object,
    pub applications: Vec<directory::Application>,
    pub service_principals: Vec<directory::ServicePrincipal>,
    /// `/identity/identityProviders`, built-ins included.
    pub identity_providers: Vec<Object>,
    /// `/identity/userFlowAttributes`, built-ins included.
    pub user_flow_attributes: Vec<Object>,
    /// `/identity/authenticationEventsFlows`.
    pub flows: Vec<flows::FlowRecord>,
    /// `/organization/{id}/branding` and its localizations.
    pub branding: branding::BrandingState,
    /// `/identity/customAuthenticationExtensions`.
    pub custom_extensions: Vec<Object>,
    /// `/identity/authenticationEventListeners` created directly (not by a flow).
    pub listeners: Vec<Object>,
    /// Credentials the token endpoint accepts.
    pub clients: Vec<crate::auth::Client>,
}

impl Tenant {
    /// A fresh external tenant: the organization, the built-in identity providers and user-flow
    /// attributes, the `b2c-extensions-app` and a few applications, and the client the
    /// configuration says tokens are issued to.
    pub fn fresh(config: &EmulatorConfig) -> Self {
        let mut tenant = Tenant {
            organization: directory::organization(&config.tenant_id),
            identity_providers: crate::routes::identity_providers::built_ins(),
            user_flow_attributes: crate::routes::user_flow_attributes::built_ins(),
            ..Tenant::default()
        };
        directory::seed_applications(&mut tenant);
        tenant.clients = crate::auth::registrations(config);
        tenant
    }

    /// The seed-format JSON with every secret masked (`GET /_emulator/state`, `Debug`).
    pub(crate) fn masked(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        crate::redact::mask_secrets(&mut value);
        value
    }

    /// The tenant id (`/organization` id).
    pub fn tenant_id(&self) -> &str {
        self.organization
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.alternate() {
            write!(f, "Tenant {:#}", self.masked())
        } else {
            write!(f, "Tenant {}", self.masked())
        }
    }
}

/// The tenant behind a lock. Handlers hold the lock for one request at most, so a request is
/// atomic with respect to every other request, as a single Graph write is. With a state file,
/// every successful write is saved before the lock is released, so the file's order of
/// changes is the order they were answered in.
#[derive(Debug)]
pub(crate) struct Store {
    tenant: Mutex<Tenant>,
    state_file: Option<crate::persist::StateFile>,
}

impl Store {
    pub(crate) fn new(tenant: Tenant, state_file: Option<crate::persist::StateFile>) -> Self {
        Self {
            tenant: Mutex::new(tenant),
            state_file,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Tenant> {
        // A panic while holding the lock leaves the tenant as the panicking request left it;
        // that is what Graph would show after a failed request too.
        self.tenant.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn read<R>(&self, f: impl FnOnce(&Tenant) -> R) -> R {
        f(&self.lock())
    }

    /// Runs a write. The change is kept only if `f` succeeds and, with a state file, the new
    /// tenant is saved: `f` works on a copy, so a handler that fails half-way leaves nothing
    /// behind, as a rejected Graph request does. Inside [`discarding`] a successful write is
    /// not kept either (the `IgnoredPatch` fault).
    pub(crate) fn write<R>(
        &self,
        f: impl FnOnce(&mut Tenant) -> Result<R, GraphError>,
    ) -> Result<R, GraphError> {
        let mut guard = self.lock();
        let mut draft = guard.clone();
        let out = f(&mut draft)?;
        if DISCARDING.get() {
            return Ok(out);
        }
        self.save(&draft).map_err(|err| {
            tracing::error!("cannot save the emulator state: {err}");
            GraphError::new(
                http::StatusCode::INTERNAL_SERVER_ERROR,
                "generalException",
                "The emulator could not save its state file; the change was not applied.",
            )
        })?;
        *guard = draft;
        Ok(out)
    }

    /// A copy of the whole tenant (`GET /_emulator/state`, persistence).
    pub(crate) fn snapshot(&self) -> Tenant {
        self.lock().clone()
    }

    /// Replaces the whole tenant (`POST /_emulator/reset`), saving it first.
    pub(crate) fn replace(&self, tenant: Tenant) -> std::io::Result<()> {
        let mut guard = self.lock();
        self.save(&tenant)?;
        *guard = tenant;
        Ok(())
    }

    fn save(&self, tenant: &Tenant) -> std::io::Result<()> {
        match &self.state_file {
            Some(file) => file.save(tenant),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn debug_masks_provider_and_client_secrets() {
        let mut tenant = Tenant::fresh(&EmulatorConfig {
            client_secret: "client-secret-value".to_owned(),
            ..EmulatorConfig::default()
        });
        tenant.identity_providers.push(into_object(json!({
            "@odata.type": "#microsoft.graph.oidcIdentityProvider",
            "id": "oidc",
            "clientAuthentication": {
                "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
                "clientSecret": "provider-secret-value"
            }
        })));
        for debug in [format!("{tenant:?}"), format!("{tenant:#?}")] {
            assert!(!debug.contains("client-secret-value"), "{debug}");
            assert!(!debug.contains("provider-secret-value"), "{debug}");
            assert!(debug.contains(crate::redact::MASK), "{debug}");
            assert!(debug.contains("EmailPassword-OAUTH"), "{debug}");
        }
    }
}
