//! The HTTP transport: axum in front of the dispatcher.
//!
//! One fallback handler takes every request and sorts it by its first path segment:
//! `/v1.0/...` and `/beta/...` are Graph, `/{tenant}/oauth2/v2.0/token` is the token endpoint,
//! `/_emulator/...` are the emulator's own endpoints. Graph responses get the headers every Graph
//! response has (`request-id`, `client-request-id`, `OData-Version`, the OData JSON media type).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{HeaderValue, StatusCode};

use crate::Ctx;
use crate::request::{ApiVersion, GraphRequest, GraphResponse, ResponseBody};

/// The media type Graph answers JSON with (REFERENCE.md §0.3).
pub const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// Request bodies above this size are refused (branding images are far smaller).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

pub(crate) fn app(ctx: Arc<Ctx>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(ctx)
}

async fn handle(State(ctx): State<Arc<Ctx>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large"),
    };
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let path = parts.uri.path();
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    let request_id = uuid::Uuid::new_v4().to_string();
    if let Some(version) = ApiVersion::parse(first) {
        let rest = &path_and_query[1 + first.len()..];
        let req = GraphRequest::new(parts.method, version, rest, parts.headers, body, request_id);
        let response = crate::router::dispatch(&ctx, &req);
        return graph_response(&req, response);
    }
    if let Some(tenant) = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix("/oauth2/v2.0/token"))
        .filter(|t| !t.contains('/'))
    {
        return token_response(&ctx, tenant, &parts.method, &body);
    }
    plain(StatusCode::NOT_FOUND, "not a Graph, token or emulator path")
}

fn token_response(ctx: &Ctx, tenant: &str, method: &http::Method, body: &[u8]) -> Response {
    if method != http::Method::POST {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "the token endpoint takes POST",
        );
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let (status, value) = match crate::auth::token(ctx, tenant, &form) {
        Ok(value) => (StatusCode::OK, value),
        Err(err) => (err.status, err.body()),
    };
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn plain(status: StatusCode, message: &str) -> Response {
    let mut response = Response::new(Body::from(message.to_owned()));
    *response.status_mut() = status;
    response
}

/// Renders a dispatcher response with the headers every Graph response carries.
pub(crate) fn graph_response(req: &GraphRequest, response: GraphResponse) -> Response {
    let GraphResponse {
        status,
        headers,
        body,
    } = response;
    let (content_type, bytes) = match body {
        ResponseBody::Empty => (None, Vec::new()),
        ResponseBody::Json(value) => (Some(ODATA_JSON.to_owned()), value.to_string().into_bytes()),
        ResponseBody::Bytes { content_type, data } => (Some(content_type), data),
    };
    let mut out = Response::new(Body::from(bytes));
    *out.status_mut() = status;
    let map = out.headers_mut();
    let mut put = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::try_from(name),
            HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    };
    put("request-id", &req.request_id);
    if let Some(client_request_id) = req.header("client-request-id") {
        put("client-request-id", client_request_id);
    }
    put("OData-Version", "4.0");
    if let Some(content_type) = &content_type {
        put("Content-Type", content_type);
    }
    for (name, value) in &headers {
        put(name, value);
    }
    out
}

/// Binds `addr` and serves until `shutdown` resolves.
pub(crate) async fn serve(
    ctx: Arc<Ctx>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(ctx).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
