//! Identity providers: one provider per social type, providers no flow offers, and the URLs
//! and scope of `OpenID Connect` providers.
//!
//! Which fields a provider's type needs is part of its shape and is checked by the loader
//! (`IdentityProvider::check`); this module looks at values and at the flows.
//!
//! * Graph gives a social provider the id `<Type>-OAUTH` (REFERENCE.md §6), so a tenant holds
//!   one Google and one Facebook provider at most.
//! * A provider only takes effect through a user flow (§3): one that no flow offers is
//!   probably forgotten (warning). Not said while a user flow is damaged or lost: it may be the
//!   one that offers the provider.
//! * An OIDC provider's `issuer` and `wellKnownEndpoint` are URLs the service fetches or
//!   compares with tokens; `OpenID Connect` requires them to be `https` (Discovery 1.0 §3, §4).
//!   Without the `openid` scope the provider returns no ID token (warning). On another type
//!   these fields are reported as inapplicable by the loader, and not checked again here.

use std::collections::BTreeSet;

use crate::builtins;
use crate::config::Config;
use crate::damage::Damage;
use crate::diagnostic::Diagnostic;
use crate::identity_provider::{IdentityProvider, IdentityProviderType};
use crate::located::Located;

pub(super) fn check(config: &Config, damage: &Damage, out: &mut Vec<Diagnostic>) {
    let providers = &config.identity_providers;
    let offered: BTreeSet<&str> = config
        .user_flows
        .iter()
        .flat_map(|flow| flow.identity_providers.iter().map(|r| r.as_str()))
        .collect();
    for (index, provider) in providers.iter().enumerate() {
        duplicate_social(&providers[..index], provider, out);
        if damage.user_flows.is_empty() && !offered.contains(provider.name.as_str()) {
            unused(provider, out);
        }
        if *provider.kind == IdentityProviderType::Oidc {
            oidc(provider, out);
        }
        shadows_built_in(provider, out);
    }
}

fn duplicate_social(
    earlier: &[Located<IdentityProvider>],
    provider: &IdentityProvider,
    out: &mut Vec<Diagnostic>,
) {
    let kind = *provider.kind;
    let type_name = match kind {
        IdentityProviderType::Google => "google",
        IdentityProviderType::Facebook => "facebook",
        IdentityProviderType::Oidc => return,
    };
    let Some(first) = earlier.iter().find(|p| *p.kind == kind) else {
        return;
    };
    out.push(
        Diagnostic::error(
            "duplicate-social-provider",
            format!("a tenant has one `{type_name}` identity provider at most"),
            Some(provider.kind.span()),
        )
        .with_label("a second one")
        .with_related(first.kind.span(), "the first one")
        .with_help("Graph gives a social provider the fixed id `<Type>-OAUTH`: keep one of them"),
    );
}

/// `provider` is in no flow's `identityProviders`.
fn unused(provider: &IdentityProvider, out: &mut Vec<Diagnostic>) {
    let name = provider.name.as_str();
    out.push(
        Diagnostic::warning(
            "unused-identity-provider",
            format!("no user flow offers the identity provider `{name}`"),
            Some(provider.name.span()),
        )
        .with_label("not in any flow's `identityProviders`")
        .with_help(format!(
            "add `{name}` to the `identityProviders` of the flows that should offer it, or \
             remove the provider"
        )),
    );
}

fn oidc(provider: &IdentityProvider, out: &mut Vec<Diagnostic>) {
    for (field, url) in [
        ("issuer", &provider.issuer),
        ("wellKnownEndpoint", &provider.well_known_endpoint),
    ] {
        if let Some(url) = url
            && !is_https_url(url)
        {
            out.push(
                Diagnostic::error(
                    "oidc-url-not-https",
                    format!("`{field}` must be an `https://` URL"),
                    Some(url.span()),
                )
                .with_label("not an https URL")
                .with_help(
                    "OpenID Connect providers publish their issuer and metadata over https; \
                     copy the value from the provider's metadata document",
                ),
            );
        }
    }
    if let Some(scope) = &provider.scope
        && !scope.split_whitespace().any(|s| s == "openid")
    {
        out.push(
            Diagnostic::warning(
                "oidc-scope-without-openid",
                "the scope does not include `openid`",
                Some(scope.span()),
            )
            .with_label("no `openid`")
            .with_help(format!(
                "without `openid` the provider returns no ID token; write `openid {}`",
                scope.as_str()
            )),
        );
    }
}

/// Built-in providers are never declared, so a declared one named like a built-in would be
/// shadowed by it in every flow's `identityProviders`.
fn shadows_built_in(provider: &IdentityProvider, out: &mut Vec<Diagnostic>) {
    if let Some(builtin) = builtins::provider(provider.name.as_str()) {
        out.push(
            Diagnostic::error(
                "identity-provider-shadows-built-in",
                format!(
                    "the identity provider `{}` has the name of a built-in provider",
                    provider.name.as_str()
                ),
                Some(provider.name.span()),
            )
            .with_label(format!("flows would get the built-in `{}`", builtin.id))
            .with_help("give the provider another name"),
        );
    }
}

/// `https://` followed by a host.
fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| {
        rest.split(['/', '?', '#'])
            .next()
            .is_some_and(|h| !h.is_empty())
    })
}
