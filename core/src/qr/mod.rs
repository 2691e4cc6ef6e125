//! QR codes: reading them from screenshots, image files, the clipboard and the screen, and
//! making them for an account's otpauth:// URI.

pub mod decode;
pub mod encode;
pub mod load;
pub mod scan;

use std::path::Path;

use image::GrayImage;

pub use decode::{find_codes, Found};
pub use scan::{classify, PayloadKind, ScanItem};

use crate::error::Result;

/// Every code in the image file, classified.
pub fn scan_file(path: &Path) -> Result<Vec<ScanItem>> {
    Ok(scan_gray(&load::load_file(path)?))
}

/// Every code in encoded image bytes (PNG, JPEG, …), classified.
pub fn scan_bytes(what: &str, bytes: &[u8]) -> Result<Vec<ScanItem>> {
    Ok(scan_gray(&load::load_bytes(what, bytes)?))
}

pub fn scan_gray(img: &GrayImage) -> Vec<ScanItem> {
    find_codes(img)
        .into_iter()
        .map(|f| classify(f.text))
        .collect()
}
