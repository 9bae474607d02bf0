//! The HTTP transport: hyper connections in front of the dispatcher.
//!
//! One handler takes every request and sorts it by its first path segment: `/v1.0/...` and
//! `/beta/...` are Graph (`$batch` included), `/{tenant}/oauth2/v2.0/token` is the token
//! endpoint, `/_emulator/...` are the emulator's own endpoints. Graph responses get the headers
//! every Graph response has (`request-id`, `client-request-id`, `OData-Version`, the `OData` JSON
//! media type).
//!
//! The emulator accepts connections itself rather than through `axum::serve` because a fault
//! must be able to close a connection without answering: the handler then fails, hyper drops the
//! connection, and the client sees a transport error rather than a status.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

use crate::Ctx;
use crate::call::Outcome;
use crate::journal::Entry;
use crate::request::{ApiVersion, GraphRequest, GraphResponse, ResponseBody};

/// The media type Graph answers JSON with (REFERENCE.md §0.3).
pub(crate) const ODATA_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// Request bodies above this size are refused (branding images are far smaller).
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The handler's way of asking hyper to close the connection without a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

async fn handle(ctx: Arc<Ctx>, request: Request<Body>) -> Result<Response, DropConnection> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return Ok(plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large",
        ));
    };
    if first == "_emulator" {
        let rest = path.trim_start_matches("/_emulator").trim_matches('/');
        let (status, value) = crate::admin::handle(&ctx, &parts.method, rest, &body);
        return Ok(json_response(status, &value));
    }
    if path == crate::auth::GITHUB_ID_TOKEN_PATH {
        let (status, value) =
            crate::auth::github_id_token(&ctx, &parts.method, &parts.headers, parts.uri.query());
        return Ok(json_response(status, &value));
    }
    let token_tenant = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix("/oauth2/v2.0/token"))
        .filter(|t| !t.contains('/'));
    let version = match (ApiVersion::parse(&first), token_tenant) {
        (Some(version), _) => version,
        (None, Some(tenant)) => {
            delay(&ctx).await;
            return Ok(token_response(&ctx, tenant, &parts.method, &path, &body));
        }
        (None, None) => {
            return Ok(plain(
                StatusCode::NOT_FOUND,
                "not a Graph, token or emulator path",
            ));
        }
    };
    delay(&ctx).await;
    let request_id = uuid::Uuid::new_v4().to_string();
    let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let rest = &path_and_query[1 + first.len()..];
    let req = GraphRequest::new(parts.method, version, rest, parts.headers, body, request_id);
    // Handlers are synchronous and may save the state file; keep them off the async workers.
    let outcome = tokio::task::spawn_blocking(move || {
        let outcome = if crate::batch::is_batch(&req) {
            crate::batch::handle(&ctx, &req)
        } else {
            crate::call::graph_call(&ctx, &req, None)
        };
        (req, outcome)
    })
    .await;
    match outcome {
        Ok((req, Outcome::Respond(response))) => Ok(graph_response(&req, response)),
        Ok((_, Outcome::Drop)) => Err(DropConnection),
        Err(err) => {
            tracing::error!("a request handler failed: {err}");
            Ok(plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the emulator failed while handling this request",
            ))
        }
    }
}

/// The `Latency` fault.
async fn delay(ctx: &Ctx) {
    let latency = ctx.faults.latency();
    if latency > Duration::ZERO {
        tokio::time::sleep(latency).await;
    }
}

fn token_response(ctx: &Ctx, tenant: &str, method: &Method, path: &str, body: &[u8]) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let request_id = uuid::Uuid::new_v4().to_string();
    let mut entry = Entry::token(method, path, &request_id, &form);
    let response = if method == Method::POST {
        let (status, value) = match crate::auth::token(ctx, tenant, &form) {
            Ok(value) => (StatusCode::OK, value),
            Err(err) => (err.status, err.body()),
        };
        json_response(status, &value)
    } else {
        plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "the token endpoint takes POST",
        )
    };
    entry.answered(Some(response.status()), None);
    ctx.recorder.record(&entry);
    response
}

/// A JSON response, or an empty one for `Value::Null`.
fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    if value.is_null() {
        return with_status(Response::new(Body::empty()), status);
    }
    let mut response = with_status(Response::new(Body::from(value.to_string())), status);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn plain(status: StatusCode, message: &str) -> Response {
    with_status(Response::new(Body::from(message.to_owned())), status)
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// Renders a dispatcher response with the headers every Graph response carries.
fn graph_response(req: &GraphRequest, response: GraphResponse) -> Response {
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
    let mut out = with_status(Response::new(Body::from(bytes)), status);
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

/// Serves connections from `listener` until `shutdown` resolves, then stops accepting and waits
/// for the requests in flight to be answered.
pub(crate) async fn serve(
    ctx: Arc<Ctx>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    // Connections watch `stop`; each holds a clone of `open`, so `open_tx.closed()` resolves when
    // the last one has finished.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let (open_tx, open_rx) = tokio::sync::watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    // Per-connection failures (reset before accept) are the client's; others
                    // (too many open files) pass with time.
                    if !matches!(
                        err.kind(),
                        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                    ) {
                        tracing::warn!("accepting a connection failed: {err}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let ctx = ctx.clone();
        let mut stop = stop_rx.clone();
        let open = open_rx.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    handle(ctx.clone(), request.map(Body::new))
                });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_connection_end(result),
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    log_connection_end(connection.await);
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(stop_tx);
    drop(stop_rx);
    drop(open_rx);
    open_tx.closed().await;
}

fn log_connection_end(result: Result<(), hyper::Error>) {
    if let Err(err) = result {
        tracing::debug!("connection ended: {err}");
    }
}
