//! The contract's CSDL fragments (`shared/graph-contract/csdl/csdl-{v1.0,beta}.xml`), read at
//! test time, and a conformance check of response bodies against them.
//!
//! The CSDL is Microsoft's data: it is read from `../shared`, never copied into the repository.
//! The XML is plain (elements, attributes, comments), so a small reader here does instead of a
//! dependency.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A structured type as the CSDL declares it.
#[derive(Debug, Clone)]
pub struct CsdlType {
    pub name: String,
    pub entity: bool,
    pub base: Option<String>,
    pub is_abstract: bool,
    pub open: bool,
    pub props: Vec<CsdlProp>,
}

/// A property or navigation property.
#[derive(Debug, Clone)]
pub struct CsdlProp {
    pub name: String,
    /// As written, without the `graph.`/`microsoft.graph.` namespace:
    /// `Edm.String`, `Collection(keyValue)`.
    pub type_name: String,
    pub navigation: bool,
    pub contained: bool,
    pub nullable: bool,
}

impl CsdlProp {
    /// The element type name, without `Collection(...)`.
    pub fn element_type(&self) -> &str {
        self.type_name
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'))
            .unwrap_or(&self.type_name)
    }
}

#[derive(Debug, Clone)]
pub struct CsdlEnum {
    pub name: String,
    pub flags: bool,
    pub members: Vec<String>,
}

/// One version's CSDL.
#[derive(Debug, Clone, Default)]
pub struct Csdl {
    pub types: BTreeMap<String, CsdlType>,
    pub enums: BTreeMap<String, CsdlEnum>,
    /// Types the beta fragment lacks and that were taken from v1.0 (REFERENCE.md §16.20: the
    /// beta fragment is the national-cloud schema and misses some CIAM types).
    pub filled_from_v1: Vec<String>,
}

/// `graph.x` / `microsoft.graph.x` / `#microsoft.graph.x` → `x`; `Collection(graph.x)` →
/// `Collection(x)`.
pub fn unqualify(name: &str) -> String {
    if let Some(inner) = name
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
    {
        return format!("Collection({})", unqualify(inner));
    }
    let name = name.trim_start_matches('#');
    name.strip_prefix("microsoft.graph.")
        .or_else(|| name.strip_prefix("graph."))
        .unwrap_or(name)
        .to_owned()
}

impl Csdl {
    /// The CSDL of `version` (`"v1.0"` or `"beta"`), or `None` with the skip note when
    /// `../shared` is absent. Beta is completed with the v1.0 types it lacks (§16.20).
    #[allow(clippy::print_stderr)] // The skip note is how a test says the contract is absent.
    pub fn load(version: &str) -> Option<Self> {
        let Some(dir) = super::contract_dir() else {
            eprintln!("skipped: ../shared/graph-contract is absent, so the CSDL cannot be read");
            return None;
        };
        let read = |v: &str| {
            let path = dir.join("csdl").join(format!("csdl-{v}.xml"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            parse(&text)
        };
        let mut csdl = read(version);
        if version == "beta" {
            let v1 = read("v1.0");
            for (name, ty) in v1.types {
                if !csdl.types.contains_key(&name) {
                    csdl.filled_from_v1.push(name.clone());
                    csdl.types.insert(name, ty);
                }
            }
        }
        Some(csdl)
    }

    pub fn find(&self, name: &str) -> Option<&CsdlType> {
        self.types.get(&unqualify(name))
    }

    /// A structured type as a body's `@odata.type` may name it: with or without `#` and
    /// namespace, in any casing (REFERENCE.md §0.3).
    pub fn find_ignoring_case(&self, name: &str) -> Option<&CsdlType> {
        let name = unqualify(name);
        self.types
            .values()
            .find(|t| t.name.eq_ignore_ascii_case(&name))
    }

    /// `name` and its base types, most derived first.
    pub fn lineage<'a>(&'a self, name: &str) -> Vec<&'a CsdlType> {
        let mut out = Vec::new();
        let mut next = self.find(name);
        while let Some(ty) = next {
            out.push(ty);
            next = ty.base.as_deref().and_then(|b| self.find(b));
        }
        out
    }

    pub fn is_a(&self, name: &str, ancestor: &str) -> bool {
        let ancestor = unqualify(ancestor);
        self.lineage(name)
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&ancestor))
    }

    /// Property `prop` of `type_name` or one of its bases, with the type declaring it.
    pub fn property(&self, type_name: &str, prop: &str) -> Option<(&CsdlType, &CsdlProp)> {
        self.lineage(type_name)
            .into_iter()
            .find_map(|t| t.props.iter().find(|p| p.name == prop).map(|p| (t, p)))
    }
}

