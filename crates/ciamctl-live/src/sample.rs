//! A representative live tenant for the rendering and serialisation tests: every kind, unsorted
//! collections, masked secrets, downloaded and undownloaded assets, and one unknown kind.

use serde_json::json;

use crate::read::{FromGraph, parse_collection};
use crate::{
    AssetState, Branding, CustomExtension, IdentityProvider, Known, LiveTenant, Localization,
    Organization, Stream, UserFlow, UserFlowAttribute, directory::Application,
};

pub(crate) fn tenant() -> LiveTenant {
    let flows = parse_collection::<UserFlow>(&[
        json!({
            "id": "f-2", "displayName": "Woodgrove customers", "description": "Sign up\nand in",
            "priority": 500,
            "conditions": { "applications": { "includeAllApplications": false,
                "includeApplications": [ { "appId": "22222222-0000-0000-0000-000000000002" } ] } },
            "onInteractiveAuthFlowStart": { "isSignUpAllowed": true },
            "onAuthenticationMethodLoadStart": { "identityProviders": [
                { "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailPassword-OAUTH",
                  "displayName": "Email with password", "identityProviderType": "EmailPassword" },
                { "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Google-OAUTH",
                  "displayName": "Google", "identityProviderType": "Google", "clientId": "g", "clientSecret": "******" }
            ] },
            "onAttributeCollection": {
                "attributeCollectionPage": { "views": [ { "title": "About you", "inputs": [
                    { "attribute": "email", "label": "Email Address", "inputType": "text", "hidden": true,
                      "editable": false, "writeToDirectory": true, "required": true, "validationRegEx": "^.*", "options": [] },
                    { "attribute": "extension_6ea3bc85aec24b1c92ff4a117afb6621_Plan", "label": "Plan",
                      "inputType": "RadioSingleSelect", "required": false,
                      "options": [ { "label": "Free", "value": "free" }, { "label": "Pro", "value": "pro" } ] }
                ] } ] },
                "attributes": [ { "id": "email" }, { "id": "extension_6ea3bc85aec24b1c92ff4a117afb6621_Plan" } ]
            },
            "onUserCreateStart": { "userTypeToCreate": "member" },
            "onAttributeCollectionSubmit": {
                "configuration": { "clientConfiguration": { "timeoutInMilliseconds": 2000, "maximumRetries": 1 },
                    "behaviorOnError": { "@odata.type": "#microsoft.graph.fallbackToMicrosoftProviderOnError" } }
            }
        }),
        json!({
            "id": "f-1", "displayName": "Partners", "priority": 50,
            "conditions": { "applications": { "includeAllApplications": false, "includeApplications": [] } },
            "onInteractiveAuthFlowStart": { "isSignUpAllowed": false },
            "onAuthenticationMethodLoadStart": { "identityProviders": [
                { "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailOtpSignup-OAUTH",
                  "displayName": "Email One Time Passcode", "identityProviderType": "EmailOTP" }
            ] },
            "onAttributeCollection": null,
            "onUserCreateStart": null
        }),
    ])
    .unwrap();
    let attributes = parse_collection::<UserFlowAttribute>(&[
        json!({ "id": "extension_6ea3bc85aec24b1c92ff4a117afb6621_Plan", "displayName": "Plan",
                "description": "Subscription plan", "userFlowAttributeType": "custom", "dataType": "string" }),
        json!({ "id": "email", "displayName": "Email Address", "description": "Email address of the user",
                "userFlowAttributeType": "builtIn", "dataType": "string" }),
    ])
    .unwrap();
    let providers = parse_collection::<IdentityProvider>(&[
        json!({ "@odata.type": "#microsoft.graph.oidcIdentityProvider", "id": "9c1e7d52-0000-4000-8000-000000000003",
                "displayName": "Contoso ID", "clientId": "contoso-client", "issuer": "https://id.contoso.com/",
                "wellKnownEndpoint": "https://id.contoso.com/.well-known/openid-configuration",
                "responseType": "code", "scope": "openid profile email",
                "clientAuthentication": { "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication", "clientSecret": "*****" },
                "inboundClaimMapping": { "sub": "sub", "email": "mail", "address": { "country": "ctry" } } }),
        json!({ "@odata.type": "#microsoft.graph.socialIdentityProvider", "id": "Google-OAUTH", "displayName": "Google",
                "identityProviderType": "Google", "clientId": "g", "clientSecret": "******" }),
        json!({ "@odata.type": "#microsoft.graph.builtInIdentityProvider", "id": "EmailPassword-OAUTH",
                "displayName": "Email with password", "identityProviderType": "EmailPassword", "state": null }),
    ])
    .unwrap();
    let extensions = parse_collection::<CustomExtension>(&[json!({
        "@odata.type": "#microsoft.graph.onAttributeCollectionSubmitCustomExtension", "id": "e-1",
        "displayName": "Validate plan", "endpointConfiguration": { "targetUrl": "https://api.woodgrove.com/plan" }
    })])
    .unwrap();
    let mut branding = Branding::from_graph(&json!({
        "id": "0", "backgroundColor": "#F3F2F1", "signInPageText": "Welcome", "usernameHintText": "",
        "bannerLogoRelativeUrl": "t/logintenantbranding/0/bannerlogo?ts=1",
        "squareLogoRelativeUrl": "t/logintenantbranding/0/tilelogo?ts=1",
        "loginPageLayoutConfiguration": { "layoutTemplateType": "default", "isHeaderShown": false, "isFooterShown": true },
        "contentCustomization": { "attributeCollection": [ { "key": "AttributeCollection_Title", "value": "Almost there" } ] }
    }))
    .unwrap();
    branding.properties.set_asset(
        Stream::BannerLogo,
        AssetState::from_download("image/png", b"not really a png"),
    );
    let localizations = parse_collection::<Localization>(&[
        json!({ "id": "nl-NL", "signInPageText": "Welkom" }),
        json!({ "id": "0", "signInPageText": "Welcome" }),
        json!({ "id": "fr-FR", "signInPageText": " ", "customCSSRelativeUrl": "t/logintenantbranding/1036/customcss?ts=2" }),
    ])
    .unwrap();
    let applications = parse_collection::<Application>(&[
        json!({ "id": "o-2", "appId": "22222222-0000-0000-0000-000000000002", "displayName": "Woodgrove web" }),
        json!({ "id": "o-1", "appId": "11111111-0000-0000-0000-000000000001", "displayName": "Woodgrove admin" }),
    ])
    .unwrap();
    LiveTenant {
        tenant_id: "84841066-274d-4ec0-a5c1-276be684bdd3".into(),
        organization: Known::Known(
            Organization::from_graph(&json!({ "id": "84841066-274d-4ec0-a5c1-276be684bdd3",
                "displayName": "Woodgrove", "tenantType": "CIAM",
                "verifiedDomains": [ { "name": "woodgrove.onmicrosoft.com" } ] }))
            .unwrap(),
        ),
        user_flows: Known::Known(flows),
        attributes: Known::Known(attributes),
        identity_providers: Known::Known(providers),
        custom_extensions: Known::Known(extensions),
        branding: Known::Known(Some(branding)),
        localizations: Known::Known(localizations),
        applications: Known::Known(applications),
    }
}

/// [`tenant`] whose applications could not be read.
pub(crate) fn tenant_with_unknown_kind() -> LiveTenant {
    LiveTenant {
        applications: Known::unknown(
            "GET /v1.0/applications?$filter=appId eq '22222222-0000-0000-0000-000000000002'",
            "403 Authorization_RequestDenied: Insufficient privileges (needs Application.Read.All)",
        ),
        ..tenant()
    }
}
