//! [`GraphClient`]: sends [`Request`]s to Graph over reqwest + rustls with a bearer token,
//! bounded concurrency, retries (see [`crate::retry`]), JSON `$batch` (see [`crate::batch`])
//! and `@odata.nextLink` paging (REFERENCE.md §11, §12).
//!
//! Every HTTP request takes a permit of a semaphore sized by [`ClientOptions::concurrency`]
//! for as long as it is on the wire, and gives it back before any wait. When Graph answers with
//! a `Retry-After` that a request waits for, the whole client pauses until then: throttling is
//! per app, and calls made while throttled count against it (REFERENCE.md §12.2).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::auth::Authenticator;
use crate::cloud::Endpoints;
use crate::error::{Failure, GraphError, error_details};
use crate::request::{Body, Request};
use crate::retry::{RetryClock, RetryPolicy, Verdict, judge, parse_retry_after};
use crate::stats::{ClientStats, Counters};

/// How a [`GraphClient`] talks to Graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// HTTP requests in flight at once (`--concurrency`); at least 1.
    pub concurrency: usize,
    /// Groups the requests of a round into JSON `$batch` requests (`--no-batch` clears it).
    pub batch: bool,
    pub retry: RetryPolicy,
    /// The longest one HTTP request may take, answer included.
    pub timeout: Duration,
    /// The `User-Agent` header; the binary sets `ciamctl/<its version>`.
    pub user_agent: String,
    /// The most pages one collection read follows: a server whose `@odata.nextLink`s never end
    /// would otherwise be read forever.
    pub max_pages: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            batch: true,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            user_agent: "ciamctl".to_owned(),
            // The collections ciamctl reads are small (REFERENCE.md §12.3); 1,000 pages is
            // 100,000 applications at Graph's default page size.
            max_pages: 1_000,
        }
    }
}

