//! A tenant with one object of every kind the emulator serves, every optional part the reads
//! show filled in: what the CSDL conformance walk reads and what the route robustness test
//! aims its bad requests at.

use serde_json::{Value, json};

use super::TestEmulator;
use super::branding::{brand_like_the_docs, branding, localizations, patch0};
use super::fixtures::{
    ATTRIBUTES, EXTENSIONS, LISTENERS, PORTAL_APP, PROVIDERS, WEB_APP, apple_provider, attribute,
    extension_of_type, flow_collecting, oidc_provider, social_provider, start_extension_patch,
    token_issuance, token_issuance_listener,
};

/// The type a single localization is read as: the docs' sample names the base type in its
/// `@odata.type` (`v1.0.organizationalBrandingLocalization.get.response.json`), and the emulator
/// answers the same.
pub const LOCALIZATION: &str = "organizationalBrandingProperties";

/// The ids of what [`populate`] creates, and its create responses.
pub struct Walked {
    pub flow: String,
    pub attribute: String,
    pub oidc: String,
    /// The token-issuance extension the listener calls.
    pub extension: String,
    /// The attribute-collection start and submit extensions attached to the flow.
    pub start_extension: String,
    pub submit_extension: String,
    pub listener: String,
    /// `(what, body, type)` of every 201 the setup got.
    pub created: Vec<(String, Value, &'static str)>,
}

/// Creates one object of every kind the emulator serves, fills every optional part the reads
/// show (handlers, linked apps, attached extensions, branding strings, nested settings and
/// streams), and keeps the create responses.
pub async fn populate(t: &TestEmulator) -> Walked {
    let mut created = Vec::new();
    let mut create = async |what: &str, path: &str, body: Value, ty: &'static str| -> String {
        let resp = t.post(path, body).await;
        resp.assert_status(201);
        let id = resp.json["id"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_default();
        created.push((what.to_owned(), resp.json.clone(), ty));
        id
    };
    let attribute = create(
        "attribute",
        ATTRIBUTES,
        attribute("Hobby", "string"),
        "identityUserFlowAttribute",
    )
    .await;
    create(
        "social provider",
        PROVIDERS,
        social_provider("Google", "s"),
        "identityProviderBase",
    )
    .await;
    create(
        "Apple provider",
        PROVIDERS,
        apple_provider(),
        "identityProviderBase",
    )
    .await;
    let oidc = create(
        "OIDC provider",
        PROVIDERS,
        oidc_provider(),
        "identityProviderBase",
    )
    .await;
    let mut token = token_issuance(
        "https://hooks.woodgrove.example",
        &format!("api://hooks.woodgrove.example/{WEB_APP}"),
    );
    token["clientConfiguration"] = json!({"timeoutInMilliseconds": 2000, "maximumRetries": 1});
    token["behaviorOnError"] =
        json!({"@odata.type": "#microsoft.graph.fallbackToMicrosoftProviderOnError"});
    let extension = create(
        "extension",
        EXTENSIONS,
        token,
        "customAuthenticationExtension",
    )
    .await;
    let start = create(
        "start extension",
        EXTENSIONS,
        extension_of_type("#microsoft.graph.onAttributeCollectionStartCustomExtension"),
        "customAuthenticationExtension",
    )
    .await;
    let submit = create(
        "submit extension",
        EXTENSIONS,
        extension_of_type("#microsoft.graph.onAttributeCollectionSubmitCustomExtension"),
        "customAuthenticationExtension",
    )
    .await;
    let mut listener = token_issuance_listener(&extension);
    listener["displayName"] = json!("Loyalty");
    listener["handler"]["configuration"] =
        json!({"clientConfiguration": {"timeoutInMilliseconds": 1000}});
    let listener = create(
        "listener",
        LISTENERS,
        listener,
        "authenticationEventListener",
    )
    .await;
    create(
        "listener app",
        &format!("{LISTENERS}/{listener}/conditions/applications/includeApplications"),
        json!({ "appId": PORTAL_APP }),
        "authenticationConditionApplication",
    )
    .await;

    let mut flow = flow_collecting("Conformance", &["email", &attribute]);
    flow["onAuthenticationMethodLoadStart"]["identityProviders"] =
        json!([{ "id": "EmailPassword-OAUTH" }, { "id": "Google-OAUTH" }, { "id": oidc }]);
    flow["onUserCreateStart"] = json!({
        "@odata.type": "#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp",
        "userTypeToCreate": "member"
    });
    let flow = create(
        "flow",
        "/v1.0/identity/authenticationEventsFlows",
        flow,
        "authenticationEventsFlow",
    )
    .await;
    let flows = format!("/v1.0/identity/authenticationEventsFlows/{flow}");
    create(
        "flow app",
        &format!("{flows}/conditions/applications/includeApplications"),
        json!({ "appId": WEB_APP }),
        "authenticationConditionApplication",
    )
    .await;
    let start_handler = start_extension_patch(&start);
    t.patch(&flows, start_handler).await.assert_status(204);
    let submit_ref = json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/identity/customAuthenticationExtensions/{submit}") });
    t.put(
        &format!("{flows}/{}/$ref", handler_extension("Submit")),
        submit_ref,
    )
    .await
    .assert_status(204);

    brand_like_the_docs(t).await;
    let settings = json!({
        "loginPageLayoutConfiguration": { "layoutTemplateType": "verticalSplit", "isHeaderShown": true },
        "loginPageTextVisibilitySettings": { "hideForgotMyPassword": true },
        "contentCustomization": { "attributeCollection": [{ "key": "Email_Label", "value": "Courriel" }] }
    });
    patch0(t, &branding(t), settings).await.assert_status(204);
    let blank = json!({ "id": "de", "signInPageText": " " });
    create("localization", &localizations(t), blank, LOCALIZATION).await;

    Walked {
        flow,
        attribute,
        oidc,
        extension,
        start_extension: start,
        submit_extension: submit,
        listener,
        created,
    }
}

/// `microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection{event}/…/customExtension`.
pub fn handler_extension(event: &str) -> String {
    format!(
        "microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection{event}/microsoft.graph.onAttributeCollection{event}CustomExtensionHandler/customExtension"
    )
}
