//! A flow's attributes (REFERENCE.md §4) and its attribute collection page (§1.3, §1.6).
//!
//! The attributes a flow collects are the page's inputs, in order. An update adds the new
//! attributes by `$ref` (which also puts a default input on the page, §15.3), then sends one
//! PATCH of the whole page (Graph replaces it as a value, §15.2), then removes the attributes the
//! page no longer has by `$ref`. Fields of an input the YAML leaves out keep their live value:
//! they are not compared, and the PATCH sends them unchanged.

use ciamctl_live::{PageInput as LiveInput, UserFlow};
use ciamctl_model::builtins;
use ciamctl_model::user_flow::UserFlow as DesiredFlow;
use ciamctl_model::{Diagnostic, Located};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::resolve::{Desired, Input, same};
use super::{Draft, FLOW_TYPE};
use crate::builder::{Request, Resource};
use crate::diff::{Context, Fields, odata_id, text};

/// The attributes of a flow, under the flow's path (both cast segments, §4).
const ATTRIBUTES: &str = "/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/\
                          onAttributeCollection/\
                          microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/\
                          attributes";
/// The concrete type of `onAttributeCollection` (§0.4).
const HANDLER_TYPE: &str = "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp";

/// `onAttributeCollection` of a new flow, when its page has inputs: the attributes and the page
/// in one value (§1.4).
pub(super) fn create_handler(cx: &mut Context<'_>, desired: &Desired<'_>) -> Option<Value> {
    if desired.inputs.is_empty() {
        unwritable_page(cx, desired.flow);
        return None;
    }
    let attributes: Vec<Value> = desired
        .inputs
        .iter()
        .map(|input| json!({ "id": input.attribute.text() }))
        .collect();
    let inputs: Vec<Value> = desired
        .inputs
        .iter()
        .map(|input| input_body(input, None))
        .collect();
    Some(json!({
        "@odata.type": HANDLER_TYPE,
        "attributes": attributes,
        "attributeCollectionPage": page_body(desired.flow, &inputs),
    }))
}

/// The attribute and page requests of an existing flow.
pub(super) fn update(
    cx: &mut Context<'_>,
    desired: &Desired<'_>,
    live: &UserFlow,
    path: &str,
    draft: &mut Draft,
) {
    let views = live.page.as_ref().map_or(&[][..], |p| p.views.as_slice());
    let live_inputs: Vec<&LiveInput> = views.iter().flat_map(|v| &v.inputs).collect();
    let linked = live.attributes.as_deref().unwrap_or_default();

    let compared_from = draft.fields.0.len();
    compare_page(cx, desired, views, &live_inputs, &mut draft.fields);
    let page_differs = draft.fields.0.len() > compared_from;

    let adds: Vec<usize> = desired
        .inputs
        .iter()
        .filter(|input| !linked.iter().any(|id| same(&input.attribute, id)))
        .map(|input| {
            let body = json!({
                "@odata.id": odata_id(&format!(
                    "/identity/userFlowAttributes/{}",
                    input.attribute.text()
                ))
            });
            draft
                .steps
                .push(Request::post(format!("{path}{ATTRIBUTES}/$ref"), body), [])
        })
        .collect();

    let patch = if adds.is_empty() && !page_differs {
        None
    } else if adds.is_empty() && !live.has_attribute_collection {
        // Only the first `$ref` add gives a flow its `onAttributeCollection`; a PATCH cannot
        // (§1.6, §15.5).
        unwritable_page(cx, desired.flow);
        None
    } else {
        let inputs: Vec<Value> = desired
            .inputs
            .iter()
            .map(|input| {
                let live = live_inputs
                    .iter()
                    .find(|l| same(&input.attribute, &l.attribute))
                    .copied();
                input_body(input, live)
            })
            .collect();
        let body = json!({
            "@odata.type": FLOW_TYPE,
            "onAttributeCollection": {
                "@odata.type": HANDLER_TYPE,
                "attributeCollectionPage": page_body(desired.flow, &inputs),
            },
        });
        Some(draft.steps.push(Request::patch(path, body), adds))
    };

    // The order: the page PATCH, then the `$ref` removes, so the page never names an
    // attribute the flow has let go of. REFERENCE.md §4 rule 2 suggests the reverse (remove,
    // then PATCH the page), and §16.2 leaves open whether a `$ref` remove touches the page; a
    // page without the input is valid while the attribute is still linked, so this order
    // holds either way.
    let mut removed: Vec<&String> = linked
        .iter()
        .filter(|id| {
            !desired
                .inputs
                .iter()
                .any(|input| same(&input.attribute, id))
        })
        .collect();
    // In a fixed order, whatever order Graph listed the flow's attributes in.
    removed.sort();
    for id in removed {
        let step = draft.steps.push(
            Request::delete(format!("{path}{ATTRIBUTES}/{id}/$ref")),
            patch,
        );
        if let Some(attribute) = cx
            .live
            .attributes
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id))
        {
            draft
                .steps
                .releases(step, Resource::Attribute(attribute.display_name.clone()));
        }
    }
}

