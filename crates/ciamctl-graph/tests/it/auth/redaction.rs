//! No secret reaches a log event (at TRACE, for every target: this crate, reqwest, hyper, the
//! emulator), an error message or `Debug` output, whatever the credential kind.

use std::time::Duration;

use ciamctl_emulator::{AuthConfig, Client, DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID};
use ciamctl_graph::{Authenticator, ClientCertificate, Credential, CredentialSettings, Endpoints};
use ciamctl_secret::Secret;
use p12_keystore::EncryptionAlgorithm;

use super::keys::registered;
use super::{CERT_CLIENT, github_id_token_with, github_request_url, http, start};

const SECRET: &str = "redaction-client-secret-7f3a";
const SECRET_CLIENT: &str = "8e3b2a1c-0d4f-4a5b-9c8d-7e6f5a4b3c2d";
const GITHUB_REQUEST_TOKEN: &str = "redaction-github-request-token-91c2";
const PFX_PASSWORD: &str = "redaction-pfx-password-44d1";

#[tokio::test]
async fn no_secret_reaches_trace_logs_errors_or_debug_output_with_any_credential() {
    // This test's thread only (a current-thread runtime runs the emulator here too).
    let (capture, _guard) = crate::support::capture_logs();

    let emulator = start(AuthConfig {
        github_request_token: GITHUB_REQUEST_TOKEN.to_owned(),
        token_lifetime: Duration::from_secs(1),
        clients: vec![
            Client::with_secret(SECRET_CLIENT, SECRET, &["Application.Read.All"]),
            Client::with_certificate(CERT_CLIENT, &registered().cert_pem, &[]).unwrap(),
        ],
        ..AuthConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let federated_file = dir.path().join("token");
    let federated_token = github_id_token_with(&emulator, GITHUB_REQUEST_TOKEN).await;
    std::fs::write(&federated_file, &federated_token).unwrap();
    let pfx_file = dir.path().join("cert.pfx");
    std::fs::write(
        &pfx_file,
        registered().pfx(
            PFX_PASSWORD,
            EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
        ),
    )
    .unwrap();
    let request_url = github_request_url(&emulator);
    let env = |pairs: Vec<(&'static str, String)>| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        }
    };
    let id = |client: &str| ("AZURE_CLIENT_ID", client.to_owned());
    let environments = vec![
        vec![
            id(SECRET_CLIENT),
            ("AZURE_CLIENT_SECRET", SECRET.to_owned()),
        ],
        vec![
            id(CERT_CLIENT),
            (
                "AZURE_CLIENT_CERTIFICATE_PATH",
                pfx_file.display().to_string(),
            ),
            ("AZURE_CLIENT_CERTIFICATE_PASSWORD", PFX_PASSWORD.to_owned()),
            ("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", "1".to_owned()),
        ],
        vec![
            id(DEFAULT_CLIENT_ID),
            (
                "AZURE_FEDERATED_TOKEN_FILE",
                federated_file.display().to_string(),
            ),
        ],
        vec![
            id(DEFAULT_CLIENT_ID),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", request_url.clone()),
            (
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                GITHUB_REQUEST_TOKEN.to_owned(),
            ),
        ],
    ];

    let mut shown = Vec::new();
    let mut access_tokens = Vec::new();
    for vars in environments {
        let settings = CredentialSettings::from_env(env(vars)).unwrap();
        shown.push(format!(
            "{settings:?} {settings:#?} {}",
            settings.credential.describe()
        ));
        let auth = Authenticator::new(
            settings.credential,
            DEFAULT_TENANT_ID,
            Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap(),
        );
        // Twice, past the 1 s lifetime, so the renewal path logs too.
        for _ in 0..2 {
            let token = auth.token(&http()).await.unwrap();
            shown.push(format!(
                "{token:?} {token:#?} {:?}\n",
                token.claims().unwrap()
            ));
            access_tokens.push(token.secret().expose().clone());
            tokio::time::sleep(Duration::from_millis(1100)).await;
        }
        shown.push(format!("{auth:?} {auth:#?}"));
        let ready = Authenticator::new(
            Credential::AccessToken(Secret::new(access_tokens[0].clone())),
            DEFAULT_TENANT_ID,
            Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap(),
        );
        shown.push(format!("{ready:?}"));
        if let Err(err) = ready.token(&http()).await {
            shown.push(format!("{err} {err:?}"));
        }
    }

    // Refusals and failures of each kind, formatted every way.
    let wrong_secret = Credential::ClientSecret {
        client_id: SECRET_CLIENT.to_owned(),
        secret: Secret::new(format!("{SECRET}-wrong")),
    };
    let bad_federated = dir.path().join("bad-token");
    std::fs::write(&bad_federated, format!("{federated_token}x")).unwrap();
    let failing = [
        wrong_secret,
        Credential::FederatedTokenFile {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            path: bad_federated,
        },
        Credential::GitHubActions {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            request_url,
            request_token: Secret::new(format!("{GITHUB_REQUEST_TOKEN}-wrong")),
        },
        Credential::Certificate {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            certificate: ClientCertificate::from_pem(registered().pem_file().as_bytes()).unwrap(),
        },
    ];
    for credential in failing {
        let auth = Authenticator::new(
            credential,
            DEFAULT_TENANT_ID,
            Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap(),
        );
        let err = auth.token(&http()).await.unwrap_err();
        shown.push(format!("{err} {err:?} {err:#?}"));
    }
    let wrong_password = CredentialSettings::from_env(env(vec![
        id(CERT_CLIENT),
        (
            "AZURE_CLIENT_CERTIFICATE_PATH",
            pfx_file.display().to_string(),
        ),
        (
            "AZURE_CLIENT_CERTIFICATE_PASSWORD",
            format!("{PFX_PASSWORD}-wrong"),
        ),
    ]))
    .unwrap_err();
    shown.push(format!("{wrong_password} {wrong_password:?}"));

    let logs = capture.text();
    assert!(
        logs.contains("requesting a token"),
        "the capture works: {logs}"
    );
    assert!(
        logs.contains("reqwest"),
        "reqwest's log records are captured: {logs}"
    );
    let key_lines: Vec<&str> = registered()
        .key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut secrets = vec![
        SECRET.to_owned(),
        GITHUB_REQUEST_TOKEN.to_owned(),
        PFX_PASSWORD.to_owned(),
        federated_token,
        // Every JWT (assertions, federated and GitHub ID tokens, access tokens) starts with the
        // base64url of `{"`.
        "eyJ".to_owned(),
    ];
    secrets.extend(access_tokens);
    secrets.extend(key_lines.iter().map(|l| (*l).to_owned()));
    let shown = shown.join("\n");
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret in the logs: {secret}"
        );
        assert!(
            !shown.contains(secret.as_str()),
            "a secret in errors or Debug: {secret}"
        );
    }
}
