//! The committed schemas are what the model generates, and every example file satisfies them
//! (checked with the `jsonschema` crate, a validator independent of our loader).

use std::path::{Path, PathBuf};

use super::{config_schema, environment_schema};
use crate::de::{self, Context};
use crate::diagnostic::Sources;
use crate::yaml::{self, NodeIds};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compares `generated` with the committed file, or rewrites it when `CIAMCTL_UPDATE_SCHEMA=1`.
#[track_caller]
fn check_fresh(name: &str, generated: &str) {
    let path = workspace().join("schemas").join(name);
    if std::env::var_os("CIAMCTL_UPDATE_SCHEMA").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/{name} is stale; regenerate it with \
         `CIAMCTL_UPDATE_SCHEMA=1 cargo test -p ciamctl-model schema` and commit the result"
    );
}

#[test]
fn committed_config_schema_is_up_to_date() {
    check_fresh("ciamctl.schema.json", &config_schema());
}

#[test]
fn committed_environment_schema_is_up_to_date() {
    check_fresh("ciamctl-environment.schema.json", &environment_schema());
}

/// A YAML file as JSON, read from the node tree with YAML 1.2 core-schema typing.
fn yaml_as_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let mut sources = Sources::default();
    let file = sources.add(path, text.clone());
    let parsed = yaml::parse(file, &text, &mut NodeIds::default());
    assert!(
        parsed.diagnostics.is_empty(),
        "{}: {:?}",
        path.display(),
        parsed.diagnostics
    );
    let Some(root) = parsed.root else {
        return serde_json::Value::Null;
    };
    let cx = Context::new(file, &text, Path::new(""), None);
    de::deserialize::<serde_json::Value>(&root, &cx).unwrap()
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

#[test]
fn every_example_file_satisfies_the_committed_schema() {
    let read = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(workspace().join("schemas").join(name)).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let config = jsonschema::validator_for(&read("ciamctl.schema.json")).unwrap();
    let environment = jsonschema::validator_for(&read("ciamctl-environment.schema.json")).unwrap();
    let mut files = Vec::new();
    yaml_files(&workspace().join("config-examples"), &mut files);
    assert!(!files.is_empty(), "config-examples/ holds no YAML files");
    for path in files {
        let is_environment = path.parent().is_some_and(|p| p.ends_with("environments"));
        let validator = if is_environment {
            &environment
        } else {
            &config
        };
        let instance = yaml_as_json(&path);
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let schema: serde_json::Value = serde_json::from_str(&config_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let valid = serde_json::json!({
        "identityProviders": [{
            "name": "Google", "type": "google", "clientId": "x",
            "clientSecret": "${env:GOOGLE_SECRET}"
        }],
        "userFlows": [{ "name": "A", "signUp": false, "identityProviders": ["EmailPassword"] }],
    });
    assert!(validator.is_valid(&valid));
    for invalid in [
        serde_json::json!({ "userFlow": [] }),
        serde_json::json!({ "userFlows": [{ "name": "A", "sigUp": true }] }),
        serde_json::json!({ "userFlows": [{ "name": "A", "userType": "owner" }] }),
        serde_json::json!({ "identityProviders": [{
            "name": "G", "type": "google", "clientId": "x", "clientSecret": "hunter2"
        }] }),
        serde_json::json!({ "settings": { "maxDeletePercent": 101 } }),
    ] {
        assert!(!validator.is_valid(&invalid), "{invalid}");
    }
}

/// Every property (and every definition) of `schema` has a description, so an editor can show
/// what a key means.
fn undescribed(schema: &serde_json::Value) -> Vec<String> {
    let mut missing = Vec::new();
    let mut objects = vec![("(root)".to_owned(), schema)];
    if let Some(defs) = schema["$defs"].as_object() {
        objects.extend(defs.iter().map(|(name, def)| (name.clone(), def)));
    }
    for (name, object) in objects {
        if object.get("description").is_none() {
            missing.push(name.clone());
        }
        for (property, value) in object["properties"].as_object().into_iter().flatten() {
            if value.get("description").is_none() {
                missing.push(format!("{name}.{property}"));
            }
        }
    }
    missing
}

#[test]
fn every_field_and_type_has_a_description() {
    for schema in [config_schema(), environment_schema()] {
        let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
        assert_eq!(undescribed(&schema), Vec::<String>::new());
    }
}
