//! The request journal (`--journal FILE`): one line per HTTP request and per batch item, and
//! never a secret.

#![cfg(test)]

use ciamctl_emulator::{DEFAULT_CLIENT_SECRET, EmulatorConfig, Faults};
use serde_json::{Value, json};

use crate::support::batch::json_post;
use crate::support::branding::{branding, create_default_branding, put_stream, stream};
use crate::support::fixtures::{PROVIDERS, social_provider};
use crate::support::{Journaled, TestEmulator, json_lines, with_faults};

#[tokio::test]
async fn journal_has_a_line_per_request_and_batch_item_and_no_secret() {
    let journaled = Journaled::start(EmulatorConfig::default()).await;
    let t = &journaled.t;
    let created = t
        .post(PROVIDERS, social_provider("Google", "google-secret-value"))
        .await;
    created.assert_status(201);
    let mut create = json_post(
        "create",
        "/identity/identityProviders",
        social_provider("Facebook", "facebook-secret-value"),
    );
    create["headers"]["Authorization"] = json!("Bearer item-token-value");
    let list = json!({ "id": "list", "method": "GET", "url": "identity/identityProviders?$top=2" });
    t.post("/beta/$batch", json!({ "requests": [create, list] }))
        .await
        .assert_status(200);
    t.get("/v1.0/organization?$select=id")
        .await
        .assert_status(200);

    let text = journaled.text();
    for secret in [
        "google-secret-value",
        "facebook-secret-value",
        "item-token-value",
        DEFAULT_CLIENT_SECRET,
        t.token.as_str(),
    ] {
        assert!(
            !text.contains(secret),
            "the journal shows a secret: {secret}"
        );
    }

    let entries = journaled.entries();
    // The token request, the POST, two batch items, the batch, the GET.
    assert_eq!(entries.len(), 6, "{entries:#?}");
    let token = &entries[0];
    assert!(
        token["path"]
            .as_str()
            .unwrap()
            .ends_with("/oauth2/v2.0/token")
    );
    assert!(token.get("version").is_none());
    assert_eq!(token["status"], 200);
    assert_eq!(
        token["form"],
        json!(["grant_type", "client_id", "client_secret", "scope"])
    );

    let post = &entries[1];
    assert_eq!(post["method"], "POST");
    assert_eq!(post["version"], "v1.0");
    assert_eq!(post["path"], "/identity/identityProviders");
    assert_eq!(post["status"], 201);
    assert_eq!(post["body"]["clientSecret"], "******");
    assert_eq!(post["body"]["clientId"], "Google-client-id");
    assert_eq!(post["requestId"].as_str(), created.header("request-id"));
    assert!(post["time"].as_str().unwrap().ends_with('Z'));
    assert!(post.get("fault").is_none());

    let batch_line = &entries[4];
    assert_eq!(batch_line["path"], "/$batch");
    assert_eq!(batch_line["version"], "beta");
    assert_eq!(batch_line["status"], 200);
    assert_eq!(
        batch_line["body"]["requests"][0]["headers"]["Authorization"],
        "******"
    );
    for (item, (id, method, status)) in entries[2..4]
        .iter()
        .zip([("create", "POST", 201), ("list", "GET", 200)])
    {
        assert_eq!(item["batch"]["requestId"], batch_line["requestId"]);
        assert_eq!(item["batch"]["id"], id);
        assert_eq!(item["method"], method);
        assert_eq!(item["version"], "beta");
        assert_eq!(item["status"], status);
    }
    assert_eq!(entries[2]["body"]["clientSecret"], "******");
    assert_eq!(entries[3]["query"], "$top=2");

    let get = &entries[5];
    assert_eq!(get["query"], "$select=id");
    assert!(get.get("body").is_none());
}

