//! The token endpoint, its three credential kinds and their refusals, the GitHub Actions
//! stand-in, bearer-token checks and the permissions of every route (REFERENCE.md §0.5, §13).
//!
//! Certificates and keys are generated here with rcgen, once per test binary (RSA key
//! generation is the slow part), and assertions are signed with jsonwebtoken.

// Marks the helpers below as test code, so clippy's `allow-unwrap-in-tests` covers them too.
#![cfg(test)]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ciamctl_emulator::{
    ALL_ROLES, AuthConfig, Certificate, Client, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_GITHUB_REQUEST_TOKEN, DEFAULT_GITHUB_SUBJECT, EmulatorConfig, FederatedCredential,
    GITHUB_AUDIENCE, GITHUB_ID_TOKEN_PATH, GITHUB_ISSUER, IssuerKey, route_table,
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::support::fixtures::WEB_APP;
use crate::support::roles::{assert_denied, token_with, with_clients, with_roles};
use crate::support::{Resp, TestEmulator};

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
const CERT_CLIENT: &str = "6c1f0e2a-8b3d-4c5e-9f7a-1b2c3d4e5f60";
const FEDERATED_CLIENT: &str = "7d2a1f3b-9c4e-4d6f-8a8b-2c3d4e5f6071";
const K8S_ISSUER: &str = "https://oidc.prod-aks.azure.com/woodgrove";
const K8S_SUBJECT: &str = "system:serviceaccount:ciamctl:deployer";

/// A generated key with a self-signed certificate for it.
struct TestKey {
    key_pem: String,
    public_key_pem: String,
    cert_pem: String,
    cert_der: Vec<u8>,
}

impl TestKey {
    fn generate(alg: &'static rcgen::SignatureAlgorithm) -> Self {
        let key = rcgen::KeyPair::generate_for(alg).unwrap();
        let cert = rcgen::CertificateParams::new(vec!["ciamctl-test.woodgrove.example".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        Self {
            key_pem: key.serialize_pem(),
            public_key_pem: key.public_key_pem(),
            cert_pem: cert.pem(),
            cert_der: cert.der().to_vec(),
        }
    }

    fn x5t_s256(&self) -> String {
        use sha2::Digest as _;
        b64url(&sha2::Sha256::digest(&self.cert_der))
    }

    fn x5t(&self) -> String {
        use sha1::Digest as _;
        b64url(&sha1::Sha1::digest(&self.cert_der))
    }

    fn sign(&self, header: &Header, claims: &Value) -> String {
        let key = match header.alg {
            Algorithm::ES256 => EncodingKey::from_ec_pem(self.key_pem.as_bytes()),
            _ => EncodingKey::from_rsa_pem(self.key_pem.as_bytes()),
        }
        .unwrap();
        jsonwebtoken::encode(header, claims, &key).unwrap()
    }
}

/// The certificate registered for [`CERT_CLIENT`].
fn registered() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate(&rcgen::PKCS_RSA_SHA256))
}

/// A certificate registered nowhere; also the key of the federated test issuer.
fn stranger() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate(&rcgen::PKCS_RSA_SHA256))
}

/// An EC P-256 key, for an issuer that signs ES256.
fn ec_issuer() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate(&rcgen::PKCS_ECDSA_P256_SHA256))
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// An emulator with `auth` as its token endpoint's settings.
async fn start_with_auth(auth: AuthConfig) -> TestEmulator {
    TestEmulator::start_with(EmulatorConfig {
        auth,
        ..EmulatorConfig::default()
    })
    .await
}

/// The claims of a JWT, read without verifying it.
fn claims_of(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT has three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// An emulator with a certificate client (one registered certificate, `EventListener` read and
/// write) and a federated client (an RSA issuer registered by certificate and an EC issuer
/// registered by public key).
async fn emulator() -> TestEmulator {
    let federated = Client::new(FEDERATED_CLIENT, &["IdentityProvider.Read.All"])
        .add_federated_credential(
            FederatedCredential::new("aks", K8S_ISSUER, K8S_SUBJECT, &[GITHUB_AUDIENCE])
                .with_issuer_key(IssuerKey::from_pem(&stranger().cert_pem).unwrap()),
        )
        .add_federated_credential(
            FederatedCredential::new(
                "ec-issuer",
                "https://issuer.woodgrove.example",
                "deployer",
                &["api://woodgrove-ciamctl"],
            )
            .with_issuer_key(IssuerKey::from_pem(&ec_issuer().public_key_pem).unwrap()),
        );
    let auth = AuthConfig {
        clients: vec![
            Client::with_certificate(
                CERT_CLIENT,
                &registered().cert_pem,
                &["EventListener.ReadWrite.All"],
            )
            .unwrap(),
            federated,
        ],
        ..AuthConfig::default()
    };
    start_with_auth(auth).await
}

fn token_endpoint(t: &TestEmulator) -> String {
    t.url(&format!("/{}/oauth2/v2.0/token", t.emulator.tenant_id()))
}

/// The claims of a valid certificate assertion for `client_id` at this emulator.
fn assertion_claims(t: &TestEmulator, client_id: &str) -> Value {
    json!({
        "aud": token_endpoint(t),
        "iss": client_id,
        "sub": client_id,
        "jti": uuid::Uuid::new_v4().to_string(),
        "nbf": now(),
        "exp": now() + 600,
    })
}

#[derive(Clone, Copy)]
enum Thumbprint {
    Sha256,
    Sha1,
}

/// A certificate assertion signed by `key`, naming `named` in its header.
fn cert_assertion(
    key: &TestKey,
    named: &TestKey,
    alg: Algorithm,
    thumbprint: Thumbprint,
    claims: &Value,
) -> String {
    let mut header = Header::new(alg);
    match thumbprint {
        Thumbprint::Sha256 => header.x5t_s256 = Some(named.x5t_s256()),
        Thumbprint::Sha1 => header.x5t = Some(named.x5t()),
    }
    key.sign(&header, claims)
}

async fn assertion_request(t: &TestEmulator, client_id: &str, assertion: &str) -> Resp {
    t.token_request(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("scope", GRAPH_SCOPE),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", assertion),
    ])
    .await
}

