//! User flows (REFERENCE.md §1–§4) and the custom extensions attached to them (§9.3).
//!
//! # What it manages
//!
//! `Tenant::flows`: one [`FlowRecord`] per `externalUsersSelfServiceSignUpEventsFlow`, the only
//! concrete flow type. The record keeps the flow's own properties in the order Graph answers
//! with (handlers included), and its navigation links as id lists: linked applications (by
//! appId), identity providers, user-flow attributes and the custom extensions of the two
//! attribute-collection events. Reads join the links with the tenant's providers, attributes and
//! extensions, so renaming a provider shows in every flow that offers it.
//!
//! # Graph endpoints
//!
//! [`ROUTES`], on `/v1.0` and `/beta` alike: the flow collection and entity (§1), the linked
//! applications (§2), the identity providers and attributes behind their two mandatory cast
//! segments (§3, §4), and the `customExtension` navigation of `onAttributeCollectionStart` and
//! `onAttributeCollectionSubmit` (§9.3). Reads need `EventListener.Read.All`, writes
//! `EventListener.ReadWrite.All`.
//!
//! # Quirks reproduced (REFERENCE.md §15)
//!
//! 1. `@odata.type` is required on the flow and on every handler object.
//! 2. A PATCH of `attributeCollectionPage` replaces the page whole; every other property the
//!    PATCH does not name is kept.
//! 3. `POST attributes/$ref` appends the attribute and a default input to the first view;
//!    `DELETE attributes/{id}/$ref` removes it from `attributes` only.
//! 4. Listing the attributes of a flow that has none is 400.
//! 5. `onAttributeCollection` cannot be added by PATCH; the first `POST attributes/$ref` creates
//!    it.
//! 6. A flow keeps at least one identity provider, and only existing providers can be linked;
//!    `@odata.id` is resolved by its last segment under `/identityProviders/` or
//!    `/identity/identityProviders/`.
//! 7. An application belongs to one flow at most; linking answers 201 with `{ appId }`.
//! 8. and 9. The create response and the get/list shapes (see [`shape`]).
//! 24. Enum members are accepted in any casing and stored in the CSDL's (`"Text"` → `"text"`).
//!
//! # Conventions where the contract is open (REFERENCE.md §16)
//!
//! Each route's `behaviour` names the ones it follows; the switchable ones are fields of
//! [`FlowConventions`].
//!
//! # Ordering constraints
//!
//! Providers, custom attributes and extensions exist before a flow links them. Attributes are
//! linked (`POST attributes/$ref`) before a page PATCH gives them an input, and unlinked before
//! the PATCH that drops their input.

mod body;
mod links;
mod page;
mod shape;

