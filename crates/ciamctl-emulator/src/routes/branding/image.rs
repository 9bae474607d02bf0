//! Image headers: which format a body is (by its magic bytes, not its `Content-Type`) and, for
//! PNG and JPEG, its dimensions.
//!
//! Only headers are read: the PNG `IHDR` chunk, the JPEG start-of-frame segment and the ICO
//! directory header. That is enough for the limits REFERENCE.md §7 states (type, width, height,
//! size); the pixels are never decoded.
//!
//! `ciamctl-model`'s `assets.rs` reads the same headers; the copy is on purpose, as the emulator
//! depends on no workspace crate (ARCHITECTURE.md).

/// An image format the branding streams accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageFormat {
    Png,
    Jpeg,
    Ico,
}

impl ImageFormat {
    /// The media type the stream is served with.
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Ico => "image/x-icon",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Ico => "ICO",
        }
    }

    /// The format a `Content-Type` names (parameters and case ignored), if it names one of ours.
    pub(crate) fn from_media_type(media_type: &str) -> Option<Self> {
        match essence(media_type).as_str() {
            "image/png" => Some(ImageFormat::Png),
            // `image/jpg` is not registered but the CSDL's AcceptableMediaTypes lists it.
            "image/jpeg" | "image/jpg" => Some(ImageFormat::Jpeg),
            "image/x-icon" | "image/vnd.microsoft.icon" => Some(ImageFormat::Ico),
            _ => None,
        }
    }
}

/// A media type without parameters, lower-cased: `Image/PNG; q=1` gives `image/png`.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// What the header of an image says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageInfo {
    pub(crate) format: ImageFormat,
    /// Width and height in pixels; `None` for ICO, whose entries may each have their own.
    pub(crate) size: Option<(u32, u32)>,
}

