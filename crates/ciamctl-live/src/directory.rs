//! The organization and applications (`/organization`, `/applications`, REFERENCE.md §10).

use serde::Serialize;
use serde_json::Value;

use crate::ParseError;
use crate::read::{Fields, FromGraph, parse_collection};

/// The tenant's organization object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// The tenant id, also the `{orgId}` of branding paths (§7).
    pub id: String,
    pub display_name: Option<String>,
    /// `AAD` for workforce tenants; `CIAM` is expected for external tenants (§16.14).
    pub tenant_type: Option<String>,
    /// Names of `verifiedDomains`, sorted.
    pub verified_domains: Vec<String>,
}

impl FromGraph for Organization {
    const KIND: &'static str = "organization";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let organization = Fields::of(Self::KIND, value)?;
        let mut verified_domains = organization
            .objects("verifiedDomains")?
            .unwrap_or_default()
            .iter()
            .map(|domain| domain.required_string("name"))
            .collect::<Result<Vec<_>, _>>()?;
        verified_domains.sort();
        Ok(Self {
            id: organization.required_string("id")?,
            display_name: organization.text("displayName")?,
            tenant_type: organization.text("tenantType")?,
            verified_domains,
        })
    }
}

impl Organization {
    /// The one organization of a `GET /organization` collection (§10: exactly one object).
    pub fn from_collection(items: &[Value]) -> Result<Self, ParseError> {
        let mut organizations = parse_collection::<Self>(items)?;
        match organizations.len() {
            1 => Ok(organizations.remove(0)),
            n => Err(ParseError::new(
                Self::KIND,
                "collection",
                format!("expected exactly one organization, found {n}"),
            )),
        }
    }
}

/// An application registration, as resolved by name or client id (§10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// The object id; `None` when the response was not `$select`ed with `id`.
    pub id: Option<String>,
    /// The client id, which flows link by (§2).
    pub app_id: String,
    pub display_name: String,
}

impl FromGraph for Application {
    const KIND: &'static str = "application";

    fn from_graph(value: &Value) -> Result<Self, ParseError> {
        let application = Fields::of(Self::KIND, value)?;
        Ok(Self {
            id: application.text("id")?,
            app_id: application.required_string("appId")?,
            display_name: application.text("displayName")?.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_organization_reads_its_verified_domains_sorted() {
        let organization = Organization::from_collection(&[json!({
            "id": "t1",
            "displayName": "Contoso",
            "tenantType": "CIAM",
            "verifiedDomains": [{ "name": "b.example" }, { "name": "a.example", "isDefault": true }]
        })])
        .unwrap();
        assert_eq!(organization.verified_domains, ["a.example", "b.example"]);
        assert_eq!(organization.tenant_type.as_deref(), Some("CIAM"));
    }

    #[test]
    fn an_organization_collection_must_hold_exactly_one() {
        let error = Organization::from_collection(&[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot read the organization collection: expected exactly one organization, found 0"
        );
    }

    #[test]
    fn an_application_needs_an_app_id() {
        let app =
            Application::from_graph(&json!({ "id": "o1", "appId": "a1", "displayName": "Web" }))
                .unwrap();
        assert_eq!(app.app_id, "a1");
        assert!(Application::from_graph(&json!({ "id": "o1", "displayName": "Web" })).is_err());
    }
}
