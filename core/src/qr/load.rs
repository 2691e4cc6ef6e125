//! Turning untrusted image bytes into a grayscale image with bounded cost. The format is taken
//! from the content, never the file name; the size is checked from the header before a pixel is
//! decoded; the decoder itself runs under `image::Limits`. A decompression bomb, a truncated
//! file, an unsupported format or a text file named `.jpeg` is a clear error, never a panic.

use std::io::Cursor;
use std::path::Path;

use image::{GrayImage, ImageFormat, ImageReader, Limits};

use crate::error::{Error, Result};

/// 100 megapixels: a 10K screenshot. Far above any screen, far below what exhausts memory.
pub const MAX_PIXELS: u64 = 100_000_000;
/// The largest file read at all.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// What the decoder may allocate (an RGBA copy of 100 MP plus working room).
const MAX_ALLOC: u64 = 1024 * 1024 * 1024;

/// "<what> cannot be scanned: <reason>." — a sentence naming the file or "the clipboard".
pub(crate) fn bad(what: &str, reason: impl Into<String>) -> Error {
    Error::invalid(
        what,
        format!(
            "{} cannot be scanned: {}.",
            crate::files::capitalised(what),
            reason.into()
        ),
    )
}

pub fn load_file(path: &Path) -> Result<GrayImage> {
    let bytes = read_image_file(path)?;
    load_bytes(&path.display().to_string(), &bytes)
}

/// The bytes of an image file: a regular file of at most `MAX_FILE_BYTES`.
pub fn read_image_file(path: &Path) -> Result<Vec<u8>> {
    crate::files::read_bounded(path, MAX_FILE_BYTES, "the image")
}

/// Decodes PNG, JPEG, WebP, GIF or BMP bytes into 8-bit grayscale. `what` names the source in
/// errors (a file name, "the clipboard").
pub fn load_bytes(what: &str, bytes: &[u8]) -> Result<GrayImage> {
    if bytes.is_empty() {
        return Err(bad(what, "the file is empty"));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| bad(what, format!("could not be read: {e}")))?;
    let format = match reader.format() {
        Some(
            f @ (ImageFormat::Png
            | ImageFormat::Jpeg
            | ImageFormat::WebP
            | ImageFormat::Gif
            | ImageFormat::Bmp),
        ) => f,
        Some(other) => {
            return Err(bad(
                what,
                format!("{other:?} images are not supported (PNG, JPEG, WebP, GIF or BMP)"),
            ))
        }
        None => {
            return Err(bad(
                what,
                "not an image Keydeck can read (PNG, JPEG, WebP, GIF or BMP)",
            ))
        }
    };
    // The header alone says how big the image is: refuse bombs before decoding them.
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| bad(what, format!("unreadable {format:?} header: {e}")))?;
    check_size(what, w, h)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(w.max(1));
    limits.max_image_height = Some(h.max(1));
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            bad(what, "the image needs more memory than Keydeck allows")
        }
        other => bad(
            what,
            format!("broken or truncated {format:?} image: {other}"),
        ),
    })?;
    Ok(img.into_luma8())
}

fn check_size(what: &str, w: u32, h: u32) -> Result<()> {
    if w == 0 || h == 0 {
        return Err(bad(what, "the image has no pixels"));
    }
    let px = u64::from(w) * u64::from(h);
    if px > MAX_PIXELS {
        return Err(bad(
            what,
            format!(
                "{w}×{h} is {} megapixels; Keydeck reads images up to {}",
                px / 1_000_000,
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// Packed RGBA pixels (screen captures, clipboard images) to grayscale.
pub fn from_rgba(what: &str, width: u32, height: u32, rgba: &[u8]) -> Result<GrayImage> {
    check_size(what, width, height)?;
    let n = width as usize * height as usize;
    if rgba.len() < n * 4 {
        return Err(bad(what, "the image data is shorter than its size says"));
    }
    let gray: Vec<u8> = rgba
        .chunks_exact(4)
        .take(n)
        .map(|p| luma(p[0], p[1], p[2]))
        .collect();
    GrayImage::from_raw(width, height, gray).ok_or_else(|| bad(what, "inconsistent image size"))
}

/// ITU-R BT.601 luma, as `image` computes it.
pub fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}
