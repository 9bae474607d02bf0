//! What a saved plan records so that `apply` can tell it is stale: a digest of the desired
//! state and a fingerprint of every live object read.

use ciamctl_live::{Fingerprint, Keyed, LiveTenant, canonical_json, hex_sha256};
use ciamctl_model::Config;
use serde_json::json;

use crate::DesiredAssets;
use crate::document::LiveObject;

/// SHA-256 of the desired state as the planner sees it: every resolved value (secret fields
/// as their references, never values), the settings, and every asset's digest.
pub(crate) fn config_digest(config: &Config, assets: &DesiredAssets) -> String {
    let assets: Vec<_> = crate::asset_references(config)
        .into_iter()
        .filter_map(|asset| assets.get(asset))
        .map(|file| json!({ "path": file.path, "digest": file.digest }))
        .collect();
    // Objects by name: moving an object within or between files changes no plan, so it must
    // not make a saved plan look stale. (Lists inside an object, such as page inputs, keep their
    // order, which can matter.)
    let mut attributes: Vec<_> = config.attributes.iter().collect();
    attributes.sort_by(|a, b| a.name.cmp(&b.name));
    let mut providers: Vec<_> = config.identity_providers.iter().collect();
    providers.sort_by(|a, b| a.name.cmp(&b.name));
    let mut flows: Vec<_> = config.user_flows.iter().collect();
    flows.sort_by(|a, b| a.name.cmp(&b.name));
    let desired = json!({
        "attributes": attributes,
        "identityProviders": providers,
        "userFlows": flows,
        "branding": config.branding,
        "settings": config.settings,
        "assets": assets,
    });
    hex_sha256(canonical_json(&desired).as_bytes())
}

/// Every live object of `tenant` with its fingerprint, sorted by kind, name and id.
pub(crate) fn live_objects(tenant: &LiveTenant) -> Vec<LiveObject> {
    fn add<T: Keyed + Fingerprint>(
        out: &mut Vec<LiveObject>,
        kind: ciamctl_live::Kind,
        items: Option<&Vec<T>>,
        id: impl Fn(&T) -> &str,
    ) {
        for item in items.into_iter().flatten() {
            let (name, _) = item.key();
            out.push(LiveObject {
                kind: kind.name().to_owned(),
                name: name.to_owned(),
                id: id(item).to_owned(),
                fingerprint: item.fingerprint(),
            });
        }
    }
    use ciamctl_live::Kind as K;
    let mut out = Vec::new();
    add(&mut out, K::UserFlows, tenant.user_flows.known(), |f| &f.id);
    add(&mut out, K::Attributes, tenant.attributes.known(), |a| {
        &a.id
    });
    add(
        &mut out,
        K::IdentityProviders,
        tenant.identity_providers.known(),
        |p| &p.id,
    );
    add(
        &mut out,
        K::CustomExtensions,
        tenant.custom_extensions.known(),
        |e| &e.id,
    );
    add(
        &mut out,
        K::Localizations,
        tenant.localizations.known(),
        |l| &l.locale,
    );
    add(
        &mut out,
        K::Applications,
        tenant.applications.known(),
        |a| &a.app_id,
    );
    if let Some(Some(branding)) = tenant.branding.known() {
        out.push(LiveObject {
            kind: K::Branding.name().to_owned(),
            name: "default".to_owned(),
            id: "0".to_owned(),
            fingerprint: branding.fingerprint(),
        });
    }
    if let Some(organization) = tenant.organization.known() {
        out.push(LiveObject {
            kind: K::Organization.name().to_owned(),
            name: organization.display_name.clone().unwrap_or_default(),
            id: organization.id.clone(),
            fingerprint: organization.fingerprint(),
        });
    }
    out.sort();
    out
}