/// One XML tag.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: BTreeMap<String, String>,
    closing: bool,
    self_closing: bool,
}

fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The tags of an XML document, skipping the declaration, comments and text.
fn tags(text: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").expect("comment is closed");
            rest = &after[end + 3..];
            continue;
        }
        let end = rest.find('>').expect("tag is closed");
        let inner = &rest[1..end];
        rest = &rest[end + 1..];
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let closing = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_start_matches('/').trim_end_matches('/').trim();
        let (name, mut attrs_text) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let mut attrs = BTreeMap::new();
        while let Some(eq) = attrs_text.find('=') {
            let key = attrs_text[..eq].trim().to_owned();
            let quoted = attrs_text[eq + 1..].trim_start();
            let quote = quoted.chars().next().expect("attribute value");
            let value_end = quoted[1..].find(quote).expect("attribute value is closed") + 1;
            attrs.insert(key, decode(&quoted[1..value_end]));
            attrs_text = &quoted[value_end + 1..];
        }
        out.push(Tag {
            name: name.to_owned(),
            attrs,
            closing,
            self_closing,
        });
    }
    out
}

/// Parses a CSDL document's `EnumType`, `EntityType` and `ComplexType` elements.
pub fn parse(text: &str) -> Csdl {
    let mut csdl = Csdl::default();
    let mut current_type: Option<CsdlType> = None;
    let mut current_enum: Option<CsdlEnum> = None;
    let mut depth = 0usize;
    let mut owner_depth = 0usize;
    let attr = |tag: &Tag, name: &str| tag.attrs.get(name).cloned();
    let flag = |tag: &Tag, name: &str| tag.attrs.get(name).is_some_and(|v| v == "true");
    for tag in tags(text) {
        if tag.closing {
            depth -= 1;
            if depth + 1 == owner_depth {
                if let Some(ty) = current_type.take() {
                    csdl.types.insert(ty.name.clone(), ty);
                }
                if let Some(e) = current_enum.take() {
                    csdl.enums.insert(e.name.clone(), e);
                }
            }
            continue;
        }
        let name = attr(&tag, "Name").unwrap_or_default();
        match tag.name.as_str() {
            "EntityType" | "ComplexType" => {
                let ty = CsdlType {
                    name: name.clone(),
                    entity: tag.name == "EntityType",
                    base: attr(&tag, "BaseType").map(|b| unqualify(&b)),
                    is_abstract: flag(&tag, "Abstract"),
                    open: flag(&tag, "OpenType"),
                    props: Vec::new(),
                };
                if tag.self_closing {
                    csdl.types.insert(name, ty);
                } else {
                    current_type = Some(ty);
                    owner_depth = depth + 1;
                }
            }
            "EnumType" => {
                let e = CsdlEnum {
                    name: name.clone(),
                    flags: flag(&tag, "IsFlags"),
                    members: Vec::new(),
                };
                if tag.self_closing {
                    csdl.enums.insert(name, e);
                } else {
                    current_enum = Some(e);
                    owner_depth = depth + 1;
                }
            }
            "Property" | "NavigationProperty" if depth == owner_depth => {
                if let Some(ty) = current_type.as_mut() {
                    ty.props.push(CsdlProp {
                        name,
                        type_name: unqualify(&attr(&tag, "Type").unwrap_or_default()),
                        navigation: tag.name == "NavigationProperty",
                        contained: flag(&tag, "ContainsTarget"),
                        nullable: attr(&tag, "Nullable").is_none_or(|v| v != "false"),
                    });
                }
            }
            "Member" if depth == owner_depth => {
                if let Some(e) = current_enum.as_mut() {
                    e.members.push(name);
                }
            }
            _ => {}
        }
        if !tag.self_closing {
            depth += 1;
        }
    }
    csdl
}

