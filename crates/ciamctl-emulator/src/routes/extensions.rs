//! Custom authentication extensions (REFERENCE.md §9.1).
//!
//! Conventions where the contract is open:
//!
//! - Create needs `authenticationConfiguration` (§9.1 "required on create"); ids are GUIDs.
//! - The 101st extension is 400 `invalidRequest` (§15.20; code per §16.1).
//! - PATCH replaces the properties it names, each complex value as a whole; its `@odata.type`
//!   must be the extension's own type.
//! - Deleting an extension a listener or user flow still references is 400 `invalidRequest`
//!   naming the referrer (the contract says nothing; §16.1 gives the code), so no handler is
//!   left pointing at nothing.
//! - `validateAuthenticationConfiguration` answers 200 with `errors` and `warnings` even when
//!   the configuration is invalid (§15.19). For `azureAdTokenAuthentication` it reports
//!   `IncorrectResourceIdFormat` unless `resourceId` is `api://{fqdn}/{appId-guid}`;
//!   `DomainNameDoesNotMatch` when that fqdn is not the host of an `httpRequestEndpoint`'s
//!   `targetUrl`; `ServicePrincipalNotFound` when no service principal in the tenant has that
//!   appId; and the warning `PermissionNotGrantedToServicePrincipal` when the service principal
//!   exists without `CustomAuthenticationExtensions.Receive.Payload` in its granted app roles.
//!   Other authentication or endpoint types have nothing to check.

use http::Method;
use serde_json::{Value, json};

use super::collection::{Collection, check_same_type};
use super::directory::service_principal_by;
use crate::Ctx;
use crate::error::GraphError;
use crate::query::{Filterable, Listing};
use crate::request::{GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::state::{Object, Tenant, into_object};
use crate::types::{self, WriteMode};

const READ: &[&str] = &["CustomAuthenticationExtension.Read.All"];
const WRITE: &[&str] = &["CustomAuthenticationExtension.ReadWrite.All"];
const BASE_TYPE: &str = "customAuthenticationExtension";

/// Where an extension's `@odata.id` (or `@odata.bind`) points (REFERENCE.md §9.3).
pub(crate) const EXTENSION_REF_SETS: &[&[&str]] =
    &[&["identity", "customAuthenticationExtensions"]];

/// At most this many custom extension policies per tenant (§15.20).
pub(crate) const MAX_EXTENSIONS: usize = 100;

/// The permission the API behind an extension must be granted (§9.1).
const RECEIVE_PAYLOAD: &str = "CustomAuthenticationExtensions.Receive.Payload";

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "identity/customAuthenticationExtensions",
        permissions: READ,
        section: "§9.1",
        behaviour: "Typed extensions. `$select`.",
        handler: list,
    },
    Route {
        method: Method::POST,
        path: "identity/customAuthenticationExtensions",
        permissions: WRITE,
        section: "§9.1",
        behaviour: "Creates an extension (`@odata.type` and `authenticationConfiguration` required); GUID id; at most 100 per tenant (§15.20).",
        handler: create,
    },
    Route {
        method: Method::POST,
        path: "identity/customAuthenticationExtensions/validateAuthenticationConfiguration",
        permissions: READ,
        section: "§9.1",
        behaviour: "Validates a candidate endpoint and authentication configuration: 200 with `errors`/`warnings` even when invalid (§15.19).",
        handler: validate_candidate,
    },
    Route {
        method: Method::GET,
        path: "identity/customAuthenticationExtensions/{id}",
        permissions: READ,
        section: "§9.1",
        behaviour: "One extension. `$select`.",
        handler: get,
    },
    Route {
        method: Method::PATCH,
        path: "identity/customAuthenticationExtensions/{id}",
        permissions: WRITE,
        section: "§9.1",
        behaviour: "Replaces the named properties (`@odata.type` required, must be the extension's).",
        handler: update,
    },
    Route {
        method: Method::DELETE,
        path: "identity/customAuthenticationExtensions/{id}",
        permissions: WRITE,
        section: "§9.1",
        behaviour: "Deletes an extension (204); one a listener or user flow references is 400 (§16.1).",
        handler: delete,
    },
    Route {
        method: Method::POST,
        path: "identity/customAuthenticationExtensions/{id}/validateAuthenticationConfiguration",
        permissions: READ,
        section: "§9.1",
        behaviour: "Validates a stored extension's configuration: 200 with `errors`/`warnings` (§15.19).",
        handler: validate_existing,
    },
];

