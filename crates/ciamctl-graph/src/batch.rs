//! JSON `$batch` (REFERENCE.md §11): how a round's requests are grouped, and how one chunk is
//! sent, answered and retried.
//!
//! - Requests linked by `depends_on` form a group that shares one chunk (`dependsOn` only
//!   works inside a batch); groups are packed in input order into chunks of at most 20
//!   requests of one version. A group that cannot be batched (a binary body, an
//!   [`Request::unbatched`] request, more than 20 requests, mixed versions) and a chunk of one
//!   request are sent alone.
//! - Items are correlated by `id`, since responses come in any order. The outer status 424
//!   that the throttling page describes for a batch with throttled items is read like 200.
//! - Throttled items (429, and 503/504 for idempotent methods) are sent again alone, in a new
//!   batch after the longest `Retry-After` among them, with the dependents Graph answered 424
//!   because of them. A whole batch that failed (5xx, no answer) is judged item by item:
//!   reads and idempotent writes are sent again, a POST is reported as outcome unknown.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::Method;
use serde::Deserialize;

use crate::client::{
    Answer, ClientOptions, Inner, Outgoing, Response, failed_dependency, not_sent,
};
use crate::error::{Failure, GraphError};
use crate::request::{ApiVersion, Body, Request};
use crate::retry::{RetryClock, Verdict};
use crate::stats::Counters;

/// The most requests one `$batch` may hold (REFERENCE.md §11).
pub(crate) const MAX_BATCH: usize = 20;

/// Work of a round that runs on its own.
pub(crate) enum Unit {
    /// Requests of one version for one `$batch`, with their indexes in the round.
    Batch(Chunk),
    /// Requests sent one per HTTP request (a dependency group, or a lone request).
    Alone(Vec<(usize, Request)>),
}

pub(crate) struct Chunk {
    version: ApiVersion,
    requests: Vec<(usize, Request)>,
}

/// Splits a round into units. Requests that cannot be sent at all (a `depends_on` that names
/// no earlier request, or a dependent of one) get their result here.
pub(crate) fn plan(
    requests: Vec<Request>,
    options: &ClientOptions,
    results: &mut [Option<Result<Response, GraphError>>],
) -> Vec<Unit> {
    let count = requests.len();
    let mut group: Vec<usize> = (0..count).collect();
    let mut valid = Vec::with_capacity(count);
    for (index, request) in requests.into_iter().enumerate() {
        let deps = request.dependencies();
        if let Some(bad) = deps.iter().find(|d| **d >= index) {
            results[index] = Some(Err(not_sent(
                &request,
                format!("it depends on request {bad}, which does not come before it in its round"),
            )));
            continue;
        }
        if let Some(failed) = deps.iter().find(|d| results[**d].is_some()) {
            results[index] = Some(Err(failed_dependency(&request, *failed)));
            continue;
        }
        for dep in deps {
            let (a, b) = (root_of(&mut group, index), root_of(&mut group, *dep));
            group[a.max(b)] = a.min(b);
        }
        valid.push((index, request));
    }

    let mut groups: BTreeMap<usize, Vec<(usize, Request)>> = BTreeMap::new();
    for (index, request) in valid {
        groups
            .entry(root_of(&mut group, index))
            .or_default()
            .push((index, request));
    }

    let mut units = Vec::new();
    let mut open: BTreeMap<ApiVersion, Vec<(usize, Request)>> = BTreeMap::new();
    for (_, members) in groups {
        let version = members[0].1.api_version();
        let batchable = options.batch
            && members.len() <= MAX_BATCH
            && members
                .iter()
                .all(|(_, r)| r.batchable() && r.api_version() == version);
        if !batchable {
            units.push(Unit::Alone(members));
            continue;
        }
        let chunk = open.entry(version).or_default();
        if chunk.len() + members.len() > MAX_BATCH {
            let full = std::mem::take(chunk);
            close(&mut units, version, full);
        }
        open.entry(version).or_default().extend(members);
    }
    for (version, chunk) in open {
        close(&mut units, version, chunk);
    }
    units
}

/// A full or last chunk becomes a unit; a chunk of one request is sent alone.
fn close(units: &mut Vec<Unit>, version: ApiVersion, chunk: Vec<(usize, Request)>) {
    if chunk.len() == 1 {
        units.push(Unit::Alone(chunk));
    } else if !chunk.is_empty() {
        units.push(Unit::Batch(Chunk {
            version,
            requests: chunk,
        }));
    }
}

