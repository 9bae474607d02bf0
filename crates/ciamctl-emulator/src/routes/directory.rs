//! The tenant itself, applications and service principals (REFERENCE.md §10).
//!
//! Read-only: ciamctl resolves the tenant id and applications by client id or display name.
//! `$filter` takes `eq` on `appId` and `displayName` (joined by `and`/`or`, grouped by
//! parentheses; strings single-quoted, a quote inside doubled); other filters, `$orderby`,
//! `$search`, `$count` and `$expand` are 400 `Request_UnsupportedQuery` (§12.1) rather than
//! silently ignored, and a filter that does not parse is 400 `Request_BadRequest`.
//! `GET /applications/$count` (and `/servicePrincipals/$count`) answers the bare number §10
//! describes, given `ConsistencyLevel: eventual`. Lists of
//! applications and service principals are paged at 100 without `$top`; `$top` above 999 is
//! 400 `Request_BadRequest` (§10 gives 100/999, §12.3 says a larger `$top` may be rejected).

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::Ctx;
use crate::error::GraphError;
use crate::query::{self, Filterable, Listing, Op};
use crate::request::{GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::state::{Object, Tenant, into_object};
use crate::types;

/// The appId of the tenant's `b2c-extensions-app`; custom user-flow attribute ids are
/// `extension_<this without dashes>_<Name>` (REFERENCE.md §5).
pub(crate) const EXTENSIONS_APP_ID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/// The display name of the extensions app starts with this (§5).
const EXTENSIONS_APP_NAME: &str = "b2c-extensions-app";

/// §10 names `Application.Read.All` alone here (`Directory.Read.All` only for `/organization`).
const APP_READ: &[&str] = &["Application.Read.All"];

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "organization",
        permissions: &["Organization.Read.All", "Directory.Read.All"],
        section: "§10",
        behaviour: "The one organization; its id is the tenant id, `tenantType` is `CIAM` (§16.14). `$select`. Takes `Organization.Read.All` or `Directory.Read.All`, not the `DeviceManagementServiceConfig.Read.All` the permission map names (§10, §16.19).",
        handler: list_organization,
    },
    Route {
        method: Method::GET,
        path: "applications",
        permissions: APP_READ,
        section: "§10",
        behaviour: "Applications; `$filter` `eq` on appId/displayName, `$select`, `$top` (100 by default, at most 999). `$orderby`, `$search`, `$count` and `$expand` are 400 `Request_UnsupportedQuery`.",
        handler: list::<Application>,
    },
    Route {
        method: Method::GET,
        path: "applications(appId='{appId}')",
        permissions: APP_READ,
        section: "§10",
        behaviour: "An application by client id (alternate key); 404 when absent. `$select`.",
        handler: by_app_id::<Application>,
    },
    Route {
        method: Method::GET,
        path: "applications/$count",
        permissions: APP_READ,
        section: "§10",
        behaviour: "The number of applications (those `$filter` selects, as on the list) as `text/plain`; needs `ConsistencyLevel: eventual` (400 `Request_BadRequest` without).",
        handler: count::<Application>,
    },
    Route {
        method: Method::GET,
        path: "applications/{id}",
        permissions: APP_READ,
        section: "§10",
        behaviour: "An application by object id. `$select`.",
        handler: by_id::<Application>,
    },
    Route {
        method: Method::GET,
        path: "servicePrincipals",
        permissions: APP_READ,
        section: "§10",
        behaviour: "Service principals; `$filter` `eq` on appId/displayName, `$select`, `$top` (100 by default, at most 999). `$orderby`, `$search`, `$count` and `$expand` are 400 `Request_UnsupportedQuery`.",
        handler: list::<ServicePrincipal>,
    },
    Route {
        method: Method::GET,
        path: "servicePrincipals(appId='{appId}')",
        permissions: APP_READ,
        section: "§10",
        behaviour: "A service principal by client id (alternate key); 404 when absent. `$select`.",
        handler: by_app_id::<ServicePrincipal>,
    },
    Route {
        method: Method::GET,
        path: "servicePrincipals/$count",
        permissions: APP_READ,
        section: "§10",
        behaviour: "The number of service principals, as for applications.",
        handler: count::<ServicePrincipal>,
    },
    Route {
        method: Method::GET,
        path: "servicePrincipals/{id}",
        permissions: APP_READ,
        section: "§10",
        behaviour: "A service principal by object id. `$select`.",
        handler: by_id::<ServicePrincipal>,
    },
];

