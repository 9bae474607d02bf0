//! Snapshots of every format over one rich plan and one in-sync plan, in both modes, plus the
//! rules no snapshot shows on its own: colour, the Markdown size limit, escaping.

use ciamctl_plan::{
    Action, ApiVersion, AssetDigest, AssetUpload, Change, FieldChange, FieldOp, Kind, KindSummary,
    LiveObject, ObjectRef, Plan, PlanOptions, PlannedRequest, SecretSlot, Summary,
};
use serde_json::{Value, json};

use crate::{DEFAULT_MARKDOWN_LIMIT, Format, Mode, RenderOptions, render};

const TENANT: &str = "0c7e5f2a-1b3d-4e6f-8a9b-0c1d2e3f4a5b";
const MASK: &str = "********";

fn field(path: &str, op: FieldOp, before: Option<Value>, after: Option<Value>) -> FieldChange {
    FieldChange {
        path: path.to_owned(),
        op,
        before,
        after,
    }
}

fn request(step: u32, method: &str, api: ApiVersion, path: &str) -> PlannedRequest {
    PlannedRequest {
        step,
        method: method.to_owned(),
        api,
        path: path.to_owned(),
        headers: std::collections::BTreeMap::new(),
        body: None,
        secrets: Vec::new(),
        asset: None,
        depends_on: Vec::new(),
    }
}

fn change(id: u32, action: Action, kind: Kind, name: &str) -> Change {
    Change::new(id, action, kind, name)
}

fn digest(sha256_byte: char, size: u64, content_type: &str) -> AssetDigest {
    AssetDigest {
        sha256: sha256_byte.to_string().repeat(64),
        size,
        content_type: content_type.to_owned(),
    }
}

fn asset_value(digest: &AssetDigest, text: Option<&str>) -> Value {
    let mut value = json!({
        "sha256": digest.sha256,
        "size": digest.size,
        "content_type": digest.content_type,
    });
    if let Some(text) = text {
        value["text"] = json!(text);
    }
    value
}

fn upload(step: u32, path: &str, file: &str, digest: AssetDigest) -> PlannedRequest {
    let mut request = request(step, "PUT", ApiVersion::V1, path);
    request
        .headers
        .insert("Content-Type".to_owned(), digest.content_type.clone());
    request.asset = Some(AssetUpload {
        path: file.to_owned(),
        digest,
    });
    request
}

const OLD_CSS: &str = "\
.ext-header {
  background: #ffffff;
}
.ext-footer {
  color: #333333;
}
";

const NEW_CSS: &str = "\
.ext-header {
  background: #0f6cbd;
}
.ext-footer {
  color: #333333;
}
.ext-sign-in-box {
  border-radius: 8px;
}
";

