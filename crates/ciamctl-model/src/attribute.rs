//! Custom user-flow attributes: the extra fields a sign-up page can collect.
//!
//! **Manages** `identityUserFlowAttribute` objects of type `custom`
//! (`/identity/userFlowAttributes`, REFERENCE.md §5). Built-in attributes (`email`, `city`,
//! …, §17) exist in every tenant and are not declared here; page inputs name them directly.
//!
//! **Quirks.** Graph derives the attribute id from the name (`extension_<appId>_<name>`), so
//! the name is the identity key. Only `description` can change after creation; `dataType` is
//! immutable (§5, §15 #12). The create call accepts only `string`, `boolean` and `int64`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::located::Located;

/// A custom user-flow attribute (`/identity/userFlowAttributes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attribute {
    /// The attribute's display name, unique in the tenant. Graph derives the attribute id from
    /// it (`extension_<appId>_<name>`), and page inputs refer to the attribute by this name.
    #[schemars(example = &"LoyaltyNumber")]
    pub name: Located<String>,
    /// Text describing the attribute, shown to users at sign-up. The only property that can
    /// change after the attribute is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// The type of the attribute's values. It cannot change after the attribute is created.
    pub data_type: Located<DataType>,
}

/// The value type of a custom attribute (`identityUserFlowAttributeDataType`; the create call
/// accepts these three).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum DataType {
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Int64,
}
