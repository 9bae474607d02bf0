//! Unit tests of the stale-plan check, the lookup of possibly created objects, request
//! preparation and the report's text. Running plans against the emulator is in
//! `tests/execute.rs`.

// Tests panic on anything unexpected; that is their job.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use ciamctl_graph::{ApiVersion, ClientStats, Method};
use ciamctl_plan::{
    Action, AssetFile, AssetUpload, Change, FORMAT_VERSION, FieldChange, FieldOp, Kind, LiveObject,
    Plan, PlanOptions, PlannedRequest, SecretSlot, Summary,
};
use serde_json::{Value, json};

use crate::lookup::Lookup;
use crate::prepare::{Payload, PrepareError, Prepared, prepare};
use crate::report::{self, ChangeReport, ChangeResult, Report, StepFailure};
use crate::stale::{self, ObjectChange, Stale};

const TENANT: &str = "3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90";
const FLOWS: &str = "/identity/authenticationEventsFlows";

fn plan(changes: Vec<Change>, live: Vec<LiveObject>) -> Plan {
    Plan {
        format_version: FORMAT_VERSION,
        ciamctl_version: "0.0.0-test".to_owned(),
        tenant_id: TENANT.to_owned(),
        environment: None,
        config_digest: "config-digest-1".to_owned(),
        options: PlanOptions::default(),
        summary: Summary::default(),
        changes,
        unmanaged: Vec::new(),
        live,
    }
}

fn request(step: u32, method: &str, path: &str, body: Option<Value>) -> PlannedRequest {
    PlannedRequest {
        step,
        method: method.to_owned(),
        api: ciamctl_plan::ApiVersion::V1,
        path: path.to_owned(),
        headers: BTreeMap::new(),
        body,
        secrets: Vec::new(),
        asset: None,
        depends_on: Vec::new(),
    }
}

fn change(
    id: u32,
    action: Action,
    kind: Kind,
    name: &str,
    requests: Vec<PlannedRequest>,
) -> Change {
    Change {
        requests,
        ..Change::new(id, action, kind, name)
    }
}

/// A change of the live object `id` whose fingerprint was `fingerprint` when planned.
fn of_live(mut change: Change, id: &str, fingerprint: &str) -> Change {
    change.live_id = Some(id.to_owned());
    change.fingerprint = Some(fingerprint.to_owned());
    change
}

fn live(kind: Kind, name: &str, id: &str, fingerprint: &str) -> LiveObject {
    LiveObject {
        kind: kind.live_kind().name().to_owned(),
        name: name.to_owned(),
        id: id.to_owned(),
        fingerprint: fingerprint.to_owned(),
    }
}

/// A saved plan that updates a flow, deletes an attribute and creates a provider, with the
/// tenant as it was read then.
fn saved_plan() -> Plan {
    let update = of_live(
        change(
            1,
            Action::Update,
            Kind::UserFlow,
            "Woodgrove customers",
            vec![request(
                1,
                "PATCH",
                &format!("{FLOWS}/flow-1"),
                Some(json!({ "description": "Sign in" })),
            )],
        ),
        "flow-1",
        "fp-flow-1",
    );
    let delete = of_live(
        change(
            2,
            Action::Delete,
            Kind::Attribute,
            "ShoeSize",
            vec![request(
                2,
                "DELETE",
                "/identity/userFlowAttributes/extension_abc_ShoeSize",
                None,
            )],
        ),
        "extension_abc_ShoeSize",
        "fp-shoe",
    );
    let create = change(
        3,
        Action::Create,
        Kind::IdentityProvider,
        "Google",
        vec![request(
            3,
            "POST",
            "/identity/identityProviders",
            Some(json!({ "displayName": "Google" })),
        )],
    );
    plan(
        vec![update, delete, create],
        vec![
            live(Kind::UserFlow, "Woodgrove customers", "flow-1", "fp-flow-1"),
            live(
                Kind::Attribute,
                "ShoeSize",
                "extension_abc_ShoeSize",
                "fp-shoe",
            ),
        ],
    )
}

fn set_fingerprint(plan: &mut Plan, id: &str, fingerprint: &str) {
    let object = plan.live.iter_mut().find(|o| o.id == id).unwrap();
    object.fingerprint = fingerprint.to_owned();
}

