//! Custom user-flow attributes (REFERENCE.md §5).
//!
//! An attribute is matched by name: Graph derives its id from the name
//! (`extension_<appId>_<Name>`, §5, §16.17), so the name is the key and the id is only known
//! once the attribute exists. Only `description` can change (§15.12); a different `dataType`
//! is an error at the YAML line, since Graph cannot change it and a delete would lose the
//! users' values. Built-in attributes are never created, deleted or listed as unmanaged.

use std::collections::BTreeSet;

use ciamctl_live::{Fingerprint as _, UserFlowAttribute};
use ciamctl_model::attribute::Attribute;
use ciamctl_model::builtins::data_type_name;
use ciamctl_model::settings::ResourceKind;
use ciamctl_model::{Diagnostic, Located};
use serde_json::json;

use super::{Context, Fields, IdRef, text};
use crate::builder::{Request, Resource};
use crate::document::{Action, Kind};

const COLLECTION: &str = "/identity/userFlowAttributes";

pub(crate) fn diff(cx: &mut Context<'_>) {
    let live: Vec<&UserFlowAttribute> = cx
        .live
        .attributes
        .iter()
        .filter(|a| a.is_custom())
        .collect();
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    for desired in &cx.config.attributes {
        match find(&live, desired.name.as_str()) {
            Some(attribute) => {
                matched.insert(&attribute.id);
                cx.attribute_ids
                    .insert(desired.name.to_string(), IdRef::Live(attribute.id.clone()));
                update(cx, desired, attribute);
            }
            None => create(cx, desired),
        }
    }
    let prune = cx.config.settings.prunes(ResourceKind::Attributes);
    for attribute in live.iter().filter(|a| !matched.contains(a.id.as_str())) {
        if prune {
            let change = cx.builder.live_change(
                Action::Delete,
                Kind::Attribute,
                &attribute.display_name,
                &attribute.id,
                attribute.fingerprint(),
            );
            let step = cx.builder.step(
                change,
                Request::delete(format!("{COLLECTION}/{}", attribute.id)),
                [],
            );
            // After every flow that collects it has let go of it.
            cx.builder
                .takes(step, Resource::Attribute(attribute.display_name.clone()));
        } else {
            cx.leave_unmanaged(Kind::Attribute, &attribute.display_name, &attribute.id);
        }
    }
}

/// The live attribute named `name`: exactly, or else the one whose name differs only in case.
fn find<'a>(live: &[&'a UserFlowAttribute], name: &str) -> Option<&'a UserFlowAttribute> {
    live.iter()
        .find(|a| a.display_name == name)
        .or_else(|| {
            let mut folded = live
                .iter()
                .filter(|a| a.display_name.eq_ignore_ascii_case(name));
            match (folded.next(), folded.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        })
        .copied()
}

fn create(cx: &mut Context<'_>, desired: &Located<Attribute>) {
    let name = desired.name.as_str();
    let data_type = data_type_name(*desired.data_type);
    let description = desired.description.as_deref().map(String::as_str);
    let change = cx.builder.change(Action::Create, Kind::Attribute, name);
    let mut fields = Fields::default();
    fields.set("dataType", Some(data_type));
    fields.set("description", text(description));
    cx.builder.get_mut(change).fields = fields.0;
    let mut body = json!({ "displayName": name, "dataType": data_type });
    if let Some(description) = text(description) {
        body["description"] = json!(description);
    }
    let step = cx.builder.step(change, Request::post(COLLECTION, body), []);
    cx.builder
        .provides(step, Resource::Attribute(name.to_owned()));
    cx.attribute_ids
        .insert(name.to_owned(), IdRef::Created(step));
}

fn update(cx: &mut Context<'_>, desired: &Located<Attribute>, live: &UserFlowAttribute) {
    let wanted = data_type_name(*desired.data_type);
    if let Some(actual) = live.data_type.as_deref()
        && actual != wanted
    {
        cx.diagnostics.push(
            Diagnostic::error(
                "immutable-field",
                format!(
                    "the attribute `{}` is `{actual}` in the tenant; Graph cannot change an \
                     attribute's data type",
                    live.display_name
                ),
                Some(desired.data_type.span()),
            )
            .with_label(format!("the tenant has `{actual}`"))
            .with_help(format!(
                "write `dataType: {actual}`, or declare an attribute with another name for \
                 `{wanted}` values"
            )),
        );
        return;
    }
    let mut fields = Fields::default();
    if live.display_name != *desired.name {
        // A name that differs only in case: Graph keeps the id, and only the description is
        // writable (§15.12), so the plan says so rather than pretending to rename it.
        cx.diagnostics.push(
            Diagnostic::error(
                "immutable-field",
                format!(
                    "the tenant's attribute is named `{}`; Graph cannot rename an attribute",
                    live.display_name
                ),
                Some(desired.name.span()),
            )
            .with_help(format!("write `name: {}`", live.display_name)),
        );
        return;
    }
    let description = desired.description.as_deref().map(String::as_str);
    if !fields.compare(
        "description",
        text(live.description.as_deref()),
        text(description),
    ) {
        return;
    }
    let change = cx.builder.live_change(
        Action::Update,
        Kind::Attribute,
        &live.display_name,
        &live.id,
        live.fingerprint(),
    );
    cx.builder.get_mut(change).fields = fields.0;
    cx.builder.step(
        change,
        Request::patch(
            format!("{COLLECTION}/{}", live.id),
            json!({ "description": text(description) }),
        ),
        [],
    );
}

#[cfg(test)]
mod tests;
