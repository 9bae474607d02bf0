//! The tenant itself, applications and service principals (REFERENCE.md §10).

use http::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Ctx;
use crate::error::GraphError;
use crate::odata;
use crate::request::{GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::state::{Object, Tenant};

/// The appId of the tenant's `b2c-extensions-app`; custom user-flow attribute ids are
/// `extension_<this without dashes>_<Name>` (REFERENCE.md §5).
pub const EXTENSIONS_APP_ID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

pub static ROUTES: &[Route] = &[Route {
    method: Method::GET,
    path: "organization",
    permissions: &["Organization.Read.All", "Directory.Read.All"],
    section: "§10",
    behaviour: "The one organization; its id is the tenant id.",
    handler: list_organization,
}];

/// An application registration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
}

/// A service principal (an application's instance in this tenant).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
}

/// The organization object of a fresh external tenant.
pub fn organization(tenant_id: &str) -> Object {
    let value = json!({
        "id": tenant_id,
        "displayName": "Woodgrove (emulated)",
        // REFERENCE.md §16.14: not shown in the docs; "CIAM" is what external tenants report.
        "tenantType": "CIAM",
        "verifiedDomains": [{
            "capabilities": "Email, OfficeCommunicationsOnline",
            "isDefault": true,
            "isInitial": true,
            "name": "woodgrove.onmicrosoft.com",
            "type": "Managed"
        }]
    });
    match value {
        Value::Object(map) => map,
        _ => Object::new(),
    }
}

/// The applications of a fresh tenant: the extensions app and three Woodgrove apps, whose
/// appIds `config-examples/woodgrove/environments/dev.yaml` refers to.
pub fn seed_applications(tenant: &mut Tenant) {
    let apps = [
        (
            "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a",
            EXTENSIONS_APP_ID,
            "b2c-extensions-app. Do not modify. Used by AADB2C for storing user data.",
        ),
        (
            "1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b",
            "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60",
            "Woodgrove Web",
        ),
        (
            "2f3a4b5c-6d7e-4f8a-9b0c-1d2e3f4a5b6c",
            "e3a7b0d2-4f5c-4d8e-9a0b-2c3d4e5f6071",
            "Woodgrove Partner Portal",
        ),
        (
            "3a4b5c6d-7e8f-4a9b-8c1d-2e3f4a5b6c7d",
            "f4b8c1e3-5a6d-4e9f-8b1c-3d4e5f607182",
            "Woodgrove Mobile",
        ),
    ];
    for (index, (id, app_id, name)) in apps.into_iter().enumerate() {
        tenant.applications.push(Application {
            id: id.to_owned(),
            app_id: app_id.to_owned(),
            display_name: name.to_owned(),
        });
        tenant.service_principals.push(ServicePrincipal {
            id: format!("4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d{index:02}"),
            app_id: app_id.to_owned(),
            display_name: name.to_owned(),
        });
    }
}

fn list_organization(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    let org = ctx.store.read(|t| Value::Object(t.organization.clone()));
    odata::collection(&ctx.base, req, "organization", vec![org], None)
}