fn object(kind: Kind, name: &str, change: ObjectChange) -> Stale {
    Stale::Object {
        kind,
        name: name.to_owned(),
        change,
    }
}

#[test]
fn a_plan_made_again_from_the_same_config_and_tenant_is_not_stale() {
    let saved = saved_plan();
    assert_eq!(stale::check(&saved, &saved.clone()), []);
}

#[test]
fn tenant_and_object_ids_compare_ignoring_case() {
    let saved = saved_plan();
    let mut now = saved.clone();
    now.tenant_id = TENANT.to_uppercase();
    for object in &mut now.live {
        object.id = object.id.to_uppercase();
    }
    assert_eq!(stale::check(&saved, &now), []);
}

#[test]
fn a_plan_for_another_tenant_is_refused_for_that_reason_alone() {
    let saved = saved_plan();
    let mut now = saved.clone();
    now.tenant_id = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f".to_owned();
    now.config_digest = "another-digest".to_owned();
    assert_eq!(
        stale::check(&saved, &now),
        [Stale::Tenant {
            planned: TENANT.to_owned(),
            now: "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f".to_owned(),
        }]
    );
}

#[test]
fn a_plan_of_another_format_version_is_refused() {
    let mut saved = saved_plan();
    let now = saved.clone();
    saved.format_version = FORMAT_VERSION + 1;
    assert_eq!(
        stale::check(&saved, &now),
        [Stale::Format {
            found: FORMAT_VERSION + 1
        }]
    );
}

#[test]
fn a_changed_config_digest_makes_the_plan_stale() {
    let saved = saved_plan();
    let mut now = saved.clone();
    now.config_digest = "config-digest-2".to_owned();
    assert_eq!(stale::check(&saved, &now), [Stale::Config]);
}

#[test]
fn an_updated_object_whose_fingerprint_changed_was_modified() {
    let saved = saved_plan();
    let mut now = saved.clone();
    set_fingerprint(&mut now, "flow-1", "fp-flow-1-edited");
    assert_eq!(
        stale::check(&saved, &now),
        [object(
            Kind::UserFlow,
            "Woodgrove customers",
            ObjectChange::Modified
        )]
    );
}

#[test]
fn an_object_the_plan_changes_that_is_gone_was_deleted() {
    let saved = saved_plan();
    let mut now = saved.clone();
    now.live.retain(|o| o.id != "extension_abc_ShoeSize");
    now.changes.retain(|c| c.id != 2);
    assert_eq!(
        stale::check(&saved, &now),
        [object(Kind::Attribute, "ShoeSize", ObjectChange::Deleted)]
    );
}

#[test]
fn an_object_the_plan_creates_that_exists_now_was_created() {
    let saved = saved_plan();
    let mut now = saved.clone();
    now.changes.retain(|c| c.action != Action::Create);
    now.live.push(live(
        Kind::IdentityProvider,
        "Google",
        "Google-OAUTH",
        "fp-g",
    ));
    assert_eq!(
        stale::check(&saved, &now),
        [object(
            Kind::IdentityProvider,
            "Google",
            ObjectChange::Created
        )]
    );
}

#[test]
fn a_create_missing_from_a_plan_of_another_config_is_the_config_change_alone() {
    // The configuration may simply have dropped the object: nothing says it appeared.
    let saved = saved_plan();
    let mut now = saved.clone();
    now.config_digest = "config-digest-2".to_owned();
    now.changes.retain(|c| c.action != Action::Create);
    assert_eq!(stale::check(&saved, &now), [Stale::Config]);
}

#[test]
fn a_hand_edited_request_with_the_same_digest_and_fingerprints_is_stale() {
    let saved = saved_plan();
    let mut edited = saved.clone();
    edited.changes[0].requests[0].body = Some(json!({ "description": "Hacked" }));
    assert_eq!(stale::check(&edited, &saved), [Stale::Changes]);
}

#[test]
fn every_reason_is_listed_at_once() {
    let saved = saved_plan();
    let mut now = saved.clone();
    now.config_digest = "config-digest-2".to_owned();
    set_fingerprint(&mut now, "flow-1", "fp-flow-1-edited");
    now.live.retain(|o| o.id != "extension_abc_ShoeSize");
    assert_eq!(
        stale::check(&saved, &now),
        [
            Stale::Config,
            object(
                Kind::UserFlow,
                "Woodgrove customers",
                ObjectChange::Modified
            ),
            object(Kind::Attribute, "ShoeSize", ObjectChange::Deleted),
        ]
    );
}

