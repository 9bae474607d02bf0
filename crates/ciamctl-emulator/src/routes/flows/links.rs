//! The links a flow owns: its applications (REFERENCE.md §2), identity providers (§3),
//! attributes (§4) and the custom extensions of its attribute-collection events (§9.3).

use serde_json::{Value, json};

use super::{
    COLLECTION, ExtensionEvent, FLOW_TYPE, FlowRecord, check_app_unlinked_elsewhere, conflict,
    find, has_id, invalid, modify, page, resolve_app_id, resolve_attribute, resolve_extension,
    resolve_identity_provider, shape, update,
};
use crate::Ctx;
use crate::error::GraphError;
use crate::odata;
use crate::query;
use crate::request::{GraphRequest, GraphResponse};
use crate::router::Params;
use crate::routes::extensions::EXTENSION_REF_SETS;
use crate::state::{Object, Tenant};
use crate::types;

/// Where an identity provider's `@odata.id` may point: the legacy set the docs' `$ref` body
/// uses, or the current one (REFERENCE.md §3).
const IDENTITY_PROVIDER_SETS: &[&[&str]] =
    &[&["identityProviders"], &["identity", "identityProviders"]];
/// Where an attribute's `@odata.id` points (REFERENCE.md §4).
const ATTRIBUTE_SETS: &[&[&str]] = &[&["identity", "userFlowAttributes"]];

/// Reads flow `{id}` and answers with `items` as a collection, filtered by `$filter`, sorted
/// by `$orderby` when `orderable` names the items' type, and paged by `$top`.
fn list_of(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    orderable: Option<&'static str>,
    context: impl FnOnce(&FlowRecord) -> String,
    items: impl FnOnce(&Tenant, &FlowRecord) -> Result<Vec<Value>, GraphError>,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let (context, items) = ctx.store.read(|tenant| {
        let record = find(tenant, id)?;
        Ok::<_, GraphError>((context(record), items(tenant, record)?))
    })?;
    query::navigation_list(ctx, req, &context, items, orderable)
}

/// `identity/authenticationEventsFlows('{id}')/conditions/applications/includeApplications`,
/// the context the docs' list example shows.
fn applications_fragment(record: &FlowRecord) -> String {
    format!(
        "{COLLECTION}('{}')/conditions/applications/includeApplications",
        record.id()
    )
}

pub(super) fn list_applications(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    list_of(
        ctx,
        req,
        params,
        None,
        applications_fragment,
        |_, record| {
            Ok(record
                .applications
                .iter()
                .map(|app_id| json!({ "appId": app_id }))
                .collect())
        },
    )
}

pub(super) fn add_application(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let app_id = crate::routes::posted_app_id(req)?;
    let conventions = &ctx.config.conventions.flows;
    let (record, app_id) = modify(ctx, params, |tenant, record| {
        let app_id = resolve_app_id(tenant, &app_id)?;
        if has_id(&record.applications, &app_id) {
            return Err(conflict(
                conventions,
                format!("The application '{app_id}' is already linked to this user flow."),
            ));
        }
        check_app_unlinked_elsewhere(tenant, record.id(), &app_id, conventions)?;
        record.applications.push(app_id.clone());
        Ok((record.clone(), app_id))
    })?;
    Ok(
        crate::routes::application_entity(ctx, req, &applications_fragment(&record), &app_id)
            .with_status(http::StatusCode::CREATED),
    )
}

pub(super) fn get_application(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let (id, app_id) = (params.get("id")?, params.get("appId")?);
    let (fragment, app_id) = ctx.store.read(|tenant| {
        let record = find(tenant, id)?;
        let linked = record
            .applications
            .iter()
            .find(|known| known.eq_ignore_ascii_case(app_id))
            .ok_or_else(|| not_linked("application", app_id))?;
        Ok::<_, GraphError>((applications_fragment(record), linked.clone()))
    })?;
    crate::routes::read_application(ctx, req, &fragment, &app_id)
}

