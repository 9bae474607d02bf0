//! Tenant identity providers (REFERENCE.md §6).
//!
//! Conventions where the contract is open:
//!
//! - Ids are service-assigned (§15.11): built-ins keep their fixed ids, Apple is
//!   `Apple-Managed-OIDC`, OIDC providers get GUIDs, and social providers get the documented
//!   `<Type>-OAUTH` (`Google-OAUTH`), or GUIDs with `Conventions::guid_social_provider_ids`
//!   (§16.8). A tenant has at most one social provider per `identityProviderType` and one Apple
//!   provider; a second is 400 `invalidRequest` (§16.1).
//! - Social `identityProviderType` may be any value §6 lists (External ID's `Google` and
//!   `Facebook`, and B2C's, since the docs' own create example is Amazon); matched
//!   case-insensitively and stored in the documented casing. `availableProviderTypes` answers
//!   what an external tenant offers: its built-in kinds plus Google, Facebook, Apple and OIDC.
//! - `openIdConnectIdentityProvider` (B2C, beta only, §14) is refused: external tenants use
//!   `oidcIdentityProvider`.
//! - PATCH takes, per type: social `clientId`, `clientSecret`, `displayName` (§6); Apple and
//!   OIDC any of their own properties (§6 names none, so none is held back); built-ins nothing.
//!   The body's `@odata.type` must be the provider's own type.
//! - Built-ins cannot be created or deleted; deleting a provider a user flow still offers is
//!   400 `invalidRequest` naming the flow (§16.1).
//! - Reads mask `clientSecret` and `certificateData`, nested ones included (§15.10).
//! - The legacy top-level `/identityProviders` set stopped returning data in March 2023 (CSDL
//!   revision annotation, §6): it answers an empty collection, 404 for any id, and refuses
//!   writes with 405 (no write route).

use http::Method;
use serde_json::{Value, json};

use super::collection::{Collection, check_same_type};
use super::flows::flow_linking;
use crate::Ctx;
use crate::error::GraphError;
use crate::query::{self, Filterable, Listing};
use crate::request::{GraphRequest, GraphResponse};
use crate::router::{Params, Route};
use crate::state::{Object, into_object};
use crate::types::{self, WriteMode};

const READ: &[&str] = &["IdentityProvider.Read.All"];
const WRITE: &[&str] = &["IdentityProvider.ReadWrite.All"];
const BASE_TYPE: &str = "identityProviderBase";

pub(crate) static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "identity/identityProviders",
        permissions: READ,
        section: "§6",
        behaviour: "Typed providers, built-ins included; secrets masked (§15.10). `$select`.",
        handler: list,
    },
    Route {
        method: Method::POST,
        path: "identity/identityProviders",
        permissions: WRITE,
        section: "§6",
        behaviour: "Creates a social, Apple or OIDC provider (`@odata.type` required); ids `<Type>-OAUTH`, `Apple-Managed-OIDC`, GUID (§15.11, §16.8; `Conventions::guid_social_provider_ids` gives social providers GUIDs); one per social type.",
        handler: create,
    },
    Route {
        method: Method::GET,
        path: "identity/identityProviders/availableProviderTypes",
        permissions: READ,
        section: "§6",
        behaviour: "An external tenant's provider types: `EmailPassword`, `EmailOTP`, `Google`, `Facebook`, `AppleManaged`, `OpenIdConnect`.",
        handler: available_provider_types,
    },
    Route {
        method: Method::GET,
        path: "identity/identityProviders/{id}",
        permissions: READ,
        section: "§6",
        behaviour: "One provider, secrets masked. `$select`.",
        handler: get,
    },
    Route {
        method: Method::PATCH,
        path: "identity/identityProviders/{id}",
        permissions: WRITE,
        section: "§6",
        behaviour: "Updates the properties §6 allows per type (social: clientId, clientSecret, displayName); `@odata.type` must be the provider's; built-ins 400.",
        handler: update,
    },
    Route {
        method: Method::DELETE,
        path: "identity/identityProviders/{id}",
        permissions: WRITE,
        section: "§6",
        behaviour: "Deletes a provider (204); a built-in, or one a user flow still offers, is 400 (§16.1).",
        handler: delete,
    },
    Route {
        method: Method::GET,
        path: "identityProviders",
        permissions: READ,
        section: "§6",
        behaviour: "Deprecated legacy set: stopped returning data in March 2023, so always empty.",
        handler: legacy_list,
    },
    Route {
        method: Method::GET,
        path: "identityProviders/availableProviderTypes",
        permissions: READ,
        section: "§6",
        behaviour: "The function is bound to the legacy set too; same answer as under `/identity`.",
        handler: available_provider_types,
    },
    Route {
        method: Method::GET,
        path: "identityProviders/{id}",
        permissions: READ,
        section: "§6",
        behaviour: "Deprecated legacy set: 404 for every id; use `/identity/identityProviders/{id}`.",
        handler: legacy_get,
    },
];

