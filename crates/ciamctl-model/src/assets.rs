//! Branding asset files: where they may live, what they are, and whether Graph takes them.
//!
//! **What it manages.** The stream properties of company branding and its localizations
//! (REFERENCE.md §7, §8): images and one stylesheet, uploaded as raw bytes. `validate` checks
//! them offline, so a file Graph would refuse fails before `apply` starts.
//!
//! **Identification.** A file is identified by its magic bytes, never by its extension, and
//! its pixel size is read from the header alone (no decoding):
//!
//! | format | magic | size from |
//! |---|---|---|
//! | PNG | `89 50 4E 47 0D 0A 1A 0A` | the `IHDR` chunk |
//! | JPEG | `FF D8 FF` | the first `SOFn` frame header (baseline, progressive, lossless, arithmetic) |
//! | GIF | `GIF87a` / `GIF89a` | the logical screen descriptor |
//! | ICO / CUR | `00 00 01 00` / `00 00 02 00` | the largest image in the directory (a 0 byte means 256) |
//! | BMP | `BM` | the DIB header (`BITMAPCOREHEADER` or later; negative heights are top-down) |
//! | WebP | `RIFF….WEBP` | the `VP8 `, `VP8L` or `VP8X` chunk |
//! | TIFF | `II*\0` / `MM\0*` | not read: no property takes TIFF, so its size never matters |
//! | SVG | text starting with `<svg` or `<?xml … <svg` | none: vector images have no pixel size |
//!
//! WebP, TIFF and SVG are recognised only to say precisely what a refused file is.
//!
//! **Limits** ([`Stream::limits`], REFERENCE.md §7):
//!
//! | property | types | pixels | bytes |
//! |---|---|---|---|
//! | `backgroundImage` | PNG, JPEG | ≤ 1920×1080 | ≤ 300 KB |
//! | `bannerLogo`, `headerLogo` | PNG, JPEG | ≤ 245×36 | – |
//! | `squareLogo`, `squareLogoDark` | PNG, JPEG | ≤ 240×240 | ≤ 10 KB |
//! | `favicon` | ICO, PNG, GIF, JPEG | – | – |
//! | `customCSS` | a `.css` file of UTF-8 text | – | ≤ 25 KB |
//!
//! **Quirks.** §7 says `backgroundImage` is "not smaller than 300 KB"; we read it as "not
//! larger", as §7 itself suggests. A KB is 1024 bytes, Microsoft's usual meaning. The favicon
//! has no documented limits (§7, §16.10); we accept the image types that the CSDL's
//! `AcceptableMediaTypes` annotation lists for branding streams *and* browsers display as a
//! favicon (ICO, PNG, GIF, JPEG; not BMP or TIFF), with no size limit.
//!
//! **Paths.** An asset path is relative to the file that names it and must stay inside the
//! configuration directory, both as written (no `..` above the root) and after symlinks are
//! followed ([`resolve`], with the same rules as `${file:PATH}`).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::paths::{self, Escape};

/// A branding stream property (REFERENCE.md §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stream {
    BackgroundImage,
    BannerLogo,
    HeaderLogo,
    SquareLogo,
    SquareLogoDark,
    Favicon,
    CustomCss,
}

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

    /// The Graph property name, which is also the key under `assets:` in the YAML.
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

    /// The stream of a Graph property name (exact spelling).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What Graph accepts for this property.
    pub fn limits(self) -> Limits {
        const PNG_JPEG: &[ImageFormat] = &[ImageFormat::Png, ImageFormat::Jpeg];
        let image = |formats, pixels, max_bytes| Limits {
            content: Content::Image(formats),
            max_pixels: pixels,
            max_bytes,
        };
        match self {
            Stream::BackgroundImage => {
                image(PNG_JPEG, Some(Dimensions::new(1920, 1080)), Some(300 * KB))
            }
            Stream::BannerLogo | Stream::HeaderLogo => {
                image(PNG_JPEG, Some(Dimensions::new(245, 36)), None)
            }
            Stream::SquareLogo | Stream::SquareLogoDark => {
                image(PNG_JPEG, Some(Dimensions::new(240, 240)), Some(10 * KB))
            }
            Stream::Favicon => image(
                &[
                    ImageFormat::Ico,
                    ImageFormat::Png,
                    ImageFormat::Gif,
                    ImageFormat::Jpeg,
                ],
                None,
                None,
            ),
            Stream::CustomCss => Limits {
                content: Content::Css,
                max_pixels: None,
                max_bytes: Some(25 * KB),
            },
        }
    }
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// As its Graph property name, the key of asset maps in the live snapshot's JSON.
impl serde::Serialize for Stream {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One KB as Microsoft's branding limits count it.
const KB: u64 = 1024;

/// What a stream property takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub content: Content,
    /// Largest width and height, each checked on its own.
    pub max_pixels: Option<Dimensions>,
    pub max_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// An image in one of these formats.
    Image(&'static [ImageFormat]),
    /// A UTF-8 stylesheet in a `.css` file.
    Css,
}

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
}

