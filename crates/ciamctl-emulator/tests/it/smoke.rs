//! The emulator answers over HTTP with Graph's headers and error bodies.

use crate::support::TestEmulator;

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
