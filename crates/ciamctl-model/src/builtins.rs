//! What every external tenant has before the configuration adds anything: the built-in
//! user-flow attributes, the built-in identity providers, and which input types suit which
//! attribute data types.
//!
//! **Attributes** (REFERENCE.md §17): the ids a sign-up page can collect without declaring a
//! custom attribute, with the admin center's label and the longest value the page accepts. All
//! of them are strings.
//!
//! **Identity providers** (REFERENCE.md §3, §6): the two built-ins the docs list for
//! self-service sign-up flows, named in the YAML by a short name or by their fixed Graph id.
//! `AADSignup-OAUTH` and `MSASignup-OAUTH` also exist in external tenants but are not offered
//! for sign-up flows in the docs, so they are not accepted.
//!
//! **Input types per data type.** Graph does not document which `inputType` suits which
//! `dataType` (REFERENCE.md §16.6). We follow the choices the admin center offers when a
//! custom attribute is added to a user flow: a string is a text box, a radio group or a
//! multi-select checkbox list; a boolean is a single checkbox (`boolean`); an integer is a
//! text box only, since the choices of a radio or checkbox list are strings and the page would
//! have to convert them. `checkboxSingleSelect`, which one docs page lists, is in no CSDL and is
//! not accepted.

use crate::attribute::DataType;
use crate::user_flow::InputType;

/// A built-in user-flow attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinAttribute {
    /// The user-flow attribute id, as a page input names it.
    pub id: &'static str,
    /// The label the admin center shows.
    pub label: &'static str,
    /// The longest value the page accepts, where one is documented.
    pub max_length: Option<u32>,
}

/// Every built-in attribute, in the order §17 lists them.
pub const ATTRIBUTES: &[BuiltinAttribute] = &[
    builtin("city", "City", Some(128)),
    builtin("country", "Country/Region", Some(128)),
    builtin("displayName", "Display Name", Some(256)),
    // §17 gives no length for the email address, only that it may not contain accents.
    builtin("email", "Email Address", None),
    builtin("givenName", "Given Name", Some(64)),
    builtin("jobTitle", "Job Title", Some(128)),
    builtin("postalCode", "Postal Code", Some(40)),
    builtin("state", "State/Province", Some(128)),
    builtin("streetAddress", "Street Address", Some(1024)),
    builtin("surname", "Surname", Some(64)),
];

const fn builtin(
    id: &'static str,
    label: &'static str,
    max_length: Option<u32>,
) -> BuiltinAttribute {
    BuiltinAttribute {
        id,
        label,
        max_length,
    }
}

/// The built-in attribute with exactly this id.
pub fn attribute(id: &str) -> Option<&'static BuiltinAttribute> {
    ATTRIBUTES.iter().find(|a| a.id == id)
}

/// A built-in identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinProvider {
    /// The name a flow uses in the YAML.
    pub short_name: &'static str,
    /// The fixed Graph id, also accepted in the YAML.
    pub id: &'static str,
    /// The `identityProviderType` Graph reports.
    pub provider_type: &'static str,
}

pub const PROVIDERS: &[BuiltinProvider] = &[
    BuiltinProvider {
        short_name: "EmailPassword",
        id: "EmailPassword-OAUTH",
        provider_type: "EmailPassword",
    },
    BuiltinProvider {
        short_name: "EmailOtp",
        id: "EmailOtpSignup-OAUTH",
        provider_type: "EmailOTP",
    },
];

/// The built-in provider a flow's reference names, by short name or full id (exact case).
pub fn provider(reference: &str) -> Option<&'static BuiltinProvider> {
    PROVIDERS
        .iter()
        .find(|p| p.short_name == reference || p.id == reference)
}

/// The input types that fit `data_type` (see the module doc for the rule).
pub fn input_types(data_type: DataType) -> &'static [InputType] {
    match data_type {
        DataType::String => &[
            InputType::Text,
            InputType::RadioSingleSelect,
            InputType::CheckboxMultiSelect,
        ],
        DataType::Boolean => &[InputType::Boolean],
        DataType::Int64 => &[InputType::Text],
    }
}