impl Dimensions {
    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    fn fits_in(self, max: Dimensions) -> bool {
        self.width <= max.width && self.height <= max.height
    }
}

impl fmt::Display for Dimensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.width, self.height)
    }
}

/// An image format recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    Ico,
    Cur,
    Bmp,
    WebP,
    Tiff,
    Svg,
}

impl ImageFormat {
    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Gif => "GIF",
            ImageFormat::Ico => "ICO",
            ImageFormat::Cur => "CUR (cursor)",
            ImageFormat::Bmp => "BMP",
            ImageFormat::WebP => "WebP",
            ImageFormat::Tiff => "TIFF",
            ImageFormat::Svg => "SVG",
        }
    }

    /// The `Content-Type` to upload this format with. ICO uses the name the CSDL's
    /// `AcceptableMediaTypes` annotation lists (REFERENCE.md §7).
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Ico | ImageFormat::Cur => "image/vnd.microsoft.icon",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::WebP => "image/webp",
            ImageFormat::Tiff => "image/tiff",
            ImageFormat::Svg => "image/svg+xml",
        }
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an image header could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("the file ends inside the {0} header")]
    Truncated(ImageFormat),
    #[error("the {format} header is damaged: {reason}")]
    Malformed {
        format: ImageFormat,
        reason: &'static str,
    },
}

/// The format of `bytes`, from their magic bytes; `None` when no known image format matches.
pub fn identify(bytes: &[u8]) -> Option<ImageFormat> {
    let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        ImageFormat::Gif
    } else if bytes.starts_with(&[0, 0, 1, 0]) {
        ImageFormat::Ico
    } else if bytes.starts_with(&[0, 0, 2, 0]) {
        ImageFormat::Cur
    } else if bytes.starts_with(b"BM") && bytes.len() >= 14 {
        ImageFormat::Bmp
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        ImageFormat::WebP
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        ImageFormat::Tiff
    } else if looks_like_svg(bytes) {
        ImageFormat::Svg
    } else {
        return None;
    };
    Some(format)
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    let text = head.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<svg") || (text.starts_with("<?xml") && text.contains("<svg"))
}

/// The pixel size of an image of `format`, from its header. `Ok(None)` for formats whose
/// size is not read (TIFF, SVG).
pub fn dimensions(format: ImageFormat, bytes: &[u8]) -> Result<Option<Dimensions>, HeaderError> {
    let reader = Reader { format, bytes };
    let size = match format {
        ImageFormat::Png => reader.png()?,
        ImageFormat::Jpeg => reader.jpeg()?,
        ImageFormat::Gif => {
            Dimensions::new(u32::from(reader.u16_le(6)?), u32::from(reader.u16_le(8)?))
        }
        ImageFormat::Ico | ImageFormat::Cur => reader.icon_directory()?,
        ImageFormat::Bmp => reader.bmp()?,
        ImageFormat::WebP => reader.webp()?,
        ImageFormat::Tiff | ImageFormat::Svg => return Ok(None),
    };
    if size.width == 0 || size.height == 0 {
        return Err(reader.malformed("the image has no pixels"));
    }
    Ok(Some(size))
}

