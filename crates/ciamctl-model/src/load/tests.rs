//! Loading whole configuration directories: every diagnostic code at its exact position, the
//! example tenants, environments and variables, duplicates across files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Loaded, load_with};
use crate::assets::Stream;
use crate::diagnostic::Diagnostic;
use crate::fixture;

/// The process environment the tests see: fixed, so they never depend on the machine's.
fn process_env(name: &str) -> Option<String> {
    match name {
        "GOOGLE_CLIENT_SECRET" => Some("from-the-process".to_owned()),
        "REGION" => Some("eu".to_owned()),
        _ => None,
    }
}

/// Loads `fixture` (see `crate::fixture`) with `--env env`.
fn load_fixture(fixture: &str, env: Option<&str>) -> (tempfile::TempDir, Loaded) {
    let dir = tempfile::tempdir().unwrap();
    fixture::write(dir.path(), fixture);
    let loaded = load_with(dir.path(), env, &process_env);
    (dir, loaded)
}

/// The diagnostics of loading `fixture`, one block per diagnostic:
/// `path:line:column severity code: message`, then its label, related locations and help.
#[track_caller]
fn check(fixture: &str, env: Option<&str>) -> String {
    let (_dir, loaded) = load_fixture(fixture, env);
    render(&loaded)
}

fn render(loaded: &Loaded) -> String {
    let mut out = String::new();
    for diagnostic in &loaded.diagnostics {
        render_one(&mut out, loaded, diagnostic);
    }
    out
}

fn render_one(out: &mut String, loaded: &Loaded, d: &Diagnostic) {
    let at = |span: crate::diagnostic::Span| {
        let p = loaded.sources.position(span.file, span.start);
        format!("{}:{}:{}", p.path.display(), p.line, p.column)
    };
    let severity = format!("{:?}", d.severity).to_lowercase();
    let location = d.span.map_or_else(|| "-".to_owned(), at);
    writeln!(out, "{location} {severity} {}: {}", d.code, d.message).unwrap();
    if let Some(label) = &d.label {
        writeln!(out, "  label: {label}").unwrap();
    }
    for related in &d.related {
        writeln!(out, "  related: {} {}", at(related.span), related.message).unwrap();
    }
    if let Some(help) = &d.help {
        writeln!(out, "  help: {help}").unwrap();
    }
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config-examples")
}

#[test]
fn woodgrove_example_loads_without_diagnostics_with_and_without_env() {
    let dir = examples_dir().join("woodgrove");
    let with_env = load_with(&dir, Some("dev"), &process_env);
    assert_eq!(render(&with_env), "");
    let config = with_env.config().unwrap();
    assert_eq!(config.environment().unwrap().name, "dev");
    assert_eq!(config.user_flows.len(), 2);
    assert_eq!(
        *config.user_flows[0].applications[0],
        "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60"
    );

    let without_env = load_with(&dir, None, &process_env);
    assert_eq!(render(&without_env), "");
    assert_eq!(without_env.configs().len(), 1);
}

#[test]
fn yaml_syntax_error_points_at_the_parser_position() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        attributes:
          - name: A
            dataType: [string
        userFlows: []
        ",
        None,
    ), @r"
    tenant.yaml:4:10 error yaml-syntax: invalid YAML: illegal placement of ':' indicator
      help: fix the YAML syntax here: check the indentation, and quote values that start with `{`, `[`, `*`, `&`, `!`, `|`, `>`, `%`, `@` or a backtick, or that contain `: ` or ` #`
    ");
}

#[test]
fn duplicate_key_points_at_the_second_key_and_the_first() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        attributes:
          - name: A
            dataType: string
            name: B
        ",
        None,
    ), @r"
    tenant.yaml:4:5 error duplicate-key: the key `name` appears twice in the same mapping
      label: duplicate key
      related: tenant.yaml:2:5 first defined here
      help: remove one of the two entries or merge them
    ");
}

#[test]
fn second_document_in_a_file_is_an_error() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        attributes: []
        ---
        userFlows: []
        ",
        None,
    ), @r"
    tenant.yaml:2:1 error multiple-documents: a configuration file holds one YAML document
      label: a second document starts here
      help: move the second document into a file of its own
    ");
}