/// Why a body is not an image we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ImageError {
    #[error("the body is not a PNG, JPEG or ICO image")]
    UnknownFormat,
    #[error("the {0} header is truncated or malformed")]
    Malformed(&'static str),
    #[error("the {0} image declares a width or height of 0")]
    Empty(&'static str),
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Reads the format and dimensions from an image's header.
pub(crate) fn inspect(data: &[u8]) -> Result<ImageInfo, ImageError> {
    let (format, size) = if data.starts_with(PNG_SIGNATURE) {
        (ImageFormat::Png, Some(png_size(data)?))
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (ImageFormat::Jpeg, Some(jpeg_size(data)?))
    } else if data.starts_with(&[0, 0, 1, 0]) {
        ico_check(data)?;
        (ImageFormat::Ico, None)
    } else {
        return Err(ImageError::UnknownFormat);
    };
    match size {
        Some((0, _) | (_, 0)) => Err(ImageError::Empty(format.name())),
        _ => Ok(ImageInfo { format, size }),
    }
}

fn be_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn be_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// PNG: the first chunk must be a 13-byte `IHDR` holding width and height (big-endian).
fn png_size(data: &[u8]) -> Result<(u32, u32), ImageError> {
    let malformed = ImageError::Malformed("PNG");
    let length = be_u32(data, 8).ok_or(malformed.clone())?;
    if length != 13 || data.get(12..16) != Some(b"IHDR".as_slice()) {
        return Err(malformed);
    }
    // The chunk's data and CRC must be there, even though the CRC is not checked.
    if data.len() < 16 + 13 + 4 {
        return Err(malformed);
    }
    let width = be_u32(data, 16).ok_or(malformed.clone())?;
    let height = be_u32(data, 20).ok_or(malformed)?;
    Ok((width, height))
}

/// JPEG: walks the marker segments after SOI to the first start-of-frame (SOF0–SOF15 except
/// DHT `C4`, JPG `C8` and DAC `CC`), whose data is precision, height, width.
fn jpeg_size(data: &[u8]) -> Result<(u32, u32), ImageError> {
    let malformed = ImageError::Malformed("JPEG");
    let mut at = 2;
    loop {
        if data.get(at) != Some(&0xFF) {
            return Err(malformed);
        }
        // Any number of 0xFF fill bytes may precede a marker code.
        while data.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *data.get(at).ok_or(malformed.clone())?;
        at += 1;
        match marker {
            // Standalone markers carry no length.
            0x01 | 0xD0..=0xD7 => {}
            // Start of scan or end of image before any frame header.
            0xDA | 0xD9 => return Err(malformed),
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = be_u16(data, at + 3).ok_or(malformed.clone())?;
                let width = be_u16(data, at + 5).ok_or(malformed)?;
                return Ok((u32::from(width), u32::from(height)));
            }
            _ => {
                let length = be_u16(data, at).ok_or(malformed.clone())?;
                if length < 2 {
                    return Err(malformed);
                }
                at += usize::from(length);
            }
        }
    }
}

/// ICO: reserved 0, type 1, at least one directory entry (16 bytes each) present.
fn ico_check(data: &[u8]) -> Result<(), ImageError> {
    let count = data
        .get(4..6)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .unwrap_or_default();
    if count == 0 || data.len() < 6 + 16 * usize::from(count) {
        return Err(ImageError::Malformed("ICO"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut data = PNG_SIGNATURE.to_vec();
        data.extend_from_slice(&13u32.to_be_bytes());
        data.extend_from_slice(b"IHDR");
        data.extend_from_slice(&width.to_be_bytes());
        data.extend_from_slice(&height.to_be_bytes());
        data.extend_from_slice(&[8, 6, 0, 0, 0]);
        data.extend_from_slice(&[0; 4]);
        data
    }

    #[test]
    fn png_dimensions_come_from_ihdr() {
        let info = inspect(&png_header(245, 36)).unwrap();
        assert_eq!(info.format, ImageFormat::Png);
        assert_eq!(info.size, Some((245, 36)));
    }

    #[test]
    fn png_without_complete_ihdr_is_malformed() {
        let mut data = png_header(1, 1);
        data.truncate(30);
        assert_eq!(inspect(&data), Err(ImageError::Malformed("PNG")));
        let mut data = png_header(1, 1);
        data[12..16].copy_from_slice(b"IDAT");
        assert_eq!(inspect(&data), Err(ImageError::Malformed("PNG")));
    }

    #[test]
    fn jpeg_dimensions_come_from_the_first_sof_after_other_segments() {
        let data = [
            0xFF, 0xD8, // SOI
            0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB, // APP0, 2 data bytes
            0xFF, 0xFF, 0xC4, 0x00, 0x02, // DHT after a fill byte, no data
            0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x24, 0x00, 0xF5, 0x01, 0x01, 0x11,
            0x00, // SOF2
        ];
        let info = inspect(&data).unwrap();
        assert_eq!(info.format, ImageFormat::Jpeg);
        assert_eq!(info.size, Some((245, 36)));
    }

    #[test]
    fn jpeg_with_scan_before_frame_is_malformed() {
        let data = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02];
        assert_eq!(inspect(&data), Err(ImageError::Malformed("JPEG")));
    }

    #[test]
    fn zero_dimensions_and_unknown_formats_are_refused() {
        assert_eq!(inspect(&png_header(0, 5)), Err(ImageError::Empty("PNG")));
        assert_eq!(inspect(b"GIF89a......"), Err(ImageError::UnknownFormat));
    }

    #[test]
    fn ico_needs_its_directory_entries() {
        let mut data = vec![0, 0, 1, 0, 1, 0];
        assert_eq!(inspect(&data), Err(ImageError::Malformed("ICO")));
        data.extend_from_slice(&[0; 16]);
        assert_eq!(inspect(&data).unwrap().format, ImageFormat::Ico);
    }

    #[test]
    fn media_types_ignore_case_and_parameters() {
        assert_eq!(
            ImageFormat::from_media_type("Image/JPG; charset=binary"),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(ImageFormat::from_media_type("image/gif"), None);
    }
}
