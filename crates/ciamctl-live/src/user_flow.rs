//! User flows as Graph holds them (`externalUsersSelfServiceSignUpEventsFlow`, REFERENCE.md §1).
//!
//! The handler objects are flattened into the fields the model uses (`crates/ciamctl-model`'s
//! `user_flow.rs`): `signUpAllowed`, `userType`, `identityProviders`, `attributes`, `page`,
//! `applications`. What a response did not inline stays `None` rather than empty: the create
//! response leaves out identity providers, attributes and linked applications (§15.8). `None`
//! there means "not read", never "none". A flow read without `$expand` leaves out the
//! extension behind a custom-extension handler (§9.3): it is [`Known::Unknown`] until read.

use serde::Serialize;
use serde_json::Value;

use crate::read::{Fields, FromGraph, canonical};
use crate::{Known, ParseError};

/// Members of `userTypeToCreate` (§1.2).
const USER_TYPES: &[&str] = &["member", "guest", "unknownFutureValue"];
/// Concrete types of `customExtensionBehaviorOnError` (§1.2; the docs also send the abstract
/// base name, §9.1).
const BEHAVIORS_ON_ERROR: &[&str] = &[
    "fallbackToMicrosoftProviderOnError",
    "customExtensionBehaviorOnError",
];
/// Members of `authenticationAttributeCollectionInputType` (§1.3; `checkboxSingleSelect` is
/// listed on the resource page only, §16.6).
const INPUT_TYPES: &[&str] = &[
    "text",
    "radioSingleSelect",
    "checkboxMultiSelect",
    "checkboxSingleSelect",
    "boolean",
    "unknownFutureValue",
];

/// A sign-up and sign-in user flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserFlow {
    pub id: String,
    pub display_name: String,
    /// `null` and `""` both read as `None`.
    pub description: Option<String>,
    /// `priority` (returned by v1.0 although only the beta CSDL has it, §1.2, §16.5).
    pub priority: Option<i32>,
    /// `onInteractiveAuthFlowStart.isSignUpAllowed`; `None` when the handler is missing.
    pub sign_up_allowed: Option<bool>,
    /// `onUserCreateStart.userTypeToCreate` (`member`, `guest`); `None` when the handler is
    /// `null`.
    pub user_type: Option<String>,
    /// `onAuthenticationMethodLoadStart.identityProviders`, in Graph's order; `None` when the
    /// response did not inline them (create response, §15.8).
    pub identity_providers: Option<Vec<ProviderRef>>,
    /// Ids of `onAttributeCollection.attributes`, in Graph's order; `None` when not inlined or
    /// when the flow has no attribute collection.
    pub attributes: Option<Vec<String>>,
    /// Whether the flow has an `onAttributeCollection` handler at all.
    pub has_attribute_collection: bool,
    /// `onAttributeCollection.attributeCollectionPage`.
    pub page: Option<Page>,
    /// App ids of `conditions.applications.includeApplications`, sorted; `None` when not
    /// inlined (create response, §15.8).
    pub applications: Option<Vec<String>>,
    /// `conditions.applications.includeAllApplications` (beta CSDL, returned by v1.0 too).
    pub include_all_applications: Option<bool>,
    pub on_attribute_collection_start: Option<ExtensionHandler>,
    pub on_attribute_collection_submit: Option<ExtensionHandler>,
}

/// An identity provider offered by a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderRef {
    pub id: String,
    pub display_name: Option<String>,
    /// `identityProviderType` (`EmailPassword`, `Google`, …) when the provider has one.
    pub provider_type: Option<String>,
}

/// The attribute collection page (`authenticationAttributeCollectionPage`). Graph's page is a
/// list of views; every example has exactly one (§1.3), which is what the model writes, but all
/// views read are kept so that a page with several is seen as different, not cut down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub views: Vec<PageView>,
}

impl Page {
    /// The view when the page has exactly one, as the model describes pages.
    pub fn single_view(&self) -> Option<&PageView> {
        match self.views.as_slice() {
            [view] => Some(view),
            _ => None,
        }
    }
}