/// The Graph client. Cloning it is cheap and shares the connection pool, the token cache, the
/// concurrency bound and the counters.
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    authenticator: Authenticator,
    pub(crate) options: ClientOptions,
    permits: Semaphore,
    /// Until when Graph asked the client to send nothing (the latest `Retry-After` waited for).
    paused_until: Mutex<Option<Instant>>,
    pub(crate) counters: Counters,
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("endpoints", &self.inner.endpoints)
            .field("tenant", &self.inner.authenticator.tenant())
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl GraphClient {
    /// A client for `endpoints`, authenticating with `authenticator`. A loopback Graph root
    /// (the emulator) is reached without any proxy the environment names.
    pub fn new(
        endpoints: Endpoints,
        authenticator: Authenticator,
        options: ClientOptions,
    ) -> Result<Self, GraphError> {
        let mut builder = reqwest::Client::builder()
            .redirect(same_origin_redirects())
            .user_agent(options.user_agent.clone())
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(15)));
        if is_loopback_root(endpoints.graph()) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|err| GraphError::Client {
            reason: error_chain(&err.without_url()),
        })?;
        let options = ClientOptions {
            concurrency: options.concurrency.max(1),
            ..options
        };
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                permits: Semaphore::new(options.concurrency),
                paused_until: Mutex::new(None),
                endpoints,
                authenticator,
                options,
                counters: Counters::default(),
            }),
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    pub fn authenticator(&self) -> &Authenticator {
        &self.inner.authenticator
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// The HTTP client, for token requests made outside [`GraphClient::send`].
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// What this client did so far.
    pub fn stats(&self) -> ClientStats {
        self.inner.counters.snapshot()
    }

    /// Sends one request alone (never in a batch), retrying as [`crate::retry`] says.
    pub async fn send(&self, request: Request) -> Result<Response, GraphError> {
        Counters::add(&self.inner.counters.round_trips, 1);
        self.inner.send_alone(&request).await
    }

    /// Sends the requests of one round: independent requests, or requests linked by
    /// [`Request::depends_on`]. With batching they go in `$batch` chunks of at most 20 sent
    /// concurrently, otherwise each alone, concurrently; dependents wait for their
    /// dependencies. Results come in input order.
    pub async fn send_round(&self, requests: Vec<Request>) -> Vec<Result<Response, GraphError>> {
        if requests.is_empty() {
            return Vec::new();
        }
        Counters::add(&self.inner.counters.round_trips, 1);
        Arc::clone(&self.inner).round(requests).await
    }

    /// Reads whole collections: the first pages in one round, then every pending
    /// `@odata.nextLink` together in the next round, until none is left (REFERENCE.md §12.3).
    /// Each result is the concatenation of the pages' `value` arrays.
    pub async fn collect(
        &self,
        requests: Vec<Request>,
    ) -> Vec<Result<Vec<serde_json::Value>, GraphError>> {
        let reads = requests.into_iter().map(Read::Collection).collect();
        self.read(reads)
            .await
            .into_iter()
            .map(|answer| match answer? {
                ReadAnswer::Items(items) => Ok(items),
                ReadAnswer::Response(response) => {
                    Err(response.invalid("a single answer where a collection was read"))
                }
            })
            .collect()
    }

    /// One round of reads, collections and single objects together: everything in one
    /// [`GraphClient::send_round`], then every pending `@odata.nextLink` of the collections
    /// together in the next round, until none is left (REFERENCE.md §12.3). Results come in
    /// input order.
    pub async fn read(&self, reads: Vec<Read>) -> Vec<Result<ReadAnswer, GraphError>> {
        let (requests, collections): (Vec<Request>, Vec<bool>) = reads
            .into_iter()
            .map(|read| match read {
                Read::Collection(request) => (request, true),
                Read::Single(request) => (request, false),
            })
            .unzip();
        let answers = self.send_round(requests.clone()).await;
        let mut paging: Vec<Paging> = requests.iter().map(Paging::new).collect();
        let mut results = Vec::with_capacity(requests.len());
        let mut pending: Vec<(usize, Request)> = Vec::new();
        for (index, ((request, collection), answer)) in
            requests.iter().zip(collections).zip(answers).enumerate()
        {
            results.push(match answer {
                Ok(response) if collection => self
                    .page(request, &response, &mut paging[index])
                    .map(|(items, next)| {
                        pending.extend(next.map(|next| (index, next)));
                        ReadAnswer::Items(items)
                    }),
                Ok(response) => Ok(ReadAnswer::Response(response)),
                Err(error) => Err(error),
            });
        }
        while !pending.is_empty() {
            let answers = self
                .send_round(pending.iter().map(|(_, r)| r.clone()).collect())
                .await;
            let mut next_round = Vec::new();
            for ((owner, request), answer) in pending.into_iter().zip(answers) {
                let page =
                    answer.and_then(|response| self.page(&request, &response, &mut paging[owner]));
                match (page, &mut results[owner]) {
                    (Ok((items, next)), Ok(ReadAnswer::Items(all))) => {
                        all.extend(items);
                        next_round.extend(next.map(|next| (owner, next)));
                    }
                    (Err(error), slot) => *slot = Err(error),
                    (Ok(_), _) => {}
                }
            }
            pending = next_round;
        }
        results
    }

    /// The items of a collection page and the request for its next page, unless the link
    /// leads back to a page already read or past [`ClientOptions::max_pages`].
    fn page(
        &self,
        request: &Request,
        response: &Response,
        paging: &mut Paging,
    ) -> Result<(Vec<serde_json::Value>, Option<Request>), GraphError> {
        let (items, link) = page_of(response)?;
        paging.pages += 1;
        let next = match link {
            None => None,
            Some(link) => Some(
                request
                    .next_page(&link, self.inner.endpoints.graph())
                    .ok_or_else(|| {
                        not_sent(
                            request,
                            format!(
                                "@odata.nextLink `{link}` does not point into the Graph root \
                                 {}; it is not followed",
                                self.inner.endpoints.graph()
                            ),
                        )
                    })?,
            ),
        };
        if let Some(next) = &next {
            let max = self.inner.options.max_pages;
            if paging.pages >= max {
                return Err(response.invalid(format!(
                    "the collection has more than {max} pages; the rest is not read"
                )));
            }
            if !paging.seen.insert(next.version_relative_url()) {
                return Err(response.invalid(format!(
                    "its @odata.nextLink leads back to a page already read ({}); it is not \
                     followed again",
                    next.describe()
                )));
            }
        }
        Ok((items, next))
    }
}

