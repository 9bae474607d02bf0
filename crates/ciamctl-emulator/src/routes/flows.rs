//! User flows (REFERENCE.md §1–§4). SKELETON: being built.

use serde::{Deserialize, Serialize};

use crate::router::Route;
use crate::state::Object;

pub static ROUTES: &[Route] = &[];

/// A stored user flow.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FlowRecord {
    pub object: Object,
}
