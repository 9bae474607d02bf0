//! What every emulator test needs: a started emulator, a token, requests, and the contract's
//! example bodies read from `../shared` at test time.

#![allow(dead_code, unreachable_pub)]
// Marks the helpers as test code, so clippy's `allow-print-in-tests` covers the skip notes.
#![cfg(test)]

pub mod csdl;
pub mod roles;

use std::path::PathBuf;

use ciamctl_emulator::{Emulator, EmulatorConfig};
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

    /// `error.code` of an OData error body.
    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }
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
