//! The names a flow uses, resolved to the ids Graph links by: identity providers, page
//! attributes, applications and custom extensions. A name that matches nothing, or more than
//! one thing, is a diagnostic at its YAML line, and the flow is not diffed.

use ciamctl_live::{CustomExtension, UserFlow};
use ciamctl_model::attribute::DataType;
use ciamctl_model::user_flow::{CustomExtensionHandler, PageInput, UserFlow as DesiredFlow};
use ciamctl_model::{Diagnostic, Located, builtins};

use super::extension::Event;
use super::links::application_label;
use crate::diff::{Context, IdRef};

/// A configured flow with every name resolved.
#[derive(Debug)]
pub(super) struct Desired<'a> {
    pub(super) flow: &'a Located<DesiredFlow>,
    pub(super) providers: Vec<Linked>,
    pub(super) inputs: Vec<Input<'a>>,
    pub(super) applications: Vec<Linked>,
    start: Option<Handler<'a>>,
    submit: Option<Handler<'a>>,
}

impl<'a> Desired<'a> {
    pub(super) fn handler(&self, event: Event) -> Option<&Handler<'a>> {
        match event {
            Event::Start => self.start.as_ref(),
            Event::Submit => self.submit.as_ref(),
        }
    }
}

/// A linked object: its id, and the name the plan shows for it.
#[derive(Debug)]
pub(super) struct Linked {
    pub(super) id: IdRef,
    pub(super) label: String,
}

impl Linked {
    /// Whether this is the live object `id` (Graph ids compare without case).
    pub(super) fn is(&self, id: &str) -> bool {
        same(&self.id, id)
    }
}

/// Whether `id` names the live object `live`. An object the plan creates is in no live list.
pub(super) fn same(id: &IdRef, live: &str) -> bool {
    matches!(id, IdRef::Live(id) if id.eq_ignore_ascii_case(live))
}

/// A page input with its attribute's id and data type.
#[derive(Debug)]
pub(super) struct Input<'a> {
    pub(super) attribute: IdRef,
    pub(super) data_type: DataType,
    pub(super) yaml: &'a PageInput,
}

impl Input<'_> {
    /// The attribute's name as the YAML writes it.
    pub(super) fn name(&self) -> &str {
        self.yaml.attribute.as_str()
    }
}

/// A custom-extension handler with its extension found.
#[derive(Debug)]
pub(super) struct Handler<'a> {
    pub(super) extension: &'a CustomExtension,
    pub(super) yaml: &'a CustomExtensionHandler,
}

/// Resolves every name `flow` uses, or pushes a diagnostic for each that does not resolve and
/// returns `None`. `untouched` are the live flows the plan leaves alone.
pub(super) fn flow<'a>(
    cx: &mut Context<'a>,
    flow: &'a Located<DesiredFlow>,
    untouched: &[&UserFlow],
) -> Option<Desired<'a>> {
    let before = cx.diagnostics.len();
    let providers = flow
        .identity_providers
        .iter()
        .filter_map(|reference| provider(cx, reference))
        .collect();
    let inputs = flow
        .page
        .iter()
        .flat_map(|page| &page.inputs)
        .filter_map(|input| self::input(cx, input))
        .collect();
    let applications = flow
        .applications
        .iter()
        .filter_map(|entry| application(cx, flow, entry, untouched))
        .collect();
    let start = flow
        .on_attribute_collection_start
        .as_ref()
        .and_then(|handler| self::handler(cx, Event::Start, handler));
    let submit = flow
        .on_attribute_collection_submit
        .as_ref()
        .and_then(|handler| self::handler(cx, Event::Submit, handler));
    (cx.diagnostics.len() == before).then_some(Desired {
        flow,
        providers,
        inputs,
        applications,
        start,
        submit,
    })
}