/// A plan with every action, kind and field operation, unsafe reasons, notes, a rotated
/// secret, a long text, CSS and image assets, a page input move, `{{N.id}}` placeholders and
/// unmanaged objects.
fn sample_plan() -> Plan {
    let mut attribute = change(1, Action::Create, Kind::Attribute, "Loyalty number");
    attribute.fields = vec![
        field("dataType", FieldOp::Add, None, Some(json!("string"))),
        field(
            "description",
            FieldOp::Add,
            None,
            Some(json!("Member number in the Woodgrove Rewards programme")),
        ),
    ];
    let mut post = request(1, "POST", ApiVersion::V1, "/identity/userFlowAttributes");
    post.body = Some(json!({"displayName": "Loyalty number", "dataType": "string"}));
    attribute.requests = vec![post];

    let mut google = change(2, Action::Create, Kind::IdentityProvider, "Google");
    google.fields = vec![
        field(
            "clientId",
            FieldOp::Add,
            None,
            Some(json!("1234-abcd.apps.googleusercontent.com")),
        ),
        field("clientSecret", FieldOp::Add, None, Some(json!(MASK))),
    ];
    let mut post = request(2, "POST", ApiVersion::V1, "/identity/identityProviders");
    post.body = Some(json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "displayName": "Google",
        "identityProviderType": "Google",
        "clientId": "1234-abcd.apps.googleusercontent.com",
        "clientSecret": MASK,
    }));
    post.secrets = vec![SecretSlot {
        pointer: "/clientSecret".to_owned(),
        source: "${env:GOOGLE_CLIENT_SECRET}".to_owned(),
    }];
    google.requests = vec![post];

    let mut facebook = change(3, Action::Update, Kind::IdentityProvider, "Facebook");
    facebook.live_id = Some("Facebook-OAUTH".to_owned());
    facebook.fingerprint = Some("f".repeat(64));
    facebook.fields = vec![field(
        "clientSecret",
        FieldOp::Rotate,
        Some(json!(MASK)),
        Some(json!(MASK)),
    )];
    let mut patch = request(
        3,
        "PATCH",
        ApiVersion::V1,
        "/identity/identityProviders/Facebook-OAUTH",
    );
    patch.body = Some(json!({
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "clientSecret": MASK,
    }));
    patch.secrets = vec![SecretSlot {
        pointer: "/clientSecret".to_owned(),
        source: "${file:secrets/facebook.txt}".to_owned(),
    }];
    facebook.requests = vec![patch];

    let flow_path = "/identity/authenticationEventsFlows/5e1c4b6a-0000-4000-8000-00000000f10w";
    let mut flow = change(4, Action::Update, Kind::UserFlow, "Woodgrove customers");
    flow.live_id = Some("5e1c4b6a-0000-4000-8000-00000000f10w".to_owned());
    flow.fingerprint = Some("a".repeat(64));
    flow.depends_on = vec![1, 2];
    flow.notes = vec![
        "the Facebook client secret is write-only and not compared; --rotate-secrets sends it \
         again"
            .to_owned(),
    ];
    flow.fields = vec![
        field(
            "description",
            FieldOp::Change,
            Some(json!("Customers")),
            Some(json!("Woodgrove Groceries customers")),
        ),
        field(
            "identityProviders",
            FieldOp::Add,
            None,
            Some(json!("Google")),
        ),
        field(
            "identityProviders",
            FieldOp::Remove,
            Some(json!("EmailOtpSignup-OAUTH")),
            None,
        ),
        field(
            "attributes",
            FieldOp::Add,
            None,
            Some(json!("Loyalty number")),
        ),
        field(
            "page.inputs[city]",
            FieldOp::Move,
            Some(json!(2)),
            Some(json!(0)),
        ),
        field(
            "page.inputs[city].label",
            FieldOp::Change,
            Some(json!("City")),
            Some(json!("Town or city")),
        ),
        field(
            "page.inputs[city].options",
            FieldOp::Change,
            Some(json!([{"name": "Seattle", "value": "sea"}])),
            Some(json!([{"name": "Seattle", "value": "sea"}, {"name": "Oslo", "value": "osl"}])),
        ),
    ];
    let link_path = format!(
        "{flow_path}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/$ref"
    );
    let mut link = request(4, "POST", ApiVersion::V1, &link_path);
    link.body = Some(json!({
        "@odata.id": "https://graph.microsoft.com/v1.0/identity/identityProviders/{{2.id}}"
    }));
    link.depends_on = vec![2];
    let mut collect = request(
        5,
        "POST",
        ApiVersion::V1,
        &format!(
            "{flow_path}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes/$ref"
        ),
    );
    collect.body = Some(json!({
        "@odata.id": "https://graph.microsoft.com/v1.0/identity/userFlowAttributes/{{1.id}}"
    }));
    collect.depends_on = vec![1];
    let mut page = request(6, "PATCH", ApiVersion::V1, flow_path);
    page.depends_on = vec![5];
    let unlink = request(
        7,
        "DELETE",
        ApiVersion::V1,
        &format!(
            "{flow_path}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders/EmailOtpSignup-OAUTH/$ref"
        ),
    );
    flow.requests = vec![link, collect, page, unlink];

    let old_css = digest('1', 71, "text/css");
    let new_css = digest('2', 110, "text/css");
    let old_logo = digest('3', 24_576, "image/png");
    let new_logo = digest('4', 31_848, "image/png");
    let mut branding = change(5, Action::Update, Kind::Branding, "default");
    branding.live_id = Some("0".to_owned());
    branding.fields = vec![
        field(
            "signInPageText",
            FieldOp::Change,
            Some(json!(
                "Welcome to Woodgrove.\nSign in with your email address."
            )),
            Some(json!(
                "Welcome to Woodgrove Groceries.\nSign in with your email address.\nNew here? Create an account in a minute."
            )),
        ),
        field(
            "assets.customCSS",
            FieldOp::Change,
            Some(asset_value(&old_css, Some(OLD_CSS))),
            Some(asset_value(&new_css, Some(NEW_CSS))),
        ),
        field(
            "assets.bannerLogo",
            FieldOp::Change,
            Some(asset_value(&old_logo, None)),
            Some(asset_value(&new_logo, None)),
        ),
    ];
    let branding_path = format!("/organization/{TENANT}/branding");
    let mut patch = request(8, "PATCH", ApiVersion::V1, &branding_path);
    patch
        .headers
        .insert("Accept-Language".to_owned(), "0".to_owned());
    branding.requests = vec![
        patch,
        upload(
            9,
            &format!("{branding_path}/localizations/0/customCSS"),
            "branding/custom.css",
            new_css,
        ),
        upload(
            10,
            &format!("{branding_path}/localizations/0/bannerLogo"),
            "branding/banner.png",
            new_logo.clone(),
        ),
    ];

    let french_logo = digest('5', 900, "image/png");
    let mut french = change(6, Action::Create, Kind::Localization, "fr-FR");
    french.depends_on = vec![5];
    french.fields = vec![
        field(
            "signInPageText",
            FieldOp::Add,
            None,
            Some(json!("Bienvenue chez Woodgrove.")),
        ),
        field(
            "assets.bannerLogo",
            FieldOp::Add,
            None,
            Some(asset_value(&french_logo, None)),
        ),
    ];
    let mut post = request(
        11,
        "POST",
        ApiVersion::V1,
        &format!("{branding_path}/localizations"),
    );
    post.body = Some(json!({"id": "fr-FR", "signInPageText": "Bienvenue chez Woodgrove."}));
    post.depends_on = vec![8];
    let mut logo = upload(
        12,
        // The localization's id is the one its creation returns.
        &format!("{branding_path}/localizations/{{{{11.id}}}}/bannerLogo"),
        "branding/fr-FR/banner.png",
        french_logo,
    );
    logo.depends_on = vec![11];
    french.requests = vec![post, logo];

    let mut legacy = change(7, Action::Delete, Kind::UserFlow, "Legacy partners");
    legacy.live_id = Some("9a8b7c6d-0000-4000-8000-0000000000aa".to_owned());
    legacy.fingerprint = Some("b".repeat(64));
    legacy.unsafe_reasons = vec![
        "the user flow still has 2 linked applications (\"Partner portal\", \"Partner API\"), \
         which lose their sign-in"
            .to_owned(),
        "the plan deletes 4 of the tenant's 10 user flows (40%), more than maxDeletePercent \
         (30%); check the configuration directory, or raise settings.maxDeletePercent"
            .to_owned(),
    ];
    legacy.requests = vec![request(
        13,
        "DELETE",
        ApiVersion::Beta,
        "/identity/authenticationEventsFlows/9a8b7c6d-0000-4000-8000-0000000000aa",
    )];

    let kinds = vec![
        kind_summary(Kind::Attribute, [1, 0, 0, 0]),
        kind_summary(Kind::IdentityProvider, [1, 1, 0, 1]),
        kind_summary(Kind::UserFlow, [0, 1, 1, 1]),
        kind_summary(Kind::Branding, [0, 1, 0, 0]),
        kind_summary(Kind::Localization, [1, 0, 0, 0]),
    ];
    Plan {
        format_version: ciamctl_plan::FORMAT_VERSION,
        ciamctl_version: "0.0.0".to_owned(),
        tenant_id: TENANT.to_owned(),
        environment: Some("production".to_owned()),
        config_digest: "c".repeat(64),
        options: PlanOptions {
            rotate_secrets: true,
        },
        summary: Summary {
            in_sync: false,
            create: 3,
            update: 3,
            delete: 1,
            unsafe_changes: 1,
            unmanaged: 2,
            kinds,
        },
        changes: vec![attribute, google, facebook, flow, branding, french, legacy],
        unmanaged: vec![
            ObjectRef {
                kind: Kind::IdentityProvider,
                name: "Contoso SAML".to_owned(),
                id: "d1e2f3a4-0000-4000-8000-000000000001".to_owned(),
            },
            ObjectRef {
                kind: Kind::UserFlow,
                name: "Partner pilot".to_owned(),
                id: "d1e2f3a4-0000-4000-8000-000000000002".to_owned(),
            },
        ],
        live: vec![LiveObject {
            kind: "userFlows".to_owned(),
            name: "Woodgrove customers".to_owned(),
            id: "5e1c4b6a-0000-4000-8000-00000000f10w".to_owned(),
            fingerprint: "a".repeat(64),
        }],
    }
}

