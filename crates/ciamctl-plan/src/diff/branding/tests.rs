//! The branding and localization diff: texts, page settings, streams, localizations, prune.

use ciamctl_live::{AssetState, BrandingProperties, LiveTenant, Stream};
use serde_json::{Value, json};

use crate::document::{Action, Change, FieldOp, Kind, ObjectRef, Plan};
use crate::testing::{LiveBuilder, TENANT_ID, config_files, plan};
use crate::{DesiredAssets, Inputs, PlanError, PlanOptions};

/// A file of `config-examples/woodgrove/assets` (valid images within Graph's limits).
fn example_asset(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../config-examples/woodgrove/assets")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn banner() -> Vec<u8> {
    example_asset("banner.png")
}

fn banner_fr() -> Vec<u8> {
    example_asset("banner-fr.png")
}

/// A configuration of `tenant.yaml` and asset files.
fn configuration(yaml: &str, assets: &[(&str, &[u8])]) -> ciamctl_model::Config {
    let mut files: Vec<(&str, &[u8])> = vec![("tenant.yaml", yaml.as_bytes())];
    files.extend_from_slice(assets);
    config_files(&files)
}

/// A live tenant with a default branding and localizations as Graph returns them.
fn live(branding: Option<Value>, localizations: Vec<Value>) -> LiveTenant {
    LiveBuilder {
        branding,
        localizations,
        ..LiveBuilder::default()
    }
    .build()
}

/// The properties of the default branding (`0`) or of a localization of `live`.
fn properties<'t>(live: &'t mut LiveTenant, id: &str) -> &'t mut BrandingProperties {
    if id == "0" {
        &mut live
            .branding
            .known_mut()
            .and_then(Option::as_mut)
            .unwrap()
            .properties
    } else {
        &mut live
            .localizations
            .known_mut()
            .unwrap()
            .iter_mut()
            .find(|l| l.locale == id)
            .unwrap()
            .properties
    }
}

/// Records a stream as the fetcher does after downloading it.
fn downloaded(live: &mut LiveTenant, id: &str, stream: Stream, content_type: &str, bytes: &[u8]) {
    properties(live, id).set_asset(stream, AssetState::from_download(content_type, bytes));
}

/// The `*RelativeUrl` Graph shows for a stream that is set.
fn relative_url(id: &str, asset: &str) -> Value {
    json!(format!(
        "a1b2c3/logintenantbranding/{id}/{asset}?ts=638000000000000000"
    ))
}

fn path(tail: &str) -> String {
    format!("/organization/{TENANT_ID}/branding{tail}")
}