pub(super) fn remove_application(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let app_id = params.get("appId")?;
    update(ctx, params, |_, record| {
        unlink(&mut record.applications, "application", app_id)
    })
}

/// Removes `id` from `ids`, the flow's links of `kind`; 404 when the flow does not link it.
fn unlink(ids: &mut Vec<String>, kind: &str, id: &str) -> Result<(), GraphError> {
    let before = ids.len();
    ids.retain(|known| !known.eq_ignore_ascii_case(id));
    if ids.len() == before {
        return Err(not_linked(kind, id));
    }
    Ok(())
}

/// 404: the flow does not link the `kind` `id`.
fn not_linked(kind: &str, id: &str) -> GraphError {
    GraphError::not_found(format!(
        "The {kind} '{id}' is not linked to this user flow."
    ))
}

pub(super) fn list_identity_providers(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    list_of(
        ctx,
        req,
        params,
        None,
        |_| "Collection(microsoft.graph.identityProviderBase)".to_owned(),
        |tenant, record| Ok(shape::identity_providers_of(tenant, record)),
    )
}

pub(super) fn add_identity_provider(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let named = odata::body_ref(req, IDENTITY_PROVIDER_SETS)?;
    update(ctx, params, |tenant, record| {
        let id = resolve_identity_provider(tenant, &named)?;
        if has_id(&record.identity_providers, &id) {
            return Err(invalid(format!(
                "The identity provider '{id}' is already linked to this user flow."
            )));
        }
        record.identity_providers.push(id);
        Ok(())
    })
}

pub(super) fn remove_identity_provider(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let idp = params.get("idpId")?;
    update(ctx, params, |_, record| {
        unlink(&mut record.identity_providers, "identity provider", idp)?;
        if record.identity_providers.is_empty() {
            return Err(super::body::at_least_one_provider());
        }
        Ok(())
    })
}

pub(super) fn list_attributes(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    list_of(
        ctx,
        req,
        params,
        // §4: the attribute list takes `$orderby` (and `$expand`, but an attribute has no
        // navigation property to expand, so `$expand` is refused).
        Some("identityUserFlowAttribute"),
        |_| "Collection(microsoft.graph.identityUserFlowAttribute)".to_owned(),
        |tenant, record| {
            let attributes = shape::attributes_of(tenant, record);
            if attributes.is_empty() {
                // REFERENCE.md §4, §15.4: documented as 400 rather than an empty collection.
                return Err(invalid("The user flow has no attributes to list."));
            }
            Ok(attributes)
        },
    )
}

pub(super) fn add_attribute(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let named = odata::body_ref(req, ATTRIBUTE_SETS)?;
    update(ctx, params, |tenant, record| {
        let attribute = resolve_attribute(tenant, &named)?;
        let id = types::id_of(attribute).to_owned();
        if has_id(&record.attributes, &id) {
            return Err(invalid(format!(
                "The attribute '{id}' is already linked to this user flow."
            )));
        }
        let handler = record
            .object
            .entry("onAttributeCollection")
            .or_insert(Value::Null);
        if handler.is_null() {
            // REFERENCE.md §15.5: the first add creates the handler, with an empty page.
            *handler = json!({
                "@odata.type": odata::type_value("onAttributeCollectionExternalUsersSelfServiceSignUp"),
                "accessPackages": [],
                "attributeCollectionPage": page::empty(),
            });
        }
        page::append_input(
            &mut handler["attributeCollectionPage"],
            page::default_input(attribute),
        );
        record.attributes.push(id);
        Ok(())
    })
}

pub(super) fn remove_attribute(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let attribute = params.get("attributeId")?;
    // REFERENCE.md §15.3: the input stays on the page until a PATCH drops it.
    update(ctx, params, |_, record| {
        unlink(&mut record.attributes, "attribute", attribute)
    })
}

