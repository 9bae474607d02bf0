//! The shapes a flow is stored and answered in (REFERENCE.md §1.4, §1.5, §15.8, §15.9).
//!
//! The stored object is the create response without its context: every property in the order
//! the docs' create response shows, unset handlers `null`, `priority` 500, navigation links
//! left out. Reads add the links back, joined with the tenant's objects.

use http::StatusCode;
use serde_json::{Value, json};

use super::FlowConventions;
use super::{COLLECTION, ExtensionEvent, FLOW_TYPE, FlowRecord};
use crate::error::GraphError;
use crate::odata::{self, BaseUrl};
use crate::request::{ApiVersion, GraphRequest, GraphResponse};
use crate::routes::{extensions, identity_providers, user_flow_attributes};
use crate::state::{Object, Tenant, into_object};
use crate::types;

/// The priority of a flow created without one (REFERENCE.md §1.2).
const DEFAULT_PRIORITY: i64 = 500;

/// A flow with every property at its default, ready for a create body to be applied.
pub(super) fn new_record(id: &str) -> FlowRecord {
    let object = json!({
        "@odata.type": odata::type_value(FLOW_TYPE),
        "id": id,
        "displayName": null,
        "description": null,
        "priority": DEFAULT_PRIORITY,
        "onAttributeCollectionStart": null,
        "onAttributeCollectionSubmit": null,
        "onUserCreateStart": null,
        "conditions": { "applications": { "includeAllApplications": false } },
        "onInteractiveAuthFlowStart": null,
        "onAuthenticationMethodLoadStart": null,
        "onAttributeCollection": null
    });
    FlowRecord {
        object: into_object(object),
        ..FlowRecord::default()
    }
}

/// The create response (§15.8): the stored object, so the identity providers and attributes
/// are not expanded and `conditions.applications` is only `includeAllApplications`.
pub(super) fn created(base: &BaseUrl, version: ApiVersion, record: &FlowRecord) -> GraphResponse {
    types::entity_response(
        base,
        version,
        &format!("{COLLECTION}/$entity"),
        record.object.clone(),
    )
    .with_status(StatusCode::CREATED)
}

/// The get and list shape (§15.9): linked applications inline with their context, identity
/// providers typed with secrets masked, attributes as full objects; the attached extensions of
/// the `expanded` events inline too.
pub(super) fn read(
    base: &BaseUrl,
    version: ApiVersion,
    expanded: &[ExtensionEvent],
    tenant: &Tenant,
    record: &FlowRecord,
) -> Object {
    let mut flow = record.object.clone();
    if let Some(Value::Object(applications)) = flow
        .get_mut("conditions")
        .and_then(|c| c.get_mut("applications"))
    {
        applications.insert(
            "includeApplications@odata.context".into(),
            json!(base.context(
                version,
                &format!(
                    "{COLLECTION}('{}')/microsoft.graph.{FLOW_TYPE}/conditions/applications/includeApplications",
                    record.id()
                )
            )),
        );
        applications.insert(
            "includeApplications".into(),
            record
                .applications
                .iter()
                .map(|app_id| json!({ "appId": app_id }))
                .collect(),
        );
    }
    if let Some(Value::Object(handler)) = flow.get_mut("onAuthenticationMethodLoadStart") {
        handler.insert(
            "identityProviders".into(),
            identity_providers_of(tenant, record).into(),
        );
    }
    if let Some(Value::Object(handler)) = flow.get_mut("onAttributeCollection") {
        handler.insert("attributes".into(), attributes_of(tenant, record).into());
    }
    for event in expanded {
        let extension = event
            .slot(record)
            .and_then(|id| extensions::EXTENSIONS.find(tenant, id));
        if let (Some(Value::Object(handler)), Some(extension)) =
            (flow.get_mut(event.property()), extension)
        {
            handler.insert("customExtension".into(), Value::Object(extension.clone()));
        }
    }
    flow
}

/// The events whose attached extension a read shows inline: those the request's `$expand`
/// names, and every one under `FlowConventions::expand_custom_extensions`.
///
/// `$expand` takes comma-separated navigation paths from the flow, cast segments allowed and
/// skipped (OData's form for a navigation property inside a derived complex value), or `*`.
/// `conditions/applications/includeApplications`, `onAuthenticationMethodLoadStart/
/// identityProviders` and `onAttributeCollection/attributes` are inline in every read already
/// (§15.9), so naming them changes nothing; `onAttributeCollectionStart/customExtension` and
/// `onAttributeCollectionSubmit/customExtension` inline that extension. Another path is 400
/// `Request_BadRequest`, nested options (`identityProviders($select=id)`) 400
/// `Request_UnsupportedQuery`: the contract shows no `$expand` value (§1.1).
pub(super) fn expansions(
    req: &GraphRequest,
    conventions: &FlowConventions,
) -> Result<Vec<ExtensionEvent>, GraphError> {
    if conventions.expand_custom_extensions {
        return Ok(ExtensionEvent::ALL.to_vec());
    }
    let Some(text) = req.query_param("$expand") else {
        return Ok(Vec::new());
    };
    let mut events = Vec::new();
    for item in text.split(',').map(str::trim) {
        if item.contains('(') {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                format!("The emulator does not support options inside $expand ('{item}')."),
            ));
        }
        let path: Vec<String> = item
            .split('/')
            .filter(|segment| !segment.contains('.'))
            .map(str::to_ascii_lowercase)
            .collect();
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["*"] => return Ok(ExtensionEvent::ALL.to_vec()),
            ["conditions", "applications", "includeapplications"]
            | ["onauthenticationmethodloadstart", "identityproviders"]
            | ["onattributecollection", "attributes"] => {}
            [handler, "customextension"] => {
                let event = ExtensionEvent::ALL
                    .into_iter()
                    .find(|e| e.property().eq_ignore_ascii_case(handler))
                    .ok_or_else(|| unknown_navigation(item))?;
                events.push(event);
            }
            _ => return Err(unknown_navigation(item)),
        }
    }
    Ok(events)
}

/// 400: `$expand` names no navigation property of a flow.
fn unknown_navigation(item: &str) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        format!(
            "Could not find a navigation property named '{item}' on type 'microsoft.graph.{FLOW_TYPE}'."
        ),
    )
}

/// The flow's identity providers as reads show them (typed, secrets masked). A provider deleted
/// from the tenant since it was linked is left out rather than failing the read.
pub(super) fn identity_providers_of(tenant: &Tenant, record: &FlowRecord) -> Vec<Value> {
    record
        .identity_providers
        .iter()
        .filter_map(|id| identity_providers::PROVIDERS.find(tenant, id))
        .map(|provider| Value::Object(identity_providers::read_shape(provider)))
        .collect()
}

/// The flow's attributes as full `identityUserFlowAttribute` objects.
pub(super) fn attributes_of(tenant: &Tenant, record: &FlowRecord) -> Vec<Value> {
    record
        .attributes
        .iter()
        .filter_map(|id| user_flow_attributes::ATTRIBUTES.find(tenant, id))
        .map(|attribute| Value::Object(user_flow_attributes::read_shape(attribute)))
        .collect()
}
