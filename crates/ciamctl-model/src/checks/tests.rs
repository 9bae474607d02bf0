//! Every check, through one helper: a fixture of YAML files is written to a temporary
//! directory, loaded, checked, and the diagnostics come back as `severity code path:line:col`.
//!
//! A fixture is one YAML text for `tenant.yaml`, or several files in `crate::fixture`'s
//! `//- path` form.

use std::path::Path;

use crate::assets::tests::{gif, png};
use crate::diagnostic::{Diagnostic, Severity};

/// Writes `fixture` (see `crate::fixture`); text without a `//- path` header is `tenant.yaml`.
fn write_fixture(dir: &Path, fixture: &str) {
    if fixture.trim_start().starts_with("//-") {
        crate::fixture::write(dir, fixture);
    } else {
        crate::fixture::write(dir, &format!("//- tenant.yaml\n{fixture}"));
    }
}

/// Loads and checks `dir`, with no process environment; the fixture must load cleanly, so
/// a test of a check cannot pass by a typo in its fixture.
fn diagnostics_of(dir: &Path) -> (Vec<Diagnostic>, crate::Sources) {
    let mut loaded = crate::load::load_with(dir, None, &|_| None);
    assert!(
        !loaded.has_errors(),
        "the fixture does not load: {:#?}",
        loaded.diagnostics()
    );
    loaded.check();
    (loaded.diagnostics().to_vec(), loaded.sources().clone())
}

fn summarise(diagnostics: &[Diagnostic], sources: &crate::Sources) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let at = d.span.map_or_else(
                || "-".to_owned(),
                |span| {
                    let p = sources.position(span.file, span.start);
                    format!("{}:{}:{}", p.path.display(), p.line, p.column)
                },
            );
            format!("{severity} {} {at}", d.code)
        })
        .collect()
}

/// The diagnostics of a fixture, summarised.
#[track_caller]
fn check(fixture: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write_fixture(dir.path(), fixture);
    let (diagnostics, sources) = diagnostics_of(dir.path());
    summarise(&diagnostics, &sources)
}

/// The one diagnostic a fixture produces, for checking its wording.
#[track_caller]
fn only(fixture: &str) -> Diagnostic {
    let dir = tempfile::tempdir().unwrap();
    write_fixture(dir.path(), fixture);
    let (mut diagnostics, _) = diagnostics_of(dir.path());
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    diagnostics.remove(0)
}

const NONE: [&str; 0] = [];

mod attributes {
    use super::*;

    #[test]
    fn names_with_spaces_letters_digits_and_underscores_are_fine() {
        let fixture = "\
attributes:
  - { name: Favorite color, dataType: string }
  - { name: Loyalty_Number2, dataType: int64 }
";
        assert_eq!(check(fixture), NONE);
    }

    #[test]
    fn a_name_graph_cannot_turn_into_an_id_is_an_error() {
        let fixture = "\
attributes:
  - { name: Loyalty-Number, dataType: string }
  - { name: 2fa, dataType: string }
";
        assert_eq!(
            check(fixture),
            [
                "error attribute-name-not-an-id tenant.yaml:2:13",
                "error attribute-name-not-an-id tenant.yaml:3:13"
            ]
        );
        let diagnostic = only("attributes:\n  - { name: Couleur préférée, dataType: string }\n");
        assert_eq!(
            diagnostic.label.as_deref(),
            Some("`é` cannot be part of an attribute id")
        );
    }

    #[test]
    fn two_names_that_give_the_same_id_collide() {
        let fixture = "\
attributes:
  - { name: Favorite color, dataType: string }
  - { name: FavoriteColor, dataType: string }
";
        assert_eq!(
            check(fixture),
            ["error attribute-id-collision tenant.yaml:3:13"]
        );
    }

    #[test]
    fn a_custom_attribute_named_like_a_built_in_is_an_error() {
        assert_eq!(
            check("attributes:\n  - { name: City, dataType: string }\n"),
            ["error attribute-shadows-built-in tenant.yaml:2:13"]
        );
    }

    #[test]
    fn id_name_drops_spaces_and_keeps_case() {
        assert_eq!(
            super::super::attributes::id_name("Favorite color"),
            Ok("Favoritecolor".to_owned())
        );
        assert!(super::super::attributes::id_name("   ").is_err());
    }
}

mod identity_providers {
    use super::*;

    const GOOGLE: &str = "\
identityProviders:
  - name: Google
    type: google
    clientId: id
    clientSecret: ${env:SECRET}
";

