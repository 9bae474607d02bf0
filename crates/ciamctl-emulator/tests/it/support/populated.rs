//! A tenant with one object of every kind the emulator serves, every optional part the reads
//! show filled in, and what each route of the route table takes in it (a concrete path, a body
//! the route accepts): what the CSDL tests and the route robustness test aim their requests at.

use serde_json::{Value, json};

use super::TestEmulator;
use super::branding::{brand_like_the_docs, branding, localizations, patch0};
use super::fixtures::{
    ATTRIBUTES, EXTENSIONS, LISTENERS, MOBILE_APP, PORTAL_APP, PROVIDERS, WEB_APP, apple_provider,
    attribute, extension_of_type, flow_collecting, linking, oidc_provider, social_provider,
    start_extension_patch, token_issuance, token_issuance_listener,
};
use super::images::png;

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

// --- What each route takes -------------------------------------------------------------------

/// What a write route of the populated tenant takes.
pub enum Sample {
    /// A JSON body it accepts.
    Json(Value),
    /// A binary body it accepts, and its media type (branding streams).
    Bytes(&'static str, Vec<u8>),
    /// No body (validating a stored extension).
    Nothing,
}

/// The body write route `method path` accepts in the tenant `populate` made, or `None` for a
/// route this table does not know yet (the test then fails, so a new write route gets its row).
pub fn sample(method: &str, path: &str, walked: &Walked) -> Option<Sample> {
    let extension_ref = |id: &str| json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/identity/customAuthenticationExtensions/{id}") });
    let settings = json!({
        "signInPageText": "Robust",
        "backgroundColor": "#FFFFFF",
        "loginPageLayoutConfiguration": { "layoutTemplateType": "default", "isHeaderShown": false },
        "loginPageTextVisibilitySettings": { "hideTermsOfUse": true },
        "contentCustomization": { "attributeCollection": [{ "key": "Email_Label", "value": "Mail" }] }
    });
    let body = match (method, path) {
        ("POST", "identity/authenticationEventsFlows") => {
            let mut flow = flow_collecting("Robust", &["email", "city"]);
            flow["description"] = json!("a flow");
            flow["onUserCreateStart"] = json!({
                "@odata.type": "#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp",
                "userTypeToCreate": "member"
            });
            flow["conditions"] = linking(&[PORTAL_APP]);
            flow
        }
        ("PATCH", "identity/authenticationEventsFlows/{id}") => {
            let mut flow = flow_collecting("Conformance", &["email", &walked.attribute]);
            flow["onAuthenticationMethodLoadStart"]["identityProviders"] =
                json!([{ "id": "EmailPassword-OAUTH" }, { "id": walked.oidc }]);
            flow["description"] = json!("patched");
            flow.as_object_mut().expect("a flow is an object").extend(
                start_extension_patch(&walked.start_extension)
                    .as_object()
                    .cloned()
                    .expect("an object"),
            );
            flow
        }
        ("POST", p) if p.ends_with("/includeApplications") => json!({
            "@odata.type": "#microsoft.graph.authenticationConditionApplication",
            "appId": MOBILE_APP
        }),
        ("POST", p) if p.ends_with("/identityProviders/$ref") => json!({
            "@odata.id": "https://graph.microsoft.com/beta/identityProviders/EmailOtpSignup-OAUTH"
        }),
        ("POST", p) if p.ends_with("/attributes/$ref") => json!({
            "@odata.id": "https://graph.microsoft.com/v1.0/identity/userFlowAttributes/country"
        }),
        ("PUT", p) if p.contains("/onAttributeCollectionStart/") => {
            extension_ref(&walked.start_extension)
        }
        ("PUT", p) if p.contains("/onAttributeCollectionSubmit/") => {
            extension_ref(&walked.submit_extension)
        }
        ("PUT", p) if p.starts_with("identity/authenticationEventListeners/") => {
            extension_ref(&walked.extension)
        }
        ("POST", "identity/userFlowAttributes") => attribute("Robust", "string"),
        ("PATCH", "identity/userFlowAttributes/{id}") => json!({ "description": "patched" }),
        ("POST", "identity/identityProviders") => social_provider("Facebook", "secret"),
        ("PATCH", "identity/identityProviders/{id}") => oidc_provider(),
        (
            "PATCH",
            "organization/{orgId}/branding"
            | "organization/{orgId}/branding/localizations/{locale}",
        ) => settings,
        ("POST", "organization/{orgId}/branding/localizations") => {
            let mut localization = settings;
            localization["id"] = json!("it-IT");
            localization
        }
        ("PUT" | "PATCH", p) if p.ends_with("/{stream}") => {
            return Some(Sample::Bytes("image/png", png(240, 36)));
        }
        ("POST", "identity/customAuthenticationExtensions") => {
            let mut extension = token_issuance(
                "https://hooks.woodgrove.example",
                &format!("api://hooks.woodgrove.example/{WEB_APP}"),
            );
            extension["clientConfiguration"] =
                json!({ "timeoutInMilliseconds": 2000, "maximumRetries": 1 });
            extension["behaviorOnError"] =
                json!({ "@odata.type": "#microsoft.graph.fallbackToMicrosoftProviderOnError" });
            extension
        }
        ("POST", "identity/customAuthenticationExtensions/validateAuthenticationConfiguration") => {
            json!({
                "endpointConfiguration": {
                    "@odata.type": "#microsoft.graph.httpRequestEndpoint",
                    "targetUrl": "https://hooks.woodgrove.example"
                },
                "authenticationConfiguration": {
                    "@odata.type": "#microsoft.graph.azureAdTokenAuthentication",
                    "resourceId": format!("api://hooks.woodgrove.example/{WEB_APP}")
                }
            })
        }
        ("PATCH", "identity/customAuthenticationExtensions/{id}") => token_issuance(
            "https://hooks2.woodgrove.example",
            &format!("api://hooks2.woodgrove.example/{WEB_APP}"),
        ),
        (
            "POST",
            "identity/customAuthenticationExtensions/{id}/validateAuthenticationConfiguration",
        ) => {
            return Some(Sample::Nothing);
        }
        (
            "POST" | "PATCH",
            "identity/authenticationEventListeners" | "identity/authenticationEventListeners/{id}",
        ) => {
            let mut listener = token_issuance_listener(&walked.extension);
            listener["displayName"] = json!("Robust");
            listener["handler"]["configuration"] = json!({ "clientConfiguration": { "timeoutInMilliseconds": 1000, "maximumRetries": 0 } });
            listener
        }
        _ => return None,
    };
    Some(Sample::Json(body))
}

/// The value of placeholder `name` in `path` that names an object `populate` made.
fn placeholder(t: &TestEmulator, walked: &Walked, path: &str, name: &str) -> String {
    let tenant = t.emulator.tenant();
    let under = |prefix: &str| path.starts_with(prefix);
    match name {
        "id" if under("identity/authenticationEventsFlows") => walked.flow.clone(),
        "id" if under("identity/authenticationEventListeners") => walked.listener.clone(),
        "id" if under("identity/customAuthenticationExtensions") => walked.extension.clone(),
        "id" if under("identity/userFlowAttributes") => walked.attribute.clone(),
        "id" if under("identity/identityProviders") || under("identityProviders") => {
            walked.oidc.clone()
        }
        "id" if under("applications") => tenant.applications[0].id.clone(),
        "id" if under("servicePrincipals") => tenant.service_principals[0].id.clone(),
        "appId" if under("identity/authenticationEventListeners") => PORTAL_APP.to_owned(),
        "appId" => WEB_APP.to_owned(),
        "idpId" => "Google-OAUTH".to_owned(),
        "attributeId" => walked.attribute.clone(),
        "orgId" => t.emulator.tenant_id().to_owned(),
        "locale" => "fr-FR".to_owned(),
        "property" | "stream" => "bannerLogo".to_owned(),
        "listenerType" => "onTokenIssuanceStartListener".to_owned(),
        "handlerType" => "onTokenIssuanceStartCustomExtensionHandler".to_owned(),
        other => panic!("{path}: no value for placeholder {{{other}}}"),
    }
}

/// Route pattern `path` (relative to the version root) with each placeholder naming an object
/// `populate` made.
pub fn concrete(t: &TestEmulator, walked: &Walked, path: &str) -> String {
    fill_in(path, |name| placeholder(t, walked, path, name))
}

/// `path` with each placeholder replaced by `fill(name)`.
pub fn fill_in(path: &str, mut fill: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a closed placeholder");
        out.push_str(&rest[..open]);
        out.push_str(&fill(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}
