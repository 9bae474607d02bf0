//! The Graph routes, one module per resource kind. Each module owns its part of the tenant
//! state, its read shapes and its quirks, and exports its rows of the route table as `ROUTES`.

pub(crate) mod branding;
mod collection;
pub(crate) mod directory;
pub(crate) mod extensions;
pub(crate) mod flows;
pub(crate) mod identity_providers;
pub(crate) mod listeners;
pub(crate) mod user_flow_attributes;

use crate::router::Route;

/// The route table, grouped by module, in the order the crate docs list it.
pub(crate) static ALL: &[&[Route]] = &[
    flows::ROUTES,
    user_flow_attributes::ROUTES,
    identity_providers::ROUTES,
    branding::ROUTES,
    extensions::ROUTES,
    listeners::ROUTES,
    directory::ROUTES,
];