/// Bounds-checked reads of a header.
struct Reader<'a> {
    format: ImageFormat,
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn slice<const N: usize>(&self, at: usize) -> Result<[u8; N], HeaderError> {
        self.bytes
            .get(at..at + N)
            .and_then(|s| s.try_into().ok())
            .ok_or(HeaderError::Truncated(self.format))
    }

    fn u8(&self, at: usize) -> Result<u8, HeaderError> {
        Ok(self.slice::<1>(at)?[0])
    }

    fn u16_le(&self, at: usize) -> Result<u16, HeaderError> {
        Ok(u16::from_le_bytes(self.slice(at)?))
    }

    fn u16_be(&self, at: usize) -> Result<u16, HeaderError> {
        Ok(u16::from_be_bytes(self.slice(at)?))
    }

    fn u24_le(&self, at: usize) -> Result<u32, HeaderError> {
        let [a, b, c] = self.slice(at)?;
        Ok(u32::from_le_bytes([a, b, c, 0]))
    }

    fn u32_le(&self, at: usize) -> Result<u32, HeaderError> {
        Ok(u32::from_le_bytes(self.slice(at)?))
    }

    fn u32_be(&self, at: usize) -> Result<u32, HeaderError> {
        Ok(u32::from_be_bytes(self.slice(at)?))
    }

    fn malformed(&self, reason: &'static str) -> HeaderError {
        HeaderError::Malformed {
            format: self.format,
            reason,
        }
    }

    /// The first chunk must be `IHDR`: width and height, big-endian, right after its type.
    fn png(&self) -> Result<Dimensions, HeaderError> {
        if self.slice::<4>(12)? != *b"IHDR" {
            return Err(self.malformed("the first chunk is not IHDR"));
        }
        Ok(Dimensions::new(self.u32_be(16)?, self.u32_be(20)?))
    }

    /// Walks the marker segments up to the first start-of-frame header.
    fn jpeg(&self) -> Result<Dimensions, HeaderError> {
        let mut at = 2;
        loop {
            if self.u8(at)? != 0xFF {
                return Err(self.malformed("a segment does not start with a marker"));
            }
            // Any number of 0xFF fill bytes may precede a marker code.
            while self.u8(at)? == 0xFF {
                at += 1;
            }
            let marker = self.u8(at)?;
            at += 1;
            match marker {
                // Standalone markers carry no length.
                0x01 | 0xD0..=0xD7 => {}
                0xD9 | 0xDA => {
                    return Err(self.malformed("the image data starts before a frame header"));
                }
                // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                    // Length (2), sample precision (1), then height and width.
                    let height = self.u16_be(at + 3)?;
                    let width = self.u16_be(at + 5)?;
                    return Ok(Dimensions::new(u32::from(width), u32::from(height)));
                }
                _ => {
                    let length = usize::from(self.u16_be(at)?);
                    if length < 2 {
                        return Err(self.malformed("a segment length is too small"));
                    }
                    at += length;
                }
            }
        }
    }

    /// The directory lists every image in the file; the largest one is the icon's size.
    fn icon_directory(&self) -> Result<Dimensions, HeaderError> {
        let count = usize::from(self.u16_le(4)?);
        if count == 0 {
            return Err(self.malformed("the icon directory is empty"));
        }
        let mut largest = Dimensions::new(0, 0);
        for entry in 0..count {
            let at = 6 + entry * 16;
            // A stored 0 means 256 pixels.
            let side = |byte: u8| if byte == 0 { 256 } else { u32::from(byte) };
            let size = Dimensions::new(side(self.u8(at)?), side(self.u8(at + 1)?));
            if u64::from(size.width) * u64::from(size.height)
                > u64::from(largest.width) * u64::from(largest.height)
            {
                largest = size;
            }
        }
        Ok(largest)
    }

    fn bmp(&self) -> Result<Dimensions, HeaderError> {
        let header_size = self.u32_le(14)?;
        if header_size == 12 {
            // BITMAPCOREHEADER: unsigned 16-bit sides.
            return Ok(Dimensions::new(
                u32::from(self.u16_le(18)?),
                u32::from(self.u16_le(20)?),
            ));
        }
        if header_size < 40 {
            return Err(self.malformed("unknown DIB header size"));
        }
        let width = i32::from_le_bytes(self.slice(18)?);
        // A negative height marks a top-down bitmap.
        let height = i32::from_le_bytes(self.slice(22)?);
        if width < 0 {
            return Err(self.malformed("the width is negative"));
        }
        Ok(Dimensions::new(width.unsigned_abs(), height.unsigned_abs()))
    }

    fn webp(&self) -> Result<Dimensions, HeaderError> {
        match &self.slice::<4>(12)? {
            b"VP8 " => {
                if self.slice::<3>(23)? != [0x9D, 0x01, 0x2A] {
                    return Err(self.malformed("the VP8 start code is missing"));
                }
                Ok(Dimensions::new(
                    u32::from(self.u16_le(26)? & 0x3FFF),
                    u32::from(self.u16_le(28)? & 0x3FFF),
                ))
            }
            b"VP8L" => {
                if self.u8(20)? != 0x2F {
                    return Err(self.malformed("the VP8L signature is missing"));
                }
                // Two 14-bit fields, each storing the side minus one.
                let bits = self.u32_le(21)?;
                Ok(Dimensions::new(
                    (bits & 0x3FFF) + 1,
                    ((bits >> 14) & 0x3FFF) + 1,
                ))
            }
            b"VP8X" => Ok(Dimensions::new(self.u24_le(24)? + 1, self.u24_le(27)? + 1)),
            _ => Err(self.malformed("the first chunk is not VP8, VP8L or VP8X")),
        }
    }
}

