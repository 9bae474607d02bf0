//! What a caller asks Graph: [`Request`], built from a path relative to a version root
//! (REFERENCE.md §0.1), with percent-encoded query options, headers (§0.2) and a JSON or binary
//! body.
//!
//! A request knows how to become a URL for a top-level call and an item of a `$batch` (§11),
//! and how to describe itself to people (`GET /v1.0/identity/...`, query decoded, no host).
//! Its `Debug` never shows a body or a header value: bodies carry identity-provider secrets.

use std::fmt;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::Method;

/// RFC 3986 unreserved characters stay as they are; everything else in a query value is
/// encoded, so `$filter=displayName eq 'a/b+c'` survives any server's decoding (a `+` would
/// otherwise read as a space).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Query option names keep their `$` (`$filter`, `$select`), as Graph's docs write them.
const QUERY_NAME: &AsciiSet = &QUERY_VALUE.remove(b'$');

/// The Graph version a request goes to (REFERENCE.md §0.1, §14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ApiVersion {
    /// `/v1.0`.
    #[default]
    V1,
    /// `/beta`: operations and properties that exist only there (§14).
    Beta,
}

impl ApiVersion {
    /// The version segment of the URL, without slashes.
    pub fn segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.segment())
    }
}

#[derive(Clone)]
pub(crate) enum Body {
    Json(serde_json::Value),
    Bytes { content_type: String, data: Bytes },
}

/// One Graph call: method, version, path, query, headers and body.
///
/// ```ignore
/// Request::get("/identity/userFlowAttributes")
///     .query("$filter", "userFlowAttributeType eq 'custom'")
///     .query("$select", "id,displayName");
/// ```
#[derive(Clone)]
pub struct Request {
    method: Method,
    version: ApiVersion,
    path: String,
    /// Already encoded, without the `?`.
    query: String,
    headers: Vec<(String, String)>,
    body: Option<Body>,
    depends_on: Vec<usize>,
    unbatched: bool,
}