    #[test]
    fn a_provider_offered_by_a_flow_is_fine() {
        let fixture = format!("{GOOGLE}userFlows:\n  - name: A\n    identityProviders: [Google]\n");
        assert_eq!(check(&fixture), NONE);
    }

    #[test]
    fn a_provider_no_flow_offers_is_a_warning() {
        assert_eq!(
            check(GOOGLE),
            ["warning unused-identity-provider tenant.yaml:2:11"]
        );
    }

    #[test]
    fn two_providers_of_one_social_type_are_an_error() {
        let fixture = format!(
            "{GOOGLE}  - name: Google 2
    type: google
    clientId: id2
    clientSecret: ${{env:SECRET}}
userFlows:
  - name: A
    identityProviders: [Google, Google 2]
"
        );
        assert_eq!(
            check(&fixture),
            ["error duplicate-social-provider tenant.yaml:7:11"]
        );
    }

    #[test]
    fn oidc_urls_must_be_https_and_the_scope_should_have_openid() {
        let fixture = "\
identityProviders:
  - name: Partners
    type: oidc
    clientId: id
    issuer: http://login.partners.example/
    wellKnownEndpoint: https:///.well-known/openid-configuration
    scope: profile email
    clientAuthentication: { type: clientSecret, clientSecret: '${env:SECRET}' }
userFlows:
  - name: A
    identityProviders: [Partners]
";
        assert_eq!(
            check(fixture),
            [
                "error oidc-url-not-https tenant.yaml:5:13",
                "error oidc-url-not-https tenant.yaml:6:24",
                "warning oidc-scope-without-openid tenant.yaml:7:12"
            ]
        );
    }

    #[test]
    fn a_provider_named_like_a_built_in_is_an_error() {
        let fixture = "\
identityProviders:
  - { name: EmailOtp, type: google, clientId: id, clientSecret: '${env:S}' }
userFlows:
  - name: A
    identityProviders: [EmailOtp]
";
        assert_eq!(
            check(fixture),
            ["error identity-provider-shadows-built-in tenant.yaml:2:13"]
        );
    }
}

mod user_flows {
    use super::*;

    #[test]
    fn built_ins_resolve_by_short_name_and_full_id() {
        let fixture = "\
userFlows:
  - name: A
    identityProviders: [EmailPassword]
  - name: B
    identityProviders: [EmailOtpSignup-OAUTH]
";
        assert_eq!(check(fixture), NONE);
    }

    #[test]
    fn a_flow_without_identity_provider_is_an_error() {
        assert_eq!(
            check("userFlows:\n  - name: A\n    identityProviders: []\n"),
            ["error flow-without-identity-provider tenant.yaml:2:11"]
        );
        assert_eq!(
            check("userFlows:\n  - name: A\n"),
            ["error flow-without-identity-provider tenant.yaml:2:11"]
        );
    }

    #[test]
    fn an_unknown_provider_is_an_error_with_a_suggestion() {
        let diagnostic = only("userFlows:\n  - name: A\n    identityProviders: [emailpassword]\n");
        assert_eq!(diagnostic.code, "unknown-identity-provider");
        assert_eq!(
            diagnostic.label.as_deref(),
            Some("did you mean `EmailPassword`?")
        );
        let diagnostic = only("userFlows:\n  - name: A\n    identityProviders: [Twitter]\n");
        assert_eq!(
            diagnostic.label.as_deref(),
            Some("unknown identity provider")
        );
    }

    #[test]
    fn a_provider_listed_twice_under_two_names_is_an_error() {
        assert_eq!(
            check(
                "userFlows:\n  - name: A\n    identityProviders: [EmailPassword, EmailPassword-OAUTH]\n"
            ),
            ["error duplicate-identity-provider tenant.yaml:3:40"]
        );
    }