#[test]
fn stale_reasons_name_the_object_and_what_happened_to_it() {
    assert_eq!(
        object(
            Kind::UserFlow,
            "Woodgrove customers",
            ObjectChange::Modified
        )
        .to_string(),
        "user flow \"Woodgrove customers\" was changed in the tenant since the plan was made"
    );
    assert_eq!(
        object(Kind::IdentityProvider, "Google", ObjectChange::Created).to_string(),
        "identity provider \"Google\" was created in the tenant since the plan was made"
    );
}

fn lookup(path: &str, body: &Value) -> Lookup {
    Lookup::of(&Method::POST, ApiVersion::Beta, path, Some(body)).unwrap()
}

#[test]
fn a_ref_link_is_looked_up_by_the_linked_id_in_the_collection_it_adds_to() {
    let providers = format!(
        "{FLOWS}/flow-1/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/\
         onAuthenticationMethodLoadStart/microsoft.graph.\
         onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders"
    );
    let lookup = lookup(
        &format!("{providers}/$ref"),
        &json!({
            "@odata.id": "https://graph.microsoft.com/v1.0/identity/identityProviders/Google-OAUTH"
        }),
    );
    let read = lookup.request();
    assert_eq!(read.path(), providers);
    assert_eq!(read.api_version(), ApiVersion::Beta);
    assert_eq!(read.method(), &ciamctl_graph::Method::GET);
    let items = [
        json!({ "id": "EmailPassword-OAUTH" }),
        json!({ "id": "google-oauth", "displayName": "Google" }),
    ];
    assert_eq!(lookup.find(&items), Some(&items[1]));
    assert_eq!(lookup.find(&items[..1]), None);
}

#[test]
fn an_application_link_is_looked_up_by_app_id_ignoring_case() {
    let path = format!("{FLOWS}/flow-1/conditions/applications/includeApplications");
    let lookup = lookup(
        &path,
        &json!({
            "@odata.type": "#microsoft.graph.authenticationConditionApplication",
            "appId": "D2F6A9C1-3E4B-4C7D-8F9A-1B2C3D4E5F60"
        }),
    );
    assert_eq!(lookup.request().path(), path);
    let items = [
        json!({ "appId": "e3a7b0d2-4f5c-4d8e-9a0b-2c3d4e5f6071" }),
        json!({ "appId": "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60" }),
    ];
    assert_eq!(lookup.find(&items), Some(&items[1]));
}

#[test]
fn a_localization_is_looked_up_by_its_locale_id() {
    let path = "/organization/org-1/branding/localizations";
    let lookup = lookup(
        path,
        &json!({ "id": "fr-FR", "signInPageText": "Bienvenue" }),
    );
    assert_eq!(lookup.request().path(), path);
    let items = [
        json!({ "id": "0", "signInPageText": "Bienvenue" }),
        json!({ "id": "fr-fr" }),
    ];
    assert_eq!(lookup.find(&items), Some(&items[1]));
}

#[test]
fn other_creates_are_looked_up_by_display_name_ignoring_case() {
    let lookup = lookup(
        FLOWS,
        &json!({
            "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
            "displayName": "Woodgrove customers",
            "conditions": { "applications": { "includeApplications": [{ "appId": "a" }] } }
        }),
    );
    assert_eq!(lookup.request().path(), FLOWS);
    let items = [
        json!({ "id": "1", "displayName": "Woodgrove partners" }),
        json!({ "id": "2", "displayName": "WOODGROVE CUSTOMERS" }),
    ];
    assert_eq!(lookup.find(&items), Some(&items[1]));
    assert_eq!(lookup.find(&items[..1]), None);
}

fn status_error(status: u16) -> ciamctl_graph::GraphError {
    ciamctl_graph::GraphError::Status(Box::new(ciamctl_graph::Failure {
        method: "GET".to_owned(),
        path: "/v1.0/x".to_owned(),
        status: Some(status),
        code: "invalidRequest".to_owned(),
        message: "The user flow has no attributes to list.".to_owned(),
        request_id: None,
        retries: 0,
        waited: Duration::ZERO,
    }))
}