#[tokio::test]
async fn journal_names_the_injected_fault_and_a_dropped_connection_has_no_status() {
    let journaled = Journaled::start(with_faults(Faults {
        fail_rate: 1.0,
        seed: 11,
        ..Faults::default()
    }))
    .await;
    let t = &journaled.t;
    for _ in 0..12 {
        t.outcome(t.http.get(t.url("/v1.0/organization"))).await;
    }
    let graph: Vec<Value> = journaled
        .entries()
        .into_iter()
        .filter(|e| e["version"] == "v1.0")
        .collect();
    assert_eq!(graph.len(), 12);
    for entry in &graph {
        match entry["fault"].as_str().unwrap() {
            "ServerError503" => assert_eq!(entry["status"], 503),
            "ServerError500" => assert_eq!(entry["status"], 500),
            "ConnectionDropped" => assert!(entry["status"].is_null()),
            other => panic!("unexpected fault {other}"),
        }
    }
}

#[tokio::test]
async fn journal_keeps_the_lines_of_earlier_runs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    for _ in 0..2 {
        let t = TestEmulator::start_with(EmulatorConfig {
            journal: Some(path.clone()),
            ..EmulatorConfig::default()
        })
        .await;
        t.get("/v1.0/organization").await;
        t.emulator.stop().await.unwrap();
    }
    // A token request and a GET per run.
    assert_eq!(json_lines(&path).len(), 4);
}

#[tokio::test]
async fn journal_gives_the_length_of_a_binary_body_not_its_bytes() {
    let journaled = Journaled::start(EmulatorConfig::default()).await;
    let t = &journaled.t;
    create_default_branding(t).await;
    let css = "body { color: #123456; }";
    put_stream(t, &stream(t, "0", "customCSS"), "text/css", css.into())
        .await
        .assert_status(204);
    let entries = journaled.entries();
    let patch = entries.iter().find(|e| e["method"] == "PATCH").unwrap();
    assert_eq!(patch["path"], branding(t).trim_start_matches("/v1.0"));
    let put = entries.iter().find(|e| e["method"] == "PUT").unwrap();
    assert_eq!(put["bodyLength"], css.len());
    assert!(put.get("body").is_none());
    assert!(!journaled.text().contains("#123456"));
}

#[tokio::test]
async fn refused_writes_echo_no_secret_in_their_error_body_the_journal_or_the_state_dump() {
    let journaled = Journaled::start(EmulatorConfig::default()).await;
    let t = &journaled.t;
    t.post(PROVIDERS, social_provider("Google", "kept-secret-value"))
        .await
        .assert_status(201);
    let social = "#microsoft.graph.socialIdentityProvider";
    let google = format!("{PROVIDERS}/Google-OAUTH");
    let refused = [
        (
            PROVIDERS,
            "POST",
            social_provider("Google", "duplicate-secret-value"),
        ),
        (
            PROVIDERS,
            "POST",
            json!({ "@odata.type": social, "identityProviderType": "Gogle", "clientSecret": "bad-type-secret-value" }),
        ),
        (
            &google,
            "PATCH",
            json!({ "@odata.type": social, "clientSecret": "unknown-beside-secret-value", "colour": "x" }),
        ),
        (
            &google,
            "PATCH",
            json!({ "@odata.type": "#microsoft.graph.appleManagedIdentityProvider", "clientSecret": "wrong-type-secret-value" }),
        ),
        (
            PROVIDERS,
            "POST",
            json!({
                "@odata.type": "#microsoft.graph.oidcIdentityProvider",
                "displayName": "Woodgrove OIDC",
                "clientAuthentication": {
                    "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
                    "clientSecret": ["nested-secret-value"],
                },
            }),
        ),
    ];
    let mut secrets = vec!["kept-secret-value"];
    for (path, method, body) in &refused {
        let resp = t
            .send(method.parse().unwrap(), path, Some(body.clone()))
            .await;
        assert_eq!(resp.status, 400, "{method} {path} {body}: {}", resp.json);
        let text = String::from_utf8_lossy(&resp.bytes);
        let secret = body["clientSecret"]
            .as_str()
            .or_else(|| body["clientAuthentication"]["clientSecret"][0].as_str())
            .unwrap();
        assert!(!text.contains(secret), "the error echoes {secret}: {text}");
        secrets.push(secret);
    }
    let dump = t.emulator.state().to_string();
    let journal = journaled.text();
    for secret in secrets {
        assert!(!journal.contains(secret), "the journal shows {secret}");
        assert!(!dump.contains(secret), "the state dump shows {secret}");
    }
}
