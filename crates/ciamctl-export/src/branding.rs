//! Company branding and its localizations (REFERENCE.md §7, §8): `branding.yaml`, and every
//! stream the tenant has set as a file under `assets/`, named after its property with the
//! extension of its media type (`assets/bannerLogo.png`, `assets/fr-FR/bannerLogo.png`).
//!
//! Texts are complete in the format (a text left out means none), so every text the tenant
//! has is written, a localization's explicit blank `" "` included. The layout and visibility
//! settings are written member by member as the tenant has them.

use std::collections::BTreeSet;

use ciamctl_live::{AssetState, BrandingProperties, LiveTenant, Stream};
use ciamctl_model::assets::{ImageFormat, identify};
use ciamctl_model::branding::canonical_locale;
use ciamctl_model::settings::ResourceKind;

use crate::document::{
    Branding, BrandingFile, ContentCustomization, KeyValue, Layout, Properties, Text, Visibility,
};
use crate::names::{Unique, locale_slug};
use crate::yaml::Files;
use crate::{ExportError, Skipped, Streams};

/// The branding file, with its asset files added to `files`; `None` when the tenant has no
/// default branding.
pub(crate) fn convert(
    live: &LiveTenant,
    streams: &Streams,
    with_localizations: bool,
    files: &mut Files,
    skipped: &mut Vec<Skipped>,
) -> Result<Option<BrandingFile>, ExportError> {
    let Some(branding) = live.branding.known().and_then(Option::as_ref) else {
        return Ok(None);
    };
    let default = properties(&branding.properties, streams, None, "assets", files)?;
    let mut localizations = Vec::new();
    if with_localizations {
        let mut sorted: Vec<_> = live.localizations.known().into_iter().flatten().collect();
        sorted.sort_by(|a, b| a.locale.cmp(&b.locale));
        let mut folders = Unique::new("-");
        let mut written = BTreeSet::new();
        for localization in sorted {
            // Written as the files write locales; the planner matches them without regard to
            // case, as Graph does.
            let locale = canonical_locale(&localization.locale);
            if !written.insert(locale.clone()) {
                skipped.push(Skipped {
                    kind: ResourceKind::Localizations,
                    name: localization.locale.clone(),
                    reason: format!("is `{locale}` again, in another case"),
                });
                continue;
            }
            let folder = format!("assets/{}", folders.claim(&locale_slug(&locale)));
            let localized = properties(
                &localization.properties,
                streams,
                Some(&localization.locale),
                &folder,
                files,
            )?;
            localizations.push((locale, localized));
        }
    }
    Ok(Some(BrandingFile {
        branding: Branding {
            properties: default,
            localizations,
        },
    }))
}

/// The properties of the default branding (`locale` `None`) or a localization; its streams
/// are written to `folder`.
fn properties(
    live: &BrandingProperties,
    streams: &Streams,
    locale: Option<&str>,
    folder: &str,
    files: &mut Files,
) -> Result<Properties, ExportError> {
    let texts = live
        .texts()
        .into_iter()
        .filter_map(|(name, text)| text.map(|text| (name, Text::literal(text))))
        .collect();
    let layout = live
        .login_page_layout_configuration
        .as_ref()
        .map(|l| Layout {
            layout_template_type: match l.layout_template_type.as_deref() {
                Some("default") => Some("default"),
                Some("verticalSplit") => Some("verticalSplit"),
                // Another member cannot be written; left out, the planner keeps it as it is.
                _ => None,
            },
            is_header_shown: l.is_header_shown,
            is_footer_shown: l.is_footer_shown,
        });
    let visibility = live
        .login_page_text_visibility_settings
        .as_ref()
        .map(|v| Visibility {
            hide_account_reset_credentials: v.hide_account_reset_credentials,
            hide_cannot_access_your_account: v.hide_cannot_access_your_account,
            hide_forgot_my_password: v.hide_forgot_my_password,
            hide_privacy_and_cookies: v.hide_privacy_and_cookies,
            hide_reset_it_now: v.hide_reset_it_now,
            hide_terms_of_use: v.hide_terms_of_use,
        });
    let pairs = |list: &[ciamctl_live::KeyValue]| {
        list.iter()
            .map(|pair| KeyValue {
                key: Text::literal(&pair.key),
                value: Text::literal(&pair.value),
            })
            .collect()
    };
    let content_customization =
        live.content_customization
            .as_ref()
            .map(|content| ContentCustomization {
                attribute_collection: pairs(&content.attribute_collection),
                registration_campaign: pairs(&content.registration_campaign),
            });
    let mut assets = Vec::new();
    for stream in Stream::ALL {
        let AssetState::Present { content } = live.asset(stream) else {
            continue;
        };
        let Some(bytes) = streams.get(locale, stream) else {
            return Err(ExportError::MissingStream {
                owner: locale.map_or_else(
                    || "default branding".to_owned(),
                    |l| format!("localization `{l}`"),
                ),
                stream,
            });
        };
        let media_type = content.as_ref().map(|c| c.content_type.as_str());
        let name = format!("{}.{}", stream.name(), extension(stream, media_type, bytes));
        files.binary(&format!("{folder}/{name}"), bytes.to_vec());
        // Relative to `branding.yaml`, at the top of the directory.
        assets.push((stream.name(), Text::literal(&format!("{folder}/{name}"))));
    }
    Ok(Properties {
        texts,
        layout: layout.filter(|l| *l != Layout::default()),
        visibility: visibility.filter(|v| *v != Visibility::default()),
        content_customization,
        assets,
    })
}

/// The file extension of a stream: from the media type Graph served it with, else from its
/// magic bytes (`validate` identifies images by those too).
fn extension(stream: Stream, media_type: Option<&str>, bytes: &[u8]) -> &'static str {
    match media_type {
        Some("image/png") => return "png",
        Some("image/jpeg" | "image/jpg" | "image/pjpeg") => return "jpg",
        Some("image/gif") => return "gif",
        Some("image/x-icon" | "image/vnd.microsoft.icon" | "image/ico") => return "ico",
        Some("text/css") => return "css",
        _ => {}
    }
    if stream == Stream::CustomCss {
        return "css";
    }
    match identify(bytes) {
        Some(ImageFormat::Png) => "png",
        Some(ImageFormat::Jpeg) => "jpg",
        Some(ImageFormat::Gif) => "gif",
        Some(ImageFormat::Ico | ImageFormat::Cur) => "ico",
        Some(ImageFormat::Bmp) => "bmp",
        Some(ImageFormat::WebP) => "webp",
        Some(ImageFormat::Tiff) => "tiff",
        Some(ImageFormat::Svg) => "svg",
        None => "bin",
    }
}
