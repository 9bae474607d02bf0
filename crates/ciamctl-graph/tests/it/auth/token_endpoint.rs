//! What goes to the token endpoint (the form, the certificate assertion of REFERENCE.md §13, the
//! GitHub ID token request) and what comes back: refusals quoted, not retried; 429, 5xx and
//! dropped connections retried a bounded number of times.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::signature::{
    RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256, UnparsedPublicKey, VerificationAlgorithm,
};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ciamctl_emulator::{AuthConfig, DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID};
use ciamctl_graph::{
    AccessToken, AssertionAlgorithm, AuthError, Authenticator, ClientCertificate, Credential,
    Endpoints,
};
use ciamctl_secret::Secret;
use serde_json::{Value, json};

use super::keys::{TestCert, registered, stranger};
use super::{
    CERT_CLIENT, authenticator, certificate_client, client_secret, github_id_token, http, start,
    start_with_token_lifetime, token_from,
};
use crate::fake_endpoint::{FakeEndpoint, Reply};

fn token_answer() -> Reply {
    Reply::json(
        200,
        &json!({"token_type": "Bearer", "expires_in": 3599, "access_token": "fake-access-token"}),
    )
}

/// What the scripted endpoint answers a fresh authenticator for `credential`, as authority
/// and resource.
async fn token_from_fake(
    credential: Credential,
    fake: &FakeEndpoint,
) -> Result<AccessToken, AuthError> {
    Authenticator::new(
        credential,
        DEFAULT_TENANT_ID,
        Endpoints::new(&fake.base, &fake.base).unwrap(),
    )
    .token(&http())
    .await
}

/// The error a client-secret token request ends in against an endpoint that answers every
/// request with `reply`, and the endpoint.
async fn failure_against(reply: Reply) -> (AuthError, FakeEndpoint) {
    let fake = FakeEndpoint::start(vec![reply]).await;
    let err = token_from_fake(client_secret(), &fake).await.unwrap_err();
    (err, fake)
}

/// The form fields of a captured request.
fn form(request: &str) -> Vec<(String, String)> {
    let body = request.split("\r\n\r\n").nth(1).unwrap();
    form_fields(body)
}

fn form_fields(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    &form.iter().find(|(k, _)| k == name).unwrap().1
}

fn json_part(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Checks `jwt`'s signature with the public key of `cert`.
fn verify(jwt: &str, cert: &TestCert, algorithm: &'static dyn VerificationAlgorithm) {
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert.cert_der).unwrap();
    let public = parsed.public_key().subject_public_key.data.to_vec();
    UnparsedPublicKey::new(algorithm, public)
        .verify(
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .unwrap();
}

#[tokio::test]
async fn a_certificate_assertion_has_the_header_claims_and_signature_of_section_13() {
    let fake = FakeEndpoint::start(vec![token_answer()]).await;
    let token_url = format!("{}/{DEFAULT_TENANT_ID}/oauth2/v2.0/token", fake.base);
    // The chain's other certificate comes first in the file: the key's own leads `x5c`.
    let file = format!("{}{}", stranger().cert_pem, registered().pem_file());
    let cases = [
        (
            AssertionAlgorithm::Ps256,
            &RSA_PSS_2048_8192_SHA256 as &dyn VerificationAlgorithm,
        ),
        (AssertionAlgorithm::Rs256, &RSA_PKCS1_2048_8192_SHA256),
    ];
    for (index, (algorithm, verification)) in cases.into_iter().enumerate() {
        let certificate = ClientCertificate::from_pem(file.as_bytes())
            .unwrap()
            .with_algorithm(algorithm)
            .with_chain(index == 0);
        let x5t_s256 = certificate.thumbprint_sha256();
        let x5t = certificate.thumbprint_sha1();
        let token = token_from_fake(certificate_client(certificate), &fake)
            .await
            .unwrap();
        assert_eq!(token.secret().expose(), "fake-access-token");

        let request = &fake.requests()[index];
        assert!(
            request.starts_with(&format!("POST /{DEFAULT_TENANT_ID}/oauth2/v2.0/token ")),
            "{request}"
        );
        let form = form(request);
        assert_eq!(field(&form, "grant_type"), "client_credentials");
        assert_eq!(field(&form, "client_id"), CERT_CLIENT);
        assert_eq!(field(&form, "scope"), format!("{}/.default", fake.base));
        assert_eq!(
            field(&form, "client_assertion_type"),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        );
        let jwt = field(&form, "client_assertion");
        let parts: Vec<&str> = jwt.split('.').collect();
        let (header, claims) = (json_part(parts[0]), json_part(parts[1]));
        assert_eq!(header["alg"], algorithm.name());
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["x5t#S256"], x5t_s256);
        if index == 0 {
            let x5c: Vec<Vec<u8>> = header["x5c"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| STANDARD.decode(c.as_str().unwrap()).unwrap())
                .collect();
            assert_eq!(
                x5c,
                [registered().cert_der.clone(), stranger().cert_der.clone()]
            );
            assert!(
                header.get("x5t").is_none(),
                "PS256 names the certificate by x5t#S256"
            );
        } else {
            assert!(header.get("x5c").is_none());
            assert_eq!(header["x5t"], x5t);
        }
        assert_eq!(claims["aud"], token_url);
        assert_eq!(claims["iss"], CERT_CLIENT);
        assert_eq!(claims["sub"], CERT_CLIENT);
        uuid::Uuid::parse_str(claims["jti"].as_str().unwrap()).unwrap();
        let iat = claims["iat"].as_u64().unwrap();
        assert!(now().abs_diff(iat) <= 5);
        assert_eq!(claims["nbf"], iat);
        assert_eq!(claims["exp"], iat + 600);
        verify(jwt, registered(), verification);
    }
}

