//! Reading branding and localizations: unset strings, blanks, assets, the default in the list.

use serde_json::{Value, json};

use crate::read::{FromGraph, parse_collection};
use crate::{AssetContent, AssetState, Branding, Localization, Stream};

fn branding(value: &Value) -> Branding {
    Branding::from_graph(value).unwrap()
}

#[test]
fn unset_strings_of_the_default_branding_read_as_none() {
    let branding = branding(&json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#branding",
        "id": "0",
        "backgroundColor": "",
        "signInPageText": "Contoso",
        "usernameHintText": "",
        "customTermsOfUseUrl": null,
        "cdnList": []
    }));
    let p = &branding.properties;
    assert_eq!(p.background_color, None);
    assert_eq!(p.sign_in_page_text.as_deref(), Some("Contoso"));
    assert_eq!(p.username_hint_text, None);
    assert_eq!(p.custom_terms_of_use_url, None);
}

#[test]
fn a_blank_string_stays_distinct_from_unset() {
    let localization = Localization::from_graph(
        &json!({ "id": "fr-FR", "signInPageText": " ", "usernameHintText": "" }),
    )
    .unwrap();
    assert_eq!(
        localization.properties.sign_in_page_text.as_deref(),
        Some(" ")
    );
    assert_eq!(localization.properties.username_hint_text, None);
}

#[test]
fn relative_urls_say_which_assets_are_present_and_are_not_kept() {
    let branding = branding(&json!({
        "id": "0",
        "bannerLogoRelativeUrl": "tenant/logintenantbranding/0/bannerlogo?ts=1",
        "squareLogoRelativeUrl": null,
        "customCSSRelativeUrl": "tenant/logintenantbranding/0/customcss?ts=2"
    }));
    let p = &branding.properties;
    assert_eq!(p.assets.len(), Stream::ALL.len());
    assert_eq!(
        p.asset(Stream::BannerLogo),
        &AssetState::Present { content: None }
    );
    assert_eq!(
        p.asset(Stream::CustomCss),
        &AssetState::Present { content: None }
    );
    assert_eq!(p.asset(Stream::SquareLogo), &AssetState::Absent);
    assert_eq!(p.asset(Stream::Favicon), &AssetState::Absent);
    let json = serde_json::to_string(&branding).unwrap();
    assert!(!json.contains("ts=1"), "{json}");
}

#[test]
fn the_same_branding_uploaded_again_reads_equal() {
    let one = branding(
        &json!({ "id": "0", "bannerLogoRelativeUrl": "t/0/bannerlogo?ts=1", "cdnList": ["a"] }),
    );
    let two = branding(
        &json!({ "id": "0", "bannerLogoRelativeUrl": "t/0/bannerlogo?ts=2", "cdnList": ["b"] }),
    );
    assert_eq!(one, two);
}

#[test]
fn complex_properties_read_and_empty_ones_are_unset() {
    let branding = branding(&json!({
        "id": "0",
        "loginPageLayoutConfiguration": { "layoutTemplateType": "VerticalSplit", "isHeaderShown": false, "isFooterShown": true },
        "loginPageTextVisibilitySettings": { "hideAccountResetCredentials": null, "hideTermsOfUse": null },
        "contentCustomization": {
            "attributeCollection": [ { "key": "AttributeCollection_Description", "value": "Tell us more" } ],
            "attributeCollectionRelativeUrl": "t/0/attributecollection?ts=1",
            "registrationCampaign": []
        }
    }));
    let p = branding.properties;
    let layout = p.login_page_layout_configuration.unwrap();
    assert_eq!(
        layout.layout_template_type.as_deref(),
        Some("verticalSplit")
    );
    assert_eq!(layout.is_footer_shown, Some(true));
    assert_eq!(p.login_page_text_visibility_settings, None);
    let content = p.content_customization.unwrap();
    assert_eq!(content.attribute_collection[0].value, "Tell us more");
    assert!(content.registration_campaign.is_empty());
    let empty = self::branding(
        &json!({ "id": "0", "contentCustomization": { "attributeCollection": [], "registrationCampaign": [] } }),
    );
    assert_eq!(empty.properties.content_customization, None);
}

#[test]
fn the_default_branding_is_skipped_in_the_localization_list() {
    let items = [
        json!({ "id": "0", "signInPageText": "Contoso" }),
        json!({ "id": "default" }),
        json!({ "id": "fr", "backgroundColor": "#FFFF33" }),
    ];
    let localizations = parse_collection::<Localization>(&items).unwrap();
    assert_eq!(localizations.len(), 1);
    assert_eq!(localizations[0].locale, "fr");
    assert!(Localization::from_graph(&items[0]).is_err());
}

#[test]
fn a_localization_is_not_read_as_the_default_branding() {
    let error = Branding::from_graph(&json!({ "id": "fr-FR" })).unwrap_err();
    assert_eq!(
        error.problem,
        "expected the default branding (id `0`), found the localization `fr-FR`"
    );
}

#[test]
fn a_download_of_an_empty_json_object_means_absent() {
    for body in [&b"{}"[..], b" { }\n", b""] {
        assert_eq!(
            AssetState::from_download("application/json", body),
            AssetState::Absent
        );
    }
}

#[test]
fn a_downloaded_stream_records_hash_size_and_media_type() {
    let state = AssetState::from_download("Image/PNG; charset=binary", b"\x89PNG...");
    assert_eq!(
        state,
        AssetState::Present {
            content: Some(AssetContent {
                sha256: crate::fingerprint::hex_sha256(b"\x89PNG..."),
                size: 7,
                content_type: "image/png".into(),
                text: None,
            })
        }
    );
    let css = AssetState::from_download("text/css", b"{ color: red }");
    assert!(
        css.is_present(),
        "a stylesheet in braces is content, not the empty object"
    );
    let AssetState::Present {
        content: Some(content),
    } = css
    else {
        panic!("expected content");
    };
    assert_eq!(
        content.text.as_deref(),
        Some("{ color: red }"),
        "a stylesheet keeps its text for the plan's line diff"
    );
}

#[test]
fn set_asset_records_a_download() {
    let mut branding = branding(&json!({ "id": "0", "faviconRelativeUrl": "t/0/favicon?ts=1" }));
    let downloaded = AssetState::from_download("image/x-icon", b"ico");
    branding
        .properties
        .set_asset(Stream::Favicon, downloaded.clone());
    assert_eq!(branding.properties.asset(Stream::Favicon), &downloaded);
}

#[test]
fn streams_round_trip_their_graph_names() {
    for stream in Stream::ALL {
        assert_eq!(Stream::from_name(stream.name()), Some(stream));
    }
    assert_eq!(Stream::from_name("customCss"), None);
}