    #[test]
    fn an_application_in_two_flows_names_both_places() {
        let fixture = "\
//- a.yaml
userFlows:
  - name: A
    identityProviders: [EmailPassword]
    applications: [D2F6A9C1-3E4B-4C7D-8F9A-1B2C3D4E5F60]
//- b.yaml
userFlows:
  - name: B
    identityProviders: [EmailOtp]
    applications: [d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60]
";
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), fixture);
        let (diagnostics, sources) = diagnostics_of(dir.path());
        assert_eq!(
            summarise(&diagnostics, &sources),
            ["error app-in-two-flows b.yaml:4:20"]
        );
        let related = &diagnostics[0].related[0];
        let position = sources.position(related.span.file, related.span.start);
        assert_eq!(
            (position.path.to_str(), position.line, position.column),
            (Some("a.yaml"), 4, 20)
        );
    }

    #[test]
    fn an_application_twice_in_one_flow_is_an_error() {
        assert_eq!(
            check(
                "userFlows:\n  - name: A\n    identityProviders: [EmailOtp]\n    applications: [x, y, x]\n"
            ),
            ["error duplicate-application tenant.yaml:4:26"]
        );
    }

    #[test]
    fn a_page_on_a_sign_in_only_flow_is_a_warning() {
        let fixture = "\
userFlows:
  - name: A
    signUp: false
    identityProviders: [EmailOtp]
    page:
      inputs: [{ attribute: email }]
";
        assert_eq!(
            check(fixture),
            ["warning page-on-sign-in-only-flow tenant.yaml:3:13"]
        );
    }
}

mod page {
    use super::*;

    /// A flow whose page has these inputs, after a custom attribute of each data type.
    fn page(inputs: &str) -> String {
        format!(
            "\
attributes:
  - {{ name: Loyalty, dataType: string }}
  - {{ name: Consent, dataType: boolean }}
  - {{ name: Age, dataType: int64 }}
userFlows:
  - name: A
    identityProviders: [EmailPassword]
    page:
      inputs:
{inputs}"
        )
    }

    #[test]
    fn built_in_and_declared_attributes_with_fitting_types_are_fine() {
        let inputs = [
            "        - attribute: email",
            "        - attribute: Loyalty",
            "          validationRegEx: '^(?!0)[0-9]{8}$'",
            "          defaultValue: '12345678'",
            "        - { attribute: Consent }",
            "        - { attribute: Age, inputType: text }",
            "        - attribute: country",
            "          inputType: checkboxMultiSelect",
            "          options: [{ label: NL, value: NL }, { label: BE, value: BE }]",
        ]
        .map(|line| format!("{line}\n"))
        .concat();
        assert_eq!(check(&page(&inputs)), NONE);
    }

    #[test]
    fn an_unknown_attribute_suggests_the_closest_name() {
        let diagnostic = only(&page(
            "        - attribute: Loyalti\n        - attribute: Consent\n        - attribute: Age\n",
        ));
        assert_eq!(diagnostic.code, "unknown-attribute");
        assert_eq!(diagnostic.label.as_deref(), Some("did you mean `Loyalty`?"));
        assert_eq!(
            check(&page(
                "        - attribute: Loyalty\n        - attribute: Consent\n        - attribute: Age\n        - attribute: City\n"
            )),
            ["error unknown-attribute tenant.yaml:13:22"]
        );
    }

    #[test]
    fn an_attribute_twice_on_a_page_is_an_error() {
        assert_eq!(
            check(&page(
                "        - attribute: Loyalty\n        - attribute: Consent\n        - attribute: Age\n        - attribute: Loyalty\n"
            )),
            ["error duplicate-input tenant.yaml:13:22"]
        );
    }

    /// The inputs after which every custom attribute of [`page`] is used once.
    const REST: &str = "        - attribute: Loyalty\n        - attribute: Age\n";

    #[test]
    fn an_input_type_that_does_not_fit_the_data_type_is_an_error() {
        let fixture = page(&format!(
            "{REST}        - attribute: Consent\n          inputType: radioSingleSelect\n          options: [{{ label: Yes, value: 'true' }}]\n"
        ));
        assert_eq!(
            check(&fixture),
            ["error input-type-mismatch tenant.yaml:13:22"]
        );
        let fixture = page(
            "        - { attribute: Loyalty, inputType: boolean }\n        - { attribute: Consent }\n        - { attribute: Age, inputType: checkboxMultiSelect, options: [{ label: one, value: '1' }] }\n",
        );
        assert_eq!(
            check(&fixture),
            [
                "error input-type-mismatch tenant.yaml:10:44",
                "error input-type-mismatch tenant.yaml:12:40"
            ]
        );
    }

    #[test]
    fn list_inputs_need_options_and_other_inputs_take_none() {
        let fixture = page(&format!(
            "{REST}        - attribute: Consent\n        - attribute: country\n          inputType: radioSingleSelect\n        - attribute: city\n          options: [{{ label: Amsterdam, value: AMS }}]\n"
        ));
        assert_eq!(
            check(&fixture),
            [
                "error missing-options tenant.yaml:14:22",
                "error unexpected-options tenant.yaml:16:21"
            ]
        );
    }

