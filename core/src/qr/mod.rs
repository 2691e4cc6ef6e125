//! QR codes: reading them from screenshots, image files, the clipboard and the screen, and
//! making them for an account's otpauth:// URI.

pub mod decode;
pub mod encode;
pub mod isolate;
pub mod load;
pub mod scan;

use std::path::Path;

use image::GrayImage;

pub use decode::{find_codes, Found};
pub use scan::{classify, PayloadKind, ScanItem};

use crate::error::Result;

/// Every code in the image file, classified. The file is read bounded (a regular file, at most
/// `load::MAX_FILE_BYTES`); decoding runs behind the [`isolate`] boundary when it is set up.
pub fn scan_file(path: &Path) -> Result<Vec<ScanItem>> {
    let bytes = zeroize::Zeroizing::new(load::read_image_file(path)?);
    scan_bytes(&path.display().to_string(), &bytes)
}

/// Every code in encoded image bytes (PNG, JPEG, …), classified.
pub fn scan_bytes(what: &str, bytes: &[u8]) -> Result<Vec<ScanItem>> {
    if isolate::isolated() {
        let texts = isolate::decode_in_child(what, isolate::Request::Encoded(bytes))?;
        return Ok(texts.into_iter().map(classify).collect());
    }
    Ok(scan_gray_here(&load::load_bytes(what, bytes)?))
}

/// Every code in a grayscale image (a screen capture, a clipboard image), classified.
pub fn scan_gray(img: &GrayImage) -> Vec<ScanItem> {
    try_scan_gray("the image", img).unwrap_or_default()
}

/// As [`scan_gray`], with the decoder's failure as an error naming `what`.
pub fn try_scan_gray(what: &str, img: &GrayImage) -> Result<Vec<ScanItem>> {
    if isolate::isolated() {
        let texts = isolate::decode_in_child(what, isolate::Request::Gray(img))?;
        return Ok(texts.into_iter().map(classify).collect());
    }
    Ok(scan_gray_here(img))
}

fn scan_gray_here(img: &GrayImage) -> Vec<ScanItem> {
    find_codes(img)
        .into_iter()
        .map(|f| classify(f.text))
        .collect()
}
