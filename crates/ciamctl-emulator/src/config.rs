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

/// Emulator settings. `Debug` masks the client secret (and, through [`crate::AuthConfig`], the
/// GitHub request token and the clients' secrets).
#[derive(Clone)]
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
    /// Token lifetime, the GitHub stand-in and extra client registrations.
    pub auth: crate::auth::AuthConfig,
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Destructured so that a new field cannot be left out of `Debug` unnoticed.
        let Self {
            tenant_id,
            client_id,
            client_secret,
            seed,
            state,
            journal,
            faults,
            default_page_size,
            conventions,
            auth,
        } = self;
        f.debug_struct("EmulatorConfig")
            .field("tenant_id", tenant_id)
            .field("client_id", client_id)
            .field(
                "client_secret",
                &crate::auth::ClientSecret::new(client_secret),
            )
            .field("seed", seed)
            .field("state", state)
            .field("journal", journal)
            .field("faults", faults)
            .field("default_page_size", default_page_size)
            .field("conventions", conventions)
            .field("auth", auth)
            .finish()
    }
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
            auth: crate::auth::AuthConfig::default(),
        }
    }
}

/// Injected faults; the crate docs' "Faults" section documents each one under its name. All
/// randomness comes from one generator seeded with `seed` and drawn in the order requests
/// arrive, so a run with the same seed and the same requests fails the same way.
///
/// `PUT /_emulator/faults` takes this structure as JSON (camelCase keys, missing keys off;
/// `throttle` is the `"REQUESTS/SECONDS"` text of [`Throttle`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    pub seed: u64,
    /// `Latency`: added to every HTTP request (Graph and token endpoint).
    pub latency_ms: u64,
    /// `Throttle429`: at most `requests` Graph calls per `window_secs`; past the budget, 429
    /// with a fractional `Retry-After` and the `TooManyRequests` body.
    pub throttle: Option<Throttle>,
    /// `ServerError5xx`: probability of a 503, 500 or dropped connection instead of handling
    /// the request.
    pub fail_rate: f64,
    /// `CommitThenFail`: probability that a write is applied and the client then gets a 503
    /// or a dropped connection.
    pub commit_then_fail_rate: f64,
    /// `EventualConsistency404`: a newly created object answers 404 on a GET of its own path
    /// for this long.
    pub consistency_delay_ms: u64,
    /// `EventualConsistency404` for writes too: while a new object is hidden, writes to its
    /// own path and the paths below it (its links, its handlers) are 404 as well, as Graph
    /// answers a write that reaches a replica the create has not reached yet.
    pub consistency_writes: bool,
    /// `IgnoredPatch`: probability that a PATCH Graph would accept is answered as accepted
    /// but not applied, as Graph ignores a property it does not take on some writes (a v1.0
    /// `priority`, REFERENCE.md §16.5). A client sees it only by reading the object back.
    pub ignored_patch_rate: f64,
}

impl Faults {
    /// Checks that rates are probabilities and a throttle budget allows something.
    pub fn check(&self) -> Result<(), FaultsError> {
        for (name, rate) in [
            ("fail rate", self.fail_rate),
            ("commit-then-fail rate", self.commit_then_fail_rate),
            ("ignored-patch rate", self.ignored_patch_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(FaultsError::Rate { name, rate });
            }
        }
        if let Some(throttle) = self.throttle {
            Throttle::new(throttle.requests, throttle.window_secs)?;
        }
        Ok(())
    }
}

/// A fault setting that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultsError {
    #[error("the {name} must be a probability between 0 and 1, not {rate}")]
    Rate { name: &'static str, rate: f64 },
    #[error(
        "a throttle is REQUESTS/SECONDS with at least one request in a window longer than 0 seconds and at most a year ({MAX_THROTTLE_WINDOW_SECS}), e.g. 100/10"
    )]
    Throttle,
}

/// The longest throttle window, in seconds (a year): far beyond any test, and short enough that
/// the window's arithmetic on clock instants cannot overflow.
pub const MAX_THROTTLE_WINDOW_SECS: f64 = 365.0 * 24.0 * 60.0 * 60.0;

