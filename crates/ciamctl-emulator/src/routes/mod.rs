//! The Graph routes, one module per resource kind. Each module owns its part of the tenant
//! state, its read shapes and its quirks, and exports its rows of the route table as `ROUTES`;
//! `collection` holds what the modules over collections of JSON objects share.

pub(crate) mod branding;
mod collection;
pub(crate) mod directory;
pub(crate) mod extensions;
pub(crate) mod flows;
pub(crate) mod identity_providers;
pub(crate) mod listeners;
pub(crate) mod user_flow_attributes;

use serde_json::Value;

use crate::Ctx;
use crate::error::GraphError;
use crate::request::{GraphRequest, GraphResponse};
use crate::router::Route;
use crate::types::{self, WriteMode};

/// The route table, grouped by module, in the order the crate docs list it.
pub(crate) static ALL: &[&[Route]] = &[
    flows::ROUTES,
    user_flow_attributes::ROUTES,
    identity_providers::ROUTES,
    branding::ROUTES,
    extensions::ROUTES,
    listeners::ROUTES,
    directory::ROUTES,
];

/// The `appId` of an `authenticationConditionApplication` request body, how an application is
/// added to a flow's or a listener's `includeApplications` (REFERENCE.md §2).
pub(crate) fn posted_app_id(req: &GraphRequest) -> Result<String, GraphError> {
    let body = types::accept(
        &req.json_object()?,
        "authenticationConditionApplication",
        WriteMode::Create,
        req.version,
    )?
    .body;
    body.get("appId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| GraphError::bad_request("Property 'appId' is required."))
}

/// One `authenticationConditionApplication` of an `includeApplications` collection whose path
/// (relative to the version root) is `fragment`: `{ "@odata.context", "appId" }`, as the add
/// answers it (REFERENCE.md §2) and a GET of `includeApplications/{appId}` reads it.
pub(crate) fn application_entity(
    ctx: &Ctx,
    req: &GraphRequest,
    fragment: &str,
    app_id: &str,
) -> GraphResponse {
    types::entity_response(
        &ctx.base,
        req.version,
        &format!("{fragment}/$entity"),
        application_object(app_id),
    )
}

/// A GET of `includeApplications/{appId}`: [`application_entity`], `$select` applied and other
/// query options refused.
pub(crate) fn read_application(
    ctx: &Ctx,
    req: &GraphRequest,
    fragment: &str,
    app_id: &str,
) -> Result<GraphResponse, GraphError> {
    let mut object = application_object(app_id);
    crate::query::entity_options(req, &mut object, "authenticationConditionApplication", &[])?;
    Ok(types::entity_response(
        &ctx.base,
        req.version,
        &format!("{fragment}/$entity"),
        object,
    ))
}

/// `{ "appId" }`, an `authenticationConditionApplication`.
fn application_object(app_id: &str) -> crate::state::Object {
    let mut object = crate::state::Object::new();
    object.insert("appId".into(), Value::String(app_id.to_owned()));
    object
}
