//! JSON batching: `POST /v1.0/$batch` and `POST /beta/$batch` (REFERENCE.md §11). The crate
//! docs' "`$batch`" section is the reference for what is answered; this module parses the
//! batch, orders the items by `dependsOn`, runs each through [`crate::call::graph_call`] and
//! renders the answers.

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};

use crate::Ctx;
use crate::call::{Outcome, fail, graph_call};
use crate::error::GraphError;
use crate::journal::{BatchRef, Entry, Kind};
use crate::request::{GraphRequest, GraphResponse, ResponseBody};

/// The most requests one batch may hold (REFERENCE.md §11).
pub(crate) const MAX_REQUESTS: usize = 20;

/// Whether `req` is addressed to `$batch`.
pub(crate) fn is_batch(req: &GraphRequest) -> bool {
    matches!(req.segments.as_slice(), [only] if only == "$batch")
}

/// Answers a `$batch` HTTP request.
pub(crate) fn handle(ctx: &Ctx, req: &GraphRequest) -> Outcome {
    let mut entry = Entry::graph(req, Kind::Batch, None);
    let (outcome, fault) = match ctx.faults.arrive_batch() {
        Some(fault) => (fail(req, fault, 0.0), Some(fault)),
        None => (
            Outcome::Respond(run(ctx, req).unwrap_or_else(|err| {
                err.into_response(&req.request_id, req.header("client-request-id"))
            })),
            None,
        ),
    };
    entry.answered(outcome.status(), fault);
    ctx.recorder.record(&entry);
    outcome
}

/// One item as sent. Not `Debug`: its headers and body may hold a token or secrets.
struct Item {
    id: String,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    /// Indexes of the items this one depends on.
    depends_on: Vec<usize>,
}

fn malformed(message: impl Into<String>) -> GraphError {
    GraphError::bad_request(message)
}

fn run(ctx: &Ctx, req: &GraphRequest) -> Result<GraphResponse, GraphError> {
    if req.method != Method::POST {
        return Err(GraphError::method_not_allowed());
    }
    // The batch needs a valid token, as any Graph request does; which permissions each item
    // needs is checked item by item.
    if let Err(err) = crate::auth::authorize(ctx, req, crate::auth::ALL_ROLES)
        && err.status == StatusCode::UNAUTHORIZED
    {
        return Err(err);
    }
    let items = parse(&req.json_object()?)?;
    let order = execution_order(&items)
        .ok_or_else(|| malformed("The dependsOn of the batch's requests form a cycle."))?;
    let mut answers: Vec<Option<GraphResponse>> = vec![None; items.len()];
    for index in order {
        let item = &items[index];
        let failed_dependency = item.depends_on.iter().any(|d| {
            answers[*d]
                .as_ref()
                .is_none_or(|answer| !answer.status.is_success())
        });
        answers[index] = Some(run_item(ctx, req, item, failed_dependency));
    }
    let throttled = answers
        .iter()
        .flatten()
        .any(|a| a.status == StatusCode::TOO_MANY_REQUESTS);
    let mut responses: Vec<Value> = items
        .iter()
        .zip(answers)
        .filter_map(|(item, answer)| answer.map(|answer| item_response(&item.id, answer)))
        .collect();
    if !ctx.config.conventions.keep_batch_order {
        ctx.faults.shuffle(&mut responses);
    }
    let status = if throttled && ctx.config.conventions.failed_dependency_for_throttled_batch {
        StatusCode::FAILED_DEPENDENCY
    } else {
        StatusCode::OK
    };
    Ok(GraphResponse::json(
        status,
        json!({ "responses": responses }),
    ))
}

