//! Reading Graph JSON tolerantly: the rules every parser of this crate shares.
//!
//! REFERENCE.md §0.3 and §15 list what a robust client must accept: unknown properties (ignored
//! here simply by never looking at them), `@odata.type` with or without `#` and in any case,
//! a single entity wrapped in `{"value": {...}}` (§16.4), enum members in any case (§15.24),
//! `null` where a property is unset. [`Fields`] applies these rules to one JSON object and turns
//! every shape it cannot read into a [`ParseError`] that names the kind and the object.

use serde_json::{Map, Value};

use crate::error::ParseError;

/// A kind of Graph object this crate reads from JSON.
pub trait FromGraph: Sized {
    /// What the object is called in errors ("user flow", "identity provider", …).
    const KIND: &'static str;

    /// Reads one object (also when wrapped in `{"value": {...}}`, §16.4).
    fn from_graph(value: &Value) -> Result<Self, ParseError>;

    /// Whether a collection item is left out of the kind rather than read: workforce federation
    /// types among identity providers (§6), the default branding among localizations (§8).
    fn skipped_in_collection(_value: &Value) -> bool {
        false
    }
}

/// Reads the items of a collection (the concatenated `value` arrays of its pages), leaving out
/// the items [`FromGraph::skipped_in_collection`] names. One malformed item fails the whole
/// collection: a kind is read completely or not at all.
pub fn parse_collection<T: FromGraph>(items: &[Value]) -> Result<Vec<T>, ParseError> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| !T::skipped_in_collection(item))
        .map(|(index, item)| T::from_graph(item).map_err(|error| error.at_index_if_unnamed(index)))
        .collect()
}

/// Reads a whole collection response body (`{"value": [...]}`), for callers that hold one page.
pub fn parse_collection_body<T: FromGraph>(body: &Value) -> Result<Vec<T>, ParseError> {
    match body.get("value") {
        Some(Value::Array(items)) => parse_collection(items),
        _ => Err(ParseError::new(
            T::KIND,
            "collection",
            "the response has no `value` array",
        )),
    }
}

/// The entity itself when Graph (or its docs) wrapped it in `{"value": {...}}` (§16.4).
pub(crate) fn entity(value: &Value) -> &Value {
    match value {
        Value::Object(map) if !map.contains_key("id") => match map.get("value") {
            Some(inner @ Value::Object(_)) => inner,
            _ => value,
        },
        _ => value,
    }
}

/// The short name of an `@odata.type` value: without `#` and without the `microsoft.graph.`
/// namespace (matched in any case, §0.3), e.g. `OidcIdentityProvider`.
pub(crate) fn short_type_name(odata_type: &str) -> &str {
    const NAMESPACE: &str = "microsoft.graph.";
    let name = odata_type.strip_prefix('#').unwrap_or(odata_type);
    match name.get(..NAMESPACE.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(NAMESPACE) => &name[NAMESPACE.len()..],
        _ => name,
    }
}

/// `given` spelled as the member of `members` it matches case-insensitively (Graph's canonical
/// camelCase, §15.24), or as given when it is none of them (a member newer than this list, such
/// as `unknownFutureValue` or `checkboxSingleSelect`, is kept rather than refused).
pub(crate) fn canonical(given: &str, members: &[&str]) -> String {
    members
        .iter()
        .find(|member| member.eq_ignore_ascii_case(given))
        .map_or_else(|| given.to_owned(), |member| (*member).to_owned())
}

