//! User-flow attributes (REFERENCE.md §5, §17).
//!
//! The tenant holds the built-in attributes of an external tenant (§17) and the custom ones
//! created here. Conventions where the contract is open:
//!
//! - A custom attribute's id is `extension_<appId of b2c-extensions-app without dashes>_<Name>`,
//!   `Name` being the display name with its white space removed and its casing kept ("Favorite
//!   color" → `Favoritecolor`, §5, §16.17). `Name` must then consist of ASCII letters, digits
//!   and `_`, the characters Entra allows in extension property names; anything else is 400.
//! - Ids compare case-insensitively. Creating an attribute whose id is already taken (say
//!   "Hobby" after "hob by") is 400 `invalidRequest` naming the existing id (§16.1, §16.17).
//! - Deleting a custom attribute that a user flow still collects is 400 `invalidRequest`
//!   naming the flow (§16.1); remove it from the flow first.
//! - Built-ins cannot be updated or deleted (400); PATCH takes `description` only and
//!   `dataType` is immutable (§15.12).

use http::Method;
use serde_json::{Value, json};

use super::collection::Collection;
use super::flows::flow_linking;
use crate::Ctx;
use crate::error::GraphError;
use crate::query::{Filterable, Listing, Op};
use crate::request::{GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::state::{Object, into_object};
use crate::types::{self, WriteMode};

const READ: &[&str] = &["IdentityUserFlow.Read.All"];
const WRITE: &[&str] = &["IdentityUserFlow.ReadWrite.All"];
const TYPE: &str = "identityUserFlowAttribute";

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "identity/userFlowAttributes",
        permissions: READ,
        section: "§5",
        behaviour: "Built-in and custom attributes; `$filter` with `eq`/`ne` on id, displayName, dataType, userFlowAttributeType (and/or), `$select`, `$top`.",
        handler: list,
    },
    Route {
        method: Method::POST,
        path: "identity/userFlowAttributes",
        permissions: WRITE,
        section: "§5",
        behaviour: "Creates a custom attribute (dataType string, boolean or int64): 201 with `Location`; id `extension_<extensions appId without dashes>_<displayName without spaces>`, a taken id is 400 (§16.17).",
        handler: create,
    },
    Route {
        method: Method::GET,
        path: "identity/userFlowAttributes/{id}",
        permissions: READ,
        section: "§5",
        behaviour: "One attribute; ids compare case-insensitively. `$select`.",
        handler: get,
    },
    Route {
        method: Method::GET,
        path: "identity/userFlowAttributes('{id}')",
        permissions: READ,
        section: "§5",
        behaviour: "One attribute by the key form the create response's `Location` uses. `$select`.",
        handler: get,
    },
    Route {
        method: Method::PATCH,
        path: "identity/userFlowAttributes/{id}",
        permissions: WRITE,
        section: "§5",
        behaviour: "Updates `description` of a custom attribute (204); anything else, or a built-in, is 400.",
        handler: update,
    },
    Route {
        method: Method::DELETE,
        path: "identity/userFlowAttributes/{id}",
        permissions: WRITE,
        section: "§5",
        behaviour: "Deletes a custom attribute (204); a built-in, or one a user flow still collects, is 400 (§16.1).",
        handler: delete,
    },
];

/// The data types a custom attribute can be created with (§5).
const CREATABLE_DATA_TYPES: &[&str] = &["string", "boolean", "int64"];

/// The built-in attributes of an external tenant (REFERENCE.md §17).
pub(crate) fn built_ins() -> Vec<Object> {
    [
        ("city", "City", "Your city"),
        ("country", "Country/Region", "Your country or region"),
        ("displayName", "Display Name", "Display Name of the User."),
        ("email", "Email Address", "Email address of the user"),
        (
            "givenName",
            "Given Name",
            "Your given name (also known as first name).",
        ),
        ("jobTitle", "Job Title", "Your job title."),
        ("postalCode", "Postal Code", "Your postal code or zip code."),
        ("state", "State/Province", "Your state or province."),
        (
            "streetAddress",
            "Street Address",
            "The street address where you live.",
        ),
        (
            "surname",
            "Surname",
            "Your surname (also known as family name or last name).",
        ),
    ]
    .into_iter()
    .map(|(id, name, description)| {
        into_object(json!({
            "id": id,
            "displayName": name,
            "description": description,
            "userFlowAttributeType": "builtIn",
            "dataType": "string"
        }))
    })
    .collect()
}

/// `Tenant::user_flow_attributes`, built-ins included.
pub(crate) static ATTRIBUTES: Collection = Collection {
    listing: Listing {
        fragment: "identity/userFlowAttributes",
        type_name: TYPE,
        filter: Filterable::Comparisons {
            properties: &["id", "displayName", "dataType", "userFlowAttributeType"],
            ops: &[Op::Eq, Op::Ne],
        },
        page_size: None,
        order_by: false,
        expand: false,
    },
    objects: |tenant| &tenant.user_flow_attributes,
    objects_mut: |tenant| &mut tenant.user_flow_attributes,
    read_shape,
};

