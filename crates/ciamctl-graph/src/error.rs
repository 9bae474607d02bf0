//! [`GraphError`]: why a request did not give a usable answer, with everything support needs
//! (REFERENCE.md §12.1): method, path, HTTP status, Graph's `error.code` and `message`, the
//! `request-id`, and how many retries were made over how long.

use std::fmt;
use std::time::Duration;

use crate::auth::AuthError;

/// The facts of one failed request. `path` is the version and path with the decoded query,
/// as [`crate::Request::describe`] shows it, without the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub method: String,
    pub path: String,
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    /// Graph's `error.code`; empty when the answer had none (§12.1: some workloads send `""`).
    pub code: String,
    /// Graph's `error.message`, or what went wrong when Graph said nothing.
    pub message: String,
    /// From the error body's `innerError` (`request-id` or `requestId`), else the response
    /// header.
    pub request_id: Option<String>,
    /// Times the request was sent again.
    pub retries: u32,
    /// Time spent waiting between attempts.
    pub waited: Duration,
}

impl Failure {
    pub(crate) fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_owned(),
            path: path.to_owned(),
            status: None,
            code: String::new(),
            message: String::new(),
            request_id: None,
            retries: 0,
            waited: Duration::ZERO,
        }
    }

    /// This failure with `message` as its message.
    pub(crate) fn saying(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
}

/// Why a Graph request gave no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum GraphError {
    /// Graph answered with an error status (also 424 for a request whose dependency failed,
    /// whether Graph said so or the client never sent it).
    #[error("{} {} failed: {}{}", .0.method, .0.path, Answer(.0), Retried(.0))]
    Status(Box<Failure>),
    /// No answer came: connection refused, reset or dropped, or a timeout.
    #[error("{} {} got no answer from Graph: {}{}", .0.method, .0.path, .0.message, Retried(.0))]
    Transport(Box<Failure>),
    /// A write that may or may not have been applied (a POST answered 5xx, or whose connection
    /// dropped): it was not sent again; read the tenant before trying again.
    #[error(
        "{} {}: the outcome is unknown, Graph may have applied it ({}); it was not sent again{}",
        .0.method, .0.path, Answer(.0), Retried(.0)
    )]
    OutcomeUnknown(Box<Failure>),
    /// An answer Graph does not send: a body that is not the JSON expected, a batch without
    /// the item.
    #[error("{} {}: unexpected answer from Graph: {}{}", .0.method, .0.path, Answer(.0), Retried(.0))]
    InvalidResponse(Box<Failure>),
    /// The client did not send the request: a bad header, a `depends_on` that points at
    /// no earlier request, an `@odata.nextLink` that leaves the Graph root.
    #[error("{} {} was not sent: {}", .0.method, .0.path, .0.message)]
    NotSent(Box<Failure>),
    /// No token could be had.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client: {reason}")]
    Client { reason: String },
}

impl GraphError {
    /// The facts of the failed request, for every variant about a request.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            GraphError::Status(f)
            | GraphError::Transport(f)
            | GraphError::OutcomeUnknown(f)
            | GraphError::InvalidResponse(f)
            | GraphError::NotSent(f) => Some(f),
            GraphError::Auth(_) | GraphError::Client { .. } => None,
        }
    }

    pub(crate) fn failure_mut(&mut self) -> Option<&mut Failure> {
        match self {
            GraphError::Status(f)
            | GraphError::Transport(f)
            | GraphError::OutcomeUnknown(f)
            | GraphError::InvalidResponse(f)
            | GraphError::NotSent(f) => Some(f),
            GraphError::Auth(_) | GraphError::Client { .. } => None,
        }
    }

    /// The HTTP status Graph answered (424 for a failed dependency).
    pub fn status(&self) -> Option<u16> {
        self.failure().and_then(|f| f.status)
    }

    /// Graph's `error.code`, when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.failure()
            .map(|f| f.code.as_str())
            .filter(|c| !c.is_empty())
    }

    pub fn request_id(&self) -> Option<&str> {
        self.failure().and_then(|f| f.request_id.as_deref())
    }

    /// A 404: the object does not exist (or is not visible yet).
    pub fn is_not_found(&self) -> bool {
        matches!(self, GraphError::Status(_)) && self.status() == Some(404)
    }

    /// A 403: the app lacks a permission.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, GraphError::Status(_)) && self.status() == Some(403)
    }

    /// A write that may have been applied although no success came back.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, GraphError::OutcomeUnknown(_))
    }

    /// Attaches the retry count and wait to a final error.
    pub(crate) fn with_retries(mut self, retries: u32, waited: Duration) -> Self {
        if let Some(failure) = self.failure_mut() {
            failure.retries = retries;
            failure.waited = waited;
        }
        self
    }
}

