//! User flows (REFERENCE.md §1–§4, §9.3).
//!
//! A flow is matched by display name: exactly, or else the one live flow whose name differs
//! only in case (the PATCH then fixes the case). A new flow is one `POST` with everything Graph
//! takes at creation (§1.4); a custom-extension handler follows as steps on the new id. An
//! existing flow changes through separate requests, so Graph's ordering rules hold:
//!
//! 1. one settings PATCH (`displayName`, `description`, sign-up, user type; `priority` and
//!    `includeAllApplications` through beta, §14);
//! 2. identity providers: every `$ref` add before any `$ref` remove, so the flow never has
//!    none (§1.2, §15.6);
//! 3. attributes: `$ref` adds, then one PATCH of the whole page (§1.6, §15.2), then `$ref`
//!    removes ([`page`]);
//! 4. applications, each linked after any other flow let go of it (one flow per app, §2);
//! 5. custom-extension handlers ([`extension`]).
//!
//! Live flows the files do not name are deleted when `settings.prune` lists `userFlows`, and
//! listed as unmanaged otherwise.

mod create;
mod extension;
mod links;
mod page;
mod resolve;

use ciamctl_live::{Fingerprint as _, UserFlow};
use ciamctl_model::Located;
use ciamctl_model::settings::ResourceKind;
use ciamctl_model::user_flow::{
    DEFAULT_INCLUDE_ALL_APPLICATIONS, DEFAULT_PRIORITY, DEFAULT_SIGN_UP, DEFAULT_USER_TYPE,
    UserFlow as DesiredFlow, UserType,
};
use serde_json::{Value, json};

use super::{Context, Fields, text};
use crate::builder::{Builder, ChangeRef, Request, Resource, StepRef};
use crate::document::{Action, Kind};

use resolve::Desired;

/// The flows of the tenant.
const COLLECTION: &str = "/identity/authenticationEventsFlows";
/// The one concrete flow type (§1); every POST and PATCH names it (§0.4).
const FLOW_TYPE: &str = "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow";

pub(crate) fn diff(cx: &mut Context<'_>) {
    let config = cx.config;
    let live_flows = cx.live.user_flows;
    let matches = match_flows(&config.user_flows, live_flows);
    let unmatched: Vec<&UserFlow> = live_flows
        .iter()
        .filter(|live| !matches.iter().flatten().any(|m| m.id == live.id))
        .collect();
    let prune = config.settings.prunes(ResourceKind::UserFlows);
    // The flows the plan leaves alone: an application they link cannot join a managed flow.
    let untouched: &[&UserFlow] = if prune { &[] } else { &unmatched };
    for (desired, live) in config.user_flows.iter().zip(&matches) {
        let Some(desired) = resolve::flow(cx, desired, untouched) else {
            continue;
        };
        match live {
            Some(live) => update(cx, &desired, live),
            None => create::create(cx, &desired),
        }
    }
    for flow in unmatched {
        if prune {
            delete(cx, flow);
        } else {
            cx.leave_unmanaged(Kind::UserFlow, &flow.display_name, &flow.id);
        }
    }
}

/// The live flow of each configured flow: the one with the same name, or else the only one
/// whose name differs in case alone. A live flow matches one configured flow at most.
fn match_flows<'l>(
    desired: &[Located<DesiredFlow>],
    live: &'l [UserFlow],
) -> Vec<Option<&'l UserFlow>> {
    let mut matches: Vec<Option<&UserFlow>> = desired
        .iter()
        .map(|flow| live.iter().find(|l| l.display_name == *flow.name))
        .collect();
    for (index, flow) in desired.iter().enumerate() {
        if matches[index].is_some() {
            continue;
        }
        let mut folded = live.iter().filter(|l| {
            l.display_name.eq_ignore_ascii_case(&flow.name)
                && !matches.iter().flatten().any(|m| m.id == l.id)
        });
        if let (Some(only), None) = (folded.next(), folded.next()) {
            matches[index] = Some(only);
        }
    }
    matches
}

