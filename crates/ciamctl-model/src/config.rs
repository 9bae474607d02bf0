//! The whole desired state: every configuration file merged, under one environment.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::attribute::Attribute;
use crate::branding::Branding;
use crate::environment::Environment;
use crate::identity_provider::IdentityProvider;
use crate::located::Located;
use crate::settings::Settings;
use crate::user_flow::UserFlow;

/// The desired state of a tenant: what the configuration directory says, with every `${…}`
/// resolved for [`Config::environment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The configuration directory; diagnostics' paths are relative to it.
    pub root: PathBuf,
    /// The environment the values were resolved for; `None` when there are no environment
    /// files.
    pub environment: Option<Environment>,
    /// Custom user-flow attributes, in file order.
    pub attributes: Vec<Located<Attribute>>,
    /// Identity providers, in file order.
    pub identity_providers: Vec<Located<IdentityProvider>>,
    /// User flows, in file order.
    pub user_flows: Vec<Located<UserFlow>>,
    /// The company branding with its localizations, if any file declares it.
    pub branding: Option<Located<Branding>>,
    /// ciamctl's settings (the defaults when no file declares `settings`).
    pub settings: Settings,
}

impl Config {
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn environment(&self) -> Option<&Environment> {
        self.environment.as_ref()
    }

    pub fn attribute(&self, name: &str) -> Option<&Located<Attribute>> {
        self.attributes.iter().find(|a| a.name.as_str() == name)
    }

    pub fn identity_provider(&self, name: &str) -> Option<&Located<IdentityProvider>> {
        self.identity_providers
            .iter()
            .find(|p| p.name.as_str() == name)
    }

    pub fn user_flow(&self, name: &str) -> Option<&Located<UserFlow>> {
        self.user_flows.iter().find(|f| f.name.as_str() == name)
    }
}

/// One configuration file: each top-level key is a section. A configuration may be split over
/// any number of files; sections of the same kind are merged.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(
    title = "ciamctl configuration file",
    description = "A file of a ciamctl configuration directory: the desired state of a Microsoft \
                   Entra External ID tenant. A configuration may be split over several files; \
                   each section can appear in any of them."
)]
pub(crate) struct ConfigFile {
    /// Custom user-flow attributes (`/identity/userFlowAttributes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attributes: Option<Vec<Located<Attribute>>>,
    /// Identity providers (`/identity/identityProviders`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) identity_providers: Option<Vec<Located<IdentityProvider>>>,
    /// Sign-up and sign-in user flows (`/identity/authenticationEventsFlows`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) user_flows: Option<Vec<Located<UserFlow>>>,
    /// The company branding and its localizations; declared in one file only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) branding: Option<Located<Branding>>,
    /// ciamctl's settings; declared in one file only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) settings: Option<Located<Settings>>,
}
