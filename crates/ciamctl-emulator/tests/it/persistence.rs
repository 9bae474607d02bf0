//! Seed files (`--seed`) and the state file (`--state`): loading, the fresh tenant's parts for
//! what a file leaves out, atomic saves, crash leftovers, file mode and reloads.

#![cfg(test)]

use std::path::PathBuf;

use ciamctl_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig, StartError,
};
use serde_json::{Value, json};

use crate::support::fixtures::{
    ATTRIBUTES, PROVIDERS, attribute, create_social_provider, social_provider,
};
use crate::support::{TestEmulator, write_json};

fn with_files(seed: Option<PathBuf>, state: Option<PathBuf>) -> EmulatorConfig {
    EmulatorConfig {
        seed,
        state,
        ..EmulatorConfig::default()
    }
}

fn provider_ids(value: &Value) -> Vec<String> {
    value["identityProviders"]
        .as_array()
        .or_else(|| value["value"].as_array())
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn seed_replaces_the_parts_it_names_and_the_rest_is_the_fresh_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    let mut google = social_provider("Google", "seeded-secret");
    google["id"] = json!("Google-OAUTH");
    write_json(
        &seed,
        &json!({
            "organization": { "id": "11111111-2222-4333-8444-555555555555", "displayName": "Seeded" },
            "identityProviders": [google],
        }),
    );
    let fresh = TestEmulator::start().await;
    let t = TestEmulator::start_with(with_files(Some(seed), None)).await;
    assert_eq!(
        t.emulator.tenant_id(),
        "11111111-2222-4333-8444-555555555555"
    );
    let org = t.get("/v1.0/organization").await;
    assert_eq!(org.json["value"][0]["displayName"], "Seeded");
    // Named: only the seed's provider, not the built-ins.
    let providers = t.get(PROVIDERS).await;
    assert_eq!(provider_ids(&providers.json), ["Google-OAUTH"]);
    assert_eq!(providers.json["value"][0]["clientSecret"], "******");
    // Not named: the fresh tenant's attributes and applications, and the default client, whose
    // token the test support just got.
    let state = t.emulator.state();
    let fresh_state = fresh.emulator.state();
    for key in [
        "userFlowAttributes",
        "applications",
        "servicePrincipals",
        "flows",
        "branding",
    ] {
        assert_eq!(state[key], fresh_state[key], "{key}");
    }
}

#[tokio::test]
async fn seed_that_declares_clients_keeps_the_configured_client() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    write_json(
        &seed,
        &json!({ "clients": [
            { "clientId": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "secrets": ["reader-secret"],
              "roles": ["Organization.Read.All"] }
        ]}),
    );
    let t = TestEmulator::start_with(with_files(Some(seed), None)).await;
    let reader = t
        .token_for("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "reader-secret")
        .await;
    let resp = t
        .send_raw(t.http.get(t.url(PROVIDERS)).bearer_auth(reader))
        .await;
    assert_eq!(
        resp.status, 403,
        "the seeded client has only the roles it declares"
    );
    t.token_for(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET).await;
}

#[tokio::test]
async fn state_dump_round_trips_as_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let t = TestEmulator::start().await;
    create_social_provider(&t, "Facebook").await;
    let dump = t.emulator.state();
    let seed = dir.path().join("seed.json");
    write_json(&seed, &dump);
    // The dump's secrets are masks; the configured client gains the configured secret back,
    // which is how the test support got its token here.
    let again = TestEmulator::start_with(with_files(Some(seed), None)).await;
    let mut state = again.emulator.state();
    let mut dump = dump;
    assert_eq!(state["clients"][0]["secrets"], json!(["******", "******"]));
    state["clients"][0]["secrets"] = json!(["******"]);
    dump["clients"][0]["secrets"] = json!(["******"]);
    assert_eq!(state, dump);
}

#[tokio::test]
async fn state_file_saves_every_write_and_is_reloaded_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let t = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    // Written at start, before any write.
    let at_start: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(!provider_ids(&at_start).contains(&"Google-OAUTH".to_owned()));
    t.post(PROVIDERS, social_provider("Google", "kept-secret"))
        .await
        .assert_status(201);
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let google = saved["identityProviders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "Google-OAUTH")
        .expect("the write is in the file when it is answered");
    // The file is the tenant itself, so secrets are kept to be served after a restart.
    assert_eq!(google["clientSecret"], "kept-secret");
    t.emulator.stop().await.unwrap();

    let again = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    again
        .get(&format!("{PROVIDERS}/Google-OAUTH"))
        .await
        .assert_status(200);
    let stored = again.stored_provider("Google-OAUTH").unwrap();
    assert_eq!(stored["clientSecret"], "kept-secret");
}

