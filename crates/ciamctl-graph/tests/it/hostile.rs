//! Answers no well-behaved Graph gives, from a scripted endpoint: the client must end with a
//! typed error in bounded time, never hang, panic or leak what it sends.

#![cfg(test)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciamctl_graph::{
    Authenticator, ClientOptions, Credential, Endpoints, GraphClient, Request, TokenClaims,
};
use ciamctl_secret::Secret;

use crate::fake_endpoint::{FakeEndpoint, Reply};
use crate::support::options;

/// A client for the scripted endpoint, with a ready token (no token requests).
fn client_for(fake: &FakeEndpoint, options: ClientOptions) -> GraphClient {
    let endpoints = Endpoints::new(&fake.base, &fake.base).unwrap();
    let authenticator = Authenticator::new(
        Credential::AccessToken(Secret::new("ready-token".to_owned())),
        "tenant",
        endpoints.clone(),
    );
    GraphClient::new(endpoints, authenticator, options).unwrap()
}

/// A collection page of one item linking to `/items` at `skiptoken` on the endpoint at `base`.
fn page_linking_to(base: &str, skiptoken: impl std::fmt::Display) -> Reply {
    let next = format!("{base}/v1.0/items?$skiptoken={skiptoken}");
    Reply::json(
        200,
        &serde_json::json!({"value": [{"id": "x"}], "@odata.nextLink": next}),
    )
}

/// The request line's target (`/v1.0/items?$skiptoken=1`).
fn target(request: &str) -> &str {
    request.split(' ').nth(1).unwrap_or_default()
}

/// Collects `/items`, failing the test if the client is still at it after 20 s.
async fn collect_items(client: &GraphClient) -> Result<Vec<serde_json::Value>, String> {
    let results = tokio::time::timeout(
        Duration::from_secs(20),
        client.collect(vec![Request::get("/items")]),
    )
    .await
    .expect("the client kept following @odata.nextLink");
    results
        .into_iter()
        .next()
        .unwrap()
        .map_err(|error| error.to_string())
}

#[tokio::test]
async fn next_links_that_lead_back_to_a_page_already_read_are_not_followed_again() {
    // A page that links to itself, and two pages that link to each other.
    for cycle in [1, 2] {
        let fake = FakeEndpoint::serve(move |base, _, request| {
            let at: u32 = target(request)
                .rsplit_once("$skiptoken=")
                .map_or(0, |(_, n)| n.parse().unwrap());
            page_linking_to(base, at % cycle + 1)
        })
        .await;
        let client = client_for(&fake, options());
        let error = collect_items(&client).await.unwrap_err();
        assert!(
            error.contains("GET /v1.0/items") && error.contains("already read"),
            "{error}"
        );
        // The first page, then each page of the cycle once.
        assert_eq!(fake.requests().len(), 1 + cycle as usize, "cycle {cycle}");
    }
}

#[tokio::test]
async fn an_endless_chain_of_new_next_links_ends_at_the_page_limit() {
    let seven_pages_at_most = |fake: &FakeEndpoint| {
        client_for(
            fake,
            ClientOptions {
                max_pages: 7,
                ..options()
            },
        )
    };
    let fake = FakeEndpoint::serve(|base, index, _| page_linking_to(base, index + 1)).await;
    let client = seven_pages_at_most(&fake);
    let error = collect_items(&client).await.unwrap_err();
    assert!(error.contains("more than 7 pages"), "{error}");
    assert_eq!(fake.requests().len(), 7);

    // A collection of exactly the limit is read whole.
    let fake = FakeEndpoint::serve(|base, index, _| {
        if index + 1 < 7 {
            page_linking_to(base, index + 1)
        } else {
            Reply::json(200, &serde_json::json!({"value": [{"id": "x"}]}))
        }
    })
    .await;
    let client = seven_pages_at_most(&fake);
    assert_eq!(collect_items(&client).await.unwrap().len(), 7);
}

