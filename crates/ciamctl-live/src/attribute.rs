//! User-flow attributes, built-in and custom (`/identity/userFlowAttributes`, REFERENCE.md §5).

use serde::Serialize;
use serde_json::Value;

use crate::ParseError;
use crate::read::{Fields, FromGraph};

/// Members of `identityUserFlowAttributeType`.
const ATTRIBUTE_TYPES: &[&str] = &["builtIn", "custom", "required", "unknownFutureValue"];
/// Members of `identityUserFlowAttributeDataType`.
const DATA_TYPES: &[&str] = &[
    "string",
    "boolean",
    "int64",
    "stringCollection",
    "dateTime",
    "unknownFutureValue",
];

/// A user-flow attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserFlowAttribute {
    /// A fixed name for built-ins (`email`, `city`), `extension_<hex appId>_<Name>` for custom
    /// attributes.
    pub id: String,
    pub display_name: String,
    /// `null` and `""` both read as `None`.
    pub description: Option<String>,
    /// `builtIn`, `custom`, `required`, … (canonical spelling).
    pub user_flow_attribute_type: Option<String>,
    /// `string`, `boolean`, `int64`, … (canonical spelling).
    pub data_type: Option<String>,
}

impl UserFlowAttribute {
    /// Whether the attribute is custom: Graph says so (built-ins are `builtIn` or `required`),
    /// or, when a read leaves `userFlowAttributeType` out, its id has the custom form
    /// `extension_<appId>_<Name>` (REFERENCE.md §5).
    pub fn is_custom(&self) -> bool {
        match self.user_flow_attribute_type.as_deref() {
            Some(kind) => kind == "custom",
            None => split_extension_id(&self.id).is_some(),
        }
    }

    /// The `<Name>` of a custom attribute's id `extension_<hex>_<Name>`.
    pub fn custom_name(&self) -> Option<&str> {
        split_extension_id(&self.id).map(|(_, name)| name)
    }

    /// The hex client id (no dashes) of the tenant's extensions app in a custom attribute's id.
    pub fn extensions_app_id(&self) -> Option<&str> {
        split_extension_id(&self.id).map(|(app, _)| app)
    }
}

/// `extension_<hex>_<Name>` split into the hex app id and the name. The hex part is 32 digits
/// in Graph (§5); any non-empty run of hex digits is accepted, since one docs example has 31
/// (`extension_d09380e2b4c6429a203fb816a04a7ad_Hobby`).
fn split_extension_id(id: &str) -> Option<(&str, &str)> {
    let rest = id.strip_prefix("extension_")?;
    let (app, name) = rest.split_once('_')?;
    (!app.is_empty() && !name.is_empty() && app.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some((app, name))
}

impl FromGraph for UserFlowAttribute {
    const KIND: &'static str = "user-flow attribute";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let attribute = Fields::of(Self::KIND, value)?;
        Ok(Self {
            id: attribute.required_string("id")?,
            display_name: attribute.required_string("displayName")?,
            description: attribute.text("description")?,
            user_flow_attribute_type: attribute.member("userFlowAttributeType", ATTRIBUTE_TYPES)?,
            data_type: attribute.member("dataType", DATA_TYPES)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_custom_attribute_reads_its_name_and_extensions_app() {
        let attribute = UserFlowAttribute::from_graph(&json!({
            "id": "extension_6ea3bc85aec24b1c92ff4a117afb6621_Favoritecolor",
            "displayName": "Favorite color",
            "description": "",
            "userFlowAttributeType": "Custom",
            "dataType": "String",
            "somethingNew": 1
        }))
        .unwrap();
        assert!(attribute.is_custom());
        assert_eq!(attribute.custom_name(), Some("Favoritecolor"));
        assert_eq!(
            attribute.extensions_app_id(),
            Some("6ea3bc85aec24b1c92ff4a117afb6621")
        );
        assert_eq!(attribute.description, None);
        assert_eq!(attribute.data_type.as_deref(), Some("string"));
    }

    #[test]
    fn an_attribute_read_without_its_type_is_custom_when_its_id_says_so() {
        let untyped = |id: &str| {
            UserFlowAttribute::from_graph(&json!({ "id": id, "displayName": "X" })).unwrap()
        };
        assert!(untyped("extension_6ea3bc85aec24b1c92ff4a117afb6621_Favoritecolor").is_custom());
        assert!(!untyped("city").is_custom());
    }

    #[test]
    fn a_built_in_attribute_has_no_custom_name() {
        let attribute = UserFlowAttribute::from_graph(&json!({
            "id": "city", "displayName": "City", "userFlowAttributeType": "builtIn", "dataType": "string"
        }))
        .unwrap();
        assert!(!attribute.is_custom());
        assert_eq!(attribute.custom_name(), None);
        assert_eq!(split_extension_id("extension_xyz_Name"), None);
        assert_eq!(split_extension_id("extension_abc_"), None);
    }

    #[test]
    fn an_attribute_without_display_name_is_an_error_naming_it() {
        let error = UserFlowAttribute::from_graph(&json!({ "id": "city" })).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read the user-flow attribute `city`: `displayName` is missing"
        );
    }

    #[test]
    fn unknown_enum_members_are_kept_as_given() {
        let attribute = UserFlowAttribute::from_graph(&json!({
            "id": "x", "displayName": "X", "dataType": "float128"
        }))
        .unwrap();
        assert_eq!(attribute.data_type.as_deref(), Some("float128"));
    }
}
