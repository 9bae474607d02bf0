//! Semantic checks: what Graph would refuse, or what is legal but probably wrong.
//!
//! The loader already reports what is wrong with the *shape* of the files (syntax, unknown
//! keys, types, missing fields, objects defined twice, variables, secrets, and which fields an
//! identity provider's type needs). The checks here look at values and at references between
//! objects, so an error that `apply` would hit halfway through is reported before it starts.
//! They never touch the network; the asset checks read the asset files.
//!
//! They also run on what survived structural errors, so every problem is reported at once;
//! the loader's `Damage` says what those errors damaged, and its two rules (no conclusion from absence
//! about a damaged object, no unknown reference to a lost name) keep one mistake from being
//! reported twice.
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

use std::collections::{BTreeMap, btree_map};

use crate::config::Config;
use crate::damage::Damage;
use crate::diagnostic::Diagnostic;

/// Every semantic problem of `config`, which may be partial: `damage` says where loading found
/// errors.
pub(crate) fn check(config: &Config, damage: &Damage) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    attributes::check(config, &mut out);
    identity_providers::check(config, damage, &mut out);
    user_flows::check(config, damage, &mut out);
    page::check(config, damage, &mut out);
    branding::check(config, &mut out);
    branding_assets::check(config, &mut out);
    out
}

/// What was remembered when `key` was first seen (typically where), or `None` after
/// remembering `value` for it: the bookkeeping of every "twice" check.
fn seen_before<K: Ord, V: Copy>(seen: &mut BTreeMap<K, V>, key: K, value: V) -> Option<V> {
    match seen.entry(key) {
        btree_map::Entry::Occupied(first) => Some(*first.get()),
        btree_map::Entry::Vacant(vacant) => {
            vacant.insert(value);
            None
        }
    }
}

#[cfg(test)]
mod tests;