/// The pages of one collection read so far.
struct Paging {
    pages: usize,
    /// The pages asked for, as version-relative URLs.
    seen: BTreeSet<String>,
}

impl Paging {
    fn new(first: &Request) -> Self {
        Self {
            pages: 0,
            seen: BTreeSet::from([first.version_relative_url()]),
        }
    }
}

/// A read of [`GraphClient::read`]: a collection, followed to its last page, or a single
/// object (or stream) answered as it came.
#[derive(Debug, Clone)]
pub enum Read {
    Collection(Request),
    Single(Request),
}

/// What a [`Read`] gave back.
#[derive(Debug)]
pub enum ReadAnswer {
    /// A collection's items, every page's `value` concatenated.
    Items(Vec<serde_json::Value>),
    Response(Response),
}

/// The `value` list of a collection page and its `@odata.nextLink`.
fn page_of(response: &Response) -> Result<(Vec<serde_json::Value>, Option<String>), GraphError> {
    let mut page = response.value()?;
    let link = page
        .get("@odata.nextLink")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    match page.get_mut("value").map(serde_json::Value::take) {
        Some(serde_json::Value::Array(values)) => Ok((values, link)),
        _ => Err(response.invalid("a collection page whose `value` is not a list")),
    }
}

/// An error for a request the client refused to send.
pub(crate) fn not_sent(request: &Request, message: impl Into<String>) -> GraphError {
    GraphError::NotSent(Box::new(
        Failure::new(request.method().as_str(), &request.display_path()).saying(message),
    ))
}

/// The error of a request that was not sent because the request it depends on failed: 424,
/// as Graph answers inside a `$batch` (REFERENCE.md §11).
pub(crate) fn failed_dependency(request: &Request, dependency: usize) -> GraphError {
    let mut failure = Failure::new(request.method().as_str(), &request.display_path()).saying(
        format!("request {dependency} of its round, which it depends on, failed"),
    );
    failure.status = Some(424);
    GraphError::NotSent(Box::new(failure))
}

/// One HTTP exchange's result: an answer, or why none came.
#[derive(Debug)]
pub(crate) enum Answer {
    Http(Response),
    Lost(String),
}

impl Answer {
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            Answer::Http(response) => Some(response.status),
            Answer::Lost(_) => None,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<Duration> {
        match self {
            Answer::Http(response) => response
                .header("retry-after")
                .and_then(|v| parse_retry_after(v, SystemTime::now())),
            Answer::Lost(_) => None,
        }
    }

    /// The verdict on this answer for `request`.
    pub(crate) fn verdict(&self, request: &Request) -> Verdict {
        judge(request.method(), self.status(), self.retry_after())
    }

    /// The final error this answer is for `request`.
    pub(crate) fn into_error(self, request: &Request, unknown: bool) -> GraphError {
        let mut failure = Failure::new(request.method().as_str(), &request.display_path());
        match self {
            Answer::Http(response) => {
                let (code, message, request_id) = error_details(&response.body);
                failure.status = Some(response.status);
                failure.code = code;
                failure.message = if (300..400).contains(&response.status) && message.is_empty() {
                    "a redirect to another host, which is not followed".to_owned()
                } else {
                    message
                };
                failure.request_id =
                    request_id.or_else(|| response.header("request-id").map(str::to_owned));
                if unknown {
                    GraphError::OutcomeUnknown(Box::new(failure))
                } else {
                    GraphError::Status(Box::new(failure))
                }
            }
            Answer::Lost(reason) => {
                failure.message = reason;
                if unknown {
                    GraphError::OutcomeUnknown(Box::new(failure))
                } else {
                    GraphError::Transport(Box::new(failure))
                }
            }
        }
    }
}

/// An HTTP request ready to go: a top-level Graph call or a `$batch`.
pub(crate) struct Outgoing<'a> {
    pub(crate) method: &'a Method,
    pub(crate) url: String,
    /// `GET /v1.0/...` for logs.
    pub(crate) label: String,
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: Option<(&'a str, Bytes)>,
}

