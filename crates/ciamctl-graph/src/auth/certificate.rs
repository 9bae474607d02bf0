//! Certificate credentials (REFERENCE.md §13): reading the certificate and its RSA key from a PEM
//! or PFX file (`AZURE_CLIENT_CERTIFICATE_PATH`), and signing client assertions with the key.
//!
//! Assertions are signed with aws-lc-rs directly, the library rustls already uses: a JWT is two
//! base64url JSON documents and a signature, and signing it here avoids jsonwebtoken's
//! PKCS#8-versus-PKCS#1 pitfall with PFX keys (research/deps.md, "Certificates and JWT").

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest;
use aws_lc_rs::rsa::KeyPair;
use aws_lc_rs::signature::KeyPair as _;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PSS_SHA256, RsaEncoding};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ciamctl_secret::Secret;
use p12_keystore::error::Error as PfxError;
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use rustls_pki_types::pem::{self, PemObject as _};
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;

use super::error::{AuthError, CertificateError};

/// How long a client assertion is valid: REFERENCE.md §13 recommends 5 to 10 minutes; the upper
/// end covers the token endpoint's retries without signing again.
const ASSERTION_LIFETIME_SECS: u64 = 10 * 60;

/// The PKCS#8 algorithm identifier of RSA keys (`rsaEncryption`, RFC 8017).
const RSA_ENCRYPTION_OID: &str = "1.2.840.113549.1.1.1";

/// The signature algorithm of client assertions.
///
/// PS256 is the default: it is what REFERENCE.md §13 calls current guidance, and RSA-PSS is the
/// padding new designs should use. RS256 (PKCS#1 v1.5) is there for identity platforms or
/// proxies that only know the older guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssertionAlgorithm {
    #[default]
    Ps256,
    Rs256,
}

impl AssertionAlgorithm {
    /// The JWT `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            AssertionAlgorithm::Ps256 => "PS256",
            AssertionAlgorithm::Rs256 => "RS256",
        }
    }

    fn encoding(self) -> &'static dyn RsaEncoding {
        match self {
            AssertionAlgorithm::Ps256 => &RSA_PSS_SHA256,
            AssertionAlgorithm::Rs256 => &RSA_PKCS1_SHA256,
        }
    }
}

/// A certificate registered for the app and its RSA private key. `Debug` shows the thumbprint,
/// subject and expiry, never the key.
#[derive(Clone)]
pub struct ClientCertificate {
    /// DER certificates, the one that belongs to the key first.
    chain: Vec<Vec<u8>>,
    key: Arc<KeyPair>,
    subject: String,
    not_after: String,
    algorithm: AssertionAlgorithm,
    send_chain: bool,
    path: Option<PathBuf>,
}

impl ClientCertificate {
    /// Reads the file at `path` (see [`Self::from_bytes`]); [`Self::path`] remembers it.
    pub fn load(path: &Path, password: Option<&str>) -> Result<Self, CertificateError> {
        let bytes = std::fs::read(path).map_err(|err| CertificateError::Unreadable {
            reason: err.to_string(),
        })?;
        let mut certificate = Self::from_bytes(&bytes, password)?;
        certificate.path = Some(path.to_owned());
        Ok(certificate)
    }

