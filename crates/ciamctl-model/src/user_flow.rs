//! User flows: sign-up and sign-in experiences for applications.
//!
//! **Manages** `externalUsersSelfServiceSignUpEventsFlow` objects
//! (`/identity/authenticationEventsFlows`, REFERENCE.md §1) with their linked applications
//! (§2), identity providers (§3) and collected attributes (§4).
//!
//! **Shape.** Graph spreads a flow over handler objects (`onInteractiveAuthFlowStart`,
//! `onAuthenticationMethodLoadStart`, `onAttributeCollection`, `onUserCreateStart`, …); the file
//! flattens them into the fields people think in (`signUp`, `identityProviders`, `page`,
//! `userType`). The mapping to Graph lives with the tenant converter.
//!
//! **Quirks.** The display name is the identity key and must be unique in the tenant (§1.2).
//! The attribute page is replaced as a whole on update (§1.6, §15 #2), so `page.inputs` is the
//! complete, ordered list of inputs. An application can belong to one flow only (§2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::located::Located;

const IDENTITY_PROVIDERS_EXAMPLE: &[&str] = &["EmailPassword", "Google"];

/// A sign-up and sign-in user flow (`externalUsersSelfServiceSignUpEventsFlow`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserFlow {
    /// The flow's display name (`displayName`), unique in the tenant; it identifies the flow.
    #[schemars(example = &"Woodgrove customers")]
    pub name: Located<String>,
    /// A description of the flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// Whether users can sign up through this flow (`isSignUpAllowed`); `false` makes a
    /// sign-in-only flow. Defaults to `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("default" = true))]
    pub sign_up: Option<Located<bool>>,
    /// The type of user created at sign-up (`userTypeToCreate`). Defaults to `member`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<Located<UserType>>,
    /// The identity providers users can sign in with, by name: the built-ins `EmailPassword`
    /// and `EmailOtp`, or the `name` of a provider in `identityProviders`. At least one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(example = IDENTITY_PROVIDERS_EXAMPLE)]
    pub identity_providers: Vec<Located<String>>,
    /// The applications that use this flow, by application (client) id or by display name. An
    /// application can be linked to one flow only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<Located<String>>,
    /// Whether the flow applies to every application (`includeAllApplications`; beta API only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_all_applications: Option<Located<bool>>,
    /// The flow's priority among flows for the same event (`priority`; set through the beta API,
    /// Graph's default is 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 500)]
    pub priority: Option<Located<i32>>,
    /// The attribute collection page shown at sign-up (`onAttributeCollection`): which
    /// attributes are collected, in which order, and how each input looks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<Located<Page>>,
    /// A custom authentication extension called when the attribute page starts
    /// (`onAttributeCollectionStart`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_attribute_collection_start: Option<Located<CustomExtensionHandler>>,
    /// A custom authentication extension called when the attribute page is submitted
    /// (`onAttributeCollectionSubmit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_attribute_collection_submit: Option<Located<CustomExtensionHandler>>,
}

/// Whether a flow that does not say allows sign-up (`isSignUpAllowed`).
pub const DEFAULT_SIGN_UP: bool = true;
/// The type of user a flow that does not say creates (`userTypeToCreate`).
pub const DEFAULT_USER_TYPE: UserType = UserType::Member;
/// Graph's `priority` of a flow that does not set one (REFERENCE.md §1.2, §1.4).
pub const DEFAULT_PRIORITY: i32 = 500;
/// `includeAllApplications` of a flow that does not set it (Graph reads back `false`, §1.4).
pub const DEFAULT_INCLUDE_ALL_APPLICATIONS: bool = false;

impl UserFlow {
    /// Whether users can sign up (the default) or only sign in.
    pub fn sign_up(&self) -> bool {
        self.sign_up.as_ref().map_or(DEFAULT_SIGN_UP, |s| *s.get())
    }

    /// The type of user created at sign-up (`member` by default).
    pub fn user_type(&self) -> UserType {
        self.user_type
            .as_ref()
            .map_or(DEFAULT_USER_TYPE, |u| *u.get())
    }
}

/// The type of user a flow creates (`userTypeToCreate`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum UserType {
    /// A member of the tenant.
    Member,
    /// A guest.
    Guest,
}

/// The attribute collection page of a flow (`attributeCollectionPage` with one view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Page {
    /// The page title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Located<String>>,
    /// Text shown under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// The inputs, in display order. The list is complete: Graph replaces the page as a whole,
    /// so an attribute left out here is removed from the flow.
    #[serde(default)]
    pub inputs: Vec<Located<PageInput>>,
}

/// One input of the attribute collection page
/// (`authenticationAttributeCollectionInputConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageInput {
    /// The attribute collected: a built-in attribute id (`email`, `displayName`, `city`, …) or
    /// the `name` of a custom attribute from `attributes`.
    #[schemars(example = &"displayName")]
    pub attribute: Located<String>,
    /// The text shown to the user. Defaults to the attribute's own label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Located<String>>,
    /// How the value is entered. Defaults to `text`, or `boolean` for a boolean attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<Located<InputType>>,
    /// Whether the user must fill the input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Located<bool>>,
    /// Whether the input is hidden from the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Located<bool>>,
    /// Whether the user can change the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editable: Option<Located<bool>>,
    /// Whether the value is stored on the user object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_to_directory: Option<Located<bool>>,
    /// A regular expression the value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = &"^[0-9]{8}$")]
    pub validation_reg_ex: Option<Located<String>>,
    /// The value the input starts with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Located<String>>,
    /// The choices of a `radioSingleSelect` or `checkboxMultiSelect` input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Located<InputOption>>,
}

/// How an input is shown (`authenticationAttributeCollectionInputType`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum InputType {
    /// A text box.
    Text,
    /// Radio buttons: one of `options`.
    RadioSingleSelect,
    /// Check boxes: any of `options`.
    CheckboxMultiSelect,
    /// A single check box.
    Boolean,
}

/// A choice of a radio or checkbox input (`authenticationAttributeCollectionOptionConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputOption {
    /// The text shown to the user.
    pub label: Located<String>,
    /// The value stored when the choice is selected.
    pub value: Located<String>,
}

/// A custom authentication extension called by a flow, with the flow's settings for calling it
/// (`onAttributeCollectionStartCustomExtensionHandler` or
/// `onAttributeCollectionSubmitCustomExtensionHandler`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomExtensionHandler {
    /// The custom authentication extension, by display name or id. It must exist in the tenant.
    pub extension: Located<String>,
    /// How long to wait for the extension's response, in milliseconds
    /// (`clientConfiguration.timeoutInMilliseconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 2000)]
    pub timeout_in_milliseconds: Option<Located<i32>>,
    /// How many times to retry a failed call (`clientConfiguration.maximumRetries`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(example = 1)]
    pub maximum_retries: Option<Located<i32>>,
    /// What happens when the extension fails (`behaviorOnError`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior_on_error: Option<Located<BehaviorOnError>>,
}

/// What a flow does when a custom extension fails (`customExtensionBehaviorOnError`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum BehaviorOnError {
    /// Continue as if the extension were not configured (`fallbackToMicrosoftProviderOnError`).
    FallbackToMicrosoftProviderOnError,
}
