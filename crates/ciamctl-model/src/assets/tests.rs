//! Header parsing and limits, on hand-built headers: each builder writes only the bytes the
//! format's specification puts in front of the pixel data.

use std::path::Path;

use super::{
    AssetProblem, Dimensions, HeaderError, ImageFormat, Stream, dimensions, identify, inspect,
    resolve,
};

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(b"IHDR");
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    // Bit depth, colour type, compression, filter, interlace, then a CRC we never check.
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

/// A JPEG with an APP0 (JFIF) segment and a DHT table before the frame header, so the parser
/// has to skip segments and must not take DHT (C4) for a frame.
fn jpeg(sof: u8, width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    bytes.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    bytes.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00]);
    // A fill byte before the marker is legal.
    bytes.extend_from_slice(&[0xFF, 0xFF, sof, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    bytes
}

pub(crate) fn gif(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = b"GIF89a".to_vec();
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&[0, 0, 0]);
    bytes
}

/// An icon directory with entries of the given sides (256 is stored as 0).
fn ico(kind: u16, sides: &[(u32, u32)]) -> Vec<u8> {
    let mut bytes = vec![0, 0];
    bytes.extend_from_slice(&kind.to_le_bytes());
    bytes.extend_from_slice(&u16::try_from(sides.len()).unwrap().to_le_bytes());
    for &(w, h) in sides {
        let byte = |side: u32| {
            if side == 256 {
                0
            } else {
                u8::try_from(side).unwrap()
            }
        };
        bytes.extend_from_slice(&[byte(w), byte(h), 0, 0, 1, 0, 32, 0]);
        bytes.extend_from_slice(&[0; 8]);
    }
    bytes
}

fn bmp(width: i32, height: i32) -> Vec<u8> {
    let mut bytes = b"BM".to_vec();
    bytes.extend_from_slice(&[0; 12]);
    bytes.extend_from_slice(&40u32.to_le_bytes());
    bytes.extend_from_slice(&width.to_le_bytes());
    bytes.extend_from_slice(&height.to_le_bytes());
    bytes.extend_from_slice(&[1, 0, 24, 0]);
    bytes
}

fn webp(chunk: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut bytes = b"RIFF\0\0\0\0WEBP".to_vec();
    bytes.extend_from_slice(&chunk);
    bytes.extend_from_slice(&[0; 4]);
    bytes.extend_from_slice(payload);
    bytes
}

fn size(bytes: &[u8]) -> Dimensions {
    let format = identify(bytes).expect("a known format");
    dimensions(format, bytes).unwrap().expect("a pixel size")
}

#[test]
fn png_size_comes_from_ihdr() {
    assert_eq!(identify(&png(245, 36)), Some(ImageFormat::Png));
    assert_eq!(size(&png(245, 36)), Dimensions::new(245, 36));
}

#[test]
fn png_whose_first_chunk_is_not_ihdr_is_damaged() {
    let mut bytes = png(1, 1);
    bytes[12..16].copy_from_slice(b"IDAT");
    assert!(matches!(
        dimensions(ImageFormat::Png, &bytes),
        Err(HeaderError::Malformed { .. })
    ));
}

#[test]
fn jpeg_size_comes_from_the_first_frame_header_of_any_sof_kind() {
    for sof in [0xC0, 0xC1, 0xC2, 0xC3, 0xC9, 0xCF] {
        let bytes = jpeg(sof, 640, 480);
        assert_eq!(identify(&bytes), Some(ImageFormat::Jpeg));
        assert_eq!(size(&bytes), Dimensions::new(640, 480), "SOF {sof:#X}");
    }
}

#[test]
fn jpeg_scan_before_frame_header_is_damaged() {
    let bytes = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02];
    assert!(matches!(
        dimensions(ImageFormat::Jpeg, &bytes),
        Err(HeaderError::Malformed { .. })
    ));
}

