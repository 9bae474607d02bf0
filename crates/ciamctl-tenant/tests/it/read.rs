//! `read_tenant` against the emulator.

use std::collections::BTreeSet;
use std::time::Duration;

use ciamctl_emulator::{ALL_ROLES, Emulator, EmulatorConfig, Faults, Throttle};
use ciamctl_graph::{ClientOptions, GraphClient, Request, RetryPolicy};
use ciamctl_live::{AssetState, Known, LiveTenant, Stream};
use ciamctl_tenant::scope::{Assets, Scope};
use ciamctl_tenant::{read_streams, read_tenant};
use serde_json::json;

use crate::support::{
    WEB_APP, app_id, banner, client, client_as, config_with_apps, flow, must, oidc_provider,
    social_provider, start,
};

const LOCALES: [&str; 20] = [
    "ar-SA", "cs-CZ", "da-DK", "de-DE", "el-GR", "en-GB", "en-US", "es-ES", "fi-FI", "fr-FR",
    "he-IL", "hu-HU", "it-IT", "ja-JP", "ko-KR", "nb-NO", "nl-NL", "pl-PL", "pt-BR", "sv-SE",
];

/// Creates `flows` flows (flow i links application i), 30 custom attributes, 10 identity
/// providers and `locales` localizations.
async fn populate(client: &GraphClient, flows: usize, locales: usize) {
    let mut providers = vec![
        Request::post("/identity/identityProviders").json(social_provider("Google")),
        Request::post("/identity/identityProviders").json(social_provider("Facebook")),
    ];
    providers.extend(
        (0..8).map(|i| Request::post("/identity/identityProviders").json(oidc_provider(i))),
    );
    let attributes = (0..30).map(|i| {
        Request::post("/identity/userFlowAttributes").json(json!({
            "displayName": format!("Custom{i:02}"),
            "description": "made by a test",
            "dataType": "string"
        }))
    });
    providers.extend(attributes);
    must(client, providers).await;
    let flows = (0..flows).map(|i| {
        let app = app_id(i);
        Request::post("/identity/authenticationEventsFlows").json(flow(
            &format!("Flow {i:03}"),
            &["EmailPassword-OAUTH", "Google-OAUTH"],
            &[&app],
        ))
    });
    must(client, flows.collect()).await;
    let tenant = "3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90";
    let localizations = LOCALES[..locales].iter().map(|locale| {
        Request::post(&format!("/organization/{tenant}/branding/localizations"))
            .json(json!({ "id": locale, "signInPageText": format!("Welcome ({locale})") }))
    });
    must(client, localizations.collect()).await;
}

fn known<T>(kind: &Known<T>) -> &T {
    match kind {
        Known::Known(value) => value,
        Known::Unknown(failure) => panic!("unknown: {failure:?}"),
    }
}

async fn read(emulator: &Emulator, options: ClientOptions, scope: &Scope) -> (LiveTenant, u64) {
    let client = client(emulator, options);
    let tenant = read_tenant(&client, emulator.tenant_id(), scope)
        .await
        .unwrap();
    (tenant, client.stats().round_trips)
}

#[tokio::test]
async fn a_large_tenant_is_read_in_at_most_three_round_trips_and_twelve_requests() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start(config_with_apps(dir.path(), 100, &[])).await;
    populate(&client(&emulator, ClientOptions::default()), 100, 20).await;
    let scope = Scope {
        app_ids: BTreeSet::from([app_id(0), app_id(1)]),
        app_names: BTreeSet::from(["App 002".to_owned(), "Woodgrove Web".to_owned()]),
        assets: Assets::AllPresent,
        extensions: true,
    };

    let before = emulator.stats();
    let reader = client(&emulator, ClientOptions::default());
    let tenant = read_tenant(&reader, emulator.tenant_id(), &scope)
        .await
        .unwrap();
    let after = emulator.stats();

    assert_eq!(known(&tenant.user_flows).len(), 100);
    let custom = known(&tenant.attributes).iter().filter(|a| a.is_custom());
    assert_eq!(custom.count(), 30);
    assert_eq!(
        known(&tenant.identity_providers)
            .iter()
            .filter(|p| !p.id.ends_with("Signup-OAUTH") && p.id != "EmailPassword-OAUTH")
            .count(),
        10
    );
    assert_eq!(known(&tenant.localizations).len(), 20);
    // The named applications and every application a live flow links, each once.
    let apps: BTreeSet<&str> = known(&tenant.applications)
        .iter()
        .map(|a| a.app_id.as_str())
        .collect();
    assert_eq!(apps.len(), 101, "{apps:?}");
    assert!(apps.contains(WEB_APP));

    let requests = (after.http_requests - before.http_requests)
        - (after.token_requests - before.token_requests);
    assert!(requests <= 12, "{requests} Graph HTTP requests");
    let round_trips = reader.stats().round_trips;
    assert!(round_trips <= 3, "{round_trips} round trips");
}