    #[test]
    fn option_values_are_unique_and_repeated_labels_are_a_warning() {
        let fixture = page(&format!(
            "{REST}        - attribute: Consent\n        - attribute: country\n          inputType: radioSingleSelect\n          options:\n            - {{ label: Netherlands, value: NL }}\n            - {{ label: Netherlands, value: NL }}\n"
        ));
        assert_eq!(
            check(&fixture),
            [
                "warning duplicate-option-label tenant.yaml:17:24",
                "error duplicate-option-value tenant.yaml:17:44"
            ]
        );
    }

    #[test]
    fn a_regex_that_does_not_compile_is_an_error_and_lookaround_compiles() {
        let fixture = page(&format!(
            "{REST}        - attribute: Consent\n        - attribute: postalCode\n          validationRegEx: '^[0-9]{{4}}[A-Z{{2}}$'\n        - attribute: city\n          validationRegEx: '^(?<=x)(a|b)(?>c)\\1?$'\n"
        ));
        let found = check(&fixture);
        assert_eq!(found, ["error invalid-regex tenant.yaml:14:28"]);
    }

    #[test]
    fn defaults_outside_the_options_or_the_regex_are_warnings() {
        let fixture = page(&format!(
            "{REST}        - attribute: Consent\n        - attribute: country\n          inputType: radioSingleSelect\n          defaultValue: FR\n          options: [{{ label: Netherlands, value: NL }}]\n        - attribute: postalCode\n          validationRegEx: '^[0-9]{{4}}$'\n          defaultValue: abc\n"
        ));
        assert_eq!(
            check(&fixture),
            [
                "warning default-value-not-an-option tenant.yaml:15:25",
                "warning default-value-fails-regex tenant.yaml:19:25"
            ]
        );
    }
}

mod branding {
    use super::*;

    #[test]
    fn texts_within_limits_and_explicit_blanks_are_fine() {
        let fixture = "\
branding:
  backgroundColor: '#F3F2F1'
  signInPageText: Welcome
  customPrivacyAndCookiesUrl: https://example.com/privacy%C3%A9
  localizations:
    fr:
      signInPageText: ' '
    nl-NL:
      backgroundColor: ' '
";
        assert_eq!(check(fixture), NONE);
    }

    #[test]
    fn a_text_over_its_limit_is_an_error_in_localizations_too() {
        let long = "x".repeat(65);
        let fixture = format!(
            "branding:\n  signInPageText: {}\n  localizations:\n    fr-FR:\n      usernameHintText: {long}\n",
            "é".repeat(1024)
        );
        assert_eq!(check(&fixture), ["error text-too-long tenant.yaml:5:25"]);
        let diagnostic = only(&format!("branding:\n  usernameHintText: {long}\n"));
        assert_eq!(
            diagnostic.message,
            "`usernameHintText` is 65 characters long; Graph takes at most 64"
        );
    }

    #[test]
    fn colours_are_hash_and_six_hex_digits() {
        assert_eq!(
            check("branding:\n  backgroundColor: '#FFF'\n  headerBackgroundColor: red\n"),
            [
                "error invalid-colour tenant.yaml:2:20",
                "error invalid-colour tenant.yaml:3:26"
            ]
        );
        let diagnostic = only("branding:\n  backgroundColor: '#FFF'\n");
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("write the colour with six digits: `#FFFFFF`")
        );
    }

    #[test]
    fn urls_are_ascii_and_absolute() {
        let fixture = "\
branding:
  customTermsOfUseUrl: https://example.com/conditions-générales
  customPrivacyAndCookiesUrl: example.com/privacy
";
        assert_eq!(
            check(fixture),
            [
                "error url-not-ascii tenant.yaml:2:24",
                "warning url-not-absolute tenant.yaml:3:31"
            ]
        );
        let diagnostic = only("branding:\n  customTermsOfUseUrl: https://example.com/é\n");
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("percent-encode characters outside ASCII: `https://example.com/%C3%A9`")
        );
    }

    #[test]
    fn a_username_hint_with_a_link_and_discouraged_properties_are_warnings() {
        let fixture = "\
branding:
  usernameHintText: see https://example.com
  customResetItNowText: Reset
";
        assert_eq!(
            check(fixture),
            [
                "warning hint-has-link-or-markup tenant.yaml:2:21",
                "warning discouraged-branding-property tenant.yaml:3:25"
            ]
        );
    }

    #[test]
    fn locales_are_ll_or_ll_cc_with_a_fix_for_case_mistakes() {
        let fixture = "\
branding:
  localizations:
    fr: {}
    fr-fr: {}
    default: {}
    french: {}
";
        assert_eq!(
            check(fixture),
            [
                "error invalid-locale tenant.yaml:4:5",
                "error invalid-locale tenant.yaml:5:5",
                "error invalid-locale tenant.yaml:6:5"
            ]
        );
        let diagnostic = only("branding:\n  localizations:\n    EN_us: {}\n");
        assert_eq!(diagnostic.label.as_deref(), Some("did you mean `en-US`?"));
    }
}

