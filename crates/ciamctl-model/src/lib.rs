//! The desired-state model. SKELETON: being built.

pub mod diagnostic;

pub mod assets;
pub mod builtins;
pub mod render;