impl Request {
    /// A request to `path`, relative to the version root and starting with `/`
    /// (`/identity/authenticationEventsFlows`). A `?query` already in `path` is kept as given.
    pub fn new(method: Method, path: &str) -> Self {
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, query),
            None => (path, ""),
        };
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Self {
            method,
            version: ApiVersion::V1,
            path,
            query: query.to_owned(),
            headers: Vec::new(),
            body: None,
            depends_on: Vec::new(),
            unbatched: false,
        }
    }

    pub fn get(path: &str) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: &str) -> Self {
        Self::new(Method::POST, path)
    }

    pub fn patch(path: &str) -> Self {
        Self::new(Method::PATCH, path)
    }

    pub fn put(path: &str) -> Self {
        Self::new(Method::PUT, path)
    }

    pub fn delete(path: &str) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Sends the request to `/beta` instead of `/v1.0`.
    #[must_use]
    pub fn beta(self) -> Self {
        self.version(ApiVersion::Beta)
    }

    #[must_use]
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Adds a query option; name and value are percent-encoded here, so pass them as people
    /// write them (`"$filter"`, `"displayName eq 'Sign up'"`).
    #[must_use]
    pub fn query(mut self, name: &str, value: &str) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query
            .extend(utf8_percent_encode(name, QUERY_NAME).map(str::to_owned));
        self.query.push('=');
        self.query
            .extend(utf8_percent_encode(value, QUERY_VALUE).map(str::to_owned));
        self
    }

    /// Adds a header (`Accept-Language: 0`, `ConsistencyLevel: eventual`; REFERENCE.md §0.2).
    /// The client sets `Authorization` itself.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body, sent with `Content-Type: application/json`.
    #[must_use]
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Some(Body::Json(body));
        self
    }

    /// A binary body (a branding stream, REFERENCE.md §7). Such a request is never batched:
    /// binary bodies in `$batch` are undocumented (§11, §16.13).
    #[must_use]
    pub fn bytes(mut self, content_type: &str, data: impl Into<Bytes>) -> Self {
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            data: data.into(),
        });
        self
    }

    /// Runs this request only after the requests at these indexes (earlier in the same round)
    /// succeeded; otherwise it fails with status 424. With batching this becomes `dependsOn`
    /// and the requests share a batch (REFERENCE.md §11).
    #[must_use]
    pub fn depends_on(mut self, indexes: impl IntoIterator<Item = usize>) -> Self {
        self.depends_on.extend(indexes);
        self
    }

    /// Keeps the request out of `$batch`: stream URLs must be sent alone (REFERENCE.md §11).
    #[must_use]
    pub fn unbatched(mut self) -> Self {
        self.unbatched = true;
        self
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    pub fn api_version(&self) -> ApiVersion {
        self.version
    }

    /// The path relative to the version root, without the query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The header value a request carries, compared ignoring case.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn dependencies(&self) -> &[usize] {
        &self.depends_on
    }

    /// `GET /v1.0/identity/userFlowAttributes?$filter=dataType eq 'string'`: for logs and
    /// errors; no host, the query decoded.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.display_path())
    }

    /// The version and path with the decoded query, as errors show it.
    pub(crate) fn display_path(&self) -> String {
        let mut out = format!("/{}{}", self.version, self.path);
        if !self.query.is_empty() {
            out.push('?');
            out.push_str(&percent_decode_str(&self.query).decode_utf8_lossy());
        }
        out
    }

    /// Whether the request may go into a `$batch`.
    pub(crate) fn batchable(&self) -> bool {
        !self.unbatched && !matches!(self.body, Some(Body::Bytes { .. }))
    }

    /// Reads cannot change anything; retrying them is always safe.
    pub(crate) fn is_read(&self) -> bool {
        self.method == Method::GET || self.method == Method::HEAD
    }

    pub(crate) fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    pub(crate) fn body(&self) -> Option<&Body> {
        self.body.as_ref()
    }

    /// The absolute URL under `root` (the Graph root, without a version).
    pub(crate) fn url(&self, root: &str) -> String {
        format!("{root}{}", self.version_relative_url())
    }

    /// The URL relative to the Graph root, version included (`/v1.0/items?$top=2`).
    pub(crate) fn version_relative_url(&self) -> String {
        format!("/{}{}", self.version, self.relative_url())
    }

    /// The URL relative to the version root, as a `$batch` item names it (§11).
    pub(crate) fn relative_url(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The request for the page an `@odata.nextLink` points at: the link verbatim (REFERENCE.md
    /// §12.3), with this request's headers (`ConsistencyLevel` must be re-sent on every page).
    /// `None` when the link leaves `root` or names no version this client knows.
    pub fn next_page(&self, link: &str, root: &str) -> Option<Request> {
        let rest = strip_prefix_ignore_case(link, root)?;
        let (version, rest) = if let Some(rest) = strip_prefix_ignore_case(rest, "/v1.0/") {
            (ApiVersion::V1, rest)
        } else {
            (ApiVersion::Beta, strip_prefix_ignore_case(rest, "/beta/")?)
        };
        let mut next = Request::new(Method::GET, rest).version(version);
        next.headers.clone_from(&self.headers);
        next.unbatched = self.unbatched;
        Some(next)
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            None => "none".to_owned(),
            Some(Body::Json(_)) => "json".to_owned(),
            Some(Body::Bytes { content_type, data }) => {
                format!("{content_type}, {} bytes", data.len())
            }
        };
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Request")
            .field("request", &self.describe())
            .field("headers", &headers)
            .field("body", &body)
            .field("depends_on", &self.depends_on)
            .field("unbatched", &self.unbatched)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odata_filters_are_percent_encoded_and_described_decoded() {
        let request = Request::get("/identity/authenticationEventsFlows")
            .query("$filter", "displayName eq 'Sign up/in + more'")
            .query("$select", "id,displayName");
        assert_eq!(
            request.relative_url(),
            "/identity/authenticationEventsFlows?$filter=displayName%20eq%20%27Sign%20up%2Fin%20%2B%20more%27&$select=id%2CdisplayName"
        );
        assert_eq!(
            request.describe(),
            "GET /v1.0/identity/authenticationEventsFlows?$filter=displayName eq 'Sign up/in + more'&$select=id,displayName"
        );
        assert_eq!(
            request.url("https://graph.microsoft.com"),
            format!("https://graph.microsoft.com/v1.0{}", request.relative_url())
        );
    }

    #[test]
    fn beta_requests_go_to_the_beta_root() {
        let request = Request::patch("identity/x").beta();
        assert_eq!(request.describe(), "PATCH /beta/identity/x");
    }

    #[test]
    fn next_links_are_followed_verbatim_only_under_the_graph_root() {
        let first = Request::get("/applications").header("ConsistencyLevel", "eventual");
        let root = "https://graph.microsoft.com";
        let next = first
            .next_page(
                "https://GRAPH.microsoft.com/beta/applications?$skiptoken=X%2Fy",
                root,
            )
            .unwrap();
        assert_eq!(next.api_version(), ApiVersion::Beta);
        assert_eq!(next.relative_url(), "/applications?$skiptoken=X%2Fy");
        assert_eq!(next.header_value("consistencylevel"), Some("eventual"));
        for foreign in [
            "https://graph.microsoft.com.evil.example/v1.0/applications",
            "https://evil.example/v1.0/applications",
            "https://graph.microsoft.com/v2.0/applications",
            "/v1.0/applications",
        ] {
            assert!(first.next_page(foreign, root).is_none(), "{foreign}");
        }
    }

    #[test]
    fn debug_shows_neither_bodies_nor_header_values() {
        let request = Request::post("/identity/identityProviders")
            .header("X-Custom", "header-value-7")
            .json(serde_json::json!({"clientSecret": "s3cr3t-value"}));
        let debug = format!("{request:?}");
        assert!(!debug.contains("s3cr3t-value"), "{debug}");
        assert!(!debug.contains("header-value-7"), "{debug}");
        assert!(
            debug.contains("POST /v1.0/identity/identityProviders"),
            "{debug}"
        );
    }
}
