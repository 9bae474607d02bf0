//! Writing the files: YAML through serde-saphyr's serializer, each file opening with the
//! `# yaml-language-server: $schema=…` modeline, and the JSON Schemas that line points at.
//!
//! **Modeline.** An exported directory lives in the user's repository, where ciamctl's
//! `schemas/` folder is not. So the export writes the schemas of the ciamctl version that made
//! it into the directory (`schemas/ciamctl.schema.json`, `schemas/ciamctl-environment.schema.json`;
//! the loader reads only YAML files, so they are not configuration) and each file points at
//! them by a relative path: editors check the files offline, against the exact format written.
//! `ciamctl schema > DIR/schemas/ciamctl.schema.json` refreshes them after an upgrade.
//!
//! **Scalars.** serde-saphyr quotes every string a YAML 1.1 reader could take for something
//! else (`NO`, `yes`, `on`, `0755`, `~`, `1e3`), writes multi-line text as `|` blocks, and is
//! told never to fold long lines (a folded block changes runs of spaces when read back).
//! Lists are indented under their key, as the examples in the README are.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ExportError;

/// Where the schemas go, relative to the configuration directory.
const SCHEMAS: &str = "schemas";
const CONFIG_SCHEMA: &str = "ciamctl.schema.json";
const ENVIRONMENT_SCHEMA: &str = "ciamctl-environment.schema.json";

/// The files of an export, by path.
#[derive(Debug, Default)]
pub(crate) struct Files(BTreeMap<String, Vec<u8>>);

impl Files {
    /// Adds `value` as the YAML file `path`, with the modeline of its kind of file.
    pub(crate) fn yaml<T: Serialize>(&mut self, path: &str, value: &T) -> Result<(), ExportError> {
        let schema = if path.starts_with("environments/") {
            ENVIRONMENT_SCHEMA
        } else {
            CONFIG_SCHEMA
        };
        let text = to_yaml(value).map_err(|error| ExportError::Yaml {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
        let up = "../".repeat(path.matches('/').count());
        let file = format!("# yaml-language-server: $schema={up}{SCHEMAS}/{schema}\n{text}");
        self.0.insert(path.to_owned(), file.into_bytes());
        Ok(())
    }

    /// Adds a file as it is (an asset).
    pub(crate) fn binary(&mut self, path: &str, bytes: Vec<u8>) {
        self.0.insert(path.to_owned(), bytes);
    }

    /// The files sorted by path, with the schemas the YAML files point at.
    pub(crate) fn finish(mut self) -> Vec<crate::File> {
        self.0.insert(
            format!("{SCHEMAS}/{CONFIG_SCHEMA}"),
            ciamctl_model::schema::config_schema().into_bytes(),
        );
        if self.0.keys().any(|path| path.starts_with("environments/")) {
            self.0.insert(
                format!("{SCHEMAS}/{ENVIRONMENT_SCHEMA}"),
                ciamctl_model::schema::environment_schema().into_bytes(),
            );
        }
        self.0
            .into_iter()
            .map(|(path, bytes)| crate::File { path, bytes })
            .collect()
    }
}

/// `value` as a YAML document in the export's style.
pub(crate) fn to_yaml<T: Serialize>(value: &T) -> Result<String, serde_saphyr::SerializeError> {
    let options = serde_saphyr::ser_options! {
        compact_list_indent: false,
        folded_wrap_chars: usize::MAX,
    };
    serde_saphyr::to_string_with_options(value, options)
}
