//! Injected faults, one test per scenario: `Latency`, `Throttle429`, `ServerError5xx`,
//! `CommitThenFail`, `EventualConsistency404`, their determinism under a seed, and changing them
//! at run time.

#![cfg(test)]

use std::time::{Duration, Instant};

use ciamctl_emulator::{Faults, Throttle};
use serde_json::{Value, json};

use crate::support::batch::{json_post, organization_gets, responses};
use crate::support::fixtures::{PROVIDERS, create_social_provider, social_provider};
use crate::support::{TestEmulator, assert_same_shape, example, read, with_faults};

#[tokio::test]
async fn latency_delays_every_http_request_graph_and_token() {
    let t = TestEmulator::start_with(with_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    }))
    .await;
    let started = Instant::now();
    t.get("/v1.0/organization").await.assert_status(200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The token endpoint is an HTTP request too.
    let started = Instant::now();
    t.token_for(
        ciamctl_emulator::DEFAULT_CLIENT_ID,
        ciamctl_emulator::DEFAULT_CLIENT_SECRET,
    )
    .await;
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn quirk_22_throttle_answers_429_with_fractional_retry_after_and_too_many_requests() {
    let t = TestEmulator::start_with(with_faults(Faults {
        throttle: Some("2/60".parse().unwrap()),
        ..Faults::default()
    }))
    .await;
    t.get("/v1.0/organization").await.assert_status(200);
    t.get("/v1.0/organization").await.assert_status(200);
    let resp = t.get("/v1.0/organization").await;
    resp.assert_error(429, "TooManyRequests")
        .assert_request_id_in_body();
    let retry_after = resp.header("Retry-After").unwrap();
    assert!(retry_after.contains('.'), "fractional: {retry_after}");
    let seconds: f64 = retry_after.parse().unwrap();
    assert!(seconds > 59.0 && seconds <= 60.0, "{seconds}");
    if let Some(documented) = example("v1.0.error.throttled.response.json") {
        assert_same_shape(&resp.json, &documented, &[]);
    }
    // The token endpoint is not Graph and is never throttled.
    t.token_for(
        ciamctl_emulator::DEFAULT_CLIENT_ID,
        ciamctl_emulator::DEFAULT_CLIENT_SECRET,
    )
    .await;
    let stats = t.emulator.stats();
    assert_eq!(stats.throttled, 1);
    assert_eq!(stats.faults_injected["Throttle429"], 1);
}

#[tokio::test]
async fn client_that_waits_retry_after_gets_through_and_one_that_does_not_is_throttled_again() {
    // A window long enough that the calls below land in it even on a loaded machine.
    let t = TestEmulator::start_with(with_faults(Faults {
        throttle: Some(Throttle::new(1, 1.5).unwrap()),
        ..Faults::default()
    }))
    .await;
    t.get("/v1.0/organization").await.assert_status(200);
    t.get("/v1.0/organization").await.assert_status(429);
    // Retrying at once is throttled again: usage is counted while throttled (§12.2).
    t.get("/v1.0/organization").await.assert_status(429);
    let throttled = t.get("/v1.0/organization").await;
    let wait: f64 = throttled.header("Retry-After").unwrap().parse().unwrap();
    assert!(wait <= 1.5, "{wait}");
    tokio::time::sleep(Duration::from_secs_f64(wait)).await;
    t.get("/v1.0/organization").await.assert_status(200);
}

#[tokio::test]
async fn fail_rate_answers_503_with_retry_after_500_or_drops_the_connection() {
    let t = TestEmulator::start_with(with_faults(Faults {
        fail_rate: 1.0,
        seed: 11,
        ..Faults::default()
    }))
    .await;
    let mut seen = Vec::new();
    for _ in 0..30 {
        let resp = t
            .http
            .get(t.url("/v1.0/organization"))
            .bearer_auth(&t.token)
            .send()
            .await;
        match resp {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if status == 503 {
                    let retry_after = resp.headers()["Retry-After"].to_str().unwrap();
                    assert!(retry_after.parse::<f64>().unwrap() > 0.0);
                    assert_eq!(read(resp).await.error_code(), "serviceNotAvailable");
                } else {
                    assert_eq!(status, 500);
                    assert_eq!(read(resp).await.error_code(), "generalException");
                }
                seen.push(Some(status));
            }
            Err(err) => {
                assert!(!err.is_status(), "a transport error, not a status: {err}");
                seen.push(None);
            }
        }
    }
    for kind in [Some(503), Some(500), None] {
        assert!(seen.contains(&kind), "{kind:?} never happened: {seen:?}");
    }
    let stats = t.emulator.stats();
    let dropped = seen.iter().filter(|s| s.is_none()).count() as u64;
    assert_eq!(stats.dropped_connections, dropped);
    assert_eq!(stats.faults_injected["ConnectionDropped"], dropped);
    assert_eq!(
        stats.faults_injected.values().sum::<u64>(),
        30,
        "{:?}",
        stats.faults_injected
    );
}

