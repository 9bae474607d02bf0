//! Finding the credential in the environment: the precedence, blank variables, and an error for
//! every way the variables or the files they name can be wrong, saying what to fix.

use std::collections::HashMap;
use std::path::Path;

use ciamctl_graph::{CertificateError, Credential, CredentialError, CredentialSettings};
use p12_keystore::EncryptionAlgorithm;

use super::keys::{ec, pem, registered, stranger};

const APP: &str = "0f4c2b8e-1d3a-4e5f-8a9b-7c6d5e4f3a2b";

fn discover(pairs: &[(&str, &str)]) -> Result<CredentialSettings, CredentialError> {
    let vars: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    CredentialSettings::from_env(|name| vars.get(name).cloned())
}

fn path_text(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_precedence_is_ready_token_secret_certificate_federated_file_then_github_actions() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    std::fs::write(&cert, registered().pem_file()).unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "federated").unwrap();
    let thumbprint = ciamctl_graph::ClientCertificate::from_pem(registered().pem_file().as_bytes())
        .unwrap()
        .thumbprint_sha256();
    let mut vars = vec![
        ("CIAMCTL_ACCESS_TOKEN", "ready"),
        ("AZURE_CLIENT_SECRET", "s3cret"),
        ("AZURE_CLIENT_CERTIFICATE_PATH", path_text(&cert)),
        ("AZURE_FEDERATED_TOKEN_FILE", path_text(&token_file)),
        (
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            "https://gh.example/idtoken?api-version=2.0",
        ),
        ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gh-request"),
    ];
    let common = [
        ("AZURE_CLIENT_ID", APP),
        ("AZURE_TENANT_ID", "woodgrove.onmicrosoft.com"),
    ];
    let expected = [
        "access token (CIAMCTL_ACCESS_TOKEN)".to_owned(),
        format!("client secret (AZURE_CLIENT_SECRET) for app {APP}"),
        format!(
            "certificate x5t#S256={thumbprint} (CN=ciamctl-registered.test, valid until 4096-01-01, PS256) from {} for app {APP}",
            cert.display()
        ),
        format!(
            "federated token file {} (AZURE_FEDERATED_TOKEN_FILE) for app {APP}",
            token_file.display()
        ),
        format!("GitHub Actions OIDC for app {APP}"),
    ];
    for describe in expected {
        let all: Vec<_> = vars.iter().chain(&common).copied().collect();
        let settings = discover(&all).unwrap();
        let got = settings.credential.describe();
        assert_eq!(got, describe);
        assert_eq!(
            settings.tenant.as_deref(),
            Some("woodgrove.onmicrosoft.com")
        );
        vars.remove(0);
    }
}

#[test]
fn a_ready_token_needs_no_client_id_and_blank_variables_count_as_unset() {
    let settings = discover(&[
        ("CIAMCTL_ACCESS_TOKEN", " eyJ0.eyJ0.sig\n"),
        ("AZURE_TENANT_ID", "  "),
        ("AZURE_CLIENT_SECRET", "ignored"),
    ])
    .unwrap();
    let Credential::AccessToken(token) = &settings.credential else {
        panic!("{:?}", settings.credential)
    };
    assert_eq!(token.expose(), "eyJ0.eyJ0.sig");
    assert_eq!(settings.tenant, None);
    assert_eq!(settings.credential.client_id(), None);

    let settings = discover(&[
        ("CIAMCTL_ACCESS_TOKEN", ""),
        ("AZURE_CLIENT_SECRET", "s3cret"),
        ("AZURE_CLIENT_ID", APP),
    ])
    .unwrap();
    assert_eq!(settings.credential.client_id(), Some(APP));
    assert!(matches!(
        settings.credential,
        Credential::ClientSecret { .. }
    ));
}

#[test]
fn no_credential_says_which_variables_to_set() {
    for vars in [
        &[][..],
        &[("AZURE_CLIENT_ID", APP), ("AZURE_CLIENT_SECRET", " ")][..],
    ] {
        let err = discover(vars).unwrap_err();
        assert_eq!(err, CredentialError::NoCredential);
        assert_eq!(
            err.to_string(),
            "no credential: set AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET, \
             AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE; or run in GitHub Actions \
             with `permissions: id-token: write` and AZURE_CLIENT_ID; or set CIAMCTL_ACCESS_TOKEN \
             to a ready token (see README 'Credentials')"
        );
    }
}

