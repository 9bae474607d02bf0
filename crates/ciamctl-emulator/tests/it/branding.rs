//! Company branding and localizations (REFERENCE.md §7, §8): the quirks of §15.13–§15.18, the
//! conventions picked for §16.9–§16.12, the upload limits, both stream paths, and the
//! contract's example bodies.

use ciamctl_emulator::{
    EmulatorConfig, LocalePatch, MissingAcceptLanguage, NotFoundBody, Stream, StreamRemoval,
    Tenant, UploadWithoutBranding, route_table,
};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::branding::{
    assert_uploads, attach_stream, brand_like_the_docs, branding, create_default_branding,
    create_localization, get_branding, get0, localization, localizations, patch_branding, patch0,
    put_stream, send_with_language, stream, upload,
};
use crate::support::images::{ico, jpeg, png, png_of_size};
use crate::support::roles::{act_as, assert_denied, with_clients};
use crate::support::{
    self, Resp, TestEmulator, assert_same_shape, documented, sorted_keys, strings,
};

// ---------------------------------------------------------------------------------------------
// §15.13: 404 without a default branding; unset streams read as `{}`; `0` and `default`.

#[tokio::test]
async fn quirk_13_branding_get_without_default_branding_is_404() {
    let t = TestEmulator::start().await;
    get0(&t, &branding(&t))
        .await
        .assert_error(404, "Request_ResourceNotFound");
    create_default_branding(&t).await;
    get0(&t, &branding(&t)).await.assert_status(200);
}

#[tokio::test]
async fn convention_16_12_the_404_has_graphs_error_body_unless_switched_to_none() {
    let t = TestEmulator::start().await;
    get0(&t, &branding(&t))
        .await
        .assert_error(404, "Request_ResourceNotFound")
        .assert_request_id_in_body();

    let mut config = EmulatorConfig::default();
    config.conventions.branding.not_found_body = NotFoundBody::Empty;
    let t = TestEmulator::start_with(config).await;
    let resp = get0(&t, &branding(&t)).await;
    resp.assert_status(404);
    assert!(resp.bytes.is_empty());
}

#[tokio::test]
async fn quirk_13_a_stream_never_set_reads_as_200_empty_object_on_both_paths() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    for path in [
        "/localizations/0/bannerLogo",
        "/bannerLogo",
        "/localizations/default/customCSS",
        "/localizations/fr-FR/squareLogo",
    ] {
        let resp = t.get(&format!("{}{path}", branding(&t))).await;
        resp.assert_status(200);
        assert_eq!(resp.json, json!({}), "{path}");
    }
}

#[tokio::test]
async fn stream_of_a_missing_branding_or_localization_is_404() {
    let t = TestEmulator::start().await;
    t.get(&stream(&t, "0", "bannerLogo"))
        .await
        .assert_status(404);
    create_default_branding(&t).await;
    t.get(&stream(&t, "fr-FR", "bannerLogo"))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn quirk_13_default_branding_is_addressable_as_0_and_default() {
    let t = TestEmulator::start().await;
    patch0(&t, &branding(&t), json!({ "signInPageText": "Hello" }))
        .await
        .assert_status(204);
    for path in [
        "/localizations/0",
        "/localizations/default",
        "/localizations/DEFAULT",
    ] {
        let resp = t.get(&format!("{}{path}", branding(&t))).await;
        resp.assert_status(200);
        assert_eq!(resp.json["id"], "0");
        assert_eq!(resp.json["signInPageText"], "Hello");
    }
    let resp = get_branding(&t, Some("default")).await;
    assert_eq!(resp.json["signInPageText"], "Hello");
}

// ---------------------------------------------------------------------------------------------
// §15.14: Accept-Language.

#[tokio::test]
async fn quirk_14_branding_get_and_patch_without_accept_language_are_400() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    get_branding(&t, None)
        .await
        .assert_status(400)
        .assert_error_mentions("Accept-Language");
    patch_branding(&t, None, json!({ "signInPageText": "x" }))
        .await
        .assert_status(400);
    assert_eq!(get0(&t, &branding(&t)).await.json["signInPageText"], "");
}

