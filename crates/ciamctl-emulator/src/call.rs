//! One Graph call, whether a top-level request or a `$batch` item: the faults decided on
//! arrival, the dispatcher, the faults decided after a write, then the journal and the counts.

use http::{Method, StatusCode};
use serde_json::Value;

use crate::Ctx;
use crate::error::GraphError;
use crate::faults::Fault;
use crate::journal::{BatchRef, Entry, Kind};
use crate::request::{GraphRequest, GraphResponse};

/// `Retry-After` of an injected 503, in seconds: short, so that client tests that retry stay
/// fast, and fractional, as Graph's may be (REFERENCE.md §12.1).
const SERVICE_UNAVAILABLE_RETRY_AFTER: &str = "0.2";

/// How a call ends.
#[derive(Debug)]
pub(crate) enum Outcome {
    Respond(GraphResponse),
    /// Close the connection without a response.
    Drop,
}

/// Answers a call. `batch` is the batch an item belongs to; top-level requests have none.
pub(crate) fn graph_call(ctx: &Ctx, req: &GraphRequest, batch: Option<BatchRef>) -> Outcome {
    let kind = if batch.is_some() {
        Kind::BatchItem
    } else {
        Kind::Graph
    };
    let mut entry = Entry::graph(req, kind, batch);
    let (outcome, fault) = answer(ctx, req, kind == Kind::Graph);
    entry.answered(outcome.status(), fault);
    ctx.recorder.record(&entry);
    outcome
}

fn answer(ctx: &Ctx, req: &GraphRequest, own_connection: bool) -> (Outcome, Option<Fault>) {
    let arrival = ctx.faults.arrive(req, own_connection);
    if let Some(retry_after) = arrival.throttled {
        return (
            fail(req, Fault::Throttle429, retry_after),
            Some(Fault::Throttle429),
        );
    }
    if let Some(fault) = arrival.failure {
        return (fail(req, fault, 0.0), Some(fault));
    }
    if arrival.not_yet_visible {
        return (
            fail(req, Fault::EventualConsistency404, 0.0),
            Some(Fault::EventualConsistency404),
        );
    }
    let response = if arrival.ignored {
        crate::state::discarding(|| crate::router::dispatch(ctx, req))
    } else {
        crate::router::dispatch(ctx, req)
    };
    if arrival.ignored && response.status.is_success() {
        return (Outcome::Respond(response), Some(Fault::IgnoredPatch));
    }
    if req.method == Method::POST
        && response.status == StatusCode::CREATED
        && let Some(id) = response
            .json_body()
            .and_then(|body| body.get("id"))
            .and_then(Value::as_str)
    {
        ctx.faults.created(&req.path(), id);
    }
    match arrival.after_commit {
        Some(fault) if response.status.is_success() => (fail(req, fault, 0.0), Some(fault)),
        _ => (Outcome::Respond(response), None),
    }
}

/// 413 for a Graph request whose body is larger than [`crate::server::MAX_BODY_BYTES`]: journaled
/// and counted as any request is, without rolling for faults, as it never reaches the
/// dispatcher. Graph lists 413 among its statuses without a code (REFERENCE.md §12.1); the code
/// is the generic `invalidRequest`.
pub(crate) fn too_large(ctx: &Ctx, req: &GraphRequest) -> GraphResponse {
    let kind = if crate::batch::is_batch(req) {
        Kind::Batch
    } else {
        Kind::Graph
    };
    let mut entry = Entry::graph(req, kind, None);
    let response = GraphError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "invalidRequest",
        format!(
            "The request body is larger than {} bytes.",
            crate::server::MAX_BODY_BYTES
        ),
    )
    .into_response(&req.request_id, req.header("client-request-id"));
    entry.answered(Some(response.status), None);
    ctx.recorder.record(&entry);
    response
}

/// The answer a fault gives instead of the real one.
pub(crate) fn fail(req: &GraphRequest, fault: Fault, retry_after: f64) -> Outcome {
    let error = match fault {
        Fault::ConnectionDropped | Fault::CommitThenDrop => return Outcome::Drop,
        // The body of REFERENCE.md §12.1 (examples/v1.0.error.throttled.response.json).
        Fault::Throttle429 => GraphError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Please retry again later.",
        )
        .with_header("Retry-After", format!("{:.3}", retry_after.max(0.001))),
        Fault::ServerError503 | Fault::CommitThen503 => service_unavailable(),
        Fault::ServerError500 => GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            "An unspecified error has occurred.",
        ),
        // Not an error: what an applied PATCH is answered (every PATCH route answers 204).
        Fault::IgnoredPatch => return Outcome::Respond(GraphResponse::no_content()),
        Fault::EventualConsistency404 => {
            GraphError::resource_not_found(req.segments.last().map_or("", String::as_str))
        }
    };
    Outcome::Respond(error.into_response(&req.request_id, req.header("client-request-id")))
}

/// 503 `serviceNotAvailable` with a `Retry-After`.
pub(crate) fn service_unavailable() -> GraphError {
    GraphError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "serviceNotAvailable",
        "The service is temporarily unavailable. Retry after the delay in Retry-After.",
    )
    .with_header("Retry-After", SERVICE_UNAVAILABLE_RETRY_AFTER)
}

impl Outcome {
    /// The status answered; `None` for a dropped connection.
    pub(crate) fn status(&self) -> Option<StatusCode> {
        match self {
            Outcome::Respond(response) => Some(response.status),
            Outcome::Drop => None,
        }
    }
}
