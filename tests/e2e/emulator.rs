//! `ciamctl emulator` as a user runs it: it prints where it listens and the credentials it
//! accepts, serves Graph with them, refuses malformed flags by name, and stops cleanly.

// Marks the helpers below as test code, so clippy's `allow-unwrap-in-tests` covers them too.
#![cfg(test)]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

/// The running binary, killed if a test fails before stopping it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ciamctl emulator --listen 127.0.0.1:0 ARGS` and reads its banner up to "Press
/// Ctrl-C": the `export NAME=VALUE` lines as a map, and the address of its first line as
/// `LISTENING`.
fn start(args: &[&str]) -> (Running, BTreeMap<String, String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ciamctl"))
        .args(["emulator", "--listen", "127.0.0.1:0"])
        .args(args)
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut exports = BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some((name, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            exports.insert(name.to_owned(), value.to_owned());
        }
        if let Some(address) = line.strip_prefix("Graph emulator listening on ") {
            exports.insert("LISTENING".to_owned(), address.to_owned());
        }
        if line.starts_with("Press Ctrl-C") {
            return (running, exports);
        }
    }
    panic!("the emulator stopped before it was ready; exports so far: {exports:?}");
}

/// Stops the emulator the way a service manager does and returns whether it exited 0.
fn stop(mut running: Running) -> bool {
    #[cfg(unix)]
    {
        let pid = running.0.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
    }
    #[cfg(not(unix))]
    running.0.kill().unwrap();
    running.0.wait().unwrap().success()
}

/// Stops the emulator as [`stop`] does and returns, besides, what it wrote on stderr.
fn stop_reading_stderr(mut running: Running) -> (bool, String) {
    use std::io::Read as _;
    let mut stderr = running.0.stderr.take().unwrap();
    let stopped = stop(running);
    let mut text = String::new();
    stderr.read_to_string(&mut text).unwrap();
    (stopped, text)
}

/// A token for the printed credentials, from the printed authority.
async fn token(http: &reqwest::Client, env: &BTreeMap<String, String>) -> String {
    client_credentials_token(
        http,
        &env["AZURE_AUTHORITY_HOST"],
        &env["AZURE_TENANT_ID"],
        (&env["AZURE_CLIENT_ID"], &env["AZURE_CLIENT_SECRET"]),
        "https://graph.microsoft.com/.default",
    )
    .await
}

