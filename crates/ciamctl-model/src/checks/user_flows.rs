//! User flows: their identity providers, their applications, and a page nobody would see.
//!
//! * A flow offers at least one identity provider (REFERENCE.md §1.2, §15 #6), named by a
//!   built-in short name or id ([`builtins::provider`]) or by the `name` of a provider under
//!   `identityProviders`. Each provider is linked once. A damaged flow may have lost its list,
//!   and a damaged or dropped provider its name, so neither is reported as missing.
//! * An application belongs to one user flow at most (§2, §15 #7). Application ids are GUIDs,
//!   which compare without regard to case; so do display names here, to be safe.
//! * The attribute page is shown at sign-up only (`onAttributeCollection`, §1.2): on a
//!   sign-in-only flow it is probably a mistake (warning).

use std::collections::{BTreeMap, BTreeSet};

use crate::builtins;
use crate::checks::seen_before;
use crate::config::Config;
use crate::damage::Damage;
use crate::diagnostic::{Diagnostic, Span};
use crate::located::Located;
use crate::suggest;
use crate::user_flow::UserFlow;

pub(super) fn check(config: &Config, damage: &Damage, out: &mut Vec<Diagnostic>) {
    // Applications by lower-cased id, with the flow and place that link them.
    let mut linked: BTreeMap<String, (&str, Span)> = BTreeMap::new();
    let providers = Providers::of(config);
    for flow in &config.user_flows {
        identity_providers(&providers, damage, flow, out);
        applications(flow, &mut linked, out);
        page_on_sign_in_only_flow(flow, out);
    }
}

fn applications<'a>(
    flow: &'a UserFlow,
    linked: &mut BTreeMap<String, (&'a str, Span)>,
    out: &mut Vec<Diagnostic>,
) {
    let mut own = BTreeMap::new();
    for app in &flow.applications {
        let key = app.to_lowercase();
        if let Some(first) = seen_before(&mut own, key.clone(), app.span()) {
            out.push(
                Diagnostic::error(
                    "duplicate-application",
                    format!(
                        "the application `{}` is listed twice in the user flow `{}`",
                        app.as_str(),
                        flow.name.as_str()
                    ),
                    Some(app.span()),
                )
                .with_label("listed again")
                .with_related(first, "first listed here")
                .with_help("remove one of them"),
            );
            continue;
        }
        if let Some((other_flow, first)) =
            seen_before(linked, key, (flow.name.as_str(), app.span()))
        {
            out.push(
                Diagnostic::error(
                    "app-in-two-flows",
                    format!(
                        "the application `{}` is linked to two user flows, `{other_flow}` and \
                         `{}`",
                        app.as_str(),
                        flow.name.as_str()
                    ),
                    Some(app.span()),
                )
                .with_label(format!("also linked to `{other_flow}`"))
                .with_related(first, format!("linked to `{other_flow}` here"))
                .with_help(
                    "Graph links an application to one user flow only: remove it from one of \
                     the flows",
                ),
            );
        }
    }
}

fn page_on_sign_in_only_flow(flow: &UserFlow, out: &mut Vec<Diagnostic>) {
    if flow.sign_up() {
        return;
    }
    let Some(page) = &flow.page else {
        return;
    };
    let at = flow
        .sign_up
        .as_ref()
        .map_or(flow.name.span(), Located::span);
    out.push(
        Diagnostic::warning(
            "page-on-sign-in-only-flow",
            format!(
                "the user flow `{}` does not allow sign-up, so its attribute page is never shown",
                flow.name.as_str()
            ),
            Some(at),
        )
        .with_label("sign-up is off")
        .with_related(page.span(), "this page is shown only at sign-up")
        .with_help("remove the `page`, or allow sign-up with `signUp: true`"),
    );
}

/// The identity providers a flow can name, gathered once: every flow looks its providers up.
struct Providers<'a> {
    /// The declared providers' names.
    declared: BTreeSet<&'a str>,
    /// Every name, built-in ones first, for "did you mean" and for the help.
    names: Vec<&'a str>,
}

impl<'a> Providers<'a> {
    fn of(config: &'a Config) -> Self {
        let declared = config.identity_providers.iter().map(|p| p.name.as_str());
        let mut names: Vec<&str> = builtins::PROVIDERS.iter().map(|p| p.short_name).collect();
        names.extend(declared.clone());
        Self {
            declared: declared.collect(),
            names,
        }
    }
}

fn identity_providers(
    providers: &Providers<'_>,
    damage: &Damage,
    flow: &Located<UserFlow>,
    out: &mut Vec<Diagnostic>,
) {
    if flow.identity_providers.is_empty() {
        if damage.within(flow.span()) {
            return;
        }
        out.push(
            Diagnostic::error(
                "flow-without-identity-provider",
                format!(
                    "the user flow `{}` offers no identity provider",
                    flow.name.as_str()
                ),
                Some(flow.name.span()),
            )
            .with_label("no identity provider")
            .with_help(
                "add `identityProviders: [EmailPassword]` (or `EmailOtp`, or the name of a \
                 provider under `identityProviders`): Graph needs at least one",
            ),
        );
        return;
    }
    // Each reference resolves to one provider, identified by its Graph id for the built-ins
    // and by its name otherwise, so `EmailPassword` and `EmailPassword-OAUTH` are the same.
    let mut seen = BTreeMap::new();
    for reference in &flow.identity_providers {
        let identity = if let Some(builtin) = builtins::provider(reference) {
            builtin.id
        } else if providers.declared.contains(reference.as_str())
            || damage.identity_providers.may_include(reference)
        {
            reference.as_str()
        } else {
            out.push(unknown_provider(&providers.names, reference));
            continue;
        };
        if let Some(first) = seen_before(&mut seen, identity, reference.span()) {
            out.push(
                Diagnostic::error(
                    "duplicate-identity-provider",
                    format!(
                        "the user flow `{}` lists the identity provider `{}` twice",
                        flow.name.as_str(),
                        reference.as_str()
                    ),
                    Some(reference.span()),
                )
                .with_label("listed again")
                .with_related(first, "first listed here")
                .with_help("remove one of them"),
            );
        }
    }
}

/// `reference` is not among `candidates`, the built-in and declared providers.
fn unknown_provider(candidates: &[&str], reference: &Located<String>) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "unknown-identity-provider",
        format!("there is no identity provider `{}`", reference.as_str()),
        Some(reference.span()),
    );
    let known = format!("the flow can offer {}", suggest::list(candidates));
    let closest = suggest::closest(reference, candidates).or_else(|| {
        builtins::PROVIDERS
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(reference))
            .map(|p| p.short_name)
    });
    match closest {
        Some(candidate) => diagnostic
            .with_label(format!("did you mean `{candidate}`?"))
            .with_help(known),
        None => diagnostic
            .with_label("unknown identity provider")
            .with_help(format!("declare it under `identityProviders`; {known}")),
    }
}