#[test]
fn every_app_credential_without_a_client_id_names_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    std::fs::write(&cert, registered().pem_file()).unwrap();
    for (vars, variable) in [
        (vec![("AZURE_CLIENT_SECRET", "s")], "AZURE_CLIENT_SECRET"),
        (
            vec![("AZURE_CLIENT_CERTIFICATE_PATH", path_text(&cert))],
            "AZURE_CLIENT_CERTIFICATE_PATH",
        ),
        (
            vec![("AZURE_FEDERATED_TOKEN_FILE", "/var/run/token")],
            "AZURE_FEDERATED_TOKEN_FILE",
        ),
        (
            vec![
                ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://gh.example/idtoken"),
                ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "t"),
            ],
            "ACTIONS_ID_TOKEN_REQUEST_URL",
        ),
    ] {
        let err = discover(&vars).unwrap_err();
        assert_eq!(err, CredentialError::MissingClientId { variable });
        assert_eq!(
            err.to_string(),
            format!(
                "{variable} is set but AZURE_CLIENT_ID is not: set AZURE_CLIENT_ID to the \
                 application (client) ID of the app registration (see README 'Credentials')"
            )
        );
    }
}

#[test]
fn half_of_the_github_actions_pair_names_the_missing_half() {
    let url = ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://gh.example/idtoken");
    let token = ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gh-request-token");
    let id = ("AZURE_CLIENT_ID", APP);
    assert_eq!(
        discover(&[url, id]).unwrap_err().to_string(),
        "ACTIONS_ID_TOKEN_REQUEST_URL is set but ACTIONS_ID_TOKEN_REQUEST_TOKEN is not: GitHub \
         Actions sets both when the job has `permissions: id-token: write` (see README \
         'Credentials')"
    );
    let err = discover(&[token, id]).unwrap_err();
    assert_eq!(
        err,
        CredentialError::IncompleteGitHubActions {
            present: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
            missing: "ACTIONS_ID_TOKEN_REQUEST_URL"
        }
    );
    assert!(!err.to_string().contains("gh-request-token"));
}

#[test]
fn send_certificate_chain_takes_true_1_false_0_and_refuses_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    std::fs::write(&cert, registered().pem_file()).unwrap();
    let with_chain = |value: &str| {
        discover(&[
            ("AZURE_CLIENT_ID", APP),
            ("AZURE_CLIENT_CERTIFICATE_PATH", path_text(&cert)),
            ("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN", value),
        ])
        .map(|settings| match settings.credential {
            Credential::Certificate { certificate, .. } => certificate.sends_chain(),
            other => panic!("{other:?}"),
        })
    };
    for (value, sends) in [
        ("true", true),
        ("1", true),
        ("TRUE", true),
        ("false", false),
        ("0", false),
        ("", false),
    ] {
        assert_eq!(with_chain(value), Ok(sends), "{value}");
    }
    assert_eq!(
        with_chain("yes").unwrap_err().to_string(),
        "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=yes: use true or 1 to send the certificate chain \
         (x5c), false or 0 not to"
    );
}