/// An application registration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
    #[serde(default)]
    pub identifier_uris: Vec<String>,
    #[serde(default)]
    pub publisher_domain: Option<String>,
    #[serde(default)]
    pub sign_in_audience: Option<String>,
}

/// A service principal (an application's instance in this tenant).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
    /// Application permissions granted to this service principal (its app-role assignments),
    /// by name. Not a property Graph returns; custom-extension validation (§9.1) looks for
    /// `CustomAuthenticationExtensions.Receive.Payload` here.
    #[serde(default)]
    pub granted_app_roles: Vec<String>,
}

/// What the routes read of an application or a service principal: both are listed, filtered
/// and found by object id or appId (alternate key) the same way (REFERENCE.md §10).
trait DirectoryObject: Sized + 'static {
    /// The entity set, relative to the version root: the list's `@odata.context` fragment.
    const SET: &'static str;
    /// The Graph type, for `$select`.
    const TYPE: &'static str;
    fn all(tenant: &Tenant) -> &[Self];
    fn id(&self) -> &str;
    fn app_id(&self) -> &str;
    /// The object as Graph returns it.
    fn to_json(&self) -> Value;
}

impl DirectoryObject for Application {
    const SET: &'static str = "applications";
    const TYPE: &'static str = "application";

    fn all(tenant: &Tenant) -> &[Self] {
        &tenant.applications
    }

    fn id(&self) -> &str {
        &self.id
    }

    fn app_id(&self) -> &str {
        &self.app_id
    }

    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "appId": self.app_id,
            "displayName": self.display_name,
            "identifierUris": self.identifier_uris,
            "publisherDomain": self.publisher_domain,
            "signInAudience": self.sign_in_audience,
        })
    }
}

impl DirectoryObject for ServicePrincipal {
    const SET: &'static str = "servicePrincipals";
    const TYPE: &'static str = "servicePrincipal";

    fn all(tenant: &Tenant) -> &[Self] {
        &tenant.service_principals
    }

    fn id(&self) -> &str {
        &self.id
    }

    fn app_id(&self) -> &str {
        &self.app_id
    }

    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "accountEnabled": true,
            "appDisplayName": self.display_name,
            "appId": self.app_id,
            "displayName": self.display_name,
            "servicePrincipalType": "Application",
        })
    }
}

/// The organization object of a fresh external tenant, with every property the docs' example
/// shows (REFERENCE.md §10).
pub(crate) fn organization(tenant_id: &str) -> Object {
    let value = json!({
        "id": tenant_id,
        "deletedDateTime": null,
        "businessPhones": [],
        "city": null,
        "country": null,
        "countryLetterCode": "US",
        "createdDateTime": "2024-01-15T09:30:00Z",
        "defaultUsageLocation": null,
        "displayName": "Woodgrove (emulated)",
        "isMultipleDataLocationsForServicesEnabled": null,
        "marketingNotificationEmails": [],
        "onPremisesLastSyncDateTime": null,
        "onPremisesSyncEnabled": null,
        "partnerTenantType": null,
        "postalCode": null,
        "preferredLanguage": "en",
        "securityComplianceNotificationMails": [],
        "securityComplianceNotificationPhones": [],
        "state": null,
        "street": null,
        "technicalNotificationMails": ["admin@woodgrove.onmicrosoft.com"],
        // REFERENCE.md §16.14: not shown in the docs; "CIAM" is what external tenants report.
        "tenantType": "CIAM",
        "directorySizeQuota": {"used": 12, "total": 300_000},
        "assignedPlans": [],
        "privacyProfile": {"contactEmail": "", "statementUrl": ""},
        "provisionedPlans": [],
        "verifiedDomains": [{
            "capabilities": "Email, OfficeCommunicationsOnline",
            "isDefault": true,
            "isInitial": true,
            "name": "woodgrove.onmicrosoft.com",
            "type": "Managed"
        }]
    });
    into_object(value)
}

/// The applications of a fresh tenant: the extensions app and three Woodgrove apps, whose
/// appIds `config-examples/woodgrove/environments/dev.yaml` refers to.
pub(crate) fn seed_applications(tenant: &mut Tenant) {
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
            identifier_uris: Vec::new(),
            publisher_domain: Some("woodgrove.onmicrosoft.com".to_owned()),
            sign_in_audience: Some("AzureADMyOrg".to_owned()),
        });
        tenant.service_principals.push(ServicePrincipal {
            id: format!("4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d{index:02}"),
            app_id: app_id.to_owned(),
            display_name: name.to_owned(),
            granted_app_roles: Vec::new(),
        });
    }
}

