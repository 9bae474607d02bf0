//! User flows (REFERENCE.md §1–§4, §9.3): one file each, `user-flows/<name>.yaml`.
//!
//! A flow names what it links: built-in providers by short name, other providers and custom
//! attributes by the names the export gives them, applications by appId (or the environment's
//! variable holding it), custom extensions by display name (or id when the name is not
//! unique). A flow that links something the files cannot name, or that the format cannot
//! describe (two page views, attributes collected without an input), is skipped whole: written
//! without that part, a plan would change it.

use std::collections::{BTreeMap, BTreeSet};

use ciamctl_live::{
    Application, CustomExtension, ExtensionHandler, Known, LiveTenant, PageInput, UserFlow,
};
use ciamctl_model::attribute::DataType;
use ciamctl_model::builtins;
use ciamctl_model::settings::ResourceKind;
use ciamctl_model::user_flow::{
    DEFAULT_INCLUDE_ALL_APPLICATIONS, DEFAULT_PRIORITY, DEFAULT_SIGN_UP, InputType,
};

use crate::document::{Attribute, Choice, Flow, FlowFile, Handler, Input, Page, Provider, Text};
use crate::names::{Unique, file_slug};
use crate::{Exported, SharedNames, Skipped, by_name, items};

/// What a flow can name, by live id (lower case).
#[derive(Debug)]
pub(crate) struct Names<'a> {
    /// Custom attributes: their name and data type.
    attributes: BTreeMap<&'a str, (&'a str, DataType)>,
    providers: BTreeMap<&'a str, &'a str>,
    extensions: &'a [CustomExtension],
    applications: &'a [Application],
    variables: &'a BTreeMap<String, String>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(
        live: &'a LiveTenant,
        attributes: &'a [Exported<Attribute>],
        providers: &'a [Exported<Provider>],
        variables: &'a BTreeMap<String, String>,
    ) -> Self {
        Self {
            attributes: attributes
                .iter()
                .map(|a| {
                    let data_type = match a.document.data_type {
                        "boolean" => DataType::Boolean,
                        "int64" => DataType::Int64,
                        _ => DataType::String,
                    };
                    (a.id.as_str(), (a.name.as_str(), data_type))
                })
                .collect(),
            providers: providers
                .iter()
                .map(|p| (p.id.as_str(), p.name.as_str()))
                .collect(),
            extensions: items(&live.custom_extensions),
            applications: items(&live.applications),
            variables,
        }
    }
}

/// The flows' files, and the custom attributes and providers they name.
#[derive(Debug, Default)]
pub(crate) struct Flows {
    pub(crate) files: Vec<(String, FlowFile)>,
    pub(crate) attributes: BTreeSet<String>,
    pub(crate) providers: BTreeSet<String>,
}

pub(crate) fn convert(live: &[UserFlow], names: &Names<'_>, skipped: &mut Vec<Skipped>) -> Flows {
    let sorted = by_name(live, |f| (&f.display_name, &f.id));
    let shared = SharedNames::of(sorted.iter().map(|f| f.display_name.as_str()));
    let mut files = Unique::new("-");
    let mut out = Flows::default();
    for flow in sorted {
        let mut uses = Uses::default();
        let converted = if shared.contains(&flow.display_name) {
            Err("shares its name (compared ignoring case) with another user flow".to_owned())
        } else {
            document(flow, names, &mut uses)
        };
        match converted {
            Ok(document) => {
                let path = format!(
                    "user-flows/{}.yaml",
                    files.claim(&file_slug(&flow.display_name, "flow"))
                );
                out.files.push((
                    path,
                    FlowFile {
                        user_flows: [document],
                    },
                ));
                out.attributes.extend(uses.attributes);
                out.providers.extend(uses.providers);
            }
            Err(reason) => skipped.push(Skipped {
                kind: ResourceKind::UserFlows,
                name: flow.display_name.clone(),
                reason,
            }),
        }
    }
    out
}

/// The custom attributes and providers one flow names.
#[derive(Debug, Default)]
struct Uses {
    attributes: BTreeSet<String>,
    providers: BTreeSet<String>,
}

