//! The rules that mark a change unsafe across kinds, after every kind has been diffed. (Rules
//! about one flow, such as deleting a flow that still has applications, are the flow diff's.)
//!
//! * Deleting an attribute or a provider that a flow still uses, where that flow is one the
//!   plan leaves alone (a flow the configuration does not manage): Graph refuses the delete
//!   (REFERENCE.md §16.1) and the flow would lose a field or a way to sign in.
//! * Deleting more than `settings.maxDeletePercent` (default 30) of a kind's live objects,
//!   when the kind has at least 10: a deleted file or a wrong directory, not an edit
//!   (octoDNS's rule; small tenants are not blocked by one delete).

use std::collections::BTreeSet;

use crate::diff::Context;
use crate::document::{Action, Kind};

/// Below this many live objects of a kind, the share of deletes is not checked.
const MIN_OBJECTS_FOR_DELETE_SHARE: usize = 10;

pub(crate) fn check(cx: &mut Context<'_>) {
    still_used(cx);
    delete_share(cx);
}

fn still_used(cx: &mut Context<'_>) {
    let managed: BTreeSet<&str> = cx
        .config
        .user_flows
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    let deleted: BTreeSet<String> = cx
        .builder
        .changes
        .iter()
        .filter(|c| c.action == Action::Delete && c.kind == Kind::UserFlow)
        .map(|c| c.name.clone())
        .collect();
    let mut untouched_flows: Vec<_> = cx
        .live
        .user_flows
        .iter()
        .filter(|f| {
            !managed.contains(f.display_name.as_str()) && !deleted.contains(&f.display_name)
        })
        .collect();
    // Reasons in a fixed order, whatever order Graph listed the flows in.
    untouched_flows.sort_by(|a, b| (&a.display_name, &a.id).cmp(&(&b.display_name, &b.id)));
    for change in &mut cx.builder.changes {
        if change.action != Action::Delete {
            continue;
        }
        let Some(id) = change.live_id.as_deref() else {
            continue;
        };
        let (what, users): (&str, Vec<&str>) = match change.kind {
            Kind::Attribute => (
                "collects",
                untouched_flows
                    .iter()
                    .filter(|f| {
                        f.attributes
                            .iter()
                            .flatten()
                            .any(|a| a.eq_ignore_ascii_case(id))
                    })
                    .map(|f| f.display_name.as_str())
                    .collect(),
            ),
            Kind::IdentityProvider => (
                "offers",
                untouched_flows
                    .iter()
                    .filter(|f| {
                        f.identity_providers
                            .iter()
                            .flatten()
                            .any(|p| p.id.eq_ignore_ascii_case(id))
                    })
                    .map(|f| f.display_name.as_str())
                    .collect(),
            ),
            _ => continue,
        };
        for flow in users {
            change.unsafe_reasons.push(format!(
                "the user flow \"{flow}\", which the configuration does not manage, still {what} \
                 it; Graph refuses the delete until no flow uses it"
            ));
        }
    }
}

fn delete_share(cx: &mut Context<'_>) {
    let max = cx.config.settings.max_delete_percent() as usize;
    for kind in Kind::ALL {
        let live = match kind {
            Kind::Attribute => cx.live.attributes.iter().filter(|a| a.is_custom()).count(),
            Kind::IdentityProvider => cx.live.custom_providers().count(),
            Kind::UserFlow => cx.live.user_flows.len(),
            Kind::Branding => usize::from(cx.live.branding.is_some()),
            Kind::Localization => cx.live.localizations.len(),
        };
        let deletes = cx
            .builder
            .changes
            .iter()
            .filter(|c| c.kind == kind && c.action == Action::Delete)
            .count();
        if live < MIN_OBJECTS_FOR_DELETE_SHARE || deletes * 100 <= max * live {
            continue;
        }
        let reason = format!(
            "the plan deletes {deletes} of the tenant's {live} {} ({}%), more than \
             maxDeletePercent ({max}%); check the configuration directory, or raise \
             settings.maxDeletePercent",
            kind.plural(),
            share(deletes, live, max)
        );
        for change in &mut cx.builder.changes {
            if change.kind == kind && change.action == Action::Delete {
                change.unsafe_reasons.push(reason.clone());
            }
        }
    }
}

/// `part` of `whole` in whole percent, or to a tenth rounded up when the whole percent would
/// read as the limit `max` itself (4 of 13 is 30.8%, not 30%, over a limit of 30%).
fn share(part: usize, whole: usize, max: usize) -> String {
    let percent = part * 100 / whole;
    if percent > max {
        return percent.to_string();
    }
    let tenths = (part * 1000).div_ceil(whole);
    format!("{}.{}", tenths / 10, tenths % 10)
}
