//! Company branding and localizations (REFERENCE.md §7, §8): the quirks of §15.13–§15.18, the
//! conventions picked for §16.9–§16.12, the upload limits, both stream paths, and the
//! contract's example bodies.

use ciamctl_emulator::{
    AuthConfig, Client, EmulatorConfig, LocalePatch, MissingAcceptLanguage, NotFoundBody, Stream,
    StreamRemoval, Tenant, UploadWithoutBranding, route_table,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{self, Resp, TestEmulator, assert_same_shape};

// ---------------------------------------------------------------------------------------------
// Requests.

fn branding(t: &TestEmulator) -> String {
    format!("/v1.0/organization/{}/branding", t.emulator.tenant_id())
}

/// A JSON request with an optional `Accept-Language`.
async fn send(
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

/// `GET` with `Accept-Language: 0`.
async fn get0(t: &TestEmulator, path: &str) -> Resp {
    send(t, Method::GET, path, Some("0"), None).await
}

/// `PATCH` with `Accept-Language: 0`.
async fn patch0(t: &TestEmulator, path: &str, body: Value) -> Resp {
    send(t, Method::PATCH, path, Some("0"), Some(body)).await
}

/// A binary upload (`PUT` or the older `PATCH`).
async fn upload(
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

async fn put(t: &TestEmulator, path: &str, content_type: &str, data: Vec<u8>) -> Resp {
    upload(t, Method::PUT, path, content_type, data).await
}

/// Creates the default branding with an empty PATCH.
async fn create_default(t: &TestEmulator) {
    let resp = patch0(t, &branding(t), json!({})).await;
    assert_eq!(resp.status, 204, "{}", resp.json);
}

async fn create_localization(t: &TestEmulator, body: Value) {
    let resp = t
        .post(&format!("{}/localizations", branding(t)), body)
        .await;
    assert_eq!(resp.status, 201, "{}", resp.json);
}

#[track_caller]
fn assert_status(resp: &Resp, status: u16) {
    assert_eq!(resp.status, status, "body: {}", resp.json);
}

// ---------------------------------------------------------------------------------------------
// Images. The emulator reads headers only, but these are real files: the PNGs decode (pixels in
// stored deflate blocks), the JPEG has a correct SOI/APP0/SOF0 but no scan data.

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn png_chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    out.extend_from_slice(
        &u32::try_from(data.len())
            .expect("chunk fits in u32")
            .to_be_bytes(),
    );
    let start = out.len();
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A black 1-bit greyscale PNG of `width`×`height`.
fn png(width: u32, height: u32) -> Vec<u8> {
    png_with_text(width, height, 0)
}

/// A PNG of `width`×`height` that is exactly `total` bytes long (a `tEXt` chunk pads it).
fn png_of_size(width: u32, height: u32, total: usize) -> Vec<u8> {
    const TEXT_OVERHEAD: usize = 12 + b"Comment\0".len();
    let bare = png(width, height).len();
    let data = png_with_text(width, height, total - bare - TEXT_OVERHEAD);
    assert_eq!(data.len(), total);
    data
}

fn png_with_text(width: u32, height: u32, text: usize) -> Vec<u8> {
    let row = 1 + usize::try_from(width)
        .expect("width fits in usize")
        .div_ceil(8);
    let raw = vec![0u8; row * usize::try_from(height).expect("height fits in usize")];
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).expect("blocks are at most 65535 bytes");
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);
    png_chunk(&mut out, *b"IHDR", &ihdr);
    if text > 0 {
        let mut comment = b"Comment\0".to_vec();
        comment.resize(comment.len() + text, b'x');
        png_chunk(&mut out, *b"tEXt", &comment);
    }
    png_chunk(&mut out, *b"IDAT", &zlib);
    png_chunk(&mut out, *b"IEND", &[]);
    out
}

/// A baseline JPEG header of `width`×`height`: SOI, JFIF APP0, SOF0 (one component), EOI.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    out.extend_from_slice(b"JFIF\0");
    out.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]);
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 8]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[1, 1, 0x11, 0]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// An ICO with one 16×16 PNG entry.
fn ico() -> Vec<u8> {
    let image = png(16, 16);
    let mut out = vec![0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0];
    out.extend_from_slice(
        &u32::try_from(image.len())
            .expect("image fits in u32")
            .to_le_bytes(),
    );
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(&image);
    out
}

// ---------------------------------------------------------------------------------------------
// §15.13: 404 without a default branding; unset streams read as `{}`; `0` and `default`.

#[tokio::test]
async fn get_without_default_branding_is_404_with_odata_error_body_and_request_id() {
    let t = TestEmulator::start().await;
    let resp = get0(&t, &branding(&t)).await;
    assert_status(&resp, 404);
    assert_eq!(resp.error_code(), "Request_ResourceNotFound");
    assert_eq!(
        resp.json["error"]["innerError"]["request-id"].as_str(),
        resp.header("request-id")
    );
}

#[tokio::test]
async fn not_found_body_convention_empty_answers_a_bare_404() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.not_found_body = NotFoundBody::Empty;
    let t = TestEmulator::start_with(config).await;
    let resp = get0(&t, &branding(&t)).await;
    assert_status(&resp, 404);
    assert!(resp.bytes.is_empty());
}

#[tokio::test]
async fn stream_never_set_reads_as_200_empty_object_on_both_paths() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    for path in [
        "/localizations/0/bannerLogo",
        "/bannerLogo",
        "/localizations/default/customCSS",
    ] {
        let resp = t.get(&format!("{}{path}", branding(&t))).await;
        assert_status(&resp, 200);
        assert_eq!(resp.json, json!({}), "{path}");
    }
}

#[tokio::test]
async fn stream_of_a_missing_branding_or_localization_is_404() {
    let t = TestEmulator::start().await;
    assert_status(
        &t.get(&format!("{}/localizations/0/bannerLogo", branding(&t)))
            .await,
        404,
    );
    create_default(&t).await;
    assert_status(
        &t.get(&format!("{}/localizations/fr-FR/bannerLogo", branding(&t)))
            .await,
        404,
    );
}