/// Properties Graph returns although the CSDL of that version does not declare them, each a
/// documented exception: `(version, type, property, why)`. A version of `"*"` means both.
pub const DOCUMENTED_EXTRAS: &[(&str, &str, &str, &str)] = &[
    (
        "v1.0",
        "authenticationEventsFlow",
        "priority",
        "§14, §15.23",
    ),
    (
        "v1.0",
        "authenticationEventListener",
        "priority",
        "§14, §15.23",
    ),
    (
        "v1.0",
        "authenticationConditionsApplications",
        "includeAllApplications",
        "§14",
    ),
    (
        "v1.0",
        "authenticationAttributeCollectionPage",
        "customStringsFileId",
        "§14",
    ),
    ("v1.0", "builtInIdentityProvider", "state", "§14"),
    (
        "*",
        "onAttributeCollectionExternalUsersSelfServiceSignUp",
        "accessPackages",
        "§1.4, §15.23",
    ),
    (
        "*",
        "onUserCreateStartExternalUsersSelfServiceSignUp",
        "accessPackages",
        "§1.2, §15.23",
    ),
    (
        "*",
        "identityProviderBase",
        "supportedTenantTypes",
        "§6, §15.23",
    ),
    (
        "v1.0",
        "organization",
        "directorySizeQuota",
        "docs' v1.0 example, §15.23",
    ),
    (
        "v1.0",
        "organization",
        "isMultipleDataLocationsForServicesEnabled",
        "docs' v1.0 example, §15.23",
    ),
    (
        "beta",
        "organization",
        "tenantType",
        "§16.20: national-cloud beta fragment",
    ),
    (
        "beta",
        "organization",
        "defaultUsageLocation",
        "§16.20: national-cloud beta fragment",
    ),
];

/// The `(type, property)` of the documented extra that lets `prop` appear on `type_name` in
/// `version`, if one does.
fn documented_extra(
    csdl: &Csdl,
    version: &str,
    type_name: &str,
    prop: &str,
) -> Option<(&'static str, &'static str)> {
    DOCUMENTED_EXTRAS
        .iter()
        .find(|(v, ty, p, _)| {
            (*v == "*" || *v == version) && *p == prop && csdl.is_a(type_name, ty)
        })
        .map(|(_, ty, p, _)| (*ty, *p))
}

/// What a conformance check found.
#[derive(Debug, Default)]
pub struct Conformance {
    /// Properties that are neither declared nor a documented extra, each with its JSON path.
    pub problems: Vec<String>,
    /// The documented extras (`(type, property)` of [`DOCUMENTED_EXTRAS`]) that were present.
    pub extras: BTreeSet<(&'static str, &'static str)>,
}

/// Checks that every property of `value`, an object of type `type_name` in `version`'s CSDL,
/// and of every object nested in it, is declared for its type or is a documented extra.
pub fn conformance(
    csdl: &Csdl,
    version: &str,
    value: &Value,
    type_name: &str,
    path: &str,
) -> Conformance {
    let mut found = Conformance::default();
    check_value(csdl, version, value, type_name, path, &mut found);
    found
}

fn check_value(
    csdl: &Csdl,
    version: &str,
    value: &Value,
    type_name: &str,
    path: &str,
    found: &mut Conformance,
) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_value(
                    csdl,
                    version,
                    item,
                    type_name,
                    &format!("{path}[{i}]"),
                    found,
                );
            }
        }
        Value::Object(map) => {
            let actual = match map.get("@odata.type").and_then(Value::as_str) {
                Some(named) => {
                    let named = unqualify(named);
                    if csdl.find(&named).is_none() {
                        found
                            .problems
                            .push(format!("{path}: @odata.type '{named}' is not in the CSDL"));
                        return;
                    }
                    if !csdl.is_a(&named, type_name) {
                        found
                            .problems
                            .push(format!("{path}: '{named}' is not a '{type_name}'"));
                    }
                    named
                }
                None => type_name.to_owned(),
            };
            if csdl.find(&actual).is_none() {
                // A type the fragment names but does not define (`verifiedDomain`, ...).
                return;
            }
            for (key, inner) in map {
                if key.contains('@') {
                    continue;
                }
                let here = format!("{path}.{key}");
                match csdl.property(&actual, key) {
                    Some((_, prop)) => {
                        if !prop.element_type().starts_with("Edm.") {
                            let element = prop.element_type().to_owned();
                            check_value(csdl, version, inner, &element, &here, found);
                        }
                    }
                    None => match documented_extra(csdl, version, &actual, key) {
                        Some(extra) => {
                            found.extras.insert(extra);
                        }
                        None => found.problems.push(format!(
                            "{here}: '{key}' is not a property of '{actual}' in the {version} CSDL"
                        )),
                    },
                }
            }
        }
        _ => {}
    }
}
