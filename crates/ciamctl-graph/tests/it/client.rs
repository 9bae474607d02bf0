//! Single requests and rounds without faults: typed errors, batching, concurrency.

#![cfg(test)]

use ciamctl_emulator::{EmulatorConfig, Faults};
use ciamctl_graph::{
    Authenticator, ClientOptions, Credential, Endpoints, GraphClient, GraphError, Request,
    RetryPolicy,
};
use ciamctl_secret::Secret;

use crate::support::{self, options, start, with_faults};

#[tokio::test]
async fn a_missing_object_is_a_typed_404_with_code_message_and_request_id() {
    let graph = start(EmulatorConfig::default(), options()).await;
    let error = graph
        .client
        .send(Request::get(
            "/identity/userFlowAttributes/extension_missing_Thing",
        ))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("Request_ResourceNotFound"));
    let failure = error.failure().unwrap();
    assert_eq!(failure.method, "GET");
    assert_eq!(
        failure.path,
        "/v1.0/identity/userFlowAttributes/extension_missing_Thing"
    );
    assert!(!failure.message.is_empty());
    let request_id = error.request_id().unwrap();
    assert!(!request_id.is_empty());
    let text = error.to_string();
    assert!(
        text.starts_with(
            "GET /v1.0/identity/userFlowAttributes/extension_missing_Thing failed: 404 \
             Request_ResourceNotFound: "
        ),
        "{text}"
    );
    assert!(text.contains(request_id), "{text}");
    assert_eq!(failure.retries, 0);
}

