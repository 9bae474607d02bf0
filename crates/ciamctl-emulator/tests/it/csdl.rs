//! The emulator's type table against the contract's CSDL, request rejection as Graph's `OData`
//! layer does it, and a conformance walk of every read route against the CSDL.

use std::collections::BTreeSet;

use ciamctl_emulator::route_table;
use ciamctl_emulator::types::{self, Avail, PropKind, Ty, TypeKind};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::TestEmulator;
use crate::support::branding::send_with_language;
use crate::support::csdl::{Conformance, Csdl, DOCUMENTED_EXTRAS, conformance};
use crate::support::fixtures::{
    ATTRIBUTES, EXTENSIONS, PORTAL_APP, PROVIDERS, WEB_APP, attribute, social_provider,
};
use crate::support::populated::{
    LOCALIZATION, Sample, Walked, concrete, handler_extension, populate, sample,
};
use crate::support::routes::route_for;

fn in_version(avail: Avail, version: &str) -> bool {
    match avail {
        Avail::Both => true,
        Avail::V1 => version == "v1.0",
        Avail::Beta => version == "beta",
    }
}

/// The CSDL spelling of a table property's type.
fn csdl_type(ty: Ty, collection: bool) -> String {
    let name = ty.name().to_owned();
    if collection {
        format!("Collection({name})")
    } else {
        name
    }
}

