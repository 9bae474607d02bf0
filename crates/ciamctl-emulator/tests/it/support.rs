//! What every emulator test needs: a started emulator, a token, requests and their answers, and
//! the contract's example bodies read from `../shared` at test time. The submodules hold what
//! several test modules build: objects to create (`fixtures`), limited-role clients (`roles`),
//! branding requests (`branding`), images (`images`), batches (`batch`), the CSDL (`csdl`), a
//! tenant with one object of every kind (`populated`) and the route table matcher (`routes`).

// Helpers are `pub` so every test module can use them; the test binary exports nothing.
#![allow(unreachable_pub)]
// Marks the helpers as test code, so clippy's `allow-print-in-tests` covers the skip notes.
#![cfg(test)]

pub mod batch;
pub mod branding;
pub mod csdl;
pub mod fixtures;
pub mod images;
pub mod populated;
pub mod roles;
pub mod routes;

use std::path::{Path, PathBuf};

use ciamctl_emulator::{Emulator, EmulatorConfig, Faults};
use reqwest::Method;
use serde_json::Value;

/// A running emulator with a token for its default client (all permissions).
pub struct TestEmulator {
    pub emulator: Emulator,
    pub http: reqwest::Client,
    pub token: String,
}

/// A response with its body read.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    /// The body as JSON, or `Value::Null` when it is empty or not JSON.
    pub json: Value,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `error.code` of an `OData` error body.
    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }

    /// `error.message` of an `OData` error body; panics when there is none.
    #[track_caller]
    pub fn error_message(&self) -> &str {
        self.json["error"]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message: {}", self.json))
    }

    /// Asserts that `error.message` mentions `text`.
    #[track_caller]
    pub fn assert_error_mentions(&self, text: &str) -> &Self {
        assert!(
            self.error_message().contains(text),
            "the error should mention {text:?}: {}",
            self.json
        );
        self
    }

    /// The body's `@odata.context`; panics when there is none.
    #[track_caller]
    pub fn context(&self) -> &str {
        context(&self.json)
    }

    /// The body's `id`; panics when there is none.
    #[track_caller]
    pub fn id(&self) -> String {
        self.json["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no id: {}", self.json))
            .to_owned()
    }

    /// The items of a collection body (`value`); panics when it is not a collection.
    #[track_caller]
    pub fn items(&self) -> &[Value] {
        self.json["value"]
            .as_array()
            .unwrap_or_else(|| panic!("not a collection: {}", self.json))
    }

    /// The `id` of every item of a collection body, in order.
    #[track_caller]
    pub fn item_ids(&self) -> Vec<String> {
        ids(&self.json["value"])
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "unexpected answer: {}", self.json);
        self
    }

    /// Asserts an `OData` error: the status and `error.code`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            (self.status, self.error_code()),
            (status, code),
            "unexpected answer: {}",
            self.json
        );
        self
    }

    /// Asserts that `error.innerError.request-id` is the `request-id` header, as Graph's errors
    /// carry it (§12.1).
    #[track_caller]
    pub fn assert_request_id_in_body(&self) -> &Self {
        let header = self.header("request-id");
        assert!(header.is_some(), "no request-id header");
        assert_eq!(
            self.json["error"]["innerError"]["request-id"].as_str(),
            header,
            "{}",
            self.json
        );
        self
    }
}

/// The `@odata.context` of a response body; panics when there is none.
#[track_caller]
pub fn context(body: &Value) -> &str {
    body["@odata.context"]
        .as_str()
        .unwrap_or_else(|| panic!("no @odata.context: {body}"))
}

