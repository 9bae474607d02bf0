//! The answers of one round of reads ([`GraphClient::read`]), handed out by position and
//! parsed into known or unknown kinds.

use std::ops::Range;

use ciamctl_graph::{GraphClient, GraphError, Read, ReadAnswer, Request};
use ciamctl_live::{Known, ParseError};
use serde_json::Value;

use crate::fetch::unexpected;

/// The answers of a round, in the order of its reads; each is taken once.
#[derive(Debug)]
pub(crate) struct Answers(Vec<Option<(Request, Result<ReadAnswer, GraphError>)>>);

/// Sends `reads` as one round (collections followed to their last page).
pub(crate) async fn round(client: &GraphClient, reads: Vec<Read>) -> Answers {
    let requests: Vec<Request> = reads
        .iter()
        .map(|read| match read {
            Read::Collection(request) | Read::Single(request) => request.clone(),
        })
        .collect();
    let answers = client.read(reads).await;
    Answers(requests.into_iter().zip(answers).map(Some).collect())
}

impl Answers {
    /// The first answer that refused the token (401): then the token failed, not a kind, and
    /// nothing read with it says anything about the tenant.
    pub(crate) fn unauthorized(&self) -> Option<GraphError> {
        self.0
            .iter()
            .flatten()
            .find_map(|(_, answer)| match answer {
                Err(error) if error.status() == Some(401) => Some(error.clone()),
                _ => None,
            })
    }

    /// The answer at `index`, with its request.
    pub(crate) fn take(&mut self, index: usize) -> (Request, Result<ReadAnswer, GraphError>) {
        self.0
            .get_mut(index)
            .and_then(Option::take)
            .unwrap_or_else(|| {
                let error = GraphError::Client {
                    reason: format!("internal: no answer {index} in this round"),
                };
                (Request::get("/"), Err(error))
            })
    }

    /// The collection at `index`, parsed.
    pub(crate) fn items<T>(
        &mut self,
        index: usize,
        parse: impl FnOnce(&[Value]) -> Result<T, ParseError>,
    ) -> Known<T> {
        match self.take(index) {
            (request, Ok(ReadAnswer::Items(items))) => match parse(&items) {
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
