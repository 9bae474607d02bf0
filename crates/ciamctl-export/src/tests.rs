//! The export of a rich tenant (every field the format has, tricky texts, objects it cannot
//! describe), read back through the model's loader; ordering, defaults, secrets, names, kinds.

use std::collections::BTreeSet;
use std::path::Path;

use ciamctl_live::{
    Application, Branding, CustomExtension, FromGraph, IdentityProvider, Known, LiveTenant,
    Localization, Organization, Stream, UserFlow, UserFlowAttribute, parse_collection,
};
use ciamctl_model::settings::ResourceKind;
use serde_json::{Value, json};

use crate::{Environment, Export, ExportError, Inputs, Options, Streams, export};

const TENANT: &str = "3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90";
const WEB_APP: &str = "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60";
const PARTNER_APP: &str = "E3A7B0D2-4F5C-4D8E-9A0B-2C3D4E5F6071";
const EXTENSIONS_APP: &str = "0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d";

fn custom(name: &str) -> String {
    format!("extension_{EXTENSIONS_APP}_{name}")
}

fn asset(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../config-examples/woodgrove/assets")
            .join(name),
    )
    .unwrap()
}

fn builtin_provider(id: &str, kind: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": id,
            "displayName": id, "identityProviderType": kind, "state": null })
}

fn input(attribute: &str, label: &str, input_type: &str) -> Value {
    json!({ "attribute": attribute, "label": label, "inputType": input_type, "defaultValue": null,
            "hidden": null, "editable": null, "writeToDirectory": null, "required": null,
            "validationRegEx": null, "options": [] })
}

/// A flow as Graph lists it, with its links inline.
fn flow(id: &str, name: &str, providers: &[&str], apps: &[&str], rest: &Value) -> Value {
    let mut flow = json!({
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "id": id,
        "displayName": name,
        "description": null,
        "priority": 500,
        "onInteractiveAuthFlowStart": { "isSignUpAllowed": true },
        "onUserCreateStart": { "userTypeToCreate": "member" },
        "onAuthenticationMethodLoadStart": {
            "identityProviders": providers.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>()
        },
        "onAttributeCollection": null,
        "onAttributeCollectionStart": null,
        "onAttributeCollectionSubmit": null,
        "conditions": { "applications": {
            "includeAllApplications": false,
            "includeApplications": apps.iter().map(|a| json!({ "appId": a })).collect::<Vec<_>>()
        } }
    });
    for (key, value) in rest.as_object().unwrap() {
        flow[key] = value.clone();
    }
    flow
}

