//! The emulator's transport-independent request and response.
//!
//! Every Graph call, whether it arrived over HTTP or as one item of a `$batch`, becomes a
//! [`GraphRequest`] and is answered with a [`GraphResponse`]. Keeping the two apart from axum lets
//! `$batch` dispatch its items through exactly the same code as top-level requests, and lets the
//! journal and the fault injector see both.

use http::{HeaderMap, Method, StatusCode};
use serde_json::Value;

use crate::error::GraphError;

/// The Graph version root a request was sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub(crate) enum ApiVersion {
    #[serde(rename = "v1.0")]
    V1,
    #[serde(rename = "beta")]
    Beta,
}

impl ApiVersion {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }

    pub(crate) fn parse(segment: &str) -> Option<Self> {
        match segment {
            "v1.0" => Some(ApiVersion::V1),
            "beta" => Some(ApiVersion::Beta),
            _ => None,
        }
    }
}

/// One Graph request, relative to its version root. `Debug` shows header names only and the
/// body's length: the `Authorization` header holds a bearer token, bodies hold secrets.
#[derive(Clone)]
pub(crate) struct GraphRequest {
    pub(crate) method: Method,
    pub(crate) version: ApiVersion,
    /// The path after the version root, percent-decoded, without leading or trailing `/`,
    /// split on `/`. `identity/authenticationEventsFlows/abc` gives three segments.
    pub(crate) segments: Vec<String>,
    /// The raw query string (without `?`), kept verbatim for `@odata.nextLink`.
    pub(crate) raw_query: String,
    /// Decoded query parameters in their original order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    /// The `request-id` this request is answered with (also in error bodies and the journal).
    pub(crate) request_id: String,
}

impl std::fmt::Debug for GraphRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(http::HeaderName::as_str).collect();
        f.debug_struct("GraphRequest")
            .field("method", &self.method)
            .field("version", &self.version)
            .field("segments", &self.segments)
            .field("raw_query", &self.raw_query)
            .field("headers", &header_names)
            .field("body_length", &self.body.len())
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl GraphRequest {
    /// Builds a request from a path relative to the version root (`/identity/...?$top=2`, the
    /// leading slash optional, as `$batch` items allow).
    pub(crate) fn new(
        method: Method,
        version: ApiVersion,
        path_and_query: &str,
        headers: HeaderMap,
        body: bytes::Bytes,
        request_id: String,
    ) -> Self {
        let (path, raw_query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, query.to_owned()),
            None => (path_and_query, String::new()),
        };
        let segments = decoded_segments(path);
        let query = form_urlencoded::parse(raw_query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self {
            method,
            version,
            segments,
            raw_query,
            query,
            headers,
            body,
            request_id,
        }
    }

    /// The path as sent, relative to the version root, with a leading `/`.
    pub(crate) fn path(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }

    /// A query parameter by name (`$top`, `$filter`, ...), case-sensitive as OData is.
    pub(crate) fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header value as text, if present and valid UTF-8.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON. An empty or malformed body is the 400 Graph gives.
    pub(crate) fn json(&self) -> Result<Value, GraphError> {
        if self.body.is_empty() {
            return Err(GraphError::bad_request("A request body is required."));
        }
        serde_json::from_slice(&self.body).map_err(|err| {
            GraphError::bad_request(format!("The request body is not valid JSON: {err}."))
        })
    }

    /// The body parsed as a JSON object.
    pub(crate) fn json_object(&self) -> Result<serde_json::Map<String, Value>, GraphError> {
        match self.json()? {
            Value::Object(map) => Ok(map),
            _ => Err(GraphError::bad_request(
                "The request body must be a JSON object.",
            )),
        }
    }

    pub(crate) fn is_write(&self) -> bool {
        !matches!(self.method, Method::GET | Method::HEAD)
    }
}

/// The segments of a URL path, percent-decoded, empty ones (a leading, trailing or doubled `/`)
/// left out.
pub(crate) fn decoded_segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// A response body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ResponseBody {
    Empty,
    Json(Value),
    /// Binary content (branding streams) with its media type.
    Bytes {
        content_type: String,
        data: Vec<u8>,
    },
}

/// One Graph response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GraphResponse {
    pub(crate) status: StatusCode,
    /// Extra headers (`Location`, `Retry-After`, ...). `request-id`, `Content-Type` and
    /// `OData-Version` are added by the transport.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: ResponseBody,
}

impl GraphResponse {
    pub(crate) fn json(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: ResponseBody::Json(body),
        }
    }

    pub(crate) fn ok(body: Value) -> Self {
        Self::json(StatusCode::OK, body)
    }

    pub(crate) fn created(body: Value) -> Self {
        Self::json(StatusCode::CREATED, body)
    }

    pub(crate) fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: ResponseBody::Empty,
        }
    }

    pub(crate) fn bytes(content_type: impl Into<String>, data: Vec<u8>) -> Self {
        Self {
            status: StatusCode::OK,
            headers: Vec::new(),
            body: ResponseBody::Bytes {
                content_type: content_type.into(),
                data,
            },
        }
    }

    #[must_use]
    pub(crate) fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    #[must_use]
    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The JSON body, if there is one (`call` reads a created object's id from it).
    pub(crate) fn json_body(&self) -> Option<&Value> {
        match &self.body {
            ResponseBody::Json(value) => Some(value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_leaves_out_header_values_and_the_body() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            http::HeaderValue::from_static("Bearer token-value"),
        );
        let req = GraphRequest::new(
            Method::POST,
            ApiVersion::Beta,
            "/identity/identityProviders?$top=1",
            headers,
            bytes::Bytes::from_static(br#"{"clientSecret":"secret-value"}"#),
            "request-1".to_owned(),
        );
        let debug = format!("{req:?}");
        assert!(!debug.contains("token-value"), "{debug}");
        assert!(!debug.contains("secret-value"), "{debug}");
        assert!(debug.contains("authorization"), "{debug}");
        assert!(debug.contains("identityProviders"), "{debug}");
    }
}