/// One view of the page (`authenticationAttributeCollectionPageViewConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageView {
    pub title: Option<String>,
    pub description: Option<String>,
    /// In display order.
    pub inputs: Vec<PageInput>,
}

/// One input of a view (`authenticationAttributeCollectionInputConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInput {
    pub attribute: String,
    pub label: Option<String>,
    /// Canonical camelCase (`"Text"` reads as `text`, §15.24); members unknown to this crate are
    /// kept as given.
    pub input_type: Option<String>,
    pub default_value: Option<String>,
    pub hidden: Option<bool>,
    pub editable: Option<bool>,
    pub write_to_directory: Option<bool>,
    pub required: Option<bool>,
    /// Kept verbatim, including the docs' HTML-escaped email pattern (§16.7).
    pub validation_reg_ex: Option<String>,
    pub options: Vec<InputOption>,
}

/// A choice of a radio or checkbox input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputOption {
    pub label: String,
    pub value: String,
}

/// A custom-extension handler of the flow (`onAttributeCollectionStartCustomExtensionHandler`
/// or `...Submit...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionHandler {
    /// The id of the extension the handler calls, `None` when none is attached. A flow read
    /// inlines `customExtension` only on `$expand` (§9.3), so without it this is unknown until
    /// the fetcher reads `GET …/customExtension`: never taken for "none".
    pub extension_id: Known<Option<String>>,
    /// `configuration.clientConfiguration.timeoutInMilliseconds`.
    pub timeout_in_milliseconds: Option<i32>,
    /// `configuration.clientConfiguration.maximumRetries`.
    pub maximum_retries: Option<i32>,
    /// The short `@odata.type` of `configuration.behaviorOnError`
    /// (`fallbackToMicrosoftProviderOnError`).
    pub behavior_on_error: Option<String>,
}

impl FromGraph for UserFlow {
    const KIND: &'static str = "user flow";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let flow = Fields::of(Self::KIND, value)?;
        let id = flow.required_string("id")?;
        let display_name = flow.required_string("displayName")?;