fn document(flow: &UserFlow, names: &Names<'_>, uses: &mut Uses) -> Result<Flow, String> {
    let user_type = match flow.user_type.as_deref() {
        None | Some("member") => None,
        Some("guest") => Some("guest"),
        Some(other) => return Err(format!("creates users of type `{other}`")),
    };
    Ok(Flow {
        name: Text::literal(&flow.display_name),
        description: flow.description.as_deref().map(Text::literal),
        sign_up: flow
            .sign_up_allowed
            .filter(|allowed| *allowed != DEFAULT_SIGN_UP),
        user_type,
        identity_providers: providers(flow, names, uses)?,
        applications: applications(flow, names)?,
        include_all_applications: flow
            .include_all_applications
            .filter(|all| *all != DEFAULT_INCLUDE_ALL_APPLICATIONS),
        priority: flow.priority.filter(|p| *p != DEFAULT_PRIORITY),
        page: page(flow, names, uses)?,
        on_attribute_collection_start: flow
            .on_attribute_collection_start
            .as_ref()
            .map(|h| handler(h, "onAttributeCollectionStart", names))
            .transpose()?,
        on_attribute_collection_submit: flow
            .on_attribute_collection_submit
            .as_ref()
            .map(|h| handler(h, "onAttributeCollectionSubmit", names))
            .transpose()?,
    })
}

/// Built-in providers by short name (in the order the format lists them), then the others by
/// name.
fn providers(flow: &UserFlow, names: &Names<'_>, uses: &mut Uses) -> Result<Vec<Text>, String> {
    let mut built_in = Vec::new();
    let mut custom = BTreeSet::new();
    for linked in flow.identity_providers.iter().flatten() {
        if let Some(index) = builtins::PROVIDERS
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(&linked.id))
        {
            built_in.push(index);
        } else if let Some(name) = names.providers.get(linked.id.to_ascii_lowercase().as_str()) {
            custom.insert(*name);
        } else {
            let name = linked.display_name.as_deref().unwrap_or(&linked.id);
            return Err(format!(
                "offers the identity provider `{name}`, which the files cannot name"
            ));
        }
    }
    built_in.sort_unstable();
    built_in.dedup();
    uses.providers
        .extend(custom.iter().map(|n| (*n).to_owned()));
    Ok(built_in
        .into_iter()
        .map(|i| Text::literal(builtins::PROVIDERS[i].short_name))
        .chain(custom.into_iter().map(Text::literal))
        .collect())
}

/// `appId`s, or the environment's variable that holds one; each must be an application of the
/// tenant, as the planner resolves them.
fn applications(flow: &UserFlow, names: &Names<'_>) -> Result<Vec<Text>, String> {
    flow.applications
        .iter()
        .flatten()
        .map(|app_id| {
            if !names
                .applications
                .iter()
                .any(|a| a.app_id.eq_ignore_ascii_case(app_id))
            {
                return Err(format!(
                    "links the application `{app_id}`, which has no registration in the tenant"
                ));
            }
            Ok(names
                .variables
                .iter()
                .find(|(_, value)| value.eq_ignore_ascii_case(app_id))
                .map_or_else(|| Text::literal(app_id), |(name, _)| Text::variable(name)))
        })
        .collect()
}

/// The attribute page: its one view, whose inputs must be exactly the attributes the flow
/// collects (the format describes those as the page's inputs).
fn page(flow: &UserFlow, names: &Names<'_>, uses: &mut Uses) -> Result<Option<Page>, String> {
    let views = flow.page.as_ref().map_or(&[][..], |p| p.views.as_slice());
    if views.len() > 1 {
        return Err(format!(
            "has an attribute page of {} views; the format describes one",
            views.len()
        ));
    }
    let view = views.first();
    let live_inputs = view.map_or(&[][..], |v| v.inputs.as_slice());
    let on_page: BTreeSet<String> = live_inputs
        .iter()
        .map(|i| i.attribute.to_ascii_lowercase())
        .collect();
    if on_page.len() != live_inputs.len() {
        return Err("has two inputs for one attribute on its page".to_owned());
    }
    let collected: BTreeSet<String> = flow
        .attributes
        .iter()
        .flatten()
        .map(|id| id.to_ascii_lowercase())
        .collect();
    if let Some(id) = collected.symmetric_difference(&on_page).next() {
        return Err(format!(
            "collects the attribute `{id}` without an input on its page, or the other way \
             round; the format describes a flow's attributes as its page's inputs"
        ));
    }
    let inputs = live_inputs
        .iter()
        .map(|input| self::input(input, names, uses))
        .collect::<Result<Vec<_>, _>>()?;
    let title = view.and_then(|v| v.title.as_deref()).map(Text::literal);
    let description = view
        .and_then(|v| v.description.as_deref())
        .map(Text::literal);
    if title.is_none() && description.is_none() && inputs.is_empty() {
        return Ok(None);
    }
    Ok(Some(Page {
        title,
        description,
        inputs,
    }))
}

