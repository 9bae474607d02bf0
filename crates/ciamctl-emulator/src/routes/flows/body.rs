//! Applying a create or PATCH body to a flow (REFERENCE.md §1.2, §1.4, §1.6).
//!
//! Create and PATCH share one pass over the body: a create starts from a flow with every
//! property at its default and then checks that the required ones were given. The body has
//! passed `types::accept` (property and enum types, `@odata.type` everywhere, `id`), so this
//! pass checks what needs the tenant or the flow (references, uniqueness, the page's inputs)
//! and stores each property in the shape Graph answers with.

use serde_json::{Value, json};

use super::{
    ExtensionEvent, FlowRecord, check_app_unlinked_elsewhere, has_id, invalid, page,
    resolve_app_id, resolve_attribute, resolve_extension, resolve_identity_provider,
};
use super::{FlowConventions, V1PriorityWrite};
use crate::error::GraphError;
use crate::odata;
use crate::request::ApiVersion;
use crate::state::{Object, Tenant};
use crate::types::{self, WriteMode};

const INTERACTIVE_AUTH_FLOW_START: Handler = Handler {
    property: "onInteractiveAuthFlowStart",
    concrete: "onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
};
const AUTHENTICATION_METHOD_LOAD_START: Handler = Handler {
    property: "onAuthenticationMethodLoadStart",
    concrete: "onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
};
const ATTRIBUTE_COLLECTION: Handler = Handler {
    property: "onAttributeCollection",
    concrete: "onAttributeCollectionExternalUsersSelfServiceSignUp",
};
const USER_CREATE_START: Handler = Handler {
    property: "onUserCreateStart",
    concrete: "onUserCreateStartExternalUsersSelfServiceSignUp",
};

/// A handler property of the flow and the one concrete type a self-service sign-up flow takes
/// there (the CSDL's handler types are abstract, REFERENCE.md §0.4).
#[derive(Debug, Clone, Copy)]
struct Handler {
    property: &'static str,
    concrete: &'static str,
}