use http::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Ctx;
use crate::error::GraphError;
use crate::odata;
use crate::query::{self, Filterable, Listing};
use crate::request::{GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::routes::extensions;
use crate::state::{Object, Tenant};
use crate::types::WriteMode;

/// Permissions of the flow reads (REFERENCE.md §0.5).
const READ: &[&str] = &["EventListener.Read.All"];
/// Permissions of the flow writes (REFERENCE.md §0.5).
const WRITE: &[&str] = &["EventListener.ReadWrite.All"];

/// The flow collection, relative to the version root.
const COLLECTION: &str = "identity/authenticationEventsFlows";
/// The one concrete flow type (REFERENCE.md §1).
const FLOW_TYPE: &str = "externalUsersSelfServiceSignUpEventsFlow";

/// A path under flow `{id}`, for the route table rows of the links a flow owns.
macro_rules! flow_path {
    ($rest:literal) => {
        concat!("identity/authenticationEventsFlows/{id}/", $rest)
    };
}

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: COLLECTION,
        permissions: READ,
        section: "§1.1",
        behaviour: "Lists flows in the get shape (§15.9), in creation order, paged by `$top`, \
            `$select` as on other collections. `$orderby` sorts by primitive properties \
            (`displayName desc, priority`; strings ignoring case). `$expand` takes the \
            navigation paths from the flow: the ones §15.9 shows inline change nothing, \
            `…/onAttributeCollectionStart/…/customExtension` (or `Submit`, or `*`) inlines the \
            attached extension; nested options are 400. Other query options are 400. \
            `$filter` takes the forms §1.1 shows (`isof(...)`, `displayName eq '...'`, and \
            `any(...)` over `identityProviders`, `attributes` and `includeApplications`) and \
            the rest of the usual grammar (`eq`/`ne`/`gt`/`ge`/`lt`/`le`, `and`/`or`/`not`, \
            `startswith`/`endswith`/`contains`, `any`/`all`); string comparisons ignore case, \
            as Entra's directory does.",
        handler: list_flows,
    },
    Route {
        method: Method::POST,
        path: COLLECTION,
        permissions: WRITE,
        section: "§1.4",
        behaviour: "Creates a flow: 201 in the create shape (§15.8). Needs `@odata.type` on the \
            flow and every handler (§15.1), `displayName` unique in the tenant, \
            `onInteractiveAuthFlowStart`, and `onAuthenticationMethodLoadStart` with at least \
            one existing provider; `id` is read-only. Attributes must exist, every page input \
            must name one of the flow's attributes, linked apps must exist and belong to no \
            other flow. An input's `inputType` is a CSDL member (the docs' \
            `checkboxSingleSelect` is 400) and `options` are optional for every type (§16.6). \
            Violations are 400 `invalidRequest`, an app in another flow 409 (§16.1 convention; \
            `FlowConventions::app_conflict_is_400` answers 400).",
        handler: create_flow,
    },
    Route {
        method: Method::GET,
        path: "identity/authenticationEventsFlows/{id}",
        permissions: READ,
        section: "§1.5",
        behaviour: "The flow in the get shape (§15.9): typed providers with secrets masked, \
            full attribute objects, `includeApplications` inline. At top level with \
            `@odata.context …/$entity` (§16.4); `FlowConventions::wrap_get_in_value` answers \
            `{\"value\": …}` as the v1.0 docs example does. `$select`, and `$expand` as on the \
            list.",
        handler: get_flow,
    },
    Route {
        method: Method::PATCH,
        path: "identity/authenticationEventsFlows/{id}",
        permissions: WRITE,
        section: "§1.6",
        behaviour: "Updates the properties the body names: 204. Each handler is replaced as a \
            value, except that `onAttributeCollection` keeps its `attributes` unless the body \
            names them, and its `attributeCollectionPage` is replaced whole when sent (§15.2). \
            `onAttributeCollection` cannot be added by PATCH (§15.5). A page that drops an \
            input keeps the attribute linked (§16.2; \
            `FlowConventions::page_patch_drops_attributes` unlinks it). `priority` through v1.0 is \
            refused (§16.5; `FlowConventions::v1_priority_write`). A custom-extension handler \
            may name its extension as `customExtension: {\"id\"}` (§16.16).",
        handler: update_flow,
    },
    Route {
        method: Method::DELETE,
        path: "identity/authenticationEventsFlows/{id}",
        permissions: WRITE,
        section: "§1.7",
        behaviour: "Deletes the flow and everything it owns: its app links, handlers and the \
            listeners that name it in `authenticationEventsFlowId` (§16.15 convention; \
            `FlowConventions::keep_listeners_of_deleted_flows` keeps them): 204.",
        handler: delete_flow,
    },
    Route {
        method: Method::GET,
        path: flow_path!("conditions/applications/includeApplications"),
        permissions: READ,
        section: "§2",
        behaviour: "The linked applications as `{ appId }`, paged by `$top`, `$filter` as on \
            the flow list.",
        handler: links::list_applications,
    },
    Route {
        method: Method::POST,
        path: flow_path!("conditions/applications/includeApplications"),
        permissions: WRITE,
        section: "§2",
        behaviour: "Links an application by appId: 201 `{ \"@odata.context\", \"appId\" }`. \
            The app (or its service principal) must exist (400); an app already in this or \
            another flow is 409 (§15.7, §16.1 convention; \
            `FlowConventions::app_conflict_is_400` answers 400).",
        handler: links::add_application,
    },
    Route {
        method: Method::GET,
        path: flow_path!("conditions/applications/includeApplications/{appId}"),
        permissions: READ,
        section: "§2",
        behaviour: "One linked application by appId (compared ignoring case): \
            `{ \"@odata.context\", \"appId\" }`, 404 when it is not linked. Not on the docs' \
            pages, but `includeApplications` is a contained collection keyed by `appId`, and \
            OData serves each member at its key.",
        handler: links::get_application,
    },
    Route {
        method: Method::DELETE,
        path: flow_path!("conditions/applications/includeApplications/{appId}"),
        permissions: WRITE,
        section: "§2",
        behaviour: "Unlinks an application by appId: 204, 404 when it is not linked.",
        handler: links::remove_application,
    },
    Route {
        method: Method::GET,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders"
        ),
        permissions: READ,
        section: "§3",
        behaviour: "The flow's providers, typed, secrets masked; paged by `$top`, `$filter` as \
            on the flow list.",
        handler: links::list_identity_providers,
    },
    Route {
        method: Method::POST,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/$ref"
        ),
        permissions: WRITE,
        section: "§3",
        behaviour: "Links an existing provider named by `@odata.id` (its last segment under \
            `/identityProviders/` or `/identity/identityProviders/`, any host or version): \
            204. Unknown or already linked: 400 (§16.1 convention).",
        handler: links::add_identity_provider,
    },
    Route {
        method: Method::DELETE,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/{idpId}/$ref"
        ),
        permissions: WRITE,
        section: "§3",
        behaviour: "Unlinks a provider: 204; 404 when it is not linked; 400 for the last one \
            (§15.6, §16.1 convention).",
        handler: links::remove_identity_provider,
    },
    Route {
        method: Method::GET,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes"
        ),
        permissions: READ,
        section: "§4",
        behaviour: "The flow's attributes as full objects; 400 when it has none (§15.4). Paged \
            by `$top`, `$filter` as on the flow list, `$orderby` as there over the attribute's \
            properties; `$expand` is 400 (an attribute has no navigation property).",
        handler: links::list_attributes,
    },
    Route {
        method: Method::POST,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/$ref"
        ),
        permissions: WRITE,
        section: "§4",
        behaviour: "Links an existing attribute named by `@odata.id` \
            (`…/identity/userFlowAttributes/{id}`): 204. Appends the default input to the end \
            of the first view unless the page already has one for it (§15.3, §16.3: label = \
            the attribute's displayName, `inputType` `boolean` for boolean attributes and \
            `text` otherwise, the §1.3 regex for its kind (the email one unescaped, `&’`, \
            §16.7), `required: false`, `editable: true`, `writeToDirectory: true`, `hidden: false`, `options: []`, `defaultValue: \
            null`). Creates `onAttributeCollection` if the flow has none (§15.5). Unknown or \
            already linked: 400 (§16.1 convention).",
        handler: links::add_attribute,
    },
    Route {
        method: Method::DELETE,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/{attributeId}/$ref"
        ),
        permissions: WRITE,
        section: "§4",
        behaviour: "Unlinks an attribute from `attributes` only; its input stays on the page \
            until a PATCH drops it (§15.3, §16.2): 204, 404 when it is not linked.",
        handler: links::remove_attribute,
    },
    Route {
        method: Method::PUT,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref"
        ),
        permissions: WRITE,
        section: "§9.3",
        behaviour: "Attaches an existing `onAttributeCollectionStartCustomExtension` named by \
            `@odata.id` (`…/identity/customAuthenticationExtensions/{id}`): 204. Creates the \
            handler (`configuration: null`) when the flow has none. Unknown extension or one of \
            another type: 400. Served on v1.0 too (§16.16 convention).",
        handler: links::put_start_extension,
    },
    Route {
        method: Method::GET,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref"
        ),
        permissions: READ,
        section: "§9.3",
        behaviour: "The attached extension as `{ \"@odata.id\" }`; 404 when none is attached.",
        handler: links::get_start_extension_ref,
    },
    Route {
        method: Method::GET,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension"
        ),
        permissions: READ,
        section: "§9.3",
        behaviour: "The attached extension object; 404 when none is attached.",
        handler: links::get_start_extension,
    },
    Route {
        method: Method::DELETE,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionStart/microsoft.graph.onAttributeCollectionStartCustomExtensionHandler/customExtension/$ref"
        ),
        permissions: WRITE,
        section: "§9.3",
        behaviour: "Detaches the extension, keeping the handler: 204; 404 when none is attached.",
        handler: links::delete_start_extension,
    },
    Route {
        method: Method::PUT,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension/$ref"
        ),
        permissions: WRITE,
        section: "§9.3",
        behaviour: "As for `onAttributeCollectionStart`, with an \
            `onAttributeCollectionSubmitCustomExtension`.",
        handler: links::put_submit_extension,
    },
    Route {
        method: Method::GET,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension/$ref"
        ),
        permissions: READ,
        section: "§9.3",
        behaviour: "The attached extension as `{ \"@odata.id\" }`; 404 when none is attached.",
        handler: links::get_submit_extension_ref,
    },
    Route {
        method: Method::GET,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension"
        ),
        permissions: READ,
        section: "§9.3",
        behaviour: "The attached extension object; 404 when none is attached.",
        handler: links::get_submit_extension,
    },
    Route {
        method: Method::DELETE,
        path: flow_path!(
            "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollectionSubmit/microsoft.graph.onAttributeCollectionSubmitCustomExtensionHandler/customExtension/$ref"
        ),
        permissions: WRITE,
        section: "§9.3",
        behaviour: "Detaches the extension, keeping the handler: 204; 404 when none is attached.",
        handler: links::delete_submit_extension,
    },
];

