//! Company branding and its localizations (REFERENCE.md §7, §8): texts, page settings and
//! streams of the default branding and of each localization, compared with the tenant.
//!
//! * Texts: absent from the files is none, and so are Graph's `null` and `""`; `" "` is kept
//!   (an explicit blank, which on a localization stops the default's text from showing,
//!   §15.18). A text the files no longer set is cleared with `null`.
//! * `loginPageLayoutConfiguration` and `loginPageTextVisibilitySettings`: only the members the
//!   files set are compared (Graph fills the others). A change sends the whole value, the live
//!   members with the files' on top, which is right whether Graph merges a complex value on
//!   PATCH or replaces it.
//! * `contentCustomization`: when the files have it, its two lists are complete.
//! * Streams: compared by SHA-256; one the files do not name is left alone. Each is uploaded by
//!   its own `PUT`, after the object's own write: streams and texts never share a request
//!   (§15.15).
//! * The default branding has no create: the first `PATCH` with `Accept-Language: 0` makes it
//!   (§7). Localizations are created by `POST` after it. Before a localization or the branding
//!   is deleted, its streams are removed (§15.16), each by `DELETE` on its URL (the OData
//!   convention, §16.9).

use std::collections::BTreeMap;

use ciamctl_live::{
    AssetState, Branding as LiveBranding, BrandingProperties, ContentCustomization,
    Fingerprint as _, Localization as LiveLocalization, Stream,
};
use ciamctl_model::Located;
use ciamctl_model::branding::{self as model, AssetPath};
use ciamctl_model::settings::ResourceKind;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{Context, Fields, json as to_json, text};
use crate::builder::{ChangeRef, Request, Resource, StepRef};
use crate::document::{Action, AssetDigest, AssetUpload, FieldOp, Kind};

/// The default branding's id in paths and `Accept-Language` (§7).
const DEFAULT_ID: &str = "0";
/// The default branding's name in the plan.
const DEFAULT_NAME: &str = "default";

/// Adds the changes of the default branding and its localizations: writes towards the files,
/// then deletes (or lists as unmanaged) what only the tenant has.
pub(crate) fn diff(cx: &mut Context<'_>) {
    let desired = cx.config.branding.as_deref();
    if let Some(branding) = desired {
        write_desired(cx, branding);
    }
    only_in_tenant(cx, desired);
}

/// Creates or updates the default branding and each localization the files have.
fn write_desired(cx: &mut Context<'_>, branding: &model::Branding) {
    let live = cx
        .live
        .branding
        .map(|b| (&b.properties, || b.fingerprint()));
    write(cx, &Target::Default, live, &Desired::from(branding));
    let live_localizations = cx.live.localizations;
    for (locale, localization) in &branding.localizations {
        let live = live_localizations
            .iter()
            .find(|l| l.locale.eq_ignore_ascii_case(locale));
        let target = Target::Localization {
            name: locale.as_str(),
            id: live.map_or(locale.as_str(), |l| l.locale.as_str()),
        };
        let live = live.map(|l| (&l.properties, || l.fingerprint()));
        write(cx, &target, live, &Desired::from(&**localization));
    }
}

/// Deletes the live localizations, and the default branding, that the files do not have, for
/// the kinds `settings.prune` lists; lists the others as unmanaged.
fn only_in_tenant(cx: &mut Context<'_>, desired: Option<&model::Branding>) {
    let settings = &cx.config.settings;
    let prune_localizations = settings.prunes(ResourceKind::Localizations);
    let live_branding = cx.live.branding;
    let branding_deleted =
        desired.is_none() && live_branding.is_some() && settings.prunes(ResourceKind::Branding);
    let left = cx.live.localizations.iter().filter(|live| {
        desired.is_none_or(|b| {
            !b.localizations
                .keys()
                .any(|locale| locale.eq_ignore_ascii_case(&live.locale))
        })
    });
    let mut going_with_branding = Vec::new();
    for localization in left {
        if prune_localizations {
            delete_localization(cx, localization);
        } else if branding_deleted {
            going_with_branding.push(localization);
        } else {
            cx.leave_unmanaged(
                Kind::Localization,
                &localization.locale,
                &localization.locale,
            );
        }
    }
    // In a fixed order, whatever order Graph listed them in.
    going_with_branding.sort_by(|a, b| a.locale.cmp(&b.locale));
    match live_branding {
        Some(live) if branding_deleted => delete_branding(cx, live, &going_with_branding),
        Some(_) if desired.is_none() => {
            cx.leave_unmanaged(Kind::Branding, DEFAULT_NAME, DEFAULT_ID);
        }
        _ => {}
    }
}