mod branding_assets {
    use super::*;
    use std::collections::BTreeSet;

    use crate::assets::Stream;

    fn with_asset(yaml: &str, files: &[(&str, Vec<u8>)]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), yaml);
        for (path, bytes) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let (diagnostics, sources) = diagnostics_of(dir.path());
        summarise(&diagnostics, &sources)
    }

    #[test]
    fn assets_that_fit_are_fine_and_paths_are_relative_to_their_file() {
        let yaml = "\
//- branding/branding.yaml
branding:
  assets:
    bannerLogo: ../assets/banner.png
  localizations:
    fr-FR:
      assets: { favicon: ../assets/favicon.gif }
";
        let files = [
            ("assets/banner.png", png(245, 36)),
            ("assets/favicon.gif", gif(32, 32)),
        ];
        assert_eq!(with_asset(yaml, &files), NONE);
    }

    #[test]
    fn a_missing_file_suggests_a_close_sibling() {
        let yaml = "branding:\n  assets:\n    bannerLogo: assets/baner.png\n";
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), yaml);
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/banner.png"), png(1, 1)).unwrap();
        let (diagnostics, _) = diagnostics_of(dir.path());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "asset-missing");
        assert_eq!(
            diagnostics[0].label.as_deref(),
            Some("did you mean `assets/banner.png`?")
        );
    }

    #[test]
    fn an_escaping_path_and_every_limit_are_reported_per_property() {
        let yaml = "\
branding:
  assets:
    bannerLogo: ../banner.png
    headerLogo: assets/header.png
    squareLogo: assets/square.gif
  localizations:
    fr-FR:
      assets: { customCSS: assets/fr.txt }
";
        let files = [
            ("assets/header.png", png(246, 36)),
            ("assets/square.gif", gif(10, 10)),
            ("assets/fr.txt", b"a {}".to_vec()),
        ];
        assert_eq!(
            with_asset(yaml, &files),
            [
                "error asset-outside-config-dir tenant.yaml:3:17",
                "error asset-too-many-pixels tenant.yaml:4:17",
                "error asset-wrong-image-type tenant.yaml:5:17",
                "error css-wrong-extension tenant.yaml:8:28"
            ]
        );
    }

    #[test]
    fn every_stream_is_an_asset_property_named_as_in_the_file() {
        let path = || {
            Some(crate::Located::new(
                crate::branding::AssetPath {
                    path: "a".to_owned(),
                    base: "".into(),
                },
                crate::Span {
                    file: crate::diagnostic::FileId(0),
                    start: 0,
                    end: 0,
                },
            ))
        };
        let assets = crate::branding::Assets {
            background_image: path(),
            banner_logo: path(),
            header_logo: path(),
            square_logo: path(),
            square_logo_dark: path(),
            favicon: path(),
            custom_css: path(),
        };
        let streams: Vec<Stream> = assets.files().iter().map(|(stream, _)| *stream).collect();
        assert_eq!(streams, Stream::ALL);
        let json = serde_json::to_value(&assets).unwrap();
        let keys: BTreeSet<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let names: BTreeSet<&str> = Stream::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(keys, names);
    }
}

/// Checks running on what survived structural errors: the structural error and the
/// independent semantic ones are all reported, and nothing a structural error caused.
mod partial {
    use super::*;

    /// Every diagnostic of loading and checking `fixture`, which need not load cleanly.
    #[track_caller]
    fn all(fixture: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        write_fixture(dir.path(), fixture);
        let mut loaded = crate::load::load_with(dir.path(), None, &|_| None);
        loaded.check();
        summarise(loaded.diagnostics(), loaded.sources())
    }

