//! Client registrations: who may ask the token endpoint for a token, with which credentials, and
//! which application permissions (`roles`) its tokens carry.
//!
//! They are part of the tenant, so `--seed` JSON declares them:
//!
//! ```json
//! { "clients": [ {
//!     "clientId": "5b7e2d14-…", "roles": ["EventListener.Read.All"],
//!     "secrets": ["…"], "certificates": ["-----BEGIN CERTIFICATE-----…"],
//!     "federatedCredentials": [ { "name": "ci", "issuer": "https://…", "subject": "…",
//!                                 "audiences": ["api://AzureADTokenExchange"],
//!                                 "issuerPublicKey": "-----BEGIN PUBLIC KEY-----…" } ]
//! } ] }
//! ```
//!
//! Certificates and issuer keys are checked when they are registered (read from JSON or built
//! here), so a token request never meets a registration it cannot use. Only public material is
//! kept: a PEM file that also holds the private key is reduced to its certificate.

use base64::Engine as _;
use jsonwebtoken::DecodingKey;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};

/// Why a certificate or key cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("the PEM text holds no CERTIFICATE section")]
    NotACertificate,
    #[error(
        "the certificate's key is not an RSA key; Entra verifies client assertions with RS256 or PS256"
    )]
    NotAnRsaCertificate,
    #[error(
        "the PEM text holds no RSA or EC public key (PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)"
    )]
    NotAPublicKey,
}

/// An application registration the token endpoint issues tokens to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Client {
    /// The application (client) id, compared case-insensitively as Entra compares GUIDs.
    pub client_id: String,
    /// Accepted client secrets.
    pub secrets: Vec<ClientSecret>,
    /// Certificates whose keys may sign client assertions (Entra's `keyCredentials`).
    pub certificates: Vec<Certificate>,
    /// External issuers whose tokens this client may present (workload identity federation).
    pub federated_credentials: Vec<FederatedCredential>,
    /// The application permissions (`roles` claim) its tokens carry.
    pub roles: Vec<String>,
}

impl Client {
    /// A client with no credential yet.
    pub fn new(client_id: &str, roles: &[&str]) -> Self {
        Self {
            client_id: client_id.to_owned(),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// A client that authenticates with `secret`.
    pub fn with_secret(client_id: &str, secret: &str, roles: &[&str]) -> Self {
        Self::new(client_id, roles).add_secret(secret)
    }

    /// A client that authenticates with assertions signed by the key of `certificate_pem`.
    pub fn with_certificate(
        client_id: &str,
        certificate_pem: &str,
        roles: &[&str],
    ) -> Result<Self, RegistrationError> {
        Ok(Self::new(client_id, roles).add_certificate(Certificate::from_pem(certificate_pem)?))
    }

    #[must_use]
    pub fn add_secret(mut self, secret: &str) -> Self {
        self.secrets.push(ClientSecret::new(secret));
        self
    }

    #[must_use]
    pub fn add_certificate(mut self, certificate: Certificate) -> Self {
        self.certificates.push(certificate);
        self
    }

    #[must_use]
    pub fn add_federated_credential(mut self, credential: FederatedCredential) -> Self {
        self.federated_credentials.push(credential);
        self
    }
}

/// A client secret. `Debug` shows a mask; JSON (seed and state files) holds the value, as the
/// emulated tenant stores it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: &str) -> Self {
        Self(secret.to_owned())
    }

    /// Whether `candidate` is this secret. The comparison takes the same time wherever the two
    /// differ, so response times do not reveal a prefix of the secret.
    pub(crate) fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret(******)")
    }
}

/// A registered X.509 certificate with an RSA key (Entra's `AsymmetricX509Cert` key
/// credential). Serialized as its PEM text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Certificate {
    der: Vec<u8>,
}

impl Certificate {
    /// Reads the first `CERTIFICATE` section of `pem`; other sections (a private key kept in
    /// the same file, as `AZURE_CLIENT_CERTIFICATE_PATH` files do) are ignored and not kept.
    pub fn from_pem(pem: &str) -> Result<Self, RegistrationError> {
        let der = CertificateDer::from_pem_slice(pem.as_bytes())
            .map_err(|_| RegistrationError::NotACertificate)?;
        let certificate = Self { der: der.to_vec() };
        certificate.decoding_key()?;
        Ok(certificate)
    }

