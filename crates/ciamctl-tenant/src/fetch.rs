//! Reading the live tenant in as few round trips as Graph allows.
//!
//! **Round 1** asks everything that depends on nothing, in one `$batch`: the organization,
//! the user flows (Graph inlines their providers, attributes and applications in the list,
//! REFERENCE.md §1.5, §15.9), the user-flow attributes, the identity providers, the custom
//! authentication extensions, the localizations, the default branding (`Accept-Language: 0`,
//! §7) and the applications the configuration names. Every `@odata.nextLink` of those
//! collections is then followed together, one round per page depth (§12.3). **Round 2** asks
//! what round 1 revealed: the applications the live flows link that are not known yet, the
//! extension behind each custom-extension handler of a flow (a flow list leaves it out, §9.3),
//! and the stream assets to hash (each alone, never batched: §11 leaves binary bodies in
//! batches undocumented). When every collection fits one page that is 2 round trips after the
//! token.
//!
//! **Fail closed.** A kind whose read failed after the client's retries is
//! [`Known::Unknown`], with the request and Graph's answer (and, on a 403, the permission the
//! app lacks); a kind is never taken as empty because its read failed. Only a missing token
//! stops the whole read: without one nothing can be read at all.

use std::collections::BTreeSet;

use ciamctl_graph::{GraphClient, GraphError, Read, ReadAnswer, Request, Response};
use ciamctl_live::{
    Application, AssetState, Branding, CustomExtension, ExtensionHandler, FromGraph,
    IdentityProvider, Known, LiveTenant, Localization, Organization, ParseError, ReadFailure,
    Stream, UserFlow, UserFlowAttribute, parse_collection,
};
use serde_json::Value;

use crate::permissions;
use crate::round::round;
use crate::scope::{Assets, DEFAULT_LOCALE, Scope};

/// How many terms one application `$filter` joins with `or`: the directory caps such lists
/// at 15 (§10 shows single `eq` filters; joining them keeps a large config at a few requests).
const APPLICATION_FILTER_TERMS: usize = 15;

/// Positions of round 1's fixed requests; the applications' requests follow them.
const ORGANIZATION: usize = 0;
const FLOWS: usize = 1;
const ATTRIBUTES: usize = 2;
const PROVIDERS: usize = 3;
const EXTENSIONS: usize = 4;
const LOCALIZATIONS: usize = 5;
const BRANDING: usize = 6;
const NAMED_APPLICATIONS: usize = 7;

