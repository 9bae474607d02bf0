//! Identity providers (REFERENCE.md §6).
//!
//! Graph assigns provider ids (`Google-OAUTH`, GUIDs; §15.11, §16.8), so a provider is matched
//! by its display name, or, for a social type the tenant has once, by that type (a provider
//! renamed in the admin center is renamed back rather than created twice). A provider's type
//! cannot change: a different one is an error at the YAML's `type`.
//!
//! Secrets are write-only (§15.10): a create sends the secret from its reference; an update
//! sends it only with `--rotate-secrets`, or when the tenant has none, and otherwise the plan
//! notes that it is not compared. The plan's bodies hold the mask, and `secrets` says where
//! `apply` reads the value from.

use std::collections::BTreeSet;

use ciamctl_live::{
    Fingerprint as _, IdentityProvider as LiveProvider, IdentityProviderKind, OidcProvider,
    SecretState,
};
use ciamctl_model::identity_provider::{
    DEFAULT_RESPONSE_TYPE, IdentityProvider, IdentityProviderType, OidcClientAuthenticationType,
    OidcInboundClaimMapping,
};
use ciamctl_model::settings::ResourceKind;
use ciamctl_model::{Diagnostic, Located};
use serde_json::{Map, Value, json};

use super::{Context, Fields, IdRef, text};
use crate::builder::{Request, Resource};
use crate::document::{Action, Kind};

const COLLECTION: &str = "/identity/identityProviders";
const SOCIAL: &str = "#microsoft.graph.socialIdentityProvider";
const OIDC: &str = "#microsoft.graph.oidcIdentityProvider";
const SECRET_NOTE: &str = "clientSecret is write-only: Graph never returns it, so it is not \
                           compared; `--rotate-secrets` sends it again";

pub(crate) fn diff(cx: &mut Context<'_>) {
    let live: Vec<&LiveProvider> = cx.live.custom_providers().collect();
    // A set: the lookup of each desired provider tests every live one against it.
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    for desired in &cx.config.identity_providers {
        match find(&live, desired, &matched) {
            Found::One(provider) => {
                matched.insert(&provider.id);
                cx.provider_ids
                    .insert(desired.name.to_string(), IdRef::Live(provider.id.clone()));
                update(cx, desired, provider);
            }
            Found::None => create(cx, desired),
            Found::Several(several) => {
                matched.extend(several.iter().map(|p| p.id.as_str()));
                ambiguous(cx, desired, &several);
            }
        }
    }
    let prune = cx.config.settings.prunes(ResourceKind::IdentityProviders);
    for provider in live.iter().filter(|p| !matched.contains(p.id.as_str())) {
        if prune {
            let change = cx.builder.live_change(
                Action::Delete,
                Kind::IdentityProvider,
                &provider.display_name,
                &provider.id,
                provider.fingerprint(),
            );
            let step = cx.builder.step(
                change,
                Request::delete(format!("{COLLECTION}/{}", provider.id)),
                [],
            );
            // After every flow that offers it has let go of it.
            cx.builder
                .takes(step, Resource::IdentityProvider(provider.id.clone()));
        } else {
            cx.leave_unmanaged(Kind::IdentityProvider, &provider.display_name, &provider.id);
        }
    }
}

/// The Graph `identityProviderType` of a social type.
fn social_type(kind: IdentityProviderType) -> Option<&'static str> {
    match kind {
        IdentityProviderType::Google => Some("Google"),
        IdentityProviderType::Facebook => Some("Facebook"),
        IdentityProviderType::Oidc => None,
    }
}