    /// The certificate alone, as PEM.
    pub fn pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.der)
    }

    /// `x5t#S256`: base64url (unpadded) SHA-256 of the DER certificate.
    pub fn thumbprint_sha256(&self) -> String {
        base64url(&Sha256::digest(&self.der))
    }

    /// `x5t`: base64url (unpadded) SHA-1 of the DER certificate, the older header.
    pub fn thumbprint_sha1(&self) -> String {
        base64url(&Sha1::digest(&self.der))
    }

    /// The certificate's public key, for RS256 and PS256.
    pub(crate) fn decoding_key(&self) -> Result<DecodingKey, RegistrationError> {
        DecodingKey::from_rsa_pem(self.pem().as_bytes())
            .map_err(|_| RegistrationError::NotAnRsaCertificate)
    }
}

impl TryFrom<String> for Certificate {
    type Error = RegistrationError;

    fn try_from(pem: String) -> Result<Self, Self::Error> {
        Self::from_pem(&pem)
    }
}

impl From<Certificate> for String {
    fn from(certificate: Certificate) -> Self {
        certificate.pem()
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("x5t#S256", &self.thumbprint_sha256())
            .finish()
    }
}

/// A federated identity credential (REFERENCE.md §13): tokens whose `iss` and `sub` equal
/// `issuer` and `subject` exactly (case-sensitively) and whose `aud` holds one of `audiences`
/// stand for this client.
///
/// Entra finds the issuer's signing keys through its `.well-known/openid-configuration`. The emulator
/// never reaches the network, so the credential carries the issuer's public key instead
/// (`issuer_public_key`), and the token's signature is verified against it. The key may be left
/// out only for an issuer the emulator itself stands in for ([`crate::auth::GITHUB_ISSUER`]),
/// whose key it knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FederatedCredential {
    /// A name unique within the client, as Graph's `federatedIdentityCredential` has.
    pub name: String,
    pub issuer: String,
    pub subject: String,
    pub audiences: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_public_key: Option<IssuerKey>,
}

impl FederatedCredential {
    pub fn new(name: &str, issuer: &str, subject: &str, audiences: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            issuer: issuer.to_owned(),
            subject: subject.to_owned(),
            audiences: audiences.iter().map(|a| (*a).to_owned()).collect(),
            issuer_public_key: None,
        }
    }

    /// The credential a GitHub Actions workflow with `subject` uses (REFERENCE.md §13): GitHub's
    /// issuer and the `api://AzureADTokenExchange` audience, verified with the key of the
    /// emulator's GitHub stand-in.
    pub fn github(subject: &str) -> Self {
        Self::new(
            "github-actions",
            crate::auth::GITHUB_ISSUER,
            subject,
            &[crate::auth::GITHUB_AUDIENCE],
        )
    }

    #[must_use]
    pub fn with_issuer_key(mut self, key: IssuerKey) -> Self {
        self.issuer_public_key = Some(key);
        self
    }
}

/// An external issuer's public key (RSA for RS256/PS256, EC P-256 for ES256), registered with a
/// federated credential. Serialized as its PEM text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IssuerKey {
    pem: String,
    rsa: bool,
}

impl IssuerKey {
    /// Reads a `PUBLIC KEY`, `RSA PUBLIC KEY` or `CERTIFICATE` PEM section.
    pub fn from_pem(pem: &str) -> Result<Self, RegistrationError> {
        let bytes = pem.as_bytes();
        if DecodingKey::from_rsa_pem(bytes).is_ok() {
            Ok(Self {
                pem: pem.to_owned(),
                rsa: true,
            })
        } else if DecodingKey::from_ec_pem(bytes).is_ok() {
            Ok(Self {
                pem: pem.to_owned(),
                rsa: false,
            })
        } else {
            Err(RegistrationError::NotAPublicKey)
        }
    }

    pub(crate) fn decoding_key(&self) -> Result<DecodingKey, RegistrationError> {
        let bytes = self.pem.as_bytes();
        if self.rsa {
            DecodingKey::from_rsa_pem(bytes)
        } else {
            DecodingKey::from_ec_pem(bytes)
        }
        .map_err(|_| RegistrationError::NotAPublicKey)
    }
}

impl TryFrom<String> for IssuerKey {
    type Error = RegistrationError;

    fn try_from(pem: String) -> Result<Self, Self::Error> {
        Self::from_pem(&pem)
    }
}

impl From<IssuerKey> for String {
    fn from(key: IssuerKey) -> Self {
        key.pem
    }
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.rsa {
            "IssuerKey(RSA)"
        } else {
            "IssuerKey(EC)"
        })
    }
}

/// Unpadded base64url, the encoding of JWT parts and thumbprints.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A PEM section: `label` and the DER bytes in 64-column base64.
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}
