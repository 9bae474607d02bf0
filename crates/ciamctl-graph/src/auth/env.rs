//! Finding the credential in the environment, in the Azure Identity conventions of REFERENCE.md
//! §13 plus `CIAMCTL_ACCESS_TOKEN`, so CI secrets set up for the Azure SDKs or `azure/login`
//! work unchanged.

use std::path::PathBuf;

use ciamctl_secret::Secret;

use super::certificate::ClientCertificate;
use super::credential::Credential;
use super::error::CredentialError;

/// The credential and tenant the environment names.
#[derive(Debug, Clone)]
pub struct CredentialSettings {
    pub credential: Credential,
    /// `AZURE_TENANT_ID`, when set. The CLI's `--tenant-id` and the environment file's
    /// `tenantId` are the caller's to weigh against it.
    pub tenant: Option<String>,
}

impl CredentialSettings {
    /// Reads the credential from variables that `lookup` answers (`|name| std::env::var(name).ok()`
    /// in the CLI). An empty or blank variable counts as unset. The first that applies wins:
    ///
    /// 1. `CIAMCTL_ACCESS_TOKEN`: a ready token, used as is (no client id needed).
    /// 2. `AZURE_CLIENT_SECRET`: a client secret.
    /// 3. `AZURE_CLIENT_CERTIFICATE_PATH`: a PEM file (certificate and PKCS#8 or PKCS#1 RSA
    ///    key) or a PFX file opened with `AZURE_CLIENT_CERTIFICATE_PASSWORD`;
    ///    `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN=true` (or `1`) also sends the chain (`x5c`). The
    ///    file is read now, so a bad file is reported before any request.
    /// 4. `AZURE_FEDERATED_TOKEN_FILE`: a federated token, re-read at every token request.
    /// 5. GitHub Actions OIDC: `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`
    ///    (set by the runner when the job has `permissions: id-token: write`).
    ///
    /// All but the first need `AZURE_CLIENT_ID`. The tenant is `AZURE_TENANT_ID`.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let tenant = var("AZURE_TENANT_ID").map(|t| t.trim().to_owned());
        let credential = if let Some(token) = var("CIAMCTL_ACCESS_TOKEN") {
            Credential::AccessToken(Secret::new(token.trim().to_owned()))
        } else if let Some(secret) = var("AZURE_CLIENT_SECRET") {
            Credential::ClientSecret {
                client_id: client_id(&var, "AZURE_CLIENT_SECRET")?,
                secret: Secret::new(secret),
            }
        } else if let Some(path) = var("AZURE_CLIENT_CERTIFICATE_PATH") {
            let client_id = client_id(&var, "AZURE_CLIENT_CERTIFICATE_PATH")?;
            let send_chain = send_chain(var("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"))?;
            let path = PathBuf::from(path);
            let password = lookup("AZURE_CLIENT_CERTIFICATE_PASSWORD").filter(|p| !p.is_empty());
            let certificate = ClientCertificate::load(&path, password.as_deref())
                .map_err(|problem| CredentialError::Certificate { path, problem })?;
            Credential::Certificate {
                client_id,
                certificate: certificate.with_chain(send_chain),
            }
        } else if let Some(path) = var("AZURE_FEDERATED_TOKEN_FILE") {
            let client_id = client_id(&var, "AZURE_FEDERATED_TOKEN_FILE")?;
            let path = PathBuf::from(path);
            // Read once now so a wrong path is reported before any request; the token itself
            // is read again at every request (it rotates).
            super::read_federated_token(&path).map_err(|reason| {
                CredentialError::FederatedTokenFile {
                    path: path.clone(),
                    reason,
                }
            })?;
            Credential::FederatedTokenFile { client_id, path }
        } else {
            match (
                var("ACTIONS_ID_TOKEN_REQUEST_URL"),
                var("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
            ) {
                (Some(request_url), Some(request_token)) => {
                    // The request token goes to this URL: not in clear text across a network.
                    crate::cloud::checked_root(request_url.trim())
                        .map_err(CredentialError::GitHubRequestUrl)?;
                    Credential::GitHubActions {
                        client_id: client_id(&var, "ACTIONS_ID_TOKEN_REQUEST_URL")?,
                        request_url: request_url.trim().to_owned(),
                        request_token: Secret::new(request_token.trim().to_owned()),
                    }
                }
                (Some(_), None) => {
                    return Err(CredentialError::IncompleteGitHubActions {
                        present: "ACTIONS_ID_TOKEN_REQUEST_URL",
                        missing: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                    });
                }
                (None, Some(_)) => {
                    return Err(CredentialError::IncompleteGitHubActions {
                        present: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                        missing: "ACTIONS_ID_TOKEN_REQUEST_URL",
                    });
                }
                (None, None) => return Err(CredentialError::NoCredential),
            }
        };
        Ok(Self { credential, tenant })
    }
}

fn client_id(
    var: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
) -> Result<String, CredentialError> {
    var("AZURE_CLIENT_ID")
        .map(|id| id.trim().to_owned())
        .ok_or(CredentialError::MissingClientId { variable })
}

/// `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`: `true`/`1` or `false`/`0` (any case); anything else
/// is refused rather than read as false, so a typo does not silently change the authentication.
fn send_chain(value: Option<String>) -> Result<bool, CredentialError> {
    let Some(value) = value else {
        return Ok(false);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(CredentialError::InvalidSendChain { value }),
    }
}
