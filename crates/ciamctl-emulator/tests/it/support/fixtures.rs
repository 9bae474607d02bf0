//! The objects tests create: request bodies for identity providers, user-flow attributes,
//! custom extensions, listeners and user flows, and helpers that create one and assert the 201.

use serde_json::{Value, json};

use super::TestEmulator;

/// appIds of applications every fresh tenant has (`routes/directory.rs`). "Woodgrove Web" also
/// has a service principal.
pub const WEB_APP: &str = "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60";
pub const PORTAL_APP: &str = "e3a7b0d2-4f5c-4d8e-9a0b-2c3d4e5f6071";
pub const MOBILE_APP: &str = "f4b8c1e3-5a6d-4e9f-8b1c-3d4e5f607182";

/// `extension_<appId of the seeded b2c-extensions-app without dashes>_`, the prefix of custom
/// attribute ids (§15.12).
pub const EXTENSION_PREFIX: &str = "extension_0a1b2c3d4e5f4a6b8c7d9e0f1a2b3c4d_";

pub const PROVIDERS: &str = "/v1.0/identity/identityProviders";
pub const ATTRIBUTES: &str = "/v1.0/identity/userFlowAttributes";
pub const EXTENSIONS: &str = "/v1.0/identity/customAuthenticationExtensions";
pub const LISTENERS: &str = "/v1.0/identity/authenticationEventListeners";

pub const FLOW_TYPE: &str = "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow";
pub const ATTRIBUTE_COLLECTION_TYPE: &str =
    "#microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp";
pub const TOKEN_ISSUANCE_EXTENSION: &str = "#microsoft.graph.onTokenIssuanceStartCustomExtension";

// --- Identity providers (§6) ------------------------------------------------------------------

/// A social identity provider of `kind` (`Google`, `Facebook`, ...) with client secret `secret`.
pub fn social_provider(kind: &str, secret: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": format!("{kind} sign-in"),
        "identityProviderType": kind,
        "clientId": format!("{kind}-client-id"),
        "clientSecret": secret,
    })
}

/// The Apple provider, with its certificate (a secret).
pub fn apple_provider() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.appleManagedIdentityProvider",
        "displayName": "Sign in with Apple",
        "developerId": "UBF8T346G9",
        "serviceId": "com.woodgrove.signin",
        "keyId": "99P6D879C4",
        "certificateData": "apple-certificate-data"
    })
}

/// An OIDC provider whose client secret is nested in `clientAuthentication`; its type and
/// `responseType` are sent in other casings than the CSDL's.
pub fn oidc_provider() -> Value {
    json!({
        "@odata.type": "#microsoft.graph.OidcIdentityProvider",
        "displayName": "Contoso",
        "clientId": "oidc-client",
        "issuer": "https://contoso.example/v2.0/",
        "wellKnownEndpoint": "https://contoso.example/.well-known/openid-configuration",
        "responseType": "CODE",
        "scope": "openid profile",
        "clientAuthentication": {
            "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
            "clientSecret": "oidc-secret"
        },
        "inboundClaimMapping": { "sub": "sub", "address": { "country": "country" } }
    })
}

/// Creates an identity provider and returns the create response.
pub async fn create_provider(t: &TestEmulator, body: Value) -> Value {
    t.post(PROVIDERS, body)
        .await
        .assert_status(201)
        .json
        .clone()
}

/// Creates a social provider of `kind` with the secret `{kind}-secret` and returns its id.
pub async fn create_social_provider(t: &TestEmulator, kind: &str) -> String {
    let body = social_provider(kind, &format!("{kind}-secret"));
    t.post(PROVIDERS, body).await.assert_status(201).id()
}

// --- User-flow attributes (§5) ----------------------------------------------------------------

/// A custom attribute named `name` of `data_type`.
pub fn attribute(name: &str, data_type: &str) -> Value {
    json!({ "displayName": name, "description": format!("Your {name}"), "dataType": data_type })
}

/// Creates a custom attribute and returns its id.
pub async fn create_attribute(t: &TestEmulator, name: &str, data_type: &str) -> String {
    let body = attribute(name, data_type);
    t.post(ATTRIBUTES, body).await.assert_status(201).id()
}

// --- Custom extensions and listeners (§9) -----------------------------------------------------

/// A token-issuance-start extension calling `target`, authenticated for `resource_id`.
pub fn token_issuance(target: &str, resource_id: &str) -> Value {
    json!({
        "@odata.type": TOKEN_ISSUANCE_EXTENSION,
        "displayName": "Claims from the loyalty API",
        "endpointConfiguration": {
            "@odata.type": "#microsoft.graph.httpRequestEndpoint",
            "targetUrl": target
        },
        "authenticationConfiguration": {
            "@odata.type": "#microsoft.graph.azureAdTokenAuthentication",
            "resourceId": resource_id
        },
        "claimsForTokenConfiguration": [{"claimIdInApiResponse": "LoyaltyTier"}]
    })
}