#[tokio::test]
async fn quirk_14_missing_accept_language_switch_reads_the_default_branding() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.missing_accept_language = MissingAcceptLanguage::DefaultBranding;
    let t = TestEmulator::start_with(config).await;
    patch_branding(&t, None, json!({ "signInPageText": "x" }))
        .await
        .assert_status(204);
    let resp = get_branding(&t, None).await;
    resp.assert_status(200);
    assert_eq!(resp.json["id"], "0");
    assert_eq!(resp.json["signInPageText"], "x");
}

#[tokio::test]
async fn quirk_14_branding_get_with_a_locale_returns_that_localizations_values() {
    let t = TestEmulator::start().await;
    patch0(&t, &branding(&t), json!({ "signInPageText": "Default" }))
        .await
        .assert_status(204);
    create_localization(&t, json!({ "id": "fr-FR", "signInPageText": "Bienvenue" })).await;
    let resp = get_branding(&t, Some("fr-FR")).await;
    resp.assert_status(200);
    assert_eq!(resp.json["id"], "fr-FR");
    assert_eq!(resp.json["signInPageText"], "Bienvenue");
    // A browser-style list selects its first entry.
    let resp = get_branding(&t, Some("fr-fr, en;q=0.5")).await;
    assert_eq!(resp.json["signInPageText"], "Bienvenue");
    get_branding(&t, Some("de-DE")).await.assert_status(404);
    get_branding(&t, Some("not a locale"))
        .await
        .assert_status(400);
}

#[tokio::test]
async fn convention_16_11_branding_patch_with_a_locale_patches_that_localization() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    patch_branding(&t, Some("fr-FR"), json!({ "usernameHintText": "Courriel" }))
        .await
        .assert_status(204);
    let fr = t.get(&localization(&t, "fr-FR")).await;
    assert_eq!(fr.json["usernameHintText"], "Courriel");
    assert_eq!(get0(&t, &branding(&t)).await.json["usernameHintText"], "");
    patch_branding(&t, Some("de-DE"), json!({}))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn convention_16_11_locale_patch_switch_refuse_answers_400() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.locale_patch = LocalePatch::Refuse;
    let t = TestEmulator::start_with(config).await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    patch_branding(&t, Some("fr-FR"), json!({ "usernameHintText": "x" }))
        .await
        .assert_status(400);
    let fr = t.get(&localization(&t, "fr-FR")).await;
    assert_eq!(fr.json["usernameHintText"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// §15.15: streams only by URL, never mixed with strings; upload limits.

#[tokio::test]
async fn quirk_15_json_body_mixing_a_stream_and_strings_is_refused() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let mixed = json!({ "signInPageText": "x", "bannerLogo": "iVBORw0KGgo=" });
    patch0(&t, &branding(&t), mixed.clone())
        .await
        .assert_status(400)
        .assert_error_mentions("same request");
    let mut create = mixed;
    create["id"] = json!("fr-FR");
    t.post(&localizations(&t), create).await.assert_status(400);
    assert_eq!(get0(&t, &branding(&t)).await.json["signInPageText"], "");
    t.get(&localization(&t, "fr-FR")).await.assert_status(404);
}

#[tokio::test]
async fn quirk_15_json_body_with_only_a_stream_is_refused() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    patch0(&t, &branding(&t), json!({ "squareLogo": "iVBORw0KGgo=" }))
        .await
        .assert_status(400)
        .assert_error_mentions("PUT");
}

#[tokio::test]
async fn json_sent_to_a_stream_url_is_refused() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    send_with_language(
        &t,
        Method::PUT,
        &stream(&t, "0", "bannerLogo"),
        None,
        Some(json!({ "signInPageText": "x" })),
    )
    .await
    .assert_status(400);
}