fn kind_summary(kind: Kind, [create, update, delete, unmanaged]: [usize; 4]) -> KindSummary {
    KindSummary {
        kind,
        create,
        update,
        delete,
        unmanaged,
    }
}

/// A tenant that matches its configuration.
fn in_sync_plan() -> Plan {
    Plan {
        format_version: ciamctl_plan::FORMAT_VERSION,
        ciamctl_version: "0.0.0".to_owned(),
        tenant_id: TENANT.to_owned(),
        environment: None,
        config_digest: "c".repeat(64),
        options: PlanOptions::default(),
        summary: Summary {
            in_sync: true,
            ..Summary::default()
        },
        changes: Vec::new(),
        unmanaged: Vec::new(),
        live: Vec::new(),
    }
}

fn rendered(format: Format, plan: &Plan, options: &RenderOptions) -> String {
    let mut out = Vec::new();
    render(&mut out, format, plan, options).unwrap();
    String::from_utf8(out).unwrap()
}

fn plan_options() -> RenderOptions {
    RenderOptions::default()
}

fn drift_options() -> RenderOptions {
    RenderOptions {
        mode: Mode::Drift,
        ..RenderOptions::default()
    }
}

#[test]
fn text_lists_each_change_with_its_fields_diffs_and_requests_then_unmanaged_and_totals() {
    insta::assert_snapshot!(rendered(Format::Text, &sample_plan(), &plan_options()));
}