/// Runs one item, or answers it without running it.
fn run_item(
    ctx: &Ctx,
    batch: &GraphRequest,
    item: &Item,
    failed_dependency: bool,
) -> GraphResponse {
    let batch_ref = BatchRef {
        request_id: batch.request_id.clone(),
        id: item.id.clone(),
    };
    let (request, problem) = item_request(batch, item);
    let refusal = problem.or_else(|| {
        failed_dependency.then(|| {
            GraphError::new(
                StatusCode::FAILED_DEPENDENCY,
                "failedDependency",
                "A request this request depends on failed.",
            )
        })
    });
    if let Some(refusal) = refusal {
        let response =
            refusal.into_response(&request.request_id, request.header("client-request-id"));
        let mut entry = Entry::graph(&request, Kind::BatchItem, Some(batch_ref));
        entry.answered(Some(response.status), None);
        ctx.recorder.record(&entry);
        return response;
    }
    match graph_call(ctx, &request, Some(batch_ref)) {
        Outcome::Respond(response) => response,
        // Items share their batch's connection, so the injector never drops one; should it,
        // the item gets the 503 a failed item gets.
        Outcome::Drop => crate::call::service_unavailable()
            .into_response(&request.request_id, request.header("client-request-id")),
    }
}

/// The request an item makes, and why it cannot be sent when it cannot. The request is built
/// either way so that the journal shows what was asked.
fn item_request(batch: &GraphRequest, item: &Item) -> (GraphRequest, Option<GraphError>) {
    let mut problem = None;
    let mut headers = HeaderMap::new();
    for (name, value) in &item.headers {
        match (
            HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => {
                headers.append(name, value);
            }
            _ => {
                problem.get_or_insert_with(|| {
                    GraphError::bad_request(format!("The header '{name}' is not valid."))
                });
            }
        }
    }
    // Items run with the batch's credentials (REFERENCE.md §11).
    headers.remove(http::header::AUTHORIZATION);
    if let Some(authorization) = batch.headers.get(http::header::AUTHORIZATION) {
        headers.insert(http::header::AUTHORIZATION, authorization.clone());
    }
    let body = match &item.body {
        None | Some(Value::Null) => Vec::new(),
        Some(body) => {
            if !headers.contains_key(http::header::CONTENT_TYPE) {
                problem.get_or_insert_with(|| {
                    GraphError::bad_request(
                        "A request with a body must have a Content-Type header.",
                    )
                });
            }
            match body {
                Value::Object(_) => body.to_string().into_bytes(),
                Value::String(encoded) => base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .unwrap_or_else(|_| {
                        problem.get_or_insert_with(|| {
                            GraphError::bad_request("The body string is not valid base64.")
                        });
                        Vec::new()
                    }),
                _ => {
                    problem.get_or_insert_with(|| {
                        GraphError::bad_request(
                            "A request body must be a JSON object or a base64 string.",
                        )
                    });
                    Vec::new()
                }
            }
        }
    };
    if item.url.contains("://") {
        problem.get_or_insert_with(|| {
            GraphError::bad_request(
                "A batch request's url must be relative to the version root, like /organization.",
            )
        });
    }
    let request = GraphRequest::new(
        item.method.clone(),
        batch.version,
        &item.url,
        headers,
        body.into(),
        uuid::Uuid::new_v4().to_string(),
    );
    if is_batch(&request) {
        problem.get_or_insert_with(|| {
            GraphError::bad_request("A batch cannot contain another batch.")
        });
    }
    (request, problem)
}