#[test]
fn several_unknown_keys_in_one_file_are_all_reported_with_suggestions() {
    insta::assert_snapshot!(check(
        r"
        //- flows.yaml
        userFlow:
          - name: A
        userFlows:
          - name: Sign in
            sigUp: false
            identityProvider: [EmailPassword]
            page:
              tittle: Hello
              inputs:
                - attribute: email
                  requird: true
                  colour: red
        ",
        None,
    ), @r"
    flows.yaml:1:1 error unknown-key: unknown section `userFlow`
      label: did you mean `userFlows`?
      help: rename it to `userFlows`; the sections are `attributes`, `identityProviders`, `userFlows`, `branding` and `settings`
    flows.yaml:5:5 error unknown-key: unknown key `sigUp` in a user flow
      label: did you mean `signUp`?
      help: rename it to `signUp`; the keys of a user flow are `name`, `description`, `signUp`, `userType`, `identityProviders`, `applications`, `includeAllApplications`, `priority`, `page`, `onAttributeCollectionStart` and `onAttributeCollectionSubmit`
    flows.yaml:6:5 error unknown-key: unknown key `identityProvider` in a user flow
      label: did you mean `identityProviders`?
      help: rename it to `identityProviders`; the keys of a user flow are `name`, `description`, `signUp`, `userType`, `identityProviders`, `applications`, `includeAllApplications`, `priority`, `page`, `onAttributeCollectionStart` and `onAttributeCollectionSubmit`
    flows.yaml:8:7 error unknown-key: unknown key `tittle` in a page
      label: did you mean `title`?
      help: rename it to `title`; the keys of a page are `title`, `description` and `inputs`
    flows.yaml:11:11 error unknown-key: unknown key `requird` in a page input
      label: did you mean `required`?
      help: rename it to `required`; the keys of a page input are `attribute`, `label`, `inputType`, `required`, `hidden`, `editable`, `writeToDirectory`, `validationRegEx`, `defaultValue` and `options`
    flows.yaml:12:11 error unknown-key: unknown key `colour` in a page input
      label: unknown key
      help: remove it; the keys of a page input are `attribute`, `label`, `inputType`, `required`, `hidden`, `editable`, `writeToDirectory`, `validationRegEx`, `defaultValue` and `options`
    ");
}

#[test]
fn wrong_types_missing_fields_and_unknown_variants_are_reported_at_their_values() {
    insta::assert_snapshot!(check(
        r#"
        //- tenant.yaml
        attributes:
          - name: Loyalty
            dataType: strng
          - name: [not, text]
            dataType: string
          - description: no name
            dataType: int64
        userFlows:
          - name: Shop
            signUp: "true"
            priority: 1.5
            userType: Member
            identityProviders: EmailPassword
        settings:
          maxDeletePercent: 300
        "#,
        None,
    ), @r"
    tenant.yaml:3:15 error unknown-variant: `strng` is not a valid data type
      label: did you mean `string`?
      help: use one of `string`, `boolean` or `int64`
    tenant.yaml:4:11 error invalid-type: expected a string, found a list
      help: write a single text value
    tenant.yaml:6:5 error missing-field: this attribute is missing the required key `name`
      label: `name` is missing here
      help: add `name: …` to this attribute
    tenant.yaml:10:13 error invalid-type: expected `true` or `false`, found a quoted string
      help: remove the quotes: a quoted value is a string
    tenant.yaml:11:15 error invalid-type: expected a whole number, found `1.5`
      help: write a whole number such as `30`
    tenant.yaml:12:15 error unknown-variant: `Member` is not a valid user type
      label: did you mean `member`?
      help: use one of `member` or `guest`
    tenant.yaml:13:24 error invalid-type: expected a list, found `EmailPassword`
      help: write a list: one `- item` per line, or `[a, b]`
    tenant.yaml:15:21 error invalid-value: `maxDeletePercent` is 300, more than 100
      help: use a percentage from 0 to 100
    ");
}

#[test]
fn one_bad_object_does_not_hide_problems_in_the_others() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        userFlows:
          - name: First
            signUp: maybe
            page:
              inputs:
                - attribute: city
                  hidden: nope
                - label: no attribute
          - name: Second
            userType: owner
        identityProviders:
          - name: Google
            type: gogle
            clientId: x
        ",
        None,
    ), @r"
    tenant.yaml:3:13 error invalid-type: expected `true` or `false`, found `maybe`
      help: YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` or `off`)
    tenant.yaml:7:19 error invalid-type: expected `true` or `false`, found `nope`
      help: YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` or `off`)
    tenant.yaml:8:11 error missing-field: this page input is missing the required key `attribute`
      label: `attribute` is missing here
      help: add `attribute: …` to this page input
    tenant.yaml:10:15 error unknown-variant: `owner` is not a valid user type
      help: use one of `member` or `guest`
    tenant.yaml:13:11 error unknown-variant: `gogle` is not a valid identity provider type
      label: did you mean `google`?
      help: use one of `google`, `facebook` or `oidc`
    ");
}

