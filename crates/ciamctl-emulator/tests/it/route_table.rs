//! The crate docs' route table is generated from `route_table()`; this test regenerates it and
//! fails when `src/lib.rs` is stale, or rewrites it when `CIAMCTL_UPDATE_DOCS=1` (ruff's
//! pattern). It also checks what every row must say.

#![cfg(test)]

use std::fmt::Write as _;
use std::path::PathBuf;

use ciamctl_emulator::route_table;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::populated::{Sample, concrete, fill_in, populate, sample};
use crate::support::{TestEmulator, read};

const BEGIN: &str = "//! <!-- route table: generated from route_table() by tests/it/route_table.rs; run the tests with CIAMCTL_UPDATE_DOCS=1 to rewrite it -->\n";
const END: &str = "//! <!-- end of route table -->\n";

/// The table as doc-comment lines.
fn rendered_table() -> String {
    let mut table = String::from(
        "//! | method | path | permission | behaviour | contract |\n//! |---|---|---|---|---|\n",
    );
    for route in route_table() {
        let permissions: Vec<String> = route.permissions.iter().map(|p| format!("`{p}`")).collect();
        writeln!(
            table,
            "//! | `{}` | `/{}` | {} | {} | {} |",
            route.method,
            route.path,
            permissions.join(", "),
            route.behaviour.replace('|', "\\|").replace('\n', " "),
            route.section,
        )
        .unwrap();
    }
    table
}