/// A built-in provider by short name or id, else a provider of the configuration by name.
fn provider(cx: &mut Context<'_>, reference: &Located<String>) -> Option<Linked> {
    if let Some(builtin) = builtins::provider(reference) {
        return Some(Linked {
            id: IdRef::Live(builtin.id.to_owned()),
            label: builtin.short_name.to_owned(),
        });
    }
    if let Some(id) = cx.provider_ids.get(reference.as_str()) {
        return Some(Linked {
            id: id.clone(),
            label: reference.to_string(),
        });
    }
    let help = if cx.config.identity_provider(reference).is_some() {
        "fix the errors of this identity provider; the flow links it once it is resolved"
    } else {
        "name a built-in provider (`EmailPassword`, `EmailOtp`) or a provider under \
         `identityProviders`"
    };
    cx.diagnostics.push(
        Diagnostic::error(
            "unknown-identity-provider",
            format!(
                "the identity provider `{}` is neither in the tenant nor created by this plan",
                reference.as_str()
            ),
            Some(reference.span()),
        )
        .with_help(help),
    );
    None
}

/// A built-in attribute by id, else a custom attribute of the configuration by name.
fn input<'a>(cx: &mut Context<'_>, input: &'a Located<PageInput>) -> Option<Input<'a>> {
    let name = &input.attribute;
    if let Some(builtin) = builtins::attribute(name) {
        return Some(Input {
            attribute: IdRef::Live(builtin.id.to_owned()),
            // Every built-in attribute is a string (REFERENCE.md §17).
            data_type: DataType::String,
            yaml: input,
        });
    }
    if let Some(id) = cx.attribute_ids.get(name.as_str()) {
        return Some(Input {
            attribute: id.clone(),
            data_type: cx
                .config
                .attribute(name)
                .map_or(DataType::String, |a| *a.data_type.get()),
            yaml: input,
        });
    }
    let help = if cx.config.attribute(name).is_some() {
        "fix the errors of this attribute; the page collects it once it is resolved"
    } else {
        "name a built-in attribute (`email`, `displayName`, `city`, …) or an attribute under \
         `attributes`"
    };
    cx.diagnostics.push(
        Diagnostic::error(
            "unknown-attribute",
            format!(
                "the attribute `{}` is neither in the tenant nor created by this plan",
                name.as_str()
            ),
            Some(name.span()),
        )
        .with_help(help),
    );
    None
}

/// An application by appId (any case) or by exact display name, which must be free of the
/// flows the plan leaves alone.
fn application(
    cx: &mut Context<'_>,
    flow: &DesiredFlow,
    entry: &Located<String>,
    untouched: &[&UserFlow],
) -> Option<Linked> {
    let applications = cx.live.applications;
    let found = match lookup(
        applications,
        entry,
        |a| &a.app_id,
        |a| Some(&a.display_name),
    ) {
        Lookup::Found(found) => found,
        Lookup::Missing => {
            cx.diagnostics.push(
                Diagnostic::error(
                    "unknown-application",
                    format!("there is no application `{}` in the tenant", entry.as_str()),
                    Some(entry.span()),
                )
                .with_label("no application with this appId or display name")
                .with_help(
                    "name the application by its application (client) id, or by its display \
                     name exactly as the app registration has it",
                ),
            );
            return None;
        }
        Lookup::Several(several) => {
            cx.diagnostics.push(
                Diagnostic::error(
                    "ambiguous-application",
                    format!(
                        "{} applications are named `{}`: {}",
                        several.len(),
                        entry.as_str(),
                        ids(&several, |a| &a.app_id)
                    ),
                    Some(entry.span()),
                )
                .with_help("name the application by its application (client) id"),
            );
            return None;
        }
    };
    let label = application_label(applications, &found.app_id);
    if let Some(holder) = untouched.iter().find(|f| {
        f.applications
            .iter()
            .flatten()
            .any(|id| id.eq_ignore_ascii_case(&found.app_id))
    }) {
        cx.diagnostics.push(
            Diagnostic::error(
                "application-in-unmanaged-flow",
                format!(
                    "the application {label} is linked to the user flow `{}`, which the \
                     configuration does not manage; Graph links an application to one flow only",
                    holder.display_name
                ),
                Some(entry.span()),
            )
            .with_label(format!("already in `{}`", holder.display_name))
            .with_help(format!(
                "add the flow `{}` to the configuration without this application, or remove the \
                 application from `{}`",
                holder.display_name,
                flow.name.as_str()
            )),
        );
        return None;
    }
    Some(Linked {
        id: IdRef::Live(found.app_id.clone()),
        label,
    })
}