#[tokio::test]
async fn paging_two_items_a_page_reads_the_same_tenant_in_more_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let whole = start(config_with_apps(dir.path(), 6, &[])).await;
    populate(&client(&whole, ClientOptions::default()), 6, 5).await;
    let seed = dir.path().join("populated.json");
    std::fs::write(&seed, serde_json::to_vec(&whole.tenant()).unwrap()).unwrap();
    let paged = start(EmulatorConfig {
        seed: Some(seed),
        default_page_size: Some(2),
        ..EmulatorConfig::default()
    })
    .await;
    let scope = Scope::whole_tenant();

    let (expected, calm_rounds) = read(&whole, ClientOptions::default(), &scope).await;
    let (actual, paged_rounds) = read(&paged, ClientOptions::default(), &scope).await;

    assert_eq!(actual, expected);
    assert_eq!(known(&actual.user_flows).len(), 6);
    assert!(
        paged_rounds > calm_rounds + 3,
        "{paged_rounds} vs {calm_rounds}"
    );
}

#[tokio::test]
async fn a_kind_the_app_may_not_read_is_unknown_and_names_the_missing_permission() {
    let dir = tempfile::tempdir().unwrap();
    let roles: Vec<&str> = ALL_ROLES
        .iter()
        .copied()
        .filter(|r| !r.starts_with("IdentityProvider."))
        .collect();
    let emulator = start(config_with_apps(dir.path(), 0, &roles)).await;
    let reader = client_as(
        &emulator,
        "reader",
        "reader-secret",
        ClientOptions::default(),
    );

    let tenant = read_tenant(&reader, emulator.tenant_id(), &Scope::whole_tenant())
        .await
        .unwrap();

    let Known::Unknown(failure) = &tenant.identity_providers else {
        panic!("identity providers read without the permission")
    };
    assert_eq!(failure.request, "GET /v1.0/identity/identityProviders");
    assert!(failure.reason.contains("403"), "{}", failure.reason);
    assert!(
        failure.reason.contains("IdentityProvider.Read.All"),
        "{}",
        failure.reason
    );
    assert!(!tenant.is_complete());
    assert!(tenant.user_flows.is_known() && tenant.attributes.is_known());
}

#[tokio::test]
async fn reads_that_keep_failing_leave_their_kinds_unknown_never_empty() {
    let emulator = start(EmulatorConfig::default()).await;
    let options = ClientOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            budget: Duration::from_millis(50),
        },
        ..ClientOptions::default()
    };
    // The token first, then every Graph call fails.
    let reader = client(&emulator, options);
    reader.authenticator().token(reader.http()).await.unwrap();
    emulator
        .set_faults(Faults {
            fail_rate: 1.0,
            ..Faults::default()
        })
        .unwrap();

    let tenant = read_tenant(&reader, emulator.tenant_id(), &Scope::whole_tenant())
        .await
        .unwrap();

    let unknown: Vec<_> = tenant.unknown_kinds().iter().map(|(k, _)| *k).collect();
    assert_eq!(unknown.len(), 8, "{unknown:?}");
    assert!(matches!(tenant.branding, Known::Unknown(_)));
}

#[tokio::test]
async fn a_throttled_tenant_reads_the_same_as_a_calm_one() {
    let dir = tempfile::tempdir().unwrap();
    let emulator = start(config_with_apps(dir.path(), 4, &[])).await;
    populate(&client(&emulator, ClientOptions::default()), 4, 3).await;
    let scope = Scope::whole_tenant();
    let options = || ClientOptions {
        batch: false,
        ..ClientOptions::default()
    };
    let (calm, _) = read(&emulator, options(), &scope).await;

    emulator
        .set_faults(Faults {
            throttle: Some(Throttle::new(3, 0.3).unwrap()),
            ..Faults::default()
        })
        .unwrap();
    let reader = client(&emulator, options());
    let stormy = read_tenant(&reader, emulator.tenant_id(), &scope)
        .await
        .unwrap();

    assert_eq!(stormy, calm);
    assert!(reader.stats().throttled > 0, "{:?}", reader.stats());
}

/// An emulator whose tenant has a localization `locale`, a client for it, and the branding's
/// path.
async fn with_localization(locale: &str) -> (Emulator, GraphClient, String) {
    let emulator = start(EmulatorConfig::default()).await;
    let admin = client(&emulator, ClientOptions::default());
    let branding = format!("/organization/{}/branding", emulator.tenant_id());
    must(
        &admin,
        vec![
            Request::post(&format!("{branding}/localizations"))
                .json(json!({ "id": locale, "signInPageText": "Bienvenue" })),
        ],
    )
    .await;
    (emulator, admin, branding)
}