/// Union-find: the smallest index of `index`'s group.
fn root_of(group: &mut [usize], index: usize) -> usize {
    let mut root = index;
    while group[root] != root {
        root = group[root];
    }
    let mut at = index;
    while group[at] != root {
        let next = group[at];
        group[at] = root;
        at = next;
    }
    root
}

struct Item {
    index: usize,
    request: Request,
    /// Positions in the chunk of the items it depends on.
    deps: Vec<usize>,
    result: Option<Result<Response, GraphError>>,
    retries: u32,
}

/// Sends a chunk as `$batch` until every item has a final answer.
pub(crate) async fn run(inner: &Inner, chunk: Chunk) -> Vec<(usize, Result<Response, GraphError>)> {
    let position: BTreeMap<usize, usize> = chunk
        .requests
        .iter()
        .enumerate()
        .map(|(pos, (index, _))| (*index, pos))
        .collect();
    let mut items: Vec<Item> = chunk
        .requests
        .into_iter()
        .map(|(index, request)| Item {
            index,
            deps: request
                .dependencies()
                .iter()
                .filter_map(|d| position.get(d).copied())
                .collect(),
            request,
            result: None,
            retries: 0,
        })
        .collect();
    let label = Request::post("/$batch").version(chunk.version);
    let url = label.url(inner.graph_root());
    let mut clock = RetryClock::new(&inner.options.retry);

    loop {
        let pending: Vec<usize> = (0..items.len())
            .filter(|p| items[*p].result.is_none())
            .collect();
        if pending.is_empty() {
            break;
        }
        let body = batch_body(&items, &pending);
        let out = Outgoing {
            method: &Method::POST,
            url: url.clone(),
            label: format!("{} ({} requests)", label.describe(), pending.len()),
            headers: &[],
            body: Some(("application/json", body)),
        };
        Counters::add(&inner.counters.batch_requests, 1);
        Counters::add(&inner.counters.batch_items, pending.len() as u64);
        let (answers, outer_failed) = match inner.exchange(&out, &label).await {
            Ok(outer) => item_answers(outer, &items, &pending, &inner.counters),
            Err(error) => {
                for p in pending {
                    items[p].result = Some(Err(error
                        .clone()
                        .with_retries(items[p].retries, clock.spent())));
                }
                break;
            }
        };

        let mut retry: BTreeMap<usize, (Answer, Option<Duration>)> = BTreeMap::new();
        for (p, answer) in pending.into_iter().zip(answers) {
            let item = &mut items[p];
            if let Answer::Http(response) = &answer {
                tracing::trace!(
                    batch_item = p + 1,
                    request = %item.request.describe(),
                    status = response.status(),
                    request_id = response.request_id().unwrap_or_default(),
                    "batch item answered"
                );
            }
            let verdict = answer.verdict(&item.request);
            let unknown = match verdict {
                Verdict::Success => {
                    if let Answer::Http(response) = answer {
                        item.result = Some(Ok(response));
                    }
                    continue;
                }
                Verdict::Retry(retry_after) => {
                    retry.insert(p, (answer, retry_after));
                    continue;
                }
                // Graph failed it because a dependency failed; when that dependency is sent
                // again, so is this item.
                Verdict::Fail
                    if answer.status() == Some(424)
                        && item.deps.iter().any(|d| retry.contains_key(d)) =>
                {
                    retry.insert(p, (answer, None));
                    continue;
                }
                Verdict::Fail => false,
                Verdict::Unknown => true,
            };
            item.result = Some(Err(answer
                .into_error(&item.request, unknown)
                .with_retries(item.retries, clock.spent())));
        }

        // An item cannot be sent again without a dependency that failed for good.
        let again: Vec<usize> = retry.keys().copied().collect();
        for p in again {
            let failed = items[p]
                .deps
                .iter()
                .copied()
                .find(|d| matches!(items[*d].result, Some(Err(_))));
            let Some(failed) = failed else { continue };
            retry.remove(&p);
            let item = &mut items[p];
            let error = if outer_failed && !item.request.is_read() {
                GraphError::OutcomeUnknown(Box::new(
                    Failure::new(item.request.method().as_str(), &item.request.display_path())
                        .saying(format!(
                            "the batch carrying it failed, and request {} it depends on \
                             cannot be sent again",
                            items[failed].index
                        )),
                ))
            } else {
                failed_dependency(&items[p].request, items[failed].index)
            };
            items[p].result = Some(Err(error.with_retries(items[p].retries, clock.spent())));
        }

        if retry.is_empty() {
            continue;
        }
        let retry_after = retry.values().filter_map(|(_, ra)| *ra).max();
        if let Some(wait) = clock.next_wait(retry_after) {
            tracing::debug!(
                items = retry.len(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "batch items will be sent again"
            );
            inner
                .wait(wait, retry.len() as u64, retry_after.is_some())
                .await;
            for p in retry.keys() {
                items[*p].retries += 1;
            }
        } else {
            for (p, (answer, _)) in retry {
                let item = &mut items[p];
                item.result = Some(Err(answer
                    .into_error(&item.request, false)
                    .with_retries(item.retries, clock.spent())));
            }
        }
    }

    items
        .into_iter()
        .map(|item| {
            let result = item.result.unwrap_or_else(|| {
                Err(not_sent(&item.request, "the batch ended without an answer"))
            });
            (item.index, result)
        })
        .collect()
}

/// The `$batch` body for the pending items; ids are chunk positions + 1, `dependsOn` names
/// only dependencies that are sent in the same batch (the others already succeeded).
fn batch_body(items: &[Item], pending: &[usize]) -> Bytes {
    let requests: Vec<serde_json::Value> = pending
        .iter()
        .map(|p| {
            let item = &items[*p];
            let request = &item.request;
            let mut entry = serde_json::Map::new();
            entry.insert("id".into(), (p + 1).to_string().into());
            entry.insert("method".into(), request.method().as_str().into());
            entry.insert("url".into(), request.relative_url().into());
            let mut headers: serde_json::Map<String, serde_json::Value> = request
                .headers()
                .iter()
                .map(|(n, v)| (n.clone(), v.clone().into()))
                .collect();
            if let Some(Body::Json(body)) = request.body() {
                if request.header_value("content-type").is_none() {
                    headers.insert("Content-Type".into(), "application/json".into());
                }
                entry.insert("body".into(), body.clone());
            }
            if !headers.is_empty() {
                entry.insert("headers".into(), headers.into());
            }
            let depends_on: Vec<serde_json::Value> = item
                .deps
                .iter()
                .filter(|d| items[**d].result.is_none())
                .map(|d| (d + 1).to_string().into())
                .collect();
            if !depends_on.is_empty() {
                entry.insert("dependsOn".into(), depends_on.into());
            }
            serde_json::Value::Object(entry)
        })
        .collect();
    let body = serde_json::json!({ "requests": requests });
    Bytes::from(body.to_string())
}

#[derive(Deserialize)]
struct BatchAnswer {
    responses: Vec<ItemAnswer>,
}

#[derive(Deserialize)]
struct ItemAnswer {
    id: serde_json::Value,
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    body: serde_json::Value,
}

/// The same lost answer for every pending item, whose fate is then unknown.
fn all_lost(pending: &[usize], reason: &str) -> (Vec<Answer>, bool) {
    let answers = pending
        .iter()
        .map(|_| Answer::Lost(reason.to_owned()))
        .collect();
    (answers, true)
}

/// Each pending item's answer from the outer answer, and whether the batch failed as a whole
/// in a way that leaves its items' fate unknown (5xx, no answer, a garbled answer). Items'
/// own 429s are counted here; a whole batch's 429, given to each item, was counted once as it
/// came.
fn item_answers(
    outer: Answer,
    items: &[Item],
    pending: &[usize],
    counters: &Counters,
) -> (Vec<Answer>, bool) {
    let response = match outer {
        Answer::Lost(reason) => return all_lost(pending, &reason),
        Answer::Http(response) => response,
    };
    let parsed = matches!(response.status(), 200 | 424)
        .then(|| serde_json::from_slice::<BatchAnswer>(response.bytes()).ok())
        .flatten();
    let Some(parsed) = parsed else {
        if response.status() == 200 {
            return all_lost(pending, "the $batch answer is not a list of responses");
        }
        let answers = pending
            .iter()
            .map(|p| Answer::Http(response.relabelled(&items[*p].request)))
            .collect();
        return (answers, response.status() >= 500);
    };
    let mut by_id: BTreeMap<String, ItemAnswer> = parsed
        .responses
        .into_iter()
        .map(|item| {
            let id = match &item.id {
                serde_json::Value::String(id) => id.clone(),
                other => other.to_string(),
            };
            (id, item)
        })
        .collect();
    let answers = pending
        .iter()
        .map(|p| match by_id.remove(&(p + 1).to_string()) {
            Some(item) => {
                if item.status == 429 {
                    Counters::add(&counters.throttled, 1);
                }
                Answer::Http(item_response(item, &items[*p].request))
            }
            None => Answer::Lost("the $batch answer has no response for it".to_owned()),
        })
        .collect();
    (answers, false)
}

/// A batch item's answer as a [`Response`]: a JSON body is kept as JSON text; a string body
/// with a non-JSON `Content-Type` is a base64 binary (the OData JSON batch convention §11
/// refers to).
fn item_response(item: ItemAnswer, request: &Request) -> Response {
    let headers: Vec<(String, String)> = item
        .headers
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (name, value)
        })
        .collect();
    let is_json = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("content-type") && v.to_ascii_lowercase().contains("json")
    });
    let body = match item.body {
        serde_json::Value::Null => Bytes::new(),
        serde_json::Value::String(text) if !is_json => base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_or_else(|_| Bytes::from(text), Bytes::from),
        other => Bytes::from(other.to_string()),
    };
    Response::new(
        item.status,
        headers,
        body,
        request.method().as_str(),
        request,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(requests: Vec<Request>, batch: bool) -> (Vec<Unit>, Vec<bool>) {
        let mut results: Vec<Option<Result<Response, GraphError>>> =
            requests.iter().map(|_| None).collect();
        let options = ClientOptions {
            batch,
            ..ClientOptions::default()
        };
        let units = plan(requests, &options, &mut results);
        (units, results.iter().map(Option::is_some).collect())
    }

    fn shape(units: &[Unit]) -> Vec<(bool, Vec<usize>)> {
        units
            .iter()
            .map(|unit| match unit {
                Unit::Batch(chunk) => (true, chunk.requests.iter().map(|(i, _)| *i).collect()),
                Unit::Alone(requests) => (false, requests.iter().map(|(i, _)| *i).collect()),
            })
            .collect()
    }

    #[test]
    fn dependency_groups_share_a_chunk_and_chunks_hold_at_most_twenty() {
        let mut requests: Vec<Request> =
            (0..19).map(|i| Request::get(&format!("/a/{i}"))).collect();
        requests.push(Request::post("/x"));
        requests.push(Request::patch("/x/1").depends_on([19]));
        let (units, resolved) = plan_of(requests, true);
        assert!(resolved.iter().all(|r| !r));
        assert_eq!(
            shape(&units),
            vec![(true, (0..19).collect()), (true, vec![19, 20])]
        );
    }

    #[test]
    fn unbatched_binary_beta_and_single_requests_are_placed_apart() {
        let requests = vec![
            Request::get("/a"),
            Request::get("/stream").unbatched(),
            Request::put("/img").bytes("image/png", vec![1, 2]),
            Request::get("/b"),
            Request::get("/c").beta(),
        ];
        let (units, _) = plan_of(requests, true);
        assert_eq!(
            shape(&units),
            vec![
                (false, vec![1]),
                (false, vec![2]),
                (true, vec![0, 3]),
                (false, vec![4]),
            ]
        );
    }

    #[test]
    fn without_batching_groups_run_alone_and_bad_dependencies_are_refused() {
        let requests = vec![
            Request::get("/a"),
            Request::get("/b").depends_on([0]),
            Request::get("/c").depends_on([5]),
            Request::get("/d").depends_on([2]),
        ];
        let (units, resolved) = plan_of(requests, false);
        assert_eq!(shape(&units), vec![(false, vec![0, 1])]);
        assert_eq!(resolved, vec![false, false, true, true]);
    }

    #[test]
    fn batch_bodies_carry_ids_relative_urls_content_type_and_depends_on() {
        let items: Vec<Item> = [
            Request::post("/identity/userFlowAttributes").json(serde_json::json!({"a": 1})),
            Request::get("/organization")
                .query("$select", "id")
                .header("Accept-Language", "0"),
        ]
        .into_iter()
        .enumerate()
        .map(|(index, request)| Item {
            index,
            deps: if index == 1 { vec![0] } else { vec![] },
            request,
            result: None,
            retries: 0,
        })
        .collect();
        let body: serde_json::Value = serde_json::from_slice(&batch_body(&items, &[0, 1])).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"requests": [
                {"id": "1", "method": "POST", "url": "/identity/userFlowAttributes",
                 "body": {"a": 1}, "headers": {"Content-Type": "application/json"}},
                {"id": "2", "method": "GET", "url": "/organization?$select=id",
                 "headers": {"Accept-Language": "0"}, "dependsOn": ["1"]}
            ]})
        );
    }
}