/// Property names whose values are write-only: reads return [`crate::redact::MASK`]
/// (REFERENCE.md §15.10).
const SECRET_PROPERTIES: &[&str] = &["clientSecret", "certificateData"];

/// The social `identityProviderType` values §6 lists, External ID's first.
const SOCIAL_TYPES: &[&str] = &[
    "Google",
    "Facebook",
    "Microsoft",
    "Amazon",
    "LinkedIn",
    "GitHub",
    "Twitter",
    "Weibo",
    "QQ",
    "WeChat",
];

/// The fixed id of the Apple provider (§6).
const APPLE_ID: &str = "Apple-Managed-OIDC";

/// What `availableProviderTypes` answers for an external tenant (our convention, §6).
const AVAILABLE_TYPES: &[&str] = &[
    "EmailPassword",
    "EmailOTP",
    "Google",
    "Facebook",
    "AppleManaged",
    "OpenIdConnect",
];

/// `Tenant::identity_providers`, read with their secrets masked.
pub(crate) static PROVIDERS: Collection = Collection {
    listing: Listing {
        fragment: "identity/identityProviders",
        type_name: BASE_TYPE,
        filter: Filterable::Nothing,
        page_size: None,
        order_by: false,
        expand: false,
    },
    objects: |tenant| &tenant.identity_providers,
    objects_mut: |tenant| &mut tenant.identity_providers,
    read_shape,
};

/// The shape a stored provider is read back in: secrets masked, nested ones included
/// (`clientAuthentication.clientSecret` of OIDC providers).
pub(crate) fn read_shape(provider: &Object) -> Object {
    let mut value = Value::Object(provider.clone());
    crate::redact::mask_properties(&mut value, SECRET_PROPERTIES);
    into_object(value)
}

/// The built-in providers every external tenant has (REFERENCE.md §6, "builtInIdentityProvider").
pub(crate) fn built_ins() -> Vec<Object> {
    [
        (
            "EmailPassword-OAUTH",
            "Email with password",
            "EmailPassword",
        ),
        (
            "EmailOtpSignup-OAUTH",
            "Email One Time Passcode",
            "EmailOTP",
        ),
        (
            "AADSignup-OAUTH",
            "Azure Active Directory Sign up",
            "AADSignup",
        ),
    ]
    .into_iter()
    .map(|(id, name, kind)| {
        into_object(json!({
            "@odata.type": "#microsoft.graph.builtInIdentityProvider",
            "id": id,
            "displayName": name,
            "identityProviderType": kind,
            "state": null
        }))
    })
    .collect()
}

/// The properties PATCH may change, per type (§6).
fn updatable(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "socialIdentityProvider" => &["clientId", "clientSecret", "displayName"],
        "appleManagedIdentityProvider" => &[
            "displayName",
            "developerId",
            "serviceId",
            "keyId",
            "certificateData",
        ],
        "oidcIdentityProvider" => &[
            "displayName",
            "clientId",
            "issuer",
            "wellKnownEndpoint",
            "responseType",
            "scope",
            "clientAuthentication",
            "inboundClaimMapping",
        ],
        _ => &[],
    }
}

/// The properties a create of `type_name` must carry (§6).
fn required(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "socialIdentityProvider" => &[
            "displayName",
            "identityProviderType",
            "clientId",
            "clientSecret",
        ],
        "appleManagedIdentityProvider" => &[
            "displayName",
            "developerId",
            "serviceId",
            "keyId",
            "certificateData",
        ],
        "oidcIdentityProvider" => &[
            "displayName",
            "clientId",
            "issuer",
            "scope",
            "responseType",
            "clientAuthentication",
        ],
        _ => &[],
    }
}

fn list(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    PROVIDERS.list(ctx, req)
}

fn get(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    PROVIDERS.get(ctx, req, params)
}

#[allow(clippy::unnecessary_wraps)] // Every route handler has the `Handler` signature.
fn available_provider_types(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    Ok(GraphResponse::ok(json!({
        "@odata.context": ctx.base.context(req.version, "Collection(Edm.String)"),
        "value": AVAILABLE_TYPES,
    })))
}

