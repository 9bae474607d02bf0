//! Test certificates generated at test time with rcgen (RSA generation is the slow part, so
//! each key is made once per test binary), and the PEM and PFX files a user would have.

use std::sync::OnceLock;

use base64::Engine as _;
use p12_keystore::{
    Certificate, EncryptionAlgorithm, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain,
};

/// A key and a self-signed certificate for it.
pub(crate) struct TestCert {
    pub(crate) cert_pem: String,
    pub(crate) cert_der: Vec<u8>,
    /// PKCS#8 (`BEGIN PRIVATE KEY`), as rcgen and PFX files hold keys.
    pub(crate) key_pem: String,
    pkcs8_der: Vec<u8>,
}

impl TestCert {
    fn generate(alg: &'static rcgen::SignatureAlgorithm, name: &str) -> Self {
        let key = rcgen::KeyPair::generate_for(alg).unwrap();
        let mut params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        Self {
            cert_pem: cert.pem(),
            cert_der: cert.der().to_vec(),
            key_pem: key.serialize_pem(),
            pkcs8_der: key.serialize_der(),
        }
    }

    /// The key as PKCS#1 (`BEGIN RSA PRIVATE KEY`), as `openssl genrsa -traditional` writes it.
    pub(crate) fn pkcs1_key_pem(&self) -> String {
        pem("RSA PRIVATE KEY", pkcs1_of(&self.pkcs8_der))
    }

    /// The certificate followed by the PKCS#8 key: what `AZURE_CLIENT_CERTIFICATE_PATH` names.
    pub(crate) fn pem_file(&self) -> String {
        format!("{}{}", self.cert_pem, self.key_pem)
    }

    /// A PFX file holding the key and certificate, encrypted with `password`.
    pub(crate) fn pfx(&self, password: &str, encryption: EncryptionAlgorithm) -> Vec<u8> {
        let chain = PrivateKeyChain::new(
            b"ciamctl-test".as_slice(),
            PrivateKey::from_der(&self.pkcs8_der).unwrap(),
            [Certificate::from_der(&self.cert_der).unwrap()],
        );
        let mut store = KeyStore::new();
        store.add_entry("ciamctl", KeyStoreEntry::PrivateKeyChain(chain));
        store
            .writer(password)
            .encryption_algorithm(encryption)
            .write()
            .unwrap()
    }
}

/// The certificate registered for the certificate client in these tests.
pub(crate) fn registered() -> &'static TestCert {
    static CERT: OnceLock<TestCert> = OnceLock::new();
    CERT.get_or_init(|| TestCert::generate(&rcgen::PKCS_RSA_SHA256, "ciamctl-registered.test"))
}

/// An RSA certificate registered nowhere.
pub(crate) fn stranger() -> &'static TestCert {
    static CERT: OnceLock<TestCert> = OnceLock::new();
    CERT.get_or_init(|| TestCert::generate(&rcgen::PKCS_RSA_SHA256, "ciamctl-stranger.test"))
}

/// An EC P-256 certificate, which cannot sign RS256/PS256 assertions.
pub(crate) fn ec() -> &'static TestCert {
    static CERT: OnceLock<TestCert> = OnceLock::new();
    CERT.get_or_init(|| TestCert::generate(&rcgen::PKCS_ECDSA_P256_SHA256, "ciamctl-ec.test"))
}

/// A PEM section of `der`, in 64-column base64.
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// The PKCS#1 `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo`: the content of its OCTET STRING
/// after the version INTEGER and the `AlgorithmIdentifier` SEQUENCE (RFC 5208).
fn pkcs1_of(pkcs8: &[u8]) -> &[u8] {
    let (_, info, _) = der_element(pkcs8);
    let (_, _version, rest) = der_element(info);
    let (_, _algorithm, rest) = der_element(rest);
    let (tag, key, _) = der_element(rest);
    assert_eq!(tag, 0x04, "PKCS#8 privateKey is an OCTET STRING");
    key
}

/// One DER element: its tag, its content and what follows it.
fn der_element(bytes: &[u8]) -> (u8, &[u8], &[u8]) {
    let tag = bytes[0];
    let (len, header) = match bytes[1] {
        short if short < 0x80 => (usize::from(short), 2),
        long => {
            let count = usize::from(long & 0x7f);
            let len = bytes[2..2 + count]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + count)
        }
    };
    (tag, &bytes[header..header + len], &bytes[header + len..])
}
