//! How an emulator is set up: identities, files, faults and the conventions chosen where the
//! contract is silent.

use std::path::PathBuf;

/// The tenant id of a fresh emulator unless `--tenant-id` says otherwise.
pub const DEFAULT_TENANT_ID: &str = "3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90";
/// The client id tokens are issued to unless `--client-id` says otherwise.
pub const DEFAULT_CLIENT_ID: &str = "5b7e2d14-9a3c-4f60-8e1b-2c4d6f8a0b13";
/// The client secret the token endpoint accepts unless `--client-secret` says otherwise. It is
/// not a secret: it only opens the local emulator, and the README prints it.
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-secret";

/// Emulator settings.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub tenant_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// Load the tenant from this JSON file instead of starting fresh.
    pub seed: Option<PathBuf>,
    /// Persist every write to this file (atomically) and reload it on start.
    pub state: Option<PathBuf>,
    /// Append one JSON line per request to this file.
    pub journal: Option<PathBuf>,
    pub faults: Faults,
    /// Page size for collections when the client sends no `$top`; `None` answers in one page,
    /// as Graph does for the small CIAM collections.
    pub default_page_size: Option<usize>,
    /// The conventions picked where the contract leaves a behaviour open (REFERENCE.md §16).
    pub conventions: Conventions,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            tenant_id: DEFAULT_TENANT_ID.to_owned(),
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            seed: None,
            state: None,
            journal: None,
            faults: Faults::default(),
            default_page_size: None,
            conventions: Conventions::default(),
        }
    }
}

/// Injected faults. All randomness comes from one generator seeded with `seed`, so a run with
/// the same seed and the same requests fails the same way.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    pub seed: u64,
    /// Added to every HTTP request.
    pub latency_ms: u64,
    /// At most `requests` per `window_secs`; past the budget, 429 with a fractional
    /// `Retry-After` and the TooManyRequests body.
    pub throttle: Option<Throttle>,
    /// Probability of a 503, 500 or dropped connection instead of handling the request.
    pub fail_rate: f64,
    /// Probability that a write is applied and the client then gets a 503 or a dropped
    /// connection.
    pub commit_then_fail_rate: f64,
    /// A newly created object answers 404 on read for this long.
    pub consistency_delay_ms: u64,
}

/// A request budget per time window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub requests: u32,
    pub window_secs: f64,
}

/// Behaviours REFERENCE.md §16 leaves open. Each field documents the convention the emulator
/// follows by default and what the switch changes; the crate docs' route table names them too.
#[derive(Debug, Clone, Default)]
pub struct Conventions {
    /// Company branding (REFERENCE.md §16.9–§16.12): see `BrandingConventions`.
    pub branding: crate::routes::branding::BrandingConventions,
    /// User flows (REFERENCE.md §16.2, §16.4, §16.5, §16.16): see `FlowConventions`.
    pub flows: crate::routes::flows::FlowConventions,
    /// Social identity providers get the documented `<Type>-OAUTH` ids (`Google-OAUTH`) by
    /// default; `true` gives them GUIDs, as a newer external tenant was seen to (REFERENCE.md
    /// §15.11, §16.8). Built-in, Apple and OIDC ids are the same either way.
    pub guid_social_provider_ids: bool,
}
