//! The attribute collection page of a flow (REFERENCE.md §1.3) and the input a `$ref` add
//! gives a new attribute (§15.3, §16.3).

use serde_json::{Value, json};

use super::invalid;
use crate::error::GraphError;
use crate::state::Object;

/// The default regexes of REFERENCE.md §1.3. The email one is stored as a tenant most likely
/// stores it (`&’`), not HTML-escaped as the docs print it (§16.7).
const DISPLAY_NAME_REGEX: &str = "^[a-zA-Z_][0-9a-zA-Z_ ]*[0-9a-zA-Z_]+$";
const EMAIL_REGEX: &str = "^[a-zA-Z0-9.!#$%&’'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:.[a-zA-Z0-9-]+)*$";
const INT_REGEX: &str = "^[0-9]+$";
const STRING_REGEX: &str = "^.*";

/// A page with no views, for an `onAttributeCollection` created without one.
pub(super) fn empty() -> Value {
    json!({ "customStringsFileId": null, "views": [] })
}

/// A view with no title or description, for the first input of a page without views.
fn empty_view() -> Value {
    json!({ "title": null, "description": null, "inputs": [] })
}

/// The page as Graph stores it (§15.8): views with `title` and `description`, inputs in the
/// docs' property order with `defaultValue: null` and `options: []` when omitted. The request
/// body has passed `types::accept`, so the page has its CSDL shape (inputs carry `attribute`,
/// `label` and `inputType`, enum members are in the CSDL's casing); what is left needs the
/// flow: every input names one of `attributes` (the flow's linked attributes), once, and is
/// stored under the attribute's own id.
pub(super) fn normalize(page: &Value, attributes: &[String]) -> Result<Value, GraphError> {
    let mut seen: Vec<&String> = Vec::new();
    let mut views = Vec::new();
    for view in items(&page["views"]) {
        let mut inputs = Vec::new();
        for input in items(&view["inputs"]) {
            let named = input["attribute"].as_str().unwrap_or_default();
            let attribute = attributes
                .iter()
                .find(|a| a.eq_ignore_ascii_case(named))
                .ok_or_else(|| {
                    invalid(format!(
                        "The page has an input for '{named}', which is not one of the flow's \
                         attributes; add it with POST .../attributes/$ref first (REFERENCE.md §4)."
                    ))
                })?;
            if seen.contains(&attribute) {
                return Err(invalid(format!(
                    "The attribute '{attribute}' has more than one input on the page."
                )));
            }
            seen.push(attribute);
            let options: Vec<Value> = items(&input["options"])
                .iter()
                .map(|option| json!({ "label": option["label"], "value": option["value"] }))
                .collect();
            inputs.push(json!({
                "attribute": attribute,
                "label": input["label"],
                "inputType": input["inputType"],
                "defaultValue": input["defaultValue"],
                "hidden": input["hidden"],
                "editable": input["editable"],
                "writeToDirectory": input["writeToDirectory"],
                "required": input["required"],
                "validationRegEx": input["validationRegEx"],
                "options": options,
            }));
        }
        views.push(json!({
            "title": view["title"],
            "description": view["description"],
            "inputs": inputs,
        }));
    }
    Ok(json!({
        "customStringsFileId": page["customStringsFileId"],
        "views": views,
    }))
}

/// The items of a collection value; `null` or absent is empty.
pub(super) fn items(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// The attribute ids the page has inputs for, in page order.
pub(super) fn input_attributes(page: &Value) -> Vec<String> {
    items(&page["views"])
        .iter()
        .flat_map(|view| items(&view["inputs"]))
        .filter_map(|input| input["attribute"].as_str())
        .map(str::to_owned)
        .collect()
}

/// The input a `$ref` add gives `attribute` (REFERENCE.md §16.3 convention): its displayName as
/// label, a boolean input for boolean attributes and a text input otherwise, the §1.3 regex for
/// its kind, optional, editable, written to the directory, shown.
pub(super) fn default_input(attribute: &Object) -> Value {
    let id = attribute
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let data_type = attribute
        .get("dataType")
        .and_then(Value::as_str)
        .unwrap_or("string");
    let (input_type, regex) = if data_type.eq_ignore_ascii_case("boolean") {
        ("boolean", None)
    } else if data_type.eq_ignore_ascii_case("int64") {
        ("text", Some(INT_REGEX))
    } else if id.eq_ignore_ascii_case("email") {
        ("text", Some(EMAIL_REGEX))
    } else if id.eq_ignore_ascii_case("displayName") {
        ("text", Some(DISPLAY_NAME_REGEX))
    } else {
        ("text", Some(STRING_REGEX))
    };
    json!({
        "attribute": id,
        "label": attribute.get("displayName").cloned().unwrap_or_else(|| json!(id)),
        "inputType": input_type,
        "defaultValue": null,
        "hidden": false,
        "editable": true,
        "writeToDirectory": true,
        "required": false,
        "validationRegEx": regex,
        "options": [],
    })
}

/// Appends `input` to the end of the page's first view (creating the view if the page has
/// none), unless the page already has an input for the same attribute (§16.3).
pub(super) fn append_input(page: &mut Value, input: Value) {
    let attribute = input["attribute"].as_str().unwrap_or_default();
    if input_attributes(page)
        .iter()
        .any(|a| a.eq_ignore_ascii_case(attribute))
    {
        return;
    }
    if !page.is_object() {
        *page = empty();
    }
    if !page["views"].is_array() {
        page["views"] = json!([]);
    }
    if let Some(views) = page["views"].as_array_mut() {
        if views.is_empty() {
            views.push(empty_view());
        }
        let first = &mut views[0];
        if !first["inputs"].is_array() {
            first["inputs"] = json!([]);
        }
        if let Some(inputs) = first["inputs"].as_array_mut() {
            inputs.push(input);
        }
    }
}