/// An extension of `odata_type` (`#microsoft.graph.onAttributeCollectionSubmitCustomExtension`,
/// ...) whose API is the "Woodgrove Web" application.
pub fn extension_of_type(odata_type: &str) -> Value {
    let mut body = token_issuance(
        "https://hooks.woodgrove.example",
        &format!("api://hooks.woodgrove.example/{WEB_APP}"),
    );
    body["@odata.type"] = json!(odata_type);
    if odata_type != TOKEN_ISSUANCE_EXTENSION {
        body.as_object_mut()
            .expect("an object")
            .remove("claimsForTokenConfiguration");
    }
    body
}

/// Creates a custom extension and returns its id.
pub async fn create_extension(t: &TestEmulator, body: Value) -> String {
    t.post(EXTENSIONS, body).await.assert_status(201).id()
}

/// A token-issuance-start listener for "Woodgrove Web" that calls `extension_id`.
pub fn token_issuance_listener(extension_id: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartListener",
        "conditions": {"applications": {"includeApplications": [{"appId": WEB_APP}]}},
        "handler": {
            "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtensionHandler",
            "customExtension": {"id": extension_id}
        }
    })
}

/// Creates a listener through `path` (the v1.0 or beta collection) and returns the response.
pub async fn create_listener(t: &TestEmulator, path: &str, body: Value) -> Value {
    t.post(path, body).await.assert_status(201).json.clone()
}

// --- User flows (§1–§4) -----------------------------------------------------------------------

/// A flow with only what create requires: sign-up allowed, email with password.
pub fn minimal_flow(name: &str) -> Value {
    json!({
        "@odata.type": FLOW_TYPE,
        "displayName": name,
        "onInteractiveAuthFlowStart": {
            "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
            "isSignUpAllowed": true
        },
        "onAuthenticationMethodLoadStart": {
            "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": [{ "id": "EmailPassword-OAUTH" }]
        }
    })
}

/// A minimal flow that offers the providers `ids`.
pub fn flow_offering(name: &str, ids: &[&str]) -> Value {
    let mut flow = minimal_flow(name);
    flow["onAuthenticationMethodLoadStart"]["identityProviders"] =
        ids.iter().map(|id| json!({ "id": id })).collect();
    flow
}

/// A page input as a client sends it (no `defaultValue`, no `options`).
pub fn input(attribute: &str) -> Value {
    json!({
        "attribute": attribute,
        "label": format!("Your {attribute}"),
        "inputType": "text",
        "hidden": false,
        "editable": true,
        "writeToDirectory": true,
        "required": true,
        "validationRegEx": "^.*"
    })
}

/// A page with one view holding an input per attribute.
pub fn page(attributes: &[&str]) -> Value {
    json!({ "views": [{ "inputs": attributes.iter().map(|a| input(a)).collect::<Vec<_>>() }] })
}

/// A flow that collects `attributes`, one input each.
pub fn flow_collecting(name: &str, attributes: &[&str]) -> Value {
    let mut flow = minimal_flow(name);
    flow["onAttributeCollection"] = json!({
        "@odata.type": ATTRIBUTE_COLLECTION_TYPE,
        "attributes": attributes.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
        "attributeCollectionPage": page(attributes),
    });
    flow
}

/// `conditions` linking the applications `app_ids`.
pub fn linking(app_ids: &[&str]) -> Value {
    let apps: Vec<Value> = app_ids.iter().map(|id| json!({ "appId": id })).collect();
    json!({ "applications": { "includeApplications": apps } })
}

/// A flow PATCH attaching the attribute-collection-start extension `extension_id` to the flow,
/// with a handler configuration (§9.3, §16.16).
pub fn start_extension_patch(extension_id: &str) -> Value {
    json!({
        "@odata.type": FLOW_TYPE,
        "onAttributeCollectionStart": {
            "@odata.type": "#microsoft.graph.onAttributeCollectionStartCustomExtensionHandler",
            "configuration": {
                "behaviorOnError": { "@odata.type": "#microsoft.graph.fallbackToMicrosoftProviderOnError" },
                "clientConfiguration": { "timeoutInMilliseconds": 2000, "maximumRetries": 1 }
            },
            "customExtension": { "id": extension_id }
        }
    })
}

/// Creates a flow through `version` and returns the create response.
pub async fn create_flow(t: &TestEmulator, version: &str, body: Value) -> Value {
    t.post(
        &format!("/{version}/identity/authenticationEventsFlows"),
        body,
    )
    .await
    .assert_status(201)
    .json
    .clone()
}
