//! Authentication event listeners (REFERENCE.md §9.2, §9.3).
//!
//! Listeners created here live in `Tenant::listeners`. Conventions where the contract is open:
//!
//! - Ids are GUIDs. Reads return every property: `conditions.applications` always has
//!   `includeAllApplications` (default `false`) and `includeApplications` inline, `priority`
//!   defaults to 500 and is returned on v1.0 too (§14, §15.23), unset properties are `null`.
//! - `priority` is written through beta only (§14): on v1.0 a body carrying it is 400.
//!   Other undeclared properties are kept, since `authenticationEventListener` is an open type.
//! - A handler's `customExtension` must name an existing extension of the type the handler's
//!   navigation property declares (`onTokenIssuanceStartCustomExtensionHandler` takes an
//!   `onTokenIssuanceStartCustomExtension`), else 400 `invalidRequest`; it is stored as `{id}`.
//!   Fraud-protection providers are not kept by the emulator, so their references are stored
//!   unchecked.
//! - `includeApplications` holds each appId once; adding one already there is 400, removing
//!   one that is not there 404. App ids are not checked against the tenant's applications (the
//!   docs' own examples use appIds that are not even GUIDs).
//! - `PUT .../microsoft.graph.{listenerType}/handler/microsoft.graph.{handlerType}/customExtension/$ref`
//!   works for every listener whose handler type has a `customExtension` (§9.2 documents the
//!   attribute-collection and OTP forms with beta URLs; §14 says v1.0 probably accepts them, so
//!   both versions do). The cast segments must match the listener; a handler of another type is
//!   replaced by one of the named type. The `@odata.id` names the extension as flows' `$ref`s
//!   do: `…/identity/customAuthenticationExtensions/{id}` or `('{id}')`, on any host, with
//!   either version or none.
//! - PATCH replaces `conditions` and `handler` as whole values; its `@odata.type` must be the
//!   listener's own type.

use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::collection::{Collection, check_same_type};
use super::extensions;
use crate::Ctx;
use crate::error::GraphError;
use crate::query::{Filterable, Listing};
use crate::request::{ApiVersion, GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::state::{Object, Tenant};
use crate::types::{self, Ty, WriteMode};

const READ: &[&str] = &["EventListener.Read.All"];
const WRITE: &[&str] = &["EventListener.ReadWrite.All"];
const BASE_TYPE: &str = "authenticationEventListener";
const DEFAULT_PRIORITY: i64 = 500;

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "identity/authenticationEventListeners",
        permissions: READ,
        section: "§9.2",
        behaviour: "Typed listeners created through this collection. `$select`.",
        handler: list,
    },
    Route {
        method: Method::POST,
        path: "identity/authenticationEventListeners",
        permissions: WRITE,
        section: "§9.2",
        behaviour: "Creates a listener (`@odata.type` required; `priority` beta only, default 500); a handler's customExtension must exist and fit the handler.",
        handler: create,
    },
    Route {
        method: Method::GET,
        path: "identity/authenticationEventListeners/{id}",
        permissions: READ,
        section: "§9.2",
        behaviour: "One listener. `$select`.",
        handler: get,
    },
    Route {
        method: Method::PATCH,
        path: "identity/authenticationEventListeners/{id}",
        permissions: WRITE,
        section: "§9.2",
        behaviour: "Replaces conditions/handler/displayName (and priority on beta); `@odata.type` must be the listener's.",
        handler: update,
    },
    Route {
        method: Method::DELETE,
        path: "identity/authenticationEventListeners/{id}",
        permissions: WRITE,
        section: "§9.2",
        behaviour: "Deletes a listener (204).",
        handler: delete,
    },
    Route {
        method: Method::GET,
        path: "identity/authenticationEventListeners/{id}/conditions/applications/includeApplications",
        permissions: READ,
        section: "§9.2",
        behaviour: "The appIds the listener applies to.",
        handler: list_applications,
    },
    Route {
        method: Method::POST,
        path: "identity/authenticationEventListeners/{id}/conditions/applications/includeApplications",
        permissions: WRITE,
        section: "§9.2",
        behaviour: "Adds an appId: 201 with `{appId}` (§2); an appId already included is 400.",
        handler: add_application,
    },
    Route {
        method: Method::GET,
        path: "identity/authenticationEventListeners/{id}/conditions/applications/includeApplications/{appId}",
        permissions: READ,
        section: "§9.2",
        behaviour: "One included appId, as for flows (§2): `{ \"@odata.context\", \"appId\" }`, 404 when not included.",
        handler: get_application,
    },
    Route {
        method: Method::DELETE,
        path: "identity/authenticationEventListeners/{id}/conditions/applications/includeApplications/{appId}",
        permissions: WRITE,
        section: "§9.2",
        behaviour: "Removes an appId (204); 404 when not included.",
        handler: remove_application,
    },
    Route {
        method: Method::GET,
        path: "identity/authenticationEventListeners/{id}/microsoft.graph.{listenerType}/handler/microsoft.graph.{handlerType}/customExtension",
        permissions: READ,
        section: "§9.3",
        behaviour: "The extension the listener's handler references; 404 when none.",
        handler: get_extension,
    },
    Route {
        method: Method::PUT,
        path: "identity/authenticationEventListeners/{id}/microsoft.graph.{listenerType}/handler/microsoft.graph.{handlerType}/customExtension/$ref",
        permissions: WRITE,
        section: "§9.3",
        behaviour: "Attaches an extension (`@odata.id`) to the listener's handler (204); casts must match the listener, the extension must fit the handler.",
        handler: attach_extension,
    },
];

