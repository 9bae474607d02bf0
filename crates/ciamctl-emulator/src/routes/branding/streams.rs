//! The branding streams (images and CSS): their names, the upload limits of REFERENCE.md §7,
//! and the read-only `*RelativeUrl`/`cdnList` properties that point at them.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::image::{self, ImageFormat};
use super::locale;
use crate::error::GraphError;

/// A stream property of `organizationalBrandingProperties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Stream {
    BackgroundImage,
    BannerLogo,
    HeaderLogo,
    SquareLogo,
    SquareLogoDark,
    Favicon,
    #[serde(rename = "customCSS")]
    CustomCss,
}

/// The CDN hosts `cdnList` names once a branding has an asset (REFERENCE.md §7).
const CDN_HOSTS: &[&str] = &[
    "secure.aadcdn.microsoftonline-p.com",
    "aadcdn.msftauthimages.net",
    "aadcdn.msauthimages.net",
];

/// A kibibyte: the docs' "KB" limits are read as multiples of 1024 bytes.
const KB: usize = 1024;

/// What an upload of one stream may be.
struct Limits {
    /// `None` for `customCSS`, which takes `text/css`.
    formats: Option<&'static [ImageFormat]>,
    max_pixels: Option<(u32, u32)>,
    max_bytes: Option<usize>,
}

const PNG_JPEG: &[ImageFormat] = &[ImageFormat::Png, ImageFormat::Jpeg];

impl Stream {
    pub const ALL: [Stream; 7] = [
        Stream::BackgroundImage,
        Stream::BannerLogo,
        Stream::HeaderLogo,
        Stream::SquareLogo,
        Stream::SquareLogoDark,
        Stream::Favicon,
        Stream::CustomCss,
    ];

    /// The property name, as in the CSDL and the stream URL.
    pub fn name(self) -> &'static str {
        match self {
            Stream::BackgroundImage => "backgroundImage",
            Stream::BannerLogo => "bannerLogo",
            Stream::HeaderLogo => "headerLogo",
            Stream::SquareLogo => "squareLogo",
            Stream::SquareLogoDark => "squareLogoDark",
            Stream::Favicon => "favicon",
            Stream::CustomCss => "customCSS",
        }
    }

    /// The stream a URL segment names; segments match case-insensitively, as Graph's do.
    pub(crate) fn from_segment(segment: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(segment))
    }

    /// The stream a JSON property name names (exact case, as `OData` bodies are).
    pub(crate) fn from_property(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The last path segment of the asset's CDN path. `illustration`, `bannerlogo` and
    /// `tilelogo` are the names the docs show (§7); the others follow their pattern.
    fn asset_name(self) -> &'static str {
        match self {
            Stream::BackgroundImage => "illustration",
            Stream::BannerLogo => "bannerlogo",
            Stream::HeaderLogo => "headerlogo",
            Stream::SquareLogo => "tilelogo",
            Stream::SquareLogoDark => "tilelogodark",
            Stream::Favicon => "favicon",
            Stream::CustomCss => "customcss",
        }
    }

    /// REFERENCE.md §7's limits. `backgroundImage` "not smaller than 300 KB" is read as at
    /// most 300 KB, as §7's note and §16.10 say it almost certainly means. `bannerLogo` is
    /// 245 wide by 36 high (one doc revision says 36×245; the logo is a banner). `favicon` has
    /// no documented limits (§16.10): the emulator takes ICO, PNG or JPEG of any size.
    fn limits(self) -> Limits {
        let image = |max_pixels, max_bytes| Limits {
            formats: Some(PNG_JPEG),
            max_pixels,
            max_bytes,
        };
        match self {
            Stream::BackgroundImage => image(Some((1920, 1080)), Some(300 * KB)),
            Stream::BannerLogo | Stream::HeaderLogo => image(Some((245, 36)), None),
            Stream::SquareLogo | Stream::SquareLogoDark => image(Some((240, 240)), Some(10 * KB)),
            Stream::Favicon => Limits {
                formats: Some(&[ImageFormat::Ico, ImageFormat::Png, ImageFormat::Jpeg]),
                max_pixels: None,
                max_bytes: None,
            },
            Stream::CustomCss => Limits {
                formats: None,
                max_pixels: None,
                max_bytes: Some(25 * KB),
            },
        }
    }

    /// Checks an upload against the stream's limits and returns the media type it is stored
    /// and served with. Images are recognised by their magic bytes; the `Content-Type` must
    /// name the same format. `customCSS` takes `text/css` (§16.10) holding UTF-8 text.
    pub(crate) fn check_upload(
        self,
        content_type: Option<&str>,
        data: &[u8],
    ) -> Result<&'static str, GraphError> {
        let name = self.name();
        let limits = self.limits();
        if let Some(max) = limits.max_bytes
            && data.len() > max
        {
            return Err(GraphError::bad_request(format!(
                "{name} is at most {} KB; the upload is {} bytes.",
                max / KB,
                data.len()
            )));
        }
        let Some(formats) = limits.formats else {
            if content_type.map(image::essence).as_deref() != Some("text/css") {
                return Err(GraphError::bad_request(format!(
                    "{name} is uploaded with Content-Type: text/css, not {}.",
                    content_type.unwrap_or("no Content-Type")
                )));
            }
            if std::str::from_utf8(data).is_err() {
                return Err(GraphError::bad_request(format!(
                    "{name} must be CSS text in UTF-8."
                )));
            }
            return Ok("text/css");
        };
        let accepted = formats
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(" or ");
        let declared = content_type.and_then(ImageFormat::from_media_type);
        if !declared.is_some_and(|f| formats.contains(&f)) {
            return Err(GraphError::bad_request(format!(
                "{name} takes a {accepted} image with its image/* Content-Type, not {}.",
                content_type.unwrap_or("no Content-Type")
            )));
        }
        let info = image::inspect(data)
            .map_err(|err| GraphError::bad_request(format!("{name}: {err}.")))?;
        if Some(info.format) != declared {
            return Err(GraphError::bad_request(format!(
                "{name}: the Content-Type says {} but the body is a {} image.",
                content_type.unwrap_or_default(),
                info.format.name()
            )));
        }
        if let (Some((max_w, max_h)), Some((w, h))) = (limits.max_pixels, info.size)
            && (w > max_w || h > max_h)
        {
            return Err(GraphError::bad_request(format!(
                "{name} is at most {max_w}×{max_h} pixels; the image is {w}×{h}."
            )));
        }
        Ok(info.format.media_type())
    }
}

