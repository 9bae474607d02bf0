//! The organization, applications and service principals (REFERENCE.md §10).

use serde_json::Value;

use crate::support::fixtures::WEB_APP;
use crate::support::roles::{assert_denied, with_roles};
use crate::support::{TestEmulator, assert_documented_shape, encoded, example, sorted_keys};

fn names(value: &Value) -> Vec<&str> {
    value["value"]
        .as_array()
        .expect("a collection")
        .iter()
        .map(|a| a["displayName"].as_str().expect("a displayName"))
        .collect()
}

#[tokio::test]
async fn convention_16_14_the_organization_is_a_ciam_tenant() {
    let t = TestEmulator::start().await;
    let resp = t.get("/v1.0/organization").await;
    resp.assert_status(200);
    assert_eq!(resp.items().len(), 1);
    let organization = &resp.json["value"][0];
    assert_eq!(organization["id"], t.emulator.tenant_id());
    assert_eq!(organization["tenantType"], "CIAM");
}

#[tokio::test]
async fn organization_select_keeps_only_the_named_properties() {
    let t = TestEmulator::start().await;
    let resp = t
        .get("/v1.0/organization?$select=id,displayName,tenantType,verifiedDomains")
        .await;
    resp.assert_status(200);
    assert_eq!(
        sorted_keys(&resp.json["value"][0]),
        ["displayName", "id", "tenantType", "verifiedDomains"]
    );
}

#[tokio::test]
async fn applications_filter_by_app_id_and_display_name_with_doubled_quotes() {
    let t = TestEmulator::start().await;
    let filter = |filter: &str| format!("/v1.0/applications?$filter={}", encoded(filter));
    let by_app_id = t.get(&filter(&format!("appId eq '{WEB_APP}'"))).await;
    by_app_id.assert_status(200);
    assert_eq!(names(&by_app_id.json), ["Woodgrove Web"]);
    let either = filter("displayName eq 'woodgrove mobile' or displayName eq 'Woodgrove Web'");
    let by_name = t
        .get(&format!("{either}&$select=id,appId,displayName"))
        .await;
    assert_eq!(names(&by_name.json), ["Woodgrove Web", "Woodgrove Mobile"]);
    let keys: Vec<&String> = by_name.json["value"][0]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["id", "appId", "displayName"]);
    let quoted = t.get(&filter("displayName eq 'O''Brien''s app'")).await;
    quoted.assert_status(200);
    assert_eq!(quoted.json["value"], serde_json::json!([]));
}

#[tokio::test]
async fn unsupported_queries_are_400_request_unsupported_query() {
    let t = TestEmulator::start().await;
    for query in [
        format!("$filter={}", encoded("startswith(displayName,'Wood')")),
        format!("$filter={}", encoded("appId ne 'x'")),
        format!("$filter={}", encoded("signInAudience eq 'AzureADMyOrg'")),
        "$orderby=displayName".to_owned(),
        "$search=%22displayName:Wood%22".to_owned(),
    ] {
        let resp = t.get(&format!("/v1.0/servicePrincipals?{query}")).await;
        assert_eq!(resp.status, 400, "{query}");
        assert_eq!(resp.error_code(), "Request_UnsupportedQuery", "{query}");
    }
    t.get("/v1.0/applications?$select=colour")
        .await
        .assert_error(400, "Request_BadRequest");
}

