//! Secret fields (`clientSecret`): how the model reads, writes and describes them.
//!
//! A secret field holds a reference, never a value: `${env:NAME}` or `${file:PATH}`, stored as
//! `Located<SecretSource>` and resolved only when a change has to send it. The loader's
//! deserializer recognises these fields by a private struct name, reads the raw text (no
//! interpolation: a `${NAME}` variable comes from a committed file, so it cannot be a secret)
//! and reports a literal with a diagnostic that never repeats the value. The field attributes
//! on the model point at the functions here because `SecretSource` lives in `ciamctl-secret`,
//! which knows nothing about serde deserialization or JSON Schema.

use std::fmt;

use ciamctl_secret::SecretSource;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

use crate::interpolate::{self, SecretProblem};
use crate::located::Located;

/// The struct name by which the loader's deserializer recognises a secret field.
pub(crate) const MAGIC: &str = "$ciamctl::SecretSource";

/// A regular expression for the two accepted forms, used by the JSON Schema.
const PATTERN: &str = r"^\$\{(env:[A-Za-z_][A-Za-z0-9_]*|file:[^}]+)\}$";

/// Reads a secret reference. Outside the loader (for example from JSON) it accepts the same
/// text forms and fails without repeating the value.
struct Wire(SecretSource);

impl<'de> Deserialize<'de> for Wire {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(MAGIC, &[], WireVisitor)
    }
}

struct WireVisitor;

impl Visitor<'_> for WireVisitor {
    type Value = Wire;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`${env:NAME}` or `${file:PATH}`")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Wire, E> {
        interpolate::parse_secret(text)
            .map(Wire)
            .map_err(|_| E::custom("a secret must be `${env:NAME}` or `${file:PATH}`"))
    }
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Located<SecretSource>>, D::Error> {
    let wire = Option::<Located<Wire>>::deserialize(deserializer)?;
    Ok(wire.map(|located| located.map(|Wire(source)| source)))
}

/// Writes the reference back as it was written (`${env:NAME}`); the source is not secret.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes a reference to the field's type.
pub(crate) fn serialize<S: Serializer>(
    value: &Option<Located<SecretSource>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(source) => serializer.collect_str(source.get()),
        None => serializer.serialize_none(),
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
