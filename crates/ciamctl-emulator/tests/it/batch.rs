//! JSON batching (REFERENCE.md §11): one test per rule of §15.21, the rules that fail a whole
//! batch, binary bodies and the outer status of a throttled batch (§16.13).

// Marks the helpers below as test code, so clippy's `allow-unwrap-in-tests` covers them too.
#![cfg(test)]

use base64::Engine as _;
use ciamctl_emulator::{Conventions, EmulatorConfig, Faults, Throttle};
use serde_json::{Value, json};

use crate::support::batch::{by_id, json_post, organization_gets, responses};
use crate::support::branding::{branding, stream};
use crate::support::fixtures::social_provider;
use crate::support::{Journaled, Resp, TestEmulator, example, with_faults};

/// An item creating a social provider (with a secret) of `kind`.
fn create_provider_item(id: &str, kind: &str) -> Value {
    json_post(
        id,
        "/identity/identityProviders",
        social_provider(kind, "s"),
    )
}

/// POSTs `requests` as a v1.0 batch.
async fn batch(t: &TestEmulator, requests: Vec<Value>) -> Resp {
    t.post("/v1.0/$batch", json!({ "requests": requests }))
        .await
}

async fn provider_count(t: &TestEmulator) -> usize {
    t.get("/v1.0/identity/identityProviders")
        .await
        .items()
        .len()
}

/// Asserts that a batch is refused whole: 400 `invalidRequest` and no `responses`.
#[track_caller]
fn assert_refused_whole(case: &str, resp: &Resp) {
    assert_eq!(resp.status, 400, "{case}: {}", resp.json);
    assert_eq!(resp.error_code(), "invalidRequest", "{case}");
    assert!(resp.json["responses"].is_null(), "{case}");
}

/// The ids of a batch's answers in the order they came.
fn answer_order(resp: &Resp) -> Vec<String> {
    responses(resp)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

/// An emulator that throttles past 2 calls a minute and answers batches in request order.
fn throttled(conventions: Conventions) -> EmulatorConfig {
    EmulatorConfig {
        conventions: Conventions {
            keep_batch_order: true,
            ..conventions
        },
        ..with_faults(Faults {
            throttle: Some(Throttle::new(2, 60.0).unwrap()),
            ..Faults::default()
        })
    }
}

#[tokio::test]
async fn quirk_21_each_item_is_answered_with_its_own_status_headers_and_body() {
    let t = TestEmulator::start().await;
    let resp = batch(
        &t,
        vec![
            json!({ "id": "1", "method": "GET", "url": "/organization" }),
            json!({ "id": "2", "method": "GET", "url": "identity/identityProviders?$top=1" }),
            json!({ "id": "3", "method": "GET", "url": "/noSuchThing" }),
            json_post(
                "4",
                "/identity/identityProviders",
                social_provider("Google", "google-secret"),
            ),
        ],
    )
    .await;
    resp.assert_status(200);
    assert!(resp.header("request-id").is_some());
    let items = by_id(&resp);
    assert_eq!(items.len(), 4);
    assert_eq!(items["1"]["status"], 200);
    assert_eq!(items["1"]["body"]["value"][0]["id"], t.emulator.tenant_id());
    assert_eq!(items["2"]["status"], 200);
    assert_eq!(items["2"]["body"]["value"].as_array().unwrap().len(), 1);
    assert!(items["2"]["body"]["@odata.nextLink"].is_string());
    assert_eq!(items["3"]["status"], 400);
    assert_eq!(items["3"]["body"]["error"]["code"], "BadRequest");
    assert_eq!(items["4"]["status"], 201);
    assert_eq!(items["4"]["body"]["clientSecret"], "******");
    assert!(t.stored_provider("Google-OAUTH").is_some());
    for item in items.values() {
        let keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["id", "status", "headers", "body"], "{item}");
    }
    if let Some(documented) = example("v1.0.batch.response.json") {
        // A 200 JSON item carries the media type and OData version the docs show.
        let documented = &documented["responses"][0]["headers"];
        for name in ["Content-Type", "OData-Version"] {
            assert_eq!(items["1"]["headers"][name], documented[name], "{name}");
        }
    }
}

#[tokio::test]
async fn beta_batch_runs_its_items_against_beta() {
    let t = TestEmulator::start().await;
    let resp = t
        .post("/beta/$batch", json!({ "requests": organization_gets(1) }))
        .await;
    let context = responses(&resp)[0]["body"]["@odata.context"]
        .as_str()
        .unwrap();
    assert!(context.contains("/beta/$metadata"), "{context}");
}