        let sign_up_allowed = match flow.object("onInteractiveAuthFlowStart")? {
            Some(handler) => handler.bool("isSignUpAllowed")?,
            None => None,
        };
        let user_type = match flow.object("onUserCreateStart")? {
            Some(handler) => handler.member("userTypeToCreate", USER_TYPES)?,
            None => None,
        };
        let identity_providers: Option<Vec<ProviderRef>> =
            match flow.object("onAuthenticationMethodLoadStart")? {
                Some(handler) => handler
                    .objects("identityProviders")?
                    .map(|providers| providers.iter().map(provider_ref).collect())
                    .transpose()?,
                None => None,
            };
        let collection = flow.object("onAttributeCollection")?;
        let (attributes, page) = match &collection {
            Some(handler) => (
                handler
                    .objects("attributes")?
                    .map(|attributes| {
                        attributes
                            .iter()
                            .map(|a| a.required_string("id"))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .transpose()?,
                handler
                    .object("attributeCollectionPage")?
                    .map(|page| read_page(&page))
                    .transpose()?,
            ),
            None => (None, None),
        };
        let (applications, include_all_applications) = match flow
            .object("conditions")?
            .map(|conditions| conditions.object("applications"))
            .transpose()?
            .flatten()
        {
            Some(apps) => (
                apps.objects("includeApplications")?
                    .map(|apps| {
                        let mut ids = apps
                            .iter()
                            .map(|app| app.required_string("appId"))
                            .collect::<Result<Vec<_>, _>>()?;
                        ids.sort();
                        ids.dedup();
                        Ok::<_, ParseError>(ids)
                    })
                    .transpose()?,
                apps.bool("includeAllApplications")?,
            ),
            None => (None, None),
        };

        // Providers and attributes are sets (REFERENCE.md §3, §4): kept in a fixed order so that
        // a flow's fingerprint does not change when Graph lists them in another order. The
        // page's inputs keep theirs, which is the display order.
        let mut identity_providers = identity_providers;
        if let Some(providers) = &mut identity_providers {
            providers.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let mut attributes = attributes;
        if let Some(attributes) = &mut attributes {
            attributes.sort();
        }
        Ok(Self {
            description: flow.text("description")?,
            priority: flow.int("priority")?,
            sign_up_allowed,
            user_type,
            identity_providers,
            attributes,
            has_attribute_collection: collection.is_some(),
            page,
            applications,
            include_all_applications,
            on_attribute_collection_start: extension_handler(&flow, "onAttributeCollectionStart")?,
            on_attribute_collection_submit: extension_handler(
                &flow,
                "onAttributeCollectionSubmit",
            )?,
            id,
            display_name,
        })
    }
}

fn provider_ref(provider: &Fields<'_>) -> Result<ProviderRef, ParseError> {
    Ok(ProviderRef {
        id: provider.required_string("id")?,
        display_name: provider.text("displayName")?,
        provider_type: provider
            .text("identityProviderType")?
            .map(|t| crate::identity_provider::canonical_provider_type(&t)),
    })
}

fn read_page(page: &Fields<'_>) -> Result<Page, ParseError> {
    let views = page
        .objects("views")?
        .unwrap_or_default()
        .iter()
        .map(|view| {
            Ok(PageView {
                title: view.text("title")?,
                description: view.text("description")?,
                inputs: view
                    .objects("inputs")?
                    .unwrap_or_default()
                    .iter()
                    .map(read_input)
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<_, ParseError>>()?;
    Ok(Page { views })
}

fn read_input(input: &Fields<'_>) -> Result<PageInput, ParseError> {
    Ok(PageInput {
        attribute: input.required_string("attribute")?,
        label: input.text("label")?,
        input_type: input.member("inputType", INPUT_TYPES)?,
        default_value: input.text("defaultValue")?,
        hidden: input.bool("hidden")?,
        editable: input.bool("editable")?,
        write_to_directory: input.bool("writeToDirectory")?,
        required: input.bool("required")?,
        validation_reg_ex: input.text("validationRegEx")?,
        options: input
            .objects("options")?
            .unwrap_or_default()
            .iter()
            .map(|option| {
                Ok(InputOption {
                    label: option.string("label")?.unwrap_or_default(),
                    value: option.string("value")?.unwrap_or_default(),
                })
            })
            .collect::<Result<_, ParseError>>()?,
    })
}

fn extension_handler(flow: &Fields<'_>, key: &str) -> Result<Option<ExtensionHandler>, ParseError> {
    let Some(handler) = flow.object(key)? else {
        return Ok(None);
    };
    let configuration = handler.object("configuration")?;
    let client = configuration
        .as_ref()
        .map(|c| c.object("clientConfiguration"))
        .transpose()?
        .flatten();
    let behavior_on_error = configuration
        .as_ref()
        .map(|c| c.object("behaviorOnError"))
        .transpose()?
        .flatten()
        .map(|behavior| behavior.odata_type())
        .transpose()?
        .flatten()
        .map(|name| canonical(&name, BEHAVIORS_ON_ERROR));
    Ok(Some(ExtensionHandler {
        extension_id: attached_extension(&handler)?,
        timeout_in_milliseconds: client
            .as_ref()
            .map(|c| c.int("timeoutInMilliseconds"))
            .transpose()?
            .flatten(),
        maximum_retries: client
            .as_ref()
            .map(|c| c.int("maximumRetries"))
            .transpose()?
            .flatten(),
        behavior_on_error,
    }))
}

/// The extension a handler calls, when the response inlined its `customExtension` (`null`:
/// none attached).
fn attached_extension(handler: &Fields<'_>) -> Result<Known<Option<String>>, ParseError> {
    if !handler.has("customExtension") {
        return Ok(Known::unknown(
            String::new(),
            "a flow read does not include the extension a handler calls (REFERENCE.md §9.3)",
        ));
    }
    Ok(Known::Known(
        handler
            .object("customExtension")?
            .map(|extension| extension.required_string("id"))
            .transpose()?,
    ))
}

#[cfg(test)]
mod tests;