#[tokio::test]
async fn state_file_wins_over_the_seed_and_reset_goes_back_to_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, state) = (dir.path().join("seed.json"), dir.path().join("state.json"));
    write_json(&seed, &json!({ "identityProviders": [] }));
    let t = TestEmulator::start_with(with_files(Some(seed.clone()), Some(state.clone()))).await;
    create_social_provider(&t, "Google").await;
    t.emulator.stop().await.unwrap();

    let t = TestEmulator::start_with(with_files(Some(seed), Some(state.clone()))).await;
    let providers = t.get(PROVIDERS).await;
    assert_eq!(provider_ids(&providers.json), ["Google-OAUTH"]);
    t.emulator.reset().unwrap();
    let providers = t.get(PROVIDERS).await;
    assert!(provider_ids(&providers.json).is_empty());
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(provider_ids(&saved).is_empty(), "the reset is saved");
}

#[tokio::test]
async fn leftover_temporary_file_from_a_crash_is_ignored_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let t = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    create_social_provider(&t, "Google").await;
    t.emulator.stop().await.unwrap();
    // A crash in the middle of a save leaves a torn temporary file beside the state file.
    let temp = dir.path().join(".state.json.tmp");
    std::fs::write(&temp, b"{\"identityProviders\": [{\"id\": \"Torn").unwrap();

    let t = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    t.get(&format!("{PROVIDERS}/Google-OAUTH"))
        .await
        .assert_status(200);
    create_social_provider(&t, "Facebook").await;
    assert!(
        !temp.exists(),
        "the next save reuses and renames the temporary file"
    );
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(provider_ids(&saved).contains(&"Facebook-OAUTH".to_owned()));
}

#[tokio::test]
async fn torn_state_file_stops_the_start_with_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(&state, b"{\"flows\": [").unwrap();
    let err = Emulator::start(with_files(None, Some(state.clone())))
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::State(_)), "{err:?}");
    let chain = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(chain.contains("state.json"), "{chain}");
    // The file is left for a person to look at.
    assert_eq!(std::fs::read(&state).unwrap(), b"{\"flows\": [");
}

#[tokio::test]
async fn seed_with_an_unknown_top_level_key_stops_the_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, br#"{"identityProvider": []}"#).unwrap();
    let err = Emulator::start(with_files(Some(seed), None))
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::Seed(_)), "{err:?}");
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain = format!("{chain}: {cause}");
        source = cause.source();
    }
    assert!(
        chain.contains("unknown field `identityProvider`"),
        "{chain}"
    );
}

