//! The HTTP side of authentication: the token endpoint's client-credentials grant
//! (REFERENCE.md §13) and GitHub Actions' ID token service, both with a small bounded retry.
//!
//! Transport errors, 429 and 5xx are retried under [`TOKEN_RETRY`], after `Retry-After` when
//! the answer gives one, else after a jittered exponential backoff ([`crate::retry`]'s clock).
//! Unlike a Graph POST, a token request changes nothing, so a 5xx or a dropped connection is
//! safe to repeat. Any other answer is final: a 400/401 refusal means the credential or the
//! request is wrong, and asking again would only repeat it. Log events name the URL, the status
//! and the attempt, never a form field or a header.

use std::time::{Duration, Instant, SystemTime};

use ciamctl_secret::Secret;
use http::HeaderValue;
use serde_json::Value;

use super::AccessToken;
use super::error::AuthError;
use crate::retry::{RetryClock, RetryPolicy, parse_retry_after};

/// At most three retries and 10 s of waiting in all: a token request stands before every
/// command, so an identity platform that stays down is reported quickly, and a `Retry-After`
/// longer than that ends the retries at once.
const TOKEN_RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    base_delay: Duration::from_millis(250),
    max_delay: Duration::from_secs(2),
    budget: Duration::from_secs(10),
};

/// `client_assertion_type` of certificate and federated assertions (RFC 7523).
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The audience Entra expects in federated tokens from GitHub (REFERENCE.md §13).
const GITHUB_AUDIENCE: &str = "api://AzureADTokenExchange";