    #[test]
    fn a_misspelt_key_and_an_application_in_two_flows_are_both_reported() {
        let fixture = "\
attributes:
  - { name: Loyalty, dataType: string, descripton: Card number }
userFlows:
  - { name: A, identityProviders: [EmailOtp], applications: [app-1] }
  - { name: B, identityProviders: [EmailOtp], applications: [app-1] }
";
        assert_eq!(
            all(fixture),
            [
                "error unknown-key tenant.yaml:2:40",
                "error app-in-two-flows tenant.yaml:5:62"
            ]
        );
    }

    #[test]
    fn an_attribute_with_a_bad_data_type_is_not_also_undeclared() {
        let fixture = "\
attributes:
  - { name: Loyalty, dataType: text }
userFlows:
  - name: A
    identityProviders: [EmailPassword]
    page:
      inputs:
        - { attribute: Loyalty, inputType: radioSingleSelect }
        - { attribute: Loyalti }
";
        assert_eq!(
            all(fixture),
            [
                "error unknown-variant tenant.yaml:2:32",
                "error unknown-attribute tenant.yaml:9:24"
            ]
        );
    }

    #[test]
    fn a_provider_with_a_bad_type_is_not_also_unknown_to_its_flows() {
        let fixture = "\
identityProviders:
  - { name: Google, type: gogle, clientId: id, clientSecret: '${env:S}' }
userFlows:
  - { name: A, identityProviders: [Google, Facebook] }
";
        assert_eq!(
            all(fixture),
            [
                "error unknown-variant tenant.yaml:2:27",
                "error unknown-identity-provider tenant.yaml:4:44"
            ]
        );
    }

    #[test]
    fn a_flow_that_lost_its_providers_is_not_without_one_and_leaves_none_unused() {
        let fixture = "\
identityProviders:
  - { name: Google, type: google, clientId: id, clientSecret: '${env:S}' }
userFlows:
  - { name: A, identityProvider: [Google] }
  - { name: B, identityProviders: [] }
";
        assert_eq!(
            all(fixture),
            [
                "error unknown-key tenant.yaml:4:16",
                "error flow-without-identity-provider tenant.yaml:5:13"
            ]
        );
    }

    #[test]
    fn an_input_whose_type_was_invalid_is_not_also_given_unexpected_options() {
        let fixture = "\
userFlows:
  - name: A
    identityProviders: [EmailPassword]
    page:
      inputs:
        - attribute: country
          inputType: radio
          options: [{ label: NL, value: NL }, { label: NL, value: BE }]
        - { attribute: city, inputType: radioSingleSelect }
";
        assert_eq!(
            all(fixture),
            [
                "error unknown-variant tenant.yaml:7:22",
                "warning duplicate-option-label tenant.yaml:8:56",
                "error missing-options tenant.yaml:9:41"
            ]
        );
    }

    #[test]
    fn a_value_with_an_unresolved_variable_is_not_checked_as_written() {
        let fixture = "\
userFlows:
  - { name: A, identityProviders: [EmailOtp], applications: ['${APP}'] }
  - { name: B, identityProviders: [EmailOtp], applications: ['${APP}'] }
";
        assert_eq!(
            all(fixture),
            [
                "error unresolved-variable tenant.yaml:2:63",
                "error unresolved-variable tenant.yaml:3:63"
            ]
        );
    }

    #[test]
    fn a_file_that_does_not_parse_hides_its_names_but_not_other_files_problems() {
        let fixture = "\
//- providers.yaml
identityProviders:
  - name: \"Google
//- tenant.yaml
userFlows:
  - { name: A, identityProviders: [Google] }
branding:
  backgroundColor: '#FFF'
";
        assert_eq!(
            all(fixture),
            [
                "error yaml-syntax providers.yaml:2:11",
                "error invalid-colour tenant.yaml:4:20"
            ]
        );
    }

    #[test]
    fn a_localization_defined_twice_is_checked_once() {
        let fixture = "\
branding:
  localizations:
    fr-FR: { signInPageText: Bonjour }
    fr-fr: { signInPageText: Salut }
";
        assert_eq!(all(fixture), ["error duplicate-object tenant.yaml:4:5"]);
    }

    #[test]
    fn a_field_inapplicable_to_the_provider_type_is_not_also_checked_as_oidc() {
        let fixture = "\
identityProviders:
  - name: Google
    type: google
    clientId: id
    clientSecret: ${env:S}
    issuer: http://accounts.google.com
userFlows:
  - { name: A, identityProviders: [Google] }
";
        assert_eq!(all(fixture), ["error inapplicable-field tenant.yaml:6:13"]);
    }
}