/// A client-secret token request of the default client for `scope`.
async fn secret_request(t: &TestEmulator, scope: &str) -> Resp {
    let form = secret_form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, scope);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.token_request(&form).await
}

/// A GET with `token` as the bearer token.
async fn get_with(t: &TestEmulator, token: &str, path: &str) -> Resp {
    t.send_raw(t.http.get(t.url(path)).bearer_auth(token)).await
}

#[track_caller]
fn assert_token(resp: &Resp) -> String {
    assert_eq!(resp.status, 200, "token request failed: {}", resp.json);
    resp.json["access_token"].as_str().unwrap().to_owned()
}

/// Asserts an Entra OAuth error body: status, `error`, the AADSTS code in `error_codes` and at
/// the start of `error_description`, and a description mentioning `names`.
#[track_caller]
fn assert_oauth_error(case: &str, resp: &Resp, status: u16, error: &str, code: u64, names: &str) {
    let body = &resp.json;
    assert_eq!(resp.status, status, "{case}: {body}");
    assert_eq!(body["error"], error, "{case}: {body}");
    assert_eq!(body["error_codes"], json!([code]), "{case}: {body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{case}: {description}"
    );
    assert!(
        description.contains(names),
        "{case}: the description should name {names:?}: {description}"
    );
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(body[field].is_string(), "{case}: {field} missing: {body}");
    }
}

