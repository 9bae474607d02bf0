//! Federated assertions (workload identity federation, REFERENCE.md §13).
//!
//! The client presents a token from an external issuer (GitHub Actions, a Kubernetes service
//! account, ...). It stands for the client when one of the client's federated credentials
//! matches it exactly, case-sensitively, as Entra matches:
//!
//! 1. the credential's `issuer` is the token's `iss` (AADSTS700211);
//! 2. the token's signature verifies with that issuer's key (AADSTS50013). Entra fetches the key
//!    through the issuer's `.well-known/openid-configuration`; the emulator cannot reach the network, so
//!    the credential registers the issuer's public key (`issuerPublicKey`, PEM). A credential for
//!    the emulator's own GitHub stand-in may leave it out: the emulator knows that key;
//! 3. `exp` is in the future and `nbf`, if present, is not (AADSTS700024);
//! 4. the credential's `subject` is the token's `sub` (AADSTS700213);
//! 5. one of the credential's `audiences` is among the token's `aud` values (AADSTS700212).
//!
//! The signature is checked before the subject and audience, so a forged token learns nothing
//! about which subjects a client trusts.

use jsonwebtoken::Algorithm;

use super::assertion::Assertion;
use super::error::OAuthError;
use super::registration::{Client, FederatedCredential};

/// The algorithms external issuers sign with: GitHub and Kubernetes use RS256.
const ALGORITHMS: &[Algorithm] = &[Algorithm::RS256, Algorithm::PS256, Algorithm::ES256];

/// Verifies a federated assertion presented by `client`.
pub(super) fn verify_federated_assertion(
    assertion: &Assertion<'_>,
    client: &Client,
) -> Result<(), OAuthError> {
    let iss = assertion.iss();
    let same_issuer: Vec<&FederatedCredential> = client
        .federated_credentials
        .iter()
        .filter(|c| c.issuer == iss)
        .collect();
    if same_issuer.is_empty() {
        return Err(OAuthError::federated_issuer(iss));
    }
    let mut any_key = false;
    let verified: Vec<&FederatedCredential> = same_issuer
        .into_iter()
        .filter(|credential| {
            let key = match &credential.issuer_public_key {
                Some(key) => key.decoding_key().ok(),
                None if iss == super::GITHUB_ISSUER => super::github::decoding_key(),
                None => None,
            };
            any_key |= key.is_some();
            key.is_some_and(|key| assertion.signature_verifies(&key, ALGORITHMS))
        })
        .collect();
    if !any_key {
        return Err(OAuthError::federated_signature(&format!(
            "no public key is registered for issuer '{iss}'; the emulator cannot fetch an issuer's keys, so a federated credential must carry 'issuerPublicKey'"
        )));
    }
    if verified.is_empty() {
        return Err(OAuthError::federated_signature(&format!(
            "the signature ({:?}) does not verify with the public key registered for issuer '{iss}'",
            assertion.alg()
        )));
    }
    assertion.check_lifetime()?;
    let same_subject: Vec<&FederatedCredential> = verified
        .into_iter()
        .filter(|c| c.subject == assertion.sub())
        .collect();
    if same_subject.is_empty() {
        return Err(OAuthError::federated_subject(assertion.sub()));
    }
    let audiences = assertion.audiences()?;
    if same_subject
        .iter()
        .any(|c| c.audiences.iter().any(|a| audiences.contains(a)))
    {
        Ok(())
    } else {
        Err(OAuthError::federated_audience(&audiences))
    }
}