/// What a reference by id or display name finds.
enum Lookup<'l, T> {
    Found(&'l T),
    Missing,
    /// Several objects of that display name (and none of that id), by id.
    Several(Vec<&'l T>),
}

/// The item whose id is `reference` (Graph ids compare without case), else the one whose
/// display name is exactly `reference`.
fn lookup<'l, T>(
    items: &'l [T],
    reference: &str,
    id: impl Fn(&T) -> &String,
    name: impl Fn(&T) -> Option<&String>,
) -> Lookup<'l, T> {
    if let Some(found) = items.iter().find(|i| id(i).eq_ignore_ascii_case(reference)) {
        return Lookup::Found(found);
    }
    let mut named: Vec<&T> = items
        .iter()
        .filter(|i| name(i).is_some_and(|n| n == reference))
        .collect();
    // The tenant read may list an object twice (an application named by the files and linked
    // by a flow).
    named.sort_by(|a, b| id(a).cmp(id(b)));
    named.dedup_by(|a, b| id(a).eq_ignore_ascii_case(id(b)));
    match named.as_slice() {
        [] => Lookup::Missing,
        [only] => Lookup::Found(only),
        _ => Lookup::Several(named),
    }
}

fn ids<T>(items: &[&T], id: impl Fn(&T) -> &String) -> String {
    items
        .iter()
        .map(|i| id(i).as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The extension a handler calls, by id (any case) or exact display name, of a type that fits
/// the event when the tenant says its type.
fn handler<'a>(
    cx: &mut Context<'a>,
    event: Event,
    handler: &'a Located<CustomExtensionHandler>,
) -> Option<Handler<'a>> {
    let reference = &handler.extension;
    let extensions = cx.live.custom_extensions;
    let extension = match lookup(
        extensions,
        reference,
        |e| &e.id,
        |e| e.display_name.as_ref(),
    ) {
        Lookup::Found(found) => found,
        Lookup::Missing => {
            cx.diagnostics.push(
                Diagnostic::error(
                    "unknown-extension",
                    format!(
                        "there is no custom authentication extension `{}` in the tenant",
                        reference.as_str()
                    ),
                    Some(reference.span()),
                )
                .with_help(
                    "name an existing extension by its display name or id; ciamctl does not \
                     create custom authentication extensions",
                ),
            );
            return None;
        }
        Lookup::Several(several) => {
            cx.diagnostics.push(
                Diagnostic::error(
                    "ambiguous-extension",
                    format!(
                        "{} custom authentication extensions are named `{}`: {}",
                        several.len(),
                        reference.as_str(),
                        ids(&several, |e| &e.id)
                    ),
                    Some(reference.span()),
                )
                .with_help("name the extension by its id"),
            );
            return None;
        }
    };
    if let Some(kind) = extension.kind.as_deref()
        && !kind.eq_ignore_ascii_case(event.extension_type())
    {
        cx.diagnostics.push(
            Diagnostic::error(
                "wrong-extension-type",
                format!(
                    "the custom authentication extension `{}` is an `{kind}`; `{}` calls an \
                     `{}`",
                    reference.as_str(),
                    event.property(),
                    event.extension_type()
                ),
                Some(reference.span()),
            )
            .with_help(format!(
                "name an extension of type `{}`",
                event.extension_type()
            )),
        );
        return None;
    }
    Some(Handler {
        extension,
        yaml: handler,
    })
}