#[test]
fn text_of_an_in_sync_plan_says_there_are_no_changes() {
    insta::assert_snapshot!(rendered(Format::Text, &in_sync_plan(), &plan_options()));
}

#[test]
fn text_drift_report_words_changes_from_the_tenants_side() {
    insta::assert_snapshot!(rendered(Format::Text, &sample_plan(), &drift_options()));
}

#[test]
fn text_drift_report_of_an_in_sync_tenant_says_there_is_no_drift() {
    insta::assert_snapshot!(rendered(Format::Text, &in_sync_plan(), &drift_options()));
}

#[test]
fn markdown_has_a_summary_table_a_warning_and_one_collapsed_section_per_change() {
    insta::assert_snapshot!(rendered(Format::Markdown, &sample_plan(), &plan_options()));
}

#[test]
fn markdown_of_an_in_sync_plan_says_there_are_no_changes() {
    insta::assert_snapshot!(rendered(Format::Markdown, &in_sync_plan(), &plan_options()));
}

#[test]
fn markdown_drift_report_words_changes_from_the_tenants_side() {
    insta::assert_snapshot!(rendered(Format::Markdown, &sample_plan(), &drift_options()));
}

#[test]
fn json_is_the_plan_document_itself_and_reads_back_to_the_same_plan() {
    let plan = sample_plan();
    let json = rendered(Format::Json, &plan, &plan_options());
    assert!(json.ends_with("}\n"));
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
    // Colour and mode are for people: the document does not change with them.
    let colour_drift = RenderOptions {
        color: true,
        mode: Mode::Drift,
        ..RenderOptions::default()
    };
    assert_eq!(rendered(Format::Json, &plan, &colour_drift), json);
    insta::assert_snapshot!(json);
}

#[test]
fn json_of_an_in_sync_plan_is_a_document_with_no_changes() {
    insta::assert_snapshot!(rendered(Format::Json, &in_sync_plan(), &plan_options()));
}

