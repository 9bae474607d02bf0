//! Retries against the emulator's named faults: 429 storms, 5xx bursts, dropped connections,
//! writes that must not be sent twice, and the retry budget.

#![cfg(test)]

use std::time::Duration;

use ciamctl_emulator::{Conventions, EmulatorConfig, Faults, Throttle};
use ciamctl_graph::{ClientOptions, GraphError, Request, Response, RetryPolicy};

use crate::support::{
    Graph, create_loyalty_attribute, options, quick_retries, start, with_faults, with_retry,
};

fn throttled(requests: u32, window_secs: f64) -> Faults {
    Faults {
        throttle: Some(Throttle::new(requests, window_secs).unwrap()),
        ..Faults::default()
    }
}

/// An emulator that answers every request 500, 503 or not at all.
fn every_request_fails() -> EmulatorConfig {
    with_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    })
}

/// Sends a write (the `Loyalty` attribute's POST) and a read in one round.
async fn send_a_write_and_a_read(graph: &Graph) -> Vec<Result<Response, GraphError>> {
    graph
        .client
        .send_round(vec![
            create_loyalty_attribute(),
            Request::get("/organization"),
        ])
        .await
}

/// POSTs the emulator saw, token requests left out.
fn graph_posts(graph: &Graph) -> u64 {
    let stats = graph.emulator.stats();
    stats.by_method["POST"] - stats.token_requests
}