    /// Reads a PEM file (certificates and a PKCS#8 or PKCS#1 RSA key, in any order) or a PFX
    /// (PKCS#12) file, telling them apart by content. `password` opens a PFX file; a PFX file
    /// without one is tried with the empty password, as `openssl pkcs12 -passout pass:` writes.
    pub fn from_bytes(bytes: &[u8], password: Option<&str>) -> Result<Self, CertificateError> {
        if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            Self::from_pem(bytes)
        } else if bytes.first() == Some(&0x30) {
            // A DER SEQUENCE: the outer structure of a PKCS#12 file.
            Self::from_pfx(bytes, password)
        } else {
            Err(CertificateError::NotPemOrPfx)
        }
    }

    /// Reads PEM text holding the certificate (and optionally its chain) and the private key.
    pub fn from_pem(pem_text: &[u8]) -> Result<Self, CertificateError> {
        let certificates = CertificateDer::pem_slice_iter(pem_text)
            .map(|c| c.map(|c| c.to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| CertificateError::BadPem {
                reason: err.to_string(),
            })?;
        let key = match PrivateKeyDer::from_pem_slice(pem_text) {
            Ok(PrivateKeyDer::Pkcs1(key)) => rsa_key(KeyPair::from_der(key.secret_pkcs1_der())),
            Ok(PrivateKeyDer::Pkcs8(key)) => pkcs8_rsa_key(key.secret_pkcs8_der()),
            Ok(_) => Err(CertificateError::NotRsa),
            Err(pem::Error::NoItemsFound) => {
                let encrypted = pem_text
                    .windows(29)
                    .any(|w| w == b"BEGIN ENCRYPTED PRIVATE KEY--");
                Err(if encrypted {
                    CertificateError::EncryptedPemKey
                } else {
                    CertificateError::NoPrivateKey
                })
            }
            Err(err) => Err(CertificateError::BadPem {
                reason: err.to_string(),
            }),
        }?;
        Self::assemble(certificates, key)
    }

    /// Reads a PFX (PKCS#12) file: modern (PBES2, AES-256) and legacy (3DES, RC2) encryption.
    pub fn from_pfx(der: &[u8], password: Option<&str>) -> Result<Self, CertificateError> {
        let store = KeyStore::from_pkcs12(der, password.unwrap_or(""), Pkcs12ImportPolicy::Strict)
            .map_err(|err| match err {
                PfxError::MacError(_) => CertificateError::PfxPassword {
                    given: password.is_some(),
                },
                other => CertificateError::BadPfx {
                    reason: other.to_string(),
                },
            })?;
        let (_, entry) = store
            .private_key_chain()
            .ok_or(CertificateError::NoPrivateKey)?;
        let key = pkcs8_rsa_key(entry.key().as_der())?;
        let certificates = entry.certs().iter().map(|c| c.as_der().to_vec()).collect();
        Self::assemble(certificates, key)
    }

    /// Puts the certificate whose public key is the key's first, so a file may list its chain in
    /// any order and a certificate for another key is caught here rather than by Entra.
    fn assemble(mut certificates: Vec<Vec<u8>>, key: KeyPair) -> Result<Self, CertificateError> {
        if certificates.is_empty() {
            return Err(CertificateError::NoCertificate);
        }
        let public = key.public_key();
        let mut leaf = None;
        for (index, der) in certificates.iter().enumerate() {
            let (_, parsed) = x509_parser::parse_x509_certificate(der).map_err(|err| {
                CertificateError::BadCertificate {
                    reason: err.to_string(),
                }
            })?;
            if leaf.is_none() && *parsed.public_key().subject_public_key.data == *public.as_ref() {
                leaf = Some((
                    index,
                    parsed.subject().to_string(),
                    parsed.validity().not_after.to_datetime().date().to_string(),
                ));
            }
        }
        let (index, subject, not_after) = leaf.ok_or(CertificateError::KeyMismatch)?;
        let leaf_der = certificates.remove(index);
        certificates.insert(0, leaf_der);
        Ok(Self {
            chain: certificates,
            key: Arc::new(key),
            subject,
            not_after,
            algorithm: AssertionAlgorithm::default(),
            send_chain: false,
            path: None,
        })
    }

    /// The same certificate signing with `algorithm`.
    #[must_use]
    pub fn with_algorithm(mut self, algorithm: AssertionAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The same certificate, sending its chain in `x5c` when `send` is true
    /// (`AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`, for subject name and issuer authentication).
    #[must_use]
    pub fn with_chain(mut self, send: bool) -> Self {
        self.send_chain = send;
        self
    }

    pub fn algorithm(&self) -> AssertionAlgorithm {
        self.algorithm
    }

    pub fn sends_chain(&self) -> bool {
        self.send_chain
    }

    /// `x5t#S256`: base64url (unpadded) SHA-256 of the DER certificate, as the app
    /// registration's certificate list shows it.
    pub fn thumbprint_sha256(&self) -> String {
        URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, self.leaf()))
    }

    /// `x5t`: base64url (unpadded) SHA-1 of the DER certificate, the older header.
    pub fn thumbprint_sha1(&self) -> String {
        URL_SAFE_NO_PAD.encode(digest::digest(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            self.leaf(),
        ))
    }

    /// The file it was read from, if it was [loaded](Self::load).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The certificate's subject, such as `CN=ciamctl`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The last day the certificate is valid (UTC), such as `2027-03-31`.
    pub fn not_after(&self) -> &str {
        &self.not_after
    }

    fn leaf(&self) -> &[u8] {
        &self.chain[0]
    }

    /// A client assertion for `client_id` at the token endpoint `audience` (REFERENCE.md §13).
    ///
    /// The header names the certificate by `x5t#S256`; an RS256 assertion also carries the
    /// SHA-1 `x5t` that the older RS256 guidance used, so either generation of the identity
    /// platform finds the certificate. `x5c` (leaf first, standard base64 per RFC 7515) only
    /// when the chain is to be sent.
    pub(crate) fn assertion(
        &self,
        client_id: &str,
        audience: &str,
    ) -> Result<Secret<String>, AuthError> {
        let mut header = json!({
            "alg": self.algorithm.name(),
            "typ": "JWT",
            "x5t#S256": self.thumbprint_sha256(),
        });
        if self.algorithm == AssertionAlgorithm::Rs256 {
            header["x5t"] = self.thumbprint_sha1().into();
        }
        if self.send_chain {
            header["x5c"] = self.chain.iter().map(|c| STANDARD.encode(c)).collect();
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let claims = json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECS,
        });
        let mut jwt = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                self.algorithm.encoding(),
                &aws_lc_rs::rand::SystemRandom::new(),
                jwt.as_bytes(),
                &mut signature,
            )
            .map_err(|_| AuthError::Signing {
                reason: format!("the RSA key cannot sign {}", self.algorithm.name()),
            })?;
        jwt.push('.');
        jwt.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(Secret::new(jwt))
    }
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("x5t#S256", &self.thumbprint_sha256())
            .field("subject", &self.subject)
            .field("not_after", &self.not_after)
            .field("chain_len", &self.chain.len())
            .field("algorithm", &self.algorithm)
            .field("send_chain", &self.send_chain)
            .field("path", &self.path)
            .field("key", &ciamctl_secret::MASK)
            .finish()
    }
}

/// A PKCS#8 key, which must be RSA.
fn pkcs8_rsa_key(der: &[u8]) -> Result<KeyPair, CertificateError> {
    let info = p12_keystore::PrivateKey::from_der(der).map_err(|err| CertificateError::BadKey {
        reason: err.to_string(),
    })?;
    if info.oid().to_string() != RSA_ENCRYPTION_OID {
        return Err(CertificateError::NotRsa);
    }
    rsa_key(KeyPair::from_pkcs8(der))
}

fn rsa_key(
    parsed: Result<KeyPair, aws_lc_rs::error::KeyRejected>,
) -> Result<KeyPair, CertificateError> {
    parsed.map_err(|err| CertificateError::BadKey {
        reason: err.to_string(),
    })
}
