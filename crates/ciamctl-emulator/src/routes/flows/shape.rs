//! The shapes a flow is stored and answered in (REFERENCE.md §1.4, §1.5, §15.8, §15.9).
//!
//! The stored object is the create response without its context: every property in the order
//! the docs' create response shows, unset handlers `null`, `priority` 500, navigation links
//! left out. Reads add the links back, joined with the tenant's objects.

use http::StatusCode;
use serde_json::{Value, json};

use super::FlowConventions;
use super::{COLLECTION, ExtensionEvent, FLOW_TYPE, FlowRecord};
use crate::odata::{self, BaseUrl};
use crate::request::{ApiVersion, GraphResponse};
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
/// providers typed with secrets masked, attributes as full objects.
pub(super) fn read(
    base: &BaseUrl,
    version: ApiVersion,
    conventions: &FlowConventions,
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
    if conventions.expand_custom_extensions {
        for event in ExtensionEvent::ALL {
            let extension = event
                .slot(record)
                .and_then(|id| extensions::EXTENSIONS.find(tenant, id));
            if let (Some(Value::Object(handler)), Some(extension)) =
                (flow.get_mut(event.property()), extension)
            {
                handler.insert("customExtension".into(), Value::Object(extension.clone()));
            }
        }
    }
    flow
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