#[tokio::test]
async fn github_actions_fetches_a_new_id_token_for_every_token_request() {
    let emulator = start_with_token_lifetime(Duration::from_secs(1)).await;
    let github = FakeEndpoint::start(vec![Reply::json(
        200,
        &json!({ "value": github_id_token(&emulator).await }),
    )])
    .await;
    let credential = Credential::GitHubActions {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
        request_url: format!("{}/idtoken?api-version=2.0", github.base),
        request_token: Secret::new("runner-request-token".to_owned()),
    };
    let auth = authenticator(credential, &emulator);
    auth.token(&http()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    auth.token(&http()).await.unwrap();
    let requests = github.requests();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert!(
            request.starts_with(
                "GET /idtoken?api-version=2.0&audience=api://AzureADTokenExchange HTTP/1.1\r\n"
            ),
            "{request}"
        );
        assert!(
            request
                .to_ascii_lowercase()
                .contains("\r\nauthorization: bearer runner-request-token\r\n"),
            "{request}"
        );
    }
    assert_eq!(emulator.stats().token_requests, 2);
}

#[tokio::test]
async fn a_wrong_secret_is_refused_once_quoting_the_aadsts_description_and_the_token_url() {
    let emulator = start(AuthConfig::default()).await;
    let credential = Credential::ClientSecret {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
        secret: Secret::new("wrong-secret-value".to_owned()),
    };
    let err = token_from(credential, &emulator).await.unwrap_err();
    let url = format!(
        "{}/{DEFAULT_TENANT_ID}/oauth2/v2.0/token",
        emulator.base_url()
    );
    let AuthError::Refused {
        url: said,
        status,
        error,
        description,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (said, *status, error.as_str()),
        (&url, 401, "invalid_client")
    );
    assert!(description.starts_with("AADSTS7000215: "), "{description}");
    assert_eq!(
        err.to_string(),
        format!("the token endpoint {url} refused the request (401 invalid_client): {description}")
    );
    assert!(!format!("{err} {err:?}").contains("wrong-secret-value"));
    assert_eq!(
        emulator.stats().token_requests,
        1,
        "a refusal is not retried"
    );
}

#[tokio::test]
async fn an_unknown_tenant_and_an_unregistered_certificate_are_refused_with_their_codes() {
    let emulator = start(AuthConfig::default()).await;
    let err = Authenticator::new(client_secret(), "contoso.example", super::local(&emulator))
        .token(&http())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AuthError::Refused { status: 400, description, .. } if description.starts_with("AADSTS90002")),
        "{err:?}"
    );
    let credential = Credential::Certificate {
        client_id: DEFAULT_CLIENT_ID.to_owned(),
        certificate: ClientCertificate::from_pem(stranger().pem_file().as_bytes()).unwrap(),
    };
    let err = token_from(credential, &emulator).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::Refused { status: 401, description, .. } if description.starts_with("AADSTS700027")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_token_endpoint_is_retried_after_503_a_dropped_connection_and_429() {
    let fake = FakeEndpoint::start(vec![
        Reply::Answer(
            503,
            "Retry-After: 0.05\r\n".into(),
            json!({"error": "temporarily_unavailable"}).to_string(),
        ),
        Reply::Drop,
        Reply::json(429, &json!({"error": "throttled"})),
        token_answer(),
    ])
    .await;
    let token = token_from_fake(client_secret(), &fake).await.unwrap();
    assert_eq!(token.secret().expose(), "fake-access-token");
    assert_eq!(fake.requests().len(), 4);
}

#[tokio::test]
async fn a_token_endpoint_that_stays_unavailable_is_given_up_after_three_retries() {
    let (err, fake) = failure_against(Reply::Answer(
        503,
        "Retry-After: 0\r\nContent-Type: application/json\r\n".into(),
        json!({"error": "temporarily_unavailable", "error_description": "AADSTS90033: busy"})
            .to_string(),
    ))
    .await;
    assert_eq!(
        err.to_string(),
        format!(
            "the token endpoint {}/{DEFAULT_TENANT_ID}/oauth2/v2.0/token still answered 503 \
             temporarily_unavailable after 3 retries: AADSTS90033: busy",
            fake.base
        )
    );
    assert_eq!(fake.requests().len(), 4);
}

#[tokio::test]
async fn a_retry_after_beyond_the_longest_wait_ends_the_retries_at_once() {
    let (err, fake) = failure_against(Reply::Answer(
        429,
        "Retry-After: 3600\r\n".into(),
        json!({"error": "throttled"}).to_string(),
    ))
    .await;
    assert!(
        matches!(
            err,
            AuthError::Unavailable {
                status: 429,
                retries: 0,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_named_as_such() {
    let (err, _) = failure_against(Reply::Answer(
        200,
        "Content-Type: text/html\r\n".into(),
        "<html>proxy login</html>".to_owned(),
    ))
    .await;
    assert!(
        matches!(
            err,
            AuthError::UnexpectedAnswer {
                status: 200,
                what: "a body that is not JSON",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_retried_then_named() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let err = Authenticator::new(
        client_secret(),
        DEFAULT_TENANT_ID,
        Endpoints::new(&base, &base).unwrap(),
    )
    .token(&http())
    .await
    .unwrap_err();
    let AuthError::Unreachable { url, retries, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (url.as_str(), *retries),
        (
            format!("{base}/{DEFAULT_TENANT_ID}/oauth2/v2.0/token").as_str(),
            3
        )
    );
}