/// Behaviours of the flow routes that REFERENCE.md §16 leaves open. Each field documents the
/// convention the emulator follows by default and what the switch changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowConventions {
    /// A flow GET answers the entity at top level with `@odata.context …/$entity`, as Graph
    /// answers single entities; `true` answers `{"value": …}` as the v1.0 docs example does
    /// (REFERENCE.md §1.5, §16.4).
    pub wrap_get_in_value: bool,
    /// What a v1.0 PATCH of `priority` does (REFERENCE.md §14, §16.5).
    pub v1_priority_write: V1PriorityWrite,
    /// A PATCH whose page drops an attribute's input keeps the attribute in the flow's
    /// `attributes` by default, since the docs unlink it with `DELETE attributes/{id}/$ref`;
    /// `true` unlinks it too (REFERENCE.md §4, §16.2).
    pub page_patch_drops_attributes: bool,
    /// Flow reads show a custom-extension handler without its `customExtension` navigation by
    /// default, since the docs read it only through `GET …/customExtension`; `true` expands the
    /// attached extension inline (REFERENCE.md §9.3, §16.16).
    pub expand_custom_extensions: bool,
    /// Linking an application that a flow already includes (another flow, or the same one) is
    /// 409 by default, the status §16.1 suggests for the one-flow-per-app conflict; `true`
    /// answers 400, like every other CIAM validation failure (REFERENCE.md §2, §15.7, §16.1).
    /// The code is `invalidRequest` either way.
    pub app_conflict_is_400: bool,
    /// Deleting a flow deletes the listeners that name it in `authenticationEventsFlowId` by
    /// default, as §1.7 implies; `true` leaves them in `/identity/authenticationEventListeners`
    /// (REFERENCE.md §16.15).
    pub keep_listeners_of_deleted_flows: bool,
}

