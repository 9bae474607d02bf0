//! The emulator answers over HTTP with Graph's headers and error bodies, and its transport
//! survives what clients throw at it: odd paths, huge bodies, clients that stall.

use ciamctl_emulator::EmulatorConfig;

use crate::support::fixtures::{PROVIDERS, social_provider};
use crate::support::{Journaled, TestEmulator};

#[tokio::test]
async fn organization_list_returns_the_tenant_with_graph_headers() {
    let t = TestEmulator::start().await;
    let resp = t.get("/v1.0/organization").await;
    resp.assert_status(200);
    assert_eq!(resp.json["value"][0]["id"], t.emulator.tenant_id());
    assert!(resp.header("request-id").is_some());
    assert_eq!(resp.header("OData-Version"), Some("4.0"));
    assert!(resp.context().ends_with("/v1.0/$metadata#organization"));
}

#[tokio::test]
async fn request_without_token_is_401_invalid_authentication_token_with_request_id() {
    let t = TestEmulator::start().await;
    t.send_raw(t.http.get(t.url("/v1.0/organization")))
        .await
        .assert_error(401, "InvalidAuthenticationToken")
        .assert_request_id_in_body();
}

// --- The transport under abuse: never a panic, never a wedged server ---------------------------

#[tokio::test]
async fn multi_byte_and_invalid_utf8_path_segments_are_answered_and_journaled() {
    let j = Journaled::start(EmulatorConfig::default()).await;
    // `é` straddles the end of the `applications(appId='` prefix the router compares: slicing at
    // that byte once panicked the handler into a bare 500.
    j.t.get("/v1.0/applications(appId=%C3%A9xx')")
        .await
        .assert_error(400, "BadRequest")
        .assert_request_id_in_body();
    // Bytes that are not UTF-8 are read as U+FFFD, which is no application's id.
    j.t.get("/v1.0/applications(appId='%FF%FE')")
        .await
        .assert_error(404, "Request_ResourceNotFound");
    let graph_lines: Vec<u64> = j
        .entries()
        .iter()
        .filter(|e| e["version"] == "v1.0")
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(graph_lines, [400, 404]);
    assert_eq!(
        j.t.emulator.stats().http_requests,
        3,
        "the token and both requests"
    );
}

#[tokio::test]
async fn body_over_the_limit_is_413_journaled_and_counted_on_graph_and_token_paths() {
    let j = Journaled::start(EmulatorConfig::default()).await;
    let t = &j.t;
    let too_large = vec![b'a'; 16 * 1024 * 1024 + 1];
    t.send_raw(
        t.http
            .post(t.url(PROVIDERS))
            .bearer_auth(&t.token)
            .header("Content-Type", "application/json")
            .body(too_large.clone()),
    )
    .await
    .assert_error(413, "invalidRequest")
    .assert_request_id_in_body();
    let token = t
        .send_raw(
            t.http
                .post(t.url(&format!("/{}/oauth2/v2.0/token", t.emulator.tenant_id())))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(too_large),
        )
        .await;
    assert_eq!(
        (token.status, token.json["error"].as_str()),
        (413, Some("invalid_request")),
        "{}",
        token.json
    );
    let stats = t.emulator.stats();
    assert_eq!((stats.http_requests, stats.token_requests), (3, 2));
    assert_eq!(stats.by_status.get(&413), Some(&2), "{stats:?}");
    let statuses: Vec<(String, u64)> = j
        .entries()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["status"].as_u64().unwrap(),
            )
        })
        .filter(|(_, status)| *status == 413)
        .collect();
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    assert!(statuses[0].0.ends_with("identityProviders"), "{statuses:?}");
    assert!(
        statuses[1].0.ends_with("/oauth2/v2.0/token"),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn body_of_exactly_the_limit_is_read_whole() {
    let t = TestEmulator::start().await;
    // A provider padded with leading whitespace to the limit: it is created only if every byte
    // arrived.
    let provider = social_provider("Google", "padded-secret").to_string();
    let mut body = vec![b' '; 16 * 1024 * 1024 - provider.len()];
    body.extend_from_slice(provider.as_bytes());
    t.send_raw(
        t.http
            .post(t.url(PROVIDERS))
            .bearer_auth(&t.token)
            .header("Content-Type", "application/json")
            .body(body),
    )
    .await
    .assert_status(201);
}

#[tokio::test]
async fn slow_clients_hold_up_neither_other_clients_nor_the_stop() {
    use tokio::io::AsyncWriteExt as _;
    let t = TestEmulator::start().await;
    let addr = t
        .emulator
        .base_url()
        .trim_start_matches("http://")
        .to_owned();
    // One client stops half-way through its headers, one half-way through its body.
    let mut half_headers = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half_headers
        .write_all(b"GET /v1.0/organization HTTP/1.1\r\nHost: emulator\r\n")
        .await
        .unwrap();
    let mut half_body = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half_body
        .write_all(
            format!(
                "POST /v1.0/identity/identityProviders HTTP/1.1\r\nHost: emulator\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
                t.token
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    t.get("/v1.0/organization").await.assert_status(200);
    // Without a bound on the wait, the stop waited for these two requests forever.
    tokio::time::timeout(std::time::Duration::from_secs(60), t.emulator.stop())
        .await
        .expect("the emulator stops although two clients never finish their requests")
        .unwrap();
    drop((half_headers, half_body));
}
