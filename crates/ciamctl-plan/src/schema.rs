//! The JSON Schema of the plan document, generated from [`crate::document`]'s types.
//!
//! Committed as `schemas/ciamctl-plan.schema.json`; a test fails when it is stale
//! (`CIAMCTL_UPDATE_SCHEMA=1` rewrites it) and another validates real plans against it with an
//! independent validator. `ciamctl schema --plan` prints it.

use schemars::generate::SchemaSettings;

use crate::document::Plan;

/// The JSON Schema of the plan document, as pretty-printed JSON ending in a newline.
pub fn plan_schema() -> String {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Plan>();
    let mut text = serde_json::to_string_pretty(&schema)
        .expect("a JSON Schema is a JSON value, which always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