/// `404 Request_ResourceNotFound: message (request-id …)`.
struct Answer<'a>(&'a Failure);

impl fmt::Display for Answer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failure = self.0;
        let mut sep = "";
        if let Some(status) = failure.status {
            write!(f, "{status}")?;
            sep = " ";
        }
        if !failure.code.is_empty() {
            write!(f, "{sep}{}", failure.code)?;
            sep = " ";
        }
        if !failure.message.is_empty() {
            let colon = if sep.is_empty() { "" } else { ":" };
            write!(f, "{colon}{sep}{}", failure.message)?;
        }
        if let Some(id) = &failure.request_id {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}

/// ` after 5 retries over 12.4 s`, or nothing when the first answer was final.
struct Retried<'a>(&'a Failure);

impl fmt::Display for Retried<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Failure {
            retries, waited, ..
        } = self.0;
        match retries {
            0 => Ok(()),
            1 => write!(f, " after 1 retry over {:.1} s", waited.as_secs_f64()),
            n => write!(f, " after {n} retries over {:.1} s", waited.as_secs_f64()),
        }
    }
}

/// `code`, `message` and `request-id` from a Graph error body (§12.1), leniently: any part may
/// be missing, and the body may not be JSON at all.
pub(crate) fn error_details(body: &[u8]) -> (String, String, Option<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (String::new(), String::new(), None);
    };
    let error = value.get("error");
    let text = |v: Option<&serde_json::Value>, key: &str| {
        v.and_then(|v| v.get(key))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let inner = error.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
    let request_id = text(inner, "request-id").or_else(|| text(inner, "requestId"));
    (
        text(error, "code").unwrap_or_default(),
        text(error, "message").unwrap_or_default(),
        request_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> Failure {
        Failure {
            method: "GET".into(),
            path: "/v1.0/identity/userFlowAttributes/x".into(),
            status: Some(404),
            code: "Request_ResourceNotFound".into(),
            message: "Resource 'x' does not exist.".into(),
            request_id: Some("rid-1".into()),
            retries: 0,
            waited: Duration::ZERO,
        }
    }

    #[test]
    fn messages_name_the_request_the_answer_and_the_retries() {
        let error = GraphError::Status(Box::new(failure()));
        assert_eq!(
            error.to_string(),
            "GET /v1.0/identity/userFlowAttributes/x failed: 404 Request_ResourceNotFound: \
             Resource 'x' does not exist. (request-id rid-1)"
        );
        assert!(error.is_not_found());
        assert_eq!(error.code(), Some("Request_ResourceNotFound"));
        let retried = error.with_retries(5, Duration::from_millis(12_430));
        assert!(
            retried
                .to_string()
                .ends_with(" after 5 retries over 12.4 s"),
            "{retried}"
        );
        let transport = GraphError::Transport(Box::new(Failure {
            status: None,
            code: String::new(),
            request_id: None,
            message: "connection closed".into(),
            ..failure()
        }));
        assert_eq!(
            transport.to_string(),
            "GET /v1.0/identity/userFlowAttributes/x got no answer from Graph: connection closed"
        );
        assert_eq!(transport.status(), None);
        assert_eq!(transport.code(), None);
    }

    #[test]
    fn error_bodies_give_code_message_and_either_spelling_of_the_request_id() {
        let body = br#"{"error":{"code":"TooManyRequests","message":"Please retry again later.","innerError":{"request-id":"a"}}}"#;
        assert_eq!(
            error_details(body),
            (
                "TooManyRequests".into(),
                "Please retry again later.".into(),
                Some("a".into())
            )
        );
        let older = br#"{"error":{"code":"","message":"m","innerError":{"requestId":"b"}}}"#;
        assert_eq!(
            error_details(older),
            (String::new(), "m".into(), Some("b".into()))
        );
        assert_eq!(
            error_details(b"<html>"),
            (String::new(), String::new(), None)
        );
    }
}