/// The model's input types, to read Graph's spelling back.
const INPUT_TYPES: [InputType; 4] = [
    InputType::Text,
    InputType::RadioSingleSelect,
    InputType::CheckboxMultiSelect,
    InputType::Boolean,
];

fn input(live: &PageInput, names: &Names<'_>, uses: &mut Uses) -> Result<Input, String> {
    let (name, data_type) = if let Some(builtin) = builtins::ATTRIBUTES
        .iter()
        .find(|b| b.id.eq_ignore_ascii_case(&live.attribute))
    {
        // Every built-in attribute is a string (REFERENCE.md §17).
        (builtin.id, DataType::String)
    } else if let Some((name, data_type)) = names
        .attributes
        .get(live.attribute.to_ascii_lowercase().as_str())
    {
        uses.attributes.insert((*name).to_owned());
        (*name, *data_type)
    } else {
        return Err(format!(
            "collects the attribute `{}`, which the files cannot name",
            live.attribute
        ));
    };
    // What the planner gives an input that does not say: the attribute's own label, and the
    // input type that fits its data type.
    let default_label = builtins::attribute(name).map_or(name, |b| b.label);
    let default_type = builtins::input_type_name(builtins::default_input_type(data_type));
    let input_type = match live.input_type.as_deref() {
        None => None,
        Some(t) if t == default_type => None,
        Some(t) => Some(
            INPUT_TYPES
                .into_iter()
                .map(builtins::input_type_name)
                .find(|name| *name == t)
                .ok_or_else(|| format!("has an input of type `{t}` for `{name}`"))?,
        ),
    };
    Ok(Input {
        attribute: Text::literal(name),
        label: live
            .label
            .as_deref()
            .filter(|label| *label != default_label)
            .map(Text::literal),
        input_type,
        required: live.required,
        hidden: live.hidden,
        editable: live.editable,
        write_to_directory: live.write_to_directory,
        validation_reg_ex: live.validation_reg_ex.as_deref().map(Text::literal),
        default_value: live.default_value.as_deref().map(Text::literal),
        options: live
            .options
            .iter()
            .map(|o| Choice {
                label: Text::literal(&o.label),
                value: Text::literal(&o.value),
            })
            .collect(),
    })
}

fn handler(live: &ExtensionHandler, property: &str, names: &Names<'_>) -> Result<Handler, String> {
    let id = match &live.extension_id {
        Known::Known(Some(id)) => id,
        Known::Known(None) => {
            return Err(format!(
                "has an `{property}` handler that calls no extension"
            ));
        }
        Known::Unknown(failure) => {
            return Err(format!(
                "`{property}` calls an extension the read did not name ({})",
                failure.reason
            ));
        }
    };
    let Some(extension) = names
        .extensions
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(id))
    else {
        return Err(format!(
            "`{property}` calls the custom extension `{id}`, which the tenant does not list"
        ));
    };
    Ok(Handler {
        extension: Text::literal(extension_reference(extension, names.extensions)),
        timeout_in_milliseconds: live.timeout_in_milliseconds,
        maximum_retries: live.maximum_retries,
        behavior_on_error: live
            .behavior_on_error
            .as_deref()
            .filter(|b| *b == "fallbackToMicrosoftProviderOnError")
            .map(|_| "fallbackToMicrosoftProviderOnError"),
    })
}

/// The extension's display name when it finds that extension alone (the planner looks an
/// extension up by id first, then by display name), else its id.
fn extension_reference<'a>(extension: &'a CustomExtension, all: &[CustomExtension]) -> &'a str {
    match extension.display_name.as_deref() {
        Some(name)
            if !name.is_empty()
                && all.iter().all(|other| {
                    other.id == extension.id
                        || (other.display_name.as_deref() != Some(name)
                            && !other.id.eq_ignore_ascii_case(name))
                }) =>
        {
            name
        }
        _ => &extension.id,
    }
}