#[tokio::test]
async fn default_branding_is_addressable_as_0_and_default() {
    let t = TestEmulator::start().await;
    patch0(&t, &branding(&t), json!({ "signInPageText": "Hello" })).await;
    for path in [
        "/localizations/0",
        "/localizations/default",
        "/localizations/DEFAULT",
    ] {
        let resp = t.get(&format!("{}{path}", branding(&t))).await;
        assert_status(&resp, 200);
        assert_eq!(resp.json["id"], "0");
        assert_eq!(resp.json["signInPageText"], "Hello");
    }
    let resp = send(&t, Method::GET, &branding(&t), Some("default"), None).await;
    assert_eq!(resp.json["signInPageText"], "Hello");
}

// ---------------------------------------------------------------------------------------------
// §15.14: Accept-Language.

#[tokio::test]
async fn branding_get_and_patch_without_accept_language_are_400() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let resp = send(&t, Method::GET, &branding(&t), None, None).await;
    assert_status(&resp, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Accept-Language")
    );
    let resp = send(
        &t,
        Method::PATCH,
        &branding(&t),
        None,
        Some(json!({ "signInPageText": "x" })),
    )
    .await;
    assert_status(&resp, 400);
    assert_eq!(get0(&t, &branding(&t)).await.json["signInPageText"], "");
}

#[tokio::test]
async fn missing_accept_language_convention_default_branding_reads_the_default() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.missing_accept_language = MissingAcceptLanguage::DefaultBranding;
    let t = TestEmulator::start_with(config).await;
    let resp = send(
        &t,
        Method::PATCH,
        &branding(&t),
        None,
        Some(json!({ "signInPageText": "x" })),
    )
    .await;
    assert_status(&resp, 204);
    let resp = send(&t, Method::GET, &branding(&t), None, None).await;
    assert_status(&resp, 200);
    assert_eq!(resp.json["id"], "0");
    assert_eq!(resp.json["signInPageText"], "x");
}

#[tokio::test]
async fn branding_get_with_a_locale_returns_that_localizations_values() {
    let t = TestEmulator::start().await;
    patch0(&t, &branding(&t), json!({ "signInPageText": "Default" })).await;
    create_localization(&t, json!({ "id": "fr-FR", "signInPageText": "Bienvenue" })).await;
    let resp = send(&t, Method::GET, &branding(&t), Some("fr-FR"), None).await;
    assert_status(&resp, 200);
    assert_eq!(resp.json["id"], "fr-FR");
    assert_eq!(resp.json["signInPageText"], "Bienvenue");
    // A browser-style list selects its first entry.
    let resp = send(
        &t,
        Method::GET,
        &branding(&t),
        Some("fr-fr, en;q=0.5"),
        None,
    )
    .await;
    assert_eq!(resp.json["signInPageText"], "Bienvenue");
    let resp = send(&t, Method::GET, &branding(&t), Some("de-DE"), None).await;
    assert_status(&resp, 404);
    let resp = send(&t, Method::GET, &branding(&t), Some("not a locale"), None).await;
    assert_status(&resp, 400);
}

#[tokio::test]
async fn branding_patch_with_a_locale_patches_that_localization() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    let resp = send(
        &t,
        Method::PATCH,
        &branding(&t),
        Some("fr-FR"),
        Some(json!({ "usernameHintText": "Courriel" })),
    )
    .await;
    assert_status(&resp, 204);
    let fr = t
        .get(&format!("{}/localizations/fr-FR", branding(&t)))
        .await;
    assert_eq!(fr.json["usernameHintText"], "Courriel");
    assert_eq!(get0(&t, &branding(&t)).await.json["usernameHintText"], "");
    let resp = send(
        &t,
        Method::PATCH,
        &branding(&t),
        Some("de-DE"),
        Some(json!({})),
    )
    .await;
    assert_status(&resp, 404);
}

#[tokio::test]
async fn locale_patch_convention_refuse_answers_400() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.locale_patch = LocalePatch::Refuse;
    let t = TestEmulator::start_with(config).await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    let resp = send(
        &t,
        Method::PATCH,
        &branding(&t),
        Some("fr-FR"),
        Some(json!({ "usernameHintText": "x" })),
    )
    .await;
    assert_status(&resp, 400);
    let fr = t
        .get(&format!("{}/localizations/fr-FR", branding(&t)))
        .await;
    assert_eq!(fr.json["usernameHintText"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// §15.15: streams only by URL, never mixed with strings; upload limits.

#[tokio::test]
async fn json_body_mixing_a_stream_and_strings_is_refused() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let mixed = json!({ "signInPageText": "x", "bannerLogo": "iVBORw0KGgo=" });
    let resp = patch0(&t, &branding(&t), mixed.clone()).await;
    assert_status(&resp, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("same request")
    );
    let mut create = mixed;
    create["id"] = json!("fr-FR");
    let resp = t
        .post(&format!("{}/localizations", branding(&t)), create)
        .await;
    assert_status(&resp, 400);
    assert_eq!(get0(&t, &branding(&t)).await.json["signInPageText"], "");
    assert_status(
        &t.get(&format!("{}/localizations/fr-FR", branding(&t)))
            .await,
        404,
    );
}

#[tokio::test]
async fn json_body_with_only_a_stream_is_refused() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let resp = patch0(&t, &branding(&t), json!({ "squareLogo": "iVBORw0KGgo=" })).await;
    assert_status(&resp, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PUT")
    );
}

#[tokio::test]
async fn json_sent_to_a_stream_url_is_refused() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let resp = send(
        &t,
        Method::PUT,
        &format!("{}/localizations/0/bannerLogo", branding(&t)),
        None,
        Some(json!({ "signInPageText": "x" })),
    )
    .await;
    assert_status(&resp, 400);
}

#[tokio::test]
async fn upload_on_the_localization_path_is_served_back_with_relative_url_and_cdn_list() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let before = get0(&t, &branding(&t)).await;
    assert_eq!(before.json["bannerLogoRelativeUrl"], Value::Null);
    assert_eq!(before.json["cdnList"], json!([]));
    let logo = png(245, 36);
    let resp = put(
        &t,
        &format!("{}/localizations/0/bannerLogo", branding(&t)),
        "image/png",
        logo.clone(),
    )
    .await;
    assert_status(&resp, 204);
    let resp = t
        .get(&format!("{}/localizations/0/bannerLogo", branding(&t)))
        .await;
    assert_status(&resp, 200);
    assert_eq!(resp.header("content-type"), Some("image/png"));
    assert_eq!(resp.bytes, logo);
    let after = get0(&t, &branding(&t)).await;
    let url = after.json["bannerLogoRelativeUrl"].as_str().unwrap();
    let (hash, rest) = url.split_once('/').unwrap();
    assert!(hash.len() > 8 && hash.contains('-'), "{url}");
    assert!(
        rest.starts_with("logintenantbranding/0/bannerlogo?ts="),
        "{url}"
    );
    assert!(
        rest["logintenantbranding/0/bannerlogo?ts=".len()..]
            .parse::<u64>()
            .is_ok(),
        "{url}"
    );
    assert_eq!(
        after.json["cdnList"],
        json!([
            "secure.aadcdn.microsoftonline-p.com",
            "aadcdn.msftauthimages.net",
            "aadcdn.msauthimages.net"
        ])
    );
    assert_eq!(after.json["squareLogoRelativeUrl"], Value::Null);
}

