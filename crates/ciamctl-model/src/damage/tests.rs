//! Attributing errors to the objects they damaged: by list item and name, by section, or to
//! everything when the file gives nothing to go by.

use super::Damage;
use crate::diagnostic::{Diagnostic, Sources, Span};
use crate::yaml::{NodeIds, parse};

/// The damage of one error at each of `at` (each the first occurrence of that text) in the
/// configuration file `text`.
fn damage(text: &str, at: &[&str]) -> (Damage, Vec<Span>) {
    let mut sources = Sources::default();
    let file = sources.add("tenant.yaml", text.to_owned());
    let parsed = parse(file, text, &mut NodeIds::default());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let spans: Vec<Span> = at
        .iter()
        .map(|needle| {
            let start = text.find(needle).unwrap();
            Span {
                file,
                start,
                end: start + needle.len(),
            }
        })
        .collect();
    let errors: Vec<Diagnostic> = spans
        .iter()
        .map(|span| Diagnostic::error("invalid-type", "", Some(*span)))
        .collect();
    let mut damage = Damage::new(&errors);
    damage.add_file(&parsed.root.unwrap());
    (damage, spans)
}

const CONFIG: &str = "\
attributes:
  - { name: Loyalty, dataType: strng }
  - { name: Age, dataType: int64 }
identityProviders:
  - { name: Google, type: google, clientId: id, clientSecret: '${env:S}' }
userFlows:
  - { name: A, identityProviders: [Google] }
branding:
  backgroundColor: [red]
";

#[test]
fn an_error_in_a_list_item_loses_that_item_by_name_only() {
    let (damage, _) = damage(CONFIG, &["strng"]);
    assert!(damage.attributes.may_include("Loyalty"));
    assert!(damage.attributes.may_include("loyalty"));
    assert!(!damage.attributes.may_include("Age"));
    assert!(damage.identity_providers.is_empty());
    assert!(damage.user_flows.is_empty());
}

#[test]
fn an_item_without_a_readable_name_may_have_had_any_name() {
    let text = "\
attributes:
  - { name: '${PREFIX}Loyalty', dataType: string }
  - { name: [x], dataType: string }
";
    for at in ["${PREFIX}", "[x]"] {
        let (damage, _) = damage(text, &[at]);
        assert!(damage.attributes.may_include("anything"), "{at}");
    }
}

#[test]
fn a_misspelt_section_loses_its_items_and_nothing_else() {
    let text = "\
identityProvider:
  - { name: Google, type: google }
userFlows:
  - { name: A, identityProviders: [Google] }
";
    let (damage, _) = damage(text, &["identityProvider"]);
    assert!(damage.identity_providers.may_include("Google"));
    assert!(!damage.identity_providers.may_include("Facebook"));
    assert!(damage.attributes.is_empty());
    assert!(damage.user_flows.is_empty());
}

#[test]
fn a_section_that_is_not_a_list_loses_every_name_of_its_kind() {
    let (damage, _) = damage("userFlows: { name: A }\n", &["{ name: A }"]);
    assert!(!damage.user_flows.is_empty());
    assert!(damage.user_flows.may_include("B"));
    assert!(damage.attributes.is_empty());
}

#[test]
fn an_error_outside_every_section_loses_every_kind() {
    let (damage, _) = damage("colours: 1\nattributes: []\n", &["colours"]);
    assert!(damage.attributes.may_include("x"));
    assert!(damage.identity_providers.may_include("x"));
    assert!(damage.user_flows.may_include("x"));
}

#[test]
fn an_error_in_branding_damages_the_branding_but_no_named_object() {
    let (damage, spans) = damage(CONFIG, &["[red]"]);
    assert!(damage.attributes.is_empty());
    assert!(damage.identity_providers.is_empty());
    assert!(damage.user_flows.is_empty());
    let branding_start = CONFIG.find("  backgroundColor").unwrap();
    let branding = Span {
        start: branding_start,
        end: CONFIG.len(),
        ..spans[0]
    };
    assert!(damage.within(branding));
    let before_branding = Span {
        start: 0,
        end: branding_start,
        ..branding
    };
    assert!(!damage.within(before_branding));
}

#[test]
fn warnings_damage_nothing() {
    let mut sources = Sources::default();
    let file = sources.add("tenant.yaml", "x".to_owned());
    let span = Span {
        file,
        start: 0,
        end: 1,
    };
    let damage = Damage::new(&[Diagnostic::warning("duplicate-value", "", Some(span))]);
    assert!(!damage.within(span));
}

#[test]
fn the_sections_are_those_of_a_configuration_file() {
    let schema: serde_json::Value = serde_json::from_str(&crate::schema::config_schema()).unwrap();
    let mut keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut sections = super::SECTIONS;
    sections.sort_unstable();
    assert_eq!(keys, sections);
}