impl Inner {
    pub(crate) fn graph_root(&self) -> &str {
        self.endpoints.graph()
    }

    /// One HTTP request and its whole answer, under a concurrency permit. `Err` only when it
    /// could not be sent at all (no token, a header HTTP cannot carry).
    pub(crate) async fn exchange(
        &self,
        out: &Outgoing<'_>,
        describe: &Request,
    ) -> Result<Answer, GraphError> {
        let token = self.authenticator.token(&self.http).await?;
        let mut headers = HeaderMap::new();
        let mut bearer = HeaderValue::try_from(format!("Bearer {}", token.secret().expose()))
            .map_err(|_| {
                not_sent(
                    describe,
                    "the access token holds characters an HTTP header cannot carry",
                )
            })?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
        for (name, value) in out.headers {
            let name = HeaderName::try_from(name.as_str());
            let value = HeaderValue::try_from(value.as_str());
            let (Ok(name), Ok(value)) = (name, value) else {
                return Err(not_sent(
                    describe,
                    "a header name or value HTTP cannot carry",
                ));
            };
            headers.append(name, value);
        }
        let client_request_id = uuid::Uuid::new_v4().to_string();
        if let Ok(value) = HeaderValue::try_from(client_request_id.as_str()) {
            headers.insert(HeaderName::from_static("client-request-id"), value);
        }
        let mut builder = self
            .http
            .request(out.method.clone(), &out.url)
            .headers(headers);
        if let Some((content_type, body)) = &out.body {
            // A caller's own `Content-Type` wins (`application/json; charset=utf-8`, ...).
            if !out
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            {
                builder = builder.header(CONTENT_TYPE, *content_type);
            }
            builder = builder.body(body.clone());
        }

        // Graph asked for a pause: wait it out (a later answer may extend it), also when it
        // began while this request queued for its permit.
        let _permit = loop {
            if let Some(until) = self.paused() {
                tokio::time::sleep_until(until.into()).await;
                continue;
            }
            let permit = self
                .permits
                .acquire()
                .await
                .map_err(|_| GraphError::Client {
                    reason: "the client was shut down".to_owned(),
                })?;
            if self.paused().is_none() {
                break permit;
            }
        };
        let _in_flight = self.counters.in_flight();
        Counters::add(&self.counters.http_requests, 1);
        let started = Instant::now();
        let answer = match builder.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let headers = response_headers(response.headers());
                match response.bytes().await {
                    Ok(body) => Answer::Http(Response::new(
                        status,
                        headers,
                        body,
                        out.method.as_str(),
                        describe,
                    )),
                    Err(err) => Answer::Lost(self.transport_reason(err)),
                }
            }
            Err(err) => Answer::Lost(self.transport_reason(err)),
        };
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        // The pause starts before the permit is given back, so no queued request slips out
        // first. A wait beyond the budget is not waited for, so it pauses nothing.
        if let Verdict::Retry(Some(wait)) = answer.verdict(describe)
            && wait <= self.options.retry.budget
        {
            self.pause_for(wait);
        }
        match &answer {
            Answer::Http(response) => {
                if response.status == 429 {
                    Counters::add(&self.counters.throttled, 1);
                }
                tracing::debug!(
                    request = %out.label,
                    status = response.status,
                    request_id = response.header("request-id").unwrap_or_default(),
                    client_request_id,
                    elapsed_ms,
                    "graph answered"
                );
            }
            Answer::Lost(reason) => tracing::debug!(
                request = %out.label,
                reason = %reason,
                client_request_id,
                elapsed_ms,
                "graph did not answer"
            ),
        }
        Ok(answer)
    }

    /// Why no answer came, without the URL (its query may name what a user keeps private).
    fn transport_reason(&self, err: reqwest::Error) -> String {
        if err.is_timeout() {
            format!(
                "no answer within {:.1} s",
                self.options.timeout.as_secs_f64()
            )
        } else {
            error_chain(&err.without_url())
        }
    }

    /// Sends `request` alone until it succeeds, fails for good or runs out of retries.
    pub(crate) async fn send_alone(&self, request: &Request) -> Result<Response, GraphError> {
        let body = match request.body() {
            None => None,
            Some(Body::Json(value)) => Some(("application/json", Bytes::from(value.to_string()))),
            Some(Body::Bytes { content_type, data }) => Some((content_type.as_str(), data.clone())),
        };
        let out = Outgoing {
            method: request.method(),
            url: request.url(self.graph_root()),
            label: request.describe(),
            headers: request.headers(),
            body,
        };
        let mut clock = RetryClock::new(&self.options.retry);
        loop {
            let answer = self
                .exchange(&out, request)
                .await
                .map_err(|e| e.with_retries(clock.retries, clock.spent()))?;
            let verdict = answer.verdict(request);
            let unknown = match verdict {
                Verdict::Success => match answer {
                    Answer::Http(response) => return Ok(response),
                    Answer::Lost(_) => false,
                },
                Verdict::Retry(retry_after) => {
                    if let Some(wait) = clock.next_wait(retry_after) {
                        self.wait(wait, 1, retry_after.is_some()).await;
                        continue;
                    }
                    false
                }
                Verdict::Fail => false,
                Verdict::Unknown => true,
            };
            return Err(answer
                .into_error(request, unknown)
                .with_retries(clock.retries, clock.spent()));
        }
    }

    /// Waits before re-sending `resent` requests, holding no permit. A wait Graph asked for
    /// (`Retry-After`) holds back every other request of the client too: Graph throttles the
    /// app, not one request, and counts the calls it refuses (REFERENCE.md §12.2), so
    /// requests that keep going while one waits only prolong the throttling.
    pub(crate) async fn wait(&self, wait: Duration, resent: u64, asked_by_graph: bool) {
        if asked_by_graph {
            self.pause_for(wait);
        }
        Counters::add(&self.counters.retries, resent);
        self.counters.add_wait(wait);
        tokio::time::sleep(wait).await;
    }

    /// Pauses the client for `wait` from now, unless it is paused longer already.
    fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *paused = Some(paused.map_or(until, |at| at.max(until)));
    }

    /// Until when the client is paused, if it is.
    fn paused(&self) -> Option<Instant> {
        self.paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .filter(|until| *until > Instant::now())
    }

    /// One round: plans batches and lone requests, runs them all concurrently, and puts the
    /// results back in input order.
    async fn round(self: Arc<Self>, requests: Vec<Request>) -> Vec<Result<Response, GraphError>> {
        let count = requests.len();
        let mut results: Vec<Option<Result<Response, GraphError>>> =
            (0..count).map(|_| None).collect();
        let mut tasks = JoinSet::new();
        for unit in crate::batch::plan(requests, &self.options, &mut results) {
            let inner = Arc::clone(&self);
            tasks.spawn(async move { inner.run_unit(unit).await });
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(done) => {
                    for (index, result) in done {
                        results[index] = Some(result);
                    }
                }
                Err(err) => {
                    if let Ok(panic) = err.try_into_panic() {
                        std::panic::resume_unwind(panic);
                    }
                }
            }
        }
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(GraphError::Client {
                        reason: "the runtime stopped before the request was sent".to_owned(),
                    })
                })
            })
            .collect()
    }

    async fn run_unit(
        self: Arc<Self>,
        unit: crate::batch::Unit,
    ) -> Vec<(usize, Result<Response, GraphError>)> {
        match unit {
            crate::batch::Unit::Batch(chunk) => crate::batch::run(&self, chunk).await,
            crate::batch::Unit::Alone(requests) => self.run_alone(requests).await,
        }
    }

    /// Sends requests one per HTTP request, concurrently; a request whose dependency failed
    /// is not sent and fails with 424. Dependencies point at earlier indexes (checked by the
    /// planner), so the lowest remaining index is always ready and each pass makes progress.
    async fn run_alone(
        self: Arc<Self>,
        requests: Vec<(usize, Request)>,
    ) -> Vec<(usize, Result<Response, GraphError>)> {
        let mut done: BTreeMap<usize, Result<Response, GraphError>> = BTreeMap::new();
        let mut remaining = requests;
        while !remaining.is_empty() {
            let mut tasks = JoinSet::new();
            let mut waiting = Vec::new();
            for (index, request) in remaining {
                let deps = request.dependencies();
                if !deps.iter().all(|d| done.contains_key(d)) {
                    waiting.push((index, request));
                } else if let Some(failed) = deps.iter().find(|d| done[*d].is_err()) {
                    done.insert(index, Err(failed_dependency(&request, *failed)));
                } else {
                    let inner = Arc::clone(&self);
                    tasks.spawn(async move { (index, inner.send_alone(&request).await) });
                }
            }
            while let Some(joined) = tasks.join_next().await {
                match joined {
                    Ok((index, result)) => {
                        done.insert(index, result);
                    }
                    Err(err) => {
                        if let Ok(panic) = err.try_into_panic() {
                            std::panic::resume_unwind(panic);
                        }
                    }
                }
            }
            remaining = waiting;
        }
        done.into_iter().collect()
    }
}

