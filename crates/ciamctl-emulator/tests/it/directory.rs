//! The organization, applications and service principals (REFERENCE.md §10).

use serde_json::Value;

use crate::support::roles::{assert_denied, with_roles};
use crate::support::{TestEmulator, assert_same_shape, example};

const WEB_APP_ID: &str = "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60";

fn encoded(filter: &str) -> String {
    percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn names(value: &Value) -> Vec<&str> {
    value["value"]
        .as_array()
        .expect("a collection")
        .iter()
        .map(|a| a["displayName"].as_str().expect("a displayName"))
        .collect()
}

#[tokio::test]
async fn organization_select_keeps_only_the_named_properties() {
    let t = TestEmulator::start().await;
    let resp = t
        .get("/v1.0/organization?$select=id,displayName,tenantType,verifiedDomains")
        .await;
    assert_eq!(resp.status, 200);
    let org = resp.json["value"][0].as_object().unwrap();
    let mut keys: Vec<&str> = org.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["displayName", "id", "tenantType", "verifiedDomains"]);
    assert_eq!(org["tenantType"], "CIAM");
}

#[tokio::test]
async fn applications_filter_by_app_id_and_display_name_with_doubled_quotes() {
    let t = TestEmulator::start().await;
    let by_app_id = t
        .get(&format!(
            "/v1.0/applications?$filter={}",
            encoded(&format!("appId eq '{WEB_APP_ID}'"))
        ))
        .await;
    assert_eq!(by_app_id.status, 200);
    assert_eq!(names(&by_app_id.json), ["Woodgrove Web"]);
    let by_name = t
        .get(&format!(
            "/v1.0/applications?$filter={}&$select=id,appId,displayName",
            encoded("displayName eq 'woodgrove mobile' or displayName eq 'Woodgrove Web'")
        ))
        .await;
    assert_eq!(names(&by_name.json), ["Woodgrove Web", "Woodgrove Mobile"]);
    let keys: Vec<&String> = by_name.json["value"][0]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["id", "appId", "displayName"]);
    let quoted = t
        .get(&format!(
            "/v1.0/applications?$filter={}",
            encoded("displayName eq 'O''Brien''s app'")
        ))
        .await;
    assert_eq!(quoted.status, 200);
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
    let resp = t.get("/v1.0/applications?$select=colour").await;
    assert_eq!(resp.status, 400);
    assert_eq!(resp.error_code(), "Request_BadRequest");
}

#[tokio::test]
async fn alternate_keys_find_by_app_id_or_answer_404() {
    let t = TestEmulator::start().await;
    let app = t
        .get(&format!("/v1.0/applications(appId='{WEB_APP_ID}')"))
        .await;
    assert_eq!(app.status, 200);
    assert_eq!(app.json["displayName"], "Woodgrove Web");
    assert!(
        app.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#applications/$entity")
    );
    let sp = t
        .get(&format!(
            "/beta/servicePrincipals(appId='{WEB_APP_ID}')?$select=id,appId"
        ))
        .await;
    assert_eq!(sp.status, 200);
    assert_eq!(sp.json["appId"], WEB_APP_ID);
    assert!(sp.json.get("displayName").is_none());
    let by_object_id = t
        .get(&format!(
            "/v1.0/applications/{}",
            app.json["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(by_object_id.json["appId"], WEB_APP_ID);
    for path in [
        "/v1.0/applications(appId='11111111-2222-3333-4444-555555555555')",
        "/v1.0/servicePrincipals(appId='11111111-2222-3333-4444-555555555555')",
    ] {
        let resp = t.get(path).await;
        assert_eq!(resp.status, 404, "{path}");
        assert_eq!(resp.error_code(), "Request_ResourceNotFound");
    }
}

#[tokio::test]
async fn top_pages_with_next_links_that_lead_through_every_application() {
    let t = TestEmulator::start().await;
    let mut seen = Vec::new();
    let mut next = Some(format!(
        "{}/v1.0/applications?$top=3",
        t.emulator.base_url()
    ));
    while let Some(url) = next {
        let resp = t
            .get(url.strip_prefix(t.emulator.base_url()).unwrap())
            .await;
        assert_eq!(resp.status, 200, "{}", resp.json);
        assert!(resp.json["value"].as_array().unwrap().len() <= 3);
        seen.extend(names(&resp.json).into_iter().map(str::to_owned));
        next = resp.json["@odata.nextLink"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 4);
    let resp = t.get("/v1.0/applications?$top=1000").await;
    assert_eq!(resp.status, 400);
}

#[tokio::test]
async fn applications_need_application_read_and_organization_needs_organization_read() {
    let t = with_roles(&["Organization.Read.All"]).await;
    assert_eq!(t.get("/v1.0/organization").await.status, 200);
    assert_denied(&t.get("/v1.0/applications").await);
    assert_denied(&t.get("/v1.0/servicePrincipals").await);
    let t = with_roles(&["Application.Read.All"]).await;
    assert_eq!(t.get("/v1.0/applications").await.status, 200);
    assert_eq!(
        t.get(&format!("/v1.0/servicePrincipals(appId='{WEB_APP_ID}')"))
            .await
            .status,
        200
    );
    assert_denied(&t.get("/v1.0/organization").await);
}

#[tokio::test]
async fn responses_have_the_documented_shape() {
    let t = TestEmulator::start().await;
    let Some(organization) = example("v1.0.organization.list.response.json") else {
        return;
    };
    assert_same_shape(&t.get("/v1.0/organization").await.json, &organization, &[]);
    // The docs' list example shows a subset of each application; it has no `id`, which every
    // directory object has.
    assert_same_shape(
        &t.get("/v1.0/applications").await.json,
        &example("v1.0.applications.list.response.json").unwrap(),
        &["id"],
    );
}
