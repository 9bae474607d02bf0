//! Authentication event listeners (REFERENCE.md §9.2). SKELETON: being built.

use crate::router::Route;

pub static ROUTES: &[Route] = &[];
