//! The token cache: one token per authenticator, shared by concurrent callers, renewed shortly
//! before it expires; a ready token is used as is until its `exp`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciamctl_emulator::{AuthConfig, DEFAULT_TENANT_ID};
use ciamctl_graph::{AuthError, Credential};
use ciamctl_secret::Secret;

use super::{authenticator, client_secret, http, start, start_with_token_lifetime};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_token_request() {
    let emulator = start(AuthConfig::default()).await;
    let auth = Arc::new(authenticator(client_secret(), &emulator));
    let client = http();
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (auth, client) = (Arc::clone(&auth), client.clone());
        callers.spawn(async move { auth.token(&client).await.unwrap() });
    }
    let tokens: Vec<String> = callers
        .join_all()
        .await
        .iter()
        .map(|t| t.secret().expose().clone())
        .collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(emulator.stats().token_requests, 1);
}

#[tokio::test]
async fn a_token_is_reused_while_fresh_and_renewed_shortly_before_it_expires() {
    let emulator = start_with_token_lifetime(Duration::from_secs(2)).await;
    let auth = authenticator(client_secret(), &emulator);
    auth.token(&http()).await.unwrap();
    auth.token(&http()).await.unwrap();
    assert_eq!(emulator.stats().token_requests, 1);
    // A quarter of a 2 s lifetime before expiry (at most 5 minutes for real tokens) it is renewed.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let renewed = auth.token(&http()).await.unwrap();
    assert_eq!(emulator.stats().token_requests, 2);
    assert!(renewed.expires_in().unwrap() > Duration::from_millis(1500));
}

/// An unsigned JWT with `exp` this many seconds from now.
fn ready_token(exp_from_now: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .cast_signed();
    let claims = serde_json::json!({"tid": DEFAULT_TENANT_ID, "exp": now + exp_from_now});
    format!(
        "e30.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

#[tokio::test]
async fn a_ready_token_is_used_without_a_token_request_until_it_expires() {
    let emulator = start(AuthConfig::default()).await;
    let token = ready_token(600);
    let auth = authenticator(
        Credential::AccessToken(Secret::new(token.clone())),
        &emulator,
    );
    let got = auth.token(&http()).await.unwrap();
    assert_eq!(got.secret().expose(), &token);
    assert_eq!(
        got.claims().unwrap().tenant_id.as_deref(),
        Some(DEFAULT_TENANT_ID)
    );
    assert!(got.expires_in().unwrap() > Duration::from_secs(590));

    let expired = authenticator(
        Credential::AccessToken(Secret::new(ready_token(-120))),
        &emulator,
    );
    let err = expired.token(&http()).await.unwrap_err();
    assert!(
        matches!(
            err,
            AuthError::AccessTokenExpired {
                seconds_ago: 119..=125,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().ends_with(&format!(
        "`az account get-access-token --resource {}`",
        emulator.base_url()
    )));
    // An opaque token cannot say when it expires; it is passed on for Graph to judge.
    let opaque = authenticator(
        Credential::AccessToken(Secret::new("opaque".to_owned())),
        &emulator,
    );
    assert_eq!(opaque.token(&http()).await.unwrap().expires_in(), None);
    assert_eq!(emulator.stats().token_requests, 0);
}