/// The input type a page input gets when it does not name one: a check box for a boolean,
/// a text box otherwise.
pub fn default_input_type(data_type: DataType) -> InputType {
    match data_type {
        DataType::Boolean => InputType::Boolean,
        DataType::String | DataType::Int64 => InputType::Text,
    }
}

/// Whether an input offers a list of choices, which then must be given as `options`.
pub fn takes_options(input_type: InputType) -> bool {
    matches!(
        input_type,
        InputType::RadioSingleSelect | InputType::CheckboxMultiSelect
    )
}

/// A data type as the YAML spells it.
pub fn data_type_name(data_type: DataType) -> &'static str {
    match data_type {
        DataType::String => "string",
        DataType::Boolean => "boolean",
        DataType::Int64 => "int64",
    }
}

/// An input type as the YAML spells it.
pub fn input_type_name(input_type: InputType) -> &'static str {
    match input_type {
        InputType::Text => "text",
        InputType::RadioSingleSelect => "radioSingleSelect",
        InputType::CheckboxMultiSelect => "checkboxMultiSelect",
        InputType::Boolean => "boolean",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_attribute_of_section_17_is_listed_once() {
        let ids: Vec<_> = ATTRIBUTES.iter().map(|a| a.id).collect();
        assert_eq!(
            ids,
            [
                "city",
                "country",
                "displayName",
                "email",
                "givenName",
                "jobTitle",
                "postalCode",
                "state",
                "streetAddress",
                "surname"
            ]
        );
        assert_eq!(attribute("displayName").unwrap().max_length, Some(256));
        assert_eq!(attribute("email").unwrap().max_length, None);
        assert_eq!(attribute("country").unwrap().label, "Country/Region");
    }

    #[test]
    fn attribute_lookup_is_exact() {
        assert!(attribute("City").is_none());
        assert!(attribute("extension_0123_Loyalty").is_none());
    }

    #[test]
    fn providers_resolve_by_short_name_or_full_id_only() {
        assert_eq!(provider("EmailPassword").unwrap().id, "EmailPassword-OAUTH");
        assert_eq!(provider("EmailOtp").unwrap().id, "EmailOtpSignup-OAUTH");
        assert_eq!(
            provider("EmailOtpSignup-OAUTH").unwrap().short_name,
            "EmailOtp"
        );
        assert!(provider("emailpassword").is_none());
        assert!(provider("AADSignup-OAUTH").is_none());
        assert!(provider("Google").is_none());
    }

    #[test]
    fn input_types_fit_data_types_as_the_admin_center_offers_them() {
        assert!(input_types(DataType::String).contains(&InputType::RadioSingleSelect));
        assert!(!input_types(DataType::String).contains(&InputType::Boolean));
        assert_eq!(input_types(DataType::Boolean), [InputType::Boolean]);
        assert_eq!(input_types(DataType::Int64), [InputType::Text]);
    }

    #[test]
    fn the_default_input_type_fits_its_data_type() {
        for data_type in [DataType::String, DataType::Boolean, DataType::Int64] {
            assert!(input_types(data_type).contains(&default_input_type(data_type)));
        }
    }

    #[test]
    fn only_list_inputs_take_options() {
        assert!(takes_options(InputType::CheckboxMultiSelect));
        assert!(takes_options(InputType::RadioSingleSelect));
        assert!(!takes_options(InputType::Text));
        assert!(!takes_options(InputType::Boolean));
    }

    #[test]
    fn names_are_the_yaml_spellings() {
        for input_type in [
            InputType::Text,
            InputType::RadioSingleSelect,
            InputType::CheckboxMultiSelect,
            InputType::Boolean,
        ] {
            assert_eq!(
                serde_json::to_value(input_type).unwrap(),
                input_type_name(input_type)
            );
        }
        for data_type in [DataType::String, DataType::Boolean, DataType::Int64] {
            assert_eq!(
                serde_json::to_value(data_type).unwrap(),
                data_type_name(data_type)
            );
        }
    }
}