#[test]
fn convention_16_20_type_table_matches_the_csdl_of_both_versions() {
    let mut problems = Vec::new();
    for version in ["v1.0", "beta"] {
        let Some(csdl) = Csdl::load(version) else {
            return;
        };
        for ty in types::types() {
            let found = csdl.find(ty.name);
            let filled = csdl.filled_from_v1.iter().any(|n| n == ty.name);
            if !in_version(ty.avail, version) {
                if found.is_some() && !filled {
                    problems.push(format!(
                        "{version}: {} is in the CSDL but not in the table for this version",
                        ty.name
                    ));
                }
                continue;
            }
            let Some(found) = found else {
                problems.push(format!("{version}: type {} is not in the CSDL", ty.name));
                continue;
            };
            let here = format!("{version}: {}", ty.name);
            if found.entity != (ty.kind == TypeKind::Entity) {
                problems.push(format!("{here}: entity/complex differs"));
            }
            if found.base.as_deref() != ty.base {
                problems.push(format!(
                    "{here}: base {:?} in the CSDL, {:?} in the table",
                    found.base, ty.base
                ));
            }
            if found.is_abstract != ty.is_abstract {
                problems.push(format!("{here}: abstract differs"));
            }
            if found.open != ty.open {
                problems.push(format!("{here}: open differs"));
            }
            for prop in ty.props {
                let declared = found.props.iter().find(|p| p.name == prop.name);
                if !in_version(prop.avail, version) {
                    if declared.is_some() {
                        problems.push(format!(
                            "{here}.{}: in the CSDL of this version, the table says it is not",
                            prop.name
                        ));
                    }
                    continue;
                }
                let Some(declared) = declared else {
                    problems.push(format!(
                        "{here}.{}: not declared on this type in the CSDL",
                        prop.name
                    ));
                    continue;
                };
                let expected = csdl_type(prop.ty, prop.collection);
                if declared.type_name != expected {
                    problems.push(format!(
                        "{here}.{}: {} in the CSDL, {expected} in the table",
                        prop.name, declared.type_name
                    ));
                }
                let kind = match (declared.navigation, declared.contained) {
                    (false, _) => PropKind::Structural,
                    (true, false) => PropKind::Reference,
                    (true, true) => PropKind::Contained,
                };
                if kind != prop.kind {
                    problems.push(format!(
                        "{here}.{}: {kind:?} in the CSDL, {:?} in the table",
                        prop.name, prop.kind
                    ));
                }
                if declared.nullable != prop.nullable {
                    problems.push(format!("{here}.{}: nullable differs", prop.name));
                }
                let kind_matches = match prop.ty {
                    Ty::Enum(name) => csdl.enums.contains_key(name),
                    Ty::Complex(name) => csdl.find(name).is_some_and(|t| !t.entity),
                    Ty::Entity(name) => csdl.find(name).is_some_and(|t| t.entity),
                    Ty::Opaque(name) => csdl.find(name).is_none() && !csdl.enums.contains_key(name),
                    Ty::Edm(_) => true,
                };
                if !kind_matches {
                    problems.push(format!(
                        "{here}.{}: the CSDL does not define {} as the table's kind",
                        prop.name,
                        prop.ty.name()
                    ));
                }
            }
        }
        for e in types::enums() {
            let found = csdl.enums.get(e.name);
            if !in_version(e.avail, version) {
                if found.is_some() {
                    problems.push(format!("{version}: enum {} is in the CSDL", e.name));
                }
                continue;
            }
            match found {
                None => problems.push(format!("{version}: enum {} is not in the CSDL", e.name)),
                Some(found) => {
                    if found.flags != e.flags {
                        problems.push(format!("{version}: enum {} flags differ", e.name));
                    }
                    if found.members != e.members {
                        problems.push(format!(
                            "{version}: enum {} members {:?} in the CSDL",
                            e.name, found.members
                        ));
                    }
                }
            }
        }
        for name in types::abstract_but_accepted() {
            if !csdl.find(name).is_some_and(|t| t.is_abstract) {
                problems.push(format!("{version}: {name} is not abstract in the CSDL"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the type table differs from the CSDL:\n  {}",
        problems.join("\n  ")
    );
}

#[tokio::test]
async fn requests_are_rejected_as_graph_rejects_them() {
    let t = TestEmulator::start().await;
    let mut unknown = attribute("Hobby", "string");
    unknown["colour"] = json!("red");
    t.post(ATTRIBUTES, unknown)
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("'colour'");
    let mut untyped = social_provider("Google", "s");
    untyped.as_object_mut().unwrap().remove("@odata.type");
    t.post(PROVIDERS, untyped)
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("@odata.type");
    let nested_untyped = json!({
        "@odata.type": "#microsoft.graph.onTokenIssuanceStartCustomExtension",
        "authenticationConfiguration": {"resourceId": format!("api://x.example.com/{WEB_APP}")}
    });
    t.post(EXTENSIONS, nested_untyped).await.assert_status(400);
    t.post(ATTRIBUTES, attribute("Hobby", "text"))
        .await
        .assert_error(400, "invalidRequest")
        .assert_error_mentions("'text' is not a member");
}

/// The type a write route's JSON body is declared with in the CSDL, or `None` for bodies that
/// are no entity (`$ref` bodies, the validation action's parameters).
fn declared_body_type(method: &str, path: &str) -> Option<&'static str> {
    let collection = path.split('/').take(2).collect::<Vec<_>>().join("/");
    Some(match (method, collection.as_str()) {
        _ if path.ends_with("/$ref") || path.ends_with("validateAuthenticationConfiguration") => {
            return None;
        }
        ("POST", _) if path.ends_with("/includeApplications") => {
            "authenticationConditionApplication"
        }
        (_, "identity/authenticationEventsFlows") => "authenticationEventsFlow",
        (_, "identity/authenticationEventListeners") => "authenticationEventListener",
        (_, "identity/customAuthenticationExtensions") => "customAuthenticationExtension",
        (_, "identity/identityProviders") => "identityProviderBase",
        (_, "identity/userFlowAttributes") => "identityUserFlowAttribute",
        _ if path.contains("/localizations") => "organizationalBrandingLocalization",
        _ if path.ends_with("/branding") => "organizationalBranding",
        _ => panic!("{method} {path}: which CSDL type does its body have? Add it here."),
    })
}

/// A change to a valid body that the CSDL forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Forbidden {
    /// A property added to an object of a closed type.
    UnknownProperty,
    /// `@odata.type` removed from an object whose declared type is abstract (§0.4, §15.1).
    MissingType,
    /// An enum value replaced by a name that is no member.
    NotAMember,
}

impl Forbidden {
    fn apply(self, value: &mut Value) {
        match self {
            Forbidden::UnknownProperty => value["colour"] = json!("red"),
            Forbidden::MissingType => {
                value
                    .as_object_mut()
                    .expect("an object")
                    .remove("@odata.type");
            }
            Forbidden::NotAMember => *value = json!("notAMember"),
        }
    }
}

/// One place of a body where a change is forbidden: the JSON path, the change, and the CSDL
/// type (or enum) that forbids it.
struct Place {
    path: Vec<String>,
    change: Forbidden,
    ty: String,
}

/// Every place of `value` (of declared type `declared`) where a [`Forbidden`] change applies.
/// Navigation references (`{ "id" }`) are not entered: they name existing objects.
fn forbidden_places(
    csdl: &Csdl,
    value: &Value,
    declared: &str,
    at: &mut Vec<String>,
    out: &mut Vec<Place>,
) {
    let Value::Object(map) = value else {
        return;
    };
    let named = map.get("@odata.type").and_then(Value::as_str);
    let Some(ty) = named
        .and_then(|n| csdl.find_ignoring_case(n))
        .or_else(|| csdl.find_ignoring_case(declared))
    else {
        return;
    };
    let mut place = |change, ty: &str| {
        out.push(Place {
            path: at.clone(),
            change,
            ty: ty.to_owned(),
        });
    };
    if named.is_some()
        && csdl
            .find_ignoring_case(declared)
            .is_some_and(|d| d.is_abstract)
    {
        place(Forbidden::MissingType, declared);
    }
    if !csdl.lineage(&ty.name).iter().any(|t| t.open) {
        place(Forbidden::UnknownProperty, &ty.name);
    }
    for (key, child) in map {
        let Some((_, prop)) = csdl.property(&ty.name, key) else {
            continue;
        };
        let element = prop.element_type();
        at.push(key.clone());
        if csdl.enums.contains_key(element) && child.is_string() {
            out.push(Place {
                path: at.clone(),
                change: Forbidden::NotAMember,
                ty: element.to_owned(),
            });
        } else if !prop.navigation || prop.contained {
            match child {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        at.push(i.to_string());
                        forbidden_places(csdl, item, element, at, out);
                        at.pop();
                    }
                }
                _ => forbidden_places(csdl, child, element, at, out),
            }
        }
        at.pop();
    }
}