#[test]
fn crate_docs_route_table_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let source = std::fs::read_to_string(&path).unwrap();
    let start = source
        .find(BEGIN)
        .expect("lib.rs has the route table's start marker")
        + BEGIN.len();
    let end = start
        + source[start..]
            .find(END)
            .expect("lib.rs has the route table's end marker");
    let expected = rendered_table();
    if source[start..end] == expected {
        return;
    }
    if std::env::var_os("CIAMCTL_UPDATE_DOCS").is_some_and(|v| v == "1") {
        let updated = format!("{}{expected}{}", &source[..start], &source[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "the route table in src/lib.rs is stale; run `CIAMCTL_UPDATE_DOCS=1 cargo test -p ciamctl-emulator --test it route_table` to rewrite it"
    );
}

#[test]
fn every_route_names_permissions_a_contract_section_and_its_behaviour() {
    for route in route_table() {
        let name = format!("{} {}", route.method, route.path);
        assert!(!route.permissions.is_empty(), "{name}: no permission");
        assert!(
            route.section.starts_with('§'),
            "{name}: section {:?}",
            route.section
        );
        assert!(
            route.behaviour.len() > 10,
            "{name}: behaviour {:?}",
            route.behaviour
        );
        assert!(
            !route.path.starts_with('/'),
            "{name}: paths are relative to the version root"
        );
    }
}

#[test]
fn no_two_routes_serve_the_same_method_and_path() {
    let mut seen = std::collections::BTreeSet::new();
    for route in route_table() {
        let key = (route.method, route.path.to_ascii_lowercase());
        assert!(seen.insert(key.clone()), "{key:?} is in the table twice");
    }
}

// --- Robustness: bad requests at every route ---------------------------------------------------

/// Path segments and placeholder values no object has and no route expects: escapes that do
/// not decode (or decode to invalid UTF-8, NUL or `/`), quotes, non-ASCII text (one whose byte
/// length puts a character across the end of a route's literal prefix), and a long one.
fn nasty_segments() -> Vec<String> {
    vec![
        "%FF".to_owned(),
        "%00".to_owned(),
        "%2F".to_owned(),
        "%E2%82".to_owned(),
        "%ZZ".to_owned(),
        "%".to_owned(),
        "'".to_owned(),
        "O''Brien')".to_owned(),
        format!("a{}", "é".repeat(12)),
        "x€".to_owned(),
        "日本語".to_owned(),
        "%20".to_owned(),
        "a".repeat(10_000),
    ]
}

/// Query strings no collection should answer with a 5xx: filters that do not parse, nest
/// deeper than any client writes or hold non-ASCII and undecodable escapes, page sizes and
/// skip tokens at the ends of their range, and options with undecodable names and values.
fn nasty_queries() -> Vec<String> {
    let enc = |text: &str| crate::support::encoded(text);
    vec![
        format!("$filter={}", enc("displayName eq 'Ünïcødé ☃'")),
        format!("$filter={}", enc("displayName eq 'x' and")),
        format!("$filter={}", enc("'")),
        format!(
            "$filter={}",
            enc("displayName eq 123456789012345678901234567890")
        ),
        format!("$filter={}", enc("priority gt -")),
        "$filter=%FF%FE".to_owned(),
        "$filter=%".to_owned(),
        format!("$filter={}true{}", "(".repeat(20_000), ")".repeat(20_000)),
        format!("$filter={}true", "not%20".repeat(8_000)),
        format!(
            "$filter={}",
            enc(&format!(
                "{}x eq 1{}",
                "a/any(x:".repeat(3_000),
                ")".repeat(3_000)
            ))
        ),
        "$top=18446744073709551615&$skiptoken=1".to_owned(),
        "$top=1&$skiptoken=18446744073709551615".to_owned(),
        "$top=-1".to_owned(),
        "$top=0".to_owned(),
        "$top=99999999999999999999999".to_owned(),
        "$skiptoken=%FF".to_owned(),
        format!("$select={}", enc("é,,displayName")),
        format!("$orderby={}", enc("é desc")),
        format!("$expand={}", enc("é")),
        "%FF=1".to_owned(),
        "$top=1&$top=2".to_owned(),
    ]
}

/// JSON bodies no write route takes: not JSON, not an object, nested past any limit, invalid
/// UTF-8.
fn malformed_bodies() -> Vec<Vec<u8>> {
    let deep = format!(
        "{{\"displayName\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    vec![
        b"{\"displayName\":".to_vec(),
        b"not json".to_vec(),
        b"[]".to_vec(),
        b"5".to_vec(),
        b"\"text\"".to_vec(),
        b"null".to_vec(),
        b"true".to_vec(),
        b"{\"displayName\":\"\xFF\xFE\"}".to_vec(),
        deep.into_bytes(),
        Vec::new(),
    ]
}

/// The values a body's members are replaced with, one at a time.
fn replacements() -> Vec<Value> {
    vec![
        json!(5),
        json!(true),
        json!("x"),
        json!([]),
        json!({}),
        Value::Null,
        json!([5]),
        json!("ü".repeat(50_000)),
    ]
}

/// The bytes of a PNG the emulator reads: the signature and the IHDR chunk.
const PNG_HEADER: usize = 33;

/// Every body that differs from `body` in one place: each member of an object and each element
/// of an array, at any depth, replaced by each of [`replacements`]. With each, where it is and
/// whether the replacement has another JSON type than the value it replaces (not `null`, which
/// a nullable property takes), which no `OData` service accepts.
fn mutations(body: &Value) -> Vec<(String, Value, bool)> {
    let mut out = Vec::new();
    let mut places = Vec::new();
    collect_places(body, &mut Vec::new(), &mut places);
    for place in places {
        let original = pointer(body, &place).clone();
        for replacement in replacements() {
            let mut mutated = body.clone();
            *pointer_mut(&mut mutated, &place) = replacement.clone();
            let wrong_type = !replacement.is_null()
                && !original.is_null()
                && std::mem::discriminant(&replacement) != std::mem::discriminant(&original);
            let shown: String = replacement.to_string().chars().take(20).collect();
            out.push((
                format!("{} = {shown}", place.join(".")),
                mutated,
                wrong_type,
            ));
        }
    }
    out
}

/// One step into a JSON value: a member name or an array index.
type Place = Vec<String>;

fn collect_places(value: &Value, at: &mut Place, out: &mut Vec<Place>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        at.push(key);
        out.push(at.clone());
        collect_places(child, at, out);
        at.pop();
    }
}

