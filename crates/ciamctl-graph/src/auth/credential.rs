//! What proves the app's identity to the token endpoint (REFERENCE.md §13).

use std::path::PathBuf;

use ciamctl_secret::Secret;

use super::certificate::ClientCertificate;

/// What proves the app's identity to the token endpoint. `Debug` masks every secret: client
/// secrets, private keys, request tokens and access tokens.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A token obtained elsewhere (`CIAMCTL_ACCESS_TOKEN`, e.g. from `az account
    /// get-access-token`), used as is: it cannot be refreshed.
    AccessToken(Secret<String>),
    /// `AZURE_CLIENT_SECRET`.
    ClientSecret {
        client_id: String,
        secret: Secret<String>,
    },
    /// `AZURE_CLIENT_CERTIFICATE_PATH`: assertions signed with the certificate's key.
    Certificate {
        client_id: String,
        certificate: ClientCertificate,
    },
    /// `AZURE_FEDERATED_TOKEN_FILE`: a token from another issuer (a Kubernetes service account,
    /// ...), read from the file at every token request because the file is rotated.
    FederatedTokenFile { client_id: String, path: PathBuf },
    /// GitHub Actions OIDC: an ID token for `api://AzureADTokenExchange` fetched from
    /// `ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN` at every token request.
    GitHubActions {
        client_id: String,
        request_url: String,
        request_token: Secret<String>,
    },
}

impl Credential {
    /// The application (client) id, except for a ready token.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Credential::AccessToken(_) => None,
            Credential::ClientSecret { client_id, .. }
            | Credential::Certificate { client_id, .. }
            | Credential::FederatedTokenFile { client_id, .. }
            | Credential::GitHubActions { client_id, .. } => Some(client_id),
        }
    }

    /// One line for `ciamctl doctor`, naming the kind, where it comes from and the app; never a
    /// secret. For example `client secret (AZURE_CLIENT_SECRET) for app 5b7e2d14-…`.
    pub fn describe(&self) -> String {
        match self {
            Credential::AccessToken(_) => "access token (CIAMCTL_ACCESS_TOKEN)".to_owned(),
            Credential::ClientSecret { client_id, .. } => {
                format!("client secret (AZURE_CLIENT_SECRET) for app {client_id}")
            }
            Credential::Certificate {
                client_id,
                certificate,
            } => {
                let mut line = format!(
                    "certificate x5t#S256={} ({}, valid until {}, {}{})",
                    certificate.thumbprint_sha256(),
                    certificate.subject(),
                    certificate.not_after(),
                    certificate.algorithm().name(),
                    if certificate.sends_chain() {
                        ", sends x5c"
                    } else {
                        ""
                    },
                );
                if let Some(path) = certificate.path() {
                    line = format!("{line} from {}", path.display());
                }
                format!("{line} for app {client_id}")
            }
            Credential::FederatedTokenFile { client_id, path } => format!(
                "federated token file {} (AZURE_FEDERATED_TOKEN_FILE) for app {client_id}",
                path.display()
            ),
            Credential::GitHubActions { client_id, .. } => {
                format!("GitHub Actions OIDC for app {client_id}")
            }
        }
    }
}