/// The object a write goes to.
enum Target<'a> {
    Default,
    /// `name` as the files write the locale, `id` as the tenant has it (they may differ in
    /// case) or, for a create, as the files write it.
    Localization {
        name: &'a str,
        id: &'a str,
    },
}

impl Target<'_> {
    fn kind(&self) -> Kind {
        match self {
            Target::Default => Kind::Branding,
            Target::Localization { .. } => Kind::Localization,
        }
    }

    fn name(&self) -> &str {
        match self {
            Target::Default => DEFAULT_NAME,
            Target::Localization { name, .. } => name,
        }
    }

    fn id(&self) -> &str {
        match self {
            Target::Default => DEFAULT_ID,
            Target::Localization { id, .. } => id,
        }
    }
}

/// The desired properties of the default branding or of a localization (two structs of the
/// model with the same fields).
struct Desired<'a> {
    texts: Vec<(&'static str, &'a Located<String>)>,
    /// `loginPageLayoutConfiguration` and `loginPageTextVisibilitySettings`, as JSON objects of
    /// the members the files set.
    layout: Option<Value>,
    visibility: Option<Value>,
    content_customization: Option<&'a model::ContentCustomization>,
    assets: Vec<(Stream, &'a Located<AssetPath>)>,
}

macro_rules! desired_from {
    ($model:ty) => {
        impl<'a> From<&'a $model> for Desired<'a> {
            fn from(properties: &'a $model) -> Self {
                Desired {
                    texts: properties.texts(),
                    layout: properties
                        .login_page_layout_configuration
                        .as_ref()
                        .map(to_json),
                    visibility: properties
                        .login_page_text_visibility_settings
                        .as_ref()
                        .map(to_json),
                    content_customization: properties.content_customization.as_deref(),
                    assets: properties
                        .assets
                        .as_ref()
                        .map(|assets| assets.files())
                        .unwrap_or_default(),
                }
            }
        }
    };
}

desired_from!(model::Branding);
desired_from!(model::Localization);

/// Creates `target` (no `live`) or updates it to `desired`: one write of its properties, then
/// one upload per stream that differs, after that write. `live` is the object's properties and
/// its fingerprint, computed only when there is a change to record it in.
fn write(
    cx: &mut Context<'_>,
    target: &Target<'_>,
    live: Option<(&BrandingProperties, impl FnOnce() -> String)>,
    desired: &Desired<'_>,
) {
    let none = BrandingProperties::default();
    let live_properties = live.as_ref().map_or(&none, |(properties, _)| *properties);
    let mut fields = Fields::default();
    let mut body = properties(&mut fields, live_properties, desired);
    let mut notes = Vec::new();
    let uploads = streams(cx, &mut fields, &mut notes, live_properties, desired);
    // A create is a change even when it sets nothing: the object itself is missing.
    if live.is_some() && fields.0.is_empty() {
        return;
    }

    let (action, change) = match live {
        Some((_, fingerprint)) => (
            Action::Update,
            cx.builder.live_change(
                Action::Update,
                target.kind(),
                target.name(),
                target.id(),
                fingerprint(),
            ),
        ),
        None => (
            Action::Create,
            cx.builder
                .change(Action::Create, target.kind(), target.name()),
        ),
    };
    let pending = cx.builder.get_mut(change);
    pending.fields = fields.0;
    pending.notes = notes;

    let tenant = cx.live.tenant_id;
    let written = match target {
        Target::Default if action == Action::Create || !body.is_empty() => {
            let request = Request::patch(branding_path(tenant), Value::Object(body))
                .header("Accept-Language", DEFAULT_ID);
            let step = cx.builder.step(change, request, []);
            cx.builder.provides(step, Resource::Branding);
            Some(step)
        }
        Target::Localization { id, .. } if action == Action::Create => {
            body.shift_insert(0, "id".to_owned(), Value::from(*id));
            let request = Request::post(localizations_path(tenant), Value::Object(body));
            let step = cx.builder.step(change, request, []);
            cx.builder.needs(step, Resource::Branding);
            Some(step)
        }
        Target::Localization { id, .. } if !body.is_empty() => {
            let request = Request::patch(localization_path(tenant, id), Value::Object(body));
            Some(cx.builder.step(change, request, []))
        }
        _ => None,
    };
    for (stream, upload) in uploads {
        let request = Request::put(stream_path(tenant, target.id(), stream)).asset(upload);
        cx.builder.step(change, request, written);
    }
}

