//! OData conventions shared by every route: context URLs, collections and paging, `$ref`
//! targets, type names, timestamps.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::error::GraphError;
use crate::request::{ApiVersion, GraphRequest, GraphResponse};

/// The public root every `@odata.context` and `@odata.nextLink` is built on. Graph always names
/// its own host here; the emulator names the address it listens on so that clients that follow
/// `@odata.nextLink` verbatim come back to it.
#[derive(Debug, Clone)]
pub(crate) struct BaseUrl(pub String);

impl BaseUrl {
    /// `{base}/{version}/$metadata#{fragment}`.
    pub(crate) fn context(&self, version: ApiVersion, fragment: &str) -> String {
        format!("{}/{}/$metadata#{fragment}", self.0, version.as_str())
    }
}

/// A collection response, paged when the client asked for a page size with `$top` or the
/// emulator runs with a default page size. `$skiptoken` carries the offset; clients must treat
/// it as opaque and follow `@odata.nextLink` verbatim (REFERENCE.md §12.3).
pub(crate) fn collection(
    base: &BaseUrl,
    req: &GraphRequest,
    context_fragment: &str,
    items: Vec<Value>,
    default_page_size: Option<usize>,
) -> Result<GraphResponse, GraphError> {
    let page_size = match req.query_param("$top") {
        Some(top) => Some(
            top.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    GraphError::bad_request(format!("Invalid value '{top}' for query option $top."))
                })?,
        ),
        None => default_page_size,
    };
    let skip = match req.query_param("$skiptoken") {
        Some(token) => token
            .parse::<usize>()
            .map_err(|_| GraphError::bad_request("The $skiptoken is not valid."))?,
        None => 0,
    };
    let total = items.len();
    // `$top` and `$skiptoken` are client text: their sum may not fit.
    let end = page_size.map_or(total, |size| skip.saturating_add(size).min(total));
    let page: Vec<Value> = items
        .into_iter()
        .skip(skip)
        .take(end.saturating_sub(skip))
        .collect();
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(base.context(req.version, context_fragment)),
    );
    body.insert("value".into(), Value::Array(page));
    if end < total {
        let mut query: Vec<(String, String)> = req
            .query
            .iter()
            .filter(|(k, _)| k != "$skiptoken")
            .cloned()
            .collect();
        if let Some(size) = page_size
            && req.query_param("$top").is_none()
        {
            query.push(("$top".into(), size.to_string()));
        }
        query.push(("$skiptoken".into(), end.to_string()));
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        let next = format!(
            "{}/{}{}?{encoded}",
            base.0,
            req.version.as_str(),
            req.path()
        );
        body.insert("@odata.nextLink".into(), json!(next));
    }
    Ok(GraphResponse::ok(Value::Object(body)))
}

/// The key an `@odata.id` (or `@odata.bind`) URL names in one of `sets`: any host, with or
/// without a version segment, the key as the last segment or in `set('key')` form.
pub(crate) fn ref_key(url: &str, sets: &[&[&str]]) -> Result<String, GraphError> {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map_or("", |(_, path)| path),
        None => url,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut segments = crate::request::decoded_segments(path);
    if let Some(version) = segments.iter().position(|s| ApiVersion::parse(s).is_some()) {
        segments.drain(..=version);
    }
    if let Some((set, key)) = segments
        .last()
        .and_then(|last| last.strip_suffix("')"))
        .and_then(|last| last.split_once("('"))
        .map(|(set, key)| (set.to_owned(), key.replace("''", "'")))
    {
        segments.pop();
        segments.push(set);
        segments.push(key);
    }
    let expected = || {
        sets.iter()
            .map(|set| format!("/{}/{{id}}", set.join("/")))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match segments.split_last() {
        Some((key, parent))
            if !key.is_empty()
                && sets.iter().any(|set| {
                    set.len() == parent.len()
                        && set
                            .iter()
                            .zip(parent)
                            .all(|(a, b)| a.eq_ignore_ascii_case(b))
                }) =>
        {
            Ok(key.clone())
        }
        _ => Err(GraphError::bad_request(format!(
            "'{url}' is not a reference this navigation takes; expected a URL ending in {}.",
            expected()
        ))),
    }
}

/// The key named by the `@odata.id` of a `$ref` request body.
pub(crate) fn body_ref(req: &GraphRequest, sets: &[&[&str]]) -> Result<String, GraphError> {
    let body = req.json_object()?;
    let url = body
        .get("@odata.id")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::bad_request("A $ref request body needs '@odata.id'."))?;
    ref_key(url, sets)
}