/// The `id`s of a JSON array of objects.
#[track_caller]
pub fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// `items` as owned strings, to compare with [`ids`].
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The keys of a JSON object, sorted.
#[track_caller]
pub fn sorted_keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// `filter` percent-encoded for a `$filter=` query.
pub fn encoded(filter: &str) -> String {
    percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl TestEmulator {
    pub async fn start() -> Self {
        Self::start_with(EmulatorConfig::default()).await
    }

    pub async fn start_with(config: EmulatorConfig) -> Self {
        let client_id = config.client_id.clone();
        let secret = config.client_secret.clone();
        let emulator = Emulator::start(config).await.expect("emulator starts");
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("http client");
        let mut this = Self {
            emulator,
            http,
            token: String::new(),
        };
        this.token = this.token_for(&client_id, &secret).await;
        this
    }

    /// An emulator started from `seed`, a tenant in the seed format (`Tenant`'s serde shape, or
    /// a part of it).
    pub async fn start_seeded(seed: &impl serde::Serialize) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("seed.json");
        write_json(
            &path,
            &serde_json::to_value(seed).expect("the seed serialises"),
        );
        // The seed is read at start; the folder may go once the emulator runs.
        Self::start_with(EmulatorConfig {
            seed: Some(path),
            ..EmulatorConfig::default()
        })
        .await
    }

    /// The identity provider `id` as the emulator stores it, secrets in clear (they are
    /// masked on every read, §15.10), or `None`.
    pub fn stored_provider(&self, id: &str) -> Option<Value> {
        let tenant = self.emulator.tenant();
        let provider = tenant
            .identity_providers
            .into_iter()
            .find(|p| p["id"] == id);
        provider.map(Value::Object)
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    /// A client-credentials token, panicking if the endpoint refuses.
    pub async fn token_for(&self, client_id: &str, secret: &str) -> String {
        let resp = self
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("scope", "https://graph.microsoft.com/.default"),
            ])
            .await;
        assert_eq!(resp.status, 200, "token request failed: {}", resp.json);
        resp.json["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// POSTs a form to this emulator's token endpoint.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> Resp {
        let url = self.url(&format!("/{}/oauth2/v2.0/token", self.emulator.tenant_id()));
        let resp = self
            .http
            .post(url)
            .form(form)
            .send()
            .await
            .expect("token request");
        read(resp).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None).await
    }

    /// Sends a JSON request with this emulator's token. `path` starts with `/v1.0` or `/beta`.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("request is sent")).await
    }

    /// Sends a request built by the caller (custom headers, binary bodies, no token).
    pub async fn send_raw(&self, request: reqwest::RequestBuilder) -> Resp {
        read(request.send().await.expect("request is sent")).await
    }

    /// What a client sees for `request` sent with this emulator's token: a status, or `None`
    /// when the connection was dropped (an injected fault).
    pub async fn outcome(&self, request: reqwest::RequestBuilder) -> Option<u16> {
        match request.bearer_auth(&self.token).send().await {
            Ok(resp) => Some(resp.status().as_u16()),
            Err(err) => {
                assert!(!err.is_status() && !err.is_timeout(), "{err}");
                None
            }
        }
    }

    /// Sends a request to the emulator's own endpoints (`/_emulator/...`), which take no token.
    pub async fn admin(&self, method: Method, path: &str) -> Resp {
        self.send_raw(self.http.request(method, self.url(path)))
            .await
    }

    /// GETs `url`, an absolute URL the emulator gave (an `@odata.nextLink`), as it is.
    pub async fn get_url(&self, url: &str) -> Resp {
        self.send_raw(self.http.get(url).bearer_auth(&self.token))
            .await
    }

    /// Every page of the collection at `path`, following each `@odata.nextLink` verbatim
    /// (§12.3, §15.25) until a page has none.
    pub async fn pages(&self, path: &str) -> Vec<Resp> {
        let first = self.get(path).await;
        first.assert_status(200);
        let mut next = first.json["@odata.nextLink"].as_str().map(str::to_owned);
        let mut pages = vec![first];
        while let Some(url) = next {
            let page = self.get_url(&url).await;
            page.assert_status(200);
            next = page.json["@odata.nextLink"].as_str().map(str::to_owned);
            pages.push(page);
        }
        pages
    }
}

pub async fn read(resp: reqwest::Response) -> Resp {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("body is read").to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        json,
        bytes,
    }
}