fn pointer<'v>(value: &'v Value, place: &[String]) -> &'v Value {
    place.iter().fold(value, |v, key| match v {
        Value::Array(items) => &items[key.parse::<usize>().expect("an index")],
        _ => &v[key.as_str()],
    })
}

fn pointer_mut<'v>(value: &'v mut Value, place: &[String]) -> &'v mut Value {
    place.iter().fold(value, |v, key| match v {
        Value::Array(items) => &mut items[key.parse::<usize>().expect("an index")],
        _ => &mut v[key.as_str()],
    })
}

/// Sends requests and notes every answer that is a 5xx, has no Graph error body with a 4xx, or
/// never comes (a dropped connection: the handler panicked).
struct Prober<'t> {
    t: &'t TestEmulator,
    problems: Vec<String>,
    sent: usize,
}

impl Prober<'_> {
    /// Sends `method /v1.0/{path_and_query}` with `Accept-Language: 0` and `body`; returns the
    /// status, or `None` when no answer came.
    async fn send(
        &mut self,
        method: &str,
        path_and_query: &str,
        body: Option<(&str, Vec<u8>)>,
        what: &str,
    ) -> Option<u16> {
        self.sent += 1;
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let url = self.t.url(&format!("/v1.0/{path_and_query}"));
        let mut request = self
            .t
            .http
            .request(method.clone(), &url)
            .bearer_auth(&self.t.token)
            .header("Accept-Language", "0");
        if let Some((content_type, bytes)) = body {
            request = request.header("Content-Type", content_type).body(bytes);
        }
        let shown: String = path_and_query.chars().take(160).collect();
        let resp = match request.send().await {
            Ok(resp) => read(resp).await,
            Err(err) => {
                self.problems
                    .push(format!("{method} {shown} ({what}): no answer: {err}"));
                return None;
            }
        };
        if resp.status >= 500 {
            self.problems.push(format!(
                "{method} {shown} ({what}): {} {}",
                resp.status, resp.json
            ));
        } else if resp.status >= 400 && resp.json["error"]["code"].as_str().is_none() {
            self.problems.push(format!(
                "{method} {shown} ({what}): {} without Graph's error body",
                resp.status
            ));
        }
        Some(resp.status)
    }

    /// Notes `status` unless it is `expected`.
    fn expect(&mut self, status: Option<u16>, expected: u16, what: impl std::fmt::Display) {
        if let Some(status) = status
            && status != expected
        {
            self.problems
                .push(format!("{what}: {status}, expected {expected}"));
        }
    }
}

/// A JSON body as bytes, with its media type.
fn json_bytes(value: &Value) -> (&'static str, Vec<u8>) {
    (
        "application/json",
        serde_json::to_vec(value).expect("JSON serialises"),
    )
}