/// The client id of the tenant's `b2c-extensions-app`, which custom attributes live on (§5).
pub(crate) fn extensions_app_id(tenant: &Tenant) -> Option<&str> {
    tenant
        .applications
        .iter()
        .find(|app| app.display_name.starts_with(EXTENSIONS_APP_NAME))
        .map(|app| app.app_id.as_str())
}

/// The service principal of the application with client id `app_id`.
pub(crate) fn service_principal_by(tenant: &Tenant, app_id: &str) -> Option<ServicePrincipal> {
    tenant
        .service_principals
        .iter()
        .find(|sp| sp.app_id.eq_ignore_ascii_case(app_id))
        .cloned()
}

fn list_organization(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    let org = ctx
        .store
        .read(|t| Value::Object(types::full_shape(&t.organization, "organization")));
    query::list_response(
        ctx,
        req,
        &Listing {
            fragment: "organization",
            type_name: "organization",
            filter: Filterable::Nothing,
            page_size: None,
            order_by: false,
            expand: false,
        },
        vec![org],
    )
}

/// Directory collections page at 100 and refuse a `$top` above 999 (§10).
fn check_top(req: &GraphRequest) -> Result<(), GraphError> {
    match req.query_param("$top").map(str::parse::<u64>) {
        Some(Ok(top)) if top > 999 => Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            format!("Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive."),
        )),
        _ => Ok(()),
    }
}

/// What `$filter` may say on applications and service principals (§10).
const FILTERABLE: Filterable = Filterable::Comparisons {
    properties: &["appId", "displayName"],
    ops: &[Op::Eq],
};

fn list<T: DirectoryObject>(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    check_top(req)?;
    let items = ctx
        .store
        .read(|t| T::all(t).iter().map(T::to_json).collect::<Vec<_>>());
    query::list_response(
        ctx,
        req,
        &Listing {
            fragment: T::SET,
            type_name: T::TYPE,
            filter: FILTERABLE,
            page_size: Some(100),
            order_by: false,
            expand: false,
        },
        items,
    )
}

/// `applications/$count`, `servicePrincipals/$count`: how many objects there are (those
/// `$filter` selects), as a bare `text/plain` number (§10). It is an advanced query, so it
/// needs `ConsistencyLevel: eventual` (§0.2); without it, 400 `Request_BadRequest`.
fn count<T: DirectoryObject>(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    let eventual = req
        .header("ConsistencyLevel")
        .is_some_and(|level| level.trim().eq_ignore_ascii_case("eventual"));
    if !eventual {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "Count is only supported with the header 'ConsistencyLevel: eventual'.",
        ));
    }
    query::only_options(req, &["$filter"])?;
    let items = ctx
        .store
        .read(|t| T::all(t).iter().map(T::to_json).collect::<Vec<_>>());
    let selected = query::filter::apply(req, items, FILTERABLE)?.len();
    Ok(GraphResponse::bytes(
        "text/plain; charset=utf-8",
        selected.to_string().into_bytes(),
    ))
}

/// An alternate-key value as sent: `O''Brien` names `O'Brien`.
fn key_value(params: &Params, name: &str) -> Result<String, GraphError> {
    Ok(params.get(name)?.replace("''", "'"))
}

/// Answers a single directory object, with `$select` applied, or the 404 for `key`.
fn single<T: DirectoryObject>(
    ctx: &Ctx,
    req: &GraphRequest,
    key: &str,
    matches: impl Fn(&T) -> bool,
) -> Result<GraphResponse, GraphError> {
    let found = ctx
        .store
        .read(|t| T::all(t).iter().find(|o| matches(o)).map(T::to_json));
    let Some(Value::Object(mut object)) = found else {
        return Err(GraphError::resource_not_found(key));
    };
    query::entity_options(req, &mut object, T::TYPE, &[])?;
    Ok(types::entity_response(
        &ctx.base,
        req.version,
        &format!("{}/$entity", T::SET),
        object,
    ))
}

/// `applications(appId='{appId}')`, `servicePrincipals(appId='{appId}')`.
fn by_app_id<T: DirectoryObject>(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let app_id = key_value(params, "appId")?;
    single(ctx, req, &app_id, |o: &T| {
        o.app_id().eq_ignore_ascii_case(&app_id)
    })
}

/// `applications/{id}`, `servicePrincipals/{id}`.
fn by_id<T: DirectoryObject>(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    single(ctx, req, id, |o: &T| o.id().eq_ignore_ascii_case(id))
}