fn create(ctx: &Ctx, req: &GraphRequest, _params: &Params) -> Result<GraphResponse, GraphError> {
    let accepted = PROVIDERS.accept(req, WriteMode::Create)?;
    let type_name = accepted.type_name;
    let mut body = accepted.body;
    match type_name {
        "builtInIdentityProvider" => {
            return Err(GraphError::bad_request(
                "Built-in identity providers are created by the service and cannot be created.",
            ));
        }
        "openIdConnectIdentityProvider" => {
            return Err(GraphError::bad_request(
                "'openIdConnectIdentityProvider' is for Azure AD B2C tenants; an external tenant's OpenID Connect provider is an 'oidcIdentityProvider'.",
            ));
        }
        _ => {}
    }
    if let Some(missing) = required(type_name)
        .iter()
        .find(|p| body.get(**p).is_none_or(Value::is_null))
    {
        return Err(GraphError::bad_request(format!(
            "'{missing}' is required to create a '{type_name}'."
        )));
    }
    let social_type = if type_name == "socialIdentityProvider" {
        let given = body
            .get("identityProviderType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let canonical = SOCIAL_TYPES
            .iter()
            .find(|t| t.eq_ignore_ascii_case(given))
            .ok_or_else(|| {
                GraphError::bad_request(format!(
                    "'{given}' is not a social identityProviderType; supported: {}.",
                    SOCIAL_TYPES.join(", ")
                ))
            })?;
        body.insert("identityProviderType".into(), json!(canonical));
        Some(*canonical)
    } else {
        None
    };
    let guid_social = ctx.config.conventions.guid_social_provider_ids;
    let stored = PROVIDERS.insert(ctx, |tenant| {
        let id = match (type_name, social_type) {
            ("appleManagedIdentityProvider", _) => APPLE_ID.to_owned(),
            (_, Some(kind)) if !guid_social => format!("{kind}-OAUTH"),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        let clash = tenant.identity_providers.iter().find(|p| {
            types::id_of(p).eq_ignore_ascii_case(&id)
                || social_type.is_some_and(|kind| {
                    types::type_of(p) == type_name
                        && p.get("identityProviderType").and_then(Value::as_str) == Some(kind)
                })
        });
        if let Some(existing) = clash {
            return Err(GraphError::bad_request(format!(
                "The tenant already has this identity provider ('{}'); update it instead.",
                types::id_of(existing)
            )));
        }
        body.insert("id".into(), json!(id));
        Ok(types::full_shape(&body, type_name))
    })?;
    Ok(PROVIDERS.created(ctx, req, &stored))
}

fn update(ctx: &Ctx, req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    let accepted = PROVIDERS.accept(req, WriteMode::Update)?;
    PROVIDERS.update(ctx, params, |_, provider| {
        check_same_type(id, provider, accepted.type_name)?;
        let stored_type = types::type_of(provider).to_owned();
        if stored_type == "builtInIdentityProvider" {
            return Err(GraphError::bad_request(format!(
                "'{id}' is a built-in identity provider; built-in providers cannot be updated."
            )));
        }
        let allowed = updatable(&stored_type);
        for (key, value) in accepted.body {
            if key == "@odata.type" {
                continue;
            }
            if !allowed.contains(&key.as_str()) {
                return Err(GraphError::bad_request(format!(
                    "'{key}' of a '{stored_type}' cannot be updated; updatable: {}.",
                    allowed.join(", ")
                )));
            }
            provider.insert(key, value);
        }
        Ok(())
    })
}

fn delete(ctx: &Ctx, _req: &GraphRequest, params: &Params) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    PROVIDERS.delete(ctx, params, |tenant, provider| {
        if types::type_of(provider) == "builtInIdentityProvider" {
            return Err(GraphError::bad_request(format!(
                "'{id}' is a built-in identity provider; built-in providers cannot be deleted."
            )));
        }
        let stored_id = types::id_of(provider);
        match flow_linking(tenant, stored_id, |flow| &flow.identity_providers) {
            Some(flow) => Err(GraphError::bad_request(format!(
                "The identity provider '{stored_id}' is offered by the user flow '{}'; remove it from the flow first.",
                flow.name()
            ))),
            None => Ok(()),
        }
    })
}

fn legacy_list(
    ctx: &Ctx,
    req: &GraphRequest,
    _params: &Params,
) -> Result<GraphResponse, GraphError> {
    query::list_response(
        ctx,
        req,
        &Listing {
            fragment: "identityProviders",
            type_name: "identityProvider",
            filter: Filterable::Nothing,
            page_size: None,
            order_by: false,
            expand: false,
        },
        Vec::new(),
    )
}

fn legacy_get(
    _ctx: &Ctx,
    _req: &GraphRequest,
    params: &Params,
) -> Result<GraphResponse, GraphError> {
    let id = params.get("id")?;
    Err(GraphError::not_found(format!(
        "Resource '{id}' does not exist: the deprecated /identityProviders set returns no data; use /identity/identityProviders."
    )))
}