/// Every route of `route_table()` is answered with a status, never a 5xx or a dropped
/// connection, whatever a client sends: write routes get malformed JSON, non-object bodies,
/// bodies nested past any limit, invalid UTF-8, and their accepted body with each member at any
/// depth replaced by a value of another JSON type (400, as Graph's `OData` layer refuses them),
/// by `null` or by a very long string; stream routes get truncated and foreign bytes; every
/// route gets undecodable escapes, quotes and non-ASCII text in each of its segments; every
/// GET route gets filters that do not parse or nest deeply, and extreme page sizes.
#[tokio::test]
async fn every_route_answers_bad_requests_with_4xx_and_never_fails() {
    let t = TestEmulator::start().await;
    let walked = populate(&t).await;
    let mut probe = Prober {
        t: &t,
        problems: Vec::new(),
        sent: 0,
    };
    let routes = route_table();
    let fill = |path: &str| concrete(&t, &walked, path);

    for route in routes
        .iter()
        .filter(|r| matches!(r.method, "POST" | "PATCH" | "PUT"))
    {
        let Some(sample) = sample(route.method, route.path, &walked) else {
            probe.problems.push(format!(
                "{} {}: no sample body in this test's table",
                route.method, route.path
            ));
            continue;
        };
        let path = fill(route.path);
        for body in malformed_bodies() {
            let what = format!(
                "body {:?}",
                String::from_utf8_lossy(&body[..body.len().min(24)])
            );
            let status = probe
                .send(route.method, &path, Some(("application/json", body)), &what)
                .await;
            if !matches!(sample, Sample::Nothing) {
                probe.expect(status, 400, format!("{} {path} with {what}", route.method));
            }
        }
        match sample {
            Sample::Json(body) => {
                let status = probe
                    .send(route.method, &path, Some(json_bytes(&body)), "sample")
                    .await;
                if !status.is_some_and(|s| (200..300).contains(&s)) {
                    probe.problems.push(format!(
                        "{} {path}: the sample body is refused ({status:?})",
                        route.method
                    ));
                }
                for (what, mutated, wrong_type) in mutations(&body) {
                    let status = probe
                        .send(route.method, &path, Some(json_bytes(&mutated)), &what)
                        .await;
                    if wrong_type {
                        probe.expect(status, 400, format!("{} {path} with {what}", route.method));
                    }
                }
            }
            Sample::Bytes(content_type, bytes) => {
                let status = probe
                    .send(
                        route.method,
                        &path,
                        Some((content_type, bytes.clone())),
                        "sample",
                    )
                    .await;
                probe.expect(
                    status,
                    204,
                    format!("{} {path} with the sample", route.method),
                );
                // The emulator reads an image's header only (the PNG signature and its IHDR
                // chunk, 33 bytes), as far as the contract's limits need; a cut inside it is
                // no image.
                for len in 1..PNG_HEADER {
                    let status = probe
                        .send(
                            route.method,
                            &path,
                            Some((content_type, bytes[..len].to_vec())),
                            "a truncated image",
                        )
                        .await;
                    probe.expect(
                        status,
                        400,
                        format!("{} {path} truncated to {len} bytes", route.method),
                    );
                }
                let foreign: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
                for content_type in [
                    "image/png",
                    "image/jpeg",
                    "text/css",
                    "application/octet-stream",
                ] {
                    let status = probe
                        .send(
                            route.method,
                            &path,
                            Some((content_type, foreign.clone())),
                            "foreign bytes",
                        )
                        .await;
                    probe.expect(
                        status,
                        400,
                        format!(
                            "{} {path} with foreign bytes as {content_type}",
                            route.method
                        ),
                    );
                }
            }
            Sample::Nothing => {}
        }
    }

    for route in &routes {
        let sample = sample(route.method, route.path, &walked);
        let body = match &sample {
            Some(Sample::Json(body)) => Some(json_bytes(body)),
            Some(Sample::Bytes(content_type, bytes)) => Some((*content_type, bytes.clone())),
            Some(Sample::Nothing) | None => None,
        };
        let segments: Vec<&str> = route.path.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            for nasty in nasty_segments() {
                let filled = fill(route.path);
                let mut path: Vec<&str> = filled.split('/').collect();
                let replaced = if segment.contains('{') {
                    fill_in(segment, |_| nasty.clone())
                } else {
                    nasty.clone()
                };
                path[i] = &replaced;
                let what = format!(
                    "segment {i} {:?}",
                    nasty.chars().take(24).collect::<String>()
                );
                let status = probe
                    .send(route.method, &path.join("/"), body.clone(), &what)
                    .await;
                if status.is_some_and(|s| s < 400) {
                    probe.problems.push(format!(
                        "{} {} ({what}): {status:?}, expected a 4xx",
                        route.method, route.path
                    ));
                }
            }
        }
    }

    for route in routes.iter().filter(|r| r.method == "GET") {
        let path = fill(route.path);
        for query in nasty_queries() {
            let what = format!("query {:?}", query.chars().take(40).collect::<String>());
            probe
                .send("GET", &format!("{path}?{query}"), None, &what)
                .await;
        }
    }

    let sent = probe.sent;
    assert!(
        probe.problems.is_empty(),
        "{} of {sent} bad requests were mishandled:\n  {}",
        probe.problems.len(),
        probe.problems.join("\n  ")
    );
}