fn put_extension(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    event: ExtensionEvent,
) -> Result<GraphResponse, GraphError> {
    let named = odata::body_ref(req, EXTENSION_REF_SETS)?;
    update(ctx, params, |tenant, record| {
        let id = resolve_extension(tenant, &named, event)?;
        let handler = record.object.entry(event.property()).or_insert(Value::Null);
        if handler.is_null() {
            *handler = json!({
                "@odata.type": odata::type_value(event.handler_type()),
                "configuration": null,
            });
        }
        *event.slot_mut(record) = Some(id);
        Ok(())
    })
}

/// Flow `{id}`'s id and the extension attached to its `event`, or 404.
fn attached_extension(
    tenant: &Tenant,
    params: &Params,
    event: ExtensionEvent,
) -> Result<(String, Object), GraphError> {
    let record = find(tenant, params.get("id")?)?;
    let extension = event
        .slot(record)
        .and_then(|id| crate::routes::extensions::EXTENSIONS.find(tenant, id))
        .ok_or_else(|| no_extension(event))?;
    Ok((record.id().to_owned(), extension.clone()))
}

/// 404 for an event without an attached extension.
fn no_extension(event: ExtensionEvent) -> GraphError {
    GraphError::not_found(format!(
        "No custom extension is attached to {} of this user flow.",
        event.property()
    ))
}

fn get_extension_ref(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    event: ExtensionEvent,
) -> Result<GraphResponse, GraphError> {
    crate::query::only_options(req, &[])?;
    let (_, extension) = ctx
        .store
        .read(|tenant| attached_extension(tenant, params, event))?;
    let id = extension
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(GraphResponse::ok(json!({
        "@odata.context": ctx.base.context(req.version, "$ref"),
        "@odata.id": format!(
            "{}/{}/identity/customAuthenticationExtensions/{id}",
            ctx.base.0,
            req.version.as_str()
        ),
    })))
}

fn get_extension(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
    event: ExtensionEvent,
) -> Result<GraphResponse, GraphError> {
    let (flow, mut extension) = ctx
        .store
        .read(|tenant| attached_extension(tenant, params, event))?;
    query::entity_options(req, &mut extension, event.extension_type(), &[])?;
    let fragment = format!(
        "{COLLECTION}('{flow}')/microsoft.graph.{FLOW_TYPE}/{}/microsoft.graph.{}/customExtension/$entity",
        event.property(),
        event.handler_type()
    );
    Ok(crate::types::entity_response(
        &ctx.base,
        req.version,
        &fragment,
        extension,
    ))
}

fn delete_extension(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
    event: ExtensionEvent,
) -> Result<GraphResponse, GraphError> {
    update(ctx, params, |_, record| {
        match event.slot_mut(record).take() {
            Some(_) => Ok(()),
            None => Err(no_extension(event)),
        }
    })
}

/// Route handlers are plain `fn`s, so each event gets its own entry points.
macro_rules! per_event {
    ($($name:ident => $inner:ident($event:expr);)*) => {$(
        pub(super) fn $name(
            ctx: &Ctx,
            req: &GraphRequest,
            params: &Params,
        ) -> Result<GraphResponse, GraphError> {
            $inner(ctx, req, params, $event)
        }
    )*};
}

per_event! {
    put_start_extension => put_extension(ExtensionEvent::Start);
    put_submit_extension => put_extension(ExtensionEvent::Submit);
    get_start_extension_ref => get_extension_ref(ExtensionEvent::Start);
    get_submit_extension_ref => get_extension_ref(ExtensionEvent::Submit);
    get_start_extension => get_extension(ExtensionEvent::Start);
    get_submit_extension => get_extension(ExtensionEvent::Submit);
    delete_start_extension => delete_extension(ExtensionEvent::Start);
    delete_submit_extension => delete_extension(ExtensionEvent::Submit);
}