/// A tenant with every field the format has, texts a YAML 1.1 reader or the loader's
/// interpolation would misread, and objects the format cannot describe.
fn rich() -> LiveTenant {
    let attributes = json!([
        { "id": "email", "displayName": "Email Address", "userFlowAttributeType": "builtIn", "dataType": "string" },
        { "id": "displayName", "displayName": "Display Name", "userFlowAttributeType": "builtIn", "dataType": "string" },
        { "id": "country", "displayName": "Country/Region", "userFlowAttributeType": "builtIn", "dataType": "string" },
        { "id": custom("LoyaltyNumber"), "displayName": "LoyaltyNumber", "description": "Card ${number}, $${kept}", "userFlowAttributeType": "custom", "dataType": "string" },
        { "id": custom("MarketingConsent"), "displayName": "MarketingConsent", "description": "yes", "userFlowAttributeType": "custom", "dataType": "boolean" },
        { "id": custom("Visits"), "displayName": "Visits", "description": "", "userFlowAttributeType": "custom", "dataType": "int64" },
        { "id": custom("Birthday"), "displayName": "Birthday", "userFlowAttributeType": "custom", "dataType": "dateTime" }
    ]);
    let providers = json!([
        builtin_provider("EmailPassword-OAUTH", "EmailPassword"),
        builtin_provider("EmailOtpSignup-OAUTH", "EmailOTP"),
        builtin_provider("AADSignup-OAUTH", "AADSignup"),
        { "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Google-OAUTH", "displayName": "Google",
          "identityProviderType": "Google", "clientId": "123-google", "clientSecret": "******" },
        { "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Facebook-OAUTH", "displayName": "Facebook",
          "identityProviderType": "Facebook", "clientId": "0755", "clientSecret": "******" },
        { "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Amazon-OAUTH", "displayName": "Amazon",
          "identityProviderType": "Amazon", "clientId": "amzn", "clientSecret": "******" },
        { "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": "1d000000-0000-4000-8000-000000000001",
          "displayName": "Woodgrove Partners", "clientId": "0f1e2d3c", "issuer": "https://login.partners.example/",
          "wellKnownEndpoint": "https://login.partners.example/.well-known/openid-configuration",
          "responseType": "code", "scope": "openid profile email",
          "clientAuthentication": { "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication", "clientSecret": "******" },
          "inboundClaimMapping": { "sub": "oid", "name": "name", "given_name": null, "email": "mail",
                                   "address": { "country": "ctry", "locality": null } } },
        { "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": "1d000000-0000-4000-8000-000000000002",
          "displayName": "Woodgrove-Partners", "clientId": "c2", "issuer": "https://c.example/",
          "responseType": "id_token", "scope": "openid",
          "clientAuthentication": { "@odata.type": "#microsoft.graph.oidcPrivateJwtKeyClientAuthentication" } },
        { "@odata.type": "#microsoft.graph.appleManagedIdentityProvider", "id": "Apple-Managed-OIDC",
          "displayName": "Sign in with Apple", "developerId": "d", "serviceId": "s", "keyId": "k", "certificateData": "******" }
    ]);
    let extensions = json!([
        { "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtension", "id": "e1", "displayName": "Prefill" },
        { "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtension", "id": "e2", "displayName": "Validate" },
        { "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtension", "id": "e3", "displayName": "Validate" }
    ]);
    let mut email = input("email", "Email Address", "Text");
    email["hidden"] = json!(true);
    email["editable"] = json!(false);
    email["required"] = json!(true);
    email["validationRegEx"] = json!("^[a-zA-Z0-9.!#$%&’'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+$");
    let mut name = input("displayName", "Full name", "text");
    name["required"] = json!(true);
    name["writeToDirectory"] = json!(false);
    let mut loyalty = input(&custom("LoyaltyNumber"), "LoyaltyNumber", "text");
    loyalty["validationRegEx"] = json!("^[0-9]{8}$");
    loyalty["defaultValue"] = json!("00000000");
    let mut country = input("country", "Country", "radioSingleSelect");
    country["options"] =
        json!([{ "label": "Norway", "value": "NO" }, { "label": "Belgium", "value": "BE" }]);
    let customers = flow(
        "f1",
        "Woodgrove customers",
        &[
            "Google-OAUTH",
            "EmailPassword-OAUTH",
            "1d000000-0000-4000-8000-000000000001",
        ],
        &[WEB_APP],
        &json!({
            "description": "Sign-up and sign-in\nfor the web shop\n",
            "onAttributeCollection": {
                "attributes": [{ "id": custom("MarketingConsent") }, { "id": "email" }, { "id": "displayName" },
                               { "id": custom("LoyaltyNumber") }, { "id": "country" }, { "id": custom("Visits") }],
                "attributeCollectionPage": { "views": [{
                    "title": "Create your account", "description": "  Indented, then: a colon",
                    "inputs": [email, name, loyalty,
                               input(&custom("MarketingConsent"), "Send me offers", "Boolean"),
                               country, input(&custom("Visits"), "Visits", "text")]
                }] }
            },
            "onAttributeCollectionStart": {
                "customExtension": { "id": "e1" },
                "configuration": { "clientConfiguration": { "timeoutInMilliseconds": 2000, "maximumRetries": 1 } }
            },
            "onAttributeCollectionSubmit": {
                "customExtension": { "id": "E2" },
                "configuration": { "behaviorOnError": { "@odata.type": "#microsoft.graph.fallbackToMicrosoftProviderOnError" } }
            }
        }),
    );
    let partners = flow(
        "f2",
        "Woodgrove Customers!",
        &[
            "1d000000-0000-4000-8000-000000000002",
            "EmailOtpSignup-OAUTH",
        ],
        &[PARTNER_APP],
        &json!({
            "priority": 100,
            "onInteractiveAuthFlowStart": { "isSignUpAllowed": false },
            "onUserCreateStart": { "userTypeToCreate": "guest" },
            "conditions": { "applications": {
                "includeAllApplications": true, "includeApplications": [{ "appId": PARTNER_APP }]
            } }
        }),
    );
    let legacy = flow("f3", "Legacy", &["AADSignup-OAUTH"], &[], &json!({}));
    let amazon = flow("f4", "Shop with Amazon", &["Amazon-OAUTH"], &[], &json!({}));
    let flows = json!([customers, partners, legacy, amazon]);

    let branding = json!({
        "id": "0",
        "backgroundColor": "#F3F2F1",
        "signInPageText": "Welcome to ${brand}\n  second line",
        "usernameHintText": "NO",
        "customTermsOfUseText": "",
        "customPrivacyAndCookiesUrl": "https://woodgrove.example/privacy",
        "loginPageLayoutConfiguration": { "layoutTemplateType": "verticalSplit", "isHeaderShown": true, "isFooterShown": false },
        "loginPageTextVisibilitySettings": { "hideForgotMyPassword": false, "hideTermsOfUse": true },
        "contentCustomization": { "attributeCollection": [{ "key": "Attribute_Title", "value": "on" }], "registrationCampaign": [] },
        "bannerLogoRelativeUrl": "x/banner", "faviconRelativeUrl": "x/favicon", "customCSSRelativeUrl": "x/css"
    });
    let localizations = json!([
        { "id": "nl-NL", "signInPageText": "Welkom", "usernameHintText": " " },
        { "id": "fr-FR", "signInPageText": "Bienvenue", "bannerLogoRelativeUrl": "x/fr" }
    ]);
    let applications = json!([
        { "appId": WEB_APP, "displayName": "Woodgrove Web" },
        { "appId": PARTNER_APP.to_ascii_lowercase(), "displayName": "Partner Portal" }
    ]);
    let mut tenant = LiveTenant {
        tenant_id: TENANT.to_owned(),
        organization: Known::Known(
            Organization::from_collection(&[json!({ "id": TENANT, "displayName": "Woodgrove" })])
                .unwrap(),
        ),
        user_flows: known::<UserFlow>(&flows),
        attributes: known::<UserFlowAttribute>(&attributes),
        identity_providers: known::<IdentityProvider>(&providers),
        custom_extensions: known::<CustomExtension>(&extensions),
        branding: Known::Known(Some(Branding::from_graph(&branding).unwrap())),
        localizations: known::<Localization>(&localizations),
        applications: known::<Application>(&applications),
    };
    // As the fetcher records downloads.
    let properties = &mut tenant
        .branding
        .known_mut()
        .unwrap()
        .as_mut()
        .unwrap()
        .properties;
    for (stream, media_type, file) in streams_of_default() {
        properties.set_asset(
            stream,
            ciamctl_live::AssetState::from_download(media_type, &asset(file)),
        );
    }
    let french = tenant
        .localizations
        .known_mut()
        .unwrap()
        .iter_mut()
        .find(|l| l.locale == "fr-FR")
        .unwrap();
    french.properties.set_asset(
        Stream::BannerLogo,
        ciamctl_live::AssetState::from_download("image/png", &asset("banner-fr.png")),
    );
    tenant
}

