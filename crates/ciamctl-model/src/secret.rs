//! Secret fields (`clientSecret`): how the model reads, writes and describes them.
//!
//! A secret field holds a reference, never a value: `${env:NAME}` or `${file:PATH}`, kept as a
//! [`SecretReference`] around the [`SecretSource`] and resolved only when a change has to send
//! it. The loader's deserializer recognises these fields by a private struct name, reads the
//! raw text (no interpolation: a `${NAME}` variable comes from a committed file, so it cannot
//! be a secret) and reports a literal with a diagnostic that never repeats the value. The type
//! is ours rather than `SecretSource` itself because `SecretSource` lives in `ciamctl-secret`,
//! which knows nothing about serde deserialization or JSON Schema.

use std::fmt;
use std::ops::Deref;

use ciamctl_secret::SecretSource;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::interpolate::{self, SecretProblem};

/// The struct name by which the loader's deserializer recognises a secret field.
pub(crate) const MAGIC: &str = "$ciamctl::SecretSource";

/// A regular expression for the two accepted forms, used by the JSON Schema.
const PATTERN: &str = r"^\$\{(env:[A-Za-z_][A-Za-z0-9_]*|file:[^}]+)\}$";

/// Where a secret comes from, as a secret field says: never the secret itself. It reads as
/// its [`SecretSource`], which resolves it when a change has to send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretReference(pub SecretSource);

impl Deref for SecretReference {
    type Target = SecretSource;

    fn deref(&self) -> &SecretSource {
        &self.0
    }
}

/// Outside the loader (for example from JSON) the same text forms are accepted, and a value
/// in another form is refused without being repeated.
impl<'de> Deserialize<'de> for SecretReference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(MAGIC, &[], ReferenceVisitor)
    }
}

struct ReferenceVisitor;

impl Visitor<'_> for ReferenceVisitor {
    type Value = SecretReference;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`${env:NAME}` or `${file:PATH}`")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<SecretReference, E> {
        interpolate::parse_secret(text)
            .map(SecretReference)
            .map_err(|_| E::custom("a secret must be `${env:NAME}` or `${file:PATH}`"))
    }
}

/// Writes the reference back as it was written (`${env:NAME}`); the source is not secret.
impl Serialize for SecretReference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// The schema of a secret field: a string in one of the two reference forms.
pub(crate) fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "pattern": PATTERN,
        "examples": ["${env:GOOGLE_CLIENT_SECRET}", "${file:/run/secrets/google-client-secret}"],
    })
}

/// The code, message and help the loader reports for a secret field that is not a reference.
/// None of them includes the field's text: it may be the secret itself.
pub(crate) fn problem_report(problem: &SecretProblem) -> (&'static str, String, String) {
    match problem {
        SecretProblem::Literal => (
            "literal-secret",
            "a secret must not be written in a configuration file".to_owned(),
            "reference it instead: `${env:NAME}` reads the environment variable NAME when a \
             change needs it, `${file:PATH}` reads a file"
                .to_owned(),
        ),
        SecretProblem::Variable(name) => (
            "literal-secret",
            format!("a secret cannot come from the environment-file variable `{name}`"),
            format!(
                "environment files are committed; write `${{env:{name}}}` and set the \
                 environment variable `{name}` where ciamctl runs"
            ),
        ),
        SecretProblem::Syntax(_) => (
            "invalid-interpolation",
            "this secret reference is malformed".to_owned(),
            "write `${env:NAME}` or `${file:PATH}`".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests;