#[tokio::test]
async fn missing_seed_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let err = Emulator::start(with_files(Some(dir.path().join("absent.json")), None))
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::Seed(_)), "{err:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn state_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    // A leftover temporary file with a looser mode must not pass it on.
    std::fs::write(dir.path().join(".state.json.tmp"), b"").unwrap();
    std::fs::set_permissions(
        dir.path().join(".state.json.tmp"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let t = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    create_social_provider(&t, "Google").await;
    let mode = std::fs::metadata(&state).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn concurrent_writes_from_many_clients_are_all_kept_and_the_state_file_always_parses() {
    const CLIENTS: usize = 16;
    const WRITES: usize = 5;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let t =
        std::sync::Arc::new(TestEmulator::start_with(with_files(None, Some(state.clone()))).await);
    // A reader that keeps parsing the file while the writes land: a save that rewrote the file
    // in place would show it half-written.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = std::thread::spawn({
        let (state, done) = (state.clone(), done.clone());
        move || {
            let mut reads = 0_usize;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let bytes = std::fs::read(&state).unwrap();
                if let Err(err) = serde_json::from_slice::<Value>(&bytes) {
                    return Err(format!("read {reads}: {err} ({} bytes)", bytes.len()));
                }
                reads += 1;
            }
            Ok(reads)
        }
    });
    let writers: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let t = t.clone();
            tokio::spawn(async move {
                for write in 0..WRITES {
                    let name = format!("concurrent{client}x{write}");
                    t.post(ATTRIBUTES, attribute(&name, "string"))
                        .await
                        .assert_status(201);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let reads = reader.join().unwrap().unwrap();
    assert!(reads > 0);
    let stats = t.emulator.stats();
    assert_eq!(
        stats.by_status.get(&201).copied(),
        Some((CLIENTS * WRITES) as u64),
        "every concurrent request is counted: {stats:?}"
    );

    let created = |attributes: &[Value]| {
        attributes
            .iter()
            .filter(|a| a["displayName"].as_str().unwrap().starts_with("concurrent"))
            .count()
    };
    assert_eq!(created(t.get(ATTRIBUTES).await.items()), CLIENTS * WRITES);
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(
        created(saved["userFlowAttributes"].as_array().unwrap()),
        CLIENTS * WRITES,
        "no write is lost from the file"
    );
}

#[tokio::test]
async fn fresh_tenant_has_the_organization_built_ins_extensions_app_and_sample_applications() {
    let t = TestEmulator::start().await;
    let org = t.get("/v1.0/organization").await;
    assert_eq!(org.items()[0]["id"], t.emulator.tenant_id());
    let providers = t.get(PROVIDERS).await;
    for built_in in ["EmailPassword-OAUTH", "EmailOtpSignup-OAUTH"] {
        assert!(
            providers.item_ids().contains(&built_in.to_owned()),
            "{built_in}: {:?}",
            providers.item_ids()
        );
    }
    let attributes = t.get(ATTRIBUTES).await;
    let built_in: Vec<&Value> = attributes
        .items()
        .iter()
        .filter(|a| a["userFlowAttributeType"] == "builtIn")
        .collect();
    assert!(
        built_in.iter().any(|a| a["id"] == "email") && built_in.iter().any(|a| a["id"] == "city"),
        "{built_in:?}"
    );
    assert_eq!(
        built_in.len(),
        attributes.items().len(),
        "no custom attribute yet"
    );
    let apps = t.get("/v1.0/applications").await;
    let names: Vec<&str> = apps
        .items()
        .iter()
        .map(|a| a["displayName"].as_str().unwrap())
        .collect();
    assert!(names[0].starts_with("b2c-extensions-app"), "{names:?}");
    assert!(
        names.len() > 2,
        "a few applications to link to flows: {names:?}"
    );
}

#[tokio::test]
async fn custom_attribute_ids_derive_from_the_seeded_extensions_app() {
    let extensions_app = |app_id: &str| {
        json!({
            "id": "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "appId": app_id,
            "displayName": "b2c-extensions-app. Do not modify. Used by AADB2C for storing user data.",
        })
    };
    let t = TestEmulator::start_seeded(&json!({
        "applications": [extensions_app("a1b2c3d4-0000-4000-8000-00000000abcd")],
    }))
    .await;
    let created = t.post(ATTRIBUTES, attribute("Shoe size", "int64")).await;
    created.assert_status(201);
    assert_eq!(
        created.id(),
        "extension_a1b2c3d400004000800000000000abcd_Shoesize"
    );
    // Without the app there is nowhere to keep a custom attribute.
    let t = TestEmulator::start_seeded(&json!({ "applications": [] })).await;
    t.post(ATTRIBUTES, attribute("Shoe size", "int64"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("b2c-extensions-app");
}

#[tokio::test]
async fn write_that_cannot_be_saved_is_answered_500_and_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let t = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    let before = std::fs::read(&state).unwrap();
    // A folder where the save puts its temporary file: the save fails, whoever runs the test.
    std::fs::create_dir(dir.path().join(".state.json.tmp")).unwrap();
    t.post(PROVIDERS, social_provider("Google", "unsaved-secret"))
        .await
        .assert_error(500, "generalException")
        .assert_request_id_in_body();
    t.get(&format!("{PROVIDERS}/Google-OAUTH"))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "the file is untouched"
    );
    // Once the save can work again, so do writes.
    std::fs::remove_dir(dir.path().join(".state.json.tmp")).unwrap();
    create_social_provider(&t, "Google").await;
}

#[tokio::test]
async fn second_emulator_on_a_state_file_in_use_stops_at_start_and_may_start_once_the_first_stops()
{
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let first = TestEmulator::start_with(with_files(None, Some(state.clone()))).await;
    create_social_provider(&first, "Google").await;
    let err = Emulator::start(with_files(None, Some(state.clone())))
        .await
        .unwrap_err();
    assert!(matches!(err, StartError::StateInUse { .. }), "{err:?}");
    assert!(err.to_string().contains("state.json"), "{err}");
    // The refused start touched nothing: the first emulator's save is the file.
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(provider_ids(&saved).contains(&"Google-OAUTH".to_owned()));
    first.emulator.stop().await.unwrap();

    let second = TestEmulator::start_with(with_files(None, Some(state))).await;
    second
        .get(&format!("{PROVIDERS}/Google-OAUTH"))
        .await
        .assert_status(200);
}