#[test]
fn plain_scalars_are_typed_by_their_field_so_no_is_a_string() {
    let (_dir, loaded) = load_fixture(
        r#"
        //- tenant.yaml
        attributes:
          - name: NO
            description: yes
            dataType: string
          - name: 0755
            description: 1.10
            dataType: boolean
          - name: "true"
            description: null
            dataType: int64
        userFlows:
          - name: off
            signUp: false
            priority: -3
            page:
              inputs:
                - attribute: country
                  options:
                    - { label: Norway, value: NO }
                    - { label: On, value: on }
        "#,
        None,
    );
    assert_eq!(render(&loaded), "");
    let config = loaded.config().unwrap();
    let names: Vec<&str> = config.attributes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["NO", "0755", "true"]);
    let descriptions: Vec<Option<&str>> = config
        .attributes
        .iter()
        .map(|a| a.description.as_deref().map(String::as_str))
        .collect();
    assert_eq!(descriptions, [Some("yes"), Some("1.10"), None]);
    let flow = &config.user_flows[0];
    assert_eq!(*flow.name, "off");
    assert!(!flow.sign_up());
    assert_eq!(flow.priority.as_deref(), Some(&-3));
    let page = flow.page.as_ref().unwrap();
    let values: Vec<&str> = page.inputs[0]
        .options
        .iter()
        .map(|o| o.value.as_str())
        .collect();
    assert_eq!(values, ["NO", "on"]);
}