#[tokio::test]
async fn queries_with_quotes_spaces_and_slashes_reach_graph_intact() {
    let graph = start(EmulatorConfig::default(), options()).await;
    let response = graph
        .client
        .send(
            Request::get("/identity/userFlowAttributes")
                .query(
                    "$filter",
                    "displayName eq 'Country/Region' or displayName eq 'Job Title'",
                )
                .query("$select", "id,displayName"),
        )
        .await
        .unwrap();
    let value = response.value().unwrap();
    let ids: Vec<&str> = value["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["country", "jobTitle"]);
}

/// The ids of the tenant's user-flow attributes, to ask for one by one.
async fn attribute_ids(graph: &support::Graph) -> Vec<String> {
    let list = graph
        .client
        .send(Request::get("/identity/userFlowAttributes"))
        .await
        .unwrap()
        .value()
        .unwrap();
    list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

/// 45 single-object reads, cycling over the tenant's attributes.
fn reads(ids: &[String]) -> Vec<Request> {
    (0..45)
        .map(|i| {
            Request::get(&format!(
                "/identity/userFlowAttributes/{}",
                ids[i % ids.len()]
            ))
        })
        .collect()
}

#[tokio::test]
async fn forty_five_reads_go_out_as_three_batches_in_one_round_matched_by_id() {
    // The emulator shuffles batch responses by default ("in any order", §11).
    let graph = start(EmulatorConfig::default(), options()).await;
    let ids = attribute_ids(&graph).await;
    let before = graph.graph_requests();
    let results = graph.client.send_round(reads(&ids)).await;
    assert_eq!(graph.graph_requests() - before, 3);
    let stats = graph.emulator.stats();
    assert_eq!((stats.batch_requests, stats.batch_items), (3, 45));
    for (i, result) in results.into_iter().enumerate() {
        let body = result.unwrap().value().unwrap();
        assert_eq!(body["id"], ids[i % ids.len()].as_str(), "result {i}");
    }
    assert!(graph.client.send_round(Vec::new()).await.is_empty());
    let client = graph.client.stats();
    assert_eq!(client.round_trips, 2);
    assert_eq!(client.http_requests, 4);
    assert_eq!((client.batch_requests, client.batch_items), (3, 45));
    assert_eq!(client.retries, 0);
}

#[tokio::test]
async fn without_batching_each_request_is_its_own_http_request() {
    let graph = start(
        EmulatorConfig::default(),
        ClientOptions {
            batch: false,
            ..options()
        },
    )
    .await;
    let ids = attribute_ids(&graph).await;
    let before = graph.graph_requests();
    let results = graph.client.send_round(reads(&ids)).await;
    assert_eq!(graph.graph_requests() - before, 45);
    assert_eq!(graph.emulator.stats().batch_requests, 0);
    for (i, result) in results.into_iter().enumerate() {
        assert_eq!(
            result.unwrap().value().unwrap()["id"],
            ids[i % ids.len()].as_str()
        );
    }
    assert_eq!(graph.client.stats().http_requests, 46);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_more_requests_are_in_flight_than_the_concurrency_allows() {
    for concurrency in [1, 2, 3] {
        let graph = start(
            with_faults(Faults {
                latency_ms: 40,
                ..Faults::default()
            }),
            ClientOptions {
                batch: false,
                concurrency,
                ..options()
            },
        )
        .await;
        let requests = (0..8).map(|_| Request::get("/organization")).collect();
        for result in graph.client.send_round(requests).await {
            result.unwrap();
        }
        assert_eq!(
            graph.client.stats().max_in_flight,
            concurrency as u64,
            "concurrency {concurrency}"
        );
    }
}

#[tokio::test]
async fn a_failed_dependency_fails_its_dependents_with_424_batched_or_not() {
    for batch in [true, false] {
        let graph = start(
            EmulatorConfig::default(),
            ClientOptions { batch, ..options() },
        )
        .await;
        let results = graph
            .client
            .send_round(vec![
                Request::get("/identity/userFlowAttributes/extension_missing_Thing"),
                Request::get("/organization").depends_on([0]),
                Request::get("/identity/identityProviders"),
                Request::get("/organization").depends_on([1]),
            ])
            .await;
        assert_eq!(results[0].as_ref().unwrap_err().status(), Some(404));
        for dependent in [1, 3] {
            let error = results[dependent].as_ref().unwrap_err();
            assert_eq!(error.status(), Some(424), "batch {batch}: {error}");
            assert!(!error.is_outcome_unknown());
        }
        assert!(results[2].is_ok());
        let stats = graph.emulator.stats();
        if batch {
            assert_eq!((stats.batch_requests, stats.batch_items), (1, 4));
        } else {
            // The client never sent the dependents.
            assert_eq!(graph.graph_requests(), 2);
        }
    }
}

#[tokio::test]
async fn dependent_writes_run_after_their_dependency_in_one_batch() {
    let graph = start(EmulatorConfig::default(), options()).await;
    let created = graph
        .client
        .send_round(vec![
            support::create_loyalty_attribute(),
            Request::get("/identity/userFlowAttributes")
                .query("$filter", "displayName eq 'Loyalty'")
                .depends_on([0]),
        ])
        .await;
    let attribute = created[0].as_ref().unwrap().value().unwrap();
    assert_eq!(created[0].as_ref().unwrap().status(), 201);
    let listed = created[1].as_ref().unwrap().value().unwrap();
    assert_eq!(listed["value"][0]["id"], attribute["id"]);
    let stats = graph.emulator.stats();
    assert_eq!((stats.batch_requests, stats.batch_items), (1, 2));
}

#[tokio::test]
async fn a_request_that_gets_no_answer_is_a_transport_error_naming_no_url() {
    // A port nothing listens on any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let endpoints = Endpoints::new(&root, &root).unwrap();
    let authenticator = Authenticator::new(
        Credential::AccessToken(Secret::new("ready.token.value".to_owned())),
        "tenant",
        endpoints.clone(),
    );
    let client = GraphClient::new(
        endpoints,
        authenticator,
        support::with_retry(RetryPolicy {
            max_attempts: 2,
            ..support::quick_retries()
        }),
    )
    .unwrap();
    let error = client
        .send(Request::get("/applications").query("$filter", "appId eq 'abc'"))
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(error.failure().unwrap().retries, 1);
    let text = error.to_string();
    assert!(
        text.starts_with(
            "GET /v1.0/applications?$filter=appId eq 'abc' got no answer from Graph: "
        ),
        "{text}"
    );
    assert!(!text.contains("http://"), "{text}");
    assert!(!text.contains("%27"), "{text}");
}
