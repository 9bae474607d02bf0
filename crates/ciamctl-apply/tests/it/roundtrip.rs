//! Plans applied to the emulator leave a tenant that plans in sync.
//!
//! Each test plans a configuration against the emulator's tenant as `ciamctl-tenant` reads it,
//! applies the plan with the applier (a test value for every secret), reads the tenant again
//! and plans again: the second plan must be empty. So every value the planner
//! writes is one Graph stores in a form the next plan reads as in sync (no perpetual drift),
//! and Graph accepts the requests in the order the plan gives them.

use ciamctl_apply::{Options, Silent};
use ciamctl_plan::{Action, FieldOp, Kind, PlanOptions};

use crate::support::{SECRET, Tenant, load, woodgrove};

/// Woodgrove reshaped: every kind changes, inputs move, applications rotate between the flows
/// (one into a new flow), providers are swapped, and what the files drop is pruned.
const RESHAPED: &str = r##"
attributes:
  - name: LoyaltyNumber
    description: Loyalty card number, eight digits
    dataType: string
  - name: Newsletter
    dataType: boolean
  - name: ShoeSize
    description: For a better fit
    dataType: int64

identityProviders:
  - name: Google
    type: google
    clientId: ${GOOGLE_CLIENT_ID}
    clientSecret: ${env:GOOGLE_CLIENT_SECRET}
  - name: Contoso
    type: oidc
    clientId: contoso-client
    issuer: https://login.contoso.example/v2.0/
    wellKnownEndpoint: https://login.contoso.example/v2.0/.well-known/openid-configuration
    scope: openid profile email
    clientAuthentication:
      type: clientSecret
      clientSecret: ${env:CONTOSO_SECRET}
    inboundClaimMapping:
      sub: sub
      email: email

userFlows:
  - name: Woodgrove customers
    description: Sign-up and sign-in for the shop
    priority: 100
    identityProviders: [EmailOtp, Contoso]
    applications: [Woodgrove Partner Portal]
    onAttributeCollectionSubmit:
      extension: Validate
      timeoutInMilliseconds: 2000
      maximumRetries: 1
    page:
      title: Join Woodgrove
      description: It takes a minute
      inputs:
        - attribute: country
          label: Country
          inputType: radioSingleSelect
          options:
            - { label: Netherlands, value: NL }
            - { label: Belgium, value: BE }
            - { label: Germany, value: DE }
        - attribute: email
        - attribute: displayName
          label: Full name
          required: true
        - attribute: LoyaltyNumber
          label: Loyalty card number
          validationRegEx: "^[0-9]{8}$"
        - attribute: Newsletter
          label: Newsletter
  - name: Woodgrove partners
    signUp: false
    userType: guest
    identityProviders: [EmailOtp]
    applications: ["f4b8c1e3-5a6d-4e9f-8b1c-3d4e5f607182"]
    page:
      inputs:
        - attribute: ShoeSize
  - name: Woodgrove mobile
    description: The app
    includeAllApplications: false
    identityProviders: [EmailPassword, Google]
    applications: ["${WEB_APP_ID}"]
    page:
      title: Almost there
      inputs:
        - attribute: Newsletter
        - attribute: city
          hidden: false

branding:
  backgroundColor: "#FFFFFF"
  signInPageText: Welcome back
  loginPageLayoutConfiguration: { layoutTemplateType: default, isHeaderShown: false }
  assets:
    bannerLogo: assets/banner-fr.png
    favicon: assets/favicon.ico
  localizations:
    fr-FR:
      signInPageText: Bon retour
    de-DE:
      signInPageText: Willkommen
      assets:
        bannerLogo: assets/banner.png

settings:
  prune: [localizations, attributes, identityProviders, userFlows]
"##;

#[tokio::test]
async fn woodgrove_applied_to_a_new_tenant_then_plans_in_sync() {
    let tenant = Tenant::start().await;
    let dir = tempfile::tempdir().unwrap();
    let plan = tenant.converge(&load(dir.path(), None)).await;
    assert!(plan.changes.iter().all(|c| c.action == Action::Create));
    assert_eq!(plan.summary.create, 8, "{:#?}", plan.summary);
}