/// Compares the non-stream properties, recording each difference in `fields`; returns the
/// body of a write that makes them match.
fn properties(
    fields: &mut Fields,
    live: &BrandingProperties,
    desired: &Desired<'_>,
) -> Map<String, Value> {
    let mut body = Map::new();
    let wanted: BTreeMap<&str, &str> = desired
        .texts
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    for (name, live_text) in live.texts() {
        let want = text(wanted.get(name).copied());
        if fields.compare(name, text(live_text), want) {
            body.insert(name.to_owned(), want.map_or(Value::Null, Value::from));
        }
    }
    setting(
        fields,
        &mut body,
        "loginPageLayoutConfiguration",
        &live.login_page_layout_configuration,
        desired.layout.as_ref(),
    );
    setting(
        fields,
        &mut body,
        "loginPageTextVisibilitySettings",
        &live.login_page_text_visibility_settings,
        desired.visibility.as_ref(),
    );
    if let Some(want) = desired.content_customization {
        content_customization(fields, &mut body, live.content_customization.as_ref(), want);
    }
    body
}

/// A complex setting of which the files set some members (`want`, none when they do not have
/// the setting): those are compared, the others are Graph's.
fn setting(
    fields: &mut Fields,
    body: &mut Map<String, Value>,
    name: &str,
    live: &impl Serialize,
    want: Option<&Value>,
) {
    let Some(Value::Object(want)) = want else {
        return;
    };
    let mut value: Map<String, Value> = match to_json(live) {
        Value::Object(members) => members.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    };
    let mut changed = false;
    for (member, wanted) in want {
        changed |= fields.compare(&format!("{name}.{member}"), value.get(member), Some(wanted));
    }
    if changed {
        value.extend(want.clone());
        body.insert(name.to_owned(), Value::Object(value));
    }
}

/// `contentCustomization` from the files: both lists are complete, and a change sends both
/// (Graph replaces a collection on PATCH).
fn content_customization(
    fields: &mut Fields,
    body: &mut Map<String, Value>,
    live: Option<&ContentCustomization>,
    want: &model::ContentCustomization,
) {
    let lists = [
        (
            "attributeCollection",
            live.map(|c| to_json(&c.attribute_collection)),
            to_json(&want.attribute_collection),
        ),
        (
            "registrationCampaign",
            live.map(|c| to_json(&c.registration_campaign)),
            to_json(&want.registration_campaign),
        ),
    ];
    let mut changed = false;
    let mut value = Map::new();
    for (list, live, wanted) in lists {
        // An empty list and no list are the same: the live side reads both as none.
        let present = |v: &Value| v.as_array().is_some_and(|items| !items.is_empty());
        changed |= fields.compare(
            &format!("contentCustomization.{list}"),
            live.filter(present),
            Some(wanted.clone()).filter(present),
        );
        value.insert(list.to_owned(), wanted);
    }
    if changed {
        body.insert("contentCustomization".to_owned(), Value::Object(value));
    }
}

/// Compares the streams the files name with the live ones by SHA-256, recording each
/// difference in `fields`; returns the uploads that make them match.
fn streams(
    cx: &mut Context<'_>,
    fields: &mut Fields,
    notes: &mut Vec<String>,
    live: &BrandingProperties,
    desired: &Desired<'_>,
) -> Vec<(Stream, AssetUpload)> {
    let mut uploads = Vec::new();
    for (stream, path) in &desired.assets {
        let Some(file) = cx.assets.get(path) else {
            cx.missing_assets.push(display(path));
            continue;
        };
        let field = format!("assets.{}", stream.name());
        let after = asset_value(&file.digest, file.text.as_deref());
        match live.asset(*stream) {
            AssetState::Absent => {
                fields.compare(&field, None, Some(after));
            }
            AssetState::Present {
                content: Some(content),
            } => {
                if content.sha256 == file.digest.sha256 {
                    continue;
                }
                let before = AssetDigest {
                    sha256: content.sha256.clone(),
                    size: content.size,
                    content_type: content.content_type.clone(),
                };
                fields.compare(
                    &field,
                    Some(asset_value(&before, content.text.as_deref())),
                    Some(after),
                );
            }
            AssetState::Present { content: None } => {
                // Without the live bytes nothing says they already match: upload again.
                fields.push(&field, FieldOp::Change, None, Some(after));
                notes.push(format!(
                    "the tenant's {} was not downloaded, so it is uploaded again without comparing",
                    stream.name()
                ));
            }
        }
        uploads.push((
            *stream,
            AssetUpload {
                path: file.path.clone(),
                digest: file.digest.clone(),
            },
        ));
    }
    uploads
}