fn reads(count: usize) -> Vec<Request> {
    (0..count)
        .map(|i| {
            if i % 2 == 0 {
                Request::get("/organization")
            } else {
                Request::get("/identity/identityProviders")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_of_a_429_storm_succeeds_after_waiting_for_retry_after() {
    for batch in [false, true] {
        let graph = start(
            with_faults(throttled(3, 0.5)),
            ClientOptions { batch, ..options() },
        )
        .await;
        for result in graph.client.send_round(reads(12)).await {
            result.unwrap();
        }
        let client = graph.client.stats();
        let emulator = graph.emulator.stats();
        assert!(client.retries > 0, "batch {batch}: {client:?}");
        assert_eq!(client.throttled, emulator.throttled, "batch {batch}");
        assert!(client.throttled > 0);
        assert!(client.waited > Duration::ZERO);
        if batch {
            // Only throttled items were sent again: every item sent beyond the first 12 is
            // one that had been answered 429.
            assert_eq!(emulator.batch_items, 12 + emulator.throttled);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_answered_424_for_its_throttled_items_is_read_like_200() {
    let graph = start(
        EmulatorConfig {
            conventions: Conventions {
                failed_dependency_for_throttled_batch: true,
                ..Conventions::default()
            },
            ..with_faults(throttled(4, 0.3))
        },
        options(),
    )
    .await;
    for result in graph.client.send_round(reads(10)).await {
        result.unwrap();
    }
    let stats = graph.emulator.stats();
    assert!(
        stats.by_status.get(&424).copied().unwrap_or(0) > 0,
        "{stats:?}"
    );
    assert_eq!(stats.batch_items, 10 + stats.throttled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_get_through_bursts_of_503_500_and_dropped_connections() {
    for batch in [false, true] {
        let graph = start(
            with_faults(Faults {
                fail_rate: 0.3,
                seed: 7,
                ..Faults::default()
            }),
            ClientOptions { batch, ..options() },
        )
        .await;
        for result in graph.client.send_round(reads(30)).await {
            result.unwrap();
        }
        let injected = graph.emulator.stats().faults_injected;
        assert!(!injected.is_empty(), "batch {batch}");
        assert!(graph.client.stats().retries > 0);
    }
    // Without batching every kind of failure reaches a top-level request.
}

#[tokio::test]
async fn a_post_that_got_a_5xx_is_reported_as_unknown_and_not_sent_again() {
    let graph = start(every_request_fails(), options()).await;
    let error = graph
        .client
        .send(create_loyalty_attribute())
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error}");
    assert!(error.to_string().contains("outcome is unknown"), "{error}");
    assert_eq!(graph_posts(&graph), 1);
    assert_eq!(graph.client.stats().retries, 0);
}

#[tokio::test]
async fn a_write_applied_before_its_answer_was_lost_is_unknown_not_duplicated() {
    for batch in [false, true] {
        let graph = start(
            with_faults(Faults {
                commit_then_fail_rate: 1.0,
                ..Faults::default()
            }),
            ClientOptions { batch, ..options() },
        )
        .await;
        let results = send_a_write_and_a_read(&graph).await;
        let error = results[0].as_ref().unwrap_err();
        assert!(error.is_outcome_unknown(), "batch {batch}: {error}");
        assert!(results[1].is_ok());
        // The attribute was created exactly once.
        let created = graph
            .client
            .send(
                Request::get("/identity/userFlowAttributes")
                    .query("$filter", "displayName eq 'Loyalty'"),
            )
            .await
            .unwrap()
            .value()
            .unwrap();
        assert_eq!(created["value"].as_array().unwrap().len(), 1);
        let posts = graph_posts(&graph);
        // Batched: the $batch request and its one POST item.
        assert_eq!(posts, if batch { 2 } else { 1 }, "batch {batch}");
    }
}

#[tokio::test]
async fn a_failed_batch_sends_its_reads_again_but_not_its_post() {
    let graph = start(
        every_request_fails(),
        with_retry(RetryPolicy {
            max_attempts: 3,
            ..quick_retries()
        }),
    )
    .await;
    let results = send_a_write_and_a_read(&graph).await;
    assert!(results[0].as_ref().unwrap_err().is_outcome_unknown());
    let read = results[1].as_ref().unwrap_err();
    assert!(!read.is_outcome_unknown());
    assert_eq!(read.failure().unwrap().retries, 2, "{read}");
    let stats = graph.client.stats();
    // Three batches: both items, then the read alone twice.
    assert_eq!((stats.batch_requests, stats.batch_items), (3, 4));
}

#[tokio::test]
async fn an_exhausted_retry_budget_says_how_many_retries_and_how_long() {
    let budget = Duration::from_millis(600);
    let graph = start(
        every_request_fails(),
        with_retry(RetryPolicy {
            max_attempts: 1000,
            base_delay: Duration::from_millis(40),
            max_delay: Duration::from_millis(80),
            budget,
        }),
    )
    .await;
    let error = graph
        .client
        .send(Request::get("/organization"))
        .await
        .unwrap_err();
    let failure = error.failure().unwrap();
    assert!(failure.retries >= 2, "{error}");
    // The time reported is the time spent: the waits within the budget, then the last
    // attempt's own round trip.
    assert!(
        failure.waited <= budget + Duration::from_millis(300),
        "{error}"
    );
    assert!(failure.waited > Duration::ZERO);
    let text = error.to_string();
    let expected = format!(
        " after {} retries over {:.1} s",
        failure.retries,
        failure.waited.as_secs_f64()
    );
    assert!(text.ends_with(&expected), "{text}");
    assert_eq!(
        u64::from(failure.retries) + 1,
        graph.emulator.stats().http_requests - graph.emulator.stats().token_requests
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    let graph = start(
        with_faults(throttled(1, 60.0)),
        with_retry(RetryPolicy {
            budget: Duration::from_secs(1),
            ..quick_retries()
        }),
    )
    .await;
    graph
        .client
        .send(Request::get("/organization"))
        .await
        .unwrap();
    let error = graph
        .client
        .send(Request::get("/organization"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.code(), Some("TooManyRequests"));
    assert_eq!(error.failure().unwrap().retries, 0);
    assert_eq!(graph.client.stats().waited, Duration::ZERO);
}

#[tokio::test]
async fn waiting_out_other_requests_pauses_counts_against_each_requests_budget() {
    // One call per 0.4 s: twelve reads one at a time would each wait out the pauses the
    // others' 429s impose, about 4.8 s for the last, far past a 1.2 s budget.
    let budget = Duration::from_millis(1200);
    let graph = start(
        with_faults(throttled(1, 0.4)),
        ClientOptions {
            concurrency: 1,
            batch: false,
            retry: RetryPolicy {
                max_attempts: 1000,
                budget,
                ..quick_retries()
            },
            ..options()
        },
    )
    .await;
    let reads = (0..12).map(|_| Request::get("/organization")).collect();

    let results = graph.client.send_round(reads).await;

    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!errors.is_empty(), "every read outlasted its budget");
    for error in errors {
        assert_eq!(error.status(), Some(429), "{error}");
        let spent = error.failure().unwrap().waited;
        assert!(spent >= budget / 2, "{error}");
    }
}