#[tokio::test]
async fn documented_depends_on_chain_runs_dependencies_first() {
    let Some(mut documented) = example("v1.0.batch.dependsOn.request.json") else {
        return;
    };
    let journaled = Journaled::start(EmulatorConfig::default()).await;
    // The docs' urls are "..." placeholders.
    for request in documented["requests"].as_array_mut().unwrap() {
        request["url"] = json!("/organization");
    }
    let resp = journaled.t.post("/v1.0/$batch", documented).await;
    resp.assert_status(200);
    assert!(by_id(&resp).values().all(|item| item["status"] == 200));
    let ran: Vec<String> = journaled
        .entries()
        .into_iter()
        .filter_map(|entry| entry["batch"]["id"].as_str().map(str::to_owned))
        .collect();
    // 1 ← 2 ← 4 ← 3: the item listed last runs third.
    assert_eq!(ran, ["1", "2", "4", "3"]);
}

#[tokio::test]
async fn quirk_21_a_dependent_of_a_failed_item_gets_424_and_does_not_run() {
    let t = TestEmulator::start().await;
    let before = provider_count(&t).await;
    let mut create = create_provider_item("2", "Google");
    create["dependsOn"] = json!(["1"]);
    let resp = batch(
        &t,
        vec![
            json!({ "id": "1", "method": "GET", "url": "/noSuchThing" }),
            create,
            json!({ "id": "3", "method": "GET", "url": "/organization", "dependsOn": ["2"] }),
        ],
    )
    .await;
    resp.assert_status(200);
    let items = by_id(&resp);
    assert_eq!(items["1"]["status"], 400);
    assert_eq!(items["2"]["status"], 424);
    assert_eq!(items["2"]["body"]["error"]["code"], "failedDependency");
    // A dependent of a 424 fails too.
    assert_eq!(items["3"]["status"], 424);
    assert_eq!(provider_count(&t).await, before);
}

#[tokio::test]
async fn quirk_21_at_most_20_requests_a_batch() {
    let t = TestEmulator::start().await;
    let resp = batch(&t, organization_gets(20)).await;
    resp.assert_status(200);
    assert_eq!(by_id(&resp).len(), 20);

    let before = provider_count(&t).await;
    let mut requests = organization_gets(20);
    requests.push(create_provider_item("x", "Google"));
    assert_refused_whole("21 requests", &batch(&t, requests).await);
    assert_eq!(provider_count(&t).await, before, "nothing ran");
}

#[tokio::test]
async fn ten_thousand_item_batch_is_refused_whole_before_any_item_runs() {
    let t = TestEmulator::start().await;
    let mut requests = organization_gets(9_999);
    requests.push(create_provider_item("last", "Google"));
    assert_refused_whole("10 000 requests", &batch(&t, requests).await);
    assert!(t.stored_provider("Google-OAUTH").is_none());
    let stats = t.emulator.stats();
    assert_eq!((stats.batch_requests, stats.batch_items), (1, 0));
}

#[tokio::test]
async fn quirk_21_request_ids_are_unique_ignoring_case() {
    let t = TestEmulator::start().await;
    let before = provider_count(&t).await;
    let requests = vec![
        create_provider_item("a", "Google"),
        json!({ "id": "A", "method": "GET", "url": "/organization" }),
    ];
    assert_refused_whole("a and A", &batch(&t, requests).await);
    assert_eq!(provider_count(&t).await, before, "nothing ran");
}

#[tokio::test]
async fn malformed_batches_fail_whole_with_400_and_run_nothing() {
    let t = TestEmulator::start().await;
    let create = || create_provider_item("a", "Google");
    let get = |id: &str, depends_on: &[&str]| json!({ "id": id, "method": "GET", "url": "/organization", "dependsOn": depends_on });
    let cases = [
        (
            "missing id",
            json!({ "requests": [create(), { "method": "GET", "url": "/organization" }] }),
        ),
        (
            "missing method",
            json!({ "requests": [create(), { "id": "2", "url": "/organization" }] }),
        ),
        (
            "missing url",
            json!({ "requests": [create(), { "id": "2", "method": "GET" }] }),
        ),
        (
            "unknown dependency",
            json!({ "requests": [create(), get("2", &["9"])] }),
        ),
        (
            "dependency cycle",
            json!({ "requests": [create(), get("2", &["3"]), get("3", &["2"])] }),
        ),
        ("no requests list", json!({ "request": [create()] })),
    ];
    let before = provider_count(&t).await;
    for (case, body) in cases {
        assert_refused_whole(case, &t.post("/v1.0/$batch", body).await);
    }
    assert_eq!(provider_count(&t).await, before);
}

#[tokio::test]
async fn quirk_21_an_item_with_a_body_needs_a_content_type_and_the_others_still_run() {
    let t = TestEmulator::start().await;
    let mut untyped = create_provider_item("1", "Google");
    untyped.as_object_mut().unwrap().remove("headers");
    let mut lower_case = create_provider_item("2", "Facebook");
    lower_case["headers"] = json!({ "content-type": "application/json" });
    let resp = batch(&t, vec![untyped, lower_case]).await;
    resp.assert_status(200);
    let items = by_id(&resp);
    assert_eq!(items["1"]["status"], 400);
    assert_eq!(items["1"]["body"]["error"]["code"], "invalidRequest");
    assert_eq!(items["2"]["status"], 201);
    assert!(t.stored_provider("Facebook-OAUTH").is_some());
    assert!(t.stored_provider("Google-OAUTH").is_none());
}