/// Reads the batch body, checking what makes the whole batch malformed.
fn parse(body: &Map<String, Value>) -> Result<Vec<Item>, GraphError> {
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("The batch body must have a 'requests' list."))?;
    if requests.len() > MAX_REQUESTS {
        return Err(malformed(format!(
            "A batch holds at most {MAX_REQUESTS} requests; this one has {}.",
            requests.len()
        )));
    }
    let mut items: Vec<Item> = Vec::with_capacity(requests.len());
    let mut depends_on: Vec<Vec<String>> = Vec::with_capacity(requests.len());
    for (index, request) in requests.iter().enumerate() {
        let request = request
            .as_object()
            .ok_or_else(|| malformed(format!("Request {index} of the batch is not an object.")))?;
        let text = |name: &str| {
            request
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    malformed(format!(
                        "Request {index} of the batch must have a string '{name}'."
                    ))
                })
        };
        let id = text("id")?;
        let method = Method::from_bytes(text("method")?.to_ascii_uppercase().as_bytes())
            .map_err(|_| malformed(format!("Request '{id}' has an invalid method.")))?;
        let url = text("url")?;
        if items.iter().any(|other| other.id.eq_ignore_ascii_case(id)) {
            return Err(malformed(format!(
                "The batch has more than one request with the id '{id}'."
            )));
        }
        let headers = match request.get("headers") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(headers)) => headers
                .iter()
                .map(|(name, value)| {
                    value
                        .as_str()
                        .map(|value| (name.clone(), value.to_owned()))
                        .ok_or_else(|| {
                            malformed(format!(
                                "Header '{name}' of request '{id}' is not a string."
                            ))
                        })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(malformed(format!(
                    "The headers of request '{id}' must be an object."
                )));
            }
        };
        depends_on.push(match request.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|d| d.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    malformed(format!("The dependsOn of request '{id}' must list ids."))
                })?,
            Some(_) => {
                return Err(malformed(format!(
                    "The dependsOn of request '{id}' must be a list."
                )));
            }
        });
        items.push(Item {
            id: id.to_owned(),
            method,
            url: url.to_owned(),
            headers,
            body: request.get("body").cloned(),
            depends_on: Vec::new(),
        });
    }
    for (index, ids) in depends_on.into_iter().enumerate() {
        let resolved = ids
            .iter()
            .map(|d| {
                items
                    .iter()
                    .position(|other| other.id.eq_ignore_ascii_case(d))
                    .ok_or_else(|| {
                        malformed(format!(
                            "Request '{}' depends on '{d}', which is not in the batch.",
                            items[index].id
                        ))
                    })
            })
            .collect::<Result<_, _>>()?;
        items[index].depends_on = resolved;
    }
    Ok(items)
}

/// The order items run in: each after its dependencies, otherwise in request order. `None`
/// when the dependencies form a cycle.
fn execution_order(items: &[Item]) -> Option<Vec<usize>> {
    let mut done = vec![false; items.len()];
    let mut order = Vec::with_capacity(items.len());
    while order.len() < items.len() {
        let next =
            (0..items.len()).find(|&i| !done[i] && items[i].depends_on.iter().all(|&d| done[d]))?;
        done[next] = true;
        order.push(next);
    }
    Some(order)
}

/// `{ "id", "status", "headers", "body"? }` for one answered item.
fn item_response(id: &str, response: GraphResponse) -> Value {
    let mut headers = Map::new();
    let body = match response.body {
        ResponseBody::Empty => None,
        ResponseBody::Json(value) => {
            headers.insert("OData-Version".into(), json!("4.0"));
            headers.insert("Content-Type".into(), json!(crate::server::ODATA_JSON));
            Some(value)
        }
        ResponseBody::Bytes { content_type, data } => {
            headers.insert("Content-Type".into(), json!(content_type));
            Some(json!(
                base64::engine::general_purpose::STANDARD.encode(data)
            ))
        }
    };
    for (name, value) in response.headers {
        headers.insert(name, json!(value));
    }
    let mut out = json!({ "id": id, "status": response.status.as_u16(), "headers": headers });
    if let Some(body) = body {
        out["body"] = body;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(body: &Value) -> Result<Vec<Item>, GraphError> {
        parse(body.as_object().unwrap())
    }

    #[test]
    fn dependencies_run_first_and_otherwise_request_order_is_kept() {
        let parsed = items(&json!({ "requests": [
            { "id": "1", "method": "GET", "url": "/a" },
            { "id": "2", "method": "GET", "url": "/a", "dependsOn": ["3"] },
            { "id": "3", "method": "GET", "url": "/a" },
        ]}))
        .unwrap();
        assert_eq!(execution_order(&parsed), Some(vec![0, 2, 1]));
    }

    #[test]
    fn a_dependency_cycle_has_no_order() {
        let parsed = items(&json!({ "requests": [
            { "id": "a", "method": "GET", "url": "/a", "dependsOn": ["B"] },
            { "id": "b", "method": "GET", "url": "/a", "dependsOn": ["a"] },
        ]}))
        .unwrap();
        assert_eq!(execution_order(&parsed), None);
    }
}