#[test]
fn a_400_listing_a_flows_attributes_means_the_attribute_link_was_not_made() {
    let attributes = format!(
        "{FLOWS}/flow-1/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/\
         onAttributeCollection/microsoft.graph.\
         onAttributeCollectionExternalUsersSelfServiceSignUp/attributes"
    );
    let link = lookup(
        &format!("{attributes}/$ref"),
        &json!({
            "@odata.id": "https://graph.microsoft.com/v1.0/identity/userFlowAttributes/extension_x_ShoeSize"
        }),
    );
    assert!(link.is_empty_answer(&status_error(400)));
    assert!(!link.is_empty_answer(&status_error(403)));
    let flow = lookup(FLOWS, &json!({ "displayName": "Woodgrove customers" }));
    assert!(!flow.is_empty_answer(&status_error(400)));
}

#[test]
fn a_create_without_a_natural_key_has_no_lookup() {
    assert_eq!(Lookup::of(&Method::POST, ApiVersion::V1, FLOWS, None), None);
    assert_eq!(
        Lookup::of(
            &Method::POST,
            ApiVersion::V1,
            FLOWS,
            Some(&json!({ "description": "x" }))
        ),
        None
    );
    assert_eq!(
        Lookup::of(
            &Method::POST,
            ApiVersion::V1,
            "/a/b/$ref",
            Some(&json!({ "displayName": "x" }))
        ),
        None
    );
}

#[test]
fn only_a_create_is_looked_up_after_a_lost_answer() {
    // A PATCH, PUT or DELETE whose outcome is unknown (its `$batch` failed) names an object
    // that already existed; its path is no collection to search for it, and reading it as one
    // would fail with a misleading error or resend it forever.
    let flow = json!({ "displayName": "Woodgrove customers" });
    for method in [Method::PATCH, Method::PUT, Method::DELETE] {
        assert_eq!(
            Lookup::of(
                &method,
                ApiVersion::V1,
                &format!("{FLOWS}/f-1"),
                Some(&flow)
            ),
            None,
            "{method}"
        );
    }
    assert!(Lookup::of(&Method::POST, ApiVersion::V1, FLOWS, Some(&flow)).is_some());
}

/// A provider create whose body has a secret slot.
fn provider_plan(source: &str) -> Plan {
    let mut post = request(
        1,
        "POST",
        "/identity/identityProviders",
        Some(json!({
            "@odata.type": "#microsoft.graph.socialIdentityProvider",
            "displayName": "Google",
            "clientId": "client",
            "clientSecret": "******"
        })),
    );
    post.secrets = vec![SecretSlot {
        pointer: "/clientSecret".to_owned(),
        source: source.to_owned(),
    }];
    plan(
        vec![change(
            1,
            Action::Create,
            Kind::IdentityProvider,
            "Google",
            vec![post],
        )],
        Vec::new(),
    )
}

const ENV_NAME: &str = "CIAMCTL_APPLY_UNIT_TEST_GOOGLE_SECRET";
const ENV_VALUE: &str = "a-secret-from-the-environment";

fn env(name: &str) -> Option<String> {
    (name == ENV_NAME).then(|| ENV_VALUE.to_owned())
}

fn prepared(plan: &Plan, root: &Path) -> Result<Prepared, PrepareError> {
    prepare(plan, root, "https://graph.microsoft.us", &env)
}

fn json_body(prepared: &Prepared, step: usize) -> &Value {
    match &prepared.steps[step].body {
        Some(Payload::Json(body)) => body,
        _ => panic!("step {step} has no JSON body"),
    }
}

#[test]
fn a_secret_slot_is_filled_from_its_environment_variable() {
    let dir = tempfile::tempdir().unwrap();
    let plan = provider_plan(&format!("${{env:{ENV_NAME}}}"));
    let prepared = prepared(&plan, dir.path()).unwrap();
    assert_eq!(json_body(&prepared, 0)["clientSecret"], ENV_VALUE);
    assert_eq!(json_body(&prepared, 0)["clientId"], "client");
}

#[test]
fn a_secret_slot_is_filled_from_a_file_relative_to_the_config_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    std::fs::write(dir.path().join("secrets/google.txt"), "from-a-file\n").unwrap();
    let plan = provider_plan("${file:secrets/google.txt}");
    let prepared = prepared(&plan, dir.path()).unwrap();
    assert_eq!(json_body(&prepared, 0)["clientSecret"], "from-a-file");
}