#[tokio::test]
async fn a_reshaped_woodgrove_and_back_each_apply_to_a_tenant_that_plans_in_sync() {
    let tenant = Tenant::start().await;
    tenant.add_extension().await;
    let first = tempfile::tempdir().unwrap();
    tenant.converge(&load(first.path(), None)).await;

    let second = tempfile::tempdir().unwrap();
    let reshaped = tenant.converge(&load(second.path(), Some(RESHAPED))).await;
    let has = |kind: Kind, action: Action| {
        reshaped
            .changes
            .iter()
            .any(|c| c.kind == kind && c.action == action)
    };
    assert!(has(Kind::Attribute, Action::Delete) && has(Kind::Attribute, Action::Create));
    assert!(has(Kind::UserFlow, Action::Create) && has(Kind::UserFlow, Action::Update));
    assert!(has(Kind::Localization, Action::Delete) && has(Kind::Localization, Action::Create));
    assert!(has(Kind::IdentityProvider, Action::Create));
    assert!(
        reshaped
            .changes
            .iter()
            .flat_map(|c| &c.fields)
            .any(|f| f.op == FieldOp::Move)
    );

    // Back to woodgrove, pruning everything the reshaped files added.
    let back = std::fs::read_to_string(woodgrove().join("tenant.yaml"))
        .unwrap()
        .replace(
            "prune: [localizations]",
            "prune: [localizations, attributes, identityProviders, userFlows]",
        );
    let third = tempfile::tempdir().unwrap();
    let restored = tenant.converge(&load(third.path(), Some(&back))).await;
    assert!(
        restored
            .changes
            .iter()
            .any(|c| c.kind == Kind::UserFlow && c.action == Action::Delete)
    );
    assert!(
        restored
            .changes
            .iter()
            .any(|c| c.kind == Kind::IdentityProvider && c.action == Action::Delete)
    );

    // No branding at all: its streams and localizations go first, then the branding.
    let (before, after) = back.split_once("branding:").unwrap();
    let (_, settings) = after.split_once("settings:").unwrap();
    let unbranded = format!("{before}settings:{settings}")
        .replace("prune: [localizations,", "prune: [branding, localizations,");
    let fourth = tempfile::tempdir().unwrap();
    let unbranded = tenant
        .converge(&load(fourth.path(), Some(&unbranded)))
        .await;
    assert!(
        unbranded
            .changes
            .iter()
            .any(|c| c.kind == Kind::Branding && c.action == Action::Delete)
    );
}

#[tokio::test]
async fn rotated_secrets_are_sent_to_their_slots_and_leave_nothing_to_plan() {
    let tenant = Tenant::start().await;
    tenant.add_extension().await;
    let dir = tempfile::tempdir().unwrap();
    let config = load(dir.path(), Some(RESHAPED));
    tenant.converge(&config).await;

    let rotate = tenant
        .plan_with(
            &config,
            PlanOptions {
                rotate_secrets: true,
            },
        )
        .await;
    let mut slots: Vec<(&str, &str, &str)> = rotate
        .changes
        .iter()
        .flat_map(|c| {
            c.requests.iter().flat_map(move |r| {
                r.secrets
                    .iter()
                    .map(move |s| (c.name.as_str(), s.pointer.as_str(), s.source.as_str()))
            })
        })
        .collect();
    slots.sort_unstable();
    assert_eq!(
        slots,
        [
            (
                "Contoso",
                "/clientAuthentication/clientSecret",
                "${env:CONTOSO_SECRET}"
            ),
            ("Google", "/clientSecret", "${env:GOOGLE_CLIENT_SECRET}"),
        ]
    );
    assert!(
        rotate
            .changes
            .iter()
            .all(|c| c.fields.iter().all(|f| f.op == FieldOp::Rotate))
    );
    let report = tenant
        .apply_with_secret(&rotate, &config, &Options::default(), "a-rotated-secret")
        .await;
    assert!(report.is_success(), "{report:#?}");
    let stored = serde_json::to_string(&tenant.emulator.tenant().identity_providers).unwrap();
    assert_eq!(stored.matches("a-rotated-secret").count(), 2, "{stored}");
    assert!(!stored.contains(SECRET), "{stored}");
    let again = tenant.plan(&config).await;
    assert!(again.changes.is_empty(), "{:#?}", again.changes);
}

#[tokio::test]
async fn the_emulator_refuses_the_plans_requests_in_the_wrong_order() {
    // The planner's order is what makes the scenarios converge: run backwards, with no
    // dependency left to hold a step back, the same requests are refused by the emulator
    // (a flow that offers a provider or collects an attribute not created yet).
    let tenant = Tenant::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = load(dir.path(), None);
    let mut plan = tenant.plan(&config).await;
    let last = plan
        .changes
        .iter()
        .flat_map(|c| &c.requests)
        .map(|r| r.step)
        .max()
        .unwrap();
    for change in &mut plan.changes {
        change.depends_on.clear();
        for request in &mut change.requests {
            request.step = last + 1 - request.step;
            request.depends_on.clear();
        }
    }
    let env = |_: &str| Some(SECRET.to_owned());
    let prepared =
        ciamctl_apply::prepare(&plan, &config.root, tenant.client.endpoints().graph(), &env)
            .unwrap();
    let report = ciamctl_apply::apply(
        &tenant.client,
        &plan,
        prepared,
        &Options::default(),
        &Silent,
    )
    .await;
    let failed: Vec<String> = report
        .changes
        .iter()
        .filter(|c| matches!(c.result, ciamctl_apply::ChangeResult::Failed(_)))
        .map(|c| format!("{} {}", c.kind, c.name))
        .collect();
    assert!(
        failed.iter().any(|f| f.starts_with("userFlow ")),
        "a flow created before what it uses was accepted: {report:#?}"
    );
}