#[tokio::test]
async fn quirk_15_put_on_the_localization_path_is_served_back_with_relative_url_and_cdn_list() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let before = get0(&t, &branding(&t)).await;
    assert_eq!(before.json["bannerLogoRelativeUrl"], Value::Null);
    assert_eq!(before.json["cdnList"], json!([]));
    let logo = png(245, 36);
    attach_stream(
        &t,
        &stream(&t, "0", "bannerLogo"),
        "image/png",
        logo.clone(),
    )
    .await;
    let resp = t.get(&stream(&t, "0", "bannerLogo")).await;
    resp.assert_status(200);
    assert_eq!(resp.header("content-type"), Some("image/png"));
    assert_eq!(resp.bytes, logo);
    let after = get0(&t, &branding(&t)).await;
    let url = after.json["bannerLogoRelativeUrl"].as_str().unwrap();
    let (hash, rest) = url.split_once('/').unwrap();
    assert!(hash.len() > 8 && hash.contains('-'), "{url}");
    let timestamp = rest.strip_prefix("logintenantbranding/0/bannerlogo?ts=");
    assert!(
        timestamp.is_some_and(|ts| ts.parse::<u64>().is_ok()),
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
    attach_stream(
        &t,
        &stream(&t, "fr-FR", "squareLogo"),
        "image/png",
        png(240, 240),
    )
    .await;
    let fr = t.get(&localization(&t, "fr-FR")).await;
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
    create_default_branding(&t).await;
    let older = |name: &str| format!("{}/{name}", branding(&t));
    let square = png(240, 240);
    upload(
        &t,
        Method::PATCH,
        &older("squareLogo"),
        "image/png",
        square.clone(),
    )
    .await
    .assert_status(204);
    let header = jpeg(200, 30);
    attach_stream(&t, &older("headerLogo"), "image/jpeg", header.clone()).await;
    for (name, bytes, media_type) in [
        ("squareLogo", &square, "image/png"),
        ("headerLogo", &header, "image/jpeg"),
    ] {
        for path in [older(name), stream(&t, "0", name)] {
            let resp = t.get(&path).await;
            assert_eq!(&resp.bytes, bytes, "{path}");
            assert_eq!(resp.header("content-type"), Some(media_type), "{path}");
        }
    }
}

#[tokio::test]
async fn quirk_15_banner_and_header_logos_are_at_most_245_by_36_pixels() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    for name in ["bannerLogo", "headerLogo"] {
        let path = stream(&t, "0", name);
        assert_uploads(
            &t,
            &path,
            vec![
                ("image/png", png(245, 36), 204),
                ("image/png", png(246, 36), 400),
            ],
        )
        .await;
        put_stream(&t, &path, "image/jpeg", jpeg(245, 37))
            .await
            .assert_status(400)
            .assert_error_mentions("245×37");
    }
}

#[tokio::test]
async fn quirk_15_square_logos_are_at_most_240_pixels_and_10_kb() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    for name in ["squareLogo", "squareLogoDark"] {
        let cases = vec![
            ("image/png", png_of_size(240, 240, 10 * 1024), 204),
            ("image/png", png_of_size(240, 240, 10 * 1024 + 1), 400),
            ("image/png", png(241, 240), 400),
            ("image/png", png(240, 241), 400),
        ];
        assert_uploads(&t, &stream(&t, "0", name), cases).await;
    }
}

#[tokio::test]
async fn convention_16_10_background_image_is_at_most_1920_by_1080_and_300_kb() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    // §7: "not smaller than 300 KB" is read as at most 300 KB.
    let cases = vec![
        ("image/png", png_of_size(1920, 1080, 300 * 1024), 204),
        ("image/png", png_of_size(1920, 1080, 300 * 1024 + 1), 400),
        ("image/png", png(1921, 1080), 400),
        ("image/jpeg", jpeg(1920, 1081), 400),
        ("image/jpeg", jpeg(640, 480), 204),
    ];
    assert_uploads(&t, &stream(&t, "0", "backgroundImage"), cases).await;
}

#[tokio::test]
async fn quirk_15_image_type_comes_from_magic_bytes_and_must_match_the_content_type() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let path = stream(&t, "0", "bannerLogo");
    let gif = b"GIF89a\x01\x00\x01\x00".to_vec();
    let cases = vec![
        // PNG bytes declared as JPEG, and the reverse.
        ("image/jpeg", png(10, 10), 400),
        ("image/png", jpeg(10, 10), 400),
        // A GIF, and text, whatever they claim to be.
        ("image/png", gif.clone(), 400),
        ("image/gif", gif, 400),
        // A PNG whose IHDR is cut off.
        ("image/png", png(10, 10)[..20].to_vec(), 400),
        // ICO is a favicon format only.
        ("image/x-icon", ico(), 400),
        // `image/jpg` (listed by the CSDL) and media-type parameters are accepted.
        ("image/JPG; q=1", jpeg(10, 10), 204),
    ];
    assert_uploads(&t, &path, cases).await;
    assert_eq!(
        t.get(&path).await.header("content-type"),
        Some("image/jpeg")
    );
}