#[tokio::test]
async fn relative_urls_of_a_localization_use_its_lcid() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    let path = format!("{}/localizations/fr-FR/squareLogo", branding(&t));
    assert_status(&put(&t, &path, "image/png", png(240, 240)).await, 204);
    let fr = t
        .get(&format!("{}/localizations/fr-FR", branding(&t)))
        .await;
    let url = fr.json["squareLogoRelativeUrl"].as_str().unwrap();
    assert!(
        url.contains("/logintenantbranding/1036/tilelogo?ts="),
        "{url}"
    );
    // The default branding has no asset of its own.
    assert_eq!(get0(&t, &branding(&t)).await.json["cdnList"], json!([]));
}

#[tokio::test]
async fn older_branding_stream_path_takes_put_and_patch_and_serves_both_paths() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let square = png(240, 240);
    let resp = upload(
        &t,
        Method::PATCH,
        &format!("{}/squareLogo", branding(&t)),
        "image/png",
        square.clone(),
    )
    .await;
    assert_status(&resp, 204);
    let header = jpeg(200, 30);
    let resp = put(
        &t,
        &format!("{}/headerLogo", branding(&t)),
        "image/jpeg",
        header.clone(),
    )
    .await;
    assert_status(&resp, 204);
    for (stream, bytes, media_type) in [
        ("squareLogo", &square, "image/png"),
        ("headerLogo", &header, "image/jpeg"),
    ] {
        for path in [
            format!("{}/{stream}", branding(&t)),
            format!("{}/localizations/0/{stream}", branding(&t)),
        ] {
            let resp = t.get(&path).await;
            assert_eq!(&resp.bytes, bytes, "{path}");
            assert_eq!(resp.header("content-type"), Some(media_type), "{path}");
        }
    }
}

#[tokio::test]
async fn banner_and_header_logos_are_at_most_245_by_36_pixels() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    for stream in ["bannerLogo", "headerLogo"] {
        let path = format!("{}/localizations/0/{stream}", branding(&t));
        assert_status(&put(&t, &path, "image/png", png(245, 36)).await, 204);
        assert_status(&put(&t, &path, "image/png", png(246, 36)).await, 400);
        let resp = put(&t, &path, "image/jpeg", jpeg(245, 37)).await;
        assert_status(&resp, 400);
        assert!(
            resp.json["error"]["message"]
                .as_str()
                .unwrap()
                .contains("245×37")
        );
    }
}

#[tokio::test]
async fn square_logos_are_at_most_240_pixels_and_10_kb() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    for stream in ["squareLogo", "squareLogoDark"] {
        let path = format!("{}/localizations/0/{stream}", branding(&t));
        assert_status(
            &put(&t, &path, "image/png", png_of_size(240, 240, 10 * 1024)).await,
            204,
        );
        assert_status(
            &put(&t, &path, "image/png", png_of_size(240, 240, 10 * 1024 + 1)).await,
            400,
        );
        assert_status(&put(&t, &path, "image/png", png(241, 240)).await, 400);
        assert_status(&put(&t, &path, "image/png", png(240, 241)).await, 400);
    }
}

#[tokio::test]
async fn background_image_is_at_most_1920_by_1080_and_300_kb() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let path = format!("{}/localizations/0/backgroundImage", branding(&t));
    // §7: "not smaller than 300 KB" is read as at most 300 KB.
    assert_status(
        &put(&t, &path, "image/png", png_of_size(1920, 1080, 300 * 1024)).await,
        204,
    );
    assert_status(
        &put(
            &t,
            &path,
            "image/png",
            png_of_size(1920, 1080, 300 * 1024 + 1),
        )
        .await,
        400,
    );
    assert_status(&put(&t, &path, "image/png", png(1921, 1080)).await, 400);
    assert_status(&put(&t, &path, "image/jpeg", jpeg(1920, 1081)).await, 400);
    assert_status(&put(&t, &path, "image/jpeg", jpeg(640, 480)).await, 204);
}

#[tokio::test]
async fn image_type_comes_from_magic_bytes_and_must_match_the_content_type() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let path = format!("{}/localizations/0/bannerLogo", branding(&t));
    // PNG bytes declared as JPEG, and the reverse.
    assert_status(&put(&t, &path, "image/jpeg", png(10, 10)).await, 400);
    assert_status(&put(&t, &path, "image/png", jpeg(10, 10)).await, 400);
    // A GIF, and text, whatever they claim to be.
    assert_status(
        &put(&t, &path, "image/png", b"GIF89a\x01\x00\x01\x00".to_vec()).await,
        400,
    );
    assert_status(
        &put(&t, &path, "image/gif", b"GIF89a\x01\x00\x01\x00".to_vec()).await,
        400,
    );
    // A PNG whose IHDR is cut off.
    assert_status(
        &put(&t, &path, "image/png", png(10, 10)[..20].to_vec()).await,
        400,
    );
    // ICO is a favicon format only.
    assert_status(&put(&t, &path, "image/x-icon", ico()).await, 400);
    // `image/jpg` (listed by the CSDL) and media-type parameters are accepted.
    assert_status(&put(&t, &path, "image/JPG; q=1", jpeg(10, 10)).await, 204);
    assert_eq!(
        t.get(&path).await.header("content-type"),
        Some("image/jpeg")
    );
}

