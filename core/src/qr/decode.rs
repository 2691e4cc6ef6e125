//! Finding every QR code in a grayscale picture.
//!
//! Passes run in order until one finds something; each is a multi-code reader, so one pass
//! returns every code it sees. The order comes from measuring each pass alone on the fixture
//! sets (`cargo run --release --example qr_eval`; figures in the issue-4 note):
//! 1. rxing (a pure-Rust ZXing port: hybrid binariser, tries harder, also inverted) — alone it
//!    finds 49 of 56 zxing-cpp "qrcode-2" codes in a tenth of rqrr's time. Large screenshots
//!    (≥ 6 MP) are first read at half size: modules there are big, and a quarter of the pixels
//!    is a quarter of the time;
//! 2. rxing at the other scale (half or full): recovers codes whose modules are too large or too
//!    blurred at one scale (5 of rxing's 7 misses on qrcode-2), or too small at half size;
//! 3. rqrr (a different, capstone-based detector), on the image as it is (up to 1080p);
//! 4. rqrr after local-mean binarisation (shadows, JPEG artefacts; up to 1080p);
//! 5. rqrr on a 2× upscale, for small images only (a few tiny codes; too slow for screens).
//!
//! Light-on-dark codes are covered by rxing's `AlsoInverted`.

use image::imageops::{resize, FilterType};
use image::GrayImage;

use crate::secret::SecretText;

/// One decoded code.
pub struct Found {
    /// The payload as text (may hold a secret: read through `expose()`).
    pub text: SecretText,
    /// Which pass found it, for diagnostics and the benchmark.
    pub pass: &'static str,
}

/// Images at least this large are read at half size first.
const LARGE_PIXELS: u64 = 6_000_000;
/// Only images up to this size get the (slow) upscaling pass.
const UPSCALE_MAX_PIXELS: u64 = 1_000_000;
/// rqrr never found a code rxing had missed on a screenshot-sized image (measured on all 38
/// screenshot fixtures), but costs ~300 ms on a 4K picture without one: above this it is
/// skipped.
const RQRR_MAX_PIXELS: u64 = 2_100_000;

/// Every code found by the first pass that finds any, deduplicated by text.
pub fn find_codes(img: &GrayImage) -> Vec<Found> {
    let px = u64::from(img.width()) * u64::from(img.height());
    let large = px >= LARGE_PIXELS;
    let passes: [(&'static str, &dyn Fn() -> Vec<String>); 5] = [
        (if large { "rxing-half" } else { "rxing" }, &|| {
            rxing_pass(&if large { half(img) } else { img.clone() }).0
        }),
        (if large { "rxing" } else { "rxing-half" }, &|| {
            if large {
                rxing_pass(img).0
            } else if img.width() >= 200 && img.height() >= 200 {
                // Small enough that a smoother filter is affordable: it finds one more code
                // of zxing-cpp's qrcode-2 set than the 2×2 average.
                rxing_pass(&resize(
                    img,
                    img.width() / 2,
                    img.height() / 2,
                    FilterType::Triangle,
                ))
                .0
            } else {
                Vec::new()
            }
        }),
        ("rqrr", &|| {
            if px <= RQRR_MAX_PIXELS {
                rqrr_pass(img).0
            } else {
                Vec::new()
            }
        }),
        ("rqrr-binarized", &|| {
            if px <= RQRR_MAX_PIXELS {
                rqrr_pass(&binarize(img)).0
            } else {
                Vec::new()
            }
        }),
        ("rqrr-upscaled", &|| {
            if px <= UPSCALE_MAX_PIXELS {
                rqrr_pass(&upscale2(img)).0
            } else {
                Vec::new()
            }
        }),
    ];
    for (pass, run) in passes {
        let mut found: Vec<Found> = Vec::new();
        for t in run() {
            if !found.iter().any(|f| f.text.expose() == t) {
                found.push(Found {
                    text: SecretText::new(t),
                    pass,
                });
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Half size by averaging 2×2 blocks: keeps thin modules from aliasing away, and costs a few
/// milliseconds where a general resampling filter costs tens on a 4K image.
pub fn half(img: &GrayImage) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (hw, hh) = ((w / 2).max(1), (h / 2).max(1));
    if w < 2 || h < 2 {
        return img.clone();
    }
    let src = img.as_raw();
    let mut out = Vec::with_capacity(hw * hh);
    for y in 0..hh {
        let (r0, r1) = (&src[2 * y * w..], &src[(2 * y + 1) * w..]);
        for x in 0..hw {
            let sum = u16::from(r0[2 * x])
                + u16::from(r0[2 * x + 1])
                + u16::from(r1[2 * x])
                + u16::from(r1[2 * x + 1]);
            out.push(((sum + 2) / 4) as u8);
        }
    }
    GrayImage::from_raw(hw as u32, hh as u32, out).unwrap_or_else(|| img.clone())
}

/// rqrr: returns the decoded texts and how many located grids failed to decode.
pub fn rqrr_pass(img: &GrayImage) -> (Vec<String>, usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let raw = img.as_raw();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| raw[y * w + x]);
    let mut texts = Vec::new();
    let mut failed = 0;
    for grid in prepared.detect_grids() {
        let mut bytes = Vec::new();
        match grid.decode_to(&mut bytes) {
            Ok(_) => texts.push(String::from_utf8_lossy(&bytes).into_owned()),
            Err(_) => failed += 1,
        }
        zeroize::Zeroize::zeroize(&mut bytes);
    }
    (texts, failed)
}

/// rxing's multi-code reader, QR only, trying harder and inverted too.
pub fn rxing_pass(img: &GrayImage) -> (Vec<String>, usize) {
    use rxing::{BarcodeFormat, DecodeHints};
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        PossibleFormats: Some(std::collections::HashSet::from([BarcodeFormat::QR_CODE])),
        ..Default::default()
    };
    // `detect_in_luma` in rxing 0.8 swapped width and height; the `_with_hints` forms are right.
    let res = rxing::helpers::detect_multiple_in_luma_with_hints(
        img.as_raw().clone(),
        img.width(),
        img.height(),
        &mut hints,
    );
    match res {
        Ok(v) => (v.into_iter().map(|r| r.getText().to_owned()).collect(), 0),
        Err(_) => (Vec::new(), 0),
    }
}

pub fn invert(img: &GrayImage) -> GrayImage {
    let mut out = img.clone();
    out.iter_mut().for_each(|p| *p = 255 - *p);
    out
}

/// Local-mean thresholding over a window of about 1/8 of the shorter side (an integral image
/// keeps it O(pixels)): each pixel is dark if it is darker than its neighbourhood by a margin.
pub fn binarize(img: &GrayImage) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    let mut integral = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(src[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let r = (w.min(h) / 16).clamp(8, 64);
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = integral[y1 * (w + 1) + x1] + integral[y0 * (w + 1) + x0]
                - integral[y0 * (w + 1) + x1]
                - integral[y1 * (w + 1) + x0];
            let n = ((x1 - x0) * (y1 - y0)) as u64;
            let mean = sum / n;
            out[y * w + x] = if u64::from(src[y * w + x]) * 100 < mean * 90 {
                0
            } else {
                255
            };
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap_or_else(|| img.clone())
}

/// 2× bilinear upscale: gives rqrr's finder enough pixels per module.
pub fn upscale2(img: &GrayImage) -> GrayImage {
    resize(img, img.width() * 2, img.height() * 2, FilterType::Triangle)
}