/// An asset as a field shows it: its digest, and a stylesheet's text for a line diff.
fn asset_value(digest: &AssetDigest, text: Option<&str>) -> Value {
    let mut value = to_json(digest);
    if let (Value::Object(members), Some(text)) = (&mut value, text) {
        members.insert("text".to_owned(), Value::from(text));
    }
    value
}

/// An asset path as the missing-asset error names it: relative to the configuration
/// directory, with `/` separators.
fn display(path: &AssetPath) -> String {
    path.base
        .join(&path.path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Deletes a localization the files do not have: its streams first (§15.16), then itself.
/// The branding's delete waits for it.
fn delete_localization(cx: &mut Context<'_>, live: &LiveLocalization) {
    let change = cx.builder.live_change(
        Action::Delete,
        Kind::Localization,
        &live.locale,
        &live.locale,
        live.fingerprint(),
    );
    let step = remove_localization(cx, change, live);
    cx.builder.releases(step, Resource::Branding);
}

/// Deletes the default branding, with its streams first (§15.16). `with` are localizations
/// the files do not have that are not pruned: the branding cannot outlive them, so they are
/// deleted with it, explicitly rather than trusting Graph to cascade (which §7 does not say).
fn delete_branding(cx: &mut Context<'_>, live: &LiveBranding, with: &[&LiveLocalization]) {
    let change = cx.builder.live_change(
        Action::Delete,
        Kind::Branding,
        DEFAULT_NAME,
        DEFAULT_ID,
        live.fingerprint(),
    );
    let mut before = remove_streams(cx, change, DEFAULT_ID, &live.properties);
    for localization in with {
        before.push(remove_localization(cx, change, localization));
    }
    if !with.is_empty() {
        let locales: Vec<&str> = with.iter().map(|l| l.locale.as_str()).collect();
        cx.builder.get_mut(change).notes.push(format!(
            "also deletes the localization(s) {}, which `settings.prune` does not list: a \
             branding is deleted with its localizations",
            locales.join(", ")
        ));
    }
    // The docs' example sends the branding's id as the body (§7).
    let request =
        Request::delete(branding_path(cx.live.tenant_id)).json(json!({ "id": DEFAULT_ID }));
    let step = cx.builder.step(change, request, before);
    cx.builder.takes(step, Resource::Branding);
}

/// The steps of `change` that delete a localization: its streams, then itself (the returned
/// step).
fn remove_localization(
    cx: &mut Context<'_>,
    change: ChangeRef,
    live: &LiveLocalization,
) -> StepRef {
    let streams = remove_streams(cx, change, &live.locale, &live.properties);
    let request = Request::delete(localization_path(cx.live.tenant_id, &live.locale));
    cx.builder.step(change, request, streams)
}

/// One `DELETE` on the URL of each stream `properties` has (§16.9: removing one stream is not
/// documented; the OData convention, which the emulator follows by default).
fn remove_streams(
    cx: &mut Context<'_>,
    change: ChangeRef,
    id: &str,
    properties: &BrandingProperties,
) -> Vec<StepRef> {
    let tenant = cx.live.tenant_id;
    Stream::ALL
        .into_iter()
        .filter(|stream| properties.asset(*stream).is_present())
        .map(|stream| {
            cx.builder
                .step(change, Request::delete(stream_path(tenant, id, stream)), [])
        })
        .collect()
}

/// `{orgId}` is the tenant id (§7).
fn branding_path(tenant: &str) -> String {
    format!("/organization/{tenant}/branding")
}

fn localizations_path(tenant: &str) -> String {
    format!("{}/localizations", branding_path(tenant))
}

fn localization_path(tenant: &str, id: &str) -> String {
    format!("{}/{id}", localizations_path(tenant))
}

/// Streams of the default branding too go under `localizations/0` (§7, §15.15).
fn stream_path(tenant: &str, id: &str, stream: Stream) -> String {
    format!("{}/{}", localization_path(tenant, id), stream.name())
}

#[cfg(test)]
mod tests;
