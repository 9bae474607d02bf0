//! The human rendering of a live tenant, `ciamctl snapshot`'s default output.
//!
//! A tree, two spaces per level: the kinds in [`Kind::ALL`] order, objects sorted by their
//! natural key, strings JSON-quoted (so `" "` and escapes are visible), secrets as the mask, an
//! unknown kind as `unknown: <reason> (<request>)`, the assets that are set with their size and
//! a short hash. No colour: the binary decides about terminals. Only what is set is shown,
//! except where "not read" or "none" says something a reader needs (the fail-closed cases).

use std::fmt::Display;
use std::io::{self, Write};

use crate::branding::{AssetState, BrandingProperties};
use crate::tenant::sorted_items;
use crate::user_flow::{ExtensionHandler, PageInput, PageView};
use crate::{
    IdentityProviderKind, Keyed, Kind, Known, LiveTenant, OidcProvider, SecretState, UserFlow,
};

/// Writes `tenant` as a readable tree.
pub fn render_text(tenant: &LiveTenant, out: &mut impl Write) -> io::Result<()> {
    let mut p = Printer { out, depth: 0 };
    p.line(format_args!("tenant {}", tenant.tenant_id))?;
    for kind in Kind::ALL {
        match kind {
            Kind::Organization => p.known(kind, &tenant.organization, |p, org| {
                p.line(format_args!("id: {}", org.id))?;
                p.opt("displayName", org.display_name.as_deref())?;
                p.opt("tenantType", org.tenant_type.as_deref())?;
                if !org.verified_domains.is_empty() {
                    p.line(format_args!(
                        "verifiedDomains: {}",
                        org.verified_domains.join(", ")
                    ))?;
                }
                Ok(())
            })?,
            Kind::UserFlows => p.list(kind, &tenant.user_flows, user_flow)?,
            Kind::Attributes => p.list(kind, &tenant.attributes, |p, attribute| {
                p.line(format_args!(
                    "{} {}",
                    attribute.id,
                    quoted(&attribute.display_name)
                ))?;
                p.nested(|p| {
                    p.opt(
                        "userFlowAttributeType",
                        attribute.user_flow_attribute_type.as_deref(),
                    )?;
                    p.opt("dataType", attribute.data_type.as_deref())?;
                    p.opt_quoted("description", attribute.description.as_deref())
                })
            })?,
            Kind::IdentityProviders => {
                p.list(kind, &tenant.identity_providers, |p, provider| {
                    p.line(format_args!(
                        "{} {}",
                        provider.id,
                        quoted(&provider.display_name)
                    ))?;
                    p.nested(|p| identity_provider(p, &provider.kind))
                })?;
            }
            Kind::CustomExtensions => p.list(kind, &tenant.custom_extensions, |p, extension| {
                p.line(format_args!(
                    "{} {}",
                    extension.id,
                    quoted(extension.display_name.as_deref().unwrap_or_default())
                ))?;
                p.nested(|p| {
                    p.opt("type", extension.kind.as_deref())?;
                    p.opt("targetUrl", extension.target_url.as_deref())?;
                    p.opt_quoted("description", extension.description.as_deref())
                })
            })?,
            Kind::Branding => p.known(kind, &tenant.branding, |p, branding| match branding {
                None => p.line("none"),
                Some(branding) => branding_properties(p, &branding.properties),
            })?,
            Kind::Localizations => p.list(kind, &tenant.localizations, |p, localization| {
                p.line(&localization.locale)?;
                p.nested(|p| branding_properties(p, &localization.properties))
            })?,
            Kind::Applications => p.list(kind, &tenant.applications, |p, application| {
                p.line(format_args!(
                    "{} {}",
                    application.app_id,
                    quoted(&application.display_name)
                ))?;
                p.nested(|p| p.opt("objectId", application.id.as_deref()))
            })?,
        }
    }
    Ok(())
}

struct Printer<'a, W> {
    out: &'a mut W,
    depth: usize,
}

