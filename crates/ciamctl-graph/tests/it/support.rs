//! Shared set-up for the transport tests: an in-process emulator and a [`GraphClient`] that
//! talks to it with a client secret, retry policies fast enough for tests, and a capture of
//! the tracing events of one test for the redaction tests.

// Marks the helpers below as test code, so clippy's `allow-unwrap-in-tests` covers them too.
#![cfg(test)]

use std::io::Write;
use std::sync::{Arc, Mutex, Once, OnceLock};
use std::time::Duration;

use ciamctl_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig, Faults,
};
use ciamctl_graph::{
    Authenticator, ClientOptions, Credential, Endpoints, GraphClient, Request, RetryPolicy,
};
use ciamctl_secret::Secret;

/// A running emulator and a client for it.
pub(crate) struct Graph {
    pub(crate) emulator: Emulator,
    pub(crate) client: GraphClient,
}

impl Graph {
    /// HTTP requests the emulator saw on Graph paths (token requests left out, as the client
    /// counts them).
    pub(crate) fn graph_requests(&self) -> u64 {
        let stats = self.emulator.stats();
        stats.http_requests - stats.token_requests
    }
}

/// Retries that wait milliseconds, not seconds, with room for many attempts.
pub(crate) fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 12,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        budget: Duration::from_secs(10),
    }
}

pub(crate) fn options() -> ClientOptions {
    ClientOptions {
        retry: quick_retries(),
        timeout: Duration::from_secs(10),
        ..ClientOptions::default()
    }
}

/// [`options`] with this retry policy.
pub(crate) fn with_retry(retry: RetryPolicy) -> ClientOptions {
    ClientOptions { retry, ..options() }
}

pub(crate) async fn start(config: EmulatorConfig, options: ClientOptions) -> Graph {
    let emulator = Emulator::start(config).await.unwrap();
    let endpoints = Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap();
    let authenticator =
        Authenticator::new(client_secret(), emulator.tenant_id(), endpoints.clone());
    let client = GraphClient::new(endpoints, authenticator, options).unwrap();
    Graph { emulator, client }
}

/// The emulator's default client, with its secret.
pub(crate) fn client_secret() -> Credential {
    Credential::ClientSecret {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
        secret: Secret::new(DEFAULT_CLIENT_SECRET.to_owned()),
    }
}

/// An emulator with these faults and otherwise the defaults.
pub(crate) fn with_faults(faults: Faults) -> EmulatorConfig {
    EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    }
}

/// A POST that creates the `Loyalty` sign-up attribute: a write, which a retry must not send
/// twice.
pub(crate) fn create_loyalty_attribute() -> Request {
    Request::post("/identity/userFlowAttributes").json(serde_json::json!({
        "displayName": "Loyalty",
        "description": "tier",
        "dataType": "string",
    }))
}

/// Forwards `log` records (reqwest logs through `log`) to tracing, once per test binary:
/// every test that captures logs calls this, since only one `log` logger can be installed.
pub(crate) fn forward_log_records() {
    static LOG_TRACER: Once = Once::new();
    // With a single registered dispatcher, tracing-core computes a callsite's interest from the
    // default of whichever thread hits it first (`Rebuilder::JustOne`), so a test thread without
    // a subscriber would disable callsites for a capturing one; a second, permanent dispatcher
    // makes it ask every registered one.
    static SECOND_DISPATCHER: OnceLock<tracing::Dispatch> = OnceLock::new();
    LOG_TRACER.call_once(|| tracing_log::LogTracer::init().unwrap());
    SECOND_DISPATCHER
        .get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
}

/// What the tracing events of the current thread print, at TRACE for every target, while the
/// guard lives. Run the test on a current-thread runtime, so the emulator's tasks and the
/// client's are captured too.
pub(crate) fn capture_logs() -> (Capture, tracing::subscriber::DefaultGuard) {
    forward_log_records();
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (capture, tracing::subscriber::set_default(subscriber))
}

#[derive(Clone, Default)]
pub(crate) struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
