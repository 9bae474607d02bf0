//! The committed schema is what the types generate, and plans satisfy it (checked with the
//! `jsonschema` crate, independent of serde).

use std::path::Path;

use serde_json::{Value, json};

use super::plan_schema;
use crate::PlanOptions;
use crate::testing::{LiveBuilder, config, plan_with};

#[test]
fn committed_plan_schema_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/ciamctl-plan.schema.json");
    let generated = plan_schema();
    if std::env::var_os("CIAMCTL_UPDATE_SCHEMA").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schemas/ciamctl-plan.schema.json is stale; regenerate it with \
         `CIAMCTL_UPDATE_SCHEMA=1 cargo test -p ciamctl-plan schema` and commit the result"
    );
}

#[test]
fn a_plan_with_every_kind_of_field_satisfies_the_schema_and_a_broken_one_does_not() {
    let yaml = "attributes:\n  - name: Loyalty\n    dataType: string\n    description: New\nidentityProviders:\n  - name: Google\n    type: google\n    clientId: c\n    clientSecret: ${env:G}\nsettings:\n  prune: [attributes]\n";
    let live = LiveBuilder {
        attributes: vec![
            json!({ "id": "extension_00_Loyalty", "displayName": "Loyalty", "userFlowAttributeType": "custom", "dataType": "string", "description": "Old" }),
            json!({ "id": "extension_00_Gone", "displayName": "Gone", "userFlowAttributeType": "custom", "dataType": "string" }),
        ],
        ..LiveBuilder::default()
    }
    .build();
    let plan = plan_with(
        &config(yaml),
        &live,
        PlanOptions {
            rotate_secrets: true,
        },
    )
    .unwrap();
    assert_eq!(
        plan.summary.create + plan.summary.update + plan.summary.delete,
        3
    );
    let schema: Value = serde_json::from_str(&plan_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let document = serde_json::to_value(&plan).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let mut broken = document;
    broken["changes"][0]["action"] = json!("replace");
    assert!(
        !validator.is_valid(&broken),
        "an unknown action must not validate"
    );
}

#[test]
fn a_plan_reads_back_as_the_same_plan() {
    let plan = plan_with(
        &config("attributes:\n  - name: Loyalty\n    dataType: int64\n"),
        &LiveBuilder::default().build(),
        PlanOptions::default(),
    )
    .unwrap();
    let text = serde_json::to_string(&plan).unwrap();
    let read: crate::Plan = serde_json::from_str(&text).unwrap();
    assert_eq!(read, plan);
}

#[test]
fn a_stream_upload_reads_back_with_its_digest() {
    let upload = crate::AssetUpload {
        path: "assets/banner.png".into(),
        digest: crate::AssetDigest {
            sha256: "ab".into(),
            size: 3,
            content_type: "image/png".into(),
        },
    };
    let text = serde_json::to_string(&upload).unwrap();
    assert_eq!(
        text,
        r#"{"path":"assets/banner.png","sha256":"ab","size":3,"content_type":"image/png"}"#
    );
    assert_eq!(
        serde_json::from_str::<crate::AssetUpload>(&text).unwrap(),
        upload
    );
}

/// The planner is pure: no module outside test support reads files, the environment, the
/// clock or the network, so a plan depends on its inputs alone.
#[test]
fn the_planner_does_no_io() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name == "tests.rs"
                || name == "testing.rs"
                || path.extension().is_none_or(|e| e != "rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for forbidden in [
                "std::fs",
                "std::env",
                "std::net",
                "std::process",
                "SystemTime",
                "Instant",
                "tokio",
            ] {
                if text.contains(forbidden) {
                    offenders.push(format!("{}: {forbidden}", path.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