#[tokio::test]
async fn convention_16_10_favicon_accepts_ico_png_and_jpeg() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let path = stream(&t, "0", "favicon");
    attach_stream(&t, &path, "image/x-icon", ico()).await;
    assert_eq!(
        t.get(&path).await.header("content-type"),
        Some("image/x-icon")
    );
    let cases = vec![
        ("image/vnd.microsoft.icon", ico(), 204),
        ("image/png", png(32, 32), 204),
        ("image/jpeg", jpeg(32, 32), 204),
        ("image/x-icon", vec![0, 0, 1, 0, 1, 0], 400),
    ];
    assert_uploads(&t, &path, cases).await;
}

#[tokio::test]
async fn convention_16_10_custom_css_takes_text_css_of_at_most_25_kb() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let path = stream(&t, "0", "customCSS");
    let css = b".ext-sign-in-box { border-radius: 8px; }\n".to_vec();
    attach_stream(&t, &path, "text/css; charset=utf-8", css.clone()).await;
    let resp = t.get(&path).await;
    assert_eq!(resp.bytes, css);
    assert_eq!(resp.header("content-type"), Some("text/css"));
    let url = &get0(&t, &branding(&t)).await.json["customCSSRelativeUrl"];
    assert!(url.as_str().unwrap().contains("/customcss?ts="), "{url}");
    let cases = vec![
        ("text/css", vec![b' '; 25 * 1024], 204),
        ("text/css", vec![b' '; 25 * 1024 + 1], 400),
        ("image/png", png(1, 1), 400),
        ("text/css", png(1, 1), 400),
    ];
    assert_uploads(&t, &path, cases).await;
}

#[tokio::test]
async fn woodgrove_example_assets_upload_as_they_are() {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../config-examples/woodgrove/assets");
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    for (file, locale, name, content_type) in [
        ("banner.png", "0", "bannerLogo", "image/png"),
        ("banner-fr.png", "fr-FR", "bannerLogo", "image/png"),
        ("favicon.ico", "0", "favicon", "image/x-icon"),
        ("custom.css", "0", "customCSS", "text/css"),
    ] {
        let data = std::fs::read(assets.join(file)).unwrap();
        attach_stream(&t, &stream(&t, locale, name), content_type, data).await;
    }
}

#[tokio::test]
async fn upload_to_a_missing_localization_or_before_the_default_branding_is_404() {
    let t = TestEmulator::start().await;
    put_stream(&t, &stream(&t, "0", "bannerLogo"), "image/png", png(1, 1))
        .await
        .assert_status(404);
    get0(&t, &branding(&t)).await.assert_status(404);
    create_default_branding(&t).await;
    put_stream(
        &t,
        &stream(&t, "fr-FR", "bannerLogo"),
        "image/png",
        png(1, 1),
    )
    .await
    .assert_status(404);
}

#[tokio::test]
async fn upload_without_branding_switch_create_default_creates_it() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.upload_without_branding = UploadWithoutBranding::CreateDefault;
    let t = TestEmulator::start_with(config).await;
    attach_stream(
        &t,
        &format!("{}/bannerLogo", branding(&t)),
        "image/png",
        png(1, 1),
    )
    .await;
    let resp = get0(&t, &branding(&t)).await;
    resp.assert_status(200);
    assert!(resp.json["bannerLogoRelativeUrl"].is_string());
}

#[tokio::test]
async fn unknown_and_non_stream_segments_cannot_be_uploaded() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    put_stream(&t, &stream(&t, "0", "logo"), "image/png", png(1, 1))
        .await
        .assert_status(400);
    put_stream(
        &t,
        &stream(&t, "0", "signInPageText"),
        "image/png",
        png(1, 1),
    )
    .await
    .assert_status(405);
    upload(
        &t,
        Method::PATCH,
        &localizations(&t),
        "image/png",
        png(1, 1),
    )
    .await
    .assert_status(405);
}