/// `Tenant::custom_extensions`, stored in the shape they are read in.
pub(crate) static EXTENSIONS: Collection = Collection {
    listing: Listing {
        fragment: "identity/customAuthenticationExtensions",
        type_name: BASE_TYPE,
        filter: Filterable::Nothing,
        page_size: None,
        order_by: false,
        expand: false,
    },
    objects: |tenant| &tenant.custom_extensions,
    objects_mut: |tenant| &mut tenant.custom_extensions,
    read_shape: Object::clone,
};

fn list(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    EXTENSIONS.list(ctx, req)
}

fn get(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    EXTENSIONS.get(ctx, req, params)
}

fn create(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    let accepted = EXTENSIONS.accept(req, WriteMode::Create)?;
    let mut body = accepted.body;
    if body
        .get("authenticationConfiguration")
        .is_none_or(Value::is_null)
    {
        return Err(GraphError::bad_request(
            "'authenticationConfiguration' is required to create a custom authentication extension.",
        ));
    }
    let stored = EXTENSIONS.insert(ctx, |tenant| {
        if tenant.custom_extensions.len() >= MAX_EXTENSIONS {
            return Err(GraphError::bad_request(format!(
                "The tenant already has {MAX_EXTENSIONS} custom extension policies, the most it can have."
            )));
        }
        body.insert("id".into(), json!(uuid::Uuid::new_v4().to_string()));
        Ok(types::full_shape(&body, accepted.type_name))
    })?;
    Ok(EXTENSIONS.created(ctx, req, &stored))
}

fn update(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let accepted = EXTENSIONS.accept(req, WriteMode::Update)?;
    EXTENSIONS.update(ctx, params, |_, extension| {
        check_same_type(id, extension, accepted.type_name)?;
        extension.extend(accepted.body);
        Ok(())
    })
}

/// Whether `value` holds the string `id` anywhere (extension ids are GUIDs, so a match is a
/// reference).
fn mentions(value: &Value, id: &str) -> bool {
    match value {
        Value::String(text) => text.eq_ignore_ascii_case(id),
        Value::Array(items) => items.iter().any(|v| mentions(v, id)),
        Value::Object(map) => map.values().any(|v| mentions(v, id)),
        _ => false,
    }
}

/// What still references extension `id`: a listener's handler or a user flow.
fn referrer(tenant: &Tenant, id: &str) -> Option<String> {
    let listener = tenant.listeners.iter().find(|l| {
        l.get("handler")
            .is_some_and(|handler| mentions(handler, id))
    });
    if let Some(listener) = listener {
        return Some(format!("the listener '{}'", types::id_of(listener)));
    }
    tenant
        .flows
        .iter()
        .find(|flow| {
            [
                &flow.attribute_collection_start_extension,
                &flow.attribute_collection_submit_extension,
            ]
            .into_iter()
            .flatten()
            .any(|attached| attached.eq_ignore_ascii_case(id))
        })
        .map(|flow| format!("the user flow '{}'", flow.id()))
}

fn delete(ctx: &Ctx, _req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    EXTENSIONS.delete(ctx, params, |tenant, extension| {
        let id = types::id_of(extension);
        match referrer(tenant, id) {
            Some(referrer) => Err(GraphError::bad_request(format!(
                "The custom extension '{id}' is used by {referrer}; detach it first."
            ))),
            None => Ok(()),
        }
    })
}

fn finding(code: &str, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

/// `(fqdn, appId)` of a well-formed `api://{fqdn}/{appId}`.
fn parse_resource_id(resource_id: &str) -> Option<(&str, &str)> {
    let rest = resource_id
        .get(..6)
        .filter(|scheme| scheme.eq_ignore_ascii_case("api://"))
        .map(|_| &resource_id[6..])?;
    let (fqdn, app_id) = rest.split_once('/')?;
    let fqdn_ok = fqdn.contains('.')
        && fqdn.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    (fqdn_ok && uuid::Uuid::parse_str(app_id).is_ok()).then_some((fqdn, app_id))
}

/// The host of an `http(s)` URL.
fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .split_once("://")
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
        })?
        .1;
    rest.split(['/', ':', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())
}

