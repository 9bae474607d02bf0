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
//! * `damage`: which objects structural errors damaged or dropped, for the checks.
//! * One module per kind of object: [`attribute`], [`identity_provider`], [`user_flow`],
//!   [`branding`], [`settings`], [`environment`].
//! * [`schema`]: the JSON Schemas generated from those types.
//!
//! [`load`] then runs the semantic checks ([`checks`]: references between objects, values Graph
//! would refuse) on what it loaded, even when loading found structural errors: what survived
//! them is checked too, with what they damaged left out (`damage`), so one run reports every
//! problem. A configuration with any error never leaves the model: [`Loaded::config`] returns
//! it only when nothing is wrong.
//!
//! # Diagnostic codes of loading
//!
//! Stable identifiers, for machine output and tests. Messages are one sentence without a
//! trailing period; every error says how to fix it.
//!
//! | code | what |
//! |---|---|
//! | `yaml-syntax` | the text is not YAML (at the parser's position) |
//! | `alias-limit` | aliases expand to more than 100 000 values, or nest more than 512 levels deep (a YAML bomb) |
//! | `multiple-documents` | a second `---` document in one file |
//! | `duplicate-key` | a key twice in one mapping |
//! | `invalid-key` | a key that is a list or a mapping |
//! | `unknown-key` | a key the object does not have, or an unknown section (with "did you mean") |
//! | `invalid-type` | a value of the wrong kind: `yes` for a boolean, a list for a string, … |
//! | `missing-field` | a required key is absent (also per identity-provider type), or an environment file is empty |
//! | `empty-file` | (warning) a configuration file with no content, or only comments |
//! | `unknown-variant` | a value outside an enumeration (`userType: owner`) |
//! | `invalid-value` | a value of the right kind that cannot be right (out of range, not a GUID) |
//! | `inapplicable-field` | a key the object's type does not use (`issuer` on a Google provider) |
//! | `duplicate-object` | the same object twice: flows, attributes, providers by name, localizations by locale, `branding`/`settings` in two files, two files for one environment |
//! | `duplicate-value` | (warning) the same kind twice in `settings.prune` |
//! | `invalid-interpolation` | a malformed `${…}` |
//! | `unresolved-variable` | a `${NAME}` the environment lacks, an unset `${env:NAME}`, a missing `${file:PATH}` |
//! | `file-outside-config` | a `${file:PATH}` leaving the configuration directory |
//! | `literal-secret` | a secret field holding a value or a `${NAME}` variable |
//! | `unknown-environment` | `--env` names no environment file |
//! | `config-not-found`, `no-config-files`, `io-error` | the directory or a file cannot be read (a dangling link, a pipe) |
//! | `not-utf8` | a file is not UTF-8 text (at its first byte that is not) |
//! | `link-not-followed` | (warning) a symbolic link to a folder, which loading does not follow |
//! | `file-too-large`, `config-too-large` | a file over 4 MiB, or files over 16 MiB together: not a configuration |

pub mod attribute;
pub mod branding;
mod config;
mod damage;
mod de;
pub mod diagnostic;
pub mod environment;
#[cfg(test)]
mod fixture;
pub mod identity_provider;
mod interpolate;
mod load;
mod located;
mod paths;
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
pub use secret::SecretReference;