#[tokio::test]
async fn items_run_with_the_batch_authorization_not_their_own() {
    let t = TestEmulator::start().await;
    let mut item = organization_gets(1).remove(0);
    item["headers"] = json!({ "Authorization": "Bearer not-a-token" });
    assert_eq!(by_id(&batch(&t, vec![item]).await)["1"]["status"], 200);
    let mut item = organization_gets(1).remove(0);
    item["headers"] = json!({ "Authorization": format!("Bearer {}", t.token) });
    t.send_raw(
        t.http
            .post(t.url("/v1.0/$batch"))
            .json(&json!({ "requests": [item] })),
    )
    .await
    .assert_error(401, "InvalidAuthenticationToken");
}

#[tokio::test]
async fn convention_16_13_base64_bodies_upload_binary_streams_and_binary_answers_come_back_base64()
{
    let t = TestEmulator::start().await;
    let css = b"body { background: #f4f4f4; }\n";
    let encoded = base64::engine::general_purpose::STANDARD.encode(css);
    // Item urls are relative to the version root.
    let relative = |path: String| path.trim_start_matches("/v1.0").to_owned();
    let css_url = relative(stream(&t, "0", "customCSS"));
    let resp = batch(
        &t,
        vec![
            json!({ "id": "branding", "method": "PATCH", "url": relative(branding(&t)),
                    "headers": { "Content-Type": "application/json", "Accept-Language": "0" },
                    "body": { "signInPageText": "Welcome" } }),
            json!({ "id": "upload", "method": "PUT", "dependsOn": ["branding"], "url": css_url,
                    "headers": { "Content-Type": "text/css" }, "body": encoded }),
            json!({ "id": "download", "method": "GET", "dependsOn": ["upload"], "url": css_url }),
            json!({ "id": "not base64", "method": "PUT", "url": css_url,
                    "headers": { "Content-Type": "text/css" }, "body": "%%%" }),
        ],
    )
    .await;
    let items = by_id(&resp);
    assert_eq!(items["branding"]["status"], 204, "{}", items["branding"]);
    assert_eq!(items["upload"]["status"], 204, "{}", items["upload"]);
    let download = &items["download"];
    assert_eq!(download["status"], 200, "{download}");
    assert!(
        download["headers"]["Content-Type"]
            .as_str()
            .unwrap()
            .starts_with("text/css")
    );
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(download["body"].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, css);
    assert_eq!(items["not base64"]["status"], 400);
}

#[tokio::test]
async fn quirk_21_responses_come_in_an_order_shuffled_with_the_fault_seed_unless_kept() {
    let order = |config: EmulatorConfig| async move {
        let t = TestEmulator::start_with(config).await;
        answer_order(&batch(&t, organization_gets(20)).await)
    };
    let seeded = |seed| {
        with_faults(Faults {
            seed,
            ..Faults::default()
        })
    };
    let in_request_order: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    let shuffled = order(seeded(3)).await;
    assert_ne!(shuffled, in_request_order);
    assert_eq!(
        order(seeded(3)).await,
        shuffled,
        "the same seed gives the same order"
    );
    let kept = EmulatorConfig {
        conventions: Conventions {
            keep_batch_order: true,
            ..Conventions::default()
        },
        ..EmulatorConfig::default()
    };
    assert_eq!(order(kept).await, in_request_order);
}

#[tokio::test]
async fn quirk_21_a_throttled_item_gets_429_with_retry_after_and_too_many_requests() {
    let t = TestEmulator::start_with(throttled(Conventions::default())).await;
    let items = by_id(&batch(&t, organization_gets(3)).await);
    assert_eq!(items["1"]["status"], 200);
    assert_eq!(items["2"]["status"], 200);
    assert_eq!(items["3"]["status"], 429);
    assert_eq!(items["3"]["body"]["error"]["code"], "TooManyRequests");
    let retry_after: f64 = items["3"]["headers"]["Retry-After"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0.0 && retry_after <= 60.0, "{retry_after}");
    assert_eq!(t.emulator.stats().throttled, 1);
}

#[tokio::test]
async fn convention_16_13_a_batch_with_a_throttled_item_is_200_unless_switched_to_424() {
    let t = TestEmulator::start_with(throttled(Conventions::default())).await;
    let resp = batch(&t, organization_gets(3)).await;
    resp.assert_status(200);
    assert_eq!(by_id(&resp)["3"]["status"], 429);

    let t = TestEmulator::start_with(throttled(Conventions {
        failed_dependency_for_throttled_batch: true,
        ..Conventions::default()
    }))
    .await;
    let resp = batch(&t, organization_gets(3)).await;
    resp.assert_status(424);
    assert_eq!(by_id(&resp)["3"]["status"], 429);
}

#[tokio::test]
async fn batch_takes_only_post() {
    let t = TestEmulator::start().await;
    t.get("/v1.0/$batch").await.assert_status(405);
}