#[tokio::test]
async fn client_secret_grant_issues_a_graph_token_with_the_documented_claims() {
    let t = emulator().await;
    let resp = secret_request(&t, GRAPH_SCOPE).await;
    let token = assert_token(&resp);
    assert_eq!(resp.json["token_type"], "Bearer");
    assert_eq!(resp.json["expires_in"], 3599);
    assert_eq!(resp.json["ext_expires_in"], 3599);
    let claims = claims_of(&token);
    let tenant = t.emulator.tenant_id();
    assert_eq!(claims["aud"], "https://graph.microsoft.com");
    assert_eq!(claims["iss"], format!("https://sts.windows.net/{tenant}/"));
    assert_eq!(claims["tid"], tenant);
    assert_eq!(claims["appid"], DEFAULT_CLIENT_ID);
    assert_eq!(claims["appidacr"], "1");
    assert_eq!(claims["roles"], json!(ALL_ROLES));
    let (iat, nbf, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["nbf"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!((iat - now()).abs() <= 5, "iat {iat} is not now");
    assert_eq!(nbf, iat);
    assert_eq!(exp - iat, 3599);
    assert!(uuid::Uuid::parse_str(claims["oid"].as_str().unwrap()).is_ok());
    get_with(&t, &token, "/v1.0/organization")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn token_oid_is_the_service_principal_of_the_client_application() {
    // "Woodgrove Web", one of a fresh tenant's applications.
    let app_id = WEB_APP;
    let auth = AuthConfig {
        clients: vec![Client::with_secret(
            app_id,
            "web-secret",
            &["Application.Read.All"],
        )],
        ..AuthConfig::default()
    };
    let t = start_with_auth(auth).await;
    let sp = t
        .get(&format!("/v1.0/servicePrincipals(appId='{app_id}')"))
        .await;
    assert_eq!(sp.status, 200, "{}", sp.json);
    let token = t.token_for(app_id, "web-secret").await;
    let claims = claims_of(&token);
    assert_eq!(claims["oid"], sp.json["id"]);
    assert_eq!(claims["sub"], sp.json["id"]);
}

#[tokio::test]
async fn convention_16_18_every_national_cloud_graph_root_and_the_emulator_itself_are_audiences() {
    let t = emulator().await;
    let own = t.emulator.base_url().to_owned();
    for resource in [
        "https://graph.microsoft.com",
        "https://graph.microsoft.us",
        "https://dod-graph.microsoft.us",
        "https://microsoftgraph.chinacloudapi.cn",
        own.as_str(),
    ] {
        let scope = format!("{resource}/.default");
        let resp = secret_request(&t, &scope).await;
        let token = assert_token(&resp);
        assert_eq!(claims_of(&token)["aud"], resource);
        get_with(&t, &token, "/v1.0/organization")
            .await
            .assert_status(200);
    }
}

#[tokio::test]
async fn tenant_may_be_named_by_its_verified_domain() {
    let t = emulator().await;
    let url = t.url("/Woodgrove.onmicrosoft.com/oauth2/v2.0/token");
    let form = secret_form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, GRAPH_SCOPE);
    let resp = t.send_raw(t.http.post(url).form(&form)).await;
    let token = assert_token(&resp);
    assert_eq!(claims_of(&token)["tid"], t.emulator.tenant_id());
}

#[tokio::test]
async fn certificate_assertions_signed_rs256_or_ps256_with_either_thumbprint_get_tokens() {
    let t = emulator().await;
    for alg in [Algorithm::RS256, Algorithm::PS256] {
        for thumbprint in [Thumbprint::Sha256, Thumbprint::Sha1] {
            let claims = assertion_claims(&t, CERT_CLIENT);
            let assertion = cert_assertion(registered(), registered(), alg, thumbprint, &claims);
            let token = assert_token(&assertion_request(&t, CERT_CLIENT, &assertion).await);
            let claims = claims_of(&token);
            assert_eq!(claims["appid"], CERT_CLIENT);
            assert_eq!(claims["appidacr"], "2");
            assert_eq!(claims["roles"], json!(["EventListener.ReadWrite.All"]));
            let flows = get_with(&t, &token, "/v1.0/identity/authenticationEventsFlows").await;
            assert_ne!(flows.status, 401);
            assert_ne!(flows.status, 403);
        }
    }
}

#[tokio::test]
async fn certificate_assertion_for_the_global_authority_token_url_is_accepted() {
    // Clients build `aud` from the authority they use in production (REFERENCE.md §13); the
    // emulator stands in for it, for the tenant id and the verified domain alike.
    let t = emulator().await;
    for tenant in [t.emulator.tenant_id(), "woodgrove.onmicrosoft.com"] {
        let mut claims = assertion_claims(&t, CERT_CLIENT);
        claims["aud"] = json!(format!(
            "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
        ));
        let assertion = cert_assertion(
            registered(),
            registered(),
            Algorithm::PS256,
            Thumbprint::Sha256,
            &claims,
        );
        assert_token(&assertion_request(&t, CERT_CLIENT, &assertion).await);
    }
}

#[tokio::test]
async fn federated_assertions_verified_with_the_registered_issuer_key_get_tokens() {
    let t = emulator().await;
    let rsa = stranger().sign(
        &Header::new(Algorithm::RS256),
        &json!({
            "iss": K8S_ISSUER, "sub": K8S_SUBJECT, "aud": [GITHUB_AUDIENCE],
            "iat": now(), "nbf": now(), "exp": now() + 3600,
        }),
    );
    let ec = ec_issuer().sign(
        &Header::new(Algorithm::ES256),
        &json!({
            "iss": "https://issuer.woodgrove.example", "sub": "deployer",
            "aud": "api://woodgrove-ciamctl", "exp": now() + 300,
        }),
    );
    for assertion in [rsa, ec] {
        let token = assert_token(&assertion_request(&t, FEDERATED_CLIENT, &assertion).await);
        let claims = claims_of(&token);
        assert_eq!(claims["appid"], FEDERATED_CLIENT);
        assert_eq!(claims["appidacr"], "2");
        let idps = get_with(&t, &token, "/v1.0/identity/identityProviders").await;
        assert_ne!(idps.status, 401);
        assert_ne!(idps.status, 403);
    }
}

/// `GET {base}/_github/idtoken?api-version=2.0&audience=...` as a workflow step does it with
/// `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.
async fn github_id_token(t: &TestEmulator, request_token: &str, audience: Option<&str>) -> Resp {
    let mut url = t.url(&format!("{GITHUB_ID_TOKEN_PATH}?api-version=2.0"));
    if let Some(audience) = audience {
        url.push_str("&audience=");
        url.push_str(audience);
    }
    let request = t
        .http
        .get(url)
        .header("Authorization", format!("bearer {request_token}"));
    t.send_raw(request).await
}

#[tokio::test]
async fn github_stand_in_id_token_gets_the_default_client_a_graph_token() {
    let t = emulator().await;
    let resp = github_id_token(&t, DEFAULT_GITHUB_REQUEST_TOKEN, Some(GITHUB_AUDIENCE)).await;
    assert_eq!(resp.status, 200, "{}", resp.json);
    let id_token = resp.json["value"].as_str().unwrap();
    let claims = claims_of(id_token);
    assert_eq!(claims["iss"], GITHUB_ISSUER);
    assert_eq!(claims["sub"], DEFAULT_GITHUB_SUBJECT);
    assert_eq!(claims["aud"], GITHUB_AUDIENCE);
    assert_eq!(claims["repository"], "woodgrove/tenant-config");
    assert!(claims["jti"].is_string());
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);

    let token = assert_token(&assertion_request(&t, DEFAULT_CLIENT_ID, id_token).await);
    assert_eq!(claims_of(&token)["appid"], DEFAULT_CLIENT_ID);
    get_with(&t, &token, "/v1.0/organization")
        .await
        .assert_status(200);
}

#[tokio::test]
async fn github_stand_in_subject_is_configurable_and_the_default_audience_is_the_owner() {
    let subject = "repo:woodgrove/tenant-config:environment:production";
    let auth = AuthConfig {
        github_subject: subject.to_owned(),
        ..AuthConfig::default()
    };
    let t = start_with_auth(auth).await;
    let id_token = github_id_token(&t, DEFAULT_GITHUB_REQUEST_TOKEN, Some(GITHUB_AUDIENCE)).await;
    let id_token = id_token.json["value"].as_str().unwrap();
    assert_eq!(claims_of(id_token)["sub"], subject);
    assert_token(&assertion_request(&t, DEFAULT_CLIENT_ID, id_token).await);

    let default_audience = github_id_token(&t, DEFAULT_GITHUB_REQUEST_TOKEN, None).await;
    let default_audience = default_audience.json["value"].as_str().unwrap();
    assert_eq!(
        claims_of(default_audience)["aud"],
        "https://github.com/woodgrove"
    );
    let refused = assertion_request(&t, DEFAULT_CLIENT_ID, default_audience).await;
    assert_oauth_error(
        "owner audience",
        &refused,
        401,
        "invalid_client",
        700_212,
        "https://github.com/woodgrove",
    );
}

#[tokio::test]
async fn github_stand_in_refuses_a_wrong_or_missing_request_token() {
    let t = emulator().await;
    let wrong = github_id_token(&t, "not-the-request-token", Some(GITHUB_AUDIENCE)).await;
    wrong.assert_status(401);
    assert!(wrong.json.get("value").is_none());
    t.send_raw(t.http.get(t.url(GITHUB_ID_TOKEN_PATH)))
        .await
        .assert_status(401);
}

/// One refused token request: the form, and the error Entra gives.
struct Refusal {
    case: &'static str,
    form: Vec<(&'static str, String)>,
    status: u16,
    error: &'static str,
    code: u64,
    /// Text the description must contain, naming what failed.
    names: String,
}

impl Refusal {
    /// A refusal Entra answers 401 `invalid_client`: the credential is wrong.
    fn invalid_client(
        case: &'static str,
        form: Vec<(&'static str, String)>,
        code: u64,
        names: String,
    ) -> Self {
        Self {
            case,
            form,
            status: 401,
            error: "invalid_client",
            code,
            names,
        }
    }
}

/// Sends each refused request to `t`'s token endpoint (or the one in the case's `tenant` field)
/// and checks the error, and that the body echoes no secret or assertion.
async fn check_refusals(t: &TestEmulator, tenant: Option<&str>, refusals: Vec<Refusal>) {
    let url = match tenant {
        Some(tenant) => t.url(&format!("/{tenant}/oauth2/v2.0/token")),
        None => token_endpoint(t),
    };
    for refusal in refusals {
        let resp = t.send_raw(t.http.post(&url).form(&refusal.form)).await;
        assert_oauth_error(
            refusal.case,
            &resp,
            refusal.status,
            refusal.error,
            refusal.code,
            &refusal.names,
        );
        let body = String::from_utf8_lossy(&resp.bytes);
        for (name, value) in &refusal.form {
            if matches!(*name, "client_secret" | "client_assertion") {
                assert!(
                    !body.contains(value.as_str()),
                    "{}: the body echoes the {name}",
                    refusal.case
                );
            }
        }
    }
}

fn form(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn secret_form(client_id: &str, secret: &str, scope: &str) -> Vec<(&'static str, String)> {
    form(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", scope),
    ])
}

fn assertion_form(client_id: &str, assertion: &str) -> Vec<(&'static str, String)> {
    form(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("scope", GRAPH_SCOPE),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", assertion),
    ])
}

#[tokio::test]
async fn request_and_client_secret_refusals_give_the_documented_oauth_errors() {
    let t = emulator().await;
    let unknown = "0f0f0f0f-0000-4000-8000-000000000000";
    let refusals = vec![
        Refusal::invalid_client(
            "wrong secret",
            secret_form(DEFAULT_CLIENT_ID, "not-the-secret", GRAPH_SCOPE),
            7_000_215,
            DEFAULT_CLIENT_ID.to_owned(),
        ),
        Refusal {
            case: "unknown client",
            form: secret_form(unknown, DEFAULT_CLIENT_SECRET, GRAPH_SCOPE),
            status: 400,
            error: "unauthorized_client",
            code: 700_016,
            names: unknown.to_owned(),
        },
        Refusal::invalid_client(
            "no credential",
            form(&[
                ("grant_type", "client_credentials"),
                ("client_id", DEFAULT_CLIENT_ID),
                ("scope", GRAPH_SCOPE),
            ]),
            7_000_216,
            "client_secret".to_owned(),
        ),
        Refusal {
            case: "scope without /.default",
            form: secret_form(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
                "https://graph.microsoft.com/User.Read",
            ),
            status: 400,
            error: "invalid_scope",
            code: 1_002_012,
            names: "https://graph.microsoft.com/User.Read".to_owned(),
        },
        Refusal {
            case: "several scopes",
            form: secret_form(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
                "https://graph.microsoft.com/.default offline_access",
            ),
            status: 400,
            error: "invalid_scope",
            code: 70011,
            names: "offline_access".to_owned(),
        },
        Refusal {
            case: "unknown resource",
            form: secret_form(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
                "https://management.azure.com/.default",
            ),
            status: 400,
            error: "invalid_resource",
            code: 500_011,
            names: "https://management.azure.com".to_owned(),
        },
        Refusal {
            case: "missing scope",
            form: form(&[
                ("grant_type", "client_credentials"),
                ("client_id", DEFAULT_CLIENT_ID),
                ("client_secret", DEFAULT_CLIENT_SECRET),
            ]),
            status: 400,
            error: "invalid_request",
            code: 900_144,
            names: "'scope'".to_owned(),
        },
        Refusal {
            case: "other grant",
            form: form(&[
                ("grant_type", "password"),
                ("client_id", DEFAULT_CLIENT_ID),
                ("scope", GRAPH_SCOPE),
            ]),
            status: 400,
            error: "unsupported_grant_type",
            code: 70003,
            names: "'password'".to_owned(),
        },
    ];
    check_refusals(&t, None, refusals).await;

    let wrong_tenant = "contoso.onmicrosoft.com";
    let refusals = vec![Refusal {
        case: "wrong tenant",
        form: secret_form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, GRAPH_SCOPE),
        status: 400,
        error: "invalid_request",
        code: 90002,
        names: wrong_tenant.to_owned(),
    }];
    check_refusals(&t, Some(wrong_tenant), refusals).await;
}

#[tokio::test]
async fn certificate_assertion_refusals_give_the_documented_oauth_errors() {
    let t = emulator().await;
    let valid = || assertion_claims(&t, CERT_CLIENT);
    let sign = |key: &TestKey, named: &TestKey, claims: &Value| {
        cert_assertion(key, named, Algorithm::RS256, Thumbprint::Sha256, claims)
    };
    let with = |name: &str, value: Value| {
        let mut claims = valid();
        claims[name] = value;
        claims
    };
    let without = |name: &str| {
        let mut claims = valid();
        claims.as_object_mut().unwrap().remove(name);
        claims
    };
    let wrong_aud = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
    let refusals = vec![
        Refusal::invalid_client(
            "signed with another key than the certificate it names",
            assertion_form(CERT_CLIENT, &sign(stranger(), registered(), &valid())),
            700_027,
            "invalid signature".to_owned(),
        ),
        Refusal::invalid_client(
            "unregistered thumbprint (x5t#S256)",
            assertion_form(CERT_CLIENT, &sign(stranger(), stranger(), &valid())),
            700_027,
            stranger().x5t_s256(),
        ),
        Refusal::invalid_client(
            "unregistered thumbprint (x5t)",
            assertion_form(
                CERT_CLIENT,
                &cert_assertion(
                    stranger(),
                    stranger(),
                    Algorithm::PS256,
                    Thumbprint::Sha1,
                    &valid(),
                ),
            ),
            700_027,
            stranger().x5t(),
        ),
        Refusal::invalid_client(
            "no thumbprint",
            assertion_form(
                CERT_CLIENT,
                &registered().sign(&Header::new(Algorithm::RS256), &valid()),
            ),
            700_027,
            "x5t".to_owned(),
        ),
        Refusal::invalid_client(
            // Algorithm confusion: HMAC keyed with the registered certificate, which is public.
            "HS256 keyed with the registered certificate",
            assertion_form(CERT_CLIENT, &{
                let mut header = Header::new(Algorithm::HS256);
                header.x5t_s256 = Some(registered().x5t_s256());
                jsonwebtoken::encode(
                    &header,
                    &valid(),
                    &EncodingKey::from_secret(registered().cert_pem.as_bytes()),
                )
                .unwrap()
            }),
            700_027,
            "RS256 or PS256".to_owned(),
        ),
        Refusal::invalid_client(
            "wrong aud",
            assertion_form(
                CERT_CLIENT,
                &sign(registered(), registered(), &with("aud", json!(wrong_aud))),
            ),
            700_023,
            wrong_aud.to_owned(),
        ),
        Refusal::invalid_client(
            "expired",
            assertion_form(
                CERT_CLIENT,
                &sign(registered(), registered(), &with("exp", json!(now() - 60))),
            ),
            700_024,
            "valid time range".to_owned(),
        ),
        Refusal::invalid_client(
            "not yet valid",
            assertion_form(
                CERT_CLIENT,
                &sign(registered(), registered(), &with("nbf", json!(now() + 300))),
            ),
            700_024,
            "valid time range".to_owned(),
        ),
        Refusal::invalid_client(
            "no jti",
            assertion_form(
                CERT_CLIENT,
                &sign(registered(), registered(), &without("jti")),
            ),
            50027,
            "'jti'".to_owned(),
        ),
        Refusal::invalid_client(
            "sub is not the client",
            assertion_form(
                CERT_CLIENT,
                &sign(
                    registered(),
                    registered(),
                    &with("sub", json!(DEFAULT_CLIENT_ID)),
                ),
            ),
            700_021,
            DEFAULT_CLIENT_ID.to_owned(),
        ),
        Refusal::invalid_client(
            "not a JWT",
            assertion_form(CERT_CLIENT, "not-a-jwt"),
            50027,
            "not a signed JWT".to_owned(),
        ),
        Refusal {
            case: "secret and assertion together",
            form: {
                let mut form =
                    assertion_form(CERT_CLIENT, &sign(registered(), registered(), &valid()));
                form.push(("client_secret", DEFAULT_CLIENT_SECRET.to_owned()));
                form
            },
            status: 400,
            error: "invalid_request",
            code: 9_002_313,
            names: "one credential".to_owned(),
        },
    ];
    check_refusals(&t, None, refusals).await;
}

#[tokio::test]
async fn federated_assertion_refusals_give_the_documented_oauth_errors() {
    let t = emulator().await;
    let signed = |key: &TestKey, iss: &str, sub: &str, aud: &str, exp: i64| {
        key.sign(
            &Header::new(Algorithm::RS256),
            &json!({ "iss": iss, "sub": sub, "aud": aud, "exp": exp }),
        )
    };
    // Signed by the key registered for the Kubernetes issuer.
    let k8s = |iss: &str, sub: &str, aud: &str, exp: i64| signed(stranger(), iss, sub, aud, exp);
    let later = now() + 600;
    let other_issuer = "https://token.example.com";
    let other_subject = "system:serviceaccount:ciamctl:intruder";
    let refusals = vec![
        Refusal::invalid_client(
            "issuer mismatch",
            assertion_form(
                FEDERATED_CLIENT,
                &k8s(other_issuer, K8S_SUBJECT, GITHUB_AUDIENCE, later),
            ),
            700_211,
            other_issuer.to_owned(),
        ),
        Refusal::invalid_client(
            "subject mismatch",
            assertion_form(
                FEDERATED_CLIENT,
                &k8s(K8S_ISSUER, other_subject, GITHUB_AUDIENCE, later),
            ),
            700_213,
            other_subject.to_owned(),
        ),
        Refusal::invalid_client(
            "audience mismatch",
            assertion_form(
                FEDERATED_CLIENT,
                &k8s(K8S_ISSUER, K8S_SUBJECT, "api://somewhere-else", later),
            ),
            700_212,
            "api://somewhere-else".to_owned(),
        ),
        Refusal::invalid_client(
            "subject differs only in case",
            assertion_form(
                FEDERATED_CLIENT,
                &k8s(
                    K8S_ISSUER,
                    &K8S_SUBJECT.to_uppercase(),
                    GITHUB_AUDIENCE,
                    later,
                ),
            ),
            700_213,
            K8S_SUBJECT.to_uppercase(),
        ),
        Refusal::invalid_client(
            "expired",
            assertion_form(
                FEDERATED_CLIENT,
                &k8s(K8S_ISSUER, K8S_SUBJECT, GITHUB_AUDIENCE, now() - 1),
            ),
            700_024,
            "valid time range".to_owned(),
        ),
        Refusal::invalid_client(
            "signed by another key than the issuer's",
            assertion_form(
                FEDERATED_CLIENT,
                &signed(
                    registered(),
                    K8S_ISSUER,
                    K8S_SUBJECT,
                    GITHUB_AUDIENCE,
                    later,
                ),
            ),
            50013,
            K8S_ISSUER.to_owned(),
        ),
        Refusal::invalid_client(
            "GitHub token with a forged signature",
            assertion_form(
                DEFAULT_CLIENT_ID,
                &signed(
                    stranger(),
                    GITHUB_ISSUER,
                    DEFAULT_GITHUB_SUBJECT,
                    GITHUB_AUDIENCE,
                    later,
                ),
            ),
            50013,
            GITHUB_ISSUER.to_owned(),
        ),
    ];
    check_refusals(&t, None, refusals).await;
}

#[test]
fn debug_output_of_registrations_and_auth_settings_masks_secrets() {
    let client = Client::with_secret(DEFAULT_CLIENT_ID, "hunter2-very-secret", &[]);
    let debug = format!("{client:?}");
    assert!(!debug.contains("hunter2-very-secret"), "{debug}");
    assert!(debug.contains("******"), "{debug}");
    let auth = AuthConfig {
        github_request_token: "request-token-value".to_owned(),
        clients: vec![client],
        ..AuthConfig::default()
    };
    let debug = format!("{auth:?}");
    assert!(!debug.contains("request-token-value"), "{debug}");
    assert!(!debug.contains("hunter2-very-secret"), "{debug}");
}

#[test]
fn certificate_registration_keeps_only_the_certificate_of_a_pem_with_its_private_key() {
    let key = registered();
    let combined = format!("{}{}", key.key_pem, key.cert_pem);
    let certificate = Certificate::from_pem(&combined).unwrap();
    assert!(!certificate.pem().contains("PRIVATE KEY"));
    assert_eq!(certificate.thumbprint_sha256(), key.x5t_s256());
    assert_eq!(certificate.thumbprint_sha1(), key.x5t());
    assert!(Certificate::from_pem(&key.key_pem).is_err());
    assert!(Certificate::from_pem(&ec_issuer().cert_pem).is_err());
}

#[test]
fn client_registrations_round_trip_through_seed_json() {
    let client = Client::with_certificate(
        CERT_CLIENT,
        &registered().cert_pem,
        &["Application.Read.All"],
    )
    .unwrap()
    .add_secret("s3cret")
    .add_federated_credential(FederatedCredential::github(DEFAULT_GITHUB_SUBJECT));
    let json = serde_json::to_value(&client).unwrap();
    assert_eq!(json["clientId"], CERT_CLIENT);
    assert_eq!(json["secrets"], json!(["s3cret"]));
    assert!(
        json["certificates"][0]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    assert_eq!(json["federatedCredentials"][0]["issuer"], GITHUB_ISSUER);
    assert_eq!(
        json["federatedCredentials"][0]["audiences"],
        json!([GITHUB_AUDIENCE])
    );
    let back: Client = serde_json::from_value(json).unwrap();
    assert_eq!(
        back.certificates[0].thumbprint_sha256(),
        registered().x5t_s256()
    );

    let bad = json!({ "clientId": "x", "certificates": ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"] });
    assert!(serde_json::from_value::<Client>(bad).is_err());
}

#[tokio::test]
async fn token_without_roles_is_403_authorization_request_denied() {
    let t = with_roles(&[]).await;
    assert!(claims_of(&t.token).get("roles").is_none());
    let resp = t.get("/v1.0/organization").await;
    assert_denied(&resp);
    assert_eq!(
        resp.json["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
}

#[tokio::test]
async fn malformed_foreign_and_non_bearer_tokens_are_401_invalid_authentication_token() {
    let t = emulator().await;
    let other = TestEmulator::start().await;
    let mut tampered: Vec<String> = t.token.split('.').map(str::to_owned).collect();
    let mut claims = claims_of(&t.token);
    claims["roles"] = json!(["EventListener.ReadWrite.All"]);
    tampered[1] = b64url(claims.to_string().as_bytes());
    let cases = [
        ("malformed", "Bearer not-a-token".to_owned()),
        ("another emulator's", format!("Bearer {}", other.token)),
        ("tampered claims", format!("Bearer {}", tampered.join("."))),
        ("basic scheme", format!("Basic {}", t.token)),
        ("empty bearer", "Bearer ".to_owned()),
    ];
    for (case, authorization) in cases {
        let resp = t
            .send_raw(
                t.http
                    .get(t.url("/v1.0/organization"))
                    .header("Authorization", authorization),
            )
            .await;
        assert_eq!(resp.status, 401, "{case}: {}", resp.json);
        assert_eq!(resp.error_code(), "InvalidAuthenticationToken", "{case}");
        assert!(
            !resp.json.to_string().contains(&t.token),
            "{case}: the error echoes the token"
        );
    }
    // The token scheme is case-insensitive.
    t.send_raw(
        t.http
            .get(t.url("/v1.0/organization"))
            .header("Authorization", format!("bearer {}", t.token)),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    let auth = AuthConfig {
        token_lifetime: Duration::from_secs(1),
        ..AuthConfig::default()
    };
    let t = start_with_auth(auth).await;
    let resp = secret_request(&t, GRAPH_SCOPE).await;
    assert_eq!(resp.json["expires_in"], 1);
    let token = assert_token(&resp);
    get_with(&t, &token, "/v1.0/organization")
        .await
        .assert_status(200);
    // `exp` is whole seconds and a token is valid through its `exp` second.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    get_with(&t, &token, "/v1.0/organization")
        .await
        .assert_error(401, "InvalidAuthenticationToken")
        .assert_error_mentions("expired");
}

/// The permission family REFERENCE.md §0.5 names for a route, and whether it has only a Read
/// form (`Application.Read.All`, `Organization.Read.All`).
fn documented_family(path: &str) -> Option<(&'static str, bool)> {
    let family = [
        ("identity/authenticationEventsFlows", "EventListener", false),
        (
            "identity/authenticationEventListeners",
            "EventListener",
            false,
        ),
        ("identity/userFlowAttributes", "IdentityUserFlow", false),
        ("identity/identityProviders", "IdentityProvider", false),
        // The older root collection, which `$ref` bodies name (REFERENCE.md §3).
        ("identityProviders", "IdentityProvider", false),
        (
            "identity/customAuthenticationExtensions",
            "CustomAuthenticationExtension",
            false,
        ),
        ("applications", "Application", true),
        ("servicePrincipals", "Application", true),
    ]
    .into_iter()
    .find(|(prefix, _, _)| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '(']))
    })
    .map(|(_, family, read_only)| (family, read_only));
    family.or(match path.split('/').collect::<Vec<_>>().as_slice() {
        ["organization"] => Some(("Organization", true)),
        ["organization", _, "branding", ..] => Some(("OrganizationalBranding", false)),
        _ => None,
    })
}

/// What REFERENCE.md names for a route: the least-privileged permission, and the other
/// permissions the contract says also allow it.
fn documented_permissions(method: &str, path: &str) -> (String, &'static [&'static str]) {
    let (family, read_only) = documented_family(path).unwrap_or_else(|| {
        panic!("{method} {path}: no permission row in REFERENCE.md §0.5 covers this route; add it to this test")
    });
    // §9.1: validateAuthenticationConfiguration is a POST that needs only the Read permission.
    let reads =
        method == "GET" || read_only || path.ends_with("validateAuthenticationConfiguration");
    let permission = format!("{family}.{}.All", if reads { "Read" } else { "ReadWrite" });
    // §10: `Directory.Read.All` also works for /organization.
    let alternatives: &[&str] = if path == "organization" {
        &["Directory.Read.All"]
    } else {
        &[]
    };
    (permission, alternatives)
}

/// `path` with every `{placeholder}` replaced by an id no object has.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str("emulator-test-0");
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn convention_16_19_every_route_needs_the_permission_reference_md_names_for_it() {
    let routes = route_table();
    assert!(!routes.is_empty());
    let permissions = [
        "EventListener",
        "IdentityUserFlow",
        "IdentityProvider",
        "OrganizationalBranding",
        "CustomAuthenticationExtension",
    ]
    .iter()
    .flat_map(|family| {
        [
            format!("{family}.Read.All"),
            format!("{family}.ReadWrite.All"),
        ]
    })
    .chain([
        "Application.Read.All".to_owned(),
        "Organization.Read.All".to_owned(),
    ])
    .collect::<Vec<_>>();
    let role_sets: Vec<[&str; 1]> = permissions.iter().map(|p| [p.as_str()]).collect();
    let mut clients: Vec<&[&str]> = role_sets.iter().map(<[&str; 1]>::as_slice).collect();
    clients.push(&[]);
    let t = with_clients(&clients).await;
    let mut tokens = std::collections::BTreeMap::new();
    for permission in &permissions {
        tokens.insert(permission.clone(), token_with(&t, &[permission]).await);
    }
    let no_roles = token_with(&t, &[]).await;

    let mut problems = Vec::new();
    for route in &routes {
        let (method, path) = (route.method, route.path);
        if path == "$batch" {
            // §11: a batch is authorised item by item; the route itself names no permission.
            if !route.permissions.is_empty() {
                problems.push(format!("{method} {path}: names {:?}", route.permissions));
            }
            continue;
        }
        let (least, alternatives) = documented_permissions(method, path);
        if route.permissions.first().copied() != Some(least.as_str())
            || route.permissions[1..]
                .iter()
                .any(|p| !alternatives.contains(p))
        {
            problems.push(format!(
                "{method} {path}: names {:?}, REFERENCE.md names {least} (alternatives {alternatives:?})",
                route.permissions
            ));
            continue;
        }
        let url = t.url(&format!("/v1.0/{}", concrete(path)));
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let send = |token: &str| {
            t.send_raw(
                t.http
                    .request(method.clone(), &url)
                    .bearer_auth(token)
                    .header("Accept-Language", "0"),
            )
        };
        let denied = send(&no_roles).await;
        if denied.status != 403 || denied.error_code() != "Authorization_RequestDenied" {
            problems.push(format!(
                "{method} {path} without roles: {} {}",
                denied.status, denied.json
            ));
        }
        let allowed = send(&tokens[&least]).await;
        if matches!(allowed.status, 401 | 403) {
            problems.push(format!(
                "{method} {path} with {least}: {} {}",
                allowed.status, allowed.json
            ));
        }
        if let Some(stem) = least.strip_suffix(".ReadWrite.All") {
            let read = format!("{stem}.Read.All");
            let refused = send(&tokens[&read]).await;
            if refused.status != 403 {
                problems.push(format!(
                    "{method} {path} with only {read}: {}",
                    refused.status
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "permission problems:\n  {}",
        problems.join("\n  ")
    );
}