#[test]
fn colour_emits_ansi_escapes_only_when_asked() {
    let mut plan = sample_plan();
    // Text from the configuration or the tenant cannot smuggle an escape in either.
    plan.changes[0].name = "Loyalty\u{1b}[2J number".to_owned();
    plan.changes[3]
        .notes
        .push("a note with \u{1b}]8;;x\u{7}".to_owned());
    plan.changes[4].fields[0].after = Some(json!("line one\n\u{1b}[31mline two"));
    plan.unmanaged[0].name = "Contoso\u{1b}[0m SAML".to_owned();
    for mode in [Mode::Plan, Mode::Drift] {
        let plain = RenderOptions {
            mode,
            ..RenderOptions::default()
        };
        let coloured = RenderOptions {
            color: true,
            mode,
            ..RenderOptions::default()
        };
        let text = rendered(Format::Text, &plan, &plain);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains(r#""Loyalty\u001b[2J number""#), "{text}");
        assert!(text.contains(r"a note with \u{1b}]8;;x\u{7}"), "{text}");
        let text = rendered(Format::Text, &plan, &coloured);
        let create = match mode {
            Mode::Plan => "\u{1b}[32m+ create\u{1b}[0m attribute",
            Mode::Drift => "\u{1b}[32m+\u{1b}[0m attribute",
        };
        assert!(text.contains(create), "{text}");
        assert!(
            text.contains("\u{1b}[31m"),
            "red for the delete and the unsafe change"
        );
        assert!(text.contains("\u{1b}[33m"), "yellow for updates");
        assert!(
            text.contains("\u{1b}[32m"),
            "green for creates and additions"
        );
        // Only the renderer's own styles: every escape is a colour, bold or reset.
        for escape in text.split('\u{1b}').skip(1) {
            assert!(escape.starts_with('['), "{escape:?}");
            let end = escape.find('m').unwrap();
            assert!(
                escape[1..end]
                    .split(';')
                    .all(|n| ["0", "1", "31", "32", "33"].contains(&n)),
                "{escape:?}"
            );
        }
    }
}

/// A plan with `n` changes, each with enough fields to give its section some size.
fn big_plan(n: u32) -> Plan {
    let mut plan = sample_plan();
    plan.changes = (1..=n)
        .map(|id| {
            let mut flow = change(id, Action::Create, Kind::UserFlow, &format!("Flow {id}"));
            flow.fields = (0..20)
                .map(|i| {
                    field(
                        &format!("page.inputs[f{i}]"),
                        FieldOp::Add,
                        None,
                        Some(json!(i)),
                    )
                })
                .collect();
            flow.requests = vec![request(
                id,
                "POST",
                ApiVersion::V1,
                "/identity/authenticationEventsFlows",
            )];
            flow
        })
        .collect();
    plan.summary.create = n as usize;
    plan
}

fn details(report: &str) -> usize {
    report.matches("<details>").count()
}

#[test]
fn markdown_over_the_limit_drops_whole_sections_and_says_how_many_changes_are_not_shown() {
    let plan = big_plan(40);
    let full = rendered(Format::Markdown, &plan, &plan_options());
    assert_eq!(details(&full), 41, "40 changes and the unmanaged list");

    // Exactly the full size fits; one byte less does not.
    let at = |limit| {
        rendered(
            Format::Markdown,
            &plan,
            &RenderOptions {
                markdown_limit: limit,
                ..RenderOptions::default()
            },
        )
    };
    assert_eq!(at(full.len()), full);
    let squeezed = at(full.len() - 1);
    assert!(squeezed.len() < full.len());
    assert_eq!(details(&squeezed), 40);
    assert!(squeezed.contains(
        "> [!NOTE]\n> The list of unmanaged objects is not shown, to keep this comment within \
         GitHub's size limit."
    ));

    for limit in [20_000, 12_345, 5_000] {
        let report = at(limit);
        assert!(report.len() <= limit, "{} > {limit}", report.len());
        let shown = details(&report);
        assert!(shown > 0 && shown < 40, "{shown} sections at {limit} bytes");
        assert!(
            report.contains(&format!(
                "> {} of 40 changes and the list of unmanaged objects are not shown",
                40 - shown
            )),
            "{report}"
        );
        assert!(report.contains("The full plan is in the job log"));
        // What is shown is the report's beginning, whole sections in plan order.
        let kept = report.rfind("</details>\n\n").unwrap() + "</details>\n\n".len();
        assert!(full.starts_with(&report[..kept]));
        // And no further section would have fitted with the note.
        let next = &full[kept..];
        let next_section = &next[..next.find("</details>\n\n").unwrap() + "</details>\n\n".len()];
        assert!(report.len() + next_section.len() > limit);
    }

    // A limit below the heading still holds.
    assert!(at(100).len() <= 100);
}

#[test]
fn markdown_keeps_its_summary_table_when_the_unsafe_changes_alone_would_exceed_the_limit() {
    let mut plan = big_plan(800);
    for change in &mut plan.changes {
        change.unsafe_reasons = vec![format!(
            "the plan deletes 800 of the tenant's 1000 user flows (80%), more than \
             maxDeletePercent (30%); check the configuration directory ({})",
            change.name
        )];
    }
    plan.summary.unsafe_changes = plan.changes.len();

    let report = rendered(Format::Markdown, &plan, &plan_options());

    assert!(report.len() <= DEFAULT_MARKDOWN_LIMIT, "{}", report.len());
    assert!(report.starts_with("### ciamctl plan\n"), "{report}");
    assert!(report.contains("| Kind | Create |"), "{report}");
    assert!(
        report.contains("(800 unsafe).**"),
        "the totals line: {report}"
    );
    assert!(
        report.contains(
            "> [!WARNING]\n> 800 unsafe changes, which `apply` refuses without \
             `--allow-unsafe` (too many to list here"
        ),
        "{report}"
    );
    assert!(details(&report) > 0, "some sections still fit");
    assert!(report.contains("of 800 changes and the list of unmanaged objects are not shown"));
}

#[test]
fn markdown_drift_report_points_to_the_full_report_when_truncated() {
    let report = rendered(
        Format::Markdown,
        &big_plan(40),
        &RenderOptions {
            mode: Mode::Drift,
            markdown_limit: 8_000,
            ..RenderOptions::default()
        },
    );
    assert!(report.len() <= 8_000);
    assert!(report.contains(
        "The full report is in the job log, and in JSON from `ciamctl drift --format json`."
    ));
}

#[test]
fn markdown_escapes_hostile_names_and_values() {
    let mut plan = sample_plan();
    plan.tenant_id = "t|<i>".to_owned();
    plan.changes[3].name =
        "<b>x</b> | @here `code` [link](https://example.com) *bold*\nrow".to_owned();
    plan.changes[3].notes = vec!["<img src=x onerror=alert(1)> | note".to_owned()];
    plan.changes[6].unsafe_reasons[0] = "flow \"<script>\" | still linked".to_owned();
    plan.changes[0].fields[1].after = Some(json!("closes the fence ```` early"));
    plan.unmanaged[0].name = "</details><details open>".to_owned();
    let report = rendered(Format::Markdown, &plan, &plan_options());

    for raw in [
        "<b>x",
        "<img",
        "<script>",
        "<i>",
        "[link]",
        "*bold*",
        "`code`",
        "</details><details open>",
    ] {
        assert!(!report.contains(raw), "`{raw}` is not escaped:\n{report}");
    }
    assert!(report.contains(
        "<code>&#60;b&#62;x&#60;/b&#62; &#124; &#64;here &#96;code&#96; &#91;link&#93;(https&#58;//example.com) &#42;bold&#42;&#92;u&#123;a&#125;row</code>"
    ), "{report}");
    // Every table row still has its six cell borders.
    for row in report.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(row.matches('|').count(), 6, "{row}");
    }
    // The value's four backticks cannot close the five-backtick fence around them.
    assert!(report.contains("`````diff\n+dataType: \"string\"\n+description: \"closes the fence ```` early\"\n`````\n"), "{report}");
    // Sections still pair up.
    assert_eq!(
        report.matches("<details>").count(),
        report.matches("</details>").count()
    );
}