impl Handler {
    /// The handler object of `value` with its `@odata.type` first, or `None` for `null`.
    /// `types::accept` saw a canonical `@odata.type` on it (§15.1); it must also be the one
    /// concrete type this flow takes here.
    fn parse(self, value: &Value) -> Result<Option<Object>, GraphError> {
        let Some(object) = value.as_object() else {
            return Ok(None);
        };
        let given = object
            .get("@odata.type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !types::unqualified(given).eq_ignore_ascii_case(self.concrete) {
            return Err(invalid(format!(
                "'{}' of a user flow takes \"@odata.type\": \"{}\", not '{given}'.",
                self.property,
                odata::type_value(self.concrete)
            )));
        }
        let mut out = Object::new();
        out.insert("@odata.type".into(), json!(given));
        out.extend(
            object
                .iter()
                .filter(|(k, _)| *k != "@odata.type")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        Ok(Some(out))
    }

    fn required(self) -> GraphError {
        invalid(format!("Property '{}' is required.", self.property))
    }
}

/// Applies `body` to `record`: a create when `mode` is [`WriteMode::Create`] (then `record` is
/// a fresh one from `shape::new_record`), a PATCH otherwise.
pub(super) fn apply(
    tenant: &Tenant,
    record: &mut FlowRecord,
    body: &Object,
    mode: WriteMode,
    version: ApiVersion,
    conventions: &FlowConventions,
) -> Result<(), GraphError> {
    for (key, value) in body {
        match key.as_str() {
            "displayName" => display_name(tenant, record, value)?,
            "description" => {
                record.object.insert(key.clone(), value.clone());
            }
            "priority" => priority(record, value, mode, version, conventions)?,
            "conditions" => conditions(tenant, record, value, conventions)?,
            "onInteractiveAuthFlowStart" => {
                let handler = INTERACTIVE_AUTH_FLOW_START
                    .parse(value)?
                    .ok_or_else(|| INTERACTIVE_AUTH_FLOW_START.required())?;
                record.object.insert(key.clone(), Value::Object(handler));
            }
            "onAuthenticationMethodLoadStart" => {
                authentication_method_load_start(tenant, record, value, mode)?;
            }
            "onAttributeCollection" => {
                attribute_collection(tenant, record, value, mode, conventions)?;
            }
            "onUserCreateStart" => user_create_start(record, value)?,
            "onAttributeCollectionStart" => {
                extension_handler(tenant, record, value, ExtensionEvent::Start)?;
            }
            "onAttributeCollectionSubmit" => {
                extension_handler(tenant, record, value, ExtensionEvent::Submit)?;
            }
            // The service's id and type stay; instance annotations are not properties.
            key if key == "id" || key.contains('@') => {}
            // The flow type is open: `types::accept` let these through as dynamic properties,
            // which Graph stores and returns.
            _ => {
                record.object.insert(key.clone(), value.clone());
            }
        }
    }
    if mode == WriteMode::Create {
        if record.display_name().is_empty() {
            return Err(invalid("Property 'displayName' is required."));
        }
        if record.object["onInteractiveAuthFlowStart"].is_null() {
            return Err(INTERACTIVE_AUTH_FLOW_START.required());
        }
        if record.object["onAuthenticationMethodLoadStart"].is_null() {
            return Err(AUTHENTICATION_METHOD_LOAD_START.required());
        }
    }
    Ok(())
}

/// `displayName`: a name (`types::accept` saw a string) no other flow of the tenant has
/// (REFERENCE.md §1.2), compared without case as Entra compares names.
fn display_name(tenant: &Tenant, record: &mut FlowRecord, value: &Value) -> Result<(), GraphError> {
    let name = value
        .as_str()
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| invalid("Property 'displayName' must not be blank."))?;
    if let Some(other) = tenant.flows.iter().find(|f| {
        !f.id().eq_ignore_ascii_case(record.id()) && f.display_name().eq_ignore_ascii_case(name)
    }) {
        return Err(invalid(format!(
            "A user flow named '{name}' already exists ({}); display names must be unique.",
            other.id()
        )));
    }
    record.object.insert("displayName".into(), json!(name));
    Ok(())
}

/// `priority`, an Int32. Only beta's CSDL has it; what a v1.0 PATCH does is open
/// (REFERENCE.md §16.5) and `FlowConventions::v1_priority_write` decides. The v1.0 create page
/// lists it in the body (§1.4), so creates take it on both versions.
fn priority(
    record: &mut FlowRecord,
    value: &Value,
    mode: WriteMode,
    version: ApiVersion,
    conventions: &FlowConventions,
) -> Result<(), GraphError> {
    let priority = value
        .as_i64()
        .filter(|p| i32::try_from(*p).is_ok())
        .ok_or_else(|| invalid("Property 'priority' must be an Int32."))?;
    if mode == WriteMode::Update && version == ApiVersion::V1 {
        match conventions.v1_priority_write {
            V1PriorityWrite::Reject => {
                return Err(invalid(
                    "Property 'priority' is not part of the v1.0 user flow; update it through \
                     the beta endpoint (REFERENCE.md §14, §16.5).",
                ));
            }
            V1PriorityWrite::Ignore => return Ok(()),
            V1PriorityWrite::Apply => {}
        }
    }
    record.object.insert("priority".into(), json!(priority));
    Ok(())
}