#[test]
fn truncated_headers_are_reported_not_panicked_on() {
    let cases: [(ImageFormat, Vec<u8>); 5] = [
        (ImageFormat::Png, png(10, 10)[..18].to_vec()),
        (ImageFormat::Jpeg, jpeg(0xC0, 10, 10)[..30].to_vec()),
        (ImageFormat::Gif, gif(10, 10)[..7].to_vec()),
        (
            ImageFormat::Ico,
            ico(1, &[(16, 16), (32, 32)])[..23].to_vec(),
        ),
        (ImageFormat::Bmp, bmp(10, 10)[..20].to_vec()),
    ];
    for (format, bytes) in cases {
        assert_eq!(
            dimensions(format, &bytes),
            Err(HeaderError::Truncated(format))
        );
    }
}

#[test]
fn gif_size_comes_from_the_screen_descriptor() {
    assert_eq!(identify(&gif(16, 16)), Some(ImageFormat::Gif));
    assert_eq!(size(&gif(300, 20)), Dimensions::new(300, 20));
}

#[test]
fn icon_size_is_its_largest_image_and_zero_means_256() {
    let bytes = ico(1, &[(16, 16), (256, 256), (48, 48)]);
    assert_eq!(identify(&bytes), Some(ImageFormat::Ico));
    assert_eq!(size(&bytes), Dimensions::new(256, 256));
    let cursor = ico(2, &[(32, 32)]);
    assert_eq!(identify(&cursor), Some(ImageFormat::Cur));
    assert_eq!(size(&cursor), Dimensions::new(32, 32));
}

#[test]
fn empty_icon_directory_is_damaged() {
    assert!(matches!(
        dimensions(ImageFormat::Ico, &ico(1, &[])),
        Err(HeaderError::Malformed { .. })
    ));
}

#[test]
fn bmp_size_handles_top_down_and_core_headers() {
    assert_eq!(size(&bmp(100, -50)), Dimensions::new(100, 50));
    let mut core = b"BM".to_vec();
    core.extend_from_slice(&[0; 12]);
    core.extend_from_slice(&12u32.to_le_bytes());
    core.extend_from_slice(&[64, 0, 32, 0, 1, 0, 24, 0]);
    assert_eq!(size(&core), Dimensions::new(64, 32));
}

#[test]
fn webp_size_comes_from_each_chunk_kind() {
    let mut lossy = vec![0, 0, 0, 0x9D, 0x01, 0x2A];
    lossy.extend_from_slice(&300u16.to_le_bytes());
    lossy.extend_from_slice(&200u16.to_le_bytes());
    assert_eq!(size(&webp(*b"VP8 ", &lossy)), Dimensions::new(300, 200));

    // 14 bits of width-1, then 14 bits of height-1.
    let bits: u32 = (100 - 1) | ((50 - 1) << 14);
    let mut lossless = vec![0x2F];
    lossless.extend_from_slice(&bits.to_le_bytes());
    assert_eq!(size(&webp(*b"VP8L", &lossless)), Dimensions::new(100, 50));

    let mut extended = vec![0; 4];
    extended.extend_from_slice(&[0x7F, 0x07, 0x00, 0x37, 0x04, 0x00]);
    assert_eq!(
        size(&webp(*b"VP8X", &extended)),
        Dimensions::new(1920, 1080)
    );
}

#[test]
fn tiff_and_svg_are_recognised_without_a_size() {
    assert_eq!(identify(b"II*\0\x08\0\0\0"), Some(ImageFormat::Tiff));
    assert_eq!(identify(b"MM\0*\0\0\0\x08"), Some(ImageFormat::Tiff));
    let svg = b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    assert_eq!(identify(svg), Some(ImageFormat::Svg));
    assert_eq!(dimensions(ImageFormat::Svg, svg), Ok(None));
}