#[test]
fn drift_report_of_a_tenant_with_only_unmanaged_objects_does_not_say_it_matches_git() {
    let mut plan = in_sync_plan();
    plan.unmanaged = sample_plan().unmanaged;
    plan.summary.unmanaged = plan.unmanaged.len();
    assert_eq!(plan.unmanaged.len(), 2, "the sample's unmanaged objects");

    for format in [Format::Text, Format::Markdown] {
        let report = rendered(format, &plan, &drift_options());
        assert!(!report.contains("matches Git"), "{report}");
        assert!(
            report
                .contains("No drift in what Git manages; 2 objects in the tenant are not in Git."),
            "{report}"
        );
    }
    plan.unmanaged.truncate(1);
    plan.summary.unmanaged = 1;
    let report = rendered(Format::Text, &plan, &drift_options());
    assert!(
        report.contains("No drift in what Git manages; 1 object in the tenant is not in Git."),
        "{report}"
    );
}

/// What GitHub's mention and issue-reference filters read in a report: its text outside
/// `<code>` and fenced blocks, numeric character references decoded.
fn text_github_links_in(report: &str) -> String {
    let mut outside = String::new();
    let mut in_fence = false;
    for line in report.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
        } else if !in_fence {
            let mut rest = line;
            while let Some(start) = rest.find("<code>") {
                outside.push_str(&rest[..start]);
                rest = rest[start..]
                    .split_once("</code>")
                    .map_or("", |(_, after)| after);
            }
            outside.push_str(rest);
            outside.push('\n');
        }
    }
    let mut decoded = String::new();
    let mut rest = outside.as_str();
    while let Some(start) = rest.find("&#") {
        decoded.push_str(&rest[..start]);
        let (number, after) = rest[start + 2..].split_once(';').unwrap();
        decoded.push(char::from_u32(number.parse().unwrap()).unwrap());
        rest = after;
    }
    decoded.push_str(rest);
    decoded
}