/// How the client proves itself in the token request.
pub(super) enum Proof<'a> {
    Secret(&'a Secret<String>),
    Assertion(&'a Secret<String>),
}

/// The final answer of a retried exchange.
struct Answer {
    status: u16,
    body: Value,
    retries: u32,
    /// The body was not JSON.
    not_json: bool,
}

/// A transport failure that outlasted the retries.
struct Unreachable {
    retries: u32,
    reason: String,
}

/// Asks the token endpoint at `url` for a token for `scope`.
pub(super) async fn request_token(
    http: &reqwest::Client,
    url: &str,
    client_id: &str,
    scope: &str,
    proof: Proof<'_>,
) -> Result<AccessToken, AuthError> {
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("scope", scope),
    ];
    match proof {
        Proof::Secret(secret) => form.push(("client_secret", secret.expose())),
        Proof::Assertion(assertion) => {
            form.push(("client_assertion_type", JWT_BEARER));
            form.push(("client_assertion", assertion.expose()));
        }
    }
    // The lifetime counts from before the request left, so the cache never outlives the token.
    let sent = Instant::now();
    let answer = send(http.post(url).form(&form), url)
        .await
        .map_err(|failure| AuthError::Unreachable {
            url: url.to_owned(),
            retries: failure.retries,
            reason: failure.reason,
        })?;
    let text = |key: &str| {
        answer
            .body
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if answer.not_json {
        return Err(AuthError::UnexpectedAnswer {
            url: url.to_owned(),
            status: answer.status,
            what: "a body that is not JSON",
        });
    }
    if answer.status == 200 {
        let token = answer.body.get("access_token").and_then(Value::as_str);
        let lifetime = answer.body.get("expires_in").and_then(expires_in);
        return match (token, lifetime) {
            (Some(token), Some(lifetime)) if !token.is_empty() => Ok(AccessToken::issued(
                Secret::new(token.to_owned()),
                sent,
                lifetime,
            )),
            _ => Err(AuthError::UnexpectedAnswer {
                url: url.to_owned(),
                status: 200,
                what: "no access_token and expires_in",
            }),
        };
    }
    if retryable(answer.status) {
        Err(AuthError::Unavailable {
            url: url.to_owned(),
            status: answer.status,
            retries: answer.retries,
            error: text("error"),
            description: text("error_description"),
        })
    } else {
        Err(AuthError::Refused {
            url: url.to_owned(),
            status: answer.status,
            error: text("error"),
            description: text("error_description"),
        })
    }
}

/// `expires_in`: a number of seconds, or (in some older answers) a string of one.
fn expires_in(value: &Value) -> Option<Duration> {
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
        .map(Duration::from_secs)
}

/// Fetches a GitHub Actions ID token for Entra: `GET {request_url}&audience=api://AzureADTokenExchange`
/// (`?` when the URL has no query yet) with `Authorization: bearer {request_token}`, answered by
/// `{ "value": "<jwt>" }` (REFERENCE.md §13).
pub(super) async fn github_id_token(
    http: &reqwest::Client,
    request_url: &str,
    request_token: &Secret<String>,
) -> Result<Secret<String>, AuthError> {
    let separator = if request_url.contains('?') { '&' } else { '?' };
    let url = format!("{request_url}{separator}audience={GITHUB_AUDIENCE}");
    let failed = |reason: String| AuthError::GitHubIdToken {
        url: request_url.to_owned(),
        reason,
    };
    let mut authorization = HeaderValue::try_from(format!("bearer {}", request_token.expose()))
        .map_err(|_| {
            failed("ACTIONS_ID_TOKEN_REQUEST_TOKEN holds characters a header cannot".to_owned())
        })?;
    authorization.set_sensitive(true);
    let answer = send(
        http.get(&url)
            .header(http::header::AUTHORIZATION, authorization),
        request_url,
    )
    .await
    .map_err(|failure| {
        failed(format!(
            "unreachable after {} retries: {}",
            failure.retries, failure.reason
        ))
    })?;
    match answer.body.get("value").and_then(Value::as_str) {
        Some(token) if answer.status == 200 && !token.is_empty() => {
            Ok(Secret::new(token.to_owned()))
        }
        _ if answer.status == 200 => Err(failed("the answer has no `value`".to_owned())),
        _ => {
            let message = answer
                .body
                .get("message")
                .and_then(Value::as_str)
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            Err(failed(format!("it answered {}{message}", answer.status)))
        }
    }
}

fn retryable(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// Sends `request`, retrying transport errors, 429 and 5xx; `name` (a URL without secrets) is
/// what log events show.
async fn send(request: reqwest::RequestBuilder, name: &str) -> Result<Answer, Unreachable> {
    let mut clock = RetryClock::new(&TOKEN_RETRY);
    loop {
        let Some(attempt) = request.try_clone() else {
            // Only streaming bodies cannot be cloned; these requests have none.
            return Err(Unreachable {
                retries: clock.retries,
                reason: "the request cannot be repeated".to_owned(),
            });
        };
        match attempt.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                if let Some(wait) = retryable(status)
                    .then(|| clock.next_wait(retry_after))
                    .flatten()
                {
                    tracing::debug!(
                        url = name,
                        status,
                        ?wait,
                        "token endpoint: retrying after {status}"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                let bytes = response.bytes().await.unwrap_or_default();
                let body: Option<Value> = serde_json::from_slice(&bytes).ok();
                tracing::debug!(
                    url = name,
                    status,
                    retries = clock.retries,
                    "token endpoint answered"
                );
                return Ok(Answer {
                    status,
                    not_json: body.is_none(),
                    body: body.unwrap_or(Value::Null),
                    retries: clock.retries,
                });
            }
            Err(err) => {
                let reason = err.without_url().to_string();
                let Some(wait) = clock.next_wait(None) else {
                    return Err(Unreachable {
                        retries: clock.retries,
                        reason,
                    });
                };
                tracing::debug!(
                    url = name,
                    ?wait,
                    "token endpoint: retrying after a transport error: {reason}"
                );
                tokio::time::sleep(wait).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_a_number_or_a_numeric_string() {
        assert_eq!(
            expires_in(&serde_json::json!(3599)),
            Some(Duration::from_secs(3599))
        );
        assert_eq!(
            expires_in(&serde_json::json!("60")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(expires_in(&serde_json::json!("soon")), None);
    }
}