/// The shape an attribute is read in.
pub(crate) fn read_shape(attribute: &Object) -> Object {
    types::full_shape(attribute, TYPE)
}

fn is_built_in(attribute: &Object) -> bool {
    attribute
        .get("userFlowAttributeType")
        .and_then(Value::as_str)
        != Some("custom")
}

fn list(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    ATTRIBUTES.list(ctx, req)
}

fn get(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    ATTRIBUTES.get(ctx, req, params)
}

/// `Name` of `extension_<appId>_<Name>`: the display name without white space (§16.17).
fn derived_name(display_name: &str) -> Result<String, GraphError> {
    let name: String = display_name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if name.is_empty() {
        return Err(GraphError::bad_request(
            "'displayName' is required and must not be blank.",
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(GraphError::bad_request(format!(
            "'displayName' may contain only letters, digits, '_' and spaces: the attribute's name is derived from it, and '{bad}' cannot appear in an extension property name."
        )));
    }
    Ok(name)
}

fn create(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    let accepted = ATTRIBUTES.accept(req, WriteMode::Create)?;
    if accepted.type_name == "identityBuiltInUserFlowAttribute" {
        return Err(GraphError::bad_request(
            "Built-in user-flow attributes cannot be created.",
        ));
    }
    let body = accepted.body;
    let display_name = body
        .get("displayName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = derived_name(display_name)?;
    let data_type = body
        .get("dataType")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::bad_request("'dataType' is required."))?;
    if !CREATABLE_DATA_TYPES.contains(&data_type) {
        return Err(GraphError::bad_request(format!(
            "A custom attribute's 'dataType' must be one of {}, not '{data_type}'.",
            CREATABLE_DATA_TYPES.join(", ")
        )));
    }
    let stored = ATTRIBUTES.insert(ctx, |tenant| {
        let app_id = super::directory::extensions_app_id(tenant).ok_or_else(|| {
            GraphError::bad_request(
                "The tenant has no b2c-extensions-app, which custom attributes are stored on.",
            )
        })?;
        let id = format!("extension_{}_{name}", app_id.replace('-', ""));
        if let Some(existing) = ATTRIBUTES.find(tenant, &id) {
            return Err(GraphError::bad_request(format!(
                "A user-flow attribute named '{}' already exists; '{display_name}' would get the same id.",
                types::id_of(existing)
            )));
        }
        let mut attribute = Object::new();
        attribute.insert("id".into(), json!(id));
        attribute.insert("displayName".into(), json!(display_name));
        attribute.insert(
            "description".into(),
            body.get("description").cloned().unwrap_or(Value::Null),
        );
        attribute.insert("userFlowAttributeType".into(), json!("custom"));
        attribute.insert("dataType".into(), json!(data_type));
        Ok(attribute)
    })?;
    let location = format!(
        "{}/{}/identity/userFlowAttributes('{}')",
        ctx.base.0,
        req.version.as_str(),
        types::id_of(&stored)
    );
    Ok(ATTRIBUTES
        .created(ctx, req, &stored)
        .with_header("Location", location))
}

fn update(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let body = ATTRIBUTES.accept(req, WriteMode::Update)?.body;
    ATTRIBUTES.update(ctx, params, |_, attribute| {
        if is_built_in(attribute) {
            return Err(GraphError::bad_request(format!(
                "'{id}' is a built-in attribute; built-in attributes cannot be updated."
            )));
        }
        for (key, value) in body {
            match key.as_str() {
                "description" => {
                    attribute.insert(key, value);
                }
                "@odata.type" => {}
                "dataType" => {
                    return Err(GraphError::bad_request(
                        "'dataType' cannot be changed after an attribute is created.",
                    ));
                }
                other => {
                    return Err(GraphError::bad_request(format!(
                        "'{other}' cannot be updated; only 'description' of a custom attribute can."
                    )));
                }
            }
        }
        Ok(())
    })
}

fn delete(ctx: &Ctx, _req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    ATTRIBUTES.delete(ctx, params, |tenant, attribute| {
        if is_built_in(attribute) {
            return Err(GraphError::bad_request(format!(
                "'{id}' is a built-in attribute; built-in attributes cannot be deleted."
            )));
        }
        let stored_id = types::id_of(attribute);
        match flow_linking(tenant, stored_id, |flow| &flow.attributes) {
            Some(flow) => Err(GraphError::bad_request(format!(
                "The attribute '{stored_id}' is used by the user flow '{}'; remove it from the flow first.",
                flow.name()
            ))),
            None => Ok(()),
        }
    })
}