#[test]
fn text_and_unknown_bytes_are_not_images() {
    assert_eq!(identify(b"body { color: red; }"), None);
    assert_eq!(identify(b""), None);
    assert_eq!(identify(b"BM"), None);
}

#[test]
fn banner_logo_within_245_by_36_passes_and_one_pixel_more_fails() {
    assert_eq!(inspect(Stream::BannerLogo, "b.png", &png(245, 36)), []);
    assert_eq!(
        inspect(Stream::HeaderLogo, "b.jpg", &jpeg(0xC0, 245, 36)),
        []
    );
    let problems = inspect(Stream::BannerLogo, "b.png", &png(245, 37));
    assert_eq!(
        problems,
        [AssetProblem::TooManyPixels {
            path: "b.png".into(),
            size: Dimensions::new(245, 37),
            stream: Stream::BannerLogo,
            max: Dimensions::new(245, 36),
        }]
    );
    assert_eq!(problems[0].code(), "asset-too-many-pixels");
    assert_eq!(
        problems[0].to_string(),
        "`b.png` is 245×37 pixels; bannerLogo takes at most 245×36"
    );
}

#[test]
fn square_logo_over_10_kb_fails_on_bytes() {
    let mut bytes = png(240, 240);
    bytes.resize(10 * 1024, 0);
    assert_eq!(inspect(Stream::SquareLogoDark, "s.png", &bytes), []);
    bytes.push(0);
    let problems = inspect(Stream::SquareLogo, "s.png", &bytes);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), "asset-too-many-bytes");
    assert_eq!(
        problems[0].to_string(),
        "`s.png` is 10241 bytes; squareLogo takes at most 10240 bytes (10 KB)"
    );
}

#[test]
fn background_image_checks_both_pixels_and_bytes() {
    let mut bytes = jpeg(0xC2, 1921, 1080);
    bytes.resize(300 * 1024 + 1, 0);
    let codes: Vec<_> = inspect(Stream::BackgroundImage, "bg.jpg", &bytes)
        .iter()
        .map(AssetProblem::code)
        .collect();
    assert_eq!(codes, ["asset-too-many-pixels", "asset-too-many-bytes"]);
    assert_eq!(
        inspect(Stream::BackgroundImage, "bg.jpg", &jpeg(0xC0, 1920, 1080)),
        []
    );
}

#[test]
fn logos_take_only_png_or_jpeg() {
    let problems = inspect(Stream::BannerLogo, "b.gif", &gif(10, 10));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), "asset-wrong-image-type");
    assert_eq!(
        problems[0].to_string(),
        "`b.gif` is a GIF image; bannerLogo takes PNG or JPEG"
    );
}

#[test]
fn favicon_takes_ico_png_gif_and_jpeg_of_any_size_but_not_bmp() {
    for bytes in [
        ico(1, &[(256, 256)]),
        png(512, 512),
        gif(64, 64),
        jpeg(0xC0, 32, 32),
    ] {
        assert_eq!(inspect(Stream::Favicon, "f", &bytes), []);
    }
    let problems = inspect(Stream::Favicon, "f.bmp", &bmp(16, 16));
    assert_eq!(
        problems[0].to_string(),
        "`f.bmp` is a BMP image; favicon takes ICO, PNG, GIF or JPEG"
    );
}

#[test]
fn text_given_as_an_image_is_not_an_image() {
    let problems = inspect(Stream::BannerLogo, "banner.png", b"hello");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), "asset-not-an-image");
    assert_eq!(
        inspect(Stream::BannerLogo, "banner.png", b"")[0].to_string(),
        "`banner.png` is empty"
    );
}

#[test]
fn damaged_header_of_an_accepted_type_is_reported() {
    let problems = inspect(Stream::BannerLogo, "b.png", &png(0, 36));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code(), "asset-damaged");
}

