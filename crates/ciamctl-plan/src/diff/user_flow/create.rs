//! A new flow: one `POST` with everything Graph takes at creation (REFERENCE.md §1.4), then
//! its custom-extension handlers on the new id.

use serde_json::json;

use super::resolve::Desired;
use super::{
    COLLECTION, Draft, FLOW_TYPE, extension, flow_path, page, sign_up_handler, user_type_handler,
    user_type_name,
};
use crate::builder::{Builder, Request, Resource};
use crate::diff::{Context, text};
use crate::document::{Action, Kind};

pub(super) fn create(cx: &mut Context<'_>, desired: &Desired<'_>) {
    let flow = desired.flow;
    let mut draft = Draft::default();
    let description = text(flow.description.as_deref().map(String::as_str));
    let priority = flow.priority.as_deref().copied();
    let include_all = flow.include_all_applications.as_deref().copied();
    let providers: Vec<&str> = desired.providers.iter().map(|p| p.label.as_str()).collect();
    let applications: Vec<&str> = desired
        .applications
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    let fields = &mut draft.fields;
    fields.set("description", description);
    fields.set("signUp", Some(flow.sign_up()));
    fields.set("userType", Some(user_type_name(flow.user_type())));
    fields.set("priority", priority);
    fields.set("includeAllApplications", include_all);
    fields.set("identityProviders", Some(&providers));
    fields.set(
        "applications",
        (!applications.is_empty()).then_some(&applications),
    );

    let mut body = json!({
        "@odata.type": FLOW_TYPE,
        "displayName": flow.name.as_str(),
        "onInteractiveAuthFlowStart": sign_up_handler(flow.sign_up()),
        "onAuthenticationMethodLoadStart": {
            "@odata.type": "#microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp",
            "identityProviders": desired
                .providers
                .iter()
                .map(|p| json!({ "id": p.id.text() }))
                .collect::<Vec<_>>(),
        },
        "onUserCreateStart": user_type_handler(flow.user_type()),
    });
    if let Some(description) = description {
        body["description"] = json!(description);
    }
    if let Some(priority) = priority {
        body["priority"] = json!(priority);
    }
    if !desired.applications.is_empty() || include_all.is_some() {
        let mut applications = json!({});
        if let Some(include_all) = include_all {
            applications["includeAllApplications"] = json!(include_all);
        }
        if !desired.applications.is_empty() {
            applications["includeApplications"] = desired
                .applications
                .iter()
                .map(|a| json!({ "appId": a.id.text() }))
                .collect();
        }
        body["conditions"] = json!({ "applications": applications });
    }
    if let Some(handler) = page::create_handler(cx, desired) {
        let page = flow.page.as_ref();
        let fields = &mut draft.fields;
        fields.set(
            "page.title",
            text(page.and_then(|p| p.title.as_deref()).map(String::as_str)),
        );
        fields.set(
            "page.description",
            text(
                page.and_then(|p| p.description.as_deref())
                    .map(String::as_str),
            ),
        );
        let inputs: Vec<&str> = desired
            .inputs
            .iter()
            .map(super::resolve::Input::name)
            .collect();
        fields.set("page.inputs", Some(inputs));
        for input in &desired.inputs {
            page::new_input_fields(fields, input);
        }
        body["onAttributeCollection"] = handler;
    }
    let request = Request::post(COLLECTION, body);
    // `priority` and `includeAllApplications` are in the beta CSDL only (§14).
    let request = if priority.is_some() || include_all.is_some() {
        request.beta()
    } else {
        request
    };

    let change = cx
        .builder
        .change(Action::Create, Kind::UserFlow, flow.name.as_str());
    let step = cx.builder.step(change, request, []);
    for app in &desired.applications {
        cx.builder
            .takes(step, Resource::Application(app.id.text().to_lowercase()));
    }
    let path = flow_path(&Builder::id_of(step));
    for event in extension::Event::ALL {
        extension::diff(cx, event, desired.handler(event), None, &path, &mut draft);
    }
    draft.finish(&mut cx.builder, change);
}
