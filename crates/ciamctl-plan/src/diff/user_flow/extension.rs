//! A flow's custom-extension handlers, `onAttributeCollectionStart` and
//! `onAttributeCollectionSubmit` (REFERENCE.md §1.2, §9.3).
//!
//! The handler's settings (timeout, retries, behaviour on error) change by a PATCH of the
//! handler object; the extension it calls changes by `PUT …/customExtension/$ref`, which the
//! docs show on beta only (§9.3, §14). The PATCH goes first: the `$ref` PUT is the documented
//! way to attach and keeps the handler's settings, whereas whether a PATCH of the handler
//! without `customExtension` keeps the attached extension is not documented (§16.16). Settings
//! the YAML leaves out keep their live value.

use ciamctl_live::{ExtensionHandler, Known, UserFlow};
use ciamctl_model::user_flow::BehaviorOnError;
use serde_json::{Value, json};

use super::resolve::Handler;
use super::{Draft, FLOW_TYPE};
use crate::builder::Request;
use crate::diff::{Context, odata_id};

/// The two events a flow calls a custom extension at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    Start,
    Submit,
}

impl Event {
    pub(super) const ALL: [Event; 2] = [Event::Start, Event::Submit];

    /// The flow's property.
    pub(super) fn property(self) -> &'static str {
        match self {
            Event::Start => "onAttributeCollectionStart",
            Event::Submit => "onAttributeCollectionSubmit",
        }
    }

    /// The concrete handler type (§1.2).
    fn handler_type(self) -> &'static str {
        match self {
            Event::Start => "onAttributeCollectionStartCustomExtensionHandler",
            Event::Submit => "onAttributeCollectionSubmitCustomExtensionHandler",
        }
    }

    /// The extension type the handler calls (§9.1).
    pub(super) fn extension_type(self) -> &'static str {
        match self {
            Event::Start => "onAttributeCollectionStartCustomExtension",
            Event::Submit => "onAttributeCollectionSubmitCustomExtension",
        }
    }

    pub(super) fn live(self, flow: &UserFlow) -> Option<&ExtensionHandler> {
        match self {
            Event::Start => flow.on_attribute_collection_start.as_ref(),
            Event::Submit => flow.on_attribute_collection_submit.as_ref(),
        }
    }
}

/// Compares one handler and adds its requests on the flow at `path`.
pub(super) fn diff(
    cx: &Context<'_>,
    event: Event,
    desired: Option<&Handler<'_>>,
    live: Option<&ExtensionHandler>,
    path: &str,
    draft: &mut Draft,
) {
    let property = event.property();
    let Some(desired) = desired else {
        if let Some(live) = live {
            let attached = match &live.extension_id {
                Known::Known(Some(id)) => extension_label(cx, id),
                Known::Known(None) => "a handler without an extension".to_owned(),
                Known::Unknown(_) => {
                    "a handler whose extension the tenant read did not name".to_owned()
                }
            };
            draft.fields.compare(property, Some(attached), None);
            draft.steps.push(
                Request::patch(path, json!({ "@odata.type": FLOW_TYPE, property: null })),
                [],
            );
        }
        return;
    };

    let extension = desired.extension;
    let label = extension
        .display_name
        .clone()
        .unwrap_or_else(|| extension.id.clone());
    let extension_path = format!("{property}.extension");
    let attach = match live.map(|l| &l.extension_id) {
        Some(Known::Known(Some(id))) if id.eq_ignore_ascii_case(&extension.id) => false,
        Some(Known::Known(Some(id))) => {
            draft.fields.compare(
                &extension_path,
                Some(extension_label(cx, id)),
                Some(label.clone()),
            );
            true
        }
        Some(Known::Unknown(_)) => {
            draft
                .fields
                .compare(&extension_path, None, Some(label.clone()));
            draft.notes.push(format!(
                "the tenant read did not say which extension `{property}` calls (REFERENCE.md \
                 §9.3); the plan attaches `{label}` again"
            ));
            true
        }
        Some(Known::Known(None)) | None => {
            draft
                .fields
                .compare(&extension_path, None, Some(label.clone()));
            true
        }
    };

    let yaml = desired.yaml;
    let live_timeout = live.and_then(|l| l.timeout_in_milliseconds);
    let live_retries = live.and_then(|l| l.maximum_retries);
    let live_behavior = live.and_then(|l| l.behavior_on_error.as_deref());
    let timeout = yaml.timeout_in_milliseconds.as_deref().copied();
    let retries = yaml.maximum_retries.as_deref().copied();
    let behavior = yaml.behavior_on_error.as_deref().map(|b| behavior_name(*b));
    let mut changed = false;
    if timeout.is_some() {
        changed |= draft.fields.compare(
            &format!("{property}.timeoutInMilliseconds"),
            live_timeout,
            timeout,
        );
    }
    if retries.is_some() {
        changed |=
            draft
                .fields
                .compare(&format!("{property}.maximumRetries"), live_retries, retries);
    }
    if behavior.is_some() {
        changed |= draft.fields.compare(
            &format!("{property}.behaviorOnError"),
            live_behavior,
            behavior,
        );
    }
    let patch = changed.then(|| {
        let handler = json!({
            "@odata.type": format!("#microsoft.graph.{}", event.handler_type()),
            "configuration": configuration(
                timeout.or(live_timeout),
                retries.or(live_retries),
                behavior.or(live_behavior),
            ),
        });
        draft.steps.push(
            Request::patch(path, json!({ "@odata.type": FLOW_TYPE, property: handler })),
            [],
        )
    });
    if attach {
        let body = json!({
            "@odata.id": odata_id(&format!("/identity/customAuthenticationExtensions/{}", extension.id))
        });
        draft.steps.push(
            Request::put(format!(
                "{path}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/{property}/\
                 microsoft.graph.{}/customExtension/$ref",
                event.handler_type()
            ))
            .json(body)
            // Documented with beta URLs only (§9.3, §14).
            .beta(),
            patch,
        );
    }
}

/// `customExtensionOverwriteConfiguration` (§1.2) with the values given.
fn configuration(timeout: Option<i32>, retries: Option<i32>, behavior: Option<&str>) -> Value {
    let mut configuration = json!({});
    if timeout.is_some() || retries.is_some() {
        let mut client = json!({});
        if let Some(timeout) = timeout {
            client["timeoutInMilliseconds"] = json!(timeout);
        }
        if let Some(retries) = retries {
            client["maximumRetries"] = json!(retries);
        }
        configuration["clientConfiguration"] = client;
    }
    if let Some(behavior) = behavior {
        // An abstract type in the CSDL: the concrete one is named (§0.4).
        configuration["behaviorOnError"] =
            json!({ "@odata.type": format!("#microsoft.graph.{behavior}") });
    }
    configuration
}

fn behavior_name(behavior: BehaviorOnError) -> &'static str {
    match behavior {
        BehaviorOnError::FallbackToMicrosoftProviderOnError => "fallbackToMicrosoftProviderOnError",
    }
}

/// An extension as the plan names it: its display name, else its id.
fn extension_label(cx: &Context<'_>, id: &str) -> String {
    cx.live
        .custom_extensions
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(id))
        .and_then(|e| e.display_name.clone())
        .unwrap_or_else(|| id.to_owned())
}