#[test]
fn custom_css_must_be_a_css_file_of_utf8_within_25_kb() {
    assert_eq!(inspect(Stream::CustomCss, "a/site.CSS", b"a { }"), []);
    let codes = |path: &str, bytes: &[u8]| -> Vec<&'static str> {
        inspect(Stream::CustomCss, path, bytes)
            .iter()
            .map(AssetProblem::code)
            .collect()
    };
    assert_eq!(codes("site.txt", b"a { }"), ["css-wrong-extension"]);
    assert_eq!(
        codes("site.css", b"a { content: '\xFF' }"),
        ["css-not-utf8"]
    );
    assert_eq!(
        codes("site.css", &vec![b' '; 25 * 1024]),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes("site.css", &vec![b' '; 25 * 1024 + 1]),
        ["asset-too-many-bytes"]
    );
}

#[test]
fn media_types_match_the_format() {
    assert_eq!(ImageFormat::Jpeg.media_type(), "image/jpeg");
    assert_eq!(ImageFormat::Ico.media_type(), "image/vnd.microsoft.icon");
}

mod paths {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config/assets")).unwrap();
        std::fs::create_dir_all(dir.path().join("config/branding")).unwrap();
        std::fs::write(dir.path().join("config/assets/banner.png"), png(1, 1)).unwrap();
        std::fs::write(dir.path().join("secret.png"), png(1, 1)).unwrap();
        dir
    }

    #[test]
    fn path_is_relative_to_the_declaring_file_and_may_climb_within_the_root() {
        let dir = tree();
        let config = dir.path().join("config");
        assert_eq!(
            resolve(&config, Path::new(""), "assets/banner.png").unwrap(),
            config.join("assets/banner.png")
        );
        assert_eq!(
            resolve(&config, Path::new("branding"), "../assets/./banner.png").unwrap(),
            config.join("assets/banner.png")
        );
    }

    #[test]
    fn dot_dot_above_the_root_is_outside_even_when_the_file_exists() {
        let dir = tree();
        let config = dir.path().join("config");
        let problem = resolve(&config, Path::new(""), "../secret.png").unwrap_err();
        assert_eq!(problem.code(), "asset-outside-config-dir");
    }

    #[test]
    fn absolute_missing_and_directory_paths_are_refused() {
        let dir = tree();
        let config = dir.path().join("config");
        let absolute = dir.path().join("secret.png");
        assert!(matches!(
            resolve(&config, Path::new(""), absolute.to_str().unwrap()),
            Err(AssetProblem::AbsolutePath { .. })
        ));
        assert!(matches!(
            resolve(&config, Path::new(""), "assets/nope.png"),
            Err(AssetProblem::Missing { .. })
        ));
        assert!(matches!(
            resolve(&config, Path::new(""), "assets"),
            Err(AssetProblem::NotAFile { .. })
        ));
        assert!(matches!(
            resolve(&config, Path::new(""), " "),
            Err(AssetProblem::EmptyPath)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_that_leaves_the_root_is_outside() {
        let dir = tree();
        let config = dir.path().join("config");
        std::os::unix::fs::symlink(
            dir.path().join("secret.png"),
            config.join("assets/link.png"),
        )
        .unwrap();
        std::os::unix::fs::symlink("banner.png", config.join("assets/alias.png")).unwrap();
        assert!(matches!(
            resolve(&config, Path::new(""), "assets/link.png"),
            Err(AssetProblem::OutsideConfigViaSymlink { .. })
        ));
        assert!(resolve(&config, Path::new(""), "assets/alias.png").is_ok());
    }
}

#[test]
fn a_stylesheet_uploads_as_css_and_an_image_as_what_its_bytes_say() {
    assert_eq!(
        super::upload_type(Path::new("assets/site.CSS"), b"a {}"),
        "text/css"
    );
    assert_eq!(
        super::upload_type(Path::new("assets/logo"), &png(10, 10)),
        "image/png"
    );
    assert_eq!(
        super::upload_type(Path::new("assets/notes.txt"), b"hello"),
        "application/octet-stream"
    );
}
