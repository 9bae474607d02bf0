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
//!
//! What a client sends is bounded: a body above [`MAX_BODY_BYTES`] is answered 413 without
//! being read further (journaled and counted like any Graph or token request), and a stop waits
//! [`SHUTDOWN_GRACE`] (plus the `Latency` fault) for a connection's request before closing it,
//! so a client that stalls half-way through a request cannot hold the emulator open.

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

/// Request bodies above this size are refused with 413 (branding images are far smaller).
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

const TOO_LARGE: &str = "request body too large";

/// How long a stop waits for a connection to finish its request, on top of the `Latency`
/// fault: requests being handled are answered well within it, and a client that has not sent
/// its whole request by then is cut off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The handler's way of asking hyper to close the connection without a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// What a request path addresses, before its body is read.
enum Target {
    /// `/_emulator/{rest}`.
    Admin(String),
    /// The GitHub Actions stand-in.
    GithubIdToken,
    /// `/{tenant}/oauth2/v2.0/token`.
    Token(String),
    /// `/v1.0/...` or `/beta/...`; the second field is the length of the version segment.
    Graph(ApiVersion, usize),
    Unknown,
}

impl Target {
    fn of(path: &str) -> Self {
        let first = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        if first == "_emulator" {
            return Target::Admin(
                path.trim_start_matches("/_emulator")
                    .trim_matches('/')
                    .to_owned(),
            );
        }
        if path == crate::auth::GITHUB_ID_TOKEN_PATH {
            return Target::GithubIdToken;
        }
        if let Some(version) = ApiVersion::parse(first) {
            return Target::Graph(version, first.len());
        }
        match path
            .strip_prefix('/')
            .and_then(|p| p.strip_suffix("/oauth2/v2.0/token"))
            .filter(|t| !t.contains('/'))
        {
            Some(tenant) => Target::Token(tenant.to_owned()),
            None => Target::Unknown,
        }
    }
}

/// Why a request body could not be read.
enum BodyError {
    /// Larger than [`MAX_BODY_BYTES`]: answered 413.
    TooLarge,
    /// The client went away or broke the framing: there is no one to answer.
    Broken,
}

/// Reads a request body of at most [`MAX_BODY_BYTES`]. A declared `Content-Length` above the
/// limit is refused before anything is read.
async fn read_body(mut body: Body) -> Result<bytes::Bytes, BodyError> {
    use hyper::body::Body as _;
    if body.size_hint().lower() > MAX_BODY_BYTES as u64 {
        return Err(BodyError::TooLarge);
    }
    let mut data = bytes::BytesMut::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(chunk) = frame.map_err(|_| BodyError::Broken)?.into_data() else {
            continue; // trailers
        };
        if data.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
        data.extend_from_slice(&chunk);
    }
    Ok(data.freeze())
}

async fn handle(ctx: Arc<Ctx>, request: Request<Body>) -> Result<Response, DropConnection> {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let target = Target::of(&path);
    let _in_flight =
        matches!(target, Target::Token(_) | Target::Graph(..)).then(|| ctx.recorder.arrived());
    let body = match read_body(body).await {
        Ok(body) => Some(body),
        Err(BodyError::TooLarge) => None,
        Err(BodyError::Broken) => return Err(DropConnection),
    };
    match target {
        Target::Admin(rest) => {
            let Some(body) = body else {
                return Ok(plain(StatusCode::PAYLOAD_TOO_LARGE, TOO_LARGE));
            };
            let (status, value) = crate::admin::handle(&ctx, &parts.method, &rest, &body);
            Ok(json_response(status, &value))
        }
        Target::GithubIdToken => {
            let (status, value) = crate::auth::github_id_token(
                &ctx,
                &parts.method,
                &parts.headers,
                parts.uri.query(),
            );
            Ok(json_response(status, &value))
        }
        Target::Token(tenant) => {
            delay(&ctx).await;
            Ok(token_response(
                &ctx,
                &tenant,
                &parts.method,
                &path,
                body.as_deref(),
            ))
        }
        Target::Graph(version, version_len) => {
            delay(&ctx).await;
            let request_id = uuid::Uuid::new_v4().to_string();
            let path_and_query = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
            let rest = &path_and_query[1 + version_len..];
            let too_large = body.is_none();
            let req = GraphRequest::new(
                parts.method,
                version,
                rest,
                parts.headers,
                body.unwrap_or_default(),
                request_id,
            );
            if too_large {
                return Ok(graph_response(&req, crate::call::too_large(&ctx, &req)));
            }
            graph(ctx.clone(), req).await
        }
        Target::Unknown => Ok(plain(
            StatusCode::NOT_FOUND,
            "not a Graph, token or emulator path",
        )),
    }
}

/// Answers a Graph request (a `$batch` included) through the dispatcher.
async fn graph(ctx: Arc<Ctx>, req: GraphRequest) -> Result<Response, DropConnection> {
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

/// Answers the token endpoint; `body` is `None` when it was too large to read.
fn token_response(
    ctx: &Ctx,
    tenant: &str,
    method: &Method,
    path: &str,
    body: Option<&[u8]>,
) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(body.unwrap_or_default())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let request_id = uuid::Uuid::new_v4().to_string();
    let mut entry = Entry::token(method, path, &request_id, &form);
    let response = if method == Method::POST {
        let (status, value) = match body {
            None => {
                let err = crate::auth::OAuthError::body_too_large(MAX_BODY_BYTES);
                (err.status, err.body())
            }
            Some(_) => match crate::auth::token(ctx, tenant, &form) {
                Ok(value) => (StatusCode::OK, value),
                Err(err) => (err.status, err.body()),
            },
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
            let service_ctx = ctx.clone();
            let service =
                hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
                    handle(service_ctx.clone(), request.map(Body::new))
                });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => log_connection_end(result),
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    // A client that sent half a request would hold the stop forever.
                    let grace = SHUTDOWN_GRACE + ctx.faults.latency();
                    if let Ok(result) = tokio::time::timeout(grace, connection.as_mut()).await {
                        log_connection_end(result);
                    } else {
                        tracing::debug!(
                            "closing a connection whose request did not complete within {grace:?} of the stop"
                        );
                    }
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