#[test]
fn markdown_reasons_and_notes_quoting_names_mention_no_one_and_link_no_issue() {
    let mut plan = sample_plan();
    let name = "@woodgrove/admins #12 octo/repo#3";
    plan.changes[3].name = name.to_owned();
    plan.changes[3].notes = vec![format!("the flow \"{name}\" keeps its secret")];
    plan.changes[6].unsafe_reasons[0] = format!("the user flow \"{name}\" still uses it");

    for mode in [plan_options(), drift_options()] {
        let report = rendered(Format::Markdown, &plan, &mode);
        let read = text_github_links_in(&report);

        assert!(read.contains("the user flow"), "{read}");
        for (at, c) in read.char_indices().filter(|(_, c)| matches!(c, '@' | '#')) {
            let next = read[at + c.len_utf8()..].chars().next().unwrap_or(' ');
            assert!(
                !next.is_ascii_alphanumeric(),
                "GitHub would link `{c}{next}…` in:\n{read}"
            );
        }
        // The name still reads as written, and as written in `<code>`.
        assert!(
            read.contains("@\u{200b}woodgrove/admins #\u{200b}12 octo/repo#\u{200b}3"),
            "{read}"
        );
        assert!(
            report.contains("<code>&#64;woodgrove/admins &#35;12 octo/repo&#35;3</code>"),
            "{report}"
        );
    }
}

#[test]
fn sizes_are_bytes_below_a_kibibyte_then_kibibytes_and_mebibytes_to_a_tenth() {
    use crate::field::human_size;
    assert_eq!(human_size(0), "0 B");
    assert_eq!(human_size(1023), "1023 B");
    assert_eq!(human_size(1024), "1.0 KiB");
    assert_eq!(human_size(31_848), "31.1 KiB");
    assert_eq!(human_size(3 * 1024 * 1024 / 2), "1.5 MiB");
}

#[test]
fn one_unmanaged_object_is_worded_in_the_singular() {
    let plan = crate::words::unmanaged_heading(Mode::Plan, 1);
    assert!(plan.starts_with("1 unmanaged object ("), "{plan}");
    assert!(plan.contains("because its kind is not"), "{plan}");
    let drift = crate::words::unmanaged_heading(Mode::Drift, 1);
    assert!(
        drift.contains("its kind is not in settings.prune, so apply leaves it alone"),
        "{drift}"
    );
}
