//! A flow's identity providers (REFERENCE.md §3) and applications (§2): sets of links, each
//! added or removed by its own request.

use ciamctl_live::{Application, ProviderRef, UserFlow};
use ciamctl_model::builtins;
use serde_json::json;

use super::resolve::{Desired, Linked};
use super::{Draft, Steps};
use crate::builder::{Request, Resource};
use crate::diff::{Context, odata_id};

/// The providers of a flow, under the flow's path (both cast segments are required, §3).
const PROVIDERS: &str = "/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/\
                         onAuthenticationMethodLoadStart/\
                         microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/\
                         identityProviders";
/// The applications of a flow, under the flow's path.
const APPLICATIONS: &str = "/conditions/applications/includeApplications";

/// Links the desired providers first and unlinks the others after all of them: a flow must
/// keep at least one provider at every moment (§1.2, §15.6).
pub(super) fn providers(
    cx: &Context<'_>,
    desired: &Desired<'_>,
    live: &UserFlow,
    path: &str,
    draft: &mut Draft,
) {
    let Draft {
        fields,
        steps,
        unsafe_reasons,
        ..
    } = draft;
    let linked = live.identity_providers.as_deref().unwrap_or_default();
    let live_labels: Vec<String> = linked
        .iter()
        .map(|p| label_of(&desired.providers, &p.id).unwrap_or_else(|| provider_label(cx, p)))
        .collect();
    let desired_labels: Vec<String> = desired.providers.iter().map(|p| p.label.clone()).collect();
    fields.members("identityProviders", &live_labels, &desired_labels);

    let adds: Vec<usize> = desired
        .providers
        .iter()
        .filter(|p| !linked.iter().any(|l| p.is(&l.id)))
        .map(|p| {
            let body = json!({
                "@odata.id": odata_id(&format!("/identity/identityProviders/{}", p.id.text()))
            });
            steps.push(Request::post(format!("{path}{PROVIDERS}/$ref"), body), [])
        })
        .collect();
    // Graph lists a flow's links in no promised order: sorted, the plan is the same bytes
    // whatever order it read them in.
    let mut removed: Vec<&ProviderRef> = linked
        .iter()
        .filter(|l| !desired.providers.iter().any(|p| p.is(&l.id)))
        .collect();
    removed.sort_by(|a, b| a.id.cmp(&b.id));
    if adds.is_empty() && !removed.is_empty() && removed.len() == linked.len() {
        let mut labels = live_labels.clone();
        labels.sort();
        unsafe_reasons.push(format!(
            "it removes the flow's last identity provider ({}); Graph needs at least one, and \
             users could not sign in",
            labels.join(", ")
        ));
    }
    for provider in removed {
        let step = steps.push(
            Request::delete(format!("{path}{PROVIDERS}/{}/$ref", provider.id)),
            adds.iter().copied(),
        );
        steps.releases(step, Resource::IdentityProvider(provider.id.clone()));
    }
}

/// The name people know a live provider by: a built-in's short name, else its display name.
fn provider_label(cx: &Context<'_>, provider: &ProviderRef) -> String {
    if let Some(builtin) = builtins::PROVIDERS
        .iter()
        .find(|b| b.id.eq_ignore_ascii_case(&provider.id))
    {
        return builtin.short_name.to_owned();
    }
    provider
        .display_name
        .clone()
        .or_else(|| {
            cx.live
                .identity_providers
                .iter()
                .find(|p| p.id.eq_ignore_ascii_case(&provider.id))
                .map(|p| p.display_name.clone())
        })
        .unwrap_or_else(|| provider.id.clone())
}

/// The label the configuration gives the live object `id`, when it names it.
fn label_of(desired: &[Linked], id: &str) -> Option<String> {
    desired.iter().find(|d| d.is(id)).map(|d| d.label.clone())
}

/// Links and unlinks applications. A link waits for every other flow to let go of the
/// application (Graph links an application to one flow only, §2, §15.7).
pub(super) fn applications(
    cx: &Context<'_>,
    desired: &Desired<'_>,
    live: &UserFlow,
    path: &str,
    draft: &mut Draft,
) {
    let Draft { fields, steps, .. } = draft;
    let linked = live.applications.as_deref().unwrap_or_default();
    let live_labels: Vec<String> = linked
        .iter()
        .map(|id| application_label(cx.live.applications, id))
        .collect();
    let desired_labels: Vec<String> = desired
        .applications
        .iter()
        .map(|a| a.label.clone())
        .collect();
    fields.members("applications", &live_labels, &desired_labels);

    for app in &desired.applications {
        if !linked.iter().any(|id| app.is(id)) {
            link_application(steps, path, &app.id.text());
        }
    }
    let mut unlinked: Vec<&String> = linked
        .iter()
        .filter(|app_id| !desired.applications.iter().any(|a| a.is(app_id)))
        .collect();
    // In a fixed order, whatever order Graph listed them in.
    unlinked.sort();
    for app_id in unlinked {
        let step = steps.push(
            Request::delete(format!("{path}{APPLICATIONS}/{app_id}")),
            [],
        );
        steps.releases(step, Resource::Application(app_id.to_lowercase()));
    }
}

fn link_application(steps: &mut Steps, path: &str, app_id: &str) {
    let body = json!({
        "@odata.type": "#microsoft.graph.authenticationConditionApplication",
        "appId": app_id,
    });
    let step = steps.push(Request::post(format!("{path}{APPLICATIONS}"), body), []);
    steps.takes(step, Resource::Application(app_id.to_lowercase()));
}

/// How the plan names an application: `displayName (appId)`, or the appId alone when the
/// tenant read does not include it.
pub(super) fn application_label(applications: &[Application], app_id: &str) -> String {
    applications
        .iter()
        .find(|a| a.app_id.eq_ignore_ascii_case(app_id))
        .filter(|a| !a.display_name.is_empty())
        .map_or_else(
            || app_id.to_owned(),
            |a| format!("{} ({})", a.display_name, a.app_id),
        )
}
