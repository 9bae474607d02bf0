//! The desired-state model: a configuration directory of YAML files in, a typed [`Config`] and
//! [`Diagnostic`]s out.
//!
//! [`load`] reads every file, resolves `${…}` variables for the selected environment and
//! collects every problem with its file, line and column instead of stopping at the first one.
//! Nothing here touches the network, and secrets are never read: secret fields keep a
//! [`SecretSource`](ciamctl_secret::SecretSource) that is resolved only when a change sends it.
//!
//! Stages, each in its own module:
//!
//! * `yaml`: text to a node tree with spans (granit-parser events); syntax errors, duplicate
//!   keys, anchors and aliases.
//! * `de`: a serde deserializer over the tree that types values by their target (no Norway
//!   problem), reports unknown keys with suggestions, and recovers from bad values.
//! * `interpolate`: the `${NAME}`, `${env:NAME}` and `${file:PATH}` forms.
//! * `load`: discovering files, environments, merging sections, objects defined twice.
//! * One module per kind of object: [`attribute`], [`identity_provider`], [`user_flow`],
//!   [`branding`], [`settings`], [`environment`].
//! * [`schema`]: the JSON Schemas generated from those types.
//!
//! Semantic checks (references between objects, values Graph would refuse) run on a loaded
//! [`Config`] through [`Loaded::check`].

pub mod attribute;
pub mod branding;
mod config;
mod de;
pub mod diagnostic;
pub mod environment;
#[cfg(test)]
mod fixture;
pub mod identity_provider;
mod interpolate;
mod load;
mod located;
pub mod schema;
mod secret;
pub mod settings;
mod suggest;
pub mod user_flow;
mod yaml;

pub mod assets;
pub mod builtins;
pub mod checks;
pub mod render;

pub use config::Config;
pub use diagnostic::{Diagnostic, Severity, Sources, Span};
pub use load::{Loaded, load};
pub use located::Located;