fn response_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect()
}

/// Follows redirects only within one scheme, host and port. A 307 or 308 elsewhere would carry
/// the request's body (a token request's client secret or assertion, an identity provider's
/// secret) to a host nobody configured, perhaps over plain http; reqwest only drops the
/// `Authorization` header. The redirect comes back as the answer instead.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    /// reqwest's own default limit.
    const MOST_REDIRECTS: usize = 10;
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().last().is_some_and(|previous| {
            previous.scheme() == attempt.url().scheme()
                && previous.host_str() == attempt.url().host_str()
                && previous.port_or_known_default() == attempt.url().port_or_known_default()
        });
        if same_origin && attempt.previous().len() <= MOST_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// An error and its sources, `: `-separated. reqwest errors come here only through
/// `without_url()`: no URL (and no query) is shown.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Whether a Graph root is on this machine (`localhost`, `127.x.x.x`, `[::1]`).
fn is_loopback_root(root: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(root) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An answer from Graph: a top-level response or one `$batch` item's.
#[derive(Clone)]
pub struct Response {
    status: u16,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
    body: Bytes,
    method: String,
    path: String,
}

impl Response {
    pub(crate) fn new(
        status: u16,
        headers: Vec<(String, String)>,
        body: Bytes,
        method: &str,
        request: &Request,
    ) -> Self {
        Self {
            status,
            headers: headers
                .into_iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v))
                .collect(),
            body,
            method: method.to_owned(),
            path: request.display_path(),
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    /// A header's value, the name compared ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// Graph's `request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.header("request-id")
    }

    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    pub fn into_bytes(self) -> Bytes {
        self.body
    }

    /// The body as `T`. Nothing is unwrapped: a `{"value": {...}}` entity (REFERENCE.md §15,
    /// §16.4) is the caller's to recognise.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, GraphError> {
        serde_json::from_slice(&self.body)
            .map_err(|err| self.invalid(format!("the body is not the JSON expected: {err}")))
    }

    /// The body as JSON; `null` for an empty body (a 204).
    pub fn value(&self) -> Result<serde_json::Value, GraphError> {
        if self.body.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        self.json()
    }

    /// The same answer, told as the answer to `request` (a whole batch's failure, given to
    /// each of its items).
    pub(crate) fn relabelled(&self, request: &Request) -> Response {
        Response {
            method: request.method().as_str().to_owned(),
            path: request.display_path(),
            ..self.clone()
        }
    }

    pub(crate) fn invalid(&self, message: impl Into<String>) -> GraphError {
        let mut failure = Failure::new(&self.method, &self.path).saying(message);
        failure.status = Some(self.status);
        failure.request_id = self.request_id().map(str::to_owned);
        GraphError::InvalidResponse(Box::new(failure))
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("request", &format_args!("{} {}", self.method, self.path))
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("content_type", &self.content_type())
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_roots_are_recognised() {
        for root in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:2",
        ] {
            assert!(is_loopback_root(root), "{root}");
        }
        for root in ["https://graph.microsoft.com", "http://10.1.1.1"] {
            assert!(!is_loopback_root(root), "{root}");
        }
    }
}