/// `Tenant::listeners`, read with every property of their type.
static LISTENERS: Collection = Collection {
    listing: Listing {
        fragment: "identity/authenticationEventListeners",
        type_name: BASE_TYPE,
        filter: Filterable::Nothing,
        page_size: None,
        order_by: false,
        expand: false,
    },
    objects: |tenant| &tenant.listeners,
    objects_mut: |tenant| &mut tenant.listeners,
    read_shape: |listener| types::full_shape(listener, types::type_of(listener)),
};

fn list(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    LISTENERS.list(ctx, req)
}

fn get(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    LISTENERS.get(ctx, req, params)
}

/// `conditions` as stored: `applications` with both of its properties, each appId once.
fn normalized_conditions(conditions: Option<&Value>) -> Result<Value, GraphError> {
    let applications = conditions.and_then(|c| c.get("applications"));
    let include_all = applications
        .and_then(|a| a.get("includeAllApplications"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut app_ids: Vec<&str> = Vec::new();
    for app in applications
        .and_then(|a| a.get("includeApplications"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let app_id = app.get("appId").and_then(Value::as_str).unwrap_or_default();
        if app_ids.iter().any(|a| a.eq_ignore_ascii_case(app_id)) {
            return Err(GraphError::bad_request(format!(
                "The application '{app_id}' is listed twice in includeApplications."
            )));
        }
        app_ids.push(app_id);
    }
    let include: Vec<Value> = app_ids.iter().map(|a| json!({ "appId": a })).collect();
    Ok(json!({
        "applications": {
            "includeAllApplications": include_all,
            "includeApplications": include,
        }
    }))
}

/// The extension type a handler's `customExtension` navigation property declares.
fn extension_type_of_handler(handler_type: &str) -> Option<&'static str> {
    let handler = types::find_type(handler_type)?;
    match types::property_any_version(handler, "customExtension")?.ty {
        Ty::Entity(target) => Some(target),
        _ => None,
    }
}

/// Checks that extension `extension_id` exists and fits a handler of `handler_type`.
fn check_extension(
    tenant: &Tenant,
    handler_type: &str,
    extension_id: &str,
) -> Result<String, GraphError> {
    let wanted = extension_type_of_handler(handler_type).ok_or_else(|| {
        GraphError::bad_request(format!(
            "A '{handler_type}' handler has no custom extension."
        ))
    })?;
    let extension = extensions::EXTENSIONS
        .find(tenant, extension_id)
        .ok_or_else(|| {
            GraphError::bad_request(format!(
                "The custom extension '{extension_id}' does not exist."
            ))
        })?;
    let actual = types::type_of(extension);
    if !types::find_type(actual).is_some_and(|t| types::is_a(t, wanted)) {
        return Err(GraphError::bad_request(format!(
            "The custom extension '{extension_id}' is a '{actual}'; a '{handler_type}' handler takes a '{wanted}'."
        )));
    }
    Ok(types::id_of(extension).to_owned())
}

/// A handler as stored: its `customExtension` checked and reduced to `{id}`.
fn stored_handler(tenant: &Tenant, handler: &Value) -> Result<Value, GraphError> {
    let Value::Object(map) = handler else {
        return Ok(handler.clone());
    };
    let mut map = map.clone();
    if let Some(id) = map
        .get("customExtension")
        .and_then(|e| e.get("id"))
        .and_then(Value::as_str)
    {
        let id = check_extension(tenant, types::type_of(&map), id)?;
        map.insert("customExtension".into(), json!({ "id": id }));
    }
    Ok(Value::Object(map))
}

/// `priority` can be written through beta only (§14).
fn check_priority(body: &Object, version: ApiVersion) -> Result<(), GraphError> {
    if version == ApiVersion::V1 && body.contains_key("priority") {
        return Err(GraphError::bad_request(
            "'priority' of a listener can be written through the beta endpoint only (REFERENCE.md §14).",
        ));
    }
    Ok(())
}

fn create(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    let accepted = LISTENERS.accept(req, WriteMode::Create)?;
    let mut body = accepted.body;
    check_priority(&body, req.version)?;
    let listener = LISTENERS.insert(ctx, |tenant| {
        let conditions = normalized_conditions(body.get("conditions"))?;
        body.insert("conditions".into(), conditions);
        if let Some(handler) = body.get("handler") {
            let handler = stored_handler(tenant, handler)?;
            body.insert("handler".into(), handler);
        }
        body.entry("priority").or_insert(json!(DEFAULT_PRIORITY));
        body.insert("id".into(), json!(uuid::Uuid::new_v4().to_string()));
        Ok(types::full_shape(&body, accepted.type_name))
    })?;
    Ok(LISTENERS.created(ctx, req, &listener))
}

fn update(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let accepted = LISTENERS.accept(req, WriteMode::Update)?;
    check_priority(&accepted.body, req.version)?;
    LISTENERS.update(ctx, params, |tenant, listener| {
        check_same_type(id, listener, accepted.type_name)?;
        let mut changes = accepted.body;
        if changes.contains_key("conditions") {
            let conditions = normalized_conditions(changes.get("conditions"))?;
            changes.insert("conditions".into(), conditions);
        }
        if let Some(handler) = changes.get("handler") {
            let handler = stored_handler(tenant, handler)?;
            changes.insert("handler".into(), handler);
        }
        listener.extend(changes);
        Ok(())
    })
}

fn delete(ctx: &Ctx, _req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    LISTENERS.delete(ctx, params, |_, _| Ok(()))
}

/// The `includeApplications` array of a stored listener.
fn included(listener: &mut Object) -> Option<&mut Vec<Value>> {
    listener
        .get_mut("conditions")?
        .get_mut("applications")?
        .get_mut("includeApplications")?
        .as_array_mut()
}

fn applications_fragment(id: &str) -> String {
    format!(
        "identity/authenticationEventListeners('{id}')/conditions/applications/includeApplications"
    )
}

fn list_applications(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let items = ctx.store.read(|tenant| {
        LISTENERS.object(tenant, id).map(|listener| {
            let mut listener = listener.clone();
            included(&mut listener).cloned().unwrap_or_default()
        })
    })?;
    crate::query::navigation_list(ctx, req, &applications_fragment(id), items, None)
}

fn add_application(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let app_id = super::posted_app_id(req)?;
    LISTENERS.modify(ctx, params, |_, listener| {
        if included(listener).is_none() {
            let conditions = normalized_conditions(None)?;
            listener.insert("conditions".into(), conditions);
        }
        let apps = included(listener).ok_or_else(|| GraphError::resource_not_found(id))?;
        if apps.iter().any(|a| {
            a["appId"]
                .as_str()
                .is_some_and(|x| x.eq_ignore_ascii_case(&app_id))
        }) {
            return Err(GraphError::bad_request(format!(
                "The application '{app_id}' is already included in listener '{id}'."
            )));
        }
        apps.push(json!({ "appId": app_id }));
        Ok(())
    })?;
    Ok(
        super::application_entity(ctx, req, &applications_fragment(id), &app_id)
            .with_status(StatusCode::CREATED),
    )
}

/// The appId `app_id` as `listener` includes it (compared ignoring case), or 404.
fn included_app_id(listener: &Object, app_id: &str) -> Result<String, GraphError> {
    listener
        .get("conditions")
        .and_then(|c| c.get("applications"))
        .and_then(|a| a.get("includeApplications"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a["appId"].as_str())
        .find(|known| known.eq_ignore_ascii_case(app_id))
        .map(str::to_owned)
        .ok_or_else(|| GraphError::resource_not_found(app_id))
}

fn get_application(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let (id, app_id) = (params.get("id")?, params.get("appId")?);
    let app_id = ctx
        .store
        .read(|tenant| included_app_id(LISTENERS.object(tenant, id)?, app_id))?;
    super::read_application(ctx, req, &applications_fragment(id), &app_id)
}

fn remove_application(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let app_id = params.get("appId")?;
    LISTENERS.update(ctx, params, |_, listener| {
        let apps = included(listener).ok_or_else(|| GraphError::resource_not_found(app_id))?;
        let before = apps.len();
        apps.retain(|a| {
            !a["appId"]
                .as_str()
                .is_some_and(|x| x.eq_ignore_ascii_case(app_id))
        });
        if apps.len() == before {
            return Err(GraphError::resource_not_found(app_id));
        }
        Ok(())
    })
}

/// Checks the cast segments of a handler path against `listener`: the listener type must be
/// the listener's own, the handler type one its `handler` property takes.
fn check_casts(listener: &Object, params: &Params) -> Result<&'static str, GraphError> {
    let listener_cast = params.get("listenerType")?;
    let handler_cast = params.get("handlerType")?;
    let listener_type = types::type_of(listener);
    if !listener_type.eq_ignore_ascii_case(listener_cast) {
        return Err(GraphError::bad_request(format!(
            "The listener is a '{listener_type}', not a '{listener_cast}'."
        )));
    }
    let handler_type = types::find_type(handler_cast)
        .ok_or_else(|| GraphError::unknown_segment(&format!("microsoft.graph.{handler_cast}")))?;
    let declared = types::find_type(listener_type)
        .and_then(|t| types::property_any_version(t, "handler"))
        .map(|p| p.ty.name())
        .unwrap_or_default();
    if !types::is_a(handler_type, declared) {
        return Err(GraphError::bad_request(format!(
            "A '{listener_type}' takes a '{declared}' handler, not a '{}'.",
            handler_type.name
        )));
    }
    Ok(handler_type.name)
}

fn get_extension(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let extension = ctx.store.read(|tenant| {
        let listener = LISTENERS.object(tenant, id)?;
        let handler_type = check_casts(listener, params)?;
        let handler = listener.get("handler");
        let extension_id = handler
            .filter(|h| types::has_type(h, handler_type))
            .and_then(|h| h.get("customExtension"))
            .and_then(|e| e.get("id"))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                GraphError::not_found(format!("Listener '{id}' has no custom extension."))
            })?;
        extensions::EXTENSIONS.object(tenant, extension_id).cloned()
    })?;
    extensions::EXTENSIONS.read(ctx, req, &extension)
}

fn attach_extension(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let extension_id = crate::odata::body_ref(req, extensions::EXTENSION_REF_SETS)?;
    LISTENERS.update(ctx, params, |tenant, listener| {
        let handler_type = check_casts(listener, params)?;
        let extension_id = check_extension(tenant, handler_type, &extension_id)?;
        let same_type = listener
            .get("handler")
            .is_some_and(|h| types::has_type(h, handler_type));
        if !same_type {
            listener.insert(
                "handler".into(),
                json!({ "@odata.type": crate::odata::type_value(handler_type) }),
            );
        }
        if let Some(Value::Object(handler)) = listener.get_mut("handler") {
            handler.insert("customExtension".into(), json!({ "id": extension_id }));
        }
        Ok(())
    })
}
