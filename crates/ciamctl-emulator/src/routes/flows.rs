//! User flows (REFERENCE.md §1–§4). SKELETON: being built.

use serde::{Deserialize, Serialize};

use crate::router::Route;
use crate::state::Object;

pub static ROUTES: &[Route] = &[];

/// A stored user flow.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FlowRecord {
    /// The flow's own properties as stored (handlers included, navigation links excluded).
    pub object: Object,
    /// appIds of `conditions.applications.includeApplications`.
    pub applications: Vec<String>,
    /// Ids of the identity providers of `onAuthenticationMethodLoadStart`.
    pub identity_providers: Vec<String>,
    /// Ids of the user-flow attributes of `onAttributeCollection`.
    pub attributes: Vec<String>,
}
