//! `ciamctl snapshot` and `ciamctl doctor` against an emulator: the credentials a CI job has,
//! national-cloud scopes, an incomplete read (exit 3), a wrong tenant, and no secret or token
//! in the most verbose output.

#![cfg(test)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::emulator::{client, client_credentials_token};
use ciamctl_emulator::{
    ALL_ROLES, AuthConfig, Client, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_GITHUB_REQUEST_TOKEN, DEFAULT_TENANT_ID, Emulator, EmulatorConfig, Faults,
    GITHUB_ID_TOKEN_PATH, Throttle,
};

fn woodgrove() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config-examples/woodgrove")
}

/// Runs ciamctl with exactly `env` as its environment (plus PATH).
pub(crate) async fn ciamctl(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ciamctl"));
    command.args(args).env_clear();
    for (name, value) in env {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

/// Runs `ciamctl <args> -c config-examples/woodgrove --env dev` with exactly `env`.
pub(crate) async fn on_woodgrove(args: &[&str], env: &[(&str, &str)]) -> Output {
    let config = woodgrove();
    let woodgrove = ["-c", config.to_str().unwrap(), "--env", "dev"];
    ciamctl(&[args, &woodgrove].concat(), env).await
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The variables `ciamctl emulator` prints, for an in-process emulator.
pub(crate) fn azure_env(emulator: &Emulator) -> Vec<(&'static str, String)> {
    vec![
        ("AZURE_TENANT_ID", emulator.tenant_id().to_owned()),
        ("AZURE_CLIENT_ID", DEFAULT_CLIENT_ID.to_owned()),
        ("AZURE_CLIENT_SECRET", DEFAULT_CLIENT_SECRET.to_owned()),
        ("AZURE_AUTHORITY_HOST", emulator.base_url().to_owned()),
        ("CIAMCTL_GRAPH_URL", emulator.base_url().to_owned()),
    ]
}

pub(crate) fn borrowed<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Creates a Google provider in `emulator` through Graph, as an admin would by hand.
pub(crate) async fn add_google(emulator: &Emulator, client_id: &str, secret: &str) {
    let http = client();
    let token = client_credentials_token(
        &http,
        emulator.base_url(),
        DEFAULT_TENANT_ID,
        (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        "https://graph.microsoft.com/.default",
    )
    .await;
    let created = http
        .post(format!(
            "{}/v1.0/identity/identityProviders",
            emulator.base_url()
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "@odata.type": "#microsoft.graph.socialIdentityProvider",
            "displayName": "Google",
            "identityProviderType": "Google",
            "clientId": client_id,
            "clientSecret": secret
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

/// An emulator with a client `reader` that holds every role but those starting with
/// `prefix`, and the environment that signs in as it.
pub(crate) async fn with_a_reader_lacking(prefix: &str) -> (Emulator, Vec<(&'static str, String)>) {
    let roles: Vec<&str> = ALL_ROLES
        .iter()
        .copied()
        .filter(|r| !r.starts_with(prefix))
        .collect();
    with_a_client_holding(&roles).await
}

/// An emulator with a client `reader` that holds exactly `roles`, and the environment that
/// signs in as it.
pub(crate) async fn with_a_client_holding(
    roles: &[&str],
) -> (Emulator, Vec<(&'static str, String)>) {
    let emulator = Emulator::start(EmulatorConfig {
        auth: AuthConfig {
            clients: vec![Client::with_secret("reader", "reader-secret", roles)],
            ..AuthConfig::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let mut env = azure_env(&emulator);
    env.retain(|(name, _)| !name.starts_with("AZURE_CLIENT"));
    env.push(("AZURE_CLIENT_ID", "reader".to_owned()));
    env.push(("AZURE_CLIENT_SECRET", "reader-secret".to_owned()));
    (emulator, env)
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_of_the_embedded_emulator_prints_the_fresh_tenant() {
    let output = on_woodgrove(&["snapshot", "--emulator"], &[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!(text(&output.stdout));
    assert!(
        text(&output.stderr).contains("embedded Graph emulator"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_as_json_holds_every_kind_with_social_secrets_masked() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let env = azure_env(&emulator);
    add_google(&emulator, "google-client", "google-secret-in-the-tenant").await;

    let output = ciamctl(&["snapshot", "--format", "json"], &borrowed(&env)).await;

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for kind in [
        "organization",
        "userFlows",
        "attributes",
        "identityProviders",
        "customExtensions",
        "branding",
        "localizations",
        "applications",
    ] {
        assert!(json.get(kind).is_some(), "{kind} missing from {json}");
    }
    assert_eq!(json["organization"]["id"], DEFAULT_TENANT_ID);
    let stdout = text(&output.stdout);
    assert!(!stdout.contains("google-secret-in-the-tenant"));
    assert!(stdout.contains("\"clientSecret\": \"******\""), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ready_access_token_and_github_actions_oidc_work_as_credentials() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let base = emulator.base_url().to_owned();
    let urls = [
        ("AZURE_AUTHORITY_HOST", base.as_str()),
        ("CIAMCTL_GRAPH_URL", base.as_str()),
    ];

    let github_url = format!("{base}{GITHUB_ID_TOKEN_PATH}?api-version=2.0");
    let mut github = urls.to_vec();
    github.extend([
        ("AZURE_TENANT_ID", DEFAULT_TENANT_ID),
        ("AZURE_CLIENT_ID", DEFAULT_CLIENT_ID),
        ("ACTIONS_ID_TOKEN_REQUEST_URL", github_url.as_str()),
        (
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
            DEFAULT_GITHUB_REQUEST_TOKEN,
        ),
    ]);
    let output = ciamctl(&["doctor"], &github).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(
        text(&output.stdout).contains("GitHub Actions"),
        "{}",
        text(&output.stdout)
    );

    let token = client_credentials_token(
        &client(),
        &base,
        DEFAULT_TENANT_ID,
        (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        &format!("{base}/.default"),
    )
    .await;
    let mut ready = urls.to_vec();
    ready.push(("CIAMCTL_ACCESS_TOKEN", &token));
    // No tenant anywhere: it comes from the token's tid claim.
    let output = ciamctl(&["snapshot", "--format", "json"], &ready).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_national_cloud_asks_for_its_own_graph_scope() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let env = azure_env(&emulator);

    let output = ciamctl(&["doctor", "--cloud", "usgov-dod"], &borrowed(&env)).await;

    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("scope        https://dod-graph.microsoft.us/.default"),
        "{stdout}"
    );
    assert!(
        stdout.contains("for https://dod-graph.microsoft.us;"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kind_that_cannot_be_read_exits_3_and_names_the_missing_permission() {
    let (_emulator, env) = with_a_reader_lacking("OrganizationalBranding.").await;

    let snapshot = ciamctl(&["snapshot"], &borrowed(&env)).await;
    assert_eq!(
        snapshot.status.code(),
        Some(3),
        "{}",
        text(&snapshot.stderr)
    );
    let stderr = text(&snapshot.stderr);
    assert!(stderr.contains("unknown branding"), "{stderr}");
    assert!(
        stderr.contains("OrganizationalBranding.Read.All"),
        "{stderr}"
    );
    assert!(
        text(&snapshot.stdout).contains("branding: unknown: 403 Authorization_RequestDenied"),
        "{}",
        text(&snapshot.stdout)
    );

    let doctor = ciamctl(&["doctor"], &borrowed(&env)).await;
    assert_eq!(doctor.status.code(), Some(1));
    let stdout = text(&doctor.stdout);
    assert!(
        stdout.contains("FAIL permission   OrganizationalBranding.Read.All"),
        "{stdout}"
    );
    assert!(stdout.contains("FAIL read         branding:"), "{stdout}");
    assert!(stdout.contains("ok   read         userFlows"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_throttled_tenant_is_still_read_and_verbose_output_counts_the_retries() {
    let emulator = Emulator::start(EmulatorConfig {
        faults: Faults {
            throttle: Some(Throttle::new(2, 0.2).unwrap()),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let env = azure_env(&emulator);

    let output = ciamctl(&["snapshot", "--no-batch", "-v"], &borrowed(&env)).await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("HTTP requests in "), "{stderr}");
    assert!(!stderr.contains("1 rounds"), "{stderr}");
    assert!(!stderr.contains(" 0 retries"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_id_that_disagrees_with_the_environment_file_stops_the_run() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let mut env = azure_env(&emulator);
    env.retain(|(name, _)| *name != "AZURE_TENANT_ID");
    env.push((
        "AZURE_TENANT_ID",
        "00000000-0000-0000-0000-000000000001".to_owned(),
    ));

    let output = on_woodgrove(&["snapshot"], &borrowed(&env)).await;

    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("the environment file names tenant 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90 but AZURE_TENANT_ID names tenant 00000000-0000-0000-0000-000000000001"),
        "{stderr}"
    );
    assert_eq!(emulator.stats().http_requests, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_credential_the_error_says_which_variables_to_set() {
    let output = ciamctl(&["snapshot", "--tenant-id", DEFAULT_TENANT_ID], &[]).await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("AZURE_CLIENT_ID"), "{stderr}");
    assert!(stderr.contains("AZURE_CLIENT_SECRET"), "{stderr}");

    // doctor reports it as a failed check.
    let doctor = ciamctl(&["doctor", "--tenant-id", DEFAULT_TENANT_ID], &[]).await;
    assert_eq!(doctor.status.code(), Some(1));
    let stdout = text(&doctor.stdout);
    assert!(stdout.starts_with("FAIL setup"), "{stdout}");
    assert!(stdout.contains("AZURE_CLIENT_SECRET"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_graph_refuses_is_an_error_not_an_incomplete_tenant() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let base = emulator.base_url().to_owned();
    let env = [
        ("AZURE_AUTHORITY_HOST", base.as_str()),
        ("CIAMCTL_GRAPH_URL", base.as_str()),
        ("AZURE_TENANT_ID", DEFAULT_TENANT_ID),
        ("CIAMCTL_ACCESS_TOKEN", "not-a-token-graph-accepts"),
    ];

    let output = ciamctl(&["snapshot"], &env).await;

    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("Graph refused the access token"),
        "{stderr}"
    );
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains("not-a-token-graph-accepts"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_most_verbose_output_shows_no_secret_and_no_token() {
    let secret = "a-client-secret-nobody-may-see";
    let emulator = Emulator::start(EmulatorConfig {
        client_secret: secret.to_owned(),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let mut env = azure_env(&emulator);
    env.retain(|(name, _)| *name != "AZURE_CLIENT_SECRET");
    env.push(("AZURE_CLIENT_SECRET", secret.to_owned()));

    for command in ["snapshot", "doctor"] {
        let output = ciamctl(&[command, "-vvv"], &borrowed(&env)).await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
        assert!(
            all.contains("TRACE") || all.contains("DEBUG"),
            "no logs at -vvv"
        );
        assert!(!all.contains(secret), "{command} leaked the client secret");
        // Every access token is a JWT, whose header starts with `eyJ`.
        assert!(!all.contains("eyJ"), "{command} leaked a token");
        assert!(
            !all.to_ascii_lowercase().contains("bearer "),
            "{command} leaked a header"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permission_only_unused_kinds_need_is_a_note_not_a_failure() {
    let (_emulator, mut env) = with_a_reader_lacking("CustomAuthenticationExtension.").await;
    env.retain(|(name, _)| *name != "AZURE_TENANT_ID");

    // The example names no custom extension: reading them is not needed.
    let snapshot = on_woodgrove(&["snapshot"], &borrowed(&env)).await;
    assert_eq!(
        snapshot.status.code(),
        Some(0),
        "{}",
        text(&snapshot.stderr)
    );
    assert!(
        text(&snapshot.stderr).contains("note: customExtensions could not be read"),
        "{}",
        text(&snapshot.stderr)
    );
    let doctor = on_woodgrove(&["doctor"], &borrowed(&env)).await;
    assert_eq!(doctor.status.code(), Some(0), "{}", text(&doctor.stdout));

    // The whole tenant includes them.
    let whole = ciamctl(
        &["snapshot", "--tenant-id", DEFAULT_TENANT_ID],
        &borrowed(&env),
    )
    .await;
    assert_eq!(whole.status.code(), Some(3), "{}", text(&whole.stderr));
}