/// A client-credentials token from the token endpoint at `authority`.
pub(crate) async fn client_credentials_token(
    http: &reqwest::Client,
    authority: &str,
    tenant: &str,
    (client_id, secret): (&str, &str),
    scope: &str,
) -> String {
    let response: serde_json::Value = http
        .post(format!("{authority}/{tenant}/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", scope),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    response["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {response}"))
        .to_owned()
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn emulator_prints_its_credentials_serves_graph_with_them_and_stops_on_sigterm() {
    let (running, env) = start(&[]);
    for name in [
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_AUTHORITY_HOST",
        "CIAMCTL_GRAPH_URL",
    ] {
        assert!(env.contains_key(name), "{name} is not printed: {env:?}");
    }
    assert_eq!(
        env["LISTENING"], env["CIAMCTL_GRAPH_URL"],
        "the base URL comes first"
    );
    let http = client();
    let token = token(&http, &env).await;
    let organization = http
        .get(format!("{}/v1.0/organization", env["CIAMCTL_GRAPH_URL"]))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(organization.status(), 200);
    let organization: serde_json::Value = organization.json().await.unwrap();
    assert_eq!(organization["value"][0]["id"], env["AZURE_TENANT_ID"]);
    assert!(stop(running), "the emulator exits 0 when asked to stop");
}

#[tokio::test]
async fn emulator_takes_identity_and_fault_flags() {
    let (running, env) = start(&[
        "--tenant-id",
        "0c7f4a1e-2b3d-4e5f-8a9b-1c2d3e4f5a6b",
        "--client-secret",
        "local-only",
        "--throttle",
        "2/60",
    ]);
    assert_eq!(
        env["AZURE_TENANT_ID"],
        "0c7f4a1e-2b3d-4e5f-8a9b-1c2d3e4f5a6b"
    );
    assert_eq!(env["AZURE_CLIENT_SECRET"], "local-only");
    let http = client();
    let token = token(&http, &env).await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = http
            .get(format!("{}/v1.0/organization", env["CIAMCTL_GRAPH_URL"]))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
    let stats: serde_json::Value = http
        .get(format!("{}/_emulator/stats", env["CIAMCTL_GRAPH_URL"]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["throttled"], 1);
    assert_eq!(stats["httpRequests"], 4);
    assert!(stop(running));
}

#[tokio::test]
async fn emulator_pages_collections_by_page_size() {
    let (running, env) = start(&["--page-size", "1"]);
    let http = client();
    let token = token(&http, &env).await;
    let page: serde_json::Value = http
        .get(format!(
            "{}/v1.0/identity/identityProviders",
            env["CIAMCTL_GRAPH_URL"]
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["value"].as_array().unwrap().len(), 1, "{page}");
    let next = page["@odata.nextLink"].as_str().expect("a next page");
    assert!(next.starts_with(&env["CIAMCTL_GRAPH_URL"]), "{next}");
    assert!(stop(running));
}

#[test]
fn emulator_flag_errors_name_the_flag_and_the_expected_form() {
    for (args, flag, form) in [
        (["--throttle", "100"], "--throttle", "--throttle 100/10"),
        (["--throttle", "1/1e300"], "--throttle", "at most 31536000"),
        (["--fail-rate", "1.5"], "--fail-rate", "from 0 to 1"),
        (
            ["--commit-then-fail-rate", "x"],
            "--commit-then-fail-rate",
            "from 0 to 1",
        ),
        (["--listen", "localhost"], "--listen", "ADDRESS:PORT"),
        (["--page-size", "0"], "--page-size", "1.."),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_ciamctl"))
            .arg("emulator")
            .args(args)
            .env_clear()
            .output()
            .unwrap();
        // Usage errors exit 1 like every other error (2 is "changes" for plan and drift).
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains(flag) && stderr.contains(form),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn emulator_help_shows_the_defaults() {
    let output = Command::new(env!("CARGO_BIN_EXE_ciamctl"))
        .args(["emulator", "--help"])
        .env_clear()
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for default in [
        "[default: 127.0.0.1:8765]",
        "[default: emulator-secret]",
        ciamctl_emulator::DEFAULT_TENANT_ID,
        ciamctl_emulator::DEFAULT_CLIENT_ID,
    ] {
        assert!(
            help.contains(default),
            "{default} is not in the help:\n{help}"
        );
    }
}

#[tokio::test]
async fn emulator_seeds_keeps_its_state_file_between_runs_and_journals_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, state, journal) = (
        dir.path().join("seed.json"),
        dir.path().join("state.json"),
        dir.path().join("journal.jsonl"),
    );
    std::fs::write(&seed, br#"{ "identityProviders": [] }"#).unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let (running, env) = start(&[
        "--client-secret",
        "cli-secret-value",
        "--seed",
        &path(&seed),
        "--state",
        &path(&state),
        "--journal",
        &path(&journal),
    ]);
    let http = client();
    let providers = format!(
        "{}/v1.0/identity/identityProviders",
        env["CIAMCTL_GRAPH_URL"]
    );
    let first_token = token(&http, &env).await;
    let seeded: serde_json::Value = http
        .get(&providers)
        .bearer_auth(&first_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        seeded["value"],
        serde_json::json!([]),
        "the seed has no providers"
    );
    let created = http
        .post(&providers)
        .bearer_auth(&first_token)
        .json(&google_provider())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert!(stop(running));

    // The second run has no seed: the state file alone brings the provider back.
    let (running, env) = start(&["--state", &path(&state)]);
    let http = client();
    let token = token(&http, &env).await;
    let google = http
        .get(format!(
            "{}/v1.0/identity/identityProviders/Google-OAUTH",
            env["CIAMCTL_GRAPH_URL"]
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(google.status(), 200);
    assert!(stop(running));

    let journal = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<serde_json::Value> = journal
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // The first run's token request, list and create.
    assert_eq!(lines.len(), 3, "{journal}");
    assert_eq!(lines[2]["status"], 201);
    assert_eq!(lines[2]["body"]["clientSecret"], "******");
    for secret in ["cli-secret-value", PROVIDER_SECRET, first_token.as_str()] {
        assert!(
            !journal.contains(secret),
            "a secret in the journal: {journal}"
        );
    }
}

#[tokio::test]
async fn emulator_reports_a_state_file_it_cannot_write_on_stderr_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let (running, env) = start(&[
        "--client-secret",
        "stderr-secret-value",
        "--state",
        state.to_str().unwrap(),
    ]);
    // A folder where the save puts its temporary file makes every save fail.
    std::fs::create_dir(dir.path().join(".state.json.tmp")).unwrap();
    let http = client();
    let token = token(&http, &env).await;
    let created = http
        .post(format!(
            "{}/v1.0/identity/identityProviders",
            env["CIAMCTL_GRAPH_URL"]
        ))
        .bearer_auth(&token)
        .json(&google_provider())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 500);
    let (stopped, stderr) = stop_reading_stderr(running);
    assert!(stopped);
    assert!(
        stderr.contains("cannot save the emulator state"),
        "the user is told why: {stderr}"
    );
    for secret in ["stderr-secret-value", PROVIDER_SECRET, token.as_str()] {
        assert!(!stderr.contains(secret), "a secret on stderr: {stderr}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn emulator_export_lines_set_a_secret_with_shell_characters_exactly() {
    let secret = "it's $HOME & a \"secret\"";
    let (running, env) = start(&["--client-secret", secret]);
    let line = format!("export AZURE_CLIENT_SECRET={}", env["AZURE_CLIENT_SECRET"]);
    // What a user gets by pasting the line into a shell.
    let output = Command::new("sh")
        .args(["-c", &format!("{line}; printf %s \"$AZURE_CLIENT_SECRET\"")])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), secret, "{line}");
    assert!(stop(running));
}

/// The secret of [`google_provider`], which the journal and stderr must never show.
const PROVIDER_SECRET: &str = "provider-secret-value";

fn google_provider() -> serde_json::Value {
    serde_json::json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": "Google",
        "identityProviderType": "Google",
        "clientId": "google-client-id",
        "clientSecret": PROVIDER_SECRET,
    })
}