#[tokio::test]
async fn a_token_lifetime_beyond_any_clock_is_cut_to_a_day_not_a_panic() {
    for expires_in in [
        serde_json::json!(u64::MAX),
        serde_json::json!("18446744073709551615"),
    ] {
        let fake = FakeEndpoint::start(vec![Reply::json(
            200,
            &serde_json::json!({"token_type": "Bearer", "access_token": "t", "expires_in": expires_in}),
        )])
        .await;
        let endpoints = Endpoints::new(&fake.base, &fake.base).unwrap();
        let credential = Credential::ClientSecret {
            client_id: "app".to_owned(),
            secret: Secret::new("s".to_owned()),
        };
        let authenticator = Authenticator::new(credential, "tenant", endpoints);
        let token = authenticator
            .token(&reqwest::Client::builder().no_proxy().build().unwrap())
            .await
            .unwrap();
        let left = token.expires_in().unwrap();
        assert!(left <= Duration::from_secs(24 * 60 * 60), "{left:?}");
        assert!(left > Duration::from_secs(23 * 60 * 60), "{left:?}");
    }
}

#[tokio::test]
async fn a_ready_token_whose_exp_no_clock_can_hold_is_used_without_a_panic() {
    let exp: u64 = 10_000_000_000_000_000_000;
    let claims = serde_json::json!({"tid": "tenant", "exp": exp});
    let token = format!("e30.{}.c2ln", URL_SAFE_NO_PAD.encode(claims.to_string()));
    assert_eq!(TokenClaims::decode(&token).unwrap().expires_at(), None);
    let endpoints = Endpoints::new("http://127.0.0.1:9", "http://127.0.0.1:9").unwrap();
    let authenticator = Authenticator::new(
        Credential::AccessToken(Secret::new(token.clone())),
        "tenant",
        endpoints,
    );
    let got = authenticator.token(&reqwest::Client::new()).await.unwrap();
    assert_eq!(got.secret().expose(), &token);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_queued_for_a_permit_wait_out_a_retry_after_too() {
    // The first request is throttled for 0.6 s; the others wait for the only permit meanwhile.
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&arrivals);
    let fake = FakeEndpoint::serve(move |_, index, _| {
        seen.lock().unwrap().push(Instant::now());
        if index == 0 {
            Reply::Answer(429, "Retry-After: 0.6\r\n".into(), String::new())
        } else {
            Reply::json(200, &serde_json::json!({}))
        }
    })
    .await;
    let client = client_for(
        &fake,
        ClientOptions {
            concurrency: 1,
            batch: false,
            ..options()
        },
    );
    let requests = (0..3).map(|_| Request::get("/organization")).collect();
    for result in client.send_round(requests).await {
        result.unwrap();
    }
    let arrivals = arrivals.lock().unwrap();
    assert_eq!(arrivals.len(), 4);
    for later in &arrivals[1..] {
        let after = later.duration_since(arrivals[0]);
        assert!(
            after >= Duration::from_millis(590),
            "sent {after:?} after the 429"
        );
    }
}

/// A 307 to `to`, which keeps the method and the body.
fn redirect_to(to: &str) -> Reply {
    Reply::Answer(307, format!("Location: {to}\r\n"), String::new())
}

#[tokio::test]
async fn a_redirect_to_another_origin_carries_neither_the_client_secret_nor_a_body() {
    let elsewhere = FakeEndpoint::start(vec![Reply::json(200, &serde_json::json!({}))]).await;
    let target = format!("{}/collect", elsewhere.base);

    // The token endpoint sends the client secret's form elsewhere.
    let authority = FakeEndpoint::start(vec![redirect_to(&target)]).await;
    let endpoints = Endpoints::new(&authority.base, &authority.base).unwrap();
    let credential = Credential::ClientSecret {
        client_id: "app".to_owned(),
        secret: Secret::new("client-secret-value".to_owned()),
    };
    let authenticator = Authenticator::new(credential, "tenant", endpoints.clone());
    let client = GraphClient::new(endpoints, authenticator, options()).unwrap();
    let error = client
        .send(Request::get("/organization"))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("307"), "{error}");
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );

    // Graph sends a write with a secret in its body elsewhere.
    let graph = FakeEndpoint::start(vec![redirect_to(&target)]).await;
    let client = client_for(&graph, options());
    let error = client
        .send(
            Request::post("/identity/identityProviders")
                .json(serde_json::json!({"clientSecret": "idp-secret-value"})),
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(307), "{error}");
    assert!(error.to_string().contains("not followed"), "{error}");
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );
}