#[tokio::test]
async fn favicon_accepts_ico_png_and_jpeg() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let path = format!("{}/localizations/0/favicon", branding(&t));
    assert_status(&put(&t, &path, "image/x-icon", ico()).await, 204);
    assert_eq!(
        t.get(&path).await.header("content-type"),
        Some("image/x-icon")
    );
    assert_status(
        &put(&t, &path, "image/vnd.microsoft.icon", ico()).await,
        204,
    );
    assert_status(&put(&t, &path, "image/png", png(32, 32)).await, 204);
    assert_status(&put(&t, &path, "image/jpeg", jpeg(32, 32)).await, 204);
    assert_status(
        &put(&t, &path, "image/x-icon", vec![0, 0, 1, 0, 1, 0]).await,
        400,
    );
}

#[tokio::test]
async fn custom_css_takes_text_css_of_at_most_25_kb() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let path = format!("{}/localizations/0/customCSS", branding(&t));
    let css = b".ext-sign-in-box { border-radius: 8px; }\n".to_vec();
    assert_status(
        &put(&t, &path, "text/css; charset=utf-8", css.clone()).await,
        204,
    );
    let resp = t.get(&path).await;
    assert_eq!(resp.bytes, css);
    assert_eq!(resp.header("content-type"), Some("text/css"));
    assert!(
        get0(&t, &branding(&t)).await.json["customCSSRelativeUrl"]
            .as_str()
            .unwrap()
            .contains("/customcss?ts=")
    );
    assert_status(
        &put(&t, &path, "text/css", vec![b' '; 25 * 1024]).await,
        204,
    );
    assert_status(
        &put(&t, &path, "text/css", vec![b' '; 25 * 1024 + 1]).await,
        400,
    );
    assert_status(&put(&t, &path, "image/png", png(1, 1)).await, 400);
    assert_status(&put(&t, &path, "text/css", png(1, 1)).await, 400);
}

#[tokio::test]
async fn woodgrove_example_assets_upload_as_they_are() {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../config-examples/woodgrove/assets");
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    for (file, target, content_type) in [
        ("banner.png", "0/bannerLogo", "image/png"),
        ("banner-fr.png", "fr-FR/bannerLogo", "image/png"),
        ("favicon.ico", "0/favicon", "image/x-icon"),
        ("custom.css", "0/customCSS", "text/css"),
    ] {
        let data = std::fs::read(assets.join(file)).unwrap();
        let resp = put(
            &t,
            &format!("{}/localizations/{target}", branding(&t)),
            content_type,
            data,
        )
        .await;
        assert_status(&resp, 204);
    }
}

#[tokio::test]
async fn upload_to_a_missing_localization_or_before_the_default_branding_is_404() {
    let t = TestEmulator::start().await;
    let resp = put(
        &t,
        &format!("{}/localizations/0/bannerLogo", branding(&t)),
        "image/png",
        png(1, 1),
    )
    .await;
    assert_status(&resp, 404);
    assert_status(&get0(&t, &branding(&t)).await, 404);
    create_default(&t).await;
    let resp = put(
        &t,
        &format!("{}/localizations/fr-FR/bannerLogo", branding(&t)),
        "image/png",
        png(1, 1),
    )
    .await;
    assert_status(&resp, 404);
}

#[tokio::test]
async fn upload_without_branding_convention_create_default_creates_it() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.upload_without_branding = UploadWithoutBranding::CreateDefault;
    let t = TestEmulator::start_with(config).await;
    let resp = put(
        &t,
        &format!("{}/bannerLogo", branding(&t)),
        "image/png",
        png(1, 1),
    )
    .await;
    assert_status(&resp, 204);
    let resp = get0(&t, &branding(&t)).await;
    assert_status(&resp, 200);
    assert!(resp.json["bannerLogoRelativeUrl"].is_string());
}

#[tokio::test]
async fn unknown_and_non_stream_segments_cannot_be_uploaded() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let base = branding(&t);
    assert_status(
        &put(
            &t,
            &format!("{base}/localizations/0/logo"),
            "image/png",
            png(1, 1),
        )
        .await,
        400,
    );
    assert_status(
        &put(
            &t,
            &format!("{base}/localizations/0/signInPageText"),
            "image/png",
            png(1, 1),
        )
        .await,
        405,
    );
    assert_status(
        &upload(
            &t,
            Method::PATCH,
            &format!("{base}/localizations"),
            "image/png",
            png(1, 1),
        )
        .await,
        405,
    );
}

// ---------------------------------------------------------------------------------------------
// §15.16: no DELETE while streams are attached.

#[tokio::test]
async fn branding_delete_is_refused_while_streams_are_attached() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let logo = format!("{}/localizations/0/bannerLogo", branding(&t));
    put(&t, &logo, "image/png", png(245, 36)).await;
    let resp = t.delete(&branding(&t)).await;
    assert_status(&resp, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("0/bannerLogo")
    );
    assert_status(&get0(&t, &branding(&t)).await, 200);
    assert_status(&t.delete(&logo).await, 204);
    assert_status(&t.delete(&branding(&t)).await, 204);
    assert_status(&get0(&t, &branding(&t)).await, 404);
    assert_status(&t.delete(&branding(&t)).await, 404);
}

#[tokio::test]
async fn branding_delete_is_refused_while_a_localization_has_a_stream() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    put(
        &t,
        &format!("{}/localizations/fr-FR/customCSS", branding(&t)),
        "text/css",
        b"a{}".to_vec(),
    )
    .await;
    let resp = t.delete(&branding(&t)).await;
    assert_status(&resp, 400);
    assert!(
        resp.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fr-FR/customCSS")
    );
}

#[tokio::test]
async fn branding_delete_removes_its_localizations() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    assert_status(&t.delete(&branding(&t)).await, 204);
    assert_status(
        &t.get(&format!("{}/localizations/fr-FR", branding(&t)))
            .await,
        404,
    );
    let list = t.get(&format!("{}/localizations", branding(&t))).await;
    assert_eq!(list.json["value"], json!([]));
}

#[tokio::test]
async fn localization_delete_is_refused_while_streams_are_attached() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    let fr = format!("{}/localizations/fr-FR", branding(&t));
    put(&t, &format!("{fr}/bannerLogo"), "image/png", png(245, 36)).await;
    assert_status(&t.delete(&fr).await, 400);
    assert_status(&t.delete(&format!("{fr}/bannerLogo")).await, 204);
    assert_status(&t.delete(&fr).await, 204);
    assert_status(&t.get(&fr).await, 404);
    assert_status(&t.delete(&fr).await, 404);
}

