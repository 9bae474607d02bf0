//! Company branding requests (REFERENCE.md §7, §8): the paths, `Accept-Language`, binary
//! uploads, and creating the default branding or a localization.

use reqwest::Method;
use serde_json::{Value, json};

use super::images::{jpeg, png};
use super::{Resp, TestEmulator};

/// `/v1.0/organization/{tenant}/branding`.
pub fn branding(t: &TestEmulator) -> String {
    format!("/v1.0/organization/{}/branding", t.emulator.tenant_id())
}

/// `…/branding/localizations`.
pub fn localizations(t: &TestEmulator) -> String {
    format!("{}/localizations", branding(t))
}

/// `…/branding/localizations/{id}` (`0` is the default branding).
pub fn localization(t: &TestEmulator, id: &str) -> String {
    format!("{}/{id}", localizations(t))
}

/// `…/branding/localizations/{locale}/{stream}`, where streams are uploaded (§15.15).
pub fn stream(t: &TestEmulator, locale: &str, name: &str) -> String {
    format!("{}/{name}", localization(t, locale))
}

/// A JSON request with an optional `Accept-Language`.
pub async fn send_with_language(
    t: &TestEmulator,
    method: Method,
    path: &str,
    language: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut request = t.http.request(method, t.url(path)).bearer_auth(&t.token);
    if let Some(language) = language {
        request = request.header("Accept-Language", language);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    t.send_raw(request).await
}

/// `GET` with `Accept-Language: 0` (the default branding, §15.14).
pub async fn get0(t: &TestEmulator, path: &str) -> Resp {
    send_with_language(t, Method::GET, path, Some("0"), None).await
}

/// `PATCH` with `Accept-Language: 0`.
pub async fn patch0(t: &TestEmulator, path: &str, body: Value) -> Resp {
    send_with_language(t, Method::PATCH, path, Some("0"), Some(body)).await
}

/// `GET /branding` with `Accept-Language: language`, or without the header.
pub async fn get_branding(t: &TestEmulator, language: Option<&str>) -> Resp {
    send_with_language(t, Method::GET, &branding(t), language, None).await
}

/// `PATCH /branding` with `Accept-Language: language`, or without the header.
pub async fn patch_branding(t: &TestEmulator, language: Option<&str>, body: Value) -> Resp {
    send_with_language(t, Method::PATCH, &branding(t), language, Some(body)).await
}

/// A binary upload (`PUT`, or the older `PATCH`).
pub async fn upload(
    t: &TestEmulator,
    method: Method,
    path: &str,
    content_type: &str,
    data: Vec<u8>,
) -> Resp {
    let request = t
        .http
        .request(method, t.url(path))
        .bearer_auth(&t.token)
        .header("Content-Type", content_type)
        .body(data);
    t.send_raw(request).await
}

/// A binary `PUT`.
pub async fn put_stream(t: &TestEmulator, path: &str, content_type: &str, data: Vec<u8>) -> Resp {
    upload(t, Method::PUT, path, content_type, data).await
}

/// Uploads a stream that must be accepted (204).
pub async fn attach_stream(t: &TestEmulator, path: &str, content_type: &str, data: Vec<u8>) {
    put_stream(t, path, content_type, data)
        .await
        .assert_status(204);
}

/// Uploads each `(content type, data, status)` case to `path`, in order, and asserts its status.
pub async fn assert_uploads(t: &TestEmulator, path: &str, cases: Vec<(&str, Vec<u8>, u16)>) {
    for (content_type, data, status) in cases {
        let size = data.len();
        let resp = put_stream(t, path, content_type, data).await;
        assert_eq!(
            resp.status, status,
            "{content_type}, {size} bytes, to {path}: {}",
            resp.json
        );
    }
}

/// Creates the default branding with an empty PATCH.
pub async fn create_default_branding(t: &TestEmulator) {
    patch0(t, &branding(t), json!({})).await.assert_status(204);
}

/// Creates a localization (and the default branding with it, §15.17).
pub async fn create_localization(t: &TestEmulator, body: Value) {
    t.post(&localizations(t), body).await.assert_status(201);
}

/// Brands `t` as the docs' response samples show it: the default branding with a sign-in text
/// and background, banner and square images; `fr-FR` with a banner; `fr` with strings.
pub async fn brand_like_the_docs(t: &TestEmulator) {
    patch0(t, &branding(t), json!({ "signInPageText": "Contoso" }))
        .await
        .assert_status(204);
    for (name, content_type, data) in [
        ("backgroundImage", "image/jpeg", jpeg(1920, 1080)),
        ("bannerLogo", "image/png", png(245, 36)),
        ("squareLogo", "image/png", png(240, 240)),
    ] {
        attach_stream(t, &stream(t, "0", name), content_type, data).await;
    }
    create_localization(
        t,
        json!({ "id": "fr-FR", "backgroundColor": "", "signInPageText": "Welcome to Contoso France",
                "usernameHintText": "Welcome to Contoso France" }),
    )
    .await;
    attach_stream(
        t,
        &stream(t, "fr-FR", "bannerLogo"),
        "image/png",
        png(245, 36),
    )
    .await;
    create_localization(
        t,
        json!({ "id": "fr", "backgroundColor": "#FFFF33", "signInPageText": "Welcome",
                "usernameHintText": "hint" }),
    )
    .await;
}