/// The requests of a change as `METHOD path`.
fn calls(change: &Change) -> Vec<String> {
    change
        .requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// The changes and unmanaged objects, without the plan's digests and fingerprints of the
/// whole tenant, for snapshots.
fn reviewed(plan: &Plan) -> Value {
    json!({ "changes": plan.changes, "unmanaged": plan.unmanaged })
}

const CREATE_YAML: &str = r##"
branding:
  backgroundColor: "#F3F2F1"
  signInPageText: Welcome to Woodgrove
  loginPageLayoutConfiguration: { layoutTemplateType: verticalSplit, isHeaderShown: true }
  assets:
    bannerLogo: assets/banner.png
"##;

#[test]
fn a_new_branding_is_patched_with_accept_language_0_then_its_banner_is_uploaded_after_it() {
    let config = configuration(CREATE_YAML, &[("assets/banner.png", &banner())]);
    let plan = plan(&config, &live(None, Vec::new()));

    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(
        (change.action, change.kind, change.name.as_str()),
        (Action::Create, Kind::Branding, "default")
    );
    assert_eq!(
        calls(change),
        [
            format!("PATCH {}", path("")),
            format!("PUT {}", path("/localizations/0/bannerLogo"))
        ]
    );
    let (patch, upload) = (&change.requests[0], &change.requests[1]);
    assert_eq!(patch.headers["Accept-Language"], "0");
    assert_eq!(upload.depends_on, [patch.step]);
    assert_eq!(upload.headers["Content-Type"], "image/png");
    assert!(change.fields.iter().all(|f| f.op == FieldOp::Add));
    insta::assert_json_snapshot!(reviewed(&plan));
}

#[test]
fn a_branding_that_matches_except_for_empty_texts_and_unmanaged_layout_members_is_in_sync() {
    let config = configuration(CREATE_YAML, &[("assets/banner.png", &banner())]);
    let mut tenant = live(
        Some(json!({
            "id": "0", "backgroundColor": "#F3F2F1", "signInPageText": "Welcome to Woodgrove",
            "usernameHintText": "", "customTermsOfUseText": "", "headerBackgroundColor": null,
            "bannerLogoRelativeUrl": relative_url("0", "bannerlogo"),
            "loginPageLayoutConfiguration": {
                "layoutTemplateType": "verticalSplit", "isHeaderShown": true, "isFooterShown": false
            }
        })),
        Vec::new(),
    );
    downloaded(&mut tenant, "0", Stream::BannerLogo, "image/png", &banner());

    let plan = plan(&config, &tenant);

    assert_eq!(plan.changes, []);
    assert!(plan.summary.in_sync);
}

#[test]
fn a_changed_text_is_patched_and_a_text_the_files_no_longer_set_is_cleared_with_null() {
    let config = configuration("branding:\n  signInPageText: Hello\n", &[]);
    let tenant = live(
        Some(
            json!({ "id": "0", "signInPageText": "Welcome", "usernameHintText": "you@example.com" }),
        ),
        Vec::new(),
    );

    let plan = plan(&config, &tenant);

    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(
        (change.action, change.kind),
        (Action::Update, Kind::Branding)
    );
    assert_eq!(change.live_id.as_deref(), Some("0"));
    assert!(change.fingerprint.is_some());
    let fields: Vec<_> = change
        .fields
        .iter()
        .map(|f| (f.path.as_str(), f.op, f.before.clone(), f.after.clone()))
        .collect();
    assert_eq!(
        fields,
        [
            (
                "signInPageText",
                FieldOp::Change,
                Some(json!("Welcome")),
                Some(json!("Hello"))
            ),
            (
                "usernameHintText",
                FieldOp::Remove,
                Some(json!("you@example.com")),
                None
            ),
        ]
    );
    assert_eq!(calls(change), [format!("PATCH {}", path(""))]);
    assert_eq!(
        change.requests[0].body,
        Some(json!({ "signInPageText": "Hello", "usernameHintText": null }))
    );
    assert_eq!(change.requests[0].headers["Accept-Language"], "0");
}

#[test]
fn a_changed_stylesheet_shows_both_texts_and_is_uploaded_alone_as_text_css() {
    let config = configuration(
        "branding:\n  assets:\n    customCSS: assets/custom.css\n",
        &[("assets/custom.css", b".ext-title { color: red; }\n")],
    );
    let mut tenant = live(
        Some(json!({ "id": "0", "customCSSRelativeUrl": relative_url("0", "customcss") })),
        Vec::new(),
    );
    downloaded(
        &mut tenant,
        "0",
        Stream::CustomCss,
        "text/css; charset=utf-8",
        b".ext-title { color: blue; }\n",
    );

    let plan = plan(&config, &tenant);

    assert_eq!(plan.changes.len(), 1);
    let change = &plan.changes[0];
    assert_eq!(change.fields.len(), 1);
    let field = &change.fields[0];
    assert_eq!(
        (field.path.as_str(), field.op),
        ("assets.customCSS", FieldOp::Change)
    );
    let text = |side: &Option<Value>| side.as_ref().unwrap()["text"].clone();
    assert_eq!(text(&field.before), json!(".ext-title { color: blue; }\n"));
    assert_eq!(text(&field.after), json!(".ext-title { color: red; }\n"));
    assert_eq!(field.after.as_ref().unwrap()["content_type"], "text/css");
    // Only the upload: no PATCH, streams and texts never share a request (§15.15).
    assert_eq!(
        calls(change),
        [format!("PUT {}", path("/localizations/0/customCSS"))]
    );
    assert_eq!(change.requests[0].headers["Content-Type"], "text/css");
    assert_eq!(
        change.requests[0].asset.as_ref().unwrap().path,
        "assets/custom.css"
    );
}

#[test]
fn streams_the_files_do_not_name_are_left_alone() {
    let config = configuration(
        "branding:\n  assets:\n    bannerLogo: assets/banner.png\n",
        &[("assets/banner.png", &banner())],
    );
    let mut tenant = live(
        Some(json!({
            "id": "0",
            "bannerLogoRelativeUrl": relative_url("0", "bannerlogo"),
            "squareLogoRelativeUrl": relative_url("0", "tilelogo"),
            "faviconRelativeUrl": relative_url("0", "favicon"),
        })),
        Vec::new(),
    );
    downloaded(&mut tenant, "0", Stream::BannerLogo, "image/png", &banner());
    downloaded(&mut tenant, "0", Stream::Favicon, "image/png", &banner_fr());

    let plan = plan(&config, &tenant);

    assert_eq!(plan.changes, []);
}

#[test]
fn a_stream_that_was_not_downloaded_is_uploaded_again_with_a_note() {
    let config = configuration(
        "branding:\n  assets:\n    bannerLogo: assets/banner.png\n",
        &[("assets/banner.png", &banner())],
    );
    let tenant = live(
        Some(json!({ "id": "0", "bannerLogoRelativeUrl": relative_url("0", "bannerlogo") })),
        Vec::new(),
    );

    let plan = plan(&config, &tenant);

    let change = &plan.changes[0];
    assert_eq!(change.action, Action::Update);
    assert_eq!(change.fields[0].op, FieldOp::Change);
    assert_eq!(change.fields[0].before, None);
    assert_eq!(change.notes.len(), 1);
    assert!(change.notes[0].contains("bannerLogo was not downloaded"));
    assert_eq!(
        calls(change),
        [format!("PUT {}", path("/localizations/0/bannerLogo"))]
    );
}

#[test]
fn an_asset_the_caller_did_not_read_is_an_error() {
    let config = configuration(
        "branding:\n  assets:\n    bannerLogo: assets/banner.png\n",
        &[("assets/banner.png", &banner())],
    );
    let tenant = live(None, Vec::new());

    let result = crate::plan(&Inputs {
        config: &config,
        live: &tenant,
        assets: &DesiredAssets::default(),
        options: PlanOptions::default(),
        ciamctl_version: "0.0.0-test",
    });

    assert!(
        matches!(&result, Err(PlanError::MissingAsset(path)) if path == "assets/banner.png"),
        "{result:?}"
    );
}

#[test]
fn a_layout_change_sends_the_whole_setting_with_the_members_the_files_leave_out() {
    let config = configuration(
        "branding:\n  loginPageLayoutConfiguration: { layoutTemplateType: verticalSplit }\n",
        &[],
    );
    let tenant = live(
        Some(json!({ "id": "0", "loginPageLayoutConfiguration": {
            "layoutTemplateType": "default", "isHeaderShown": false, "isFooterShown": true } })),
        Vec::new(),
    );

    let plan = plan(&config, &tenant);

    let change = &plan.changes[0];
    assert_eq!(change.fields.len(), 1);
    assert_eq!(
        change.fields[0].path,
        "loginPageLayoutConfiguration.layoutTemplateType"
    );
    assert_eq!(
        change.requests[0].body,
        Some(json!({ "loginPageLayoutConfiguration": {
            "layoutTemplateType": "verticalSplit", "isHeaderShown": false, "isFooterShown": true } }))
    );
}

#[test]
fn content_customization_lists_are_complete_and_sent_together() {
    let config = configuration(
        "branding:\n  contentCustomization:\n    attributeCollection:\n      - { key: Attribute_Collection_Title, value: Tell us about you }\n",
        &[],
    );
    let tenant = live(
        Some(json!({ "id": "0", "contentCustomization": {
            "attributeCollection": [],
            "registrationCampaign": [{ "key": "Campaign_Title", "value": "Secure your account" }] } })),
        Vec::new(),
    );

    let plan = plan(&config, &tenant);

    let change = &plan.changes[0];
    let ops: Vec<_> = change
        .fields
        .iter()
        .map(|f| (f.path.as_str(), f.op))
        .collect();
    assert_eq!(
        ops,
        [
            ("contentCustomization.attributeCollection", FieldOp::Add),
            ("contentCustomization.registrationCampaign", FieldOp::Remove),
        ]
    );
    assert_eq!(
        change.requests[0].body,
        Some(json!({ "contentCustomization": {
            "attributeCollection": [{ "key": "Attribute_Collection_Title", "value": "Tell us about you" }],
            "registrationCampaign": [] } }))
    );
}

#[test]
fn a_new_localization_is_created_after_the_new_default_branding_then_gets_its_banner() {
    let config = configuration(
        r"
branding:
  signInPageText: Welcome
  localizations:
    fr-FR:
      signInPageText: Bienvenue
      assets:
        bannerLogo: assets/banner-fr.png
",
        &[("assets/banner-fr.png", &banner_fr())],
    );

    let plan = plan(&config, &live(None, Vec::new()));

    let [branding, localization] = &plan.changes[..] else {
        panic!("expected two changes: {:#?}", plan.changes)
    };
    assert_eq!(
        (branding.kind, branding.action),
        (Kind::Branding, Action::Create)
    );
    assert_eq!(
        (
            localization.kind,
            localization.action,
            localization.name.as_str()
        ),
        (Kind::Localization, Action::Create, "fr-FR")
    );
    assert_eq!(localization.depends_on, [branding.id]);
    assert_eq!(
        calls(localization),
        [
            format!("POST {}", path("/localizations")),
            format!("PUT {}", path("/localizations/fr-FR/bannerLogo")),
        ]
    );
    let (post, upload) = (&localization.requests[0], &localization.requests[1]);
    assert_eq!(post.depends_on, [branding.requests[0].step]);
    assert_eq!(
        post.body,
        Some(json!({ "id": "fr-FR", "signInPageText": "Bienvenue" }))
    );
    assert_eq!(upload.depends_on, [post.step]);
    insta::assert_json_snapshot!(reviewed(&plan));
}

#[test]
fn a_blank_text_in_a_localization_is_kept_and_sent_while_an_unset_one_inherits() {
    let config = configuration(
        r#"
branding:
  signInPageText: Welcome
  localizations:
    nl-NL:
      signInPageText: " "
      usernameHintText: " "
"#,
        &[],
    );
    let tenant = live(
        Some(json!({ "id": "0", "signInPageText": "Welcome" })),
        vec![
            json!({ "id": "nl-NL", "signInPageText": null, "usernameHintText": " ",
                     "customTermsOfUseText": null }),
        ],
    );

    let plan = plan(&config, &tenant);

    let [change] = &plan.changes[..] else {
        panic!("expected one change: {:#?}", plan.changes)
    };
    assert_eq!(
        (change.kind, change.action, change.live_id.as_deref()),
        (Kind::Localization, Action::Update, Some("nl-NL"))
    );
    assert_eq!(change.fields.len(), 1);
    assert_eq!(
        (
            change.fields[0].path.as_str(),
            change.fields[0].op,
            &change.fields[0].after
        ),
        ("signInPageText", FieldOp::Add, &Some(json!(" ")))
    );
    assert_eq!(
        calls(change),
        [format!("PATCH {}", path("/localizations/nl-NL"))]
    );
    assert_eq!(
        change.requests[0].body,
        Some(json!({ "signInPageText": " " }))
    );
}

#[test]
fn a_locale_matches_the_live_one_whatever_its_case_and_is_addressed_as_the_tenant_spells_it() {
    let config = configuration(
        "branding:\n  localizations:\n    fr-FR:\n      signInPageText: Bienvenue\n",
        &[],
    );
    let tenant = live(
        Some(json!({ "id": "0" })),
        vec![json!({ "id": "fr-fr", "signInPageText": "Salut" })],
    );

    let plan = plan(&config, &tenant);

    let [change] = &plan.changes[..] else {
        panic!("expected one change: {:#?}", plan.changes)
    };
    assert_eq!(
        (
            change.action,
            change.name.as_str(),
            change.live_id.as_deref()
        ),
        (Action::Update, "fr-FR", Some("fr-fr"))
    );
    assert_eq!(
        calls(change),
        [format!("PATCH {}", path("/localizations/fr-fr"))]
    );
    assert_eq!(plan.unmanaged, []);
}

const DEFAULT_ONLY_YAML: &str = "branding:\n  signInPageText: Welcome\n";

fn tenant_with_german_localization() -> LiveTenant {
    let mut tenant = live(
        Some(json!({ "id": "0", "signInPageText": "Welcome" })),
        vec![json!({
            "id": "de-DE", "signInPageText": "Willkommen",
            "bannerLogoRelativeUrl": relative_url("1031", "bannerlogo"),
            "customCSSRelativeUrl": relative_url("1031", "customcss"),
        })],
    );
    downloaded(
        &mut tenant,
        "de-DE",
        Stream::BannerLogo,
        "image/png",
        &banner(),
    );
    tenant
}

#[test]
fn a_pruned_localization_loses_its_streams_before_it_is_deleted() {
    let config = configuration(
        &format!("{DEFAULT_ONLY_YAML}settings:\n  prune: [localizations]\n"),
        &[],
    );

    let plan = plan(&config, &tenant_with_german_localization());

    let [change] = &plan.changes[..] else {
        panic!("expected one change: {:#?}", plan.changes)
    };
    assert_eq!(
        (change.action, change.kind, change.live_id.as_deref()),
        (Action::Delete, Kind::Localization, Some("de-DE"))
    );
    assert!(change.fingerprint.is_some());
    assert_eq!(change.fields, []);
    assert_eq!(
        calls(change),
        [
            format!("DELETE {}", path("/localizations/de-DE/bannerLogo")),
            format!("DELETE {}", path("/localizations/de-DE/customCSS")),
            format!("DELETE {}", path("/localizations/de-DE")),
        ]
    );
    let streams: Vec<u32> = change.requests[..2].iter().map(|r| r.step).collect();
    assert_eq!(change.requests[2].depends_on, streams);
    assert_eq!(plan.unmanaged, []);
}

#[test]
fn a_localization_the_files_omit_is_unmanaged_unless_localizations_are_pruned() {
    let config = configuration(DEFAULT_ONLY_YAML, &[]);

    let plan = plan(&config, &tenant_with_german_localization());

    assert_eq!(plan.changes, []);
    assert_eq!(
        plan.unmanaged,
        [ObjectRef {
            kind: Kind::Localization,
            name: "de-DE".to_owned(),
            id: "de-DE".to_owned(),
        }]
    );
}

fn tenant_with_branded_localization() -> LiveTenant {
    let mut tenant = live(
        Some(json!({ "id": "0", "signInPageText": "Welcome",
                     "bannerLogoRelativeUrl": relative_url("0", "bannerlogo") })),
        vec![json!({ "id": "fr-FR", "bannerLogoRelativeUrl": relative_url("1036", "bannerlogo") })],
    );
    downloaded(&mut tenant, "0", Stream::BannerLogo, "image/png", &banner());
    downloaded(
        &mut tenant,
        "fr-FR",
        Stream::BannerLogo,
        "image/png",
        &banner_fr(),
    );
    tenant
}

#[test]
fn a_pruned_branding_removes_every_stream_and_its_localizations_before_it_is_deleted() {
    let config = configuration("settings:\n  prune: [branding]\n", &[]);

    let plan = plan(&config, &tenant_with_branded_localization());

    let [change] = &plan.changes[..] else {
        panic!("expected one change: {:#?}", plan.changes)
    };
    assert_eq!(
        (change.action, change.kind, change.live_id.as_deref()),
        (Action::Delete, Kind::Branding, Some("0"))
    );
    assert_eq!(
        calls(change),
        [
            format!("DELETE {}", path("/localizations/0/bannerLogo")),
            format!("DELETE {}", path("/localizations/fr-FR/bannerLogo")),
            format!("DELETE {}", path("/localizations/fr-FR")),
            format!("DELETE {}", path("")),
        ]
    );
    let step = |i: usize| change.requests[i].step;
    assert_eq!(change.requests[2].depends_on, [step(1)]);
    assert_eq!(change.requests[3].depends_on, [step(0), step(2)]);
    assert!(change.notes[0].contains("fr-FR"), "{:?}", change.notes);
    assert_eq!(plan.unmanaged, []);
    insta::assert_json_snapshot!(reviewed(&plan));
}

#[test]
fn pruned_localizations_are_deleted_before_the_pruned_branding() {
    let config = configuration("settings:\n  prune: [branding, localizations]\n", &[]);

    let plan = plan(&config, &tenant_with_branded_localization());

    let [localization, branding] = &plan.changes[..] else {
        panic!("expected two changes: {:#?}", plan.changes)
    };
    assert_eq!(
        (localization.kind, localization.action),
        (Kind::Localization, Action::Delete)
    );
    assert_eq!(
        calls(localization),
        [
            format!("DELETE {}", path("/localizations/fr-FR/bannerLogo")),
            format!("DELETE {}", path("/localizations/fr-FR")),
        ]
    );
    assert_eq!(
        (branding.kind, branding.action),
        (Kind::Branding, Action::Delete)
    );
    assert_eq!(
        calls(branding),
        [
            format!("DELETE {}", path("/localizations/0/bannerLogo")),
            format!("DELETE {}", path("")),
        ]
    );
    assert_eq!(branding.notes, Vec::<String>::new());
    let branding_delete = &branding.requests[1];
    assert!(
        branding_delete
            .depends_on
            .contains(&localization.requests[1].step)
    );
    assert_eq!(branding.depends_on, [localization.id]);
}

#[test]
fn a_branding_the_files_omit_is_unmanaged_unless_branding_is_pruned() {
    let config = configuration("settings:\n  maxDeletePercent: 30\n", &[]);

    let plan = plan(&config, &tenant_with_branded_localization());

    assert_eq!(plan.changes, []);
    let kinds: Vec<_> = plan
        .unmanaged
        .iter()
        .map(|o| (o.kind, o.name.as_str(), o.id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kind::Branding, "default", "0"),
            (Kind::Localization, "fr-FR", "fr-FR")
        ]
    );
}