#[tokio::test]
async fn the_default_branding_is_not_deleted_as_a_localization() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    assert_status(
        &t.delete(&format!("{}/localizations/0", branding(&t))).await,
        400,
    );
    assert_status(&get0(&t, &branding(&t)).await, 200);
}

// ---------------------------------------------------------------------------------------------
// §15.17: localizations.

#[tokio::test]
async fn creating_the_first_localization_creates_the_default_branding() {
    let t = TestEmulator::start().await;
    assert_status(&get0(&t, &branding(&t)).await, 404);
    let resp = t
        .post(
            &format!("{}/localizations", branding(&t)),
            json!({ "id": "fr-FR" }),
        )
        .await;
    assert_status(&resp, 201);
    assert_eq!(resp.json["id"], "fr-FR");
    assert_eq!(
        resp.header("location"),
        Some(
            t.url(&format!("{}/localizations/fr-FR", branding(&t)))
                .as_str()
        )
    );
    let default = get0(&t, &branding(&t)).await;
    assert_status(&default, 200);
    assert_eq!(default.json["id"], "0");
}

#[tokio::test]
async fn posting_id_0_or_default_is_refused() {
    let t = TestEmulator::start().await;
    for id in ["0", "default", "Default"] {
        let resp = t
            .post(
                &format!("{}/localizations", branding(&t)),
                json!({ "id": id }),
            )
            .await;
        assert_status(&resp, 400);
    }
    assert_status(&get0(&t, &branding(&t)).await, 404);
}

#[tokio::test]
async fn a_second_localization_for_a_locale_is_409() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    let resp = t
        .post(
            &format!("{}/localizations", branding(&t)),
            json!({ "id": "fr-fr" }),
        )
        .await;
    assert_status(&resp, 409);
    assert_eq!(resp.error_code(), "Request_MultipleObjectsWithSameKeyValue");
}

#[tokio::test]
async fn localization_post_needs_a_culture_name_id() {
    let t = TestEmulator::start().await;
    for body in [
        json!({}),
        json!({ "id": "French" }),
        json!({ "id": "fr_FR" }),
        json!({ "id": 7 }),
    ] {
        let resp = t
            .post(&format!("{}/localizations", branding(&t)), body.clone())
            .await;
        assert_status(&resp, 400);
    }
    create_localization(&t, json!({ "id": "fr" })).await;
    create_localization(&t, json!({ "id": "zh-Hant-TW" })).await;
}

#[tokio::test]
async fn localization_list_includes_the_default_as_id_0_first() {
    let t = TestEmulator::start().await;
    let list = t.get(&format!("{}/localizations", branding(&t))).await;
    assert_status(&list, 200);
    assert_eq!(list.json["value"], json!([]));
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    create_localization(&t, json!({ "id": "de" })).await;
    let list = t.get(&format!("{}/localizations", branding(&t))).await;
    let ids: Vec<&str> = list.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["0", "fr-FR", "de"]);
    assert!(
        list.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with(&format!(
                "/v1.0/$metadata#organization('{}')/branding/localizations",
                t.emulator.tenant_id()
            ))
    );
}

#[tokio::test]
async fn localization_list_pages_when_a_default_page_size_is_set() {
    let config = EmulatorConfig {
        default_page_size: Some(2),
        ..EmulatorConfig::default()
    };
    let t = TestEmulator::start_with(config).await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    create_localization(&t, json!({ "id": "de-DE" })).await;
    let first = t
        .get(&format!("{}/localizations?$select=id", branding(&t)))
        .await;
    assert_eq!(first.json["value"].as_array().unwrap().len(), 2);
    let next = first.json["@odata.nextLink"].as_str().unwrap();
    let second = t.send_raw(t.http.get(next).bearer_auth(&t.token)).await;
    assert_status(&second, 200);
    assert_eq!(
        second.json["value"],
        json!([{ "@odata.id": second.json["value"][0]["@odata.id"], "id": "de-DE" }])
    );
}

// ---------------------------------------------------------------------------------------------
// §15.18: a localization keeps `" "` (blank) and `null` (inherit) apart.