/// `conditions`: `includeAllApplications` is stored as sent (default `false`). The app links
/// (`includeApplications`, a navigation) change only when the body sends them, and then become
/// exactly the apps sent.
fn conditions(
    tenant: &Tenant,
    record: &mut FlowRecord,
    value: &Value,
    conventions: &FlowConventions,
) -> Result<(), GraphError> {
    let applications = &value["applications"];
    let include_all = applications["includeAllApplications"]
        .as_bool()
        .unwrap_or(false);
    if let Some(apps) = applications.get("includeApplications") {
        let mut linked: Vec<String> = Vec::new();
        for app in page::items(apps) {
            let app_id = resolve_app_id(tenant, app["appId"].as_str().unwrap_or_default())?;
            check_app_unlinked_elsewhere(tenant, record.id(), &app_id, conventions)?;
            if !has_id(&linked, &app_id) {
                linked.push(app_id);
            }
        }
        record.applications = linked;
    }
    record.object.insert(
        "conditions".into(),
        json!({ "applications": { "includeAllApplications": include_all } }),
    );
    Ok(())
}

/// Resolves the `{ "id" }` objects of a navigation collection sent in a body (the docs send
/// them, or the full objects, on create: REFERENCE.md §1.4; `types::accept` saw an `id` in
/// each), without duplicates.
fn referenced_ids(
    value: &Value,
    resolve: impl Fn(&str) -> Result<String, GraphError>,
) -> Result<Vec<String>, GraphError> {
    let mut ids: Vec<String> = Vec::new();
    for item in page::items(value) {
        let id = resolve(item["id"].as_str().unwrap_or_default())?;
        if !has_id(&ids, &id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// `onAuthenticationMethodLoadStart`: required, and its `identityProviders` name at least one
/// existing provider (REFERENCE.md §1.2, §15.6). A PATCH without `identityProviders` keeps the
/// linked ones.
fn authentication_method_load_start(
    tenant: &Tenant,
    record: &mut FlowRecord,
    value: &Value,
    mode: WriteMode,
) -> Result<(), GraphError> {
    let spec = AUTHENTICATION_METHOD_LOAD_START;
    let mut handler = spec.parse(value)?.ok_or_else(|| spec.required())?;
    match handler.remove("identityProviders") {
        Some(providers) => {
            let ids = referenced_ids(&providers, |id| resolve_identity_provider(tenant, id))?;
            if ids.is_empty() {
                return Err(at_least_one_provider());
            }
            record.identity_providers = ids;
        }
        None if mode == WriteMode::Create => return Err(at_least_one_provider()),
        None => {}
    }
    record
        .object
        .insert(spec.property.into(), Value::Object(handler));
    Ok(())
}

/// The 400 for a flow left without identity providers (REFERENCE.md §1.2, §15.6).
pub(super) fn at_least_one_provider() -> GraphError {
    invalid(
        "A user flow needs at least one identity provider in \
         onAuthenticationMethodLoadStart.identityProviders.",
    )
}

/// `onAttributeCollection` (REFERENCE.md §1.2, §1.6). A create may leave it out. A PATCH can
/// change it only on a flow that has one (§15.5), merges its top-level properties, keeps the
/// linked attributes unless it sends `attributes`, and replaces the page whole when it sends
/// one (§15.2). Every input of a sent page must name one of the flow's attributes.
fn attribute_collection(
    tenant: &Tenant,
    record: &mut FlowRecord,
    value: &Value,
    mode: WriteMode,
    conventions: &FlowConventions,
) -> Result<(), GraphError> {
    let spec = ATTRIBUTE_COLLECTION;
    let existing = record
        .object
        .get(spec.property)
        .cloned()
        .unwrap_or(Value::Null);
    if mode == WriteMode::Update && existing.is_null() {
        return Err(invalid(
            "onAttributeCollection cannot be added by PATCH to a user flow created without it; \
             add an attribute with POST .../onAttributeCollection/microsoft.graph.\
             onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/$ref instead \
             (REFERENCE.md §1.6).",
        ));
    }
    let Some(mut sent) = spec.parse(value)? else {
        if mode == WriteMode::Update {
            return Err(invalid(
                "onAttributeCollection cannot be removed from a user flow.",
            ));
        }
        record.object.insert(spec.property.into(), Value::Null);
        record.attributes.clear();
        return Ok(());
    };
    let mut attributes = match sent.remove("attributes") {
        Some(attributes) => referenced_ids(&attributes, |id| {
            resolve_attribute(tenant, id).map(|a| types::id_of(a).to_owned())
        })?,
        None if mode == WriteMode::Create => Vec::new(),
        None => record.attributes.clone(),
    };
    let sent_page = sent.remove("attributeCollectionPage");
    let mut handler = match existing {
        Value::Object(handler) => handler,
        _ => crate::state::into_object(json!({
            "@odata.type": odata::type_value(spec.concrete),
            "accessPackages": [],
            "attributeCollectionPage": page::empty(),
        })),
    };
    handler.extend(sent);
    if let Some(sent_page) = sent_page {
        let new_page = page::normalize(&sent_page, &attributes)?;
        if mode == WriteMode::Update && conventions.page_patch_drops_attributes {
            // REFERENCE.md §16.2: an attribute whose input the PATCH dropped leaves the flow too.
            let old_inputs = handler
                .get("attributeCollectionPage")
                .map(page::input_attributes)
                .unwrap_or_default();
            let new_inputs = page::input_attributes(&new_page);
            attributes.retain(|a| {
                let dropped = old_inputs.iter().any(|i| i.eq_ignore_ascii_case(a))
                    && !new_inputs.iter().any(|i| i.eq_ignore_ascii_case(a));
                !dropped
            });
        }
        handler.insert("attributeCollectionPage".into(), new_page);
    }
    record.attributes = attributes;
    record
        .object
        .insert(spec.property.into(), Value::Object(handler));
    Ok(())
}

/// `onUserCreateStart`: replaced as a value, with `accessPackages: []` as the docs' get
/// response shows (REFERENCE.md §1.2).
fn user_create_start(record: &mut FlowRecord, value: &Value) -> Result<(), GraphError> {
    let handler = match USER_CREATE_START.parse(value)? {
        None => Value::Null,
        Some(mut handler) => {
            handler.entry("accessPackages").or_insert_with(|| json!([]));
            Value::Object(handler)
        }
    };
    record
        .object
        .insert(USER_CREATE_START.property.into(), handler);
    Ok(())
}

/// `onAttributeCollectionStart` / `onAttributeCollectionSubmit`: replaced as a value, `null`
/// detaches the extension. The handler may name its extension as `customExtension: { "id" }`
/// (the CSDL's navigation, as listeners do on create) or `customExtension@odata.bind`
/// (REFERENCE.md §9.3, §16.16); without either, the attached extension stays.
fn extension_handler(
    tenant: &Tenant,
    record: &mut FlowRecord,
    value: &Value,
    event: ExtensionEvent,
) -> Result<(), GraphError> {
    let spec = Handler {
        property: event.property(),
        concrete: event.handler_type(),
    };
    let Some(mut handler) = spec.parse(value)? else {
        record.object.insert(spec.property.into(), Value::Null);
        *event.slot_mut(record) = None;
        return Ok(());
    };
    match (
        handler.remove("customExtension"),
        handler.remove("customExtension@odata.bind"),
    ) {
        (None, None) => {}
        (Some(Value::Null), None) => *event.slot_mut(record) = None,
        (Some(extension), None) => {
            let id = extension["id"].as_str().unwrap_or_default();
            *event.slot_mut(record) = Some(resolve_extension(tenant, id, event)?);
        }
        (None, Some(bind)) => {
            let url = bind.as_str().unwrap_or_default();
            let id = odata::ref_key(url, crate::routes::extensions::EXTENSION_REF_SETS)?;
            *event.slot_mut(record) = Some(resolve_extension(tenant, &id, event)?);
        }
        (Some(_), Some(_)) => {
            return Err(invalid(
                "Name the custom extension once, as 'customExtension': { \"id\" } or as \
                 'customExtension@odata.bind'.",
            ));
        }
    }
    handler.entry("configuration").or_insert(Value::Null);
    record
        .object
        .insert(spec.property.into(), Value::Object(handler));
    Ok(())
}