#[tokio::test]
async fn managed_assets_are_hashed_and_the_others_only_seen() {
    let (emulator, admin, branding) = with_localization("fr-FR").await;
    for locale in ["0", "fr-FR"] {
        let put = Request::put(&format!("{branding}/localizations/{locale}/bannerLogo"))
            .bytes("image/png", banner())
            .unbatched();
        admin.send(put).await.unwrap();
    }
    let only_default = Scope {
        assets: Assets::Only(BTreeSet::from([("0".to_owned(), "bannerLogo")])),
        ..Scope::default()
    };

    let (tenant, _) = read(&emulator, ClientOptions::default(), &only_default).await;

    let default = known(&tenant.branding).as_ref().unwrap();
    let AssetState::Present {
        content: Some(content),
    } = default.properties.asset(Stream::BannerLogo)
    else {
        panic!("{:?}", default.properties.asset(Stream::BannerLogo))
    };
    assert_eq!(content.size, banner().len() as u64);
    assert_eq!(content.content_type, "image/png");
    let french = &known(&tenant.localizations)[0];
    assert_eq!(
        french.properties.asset(Stream::BannerLogo),
        &AssetState::Present { content: None }
    );
    assert_eq!(
        default.properties.asset(Stream::Favicon),
        &AssetState::Absent
    );
    let (everything, _) = read(&emulator, ClientOptions::default(), &Scope::whole_tenant()).await;
    let french = &known(&everything.localizations)[0];
    assert!(matches!(
        french.properties.asset(Stream::BannerLogo),
        AssetState::Present { content: Some(c) } if c.sha256 == content.sha256
    ));
}

#[tokio::test]
async fn a_managed_asset_is_hashed_whatever_case_the_tenant_spells_its_locale_in() {
    let (emulator, admin, branding) = with_localization("fr-fr").await;
    let put = Request::put(&format!("{branding}/localizations/fr-fr/bannerLogo"))
        .bytes("image/png", banner())
        .unbatched();
    admin.send(put).await.unwrap();
    // The files write locales as `fr-FR` (what `export` writes); Graph compares them ignoring
    // case.
    let scope = Scope {
        assets: Assets::Only(BTreeSet::from([("fr-FR".to_owned(), "bannerLogo")])),
        ..Scope::default()
    };

    let (tenant, _) = read(&emulator, ClientOptions::default(), &scope).await;

    let french = &known(&tenant.localizations)[0];
    assert!(
        matches!(
            french.properties.asset(Stream::BannerLogo),
            AssetState::Present { content: Some(c) } if c.size == banner().len() as u64
        ),
        "{:?}",
        french.properties.asset(Stream::BannerLogo)
    );
}

#[tokio::test]
async fn an_export_reads_every_set_stream_with_its_bytes_in_one_more_round() {
    let (emulator, admin, branding) = with_localization("fr-FR").await;
    let tenant_id = emulator.tenant_id().to_owned();
    let css = b"body { color: #333; }".to_vec();
    let uploads = [
        ("0", "bannerLogo", "image/png", banner()),
        ("0", "customCSS", "text/css", css.clone()),
        ("fr-FR", "bannerLogo", "image/png", banner()),
    ];
    for (locale, stream, media_type, bytes) in uploads {
        let put = Request::put(&format!("{branding}/localizations/{locale}/{stream}"))
            .bytes(media_type, bytes)
            .unbatched();
        admin.send(put).await.unwrap();
    }
    let reader = client(&emulator, ClientOptions::default());
    let mut tenant = read_tenant(&reader, &tenant_id, &Scope::export())
        .await
        .unwrap();
    let default = known(&tenant.branding).as_ref().unwrap();
    assert_eq!(
        default.properties.asset(Stream::BannerLogo),
        &AssetState::Present { content: None },
        "the export's scope leaves the streams to read_streams"
    );
    let rounds = reader.stats().round_trips;

    let streams = read_streams(&reader, &mut tenant).await.unwrap();

    assert_eq!(reader.stats().round_trips, rounds + 1);
    assert_eq!(
        streams,
        vec![
            ("0".to_owned(), Stream::BannerLogo, banner()),
            ("0".to_owned(), Stream::CustomCss, css),
            ("fr-FR".to_owned(), Stream::BannerLogo, banner()),
        ]
    );
    let default = known(&tenant.branding).as_ref().unwrap();
    assert!(matches!(
        default.properties.asset(Stream::CustomCss),
        AssetState::Present { content: Some(c) } if c.content_type == "text/css"
    ));
    assert!(matches!(
        known(&tenant.localizations)[0].properties.asset(Stream::BannerLogo),
        AssetState::Present { content: Some(c) } if c.size == banner().len() as u64
    ));
}
