//! The live tenant: every kind a configuration can manage, each read or unknown.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::{
    Application, Branding, CustomExtension, IdentityProvider, Known, Localization, Organization,
    ReadFailure, UserFlow, UserFlowAttribute,
};

/// Everything ciamctl reads from a tenant. The fetcher (`ciamctl-tenant`) builds it; the
/// planner diffs a configuration against it; `ciamctl snapshot` prints it.
///
/// Vectors may be in any order; serialisation, [`render_text`](crate::render_text) and
/// [`LiveTenant::sort`] use each kind's natural key ([`Keyed`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveTenant {
    pub tenant_id: String,
    pub organization: Known<Organization>,
    #[serde(serialize_with = "sorted")]
    pub user_flows: Known<Vec<UserFlow>>,
    /// Built-in and custom.
    #[serde(serialize_with = "sorted")]
    pub attributes: Known<Vec<UserFlowAttribute>>,
    #[serde(serialize_with = "sorted")]
    pub identity_providers: Known<Vec<IdentityProvider>>,
    #[serde(serialize_with = "sorted")]
    pub custom_extensions: Known<Vec<CustomExtension>>,
    /// `None`: the tenant has no default branding (Graph answered 404, §7).
    pub branding: Known<Option<Branding>>,
    /// Never the default branding (id `0`), which the list includes (§8).
    #[serde(serialize_with = "sorted")]
    pub localizations: Known<Vec<Localization>>,
    /// The applications the configuration refers to, resolved by name or client id.
    #[serde(serialize_with = "sorted")]
    pub applications: Known<Vec<Application>>,
}

/// A kind of the live tenant, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    Organization,
    UserFlows,
    Attributes,
    IdentityProviders,
    CustomExtensions,
    Branding,
    Localizations,
    Applications,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Organization,
        Kind::UserFlows,
        Kind::Attributes,
        Kind::IdentityProviders,
        Kind::CustomExtensions,
        Kind::Branding,
        Kind::Localizations,
        Kind::Applications,
    ];

    /// The name used in the JSON snapshot and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organization => "organization",
            Kind::UserFlows => "userFlows",
            Kind::Attributes => "attributes",
            Kind::IdentityProviders => "identityProviders",
            Kind::CustomExtensions => "customExtensions",
            Kind::Branding => "branding",
            Kind::Localizations => "localizations",
            Kind::Applications => "applications",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl LiveTenant {
    /// The read failure of `kind`, if it is unknown.
    pub fn failure(&self, kind: Kind) -> Option<&ReadFailure> {
        match kind {
            Kind::Organization => self.organization.failure(),
            Kind::UserFlows => self.user_flows.failure(),
            Kind::Attributes => self.attributes.failure(),
            Kind::IdentityProviders => self.identity_providers.failure(),
            Kind::CustomExtensions => self.custom_extensions.failure(),
            Kind::Branding => self.branding.failure(),
            Kind::Localizations => self.localizations.failure(),
            Kind::Applications => self.applications.failure(),
        }
    }

    /// The kinds that could not be read, and why, in [`Kind::ALL`] order.
    pub fn unknown_kinds(&self) -> Vec<(Kind, &ReadFailure)> {
        Kind::ALL
            .into_iter()
            .filter_map(|kind| self.failure(kind).map(|failure| (kind, failure)))
            .collect()
    }

    /// Whether every kind was read.
    pub fn is_complete(&self) -> bool {
        Kind::ALL
            .into_iter()
            .all(|kind| self.failure(kind).is_none())
    }

    /// Sorts every collection by its natural key, as serialisation shows them.
    pub fn sort(&mut self) {
        fn sort<T: Keyed>(kind: &mut Known<Vec<T>>) {
            if let Some(items) = kind.known_mut() {
                items.sort_by(|a, b| a.key().cmp(&b.key()));
            }
        }
        sort(&mut self.user_flows);
        sort(&mut self.attributes);
        sort(&mut self.identity_providers);
        sort(&mut self.custom_extensions);
        sort(&mut self.localizations);
        sort(&mut self.applications);
    }
}

/// An object with a natural sort key: flows by display name, attributes and providers by id,
/// localizations by locale, applications by display name then client id. The second part breaks
/// ties (two flows cannot share a name in Graph, but the snapshot must not depend on it).
pub trait Keyed {
    fn key(&self) -> (&str, &str);
}

impl Keyed for UserFlow {
    fn key(&self) -> (&str, &str) {
        (&self.display_name, &self.id)
    }
}

impl Keyed for UserFlowAttribute {
    fn key(&self) -> (&str, &str) {
        (&self.id, "")
    }
}

impl Keyed for IdentityProvider {
    fn key(&self) -> (&str, &str) {
        (&self.id, "")
    }
}

impl Keyed for CustomExtension {
    fn key(&self) -> (&str, &str) {
        (self.display_name.as_deref().unwrap_or_default(), &self.id)
    }
}

impl Keyed for Localization {
    fn key(&self) -> (&str, &str) {
        (&self.locale, "")
    }
}

impl Keyed for Application {
    fn key(&self) -> (&str, &str) {
        (&self.display_name, &self.app_id)
    }
}

/// The items of a known collection, sorted by their natural key.
pub(crate) fn sorted_items<T: Keyed>(items: &[T]) -> Vec<&T> {
    let mut sorted: Vec<&T> = items.iter().collect();
    sorted.sort_by(|a, b| a.key().cmp(&b.key()));
    sorted
}

fn sorted<T: Keyed + Serialize, S: Serializer>(
    kind: &Known<Vec<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match kind {
        Known::Known(items) => sorted_items(items).serialize(serializer),
        Known::Unknown(_) => kind.serialize(serializer),
    }
}

#[cfg(test)]
mod tests;