/// What a v1.0 PATCH of a flow's `priority` does. `priority` is only in the beta CSDL, though
/// v1.0 responses show it (REFERENCE.md §14, §16.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum V1PriorityWrite {
    /// 400 `invalidRequest`: write it through beta, the one version documented to take it.
    #[default]
    Reject,
    /// 204, and the priority is left as it was.
    Ignore,
    /// 204, and the priority is changed as through beta.
    Apply,
}

/// A stored user flow.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FlowRecord {
    /// The flow's own properties as stored (handlers included, navigation links excluded).
    pub object: Object,
    /// appIds of `conditions.applications.includeApplications`.
    pub applications: Vec<String>,
    /// Ids of the identity providers of `onAuthenticationMethodLoadStart`.
    pub identity_providers: Vec<String>,
    /// Ids of the user-flow attributes of `onAttributeCollection`.
    pub attributes: Vec<String>,
    /// Id of the custom extension of `onAttributeCollectionStart`.
    pub attribute_collection_start_extension: Option<String>,
    /// Id of the custom extension of `onAttributeCollectionSubmit`.
    pub attribute_collection_submit_extension: Option<String>,
}

impl FlowRecord {
    /// The flow's id.
    pub(crate) fn id(&self) -> &str {
        self.object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn display_name(&self) -> &str {
        self.object
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// How messages name the flow: its display name, or its id when it has none.
    pub(crate) fn name(&self) -> &str {
        self.object
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or_else(|| self.id())
    }
}

/// Whether `ids`, one of a flow's link lists, holds `id` (ids compare without case, as Graph's
/// keys do).
fn has_id(ids: &[String], id: &str) -> bool {
    ids.iter().any(|known| known.eq_ignore_ascii_case(id))
}

/// The first flow whose `links` (its identity providers, attributes, ...) hold `id`: an object
/// a flow still links cannot be deleted (REFERENCE.md §16.1).
pub(crate) fn flow_linking<'t>(
    tenant: &'t Tenant,
    id: &str,
    links: impl Fn(&FlowRecord) -> &[String],
) -> Option<&'t FlowRecord> {
    tenant.flows.iter().find(|flow| has_id(links(flow), id))
}