/// Normalises an `@odata.type` for comparison: Graph accepts it with or without the leading `#`
/// and matches type names case-insensitively (REFERENCE.md §0.3; the docs send
/// `#microsoft.graph.OidcIdentityProvider`).
pub(crate) fn normalize_type(odata_type: &str) -> String {
    odata_type.trim_start_matches('#').to_ascii_lowercase()
}

/// The canonical `@odata.type` value for a `microsoft.graph` type name.
pub(crate) fn type_value(type_name: &str) -> String {
    format!("#microsoft.graph.{type_name}")
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the shape of `innerError.date`.
pub(crate) fn utc_timestamp(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm; avoids a date crate for one timestamp format.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of the page `collection` answers for `query` over items `0..count`, and whether
    /// it has a next link.
    fn page(query: &str, count: usize) -> (Vec<Value>, bool) {
        let req = GraphRequest::new(
            http::Method::GET,
            ApiVersion::V1,
            &format!("/identity/identityProviders?{query}"),
            http::HeaderMap::new(),
            bytes::Bytes::new(),
            "request".to_owned(),
        );
        let items = (0..count).map(|i| json!(i)).collect();
        let base = BaseUrl("http://127.0.0.1:1".to_owned());
        let resp = collection(&base, &req, "identityProviders", items, None).expect("a page");
        let body = resp.json_body().expect("a JSON page");
        let value = body["value"].as_array().expect("a value array").clone();
        (value, body.get("@odata.nextLink").is_some())
    }

    #[test]
    fn page_sizes_and_skip_tokens_at_the_end_of_their_range_answer_a_page() {
        let max = usize::MAX;
        assert_eq!(
            page(&format!("$top={max}&$skiptoken=1"), 3),
            (vec![json!(1), json!(2)], false)
        );
        assert_eq!(
            page(&format!("$top=1&$skiptoken={max}"), 3),
            (vec![], false)
        );
        assert_eq!(
            page("$top=2&$skiptoken=1", 4),
            (vec![json!(1), json!(2)], true)
        );
    }

    #[test]
    fn utc_timestamp_formats_like_inner_error_date() {
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_597_755_111);
        assert_eq!(utc_timestamp(t), "2020-08-18T12:51:51");
    }

    #[test]
    fn ref_keys_are_found_on_any_host_with_or_without_a_version() {
        let sets: &[&[&str]] = &[&["identity", "customAuthenticationExtensions"]];
        for url in [
            "https://graph.microsoft.com/beta/identity/customAuthenticationExtensions/abc",
            "http://127.0.0.1:8080/v1.0/Identity/CustomAuthenticationExtensions/abc?x=1",
            "/identity/customAuthenticationExtensions('abc')",
            "identity/customAuthenticationExtensions/ab%63",
        ] {
            assert_eq!(ref_key(url, sets).as_deref(), Ok("abc"), "{url}");
        }
        assert_eq!(
            ref_key("/identity/customAuthenticationExtensions('O''Brien')", sets).as_deref(),
            Ok("O'Brien")
        );
        for url in [
            "https://graph.microsoft.com/beta/customAuthenticationExtensions/abc",
            "/identity/userFlowAttributes/abc",
            "/identity/customAuthenticationExtensions/",
        ] {
            let err = ref_key(url, sets).expect_err(url);
            assert_eq!(err.code, "invalidRequest", "{url}");
        }
    }

    #[test]
    fn normalize_type_ignores_hash_and_case() {
        assert_eq!(
            normalize_type("#microsoft.graph.OidcIdentityProvider"),
            normalize_type("microsoft.graph.oidcIdentityProvider")
        );
    }
}
