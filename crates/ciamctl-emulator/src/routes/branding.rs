//! Company branding and its localizations (REFERENCE.md §7–§8). SKELETON: being built.

use serde::{Deserialize, Serialize};

use crate::router::Route;

pub static ROUTES: &[Route] = &[];

/// The default branding and its localizations, with their stream assets.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BrandingState {}
