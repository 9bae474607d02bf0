//! The Graph routes, one module per resource kind. Each module owns its part of the tenant
//! state, its read shapes and its quirks, and exports its rows of the route table as `ROUTES`.

pub mod branding;
pub mod directory;
pub mod extensions;
pub mod flows;
pub mod identity_providers;
pub mod listeners;
pub mod user_flow_attributes;

use crate::router::Route;

/// The route table, grouped by module, in the order the crate docs list it.
pub static ALL: &[&[Route]] = &[
    flows::ROUTES,
    user_flow_attributes::ROUTES,
    identity_providers::ROUTES,
    branding::ROUTES,
    extensions::ROUTES,
    listeners::ROUTES,
    directory::ROUTES,
];
