//! Custom authentication extensions (`/identity/customAuthenticationExtensions`, REFERENCE.md
//! §9.1). Configurations name them (by display name or id) from a flow's handlers; ciamctl
//! does not manage them, so only what identifies and describes them is read.

use serde::Serialize;
use serde_json::Value;

use crate::ParseError;
use crate::read::{Fields, FromGraph, canonical};

/// Concrete extension types (§9.1).
const EXTENSION_TYPES: &[&str] = &[
    "onTokenIssuanceStartCustomExtension",
    "onAttributeCollectionStartCustomExtension",
    "onAttributeCollectionSubmitCustomExtension",
    "onOtpSendCustomExtension",
    "onVerifiedIdClaimValidationCustomExtension",
    "onPasswordSubmitCustomExtension",
];

/// A custom authentication extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomExtension {
    pub id: String,
    pub display_name: Option<String>,
    /// The short `@odata.type` (`onAttributeCollectionStartCustomExtension`, …).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    /// `endpointConfiguration.targetUrl` (`httpRequestEndpoint`).
    pub target_url: Option<String>,
}

impl FromGraph for CustomExtension {
    const KIND: &'static str = "custom authentication extension";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let extension = Fields::of(Self::KIND, value)?;
        Ok(Self {
            id: extension.required_string("id")?,
            display_name: extension.text("displayName")?,
            kind: extension
                .odata_type()?
                .map(|name| canonical(&name, EXTENSION_TYPES)),
            description: extension.text("description")?,
            target_url: extension
                .object("endpointConfiguration")?
                .map(|endpoint| endpoint.text("targetUrl"))
                .transpose()?
                .flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_extension_reads_its_short_type_and_target() {
        let extension = CustomExtension::from_graph(&json!({
            "@odata.type": "microsoft.graph.OnAttributeCollectionStartCustomExtension",
            "id": "2d9c",
            "displayName": "start",
            "endpointConfiguration": { "@odata.type": "#microsoft.graph.httpRequestEndpoint", "targetUrl": "https://contoso.com" },
            "clientConfiguration": { "timeoutInMilliseconds": 2000 }
        }))
        .unwrap();
        assert_eq!(
            extension.kind.as_deref(),
            Some("onAttributeCollectionStartCustomExtension")
        );
        assert_eq!(extension.target_url.as_deref(), Some("https://contoso.com"));
    }

    #[test]
    fn an_extension_without_id_is_an_error_naming_it() {
        let error = CustomExtension::from_graph(&json!({ "displayName": "otp" })).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read the custom authentication extension `otp`: `id` is missing"
        );
    }
}
