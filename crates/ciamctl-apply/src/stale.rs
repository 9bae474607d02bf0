//! Whether a saved plan still applies (`ciamctl apply PLAN.json`).
//!
//! The caller plans again, now, from the same configuration and tenant with the saved plan's
//! options, and [`check`] compares the two. The saved plan applies only when it was made for
//! this tenant, from the same configuration and asset files (its digest), every object it
//! touches is as it was when it was made (the fingerprints of the objects it updates or
//! deletes, and the absence of those it creates), and so it is the very plan that would be
//! made now. That last comparison also means a plan file edited by hand is refused: `apply`
//! sends only requests the configuration gives.

use std::collections::BTreeMap;
use std::fmt;

use ciamctl_plan::{Action, FORMAT_VERSION, Kind, Plan};

/// One reason a saved plan no longer applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// The plan document has another format version.
    Format { found: u32 },
    /// The plan was made for another tenant.
    Tenant { planned: String, now: String },
    /// The configuration or its asset files are not the ones the plan was made from.
    Config,
    /// An object the plan changes is not as it was when the plan was made.
    Object {
        kind: Kind,
        name: String,
        change: ObjectChange,
    },
    /// The configuration and the objects are as they were, yet the plan made now differs
    /// (an object the plan refers to without changing it, or a plan file edited by hand).
    Changes,
}

/// What happened in the tenant to an object a saved plan changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectChange {
    /// It was changed.
    Modified,
    /// It was deleted.
    Deleted,
    /// The plan creates it, and it exists now.
    Created,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::Format { found } => write!(
                f,
                "the plan file has format version {found}; this ciamctl applies version \
                 {FORMAT_VERSION}"
            ),
            Stale::Tenant { planned, now } => write!(
                f,
                "the plan was made for tenant {planned}, but the configuration's tenant is {now}"
            ),
            Stale::Config => {
                f.write_str("the configuration or its asset files changed since the plan was made")
            }
            Stale::Object { kind, name, change } => {
                let what = match change {
                    ObjectChange::Modified => "was changed in the tenant",
                    ObjectChange::Deleted => "was deleted from the tenant",
                    ObjectChange::Created => "was created in the tenant",
                };
                write!(
                    f,
                    "{} \"{name}\" {what} since the plan was made",
                    kind.noun()
                )
            }
            Stale::Changes => f.write_str(
                "the plan differs from the one the configuration and the tenant give now (an \
                 object it refers to changed, or the plan file was edited)",
            ),
        }
    }
}

/// Why `saved` no longer applies, given `now`, the plan made now from the same configuration
/// and tenant with `saved`'s options; empty when it applies. Every reason is listed.
pub fn check(saved: &Plan, now: &Plan) -> Vec<Stale> {
    if saved.format_version != FORMAT_VERSION {
        return vec![Stale::Format {
            found: saved.format_version,
        }];
    }
    if !saved.tenant_id.eq_ignore_ascii_case(&now.tenant_id) {
        return vec![Stale::Tenant {
            planned: saved.tenant_id.clone(),
            now: now.tenant_id.clone(),
        }];
    }
    let mut reasons = Vec::new();
    if saved.config_digest != now.config_digest {
        reasons.push(Stale::Config);
    }
    let live: BTreeMap<(&str, String), &str> = now
        .live
        .iter()
        .map(|o| {
            (
                (o.kind.as_str(), o.id.to_lowercase()),
                o.fingerprint.as_str(),
            )
        })
        .collect();
    for change in &saved.changes {
        let object = |change_kind| Stale::Object {
            kind: change.kind,
            name: change.name.clone(),
            change: change_kind,
        };
        match (&change.live_id, &change.fingerprint) {
            (Some(id), Some(fingerprint)) => {
                match live.get(&(change.kind.live_kind().name(), id.to_lowercase())) {
                    None => reasons.push(object(ObjectChange::Deleted)),
                    Some(found) if found != fingerprint => {
                        reasons.push(object(ObjectChange::Modified));
                    }
                    Some(_) => {}
                }
            }
            // Only from the same configuration does a create missing from the plan made now
            // mean the object appeared; otherwise the configuration may have dropped it.
            _ if change.action == Action::Create && saved.config_digest == now.config_digest => {
                let still_created = now.changes.iter().any(|c| {
                    c.action == Action::Create
                        && c.kind == change.kind
                        && c.name.to_lowercase() == change.name.to_lowercase()
                });
                if !still_created {
                    reasons.push(object(ObjectChange::Created));
                }
            }
            _ => {}
        }
    }
    if reasons.is_empty() && saved.changes != now.changes {
        reasons.push(Stale::Changes);
    }
    reasons
}