/// Every text an error shows: its message, its sources' and its `Debug`.
fn error_text(error: &PrepareError) -> String {
    let mut text = format!("{error:?}");
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(error) = source {
        text.push('\n');
        text.push_str(&error.to_string());
        source = error.source();
    }
    text
}

#[test]
fn a_missing_environment_variable_names_the_reference_and_shows_no_value() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = provider_plan(&format!("${{env:{ENV_NAME}}}"));
    // A second secret of the same body comes from a variable that is not set: the error must
    // not carry the body, where the first secret already is.
    let post = &mut plan.changes[0].requests[0];
    post.body.as_mut().unwrap()["clientAuthentication"] = json!({ "clientSecret": "******" });
    post.secrets.push(SecretSlot {
        pointer: "/clientAuthentication/clientSecret".to_owned(),
        source: "${env:CIAMCTL_APPLY_UNIT_TEST_UNSET}".to_owned(),
    });
    let error = prepared(&plan, dir.path()).unwrap_err();
    assert!(
        matches!(&error, PrepareError::Secret { step: 1, pointer, .. }
            if pointer == "/clientAuthentication/clientSecret"),
        "{error:?}"
    );
    let text = error_text(&error);
    assert!(
        error
            .to_string()
            .contains("${env:CIAMCTL_APPLY_UNIT_TEST_UNSET}"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("create identity provider \"Google\"")
    );
    assert!(!text.contains(ENV_VALUE), "{text}");
}

#[test]
fn prepared_requests_debug_without_their_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let plan = provider_plan(&format!("${{env:{ENV_NAME}}}"));
    let prepared = prepared(&plan, dir.path()).unwrap();
    let debug = format!("{prepared:?} {prepared:#?}");
    assert!(!debug.contains(ENV_VALUE), "{debug}");
    assert!(debug.contains("Prepared"), "{debug}");
}

#[test]
fn a_secret_reference_that_is_not_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let error = prepared(&provider_plan("$ENV_NAME"), dir.path()).unwrap_err();
    assert!(
        matches!(&error, PrepareError::SecretReference { reference, .. } if reference == "$ENV_NAME"),
        "{error:?}"
    );
}

/// A branding stream upload of `path`, planned when it held `planned`.
fn asset_plan(path: &str, planned: &[u8]) -> Plan {
    let mut put = request(1, "PUT", "/organization/org-1/branding/customCSS", None);
    put.headers
        .insert("Content-Type".to_owned(), "text/css".to_owned());
    put.headers
        .insert("Accept-Language".to_owned(), "fr-FR".to_owned());
    put.asset = Some(AssetUpload {
        path: path.to_owned(),
        digest: AssetFile::new(path.to_owned(), planned, "text/css").digest,
    });
    plan(
        vec![change(
            1,
            Action::Update,
            Kind::Branding,
            "default",
            vec![put],
        )],
        Vec::new(),
    )
}

#[test]
fn an_asset_is_sent_as_the_bytes_it_was_planned_with() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/custom.css"), "a { }").unwrap();
    let prepared = prepared(&asset_plan("assets/custom.css", b"a { }"), dir.path()).unwrap();
    let step = &prepared.steps[0];
    match &step.body {
        Some(Payload::Bytes { content_type, data }) => {
            assert_eq!(content_type, "text/css");
            assert_eq!(&data[..], b"a { }");
        }
        _ => panic!("the upload has no bytes"),
    }
    // The client sets the body's type; the other headers go as planned.
    assert_eq!(
        step.headers,
        [("Accept-Language".to_owned(), "fr-FR".to_owned())]
    );
}

#[test]
fn an_asset_path_outside_the_config_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for path in ["../outside.css", "assets/../../outside.css", "/etc/passwd"] {
        let error = prepared(&asset_plan(path, b"a { }"), dir.path()).unwrap_err();
        assert!(
            matches!(&error, PrepareError::AssetOutside { path: refused, .. } if refused == path),
            "{path}: {error:?}"
        );
    }
}