#[tokio::test]
async fn the_same_fault_seed_fails_the_same_requests_the_same_way() {
    let run = |seed| async move {
        let t = TestEmulator::start_with(with_faults(Faults {
            fail_rate: 0.5,
            seed,
            ..Faults::default()
        }))
        .await;
        let mut outcomes = Vec::new();
        for _ in 0..24 {
            outcomes.push(t.outcome(t.http.get(t.url("/v1.0/organization"))).await);
        }
        outcomes
    };
    let first = run(5).await;
    assert!(first.contains(&Some(200)) && first.iter().any(|o| *o != Some(200)));
    assert_eq!(run(5).await, first);
    assert_ne!(run(6).await, first);
}

#[tokio::test]
async fn commit_then_fail_applies_the_write_and_then_fails_it() {
    let t = TestEmulator::start_with(with_faults(Faults {
        commit_then_fail_rate: 1.0,
        seed: 7,
        ..Faults::default()
    }))
    .await;
    // Reads are never failed after the fact.
    t.get("/v1.0/organization").await.assert_status(200);
    let kinds = ["Google", "Facebook", "Microsoft", "Amazon"];
    let mut failures = Vec::new();
    for kind in kinds {
        let create = t
            .http
            .post(t.url(PROVIDERS))
            .json(&social_provider(kind, "secret"));
        failures.push(t.outcome(create).await);
    }
    assert!(
        failures.iter().all(|f| matches!(f, Some(503) | None)),
        "{failures:?}"
    );
    assert!(
        failures.contains(&Some(503)) && failures.contains(&None),
        "{failures:?}"
    );
    for kind in kinds {
        assert!(
            t.stored_provider(&format!("{kind}-OAUTH")).is_some(),
            "the {kind} provider was created although its answer failed"
        );
    }
    let stats = t.emulator.stats();
    let injected = |name: &str| stats.faults_injected.get(name).copied().unwrap_or(0);
    assert_eq!(injected("CommitThen503") + injected("CommitThenDrop"), 4);
}

#[tokio::test]
async fn consistency_delay_hides_a_new_object_from_its_own_path_but_not_from_lists() {
    let t = TestEmulator::start_with(with_faults(Faults {
        consistency_delay_ms: 500,
        ..Faults::default()
    }))
    .await;
    let id = create_social_provider(&t, "Google").await;
    let path = format!("{PROVIDERS}/{id}");
    t.get(&path)
        .await
        .assert_error(404, "Request_ResourceNotFound");
    assert!(t.get(PROVIDERS).await.item_ids().contains(&id));
    tokio::time::sleep(Duration::from_millis(550)).await;
    t.get(&path).await.assert_status(200);
    assert_eq!(
        t.emulator.stats().faults_injected["EventualConsistency404"],
        1
    );
}

