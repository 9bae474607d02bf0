//! `collect`: several collections paged together, one round per page.

#![cfg(test)]

use ciamctl_emulator::EmulatorConfig;
use ciamctl_graph::Request;

use crate::support::{Graph, options, start};

/// An emulator that answers collections two items a page, so they take several rounds.
async fn start_with_pages_of_two() -> Graph {
    start(
        EmulatorConfig {
            default_page_size: Some(2),
            ..EmulatorConfig::default()
        },
        options(),
    )
    .await
}

fn collections() -> Vec<Request> {
    vec![
        Request::get("/identity/userFlowAttributes"),
        Request::get("/identity/identityProviders"),
        Request::get("/applications").header("ConsistencyLevel", "eventual"),
        Request::get("/identity/authenticationEventsFlows"),
    ]
}

#[tokio::test]
async fn collect_reads_several_collections_page_by_page_in_shared_rounds() {
    // The same tenant without paging gives the expected lists.
    let whole = start(EmulatorConfig::default(), options()).await;
    let mut expected = Vec::new();
    for request in collections() {
        let page = whole.client.send(request).await.unwrap().value().unwrap();
        assert!(page.get("@odata.nextLink").is_none());
        expected.push(page["value"].as_array().unwrap().clone());
    }
    let pages: Vec<usize> = expected
        .iter()
        .map(|v| v.len().div_ceil(2).max(1))
        .collect();
    assert!(pages.iter().any(|p| *p >= 3), "{pages:?}");

    let paged = start_with_pages_of_two().await;
    let results = paged.client.collect(collections()).await;
    for (i, result) in results.into_iter().enumerate() {
        assert_eq!(result.unwrap(), expected[i], "collection {i}");
    }
    let stats = paged.client.stats();
    let rounds = *pages.iter().max().unwrap() as u64;
    assert_eq!(stats.round_trips, rounds);
    // A round with several pending collections is one $batch; a round with one is a request.
    let http: u64 = (1..=rounds)
        .map(|round| pages.iter().filter(|p| **p as u64 >= round).count())
        .map(|pending| if pending > 1 { 1 } else { pending as u64 })
        .sum();
    assert_eq!(stats.http_requests, http);
    assert_eq!(paged.graph_requests(), http);
}

#[tokio::test]
async fn a_collection_that_fails_leaves_the_others_whole() {
    let graph = start_with_pages_of_two().await;
    let results = graph
        .client
        .collect(vec![
            Request::get("/identity/userFlowAttributes"),
            Request::get("/identity/noSuchCollection"),
        ])
        .await;
    assert!(results[0].as_ref().unwrap().len() > 2);
    assert_eq!(results[1].as_ref().unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn a_single_entity_is_not_a_collection() {
    let graph = start(EmulatorConfig::default(), options()).await;
    let results = graph
        .client
        .collect(vec![Request::get("/identity/userFlowAttributes/city")])
        .await;
    let error = results[0].as_ref().unwrap_err();
    assert!(
        error.to_string().contains("`value` is not a list"),
        "{error}"
    );
}
