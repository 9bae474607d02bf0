//! Environments: the tenant a configuration is applied to, and the values that differ per
//! tenant.
//!
//! `environments/<name>.yaml` (or `.yml`) in the configuration directory holds the tenant id
//! and named `variables` that configuration files use as `${NAME}`. `--env NAME` selects one;
//! without it, `validate` checks the configuration against every environment file, so one CI
//! job catches a variable missing from any of them.
//!
//! Variable values are taken literally: no `${…}` inside an environment file. Environment files
//! are committed, so they hold no secrets either; secrets come from `${env:…}` or `${file:…}`
//! in the configuration itself.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::interpolate;
use crate::located::Located;

/// The directory, inside the configuration directory, that holds environment files.
pub const DIRECTORY: &str = "environments";

/// One environment, read from `environments/<name>.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The file name without its extension.
    pub name: String,
    /// The tenant (directory) id, a GUID.
    pub tenant_id: Located<String>,
    /// Values for `${NAME}` references, by name.
    pub variables: BTreeMap<Located<String>, Located<String>>,
}

/// An environment file as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(
    title = "ciamctl environment file",
    description = "One environment of a ciamctl configuration: `environments/<name>.yaml`."
)]
pub(crate) struct EnvironmentFile {
    /// The tenant (directory) id of this environment's Microsoft Entra External ID tenant.
    #[schemars(regex(
        pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    ))]
    #[schemars(example = &"3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90")]
    pub(crate) tenant_id: Located<String>,
    /// Values for `${NAME}` references in configuration files. Names are letters, digits and
    /// `_`, not starting with a digit; values are taken literally.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" }))]
    pub(crate) variables: BTreeMap<Located<String>, Located<String>>,
}

impl EnvironmentFile {
    pub(crate) fn into_environment(self, name: String) -> (Environment, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        if !is_guid(&self.tenant_id) {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-value",
                    "`tenantId` must be a GUID",
                    Some(self.tenant_id.span()),
                )
                .with_help(
                    "use the tenant (directory) id, such as \
                     `3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90`; the admin center shows it on the \
                     tenant overview",
                ),
            );
        }
        for name in self.variables.keys() {
            if !interpolate::is_name(name) {
                diagnostics.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("`{}` is not a valid variable name", **name),
                        Some(name.span()),
                    )
                    .with_help(
                        "use letters, digits and `_`, not starting with a digit, such as \
                         `WEB_APP_ID`",
                    ),
                );
            }
        }
        let environment = Environment {
            name,
            tenant_id: self.tenant_id,
            variables: self.variables,
        };
        (environment, diagnostics)
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}