/// The index of flow `id` in the tenant, or Graph's 404.
fn position(tenant: &Tenant, id: &str) -> Result<usize, GraphError> {
    tenant
        .flows
        .iter()
        .position(|f| f.id().eq_ignore_ascii_case(id))
        .ok_or_else(|| GraphError::resource_not_found(id))
}

/// Flow `id`, or Graph's 404.
fn find<'t>(tenant: &'t Tenant, id: &str) -> Result<&'t FlowRecord, GraphError> {
    position(tenant, id).map(|i| &tenant.flows[i])
}

/// Runs `change` on a copy of flow `{id}` and stores it when the change succeeds.
fn modify<R>(
    ctx: &Ctx,
    params: &Params,
    change: impl FnOnce(&Tenant, &mut FlowRecord) -> Result<R, GraphError>,
) -> Result<R, GraphError> {
    let id = params.get("id")?;
    ctx.store.write(|tenant| {
        let index = position(tenant, id)?;
        let mut record = tenant.flows[index].clone();
        let out = change(tenant, &mut record)?;
        tenant.flows[index] = record;
        Ok(out)
    })
}

/// A change of flow `{id}` answered 204: [`modify`].
fn update(
    ctx: &Ctx,
    params: &Params,
    change: impl FnOnce(&Tenant, &mut FlowRecord) -> Result<(), GraphError>,
) -> Result<GraphResponse, GraphError> {
    modify(ctx, params, change)?;
    Ok(GraphResponse::no_content())
}

/// The request body checked against the flow type (`@odata.type` on the flow and on every
/// handler, property types, enum members) and normalised by `types::accept`: canonical
/// `@odata.type` values, enum members in the CSDL's casing (§15.24), no `id` on update.
fn accepted_flow_body(req: &GraphRequest, mode: WriteMode) -> Result<Object, GraphError> {
    let accepted = crate::types::accept(
        &req.json_object()?,
        "authenticationEventsFlow",
        mode,
        req.version,
    )?;
    if accepted.type_name.eq_ignore_ascii_case(FLOW_TYPE) {
        Ok(accepted.body)
    } else {
        Err(invalid(format!(
            "The '@odata.type' of a user flow must be '{}', not '{}'.",
            odata::type_value(FLOW_TYPE),
            accepted.type_name
        )))
    }
}