/// The properties of one JSON object, read with the crate's rules. Errors name `kind` and the
/// object (its `id`, else its `displayName`).
pub(crate) struct Fields<'a> {
    kind: &'static str,
    name: String,
    /// Where this object is inside the top-level one (`onAttributeCollection.views[0].`), so
    /// that errors name the property precisely.
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// The object `value` (unwrapped per [`entity`]) as a `kind`.
    pub(crate) fn of(kind: &'static str, value: &'a Value) -> Result<Self, ParseError> {
        let Value::Object(map) = entity(value) else {
            return Err(ParseError::new(
                kind,
                "",
                format!("expected a JSON object, found {}", json_type(value)),
            ));
        };
        let name = ["id", "displayName"]
            .iter()
            .find_map(|key| match map.get(*key) {
                Some(Value::String(s)) if !s.is_empty() => Some(format!("`{s}`")),
                _ => None,
            })
            .unwrap_or_default();
        Ok(Self {
            kind,
            name,
            path: String::new(),
            map,
        })
    }

    /// A nested object read with the same kind and object name, or `None` when the property is
    /// absent or `null`.
    pub(crate) fn object(&self, key: &str) -> Result<Option<Fields<'a>>, ParseError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(map)) => Ok(Some(self.child(&format!("{key}."), map))),
            Some(other) => Err(self.wrong_type(key, "an object", other)),
        }
    }

    fn child(&self, step: &str, map: &'a Map<String, Value>) -> Fields<'a> {
        Fields {
            kind: self.kind,
            name: self.name.clone(),
            path: format!("{}{step}", self.path),
            map,
        }
    }

    /// Whether the object has the property at all, even as `null`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The raw value of a property, `null` treated as absent.
    pub(crate) fn value(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// An error about this object.
    pub(crate) fn error(&self, problem: impl Into<String>) -> ParseError {
        ParseError::new(self.kind, &self.name, problem)
    }

    fn wrong_type(&self, key: &str, expected: &str, found: &Value) -> ParseError {
        self.error(format!(
            "`{}{key}` should be {expected}, not {}",
            self.path,
            json_type(found)
        ))
    }

    /// A string property, `None` when absent or `null`.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, ParseError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    /// A string property that the object cannot do without.
    pub(crate) fn required_string(&self, key: &str) -> Result<String, ParseError> {
        match self.string(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(self.error(format!("`{}{key}` is missing", self.path))),
        }
    }

    /// A string property where `""` means unset as much as `null` does (§7: unset strings of
    /// the default branding read back as `""`). Whitespace-only strings are kept: `" "` is an
    /// explicit blank (§8, §15.18).
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, ParseError> {
        Ok(self.string(key)?.filter(|s| !s.is_empty()))
    }

    /// An enum member, spelled canonically (see [`canonical`]); `""` counts as unset.
    pub(crate) fn member(&self, key: &str, members: &[&str]) -> Result<Option<String>, ParseError> {
        Ok(self.text(key)?.map(|given| canonical(&given, members)))
    }

    /// A boolean property, `None` when absent or `null`.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ParseError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, "true or false", other)),
        }
    }

    /// A 32-bit integer property, `None` when absent or `null`.
    pub(crate) fn int(&self, key: &str) -> Result<Option<i32>, ParseError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| {
                    self.error(format!(
                        "`{}{key}` is not a 32-bit whole number: {n}",
                        self.path
                    ))
                }),
            Some(other) => Err(self.wrong_type(key, "a whole number", other)),
        }
    }

    /// The items of an array property, `None` when absent or `null`.
    pub(crate) fn array(&self, key: &str) -> Result<Option<&'a [Value]>, ParseError> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(self.wrong_type(key, "an array", other)),
        }
    }

    /// The objects of an array property, each read with this kind and name.
    pub(crate) fn objects(&self, key: &str) -> Result<Option<Vec<Fields<'a>>>, ParseError> {
        let Some(items) = self.array(key)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Value::Object(map) => Ok(self.child(&format!("{key}[{index}]."), map)),
                other => Err(self.wrong_type(&format!("{key}[{index}]"), "an object", other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// The short `@odata.type` name (see [`short_type_name`]), if the object carries one.
    pub(crate) fn odata_type(&self) -> Result<Option<String>, ParseError> {
        Ok(self
            .text("@odata.type")?
            .map(|t| short_type_name(&t).to_owned()))
    }
}

/// The JSON type of `value`, for error messages.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn short_type_name_accepts_the_hash_and_any_namespace_case() {
        for given in [
            "#microsoft.graph.socialIdentityProvider",
            "microsoft.graph.socialIdentityProvider",
            "#Microsoft.Graph.socialIdentityProvider",
        ] {
            assert_eq!(short_type_name(given), "socialIdentityProvider");
        }
        assert_eq!(short_type_name("#other.ns.thing"), "other.ns.thing");
    }

    #[test]
    fn canonical_spells_known_members_as_graph_does_and_keeps_unknown_ones() {
        let members = ["text", "radioSingleSelect"];
        assert_eq!(canonical("Text", &members), "text");
        assert_eq!(
            canonical("RADIOSINGLESELECT", &members),
            "radioSingleSelect"
        );
        assert_eq!(
            canonical("checkboxSingleSelect", &members),
            "checkboxSingleSelect"
        );
    }

    #[test]
    fn entity_unwraps_a_value_wrapper_but_not_an_entity_with_an_id() {
        let wrapped = json!({ "value": { "id": "a" } });
        assert_eq!(entity(&wrapped), &json!({ "id": "a" }));
        let plain = json!({ "id": "b", "value": { "id": "c" } });
        assert_eq!(entity(&plain), &plain);
    }

    #[test]
    fn text_treats_empty_as_unset_but_keeps_a_blank() {
        let value = json!({ "a": "", "b": " ", "c": null });
        let fields = Fields::of("thing", &value).unwrap();
        assert_eq!(fields.text("a").unwrap(), None);
        assert_eq!(fields.text("b").unwrap().as_deref(), Some(" "));
        assert_eq!(fields.text("c").unwrap(), None);
        assert_eq!(fields.text("d").unwrap(), None);
    }

    #[test]
    fn a_property_of_the_wrong_type_is_an_error_naming_the_object() {
        let value = json!({ "id": "x1", "priority": "high" });
        let error = Fields::of("user flow", &value)
            .unwrap()
            .int("priority")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read the user flow `x1`: `priority` should be a whole number, not a string"
        );
    }

    #[test]
    fn a_collection_error_on_an_unnamed_item_names_its_index() {
        struct Named(String);
        impl FromGraph for Named {
            const KIND: &'static str = "thing";
            fn from_graph(value: &Value) -> Result<Self, ParseError> {
                Fields::of(Self::KIND, value)?
                    .required_string("id")
                    .map(Named)
            }
        }
        let items = [json!({ "id": "a" }), json!({ "name": "b" })];
        let error = parse_collection::<Named>(&items).err().unwrap();
        assert_eq!(
            error.to_string(),
            "cannot read the thing at index 1: `id` is missing"
        );
        let ok = parse_collection::<Named>(&items[..1]).unwrap();
        assert_eq!(ok[0].0, "a");
    }

    #[test]
    fn a_collection_body_without_value_is_an_error() {
        struct Never;
        impl FromGraph for Never {
            const KIND: &'static str = "thing";
            fn from_graph(_: &Value) -> Result<Self, ParseError> {
                Ok(Never)
            }
        }
        assert!(parse_collection_body::<Never>(&json!({ "items": [] })).is_err());
        assert_eq!(
            parse_collection_body::<Never>(&json!({ "value": [{}] }))
                .unwrap()
                .len(),
            1
        );
    }
}
