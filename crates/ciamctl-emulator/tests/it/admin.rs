//! The emulator's own endpoints: `/_emulator/stats`, `/_emulator/state`, `/_emulator/reset`,
//! and the same on `Emulator` for tests that run it in process.

#![cfg(test)]

use ciamctl_emulator::{Faults, Stats, Throttle};
use reqwest::Method;
use serde_json::json;

use crate::support::batch::organization_gets;
use crate::support::fixtures::{PROVIDERS, create_social_provider, social_provider};
use crate::support::{TestEmulator, with_faults};

#[tokio::test]
async fn stats_count_round_trips_batches_items_methods_statuses_and_faults() {
    let t = TestEmulator::start_with(with_faults(Faults {
        throttle: Some(Throttle::new(4, 60.0).unwrap()),
        ..Faults::default()
    }))
    .await;
    t.get("/v1.0/organization").await;
    create_social_provider(&t, "Google").await;
    let mut requests = organization_gets(2);
    requests.push(
        json!({ "id": "3", "method": "DELETE", "url": "/identity/identityProviders/Google-OAUTH" }),
    );
    t.post("/v1.0/$batch", json!({ "requests": requests }))
        .await;
    let stats = t.emulator.stats();
    let over_http = t.admin(Method::GET, "/_emulator/stats").await;
    over_http.assert_status(200);
    // Reading the stats is not counted.
    assert_eq!(
        serde_json::from_value::<Stats>(over_http.json).unwrap(),
        stats
    );
    assert_eq!(t.emulator.stats(), stats);

    // A token, a GET, a POST and a batch; the batch's three items are not round trips.
    assert_eq!(stats.http_requests, 4);
    assert_eq!(stats.token_requests, 1);
    assert_eq!(stats.batch_requests, 1);
    assert_eq!(stats.batch_items, 3);
    assert_eq!(
        stats.by_method.into_iter().collect::<Vec<_>>(),
        [
            ("DELETE".to_owned(), 1),
            ("GET".to_owned(), 3),
            ("POST".to_owned(), 3)
        ]
    );
    // The budget of 4 Graph calls is spent by the GET, the POST and items 1 and 2.
    assert_eq!(
        stats.by_status.into_iter().collect::<Vec<_>>(),
        [(200, 5), (201, 1), (429, 1)]
    );
    assert_eq!(stats.throttled, 1);
    assert_eq!(stats.dropped_connections, 0);
    assert_eq!(
        stats.faults_injected.into_iter().collect::<Vec<_>>(),
        [("Throttle429".to_owned(), 1)]
    );
}

#[tokio::test]
async fn sequential_round_trips_count_requests_sent_after_an_answer_not_those_sent_together() {
    let t = TestEmulator::start_with(with_faults(Faults {
        latency_ms: 100,
        ..Faults::default()
    }))
    .await;
    // The token, fetched when the test emulator starts.
    assert_eq!(t.emulator.stats().sequential_round_trips, 1);

    let (a, b, c) = tokio::join!(
        t.get("/v1.0/organization"),
        t.get("/v1.0/identity/identityProviders"),
        t.get("/v1.0/identity/userFlowAttributes"),
    );
    for answer in [a, b, c] {
        answer.assert_status(200);
    }
    let together = t.emulator.stats();
    assert_eq!(together.http_requests, 4);
    assert_eq!(
        together.sequential_round_trips, 2,
        "sent together: one round trip"
    );

    t.get("/v1.0/organization").await.assert_status(200);
    t.get("/v1.0/organization").await.assert_status(200);
    assert_eq!(
        t.emulator.stats().sequential_round_trips,
        4,
        "sent one after the other: one round trip each"
    );

    t.emulator.reset().unwrap();
    assert_eq!(t.emulator.stats().sequential_round_trips, 0);
    t.get("/v1.0/organization").await.assert_status(200);
    assert_eq!(t.emulator.stats().sequential_round_trips, 1);
}

#[tokio::test]
async fn state_shows_the_tenant_with_secrets_masked() {
    let t = TestEmulator::start().await;
    t.post(PROVIDERS, social_provider("Google", "google-secret-value"))
        .await
        .assert_status(201);
    let state = t.admin(Method::GET, "/_emulator/state").await;
    state.assert_status(200);
    assert_eq!(state.json, t.emulator.state());
    let text = String::from_utf8(state.bytes).unwrap();
    assert!(!text.contains("google-secret-value"));
    assert!(!text.contains(ciamctl_emulator::DEFAULT_CLIENT_SECRET));
    let google = state.json["identityProviders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "Google-OAUTH")
        .unwrap();
    assert_eq!(google["clientSecret"], "******");
    assert_eq!(state.json["clients"][0]["secrets"][0], "******");
    assert_eq!(state.json["organization"]["id"], t.emulator.tenant_id());
    // In process, the tenant keeps its secrets.
    let stored = t.stored_provider("Google-OAUTH").unwrap();
    assert_eq!(stored["clientSecret"], "google-secret-value");
}

#[tokio::test]
async fn reset_goes_back_to_the_start_state_and_zeroes_the_counts() {
    let t = TestEmulator::start().await;
    let fresh = t.emulator.state();
    create_social_provider(&t, "Google").await;
    assert_ne!(t.emulator.state(), fresh);
    let reset = t.admin(Method::POST, "/_emulator/reset").await;
    reset.assert_status(204);
    assert_eq!(t.emulator.state(), fresh);
    assert_eq!(t.emulator.stats(), Stats::default());
    // Tokens issued before the reset still work: the signing key is not part of the tenant.
    t.get("/v1.0/organization").await.assert_status(200);

    create_social_provider(&t, "Google").await;
    t.emulator.reset().unwrap();
    assert_eq!(t.emulator.state(), fresh);
}

#[tokio::test]
async fn emulator_endpoints_answer_404_and_405_for_what_they_do_not_serve() {
    let t = TestEmulator::start().await;
    t.admin(Method::GET, "/_emulator/nothing")
        .await
        .assert_status(404);
    t.admin(Method::DELETE, "/_emulator/stats")
        .await
        .assert_status(405);
    assert_eq!(
        t.emulator.stats().http_requests,
        1,
        "only the token request counts"
    );
}