/// A page with a title or description but no input, on a flow Graph gives no page yet.
fn unwritable_page(cx: &mut Context<'_>, flow: &DesiredFlow) {
    let Some(page) = &flow.page else {
        return;
    };
    let title = page.title.as_deref().map(String::as_str);
    let description = page.description.as_deref().map(String::as_str);
    if text(title).is_none() && text(description).is_none() {
        return;
    }
    cx.diagnostics.push(
        Diagnostic::error(
            "page-without-inputs",
            format!(
                "the attribute page of the user flow `{}` has a title or description but no \
                 input; Graph creates a flow's page with its first attribute",
                flow.name.as_str()
            ),
            Some(page.span()),
        )
        .with_help("add an input to `page.inputs`, or remove `page.title` and `page.description`"),
    );
}

/// Compares the page: title and description, which inputs it has, their order, and the fields
/// of each input the YAML sets.
fn compare_page(
    cx: &Context<'_>,
    desired: &Desired<'_>,
    views: &[ciamctl_live::PageView],
    live_inputs: &[&LiveInput],
    fields: &mut Fields,
) {
    let page = desired.flow.page.as_ref();
    let first = views.first();
    fields.compare(
        "page.title",
        text(first.and_then(|v| v.title.as_deref())),
        text(page.and_then(|p| p.title.as_deref()).map(String::as_str)),
    );
    fields.compare(
        "page.description",
        text(first.and_then(|v| v.description.as_deref())),
        text(
            page.and_then(|p| p.description.as_deref())
                .map(String::as_str),
        ),
    );
    if views.len() > 1 {
        // The configuration describes one view (§1.3); the PATCH writes one.
        fields.compare("page.views", Some(views.len()), Some(1));
    }
    let live_keys: Vec<String> = live_inputs
        .iter()
        .map(|live| input_key(cx, desired, &live.attribute))
        .collect();
    let desired_keys: Vec<String> = desired
        .inputs
        .iter()
        .map(|input| input.name().to_owned())
        .collect();
    fields.members("page.inputs", &live_keys, &desired_keys);
    fields.moves("page.inputs", &live_keys, &desired_keys);
    for input in &desired.inputs {
        match live_inputs
            .iter()
            .find(|l| same(&input.attribute, &l.attribute))
        {
            Some(live) => compare_input(fields, input, live),
            None => new_input_fields(fields, input),
        }
    }
}

/// What a new input sets, field by field, so that a reviewer sees its label, type and
/// options and not only its name.
pub(super) fn new_input_fields(fields: &mut Fields, input: &Input<'_>) {
    let blank = LiveInput {
        attribute: input.attribute.text(),
        label: None,
        input_type: None,
        default_value: None,
        hidden: None,
        editable: None,
        write_to_directory: None,
        required: None,
        validation_reg_ex: None,
        options: Vec::new(),
    };
    compare_input(fields, input, &blank);
}

/// The name of a live input's attribute as the configuration writes it: the configured input's
/// name when there is one, a built-in's id, a custom attribute's display name.
fn input_key(cx: &Context<'_>, desired: &Desired<'_>, attribute: &str) -> String {
    if let Some(input) = desired
        .inputs
        .iter()
        .find(|i| same(&i.attribute, attribute))
    {
        return input.name().to_owned();
    }
    if let Some(builtin) = builtins::ATTRIBUTES
        .iter()
        .find(|b| b.id.eq_ignore_ascii_case(attribute))
    {
        return builtin.id.to_owned();
    }
    cx.live
        .attributes
        .iter()
        .find(|a| a.id.eq_ignore_ascii_case(attribute))
        .map_or_else(|| attribute.to_owned(), |a| a.display_name.clone())
}

/// A choice of a radio or checkbox input, as the plan shows it.
#[derive(Debug, PartialEq, Serialize)]
struct Choice<'s> {
    label: &'s str,
    value: &'s str,
}