#[tokio::test]
async fn localization_reads_keep_blank_empty_and_null_apart() {
    let t = TestEmulator::start().await;
    patch0(&t, &branding(&t), json!({ "signInPageText": "Welcome" })).await;
    create_localization(
        &t,
        json!({
            "id": "fr-FR",
            "signInPageText": " ",
            "backgroundColor": "",
            "usernameHintText": null
        }),
    )
    .await;
    let fr = t
        .get(&format!("{}/localizations/fr-FR", branding(&t)))
        .await;
    assert_eq!(fr.json["signInPageText"], " ");
    assert_eq!(fr.json["backgroundColor"], "");
    assert_eq!(fr.json["usernameHintText"], Value::Null);
    // Never written: also null (inherits).
    assert_eq!(fr.json["customTermsOfUseText"], Value::Null);
    // The default shows unset strings as "".
    let default = get0(&t, &branding(&t)).await;
    assert_eq!(default.json["signInPageText"], "Welcome");
    assert_eq!(default.json["usernameHintText"], "");
    // Setting a value back to null on a localization makes it inherit again.
    t.patch(
        &format!("{}/localizations/fr-FR", branding(&t)),
        json!({ "signInPageText": null }),
    )
    .await;
    let fr = t
        .get(&format!("{}/localizations/fr-FR", branding(&t)))
        .await;
    assert_eq!(fr.json["signInPageText"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// §16.9: removing one stream.

#[tokio::test]
async fn delete_on_a_stream_url_removes_that_stream_only() {
    let t = TestEmulator::start().await;
    create_default(&t).await;
    let base = branding(&t);
    put(
        &t,
        &format!("{base}/localizations/0/bannerLogo"),
        "image/png",
        png(245, 36),
    )
    .await;
    put(
        &t,
        &format!("{base}/localizations/0/squareLogo"),
        "image/png",
        png(24, 24),
    )
    .await;
    assert_status(
        &t.delete(&format!("{base}/localizations/0/bannerLogo"))
            .await,
        204,
    );
    assert_eq!(t.get(&format!("{base}/bannerLogo")).await.json, json!({}));
    let default = get0(&t, &base).await;
    assert_eq!(default.json["bannerLogoRelativeUrl"], Value::Null);
    assert!(default.json["squareLogoRelativeUrl"].is_string());
    // The older path, and a stream that is not set.
    assert_status(&t.delete(&format!("{base}/squareLogo")).await, 204);
    assert_status(&t.delete(&format!("{base}/squareLogo")).await, 204);
    assert_eq!(get0(&t, &base).await.json["cdnList"], json!([]));
    // An empty PUT is not a removal under this convention.
    assert_status(
        &put(
            &t,
            &format!("{base}/localizations/0/favicon"),
            "image/png",
            Vec::new(),
        )
        .await,
        400,
    );
}

#[tokio::test]
async fn empty_put_convention_clears_a_stream_and_refuses_delete() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.stream_removal = StreamRemoval::EmptyPut;
    let t = TestEmulator::start_with(config).await;
    create_default(&t).await;
    let logo = format!("{}/localizations/0/bannerLogo", branding(&t));
    put(&t, &logo, "image/png", png(245, 36)).await;
    assert_status(&t.delete(&logo).await, 405);
    assert!(get0(&t, &branding(&t)).await.json["bannerLogoRelativeUrl"].is_string());
    assert_status(&put(&t, &logo, "image/png", Vec::new()).await, 204);
    assert_eq!(t.get(&logo).await.json, json!({}));
    assert_status(&t.delete(&branding(&t)).await, 204);
}

// ---------------------------------------------------------------------------------------------
// Writes, reads, `$select`, one property.

#[tokio::test]
async fn patch_merges_nested_settings_and_normalises_enum_casing() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    patch0(&t, &base, json!({
        "loginPageLayoutConfiguration": { "layoutTemplateType": "VerticalSplit", "isHeaderShown": true },
        "loginPageTextVisibilitySettings": { "hideForgotMyPassword": true }
    }))
    .await;
    let resp = patch0(
        &t,
        &base,
        json!({ "loginPageLayoutConfiguration": { "isFooterShown": false } }),
    )
    .await;
    assert_status(&resp, 204);
    let read = get0(&t, &base).await;
    assert_eq!(
        read.json["loginPageLayoutConfiguration"],
        json!({ "isFooterShown": false, "isHeaderShown": true, "layoutTemplateType": "verticalSplit" })
    );
    assert_eq!(
        read.json["loginPageTextVisibilitySettings"]["hideForgotMyPassword"],
        true
    );
    assert_eq!(
        read.json["loginPageTextVisibilitySettings"]["hideTermsOfUse"],
        Value::Null
    );
}

#[tokio::test]
async fn patch_refuses_read_only_unknown_and_out_of_limit_properties() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    for body in [
        json!({ "bannerLogoRelativeUrl": "x" }),
        json!({ "cdnList": [] }),
        json!({ "contentCustomization": { "registrationCampaignRelativeUrl": "x" } }),
        json!({ "colour": "#FFFFFF" }),
        json!({ "signInPageText": "x".repeat(1025) }),
        json!({ "usernameHintText": 5 }),
        json!({ "backgroundColor": "blue" }),
        json!({ "customAccountResetCredentialsUrl": "https://woodgrove.example/réinitialiser" }),
        json!({ "loginPageLayoutConfiguration": { "layoutTemplateType": "sideways" } }),
    ] {
        let resp = patch0(&t, &base, body.clone()).await;
        assert_eq!(resp.status, 400, "{body}: {}", resp.json);
    }
    // Nothing was created by the refused writes.
    assert_status(&get0(&t, &base).await, 404);
}

#[tokio::test]
async fn external_tenant_branding_has_content_customization() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    create_default(&t).await;
    let read = get0(&t, &base).await;
    assert!(
        read.json
            .as_object()
            .unwrap()
            .contains_key("contentCustomization")
    );
    assert_eq!(read.json["contentCustomization"], Value::Null);
    let resp = patch0(&t, &base, json!({
        "contentCustomization": { "attributeCollection": [{ "key": "Email_Label", "value": "Courriel" }] }
    }))
    .await;
    assert_status(&resp, 204);
    assert_eq!(
        get0(&t, &base).await.json["contentCustomization"],
        json!({
            "attributeCollection": [{ "key": "Email_Label", "value": "Courriel" }],
            "attributeCollectionRelativeUrl": null,
            "registrationCampaign": [],
            "registrationCampaignRelativeUrl": null
        })
    );
}

#[tokio::test]
async fn select_returns_only_the_named_properties_and_other_options_are_refused() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    patch0(&t, &base, json!({ "signInPageText": "Hi" })).await;
    let resp = get0(&t, &format!("{base}?$select=signInPageText,id")).await;
    assert_status(&resp, 200);
    let mut keys: Vec<&str> = resp
        .json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["@odata.context", "@odata.id", "id", "signInPageText"]
    );
    let resp = get0(&t, &format!("{base}?$select=nope")).await;
    assert_status(&resp, 400);
    assert_eq!(resp.error_code(), "Request_BadRequest");
    let resp = get0(&t, &format!("{base}?$expand=localizations")).await;
    assert_eq!(resp.error_code(), "Request_UnsupportedQuery");
    let resp = t.get(&format!("{base}/localizations?$top=1")).await;
    assert_eq!(resp.error_code(), "Request_UnsupportedQuery");
    let resp = t
        .get(&format!("{base}/localizations/0?$select=usernameHintText"))
        .await;
    let mut keys: Vec<&str> = resp
        .json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "@odata.context",
            "@odata.id",
            "@odata.type",
            "usernameHintText"
        ]
    );
}

#[tokio::test]
async fn one_property_reads_as_context_and_value() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    let tenant = t.emulator.tenant_id().to_owned();
    create_localization(&t, json!({ "id": "fr-FR", "signInPageText": " " })).await;
    let resp = t
        .get(&format!("{base}/localizations/fr-FR/signInPageText"))
        .await;
    assert_status(&resp, 200);
    assert_eq!(resp.json["value"], " ");
    assert!(resp.json["@odata.context"].as_str().unwrap().ends_with(&format!(
        "/v1.0/$metadata#organization('{tenant}')/branding/localizations('fr-FR')/signInPageText"
    )));
    let resp = t.get(&format!("{base}/signInPageText")).await;
    assert_eq!(resp.json["value"], "");
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/branding/signInPageText")
    );
    let resp = t.get(&format!("{base}/localizations/fr-FR/cdnList")).await;
    assert_eq!(resp.json["value"], json!([]));
    patch0(
        &t,
        &base,
        json!({ "loginPageLayoutConfiguration": { "isHeaderShown": true } }),
    )
    .await;
    let resp = t
        .get(&format!(
            "{base}/localizations/0/loginPageLayoutConfiguration"
        ))
        .await;
    assert_eq!(resp.json["isHeaderShown"], true);
    assert!(resp.json["@odata.context"].is_string());
    assert_status(
        &t.get(&format!("{base}/localizations/fr-FR/nope")).await,
        400,
    );
}