/// Reads everything `scope` needs from the tenant `tenant_id`. Fails only when no token can
/// be had or Graph refuses it (401); every other failure makes its kind unknown.
pub async fn read_tenant(
    client: &GraphClient,
    tenant_id: &str,
    scope: &Scope,
) -> Result<LiveTenant, GraphError> {
    // One token before anything else, so that a credential problem is one clear error instead
    // of every kind failing with it.
    client.authenticator().token(client.http()).await?;

    let branding_path = format!("/organization/{tenant_id}/branding");
    let mut asks = vec![
        Read::Collection(Request::get("/organization")),
        Read::Collection(Request::get("/identity/authenticationEventsFlows")),
        Read::Collection(Request::get("/identity/userFlowAttributes")),
        Read::Collection(Request::get("/identity/identityProviders")),
        Read::Collection(Request::get("/identity/customAuthenticationExtensions")),
        Read::Collection(Request::get(&format!("{branding_path}/localizations"))),
        Read::Single(Request::get(&branding_path).header("Accept-Language", "0")),
    ];
    let asked_ids: BTreeSet<String> = scope.app_ids.iter().map(|id| id.to_lowercase()).collect();
    asks.extend(applications_named(asked_ids.iter(), &scope.app_names));
    let named_applications = NAMED_APPLICATIONS..asks.len();
    let mut first = round(client, asks).await;
    if let Some(refused) = first.unauthorized() {
        return Err(refused);
    }

    let mut tenant = LiveTenant {
        tenant_id: tenant_id.to_owned(),
        organization: first.items(ORGANIZATION, Organization::from_collection),
        user_flows: first.items(FLOWS, flows),
        attributes: first.items(ATTRIBUTES, parse_collection::<UserFlowAttribute>),
        identity_providers: first.items(PROVIDERS, parse_collection::<IdentityProvider>),
        custom_extensions: first.items(EXTENSIONS, parse_collection::<CustomExtension>),
        localizations: first.items(LOCALIZATIONS, parse_collection::<Localization>),
        branding: match first.take(BRANDING) {
            (_, Ok(ReadAnswer::Response(response))) => entity::<Branding>(&response).map(Some),
            (_, Err(error)) if error.is_not_found() => Known::Known(None),
            (request, answer) => unexpected(&request, answer),
        },
        applications: first.items_in(named_applications, parse_collection::<Application>),
    };
    // The applications include those the live flows link: unknown flows leave them unknown.
    if let Known::Unknown(failure) = &tenant.user_flows {
        tenant.applications = Known::Unknown(failure.clone());
    }

    let mut second = Vec::new();
    let linked = linked_applications(&tenant, &asked_ids);
    second.extend(applications_named(linked.iter(), &BTreeSet::new()));
    let linked_requests = second.len();
    let downloads = downloads(&tenant, &branding_path, &scope.assets);
    second.extend(
        downloads
            .iter()
            .map(|(_, _, path)| Read::Single(Request::get(path).unbatched())),
    );
    let handlers = unread_handlers(&tenant);
    second.extend(handlers.iter().map(|handler| {
        // §9.3 and §14 document the handler's `customExtension` navigation with beta URLs
        // only; v1.0 has it in the CSDL but no page shows it (§16.16).
        Read::Single(Request::get(&handler.path()).beta())
    }));
    if !second.is_empty() {
        let mut second = round(client, second).await;
        if let Some(refused) = second.unauthorized() {
            return Err(refused);
        }
        if let Known::Known(applications) = &mut tenant.applications {
            match second.items_in(0..linked_requests, parse_collection::<Application>) {
                Known::Known(more) => applications.extend(more),
                unknown @ Known::Unknown(_) => tenant.applications = unknown,
            }
        }
        let downloaded = downloads.len();
        for (i, (locale, stream, _)) in downloads.into_iter().enumerate() {
            // The planner compares hashes; an export asks for the bytes in a round of its own.
            record_download(
                &mut tenant,
                &locale,
                stream,
                second.take(linked_requests + i),
            );
        }
        for (i, handler) in handlers.iter().enumerate() {
            record_extension(
                &mut tenant,
                handler,
                second.take(linked_requests + downloaded + i),
            );
        }
    }
    tenant.sort();
    Ok(tenant)
}

/// The user flows of a list, which must carry their links inline (§1.5, §15.9): without them
/// the planner could not tell a flow's providers or applications, so the kind is unknown
/// rather than read as linking nothing.
fn flows(items: &[Value]) -> Result<Vec<UserFlow>, ParseError> {
    let flows = parse_collection::<UserFlow>(items)?;
    for flow in &flows {
        let missing = if flow.identity_providers.is_none() {
            Some("identity providers")
        } else if flow.applications.is_none() {
            Some("applications")
        } else if flow.has_attribute_collection && flow.attributes.is_none() {
            Some("attributes")
        } else {
            None
        };
        if let Some(links) = missing {
            return Err(ParseError::new(
                UserFlow::KIND,
                &flow.display_name,
                format!(
                    "the list did not include the flow's {links} (REFERENCE.md §1.5 says it \
                     does); ciamctl cannot tell what the flow links"
                ),
            ));
        }
    }
    Ok(flows)
}

fn entity<T: FromGraph>(response: &Response) -> Known<T> {
    match response.value() {
        Ok(body) => match T::from_graph(&body) {
            Ok(value) => Known::Known(value),
            Err(error) => Known::unknown(String::new(), error.to_string()),
        },
        Err(error) => Known::Unknown(failure(&error)),
    }
}

/// A kind whose answer was an error, or not of the shape asked for.
pub(crate) fn unexpected<T>(request: &Request, answer: Result<ReadAnswer, GraphError>) -> Known<T> {
    match answer {
        Err(error) => Known::Unknown(failure(&error)),
        Ok(_) => Known::unknown(
            request.describe(),
            "the answer was not of the expected shape",
        ),
    }
}