fn list_flows(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    let expanded = shape::expansions(req, &ctx.config.conventions.flows)?;
    let items = ctx.store.read(|tenant| {
        tenant
            .flows
            .iter()
            .map(|record| {
                Value::Object(shape::read(
                    &ctx.base,
                    req.version,
                    &expanded,
                    tenant,
                    record,
                ))
            })
            .collect::<Vec<_>>()
    });
    query::list_response(
        ctx,
        req,
        &Listing {
            fragment: COLLECTION,
            type_name: FLOW_TYPE,
            filter: Filterable::Everything,
            page_size: None,
            order_by: true,
            expand: true,
        },
        items,
    )
}

fn create_flow(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    let body = accepted_flow_body(req, WriteMode::Create)?;
    let record = ctx.store.write(|tenant| {
        let mut record = shape::new_record(&uuid::Uuid::new_v4().to_string());
        body::apply(
            tenant,
            &mut record,
            &body,
            WriteMode::Create,
            req.version,
            &ctx.config.conventions.flows,
        )?;
        tenant.flows.push(record.clone());
        Ok(record)
    })?;
    Ok(shape::created(&ctx.base, req.version, &record))
}

fn get_flow(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let conventions = &ctx.config.conventions.flows;
    let expanded = shape::expansions(req, conventions)?;
    let mut flow = ctx.store.read(|tenant| {
        find(tenant, id)
            .map(|record| shape::read(&ctx.base, req.version, &expanded, tenant, record))
    })?;
    query::entity_options(req, &mut flow, FLOW_TYPE, &["$expand"])?;
    if conventions.wrap_get_in_value {
        // The v1.0 get example wraps the entity and has no context (REFERENCE.md §1.5, §16.4).
        return Ok(GraphResponse::ok(serde_json::json!({ "value": flow })));
    }
    Ok(crate::types::entity_response(
        &ctx.base,
        req.version,
        &format!("{COLLECTION}/$entity"),
        flow,
    ))
}

fn update_flow(
    ctx: &Ctx,
    req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let body = accepted_flow_body(req, WriteMode::Update)?;
    update(ctx, params, |tenant, record| {
        body::apply(
            tenant,
            record,
            &body,
            WriteMode::Update,
            req.version,
            &ctx.config.conventions.flows,
        )
    })
}

fn delete_flow(
    ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    ctx.store.write(|tenant| {
        let index = position(tenant, id)?;
        let removed = tenant.flows.remove(index);
        if ctx.config.conventions.flows.keep_listeners_of_deleted_flows {
            return Ok(());
        }
        // The listeners Graph creates behind a flow go with it (REFERENCE.md §1.7, §16.15).
        tenant.listeners.retain(|listener| {
            listener
                .get("authenticationEventsFlowId")
                .and_then(Value::as_str)
                .is_none_or(|flow| !flow.eq_ignore_ascii_case(removed.id()))
        });
        Ok(())
    })?;
    Ok(GraphResponse::no_content())
}

/// The two attribute-collection events a custom extension can be attached to (REFERENCE.md §9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExtensionEvent {
    Start,
    Submit,
}

impl ExtensionEvent {
    const ALL: [Self; 2] = [Self::Start, Self::Submit];

    /// The flow property holding the handler.
    fn property(self) -> &'static str {
        match self {
            Self::Start => "onAttributeCollectionStart",
            Self::Submit => "onAttributeCollectionSubmit",
        }
    }

    /// The handler's one concrete type.
    fn handler_type(self) -> &'static str {
        match self {
            Self::Start => "onAttributeCollectionStartCustomExtensionHandler",
            Self::Submit => "onAttributeCollectionSubmitCustomExtensionHandler",
        }
    }

    /// The type an extension must have to be attached here.
    fn extension_type(self) -> &'static str {
        match self {
            Self::Start => "onAttributeCollectionStartCustomExtension",
            Self::Submit => "onAttributeCollectionSubmitCustomExtension",
        }
    }

    fn slot(self, record: &FlowRecord) -> Option<&str> {
        match self {
            Self::Start => record.attribute_collection_start_extension.as_deref(),
            Self::Submit => record.attribute_collection_submit_extension.as_deref(),
        }
    }

    fn slot_mut(self, record: &mut FlowRecord) -> &mut Option<String> {
        match self {
            Self::Start => &mut record.attribute_collection_start_extension,
            Self::Submit => &mut record.attribute_collection_submit_extension,
        }
    }
}

