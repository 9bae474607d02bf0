//! Each credential kind gets a token from the emulator, and the token is for the resource the
//! endpoints name (REFERENCE.md §0.1, §13).

use std::time::Duration;

use ciamctl_emulator::{
    ALL_ROLES, AuthConfig, Client, DEFAULT_CLIENT_ID, DEFAULT_GITHUB_REQUEST_TOKEN,
    DEFAULT_TENANT_ID,
};
use ciamctl_graph::{
    AssertionAlgorithm, AuthError, Authenticator, CertificateError, ClientCertificate, Cloud,
    Credential, Endpoints,
};
use ciamctl_secret::Secret;
use p12_keystore::EncryptionAlgorithm;

use super::keys::registered;
use super::{
    CERT_CLIENT, authenticator, certificate_client, client_secret, github_id_token,
    github_request_url, http, start, start_with_token_lifetime, token_from,
};

/// An emulator where [`CERT_CLIENT`] authenticates with [`registered`]'s certificate.
async fn start_with_certificate_client() -> ciamctl_emulator::Emulator {
    start(AuthConfig {
        clients: vec![
            Client::with_certificate(
                CERT_CLIENT,
                &registered().cert_pem,
                &["Application.Read.All"],
            )
            .unwrap(),
        ],
        ..AuthConfig::default()
    })
    .await
}

#[tokio::test]
async fn a_client_secret_token_names_the_tenant_the_app_its_roles_and_the_resource() {
    let emulator = start(AuthConfig::default()).await;
    let token = token_from(client_secret(), &emulator).await.unwrap();
    let claims = token.claims().unwrap();
    assert_eq!(claims.tenant_id.as_deref(), Some(DEFAULT_TENANT_ID));
    assert_eq!(claims.app_id.as_deref(), Some(DEFAULT_CLIENT_ID));
    assert_eq!(claims.roles, ALL_ROLES);
    assert_eq!(claims.audience, [emulator.base_url()]);
    assert!(token.expires_in().unwrap() > Duration::from_secs(3500));
}

#[tokio::test]
async fn national_cloud_endpoints_over_local_urls_ask_for_the_clouds_graph_root() {
    let emulator = start(AuthConfig::default()).await;
    for cloud in [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China] {
        let endpoints = Endpoints::cloud(cloud)
            .with_authority(emulator.base_url())
            .unwrap()
            .with_graph(emulator.base_url())
            .unwrap();
        let token = Authenticator::new(client_secret(), DEFAULT_TENANT_ID, endpoints)
            .token(&http())
            .await
            .unwrap();
        assert_eq!(
            token.claims().unwrap().audience,
            [cloud.graph()],
            "{cloud:?}"
        );
    }
}

#[tokio::test]
async fn certificate_assertions_in_ps256_and_rs256_from_pkcs8_and_pkcs1_keys_are_accepted() {
    let emulator = start_with_certificate_client().await;
    let cert = registered();
    for key_pem in [cert.key_pem.clone(), cert.pkcs1_key_pem()] {
        for algorithm in [AssertionAlgorithm::Ps256, AssertionAlgorithm::Rs256] {
            let certificate =
                ClientCertificate::from_pem(format!("{}{key_pem}", cert.cert_pem).as_bytes())
                    .unwrap()
                    .with_algorithm(algorithm);
            let claims = token_from(certificate_client(certificate), &emulator)
                .await
                .unwrap()
                .claims()
                .unwrap();
            assert_eq!(claims.app_id.as_deref(), Some(CERT_CLIENT), "{algorithm:?}");
            assert_eq!(claims.roles, ["Application.Read.All"]);
        }
    }
}

#[tokio::test]
async fn pfx_files_modern_and_legacy_open_with_their_password_and_not_without_it() {
    let emulator = start_with_certificate_client().await;
    let pem = ClientCertificate::from_pem(registered().pem_file().as_bytes()).unwrap();
    for encryption in [
        EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
        EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
    ] {
        let pfx = registered().pfx("correct horse", encryption);
        let certificate = ClientCertificate::from_bytes(&pfx, Some("correct horse")).unwrap();
        assert_eq!(certificate.thumbprint_sha256(), pem.thumbprint_sha256());
        token_from(certificate_client(certificate), &emulator)
            .await
            .unwrap();
        assert_eq!(
            ClientCertificate::from_bytes(&pfx, Some("wrong")).unwrap_err(),
            CertificateError::PfxPassword { given: true }
        );
        assert_eq!(
            ClientCertificate::from_bytes(&pfx, None).unwrap_err(),
            CertificateError::PfxPassword { given: false }
        );
    }
}

#[tokio::test]
async fn a_federated_token_file_is_read_again_when_the_token_is_renewed() {
    let emulator = start_with_token_lifetime(Duration::from_secs(1)).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("azure-identity-token");
    std::fs::write(&path, format!("{}\n", github_id_token(&emulator).await)).unwrap();
    let auth = authenticator(
        Credential::FederatedTokenFile {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            path: path.clone(),
        },
        &emulator,
    );
    auth.token(&http()).await.unwrap();
    // A rotated file is not read while the cached token is fresh...
    std::fs::write(&path, "rotated.but-not-a.valid-token").unwrap();
    auth.token(&http()).await.unwrap();
    assert_eq!(emulator.stats().token_requests, 1);
    // ...and is once the token is renewed: here the token endpoint refuses what it now holds.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let err = auth.token(&http()).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::Refused { description, .. } if description.starts_with("AADSTS")),
        "{err:?}"
    );
    std::fs::write(&path, github_id_token(&emulator).await).unwrap();
    auth.token(&http()).await.unwrap();
    assert_eq!(emulator.stats().token_requests, 3);
}

#[tokio::test]
async fn github_actions_oidc_gets_a_token_through_the_emulators_stand_in() {
    let emulator = start(AuthConfig::default()).await;
    for request_url in [
        github_request_url(&emulator),
        // A URL without a query gets `?audience=...`.
        format!(
            "{}{}",
            emulator.base_url(),
            ciamctl_emulator::GITHUB_ID_TOKEN_PATH
        ),
    ] {
        let credential = Credential::GitHubActions {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            request_url,
            request_token: Secret::new(DEFAULT_GITHUB_REQUEST_TOKEN.to_owned()),
        };
        let claims = token_from(credential, &emulator)
            .await
            .unwrap()
            .claims()
            .unwrap();
        assert_eq!(claims.app_id.as_deref(), Some(DEFAULT_CLIENT_ID));
    }
}

#[tokio::test]
async fn a_wrong_github_request_token_is_named_as_githubs_refusal() {
    let emulator = start(AuthConfig::default()).await;
    let credential = Credential::GitHubActions {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
        request_url: github_request_url(&emulator),
        request_token: Secret::new("expired-request-token".to_owned()),
    };
    let err = token_from(credential, &emulator).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot get an ID token from GitHub Actions at {}: it answered 401: Bad credentials \
             (the job needs `permissions: id-token: write`)",
            github_request_url(&emulator)
        )
    );
    assert_eq!(emulator.stats().token_requests, 0);
}