// ---------------------------------------------------------------------------------------------
// §15.16: no DELETE while streams are attached.

#[tokio::test]
async fn quirk_16_branding_delete_is_refused_while_streams_are_attached() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let logo = stream(&t, "0", "bannerLogo");
    attach_stream(&t, &logo, "image/png", png(245, 36)).await;
    t.delete(&branding(&t))
        .await
        .assert_status(400)
        .assert_error_mentions("0/bannerLogo");
    get0(&t, &branding(&t)).await.assert_status(200);
    t.delete(&logo).await.assert_status(204);
    t.delete(&branding(&t)).await.assert_status(204);
    get0(&t, &branding(&t)).await.assert_status(404);
    t.delete(&branding(&t)).await.assert_status(404);
}

#[tokio::test]
async fn quirk_16_branding_delete_is_refused_while_a_localization_has_a_stream() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    attach_stream(
        &t,
        &stream(&t, "fr-FR", "customCSS"),
        "text/css",
        b"a{}".to_vec(),
    )
    .await;
    t.delete(&branding(&t))
        .await
        .assert_status(400)
        .assert_error_mentions("fr-FR/customCSS");
}

#[tokio::test]
async fn branding_delete_removes_its_localizations() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    t.delete(&branding(&t)).await.assert_status(204);
    t.get(&localization(&t, "fr-FR")).await.assert_status(404);
    let list = t.get(&localizations(&t)).await;
    assert_eq!(list.json["value"], json!([]));
}

#[tokio::test]
async fn quirk_16_localization_delete_is_refused_while_streams_are_attached() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    let fr = localization(&t, "fr-FR");
    attach_stream(&t, &format!("{fr}/bannerLogo"), "image/png", png(245, 36)).await;
    t.delete(&fr).await.assert_status(400);
    t.delete(&format!("{fr}/bannerLogo"))
        .await
        .assert_status(204);
    t.delete(&fr).await.assert_status(204);
    t.get(&fr).await.assert_status(404);
    t.delete(&fr).await.assert_status(404);
}

#[tokio::test]
async fn the_default_branding_is_not_deleted_as_a_localization() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    t.delete(&localization(&t, "0")).await.assert_status(400);
    get0(&t, &branding(&t)).await.assert_status(200);
}

// ---------------------------------------------------------------------------------------------
// §15.17: localizations.

#[tokio::test]
async fn quirk_17_creating_the_first_localization_creates_the_default_branding() {
    let t = TestEmulator::start().await;
    get0(&t, &branding(&t)).await.assert_status(404);
    let resp = t.post(&localizations(&t), json!({ "id": "fr-FR" })).await;
    resp.assert_status(201);
    assert_eq!(resp.json["id"], "fr-FR");
    assert_eq!(
        resp.header("location"),
        Some(t.url(&localization(&t, "fr-FR")).as_str())
    );
    let default = get0(&t, &branding(&t)).await;
    default.assert_status(200);
    assert_eq!(default.json["id"], "0");
}

#[tokio::test]
async fn quirk_17_posting_id_0_or_default_is_refused() {
    let t = TestEmulator::start().await;
    for id in ["0", "default", "Default"] {
        t.post(&localizations(&t), json!({ "id": id }))
            .await
            .assert_status(400);
    }
    get0(&t, &branding(&t)).await.assert_status(404);
}

#[tokio::test]
async fn quirk_17_a_second_localization_for_a_locale_is_409() {
    let t = TestEmulator::start().await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    t.post(&localizations(&t), json!({ "id": "fr-fr" }))
        .await
        .assert_error(409, "Request_MultipleObjectsWithSameKeyValue");
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
        t.post(&localizations(&t), body).await.assert_status(400);
    }
    create_localization(&t, json!({ "id": "fr" })).await;
    create_localization(&t, json!({ "id": "zh-Hant-TW" })).await;
}