/// What a person needs to know about a failed read: the request, Graph's answer, and on a 403
/// the permission that would allow it.
pub(crate) fn failure(error: &GraphError) -> ReadFailure {
    let Some(facts) = error.failure() else {
        return ReadFailure {
            request: String::new(),
            reason: error.to_string(),
        };
    };
    // The request is named on its own; the reason is Graph's answer.
    let whole = error.to_string();
    let answer = whole
        .strip_prefix(&format!("{} {} ", facts.method, facts.path))
        .map_or(whole.as_str(), |rest| {
            rest.strip_prefix("failed: ").unwrap_or(rest)
        });
    let mut reason = answer.to_owned();
    if let Some(hint) = permissions::forbidden_hint(error) {
        reason = format!("{reason}; {hint}");
    }
    ReadFailure {
        request: format!("{} {}", facts.method, facts.path),
        reason,
    }
}

/// Requests that find applications by client id or display name, at most
/// [`APPLICATION_FILTER_TERMS`] terms each. Quotes are doubled, as OData string literals
/// require (§10).
fn applications_named<'a>(
    app_ids: impl Iterator<Item = &'a String>,
    names: &BTreeSet<String>,
) -> Vec<Read> {
    let terms: Vec<String> = app_ids
        .map(|id| format!("appId eq '{}'", id.replace('\'', "''")))
        .chain(
            names
                .iter()
                .map(|name| format!("displayName eq '{}'", name.replace('\'', "''"))),
        )
        .collect();
    terms
        .chunks(APPLICATION_FILTER_TERMS)
        .map(|chunk| {
            Read::Collection(
                Request::get("/applications")
                    .query("$filter", &chunk.join(" or "))
                    .query("$select", "id,appId,displayName"),
            )
        })
        .collect()
}

/// Client ids the live flows link that round 1 neither found nor asked for.
fn linked_applications(tenant: &LiveTenant, asked: &BTreeSet<String>) -> BTreeSet<String> {
    let (Some(flows), Some(found)) = (tenant.user_flows.known(), tenant.applications.known())
    else {
        return BTreeSet::new();
    };
    let found: BTreeSet<String> = found.iter().map(|a| a.app_id.to_lowercase()).collect();
    flows
        .iter()
        .flat_map(|flow| flow.applications.iter().flatten())
        .map(|id| id.to_lowercase())
        .filter(|id| !found.contains(id) && !asked.contains(id))
        .collect()
}

/// A custom-extension handler of a live flow: `property` is `onAttributeCollectionStart` or
/// `onAttributeCollectionSubmit`.
struct Handler {
    flow_id: String,
    property: &'static str,
}

impl Handler {
    /// Where Graph answers the extension the handler calls (§9.3).
    fn path(&self) -> String {
        format!(
            "/identity/authenticationEventsFlows/{}/microsoft.graph.\
             externalUsersSelfServiceSignUpEventsFlow/{property}/microsoft.graph.\
             {property}CustomExtensionHandler/customExtension",
            self.flow_id,
            property = self.property
        )
    }

    fn of<'a>(&self, flows: &'a mut [UserFlow]) -> Option<&'a mut ExtensionHandler> {
        let flow = flows.iter_mut().find(|f| f.id == self.flow_id)?;
        if self.property == START {
            flow.on_attribute_collection_start.as_mut()
        } else {
            flow.on_attribute_collection_submit.as_mut()
        }
    }
}

const START: &str = "onAttributeCollectionStart";
const SUBMIT: &str = "onAttributeCollectionSubmit";

/// The handlers of the live flows whose extension the list did not include.
fn unread_handlers(tenant: &LiveTenant) -> Vec<Handler> {
    let Some(flows) = tenant.user_flows.known() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for flow in flows {
        for (property, handler) in [
            (START, &flow.on_attribute_collection_start),
            (SUBMIT, &flow.on_attribute_collection_submit),
        ] {
            if handler.as_ref().is_some_and(|h| !h.extension_id.is_known()) {
                out.push(Handler {
                    flow_id: flow.id.clone(),
                    property,
                });
            }
        }
    }
    out
}

/// Records the extension a handler calls (a 404: none). A failed read makes the user flows
/// unknown: a planner cannot tell which extension a flow calls.
fn record_extension(
    tenant: &mut LiveTenant,
    handler: &Handler,
    (request, answer): (Request, Result<ReadAnswer, GraphError>),
) {
    let attached = match answer {
        Ok(ReadAnswer::Response(response)) => {
            entity::<CustomExtension>(&response).map(|extension| Some(extension.id))
        }
        Err(error) if error.is_not_found() => Known::Known(None),
        other => unexpected(&request, other),
    };
    if let Known::Unknown(failure) = attached {
        tenant.user_flows = Known::Unknown(failure);
    } else if let Some(flows) = tenant.user_flows.known_mut()
        && let Some(read) = handler.of(flows)
    {
        read.extension_id = attached;
    }
}