/// What a configured provider's name finds among the live providers.
enum Found<'a> {
    One(&'a LiveProvider),
    None,
    /// Several live providers with the name (exactly, or else ignoring case), sorted by id.
    Several(Vec<&'a LiveProvider>),
}

/// The live provider for `desired`: by name (exactly, else ignoring case), else the one social
/// provider of its type. Graph does not keep provider names unique, so a name several live
/// providers have is reported rather than matched to whichever Graph listed first.
fn find<'a>(
    live: &[&'a LiveProvider],
    desired: &IdentityProvider,
    matched: &BTreeSet<&str>,
) -> Found<'a> {
    let free: Vec<&'a LiveProvider> = live
        .iter()
        .filter(|p| !matched.contains(p.id.as_str()))
        .copied()
        .collect();
    let name = desired.name.as_str();
    let named = |same: &dyn Fn(&str) -> bool| {
        let mut found: Vec<&'a LiveProvider> = free
            .iter()
            .filter(|p| same(&p.display_name))
            .copied()
            .collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found
    };
    for candidates in [
        named(&|n| n == name),
        named(&|n| n.eq_ignore_ascii_case(name)),
    ] {
        match candidates.as_slice() {
            [] => {}
            [only] => return Found::One(only),
            _ => return Found::Several(candidates),
        }
    }
    let Some(wanted) = social_type(*desired.kind) else {
        return Found::None;
    };
    match free
        .iter()
        .filter(|p| p.provider_type() == Some(wanted))
        .collect::<Vec<_>>()
        .as_slice()
    {
        [only] => Found::One(only),
        _ => Found::None,
    }
}

fn ambiguous(cx: &mut Context<'_>, desired: &Located<IdentityProvider>, several: &[&LiveProvider]) {
    let ids: Vec<&str> = several.iter().map(|p| p.id.as_str()).collect();
    cx.diagnostics.push(
        Diagnostic::error(
            "ambiguous-identity-provider",
            format!(
                "{} identity providers in the tenant are named `{}`: {}",
                several.len(),
                desired.name.as_str(),
                ids.join(", ")
            ),
            Some(desired.name.span()),
        )
        .with_label("matches more than one provider")
        .with_help(
            "rename or delete the duplicates in the tenant so that one provider has this name; \
             ciamctl matches identity providers by name",
        ),
    );
}

fn create(cx: &mut Context<'_>, desired: &Located<IdentityProvider>) {
    let change = cx
        .builder
        .change(Action::Create, Kind::IdentityProvider, &desired.name);
    let mut fields = Fields::default();
    let mask = || json!(ciamctl_secret::MASK);
    // Fields are shown in the configuration's terms (`type: google`), bodies in Graph's.
    fields.set("type", Some(*desired.kind));
    let (body, secret) = if let Some(provider_type) = social_type(*desired.kind) {
        fields.set("clientId", Some(desired.client_id.as_str()));
        let mut body = json!({
            "@odata.type": SOCIAL,
            "displayName": desired.name.as_str(),
            "identityProviderType": provider_type,
            "clientId": desired.client_id.as_str(),
        });
        let secret = desired.client_secret.as_ref().map(|secret| {
            fields.set("clientSecret", Some(mask()));
            body["clientSecret"] = mask();
            ("/clientSecret", secret.to_string())
        });
        (body, secret)
    } else {
        let mut body = Map::new();
        body.insert("@odata.type".into(), json!(OIDC));
        body.insert("displayName".into(), json!(desired.name.as_str()));
        for (key, value) in oidc_settings(desired) {
            fields.set(key, Some(&value));
            body.insert(key.to_owned(), value);
        }
        let mut secret = None;
        if let Some(authentication) = &desired.client_authentication {
            let (value, source) = client_authentication(authentication);
            fields.set("clientAuthentication.type", Some(*authentication.kind));
            if source.is_some() {
                fields.set("clientAuthentication.clientSecret", Some(mask()));
            }
            body.insert("clientAuthentication".into(), value);
            secret = source.map(|source| ("/clientAuthentication/clientSecret", source));
        }
        (Value::Object(body), secret)
    };
    let mut request = Request::post(COLLECTION, body);
    if let Some((pointer, source)) = secret {
        request = request.secret(pointer, source);
    }
    cx.builder.get_mut(change).fields = fields.0;
    let step = cx.builder.step(change, request, []);
    cx.provider_ids
        .insert(desired.name.to_string(), IdRef::Created(step));
}

/// An OIDC provider's settings as Graph names them, in a fixed order, without the client
/// authentication (which may hold a secret).
fn oidc_settings(desired: &IdentityProvider) -> Vec<(&'static str, Value)> {
    let mut settings = vec![("clientId", json!(desired.client_id.as_str()))];
    for (key, value) in [
        ("issuer", &desired.issuer),
        ("wellKnownEndpoint", &desired.well_known_endpoint),
        ("scope", &desired.scope),
    ] {
        if let Some(value) = value {
            settings.push((key, json!(value.as_str())));
        }
    }
    settings.push(("responseType", json!(desired.response_type())));
    if let Some(mapping) = &desired.inbound_claim_mapping {
        settings.push(("inboundClaimMapping", json!(mapping.get())));
    }
    settings
}

