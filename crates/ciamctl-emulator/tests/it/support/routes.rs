//! Which row of `ciamctl_emulator::route_table()` serves a request, matched as the crate docs
//! say the router matches: literal segments ignore case, a `{name}` placeholder (between an
//! optional literal prefix and suffix) takes one segment, and the route with the most literal
//! segments wins. Tests use it to know which routes they have exercised.

use ciamctl_emulator::{RouteInfo, route_table};

/// `Some(true)` when `segment` matches the literal `pattern`, `Some(false)` when it fills the
/// pattern's placeholder, `None` when it does not match.
fn match_segment(pattern: &str, segment: &str) -> Option<bool> {
    match (pattern.find('{'), pattern.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let (prefix, suffix) = (&pattern[..open], &pattern[close + 1..]);
            let fits = segment.len() > prefix.len() + suffix.len()
                && segment
                    .get(..prefix.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                && segment
                    .get(segment.len() - suffix.len()..)
                    .is_some_and(|s| s.eq_ignore_ascii_case(suffix));
            fits.then_some(false)
        }
        _ => pattern.eq_ignore_ascii_case(segment).then_some(true),
    }
}

/// The number of literal segments when `pattern` matches `path`.
fn literal_segments(pattern: &str, path: &str) -> Option<usize> {
    let (pattern, path): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.split('/').collect());
    if pattern.len() != path.len() {
        return None;
    }
    let mut literals = 0;
    for (p, s) in pattern.iter().zip(&path) {
        literals += usize::from(match_segment(p, s)?);
    }
    Some(literals)
}

/// The route serving `method path`, where `path` is relative to the version root and has no
/// query (`identity/userFlowAttributes/city`). Panics when two routes match equally well.
#[track_caller]
pub fn route_for(method: &str, path: &str) -> Option<RouteInfo> {
    let mut best: Option<(usize, RouteInfo)> = None;
    let mut tied = false;
    for route in route_table() {
        if route.method != method {
            continue;
        }
        let Some(literals) = literal_segments(route.path, path) else {
            continue;
        };
        match &best {
            Some((most, _)) if *most > literals => {}
            Some((most, _)) if *most == literals => tied = true,
            _ => {
                best = Some((literals, route));
                tied = false;
            }
        }
    }
    assert!(!tied, "{method} {path} matches two routes equally well");
    best.map(|(_, route)| route)
}