#[test]
fn booleans_accept_only_true_and_false() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        userFlows:
          - name: A
            signUp: yes
          - name: B
            signUp: True
          - name: C
            signUp: 1
          - name: D
            signUp: 'false'
        ",
        None,
    ), @r"
    tenant.yaml:3:13 error invalid-type: expected `true` or `false`, found `yes`
      help: YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` or `off`)
    tenant.yaml:5:13 error invalid-type: expected `true` or `false`, found `True`
      help: YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` or `off`)
    tenant.yaml:7:13 error invalid-type: expected `true` or `false`, found `1`
      help: YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` or `off`)
    tenant.yaml:9:13 error invalid-type: expected `true` or `false`, found a quoted string
      help: remove the quotes: a quoted value is a string
    ");
}

#[test]
fn anchors_and_aliases_resolve() {
    let (_dir, loaded) = load_fixture(
        r"
        //- tenant.yaml
        userFlows:
          - name: Customers
            identityProviders: &idps [EmailPassword, EmailOtp]
            page: &page
              title: Welcome
              inputs:
                - attribute: email
          - name: Partners
            identityProviders: *idps
            page: *page
        ",
        None,
    );
    assert_eq!(render(&loaded), "");
    let flows = &loaded.config().unwrap().user_flows;
    assert_eq!(flows[0].identity_providers, flows[1].identity_providers);
    assert_eq!(flows[0].page, flows[1].page);
    assert_eq!(
        flows[1].page.as_ref().unwrap().title.as_deref().unwrap(),
        "Welcome"
    );
}

#[test]
fn a_problem_inside_an_aliased_value_is_reported_once_where_it_is_written() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        userFlows:
          - name: A
            page: &page
              inputs:
                - attribute: email
                  required: yes
          - name: B
            page: *page
        ",
        None,
    ), @r"
    tenant.yaml:6:21 error invalid-type: expected `true` or `false`, found `yes`
      help: YAML 1.2 booleans are only `true` and `false` (not `yes`, `no`, `on` or `off`)
    ");
}

const DEV: &str = "
    //- environments/dev.yaml
    tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90
    variables:
      APP_ID: d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60
      SUFFIX: dev
";

const PROD: &str = "
    //- environments/prod.yaml
    tenantId: 7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f
    variables:
      APP_ID: 11111111-2222-4333-8444-555555555555
";

#[test]
fn interpolation_takes_variables_process_environment_and_files() {
    let fixture = format!(
        r#"
        //- tenant.yaml
        userFlows:
          - name: Shop ${{SUFFIX}}
            description: "region ${{env:REGION}}, file ${{file:texts/description.txt}}, literal $${{SUFFIX}}"
            applications: ["${{APP_ID}}"]
        //- texts/description.txt
          from a file  
        {DEV}"#
    );
    let (_dir, loaded) = load_fixture(&fixture, Some("dev"));
    assert_eq!(render(&loaded), "");
    let flow = &loaded.config().unwrap().user_flows[0];
    assert_eq!(*flow.name, "Shop dev");
    assert_eq!(
        flow.description.as_deref().unwrap(),
        "region eu, file from a file, literal ${SUFFIX}"
    );
    assert_eq!(
        *flow.applications[0],
        "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60"
    );
}

#[test]
fn unresolved_references_are_reported_at_their_exact_column() {
    let fixture = format!(
        r#"
        //- tenant.yaml
        userFlows:
          - name: Shop ${{SUFIX}}
            description: "set ${{env:NOT_SET}} and ${{file:missing.txt}}"
            applications: ['${{APP_ID}}', "x ${{file:../outside.txt}}", "${{unclosed", "${{not valid}}"]
        {DEV}"#
    );
    insta::assert_snapshot!(check(&fixture, Some("dev")), @r"
    tenant.yaml:2:16 error unresolved-variable: the variable `SUFIX` is not defined in the environment `dev`
      label: did you mean `SUFFIX`?
      help: add `SUFIX: …` under `variables` in `environments/dev.yaml`, or write `$${SUFIX}` for a literal `${SUFIX}`
    tenant.yaml:3:23 error unresolved-variable: the environment variable `NOT_SET` is not set
      label: not set
      help: set `NOT_SET` where ciamctl runs, or define a variable in the environment file and write `${NOT_SET}`
    tenant.yaml:3:42 error unresolved-variable: the file `missing.txt` does not exist
      help: create the file or correct the path; it is relative to the configuration directory
    tenant.yaml:4:36 error file-outside-config: `../outside.txt` is outside the configuration directory
      help: `${file:PATH}` reads files inside the configuration directory only; move the file there and use a relative path
    tenant.yaml:4:62 error invalid-interpolation: `${` is not closed by `}`
      help: write `${NAME}` for a variable of the environment file, `${env:NAME}` for a process environment variable or `${file:PATH}` for a file's content; write `$${` for a literal `${`
    tenant.yaml:4:76 error invalid-interpolation: `${not valid}` is not a valid reference
      help: write `${NAME}` for a variable of the environment file, `${env:NAME}` for a process environment variable or `${file:PATH}` for a file's content; write `$${` for a literal `${`
    ");
}

#[test]
fn without_env_every_environment_is_checked_and_the_ones_lacking_a_variable_are_named() {
    let fixture = format!(
        r#"
        //- tenant.yaml
        userFlows:
          - name: Shop ${{SUFFIX}}
            applications: ["${{APP_ID}}", "${{WEB_ID}}"]
        {DEV}{PROD}"#
    );
    insta::assert_snapshot!(check(&fixture, None), @r"
    tenant.yaml:2:16 error unresolved-variable: the variable `SUFFIX` is not defined in the environment `prod`
      label: not defined in `prod`
      help: add `SUFFIX: …` under `variables` in `environments/prod.yaml`, or write `$${SUFFIX}` for a literal `${SUFFIX}`
    tenant.yaml:3:34 error unresolved-variable: the variable `WEB_ID` is not defined in the environments `dev` and `prod`
      label: not defined in every environment
      help: add `WEB_ID: …` under `variables` in `environments/dev.yaml` and `environments/prod.yaml`, or write `$${WEB_ID}` for a literal `${WEB_ID}`
    ");
    let (_dir, loaded) = load_fixture(
        &fixture
            .replace("${WEB_ID}", "${APP_ID}")
            .replace("Shop ${SUFFIX}", "Shop"),
        None,
    );
    assert_eq!(render(&loaded), "");
    let apps: Vec<&str> = loaded
        .configs()
        .iter()
        .map(|c| c.user_flows[0].applications[0].as_str())
        .collect();
    assert_eq!(
        apps,
        [
            "d2f6a9c1-3e4b-4c7d-8f9a-1b2c3d4e5f60",
            "11111111-2222-4333-8444-555555555555"
        ]
    );
}

#[test]
fn without_environment_files_a_variable_is_unresolved() {
    insta::assert_snapshot!(check(
        r#"
        //- tenant.yaml
        userFlows:
          - name: Shop
            applications: ["${APP_ID}"]
        "#,
        None,
    ), @r"
    tenant.yaml:3:21 error unresolved-variable: the variable `APP_ID` is not defined: there are no environment files
      label: not defined
      help: create `environments/<name>.yaml` with `tenantId` and `variables: { APP_ID: … }`, or write `$${APP_ID}` for a literal `${APP_ID}`
    ");
}

#[test]
fn an_unknown_environment_lists_the_available_ones() {
    let fixture = format!("//- tenant.yaml\nuserFlows: []\n{DEV}{PROD}");
    insta::assert_snapshot!(check(&fixture, Some("prd")), @r"
    - error unknown-environment: there is no environment `prd`
      help: did you mean `prod`? the environments are `dev` and `prod`
    ");
    insta::assert_snapshot!(check("//- tenant.yaml\nuserFlows: []\n", Some("dev")), @r"
    - error unknown-environment: there is no environment `dev`
      help: there are no environment files; create `environments/dev.yaml` with the tenant's `tenantId` and its `variables`
    ");
}

#[test]
fn environment_files_are_checked() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        userFlows: []
        //- environments/dev.yaml
        tenantId: not-a-guid
        variables:
          GOOD_NAME: ok
          bad-name: x
          NESTED: { a: b }
        region: eu
        //- environments/test.yml
        variables: {}
        ",
        None,
    ), @r"
    environments/dev.yaml:1:11 error invalid-value: `tenantId` must be a GUID
      help: use the tenant (directory) id, such as `3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90`; the admin center shows it on the tenant overview
    environments/dev.yaml:4:3 error invalid-value: `bad-name` is not a valid variable name
      help: use letters, digits and `_`, not starting with a digit, such as `WEB_APP_ID`
    environments/dev.yaml:5:11 error invalid-type: expected a string, found a mapping
      help: write a single text value
    environments/dev.yaml:6:1 error unknown-key: unknown key `region` in an environment file
      label: unknown key
      help: remove it; the keys of an environment file are `tenantId` and `variables`
    environments/test.yml:1:1 error missing-field: this environment file is missing the required key `tenantId`
      label: `tenantId` is missing here
      help: add `tenantId: …` to this environment file
    ");
}

#[test]
fn objects_defined_twice_across_files_name_both_places() {
    insta::assert_snapshot!(check(
        r"
        //- a.yaml
        attributes:
          - { name: Loyalty, dataType: string }
        userFlows:
          - name: Shop
        branding:
          signInPageText: Hello
          localizations:
            fr-FR: { signInPageText: Bonjour }
            fr-fr: { signInPageText: Salut }
        settings:
          prune: [localizations, localizations]
        //- b/b.yaml
        attributes:
          - { name: loyalty, dataType: string }
        userFlows:
          - name: Shop
        branding:
          signInPageText: Again
        settings: {}
        ",
        None,
    ), @r"
    a.yaml:9:5 error duplicate-object: the localization `fr-fr` is defined twice
      label: defined again here
      related: a.yaml:8:5 first defined here
      help: merge the two localizations; locales are compared ignoring case
    a.yaml:11:26 warning duplicate-value: this kind is listed twice in `prune`
      related: a.yaml:11:11 first listed here
      help: remove one of the two
    b/b.yaml:2:13 error duplicate-object: the attribute `loyalty` is defined twice
      label: defined again here
      related: a.yaml:2:13 first defined here
      help: remove one of the two definitions or rename one (attribute names are compared ignoring case)
    b/b.yaml:4:11 error duplicate-object: the user flow `Shop` is defined twice
      label: defined again here
      related: a.yaml:4:11 first defined here
      help: remove one of the two definitions or rename one (user flow names are compared ignoring case)
    b/b.yaml:5:1 error duplicate-object: `branding` is declared in two places
      label: declared again here
      related: a.yaml:5:1 first declared here
      help: keep the whole `branding` section in one file
    b/b.yaml:7:1 error duplicate-object: `settings` is declared in two places
      label: declared again here
      related: a.yaml:10:1 first declared here
      help: keep the whole `settings` section in one file
    ");
}

#[test]
fn identity_provider_fields_must_fit_the_type() {
    insta::assert_snapshot!(check(
        r"
        //- idps.yaml
        identityProviders:
          - name: Google
            type: google
            clientId: g
            clientSecret: ${env:GOOGLE_CLIENT_SECRET}
            issuer: https://accounts.google.com
          - name: Contoso
            type: oidc
            clientId: c
            clientSecret: ${env:CONTOSO_SECRET}
            clientAuthentication:
              type: clientSecret
          - name: Fabrikam
            type: oidc
            clientId: f
            issuer: https://login.fabrikam.example/
            scope: openid
            clientAuthentication:
              type: privateJwtKey
              clientSecret: ${env:FABRIKAM_SECRET}
        ",
        None,
    ), @r"
    idps.yaml:6:13 error inapplicable-field: `issuer` does not apply to a `google` identity provider
      label: not used by this type
      help: remove it, or use `type: oidc`
    idps.yaml:8:11 error missing-field: an `oidc` identity provider needs `issuer`
      label: `issuer` is required for this type
      help: add `issuer: https://…` to the provider `Contoso`
    idps.yaml:8:11 error missing-field: an `oidc` identity provider needs `scope`
      label: `scope` is required for this type
      help: add `scope: openid profile email` to the provider `Contoso`
    idps.yaml:10:19 error inapplicable-field: `clientSecret` does not apply to an `oidc` identity provider
      label: not used by this type
      help: an `oidc` provider takes its secret under `clientAuthentication`: `clientAuthentication: { type: clientSecret, clientSecret: ${env:NAME} }`
    idps.yaml:12:13 error missing-field: `clientSecret` client authentication needs `clientSecret`
      label: `clientSecret` is required for this type
      help: add `clientSecret: ${env:NAME}` next to `type`
    idps.yaml:20:21 error inapplicable-field: `clientSecret` does not apply to `privateJwtKey` client authentication
      label: not used by this type
      help: remove `clientSecret`, or use `type: clientSecret`
    ");
}

#[test]
fn a_complete_oidc_provider_loads() {
    let (_dir, loaded) = load_fixture(
        r"
        //- idps.yaml
        identityProviders:
          - name: Contoso
            type: oidc
            clientId: 00001111-aaaa-2222-bbbb-3333cccc4444
            issuer: https://contoso.example/v2.0/
            wellKnownEndpoint: https://contoso.example/v2.0/.well-known/openid-configuration
            scope: openid profile email
            responseType: code
            clientAuthentication:
              type: clientSecret
              clientSecret: ${file:/run/secrets/contoso}
            inboundClaimMapping:
              sub: oid
              given_name: first
              address: { country: ctry, postal_code: zip }
        ",
        None,
    );
    assert_eq!(render(&loaded), "");
    let provider = &loaded.config().unwrap().identity_providers[0];
    let mapping = provider.inbound_claim_mapping.as_ref().unwrap();
    assert_eq!(mapping.given_name.as_deref().unwrap(), "first");
    let address = mapping.address.as_ref().unwrap();
    assert_eq!(address.postal_code.as_deref().unwrap(), "zip");
}

#[test]
fn asset_paths_are_resolved_against_the_declaring_file() {
    let (dir, loaded) = load_fixture(
        r"
        //- branding/default.yaml
        branding:
          assets:
            bannerLogo: images/banner.png
            customCSS: ../styles/${SUFFIX}.css
          localizations:
            nl-NL:
              assets: { favicon: ./nl/favicon.ico }
        //- environments/dev.yaml
        tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90
        variables: { SUFFIX: dev }
        ",
        Some("dev"),
    );
    assert_eq!(render(&loaded), "");
    let branding = loaded.config().unwrap().branding.as_ref().unwrap();
    let assets = branding.assets.as_ref().unwrap();
    let files: Vec<(Stream, &str, PathBuf)> = assets
        .files()
        .into_iter()
        .map(|(stream, asset)| (stream, asset.path.as_str(), asset.base.clone()))
        .collect();
    assert_eq!(
        files,
        [
            (
                Stream::BannerLogo,
                "images/banner.png",
                PathBuf::from("branding")
            ),
            (
                Stream::CustomCss,
                "../styles/dev.css",
                PathBuf::from("branding")
            ),
        ]
    );
    let nl = &branding.localizations["nl-NL"];
    let favicon = nl.assets.as_ref().unwrap().favicon.as_ref().unwrap();
    assert_eq!(
        crate::assets::resolve(dir.path(), &favicon.base, &favicon.path),
        Err(crate::assets::AssetProblem::Missing {
            path: "./nl/favicon.ico".to_owned()
        })
    );
    std::fs::create_dir_all(dir.path().join("branding/nl")).unwrap();
    std::fs::write(dir.path().join("branding/nl/favicon.ico"), b"").unwrap();
    assert_eq!(
        crate::assets::resolve(dir.path(), &favicon.base, &favicon.path),
        Ok(dir.path().join("branding/nl/favicon.ico"))
    );
}

#[test]
fn files_are_read_recursively_in_path_order_skipping_hidden_and_environment_files() {
    let (_dir, loaded) = load_fixture(
        r"
        //- z.yaml
        attributes: [{ name: Z, dataType: string }]
        //- a/b.yml
        attributes: [{ name: AB, dataType: string }]
        //- a.yaml
        attributes: [{ name: A, dataType: string }]
        //- .github/workflows/ci.yml
        on: push
        //- notes.txt
        not: yaml
        //- environments/dev.yaml
        tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90
        //- environments/nested/ignored.yaml
        whatever: 1
        ",
        None,
    );
    assert_eq!(render(&loaded), "");
    let names: Vec<&str> = loaded
        .config()
        .unwrap()
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["AB", "A", "Z"]);
    let paths: Vec<String> = loaded
        .sources
        .files()
        .map(|file| loaded.sources.path(file).display().to_string())
        .collect();
    assert_eq!(
        paths,
        ["a/b.yml", "a.yaml", "z.yaml", "environments/dev.yaml"]
    );
}

#[test]
fn a_configuration_is_handed_out_only_when_nothing_is_wrong() {
    // A structural error: what survived is kept for the checks, never handed out.
    let (_dir, mut loaded) = load_fixture(
        "//- tenant.yaml\nuserFlows:\n  - { name: A, identityProviders: [EmailOtp], signUp: yes }\n",
        None,
    );
    assert!(loaded.has_errors());
    assert_eq!(loaded.configs[0].user_flows.len(), 1);
    loaded.check();
    assert!(loaded.config().is_none());
    assert!(loaded.configs().is_empty());

    // An error only the semantic checks find.
    let (_dir, mut loaded) = load_fixture("//- tenant.yaml\nuserFlows:\n  - { name: A }\n", None);
    assert!(loaded.config().is_some());
    loaded.check();
    assert_eq!(
        loaded.diagnostics()[0].code,
        "flow-without-identity-provider"
    );
    assert!(loaded.config().is_none());

    // Warnings alone do not hold the configuration back.
    let (_dir, mut loaded) = load_fixture(
        "//- tenant.yaml\nuserFlows:\n  - { name: A, identityProviders: [EmailOtp], signUp: false, page: {} }\n",
        None,
    );
    loaded.check();
    assert_eq!(loaded.diagnostics()[0].code, "page-on-sign-in-only-flow");
    assert_eq!(loaded.config().unwrap().user_flows.len(), 1);
}

#[test]
fn a_missing_or_empty_directory_and_unreadable_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let missing = load_with(&dir.path().join("nope"), None, &process_env);
    assert_eq!(missing.diagnostics[0].code, "config-not-found");
    assert!(missing.diagnostics[0].message.ends_with("` does not exist"));
    std::fs::write(dir.path().join("tenant.yaml"), "settings: {}\n").unwrap();
    let a_file = load_with(&dir.path().join("tenant.yaml"), None, &process_env);
    assert_eq!(a_file.diagnostics[0].code, "config-not-found");
    assert!(
        a_file.diagnostics[0]
            .message
            .ends_with("` is not a directory")
    );
    std::fs::remove_file(dir.path().join("tenant.yaml")).unwrap();
    let empty = load_with(dir.path(), None, &process_env);
    assert_eq!(empty.diagnostics[0].code, "no-config-files");
    assert!(empty.configs().is_empty());
    std::fs::write(dir.path().join("bad.yaml"), b"name: \xff\xfe\n").unwrap();
    let unreadable = load_with(dir.path(), None, &process_env);
    assert_eq!(
        render(&unreadable),
        "bad.yaml:1:7 error not-utf8: the file is not UTF-8 text: the byte 0xFF here is not UTF-8\n  label: not UTF-8\n  help: save the file as UTF-8, or move it out of the configuration directory\n"
    );
}

#[test]
fn a_document_that_is_not_a_mapping_and_a_complex_key_are_reported() {
    insta::assert_snapshot!(check(
        r"
        //- list.yaml
        - attributes
        //- keys.yaml
        ? [a, b]
        : c
        attributes:
          - name: A
            dataType: string
        ",
        None,
    ), @r"
    keys.yaml:1:3 error invalid-key: a key must be text, not a list or a mapping
      help: write the key as plain text followed by `:`
    list.yaml:1:1 error invalid-type: expected a configuration file (a mapping), found a list
      help: write `key: value` pairs
    ");
}

#[test]
fn two_files_for_one_environment_are_reported() {
    insta::assert_snapshot!(check(
        r"
        //- tenant.yaml
        userFlows: []
        //- environments/dev.yaml
        tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90
        //- environments/dev.yml
        tenantId: 3f9a1c52-7b0e-4d8a-9c61-5e2f4a7b8c90
        ",
        None,
    ), @r"
    environments/dev.yml:1:1 error duplicate-object: the environment `dev` is defined by two files
      label: a second file for this environment
      help: keep one of `environments/dev.yaml` and `environments/dev.yml`
    ");
}

#[test]
fn references_in_block_and_escaped_scalars_are_located_in_the_source() {
    insta::assert_snapshot!(check(
        r#"
        //- tenant.yaml
        userFlows:
          - name: "caf\u00e9 ${ONE}"
            description: |
              first line
                ${TWO} indented
        "#,
        None,
    ), @r"
    tenant.yaml:2:22 error unresolved-variable: the variable `ONE` is not defined: there are no environment files
      label: not defined
      help: create `environments/<name>.yaml` with `tenantId` and `variables: { ONE: … }`, or write `$${ONE}` for a literal `${ONE}`
    tenant.yaml:5:9 error unresolved-variable: the variable `TWO` is not defined: there are no environment files
      label: not defined
      help: create `environments/<name>.yaml` with `tenantId` and `variables: { TWO: … }`, or write `$${TWO}` for a literal `${TWO}`
    ");
}

#[test]
fn a_byte_order_mark_and_crlf_line_endings_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}userFlows:\r\n  - name: Shop\r\n    sigUp: true\r\n";
    std::fs::write(dir.path().join("tenant.yaml"), text).unwrap();
    let loaded = load_with(dir.path(), None, &process_env);
    insta::assert_snapshot!(render(&loaded), @r"
    tenant.yaml:3:5 error unknown-key: unknown key `sigUp` in a user flow
      label: did you mean `signUp`?
      help: rename it to `signUp`; the keys of a user flow are `name`, `description`, `signUp`, `userType`, `identityProviders`, `applications`, `includeAllApplications`, `priority`, `page`, `onAttributeCollectionStart` and `onAttributeCollectionSubmit`
    ");
}

#[test]
fn a_file_larger_than_the_limit_is_refused_at_its_start() {
    let dir = tempfile::tempdir().unwrap();
    // Far over the limit for all files too: the file's own limit is the one to name.
    let big = std::fs::File::create(dir.path().join("big.yaml")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();
    let loaded = load_with(dir.path(), None, &process_env);
    let root = dir.path().join("big.yaml");
    assert_eq!(
        render(&loaded),
        format!(
            "big.yaml:1:1 error file-too-large: `{}` is larger than 4 MiB\n  help: a \
             configuration file is a few kilobytes; check that this is the file you meant, or \
             move it out of the configuration directory\n",
            root.display()
        )
    );
}

#[test]
fn files_larger_than_the_limit_together_stop_loading_where_they_cross_it() {
    let dir = tempfile::tempdir().unwrap();
    // Four files at the limit for one file (sparse: NUL bytes, a syntax error at the first),
    // then one that would cross the limit for the directory.
    for name in ["a", "b", "c", "d"] {
        let file = std::fs::File::create(dir.path().join(format!("{name}.yaml"))).unwrap();
        file.set_len(crate::paths::MAX_TEXT_BYTES).unwrap();
    }
    std::fs::write(
        dir.path().join("e.yaml"),
        "userFlows: [{ name: F, signUp: maybe }]\n",
    )
    .unwrap();
    let loaded = load_with(dir.path(), None, &process_env);
    let codes: Vec<(&str, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            let file = d
                .span
                .map(|s| loaded.sources.path(s.file).display().to_string());
            (d.code, file.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("config-too-large", String::new()),
            ("yaml-syntax", "a.yaml".to_owned()),
            ("yaml-syntax", "b.yaml".to_owned()),
            ("yaml-syntax", "c.yaml".to_owned()),
            ("yaml-syntax", "d.yaml".to_owned()),
        ]
    );
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("`e.yaml` and the files after it")
    );
}

#[cfg(unix)]
#[test]
fn a_file_reference_to_a_named_pipe_is_an_error_not_a_wait() {
    let dir = tempfile::tempdir().unwrap();
    fixture::write(
        dir.path(),
        "//- tenant.yaml\nbranding:\n  signInPageText: ${file:pipe}\n",
    );
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    let loaded = load_with(dir.path(), None, &process_env);
    assert_eq!(
        render(&loaded),
        "tenant.yaml:2:19 error unresolved-variable: `pipe` is not a regular file\n  help: \
         create the file or correct the path; it is relative to the configuration directory\n"
    );
}

#[test]
fn an_environment_whose_file_has_errors_is_reported_once_not_also_as_unknown() {
    let fixture = r"
        //- tenant.yaml
        userFlows:
          - { name: F, identityProviders: [EmailOtp], applications: ['${APP}'] }
        //- environments/dev.yaml
        variables: { APP: x }
        ";
    let only_its_error = "environments/dev.yaml:1:1 error missing-field: this environment file \
                          is missing the required key `tenantId`\n  label: `tenantId` is \
                          missing here\n  help: add `tenantId: …` to this environment file\n";
    // Selected, or checked because no environment is selected: its own error, and no
    // `${APP}` reported as undefined because of it.
    assert_eq!(check(fixture, Some("dev")), only_its_error);
    assert_eq!(check(fixture, None), only_its_error);
    // Another name is unknown, and the broken file still counts as an environment.
    assert_eq!(
        check(fixture, Some("prod")),
        format!(
            "- error unknown-environment: there is no environment `prod`\n  help: the \
             environments are `dev`\n{only_its_error}"
        )
    );
}

#[test]
fn an_empty_environment_file_is_an_error_and_an_empty_configuration_file_a_warning() {
    let fixture = "//- tenant.yaml\n# nothing yet\n//- environments/dev.yaml\n";
    assert_eq!(
        check(fixture, Some("dev")),
        "tenant.yaml:1:1 warning empty-file: this file holds no configuration\n  help: add a \
         section (`attributes`, `identityProviders`, `userFlows`, `branding` or `settings`), or \
         delete the file\nenvironments/dev.yaml:1:1 error missing-field: the environment file \
         of `dev` is empty\n  help: write the tenant's id as `tenantId: <GUID>`, and the \
         environment's `variables`\n"
    );
}

#[cfg(unix)]
#[test]
fn yaml_names_that_cannot_be_read_and_links_to_folders_are_reported_not_skipped() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    fixture::write(
        dir.path(),
        "//- tenant.yaml\nsettings: {}\n//- shared/flows.yaml\nuserFlows: []\n",
    );
    symlink("nowhere.yaml", dir.path().join("dangling.yaml")).unwrap();
    symlink("loop.yaml", dir.path().join("loop.yaml")).unwrap();
    symlink("shared", dir.path().join("linked")).unwrap();
    symlink("tenant.yaml", dir.path().join("same.yml")).unwrap();
    let loaded = load_with(dir.path(), None, &process_env);
    let root = dir.path().display();
    let mut found: Vec<(&str, String)> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            // The operating system's own words (after `: `) differ between systems.
            let message = d.message.replace(&root.to_string(), "DIR");
            (
                d.code,
                message.split(": ").next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "duplicate-object",
                "`settings` is declared in two places".to_owned()
            ),
            ("io-error", "cannot read `DIR/dangling.yaml`".to_owned()),
            ("io-error", "cannot read `DIR/loop.yaml`".to_owned()),
            (
                "link-not-followed",
                "`DIR/linked` is a symbolic link to a folder, which is not read".to_owned()
            ),
        ]
    );
}