/// The `clientAuthentication` value, with the mask for a secret, and the secret's reference.
fn client_authentication(
    authentication: &ciamctl_model::identity_provider::OidcClientAuthentication,
) -> (Value, Option<String>) {
    match *authentication.kind {
        OidcClientAuthenticationType::ClientSecret => (
            json!({
                "@odata.type": "#microsoft.graph.oidcClientSecretAuthentication",
                "clientSecret": ciamctl_secret::MASK,
            }),
            authentication.client_secret.as_ref().map(|s| s.to_string()),
        ),
        OidcClientAuthenticationType::PrivateJwtKey => (
            json!({ "@odata.type": "#microsoft.graph.oidcPrivateJwtKeyClientAuthentication" }),
            None,
        ),
    }
}

fn update(cx: &mut Context<'_>, desired: &Located<IdentityProvider>, live: &LiveProvider) {
    let mut fields = Fields::default();
    let mut body = Map::new();
    let mut request_secret: Option<(&'static str, String)> = None;
    let mut notes = Vec::new();
    let rotate = cx.options.rotate_secrets;
    if live.display_name != *desired.name {
        fields.compare(
            "name",
            Some(live.display_name.as_str()),
            Some(desired.name.as_str()),
        );
        body.insert("displayName".into(), json!(desired.name.as_str()));
    }
    match (&live.kind, social_type(*desired.kind)) {
        (
            IdentityProviderKind::Social {
                identity_provider_type,
                client_id,
                client_secret,
            },
            Some(wanted),
        ) if identity_provider_type == wanted => {
            body.insert("@odata.type".into(), json!(SOCIAL));
            if fields.compare(
                "clientId",
                Some(client_id.as_str()),
                Some(desired.client_id.as_str()),
            ) {
                body.insert("clientId".into(), json!(desired.client_id.as_str()));
            }
            if let Some(secret) = &desired.client_secret {
                match secret_action(*client_secret, rotate, &mut fields, "clientSecret") {
                    SecretAction::Send => {
                        body.insert("clientSecret".into(), json!(ciamctl_secret::MASK));
                        request_secret = Some(("/clientSecret", secret.to_string()));
                    }
                    SecretAction::Note => notes.push(SECRET_NOTE.to_owned()),
                }
            }
        }
        (IdentityProviderKind::Oidc(oidc), None) => {
            body.insert("@odata.type".into(), json!(OIDC));
            update_oidc(oidc, desired, &mut fields, &mut body);
            if let Some(authentication) = &desired.client_authentication {
                let (value, secret) = client_authentication(authentication);
                let live_kind = oidc.client_authentication.as_ref().map(|a| a.kind.as_str());
                let wanted_kind = match *authentication.kind {
                    OidcClientAuthenticationType::ClientSecret => "clientSecret",
                    OidcClientAuthenticationType::PrivateJwtKey => "privateJwtKey",
                };
                let live_secret = oidc
                    .client_authentication
                    .as_ref()
                    .map_or(SecretState::Absent, |a| a.client_secret);
                let send =
                    if fields.compare("clientAuthentication.type", live_kind, Some(wanted_kind)) {
                        true
                    } else if secret.is_some() {
                        match secret_action(
                            live_secret,
                            rotate,
                            &mut fields,
                            "clientAuthentication.clientSecret",
                        ) {
                            SecretAction::Send => true,
                            SecretAction::Note => {
                                notes.push(format!("clientAuthentication.{SECRET_NOTE}"));
                                false
                            }
                        }
                    } else {
                        false
                    };
                if send {
                    body.insert("clientAuthentication".into(), value);
                    if let Some(source) = secret {
                        request_secret = Some(("/clientAuthentication/clientSecret", source));
                    }
                }
            }
        }
        _ => {
            let actual = live.provider_type().map_or_else(
                || "an OIDC provider".to_owned(),
                |t| format!("a {t} provider"),
            );
            cx.diagnostics.push(
                Diagnostic::error(
                    "immutable-field",
                    format!(
                        "`{}` is {actual} in the tenant; Graph cannot change a provider's type",
                        live.display_name
                    ),
                    Some(desired.kind.span()),
                )
                .with_label("a different type")
                .with_help(
                    "give this provider another name (a new provider is created), or write the \
                     tenant's type",
                ),
            );
            return;
        }
    }
    // Only `@odata.type`: nothing differs. A secret that is not compared is no reason for a
    // change, or every plan would show one.
    if body.len() == 1 {
        return;
    }
    let change = cx.builder.live_change(
        Action::Update,
        Kind::IdentityProvider,
        &desired.name,
        &live.id,
        live.fingerprint(),
    );
    let record = cx.builder.get_mut(change);
    record.fields = fields.0;
    record.notes = notes;
    let mut request = Request::patch(format!("{COLLECTION}/{}", live.id), Value::Object(body));
    if let Some((pointer, source)) = request_secret {
        request = request.secret(pointer, source);
    }
    cx.builder.step(change, request, []);
}

enum SecretAction {
    Send,
    Note,
}

/// Whether an update sends a secret: when the tenant has none (an add), or on rotation.
fn secret_action(live: SecretState, rotate: bool, fields: &mut Fields, path: &str) -> SecretAction {
    match (live, rotate) {
        (SecretState::Absent, _) => {
            fields.set(path, Some(ciamctl_secret::MASK));
            SecretAction::Send
        }
        (SecretState::Set, true) => {
            fields.rotate(path);
            SecretAction::Send
        }
        (SecretState::Set, false) => SecretAction::Note,
    }
}

fn update_oidc(
    live: &OidcProvider,
    desired: &IdentityProvider,
    fields: &mut Fields,
    body: &mut Map<String, Value>,
) {
    let mut compare = |key: &'static str, before: Option<&str>, after: Option<&str>| {
        if fields.compare(key, text(before), text(after)) {
            body.insert(key.to_owned(), json!(after));
        }
    };
    compare(
        "clientId",
        Some(live.client_id.as_str()),
        Some(desired.client_id.as_str()),
    );
    compare(
        "issuer",
        live.issuer.as_deref(),
        desired.issuer.as_deref().map(String::as_str),
    );
    compare(
        "wellKnownEndpoint",
        live.well_known_endpoint.as_deref(),
        desired.well_known_endpoint.as_deref().map(String::as_str),
    );
    compare(
        "scope",
        live.scope.as_deref(),
        desired.scope.as_deref().map(String::as_str),
    );
    let response_type = json!(desired.response_type());
    let default_response_type = json!(DEFAULT_RESPONSE_TYPE);
    compare(
        "responseType",
        live.response_type
            .as_deref()
            .or(default_response_type.as_str()),
        response_type.as_str(),
    );
    if let Some(mapping) = &desired.inbound_claim_mapping
        && claim_mapping_differs(live, mapping, fields)
    {
        body.insert("inboundClaimMapping".into(), json!(mapping.get()));
    }
}

/// Compares the claims the YAML names (a claim it leaves out is Graph's business, rule 3 of
/// the plan's comparison rules). Returns whether any differs.
fn claim_mapping_differs(
    live: &OidcProvider,
    desired: &OidcInboundClaimMapping,
    fields: &mut Fields,
) -> bool {
    let live = serde_json::to_value(live.inbound_claim_mapping.clone().unwrap_or_default())
        .unwrap_or(Value::Null);
    let desired = serde_json::to_value(desired).unwrap_or(Value::Null);
    let mut differs = false;
    let flat = |value: &Value| -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for (key, value) in value.as_object().into_iter().flatten() {
            match value {
                Value::Object(inner) => {
                    for (inner_key, inner_value) in inner {
                        out.push((format!("{key}.{inner_key}"), inner_value.clone()));
                    }
                }
                other => out.push((key.clone(), other.clone())),
            }
        }
        out
    };
    let live = flat(&live);
    for (key, value) in flat(&desired) {
        if value.is_null() {
            continue;
        }
        let before = live
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_null());
        differs |= fields.compare(&format!("inboundClaimMapping.{key}"), before, Some(value));
    }
    differs
}

#[cfg(test)]
mod tests;