/// §10: `GET /applications/$count` answers a bare `text/plain` number; it is an advanced query,
/// so it needs `ConsistencyLevel: eventual`.
#[tokio::test]
async fn count_answers_a_plain_number_given_consistency_level_eventual() {
    let t = TestEmulator::start().await;
    let count = async |path: &str, level: Option<&str>| {
        let mut request = t.http.get(t.url(path)).bearer_auth(&t.token);
        if let Some(level) = level {
            request = request.header("ConsistencyLevel", level);
        }
        t.send_raw(request).await
    };
    let apps = t.get("/v1.0/applications").await.items().len();
    let sps = t.get("/v1.0/servicePrincipals").await.items().len();
    for (path, expected) in [
        ("/v1.0/applications/$count", apps),
        ("/beta/servicePrincipals/$count", sps),
    ] {
        let resp = count(path, Some("eventual")).await;
        resp.assert_status(200);
        assert!(
            resp.header("content-type")
                .is_some_and(|c| c.starts_with("text/plain")),
            "{:?}",
            resp.headers
        );
        assert_eq!(String::from_utf8_lossy(&resp.bytes), expected.to_string());
        count(path, None)
            .await
            .assert_error(400, "Request_BadRequest")
            .assert_error_mentions("ConsistencyLevel");
    }
    let filtered = format!(
        "/v1.0/applications/$count?$filter={}",
        encoded(&format!("appId eq '{WEB_APP}'"))
    );
    let one = count(&filtered, Some("eventual")).await;
    assert_eq!((one.status, one.bytes.as_slice()), (200, b"1".as_slice()));
    count("/v1.0/applications/$count?$top=1", Some("eventual"))
        .await
        .assert_error(400, "Request_UnsupportedQuery");
    let unsupported = format!(
        "/v1.0/applications/$count?$filter={}",
        encoded("appId ne 'x'")
    );
    count(&unsupported, Some("eventual"))
        .await
        .assert_error(400, "Request_UnsupportedQuery");
}

#[tokio::test]
async fn alternate_keys_find_by_app_id_or_answer_404() {
    let t = TestEmulator::start().await;
    let app = t
        .get(&format!("/v1.0/applications(appId='{WEB_APP}')"))
        .await;
    app.assert_status(200);
    assert_eq!(app.json["displayName"], "Woodgrove Web");
    assert!(app.context().ends_with("#applications/$entity"));
    let sp = t
        .get(&format!(
            "/beta/servicePrincipals(appId='{WEB_APP}')?$select=id,appId"
        ))
        .await;
    sp.assert_status(200);
    assert_eq!(sp.json["appId"], WEB_APP);
    assert!(sp.json.get("displayName").is_none());
    let by_object_id = t.get(&format!("/v1.0/applications/{}", app.id())).await;
    assert_eq!(by_object_id.json["appId"], WEB_APP);
    for path in [
        "/v1.0/applications(appId='11111111-2222-3333-4444-555555555555')",
        "/v1.0/servicePrincipals(appId='11111111-2222-3333-4444-555555555555')",
    ] {
        t.get(path)
            .await
            .assert_error(404, "Request_ResourceNotFound");
    }
}

#[tokio::test]
async fn quirk_25_top_pages_with_next_links_that_lead_through_every_application() {
    let t = TestEmulator::start().await;
    let pages = t.pages("/v1.0/applications?$top=3").await;
    let sizes: Vec<usize> = pages.iter().map(|page| page.items().len()).collect();
    assert_eq!(sizes, [3, 1]);
    let seen: Vec<&str> = pages.iter().flat_map(|page| names(&page.json)).collect();
    let all = t.get("/v1.0/applications").await;
    assert_eq!(
        seen,
        names(&all.json),
        "the pages hold every application once"
    );
    t.get("/v1.0/applications?$top=1000")
        .await
        .assert_status(400);
}

#[tokio::test]
async fn applications_need_application_read_and_organization_needs_organization_read() {
    let t = with_roles(&["Organization.Read.All"]).await;
    t.get("/v1.0/organization").await.assert_status(200);
    assert_denied(&t.get("/v1.0/applications").await);
    assert_denied(&t.get("/v1.0/servicePrincipals").await);
    let t = with_roles(&["Application.Read.All"]).await;
    t.get("/v1.0/applications").await.assert_status(200);
    t.get(&format!("/v1.0/servicePrincipals(appId='{WEB_APP}')"))
        .await
        .assert_status(200);
    assert_denied(&t.get("/v1.0/organization").await);
}

#[tokio::test]
async fn responses_have_the_documented_shape() {
    if example("v1.0.organization.list.response.json").is_none() {
        return;
    }
    let t = TestEmulator::start().await;
    assert_documented_shape(
        &t.get("/v1.0/organization").await.json,
        "v1.0.organization.list.response.json",
        &[],
    );
    // The docs' list example shows a subset of each application; it has no `id`, which every
    // directory object has.
    assert_documented_shape(
        &t.get("/v1.0/applications").await.json,
        "v1.0.applications.list.response.json",
        &["id"],
    );
}