#[tokio::test]
async fn quirk_17_localization_list_includes_the_default_as_id_0_first() {
    let t = TestEmulator::start().await;
    let list = t.get(&localizations(&t)).await;
    list.assert_status(200);
    assert_eq!(list.json["value"], json!([]));
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    create_localization(&t, json!({ "id": "de" })).await;
    let list = t.get(&localizations(&t)).await;
    let ids: Vec<&str> = list.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["0", "fr-FR", "de"]);
    assert!(list.context().ends_with(&format!(
        "/v1.0/$metadata#organization('{}')/branding/localizations",
        t.emulator.tenant_id()
    )));
}

#[tokio::test]
async fn quirk_25_localization_list_pages_when_a_default_page_size_is_set() {
    let config = EmulatorConfig {
        default_page_size: Some(2),
        ..EmulatorConfig::default()
    };
    let t = TestEmulator::start_with(config).await;
    create_localization(&t, json!({ "id": "fr-FR" })).await;
    create_localization(&t, json!({ "id": "de-DE" })).await;
    let pages = t.pages(&format!("{}?$select=id", localizations(&t))).await;
    let ids: Vec<Vec<String>> = pages.iter().map(Resp::item_ids).collect();
    assert_eq!(ids, [strings(&["0", "fr-FR"]), strings(&["de-DE"])]);
    let last = &pages[1].json["value"][0];
    assert_eq!(sorted_keys(last), ["@odata.id", "id"], "{last}");
}

// ---------------------------------------------------------------------------------------------
// §15.18: a localization keeps `" "` (blank) and `null` (inherit) apart.