#[tokio::test]
async fn a_redirect_within_the_graph_root_is_followed() {
    let graph = FakeEndpoint::serve(|base, index, _| {
        if index == 0 {
            redirect_to(&format!("{base}/v1.0/moved"))
        } else {
            Reply::json(200, &serde_json::json!({"id": "org"}))
        }
    })
    .await;
    let client = client_for(&graph, options());
    let response = client.send(Request::get("/organization")).await.unwrap();
    assert_eq!(response.value().unwrap()["id"], "org");
    assert!(target(&graph.requests()[1]).ends_with("/v1.0/moved"));
}

#[tokio::test]
async fn a_throttled_batch_counts_as_one_429_not_one_per_item() {
    let fake = FakeEndpoint::start(vec![
        Reply::Answer(
            429,
            "Retry-After: 0.05\r\nContent-Type: application/json\r\n".into(),
            serde_json::json!({"error": {"code": "TooManyRequests", "message": "later"}})
                .to_string(),
        ),
        Reply::json(
            200,
            &serde_json::json!({"responses": [
                {"id": "2", "status": 200, "body": {"n": 2}},
                {"id": "1", "status": 200, "body": {"n": 1}},
                {"id": "3", "status": 200, "body": {"n": 3}},
            ]}),
        ),
    ])
    .await;
    let client = client_for(&fake, options());
    let requests = (0..3)
        .map(|i| Request::get(&format!("/things/{i}")))
        .collect();
    for (i, result) in client.send_round(requests).await.into_iter().enumerate() {
        assert_eq!(result.unwrap().value().unwrap()["n"], i + 1);
    }
    let stats = client.stats();
    assert_eq!(
        (stats.http_requests, stats.batch_requests, stats.throttled),
        (2, 2, 1),
        "{stats:?}"
    );
}

#[tokio::test]
async fn batch_answers_with_missing_duplicate_foreign_and_mistyped_items_are_matched_by_id() {
    let fake = FakeEndpoint::start(vec![
        // A status that is a string makes the whole answer unreadable.
        Reply::json(
            200,
            &serde_json::json!({"responses": [
                {"id": "1", "status": 200, "body": {"n": 1}},
                {"id": "4", "status": "200", "body": {"n": 4}},
            ]}),
        ),
        // Item 2 missing, item 1 twice, an id never sent, item 3's id a number.
        Reply::json(
            200,
            &serde_json::json!({"responses": [
                {"id": "1", "status": 200, "body": {"n": 1}},
                {"id": "1", "status": 200, "body": {"n": 1}},
                {"id": "99", "status": 200, "body": {"n": 99}},
                {"id": 3, "status": 200, "body": {"n": 3}},
                {"id": "4", "status": 200, "body": {"n": 4}},
            ]}),
        ),
        // Then only item 2 is pending; its answer comes at last.
        Reply::json(
            200,
            &serde_json::json!({"responses": [{"id": "2", "status": 200, "body": {"n": 2}}]}),
        ),
    ])
    .await;
    let client = client_for(&fake, options());
    let mut requests: Vec<Request> = (0..4)
        .map(|i| Request::get(&format!("/things/{i}")))
        .collect();
    requests.push(Request::post("/things").json(serde_json::json!({})));
    let results = client.send_round(requests).await;
    for (i, result) in results[..4].iter().enumerate() {
        assert_eq!(result.as_ref().unwrap().value().unwrap()["n"], i + 1);
    }
    // The unreadable answer leaves the POST's fate unknown: it is not sent again.
    assert!(results[4].as_ref().unwrap_err().is_outcome_unknown());
    let sent = fake.requests();
    assert_eq!(sent.len(), 3);
    assert!(!sent[1].contains(r#""method":"POST""#), "{}", sent[1]);
}
