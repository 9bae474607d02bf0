//! Why no credential or no token could be had. Messages name variables, files, URLs and the
//! identity platform's answer, and say how to fix the problem; they never hold a secret, a key,
//! an assertion or a token.

use std::path::PathBuf;

/// The environment names no usable credential (see [`super::CredentialSettings::from_env`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "no credential: set AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET, \
         AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE; or run in GitHub Actions \
         with `permissions: id-token: write` and AZURE_CLIENT_ID; or set CIAMCTL_ACCESS_TOKEN to a \
         ready token (see README 'Credentials')"
    )]
    NoCredential,
    #[error(
        "{variable} is set but AZURE_CLIENT_ID is not: set AZURE_CLIENT_ID to the application \
         (client) ID of the app registration (see README 'Credentials')"
    )]
    MissingClientId { variable: &'static str },
    #[error(
        "{present} is set but {missing} is not: GitHub Actions sets both when the job has \
         `permissions: id-token: write` (see README 'Credentials')"
    )]
    IncompleteGitHubActions {
        present: &'static str,
        missing: &'static str,
    },
    #[error(
        "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN={value}: use true or 1 to send the certificate chain \
         (x5c), false or 0 not to"
    )]
    InvalidSendChain { value: String },
    /// The GitHub request token would go to a URL that is neither https nor loopback.
    #[error("ACTIONS_ID_TOKEN_REQUEST_URL: {0}")]
    GitHubRequestUrl(#[source] crate::cloud::EndpointError),
    #[error("AZURE_CLIENT_CERTIFICATE_PATH={}: {problem}", path.display())]
    Certificate {
        path: PathBuf,
        problem: CertificateError,
    },
    #[error("AZURE_FEDERATED_TOKEN_FILE={}: {reason}", path.display())]
    FederatedTokenFile { path: PathBuf, reason: String },
}

/// A certificate file that cannot sign client assertions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("cannot read it: {reason}")]
    Unreadable { reason: String },
    #[error(
        "it is neither PEM (-----BEGIN CERTIFICATE----- and -----BEGIN PRIVATE KEY-----) nor a \
         PFX/PKCS#12 file"
    )]
    NotPemOrPfx,
    #[error("it is not valid PEM: {reason}")]
    BadPem { reason: String },
    #[error(
        "it is a PFX file {}",
        if *given {
            "and the password in AZURE_CLIENT_CERTIFICATE_PASSWORD does not open it"
        } else {
            "protected by a password: set AZURE_CLIENT_CERTIFICATE_PASSWORD"
        }
    )]
    PfxPassword { given: bool },
    #[error("it is a PFX file that cannot be read: {reason}")]
    BadPfx { reason: String },
    #[error(
        "it holds no private key: the file must hold the certificate and its unencrypted private \
         key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), or be a PFX file"
    )]
    NoPrivateKey,
    #[error(
        "it holds an encrypted PEM private key, which ciamctl does not open: convert it to a PFX \
         file (openssl pkcs12 -export -in cert.pem -inkey key.pem -out cert.pfx) and set \
         AZURE_CLIENT_CERTIFICATE_PASSWORD, or decrypt the key (openssl pkey -in key.pem)"
    )]
    EncryptedPemKey,
    #[error(
        "it holds a private key but no certificate: add the certificate registered for the app \
         (-----BEGIN CERTIFICATE-----) to the file"
    )]
    NoCertificate,
    #[error(
        "its private key is not an RSA key: Entra certificate credentials sign with RS256 or \
         PS256, which need an RSA key (2048 bits or more)"
    )]
    NotRsa,
    #[error("its RSA private key cannot be used: {reason}")]
    BadKey { reason: String },
    #[error("it holds a certificate that cannot be parsed: {reason}")]
    BadCertificate { reason: String },
    #[error(
        "none of its certificates belongs to its private key: put the certificate of that key \
         (the one registered for the app) in the file"
    )]
    KeyMismatch,
}

/// Why no token could be had.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthError {
    #[error("cannot reach the token endpoint {url} ({retries} retries): {reason}")]
    Unreachable {
        url: String,
        retries: u32,
        reason: String,
    },
    /// A 4xx answer other than 429: the request or the credential is wrong, and asking again
    /// would not help.
    #[error("the token endpoint {url} refused the request ({status} {error}): {description}")]
    Refused {
        url: String,
        status: u16,
        error: String,
        description: String,
    },
    /// 429 or 5xx, still, after the retries.
    #[error(
        "the token endpoint {url} still answered {status} {error} after {retries} retries: \
         {description}"
    )]
    Unavailable {
        url: String,
        status: u16,
        retries: u32,
        error: String,
        description: String,
    },
    #[error("the token endpoint {url} answered {status} with {what}")]
    UnexpectedAnswer {
        url: String,
        status: u16,
        what: &'static str,
    },
    #[error(
        "cannot read the federated token file {} (AZURE_FEDERATED_TOKEN_FILE): {reason}",
        path.display()
    )]
    FederatedTokenFile { path: PathBuf, reason: String },
    #[error(
        "cannot get an ID token from GitHub Actions at {url}: {reason} (the job needs \
         `permissions: id-token: write`)"
    )]
    GitHubIdToken { url: String, reason: String },
    #[error("cannot sign the client assertion: {reason}")]
    Signing { reason: String },
    #[error(
        "the access token in CIAMCTL_ACCESS_TOKEN expired {seconds_ago} s ago: get a new one, e.g. \
         `az account get-access-token --resource {resource}`"
    )]
    AccessTokenExpired { seconds_ago: u64, resource: String },
    #[error("the access token is not a JWT whose claims can be read: {reason}")]
    MalformedToken { reason: &'static str },
}