/// `(locale, stream, path)` of every present stream asset `wanted` asks for, in a fixed order.
fn downloads(
    tenant: &LiveTenant,
    branding_path: &str,
    wanted: &Assets,
) -> Vec<(String, Stream, String)> {
    let default = tenant
        .branding
        .known()
        .and_then(Option::as_ref)
        .map(|b| (DEFAULT_LOCALE, &b.properties));
    let localized = tenant
        .localizations
        .known()
        .into_iter()
        .flatten()
        .map(|l| (l.locale.as_str(), &l.properties));
    let mut out = Vec::new();
    for (locale, properties) in default.into_iter().chain(localized) {
        for stream in Stream::ALL {
            let asked = match wanted {
                Assets::AllPresent => true,
                // The files spell a locale `fr-FR`, the tenant maybe `fr-fr`: Graph (and the
                // planner) compare locales ignoring case.
                Assets::Only(set) => set
                    .iter()
                    .any(|(l, s)| l.eq_ignore_ascii_case(locale) && *s == stream.name()),
            };
            if asked && properties.asset(stream).is_present() {
                let path = format!("{branding_path}/localizations/{locale}/{}", stream.name());
                out.push((locale.to_owned(), stream, path));
            }
        }
    }
    out
}

/// Records a downloaded stream on its branding or localization and returns its bytes when it
/// is set; a failed download makes that kind unknown, since its assets can no longer be
/// compared.
fn record_download(
    tenant: &mut LiveTenant,
    locale: &str,
    stream: Stream,
    (request, answer): (Request, Result<ReadAnswer, GraphError>),
) -> Option<Vec<u8>> {
    let mut bytes = None;
    let state = match answer {
        Ok(ReadAnswer::Response(response)) => {
            let state = AssetState::from_download(
                response.content_type().unwrap_or_default(),
                response.bytes(),
            );
            if state.is_present() {
                bytes = Some(response.bytes().to_vec());
            }
            Ok(state)
        }
        // The stream or its localization went away between the two rounds.
        Err(error) if error.is_not_found() => Ok(AssetState::Absent),
        other => Err(unexpected::<()>(&request, other)),
    };
    if locale == DEFAULT_LOCALE {
        match state {
            Ok(state) => {
                if let Known::Known(Some(branding)) = &mut tenant.branding {
                    branding.properties.set_asset(stream, state);
                }
            }
            Err(unknown) => tenant.branding = unknown.map(|()| None),
        }
    } else {
        match state {
            Ok(state) => {
                if let Known::Known(localizations) = &mut tenant.localizations
                    && let Some(l) = localizations.iter_mut().find(|l| l.locale == locale)
                {
                    l.properties.set_asset(stream, state);
                }
            }
            Err(unknown) => tenant.localizations = unknown.map(|()| Vec::new()),
        }
    }
    bytes
}

/// A stream the tenant has set and its bytes: the locale (`0` for the default branding,
/// [`DEFAULT_LOCALE`]) and the stream property.
pub type StreamBytes = (String, Stream, Vec<u8>);

/// Downloads every stream the known branding and localizations of `tenant` have set, in one
/// more round after [`read_tenant`] (read with [`Scope::export`], which leaves the streams to
/// this round), records each one's content on `tenant` as `read_tenant` does, and returns their
/// bytes in a fixed order. A failed download makes its kind unknown, as in `read_tenant`.
pub async fn read_streams(
    client: &GraphClient,
    tenant: &mut LiveTenant,
) -> Result<Vec<StreamBytes>, GraphError> {
    let branding_path = format!("/organization/{}/branding", tenant.tenant_id);
    let downloads = downloads(tenant, &branding_path, &Assets::AllPresent);
    if downloads.is_empty() {
        return Ok(Vec::new());
    }
    let reads = downloads
        .iter()
        .map(|(_, _, path)| Read::Single(Request::get(path).unbatched()))
        .collect();
    let mut answers = round(client, reads).await;
    if let Some(refused) = answers.unauthorized() {
        return Err(refused);
    }
    let mut out = Vec::new();
    for (i, (locale, stream, _)) in downloads.into_iter().enumerate() {
        if let Some(bytes) = record_download(tenant, &locale, stream, answers.take(i)) {
            out.push((locale, stream, bytes));
        }
    }
    Ok(out)
}