fn pointer_mut<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(value, |v, key| match v {
        Value::Array(items) => &mut items[key.parse::<usize>().expect("an index")],
        _ => &mut v[key.as_str()],
    })
}

/// Every writable type refuses what its CSDL does not allow, at any depth of a body the route
/// otherwise accepts: an unknown property on a closed type, a missing `@odata.type` where the
/// declared type is abstract (§0.4, §15.1), an enum value that is no member (400
/// `invalidRequest`). Each write route's body is walked against the CSDL of the version it is
/// sent to. Every writable type must meet the unknown property, and the walk as a whole each
/// kind, so a sample body that stops exercising one fails the test.
#[tokio::test]
async fn every_writable_type_refuses_what_its_csdl_does_not_allow() {
    let (Some(v1), Some(beta)) = (Csdl::load("v1.0"), Csdl::load("beta")) else {
        return;
    };
    let t = TestEmulator::start().await;
    let walked = populate(&t).await;
    let mut problems = Vec::new();
    let mut met: BTreeSet<(&str, Forbidden)> = BTreeSet::new();
    for route in route_table() {
        // Stream uploads take bytes, the validation of a stored extension nothing.
        let Some(Sample::Json(body)) = sample(route.method, route.path, &walked) else {
            continue;
        };
        let Some(declared) = declared_body_type(route.method, route.path) else {
            continue;
        };
        let path = concrete(&t, &walked, route.path);
        let method = Method::from_bytes(route.method.as_bytes()).unwrap();
        for (version, csdl) in [("v1.0", &v1), ("beta", &beta)] {
            let mut places = Vec::new();
            forbidden_places(csdl, &body, declared, &mut Vec::new(), &mut places);
            for place in places {
                met.insert((declared, place.change));
                let mut changed = body.clone();
                place.change.apply(pointer_mut(&mut changed, &place.path));
                let url = format!("/{version}/{path}");
                let resp =
                    send_with_language(&t, method.clone(), &url, Some("0"), Some(changed)).await;
                if (resp.status, resp.error_code()) != (400, "invalidRequest") {
                    problems.push(format!(
                        "{method} {url} with {:?} at '{}' ({}): {} {}",
                        place.change,
                        place.path.join("."),
                        place.ty,
                        resp.status,
                        resp.json
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "bodies the CSDL forbids were not refused:\n  {}",
        problems.join("\n  ")
    );
    let types: BTreeSet<&str> = met.iter().map(|(ty, _)| *ty).collect();
    for ty in &types {
        assert!(
            met.contains(&(ty, Forbidden::UnknownProperty)),
            "{ty}: {met:?}"
        );
    }
    assert_eq!(types.len(), 8, "writable types walked: {types:?}");
    for change in [Forbidden::MissingType, Forbidden::NotAMember] {
        assert!(
            met.iter().any(|(_, c)| *c == change),
            "no {change:?}: {met:?}"
        );
    }
}

// --- The conformance walk ---------------------------------------------------------------------

/// How an answer is checked against the CSDL.
#[derive(Debug, Clone, Copy)]
enum Answer {
    /// An object of the type (an entity, or a complex property read on its own).
    Object(&'static str),
    /// A collection of the type, in `value`.
    Collection(&'static str),
    /// A primitive property read on its own: `{ "@odata.context", "value" }`.
    Primitive,
    /// `Collection(Edm.String)`: `value` holds strings.
    Strings,
    /// An entity reference: `{ "@odata.context", "@odata.id" }`.
    Reference,
}

/// One read of the walk: a path relative to the version root, the `Accept-Language` it needs
/// (branding), and what it answers.
struct Read {
    path: String,
    language: Option<&'static str>,
    answer: Answer,
}

fn read(path: impl Into<String>, answer: Answer) -> Read {
    Read {
        path: path.into(),
        language: None,
        answer,
    }
}

fn read_in(language: &'static str, path: impl Into<String>, answer: Answer) -> Read {
    Read {
        path: path.into(),
        language: Some(language),
        answer,
    }
}

/// GET routes the walk does not read, each with the reason: their answer is no object to check.
const NOT_WALKED: &[(&str, &str)] = &[
    (
        "identityProviders/{id}",
        "the deprecated top-level set holds nothing: every id is 404",
    ),
    ("applications/$count", "a bare text/plain number"),
    ("servicePrincipals/$count", "a bare text/plain number"),
];

/// What `body`, an `answer` of `version`, holds outside the CSDL.
fn check_answer(
    csdl: &Csdl,
    version: &str,
    where_: &str,
    body: &Value,
    answer: Answer,
) -> Conformance {
    let keys_besides_annotations = |body: &Value| -> Vec<String> {
        body.as_object()
            .map(|o| o.keys().filter(|k| !k.starts_with('@')).cloned().collect())
            .unwrap_or_default()
    };
    let shape_is = |ok: bool, what: &str| Conformance {
        problems: if ok {
            Vec::new()
        } else {
            vec![format!("{where_}: not {what}: {body}")]
        },
        ..Conformance::default()
    };
    match answer {
        Answer::Object(ty) => conformance(csdl, version, body, ty, where_),
        Answer::Collection(ty) => conformance(csdl, version, &body["value"], ty, where_),
        Answer::Primitive => shape_is(
            keys_besides_annotations(body) == ["value"] && !body["value"].is_object(),
            "a primitive property",
        ),
        Answer::Strings => {
            let strings = body["value"]
                .as_array()
                .is_some_and(|v| v.iter().all(Value::is_string));
            let typed = body["@odata.context"]
                .as_str()
                .is_some_and(|c| c.ends_with("#Collection(Edm.String)"));
            shape_is(
                strings && typed && keys_besides_annotations(body) == ["value"],
                "a Collection(Edm.String)",
            )
        }
        Answer::Reference => {
            let id = body["@odata.id"]
                .as_str()
                .is_some_and(|id| id.starts_with("http"));
            shape_is(
                id && keys_besides_annotations(body).is_empty(),
                "an entity reference",
            )
        }
    }
}

/// Every read the walk makes, with what it answers.
fn reads(t: &TestEmulator, walked: &Walked) -> Vec<Read> {
    use Answer::{Collection, Object, Primitive, Reference, Strings};
    let flow = format!("identity/authenticationEventsFlows/{}", walked.flow);
    let listener = format!("identity/authenticationEventListeners/{}", walked.listener);
    let branding = format!("organization/{}/branding", t.emulator.tenant_id());
    let application = t.emulator.tenant().applications[0].id.clone();
    let service_principal = t.emulator.tenant().service_principals[0].id.clone();
    vec![
        read("organization", Collection("organization")),
        read("applications", Collection("application")),
        read(
            format!("applications(appId='{WEB_APP}')"),
            Object("application"),
        ),
        read(format!("applications/{application}"), Object("application")),
        read("servicePrincipals", Collection("servicePrincipal")),
        read(
            format!("servicePrincipals(appId='{WEB_APP}')"),
            Object("servicePrincipal"),
        ),
        read(
            format!("servicePrincipals/{service_principal}"),
            Object("servicePrincipal"),
        ),
        read(
            "identity/authenticationEventsFlows",
            Collection("authenticationEventsFlow"),
        ),
        read(&flow, Object("authenticationEventsFlow")),
        read(
            format!("{flow}/conditions/applications/includeApplications"),
            Collection("authenticationConditionApplication"),
        ),
        read(
            format!("{flow}/conditions/applications/includeApplications/{WEB_APP}"),
            Object("authenticationConditionApplication"),
        ),
        read(
            format!(
                "{flow}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAuthenticationMethodLoadStart/microsoft.graph.onAuthenticationMethodLoadStartExternalUsersSelfServiceSignUp/identityProviders"
            ),
            Collection("identityProviderBase"),
        ),
        read(
            format!(
                "{flow}/microsoft.graph.externalUsersSelfServiceSignUpEventsFlow/onAttributeCollection/microsoft.graph.onAttributeCollectionExternalUsersSelfServiceSignUp/attributes"
            ),
            Collection("identityUserFlowAttribute"),
        ),
        read(
            format!("{flow}/{}", handler_extension("Start")),
            Object("customAuthenticationExtension"),
        ),
        read(
            format!("{flow}/{}/$ref", handler_extension("Start")),
            Reference,
        ),
        read(
            format!("{flow}/{}", handler_extension("Submit")),
            Object("customAuthenticationExtension"),
        ),
        read(
            format!("{flow}/{}/$ref", handler_extension("Submit")),
            Reference,
        ),
        read(
            "identity/userFlowAttributes",
            Collection("identityUserFlowAttribute"),
        ),
        read(
            "identity/userFlowAttributes/city",
            Object("identityUserFlowAttribute"),
        ),
        read(
            format!("identity/userFlowAttributes('{}')", walked.attribute),
            Object("identityUserFlowAttribute"),
        ),
        read(
            "identity/identityProviders",
            Collection("identityProviderBase"),
        ),
        read("identity/identityProviders/availableProviderTypes", Strings),
        read(
            "identity/identityProviders/Google-OAUTH",
            Object("identityProviderBase"),
        ),
        read(
            format!("identity/identityProviders/{}", walked.oidc),
            Object("identityProviderBase"),
        ),
        read("identityProviders", Collection("identityProvider")),
        read("identityProviders/availableProviderTypes", Strings),
        read(
            "identity/customAuthenticationExtensions",
            Collection("customAuthenticationExtension"),
        ),
        read(
            format!(
                "identity/customAuthenticationExtensions/{}",
                walked.extension
            ),
            Object("customAuthenticationExtension"),
        ),
        read(
            "identity/authenticationEventListeners",
            Collection("authenticationEventListener"),
        ),
        read(&listener, Object("authenticationEventListener")),
        read(
            format!("{listener}/conditions/applications/includeApplications"),
            Collection("authenticationConditionApplication"),
        ),
        read(
            format!("{listener}/conditions/applications/includeApplications/{PORTAL_APP}"),
            Object("authenticationConditionApplication"),
        ),
        read(
            format!(
                "{listener}/microsoft.graph.onTokenIssuanceStartListener/handler/microsoft.graph.onTokenIssuanceStartCustomExtensionHandler/customExtension"
            ),
            Object("customAuthenticationExtension"),
        ),
        read_in("0", &branding, Object("organizationalBranding")),
        read_in("fr-FR", &branding, Object(LOCALIZATION)),
        read(
            format!("{branding}/localizations"),
            Collection("organizationalBrandingLocalization"),
        ),
        read(format!("{branding}/localizations/0"), Object(LOCALIZATION)),
        read(
            format!("{branding}/localizations/fr-FR"),
            Object(LOCALIZATION),
        ),
        read(
            format!("{branding}/localizations/0/loginPageLayoutConfiguration"),
            Object("loginPageLayoutConfiguration"),
        ),
        read(
            format!("{branding}/localizations/de/signInPageText"),
            Primitive,
        ),
        read(
            format!("{branding}/contentCustomization"),
            Object("contentCustomization"),
        ),
        read(
            format!("{branding}/loginPageTextVisibilitySettings"),
            Object("loginPageTextVisibilitySettings"),
        ),
    ]
}

/// What a walk saw: the GET routes it read, what it found outside the CSDL, and the documented
/// extras it met, by version.
struct Walk {
    visited: BTreeSet<&'static str>,
    problems: Vec<String>,
    extras: BTreeSet<(&'static str, &'static str, &'static str)>,
}

/// Populates `t`, then reads every read of [`reads`] on both versions (and validates the stored
/// extension, a POST that answers an object), checking each answer against its version's CSDL.
async fn walk(t: &TestEmulator, v1: &Csdl, beta: &Csdl) -> Walk {
    let walked = populate(t).await;
    let mut walk = Walk {
        visited: BTreeSet::new(),
        problems: Vec::new(),
        extras: BTreeSet::new(),
    };
    let mut note = |version: &'static str, found: Conformance| {
        walk.problems.extend(found.problems);
        let tagged = found
            .extras
            .into_iter()
            .map(|(ty, prop)| (version, ty, prop));
        walk.extras.extend(tagged);
    };
    for (what, body, ty) in &walked.created {
        note(
            "v1.0",
            conformance(v1, "v1.0", body, ty, &format!("create {what}")),
        );
    }
    for (version, csdl) in [("v1.0", v1), ("beta", beta)] {
        for Read {
            path,
            language,
            answer,
        } in reads(t, &walked)
        {
            let route =
                route_for("GET", &path).unwrap_or_else(|| panic!("no route serves GET {path}"));
            walk.visited.insert(route.path);
            let where_ = format!("/{version}/{path}");
            let resp = send_with_language(t, Method::GET, &where_, language, None).await;
            assert_eq!(resp.status, 200, "{where_}: {}", resp.json);
            note(
                version,
                check_answer(csdl, version, &where_, &resp.json, answer),
            );
        }
        let validate = format!(
            "/{version}/identity/customAuthenticationExtensions/{}/validateAuthenticationConfiguration",
            walked.extension
        );
        let validation = t.post(&validate, json!({})).await;
        validation.assert_status(200);
        let found = conformance(
            csdl,
            version,
            &validation.json,
            "authenticationConfigurationValidation",
            &validate,
        );
        note(version, found);
    }
    walk
}

/// Every object the emulator answers with, checked against the CSDL of its version: creates
/// one object of every kind through the API (checking the create responses), then reads every
/// GET route of `route_table()` on both versions. A GET route the walk does not read fails the
/// test unless `NOT_WALKED` names it with a reason.
#[tokio::test]
async fn every_read_route_answers_only_properties_the_csdl_defines() {
    let (Some(v1), Some(beta)) = (Csdl::load("v1.0"), Csdl::load("beta")) else {
        return;
    };
    let walk = walk(&TestEmulator::start().await, &v1, &beta).await;
    assert!(
        walk.problems.is_empty(),
        "responses carry properties the CSDL does not define:\n  {}",
        walk.problems.join("\n  ")
    );
    let gets: BTreeSet<&str> = route_table()
        .into_iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path)
        .collect();
    for (path, why) in NOT_WALKED {
        assert!(
            gets.contains(path),
            "NOT_WALKED names {path}, which is no GET route ({why})"
        );
    }
    let missed: Vec<&&str> = gets
        .iter()
        .filter(|path| !walk.visited.contains(*path) && !NOT_WALKED.iter().any(|(p, _)| p == *path))
        .collect();
    assert!(
        missed.is_empty(),
        "the walk reads no answer of GET {missed:?}: add a read, or a NOT_WALKED entry saying why"
    );
}

/// §15.23: properties outside the CSDL appear in responses, and clients must tolerate them.
/// Each documented extra the walk allows is met in some answer of its version; the one only a
/// real tenant produces (`supportedTenantTypes`, §6, §16.8) comes from a seed, which the
/// emulator's reader takes and serves back as it is.
#[tokio::test]
async fn quirk_23_every_documented_extra_property_appears_in_an_answer_of_its_version() {
    let (Some(v1), Some(beta)) = (Csdl::load("v1.0"), Csdl::load("beta")) else {
        return;
    };
    let mut tenant = TestEmulator::start().await.emulator.tenant();
    let mut facebook = social_provider("Facebook", "s");
    facebook["id"] = json!("0f5b8c1e-3a2d-4e6f-9b7a-1c2d3e4f5a6b");
    facebook["supportedTenantTypes"] = json!(["ExternalId"]);
    let Value::Object(facebook) = facebook else {
        unreachable!("a provider body is an object")
    };
    tenant.identity_providers.push(facebook);
    let walk = walk(&TestEmulator::start_seeded(&tenant).await, &v1, &beta).await;
    assert!(walk.problems.is_empty(), "{:#?}", walk.problems);
    let mut missing = Vec::new();
    for (version, ty, prop, why) in DOCUMENTED_EXTRAS {
        for v in ["v1.0", "beta"]
            .into_iter()
            .filter(|v| version == &"*" || version == v)
        {
            if !walk.extras.contains(&(v, *ty, *prop)) {
                missing.push(format!("{v} {ty}.{prop} ({why})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "documented extras no answer has: {missing:#?}"
    );
}