/// The path of a flow by id (a live id, or the marker of the step that creates it).
fn flow_path(id: &str) -> String {
    format!("{COLLECTION}/{id}")
}

fn update(cx: &mut Context<'_>, desired: &Desired<'_>, live: &UserFlow) {
    let path = flow_path(&live.id);
    let mut draft = Draft::default();
    if let Some(settings) = settings(desired.flow, live, &path, &mut draft.fields) {
        draft.steps.push(settings, []);
    }
    links::providers(cx, desired, live, &path, &mut draft);
    page::update(cx, desired, live, &path, &mut draft);
    links::applications(cx, desired, live, &path, &mut draft);
    for event in extension::Event::ALL {
        extension::diff(
            cx,
            event,
            desired.handler(event),
            event.live(live),
            &path,
            &mut draft,
        );
    }
    if draft.fields.0.is_empty() && draft.steps.is_empty() {
        return;
    }
    let change = cx.builder.live_change(
        Action::Update,
        Kind::UserFlow,
        &live.display_name,
        &live.id,
        live.fingerprint(),
    );
    draft.finish(&mut cx.builder, change);
}

/// The settings PATCH: the flow's own properties and the handlers that hold one setting each.
fn settings(
    flow: &DesiredFlow,
    live: &UserFlow,
    path: &str,
    fields: &mut Fields,
) -> Option<Request> {
    let mut body = json!({ "@odata.type": FLOW_TYPE });
    let mut beta = false;
    if fields.compare(
        "name",
        Some(live.display_name.as_str()),
        Some(flow.name.as_str()),
    ) {
        body["displayName"] = json!(flow.name.as_str());
    }
    let description = flow.description.as_deref().map(String::as_str);
    if fields.compare(
        "description",
        text(live.description.as_deref()),
        text(description),
    ) {
        body["description"] = json!(text(description));
    }
    if fields.compare(
        "signUp",
        Some(live.sign_up_allowed.unwrap_or(DEFAULT_SIGN_UP)),
        Some(flow.sign_up()),
    ) {
        body["onInteractiveAuthFlowStart"] = sign_up_handler(flow.sign_up());
    }
    if fields.compare(
        "userType",
        Some(
            live.user_type
                .as_deref()
                .unwrap_or(user_type_name(DEFAULT_USER_TYPE)),
        ),
        Some(user_type_name(flow.user_type())),
    ) {
        body["onUserCreateStart"] = user_type_handler(flow.user_type());
    }
    let priority = flow.priority.as_deref().copied();
    if fields.compare(
        "priority",
        Some(live.priority.unwrap_or(DEFAULT_PRIORITY)),
        Some(priority.unwrap_or(DEFAULT_PRIORITY)),
    ) {
        body["priority"] = json!(priority.unwrap_or(DEFAULT_PRIORITY));
        beta = true;
    }
    let include_all = flow.include_all_applications.as_deref().copied();
    if fields.compare(
        "includeAllApplications",
        Some(
            live.include_all_applications
                .unwrap_or(DEFAULT_INCLUDE_ALL_APPLICATIONS),
        ),
        Some(include_all.unwrap_or(DEFAULT_INCLUDE_ALL_APPLICATIONS)),
    ) {
        // Without `includeApplications` the PATCH leaves the linked applications alone.
        body["conditions"] = json!({
            "applications": {
                "includeAllApplications": include_all.unwrap_or(DEFAULT_INCLUDE_ALL_APPLICATIONS)
            }
        });
        beta = true;
    }
    if body.as_object().is_none_or(|b| b.len() == 1) {
        return None;
    }
    let request = Request::patch(path, body);
    // `priority` and `includeAllApplications` are in the beta CSDL only (§14).
    Some(if beta { request.beta() } else { request })
}

fn sign_up_handler(sign_up: bool) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.onInteractiveAuthFlowStartExternalUsersSelfServiceSignUp",
        "isSignUpAllowed": sign_up,
    })
}

fn user_type_handler(user_type: UserType) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.onUserCreateStartExternalUsersSelfServiceSignUp",
        "userTypeToCreate": user_type_name(user_type),
    })
}

