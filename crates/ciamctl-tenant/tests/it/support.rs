//! An emulator with a populated tenant and clients for it.

use std::path::Path;

use ciamctl_emulator::{
    AuthConfig, Client, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig, Tenant,
};
use ciamctl_graph::{Authenticator, ClientOptions, Credential, Endpoints, GraphClient, Request};
use ciamctl_secret::Secret;
use serde_json::{Value, json};

pub(crate) const WEB_APP: &str = "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60";

pub(crate) async fn start(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.unwrap()
}

/// A client of `emulator` with the default client's secret.
pub(crate) fn client(emulator: &Emulator, options: ClientOptions) -> GraphClient {
    client_as(emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, options)
}

pub(crate) fn client_as(
    emulator: &Emulator,
    client_id: &str,
    secret: &str,
    options: ClientOptions,
) -> GraphClient {
    let endpoints = Endpoints::new(emulator.base_url(), emulator.base_url()).unwrap();
    let credential = Credential::ClientSecret {
        client_id: client_id.to_owned(),
        secret: Secret::new(secret.to_owned()),
    };
    let authenticator = Authenticator::new(credential, emulator.tenant_id(), endpoints.clone());
    GraphClient::new(endpoints, authenticator, options).unwrap()
}

/// An emulator configuration whose tenant also has `apps` applications (`App 000`, ...) and a
/// client `reader` with only the roles `reader_roles`.
pub(crate) fn config_with_apps(dir: &Path, apps: usize, reader_roles: &[&str]) -> EmulatorConfig {
    let mut config = EmulatorConfig::default();
    let mut tenant = Tenant::fresh(&config);
    let mut seed = serde_json::to_value(&tenant).unwrap();
    let list = seed["applications"].as_array_mut().unwrap();
    for i in 0..apps {
        list.push(json!({
            "id": format!("00000000-0000-4000-8000-{i:012}"),
            "appId": app_id(i),
            "displayName": format!("App {i:03}"),
        }));
    }
    tenant = serde_json::from_value(seed).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(&path, serde_json::to_vec(&tenant).unwrap()).unwrap();
    config.seed = Some(path);
    config.auth = AuthConfig {
        clients: vec![Client::with_secret("reader", "reader-secret", reader_roles)],
        ..AuthConfig::default()
    };
    config
}

pub(crate) fn app_id(i: usize) -> String {
    format!("aaaaaaaa-0000-4000-8000-{i:012}")
}

/// Sends `requests` and asserts every one succeeded.
pub(crate) async fn must(client: &GraphClient, requests: Vec<Request>) -> Vec<Value> {
    let mut out = Vec::new();
    for answer in client.send_round(requests).await {
        let response = answer.unwrap();
        out.push(response.value().unwrap_or(Value::Null));
    }
    out
}

pub(crate) fn flow(name: &str, providers: &[&str], apps: &[&str]) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
        "displayName": name,
        "onInteractiveAuthFlowStart": {
            "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
            "isSignUpAllowed": true
        },
        "onAuthenticationMethodLoadStart": {
            "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": providers.iter().map(|id| json!({ "id": id })).collect::<Vec<_>>()
        },
        "conditions": { "applications": { "includeApplications":
            apps.iter().map(|id| json!({ "appId": id })).collect::<Vec<_>>() } }
    })
}

pub(crate) fn oidc_provider(i: usize) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.oidcIdentityProvider",
        "displayName": format!("Partner {i}"),
        "clientId": format!("partner-{i}"),
        "issuer": format!("https://partner{i}.example/v2.0/"),
        "wellKnownEndpoint": format!("https://partner{i}.example/.well-known/openid-configuration"),
        "responseType": "code",
        "scope": "openid profile",
        "clientAuthentication": {
            "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
            "clientSecret": format!("partner-secret-{i}")
        }
    })
}

pub(crate) fn social_provider(kind: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": kind,
        "identityProviderType": kind,
        "clientId": format!("{kind}-client"),
        "clientSecret": format!("{kind}-secret-value"),
    })
}

/// The woodgrove example's banner, a real PNG.
pub(crate) fn banner() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../config-examples/woodgrove/assets/banner.png"),
    )
    .unwrap()
}
