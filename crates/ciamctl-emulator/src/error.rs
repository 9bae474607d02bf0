//! Graph's OData error body (REFERENCE.md §12.1).
//!
//! `{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}`.
//! The `innerError` is filled in by [`GraphError::into_response`] because only the transport
//! knows the request id.

use http::StatusCode;
use serde_json::json;

use crate::request::GraphResponse;

/// An error Graph would answer with. Handlers return it; the dispatcher renders it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub(crate) struct GraphError {
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) message: String,
    /// Extra response headers (`Retry-After` on 429/503).
    pub(crate) headers: Vec<(String, String)>,
}

impl GraphError {
    pub(crate) fn new(
        status: StatusCode,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// 400 `invalidRequest`: the convention REFERENCE.md §16.1 suggests for CIAM validation
    /// failures whose real code is undocumented.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalidRequest", message)
    }

    /// 404 `Request_ResourceNotFound`, as directory-backed APIs answer.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Request_ResourceNotFound", message)
    }

    /// 404 `Request_ResourceNotFound` for an id that names nothing, with the directory's
    /// wording.
    pub(crate) fn resource_not_found(id: &str) -> Self {
        Self::not_found(format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ))
    }

    /// 405 `Request_BadRequest`, what Graph answers for a path it routes but a method it does not.
    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "The specified HTTP method is not allowed for the request target.",
        )
    }

    /// 400 `BadRequest` for a URL no route matches, with Graph's wording.
    pub(crate) fn unknown_segment(segment: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    #[must_use]
    pub(crate) fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The OData error response for this error.
    pub(crate) fn into_response(
        self,
        request_id: &str,
        client_request_id: Option<&str>,
    ) -> GraphResponse {
        let date = crate::odata::utc_timestamp(std::time::SystemTime::now());
        let mut inner = json!({ "date": date, "request-id": request_id });
        if let Some(client_request_id) = client_request_id {
            inner["client-request-id"] = json!(client_request_id);
        }
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            // The throttling sample (examples/v1.0.error.throttled.response.json) nests these.
            inner["code"] = json!("429");
            inner["message"] = json!("Please retry after");
            inner["status"] = json!("429");
        }
        let body = json!({
            "error": { "code": self.code, "message": self.message, "innerError": inner }
        });
        let mut response = GraphResponse::json(self.status, body);
        response.headers = self.headers;
        response
    }
}