/// The stored id of provider `id`, which must exist before a flow links it (§15.6).
fn resolve_identity_provider(tenant: &Tenant, id: &str) -> Result<String, GraphError> {
    crate::routes::identity_providers::PROVIDERS
        .find(tenant, id)
        .and_then(|p| p.get("id").and_then(Value::as_str))
        .map(str::to_owned)
        .ok_or_else(|| {
            invalid(format!(
                "The identity provider '{id}' does not exist in this tenant; create it under \
                 /identity/identityProviders before linking it (REFERENCE.md §3)."
            ))
        })
}

/// Attribute `id`, which must exist before a flow links it (REFERENCE.md §4).
fn resolve_attribute<'t>(tenant: &'t Tenant, id: &str) -> Result<&'t Object, GraphError> {
    crate::routes::user_flow_attributes::ATTRIBUTES
        .find(tenant, id)
        .ok_or_else(|| {
            invalid(format!(
                "The user flow attribute '{id}' does not exist in this tenant; create it under \
             /identity/userFlowAttributes before adding it (REFERENCE.md §4)."
            ))
        })
}

/// The stored id of extension `id`, which must exist and be of the type `event` takes.
fn resolve_extension(
    tenant: &Tenant,
    id: &str,
    event: ExtensionEvent,
) -> Result<String, GraphError> {
    let found = extensions::EXTENSIONS.find(tenant, id).ok_or_else(|| {
        invalid(format!(
            "The custom authentication extension '{id}' does not exist in this tenant."
        ))
    })?;
    let actual = crate::types::type_of(found);
    if !actual.eq_ignore_ascii_case(event.extension_type()) {
        return Err(invalid(format!(
            "The custom authentication extension '{id}' is an '{actual}'; {} takes an '{}'.",
            event.property(),
            event.extension_type()
        )));
    }
    Ok(crate::types::id_of(found).to_owned())
}

/// The appId of an application (or service principal) of the tenant: a flow links apps by
/// their client id (REFERENCE.md §2), and only apps the directory knows.
fn resolve_app_id(tenant: &Tenant, app_id: &str) -> Result<String, GraphError> {
    tenant
        .applications
        .iter()
        .map(|a| &a.app_id)
        .chain(tenant.service_principals.iter().map(|sp| &sp.app_id))
        .find(|known| known.eq_ignore_ascii_case(app_id))
        .cloned()
        .ok_or_else(|| {
            invalid(format!(
                "No application with appId '{app_id}' exists in this tenant."
            ))
        })
}

/// 409 when `app_id` is already linked to a flow other than `flow_id` (§15.7).
fn check_app_unlinked_elsewhere(
    tenant: &Tenant,
    flow_id: &str,
    app_id: &str,
    conventions: &FlowConventions,
) -> Result<(), GraphError> {
    match tenant
        .flows
        .iter()
        .find(|f| !f.id().eq_ignore_ascii_case(flow_id) && has_id(&f.applications, app_id))
    {
        Some(other) => Err(conflict(
            conventions,
            format!(
                "The application '{app_id}' is already linked to the user flow '{}' ({}); an \
                 application can be linked to one user flow only.",
                other.display_name(),
                other.id()
            ),
        )),
        None => Ok(()),
    }
}

/// 400 `invalidRequest` with `message` (the §16.1 convention for CIAM validation failures).
fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::bad_request(message)
}

/// 409 for an application another flow already includes (§15.7; status per §16.1's
/// suggestion, code kept as `invalidRequest` like every other flow validation failure).
/// An application linked twice (REFERENCE.md §2, §15.7): 409 as §16.1 suggests, or 400 under
/// `FlowConventions::app_conflict_is_400`; `invalidRequest` either way.
fn conflict(conventions: &FlowConventions, message: impl Into<String>) -> GraphError {
    let status = if conventions.app_conflict_is_400 {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::CONFLICT
    };
    GraphError::new(status, "invalidRequest", message)
}