#[test]
fn a_certificate_file_that_cannot_sign_is_named_with_the_reason_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let encrypted_key = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkq\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let cases: Vec<(&str, Vec<u8>, Option<&str>, CertificateError)> = vec![
        (
            "a.pfx",
            registered().pfx(
                "right-password",
                EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            ),
            Some("wrong-password"),
            CertificateError::PfxPassword { given: true },
        ),
        (
            "b.pfx",
            registered().pfx(
                "right-password",
                EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
            ),
            None,
            CertificateError::PfxPassword { given: false },
        ),
        (
            "cert-only.pem",
            registered().cert_pem.clone().into_bytes(),
            None,
            CertificateError::NoPrivateKey,
        ),
        (
            "key-only.pem",
            registered().key_pem.clone().into_bytes(),
            None,
            CertificateError::NoCertificate,
        ),
        (
            "encrypted.pem",
            format!("{}{encrypted_key}", registered().cert_pem).into_bytes(),
            None,
            CertificateError::EncryptedPemKey,
        ),
        (
            "ec.pem",
            ec().pem_file().into_bytes(),
            None,
            CertificateError::NotRsa,
        ),
        (
            "mismatch.pem",
            format!("{}{}", stranger().cert_pem, registered().key_pem).into_bytes(),
            None,
            CertificateError::KeyMismatch,
        ),
        (
            "notes.txt",
            b"thumbprint: 12AB".to_vec(),
            None,
            CertificateError::NotPemOrPfx,
        ),
    ];
    for (name, bytes, password, problem) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let mut vars = vec![
            ("AZURE_CLIENT_ID", APP),
            ("AZURE_CLIENT_CERTIFICATE_PATH", path_text(&path)),
        ];
        vars.extend(password.map(|p| ("AZURE_CLIENT_CERTIFICATE_PASSWORD", p)));
        let err = discover(&vars).unwrap_err();
        let message = err.to_string();
        assert_eq!(
            err,
            CredentialError::Certificate {
                path: path.clone(),
                problem: problem.clone()
            },
            "{name}"
        );
        assert_eq!(
            message,
            format!(
                "AZURE_CLIENT_CERTIFICATE_PATH={}: {problem}",
                path.display()
            )
        );
        assert!(!message.contains("right-password") && !message.contains("wrong-password"));
        assert!(!message.contains(registered().key_pem.lines().nth(1).unwrap()));
    }
    let missing = dir.path().join("missing.pem");
    assert_eq!(
        discover(&[
            ("AZURE_CLIENT_ID", APP),
            ("AZURE_CLIENT_CERTIFICATE_PATH", path_text(&missing)),
        ])
        .unwrap_err()
        .to_string(),
        format!(
            "AZURE_CLIENT_CERTIFICATE_PATH={}: cannot read it: No such file or directory (os error 2)",
            missing.display()
        )
    );
}

#[test]
fn the_certificate_problems_read_as_instructions() {
    assert_eq!(
        CertificateError::PfxPassword { given: true }.to_string(),
        "it is a PFX file and the password in AZURE_CLIENT_CERTIFICATE_PASSWORD does not open it"
    );
    assert_eq!(
        CertificateError::PfxPassword { given: false }.to_string(),
        "it is a PFX file protected by a password: set AZURE_CLIENT_CERTIFICATE_PASSWORD"
    );
    assert!(
        CertificateError::NoPrivateKey
            .to_string()
            .starts_with("it holds no private key: the file must hold the certificate and its unencrypted private key")
    );
    assert!(
        CertificateError::NotRsa
            .to_string()
            .starts_with("its private key is not an RSA key")
    );
}

#[test]
fn a_federated_token_file_that_is_missing_or_empty_is_reported_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let missing = dir.path().join("missing");
    for (path, reason) in [
        (&empty, "the file is empty"),
        (
            &missing,
            "cannot read it: No such file or directory (os error 2)",
        ),
    ] {
        let err = discover(&[
            ("AZURE_CLIENT_ID", APP),
            ("AZURE_FEDERATED_TOKEN_FILE", path_text(path)),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("AZURE_FEDERATED_TOKEN_FILE={}: {reason}", path.display())
        );
    }
}

#[test]
fn a_corrupt_certificate_section_is_named() {
    let corrupt = format!(
        "{}{}",
        pem("CERTIFICATE", b"\x30\x03\x02\x01\x00"),
        registered().key_pem
    );
    let err = ciamctl_graph::ClientCertificate::from_pem(corrupt.as_bytes()).unwrap_err();
    assert!(
        matches!(err, CertificateError::BadCertificate { .. }),
        "{err:?}"
    );
}

#[test]
fn the_github_request_token_goes_only_to_https_or_loopback() {
    let token = ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gh-request-token");
    let id = ("AZURE_CLIENT_ID", APP);
    let insecure = (
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "http://runner.example/idtoken?x=1",
    );
    let err = discover(&[insecure, token, id]).unwrap_err();
    assert!(
        matches!(err, CredentialError::GitHubRequestUrl(_)),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("ACTIONS_ID_TOKEN_REQUEST_URL: "),
        "{err}"
    );
    assert!(!err.to_string().contains("gh-request-token"));
    let loopback = (
        "ACTIONS_ID_TOKEN_REQUEST_URL",
        "http://127.0.0.1:9/idtoken?x=1",
    );
    assert!(discover(&[loopback, token, id]).is_ok());
}
