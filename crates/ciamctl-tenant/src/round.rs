//! One round of reads: collections and single objects asked together, with each collection
//! followed to its last page, and the answers handed out by position.

use std::ops::Range;
use std::time::Duration;

use ciamctl_graph::{Failure, GraphClient, GraphError, Request, Response};
use ciamctl_live::{Known, ParseError};
use serde_json::Value;

use crate::fetch::unexpected;

/// A request of a round and how its answer is read.
#[derive(Debug, Clone)]
pub(crate) struct Ask {
    request: Request,
    collection: bool,
}

impl Ask {
    /// A collection: its pages' `value` arrays, concatenated.
    pub(crate) fn collection(request: Request) -> Self {
        Self {
            request,
            collection: true,
        }
    }

    /// A single object or stream: the response as it came.
    pub(crate) fn entity(request: Request) -> Self {
        Self {
            request,
            collection: false,
        }
    }
}

#[derive(Debug)]
pub(crate) enum Answer {
    Items(Vec<Value>),
    Entity(Response),
}

/// The answers of a round, in the order of its asks; each is taken once.
#[derive(Debug)]
pub(crate) struct Answers(Vec<Option<(Request, Result<Answer, GraphError>)>>);

impl Answers {
    /// The answer at `index`, with its request.
    pub(crate) fn take(&mut self, index: usize) -> (Request, Result<Answer, GraphError>) {
        self.0
            .get_mut(index)
            .and_then(Option::take)
            .unwrap_or_else(|| {
                let request = Request::get("/");
                let error = Err(GraphError::Client {
                    reason: format!("internal: no answer {index} in this round"),
                });
                (request, error)
            })
    }

    /// The collection at `index`, parsed.
    pub(crate) fn items<T>(
        &mut self,
        index: usize,
        parse: impl FnOnce(&[Value]) -> Result<T, ParseError>,
    ) -> Known<T> {
        match self.take(index) {
            (request, Ok(Answer::Items(items))) => match parse(&items) {
                Ok(value) => Known::Known(value),
                Err(error) => Known::unknown(request.describe(), error.to_string()),
            },
            (request, answer) => unexpected(&request, answer),
        }
    }

    /// The collections at `indexes`, parsed and concatenated: known only when every one was
    /// read.
    pub(crate) fn items_in<T>(
        &mut self,
        indexes: Range<usize>,
        parse: impl Fn(&[Value]) -> Result<Vec<T>, ParseError>,
    ) -> Known<Vec<T>> {
        let mut all = Vec::new();
        for i in indexes {
            match self.items(i, &parse) {
                Known::Known(items) => all.extend(items),
                Known::Unknown(failure) => return Known::Unknown(failure),
            }
        }
        Known::Known(all)
    }
}

/// Sends `asks` together, then every pending `@odata.nextLink` together, one round per page
/// depth, until no collection has more pages (REFERENCE.md §12.3).
pub(crate) async fn round(client: &GraphClient, asks: Vec<Ask>) -> Answers {
    let requests: Vec<Request> = asks.iter().map(|a| a.request.clone()).collect();
    let answers = client.send_round(requests).await;
    let mut results: Vec<Result<Answer, GraphError>> = Vec::with_capacity(asks.len());
    let mut pending: Vec<(usize, Request)> = Vec::new();
    for (index, (ask, answer)) in asks.iter().zip(answers).enumerate() {
        let result = match answer {
            Ok(response) if ask.collection => {
                page(client, &ask.request, &response).map(|(items, next)| {
                    pending.extend(next.map(|next| (index, next)));
                    Answer::Items(items)
                })
            }
            Ok(response) => Ok(Answer::Entity(response)),
            Err(error) => Err(error),
        };
        results.push(result);
    }
    while !pending.is_empty() {
        let requests = pending.iter().map(|(_, r)| r.clone()).collect();
        let answers = client.send_round(requests).await;
        let mut next_round = Vec::new();
        for ((index, request), answer) in pending.into_iter().zip(answers) {
            let page = answer.and_then(|response| page(client, &request, &response));
            match (page, &mut results[index]) {
                (Ok((items, next)), Ok(Answer::Items(all))) => {
                    all.extend(items);
                    next_round.extend(next.map(|next| (index, next)));
                }
                (Err(error), slot) => *slot = Err(error),
                (Ok(_), _) => {}
            }
        }
        pending = next_round;
    }
    Answers(
        asks.into_iter()
            .zip(results)
            .map(|(ask, result)| Some((ask.request, result)))
            .collect(),
    )
}

/// The items of one page and the request for the next one.
fn page(
    client: &GraphClient,
    request: &Request,
    response: &Response,
) -> Result<(Vec<Value>, Option<Request>), GraphError> {
    let mut body = response.value()?;
    let next = match body.get("@odata.nextLink").and_then(Value::as_str) {
        Some(link) => Some(
            request
                .next_page(link, client.endpoints().graph())
                .ok_or_else(|| {
                    invalid(
                        request,
                        response.status(),
                        format!(
                            "@odata.nextLink `{link}` leaves the Graph root {}; not followed",
                            client.endpoints().graph()
                        ),
                    )
                })?,
        ),
        None => None,
    };
    match body.get_mut("value").map(Value::take) {
        Some(Value::Array(items)) => Ok((items, next)),
        _ => Err(invalid(
            request,
            response.status(),
            "the answer has no `value` list".to_owned(),
        )),
    }
}

/// An answer that is not what the request promised.
fn invalid(request: &Request, status: u16, message: String) -> GraphError {
    let described = request.describe();
    let path = described
        .split_once(' ')
        .map_or(described.as_str(), |(_, path)| path);
    GraphError::InvalidResponse(Box::new(Failure {
        method: request.method().to_string(),
        path: path.to_owned(),
        status: Some(status),
        code: String::new(),
        message,
        request_id: None,
        retries: 0,
        waited: Duration::ZERO,
    }))
}