/// Why an asset file cannot be uploaded as its property. Each has a stable diagnostic code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetProblem {
    #[error("the path is empty")]
    EmptyPath,
    #[error("`{path}` is an absolute path")]
    AbsolutePath { path: String },
    #[error("`{path}` points outside the configuration directory")]
    OutsideConfig { path: String },
    #[error("`{path}` leads outside the configuration directory through a symbolic link")]
    OutsideConfigViaSymlink { path: String },
    #[error("`{path}` does not exist")]
    Missing { path: String },
    #[error("`{path}` is not a file")]
    NotAFile { path: String },
    #[error("`{path}` cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("`{path}` is empty")]
    EmptyFile { path: String },
    #[error("`{path}` is not an image")]
    NotAnImage { path: String },
    #[error("`{path}` is a {found} image; {stream} takes {accepted}")]
    WrongImageType {
        path: String,
        found: ImageFormat,
        stream: Stream,
        accepted: String,
    },
    #[error("`{path}` cannot be read as an image: {error}")]
    BadHeader { path: String, error: HeaderError },
    #[error("`{path}` is {size} pixels; {stream} takes at most {max}")]
    TooManyPixels {
        path: String,
        size: Dimensions,
        stream: Stream,
        max: Dimensions,
    },
    #[error("`{path}` is {bytes} bytes; {stream} takes at most {max} bytes ({max_kb} KB)", max_kb = max / KB)]
    TooManyBytes {
        path: String,
        bytes: u64,
        stream: Stream,
        max: u64,
    },
    #[error("`{path}` is not a `.css` file")]
    NotCss { path: String },
    #[error("`{path}` is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { path: String, offset: usize },
}

impl AssetProblem {
    /// The diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            AssetProblem::EmptyPath | AssetProblem::AbsolutePath { .. } => "asset-path-invalid",
            AssetProblem::OutsideConfig { .. } | AssetProblem::OutsideConfigViaSymlink { .. } => {
                "asset-outside-config-dir"
            }
            AssetProblem::Missing { .. } | AssetProblem::NotAFile { .. } => "asset-missing",
            AssetProblem::Unreadable { .. } => "asset-unreadable",
            AssetProblem::EmptyFile { .. } | AssetProblem::NotAnImage { .. } => {
                "asset-not-an-image"
            }
            AssetProblem::WrongImageType { .. } => "asset-wrong-image-type",
            AssetProblem::BadHeader { .. } => "asset-damaged",
            AssetProblem::TooManyPixels { .. } => "asset-too-many-pixels",
            AssetProblem::TooManyBytes { .. } => "asset-too-many-bytes",
            AssetProblem::NotCss { .. } => "css-wrong-extension",
            AssetProblem::NotUtf8 { .. } => "css-not-utf8",
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        match self {
            AssetProblem::EmptyPath
            | AssetProblem::AbsolutePath { .. }
            | AssetProblem::OutsideConfig { .. }
            | AssetProblem::OutsideConfigViaSymlink { .. } => {
                "keep asset files inside the configuration directory and name them by a path \
                 relative to the YAML file, e.g. `assets/banner.png`"
                    .to_owned()
            }
            AssetProblem::Missing { .. } | AssetProblem::NotAFile { .. } => {
                "the path is relative to the YAML file that names it; check the spelling, or \
                 add the file"
                    .to_owned()
            }
            AssetProblem::Unreadable { .. } => "check the file's permissions".to_owned(),
            AssetProblem::EmptyFile { .. }
            | AssetProblem::NotAnImage { .. }
            | AssetProblem::WrongImageType { .. }
            | AssetProblem::BadHeader { .. } => {
                "export the image again as PNG or JPEG (ICO, PNG, GIF or JPEG for a favicon)"
                    .to_owned()
            }
            AssetProblem::TooManyPixels { max, .. } => {
                format!("scale the image down to fit within {max} pixels")
            }
            AssetProblem::TooManyBytes { stream, .. } => match stream {
                Stream::CustomCss => "minify the stylesheet or drop unused rules".to_owned(),
                _ => "compress the image (fewer colours, a smaller size, or JPEG)".to_owned(),
            },
            AssetProblem::NotCss { .. } => {
                "customCSS takes a stylesheet: name the file with a `.css` extension".to_owned()
            }
            AssetProblem::NotUtf8 { .. } => "save the stylesheet as UTF-8".to_owned(),
        }
    }
}