/// `cdnList`: the CDN hosts when the branding has any asset, else `[]` (§7).
pub(crate) fn cdn_list(has_assets: bool) -> Vec<&'static str> {
    if has_assets {
        CDN_HOSTS.to_vec()
    } else {
        Vec::new()
    }
}

/// `<tenant-hash>/logintenantbranding/<lcid>/<asset>?ts=<ticks>` (§7). The hash is derived
/// from the tenant id, so a tenant's paths are stable across runs.
pub(crate) fn relative_url(
    tenant_id: &str,
    branding_id: &str,
    stream: Stream,
    ticks: u64,
) -> String {
    let digest = Sha256::digest(tenant_id.as_bytes()).iter().fold(
        String::with_capacity(64),
        |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        },
    );
    format!(
        "{}-{}/logintenantbranding/{}/{}?ts={ticks}",
        &digest[..8],
        &digest[8..48],
        locale::asset_path_segment(branding_id),
        stream.asset_name()
    )
}

/// .NET ticks (100 ns since 0001-01-01), the unit of the `ts` query in the docs' paths.
pub(crate) fn ticks(time: SystemTime) -> u64 {
    const UNIX_EPOCH_TICKS: u64 = 621_355_968_000_000_000;
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    UNIX_EPOCH_TICKS.saturating_add(u64::try_from(since_epoch.as_nanos() / 100).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_have_the_documented_shape() {
        let url = relative_url(
            "tenant",
            "fr-FR",
            Stream::BannerLogo,
            637_673_868_626_068_858,
        );
        let (hash, rest) = url.split_once('/').unwrap();
        assert_eq!(hash.len(), 8 + 1 + 40);
        assert_eq!(
            rest,
            "logintenantbranding/1036/bannerlogo?ts=637673868626068858"
        );
    }

    #[test]
    fn ticks_count_from_year_one() {
        assert_eq!(ticks(UNIX_EPOCH), 621_355_968_000_000_000);
    }

    #[test]
    fn stream_names_round_trip_through_serde_as_property_names() {
        for stream in Stream::ALL {
            let json = serde_json::to_value(stream).unwrap();
            assert_eq!(json, stream.name());
            assert_eq!(serde_json::from_value::<Stream>(json).unwrap(), stream);
        }
    }
}
