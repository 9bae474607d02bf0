//! The JSON Schemas of the two kinds of file, generated from the model types.
//!
//! `schemas/ciamctl.schema.json` describes configuration files and
//! `schemas/ciamctl-environment.schema.json` environment files; editors pick them up through
//! the `# yaml-language-server: $schema=…` line at the top of a file. Both are committed and a
//! test fails when they are stale (`CIAMCTL_UPDATE_SCHEMA=1` rewrites them); `ciamctl schema`
//! prints them.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;

use crate::config::ConfigFile;
use crate::environment::EnvironmentFile;

/// The JSON Schema of a configuration file, as pretty-printed JSON ending in a newline.
pub fn config_schema() -> String {
    generate::<ConfigFile>()
}

/// The JSON Schema of an environment file (`environments/<name>.yaml`).
pub fn environment_schema() -> String {
    generate::<EnvironmentFile>()
}

fn generate<T: JsonSchema>() -> String {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut text = serde_json::to_string_pretty(&schema)
        .expect("a JSON Schema is a JSON value, which always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