/// A request budget per time window, written `REQUESTS/SECONDS` (`100/10`, `5/0.5`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub requests: u32,
    pub window_secs: f64,
}

impl Throttle {
    pub fn new(requests: u32, window_secs: f64) -> Result<Self, FaultsError> {
        if requests == 0 || !(window_secs > 0.0 && window_secs <= MAX_THROTTLE_WINDOW_SECS) {
            return Err(FaultsError::Throttle);
        }
        Ok(Self {
            requests,
            window_secs,
        })
    }
}

impl std::str::FromStr for Throttle {
    type Err = FaultsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (requests, window) = text.split_once('/').ok_or(FaultsError::Throttle)?;
        let requests = requests.trim().parse().map_err(|_| FaultsError::Throttle)?;
        let window = window.trim().parse().map_err(|_| FaultsError::Throttle)?;
        Throttle::new(requests, window)
    }
}

impl std::fmt::Display for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.requests, self.window_secs)
    }
}

impl serde::Serialize for Throttle {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Throttle {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Behaviours REFERENCE.md §16 leaves open. Each field documents the convention the emulator
/// follows by default and what the switch changes; the crate docs' route table names them too.
#[derive(Debug, Clone, Default)]
pub struct Conventions {
    /// `$batch` answers "in any order" (REFERENCE.md §11), so by default the emulator shuffles
    /// the responses with the fault seed to catch clients that match by position; `true`
    /// answers in request order.
    pub keep_batch_order: bool,
    /// The outer status of a well-formed `$batch` with a throttled item: 200 by default, as
    /// the batching page says; `true` answers 424, as the throttling page says (REFERENCE.md
    /// §11, §16.13). The body is the same either way.
    pub failed_dependency_for_throttled_batch: bool,
    /// Social identity providers get the documented `<Type>-OAUTH` ids (`Google-OAUTH`) by
    /// default; `true` gives them GUIDs, as a newer external tenant was seen to (REFERENCE.md
    /// §15.11, §16.8). Built-in, Apple and OIDC ids are the same either way.
    pub guid_social_provider_ids: bool,
    /// Company branding (REFERENCE.md §16.9–§16.12): see `BrandingConventions`.
    pub branding: crate::routes::branding::BrandingConventions,
    /// User flows (REFERENCE.md §16.1, §16.2, §16.4, §16.5, §16.15, §16.16): see `FlowConventions`.
    pub flows: crate::routes::flows::FlowConventions,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{AuthConfig, Client};

    #[test]
    fn throttle_windows_are_positive_and_at_most_a_year() {
        assert_eq!(
            "5/0.5".parse::<Throttle>(),
            Ok(Throttle {
                requests: 5,
                window_secs: 0.5
            })
        );
        assert!(Throttle::new(1, MAX_THROTTLE_WINDOW_SECS).is_ok());
        // A window `Duration` cannot hold once panicked every Graph call.
        for bad in [
            "0/10",
            "1/0",
            "1/-1",
            "1/NaN",
            "1/inf",
            "1/1e300",
            "1/31536001",
            "1",
            "x/1",
        ] {
            assert_eq!(bad.parse::<Throttle>(), Err(FaultsError::Throttle), "{bad}");
        }
    }

    #[test]
    fn debug_masks_the_client_secret_and_the_auth_secrets() {
        let config = EmulatorConfig {
            client_secret: "config-secret-value".to_owned(),
            auth: AuthConfig {
                github_request_token: "github-request-token-value".to_owned(),
                clients: vec![Client::with_secret("other", "other-secret-value", &[])],
                ..AuthConfig::default()
            },
            ..EmulatorConfig::default()
        };
        let debug = format!("{config:?}");
        for secret in [
            "config-secret-value",
            "github-request-token-value",
            "other-secret-value",
        ] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains(DEFAULT_CLIENT_ID), "{debug}");
        assert!(
            debug.contains("client_secret: ClientSecret(******)"),
            "{debug}"
        );
    }
}