#[tokio::test]
async fn quirk_18_localization_reads_keep_blank_empty_and_null_apart() {
    let t = TestEmulator::start().await;
    patch0(&t, &branding(&t), json!({ "signInPageText": "Welcome" }))
        .await
        .assert_status(204);
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
    let fr = t.get(&localization(&t, "fr-FR")).await;
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
        &localization(&t, "fr-FR"),
        json!({ "signInPageText": null }),
    )
    .await
    .assert_status(204);
    let fr = t.get(&localization(&t, "fr-FR")).await;
    assert_eq!(fr.json["signInPageText"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// §16.9: removing one stream.

#[tokio::test]
async fn convention_16_9_delete_on_a_stream_url_removes_that_stream_only() {
    let t = TestEmulator::start().await;
    create_default_branding(&t).await;
    let base = branding(&t);
    attach_stream(
        &t,
        &stream(&t, "0", "bannerLogo"),
        "image/png",
        png(245, 36),
    )
    .await;
    attach_stream(&t, &stream(&t, "0", "squareLogo"), "image/png", png(24, 24)).await;
    t.delete(&stream(&t, "0", "bannerLogo"))
        .await
        .assert_status(204);
    assert_eq!(t.get(&format!("{base}/bannerLogo")).await.json, json!({}));
    let default = get0(&t, &base).await;
    assert_eq!(default.json["bannerLogoRelativeUrl"], Value::Null);
    assert!(default.json["squareLogoRelativeUrl"].is_string());
    // The older path, and a stream that is not set.
    t.delete(&format!("{base}/squareLogo"))
        .await
        .assert_status(204);
    t.delete(&format!("{base}/squareLogo"))
        .await
        .assert_status(204);
    assert_eq!(get0(&t, &base).await.json["cdnList"], json!([]));
    // An empty PUT is not a removal under this convention.
    put_stream(&t, &stream(&t, "0", "favicon"), "image/png", Vec::new())
        .await
        .assert_status(400);
}

#[tokio::test]
async fn convention_16_9_empty_put_switch_clears_a_stream_and_refuses_delete() {
    let mut config = EmulatorConfig::default();
    config.conventions.branding.stream_removal = StreamRemoval::EmptyPut;
    let t = TestEmulator::start_with(config).await;
    create_default_branding(&t).await;
    let logo = stream(&t, "0", "bannerLogo");
    attach_stream(&t, &logo, "image/png", png(245, 36)).await;
    t.delete(&logo).await.assert_status(405);
    assert!(get0(&t, &branding(&t)).await.json["bannerLogoRelativeUrl"].is_string());
    put_stream(&t, &logo, "image/png", Vec::new())
        .await
        .assert_status(204);
    assert_eq!(t.get(&logo).await.json, json!({}));
    t.delete(&branding(&t)).await.assert_status(204);
}

// ---------------------------------------------------------------------------------------------
// Writes, reads, `$select`, one property.

#[tokio::test]
async fn quirk_24_branding_patch_answers_enums_in_csdl_casing_and_merges_nested_settings() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    patch0(&t, &base, json!({
        "loginPageLayoutConfiguration": { "layoutTemplateType": "VerticalSplit", "isHeaderShown": true },
        "loginPageTextVisibilitySettings": { "hideForgotMyPassword": true }
    }))
    .await.assert_status(204);
    patch0(
        &t,
        &base,
        json!({ "loginPageLayoutConfiguration": { "isFooterShown": false } }),
    )
    .await
    .assert_status(204);
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
    get0(&t, &base).await.assert_status(404);
}

#[tokio::test]
async fn external_tenant_branding_has_content_customization() {
    let t = TestEmulator::start().await;
    let base = branding(&t);
    create_default_branding(&t).await;
    let read = get0(&t, &base).await;
    assert!(
        read.json
            .as_object()
            .unwrap()
            .contains_key("contentCustomization")
    );
    assert_eq!(read.json["contentCustomization"], Value::Null);
    patch0(&t, &base, json!({
        "contentCustomization": { "attributeCollection": [{ "key": "Email_Label", "value": "Courriel" }] }
    }))
    .await
    .assert_status(204);
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
    patch0(&t, &base, json!({ "signInPageText": "Hi" }))
        .await
        .assert_status(204);
    let resp = get0(&t, &format!("{base}?$select=signInPageText,id")).await;
    resp.assert_status(200);
    assert_eq!(
        sorted_keys(&resp.json),
        ["@odata.context", "@odata.id", "id", "signInPageText"]
    );
    get0(&t, &format!("{base}?$select=nope"))
        .await
        .assert_error(400, "Request_BadRequest");
    let resp = get0(&t, &format!("{base}?$expand=localizations")).await;
    assert_eq!(resp.error_code(), "Request_UnsupportedQuery");
    let resp = t.get(&format!("{}?$top=1", localizations(&t))).await;
    assert_eq!(resp.error_code(), "Request_UnsupportedQuery");
    let resp = t
        .get(&format!(
            "{}?$select=usernameHintText",
            localization(&t, "0")
        ))
        .await;
    assert_eq!(
        sorted_keys(&resp.json),
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
    let fr = localization(&t, "fr-FR");
    let resp = t.get(&format!("{fr}/signInPageText")).await;
    resp.assert_status(200);
    assert_eq!(resp.json["value"], " ");
    assert!(resp.context().ends_with(&format!(
        "/v1.0/$metadata#organization('{tenant}')/branding/localizations('fr-FR')/signInPageText"
    )));
    let resp = t.get(&format!("{base}/signInPageText")).await;
    assert_eq!(resp.json["value"], "");
    assert!(resp.context().ends_with("/branding/signInPageText"));
    let resp = t.get(&format!("{fr}/cdnList")).await;
    assert_eq!(resp.json["value"], json!([]));
    let layout = json!({ "loginPageLayoutConfiguration": { "isHeaderShown": true } });
    patch0(&t, &base, layout).await.assert_status(204);
    let resp = t
        .get(&format!(
            "{}/loginPageLayoutConfiguration",
            localization(&t, "0")
        ))
        .await;
    assert_eq!(resp.json["isHeaderShown"], true);
    assert!(resp.json["@odata.context"].is_string());
    t.get(&format!("{fr}/nope")).await.assert_status(400);
}

#[tokio::test]
async fn another_organization_id_is_404() {
    let t = TestEmulator::start().await;
    get0(
        &t,
        "/v1.0/organization/00000000-0000-0000-0000-000000000000/branding",
    )
    .await
    .assert_error(404, "Request_ResourceNotFound");
}

#[tokio::test]
async fn beta_serves_branding_too() {
    let t = TestEmulator::start().await;
    let base = format!("/beta/organization/{}/branding", t.emulator.tenant_id());
    patch0(&t, &base, json!({ "signInPageText": "beta" }))
        .await
        .assert_status(204);
    let resp = get0(&t, &base).await;
    assert_eq!(resp.json["signInPageText"], "beta");
    assert!(resp.context().ends_with("/beta/$metadata#branding"));
    let logo = format!("{base}/localizations/0/bannerLogo");
    attach_stream(&t, &logo, "image/png", png(2, 2)).await;
}

#[tokio::test]
async fn branding_needs_organizational_branding_roles() {
    const READER: &[&str] = &["OrganizationalBranding.Read.All"];
    const OTHER: &[&str] = &["IdentityProvider.ReadWrite.All"];
    let mut t = with_clients(&[READER, OTHER]).await;
    create_default_branding(&t).await;
    act_as(&mut t, READER).await;
    get0(&t, &branding(&t)).await.assert_status(200);
    assert_denied(&patch0(&t, &branding(&t), json!({ "signInPageText": "x" })).await);
    let logo = format!("{}/bannerLogo", branding(&t));
    assert_denied(&put_stream(&t, &logo, "image/png", png(1, 1)).await);
    act_as(&mut t, OTHER).await;
    assert_denied(&get0(&t, &branding(&t)).await);
    assert_denied(&t.get(&localizations(&t)).await);
}

#[test]
fn convention_16_19_branding_routes_ask_for_organizational_branding_permissions() {
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
    attach_stream(
        &t,
        &stream(&t, "fr-FR", "bannerLogo"),
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
        let path = format!("{}{path}", branding(&t));
        let resp = send_with_language(&t, method, &path, Some("0"), Some(documented(name))).await;
        assert_eq!(resp.status, status, "{name}: {}", resp.json);
    }
}

/// A tenant in the state the docs' response samples show (see [`brand_like_the_docs`]).
async fn documented_tenant() -> TestEmulator {
    let t = TestEmulator::start().await;
    brand_like_the_docs(&t).await;
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
    let Some(sample) = support::example("v1.0.organizationalBranding.get.response.json") else {
        return;
    };
    let t = documented_tenant().await;
    let resp = get0(&t, &branding(&t)).await;
    assert_same_shape(&resp.json, &sample, OMITTED_BY_THE_SAMPLES);
    assert!(resp.context().ends_with("/v1.0/$metadata#branding"));
    let tenant = t.emulator.tenant_id();
    assert!(resp.json["@odata.id"].as_str().unwrap().ends_with(&format!(
        "/v2/{tenant}/directoryObjects/$/Microsoft.DirectoryServices.Organization('{tenant}')/branding/0"
    )));
}

#[tokio::test]
async fn localization_get_has_the_documented_shape() {
    let Some(sample) =
        support::example("v1.0.organizationalBrandingLocalization.get.response.json")
    else {
        return;
    };
    let t = documented_tenant().await;
    let resp = t.get(&localization(&t, "fr-FR")).await;
    assert_same_shape(&resp.json, &sample, OMITTED_BY_THE_SAMPLES);
    assert_eq!(resp.json["@odata.type"], sample["@odata.type"]);
    assert!(resp.context().ends_with(&format!(
        "/v1.0/$metadata#organization('{}')/branding/localizations/$entity",
        t.emulator.tenant_id()
    )));
    assert!(
        resp.json["@odata.id"]
            .as_str()
            .unwrap()
            .ends_with("//localizations('fr-FR')/fr-FR")
    );
}

#[tokio::test]
async fn localization_list_has_the_documented_shape() {
    let Some(sample) =
        support::example("v1.0.organizationalBrandingLocalization.list.response.json")
    else {
        return;
    };
    let t = documented_tenant().await;
    let resp = t.get(&localizations(&t)).await;
    // The docs list the default and `fr`; this tenant also has `fr-FR` between them.
    let mut value = resp.json["value"].as_array().unwrap().clone();
    value.retain(|item| item["id"] != "fr-FR");
    let actual = json!({ "@odata.context": resp.json["@odata.context"], "value": value });
    assert_same_shape(&actual, &sample, OMITTED_BY_THE_SAMPLES);
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
        documented("v1.0.organizationalBrandingLocalization.get.ex4.response.json");
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
        resp.assert_status(200);
        assert_same_shape(&resp.json, documented, &[]);
        assert_eq!(&resp.json, documented, "{path}");
    }
}
