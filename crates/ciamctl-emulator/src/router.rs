//! The route table and the dispatcher.
//!
//! Routes are data: each [`Route`] names its method, path pattern, the application permissions
//! that allow it, the contract section it implements and a one-line behaviour. The crate docs'
//! route table is written from these entries, and a test keeps the two in step.
//!
//! A pattern is a `/`-separated list of segments. A segment is either literal (matched
//! case-insensitively, as Graph does) or contains one `{name}` placeholder, optionally between a
//! literal prefix and suffix (`applications(appId='{appId}')`). When several routes match, the
//! one with the most literal segments wins, so `identityProviders/availableProviderTypes` beats
//! `identityProviders/{id}`.

use http::Method;

use crate::Ctx;
use crate::error::GraphError;
use crate::request::{GraphRequest, GraphResponse};

/// A handler: it gets the shared context, the request and the path parameters.
pub(crate) type Handler = fn(&Ctx, &GraphRequest, &Params) -> Result<GraphResponse, GraphError>;

/// One row of the route table.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) method: Method,
    /// Path relative to the version root, without a leading `/`.
    pub(crate) path: &'static str,
    /// Application permissions, any of which allows the call; the first is the least
    /// privileged one REFERENCE.md names. A `*.Read.All` permission is also satisfied by the
    /// matching `*.ReadWrite.All`.
    pub(crate) permissions: &'static [&'static str],
    /// The REFERENCE.md section this route implements, e.g. `§1.1`.
    pub(crate) section: &'static str,
    /// What the route does, for the route table in the crate docs.
    pub(crate) behaviour: &'static str,
    pub(crate) handler: Handler,
}

/// Path parameters captured by a route's placeholders.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Params(Vec<(&'static str, String)>);

impl Params {
    /// The value of placeholder `{name}`. Every handler only asks for placeholders its own
    /// pattern declares, so a miss is a bug in the route table; it answers 400 rather than
    /// panicking.
    pub(crate) fn get(&self, name: &str) -> Result<&str, GraphError> {
        self.0
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| GraphError::bad_request(format!("missing path parameter {name}")))
    }
}

/// Every route the emulator serves, in the order of the crate docs' route table.
pub(crate) fn routes() -> Vec<&'static Route> {
    crate::routes::ALL
        .iter()
        .flat_map(|group| group.iter())
        .collect()
}

/// One row of the public route table: what a route serves, without its handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    /// Path relative to the version root, e.g. `identity/authenticationEventsFlows/{id}`.
    pub path: &'static str,
    pub permissions: &'static [&'static str],
    pub section: &'static str,
    pub behaviour: &'static str,
}

/// The route table, for the crate docs and for tests that check every route.
pub fn route_table() -> Vec<RouteInfo> {
    routes()
        .into_iter()
        .map(|r| RouteInfo {
            method: r.method.as_str(),
            path: r.path,
            permissions: r.permissions,
            section: r.section,
            behaviour: r.behaviour,
        })
        .collect()
}

/// How one request segment matched one pattern segment.
#[derive(Debug, PartialEq, Eq)]
enum SegmentMatch {
    Literal,
    Placeholder(&'static str, String),
}

fn match_segment(pattern: &'static str, segment: &str) -> Option<SegmentMatch> {
    match (pattern.find('{'), pattern.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let prefix = &pattern[..open];
            let suffix = &pattern[close + 1..];
            let name = &pattern[open + 1..close];
            // `get`, not indexing: a segment is decoded client text, and a byte offset taken
            // from the pattern may fall inside one of its multi-byte characters.
            let value = segment
                .len()
                .checked_sub(suffix.len())
                .filter(|end| *end > prefix.len())
                .and_then(|end| segment.get(prefix.len()..end))?;
            let fits = segment
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                && segment
                    .get(segment.len() - suffix.len()..)
                    .is_some_and(|s| s.eq_ignore_ascii_case(suffix));
            fits.then(|| SegmentMatch::Placeholder(name, value.to_owned()))
        }
        _ => pattern
            .eq_ignore_ascii_case(segment)
            .then_some(SegmentMatch::Literal),
    }
}

/// Matches a route's pattern against request segments: the captured parameters and the number
/// of literal segments, or `None`.
fn match_path(route: &'static Route, segments: &[String]) -> Option<(Params, usize)> {
    let pattern: Vec<&'static str> = route.path.split('/').collect();
    if pattern.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut literals = 0;
    for (p, s) in pattern.into_iter().zip(segments) {
        match match_segment(p, s)? {
            SegmentMatch::Placeholder(name, value) => params.push((name, value)),
            SegmentMatch::Literal => literals += 1,
        }
    }
    Some((Params(params), literals))
}

/// The route serving this request, or the error Graph gives when there is none.
pub(crate) fn resolve(req: &GraphRequest) -> Result<(&'static Route, Params), GraphError> {
    let mut best: Option<(&'static Route, Params, usize)> = None;
    let mut path_matched = false;
    for route in routes() {
        if let Some((params, literals)) = match_path(route, &req.segments) {
            path_matched = true;
            if route.method == req.method && best.as_ref().is_none_or(|b| literals > b.2) {
                best = Some((route, params, literals));
            }
        }
    }
    match best {
        Some((route, params, _)) => Ok((route, params)),
        None if path_matched => Err(GraphError::method_not_allowed()),
        None => Err(GraphError::unknown_segment(
            req.segments.last().map_or("", String::as_str),
        )),
    }
}

/// Answers one Graph request: route, authorise, run the handler, render errors.
pub(crate) fn dispatch(ctx: &Ctx, req: &GraphRequest) -> GraphResponse {
    let result = resolve(req).and_then(|(route, params)| {
        let _claims = crate::auth::authorize(ctx, req, route.permissions)?;
        (route.handler)(ctx, req, &params)
    });
    result.unwrap_or_else(|err| err.into_response(&req.request_id, req.header("client-request-id")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_segments_capture_between_prefix_and_suffix() {
        assert_eq!(
            match_segment("applications(appId='{appId}')", "applications(appId='abc')"),
            Some(SegmentMatch::Placeholder("appId", "abc".to_owned()))
        );
        assert_eq!(
            match_segment("{id}", "x"),
            Some(SegmentMatch::Placeholder("id", "x".to_owned()))
        );
        assert_eq!(
            match_segment("identity", "IDENTITY"),
            Some(SegmentMatch::Literal)
        );
        assert_eq!(match_segment("identity", "identities"), None);
        // `é` spans the prefix's last byte: no match, and no panic.
        assert_eq!(
            match_segment("applications(appId='{appId}')", "applications(appId=éxx')"),
            None
        );
    }
}