#[tokio::test]
async fn another_organization_id_is_404() {
    let t = TestEmulator::start().await;
    let resp = get0(
        &t,
        "/v1.0/organization/00000000-0000-0000-0000-000000000000/branding",
    )
    .await;
    assert_status(&resp, 404);
    assert_eq!(resp.error_code(), "Request_ResourceNotFound");
}

#[tokio::test]
async fn beta_serves_branding_too() {
    let t = TestEmulator::start().await;
    let base = format!("/beta/organization/{}/branding", t.emulator.tenant_id());
    assert_status(
        &patch0(&t, &base, json!({ "signInPageText": "beta" })).await,
        204,
    );
    let resp = get0(&t, &base).await;
    assert_eq!(resp.json["signInPageText"], "beta");
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/beta/$metadata#branding")
    );
    assert_status(
        &put(
            &t,
            &format!("{base}/localizations/0/bannerLogo"),
            "image/png",
            png(2, 2),
        )
        .await,
        204,
    );
}

#[tokio::test]
async fn branding_needs_organizational_branding_roles() {
    let config = EmulatorConfig {
        auth: AuthConfig {
            clients: vec![
                Client::with_secret("branding-reader", "s", &["OrganizationalBranding.Read.All"]),
                Client::with_secret("idp-writer", "s", &["IdentityProvider.ReadWrite.All"]),
            ],
            ..AuthConfig::default()
        },
        ..EmulatorConfig::default()
    };
    let mut t = TestEmulator::start_with(config).await;
    create_default(&t).await;
    t.token = t.token_for("branding-reader", "s").await;
    assert_status(&get0(&t, &branding(&t)).await, 200);
    let resp = patch0(&t, &branding(&t), json!({ "signInPageText": "x" })).await;
    assert_status(&resp, 403);
    assert_eq!(resp.error_code(), "Authorization_RequestDenied");
    let resp = put(
        &t,
        &format!("{}/bannerLogo", branding(&t)),
        "image/png",
        png(1, 1),
    )
    .await;
    assert_status(&resp, 403);
    t.token = t.token_for("idp-writer", "s").await;
    assert_status(&get0(&t, &branding(&t)).await, 403);
    assert_status(
        &t.get(&format!("{}/localizations", branding(&t))).await,
        403,
    );
}

#[test]
fn branding_routes_ask_for_organizational_branding_permissions() {
    let routes: Vec<_> = route_table()
        .into_iter()
        .filter(|r| r.path.starts_with("organization/{orgId}/branding"))
        .collect();
    assert_eq!(routes.len(), 15);
    for route in routes {
        let wanted = if route.method == "GET" {
            "OrganizationalBranding.Read.All"
        } else {
            "OrganizationalBranding.ReadWrite.All"
        };
        assert_eq!(
            route.permissions,
            [wanted],
            "{} {}",
            route.method,
            route.path
        );
    }
}

#[tokio::test]
async fn stored_assets_survive_a_json_round_trip_of_the_tenant() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR", "signInPageText": " " })).await;
    let logo = png(245, 36);
    put(
        &t,
        &format!("{}/localizations/fr-FR/bannerLogo", branding(&t)),
        "image/png",
        logo.clone(),
    )
    .await;
    let tenant = t.emulator.tenant();
    let text = serde_json::to_string(&tenant).unwrap();
    let back: Tenant = serde_json::from_str(&text).unwrap();
    assert_eq!(back.branding, tenant.branding);
    assert_eq!(
        back.branding.localizations[0].assets[&Stream::BannerLogo].data,
        logo
    );
}

// ---------------------------------------------------------------------------------------------
// The contract's example bodies.

