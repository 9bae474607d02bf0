//! JSON batching (REFERENCE.md §11): per-item answers, `dependsOn`, the rules that fail a whole
//! batch or one item, binary bodies, response order and per-item throttling.

#![cfg(test)]

use base64::Engine as _;
use ciamctl_emulator::{Conventions, EmulatorConfig, Faults, Throttle};
use serde_json::{Value, json};

use crate::support::{Resp, TestEmulator, example};

/// A social identity provider to create, with a client secret that must never show.
pub(crate) fn social_provider(kind: &str, secret: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": format!("{kind} sign-in"),
        "identityProviderType": kind,
        "clientId": format!("{kind}-client-id"),
        "clientSecret": secret,
    })
}

/// The batch's answers by item id.
fn by_id(resp: &Resp) -> std::collections::BTreeMap<String, Value> {
    resp.json["responses"]
        .as_array()
        .unwrap_or_else(|| panic!("no responses: {}", resp.json))
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

fn ordered_config() -> EmulatorConfig {
    EmulatorConfig {
        conventions: Conventions {
            keep_batch_order: true,
            ..Conventions::default()
        },
        ..EmulatorConfig::default()
    }
}

async fn provider_count(t: &TestEmulator) -> usize {
    let list = t.get("/v1.0/identity/identityProviders").await;
    list.json["value"].as_array().unwrap().len()
}

#[tokio::test]
async fn batch_answers_each_item_with_its_own_status_headers_and_body() {
    let t = TestEmulator::start().await;
    let resp = t
        .post(
            "/v1.0/$batch",
            json!({ "requests": [
                { "id": "1", "method": "GET", "url": "/organization" },
                { "id": "2", "method": "GET", "url": "identity/identityProviders?$top=1" },
                { "id": "3", "method": "GET", "url": "/noSuchThing" },
                { "id": "4", "method": "POST", "url": "/identity/identityProviders",
                  "headers": { "Content-Type": "application/json" },
                  "body": social_provider("Google", "google-secret") },
            ]}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.json);
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
    assert!(
        t.emulator
            .tenant()
            .identity_providers
            .iter()
            .any(|p| p["id"] == "Google-OAUTH")
    );
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
        .post(
            "/beta/$batch",
            json!({ "requests": [{ "id": "1", "method": "GET", "url": "/organization" }] }),
        )
        .await;
    let context = resp.json["responses"][0]["body"]["@odata.context"]
        .as_str()
        .unwrap();
    assert!(context.contains("/beta/$metadata"), "{context}");
}

#[tokio::test]
async fn documented_depends_on_chain_runs_dependencies_first() {
    let Some(mut documented) = example("v1.0.batch.dependsOn.request.json") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let t = TestEmulator::start_with(EmulatorConfig {
        journal: Some(journal.clone()),
        ..EmulatorConfig::default()
    })
    .await;
    // The docs' urls are "..." placeholders.
    for request in documented["requests"].as_array_mut().unwrap() {
        request["url"] = json!("/organization");
    }
    let resp = t.post("/v1.0/$batch", documented).await;
    assert_eq!(resp.status, 200);
    assert!(by_id(&resp).values().all(|item| item["status"] == 200));
    let ran: Vec<String> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter_map(|entry| entry["batch"]["id"].as_str().map(str::to_owned))
        .collect();
    // 1 ← 2 ← 4 ← 3: the item listed last runs third.
    assert_eq!(ran, ["1", "2", "4", "3"]);
}

#[tokio::test]
async fn dependent_of_a_failed_item_gets_424_and_does_not_run() {
    let t = TestEmulator::start().await;
    let before = provider_count(&t).await;
    let resp = t
        .post(
            "/v1.0/$batch",
            json!({ "requests": [
                { "id": "1", "method": "GET", "url": "/noSuchThing" },
                { "id": "2", "method": "POST", "url": "/identity/identityProviders",
                  "dependsOn": ["1"], "headers": { "Content-Type": "application/json" },
                  "body": social_provider("Google", "s") },
                { "id": "3", "method": "GET", "url": "/organization", "dependsOn": ["2"] },
            ]}),
        )
        .await;
    assert_eq!(resp.status, 200);
    let items = by_id(&resp);
    assert_eq!(items["1"]["status"], 400);
    assert_eq!(items["2"]["status"], 424);
    assert_eq!(items["2"]["body"]["error"]["code"], "failedDependency");
    // A dependent of a 424 fails too.
    assert_eq!(items["3"]["status"], 424);
    assert_eq!(provider_count(&t).await, before);
}

#[tokio::test]
async fn malformed_batches_fail_whole_with_400_and_run_nothing() {
    let t = TestEmulator::start().await;
    let create = |id: &str| {
        json!({ "id": id, "method": "POST", "url": "/identity/identityProviders",
                "headers": { "Content-Type": "application/json" },
                "body": social_provider("Google", "s") })
    };
    let get = |id: usize| json!({ "id": id.to_string(), "method": "GET", "url": "/organization" });
    let cases = [
        (
            "duplicate ids ignoring case",
            json!({ "requests": [create("a"), get(1), { "id": "A", "method": "GET", "url": "/organization" }] }),
        ),
        (
            "21 requests",
            json!({ "requests": std::iter::once(create("x")).chain((1..=20).map(get)).collect::<Vec<_>>() }),
        ),
        (
            "missing id",
            json!({ "requests": [create("a"), { "method": "GET", "url": "/organization" }] }),
        ),
        (
            "missing method",
            json!({ "requests": [create("a"), { "id": "2", "url": "/organization" }] }),
        ),
        (
            "missing url",
            json!({ "requests": [create("a"), { "id": "2", "method": "GET" }] }),
        ),
        (
            "unknown dependency",
            json!({ "requests": [create("a"), { "id": "2", "method": "GET", "url": "/organization", "dependsOn": ["9"] }] }),
        ),
        (
            "dependency cycle",
            json!({ "requests": [create("a"), { "id": "2", "method": "GET", "url": "/organization", "dependsOn": ["3"] }, { "id": "3", "method": "GET", "url": "/organization", "dependsOn": ["2"] }] }),
        ),
        ("no requests list", json!({ "request": [create("a")] })),
    ];
    let before = provider_count(&t).await;
    for (case, body) in cases {
        let resp = t.post("/v1.0/$batch", body).await;
        assert_eq!(resp.status, 400, "{case}: {}", resp.json);
        assert_eq!(resp.error_code(), "invalidRequest", "{case}");
        assert!(resp.json["responses"].is_null(), "{case}");
    }
    assert_eq!(provider_count(&t).await, before);
}

#[tokio::test]
async fn twenty_requests_is_the_largest_batch() {
    let t = TestEmulator::start().await;
    let requests: Vec<Value> = (1..=20)
        .map(|i| json!({ "id": i.to_string(), "method": "GET", "url": "/organization" }))
        .collect();
    let resp = t
        .post("/v1.0/$batch", json!({ "requests": requests }))
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(by_id(&resp).len(), 20);
}

#[tokio::test]
async fn item_with_a_body_but_no_content_type_gets_400_and_the_others_run() {
    let t = TestEmulator::start().await;
    let resp = t
        .post(
            "/v1.0/$batch",
            json!({ "requests": [
                { "id": "1", "method": "POST", "url": "/identity/identityProviders",
                  "body": social_provider("Google", "s") },
                { "id": "2", "method": "POST", "url": "/identity/identityProviders",
                  "headers": { "content-type": "application/json" },
                  "body": social_provider("Facebook", "s") },
            ]}),
        )
        .await;
    assert_eq!(resp.status, 200);
    let items = by_id(&resp);
    assert_eq!(items["1"]["status"], 400);
    assert_eq!(items["1"]["body"]["error"]["code"], "invalidRequest");
    assert_eq!(items["2"]["status"], 201);
    let ids: Vec<Value> = t
        .emulator
        .tenant()
        .identity_providers
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    assert!(ids.contains(&json!("Facebook-OAUTH")) && !ids.contains(&json!("Google-OAUTH")));
}

#[tokio::test]
async fn items_run_with_the_batch_authorization_not_their_own() {
    let t = TestEmulator::start().await;
    let resp = t
        .post(
            "/v1.0/$batch",
            json!({ "requests": [{ "id": "1", "method": "GET", "url": "/organization",
                                   "headers": { "Authorization": "Bearer not-a-token" } }] }),
        )
        .await;
    assert_eq!(by_id(&resp)["1"]["status"], 200);
    let unauthenticated = t
        .send_raw(
            t.http
                .post(t.url("/v1.0/$batch"))
                .json(&json!({ "requests": [
                    { "id": "1", "method": "GET", "url": "/organization",
                      "headers": { "Authorization": format!("Bearer {}", t.token) } }
                ]})),
        )
        .await;
    assert_eq!(unauthenticated.status, 401);
    assert_eq!(unauthenticated.error_code(), "InvalidAuthenticationToken");
}

#[tokio::test]
async fn base64_bodies_upload_binary_streams_and_binary_answers_come_back_base64() {
    let t = TestEmulator::start().await;
    let org = t.emulator.tenant_id().to_owned();
    let css = b"body { background: #f4f4f4; }\n";
    let encoded = base64::engine::general_purpose::STANDARD.encode(css);
    let resp = t
        .post(
            "/v1.0/$batch",
            json!({ "requests": [
                { "id": "branding", "method": "PATCH", "url": format!("/organization/{org}/branding"),
                  "headers": { "Content-Type": "application/json", "Accept-Language": "0" },
                  "body": { "signInPageText": "Welcome" } },
                { "id": "upload", "method": "PUT", "dependsOn": ["branding"],
                  "url": format!("/organization/{org}/branding/localizations/0/customCSS"),
                  "headers": { "Content-Type": "text/css" }, "body": encoded },
                { "id": "download", "method": "GET", "dependsOn": ["upload"],
                  "url": format!("/organization/{org}/branding/localizations/0/customCSS") },
                { "id": "not base64", "method": "PUT",
                  "url": format!("/organization/{org}/branding/localizations/0/customCSS"),
                  "headers": { "Content-Type": "text/css" }, "body": "%%%" },
            ]}),
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
async fn responses_are_shuffled_with_the_fault_seed_unless_order_is_kept() {
    let requests: Vec<Value> = (1..=20)
        .map(|i| json!({ "id": i.to_string(), "method": "GET", "url": "/organization" }))
        .collect();
    let in_request_order: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    let order = |config: EmulatorConfig| {
        let batch = json!({ "requests": requests.clone() });
        async move {
            let t = TestEmulator::start_with(config).await;
            let resp = t.post("/v1.0/$batch", batch).await;
            resp.json["responses"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let seeded = |seed| EmulatorConfig {
        faults: Faults {
            seed,
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    };
    let shuffled = order(seeded(3)).await;
    assert_ne!(shuffled, in_request_order);
    assert_eq!(
        order(seeded(3)).await,
        shuffled,
        "the same seed gives the same order"
    );
    assert_eq!(order(ordered_config()).await, in_request_order);
}

#[tokio::test]
async fn throttled_items_get_429_with_retry_after_and_the_batch_still_200() {
    let throttled = |conventions: Conventions| EmulatorConfig {
        faults: Faults {
            throttle: Some(Throttle::new(2, 60.0).unwrap()),
            ..Faults::default()
        },
        conventions: Conventions {
            keep_batch_order: true,
            ..conventions
        },
        ..EmulatorConfig::default()
    };
    let batch = json!({ "requests": (1..=3)
        .map(|i| json!({ "id": i.to_string(), "method": "GET", "url": "/organization" }))
        .collect::<Vec<_>>() });
    let t = TestEmulator::start_with(throttled(Conventions::default())).await;
    let resp = t.post("/v1.0/$batch", batch.clone()).await;
    assert_eq!(resp.status, 200);
    let items = by_id(&resp);
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

    let t = TestEmulator::start_with(throttled(Conventions {
        failed_dependency_for_throttled_batch: true,
        ..Conventions::default()
    }))
    .await;
    let resp = t.post("/v1.0/$batch", batch).await;
    assert_eq!(resp.status, 424);
    assert_eq!(by_id(&resp)["3"]["status"], 429);
}

#[tokio::test]
async fn batch_takes_only_post() {
    let t = TestEmulator::start().await;
    let resp = t.get("/v1.0/$batch").await;
    assert_eq!(resp.status, 405);
}
