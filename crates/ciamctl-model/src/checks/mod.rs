//! Semantic checks: what Graph would refuse, or what is legal but probably wrong, in a
//! configuration that loaded cleanly.
//!
//! The loader already reports what is wrong with the *shape* of the files (syntax, unknown
//! keys, types, missing fields, objects defined twice, variables, secrets, and which fields an
//! identity provider's type needs). The checks here look at values and at references between
//! objects, so an error that `apply` would hit halfway through is reported before it starts.
//! They never touch the network; the asset checks read the asset files.
//!
//! One module per family, each returning diagnostics with stable codes:
//!
//! | module | codes |
//! |---|---|
//! | `attributes` | `attribute-name-not-an-id`, `attribute-id-collision`, `attribute-shadows-built-in` |
//! | `identity_providers` | `duplicate-social-provider`, `identity-provider-shadows-built-in`, `unused-identity-provider` ⚠, `oidc-url-not-https`, `oidc-scope-without-openid` ⚠ |
//! | `user_flows` | `flow-without-identity-provider`, `unknown-identity-provider`, `duplicate-identity-provider`, `app-in-two-flows`, `duplicate-application`, `page-on-sign-in-only-flow` ⚠ |
//! | `page` | `unknown-attribute`, `duplicate-input`, `input-type-mismatch`, `missing-options`, `unexpected-options`, `duplicate-option-value`, `duplicate-option-label` ⚠, `invalid-regex`, `default-value-not-an-option` ⚠, `default-value-fails-regex` ⚠ |
//! | `branding` | `text-too-long`, `invalid-colour`, `url-not-ascii`, `url-not-absolute` ⚠, `hint-has-link-or-markup` ⚠, `discouraged-branding-property` ⚠, `invalid-locale` |
//! | `branding_assets` | the codes of [`AssetProblem::code`](crate::assets::AssetProblem::code) |
//!
//! (⚠ marks warnings: legal, but probably not what was meant.)

mod attributes;
mod branding;
mod branding_assets;
mod identity_providers;
mod page;
mod user_flows;

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// Every semantic problem of `config`. Pass it to [`Loaded::check`](crate::Loaded::check).
pub fn check(config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    attributes::check(config, &mut out);
    identity_providers::check(config, &mut out);
    user_flows::check(config, &mut out);
    page::check(config, &mut out);
    branding::check(config, &mut out);
    branding_assets::check(config, &mut out);
    out
}

#[cfg(test)]
mod tests;