#[test]
fn an_asset_changed_since_planning_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("custom.css"), "b { color: red }").unwrap();
    let error = prepared(&asset_plan("custom.css", b"a { }"), dir.path()).unwrap_err();
    let PrepareError::AssetChanged { planned, found, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        *found,
        AssetFile::new("custom.css".to_owned(), b"b { color: red }", "text/css")
            .digest
            .sha256
    );
    assert_ne!(planned, found);
}

#[test]
fn a_missing_asset_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let error = prepared(&asset_plan("custom.css", b"a { }"), dir.path()).unwrap_err();
    assert!(
        matches!(error, PrepareError::AssetUnreadable { .. }),
        "{error:?}"
    );
}

#[test]
fn odata_ids_under_the_global_graph_root_are_rebased_to_the_clients_root() {
    let dir = tempfile::tempdir().unwrap();
    let link = request(
        1,
        "POST",
        &format!("{FLOWS}/flow-1/identityProviders/$ref"),
        Some(json!({
            "@odata.id": "https://graph.microsoft.com/v1.0/identity/identityProviders/Google-OAUTH",
            "targetUrl": "https://graph.microsoft.com/v1.0/kept",
            "items": [{ "@odata.id": "https://graph.microsoft.com/beta/identity/x" }],
            "other": { "@odata.id": "https://elsewhere.example/v1.0/y" }
        })),
    );
    let plan = plan(
        vec![change(
            1,
            Action::Update,
            Kind::UserFlow,
            "Woodgrove customers",
            vec![link],
        )],
        Vec::new(),
    );
    let prepared = prepare(&plan, dir.path(), "http://127.0.0.1:8080/", &env).unwrap();
    assert_eq!(
        json_body(&prepared, 0),
        &json!({
            "@odata.id": "http://127.0.0.1:8080/v1.0/identity/identityProviders/Google-OAUTH",
            "targetUrl": "https://graph.microsoft.com/v1.0/kept",
            "items": [{ "@odata.id": "http://127.0.0.1:8080/beta/identity/x" }],
            "other": { "@odata.id": "https://elsewhere.example/v1.0/y" }
        })
    );
}

#[test]
fn steps_that_name_an_object_of_the_run_are_marked_and_sorted_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let create = request(1, "POST", FLOWS, Some(json!({ "displayName": "New" })));
    let mut handler = request(
        3,
        "PATCH",
        &format!("{FLOWS}/{{{{1.id}}}}"),
        Some(json!({ "description": "x" })),
    );
    handler.depends_on = vec![1];
    let mut link = request(
        2,
        "POST",
        &format!("{FLOWS}/flow-2/identityProviders/$ref"),
        Some(
            json!({ "@odata.id": "https://graph.microsoft.com/v1.0/identity/identityProviders/{{1.id}}" }),
        ),
    );
    link.depends_on = vec![1];
    let plan = plan(
        vec![
            change(
                1,
                Action::Create,
                Kind::UserFlow,
                "New",
                vec![create, handler],
            ),
            change(2, Action::Update, Kind::UserFlow, "Other", vec![link]),
        ],
        Vec::new(),
    );
    let prepared = prepared(&plan, dir.path()).unwrap();
    let steps: Vec<(u32, usize, bool)> = prepared
        .steps
        .iter()
        .map(|s| (s.number, s.change, s.uses_created))
        .collect();
    assert_eq!(steps, [(1, 0, false), (2, 1, true), (3, 0, true)]);
}

#[test]
fn a_method_a_plan_never_sends_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(
        vec![change(
            1,
            Action::Update,
            Kind::UserFlow,
            "Woodgrove customers",
            vec![request(1, "GET", FLOWS, None)],
        )],
        Vec::new(),
    );
    let error = prepared(&plan, dir.path()).unwrap_err();
    assert!(
        matches!(&error, PrepareError::Method { method, .. } if method == "GET"),
        "{error:?}"
    );
}

fn change_report(
    id: u32,
    action: Action,
    kind: Kind,
    name: &str,
    result: ChangeResult,
) -> ChangeReport {
    ChangeReport {
        id,
        action,
        kind,
        name: name.to_owned(),
        result,
        elapsed: Some(Duration::from_millis(420)),
        notes: Vec::new(),
    }
}

