//! `$batch` bodies and answers (REFERENCE.md §11).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Resp;

/// `count` items `GET /organization`, with ids `1`, `2`, ...
pub fn organization_gets(count: usize) -> Vec<Value> {
    (1..=count)
        .map(|i| json!({ "id": i.to_string(), "method": "GET", "url": "/organization" }))
        .collect()
}

/// An item that `POST`s `body` (JSON) to `url`.
pub fn json_post(id: &str, url: &str, body: Value) -> Value {
    let mut item = json!({ "id": id, "method": "POST", "url": url,
                           "headers": { "Content-Type": "application/json" } });
    item["body"] = body;
    item
}

/// The batch's answers by item id.
#[track_caller]
pub fn by_id(resp: &Resp) -> BTreeMap<String, Value> {
    responses(resp)
        .iter()
        .map(|r| (r["id"].as_str().expect("an item id").to_owned(), r.clone()))
        .collect()
}

/// The batch's answers in the order they came.
#[track_caller]
pub fn responses(resp: &Resp) -> &[Value] {
    resp.json["responses"]
        .as_array()
        .unwrap_or_else(|| panic!("no responses: {}", resp.json))
}
