//! Custom authentication extensions (REFERENCE.md §9.1). SKELETON: being built.

use crate::router::Route;

pub static ROUTES: &[Route] = &[];