/// What an asset file is uploaded as: `text/css` for a stylesheet (REFERENCE.md §7 names no
/// upload type for `customCSS`; `text/css` is the one it suggests), else the image type its
/// magic bytes say. `validate` refuses every other file before a plan is made.
pub fn upload_type(path: &Path, bytes: &[u8]) -> &'static str {
    if path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("css"))
    {
        return "text/css";
    }
    identify(bytes).map_or("application/octet-stream", ImageFormat::media_type)
}

/// Where an asset path points. `config_dir` is the configuration directory, `base` the
/// directory of the YAML file that names the asset, relative to `config_dir`, and `value` the
/// path as written. Returns the file's path on disk.
pub fn resolve(config_dir: &Path, base: &Path, value: &str) -> Result<PathBuf, AssetProblem> {
    let path = || value.to_owned();
    if value.trim().is_empty() {
        return Err(AssetProblem::EmptyPath);
    }
    let full = paths::contained(config_dir, base, value).map_err(|escape| match escape {
        Escape::Absolute => AssetProblem::AbsolutePath { path: path() },
        Escape::AboveRoot => AssetProblem::OutsideConfig { path: path() },
    })?;
    let unreadable = |error: io::Error| {
        if error.kind() == io::ErrorKind::NotFound {
            AssetProblem::Missing { path: path() }
        } else {
            AssetProblem::Unreadable {
                path: path(),
                reason: error.to_string(),
            }
        }
    };
    let metadata = std::fs::metadata(&full).map_err(unreadable)?;
    if !paths::stays_inside(config_dir, &full).map_err(unreadable)? {
        return Err(AssetProblem::OutsideConfigViaSymlink { path: path() });
    }
    if !metadata.is_file() {
        return Err(AssetProblem::NotAFile { path: path() });
    }
    Ok(full)
}

/// Everything wrong with `bytes` as the content of `stream`. `path` is the path as the user
/// wrote it, for messages and for the `.css` extension check.
pub fn inspect(stream: Stream, path: &str, bytes: &[u8]) -> Vec<AssetProblem> {
    let limits = stream.limits();
    let mut problems = Vec::new();
    let owned = || path.to_owned();
    match limits.content {
        Content::Css => {
            let is_css = Path::new(path)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("css"));
            if !is_css {
                problems.push(AssetProblem::NotCss { path: owned() });
            }
            if let Err(error) = std::str::from_utf8(bytes) {
                problems.push(AssetProblem::NotUtf8 {
                    path: owned(),
                    offset: error.valid_up_to(),
                });
            }
        }
        Content::Image(accepted) => {
            if bytes.is_empty() {
                return vec![AssetProblem::EmptyFile { path: owned() }];
            }
            let Some(format) = identify(bytes) else {
                return vec![AssetProblem::NotAnImage { path: owned() }];
            };
            if accepted.contains(&format) {
                match dimensions(format, bytes) {
                    Err(error) => problems.push(AssetProblem::BadHeader {
                        path: owned(),
                        error,
                    }),
                    Ok(Some(size)) => {
                        if let Some(max) = limits.max_pixels
                            && !size.fits_in(max)
                        {
                            problems.push(AssetProblem::TooManyPixels {
                                path: owned(),
                                size,
                                stream,
                                max,
                            });
                        }
                    }
                    Ok(None) => {}
                }
            } else {
                problems.push(AssetProblem::WrongImageType {
                    path: owned(),
                    found: format,
                    stream,
                    accepted: join_or(accepted),
                });
            }
        }
    }
    let length = bytes.len() as u64;
    if let Some(max) = limits.max_bytes
        && length > max
    {
        problems.push(AssetProblem::TooManyBytes {
            path: owned(),
            bytes: length,
            stream,
            max,
        });
    }
    problems
}

/// `PNG or JPEG`, `ICO, PNG, GIF or JPEG`.
fn join_or(formats: &[ImageFormat]) -> String {
    match formats {
        [] => String::new(),
        [one] => one.name().to_owned(),
        [init @ .., last] => {
            let init: Vec<_> = init.iter().map(|f| f.name()).collect();
            format!("{} or {}", init.join(", "), last.name())
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