/// The `authenticationConfigurationValidation` of an endpoint and authentication configuration
/// (either may be absent).
fn validation(tenant: &Tenant, endpoint: Option<&Value>, authentication: Option<&Value>) -> Value {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let is = |value: Option<&Value>, type_name: &str| {
        value.is_some_and(|value| types::has_type(value, type_name))
    };
    if is(authentication, "azureAdTokenAuthentication") {
        let resource_id = authentication
            .and_then(|a| a.get("resourceId"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        match parse_resource_id(resource_id) {
            None => errors.push(finding(
                "IncorrectResourceIdFormat",
                "ResourceId should be in the format of 'api://{fully qualified domain name}/{appid}'",
            )),
            Some((fqdn, app_id)) => {
                let target = endpoint
                    .filter(|_| is(endpoint, "httpRequestEndpoint"))
                    .and_then(|e| e.get("targetUrl"))
                    .and_then(Value::as_str);
                if let Some(target) = target
                    && !host_of(target).is_some_and(|host| host.eq_ignore_ascii_case(fqdn))
                {
                    errors.push(finding(
                        "DomainNameDoesNotMatch",
                        "The fully qualified domain name in resourceId should match that of the targetUrl",
                    ));
                }
                match service_principal_by(tenant, app_id) {
                    None => errors.push(finding(
                        "ServicePrincipalNotFound",
                        "The appId of the resourceId should correspond to a real service principal in the tenant",
                    )),
                    Some(sp) if !sp.granted_app_roles.iter().any(|r| r == RECEIVE_PAYLOAD) => {
                        warnings.push(finding(
                            "PermissionNotGrantedToServicePrincipal",
                            &format!("The permission {RECEIVE_PAYLOAD} is not granted to the service principal of the resource app"),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    json!({ "errors": errors, "warnings": warnings })
}

fn validation_response(ctx: &Ctx, req: &GraphRequest, result: Value) -> GraphResponse {
    types::entity_response(
        &ctx.base,
        req.version,
        "microsoft.graph.authenticationConfigurationValidation",
        into_object(result),
    )
}

fn validate_candidate(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    let body = req.json_object()?;
    let parameters = [
        (
            "endpointConfiguration",
            "customExtensionEndpointConfiguration",
        ),
        (
            "authenticationConfiguration",
            "customExtensionAuthenticationConfiguration",
        ),
    ];
    if let Some(unknown) = body
        .keys()
        .find(|k| !k.contains('@') && !parameters.iter().any(|(name, _)| name == k))
    {
        return Err(GraphError::bad_request(format!(
            "'{unknown}' is not a parameter of validateAuthenticationConfiguration; it takes endpointConfiguration and authenticationConfiguration."
        )));
    }
    let mut checked = Vec::new();
    for (name, declared) in parameters {
        let value = match body.get(name) {
            Some(Value::Object(object)) => {
                types::accept(object, declared, WriteMode::Create, req.version)?.body
            }
            Some(_) => {
                return Err(GraphError::bad_request(format!(
                    "The parameter '{name}' must be a JSON object."
                )));
            }
            None => {
                return Err(GraphError::bad_request(format!(
                    "The parameter '{name}' is required."
                )));
            }
        };
        checked.push(Value::Object(value));
    }
    let result = ctx
        .store
        .read(|tenant| validation(tenant, checked.first(), checked.get(1)));
    Ok(validation_response(ctx, req, result))
}

fn validate_existing(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let result = ctx.store.read(|tenant| {
        EXTENSIONS.object(tenant, id).map(|extension| {
            validation(
                tenant,
                extension.get("endpointConfiguration"),
                extension.get("authenticationConfiguration"),
            )
        })
    })?;
    Ok(validation_response(ctx, req, result))
}
