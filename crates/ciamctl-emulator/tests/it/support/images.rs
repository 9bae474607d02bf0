//! Image files for branding uploads. The emulator reads headers only, but these are real
//! files: the PNGs decode (pixels in stored deflate blocks), the JPEG has a correct
//! SOI/APP0/SOF0 but no scan data.

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn png_chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    out.extend_from_slice(
        &u32::try_from(data.len())
            .expect("chunk fits in u32")
            .to_be_bytes(),
    );
    let start = out.len();
    out.extend_from_slice(&kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A black 1-bit greyscale PNG of `width`×`height`.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    png_with_text(width, height, 0)
}

/// A PNG of `width`×`height` that is exactly `total` bytes long (a `tEXt` chunk pads it).
pub fn png_of_size(width: u32, height: u32, total: usize) -> Vec<u8> {
    const TEXT_OVERHEAD: usize = 12 + b"Comment\0".len();
    let bare = png(width, height).len();
    let data = png_with_text(width, height, total - bare - TEXT_OVERHEAD);
    assert_eq!(data.len(), total);
    data
}

fn png_with_text(width: u32, height: u32, text: usize) -> Vec<u8> {
    let row = 1 + usize::try_from(width)
        .expect("width fits in usize")
        .div_ceil(8);
    let raw = vec![0u8; row * usize::try_from(height).expect("height fits in usize")];
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = u16::try_from(block.len()).expect("blocks are at most 65535 bytes");
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]);
    png_chunk(&mut out, *b"IHDR", &ihdr);
    if text > 0 {
        let mut comment = b"Comment\0".to_vec();
        comment.resize(comment.len() + text, b'x');
        png_chunk(&mut out, *b"tEXt", &comment);
    }
    png_chunk(&mut out, *b"IDAT", &zlib);
    png_chunk(&mut out, *b"IEND", &[]);
    out
}

/// A baseline JPEG header of `width`×`height`: SOI, JFIF APP0, SOF0 (one component), EOI.
pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    out.extend_from_slice(b"JFIF\0");
    out.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]);
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 8]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[1, 1, 0x11, 0]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// An ICO with one 16×16 PNG entry.
pub fn ico() -> Vec<u8> {
    let image = png(16, 16);
    let mut out = vec![0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0];
    out.extend_from_slice(
        &u32::try_from(image.len())
            .expect("image fits in u32")
            .to_le_bytes(),
    );
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(&image);
    out
}
