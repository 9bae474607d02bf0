//! The Graph types the emulator knows, and the checks Graph applies to request bodies.
//!
//! The type table (`table.rs`) is hand-written from the Graph contract; `tests/it/csdl.rs`
//! checks it against the contract's CSDL at test time, which is why the table is public.
//! Routes use it through `accept`, which rejects what Graph's `OData` layer rejects and hands
//! back the body with enum values in their declared casing, so routes store canonical values;
//! and through `full_shape`, which lays a stored object out the way Graph returns it.
//!
//! # Error code
//!
//! Every rejection here is `400 invalidRequest`. The contract does not document the code Graph
//! gives for a malformed CIAM body; REFERENCE.md §12.1 lists `invalidRequest` as the generic
//! code for a malformed request, and §16.1 suggests it for undocumented CIAM validation
//! failures, so clients see one code for every body Graph would refuse.

mod check;
mod def;
mod shape;
mod table;

pub use def::{Avail, Edm, EnumDef, Prop, PropKind, Ty, TypeDef, TypeKind};

pub(crate) use check::{Accepted, WriteMode, accept};
pub(crate) use shape::{entity_response, full_shape, has_type, id_of, position_by_id, type_of};

use crate::request::ApiVersion;

/// Every structured type in the table.
pub fn types() -> &'static [TypeDef] {
    table::TYPES
}

/// Every enum type in the table.
pub fn enums() -> &'static [EnumDef] {
    table::ENUMS
}

/// Abstract types whose own name Graph accepts as a value's `@odata.type` (REFERENCE.md §9.1).
pub fn abstract_but_accepted() -> &'static [&'static str] {
    table::ABSTRACT_BUT_ACCEPTED
}

/// Strips `#` and the `microsoft.graph.` namespace (any casing) from an `@odata.type` or a
/// qualified type name.
pub(crate) fn unqualified(name: &str) -> &str {
    let name = name.trim_start_matches('#');
    match name.get(..16) {
        Some(prefix) if prefix.eq_ignore_ascii_case("microsoft.graph.") => &name[16..],
        _ => name,
    }
}

/// A type by name, matched case-insensitively as Graph matches `@odata.type` (REFERENCE.md
/// §0.3), whatever the version.
pub(crate) fn find_type(name: &str) -> Option<&'static TypeDef> {
    let name = unqualified(name);
    types().iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

/// A type by name in `version`.
pub(crate) fn find_type_in(name: &str, version: ApiVersion) -> Option<&'static TypeDef> {
    find_type(name).filter(|t| t.avail.includes(version))
}

pub(crate) fn find_enum(name: &str) -> Option<&'static EnumDef> {
    enums().iter().find(|e| e.name == name)
}

/// The base type of `ty`, if any.
fn base_of(ty: &TypeDef) -> Option<&'static TypeDef> {
    ty.base.and_then(find_type)
}

/// `ty` and its base types, most derived first.
pub(crate) fn lineage(ty: &'static TypeDef) -> impl Iterator<Item = &'static TypeDef> {
    std::iter::successors(Some(ty), |t| base_of(t))
}

/// Whether `ty` is `ancestor` or derives from it.
pub(crate) fn is_a(ty: &'static TypeDef, ancestor: &str) -> bool {
    lineage(ty).any(|t| t.name.eq_ignore_ascii_case(unqualified(ancestor)))
}

/// The properties of `ty` in `version`, inherited ones first.
pub(crate) fn properties(ty: &'static TypeDef, version: ApiVersion) -> Vec<&'static Prop> {
    let mut chain: Vec<&'static TypeDef> = lineage(ty).collect();
    chain.reverse();
    chain
        .into_iter()
        .flat_map(|t| t.props.iter())
        .filter(|p| p.avail.includes(version))
        .collect()
}

/// The property `name` of `ty` (inherited ones included) in any version.
pub(crate) fn property_any_version(ty: &'static TypeDef, name: &str) -> Option<&'static Prop> {
    lineage(ty).find_map(|t| t.props.iter().find(|p| p.name == name))
}

/// The concrete types that derive from `ty` (itself included when it is concrete), for error
/// messages and route checks.
pub(crate) fn concrete_types_of(ty: &str, version: ApiVersion) -> Vec<&'static str> {
    types()
        .iter()
        .filter(|t| !t.is_abstract && t.avail.includes(version) && is_a(t, ty))
        .map(|t| t.name)
        .collect()
}

/// Whether a service-keyed type (its `id` is assigned by the service).
pub(crate) fn is_service_keyed(ty: &'static TypeDef) -> bool {
    lineage(ty).any(|t| t.service_keyed)
}

#[cfg(test)]
mod tests;