fn streams_of_default() -> [(Stream, &'static str, &'static str); 3] {
    [
        (Stream::BannerLogo, "image/png", "banner.png"),
        (Stream::Favicon, "image/x-icon", "favicon.ico"),
        (Stream::CustomCss, "text/css", "custom.css"),
    ]
}

fn streams() -> Streams {
    let mut streams = Streams::default();
    for (stream, _, file) in streams_of_default() {
        streams.insert(None, stream, asset(file));
    }
    streams.insert(Some("fr-FR"), Stream::BannerLogo, asset("banner-fr.png"));
    streams
}

fn known<T: FromGraph>(items: &Value) -> Known<Vec<T>> {
    Known::Known(parse_collection(items.as_array().unwrap()).unwrap())
}

fn dev() -> Options {
    Options {
        environment: Some(Environment {
            name: "dev".to_owned(),
            variables: [
                ("PARTNER_APP_ID", PARTNER_APP.to_ascii_lowercase()),
                ("OTHER", "x".to_owned()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        }),
        ..Options::everything()
    }
}

fn run(tenant: &LiveTenant, options: &Options) -> Result<Export, ExportError> {
    export(&Inputs {
        live: tenant,
        streams: &streams(),
        options,
    })
}

fn text(export: &Export, path: &str) -> String {
    let file = export.files.iter().find(|f| f.path == path);
    String::from_utf8(file.unwrap_or_else(|| panic!("no {path}")).bytes.clone()).unwrap()
}

fn paths(export: &Export) -> Vec<&str> {
    export.files.iter().map(|f| f.path.as_str()).collect()
}

/// Every file for people to read: YAML as it is, assets and schemas by size.
fn readable(export: &Export) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for file in &export.files {
        writeln!(out, "=== {}", file.path).unwrap();
        match String::from_utf8(file.bytes.clone()) {
            Ok(yaml) if file.path.starts_with("schemas/") || !file.path.contains(".yaml") => {
                writeln!(out, "({} bytes)", yaml.len()).unwrap();
            }
            Ok(yaml) => out.push_str(&yaml),
            Err(_) => writeln!(out, "({} bytes)", file.bytes.len()).unwrap(),
        }
    }
    out.push_str("=== skipped\n");
    for skipped in &export.skipped {
        let (kind, name, reason) = (skipped.kind, &skipped.name, &skipped.reason);
        writeln!(out, "{kind:?} `{name}` {reason}").unwrap();
    }
    out
}

#[test]
fn a_rich_tenant_exports_to_these_files() {
    let export = run(&rich(), &dev()).unwrap();
    insta::assert_snapshot!(readable(&export));
}

#[test]
fn the_export_loads_back_without_errors_and_with_the_tenants_texts() {
    let tenant = rich();
    let export = run(&tenant, &dev()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in &export.files {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.bytes).unwrap();
    }
    let loaded = ciamctl_model::load(dir.path(), Some("dev"));
    let errors: Vec<_> = loaded
        .diagnostics()
        .iter()
        .filter(|d| d.severity == ciamctl_model::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let config = loaded.config().unwrap();

    let branding = config.branding.as_ref().unwrap();
    assert_eq!(
        branding.sign_in_page_text.as_deref().map(String::as_str),
        Some("Welcome to ${brand}\n  second line")
    );
    assert_eq!(
        branding.username_hint_text.as_deref().map(String::as_str),
        Some("NO")
    );
    assert_eq!(
        branding.localizations["nl-NL"]
            .username_hint_text
            .as_deref()
            .map(String::as_str),
        Some(" ")
    );
    let loyalty = config.attribute("LoyaltyNumber").unwrap();
    assert_eq!(
        loyalty.description.as_deref().map(String::as_str),
        Some("Card ${number}, $${kept}")
    );
    let customers = config.user_flow("Woodgrove customers").unwrap();
    assert_eq!(
        customers.description.as_deref().map(String::as_str),
        Some("Sign-up and sign-in\nfor the web shop\n")
    );
    let page = customers.page.as_ref().unwrap();
    assert_eq!(
        page.description.as_deref().map(String::as_str),
        Some("  Indented, then: a colon")
    );
    let country = page
        .inputs
        .iter()
        .find(|i| *i.attribute == "country")
        .unwrap();
    assert_eq!(*country.options[0].value, "NO");
    let partners = config.user_flow("Woodgrove Customers!").unwrap();
    // The environment's variable resolves to the tenant's appId.
    assert_eq!(*partners.applications[0], PARTNER_APP.to_ascii_lowercase());
    assert_eq!(config.identity_providers.len(), 4);
}

/// `tenant` with every collection, and every list inside a flow, reversed.
fn reversed(tenant: &LiveTenant) -> LiveTenant {
    fn reverse<T>(kind: &mut Known<Vec<T>>) {
        kind.known_mut().unwrap().reverse();
    }
    let mut other = tenant.clone();
    reverse(&mut other.user_flows);
    reverse(&mut other.attributes);
    reverse(&mut other.identity_providers);
    reverse(&mut other.custom_extensions);
    reverse(&mut other.localizations);
    reverse(&mut other.applications);
    for flow in other.user_flows.known_mut().unwrap() {
        flow.identity_providers.as_mut().unwrap().reverse();
        if let Some(attributes) = flow.attributes.as_mut() {
            attributes.reverse();
        }
    }
    other
}

#[test]
fn the_same_tenant_listed_in_another_order_exports_the_same_bytes() {
    let tenant = rich();
    assert_eq!(
        run(&tenant, &dev()).unwrap(),
        run(&reversed(&tenant), &dev()).unwrap()
    );
}

#[test]
fn secrets_are_environment_references_named_after_their_provider_with_a_comment() {
    let export = run(&rich(), &dev()).unwrap();
    let providers = text(&export, "identity-providers.yaml");
    assert!(
        providers.contains(
            "clientSecret: ${env:IDP_GOOGLE_CLIENT_SECRET} # secret not exported: ciamctl reads \
             it from this environment variable\n"
        ),
        "{providers}"
    );
    // `Woodgrove Partners` and `Woodgrove-Partners` make the same name; the second in name
    // order gets a number (it authenticates with a key, so only the first has a secret).
    assert!(
        providers.contains("${env:IDP_WOODGROVE_PARTNERS_CLIENT_SECRET}"),
        "{providers}"
    );
    assert!(!providers.contains("******"), "{providers}");
    assert_eq!(
        export.secrets,
        [
            "IDP_FACEBOOK_CLIENT_SECRET",
            "IDP_GOOGLE_CLIENT_SECRET",
            "IDP_WOODGROVE_PARTNERS_CLIENT_SECRET"
        ]
    );
    let mut colliding = rich();
    for provider in colliding.identity_providers.known_mut().unwrap() {
        if let ciamctl_live::IdentityProviderKind::Oidc(oidc) = &mut provider.kind {
            oidc.client_authentication = Some(ciamctl_live::OidcClientAuthentication {
                kind: "clientSecret".to_owned(),
                client_secret: ciamctl_live::SecretState::Set,
            });
        }
    }
    let providers = text(&run(&colliding, &dev()).unwrap(), "identity-providers.yaml");
    assert!(
        providers.contains("${env:IDP_WOODGROVE_PARTNERS_CLIENT_SECRET}"),
        "{providers}"
    );
    assert!(
        providers.contains("${env:IDP_WOODGROVE_PARTNERS_2_CLIENT_SECRET}"),
        "{providers}"
    );
}

#[test]
fn documented_defaults_and_what_a_new_input_gets_are_left_out() {
    let export = run(&rich(), &dev()).unwrap();
    let customers = text(&export, "user-flows/woodgrove-customers-2.yaml");
    for absent in [
        "signUp",
        "userType",
        "priority",
        "includeAllApplications",
        "label: Email Address",
        "label: LoyaltyNumber",
        "inputType: boolean",
        "inputType: text",
    ] {
        assert!(!customers.contains(absent), "{absent} in\n{customers}");
    }
    let partners = text(&export, "user-flows/woodgrove-customers.yaml");
    for present in [
        "signUp: false",
        "userType: guest",
        "priority: 100",
        "includeAllApplications: true",
    ] {
        assert!(partners.contains(present), "{present} not in\n{partners}");
    }
    let providers = text(&export, "identity-providers.yaml");
    assert_eq!(providers.matches("responseType").count(), 1, "{providers}");
    assert!(providers.contains("responseType: id_token"), "{providers}");
}

#[test]
fn strings_a_yaml_1_1_reader_would_misread_are_quoted() {
    let export = run(&rich(), &dev()).unwrap();
    let attributes = text(&export, "attributes.yaml");
    assert!(attributes.contains("description: \"yes\""), "{attributes}");
    let branding = text(&export, "branding.yaml");
    assert!(branding.contains("usernameHintText: \"NO\""), "{branding}");
    assert!(branding.contains("value: \"on\""), "{branding}");
    let providers = text(&export, "identity-providers.yaml");
    assert!(providers.contains("clientId: \"0755\""), "{providers}");
}

#[test]
fn texts_from_the_tenant_escape_the_interpolation_syntax() {
    let export = run(&rich(), &dev()).unwrap();
    let attributes = text(&export, "attributes.yaml");
    assert!(
        attributes.contains("Card $${number}, $$${kept}"),
        "{attributes}"
    );
    assert!(text(&export, "branding.yaml").contains("Welcome to $${brand}"));
    // The one reference the export means: the environment's variable for an appId.
    assert!(text(&export, "user-flows/woodgrove-customers.yaml").contains("- ${PARTNER_APP_ID}"));
}

#[test]
fn objects_the_format_cannot_describe_are_skipped_with_their_reason_and_so_are_their_users() {
    let export = run(&rich(), &dev()).unwrap();
    let skipped: Vec<(ResourceKind, &str)> = export
        .skipped
        .iter()
        .map(|s| (s.kind, s.name.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            (ResourceKind::Attributes, "Birthday"),
            (ResourceKind::IdentityProviders, "Amazon"),
            (ResourceKind::IdentityProviders, "Sign in with Apple"),
            (ResourceKind::UserFlows, "Legacy"),
            (ResourceKind::UserFlows, "Shop with Amazon"),
        ]
    );
    let amazon = &export.skipped[4].reason;
    assert_eq!(
        amazon,
        "offers the identity provider `Amazon-OAUTH`, which the files cannot name"
    );
}

#[test]
fn flows_whose_names_make_the_same_file_name_get_distinct_files_in_name_order() {
    let export = run(&rich(), &dev()).unwrap();
    let flows: Vec<&str> = paths(&export)
        .into_iter()
        .filter(|p| p.starts_with("user-flows/"))
        .collect();
    assert_eq!(
        flows,
        [
            "user-flows/woodgrove-customers-2.yaml",
            "user-flows/woodgrove-customers.yaml"
        ]
    );
    assert!(
        text(&export, "user-flows/woodgrove-customers.yaml").contains("name: Woodgrove Customers!")
    );
}

#[test]
fn every_file_starts_with_a_modeline_to_the_schemas_it_carries() {
    let export = run(&rich(), &dev()).unwrap();
    for file in export.files.iter().filter(|f| f.path.contains(".yaml")) {
        let first = text(&export, &file.path).lines().next().unwrap().to_owned();
        let expected = match file.path.as_str() {
            "environments/dev.yaml" => {
                "# yaml-language-server: $schema=../schemas/ciamctl-environment.schema.json"
            }
            p if p.contains('/') => {
                "# yaml-language-server: $schema=../schemas/ciamctl.schema.json"
            }
            _ => "# yaml-language-server: $schema=schemas/ciamctl.schema.json",
        };
        assert_eq!(first, expected, "{}", file.path);
    }
    assert_eq!(
        text(&export, "schemas/ciamctl.schema.json"),
        ciamctl_model::schema::config_schema()
    );
    assert!(paths(&export).contains(&"schemas/ciamctl-environment.schema.json"));
}

#[test]
fn kinds_limit_what_is_written() {
    let only = |kinds: &[ResourceKind]| Options {
        kinds: kinds.iter().copied().collect(),
        environment: None,
    };
    let export = run(
        &rich(),
        &only(&[ResourceKind::Attributes, ResourceKind::Branding]),
    )
    .unwrap();
    assert_eq!(
        paths(&export),
        [
            "assets/bannerLogo.png",
            "assets/customCSS.css",
            "assets/favicon.ico",
            "attributes.yaml",
            "branding.yaml",
            "schemas/ciamctl.schema.json",
        ]
    );
    assert!(!text(&export, "branding.yaml").contains("localizations"));

    let error = run(
        &rich(),
        &only(&[ResourceKind::UserFlows, ResourceKind::Attributes]),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`userFlows` needs `identityProviders`: the flows use custom identity providers such as \
         `Google`; add `identityProviders` to the kinds"
    );
    let error = run(&rich(), &only(&[ResourceKind::Localizations])).unwrap_err();
    assert!(
        matches!(
            error,
            ExportError::MissingKind {
                needs: "branding",
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn a_kind_that_could_not_be_read_is_refused_when_it_is_needed() {
    let mut tenant = rich();
    tenant.custom_extensions =
        Known::unknown("GET /v1.0/identity/customAuthenticationExtensions", "403");
    let error = run(&tenant, &dev()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the tenant could not be read completely (customExtensions); nothing is exported from a \
         partial read"
    );
    let branding_only = Options {
        kinds: BTreeSet::from([ResourceKind::Branding]),
        environment: None,
    };
    assert!(run(&tenant, &branding_only).is_ok());
}

#[test]
fn a_set_stream_that_was_not_handed_in_is_an_error() {
    let error = export(&Inputs {
        live: &rich(),
        streams: &Streams::default(),
        options: &dev(),
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the bannerLogo of the default branding was not downloaded before exporting"
    );
}

/// `tenant` with more flows, each offering email and password alone.
fn with_flows(mut tenant: LiveTenant, names: &[&str]) -> LiveTenant {
    let flows: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            flow(
                &format!("g{i}"),
                name,
                &["EmailPassword-OAUTH"],
                &[],
                &json!({}),
            )
        })
        .collect();
    let more = known::<UserFlow>(&Value::Array(flows));
    tenant
        .user_flows
        .known_mut()
        .unwrap()
        .extend(more.known().unwrap().iter().cloned());
    tenant
}

#[test]
fn objects_whose_names_differ_only_in_case_are_skipped_as_the_loader_would_refuse_them() {
    let tenant = with_flows(
        rich(),
        &["Sign in", "SIGN IN", "Straße", "STRASSE", "Ünï", "üNÏ"],
    );
    let export = run(&tenant, &dev()).unwrap();
    let skipped: Vec<&str> = export
        .skipped
        .iter()
        .filter(|s| s.reason.starts_with("shares its name"))
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(skipped, ["SIGN IN", "Sign in", "Ünï", "üNÏ"]);
    let flows: Vec<&str> = paths(&export)
        .into_iter()
        .filter(|p| p.starts_with("user-flows/"))
        .collect();
    assert_eq!(
        flows,
        [
            "user-flows/stra-e.yaml",
            "user-flows/strasse.yaml",
            "user-flows/woodgrove-customers-2.yaml",
            "user-flows/woodgrove-customers.yaml"
        ]
    );
}

#[test]
fn a_flow_with_a_very_long_name_gets_a_file_name_every_file_system_takes() {
    let long = "Sign-up and sign-in ".repeat(40);
    let tenant = with_flows(rich(), &[&long, &format!("{long}!")]);
    let export = run(&tenant, &dev()).unwrap();
    let flows: Vec<&str> = paths(&export)
        .into_iter()
        .filter(|p| p.starts_with("user-flows/sign-up"))
        .collect();
    assert_eq!(flows.len(), 2, "{flows:?}");
    for path in flows {
        let name = path.trim_start_matches("user-flows/");
        assert!(name.len() <= 100, "{name} is {} bytes", name.len());
        assert!(
            text(&export, path).contains(long.trim_end()),
            "the file holds the whole name"
        );
    }
}
