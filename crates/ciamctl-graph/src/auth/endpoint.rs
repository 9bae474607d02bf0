//! The HTTP side of authentication: the token endpoint's client-credentials grant
//! (REFERENCE.md §13) and GitHub Actions' ID token service, both with a small bounded retry.
//!
//! Transport errors, 429 and 5xx are retried [`MAX_RETRIES`] times, after `Retry-After` when the
//! answer gives one (at most [`MAX_WAIT`]), else after an exponential backoff with jitter. Any
//! other answer is final: a 400/401 refusal means the credential or the request is wrong, and
//! asking again would only repeat it. Log events name the URL, the status and the attempt, never
//! a form field or a header.

use std::time::{Duration, Instant};

use ciamctl_secret::Secret;
use http::HeaderValue;
use serde_json::Value;

use super::AccessToken;
use super::error::AuthError;

/// Retries after the first attempt.
const MAX_RETRIES: u32 = 3;
/// The longest single wait; a `Retry-After` beyond it ends the retries.
const MAX_WAIT: Duration = Duration::from_secs(10);
/// The first backoff without `Retry-After`; it doubles with each retry.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);

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
    let mut retries = 0;
    loop {
        let Some(attempt) = request.try_clone() else {
            // Only streaming bodies cannot be cloned; these requests have none.
            return Err(Unreachable {
                retries,
                reason: "the request cannot be repeated".to_owned(),
            });
        };
        let wait = match attempt.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let retry_after = retry_after(response.headers());
                if retryable(status)
                    && retries < MAX_RETRIES
                    && retry_after.is_none_or(|w| w <= MAX_WAIT)
                {
                    tracing::debug!(url = name, status, retries, "retrying after {status}");
                    retry_after.unwrap_or_else(|| backoff(retries))
                } else {
                    let bytes = response.bytes().await.unwrap_or_default();
                    let body: Option<Value> = serde_json::from_slice(&bytes).ok();
                    tracing::debug!(url = name, status, retries, "answered");
                    return Ok(Answer {
                        status,
                        not_json: body.is_none(),
                        body: body.unwrap_or(Value::Null),
                        retries,
                    });
                }
            }
            Err(err) => {
                let reason = err.without_url().to_string();
                if retries >= MAX_RETRIES {
                    return Err(Unreachable { retries, reason });
                }
                tracing::debug!(
                    url = name,
                    retries,
                    "retrying after a transport error: {reason}"
                );
                backoff(retries)
            }
        };
        tokio::time::sleep(wait).await;
        retries += 1;
    }
}

/// `FIRST_BACKOFF * 2^retry`, scaled by a random factor in [0.5, 1) so clients that failed
/// together do not retry together.
fn backoff(retry: u32) -> Duration {
    FIRST_BACKOFF
        .saturating_mul(1 << retry.min(8))
        .mul_f64(rand::random_range(0.5..1.0))
}

/// `Retry-After`: seconds (fractional too, as Graph sends) or an HTTP date.
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_fractional_seconds_and_http_dates() {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, HeaderValue::from_static("1.5"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(1500)));
        headers.insert(
            http::header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(http::header::RETRY_AFTER, HeaderValue::from_static("-1"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn backoff_grows_and_stays_within_its_jitter() {
        for retry in 0..4 {
            let full = FIRST_BACKOFF * (1 << retry);
            let wait = backoff(retry);
            assert!(wait >= full / 2 && wait < full, "{retry}: {wait:?}");
        }
    }

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