fn compare_input(fields: &mut Fields, input: &Input<'_>, live: &LiveInput) {
    let yaml = input.yaml;
    let at = |field: &str| format!("page.inputs[{}].{field}", input.name());
    let texts = [
        ("label", &yaml.label, live.label.as_deref()),
        (
            "validationRegEx",
            &yaml.validation_reg_ex,
            live.validation_reg_ex.as_deref(),
        ),
        (
            "defaultValue",
            &yaml.default_value,
            live.default_value.as_deref(),
        ),
    ];
    for (field, desired, live) in texts {
        if let Some(desired) = desired {
            fields.compare(&at(field), text(live), text(Some(desired.as_str())));
        }
    }
    if let Some(input_type) = &yaml.input_type {
        fields.compare(
            &at("inputType"),
            live.input_type.as_deref(),
            Some(builtins::input_type_name(**input_type)),
        );
    }
    let flags = [
        ("required", &yaml.required, live.required),
        ("hidden", &yaml.hidden, live.hidden),
        ("editable", &yaml.editable, live.editable),
        (
            "writeToDirectory",
            &yaml.write_to_directory,
            live.write_to_directory,
        ),
    ];
    for (field, desired, live) in flags {
        if let Some(desired) = desired {
            fields.compare(&at(field), live, Some(**desired));
        }
    }
    // The options are a complete list whenever the input is configured; none equals `[]`.
    let live_options: Vec<Choice<'_>> = live
        .options
        .iter()
        .map(|o| Choice {
            label: &o.label,
            value: &o.value,
        })
        .collect();
    let desired_options: Vec<Choice<'_>> = yaml
        .options
        .iter()
        .map(|o| Choice {
            label: o.label.as_str(),
            value: o.value.as_str(),
        })
        .collect();
    fields.compare(
        &at("options"),
        (!live_options.is_empty()).then_some(live_options),
        (!desired_options.is_empty()).then_some(desired_options),
    );
}

/// An input as the page PATCH (or the create) sends it: what the YAML sets, else the live
/// input's value, else (for a new input) the attribute's own label and the input type that
/// fits its data type. Graph requires `label` and `inputType` (§1.3).
pub(super) fn input_body(input: &Input<'_>, live: Option<&LiveInput>) -> Value {
    let yaml = input.yaml;
    let mut body = Map::new();
    body.insert("attribute".into(), json!(input.attribute.text()));
    let label = text(yaml.label.as_deref().map(String::as_str))
        .or_else(|| live.and_then(|l| l.label.as_deref()))
        .unwrap_or_else(|| builtins::attribute(input.name()).map_or(input.name(), |b| b.label));
    body.insert("label".into(), json!(label));
    let input_type = yaml
        .input_type
        .as_deref()
        .map(|t| builtins::input_type_name(*t))
        .or_else(|| live.and_then(|l| l.input_type.as_deref()))
        .unwrap_or_else(|| {
            builtins::input_type_name(builtins::default_input_type(input.data_type))
        });
    body.insert("inputType".into(), json!(input_type));
    let texts = [
        (
            "validationRegEx",
            &yaml.validation_reg_ex,
            live.and_then(|l| l.validation_reg_ex.as_deref()),
        ),
        (
            "defaultValue",
            &yaml.default_value,
            live.and_then(|l| l.default_value.as_deref()),
        ),
    ];
    for (field, desired, live) in texts {
        // An empty text in the YAML clears the live value.
        match desired {
            Some(desired) => {
                body.insert(field.into(), json!(text(Some(desired.as_str()))));
            }
            None => {
                if let Some(live) = live {
                    body.insert(field.into(), json!(live));
                }
            }
        }
    }
    let flags = [
        ("required", &yaml.required, live.and_then(|l| l.required)),
        ("hidden", &yaml.hidden, live.and_then(|l| l.hidden)),
        ("editable", &yaml.editable, live.and_then(|l| l.editable)),
        (
            "writeToDirectory",
            &yaml.write_to_directory,
            live.and_then(|l| l.write_to_directory),
        ),
    ];
    for (field, desired, live) in flags {
        if let Some(value) = desired.as_deref().copied().or(live) {
            body.insert(field.into(), json!(value));
        }
    }
    let options: Vec<Value> = yaml
        .options
        .iter()
        .map(|o| json!({ "label": o.label.as_str(), "value": o.value.as_str() }))
        .collect();
    body.insert("options".into(), Value::Array(options));
    Value::Object(body)
}

/// The page as one view (§1.3): title, description and the inputs in order.
fn page_body(flow: &DesiredFlow, inputs: &[Value]) -> Value {
    let page = flow.page.as_ref().map(Located::get);
    json!({
        "views": [{
            "title": text(page.and_then(|p| p.title.as_deref()).map(String::as_str)),
            "description": text(page.and_then(|p| p.description.as_deref()).map(String::as_str)),
            "inputs": inputs,
        }]
    })
}