impl<W: Write> Printer<'_, W> {
    fn line(&mut self, text: impl Display) -> io::Result<()> {
        writeln!(self.out, "{:width$}{text}", "", width = self.depth * 2)
    }

    fn nested(&mut self, body: impl FnOnce(&mut Self) -> io::Result<()>) -> io::Result<()> {
        self.depth += 1;
        let result = body(self);
        self.depth -= 1;
        result
    }

    /// `key: value` when set.
    fn opt(&mut self, key: &str, value: Option<impl Display>) -> io::Result<()> {
        match value {
            Some(value) => self.line(format_args!("{key}: {value}")),
            None => Ok(()),
        }
    }

    /// `key: "value"` when set.
    fn opt_quoted(&mut self, key: &str, value: Option<&str>) -> io::Result<()> {
        self.opt(key, value.map(quoted))
    }

    /// A kind's heading, then its value or why it is unknown.
    fn known<T>(
        &mut self,
        kind: Kind,
        value: &Known<T>,
        body: impl FnOnce(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        match value {
            Known::Known(value) => {
                self.line(format_args!("{kind}:"))?;
                self.nested(|p| body(p, value))
            }
            Known::Unknown(failure) => self.line(format_args!(
                "{kind}: unknown: {} ({})",
                failure.reason, failure.request
            )),
        }
    }

    /// A collection kind: its count, then each item in natural-key order.
    fn list<T: Keyed>(
        &mut self,
        kind: Kind,
        value: &Known<Vec<T>>,
        mut item: impl FnMut(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        match value {
            Known::Known(items) => {
                self.line(format_args!("{kind}: {}", items.len()))?;
                self.nested(|p| {
                    sorted_items(items)
                        .into_iter()
                        .try_for_each(|value| item(p, value))
                })
            }
            Known::Unknown(_) => self.known(kind, value, |_, _| Ok(())),
        }
    }
}

/// A JSON string literal: quotes, escapes, and blanks visible.
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// What a list read as `None` means: the response did not include it.
const NOT_READ: &str = "(not read)";

fn user_flow<W: Write>(p: &mut Printer<'_, W>, flow: &UserFlow) -> io::Result<()> {
    p.line(format_args!("{} {}", quoted(&flow.display_name), flow.id))?;
    p.nested(|p| {
        p.opt_quoted("description", flow.description.as_deref())?;
        p.opt("priority", flow.priority)?;
        p.opt("signUpAllowed", flow.sign_up_allowed)?;
        p.opt("userType", flow.user_type.as_deref())?;
        p.line(format_args!(
            "identityProviders: {}",
            flow.identity_providers
                .as_ref()
                .map_or(NOT_READ.to_owned(), |providers| {
                    join(providers.iter().map(|provider| provider.id.as_str()))
                })
        ))?;
        p.line(format_args!(
            "applications: {}",
            flow.applications
                .as_ref()
                .map_or(NOT_READ.to_owned(), |apps| join(
                    apps.iter().map(String::as_str)
                ))
        ))?;
        p.opt("includeAllApplications", flow.include_all_applications)?;
        if flow.has_attribute_collection {
            p.line(format_args!(
                "attributes: {}",
                flow.attributes
                    .as_ref()
                    .map_or(NOT_READ.to_owned(), |ids| join(
                        ids.iter().map(String::as_str)
                    ))
            ))?;
        }
        if let Some(page) = &flow.page {
            p.line("page:")?;
            p.nested(|p| match page.single_view() {
                Some(view) => page_view(p, view),
                None => page.views.iter().enumerate().try_for_each(|(i, view)| {
                    p.line(format_args!("view {}:", i + 1))?;
                    p.nested(|p| page_view(p, view))
                }),
            })?;
        }
        extension_handler(
            p,
            "onAttributeCollectionStart",
            flow.on_attribute_collection_start.as_ref(),
        )?;
        extension_handler(
            p,
            "onAttributeCollectionSubmit",
            flow.on_attribute_collection_submit.as_ref(),
        )
    })
}

/// Items separated by commas, or `(none)`.
fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

fn page_view<W: Write>(p: &mut Printer<'_, W>, view: &PageView) -> io::Result<()> {
    p.opt_quoted("title", view.title.as_deref())?;
    p.opt_quoted("description", view.description.as_deref())?;
    p.line(format_args!("inputs: {}", view.inputs.len()))?;
    p.nested(|p| {
        view.inputs
            .iter()
            .try_for_each(|input| page_input(p, input))
    })
}

fn page_input<W: Write>(p: &mut Printer<'_, W>, input: &PageInput) -> io::Result<()> {
    p.line(&input.attribute)?;
    p.nested(|p| {
        p.opt_quoted("label", input.label.as_deref())?;
        p.opt("inputType", input.input_type.as_deref())?;
        p.opt("required", input.required)?;
        p.opt("hidden", input.hidden)?;
        p.opt("editable", input.editable)?;
        p.opt("writeToDirectory", input.write_to_directory)?;
        p.opt_quoted("validationRegEx", input.validation_reg_ex.as_deref())?;
        p.opt_quoted("defaultValue", input.default_value.as_deref())?;
        if !input.options.is_empty() {
            p.line("options:")?;
            p.nested(|p| {
                input.options.iter().try_for_each(|option| {
                    p.line(format_args!(
                        "{} = {}",
                        quoted(&option.label),
                        quoted(&option.value)
                    ))
                })
            })?;
        }
        Ok(())
    })
}

fn extension_handler<W: Write>(
    p: &mut Printer<'_, W>,
    key: &str,
    handler: Option<&ExtensionHandler>,
) -> io::Result<()> {
    let Some(handler) = handler else {
        return Ok(());
    };
    p.line(format_args!("{key}:"))?;
    p.nested(|p| {
        p.line(format_args!(
            "extension: {}",
            match &handler.extension_id {
                Known::Known(Some(id)) => id.as_str(),
                Known::Known(None) => "(none)",
                Known::Unknown(_) => NOT_READ,
            }
        ))?;
        p.opt("timeoutInMilliseconds", handler.timeout_in_milliseconds)?;
        p.opt("maximumRetries", handler.maximum_retries)?;
        p.opt("behaviorOnError", handler.behavior_on_error.as_deref())
    })
}

fn identity_provider<W: Write>(
    p: &mut Printer<'_, W>,
    kind: &IdentityProviderKind,
) -> io::Result<()> {
    match kind {
        IdentityProviderKind::BuiltIn {
            identity_provider_type,
            state,
        } => {
            p.line(format_args!("builtIn {identity_provider_type}"))?;
            p.opt("state", state.as_deref())
        }
        IdentityProviderKind::Social {
            identity_provider_type,
            client_id,
            client_secret,
        } => {
            p.line(format_args!("social {identity_provider_type}"))?;
            p.line(format_args!("clientId: {client_id}"))?;
            secret(p, "clientSecret", *client_secret)
        }
        IdentityProviderKind::Oidc(oidc) => oidc_provider(p, oidc),
        IdentityProviderKind::Apple {
            developer_id,
            service_id,
            key_id,
            certificate_data,
        } => {
            p.line("apple")?;
            p.opt("developerId", developer_id.as_deref())?;
            p.opt("serviceId", service_id.as_deref())?;
            p.opt("keyId", key_id.as_deref())?;
            secret(p, "certificateData", *certificate_data)
        }
        IdentityProviderKind::Other { odata_type } => p.line(format_args!(
            "{odata_type} (a type ciamctl does not manage)"
        )),
    }
}

fn secret<W: Write>(p: &mut Printer<'_, W>, key: &str, state: SecretState) -> io::Result<()> {
    match state {
        SecretState::Set => p.line(format_args!("{key}: {}", ciamctl_secret::MASK)),
        SecretState::Absent => p.line(format_args!("{key}: (not set)")),
    }
}

fn oidc_provider<W: Write>(p: &mut Printer<'_, W>, oidc: &OidcProvider) -> io::Result<()> {
    p.line("oidc")?;
    p.line(format_args!("clientId: {}", oidc.client_id))?;
    p.opt("issuer", oidc.issuer.as_deref())?;
    p.opt("wellKnownEndpoint", oidc.well_known_endpoint.as_deref())?;
    p.opt("responseType", oidc.response_type.as_deref())?;
    p.opt_quoted("scope", oidc.scope.as_deref())?;
    if let Some(authentication) = &oidc.client_authentication {
        p.line(format_args!(
            "clientAuthentication: {}",
            authentication.kind
        ))?;
        p.nested(|p| secret(p, "clientSecret", authentication.client_secret))?;
    }
    if let Some(mapping) = &oidc.inbound_claim_mapping {
        p.line("inboundClaimMapping:")?;
        p.nested(|p| {
            for (key, value) in [
                ("sub", &mapping.sub),
                ("name", &mapping.name),
                ("given_name", &mapping.given_name),
                ("family_name", &mapping.family_name),
                ("email", &mapping.email),
                ("email_verified", &mapping.email_verified),
                ("phone_number", &mapping.phone_number),
                ("phone_number_verified", &mapping.phone_number_verified),
            ] {
                p.opt(key, value.as_deref())?;
            }
            if let Some(address) = &mapping.address {
                p.line("address:")?;
                p.nested(|p| {
                    for (key, value) in [
                        ("street_address", &address.street_address),
                        ("locality", &address.locality),
                        ("region", &address.region),
                        ("postal_code", &address.postal_code),
                        ("country", &address.country),
                    ] {
                        p.opt(key, value.as_deref())?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn branding_properties<W: Write>(
    p: &mut Printer<'_, W>,
    properties: &BrandingProperties,
) -> io::Result<()> {
    for (key, value) in properties.texts() {
        p.opt_quoted(key, value)?;
    }
    if let Some(layout) = &properties.login_page_layout_configuration {
        p.line("loginPageLayoutConfiguration:")?;
        p.nested(|p| {
            p.opt("layoutTemplateType", layout.layout_template_type.as_deref())?;
            p.opt("isHeaderShown", layout.is_header_shown)?;
            p.opt("isFooterShown", layout.is_footer_shown)
        })?;
    }
    if let Some(settings) = &properties.login_page_text_visibility_settings {
        p.line("loginPageTextVisibilitySettings:")?;
        p.nested(|p| {
            p.opt(
                "hideAccountResetCredentials",
                settings.hide_account_reset_credentials,
            )?;
            p.opt(
                "hideCannotAccessYourAccount",
                settings.hide_cannot_access_your_account,
            )?;
            p.opt("hideForgotMyPassword", settings.hide_forgot_my_password)?;
            p.opt("hidePrivacyAndCookies", settings.hide_privacy_and_cookies)?;
            p.opt("hideResetItNow", settings.hide_reset_it_now)?;
            p.opt("hideTermsOfUse", settings.hide_terms_of_use)
        })?;
    }
    if let Some(content) = &properties.content_customization {
        p.line("contentCustomization:")?;
        p.nested(|p| {
            for (key, pairs) in [
                ("attributeCollection", &content.attribute_collection),
                ("registrationCampaign", &content.registration_campaign),
            ] {
                if !pairs.is_empty() {
                    p.line(format_args!("{key}:"))?;
                    p.nested(|p| {
                        pairs.iter().try_for_each(|pair| {
                            p.line(format_args!("{}: {}", pair.key, quoted(&pair.value)))
                        })
                    })?;
                }
            }
            Ok(())
        })?;
    }
    let present: Vec<_> = properties
        .assets
        .iter()
        .filter(|(_, state)| state.is_present())
        .collect();
    if present.is_empty() {
        return p.line("assets: (none)");
    }
    p.line("assets:")?;
    p.nested(|p| {
        present
            .into_iter()
            .try_for_each(|(stream, state)| match state {
                AssetState::Present {
                    content: Some(content),
                } => p.line(format_args!(
                    "{stream}: {}, {} bytes, sha256 {}",
                    content.content_type,
                    content.size,
                    content.sha256.get(..12).unwrap_or(&content.sha256)
                )),
                _ => p.line(format_args!("{stream}: present (not downloaded)")),
            })
    })
}

#[cfg(test)]
mod tests;