fn user_type_name(user_type: UserType) -> &'static str {
    match user_type {
        UserType::Member => "member",
        UserType::Guest => "guest",
    }
}

/// Deletes a flow the files do not name. The delete lets go of the flow's applications,
/// attributes and providers, so another flow may take an application and an attribute or
/// provider may be deleted after it.
fn delete(cx: &mut Context<'_>, flow: &UserFlow) {
    let change = cx.builder.live_change(
        Action::Delete,
        Kind::UserFlow,
        &flow.display_name,
        &flow.id,
        flow.fingerprint(),
    );
    let applications = flow.applications.as_deref().unwrap_or_default();
    if !applications.is_empty() {
        let names: Vec<String> = applications
            .iter()
            .map(|app_id| links::application_label(cx.live.applications, app_id))
            .collect();
        cx.builder.get_mut(change).unsafe_reasons.push(format!(
            "the flow is still linked to {} application(s): {}; their users lose this sign-in \
             experience",
            applications.len(),
            names.join(", ")
        ));
    }
    let step = cx
        .builder
        .step(change, Request::delete(flow_path(&flow.id)), []);
    for app_id in applications {
        cx.builder
            .releases(step, Resource::Application(app_id.to_lowercase()));
    }
    for id in flow.attributes.iter().flatten() {
        if let Some(attribute) = cx
            .live
            .attributes
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id))
        {
            cx.builder
                .releases(step, Resource::Attribute(attribute.display_name.clone()));
        }
    }
    for provider in flow.identity_providers.iter().flatten() {
        cx.builder
            .releases(step, Resource::IdentityProvider(provider.id.clone()));
    }
}

/// One flow's change as it is compared: its field diff, notes, unsafe reasons and requests.
#[derive(Debug, Default)]
struct Draft {
    fields: Fields,
    notes: Vec<String>,
    unsafe_reasons: Vec<String>,
    steps: Steps,
}

impl Draft {
    /// Records the draft in `change` and adds its requests.
    fn finish(self, builder: &mut Builder, change: ChangeRef) {
        let record = builder.get_mut(change);
        record.fields.extend(self.fields.0);
        record.notes.extend(self.notes);
        record.unsafe_reasons.extend(self.unsafe_reasons);
        self.steps.emit(builder, change);
    }
}

/// The requests of one flow change, gathered while its fields are compared and added to the
/// builder only when the flow has changes. Steps refer to each other by their index here.
#[derive(Debug, Default)]
struct Steps {
    pending: Vec<Pending>,
}

#[derive(Debug)]
struct Pending {
    request: Request,
    after: Vec<usize>,
    releases: Vec<Resource>,
    takes: Vec<Resource>,
}

impl Steps {
    /// Adds a request after the steps `after` (indices returned by earlier pushes).
    fn push(&mut self, request: Request, after: impl IntoIterator<Item = usize>) -> usize {
        self.pending.push(Pending {
            request,
            after: after.into_iter().collect(),
            releases: Vec::new(),
            takes: Vec::new(),
        });
        self.pending.len() - 1
    }

    /// See [`Builder::releases`].
    fn releases(&mut self, step: usize, resource: Resource) {
        self.pending[step].releases.push(resource);
    }

    /// See [`Builder::takes`].
    fn takes(&mut self, step: usize, resource: Resource) {
        self.pending[step].takes.push(resource);
    }

    fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Adds the requests to `change`.
    fn emit(self, builder: &mut Builder, change: ChangeRef) {
        let mut refs: Vec<StepRef> = Vec::with_capacity(self.pending.len());
        for pending in self.pending {
            let after: Vec<StepRef> = pending.after.iter().map(|&i| refs[i]).collect();
            let step = builder.step(change, pending.request, after);
            for resource in pending.releases {
                builder.releases(step, resource);
            }
            for resource in pending.takes {
                builder.takes(step, resource);
            }
            refs.push(step);
        }
    }
}

#[cfg(test)]
mod tests;
