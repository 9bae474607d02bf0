//! Laying stored objects out the way Graph returns them, and reading their `id` and type.

use serde_json::Value;

use super::def::PropKind;
use crate::odata::BaseUrl;
use crate::request::{ApiVersion, GraphResponse};
use crate::state::Object;

/// `stored` laid out as Graph returns an object of type `type_name`: its `@odata.type` (when
/// stored) first, then every property the type declares in either version, inherited ones
/// first, `null` (`[]` for a collection) when unset, then any dynamic properties of an open
/// type. Properties of both versions are returned on both: Graph's v1.0 responses carry the
/// beta-only ones too (REFERENCE.md §14, §15.23). Reference navigation properties are left out,
/// as Graph leaves them out unless `$expand`ed.
pub(crate) fn full_shape(stored: &Object, type_name: &str) -> Object {
    let Some(ty) = super::find_type(type_name) else {
        return stored.clone();
    };
    let mut out = Object::new();
    if let Some(odata_type) = stored.get("@odata.type") {
        out.insert("@odata.type".to_owned(), odata_type.clone());
    }
    let mut chain: Vec<_> = super::lineage(ty).collect();
    chain.reverse();
    for prop in chain.iter().flat_map(|t| t.props.iter()) {
        if prop.kind == PropKind::Reference || out.contains_key(prop.name) {
            continue;
        }
        let value = stored
            .get(prop.name)
            .cloned()
            .unwrap_or(if prop.collection {
                Value::Array(Vec::new())
            } else {
                Value::Null
            });
        out.insert(prop.name.to_owned(), value);
    }
    for (key, value) in stored {
        if !out.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

/// A single-entity response: `object` with `@odata.context` = `{base}/{version}/$metadata#{fragment}`
/// in front (`fragment` ends in `/$entity`).
pub(crate) fn entity_response(
    base: &BaseUrl,
    version: ApiVersion,
    fragment: &str,
    object: Object,
) -> GraphResponse {
    GraphResponse::ok(Value::Object(with_context(base, version, fragment, object)))
}

/// `object` with `@odata.context` in front.
fn with_context(base: &BaseUrl, version: ApiVersion, fragment: &str, object: Object) -> Object {
    let mut out = Object::new();
    out.insert(
        "@odata.context".to_owned(),
        Value::String(base.context(version, fragment)),
    );
    out.extend(object);
    out
}

/// The concrete type of a stored object: its `@odata.type` without `#` and namespace
/// (`socialIdentityProvider`), `""` when it has none.
pub(crate) fn type_of(object: &Object) -> &str {
    super::unqualified(
        object
            .get("@odata.type")
            .and_then(Value::as_str)
            .unwrap_or_default(),
    )
}

/// Whether `value` is an object whose `@odata.type` names `type_name` (matched without case,
/// as Graph matches type names, REFERENCE.md §0.3).
pub(crate) fn has_type(value: &Value, type_name: &str) -> bool {
    value
        .as_object()
        .is_some_and(|object| type_of(object).eq_ignore_ascii_case(type_name))
}

/// The `id` of a stored object.
pub(crate) fn id_of(object: &Object) -> &str {
    object.get("id").and_then(Value::as_str).unwrap_or_default()
}

/// The index of the object whose `id` is `id` (ids compare case-insensitively, as Graph's do).
pub(crate) fn position_by_id(objects: &[Object], id: &str) -> Option<usize> {
    objects
        .iter()
        .position(|o| id_of(o).eq_ignore_ascii_case(id))
}