pub fn write_json(path: &Path, value: &Value) {
    std::fs::write(
        path,
        serde_json::to_vec_pretty(value).expect("JSON serialises"),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The lines of a JSON-lines file (the journal).
pub fn json_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// An emulator that writes a journal, and the journal's path (in a folder that lives as long
/// as this value).
pub struct Journaled {
    pub t: TestEmulator,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Journaled {
    /// Starts an emulator with `config` and a journal in a new temporary folder.
    pub async fn start(config: EmulatorConfig) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("journal.jsonl");
        let t = TestEmulator::start_with(EmulatorConfig {
            journal: Some(path.clone()),
            ..config
        })
        .await;
        Self { t, path, _dir: dir }
    }

    pub fn entries(&self) -> Vec<Value> {
        json_lines(&self.path)
    }

    pub fn text(&self) -> String {
        std::fs::read_to_string(&self.path).expect("the journal is readable")
    }
}

/// A configuration that injects `faults`, everything else the default.
pub fn with_faults(faults: Faults) -> EmulatorConfig {
    EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    }
}

/// The shared Graph contract folder (`../shared/graph-contract` beside the repository, or
/// `$CIAMCTL_SHARED_DIR/graph-contract`), or `None` in a fresh clone without it.
pub fn contract_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("CIAMCTL_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = shared.join("graph-contract");
    dir.is_dir().then_some(dir)
}

/// An example body from the contract, or `None` (with a note on stderr) when `../shared` is
/// absent: the contract's files are Microsoft's data and are never copied into this repository.
pub fn example(name: &str) -> Option<Value> {
    let Some(dir) = contract_dir() else {
        eprintln!("skipped: ../shared/graph-contract is absent, so example {name} cannot be read");
        return None;
    };
    let path = dir.join("examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The example `name`, for a test that has already found the contract present (its first
/// [`example`] call returned `Some`).
#[track_caller]
pub fn documented(name: &str) -> Value {
    example(name).unwrap_or_else(|| panic!("the contract went missing while reading {name}"))
}

/// Sends the documented request body `name` as `method path` and asserts the status the docs
/// give for it.
pub async fn send_documented(
    t: &TestEmulator,
    method: Method,
    path: &str,
    name: &str,
    status: u16,
) -> Resp {
    let resp = t.send(method, path, Some(documented(name))).await;
    assert_eq!(resp.status, status, "{name}: {}", resp.json);
    resp
}

/// [`assert_same_shape`] against the documented response body `name`.
#[track_caller]
pub fn assert_documented_shape(actual: &Value, name: &str, allowances: &[&str]) {
    assert_same_shape(actual, &documented(name), allowances);
}

/// Asserts that `actual` has the shape of `documented`, a body from the contract's examples:
/// the same keys, and values of the same JSON type. The data differ (ids, names), so only the
/// shape is compared.
///
/// - `null` on either side matches any type: the docs show unset values as `null`.
/// - Keys named in `allowances` (a key name, matched at any depth) may be missing from `actual`
///   or present only there; each one must be a normalisation REFERENCE.md §15 lists, and the
///   caller says which in a comment.
/// - OData annotations (`@odata.context`, `includeApplications@odata.context`, ...) are not
///   compared: the docs show them inconsistently (§15.9, §16.4).
/// - Arrays compare element by element up to the shorter length.
#[track_caller]
pub fn assert_same_shape(actual: &Value, documented: &Value, allowances: &[&str]) {
    let mut problems = Vec::new();
    compare_shape("$", actual, documented, allowances, &mut problems);
    assert!(
        problems.is_empty(),
        "shape differs from the documented body:\n  {}\nactual: {actual:#}",
        problems.join("\n  ")
    );
}

fn compare_shape(
    path: &str,
    actual: &Value,
    documented: &Value,
    allowances: &[&str],
    problems: &mut Vec<String>,
) {
    match (actual, documented) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(a), Value::Object(d)) => {
            let is_annotation = |k: &str| k.contains("@odata.");
            for (key, dv) in d {
                if is_annotation(key) {
                    continue;
                }
                match a.get(key) {
                    Some(av) => {
                        compare_shape(&format!("{path}.{key}"), av, dv, allowances, problems);
                    }
                    None if allowances.contains(&key.as_str()) => {}
                    None => problems.push(format!("{path}.{key}: documented but missing")),
                }
            }
            for key in a.keys() {
                if !d.contains_key(key)
                    && !is_annotation(key)
                    && !allowances.contains(&key.as_str())
                {
                    problems.push(format!("{path}.{key}: present but not documented"));
                }
            }
        }
        (Value::Array(a), Value::Array(d)) => {
            for (i, (av, dv)) in a.iter().zip(d).enumerate() {
                compare_shape(&format!("{path}[{i}]"), av, dv, allowances, problems);
            }
        }
        (a, d) if json_type(a) == json_type(d) => {}
        (a, d) => problems.push(format!(
            "{path}: {} where the docs have {}",
            json_type(a),
            json_type(d)
        )),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