#[tokio::test]
async fn an_ignored_patch_is_answered_204_and_not_applied_while_other_writes_are() {
    let t = TestEmulator::start_with(with_faults(Faults {
        ignored_patch_rate: 1.0,
        ..Faults::default()
    }))
    .await;
    let id = create_social_provider(&t, "Google").await;
    let path = format!("{PROVIDERS}/{id}");
    let before = t.get(&path).await.assert_status(200).json["displayName"].clone();
    t.patch(
        &path,
        json!({
            "@odata.type": "#microsoft.graph.socialIdentityProvider",
            "displayName": "Renamed",
        }),
    )
    .await
    .assert_status(204);
    assert_eq!(t.get(&path).await.json["displayName"], before);
    // A PATCH the route refuses is still refused: only accepted writes are ignored.
    t.patch(&path, json!({ "displayName": "No type" }))
        .await
        .assert_status(400);
    assert_eq!(t.emulator.stats().faults_injected["IgnoredPatch"], 1);
}

#[tokio::test]
async fn faults_can_be_changed_at_run_time_through_the_emulator_endpoint() {
    let t = TestEmulator::start().await;
    let put = |body: Value| t.http.put(t.url("/_emulator/faults")).json(&body).send();
    assert_eq!(
        put(json!({ "throttle": "1/60" })).await.unwrap().status(),
        204
    );
    let current = read(t.http.get(t.url("/_emulator/faults")).send().await.unwrap()).await;
    assert_eq!(current.json["throttle"], "1/60");
    assert_eq!(current.json["failRate"], 0.0);
    t.get("/v1.0/organization").await.assert_status(200);
    t.get("/v1.0/organization").await.assert_status(429);
    for bad in [
        json!({ "failRate": 2 }),
        json!({ "throttle": "100" }),
        json!({ "throttle": "1/1e300" }),
        json!({ "nope": 1 }),
    ] {
        let resp = read(put(bad.clone()).await.unwrap()).await;
        assert_eq!(resp.status, 400, "{bad}");
    }
    t.emulator.set_faults(Faults::default()).unwrap();
    t.get("/v1.0/organization").await.assert_status(200);
}

#[tokio::test]
async fn fail_rate_fails_a_batch_as_a_whole_before_any_item_runs() {
    let t = TestEmulator::start_with(with_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    }))
    .await;
    let create = json_post(
        "1",
        "/identity/identityProviders",
        social_provider("Google", "s"),
    );
    let batch = json!({ "requests": [create] });
    let answer = t
        .outcome(t.http.post(t.url("/v1.0/$batch")).json(&batch))
        .await;
    assert!(matches!(answer, Some(503 | 500) | None), "{answer:?}");
    let stats = t.emulator.stats();
    assert_eq!((stats.batch_requests, stats.batch_items), (1, 0));
    assert!(t.stored_provider("Google-OAUTH").is_none());
}

#[tokio::test]
async fn batch_items_fail_on_their_own_with_503_or_500_never_a_dropped_connection() {
    let t = TestEmulator::start_with(with_faults(Faults {
        fail_rate: 0.5,
        seed: 4,
        ..Faults::default()
    }))
    .await;
    let batch = json!({ "requests": organization_gets(12) });
    // The batch itself rolls too; send it until it gets through.
    let mut items = None;
    for _ in 0..10 {
        let sent = t
            .http
            .post(t.url("/v1.0/$batch"))
            .bearer_auth(&t.token)
            .json(&batch);
        if let Ok(resp) = sent.send().await
            && resp.status() == 200
        {
            items = Some(responses(&read(resp).await).to_vec());
            break;
        }
    }
    let items = items.expect("one batch got through");
    let statuses: Vec<u64> = items
        .iter()
        .map(|item| item["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses.len(), 12);
    assert!(
        statuses.iter().all(|s| [200, 500, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&200) && statuses.iter().any(|s| *s != 200),
        "{statuses:?}"
    );
    for item in &items {
        if item["status"] == 503 {
            assert!(item["headers"]["Retry-After"].is_string(), "{item}");
        }
    }
}