/// A run where the provider was refused, the flow that offers it skipped after its first
/// request, a localization skipped before any, and a lost create found by its lookup.
fn mixed_report() -> Report {
    let mut attribute = change_report(
        1,
        Action::Create,
        Kind::Attribute,
        "LoyaltyNumber",
        ChangeResult::Applied,
    );
    attribute.notes.push(
        "POST /v1.0/identity/userFlowAttributes got no answer, but what it creates is in the \
         tenant: it was applied, and is not sent again"
            .to_owned(),
    );
    let failed = change_report(
        2,
        Action::Create,
        Kind::IdentityProvider,
        "Google",
        ChangeResult::Failed(vec![StepFailure {
            step: 2,
            error: "POST /v1.0/identity/identityProviders failed: 400 invalidRequest: The \
                    tenant already has this identity provider ('Google-OAUTH'); update it \
                    instead. (request-id 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e)"
                .to_owned(),
        }]),
    );
    let partly = change_report(
        3,
        Action::Update,
        Kind::UserFlow,
        "Woodgrove customers",
        ChangeResult::Skipped {
            waited_for: vec![2],
            applied_steps: 1,
        },
    );
    let mut waited = change_report(
        4,
        Action::Create,
        Kind::Localization,
        "fr-FR",
        ChangeResult::Skipped {
            waited_for: vec![2, 7],
            applied_steps: 0,
        },
    );
    waited.elapsed = None;
    let mut stats = ClientStats::default();
    stats.round_trips = 3;
    stats.http_requests = 5;
    stats.batch_requests = 2;
    stats.batch_items = 6;
    stats.retries = 1;
    stats.throttled = 1;
    stats.waited = Duration::from_millis(1500);
    Report {
        changes: vec![attribute, failed, partly, waited],
        stats,
        elapsed: Duration::from_millis(2345),
    }
}

fn written(report: &Report, color: bool) -> String {
    let mut out = Vec::new();
    report::write(&mut out, report, color).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn the_summary_lists_notes_failures_with_graphs_error_and_what_was_skipped() {
    insta::assert_snapshot!(written(&mixed_report(), false));
}

#[test]
fn the_summary_of_a_complete_run_says_so_and_what_it_cost() {
    let mut report = mixed_report();
    report.changes.truncate(1);
    report.changes[0].notes.clear();
    let mut stats = ClientStats::default();
    stats.round_trips = 1;
    stats.http_requests = 1;
    stats.batch_requests = 1;
    stats.batch_items = 1;
    report.stats = stats;
    insta::assert_snapshot!(written(&report, false));
}

#[test]
fn a_change_line_says_what_became_of_the_change_and_how_long_it_took() {
    let report = mixed_report();
    let lines: Vec<String> = report
        .changes
        .iter()
        .map(|c| report::change_line(c, false))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn colour_adds_ansi_codes_only_when_asked() {
    let report = mixed_report();
    let plain = written(&report, false);
    let coloured = written(&report, true);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    for change in &report.changes {
        assert!(!report::change_line(change, false).contains('\u{1b}'));
        assert!(report::change_line(change, true).contains("\u{1b}["));
    }
    // The codes are all colour adds: the text is the same without them.
    let stripped = strip_ansi(&coloured);
    assert_eq!(stripped, plain);
}

/// `text` without its `ESC [ … m` sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_change_is_described_by_its_action_kind_and_name() {
    let plan = saved_plan();
    assert_eq!(
        crate::describe(&plan, 1),
        "update user flow \"Woodgrove customers\""
    );
    assert_eq!(crate::describe(&plan, 9), "change 9");
}

#[test]
fn a_plan_left_after_every_change_applied_is_reported_as_not_converged_with_its_fields() {
    let mut flow = of_live(
        change(
            4,
            Action::Update,
            Kind::UserFlow,
            "Woodgrove customers",
            Vec::new(),
        ),
        "flow-1",
        "fp",
    );
    flow.fields = vec![
        FieldChange {
            path: "description".to_owned(),
            op: FieldOp::Change,
            before: Some(json!("Stored")),
            after: Some(json!("Sent")),
        },
        FieldChange {
            path: "page.inputs[country].label".to_owned(),
            op: FieldOp::Change,
            before: None,
            after: Some(json!("Country")),
        },
    ];
    let created = change(7, Action::Create, Kind::Localization, "fr-FR", Vec::new());
    let again = plan(vec![flow, created], Vec::new());
    let mut out = Vec::new();
    report::write_not_converged(&mut out, &again, false).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}