/// The names of the contract's branding examples ending in `suffix`, sorted, or `None` (with
/// the skip note) when the contract folder is absent.
// The skip note is the one output a test must give when the contract is absent (COMMON.md).
#[allow(clippy::print_stderr)]
fn branding_examples(suffix: &str) -> Option<Vec<String>> {
    let Some(dir) = support::contract_dir() else {
        eprintln!(
            "skipped: ../shared/graph-contract is absent, so the branding examples cannot be read"
        );
        return None;
    };
    let mut names: Vec<String> = std::fs::read_dir(dir.join("examples"))
        .expect("the examples folder is readable")
        .map(|entry| {
            entry
                .expect("the examples folder is readable")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("v1.0.organizationalBranding") && name.ends_with(suffix))
        .collect();
    names.sort();
    Some(names)
}

/// Properties the docs' samples leave out but §7 lists and the emulator returns (Graph returns
/// the whole type; clients tolerate properties beyond a sample, §15.23).
const OMITTED_BY_THE_SAMPLES: &[&str] = &[
    "contentCustomization",
    "customAccountResetCredentialsUrl",
    "customCannotAccessYourAccountText",
    "customCannotAccessYourAccountUrl",
    "customCSSRelativeUrl",
    "customForgotMyPasswordText",
    "customPrivacyAndCookiesText",
    "customPrivacyAndCookiesUrl",
    "customResetItNowText",
    "customTermsOfUseText",
    "customTermsOfUseUrl",
    "faviconRelativeUrl",
    "headerBackgroundColor",
    "headerLogoRelativeUrl",
    "loginPageLayoutConfiguration",
    "loginPageTextVisibilitySettings",
    "squareLogoDarkRelativeUrl",
    // Shown on the default branding's samples only; a localization has it too (§7).
    "squareLogoRelativeUrl",
];

#[tokio::test]
async fn documented_request_bodies_are_accepted_with_their_documented_status() {
    let Some(names) = branding_examples(".request.json") else {
        return;
    };
    // In this order on one tenant: the PATCH creates the default branding, the POST the
    // fr-FR localization the updates target, and the DELETE (whose `{ "id": "0" }` body the
    // docs show) removes the branding.
    let cases = [
        (
            "v1.0.organizationalBranding.update.request.json",
            Method::PATCH,
            "",
            204,
        ),
        (
            "v1.0.organizationalBrandingLocalization.create.request.json",
            Method::POST,
            "/localizations",
            201,
        ),
        (
            "v1.0.organizationalBrandingLocalization.update.ex2.request.json",
            Method::PATCH,
            "/localizations/fr-FR",
            204,
        ),
        (
            "v1.0.organizationalBrandingLocalization.update.ex3.request.json",
            Method::PATCH,
            "/localizations/fr-FR",
            204,
        ),
        (
            "v1.0.organizationalBranding.delete.request.json",
            Method::DELETE,
            "",
            204,
        ),
    ];
    let mut covered: Vec<String> = cases.iter().map(|c| c.0.to_owned()).collect();
    covered.sort();
    assert_eq!(
        names, covered,
        "every branding request example has a case here"
    );
    let t = TestEmulator::start().await;
    for (name, method, path, status) in cases {
        let body = support::example(name).unwrap();
        let resp = send(
            &t,
            method,
            &format!("{}{path}", branding(&t)),
            Some("0"),
            Some(body),
        )
        .await;
        assert_eq!(resp.status, status, "{name}: {}", resp.json);
    }
}

/// A tenant in the state the docs' response samples show: the default branding with a sign-in
/// text and background, banner and square images; `fr-FR` with a banner; `fr` with strings.
async fn documented_tenant() -> TestEmulator {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    patch0(&t, &base, json!({ "signInPageText": "Contoso" })).await;
    put(
        &t,
        &format!("{base}/localizations/0/backgroundImage"),
        "image/jpeg",
        jpeg(1920, 1080),
    )
    .await;
    put(
        &t,
        &format!("{base}/localizations/0/bannerLogo"),
        "image/png",
        png(245, 36),
    )
    .await;
    put(
        &t,
        &format!("{base}/localizations/0/squareLogo"),
        "image/png",
        png(240, 240),
    )
    .await;
    create_localization(&t, json!({ "id": "fr-FR", "backgroundColor": "", "signInPageText": "Welcome to Contoso France", "usernameHintText": "Welcome to Contoso France" })).await;
    put(
        &t,
        &format!("{base}/localizations/fr-FR/bannerLogo"),
        "image/png",
        png(245, 36),
    )
    .await;
    create_localization(&t, json!({ "id": "fr", "backgroundColor": "#FFFF33", "signInPageText": "Welcome", "usernameHintText": "hint" })).await;
    t
}

#[tokio::test]
async fn documented_responses_are_all_covered() {
    let Some(names) = branding_examples(".response.json") else {
        return;
    };
    assert_eq!(
        names,
        [
            "v1.0.organizationalBranding.get.ex5.response.json",
            "v1.0.organizationalBranding.get.response.json",
            "v1.0.organizationalBrandingLocalization.get.ex4.response.json",
            "v1.0.organizationalBrandingLocalization.get.response.json",
            "v1.0.organizationalBrandingLocalization.list.response.json",
        ],
        "a new response example needs a shape test below"
    );
}

#[tokio::test]
async fn branding_get_has_the_documented_shape() {
    let Some(documented) = support::example("v1.0.organizationalBranding.get.response.json") else {
        return;
    };
    let t = documented_tenant().await;
    let resp = get0(&t, &branding(&t)).await;
    assert_same_shape(&resp.json, &documented, OMITTED_BY_THE_SAMPLES);
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#branding")
    );
    let tenant = t.emulator.tenant_id();
    assert!(resp.json["@odata.id"].as_str().unwrap().ends_with(&format!(
        "/v2/{tenant}/directoryObjects/$/Microsoft.DirectoryServices.Organization('{tenant}')/branding/0"
    )));
}

#[tokio::test]
async fn localization_get_has_the_documented_shape() {
    let Some(documented) =
        support::example("v1.0.organizationalBrandingLocalization.get.response.json")
    else {
        return;
    };
    let t = documented_tenant().await;
    let resp = t
        .get(&format!("{}/localizations/fr-FR", branding(&t)))
        .await;
    assert_same_shape(&resp.json, &documented, OMITTED_BY_THE_SAMPLES);
    assert_eq!(resp.json["@odata.type"], documented["@odata.type"]);
    assert!(
        resp.json["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with(&format!(
                "/v1.0/$metadata#organization('{}')/branding/localizations/$entity",
                t.emulator.tenant_id()
            ))
    );
    assert!(
        resp.json["@odata.id"]
            .as_str()
            .unwrap()
            .ends_with("//localizations('fr-FR')/fr-FR")
    );
}

#[tokio::test]
async fn localization_list_has_the_documented_shape() {
    let Some(documented) =
        support::example("v1.0.organizationalBrandingLocalization.list.response.json")
    else {
        return;
    };
    let t = documented_tenant().await;
    let resp = t.get(&format!("{}/localizations", branding(&t))).await;
    // The docs list the default and `fr`; this tenant also has `fr-FR` between them.
    let mut value = resp.json["value"].as_array().unwrap().clone();
    value.retain(|item| item["id"] != "fr-FR");
    let actual = json!({ "@odata.context": resp.json["@odata.context"], "value": value });
    assert_same_shape(&actual, &documented, OMITTED_BY_THE_SAMPLES);
    assert_eq!(value.len(), 2);
    assert!(
        value[0]["@odata.id"]
            .as_str()
            .unwrap()
            .ends_with("//localizations/0")
    );
    assert!(
        value[1]["@odata.id"]
            .as_str()
            .unwrap()
            .ends_with("//localizations/fr")
    );
    assert_eq!(value[1]["cdnList"], json!([]));
}

#[tokio::test]
async fn unset_stream_reads_are_the_documented_empty_object() {
    let Some(branding_sample) =
        support::example("v1.0.organizationalBranding.get.ex5.response.json")
    else {
        return;
    };
    let localization_sample =
        support::example("v1.0.organizationalBrandingLocalization.get.ex4.response.json").unwrap();
    let t = documented_tenant().await;
    let base = branding(&t);
    for (path, documented) in [
        (
            format!("{base}/localizations/0/headerLogo"),
            &branding_sample,
        ),
        (format!("{base}/headerLogo"), &branding_sample),
        (
            format!("{base}/localizations/fr-FR/squareLogo"),
            &localization_sample,
        ),
    ] {
        let resp = t.get(&path).await;
        assert_status(&resp, 200);
        assert_same_shape(&resp.json, documented, &[]);
        assert_eq!(&resp.json, documented, "{path}");
    }
}
