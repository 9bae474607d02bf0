//! A local Microsoft Graph for Entra External ID tenants.
//!
//! The emulator serves the part of Microsoft Graph that ciamctl uses, written from the Graph
//! contract (`shared/graph-contract/REFERENCE.md`) alone: it depends on no other ciamctl crate,
//! so a mistake in ciamctl's client cannot be copied into it and hidden.
//!
//! Tests start it in process on `127.0.0.1` with an ephemeral port:
//!
//! ```ignore
//! let emulator = ciamctl_emulator::Emulator::start(EmulatorConfig::default()).await?;
//! let graph = format!("{}/v1.0", emulator.base_url());
//! ```
//!
//! # Routes
//!
//! SKELETON: the route table is written from `router::routes()` as routes land.

mod auth;
mod config;
mod error;
mod odata;
mod request;
mod router;
mod routes;
mod server;
mod state;
pub mod types;

use std::net::SocketAddr;
use std::sync::Arc;

pub use crate::config::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, EmulatorConfig, Faults, Throttle,
};
pub use crate::router::{RouteInfo, route_table};
pub use crate::routes::branding::{
    Asset, BrandingConventions, BrandingRecord, BrandingState, LocalePatch, MissingAcceptLanguage,
    NotFoundBody, Stream, StreamRemoval, UploadWithoutBranding,
};
pub use crate::routes::flows::{FlowConventions, V1PriorityWrite};
pub use crate::routes::directory::{Application, ServicePrincipal};
pub use crate::state::Tenant;

/// Everything a request handler can reach.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub(crate) config: EmulatorConfig,
    pub(crate) base: odata::BaseUrl,
    pub(crate) store: state::Store,
    pub(crate) signing_key: auth::SigningKey,
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    ctx: Arc<Ctx>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` with an ephemeral port.
    pub async fn start(config: EmulatorConfig) -> Result<Self, StartError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts an emulator on `addr`.
    pub async fn start_on(config: EmulatorConfig, addr: SocketAddr) -> Result<Self, StartError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let base_url = format!("http://{local}");
        let tenant = state::Tenant::fresh(&config);
        let ctx = Arc::new(Ctx {
            config,
            base: odata::BaseUrl(base_url.clone()),
            store: state::Store::new(tenant),
            signing_key: auth::SigningKey::generate(),
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server::serve(ctx.clone(), listener, async move {
            let _ = rx.await;
        }));
        Ok(Self {
            base_url,
            ctx,
            shutdown: Some(tx),
            task,
        })
    }

    /// `http://127.0.0.1:PORT`: the Graph root (append `/v1.0` or `/beta`) and the authority
    /// host (the token endpoint is `{base}/{tenant}/oauth2/v2.0/token`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The tenant id tokens are issued for.
    pub fn tenant_id(&self) -> &str {
        &self.ctx.config.tenant_id
    }

    /// A copy of the emulated tenant as it is now.
    pub fn tenant(&self) -> Tenant {
        self.ctx.store.snapshot()
    }

    /// Stops the server and waits for in-flight requests to finish.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(join) => Err(std::io::Error::other(join)),
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
